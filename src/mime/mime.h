/*
 * mime.h - what the first pager needs from a raw RFC 5322 message.
 *
 * Pure functions over (const char *, size_t): no I/O, no globals, so each is
 * fuzzable alone.  Results are UTF-8 but NOT sanitised for the terminal;
 * the UI passes them through util/sanitize.h.  Inputs are untrusted: every
 * loop is bounded by the input length and every output by a maximum.
 */
#ifndef PETREL_MIME_H
#define PETREL_MIME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"
#include "util/error.h"

/* Largest decoded text a single header or body may grow to. */
#define MIME_HEADER_MAX	(64 * 1024)
#define MIME_BODY_MAX	(32 * 1024 * 1024)

/*
 * Decode RFC 2047 encoded words in a header value (unfolding CRLF+WSP
 * first; whitespace between adjacent encoded words dropped as RFC 2047
 * section 6.2 says).  Unknown charsets and malformed words are kept as
 * written.  Returns a new string.
 */
char	*mime_rfc2047_decode(const char *s, size_t len);

/*
 * Convert text in charset to UTF-8, appending to out.  Invalid sequences
 * become U+FFFD and the rest is kept.  An unknown charset is treated as
 * ASCII with non-ASCII bytes as U+FFFD.  -1 only if out is too big.
 * charset may be NULL (no label): text is read as UTF-8 if valid, else as
 * windows-1252; us-ascii, latin1 and windows-1252 labels are read the same
 * way, since mislabelled mail is common.
 */
int	 mime_charset_to_utf8(const char *charset, const char *in, size_t len,
	     struct buf *out);
/*
 * The same, but text with no label that is not valid UTF-8 is read as
 * fallback (the user's charset_fallback; NULL or unknown: windows-1252).
 */
int	 mime_charset_to_utf8_or(const char *charset, const char *fallback,
	     const char *in, size_t len, struct buf *out);
/* Whether iconv (or petrel's aliases) can read this charset label. */
bool	 mime_charset_known(const char *charset);

/* Append the decoded form of base64 / quoted-printable text to out. */
int	 mime_base64_decode(const char *in, size_t len, struct buf *out);
int	 mime_qp_decode(const char *in, size_t len, struct buf *out);

/*
 * The unfolded raw value of the first header named name (case-insensitive)
 * in the header block of msg, or NULL.  New string.  The value is raw
 * bytes (not necessarily UTF-8); NUL bytes become spaces.
 */
char	*mime_header_get(const char *msg, size_t len, const char *name);

/*
 * Parse an RFC 5322 date; -1 if it cannot be read (1969-12-31 23:59:59 is
 * thus not representable, which no real mail needs).
 */
int64_t	 mime_parse_date(const char *s, size_t len);

/* What the pager shows of a message. */
struct mime_text {
	char	*from;		/* decoded header values, or NULL */
	char	*to;
	char	*cc;
	char	*date;
	char	*subject;
	char	*body;		/* UTF-8 text of the chosen part */
	size_t	 body_len;
};

/*
 * Pick the text to show: the first text/plain part (walking multiparts,
 * depth-capped), else the first text/html with tags stripped, else a note
 * saying there is no text part.  Transfer encoding undone, charset
 * converted.  Never fails on malformed input: it shows what it can.
 */
void	 mime_text_extract(const char *msg, size_t len, struct mime_text *);
void	 mime_text_fini(struct mime_text *);

#endif
