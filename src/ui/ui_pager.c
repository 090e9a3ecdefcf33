/*
 * ui_pager.c - one message, full width: decoded headers then the text.
 *
 * The text comes from the cached raw message through mime_text_extract and
 * is sanitised once (keeping newlines and tabs) into one buffer; wrapped
 * lines are slices of it, re-computed when the width changes.  A message
 * whose body is not cached shows "Loading message..." while its worker
 * fetches it.  Opening an unread message marks it \Seen (a queued
 * operation, like every other change), except on a read-only account,
 * where nothing may change.  J and K step through the list's order.
 */
#include <stdlib.h>
#include <string.h>

#include "mime/mime.h"
#include "ui/ui_i18n.h"
#include "ui/ui_internal.h"
#include "ui/ui_text.h"
#include "util/sanitize.h"
#include "util/xmalloc.h"

/* The sanitised text may grow a little past the decoded body's maximum. */
#define UI_PAGER_MAX	(MIME_BODY_MAX + 8 * MIME_HEADER_MAX)

/* Forget the message shown. */
void
ui_pager_close(struct ui_pager *p)
{
	buf_fini(&p->text);
	free(p->lines);
	memset(p, 0, sizeof *p);
}

/* Append "Label: value\n" if the header is present. */
static void
ui_pager_header(struct buf *b, const char *label, const char *value)
{
	if (value == NULL)
		return;
	buf_adds(b, label);
	sanitize_append(b, value, strlen(value), 0);
	buf_addc(b, '\n');
}

/* Make the pager text from a raw message. */
static void
ui_pager_build(struct ui_pager *p, const char *raw, size_t len)
{
	struct mime_text	mt;

	memset(&mt, 0, sizeof mt);
	mime_text_extract(raw, len, &mt);
	buf_reset(&p->text);
	ui_pager_header(&p->text, _("From: "), mt.from);
	ui_pager_header(&p->text, _("To: "), mt.to);
	ui_pager_header(&p->text, _("Cc: "), mt.cc);
	ui_pager_header(&p->text, _("Date: "), mt.date);
	ui_pager_header(&p->text, _("Subject: "), mt.subject);
	p->header_len = p->text.len;
	buf_addc(&p->text, '\n');
	if (mt.body != NULL)
		sanitize_append(&p->text, mt.body, mt.body_len,
		    SANITIZE_KEEP_NEWLINE | SANITIZE_KEEP_TAB);
	if (p->text.too_big) {
		p->text.too_big = false;
		buf_adds(&p->text, _("\n[message truncated]\n"));
	}
	mime_text_fini(&mt);
	p->wrap_width = 0;
}

/* Read the body from the cache, or ask the worker for it. */
static void
ui_pager_load(struct ui *ui)
{
	struct ui_pager	*p = &ui->pager;
	struct error	 err;
	char		*raw = NULL;
	size_t		 len = 0;
	int		 r;

	r = cache_body_get(ui->cache, p->msg_id, &raw, &len, &err);
	if (r == 0) {
		p->loading = false;
		ui_pager_build(p, raw, len);
		free(raw);
		return;
	}
	buf_reset(&p->text);
	p->header_len = 0;
	p->wrap_width = 0;
	if (r < 0) {
		buf_adds(&p->text, _("This message cannot be read."));
		ui_status_set_message(ui, true, err.msg);
		return;
	}
	buf_adds(&p->text, _("Loading message..."));
	if (!p->loading) {
		p->loading = true;
		ui_submit(ui, ui->index.account, WORKER_FETCH_BODY,
		    p->folder_id, p->msg_id, 0);
	}
}

/* Set \Seen: in the cache at once, queued for the server (ui_ops.c). */
static void
ui_pager_mark_seen(struct ui *ui, const struct cache_msg *m)
{
	size_t	account = ui->index.account;

	if ((m->flags & CACHE_FLAG_SEEN) || account >= ui->naccounts ||
	    ui->accounts[account].cfg->read_only || m->remote_id == NULL)
		return;
	ui_ops_mark_seen(ui, m);
}

/* Show message m (row pos of the list) in the pager. */
void
ui_pager_open(struct ui *ui, const struct cache_msg *m, int64_t pos)
{
	struct ui_pager	*p = &ui->pager;

	ui_pager_close(p);
	buf_init(&p->text, UI_PAGER_MAX);
	p->msg_id = m->id;
	p->folder_id = m->folder_id;
	p->position = pos;
	ui_pager_mark_seen(ui, m);
	ui_pager_load(ui);
	ui->mode = UI_MODE_PAGER;
}

/* A worker stored a body: redraw if it is the one being waited for. */
void
ui_pager_body_ready(struct ui *ui, int64_t msg_id)
{
	struct ui_pager	*p = &ui->pager;

	if (ui->mode == UI_MODE_PAGER && p->loading && p->msg_id == msg_id)
		ui_pager_load(ui);
}

/* Split the text into lines of at most width columns. */
static void
ui_pager_wrap(struct ui_pager *p, int width)
{
	const char	*s = buf_str(&p->text);
	size_t		 off = 0, adv, ll;

	if (width == p->wrap_width)
		return;
	p->nlines = 0;
	while (off < p->text.len) {
		adv = ui_text_wrap(s + off, p->text.len - off, width, &ll);
		if (p->nlines == p->alines) {
			p->alines = p->alines == 0 ? 256 : p->alines * 2;
			p->lines = xreallocarray(p->lines, p->alines,
			    sizeof *p->lines);
		}
		p->lines[p->nlines].off = off;
		p->lines[p->nlines].len = ll;
		p->nlines++;
		off += adv;
	}
	p->wrap_width = width;
}

/* Scroll by lines (negative: up). */
void
ui_pager_scroll(struct ui *ui, int64_t lines)
{
	struct ui_pager	*p = &ui->pager;

	ui_pager_wrap(p, ui->cols);
	p->top = ui_scroll_clamp_top(p->top + lines, (int64_t)p->nlines,
	    ui->main_height);
}

/* Scroll by pages. */
void
ui_pager_page(struct ui *ui, int pages)
{
	int	h = ui->main_height > 1 ? ui->main_height - 1 : 1;

	ui_pager_scroll(ui, (int64_t)pages * h);
}

/* Go to the top or the end of the text. */
void
ui_pager_edge(struct ui *ui, bool end)
{
	struct ui_pager	*p = &ui->pager;

	ui_pager_wrap(p, ui->cols);
	p->top = end ? ui_scroll_clamp_top((int64_t)p->nlines,
	    (int64_t)p->nlines, ui->main_height) : 0;
}

/* Draw the visible lines over the full width. */
void
ui_pager_draw(struct ui *ui)
{
	struct ui_pager		*p = &ui->pager;
	const struct ui_line	*l;
	const char		*s = buf_str(&p->text);
	int			 y;
	size_t			 i;
	attr_t			 attr;

	ui_pager_wrap(p, ui->cols);
	p->top = ui_scroll_clamp_top(p->top, (int64_t)p->nlines,
	    ui->main_height);
	for (y = 0; y < ui->main_height; y++) {
		i = (size_t)p->top + (size_t)y;
		if (i >= p->nlines)
			break;
		l = &p->lines[i];
		attr = l->off < p->header_len ? A_BOLD : A_NORMAL;
		ui_draw_text(y, 0, ui->cols, s + l->off, l->len, attr);
	}
}

/* J/K: show the next (delta 1) or previous (-1) message of the list. */
void
ui_pager_step(struct ui *ui, int delta)
{
	struct ui_index		*ix = &ui->index;
	const struct cache_msg	*m;
	int64_t			 before = ix->sc.cursor;

	ix->sc.cursor = ui->pager.position;
	ui_scroll_move(&ix->sc, delta);
	ix->moved = true;
	if (ix->sc.cursor == ui->pager.position) {
		ix->sc.cursor = before;
		ui_scroll_fix(&ix->sc);
		ui_status_set_message(ui, false, delta > 0 ?
		    _("This is the last message.") :
		    _("This is the first message."));
		return;
	}
	if ((m = ui_index_current(ui)) == NULL) {
		ui_status_set_message(ui, false, _("No message here."));
		return;
	}
	ui_pager_open(ui, m, ix->sc.cursor);
}
