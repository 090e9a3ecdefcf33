/*
 * imap_message.c - one message at a time: FETCH data into a cache row,
 * downloading a whole message, and changing flags.
 *
 * Bodies are fetched with BODY.PEEK[] (RFC 3501 6.4.5) so that reading a
 * message never sets \Seen behind the user's back; flags change only
 * through UID STORE ... FLAGS.SILENT (6.4.6, 6.4.8), never on read-only
 * accounts.  Header fields are read by src/mime (mime_envelope_parse:
 * addresses, RFC 2047) but not sanitised: the UI does that on display.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mime/address.h"
#include "net/imap_driver.h"
#include "util/buf.h"
#include "util/xmalloc.h"

#define IMAP_STORE_CHUNK	500	/* UIDs per UID STORE command */

/* IMAP system flags to cache flags. */
unsigned
imap_flags_to_cache(unsigned f)
{
	unsigned	 c = 0;

	c |= (f & IMAP_FLAG_SEEN) ? CACHE_FLAG_SEEN : 0;
	c |= (f & IMAP_FLAG_ANSWERED) ? CACHE_FLAG_ANSWERED : 0;
	c |= (f & IMAP_FLAG_FLAGGED) ? CACHE_FLAG_FLAGGED : 0;
	c |= (f & IMAP_FLAG_DELETED) ? CACHE_FLAG_DELETED : 0;
	c |= (f & IMAP_FLAG_DRAFT) ? CACHE_FLAG_DRAFT : 0;
	c |= (f & IMAP_FLAG_RECENT) ? CACHE_FLAG_RECENT : 0;
	return c;
}

/* Fill a cache message from FETCH data and a header block. */
void
imap_msg_from_fetch(const struct imap_fetch *f, int64_t folder_id,
    const char *hdr, size_t len, struct cache_msg *m)
{
	struct mime_envelope	 e;

	memset(m, 0, sizeof *m);
	m->folder_id = folder_id;
	m->remote_id = xasprintf("%" PRIu32, f->uid);
	mime_envelope_parse(hdr != NULL ? hdr : "", hdr != NULL ? len : 0,
	    &e);
	/* The server's arrival date orders the list; Date: only without. */
	if (f->have & IMAP_FETCH_INTERNALDATE)
		m->date = f->internaldate;
	else if (e.date != -1)
		m->date = e.date;
	/* The strings move into the row; e keeps none of them. */
	m->from_name = e.from_name;
	m->from_addr = e.from_addr;
	m->to = e.to;
	m->subject = e.subject;
	m->message_id = e.message_id;
	m->in_reply_to = e.in_reply_to;
	m->references = e.references;
	free(e.cc);
	m->size = (int64_t)f->size;
	m->flags = imap_flags_to_cache(f->flags);
}

/* The length of a message's header block (up to the empty line). */
static size_t
imap_header_len(const char *p, size_t len)
{
	for (size_t i = 0; i + 1 < len; i++) {
		if (p[i] == '\n' && (p[i + 1] == '\n' || (p[i + 1] == '\r' &&
		    i + 2 < len && p[i + 2] == '\n')))
			return i + 1;
	}
	return len;
}

struct imap_body_ctx {
	struct cache			*cache;
	const struct cache_folder	*folder;
	uint32_t			 uid;
	bool				 done;
};

/* Store the message (row and body) from the FETCH that carries it. */
static int
imap_body_one(void *arg, const struct imap_response *r, struct error *err)
{
	struct imap_body_ctx	*ctx = arg;
	struct imap_fetch	 f;
	struct cache_msg	 m;
	int			 rc = -1;

	if (!imap_slice_is(r->name, "FETCH"))
		return 0;
	if (imap_fetch_parse(r, &f, err) == -1) {
		err->scope = ERR_SCOPE_MESSAGE;
		return -1;
	}
	if (!(f.have & IMAP_FETCH_UID) || f.uid != ctx->uid ||
	    !(f.have & IMAP_FETCH_BODY)) {
		imap_fetch_fini(&f);
		return 0;	/* some other update: the unsolicited handler's */
	}
	/*
	 * The flags come with the body, so the row is put again
	 * from the same FETCH: it gives the row id and fresh flags at once.
	 */
	imap_msg_from_fetch(&f, ctx->folder->id, f.body.p,
	    imap_header_len(f.body.p, f.body.len), &m);
	/* Row and body in one short transaction: both or neither. */
	if (cache_begin(ctx->cache, err) == 0) {
		if (cache_msg_put(ctx->cache, &m, err) == 0 &&
		    cache_body_put(ctx->cache, m.id, f.body.p, f.body.len,
		    err) == 0 && cache_commit(ctx->cache, err) == 0) {
			ctx->done = true;
			rc = 1;
		} else
			cache_rollback(ctx->cache);
	}
	cache_msg_fini(&m);
	imap_fetch_fini(&f);
	return rc;
}

/* Download one whole message into the cache. */
int
imap_fetch_message(struct account *a, const struct cache_folder *folder,
    const char *remote_id, struct cache *cache, struct error *err)
{
	struct imap_account	*ia = imap_account_get(a);
	struct imap_body_ctx	 ctx = { cache, folder, 0, false };

	if (imap_uid_parse(remote_id, &ctx.uid) == -1) {
		return error_set(err, ERR_NOTFOUND, ERR_SCOPE_MESSAGE,
		    "not an IMAP UID: %.20s", remote_id ? remote_id : "");
	}
	if (imap_begin(ia, cache, err) == -1 ||
	    imap_select(ia, folder, err) == -1)
		return -1;
	/* Always PEEK: opening a message must not set \Seen by itself. */
	if (imap_conn_run(ia->conn, imap_body_one, &ctx, err,
	    "UID FETCH %" PRIu32 " (UID FLAGS INTERNALDATE RFC822.SIZE "
	    "BODY.PEEK[])", ctx.uid) == -1)
		return -1;
	if (!ctx.done) {
		return error_set(err, ERR_NOTFOUND, ERR_SCOPE_MESSAGE,
		    "message %" PRIu32 " is no longer in %s", ctx.uid,
		    folder->name);
	}
	return 0;
}

/* The "(\Seen \Flagged)" list of cache flags; empty if none. */
void
imap_flag_list(struct buf *b, unsigned flags)
{
	static const struct {
		unsigned	 bit;
		const char	*name;
	} map[] = {
		{ CACHE_FLAG_SEEN, "\\Seen" },
		{ CACHE_FLAG_ANSWERED, "\\Answered" },
		{ CACHE_FLAG_FLAGGED, "\\Flagged" },
		{ CACHE_FLAG_DELETED, "\\Deleted" },
		{ CACHE_FLAG_DRAFT, "\\Draft" },
	};

	bool	 first = true;

	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++) {
		if (!(flags & map[i].bit))
			continue;
		buf_addc(b, first ? '(' : ' ');
		buf_adds(b, map[i].name);
		first = false;
	}
	if (!first)
		buf_addc(b, ')');
}

/*
 * UID STORE one chunk of UIDs: +FLAGS.SILENT and -FLAGS.SILENT pipelined
 * (both are sent, then both answers read: one round trip).
 */
static int
imap_store_chunk(struct imap_account *ia, const char *set, unsigned add,
    unsigned remove, struct error *err)
{
	struct buf	 fl;
	struct error	 e2;
	char		 t1[16] = "", t2[16] = "";
	int		 rc = 0;

	buf_init(&fl, 256);
	imap_flag_list(&fl, add);
	if (fl.len > 0)
		rc = imap_conn_submit(ia->conn, t1, sizeof t1, err,
		    "UID STORE %s +FLAGS.SILENT %s", set, fl.data);
	buf_reset(&fl);
	imap_flag_list(&fl, remove);
	if (rc == 0 && fl.len > 0)
		rc = imap_conn_submit(ia->conn, t2, sizeof t2, err,
		    "UID STORE %s -FLAGS.SILENT %s", set, fl.data);
	buf_fini(&fl);
	if (t1[0] != '\0' && imap_conn_await(ia->conn, t1, NULL, NULL,
	    rc == 0 ? err : &e2) == -1)
		rc = -1;
	if (t2[0] != '\0' && imap_conn_await(ia->conn, t2, NULL, NULL,
	    rc == 0 ? err : &e2) == -1)
		rc = -1;
	return rc;
}

/* Record flags the server accepted in the cache (rows may be gone). */
static int
imap_store_cache_rows(struct cache *cache, const struct cache_folder *folder,
    const char *const *ids, size_t n, unsigned add, unsigned remove,
    struct error *err)
{
	struct cache_msg	m;
	int			rc;

	for (size_t i = 0; i < n; i++) {
		rc = cache_msg_find(cache, folder->id, ids[i], &m, err);
		if (rc == 0)
			rc = cache_msg_set_flags(cache, folder->id, ids[i],
			    (m.flags | add) & ~remove, err);
		cache_msg_fini(&m);
		if (rc == -1)
			return -1;
	}
	return 0;
}

/* The same, in one short transaction (the server has answered). */
static int
imap_store_cache(struct cache *cache, const struct cache_folder *folder,
    const char *const *ids, size_t n, unsigned add, unsigned remove,
    struct error *err)
{
	if (cache_begin(cache, err) == -1)
		return -1;
	if (imap_store_cache_rows(cache, folder, ids, n, add, remove,
	    err) == -1 || cache_commit(cache, err) == -1) {
		cache_rollback(cache);
		return -1;
	}
	return 0;
}

/* Add and remove flags on the server, then in the cache. */
int
imap_store_flags(struct account *a, const struct cache_folder *folder,
    const char *const *ids, size_t n, unsigned add, unsigned remove,
    struct cache *cache, struct error *err)
{
	struct imap_account	*ia = imap_account_get(a);
	struct buf		 set;
	uint32_t		 uid;
	int			 rc = -1;

	if (imap_writable(ia, "changing flags", err) == -1)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (imap_uid_parse(ids[i], &uid) == -1)
			return error_set(err, ERR_NOTFOUND, ERR_SCOPE_MESSAGE,
			    "not an IMAP UID: %.20s", ids[i]);
	}
	add &= ~CACHE_FLAG_RECENT;	/* \Recent cannot be stored */
	remove &= ~CACHE_FLAG_RECENT;
	if (n == 0 || (add == 0 && remove == 0))
		return 0;
	if (imap_begin(ia, cache, err) == -1 ||
	    imap_select(ia, folder, err) == -1)
		return -1;
	buf_init(&set, 0);
	for (size_t i = 0, first = 0; i < n; i++) {
		imap_uid_parse(ids[i], &uid);
		buf_printf(&set, "%s%" PRIu32, set.len > 0 ? "," : "", uid);
		if ((i + 1) % IMAP_STORE_CHUNK != 0 && i + 1 < n)
			continue;
		/* Each chunk the server accepted is recorded at once. */
		if (imap_store_chunk(ia, set.data, add, remove, err) == -1 ||
		    imap_store_cache(cache, folder, ids + first, i + 1 - first,
		    add, remove, err) == -1)
			goto out;
		buf_reset(&set);
		first = i + 1;
	}
	rc = 0;

out:
	buf_fini(&set);
	return rc;
}
