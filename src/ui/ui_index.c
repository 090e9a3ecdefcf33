/*
 * ui_index.c - the message list: one line a message, date ascending.
 *
 * Only the screenful on display is in memory: the rows are read with
 * cache_msg_page from the top of the window, so a folder of a million
 * messages costs what one screen costs.  The cursor is a position in the
 * folder's display order; when it is on the last message it follows new
 * mail in.  Everything drawn from a message is sanitised first.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ui/ui_date.h"
#include "ui/ui_i18n.h"
#include "ui/ui_internal.h"
#include "util/sanitize.h"
#include "util/xmalloc.h"

#define UI_INDEX_FLAGS_W	4
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

/* Close the open folder. */
void
ui_index_close(struct ui_index *ix)
{
	ui_index_drop_rows(ix);
	free(ix->folder_name);
	ix->folder_name = NULL;
	ix->folder_id = 0;
	ix->total = ix->unread = 0;
	memset(&ix->sc, 0, sizeof ix->sc);
}

/* Open a folder with the cursor on its newest (last) message. */
void
ui_index_open(struct ui *ui, size_t account, const struct cache_folder *f)
{
	struct ui_index	*ix = &ui->index;

	ui_index_close(ix);
	ix->account = account;
	ix->folder_id = f->id;
	ix->folder_name = sanitize_line_dup(f->name != NULL ? f->name :
	    f->remote_name != NULL ? f->remote_name : "");
	ix->sc.height = ui->main_height;
	ui_index_refresh(ui);
}

/* Re-count the folder (its messages changed) and re-read the window. */
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
	ui_scroll_set_count(&ix->sc, total, true);
	ix->rows_valid = false;
}

/* Make sure the rows of the window are read. */
static void
ui_index_load(struct ui *ui)
{
	struct ui_index	*ix = &ui->index;
	struct error	 err;
	size_t		 want;

	if (ix->folder_id == 0)
		return;
	want = (size_t)ix->sc.height;
	if (ix->rows_valid && ix->rows_top == ix->sc.top &&
	    (ix->nrows >= want || ix->rows_top + (int64_t)ix->nrows >=
	    ix->total))
		return;
	ui_index_drop_rows(ix);
	if (cache_msg_page(ui->cache, ix->folder_id, ix->sc.top, want,
	    &ix->rows, &ix->nrows, &err) != 0) {
		ix->rows = NULL;
		ix->nrows = 0;
		ui_status_set_message(ui, true, err.msg);
	}
	ix->rows_top = ix->sc.top;
	ix->rows_valid = true;
}

/* The message under the cursor, or NULL. */
const struct cache_msg *
ui_index_current(struct ui *ui)
{
	struct ui_index	*ix = &ui->index;
	int64_t		 i;

	ui_index_load(ui);
	i = ix->sc.cursor - ix->rows_top;
	if (ix->folder_id == 0 || i < 0 || i >= (int64_t)ix->nrows)
		return NULL;
	return &ix->rows[i];
}

/* The flags column: N unread, ! flagged, r answered, D deleted. */
static void
ui_index_flags(const struct cache_msg *m, char out[UI_INDEX_FLAGS_W + 1])
{
	out[0] = (m->flags & CACHE_FLAG_SEEN) ? ' ' : 'N';
	out[1] = (m->flags & CACHE_FLAG_FLAGGED) ? '!' : ' ';
	out[2] = (m->flags & CACHE_FLAG_ANSWERED) ? 'r' : ' ';
	out[3] = (m->flags & CACHE_FLAG_DELETED) ? 'D' : ' ';
	out[4] = '\0';
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

/* Draw one message line at row y: flags, date, from, subject. */
static void
ui_index_draw_row(struct ui *ui, int y, const struct cache_msg *m,
    attr_t attr, time_t now)
{
	char	 flags[UI_INDEX_FLAGS_W + 1], date[UI_DATE_MAX];
	char	*from, *subject;
	int	 x = ui->list_x, w = ui->cols - ui->list_x, fw;

	ui_index_flags(m, flags);
	ui_date_format(m->date, now, date, sizeof date);
	from = sanitize_line_dup(m->from_name != NULL && *m->from_name != '\0' ?
	    m->from_name : m->from_addr != NULL ? m->from_addr : "");
	subject = sanitize_line_dup(m->subject != NULL ? m->subject : "");
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
	if (ix->total == 0)
		ui_draw_str(0, ui->list_x, w, _("(no messages)"), A_DIM);
	for (y = 0; y < ui->main_height; y++) {
		i = ix->sc.top + y - ix->rows_top;
		if (i < 0 || i >= (int64_t)ix->nrows)
			break;
		attr = A_NORMAL;
		if (ix->sc.top + y == ix->sc.cursor)
			attr = ui->focus == UI_FOCUS_LIST ? A_REVERSE :
			    A_UNDERLINE;
		ui_index_draw_row(ui, y, &ix->rows[i], attr, now);
	}
}
