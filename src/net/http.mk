# src/net/http.mk - libcurl configured from the account settings: the same
# proxy profile, TLS options, pin and timeouts as transport_connect, for
# the HTTP drivers (EWS, Graph, OAuth).  Nothing in petrel links it yet.
noinst_LIBRARIES += src/net/libhttp.a
src_net_libhttp_a_SOURCES = \
	src/net/http.c src/net/http.h src/net/http_impl.h \
	src/net/http_error.c \
	src/net/http_log.c \
	src/net/http_settings.c \
	src/net/http_tls.c

check_PROGRAMS += tests/unit/test_http
TESTS += tests/unit/test_http
tests_unit_test_http_SOURCES = tests/unit/test_http.c
tests_unit_test_http_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_http_LDADD = src/net/libhttp.a src/net/libstream.a \
	src/util/libutil.a $(CURL_LIBS) $(OPENSSL_LIBS) $(TEST_LDADD) -lpthread

# A driver for the integration tests: a GET through net/http.h against
# real proxies and servers (tests/integration/http.sh); not a test.
check_PROGRAMS += tests/unit/http_probe
tests_unit_http_probe_SOURCES = tests/unit/http_probe.c
tests_unit_http_probe_LDADD = src/net/libhttp.a src/core/libcore.a src/mime/libmime.a \
	src/net/libstream.a src/util/libutil.a $(CURL_LIBS) $(OPENSSL_LIBS) \
	$(INIH_LIBS) -lpthread $(LTLIBICONV)
