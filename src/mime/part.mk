# src/mime/part.mk - the MIME part tree (RFC 2045/2046): part.c splits
# multiparts and encapsulated messages, part_fields.c reads each part's
# type, charset, disposition, filename and transfer encoding.
src_mime_libmime_a_SOURCES += \
	src/mime/part.h src/mime/part_int.h \
	src/mime/part.c \
	src/mime/part_fields.c

# The differential test's hand-made messages and allow-list
# (tests/integration/mime-diff.sh).
EXTRA_DIST += tests/fixtures/mime

check_PROGRAMS += tests/unit/test_mime_part
TESTS += tests/unit/test_mime_part
tests_unit_test_mime_part_SOURCES = tests/unit/test_mime_part.c
tests_unit_test_mime_part_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_mime_part_LDADD = src/mime/libmime.a src/util/libutil.a \
	$(LTLIBICONV) $(TEST_LDADD) -lpthread

# Charset labels (src/mime/charset.c).
check_PROGRAMS += tests/unit/test_mime_charset
TESTS += tests/unit/test_mime_charset
tests_unit_test_mime_charset_SOURCES = tests/unit/test_mime_charset.c
tests_unit_test_mime_charset_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_mime_charset_LDADD = src/mime/libmime.a src/util/libutil.a \
	$(LTLIBICONV) $(TEST_LDADD) -lpthread

if ENABLE_FUZZING
FUZZ_TARGETS += tests/fuzz/fuzz_mime_part
tests_fuzz_fuzz_mime_part_SOURCES = tests/fuzz/fuzz_mime_part.c
tests_fuzz_fuzz_mime_part_LDADD = src/mime/libmime.a src/util/libutil.a \
	$(LTLIBICONV)
tests_fuzz_fuzz_mime_part_LDFLAGS = $(AM_LDFLAGS) -fsanitize=fuzzer
endif
