/*
 * compose.h - what a message being written is, and the logic of starting
 * one: new, reply, reply to all, forward inline or as an attachment; the
 * editor file (headers at the top, then the body) and running the editor;
 * attachments read from files; turning a draft into a mime_build_msg.
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
#include <time.h>

#include "mime/build.h"
#include "util/error.h"

enum compose_kind {
	COMPOSE_NEW = 0,
	COMPOSE_REPLY,
	COMPOSE_REPLY_ALL,
	COMPOSE_FORWARD_INLINE,
	COMPOSE_FORWARD_ATTACH
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
 */
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

#endif
