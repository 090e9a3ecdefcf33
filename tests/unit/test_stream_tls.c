/*
 * test_stream_tls.c - the TLS options of stream_tls.c against an OpenSSL
 * server running in a thread on the other end of a socketpair, with
 * throwaway certificates made by this test (OpenSSL APIs, P-256).
 *
 * Covers: the version range (mapping, min/max against a server limited to
 * one version, TLS 1.0 made possible by an explicit tls_min at security
 * level 0, bad ranges), cipher lists OpenSSL rejects, the fingerprint pin
 * (self-signed accepted, wrong pin refused with both fingerprints shown,
 * a name mismatch overridden), a client certificate the server sees, and
 * a silent server bounded by the timeout.
 */
#include <sys/socket.h>

#include <check.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "net/stream.h"

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
	ck_assert_int_eq(err.code, ERR_TLS);
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
	memset(&sv, 0, sizeof sv);
	sv.seclevel = -1;
	cfg.cert_file = "/nonexistent/cert.pem";
	ck_assert_int_eq(try_tls(&sv, &cfg, "localhost", ver, sizeof ver,
	    &err), -1);
	ck_assert_ptr_nonnull(strstr(err.msg, "/nonexistent/cert.pem"));
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
