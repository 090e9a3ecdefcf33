/*
 * stream_proxy.c - the proxy handshakes of stream_proxy.h: SOCKS4, SOCKS4a,
 * SOCKS5 (RFC 1928, RFC 1929) and HTTP CONNECT (RFC 9110 9.3.6, Basic
 * authentication per RFC 7617).
 *
 * Owns the bytes of each request and the parsing of each reply.  Replies
 * are read to their exact length (SOCKS: fixed or announced sizes; HTTP:
 * one byte at a time up to the blank line, at most STREAM_PROXY_HTTP_MAX
 * bytes), so nothing of the destination's stream is consumed here.  The
 * parsers do no I/O.  Credentials pass only through buffers that are
 * wiped, and are never logged.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "net/stream_proxy.h"
#include "util/buf.h"
#include "util/log.h"
#include "util/xmalloc.h"

/* One handshake: the stream, its label for messages, the deadline. */
struct proxy_io {
	struct stream	*s;
	const char	*label;		/* "SOCKS5 proxy 127.0.0.1:1080" */
	int		 timeout_ms;	/* the stream's own per-wait bound */
	int		 total_ms;	/* the handshake's bound, for messages */
	int64_t		 deadline;	/* 0: none */
};

/* A name of each type, for messages. */
const char *
stream_proxy_type_name(enum stream_proxy_type t)
{
	switch (t) {
	case STREAM_PROXY_SOCKS4:
		return "SOCKS4";
	case STREAM_PROXY_SOCKS4A:
		return "SOCKS4a";
	case STREAM_PROXY_SOCKS5:
		return "SOCKS5";
	case STREAM_PROXY_HTTP:
		return "HTTP";
	case STREAM_PROXY_NONE:
		break;
	}
	return "no";
}

/* The SOCKS4 reply: VN 0, CD 90 granted, 91-93 refused. */
int
stream_proxy_socks4_reply(const unsigned char *p, size_t n,
    const char *label, struct error *err)
{
	if (n != 8 || p[0] != 0)
		return error_set(err, ERR_PROTOCOL, ERR_SCOPE_ACCOUNT,
		    "%s: malformed reply (not a SOCKS4 server?)", label);
	switch (p[1]) {
	case 90:
		return 0;
	case 91:
		return error_set(err, ERR_NET, ERR_SCOPE_ACCOUNT,
		    "%s: request rejected or failed", label);
	case 92:
		return error_set(err, ERR_AUTH, ERR_SCOPE_ACCOUNT,
		    "%s: request rejected: the proxy cannot reach our identd",
		    label);
	case 93:
		return error_set(err, ERR_AUTH, ERR_SCOPE_ACCOUNT,
		    "%s: request rejected: user id refused by identd", label);
	}
	return error_set(err, ERR_PROTOCOL, ERR_SCOPE_ACCOUNT,
	    "%s: unknown reply code %u", label, p[1]);
}

/* The SOCKS5 method choice (RFC 1928 section 3). */
int
stream_proxy_socks5_method(const unsigned char *p, size_t n,
    const char *label, int *method, struct error *err)
{
	if (n != 2 || p[0] != 5)
		return error_set(err, ERR_PROTOCOL, ERR_SCOPE_ACCOUNT,
		    "%s: malformed reply (not a SOCKS5 server?)", label);
	if (p[1] == 0xff)
		return error_set(err, ERR_AUTH, ERR_SCOPE_ACCOUNT,
		    "%s: no acceptable authentication method", label);
	*method = p[1];
	return 0;
}

/* The RFC 1929 status: VER 1, STATUS 0 is success. */
int
stream_proxy_socks5_auth(const unsigned char *p, size_t n,
    const char *label, struct error *err)
{
	if (n != 2 || p[0] != 1)
		return error_set(err, ERR_PROTOCOL, ERR_SCOPE_ACCOUNT,
		    "%s: malformed authentication reply", label);
	if (p[1] != 0)
		return error_set(err, ERR_AUTH, ERR_SCOPE_ACCOUNT,
		    "%s: username/password authentication failed", label);
	return 0;
}

/* VER REP RSV ATYP and one address byte say how long the reply is. */
int
stream_proxy_socks5_reply_len(const unsigned char *p, size_t n,
    const char *label, struct error *err)
{
	if (n < 5 || p[0] != 5 || p[2] != 0)
		return error_set(err, ERR_PROTOCOL, ERR_SCOPE_ACCOUNT,
		    "%s: malformed reply", label);
	switch (p[3]) {
	case 1:
		return 4 + 4 + 2;
	case 3:
		return 4 + 1 + p[4] + 2;
	case 4:
		return 4 + 16 + 2;
	}
	return error_set(err, ERR_PROTOCOL, ERR_SCOPE_ACCOUNT,
	    "%s: unknown address type %u in reply", label, p[3]);
}

/* The SOCKS5 CONNECT reply (RFC 1928 section 6). */
int
stream_proxy_socks5_reply(const unsigned char *p, size_t n,
    const char *label, struct error *err)
{
	static const char *const reasons[] = {
		NULL, "general SOCKS server failure",
		"connection not allowed by ruleset", "network unreachable",
		"host unreachable", "connection refused by destination",
		"TTL expired", "command not supported",
		"address type not supported"
	};
	int	len;

	if ((len = stream_proxy_socks5_reply_len(p, n, label, err)) == -1)
		return -1;
	if ((size_t)len != n)
		return error_set(err, ERR_PROTOCOL, ERR_SCOPE_ACCOUNT,
		    "%s: malformed reply", label);
	if (p[1] == 0)
		return 0;
	if (p[1] < sizeof reasons / sizeof *reasons)
		return error_set(err, p[1] == 2 ? ERR_SERVER : ERR_NET,
		    ERR_SCOPE_ACCOUNT, "%s: %s", label, reasons[p[1]]);
	return error_set(err, ERR_NET, ERR_SCOPE_ACCOUNT,
	    "%s: refused (reply code %u)", label, p[1]);
}

/* Where the head ends: after CRLF CRLF (or a bare LF LF); 0 if not yet. */
size_t
stream_proxy_http_head_len(const char *p, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		if (p[i] != '\n')
			continue;
		if (i + 1 < n && p[i + 1] == '\n')
			return i + 2;
		if (i + 2 < n && p[i + 1] == '\r' && p[i + 2] == '\n')
			return i + 3;
	}
	return 0;
}

/* The status line "HTTP/1.x SSS reason": 2xx grants the tunnel. */
int
stream_proxy_http_reply(const char *p, size_t n, const char *label,
    struct error *err)
{
	char	reason[81];
	size_t	i, r = 0;
	int	code;

	if (n < 12 || memcmp(p, "HTTP/", 5) != 0)
		goto bad;
	for (i = 5; i < n && (p[i] == '.' || (p[i] >= '0' && p[i] <= '9'));
	    i++)
		;
	if (i == 5 || i + 4 > n || p[i] != ' ')
		goto bad;
	i++;
	if (p[i] < '1' || p[i] > '5' || p[i + 1] < '0' || p[i + 1] > '9' ||
	    p[i + 2] < '0' || p[i + 2] > '9')
		goto bad;
	code = (p[i] - '0') * 100 + (p[i + 1] - '0') * 10 + (p[i + 2] - '0');
	i += 3;
	if (i < n && p[i] != ' ' && p[i] != '\r' && p[i] != '\n')
		goto bad;
	if (code / 100 == 2)
		return 0;
	/* 401: tinyproxy's answer to wrong credentials.  The reason phrase
	 * is the proxy's text: printable ASCII only. */
	for (i++; i < n && p[i] != '\r' && p[i] != '\n' && r + 1 < sizeof reason;
	    i++)
		reason[r++] = p[i] >= 0x20 && p[i] < 0x7f ? p[i] : '?';
	reason[r] = '\0';
	return error_set(err, code == 407 || code == 401 ? ERR_AUTH : ERR_NET,
	    ERR_SCOPE_ACCOUNT, "%s: %d%s%s", label, code, r > 0 ? " " : "",
	    reason);
bad:
	return error_set(err, ERR_PROTOCOL, ERR_SCOPE_ACCOUNT,
	    "%s: malformed reply (not an HTTP proxy?)", label);
}

/* Monotonic milliseconds. */
static int64_t
proxy_now_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Turn a failed read or write into a message naming the proxy. */
static int
proxy_io_error(struct proxy_io *io, struct error *err)
{
	if (err->code == ERR_TIMEOUT)
		return error_set(err, ERR_TIMEOUT, ERR_SCOPE_ACCOUNT,
		    "%s: no answer within %d s", io->label,
		    (io->total_ms + 999) / 1000);
	if (err->code != ERR_CANCELLED)
		error_prefix(err, "%s", io->label);
	return -1;
}

/* Bound the next wait by what is left of the handshake's time. */
static int
proxy_io_arm(struct proxy_io *io, struct error *err)
{
	int64_t	left;

	if (io->deadline == 0)
		return 0;
	left = io->deadline - proxy_now_ms();
	if (left <= 0) {
		err->code = ERR_TIMEOUT;
		return -1;
	}
	stream_set_timeout(io->s, io->timeout_ms > 0 && io->timeout_ms < left ?
	    io->timeout_ms : (int)left);
	return 0;
}

/* Read exactly n bytes. */
static int
proxy_read(struct proxy_io *io, void *p, size_t n, struct error *err)
{
	unsigned char	*c = p;
	ssize_t		 r;

	while (n > 0) {
		if (proxy_io_arm(io, err) == -1)
			return proxy_io_error(io, err);
		r = stream_read(io->s, c, n, err);
		if (r == -1)
			return proxy_io_error(io, err);
		if (r == 0)
			return error_set(err, ERR_NET, ERR_SCOPE_ACCOUNT,
			    "%s: connection closed during the handshake",
			    io->label);
		c += r;
		n -= (size_t)r;
	}
	return 0;
}

/* Write all of p (a request; may hold a secret the caller wipes). */
static int
proxy_write(struct proxy_io *io, const void *p, size_t n, struct error *err)
{
	if (proxy_io_arm(io, err) == -1 ||
	    stream_write_all(io->s, p, n, err) == -1)
		return proxy_io_error(io, err);
	return 0;
}

/* A numeric port 1..65535, or -1. */
static int
proxy_port(const char *port)
{
	long	v = 0;

	if (port == NULL || *port == '\0')
		return -1;
	for (; *port != '\0'; port++) {
		if (*port < '0' || *port > '9' || (v = v * 10 +
		    (*port - '0')) > 65535)
			return -1;
	}
	return v == 0 ? -1 : (int)v;
}

/* The IPv4 address of host for SOCKS4 (the client resolves). */
static int
proxy_ipv4(struct proxy_io *io, const char *host, unsigned char out[4],
    struct error *err)
{
	struct addrinfo	 hints, *res = NULL;
	int		 rc;

	if (inet_pton(AF_INET, host, out) == 1)
		return 0;
	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_INET;
	hints.ai_socktype = SOCK_STREAM;
	if ((rc = getaddrinfo(host, NULL, &hints, &res)) != 0)
		return error_set(err, ERR_NET, ERR_SCOPE_ACCOUNT, "%s: cannot "
		    "resolve %s to an IPv4 address (SOCKS4 needs one; socks4a "
		    "or socks5 let the proxy resolve): %s", io->label, host,
		    gai_strerror(rc));
	memcpy(out, &((struct sockaddr_in *)(void *)res->ai_addr)->sin_addr,
	    4);
	freeaddrinfo(res);
	return 0;
}

/* SOCKS4/4a: VN CD DSTPORT DSTIP USERID NUL [HOST NUL]. */
static int
proxy_socks4(struct proxy_io *io, const struct stream_proxy_config *pc,
    const char *host, int port, struct error *err)
{
	unsigned char	 req[8 + 256 + 256], rep[8];
	const char	*user = pc->user != NULL ? pc->user : "";
	size_t		 n = 8, ulen = strlen(user), hlen = strlen(host);
	bool		 remote;

	remote = pc->type == STREAM_PROXY_SOCKS4A &&
	    inet_pton(AF_INET, host, req + 4) != 1;
	if (ulen > 255 || hlen > 255)
		return error_set(err, ERR_CONFIG, ERR_SCOPE_ACCOUNT,
		    "%s: user id or host name too long", io->label);
	req[0] = 4;
	req[1] = 1;
	req[2] = (unsigned char)(port >> 8);
	req[3] = (unsigned char)port;
	if (remote) {
		/* 0.0.0.x, x != 0: "the host name follows" */
		memcpy(req + 4, "\0\0\0\1", 4);
	} else if (proxy_ipv4(io, host, req + 4, err) == -1)
		return -1;
	memcpy(req + n, user, ulen + 1);
	n += ulen + 1;
	if (remote) {
		memcpy(req + n, host, hlen + 1);
		n += hlen + 1;
	}
	if (proxy_write(io, req, n, err) == -1 ||
	    proxy_read(io, rep, sizeof rep, err) == -1)
		return -1;
	return stream_proxy_socks4_reply(rep, sizeof rep, io->label, err);
}

/* RFC 1929: VER 1, ULEN, UNAME, PLEN, PASSWD; the buffer is wiped. */
static int
proxy_socks5_auth(struct proxy_io *io, const struct stream_proxy_config *pc,
    struct error *err)
{
	unsigned char	 req[3 + 255 + 255], rep[2];
	const char	*pw = pc->password != NULL ? pc->password : "";
	size_t		 ulen = strlen(pc->user), plen = strlen(pw);
	int		 rc;

	if (ulen == 0 || ulen > 255 || plen > 255)
		return error_set(err, ERR_CONFIG, ERR_SCOPE_ACCOUNT, "%s: the "
		    "username and password must be 1 to 255 bytes",
		    io->label);
	req[0] = 1;
	req[1] = (unsigned char)ulen;
	memcpy(req + 2, pc->user, ulen);
	req[2 + ulen] = (unsigned char)plen;
	memcpy(req + 3 + ulen, pw, plen);
	log_debug("proxy", "%s: authenticating as %s", io->label, pc->user);
	rc = proxy_write(io, req, 3 + ulen + plen, err);
	xwipe(req, sizeof req);
	if (rc == -1 || proxy_read(io, rep, sizeof rep, err) == -1)
		return -1;
	return stream_proxy_socks5_auth(rep, sizeof rep, io->label, err);
}

/* The CONNECT request: an IP literal as such, a name for the proxy. */
static size_t
proxy_socks5_request(unsigned char *req, const char *host, int port)
{
	size_t	n = 4, hlen = strlen(host);

	req[0] = 5;
	req[1] = 1;		/* CONNECT */
	req[2] = 0;
	if (inet_pton(AF_INET, host, req + 4) == 1) {
		req[3] = 1;
		n += 4;
	} else if (inet_pton(AF_INET6, host, req + 4) == 1) {
		req[3] = 4;
		n += 16;
	} else {
		req[3] = 3;	/* remote DNS */
		req[4] = (unsigned char)hlen;
		memcpy(req + 5, host, hlen);
		n += 1 + hlen;
	}
	req[n++] = (unsigned char)(port >> 8);
	req[n++] = (unsigned char)port;
	return n;
}

/* SOCKS5: method negotiation, optional RFC 1929, CONNECT. */
static int
proxy_socks5(struct proxy_io *io, const struct stream_proxy_config *pc,
    const char *host, int port, struct error *err)
{
	unsigned char	req[4 + 1 + 255 + 2], rep[4 + 1 + 255 + 2];
	const unsigned char hello_none[] = { 5, 1, 0 };
	const unsigned char hello_auth[] = { 5, 2, 0, 2 };
	bool		auth = pc->user != NULL;
	int		method = -1, len;

	if (strlen(host) > 255)
		return error_set(err, ERR_CONFIG, ERR_SCOPE_ACCOUNT,
		    "%s: host name too long", io->label);
	if (proxy_write(io, auth ? hello_auth : hello_none,
	    auth ? sizeof hello_auth : sizeof hello_none, err) == -1 ||
	    proxy_read(io, rep, 2, err) == -1 ||
	    stream_proxy_socks5_method(rep, 2, io->label, &method, err) == -1)
		return -1;
	if (method == 2 && auth) {
		if (proxy_socks5_auth(io, pc, err) == -1)
			return -1;
	} else if (method != 0)
		return error_set(err, ERR_PROTOCOL, ERR_SCOPE_ACCOUNT, "%s: "
		    "chose authentication method %d, which we did not offer",
		    io->label, method);
	if (proxy_write(io, req, proxy_socks5_request(req, host, port),
	    err) == -1 || proxy_read(io, rep, 5, err) == -1)
		return -1;
	if ((len = stream_proxy_socks5_reply_len(rep, 5, io->label,
	    err)) == -1 || proxy_read(io, rep + 5, (size_t)len - 5, err) == -1)
		return -1;
	return stream_proxy_socks5_reply(rep, (size_t)len, io->label, err);
}

/* Append the base64 (RFC 4648, padded) of (p, len). */
static void
proxy_base64(struct buf *out, const unsigned char *p, size_t len)
{
	static const char b64[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	uint32_t	v;
	size_t		i;

	for (i = 0; i < len; i += 3) {
		v = (uint32_t)p[i] << 16;
		if (i + 1 < len)
			v |= (uint32_t)p[i + 1] << 8;
		if (i + 2 < len)
			v |= p[i + 2];
		buf_addc(out, b64[(v >> 18) & 63]);
		buf_addc(out, b64[(v >> 12) & 63]);
		buf_addc(out, i + 1 < len ? b64[(v >> 6) & 63] : '=');
		buf_addc(out, i + 2 < len ? b64[v & 63] : '=');
	}
}

/* The CONNECT request, with Basic credentials if a user is set. */
static int
proxy_http_request(struct buf *req, const struct stream_proxy_config *pc,
    const char *host, int port)
{
	struct buf	 cred = BUF_INITIALIZER(1024);
	const char	*lb = strchr(host, ':') != NULL ? "[" : "";
	const char	*rb = *lb != '\0' ? "]" : "";

	buf_printf(req, "CONNECT %s%s%s:%d HTTP/1.1\r\nHost: %s%s%s:%d\r\n",
	    lb, host, rb, port, lb, host, rb, port);
	if (pc->user != NULL) {
		buf_printf(&cred, "%s:%s", pc->user,
		    pc->password != NULL ? pc->password : "");
		buf_adds(req, "Proxy-Authorization: Basic ");
		proxy_base64(req, (const unsigned char *)cred.data, cred.len);
		buf_adds(req, "\r\n");
		buf_fini_secret(&cred);
	}
	buf_adds(req, "\r\n");
	return req->too_big ? -1 : 0;
}

/* HTTP CONNECT: the request, then the head read byte by byte. */
static int
proxy_http(struct proxy_io *io, const struct stream_proxy_config *pc,
    const char *host, int port, struct error *err)
{
	struct buf	 req = BUF_INITIALIZER(4096);
	char		*head;
	size_t		 n = 0, w;
	int		 rc = -1;

	if (host[strcspn(host, " \r\n\t")] != '\0' || (pc->user != NULL &&
	    pc->user[strcspn(pc->user, ":\r\n")] != '\0'))
		return error_set(err, ERR_CONFIG, ERR_SCOPE_ACCOUNT, "%s: bad "
		    "character in the host or user name", io->label);
	if (proxy_http_request(&req, pc, host, port) == -1) {
		buf_fini_secret(&req);
		return error_set(err, ERR_CONFIG, ERR_SCOPE_ACCOUNT,
		    "%s: credentials too long", io->label);
	}
	log_proto("proxy", '>', req.data, strcspn(req.data, "\r"));
	rc = proxy_write(io, req.data, req.len, err);
	buf_fini_secret(&req);
	if (rc == -1)
		return -1;
	head = xmalloc(STREAM_PROXY_HTTP_MAX);
	rc = -1;
	for (;;) {
		if (n == STREAM_PROXY_HTTP_MAX) {
			error_set(err, ERR_TOOBIG, ERR_SCOPE_ACCOUNT, "%s: reply "
			    "head longer than %d bytes", io->label,
			    STREAM_PROXY_HTTP_MAX);
			goto out;
		}
		if (proxy_read(io, head + n, 1, err) == -1)
			goto out;
		n++;
		w = n < 4 ? n : 4;
		if (stream_proxy_http_head_len(head + n - w, w) == w)
			break;
	}
	log_proto("proxy", '<', head, strcspn(head, "\r\n"));
	rc = stream_proxy_http_reply(head, n, io->label, err);
out:
	free(head);
	return rc;
}

/* Have the proxy behind s connect to host:port. */
int
stream_proxy_connect(struct stream *s, const struct stream_proxy_config *pc,
    const char *host, const char *port, int timeout_ms, struct error *err)
{
	struct proxy_io	 io;
	char		*label, *peer;
	int		 nport, rc;

	label = xasprintf("%s proxy %s:%s", stream_proxy_type_name(pc->type),
	    pc->host, pc->port);
	io.s = s;
	io.label = label;
	io.timeout_ms = s->timeout_ms;
	io.total_ms = timeout_ms > 0 ? timeout_ms : s->timeout_ms;
	io.deadline = timeout_ms > 0 ? proxy_now_ms() + timeout_ms : 0;
	if ((nport = proxy_port(port)) == -1) {
		rc = error_set(err, ERR_CONFIG, ERR_SCOPE_ACCOUNT, "%s: the "
		    "destination port must be a number, not '%s'", label,
		    port != NULL ? port : "");
		goto out;
	}
	log_debug("proxy", "%s: connecting to %s:%s", label, host, port);
	switch (pc->type) {
	case STREAM_PROXY_SOCKS4:
	case STREAM_PROXY_SOCKS4A:
		rc = proxy_socks4(&io, pc, host, nport, err);
		break;
	case STREAM_PROXY_SOCKS5:
		rc = proxy_socks5(&io, pc, host, nport, err);
		break;
	case STREAM_PROXY_HTTP:
		rc = proxy_http(&io, pc, host, nport, err);
		break;
	default:
		rc = error_set(err, ERR_CONFIG, ERR_SCOPE_ACCOUNT,
		    "unknown proxy type");
		break;
	}
	stream_set_timeout(s, io.timeout_ms);
	if (rc == 0) {
		peer = xasprintf("%s:%s via %s", host, port, label);
		stream_set_peer(s, peer);
		log_debug("proxy", "%s", peer);
		free(peer);
	}
out:
	free(label);
	return rc;
}
