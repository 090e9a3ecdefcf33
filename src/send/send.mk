# src/send: the outbox's sending side (queue, SMTP or sendmail_command,
# the Sent copy and postponed drafts, `petrel send`'s message preparation)
# and its unit tests.
noinst_LIBRARIES += src/send/libsend.a
src_send_libsend_a_SOURCES = \
	src/send/outbox.h \
	src/send/outbox.c \
	src/send/outbox_build.c \
	src/send/outbox_prepare.c \
	src/send/outbox_sendmail.c \
	src/send/outbox_store.c

check_PROGRAMS += tests/unit/test_outbox
TESTS += tests/unit/test_outbox
tests_unit_test_outbox_SOURCES = tests/unit/test_outbox.c \
	tests/unit/test_tmpdir.c tests/unit/test_tmpdir.h
tests_unit_test_outbox_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_outbox_LDADD = src/send/libsend.a src/net/libsmtp.a \
	src/net/libimap.a src/core/libcore.a src/net/libstream.a \
	src/mime/libmime.a src/cache/libcache.a src/util/libutil.a \
	$(SQLITE_LIBS) $(OPENSSL_LIBS) $(GSASL_LIBS) $(ZLIB_LIBS) \
	$(INIH_LIBS) $(LTLIBICONV) $(TEST_LDADD) -lpthread
