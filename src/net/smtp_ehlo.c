/*
 * smtp_ehlo.c - what petrel says in EHLO and what it learns from the
 * answer: the client's name (RFC 5321 4.1.1.1, 4.1.3) and the server's
 * extensions (RFC 5321 4.1.1.1 ehlo-line; STARTTLS RFC 3207, AUTH RFC
 * 4954 3, PIPELINING RFC 2920, SIZE RFC 1870 4, 8BITMIME RFC 6152,
 * SMTPUTF8 RFC 6531, DSN RFC 3461, ENHANCEDSTATUSCODES RFC 2034).
 *
 * The name: the one configured, else the host's name when it is a fully
 * qualified domain (it has a dot), else an address literal of the local
 * end of the connection ("[192.0.2.1]", "[IPv6:2001:db8::1]").  No DNS
 * is asked: a resolver that hangs must not delay sending.  Through a
 * proxy the local end is the connection to the proxy; servers do not
 * check the name of a submission client, so that is good enough.
 *
 * What it must not do: trust the reply (every keyword and number is
 * bounded), or send a configured name that would break the command line.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "net/sasl.h"
#include "net/smtp_conn.h"

/* Whether (p, len) equals the keyword kw, ASCII case ignored. */
static bool
smtp_ehlo_is(const char *p, size_t len, const char *kw)
{
	return strlen(kw) == len && strncasecmp(p, kw, len) == 0;
}

/* The mechanisms of an AUTH line's arguments. */
static unsigned
smtp_ehlo_mechs(const char *p, size_t len)
{
	enum sasl_mech	 m;
	unsigned	 mechs = 0;
	size_t		 i = 0, start;

	while (i < len) {
		while (i < len && p[i] == ' ')
			i++;
		for (start = i; i < len && p[i] != ' '; i++)
			;
		if (i > start && (m = sasl_mech_parse(p + start, i - start)) !=
		    SASL_NONE)
			mechs |= SASL_BIT(m);
	}
	return mechs;
}

/* SIZE's argument (RFC 1870 4): digits, else 0 (no limit known). */
static uint64_t
smtp_ehlo_size(const char *p, size_t len)
{
	uint64_t	 v = 0;
	size_t		 i;

	while (len > 0 && *p == ' ') {
		p++;
		len--;
	}
	for (i = 0; i < len && p[i] != ' '; i++) {
		if (p[i] < '0' || p[i] > '9' ||
		    v > (UINT64_MAX - (uint64_t)(p[i] - '0')) / 10)
			return 0;
		v = v * 10 + (uint64_t)(p[i] - '0');
	}
	return v;
}

/* Read the capabilities of an EHLO reply. */
void
smtp_caps_parse(const struct smtp_reply *r, struct smtp_caps *caps)
{
	static const struct {
		const char	*kw;
		unsigned	 flag;
	} map[] = {
		{ "STARTTLS", SMTP_CAP_STARTTLS },
		{ "AUTH", SMTP_CAP_AUTH },
		{ "PIPELINING", SMTP_CAP_PIPELINING },
		{ "SIZE", SMTP_CAP_SIZE },
		{ "8BITMIME", SMTP_CAP_8BITMIME },
		{ "SMTPUTF8", SMTP_CAP_SMTPUTF8 },
		{ "DSN", SMTP_CAP_DSN },
		{ "ENHANCEDSTATUSCODES", SMTP_CAP_ENHANCED },
	};
	const char	*p;
	size_t		 pos = 0, len, kl, i;
	bool		 first = true;

	memset(caps, 0, sizeof *caps);
	while (smtp_reply_line(r, &pos, &p, &len)) {
		if (first) {		/* the server's domain and greeting */
			first = false;
			continue;
		}
		for (kl = 0; kl < len && p[kl] != ' ' && p[kl] != '='; kl++)
			;
		for (i = 0; i < sizeof map / sizeof map[0]; i++) {
			if (smtp_ehlo_is(p, kl, map[i].kw))
				caps->flags |= map[i].flag;
		}
		if (smtp_ehlo_is(p, kl, "AUTH"))
			caps->mechs |= smtp_ehlo_mechs(p + kl + (kl < len),
			    len - kl - (kl < len));
		else if (smtp_ehlo_is(p, kl, "SIZE"))
			caps->size = smtp_ehlo_size(p + kl, len - kl);
	}
}

/* Whether s is a domain name fit for EHLO (letters, digits, '-', '.'). */
bool
smtp_ehlo_domain_ok(const char *s, bool need_dot)
{
	size_t	 len = strlen(s), i;
	bool	 dot = false;

	if (len == 0 || len > 253 || s[0] == '.' || s[0] == '-' ||
	    s[len - 1] == '.' || s[len - 1] == '-')
		return false;
	for (i = 0; i < len; i++) {
		if (s[i] == '.') {
			if (s[i + 1] == '.')
				return false;
			dot = true;
		} else if (!((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= 'A' && s[i] <= 'Z') ||
		    (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
			return false;
	}
	return dot || !need_dot;
}

/* The address literal of the local end of socket fd, or -1. */
static int
smtp_ehlo_literal(int fd, char *out, size_t size)
{
	struct sockaddr_storage	 ss;
	struct sockaddr_in6	*sin6 = (struct sockaddr_in6 *)&ss;
	struct in_addr		 v4;
	socklen_t		 sl = sizeof ss;
	char			 a[INET6_ADDRSTRLEN];

	if (fd < 0 || getsockname(fd, (struct sockaddr *)&ss, &sl) == -1)
		return -1;
	if (ss.ss_family == AF_INET) {
		if (inet_ntop(AF_INET, &((struct sockaddr_in *)&ss)->sin_addr,
		    a, sizeof a) == NULL)
			return -1;
		snprintf(out, size, "[%s]", a);
		return 0;
	}
	if (ss.ss_family != AF_INET6)
		return -1;
	if (IN6_IS_ADDR_V4MAPPED(&sin6->sin6_addr)) {
		memcpy(&v4, sin6->sin6_addr.s6_addr + 12, sizeof v4);
		if (inet_ntop(AF_INET, &v4, a, sizeof a) == NULL)
			return -1;
		snprintf(out, size, "[%s]", a);
		return 0;
	}
	if (inet_ntop(AF_INET6, &sin6->sin6_addr, a, sizeof a) == NULL)
		return -1;
	snprintf(out, size, "[IPv6:%s]", a);	/* RFC 5321 4.1.3 */
	return 0;
}

/* Choose the EHLO name (file comment). */
int
smtp_ehlo_name(const char *configured, int fd, char *out, size_t size,
    struct error *err)
{
	char	 host[256];

	if (configured != NULL) {
		if (!smtp_ehlo_domain_ok(configured, false) &&
		    !smtp_ehlo_literal_ok(configured))
			return error_set(err, ERR_CONFIG, ERR_SCOPE_ACCOUNT,
			    "helo name is not a domain or an address literal");
		snprintf(out, size, "%s", configured);
		return 0;
	}
	if (gethostname(host, sizeof host) == 0) {
		host[sizeof host - 1] = '\0';
		if (smtp_ehlo_domain_ok(host, true) && strlen(host) < size) {
			snprintf(out, size, "%s", host);
			return 0;
		}
	}
	if (smtp_ehlo_literal(fd, out, size) == -1)
		snprintf(out, size, "%s", "localhost.localdomain");
	return 0;
}

/* Whether s is "[...]" with only address characters inside. */
bool
smtp_ehlo_literal_ok(const char *s)
{
	size_t	 len = strlen(s), i;

	if (len < 3 || len > 64 || s[0] != '[' || s[len - 1] != ']')
		return false;
	for (i = 1; i + 1 < len; i++) {
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' &&
		    s[i] <= 'f') || (s[i] >= 'A' && s[i] <= 'F') ||
		    s[i] == '.' || s[i] == ':' || (i < 6 &&
		    strncmp(s + 1, "IPv6:", 5) == 0)))
			return false;
	}
	return true;
}
