# src/compose/compose.mk - starting, editing, attaching to and resuming a
# message being written, and the address book that completes addresses
# (libcompose.a), with its unit tests and fuzz targets.  libcompose uses
# libcore (config_argv_split, to split the editor command), libmime,
# libutil and libmagic.
noinst_LIBRARIES += src/compose/libcompose.a
src_compose_libcompose_a_SOURCES = \
	src/compose/compose.h src/compose/compose_int.h \
	src/compose/compose_addrbook.c \
	src/compose/compose_aliases.c \
	src/compose/compose_attach.c \
	src/compose/compose_draft.c \
	src/compose/compose_edit.c \
	src/compose/compose_editor.c \
	src/compose/compose_quote.c \
	src/compose/compose_reply.c \
	src/compose/compose_resume.c \
	src/compose/compose_subject.c

COMPOSE_TEST_LIBS = src/compose/libcompose.a src/core/libcore.a \
	src/mime/libmime.a src/util/libutil.a $(MAGIC_LIBS) $(INIH_LIBS) \
	$(LTLIBICONV)

check_PROGRAMS += tests/unit/test_compose
TESTS += tests/unit/test_compose
tests_unit_test_compose_SOURCES = tests/unit/test_compose.c \
	tests/unit/test_compose.h \
	tests/unit/test_compose_reply.c \
	tests/unit/test_compose_quote.c \
	tests/unit/test_compose_edit.c \
	tests/unit/test_compose_attach.c \
	tests/unit/test_compose_resume.c \
	tests/unit/test_compose_addrbook.c \
	tests/unit/test_tmpdir.c tests/unit/test_tmpdir.h
tests_unit_test_compose_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_compose_LDADD = $(COMPOSE_TEST_LIBS) $(TEST_LDADD) -lpthread

if ENABLE_FUZZING
FUZZ_TARGETS += tests/fuzz/fuzz_compose
tests_fuzz_fuzz_compose_SOURCES = tests/fuzz/fuzz_compose.c
tests_fuzz_fuzz_compose_LDADD = $(COMPOSE_TEST_LIBS) -lpthread
tests_fuzz_fuzz_compose_LDFLAGS = $(AM_LDFLAGS) -fsanitize=fuzzer
FUZZ_TARGETS += tests/fuzz/fuzz_compose_resume
tests_fuzz_fuzz_compose_resume_SOURCES = tests/fuzz/fuzz_compose_resume.c
tests_fuzz_fuzz_compose_resume_LDADD = $(COMPOSE_TEST_LIBS) -lpthread
tests_fuzz_fuzz_compose_resume_LDFLAGS = $(AM_LDFLAGS) -fsanitize=fuzzer
FUZZ_TARGETS += tests/fuzz/fuzz_compose_aliases
tests_fuzz_fuzz_compose_aliases_SOURCES = tests/fuzz/fuzz_compose_aliases.c
tests_fuzz_fuzz_compose_aliases_LDADD = $(COMPOSE_TEST_LIBS) -lpthread
tests_fuzz_fuzz_compose_aliases_LDFLAGS = $(AM_LDFLAGS) -fsanitize=fuzzer
endif
