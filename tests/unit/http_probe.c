/*
 * http_probe.c - a small client for the integration tests: GETs a URL
 * through net/http.h with an endpoint built either from options (as
 * transport_probe does) or from an account of a config file (through
 * core/endpoint.h, as the HTTP drivers will), and prints the status, the
 * TLS version and the body's SHA-256; so tests/integration/http.sh proves
 * the libcurl side against real proxies and servers.
 *
 *	http_probe [--config FILE --account NAME] [--plain] [--ca FILE]
 *	    [--ca-dir DIR] [--no-verify] [--pin FP] [--tls-min 12]
 *	    [--tls-max 13] [--strict] [--ciphers L] [--ciphersuites L]
 *	    [--cert FILE] [--key FILE] [--proxy TYPE:HOST:PORT]
 *	    [--proxy-user U] [--timeout MS] [--connect-timeout MS]
 *	    [--header "Name: value"] [--max BYTES] [--wake-after MS]
 *	    [--repeat N] [--log FILE] URL
 *
 * The proxy password comes from $PETREL_PROXY_PASSWORD (never argv), or
 * from the config's [proxy].  --max keeps the body in a buffer of that
 * maximum (http_sink_buf); --wake-after makes the wake fd readable after
 * MS; --repeat GETs N times with the same handle (connections are
 * reused); --log writes the trace (level trace, area http) to FILE.
 * Output: "status: N", "tls: TLSv1.3" (or "none"), "bytes: N",
 * "sha256: hex".  Exit 0, or 1 with "error: CODE: message" on stderr.
 */
#include <getopt.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "core/config.h"
#include "core/endpoint.h"
#include "net/http.h"
#include "util/log.h"

/* What the command line asked for besides the endpoint. */
struct probe {
	const char	*config;
	const char	*account;
	const char	*header;
	const char	*log;
	long		 max;
	int		 repeat;
	int		 wake_after_ms;
	int		 wake[2];
};

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

/* One option into ep or p; -1 if unknown or malformed. */
static int
probe_opt(int c, struct transport_endpoint *ep, struct probe *p)
{
	struct stream_tls_config	*t = &ep->tls;

	switch (c) {
	case 'F': p->config = optarg; break;
	case 'A': p->account = optarg; break;
	case 'n': ep->security = TRANSPORT_PLAIN; break;
	case 'c': t->ca_file = optarg; break;
	case 'D': t->ca_dir = optarg; break;
	case 'V': t->verify = false; break;
	case 'p': t->fingerprint = optarg; break;
	case 'm': t->min_version = (int)strtol(optarg, NULL, 10); break;
	case 'M': t->max_version = (int)strtol(optarg, NULL, 10); break;
	case 'S': t->strict = true; break;
	case 'C': t->ciphers = optarg; break;
	case 'U': t->ciphersuites = optarg; break;
	case 'e': t->cert_file = optarg; break;
	case 'k': t->key_file = optarg; break;
	case 'P': return probe_proxy(optarg, &ep->proxy);
	case 'u': ep->proxy.user = optarg; break;
	case 'T': ep->timeout_ms = (int)strtol(optarg, NULL, 10); break;
	case 'O': ep->connect_timeout_ms = (int)strtol(optarg, NULL, 10);
		break;
	case 'H': p->header = optarg; break;
	case 'x': p->max = strtol(optarg, NULL, 10); break;
	case 'w': p->wake_after_ms = (int)strtol(optarg, NULL, 10); break;
	case 'r': p->repeat = (int)strtol(optarg, NULL, 10); break;
	case 'L': p->log = optarg; break;
	default: return -1;
	}
	return 0;
}

/* Parse the options; the index of URL, or -1. */
static int
probe_args(int argc, char **argv, struct transport_endpoint *ep,
    struct probe *p)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'F' },
		{ "account", required_argument, NULL, 'A' },
		{ "plain", no_argument, NULL, 'n' },
		{ "ca", required_argument, NULL, 'c' },
		{ "ca-dir", required_argument, NULL, 'D' },
		{ "no-verify", no_argument, NULL, 'V' },
		{ "pin", required_argument, NULL, 'p' },
		{ "tls-min", required_argument, NULL, 'm' },
		{ "tls-max", required_argument, NULL, 'M' },
		{ "strict", no_argument, NULL, 'S' },
		{ "ciphers", required_argument, NULL, 'C' },
		{ "ciphersuites", required_argument, NULL, 'U' },
		{ "cert", required_argument, NULL, 'e' },
		{ "key", required_argument, NULL, 'k' },
		{ "proxy", required_argument, NULL, 'P' },
		{ "proxy-user", required_argument, NULL, 'u' },
		{ "timeout", required_argument, NULL, 'T' },
		{ "connect-timeout", required_argument, NULL, 'O' },
		{ "header", required_argument, NULL, 'H' },
		{ "max", required_argument, NULL, 'x' },
		{ "wake-after", required_argument, NULL, 'w' },
		{ "repeat", required_argument, NULL, 'r' },
		{ "log", required_argument, NULL, 'L' },
		{ NULL, 0, NULL, 0 }
	};
	int	c;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1)
		if (probe_opt(c, ep, p) == -1)
			return -1;
	if ((p->config == NULL) != (p->account == NULL))
		return -1;
	return optind + 1 == argc ? optind : -1;
}

/* The endpoint of --account in --config. */
static int
probe_from_config(const struct probe *p, struct config **cfgp,
    struct transport_endpoint *ep, struct error *err)
{
	const struct config_account	*a;

	if ((*cfgp = config_load(p->config, err)) == NULL)
		return -1;
	if ((a = config_account_find(*cfgp, p->account)) == NULL)
		return error_set(err, ERR_NOTFOUND, ERR_SCOPE_OP,
		    "no account %s in %s", p->account, p->config);
	return endpoint_from_account(a, p->wake[0], ep, err);
}

/* A sink hashing the body as it arrives. */
static int
probe_hash(void *arg, const void *data, size_t n, struct error *err)
{
	(void)err;
	return EVP_DigestUpdate(arg, data, n) == 1 ? 0 : -1;
}

/* The thread behind --wake-after: make the wake fd readable. */
static void *
probe_waker(void *arg)
{
	struct probe		*p = arg;
	struct timespec		 ts;

	ts.tv_sec = p->wake_after_ms / 1000;
	ts.tv_nsec = (long)(p->wake_after_ms % 1000) * 1000000L;
	nanosleep(&ts, NULL);
	if (write(p->wake[1], "w", 1) != 1)
		perror("wake");
	return NULL;
}

/* GET url with h; print the result. */
static int
probe_get(struct http *h, const char *url, const struct probe *p,
    struct error *err)
{
	struct curl_slist	*hdrs = NULL;
	struct http_sink	 sink;
	struct buf		 body;
	EVP_MD_CTX		*md;
	unsigned char		 d[EVP_MAX_MD_SIZE];
	unsigned int		 dlen = 0, i;
	int			 rc = -1;

	buf_init(&body, p->max > 0 ? (size_t)p->max : 0);
	if ((md = EVP_MD_CTX_new()) == NULL ||
	    EVP_DigestInit_ex(md, EVP_sha256(), NULL) != 1)
		goto out;
	if (p->header != NULL) {
		hdrs = curl_slist_append(NULL, p->header);
		curl_easy_setopt(http_curl(h), CURLOPT_HTTPHEADER, hdrs);
	}
	sink.write = probe_hash;
	sink.arg = md;
	if (p->max > 0)
		http_sink_buf(&sink, &body);
	if (http_perform(h, url, &sink, err) == -1)
		goto out;
	if (p->max > 0)
		EVP_DigestUpdate(md, body.data, body.len);
	EVP_DigestFinal_ex(md, d, &dlen);
	printf("status: %ld\ntls: %s\n", http_status(h), http_tls_version(h));
	if (p->max > 0)
		printf("bytes: %zu\n", body.len);
	printf("sha256: ");
	for (i = 0; i < dlen; i++)
		printf("%02x", d[i]);
	printf("\n");
	rc = 0;
out:
	if (hdrs != NULL)
		curl_easy_setopt(http_curl(h), CURLOPT_HTTPHEADER, NULL);
	curl_slist_free_all(hdrs);
	EVP_MD_CTX_free(md);
	buf_fini(&body);
	return rc;
}

int
main(int argc, char **argv)
{
	struct transport_endpoint	 ep;
	struct probe			 p;
	struct config			*cfg = NULL;
	struct http			*h = NULL;
	struct error			 err;
	pthread_t			 waker;
	int				 i, rc = 1;

	memset(&ep, 0, sizeof ep);
	memset(&p, 0, sizeof p);
	ep.security = TRANSPORT_IMPLICIT_TLS;
	ep.tls.verify = true;
	ep.timeout_ms = ep.connect_timeout_ms = 10000;
	if ((i = probe_args(argc, argv, &ep, &p)) == -1) {
		fprintf(stderr, "usage: see the header of http_probe.c\n");
		return 2;
	}
	if (pipe(p.wake) == -1) {
		perror("pipe");
		return 1;
	}
	ep.wake_fd = p.wake[0];
	if (p.log != NULL && log_open(p.log, LOG_TRACE, "http") == -1) {
		perror(p.log);
		return 1;
	}
	error_clear(&err);
	if (p.config != NULL) {
		if (probe_from_config(&p, &cfg, &ep, &err) == -1)
			goto fail;
	} else
		ep.proxy.password = getenv("PETREL_PROXY_PASSWORD");
	h = http_new(&ep, &err);
	if (p.config != NULL)
		endpoint_fini(&ep);
	if (h == NULL)
		goto fail;
	if (p.wake_after_ms > 0 &&
	    pthread_create(&waker, NULL, probe_waker, &p) != 0)
		goto fail;
	do {
		rc = probe_get(h, argv[i], &p, &err) == 0 ? 0 : 1;
	} while (rc == 0 && --p.repeat > 0);
	if (p.wake_after_ms > 0)
		pthread_join(waker, NULL);
	if (rc == 0)
		goto out;
fail:
	fprintf(stderr, "error: %s: %s\n", error_code_name(err.code), err.msg);
out:
	http_free(h);
	config_free(cfg);
	log_close();
	return rc;
}
