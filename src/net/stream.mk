# src/net streams: TCP with timeouts, proxies (SOCKS4/4a/5, HTTP CONNECT),
# TLS (OpenSSL) on top, and transport_connect which stacks them.
noinst_LIBRARIES += src/net/libstream.a
src_net_libstream_a_SOURCES = \
	src/net/stream.c src/net/stream.h \
	src/net/stream_proxy.c src/net/stream_proxy.h \
	src/net/stream_tcp.c \
	src/net/stream_tls.c src/net/stream_tls_range.c \
	src/net/transport.c src/net/transport.h src/net/transport_policy.c

check_PROGRAMS += tests/unit/test_stream_proxy
TESTS += tests/unit/test_stream_proxy
tests_unit_test_stream_proxy_SOURCES = tests/unit/test_stream_proxy.c
tests_unit_test_stream_proxy_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_stream_proxy_LDADD = src/net/libstream.a src/util/libutil.a \
	$(OPENSSL_LIBS) $(TEST_LDADD) -lpthread

check_PROGRAMS += tests/unit/test_stream_tls
TESTS += tests/unit/test_stream_tls
tests_unit_test_stream_tls_SOURCES = tests/unit/test_stream_tls.c
tests_unit_test_stream_tls_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_stream_tls_LDADD = src/net/libstream.a src/util/libutil.a \
	$(OPENSSL_LIBS) $(TEST_LDADD) -lpthread

check_PROGRAMS += tests/unit/test_stream_tls_range
TESTS += tests/unit/test_stream_tls_range
tests_unit_test_stream_tls_range_SOURCES = tests/unit/test_stream_tls_range.c
tests_unit_test_stream_tls_range_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_stream_tls_range_LDADD = src/net/libstream.a \
	src/util/libutil.a $(TEST_LDADD) -lpthread

# A driver for the integration tests: transport_connect against real
# proxies and servers (tests/integration/proxy.sh, tls.sh); not a test.
check_PROGRAMS += tests/unit/transport_probe
tests_unit_transport_probe_SOURCES = tests/unit/transport_probe.c
tests_unit_transport_probe_LDADD = src/net/libstream.a src/util/libutil.a \
	$(OPENSSL_LIBS) -lpthread

if ENABLE_FUZZING
FUZZ_TARGETS += tests/fuzz/fuzz_proxy_reply
tests_fuzz_fuzz_proxy_reply_SOURCES = tests/fuzz/fuzz_proxy_reply.c
tests_fuzz_fuzz_proxy_reply_LDADD = src/net/libstream.a src/util/libutil.a \
	$(OPENSSL_LIBS) -lpthread
tests_fuzz_fuzz_proxy_reply_LDFLAGS = $(AM_LDFLAGS) -fsanitize=fuzzer
endif

# core/endpoint.c is compiled into this test directly until the lead
# includes src/core/endpoint.mk (then libcore.a has it too; the test's own
# copy satisfies every symbol, so the archive member is not pulled twice).
check_PROGRAMS += tests/unit/test_stream_endpoint
TESTS += tests/unit/test_stream_endpoint
tests_unit_test_stream_endpoint_SOURCES = tests/unit/test_stream_endpoint.c \
	src/core/endpoint.c
tests_unit_test_stream_endpoint_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_stream_endpoint_LDADD = src/core/libcore.a src/mime/libmime.a \
	src/net/libstream.a src/util/libutil.a $(INIH_LIBS) $(OPENSSL_LIBS) \
	$(TEST_LDADD) -lpthread $(LTLIBICONV)
