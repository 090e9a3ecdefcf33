/*
 * transport.h - one call that gives a protocol driver (IMAP, POP3, SMTP) a
 * connected stream: TCP to the server or to a proxy, the proxy handshake,
 * then TLS when the endpoint says implicit TLS.
 *
 * STARTTLS is the protocol's business: it reads the greeting on the plain
 * stream, sends its STARTTLS command and then calls
 *	stream_tls_start(&s, ep->host, &ep->tls, err)
 * with the same endpoint.  The net layer knows nothing of the config file:
 * src/core/endpoint.h fills a struct transport_endpoint from an account.
 *
 * Time: the TCP connect (to the server, or to the proxy) is bounded by
 * connect_timeout_ms, and so is the whole proxy handshake (it includes the
 * proxy's own connect to the server); the TLS handshake and every later
 * wait by timeout_ms.  A readable wake_fd cancels any of them
 * (ERR_CANCELLED).  Errors are ERR_SCOPE_ACCOUNT and name what failed.
 * One thread: the caller's.
 */
#ifndef PETREL_TRANSPORT_H
#define PETREL_TRANSPORT_H

#include <stdbool.h>

#include "net/stream.h"
#include "net/stream_proxy.h"
#include "util/error.h"

enum transport_security {
	TRANSPORT_PLAIN = 0,		/* no TLS (or STARTTLS, done later) */
	TRANSPORT_IMPLICIT_TLS		/* TLS from the first byte */
};

/*
 * Where and how to connect.  Every pointer is borrowed for the call; the
 * stream returned keeps copies of what it needs.
 */
struct transport_endpoint {
	const char		*host;		/* the server (name or IP) */
	const char		*port;		/* numeric when proxied */
	enum transport_security	 security;
	int			 connect_timeout_ms;	/* <= 0: none */
	int			 timeout_ms;		/* each wait after */
	int			 wake_fd;		/* -1: none */
	struct stream_tls_config tls;		/* for implicit TLS/STARTTLS */
	struct stream_proxy_config proxy;	/* type NONE: direct */
};

/*
 * Connect as ep says.  Returns the top of the stream stack (TCP, or TLS
 * over TCP), with every layer's timeout set to ep->timeout_ms, or NULL
 * with err filled (nothing is left open).  With a proxy, the stream's
 * peer reads "host:port via SOCKS5 proxy phost:pport" in later messages.
 */
struct stream	*transport_connect(const struct transport_endpoint *ep,
		     struct error *err);

/*
 * Bound one attempt of security = auto (or any greeting) by ms: the TLS
 * handshake and the first read always, the connect too when auto is set
 * (so a port that speaks the other mode cannot stall the fallback).
 */
void		 transport_bound_attempt(struct transport_endpoint *ep, int ms,
		     bool is_auto);
/*
 * Whether an implicit-TLS attempt that failed with err is worth a
 * STARTTLS one (security = auto): not after a configuration, cancel,
 * authentication or certificate failure, which are answers, not a
 * wrong mode.
 */
bool		 transport_retry_starttls(const struct error *err);
/*
 * security = auto, for any protocol: attempt(arg, false, port) with
 * implicit TLS on the configured port (NULL: tls_port); when that failed
 * in a way STARTTLS might not (transport_retry_starttls), attempt(arg,
 * true, port2) on the same port, or on plain_port when the first was
 * tls_port; one error naming both failures.  area names the log area,
 * starttls the protocol's verb ("STARTTLS", "STLS") in messages.
 */
int		 transport_auto(const char *area, const char *host,
		     const char *port, const char *tls_port,
		     const char *plain_port, const char *starttls,
		     int (*attempt)(void *, bool starttls, const char *port,
		     struct error *), void *arg, struct error *err);

#endif
