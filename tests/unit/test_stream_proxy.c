/*
 * test_stream_proxy.c - the proxy handshakes against a scripted peer: the
 * peer's replies are written into one end of a socketpair before the
 * handshake runs on the other end, then the exact bytes the client sent
 * are compared with what each protocol prescribes, and the bytes after
 * the reply (the destination's greeting) must still be there to read.
 * Also every refusal code, short and garbage replies, the time bound, the
 * wake fd, the 16 KiB head limit, and that no password reaches the log.
 */
#include <sys/socket.h>

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "net/stream_proxy.h"
#include "util/log.h"

#define PEER	"127.0.0.1:1080"

/* One scripted exchange. */
struct script {
	const char		*name;
	enum stream_proxy_type	 type;
	const char		*user;
	const char		*password;
	const char		*host;
	const char		*port;
	const char		*reply;		/* what the proxy answers */
	size_t			 replylen;
	const char		*want;		/* what the client must send */
	size_t			 wantlen;
	int			 code;		/* ERR_NONE: success */
	const char		*msg;		/* exact error message */
};

#define B(s)	s, sizeof s - 1
#define GREETING "* OK destination greeting\r\n"

static const struct script scripts[] = {
	{ "socks4 ip", STREAM_PROXY_SOCKS4, NULL, NULL, "192.0.2.7", "993",
	  B("\0\x5a\0\0\0\0\0\0" GREETING),
	  B("\4\1\x03\xe1\xc0\0\2\7\0"), ERR_NONE, NULL },
	{ "socks4 user id", STREAM_PROXY_SOCKS4, "bob", NULL, "192.0.2.7",
	  "143", B("\0\x5a\0\0\0\0\0\0" GREETING),
	  B("\4\1\0\x8f\xc0\0\2\7bob\0"), ERR_NONE, NULL },
	{ "socks4 resolves locally", STREAM_PROXY_SOCKS4, NULL, NULL,
	  "localhost", "993", B("\0\x5a\0\0\0\0\0\0" GREETING),
	  B("\4\1\x03\xe1\x7f\0\0\1\0"), ERR_NONE, NULL },
	{ "socks4a name", STREAM_PROXY_SOCKS4A, NULL, NULL,
	  "imap.example.org", "993", B("\0\x5a\0\0\0\0\0\0" GREETING),
	  B("\4\1\x03\xe1\0\0\0\1\0imap.example.org\0"), ERR_NONE, NULL },
	{ "socks4a ip literal", STREAM_PROXY_SOCKS4A, "u", NULL, "10.1.2.3",
	  "993", B("\0\x5a\0\0\0\0\0\0" GREETING),
	  B("\4\1\x03\xe1\x0a\1\2\3u\0"), ERR_NONE, NULL },
	{ "socks5 no auth, remote dns", STREAM_PROXY_SOCKS5, NULL, NULL,
	  "imap.example.org", "993",
	  B("\5\0" "\5\0\0\1\x7f\0\0\1\x04\x38" GREETING),
	  B("\5\1\0" "\5\1\0\3\x10imap.example.org\x03\xe1"), ERR_NONE, NULL },
	{ "socks5 user/password", STREAM_PROXY_SOCKS5, "bob", "s3cret",
	  "192.0.2.7", "993",
	  B("\5\2" "\1\0" "\5\0\0\3\4abcd\0\x50" GREETING),
	  B("\5\2\0\2" "\1\3bob\6s3cret" "\5\1\0\1\xc0\0\2\7\x03\xe1"),
	  ERR_NONE, NULL },
	{ "socks5 user offered, none chosen", STREAM_PROXY_SOCKS5, "bob",
	  "s3cret", "::1", "993",
	  B("\5\0" "\5\0\0\4" "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\1\0\1" GREETING),
	  B("\5\2\0\2" "\5\1\0\4\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\1\x03\xe1"),
	  ERR_NONE, NULL },
	{ "http", STREAM_PROXY_HTTP, NULL, NULL, "imap.example.org", "993",
	  B("HTTP/1.1 200 Connection established\r\nProxy-agent: t\r\n\r\n"
	  GREETING),
	  B("CONNECT imap.example.org:993 HTTP/1.1\r\n"
	  "Host: imap.example.org:993\r\n\r\n"), ERR_NONE, NULL },
	{ "http basic", STREAM_PROXY_HTTP, "bob", "s3cret", "::1", "993",
	  B("HTTP/1.0 200 OK\n\n" GREETING),
	  B("CONNECT [::1]:993 HTTP/1.1\r\nHost: [::1]:993\r\n"
	  "Proxy-Authorization: Basic Ym9iOnMzY3JldA==\r\n\r\n"),
	  ERR_NONE, NULL },
	/* refusals */
	{ "socks4 91", STREAM_PROXY_SOCKS4, NULL, NULL, "10.0.0.1", "1",
	  B("\0\x5b\0\0\0\0\0\0"), NULL, 0, ERR_NET,
	  "SOCKS4 proxy " PEER ": request rejected or failed" },
	{ "socks4 92", STREAM_PROXY_SOCKS4, NULL, NULL, "10.0.0.1", "1",
	  B("\0\x5c\0\0\0\0\0\0"), NULL, 0, ERR_AUTH,
	  "SOCKS4 proxy " PEER ": request rejected: the proxy cannot reach "
	  "our identd" },
	{ "socks4a 93", STREAM_PROXY_SOCKS4A, NULL, NULL, "x.example", "1",
	  B("\0\x5d\0\0\0\0\0\0"), NULL, 0, ERR_AUTH,
	  "SOCKS4a proxy " PEER ": request rejected: user id refused by "
	  "identd" },
	{ "socks4 unknown code", STREAM_PROXY_SOCKS4, NULL, NULL, "10.0.0.1",
	  "1", B("\0\x01\0\0\0\0\0\0"), NULL, 0, ERR_PROTOCOL,
	  "SOCKS4 proxy " PEER ": unknown reply code 1" },
	{ "socks5 no method", STREAM_PROXY_SOCKS5, NULL, NULL, "x.example",
	  "1", B("\5\xff"), B("\5\1\0"), ERR_AUTH,
	  "SOCKS5 proxy " PEER ": no acceptable authentication method" },
	{ "socks5 unoffered method", STREAM_PROXY_SOCKS5, NULL, NULL,
	  "x.example", "1", B("\5\2"), B("\5\1\0"), ERR_PROTOCOL,
	  "SOCKS5 proxy " PEER ": chose authentication method 2, which we "
	  "did not offer" },
	{ "socks5 bad password", STREAM_PROXY_SOCKS5, "bob", "s3cret",
	  "x.example", "1", B("\5\2\1\1"), NULL, 0, ERR_AUTH,
	  "SOCKS5 proxy " PEER ": username/password authentication failed" },
	{ "socks5 1", STREAM_PROXY_SOCKS5, NULL, NULL, "x.example", "1",
	  B("\5\0\5\1\0\1\0\0\0\0\0\0"), NULL, 0, ERR_NET,
	  "SOCKS5 proxy " PEER ": general SOCKS server failure" },
	{ "socks5 2", STREAM_PROXY_SOCKS5, NULL, NULL, "x.example", "1",
	  B("\5\0\5\2\0\1\0\0\0\0\0\0"), NULL, 0, ERR_SERVER,
	  "SOCKS5 proxy " PEER ": connection not allowed by ruleset" },
	{ "socks5 3", STREAM_PROXY_SOCKS5, NULL, NULL, "x.example", "1",
	  B("\5\0\5\3\0\1\0\0\0\0\0\0"), NULL, 0, ERR_NET,
	  "SOCKS5 proxy " PEER ": network unreachable" },
	{ "socks5 4", STREAM_PROXY_SOCKS5, NULL, NULL, "x.example", "1",
	  B("\5\0\5\4\0\1\0\0\0\0\0\0"), NULL, 0, ERR_NET,
	  "SOCKS5 proxy " PEER ": host unreachable" },
	{ "socks5 5", STREAM_PROXY_SOCKS5, NULL, NULL, "x.example", "1",
	  B("\5\0\5\5\0\1\0\0\0\0\0\0"), NULL, 0, ERR_NET,
	  "SOCKS5 proxy " PEER ": connection refused by destination" },
	{ "socks5 6", STREAM_PROXY_SOCKS5, NULL, NULL, "x.example", "1",
	  B("\5\0\5\6\0\1\0\0\0\0\0\0"), NULL, 0, ERR_NET,
	  "SOCKS5 proxy " PEER ": TTL expired" },
	{ "socks5 7", STREAM_PROXY_SOCKS5, NULL, NULL, "x.example", "1",
	  B("\5\0\5\7\0\1\0\0\0\0\0\0"), NULL, 0, ERR_NET,
	  "SOCKS5 proxy " PEER ": command not supported" },
	{ "socks5 8", STREAM_PROXY_SOCKS5, NULL, NULL, "x.example", "1",
	  B("\5\0\5\x08\0\1\0\0\0\0\0\0"), NULL, 0, ERR_NET,
	  "SOCKS5 proxy " PEER ": address type not supported" },
	{ "socks5 9", STREAM_PROXY_SOCKS5, NULL, NULL, "x.example", "1",
	  B("\5\0\5\x09\0\1\0\0\0\0\0\0"), NULL, 0, ERR_NET,
	  "SOCKS5 proxy " PEER ": refused (reply code 9)" },
	{ "http 407", STREAM_PROXY_HTTP, NULL, NULL, "x.example", "993",
	  B("HTTP/1.1 407 Proxy Authentication Required\r\n"
	  "Proxy-Authenticate: Basic realm=\"t\"\r\nContent-Length: 3\r\n\r\n"
	  "abc"), NULL, 0, ERR_AUTH,
	  "HTTP proxy " PEER ": 407 Proxy Authentication Required" },
	{ "http 403", STREAM_PROXY_HTTP, NULL, NULL, "x.example", "993",
	  B("HTTP/1.0 403 Forbidden\r\n\r\n"), NULL, 0, ERR_NET,
	  "HTTP proxy " PEER ": 403 Forbidden" },
	{ "http 502 hostile reason", STREAM_PROXY_HTTP, NULL, NULL,
	  "x.example", "993", B("HTTP/1.1 502 Bad\x1b[2J\r\n\r\n"), NULL, 0,
	  ERR_NET, "HTTP proxy " PEER ": 502 Bad?[2J" },
	/* short and garbage replies */
	{ "socks4 short", STREAM_PROXY_SOCKS4, NULL, NULL, "10.0.0.1", "1",
	  B("\0\x5a\0"), NULL, 0, ERR_NET,
	  "SOCKS4 proxy " PEER ": connection closed during the handshake" },
	{ "socks4 garbage", STREAM_PROXY_SOCKS4, NULL, NULL, "10.0.0.1", "1",
	  B("HTTP/1.0"), NULL, 0, ERR_PROTOCOL,
	  "SOCKS4 proxy " PEER ": malformed reply (not a SOCKS4 server?)" },
	{ "socks5 garbage", STREAM_PROXY_SOCKS5, NULL, NULL, "x.example", "1",
	  B("HTTP/1.0 400"), NULL, 0, ERR_PROTOCOL,
	  "SOCKS5 proxy " PEER ": malformed reply (not a SOCKS5 server?)" },
	{ "socks5 bad atyp", STREAM_PROXY_SOCKS5, NULL, NULL, "x.example", "1",
	  B("\5\0\5\0\0\7\0\0\0\0"), NULL, 0, ERR_PROTOCOL,
	  "SOCKS5 proxy " PEER ": unknown address type 7 in reply" },
	{ "socks5 short reply", STREAM_PROXY_SOCKS5, NULL, NULL, "x.example",
	  "1", B("\5\0\5\0\0\3\x20short"), NULL, 0, ERR_NET,
	  "SOCKS5 proxy " PEER ": connection closed during the handshake" },
	{ "http garbage", STREAM_PROXY_HTTP, NULL, NULL, "x.example", "1",
	  B("SSH-2.0-OpenSSH_9.2\r\n\r\n"), NULL, 0, ERR_PROTOCOL,
	  "HTTP proxy " PEER ": malformed reply (not an HTTP proxy?)" },
	{ "http closed", STREAM_PROXY_HTTP, NULL, NULL, "x.example", "1",
	  B("HTTP/1.1 200 OK\r\n"), NULL, 0, ERR_NET,
	  "HTTP proxy " PEER ": connection closed during the handshake" },
	{ "port not numeric", STREAM_PROXY_SOCKS5, NULL, NULL, "x.example",
	  "imaps", B(""), NULL, 0, ERR_CONFIG,
	  "SOCKS5 proxy " PEER ": the destination port must be a number, "
	  "not 'imaps'" },
};

/* Read everything the client sent (non-blocking) into out. */
static size_t
drain(int fd, unsigned char *out, size_t max)
{
	ssize_t	r;
	size_t	n = 0;

	while (n < max && (r = recv(fd, out + n, max - n, MSG_DONTWAIT)) > 0)
		n += (size_t)r;
	return n;
}

/* Monotonic milliseconds. */
static long
now_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Run one script; close the peer's write side after the reply. */
static int
run(const struct script *sc, struct error *err, unsigned char *sent,
    size_t *sentlen, char *rest, size_t restmax)
{
	struct stream_proxy_config	 pc = { sc->type, "127.0.0.1", "1080",
					    sc->user, (char *)sc->password };
	struct stream			*s;
	int				 sv[2], rc;
	ssize_t				 r;

	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	ck_assert_int_eq(write(sv[1], sc->reply, sc->replylen),
	    (ssize_t)sc->replylen);
	shutdown(sv[1], SHUT_WR);
	s = stream_tcp_from_fd(sv[0], PEER, 2000, -1);
	error_clear(err);
	rc = stream_proxy_connect(s, &pc, sc->host, sc->port, 2000, err);
	*sentlen = drain(sv[1], sent, 4096);
	rest[0] = '\0';
	if (rc == 0) {
		r = stream_read(s, rest, restmax - 1, err);
		rest[r > 0 ? r : 0] = '\0';
	}
	stream_free(s);
	close(sv[1]);
	return rc;
}

/* Each script: exact bytes sent, exact error, nothing of the server lost. */
START_TEST(test_scripts)
{
	const struct script	*sc = &scripts[_i];
	struct error		 err;
	unsigned char		 sent[4096];
	size_t			 sentlen;
	char			 rest[256];
	int			 rc;

	rc = run(sc, &err, sent, &sentlen, rest, sizeof rest);
	if (sc->want != NULL) {
		ck_assert_msg(sentlen == sc->wantlen &&
		    memcmp(sent, sc->want, sentlen) == 0,
		    "%s: sent %zu bytes, want %zu", sc->name, sentlen,
		    sc->wantlen);
	}
	if (sc->code == ERR_NONE) {
		ck_assert_msg(rc == 0, "%s: %s", sc->name, err.msg);
		ck_assert_str_eq(rest, GREETING);
	} else {
		ck_assert_msg(rc == -1, "%s: succeeded", sc->name);
		ck_assert_str_eq(err.msg, sc->msg);
		ck_assert_int_eq(err.code, sc->code);
		ck_assert_int_eq(err.scope, ERR_SCOPE_ACCOUNT);
	}
}
END_TEST

/* A silent proxy: the whole handshake's bound applies, not each wait's. */
START_TEST(test_silent_proxy)
{
	struct stream_proxy_config	 pc = { STREAM_PROXY_SOCKS5, "127.0.0.1",
					    "1080", NULL, NULL };
	struct stream			*s;
	struct error			 err;
	int				 sv[2];
	long				 t0, el;

	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	s = stream_tcp_from_fd(sv[0], PEER, 5000, -1);
	t0 = now_ms();
	ck_assert_int_eq(stream_proxy_connect(s, &pc, "x.example", "993", 300,
	    &err), -1);
	el = now_ms() - t0;
	ck_assert_int_eq(err.code, ERR_TIMEOUT);
	ck_assert_str_eq(err.msg, "SOCKS5 proxy " PEER ": no answer within 1 s");
	ck_assert_msg(el >= 250 && el < 1500, "took %ld ms", el);
	/* the stream's own timeout is restored */
	ck_assert_int_eq(s->timeout_ms, 5000);
	stream_free(s);
	close(sv[1]);
}
END_TEST

/* A slow drip of an HTTP head cannot stretch the handshake. */
START_TEST(test_http_drip)
{
	struct stream_proxy_config	 pc = { STREAM_PROXY_HTTP, "127.0.0.1",
					    "1080", NULL, NULL };
	struct stream			*s;
	struct error			 err;
	int				 sv[2];
	long				 t0;

	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	ck_assert_int_eq(write(sv[1], "HTTP/1.1 200 OK\r\nX: ", 20), 20);
	s = stream_tcp_from_fd(sv[0], PEER, 5000, -1);
	t0 = now_ms();
	ck_assert_int_eq(stream_proxy_connect(s, &pc, "x.example", "993", 400,
	    &err), -1);
	ck_assert_int_eq(err.code, ERR_TIMEOUT);
	ck_assert(now_ms() - t0 < 1500);
	stream_free(s);
	close(sv[1]);
}
END_TEST

/* The wake fd cancels a handshake. */
START_TEST(test_cancel)
{
	struct stream_proxy_config	 pc = { STREAM_PROXY_SOCKS4A,
					    "127.0.0.1", "1080", NULL, NULL };
	struct stream			*s;
	struct error			 err;
	int				 sv[2], wake[2];

	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	ck_assert_int_eq(pipe(wake), 0);
	ck_assert_int_eq(write(wake[1], "x", 1), 1);
	s = stream_tcp_from_fd(sv[0], PEER, 5000, wake[0]);
	ck_assert_int_eq(stream_proxy_connect(s, &pc, "x.example", "993",
	    5000, &err), -1);
	ck_assert_int_eq(err.code, ERR_CANCELLED);
	stream_free(s);
	close(sv[1]);
	close(wake[0]);
	close(wake[1]);
}
END_TEST

/* An HTTP head over 16 KiB is refused; a 200 after it is never read. */
START_TEST(test_http_head_limit)
{
	struct stream_proxy_config	 pc = { STREAM_PROXY_HTTP, "127.0.0.1",
					    "1080", NULL, NULL };
	struct stream			*s;
	struct error			 err;
	char				 line[64];
	int				 sv[2], i;

	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	ck_assert_int_eq(write(sv[1], "HTTP/1.1 200 OK\r\n", 17), 17);
	memset(line, 'a', sizeof line);
	line[sizeof line - 2] = '\r';
	line[sizeof line - 1] = '\n';
	for (i = 0; i < STREAM_PROXY_HTTP_MAX / 64 + 1; i++)
		ck_assert_int_eq(write(sv[1], line, sizeof line), 64);
	s = stream_tcp_from_fd(sv[0], PEER, 2000, -1);
	ck_assert_int_eq(stream_proxy_connect(s, &pc, "x.example", "993",
	    2000, &err), -1);
	ck_assert_int_eq(err.code, ERR_TOOBIG);
	stream_free(s);
	close(sv[1]);
}
END_TEST

/* Search a file for a string. */
static bool
file_has(const char *path, const char *needle)
{
	char	buf[65536];
	FILE	*f;
	size_t	n;

	ck_assert_ptr_nonnull(f = fopen(path, "r"));
	n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	return strstr(buf, needle) != NULL;
}

/* Passwords (plain or base64) never reach the trace log or an error. */
START_TEST(test_no_password_in_log)
{
	char		 path[] = "/tmp/petrel-proxy-log.XXXXXX";
	struct error	 err;
	unsigned char	 sent[4096];
	size_t		 sentlen, i;
	char		 rest[256];
	int		 fd;

	ck_assert_int_ne(fd = mkstemp(path), -1);
	close(fd);
	ck_assert_int_eq(log_open(path, LOG_TRACE, NULL), 0);
	for (i = 0; i < sizeof scripts / sizeof *scripts; i++) {
		if (scripts[i].password == NULL)
			continue;
		run(&scripts[i], &err, sent, &sentlen, rest, sizeof rest);
		ck_assert_ptr_null(strstr(err.msg, "s3cret"));
	}
	log_close();
	ck_assert(file_has(path, "authenticating as bob"));
	ck_assert(file_has(path, "CONNECT [::1]:993 HTTP/1.1"));
	ck_assert(!file_has(path, "s3cret"));
	ck_assert(!file_has(path, "Ym9iOnMzY3JldA"));
	unlink(path);
}
END_TEST

/* The pure parsers on edge cases. */
START_TEST(test_parsers)
{
	struct error	err;
	int		m;

	ck_assert_uint_eq(stream_proxy_http_head_len("a\r\n\r\nb", 6), 5);
	ck_assert_uint_eq(stream_proxy_http_head_len("a\n\nb", 4), 3);
	ck_assert_uint_eq(stream_proxy_http_head_len("a\r\n\r", 4), 0);
	ck_assert_uint_eq(stream_proxy_http_head_len("", 0), 0);
	ck_assert_int_eq(stream_proxy_http_reply("HTTP/1.1 204\r\n\r\n", 16,
	    "L", &err), 0);
	ck_assert_int_eq(stream_proxy_http_reply("HTTP/1.1 2000 x\r\n\r\n",
	    19, "L", &err), -1);
	ck_assert_int_eq(stream_proxy_http_reply("HTTP/ 200 x\r\n\r\n", 15,
	    "L", &err), -1);
	ck_assert_int_eq(stream_proxy_http_reply("HTTP/1.1 999 x\r\n\r\n",
	    18, "L", &err), -1);
	ck_assert_int_eq(err.code, ERR_PROTOCOL);
	ck_assert_int_eq(stream_proxy_socks5_reply_len(
	    (const unsigned char *)"\5\0\0\3\xff", 5, "L", &err), 4 + 1 + 255 + 2);
	ck_assert_int_eq(stream_proxy_socks5_reply_len(
	    (const unsigned char *)"\5\0\1\1\0", 5, "L", &err), -1);
	ck_assert_int_eq(stream_proxy_socks5_method(
	    (const unsigned char *)"\4\0", 2, "L", &m, &err), -1);
	ck_assert_int_eq(stream_proxy_socks5_auth(
	    (const unsigned char *)"\5\0", 2, "L", &err), -1);
	ck_assert_int_eq(stream_proxy_socks4_reply(
	    (const unsigned char *)"\0\x5a\0\0\0\0\0", 7, "L", &err), -1);
}
END_TEST

/* The suite. */
static Suite *
proxy_suite(void)
{
	Suite	*s = suite_create("stream_proxy");
	TCase	*tc = tcase_create("core");

	tcase_add_loop_test(tc, test_scripts, 0,
	    (int)(sizeof scripts / sizeof *scripts));
	tcase_add_test(tc, test_silent_proxy);
	tcase_add_test(tc, test_http_drip);
	tcase_add_test(tc, test_cancel);
	tcase_add_test(tc, test_http_head_limit);
	tcase_add_test(tc, test_no_password_in_log);
	tcase_add_test(tc, test_parsers);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(proxy_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
