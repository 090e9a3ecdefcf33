/*
 * endpoint.h - an account's connection settings (core/config.h) turned into
 * what the net layer connects to (net/transport.h).
 *
 * The net layer does not know the config; this is the one place that maps
 * security, ports, timeouts, TLS options and the [proxy NAME] profile onto
 * a struct transport_endpoint.  Runs in the account's worker thread (it
 * may run the proxy's password_command).
 */
#ifndef PETREL_ENDPOINT_H
#define PETREL_ENDPOINT_H

#include "core/config.h"
#include "net/transport.h"
#include "util/error.h"

/*
 * Fill *ep for account a.  ep borrows a's strings (a must outlive it),
 * except the proxy password, which is fetched now (password or
 * password_command of the [proxy]) and owned by ep: release it with
 * endpoint_fini.  security starttls and none give TRANSPORT_PLAIN (the
 * protocol does STARTTLS).  A missing port gets the driver's default
 * (imap 993/143, pop3 995/110, smtp 465/587).  -1 with err on failure
 * (nothing to free then).
 */
int	 endpoint_from_account(const struct config_account *a, int wake_fd,
	     struct transport_endpoint *ep, struct error *err);
/* Wipe and free what endpoint_from_account allocated; ep may be reused. */
void	 endpoint_fini(struct transport_endpoint *ep);

#endif
