/*
 * ui_pager_addr.c - address lists for display, with spoofed display names
 * marked.
 *
 * The check reads the display name through a normalised copy: fullwidth
 * forms (U+FF01..U+FF5E) become their ASCII letters and U+FE6B becomes
 * '@', so "ｓｕｐｐｏｒｔ＠ｂａｎｋ．ｃｏｍ" is read as the address it
 * imitates.  Pure: no curses, no I/O; every loop is bounded by the input.
 */
#include <stdlib.h>
#include <string.h>

#include "ui/ui_pager_addr.h"
#include "util/buf.h"
#include "util/utf8.h"
#include "util/xmalloc.h"

/* A byte that is no address character (stands for any other letter). */
#define UI_ADDR_OTHER	'\001'

/* The name with look-alike forms folded to ASCII, one byte a character. */
static char *
ui_addr_fold(const char *s)
{
	size_t		 len = strlen(s), off = 0, n = 0, k;
	char		*out = xmalloc(len + 1);
	uint32_t	 c;

	while (off < len) {
		k = utf8_decode((const unsigned char *)s + off, len - off, &c);
		off += k;
		if (c >= 0xff01 && c <= 0xff5e)
			c -= 0xfee0;
		else if (c == 0xfe6b)
			c = '@';
		else if (c == 0x2024 || c == 0xfe52)
			c = '.';
		out[n++] = c < 0x80 ? (char)c : UI_ADDR_OTHER;
	}
	out[n] = '\0';
	return out;
}

/* Whether c may be in the local part of an address (RFC 5322 atext). */
static bool
ui_addr_local(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || (c != '\0' &&
	    strchr(".!#$%&'*+-/=?^_`{|}~", c) != NULL);
}

/* Whether c may be in a domain. */
static bool
ui_addr_domain(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '.' || c == '-';
}

/* Lower-case ASCII. */
static char
ui_addr_lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c | 0x20) : c;
}

/* Whether (s, len) equals addr, ignoring ASCII case. */
static bool
ui_addr_same(const char *s, size_t len, const char *addr)
{
	size_t	i;

	if (addr == NULL || strlen(addr) != len)
		return false;
	for (i = 0; i < len; i++) {
		if (ui_addr_lower(s[i]) != ui_addr_lower(addr[i]))
			return false;
	}
	return true;
}

/*
 * The address around the '@' at f[at], as [*start, *end); false if the
 * text there is no address (no local part, or a domain without a dot).
 */
static bool
ui_addr_around(const char *f, size_t len, size_t at, size_t *start,
    size_t *end)
{
	size_t	b = at, e = at + 1, dot = 0;

	while (b > 0 && ui_addr_local(f[b - 1]))
		b--;
	while (e < len && ui_addr_domain(f[e])) {
		if (f[e] == '.')
			dot = e;
		e++;
	}
	while (e > at + 1 && (f[e - 1] == '.' || f[e - 1] == '-'))
		e--;
	while (b < at && f[b] == '.')
		b++;
	if (b == at || dot == 0 || dot <= at + 1 || dot + 1 >= e)
		return false;
	*start = b;
	*end = e;
	return true;
}

/* Is the display name spoofed (see ui_pager_addr.h)? */
bool
ui_pager_addr_spoofed(const char *name, const char *addr)
{
	char	*f;
	size_t	 len, i, b, e;
	bool	 spoofed = false;

	if (name == NULL || *name == '\0')
		return false;
	f = ui_addr_fold(name);
	len = strlen(f);
	for (i = 0; i < len && !spoofed; i++) {
		if (f[i] != '@' || !ui_addr_around(f, len, i, &b, &e))
			continue;
		spoofed = !ui_addr_same(f + b, e - b, addr);
	}
	free(f);
	return spoofed;
}

/* Append a display name, quoted when it holds specials (RFC 5322 3.4). */
static void
ui_addr_name(struct buf *b, const char *name, bool force)
{
	const char	*p;

	if (!force && strpbrk(name, "()<>[]:;@\\,.\"") == NULL) {
		buf_adds(b, name);
		return;
	}
	buf_addc(b, '"');
	for (p = name; *p != '\0'; p++) {
		if (*p == '"' || *p == '\\')
			buf_addc(b, '\\');
		buf_addc(b, *p);
	}
	buf_addc(b, '"');
}

/* Append one mailbox; true if its name was spoofed. */
static bool
ui_addr_mailbox(struct buf *b, const struct mime_address *a)
{
	bool	name = a->name != NULL && a->name[0] != '\0';
	bool	spoofed = name && ui_pager_addr_spoofed(a->name, a->addr);

	if (name)
		ui_addr_name(b, a->name, spoofed);
	if (a->addr != NULL) {
		buf_adds(b, name ? " <" : "");
		buf_adds(b, a->addr);
		buf_adds(b, name ? ">" : "");
	}
	if (spoofed)
		buf_adds(b, " " UI_ADDR_MARK);
	return spoofed;
}

/* An address list for the pager (see ui_pager_addr.h). */
char *
ui_pager_addr_line(const struct mime_address_list *l, bool *spoofed)
{
	struct buf		 b = BUF_INITIALIZER(UI_ADDR_LINE_MAX);
	const struct mime_address *a;
	const char		*group = NULL;
	size_t			 i;
	bool			 any = false;

	for (i = 0; i < l->n; i++) {
		a = &l->v[i];
		if (group != NULL && (a->group == NULL ||
		    strcmp(a->group, group) != 0)) {
			buf_addc(&b, ';');
			group = NULL;
		}
		if (b.len > 0)
			buf_adds(&b, ", ");
		if (a->group != NULL && group == NULL) {
			group = a->group;
			ui_addr_name(&b, group, false);
			buf_adds(&b, ":");
			if (a->name == NULL && a->addr == NULL)
				continue;	/* an empty group */
			buf_addc(&b, ' ');
		}
		any |= ui_addr_mailbox(&b, a);
	}
	if (group != NULL)
		buf_addc(&b, ';');
	if (spoofed != NULL)
		*spoofed = any;
	if (b.len == 0) {
		buf_fini(&b);
		return NULL;
	}
	return buf_take(&b);
}

/* The list's From column (see ui_pager_addr.h). */
char *
ui_pager_addr_from(const char *name, const char *addr)
{
	if (name != NULL && *name != '\0') {
		if (ui_pager_addr_spoofed(name, addr))
			return xasprintf("%s %s (%s)", UI_ADDR_MARK,
			    addr != NULL ? addr : "?", name);
		return xstrdup(name);
	}
	return xstrdup(addr != NULL ? addr : "");
}
