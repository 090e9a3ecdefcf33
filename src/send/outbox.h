/*
 * outbox.h - sending a message so that it is never lost: stored whole in
 * the cache's outbox first, then handed to the account's SMTP server (or
 * its sendmail_command); kept, with the error, until a server accepted
 * it; then copied to the account's Sent folder and dropped.
 *
 * A failure that may pass (the network, a timeout, a 4xx reply) is tried
 * again after a back-off (1 min, doubling, at most 1 h); one that will not
 * (a refused recipient, wrong password, a message too large) waits for
 * the user (next_try -1) with the error kept for the outbox view.  A
 * crash while sending leaves the message queued (state SENDING counts as
 * queued): it is sent again, never lost; only a crash in the moment
 * between the server's final 250 and the cache's commit can send it
 * twice.
 *
 * Runs on the caller's thread (an account's worker, or `petrel send`);
 * cancellable through wake_fd.
 */
#ifndef PETREL_OUTBOX_H
#define PETREL_OUTBOX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cache/cache.h"
#include "core/account.h"
#include "core/config.h"
#include "mime/build.h"
#include "util/buf.h"
#include "util/error.h"

/* What to queue (borrowed). */
struct outbox_item {
	const char	*raw;		/* the message, CRLF line ends */
	size_t		 len;
	const char	*env_from;	/* addr-spec of the sender */
	const char *const *rcpt;	/* addr-specs, nrcpt of them */
	size_t		 nrcpt;
	const char	*dsn_notify;	/* or NULL */
	const char	*dsn_ret;	/* or NULL */
	const char	*subject;	/* decoded, for the outbox view */
	const char	*to_line;	/* decoded, for the outbox view */
	bool		 draft;		/* postponed: for the Drafts folder,
					   never sent (recipients optional) */
};

/* Store a message in the outbox of account a; sets *id. */
int	 outbox_queue(struct cache *, const struct config_account *a,
	     const struct outbox_item *, int64_t *id, struct error *);

/*
 * outbox_build.c: a message written in petrel (msg, as for mime_build,
 * with keep_bcc, allow_8bit and flowed chosen) built and queued: the
 * envelope sender is From's only address, the recipients To, Cc and Bcc
 * (a draft needs none).  Any thread, with its own cache connection.
 */
struct outbox_build {
	const struct mime_build_msg *msg;
	const char	*dsn_notify;	/* or NULL */
	const char	*dsn_ret;	/* or NULL */
	bool		 draft;
};
int	 outbox_queue_built(struct cache *, const struct config_account *a,
	     const struct outbox_build *, int64_t *id, struct error *);

/*
 * Send queued message id now through a's SMTP server or sendmail_command
 * (password: the one the user typed, when the account has none set).
 * Returns 0 when accepted (state ACCEPTED; or the row dropped when a does
 * not save a Sent copy), -1 with err: the row stays queued with the
 * error and its next try.
 */
int	 outbox_send(struct cache *, const struct config_account *a,
	     int64_t id, const char *typed_password, int wake_fd,
	     struct error *);

/*
 * outbox_store.c: copy an accepted message to the Sent folder of acct
 * (found by role or name; listed first if needed; created if there is
 * none) and drop it; put a postponed draft (state DRAFT) in Drafts the
 * same way.  A draft an account cannot take stays in the outbox.
 */
int	 outbox_save_sent(struct cache *, struct account *acct, int64_t id,
	     struct error *);
int	 outbox_save_draft(struct cache *, struct account *acct, int64_t id,
	     struct error *);

/* When to try again after a failed attempt (seconds since the epoch). */
int64_t	 outbox_next_try(int attempts, int64_t now);

/* outbox_prepare.c: a message given to `petrel send`, made ready. */
struct outbox_prepared {
	struct buf	 msg;		/* CRLF, without Bcc:, with From:,
					   Date: and Message-ID: */
	char		**rcpt;		/* addr-specs, no duplicates */
	size_t		 nrcpt;
	char		*env_from;	/* -f, or From:'s first address */
	char		*subject;	/* decoded, or NULL */
	char		*to_line;	/* decoded, or NULL */
};

/*
 * Prepare in (len bytes, LF or CRLF): the recipients are every address
 * of args (address lists) and, with take_rcpts (-t), of To:, Cc: and
 * Bcc:; env_from (-f) or NULL.  From: is the account's from (or user)
 * when missing.  -1 with err: no recipient, no sender, too large.
 */
int	 outbox_prepare(const char *in, size_t len,
	     const struct config_account *a, bool take_rcpts,
	     const char *const *args, size_t nargs, const char *env_from,
	     struct outbox_prepared *o, struct error *err);
void	 outbox_prepared_fini(struct outbox_prepared *);
/*
 * The envelope sender of a From: value: the address of its first mailbox
 * (with only_one, of its only mailbox); NULL if there is none.
 */
char	*outbox_env_from(const char *from, bool only_one);

/* outbox_sendmail.c: run a sendmail-compatible command (argv) with the
   recipients as arguments and the message on stdin; 0 on exit status 0. */
int	 outbox_sendmail(char *const *argv, const char *const *rcpt,
	     size_t nrcpt, const char *raw, size_t len, int timeout_ms,
	     int wake_fd, struct error *);

#endif
