/*
 * pop3_fetch.c - downloading messages: headers with TOP n 0 (RFC 1939 7)
 * for the message list, whole messages with RETR (section 5) for the
 * pager and for leave_on_server, in pipelined windows when the server
 * offers PIPELINING (RFC 2449 6.6), one command at a time otherwise.
 *
 * Replies are read one at a time into a buffer bounded by POP3_BODY_MAX
 * (the parser refuses more); of a TOP answer at most POP3_HEADER_MAX of
 * the header block is kept.  Rows and bodies go to the cache through
 * pop3_pend.c, in short transactions.  A message the server refuses
 * (-ERR) is logged and skipped: one bad message never fails the folder.
 *
 * A read-only account reads whole messages with "TOP n <all lines>":
 * servers mark RETRieved messages as seen (Dovecot does, at QUIT); only
 * when TOP is not there does it fall back to RETR (and the session then
 * ends without QUIT: pop3_session_end).  A server without CAPA is tried
 * with TOP once; if that is refused, headers come with RETR instead.
 *
 * Header fields are read by src/mime (mime_envelope_parse) but not
 * sanitised: the UI does that on display.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mime/address.h"
#include "mime/mime.h"
#include "net/pop3_driver.h"
#include "util/log.h"
#include "util/xmalloc.h"

/* Lines of body "TOP n" asks for to get all of a message. */
#define POP3_TOP_ALL	"1000000000"

struct pop3_get_ctx {
	struct pop3_account		*pa;
	const struct cache_folder	*folder;
	enum pop3_get_what		 what;
	bool				 new_rows;
	bool				 top;		/* TOP, else RETR */
	const uint32_t			*idx;
	size_t				 n;
	size_t				 sent;
	size_t				 recvd;
	struct buf			 msg;		/* the reply's data */
	bool				 bol;		/* msg ends a line */
	bool				 hdr_done;	/* blank line seen */
	struct pop3_pend		 pend;
	size_t				 got;
	struct error			*skip;		/* last refusal */
};

/* The date of the newest Received: field, or -1. */
static int64_t
pop3_received_date(const char *raw, size_t len)
{
	char		*v = mime_header_get(raw, len, "Received");
	const char	*semi;
	int64_t		 d = -1;

	if (v != NULL && (semi = strrchr(v, ';')) != NULL)
		d = mime_parse_date(semi + 1, strlen(semi + 1));
	free(v);
	return d;
}

/* The length of a message's header block (through its empty line). */
static size_t
pop3_header_len(const char *p, size_t len)
{
	for (size_t i = 0; i + 1 < len; i++) {
		if (p[i] == '\n' && (p[i + 1] == '\n' || (p[i + 1] == '\r' &&
		    i + 2 < len && p[i + 2] == '\n')))
			return i + 1;
	}
	return len;
}

/* A cache row from a message or its header block. */
void
pop3_msg_row(int64_t folder_id, const char *uidl, uint64_t size,
    const char *raw, size_t len, struct cache_msg *m)
{
	struct mime_envelope	 e;
	size_t			 hlen = pop3_header_len(raw, len);

	memset(m, 0, sizeof *m);
	m->folder_id = folder_id;
	m->remote_id = xstrdup(uidl);
	mime_envelope_parse(raw, hlen, &e);
	/* No arrival date in POP3: Date:, else the last hop, else now. */
	m->date = e.date;
	if (m->date == -1)
		m->date = pop3_received_date(raw, hlen);
	if (m->date == -1)
		m->date = (int64_t)time(NULL);
	m->from_name = e.from_name;
	m->from_addr = e.from_addr;
	m->to = e.to;
	m->subject = e.subject;
	m->message_id = e.message_id;
	m->in_reply_to = e.in_reply_to;
	m->references = e.references;
	free(e.cc);
	m->size = (int64_t)size;
	m->flags = 0;		/* new to petrel: unread */
}

/* Send the command for the next message. */
static int
pop3_get_send(struct pop3_get_ctx *x, struct error *err)
{
	struct pop3_conn	*c = x->pa->conn;
	uint32_t		 num = x->pa->list.v[x->idx[x->sent]].num;
	int			 rc;

	if (x->what == POP3_GET_HEADERS && x->top)
		rc = pop3_conn_send(c, POP3_EXPECT_BLOB, POP3_BODY_MAX, err,
		    "TOP %" PRIu32 " 0", num);
	else if (x->top)
		rc = pop3_conn_send(c, POP3_EXPECT_BLOB, POP3_BODY_MAX, err,
		    "TOP %" PRIu32 " " POP3_TOP_ALL, num);
	else {
		rc = pop3_conn_send(c, POP3_EXPECT_BLOB, POP3_BODY_MAX, err,
		    "RETR %" PRIu32, num);
		c->retr = true;
	}
	if (rc == 0)
		x->sent++;
	return rc;
}

/* Keep one piece of the reply's data. */
static int
pop3_get_piece(void *arg, const struct pop3_event *ev, struct error *err)
{
	struct pop3_get_ctx	*x = arg;
	bool			 hdrs = x->what == POP3_GET_HEADERS && x->top;
	bool			 blank = x->bol && ev->eol && ev->text.len == 0;

	(void)err;
	if (x->hdr_done)
		return 0;
	if (hdrs && x->msg.len + ev->text.len + 2 > POP3_HEADER_MAX) {
		x->hdr_done = true;	/* a monstrous header: cut */
		return 0;
	}
	buf_add(&x->msg, ev->text.p, ev->text.len);
	if (ev->eol)
		buf_add(&x->msg, "\r\n", 2);
	x->bol = ev->eol;
	if (blank && hdrs)
		x->hdr_done = true;	/* TOP n 0 ignored: the header will do */
	return 0;
}

/* The reply to one command is read: a row (and body) for the cache. */
static void
pop3_get_keep(struct pop3_get_ctx *x, size_t k)
{
	const struct pop3_entry	*e = &x->pa->list.v[x->idx[k]];
	const char		*uidl = pop3_list_uidl(&x->pa->list, x->idx[k]);
	struct cache_msg	 m;
	char			*body = NULL;
	size_t			 len = 0;
	bool			 whole;

	whole = x->what == POP3_GET_WHOLE || !x->top;
	/* Without a LIST size, a whole message's own length will do. */
	pop3_msg_row(x->folder->id, uidl, e->size > 0 || !whole ? e->size :
	    x->msg.len, buf_str(&x->msg), x->msg.len, &m);
	if (whole) {
		len = x->msg.len;
		body = buf_take(&x->msg);
	}
	if (!x->new_rows && body == NULL) {
		cache_msg_fini(&m);	/* nothing new for a row that is there */
		return;
	}
	pop3_pend_add(&x->pend, &m, x->new_rows, body, len);
	x->got++;
}

/* Log a message the server refused; keep its error for the caller. */
static void
pop3_get_refused(struct pop3_get_ctx *x, size_t k, const struct error *e)
{
	const char	*uidl = pop3_list_uidl(&x->pa->list, x->idx[k]);

	log_warn("pop3", "[%s] message %.70s skipped: %s",
	    x->pa->base.cfg->name, uidl, e->msg);
	if (x->skip != NULL) {
		*x->skip = *e;
		x->skip->scope = ERR_SCOPE_MESSAGE;
	}
}

/* Read the reply to the oldest command; 1 to send it again with RETR. */
static int
pop3_get_reply(struct pop3_get_ctx *x, struct error *err)
{
	struct pop3_conn	*c = x->pa->conn;
	size_t			 k = x->recvd;

	buf_reset(&x->msg);
	x->bol = true;
	x->hdr_done = false;
	if (pop3_conn_data(c, pop3_get_piece, x, err) == 0) {
		pop3_get_keep(x, k);
		return 0;
	}
	if (err->code != ERR_SERVER)
		return -1;
	if (x->top && !c->have_caps && x->got == 0 && x->sent == k + 1) {
		/* RFC 1939 servers need not have TOP: use RETR. */
		log_info("pop3", "%s: TOP refused (%s): using RETR", c->host,
		    err->msg);
		x->pa->no_top = true;
		x->top = false;
		x->sent = k;
		error_clear(err);
		return 1;
	}
	pop3_get_refused(x, k, err);
	error_clear(err);
	return 0;
}

/* Whether TOP can be used for what is asked. */
static bool
pop3_get_top(struct pop3_account *pa, enum pop3_get_what what)
{
	const struct pop3_conn	*c = pa->conn;

	if (pa->no_top || (c->have_caps && !(c->caps & POP3_CAP_TOP)))
		return false;
	/* Whole messages: only read-only accounts avoid RETR. */
	return what == POP3_GET_HEADERS || pa->base.cfg->read_only;
}

/* Report progress. */
static void
pop3_get_status(struct pop3_get_ctx *x)
{
	account_status(&x->pa->base, "%s: %s %zu/%zu", x->folder->name,
	    x->what == POP3_GET_HEADERS ? "headers" : "messages", x->recvd,
	    x->n);
}

/* The download loop: a window of commands in flight. */
static int
pop3_get_run(struct pop3_get_ctx *x, struct error *err)
{
	struct pop3_conn	*c = x->pa->conn;
	size_t			 w = (c->caps & POP3_CAP_PIPELINING) ?
	    POP3_WINDOW : 1;
	int			 rc;

	while (x->recvd < x->n) {
		while (x->sent < x->n && x->sent - x->recvd < w) {
			if (pop3_get_send(x, err) == -1)
				return -1;
		}
		if ((rc = pop3_get_reply(x, err)) == -1)
			return -1;
		if (rc == 1)
			continue;
		x->recvd++;
		if (pop3_pend_maybe(&x->pend, err) == -1)
			return -1;
		if (x->recvd % 100 == 0 || x->recvd == x->n)
			pop3_get_status(x);
	}
	return 0;
}

/* Download messages (pop3_driver.h). */
int
pop3_get(struct pop3_account *pa, struct cache *cache,
    const struct cache_folder *folder, const uint32_t *idx, size_t n,
    enum pop3_get_what what, bool new_rows, size_t *got, struct error *skip,
    struct error *err)
{
	struct pop3_get_ctx	 x;
	struct error		 e2;
	int			 rc;

	*got = 0;
	if (n == 0)
		return 0;
	memset(&x, 0, sizeof x);
	x.pa = pa;
	x.folder = folder;
	x.what = what;
	x.new_rows = new_rows;
	x.top = pop3_get_top(pa, what);
	x.idx = idx;
	x.n = n;
	x.skip = skip;
	buf_init(&x.msg, POP3_BODY_MAX + 2);
	pop3_pend_init(&x.pend, pa, cache, folder->id);
	rc = pop3_get_run(&x, err);
	/* What arrived is kept, even when the rest failed. */
	if (pop3_pend_flush(&x.pend, rc == 0 ? err : &e2) == -1)
		rc = -1;
	pop3_pend_fini(&x.pend);
	buf_fini(&x.msg);
	*got = x.got;
	return rc;
}

/* Whether a kept message's body is in the cache (it must be). */
static int
pop3_fetch_kept(struct cache *cache, const struct cache_folder *folder,
    const char *id, struct error *err)
{
	struct cache_msg	 m;
	int			 rc;

	rc = cache_msg_find(cache, folder->id, id, &m, err);
	if (rc == 0 && !m.has_body)
		rc = 1;
	cache_msg_fini(&m);
	if (rc == 1)
		return error_set(err, ERR_NOTFOUND, ERR_SCOPE_MESSAGE,
		    "message %.70s is no longer on the server", id +
		    strlen(POP3_KEPT_PREFIX));
	return rc;
}

/* Download one whole message into the cache. */
int
pop3_fetch_message(struct account *a, const struct cache_folder *folder,
    const char *id, struct cache *cache, struct error *err)
{
	struct pop3_account	*pa = pop3_account_get(a);
	struct cache_msg	 m;
	struct error		 skip;
	uint32_t		 i32;
	size_t			 i, got;
	int			 rc;

	if (pop3_folder_check(folder, err) == -1)
		return -1;
	if (pop3_is_kept(id))
		return pop3_fetch_kept(cache, folder, id, err);
	if (pop3_session_get(pa, err) == -1)
		return -1;
	pa->used = true;
	if ((rc = pop3_list_locate(pa, id, &i, err)) != 0)
		return rc == -1 ? -1 : error_set(err, ERR_NOTFOUND,
		    ERR_SCOPE_MESSAGE, "message %.70s is no longer on the "
		    "server", id);
	if ((rc = cache_msg_find(cache, folder->id, id, &m, err)) == -1)
		return -1;
	cache_msg_fini(&m);
	i32 = (uint32_t)i;
	error_clear(&skip);
	if (pop3_get(pa, cache, folder, &i32, 1, POP3_GET_WHOLE, rc == 1,
	    &got, &skip, err) == -1)
		return -1;
	if (got == 0) {
		*err = skip;
		return -1;
	}
	return 0;
}
