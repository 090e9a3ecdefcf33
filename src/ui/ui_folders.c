/*
 * ui_folders.c - the folder pane: account headings and their folders.
 *
 * The rows are re-read from the cache (cache_folder_list, with counts)
 * whenever a worker says folders or messages changed.  Folder names come
 * from servers: they are sanitised once, when the rows are loaded.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ui/ui_i18n.h"
#include "ui/ui_internal.h"
#include "util/sanitize.h"
#include "util/xmalloc.h"

/* Append one row to a growing array. */
static struct ui_folder_row *
ui_folders_push(struct ui_folder_row **rows, size_t *n, size_t *alloc)
{
	if (*n == *alloc) {
		*alloc = *alloc == 0 ? 16 : *alloc * 2;
		*rows = xreallocarray(*rows, *alloc, sizeof **rows);
	}
	memset(&(*rows)[*n], 0, sizeof **rows);
	return &(*rows)[(*n)++];
}

/* Free the rows. */
void
ui_folders_free(struct ui_folders *fp)
{
	size_t	i;

	for (i = 0; i < fp->nrows; i++) {
		cache_folder_fini(&fp->rows[i].folder);
		free(fp->rows[i].label);
	}
	free(fp->rows);
	fp->rows = NULL;
	fp->nrows = 0;
}

/* Add one account's heading and folders to the rows. */
static void
ui_folders_load_account(struct ui *ui, size_t i, struct ui_folder_row **rows,
    size_t *n, size_t *alloc)
{
	struct ui_account	*a = &ui->accounts[i];
	struct ui_folder_row	*r;
	struct cache_folder	*list = NULL;
	struct error		 err;
	size_t			 nf = 0, j;

	r = ui_folders_push(rows, n, alloc);
	r->account = i;
	r->heading = true;
	r->label = sanitize_line_dup(a->cfg->name);
	if (a->cache_id < 0 &&
	    cache_account_id(ui->cache, a->cfg->name, &a->cache_id,
	    &err) != 0) {
		a->cache_id = -1;
		ui_status_set_message(ui, true, err.msg);
		return;
	}
	if (cache_folder_list(ui->cache, a->cache_id, &list, &nf, &err) != 0) {
		ui_status_set_message(ui, true, err.msg);
		return;
	}
	for (j = 0; j < nf; j++) {
		r = ui_folders_push(rows, n, alloc);
		r->account = i;
		r->folder = list[j];	/* the strings move to the row */
		r->label = sanitize_line_dup(list[j].name != NULL ?
		    list[j].name : list[j].remote_name != NULL ?
		    list[j].remote_name : "");
	}
	free(list);
}

/* Re-read every account's folders, keeping the cursor on its folder. */
void
ui_folders_reload(struct ui *ui)
{
	struct ui_folders	*fp = &ui->folders;
	struct ui_folder_row	*rows = NULL;
	size_t			 n = 0, alloc = 0, i;
	int64_t			 keep = -1;

	if (fp->sc.cursor < (int64_t)fp->nrows)
		keep = fp->rows[fp->sc.cursor].folder.id;
	for (i = 0; i < ui->naccounts; i++)
		ui_folders_load_account(ui, i, &rows, &n, &alloc);
	/* Messages not sent yet: a row of their own, last. */
	if (ui->outbox.n > 0) {
		struct ui_folder_row	*r = ui_folders_push(&rows, &n, &alloc);

		r->outbox = true;
		r->label = xstrdup(_("Outbox (not sent)"));
	}
	ui_folders_free(fp);
	fp->rows = rows;
	fp->nrows = n;
	fp->sc.count = (int64_t)n;
	for (i = 0; i < n; i++) {
		if (!rows[i].heading && rows[i].folder.id == keep)
			fp->sc.cursor = (int64_t)i;
	}
	ui_scroll_fix(&fp->sc);
	if (fp->nrows > 0 && fp->rows[fp->sc.cursor].heading)
		ui_folders_move(ui, 1);
}

/* The row under the cursor, or NULL. */
const struct ui_folder_row *
ui_folders_current(const struct ui *ui)
{
	const struct ui_folders	*fp = &ui->folders;

	if (fp->nrows == 0 || fp->sc.cursor >= (int64_t)fp->nrows)
		return NULL;
	return &fp->rows[fp->sc.cursor];
}

/* Move the cursor by delta folders, stepping over headings. */
void
ui_folders_move(struct ui *ui, int64_t delta)
{
	struct ui_folders	*fp = &ui->folders;
	int64_t			 i, step = delta < 0 ? -1 : 1;

	if (fp->nrows == 0)
		return;
	i = fp->sc.cursor + delta;
	if (i < 0)
		i = 0;
	if (i >= (int64_t)fp->nrows)
		i = (int64_t)fp->nrows - 1;
	while (i >= 0 && i < (int64_t)fp->nrows && fp->rows[i].heading)
		i += step;
	if (i < 0 || i >= (int64_t)fp->nrows)
		return;
	fp->sc.cursor = i;
	/* Keep an account's heading in view above its first folder. */
	if (i > 0 && fp->rows[i - 1].heading && fp->sc.top == i)
		fp->sc.top = i - 1;
	ui_scroll_fix(&fp->sc);
}

/* Cursor to the first folder. */
void
ui_folders_first(struct ui *ui)
{
	ui->folders.sc.cursor = 0;
	ui->folders.sc.top = 0;
	ui_folders_move(ui, 1);
	ui_folders_move(ui, -1);
}

/* Cursor to the last folder. */
void
ui_folders_last(struct ui *ui)
{
	ui->folders.sc.cursor = (int64_t)ui->folders.nrows - 1;
	ui_folders_move(ui, -1);
	ui_folders_move(ui, 1);
}

/* Put the cursor on the open folder. */
void
ui_folders_select_open(struct ui *ui)
{
	struct ui_folders	*fp = &ui->folders;
	size_t			 i;

	for (i = 0; i < fp->nrows; i++) {
		if (!fp->rows[i].heading &&
		    fp->rows[i].folder.id == ui->index.folder_id) {
			fp->sc.cursor = (int64_t)i;
			ui_folders_move(ui, 0);
			return;
		}
	}
}

/* Open an account's INBOX, else its first selectable folder. */
bool
ui_folders_open_default(struct ui *ui, size_t account)
{
	struct ui_folders	*fp = &ui->folders;
	struct ui_folder_row	*r, *pick = NULL;
	size_t			 i;

	for (i = 0; i < fp->nrows; i++) {
		r = &fp->rows[i];
		if (r->heading || r->outbox || r->account != account ||
		    (r->folder.attrs & CACHE_FOLDER_NOSELECT))
			continue;
		if (r->folder.remote_name != NULL &&
		    strcasecmp(r->folder.remote_name, "INBOX") == 0) {
			pick = r;
			break;
		}
		if (pick == NULL)
			pick = r;
	}
	if (pick == NULL)
		return false;
	ui_index_open(ui, account, &pick->folder);
	ui_folders_select_open(ui);
	return true;
}

/* Draw one folder row. */
static void
ui_folders_draw_row(struct ui *ui, int y, const struct ui_folder_row *r,
    bool cursor)
{
	attr_t	 attr = A_NORMAL;
	char	 count[32] = "";
	int	 w = ui->pane_width, cw = 0;

	if (r->heading) {
		ui_draw_str(y, 0, w, r->label,
		    A_BOLD | ui_color(ui, UI_PAIR_HEADING));
		return;
	}
	if (r->folder.id == ui->index.folder_id)
		attr |= A_BOLD;
	if (r->folder.attrs & CACHE_FOLDER_NOSELECT)
		attr |= A_DIM;
	if (cursor)
		attr |= A_REVERSE;
	if (r->outbox)
		snprintf(count, sizeof count, " %zu", ui->outbox.n);
	else if (r->folder.unread > 0) {
		snprintf(count, sizeof count, " %" PRId64, r->folder.unread);
		cw = (int)strlen(count);
		if (cw > w / 2)
			cw = 0;
	}
	ui_draw_fill(y, 0, 1, attr);
	ui_draw_str(y, 1, w - 1 - cw, r->label, attr);
	if (cw > 0)
		ui_draw_right(y, w - cw, cw, count, attr);
}

/* Draw the folder pane in columns [0, pane_width). */
void
ui_folders_draw(struct ui *ui)
{
	struct ui_folders	*fp = &ui->folders;
	int			 y;
	int64_t			 i;
	bool			 focus = ui->focus == UI_FOCUS_FOLDERS;

	if (ui->pane_width <= 0)
		return;
	ui_scroll_resize(&fp->sc, ui->main_height);
	for (y = 0; y < ui->main_height; y++) {
		i = fp->sc.top + y;
		if (i >= (int64_t)fp->nrows)
			break;
		ui_folders_draw_row(ui, y, &fp->rows[i],
		    focus && i == fp->sc.cursor);
	}
	if (fp->nrows == 0)
		ui_draw_str(0, 0, ui->pane_width, _("(no folders yet)"),
		    A_DIM);
}
