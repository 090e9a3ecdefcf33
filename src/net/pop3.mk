# src/net/pop3.mk - the POP3 driver (RFC 1939, 2449, 2595, 5034): the
# reply parser, the session (commands, pipelining, STLS, AUTH/APOP/USER),
# the UIDL sync, downloads, leave_on_server, and pop3_driver_ops.
# SASL comes from sasl.c in libimap (linked before this library).
noinst_LIBRARIES += src/net/libpop3.a
src_net_libpop3_a_SOURCES = \
	src/net/pop3_auth.c \
	src/net/pop3_conn.c src/net/pop3_conn.h \
	src/net/pop3_driver.c src/net/pop3_driver.h \
	src/net/pop3_fetch.c \
	src/net/pop3_list.c \
	src/net/pop3_login.c \
	src/net/pop3_parse.c src/net/pop3_parse.h \
	src/net/pop3_pend.c \
	src/net/pop3_policy.c \
	src/net/pop3_state.c \
	src/net/pop3_sync.c

# The reply parser: framing, dot-stuffing, codes, limits, split input.
check_PROGRAMS += tests/unit/test_pop3_parse
TESTS += tests/unit/test_pop3_parse
tests_unit_test_pop3_parse_SOURCES = tests/unit/test_pop3_parse.c
tests_unit_test_pop3_parse_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_pop3_parse_LDADD = src/net/libpop3.a src/net/libstream.a src/util/libutil.a \
	$(TEST_LDADD) -lpthread

# Login transcripts against a scripted server: each mechanism, APOP,
# USER/PASS, STLS and its hostile variants, refusals, redaction.
check_PROGRAMS += tests/unit/test_pop3_login
TESTS += tests/unit/test_pop3_login
tests_unit_test_pop3_login_SOURCES = tests/unit/test_pop3_login.c \
	tests/unit/test_pop3_mock.c tests/unit/test_pop3_mock.h
tests_unit_test_pop3_login_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_pop3_login_LDADD = src/net/libpop3.a src/net/libstream.a src/net/libimap.a \
	src/cache/libcache.a src/mime/libmime.a src/util/libutil.a \
	$(SQLITE_LIBS) $(LTLIBICONV) $(ZLIB_LIBS) $(GSASL_LIBS) \
	$(OPENSSL_LIBS) $(TEST_LDADD) -lpthread

# Driver transcripts: sync, renumbering, pipelining, local flags,
# bodies, read-only, broken listings and replies.
check_PROGRAMS += tests/unit/test_pop3_driver
TESTS += tests/unit/test_pop3_driver
tests_unit_test_pop3_driver_SOURCES = tests/unit/test_pop3_driver.c \
	tests/unit/test_pop3_fixture.c tests/unit/test_pop3_fixture.h \
	tests/unit/test_pop3_mock.c tests/unit/test_pop3_mock.h
tests_unit_test_pop3_driver_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_pop3_driver_LDADD = src/net/libpop3.a src/net/libstream.a src/net/libimap.a \
	src/cache/libcache.a src/mime/libmime.a src/util/libutil.a \
	$(SQLITE_LIBS) $(LTLIBICONV) $(ZLIB_LIBS) $(GSASL_LIBS) \
	$(OPENSSL_LIBS) $(TEST_LDADD) -lpthread

# leave_on_server, sessions cut around QUIT, expunge, the state text.
check_PROGRAMS += tests/unit/test_pop3_policy
TESTS += tests/unit/test_pop3_policy
tests_unit_test_pop3_policy_SOURCES = tests/unit/test_pop3_policy.c \
	tests/unit/test_pop3_fixture.c tests/unit/test_pop3_fixture.h \
	tests/unit/test_pop3_mock.c tests/unit/test_pop3_mock.h
tests_unit_test_pop3_policy_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_pop3_policy_LDADD = src/net/libpop3.a src/net/libstream.a src/net/libimap.a \
	src/cache/libcache.a src/mime/libmime.a src/util/libutil.a \
	$(SQLITE_LIBS) $(LTLIBICONV) $(ZLIB_LIBS) $(GSASL_LIBS) \
	$(OPENSSL_LIBS) $(TEST_LDADD) -lpthread

if ENABLE_FUZZING
FUZZ_TARGETS += tests/fuzz/fuzz_pop3_parse
tests_fuzz_fuzz_pop3_parse_SOURCES = tests/fuzz/fuzz_pop3_parse.c
tests_fuzz_fuzz_pop3_parse_LDADD = src/net/libpop3.a src/net/libstream.a src/util/libutil.a
tests_fuzz_fuzz_pop3_parse_LDFLAGS = $(AM_LDFLAGS) -fsanitize=fuzzer
endif
