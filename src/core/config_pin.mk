# Pinning a certificate in the config file (src/core/config_pin.c), and the
# worker's password wiping test.  Include from Makefile.am after
# src/core/core.mk, or paste into it.
src_core_libcore_a_SOURCES += src/core/config_pin.c src/core/config_pin.h

check_PROGRAMS += tests/unit/test_config_pin
TESTS += tests/unit/test_config_pin
tests_unit_test_config_pin_SOURCES = tests/unit/test_config_pin.c
tests_unit_test_config_pin_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_config_pin_LDADD = src/core/libcore.a src/mime/libmime.a src/util/libutil.a \
	$(TEST_LDADD) -lpthread $(LTLIBICONV)

check_PROGRAMS += tests/unit/test_worker_secret
TESTS += tests/unit/test_worker_secret
tests_unit_test_worker_secret_SOURCES = tests/unit/test_worker_secret.c
tests_unit_test_worker_secret_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_worker_secret_LDFLAGS = $(AM_LDFLAGS) -Wl,--wrap=free
tests_unit_test_worker_secret_LDADD = src/core/libcore.a src/cache/libcache.a \
	src/mime/libmime.a src/util/libutil.a $(SQLITE_LIBS) $(INIH_LIBS) \
	$(TEST_LDADD) -lpthread
