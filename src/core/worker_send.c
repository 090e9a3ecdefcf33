/*
 * worker_send.c - WORKER_SEND: the account's worker sends what waits in
 * its outbox (one message the user asked for, or every one that is due)
 * and makes the Sent copies, through the sender of the program's wiring
 * (sender_find); a postponed draft goes to the Drafts folder.  The UI
 * learns of each outcome (WORKER_EV_SENT, WORKER_EV_DRAFT_SAVED or an
 * error) and that the outbox changed (WORKER_EV_OUTBOX).
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/worker_impl.h"
#include "util/xmalloc.h"

/* Report a failure that left the message in the outbox. */
static void
worker_send_failed(struct worker *w, const char *what, const struct error *err)
{
	char	*text;

	text = xasprintf("%s%s", what, err->msg);
	worker_emit(w, WORKER_EV_ERROR, 0, 0, text);
	free(text);
}

/* Send one row (unless only its Sent copy is left), then save it. */
static void
worker_send_one(struct worker *w, const struct sender_ops *s, int64_t id,
    enum cache_outbox_state state)
{
	struct error	err;

	error_clear(&err);
	if (state == CACHE_OUTBOX_DRAFT) {
		if (s->save_draft(w->cache, w->account, id, &err) == -1)
			worker_send_failed(w, "Draft not saved: ", &err);
		else
			worker_emit(w, WORKER_EV_DRAFT_SAVED, 0, id, NULL);
		return;
	}
	if (state != CACHE_OUTBOX_ACCEPTED) {
		account_status(w->account, "sending");
		if (s->send(w->cache, w->account->cfg, id, w->account->password,
		    w->stop[0], &err) == -1) {
			worker_send_failed(w, "Not sent (kept in the outbox): ",
			    &err);
			return;
		}
		worker_emit(w, WORKER_EV_SENT, 0, id, NULL);
	}
	if (s->save_sent(w->cache, w->account, id, &err) == -1)
		worker_send_failed(w, "Sent; the Sent copy waits: ", &err);
}

/* Send outbox row id now, or (0) every due row of this account. */
void
worker_send(struct worker *w, int64_t id)
{
	const struct sender_ops	*s = sender_find();
	struct cache_outbox	*v = NULL;
	struct error		 err;
	size_t			 n = 0;
	int64_t			 now = (int64_t)time(NULL);

	if (s == NULL) {
		worker_emit(w, WORKER_EV_ERROR, 0, 0, "this petrel cannot send");
		return;
	}
	if (id != 0) {
		struct cache_outbox	m;

		if (cache_outbox_get(w->cache, id, &m, &err) == 0) {
			worker_send_one(w, s, id, m.state);
			cache_outbox_fini(&m);
		}
	} else if (cache_outbox_list(w->cache, w->account->cfg->name, &v, &n,
	    &err) == 0) {
		for (size_t i = 0; i < n; i++) {
			if (v[i].state == CACHE_OUTBOX_ACCEPTED ||
			    (v[i].next_try >= 0 && v[i].next_try <= now))
				worker_send_one(w, s, v[i].id, v[i].state);
		}
		cache_outbox_list_free(v, n);
	}
	worker_emit(w, WORKER_EV_OUTBOX, 0, 0, NULL);
	worker_emit(w, WORKER_EV_STATUS, 0, 0, "");
}
