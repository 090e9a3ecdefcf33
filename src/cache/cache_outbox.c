/*
 * cache_outbox.c - the outbox table (schema version 3): messages stored
 * before they are sent, and their state until the server accepted them;
 * and what sending learnt of the account's server (version 4).
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cache/cache_impl.h"
#include "util/xmalloc.h"

/* The longest error kept with a message, in bytes. */
#define CACHE_OUTBOX_ERROR_MAX	1024

/* Store a message to send. */
int
cache_outbox_add(struct cache *c, struct cache_outbox *m, struct error *e)
{
	sqlite3_stmt	*s;
	int		 rv = -1;

	if (m->state != CACHE_OUTBOX_QUEUED && m->state != CACHE_OUTBOX_DRAFT)
		return error_set(e, ERR_CACHE, ERR_SCOPE_OP, "outbox: a new "
		    "message is queued or a draft");
	if (m->account == NULL || m->env_from == NULL ||
	    m->env_rcpt == NULL || (*m->env_rcpt == '\0' &&
	    m->state != CACHE_OUTBOX_DRAFT) || m->raw == NULL || m->len == 0)
		return error_set(e, ERR_CACHE, ERR_SCOPE_OP, "outbox: a "
		    "message needs an account, a sender, recipients and "
		    "bytes");
	if (m->len > CACHE_OUTBOX_MAX)
		return error_set(e, ERR_TOOBIG, ERR_SCOPE_OP, "outbox: a "
		    "message of %zu bytes is larger than %u MiB", m->len,
		    CACHE_OUTBOX_MAX >> 20);
	s = cache_stmt(c, CACHE_STMT_OUTBOX_ADD, "INSERT INTO outbox "
	    "(account, created, env_from, env_rcpt, dsn_notify, dsn_ret, "
	    "subject, to_line, raw, state) VALUES (?1, ?2, ?3, ?4, ?5, ?6, "
	    "?7, ?8, ?9, ?10)", e);
	if (s == NULL)
		return -1;
	m->created = (int64_t)time(NULL);
	if (cache_bind_text(s, 1, m->account) != SQLITE_OK ||
	    sqlite3_bind_int64(s, 2, m->created) != SQLITE_OK ||
	    cache_bind_text(s, 3, m->env_from) != SQLITE_OK ||
	    cache_bind_text(s, 4, m->env_rcpt) != SQLITE_OK ||
	    cache_bind_text(s, 5, m->dsn_notify) != SQLITE_OK ||
	    cache_bind_text(s, 6, m->dsn_ret) != SQLITE_OK ||
	    cache_bind_text(s, 7, m->subject) != SQLITE_OK ||
	    cache_bind_text(s, 8, m->to_line) != SQLITE_OK ||
	    sqlite3_bind_blob64(s, 9, m->raw, m->len, SQLITE_STATIC) !=
	    SQLITE_OK || sqlite3_bind_int(s, 10, (int)m->state) != SQLITE_OK ||
	    sqlite3_step(s) != SQLITE_DONE) {
		cache_sqlerr(c, e, "store a message of %zu bytes in the outbox",
		    m->len);
		goto out;
	}
	m->id = sqlite3_last_insert_rowid(c->db);
	m->attempts = 0;
	rv = 0;
out:
	cache_stmt_done(s);
	return rv;
}

/* The columns every query reads, then raw (or its length). */
#define CACHE_OUTBOX_COLS "id, account, created, env_from, env_rcpt, " \
	"dsn_notify, dsn_ret, subject, to_line, state, attempts, next_try, " \
	"last_error, length(raw)"

/* Fill m from a row of CACHE_OUTBOX_COLS (plus raw at 14 when with_raw). */
static void
cache_outbox_row(sqlite3_stmt *s, struct cache_outbox *m, bool with_raw)
{
	const void	*p;

	memset(m, 0, sizeof *m);
	m->id = sqlite3_column_int64(s, 0);
	m->account = cache_column_dup(s, 1);
	m->created = sqlite3_column_int64(s, 2);
	m->env_from = cache_column_dup(s, 3);
	m->env_rcpt = cache_column_dup(s, 4);
	m->dsn_notify = cache_column_dup(s, 5);
	m->dsn_ret = cache_column_dup(s, 6);
	m->subject = cache_column_dup(s, 7);
	m->to_line = cache_column_dup(s, 8);
	m->state = (enum cache_outbox_state)sqlite3_column_int(s, 9);
	m->attempts = sqlite3_column_int(s, 10);
	m->next_try = sqlite3_column_int64(s, 11);
	m->last_error = cache_column_dup(s, 12);
	m->len = (size_t)sqlite3_column_int64(s, 13);
	if (!with_raw)
		return;
	m->len = (size_t)sqlite3_column_bytes(s, 14);
	p = sqlite3_column_blob(s, 14);
	m->raw = xmalloc(m->len + 1);
	if (m->len > 0)
		memcpy(m->raw, p, m->len);
	m->raw[m->len] = '\0';
}

/* List the outbox (of one account, or all), oldest first. */
int
cache_outbox_list(struct cache *c, const char *account,
    struct cache_outbox **v, size_t *n, struct error *e)
{
	sqlite3_stmt		*s;
	struct cache_outbox	*list = NULL;
	size_t			 len = 0, cap = 0;
	int			 rc = SQLITE_ERROR, rv = -1;

	*v = NULL;
	*n = 0;
	s = cache_stmt(c, CACHE_STMT_OUTBOX_LIST, "SELECT " CACHE_OUTBOX_COLS
	    " FROM outbox WHERE ?1 IS NULL OR account = ?1 ORDER BY id", e);
	if (s == NULL)
		return -1;
	if (cache_bind_text(s, 1, account) == SQLITE_OK) {
		while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
			if (len == cap) {
				cap = cap == 0 ? 8 : cap * 2;
				list = xreallocarray(list, cap, sizeof *list);
			}
			cache_outbox_row(s, &list[len++], false);
		}
	}
	if (rc != SQLITE_DONE) {
		cache_sqlerr(c, e, "list the outbox");
		goto out;
	}
	*v = list;
	*n = len;
	list = NULL;
	rv = 0;
out:
	cache_outbox_list_free(list, len);
	cache_stmt_done(s);
	return rv;
}

/* One message with its bytes. */
int
cache_outbox_get(struct cache *c, int64_t id, struct cache_outbox *m,
    struct error *e)
{
	sqlite3_stmt	*s;
	int		 rc, rv = -1;

	memset(m, 0, sizeof *m);
	s = cache_stmt(c, CACHE_STMT_OUTBOX_GET, "SELECT " CACHE_OUTBOX_COLS
	    ", raw FROM outbox WHERE id = ?1", e);
	if (s == NULL)
		return -1;
	if (sqlite3_bind_int64(s, 1, id) != SQLITE_OK)
		rc = SQLITE_ERROR;
	else
		rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		cache_outbox_row(s, m, true);
		rv = 0;
	} else if (rc == SQLITE_DONE)
		rv = 1;
	else
		cache_sqlerr(c, e, "read outbox message %lld", (long long)id);
	cache_stmt_done(s);
	return rv;
}

/* Record a state, and a failed attempt's error. */
int
cache_outbox_set_state(struct cache *c, int64_t id,
    enum cache_outbox_state state, const char *error, int64_t next_try,
    struct error *e)
{
	sqlite3_stmt	*s;
	char		*cut = NULL;
	size_t		 len;
	int		 rv = -1;

	s = cache_stmt(c, CACHE_STMT_OUTBOX_STATE, "UPDATE outbox SET "
	    "state = ?2, attempts = attempts + (?3 IS NOT NULL), "
	    "last_error = CASE WHEN ?3 IS NULL THEN last_error ELSE ?3 END, "
	    "next_try = ?4 WHERE id = ?1", e);
	if (s == NULL)
		return -1;
	if (error != NULL &&
	    (len = strnlen(error, CACHE_OUTBOX_ERROR_MAX + 1)) >
	    CACHE_OUTBOX_ERROR_MAX) {
		len = CACHE_OUTBOX_ERROR_MAX;
		while (len > 0 && ((unsigned char)error[len] & 0xc0) == 0x80)
			len--;		/* cut at a character */
		cut = xstrndup(error, len);
		error = cut;
	}
	if (sqlite3_bind_int64(s, 1, id) != SQLITE_OK ||
	    sqlite3_bind_int(s, 2, (int)state) != SQLITE_OK ||
	    cache_bind_text(s, 3, error) != SQLITE_OK ||
	    sqlite3_bind_int64(s, 4, next_try) != SQLITE_OK ||
	    sqlite3_step(s) != SQLITE_DONE) {
		cache_sqlerr(c, e, "update outbox message %lld",
		    (long long)id);
		goto out;
	}
	if (sqlite3_changes(c->db) == 0) {
		error_set(e, ERR_NOTFOUND, ERR_SCOPE_OP, "outbox message %lld "
		    "is gone", (long long)id);
		goto out;
	}
	rv = 0;
out:
	free(cut);
	cache_stmt_done(s);
	return rv;
}

/* Drop a message. */
int
cache_outbox_remove(struct cache *c, int64_t id, struct error *e)
{
	sqlite3_stmt	*s;
	int		 rv = -1;

	s = cache_stmt(c, CACHE_STMT_OUTBOX_REMOVE,
	    "DELETE FROM outbox WHERE id = ?1", e);
	if (s == NULL)
		return -1;
	if (sqlite3_bind_int64(s, 1, id) != SQLITE_OK ||
	    sqlite3_step(s) != SQLITE_DONE) {
		cache_sqlerr(c, e, "remove outbox message %lld",
		    (long long)id);
		goto out;
	}
	rv = 0;
out:
	cache_stmt_done(s);
	return rv;
}

/* Remember whether the account's server offered 8BITMIME. */
int
cache_smtp_8bit_set(struct cache *c, const char *account, bool yes,
    struct error *e)
{
	sqlite3_stmt	*s;
	int		 rv = -1;

	s = cache_stmt(c, CACHE_STMT_SMTP_8BIT_SET, "INSERT INTO smtp_caps "
	    "(account, eightbitmime, seen) VALUES (?1, ?2, ?3) ON CONFLICT "
	    "(account) DO UPDATE SET eightbitmime = excluded.eightbitmime, "
	    "seen = excluded.seen", e);
	if (s == NULL)
		return -1;
	if (cache_bind_text(s, 1, account) != SQLITE_OK ||
	    sqlite3_bind_int(s, 2, yes) != SQLITE_OK ||
	    sqlite3_bind_int64(s, 3, (int64_t)time(NULL)) != SQLITE_OK ||
	    sqlite3_step(s) != SQLITE_DONE)
		cache_sqlerr(c, e, "remember the SMTP server of %s", account);
	else
		rv = 0;
	cache_stmt_done(s);
	return rv;
}

/* Whether it did when last asked (-1: never asked). */
int
cache_smtp_8bit_get(struct cache *c, const char *account, int *yes,
    struct error *e)
{
	sqlite3_stmt	*s;
	int		 rc, rv = -1;

	*yes = -1;
	s = cache_stmt(c, CACHE_STMT_SMTP_8BIT_GET, "SELECT eightbitmime "
	    "FROM smtp_caps WHERE account = ?1", e);
	if (s == NULL)
		return -1;
	rc = cache_bind_text(s, 1, account) == SQLITE_OK ? sqlite3_step(s) :
	    SQLITE_ERROR;
	if (rc == SQLITE_ROW)
		*yes = sqlite3_column_int(s, 0) != 0;
	if (rc == SQLITE_ROW || rc == SQLITE_DONE)
		rv = 0;
	else
		cache_sqlerr(c, e, "read the SMTP server of %s", account);
	cache_stmt_done(s);
	return rv;
}

/* Free what a row holds. */
void
cache_outbox_fini(struct cache_outbox *m)
{
	free(m->account);
	free(m->env_from);
	free(m->env_rcpt);
	free(m->dsn_notify);
	free(m->dsn_ret);
	free(m->subject);
	free(m->to_line);
	free(m->raw);
	free(m->last_error);
	memset(m, 0, sizeof *m);
}

/* Free a list. */
void
cache_outbox_list_free(struct cache_outbox *v, size_t n)
{
	if (v == NULL)
		return;
	for (size_t i = 0; i < n; i++)
		cache_outbox_fini(&v[i]);
	free(v);
}
