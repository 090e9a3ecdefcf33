/*
 * compose_quote.c - the original's text in a reply or forward: the
 * attribution line, the quoted body, the inline forward block, and the
 * original kept whole as a message/rfc822 attachment (RFC 2046 section
 * 5.2.1).
 *
 * The text is what petrel's pager shows (mime_text_extract: the first
 * text/plain part, else text/html rendered; transfer encoding and charset
 * undone), cleaned of every control character but LF and TAB
 * (sanitize_append).  Quoting prefixes "> " to a line and ">" to a line
 * that is already quoted or empty, so no trailing blank is made (RFC 3676
 * section 4.5 quotes the same way).  A reply drops the original's
 * signature, from its last "-- " line (RFC 3676 section 4.3) on.  The
 * attribution's date is the original Date: in the local time zone, with
 * English names whatever the locale, since the reader may have any.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "compose/compose.h"
#include "compose/compose_int.h"
#include "mime/address.h"
#include "mime/mime.h"
#include "util/buf.h"
#include "util/sanitize.h"
#include "util/xmalloc.h"

/* The name of a forwarded message/rfc822 attachment, at most this long
 * before ".eml" (bytes, cut at a character). */
#define COMPOSE_FWD_NAME_MAX	64

static const char *const compose_days[] = {
	"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"
};
static const char *const compose_months[] = {
	"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
	"Nov", "Dec"
};

/* The original's text as the pager shows it, cleaned, LF line ends;
 * *len set.  New string. */
static char *
compose_text(const char *orig, size_t len, size_t *out_len)
{
	struct mime_text	mt;
	struct buf		b = BUF_INITIALIZER(0);

	mime_text_extract(orig, len, &mt);
	sanitize_append(&b, mt.body, mt.body_len,
	    SANITIZE_KEEP_NEWLINE | SANITIZE_KEEP_TAB);
	mime_text_fini(&mt);
	*out_len = b.len;
	return buf_take(&b);
}

/* Who wrote the original: the first From: display name, else its
 * address, else "someone".  A clean line. */
static char *
compose_author(const char *orig, size_t len)
{
	struct mime_address_list	 l;
	char				*raw, *who = NULL;

	raw = mime_header_get(orig, len, "From");
	mime_address_list_parse(raw, raw != NULL ? strlen(raw) : 0, &l);
	free(raw);
	if (l.n > 0 && l.v[0].name != NULL)
		who = compose_clean_line(l.v[0].name, strlen(l.v[0].name));
	if (who == NULL && l.n > 0 && l.v[0].addr != NULL)
		who = compose_clean_line(l.v[0].addr, strlen(l.v[0].addr));
	mime_address_list_fini(&l);
	return who != NULL ? who : xstrdup("someone");
}

/* "On Mon, 30 Nov 2026 at 09:14, NAME wrote:", or "NAME wrote:" when the
 * original has no date that can be read. */
char *
compose_attribution(const char *orig, size_t len)
{
	char		*raw, *who, *s;
	int64_t		 when = -1;
	time_t		 t;
	struct tm	 tm;

	if ((raw = mime_header_get(orig, len, "Date")) != NULL) {
		when = mime_parse_date(raw, strlen(raw));
		free(raw);
	}
	who = compose_author(orig, len);
	t = (time_t)when;
	if (when == -1 || (int64_t)t != when || localtime_r(&t, &tm) == NULL ||
	    tm.tm_wday < 0 || tm.tm_wday > 6 || tm.tm_mon < 0 ||
	    tm.tm_mon > 11)
		s = xasprintf("%s wrote:", who);
	else
		s = xasprintf("On %s, %d %s %lld at %02d:%02d, %s wrote:",
		    compose_days[tm.tm_wday], tm.tm_mday,
		    compose_months[tm.tm_mon], (long long)tm.tm_year + 1900,
		    tm.tm_hour, tm.tm_min, who);
	free(who);
	return s;
}

/* Where the signature starts: the start of the last "-- " line, or len. */
static size_t
compose_sig_start(const char *s, size_t len)
{
	size_t	i, sig = len;

	for (i = 0; i + 3 <= len; i++) {
		if ((i == 0 || s[i - 1] == '\n') &&
		    memcmp(s + i, "-- ", 3) == 0 &&
		    (i + 3 == len || s[i + 3] == '\n'))
			sig = i;
	}
	return sig;
}

/* Quote lines: "> " before a line, ">" before a quoted or empty one;
 * every line ends in LF.  Trailing empty lines are dropped. */
static void
compose_quote_lines(const char *s, size_t len, struct buf *out)
{
	size_t		 i = 0, eol;
	const char	*nl;

	while (len > 0 && (s[len - 1] == '\n' || s[len - 1] == ' ' ||
	    s[len - 1] == '\t'))
		len--;
	while (i < len) {
		nl = memchr(s + i, '\n', len - i);
		eol = nl != NULL ? (size_t)(nl - s) : len;
		if (eol == i || s[i] == '>')
			buf_addc(out, '>');
		else
			buf_add(out, "> ", 2);
		buf_add(out, s + i, eol - i);
		buf_addc(out, '\n');
		i = eol + 1;
	}
}

/* The original's text quoted for a reply, signature dropped ("" when
 * there is no text).  New string. */
char *
compose_quote(const char *orig, size_t len)
{
	struct buf	 b = BUF_INITIALIZER(COMPOSE_BODY_MAX);
	char		*text;
	size_t		 tlen;

	text = compose_text(orig, len, &tlen);
	compose_quote_lines(text, compose_sig_start(text, tlen), &b);
	free(text);
	/* The text is at most MIME_BODY_MAX and quoting at most doubles it,
	 * so b cannot pass its maximum. */
	return buf_take(&b);
}

/* Append "Name: value\n" when the original has that header. */
static void
compose_fwd_field(struct buf *b, const char *orig, size_t len,
    const char *name)
{
	char	*v;

	if ((v = compose_header(orig, len, name)) == NULL)
		return;
	buf_printf(b, "%s: %s\n", name, v);
	free(v);
}

/* The body of an inline forward: an empty line to write on, the
 * "Forwarded message" block with the original's headers, its text. */
char *
compose_forward_text(const char *orig, size_t len)
{
	struct buf	 b = BUF_INITIALIZER(COMPOSE_BODY_MAX);
	char		*text;
	size_t		 tlen;

	buf_adds(&b, "\n---------- Forwarded message ----------\n");
	compose_fwd_field(&b, orig, len, "From");
	compose_fwd_field(&b, orig, len, "Date");
	compose_fwd_field(&b, orig, len, "Subject");
	compose_fwd_field(&b, orig, len, "To");
	compose_fwd_field(&b, orig, len, "Cc");
	buf_addc(&b, '\n');
	text = compose_text(orig, len, &tlen);
	buf_add(&b, text, tlen);
	if (tlen > 0 && text[tlen - 1] != '\n')
		buf_addc(&b, '\n');
	free(text);
	return buf_take(&b);
}

/* The file name of a forwarded message: its subject (cut at a character,
 * '/' and '\\' as '_') and ".eml", else "forwarded-message.eml". */
static char *
compose_fwd_name(const char *orig, size_t len)
{
	char	*subj, *s;
	size_t	 n, i;

	if ((subj = compose_header(orig, len, "Subject")) == NULL)
		return xstrdup("forwarded-message.eml");
	n = strlen(subj);
	if (n > COMPOSE_FWD_NAME_MAX) {
		n = COMPOSE_FWD_NAME_MAX;
		while (n > 0 && ((unsigned char)subj[n] & 0xc0) == 0x80)
			n--;
	}
	for (i = 0; i < n; i++) {
		if (subj[i] == '/' || subj[i] == '\\')
			subj[i] = '_';
	}
	s = xasprintf("%.*s.eml", (int)n, subj);
	free(subj);
	return s;
}

/* Attach the raw original as message/rfc822 (forward as attachment). */
int
compose_forward_attach(struct compose_draft *d, const char *orig, size_t len,
    struct error *err)
{
	struct compose_attach	*a;

	if (len > COMPOSE_ATTACH_MAX)
		return error_set(err, ERR_TOOBIG, ERR_SCOPE_OP,
		    "the message is too large to forward (%zu bytes, at most "
		    "%u)", len, COMPOSE_ATTACH_MAX);
	d->attach = xreallocarray(d->attach, d->nattach + 1, sizeof *d->attach);
	a = &d->attach[d->nattach++];
	memset(a, 0, sizeof *a);
	a->filename = compose_fwd_name(orig, len);
	a->content_type = xstrdup("message/rfc822");
	a->data = xmalloc(len > 0 ? len : 1);
	if (len > 0)
		memcpy(a->data, orig, len);
	a->len = len;
	a->is_message = true;
	return 0;
}
