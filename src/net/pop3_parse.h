/*
 * pop3_parse.h - a push parser for POP3 server replies (RFC 1939 3, RFC
 * 2449 8, RFC 5034 4), and readers for the lines inside them.
 *
 * The parser is fed whatever bytes arrived and hands out one event at a
 * time: a status line (+OK / -ERR, with its [RESP-CODE]), an AUTH
 * continuation ("+ base64"), a piece of multi-line data (dot-unstuffed,
 * line ends removed), and the terminating ".".  It holds at most one line
 * (a status line up to POP3_STATUS_MAX, a listing line up to
 * POP3_DATA_LINE_MAX); message data is handed out in pieces as it comes,
 * and a reply may carry at most the data_max bytes the caller allows for
 * its command.  Anything longer, or anything that is not a POP3 reply, is
 * an error, and the parser stays failed (the byte stream cannot be
 * trusted any more).
 *
 * The caller says what the next reply is before feeding it
 * (pop3_parser_expect): POP3 replies do not say whether data follows.
 * After a reply ends, the parser expects a single line again.
 *
 * Pure: no I/O, no globals; every input is untrusted.  Event text points
 * into the bytes fed or into the parser, and is valid until the next call.
 */
#ifndef PETREL_POP3_PARSE_H
#define PETREL_POP3_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"
#include "util/error.h"

/* The longest status line (a SASL challenge may take 16 KiB). */
#define POP3_STATUS_MAX		(20 * 1024)
/* The longest line of a CAPA, UIDL or LIST answer. */
#define POP3_DATA_LINE_MAX	4096
/* The longest unique-id (RFC 1939 7: 1 to 70 characters). */
#define POP3_UIDL_MAX		70

/* What the reply to the command sent is. */
enum pop3_expect {
	POP3_EXPECT_SINGLE = 0,	/* one status line */
	POP3_EXPECT_LINES,	/* +OK, then lines (CAPA, UIDL, LIST) */
	POP3_EXPECT_BLOB,	/* +OK, then message data (TOP, RETR) */
	POP3_EXPECT_AUTH	/* "+ challenge" lines, then +OK / -ERR */
};

enum pop3_ev {
	POP3_EV_NONE = 0,
	POP3_EV_OK,		/* +OK */
	POP3_EV_ERR,		/* -ERR */
	POP3_EV_CONT,		/* "+ base64": the server waits for the client */
	POP3_EV_DATA,		/* a piece of the data */
	POP3_EV_END		/* the "." after the data */
};

/* A borrowed piece of text (not NUL-terminated). */
struct pop3_slice {
	const char	*p;
	size_t		 len;
};

struct pop3_event {
	enum pop3_ev		 type;
	/*
	 * OK/ERR: the text after the indicator and the response code;
	 * CONT: the challenge; DATA: the bytes, without the line end.
	 */
	struct pop3_slice	 text;
	/* OK/ERR: the code inside "[...]" (RFC 2449 8), else empty. */
	struct pop3_slice	 code;
	bool			 eol;	/* DATA: this piece ends a line */
	bool			 last;	/* the reply is complete */
};

struct pop3_parser {
	int			 state;
	enum pop3_expect	 expect;
	size_t			 data_max;	/* bytes of data allowed */
	size_t			 data_len;	/* bytes of data so far */
	struct buf		 line;
	bool			 held;		/* event text is in line */
	bool			 cr;		/* BLOB: a CR was held back */
	bool			 failed;
};

void	 pop3_parser_init(struct pop3_parser *);
void	 pop3_parser_fini(struct pop3_parser *);
/* Forget any partial reply; expect a single line (after STLS). */
void	 pop3_parser_reset(struct pop3_parser *);
/*
 * Say what the next reply is and how many bytes of data it may carry
 * (line ends counted as two); call between replies only.
 */
void	 pop3_parser_expect(struct pop3_parser *, enum pop3_expect,
	     size_t data_max);
/* Whether the parser is between replies (nothing of one read yet). */
bool	 pop3_parser_between(const struct pop3_parser *);
/*
 * Feed bytes: 1 with *ev filled and *used bytes consumed (the rest
 * belongs to what follows), 0 when all len bytes were consumed without
 * an event, -1 with ERR_PROTOCOL or ERR_TOOBIG.
 */
int	 pop3_parser_feed(struct pop3_parser *, const char *, size_t len,
	     size_t *used, struct pop3_event *, struct error *);

/* Whether a slice equals a C string, ASCII case ignored. */
bool	 pop3_slice_is(struct pop3_slice, const char *);

/*
 * The APOP timestamp of a greeting's text ("<1896.697170952@host>",
 * RFC 1939 7): a new string, or NULL if there is none or it is malformed.
 */
char	*pop3_parse_timestamp(struct pop3_slice text);
/*
 * A line of a UIDL listing, "1 whqtswO00WBw418f9t5JxYwZ": the message
 * number and the unique-id (1 to 70 characters 0x21-0x7E); -1 if
 * malformed.
 */
int	 pop3_parse_uidl(struct pop3_slice, uint32_t *num,
	     struct pop3_slice *uidl);
/* A line of a LIST listing, "1 120": number and size; -1 if malformed. */
int	 pop3_parse_list(struct pop3_slice, uint32_t *num, uint64_t *size);
/*
 * A CAPA line (RFC 2449 5): its keyword and the rest (arguments);
 * -1 if empty.
 */
int	 pop3_parse_capa(struct pop3_slice, struct pop3_slice *keyword,
	     struct pop3_slice *args);

#endif
