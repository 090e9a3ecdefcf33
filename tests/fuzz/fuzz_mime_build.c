/*
 * fuzz_mime_build.c - libFuzzer target for the message builder
 * (src/mime/build*.c), fed what a user may type: the input is cut at NUL
 * bytes into a subject, a To: list (raw text, parsed as the user's), a
 * display name (any bytes, handed over as an encoded word so the phrase
 * encoder sees them unparsed) and a filename; the whole input is also
 * the body and an attachment.  Flags come from the first byte.
 *
 * Checked on every message built: CRLF line ends only, no line over 998
 * octets, header lines at most 78 (76 with an encoded word) unless one
 * unfoldable token fills them, every encoded word at most 75 and spelt
 * "=?UTF-8?B|Q?", no blank continuation line; and read back with
 * petrel's own parsers: the subject, every To: member (address, name,
 * group) and the Cc: name equal what went in (made clean: valid UTF-8,
 * blanks collapsed), the filename is the one sent, the text and the
 * attachment decode to their bytes.  A list that does not
 * parse fails with nothing appended.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mime/address.h"
#include "mime/build.h"
#include "mime/build_int.h"
#include "mime/mime.h"
#include "mime/mime_int.h"
#include "mime/part.h"
#include "util/utf8.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/*
 * Check the encoded words of header line l (n octets): each "=?" that
 * starts a token outside quotes (or inside name="...") must be
 * "=?UTF-8?B|Q?...?=" of at most 75 octets.  "=?" elsewhere is part of
 * an addr-spec or a quoted string, no encoded word.  Returns how many.
 */
static size_t
fuzz_ews(const char *l, size_t n)
{
	const char	*q;
	size_t		 i, count = 0;
	bool		 quoted = false, qname = false;

	for (i = 0; i < n; i++) {
		if (quoted && l[i] == '\\') {
			i++;
			continue;
		}
		if (l[i] == '"') {
			qname = !quoted && i >= 5 &&
			    memcmp(l + i - 5, "name=", 5) == 0;
			quoted = !quoted;
			continue;
		}
		if (l[i] != '=' || i + 1 == n || l[i + 1] != '?' ||
		    (quoted && !qname) ||
		    (i > 0 && l[i - 1] != ' ' && l[i - 1] != '"'))
			continue;
		if (n - i < 12 || (strncmp(l + i, "=?UTF-8?B?", 10) != 0 &&
		    strncmp(l + i, "=?UTF-8?Q?", 10) != 0) ||
		    (q = memmem(l + i + 10, n - i - 10, "?=", 2)) == NULL ||
		    q + 2 - (l + i) > 75)
			abort();
		count++;
		i = (size_t)(q + 1 - l);
	}
	return count;
}

/* Whether l (n octets) is one token: no blank outside double quotes. */
static bool
fuzz_one_token(const char *l, size_t n)
{
	size_t	i;
	bool	q = false;

	for (i = 0; i < n; i++) {
		if (q && l[i] == '\\')
			i++;
		else if (l[i] == '"')
			q = !q;
		else if (!q && l[i] == ' ')
			return false;
	}
	return true;
}

/* Abort unless header line l (n octets) keeps the folding rules. */
static void
fuzz_header_line(const char *l, size_t n)
{
	size_t	limit;

	if (n == 0 || (n == 1 && l[0] == ' ') || memchr(l, '\r', n) != NULL)
		abort();
	limit = fuzz_ews(l, n) > 0 ? 76 : 78;
	if (n > limit && (l[0] != ' ' || !fuzz_one_token(l + 1, n - 1)))
		abort();
}

/* Abort unless the message keeps the line rules. */
static void
fuzz_lines(const char *msg, size_t len)
{
	char	*ct, *bnd = NULL;
	size_t	 i, start = 0, bl = 0;
	bool	 header = true;

	/* The body parts' headers follow the delimiter lines. */
	if ((ct = mime_header_get(msg, len, "Content-Type")) != NULL &&
	    (bnd = mime_param_get(ct, strlen(ct), "boundary")) != NULL)
		bl = strlen(bnd);
	free(ct);

	for (i = 0; i < len; i++) {
		if (msg[i] == '\r' && (i + 1 == len || msg[i + 1] != '\n'))
			abort();
		if (msg[i] != '\n')
			continue;
		if (i == 0 || msg[i - 1] != '\r' || i - 1 - start > 998)
			abort();
		if (header && i - 1 == start)
			header = false;
		else if (header)
			fuzz_header_line(msg + start, i - 1 - start);
		else if (bl > 0 && i - 1 - start == bl + 2 &&
		    msg[start] == '-' && msg[start + 1] == '-' &&
		    memcmp(msg + start + 2, bnd, bl) == 0)
			header = true;
		start = i + 1;
	}
	if (len < 2 || msg[len - 1] != '\n')
		abort();
	free(bnd);
}

/* Abort unless a and b are both NULL or equal. */
static void
fuzz_same(const char *a, const char *b)
{
	if ((a == NULL) != (b == NULL) || (a != NULL && strcmp(a, b) != 0))
		abort();
}

/* The clean form of s, or NULL if it is empty. */
static char *
fuzz_clean(const char *s)
{
	char	*c;

	if (s == NULL)
		return NULL;
	c = mime_build_clean(s, strlen(s));
	if (*c == '\0') {
		free(c);
		return NULL;
	}
	return c;
}

/* Abort unless the field's list reads back as the list that went in. */
static void
fuzz_list_same(const char *msg, size_t len, const char *field,
    const char *in)
{
	struct mime_address_list	 a, b;
	char				*v, *n, *g;
	size_t				 i, k = 0;

	mime_address_list_parse(in, strlen(in), &a);
	v = mime_header_get(msg, len, field);
	mime_address_list_parse(v != NULL ? v : "", v != NULL ? strlen(v) : 0,
	    &b);
	if (a.n != b.n)
		abort();
	for (i = 0; i < a.n; i++, k++) {
		fuzz_same(a.v[i].addr, b.v[k].addr);
		n = fuzz_clean(a.v[i].name);
		g = fuzz_clean(a.v[i].group);
		fuzz_same(n, b.v[k].name);
		fuzz_same(g, b.v[k].group);
		free(n);
		free(g);
	}
	mime_address_list_fini(&a);
	mime_address_list_fini(&b);
	free(v);
}

/* Abort unless the text part (part 1) decodes to the body with CRLF
 * line ends and a last line end: checked when the body is valid UTF-8
 * without CR and not flowed (else the builder rightly changes it). */
static void
fuzz_text(const struct mime_tree *t, const uint8_t *data, size_t size)
{
	struct buf	b = BUF_INITIALIZER(0), want = BUF_INITIALIZER(0);
	size_t		i;

	if (size == 0 || (data[0] & 1) || memchr(data, '\r', size) != NULL ||
	    !mime_utf8_valid((const char *)data, size))
		return;
	for (i = 0; i < size; i++) {
		if (data[i] == '\n')
			buf_addc(&want, '\r');
		buf_addc(&want, (char)data[i]);
	}
	if (data[size - 1] != '\n')
		buf_add(&want, "\r\n", 2);
	if (t->n != 3 || mime_part_decode(&t->v[1], &b) == -1 ||
	    b.len != want.len || memcmp(b.data, want.data, b.len) != 0)
		abort();
	buf_fini(&b);
	buf_fini(&want);
}

/* The filename as the builder should send it: the last component,
 * invalid UTF-8 as U+FFFD, controls as "_", trimmed of blanks (as
 * petrel's reader trims). */
static void
fuzz_fname(const char *path, struct buf *b)
{
	const char	*s = strrchr(path, '/');
	uint32_t	 cp;
	size_t		 i, n, len;

	s = s != NULL ? s + 1 : path;
	len = strlen(s);
	for (i = 0; i < len; i += n) {
		n = utf8_decode((const unsigned char *)s + i, len - i, &cp);
		if (cp == UTF8_BAD)
			buf_add(b, "\xef\xbf\xbd", 3);
		else if (cp < 0x20 || cp == 0x7f)
			buf_addc(b, '_');
		else if (b->len > 0 || cp != ' ')
			buf_add(b, s + i, n);
	}
	while (b->len > 0 && b->data[b->len - 1] == ' ')
		b->data[--b->len] = '\0';
}

/* Abort unless the filename petrel reads back is the one sent (unless
 * it holds "=?", which petrel's reader decodes as encoded words). */
static void
fuzz_fname_same(const char *got, const char *path)
{
	struct buf	want = BUF_INITIALIZER(0);

	fuzz_fname(path, &want);
	if (strstr(buf_str(&want), "=?") == NULL)
		fuzz_same(got, want.len > 0 ? buf_str(&want) : NULL);
	buf_fini(&want);
}

/* Check the parts: text and attachment bytes, the filename. */
static void
fuzz_parts(const char *msg, size_t len, const uint8_t *data, size_t size,
    const char *fname)
{
	struct mime_tree	 t;
	struct buf		 b = BUF_INITIALIZER(0);

	mime_tree_parse(msg, len, &t);
	if (t.n != (size > 0 ? 3u : 2u) || t.v[t.n - 1].kind != MIME_PART_LEAF)
		abort();
	fuzz_text(&t, data, size);
	/* The attachment is the last part and base64: exact bytes. */
	if (mime_part_decode(&t.v[t.n - 1], &b) == -1 || b.len != size ||
	    (size > 0 && memcmp(b.data, data, size) != 0))
		abort();
	fuzz_fname_same(t.v[t.n - 1].filename, fname);
	buf_fini(&b);
	mime_tree_fini(&t);
}

/* Abort unless the Subject reads back as clean(subject) and shows no
 * "=?" outside its encoded words. */
static void
fuzz_subject(const char *msg, size_t len, const char *subject)
{
	char	*v, *d, *want, *p, *q;

	v = mime_header_get(msg, len, "Subject");
	if (v == NULL)
		abort();
	/* Unstructured text holds no "=?" but in the encoded words. */
	for (p = v; (p = strstr(p, "=?")) != NULL; p = q + 2) {
		if (strncmp(p, "=?UTF-8?", 8) != 0 ||
		    (q = strstr(p + 10, "?=")) == NULL)
			abort();
	}
	d = mime_rfc2047_decode(v, strlen(v));
	for (p = d; *p == ' '; p++)
		;
	want = mime_build_clean(subject, strlen(subject));
	fuzz_same(p, want);
	free(want);
	free(d);
	free(v);
}

/* Build one message from the fuzzer's bytes and check it. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mime_build_msg	 m;
	struct mime_build_part	 p;
	struct buf		 out = BUF_INITIALIZER(0);
	struct buf		 cc = BUF_INITIALIZER(0);
	struct error		 err;
	char			*copy, *field[4];
	size_t			 i, k = 0;

	if (size > 16384)
		return 0;
	copy = malloc(size + 1);
	if (copy == NULL)
		return 0;
	memcpy(copy, data, size);
	copy[size] = '\0';
	for (i = 0; i < 4; i++) {
		field[i] = copy + k;
		k += strlen(copy + k);
		if (k < size)
			k++;
	}
	buf_adds(&cc, "=?utf-8?b?");
	mime_build_base64(field[2], strlen(field[2]), &cc);
	buf_adds(&cc, "?= <n@x.org>");
	memset(&m, 0, sizeof m);
	memset(&p, 0, sizeof p);
	m.from = "Alice <alice@example.org>";
	m.to = field[1];
	m.cc = buf_str(&cc);
	m.subject = field[0];
	m.date = 1751371509;
	m.message_id = "<1@example.org>";
	m.body = (const char *)data;
	m.body_len = size;
	m.flowed = size > 0 && (data[0] & 1);
	m.allow_8bit = size > 0 && (data[0] & 2);
	p.data = (const char *)data;
	p.len = size;
	p.filename = field[3];
	m.parts = &p;
	m.nparts = 1;
	if (mime_build(&m, &out, &err) == -1) {
		if (out.len != 0 || (err.code != ERR_PARSE &&
		    err.code != ERR_TOOBIG))
			abort();
		goto out;
	}
	fuzz_lines(out.data, out.len);
	fuzz_subject(out.data, out.len, field[0]);
	fuzz_list_same(out.data, out.len, "To", field[1]);
	fuzz_list_same(out.data, out.len, "Cc", buf_str(&cc));
	fuzz_parts(out.data, out.len, data, size, field[3]);
out:
	free(copy);
	buf_fini(&out);
	buf_fini(&cc);
	return 0;
}
