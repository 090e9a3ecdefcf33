/*
 * fuzz_imap_bodystructure.c - the BODYSTRUCTURE reader on any bytes.
 *
 * The input is parsed as one response; if that fails it is wrapped as
 * "* 1 FETCH (BODYSTRUCTURE <input>)\r\n" so mutations stay inside the
 * body grammar.  A tree that comes out is walked every way a pager would
 * (text part, every section looked up again, parameters), and its
 * invariants are checked: each numbered part is found by its own number.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "net/imap_bodystructure.h"
#include "util/xmalloc.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Check one part and its children; abort on a broken invariant. */
static void
fuzz_walk(const struct imap_bs_part *root, const struct imap_bs_part *p,
    unsigned depth)
{
	const struct imap_bs_part	*found;

	if (depth > IMAP_BS_DEPTH_MAX || p->section == NULL ||
	    p->type == NULL || p->subtype == NULL)
		abort();
	found = imap_bs_find_section(root, p->section);
	if (p->kind != IMAP_BS_MULTIPART && (found == NULL ||
	    strcmp(found->section, p->section) != 0))
		abort();
	(void)imap_bs_param_get(&p->params, "charset");
	(void)imap_bs_param_get(&p->dsp_params, "filename");
	if (p->kind == IMAP_BS_MESSAGE && (p->env == NULL || p->nparts != 1))
		abort();
	for (size_t i = 0; i < p->nparts; i++) {
		if (p->parts[i].parent != p)
			abort();
		fuzz_walk(root, &p->parts[i], depth + 1);
	}
}

/* Parse one response and read its body structure. */
static int
fuzz_one(const char *p, size_t len)
{
	struct imap_response	 r;
	struct imap_bs_part	*root;
	struct error		 err;

	if (imap_parse_response(p, len, &r, &err) == -1)
		return -1;
	if (imap_bs_from_fetch(&r, &root, &err) == 0 && root != NULL) {
		fuzz_walk(root, root, 0);
		if (imap_bs_count(root) > IMAP_BS_PARTS_MAX)
			abort();
		(void)imap_bs_find_text(root, "plain");
		(void)imap_bs_find_text(root, NULL);
		imap_bs_free(root);
	}
	imap_response_fini(&r);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char	 head[] = "* 1 FETCH (BODYSTRUCTURE ";
	static const char	 tail[] = ")\r\n";
	char			*buf;
	size_t			 len;

	if (fuzz_one((const char *)data, size) == 0 || size > 1024 * 1024)
		return 0;
	len = sizeof head - 1 + size + sizeof tail - 1;
	buf = xmalloc(len);
	memcpy(buf, head, sizeof head - 1);
	if (size > 0)
		memcpy(buf + sizeof head - 1, data, size);
	memcpy(buf + sizeof head - 1 + size, tail, sizeof tail - 1);
	(void)fuzz_one(buf, len);
	free(buf);
	return 0;
}
