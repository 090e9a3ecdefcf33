/*
 * ui_compose_job.c - y and P without freezing the screen.
 *
 * Building a message base64s its attachments (up to 64 MiB) and the
 * outbox row holds all of it: up to a second on the UI thread.  A job
 * thread does it instead (outbox_queue_built, with a cache connection of
 * its own) while the composer waits: the job reads the draft in place,
 * so the composer refuses every key that could change it until the job
 * is reaped (ui_compose_job_busy).  The thread ends by writing to the
 * wake pipe; ui_wake then reaps it here.  One job at a time: there is
 * one composer.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <unistd.h>

#include "send/outbox.h"
#include "ui/ui_i18n.h"
#include "ui/ui_internal.h"
#include "util/xmalloc.h"

struct ui_compose_job {
	pthread_t			 thread;
	/* In: set before the thread starts, then only read. */
	const char			*cache_path;
	const struct config_account	*acct;
	struct mime_build_msg		 msg;
	struct mime_build_part		*parts;
	struct outbox_build		 b;
	int				 wake_fd;
	/* Out: written by the thread before done is set. */
	atomic_bool			 done;
	int				 rc;
	int64_t				 id;
	struct error			 err;
};

/* The thread: build and queue on a connection of its own, then wake. */
static void *
ui_compose_job_main(void *arg)
{
	struct ui_compose_job	*j = arg;
	struct cache		*c;
	ssize_t			 n;

	if ((c = cache_open_more(j->cache_path, &j->err)) == NULL)
		j->rc = -1;
	else {
		j->rc = outbox_queue_built(c, j->acct, &j->b, &j->id,
		    &j->err);
		cache_close(c);
	}
	atomic_store(&j->done, true);
	/* A full pipe already wakes the UI. */
	n = write(j->wake_fd, "q", 1);
	(void)n;
	return NULL;
}

/* Start building and queueing the open draft (draft: to postpone). */
int
ui_compose_job_start(struct ui *ui, bool draft, struct error *err)
{
	struct ui_compose	*c = &ui->compose;
	struct ui_compose_job	*j;
	sigset_t		 old;
	int			 rc;

	j = xcalloc(1, sizeof *j);
	j->cache_path = ui->cache_path;
	j->acct = ui->accounts[c->account].cfg;
	j->parts = xcalloc(c->d.nattach + 1, sizeof *j->parts);
	ui_compose_build(ui, draft, &j->msg, j->parts, &j->b);
	j->wake_fd = ui->wake_fd[1];
	atomic_init(&j->done, false);
	ui_signals_block(&old);
	rc = pthread_create(&j->thread, NULL, ui_compose_job_main, j);
	ui_signals_unblock(&old);
	if (rc != 0) {
		free(j->parts);
		free(j);
		return error_set(err, ERR_SYS, ERR_SCOPE_OP,
		    _("cannot start a thread to queue the message"));
	}
	c->job = j;
	return 0;
}

/* Whether a job runs: the draft must stay as it is. */
bool
ui_compose_job_busy(const struct ui *ui)
{
	return ui->compose.job != NULL;
}

/* Join a finished job and act on its outcome. */
static void
ui_compose_job_finish(struct ui *ui)
{
	struct ui_compose_job	*j = ui->compose.job;

	pthread_join(j->thread, NULL);
	ui->compose.job = NULL;
	if (j->rc == 0)
		ui_compose_queued(ui, j->b.draft, j->id);
	else
		ui_status_set_message(ui, true, j->err.msg);	/* still open */
	free(j->parts);
	free(j);
}

/* After a wake: reap the job if it has finished. */
void
ui_compose_job_reap(struct ui *ui)
{
	struct ui_compose_job	*j = ui->compose.job;

	if (j != NULL && atomic_load(&j->done))
		ui_compose_job_finish(ui);
}

/* Quitting: wait for a running job and take its outcome. */
void
ui_compose_job_wait(struct ui *ui)
{
	if (ui->compose.job != NULL)
		ui_compose_job_finish(ui);
}
