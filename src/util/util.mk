# src/util: errors, allocation, bounded buffers, the log, the sanitiser.
noinst_LIBRARIES += src/util/libutil.a
src_util_libutil_a_SOURCES = \
	src/util/buf.c src/util/buf.h \
	src/util/error.c src/util/error.h \
	src/util/log.c src/util/log.h \
	src/util/mkdirs.c src/util/mkdirs.h \
	src/util/sanitize.c src/util/sanitize.h \
	src/util/timeconv.c src/util/timeconv.h \
	src/util/utf8.c src/util/utf8.h \
	src/util/xmalloc.c src/util/xmalloc.h

check_PROGRAMS += tests/unit/test_util
TESTS += tests/unit/test_util
tests_unit_test_util_SOURCES = tests/unit/test_util.c
tests_unit_test_util_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_util_LDADD = src/util/libutil.a $(TEST_LDADD) -lpthread

check_PROGRAMS += tests/unit/test_sanitize
TESTS += tests/unit/test_sanitize
tests_unit_test_sanitize_SOURCES = tests/unit/test_sanitize.c
tests_unit_test_sanitize_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_sanitize_LDADD = src/util/libutil.a $(TEST_LDADD) -lpthread
