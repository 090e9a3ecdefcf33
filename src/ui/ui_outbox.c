/*
 * ui_outbox.c - the outbox view (W) and its timer.
 *
 * The outbox is the cache's table of messages not yet accepted by a
 * server (src/send/outbox.h).  While it holds any, the folder pane ends
 * with its row (Enter opens it, as W does).  The view lists them like a
 * folder: when,
 * to whom, the subject, and why the last attempt failed; Enter or y
 * sends the one under the cursor now, d deletes it (asks first).  The
 * status line counts them while any wait.
 *
 * The timer: the UI re-reads the outbox when a worker says it changed,
 * and when a message is due (its next try has come, a crash left it in
 * the middle of sending, or only its Sent copy is left) it asks that
 * account's worker to send what is due (WORKER_SEND, 0).  A message a
 * server refused for good waits for the user.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ui/ui_date.h"
#include "ui/ui_i18n.h"
#include "ui/ui_internal.h"
#include "util/sanitize.h"
#include "util/xmalloc.h"

/* Retry the outbox at least this often while something waits. */
#define UI_OUTBOX_TICK_MS	60000

/* Forget the rows. */
void
ui_outbox_fini(struct ui_outbox *o)
{
	cache_outbox_list_free(o->rows, o->n);
	o->rows = NULL;
	o->n = 0;
}

/* The account index of a config name, or naccounts. */
static size_t
ui_outbox_account(const struct ui *ui, const char *name)
{
	size_t	i;

	for (i = 0; i < ui->naccounts; i++) {
		if (name != NULL && strcmp(ui->accounts[i].cfg->name, name) == 0)
			return i;
	}
	return ui->naccounts;
}

/* Whether a row is due now (now: epoch seconds). */
static bool
ui_outbox_due(const struct cache_outbox *m, int64_t now)
{
	return m->state == CACHE_OUTBOX_ACCEPTED ||
	    (m->next_try >= 0 && m->next_try <= now);
}

/* Re-read the outbox; note when the next row falls due. */
void
ui_outbox_reload(struct ui *ui)
{
	struct ui_outbox	*o = &ui->outbox;
	struct error		 err;
	int64_t			 now = (int64_t)time(NULL), next = -1;
	size_t			 i, was = o->n;

	ui_outbox_fini(o);
	if (cache_outbox_list(ui->cache, NULL, &o->rows, &o->n, &err) == -1) {
		ui_status_set_message(ui, true, err.msg);
		return;
	}
	o->failed = 0;
	for (i = 0; i < o->n; i++) {
		if (o->rows[i].last_error != NULL)
			o->failed++;
		if (o->rows[i].next_try < 0 && o->rows[i].state !=
		    CACHE_OUTBOX_ACCEPTED)
			continue;	/* waits for the user */
		if (ui_outbox_due(&o->rows[i], now))
			next = now;
		else if (next < 0 || o->rows[i].next_try < next)
			next = o->rows[i].next_try;
	}
	o->due_ms = next < 0 ? 0 : ui_now_ms() + (next - now) * 1000;
	o->sc.count = (int64_t)o->n;
	ui_scroll_fix(&o->sc);
	/* Everything went out: nothing left to look at. */
	if (o->n == 0 && ui->mode == UI_MODE_OUTBOX)
		ui->mode = o->back;
	if (o->n != was)
		ui->folders_stale = true;	/* its row and count */
}

/* Ask the workers of accounts with due rows to send them. */
void
ui_outbox_tick(struct ui *ui)
{
	struct ui_outbox	*o = &ui->outbox;
	int64_t			 now = (int64_t)time(NULL);
	bool			*asked;
	size_t			 i, a;

	if (o->due_ms == 0 || ui_now_ms() < o->due_ms)
		return;
	asked = xcalloc(ui->naccounts + 1, sizeof *asked);
	for (i = 0; i < o->n; i++) {
		a = ui_outbox_account(ui, o->rows[i].account);
		if (a < ui->naccounts && !asked[a] &&
		    ui_outbox_due(&o->rows[i], now)) {
			asked[a] = true;
			ui_submit(ui, a, WORKER_SEND, 0, 0, 0);
		}
	}
	free(asked);
	/* Until a worker reports back (WORKER_EV_OUTBOX reloads). */
	o->due_ms = ui_now_ms() + UI_OUTBOX_TICK_MS;
}

/* How long poll may sleep for the outbox (-1: no limit). */
int
ui_outbox_timeout(const struct ui *ui)
{
	int64_t	left;

	if (ui->outbox.due_ms == 0)
		return -1;
	left = ui->outbox.due_ms - ui_now_ms();
	return left < 0 ? 0 : left > INT32_MAX ? INT32_MAX : (int)left;
}

/* W: show the outbox. */
void
ui_outbox_open(struct ui *ui)
{
	ui_outbox_reload(ui);
	if (ui->outbox.n == 0) {
		ui_status_set_message(ui, false, _("The outbox is empty: "
		    "everything was sent."));
		return;
	}
	ui->outbox.back = ui->mode;
	ui->mode = UI_MODE_OUTBOX;
}

/* The row under the cursor, or NULL. */
static const struct cache_outbox *
ui_outbox_current(const struct ui *ui)
{
	const struct ui_outbox	*o = &ui->outbox;

	if (o->n == 0 || o->sc.cursor < 0 || o->sc.cursor >= (int64_t)o->n)
		return NULL;
	return &o->rows[o->sc.cursor];
}

/* d answered y: drop the message for good. */
void
ui_outbox_delete(struct ui *ui, int64_t id)
{
	struct error	err;

	if (cache_outbox_remove(ui->cache, id, &err) == -1)
		ui_status_set_message(ui, true, err.msg);
	else
		ui_status_set_message(ui, false, _("Deleted from the outbox: "
		    "it will not be sent."));
	ui_outbox_reload(ui);
}

/* Enter/y: send now; d: delete (asks); e: edit a draft. */
static void
ui_outbox_act(struct ui *ui, enum ui_action a)
{
	const struct cache_outbox	*m = ui_outbox_current(ui);
	size_t				 acct;

	if (m == NULL)
		return;
	acct = ui_outbox_account(ui, m->account);
	if (a == UI_ACT_OUTBOX_DELETE) {
		ui_prompt_start(ui, UI_CONFIRM_OUTBOX_DELETE, _("Delete this "
		    "message from the outbox, unsent? (y/n)"), NULL);
		ui->prompt.msg_id = m->id;
		return;
	}
	if (acct >= ui->naccounts) {
		ui_status_set_message(ui, true, _("No account of that name "
		    "is configured any more."));
		return;
	}
	if (a == UI_ACT_RESUME) {
		if (m->state != CACHE_OUTBOX_DRAFT)
			ui_status_set_message(ui, false, _("Only a draft can be "
			    "edited here; Enter sends."));
		else
			ui_compose_resume_outbox(ui, acct, m->id);
		return;
	}
	ui_submit(ui, acct, WORKER_SEND, 0, m->id, 0);
	ui_status_set_message(ui, false, _("Sending..."));
}

/* One key in the outbox view. */
void
ui_outbox_key(struct ui *ui, int key)
{
	enum ui_action	a = ui_keymap_lookup(UI_MAP_OUTBOX, key);

	if (ui_keys_scroll(&ui->outbox.sc, a))
		return;
	switch (a) {
	case UI_ACT_BACK:
		ui->mode = ui->outbox.back;
		break;
	case UI_ACT_SEND:
	case UI_ACT_OUTBOX_DELETE:
	case UI_ACT_RESUME:
		ui_outbox_act(ui, a);
		break;
	case UI_ACT_HELP:
		ui_keys_help(ui);
		break;
	default:
		break;
	}
}

/* One row: when, the account, to whom, the subject, the state. */
static void
ui_outbox_draw_row(struct ui *ui, int y, const struct cache_outbox *m,
    bool cursor)
{
	char	 date[UI_DATE_MAX];
	char	*line, *clean, *state;
	attr_t	 attr = cursor ? A_REVERSE : A_NORMAL;

	ui_date_format(m->created, time(NULL), date, sizeof date);
	if (m->state == CACHE_OUTBOX_ACCEPTED)
		state = xstrdup(_("sent; Sent copy waits"));
	else if (m->state == CACHE_OUTBOX_DRAFT)
		state = xstrdup(_("draft, for the Drafts folder"));
	else if (m->last_error != NULL)
		state = xasprintf(_("failed %d times"), m->attempts);
	else
		state = xstrdup(_("waiting"));
	line = xasprintf("%s [%s] %s: %s (%s)", date, m->account,
	    m->to_line != NULL ? m->to_line : "", m->subject != NULL ?
	    m->subject : _("(no subject)"), state);
	clean = sanitize_line_dup(line);
	ui_draw_fill(y, 0, ui->cols, attr);
	ui_draw_str(y, 1, ui->cols - 1, clean, attr);
	free(clean);
	free(line);
	free(state);
}

/* The outbox view over the main area; the cursor row's error below. */
void
ui_outbox_draw(struct ui *ui)
{
	struct ui_outbox		*o = &ui->outbox;
	const struct cache_outbox	*m;
	char				*err;
	int				 y, h = ui->main_height - 3;
	int64_t				 i;

	ui_draw_str(0, 0, ui->cols, _("Outbox: not yet accepted by a "
	    "server (Enter sends now, d deletes, q returns)"), A_BOLD);
	ui_scroll_resize(&o->sc, h > 1 ? h : 1);
	for (y = 0; y < h; y++) {
		i = o->sc.top + y;
		if (i >= (int64_t)o->n)
			break;
		ui_outbox_draw_row(ui, y + 1, &o->rows[i], i == o->sc.cursor);
	}
	if ((m = ui_outbox_current(ui)) != NULL && m->last_error != NULL &&
	    ui->main_height > 2) {
		err = sanitize_line_dup(m->last_error);
		ui_draw_str(ui->main_height - 1, 0, ui->cols, err,
		    A_BOLD | ui_color(ui, UI_PAIR_ERROR));
		free(err);
	}
}
