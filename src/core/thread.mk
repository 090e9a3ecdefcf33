# src/core threading (JWZ); part of libcore (core.mk lists the rest).
src_core_libcore_a_SOURCES += src/core/thread.c src/core/thread.h \
	src/core/thread_view.c

# The test builds the threading sources itself: libcore as a whole pulls
# in the account and worker code, which this test does not need.
check_PROGRAMS += tests/unit/test_thread
TESTS += tests/unit/test_thread
tests_unit_test_thread_SOURCES = tests/unit/test_thread.c \
	src/core/thread.c src/core/thread_view.c
tests_unit_test_thread_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_thread_LDADD = src/util/libutil.a $(TEST_LDADD) -lpthread
