/*
 * transport_policy.c - what every protocol's connect shares besides the
 * stream stack: the bound on one attempt of security = auto, and when a
 * failed implicit-TLS attempt is worth a STARTTLS one.  Pure: no I/O, so
 * the drivers' scripted-stream tests link it without the real streams.
 */
#include "net/transport.h"

/* Bound one attempt (transport.h). */
void
transport_bound_attempt(struct transport_endpoint *ep, int ms, bool is_auto)
{
	if (ms <= 0)
		return;
	if (is_auto && (ep->connect_timeout_ms <= 0 ||
	    ep->connect_timeout_ms > ms))
		ep->connect_timeout_ms = ms;
	if (ep->timeout_ms <= 0 || ep->timeout_ms > ms)
		ep->timeout_ms = ms;
}

/* Whether implicit TLS failed in a way STARTTLS might not (transport.h). */
bool
transport_retry_starttls(const struct error *err)
{
	switch (err->code) {
	case ERR_CONFIG:
	case ERR_CANCELLED:
	case ERR_AUTH:
	case ERR_TLS_VERIFY:	/* a certificate failure is an answer */
		return false;
	default:
		return true;
	}
}
