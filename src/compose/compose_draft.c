/*
 * compose_draft.c - the draft itself: starting one of each kind, freeing
 * it, removing an attachment, and lending its fields to the message
 * builder (src/mime/build.h).  Also the one cleaner every text taken from
 * an original message goes through (compose_clean_line).
 *
 * The reply rules live in compose_reply.c, subjects in compose_subject.c,
 * quoting and forwarding in compose_quote.c, resuming a postponed draft
 * in compose_resume.c; this file only puts the pieces together.
 */
#include <stdlib.h>
#include <string.h>

#include "compose/compose.h"
#include "compose/compose_int.h"
#include "mime/mime.h"
#include "util/buf.h"
#include "util/sanitize.h"
#include "util/xmalloc.h"

/* A header value as one clean line: no control characters, tabs and line
 * breaks as blanks, invalid UTF-8 as U+FFFD, outer blanks trimmed, at
 * most COMPOSE_LINE_MAX bytes of input read.  NULL when nothing is left. */
char *
compose_clean_line(const char *s, size_t len)
{
	struct buf	 b = BUF_INITIALIZER(0);
	size_t		 i, n;

	if (s == NULL)
		return NULL;
	if (len > COMPOSE_LINE_MAX)
		len = COMPOSE_LINE_MAX;
	sanitize_append(&b, s, len, 0);
	n = b.len;
	while (n > 0 && b.data[n - 1] == ' ')
		n--;
	for (i = 0; i < n && b.data[i] == ' '; i++)
		;
	if (i == n) {
		buf_fini(&b);
		return NULL;
	}
	memmove(b.data, b.data + i, n - i);
	b.len = n - i;
	b.data[b.len] = '\0';
	return buf_take(&b);
}

/* The RFC 2047-decoded value of header name in orig as a clean line, or
 * NULL if it is missing or empty. */
char *
compose_header(const char *orig, size_t len, const char *name)
{
	char	*raw, *dec, *v;

	if ((raw = mime_header_get(orig, len, name)) == NULL)
		return NULL;
	dec = mime_rfc2047_decode(raw, strlen(raw));
	v = compose_clean_line(dec, strlen(dec));
	free(dec);
	free(raw);
	return v;
}

/* Free what one attachment holds. */
void
compose_attach_fini(struct compose_attach *a)
{
	free(a->path);
	free(a->filename);
	free(a->content_type);
	free(a->charset);
	free(a->data);
	memset(a, 0, sizeof *a);
}

/* Free what a draft holds and zero it. */
void
compose_draft_fini(struct compose_draft *d)
{
	size_t	i;

	free(d->from);
	free(d->to);
	free(d->cc);
	free(d->bcc);
	free(d->reply_to);
	free(d->subject);
	free(d->in_reply_to);
	free(d->references);
	free(d->body);
	for (i = 0; i < d->nattach; i++)
		compose_attach_fini(&d->attach[i]);
	free(d->attach);
	free(d->dsn_notify);
	free(d->dsn_ret);
	free(d->pending);
	memset(d, 0, sizeof *d);
}

/* Remove attachment i, keeping the order of the others. */
void
compose_detach(struct compose_draft *d, size_t i)
{
	if (i >= d->nattach)
		return;
	compose_attach_fini(&d->attach[i]);
	memmove(&d->attach[i], &d->attach[i + 1],
	    (d->nattach - i - 1) * sizeof *d->attach);
	d->nattach--;
	if (d->nattach == 0) {
		free(d->attach);
		d->attach = NULL;
	}
}

/* The body of a reply: the attribution line and the quoted text, then an
 * empty line to write under. */
static char *
compose_reply_body(const char *orig, size_t len)
{
	char	*attr, *q, *body;

	attr = compose_attribution(orig, len);
	q = compose_quote(orig, len);
	body = xasprintf("%s\n%s\n", attr, q);
	free(attr);
	free(q);
	return body;
}

/* Fill a draft for kind from the original message. */
int
compose_start(struct compose_draft *d, enum compose_kind kind,
    const struct compose_identity *id, const char *orig, size_t len,
    struct error *err)
{
	char	*subject;

	if (orig == NULL)
		len = 0;
	if (orig == NULL)
		orig = "";
	memset(d, 0, sizeof *d);
	if (id != NULL && id->from != NULL)
		d->from = xstrdup(id->from);
	if (kind == COMPOSE_NEW) {
		d->body = xstrdup("");
		return 0;
	}
	if (kind == COMPOSE_RESUME) {
		if (compose_resume(d, orig, len, err) == -1) {
			compose_draft_fini(d);
			return -1;
		}
		return 0;
	}
	if (kind != COMPOSE_REPLY && kind != COMPOSE_REPLY_ALL &&
	    kind != COMPOSE_FORWARD_INLINE && kind != COMPOSE_FORWARD_ATTACH) {
		compose_draft_fini(d);
		return error_set(err, ERR_UNSUPPORTED, ERR_SCOPE_OP,
		    "unknown kind of message to write (%d)", (int)kind);
	}
	subject = mime_header_get(orig, len, "Subject");
	d->subject = compose_subject_make(subject, kind);
	free(subject);
	if (kind == COMPOSE_REPLY || kind == COMPOSE_REPLY_ALL) {
		compose_reply_recipients(d, id, orig, len,
		    kind == COMPOSE_REPLY_ALL);
		compose_reply_ids(d, orig, len);
		d->body = compose_reply_body(orig, len);
	} else if (kind == COMPOSE_FORWARD_INLINE)
		d->body = compose_forward_text(orig, len);
	else {
		d->body = xstrdup("");
		if (compose_forward_attach(d, orig, len, err) == -1) {
			compose_draft_fini(d);
			return -1;
		}
	}
	return 0;
}

/* A draft field as the builder takes it: NULL when empty. */
static const char *
compose_build_field(const char *s)
{
	return s != NULL && *s != '\0' ? s : NULL;
}

/* Lend d's fields to a mime_build_msg (see compose.h). */
void
compose_to_build(const struct compose_draft *d, struct mime_build_msg *m,
    struct mime_build_part *parts)
{
	const struct compose_attach	*a;
	size_t				 i;

	memset(m, 0, sizeof *m);
	m->from = compose_build_field(d->from);
	m->to = compose_build_field(d->to);
	m->cc = compose_build_field(d->cc);
	m->bcc = compose_build_field(d->bcc);
	m->reply_to = compose_build_field(d->reply_to);
	m->subject = compose_build_field(d->subject);
	m->in_reply_to = compose_build_field(d->in_reply_to);
	m->references = compose_build_field(d->references);
	m->body = d->body != NULL ? d->body : "";
	m->body_len = strlen(m->body);
	for (i = 0; i < d->nattach; i++) {
		a = &d->attach[i];
		memset(&parts[i], 0, sizeof parts[i]);
		parts[i].data = a->data != NULL ? a->data : "";
		parts[i].len = a->len;
		parts[i].filename = a->filename;
		parts[i].content_type = a->content_type;
		parts[i].charset = a->charset;
		parts[i].is_message = a->is_message;
	}
	m->parts = d->nattach > 0 ? parts : NULL;
	m->nparts = d->nattach;
}
