/*
 * smtp_reply.h - a push parser for SMTP server replies (RFC 5321 4.2,
 * 4.5.3.1.5) with their enhanced status codes (RFC 2034, RFC 3463), and
 * the reader of an EHLO reply's capabilities (RFC 5321 4.1.1.1).
 *
 * The parser is fed whatever bytes arrived and says when a whole reply is
 * there: "250-first\r\n250 last\r\n" is one reply, code 250, two lines.
 * Every line must end in CRLF (a bare LF, or a CR inside a line, is an
 * error: a server that cannot frame its replies cannot be trusted to
 * frame anything), carry a valid code, and every line of one reply must
 * carry the same code (RFC 5321 4.2.1).
 *
 * Limits (each past it is an error; the parser then stays failed):
 *	SMTP_LINE_MAX	one line without its CRLF.  RFC 5321 4.5.3.1.5 says
 *			512 octets, but a SASL challenge (334, RFC 4954 4)
 *			may carry SASL_CHALLENGE_MAX (16 KiB) of base64, so
 *			20 KiB;
 *	SMTP_REPLY_MAX	the text of all the lines of one reply: 64 KiB;
 *	SMTP_REPLY_LINES lines in one reply: 100 (an EHLO reply has a dozen).
 * Memory is therefore one line plus one reply, whatever the server sends.
 *
 * Pure: no I/O, no globals; every input is untrusted.
 */
#ifndef PETREL_SMTP_REPLY_H
#define PETREL_SMTP_REPLY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"
#include "util/error.h"

#define SMTP_LINE_MAX		(20 * 1024)
#define SMTP_REPLY_MAX		(64 * 1024)
#define SMTP_REPLY_LINES	100

/* One complete reply. */
struct smtp_reply {
	int		 code;		/* 200..559 */
	char		 enh[12];	/* "5.1.1" (class = code's first
					   digit), or "" */
	struct buf	 text;		/* each line's text after the code
					   and separator, '\n' between */
	size_t		 nlines;
};

struct smtp_parser {
	struct buf		 line;		/* the line being read */
	struct smtp_reply	 reply;		/* being read, or complete */
	bool			 done;		/* reply is complete */
	bool			 failed;
};

void	 smtp_parser_init(struct smtp_parser *);
void	 smtp_parser_fini(struct smtp_parser *);
/* Forget any partial reply and everything buffered (after STARTTLS). */
void	 smtp_parser_reset(struct smtp_parser *);
/*
 * Feed bytes: 1 when a reply is complete (in pp->reply, valid until the
 * next call) with *used bytes consumed (the rest belongs to the replies
 * after it), 0 when all len bytes were consumed without completing one,
 * -1 with ERR_PROTOCOL or ERR_TOOBIG (scope account).
 */
int	 smtp_parser_feed(struct smtp_parser *, const char *, size_t len,
	     size_t *used, struct error *);
/* Whether bytes of a reply not yet complete are held. */
bool	 smtp_parser_partial(const struct smtp_parser *);

/*
 * The next line of a reply's text: *pos starts at 0; false after the
 * last line.
 */
bool	 smtp_reply_line(const struct smtp_reply *, size_t *pos,
	     const char **p, size_t *len);
/*
 * Append the text to out (not the code), sanitised for a terminal, the
 * enhanced code of each line after the first dropped when it repeats
 * the first's, empty lines left out, lines joined by " / ", at most max
 * bytes of text (then "...").
 */
void	 smtp_reply_append(const struct smtp_reply *, struct buf *out,
	     size_t max);
/*
 * The length of the enhanced status code (RFC 3463 2: class "." subject
 * "." detail, 1-3 digits each) at the start of (p, len), followed by a
 * space or the end, whose class is cls ('2', '4' or '5'); 0 if none.
 */
size_t	 smtp_enh_len(const char *p, size_t len, char cls);

/* What an EHLO reply offers (RFC 5321 4.1.1.1 and the extensions). */
#define SMTP_CAP_STARTTLS	0x0001u	/* RFC 3207 */
#define SMTP_CAP_AUTH		0x0002u	/* RFC 4954 */
#define SMTP_CAP_PIPELINING	0x0004u	/* RFC 2920 */
#define SMTP_CAP_SIZE		0x0008u	/* RFC 1870 */
#define SMTP_CAP_8BITMIME	0x0010u	/* RFC 6152 */
#define SMTP_CAP_SMTPUTF8	0x0020u	/* RFC 6531 */
#define SMTP_CAP_DSN		0x0040u	/* RFC 3461 */
#define SMTP_CAP_ENHANCED	0x0080u	/* RFC 2034 */

struct smtp_caps {
	unsigned	 flags;		/* SMTP_CAP_* */
	unsigned	 mechs;		/* SASL_BIT set of AUTH mechanisms */
	uint64_t	 size;		/* SIZE's limit; 0: none announced */
};

/*
 * Read the capabilities of a 250 EHLO reply (the first line is the
 * server's name and is skipped).  Unknown keywords and mechanisms are
 * ignored; "AUTH=PLAIN" (the pre-RFC 4954 form) counts as AUTH.  A SIZE
 * that is not a number, or too large for 64 bits, counts as no limit.
 */
void	 smtp_caps_parse(const struct smtp_reply *, struct smtp_caps *);

#endif
