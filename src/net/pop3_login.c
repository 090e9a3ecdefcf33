/*
 * pop3_login.c - getting a POP3 session to the point where it can log
 * in: connect (security = implicit | starttls | auto | none), the
 * greeting (RFC 1939 4, with the APOP timestamp of section 7), CAPA (RFC
 * 2449 5), STLS (RFC 2595 4), and QUIT (RFC 1939 6).  Logging in is
 * pop3_auth.c.
 *
 * Time: the implicit TLS handshake and the wait for the greeting are each
 * bounded by greeting_timeout; with security = auto the TCP connect too,
 * and the greeting gets what is left of one greeting_timeout counted from
 * the start of the attempt.  auto tries implicit TLS on the configured
 * port (995 by default), then STLS: on 110 when the port is 995, on the
 * same port otherwise; a certificate failure is final.
 *
 * STLS hardening ("NO STARTTLS", USENIX Security 2021): security =
 * starttls fails unless CAPA offers STLS and the server answers +OK with
 * nothing behind it; nothing learned before the handshake (capabilities,
 * SASL mechanisms, the APOP timestamp, which a man in the middle could
 * choose to harvest a digest) survives it, and CAPA is asked again.
 */
#include <stdlib.h>
#include <string.h>

#include "core/endpoint.h"
#include "net/pop3_conn.h"
#include "net/sasl.h"
#include "net/transport.h"
#include "util/log.h"
#include "util/xmalloc.h"

/* An error quoting the last status, sanitised; the session is over. */
int
pop3_conn_refused(struct pop3_conn *c, struct error *err,
    enum error_code code, const char *what)
{
	struct buf	 b;

	buf_init(&b, 0);
	pop3_conn_text(c, &b);
	c->broken = true;
	error_set(err, code, ERR_SCOPE_ACCOUNT, "%s: %s: %s", c->host, what,
	    buf_str(&b));
	buf_fini(&b);
	return -1;
}

/* Read the greeting. */
int
pop3_conn_greeting(struct pop3_conn *c, struct error *err)
{
	pop3_conn_await(c, POP3_EXPECT_SINGLE, 0, "");
	if (pop3_conn_next(c, err) == -1)
		return -1;
	if (c->ev.type == POP3_EV_ERR)
		return pop3_conn_refused(c, err, ERR_SERVER,
		    "server refused the connection");
	free(c->timestamp);
	c->timestamp = pop3_parse_timestamp(c->ev.text);
	return 0;
}

/* Note the SASL mechanisms of a "SASL PLAIN LOGIN" line. */
static void
pop3_capa_mechs(struct pop3_conn *c, struct pop3_slice args)
{
	enum sasl_mech	 m;
	size_t		 i = 0, start;

	while (i < args.len) {
		while (i < args.len && args.p[i] == ' ')
			i++;
		for (start = i; i < args.len && args.p[i] != ' '; i++)
			;
		if (i > start && (m = sasl_mech_parse(args.p + start,
		    i - start)) != SASL_NONE)
			c->mechs |= SASL_BIT(m);
	}
}

/* One line of the CAPA answer. */
static int
pop3_capa_line(void *arg, const struct pop3_event *ev, struct error *err)
{
	static const struct {
		const char	*name;
		unsigned	 cap;
	} map[] = {
		{ "TOP", POP3_CAP_TOP }, { "UIDL", POP3_CAP_UIDL },
		{ "USER", POP3_CAP_USER }, { "STLS", POP3_CAP_STLS },
		{ "PIPELINING", POP3_CAP_PIPELINING },
		{ "RESP-CODES", POP3_CAP_RESP_CODES },
		{ "AUTH-RESP-CODE", POP3_CAP_AUTH_RESP },
		{ "SASL", POP3_CAP_SASL },
	};
	struct pop3_conn	*c = arg;
	struct pop3_slice	 kw, args;

	(void)err;
	if (pop3_parse_capa(ev->text, &kw, &args) == -1)
		return 0;
	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++) {
		if (pop3_slice_is(kw, map[i].name))
			c->caps |= map[i].cap;
	}
	if (pop3_slice_is(kw, "SASL"))
		pop3_capa_mechs(c, args);
	return 0;
}

/* Ask for the capabilities. */
int
pop3_conn_capa(struct pop3_conn *c, struct error *err)
{
	c->caps = 0;
	c->mechs = 0;
	c->have_caps = false;
	if (pop3_conn_send(c, POP3_EXPECT_LINES, POP3_CAPA_MAX, err,
	    "CAPA") == -1)
		return -1;
	if (pop3_conn_data(c, pop3_capa_line, c, err) == -1) {
		if (err->code != ERR_SERVER)
			return -1;
		/* An RFC 1939 server without CAPA: nothing is known. */
		log_debug("pop3", "%s: no CAPA: %s", c->host, err->msg);
		error_clear(err);
		return 0;
	}
	c->have_caps = true;
	return 0;
}

/* Forget everything the server said before TLS. */
static void
pop3_login_forget(struct pop3_conn *c)
{
	pop3_parser_reset(&c->pr);
	c->inoff = c->inlen = 0;
	c->caps = c->mechs = 0;
	c->have_caps = false;
	free(c->timestamp);
	c->timestamp = NULL;
}

/* Upgrade to TLS with STLS. */
int
pop3_conn_stls(struct pop3_conn *c, const struct stream_tls_config *tc,
    struct error *err)
{
	if (!c->have_caps && pop3_conn_capa(c, err) == -1)
		return -1;
	if (!(c->caps & POP3_CAP_STLS)) {
		c->broken = true;
		return error_set(err, ERR_TLS, ERR_SCOPE_ACCOUNT,
		    "%s: server does not offer STLS; refusing to continue "
		    "without TLS", c->host);
	}
	if (pop3_conn_send(c, POP3_EXPECT_SINGLE, 0, err, "STLS") == -1 ||
	    pop3_conn_next(c, err) == -1) {
		if (err->code != ERR_TIMEOUT && err->code != ERR_CANCELLED)
			err->code = ERR_TLS;
		return pop3_conn_fail(c, err);
	}
	if (c->ev.type != POP3_EV_OK)
		return pop3_conn_refused(c, err, ERR_TLS, "server refused STLS, "
		    "so no TLS and no login; server said");
	if (pop3_conn_buffered(c)) {
		c->broken = true;
		return error_set(err, ERR_TLS, ERR_SCOPE_ACCOUNT,
		    "%s: server sent data after its STLS answer, before the "
		    "TLS handshake (a STARTTLS injection?); giving up",
		    c->host);
	}
	pop3_login_forget(c);
	if (stream_tls_start(&c->s, c->host, tc, err) == -1) {
		c->broken = true;
		return -1;
	}
	return pop3_conn_capa(c, err);
}

/* The greeting's bound: greeting_timeout, else the operation timeout. */
static int
pop3_login_greeting_ms(const struct config_account *cfg)
{
	return cfg->greeting_timeout_ms > 0 ? cfg->greeting_timeout_ms :
	    cfg->timeout_ms;
}

/* Connect and read the greeting; the attempt bounded as the file says. */
static struct pop3_conn *
pop3_login_open(const struct config_account *cfg, enum config_security sec,
    const char *port, int wake_fd, struct transport_endpoint *ep,
    struct error *err)
{
	struct config_account	 a = *cfg;
	struct stream		*s;
	struct pop3_conn	*c;
	int			 gt = pop3_login_greeting_ms(cfg);
	int64_t			 start = pop3_now(), left = gt;

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
	c = pop3_conn_new(s, cfg->host);
	c->cfg = cfg;
	if (cfg->security == CONFIG_SEC_AUTO && gt > 0)
		left = start + gt - pop3_now();
	c->timeout_ms = left > 0 ? (int)left : 1;
	if (gt > 0)
		stream_set_timeout(c->s, c->timeout_ms);
	if (pop3_conn_greeting(c, err) == -1) {
		error_widen(err, ERR_SCOPE_ACCOUNT);
		pop3_conn_free(c);
		return NULL;
	}
	c->timeout_ms = cfg->timeout_ms;
	stream_set_timeout(c->s, cfg->timeout_ms);
	return c;
}

/* One mode: connect, greeting, STLS when sec says, capabilities. */
static int
pop3_login_mode(const struct config_account *cfg, enum config_security sec,
    const char *port, int wake_fd, struct pop3_conn **out, struct error *err)
{
	struct transport_endpoint	 ep;
	struct pop3_conn		*c;

	*out = NULL;
	if ((c = pop3_login_open(cfg, sec, port, wake_fd, &ep, err)) == NULL)
		return -1;
	if (sec == CONFIG_SEC_STARTTLS) {
		if (pop3_conn_stls(c, &ep.tls, err) == -1)
			goto fail;
	} else if (pop3_conn_capa(c, err) == -1)
		goto fail;
	c->mode = sec == CONFIG_SEC_IMPLICIT ? "implicit TLS" :
	    sec == CONFIG_SEC_STARTTLS ? "STARTTLS" : "plain text";
	*out = c;
	return 0;

fail:
	error_widen(err, ERR_SCOPE_ACCOUNT);
	pop3_conn_free(c);
	return -1;
}

/* What one attempt of security = auto needs. */
struct pop3_login_try {
	const struct config_account	*cfg;
	int				 wake_fd;
	struct pop3_conn		**out;
};

/* One attempt of security = auto. */
static int
pop3_login_try(void *arg, bool starttls, const char *port, struct error *err)
{
	struct pop3_login_try	*t = arg;

	return pop3_login_mode(t->cfg, starttls ? CONFIG_SEC_STARTTLS :
	    CONFIG_SEC_IMPLICIT, port, t->wake_fd, t->out, err);
}

/* security = auto: implicit TLS, then STLS (see the file comment). */
static int
pop3_login_auto(const struct config_account *cfg, int wake_fd,
    struct pop3_conn **out, struct error *err)
{
	struct pop3_login_try	 t = { cfg, wake_fd, out };

	if (transport_auto("pop3", cfg->host, cfg->port, "995", "110",
	    "STLS", pop3_login_try, &t, err) == -1)
		return -1;
	log_info("pop3", "%s: connected with %s", cfg->host, (*out)->mode);
	return 0;
}

/* Connect per the account's security. */
int
pop3_conn_connect(const struct config_account *cfg, int wake_fd,
    struct pop3_conn **out, struct error *err)
{
	if (cfg->security == CONFIG_SEC_AUTO)
		return pop3_login_auto(cfg, wake_fd, out, err);
	return pop3_login_mode(cfg, cfg->security, NULL, wake_fd, out, err);
}

/* QUIT: the server enters the UPDATE state and removes DELEd messages. */
int
pop3_conn_quit(struct pop3_conn *c, struct error *err)
{
	if (c->broken)
		return error_set(err, ERR_NET, ERR_SCOPE_ACCOUNT,
		    "%s: connection already failed", c->host);
	/* Replies still owed to earlier commands come first. */
	while (c->nfl > 0) {
		if (pop3_conn_next(c, err) == -1)
			return -1;
	}
	if (pop3_conn_send(c, POP3_EXPECT_SINGLE, 0, err, "QUIT") == -1 ||
	    pop3_conn_next(c, err) == -1)
		return pop3_conn_fail(c, err);
	c->broken = true;		/* nothing may follow QUIT */
	if (c->ev.type != POP3_EV_OK) {
		pop3_conn_refused(c, err, ERR_SERVER, "QUIT failed, so the "
		    "server may not have removed the deleted messages");
		return -1;
	}
	return 0;
}
