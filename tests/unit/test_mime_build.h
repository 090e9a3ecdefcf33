/*
 * test_mime_build.h - what the two files of the message builder's unit
 * tests share: test_mime_build.c (the header fields, dates, ids, the
 * header encoder's properties), test_mime_build_addr.c (address lists,
 * recipients, errors) and test_mime_build_parts.c (the text part,
 * format=flowed, attachments, multipart, a large message).
 */
#ifndef PETREL_TEST_MIME_BUILD_H
#define PETREL_TEST_MIME_BUILD_H

#include <stddef.h>

#include <check.h>

#include "mime/build.h"

Suite	*test_mime_build_addr_suite(void);
Suite	*test_mime_build_parts_suite(void);

/* A message with the fields every test needs (UTC zone set by main). */
void	 tb_msg(struct mime_build_msg *);
/* Build m and return the message (NUL-terminated); fails the test if
 * mime_build fails or the message breaks a line rule (tb_lines). */
char	*tb_build(const struct mime_build_msg *, size_t *len);
/*
 * Check the line rules of a built message: CRLF only, no line over 998
 * octets, header lines at most 78 (76 with an encoded word) unless one
 * unfoldable token fills them, encoded words at most 75, continuation
 * lines never blank; in the message's header and in each body part's.
 */
void	 tb_lines(const char *msg, size_t len);
/* Build m and compare its header block, up to MIME-Version, with want. */
void	 tb_headers_eq(const struct mime_build_msg *, const char *want);
/* The unfolded raw value of a header field of the message, or NULL. */
char	*tb_field(const char *msg, size_t len, const char *name);
/* The same, RFC 2047-decoded. */
char	*tb_decoded(const char *msg, size_t len, const char *name);

#endif
