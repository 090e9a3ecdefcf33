# src/net IMAP BODYSTRUCTURE parser (its own fragment; part of libimap).
src_net_libimap_a_SOURCES += \
	src/net/imap_bodystructure.c src/net/imap_bodystructure.h

check_PROGRAMS += tests/unit/test_imap_bodystructure
TESTS += tests/unit/test_imap_bodystructure
tests_unit_test_imap_bodystructure_SOURCES = \
	tests/unit/test_imap_bodystructure.c
tests_unit_test_imap_bodystructure_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_imap_bodystructure_LDADD = src/net/libimap.a src/net/libstream.a \
	src/util/libutil.a $(TEST_LDADD) -lpthread

if ENABLE_FUZZING
FUZZ_TARGETS += tests/fuzz/fuzz_imap_bodystructure
tests_fuzz_fuzz_imap_bodystructure_SOURCES = \
	tests/fuzz/fuzz_imap_bodystructure.c
tests_fuzz_fuzz_imap_bodystructure_LDADD = src/net/libimap.a src/net/libstream.a \
	src/util/libutil.a
tests_fuzz_fuzz_imap_bodystructure_LDFLAGS = $(AM_LDFLAGS) -fsanitize=fuzzer
endif
