/*
 * transport_policy.c - what every protocol's connect shares besides the
 * stream stack: the bound on one attempt of security = auto, when a
 * failed implicit-TLS attempt is worth a STARTTLS one, and the order of
 * the two attempts.  No I/O of its own (the attempts are the caller's),
 * so the drivers' scripted-stream tests link it without the real streams.
 */
#include <string.h>

#include "net/transport.h"
#include "util/log.h"

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

/* Implicit TLS, then STARTTLS (transport.h). */
int
transport_auto(const char *area, const char *host, const char *port,
    const char *tls_port, const char *plain_port, const char *starttls,
    int (*attempt)(void *, bool, const char *, struct error *), void *arg,
    struct error *err)
{
	const char	*port1 = port != NULL ? port : tls_port;
	const char	*port2;
	struct error	 first, second;

	if (attempt(arg, false, port1, err) == 0)
		return 0;
	if (!transport_retry_starttls(err))
		return -1;
	first = *err;
	port2 = strcmp(port1, tls_port) == 0 ? plain_port : port1;
	log_info(area, "%s: implicit TLS on port %s failed (%s); trying %s "
	    "on port %s", host, port1, first.msg, starttls, port2);
	if (attempt(arg, true, port2, err) == 0)
		return 0;
	if (err->code == ERR_CANCELLED)
		return -1;
	second = *err;
	return error_set(err, second.code, ERR_SCOPE_ACCOUNT,
	    "security = auto: implicit TLS on port %s failed (%s), and %s on "
	    "port %s failed (%s)", port1, first.msg, starttls, port2,
	    second.msg);
}
