/*
 * worker.c - an account's thread: a command queue in, an event queue out.
 *
 * The queues are linked lists under one mutex; the worker sleeps on a
 * condition variable while its queue is empty.  The worker's own wake pipe
 * is the account's wake_fd: it is written only by worker_stop(), so any
 * network wait ends at once when the UI quits, while a newly queued command
 * simply waits for the running one.  Events wake the UI through its pipe.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cache/cache.h"
#include "core/account.h"
#include "core/sync.h"
#include "core/worker.h"
#include "util/log.h"
#include "util/xmalloc.h"

struct worker_cmd_node {
	struct worker_cmd	 cmd;
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
	int			 wake[2];	/* [0] is the account's wake_fd */
	pthread_t		 thread;
	pthread_mutex_t		 lock;
	pthread_cond_t		 cond;
	bool			 stopping;
	struct worker_cmd_node	*cmds, **cmds_tail;
	struct worker_event_node *events, **events_tail;
	/* Worker thread only: */
	struct cache		*cache;
	struct account		*account;
};

/* Queue an event for the UI and wake it (any thread). */
static void
worker_emit(struct worker *w, enum worker_event_type type, int64_t folder_id,
    int64_t msg_id, const char *text)
{
	struct worker_event_node	*n;
	char				 c = 'w';

	n = xcalloc(1, sizeof *n);
	n->ev.type = type;
	n->ev.folder_id = folder_id;
	n->ev.msg_id = msg_id;
	n->ev.text = text != NULL ? xstrdup(text) : NULL;
	pthread_mutex_lock(&w->lock);
	*w->events_tail = n;
	w->events_tail = &n->next;
	pthread_mutex_unlock(&w->lock);
	/* Non-blocking: a full pipe already means the UI will wake. */
	while (write(w->ui_wake_fd, &c, 1) == -1 && errno == EINTR)
		;
}

/* The account's progress hook: forward as a status event. */
static void
worker_status(void *arg, const char *text)
{
	struct worker	*w = arg;

	worker_emit(w, WORKER_EV_STATUS, 0, 0, text);
}

static void
worker_folders_listed(void *arg)
{
	worker_emit(arg, WORKER_EV_FOLDERS, 0, 0, NULL);
}

static void
worker_folder_done(void *arg, const struct cache_folder *f,
    const struct error *err)
{
	struct worker	*w = arg;
	char		*text;

	worker_emit(w, WORKER_EV_MESSAGES, f->id, 0, NULL);
	if (err != NULL) {
		text = xasprintf("%s: %s", f->name, err->msg);
		worker_emit(w, WORKER_EV_ERROR, f->id, 0, text);
		free(text);
	}
}

/* Report a failed command (unless we are stopping). */
static void
worker_fail(struct worker *w, const struct error *err)
{
	if (err->code == ERR_CANCELLED)
		return;
	log_warn("worker", "[%s] %s", w->cfg->name, err->msg);
	worker_emit(w, WORKER_EV_ERROR, 0, 0, err->msg);
}

/* Look up a message and its folder for a command. */
static int
worker_msg(struct worker *w, int64_t msg_id, struct cache_msg *m,
    struct cache_folder *f, struct error *err)
{
	int	rc;

	memset(m, 0, sizeof *m);
	memset(f, 0, sizeof *f);
	if ((rc = cache_msg_get(w->cache, msg_id, m, err)) != 0)
		goto notfound;
	if ((rc = cache_folder_get(w->cache, m->folder_id, f, err)) != 0)
		goto notfound;
	return 0;
notfound:
	if (rc == 1)
		error_set(err, ERR_NOTFOUND, ERR_SCOPE_OP,
		    "message no longer in the cache");
	cache_msg_fini(m);
	cache_folder_fini(f);
	return -1;
}

/* Run one command on the worker thread. */
static void
worker_run(struct worker *w, const struct worker_cmd *cmd)
{
	struct sync_hooks	 hooks = { worker_folders_listed,
	    worker_folder_done, w };
	struct cache_folder	 f;
	struct cache_msg	 m;
	struct error		 err;
	const char		*id;
	int			 rc;

	error_clear(&err);
	switch (cmd->type) {
	case WORKER_SYNC_ALL:
		if (sync_account(w->account, w->cache, &hooks, &err) == -1 &&
		    err.scope == ERR_SCOPE_ACCOUNT)
			worker_fail(w, &err);
		break;
	case WORKER_SYNC_FOLDER:
		memset(&f, 0, sizeof f);
		rc = cache_folder_get(w->cache, cmd->folder_id, &f, &err);
		if (rc == 0 && account_sync_folder(w->account, &f, w->cache,
		    &err) == 0)
			worker_emit(w, WORKER_EV_MESSAGES, f.id, 0, NULL);
		else if (rc != 1)
			worker_fail(w, &err);
		cache_folder_fini(&f);
		break;
	case WORKER_FETCH_BODY:
		if (worker_msg(w, cmd->msg_id, &m, &f, &err) == -1) {
			worker_fail(w, &err);
			break;
		}
		account_status(w->account, "fetching message %s", m.remote_id);
		if (account_fetch_message(w->account, &f, m.remote_id,
		    w->cache, &err) == 0)
			worker_emit(w, WORKER_EV_BODY, f.id, m.id, NULL);
		else
			worker_fail(w, &err);
		cache_msg_fini(&m);
		cache_folder_fini(&f);
		break;
	case WORKER_SET_FLAGS:
		if (worker_msg(w, cmd->msg_id, &m, &f, &err) == -1) {
			worker_fail(w, &err);
			break;
		}
		id = m.remote_id;
		if (account_store_flags(w->account, &f, &id, 1, cmd->add,
		    cmd->remove, w->cache, &err) == 0)
			worker_emit(w, WORKER_EV_MESSAGES, f.id, m.id, NULL);
		else
			worker_fail(w, &err);
		cache_msg_fini(&m);
		cache_folder_fini(&f);
		break;
	}
}

/* Take the next command, sleeping while there is none; false to stop. */
static bool
worker_next_cmd(struct worker *w, struct worker_cmd *out)
{
	struct worker_cmd_node	*n;
	bool			 idle_sent = false;

	pthread_mutex_lock(&w->lock);
	while (w->cmds == NULL && !w->stopping) {
		if (!idle_sent) {
			pthread_mutex_unlock(&w->lock);
			worker_emit(w, WORKER_EV_IDLE, 0, 0, NULL);
			pthread_mutex_lock(&w->lock);
			idle_sent = true;
			continue;
		}
		pthread_cond_wait(&w->cond, &w->lock);
	}
	if (w->stopping) {
		pthread_mutex_unlock(&w->lock);
		return false;
	}
	n = w->cmds;
	w->cmds = n->next;
	if (w->cmds == NULL)
		w->cmds_tail = &w->cmds;
	pthread_mutex_unlock(&w->lock);
	*out = n->cmd;
	free(n);
	return true;
}

/* The thread: open cache and account, then serve commands. */
static void *
worker_main(void *arg)
{
	struct worker		*w = arg;
	struct worker_cmd	 cmd;
	struct error		 err;

	error_clear(&err);
	if ((w->cache = cache_open(w->cache_path, &err)) == NULL ||
	    (w->account = account_new(w->cfg, w->cache, w->wake[0],
	    &err)) == NULL) {
		worker_fail(w, &err);
		return NULL;
	}
	w->account->status = worker_status;
	w->account->status_arg = w;
	while (worker_next_cmd(w, &cmd))
		worker_run(w, &cmd);
	return NULL;
}

/* Start the worker thread for an account. */
struct worker *
worker_start(const struct config_account *cfg, const char *cache_path,
    int ui_wake_fd, struct error *err)
{
	struct worker	*w;
	int		 rc;

	w = xcalloc(1, sizeof *w);
	w->cfg = cfg;
	w->cache_path = xstrdup(cache_path);
	w->ui_wake_fd = ui_wake_fd;
	w->cmds_tail = &w->cmds;
	w->events_tail = &w->events;
	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->cond, NULL);
	if (pipe2(w->wake, O_CLOEXEC | O_NONBLOCK) == -1) {
		error_sys(err, ERR_SCOPE_ACCOUNT, errno, "pipe");
		goto fail;
	}
	if ((rc = pthread_create(&w->thread, NULL, worker_main, w)) != 0) {
		error_sys(err, ERR_SCOPE_ACCOUNT, rc, "pthread_create");
		close(w->wake[0]);
		close(w->wake[1]);
		goto fail;
	}
	return w;
fail:
	pthread_mutex_destroy(&w->lock);
	pthread_cond_destroy(&w->cond);
	free(w->cache_path);
	free(w);
	return NULL;
}

/* Queue a command. */
void
worker_submit(struct worker *w, const struct worker_cmd *cmd)
{
	struct worker_cmd_node	*n;

	n = xcalloc(1, sizeof *n);
	n->cmd = *cmd;
	pthread_mutex_lock(&w->lock);
	*w->cmds_tail = n;
	w->cmds_tail = &n->next;
	pthread_cond_signal(&w->cond);
	pthread_mutex_unlock(&w->lock);
}

/* Take the next event for the UI. */
bool
worker_next_event(struct worker *w, struct worker_event *out)
{
	struct worker_event_node	*n;

	pthread_mutex_lock(&w->lock);
	if ((n = w->events) != NULL) {
		w->events = n->next;
		if (w->events == NULL)
			w->events_tail = &w->events;
	}
	pthread_mutex_unlock(&w->lock);
	if (n == NULL)
		return false;
	*out = n->ev;
	free(n);
	return true;
}

/* Free an event's text. */
void
worker_event_fini(struct worker_event *ev)
{
	free(ev->text);
	ev->text = NULL;
}

/* The account name. */
const char *
worker_account_name(const struct worker *w)
{
	return w->cfg->name;
}

/* Stop the thread (cutting network waits short) and free everything. */
void
worker_stop(struct worker *w)
{
	struct worker_cmd_node		*c;
	struct worker_event_node	*e;
	char				 b = 'q';

	if (w == NULL)
		return;
	pthread_mutex_lock(&w->lock);
	w->stopping = true;
	pthread_cond_signal(&w->cond);
	pthread_mutex_unlock(&w->lock);
	while (write(w->wake[1], &b, 1) == -1 && errno == EINTR)
		;
	pthread_join(w->thread, NULL);
	account_free(w->account);
	if (w->cache != NULL)
		cache_close(w->cache);
	close(w->wake[0]);
	close(w->wake[1]);
	while ((c = w->cmds) != NULL) {
		w->cmds = c->next;
		free(c);
	}
	while ((e = w->events) != NULL) {
		w->events = e->next;
		worker_event_fini(&e->ev);
		free(e);
	}
	pthread_mutex_destroy(&w->lock);
	pthread_cond_destroy(&w->cond);
	free(w->cache_path);
	free(w);
}
