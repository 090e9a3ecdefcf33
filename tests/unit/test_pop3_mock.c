/*
 * test_pop3_mock.c - scripted stream and core stubs for the POP3 tests.
 *
 * Defines the stream API (stream.h), transport_connect, the endpoint of
 * an account, account_status and config_account_password, so that the
 * tests link without libstream or libcore: reads return the script's
 * packets in order (at most one packet, or mock.chunk bytes, a read),
 * writes are recorded.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/account.h"
#include "core/config.h"
#include "core/endpoint.h"
#include "net/stream.h"
#include "net/transport.h"
#include "test_pop3_mock.h"
#include "util/xmalloc.h"

struct mock mock;

static struct stream_ops mock_ops;
static struct stream mock_base = { &mock_ops, NULL, -1, 0, -1, NULL };

/* Reset with a server script. */
void
mock_start(const char *const *script, size_t chunk)
{
	buf_fini(&mock.sent);
	memset(&mock, 0, sizeof mock);
	buf_init(&mock.sent, 0);
	mock.script = script;
	mock.chunk = chunk;
	mock_base.peer = (char *)"mock:110";
}

/* Whether every packet was consumed. */
bool
mock_done(void)
{
	return mock.script[mock.step] == NULL;
}

/* What the client sent. */
const char *
mock_sent(void)
{
	return buf_str(&mock.sent);
}

/* Sleep ms milliseconds. */
static void
mock_nap(int ms)
{
	struct timespec	 ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) == -1)
		;
}

/* A MOCK_SLEEP: pause, or time out as a bounded wait would. */
static int
mock_sleep(struct stream *s, struct error *err)
{
	int	 ms = mock.sleep_ms > 0 ? mock.sleep_ms : 300;

	if (s->timeout_ms > 0 && s->timeout_ms < ms) {
		mock_nap(s->timeout_ms);
		return error_set(err, ERR_TIMEOUT, ERR_SCOPE_ACCOUNT,
		    "mock: timed out after %d ms", s->timeout_ms);
	}
	mock_nap(ms);
	mock.step++;
	return 0;
}

/* Read the next packet (or part of it). */
static ssize_t
mock_read(struct stream *s, void *p, size_t n, struct error *err)
{
	const char	*pkt = mock.script[mock.step];
	size_t		 left;

	while (pkt != NULL && strcmp(pkt, MOCK_SLEEP) == 0) {
		if (mock_sleep(s, err) == -1)
			return -1;
		pkt = mock.script[mock.step];
	}
	if (pkt == NULL || strcmp(pkt, MOCK_CONNECT) == 0)
		return 0;		/* the server hung up */
	if (strcmp(pkt, MOCK_TLS) == 0)
		return error_set(err, ERR_TLS, ERR_SCOPE_ACCOUNT,
		    "mock: client read where the server waits for TLS");
	if (strcmp(pkt, MOCK_CANCEL) == 0) {
		mock.step++;
		return error_set(err, ERR_CANCELLED, ERR_SCOPE_OP,
		    "mock: interrupted");
	}
	if (mock.off == 0 && mock.step < 256)
		mock.sent_before[mock.step] = mock.sent.len;
	left = strlen(pkt) - mock.off;
	if (n > left)
		n = left;
	if (mock.chunk > 0 && n > mock.chunk)
		n = mock.chunk;
	memcpy(p, pkt + mock.off, n);
	mock.off += n;
	if (mock.off == strlen(pkt)) {
		mock.step++;
		mock.off = 0;
	}
	return (ssize_t)n;
}

/* Record what the client writes. */
static ssize_t
mock_write(struct stream *s, const void *p, size_t n, struct error *err)
{
	(void)s;
	(void)err;
	buf_add(&mock.sent, p, n);
	return (ssize_t)n;
}

static struct stream_ops mock_ops = {
	.name = "mock",
	.read = mock_read,
	.write = mock_write,
};

/* The endpoint of an account, as core/endpoint.c fills it (no proxy). */
int
endpoint_from_account(const struct config_account *a, int wake_fd,
    struct transport_endpoint *ep, struct error *err)
{
	(void)err;
	memset(ep, 0, sizeof *ep);
	ep->host = a->host;
	ep->port = a->port != NULL ? a->port :
	    a->security == CONFIG_SEC_IMPLICIT ||
	    a->security == CONFIG_SEC_AUTO ? "995" : "110";
	ep->security = a->security == CONFIG_SEC_IMPLICIT ?
	    TRANSPORT_IMPLICIT_TLS : TRANSPORT_PLAIN;
	ep->connect_timeout_ms = a->connect_timeout_ms;
	ep->timeout_ms = a->timeout_ms;
	ep->wake_fd = wake_fd;
	ep->tls.ca_file = a->tls_ca_file;
	ep->tls.verify = true;
	return 0;
}

/* Nothing to release: the mock endpoint has no proxy password. */
void
endpoint_fini(struct transport_endpoint *ep)
{
	(void)ep;
}

/* "Connect": the first time anywhere, later only at MOCK_CONNECT. */
static struct stream *
mock_connect(const char *port, int timeout_ms, struct error *err)
{
	const char	*pkt = mock.script[mock.step];

	if (mock.connects > 0) {
		if (pkt == NULL || strcmp(pkt, MOCK_CONNECT) != 0 ||
		    mock.off != 0) {
			error_set(err, ERR_NET, ERR_SCOPE_ACCOUNT,
			    "mock: unexpected new connection at packet %zu",
			    mock.step);
			return NULL;
		}
		mock.step++;
	}
	mock.connects++;
	mock.tls = false;
	snprintf(mock.port, sizeof mock.port, "%s", port);
	mock_base.timeout_ms = timeout_ms;
	return &mock_base;
}

/* "Connect" as net/transport.c does: TCP, then TLS when implicit. */
struct stream *
transport_connect(const struct transport_endpoint *ep, struct error *err)
{
	struct stream	*s;

	if ((s = mock_connect(ep->port, ep->timeout_ms, err)) == NULL)
		return NULL;
	if (ep->security == TRANSPORT_IMPLICIT_TLS &&
	    stream_tls_start(&s, ep->host, &ep->tls, err) == -1) {
		stream_free(s);
		return NULL;
	}
	return s;
}

/* "Handshake": only where the script has MOCK_TLS. */
int
stream_tls_start(struct stream **s, const char *host,
    const struct stream_tls_config *tc, struct error *err)
{
	const char	*pkt = mock.script[mock.step];

	(void)s;
	(void)host;
	(void)tc;
	if (pkt == NULL || strcmp(pkt, MOCK_TLS) != 0 || mock.off != 0)
		return error_set(err, ERR_TLS, ERR_SCOPE_ACCOUNT,
		    "mock: TLS started at the wrong point");
	mock.step++;
	mock.tls = true;
	return 0;
}

/* Whether the mock handshake happened. */
bool
stream_is_tls(const struct stream *s)
{
	(void)s;
	return mock.tls;
}

/* Read through the ops, as stream.c does. */
ssize_t
stream_read(struct stream *s, void *p, size_t n, struct error *err)
{
	return s->ops->read(s, p, n, err);
}

/* Write through the ops (the mock takes all bytes). */
int
stream_write_all(struct stream *s, const void *p, size_t n,
    struct error *err)
{
	return s->ops->write(s, p, n, err) == -1 ? -1 : 0;
}

/* The mock buffers nothing below the connection. */
size_t
stream_pending(struct stream *s)
{
	(void)s;
	return 0;
}

/* Set the per-wait timeout. */
void
stream_set_timeout(struct stream *s, int timeout_ms)
{
	s->timeout_ms = timeout_ms;
}

/* Count frees: each connection must free its stream once. */
void
stream_free(struct stream *s)
{
	(void)s;
	mock.freed++;
}

/* Keep the last progress text for the tests to check. */
void
account_status(struct account *a, const char *fmt, ...)
{
	va_list	 ap;

	(void)a;
	va_start(ap, fmt);
	vsnprintf(mock.status, sizeof mock.status, fmt, ap);
	va_end(ap);
}

/* The UI is not told of written rows here. */
void
account_rows_written(struct account *a)
{
	(void)a;
}

/* The configured password (no password_command here). */
char *
config_account_password(const struct config_account *cfg, struct error *err)
{
	if (cfg->password == NULL) {
		error_set(err, ERR_CONFIG, ERR_SCOPE_ACCOUNT, "no password");
		return NULL;
	}
	return xstrdup(cfg->password);
}
