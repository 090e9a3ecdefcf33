/*
 * stream.h - byte streams for protocol drivers: TCP, then TLS on top.
 *
 * A stream is a stack of layers (struct stream_ops, designated
 * initialisers), each owning the one below.  Reads and writes block for at
 * most the stream's timeout and can be cut short through a wake fd (the
 * worker's): a readable wake fd makes the call fail with ERR_CANCELLED, so a
 * queued command never waits for a server's timeout.  Errors are scoped
 * ERR_SCOPE_ACCOUNT: a broken stream means the connection is gone.
 *
 * Streams belong to one thread.  Peers' bytes are not interpreted here.
 */
#ifndef PETREL_STREAM_H
#define PETREL_STREAM_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "util/error.h"

struct stream;

struct stream_ops {
	const char *name;
	/* Read up to n bytes: >0 count, 0 end of stream, -1 error. */
	ssize_t	 (*read)(struct stream *, void *, size_t, struct error *);
	/* Write up to n bytes: >0 count, -1 error. */
	ssize_t	 (*write)(struct stream *, const void *, size_t,
		     struct error *);
	/* Bytes already buffered in this layer (readable without waiting). */
	size_t	 (*pending)(struct stream *);
	void	 (*free)(struct stream *);
};

struct stream {
	const struct stream_ops	*ops;
	struct stream		*lower;		/* NULL for TCP */
	int			 fd;		/* the socket */
	int			 timeout_ms;	/* each wait; <= 0: none */
	int			 wake_fd;	/* -1 if none */
	char			*peer;		/* "host:port" for messages */
};

struct stream_tls_config {
	const char	*ca_file;	/* NULL: the system store */
	bool		 verify;	/* default true */
};

/*
 * Connect to host:port (every address getaddrinfo returns, in turn), each
 * attempt bounded by connect_timeout_ms.
 */
struct stream	*stream_tcp_connect(const char *host, const char *port,
		     int connect_timeout_ms, int wake_fd, struct error *);
/*
 * Run a TLS client handshake over *s and replace *s with the TLS stream on
 * success.  Verifies the certificate chain and the host name unless
 * verify is false; a failure names the reason and the certificate's SHA-256
 * fingerprint.  On failure *s is left as it was (the caller frees it).
 */
int		 stream_tls_start(struct stream **s, const char *host,
		     const struct stream_tls_config *, struct error *);
/* Whether s is (or sits on) a TLS layer. */
bool		 stream_is_tls(const struct stream *);

ssize_t		 stream_read(struct stream *, void *, size_t, struct error *);
/* Write all n bytes or fail. */
int		 stream_write_all(struct stream *, const void *, size_t,
		     struct error *);
size_t		 stream_pending(struct stream *);
/* Set the per-wait timeout of every layer (after connect: the op timeout). */
void		 stream_set_timeout(struct stream *, int timeout_ms);
void		 stream_free(struct stream *);

/*
 * Wait until fd is readable (events POLLIN) or writable (POLLOUT), bounded
 * by timeout_ms and cut short by wake_fd.  0 ready, -1 error (ERR_TIMEOUT,
 * ERR_CANCELLED, ERR_NET).  Layers use it; so may drivers.
 */
int		 stream_wait(int fd, short events, int timeout_ms, int wake_fd,
		     const char *peer, struct error *);

#endif
