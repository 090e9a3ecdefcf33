# src/store: local stores.  The Maildir driver (read/write, Maildir++
# folders, inotify), the read-only mbox driver and its splitter, shared
# bounded file reading, text search and change watching, and finding the
# user's local mailbox when there is no configuration file.  Also the
# unit tests and the fuzz target of the mbox splitter.
noinst_LIBRARIES += src/store/libstore.a
src_store_libstore_a_SOURCES = \
	src/store/maildir.h \
	src/store/maildir_driver.c \
	src/store/maildir_folders.c \
	src/store/maildir_index.c \
	src/store/maildir_move.c \
	src/store/maildir_name.c \
	src/store/maildir_ops.c \
	src/store/maildir_sync.c \
	src/store/mbox.h \
	src/store/mbox_driver.c \
	src/store/mbox_split.c \
	src/store/mbox_sync.c \
	src/store/store.h \
	src/store/store_file.c src/store/store_file.h \
	src/store/store_guess.c \
	src/store/store_search.c src/store/store_search.h \
	src/store/store_watch.c src/store/store_watch.h

# Names: flag letters, unique names, Maildir++ folder names.
check_PROGRAMS += tests/unit/test_maildir_name
TESTS += tests/unit/test_maildir_name
tests_unit_test_maildir_name_SOURCES = tests/unit/test_maildir_name.c
tests_unit_test_maildir_name_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_maildir_name_LDADD = src/store/libstore.a \
	src/net/libimap.a src/util/libutil.a $(TEST_LDADD) -lpthread

# The driver on real directories: sync, flags, races, moves, folders,
# search, inotify.
check_PROGRAMS += tests/unit/test_maildir
TESTS += tests/unit/test_maildir
tests_unit_test_maildir_SOURCES = tests/unit/test_maildir.c \
	tests/unit/test_tmpdir.c tests/unit/test_tmpdir.h
tests_unit_test_maildir_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_maildir_LDADD = src/store/libstore.a src/net/libimap.a \
	src/cache/libcache.a src/mime/libmime.a src/util/libutil.a \
	$(SQLITE_LIBS) $(LTLIBICONV) $(TEST_LDADD) -lpthread

# The mbox splitter in every chunking, the driver on real files, and
# finding the local mailbox without a configuration file.
check_PROGRAMS += tests/unit/test_mbox
TESTS += tests/unit/test_mbox
tests_unit_test_mbox_SOURCES = tests/unit/test_mbox.c \
	tests/unit/test_tmpdir.c tests/unit/test_tmpdir.h
tests_unit_test_mbox_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_mbox_LDADD = src/store/libstore.a src/cache/libcache.a \
	src/mime/libmime.a src/util/libutil.a $(SQLITE_LIBS) $(LTLIBICONV) \
	$(TEST_LDADD) -lpthread

if ENABLE_FUZZING
FUZZ_TARGETS += tests/fuzz/fuzz_mbox_split
tests_fuzz_fuzz_mbox_split_SOURCES = tests/fuzz/fuzz_mbox_split.c
tests_fuzz_fuzz_mbox_split_LDADD = src/store/libstore.a src/mime/libmime.a \
	src/util/libutil.a $(LTLIBICONV)
tests_fuzz_fuzz_mbox_split_LDFLAGS = $(AM_LDFLAGS) -fsanitize=fuzzer
endif
