# src/mime/build.mk - the message builder (src/mime/build*.c): its unit
# tests, the probe the Python email oracle test drives
# (tests/integration/mime-build.sh) and the fuzz target of the header
# encoder.
src_mime_libmime_a_SOURCES += \
	src/mime/build.h src/mime/build_int.h \
	src/mime/build.c \
	src/mime/build_addr.c \
	src/mime/build_attach.c \
	src/mime/build_body.c \
	src/mime/build_header.c

check_PROGRAMS += tests/unit/test_mime_build
TESTS += tests/unit/test_mime_build
tests_unit_test_mime_build_SOURCES = tests/unit/test_mime_build.c \
	tests/unit/test_mime_build_addr.c \
	tests/unit/test_mime_build_parts.c tests/unit/test_mime_build.h
tests_unit_test_mime_build_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_mime_build_LDADD = src/mime/libmime.a src/util/libutil.a \
	$(LTLIBICONV) $(TEST_LDADD) -lpthread

# Built with the unit tests, run by tests/integration/mime-build.sh.
check_PROGRAMS += tests/unit/mime_build_probe
tests_unit_mime_build_probe_SOURCES = tests/unit/mime_build_probe.c
tests_unit_mime_build_probe_LDADD = src/mime/libmime.a src/util/libutil.a \
	$(LTLIBICONV)

if ENABLE_FUZZING
FUZZ_TARGETS += tests/fuzz/fuzz_mime_build
tests_fuzz_fuzz_mime_build_SOURCES = tests/fuzz/fuzz_mime_build.c
tests_fuzz_fuzz_mime_build_LDADD = src/mime/libmime.a src/util/libutil.a \
	$(LTLIBICONV)
tests_fuzz_fuzz_mime_build_LDFLAGS = $(AM_LDFLAGS) -fsanitize=fuzzer
endif
