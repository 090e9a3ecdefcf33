/*
 * imap_utf7.h - modified UTF-7 mailbox names (RFC 3501 section 5.1.3).
 *
 * IMAP servers name mailboxes in modified UTF-7; petrel keeps the name as
 * the server sent it for commands and shows the UTF-8 form.  Decoding is
 * strict: bytes outside printable ASCII, unterminated or badly padded
 * shifts, printable ASCII inside a shift and broken surrogate pairs are
 * invalid, and the caller shows the raw name instead.  Pure functions.
 */
#ifndef PETREL_IMAP_UTF7_H
#define PETREL_IMAP_UTF7_H

#include <stddef.h>

/* Modified UTF-7 to a new UTF-8 string, or NULL if the input is invalid. */
char	*imap_utf7_decode(const char *in, size_t len);
/* UTF-8 to a new modified UTF-7 string, or NULL if not valid UTF-8. */
char	*imap_utf7_encode(const char *in, size_t len);
/* The name to show: decoded, or a copy of the raw bytes if invalid. */
char	*imap_utf7_display(const char *in, size_t len);

#endif
