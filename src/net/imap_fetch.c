/*
 * imap_fetch.c - reading FETCH message data and LIST mailbox data.
 *
 * Works on the value lists imap_parse.c produced: msg-att items of
 * RFC 3501 section 7.4.2 (UID, FLAGS, INTERNALDATE, RFC822.SIZE, ENVELOPE,
 * BODY[section]<origin>), the envelope structure with its address lists
 * (NIL members and group syntax kept as the server sent them), the
 * date-time of INTERNALDATE and mailbox-list of section 7.2.2 (with the
 * RFC 6154 special-use attributes).  Pure: no
 * I/O, no globals; results borrow from the response.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "net/imap_parse.h"
#include "util/timeconv.h"
#include "util/buf.h"
#include "util/xmalloc.h"

/* Fail with a protocol error about a FETCH or LIST item. */
static int
imap_fetch_bad(struct error *err, const char *what)
{
	return error_set(err, ERR_PROTOCOL, ERR_SCOPE_MESSAGE,
	    "malformed IMAP response: %s", what);
}

/* The system flags of a flag list; keywords and unknown flags ignored. */
unsigned
imap_flags_mask(const struct imap_value *list)
{
	static const struct {
		const char	*name;
		unsigned	 bit;
	} map[] = {
		{ "\\Seen", IMAP_FLAG_SEEN },
		{ "\\Answered", IMAP_FLAG_ANSWERED },
		{ "\\Flagged", IMAP_FLAG_FLAGGED },
		{ "\\Deleted", IMAP_FLAG_DELETED },
		{ "\\Draft", IMAP_FLAG_DRAFT },
		{ "\\Recent", IMAP_FLAG_RECENT },
	};
	unsigned	 mask = 0;

	if (list == NULL || list->type != IMAP_V_LIST)
		return 0;
	for (size_t i = 0; i < list->n; i++) {
		for (size_t j = 0; j < sizeof map / sizeof map[0]; j++) {
			if (imap_value_is(&list->items[i], map[j].name))
				mask |= map[j].bit;
		}
	}
	return mask;
}

/* Whether a value is a string or NIL (an nstring). */
static bool
imap_is_nstring(const struct imap_value *v)
{
	return v->type == IMAP_V_NIL || v->type == IMAP_V_STRING;
}

/* A string member leniently: atoms read as strings, lists as NIL. */
static struct imap_slice
imap_lenient_string(const struct imap_value *list, size_t i)
{
	struct imap_slice	 nil = { NULL, 0 };

	if (i >= list->n)
		return nil;	/* a missing field is NIL */
	return imap_value_slice(&list->items[i]);
}

/*
 * Read one address list: NIL (or, sloppily, a string) is empty; each
 * member should be 4 nstrings, but a server's missing fields are read as
 * NIL, extra ones ignored, and a member that is no list at all skipped.
 */
static int
imap_parse_addrs(const struct imap_value *v, struct imap_addr_list *out,
    struct error *err)
{
	const struct imap_value	*a;
	struct imap_address	*d;

	out->v = NULL;
	out->n = 0;
	if (v->type == IMAP_V_NIL || v->type == IMAP_V_STRING)
		return 0;
	if (v->type != IMAP_V_LIST)
		return imap_fetch_bad(err, "address list is not a list");
	if (v->n == 0)
		return 0;
	out->v = xcalloc(v->n, sizeof *out->v);
	for (size_t i = 0; i < v->n; i++) {
		a = &v->items[i];
		if (a->type != IMAP_V_LIST || a->n == 0)
			continue;
		d = &out->v[out->n++];
		d->name = imap_lenient_string(a, 0);
		d->adl = imap_lenient_string(a, 1);
		d->mailbox = imap_lenient_string(a, 2);
		d->host = imap_lenient_string(a, 3);
	}
	return 0;
}

/* Free the address arrays of an envelope. */
static void
imap_envelope_fini(struct imap_envelope *e)
{
	free(e->from.v);
	free(e->sender.v);
	free(e->reply_to.v);
	free(e->to.v);
	free(e->cc.v);
	free(e->bcc.v);
	memset(e, 0, sizeof *e);
}

/* Read the 10-member envelope list. */
static int
imap_parse_envelope(const struct imap_value *v, struct imap_envelope *e,
    struct error *err)
{
	const struct imap_value		*it;
	struct imap_addr_list		*lists[6];

	memset(e, 0, sizeof *e);
	/* Extra members (a server's extension) are ignored. */
	if (v->type != IMAP_V_LIST || v->n < 10)
		return imap_fetch_bad(err, "ENVELOPE is not a 10-item list");
	it = v->items;
	e->date = imap_lenient_string(v, 0);
	e->subject = imap_lenient_string(v, 1);
	e->in_reply_to = imap_lenient_string(v, 8);
	e->message_id = imap_lenient_string(v, 9);
	lists[0] = &e->from;
	lists[1] = &e->sender;
	lists[2] = &e->reply_to;
	lists[3] = &e->to;
	lists[4] = &e->cc;
	lists[5] = &e->bcc;
	for (size_t i = 0; i < 6; i++) {
		if (imap_parse_addrs(&it[2 + i], lists[i], err) == -1) {
			imap_envelope_fini(e);
			return -1;
		}
	}
	return 0;
}

/* A group start: host NIL, mailbox the group name. */
bool
imap_address_is_group_start(const struct imap_address *a)
{
	return a->host.p == NULL && a->mailbox.p != NULL;
}

/* A group end: host and mailbox NIL. */
bool
imap_address_is_group_end(const struct imap_address *a)
{
	return a->host.p == NULL && a->mailbox.p == NULL;
}

/* Read a body section item "BODY[...]<origin>" and its nstring value. */
static int
imap_parse_body_item(struct imap_fetch *f, const struct imap_value *name,
    const struct imap_value *v, struct error *err)
{
	const char	*open, *close;

	if (!imap_is_nstring(v))
		return imap_fetch_bad(err, "body section is not a string");
	if (f->have & IMAP_FETCH_BODY)
		return 0;	/* keep the first one */
	open = memchr(name->s, '[', name->len);
	close = open != NULL ? memchr(open, ']', name->len -
	    (size_t)(open - name->s)) : NULL;
	if (close == NULL)
		return imap_fetch_bad(err, "body section without ]");
	f->body_section.p = open + 1;
	f->body_section.len = (size_t)(close - open - 1);
	f->body = imap_value_slice(v);
	if (f->body.p == NULL) {
		f->body.p = "";		/* NIL body: present but empty */
		f->body.len = 0;
	}
	f->have |= IMAP_FETCH_BODY;
	return 0;
}

/* Whether an atom starts with prefix (case-insensitive). */
static bool
imap_has_prefix(const struct imap_value *v, const char *prefix)
{
	size_t	 n = strlen(prefix);

	return v->type == IMAP_V_ATOM && v->len >= n &&
	    strncasecmp(v->s, prefix, n) == 0;
}

/* Read one "NAME value" pair of a FETCH list. */
static int
imap_fetch_item(struct imap_fetch *f, const struct imap_value *name,
    const struct imap_value *v, struct error *err)
{
	uint64_t	 n;

	if (imap_value_is(name, "UID")) {
		if (imap_parse_number(imap_value_slice(v), UINT32_MAX,
		    &n) == -1 || n == 0 || v->type != IMAP_V_ATOM)
			return imap_fetch_bad(err, "bad UID");
		f->uid = (uint32_t)n;
		f->have |= IMAP_FETCH_UID;
	} else if (imap_value_is(name, "FLAGS")) {
		if (v->type != IMAP_V_LIST)
			return imap_fetch_bad(err, "FLAGS is not a list");
		f->flags = imap_flags_mask(v);
		f->have |= IMAP_FETCH_FLAGS;
	} else if (imap_value_is(name, "INTERNALDATE")) {
		/* Sloppy dates are not fatal: the envelope's date is used. */
		if ((v->type == IMAP_V_STRING || v->type == IMAP_V_ATOM) &&
		    imap_parse_internaldate(v->s, v->len,
		    &f->internaldate) == 0)
			f->have |= IMAP_FETCH_INTERNALDATE;
	} else if (imap_value_is(name, "RFC822.SIZE")) {
		if (imap_parse_number(imap_value_slice(v), UINT64_MAX / 2,
		    &f->size) == 0)
			f->have |= IMAP_FETCH_SIZE;
	} else if (imap_value_is(name, "ENVELOPE")) {
		if (f->have & IMAP_FETCH_ENVELOPE)
			return imap_fetch_bad(err, "two ENVELOPEs");
		if (imap_parse_envelope(v, &f->env, err) == -1)
			return -1;
		f->have |= IMAP_FETCH_ENVELOPE;
	} else if (imap_has_prefix(name, "BODY[") ||
	    imap_has_prefix(name, "BINARY["))
		return imap_parse_body_item(f, name, v, err);
	/* Anything else (BODYSTRUCTURE, MODSEQ, X-...) is skipped. */
	return 0;
}

/* After a failure: keep only the sequence number and a valid UID. */
static int
imap_fetch_failed(const struct imap_response *r, const struct imap_value *list,
    struct imap_fetch *f)
{
	uint64_t	 n;

	imap_fetch_fini(f);
	f->seq = r->number;
	if (r->bad && r->bad_uid != 0) {
		f->uid = r->bad_uid;
		f->have = IMAP_FETCH_UID;
	}
	for (size_t i = 0; list != NULL && i + 1 < list->n; i += 2) {
		if (imap_value_is(&list->items[i], "UID") &&
		    list->items[i + 1].type == IMAP_V_ATOM &&
		    imap_parse_number(imap_value_slice(&list->items[i + 1]),
		    UINT32_MAX, &n) == 0 && n > 0) {
			f->uid = (uint32_t)n;
			f->have = IMAP_FETCH_UID;
			break;
		}
	}
	return -1;
}

/* Read a "* n FETCH (...)" response. */
int
imap_fetch_parse(const struct imap_response *r, struct imap_fetch *f,
    struct error *err)
{
	const struct imap_value	*list;

	memset(f, 0, sizeof *f);
	if (r->type != IMAP_RESP_UNTAGGED || !r->has_number ||
	    !imap_slice_is(r->name, "FETCH"))
		return imap_fetch_bad(err, "not a FETCH response");
	if (r->bad) {
		imap_fetch_bad(err, "unreadable FETCH response");
		return imap_fetch_failed(r, NULL, f);
	}
	if (r->args.n != 1 || r->args.items[0].type != IMAP_V_LIST)
		return imap_fetch_bad(err, "FETCH without a list");
	list = &r->args.items[0];
	f->seq = r->number;
	if (list->n % 2 != 0) {
		imap_fetch_bad(err, "FETCH list of odd length");
		return imap_fetch_failed(r, list, f);
	}
	for (size_t i = 0; i < list->n; i += 2) {
		if (list->items[i].type != IMAP_V_ATOM) {
			imap_fetch_bad(err, "FETCH item name");
			return imap_fetch_failed(r, list, f);
		}
		if (imap_fetch_item(f, &list->items[i], &list->items[i + 1],
		    err) == -1)
			return imap_fetch_failed(r, list, f);
	}
	return 0;
}

/* Free the envelope's address arrays. */
void
imap_fetch_fini(struct imap_fetch *f)
{
	imap_envelope_fini(&f->env);
	memset(f, 0, sizeof *f);
}

/* A cursor over a date being read. */
struct imap_date_in {
	const char	*p;
	size_t		 len;
	size_t		 i;
};

/* Skip spaces; whether any were there. */
static bool
imap_date_spaces(struct imap_date_in *in)
{
	size_t	 start = in->i;

	while (in->i < in->len && in->p[in->i] == ' ')
		in->i++;
	return in->i > start;
}

/* Read 1 to max digits; -1 if there are none. */
static int
imap_date_num(struct imap_date_in *in, size_t max, int *out)
{
	size_t	 n = 0;
	int	 v = 0;

	while (n < max && in->i < in->len && in->p[in->i] >= '0' &&
	    in->p[in->i] <= '9') {
		v = v * 10 + (in->p[in->i++] - '0');
		n++;
	}
	*out = v;
	return n > 0 ? (int)n : -1;
}

/* Read one character c; -1 if it is not there. */
static int
imap_date_char(struct imap_date_in *in, char c)
{
	if (in->i >= in->len || in->p[in->i] != c)
		return -1;
	in->i++;
	return 0;
}

/* "dd-Mon-yyyy" (day 1 or 2 digits, year 2 or 4); days since the epoch. */
static int
imap_date_day(struct imap_date_in *in, int64_t *days)
{
	static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	int	 day, mon = -1, year, nd;

	imap_date_spaces(in);
	if (imap_date_num(in, 2, &day) == -1 || imap_date_char(in, '-') == -1 ||
	    in->len - in->i < 4)
		return -1;
	for (int m = 0; m < 12; m++) {
		if (strncasecmp(in->p + in->i, months + 3 * m, 3) == 0)
			mon = m + 1;
	}
	in->i += 3;
	if (mon == -1 || imap_date_char(in, '-') == -1 ||
	    (nd = imap_date_num(in, 4, &year)) == -1 || nd == 1 || nd == 3)
		return -1;
	if (nd == 2)
		year += year < 70 ? 2000 : 1900;
	if (day < 1 || day > 31)
		return -1;
	*days = timeconv_days_from_civil(year, mon, day);
	return 0;
}

/* "hh:mm[:ss]" as seconds of the day. */
static int
imap_date_time(struct imap_date_in *in, int64_t *secs)
{
	int	 hh, mm, ss = 0;

	if (imap_date_num(in, 2, &hh) == -1 || imap_date_char(in, ':') == -1 ||
	    imap_date_num(in, 2, &mm) == -1)
		return -1;
	if (imap_date_char(in, ':') == 0 && imap_date_num(in, 2, &ss) == -1)
		return -1;
	if (hh > 23 || mm > 59 || ss > 60)
		return -1;
	*secs = hh * 3600 + mm * 60 + ss;
	return 0;
}

/* "+hhmm", "-hhmm", GMT/UT/UTC/Z, or nothing: the offset in seconds. */
static int
imap_date_zone(struct imap_date_in *in, int64_t *off)
{
	static const char *const utc[] = { "GMT", "UTC", "UT", "Z" };
	int	 sign, z, nd;

	*off = 0;
	imap_date_spaces(in);
	if (in->i == in->len)
		return 0;
	if (in->p[in->i] == '+' || in->p[in->i] == '-') {
		sign = in->p[in->i++] == '+' ? 1 : -1;
		if ((nd = imap_date_num(in, 4, &z)) != 4 || z % 100 > 59)
			return -1;
		*off = sign * (int64_t)((z / 100) * 3600 + (z % 100) * 60);
		return 0;
	}
	for (size_t k = 0; k < sizeof utc / sizeof utc[0]; k++) {
		size_t	 n = strlen(utc[k]);

		if (in->len - in->i >= n &&
		    strncasecmp(in->p + in->i, utc[k], n) == 0) {
			in->i += n;
			return 0;
		}
	}
	return -1;
}

/* Parse an INTERNALDATE, leniently. */
int
imap_parse_internaldate(const char *p, size_t len, int64_t *out)
{
	struct imap_date_in	 in = { p, len, 0 };
	int64_t			 days, secs, off;

	if (p == NULL || len > 64 || imap_date_day(&in, &days) == -1 ||
	    !imap_date_spaces(&in) || imap_date_time(&in, &secs) == -1 ||
	    imap_date_zone(&in, &off) == -1)
		return -1;
	imap_date_spaces(&in);
	if (in.i != len)
		return -1;
	*out = days * 86400 + secs - off;
	return 0;
}

/* Record one LIST attribute (unknown ones are ignored). */
static void
imap_list_attr(struct imap_list *l, const struct imap_value *v)
{
	static const struct {
		const char	*name;
		unsigned	 attr;
		unsigned	 use;
	} map[] = {
		{ "\\Noselect", IMAP_LIST_NOSELECT, 0 },
		{ "\\NonExistent", IMAP_LIST_NOSELECT | IMAP_LIST_NONEXISTENT,
		    0 },
		{ "\\Noinferiors", IMAP_LIST_NOINFERIORS, 0 },
		{ "\\Sent", 0, IMAP_USE_SENT },
		{ "\\Drafts", 0, IMAP_USE_DRAFTS },
		{ "\\Trash", 0, IMAP_USE_TRASH },
		{ "\\Junk", 0, IMAP_USE_JUNK },
		{ "\\Archive", 0, IMAP_USE_ARCHIVE },
		{ "\\All", 0, IMAP_USE_ALL },
		{ "\\Flagged", 0, IMAP_USE_FLAGGED },
	};

	for (size_t j = 0; j < sizeof map / sizeof map[0]; j++) {
		if (imap_value_is(v, map[j].name)) {
			l->attrs |= map[j].attr;
			l->use |= map[j].use;
		}
	}
}

/* Read "* LIST (attrs) delim name". */
int
imap_list_parse(const struct imap_response *r, struct imap_list *l,
    struct error *err)
{
	const struct imap_value	*a, *d, *nm;

	memset(l, 0, sizeof *l);
	if (r->type != IMAP_RESP_UNTAGGED || (!imap_slice_is(r->name, "LIST")
	    && !imap_slice_is(r->name, "LSUB")) || r->args.n < 3)
		return imap_fetch_bad(err, "not a LIST response");
	a = &r->args.items[0];
	d = &r->args.items[1];
	nm = &r->args.items[2];
	if (a->type != IMAP_V_LIST)
		return imap_fetch_bad(err, "LIST attributes");
	for (size_t i = 0; i < a->n; i++)
		imap_list_attr(l, &a->items[i]);
	if (d->type == IMAP_V_STRING && d->len == 1)
		l->delim = d->s[0];
	else if (d->type != IMAP_V_NIL)
		return imap_fetch_bad(err, "LIST delimiter");
	if (nm->type != IMAP_V_STRING && nm->type != IMAP_V_ATOM)
		return imap_fetch_bad(err, "LIST mailbox name");
	l->name = imap_value_slice(nm);
	if (l->name.len == 0 || memchr(l->name.p, '\0', l->name.len) != NULL)
		return imap_fetch_bad(err, "LIST mailbox name");
	return 0;
}

/* Read "* STATUS name (att value ...)" (RFC 3501 7.2.4, RFC 7162 7). */
int
imap_status_parse(const struct imap_response *r, struct imap_status_data *st,
    struct error *err)
{
	static const struct {
		const char	*name;
		unsigned	 bit;
	} map[] = {
		{ "MESSAGES", IMAP_STATUS_MESSAGES },
		{ "UIDNEXT", IMAP_STATUS_UIDNEXT },
		{ "UIDVALIDITY", IMAP_STATUS_UIDVALIDITY },
		{ "UNSEEN", IMAP_STATUS_UNSEEN },
		{ "HIGHESTMODSEQ", IMAP_STATUS_MODSEQ },
	};
	const struct imap_value	*nm, *l;
	uint32_t		*u32[] = { &st->messages, &st->uidnext,
				    &st->uidvalidity, &st->unseen, NULL };
	uint64_t		 v;

	memset(st, 0, sizeof *st);
	if (r->type != IMAP_RESP_UNTAGGED || !imap_slice_is(r->name,
	    "STATUS") || r->args.n < 2)
		return imap_fetch_bad(err, "not a STATUS response");
	nm = &r->args.items[0];
	l = &r->args.items[1];
	if ((nm->type != IMAP_V_STRING && nm->type != IMAP_V_ATOM) ||
	    l->type != IMAP_V_LIST || l->n % 2 != 0)
		return imap_fetch_bad(err, "STATUS");
	st->name = imap_value_slice(nm);
	if (st->name.len == 0 || memchr(st->name.p, '\0', st->name.len) != NULL)
		return imap_fetch_bad(err, "STATUS mailbox name");
	for (size_t i = 0; i + 1 < l->n; i += 2) {
		for (size_t j = 0; j < sizeof map / sizeof map[0]; j++) {
			if (!imap_value_is(&l->items[i], map[j].name))
				continue;
			if (imap_parse_number(imap_value_slice(&l->items[i + 1]),
			    map[j].bit == IMAP_STATUS_MODSEQ ? UINT64_MAX :
			    UINT32_MAX, &v) == -1)
				return imap_fetch_bad(err, "STATUS number");
			st->have |= map[j].bit;
			if (u32[j] != NULL)
				*u32[j] = (uint32_t)v;
			else
				st->highestmodseq = v;
		}
	}
	return 0;
}
