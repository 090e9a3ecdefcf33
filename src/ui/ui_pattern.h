/*
 * ui_pattern.h - the mutt-style patterns of limit (l) and tag (T).
 *
 * Pure code.  Understood: "~s TEXT" (subject), "~f TEXT" (from), "~t TEXT"
 * (to), "~b TEXT" or "~B TEXT" (body: a server-side search merged with
 * the local subject/from matches), plain "TEXT" (subject or from), and
 * "" or "all" (every message).  TEXT is the rest of the line, surrounding
 * blanks trimmed and one pair of double quotes removed; it is matched as a
 * case-insensitive substring.  Patterns do not combine.
 */
#ifndef PETREL_UI_PATTERN_H
#define PETREL_UI_PATTERN_H

#include <stdbool.h>
#include <stddef.h>

#include "cache/cache.h"

/* Longest TEXT accepted, in bytes. */
#define UI_PATTERN_MAX	1024

struct ui_pattern {
	bool	 all;		/* "" or "all": no limit */
	bool	 body;		/* ~b: also search bodies on the server */
	unsigned fields;	/* CACHE_MATCH_* for the local part */
	char	*text;		/* owned; NULL when all */
};

/*
 * Parse s into *p (zeroed first).  Returns 0, or -1 with *why set to a
 * static English message (translate it with gettext) and *p empty.
 */
int	 ui_pattern_parse(const char *s, struct ui_pattern *p,
	     const char **why);
void	 ui_pattern_fini(struct ui_pattern *);
/* Fill a query's limit from a parsed pattern (borrows p->text). */
void	 ui_pattern_query(const struct ui_pattern *, struct cache_query *);
/* Does hay contain needle, ASCII letters compared without case? */
bool	 ui_pattern_contains(const char *hay, const char *needle);

#endif
