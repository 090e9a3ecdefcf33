/*
 * ui_keys.c - what each key does: looks the key up in the key map
 * (ui_keymap.c) for the part of the screen that has it, then acts.
 *
 * Keys only change the state in struct ui and queue worker commands; the
 * poll loop redraws afterwards.  An open prompt or picker takes every key
 * first.  The help screen is generated from the same key map.
 */
#include "ui/ui_i18n.h"
#include "ui/ui_internal.h"

/* Show the help from the top. */
void
ui_keys_help(struct ui *ui)
{
	ui->help_return = ui->mode;
	ui->help_top = 0;
	ui->mode = UI_MODE_HELP;
}

/* Refresh: sync the open folder (or everything before one is open). */
static void
ui_keys_refresh(struct ui *ui)
{
	if (ui->index.folder_id == 0)
		ui_submit(ui, ui->selected, WORKER_SYNC_ALL, 0, 0, 0);
	else
		ui_submit(ui, ui->index.account, WORKER_SYNC_FOLDER,
		    ui->index.folder_id, 0, 0);
	clearok(curscr, TRUE);
	ui_status_set_message(ui, false, _("Synchronising..."));
}

/* Is the row under the list's cursor a collapsed thread? */
static bool
ui_keys_on_collapsed(const struct ui *ui)
{
	const struct ui_index	*ix = &ui->index;

	return ix->by_id && ix->list.hidden != NULL &&
	    ix->sc.cursor < (int64_t)ix->list.n &&
	    ix->list.hidden[ix->sc.cursor] > 0;
}

/* Enter in the list: expand a collapsed thread, else read the message. */
static void
ui_keys_open(struct ui *ui)
{
	const struct cache_msg	*m;

	if (ui_keys_on_collapsed(ui)) {
		ui_view_collapse(ui, false);
		return;
	}
	if ((m = ui_index_current(ui)) == NULL)
		ui_status_set_message(ui, false, _("No message here."));
	else
		ui_pager_open(ui, m, ui->index.sc.cursor);
}

/* A movement key on a scrolled list (index, attachments, URLs). */
bool
ui_keys_scroll(struct ui_scroll *sc, enum ui_action a)
{
	switch (a) {
	case UI_ACT_DOWN:
		ui_scroll_move(sc, 1);
		break;
	case UI_ACT_UP:
		ui_scroll_move(sc, -1);
		break;
	case UI_ACT_PAGE_DOWN:
		ui_scroll_page(sc, 1);
		break;
	case UI_ACT_PAGE_UP:
		ui_scroll_page(sc, -1);
		break;
	case UI_ACT_FIRST:
		ui_scroll_first(sc);
		break;
	case UI_ACT_LAST:
		ui_scroll_last(sc);
		break;
	default:
		return false;
	}
	return true;
}

/* Movement in the message list. */
static bool
ui_keys_list_move(struct ui *ui, enum ui_action a)
{
	if (!ui_keys_scroll(&ui->index.sc, a))
		return false;
	ui->index.moved = true;
	return true;
}

/* Movement in the folder pane. */
static bool
ui_keys_folders_move(struct ui *ui, enum ui_action a)
{
	switch (a) {
	case UI_ACT_DOWN:
		ui_folders_move(ui, 1);
		break;
	case UI_ACT_UP:
		ui_folders_move(ui, -1);
		break;
	case UI_ACT_PAGE_DOWN:
		ui_folders_move(ui, ui->main_height);
		break;
	case UI_ACT_PAGE_UP:
		ui_folders_move(ui, -ui->main_height);
		break;
	case UI_ACT_FIRST:
		ui_folders_first(ui);
		break;
	case UI_ACT_LAST:
		ui_folders_last(ui);
		break;
	default:
		return false;
	}
	return true;
}

/* Enter in the folder pane: open the folder under the cursor. */
static void
ui_keys_open_folder(struct ui *ui)
{
	const struct ui_folder_row	*r = ui_folders_current(ui);

	if (r == NULL || r->heading)
		return;
	if (r->outbox) {
		ui_outbox_open(ui);
		return;
	}
	if (r->folder.attrs & CACHE_FOLDER_NOSELECT) {
		ui_status_set_message(ui, false,
		    _("This folder holds no messages."));
		return;
	}
	ui_index_open(ui, r->account, &r->folder);
	ui->focus = UI_FOCUS_LIST;
}

/* Actions of the list that are not movement or operations. */
static bool
ui_keys_list_other(struct ui *ui, enum ui_action a)
{
	switch (a) {
	case UI_ACT_OPEN:
		ui_keys_open(ui);
		break;
	case UI_ACT_TAG:
		ui_tag_toggle(ui);
		break;
	case UI_ACT_TAG_PATTERN:
	case UI_ACT_UNTAG_PATTERN:
		ui_tag_ask(ui, a == UI_ACT_TAG_PATTERN);
		break;
	case UI_ACT_LIMIT:
		if (ui->index.folder_id != 0)
			ui_prompt_start(ui, UI_PROMPT_LIMIT, _("Limit: "),
			    NULL);
		break;
	case UI_ACT_SORT:
		ui_prompt_start(ui, UI_MENU_SORT, _("Sort (d)ate/(f)rom/"
		    "(s)ubject/si(z)e/(t)hreads? "), NULL);
		break;
	case UI_ACT_REVERSE:
		ui_view_reverse(ui);
		break;
	case UI_ACT_COLLAPSE:
	case UI_ACT_COLLAPSE_ALL:
		ui_view_collapse(ui, a == UI_ACT_COLLAPSE_ALL);
		break;
	default:
		return false;
	}
	return true;
}

/* Actions every view shares; false if a is not one of them. */
static bool
ui_keys_common(struct ui *ui, enum ui_action a)
{
	switch (a) {
	case UI_ACT_QUIT:
		ui->quit = true;
		break;
	case UI_ACT_HELP:
		ui_keys_help(ui);
		break;
	case UI_ACT_FOCUS:
		if (ui->focus == UI_FOCUS_LIST && ui->pane_width > 0)
			ui->focus = UI_FOCUS_FOLDERS;
		else
			ui->focus = UI_FOCUS_LIST;
		break;
	case UI_ACT_REFRESH:
		ui_keys_refresh(ui);
		break;
	case UI_ACT_CHANGE_FOLDER:
		ui_picker_open(ui, UI_PICK_CHANGE, false);
		break;
	case UI_ACT_TAG_PREFIX:
		ui_tag_prefix(ui);
		return true;	/* keeps the prefix for the next key */
	case UI_ACT_FOLDER_CREATE:
	case UI_ACT_FOLDER_RENAME:
	case UI_ACT_FOLDER_DELETE:
		ui_folder_ops_ask(ui, a);
		break;
	case UI_ACT_COMPOSE:
	case UI_ACT_REPLY:
	case UI_ACT_REPLY_ALL:
	case UI_ACT_FORWARD:
	case UI_ACT_RESUME:
		ui_compose_start(ui, a);
		break;
	case UI_ACT_OUTBOX:
		ui_outbox_open(ui);
		break;
	case UI_ACT_TOGGLE_NEW:
	case UI_ACT_FLAG:
	case UI_ACT_DELETE:
	case UI_ACT_UNDELETE:
	case UI_ACT_EXPUNGE:
	case UI_ACT_MOVE:
	case UI_ACT_COPY:
	case UI_ACT_SAVE_FILE:
		ui_ops_do(ui, a);
		return true;
	default:
		return false;
	}
	ui->tag_prefix = false;
	return true;
}

/* Keys of the index view (folder pane + list). */
static void
ui_keys_index(struct ui *ui, int key)
{
	unsigned	map = ui->focus == UI_FOCUS_FOLDERS ? UI_MAP_FOLDERS :
			    UI_MAP_LIST;
	enum ui_action	a = ui_keymap_lookup(map, key);

	if (ui_keys_common(ui, a))
		return;
	ui->tag_prefix = false;
	if (map == UI_MAP_FOLDERS) {
		if (a == UI_ACT_OPEN_FOLDER)
			ui_keys_open_folder(ui);
		else
			ui_keys_folders_move(ui, a);
		return;
	}
	/* Space on a collapsed thread expands it (mutt does the same). */
	if (a == UI_ACT_PAGE_DOWN && key == ' ' && ui_keys_on_collapsed(ui))
		a = UI_ACT_OPEN;
	if (!ui_keys_list_move(ui, a))
		ui_keys_list_other(ui, a);
}

/* Keys of the pager. */
static void
ui_keys_pager(struct ui *ui, int key)
{
	enum ui_action	a;

	/* The pager's own views and keys first (ui_pager.c). */
	if (ui_pager_key(ui, key)) {
		ui->tag_prefix = false;
		return;
	}
	a = ui_keymap_lookup(UI_MAP_PAGER, key);
	if (ui_keys_common(ui, a))
		return;
	ui->tag_prefix = false;
	switch (a) {
	case UI_ACT_BACK:
		ui_pager_close(&ui->pager);
		ui->mode = UI_MODE_INDEX;
		break;
	case UI_ACT_LINE_DOWN:
		ui_pager_scroll(ui, 1);
		break;
	case UI_ACT_LINE_UP:
		ui_pager_scroll(ui, -1);
		break;
	case UI_ACT_PAGE_DOWN:
		ui_pager_page(ui, 1);
		break;
	case UI_ACT_PAGE_UP:
		ui_pager_page(ui, -1);
		break;
	case UI_ACT_FIRST:
	case UI_ACT_LAST:
		ui_pager_edge(ui, a == UI_ACT_LAST);
		break;
	case UI_ACT_NEXT_MSG:
	case UI_ACT_PREV_MSG:
		ui_pager_step(ui, a == UI_ACT_NEXT_MSG ? 1 : -1);
		break;
	default:
		break;
	}
}

/* Keys of the help screen: scroll, anything else closes it. */
static void
ui_keys_help_screen(struct ui *ui, int key)
{
	switch (ui_keymap_lookup(UI_MAP_PAGER, key)) {
	case UI_ACT_LINE_DOWN:
		if (key == '\r' || key == '\n' || key == KEY_ENTER)
			break;
		ui_help_scroll(ui, 1);
		return;
	case UI_ACT_LINE_UP:
		ui_help_scroll(ui, -1);
		return;
	case UI_ACT_PAGE_DOWN:
		ui_help_scroll(ui, ui->main_height - 1);
		return;
	case UI_ACT_PAGE_UP:
		ui_help_scroll(ui, -(ui->main_height - 1));
		return;
	default:
		break;
	}
	ui->mode = ui->help_return;
}

/* Act on one key from the terminal. */
void
ui_keys_handle(struct ui *ui, int key)
{
	if (ui->prompt.active) {
		ui_prompt_key(ui, key);
		return;
	}
	if (!ui->tag_prefix)
		ui_status_clear_message(ui);
	switch (ui->mode) {
	case UI_MODE_HELP:
		ui_keys_help_screen(ui, key);
		break;
	case UI_MODE_PICKER:
		ui_picker_key(ui, key);
		break;
	case UI_MODE_PAGER:
		ui_keys_pager(ui, key);
		break;
	case UI_MODE_INDEX:
		ui_keys_index(ui, key);
		break;
	case UI_MODE_COMPOSE:
		ui_compose_key(ui, key);
		break;
	case UI_MODE_OUTBOX:
		ui_outbox_key(ui, key);
		break;
	}
}
