/*
 * ui_picker.c - the folder picker of s (move), C (copy) and c (change).
 *
 * A list over the main area of the folders that hold messages: those of
 * every writable account for move and copy (another account's folder
 * makes it a move between accounts, ui_ops.c), every account's for
 * change.  j/k and the
 * arrows move; typing filters the list by a case-insensitive substring
 * (j and k move while nothing is typed: "/" starts a filter with either);
 * Enter picks, Esc cancels.  The rows are copied when the picker opens,
 * so a folder list reload under it changes nothing.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ui/ui_i18n.h"
#include "ui/ui_internal.h"
#include "util/sanitize.h"
#include "util/xmalloc.h"

#define UI_PICKER_FILTER_MAX	256

/* Close the picker. */
void
ui_picker_fini(struct ui_picker *pk)
{
	size_t	i;

	for (i = 0; i < pk->nrows; i++)
		free(pk->rows[i].label);
	free(pk->rows);
	free(pk->shown);
	buf_fini(&pk->filter);
	memset(pk, 0, sizeof *pk);
}

/* Re-apply the filter; the cursor goes to an exact match, else the top. */
static void
ui_picker_apply(struct ui_picker *pk)
{
	const char	*f = buf_str(&pk->filter);
	size_t		 i, n = 0;
	int64_t		 exact = -1;

	for (i = 0; i < pk->nrows; i++) {
		if (!ui_pattern_contains(pk->rows[i].label, f))
			continue;
		if (exact < 0 && *f != '\0' &&
		    strcasecmp(pk->rows[i].label, f) == 0)
			exact = (int64_t)n;
		pk->shown[n++] = i;
	}
	pk->sc.count = (int64_t)n;
	pk->sc.cursor = exact >= 0 ? exact : 0;
	pk->sc.top = 0;
	ui_scroll_fix(&pk->sc);
}

/* The folder pane's (sanitised) heading of an account. */
static const char *
ui_picker_account_label(const struct ui *ui, size_t account)
{
	size_t	i;

	for (i = 0; i < ui->folders.nrows; i++) {
		if (ui->folders.rows[i].heading &&
		    ui->folders.rows[i].account == account)
			return ui->folders.rows[i].label;
	}
	return "";
}

/*
 * Whether a folder row is a candidate: any folder to change to; for a
 * move or copy, a folder of a writable account (the open account's own
 * only when it is writable: a copy out of a read-only account goes to
 * another one).
 */
static bool
ui_picker_wants(const struct ui *ui, enum ui_picker_kind kind,
    const struct ui_folder_row *r)
{
	if (r->heading || r->outbox ||
	    (r->folder.attrs & CACHE_FOLDER_NOSELECT))
		return false;
	if (kind == UI_PICK_CHANGE)
		return true;
	return !ui->accounts[r->account].cfg->read_only;
}

/* Whether the rows span more than one account (labels name it then). */
static bool
ui_picker_many(const struct ui *ui, enum ui_picker_kind kind)
{
	size_t	i;

	for (i = 0; i < ui->folders.nrows; i++) {
		if (ui_picker_wants(ui, kind, &ui->folders.rows[i]) &&
		    ui->folders.rows[i].account != ui->index.account)
			return true;
	}
	return false;
}

/* Copy the candidate folders out of the folder pane's rows. */
static void
ui_picker_load(struct ui *ui, struct ui_picker *pk)
{
	const struct ui_folder_row	*r;
	size_t				 i;
	bool				 many = ui->naccounts > 1 &&
					     ui_picker_many(ui, pk->kind);

	pk->rows = xcalloc(ui->folders.nrows + 1, sizeof *pk->rows);
	pk->shown = xcalloc(ui->folders.nrows + 1, sizeof *pk->shown);
	for (i = 0; i < ui->folders.nrows; i++) {
		r = &ui->folders.rows[i];
		if (!ui_picker_wants(ui, pk->kind, r))
			continue;
		pk->rows[pk->nrows].account = r->account;
		pk->rows[pk->nrows].folder_id = r->folder.id;
		/* Headings carry the account's sanitised name. */
		pk->rows[pk->nrows].label = many ? xasprintf("%s/%s",
		    ui_picker_account_label(ui, r->account), r->label) :
		    xstrdup(r->label);
		pk->nrows++;
	}
}

/* Open the picker for an operation. */
void
ui_picker_open(struct ui *ui, enum ui_picker_kind kind, bool tagged)
{
	struct ui_picker	*pk = &ui->picker;

	ui_picker_fini(pk);
	pk->kind = kind;
	pk->tagged = tagged;
	pk->back = ui->mode == UI_MODE_PICKER ? UI_MODE_INDEX : ui->mode;
	buf_init(&pk->filter, UI_PICKER_FILTER_MAX);
	ui_picker_load(ui, pk);
	pk->sc.height = ui->main_height > 1 ? ui->main_height - 1 : 1;
	ui_picker_apply(pk);
	if (pk->nrows == 0) {
		ui_picker_fini(pk);
		/* A copy out of a read-only account, with nowhere else to go. */
		if (kind == UI_PICK_CHANGE || !ui_ops_read_only(ui,
		    ui->index.account, kind == UI_PICK_COPY ? _("copy") :
		    _("move")))
			ui_status_set_message(ui, false,
			    _("No folders to choose from."));
		return;
	}
	ui->mode = UI_MODE_PICKER;
}

/* Leave the picker for the mode it came from. */
static void
ui_picker_close(struct ui *ui)
{
	ui->mode = ui->picker.back;
	ui_picker_fini(&ui->picker);
}

/* Enter: act on the folder under the cursor. */
static void
ui_picker_pick(struct ui *ui)
{
	struct ui_picker	*pk = &ui->picker;
	struct ui_picker_row	 r;
	struct cache_folder	 f;
	struct error		 err;
	enum ui_picker_kind	 kind = pk->kind;
	bool			 tagged = pk->tagged;

	if (pk->sc.count == 0) {
		ui_status_set_message(ui, false, _("No folder matches."));
		return;
	}
	r = pk->rows[pk->shown[pk->sc.cursor]];
	r.label = NULL;		/* stays with the picker */
	ui_picker_close(ui);
	if (kind != UI_PICK_CHANGE) {
		ui_ops_transfer(ui, r.account, r.folder_id,
		    kind == UI_PICK_COPY, tagged);
		return;
	}
	if (cache_folder_get(ui->cache, r.folder_id, &f, &err) != 0) {
		ui_status_set_message(ui, true, _("That folder is gone."));
		cache_folder_fini(&f);
		return;
	}
	if (ui->mode == UI_MODE_PAGER) {
		ui_pager_close(&ui->pager);
		ui->mode = UI_MODE_INDEX;
	}
	ui_index_open(ui, r.account, &f);
	ui_folders_select_open(ui);
	ui->focus = UI_FOCUS_LIST;
	cache_folder_fini(&f);
}

/* Typing: printable keys (a byte at a time) and Backspace edit the filter. */
static bool
ui_picker_edit(struct ui_picker *pk, int key)
{
	size_t	n;

	if (key == KEY_BACKSPACE || key == 127 || key == '\b') {
		if (pk->filter.len == 0) {
			pk->filtering = false;
			return true;
		}
		n = pk->filter.len;
		while (n > 0 && ((unsigned char)pk->filter.data[--n] &
		    0xc0) == 0x80)
			continue;
		pk->filter.len = n;
		pk->filter.data[n] = '\0';
	} else if (key == '/' && !pk->filtering)
		pk->filtering = true;
	else if (key >= 32 && key < 256 && key != 127) {
		if (!pk->filtering && (key == 'j' || key == 'k' || key == ' '))
			return false;
		pk->filtering = true;
		buf_addc(&pk->filter, (char)key);
	} else
		return false;
	ui_picker_apply(pk);
	return true;
}

/* One key in the picker. */
void
ui_picker_key(struct ui *ui, int key)
{
	struct ui_picker	*pk = &ui->picker;

	if (key == '\r' || key == '\n' || key == KEY_ENTER) {
		ui_picker_pick(ui);
		return;
	}
	if (key == UI_KEY_ESC || key == UI_KEY_CTRL('g') ||
	    (key & UI_KEY_META_BIT)) {
		ui_picker_close(ui);
		ui_status_set_message(ui, false, _("Cancelled."));
		return;
	}
	if (ui_picker_edit(pk, key))
		return;
	switch (key) {
	case 'j':
	case KEY_DOWN:
	case UI_KEY_CTRL('n'):
		ui_scroll_move(&pk->sc, 1);
		break;
	case 'k':
	case KEY_UP:
	case UI_KEY_CTRL('p'):
		ui_scroll_move(&pk->sc, -1);
		break;
	case ' ':
	case KEY_NPAGE:
		ui_scroll_page(&pk->sc, 1);
		break;
	case KEY_PPAGE:
		ui_scroll_page(&pk->sc, -1);
		break;
	case KEY_HOME:
		ui_scroll_first(&pk->sc);
		break;
	case KEY_END:
		ui_scroll_last(&pk->sc);
		break;
	}
}

/* The picker's title for its kind. */
static const char *
ui_picker_title(const struct ui_picker *pk)
{
	switch (pk->kind) {
	case UI_PICK_MOVE:
		return pk->tagged ? _("Move tagged messages to:") :
		    _("Move to folder:");
	case UI_PICK_COPY:
		return pk->tagged ? _("Copy tagged messages to:") :
		    _("Copy to folder:");
	case UI_PICK_CHANGE:
		break;
	}
	return _("Change to folder:");
}

/* Draw the title with the filter, then the folders. */
void
ui_picker_draw(struct ui *ui)
{
	struct ui_picker	*pk = &ui->picker;
	char			*title, *filter;
	int			 y;
	int64_t			 i;
	attr_t			 attr;

	filter = sanitize_line_dup(buf_str(&pk->filter));
	title = xasprintf("%s %s%s", ui_picker_title(pk), filter,
	    pk->filtering ? "_" : "");
	ui_draw_str(0, 0, ui->cols, title, A_BOLD);
	free(title);
	free(filter);
	ui_scroll_resize(&pk->sc, ui->main_height > 1 ?
	    ui->main_height - 1 : 1);
	if (pk->sc.count == 0)
		ui_draw_str(1, 2, ui->cols - 2, _("(no folder matches)"),
		    A_DIM);
	for (y = 1; y < ui->main_height; y++) {
		i = pk->sc.top + y - 1;
		if (i >= pk->sc.count)
			break;
		attr = i == pk->sc.cursor ? A_REVERSE : A_NORMAL;
		ui_draw_fill(y, 0, 2, attr);
		ui_draw_str(y, 2, ui->cols - 2,
		    pk->rows[pk->shown[i]].label, attr);
	}
}
