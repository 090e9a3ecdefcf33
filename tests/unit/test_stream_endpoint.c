/*
 * test_stream_endpoint.c - core/endpoint.c: an account of a parsed config
 * becomes the endpoint transport_connect gets: host, default ports per
 * driver and security, timeouts, every TLS option, the [proxy] profile
 * with its password from password_command, "proxy = none", and a failing
 * password_command reported against the proxy.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "core/config.h"
#include "core/endpoint.h"

static const char *const text =
    "[general]\n"
    "proxy = corp\n"
    "[proxy corp]\n"
    "type = socks5\n"
    "host = 10.0.0.1\n"
    "port = 1081\n"
    "username = bob\n"
    "password_command = printf 'pw 1\\nignored'\n"
    "[proxy broken]\n"
    "type = http\n"
    "host = 10.0.0.2\n"
    "username = eve\n"
    "password_command = exit 3\n"
    "[account a]\n"
    "driver = imap\n"
    "host = imap.example.org\n"
    "user = me\n"
    "password = x\n"
    "connect_timeout = 7\n"
    "timeout = 30\n"
    "tls_min = 1.3\n"
    "tls_max = 1.3\n"
    "tls_strict = yes\n"
    "tls_ca_dir = /etc/ssl/certs\n"
    "tls_ca_file = /ca.pem\n"
    "tls_ciphers = HIGH\n"
    "tls_ciphersuites = TLS_AES_256_GCM_SHA384\n"
    "tls_cert = /c.pem\n"
    "tls_key = /k.pem\n"
    "tls_fingerprint = sha256:" "00112233445566778899AABBCCDDEEFF"
    "00112233445566778899AABBCCDDEEFF\n"
    "[account b]\n"
    "driver = imap\n"
    "host = mail.example.net\n"
    "user = me\n"
    "password = x\n"
    "security = starttls\n"
    "proxy = none\n"
    "[account c]\n"
    "driver = imap\n"
    "host = h\n"
    "port = 10993\n"
    "user = me\n"
    "password = x\n"
    "proxy = broken\n";

static struct config	*cfg;

/* Parse the config once per test. */
static void
setup(void)
{
	struct error	err;

	cfg = config_parse("test", text, &err);
	ck_assert_msg(cfg != NULL, "%s", err.msg);
}

static void
teardown(void)
{
	config_free(cfg);
}

/* Everything of account a arrives; the proxy password is fetched. */
START_TEST(test_full)
{
	struct transport_endpoint	ep;
	struct error			err;

	ck_assert_int_eq(endpoint_from_account(config_account_find(cfg, "a"),
	    5, &ep, &err), 0);
	ck_assert_str_eq(ep.host, "imap.example.org");
	ck_assert_str_eq(ep.port, "993");
	ck_assert_int_eq(ep.security, TRANSPORT_IMPLICIT_TLS);
	ck_assert_int_eq(ep.connect_timeout_ms, 7000);
	ck_assert_int_eq(ep.timeout_ms, 30000);
	ck_assert_int_eq(ep.wake_fd, 5);
	ck_assert(ep.tls.verify);
	ck_assert_int_eq(ep.tls.min_version, 13);
	ck_assert_int_eq(ep.tls.max_version, 13);
	ck_assert(ep.tls.strict);
	ck_assert_str_eq(ep.tls.ca_file, "/ca.pem");
	ck_assert_str_eq(ep.tls.ca_dir, "/etc/ssl/certs");
	ck_assert_str_eq(ep.tls.ciphers, "HIGH");
	ck_assert_str_eq(ep.tls.ciphersuites, "TLS_AES_256_GCM_SHA384");
	ck_assert_str_eq(ep.tls.cert_file, "/c.pem");
	ck_assert_str_eq(ep.tls.key_file, "/k.pem");
	ck_assert_ptr_nonnull(ep.tls.fingerprint);
	ck_assert(strncmp(ep.tls.fingerprint, "sha256:00:11:22", 15) == 0);
	ck_assert_int_eq(ep.proxy.type, STREAM_PROXY_SOCKS5);
	ck_assert_str_eq(ep.proxy.host, "10.0.0.1");
	ck_assert_str_eq(ep.proxy.port, "1081");
	ck_assert_str_eq(ep.proxy.user, "bob");
	ck_assert_str_eq(ep.proxy.password, "pw 1");
	endpoint_fini(&ep);
	ck_assert_ptr_null(ep.proxy.password);
}
END_TEST

/* STARTTLS is plain for the transport, port 143; proxy = none wins. */
START_TEST(test_starttls_none)
{
	struct transport_endpoint	ep;
	struct error			err;

	ck_assert_int_eq(endpoint_from_account(config_account_find(cfg, "b"),
	    -1, &ep, &err), 0);
	ck_assert_str_eq(ep.port, "143");
	ck_assert_int_eq(ep.security, TRANSPORT_PLAIN);
	ck_assert_int_eq(ep.proxy.type, STREAM_PROXY_NONE);
	ck_assert_ptr_null(ep.proxy.password);
	ck_assert_int_eq(ep.tls.min_version, 0);
	endpoint_fini(&ep);
}
END_TEST

/* A failing password_command names the proxy, not an account. */
START_TEST(test_password_command_fails)
{
	struct transport_endpoint	ep;
	struct error			err;

	ck_assert_int_eq(endpoint_from_account(config_account_find(cfg, "c"),
	    -1, &ep, &err), -1);
	ck_assert_str_eq(err.msg, "[proxy broken] password_command failed "
	    "(exit status 3)");
	ck_assert_int_eq(err.code, ERR_AUTH);
}
END_TEST

static Suite *
endpoint_suite(void)
{
	Suite	*s = suite_create("endpoint");
	TCase	*tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_full);
	tcase_add_test(tc, test_starttls_none);
	tcase_add_test(tc, test_password_command_fails);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(endpoint_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
