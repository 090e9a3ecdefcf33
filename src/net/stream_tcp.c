/*
 * stream_tcp.c - the bottom layer: a TCP socket with bounded waits.
 *
 * Connecting tries each address getaddrinfo returns, non-blocking, each
 * attempt bounded by the connect timeout and cut short by the wake fd.
 * The socket stays non-blocking; reads and writes wait in stream_wait().
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "net/stream.h"
#include "util/log.h"
#include "util/xmalloc.h"

static ssize_t
stream_tcp_read(struct stream *s, void *p, size_t n, struct error *err)
{
	ssize_t	r;

	for (;;) {
		r = recv(s->fd, p, n, 0);
		if (r >= 0)
			return r;
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN && errno != EWOULDBLOCK)
			return error_sys(err, ERR_SCOPE_ACCOUNT, errno,
			    "%s: read", s->peer);
		if (stream_wait(s->fd, POLLIN, s->timeout_ms, s->wake_fd,
		    s->peer, err) == -1)
			return -1;
	}
}

static ssize_t
stream_tcp_write(struct stream *s, const void *p, size_t n,
    struct error *err)
{
	ssize_t	w;

	for (;;) {
		w = send(s->fd, p, n, MSG_NOSIGNAL);
		if (w >= 0)
			return w;
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN && errno != EWOULDBLOCK)
			return error_sys(err, ERR_SCOPE_ACCOUNT, errno,
			    "%s: write", s->peer);
		if (stream_wait(s->fd, POLLOUT, s->timeout_ms, s->wake_fd,
		    s->peer, err) == -1)
			return -1;
	}
}

static void
stream_tcp_free(struct stream *s)
{
	if (s->fd != -1)
		close(s->fd);
	free(s->peer);
	free(s);
}

static const struct stream_ops stream_tcp_ops = {
	.name = "tcp",
	.read = stream_tcp_read,
	.write = stream_tcp_write,
	.pending = NULL,
	.free = stream_tcp_free,
};

/* One non-blocking connect attempt, bounded; returns the fd or -1. */
static int
stream_tcp_try(const struct addrinfo *ai, int timeout_ms, int wake_fd,
    const char *peer, struct error *err)
{
	int		fd, soerr = 0, one = 1;
	socklen_t	len = sizeof soerr;
	char		ebuf[128];

	fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, ai->ai_protocol);
	if (fd == -1)
		return error_sys(err, ERR_SCOPE_ACCOUNT, errno,
		    "%s: socket", peer);
	if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
		goto out;
	if (errno != EINPROGRESS) {
		error_set(err, ERR_NET, ERR_SCOPE_ACCOUNT, "connect to %s: %s",
		    peer, error_strerror(errno, ebuf, sizeof ebuf));
		close(fd);
		return -1;
	}
	if (stream_wait(fd, POLLOUT, timeout_ms, wake_fd, peer, err) == -1) {
		if (err->code == ERR_TIMEOUT)
			error_set(err, ERR_TIMEOUT, ERR_SCOPE_ACCOUNT,
			    "connect to %s: timed out after %d s", peer,
			    (timeout_ms + 999) / 1000);
		close(fd);
		return -1;
	}
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &len) == -1)
		soerr = errno;
	if (soerr != 0) {
		error_set(err, ERR_NET, ERR_SCOPE_ACCOUNT, "connect to %s: %s",
		    peer, error_strerror(soerr, ebuf, sizeof ebuf));
		close(fd);
		return -1;
	}
out:
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	return fd;
}

/* Connect to host:port, trying each resolved address in turn. */
struct stream *
stream_tcp_connect(const char *host, const char *port, int timeout_ms,
    int wake_fd, struct error *err)
{
	struct addrinfo	 hints, *res = NULL, *ai;
	struct stream	*s;
	char		*peer;
	int		 fd = -1, rc;

	peer = xasprintf("%s:%s", host, port);
	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_ADDRCONFIG;
	rc = getaddrinfo(host, port, &hints, &res);
	if (rc != 0) {
		error_set(err, ERR_NET, ERR_SCOPE_ACCOUNT,
		    "cannot resolve %s: %s", peer, gai_strerror(rc));
		free(peer);
		return NULL;
	}
	for (ai = res; ai != NULL && fd == -1; ai = ai->ai_next) {
		fd = stream_tcp_try(ai, timeout_ms, wake_fd, peer, err);
		if (fd == -1 && err->code == ERR_CANCELLED)
			break;
	}
	freeaddrinfo(res);
	if (fd == -1) {
		free(peer);
		return NULL;
	}
	log_debug("net", "connected to %s", peer);
	s = stream_tcp_from_fd(fd, peer, timeout_ms, wake_fd);
	free(peer);
	return s;
}

/* Wrap a connected socket as a TCP stream. */
struct stream *
stream_tcp_from_fd(int fd, const char *peer, int timeout_ms, int wake_fd)
{
	struct stream	*s;
	int		 fl;

	if ((fl = fcntl(fd, F_GETFL)) != -1 && !(fl & O_NONBLOCK))
		fcntl(fd, F_SETFL, fl | O_NONBLOCK);
	s = xcalloc(1, sizeof *s);
	s->ops = &stream_tcp_ops;
	s->lower = NULL;
	s->fd = fd;
	s->timeout_ms = timeout_ms;
	s->wake_fd = wake_fd;
	s->peer = xstrdup(peer);
	return s;
}
