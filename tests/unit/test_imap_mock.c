/*
 * test_imap_mock.c - scripted stream and core stubs for the IMAP tests.
 *
 * Defines the stream API (stream.h) and account_status /
 * config_account_password so that the tests link without libstream or
 * libcore: reads return the script's packets in order (at most one packet,
 * or mock.chunk bytes, a read), writes are recorded.
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
#include "test_imap_mock.h"
#include "util/xmalloc.h"

struct mock mock;

static struct stream_ops mock_ops;
static struct stream mock_base = { &mock_ops, NULL, -1, 0, -1, NULL };

/* Reset with a server script. */
void
mock_start(const char *const *script, size_t chunk)
{
	buf_fini(&mock.sent);
	buf_fini(&mock.statuses);
	memset(&mock, 0, sizeof mock);
	buf_init(&mock.sent, 0);
	buf_init(&mock.statuses, 0);
	mock.script = script;
	mock.chunk = chunk;
	mock_base.peer = (char *)"mock:143";
	mock_base.fd = -1;
}

/* Set the fd the mock stream reports. */
void
mock_set_fd(int fd)
{
	mock_base.fd = fd;
}

/* The length of packet i. */
static size_t
mock_len(size_t i)
{
	if (mock.lens != NULL && mock.lens[i] != 0)
		return mock.lens[i];
	return strlen(mock.script[i]);
}

/* Whether every packet was consumed. */
bool
mock_done(void)
{
	return mock.script[mock.step] == NULL;
}

/* The mock stream. */
struct stream *
mock_stream(void)
{
	return &mock_base;
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

	if (mock.read_hook != NULL)
		mock.read_hook();
	while (pkt != NULL && strcmp(pkt, MOCK_SLEEP) == 0) {
		if (mock_sleep(s, err) == -1)
			return -1;
		pkt = mock.script[mock.step];
	}
	if (pkt == NULL)
		return 0;
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
	left = mock_len(mock.step) - mock.off;
	if (n > left)
		n = left;
	if (mock.chunk > 0 && n > mock.chunk)
		n = mock.chunk;
	memcpy(p, pkt + mock.off, n);
	mock.off += n;
	if (mock.off == mock_len(mock.step)) {
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

/* "Connect": hand out the mock stream. */
struct stream *
stream_tcp_connect(const char *host, const char *port, int timeout_ms,
    int wake_fd, struct error *err)
{
	(void)host;
	(void)port;
	(void)timeout_ms;
	(void)wake_fd;
	(void)err;
	mock.connected = true;
	return &mock_base;
}

/* The endpoint of an account, as core/endpoint.c fills it (no proxy). */
int
endpoint_from_account(const struct config_account *a, int wake_fd,
    struct transport_endpoint *ep, struct error *err)
{
	(void)err;
	memset(ep, 0, sizeof *ep);
	ep->host = a->host;
	ep->port = a->port != NULL ? a->port : "993";
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

/* "Connect" as net/transport.c does: TCP, then TLS when implicit. */
struct stream *
transport_connect(const struct transport_endpoint *ep, struct error *err)
{
	struct stream	*s;

	s = stream_tcp_connect(ep->host, ep->port, ep->connect_timeout_ms,
	    ep->wake_fd, err);
	if (s != NULL && ep->security == TRANSPORT_IMPLICIT_TLS &&
	    stream_tls_start(&s, ep->host, &ep->tls, err) == -1)
		return NULL;
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

/* Count frees: the connection must free its stream once. */
void
stream_free(struct stream *s)
{
	if (s != NULL && s != &mock_base) {
		s->ops->free(s);	/* a layer on top (zlib): frees below */
		return;
	}
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
	buf_adds(&mock.statuses, mock.status);
	buf_addc(&mock.statuses, '\n');
}

/* Count the writes the UI would be told of. */
void
account_rows_written(struct account *a)
{
	(void)a;
	mock.rows_written++;
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
