/*
 * worker.h - one thread per account running its driver, fed by a queue.
 *
 * The UI thread submits commands (sync, fetch a body, set flags) and never
 * waits for them; the worker runs them one at a time with its own cache
 * connection and account, and reports back through events.  After queueing
 * an event it writes one byte to the UI's wake pipe, so the UI's poll()
 * wakes; the UI then drains worker_next_event().  Stopping a worker wakes it
 * through its own wake fd, which cuts any network wait short.
 *
 * Thread rules: worker_submit/worker_next_event/worker_stop are called from
 * the UI thread; everything else runs on the worker thread.
 */
#ifndef PETREL_WORKER_H
#define PETREL_WORKER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/config.h"
#include "util/error.h"

enum worker_cmd_type {
	WORKER_SYNC_ALL,	/* list folders, then sync each */
	WORKER_SYNC_FOLDER,	/* sync one folder (folder_id) */
	WORKER_FETCH_BODY,	/* fetch msg_id's body into the cache */
	WORKER_SET_FLAGS,	/* add/remove flags on msg_id on the server */
	WORKER_FLUSH_OPS,	/* replay the cache's pending operations */
	WORKER_WATCH_FOLDER,	/* the UI shows folder_id: keep it fresh (IDLE) */
	WORKER_CREATE_FOLDER,	/* text: the new folder's display path */
	WORKER_RENAME_FOLDER,	/* folder_id to text */
	WORKER_DELETE_FOLDER,	/* folder_id */
	WORKER_SEARCH,		/* text in folder_id's messages, on the server */
	WORKER_PASSWORD,	/* answers WORKER_EV_NEED_PASSWORD: text is the
				   password (wiped when freed), or NULL when
				   the user declined (the account stays
				   offline; the next command asks again) */
	WORKER_PIN,		/* text: "sha256:..." the user pinned (and
				   wrote to the config): use it, reconnect */
	WORKER_SEND		/* send outbox message msg_id now (0: every
				   one of this account that is due), then
				   make its Sent copy; a draft goes to the
				   Drafts folder instead */
};

struct worker_cmd {
	enum worker_cmd_type	 type;
	int64_t			 folder_id;
	int64_t			 msg_id;
	unsigned		 add;		/* CACHE_FLAG_* */
	unsigned		 remove;
	const char		*text;		/* copied by worker_submit */
};

enum worker_event_type {
	WORKER_EV_STATUS,		/* text: what the worker is doing now */
	WORKER_EV_FOLDERS,		/* the folder list changed */
	WORKER_EV_MESSAGES,		/* folder_id's messages changed */
	WORKER_EV_BODY,			/* msg_id's body is in the cache */
	WORKER_EV_ERROR,		/* text: a command failed (one line) */
	WORKER_EV_IDLE,			/* the queue is empty again */
	WORKER_EV_SEARCH,		/* ids: msg ids matching, in folder_id */
	WORKER_EV_CONNECTION,		/* text: "online", or "offline: why; retry in N s" */
	WORKER_EV_NEED_PASSWORD,	/* text: the account name; answer with
					   WORKER_PASSWORD.  Sent when an
					   account with no password, command
					   or token command must connect, and
					   after a typed password was refused;
					   commands wait meanwhile */
	WORKER_EV_SENT,			/* msg_id (an outbox id) was accepted */
	WORKER_EV_DRAFT_SAVED,		/* msg_id (an outbox id) is in Drafts */
	WORKER_EV_OUTBOX,		/* the outbox changed */
	WORKER_EV_OPS_QUEUED,		/* operations were queued for folder_id's
					   account, another one (the source of
					   a move between accounts): the UI
					   tells that account's worker to
					   replay them */
	WORKER_EV_CERT			/* text: "sha256:... REASON": the server
					   certificate failed verification on
					   an account without a pin; sent once
					   per fingerprint, the UI may offer to
					   pin it (WORKER_PIN) */
};

struct worker_event {
	enum worker_event_type	 type;
	int64_t			 folder_id;
	int64_t			 msg_id;
	char			*text;		/* owned; may be NULL */
	int64_t			*ids;		/* owned; WORKER_EV_SEARCH */
	size_t			 nids;
};

struct worker;

/*
 * Start the worker for an account: it opens its own cache connection at
 * cache_path and wakes the UI by writing to ui_wake_fd.
 */
struct worker	*worker_start(const struct config_account *,
		     const char *cache_path, int ui_wake_fd, struct error *);
/*
 * Queue a command (copied; a WORKER_PASSWORD text is wiped when freed).
 * Never blocks on the network.
 */
void		 worker_submit(struct worker *, const struct worker_cmd *);
/* Take the next event; false when there is none.  Free with _fini. */
bool		 worker_next_event(struct worker *, struct worker_event *);
void		 worker_event_fini(struct worker_event *);
/* The account name this worker serves. */
const char	*worker_account_name(const struct worker *);
/* Wake the worker, wait for its thread, free everything. */
void		 worker_stop(struct worker *);

#endif
