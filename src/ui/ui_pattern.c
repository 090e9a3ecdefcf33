/*
 * ui_pattern.c - parsing limit and tag patterns (see ui_pattern.h).
 *
 * Pure: no curses, no cache access; the caller turns the result into a
 * cache_query (and a server search for ~b).
 */
#include <stdlib.h>
#include <string.h>

#include "ui/ui_i18n.h"
#include "ui/ui_pattern.h"
#include "util/xmalloc.h"

/* ASCII-only lower case: the locale must not change matching. */
static int
ui_pattern_lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

/* Is c a blank (space or tab)? */
static bool
ui_pattern_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* A trimmed, unquoted copy of (s, len), or NULL if it is empty. */
static char *
ui_pattern_text(const char *s, size_t len)
{
	while (len > 0 && ui_pattern_blank(*s)) {
		s++;
		len--;
	}
	while (len > 0 && ui_pattern_blank(s[len - 1]))
		len--;
	if (len >= 2 && s[0] == '"' && s[len - 1] == '"') {
		s++;
		len -= 2;
	}
	if (len == 0)
		return NULL;
	return xstrndup(s, len);
}

/* The fields a "~c" selects, or 0 if c is not a known pattern. */
static unsigned
ui_pattern_fields(char c, bool *body)
{
	*body = false;
	switch (c) {
	case 's':
		return CACHE_MATCH_SUBJECT;
	case 'f':
		return CACHE_MATCH_FROM;
	case 't':
		return CACHE_MATCH_TO;
	case 'b':
	case 'B':
		*body = true;
		return CACHE_MATCH_SUBJECT | CACHE_MATCH_FROM;
	}
	return 0;
}

/* Parse a pattern (see ui_pattern.h). */
int
ui_pattern_parse(const char *s, struct ui_pattern *p, const char **why)
{
	size_t	len;

	memset(p, 0, sizeof *p);
	*why = NULL;
	while (ui_pattern_blank(*s))
		s++;
	len = strlen(s);
	while (len > 0 && ui_pattern_blank(s[len - 1]))
		len--;
	if (len > UI_PATTERN_MAX) {
		*why = N_("the pattern is too long");
		return -1;
	}
	if (len == 0 || (len == 3 && strncmp(s, "all", 3) == 0)) {
		p->all = true;
		return 0;
	}
	if (s[0] != '~') {
		p->fields = CACHE_MATCH_SUBJECT | CACHE_MATCH_FROM;
		p->text = ui_pattern_text(s, len);
		return 0;
	}
	if (len < 2 || (p->fields = ui_pattern_fields(s[1], &p->body)) == 0) {
		*why = N_("unknown pattern: use ~s, ~f, ~t, ~b TEXT or TEXT");
		goto fail;
	}
	if (len > 2 && !ui_pattern_blank(s[2])) {
		*why = N_("a blank must follow ~s, ~f, ~t or ~b");
		goto fail;
	}
	if ((p->text = ui_pattern_text(s + 2, len - 2)) == NULL) {
		*why = N_("the pattern needs a text to look for");
		goto fail;
	}
	return 0;
fail:
	memset(p, 0, sizeof *p);
	return -1;
}

/* Free a pattern's text. */
void
ui_pattern_fini(struct ui_pattern *p)
{
	free(p->text);
	memset(p, 0, sizeof *p);
}

/* Set the query's limit fields from the pattern. */
void
ui_pattern_query(const struct ui_pattern *p, struct cache_query *q)
{
	if (p == NULL || p->all || p->text == NULL) {
		q->match_fields = 0;
		q->match_text = NULL;
		return;
	}
	q->match_fields = p->fields;
	q->match_text = p->text;
}

/* Case-insensitive (ASCII) substring test; "" is in everything. */
bool
ui_pattern_contains(const char *hay, const char *needle)
{
	size_t	i, j, hn, nn;

	if (needle == NULL || *needle == '\0')
		return true;
	if (hay == NULL)
		return false;
	hn = strlen(hay);
	nn = strlen(needle);
	for (i = 0; i + nn <= hn; i++) {
		for (j = 0; j < nn; j++) {
			if (ui_pattern_lower((unsigned char)hay[i + j]) !=
			    ui_pattern_lower((unsigned char)needle[j]))
				break;
		}
		if (j == nn)
			return true;
	}
	return false;
}
