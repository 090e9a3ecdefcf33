/*
 * fuzz_mime_part.c - libFuzzer target for the MIME part tree (part.c,
 * part_fields.c) and the pager's choice of part.  Checks the invariants:
 * at least one and at most MIME_PARTS_MAX parts, depth within the cap,
 * parents before children and child counts that match, every header and
 * body inside the input or a decoded copy the tree owns, decoding never
 * grows a body, filenames valid UTF-8 within their cap, paths terminated,
 * the chosen text part a leaf.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mime/mime.h"
#include "mime/mime_int.h"
#include "mime/part.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Whether [p, p + n) lies inside the input or one of the owned copies. */
static int
fuzz_inside(const struct mime_tree *t, const char *in, size_t size,
    const char *p, size_t n)
{
	size_t	i;

	if (p >= in && n <= size && (size_t)(p - in) <= size - n)
		return 1;
	for (i = 0; i < t->nowned; i++) {
		if (p >= t->owned[i].data && n <= t->owned[i].len &&
		    (size_t)(p - t->owned[i].data) <= t->owned[i].len - n)
			return 1;
	}
	return 0;
}

/* Check one part. */
static void
fuzz_part(const struct mime_tree *t, size_t i, const char *in, size_t size)
{
	const struct mime_part	*p = &t->v[i];
	struct buf		 b;
	char			 path[MIME_PART_PATH_MAX];
	size_t			 j, kids = 0;

	if (p->depth > MIME_DEPTH_MAX || (i > 0 && p->parent >= i) ||
	    (i == 0 && p->parent != MIME_PART_NONE))
		abort();
	if ((p->in_owned && t->nowned == 0) ||
	    !fuzz_inside(t, in, size, p->hdr, p->hlen) ||
	    !fuzz_inside(t, in, size, p->body, p->blen))
		abort();
	for (j = i + 1; j < t->n; j++)
		kids += t->v[j].parent == i;
	if (kids != p->nchild || (p->kind == MIME_PART_LEAF && kids != 0))
		abort();
	if (p->filename != NULL && (strlen(p->filename) >
	    MIME_PART_FILENAME_MAX ||
	    !mime_utf8_valid(p->filename, strlen(p->filename))))
		abort();
	mime_part_path(t, i, path, sizeof path);
	if (memchr(path, '\0', sizeof path) == NULL)
		abort();
	buf_init(&b, p->blen + 1);
	if (mime_part_decode(p, &b) != 0 || b.len > p->blen)
		abort();
	buf_fini(&b);
}

/* One fuzz input: parse it and check the tree. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mime_tree	 t;
	char			*in;
	size_t			 i;
	bool			 html;

	if ((in = malloc(size ? size : 1)) == NULL)
		return 0;
	if (size > 0)
		memcpy(in, data, size);
	mime_tree_parse(in, size, &t);
	if (t.n < 1 || t.n > MIME_PARTS_MAX ||
	    t.owned_bytes > MIME_TREE_OWNED_MAX)
		abort();
	for (i = 0; i < t.n; i++)
		fuzz_part(&t, i, in, size);
	i = mime_tree_text_part(&t, &html);
	if (i != MIME_PART_NONE && (i >= t.n ||
	    t.v[i].kind != MIME_PART_LEAF))
		abort();
	mime_tree_fini(&t);
	free(in);
	return 0;
}
