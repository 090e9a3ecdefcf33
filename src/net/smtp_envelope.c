/*
 * smtp_envelope.c - the envelope of one message: checking the addresses
 * and the DSN requests before anything is sent, and building the MAIL
 * FROM and RCPT TO lines with their parameters.
 *
 * RFC 5321 4.1.2 (paths), 4.5.3.1.3 (a path is at most 256 octets with
 * its angle brackets); RFC 1870 6 (SIZE=); RFC 6152 (BODY=8BITMIME); RFC
 * 6531 3.4 (SMTPUTF8, and UTF-8 in addresses); RFC 3461 4.1-4.4 (NOTIFY,
 * RET, ENVID as xtext).
 *
 * An address is sent between angle brackets exactly as given, so it must
 * not contain what would end the path or the line: controls, SP outside
 * a quoted local part, "<", ">"; non-ASCII bytes must be UTF-8 (and
 * need SMTPUTF8).  ORCPT is not sent: the outbox keeps the original
 * recipients itself.
 *
 * Pure: no I/O; every failure is ERR_PARSE naming the culprit.
 */
#include <string.h>
#include <strings.h>

#include "net/smtp_conn.h"
#include "util/sanitize.h"

/* The longest address (a 256-octet path less its "<" and ">"). */
#define SMTP_ADDR_MAX		254
/* The longest ENVID, xtext-encoded (RFC 3461 4.4: 100 characters). */
#define SMTP_ENVID_MAX		100

/* The length of the UTF-8 sequence at p (1..4), or 0 if invalid. */
static size_t
smtp_utf8_len(const unsigned char *p, size_t left)
{
	size_t		 n, i;
	unsigned	 cp;

	if (p[0] < 0xc2 || p[0] > 0xf4)
		return 0;
	n = p[0] < 0xe0 ? 2 : p[0] < 0xf0 ? 3 : 4;
	if (left < n)
		return 0;
	cp = p[0] & (0x7f >> n);
	for (i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (p[i] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

/* Why addr cannot be sent, or NULL; *utf8 when it is not ASCII. */
static const char *
smtp_addr_problem(const char *addr, bool *utf8)
{
	const unsigned char	*p = (const unsigned char *)addr;
	size_t			 len = strlen(addr), i, n;
	bool			 quoted = false;

	if (len > SMTP_ADDR_MAX)
		return "longer than 254 octets";
	for (i = 0; i < len; i += n) {
		n = 1;
		if (p[i] >= 0x80) {
			if ((n = smtp_utf8_len(p + i, len - i)) == 0)
				return "not valid UTF-8";
			*utf8 = true;
		} else if (p[i] < 0x20 || p[i] == 0x7f)
			return "it contains a control character";
		else if (p[i] == '<' || p[i] == '>')
			return "it contains \"<\" or \">\"";
		else if (p[i] == '"')
			quoted = !quoted;
		else if (p[i] == '\\' && quoted && i + 1 < len &&
		    p[i + 1] >= 0x20 && p[i + 1] < 0x7f)
			n = 2;
		else if (p[i] == ' ' && !quoted)
			return "it contains a space";
	}
	return quoted ? "it has an unterminated quote" : NULL;
}

/* ERR_PARSE for an address, quoting it sanitised. */
static int
smtp_addr_error(const char *what, const char *addr, const char *why,
    struct error *err)
{
	struct buf	 b;

	buf_init(&b, 0);
	(void)sanitize_append(&b, addr, strlen(addr) > 80 ? 80 :
	    strlen(addr), 0);
	error_set(err, ERR_PARSE, ERR_SCOPE_MESSAGE, "%s address <%s%s> "
	    "cannot be sent: %s", what, buf_str(&b), strlen(addr) > 80 ?
	    "..." : "", why);
	buf_fini(&b);
	return -1;
}

/* Whether NOTIFY's value is NEVER or a list of SUCCESS, FAILURE, DELAY. */
static bool
smtp_notify_ok(const char *s)
{
	static const char *const kw[] = { "SUCCESS", "FAILURE", "DELAY" };
	unsigned	 seen = 0;
	size_t		 n, i;

	if (strcasecmp(s, "NEVER") == 0)
		return true;
	for (;;) {
		n = strcspn(s, ",");
		for (i = 0; i < 3; i++) {
			if (strlen(kw[i]) == n && strncasecmp(s, kw[i], n) == 0)
				break;
		}
		if (i == 3 || (seen & (1u << i)))
			return false;
		seen |= 1u << i;
		if (s[n] == '\0')
			return true;
		s += n + 1;
	}
}

/* Check the DSN values (RFC 3461 4.1, 4.3, 4.4). */
static int
smtp_dsn_check(const struct smtp_envelope *env, struct error *err)
{
	struct buf	 b;
	const char	*p;
	size_t		 len;

	if (env->dsn_notify != NULL && !smtp_notify_ok(env->dsn_notify))
		return error_set(err, ERR_CONFIG, ERR_SCOPE_MESSAGE, "DSN "
		    "NOTIFY must be NEVER or a list of SUCCESS, FAILURE and "
		    "DELAY");
	if (env->dsn_ret != NULL && strcasecmp(env->dsn_ret, "FULL") != 0 &&
	    strcasecmp(env->dsn_ret, "HDRS") != 0)
		return error_set(err, ERR_CONFIG, ERR_SCOPE_MESSAGE, "DSN "
		    "RET must be FULL or HDRS");
	if (env->dsn_envid == NULL)
		return 0;
	for (p = env->dsn_envid; *p != '\0'; p++) {
		if (*p < 0x20 || *p > 0x7e)
			return error_set(err, ERR_PARSE, ERR_SCOPE_MESSAGE,
			    "DSN ENVID must be printable ASCII");
	}
	buf_init(&b, 0);
	smtp_xtext(&b, env->dsn_envid);
	len = b.len;
	buf_fini(&b);
	if (len == 0 || len > SMTP_ENVID_MAX)
		return error_set(err, ERR_PARSE, ERR_SCOPE_MESSAGE, "DSN "
		    "ENVID must be 1 to %d characters as xtext",
		    SMTP_ENVID_MAX);
	return 0;
}

/* Check the envelope. */
int
smtp_env_check(const struct smtp_envelope *env, struct smtp_env_info *info,
    struct error *err)
{
	const char	*why;

	memset(info, 0, sizeof *info);
	if (env->nrcpt == 0 || env->rcpt == NULL)
		return error_set(err, ERR_PARSE, ERR_SCOPE_MESSAGE,
		    "the message has no recipients");
	if (env->from == NULL)
		return error_set(err, ERR_PARSE, ERR_SCOPE_MESSAGE,
		    "the message has no sender (use \"\" for a null path)");
	if ((why = smtp_addr_problem(env->from, &info->utf8)) != NULL)
		return smtp_addr_error("sender", env->from, why, err);
	for (size_t i = 0; i < env->nrcpt; i++) {
		if (env->rcpt[i] == NULL || env->rcpt[i][0] == '\0')
			return error_set(err, ERR_PARSE, ERR_SCOPE_MESSAGE,
			    "recipient %zu is empty", i + 1);
		if ((why = smtp_addr_problem(env->rcpt[i], &info->utf8)) !=
		    NULL)
			return smtp_addr_error("recipient", env->rcpt[i], why,
			    err);
	}
	info->dsn = env->dsn_notify != NULL || env->dsn_ret != NULL ||
	    env->dsn_envid != NULL;
	return smtp_dsn_check(env, err);
}

/* Append s as xtext. */
void
smtp_xtext(struct buf *b, const char *s)
{
	static const char	 hex[] = "0123456789ABCDEF";
	const unsigned char	*p = (const unsigned char *)s;

	for (; *p != '\0'; p++) {
		if (*p >= 0x21 && *p <= 0x7e && *p != '+' && *p != '=')
			buf_addc(b, (char)*p);
		else {
			buf_addc(b, '+');
			buf_addc(b, hex[*p >> 4]);
			buf_addc(b, hex[*p & 0xf]);
		}
	}
}

/* Append an upper-case copy of s. */
static void
smtp_env_upper(struct buf *b, const char *s)
{
	for (; *s != '\0'; s++)
		buf_addc(b, *s >= 'a' && *s <= 'z' ? (char)(*s - 32) : *s);
}

/* The MAIL FROM line. */
void
smtp_env_mail(const struct smtp_envelope *env,
    const struct smtp_env_info *info, const struct smtp_caps *caps,
    uint64_t size, bool eightbit, struct buf *out)
{
	buf_printf(out, "MAIL FROM:<%s>", env->from);
	if (caps->flags & SMTP_CAP_SIZE)
		buf_printf(out, " SIZE=%llu", (unsigned long long)size);
	if (eightbit && (caps->flags & SMTP_CAP_8BITMIME))
		buf_adds(out, " BODY=8BITMIME");
	if (info->utf8)
		buf_adds(out, " SMTPUTF8");
	if (!(caps->flags & SMTP_CAP_DSN))
		return;
	if (env->dsn_ret != NULL) {
		buf_adds(out, " RET=");
		smtp_env_upper(out, env->dsn_ret);
	}
	if (env->dsn_envid != NULL) {
		buf_adds(out, " ENVID=");
		smtp_xtext(out, env->dsn_envid);
	}
}

/* The RCPT TO line of recipient i. */
void
smtp_env_rcpt(const struct smtp_envelope *env, size_t i,
    const struct smtp_caps *caps, struct buf *out)
{
	buf_printf(out, "RCPT TO:<%s>", env->rcpt[i]);
	if ((caps->flags & SMTP_CAP_DSN) && env->dsn_notify != NULL) {
		buf_adds(out, " NOTIFY=");
		smtp_env_upper(out, env->dsn_notify);
	}
}
