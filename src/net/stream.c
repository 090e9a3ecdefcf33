/*
 * stream.c - the generic stream calls and the bounded wait all layers use.
 *
 * Dispatches to the top layer's ops.  stream_wait() is where every blocking
 * network wait in petrel happens: poll() on the socket and the wake fd,
 * bounded by the stream timeout.
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <time.h>

#include "net/stream.h"
#include "util/xmalloc.h"

static int64_t
stream_now_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Wait for fd to become ready, bounded and interruptible. */
int
stream_wait(int fd, short events, int timeout_ms, int wake_fd,
    const char *peer, struct error *err)
{
	struct pollfd	pfd[2];
	nfds_t		nfds = 1;
	int64_t		deadline = 0, left;
	int		n;

	if (timeout_ms > 0)
		deadline = stream_now_ms() + timeout_ms;
	for (;;) {
		pfd[0].fd = fd;
		pfd[0].events = events;
		pfd[0].revents = 0;
		if (wake_fd != -1) {
			pfd[1].fd = wake_fd;
			pfd[1].events = POLLIN;
			pfd[1].revents = 0;
			nfds = 2;
		}
		left = -1;
		if (timeout_ms > 0) {
			left = deadline - stream_now_ms();
			if (left <= 0)
				break;
		}
		n = poll(pfd, nfds, (int)left);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			return error_sys(err, ERR_SCOPE_ACCOUNT, errno,
			    "%s: poll", peer ? peer : "?");
		}
		if (nfds == 2 && (pfd[1].revents & POLLIN))
			return error_set(err, ERR_CANCELLED, ERR_SCOPE_OP,
			    "%s: interrupted", peer ? peer : "?");
		if (n > 0 && pfd[0].revents != 0)
			return 0;
	}
	return error_set(err, ERR_TIMEOUT, ERR_SCOPE_ACCOUNT,
	    "%s: timed out after %d s", peer ? peer : "?",
	    (timeout_ms + 999) / 1000);
}

/* Read from the top layer. */
ssize_t
stream_read(struct stream *s, void *p, size_t n, struct error *err)
{
	return s->ops->read(s, p, n, err);
}

/* Write all of p to the top layer. */
int
stream_write_all(struct stream *s, const void *p, size_t n,
    struct error *err)
{
	const char	*c = p;
	ssize_t		 w;

	while (n > 0) {
		if ((w = s->ops->write(s, c, n, err)) == -1)
			return -1;
		c += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Bytes buffered inside the layers. */
size_t
stream_pending(struct stream *s)
{
	return s->ops->pending != NULL ? s->ops->pending(s) : 0;
}

/* Set the timeout of every layer. */
void
stream_set_timeout(struct stream *s, int timeout_ms)
{
	for (; s != NULL; s = s->lower)
		s->timeout_ms = timeout_ms;
}

/* Whether a TLS layer is in the stack. */
bool
stream_is_tls(const struct stream *s)
{
	for (; s != NULL; s = s->lower) {
		if (s->ops->name[0] == 't' && s->ops->name[1] == 'l')
			return true;
	}
	return false;
}

/* Rename the peer of every layer (after a proxy: the destination). */
void
stream_set_peer(struct stream *s, const char *peer)
{
	for (; s != NULL; s = s->lower) {
		free(s->peer);
		s->peer = xstrdup(peer);
	}
}

/* Free the stack, top first. */
void
stream_free(struct stream *s)
{
	if (s != NULL)
		s->ops->free(s);
}
