/*
 * compose.h - what a message being written is, and the logic of starting
 * one: new, reply, reply to all, forward inline or as an attachment,
 * resuming a postponed draft; the editor file (headers at the top, then
 * the body) and running the editor; attachments read from files; turning
 * a draft into a mime_build_msg; the address book that completes
 * addresses as they are typed.
 *
 * Reply rules (as mutt/NeoMutt): reply goes to Reply-To, else From (to
 * From when the original is one's own: its To); reply to all adds
 * Mail-Followup-To when present (it then replaces To/Cc), else the
 * original To and Cc, minus one's own addresses and duplicates.  Subject
 * gets "Re: " / "Fwd: " unless it already has one (Re:, RE:, Re[2]:, Aw:,
 * Fwd:, Fw:).  In-Reply-To is the original Message-ID; References its
 * References (or In-Reply-To) plus its Message-ID.  The body is quoted
 * with "> " under an attribution line "On DATE, NAME wrote:".
 *
 * The original message is untrusted: it is read through src/mime/ (all
 * bounded), and nothing derived from it puts a control character other
 * than LF and TAB (in the body only) into a draft; text that is not
 * UTF-8 comes out as U+FFFD.  A message with no usable From: gives a
 * reply with an empty To, never an error.
 *
 * No UI, no network, no cache: the UI and `petrel send` call in here.
 * Not thread-safe per draft; different drafts are independent.
 */
#ifndef PETREL_COMPOSE_H
#define PETREL_COMPOSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "mime/build.h"
#include "util/error.h"

enum compose_kind {
	COMPOSE_NEW = 0,
	COMPOSE_REPLY,
	COMPOSE_REPLY_ALL,
	COMPOSE_FORWARD_INLINE,
	COMPOSE_FORWARD_ATTACH,
	COMPOSE_RESUME		/* a postponed draft, read back */
};

/* One attached file, read into memory when attached. */
struct compose_attach {
	char		*path;		/* as the user gave it (or NULL) */
	char		*filename;	/* UTF-8 name shown and sent */
	char		*content_type;	/* from libmagic, e.g. "image/png" */
	char		*charset;	/* text/ types: libmagic's guess
					   ("utf-8"), or NULL */
	char		*data;
	size_t		 len;
	bool		 is_message;	/* a forwarded message/rfc822 */
};

/*
 * A message being written; every string is UTF-8 and owned, and any may
 * be NULL (no such header; no body).  Address fields are RFC 5322 lists
 * ("Name <a@b>, c@d"), references space-separated "<id>"s.
 */
struct compose_draft {
	char		*from;
	char		*to;
	char		*cc;
	char		*bcc;
	char		*reply_to;
	char		*subject;
	char		*in_reply_to;
	char		*references;
	char		*body;
	struct compose_attach *attach;
	size_t		 nattach;
	char		*dsn_notify;	/* NULL or "SUCCESS,FAILURE" ... */
	char		*dsn_ret;	/* NULL, "FULL", "HDRS" */
	char		*pending;	/* the editor file as last saved when
					   it did not parse, or NULL: the next
					   compose_edit_run opens it again so
					   no edit is lost */
};

/* Who is writing: the From line and every address that is one's own. */
struct compose_identity {
	const char	*from;		/* "Name <me@example.org>" */
	const char *const *alternates;	/* addr-specs, NULL-terminated;
					   from's address is always own */
};

/* Free what a draft holds and zero it. */
void		 compose_draft_fini(struct compose_draft *);

/*
 * Fill d for kind (zeroed by the caller).  orig/len is the original raw
 * message (ignored for COMPOSE_NEW; may be NULL, read as an empty
 * message).  From is id->from.  Replies quote the text the pager would
 * show (mime_text_extract) minus the original's "-- " signature; an
 * inline forward puts a "---------- Forwarded message ----------" block
 * (From, Date, Subject, To, Cc, the text) in the body; a forward as an
 * attachment attaches the raw original as message/rfc822 (ERR_TOOBIG
 * past COMPOSE_ATTACH_MAX).  Returns 0, or -1 with err (d then holds
 * nothing).
 *
 * COMPOSE_RESUME reads back a postponed draft (petrel's own, built by
 * mime_build, or another client's): every field from its headers
 * (address lists re-read with mime_address_list_parse, groups
 * flattened, members without an address dropped; Subject decoded;
 * In-Reply-To and References as msg-id lists; Bcc kept), From being
 * id->from only when the draft has none.  The body is the draft's
 * text/plain (else what mime_text_extract shows of its HTML), decoded,
 * UTF-8, LF line ends, un-flowed when format=flowed; every other part is
 * an attachment with its decoded bytes, its filename (sanitised as
 * compose_attach_file names files), type and text charset, and
 * is_message for message/rfc822.  The rules for which part is the body
 * are in compose_resume.c.  ERR_TOOBIG for a draft over
 * COMPOSE_EDIT_MAX, an attachment over COMPOSE_ATTACH_MAX, more than
 * COMPOSE_RESUME_ATTACH_MAX attachments, or more parts than the part
 * tree holds (a draft must never be resumed short of a part).
 */
#define COMPOSE_RESUME_ATTACH_MAX	256
int		 compose_start(struct compose_draft *d, enum compose_kind kind,
		     const struct compose_identity *id, const char *orig,
		     size_t len, struct error *err);

/*
 * The editor file: "From:", "To:", "Cc:", "Bcc:", "Reply-To:",
 * "Subject:" lines, a blank line, the body (LF line ends).
 * compose_edit_format writes it (a new string); compose_edit_parse reads
 * one back into d: header names case-insensitive, folded lines joined
 * with one blank, repeated To/Cc/Bcc/Reply-To joined with ", ", CRLF
 * read as LF, a header missing or empty sets its field to NULL, the body
 * replaced.  ERR_PARSE naming the line for an unknown header, a line
 * that is no header before the blank line, a repeated From or Subject,
 * text that is not UTF-8, a NUL byte or a control character in a
 * header; ERR_TOOBIG past COMPOSE_EDIT_MAX.  On error d is unchanged.
 */
#define COMPOSE_EDIT_MAX	(96u * 1024 * 1024)
char		*compose_edit_format(const struct compose_draft *d);
int		 compose_edit_parse(struct compose_draft *d, const char *text,
		     size_t len, struct error *err);
/*
 * Write d to a 0600 temporary file, run editor (a command line, split as
 * a shell would without expansions; NULL: $VISUAL, $EDITOR, vi) on it,
 * wait, and read it back into d.  The caller leaves curses mode first.
 * Returns 0; 1 if the file was left unchanged (the user gave up);
 * -1 with err.  The file is removed in every case.  The file is made in
 * $TMPDIR (else /tmp) with mkstemp; the editor runs without a shell,
 * with the file name as its last argument, SIGINT and SIGQUIT ignored
 * here while it runs.  An editor that cannot be run, exits non-zero or
 * is killed: -1, d unchanged.  If the result does not parse, d is
 * unchanged but for d->pending (see above), and err says why.
 */
int		 compose_edit_run(struct compose_draft *d, const char *editor,
		     struct error *err);

/*
 * Attach the file at path (size bounded by COMPOSE_ATTACH_MAX); the
 * content type from libmagic (application/octet-stream when it cannot
 * tell), the charset of text/ types too, the name from the path's last
 * component (UTF-8 kept, invalid bytes as U+FFFD).  -1 with err for a
 * directory or other non-regular file, an unreadable or too large file,
 * a name with control characters (d unchanged).
 */
#define COMPOSE_ATTACH_MAX	(64u * 1024 * 1024)
int		 compose_attach_file(struct compose_draft *d, const char *path,
		     struct error *err);
/* Remove attachment i (nothing if there is no such attachment). */
void		 compose_detach(struct compose_draft *d, size_t i);

/*
 * Point m at d's fields (m borrows from d: keep d alive while m is used);
 * parts must have room for d->nattach entries (m->parts points there).
 * Empty fields become NULL; m->date is 0 and m->message_id NULL (made by
 * mime_build): the caller sets them, and flowed/allow_8bit, if it wants.
 */
void		 compose_to_build(const struct compose_draft *d,
		     struct mime_build_msg *m, struct mime_build_part *parts);

/*
 * An address book for completing addresses as they are typed: the
 * addresses seen (in mail read and sent; the caller decides, with a
 * weight per use) and mutt-style aliases.  Addresses are merged ignoring
 * ASCII case (the first spelling is kept); each remembers how often it
 * was used, when last, and its display names (the one used most is
 * shown; ties go to the latest).  At most COMPOSE_ADDRBOOK_MAX distinct
 * addresses and as many aliases: further new ones are ignored (counted
 * in dropped).  An address must be an addr-spec that reads back alone
 * (an "@" inside, no blanks, controls or RFC 5322 specials but "." and
 * "@", valid UTF-8, at most 320 bytes); others are ignored.  Names are
 * cleaned (no controls, blanks collapsed, at most 256 bytes else
 * dropped).  A zeroed struct is an empty book; not thread-safe.
 */
#define COMPOSE_ADDRBOOK_MAX		50000
/* Most candidates compose_addrbook_match returns. */
#define COMPOSE_ADDRBOOK_MATCH_MAX	20
/* Largest aliases file read (bytes). */
#define COMPOSE_ALIASES_MAX		(1024 * 1024)
/* How long it takes a use to count half (see compose_addrbook_match). */
#define COMPOSE_ADDRBOOK_HALFLIFE	(180 * 86400)

struct compose_abentry;
struct compose_abalias;

struct compose_addrbook {
	struct compose_abentry	*v;		/* addresses, as added */
	size_t			 n;
	size_t			 cap;
	uint32_t		*slot;		/* hash of lower-case addr:
						   index + 1, 0 when free */
	size_t			 nslot;
	struct compose_abalias	*alias;		/* in file order */
	size_t			 nalias;
	size_t			 alias_cap;
	int64_t			 newest;	/* latest when added */
	size_t			 dropped;	/* new ones past the cap */
};

/*
 * Count weight uses of addr (name may be NULL) at time when (seconds
 * since 1970; negative: unknown, read as 0).  Ignored when addr is not
 * acceptable (see above), or is new and the book is full.
 */
void		 compose_addrbook_add(struct compose_addrbook *,
		     const char *name, const char *addr, int64_t when,
		     unsigned weight);
/*
 * Add every member of an RFC 5322 address list (raw header bytes:
 * encoded words are decoded, groups flattened).  Returns how many
 * members were taken (had an acceptable address, and room if new).
 */
int		 compose_addrbook_add_list(struct compose_addrbook *,
		     const char *rfc5322_list, int64_t when, unsigned weight);
/*
 * Read a mutt aliases file: lines "alias [-group NAME]... KEY
 * ADDRESS-LIST" (the list in RFC 5322 syntax, every member with an
 * address; keys compare ignoring ASCII case), empty lines, "#"
 * comments (a whole line, or after a blank outside quotes and "<>"), a
 * trailing backslash joining the next line.  A KEY defined again
 * replaces the earlier one.  ERR_TOOBIG for a file over
 * COMPOSE_ALIASES_MAX; ERR_PARSE "PATH:LINE: ..." for a line that is no
 * alias (the book is then unchanged); ERR_SYS when the file cannot be
 * read (sys_errno ENOENT when it does not exist).
 * compose_addrbook_load_aliases_text does the same on text in memory,
 * name standing for PATH in errors.
 */
int		 compose_addrbook_load_aliases(struct compose_addrbook *,
		     const char *path, struct error *err);
int		 compose_addrbook_load_aliases_text(struct compose_addrbook *,
		     const char *name, const char *text, size_t len,
		     struct error *err);
/*
 * The candidates for what the user typed: aliases whose key, or a
 * member's address, display name or a word of it (a word starts after a
 * blank, ",", "-", "(" or a quote), starts with prefix (ASCII case
 * ignored; "" matches all), then addresses whose address, one of their
 * display names or a word of one does.  Aliases come first, in file
 * order, each as its whole list ("A <a@x>, b@y"); then addresses by
 * score, the higher first: the uses, halved for every whole
 * COMPOSE_ADDRBOOK_HALFLIFE between the address's latest use and the
 * newest use in the book (so 10 uses a year ago count 2.5, under 3 uses
 * yesterday, and 10 uses last month beat them), then the latest use,
 * then the address (ASCII case ignored).  An address that is the only
 * member of an alias offered is left out.  At most
 * COMPOSE_ADDRBOOK_MATCH_MAX, each ready to insert: "Name <addr>" (the
 * name quoted when it holds an RFC 5322 special) or "addr"; each reads
 * back with mime_address_list_parse to the same names and addresses (a
 * name that would not, say one that looks like an encoded word, is left
 * out).  *out is a NULL-terminated vector (free with
 * compose_addrbook_match_free), also when nothing matches; returns the
 * count.
 */
size_t		 compose_addrbook_match(const struct compose_addrbook *,
		     const char *prefix, char ***out);
void		 compose_addrbook_match_free(char **);
/* Free what the book holds and zero it. */
void		 compose_addrbook_fini(struct compose_addrbook *);

#endif
