# src/cache: the SQLite cache (schema, migrations, folders, messages,
# queries, pending operations, bodies, the outbox).
noinst_LIBRARIES += src/cache/libcache.a
src_cache_libcache_a_SOURCES = \
	src/cache/cache.c src/cache/cache.h src/cache/cache_impl.h \
	src/cache/cache_addr.c \
	src/cache/cache_body.c \
	src/cache/cache_bulk.c \
	src/cache/cache_extra.c \
	src/cache/cache_folder.c \
	src/cache/cache_msg.c \
	src/cache/cache_op.c \
	src/cache/cache_outbox.c \
	src/cache/cache_query.c \
	src/cache/cache_schema.c \
	src/cache/cache_sortkey.c

check_PROGRAMS += tests/unit/test_cache
TESTS += tests/unit/test_cache
tests_unit_test_cache_SOURCES = tests/unit/test_cache.c \
	tests/unit/test_tmpdir.c tests/unit/test_tmpdir.h
tests_unit_test_cache_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_cache_LDADD = src/cache/libcache.a src/util/libutil.a \
	$(SQLITE_LIBS) $(TEST_LDADD) -lpthread

check_PROGRAMS += tests/unit/test_cache_query
TESTS += tests/unit/test_cache_query
tests_unit_test_cache_query_SOURCES = tests/unit/test_cache_query.c \
	tests/unit/test_tmpdir.c tests/unit/test_tmpdir.h
tests_unit_test_cache_query_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_cache_query_LDADD = src/cache/libcache.a src/util/libutil.a \
	$(SQLITE_LIBS) $(TEST_LDADD) -lpthread

check_PROGRAMS += tests/unit/test_cache_ops
TESTS += tests/unit/test_cache_ops
tests_unit_test_cache_ops_SOURCES = tests/unit/test_cache_ops.c \
	tests/unit/test_tmpdir.c tests/unit/test_tmpdir.h
tests_unit_test_cache_ops_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_cache_ops_LDADD = src/cache/libcache.a src/util/libutil.a \
	$(SQLITE_LIBS) $(TEST_LDADD) -lpthread

# cache_msg_flags and cache_folder_rename (cache_extra.c).
check_PROGRAMS += tests/unit/test_cache_extra
TESTS += tests/unit/test_cache_extra
tests_unit_test_cache_extra_SOURCES = tests/unit/test_cache_extra.c
tests_unit_test_cache_extra_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_cache_extra_LDADD = src/cache/libcache.a src/util/libutil.a \
	$(SQLITE_LIBS) $(TEST_LDADD) -lpthread

check_PROGRAMS += tests/unit/test_cache_outbox
TESTS += tests/unit/test_cache_outbox
tests_unit_test_cache_outbox_SOURCES = tests/unit/test_cache_outbox.c \
	tests/unit/test_tmpdir.c tests/unit/test_tmpdir.h
tests_unit_test_cache_outbox_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_cache_outbox_LDADD = src/cache/libcache.a src/util/libutil.a \
	$(SQLITE_LIBS) $(TEST_LDADD) -lpthread
