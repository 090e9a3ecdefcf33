/*
 * outbox_build.c - a message written in petrel made into its bytes and
 * queued: mime_build, the envelope (the sender from From, the recipients
 * from To, Cc and Bcc) and the outbox row, in one call that any thread
 * may make with its own cache connection.  Building base64s attachments
 * of up to 64 MiB and the row holds all of it: the UI runs this on a job
 * thread of its own (ui_compose_job.c), never on its own.
 */
#include <stdlib.h>
#include <string.h>

#include "send/outbox.h"

/* Build b's message and store it in a's outbox; sets *id. */
int
outbox_queue_built(struct cache *c, const struct config_account *a,
    const struct outbox_build *b, int64_t *id, struct error *err)
{
	struct outbox_item	 it;
	struct buf		 out;
	char			**rcpt = NULL, *from;
	size_t			 n = 0;
	int			 rc = -1;

	buf_init(&out, CACHE_OUTBOX_MAX);
	if ((from = outbox_env_from(b->msg->from, true)) == NULL) {
		error_set(err, ERR_PARSE, ERR_SCOPE_OP, "From: must hold one "
		    "address");
		goto out;
	}
	if (mime_build(b->msg, &out, err) == -1 ||
	    (!b->draft && (rcpt = mime_build_rcpts(b->msg, err)) == NULL))
		goto out;
	while (rcpt != NULL && rcpt[n] != NULL)
		n++;
	memset(&it, 0, sizeof it);
	it.raw = out.data;
	it.len = out.len;
	it.env_from = from;
	it.rcpt = (const char *const *)rcpt;
	it.nrcpt = n;
	it.dsn_notify = b->dsn_notify;
	it.dsn_ret = b->dsn_ret;
	it.subject = b->msg->subject;
	it.to_line = b->msg->to;
	it.draft = b->draft;
	rc = outbox_queue(c, a, &it, id, err);
out:
	mime_build_addrs_free(rcpt);
	free(from);
	buf_fini(&out);
	return rc;
}
