/*
 * outbox.c - queueing a message and sending it (outbox.h): the outbox
 * row's states around one attempt through SMTP (RFC 6409 submission, via
 * net/smtp.h) or the account's sendmail_command.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/endpoint.h"
#include "net/smtp.h"
#include "send/outbox.h"
#include "util/buf.h"
#include "util/log.h"
#include "util/xmalloc.h"

#define OUTBOX_BACKOFF_FIRST_S	60
#define OUTBOX_BACKOFF_MAX_S	3600
/* Most recipients of one message (what a sane server takes, RFC 5321
   4.5.3.1.8 asks for at least 100). */
#define OUTBOX_RCPT_MAX		1000

/* When to try again after attempts failures (1 min, doubling, 1 h). */
int64_t
outbox_next_try(int attempts, int64_t now)
{
	int64_t	d = OUTBOX_BACKOFF_FIRST_S;

	for (int i = 1; i < attempts && d < OUTBOX_BACKOFF_MAX_S; i++)
		d *= 2;
	return now + (d > OUTBOX_BACKOFF_MAX_S ? OUTBOX_BACKOFF_MAX_S : d);
}

/* Store a message in the outbox. */
int
outbox_queue(struct cache *c, const struct config_account *a,
    const struct outbox_item *it, int64_t *id, struct error *err)
{
	struct cache_outbox	m;
	struct buf		rcpt;
	int			rc;

	if (it->nrcpt == 0 && !it->draft)
		return error_set(err, ERR_PARSE, ERR_SCOPE_OP, "no recipients");
	if (it->nrcpt > OUTBOX_RCPT_MAX)
		return error_set(err, ERR_PARSE, ERR_SCOPE_OP, "more than %d "
		    "recipients", OUTBOX_RCPT_MAX);
	buf_init(&rcpt, 0);
	for (size_t i = 0; i < it->nrcpt; i++) {
		if (strpbrk(it->rcpt[i], "\r\n") != NULL ||
		    *it->rcpt[i] == '\0' || *it->rcpt[i] == '-') {
			buf_fini(&rcpt);
			return error_set(err, ERR_PARSE, ERR_SCOPE_OP, "bad "
			    "recipient address");
		}
		buf_printf(&rcpt, "%s%s", i > 0 ? "\n" : "", it->rcpt[i]);
	}
	memset(&m, 0, sizeof m);
	m.account = a->name;
	m.env_from = (char *)(it->env_from != NULL ? it->env_from : "");
	m.env_rcpt = rcpt.data != NULL ? rcpt.data : (char *)"";
	m.dsn_notify = (char *)it->dsn_notify;
	m.dsn_ret = (char *)it->dsn_ret;
	m.subject = (char *)it->subject;
	m.to_line = (char *)it->to_line;
	m.raw = (char *)it->raw;
	m.len = it->len;
	m.state = it->draft ? CACHE_OUTBOX_DRAFT : CACHE_OUTBOX_QUEUED;
	rc = cache_outbox_add(c, &m, err);
	*id = m.id;
	buf_fini(&rcpt);
	return rc;
}

/* Split the stored recipients (one a line) in place into a vector. */
static size_t
outbox_rcpts(char *list, const char **v, size_t max)
{
	size_t	n = 0;
	char	*p = list, *nl;

	while (p != NULL && *p != '\0' && n < max) {
		if ((nl = strchr(p, '\n')) != NULL)
			*nl++ = '\0';
		v[n++] = p;
		p = nl;
	}
	return n;
}

/* Whether a failure will not pass by itself: wait for the user. */
static bool
outbox_permanent(const struct error *err, const struct smtp_result *res)
{
	switch (err->code) {
	case ERR_AUTH:
	case ERR_TOOBIG:
	case ERR_UNSUPPORTED:
	case ERR_CONFIG:
	case ERR_TLS_VERIFY:
	case ERR_PARSE:
		return true;
	case ERR_SERVER:
		for (size_t i = 0; res != NULL && i < res->nrcpt; i++) {
			if (res->rcpt[i].code >= 500)
				return true;
		}
		return res != NULL && res->code >= 500;
	default:
		return false;
	}
}

/* The secret SMTP logs in with: typed, configured, or a token. */
static int
outbox_secret(const struct config_account *smtp, const char *typed,
    struct sasl_creds *cr, char **owned, struct error *err)
{
	struct config_account	 tok;

	*owned = NULL;
	if (smtp->oauth2_token_command != NULL) {
		tok = *smtp;
		tok.password = NULL;
		tok.password_command = smtp->oauth2_token_command;
		if ((*owned = config_account_password(&tok, err)) == NULL)
			return -1;
		cr->token = *owned;
		return 0;
	}
	if (smtp->password == NULL && smtp->password_command == NULL) {
		cr->password = typed;	/* may be NULL: no AUTH then */
		return 0;
	}
	if ((*owned = config_account_password(smtp, err)) == NULL)
		return -1;
	cr->password = *owned;
	return 0;
}

/* One attempt through SMTP. */
static int
outbox_smtp(struct cache *c, const struct config_account *a,
    const struct cache_outbox *m, const char *const *rcpt, size_t nrcpt,
    const char *typed, int wake_fd, bool *permanent, struct error *err)
{
	struct config_account	 smtp;
	struct smtp_settings	 st;
	struct smtp_envelope	 env;
	struct smtp_result	 res;
	struct sasl_creds	 cr;
	struct error		 cerr;
	char			*secret = NULL;
	int			 rc = -1;

	memset(&res, 0, sizeof res);
	res.eightbitmime = -1;
	memset(&st, 0, sizeof st);
	if (config_smtp_account(a, &smtp, err) == -1 ||
	    endpoint_from_account(&smtp, wake_fd, &st.ep, err) == -1) {
		*permanent = true;
		return -1;
	}
	memset(&cr, 0, sizeof cr);
	cr.user = smtp.user;
	cr.service = "smtp";
	cr.host = smtp.host;
	cr.port = smtp.port;
	if (smtp.user != NULL &&
	    outbox_secret(&smtp, typed, &cr, &secret, err) == -1) {
		*permanent = true;
		goto out;
	}
	st.starttls = smtp.security == CONFIG_SEC_STARTTLS;
	st.allow_plaintext_auth = smtp.allow_plaintext_auth;
	st.auth = smtp.auth;
	st.creds = smtp.user != NULL && (cr.password != NULL ||
	    cr.token != NULL) ? &cr : NULL;
	st.greeting_timeout_ms = smtp.greeting_timeout_ms;
	memset(&env, 0, sizeof env);
	env.from = m->env_from;
	env.rcpt = rcpt;
	env.nrcpt = nrcpt;
	env.dsn_notify = m->dsn_notify;
	env.dsn_ret = m->dsn_ret;
	rc = smtp_send(&st, &env, m->raw, m->len, &res, err);
	if (rc == -1)
		*permanent = outbox_permanent(err, &res);
	/* The composer builds 8bit text for a server known to take it. */
	if (res.eightbitmime >= 0 &&
	    cache_smtp_8bit_set(c, a->name, res.eightbitmime == 1,
	    &cerr) == -1)
		log_warn("send", "%s", cerr.msg);
out:
	smtp_result_fini(&res);
	endpoint_fini(&st.ep);
	xfree_secret(secret);
	return rc;
}

/* Record the outcome of an attempt. */
static int
outbox_after(struct cache *c, const struct config_account *a,
    const struct cache_outbox *m, int rc, bool permanent, struct error *err)
{
	struct error	cerr;
	int64_t		now = (int64_t)time(NULL);

	if (rc == 0) {
		log_info("send", "[%s] outbox %lld: accepted", a->name,
		    (long long)m->id);
		if (!a->send.save_sent)
			return cache_outbox_remove(c, m->id, err);
		return cache_outbox_set_state(c, m->id, CACHE_OUTBOX_ACCEPTED,
		    NULL, 0, err);
	}
	log_warn("send", "[%s] outbox %lld: %s", a->name, (long long)m->id,
	    err->msg);
	if (cache_outbox_set_state(c, m->id, CACHE_OUTBOX_QUEUED, err->msg,
	    permanent ? -1 : outbox_next_try(m->attempts + 1, now),
	    &cerr) == -1)
		log_error("send", "%s", cerr.msg);
	return -1;
}

/* Send one queued message now (outbox.h). */
int
outbox_send(struct cache *c, const struct config_account *a, int64_t id,
    const char *typed_password, int wake_fd, struct error *err)
{
	struct cache_outbox	 m;
	const char		**rcpt;
	size_t			 n;
	bool			 permanent = false;
	int			 rc;

	if ((rc = cache_outbox_get(c, id, &m, err)) != 0) {
		if (rc == 1)
			error_set(err, ERR_NOTFOUND, ERR_SCOPE_OP, "outbox "
			    "message %lld is gone", (long long)id);
		return -1;
	}
	if (m.state == CACHE_OUTBOX_ACCEPTED) {
		cache_outbox_fini(&m);
		return 0;	/* only its Sent copy is left to make */
	}
	if (m.state == CACHE_OUTBOX_DRAFT) {
		cache_outbox_fini(&m);
		return error_set(err, ERR_PARSE, ERR_SCOPE_OP, "a draft is "
		    "not sent: resume it from the Drafts folder");
	}
	rcpt = xcalloc(OUTBOX_RCPT_MAX, sizeof *rcpt);
	n = outbox_rcpts(m.env_rcpt, rcpt, OUTBOX_RCPT_MAX);
	if (cache_outbox_set_state(c, id, CACHE_OUTBOX_SENDING, NULL, 0,
	    err) == -1)
		rc = -1;
	else if (a->send.sendmail_argv != NULL) {
		rc = outbox_sendmail(a->send.sendmail_argv, rcpt, n, m.raw,
		    m.len, a->timeout_ms, wake_fd, err);
		permanent = rc == -1 && err->code != ERR_TIMEOUT &&
		    err->code != ERR_CANCELLED && err->code != ERR_NET;
	} else
		rc = outbox_smtp(c, a, &m, rcpt, n, typed_password, wake_fd,
		    &permanent, err);
	rc = outbox_after(c, a, &m, rc, permanent, err);
	free(rcpt);
	cache_outbox_fini(&m);
	return rc;
}
