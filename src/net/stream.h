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
 * A proxy (stream_proxy.h) is not a layer: its handshake runs over the TCP
 * stream, after which the bytes are the destination's; transport.h puts
 * TCP, proxy and TLS together.
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

/*
 * TLS settings.  All pointers are borrowed for the duration of
 * stream_tls_start.  Zero/NULL fields mean the default, so the first two
 * fields may be initialised alone.
 *
 * Versions are 10, 11, 12, 13 (TLS 1.0 .. 1.3); min 0 means 1.2, max 0
 * means the highest OpenSSL can do.  A version this OpenSSL cannot do is
 * moved to the nearest one it can, with a warning in the log; with strict
 * it is an error (stream_tls_clamp has the rules).  "Cannot do" means:
 * compiled out, outside the range the OpenSSL configuration sets for every
 * program (MinProtocol / MaxProtocol in the system_default section of
 * openssl.cnf, or of the file OPENSSL_CONF names), or refused at the
 * security level the connection uses.
 * Asking for min 1.0 or 1.1 explicitly lowers OpenSSL's security level to
 * 0 for this connection (OpenSSL 3 refuses TLS < 1.2 at any higher level;
 * level 0 also accepts short keys and SHA-1 signatures).
 *
 * Verification: with verify, the chain must lead to ca_file/ca_dir (both
 * NULL: the system store) and the certificate must name the host.
 * fingerprint ("sha256:AB:CD:...", 32 bytes, colons and case ignored) pins
 * the server's own (leaf) certificate: when set, a leaf with that
 * fingerprint is accepted even if its chain or name does not verify (a
 * self-signed certificate), and a leaf with any other fingerprint is
 * refused even if it verifies.  Only the leaf is compared: a new
 * certificate (renewal) means a new pin.
 */
struct stream_tls_config {
	const char	*ca_file;	/* NULL: the system store */
	bool		 verify;	/* default true */
	const char	*ca_dir;	/* hashed CA directory */
	int		 min_version;	/* 10..13; 0: 12 */
	int		 max_version;	/* 10..13; 0: highest */
	bool		 strict;	/* unsupported version: error */
	const char	*ciphers;	/* TLS <= 1.2 list (OpenSSL syntax) */
	const char	*ciphersuites;	/* TLS 1.3 suites */
	const char	*cert_file;	/* client certificate chain (PEM) */
	const char	*key_file;	/* its key (PEM); NULL: in cert_file */
	const char	*fingerprint;	/* "sha256:..." pin of the leaf */
};

/*
 * Connect to host:port (every address getaddrinfo returns, in turn), each
 * attempt bounded by connect_timeout_ms.
 */
struct stream	*stream_tcp_connect(const char *host, const char *port,
		     int connect_timeout_ms, int wake_fd, struct error *);
/*
 * Wrap a connected socket (or one end of a socketpair, in tests) as the
 * bottom layer; it is made non-blocking and closed by stream_free.
 */
struct stream	*stream_tcp_from_fd(int fd, const char *peer, int timeout_ms,
		     int wake_fd);
/* Replace the name errors use for s and the layers below it. */
void		 stream_set_peer(struct stream *, const char *peer);
/*
 * Run a TLS client handshake over *s and replace *s with the TLS stream on
 * success.  Verifies the certificate chain and the host name unless
 * verify is false; a failure names the reason and the certificate's SHA-256
 * fingerprint.  Errors: ERR_TLS_VERIFY when the server certificate failed
 * verification or the pin, ERR_CONFIG for the account's unusable settings
 * or files (CA, client certificate or key), ERR_TLS for any other failed
 * handshake, or the stream's ERR_TIMEOUT / ERR_CANCELLED / ERR_NET.  On
 * failure *s is left as it was (the caller frees it).
 */
int		 stream_tls_start(struct stream **s, const char *host,
		     const struct stream_tls_config *, struct error *);
/* Whether s is (or sits on) a TLS layer. */
bool		 stream_is_tls(const struct stream *);
/*
 * The negotiated protocol version ("TLSv1.3") of the TLS layer in s, or
 * NULL if there is none.  Borrowed: valid while s lives.
 */
const char	*stream_tls_version(const struct stream *);
/*
 * The version range a config yields with this OpenSSL (10..13 each),
 * after moving versions it cannot do (logged as a warning); what
 * stream_tls_start applies.  -1 with an ERR_CONFIG error if strict and a
 * version is unavailable, if a version is not 10..13, or if min > max; with
 * ERR_TLS if no version in the range is available.
 */
int		 stream_tls_versions(const struct stream_tls_config *,
		     int *min, int *max, struct error *);

/* Version v (10..13) as a member of a set of TLS versions. */
#define STREAM_TLS_BIT(v)	(1u << ((unsigned)(v) - 10u))

/* What stream_tls_clamp decided. */
struct stream_tls_range {
	int	 min;		/* 10..13 */
	int	 max;		/* 10..13, at least min */
	char	 warning[512];	/* the versions moved, for the log; or "" */
};

/*
 * The version decision alone (pure: no OpenSSL, no log).  can is the set
 * of versions this OpenSSL can do here (STREAM_TLS_BIT each); cfg's
 * min_version, max_version and strict are the account's wishes.  A version
 * the account names that is not in can moves to the nearest one that is
 * (a higher one first), and out->warning says so; with strict that is an
 * ERR_CONFIG error instead.  Defaults move silently: max 0 is the highest
 * in can, min 0 the lowest in can from 1.2 (or from max, if max < 1.2)
 * up; ERR_TLS if there is none.  Other errors as stream_tls_versions.
 */
int		 stream_tls_clamp(unsigned can,
		     const struct stream_tls_config *,
		     struct stream_tls_range *out, struct error *);
/*
 * Whether a "sha256:..." pin matches a fingerprint as stream_tls prints it
 * (case and colons ignored; both must hold 32 bytes).
 */
bool		 stream_tls_pin_match(const char *pin, const char *fingerprint);
/*
 * Write the "sha256:AB:CD:..." fingerprint of an OpenSSL X509 (void *: this
 * header needs no OpenSSL) as errors and pins show it.
 */
void		 stream_tls_fingerprint(void *x509, char *out, size_t size);

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
