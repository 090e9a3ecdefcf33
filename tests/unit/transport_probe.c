/*
 * transport_probe.c - a small client for the integration tests: connects
 * through transport_connect (TCP, an optional proxy, optional implicit
 * TLS) and prints the negotiated TLS version and the server's first line,
 * optionally after sending a line; so tests/integration/proxy.sh and
 * tls.sh prove the net layer against real proxies and servers.
 *
 *	transport_probe [--tls] [--ca FILE] [--pin FP] [--tls-min 12]
 *	    [--tls-max 13] [--strict] [--ciphers L] [--ciphersuites L]
 *	    [--proxy TYPE:HOST:PORT] [--proxy-user U] [--timeout MS]
 *	    [--send LINE] HOST PORT
 *
 * The proxy password comes from $PETREL_PROXY_PASSWORD (never argv).
 * Output: "version: TLSv1.3" (or "version: none"), then "line: ..." with
 * bytes outside printable ASCII shown as '?'.  Exit 0, or 1 with
 * "error: CODE: message" on stderr.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net/transport.h"

/* "socks5:127.0.0.1:1080" into the proxy config. */
static int
probe_proxy(char *spec, struct stream_proxy_config *pc)
{
	static const char *const names[] = { "none", "socks4", "socks4a",
	    "socks5", "http" };
	char	*host, *port;
	size_t	 i;

	if ((host = strchr(spec, ':')) == NULL ||
	    (port = strrchr(spec, ':')) == host)
		return -1;
	*host++ = '\0';
	*port++ = '\0';
	for (i = 1; i < sizeof names / sizeof *names; i++) {
		if (strcmp(spec, names[i]) == 0) {
			pc->type = (enum stream_proxy_type)i;
			pc->host = host;
			pc->port = port;
			return 0;
		}
	}
	return -1;
}

/* Parse the options into ep; the index of HOST, or -1. */
static int
probe_args(int argc, char **argv, struct transport_endpoint *ep,
    const char **send)
{
	static const struct option opts[] = {
		{ "tls", no_argument, NULL, 't' },
		{ "ca", required_argument, NULL, 'c' },
		{ "pin", required_argument, NULL, 'p' },
		{ "tls-min", required_argument, NULL, 'm' },
		{ "tls-max", required_argument, NULL, 'M' },
		{ "strict", no_argument, NULL, 'S' },
		{ "ciphers", required_argument, NULL, 'C' },
		{ "ciphersuites", required_argument, NULL, 'U' },
		{ "proxy", required_argument, NULL, 'P' },
		{ "proxy-user", required_argument, NULL, 'u' },
		{ "timeout", required_argument, NULL, 'T' },
		{ "send", required_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 }
	};
	int	c;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 't': ep->security = TRANSPORT_IMPLICIT_TLS; break;
		case 'c': ep->tls.ca_file = optarg; break;
		case 'p': ep->tls.fingerprint = optarg; break;
		case 'm': ep->tls.min_version = (int)strtol(optarg, NULL, 10);
			break;
		case 'M': ep->tls.max_version = (int)strtol(optarg, NULL, 10);
			break;
		case 'S': ep->tls.strict = true; break;
		case 'C': ep->tls.ciphers = optarg; break;
		case 'U': ep->tls.ciphersuites = optarg; break;
		case 'P':
			if (probe_proxy(optarg, &ep->proxy) == -1)
				return -1;
			break;
		case 'u': ep->proxy.user = optarg; break;
		case 'T': ep->timeout_ms = ep->connect_timeout_ms =
			    (int)strtol(optarg, NULL, 10);
			break;
		case 's': *send = optarg; break;
		default: return -1;
		}
	}
	return optind + 2 == argc ? optind : -1;
}

/* Read one line (bounded) and print it, unprintable bytes as '?'. */
static int
probe_line(struct stream *s, struct error *err)
{
	char	line[1024];
	size_t	n = 0, i;
	ssize_t	r;

	while (n < sizeof line && (n == 0 || line[n - 1] != '\n')) {
		if ((r = stream_read(s, line + n, 1, err)) <= 0)
			return r == 0 ? error_set(err, ERR_NET,
			    ERR_SCOPE_ACCOUNT, "connection closed") : -1;
		n++;
	}
	while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		n--;
	for (i = 0; i < n; i++)
		if (line[i] < 0x20 || line[i] > 0x7e)
			line[i] = '?';
	printf("line: %.*s\n", (int)n, line);
	return 0;
}

int
main(int argc, char **argv)
{
	struct transport_endpoint	 ep;
	struct stream			*s;
	struct error			 err;
	const char			*send = NULL, *v;
	int				 i;

	memset(&ep, 0, sizeof ep);
	ep.tls.verify = true;
	ep.wake_fd = -1;
	ep.timeout_ms = ep.connect_timeout_ms = 10000;
	if ((i = probe_args(argc, argv, &ep, &send)) == -1) {
		fprintf(stderr, "usage: see the header of transport_probe.c\n");
		return 2;
	}
	ep.host = argv[i];
	ep.port = argv[i + 1];
	ep.proxy.password = getenv("PETREL_PROXY_PASSWORD");
	error_clear(&err);
	if ((s = transport_connect(&ep, &err)) == NULL)
		goto fail;
	v = stream_tls_version(s);
	printf("version: %s\n", v != NULL ? v : "none");
	if (probe_line(s, &err) == -1)
		goto fail;
	if (send != NULL && (stream_write_all(s, send, strlen(send), &err) ==
	    -1 || stream_write_all(s, "\r\n", 2, &err) == -1 ||
	    probe_line(s, &err) == -1))
		goto fail;
	stream_free(s);
	return 0;
fail:
	fprintf(stderr, "error: %s: %s\n", error_code_name(err.code), err.msg);
	if (s != NULL)
		stream_free(s);
	return 1;
}
