/*
 * imap_cmd.c - commands that carry strings: quoted or literal.
 *
 * A command is built as text parts separated by literals (RFC 3501 4.3).
 * A literal is sent non-synchronizing "{n+}" when the server allows it
 * (LITERAL+, or LITERAL- / IMAP4rev2 for n <= 4096, RFC 7888), otherwise
 * "{n}" and then the client waits for the server's "+" continuation
 * before sending the bytes; a tagged NO instead of "+" ends the command.
 * Strings are quoted when they can be (7-bit without CR/LF, or UTF-8 once
 * UTF8=ACCEPT is enabled, RFC 6855 3) and sent as literals otherwise.
 * Literal bytes are traced as their length only.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net/imap_cmd.h"
#include "util/xmalloc.h"

#define IMAP_LITERALMINUS_MAX	4096

/* Start an empty command. */
void
imap_cmd_init(struct imap_cmd *cmd)
{
	memset(cmd, 0, sizeof *cmd);
	buf_init(&cmd->text, 0);
}

/* Free the command's parts (literal data is borrowed). */
void
imap_cmd_fini(struct imap_cmd *cmd)
{
	for (size_t i = 0; i < cmd->n; i++)
		free(cmd->parts[i].text);
	free(cmd->parts);
	buf_fini(&cmd->text);
	memset(cmd, 0, sizeof *cmd);
}

/* Append text to the current part. */
void
imap_cmd_add(struct imap_cmd *cmd, const char *fmt, ...)
{
	va_list	 ap;
	char	*p;
	int	 n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || (p = buf_reserve(&cmd->text, (size_t)n + 1)) == NULL) {
		cmd->text.too_big = true;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	buf_commit(&cmd->text, (size_t)n);
}

/* End the current text part with a literal of (p, len), borrowed. */
void
imap_cmd_literal(struct imap_cmd *cmd, const char *p, size_t len)
{
	struct imap_cmd_part	*part;

	if (cmd->n == cmd->cap) {
		cmd->cap = cmd->cap ? cmd->cap * 2 : 4;
		cmd->parts = xreallocarray(cmd->parts, cmd->cap,
		    sizeof *cmd->parts);
	}
	part = &cmd->parts[cmd->n++];
	part->textlen = cmd->text.len;
	part->text = buf_take(&cmd->text);
	part->lit = p;
	part->litlen = len;
}

/* Append s as a quoted string, or a literal when it cannot be quoted. */
void
imap_cmd_astring(struct imap_conn *c, struct imap_cmd *cmd, const char *s)
{
	bool	 utf8 = (c->enabled & IMAP_CAP_UTF8_ACCEPT) != 0;

	if (strlen(s) <= 1024 && imap_quote8(&cmd->text, s, utf8) == 0)
		return;
	cmd->text.too_big = false;
	imap_cmd_literal(cmd, s, strlen(s));
}

/* Whether a literal of len bytes may be sent without waiting for "+". */
static bool
imap_cmd_nonsync(const struct imap_conn *c, size_t len)
{
	if (c->caps & IMAP_CAP_LITERALPLUS)
		return true;
	return (c->caps & (IMAP_CAP_LITERALMINUS | IMAP_CAP_IMAP4REV2)) &&
	    len <= IMAP_LITERALMINUS_MAX;
}

/* Send the parts after the first line, waiting for "+" where needed. */
static int
imap_cmd_send_rest(struct imap_conn *c, struct imap_cmd *cmd, const char *tag,
    imap_untagged_fn fn, void *arg, struct error *err)
{
	struct imap_cmd_part	*p;
	struct buf		 line;
	char			 trace[48];
	int			 rc = 0;

	buf_init(&line, 0);
	for (size_t i = 0; i < cmd->n && rc == 0; i++) {
		p = &cmd->parts[i];
		if (!imap_cmd_nonsync(c, p->litlen)) {
			rc = imap_conn_await_cont(c, tag, fn, arg, err);
			if (rc == 0)	/* completed without asking */
				rc = error_set(err, ERR_PROTOCOL, ERR_SCOPE_OP,
				    "%s: no continuation for a literal",
				    c->host);
			if (rc == -1)
				break;
			rc = 0;
		}
		snprintf(trace, sizeof trace, "<literal %zu bytes>",
		    p->litlen);
		if ((rc = imap_conn_write(c, p->lit, p->litlen, trace,
		    err)) == -1)
			break;
		buf_reset(&line);
		if (i + 1 < cmd->n) {
			buf_add(&line, cmd->parts[i + 1].text,
			    cmd->parts[i + 1].textlen);
			buf_printf(&line, "{%zu%s}", cmd->parts[i + 1].litlen,
			    imap_cmd_nonsync(c, cmd->parts[i + 1].litlen) ?
			    "+" : "");
		} else
			buf_add(&line, cmd->text.data, cmd->text.len);
		buf_adds(&line, "\r\n");
		rc = imap_conn_write(c, line.data, line.len, NULL, err);
	}
	buf_fini(&line);
	return rc;
}

/* Send the command and read to its completion. */
int
imap_cmd_run(struct imap_conn *c, struct imap_cmd *cmd, imap_untagged_fn fn,
    void *arg, struct error *err)
{
	char	 tag[16];
	int	 rc;

	if (cmd->text.too_big) {
		return error_set(err, ERR_TOOBIG, ERR_SCOPE_OP,
		    "IMAP command too long");
	}
	if (cmd->n == 0)
		rc = imap_conn_submit(c, tag, sizeof tag, err, "%s",
		    buf_str(&cmd->text));
	else
		rc = imap_conn_submit(c, tag, sizeof tag, err, "%.*s{%zu%s}",
		    (int)cmd->parts[0].textlen, cmd->parts[0].text,
		    cmd->parts[0].litlen,
		    imap_cmd_nonsync(c, cmd->parts[0].litlen) ? "+" : "");
	if (rc == -1)
		return -1;
	if (imap_cmd_send_rest(c, cmd, tag, fn, arg, err) == -1) {
		/* The command may still be in flight: read it to its end. */
		if (!c->broken && err->code != ERR_SERVER) {
			struct error	 e2;

			(void)imap_conn_await(c, tag, fn, arg, &e2);
		}
		return -1;
	}
	return imap_conn_await(c, tag, fn, arg, err);
}
