# src/net IMAP driver: framing, parsing, modified UTF-7, the connection and
# the struct driver_ops imap_driver_ops.
noinst_LIBRARIES += src/net/libimap.a
src_net_libimap_a_SOURCES = \
	src/net/imap_conn.c src/net/imap_conn.h \
	src/net/imap_driver.c src/net/imap_driver.h \
	src/net/imap_fetch.c \
	src/net/imap_frame.c \
	src/net/imap_login.c \
	src/net/imap_message.c \
	src/net/imap_parse.c src/net/imap_parse.h \
	src/net/imap_sync.c \
	src/net/imap_utf7.c src/net/imap_utf7.h

check_PROGRAMS += tests/unit/test_imap_parse
TESTS += tests/unit/test_imap_parse
tests_unit_test_imap_parse_SOURCES = tests/unit/test_imap_parse.c
tests_unit_test_imap_parse_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_imap_parse_LDADD = src/net/libimap.a src/util/libutil.a \
	$(TEST_LDADD) -lpthread

check_PROGRAMS += tests/unit/test_imap_utf7
TESTS += tests/unit/test_imap_utf7
tests_unit_test_imap_utf7_SOURCES = tests/unit/test_imap_utf7.c
tests_unit_test_imap_utf7_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_imap_utf7_LDADD = src/net/libimap.a src/util/libutil.a \
	$(TEST_LDADD) -lpthread

check_PROGRAMS += tests/unit/test_imap_conn
TESTS += tests/unit/test_imap_conn
tests_unit_test_imap_conn_SOURCES = tests/unit/test_imap_conn.c \
	tests/unit/test_imap_mock.c tests/unit/test_imap_mock.h
tests_unit_test_imap_conn_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_imap_conn_LDADD = src/net/libimap.a src/util/libutil.a \
	$(TEST_LDADD) -lpthread

check_PROGRAMS += tests/unit/test_imap_driver
TESTS += tests/unit/test_imap_driver
tests_unit_test_imap_driver_SOURCES = tests/unit/test_imap_driver.c \
	tests/unit/test_imap_mock.c tests/unit/test_imap_mock.h
tests_unit_test_imap_driver_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_imap_driver_LDADD = src/net/libimap.a src/cache/libcache.a \
	src/mime/libmime.a src/util/libutil.a $(SQLITE_LIBS) $(LTLIBICONV) \
	$(TEST_LDADD) -lpthread

if ENABLE_FUZZING
FUZZ_TARGETS += tests/fuzz/fuzz_imap_parse
tests_fuzz_fuzz_imap_parse_SOURCES = tests/fuzz/fuzz_imap_parse.c
tests_fuzz_fuzz_imap_parse_LDADD = src/net/libimap.a src/util/libutil.a
tests_fuzz_fuzz_imap_parse_LDFLAGS = $(AM_LDFLAGS) -fsanitize=fuzzer

FUZZ_TARGETS += tests/fuzz/fuzz_imap_utf7
tests_fuzz_fuzz_imap_utf7_SOURCES = tests/fuzz/fuzz_imap_utf7.c
tests_fuzz_fuzz_imap_utf7_LDADD = src/net/libimap.a src/util/libutil.a
tests_fuzz_fuzz_imap_utf7_LDFLAGS = $(AM_LDFLAGS) -fsanitize=fuzzer
endif
