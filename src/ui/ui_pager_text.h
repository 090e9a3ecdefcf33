/*
 * ui_pager_text.h - the pager's pure text work: format=flowed, quote
 * levels, tabs, URLs and search.
 *
 * Pure functions (no curses, no I/O, no globals) over UTF-8 text whose
 * lines end in LF, so each is unit-tested and fuzzed alone.  Inputs are
 * untrusted message text: every loop is bounded by the input length and
 * every output by its buffer's maximum.  Nothing here sanitises: the pager
 * runs util/sanitize.h over a body before (or, for flowed text, right
 * after) these.
 */
#ifndef PETREL_UI_PAGER_TEXT_H
#define PETREL_UI_PAGER_TEXT_H

#include <stdbool.h>
#include <stddef.h>

#include "util/buf.h"

/* Most URLs the URL list collects from one message. */
#define UI_PAGER_URLS_MAX	1000
/* Longest URL kept (a longer one is cut there). */
#define UI_PAGER_URL_LEN_MAX	4096

/*
 * Undo format=flowed (RFC 3676 section 4.1): quote depth from the leading
 * '>' run (4.5), one leading space removed (space-stuffing, 4.4), a line
 * ending in a space joined with the next line of the same depth (with
 * delsp, DelSp=yes, that space is deleted first), "-- " kept as a fixed
 * line and never joined to (4.3), a flowed line before a change of depth
 * or the end taken as fixed (4.5).  Each paragraph comes out as one
 * line, quoted ones as ">>> text" (depth marks, one space).  Appends to
 * out; -1 if out became too big (what fitted is kept).
 */
int	 ui_pager_flowed(const char *s, size_t len, bool delsp,
	     struct buf *out);

/*
 * The quote level of a line (up to '\n' or len): the number of '>' in its
 * leading run of '>' and blanks (so "> > x" and ">> x" are both 2), capped
 * at 255.  *prefix (may be NULL) gets the bytes of that run.  A line that
 * does not start with '>' is level 0.
 */
int	 ui_pager_quote_level(const char *s, size_t len, size_t *prefix);

/*
 * Append (s, len) to out with each tab replaced by the spaces up to the
 * next multiple of UI_TEXT_TAB columns of its line (wcwidth columns, as
 * ui_text.h counts them).  -1 if out became too big.
 */
int	 ui_pager_expand_tabs(const char *s, size_t len, struct buf *out);

/* A URL found in a text: a slice of it. */
struct ui_pager_url {
	size_t	 off;
	size_t	 len;
};

/*
 * Find the URLs in (s, len): http://, https://, ftp://, mailto: and
 * www. (any case), starting at a word boundary, running to a blank, a
 * control or non-ASCII byte or one of <>"`{}|\^, without trailing . , ;
 * : ! ? ' and without a closing ) or ] that has no partner inside.  Each
 * distinct URL once, in order of first appearance; at most max (and
 * UI_PAGER_URLS_MAX).  Returns how many were stored.
 */
size_t	 ui_pager_urls(const char *s, size_t len, struct ui_pager_url *out,
	     size_t max);

/*
 * Find needle (a C string, not empty) in (hay, len) at or after from:
 * ASCII letters compare case-insensitively unless needle has an upper
 * case ASCII letter (smart case).  Returns true and sets *at when found.
 */
bool	 ui_pager_find(const char *hay, size_t len, size_t from,
	     const char *needle, size_t *at);

#endif
