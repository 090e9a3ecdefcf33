# src/net streams: TCP with timeouts, TLS (OpenSSL) on top.
noinst_LIBRARIES += src/net/libstream.a
src_net_libstream_a_SOURCES = \
	src/net/stream.c src/net/stream.h \
	src/net/stream_tcp.c \
	src/net/stream_tls.c
