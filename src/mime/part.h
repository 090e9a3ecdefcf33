/*
 * part.h - the MIME part tree of a raw message (RFC 2045, RFC 2046,
 * RFC 2049): every entity (the message, the body parts of each multipart,
 * the message inside a message/rfc822 part) in one flat array, in
 * depth-first order.
 *
 * Zero-copy: a part points into the raw message it was parsed from (its
 * header block and its still transfer-encoded body); bodies are decoded
 * only when asked (mime_part_decode).  The one exception is a
 * message/rfc822 (or message/global) part sent base64 or quoted-printable
 * (RFC 2046 section 5.2.1 forbids it, mailers do it): its decoded bytes are
 * kept by the tree and its inner parts point there.  Pure: no I/O, no
 * globals.  Inputs are untrusted: depth, part count, decoded copies and
 * filenames are all capped.  Strings are UTF-8 but NOT sanitised for the
 * terminal.
 */
#ifndef PETREL_MIME_PART_H
#define PETREL_MIME_PART_H

#include <stdbool.h>
#include <stddef.h>

#include "util/buf.h"

/* No such part (the parent of the root, the sibling after the last). */
#define MIME_PART_NONE		((size_t)-1)
/* Longest path string mime_part_path writes ("1.2.1", NUL included). */
#define MIME_PART_PATH_MAX	160
/* Longest decoded filename kept (bytes; cut at a character). */
#define MIME_PART_FILENAME_MAX	1024
/* Most bytes of decoded encapsulated messages one tree keeps. */
#define MIME_TREE_OWNED_MAX	(64 * 1024 * 1024)

/* Content-Transfer-Encoding (RFC 2045 section 6). */
enum mime_cte {
	MIME_CTE_NONE,		/* no header: 7bit */
	MIME_CTE_7BIT,
	MIME_CTE_8BIT,
	MIME_CTE_BINARY,
	MIME_CTE_QP,
	MIME_CTE_BASE64,
	MIME_CTE_OTHER		/* unknown: left as is (section 6.4) */
};

/* What a part holds. */
enum mime_part_kind {
	MIME_PART_LEAF,		/* a body, decoded with mime_part_decode */
	MIME_PART_MULTIPART,	/* its body parts follow it */
	MIME_PART_MESSAGE	/* message/rfc822: the inner message follows */
};

/* Defects found while parsing a part (bits of mime_part.defects). */
#define MIME_DEFECT_NO_BOUNDARY	0x01	/* multipart without boundary= */
#define MIME_DEFECT_NO_DELIMITER 0x02	/* ... or without a delimiter line */
#define MIME_DEFECT_NO_CLOSE	0x04	/* close delimiter missing */
#define MIME_DEFECT_DEPTH	0x08	/* too deep: not split or parsed */
#define MIME_DEFECT_PARTS	0x10	/* part cap reached: parts left out */
#define MIME_DEFECT_ENCODED	0x20	/* message/rfc822 with a base64 or
					   quoted-printable body, decoded */
#define MIME_DEFECT_BAD_TYPE	0x40	/* unreadable Content-Type */

/* One entity. */
struct mime_part {
	const char	*hdr;		/* header block (may be empty) */
	size_t		 hlen;
	const char	*body;		/* body, still transfer-encoded */
	size_t		 blen;
	char		 type[32];	/* lower case, defaults applied */
	char		 subtype[64];
	char		 charset[65];	/* lower-case charset= or "" */
	char		 disposition[32]; /* lower-case type or "" */
	char		*filename;	/* decoded, UTF-8, or NULL; as sent,
					   NOT safe as a path */
	enum mime_cte	 cte;
	char		 cte_name[32];	/* lower-case as written, or "" */
	enum mime_part_kind kind;
	bool		 in_owned;	/* points into a decoded copy */
	int		 depth;		/* 0 for the message itself */
	unsigned	 num;		/* 1-based place among its siblings */
	size_t		 parent;	/* index, or MIME_PART_NONE */
	size_t		 next;		/* next sibling, or MIME_PART_NONE */
	size_t		 nchild;	/* direct children (they follow it) */
	unsigned	 defects;	/* MIME_DEFECT_* */
};

/* A decoded encapsulated message the tree keeps. */
struct mime_owned {
	char		*data;
	size_t		 len;
};

struct mime_tree {
	struct mime_part *v;		/* v[0] is the message itself */
	size_t		  n;
	struct mime_owned *owned;
	size_t		  nowned;
	size_t		  owned_bytes;	/* sum of their lengths */
};

/*
 * Parse the part tree of msg (a whole message: header block, empty line,
 * body).  Never fails: a malformed message still yields at least v[0].
 * At most MIME_PARTS_MAX parts, MIME_DEPTH_MAX levels (mime_int.h).  The
 * tree borrows msg, which must outlive it.
 */
void	 mime_tree_parse(const char *msg, size_t len, struct mime_tree *);
void	 mime_tree_fini(struct mime_tree *);

/*
 * The part's path: "1" for the message, "1.2" for the second body part of
 * a multipart message, "1.2.1" for the message inside it if that is a
 * message/rfc822 part, and so on (a tree path, not an IMAP section
 * number).  Writes at most size bytes, NUL included.
 */
void	 mime_part_path(const struct mime_tree *, size_t i, char *buf,
	     size_t size);

/*
 * Append the body with its transfer encoding undone (base64 and
 * quoted-printable decoded leniently; anything else copied as is) to out.
 * The decoded size is at most blen, so an out whose maximum is above blen
 * always takes it.  -1 if out is too big (out->too_big is set; some of the
 * body may have been appended).
 */
int	 mime_part_decode(const struct mime_part *, struct buf *out);

/*
 * The part the pager shows (text.c, see mime_text_extract in mime.h): the
 * index of the chosen leaf, or MIME_PART_NONE if no part holds text; *html
 * is set if it is to be rendered as HTML.
 */
size_t	 mime_tree_text_part(const struct mime_tree *, bool *html);

/* The name of one MIME_DEFECT_* bit ("no-close-delimiter"), or NULL. */
const char *mime_defect_name(unsigned bit);

#endif
