/*
 * pop3_pend.c - cache writes gathered while POP3 replies arrive.
 *
 * As for IMAP (imap_pend.c): the UI thread writes the same cache and
 * waits for the write lock, so the driver never holds a write transaction
 * across a network wait.  Rows and bodies are kept here and written in
 * one short transaction when POP3_PEND_MAX of them (or POP3_PEND_BYTES)
 * are gathered, when nothing more is buffered on the connection (the next
 * read would wait), or when the download is complete.  A row and its
 * body are written in the same transaction: both or neither.  What a
 * failed download had gathered is still written, so the next sync goes
 * on from there.
 */
#include <stdlib.h>
#include <string.h>

#include "net/pop3_driver.h"
#include "util/xmalloc.h"

#define POP3_PEND_MAX		500
#define POP3_PEND_BYTES		(8 * 1024 * 1024)

/* Start gathering writes for a folder. */
void
pop3_pend_init(struct pop3_pend *p, struct pop3_account *pa,
    struct cache *cache, int64_t folder_id)
{
	memset(p, 0, sizeof *p);
	p->pa = pa;
	p->cache = cache;
	p->folder_id = folder_id;
}

/* Drop what was not written. */
static void
pop3_pend_clear(struct pop3_pend *p)
{
	for (size_t i = 0; i < p->n; i++) {
		cache_msg_fini(&p->v[i].m);
		free(p->v[i].body);
	}
	free(p->v);
	p->v = NULL;
	p->n = p->cap = p->bytes = 0;
}

/* Free the gathered writes (unwritten ones are lost). */
void
pop3_pend_fini(struct pop3_pend *p)
{
	pop3_pend_clear(p);
}

/* The bytes a row's strings take. */
static size_t
pop3_pend_size(const struct cache_msg *m)
{
	const char	*s[] = { m->remote_id, m->from_name, m->from_addr,
	    m->to, m->subject, m->message_id, m->in_reply_to, m->references };
	size_t		 n = sizeof *m;

	for (size_t i = 0; i < sizeof s / sizeof s[0]; i++)
		n += s[i] != NULL ? strlen(s[i]) + 1 : 0;
	return n;
}

/* Keep a write; m and body are taken over. */
void
pop3_pend_add(struct pop3_pend *p, struct cache_msg *m, bool row,
    char *body, size_t len)
{
	struct pop3_pend_item	*it;

	if (p->n == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 64;
		p->v = xreallocarray(p->v, p->cap, sizeof *p->v);
	}
	it = &p->v[p->n++];
	it->m = *m;
	it->row = row;
	it->body = body;
	it->len = len;
	p->bytes += pop3_pend_size(m) + len;
	memset(m, 0, sizeof *m);
}

/* Write one item inside the caller's transaction. */
static int
pop3_pend_write1(struct pop3_pend *p, struct pop3_pend_item *it,
    struct error *err)
{
	struct cache_msg	 old;
	int			 rc;

	if (it->row) {
		it->m.folder_id = p->folder_id;
		if (cache_msg_put(p->cache, &it->m, err) == -1)
			return -1;
	} else {
		/* A body for a row that is there (or was removed since). */
		rc = cache_msg_find(p->cache, p->folder_id, it->m.remote_id,
		    &old, err);
		it->m.id = old.id;
		cache_msg_fini(&old);
		if (rc != 0)
			return rc == 1 ? 0 : -1;
	}
	if (it->body != NULL &&
	    cache_body_put(p->cache, it->m.id, it->body, it->len, err) == -1)
		return -1;
	return 0;
}

/* Write everything gathered in one short transaction. */
int
pop3_pend_flush(struct pop3_pend *p, struct error *err)
{
	int	 rc = -1;

	if (p->n == 0)
		return 0;
	if (cache_begin(p->cache, err) == -1)
		goto out;
	for (size_t i = 0; i < p->n; i++) {
		if (pop3_pend_write1(p, &p->v[i], err) == -1) {
			cache_rollback(p->cache);
			goto out;
		}
	}
	if (cache_commit(p->cache, err) == -1) {
		cache_rollback(p->cache);
		goto out;
	}
	p->stored += p->n;
	account_rows_written(&p->pa->base);	/* the list may show them */
	rc = 0;
out:
	pop3_pend_clear(p);
	return rc;
}

/* Write if enough is gathered, or if the next read would wait. */
int
pop3_pend_maybe(struct pop3_pend *p, struct error *err)
{
	if (p->n >= POP3_PEND_MAX || p->bytes >= POP3_PEND_BYTES ||
	    (p->pa->conn != NULL && !pop3_conn_buffered(p->pa->conn)))
		return pop3_pend_flush(p, err);
	return 0;
}
