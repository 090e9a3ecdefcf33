/*
 * test_config.c - the configuration parser: good files and every kind of
 * bad one, each with its FILE:LINE message.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/config.h"
#include "util/xmalloc.h"

static const char good[] =
    "# a comment\n"
    "[general]\n"
    "default_account = work\n"
    "charset_fallback = koi8-r\n"
    "\n"
    "[account home]\n"
    "host = imap.example.org\n"
    "user = me\n"
    "password = s3cret\n"
    "\n"
    "[account work]\n"
    "driver = imap\n"
    "host = 127.0.0.1\n"
    "port = 10143\n"
    "user = alice\n"
    "password_command = echo hunter2\n"
    "security = starttls\n"
    "tls_ca_file = /tmp/ca.pem\n"
    "read_only = yes\n"
    "connect_timeout = 3\n"
    "timeout = 20\n"
    "delete = expunge\n"
    "imap_disable = QRESYNC compress\n";

START_TEST(test_good)
{
	struct config			*cfg;
	const struct config_account	*a;
	struct error			 err;
	char				*pw;

	error_clear(&err);
	cfg = config_parse("good.conf", good, &err);
	ck_assert_msg(cfg != NULL, "%s", err.msg);
	ck_assert_uint_eq(cfg->naccounts, 2);
	ck_assert_str_eq(cfg->pager.charset_fallback, "koi8-r");
	a = config_account_find(cfg, NULL);
	ck_assert_str_eq(a->name, "work");
	ck_assert_str_eq(a->port, "10143");
	ck_assert_int_eq(a->security, CONFIG_SEC_STARTTLS);
	ck_assert(a->read_only);
	ck_assert_int_eq(a->connect_timeout_ms, 3000);
	ck_assert_int_eq(a->timeout_ms, 20000);
	ck_assert_int_eq(a->delete_mode, CONFIG_DELETE_EXPUNGE);
	ck_assert_str_eq(a->imap_disable, "QRESYNC compress");
	ck_assert_str_eq(a->tls_ca_file, "/tmp/ca.pem");
	pw = config_account_password(a, &err);
	ck_assert_msg(pw != NULL, "%s", err.msg);
	ck_assert_str_eq(pw, "hunter2");
	xfree_secret(pw);

	a = config_account_find(cfg, "home");
	ck_assert_str_eq(a->driver, "imap");
	ck_assert_str_eq(a->port, "993");
	ck_assert_int_eq(a->security, CONFIG_SEC_IMPLICIT);
	ck_assert(!a->read_only);
	ck_assert_int_eq(a->timeout_ms, 60000);
	ck_assert_int_eq(a->delete_mode, CONFIG_DELETE_TRASH);
	ck_assert_ptr_null(config_account_find(cfg, "nope"));
	config_free(cfg);
}
END_TEST

/* Each bad file and the exact message it must give. */
static const struct {
	const char	*text;
	const char	*msg;
} bad[] = {
	{ "[account a]\nhost = h\nuser = u\nfoo = bar\n",
	  "t.conf:4: unknown key 'foo' in [account a]" },
	{ "[acount a]\n", "t.conf:1: unknown section [acount a]" },
	{ "host = h\n", "t.conf:1: 'host' outside any section" },
	{ "[account a]\nhost = h\nuser = u\nport = 99999\n",
	  "t.conf:4: port must be 1-65535, not '99999'" },
	{ "[account a]\nhost = h\nuser = u\nsecurity = maybe\n",
	  "t.conf:4: security must be implicit, starttls, auto or none, not 'maybe'" },
	{ "[account a]\nhost = h\nuser = u\nread_only = perhaps\n",
	  "t.conf:4: read_only must be true or false, not 'perhaps'" },
	{ "[account a]\nhost = h\nuser = u\ntls_min = 1.4\n",
	  "t.conf:4: tls_min must be 1.0, 1.1, 1.2 or 1.3, not '1.4'" },
	{ "[account a]\nhost = h\nuser = u\ntls_min = 1.3\ntls_max = 1.2\n",
	  "t.conf:1: [account a]: tls_min is above tls_max" },
	{ "[account a]\nhost = h\nuser = u\ntls_fingerprint = sha1:ab\n",
	  "t.conf:4: tls_fingerprint must be sha256: and 32 hex bytes, not 'sha1:ab'" },
	{ "[account a]\nhost = h\nuser = u\nauth = plain, kerberos\n",
	  "t.conf:4: unknown SASL mechanism in auth: 'kerberos' (known: plain, "
	  "login, cram-md5, scram-sha-1, scram-sha-256, xoauth2, oauthbearer)" },
	{ "[account a]\nhost = h\nuser = u\nproxy = nowhere\n",
	  "t.conf:1: [account a]: no [proxy nowhere]" },
	{ "[proxy p]\ntype = socks6\n",
	  "t.conf:2: proxy type must be socks4, socks4a, socks5 or http, not 'socks6'" },
	{ "[proxy p]\nhost = h\n", "t.conf:1: [proxy p] needs 'type'" },
	{ "[proxy p]\ntype = socks4\nhost = h\npassword = x\n",
	  "t.conf:1: [proxy p]: SOCKS4 has no passwords (only a user id)" },
	{ "[proxy p]\ntype = http\nhost = h\nfoo = 1\n",
	  "t.conf:4: unknown key 'foo' in [proxy p]" },
	{ "[account a]\nhost = h\nuser = u\ndelete = shred\n",
	  "t.conf:4: delete must be trash or expunge, not 'shred'" },
	{ "[account a]\nhost = h\nuser = u\ntimeout = 0\n",
	  "t.conf:4: timeout must be a number of seconds (1-86400), not '0'" },
	{ "[account a]\nhost = h\nhost = i\nuser = u\n",
	  "t.conf:3: duplicate key 'host'" },
	{ "[account a]\nuser = u\n", "t.conf:1: [account a] needs 'host'" },
	{ "\n\n[account a]\nhost = h\n", "t.conf:3: [account a] needs 'user'" },
	{ "[account a]\nhost = h\nuser = u\n[account a]\nhost = h\n",
	  "t.conf:4: duplicate account 'a'" },
	{ "[account a b]\n",
	  "t.conf:1: bad account name 'a b' (letters, digits and -_.@ only)" },
	{ "[account a]\nhost = h\nuser = u\ndriver = pop9\n",
	  "t.conf:4: unknown driver 'pop9' (known: imap, pop3, maildir, "
	  "mbox)" },
	{ "[account a]\ndriver = maildir\n",
	  "t.conf:1: [account a] (driver = maildir) needs 'path'" },
	{ "[account a]\ndriver = mbox\npath = /m\nhost = h\n",
	  "t.conf:1: [account a] (driver = mbox) is local: it takes no "
	  "'host' or 'user'" },
	{ "[account a]\nhost = h\nuser = u\npath = /m\n",
	  "t.conf:1: [account a]: 'path' is for driver = maildir or mbox, "
	  "not imap" },
	{ "[account a]\ndriver = maildir\npath = /m\npath = /n\n",
	  "t.conf:4: duplicate key 'path'" },
	{ "[account a]\ndriver = pop3\nhost = h\nuser = u\n"
	  "leave_on_server = 0\n",
	  "t.conf:5: leave_on_server must be yes, no or a number of days "
	  "(1-36500), not '0'" },
	{ "[account a]\nhost = h\nuser = u\nimap_disable = idle, mov\n",
	  "t.conf:4: imap_disable: unknown extension 'mov' (known: qresync, "
	  "condstore, compress, idle, move, uidplus, list-status, esearch, "
	  "literal+, special-use, utf8=accept)" },
	{ "[general]\ncharset_fallback = klingon\n",
	  "t.conf:2: charset_fallback: unknown charset 'klingon'" },
	{ "[account a]\nhost = h\nuser = u\nleave_on_server = no\n",
	  "t.conf:1: [account a]: leave_on_server is for driver = pop3" },
	{ "[account a]\nthis line has no equals sign\n",
	  "t.conf:2: syntax error (expected [section] or key = value)" },
	{ "[general]\ndefault_account = x\n[account a]\nhost = h\nuser = u\n",
	  "t.conf:0: default_account 'x' is not defined" },
	{ "[account a]\nhost = h\nuser = u\npassword = p\n"
	  "password_command = echo p\n",
	  "t.conf:1: [account a] has both 'password' and 'password_command'" },
	{ "[account a]\nhost = h\nuser = u\nsmtp_host = s\n"
	  "sendmail_command = msmtp -t\n",
	  "t.conf:1: [account a] has both smtp_host and sendmail_command: "
	  "choose one" },
	{ "[account a]\nhost = h\nuser = u\nsmtp_port = 587\n",
	  "t.conf:1: [account a]: smtp_ settings without smtp_host" },
	{ "[account a]\nhost = h\nuser = u\nsmtp_host = s\n"
	  "smtp_security = auto\n",
	  "t.conf:5: smtp_security must be implicit, starttls or none, not "
	  "'auto'" },
	{ "[account a]\nhost = h\nuser = u\nsmtp_host = s\n"
	  "smtp_tls_min = 1.4\n",
	  "t.conf:5: tls_min must be 1.0, 1.1, 1.2 or 1.3, not '1.4'" },
	{ "[account a]\nhost = h\nuser = u\nsmtp_host = s\n"
	  "smtp_auth = gssapi\n",
	  "t.conf:5: unknown SASL mechanism in auth: 'gssapi' (known: plain, "
	  "login, cram-md5, scram-sha-1, scram-sha-256, xoauth2, oauthbearer)" },
	{ "[account a]\nhost = h\nuser = u\nfrom = Me\n",
	  "t.conf:4: from must hold an address, not 'Me'" },
	{ "[account a]\nhost = h\nuser = u\nalternates = me@x, bob\n",
	  "t.conf:4: alternates: 'bob' is not an address" },
	{ "[account a]\nhost = h\nuser = u\nsendmail_command = 'msmtp\n",
	  "t.conf:4: sendmail_command: unbalanced quote" },
	{ "[general]\neditor = \"vim\n",
	  "t.conf:2: editor: unbalanced quote" },
	{ "[general]\nformat_flowed = sometimes\n",
	  "t.conf:2: format_flowed must be yes or no, not 'sometimes'" },
	{ "[account a]\nhost = h\nuser = u\nsave_sent = maybe\n",
	  "t.conf:4: save_sent must be yes or no, not 'maybe'" },
};

START_TEST(test_bad)
{
	struct config	*cfg;
	struct error	 err;

	error_clear(&err);
	cfg = config_parse("t.conf", bad[_i].text, &err);
	ck_assert_ptr_null(cfg);
	ck_assert_int_eq(err.code, ERR_CONFIG);
	ck_assert_str_eq(err.msg, bad[_i].msg);
}
END_TEST

/* Local stores and POP3: paths, defaults, the POP3 policy. */
START_TEST(test_store_settings)
{
	static const char text[] =
	    "[account m]\ndriver = maildir\npath = ~/Mail\n"
	    "[account x]\ndriver = mbox\npath = /var/mail/me\n"
	    "[account p]\ndriver = pop3\nhost = h\nuser = u\n"
	    "leave_on_server = 14\n"
	    "[account q]\ndriver = pop3\nhost = h\nuser = u\n"
	    "security = starttls\nleave_on_server = no\n";
	struct config	*cfg;
	struct error	 err;

	setenv("HOME", "/home/t", 1);
	cfg = config_parse("t.conf", text, &err);
	ck_assert_msg(cfg != NULL, "%s", err.msg);
	ck_assert_str_eq(cfg->accounts[0].path, "/home/t/Mail");
	ck_assert(!cfg->accounts[0].read_only);
	ck_assert_ptr_null(cfg->accounts[0].host);
	ck_assert_str_eq(cfg->accounts[1].path, "/var/mail/me");
	ck_assert(cfg->accounts[1].read_only);	/* mbox: never rewritten */
	ck_assert_str_eq(cfg->accounts[2].port, "995");
	ck_assert_int_eq(cfg->accounts[2].leave_days, 14);
	ck_assert_int_eq(cfg->accounts[2].delete_mode, CONFIG_DELETE_EXPUNGE);
	ck_assert_str_eq(cfg->accounts[3].port, "110");
	ck_assert_int_eq(cfg->accounts[3].leave_days, 0);
	config_free(cfg);
}
END_TEST

/* Sending: SMTP settings fall back to the account's, one by one. */
START_TEST(test_send_settings)
{
	struct config			*cfg;
	const struct config_account	*a;
	struct config_account		 smtp;
	struct error			 err;

	cfg = config_parse("s.conf",
	    "[general]\neditor = vim -c 'set tw=72'\n"
	    "aliases_file = ~/.mutt/aliases\nformat_flowed = yes\n"
	    "[account a]\nhost = imap.x\nuser = me@x\npassword = pw\n"
	    "tls_min = 1.2\ntls_ca_file = /ca.pem\nauth = plain\n"
	    "from = Me <me@x>\nalternates = me@old.x, other@x\n"
	    "smtp_host = smtp.x\n"
	    "[account b]\nhost = imap.x\nuser = u\npassword = pw\n"
	    "smtp_host = smtp.y\nsmtp_port = 587\nsmtp_user = s@y\n"
	    "smtp_password_command = pass smtp\nsmtp_tls_ca_file = /s.pem\n"
	    "smtp_tls_max = 1.2\nsmtp_auth = login\nsave_sent = no\n"
	    "[account c]\ndriver = maildir\npath = /m\n"
	    "sendmail_command = msmtp -a 'my acct'\n", &err);
	ck_assert_msg(cfg != NULL, "%s", err.msg);
	ck_assert_str_eq(cfg->editor, "vim -c 'set tw=72'");
	ck_assert_str_eq(cfg->aliases_file, "~/.mutt/aliases");
	ck_assert(cfg->format_flowed);
	a = config_account_find(cfg, "a");
	ck_assert_str_eq(a->send.from, "Me <me@x>");
	ck_assert_str_eq(a->send.alternates[0], "me@old.x");
	ck_assert_str_eq(a->send.alternates[1], "other@x");
	ck_assert_ptr_null(a->send.alternates[2]);
	ck_assert(a->send.save_sent);
	/* Everything from the account; implicit TLS on 465. */
	ck_assert_int_eq(config_smtp_account(a, &smtp, &err), 0);
	ck_assert_str_eq(smtp.host, "smtp.x");
	ck_assert_str_eq(smtp.port, "465");
	ck_assert_str_eq(smtp.driver, "smtp");
	ck_assert_int_eq(smtp.security, CONFIG_SEC_IMPLICIT);
	ck_assert_str_eq(smtp.user, "me@x");
	ck_assert_str_eq(smtp.password, "pw");
	ck_assert_str_eq(smtp.auth, "plain");
	ck_assert_str_eq(smtp.tls.ca_file, "/ca.pem");
	ck_assert_int_eq(smtp.tls.min_version, 12);
	/* Each smtp_ setting wins; 587 means STARTTLS. */
	a = config_account_find(cfg, "b");
	ck_assert_int_eq(config_smtp_account(a, &smtp, &err), 0);
	ck_assert_str_eq(smtp.port, "587");
	ck_assert_int_eq(smtp.security, CONFIG_SEC_STARTTLS);
	ck_assert_str_eq(smtp.user, "s@y");
	ck_assert_ptr_null(smtp.password);	/* not the IMAP one */
	ck_assert_str_eq(smtp.password_command, "pass smtp");
	ck_assert_str_eq(smtp.tls.ca_file, "/s.pem");
	ck_assert_int_eq(smtp.tls.max_version, 12);
	ck_assert_str_eq(smtp.auth, "login");
	ck_assert(!a->send.save_sent);
	/* A local store sends through a command; it has no SMTP. */
	a = config_account_find(cfg, "c");
	ck_assert_str_eq(a->send.sendmail_argv[0], "msmtp");
	ck_assert_str_eq(a->send.sendmail_argv[2], "my acct");
	ck_assert_int_eq(config_smtp_account(a, &smtp, &err), -1);
	ck_assert_int_eq(err.code, ERR_CONFIG);
	config_free(cfg);
}
END_TEST

START_TEST(test_net_settings)
{
	struct config			*cfg;
	const struct config_account	*a;
	struct error			 err;

	error_clear(&err);
	cfg = config_parse("n.conf",
	    "[general]\nproxy = tor\n"
	    "[proxy tor]\ntype = SOCKS5\nhost = 127.0.0.1\nport = 9050\n"
	    "username = u\npassword = p\n"
	    "[proxy web]\ntype = http\nhost = 127.0.0.1\n"
	    "[account a]\nhost = h\nuser = u\ntls_min = 1.2\ntls_max = 1.3\n"
	    "tls_strict = yes\ntls_fingerprint = sha256:"
	    "0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20\n"
	    "auth = SCRAM-SHA-256, plain\ngreeting_timeout = 2\n"
	    "allow_plaintext_auth = yes\n"
	    "[account b]\nhost = h\nuser = u\nproxy = none\n"
	    "[account c]\nhost = h\nuser = u\nproxy = web\n", &err);
	ck_assert_msg(cfg != NULL, "%s", err.msg);
	a = config_account_find(cfg, "a");
	ck_assert_ptr_nonnull(a->proxy);
	ck_assert_str_eq(a->proxy->name, "tor");
	ck_assert_int_eq(a->proxy->type, CONFIG_PROXY_SOCKS5);
	ck_assert_str_eq(a->proxy->port, "9050");
	ck_assert_int_eq(a->tls.min_version, 12);
	ck_assert_int_eq(a->tls.max_version, 13);
	ck_assert(a->tls.strict);
	ck_assert_str_eq(a->tls.fingerprint, "sha256:01:02:03:04:05:06:07:08:"
	    "09:0A:0B:0C:0D:0E:0F:10:11:12:13:14:15:16:17:18:19:1A:1B:1C:1D:"
	    "1E:1F:20");
	ck_assert_str_eq(a->auth, "scram-sha-256,plain");
	ck_assert_int_eq(a->greeting_timeout_ms, 2000);
	ck_assert(a->allow_plaintext_auth);
	ck_assert_ptr_null(config_account_find(cfg, "b")->proxy);
	a = config_account_find(cfg, "c");
	ck_assert_int_eq(a->proxy->type, CONFIG_PROXY_HTTP);
	ck_assert_str_eq(a->proxy->port, "8080");
	ck_assert_int_eq(a->greeting_timeout_ms, 5000);
	config_free(cfg);
}
END_TEST

START_TEST(test_long_line)
{
	struct config	*cfg;
	struct error	 err;
	char		*text;
	char		 pad[400];

	memset(pad, 'x', sizeof pad - 1);
	pad[sizeof pad - 1] = '\0';
	text = xasprintf("[account a]\nhost = h\nuser = u\ntls_ca_file = %s\n",
	    pad);
	error_clear(&err);
	cfg = config_parse("t.conf", text, &err);
	ck_assert_ptr_null(cfg);
	ck_assert_msg(strncmp(err.msg, "t.conf:4: line too long", 23) == 0,
	    "%s", err.msg);
	free(text);
}
END_TEST

START_TEST(test_password_command_failure)
{
	struct config	*cfg;
	struct error	 err;
	char		*pw;

	error_clear(&err);
	cfg = config_parse("t.conf", "[account a]\nhost = h\nuser = u\n"
	    "password_command = echo leaked; exit 3\n", &err);
	ck_assert_msg(cfg != NULL, "%s", err.msg);
	pw = config_account_password(&cfg->accounts[0], &err);
	ck_assert_ptr_null(pw);
	ck_assert_int_eq(err.code, ERR_AUTH);
	ck_assert_ptr_null(strstr(err.msg, "leaked"));
	ck_assert_str_eq(err.msg,
	    "[account a] password_command failed (exit status 3)");
	config_free(cfg);

	cfg = config_parse("t.conf", "[account a]\nhost = h\nuser = u\n", &err);
	ck_assert_ptr_nonnull(cfg);
	ck_assert_ptr_null(config_account_password(&cfg->accounts[0], &err));
	ck_assert_str_eq(err.msg,
	    "[account a] has no password or password_command");
	config_free(cfg);
}
END_TEST

START_TEST(test_password_command_hangs)
{
	struct config	*cfg;
	struct error	 err;
	struct timespec	 t0, t1;
	char		*pw;

	/* A command that never ends (and keeps a child on stdout) is cut off. */
	error_clear(&err);
	cfg = config_parse("t.conf", "[account a]\nhost = h\nuser = u\n"
	    "timeout = 1\npassword_command = sleep 30 & sleep 30\n", &err);
	ck_assert_msg(cfg != NULL, "%s", err.msg);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	pw = config_account_password(&cfg->accounts[0], &err);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ck_assert_ptr_null(pw);
	ck_assert_str_eq(err.msg,
	    "[account a] password_command did not finish within 1 s");
	ck_assert_int_lt(t1.tv_sec - t0.tv_sec, 5);
	config_free(cfg);
}
END_TEST

START_TEST(test_load_missing_file)
{
	struct error	err;

	error_clear(&err);
	ck_assert_ptr_null(config_load("/nonexistent/petrel.conf", &err));
	ck_assert_int_eq(err.code, ERR_CONFIG);
	ck_assert_str_eq(err.msg,
	    "/nonexistent/petrel.conf: No such file or directory");
}
END_TEST

static Suite *
config_suite(void)
{
	Suite	*s = suite_create("config");
	TCase	*tc = tcase_create("parse");

	tcase_add_test(tc, test_good);
	tcase_add_loop_test(tc, test_bad, 0, sizeof bad / sizeof *bad);
	tcase_add_test(tc, test_net_settings);
	tcase_add_test(tc, test_send_settings);
	tcase_add_test(tc, test_store_settings);
	tcase_add_test(tc, test_long_line);
	tcase_add_test(tc, test_password_command_failure);
	tcase_add_test(tc, test_password_command_hangs);
	tcase_add_test(tc, test_load_missing_file);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(config_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
