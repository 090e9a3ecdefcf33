# src/core: config, accounts and the driver registry, workers, sync.
noinst_LIBRARIES += src/core/libcore.a
src_core_libcore_a_SOURCES = \
	src/core/account.c src/core/account.h \
	src/core/config.c src/core/config.h src/core/config_impl.h \
	src/core/config_net.c \
	src/core/config_send.c \
	src/core/config_store.c \
	src/core/password.c \
	src/core/paths.c src/core/paths.h \
	src/core/sync.c src/core/sync.h \
	src/core/worker.c src/core/worker.h src/core/worker_impl.h \
	src/core/worker_import.c \
	src/core/worker_run.c \
	src/core/worker_send.c

check_PROGRAMS += tests/unit/test_config
TESTS += tests/unit/test_config
tests_unit_test_config_SOURCES = tests/unit/test_config.c
tests_unit_test_config_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_config_LDADD = src/core/libcore.a src/mime/libmime.a src/util/libutil.a \
	$(INIH_LIBS) $(TEST_LDADD) -lpthread $(LTLIBICONV)

if ENABLE_FUZZING
FUZZ_TARGETS += tests/fuzz/fuzz_config
tests_fuzz_fuzz_config_SOURCES = tests/fuzz/fuzz_config.c
tests_fuzz_fuzz_config_LDADD = src/core/libcore.a src/mime/libmime.a src/util/libutil.a \
	$(INIH_LIBS) -lpthread $(LTLIBICONV)
tests_fuzz_fuzz_config_LDFLAGS = $(AM_LDFLAGS) -fsanitize=fuzzer
endif
