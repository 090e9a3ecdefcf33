/*
 * cmd_send.c - `petrel send [-a ACCOUNT] [-t] [-f ADDR] [ADDR...] <
 * message`: sendmail-compatible sending through the outbox.
 *
 * The message goes into the cache's outbox before anything is sent, then
 * to the account's SMTP server (or sendmail_command); the exit status is
 * 0 only once the server accepted it.  Otherwise it stays queued (the UI
 * retries it, or shows the error) and the error is printed.  -i and -oi
 * are accepted and ignored: a lone "." never ends the input here.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cache/cache.h"
#include "cmd.h"
#include "core/account.h"
#include "send/outbox.h"
#include "util/buf.h"
#include "util/sanitize.h"

/* The options after "send". */
struct cmd_send_opts {
	const char	*account;
	const char	*env_from;
	bool		 take_rcpts;
	char		**addrs;
	size_t		 naddrs;
};

/* Print one error line on stderr, sanitised. */
static void
cmd_send_error(const char *account, const char *what, const char *msg)
{
	char	*line;

	line = sanitize_line_dup(msg);
	fprintf(stderr, "petrel: [%s] %s%s\n", account, what, line);
	free(line);
}

/* Parse the options; -1 on a usage error. */
static int
cmd_send_args(int argc, char **argv, struct cmd_send_opts *o)
{
	int	i;

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "--") == 0) {
			i++;
			break;
		}
		if (strcmp(argv[i], "-t") == 0)
			o->take_rcpts = true;
		else if (strcmp(argv[i], "-i") == 0 ||
		    strcmp(argv[i], "-oi") == 0)
			continue;
		else if ((strcmp(argv[i], "-a") == 0 ||
		    strcmp(argv[i], "-f") == 0) && i + 1 < argc) {
			*(argv[i][1] == 'a' ? &o->account : &o->env_from) =
			    argv[i + 1];
			i++;
		} else {
			fprintf(stderr, "petrel send: unknown option '%s'\n",
			    argv[i]);
			return -1;
		}
	}
	o->addrs = argv + i;
	o->naddrs = (size_t)(argc - i);
	return 0;
}

/* Read standard input, bounded. */
static int
cmd_send_read(struct buf *b)
{
	char	chunk[65536];
	size_t	n;

	while ((n = fread(chunk, 1, sizeof chunk, stdin)) > 0) {
		if (buf_add(b, chunk, n) == -1)
			break;
	}
	if (ferror(stdin) || b->too_big) {
		fprintf(stderr, "petrel send: %s\n", b->too_big ?
		    "the message is too large" : "cannot read the message");
		return -1;
	}
	return 0;
}

/* Queue the prepared message and send it; the exit status. */
static int
cmd_send_run(const struct config_account *a, struct outbox_prepared *p,
    const char *cache_path)
{
	struct outbox_item	 it;
	struct cache		*c;
	struct account		*acct;
	struct error		 err;
	int64_t			 id;
	int			 rc = 1;

	if ((c = cache_open(cache_path, &err)) == NULL) {
		cmd_send_error(a->name, "not sent: ", err.msg);
		return 1;
	}
	memset(&it, 0, sizeof it);
	it.raw = p->msg.data;
	it.len = p->msg.len;
	it.env_from = p->env_from;
	it.rcpt = (const char *const *)p->rcpt;
	it.nrcpt = p->nrcpt;
	it.subject = p->subject;
	it.to_line = p->to_line;
	if (outbox_queue(c, a, &it, &id, &err) == -1)
		cmd_send_error(a->name, "not sent: ", err.msg);
	else if (outbox_send(c, a, id, NULL, -1, &err) == -1)
		cmd_send_error(a->name, "not sent (kept in the outbox): ",
		    err.msg);
	else {
		rc = 0;
		if (a->send.save_sent && (acct = account_new(a, c, -1,
		    &err)) != NULL) {
			if (outbox_save_sent(c, acct, id, &err) == -1)
				cmd_send_error(a->name, "sent; the copy in Sent "
				    "waits for a later try: ", err.msg);
			account_free(acct);
		} else if (a->send.save_sent)
			cmd_send_error(a->name, "sent; no copy in Sent: ",
			    err.msg);
	}
	cache_close(c);
	return rc;
}

/* petrel send (cmd.h). */
int
cmd_send(const struct config *cfg, const char *account, int argc,
    char **argv, const char *cache_path)
{
	struct cmd_send_opts		 o;
	const struct config_account	*a;
	struct outbox_prepared		 p;
	struct error			 err;
	struct buf			 in;
	int				 rc = 1;

	memset(&o, 0, sizeof o);
	o.account = account;
	if (cmd_send_args(argc, argv, &o) == -1)
		return 2;
	if ((a = config_account_find(cfg, o.account)) == NULL) {
		fprintf(stderr, "petrel send: no account '%s'\n",
		    o.account != NULL ? o.account : "(default)");
		return 2;
	}
	buf_init(&in, CACHE_OUTBOX_MAX);
	if (cmd_send_read(&in) == -1)
		goto out;
	if (outbox_prepare(in.data != NULL ? in.data : "", in.len, a,
	    o.take_rcpts, (const char *const *)o.addrs, o.naddrs, o.env_from,
	    &p, &err) == -1) {
		cmd_send_error(a->name, "not sent: ", err.msg);
		goto out;
	}
	rc = cmd_send_run(a, &p, cache_path);
	outbox_prepared_fini(&p);
out:
	buf_fini(&in);
	return rc;
}
