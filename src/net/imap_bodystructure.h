/*
 * imap_bodystructure.h - the MIME structure of a message from an IMAP
 * BODYSTRUCTURE (or BODY) FETCH item.
 *
 * Pure code over the value tree imap_parse_response() produced: no I/O, no
 * globals, so it is fuzzable alone.  It reads the body grammar of RFC 3501
 * section 7.4.2 and section 9 (RFC 9051 section 9 is the same): basic,
 * text, message/rfc822 (message/global) and multipart bodies, with their
 * extension data (MD5, disposition, language, location) present or absent,
 * and gives every part its section number (RFC 3501 section 6.4.5), the
 * string to put in BODY.PEEK[...] to fetch that part.
 *
 * Tolerated deviations seen from real servers: a multipart without parts
 * ("MIXED" ...), a message/rfc822 sent without envelope, body and lines,
 * a text part without lines, a disposition sent as a bare string, atoms
 * where strings belong, NIL or () for an empty parameter list, NIL size.
 * Anything else malformed is ERR_PROTOCOL; more than IMAP_BS_DEPTH_MAX
 * nested bodies or IMAP_BS_PARTS_MAX parts is ERR_TOOBIG.  Both are
 * scoped ERR_SCOPE_MESSAGE: the response was framed and parsed, so only
 * this message's structure is unusable, not the connection.
 *
 * Ownership: the tree owns NUL-terminated copies of everything (a byte
 * NUL inside a server string ends the copy), so it outlives the response.
 * Strings are server bytes: sanitise them before they reach a terminal.
 */
#ifndef PETREL_IMAP_BODYSTRUCTURE_H
#define PETREL_IMAP_BODYSTRUCTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "net/imap_parse.h"
#include "util/error.h"

#define IMAP_BS_DEPTH_MAX	64	/* nested bodies */
#define IMAP_BS_PARTS_MAX	10000	/* parts in one structure */

enum imap_bs_kind {
	IMAP_BS_BASIC = 0,	/* any single part but text and message */
	IMAP_BS_TEXT,		/* text/... : has lines */
	IMAP_BS_MESSAGE,	/* message/rfc822 or global with envelope */
	IMAP_BS_MULTIPART
};

/* One MIME parameter; name lowercased, value as sent (never NULL). */
struct imap_bs_param {
	char			*name;
	char			*value;
};

struct imap_bs_params {
	struct imap_bs_param	*v;
	size_t			 n;
};

/* An address of an embedded envelope; NULL members are NIL. */
struct imap_bs_address {
	char			*name;
	char			*adl;
	char			*mailbox;
	char			*host;
};

struct imap_bs_addr_list {
	struct imap_bs_address	*v;
	size_t			 n;
};

/* The envelope of a message/rfc822 part (RFC 3501 section 7.4.2). */
struct imap_bs_envelope {
	char			*date;
	char			*subject;
	struct imap_bs_addr_list from;
	struct imap_bs_addr_list sender;
	struct imap_bs_addr_list reply_to;
	struct imap_bs_addr_list to;
	struct imap_bs_addr_list cc;
	struct imap_bs_addr_list bcc;
	char			*in_reply_to;
	char			*message_id;
};

/*
 * One body part.  type, subtype, encoding and disposition are lowercased;
 * NULL means NIL or absent.  section is never NULL: "1", "1.2", "2.1.3",
 * and for a multipart that is the body of a message the number of that
 * message ("" at the top, where BODY[TEXT] holds it).  parts holds the
 * children of a multipart, or the one body of an IMAP_BS_MESSAGE.
 */
struct imap_bs_part {
	enum imap_bs_kind	 kind;
	char			*type;
	char			*subtype;
	char			*section;
	struct imap_bs_params	 params;	/* Content-Type parameters */
	char			*id;
	char			*description;
	char			*encoding;
	uint64_t		 size;		/* octets, as encoded */
	uint64_t		 lines;		/* text and message parts */
	bool			 has_lines;
	struct imap_bs_envelope	*env;		/* IMAP_BS_MESSAGE only */

	/* Extension data (BODYSTRUCTURE only; all may be absent). */
	char			*md5;
	char			*disposition;
	struct imap_bs_params	 dsp_params;	/* filename, size, ... */
	char			**language;
	size_t			 nlanguage;
	char			*location;

	struct imap_bs_part	*parent;	/* NULL at the top */
	struct imap_bs_part	*parts;
	size_t			 nparts;
};

/*
 * Build the tree of one body value (the list after BODYSTRUCTURE or BODY).
 * On success *out is a new tree for imap_bs_free(); on failure NULL.
 */
int	 imap_bs_parse(const struct imap_value *, struct imap_bs_part **out,
	     struct error *);

/*
 * Build the tree from a "* n FETCH (...)" response: its BODYSTRUCTURE
 * item, else its BODY item (not BODY[...]).  0 with *out NULL when the
 * response has neither.
 */
int	 imap_bs_from_fetch(const struct imap_response *,
	     struct imap_bs_part **out, struct error *);

/* Free a tree (may be NULL). */
void	 imap_bs_free(struct imap_bs_part *);

/* The value of a parameter by name (ASCII case-insensitive), or NULL. */
const char *imap_bs_param_get(const struct imap_bs_params *, const char *);

/* Whether a part is type/subtype (case-insensitive; subtype NULL: any). */
bool	 imap_bs_is(const struct imap_bs_part *, const char *type,
	     const char *subtype);

/*
 * The first text/SUBTYPE part in depth-first order that a reader would
 * see as the message text: parts with disposition "attachment" and the
 * insides of attached messages (message/rfc822 below the top) are
 * skipped.  NULL if there is none.
 */
const struct imap_bs_part *imap_bs_find_text(const struct imap_bs_part *,
	     const char *subtype);

/* The part with the given section number ("2.1"), or NULL. */
const struct imap_bs_part *imap_bs_find_section(const struct imap_bs_part *,
	     const char *section);

/* The number of parts in the tree, the root included. */
size_t	 imap_bs_count(const struct imap_bs_part *);

#endif
