/*
 * pop3_driver.c - the POP3 account driver: its vtable, sessions, the one
 * folder (INBOX) and flags, which POP3 does not have.
 *
 * RFC 1939 knows no folders and no flags: the account shows one folder,
 * INBOX, and \Seen, \Flagged and the rest live only in the cache.  The
 * sync never rewrites a row it already has (pop3_sync.c), so they survive
 * every sync; store_flags changes the cache and nothing else.
 *
 * Sessions (see pop3_driver.h): open() connects and logs in, the first
 * sync uses that session, every later sync a new one; a body is fetched
 * on the session of the sync if it answered recently.
 */
#include <stdlib.h>
#include <string.h>

#include "net/pop3_driver.h"
#include "util/log.h"
#include "util/xmalloc.h"

/* The POP3 account behind a struct account. */
struct pop3_account *
pop3_account_get(struct account *a)
{
	return (struct pop3_account *)a;
}

/* Whether a remote id names a message kept after its deletion. */
bool
pop3_is_kept(const char *id)
{
	return strncmp(id, POP3_KEPT_PREFIX, strlen(POP3_KEPT_PREFIX)) == 0;
}

/* The folder must be INBOX: POP3 has no other. */
int
pop3_folder_check(const struct cache_folder *f, struct error *err)
{
	if (f->remote_name != NULL && strcmp(f->remote_name, POP3_INBOX) == 0)
		return 0;
	return error_set(err, ERR_NOTFOUND, ERR_SCOPE_FOLDER,
	    "POP3 has only the folder INBOX");
}

/* Allocate the account (no I/O). */
static struct account *
pop3_new(const struct config_account *cfg, struct error *err)
{
	struct pop3_account	*pa;

	if (cfg->host == NULL || *cfg->host == '\0') {
		error_set(err, ERR_CONFIG, ERR_SCOPE_ACCOUNT,
		    "[account %s]: no host", cfg->name);
		return NULL;
	}
	pa = xcalloc(1, sizeof *pa);
	pa->base.cfg = cfg;
	pa->base.wake_fd = -1;
	pop3_list_init(&pa->list);
	return &pa->base;
}

/* Close the session without a word. */
void
pop3_session_drop(struct pop3_account *pa)
{
	pop3_conn_free(pa->conn);
	pa->conn = NULL;
	pa->listed = false;
	pa->used = false;
}

/*
 * End the session.  QUIT, so the server can let go of the maildrop -
 * except on a read-only account that had to RETR: the server would mark
 * those messages seen when QUIT commits the session (RFC 1939 6: without
 * QUIT it must not change the maildrop).
 */
void
pop3_session_end(struct pop3_account *pa)
{
	struct pop3_conn	*c = pa->conn;
	struct error		 err;

	if (c != NULL && !c->broken && c->nfl == 0 &&
	    !(pa->base.cfg->read_only && c->retr)) {
		/*
		 * Nothing is pending (every DELE had its QUIT), so the answer
		 * is a courtesy: a session idle long enough for a NAT or the
		 * server to have dropped it silently gets a short wait.
		 */
		if (pop3_now() - c->used_ms > POP3_REUSE_MS &&
		    (c->timeout_ms <= 0 || c->timeout_ms > POP3_QUIT_MS)) {
			c->timeout_ms = POP3_QUIT_MS;
			stream_set_timeout(c->s, POP3_QUIT_MS);
		}
		if (pop3_conn_quit(c, &err) == -1)
			log_info("pop3", "%s: %s", c->host, err.msg);
	}
	pop3_session_drop(pa);
}

/* Free the account. */
static void
pop3_free(struct account *a)
{
	struct pop3_account	*pa = pop3_account_get(a);

	if (pa == NULL)
		return;
	pop3_session_drop(pa);
	pop3_list_fini(&pa->list);
	free(pa);
}

/* The password: typed by the user, else the config's. */
static char *
pop3_password(struct pop3_account *pa, struct error *err)
{
	const struct config_account	*cfg = pa->base.cfg;

	if (pa->base.password != NULL)
		return xstrdup(pa->base.password);
	if (cfg->oauth2_token_command != NULL && cfg->password == NULL &&
	    cfg->password_command == NULL)
		return NULL;		/* an OAuth account: no password */
	return config_account_password(cfg, err);
}

/* Start a session: connect and log in. */
int
pop3_session_open(struct pop3_account *pa, struct error *err)
{
	const struct config_account	*cfg = pa->base.cfg;
	char				*pass = NULL;
	int				 rc = -1;

	pop3_session_end(pa);
	if (cfg->user == NULL)
		return error_set(err, ERR_CONFIG, ERR_SCOPE_ACCOUNT,
		    "[account %s]: no user", cfg->name);
	if (pop3_conn_connect(cfg, pa->base.wake_fd, &pa->conn, err) == -1)
		return -1;
	account_status(&pa->base, "connected with %s", pa->conn->mode);
	error_clear(err);
	pass = pop3_password(pa, err);
	if (pass == NULL && err->code != ERR_NONE)
		goto out;
	if (pop3_conn_login(pa->conn, cfg->user, pass, err) == -1)
		goto out;
	log_info("pop3", "[%s] logged in to %s", cfg->name, cfg->host);
	rc = 0;

out:
	xfree_secret(pass);
	if (rc == -1) {
		error_widen(err, ERR_SCOPE_ACCOUNT);
		pop3_session_drop(pa);
	}
	return rc;
}

/*
 * A session for a sync: a POP3 session sees the maildrop as it was at its
 * login, so only one that served nothing yet (open()'s) will do.
 */
int
pop3_session_fresh(struct pop3_account *pa, struct error *err)
{
	if (pa->conn != NULL && !pa->conn->broken && pa->conn->nfl == 0 &&
	    !pa->used)
		return 0;
	return pop3_session_open(pa, err);
}

/* A session for a body. */
int
pop3_session_get(struct pop3_account *pa, struct error *err)
{
	/* Replies still owed (a download that failed) make it unusable. */
	if (pa->conn != NULL && !pa->conn->broken && pa->conn->nfl == 0 &&
	    pop3_now() - pa->conn->used_ms < POP3_REUSE_MS)
		return 0;
	return pop3_session_open(pa, err);
}

/* Connect and log in. */
static int
pop3_open(struct account *a, struct error *err)
{
	struct pop3_account	*pa = pop3_account_get(a);

	a->caps = 0;		/* no folders, no server flags, no IDLE */
	return pop3_session_open(pa, err);
}

/* QUIT and drop the connection. */
static void
pop3_close(struct account *a)
{
	pop3_session_end(pop3_account_get(a));
}

/* The folder list: INBOX, and nothing else. */
static int
pop3_list_folders(struct account *a, struct cache *cache, struct error *err)
{
	static const char *const keep[] = { POP3_INBOX };
	int64_t		 id;

	if (cache_begin(cache, err) == -1)
		return -1;
	if (cache_folder_put(cache, a->cache_id, POP3_INBOX, POP3_INBOX, '\0',
	    CACHE_FOLDER_NOINFERIORS, &id, err) == -1 ||
	    cache_folder_set_role(cache, id, CACHE_ROLE_INBOX, err) == -1 ||
	    cache_folder_prune(cache, a->cache_id, keep, 1, err) == -1 ||
	    cache_commit(cache, err) == -1) {
		cache_rollback(cache);
		return -1;
	}
	return 0;
}

/* Change the flags of cached messages (POP3 keeps none on the server). */
static int
pop3_store_flags(struct account *a, const struct cache_folder *folder,
    const char *const *ids, size_t n, unsigned add, unsigned remove,
    struct cache *cache, struct error *err)
{
	struct cache_msg	 m;
	int			 rc = 0;

	(void)a;
	if (n == 0 || (add == 0 && remove == 0))
		return 0;
	if (cache_begin(cache, err) == -1)
		return -1;
	for (size_t i = 0; i < n && rc != -1; i++) {
		rc = cache_msg_find(cache, folder->id, ids[i], &m, err);
		if (rc == 0)
			rc = cache_msg_set_flags(cache, folder->id, ids[i],
			    (m.flags | add) & ~remove, err);
		cache_msg_fini(&m);
	}
	if (rc == -1 || cache_commit(cache, err) == -1) {
		cache_rollback(cache);
		return -1;
	}
	return 0;
}

/*
 * caps: none of DRIVER_CAP_*: one folder, no server-side flags (so the
 * account wrappers leave flag changes in the cache), polling for changes.
 */
const struct driver_ops pop3_driver_ops = {
	.name = "pop3",
	.caps = 0,
	.new = pop3_new,
	.free = pop3_free,
	.open = pop3_open,
	.close = pop3_close,
	.list_folders = pop3_list_folders,
	.sync_folder = pop3_sync_folder,
	.fetch_message = pop3_fetch_message,
	.store_flags = pop3_store_flags,
	.expunge = pop3_expunge,
};
