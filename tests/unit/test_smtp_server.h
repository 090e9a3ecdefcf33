/*
 * test_smtp_server.h - a scripted SMTP server on 127.0.0.1 for transcript
 * tests of src/net/smtp_*.c: a thread accepts one connection and plays a
 * script (send these bytes, read a line, read the message data, wait,
 * close, flood), recording every byte the client sent so that a test can
 * compare it exactly with what the client should have written (curl's
 * tests/data/test800 is the model).
 *
 * A step that waits for the client waits at most SRV_WAIT_MS; if the
 * client does not send what the script expects in time (it waited for
 * a reply instead of pipelining, say), the step fails, srv.fail says
 * which, and the server closes the connection.
 */
#ifndef PETREL_TEST_SMTP_SERVER_H
#define PETREL_TEST_SMTP_SERVER_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

#include "util/buf.h"

#define SRV_WAIT_MS	5000

/* Script steps (arg as the op says). */
enum srv_op {
	SRV_END = 0,	/* the end: read until the client closes */
	SRV_SEND,	/* send arg */
	SRV_LINE,	/* read one line (to LF) */
	SRV_DATA,	/* read message data to "\r\n.\r\n" */
	SRV_SLEEP,	/* wait arg milliseconds ("300") */
	SRV_CLOSE,	/* close the connection at once */
	SRV_FLOOD,	/* send arg again and again until the client
			   closes (or 64 MB went out) */
	SRV_QUIET	/* fail if the client sends anything within
			   100 ms beyond what was read (it should be
			   waiting for replies now) */
};

struct srv_step {
	enum srv_op	 op;
	const char	*arg;
};

struct srv {
	int			 lfd;
	char			 port[8];
	pthread_t		 tid;
	const struct srv_step	*script;
	struct buf		 got;		/* what the client sent */
	size_t			 data_len;	/* bytes SRV_DATA read */
	char			 fail[256];	/* "" or what went wrong */
	bool			 saw_eof;	/* the client closed */
};

/* Listen on a free port and start playing script (in a thread). */
void	 srv_start(struct srv *, const struct srv_step *script);
/* Wait for the thread to end; what the client sent stays in got. */
void	 srv_finish(struct srv *);
/* Free what srv holds. */
void	 srv_free(struct srv *);

#endif
