/*
 * test_smtp_server.c - the scripted SMTP server of the transcript tests
 * (test_smtp_server.h): plain blocking sockets with poll() bounds, one
 * connection, one thread.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "test_smtp_server.h"

#define SRV_FLOOD_MAX	(64u * 1024 * 1024)

/* Wait until fd is ready for events, at most ms; 0 ready, -1 not. */
static int
srv_poll(int fd, short events, int ms)
{
	struct pollfd	 pfd = { fd, events, 0 };
	int		 n;

	do
		n = poll(&pfd, 1, ms);
	while (n == -1 && errno == EINTR);
	return n == 1 ? 0 : -1;
}

/* Read what is there (waiting at most ms) into got; bytes, 0 EOF, -1. */
static ssize_t
srv_read(struct srv *sv, int fd, int ms)
{
	char	 b[65536];
	ssize_t	 n;

	if (srv_poll(fd, POLLIN, ms) == -1)
		return -1;
	n = recv(fd, b, sizeof b, 0);
	if (n > 0)
		buf_add(&sv->got, b, (size_t)n);
	if (n == 0)
		sv->saw_eof = true;
	return n;
}

/* Read until got holds the end marker after off; its end, or -1. */
static ssize_t
srv_read_until(struct srv *sv, int fd, size_t *off, const char *marker)
{
	const char	*hit;
	size_t		 mlen = strlen(marker), start = *off;

	for (;;) {
		if (sv->got.len >= start + mlen) {
			hit = memmem(sv->got.data + start, sv->got.len - start,
			    marker, mlen);
			if (hit != NULL) {
				*off = (size_t)(hit - sv->got.data) + mlen;
				return (ssize_t)*off;
			}
		}
		if (srv_read(sv, fd, SRV_WAIT_MS) <= 0)
			return -1;
	}
}

/* Send all of p; -1 once the client has gone. */
static int
srv_send(int fd, const char *p, size_t len)
{
	ssize_t	 n;

	while (len > 0) {
		if (srv_poll(fd, POLLOUT, SRV_WAIT_MS) == -1)
			return -1;
		if ((n = send(fd, p, len, MSG_NOSIGNAL)) <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Send arg until the client closes or the cap is reached. */
static void
srv_flood(struct srv *sv, int fd, const char *arg)
{
	size_t	 sent = 0, len = strlen(arg);
	char	 sink[4096];

	while (sent < SRV_FLOOD_MAX) {
		if (srv_send(fd, arg, len) == -1)
			return;
		sent += len;
		/* Drop whatever the client says meanwhile. */
		while (srv_poll(fd, POLLIN, 0) == 0) {
			if (recv(fd, sink, sizeof sink, 0) <= 0) {
				sv->saw_eof = true;
				return;
			}
		}
	}
}

/* Sleep ms milliseconds. */
static void
srv_nap(const char *arg)
{
	long		 ms = strtol(arg, NULL, 10);
	struct timespec	 ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) == -1)
		;
}

/* Play the script on the connection. */
static void
srv_play(struct srv *sv, int fd)
{
	const struct srv_step	*st;
	size_t			 off = 0, before;
	int			 i;

	for (i = 0; sv->script[i].op != SRV_END; i++) {
		st = &sv->script[i];
		switch (st->op) {
		case SRV_SEND:
			if (srv_send(fd, st->arg, strlen(st->arg)) == -1)
				snprintf(sv->fail, sizeof sv->fail, "step %d: "
				    "client gone before we sent", i);
			break;
		case SRV_LINE:
		case SRV_DATA:
			before = off;
			if (srv_read_until(sv, fd, &off, st->op == SRV_LINE ?
			    "\n" : "\r\n.\r\n") == -1) {
				snprintf(sv->fail, sizeof sv->fail, "step %d: "
				    "no %s from the client", i, st->op ==
				    SRV_LINE ? "line" : "data");
				return;
			}
			if (st->op == SRV_DATA)
				sv->data_len = off - before;
			break;
		case SRV_SLEEP:
			srv_nap(st->arg);
			break;
		case SRV_CLOSE:
			return;
		case SRV_QUIET:
			before = sv->got.len;
			if (off < before || (srv_read(sv, fd, 100) > 0 &&
			    sv->got.len > before))
				snprintf(sv->fail, sizeof sv->fail, "step %d: "
				    "the client sent more before the replies",
				    i);
			break;
		case SRV_FLOOD:
			srv_flood(sv, fd, st->arg);
			return;
		case SRV_END:
			break;
		}
		if (sv->fail[0] != '\0')
			return;
	}
	/* The end: what else the client says, until it closes. */
	while (srv_read(sv, fd, SRV_WAIT_MS) > 0)
		;
}

/* The thread: accept one connection and play. */
static void *
srv_main(void *arg)
{
	struct srv	*sv = arg;
	int		 fd;

	if (srv_poll(sv->lfd, POLLIN, 2 * SRV_WAIT_MS) == -1 ||
	    (fd = accept(sv->lfd, NULL, NULL)) == -1) {
		snprintf(sv->fail, sizeof sv->fail, "no connection");
		return NULL;
	}
	srv_play(sv, fd);
	close(fd);
	return NULL;
}

/* Listen and start. */
void
srv_start(struct srv *sv, const struct srv_step *script)
{
	struct sockaddr_in	 sin;
	socklen_t		 sl = sizeof sin;

	memset(sv, 0, sizeof *sv);
	buf_init(&sv->got, 0);
	sv->script = script;
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if ((sv->lfd = socket(AF_INET, SOCK_STREAM, 0)) == -1 ||
	    bind(sv->lfd, (struct sockaddr *)&sin, sizeof sin) == -1 ||
	    listen(sv->lfd, 4) == -1 ||
	    getsockname(sv->lfd, (struct sockaddr *)&sin, &sl) == -1) {
		perror("srv_start");
		abort();
	}
	snprintf(sv->port, sizeof sv->port, "%u", ntohs(sin.sin_port));
	if (pthread_create(&sv->tid, NULL, srv_main, sv) != 0)
		abort();
}

/* Wait for the end. */
void
srv_finish(struct srv *sv)
{
	pthread_join(sv->tid, NULL);
	close(sv->lfd);
	sv->lfd = -1;
}

/* Free the recording. */
void
srv_free(struct srv *sv)
{
	buf_fini(&sv->got);
}
