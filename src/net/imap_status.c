/*
 * imap_status.c - what a LIST-STATUS told about each folder (RFC 5819).
 *
 * With LIST-STATUS the folder listing carries each folder's MESSAGES,
 * UIDNEXT, UIDVALIDITY, UNSEEN and, with CONDSTORE, HIGHESTMODSEQ (RFC
 * 7162 3.1.2.2) in the same round trip.  A sync then skips the SELECT of a
 * folder the server reports unchanged since the cached state: with a
 * HIGHESTMODSEQ, any flag change, expunge or new message would have
 * raised it (RFC 7162 3.1.2), and the counts must agree with the cache as
 * well.  Each answer is used at most once: a later sync without a new
 * LIST selects the folder as before.  Without CONDSTORE nothing is
 * skipped (STATUS cannot tell of a changed flag).
 */
#include <stdlib.h>
#include <string.h>

#include "net/imap_driver.h"
#include "util/log.h"
#include "util/xmalloc.h"

/* Most folders whose STATUS is kept (more are simply selected). */
#define IMAP_LISTED_MAX		100000

struct imap_listed {
	char			*name;		/* remote name */
	struct imap_status_data	 st;		/* st.name unused */
};

/* Forget every STATUS kept. */
void
imap_listed_clear(struct imap_account *ia)
{
	for (size_t i = 0; i < ia->nlisted; i++)
		free(ia->listed[i].name);
	free(ia->listed);
	ia->listed = NULL;
	ia->nlisted = 0;
}

/* Keep one "* STATUS" answer of a LIST; a malformed one is ignored. */
void
imap_listed_add(struct imap_account *ia, const struct imap_response *r)
{
	struct imap_status_data	 st;
	struct error		 err;

	if (imap_status_parse(r, &st, &err) == -1) {
		log_info("imap", "ignored: %s", err.msg);
		return;
	}
	if (ia->nlisted >= IMAP_LISTED_MAX)
		return;
	ia->listed = xreallocarray(ia->listed, ia->nlisted + 1,
	    sizeof *ia->listed);
	ia->listed[ia->nlisted].name = imap_slice_dup(st.name);
	st.name.p = NULL;
	st.name.len = 0;
	ia->listed[ia->nlisted].st = st;
	ia->nlisted++;
}

/* Take (and forget) the STATUS kept for remote; false if none. */
static bool
imap_listed_take(struct imap_account *ia, const char *remote,
    struct imap_status_data *out)
{
	for (size_t i = 0; i < ia->nlisted; i++) {
		if (strcmp(ia->listed[i].name, remote) != 0)
			continue;
		*out = ia->listed[i].st;
		free(ia->listed[i].name);
		ia->listed[i] = ia->listed[--ia->nlisted];
		return true;
	}
	return false;
}

/*
 * Whether the LIST-STATUS answer for folder shows it unchanged since the
 * stored state and the cached counts: then its SELECT can be skipped.
 */
bool
imap_listed_unchanged(struct imap_account *ia,
    const struct cache_folder *folder, const struct imap_state *stored,
    struct cache *cache)
{
	const unsigned		 all = IMAP_STATUS_MESSAGES |
				    IMAP_STATUS_UIDNEXT |
				    IMAP_STATUS_UIDVALIDITY |
				    IMAP_STATUS_UNSEEN | IMAP_STATUS_MODSEQ;
	struct imap_status_data	 st;
	struct error		 err;
	int64_t			 total, unread;

	if (!imap_listed_take(ia, folder->remote_name, &st) ||
	    (st.have & all) != all)
		return false;
	/* The selected folder follows untagged updates: select it again. */
	if (ia->selected != NULL && strcmp(ia->selected,
	    folder->remote_name) == 0)
		return false;
	if (stored->uidvalidity == 0 || stored->highestmodseq == 0 ||
	    st.uidvalidity != stored->uidvalidity ||
	    st.highestmodseq != stored->highestmodseq ||
	    st.uidnext != stored->uidnext)
		return false;
	if (cache_msg_count(cache, folder->id, &total, &unread, &err) == -1)
		return false;
	return total == (int64_t)st.messages && unread == (int64_t)st.unseen;
}
