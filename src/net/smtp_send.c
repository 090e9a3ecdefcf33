/*
 * smtp_send.c - one mail transaction (RFC 5321 3.3, 4.1.1.2-4.1.1.4):
 * MAIL FROM, a RCPT TO per recipient, DATA, the message, and the reply
 * to the final dot; smtp_send and its result (smtp.h).
 *
 * Before MAIL, everything the server must be able to do is checked
 * against its EHLO: SIZE (RFC 1870 6: a message larger than a non-zero
 * SIZE is refused here, ERR_TOOBIG), 8BITMIME for 8-bit content (RFC
 * 6152; none: ERR_UNSUPPORTED, nothing is converted), SMTPUTF8 for
 * non-ASCII addresses (RFC 6531), DSN when NOTIFY, RET or ENVID is asked
 * for (RFC 3461; ERR_UNSUPPORTED rather than silently dropping it).
 *
 * With PIPELINING (RFC 2920 3.1) MAIL, every RCPT and DATA go in one
 * write (at most SMTP_PIPE_WINDOW commands a write, reading the replies
 * in between, so neither side can fill the other's buffers) and the
 * replies are read in order; without it, one command, one reply.
 *
 * All or nothing: if MAIL or any RCPT is refused, no byte of the message
 * is sent.  The transaction is reset (RSET) and every refused address is
 * named.  When pipelining, DATA was already sent: a server that still
 * answers it with 354 (because another recipient was accepted) is in
 * data mode, where anything sent becomes a message and RSET would be
 * text, so the connection is closed without a byte: only the final dot
 * completes a transaction (RFC 5321 4.1.1.4), so the server drops it.
 *
 * Time: every reply within ep.timeout_ms, except the final dot's, which
 * may take longer (RFC 5321 4.5.3.2.6, 10 minutes): max(timeout, 600 s).
 */
#include <stdlib.h>
#include <string.h>

#include "net/smtp_conn.h"
#include "util/log.h"
#include "util/sanitize.h"
#include "util/xmalloc.h"

/* Commands written at once when pipelining. */
#define SMTP_PIPE_WINDOW	50

/* One transaction. */
struct smtp_tx {
	const struct smtp_envelope	*env;
	struct smtp_env_info		 info;
	struct smtp_data_info		 data;
	struct smtp_result		*res;
	int				 mail_code;	/* MAIL's reply */
	char				*mail_text;	/* its text */
	int				 data_code;	/* DATA's reply */
	size_t				 nrefused;
};

/* Whether a reply code is a positive completion. */
static bool
smtp_ok(int code)
{
	return code >= 200 && code < 300;
}

/* A copy of the last reply's text, sanitised (NULL if none). */
static char *
smtp_send_text(const struct smtp_conn *c)
{
	struct buf	 b;

	if (!c->pr.done)
		return NULL;
	buf_init(&b, 0);
	smtp_reply_append(&c->pr.reply, &b, SMTP_TEXT_MAX);
	return buf_take(&b);
}

/* Check what the message and envelope need against the server's EHLO. */
static int
smtp_send_check(struct smtp_conn *c, const struct smtp_tx *tx,
    struct error *err)
{
	const struct smtp_caps	*caps = &c->caps;

	if (tx->info.utf8 && !(caps->flags & SMTP_CAP_SMTPUTF8))
		return error_set(err, ERR_UNSUPPORTED, ERR_SCOPE_MESSAGE,
		    "%s: an address is not ASCII and the server does not "
		    "offer SMTPUTF8 (RFC 6531)", c->host);
	if (tx->data.eightbit && !(caps->flags & SMTP_CAP_8BITMIME))
		return error_set(err, ERR_UNSUPPORTED, ERR_SCOPE_MESSAGE,
		    "%s: the message has 8-bit content and the server does "
		    "not offer 8BITMIME (RFC 6152)", c->host);
	if (tx->info.dsn && !(caps->flags & SMTP_CAP_DSN))
		return error_set(err, ERR_UNSUPPORTED, ERR_SCOPE_MESSAGE,
		    "%s: delivery status notifications were asked for and "
		    "the server does not offer DSN (RFC 3461)", c->host);
	if ((caps->flags & SMTP_CAP_SIZE) && caps->size > 0 &&
	    tx->data.size > caps->size)
		return error_set(err, ERR_TOOBIG, ERR_SCOPE_MESSAGE,
		    "%s: the message is %llu bytes, more than the %llu the "
		    "server accepts (SIZE); nothing was sent", c->host,
		    (unsigned long long)tx->data.size,
		    (unsigned long long)caps->size);
	return 0;
}

/* Append command i (0 MAIL, 1..n RCPT, n+1 DATA) and its CRLF. */
static void
smtp_send_cmd(const struct smtp_conn *c, const struct smtp_tx *tx,
    size_t i, struct buf *b)
{
	if (i == 0)
		smtp_env_mail(tx->env, &tx->info, &c->caps, tx->data.size,
		    tx->data.eightbit, b);
	else if (i <= tx->env->nrcpt)
		smtp_env_rcpt(tx->env, i - 1, &c->caps, b);
	else
		buf_adds(b, "DATA");
	buf_adds(b, "\r\n");
}

/* The verb of command i, for messages. */
static const char *
smtp_send_verb(const struct smtp_tx *tx, size_t i)
{
	return i == 0 ? "MAIL" : i <= tx->env->nrcpt ? "RCPT" : "DATA";
}

/* Note the reply to command i. */
static void
smtp_send_note(struct smtp_conn *c, struct smtp_tx *tx, size_t i)
{
	struct smtp_rcpt_reply	*rr;

	if (i == 0) {
		tx->mail_code = smtp_conn_code(c);
		free(tx->mail_text);
		tx->mail_text = smtp_send_text(c);
		return;
	}
	if (i > tx->env->nrcpt) {
		tx->data_code = smtp_conn_code(c);
		return;
	}
	rr = &tx->res->rcpt[i - 1];
	rr->code = smtp_conn_code(c);
	free(rr->text);
	rr->text = smtp_send_text(c);
	if (!smtp_ok(rr->code))
		tx->nrefused++;
}

/* Send command i alone and read its reply. */
static int
smtp_send_one(struct smtp_conn *c, struct smtp_tx *tx, size_t i,
    struct error *err)
{
	struct buf	 b;
	int		 rc;

	buf_init(&b, SMTP_CMD_MAX);
	smtp_send_cmd(c, tx, i, &b);
	if (b.too_big)
		rc = error_set(err, ERR_TOOBIG, ERR_SCOPE_MESSAGE,
		    "SMTP command too long");
	else
		rc = smtp_conn_send_batch(c, &b, err);
	buf_fini(&b);
	if (rc == 0)
		rc = smtp_conn_reply(c, smtp_send_verb(tx, i), c->timeout_ms,
		    err);
	if (rc == 0)
		smtp_send_note(c, tx, i);
	return rc;
}

/* MAIL, RCPTs, DATA one by one, stopping at a refusal before DATA. */
static int
smtp_send_serial(struct smtp_conn *c, struct smtp_tx *tx, struct error *err)
{
	size_t	 i, n = tx->env->nrcpt;

	if (smtp_send_one(c, tx, 0, err) == -1)
		return -1;
	if (!smtp_ok(tx->mail_code))
		return 0;
	for (i = 1; i <= n; i++) {
		if (smtp_send_one(c, tx, i, err) == -1)
			return -1;
		if (c->broken)			/* 421 */
			return 0;
	}
	if (tx->nrefused > 0)
		return 0;
	return smtp_send_one(c, tx, n + 1, err);
}

/* MAIL, RCPTs, DATA in windows of SMTP_PIPE_WINDOW (RFC 2920 3.1). */
static int
smtp_send_pipelined(struct smtp_conn *c, struct smtp_tx *tx,
    struct error *err)
{
	size_t		 total = tx->env->nrcpt + 2, next = 0, got = 0;
	struct buf	 b;
	int		 rc = 0;

	buf_init(&b, SMTP_PIPE_WINDOW * SMTP_CMD_MAX);
	while (rc == 0 && got < total) {
		buf_reset(&b);
		for (; next < total && next < got + SMTP_PIPE_WINDOW; next++)
			smtp_send_cmd(c, tx, next, &b);
		if (b.too_big)
			rc = error_set(err, ERR_TOOBIG, ERR_SCOPE_MESSAGE,
			    "SMTP commands too long");
		else
			rc = smtp_conn_send_batch(c, &b, err);
		/* After a 421 (c->broken) no more replies will come. */
		for (; rc == 0 && got < next && !c->broken; got++) {
			rc = smtp_conn_reply(c, smtp_send_verb(tx, got),
			    c->timeout_ms, err);
			if (rc == 0)
				smtp_send_note(c, tx, got);
		}
		/* A refused MAIL or a closing server: send no more. */
		if (rc == 0 && (!smtp_ok(tx->mail_code) || c->broken))
			break;
	}
	buf_fini(&b);
	return rc;
}

/* Append "<addr> (code text)" of each refused recipient that fits. */
static void
smtp_send_refused_list(const struct smtp_tx *tx, struct buf *b)
{
	const struct smtp_result	*res = tx->res;
	size_t				 shown = 0, mark;

	for (size_t i = 0; i < res->nrcpt; i++) {
		if (res->rcpt[i].code == 0 || smtp_ok(res->rcpt[i].code))
			continue;
		mark = b->len;
		buf_adds(b, shown > 0 ? ", <" : "<");
		(void)sanitize_append(b, res->rcpt[i].addr,
		    strlen(res->rcpt[i].addr), 0);
		buf_printf(b, "> (%d%s%s)", res->rcpt[i].code,
		    res->rcpt[i].text != NULL && res->rcpt[i].text[0] != '\0' ?
		    " " : "", res->rcpt[i].text != NULL ? res->rcpt[i].text :
		    "");
		if (b->len > ERROR_MSG_MAX - 120 && shown > 0) {
			b->len = mark;
			b->data[mark] = '\0';
			buf_printf(b, " and %zu more", tx->nrefused - shown);
			return;
		}
		shown++;
	}
}

/* The error of a refused MAIL or of refused recipients. */
static int
smtp_send_refusal(struct smtp_conn *c, struct smtp_tx *tx,
    struct error *err)
{
	struct buf	 b;

	buf_init(&b, 0);
	if (!smtp_ok(tx->mail_code)) {
		(void)sanitize_append(&b, tx->env->from,
		    strlen(tx->env->from), 0);
		error_set(err, ERR_SERVER, ERR_SCOPE_MESSAGE, "%s: server "
		    "refused the sender <%s>, so nothing was sent: %d%s%s",
		    c->host, buf_str(&b), tx->mail_code,
		    tx->mail_text != NULL && tx->mail_text[0] != '\0' ? " " :
		    "", tx->mail_text != NULL ? tx->mail_text : "");
	} else {
		smtp_send_refused_list(tx, &b);
		error_set(err, ERR_SERVER, ERR_SCOPE_MESSAGE, "%s: server "
		    "refused %zu of %zu recipients, so nothing was sent: %s%s",
		    c->host, tx->nrefused, tx->env->nrcpt, buf_str(&b),
		    c->broken && tx->data_code != 354 ? "; then it closed "
		    "the connection" : "");
	}
	buf_fini(&b);
	return -1;
}

/* RSET (RFC 5321 4.1.1.5): the transaction is dropped. */
static void
smtp_send_reset(struct smtp_conn *c)
{
	struct error	 err;

	if (c->broken)
		return;
	if (smtp_conn_send(c, &err, "RSET") == -1 ||
	    smtp_conn_reply(c, "RSET", c->timeout_ms, &err) == -1)
		log_debug("smtp", "%s: RSET failed: %s", c->host, err.msg);
}

/* After the commands: refusals end it here, 354 lets the data go. */
static int
smtp_send_verdict(struct smtp_conn *c, struct smtp_tx *tx,
    struct error *err)
{
	bool	 refused = !smtp_ok(tx->mail_code) || tx->nrefused > 0;

	if (tx->data_code == 354 && !refused)
		return 0;
	if (tx->data_code == 354) {
		/* In data mode: only closing drops it (file comment). */
		log_debug("smtp", "%s: closing in DATA so that nothing is "
		    "delivered", c->host);
		c->broken = true;
	} else
		smtp_send_reset(c);
	if (refused)
		return smtp_send_refusal(c, tx, err);
	return smtp_conn_refused(c, err, ERR_SERVER, ERR_SCOPE_MESSAGE,
	    "server refused DATA, so nothing was sent");
}

/* The message, the final dot and its reply. */
static int
smtp_send_content(struct smtp_conn *c, struct smtp_tx *tx, const char *msg,
    size_t len, struct error *err)
{
	uint64_t	 sent;
	int		 wait = c->timeout_ms <= 0 || c->timeout_ms <
	    SMTP_DATA_END_MS ? SMTP_DATA_END_MS : c->timeout_ms;
	int		 code;

	tx->res->data_started = true;
	if (smtp_data_send(c, msg, len, &sent, err) == -1) {
		/* The final CRLF is the last byte written: never sent. */
		error_prefix(err, "%s: the connection failed after %llu "
		    "bytes of the message, before its end, so it was not "
		    "delivered", c->host, (unsigned long long)sent);
		return -1;
	}
	if (smtp_conn_reply(c, "the end of the message", wait, err) == -1) {
		error_prefix(err, "%s: no usable answer after the whole "
		    "message was sent, so it may or may not have been "
		    "delivered", c->host);
		return -1;
	}
	code = smtp_conn_code(c);
	if (smtp_ok(code)) {
		tx->res->accepted = true;
		return 0;
	}
	return smtp_conn_refused(c, err, ERR_SERVER, ERR_SCOPE_MESSAGE,
	    code < 500 ? "server did not take the message for now (try "
	    "again later)" : "server refused the message");
}

/* Fill res->rcpt with the addresses, nothing asked yet. */
static void
smtp_send_init_result(const struct smtp_envelope *env,
    struct smtp_result *res)
{
	memset(res, 0, sizeof *res);
	if (env->rcpt == NULL || env->nrcpt == 0)
		return;
	res->rcpt = xcalloc(env->nrcpt, sizeof *res->rcpt);
	res->nrcpt = env->nrcpt;
	for (size_t i = 0; i < env->nrcpt; i++)
		res->rcpt[i].addr = xstrdup(env->rcpt[i] != NULL ?
		    env->rcpt[i] : "");
}

/* The transaction on an open session. */
static int
smtp_send_tx(struct smtp_conn *c, struct smtp_tx *tx, const char *msg,
    size_t len, struct error *err)
{
	int	 rc;

	if (smtp_send_check(c, tx, err) == -1)
		return -1;
	if (c->caps.flags & SMTP_CAP_PIPELINING)
		rc = smtp_send_pipelined(c, tx, err);
	else
		rc = smtp_send_serial(c, tx, err);
	if (rc == -1 || smtp_send_verdict(c, tx, err) == -1)
		return -1;
	return smtp_send_content(c, tx, msg, len, err);
}

/* Send one message (smtp.h). */
int
smtp_send(const struct smtp_settings *set, const struct smtp_envelope *env,
    const char *msg, size_t len, struct smtp_result *res, struct error *err)
{
	struct smtp_conn	*c = NULL;
	struct smtp_tx		 tx;
	int			 rc = -1;

	error_clear(err);
	smtp_send_init_result(env, res);
	memset(&tx, 0, sizeof tx);
	tx.env = env;
	tx.res = res;
	if (msg == NULL && len > 0)
		return error_set(err, ERR_PARSE, ERR_SCOPE_MESSAGE,
		    "no message to send");
	if (smtp_env_check(env, &tx.info, err) == -1)
		return -1;
	smtp_data_scan(msg, len, &tx.data);
	res->eightbitmime = -1;
	if (smtp_session_open(set, &c, err) == 0) {
		res->eightbitmime = (c->caps.flags & SMTP_CAP_8BITMIME) != 0;
		if (smtp_send_tx(c, &tx, msg, len, err) == 0)
			rc = 0;
	}
	if (c != NULL) {
		res->code = smtp_conn_code(c);
		res->text = smtp_send_text(c);
		smtp_session_quit(c);
		smtp_conn_free(c);
	}
	free(tx.mail_text);
	return rc;
}

/* Free a result. */
void
smtp_result_fini(struct smtp_result *res)
{
	if (res == NULL)
		return;
	for (size_t i = 0; i < res->nrcpt; i++) {
		free(res->rcpt[i].addr);
		free(res->rcpt[i].text);
	}
	free(res->rcpt);
	free(res->text);
	memset(res, 0, sizeof *res);
}
