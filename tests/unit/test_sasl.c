/*
 * test_sasl.c - the SASL client: mechanism choice and order, the exact
 * bytes of PLAIN, LOGIN, CRAM-MD5, XOAUTH2 and OAUTHBEARER, and SCRAM
 * (whose client nonce is random) run against libgsasl's server side.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include <gsasl.h>

#include "net/sasl.h"
#include "util/xmalloc.h"

static const struct sasl_creds creds = {
	"user", "pass", "tok", "imap", "mail.example", "993"
};

START_TEST(test_choose_default)
{
	enum sasl_mech	 l[SASL_NMECHS];
	struct error	 err;
	unsigned	 all = 0;

	for (int m = 1; m < SASL_NMECHS; m++)
		all |= SASL_BIT(m);
	ck_assert_int_eq(sasl_choose(all, NULL, false, l, &err), 5);
	ck_assert_int_eq(l[0], SASL_SCRAM_SHA_256);
	ck_assert_int_eq(l[1], SASL_SCRAM_SHA_1);
	ck_assert_int_eq(l[2], SASL_CRAM_MD5);
	ck_assert_int_eq(l[3], SASL_PLAIN);
	ck_assert_int_eq(l[4], SASL_LOGIN);
	ck_assert_int_eq(sasl_choose(all, NULL, true, l, &err), 7);
	ck_assert_int_eq(l[0], SASL_OAUTHBEARER);
	ck_assert_int_eq(l[1], SASL_XOAUTH2);
	/* Only what the server offers. */
	ck_assert_int_eq(sasl_choose(SASL_BIT(SASL_PLAIN) |
	    SASL_BIT(SASL_XOAUTH2), NULL, false, l, &err), 1);
	ck_assert_int_eq(l[0], SASL_PLAIN);
	ck_assert_int_eq(sasl_choose(0, NULL, true, l, &err), 0);
}
END_TEST

START_TEST(test_order_for_tls)
{
	enum sasl_mech	 l[SASL_NMECHS];
	struct error	 err;
	unsigned	 all = 0;
	int		 n;

	for (int m = 1; m < SASL_NMECHS; m++)
		all |= SASL_BIT(m);
	/* SCRAM stays first; PLAIN moves ahead of CRAM-MD5. */
	n = sasl_choose(all, NULL, false, l, &err);
	sasl_order_for_tls(l, n);
	ck_assert_int_eq(n, 5);
	ck_assert_int_eq(l[0], SASL_SCRAM_SHA_256);
	ck_assert_int_eq(l[1], SASL_SCRAM_SHA_1);
	ck_assert_int_eq(l[2], SASL_PLAIN);
	ck_assert_int_eq(l[3], SASL_CRAM_MD5);
	ck_assert_int_eq(l[4], SASL_LOGIN);
	/* Dovecot's usual offer: PLAIN LOGIN CRAM-MD5. */
	n = sasl_choose(SASL_BIT(SASL_PLAIN) | SASL_BIT(SASL_LOGIN) |
	    SASL_BIT(SASL_CRAM_MD5), NULL, false, l, &err);
	sasl_order_for_tls(l, n);
	ck_assert_int_eq(n, 3);
	ck_assert_int_eq(l[0], SASL_PLAIN);
	ck_assert_int_eq(l[1], SASL_CRAM_MD5);
	ck_assert_int_eq(l[2], SASL_LOGIN);
	/* Nothing to move. */
	l[0] = SASL_CRAM_MD5;
	l[1] = SASL_LOGIN;
	sasl_order_for_tls(l, 2);
	ck_assert_int_eq(l[0], SASL_CRAM_MD5);
	ck_assert_int_eq(l[1], SASL_LOGIN);
}
END_TEST

START_TEST(test_choose_list)
{
	enum sasl_mech	 l[SASL_NMECHS];
	struct error	 err;
	unsigned	 off = SASL_BIT(SASL_PLAIN) | SASL_BIT(SASL_CRAM_MD5) |
	    SASL_BIT(SASL_SCRAM_SHA_256);

	ck_assert_int_eq(sasl_choose(off, "plain, Cram-MD5,login", false, l,
	    &err), 2);
	ck_assert_int_eq(l[0], SASL_PLAIN);
	ck_assert_int_eq(l[1], SASL_CRAM_MD5);
	ck_assert_int_eq(sasl_choose(off, "scram-sha-1", false, l, &err), 0);
	ck_assert_int_eq(sasl_choose(off, "plain,kerberos", false, l, &err),
	    -1);
	ck_assert_int_eq(err.code, ERR_CONFIG);
	ck_assert_str_eq(err.msg, "auth: unknown SASL mechanism 'kerberos'");
	ck_assert_int_eq(sasl_mech_parse("scram-sha-256", 13),
	    SASL_SCRAM_SHA_256);
	ck_assert_int_eq(sasl_mech_parse("SCRAM-SHA-2", 11), SASL_NONE);
}
END_TEST

/* Run one step and check the base64 answer and the return code. */
static void
step_is(struct sasl_client *c, const char *in, const char *want, int wrc)
{
	struct error	 err;
	char		*out = NULL;
	int		 rc;

	rc = sasl_client_step(c, in, &out, &err);
	ck_assert_msg(rc == wrc, "rc %d: %s", rc, rc == -1 ? err.msg : "");
	ck_assert_ptr_nonnull(out);
	ck_assert_str_eq(out, want);
	xfree_secret(out);
}

/* A new client for m with the test credentials. */
static struct sasl_client *
client(enum sasl_mech m)
{
	struct sasl_client	*c;
	struct error		 err;

	c = sasl_client_new(m, &creds, &err);
	ck_assert_msg(c != NULL, "%s", err.msg);
	return c;
}

START_TEST(test_plain_login_cram)
{
	struct sasl_client	*c;

	c = client(SASL_PLAIN);
	step_is(c, NULL, "AHVzZXIAcGFzcw==", 0);	/* \0user\0pass */
	ck_assert(sasl_client_done(c));
	sasl_client_free(c);

	c = client(SASL_LOGIN);
	step_is(c, "VXNlcm5hbWU6", "dXNlcg==", 1);	/* Username: user */
	step_is(c, "UGFzc3dvcmQ6", "cGFzcw==", 0);	/* Password: pass */
	sasl_client_free(c);

	/* RFC 2195's example: tim / tanstaaftanstaaf. */
	{
		struct sasl_creds	 cr = { "tim", "tanstaaftanstaaf",
		    NULL, "imap", "h", NULL };
		struct error		 err;

		c = sasl_client_new(SASL_CRAM_MD5, &cr, &err);
		ck_assert_ptr_nonnull(c);
		step_is(c, "PDE4OTYuNjk3MTcwOTUyQHBvc3RvZmZpY2UucmVzdG9uLm1jaS5uZXQ+",
		    "dGltIGI5MTNhNjAyYzdlZGE3YTQ5NWI0ZTZlNzMzNGQzODkw", 0);
		sasl_client_free(c);
	}
}
END_TEST

START_TEST(test_oauth)
{
	struct sasl_client	*c;
	struct error		 err;
	char			*out;

	c = client(SASL_XOAUTH2);
	/* "user=user\1auth=Bearer tok\1\1" */
	step_is(c, NULL, "dXNlcj11c2VyAWF1dGg9QmVhcmVyIHRvawEB", 1);
	/* An error report: the empty answer lets the server say NO. */
	step_is(c, "eyJzdGF0dXMiOiI0MDEifQ==", "", 0);
	ck_assert_int_eq(sasl_client_step(c, "", &out, &err), -1);
	sasl_client_free(c);

	c = client(SASL_OAUTHBEARER);
	/* "n,a=user,\1host=mail.example\1port=993\1auth=Bearer tok\1\1" */
	step_is(c, NULL, "bixhPXVzZXIsAWhvc3Q9bWFpbC5leGFtcGxlAXBvcnQ9OTkzAW"
	    "F1dGg9QmVhcmVyIHRvawEB", 1);
	step_is(c, "e30=", "AQ==", 0);
	sasl_client_free(c);

	/* No token: refused before anything is sent. */
	{
		struct sasl_creds	 cr = creds;

		cr.token = NULL;
		ck_assert_ptr_null(sasl_client_new(SASL_XOAUTH2, &cr, &err));
		ck_assert_int_eq(err.code, ERR_CONFIG);
	}
}
END_TEST

/* libgsasl's server: the password for the test user. */
static int
server_cb(Gsasl *ctx, Gsasl_session *s, Gsasl_property p)
{
	(void)ctx;
	if (p == GSASL_PASSWORD) {
		gsasl_property_set(s, GSASL_PASSWORD,
		    gsasl_session_hook_get(s) != NULL ? "wrong" : "pass");
		return GSASL_OK;
	}
	return GSASL_NO_CALLBACK;
}

/* Run mechanism m against libgsasl's server; the client's last rc. */
static int
against_server(enum sasl_mech m, bool wrong, int *server_rc)
{
	Gsasl			*ctx;
	Gsasl_session		*ss;
	struct sasl_client	*c = client(m);
	struct error		 err;
	char			*cout = NULL, *sout = NULL;
	int			 crc = 1, rounds = 0;

	ck_assert_int_eq(gsasl_init(&ctx), GSASL_OK);
	gsasl_callback_set(ctx, server_cb);
	ck_assert_int_eq(gsasl_server_start(ctx, sasl_mech_name(m), &ss),
	    GSASL_OK);
	gsasl_session_hook_set(ss, wrong ? (void *)1 : NULL);
	*server_rc = GSASL_NEEDS_MORE;
	if (sasl_mech_client_first(m))
		crc = sasl_client_step(c, NULL, &cout, &err);
	while (crc != -1 && rounds++ < 6) {
		*server_rc = gsasl_step64(ss, cout != NULL ? cout : "", &sout);
		xfree_secret(cout);
		cout = NULL;
		if (*server_rc != GSASL_NEEDS_MORE && *server_rc != GSASL_OK)
			break;
		if (*server_rc == GSASL_OK && (sout == NULL || *sout == '\0'))
			break;
		crc = sasl_client_step(c, sout, &cout, &err);
		gsasl_free(sout);
		sout = NULL;
		if (crc == 0 && *server_rc == GSASL_OK)
			break;
	}
	gsasl_free(sout);
	xfree_secret(cout);
	gsasl_finish(ss);
	gsasl_done(ctx);
	sasl_client_free(c);
	return crc;
}

START_TEST(test_scram_cram_server)
{
	enum sasl_mech	 mechs[] = { SASL_SCRAM_SHA_1, SASL_SCRAM_SHA_256,
	    SASL_CRAM_MD5, SASL_PLAIN, SASL_LOGIN };
	int		 src;

	for (size_t i = 0; i < sizeof mechs / sizeof *mechs; i++) {
		ck_assert_msg(against_server(mechs[i], false, &src) == 0,
		    "%s", sasl_mech_name(mechs[i]));
		ck_assert_int_eq(src, GSASL_OK);
		(void)against_server(mechs[i], true, &src);
		ck_assert_msg(src != GSASL_OK, "%s accepted a wrong password",
		    sasl_mech_name(mechs[i]));
	}
}
END_TEST

START_TEST(test_bounds)
{
	struct sasl_client	*c = client(SASL_LOGIN);
	struct error		 err;
	char			*big, *out;

	big = xmalloc(SASL_CHALLENGE_MAX + 2);
	memset(big, 'A', SASL_CHALLENGE_MAX + 1);
	big[SASL_CHALLENGE_MAX + 1] = '\0';
	ck_assert_int_eq(sasl_client_step(c, big, &out, &err), -1);
	ck_assert_int_eq(err.code, ERR_PROTOCOL);
	free(big);
	sasl_client_free(c);
}
END_TEST

START_TEST(test_scram_first)
{
	struct sasl_client	*c = client(SASL_SCRAM_SHA_256);
	struct error		 err;
	char			*out, *dec;
	size_t			 len;

	/* The nonce is random: check the form "n,,n=user,r=NONCE". */
	ck_assert_int_eq(sasl_client_step(c, NULL, &out, &err), 1);
	ck_assert_int_eq(gsasl_base64_from(out, strlen(out), &dec, &len),
	    GSASL_OK);
	ck_assert_int_eq(strncmp(dec, "n,,n=user,r=", 12), 0);
	ck_assert_uint_ge(len, 12 + 16);
	ck_assert_ptr_null(memchr(dec + 12, ',', len - 12));
	xfree_secret(out);
	gsasl_free(dec);
	/* A server-first message that is not SCRAM fails the exchange. */
	ck_assert_int_eq(sasl_client_step(c, "Z2FyYmFnZQ==", &out, &err), -1);
	ck_assert_ptr_null(out);
	sasl_client_free(c);
}
END_TEST

static Suite *
sasl_suite(void)
{
	Suite	*s = suite_create("sasl");
	TCase	*tc = tcase_create("core");

	tcase_add_test(tc, test_choose_default);
	tcase_add_test(tc, test_order_for_tls);
	tcase_add_test(tc, test_choose_list);
	tcase_add_test(tc, test_plain_login_cram);
	tcase_add_test(tc, test_oauth);
	tcase_add_test(tc, test_scram_cram_server);
	tcase_add_test(tc, test_bounds);
	tcase_add_test(tc, test_scram_first);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(sasl_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
