/*
 * build_int.h - internals shared by the files of the message builder
 * (src/mime/build*.c); not a public API.  Only those files and their unit
 * test and fuzz target include it.
 *
 * Writers append to a struct buf without checking each append: a buf's
 * too_big flag is sticky, so mime_build looks at it once at the end.
 */
#ifndef PETREL_MIME_BUILD_INT_H
#define PETREL_MIME_BUILD_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "mime/address.h"
#include "mime/build.h"
#include "util/buf.h"
#include "util/error.h"

/* Longest word written as it is: with its space and the punctuation
 * that may be glued to it (";," after a group), it fits a line. */
#define MIME_BUILD_WORD_MAX	73
/* Where header lines are folded (RFC 5322 section 2.1.1 "SHOULD"), and
 * the shorter limit of a line holding an encoded word (RFC 2047
 * section 2). */
#define MIME_BUILD_FOLD		78
#define MIME_BUILD_FOLD_EW	76
/* Longest encoded word (RFC 2047 section 2), and the least room worth
 * starting one in (a 4-byte character in "Q" needs 24). */
#define MIME_BUILD_EW_MAX	75
#define MIME_BUILD_EW_MIN	24
/* Longest line, CRLF excluded (RFC 5322 section 2.1.1 "MUST"). */
#define MIME_BUILD_LINE_MAX	998
/* Longest token that can be neither folded nor encoded (an addr-spec, a
 * msg-id): it gets a line of its own and still stays under the limit. */
#define MIME_BUILD_TOKEN_MAX	900
/* Where format=flowed lines get their soft break (RFC 3676 section 4.2). */
#define MIME_BUILD_FLOWED_WIDTH	72
/* Longest header field name accepted (the "Name:" line must fit). */
#define MIME_BUILD_NAME_MAX	76

/* A header field being written: the current line, for folding.  The last
 * token is held back in pend so punctuation can be glued to it. */
struct mime_hdr {
	struct buf	*out;
	size_t		 col;		/* octets on the current line */
	bool		 ew_line;	/* the line holds an encoded word */
	struct buf	 pend;		/* the token not written yet */
	bool		 pend_ew;
	bool		 have_pend;
};

/* build_header.c: folding, RFC 2047 words, unstructured text. */
void	 mime_hdr_start(struct mime_hdr *, struct buf *out, const char *name);
void	 mime_hdr_end(struct mime_hdr *);
void	 mime_hdr_token(struct mime_hdr *, const char *, size_t, bool ew);
void	 mime_hdr_glue(struct mime_hdr *, const char *);
void	 mime_hdr_encode(struct mime_hdr *, const char *, size_t);
void	 mime_hdr_text(struct mime_hdr *, const char *);
bool	 mime_hdr_phrase(struct mime_hdr *, const char *);
char	*mime_build_clean(const char *, size_t);
bool	 mime_build_atext(char);
char	 mime_build_ew_pick(const char *, size_t);
size_t	 mime_build_ew(const char *, size_t, char enc, size_t max,
	     struct buf *);

/* build_addr.c: address lists and msg-id lists. */
int	 mime_build_addr_ok(const struct mime_address *, const char *field,
	     struct error *);
int	 mime_build_addrs(struct buf *, const char *name, const char *list,
	     bool mailboxes, bool *wrote, struct error *);
void	 mime_build_msgids(struct buf *, const char *name, const char *ids);
bool	 mime_build_msgid_ok(const char *, size_t);

/* build_body.c: the text part. */
void	 mime_build_text(const struct mime_build_msg *, struct buf *);

/* build_attach.c: attachments. */
void	 mime_build_base64(const char *, size_t, struct buf *);
int	 mime_build_attach(const struct mime_build_part *, bool allow_8bit,
	     struct buf *, struct error *);
bool	 mime_build_token_ok(const char *, size_t);

/* build.c */
void	 mime_build_random(unsigned char *, size_t);

#endif
