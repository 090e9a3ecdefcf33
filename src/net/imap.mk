# src/net IMAP driver: framing, parsing, modified UTF-7, the connection,
# the sync engine, IDLE, mailbox operations, the COMPRESS=DEFLATE stream
# layer (stream_zlib.c, zlib) and the struct driver_ops imap_driver_ops.
# Logging in goes through the protocol-independent SASL client (sasl.c,
# libgsasl), which POP3 and SMTP reuse.
noinst_LIBRARIES += src/net/libimap.a
src_net_libimap_a_SOURCES = \
	src/net/imap_auth.c \
	src/net/imap_caps.c \
	src/net/imap_cmd.c src/net/imap_cmd.h \
	src/net/imap_conn.c src/net/imap_conn.h \
	src/net/imap_driver.c src/net/imap_driver.h \
	src/net/imap_fetch.c \
	src/net/imap_fetch_batch.c \
	src/net/imap_folder_ops.c \
	src/net/imap_folders.c \
	src/net/imap_frame.c \
	src/net/imap_idle.c \
	src/net/imap_input.c \
	src/net/imap_login.c src/net/imap_login.h \
	src/net/imap_mbox.c \
	src/net/imap_message.c \
	src/net/imap_ops.c \
	src/net/imap_parse.c src/net/imap_parse.h \
	src/net/imap_pend.c \
	src/net/imap_set.c \
	src/net/imap_status.c \
	src/net/imap_sync.c \
	src/net/imap_uiddiff.c \
	src/net/imap_utf7.c src/net/imap_utf7.h \
	src/net/sasl.c src/net/sasl.h \
	src/net/sasl_line.c src/net/sasl_line.h \
	src/net/stream_zlib.c src/net/stream_zlib.h

check_PROGRAMS += tests/unit/test_imap_parse
TESTS += tests/unit/test_imap_parse
tests_unit_test_imap_parse_SOURCES = tests/unit/test_imap_parse.c
tests_unit_test_imap_parse_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_imap_parse_LDADD = src/net/libimap.a src/net/libstream.a src/util/libutil.a \
	$(TEST_LDADD) -lpthread

check_PROGRAMS += tests/unit/test_imap_utf7
TESTS += tests/unit/test_imap_utf7
tests_unit_test_imap_utf7_SOURCES = tests/unit/test_imap_utf7.c
tests_unit_test_imap_utf7_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_imap_utf7_LDADD = src/net/libimap.a src/net/libstream.a src/util/libutil.a \
	$(TEST_LDADD) -lpthread

check_PROGRAMS += tests/unit/test_imap_conn
TESTS += tests/unit/test_imap_conn
tests_unit_test_imap_conn_SOURCES = tests/unit/test_imap_conn.c \
	tests/unit/test_imap_mock.c tests/unit/test_imap_mock.h
tests_unit_test_imap_conn_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_imap_conn_LDADD = src/net/libimap.a src/net/libstream.a src/util/libutil.a \
	$(ZLIB_LIBS) $(GSASL_LIBS) $(TEST_LDADD) -lpthread

check_PROGRAMS += tests/unit/test_imap_driver
TESTS += tests/unit/test_imap_driver
tests_unit_test_imap_driver_SOURCES = tests/unit/test_imap_driver.c \
	tests/unit/test_imap_mock.c tests/unit/test_imap_mock.h
tests_unit_test_imap_driver_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_imap_driver_LDADD = src/net/libimap.a src/net/libstream.a src/cache/libcache.a \
	src/mime/libmime.a src/util/libutil.a $(SQLITE_LIBS) $(LTLIBICONV) \
	$(ZLIB_LIBS) $(GSASL_LIBS) $(TEST_LDADD) -lpthread

# Sync engine transcripts: QRESYNC, CONDSTORE, UID diff, batches.
check_PROGRAMS += tests/unit/test_imap_sync
TESTS += tests/unit/test_imap_sync
tests_unit_test_imap_sync_SOURCES = tests/unit/test_imap_sync.c \
	tests/unit/test_imap_fixture.c tests/unit/test_imap_fixture.h \
	tests/unit/test_imap_mock.c tests/unit/test_imap_mock.h
tests_unit_test_imap_sync_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_imap_sync_LDADD = src/net/libimap.a src/net/libstream.a src/cache/libcache.a \
	src/mime/libmime.a src/util/libutil.a $(SQLITE_LIBS) $(LTLIBICONV) \
	$(ZLIB_LIBS) $(GSASL_LIBS) $(TEST_LDADD) -lpthread

# Mailbox operations, IDLE, COMPRESS and APPEND transcripts.
check_PROGRAMS += tests/unit/test_imap_ops
TESTS += tests/unit/test_imap_ops
tests_unit_test_imap_ops_SOURCES = tests/unit/test_imap_ops.c \
	tests/unit/test_imap_fixture.c tests/unit/test_imap_fixture.h \
	tests/unit/test_imap_mock.c tests/unit/test_imap_mock.h
tests_unit_test_imap_ops_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_imap_ops_LDADD = src/net/libimap.a src/net/libstream.a src/cache/libcache.a \
	src/mime/libmime.a src/util/libutil.a $(SQLITE_LIBS) $(LTLIBICONV) \
	$(ZLIB_LIBS) $(GSASL_LIBS) $(TEST_LDADD) -lpthread

# Hostile and slow servers, cache locking, unreadable messages, alerts.
check_PROGRAMS += tests/unit/test_imap_robust
TESTS += tests/unit/test_imap_robust
tests_unit_test_imap_robust_SOURCES = tests/unit/test_imap_robust.c \
	tests/unit/test_imap_fixture.c tests/unit/test_imap_fixture.h \
	tests/unit/test_imap_mock.c tests/unit/test_imap_mock.h
tests_unit_test_imap_robust_CFLAGS = $(TEST_CFLAGS) $(SQLITE_CFLAGS)
tests_unit_test_imap_robust_LDADD = src/net/libimap.a src/net/libstream.a src/cache/libcache.a \
	src/mime/libmime.a src/util/libutil.a $(SQLITE_LIBS) $(LTLIBICONV) \
	$(ZLIB_LIBS) $(GSASL_LIBS) $(TEST_LDADD) -lpthread

# No copy of a password left in freed memory (realloc and free wrapped).
check_PROGRAMS += tests/unit/test_imap_secret
TESTS += tests/unit/test_imap_secret
tests_unit_test_imap_secret_SOURCES = tests/unit/test_imap_secret.c \
	tests/unit/test_imap_mock.c tests/unit/test_imap_mock.h
tests_unit_test_imap_secret_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_imap_secret_LDFLAGS = $(AM_LDFLAGS) \
	-Wl,--wrap=realloc -Wl,--wrap=free
tests_unit_test_imap_secret_LDADD = src/net/libimap.a src/net/libstream.a src/util/libutil.a \
	$(ZLIB_LIBS) $(GSASL_LIBS) $(TEST_LDADD) -lpthread

# The COMPRESS=DEFLATE layer against zlib itself.
check_PROGRAMS += tests/unit/test_imap_zlib
TESTS += tests/unit/test_imap_zlib
tests_unit_test_imap_zlib_SOURCES = tests/unit/test_imap_zlib.c
tests_unit_test_imap_zlib_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_imap_zlib_LDADD = src/net/libimap.a src/net/libstream.a \
	src/util/libutil.a $(ZLIB_LIBS) $(GSASL_LIBS) $(TEST_LDADD) -lpthread

# The SASL client: choice of mechanism, each mechanism's exact bytes, and
# SCRAM/CRAM-MD5 against libgsasl's own server side.
check_PROGRAMS += tests/unit/test_sasl
TESTS += tests/unit/test_sasl
tests_unit_test_sasl_SOURCES = tests/unit/test_sasl.c
tests_unit_test_sasl_CFLAGS = $(TEST_CFLAGS) $(GSASL_CFLAGS)
tests_unit_test_sasl_LDADD = src/net/libimap.a src/net/libstream.a src/util/libutil.a \
	$(GSASL_LIBS) $(TEST_LDADD) -lpthread

# Login transcripts: each mechanism, auth order, plain-text refusal,
# hostile STARTTLS servers, security = auto.
check_PROGRAMS += tests/unit/test_imap_login
TESTS += tests/unit/test_imap_login
tests_unit_test_imap_login_SOURCES = tests/unit/test_imap_login.c \
	tests/unit/test_imap_mock.c tests/unit/test_imap_mock.h
tests_unit_test_imap_login_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_imap_login_LDADD = src/net/libimap.a src/net/libstream.a src/util/libutil.a \
	$(ZLIB_LIBS) $(GSASL_LIBS) $(TEST_LDADD) -lpthread

if ENABLE_FUZZING
FUZZ_TARGETS += tests/fuzz/fuzz_imap_parse
tests_fuzz_fuzz_imap_parse_SOURCES = tests/fuzz/fuzz_imap_parse.c
tests_fuzz_fuzz_imap_parse_LDADD = src/net/libimap.a src/net/libstream.a src/util/libutil.a
tests_fuzz_fuzz_imap_parse_LDFLAGS = $(AM_LDFLAGS) -fsanitize=fuzzer

FUZZ_TARGETS += tests/fuzz/fuzz_imap_utf7
tests_fuzz_fuzz_imap_utf7_SOURCES = tests/fuzz/fuzz_imap_utf7.c
tests_fuzz_fuzz_imap_utf7_LDADD = src/net/libimap.a src/net/libstream.a src/util/libutil.a
tests_fuzz_fuzz_imap_utf7_LDFLAGS = $(AM_LDFLAGS) -fsanitize=fuzzer
endif
