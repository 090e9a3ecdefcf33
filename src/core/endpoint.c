/*
 * endpoint.c - config_account -> transport_endpoint (endpoint.h).
 *
 * Owns the defaults that depend on the protocol (ports) and the mapping of
 * the config's enums onto the net layer's.  The proxy password is fetched
 * with the same code as an account's (config_account_password: a bounded
 * password_command, output wiped), through a stand-in account that holds
 * only the proxy's secret settings; it is never logged.
 */
#include <stdlib.h>
#include <string.h>

#include "core/endpoint.h"
#include "util/xmalloc.h"

/* Default ports per driver: implicit TLS, then plain/STARTTLS. */
static const struct {
	const char	*driver;
	const char	*tls_port;
	const char	*plain_port;
} endpoint_ports[] = {
	{ "imap", "993", "143" },
	{ "pop3", "995", "110" },
	{ "smtp", "465", "587" },
};

/* The account's port, or its driver's default; NULL if unknown. */
static const char *
endpoint_port(const struct config_account *a)
{
	size_t	i;

	if (a->port != NULL)
		return a->port;
	for (i = 0; i < sizeof endpoint_ports / sizeof *endpoint_ports; i++) {
		if (a->driver != NULL &&
		    strcmp(a->driver, endpoint_ports[i].driver) == 0)
			return a->security == CONFIG_SEC_IMPLICIT ||
			    a->security == CONFIG_SEC_AUTO ?
			    endpoint_ports[i].tls_port :
			    endpoint_ports[i].plain_port;
	}
	return NULL;
}

/* The proxy's password through config_account_password; NULL if none. */
static int
endpoint_proxy_password(const struct config_account *a,
    const struct config_proxy *p, char **out, struct error *err)
{
	struct config_account	 stand_in;
	const char		*tail;
	char			*msg;

	*out = NULL;
	if (p->password == NULL && p->password_command == NULL)
		return 0;
	memset(&stand_in, 0, sizeof stand_in);
	stand_in.name = p->name;
	stand_in.password = p->password;
	stand_in.password_command = p->password_command;
	stand_in.timeout_ms = a->timeout_ms;
	if ((*out = config_account_password(&stand_in, err)) != NULL)
		return 0;
	/* Its messages say "[account NAME] ..."; this is a proxy. */
	tail = strstr(err->msg, "] ");
	msg = xasprintf("[proxy %s] %s", p->name, tail != NULL ? tail + 2 :
	    err->msg);
	error_set(err, err->code, ERR_SCOPE_ACCOUNT, "%s", msg);
	free(msg);
	return -1;
}

/* Map the [proxy] profile. */
static int
endpoint_proxy(const struct config_account *a, struct stream_proxy_config *pc,
    struct error *err)
{
	const struct config_proxy	*p = a->proxy;

	memset(pc, 0, sizeof *pc);
	if (p == NULL)
		return 0;
	switch (p->type) {
	case CONFIG_PROXY_SOCKS4:
		pc->type = STREAM_PROXY_SOCKS4;
		break;
	case CONFIG_PROXY_SOCKS4A:
		pc->type = STREAM_PROXY_SOCKS4A;
		break;
	case CONFIG_PROXY_SOCKS5:
		pc->type = STREAM_PROXY_SOCKS5;
		break;
	case CONFIG_PROXY_HTTP:
		pc->type = STREAM_PROXY_HTTP;
		break;
	default:
		return error_set(err, ERR_CONFIG, ERR_SCOPE_ACCOUNT,
		    "[proxy %s]: unknown type", p->name);
	}
	pc->host = p->host;
	pc->port = p->port;
	pc->user = p->user;
	return endpoint_proxy_password(a, p, &pc->password, err);
}

/* Fill the endpoint of an account (see endpoint.h). */
int
endpoint_from_account(const struct config_account *a, int wake_fd,
    struct transport_endpoint *ep, struct error *err)
{
	const struct config_tls	*t = &a->tls;

	memset(ep, 0, sizeof *ep);
	ep->host = a->host;
	if ((ep->port = endpoint_port(a)) == NULL)
		return error_set(err, ERR_CONFIG, ERR_SCOPE_ACCOUNT,
		    "[account %s] needs a port (driver %s has no default)",
		    a->name, a->driver != NULL ? a->driver : "?");
	/* auto starts with implicit TLS; the driver falls back itself. */
	ep->security = a->security == CONFIG_SEC_IMPLICIT ||
	    a->security == CONFIG_SEC_AUTO ? TRANSPORT_IMPLICIT_TLS :
	    TRANSPORT_PLAIN;
	ep->connect_timeout_ms = a->connect_timeout_ms;
	ep->timeout_ms = a->timeout_ms;
	ep->wake_fd = wake_fd;
	ep->tls.ca_file = t->ca_file != NULL ? t->ca_file : a->tls_ca_file;
	ep->tls.verify = true;
	ep->tls.ca_dir = t->ca_dir;
	ep->tls.min_version = t->min_version;
	ep->tls.max_version = t->max_version;
	ep->tls.strict = t->strict;
	ep->tls.ciphers = t->ciphers;
	ep->tls.ciphersuites = t->ciphersuites;
	ep->tls.cert_file = t->cert_file;
	ep->tls.key_file = t->key_file;
	ep->tls.fingerprint = t->fingerprint;
	return endpoint_proxy(a, &ep->proxy, err);
}

/* Release the proxy password. */
void
endpoint_fini(struct transport_endpoint *ep)
{
	xfree_secret(ep->proxy.password);
	ep->proxy.password = NULL;
}
