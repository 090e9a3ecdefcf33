/*
 * imap_fetch_batch.c - downloading many messages' headers, newest first.
 *
 * The first IMAP_FIRST_WINDOW newest messages are asked for first, alone,
 * so the first screenful is in the cache after one round trip and holds
 * the newest mail (pipelined FETCHes may be answered interleaved); the
 * rest follows in batches of IMAP_BATCH_SIZE, with IMAP_BATCH_WINDOW
 * commands in flight at once (RFC 3501 5.5), with progress reported after
 * each.
 * Parsed messages are gathered in memory (imap_pend.c) and written in
 * short transactions whenever the input runs dry or 1,000 are gathered:
 * no write transaction is ever held while waiting for the server.  Memory
 * holds one response and at most one such group, never the folder.
 *
 * A FETCH that cannot be read (a malformed envelope, a 2 MB subject) is
 * logged, counted and skipped: one broken message never fails the folder.
 *
 * Three ways to name the messages: a cold download uses sequence numbers
 * (exact counts whatever the UID gaps; FETCH, not UID FETCH, so the server
 * may not send EXPUNGE in between: RFC 3501 7.4.1); the UID diff names
 * the missing UIDs; an incremental sync names the UID range above the
 * last UIDNEXT.  Should anything slip past (an EXPUNGE between pipelined
 * commands), imap_sync.c's final count check repairs it.
 *
 * What a row needs of the header comes from one HEADER.FIELDS section
 * (IMAP_HEADER_ITEMS), read by src/mime; a FETCH without it is another
 * client's flag change.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "net/imap_driver.h"
#include "util/log.h"
#include "util/xmalloc.h"

#define IMAP_SET_TEXT_MAX	4000	/* a UID set in one command */

struct imap_batch {
	struct imap_account		*ia;
	const struct cache_folder	*folder;
	uint32_t			 min_uid;	/* ignore answers below */
	uint32_t			 max_uid;	/* highest stored */
	size_t				 done;
	size_t				 total;
	struct imap_pend		 pend;
	const char			*verb;		/* FETCH or UID FETCH */
	char				**sets;		/* newest first */
	size_t				 nsets;
	size_t				 next;
	char				 tags[IMAP_BATCH_WINDOW][16];
	size_t				 ntags;
	size_t				 finished;	/* commands done */
};

/* A FETCH of the batch that could not be read: skip the message. */
static int
imap_batch_bad(struct imap_batch *bt, struct imap_fetch *f,
    struct error *err)
{
	bool	 ours = (f->have & IMAP_FETCH_UID) && f->uid >= bt->min_uid;

	imap_fetch_unreadable(bt->ia, bt->folder->name, f, err);
	if (ours)
		bt->ia->skipped_new++;	/* the count check allows for it */
	imap_fetch_fini(f);
	error_clear(err);
	return ours ? 1 : 2;
}

/* Keep one FETCH answer of a batch for the next write. */
static int
imap_batch_one(void *arg, const struct imap_response *r, struct error *err)
{
	struct imap_batch	*bt = arg;
	struct imap_fetch	 f;
	struct cache_msg	 m;
	int			 rc = 1;

	if (!imap_slice_is(r->name, "FETCH") || r->type != IMAP_RESP_UNTAGGED)
		return 0;
	if (imap_fetch_parse(r, &f, err) == -1)
		return imap_batch_bad(bt, &f, err);
	if (!(f.have & IMAP_FETCH_UID))
		rc = 0;		/* an unsolicited update: pass it on */
	else if (!(f.have & IMAP_FETCH_BODY)) {
		/* Another client's flag change: in order with our rows. */
		if (f.have & IMAP_FETCH_FLAGS)
			imap_pend_flags(&bt->pend, f.uid,
			    imap_flags_to_cache(f.flags));
		rc = 2;
	} else if (f.uid >= bt->min_uid) {
		imap_msg_from_fetch(&f, bt->folder->id, f.body.p, f.body.len,
		    &m);
		imap_pend_msg(&bt->pend, &m);
		bt->done++;
		if (f.uid > bt->max_uid)
			bt->max_uid = f.uid;
	} else
		rc = 2;
	imap_fetch_fini(&f);
	if (rc != 0 && imap_pend_maybe(&bt->pend, err) == -1)
		return -1;
	return rc;
}

/* Send the next batch command. */
static int
imap_batch_send(struct imap_batch *bt, struct error *err)
{
	char	*tag = bt->tags[bt->ntags];

	if (imap_conn_submit(bt->ia->conn, tag, sizeof bt->tags[0], err,
	    "%s %s (" IMAP_HEADER_ITEMS ")", bt->verb,
	    bt->sets[bt->next]) == -1)
		return -1;
	bt->next++;
	bt->ntags++;
	return 0;
}

/* Await the oldest command in flight and write its rows. */
static int
imap_batch_finish_one(struct imap_batch *bt, struct error *err)
{
	char		 tag[16];

	memcpy(tag, bt->tags[0], sizeof tag);
	memmove(bt->tags[0], bt->tags[1], (bt->ntags - 1) * sizeof bt->tags[0]);
	bt->ntags--;
	if (imap_conn_await(bt->ia->conn, tag, imap_batch_one, bt,
	    err) == -1)
		return -1;
	/* The first window is written at once: it is the first screenful. */
	if (bt->finished++ == 0 && imap_pend_flush(&bt->pend, err) == -1)
		return -1;
	if (imap_pend_maybe(&bt->pend, err) == -1)
		return -1;
	account_status(&bt->ia->base, "%s: headers %zu/%zu",
	    bt->folder->name, bt->done, bt->total > bt->done ? bt->total :
	    bt->done);
	return 0;
}

/* Run the planned batches: a window of commands in flight. */
static int
imap_batch_run(struct imap_batch *bt, struct error *err)
{
	struct error	 e2;
	int		 rc = -1;

	imap_pend_init(&bt->pend, bt->ia, bt->folder->id);
	while (bt->next < bt->nsets || bt->ntags > 0) {
		/*
		 * The first window goes alone: Dovecot runs pipelined FETCHes
		 * side by side, and the first screenful must be the newest
		 * messages, not a mix of every batch in flight.
		 */
		while (bt->next < bt->nsets && bt->ntags < IMAP_BATCH_WINDOW &&
		    (bt->finished > 0 || bt->ntags == 0)) {
			if (imap_batch_send(bt, err) == -1)
				goto out;
		}
		if (imap_batch_finish_one(bt, err) == -1)
			goto out;
	}
	rc = imap_pend_flush(&bt->pend, err);

out:
	/* What arrived before a failure is good: keep it for the resume. */
	if (rc == -1 && imap_pend_flush(&bt->pend, &e2) == -1)
		log_info("imap", "%s: %s", bt->folder->name, e2.msg);
	imap_pend_fini(&bt->pend);
	if (rc == -1 && bt->ntags > 0 && !imap_conn_broken(bt->ia->conn))
		(void)imap_conn_drain(bt->ia->conn, NULL, NULL, &e2);
	for (size_t i = 0; i < bt->nsets; i++)
		free(bt->sets[i]);
	free(bt->sets);
	return rc;
}

/* Add a planned set (text owned by the plan). */
static void
imap_batch_plan(struct imap_batch *bt, char *set)
{
	bt->sets = xreallocarray(bt->sets, bt->nsets + 1, sizeof *bt->sets);
	bt->sets[bt->nsets++] = set;
}

/* Start a batch run. */
static void
imap_batch_init(struct imap_batch *bt, struct imap_account *ia,
    const struct cache_folder *folder, const char *verb)
{
	memset(bt, 0, sizeof *bt);
	bt->ia = ia;
	bt->folder = folder;
	bt->verb = verb;
	bt->min_uid = 1;
}

/* Headers of sequence numbers lo..hi, newest first. */
int
imap_batch_seq(struct imap_account *ia, const struct cache_folder *folder,
    uint32_t lo, uint32_t hi, uint32_t *max_uid, struct error *err)
{
	struct imap_batch	 bt;
	uint32_t		 top = hi, size = IMAP_FIRST_WINDOW, bottom;
	int			 rc;

	if (lo == 0 || lo > hi)
		return 0;
	imap_batch_init(&bt, ia, folder, "FETCH");
	bt.total = hi - lo + 1;
	for (;;) {
		bottom = top - lo + 1 > size ? top - size + 1 : lo;
		imap_batch_plan(&bt, xasprintf("%" PRIu32 ":%" PRIu32, bottom,
		    top));
		if (bottom == lo)
			break;
		top = bottom - 1;
		size = IMAP_BATCH_SIZE;
	}
	rc = imap_batch_run(&bt, err);
	if (bt.max_uid > *max_uid)
		*max_uid = bt.max_uid;
	return rc;
}

/* Headers of the UIDs in [lo, hi] (hi 0: up to "*"), newest first. */
int
imap_batch_uid_range(struct imap_account *ia,
    const struct cache_folder *folder, uint32_t lo, uint32_t hi,
    uint32_t *max_uid, struct error *err)
{
	struct imap_batch	 bt;
	uint32_t		 top, size = IMAP_FIRST_WINDOW, bottom;
	int			 rc;

	imap_batch_init(&bt, ia, folder, "UID FETCH");
	bt.min_uid = lo;	/* "n:*" answers the last message if none */
	if (hi < lo) {
		imap_batch_plan(&bt, xasprintf("%" PRIu32 ":*", lo));
	} else {
		bt.total = hi - lo + 1;
		for (top = hi;;) {
			bottom = top - lo + 1 > size ? top - size + 1 : lo;
			imap_batch_plan(&bt, top == hi ?
			    xasprintf("%" PRIu32 ":*", bottom) :
			    xasprintf("%" PRIu32 ":%" PRIu32, bottom, top));
			if (bottom == lo)
				break;
			top = bottom - 1;
			size = IMAP_BATCH_SIZE;
		}
	}
	rc = imap_batch_run(&bt, err);
	if (bt.max_uid > *max_uid)
		*max_uid = bt.max_uid;
	return rc;
}

/* Headers of these UIDs (sorted ascending), newest first. */
int
imap_batch_uids(struct imap_account *ia, const struct cache_folder *folder,
    const uint32_t *uids, size_t n, uint32_t *max_uid, struct error *err)
{
	struct imap_batch	 bt;
	struct buf		 set;
	size_t			 end = n, count = IMAP_FIRST_WINDOW, k;
	int			 rc;

	imap_batch_init(&bt, ia, folder, "UID FETCH");
	bt.total = n;
	buf_init(&set, 0);
	while (end > 0) {
		k = count < end ? count : end;
		for (;;) {
			buf_reset(&set);
			imap_set_format(&set, uids + end - k, k);
			if (set.len <= IMAP_SET_TEXT_MAX || k == 1)
				break;
			k /= 2;
		}
		imap_batch_plan(&bt, buf_take(&set));
		end -= k;
		count = IMAP_BATCH_SIZE;
	}
	buf_fini(&set);
	rc = imap_batch_run(&bt, err);
	if (bt.max_uid > *max_uid)
		*max_uid = bt.max_uid;
	return rc;
}
