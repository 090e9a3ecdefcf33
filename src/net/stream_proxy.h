/*
 * stream_proxy.h - asking a proxy to connect to the real server: SOCKS4
 * (http://www.openssh.com/txt/socks4.protocol), SOCKS4a
 * (http://www.openssh.com/txt/socks4a.protocol), SOCKS5 (RFC 1928) with
 * username/password authentication (RFC 1929), and HTTP CONNECT (RFC 9110
 * 9.3.6) with Basic authentication (RFC 7617).
 *
 * The handshake runs over a TCP stream connected to the proxy and reads
 * exactly the proxy's reply, never a byte more: what follows belongs to
 * the destination (its greeting, or its TLS handshake).  Each wait is
 * bounded by the stream's timeout and the whole handshake by the
 * timeout_ms given; the wake fd cancels it.  A refusal becomes an error
 * naming the proxy and the reason ("SOCKS5 proxy 127.0.0.1:1080:
 * connection refused by destination").  The password is never logged nor
 * put in an error.
 *
 * The reply parsers below are pure functions over bytes (fuzzed).
 */
#ifndef PETREL_STREAM_PROXY_H
#define PETREL_STREAM_PROXY_H

#include <stddef.h>
#include <stdint.h>

#include "net/stream.h"
#include "util/error.h"

enum stream_proxy_type {
	STREAM_PROXY_NONE = 0,		/* connect directly */
	STREAM_PROXY_SOCKS4,		/* the client resolves (IPv4 only) */
	STREAM_PROXY_SOCKS4A,		/* the proxy resolves */
	STREAM_PROXY_SOCKS5,		/* the proxy resolves names */
	STREAM_PROXY_HTTP		/* HTTP CONNECT */
};

/*
 * A proxy.  Strings are borrowed; whoever filled the struct frees them
 * (the password is a secret: wipe it).  user: the SOCKS4 user id, the
 * SOCKS5 username (then RFC 1929 is offered besides "no authentication"),
 * or the HTTP Basic user; NULL for none.
 */
struct stream_proxy_config {
	enum stream_proxy_type	 type;
	const char		*host;
	const char		*port;
	const char		*user;
	char			*password;	/* secret; NULL: empty */
};

/* Longest HTTP response head read from a proxy. */
#define STREAM_PROXY_HTTP_MAX	16384

/*
 * Over s (connected to the proxy), have the proxy connect to host:port.
 * timeout_ms bounds the whole handshake (<= 0: only each wait is bounded).
 * On success s carries the destination's bytes and its peer name becomes
 * "host:port via TYPE proxy PROXY".  ERR_AUTH for refused credentials,
 * ERR_NET for a refused destination, ERR_PROTOCOL for a malformed reply.
 */
int		 stream_proxy_connect(struct stream *s,
		     const struct stream_proxy_config *, const char *host,
		     const char *port, int timeout_ms, struct error *);
/* "SOCKS5", "HTTP"... */
const char	*stream_proxy_type_name(enum stream_proxy_type);

/*
 * Pure parsers.  Each returns 0 when the reply grants the request, or -1
 * with an error starting with label (e.g. "SOCKS5 proxy 127.0.0.1:1080").
 */
/* The 8-byte SOCKS4/4a reply. */
int		 stream_proxy_socks4_reply(const unsigned char *, size_t,
		     const char *label, struct error *);
/* The SOCKS5 method choice (2 bytes); *method is the method chosen. */
int		 stream_proxy_socks5_method(const unsigned char *, size_t,
		     const char *label, int *method, struct error *);
/* The RFC 1929 status reply (2 bytes). */
int		 stream_proxy_socks5_auth(const unsigned char *, size_t,
		     const char *label, struct error *);
/*
 * The length of a SOCKS5 CONNECT reply from its first 5 bytes (the address
 * type and, for a name, its length), or -1 if they are malformed.
 */
int		 stream_proxy_socks5_reply_len(const unsigned char *, size_t,
		     const char *label, struct error *);
/* A whole SOCKS5 CONNECT reply. */
int		 stream_proxy_socks5_reply(const unsigned char *, size_t,
		     const char *label, struct error *);
/*
 * Where an HTTP response head ends in (p, n): the length including the
 * blank line, or 0 if it has not ended yet.
 */
size_t		 stream_proxy_http_head_len(const char *, size_t);
/*
 * An HTTP response head: a 2xx status grants the tunnel, anything else is
 * an error carrying the status code and reason phrase (printable ASCII,
 * bounded).
 */
int		 stream_proxy_http_reply(const char *, size_t,
		     const char *label, struct error *);

#endif
