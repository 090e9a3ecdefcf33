/*
 * outbox_prepare.c - a message given to `petrel send` (sendmail style,
 * from a program or a person) made ready for the outbox: line ends made
 * CRLF, Bcc: and Resent-Bcc: lines removed, From:, Date: and Message-ID:
 * added when missing (RFC 5322 3.6: the first two are required, the
 * third should be there), and the recipients collected from the
 * arguments and, with -t, from To:, Cc: and Bcc:.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "mime/address.h"
#include "mime/build.h"
#include "mime/mime.h"
#include "send/outbox.h"
#include "util/xmalloc.h"

/* Whether field line p (len bytes, "Name: ...") is named name. */
static bool
outbox_field_is(const char *p, size_t len, const char *name)
{
	size_t	n = strlen(name);

	return len > n && p[n] == ':' && strncasecmp(p, name, n) == 0;
}

/* Add the members of an address list to the recipients, no duplicate. */
static void
outbox_add_rcpts(struct outbox_prepared *o, const char *s, size_t len)
{
	struct mime_address_list	l;
	size_t				i, k;

	mime_address_list_parse(s, len, &l);
	for (i = 0; i < l.n; i++) {
		if (l.v[i].addr == NULL)
			continue;
		for (k = 0; k < o->nrcpt; k++) {
			if (strcasecmp(o->rcpt[k], l.v[i].addr) == 0)
				break;
		}
		if (k < o->nrcpt || o->nrcpt == MIME_ADDRESS_MAX)
			continue;
		o->rcpt = xreallocarray(o->rcpt, o->nrcpt + 2,
		    sizeof *o->rcpt);
		o->rcpt[o->nrcpt++] = xstrdup(l.v[i].addr);
		o->rcpt[o->nrcpt] = NULL;
	}
	mime_address_list_fini(&l);
}

/* Append in[0..len) with every line end made CRLF. */
static void
outbox_crlf(const char *in, size_t len, struct buf *out)
{
	size_t	i, start = 0;

	for (i = 0; i < len; i++) {
		if (in[i] != '\n')
			continue;
		buf_add(out, in + start, i > start && in[i - 1] == '\r' ?
		    i - 1 - start : i - start);
		buf_add(out, "\r\n", 2);
		start = i + 1;
	}
	if (start < len) {
		buf_add(out, in + start, len - start);
		buf_add(out, "\r\n", 2);
	}
}

/* The end of the header block: the offset of the blank line, or len. */
static size_t
outbox_header_end(const char *in, size_t len, size_t *body)
{
	for (size_t i = 0; i < len; i++) {
		if (in[i] != '\n' || i + 1 > len)
			continue;
		if (i + 1 < len && in[i + 1] == '\n') {
			*body = i + 2;
			return i + 1;
		}
		if (i + 2 < len && in[i + 1] == '\r' && in[i + 2] == '\n') {
			*body = i + 3;
			return i + 1;
		}
	}
	*body = len;
	return len;
}

/* Copy the header fields but Bcc; note which of From/Date/Message-ID. */
static void
outbox_copy_headers(struct outbox_prepared *o, const char *in, size_t hlen,
    bool take_rcpts, unsigned *have)
{
	const char	*colon;
	size_t		 i = 0, j, n;

	while (i < hlen) {
		/* One field: a line and its continuation lines. */
		for (j = i; j < hlen; j++) {
			if (in[j] == '\n' && (j + 1 >= hlen ||
			    (in[j + 1] != ' ' && in[j + 1] != '\t')))
				break;
		}
		n = (j < hlen ? j + 1 : j) - i;
		if (outbox_field_is(in + i, n, "From"))
			*have |= 1;
		else if (outbox_field_is(in + i, n, "Date"))
			*have |= 2;
		else if (outbox_field_is(in + i, n, "Message-ID"))
			*have |= 4;
		if (take_rcpts && (outbox_field_is(in + i, n, "To") ||
		    outbox_field_is(in + i, n, "Cc") ||
		    outbox_field_is(in + i, n, "Bcc"))) {
			colon = memchr(in + i, ':', n);
			outbox_add_rcpts(o, colon + 1,
			    (size_t)(in + i + n - colon - 1));
		}
		if (!outbox_field_is(in + i, n, "Bcc") &&
		    !outbox_field_is(in + i, n, "Resent-Bcc"))
			outbox_crlf(in + i, n, &o->msg);
		i += n;
	}
}

/* The envelope sender of a From: value (outbox.h). */
char *
outbox_env_from(const char *from, bool only_one)
{
	struct mime_address_list	l;
	char				*a = NULL;

	if (from == NULL)
		return NULL;
	mime_address_list_parse(from, strlen(from), &l);
	if (l.n > 0 && (!only_one || l.n == 1) && l.v[0].addr != NULL)
		a = xstrdup(l.v[0].addr);
	mime_address_list_fini(&l);
	return a;
}

/* The missing From:, Date: and Message-ID: fields, and the sender. */
static int
outbox_add_fields(struct outbox_prepared *o, const char *in, size_t len,
    const struct config_account *a, unsigned have, struct error *err)
{
	const char	*from = a->send.from;
	char		*hdr, *id;

	if (from == NULL && a->user != NULL && strchr(a->user, '@') != NULL)
		from = a->user;
	hdr = mime_header_get(in, len, "From");
	if (hdr == NULL && from == NULL) {
		return error_set(err, ERR_PARSE, ERR_SCOPE_OP, "the message "
		    "has no From: and [account %s] no 'from' to add",
		    a->name);
	}
	if (!(have & 1))
		buf_printf(&o->msg, "From: %s\r\n", from);
	if (o->env_from == NULL)
		o->env_from = outbox_env_from(hdr != NULL ? hdr : from, false);
	free(hdr);
	if (o->env_from == NULL)
		return error_set(err, ERR_PARSE, ERR_SCOPE_OP, "no sender "
		    "address in From:");
	if (!(have & 2) && mime_build_date(time(NULL), &o->msg, err) == -1)
		return -1;
	if (!(have & 4)) {
		id = mime_build_msgid(o->env_from);
		buf_printf(&o->msg, "Message-ID: %s\r\n", id);
		free(id);
	}
	return 0;
}

/* Prepare a message for the outbox (outbox.h). */
int
outbox_prepare(const char *in, size_t len, const struct config_account *a,
    bool take_rcpts, const char *const *args, size_t nargs,
    const char *env_from, struct outbox_prepared *o, struct error *err)
{
	size_t		 hlen, body;
	unsigned	 have = 0;
	char		*v;

	memset(o, 0, sizeof *o);
	buf_init(&o->msg, CACHE_OUTBOX_MAX);
	o->env_from = env_from != NULL ? xstrdup(env_from) : NULL;
	hlen = outbox_header_end(in, len, &body);
	for (size_t i = 0; i < nargs; i++)
		outbox_add_rcpts(o, args[i], strlen(args[i]));
	outbox_copy_headers(o, in, hlen, take_rcpts, &have);
	if (outbox_add_fields(o, in, hlen, a, have, err) == -1)
		goto fail;
	buf_add(&o->msg, "\r\n", 2);
	outbox_crlf(in + body, len - body, &o->msg);
	if (o->msg.too_big) {
		error_set(err, ERR_TOOBIG, ERR_SCOPE_OP, "the message is "
		    "larger than %u MiB", CACHE_OUTBOX_MAX >> 20);
		goto fail;
	}
	if (o->nrcpt == 0) {
		error_set(err, ERR_PARSE, ERR_SCOPE_OP, "no recipients (give "
		    "addresses, or -t to read To:, Cc: and Bcc:)");
		goto fail;
	}
	if ((v = mime_header_get(in, hlen, "Subject")) != NULL) {
		o->subject = mime_rfc2047_decode(v, strlen(v));
		free(v);
	}
	if ((v = mime_header_get(in, hlen, "To")) != NULL) {
		o->to_line = mime_rfc2047_decode(v, strlen(v));
		free(v);
	}
	return 0;
fail:
	outbox_prepared_fini(o);
	return -1;
}

/* Free a prepared message. */
void
outbox_prepared_fini(struct outbox_prepared *o)
{
	buf_fini(&o->msg);
	for (size_t i = 0; i < o->nrcpt; i++)
		free(o->rcpt[i]);
	free(o->rcpt);
	free(o->env_from);
	free(o->subject);
	free(o->to_line);
	memset(o, 0, sizeof *o);
}
