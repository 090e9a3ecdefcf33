/*
 * worker.c - an account's thread: a command queue in, an event queue out,
 * and the loop that keeps the watched folder fresh between commands.
 *
 * The queues are linked lists under one mutex.  Two pipes wake the
 * thread: cmd gets a byte per submitted command (it ends an IDLE, so a
 * command never waits for the server), and stop, which is the account's
 * wake_fd, cancels any network wait at once when the UI quits.  Events
 * wake the UI through its own pipe.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/worker.h"
#include "core/worker_impl.h"
#include "util/log.h"
#include "util/xmalloc.h"

/* Monotonic milliseconds. */
int64_t
worker_now_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Queue an event node for the UI and wake it. */
static void
worker_push(struct worker *w, struct worker_event_node *n)
{
	char	c = 'w';

	pthread_mutex_lock(&w->lock);
	*w->events_tail = n;
	w->events_tail = &n->next;
	pthread_mutex_unlock(&w->lock);
	/* Non-blocking: a full pipe already means the UI will wake. */
	while (write(w->ui_wake_fd, &c, 1) == -1 && errno == EINTR)
		;
}

/* Queue an event for the UI. */
void
worker_emit(struct worker *w, enum worker_event_type type, int64_t folder_id,
    int64_t msg_id, const char *text)
{
	struct worker_event_node	*n;

	n = xcalloc(1, sizeof *n);
	n->ev.type = type;
	n->ev.folder_id = folder_id;
	n->ev.msg_id = msg_id;
	n->ev.text = text != NULL ? xstrdup(text) : NULL;
	worker_push(w, n);
}

/* Queue a search result (takes ids). */
void
worker_emit_ids(struct worker *w, int64_t folder_id, int64_t *ids, size_t n)
{
	struct worker_event_node	*node;

	node = xcalloc(1, sizeof *node);
	node->ev.type = WORKER_EV_SEARCH;
	node->ev.folder_id = folder_id;
	node->ev.ids = ids;
	node->ev.nids = n;
	worker_push(w, node);
}

/*
 * The account's progress hook: forward as a status event, and while a
 * folder downloads, tell the UI its rows changed (at most 4 times a
 * second): the driver commits the newest headers first, so the first
 * screenful shows long before the folder is complete.
 */
static void
worker_status(void *arg, const char *text)
{
	struct worker	*w = arg;

	worker_emit(w, WORKER_EV_STATUS, 0, 0, text);
}

/*
 * The driver wrote rows of the folder being synced: let the list show
 * them.  The first rows of a sync go at once (the first screenful of a
 * cold open); later ones at most every 250 ms, since each refresh costs
 * the UI a count and a page query.
 */
static void
worker_rows(void *arg)
{
	struct worker	*w = arg;
	int64_t		 now = worker_now_ms();

	if (w->syncing_folder == 0)
		return;
	if (w->refreshed_folder == w->syncing_folder &&
	    now - w->last_refresh_ms < 250)
		return;
	w->refreshed_folder = w->syncing_folder;
	w->last_refresh_ms = now;
	worker_emit(w, WORKER_EV_MESSAGES, w->syncing_folder, 0, NULL);
}

/* Empty the command pipe (its bytes only say "look at the queue"). */
static void
worker_drain(int fd)
{
	char	buf[256];

	while (read(fd, buf, sizeof buf) > 0)
		;
}

/* Take the next queued command, if any. */
static bool
worker_pop(struct worker *w, struct worker_cmd *out)
{
	struct worker_cmd_node	*n;

	pthread_mutex_lock(&w->lock);
	if ((n = w->cmds) != NULL) {
		w->cmds = n->next;
		if (w->cmds == NULL)
			w->cmds_tail = &w->cmds;
	}
	pthread_mutex_unlock(&w->lock);
	if (n == NULL)
		return false;
	*out = n->cmd;
	free(n);
	return true;
}

static bool
worker_stopping(struct worker *w)
{
	bool	s;

	pthread_mutex_lock(&w->lock);
	s = w->stopping;
	pthread_mutex_unlock(&w->lock);
	return s;
}

/* Sleep until a command, stop, or the retry time (if one is set). */
static void
worker_sleep(struct worker *w)
{
	struct pollfd	pfd[2];
	int64_t		left = -1;

	if (w->retry_at_ms != 0) {
		left = w->retry_at_ms - worker_now_ms();
		if (left <= 0)
			return;
	}
	pfd[0].fd = w->cmd[0];
	pfd[0].events = POLLIN;
	pfd[1].fd = w->stop[0];
	pfd[1].events = POLLIN;
	while (poll(pfd, 2, left > INT32_MAX ? INT32_MAX : (int)left) == -1 &&
	    errno == EINTR)
		;
}

/*
 * Between commands: index what a sync stored, retry a lost connection, or
 * watch the folder.
 */
static void
worker_between(struct worker *w)
{
	if (w->need_index) {
		worker_index(w);
		return;
	}
	if (w->offline && !w->auth_failed && w->retry_at_ms != 0 &&
	    worker_now_ms() >= w->retry_at_ms) {
		w->retry_at_ms = 0;
		worker_retry(w);
		return;
	}
	if (!w->offline && w->watch_folder != 0) {
		worker_idle(w);
		return;
	}
	worker_sleep(w);
}

/* The thread: open cache and account, then serve commands. */
static void *
worker_main(void *arg)
{
	struct worker		*w = arg;
	struct worker_cmd	 cmd;
	struct error		 err;
	bool			 idle_sent = false;

	error_clear(&err);
	if ((w->cache = cache_open(w->cache_path, &err)) == NULL ||
	    (w->account = account_new(w->cfg, w->cache, w->stop[0],
	    &err)) == NULL) {
		worker_emit(w, WORKER_EV_ERROR, 0, 0, err.msg);
		return NULL;
	}
	w->account->status = worker_status;
	w->account->rows = worker_rows;
	w->account->status_arg = w;
	while (!worker_stopping(w)) {
		worker_drain(w->cmd[0]);
		if (worker_pop(w, &cmd)) {
			idle_sent = false;
			worker_run(w, &cmd);
			worker_cmd_fini(&cmd);
			continue;
		}
		if (!idle_sent) {
			worker_emit(w, WORKER_EV_IDLE, 0, 0, NULL);
			idle_sent = true;
		}
		worker_between(w);
	}
	return NULL;
}

/* Make a non-blocking close-on-exec pipe. */
static int
worker_pipe(int fds[2], struct error *err)
{
	if (pipe2(fds, O_CLOEXEC | O_NONBLOCK) == -1)
		return error_sys(err, ERR_SCOPE_ACCOUNT, errno, "pipe");
	return 0;
}

/* Start the worker thread for an account. */
struct worker *
worker_start(const struct config_account *cfg, const char *cache_path,
    int ui_wake_fd, struct error *err)
{
	struct worker	*w;
	sigset_t	 all, old;
	int		 rc;

	w = xcalloc(1, sizeof *w);
	w->cfg = cfg;
	w->cache_path = xstrdup(cache_path);
	w->ui_wake_fd = ui_wake_fd;
	w->cmds_tail = &w->cmds;
	w->events_tail = &w->events;
	w->deferred_tail = &w->deferred;
	w->backoff_s = 1;
	w->stop[0] = w->stop[1] = w->cmd[0] = w->cmd[1] = -1;
	pthread_mutex_init(&w->lock, NULL);
	if (worker_pipe(w->stop, err) == -1 || worker_pipe(w->cmd, err) == -1)
		goto fail;
	/* Signals belong to the UI thread: the worker blocks them all. */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	rc = pthread_create(&w->thread, NULL, worker_main, w);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0) {
		error_sys(err, ERR_SCOPE_ACCOUNT, rc, "pthread_create");
		goto fail;
	}
	return w;
fail:
	for (rc = 0; rc < 2; rc++) {
		if (w->stop[rc] != -1)
			close(w->stop[rc]);
		if (w->cmd[rc] != -1)
			close(w->cmd[rc]);
	}
	pthread_mutex_destroy(&w->lock);
	free(w->cache_path);
	free(w);
	return NULL;
}

/* Free a command's text; a password's is wiped first. */
void
worker_cmd_fini(struct worker_cmd *cmd)
{
	if (cmd->type == WORKER_PASSWORD)
		xfree_secret((char *)cmd->text);
	else
		free((char *)cmd->text);
	cmd->text = NULL;
}

/* Free a list of command nodes and their texts. */
void
worker_cmd_list_free(struct worker_cmd_node *n)
{
	struct worker_cmd_node	*next;

	for (; n != NULL; n = next) {
		next = n->next;
		worker_cmd_fini(&n->cmd);
		free(n);
	}
}

/* Queue a command (its text is copied) and wake the worker. */
void
worker_submit(struct worker *w, const struct worker_cmd *cmd)
{
	struct worker_cmd_node	*n;
	char			 c = 'c';

	n = xcalloc(1, sizeof *n);
	n->cmd = *cmd;
	n->cmd.text = cmd->text != NULL ? xstrdup(cmd->text) : NULL;
	pthread_mutex_lock(&w->lock);
	*w->cmds_tail = n;
	w->cmds_tail = &n->next;
	pthread_mutex_unlock(&w->lock);
	while (write(w->cmd[1], &c, 1) == -1 && errno == EINTR)
		;
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

/* Free an event's text and ids. */
void
worker_event_fini(struct worker_event *ev)
{
	free(ev->text);
	free(ev->ids);
	ev->text = NULL;
	ev->ids = NULL;
	ev->nids = 0;
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
	struct worker_event_node	*e;
	char				 b = 'q';
	int				 i;

	if (w == NULL)
		return;
	pthread_mutex_lock(&w->lock);
	w->stopping = true;
	pthread_mutex_unlock(&w->lock);
	while (write(w->stop[1], &b, 1) == -1 && errno == EINTR)
		;
	pthread_join(w->thread, NULL);
	account_free(w->account);	/* wipes a typed password */
	if (w->cache != NULL)
		cache_close(w->cache);
	for (i = 0; i < 2; i++) {
		close(w->stop[i]);
		close(w->cmd[i]);
	}
	worker_cmd_list_free(w->cmds);
	worker_cmd_list_free(w->deferred);
	while ((e = w->events) != NULL) {
		w->events = e->next;
		worker_event_fini(&e->ev);
		free(e);
	}
	pthread_mutex_destroy(&w->lock);
	free(w->pin);
	free(w->cert_offered);
	free(w->cache_path);
	free(w);
}
