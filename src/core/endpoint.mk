# src/core/endpoint: an account's settings -> net/transport.h endpoint.
# (Included from Makefile.am after core.mk; adds to libcore.a.)
src_core_libcore_a_SOURCES += src/core/endpoint.c src/core/endpoint.h
