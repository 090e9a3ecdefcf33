/*
 * worker_impl.h - the worker's private state, shared by worker.c (thread,
 * queues, the idle loop) and worker_run.c (what each command does).
 */
#ifndef PETREL_WORKER_IMPL_H
#define PETREL_WORKER_IMPL_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "cache/cache.h"
#include "core/account.h"
#include "core/worker.h"

struct worker_cmd_node {
	struct worker_cmd	 cmd;		/* text owned */
	struct worker_cmd_node	*next;
};

struct worker_event_node {
	struct worker_event	 ev;
	struct worker_event_node *next;
};

struct worker {
	const struct config_account *cfg;
	char			*cache_path;
	int			 ui_wake_fd;
	int			 stop[2];	/* [0] is the account's wake_fd */
	int			 cmd[2];	/* a byte per submitted command */
	pthread_t		 thread;
	pthread_mutex_t		 lock;
	bool			 stopping;
	struct worker_cmd_node	*cmds, **cmds_tail;
	struct worker_event_node *events, **events_tail;

	/* Worker thread only: */
	struct cache		*cache;
	struct account		*account;
	int64_t			 watch_folder;	/* IDLE here; 0 = none */
	bool			 offline;	/* last attempt lost the server */
	bool			 auth_failed;	/* no automatic retry */
	int			 backoff_s;	/* next retry delay */
	int64_t			 retry_at_ms;	/* monotonic; 0 = none */
	bool			 need_sync_all;	/* redo after reconnecting */
	bool			 need_index;	/* search index behind */
	int64_t			 syncing_folder; /* being synced; 0 = none */
	int64_t			 refreshed_folder; /* last told to the UI */
	int64_t			 last_refresh_ms; /* last mid-sync MESSAGES */
	int64_t			 last_full_sync_ms;
	bool			 asking_password; /* NEED_PASSWORD sent */
	struct worker_cmd_node	*deferred, **deferred_tail; /* until then */
	size_t			 ndeferred;
	struct config_account	 cfg_pinned;	/* *cfg with the user's pin */
	char			*pin;		/* its tls.fingerprint */
	char			*cert_offered;	/* last WORKER_EV_CERT's */
};

/* worker.c */
void	 worker_emit(struct worker *, enum worker_event_type, int64_t folder,
	     int64_t msg, const char *text);
void	 worker_emit_ids(struct worker *, int64_t folder, int64_t *ids,
	     size_t n);
int64_t	 worker_now_ms(void);
/* Free a command's text (wiped for WORKER_PASSWORD). */
void	 worker_cmd_fini(struct worker_cmd *);
/* Free a list of command nodes. */
void	 worker_cmd_list_free(struct worker_cmd_node *);

/* worker_run.c */
void	 worker_run(struct worker *, const struct worker_cmd *);
/* After a failure: go offline (and schedule a retry) if the account is. */
void	 worker_failed(struct worker *, const struct error *);
/* Replay the cache's pending operations; false if the server went away. */
bool	 worker_flush_ops(struct worker *);
/* worker_send.c: send outbox row id (0: every due one), save Sent. */
void	 worker_send(struct worker *, int64_t id);
/* worker_import.c: an XMOVE/XCOPY op; 1 while the body is not cached. */
int	 worker_op_import(struct worker *, const struct cache_op *,
	     struct error *);

/* Bring the watched folder up to date and IDLE on it until a command. */
void	 worker_idle(struct worker *);
void	 worker_index(struct worker *);
/* Reconnect: resync all, or the watched folder, or replay the queue. */
void	 worker_retry(struct worker *);

#endif
