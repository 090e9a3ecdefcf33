/*
 * ui_pager_doc.c - a pager document on the screen: wrapping at word
 * boundaries, quote colours, scrolling and search with the match
 * highlighted.
 *
 * A document is one sanitised, tab-expanded text; its wrapped lines are
 * slices of it, made again when the width changes.  A long line breaks
 * after the last blank that fits, a word wider than the screen is cut at
 * a character boundary (ui_text_wrap); a wrapped quoted line repeats its
 * quote marks.  Quote levels 1, 2 and 3 have their own colours, deeper
 * levels take them again.  Search is smart-case (ui_pager_find) and starts
 * at the top line shown, or after the last match; it wraps around to the
 * top with a note on the message line.  UI thread only.
 */
#include <stdlib.h>
#include <string.h>

#include "mime/mime.h"
#include "ui/ui_i18n.h"
#include "ui/ui_internal.h"
#include "ui/ui_pager_text.h"
#include "ui/ui_text.h"
#include "util/sanitize.h"
#include "util/xmalloc.h"

/* The sanitised text may grow a little past the decoded body's maximum. */
#define UI_PAGER_MAX		(MIME_BODY_MAX + 8 * MIME_HEADER_MAX)
/* Most wrapped lines of a document (16 bytes each). */
#define UI_PAGER_LINES_MAX	(4 * 1024 * 1024)

/* An empty document. */
void
ui_pager_doc_init(struct ui_pager_doc *d)
{
	memset(d, 0, sizeof *d);
	buf_init(&d->text, UI_PAGER_MAX);
}

/* Free a document. */
void
ui_pager_doc_fini(struct ui_pager_doc *d)
{
	buf_fini(&d->text);
	free(d->lines);
	free(d->warn);
	memset(d, 0, sizeof *d);
}

/* Empty a document, keeping it ready for new text. */
void
ui_pager_doc_reset(struct ui_pager_doc *d)
{
	buf_reset(&d->text);
	free(d->warn);
	d->warn = NULL;
	d->nwarn = 0;
	d->header_len = 0;
	d->nlines = 0;
	d->wrap_width = 0;
	d->top = 0;
	d->match_len = 0;
}

/* Set the quote colours up, on the heading pair's background. */
void
ui_pager_colors(struct ui *ui)
{
	short	fg, bg;

	if (!ui->colors || pair_content(UI_PAIR_HEADING, &fg, &bg) != OK)
		return;
	init_pair(UI_PAIR_QUOTE1, COLOR_GREEN, bg);
	init_pair(UI_PAIR_QUOTE2, COLOR_YELLOW, bg);
	init_pair(UI_PAIR_QUOTE3, COLOR_MAGENTA, bg);
}

/* What kind of line starts at off. */
static uint8_t
ui_doc_kind(const struct ui_pager_doc *d, size_t off)
{
	size_t	i;

	if (off >= d->header_len)
		return UI_LINE_BODY;
	for (i = 0; i < d->nwarn; i++) {
		if (d->warn[i] == off)
			return UI_LINE_WARN;
	}
	return UI_LINE_HEADER;
}

/* Add one wrapped line. */
static void
ui_doc_push(struct ui_pager_doc *d, const struct ui_line *l)
{
	if (d->nlines == d->alines) {
		d->alines = d->alines == 0 ? 256 : d->alines * 2;
		d->lines = xreallocarray(d->lines, d->alines, sizeof *d->lines);
	}
	d->lines[d->nlines++] = *l;
}

/* Wrap one logical line starting at off; returns where the next starts. */
static size_t
ui_doc_wrap_line(struct ui_pager_doc *d, size_t off, int width)
{
	const char	*s = buf_str(&d->text);
	const char	*nl = memchr(s + off, '\n', d->text.len - off);
	size_t		 len = d->text.len, lo = off, adv, ll, pre = 0;
	size_t		 end = nl != NULL ? (size_t)(nl - s) : len;
	struct ui_line	 l;
	int		 pre_w = 0;

	memset(&l, 0, sizeof l);
	l.kind = ui_doc_kind(d, off);
	if (l.kind == UI_LINE_BODY)
		l.quote = (uint8_t)ui_pager_quote_level(s + off, end - off,
		    &pre);
	if (l.quote > 0) {
		pre_w = ui_text_width(s + off, pre);
		if (pre_w > width / 2 || pre > UINT16_MAX)
			pre = pre_w = 0;	/* too wide to repeat */
	}
	l.pre_off = (uint32_t)off;
	for (;;) {
		adv = ui_text_wrap(s + lo, len - lo, lo == off ? width :
		    width - pre_w, &ll);
		l.off = (uint32_t)lo;
		l.len = (uint32_t)ll;
		l.pre = lo == off ? 0 : (uint16_t)pre;
		ui_doc_push(d, &l);
		lo += adv;
		if (lo > end || lo >= len || d->nlines >= UI_PAGER_LINES_MAX)
			break;
		if (lo == end) {
			lo++;		/* broke at a blank before the '\n' */
			break;
		}
	}
	return lo;
}

/* Split the text into lines of at most width columns. */
static void
ui_doc_wrap(struct ui_pager_doc *d, int width)
{
	size_t	off = 0;

	if (width < 1)
		width = 1;
	if (width == d->wrap_width)
		return;
	d->nlines = 0;
	while (off < d->text.len && d->nlines < UI_PAGER_LINES_MAX)
		off = ui_doc_wrap_line(d, off, width);
	d->wrap_width = width;
}

/* The attribute of a line: headers bold, warnings red, quotes coloured. */
static attr_t
ui_doc_attr(const struct ui *ui, const struct ui_line *l)
{
	static const short	quote[] = { UI_PAIR_QUOTE1, UI_PAIR_QUOTE2,
				    UI_PAIR_QUOTE3 };

	switch (l->kind) {
	case UI_LINE_HEADER:
		return A_BOLD;
	case UI_LINE_WARN:
		return A_BOLD | ui_color(ui, UI_PAIR_ERROR);
	default:
		break;
	}
	if (l->quote == 0)
		return A_NORMAL;
	return ui_color(ui, quote[(l->quote - 1) % 3]);
}

/* Draw one wrapped line at row y, the search match in reverse video. */
static void
ui_doc_draw_line(struct ui *ui, const struct ui_pager_doc *d,
    const struct ui_line *l, int y)
{
	const char	*s = buf_str(&d->text);
	size_t		 a = l->off, b = l->off + l->len, lo, hi;
	size_t		 m0 = d->match_off, m1 = d->match_off + d->match_len;
	attr_t		 attr = ui_doc_attr(ui, l);
	int		 x = 0;

	if (l->pre > 0)
		x = ui_draw_text(y, 0, ui->cols, s + l->pre_off, l->pre, attr);
	if (d->match_len == 0 || m1 <= a || m0 >= b) {
		ui_draw_text(y, x, ui->cols - x, s + a, b - a, attr);
		return;
	}
	lo = m0 > a ? m0 : a;
	hi = m1 < b ? m1 : b;
	x += ui_draw_text(y, x, ui->cols - x, s + a, lo - a, attr);
	x += ui_draw_text(y, x, ui->cols - x, s + lo, hi - lo,
	    attr | A_REVERSE);
	ui_draw_text(y, x, ui->cols - x, s + hi, b - hi, attr);
}

/* Draw a document in rows [y0, y0 + height). */
void
ui_pager_doc_draw(struct ui *ui, struct ui_pager_doc *d, int y0, int height)
{
	size_t	i;
	int	y;

	ui_doc_wrap(d, ui->cols);
	d->top = ui_scroll_clamp_top(d->top, (int64_t)d->nlines, height);
	for (y = 0; y < height; y++) {
		i = (size_t)d->top + (size_t)y;
		if (i >= d->nlines)
			break;
		ui_doc_draw_line(ui, d, &d->lines[i], y0 + y);
	}
}

/* Scroll a document by lines (negative: up). */
void
ui_pager_doc_scroll(struct ui *ui, struct ui_pager_doc *d, int64_t lines,
    int height)
{
	ui_doc_wrap(d, ui->cols);
	d->top = ui_scroll_clamp_top(d->top + lines, (int64_t)d->nlines,
	    height);
}

/* The wrapped line that holds byte off. */
static size_t
ui_doc_line_of(const struct ui_pager_doc *d, size_t off)
{
	size_t	lo = 0, hi = d->nlines, mid;

	while (hi - lo > 1) {
		mid = lo + (hi - lo) / 2;
		if (d->lines[mid].off <= off)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

/* Search (next: after the last match); show the match near the top. */
void
ui_pager_doc_search(struct ui *ui, struct ui_pager_doc *d,
    const char *needle, bool next, int height)
{
	const char	*s = buf_str(&d->text);
	char		*clean = sanitize_line_dup(needle), *msg;
	size_t		 from = 0, at;
	bool		 found;

	ui_doc_wrap(d, ui->cols);
	if (next && d->match_len > 0)
		from = d->match_off + 1;
	else if (d->nlines > 0 && d->top < (int64_t)d->nlines)
		from = d->lines[d->top].off;
	found = ui_pager_find(s, d->text.len, from, clean, &at);
	if (!found && from > 0 && ui_pager_find(s, d->text.len, 0, clean,
	    &at)) {
		found = true;
		ui_status_set_message(ui, false,
		    _("Search wrapped to the top."));
	}
	if (!found) {
		d->match_len = 0;
		msg = xasprintf(_("Not found: %s"), clean);
		ui_status_set_message(ui, false, msg);
		free(msg);
	} else {
		d->match_off = at;
		d->match_len = strlen(clean);
		d->top = ui_scroll_clamp_top((int64_t)ui_doc_line_of(d, at),
		    (int64_t)d->nlines, height);
	}
	free(clean);
}
