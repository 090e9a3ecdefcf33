/*
 * outbox_sent.c - the Sent copy of an accepted message (outbox.h): found
 * by its SPECIAL-USE role or the name "Sent", the folder list refreshed
 * if the cache knows neither, the folder made if the account has none;
 * then the message leaves the outbox.  An account that cannot keep one
 * (POP3, mbox, or read-only: a Sent copy would change its server) drops
 * the message with a note in the log: it was sent.
 */
#include <string.h>

#include "send/outbox.h"
#include "util/log.h"

/* The Sent folder of the account in the cache: 0, 1 if none. */
static int
outbox_sent_find(struct cache *c, int64_t account_id,
    struct cache_folder *f, struct error *err)
{
	int	rc;

	rc = cache_folder_find_role(c, account_id, CACHE_ROLE_SENT, f, err);
	if (rc != 1)
		return rc;
	cache_folder_fini(f);
	return cache_folder_find(c, account_id, "Sent", f, err);
}

/* Find the Sent folder, listing or making it when needed. */
static int
outbox_sent_folder(struct cache *c, struct account *acct,
    struct cache_folder *f, struct error *err)
{
	int	rc;

	if ((rc = outbox_sent_find(c, acct->cache_id, f, err)) != 1)
		return rc;
	cache_folder_fini(f);
	if (account_list_folders(acct, c, err) == -1)
		return -1;
	if ((rc = outbox_sent_find(c, acct->cache_id, f, err)) != 1)
		return rc;
	cache_folder_fini(f);
	if (account_create_folder(acct, "Sent", c, err) == -1)
		return -1;
	if ((rc = outbox_sent_find(c, acct->cache_id, f, err)) == 1)
		return error_set(err, ERR_NOTFOUND, ERR_SCOPE_OP, "the Sent "
		    "folder made for the copy is not in the folder list");
	return rc;
}

/* Copy an accepted message to Sent and drop it from the outbox. */
int
outbox_save_sent(struct cache *c, struct account *acct, int64_t id,
    struct error *err)
{
	struct cache_outbox	m;
	struct cache_folder	f;
	int			rc;

	memset(&f, 0, sizeof f);
	if ((rc = cache_outbox_get(c, id, &m, err)) != 0)
		return rc == 1 ? 0 : -1;	/* gone: nothing to save */
	if (m.state != CACHE_OUTBOX_ACCEPTED) {
		cache_outbox_fini(&m);
		return 0;
	}
	if (acct->cfg->read_only || acct->ops->append == NULL) {
		log_info("send", "[%s] outbox %lld: sent; this account keeps "
		    "no Sent copy", acct->cfg->name, (long long)id);
		rc = cache_outbox_remove(c, id, err);
		goto out;
	}
	rc = -1;
	if (outbox_sent_folder(c, acct, &f, err) == 0 &&
	    account_append(acct, &f, m.raw, m.len, CACHE_FLAG_SEEN, m.created,
	    c, err) == 0)
		rc = cache_outbox_remove(c, id, err);
	if (rc == -1)
		error_prefix(err, "sent, but no copy kept in Sent");
out:
	cache_folder_fini(&f);
	cache_outbox_fini(&m);
	return rc;
}
