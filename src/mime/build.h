/*
 * build.h - turn what the composer holds (UTF-8 headers, a UTF-8 text
 * body, attachments) into an RFC 5322 / MIME message ready for SMTP.
 *
 * Headers: RFC 2047 encoded-words ("B" or "Q", whichever is shorter, at
 * most 75 octets, whole characters) for non-ASCII text and display names,
 * folded at 78 columns (76 on lines holding an encoded word); addresses
 * re-read with mime_address_list_parse and written canonically, the
 * addr-spec never encoded, groups kept; Date (local zone as +hhmm,
 * RFC 5322 3.3), Message-ID from the sender's domain, MIME-Version.
 * Header text is made clean first: invalid UTF-8 becomes U+FFFD, each
 * run of blanks and line breaks one space, the ends trimmed.
 * Text: UTF-8 (invalid bytes as U+FFFD, line ends CRLF, a last line end
 * added) as 7bit when ASCII, else quoted-printable, or 8bit when
 * allow_8bit; a line over 998 octets, a NUL or a lone CR forces
 * quoted-printable; optional format=flowed (RFC 3676, delsp=no).
 * Attachments: base64 in lines of 76, filename (last path component,
 * controls as "_") by RFC 2231 with continuations when not short ASCII,
 * plus an RFC 2047 name= for old readers.  A message/rfc822 part goes
 * 7bit/8bit, never base64; one that cannot (NUL, lone CR, a line over
 * 998, 8-bit without allow_8bit) goes as application/octet-stream in
 * base64 instead.  With attachments the message is multipart/mixed (the
 * text first, if not empty) with a random boundary found in no part.
 * No line of the result exceeds 998 octets; line ends are CRLF.
 *
 * Pure but for the clock (when date is 0) and the random source
 * (getrandom(2), else /dev/urandom) of Message-ID and boundary; no
 * global state.
 */
#ifndef PETREL_MIME_BUILD_H
#define PETREL_MIME_BUILD_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "util/buf.h"
#include "util/error.h"

/* Longest attachment filename (bytes): what petrel's own reader keeps
 * (MIME_PART_FILENAME_MAX), and what fits the RFC 2231 sections it
 * reassembles. */
#define MIME_BUILD_FILENAME_MAX	1024

/* One attachment (borrowed). */
struct mime_build_part {
	const char	*data;		/* the bytes */
	size_t		 len;
	const char	*filename;	/* UTF-8 (directories are dropped),
					   at most MIME_BUILD_FILENAME_MAX
					   bytes; or NULL */
	const char	*content_type;	/* "image/png" (no parameters);
					   NULL: application/octet-stream */
	const char	*charset;	/* for text/ types, or NULL */
	bool		 is_message;	/* message/rfc822 (forward as
					   attachment): 7bit/8bit, no base64 */
	bool		 inline_disp;	/* Content-Disposition: inline */
};

/*
 * An extra header kept as given (unstructured, UTF-8: encoded here).
 * Sender, Mail-Followup-To and Mail-Reply-To are written as address
 * lists.  The fields mime_build writes itself (Date, From, To, Cc, Bcc,
 * Reply-To, Subject, Message-ID, In-Reply-To, References, MIME-Version,
 * Content-*) are refused.
 */
struct mime_build_header {
	const char	*name;
	const char	*value;
};

/*
 * The message (borrowed).  Address lists are RFC 5322 lists in UTF-8, as
 * the user typed them; every member must have a local@domain address.
 * When only bcc has recipients, "To: undisclosed-recipients:;" is written.
 * in_reply_to and references are read with mime_msgids (junk dropped).
 */
struct mime_build_msg {
	const char	*from;
	const char	*to;
	const char	*cc;
	const char	*bcc;		/* not written, unless keep_bcc */
	const char	*reply_to;
	const char	*subject;
	const char	*in_reply_to;	/* "<id@host>" or NULL */
	const char	*references;	/* space-separated msg-ids or NULL */
	const char	*message_id;	/* "<id@host>"; NULL: made from
					   from's domain */
	time_t		 date;		/* 0: now */
	const char	*body;		/* UTF-8 text, LF or CRLF ends */
	size_t		 body_len;
	bool		 flowed;	/* format=flowed, delsp=no */
	bool		 allow_8bit;	/* 8bit instead of quoted-printable */
	bool		 keep_bcc;	/* write Bcc: too (a postponed
					   draft, never a message sent) */
	const struct mime_build_part *parts;
	size_t		 nparts;
	const struct mime_build_header *headers;
	size_t		 nheaders;
};

/*
 * Append the whole message to out (CRLF line ends).  Returns 0, or -1
 * with err and out as it was (ERR_PARSE: no From, a list member that is
 * not an address, a group in From, a bad message_id, a header name that
 * is not a field name or names a field mime_build writes, a bad content
 * type or charset, a filename over MIME_BUILD_FILENAME_MAX; ERR_TOOBIG:
 * out's maximum, and out->too_big is set).
 */
int		 mime_build(const struct mime_build_msg *, struct buf *out,
		     struct error *err);
/*
 * Append a Date field (RFC 5322 section 3.3) for t in the local zone,
 * "Date: Tue, 1 Jul 2025 14:05:09 +0200\r\n".  -1 with err (ERR_PARSE)
 * when t's year is outside 1900..9999.
 */
int		 mime_build_date(time_t t, struct buf *out, struct error *err);
/*
 * A fresh Message-ID "<24 random [a-z2-7]@domain>": domain from the first
 * address of from_addr (an addr-spec or a list; may be NULL) when it is
 * an ASCII dot-atom, else "localhost".  New string.
 */
char		*mime_build_msgid(const char *from_addr);
/*
 * The envelope addresses of a built message's recipients: the addr-specs
 * of to, cc and bcc, in order, without duplicates (compared ignoring
 * ASCII case).  NULL-terminated vector (just NULL when there is none),
 * free with mime_build_addrs_free; NULL with err (ERR_PARSE) on a member
 * that is not an address.
 */
char		**mime_build_rcpts(const struct mime_build_msg *,
		     struct error *err);
void		 mime_build_addrs_free(char **);

#endif
