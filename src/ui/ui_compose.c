/*
 * ui_compose.c - writing a message: m (new), r (reply), g (reply to all)
 * and f (forward, inline or as an attachment) start a draft
 * (src/compose), the editor runs on it with the headers at the top, then
 * the composer pane (ui_compose_pane.c) reviews it; y sends it.
 *
 * Sending never waits on the network, nor on the building: a job thread
 * (ui_compose_job.c) builds the message (src/mime build.h) and stores it
 * in the cache's outbox while the composer waits, then the account's
 * worker sends it (WORKER_SEND) and tells the outcome.  A reply to a message
 * whose body is not cached yet waits for it (WORKER_FETCH_BODY).  An
 * unchanged new message or reply is dropped, as mutt does; anything else
 * is only dropped after the user said so.  P postpones: the draft goes
 * through the outbox into the Drafts folder; e on a message in Drafts
 * resumes it, and the old draft is removed once the new one is queued.
 */
#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "compose/compose.h"
#include "core/account.h"
#include "send/outbox.h"
#include "ui/ui_i18n.h"
#include "ui/ui_internal.h"
#include "util/log.h"
#include "util/xmalloc.h"

/* The From line of account i: from, else user when it is an address. */
static const char *
ui_compose_from(const struct ui *ui, size_t acct)
{
	const struct config_account	*a = ui->accounts[acct].cfg;

	if (a->send.from != NULL)
		return a->send.from;
	if (a->user != NULL && strchr(a->user, '@') != NULL)
		return a->user;
	return NULL;
}

/* Drop the draft and leave the composer. */
void
ui_compose_close(struct ui *ui)
{
	struct ui_compose	*c = &ui->compose;

	compose_draft_fini(&c->d);
	if (c->active && ui->mode == UI_MODE_COMPOSE)
		ui->mode = c->back;
	c->active = false;
	c->cursor = 0;
	free(c->resumed_remote);
	c->resumed_remote = NULL;
	c->resumed_folder = 0;
	c->resumed_outbox = 0;
	ui_complete_fini(&c->complete);
}

/* Run the editor on the draft, out of curses mode; its return value. */
int
ui_compose_edit(struct ui *ui)
{
	struct error	err;
	int		rc;

	def_prog_mode();
	endwin();
	rc = compose_edit_run(&ui->compose.d, ui->cfg->editor, &err);
	reset_prog_mode();
	clearok(curscr, TRUE);
	ui_layout(ui);
	if (rc == -1)
		ui_status_set_message(ui, true, err.msg);
	return rc;
}

/* Start the draft now that the original (if any) is at hand. */
static void
ui_compose_begin(struct ui *ui, enum compose_kind kind, size_t acct,
    const char *orig, size_t len)
{
	struct ui_compose	*c = &ui->compose;
	struct compose_identity	 id;
	struct error		 err;
	const char		*from = ui_compose_from(ui, acct);

	if (from == NULL) {
		ui_status_set_message(ui, true, _("Set 'from = Name <address>' "
		    "in the account's section to write mail."));
		return;
	}
	memset(&id, 0, sizeof id);
	id.from = from;
	id.alternates = (const char *const *)ui->accounts[acct].cfg->
	    send.alternates;
	memset(&c->d, 0, sizeof c->d);
	if (compose_start(&c->d, kind, &id, orig, len, &err) == -1) {
		ui_status_set_message(ui, true, err.msg);
		compose_draft_fini(&c->d);
		return;
	}
	c->account = acct;
	c->back = ui->mode == UI_MODE_COMPOSE ? UI_MODE_INDEX : ui->mode;
	c->cursor = 0;
	/* An unchanged forward is still worth sending; a failed editor
	 * leaves the draft in the pane (e tries again). */
	if (ui_compose_edit(ui) == 1 && (kind == COMPOSE_NEW ||
	    kind == COMPOSE_REPLY || kind == COMPOSE_REPLY_ALL)) {
		compose_draft_fini(&c->d);
		ui_status_set_message(ui, false, _("Not sent: the message was "
		    "not changed."));
		return;
	}
	c->active = true;
	ui->mode = UI_MODE_COMPOSE;
}

/* The original message of a reply or forward: the current one. */
static int64_t
ui_compose_original(struct ui *ui)
{
	const struct cache_msg	*m;

	if (ui->mode == UI_MODE_PAGER)
		return ui->pager.msg_id;
	if (ui->index.folder_id != 0 && (m = ui_index_current(ui)) != NULL)
		return m->id;
	return 0;
}

/*
 * A resumed message that sits in a Drafts folder of a writable account is
 * the draft being edited: remember it, to drop it once replaced.
 */
static void
ui_compose_note_draft(struct ui *ui, size_t acct, int64_t msg_id)
{
	struct ui_compose	*c = &ui->compose;
	struct cache_msg	 m;
	struct cache_folder	 f;
	struct error		 err;

	memset(&f, 0, sizeof f);
	if (ui->accounts[acct].cfg->read_only ||
	    cache_msg_get(ui->cache, msg_id, &m, &err) != 0)
		return;
	if (cache_folder_get(ui->cache, m.folder_id, &f, &err) == 0 &&
	    (f.role == CACHE_ROLE_DRAFTS || (f.name != NULL &&
	    strcmp(f.name, "Drafts") == 0))) {
		c->resumed_folder = m.folder_id;
		c->resumed_remote = m.remote_id;
		c->resumed_account = acct;
		m.remote_id = NULL;
	}
	cache_folder_fini(&f);
	cache_msg_fini(&m);
}

/* The draft that was resumed is replaced: remove it (queued, as d + $). */
static void
ui_compose_drop_resumed(struct ui *ui)
{
	struct ui_compose	*c = &ui->compose;
	struct cache_op		 op;
	struct error		 err;
	int64_t			 acct_id;

	if (c->resumed_outbox != 0) {
		if (cache_outbox_remove(ui->cache, c->resumed_outbox,
		    &err) == -1)
			ui_status_set_message(ui, true, err.msg);
		c->resumed_outbox = 0;
	}
	if (c->resumed_folder == 0 ||
	    (acct_id = ui_ops_account_id(ui, c->resumed_account)) < 0)
		return;
	if (cache_begin(ui->cache, &err) == -1)
		goto fail;
	memset(&op, 0, sizeof op);
	op.account_id = acct_id;
	op.type = CACHE_OP_FLAGS;
	op.folder_id = c->resumed_folder;
	op.remote_id = c->resumed_remote;
	op.add = CACHE_FLAG_DELETED;
	if (cache_op_add(ui->cache, &op, &err) == -1)
		goto rollback;
	op.type = CACHE_OP_EXPUNGE;
	op.add = 0;
	if (cache_op_add(ui->cache, &op, &err) == -1 ||
	    cache_msg_remove(ui->cache, c->resumed_folder, c->resumed_remote,
	    &err) == -1 || cache_commit(ui->cache, &err) == -1)
		goto rollback;
	ui_submit(ui, c->resumed_account, WORKER_FLUSH_OPS, 0, 0, 0);
	ui->index_stale = ui->folders_stale = true;
	return;
rollback:
	cache_rollback(ui->cache);
fail:
	ui_status_set_message(ui, true, err.msg);
}

/* Start kind for account acct on message msg_id (0 for a new one). */
static void
ui_compose_kind(struct ui *ui, enum compose_kind kind, size_t acct,
    int64_t msg_id)
{
	struct ui_compose	*c = &ui->compose;
	struct error		 err;
	char			*raw = NULL;
	size_t			 len = 0;
	int			 rc = 0;

	if (kind != COMPOSE_NEW &&
	    (rc = cache_body_get(ui->cache, msg_id, &raw, &len, &err)) != 0) {
		if (rc == -1) {
			ui_status_set_message(ui, true, err.msg);
			return;
		}
		/* Not downloaded yet: start when it is here. */
		c->wait_msg = msg_id;
		c->wait_kind = kind;
		c->wait_account = acct;
		ui_submit(ui, acct, WORKER_FETCH_BODY, 0, msg_id, 0);
		ui_status_set_message(ui, false, _("Downloading the message..."));
		return;
	}
	ui_compose_begin(ui, kind, acct, raw, len);
	free(raw);
	if (kind == COMPOSE_RESUME && c->active)
		ui_compose_note_draft(ui, acct, msg_id);
}

/*
 * e in the outbox view on a draft (one kept on quit for an account that
 * has no Drafts folder, say): it opens in the composer; its row goes once
 * the message replacing it is queued.
 */
void
ui_compose_resume_outbox(struct ui *ui, size_t acct, int64_t id)
{
	struct ui_compose	*c = &ui->compose;
	struct cache_outbox	 m;
	struct error		 err;

	if (c->active) {
		ui_status_set_message(ui, false, _("A message is being written "
		    "already: finish it first."));
		return;
	}
	if (cache_outbox_get(ui->cache, id, &m, &err) != 0) {
		ui_status_set_message(ui, true, _("That message is no longer "
		    "in the outbox."));
		return;
	}
	ui_compose_begin(ui, COMPOSE_RESUME, acct, m.raw, m.len);
	if (c->active)
		c->resumed_outbox = id;
	cache_outbox_fini(&m);
}

/* A body arrived: the draft that waited for it starts. */
void
ui_compose_body_ready(struct ui *ui, int64_t msg_id)
{
	struct ui_compose	*c = &ui->compose;

	if (c->wait_msg == 0 || c->wait_msg != msg_id || c->active)
		return;
	c->wait_msg = 0;
	ui_compose_kind(ui, c->wait_kind, c->wait_account, msg_id);
}

/* m, r, g, f: start a message. */
void
ui_compose_start(struct ui *ui, enum ui_action a)
{
	size_t	acct = ui->index.folder_id != 0 ? ui->index.account :
		    ui->selected;
	int64_t	msg = 0;

	if (ui->compose.active) {
		ui->mode = UI_MODE_COMPOSE;	/* one at a time: back to it */
		return;
	}
	if (a != UI_ACT_COMPOSE && (msg = ui_compose_original(ui)) == 0) {
		ui_status_set_message(ui, false, _("No message here."));
		return;
	}
	switch (a) {
	case UI_ACT_REPLY:
		ui_compose_kind(ui, COMPOSE_REPLY, acct, msg);
		break;
	case UI_ACT_REPLY_ALL:
		ui_compose_kind(ui, COMPOSE_REPLY_ALL, acct, msg);
		break;
	case UI_ACT_FORWARD:
		ui_prompt_start(ui, UI_MENU_FORWARD, _("Forward as an "
		    "attachment? (y: attachment, n: inline)"), NULL);
		ui->prompt.msg_id = msg;
		ui->prompt.account = acct;
		break;
	case UI_ACT_RESUME:
		ui_compose_kind(ui, COMPOSE_RESUME, acct, msg);
		break;
	default:
		ui_compose_kind(ui, COMPOSE_NEW, acct, 0);
		break;
	}
}

/* The answer to "Forward as an attachment?". */
void
ui_compose_forward_key(struct ui *ui, int key, size_t acct, int64_t msg)
{
	if (key == 'y' || key == 'Y')
		ui_compose_kind(ui, COMPOSE_FORWARD_ATTACH, acct, msg);
	else if (key == 'n' || key == 'N')
		ui_compose_kind(ui, COMPOSE_FORWARD_INLINE, acct, msg);
	else
		ui_status_set_message(ui, false, _("Cancelled."));
}

/*
 * Whether text may go as 8bit: only through SMTP, to a server whose last
 * EHLO offered 8BITMIME (sendmail_command's server is unknown).  A server
 * that stopped offering it refuses the message with a clear error, and
 * the next one is quoted-printable again.
 */
static bool
ui_compose_8bit(struct ui *ui, size_t acct)
{
	const struct config_account	*a = ui->accounts[acct].cfg;
	struct error			 err;
	int				 yes;

	if (a->send.smtp_host == NULL ||
	    cache_smtp_8bit_get(ui->cache, a->name, &yes, &err) == -1)
		return false;
	return yes == 1;
}

/*
 * What outbox_queue_built needs of the open draft (its strings and parts
 * lent by the draft, parts nattach + 1 long): to send, or (draft) to keep
 * in the Drafts folder, with its Bcc (which a sent message never shows).
 */
void
ui_compose_build(struct ui *ui, bool draft, struct mime_build_msg *m,
    struct mime_build_part *parts, struct outbox_build *b)
{
	struct ui_compose	*c = &ui->compose;

	compose_to_build(&c->d, m, parts);
	m->keep_bcc = draft;
	m->flowed = ui->cfg->format_flowed;
	m->allow_8bit = !draft && ui_compose_8bit(ui, c->account);
	memset(b, 0, sizeof *b);
	b->msg = m;
	b->dsn_notify = c->d.dsn_notify;
	b->dsn_ret = c->d.dsn_ret;
	b->draft = draft;
}

/* The job queued the message as id: send it (or file the draft). */
void
ui_compose_queued(struct ui *ui, bool draft, int64_t id)
{
	struct ui_compose	*c = &ui->compose;

	ui_submit(ui, c->account, WORKER_SEND, 0, id, 0);
	ui_compose_drop_resumed(ui);
	ui_compose_close(ui);
	ui_outbox_reload(ui);
	ui_status_set_message(ui, false, draft ? _("Postponed: saving to "
	    "Drafts...") : _("Sending..."));
}

/* Start the job that builds and queues the draft; errors keep it open. */
static void
ui_compose_queue(struct ui *ui, bool draft)
{
	struct error	err;

	if (ui_compose_job_start(ui, draft, &err) == -1) {
		ui_status_set_message(ui, true, err.msg);
		return;
	}
	ui_status_set_message(ui, false, _("Queueing the message..."));
}

/* y: queue the message and have the account's worker send it. */
void
ui_compose_send(struct ui *ui)
{
	struct ui_compose	*c = &ui->compose;

	if ((c->d.to == NULL || *c->d.to == '\0') &&
	    (c->d.cc == NULL || *c->d.cc == '\0') &&
	    (c->d.bcc == NULL || *c->d.bcc == '\0')) {
		ui_status_set_message(ui, true, _("No recipients: t edits To."));
		return;
	}
	ui_compose_queue(ui, false);
}

/* P: keep the draft in the account's Drafts folder, through the outbox. */
void
ui_compose_postpone(struct ui *ui)
{
	struct ui_compose		*c = &ui->compose;
	const struct config_account	*a = ui->accounts[c->account].cfg;
	const struct driver_ops		*ops = driver_find(a->driver);

	if (a->read_only || ops == NULL || !(ops->caps & DRIVER_CAP_APPEND)) {
		ui_status_set_message(ui, true, _("This account keeps no "
		    "drafts (POP3, mbox or read-only): send it or cancel."));
		return;
	}
	ui_compose_queue(ui, true);
}

/*
 * Quitting (a signal, or the terminal gone) with a draft open: it goes
 * into the outbox as a draft, for the Drafts folder at the next start
 * (or, for an account without drafts, kept in the outbox: W shows it).
 */
void
ui_compose_keep(struct ui *ui)
{
	struct mime_build_msg	 m;
	struct mime_build_part	*parts;
	struct outbox_build	 b;
	struct error		 err;
	int64_t			 id;
	int			 rc;

	/* y or P under way: its outcome first (it may close the draft). */
	ui_compose_job_wait(ui);
	if (!ui->compose.active)
		return;
	parts = xcalloc(ui->compose.d.nattach + 1, sizeof *parts);
	ui_compose_build(ui, true, &m, parts, &b);
	rc = outbox_queue_built(ui->cache, ui->accounts[ui->compose.account].cfg,
	    &b, &id, &err);
	free(parts);
	if (rc == -1)
		log_error("ui", "the message being written is lost: %s",
		    err.msg);
	else {
		log_info("ui", "the message being written is kept in the "
		    "outbox (%lld) for the Drafts folder", (long long)id);
		ui_compose_drop_resumed(ui);	/* it replaces the old */
	}
	ui_compose_close(ui);
}
