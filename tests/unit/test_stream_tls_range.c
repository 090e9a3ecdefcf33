/*
 * test_stream_tls_range.c - the TLS version decision (stream_tls_range.c)
 * without OpenSSL: a table of the versions OpenSSL can do, the account's
 * tls_min / tls_max / tls_strict, and the range, warning or error that
 * must come out; then every input, checked against the rules of stream.h.
 * test_stream_tls.c checks the same decision on real OpenSSL contexts.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net/stream.h"

#define B(v)		STREAM_TLS_BIT(v)
#define ALL		(B(10) | B(11) | B(12) | B(13))
#define MODERN		(B(12) | B(13))
#define OLD		(B(10) | B(11))
#define GAP		(B(10) | B(11) | B(13))

/* Of the 800 inputs of test_clamp_all, those that succeed. */
#define OK_COUNT	414

/* One row: inputs, then the range, or the error code (rc -1). */
struct clamp_case {
	unsigned	 can;
	int		 min, max;
	bool		 strict;
	int		 rc;
	int		 want_min, want_max;	/* rc 0 */
	enum error_code	 code;			/* rc -1 */
	const char	*text;	/* the exact warning ("" none) or error */
};

static const struct clamp_case clamp_cases[] = {
	/* everything available: the defaults, and what is asked for */
	{ ALL, 0, 0, false, 0, 12, 13, 0, "" },
	{ ALL, 10, 0, false, 0, 10, 13, 0, "" },
	{ ALL, 0, 11, false, 0, 11, 11, 0, "" },
	{ ALL, 0, 10, true, 0, 10, 10, 0, "" },
	{ ALL, 13, 13, true, 0, 13, 13, 0, "" },
	{ ALL, 11, 12, false, 0, 11, 12, 0, "" },
	/* TLS 1.0/1.1 forbidden (MinProtocol = TLSv1.2, a security level) */
	{ MODERN, 10, 0, false, 0, 12, 13, 0,
	    "tls_min 1.0 is not available in this OpenSSL (it can do TLS 1.2 "
	    "to 1.3 here): using TLS 1.2" },
	{ MODERN, 10, 0, true, -1, 0, 0, ERR_CONFIG,
	    "tls_min 1.0 is not available in this OpenSSL (it can do TLS 1.2 "
	    "to 1.3 here) and tls_strict is set" },
	{ MODERN, 0, 11, false, 0, 12, 12, 0,
	    "tls_max 1.1 is not available in this OpenSSL (it can do TLS 1.2 "
	    "to 1.3 here): using TLS 1.2" },
	{ MODERN, 12, 13, true, 0, 12, 13, 0, "" },
	/* TLS 1.2 only (MaxProtocol = TLSv1.2) */
	{ B(12), 0, 0, true, 0, 12, 12, 0, "" },
	{ B(12), 0, 13, false, 0, 12, 12, 0,
	    "tls_max 1.3 is not available in this OpenSSL (it can do TLS 1.2 "
	    "only here): using TLS 1.2" },
	{ B(12), 13, 13, false, 0, 12, 12, 0,
	    "tls_min 1.3 is not available in this OpenSSL (it can do TLS 1.2 "
	    "only here): using TLS 1.2; tls_max 1.3 is not available in this "
	    "OpenSSL (it can do TLS 1.2 only here): using TLS 1.2" },
	{ B(12), 13, 13, true, -1, 0, 0, ERR_CONFIG,
	    "tls_min 1.3 is not available in this OpenSSL (it can do TLS 1.2 "
	    "only here) and tls_strict is set" },
	{ B(12), 12, 13, true, -1, 0, 0, ERR_CONFIG,
	    "tls_max 1.3 is not available in this OpenSSL (it can do TLS 1.2 "
	    "only here) and tls_strict is set" },
	/* TLS 1.3 only: the default minimum moves up without a word */
	{ B(13), 0, 0, true, 0, 13, 13, 0, "" },
	{ B(13), 0, 12, false, 0, 13, 13, 0,
	    "tls_max 1.2 is not available in this OpenSSL (it can do TLS 1.3 "
	    "only here): using TLS 1.3" },
	/* only old versions: never chosen unless asked for */
	{ OLD, 0, 0, false, -1, 0, 0, ERR_TLS,
	    "no TLS version from 1.2 up is available in this OpenSSL (it can "
	    "do TLS 1.0 to 1.1 here); set tls_min to allow an older one" },
	{ OLD, 10, 0, false, 0, 10, 11, 0, "" },
	{ OLD, 0, 11, true, 0, 11, 11, 0, "" },
	{ B(11), 0, 0, false, -1, 0, 0, ERR_TLS,
	    "no TLS version from 1.2 up is available in this OpenSSL (it can "
	    "do TLS 1.1 only here); set tls_min to allow an older one" },
	/* a hole: ties go up, to the safer version */
	{ GAP, 12, 12, false, 0, 13, 13, 0,
	    "tls_min 1.2 is not available in this OpenSSL (it can do TLS 1.0, "
	    "1.1, 1.3 here): using TLS 1.3; tls_max 1.2 is not available in "
	    "this OpenSSL (it can do TLS 1.0, 1.1, 1.3 here): using TLS 1.3" },
	{ GAP, 0, 0, false, 0, 13, 13, 0, "" },
	{ GAP, 10, 12, false, 0, 10, 13, 0,
	    "tls_max 1.2 is not available in this OpenSSL (it can do TLS 1.0, "
	    "1.1, 1.3 here): using TLS 1.3" },
	{ B(11) | B(12) | B(13), 10, 10, false, 0, 11, 11, 0,
	    "tls_min 1.0 is not available in this OpenSSL (it can do TLS 1.1 "
	    "to 1.3 here): using TLS 1.1; tls_max 1.0 is not available in "
	    "this OpenSSL (it can do TLS 1.1 to 1.3 here): using TLS 1.1" },
	/* nothing at all, and bad settings (checked first) */
	{ 0, 0, 0, false, -1, 0, 0, ERR_TLS,
	    "this OpenSSL can do no TLS version here" },
	{ ALL, 9, 0, false, -1, 0, 0, ERR_CONFIG,
	    "TLS versions must be 1.0 to 1.3" },
	{ ALL, 0, 14, false, -1, 0, 0, ERR_CONFIG,
	    "TLS versions must be 1.0 to 1.3" },
	{ 0, 13, 12, false, -1, 0, 0, ERR_CONFIG,
	    "tls_min 1.3 is above tls_max 1.2" },
};

/* Every row of the table. */
START_TEST(test_clamp_table)
{
	const struct clamp_case		*c = &clamp_cases[_i];
	struct stream_tls_config	 cfg = { .verify = true };
	struct stream_tls_range		 r;
	struct error			 err;
	int				 rc;

	cfg.min_version = c->min;
	cfg.max_version = c->max;
	cfg.strict = c->strict;
	error_clear(&err);
	rc = stream_tls_clamp(c->can, &cfg, &r, &err);
	ck_assert_msg(rc == c->rc, "row %d: rc %d (%s)", _i, rc, err.msg);
	if (rc == 0) {
		ck_assert_int_eq(r.min, c->want_min);
		ck_assert_int_eq(r.max, c->want_max);
		ck_assert_str_eq(r.warning, c->text);
	} else {
		ck_assert_int_eq(err.code, c->code);
		ck_assert_int_eq(err.scope, ERR_SCOPE_ACCOUNT);
		ck_assert_str_eq(err.msg, c->text);
	}
}
END_TEST

/* The rules of stream.h for one input whose result was a range. */
static void
check_range(unsigned can, int min, int max, bool strict,
    const struct stream_tls_range *r)
{
	bool	moved_min = min != 0 && r->min != min;
	bool	moved_max = max != 0 && r->max != max;

	ck_assert_msg(r->min <= r->max, "can %x %d..%d: %d..%d", can, min,
	    max, r->min, r->max);
	ck_assert(can & STREAM_TLS_BIT(r->min));
	ck_assert(can & STREAM_TLS_BIT(r->max));
	/* strict never moves; a move is always in the warning */
	ck_assert(!strict || (!moved_min && !moved_max));
	ck_assert((moved_min || moved_max) == (r->warning[0] != '\0'));
	ck_assert(!moved_min || strstr(r->warning, "tls_min") != NULL);
	ck_assert(!moved_max || strstr(r->warning, "tls_max") != NULL);
	/* the default minimum is never below 1.2 (or a lower tls_max) */
	if (min == 0)
		ck_assert_int_ge(r->min, max != 0 && r->max < 12 ? r->max : 12);
	/* the default maximum is the highest available */
	if (max == 0)
		ck_assert_uint_lt(can, STREAM_TLS_BIT(r->max) << 1);
	/* an available version asked for is kept */
	if (min != 0 && (can & STREAM_TLS_BIT(min)))
		ck_assert_int_eq(r->min, min);
	if (max != 0 && (can & STREAM_TLS_BIT(max)))
		ck_assert_int_eq(r->max, max);
}

/*
 * Whether an input must fail: bad settings; with strict, an asked-for
 * version missing; and otherwise only no version at all, or only versions
 * below 1.2 when the account names none.
 */
static bool
must_fail(unsigned can, int min, int max, bool strict)
{
	if (min != 0 && max != 0 && min > max)
		return true;
	if (strict && ((min != 0 && !(can & STREAM_TLS_BIT(min))) ||
	    (max != 0 && !(can & STREAM_TLS_BIT(max)))))
		return true;
	return can == 0 || (min == 0 && max == 0 &&
	    (can & (STREAM_TLS_BIT(12) | STREAM_TLS_BIT(13))) == 0);
}

/* Every set of versions against every setting. */
START_TEST(test_clamp_all)
{
	static const int		 vers[] = { 0, 10, 11, 12, 13 };
	struct stream_tls_config	 cfg = { .verify = true };
	struct stream_tls_range		 r;
	struct error			 err;
	unsigned			 can;
	int				 n, rc, ok = 0;

	for (n = 0; n < 16 * 5 * 5 * 2; n++) {
		can = (unsigned)n / 50;
		cfg.min_version = vers[n / 10 % 5];
		cfg.max_version = vers[n / 2 % 5];
		cfg.strict = n % 2 == 1;
		error_clear(&err);
		rc = stream_tls_clamp(can, &cfg, &r, &err);
		ck_assert_msg((rc == -1) == must_fail(can, cfg.min_version,
		    cfg.max_version, cfg.strict), "can %x %d..%d strict %d: "
		    "rc %d %s", can, cfg.min_version, cfg.max_version,
		    cfg.strict, rc, err.msg);
		if (rc == 0) {
			check_range(can, cfg.min_version, cfg.max_version,
			    cfg.strict, &r);
			ok++;
		} else {
			ck_assert(err.code == ERR_CONFIG ||
			    err.code == ERR_TLS);
			ck_assert(err.msg[0] != '\0');
		}
	}
	ck_assert_int_eq(ok, OK_COUNT);
}
END_TEST

/* The suite. */
static Suite *
clamp_suite(void)
{
	Suite	*s = suite_create("stream_tls_range");
	TCase	*tc = tcase_create("core");

	tcase_add_loop_test(tc, test_clamp_table, 0,
	    (int)(sizeof clamp_cases / sizeof clamp_cases[0]));
	tcase_add_test(tc, test_clamp_all);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(clamp_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
