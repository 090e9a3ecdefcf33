/*
 * sanitize.h - the one gate between untrusted text and the terminal.
 *
 * Everything a message, a header, a folder name or a server sent passes
 * through here before ncurses (or stdout in batch mode) sees it.  The output
 * is valid UTF-8 with no C0/C1 control characters, no escape sequences
 * (ESC and the CSI/OSC/DCS/APC/PM/SOS introducers, 7- and 8-bit forms, with
 * their parameters), and no Unicode bidi overrides/isolates/marks.  Invalid
 * UTF-8 becomes U+FFFD.  Tabs become one space unless SANITIZE_KEEP_TAB;
 * newlines become a space unless SANITIZE_KEEP_NEWLINE ("\r\n" counts as one
 * newline).  U+FEFF is dropped; U+2028/U+2029 count as newlines; a lone
 * CR is dropped.  No state is kept between calls.  Pure: no I/O, no
 * globals.
 */
#ifndef PETREL_SANITIZE_H
#define PETREL_SANITIZE_H

#include <stddef.h>

#include "buf.h"

#define SANITIZE_KEEP_NEWLINE	0x1
#define SANITIZE_KEEP_TAB	0x2

/* Append the sanitised form of (s, len) to out; -1 if out is too big. */
int	 sanitize_append(struct buf *out, const char *s, size_t len,
	     unsigned flags);
/* Return a new sanitised single-line copy of a C string. */
char	*sanitize_line_dup(const char *s);

#endif
