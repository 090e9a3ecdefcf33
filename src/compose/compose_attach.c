/*
 * compose_attach.c - attaching a file: reading it (bounded), naming it,
 * and telling its content type with libmagic.
 *
 * Only regular files are read (a FIFO or a device could block or never
 * end; it is opened non-blocking so the check comes first), at most the
 * maximum, checked both against the size fstat gives and while reading
 * (the file may grow).  The content type is libmagic's MAGIC_MIME_TYPE
 * guess (RFC 2045 section 5.1 syntax checked), and for text/ types the
 * charset its MAGIC_MIME_ENCODING guess gives, when it is one petrel
 * knows ("binary" and "unknown-8bit" are not).  The name sent is the
 * path's last component, UTF-8 (RFC 2231 encoding is the builder's),
 * with invalid bytes as U+FFFD; a name with control characters is
 * refused, since it would be shown and sent as is.
 */
#include <sys/types.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <magic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compose/compose.h"
#include "compose/compose_int.h"
#include "mime/mime.h"
#include "util/buf.h"
#include "util/utf8.h"
#include "util/xmalloc.h"

/* The longest file name kept (bytes); longer ones are an error. */
#define COMPOSE_NAME_MAX	1024

/* The name an attachment is sent under: the last component of path, as
 * UTF-8.  NULL with err if there is none or it has control characters. */
char *
compose_attach_name(const char *path, struct error *err)
{
	struct buf	 b = BUF_INITIALIZER(0);
	const char	*s, *e;
	size_t		 i, n, k;
	uint32_t	 cp;

	for (e = path + strlen(path); e > path && e[-1] == '/'; e--)
		;
	for (s = e; s > path && s[-1] != '/'; s--)
		;
	n = (size_t)(e - s);
	if (n == 0 || (n == 1 && s[0] == '.') || (n == 2 && s[0] == '.' &&
	    s[1] == '.')) {
		error_set(err, ERR_PARSE, ERR_SCOPE_OP, "%s names no file",
		    path);
		return NULL;
	}
	if (n > COMPOSE_NAME_MAX) {
		error_set(err, ERR_PARSE, ERR_SCOPE_OP, "the file name of %s "
		    "is too long", path);
		return NULL;
	}
	for (i = 0; i < n; i += k) {
		k = utf8_decode((const unsigned char *)s + i, n - i, &cp);
		if (cp != UTF8_BAD && (cp < 0x20 || (cp >= 0x7f &&
		    cp <= 0x9f))) {
			buf_fini(&b);
			error_set(err, ERR_PARSE, ERR_SCOPE_OP, "the file name "
			    "has control characters; rename the file first");
			return NULL;
		}
		if (cp == UTF8_BAD)
			buf_adds(&b, "\xef\xbf\xbd");
		else
			buf_add(&b, s + i, k);
	}
	return buf_take(&b);
}

/* Read the regular file at path into out, at most max bytes. */
int
compose_file_read(const char *path, size_t max, struct buf *out,
    struct error *err)
{
	struct stat	 st;
	char		 chunk[16384];
	ssize_t		 n;
	int		 fd, rc = -1;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK)) ==
	    -1)
		return error_sys(err, ERR_SCOPE_OP, errno, "cannot read %s",
		    path);
	if (fstat(fd, &st) == -1) {
		error_sys(err, ERR_SCOPE_OP, errno, "cannot read %s", path);
		goto out;
	}
	if (S_ISDIR(st.st_mode)) {
		error_set(err, ERR_PARSE, ERR_SCOPE_OP, "%s is a directory, "
		    "not a file", path);
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		error_set(err, ERR_PARSE, ERR_SCOPE_OP, "%s is not a regular "
		    "file", path);
		goto out;
	}
	if ((uintmax_t)st.st_size > max) {
		error_set(err, ERR_TOOBIG, ERR_SCOPE_OP, "%s is too large "
		    "(%jd bytes, at most %zu)", path, (intmax_t)st.st_size,
		    max);
		goto out;
	}
	buf_init(out, max);
	while ((n = read(fd, chunk, sizeof chunk)) != 0) {
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			error_sys(err, ERR_SCOPE_OP, errno, "cannot read %s",
			    path);
			goto out;
		}
		if (buf_add(out, chunk, (size_t)n) == -1) {
			error_set(err, ERR_TOOBIG, ERR_SCOPE_OP, "%s is too "
			    "large (at most %zu bytes)", path, max);
			goto out;
		}
	}
	rc = 0;
out:
	close(fd);
	return rc;
}

/* Whether s is a "type/subtype" of RFC 2045 tokens. */
bool
compose_attach_ctype_ok(const char *s)
{
	size_t		i, slash = 0;
	unsigned char	c;

	for (i = 0; s[i] != '\0'; i++) {
		c = (unsigned char)s[i];
		if (c == '/' && slash == 0 && i > 0)
			slash = i;
		else if (c <= ' ' || c >= 0x7f ||
		    strchr("()<>@,;:\\\"/[]?=", c) != NULL)
			return false;
	}
	return slash > 0 && s[slash + 1] != '\0';
}

/* libmagic's guess of what data is: the content type (always set) and,
 * for text, the charset (or NULL). */
static void
compose_attach_magic(const char *data, size_t len, char **ctype,
    char **charset)
{
	magic_t		 m;
	const char	*t;

	*ctype = NULL;
	*charset = NULL;
	if ((m = magic_open(MAGIC_MIME_TYPE)) == NULL)
		goto out;
	if (magic_load(m, NULL) == -1)
		goto out;
	if ((t = magic_buffer(m, data, len)) == NULL)
		goto out;
	if (strcmp(t, "application/x-empty") == 0)
		t = "text/plain";
	if (!compose_attach_ctype_ok(t))
		goto out;
	*ctype = xstrdup(t);
	if (strncmp(t, "text/", 5) != 0 ||
	    magic_setflags(m, MAGIC_MIME_ENCODING) == -1 ||
	    (t = magic_buffer(m, data, len)) == NULL)
		goto out;
	if (mime_charset_known(t) && strcmp(t, "binary") != 0)
		*charset = xstrdup(t);
out:
	if (m != NULL)
		magic_close(m);
	if (*ctype == NULL)
		*ctype = xstrdup("application/octet-stream");
}

/* Attach a file, at most max bytes (compose_attach_file's work). */
int
compose_attach_file_max(struct compose_draft *d, const char *path,
    size_t max, struct error *err)
{
	struct compose_attach	 a;
	struct buf		 data = BUF_INITIALIZER(0);

	memset(&a, 0, sizeof a);
	if ((a.filename = compose_attach_name(path, err)) == NULL)
		return -1;
	if (compose_file_read(path, max, &data, err) == -1) {
		buf_fini(&data);
		free(a.filename);
		return -1;
	}
	a.len = data.len;
	a.data = buf_take(&data);
	a.path = xstrdup(path);
	compose_attach_magic(a.data, a.len, &a.content_type, &a.charset);
	d->attach = xreallocarray(d->attach, d->nattach + 1, sizeof *d->attach);
	d->attach[d->nattach++] = a;
	return 0;
}

/* Attach the file at path (see compose.h). */
int
compose_attach_file(struct compose_draft *d, const char *path,
    struct error *err)
{
	return compose_attach_file_max(d, path, COMPOSE_ATTACH_MAX, err);
}
