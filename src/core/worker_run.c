/*
 * worker_run.c - what the worker does for each command, the replay of
 * pending operations, going offline and coming back.
 *
 * Order matters: queued operations are replayed before any sync, so a
 * sync never brings back the server's old flags over a change the user
 * made (the cache shows the user's change until the server has it).
 */
#include <poll.h>
#include <stdlib.h>
#include <string.h>

#include "core/config_pin.h"
#include "core/sync.h"
#include "core/worker_impl.h"
#include "util/log.h"
#include "util/xmalloc.h"

#define WORKER_BACKOFF_MAX_S	30
#define WORKER_OP_BATCH		256	/* flag changes sent in one STORE */
#define WORKER_OP_ATTEMPTS	3	/* a refused operation is dropped after */
#define WORKER_IDLE_MS		(5 * 60 * 1000)	/* then resync all folders */
#define WORKER_DEFER_MAX	64	/* commands kept while asking a password */

/* The connection works (again): say so once. */
static void
worker_online(struct worker *w)
{
	if (!w->offline)
		return;
	w->offline = false;
	w->auth_failed = false;
	w->backoff_s = 1;
	w->retry_at_ms = 0;
	worker_emit(w, WORKER_EV_CONNECTION, 0, 0, "online");
}

/*
 * A certificate that failed verification on an account without a pin:
 * tell the UI once per fingerprint, so it can offer to pin it.
 */
static void
worker_cert_offer(struct worker *w, const struct error *err)
{
	char	*fp, *reason, *text;

	if (err->code != ERR_TLS_VERIFY ||
	    w->account->cfg->tls.fingerprint != NULL ||
	    config_pin_parse_error(err->msg, &fp, &reason) == -1)
		return;
	if (w->cert_offered == NULL || strcmp(w->cert_offered, fp) != 0) {
		text = xasprintf("%s %s", fp, reason);
		worker_emit(w, WORKER_EV_CERT, 0, 0, text);
		free(text);
		free(w->cert_offered);
		w->cert_offered = fp;
		fp = NULL;
	}
	free(fp);
	free(reason);
}

/* The user pinned the certificate: use the pin and reconnect at once. */
static void
worker_pin(struct worker *w, const char *fingerprint)
{
	if (fingerprint == NULL || strncmp(fingerprint, "sha256:", 7) != 0)
		return;
	/* A copy of the config entry: the UI thread reads the original. */
	if (w->account->cfg != &w->cfg_pinned)
		w->cfg_pinned = *w->account->cfg;
	free(w->pin);
	w->pin = xstrdup(fingerprint);
	w->cfg_pinned.tls.fingerprint = w->pin;
	account_close(w->account);
	w->account->cfg = &w->cfg_pinned;
	log_info("worker", "[%s] certificate pinned: %s", w->cfg->name,
	    w->pin);
	w->auth_failed = false;
	w->backoff_s = 1;
	w->retry_at_ms = 0;
	worker_retry(w);
}

/* Report a failure; an account-scope one takes the account offline. */
void
worker_failed(struct worker *w, const struct error *err)
{
	char	*text;

	if (err->code == ERR_CANCELLED)
		return;
	log_warn("worker", "[%s] %s", w->cfg->name, err->msg);
	worker_emit(w, WORKER_EV_ERROR, 0, 0, err->msg);
	if (err->scope != ERR_SCOPE_ACCOUNT)
		return;
	worker_cert_offer(w, err);
	w->offline = true;
	if (err->code == ERR_AUTH || err->code == ERR_CONFIG) {
		/*
		 * Retrying a refused password could lock the account: wait for
		 * the user to ask (any command tries again).  TLS failures are
		 * retried: a server restarting mid-handshake looks like one.
		 */
		w->auth_failed = true;
		w->retry_at_ms = 0;
		text = xasprintf("offline: %s", err->msg);
	} else {
		w->retry_at_ms = worker_now_ms() + w->backoff_s * 1000;
		text = xasprintf("offline: %s; retrying in %d s", err->msg,
		    w->backoff_s);
		w->backoff_s = w->backoff_s * 2 > WORKER_BACKOFF_MAX_S ?
		    WORKER_BACKOFF_MAX_S : w->backoff_s * 2;
	}
	worker_emit(w, WORKER_EV_CONNECTION, 0, 0, text);
	free(text);
	/*
	 * A typed password the server refused: forget it and ask once more.
	 * Nothing is retried until the user answers, so no loop can lock
	 * the account.
	 */
	if (err->code == ERR_AUTH && w->account->password != NULL) {
		xfree_secret(w->account->password);
		w->account->password = NULL;
		w->asking_password = true;
		worker_emit(w, WORKER_EV_NEED_PASSWORD, 0, 0, w->cfg->name);
	}
}

/* Look up a folder for a command; false (reported) if it is gone. */
static bool
worker_folder(struct worker *w, int64_t id, struct cache_folder *f)
{
	struct error	err;
	int		rc;

	rc = cache_folder_get(w->cache, id, f, &err);
	if (rc == 1)
		error_set(&err, ERR_NOTFOUND, ERR_SCOPE_OP,
		    "folder no longer in the cache");
	if (rc != 0) {
		worker_failed(w, &err);
		cache_folder_fini(f);
		return false;
	}
	return true;
}

/* How many queued ops from i on can go in one call with ops[i]. */
static size_t
worker_op_run_len(const struct cache_op *ops, size_t n, size_t i)
{
	size_t	j = i + 1;

	if (ops[i].type != CACHE_OP_FLAGS && ops[i].type != CACHE_OP_EXPUNGE)
		return 1;
	while (j < n && j - i < WORKER_OP_BATCH && ops[j].type == ops[i].type &&
	    ops[j].folder_id == ops[i].folder_id &&
	    ops[j].add == ops[i].add && ops[j].remove == ops[i].remove)
		j++;
	return j - i;
}

/*
 * Send one batch of like operations to the server: 0, -1 with err, or 1
 * when an import from another account waits for its body.
 */
static int
worker_op_send(struct worker *w, const struct cache_op *op,
    const char *const *ids, size_t n, struct error *err)
{
	struct cache_folder	from, to;
	int			rc = -1;

	if (op->type == CACHE_OP_XMOVE || op->type == CACHE_OP_XCOPY)
		return worker_op_import(w, op, err);
	memset(&to, 0, sizeof to);
	if (cache_folder_get(w->cache, op->folder_id, &from, err) != 0 ||
	    ((op->type == CACHE_OP_MOVE || op->type == CACHE_OP_COPY) &&
	    cache_folder_get(w->cache, op->target_folder_id, &to, err) != 0)) {
		error_set(err, ERR_NOTFOUND, ERR_SCOPE_OP,
		    "the folder of a queued operation no longer exists");
		goto out;
	}
	switch (op->type) {
	case CACHE_OP_FLAGS:
		rc = account_store_flags(w->account, &from, ids, n, op->add,
		    op->remove, w->cache, err);
		break;
	case CACHE_OP_MOVE:
		rc = account_move(w->account, &from, ids, n, &to, w->cache,
		    err);
		break;
	case CACHE_OP_COPY:
		rc = account_copy(w->account, &from, ids, n, &to, w->cache,
		    err);
		break;
	case CACHE_OP_EXPUNGE:
		rc = account_expunge(w->account, &from, ids, n, w->cache, err);
		break;
	case CACHE_OP_XMOVE:
	case CACHE_OP_XCOPY:
		break;
	}
out:
	cache_folder_fini(&from);
	cache_folder_fini(&to);
	return rc;
}

/* Record the outcome of a batch in the queue; false to stop replaying. */
static bool
worker_op_result(struct worker *w, const struct cache_op *ops, size_t len,
    int rc, const struct error *err)
{
	struct error	cerr;
	size_t		k;

	if (rc == 1)
		return true;	/* an import waits for its body: kept as is */
	for (k = 0; k < len; k++) {
		if (rc == 0 || ops[k].attempts + 1 >= WORKER_OP_ATTEMPTS ||
		    err->code == ERR_NOTFOUND)
			cache_op_done(w->cache, ops[k].id, &cerr);
		else
			cache_op_failed(w->cache, ops[k].id, err->msg, &cerr);
	}
	if (rc == 0)
		return true;
	worker_failed(w, err);
	return err->scope != ERR_SCOPE_ACCOUNT && err->code != ERR_CANCELLED;
}

/* Replay pending operations in order; false if the server went away. */
bool
worker_flush_ops(struct worker *w)
{
	struct cache_op	*ops = NULL;
	struct error	 err;
	const char	**ids;
	size_t		 n = 0, i, len, k;
	bool		 ok = true;
	int		 rc;

	if (w->cfg->read_only)
		return true;	/* kept for a read-write session */
	if (cache_op_list(w->cache, w->account->cache_id, &ops, &n, &err) == -1) {
		worker_failed(w, &err);
		return true;
	}
	ids = xcalloc(WORKER_OP_BATCH, sizeof *ids);
	for (i = 0; i < n && ok; i += len) {
		len = worker_op_run_len(ops, n, i);
		for (k = 0; k < len; k++)
			ids[k] = ops[i + k].remote_id;
		error_clear(&err);
		rc = worker_op_send(w, &ops[i], ids, len, &err);
		ok = worker_op_result(w, &ops[i], len, rc, &err);
		if (rc == 0)
			worker_emit(w, WORKER_EV_MESSAGES, ops[i].folder_id, 0,
			    NULL);
	}
	free(ids);
	cache_op_list_free(ops, n);
	if (ok && n > 0)
		worker_online(w);
	return ok;
}

static void
worker_folders_listed(void *arg)
{
	worker_emit(arg, WORKER_EV_FOLDERS, 0, 0, NULL);
}

static void
worker_folder_begin(void *arg, const struct cache_folder *f)
{
	struct worker	*w = arg;

	w->syncing_folder = f->id;
	w->refreshed_folder = 0;
}

static void
worker_folder_done(void *arg, const struct cache_folder *f,
    const struct error *err)
{
	struct worker	*w = arg;
	char		*text;

	w->syncing_folder = 0;
	worker_emit(w, WORKER_EV_MESSAGES, f->id, 0, NULL);
	if (err != NULL && err->scope != ERR_SCOPE_ACCOUNT) {
		text = xasprintf("%s: %s", f->name, err->msg);
		worker_emit(w, WORKER_EV_ERROR, f->id, 0, text);
		free(text);
	}
}

/* Flush, then sync every folder. */
static void
worker_sync_all(struct worker *w)
{
	struct sync_hooks	hooks = { worker_folders_listed,
	    worker_folder_begin, worker_folder_done, w };
	struct error		err;

	w->need_sync_all = true;
	if (!worker_flush_ops(w))
		return;
	error_clear(&err);
	if (sync_account(w->account, w->cache, &hooks, &err) == -1 &&
	    (err.scope == ERR_SCOPE_ACCOUNT || err.code == ERR_CANCELLED)) {
		worker_failed(w, &err);
		return;
	}
	w->need_sync_all = false;
	w->last_full_sync_ms = worker_now_ms();
	w->need_index = true;
	worker_online(w);
	worker_emit(w, WORKER_EV_STATUS, 0, 0, "");
}

/* Flush, then sync one folder. */
static void
worker_sync_folder(struct worker *w, int64_t folder_id)
{
	struct cache_folder	f;
	struct error		err;
	int			rc;

	if (!worker_flush_ops(w) || !worker_folder(w, folder_id, &f))
		return;
	error_clear(&err);
	w->syncing_folder = f.id;
	w->refreshed_folder = 0;
	rc = account_sync_folder(w->account, &f, w->cache, &err);
	w->syncing_folder = 0;
	if (rc == 0) {
		worker_online(w);
		w->need_index = true;
		worker_emit(w, WORKER_EV_MESSAGES, f.id, 0, NULL);
		worker_emit(w, WORKER_EV_STATUS, 0, 0, "");
	} else
		worker_failed(w, &err);
	cache_folder_fini(&f);
}

/* Download a message body. */
static void
worker_fetch_body(struct worker *w, int64_t msg_id)
{
	struct cache_folder	f;
	struct cache_msg	m;
	struct error		err;
	int			rc;

	memset(&f, 0, sizeof f);
	if ((rc = cache_msg_get(w->cache, msg_id, &m, &err)) != 0) {
		if (rc == 1)
			error_set(&err, ERR_NOTFOUND, ERR_SCOPE_OP,
			    "message no longer in the cache");
		worker_failed(w, &err);
	} else if (worker_folder(w, m.folder_id, &f)) {
		account_status(w->account, "fetching message %s", m.remote_id);
		if (account_fetch_message(w->account, &f, m.remote_id,
		    w->cache, &err) == 0) {
			worker_online(w);
			worker_emit(w, WORKER_EV_BODY, f.id, m.id, NULL);
		} else
			worker_failed(w, &err);
		worker_emit(w, WORKER_EV_STATUS, 0, 0, "");
	}
	cache_msg_fini(&m);
	cache_folder_fini(&f);
}

/* Change flags on one message right away (the older, direct path). */
static void
worker_set_flags(struct worker *w, const struct worker_cmd *cmd)
{
	struct cache_folder	f;
	struct cache_msg	m;
	struct error		err;
	const char		*id;

	memset(&f, 0, sizeof f);
	if (cache_msg_get(w->cache, cmd->msg_id, &m, &err) != 0)
		error_set(&err, ERR_NOTFOUND, ERR_SCOPE_OP,
		    "message no longer in the cache");
	else if (worker_folder(w, m.folder_id, &f)) {
		id = m.remote_id;
		if (account_store_flags(w->account, &f, &id, 1, cmd->add,
		    cmd->remove, w->cache, &err) == 0)
			worker_emit(w, WORKER_EV_MESSAGES, f.id, m.id, NULL);
		else
			worker_failed(w, &err);
	}
	cache_msg_fini(&m);
	cache_folder_fini(&f);
}

/* Create, rename or delete a folder. */
static void
worker_folder_edit(struct worker *w, const struct worker_cmd *cmd)
{
	struct cache_folder	f;
	struct error		err;
	int			rc;

	memset(&f, 0, sizeof f);
	error_clear(&err);
	if (cmd->type == WORKER_CREATE_FOLDER)
		rc = account_create_folder(w->account, cmd->text ? cmd->text :
		    "", w->cache, &err);
	else if (!worker_folder(w, cmd->folder_id, &f))
		return;
	else if (cmd->type == WORKER_RENAME_FOLDER)
		rc = account_rename_folder(w->account, &f, cmd->text ?
		    cmd->text : "", w->cache, &err);
	else
		rc = account_delete_folder(w->account, &f, w->cache, &err);
	if (rc == 0)
		worker_emit(w, WORKER_EV_FOLDERS, 0, 0, NULL);
	else
		worker_failed(w, &err);
	cache_folder_fini(&f);
}

/* Search on the server and report the matching cached messages. */
static void
worker_search(struct worker *w, const struct worker_cmd *cmd)
{
	struct cache_folder	 f;
	struct cache_msg	 m;
	struct error		 err;
	char			**rids = NULL;
	int64_t			*ids;
	size_t			 n = 0, i, k = 0;

	if (!worker_folder(w, cmd->folder_id, &f))
		return;
	account_status(w->account, "searching %s on the server", f.name);
	if (account_search(w->account, &f, cmd->text ? cmd->text : "", &rids,
	    &n, &err) == -1) {
		worker_failed(w, &err);
		worker_emit_ids(w, f.id, NULL, 0);
	} else {
		ids = xcalloc(n ? n : 1, sizeof *ids);
		for (i = 0; i < n; i++) {
			if (cache_msg_find(w->cache, f.id, rids[i], &m,
			    &err) == 0)
				ids[k++] = m.id;
			cache_msg_fini(&m);
		}
		worker_emit_ids(w, f.id, ids, k);
	}
	worker_emit(w, WORKER_EV_STATUS, 0, 0, "");
	cache_strv_free(rids, n);
	cache_folder_fini(&f);
}

/*
 * Must the user type a password before the account can connect?  Only
 * when nothing in the config provides one (password, password_command,
 * oauth2_token_command) and a user is set (else there is no login).
 */
static bool
worker_password_missing(const struct worker *w)
{
	const struct config_account	*c = w->cfg;

	return !w->account->connected && w->account->password == NULL &&
	    c->user != NULL && c->password == NULL &&
	    c->password_command == NULL && c->oauth2_token_command == NULL;
}

/* Keep a command until the password comes; ask for it once. */
static void
worker_defer(struct worker *w, const struct worker_cmd *cmd)
{
	struct worker_cmd_node	*n;

	if (cmd->type == WORKER_WATCH_FOLDER)
		w->watch_folder = cmd->folder_id;
	if (cmd->type == WORKER_SYNC_ALL)
		w->need_sync_all = true;
	if (w->ndeferred < WORKER_DEFER_MAX) {
		n = xcalloc(1, sizeof *n);
		n->cmd = *cmd;
		n->cmd.text = cmd->text != NULL ? xstrdup(cmd->text) : NULL;
		*w->deferred_tail = n;
		w->deferred_tail = &n->next;
		w->ndeferred++;
	}
	if (w->asking_password)
		return;
	/* Offline, and no automatic retry: only the answer goes on. */
	w->asking_password = true;
	w->offline = true;
	w->auth_failed = true;
	w->retry_at_ms = 0;
	worker_emit(w, WORKER_EV_NEED_PASSWORD, 0, 0, w->cfg->name);
}

/* Reconnect: resync all, or the watched folder, or replay the queue. */
void
worker_retry(struct worker *w)
{
	struct worker_cmd	retry = { .type = WORKER_FLUSH_OPS };

	if (w->need_sync_all)
		retry.type = WORKER_SYNC_ALL;
	else if (w->watch_folder != 0) {
		retry.type = WORKER_WATCH_FOLDER;
		retry.folder_id = w->watch_folder;
	}
	worker_run(w, &retry);
}

/*
 * The user answered the password prompt: keep the password for
 * reconnects and run what waited for it, or (declined) drop that.
 */
static void
worker_password(struct worker *w, const char *password)
{
	struct worker_cmd_node	*list, *n;

	w->asking_password = false;
	list = w->deferred;
	w->deferred = NULL;
	w->deferred_tail = &w->deferred;
	w->ndeferred = 0;
	if (password == NULL) {
		worker_cmd_list_free(list);
		worker_emit(w, WORKER_EV_CONNECTION, 0, 0,
		    "offline: no password given");
		return;
	}
	xfree_secret(w->account->password);
	w->account->password = xstrdup(password);
	w->auth_failed = false;
	if (list == NULL)
		worker_retry(w);
	/* After a refusal these wait again (worker_defer), unasked. */
	for (; list != NULL; list = n) {
		n = list->next;
		worker_run(w, &list->cmd);
		worker_cmd_fini(&list->cmd);
		free(list);
	}
}

/* Run one command on the worker thread. */
void
worker_run(struct worker *w, const struct worker_cmd *cmd)
{
	if (cmd->type == WORKER_PASSWORD) {
		worker_password(w, cmd->text);
		return;
	}
	if (cmd->type == WORKER_PIN) {
		worker_pin(w, cmd->text);
		return;
	}
	if (worker_password_missing(w)) {
		worker_defer(w, cmd);
		return;
	}
	switch (cmd->type) {
	case WORKER_SYNC_ALL:
		worker_sync_all(w);
		break;
	case WORKER_SYNC_FOLDER:
		worker_sync_folder(w, cmd->folder_id);
		break;
	case WORKER_WATCH_FOLDER:
		w->watch_folder = cmd->folder_id;
		worker_sync_folder(w, cmd->folder_id);
		break;
	case WORKER_FETCH_BODY:
		worker_fetch_body(w, cmd->msg_id);
		break;
	case WORKER_SET_FLAGS:
		worker_set_flags(w, cmd);
		break;
	case WORKER_FLUSH_OPS:
		worker_flush_ops(w);
		break;
	case WORKER_CREATE_FOLDER:
	case WORKER_RENAME_FOLDER:
	case WORKER_DELETE_FOLDER:
		worker_folder_edit(w, cmd);
		break;
	case WORKER_SEARCH:
		worker_search(w, cmd);
		break;
	case WORKER_SEND:
		worker_send(w, cmd->msg_id);
		break;
	case WORKER_PASSWORD:
	case WORKER_PIN:
		break;
	}
}

/*
 * Between commands: index a chunk of the messages a sync stored, so that
 * a command arriving meanwhile (a body to fetch, a flag to send) waits
 * for one short transaction at most, not for a whole folder's index.
 */
void
worker_index(struct worker *w)
{
	struct error	 err;
	int		 rc;

	error_clear(&err);
	if ((rc = cache_search_index_some(w->cache, &err)) != 1)
		w->need_index = false;
	if (rc == -1)
		worker_failed(w, &err);
}

/*
 * Keep the watched folder fresh until a command arrives: IDLE where the
 * server has it (polling otherwise, in account_wait_changes); every few
 * minutes without a command, resync all folders for their counts.
 */
void
worker_idle(struct worker *w)
{
	struct cache_folder	f;
	struct error		err;
	int			rc;

	/* A watched folder that was deleted or renamed is simply let go. */
	error_clear(&err);
	if ((rc = cache_folder_get(w->cache, w->watch_folder, &f, &err)) != 0) {
		if (rc == -1)
			worker_failed(w, &err);
		w->watch_folder = 0;
		cache_folder_fini(&f);
		return;
	}
	w->syncing_folder = f.id;
	w->refreshed_folder = 0;
	rc = account_wait_changes(w->account, &f, w->cache, w->cmd[0],
	    WORKER_IDLE_MS, &err);
	w->syncing_folder = 0;
	if (rc == 1) {
		w->need_index = true;
		worker_emit(w, WORKER_EV_MESSAGES, f.id, 0, NULL);
		/* The resync inside reported progress: clear it. */
		worker_emit(w, WORKER_EV_STATUS, 0, 0, "");
	} else if (rc == -1)
		worker_failed(w, &err);
	else if (worker_now_ms() - w->last_full_sync_ms >= WORKER_IDLE_MS) {
		struct pollfd	pfd = { w->cmd[0], POLLIN, 0 };

		if (poll(&pfd, 1, 0) == 0)
			worker_sync_all(w);
	}
	cache_folder_fini(&f);
}
