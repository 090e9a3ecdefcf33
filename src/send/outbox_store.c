/*
 * outbox_store.c - what the outbox puts in the account's own folders: the
 * Sent copy of an accepted message, and a postponed draft (outbox.h).
 *
 * The folder is found by its SPECIAL-USE role (RFC 6154) or its usual
 * name ("Sent", "Drafts"), the folder list refreshed if the cache knows
 * neither, and made if the account has none; then the message is
 * appended and leaves the outbox.  An account that cannot keep a Sent
 * copy (POP3, mbox, or read-only: a copy would change its server) drops
 * the message with a note in the log: it was sent.  A draft is never
 * dropped: it waits in the outbox until an account can take it.
 */
#include <string.h>
#include <time.h>

#include "send/outbox.h"
#include "util/log.h"

/* The folder of a role (else name) in the cache: 0, 1 if none. */
static int
outbox_store_find(struct cache *c, int64_t account_id, enum cache_role role,
    const char *name, struct cache_folder *f, struct error *err)
{
	int	rc;

	rc = cache_folder_find_role(c, account_id, role, f, err);
	if (rc != 1)
		return rc;
	cache_folder_fini(f);
	return cache_folder_find(c, account_id, name, f, err);
}

/* Find the folder, listing or making it when needed. */
static int
outbox_store_folder(struct cache *c, struct account *acct,
    enum cache_role role, const char *name, struct cache_folder *f,
    struct error *err)
{
	int	rc;

	if ((rc = outbox_store_find(c, acct->cache_id, role, name, f,
	    err)) != 1)
		return rc;
	cache_folder_fini(f);
	if (account_list_folders(acct, c, err) == -1)
		return -1;
	if ((rc = outbox_store_find(c, acct->cache_id, role, name, f,
	    err)) != 1)
		return rc;
	cache_folder_fini(f);
	if (account_create_folder(acct, name, c, err) == -1)
		return -1;
	if ((rc = outbox_store_find(c, acct->cache_id, role, name, f,
	    err)) == 1)
		return error_set(err, ERR_NOTFOUND, ERR_SCOPE_OP, "the %s "
		    "folder just made is not in the folder list", name);
	return rc;
}

/* Whether acct can append to its folders at all. */
static bool
outbox_store_can(const struct account *acct)
{
	return !acct->cfg->read_only && acct->ops->append != NULL;
}

/* Append row m to the role's folder, then drop it from the outbox. */
static int
outbox_store_put(struct cache *c, struct account *acct,
    const struct cache_outbox *m, enum cache_role role, const char *name,
    unsigned flags, struct error *err)
{
	struct cache_folder	f;
	int			rc = -1;

	memset(&f, 0, sizeof f);
	if (outbox_store_folder(c, acct, role, name, &f, err) == 0 &&
	    account_append(acct, &f, m->raw, m->len, flags, m->created, c,
	    err) == 0) {
		/* The server's copy (IMAP APPEND adds no row by itself). */
		if (account_sync_folder(acct, &f, c, err) == -1)
			log_warn("send", "[%s] %s: %s", acct->cfg->name, name,
			    err->msg);
		rc = cache_outbox_remove(c, m->id, err);
	}
	cache_folder_fini(&f);
	return rc;
}

/* Copy an accepted message to Sent and drop it from the outbox. */
int
outbox_save_sent(struct cache *c, struct account *acct, int64_t id,
    struct error *err)
{
	struct cache_outbox	m;
	int			rc;

	if ((rc = cache_outbox_get(c, id, &m, err)) != 0)
		return rc == 1 ? 0 : -1;	/* gone: nothing to save */
	if (m.state != CACHE_OUTBOX_ACCEPTED)
		rc = 0;
	else if (!outbox_store_can(acct)) {
		log_info("send", "[%s] outbox %lld: sent; this account keeps "
		    "no Sent copy", acct->cfg->name, (long long)id);
		rc = cache_outbox_remove(c, id, err);
	} else if ((rc = outbox_store_put(c, acct, &m, CACHE_ROLE_SENT,
	    "Sent", CACHE_FLAG_SEEN, err)) == -1)
		error_prefix(err, "sent, but no copy kept in Sent");
	cache_outbox_fini(&m);
	return rc;
}

/* Put a postponed draft in the Drafts folder and drop it. */
int
outbox_save_draft(struct cache *c, struct account *acct, int64_t id,
    struct error *err)
{
	struct cache_outbox	m;
	int			rc;

	if ((rc = cache_outbox_get(c, id, &m, err)) != 0)
		return rc == 1 ? 0 : -1;
	if (m.state != CACHE_OUTBOX_DRAFT)
		rc = 0;
	else if (!outbox_store_can(acct))
		rc = error_set(err, ERR_READONLY, ERR_SCOPE_OP, "account %s "
		    "keeps no drafts", acct->cfg->name);
	else
		rc = outbox_store_put(c, acct, &m, CACHE_ROLE_DRAFTS, "Drafts",
		    CACHE_FLAG_DRAFT | CACHE_FLAG_SEEN, err);
	if (rc == -1) {
		/* Kept, with why, and tried again later (or on command). */
		struct error	cerr;

		error_prefix(err, "the draft stays in the outbox");
		if (cache_outbox_set_state(c, id, CACHE_OUTBOX_DRAFT, err->msg,
		    err->code == ERR_READONLY ? -1 : outbox_next_try(
		    m.attempts + 1, (int64_t)time(NULL)), &cerr) == -1)
			log_error("send", "%s", cerr.msg);
	}
	cache_outbox_fini(&m);
	return rc;
}
