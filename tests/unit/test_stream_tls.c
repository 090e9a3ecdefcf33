/*
 * test_stream_tls.c - the TLS options of stream_tls.c against an OpenSSL
 * server running in a thread on the other end of a socketpair, with
 * throwaway certificates made by this test (OpenSSL APIs, P-256).
 *
 * Covers: the version range (mapping, min/max against a server limited to
 * one version, TLS 1.0 made possible by an explicit tls_min at security
 * level 0, bad ranges), the version decision of stream_tls_clamp from a
 * table and over every input, versions the OpenSSL configuration forbids
 * (a real openssl.cnf system_default section with MinProtocol or
 * MaxProtocol, loaded in a child process: moved with a warning in the log,
 * or refused with tls_strict), cipher lists OpenSSL rejects, the
 * fingerprint pin (self-signed accepted, wrong pin refused with both
 * fingerprints shown, a name mismatch overridden; both ERR_TLS_VERIFY), a
 * client certificate the server sees (bad files: ERR_CONFIG), and a silent
 * server bounded by the timeout.
 */
#include <sys/socket.h>
#include <sys/wait.h>

#include <check.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/conf.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "net/stream.h"
#include "util/log.h"

/* A certificate and its key, and the files they were written to. */
struct cred {
	EVP_PKEY	*key;
	X509		*cert;
	char		 cert_path[64];
	char		 key_path[64];
	char		 fp[128];	/* "sha256:AA:..." */
};

static struct cred	server_cred, client_cred;

/* The server thread's settings and what it saw. */
struct server {
	int		 fd;
	int		 min, max;	/* OpenSSL constants; 0: default */
	int		 seclevel;	/* -1: default */
	bool		 want_client_cert;
	bool		 silent;	/* never answer */
	bool		 ok;		/* handshake done */
	bool		 got_client_cert;
	pthread_t	 thread;
};

/* Add an extension given in OpenSSL's config syntax. */
static void
add_ext(X509 *x, int nid, const char *value)
{
	X509V3_CTX	 ctx;
	X509_EXTENSION	*ext;

	X509V3_set_ctx_nodb(&ctx);
	X509V3_set_ctx(&ctx, x, x, NULL, NULL, 0);
	ck_assert_ptr_nonnull(ext = X509V3_EXT_conf_nid(NULL, &ctx, nid,
	    value));
	X509_add_ext(x, ext, -1);
	X509_EXTENSION_free(ext);
}

/* Make a self-signed certificate for cn/san and write it out. */
static void
make_cred(struct cred *c, const char *cn, const char *san, int serial)
{
	unsigned char	 md[EVP_MAX_MD_SIZE];
	unsigned int	 mdlen, i;
	size_t		 len;
	FILE		*f;
	int		 fd;

	ck_assert_ptr_nonnull(c->key = EVP_EC_gen("P-256"));
	ck_assert_ptr_nonnull(c->cert = X509_new());
	X509_set_version(c->cert, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(c->cert), serial);
	X509_gmtime_adj(X509_getm_notBefore(c->cert), -3600);
	X509_gmtime_adj(X509_getm_notAfter(c->cert), 86400);
	X509_set_pubkey(c->cert, c->key);
	X509_NAME_add_entry_by_txt(X509_get_subject_name(c->cert), "CN",
	    MBSTRING_ASC, (const unsigned char *)cn, -1, -1, 0);
	X509_set_issuer_name(c->cert, X509_get_subject_name(c->cert));
	add_ext(c->cert, NID_basic_constraints, "critical,CA:TRUE");
	add_ext(c->cert, NID_subject_alt_name, san);
	ck_assert_int_gt(X509_sign(c->cert, c->key, EVP_sha256()), 0);
	snprintf(c->cert_path, sizeof c->cert_path, "/tmp/petrel-tls.XXXXXX");
	ck_assert_int_ne(fd = mkstemp(c->cert_path), -1);
	ck_assert_ptr_nonnull(f = fdopen(fd, "w"));
	PEM_write_X509(f, c->cert);
	fclose(f);
	snprintf(c->key_path, sizeof c->key_path, "/tmp/petrel-key.XXXXXX");
	ck_assert_int_ne(fd = mkstemp(c->key_path), -1);
	ck_assert_ptr_nonnull(f = fdopen(fd, "w"));
	PEM_write_PrivateKey(f, c->key, NULL, NULL, 0, NULL, NULL);
	fclose(f);
	X509_digest(c->cert, EVP_sha256(), md, &mdlen);
	len = (size_t)snprintf(c->fp, sizeof c->fp, "sha256:");
	for (i = 0; i < mdlen; i++)
		len += (size_t)snprintf(c->fp + len, sizeof c->fp - len,
		    "%02X%s", md[i], i + 1 < mdlen ? ":" : "");
}

/* Accept any client certificate (the test only notes it). */
static int
accept_any(int ok, X509_STORE_CTX *xs)
{
	(void)ok;
	(void)xs;
	return 1;
}

/* The server: handshake, "hello\n", then wait for the client to close. */
static void *
server_main(void *arg)
{
	struct server	*sv = arg;
	SSL_CTX		*ctx;
	SSL		*ssl;
	X509		*peer;
	char		 c;

	if (sv->silent) {
		while (read(sv->fd, &c, 1) > 0)
			;
		return NULL;
	}
	ctx = SSL_CTX_new(TLS_server_method());
	SSL_CTX_use_certificate(ctx, server_cred.cert);
	SSL_CTX_use_PrivateKey(ctx, server_cred.key);
	if (sv->seclevel >= 0)
		SSL_CTX_set_security_level(ctx, sv->seclevel);
	if (sv->min != 0)
		SSL_CTX_set_min_proto_version(ctx, sv->min);
	if (sv->max != 0)
		SSL_CTX_set_max_proto_version(ctx, sv->max);
	if (sv->want_client_cert)
		SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, accept_any);
	ssl = SSL_new(ctx);
	SSL_set_fd(ssl, sv->fd);
	if (SSL_accept(ssl) == 1) {
		sv->ok = true;
		if ((peer = SSL_get1_peer_certificate(ssl)) != NULL) {
			sv->got_client_cert = X509_cmp(peer,
			    client_cred.cert) == 0;
			X509_free(peer);
		}
		SSL_write(ssl, "hello\n", 6);
		while (SSL_read(ssl, &c, 1) > 0)
			;
	}
	SSL_free(ssl);
	SSL_CTX_free(ctx);
	ERR_clear_error();
	return NULL;
}

/* Start a server; returns the client's TCP stream. */
static struct stream *
server_start(struct server *sv, int timeout_ms)
{
	int	p[2];

	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, p), 0);
	sv->fd = p[1];
	ck_assert_int_eq(pthread_create(&sv->thread, NULL, server_main, sv),
	    0);
	return stream_tcp_from_fd(p[0], "localhost:993", timeout_ms, -1);
}

/* Free the client, then collect the server. */
static void
server_end(struct server *sv, struct stream *s)
{
	stream_free(s);
	pthread_join(sv->thread, NULL);
	close(sv->fd);
}

/* Connect with cfg to a server as sv says; 0 or -1, version in *ver. */
static int
try_tls(struct server *sv, const struct stream_tls_config *cfg,
    const char *host, char *ver, size_t versize, struct error *err)
{
	struct stream	*s;
	char		 buf[16];
	ssize_t		 n;
	int		 rc;

	s = server_start(sv, 3000);
	error_clear(err);
	ver[0] = '\0';
	rc = stream_tls_start(&s, host, cfg, err);
	if (rc == 0) {
		snprintf(ver, versize, "%s", stream_tls_version(s));
		n = stream_read(s, buf, sizeof buf, err);
		ck_assert_int_eq(n, 6);
		ck_assert(memcmp(buf, "hello\n", 6) == 0);
	} else
		ck_assert_ptr_null(stream_tls_version(s));
	server_end(sv, s);
	return rc;
}

/* The configuration most tests start from: trust the test certificate. */
static struct stream_tls_config
base_cfg(void)
{
	struct stream_tls_config	c = { .ca_file = server_cred.cert_path,
					    .verify = true };

	return c;
}

/* A default connection is TLS 1.3; the version is readable. */
START_TEST(test_default_version)
{
	struct server			 sv = { .seclevel = -1 };
	struct stream_tls_config	 cfg = base_cfg();
	struct error			 err;
	char				 ver[32];

	ck_assert_msg(try_tls(&sv, &cfg, "localhost", ver, sizeof ver,
	    &err) == 0, "%s", err.msg);
	ck_assert_str_eq(ver, "TLSv1.3");
}
END_TEST

/* tls_max 1.2, and min/max against a server limited to one version. */
START_TEST(test_min_max)
{
	struct server			 sv = { .seclevel = -1 };
	struct stream_tls_config	 cfg = base_cfg();
	struct error			 err;
	char				 ver[32];

	cfg.max_version = 12;
	ck_assert_msg(try_tls(&sv, &cfg, "localhost", ver, sizeof ver,
	    &err) == 0, "%s", err.msg);
	ck_assert_str_eq(ver, "TLSv1.2");
	/* a TLS-1.2-only server and tls_min 1.3: no handshake */
	memset(&sv, 0, sizeof sv);
	sv.seclevel = -1;
	sv.max = TLS1_2_VERSION;
	cfg = base_cfg();
	cfg.min_version = 13;
	ck_assert_int_eq(try_tls(&sv, &cfg, "localhost", ver, sizeof ver,
	    &err), -1);
	ck_assert_int_eq(err.code, ERR_TLS);
	/* a TLS-1.3-only server and tls_max 1.2: no handshake either */
	memset(&sv, 0, sizeof sv);
	sv.seclevel = -1;
	sv.min = TLS1_3_VERSION;
	cfg = base_cfg();
	cfg.max_version = 12;
	ck_assert_int_eq(try_tls(&sv, &cfg, "localhost", ver, sizeof ver,
	    &err), -1);
	ck_assert_int_eq(err.code, ERR_TLS);
	/* min = max = 1.3 against it works */
	memset(&sv, 0, sizeof sv);
	sv.seclevel = -1;
	sv.min = TLS1_3_VERSION;
	cfg = base_cfg();
	cfg.min_version = cfg.max_version = 13;
	ck_assert_msg(try_tls(&sv, &cfg, "localhost", ver, sizeof ver,
	    &err) == 0, "%s", err.msg);
	ck_assert_str_eq(ver, "TLSv1.3");
}
END_TEST

/* An explicit tls_min 1.0 reaches a TLS-1.0-only server (seclevel 0). */
START_TEST(test_tls10_explicit)
{
	struct server			 sv = { .seclevel = 0 };
	struct stream_tls_config	 cfg = base_cfg();
	struct error			 err;
	char				 ver[32];

	sv.max = TLS1_VERSION;
	/* by default petrel refuses it */
	ck_assert_int_eq(try_tls(&sv, &cfg, "localhost", ver, sizeof ver,
	    &err), -1);
	memset(&sv, 0, sizeof sv);
	sv.max = TLS1_VERSION;
	cfg.min_version = 10;
	ck_assert_msg(try_tls(&sv, &cfg, "localhost", ver, sizeof ver,
	    &err) == 0, "%s", err.msg);
	ck_assert_str_eq(ver, "TLSv1");
}
END_TEST

/* The version range a config yields, and the ones refused. */
START_TEST(test_versions)
{
	struct stream_tls_config	cfg = { .verify = true };
	struct error			err;
	int				lo, hi;

	ck_assert_int_eq(stream_tls_versions(&cfg, &lo, &hi, &err), 0);
	ck_assert_int_eq(lo, 12);
	ck_assert_int_eq(hi, 13);
	cfg.max_version = 11;
	ck_assert_int_eq(stream_tls_versions(&cfg, &lo, &hi, &err), 0);
	ck_assert_int_eq(lo, 11);
	ck_assert_int_eq(hi, 11);
	cfg.min_version = 10;
	cfg.max_version = 0;
	cfg.strict = true;
	ck_assert_int_eq(stream_tls_versions(&cfg, &lo, &hi, &err), 0);
	ck_assert_int_eq(lo, 10);
	cfg.min_version = 13;
	cfg.max_version = 12;
	ck_assert_int_eq(stream_tls_versions(&cfg, &lo, &hi, &err), -1);
	ck_assert_str_eq(err.msg, "tls_min 1.3 is above tls_max 1.2");
	cfg.min_version = 14;
	cfg.max_version = 0;
	ck_assert_int_eq(stream_tls_versions(&cfg, &lo, &hi, &err), -1);
	ck_assert_int_eq(err.code, ERR_CONFIG);
}
END_TEST

/* One check under an OpenSSL configuration (conf_run). */
struct conf_probe {
	int		 min, max;	/* the account's tls_min / tls_max */
	bool		 strict;
	bool		 handshake;	/* then connect to server */
	struct server	 server;
};

/* What the child saw for one probe. */
struct conf_result {
	int		 rc;
	enum error_code	 code;
	int		 lo, hi;	/* stream_tls_versions */
	char		 ver[32];	/* negotiated, if a handshake */
	char		 msg[ERROR_MSG_MAX];
	char		 log[1024];	/* what petrel logged */
};

/* An openssl.cnf whose system_default section says one thing. */
static const char conf_head[] =
	"openssl_conf = petrel_init\n"
	"[petrel_init]\n"
	"ssl_conf = petrel_ssl\n"
	"[petrel_ssl]\n"
	"system_default = petrel_system\n"
	"[petrel_system]\n";

/* Run one probe (in the child): versions, then maybe a handshake. */
static void
conf_probe_run(const struct conf_probe *p, const char *log_path,
    struct conf_result *r)
{
	struct stream_tls_config	 cfg = base_cfg();
	struct server			 sv = p->server;
	struct error			 err;
	FILE				*f;
	size_t				 n;

	memset(r, 0, sizeof *r);
	cfg.min_version = p->min;
	cfg.max_version = p->max;
	cfg.strict = p->strict;
	error_clear(&err);
	if (truncate(log_path, 0) == -1 ||
	    log_open(log_path, LOG_WARN, NULL) == -1)
		_exit(4);
	r->rc = stream_tls_versions(&cfg, &r->lo, &r->hi, &err);
	if (r->rc == 0 && p->handshake)
		r->rc = try_tls(&sv, &cfg, "localhost", r->ver, sizeof r->ver,
		    &err);
	log_close();
	r->code = err.code;
	snprintf(r->msg, sizeof r->msg, "%s", err.msg);
	if ((f = fopen(log_path, "r")) == NULL)
		_exit(5);
	n = fread(r->log, 1, sizeof r->log - 1, f);
	r->log[n] = '\0';
	fclose(f);
}

/*
 * Run probes in a child process that loaded openssl.cnf text body (what
 * OPENSSL_CONF does at start-up; the child keeps it from every other
 * test), one result each.
 */
static void
conf_run(const char *body, const struct conf_probe *p, size_t n,
    struct conf_result *out)
{
	char	 conf[] = "/tmp/petrel-ossl.XXXXXX";
	char	 log_path[] = "/tmp/petrel-tlslog.XXXXXX";
	int	 fd, pfd[2], status;
	size_t	 got = 0, i;
	ssize_t	 k;
	FILE	*f;
	pid_t	 pid;

	ck_assert_int_ne(fd = mkstemp(conf), -1);
	ck_assert_ptr_nonnull(f = fdopen(fd, "w"));
	fprintf(f, "%s%s", conf_head, body);
	fclose(f);
	ck_assert_int_ne(fd = mkstemp(log_path), -1);
	close(fd);
	ck_assert_int_eq(pipe(pfd), 0);
	ck_assert_int_ne(pid = fork(), -1);
	if (pid == 0) {
		close(pfd[0]);
		if (CONF_modules_load_file(conf, NULL, 0) != 1)
			_exit(3);
		for (i = 0; i < n; i++) {
			conf_probe_run(&p[i], log_path, &out[i]);
			if (write(pfd[1], &out[i], sizeof out[i]) !=
			    (ssize_t)sizeof out[i])
				_exit(6);
		}
		_exit(0);
	}
	close(pfd[1]);
	while (got < n * sizeof *out &&
	    (k = read(pfd[0], (char *)out + got, n * sizeof *out - got)) > 0)
		got += (size_t)k;
	close(pfd[0]);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	unlink(conf);
	unlink(log_path);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	    "child status %d", status);
	ck_assert_uint_eq(got, n * sizeof *out);
}

/*
 * MinProtocol = TLSv1.2 in openssl.cnf: tls_min 1.0 moves to 1.2 with a
 * warning (and really: a TLS-1.0-only server is refused), or is an error
 * with tls_strict; the default is untouched.
 */
START_TEST(test_conf_min_protocol)
{
	const struct conf_probe	probes[] = {
		{ .min = 10, .handshake = true, .server = { .seclevel = 0,
		    .min = TLS1_VERSION, .max = TLS1_VERSION } },
		{ .min = 10, .strict = true },
		{ .handshake = true, .server = { .seclevel = -1 } },
	};
	struct conf_result	r[3];

	conf_run("MinProtocol = TLSv1.2\n", probes, 3, r);
	ck_assert_int_eq(r[0].lo, 12);
	ck_assert_int_eq(r[0].hi, 13);
	ck_assert_int_eq(r[0].rc, -1);
	ck_assert_int_eq(r[0].code, ERR_TLS);
	ck_assert_msg(strstr(r[0].log, "tls_min 1.0 is not available in "
	    "this OpenSSL (it can do TLS 1.2 to 1.3 here): using TLS 1.2") !=
	    NULL, "log: %s", r[0].log);
	ck_assert_int_eq(r[1].rc, -1);
	ck_assert_int_eq(r[1].code, ERR_CONFIG);
	ck_assert_str_eq(r[1].msg, "tls_min 1.0 is not available in this "
	    "OpenSSL (it can do TLS 1.2 to 1.3 here) and tls_strict is set");
	ck_assert_str_eq(r[1].log, "");
	ck_assert_msg(r[2].rc == 0, "%s", r[2].msg);
	ck_assert_str_eq(r[2].ver, "TLSv1.3");
	ck_assert_str_eq(r[2].log, "");
}
END_TEST

/*
 * MaxProtocol = TLSv1.2: the default maximum follows silently, tls_max 1.3
 * moves to 1.2 with a warning (against a server that would do 1.3), and
 * is an error with tls_strict.
 */
START_TEST(test_conf_max_protocol)
{
	const struct conf_probe	probes[] = {
		{ .handshake = true, .server = { .seclevel = -1,
		    .min = TLS1_2_VERSION, .max = TLS1_3_VERSION } },
		{ .min = 13, .max = 13, .handshake = true, .server = {
		    .seclevel = -1, .min = TLS1_2_VERSION,
		    .max = TLS1_3_VERSION } },
		{ .max = 13, .strict = true },
	};
	struct conf_result	r[3];

	conf_run("MaxProtocol = TLSv1.2\n", probes, 3, r);
	ck_assert_msg(r[0].rc == 0, "%s", r[0].msg);
	ck_assert_int_eq(r[0].lo, 12);
	ck_assert_int_eq(r[0].hi, 12);
	ck_assert_str_eq(r[0].ver, "TLSv1.2");
	ck_assert_str_eq(r[0].log, "");
	ck_assert_msg(r[1].rc == 0, "%s", r[1].msg);
	ck_assert_int_eq(r[1].lo, 12);
	ck_assert_int_eq(r[1].hi, 12);
	ck_assert_str_eq(r[1].ver, "TLSv1.2");
	ck_assert_msg(strstr(r[1].log, "tls_min 1.3 is not available in "
	    "this OpenSSL (it can do TLS 1.2 only here): using TLS 1.2; "
	    "tls_max 1.3 is not available") != NULL, "log: %s", r[1].log);
	ck_assert_int_eq(r[2].rc, -1);
	ck_assert_int_eq(r[2].code, ERR_CONFIG);
	ck_assert_ptr_nonnull(strstr(r[2].msg, "tls_max 1.3 is not "
	    "available in this OpenSSL (it can do TLS 1.2 only here) and "
	    "tls_strict is set"));
}
END_TEST

/* Cipher lists OpenSSL rejects are clear errors; good ones work. */
START_TEST(test_ciphers)
{
	struct server			 sv = { .seclevel = -1 };
	struct stream_tls_config	 cfg = base_cfg();
	struct error			 err;
	char				 ver[32];

	cfg.ciphers = "NO-SUCH-CIPHER";
	ck_assert_int_eq(try_tls(&sv, &cfg, "localhost", ver, sizeof ver,
	    &err), -1);
	ck_assert_int_eq(err.code, ERR_CONFIG);
	ck_assert_str_eq(err.msg, "tls_ciphers 'NO-SUCH-CIPHER': OpenSSL "
	    "knows none of these ciphers");
	memset(&sv, 0, sizeof sv);
	sv.seclevel = -1;
	cfg = base_cfg();
	cfg.ciphersuites = "TLS_NO_SUCH_SUITE";
	ck_assert_int_eq(try_tls(&sv, &cfg, "localhost", ver, sizeof ver,
	    &err), -1);
	ck_assert_ptr_nonnull(strstr(err.msg, "tls_ciphersuites "
	    "'TLS_NO_SUCH_SUITE' rejected"));
	memset(&sv, 0, sizeof sv);
	sv.seclevel = -1;
	cfg = base_cfg();
	cfg.ciphers = "ECDHE-ECDSA-AES128-GCM-SHA256";
	cfg.max_version = 12;
	ck_assert_msg(try_tls(&sv, &cfg, "localhost", ver, sizeof ver,
	    &err) == 0, "%s", err.msg);
	ck_assert_str_eq(ver, "TLSv1.2");
	memset(&sv, 0, sizeof sv);
	sv.seclevel = -1;
	cfg = base_cfg();
	cfg.ciphersuites = "TLS_CHACHA20_POLY1305_SHA256";
	ck_assert_msg(try_tls(&sv, &cfg, "localhost", ver, sizeof ver,
	    &err) == 0, "%s", err.msg);
}
END_TEST

/* Pins: self-signed accepted, wrong pin refused, name mismatch allowed. */
START_TEST(test_pin)
{
	struct server			 sv = { .seclevel = -1 };
	struct stream_tls_config	 cfg = { .verify = true };
	struct error			 err;
	char				 ver[32], want[512];
	const char			*wrong = "sha256:00:11:22:33:44:55:66:77:"
	    "88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:"
	    "DD:EE:FF";

	/* not trusted by the system store: refused, fingerprint shown */
	ck_assert_int_eq(try_tls(&sv, &cfg, "localhost", ver, sizeof ver,
	    &err), -1);
	ck_assert_ptr_nonnull(strstr(err.msg, "certificate verification "
	    "failed"));
	ck_assert_ptr_nonnull(strstr(err.msg, server_cred.fp));
	ck_assert_int_eq(err.code, ERR_TLS_VERIFY);
	/* pinned: accepted without a trusted chain, under another name */
	memset(&sv, 0, sizeof sv);
	sv.seclevel = -1;
	cfg.fingerprint = server_cred.fp;
	ck_assert_msg(try_tls(&sv, &cfg, "other.example", ver, sizeof ver,
	    &err) == 0, "%s", err.msg);
	/* a wrong pin, even with the chain trusted: refused */
	memset(&sv, 0, sizeof sv);
	sv.seclevel = -1;
	cfg = base_cfg();
	cfg.fingerprint = wrong;
	ck_assert_int_eq(try_tls(&sv, &cfg, "localhost", ver, sizeof ver,
	    &err), -1);
	snprintf(want, sizeof want, "localhost:993: server certificate %s "
	    "does not match the pinned fingerprint %s", server_cred.fp, wrong);
	ck_assert_str_eq(err.msg, want);
	ck_assert_int_eq(err.code, ERR_TLS_VERIFY);
}
END_TEST

/* The pin comparison itself. */
START_TEST(test_pin_match)
{
	const char	*fp = server_cred.fp;
	char		 lower[128], bare[128];
	size_t		 i, n = 0;

	for (i = 0; fp[i] != '\0'; i++) {
		lower[i] = (char)(fp[i] >= 'A' && fp[i] <= 'F' ?
		    fp[i] + 32 : fp[i]);
		if (i >= 7 && fp[i] != ':')
			bare[n++] = fp[i];
	}
	lower[i] = '\0';
	bare[n] = '\0';
	ck_assert(stream_tls_pin_match(fp, fp));
	ck_assert(stream_tls_pin_match(lower, fp));
	ck_assert(stream_tls_pin_match(bare, fp));
	bare[n - 1] = bare[n - 1] == '0' ? '1' : '0';
	ck_assert(!stream_tls_pin_match(bare, fp));
	bare[n - 1] = '\0';
	ck_assert(!stream_tls_pin_match(bare, fp));
	ck_assert(!stream_tls_pin_match("sha256:", "sha256:"));
	ck_assert(!stream_tls_pin_match(NULL, fp));
}
END_TEST

/* A client certificate reaches the server; a bad key file is an error. */
START_TEST(test_client_cert)
{
	struct server			 sv = { .seclevel = -1 };
	struct stream_tls_config	 cfg = base_cfg();
	struct error			 err;
	char				 ver[32];

	sv.want_client_cert = true;
	cfg.cert_file = client_cred.cert_path;
	cfg.key_file = client_cred.key_path;
	ck_assert_msg(try_tls(&sv, &cfg, "localhost", ver, sizeof ver,
	    &err) == 0, "%s", err.msg);
	ck_assert(sv.got_client_cert);
	memset(&sv, 0, sizeof sv);
	sv.seclevel = -1;
	cfg.key_file = server_cred.key_path;	/* not this certificate's */
	ck_assert_int_eq(try_tls(&sv, &cfg, "localhost", ver, sizeof ver,
	    &err), -1);
	ck_assert_ptr_nonnull(strstr(err.msg, "client key"));
	ck_assert_int_eq(err.code, ERR_CONFIG);
	memset(&sv, 0, sizeof sv);
	sv.seclevel = -1;
	cfg.cert_file = "/nonexistent/cert.pem";
	ck_assert_int_eq(try_tls(&sv, &cfg, "localhost", ver, sizeof ver,
	    &err), -1);
	ck_assert_ptr_nonnull(strstr(err.msg, "/nonexistent/cert.pem"));
	ck_assert_int_eq(err.code, ERR_CONFIG);
}
END_TEST

/* A server that never answers: the handshake ends within the timeout. */
START_TEST(test_silent_server)
{
	struct server			 sv = { .silent = true };
	struct stream_tls_config	 cfg = base_cfg();
	struct stream			*s;
	struct error			 err;

	s = server_start(&sv, 300);
	ck_assert_int_eq(stream_tls_start(&s, "localhost", &cfg, &err), -1);
	ck_assert_int_eq(err.code, ERR_TIMEOUT);
	server_end(&sv, s);
}
END_TEST

/* Make the certificates once. */
static void
setup(void)
{
	make_cred(&server_cred, "localhost", "DNS:localhost", 1);
	make_cred(&client_cred, "petrel client", "DNS:client.example", 2);
}

/* Remove their files. */
static void
teardown(void)
{
	unlink(server_cred.cert_path);
	unlink(server_cred.key_path);
	unlink(client_cred.cert_path);
	unlink(client_cred.key_path);
}

/* The suite. */
static Suite *
tls_suite(void)
{
	Suite	*s = suite_create("stream_tls");
	TCase	*tc = tcase_create("core");

	tcase_add_unchecked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_default_version);
	tcase_add_test(tc, test_min_max);
	tcase_add_test(tc, test_tls10_explicit);
	tcase_add_test(tc, test_versions);
	tcase_add_test(tc, test_conf_min_protocol);
	tcase_add_test(tc, test_conf_max_protocol);
	tcase_add_test(tc, test_ciphers);
	tcase_add_test(tc, test_pin);
	tcase_add_test(tc, test_pin_match);
	tcase_add_test(tc, test_client_cert);
	tcase_add_test(tc, test_silent_server);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(tls_suite());
	int	 failed;

	signal(SIGPIPE, SIG_IGN);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
