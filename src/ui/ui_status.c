/*
 * ui_status.c - the status line (reverse video) and the message line.
 *
 * The status line says where the reader is: "[ACCOUNT] FOLDER: N messages,
 * U unread" in the list, "[ACCOUNT] FOLDER: message I/N" in the pager, and
 * what the account's worker is doing.  The message line below it shows
 * errors ("Error: text") and prompts.  The formats are matched by the tests
 * and stay English in the C locale.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "ui/ui_i18n.h"
#include "ui/ui_internal.h"
#include "util/sanitize.h"
#include "util/xmalloc.h"

#define UI_STATUS_MAX	4096

/* "[ACCOUNT]" with the read-only mark when asked and it applies. */
static char *
ui_status_account(const struct ui *ui, size_t account, bool mark_ro)
{
	const struct ui_account	*a;
	char			*name, *s;

	if (account >= ui->naccounts)
		return xstrdup("[]");
	a = &ui->accounts[account];
	name = sanitize_line_dup(a->cfg->name != NULL ? a->cfg->name : "");
	if (mark_ro && a->cfg->read_only)
		s = xasprintf(_("[%s] (read-only)"), name);
	else
		s = xasprintf("[%s]", name);
	free(name);
	return s;
}

/* Build the status line text for the current mode. */
static void
ui_status_text(const struct ui *ui, struct buf *b)
{
	const struct ui_index	*ix = &ui->index;
	size_t			 account;
	char			*head;

	account = ix->folder_id != 0 ? ix->account : ui->selected;
	if (ui->mode == UI_MODE_HELP) {
		buf_adds(b, _("Help: press any key to return"));
		return;
	}
	if (ui->mode == UI_MODE_PAGER) {
		head = ui_status_account(ui, account, false);
		buf_printf(b, _("%s %s: message %" PRId64 "/%" PRId64), head,
		    ix->folder_name != NULL ? ix->folder_name : "",
		    ui->pager.position + 1, ix->total);
		free(head);
		return;
	}
	head = ui_status_account(ui, account, true);
	if (ix->folder_id == 0)
		buf_printf(b, _("%s (no folder open)"), head);
	else
		buf_printf(b, _("%s %s: %" PRId64 " messages, %" PRId64
		    " unread"), head, ix->folder_name, ix->total, ix->unread);
	free(head);
	if (account < ui->naccounts && ui->accounts[account].status != NULL)
		buf_printf(b, "  --  %s", ui->accounts[account].status);
}

/* Draw the status line and the message line at the bottom. */
void
ui_status_draw(struct ui *ui)
{
	struct buf	b;
	attr_t		attr = A_NORMAL;

	if (ui->rows < 2)
		return;
	buf_init(&b, UI_STATUS_MAX);
	ui_status_text(ui, &b);
	ui_draw_str(ui->rows - 2, 0, ui->cols, buf_str(&b), A_REVERSE);
	buf_fini(&b);
	if (ui->message_error)
		attr = A_BOLD | ui_color(ui, UI_PAIR_ERROR);
	ui_draw_str(ui->rows - 1, 0, ui->cols, ui->message, attr);
}

/* Show text on the message line; error prefixes it with "Error: ". */
void
ui_status_set_message(struct ui *ui, bool error, const char *text)
{
	char	*clean;

	clean = sanitize_line_dup(text != NULL ? text : "");
	free(ui->message);
	if (error) {
		ui->message = xasprintf(_("Error: %s"), clean);
		free(clean);
	} else
		ui->message = clean;
	ui->message_error = error;
}

/* Empty the message line. */
void
ui_status_clear_message(struct ui *ui)
{
	free(ui->message);
	ui->message = NULL;
	ui->message_error = false;
}

/* Keep what an account's worker says it is doing (NULL: nothing). */
void
ui_status_set_account(struct ui *ui, size_t account, const char *text)
{
	struct ui_account	*a;

	if (account >= ui->naccounts)
		return;
	a = &ui->accounts[account];
	free(a->status);
	a->status = NULL;
	if (text != NULL && *text != '\0')
		a->status = sanitize_line_dup(text);
}
