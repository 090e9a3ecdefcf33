/*
 * ui_keys.c - what each key does in the list, the folder pane and the pager.
 *
 * Keys only change the state in struct ui (and queue worker commands); the
 * poll loop redraws afterwards.  The help screen (ui_help.c) lists these
 * keys: keep the two in step.
 */
#include "ui/ui_i18n.h"
#include "ui/ui_internal.h"

/* Enter arrives as '\r' (nonl), '\n' or KEY_ENTER. */
static bool
ui_keys_is_enter(int key)
{
	return key == '\r' || key == '\n' || key == KEY_ENTER;
}

/* Movement keys in the message list. */
static void
ui_keys_list(struct ui *ui, int key)
{
	struct ui_index		*ix = &ui->index;
	const struct cache_msg	*m;

	switch (key) {
	case 'j':
	case KEY_DOWN:
		ui_scroll_move(&ix->sc, 1);
		break;
	case 'k':
	case KEY_UP:
		ui_scroll_move(&ix->sc, -1);
		break;
	case ' ':
	case KEY_NPAGE:
		ui_scroll_page(&ix->sc, 1);
		break;
	case '-':
	case KEY_PPAGE:
		ui_scroll_page(&ix->sc, -1);
		break;
	case 'g':
	case KEY_HOME:
		ui_scroll_first(&ix->sc);
		break;
	case 'G':
	case KEY_END:
		ui_scroll_last(&ix->sc);
		break;
	default:
		if (!ui_keys_is_enter(key))
			break;
		if ((m = ui_index_current(ui)) == NULL)
			ui_status_set_message(ui, false, _("No message here."));
		else
			ui_pager_open(ui, m, ix->sc.cursor);
		break;
	}
}

/* Movement keys in the folder pane. */
static void
ui_keys_folders(struct ui *ui, int key)
{
	const struct ui_folder_row	*r;

	switch (key) {
	case 'j':
	case KEY_DOWN:
		ui_folders_move(ui, 1);
		break;
	case 'k':
	case KEY_UP:
		ui_folders_move(ui, -1);
		break;
	case ' ':
	case KEY_NPAGE:
		ui_folders_move(ui, ui->main_height);
		break;
	case '-':
	case KEY_PPAGE:
		ui_folders_move(ui, -ui->main_height);
		break;
	case 'g':
	case KEY_HOME:
		ui_folders_first(ui);
		break;
	case 'G':
	case KEY_END:
		ui_folders_last(ui);
		break;
	default:
		if (!ui_keys_is_enter(key))
			break;
		r = ui_folders_current(ui);
		if (r == NULL || r->heading)
			break;
		if (r->folder.attrs & CACHE_FOLDER_NOSELECT) {
			ui_status_set_message(ui, false,
			    _("This folder holds no messages."));
			break;
		}
		ui_index_open(ui, r->account, &r->folder);
		ui->focus = UI_FOCUS_LIST;
		break;
	}
}

/* Keys of the index view (folder pane + list). */
static void
ui_keys_index(struct ui *ui, int key)
{
	switch (key) {
	case 'q':
		ui->quit = true;
		return;
	case '?':
		ui->help_return = ui->mode;
		ui->mode = UI_MODE_HELP;
		return;
	case '\t':
		if (ui->focus == UI_FOCUS_LIST && ui->pane_width > 0)
			ui->focus = UI_FOCUS_FOLDERS;
		else
			ui->focus = UI_FOCUS_LIST;
		return;
	case '$':
	case 'R':
		if (ui->index.folder_id == 0)	/* nothing yet: list again */
			ui_submit(ui, ui->selected, WORKER_SYNC_ALL, 0, 0, 0);
		else
			ui_submit(ui, ui->index.account, WORKER_SYNC_FOLDER,
			    ui->index.folder_id, 0, 0);
		return;
	}
	if (ui->focus == UI_FOCUS_FOLDERS)
		ui_keys_folders(ui, key);
	else
		ui_keys_list(ui, key);
}

/* Keys of the pager. */
static void
ui_keys_pager(struct ui *ui, int key)
{
	switch (key) {
	case 'q':
		ui_pager_close(&ui->pager);
		ui->mode = UI_MODE_INDEX;
		break;
	case '?':
		ui->help_return = ui->mode;
		ui->mode = UI_MODE_HELP;
		break;
	case 'j':
	case KEY_DOWN:
	case '\r':
	case '\n':
	case KEY_ENTER:
		ui_pager_scroll(ui, 1);
		break;
	case 'k':
	case KEY_UP:
		ui_pager_scroll(ui, -1);
		break;
	case ' ':
	case KEY_NPAGE:
		ui_pager_page(ui, 1);
		break;
	case '-':
	case KEY_PPAGE:
		ui_pager_page(ui, -1);
		break;
	case 'g':
	case KEY_HOME:
		ui_pager_edge(ui, false);
		break;
	case 'G':
	case KEY_END:
		ui_pager_edge(ui, true);
		break;
	}
}

/* Act on one key from the terminal. */
void
ui_keys_handle(struct ui *ui, int key)
{
	ui_status_clear_message(ui);
	switch (ui->mode) {
	case UI_MODE_HELP:
		ui->mode = ui->help_return;
		break;
	case UI_MODE_PAGER:
		ui_keys_pager(ui, key);
		break;
	case UI_MODE_INDEX:
		ui_keys_index(ui, key);
		break;
	}
}
