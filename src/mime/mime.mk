# src/mime: RFC 2047 words, charsets, transfer encodings, header lookup,
# dates, address lists and envelopes, text part extraction.  Also the fuzz
# target of the sanitiser (src/util/sanitize.c), whose unit test lives in
# util.mk.
noinst_LIBRARIES += src/mime/libmime.a
src_mime_libmime_a_SOURCES = \
	src/mime/mime.h src/mime/mime_int.h src/mime/address.h \
	src/mime/address.c \
	src/mime/base64.c \
	src/mime/charset.c \
	src/mime/date.c \
	src/mime/envelope.c \
	src/mime/header.c \
	src/mime/html.c \
	src/mime/param.c \
	src/mime/qp.c \
	src/mime/rfc2047.c \
	src/mime/text.c

check_PROGRAMS += tests/unit/test_mime
TESTS += tests/unit/test_mime
tests_unit_test_mime_SOURCES = tests/unit/test_mime.c \
	tests/unit/test_mime_codec.c tests/unit/test_mime_text.c \
	tests/unit/test_mime.h
tests_unit_test_mime_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_mime_LDADD = src/mime/libmime.a src/util/libutil.a \
	$(LTLIBICONV) $(TEST_LDADD) -lpthread

check_PROGRAMS += tests/unit/test_mime_address
TESTS += tests/unit/test_mime_address
tests_unit_test_mime_address_SOURCES = tests/unit/test_mime_address.c
tests_unit_test_mime_address_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_mime_address_LDADD = src/mime/libmime.a src/util/libutil.a \
	$(LTLIBICONV) $(TEST_LDADD) -lpthread

if ENABLE_FUZZING
FUZZ_TARGETS += tests/fuzz/fuzz_address
tests_fuzz_fuzz_address_SOURCES = tests/fuzz/fuzz_address.c
tests_fuzz_fuzz_address_LDADD = src/mime/libmime.a src/util/libutil.a \
	$(LTLIBICONV)
tests_fuzz_fuzz_address_LDFLAGS = $(AM_LDFLAGS) -fsanitize=fuzzer

FUZZ_TARGETS += tests/fuzz/fuzz_rfc2047
tests_fuzz_fuzz_rfc2047_SOURCES = tests/fuzz/fuzz_rfc2047.c
tests_fuzz_fuzz_rfc2047_LDADD = src/mime/libmime.a src/util/libutil.a \
	$(LTLIBICONV)
tests_fuzz_fuzz_rfc2047_LDFLAGS = $(AM_LDFLAGS) -fsanitize=fuzzer

FUZZ_TARGETS += tests/fuzz/fuzz_mime_text
tests_fuzz_fuzz_mime_text_SOURCES = tests/fuzz/fuzz_mime_text.c
tests_fuzz_fuzz_mime_text_LDADD = src/mime/libmime.a src/util/libutil.a \
	$(LTLIBICONV)
tests_fuzz_fuzz_mime_text_LDFLAGS = $(AM_LDFLAGS) -fsanitize=fuzzer

FUZZ_TARGETS += tests/fuzz/fuzz_sanitize
tests_fuzz_fuzz_sanitize_SOURCES = tests/fuzz/fuzz_sanitize.c
tests_fuzz_fuzz_sanitize_LDADD = src/util/libutil.a
tests_fuzz_fuzz_sanitize_LDFLAGS = $(AM_LDFLAGS) -fsanitize=fuzzer
endif
