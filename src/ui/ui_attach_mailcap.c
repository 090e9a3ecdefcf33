/*
 * ui_attach_mailcap.c - reading mailcap files (RFC 1524) and expanding
 * their view commands.
 *
 * Implements RFC 1524 sections 2 and 3 (the file format, the view
 * command, copiousoutput, needsterminal, test=, nametemplate=) except the
 * %n and %F escapes of multipart viewers, which petrel never asks for.
 * Parsing is pure and bounded; the files are read here too, each capped.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "mime/mime_int.h"
#include "ui/ui_attach_mailcap.h"
#include "util/buf.h"
#include "util/xmalloc.h"

/* Most fields of one entry looked at. */
#define UI_MAILCAP_FIELDS	64

/* Free an entry. */
void
ui_attach_mailcap_fini(struct ui_mailcap_entry *e)
{
	free(e->type);
	free(e->view);
	free(e->test);
	free(e->nametemplate);
	memset(e, 0, sizeof *e);
}

/* Read one field up to an unescaped ';'; returns where the next starts. */
static size_t
ui_mailcap_field(const char *s, size_t len, size_t off, char **out)
{
	struct buf	 b = BUF_INITIALIZER(UI_MAILCAP_LINE_MAX);
	const char	*f;
	size_t		 end, lead;

	for (; off < len && s[off] != ';'; off++) {
		if (s[off] == '\\' && off + 1 < len && (s[off + 1] == ';' ||
		    s[off + 1] == '\\'))
			off++;
		buf_addc(&b, s[off]);
	}
	/* Blanks around a field are not part of it. */
	f = buf_str(&b);
	lead = strspn(f, " \t");
	end = b.len;
	while (end > lead && (f[end - 1] == ' ' || f[end - 1] == '\t'))
		end--;
	*out = xstrndup(f + lead, end - lead);
	buf_fini(&b);
	return off < len ? off + 1 : len;
}

/* One flag or name=value field of an entry. */
static void
ui_mailcap_flag(struct ui_mailcap_entry *e, char *f)
{
	char	*eq = strchr(f, '='), *v, **slot = NULL;

	if (eq == NULL) {
		if (strcasecmp(f, "copiousoutput") == 0)
			e->copiousoutput = true;
		else if (strcasecmp(f, "needsterminal") == 0)
			e->needsterminal = true;
		return;
	}
	*eq = '\0';
	v = eq + 1 + strspn(eq + 1, " \t");
	f[strcspn(f, " \t")] = '\0';
	if (strcasecmp(f, "test") == 0)
		slot = &e->test;
	else if (strcasecmp(f, "nametemplate") == 0)
		slot = &e->nametemplate;
	if (slot != NULL && *slot == NULL && *v != '\0')
		*slot = xstrdup(v);
}

/* Parse one entry (see ui_attach_mailcap.h). */
int
ui_attach_mailcap_parse(const char *line, size_t len,
    struct ui_mailcap_entry *e)
{
	char	*f;
	size_t	 off = 0, n;

	memset(e, 0, sizeof *e);
	off = ui_mailcap_field(line, len, off, &e->type);
	off = ui_mailcap_field(line, len, off, &e->view);
	for (n = 2; off < len && n < UI_MAILCAP_FIELDS; n++) {
		off = ui_mailcap_field(line, len, off, &f);
		ui_mailcap_flag(e, f);
		free(f);
	}
	if (e->type[0] == '\0' || e->view[0] == '\0' ||
	    strcspn(e->type, " \t") != strlen(e->type)) {
		ui_attach_mailcap_fini(e);
		return -1;
	}
	return 0;
}

/* Whether an entry's type field matches type/subtype. */
static bool
ui_mailcap_match(const char *field, const char *type, const char *subtype)
{
	const char	*slash = strchr(field, '/');
	size_t		 tl = slash != NULL ? (size_t)(slash - field) :
			     strlen(field);

	if (strlen(type) != tl || strncasecmp(field, type, tl) != 0)
		return false;
	if (slash == NULL || strcmp(slash + 1, "*") == 0)
		return true;
	return strcasecmp(slash + 1, subtype) == 0;
}

/*
 * Read the next logical line (continuations joined) from text at *off
 * into b; false at the end.  A line longer than the maximum comes out
 * empty (too_big), so it is skipped.
 */
static bool
ui_mailcap_line(const char *text, size_t len, size_t *off, struct buf *b)
{
	const char	*nl;
	size_t		 end;

	buf_reset(b);
	if (*off >= len)
		return false;
	for (;;) {
		nl = memchr(text + *off, '\n', len - *off);
		end = nl != NULL ? (size_t)(nl - text) : len;
		if (end > *off && text[end - 1] == '\r')
			end--;
		if (end > *off && text[end - 1] == '\\' && nl != NULL) {
			buf_add(b, text + *off, end - 1 - *off);
			*off = (size_t)(nl - text) + 1;
			continue;
		}
		buf_add(b, text + *off, end - *off);
		*off = nl != NULL ? (size_t)(nl - text) + 1 : len;
		break;
	}
	if (b->too_big)
		buf_reset(b);
	return true;
}

/* Find an entry in a file's text (see ui_attach_mailcap.h). */
int
ui_attach_mailcap_find(const char *text, size_t len, const char *type,
    const char *subtype, bool want_copious,
    bool (*test)(void *, const char *), void *arg,
    struct ui_mailcap_entry *e)
{
	struct buf	 b = BUF_INITIALIZER(UI_MAILCAP_LINE_MAX);
	size_t		 off = 0;
	const char	*l;
	int		 rc = -1;

	while (rc == -1 && ui_mailcap_line(text, len, &off, &b)) {
		l = buf_str(&b) + strspn(buf_str(&b), " \t");
		if (*l == '#' || *l == '\0')
			continue;
		if (ui_attach_mailcap_parse(l, strlen(l), e) == -1)
			continue;
		if (ui_mailcap_match(e->type, type, subtype) &&
		    (!want_copious || e->copiousoutput) &&
		    (e->test == NULL || (test != NULL && test(arg, e->test))))
			rc = 0;
		else
			ui_attach_mailcap_fini(e);
	}
	buf_fini(&b);
	return rc;
}

/* Append v if it is made of safe characters only, else nothing. */
static void
ui_mailcap_safe(struct buf *b, const char *v)
{
	size_t	i;

	if (v == NULL)
		return;
	for (i = 0; v[i] != '\0'; i++) {
		if (!((v[i] >= 'a' && v[i] <= 'z') || (v[i] >= 'A' &&
		    v[i] <= 'Z') || (v[i] >= '0' && v[i] <= '9') ||
		    strchr("._+/-", v[i]) != NULL))
			return;
	}
	if (i <= 256)
		buf_adds(b, v);
}

/* Expand a command's % escapes (see ui_attach_mailcap.h). */
char *
ui_attach_mailcap_expand(const char *cmd, const char *file,
    const char *type, const char *ctype, bool *used_file)
{
	struct buf	 b = BUF_INITIALIZER(0);
	const char	*p, *close;
	char		*name, *v;

	*used_file = false;
	for (p = cmd; *p != '\0'; p++) {
		if (*p != '%' || p[1] == '\0') {
			buf_addc(&b, *p);
			continue;
		}
		p++;
		if (*p == 's') {
			ui_mailcap_safe(&b, file);
			*used_file = true;
		} else if (*p == 't')
			ui_mailcap_safe(&b, type);
		else if (*p == '{' && (close = strchr(p, '}')) != NULL) {
			name = xstrndup(p + 1, (size_t)(close - p - 1));
			v = ctype != NULL ? mime_param_get(ctype,
			    strlen(ctype), name) : NULL;
			ui_mailcap_safe(&b, v);
			free(v);
			free(name);
			p = close;
		} else if (*p == '%')
			buf_addc(&b, '%');
		else {
			buf_addc(&b, '%');
			buf_addc(&b, *p);
		}
	}
	return buf_take(&b);
}

/* Read a file of at most UI_MAILCAP_FILE_MAX bytes; NULL if it cannot. */
static char *
ui_mailcap_read(const char *path, size_t *len)
{
	struct buf	 b = BUF_INITIALIZER(UI_MAILCAP_FILE_MAX);
	char		 chunk[8192];
	ssize_t		 n;
	int		 fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return NULL;
	while ((n = read(fd, chunk, sizeof chunk)) != 0) {
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 || buf_add(&b, chunk, (size_t)n) == -1)
			break;
	}
	close(fd);
	*len = b.len;
	return buf_take(&b);
}

/* Search the mailcap files (see ui_attach_mailcap.h). */
int
ui_attach_mailcap_load(const char *type, const char *subtype,
    bool want_copious, bool (*test)(void *, const char *), void *arg,
    struct ui_mailcap_entry *e)
{
	const char	*env = getenv("MAILCAPS"), *home = getenv("HOME");
	char		*list, *path, *save = NULL, *text;
	size_t		 len = 0;
	int		 rc = -1;

	if (env != NULL && *env != '\0')
		list = xstrdup(env);
	else
		list = xasprintf("%s/.mailcap:/etc/mailcap",
		    home != NULL ? home : "/nonexistent");
	for (path = list; rc == -1 && path != NULL; path = save) {
		save = strchr(path, ':');
		if (save != NULL)
			*save++ = '\0';
		if (*path == '\0' || (text = ui_mailcap_read(path, &len)) ==
		    NULL)
			continue;
		rc = ui_attach_mailcap_find(text, len, type, subtype,
		    want_copious, test, arg, e);
		free(text);
	}
	free(list);
	return rc;
}
