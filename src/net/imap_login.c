/*
 * imap_login.c - getting an IMAP connection to the point where it can log
 * in: connect (per security = implicit | starttls | auto | none), the
 * greeting (RFC 3501 7.1.4/7.1.5), STARTTLS (6.2.1), CAPABILITY (6.1.1),
 * and LOGOUT (6.1.3).  Logging in itself is imap_auth.c.
 *
 * Time: the implicit TLS handshake and the wait for the greeting are each
 * bounded by greeting_timeout in every mode (so a port that speaks the
 * other mode, or nothing, cannot stall the user); with security = auto
 * the TCP connect is too, and the greeting gets what is left of one
 * greeting_timeout counted from the start of the attempt.  auto tries implicit TLS on the configured port
 * (993 by default), then STARTTLS: on 143 when the port is 993, on the
 * same port otherwise; a certificate failure is final, never a reason to
 * try again.  The mode that won is logged and kept (imap_conn_mode).
 *
 * STARTTLS hardening ("NO STARTTLS", USENIX Security 2021): STARTTLS
 * answered with anything but OK, a PREAUTH greeting on a connection that
 * must do STARTTLS, and bytes the server sent after its STARTTLS answer
 * but before the handshake are all errors that end the session; nothing
 * learned before TLS (capabilities, SASL mechanisms, mailbox data, BYE
 * text) survives the handshake, and CAPABILITY is asked again over TLS.
 *
 * Server text put into an error message is sanitised here
 * (imap_login_text), so an error is safe wherever it is shown or logged.
 *
 * The SASL mechanisms a server offers (AUTH=...) are not kept by
 * imap_conn (imap_caps.c keeps only AUTH=PLAIN), so this file notes them,
 * with the account a connection was opened for, in a per-thread record
 * keyed by the connection (a connection belongs to one thread).
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/endpoint.h"
#include "net/imap_login.h"
#include "net/sasl.h"
#include "net/transport.h"
#include "util/log.h"
#include "util/sanitize.h"
#include "util/xmalloc.h"

#define IMAP_TEXT_MAX	300

/* What this thread knows about the connection it opened last. */
static _Thread_local struct {
	const struct imap_conn		*c;
	const struct config_account	*cfg;
	unsigned			 mechs;		/* SASL_BIT set */
	bool				 mechs_known;
	const char			*mode;
} imap_login_tl;

/* Start the record for c (forgetting any other connection). */
static void
imap_login_own(const struct imap_conn *c, const struct config_account *cfg)
{
	memset(&imap_login_tl, 0, sizeof imap_login_tl);
	imap_login_tl.c = c;
	imap_login_tl.cfg = cfg;
}

/* The security mode c ended up with. */
const char *
imap_conn_mode(const struct imap_conn *c)
{
	return imap_login_tl.c == c ? imap_login_tl.mode : NULL;
}

/* The SASL mechanisms offered to c. */
unsigned
imap_login_mechs(const struct imap_conn *c)
{
	return imap_login_tl.c == c ? imap_login_tl.mechs : 0;
}

/* Whether the mechanisms offered to c are known. */
bool
imap_login_mechs_known(const struct imap_conn *c)
{
	return imap_login_tl.c == c && imap_login_tl.mechs_known;
}

/* The account c was opened for. */
const struct config_account *
imap_login_account(const struct imap_conn *c)
{
	return imap_login_tl.c == c ? imap_login_tl.cfg : NULL;
}

/* Append server text, bounded and sanitised. */
void
imap_login_text(struct buf *b, const struct imap_slice *s)
{
	size_t	 len = s->len > IMAP_TEXT_MAX ? IMAP_TEXT_MAX : s->len;

	if (s->p != NULL)
		(void)sanitize_append(b, s->p, len, 0);
}

/* Note one capability word if it is AUTH=<mechanism>. */
static void
imap_login_word(const char *p, size_t len)
{
	enum sasl_mech	 m;

	if (len > 5 && strncasecmp(p, "AUTH=", 5) == 0 &&
	    (m = sasl_mech_parse(p + 5, len - 5)) != SASL_NONE)
		imap_login_tl.mechs |= SASL_BIT(m);
}

/* Note the mechanisms of a [CAPABILITY ...] code or CAPABILITY response. */
static void
imap_login_note_caps(const struct imap_conn *c, const struct imap_response *r)
{
	struct imap_slice	 s;
	size_t			 i = 0, start;

	if (imap_login_tl.c != c)
		return;
	if (imap_slice_is(r->code, "CAPABILITY")) {
		imap_login_tl.mechs = 0;
		imap_login_tl.mechs_known = true;
		s = r->code_args;
		while (s.p != NULL && i < s.len) {
			while (i < s.len && s.p[i] == ' ')
				i++;
			for (start = i; i < s.len && s.p[i] != ' '; i++)
				;
			imap_login_word(s.p + start, i - start);
		}
	} else if (r->type == IMAP_RESP_UNTAGGED &&
	    imap_slice_is(r->name, "CAPABILITY")) {
		imap_login_tl.mechs = 0;
		imap_login_tl.mechs_known = true;
		for (i = 0; i < r->args.n; i++) {
			s = imap_value_slice(&r->args.items[i]);
			if (r->args.items[i].type == IMAP_V_ATOM)
				imap_login_word(s.p, s.len);
		}
	}
}

/* Set the timeout of every layer of a stream stack. */
static void
imap_set_timeout(struct stream *s, int timeout_ms)
{
	for (; s != NULL; s = s->lower)
		s->timeout_ms = timeout_ms;
}

/* An error quoting the server's text, sanitised. */
static int
imap_login_fail(struct imap_conn *c, struct error *err, enum error_code code,
    const char *what)
{
	struct buf	 b;

	buf_init(&b, 0);
	imap_login_text(&b, &c->resp.text);
	c->broken = true;
	error_set(err, code, ERR_SCOPE_ACCOUNT, "%s: %s: %s", c->host, what,
	    b.len > 0 ? buf_str(&b) : "(no text)");
	buf_fini(&b);
	return -1;
}

/* Read the greeting. */
int
imap_conn_greeting(struct imap_conn *c, struct error *err)
{
	const struct imap_response	*r = &c->resp;

	if (imap_login_tl.c != c)
		imap_login_own(c, NULL);
	imap_conn_progress(c);		/* the greeting has a deadline too */
	c->cmd[0] = '\0';		/* "no answer to the greeting" */
	if (imap_conn_read(c, err) == -1)
		return -1;
	imap_login_note_caps(c, r);
	if (r->type == IMAP_RESP_UNTAGGED && r->status == IMAP_STATUS_OK)
		return 0;
	if (r->type == IMAP_RESP_UNTAGGED && r->status == IMAP_STATUS_PREAUTH) {
		c->preauth = true;
		return 0;
	}
	if (r->status == IMAP_STATUS_BYE)
		return imap_login_fail(c, err, ERR_SERVER,
		    "server refused the connection");
	c->broken = true;
	return error_set(err, ERR_PROTOCOL, ERR_SCOPE_ACCOUNT,
	    "%s: not an IMAP greeting", c->host);
}

/* CAPABILITY's untagged answer: its own (noted in imap_input.c too). */
static int
imap_login_cap_fn(void *arg, const struct imap_response *r, struct error *err)
{
	(void)err;
	if (!imap_slice_is(r->name, "CAPABILITY"))
		return 0;
	imap_login_note_caps(arg, r);
	return 1;
}

/* Ask for the capabilities. */
int
imap_conn_capability(struct imap_conn *c, struct error *err)
{
	c->have_caps = false;
	if (imap_conn_run(c, imap_login_cap_fn, c, err, "CAPABILITY") == -1)
		return -1;
	imap_login_note_caps(c, &c->resp);	/* a tagged [CAPABILITY] */
	if (!c->have_caps) {
		error_set(err, ERR_PROTOCOL, ERR_SCOPE_ACCOUNT,
		    "%s: no CAPABILITY response", c->host);
		c->broken = true;
		return -1;
	}
	return 0;
}

/* Forget everything the server said before TLS. */
static void
imap_login_forget(struct imap_conn *c)
{
	imap_response_fini(&c->resp);
	c->resp.args.type = IMAP_V_LIST;
	buf_reset(&c->in);
	c->off = c->used = 0;
	imap_frame_init(&c->fr);
	c->caps = 0;
	c->have_caps = false;
	c->enabled = 0;
	free(c->bye);
	c->bye = NULL;
	c->exists = c->uidvalidity = c->uidnext = 0;
	c->highestmodseq = 0;
	c->nomodseq = c->readonly = false;
	if (imap_login_tl.c == c) {
		imap_login_tl.mechs = 0;
		imap_login_tl.mechs_known = false;
	}
}

/* Send STARTTLS and require a tagged OK with nothing behind it. */
static int
imap_login_starttls_cmd(struct imap_conn *c, struct error *err)
{
	const struct imap_response	*r = &c->resp;

	if (imap_conn_send(c, err, "STARTTLS") == -1)
		return -1;
	do {
		/* Untagged data now is pre-TLS noise: read, never used. */
		if (imap_conn_read(c, err) == -1) {
			err->code = err->code == ERR_TIMEOUT ? ERR_TIMEOUT :
			    ERR_TLS;
			return -1;
		}
	} while (r->type == IMAP_RESP_UNTAGGED);
	if (r->type != IMAP_RESP_TAGGED || !imap_slice_is(r->tag, c->tag))
		return imap_login_fail(c, err, ERR_TLS,
		    "unexpected answer to STARTTLS; refusing to continue "
		    "without TLS");
	if (r->status != IMAP_STATUS_OK)
		return imap_login_fail(c, err, ERR_TLS,
		    "server refused STARTTLS, so no TLS and no login; server "
		    "said");
	if (c->in.len > c->off + c->used || stream_pending(c->s) > 0) {
		c->broken = true;
		return error_set(err, ERR_TLS, ERR_SCOPE_ACCOUNT,
		    "%s: server sent data after its STARTTLS answer, before "
		    "the TLS handshake (a STARTTLS injection?); giving up",
		    c->host);
	}
	return 0;
}

/* Upgrade to TLS with STARTTLS. */
int
imap_conn_starttls(struct imap_conn *c, const struct stream_tls_config *tc,
    struct error *err)
{
	if (c->preauth) {
		c->broken = true;
		return error_set(err, ERR_TLS, ERR_SCOPE_ACCOUNT,
		    "%s: server sent PREAUTH on a plain connection; "
		    "refusing to continue without TLS", c->host);
	}
	if (!c->have_caps && imap_conn_capability(c, err) == -1)
		return -1;
	if (!(c->caps & IMAP_CAP_STARTTLS)) {
		c->broken = true;
		return error_set(err, ERR_TLS, ERR_SCOPE_ACCOUNT,
		    "%s: server does not offer STARTTLS; refusing to "
		    "continue without TLS", c->host);
	}
	if (imap_login_starttls_cmd(c, err) == -1) {
		c->broken = true;
		error_widen(err, ERR_SCOPE_ACCOUNT);
		return -1;
	}
	/* Nothing sent before the handshake may be believed after it. */
	imap_login_forget(c);
	if (stream_tls_start(&c->s, c->host, tc, err) == -1) {
		c->broken = true;
		return -1;
	}
	return imap_conn_capability(c, err);
}

/* The greeting's bound: greeting_timeout, else the operation timeout. */
static int
imap_login_greeting_ms(const struct config_account *cfg)
{
	return cfg->greeting_timeout_ms > 0 ? cfg->greeting_timeout_ms :
	    cfg->timeout_ms;
}

/* Connect and read the greeting; the attempt bounded as the file says. */
static struct imap_conn *
imap_login_open(const struct config_account *cfg, enum config_security sec,
    const char *port, int wake_fd, struct transport_endpoint *ep,
    struct error *err)
{
	struct config_account	 a = *cfg;
	struct stream		*s;
	struct imap_conn	*c;
	int			 gt = imap_login_greeting_ms(cfg);
	int64_t			 start = imap_conn_now(), left;

	a.security = sec;
	if (port != NULL)
		a.port = (char *)port;
	if (endpoint_from_account(&a, wake_fd, ep, err) == -1)
		return NULL;
	transport_bound_attempt(ep, gt, cfg->security == CONFIG_SEC_AUTO);
	s = transport_connect(ep, err);
	endpoint_fini(ep);		/* the proxy password; ep->tls stays */
	if (s == NULL)
		return NULL;
	c = imap_conn_new(s, cfg->host);
	c->caps_off = imap_caps_names(cfg->imap_disable);
	imap_login_own(c, cfg);
	left = gt;
	if (cfg->security == CONFIG_SEC_AUTO && gt > 0)
		left = start + gt - imap_conn_now();
	c->timeout_ms = left > 0 ? (int)left : 1;
	if (gt > 0)
		imap_set_timeout(c->s, c->timeout_ms);
	if (imap_conn_greeting(c, err) == -1) {
		error_widen(err, ERR_SCOPE_ACCOUNT);
		imap_conn_free(c);
		return NULL;
	}
	c->timeout_ms = cfg->timeout_ms;
	imap_set_timeout(c->s, cfg->timeout_ms);
	return c;
}

/* One mode: connect, greeting, STARTTLS when sec says, capabilities. */
static int
imap_login_mode(const struct config_account *cfg, enum config_security sec,
    const char *port, int wake_fd, struct imap_conn **out, struct error *err)
{
	struct transport_endpoint	 ep;
	struct imap_conn		*c;

	*out = NULL;
	if ((c = imap_login_open(cfg, sec, port, wake_fd, &ep, err)) == NULL)
		return -1;
	if (sec == CONFIG_SEC_STARTTLS &&
	    imap_conn_starttls(c, &ep.tls, err) == -1)
		goto fail;
	if (!c->have_caps && imap_conn_capability(c, err) == -1)
		goto fail;
	imap_login_tl.mode = sec == CONFIG_SEC_IMPLICIT ? "implicit TLS" :
	    sec == CONFIG_SEC_STARTTLS ? "STARTTLS" : "plain text";
	*out = c;
	return 0;

fail:
	error_widen(err, ERR_SCOPE_ACCOUNT);
	imap_conn_free(c);
	return -1;
}

/* What one attempt of security = auto needs. */
struct imap_login_try {
	const struct config_account	*cfg;
	int				 wake_fd;
	struct imap_conn		**out;
};

/* One attempt of security = auto. */
static int
imap_login_try(void *arg, bool starttls, const char *port, struct error *err)
{
	struct imap_login_try	*t = arg;

	return imap_login_mode(t->cfg, starttls ? CONFIG_SEC_STARTTLS :
	    CONFIG_SEC_IMPLICIT, port, t->wake_fd, t->out, err);
}

/* security = auto: implicit TLS, then STARTTLS (see the file comment). */
static int
imap_login_auto(const struct config_account *cfg, int wake_fd,
    struct imap_conn **out, struct error *err)
{
	struct imap_login_try	 t = { cfg, wake_fd, out };

	if (transport_auto("imap", cfg->host, cfg->port, "993", "143",
	    "STARTTLS", imap_login_try, &t, err) == -1)
		return -1;
	log_info("imap", "%s: connected with %s", cfg->host,
	    imap_login_tl.mode);
	return 0;
}

/* Connect, TLS, greeting and capabilities, per the account's security. */
int
imap_conn_connect(const struct config_account *cfg, int wake_fd,
    struct imap_conn **out, struct error *err)
{
	if (cfg->security == CONFIG_SEC_AUTO)
		return imap_login_auto(cfg, wake_fd, out, err);
	return imap_login_mode(cfg, cfg->security, NULL, wake_fd, out, err);
}

/* LOGOUT, reading until the tagged OK or an error. */
void
imap_conn_logout(struct imap_conn *c)
{
	struct error	 err;

	if (c == NULL || c->broken)
		return;
	c->compress_wanted = false;	/* not worth it any more */
	(void)imap_conn_run(c, NULL, NULL, &err, "LOGOUT");
}
