/*
 * test_thread.c - unit tests of src/core/thread.c and thread_view.c: JWZ
 * threading with missing parents, cycles, duplicate and absent ids,
 * subject grouping, thread order, collapsing, tree prefixes, and random
 * hostile input checked against the invariants of the result.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/thread.h"
#include "util/xmalloc.h"

/* One test message: id = index + 1. */
struct tmsg {
	int64_t		 date;
	const char	*mid;
	const char	*irt;
	const char	*refs;
	const char	*subject;
};

/* Rows for thread_build from a table (strings borrowed). */
static struct cache_thread_row *
test_rows(const struct tmsg *m, size_t n)
{
	struct cache_thread_row	*r;
	size_t			 i;

	r = xcalloc(n + 1, sizeof *r);
	for (i = 0; i < n; i++) {
		r[i].id = (int64_t)i + 1;
		r[i].date = m[i].date;
		r[i].message_id = (char *)m[i].mid;
		r[i].in_reply_to = (char *)m[i].irt;
		r[i].references = (char *)m[i].refs;
		r[i].subject = (char *)m[i].subject;
	}
	return r;
}

/* Free rows whose strings were allocated. */
static void
test_rows_free(struct cache_thread_row *r, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		free(r[i].message_id);
		free(r[i].in_reply_to);
		free(r[i].references);
		free(r[i].subject);
	}
	free(r);
}

/* Check what must hold of every result. */
static void
test_invariants(const struct thread *t, size_t nrows)
{
	char	*seen;
	size_t	 i, p, sum;

	ck_assert_uint_eq(t->n, nrows);
	seen = xcalloc(nrows + 1, 1);
	for (i = 0; i < t->n; i++) {
		ck_assert_uint_lt(t->nodes[i].row, nrows);
		ck_assert_int_eq(seen[t->nodes[i].row], 0);
		seen[t->nodes[i].row] = 1;
		ck_assert_int_eq(t->nodes[i].msg_id,
		    (int64_t)t->nodes[i].row + 1);
		ck_assert_uint_eq(thread_find(t, t->nodes[i].msg_id), i);
		p = t->nodes[i].parent;
		if (p == THREAD_NONE) {
			ck_assert_uint_eq(t->nodes[i].depth, 0);
			continue;
		}
		ck_assert_uint_lt(p, i);
		ck_assert_uint_eq(t->nodes[i].depth, t->nodes[p].depth + 1);
		/* Inside its parent's subtree. */
		ck_assert_uint_le(i + t->nodes[i].size, p + t->nodes[p].size);
	}
	/* Sizes add up: each top's subtree, back to back, covers all. */
	for (i = 0, sum = 0; i < t->n; i += t->nodes[i].size) {
		ck_assert_uint_eq(t->nodes[i].parent, THREAD_NONE);
		sum += t->nodes[i].size;
	}
	ck_assert_uint_eq(sum, t->n);
	free(seen);
}

/* The display as "id:depth" list, e.g. "1:0 2:1 3:2". */
static char *
test_shape(const struct thread *t)
{
	char	buf[1024];
	size_t	i, len = 0;

	buf[0] = '\0';
	for (i = 0; i < t->n && len < sizeof buf; i++)
		len += (size_t)snprintf(buf + len, sizeof buf - len,
		    "%s%lld:%u", i ? " " : "", (long long)t->nodes[i].msg_id,
		    t->nodes[i].depth);
	return xstrdup(buf);
}

/* Thread a table, check invariants and the shape. */
static struct thread *
test_thread(const struct tmsg *m, size_t n, unsigned opts, const char *want)
{
	struct cache_thread_row	*rows;
	struct thread		*t;
	char			*got;

	rows = test_rows(m, n);
	t = thread_build(rows, n, opts);
	free(rows);	/* the result must not point into the rows */
	test_invariants(t, n);
	got = test_shape(t);
	ck_assert_msg(strcmp(got, want) == 0, "got \"%s\", want \"%s\"", got,
	    want);
	free(got);
	return t;
}

/* The prefix of the node of msg_id. */
static void
test_prefix(const struct thread *t, int64_t msg_id, bool ascii,
    const char *want)
{
	char	buf[128];

	thread_prefix(t, thread_find(t, msg_id), ascii, buf, sizeof buf);
	ck_assert_str_eq(buf, want);
}

START_TEST(test_basic_tree)
{
	static const struct tmsg m[] = {
		{ 10, "<a@x>", NULL, NULL, "plan" },
		{ 20, "<b@x>", "<a@x>", NULL, "Re: plan" },
		{ 30, "<c@x>", NULL, "<a@x> <b@x>", "Re: plan" },
		{ 40, "<d@x>", "<a@x>", "<a@x>", "Re: plan" },
		{ 15, "<e@x>", NULL, NULL, "other" },
	};
	struct thread	*t;

	/* Threads by newest message: "other" (15) before "plan" (40). */
	t = test_thread(m, 5, 0, "5:0 1:0 2:1 3:2 4:1");
	ck_assert_uint_eq(t->nodes[1].size, 4);
	ck_assert_uint_eq(t->nodes[2].flags & THREAD_LAST, 0);
	ck_assert_uint_ne(t->nodes[3].flags & THREAD_LAST, 0);
	ck_assert_uint_ne(t->nodes[4].flags & THREAD_LAST, 0);
	test_prefix(t, 1, false, "");
	test_prefix(t, 2, false, "\xe2\x94\x9c\xe2\x94\x80>");	/* ├─> */
	test_prefix(t, 3, false, "\xe2\x94\x82 \xe2\x94\x94\xe2\x94\x80>");
	test_prefix(t, 3, true, "| `->");
	test_prefix(t, 4, true, "`->");
	ck_assert_uint_eq(thread_top(t, thread_find(t, 3)), 1);
	ck_assert_uint_eq(thread_find(t, 99), THREAD_NONE);
	thread_free(t);
	t = test_thread(m, 5, THREAD_NEWEST_FIRST, "1:0 2:1 3:2 4:1 5:0");
	thread_free(t);
}
END_TEST

START_TEST(test_missing_parents)
{
	static const struct tmsg m[] = {
		/* Two replies to a message the folder lacks. */
		{ 30, "<y@x>", "<gone@x>", NULL, "Re: q" },
		{ 20, "<x@x>", NULL, "<gone@x>", "Re: q" },
		/* One reply to a missing message, through two missing. */
		{ 50, "<z@x>", NULL, "<g1@x> <g2@x>", "Re: r" },
		/* A reply to z whose References skip z's own ancestry. */
		{ 60, "<w@x>", "<z@x>", NULL, "Re: r" },
	};
	struct thread	*t;

	/* The oldest reply (2) heads the thread; 1 hangs below it. */
	t = test_thread(m, 4, 0, "2:0 1:1 3:0 4:1");
	ck_assert_uint_ne(t->nodes[0].flags & THREAD_MISSING, 0);
	ck_assert_uint_ne(t->nodes[1].flags & THREAD_MISSING, 0);
	ck_assert_uint_ne(t->nodes[2].flags & THREAD_MISSING, 0);
	ck_assert_uint_eq(t->nodes[3].flags & THREAD_MISSING, 0);
	test_prefix(t, 1, true, "`?>");
	thread_free(t);
}
END_TEST

START_TEST(test_cycles)
{
	static const struct tmsg m[] = {
		{ 1, "<a@x>", NULL, "<b@x>", "a" },
		{ 2, "<b@x>", NULL, "<a@x>", "b" },
		{ 3, "<c@x>", "<c@x>", "<c@x>", "self" },
		/* A chain that loops through its own message. */
		{ 4, "<d@x>", NULL, "<e@x> <d@x> <f@x>", "d" },
		{ 5, "<e@x>", NULL, "<f@x> <d@x>", "e" },
	};
	struct thread	*t;
	size_t		 i;

	/*
	 * Each message exactly once, no loop, whatever the links: 4's own
	 * References make it e's child (e before d) and that link stands, so
	 * 5 (e), which names d as its parent, becomes 4's parent instead.
	 */
	t = test_thread(m, 5, 0, "2:0 1:1 3:0 5:0 4:1");
	for (i = 0; i < t->n; i++)
		ck_assert_uint_lt(t->nodes[i].depth, 5);
	thread_free(t);
}
END_TEST

START_TEST(test_duplicates_and_absent_ids)
{
	static const struct tmsg m[] = {
		{ 10, "<d@x>", NULL, NULL, "first" },
		{ 20, "<d@x>", NULL, NULL, "same id again" },
		{ 30, "<r@x>", "<d@x>", NULL, "Re: first" },
		{ 40, NULL, "<d@x>", NULL, "no id" },
		{ 50, "", NULL, "", "empty id" },
		{ 60, "garbage without brackets", NULL,
		  "(comment) <d@x> trailing junk", "junk" },
		{ 70, "<>", "<>", "<> <", "empty brackets" },
	};
	struct thread	*t;

	/* Replies go to the first holder of an id; the copy is alone. */
	t = test_thread(m, 7, 0,
	    "2:0 5:0 1:0 3:1 4:1 6:1 7:0");
	thread_free(t);
}
END_TEST

START_TEST(test_subject_grouping)
{
	static const struct tmsg m[] = {
		{ 10, "<h@x>", NULL, NULL, "Hello world" },
		{ 50, "<r@x>", NULL, NULL, "RE: hello WORLD " },
		{ 30, "<s@x>", NULL, NULL, "AW: Re[3]: Hello world" },
		{ 5, "<early@x>", NULL, NULL, "Re: Lunch" },
		{ 8, "<lunch@x>", NULL, NULL, "Lunch" },
		{ 60, "<q@x>", "<nowhere@x>", NULL, "Re: Hello world" },
		{ 70, "<n@x>", NULL, NULL, "" },
		{ 80, "<m@x>", NULL, NULL, "Re:" },
	};
	struct thread	*t;

	/* Without grouping every message without references is alone. */
	t = test_thread(m, 8, 0, "4:0 5:0 1:0 3:0 2:0 6:0 7:0 8:0");
	thread_free(t);
	/*
	 * With it, replies without references join the older non-reply of
	 * their subject; an earlier "Re:" (4) and a reply that names a
	 * parent (6) stay where they are.
	 */
	t = test_thread(m, 8, THREAD_BY_SUBJECT,
	    "4:0 5:0 1:0 3:1 2:1 6:0 7:0 8:0");
	ck_assert_uint_ne(t->nodes[thread_find(t, 3)].flags & THREAD_SUBJECT,
	    0);
	test_prefix(t, 3, false, "\xe2\x94\x9c*>");
	test_prefix(t, 2, true, "`*>");
	thread_free(t);
}
END_TEST

START_TEST(test_collapse)
{
	static const struct tmsg m[] = {
		{ 1, "<a@x>", NULL, NULL, "a" },
		{ 2, "<b@x>", "<a@x>", NULL, "b" },
		{ 3, "<c@x>", "<b@x>", "<a@x> <b@x>", "c" },
		{ 4, "<d@x>", NULL, NULL, "d" },
		{ 5, "<e@x>", "<a@x>", NULL, "e" },
	};
	struct thread	*t;
	size_t		 vis[5], n;

	t = test_thread(m, 5, 0, "4:0 1:0 2:1 3:2 5:1");
	ck_assert_uint_eq(thread_visible(t, vis), 5);
	thread_collapse_all(t, true);
	n = thread_visible(t, vis);
	ck_assert_uint_eq(n, 2);
	ck_assert_uint_eq(vis[0], 0);
	ck_assert_uint_eq(vis[1], 1);
	ck_assert_uint_eq(t->nodes[1].size - 1, 3);	/* hidden replies */
	thread_collapse_all(t, false);
	thread_set_collapsed(t, thread_find(t, 2), true);
	n = thread_visible(t, vis);
	ck_assert_uint_eq(n, 4);
	ck_assert_int_eq(t->nodes[vis[3]].msg_id, 5);
	thread_set_collapsed(t, thread_find(t, 2), false);
	thread_set_collapsed(t, 99, true);		/* ignored */
	ck_assert_uint_eq(thread_visible(t, vis), 5);
	thread_free(t);
}
END_TEST

START_TEST(test_prefix_bounds)
{
	struct cache_thread_row	*rows;
	struct thread		*t;
	char			 buf[8], big[512];
	size_t			 n = 200, i, len;

	/* A chain 200 deep: every reply names only its parent. */
	rows = xcalloc(n, sizeof *rows);
	for (i = 0; i < n; i++) {
		rows[i].id = (int64_t)i + 1;
		rows[i].date = (int64_t)i;
		rows[i].message_id = xasprintf("<%zu@x>", i);
		rows[i].in_reply_to = i ? xasprintf("<%zu@x>", i - 1) : NULL;
	}
	t = thread_build(rows, n, 0);
	test_invariants(t, n);
	ck_assert_uint_eq(t->nodes[n - 1].depth, n - 1);
	/* A small buffer gets whole characters only, always terminated. */
	len = thread_prefix(t, n - 1, false, buf, sizeof buf);
	ck_assert_uint_eq(len, strlen(buf));
	ck_assert_uint_le(len, sizeof buf - 1);
	ck_assert_uint_eq(len % 2, 0);		/* "  " columns only */
	ck_assert_uint_eq(thread_prefix(t, n - 1, false, buf, 0), 0);
	len = thread_prefix(t, n - 1, true, big, sizeof big);
	ck_assert_uint_eq(len, 64 * 2 + 3);	/* capped levels + "`->" */
	thread_free(t);
	test_rows_free(rows, n);
}
END_TEST

START_TEST(test_random_hostile)
{
	struct cache_thread_row	*rows;
	struct thread		*t;
	char			 refs[600];
	size_t			 n = 3000, i, k, len;
	unsigned		 seed = 12345;

	/* Ids from a small pool: duplicates, cycles, self references. */
	rows = xcalloc(n, sizeof *rows);
	for (i = 0; i < n; i++) {
		rows[i].id = (int64_t)i + 1;
		rows[i].date = rand_r(&seed) % 1000;
		rows[i].message_id = xasprintf("<%d@p>", rand_r(&seed) % 500);
		len = 0;
		refs[0] = '\0';
		for (k = (size_t)(rand_r(&seed) % 40); k > 0; k--)
			len += (size_t)snprintf(refs + len, sizeof refs - len,
			    "<%d@p> ", rand_r(&seed) % 500);
		rows[i].references = xstrdup(refs);
		rows[i].in_reply_to = rand_r(&seed) % 2 ?
		    xasprintf("<%d@p>", rand_r(&seed) % 500) : NULL;
		rows[i].subject = xstrdup(rand_r(&seed) % 2 ? "Re: x" : "x");
	}
	t = thread_build(rows, n, THREAD_BY_SUBJECT);
	test_invariants(t, n);
	thread_free(t);
	t = thread_build(rows, 0, 0);
	ck_assert_uint_eq(t->n, 0);
	ck_assert_uint_eq(thread_find(t, 1), THREAD_NONE);
	thread_free(t);
	thread_free(NULL);
	test_rows_free(rows, n);
}
END_TEST

/* Elapsed seconds since start. */
static double
test_elapsed(const struct timespec *start)
{
	struct timespec	now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - start->tv_sec) +
	    (double)(now.tv_nsec - start->tv_nsec) / 1e9;
}

START_TEST(test_large_folder)
{
	struct cache_thread_row	*rows;
	struct thread		*t;
	struct timespec		 start;
	size_t			 n = 100000, i;
	double			 secs;

	/* Threads of ~5 messages, References up to the thread's start. */
	rows = xcalloc(n, sizeof *rows);
	for (i = 0; i < n; i++) {
		rows[i].id = (int64_t)i + 1;
		rows[i].date = (int64_t)i;
		rows[i].message_id = xasprintf("<%zu.%zu@host.example>", i,
		    i * 7919);
		if (i % 5 != 0) {
			rows[i].references = xasprintf("<%zu.%zu@host.example>"
			    " <%zu.%zu@host.example>", i - i % 5,
			    (i - i % 5) * 7919, i - 1, (i - 1) * 7919);
			rows[i].in_reply_to = xasprintf(
			    "<%zu.%zu@host.example>", i - 1, (i - 1) * 7919);
		}
		rows[i].subject = xasprintf("%sTopic %zu", i % 5 ? "Re: " : "",
		    i / 5);
	}
	clock_gettime(CLOCK_MONOTONIC, &start);
	t = thread_build(rows, n, THREAD_BY_SUBJECT);
	secs = test_elapsed(&start);
	fprintf(stderr, "test_thread: 100,000 messages threaded in %.1f ms\n",
	    secs * 1e3);
	test_invariants(t, n);
	ck_assert_uint_eq(t->nodes[0].size, 5);
	ck_assert_uint_eq(t->nodes[4].depth, 4);
	/* Generous: sanitizer builds are several times slower. */
	ck_assert_msg(secs < 5.0, "%.3f s", secs);
	thread_free(t);
	test_rows_free(rows, n);
}
END_TEST

/* Create the suite. */
static Suite *
thread_suite(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("thread");
	tc = tcase_create("thread");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_basic_tree);
	tcase_add_test(tc, test_missing_parents);
	tcase_add_test(tc, test_cycles);
	tcase_add_test(tc, test_duplicates_and_absent_ids);
	tcase_add_test(tc, test_subject_grouping);
	tcase_add_test(tc, test_collapse);
	tcase_add_test(tc, test_prefix_bounds);
	tcase_add_test(tc, test_random_hostile);
	tcase_add_test(tc, test_large_folder);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr;
	int	 failed;

	sr = srunner_create(thread_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
