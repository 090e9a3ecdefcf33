/*
 * ui_folder_ops.c - creating, renaming and deleting folders.
 *
 * These go straight to the account's worker (WORKER_CREATE_FOLDER, ...):
 * the worker changes the server and then the cache, and its
 * WORKER_EV_FOLDERS event reloads the folder pane.  Nothing is queued:
 * folder changes need the server.  Read-only accounts refuse them here.
 * The folder acted on is the one under the folder pane's cursor when the
 * pane has the focus, else the open folder.
 */
#include <stdlib.h>
#include <strings.h>

#include "ui/ui_i18n.h"
#include "ui/ui_internal.h"
#include "util/sanitize.h"
#include "util/xmalloc.h"

/* The folder row acted on, or NULL (message shown). */
static const struct ui_folder_row *
ui_folder_ops_target(struct ui *ui)
{
	const struct ui_folder_row	*r;
	size_t				 i;

	if (ui->focus == UI_FOCUS_FOLDERS) {
		r = ui_folders_current(ui);
		if (r != NULL && !r->heading && !r->outbox)
			return r;
	}
	for (i = 0; i < ui->folders.nrows; i++) {
		r = &ui->folders.rows[i];
		if (!r->heading && r->folder.id == ui->index.folder_id)
			return r;
	}
	ui_status_set_message(ui, false, _("No folder is selected."));
	return NULL;
}

/* The account a folder belongs to (false if it is not listed). */
static bool
ui_folder_ops_account(struct ui *ui, int64_t folder_id, size_t *account)
{
	size_t	i;

	for (i = 0; i < ui->folders.nrows; i++) {
		if (!ui->folders.rows[i].heading &&
		    ui->folders.rows[i].folder.id == folder_id) {
			*account = ui->folders.rows[i].account;
			return true;
		}
	}
	ui_status_set_message(ui, true, _("That folder is gone."));
	return false;
}

/* The account to create a folder in: the pane's, else the open one's. */
static size_t
ui_folder_ops_create_account(struct ui *ui)
{
	const struct ui_folder_row	*r;

	if (ui->focus == UI_FOCUS_FOLDERS &&
	    (r = ui_folders_current(ui)) != NULL && !r->outbox)
		return r->account;
	return ui->index.folder_id != 0 ? ui->index.account : ui->selected;
}

/* Rename: prompt with the current name to edit. */
static void
ui_folder_ops_ask_rename(struct ui *ui, const struct ui_folder_row *r)
{
	char	*label, *name;

	label = xasprintf(_("Rename folder %s to: "), r->label);
	name = sanitize_line_dup(r->folder.name != NULL ? r->folder.name :
	    r->label);
	ui_prompt_start(ui, UI_PROMPT_FOLDER_RENAME, label, name);
	ui->prompt.folder_id = r->folder.id;
	ui->prompt.account = r->account;
	free(label);
	free(name);
}

/* +, Esc-r / r, Esc-d / D: ask what is needed, refusing early. */
void
ui_folder_ops_ask(struct ui *ui, enum ui_action action)
{
	const struct ui_folder_row	*r;
	size_t				 account;
	char				*s;

	if (action == UI_ACT_FOLDER_CREATE) {
		account = ui_folder_ops_create_account(ui);
		if (ui_ops_read_only(ui, account, _("create folder")))
			return;
		ui_prompt_start(ui, UI_PROMPT_FOLDER_CREATE,
		    _("Create folder: "), NULL);
		ui->prompt.account = account;
		return;
	}
	if ((r = ui_folder_ops_target(ui)) == NULL)
		return;
	if (ui_ops_read_only(ui, r->account, action == UI_ACT_FOLDER_RENAME ?
	    _("rename folder") : _("delete folder")))
		return;
	if (r->folder.role == CACHE_ROLE_INBOX || (r->folder.remote_name !=
	    NULL && strcasecmp(r->folder.remote_name, "INBOX") == 0)) {
		ui_status_set_message(ui, false,
		    _("INBOX cannot be renamed or deleted here."));
		return;
	}
	if (action == UI_ACT_FOLDER_RENAME) {
		ui_folder_ops_ask_rename(ui, r);
		return;
	}
	s = xasprintf(_("Delete folder %s and all its messages? (y/n) "),
	    r->label);
	ui_prompt_start(ui, UI_CONFIRM_FOLDER_DELETE, s, NULL);
	ui->prompt.folder_id = r->folder.id;
	ui->prompt.account = r->account;
	free(s);
}

/* The name was typed: ask the worker to create the folder. */
void
ui_folder_ops_create(struct ui *ui, size_t account, const char *name)
{
	char	*s, *clean;

	if (name == NULL || *name == '\0') {
		ui_status_set_message(ui, false, _("Cancelled."));
		return;
	}
	if (ui_ops_read_only(ui, account, _("create folder")))
		return;
	ui_submit_text(ui, account, WORKER_CREATE_FOLDER, 0, name);
	clean = sanitize_line_dup(name);
	s = xasprintf(_("Creating folder %s..."), clean);
	ui_status_set_message(ui, false, s);
	free(s);
	free(clean);
}

/* The new name was typed: ask the worker to rename. */
void
ui_folder_ops_rename(struct ui *ui, int64_t folder_id, const char *name)
{
	size_t	 account;
	char	*s, *clean;

	if (name == NULL || *name == '\0') {
		ui_status_set_message(ui, false, _("Cancelled."));
		return;
	}
	if (!ui_folder_ops_account(ui, folder_id, &account) ||
	    ui_ops_read_only(ui, account, _("rename folder")))
		return;
	ui_submit_text(ui, account, WORKER_RENAME_FOLDER, folder_id, name);
	clean = sanitize_line_dup(name);
	s = xasprintf(_("Renaming the folder to %s..."), clean);
	ui_status_set_message(ui, false, s);
	free(s);
	free(clean);
}

/* Deletion was confirmed: ask the worker to delete the folder. */
void
ui_folder_ops_delete(struct ui *ui, int64_t folder_id)
{
	size_t	account;

	if (!ui_folder_ops_account(ui, folder_id, &account) ||
	    ui_ops_read_only(ui, account, _("delete folder")))
		return;
	if (folder_id == ui->index.folder_id) {
		/* Leave it first: the worker then watches INBOX instead. */
		if (ui->mode == UI_MODE_PAGER)
			ui->mode = UI_MODE_INDEX;
		ui_pager_close(&ui->pager);
		ui_index_close(&ui->index);
		ui_folders_open_default(ui, account);
	}
	ui_submit(ui, account, WORKER_DELETE_FOLDER, folder_id, 0, 0);
	ui_status_set_message(ui, false, _("Deleting the folder..."));
}
