# src/net/smtp.mk - the SMTP submission client (libsmtp.a), its unit
# tests and the fuzz target of its reply parser.
# SASL comes from sasl.c in libimap (link it after this library), the
# streams from libstream.
noinst_LIBRARIES += src/net/libsmtp.a
src_net_libsmtp_a_SOURCES = \
	src/net/smtp.h \
	src/net/smtp_auth.c \
	src/net/smtp_conn.c src/net/smtp_conn.h \
	src/net/smtp_data.c \
	src/net/smtp_ehlo.c \
	src/net/smtp_envelope.c \
	src/net/smtp_reply.c src/net/smtp_reply.h \
	src/net/smtp_send.c \
	src/net/smtp_session.c

SMTP_TEST_LIBS = src/net/libsmtp.a src/net/libimap.a src/net/libstream.a \
	src/util/libutil.a $(GSASL_LIBS) $(OPENSSL_LIBS)

# The reply parser (framing, codes, enhanced codes, limits, input split
# at every byte) and the EHLO capabilities.
check_PROGRAMS += tests/unit/test_smtp_reply
TESTS += tests/unit/test_smtp_reply
tests_unit_test_smtp_reply_SOURCES = tests/unit/test_smtp_reply.c
tests_unit_test_smtp_reply_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_smtp_reply_LDADD = $(SMTP_TEST_LIBS) $(TEST_LDADD) -lpthread

# The message (CRLF, dot-stuffing, the scan) and the envelope (address
# checks, xtext, MAIL and RCPT parameters).
check_PROGRAMS += tests/unit/test_smtp_data
TESTS += tests/unit/test_smtp_data
tests_unit_test_smtp_data_SOURCES = tests/unit/test_smtp_data.c
tests_unit_test_smtp_data_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_smtp_data_LDADD = $(SMTP_TEST_LIBS) $(TEST_LDADD) -lpthread

# Transcripts against a scripted server on loopback: the exact bytes
# smtp_send writes (EHLO, pipelining or not, AUTH, refusals, RSET, SIZE,
# 8BITMIME, SMTPUTF8, DSN, QUIT), and hostile replies and timeouts.
check_PROGRAMS += tests/unit/test_smtp_send
TESTS += tests/unit/test_smtp_send
tests_unit_test_smtp_send_SOURCES = tests/unit/test_smtp_send.c \
	tests/unit/test_smtp_server.c tests/unit/test_smtp_server.h
tests_unit_test_smtp_send_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_smtp_send_LDADD = $(SMTP_TEST_LIBS) $(TEST_LDADD) -lpthread

# Transcripts of the session: EHLO name, greeting, STARTTLS required,
# AUTH (PLAIN, LOGIN, CRAM-MD5, the 512-octet limit, refusals), hostile
# replies, cancellation, the trace's redaction.
check_PROGRAMS += tests/unit/test_smtp_session
TESTS += tests/unit/test_smtp_session
tests_unit_test_smtp_session_SOURCES = tests/unit/test_smtp_session.c \
	tests/unit/test_smtp_server.c tests/unit/test_smtp_server.h
tests_unit_test_smtp_session_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_smtp_session_LDADD = $(SMTP_TEST_LIBS) $(TEST_LDADD) -lpthread

# A client for the integration tests (tests/integration/smtp.sh,
# smtp-hostile.py): sends a file with smtp_send; not a test.
check_PROGRAMS += tests/tools/smtp_probe
tests_tools_smtp_probe_SOURCES = tests/tools/smtp_probe.c
tests_tools_smtp_probe_LDADD = $(SMTP_TEST_LIBS) -lpthread

if ENABLE_FUZZING
FUZZ_TARGETS += tests/fuzz/fuzz_smtp_reply
tests_fuzz_fuzz_smtp_reply_SOURCES = tests/fuzz/fuzz_smtp_reply.c
tests_fuzz_fuzz_smtp_reply_LDADD = $(SMTP_TEST_LIBS) -lpthread
tests_fuzz_fuzz_smtp_reply_LDFLAGS = $(AM_LDFLAGS) -fsanitize=fuzzer
endif
