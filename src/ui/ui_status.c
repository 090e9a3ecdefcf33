/*
 * ui_status.c - the status line (reverse video) and the message line.
 *
 * The status line says where the reader is: "[ACCOUNT] FOLDER: N messages,
 * U unread" in the list ("X/N messages" while a limit shows X of N), then
 * the order, limit and tags when set; "[ACCOUNT] FOLDER: message I/N" in
 * the pager; then the account's connection state while it is offline
 * ("offline: why; retry in N s") and what its worker is doing ("headers
 * 41,000/100,000").  The message line below it shows
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

/* The list's counts: "N messages" or, with a limit, "X/N messages". */
static void
ui_status_counts(const struct ui_index *ix, struct buf *b)
{
	if (ix->limit_text != NULL)
		buf_printf(b, _("%s: %" PRId64 "/%" PRId64 " messages, %"
		    PRId64 " unread"), ix->folder_name, ix->sc.count,
		    ix->total, ix->unread);
	else
		buf_printf(b, _("%s: %" PRId64 " messages, %" PRId64
		    " unread"), ix->folder_name, ix->total, ix->unread);
}

/* Order, limit and tags, when they are not the defaults. */
static void
ui_status_view(const struct ui *ui, struct buf *b)
{
	const struct ui_index	*ix = &ui->index;

	if (ix->threads || ix->sort != CACHE_SORT_DATE || ix->reverse)
		buf_printf(b, "  [%s%s]", ui_view_sort_name(ix),
		    ix->reverse ? _(", reversed") : "");
	if (ix->limit_text != NULL)
		buf_printf(b, _("  (limit: %s%s)"), ix->limit_text,
		    ix->searching ? _(", searching the server") : "");
	if (ix->tags.n > 0)
		buf_printf(b, _("  %zu tagged"), ix->tags.n);
}

/* What the account's worker is doing, and whether it is offline. */
static void
ui_status_worker(const struct ui *ui, size_t account, struct buf *b)
{
	const struct ui_account	*a;

	if (account >= ui->naccounts)
		return;
	a = &ui->accounts[account];
	if (a->conn != NULL)
		buf_printf(b, "  --  %s", a->conn);
	if (a->status != NULL)
		buf_printf(b, "  --  %s", a->status);
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
		buf_adds(b, _("Help: j/k/space/- scroll, any other key "
		    "returns"));
		return;
	}
	if (ui->mode == UI_MODE_COMPOSE) {
		head = ui_status_account(ui, ui->compose.account, false);
		buf_printf(b, _("%s Compose: y send, e edit, t/c/b/s "
		    "fields, a attach, q cancel, ? help"), head);
		free(head);
		return;
	}
	if (ui->mode == UI_MODE_OUTBOX) {
		buf_printf(b, _("Outbox: %zu waiting, %zu failed"),
		    ui->outbox.n, ui->outbox.failed);
		return;
	}
	if (ui->mode == UI_MODE_PAGER) {
		head = ui_status_account(ui, account, false);
		buf_printf(b, _("%s %s: message %" PRId64 "/%" PRId64), head,
		    ix->folder_name != NULL ? ix->folder_name : "",
		    ui->pager.position + 1, ix->sc.count);
		free(head);
		ui_status_worker(ui, account, b);
		return;
	}
	head = ui_status_account(ui, account, true);
	if (ix->folder_id == 0)
		buf_printf(b, _("%s (no folder open)"), head);
	else {
		buf_printf(b, "%s ", head);
		ui_status_counts(ix, b);
	}
	free(head);
	/* Offline and progress before the rest: the line may be cut. */
	ui_status_worker(ui, account, b);
	if (ui->outbox.n > 0)
		buf_printf(b, _("  -- outbox: %zu (W)"), ui->outbox.n);
	if (ix->folder_id != 0)
		ui_status_view(ui, b);
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
	if (ui->prompt.active) {
		ui_prompt_draw(ui);
		return;
	}
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

/* Keep the account's connection state: NULL or "online" clears it. */
void
ui_status_set_connection(struct ui *ui, size_t account, const char *text)
{
	struct ui_account	*a;

	if (account >= ui->naccounts)
		return;
	a = &ui->accounts[account];
	free(a->conn);
	a->conn = NULL;
	if (text != NULL && *text != '\0' && strcmp(text, "online") != 0)
		a->conn = sanitize_line_dup(text);
}
