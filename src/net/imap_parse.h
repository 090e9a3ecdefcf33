/*
 * imap_parse.h - framing and parsing of IMAP4rev1 server responses.
 *
 * Pure code over (const char *, size_t): no I/O, no globals, so every
 * function here is fuzzable alone.  The framer finds where one complete
 * response ends (line segments and the literals between them, RFC 3501
 * section 4.3, LITERAL+ "{n+}" of RFC 7888); the parser turns exactly one
 * framed response into a struct imap_response (RFC 3501 section 7 and the
 * formal syntax of section 9); imap_fetch_parse reads the message data
 * items of a FETCH response.
 *
 * Memory is bounded: a line segment may not pass IMAP_LINE_MAX, a literal
 * IMAP_BODY_MAX (and IMAP_LITERAL_MAX unless it is a FETCH body section),
 * a whole response IMAP_RESP_MAX, lists nest at most IMAP_DEPTH_MAX deep
 * and one response holds at most IMAP_NODES_MAX values (about 64 bytes
 * each), so a parsed response costs at most a few tens of MiB.
 * Exceeding a bound is ERR_TOOBIG; malformed input is ERR_PROTOCOL.  Both
 * are scoped ERR_SCOPE_ACCOUNT: the stream cannot be resynchronised.
 *
 * Ownership: a parsed response borrows from the input bytes (atoms,
 * literals) and owns only unescaped copies of quoted strings, so the input
 * must outlive it.  Slices are not NUL-terminated; p == NULL means NIL.
 */
#ifndef PETREL_IMAP_PARSE_H
#define PETREL_IMAP_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/error.h"

#define IMAP_LINE_MAX		(1024 * 1024)
#define IMAP_LITERAL_MAX	(1024 * 1024)
#define IMAP_BODY_MAX		(64 * 1024 * 1024)
#define IMAP_RESP_MAX		(IMAP_BODY_MAX + 8 * IMAP_LINE_MAX)
#define IMAP_DEPTH_MAX		32
#define IMAP_NODES_MAX		(256 * 1024)	/* values in one response */

/* A borrowed byte range; p == NULL is NIL. */
struct imap_slice {
	const char	*p;
	size_t		 len;
};

/*
 * Where the framer stands inside a response that is not complete yet.
 *
 * Literals are judged as they are announced: one that follows a body item
 * (BODY[...]<n>, BINARY[...], RFC822...) may have up to IMAP_BODY_MAX
 * bytes; any other (a subject, an address, a mailbox name) more than
 * IMAP_LITERAL_MAX is never held: the framer asks the caller to drop its
 * bytes as they arrive (return 2), so the stream stays in step while
 * memory stays bounded, and the response is marked truncated.
 */
struct imap_frame {
	size_t		 pos;		/* start of the current line segment */
	size_t		 scan;		/* where to resume looking for LF */
	size_t		 drop_at;	/* where bytes to drop start */
	uint64_t	 drop_left;	/* literal bytes still to drop */
	uint64_t	 dropped;	/* literal bytes dropped so far */
	bool		 truncated;	/* the last response lost a literal */
};

void	 imap_frame_init(struct imap_frame *);
/*
 * Look for the end of the first response in buf (len bytes, which grow
 * between calls while the frame state is kept).  1 with *resp_len set when
 * a whole response is there (the frame resets itself; fr->truncated says
 * whether literal bytes were dropped from it), 0 if more bytes are needed,
 * 2 when the caller must remove min(fr->drop_left, len - fr->drop_at)
 * bytes at buf + fr->drop_at (then imap_frame_dropped and call again), -1
 * on a bound exceeded or a malformed literal header.
 */
int	 imap_frame_next(struct imap_frame *, const char *buf, size_t len,
	     size_t *resp_len, struct error *);
void	 imap_frame_dropped(struct imap_frame *, size_t n);

enum imap_value_type {
	IMAP_V_NIL = 0,
	IMAP_V_ATOM,		/* also numbers, flags, BODY[...]<n> */
	IMAP_V_STRING,		/* quoted or literal */
	IMAP_V_LIST
};

struct imap_value {
	enum imap_value_type	 type;
	bool			 literal;	/* a string sent as a literal */
	const char		*s;		/* atom or string bytes */
	size_t			 len;
	char			*owned;		/* unescaped quoted string */
	struct imap_value	*items;		/* list members */
	size_t			 n;
	size_t			 cap;
};

enum imap_resp_type {
	IMAP_RESP_CONTINUE = 0,	/* "+ text" */
	IMAP_RESP_TAGGED,
	IMAP_RESP_UNTAGGED
};

enum imap_status {
	IMAP_STATUS_NONE = 0,	/* not a status response */
	IMAP_STATUS_OK,
	IMAP_STATUS_NO,
	IMAP_STATUS_BAD,
	IMAP_STATUS_BYE,
	IMAP_STATUS_PREAUTH
};

struct imap_response {
	enum imap_resp_type	 type;
	struct imap_slice	 tag;		/* tagged responses */
	enum imap_status	 status;
	struct imap_slice	 code;		/* resp-text-code atom, or NIL */
	struct imap_slice	 code_args;	/* raw text after the code */
	struct imap_slice	 text;		/* human-readable text */
	bool			 has_number;	/* "* 23 EXISTS" */
	uint32_t		 number;
	struct imap_slice	 name;		/* EXISTS, FETCH, LIST, ... */
	struct imap_value	 args;		/* the rest, as a list */
	/*
	 * A "* n FETCH" that was framed but could not be read (malformed,
	 * or a literal dropped): only number and bad_uid (0: not found) are
	 * set; imap_fetch_parse fails on it with ERR_SCOPE_MESSAGE.
	 */
	bool			 bad;
	uint32_t		 bad_uid;
};

/*
 * Parse exactly one framed response (it must end with LF).  On failure the
 * response is left empty (safe to fini).
 */
int	 imap_parse_response(const char *p, size_t len, struct imap_response *,
	     struct error *);
void	 imap_response_fini(struct imap_response *);
/*
 * For a framed response the parser refused: if it starts "* n FETCH (",
 * fill r as a bad FETCH (the UID taken from a top-level "UID n" item of
 * its first line, if there is one) and return 0; -1 otherwise.
 */
int	 imap_parse_salvage(const char *p, size_t len, struct imap_response *);

/* Case-insensitive comparison of a slice (or atom value) with a string. */
bool	 imap_slice_is(struct imap_slice, const char *);
bool	 imap_value_is(const struct imap_value *, const char *);
/* A slice as a new NUL-terminated string (NIL: NULL). */
char	*imap_slice_dup(struct imap_slice);
/* The slice of an atom or string value (NIL and lists: p == NULL). */
struct imap_slice imap_value_slice(const struct imap_value *);
/* Parse an IMAP number (digits only, 1-20 of them); -1 if not one. */
int	 imap_parse_number(struct imap_slice, uint64_t max, uint64_t *);

/* System flags (RFC 3501 section 2.3.2) as a bit set. */
#define IMAP_FLAG_SEEN		0x01u
#define IMAP_FLAG_ANSWERED	0x02u
#define IMAP_FLAG_FLAGGED	0x04u
#define IMAP_FLAG_DELETED	0x08u
#define IMAP_FLAG_DRAFT		0x10u
#define IMAP_FLAG_RECENT	0x20u

/* The system flags in a flag list (keywords are ignored). */
unsigned imap_flags_mask(const struct imap_value *list);

/* One address of an envelope (RFC 3501 section 7.4.2); NIL is p == NULL. */
struct imap_address {
	struct imap_slice	 name;
	struct imap_slice	 adl;
	struct imap_slice	 mailbox;
	struct imap_slice	 host;
};

struct imap_addr_list {
	struct imap_address	*v;
	size_t			 n;
};

/* Group syntax (RFC 3501 7.4.2): host NIL starts or ends a group. */
bool	 imap_address_is_group_start(const struct imap_address *);
bool	 imap_address_is_group_end(const struct imap_address *);

struct imap_envelope {
	struct imap_slice	 date;
	struct imap_slice	 subject;
	struct imap_addr_list	 from;
	struct imap_addr_list	 sender;
	struct imap_addr_list	 reply_to;
	struct imap_addr_list	 to;
	struct imap_addr_list	 cc;
	struct imap_addr_list	 bcc;
	struct imap_slice	 in_reply_to;
	struct imap_slice	 message_id;
};

#define IMAP_FETCH_UID		0x01u
#define IMAP_FETCH_FLAGS	0x02u
#define IMAP_FETCH_INTERNALDATE	0x04u
#define IMAP_FETCH_SIZE		0x08u
#define IMAP_FETCH_ENVELOPE	0x10u
#define IMAP_FETCH_BODY		0x20u

/* The message data of one FETCH response; borrows from the response. */
struct imap_fetch {
	uint32_t		 seq;
	unsigned		 have;		/* IMAP_FETCH_* present */
	uint32_t		 uid;
	unsigned		 flags;		/* IMAP_FLAG_* */
	int64_t			 internaldate;	/* seconds since the epoch */
	uint64_t		 size;
	struct imap_envelope	 env;
	struct imap_slice	 body_section;	/* "" for BODY[] */
	struct imap_slice	 body;		/* the first body section */
};

/*
 * Read a "* n FETCH (...)" response; unknown items are skipped, sloppy
 * ones (an INTERNALDATE or RFC822.SIZE that does not parse, addresses
 * with missing or extra fields, atoms where strings belong) are read as
 * far as they make sense.  On failure (ERR_SCOPE_MESSAGE) f->seq is set,
 * and f->uid with IMAP_FETCH_UID when the response named one.
 */
int	 imap_fetch_parse(const struct imap_response *, struct imap_fetch *,
	     struct error *);
void	 imap_fetch_fini(struct imap_fetch *);

/*
 * Parse an INTERNALDATE ("17-Jul-1996 02:44:25 -0700"), leniently: a day
 * of one or two digits with or without a leading space, any run of
 * spaces, seconds or zone missing (UTC), a zone named GMT/UT/UTC/Z, a
 * two-digit year; -1 if it is not a date.
 */
int	 imap_parse_internaldate(const char *, size_t, int64_t *);

/* LIST attributes we keep (RFC 3501 section 7.2.2, RFC 5258). */
#define IMAP_LIST_NOSELECT	0x01u
#define IMAP_LIST_NOINFERIORS	0x02u
#define IMAP_LIST_NONEXISTENT	0x04u

/* Special-use attributes (RFC 6154 section 2). */
#define IMAP_USE_SENT		0x01u
#define IMAP_USE_DRAFTS		0x02u
#define IMAP_USE_TRASH		0x04u
#define IMAP_USE_JUNK		0x08u
#define IMAP_USE_ARCHIVE	0x10u
#define IMAP_USE_ALL		0x20u
#define IMAP_USE_FLAGGED	0x40u

struct imap_list {
	unsigned		 attrs;		/* IMAP_LIST_* */
	unsigned		 use;		/* IMAP_USE_* */
	char			 delim;		/* '\0' when NIL */
	struct imap_slice	 name;		/* as sent: modified UTF-7 */
};

/* Read a "* LIST (attrs) delim name" response. */
int	 imap_list_parse(const struct imap_response *, struct imap_list *,
	     struct error *);

/* What a "* STATUS mailbox (...)" response said (RFC 3501 7.2.4). */
#define IMAP_STATUS_MESSAGES	0x01u
#define IMAP_STATUS_UIDNEXT	0x02u
#define IMAP_STATUS_UIDVALIDITY	0x04u
#define IMAP_STATUS_UNSEEN	0x08u
#define IMAP_STATUS_MODSEQ	0x10u	/* HIGHESTMODSEQ, RFC 7162 */

struct imap_status_data {
	struct imap_slice	 name;		/* as sent: modified UTF-7 */
	unsigned		 have;		/* IMAP_STATUS_* */
	uint32_t		 messages;
	uint32_t		 uidnext;
	uint32_t		 uidvalidity;
	uint32_t		 unseen;
	uint64_t		 highestmodseq;
};

/* Read "* STATUS name (att value ...)"; unknown attributes are skipped. */
int	 imap_status_parse(const struct imap_response *,
	     struct imap_status_data *, struct error *);

#endif
