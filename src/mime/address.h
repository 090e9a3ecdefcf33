/*
 * address.h - RFC 5322 address lists and the envelope of a header block.
 *
 * Every driver that reads raw headers (IMAP's HEADER.FIELDS download,
 * POP3, Maildir, mbox) turns them into a cache row through
 * mime_envelope_parse; the pager and `petrel parse` show address lists
 * through mime_address_list_parse.  Pure: no I/O, no globals.  Inputs are
 * untrusted; results are UTF-8 but NOT sanitised for the terminal.
 */
#ifndef PETREL_MIME_ADDRESS_H
#define PETREL_MIME_ADDRESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Most members one address list yields; the rest is dropped. */
#define MIME_ADDRESS_MAX	1000
/* Longest one-line rendering of a list (the cache's To: column). */
#define MIME_ADDRESS_LINE_MAX	4096
/* Longest References: kept (the last ids, the nearest ancestors). */
#define MIME_REFERENCES_MAX	8192

/* One mailbox of an address list. */
struct mime_address {
	char	*name;		/* decoded display name (UTF-8), or NULL */
	char	*addr;		/* "local@domain" (local part unquoted when
				   that is unambiguous), or NULL when the
				   member had none (a bare name, junk) */
	char	*group;		/* decoded name of the group it is in, or
				   NULL; the members of one group share this
				   string (mime_address_list_fini frees it
				   once) */
};

struct mime_address_list {
	struct mime_address	*v;
	size_t			 n;
};

/*
 * Parse an address-list header value (raw bytes, possibly folded): groups
 * ("Team: a@b, c@d;", empty groups kept as a member with only .group),
 * comments (skipped; "a@b (Name)" uses the comment as the name when there
 * is no phrase), quoted display names with escapes, RFC 2047 encoded
 * words in phrases and, leniently, inside quotes, obsolete routes
 * ("<@x,@y:a@b>") and the common junk (unbalanced quotes or brackets,
 * missing commas, 8-bit names read as UTF-8 or windows-1252).  Never
 * fails: what cannot be read is kept as a name.  out is always set.
 */
void	 mime_address_list_parse(const char *s, size_t len,
	     struct mime_address_list *out);
void	 mime_address_list_fini(struct mime_address_list *);

/*
 * The list as one line, "Name <a@b>, c@d, Team: e@f;", capped at
 * MIME_ADDRESS_LINE_MAX bytes (cut at a character boundary); NULL when
 * the list is empty.  New string.
 */
char	*mime_address_list_line(const struct mime_address_list *);

/*
 * The message ids ("<a@b>") of a References: or In-Reply-To: value,
 * space-separated, junk between ids dropped, at most MIME_REFERENCES_MAX
 * bytes (the last ids kept); NULL when there is none.  New string.
 */
char	*mime_msgids(const char *s, size_t len);

/* What the message list needs of a message's header block. */
struct mime_envelope {
	int64_t	 date;		/* Date: in seconds (UTC), or -1 */
	char	*from_name;	/* first From: mailbox: decoded name or NULL */
	char	*from_addr;	/* ... and its address, or NULL */
	char	*to;		/* mime_address_list_line of To:, or NULL */
	char	*cc;		/* ... of Cc:, or NULL */
	char	*subject;	/* RFC 2047-decoded, unfolded, or NULL */
	char	*message_id;	/* first "<id>" of Message-ID:, or NULL */
	char	*in_reply_to;	/* mime_msgids of In-Reply-To:, or NULL */
	char	*references;	/* mime_msgids of References:, or NULL */
};

/*
 * Read the envelope of a header block (the message up to its empty line,
 * or a HEADER.FIELDS answer): one pass over the block, the first of each
 * duplicated header wins.  Never fails; fields not present are NULL (-1).
 */
void	 mime_envelope_parse(const char *hdr, size_t len,
	     struct mime_envelope *out);
void	 mime_envelope_fini(struct mime_envelope *);

#endif
