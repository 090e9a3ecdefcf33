/*
 * ui_index.c - the message list: one line a message, in the chosen order.
 *
 * Only the screenful on display is in memory: the rows are read with
 * cache_query_page from the top of the window (or, in thread mode and with
 * a ~b limit, by id from ui_view.c's id list), so a folder of a million
 * messages costs what one screen costs.  The cursor is a position in the
 * list; when rows change it stays on the same message (and when the
 * window showed the end of the list, new mail scrolls into view), and
 * until the reader moves it, it sits on the newest message and follows
 * new mail in.
 * Everything drawn from a message is sanitised first.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ui/ui_date.h"
#include "ui/ui_i18n.h"
#include "ui/ui_internal.h"
#include "ui/ui_pager_addr.h"
#include "ui/ui_tree.h"
#include "util/sanitize.h"
#include "util/xmalloc.h"

#define UI_INDEX_FLAGS_W	5
#define UI_INDEX_DATE_W		10

/* Drop the rows read for the window. */
static void
ui_index_drop_rows(struct ui_index *ix)
{
	cache_msg_list_free(ix->rows, ix->nrows);
	ix->rows = NULL;
	ix->nrows = 0;
	ix->rows_valid = false;
}

/* The rows must be read again before the next draw. */
void
ui_index_invalidate(struct ui_index *ix)
{
	ui_index_drop_rows(ix);
}

/* Close the open folder (the sort and thread mode stay for the next). */
void
ui_index_close(struct ui_index *ix)
{
	ui_index_drop_rows(ix);
	ui_view_fini(ix);
	free(ix->folder_name);
	ix->folder_name = NULL;
	ix->folder_id = 0;
	ix->total = ix->unread = 0;
	ix->moved = false;
	memset(&ix->sc, 0, sizeof ix->sc);
}

/* Open a folder with the cursor on its newest message; watch it. */
void
ui_index_open(struct ui *ui, size_t account, const struct cache_folder *f)
{
	struct ui_index	*ix = &ui->index;

	ui_index_close(ix);
	ix->account = account;
	ix->folder_id = f->id;
	ix->role = f->role;
	ix->folder_name = sanitize_line_dup(f->name != NULL ? f->name :
	    f->remote_name != NULL ? f->remote_name : "");
	ix->sc.height = ui->main_height;
	ui->tag_prefix = false;
	ui_index_refresh(ui);
	ui_submit(ui, account, WORKER_WATCH_FOLDER, f->id, 0, 0);
}

/* The query for the list: folder and order, with the limit if asked. */
void
ui_index_query(const struct ui_index *ix, struct cache_query *q,
    bool limited)
{
	memset(q, 0, sizeof *q);
	q->folder_id = ix->folder_id;
	q->sort = ix->sort;
	q->reverse = ix->reverse;
	if (limited)
		ui_pattern_query(&ix->limit, q);
}

/* The id of the message under the cursor, or 0. */
static int64_t
ui_index_current_id(struct ui *ui)
{
	const struct cache_msg	*m = ui_index_current(ui);

	return m != NULL ? m->id : 0;
}

/* Where msg_id is in the list now, or -1. */
static int64_t
ui_index_find(struct ui *ui, int64_t msg_id)
{
	struct ui_index		*ix = &ui->index;
	struct cache_query	 q;
	struct error		 err;
	int64_t			 pos;
	size_t			 i;

	if (ix->by_id) {
		for (i = 0; i < ix->list.n; i++) {
			if (ix->list.ids[i] == msg_id)
				return (int64_t)i;
		}
		return -1;
	}
	ui_index_query(ix, &q, true);
	if (cache_query_position(ui->cache, &q, msg_id, &pos, &err) != 0)
		return -1;
	return pos;
}

/* Re-count the folder and the list, keeping the cursor's message. */
void
ui_index_refresh(struct ui *ui)
{
	struct ui_index	*ix = &ui->index;
	struct error	 err;
	int64_t		 total = 0, unread = 0;

	if (ix->folder_id == 0)
		return;
	if (cache_msg_count(ui->cache, ix->folder_id, &total, &unread,
	    &err) != 0) {
		ui_status_set_message(ui, true, err.msg);
		return;
	}
	ix->total = total;
	ix->unread = unread;
	ui_index_relist(ui);
}

/*
 * Re-make the list (a new order or limit) from the counts already known,
 * keeping the cursor's message: a limit changes what is listed, not the
 * folder, so the folder's counts are not read again.
 */
void
ui_index_relist(struct ui *ui)
{
	struct ui_index	*ix = &ui->index;
	int64_t		 keep = 0, pos;
	bool		 at_end;

	if (ix->folder_id == 0)
		return;
	at_end = ix->sc.top + ix->sc.height >= ix->sc.count;
	if (ix->moved)
		keep = ui_index_current_id(ui);
	ui_view_rebuild(ui);
	if (!ix->moved)
		ix->sc.cursor = ix->reverse ? 0 : ix->sc.count - 1;
	else if (keep != 0 && (pos = ui_index_find(ui, keep)) >= 0)
		ix->sc.cursor = pos;
	ui_scroll_fix(&ix->sc);
	/* The cursor stays, but new mail below it comes into view. */
	if (at_end && !ix->reverse) {
		ix->sc.top = ix->sc.count - ix->sc.height;
		if (ix->sc.top > ix->sc.cursor)
			ix->sc.top = ix->sc.cursor;
		ui_scroll_fix(&ix->sc);
	}
	ui_index_drop_rows(ix);
}

/* Read the window's rows by id (id mode); a vanished one stays blank. */
static void
ui_index_load_ids(struct ui *ui, size_t want)
{
	struct ui_index	*ix = &ui->index;
	struct error	 err;
	size_t		 i, start = (size_t)ix->sc.top;

	if (start >= ix->list.n)
		return;
	if (want > ix->list.n - start)
		want = ix->list.n - start;
	ix->rows = xcalloc(want > 0 ? want : 1, sizeof *ix->rows);
	for (i = 0; i < want; i++) {
		if (cache_msg_get(ui->cache, ix->list.ids[start + i],
		    &ix->rows[i], &err) < 0)
			ui_status_set_message(ui, true, err.msg);
		ix->rows[i].id = ix->list.ids[start + i];
	}
	ix->nrows = want;
}

/* Make sure the rows of the window are read. */
static void
ui_index_load(struct ui *ui)
{
	struct ui_index		*ix = &ui->index;
	struct cache_query	 q;
	struct error		 err;
	size_t			 want;

	if (ix->folder_id == 0)
		return;
	want = (size_t)ix->sc.height;
	if (ix->rows_valid && ix->rows_top == ix->sc.top &&
	    (ix->nrows >= want || ix->rows_top + (int64_t)ix->nrows >=
	    ix->sc.count))
		return;
	ui_index_drop_rows(ix);
	if (ix->by_id)
		ui_index_load_ids(ui, want);
	else {
		ui_index_query(ix, &q, true);
		q.count = ix->sc.count;
		if (cache_query_page(ui->cache, &q, ix->sc.top, want,
		    &ix->rows, &ix->nrows, &err) != 0) {
			ix->rows = NULL;
			ix->nrows = 0;
			ui_status_set_message(ui, true, err.msg);
		}
	}
	ix->rows_top = ix->sc.top;
	ix->rows_valid = true;
}

/* The message under the cursor, or NULL (also for a vanished row). */
const struct cache_msg *
ui_index_current(struct ui *ui)
{
	struct ui_index	*ix = &ui->index;
	int64_t		 i;

	ui_index_load(ui);
	i = ix->sc.cursor - ix->rows_top;
	if (ix->folder_id == 0 || i < 0 || i >= (int64_t)ix->nrows ||
	    ix->rows[i].folder_id == 0)
		return NULL;
	return &ix->rows[i];
}

/* The flags column: * tagged, N unread, ! flagged, r answered, D deleted. */
static void
ui_index_flags(const struct ui_index *ix, const struct cache_msg *m,
    char out[UI_INDEX_FLAGS_W + 1])
{
	out[0] = ui_idset_has(&ix->tags, m->id) ? '*' : ' ';
	out[1] = (m->flags & CACHE_FLAG_SEEN) ? ' ' : 'N';
	out[2] = (m->flags & CACHE_FLAG_FLAGGED) ? '!' : ' ';
	out[3] = (m->flags & CACHE_FLAG_ANSWERED) ? 'r' : ' ';
	out[4] = (m->flags & CACHE_FLAG_DELETED) ? 'D' : ' ';
	out[5] = '\0';
}

/* Draw s in the next field of at most field columns, padding it. */
static void
ui_index_field(int y, int *x, int *w, int field, const char *s, attr_t attr)
{
	int	n = *w < field ? *w : field;

	if (n <= 0)
		return;
	ui_draw_str(y, *x, n, s, attr);
	*x += n;
	*w -= n;
}

/* The subject column: tree prefix, hidden-replies count, subject. */
static char *
ui_index_subject(struct ui *ui, size_t row, const struct cache_msg *m)
{
	struct ui_index	*ix = &ui->index;
	char		 prefix[UI_TREE_PREFIX_MAX], count[32] = "";
	char		*subject, *s;

	prefix[0] = '\0';
	if (ix->by_id && ix->list.depth != NULL && row < ix->list.n) {
		ui_view_tree_prefix(ui, row, prefix, sizeof prefix);
		if (ix->list.hidden[row] > 0)
			snprintf(count, sizeof count, "(+%u) ",
			    (unsigned)ix->list.hidden[row]);
	}
	subject = sanitize_line_dup(m->subject != NULL ? m->subject : "");
	s = xasprintf("%s%s%s", prefix, count, subject);
	free(subject);
	return s;
}

/* Draw one message line at row y: flags, date, from, subject. */
static void
ui_index_draw_row(struct ui *ui, int y, size_t row,
    const struct cache_msg *m, attr_t attr, time_t now)
{
	char	 flags[UI_INDEX_FLAGS_W + 1], date[UI_DATE_MAX];
	char	*from, *subject, *raw;
	int	 x = ui->list_x, w = ui->cols - ui->list_x, fw;

	if (m->folder_id == 0) {
		ui_draw_str(y, x, w, _("     (gone)"), attr | A_DIM);
		return;
	}
	ui_index_flags(&ui->index, m, flags);
	ui_date_format(m->date, now, date, sizeof date);
	/* A name holding another address shows both, marked. */
	raw = ui_pager_addr_from(m->from_name, m->from_addr);
	from = sanitize_line_dup(raw);
	free(raw);
	subject = ui_index_subject(ui, row, m);
	if (!(m->flags & CACHE_FLAG_SEEN))
		attr |= A_BOLD;

	fw = w >= 100 ? 24 : w >= 60 ? 18 : (w - 16) / 3;
	if (fw < 4)
		fw = 4;
	ui_index_field(y, &x, &w, UI_INDEX_FLAGS_W + 1, flags, attr);
	ui_index_field(y, &x, &w, UI_INDEX_DATE_W + 1, date, attr);
	ui_index_field(y, &x, &w, fw, from, attr);
	ui_index_field(y, &x, &w, 1, "", attr);
	ui_index_field(y, &x, &w, w, subject, attr);
	free(from);
	free(subject);
}

/* Draw the message list right of the folder pane. */
void
ui_index_draw(struct ui *ui)
{
	struct ui_index	*ix = &ui->index;
	int		 y, w = ui->cols - ui->list_x;
	int64_t		 i;
	attr_t		 attr;
	time_t		 now = time(NULL);

	if (w <= 0)
		return;
	if (ix->folder_id == 0) {
		ui_draw_str(0, ui->list_x, w, _("(no folder open)"), A_DIM);
		return;
	}
	ui_scroll_resize(&ix->sc, ui->main_height);
	ui_index_load(ui);
	if (ix->sc.count == 0)
		ui_draw_str(0, ui->list_x, w, ix->total == 0 ?
		    _("(no messages)") : _("(no messages match the limit)"),
		    A_DIM);
	for (y = 0; y < ui->main_height; y++) {
		i = ix->sc.top + y - ix->rows_top;
		if (i < 0 || i >= (int64_t)ix->nrows)
			break;
		attr = A_NORMAL;
		if (ix->sc.top + y == ix->sc.cursor)
			attr = ui->focus == UI_FOCUS_LIST ? A_REVERSE :
			    A_UNDERLINE;
		ui_index_draw_row(ui, y, (size_t)(ix->sc.top + y),
		    &ix->rows[i], attr, now);
	}
}
