/*
 * build.c - the skeleton of a built message: the header fields in order
 * (RFC 5322 section 3.6), Date (section 3.3, the local zone as +hhmm),
 * Message-ID (section 3.6.4), MIME-Version (RFC 2045 section 4), the
 * single text part or a multipart/mixed (RFC 2046 section 5.1) whose
 * boundary is random and checked absent from every part, marked 8bit
 * when a part is (RFC 2045 section 6.4); and the envelope recipients
 * (To, Cc and Bcc; Bcc is never written).
 *
 * Field order: Date, From, To, Cc, Reply-To, Subject, Message-ID,
 * In-Reply-To, References, the caller's extra fields, MIME-Version,
 * Content-*.  When only Bcc has recipients, "To: undisclosed-recipients:;"
 * is written so the message still says it was addressed.  On any error
 * nothing is left appended to the output.
 */
#include <sys/random.h>

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "mime/build_int.h"
#include "util/timeconv.h"
#include "util/xmalloc.h"

/* Random bytes for a Message-ID or a boundary: 15 give 24 characters. */
#define MIME_BUILD_RANDOM	15
/* Boundaries tried before giving up (each collides with odds 2^-120). */
#define MIME_BUILD_BOUNDARY_TRIES 16

/* Fields the builder writes itself; a caller's extra one may not. */
static const char *const mime_build_own[] = {
	"Date", "From", "To", "Cc", "Bcc", "Reply-To", "Subject",
	"Message-ID", "In-Reply-To", "References", "MIME-Version", NULL
};
/* Extra fields that hold address lists (written as such). */
static const char *const mime_build_addr_fields[] = {
	"Sender", "Mail-Followup-To", "Mail-Reply-To", NULL
};

/* Fill p with n random bytes: getrandom(2), else /dev/urandom, else (no
 * secret needed, only uniqueness) a mix of the clock and the pid. */
void
mime_build_random(unsigned char *p, size_t n)
{
	struct timespec	 ts;
	uint64_t	 x;
	ssize_t		 r;
	size_t		 got = 0;
	int		 fd;

	while (got < n) {
		if ((r = getrandom(p + got, n - got, 0)) > 0)
			got += (size_t)r;
		else if (r == -1 && errno != EINTR)
			break;
	}
	fd = got < n ? open("/dev/urandom", O_RDONLY | O_CLOEXEC) : -1;
	if (fd != -1) {
		while (got < n) {
			if ((r = read(fd, p + got, n - got)) > 0)
				got += (size_t)r;
			else if (r == 0 || errno != EINTR)
				break;
		}
		close(fd);
	}
	clock_gettime(CLOCK_REALTIME, &ts);
	x = (uint64_t)ts.tv_sec ^ (uint64_t)ts.tv_nsec << 20 ^
	    (uint64_t)getpid() << 44 ^ (uint64_t)(uintptr_t)p;
	for (; got < n; got++) {
		x = x * 6364136223846793005u + 1442695040888963407u;
		p[got] = (unsigned char)(x >> 56);
	}
}

/* Write 24 random characters [a-z2-7] and a NUL into s. */
static void
mime_build_random_word(char s[25])
{
	static const char	 a[] = "abcdefghijklmnopqrstuvwxyz234567";
	unsigned char		 r[MIME_BUILD_RANDOM];
	size_t			 i, bit;

	mime_build_random(r, sizeof r);
	for (i = 0; i < 24; i++) {
		bit = i * 5;
		s[i] = a[((r[bit / 8] << 8 | (bit / 8 + 1 < sizeof r ?
		    r[bit / 8 + 1] : 0)) >> (11 - bit % 8)) & 31];
	}
	s[24] = '\0';
}

/* Whether d is an ASCII dot-atom (RFC 5322 section 3.2.3): what a
 * Message-ID's right side may be without quoting. */
static bool
mime_build_dot_atom(const char *d)
{
	size_t	i, n = strlen(d);

	if (n == 0 || n > 253 || d[0] == '.' || d[n - 1] == '.')
		return false;
	for (i = 0; i < n; i++) {
		if (d[i] == '.' ? d[i + 1] == '.' : !mime_build_atext(d[i]))
			return false;
	}
	return true;
}

/* A fresh Message-ID "<random@domain>" (domain from addr, else
 * "localhost"). */
char *
mime_build_msgid(const char *from_addr)
{
	struct mime_address_list	 l;
	const char			*at, *domain = "localhost";
	char				 r[25], *id;
	size_t				 i;

	mime_address_list_parse(from_addr != NULL ? from_addr : "",
	    from_addr != NULL ? strlen(from_addr) : 0, &l);
	for (i = 0; i < l.n; i++) {
		if (l.v[i].addr == NULL)
			continue;
		if ((at = strrchr(l.v[i].addr, '@')) != NULL &&
		    mime_build_dot_atom(at + 1))
			domain = at + 1;
		break;
	}
	mime_build_random_word(r);
	id = xasprintf("<%s@%s>", r, domain);
	mime_address_list_fini(&l);
	return id;
}

/* Append "Date: Tue, 1 Jul 2025 14:05:09 +0200" in the local zone; -1
 * with err when t is not a year RFC 5322 can write. */
int
mime_build_date(time_t t, struct buf *out, struct error *err)
{
	static const char *const days[] = {
		"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"
	};
	static const char *const months[] = {
		"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep",
		"Oct", "Nov", "Dec"
	};
	struct tm	lt, gt;
	int64_t		off;

	if (localtime_r(&t, &lt) == NULL || gmtime_r(&t, &gt) == NULL ||
	    lt.tm_year < 0 || lt.tm_year > 9999 - 1900)
		return error_set(err, ERR_PARSE, ERR_SCOPE_OP,
		    "Date: %lld is out of range", (long long)t);
	/* The zone's offset, from the two calendars (no tm_gmtoff). */
	off = (timeconv_days_from_civil(lt.tm_year + 1900, lt.tm_mon + 1,
	    lt.tm_mday) - timeconv_days_from_civil(gt.tm_year + 1900,
	    gt.tm_mon + 1, gt.tm_mday)) * 86400 +
	    (lt.tm_hour - gt.tm_hour) * 3600 + (lt.tm_min - gt.tm_min) * 60 +
	    (lt.tm_sec - gt.tm_sec);
	off /= 60;
	buf_printf(out, "Date: %s, %d %s %d %02d:%02d:%02d %c%02d%02d\r\n",
	    days[lt.tm_wday], lt.tm_mday, months[lt.tm_mon],
	    lt.tm_year + 1900, lt.tm_hour, lt.tm_min, lt.tm_sec,
	    off < 0 ? '-' : '+', (int)(llabs(off) / 60 % 100),
	    (int)(llabs(off) % 60));
	return 0;
}

/* Whether name is a field name (RFC 5322 section 3.6.8) that fits. */
static bool
mime_build_field_ok(const char *name)
{
	size_t	i, n = strlen(name);

	if (n == 0 || n > MIME_BUILD_NAME_MAX)
		return false;
	for (i = 0; i < n; i++) {
		if (name[i] < 33 || name[i] > 126 || name[i] == ':')
			return false;
	}
	return true;
}

/* Whether name is in the NULL-terminated list (case-insensitive). */
static bool
mime_build_in(const char *const *list, const char *name)
{
	for (; *list != NULL; list++) {
		if (strcasecmp(*list, name) == 0)
			return true;
	}
	return false;
}

/* Write the caller's extra fields. */
static int
mime_build_extra(const struct mime_build_msg *m, struct buf *out,
    struct error *err)
{
	const struct mime_build_header	*x;
	struct mime_hdr			 h;
	char				*v;
	size_t				 i;
	bool				 wrote;

	for (i = 0; i < m->nheaders; i++) {
		x = &m->headers[i];
		if (x->name == NULL || !mime_build_field_ok(x->name))
			return error_set(err, ERR_PARSE, ERR_SCOPE_OP,
			    "\"%.80s\" is not a header field name",
			    x->name != NULL ? x->name : "");
		if (mime_build_in(mime_build_own, x->name) ||
		    strncasecmp(x->name, "Content-", 8) == 0)
			return error_set(err, ERR_PARSE, ERR_SCOPE_OP,
			    "%s: the message builder writes this field",
			    x->name);
		if (mime_build_in(mime_build_addr_fields, x->name)) {
			if (mime_build_addrs(out, x->name, x->value, false,
			    &wrote, err) == -1)
				return -1;
			continue;
		}
		v = mime_build_clean(x->value != NULL ? x->value : "",
		    x->value != NULL ? strlen(x->value) : 0);
		mime_hdr_start(&h, out, x->name);
		mime_hdr_text(&h, v);
		mime_hdr_end(&h);
		free(v);
	}
	return 0;
}

/* Check an address list the message does not show (Bcc); *n is the
 * number of addresses in it. */
static int
mime_build_hidden(const char *list, const char *field, size_t *n,
    struct error *err)
{
	struct mime_address_list	l;
	size_t				i;
	int				rc = 0;

	*n = 0;
	mime_address_list_parse(list != NULL ? list : "",
	    list != NULL ? strlen(list) : 0, &l);
	for (i = 0; i < l.n && rc == 0; i++) {
		rc = mime_build_addr_ok(&l.v[i], field, err);
		*n += l.v[i].addr != NULL;
	}
	mime_address_list_fini(&l);
	return rc;
}

/* Write Subject, Message-ID, In-Reply-To, References. */
static int
mime_build_ids(const struct mime_build_msg *m, struct buf *out,
    struct error *err)
{
	struct mime_hdr	 h;
	char		*s;

	if (m->subject != NULL) {
		s = mime_build_clean(m->subject, strlen(m->subject));
		mime_hdr_start(&h, out, "Subject");
		mime_hdr_text(&h, s);
		mime_hdr_end(&h);
		free(s);
	}
	if (m->message_id != NULL) {
		if (!mime_build_msgid_ok(m->message_id, strlen(m->message_id)))
			return error_set(err, ERR_PARSE, ERR_SCOPE_OP,
			    "Message-ID: \"%.80s\" is not a message id",
			    m->message_id);
		buf_printf(out, "Message-ID: %s\r\n", m->message_id);
	} else {
		s = mime_build_msgid(m->from);
		buf_printf(out, "Message-ID: %s\r\n", s);
		free(s);
	}
	mime_build_msgids(out, "In-Reply-To", m->in_reply_to);
	mime_build_msgids(out, "References", m->references);
	return 0;
}

/* Write the header fields up to and with MIME-Version. */
static int
mime_build_headers(const struct mime_build_msg *m, struct buf *out,
    struct error *err)
{
	size_t	nbcc;
	bool	wrote, to, cc;

	if (mime_build_date(m->date != 0 ? m->date : time(NULL), out,
	    err) == -1 ||
	    mime_build_addrs(out, "From", m->from, true, &wrote, err) == -1)
		return -1;
	if (!wrote)
		return error_set(err, ERR_PARSE, ERR_SCOPE_OP,
		    "From: no sender address");
	if (mime_build_addrs(out, "To", m->to, false, &to, err) == -1 ||
	    mime_build_addrs(out, "Cc", m->cc, false, &cc, err) == -1 ||
	    mime_build_hidden(m->bcc, "Bcc", &nbcc, err) == -1)
		return -1;
	/* A postponed draft keeps its Bcc (RFC 5322 3.6.3 allows it). */
	if (m->keep_bcc && mime_build_addrs(out, "Bcc", m->bcc, false,
	    &wrote, err) == -1)
		return -1;
	if (!to && !cc && nbcc > 0 && !m->keep_bcc)
		buf_adds(out, "To: undisclosed-recipients:;\r\n");
	if (mime_build_addrs(out, "Reply-To", m->reply_to, false, &wrote,
	    err) == -1 || mime_build_ids(m, out, err) == -1 ||
	    mime_build_extra(m, out, err) == -1)
		return -1;
	buf_adds(out, "MIME-Version: 1.0\r\n");
	return 0;
}

/* A boundary found in none of the n encoded parts; NULL if every try
 * collided (which random text of 120 bits will not). */
static char *
mime_build_boundary(const struct buf *pv, size_t n)
{
	char	r[25], *b;
	size_t	i, tries, blen;

	for (tries = 0; tries < MIME_BUILD_BOUNDARY_TRIES; tries++) {
		mime_build_random_word(r);
		/* "=_" can appear neither in base64 nor in quoted-printable. */
		b = xasprintf("=_petrel_%s", r);
		blen = strlen(b);
		for (i = 0; i < n; i++) {
			if (pv[i].len > 0 &&
			    memmem(pv[i].data, pv[i].len, b, blen) != NULL)
				break;
		}
		if (i == n)
			return b;
		free(b);
	}
	return NULL;
}

/* Whether any of the n encoded parts holds an 8-bit byte. */
static bool
mime_build_8bit(const struct buf *pv, size_t n)
{
	size_t	i, k;

	for (i = 0; i < n; i++) {
		for (k = 0; k < pv[i].len; k++) {
			if ((unsigned char)pv[i].data[k] >= 0x80)
				return true;
		}
	}
	return false;
}

/* Write the multipart/mixed body: the text (if any), then each part. */
static int
mime_build_multipart(const struct mime_build_msg *m, struct buf *out,
    struct error *err)
{
	struct buf	*pv;
	char		*b = NULL;
	size_t		 i, np = 0;
	int		 rc = -1;

	pv = xcalloc(m->nparts + 1, sizeof *pv);
	for (i = 0; i < m->nparts + 1; i++)
		buf_init(&pv[i], out->max);
	if (m->body != NULL && m->body_len > 0)
		mime_build_text(m, &pv[np++]);
	for (i = 0; i < m->nparts; i++) {
		if (mime_build_attach(&m->parts[i], m->allow_8bit, &pv[np++],
		    err) == -1)
			goto out;
	}
	for (i = 0; i < np; i++) {
		if (pv[i].too_big) {
			out->too_big = true;
			goto out;	/* mime_build says ERR_TOOBIG */
		}
	}
	if ((b = mime_build_boundary(pv, np)) == NULL) {
		error_set(err, ERR_PARSE, ERR_SCOPE_OP,
		    "no multipart boundary absent from the content");
		goto out;
	}
	/* A multipart is as wide as its widest part (RFC 2045 6.4). */
	buf_printf(out, "Content-Type: multipart/mixed;\r\n"
	    " boundary=\"%s\"\r\n%s\r\n", b, mime_build_8bit(pv, np) ?
	    "Content-Transfer-Encoding: 8bit\r\n" : "");
	/* The CRLF before each delimiter belongs to it (RFC 2046 5.1.1). */
	for (i = 0; i < np; i++) {
		buf_printf(out, "%s--%s\r\n", i > 0 ? "\r\n" : "", b);
		buf_add(out, buf_str(&pv[i]), pv[i].len);
	}
	buf_printf(out, "\r\n--%s--\r\n", b);
	rc = 0;
out:
	for (i = 0; i < m->nparts + 1; i++)
		buf_fini(&pv[i]);
	free(pv);
	free(b);
	return rc;
}

/* Append the whole message to out (CRLF line ends); 0, or -1 with err
 * and out as it was. */
int
mime_build(const struct mime_build_msg *m, struct buf *out,
    struct error *err)
{
	size_t	start = out->len;

	if (out->too_big)
		return error_set(err, ERR_TOOBIG, ERR_SCOPE_OP,
		    "message too big");
	if (mime_build_headers(m, out, err) == -1)
		goto fail;
	if (m->nparts == 0)
		mime_build_text(m, out);
	else if (mime_build_multipart(m, out, err) == -1 && !out->too_big)
		goto fail;
	if (out->too_big) {
		error_set(err, ERR_TOOBIG, ERR_SCOPE_OP,
		    "message larger than %zu bytes", out->max);
		goto fail;
	}
	return 0;
fail:
	out->len = start;
	if (out->data != NULL)
		out->data[start] = '\0';
	return -1;
}

/* Add the addresses of one list to the vector, skipping duplicates. */
static int
mime_build_rcpts_add(const char *list, const char *field, char ***v,
    size_t *n, struct error *err)
{
	struct mime_address_list	l;
	size_t				i, j;
	int				rc = 0;

	mime_address_list_parse(list != NULL ? list : "",
	    list != NULL ? strlen(list) : 0, &l);
	for (i = 0; i < l.n; i++) {
		if ((rc = mime_build_addr_ok(&l.v[i], field, err)) == -1)
			break;
		if (l.v[i].addr == NULL)
			continue;
		for (j = 0; j < *n; j++) {
			if (strcasecmp((*v)[j], l.v[i].addr) == 0)
				break;
		}
		if (j < *n)
			continue;
		*v = xreallocarray(*v, *n + 2, sizeof **v);
		(*v)[(*n)++] = xstrdup(l.v[i].addr);
		(*v)[*n] = NULL;
	}
	mime_address_list_fini(&l);
	return rc;
}

/* The addr-specs of to, cc and bcc in order, without duplicates. */
char **
mime_build_rcpts(const struct mime_build_msg *m, struct error *err)
{
	char	**v;
	size_t	  n = 0;

	v = xcalloc(1, sizeof *v);
	if (mime_build_rcpts_add(m->to, "To", &v, &n, err) == -1 ||
	    mime_build_rcpts_add(m->cc, "Cc", &v, &n, err) == -1 ||
	    mime_build_rcpts_add(m->bcc, "Bcc", &v, &n, err) == -1) {
		mime_build_addrs_free(v);
		return NULL;
	}
	return v;
}

/* Free a vector from mime_build_rcpts. */
void
mime_build_addrs_free(char **v)
{
	size_t	i;

	if (v == NULL)
		return;
	for (i = 0; v[i] != NULL; i++)
		free(v[i]);
	free(v);
}
