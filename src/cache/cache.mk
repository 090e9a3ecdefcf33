# src/cache: the SQLite cache (schema, migrations, folders, messages, bodies).
noinst_LIBRARIES += src/cache/libcache.a
src_cache_libcache_a_SOURCES = \
	src/cache/cache.c src/cache/cache.h src/cache/cache_impl.h \
	src/cache/cache_body.c \
	src/cache/cache_folder.c \
	src/cache/cache_msg.c \
	src/cache/cache_schema.c

check_PROGRAMS += tests/unit/test_cache
TESTS += tests/unit/test_cache
tests_unit_test_cache_SOURCES = tests/unit/test_cache.c
tests_unit_test_cache_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_cache_LDADD = src/cache/libcache.a src/util/libutil.a \
	$(SQLITE_LIBS) $(TEST_LDADD) -lpthread
