/*
 * http_log.c - libcurl's verbose output as petrel's trace (area "http",
 * util/log.h), with credentials taken out.
 *
 * Header lines go through log_proto ('>' sent, '<' received), except
 * that the value of Authorization, Proxy-Authorization (the proxy's Basic
 * credentials on CONNECT), Cookie and Set-Cookie becomes "<redacted>".
 * libcurl's informational text is logged as "* text".  Bodies are never
 * logged, only their size: an OAuth token response or a form with a
 * refresh token is a body.  TLS records are not logged at all.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "net/http_impl.h"
#include "util/log.h"

/* Which header line carries a credential (see http_impl.h). */
size_t
http_log_secret_header(const char *p, size_t n)
{
	static const char *const names[] = { "authorization:",
	    "proxy-authorization:", "cookie:", "set-cookie:" };
	size_t	i, len;

	/* Some servers put blanks before the colon (RFC 9112 forbids it). */
	for (i = 0; i < sizeof names / sizeof *names; i++) {
		len = strlen(names[i]) - 1;
		if (n > len && strncasecmp(p, names[i], len) == 0) {
			while (len < n && (p[len] == ' ' || p[len] == '\t'))
				len++;
			if (len < n && p[len] == ':')
				return len + 1;
		}
	}
	return 0;
}

/* One line without its line end: a protocol line, or libcurl's text. */
static void
http_log_line(char dir, const char *p, size_t len)
{
	size_t	keep;
	char	redacted[64];

	while (len > 0 && (p[len - 1] == '\n' || p[len - 1] == '\r'))
		len--;
	if (len == 0)
		return;
	if (dir == '*') {
		log_msg(LOG_TRACE, "http", "* %.*s", (int)len, p);
		return;
	}
	if ((keep = http_log_secret_header(p, len)) > 0) {
		/* Header names are short; a longer one is cut, never shown. */
		snprintf(redacted, sizeof redacted, "%.*s <redacted>",
		    (int)(keep < 40 ? keep : 40), p);
		log_proto("http", dir, redacted, strlen(redacted));
		return;
	}
	log_proto("http", dir, p, len);
}

/* Log each line of (p, n) with dir, redacting credential headers. */
static void
http_log_lines(char dir, const char *p, size_t n)
{
	const char	*nl;
	size_t		 len;

	if (!log_enabled(LOG_TRACE, "http"))
		return;
	while (n > 0) {
		nl = memchr(p, '\n', n);
		len = nl != NULL ? (size_t)(nl - p) + 1 : n;
		http_log_line(dir, p, len);
		p += len;
		n -= len;
	}
}

/* libcurl's debug callback (see http_impl.h). */
int
http_log_debug(CURL *curl, curl_infotype type, char *data, size_t size,
    void *arg)
{
	(void)curl;
	(void)arg;
	switch (type) {
	case CURLINFO_TEXT:
		http_log_lines('*', data, size);
		break;
	case CURLINFO_HEADER_OUT:
		http_log_lines('>', data, size);
		break;
	case CURLINFO_HEADER_IN:
		http_log_lines('<', data, size);
		break;
	case CURLINFO_DATA_OUT:
		log_msg(LOG_TRACE, "http", "> (%zu bytes of body)", size);
		break;
	case CURLINFO_DATA_IN:
		log_msg(LOG_TRACE, "http", "< (%zu bytes of body)", size);
		break;
	default:
		break;
	}
	return 0;
}
