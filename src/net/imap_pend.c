/*
 * imap_pend.c - cache writes gathered while a command's answers arrive.
 *
 * The UI thread writes the same cache (flags, queued operations) and waits
 * up to the busy timeout for the write lock, so the driver never holds a
 * write transaction across a network wait.  Parsed messages and flag
 * changes are kept here, in memory, and written in one short transaction
 * when IMAP_PEND_MAX of them (or IMAP_PEND_BYTES of text) are gathered,
 * or when the command is complete, or when nothing more is buffered on the
 * connection (the next read would wait) and the last write is
 * IMAP_PEND_DRY_MS old or there was none yet, and once IMAP_FIRST_WINDOW
 * rows are there for the first write: the first rows reach the screen at
 * once, later ones within a fraction of a second.  A reader
 * faster than the server finds the input dry after every few messages;
 * writing each time made thousands of tiny transactions, each rewriting
 * the same index pages (most of the download's cost).  Memory is bounded
 * by the two limits; what a failed command had gathered is still written,
 * so an interrupted download resumes where it stopped.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net/imap_driver.h"
#include "util/log.h"
#include "util/xmalloc.h"

#define IMAP_PEND_MAX		5000
#define IMAP_PEND_BYTES		(8 * 1024 * 1024)
#define IMAP_PEND_DRY_MS	250

/* Start gathering writes for a folder. */
void
imap_pend_init(struct imap_pend *p, struct imap_account *ia,
    int64_t folder_id)
{
	memset(p, 0, sizeof *p);
	p->ia = ia;
	p->folder_id = folder_id;
}

/* Drop what was not written. */
static void
imap_pend_clear(struct imap_pend *p)
{
	cache_msg_list_free(p->msgs, p->nmsgs);
	free(p->flags);
	p->msgs = NULL;
	p->flags = NULL;
	p->nmsgs = p->nflags = p->capmsgs = p->capflags = 0;
	p->bytes = 0;
}

/* Free the gathered writes (unwritten ones are lost). */
void
imap_pend_fini(struct imap_pend *p)
{
	imap_pend_clear(p);
}

/* The bytes a message's strings take. */
static size_t
imap_pend_size(const struct cache_msg *m)
{
	const char	*s[] = { m->remote_id, m->from_name, m->from_addr,
	    m->to, m->subject, m->message_id, m->in_reply_to, m->references };
	size_t		 n = sizeof *m;

	for (size_t i = 0; i < sizeof s / sizeof s[0]; i++)
		n += s[i] != NULL ? strlen(s[i]) + 1 : 0;
	return n;
}

/* Keep a message to store; its strings are taken over (m is zeroed). */
void
imap_pend_msg(struct imap_pend *p, struct cache_msg *m)
{
	if (p->nmsgs == p->capmsgs) {
		p->capmsgs = p->capmsgs ? p->capmsgs * 2 : 64;
		p->msgs = xreallocarray(p->msgs, p->capmsgs, sizeof *p->msgs);
	}
	p->bytes += imap_pend_size(m);
	p->msgs[p->nmsgs++] = *m;
	memset(m, 0, sizeof *m);
}

/* Keep a flag change (CACHE_FLAG_*) of a UID. */
void
imap_pend_flags(struct imap_pend *p, uint32_t uid, unsigned flags)
{
	if (p->nflags == p->capflags) {
		p->capflags = p->capflags ? p->capflags * 2 : 64;
		p->flags = xreallocarray(p->flags, p->capflags,
		    sizeof *p->flags);
	}
	p->flags[p->nflags].uid = uid;
	p->flags[p->nflags++].flags = flags;
	p->bytes += sizeof *p->flags;
}

/* Write the gathered rows and flags; inside the caller's transaction. */
static int
imap_pend_write(struct imap_pend *p, struct error *err)
{
	struct cache	*cache = p->ia->cache;
	char		 uid[16];
	int		 rc;

	for (size_t i = 0; i < p->nmsgs; i++) {
		if (cache_msg_put(cache, &p->msgs[i], err) == -1)
			return -1;
	}
	for (size_t i = 0; i < p->nflags; i++) {
		snprintf(uid, sizeof uid, "%" PRIu32, p->flags[i].uid);
		rc = cache_msg_set_flags(cache, p->folder_id, uid,
		    p->flags[i].flags, err);
		if (rc == -1)
			return -1;
		if (rc == 0)
			p->ia->changed = true;
	}
	return 0;
}

/* Write everything gathered in one short transaction. */
int
imap_pend_flush(struct imap_pend *p, struct error *err)
{
	struct cache	*cache = p->ia->cache;
	int		 rc = -1;

	if (p->nmsgs == 0 && p->nflags == 0)
		return 0;
	if (cache_begin(cache, err) == -1)
		goto out;
	if (imap_pend_write(p, err) == -1 || cache_commit(cache, err) == -1) {
		cache_rollback(cache);
		goto out;
	}
	p->stored += p->nmsgs;
	p->writes++;
	p->last_ms = imap_conn_now();
	account_rows_written(&p->ia->base);
	if (p->nmsgs > 0)
		p->ia->changed = true;
	rc = 0;
out:
	imap_pend_clear(p);
	return rc;
}

/* Write if enough is gathered, or if the next read would wait. */
int
imap_pend_maybe(struct imap_pend *p, struct error *err)
{
	if (p->nmsgs + p->nflags >= IMAP_PEND_MAX ||
	    p->bytes >= IMAP_PEND_BYTES)
		return imap_pend_flush(p, err);
	/*
	 * The first screenful at once: Dovecot runs pipelined FETCHes side by
	 * side, so the first command's end may come thousands of messages
	 * later, and a fast server never lets the input run dry.
	 */
	if (p->writes == 0 && p->nmsgs >= IMAP_FIRST_WINDOW)
		return imap_pend_flush(p, err);
	if (p->ia->conn != NULL && !imap_conn_buffered(p->ia->conn) &&
	    (p->writes == 0 || imap_conn_now() - p->last_ms >=
	    IMAP_PEND_DRY_MS))
		return imap_pend_flush(p, err);
	return 0;
}
