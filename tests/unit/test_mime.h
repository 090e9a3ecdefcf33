/*
 * test_mime.h - the suites of the MIME unit tests, split over
 * test_mime.c (RFC 2047, charsets, the optional shared-corpus run),
 * test_mime_codec.c (base64, QP, headers, dates, parameters) and
 * test_mime_text.c (text part extraction, HTML).
 */
#ifndef PETREL_TEST_MIME_H
#define PETREL_TEST_MIME_H

#include <check.h>

#include "util/buf.h"

Suite	*test_mime_codec_suite(void);
Suite	*test_mime_text_suite(void);

/* Compare a buffer with a C string, showing both on failure. */
#define ck_assert_buf_eq(b, s) do {					\
	ck_assert_uint_eq((b)->len, strlen(s));				\
	ck_assert_msg(memcmp(buf_str(b), (s), (b)->len) == 0,		\
	    "got \"%s\", want \"%s\"", buf_str(b), (s));		\
} while (0)

#endif
