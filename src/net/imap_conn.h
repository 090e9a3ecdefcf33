/*
 * imap_conn.h - one IMAP connection: greeting, STARTTLS, capabilities,
 * login, tagged commands and the responses that answer them.
 *
 * A connection wraps a struct stream (TCP, TLS on top) and belongs to one
 * thread.  Every wait is bounded by the stream's timeout and cut short by
 * its wake fd; every command by a deadline for progress (see below).  Any I/O or protocol failure leaves the connection broken
 * (imap_conn_broken) and is reported with ERR_SCOPE_ACCOUNT, cancellations
 * included: responses still in flight cannot be matched to later commands.
 *
 * Traces go to log_proto("imap", ...) with LOGIN and AUTHENTICATE payloads
 * replaced by "<redacted>"; large responses are shortened in the trace.
 */
#ifndef PETREL_IMAP_CONN_H
#define PETREL_IMAP_CONN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/config.h"
#include "net/imap_parse.h"
#include "net/stream.h"
#include "util/buf.h"
#include "util/error.h"

/* Capabilities petrel looks at (RFC 3501 7.2.1 and extensions). */
#define IMAP_CAP_IMAP4REV1	0x000001u
#define IMAP_CAP_STARTTLS	0x000002u
#define IMAP_CAP_LOGINDISABLED	0x000004u
#define IMAP_CAP_AUTH_PLAIN	0x000008u
#define IMAP_CAP_SASL_IR	0x000010u	/* RFC 4959 */
#define IMAP_CAP_LITERALPLUS	0x000020u	/* RFC 7888 */
#define IMAP_CAP_IDLE		0x000040u	/* RFC 2177 */
#define IMAP_CAP_UIDPLUS	0x000080u	/* RFC 4315 */
#define IMAP_CAP_CONDSTORE	0x000100u	/* RFC 7162 */
#define IMAP_CAP_IMAP4REV2	0x000200u	/* RFC 9051 */
#define IMAP_CAP_ENABLE		0x000400u	/* RFC 5161 */
#define IMAP_CAP_QRESYNC	0x000800u	/* RFC 7162 */
#define IMAP_CAP_MOVE		0x001000u	/* RFC 6851 */
#define IMAP_CAP_LITERALMINUS	0x002000u	/* RFC 7888 */
#define IMAP_CAP_SPECIAL_USE	0x004000u	/* RFC 6154 */
#define IMAP_CAP_LIST_STATUS	0x008000u	/* RFC 5819 */
#define IMAP_CAP_ESEARCH	0x010000u	/* RFC 4731 */
#define IMAP_CAP_NAMESPACE	0x020000u	/* RFC 2342 */
#define IMAP_CAP_ID		0x040000u	/* RFC 2971 */
#define IMAP_CAP_COMPRESS	0x080000u	/* RFC 4978, =DEFLATE */
#define IMAP_CAP_UTF8_ACCEPT	0x100000u	/* RFC 6855 */
#define IMAP_CAP_LIST_EXTENDED	0x200000u	/* RFC 5258 */
#define IMAP_CAP_UNSELECT	0x400000u	/* RFC 3691 */

/* Commands sent and not yet completed (pipelining, RFC 3501 5.5). */
#define IMAP_INFLIGHT_MAX	16
/* Untagged responses a command may see that are not its own. */
#define IMAP_UNRELATED_MAX	100000

struct imap_inflight {
	char			 tag[16];
	char			 verb[16];	/* for messages */
	bool			 quiet;		/* nobody awaits: log failure */
	bool			 done;
	enum imap_status	 status;	/* once done */
	char			*text;		/* NO/BAD text once done */
};

/*
 * Called for each untagged response while a command runs: -1 stops the
 * command's handler calls (the command is still read to its end) and is
 * what the command returns; 0 passes the response on to the connection's
 * unsolicited handler; 1 means the handler consumed it as the command's
 * own answer, which is the command's progress (its deadline restarts):
 * return 1 only for data the command asked for; 2 means consumed but not
 * the command's own (it counts towards IMAP_UNRELATED_MAX).
 */
typedef int (*imap_untagged_fn)(void *arg, const struct imap_response *,
	    struct error *);

struct imap_conn {
	struct stream		*s;
	char			*host;		/* for TLS and messages */
	struct buf		 in;		/* bytes read, not yet used */
	size_t			 off;		/* start of unread bytes in in */
	size_t			 used;		/* length of the last response */
	struct imap_frame	 fr;
	struct imap_response	 resp;		/* the last response read */
	unsigned		 caps;		/* IMAP_CAP_* */
	unsigned		 caps_off;	/* never used (imap_disable) */
	bool			 have_caps;
	unsigned		 enabled;	/* IMAP_CAP_* confirmed ENABLED */
	bool			 compressed;	/* COMPRESS DEFLATE active */
	bool			 compress_wanted; /* with the next command */
	char			 ztag[16];	/* COMPRESS in flight; "" */
	bool			 preauth;	/* greeting was PREAUTH */
	bool			 broken;
	/*
	 * Time: each wait is bounded by the stream's timeout; a command must
	 * make progress (a response of its own, a tagged completion, a
	 * continuation, a MiB of one response) within timeout_ms of the
	 * last, or it fails with ERR_TIMEOUT.  0: no deadline.
	 */
	int			 timeout_ms;
	int64_t			 deadline;	/* monotonic ms; 0: none */
	size_t			 rx;		/* bytes of this response */
	size_t			 unrelated;	/* responses not the command's */
	char			 cmd[16];	/* the last command's verb */
	unsigned		 tagn;
	char			 tag[16];	/* the last command sent */
	char			*bye;		/* text of an untagged BYE */
	struct imap_inflight	 fl[IMAP_INFLIGHT_MAX];
	size_t			 nfl;

	/*
	 * Untagged responses no command handler consumed (EXISTS, VANISHED,
	 * FETCH of another client's change...) go here; may be NULL.
	 */
	imap_untagged_fn	 unsolicited;
	void			*unsolicited_arg;

	/* The selected mailbox, as untagged responses report it. */
	uint32_t		 exists;
	uint32_t		 uidvalidity;	/* 0: not reported */
	uint32_t		 uidnext;	/* 0: not reported */
	uint64_t		 highestmodseq;	/* 0: not reported */
	bool			 nomodseq;	/* [NOMODSEQ] */
	bool			 readonly;	/* [READ-ONLY] */
};

/* Wrap a connected stream (taking it over). */
struct imap_conn	*imap_conn_new(struct stream *, const char *host);
void			 imap_conn_free(struct imap_conn *);
bool			 imap_conn_broken(const struct imap_conn *);

/*
 * Connect per the account's security setting: TCP, then TLS (implicit),
 * the greeting, STARTTLS (required when configured: never plain text),
 * and the capabilities.  Does not log in.
 */
int	 imap_conn_connect(const struct config_account *, int wake_fd,
	     struct imap_conn **, struct error *);
/* Read the greeting (OK, PREAUTH, or BYE which fails). */
int	 imap_conn_greeting(struct imap_conn *, struct error *);
/*
 * STARTTLS (RFC 3501 6.2.1): require the capability and a tagged OK,
 * discard everything buffered before the handshake, ask CAPABILITY again.
 */
int	 imap_conn_starttls(struct imap_conn *,
	     const struct stream_tls_config *, struct error *);
/* Send CAPABILITY and record the answer. */
int	 imap_conn_capability(struct imap_conn *, struct error *);
/*
 * Log in unless the greeting was PREAUTH: AUTHENTICATE PLAIN (with SASL-IR
 * when offered) if AUTH=PLAIN is there, else LOGIN unless LOGINDISABLED.
 * A refusal is ERR_AUTH "authentication failed: <server text>".
 */
int	 imap_conn_login(struct imap_conn *, const char *user,
	     const char *password, struct error *);
/* LOGOUT, best effort. */
void	 imap_conn_logout(struct imap_conn *);

/*
 * Read the next response into conn->resp (valid until the next read),
 * updating capabilities and mailbox state on the way.
 */
int	 imap_conn_read(struct imap_conn *, struct error *);
/* Send "TAG <command>\r\n" with a new tag (kept in conn->tag). */
int	 imap_conn_send(struct imap_conn *, struct error *, const char *, ...)
	     __attribute__((format(printf, 3, 4)));
/*
 * Send a command and read up to its tagged response, handing untagged
 * responses to fn (may be NULL).  A tagged NO/BAD is ERR_SERVER
 * "<COMMAND>: <server text>", scope ERR_SCOPE_OP.
 */
int	 imap_conn_run(struct imap_conn *, imap_untagged_fn, void *,
	     struct error *, const char *, ...)
	     __attribute__((format(printf, 5, 6)));
/*
 * Pipelining: send a command without waiting (at most IMAP_INFLIGHT_MAX in
 * flight).  *tag receives its tag for imap_conn_await; tag NULL makes it
 * quiet: nobody awaits it, a failure is only logged.
 */
int	 imap_conn_submit(struct imap_conn *, char *tag, size_t tagsize,
	     struct error *, const char *, ...)
	     __attribute__((format(printf, 5, 6)));
/*
 * Read until the command with this tag completed (other commands' tagged
 * responses are recorded on the way), handing untagged responses to fn.
 * Returns as imap_conn_run.
 */
int	 imap_conn_await(struct imap_conn *, const char *tag,
	     imap_untagged_fn, void *, struct error *);
/*
 * As await, but also return 1 when the server sends a continuation
 * request "+" (literals, IDLE); 0 when the command completed.
 */
int	 imap_conn_await_cont(struct imap_conn *, const char *tag,
	     imap_untagged_fn, void *, struct error *);
/* Read and handle one response as await does (for IDLE). */
int	 imap_conn_step(struct imap_conn *, imap_untagged_fn, void *,
	     struct error *);
/* Whether the command with this tag completed (or is unknown). */
bool	 imap_conn_done(struct imap_conn *, const char *tag);
/* Read until every command in flight completed. */
int	 imap_conn_drain(struct imap_conn *, imap_untagged_fn, void *,
	     struct error *);
/* Send raw bytes (literal data, "DONE"), traced as given. */
int	 imap_conn_write(struct imap_conn *, const char *, size_t,
	     const char *trace, struct error *);
/* Whether a response is buffered (readable without waiting). */
bool	 imap_conn_buffered(struct imap_conn *);
/*
 * COMPRESS DEFLATE (RFC 4978): send it and, on OK, put the deflate layer
 * on the stream (bytes already read after the OK are inflated first).
 * imap_conn_compress waits for the answer; _begin only sends it (nothing
 * else may be sent until _end has read the answer), and the layer goes
 * on wherever the tagged OK is read (imap_conn_compress_switch), even in
 * the middle of awaiting another command.
 */
int	 imap_conn_compress(struct imap_conn *, struct error *);
int	 imap_conn_compress_begin(struct imap_conn *, char *tag, size_t,
	     struct error *);
int	 imap_conn_compress_end(struct imap_conn *, const char *tag,
	     struct error *);
int	 imap_conn_compress_switch(struct imap_conn *, struct error *);
/* Parse capability words into conn->caps (imap_caps.c). */
void	 imap_caps_parse(struct imap_conn *, const char *, size_t);
void	 imap_caps_add(struct imap_conn *, const char *, size_t);
/* The IMAP_CAP_* bits named in an account's imap_disable list. */
unsigned imap_caps_names(const char *list);
/* Append s quoted; allow8: 8-bit UTF-8 allowed (UTF8=ACCEPT). */
int	 imap_quote8(struct buf *, const char *s, bool allow8);

/* Internal to imap_conn.c and imap_input.c. */
int64_t	 imap_conn_now(void);
/* The command made progress: restart its deadline. */
void	 imap_conn_progress(struct imap_conn *);
/* A command (verb) was sent: fresh deadline and unrelated budget. */
void	 imap_conn_started(struct imap_conn *, const char *verb);
/* Mark broken, widen the error to the account; -1. */
int	 imap_conn_fail(struct imap_conn *, struct error *);

/* Append s as an IMAP quoted string; -1 if it needs a literal. */
int	 imap_quote(struct buf *, const char *s);
/*
 * The trace form of a line the client sends: credentials of LOGIN and
 * AUTHENTICATE replaced by "<redacted>".  Appends to out.
 */
void	 imap_redact(const char *line, size_t len, struct buf *out);

#endif
