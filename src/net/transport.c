/*
 * transport.c - TCP, then a proxy handshake, then implicit TLS: the one
 * way every protocol driver gets a connection (transport.h).
 *
 * Owns only the order of the steps and their timeouts; the layers do the
 * work (stream_tcp.c, stream_proxy.c, stream_tls.c).  It never reads the
 * server's bytes itself.
 */
#include <stdlib.h>

#include "net/transport.h"
#include "util/log.h"

/* Connect as the endpoint says (see transport.h). */
struct stream *
transport_connect(const struct transport_endpoint *ep, struct error *err)
{
	const struct stream_proxy_config *pc = &ep->proxy;
	struct stream	*s;
	bool		 proxied = pc->type != STREAM_PROXY_NONE;

	if (ep->host == NULL || ep->port == NULL) {
		error_set(err, ERR_CONFIG, ERR_SCOPE_ACCOUNT,
		    "no host or port to connect to");
		return NULL;
	}
	if (proxied && (pc->host == NULL || pc->port == NULL)) {
		error_set(err, ERR_CONFIG, ERR_SCOPE_ACCOUNT,
		    "%s proxy without host or port",
		    stream_proxy_type_name(pc->type));
		return NULL;
	}
	s = stream_tcp_connect(proxied ? pc->host : ep->host,
	    proxied ? pc->port : ep->port, ep->connect_timeout_ms, ep->wake_fd,
	    err);
	if (s == NULL) {
		if (proxied && err->code != ERR_CANCELLED)
			error_prefix(err, "%s proxy",
			    stream_proxy_type_name(pc->type));
		return NULL;
	}
	if (proxied) {
		stream_set_timeout(s, ep->connect_timeout_ms);
		if (stream_proxy_connect(s, pc, ep->host, ep->port,
		    ep->connect_timeout_ms, err) == -1)
			goto fail;
	}
	stream_set_timeout(s, ep->timeout_ms);
	if (ep->security == TRANSPORT_IMPLICIT_TLS) {
		if (stream_tls_start(&s, ep->host, &ep->tls, err) == -1)
			goto fail;
		log_info("tls", "%s: %s", s->peer, stream_tls_version(s));
	}
	return s;
fail:
	stream_free(s);
	return NULL;
}
