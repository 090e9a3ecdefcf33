/*
 * test_worker_secret.c - a password handed to a worker (WORKER_PASSWORD)
 * is wiped before its memory goes back to the allocator.
 *
 * Linked with -Wl,--wrap=free: __wrap_free looks at the watched pointer's
 * bytes at the moment it is freed, which is the only moment that counts.
 * The worker's queue is driven without its thread (worker_submit on a
 * hand-made struct worker, then the list free that worker_stop uses).
 */
#include <check.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/account.h"
#include "core/worker.h"
#include "core/worker_impl.h"
#include "util/xmalloc.h"

void	__real_free(void *);
void	__wrap_free(void *);

#define SECRET	"hunter2-correct-horse"

static const void	*watch;		/* the pointer to check when freed */
static bool		 seen;		/* it was freed */
static bool		 wiped;		/* and its bytes were all zero then */
static size_t		 watch_len;

/* Check the watched pointer's bytes, then free for real. */
void
__wrap_free(void *p)
{
	const unsigned char	*c = p;
	size_t			 i;

	if (p != NULL && p == watch) {
		seen = true;
		wiped = true;
		for (i = 0; i < watch_len; i++)
			if (c[i] != 0)
				wiped = false;
		watch = NULL;
	}
	__real_free(p);
}

/* Not reached: the queue functions never open an account. */
const struct driver_ops *
driver_find(const char *name)
{
	(void)name;
	return NULL;
}

/* Not reached either: nothing is sent. */
const struct sender_ops *
sender_find(void)
{
	return NULL;
}

/* Watch p (a string of len bytes). */
static void
watch_ptr(const void *p, size_t len)
{
	watch = p;
	watch_len = len;
	seen = wiped = false;
}

/* A worker with queues and a command pipe, but no thread. */
static struct worker *
fake_worker(void)
{
	struct worker	*w;

	w = xcalloc(1, sizeof *w);
	w->cmds_tail = &w->cmds;
	w->events_tail = &w->events;
	w->deferred_tail = &w->deferred;
	pthread_mutex_init(&w->lock, NULL);
	ck_assert_int_eq(pipe(w->cmd), 0);
	return w;
}

static void
fake_worker_free(struct worker *w)
{
	close(w->cmd[0]);
	close(w->cmd[1]);
	pthread_mutex_destroy(&w->lock);
	free(w);
}

START_TEST(test_password_text_wiped)
{
	struct worker_cmd	cmd = { .type = WORKER_PASSWORD };

	cmd.text = xstrdup(SECRET);
	watch_ptr(cmd.text, strlen(SECRET));
	worker_cmd_fini(&cmd);
	ck_assert(seen);
	ck_assert(wiped);
	ck_assert_ptr_null(cmd.text);
}
END_TEST

START_TEST(test_other_text_freed)
{
	struct worker_cmd	cmd = { .type = WORKER_CREATE_FOLDER };

	cmd.text = xstrdup("Archive/2024");
	watch_ptr(cmd.text, 1);
	worker_cmd_fini(&cmd);
	ck_assert(seen);		/* freed; wiping is not needed */
	ck_assert_ptr_null(cmd.text);
}
END_TEST

START_TEST(test_submit_copies_and_wipes)
{
	struct worker		*w = fake_worker();
	struct worker_cmd	 cmd = { .type = WORKER_PASSWORD };
	char			 typed[] = SECRET;

	cmd.text = typed;
	worker_submit(w, &cmd);
	ck_assert_ptr_nonnull(w->cmds);
	ck_assert_ptr_ne(w->cmds->cmd.text, typed);	/* a copy */
	ck_assert_str_eq(w->cmds->cmd.text, SECRET);
	/* Left in the queue at stop: worker_stop frees it like this. */
	watch_ptr(w->cmds->cmd.text, strlen(SECRET));
	worker_cmd_list_free(w->cmds);
	w->cmds = NULL;
	ck_assert(seen);
	ck_assert(wiped);
	fake_worker_free(w);
}
END_TEST

START_TEST(test_declined_has_no_text)
{
	struct worker		*w = fake_worker();
	struct worker_cmd	 cmd = { .type = WORKER_PASSWORD };

	worker_submit(w, &cmd);		/* Esc: NULL text */
	ck_assert_ptr_nonnull(w->cmds);
	ck_assert_ptr_null(w->cmds->cmd.text);
	worker_cmd_list_free(w->cmds);
	w->cmds = NULL;
	fake_worker_free(w);
}
END_TEST

static Suite *
worker_secret_suite(void)
{
	Suite	*s = suite_create("worker_secret");
	TCase	*tc = tcase_create("core");

	tcase_add_test(tc, test_password_text_wiped);
	tcase_add_test(tc, test_other_text_freed);
	tcase_add_test(tc, test_submit_copies_and_wipes);
	tcase_add_test(tc, test_declined_has_no_text);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(worker_secret_suite());
	int	 failed;

	/* No fork: the wrapped free must see this process's frees. */
	srunner_set_fork_status(sr, CK_NOFORK);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
