/*
 * ui_view.c - what the message list shows: order, limit and threads.
 *
 * Plain sorts and subject/from/to limits are cache queries: the list is
 * read a page at a time (ui_index.c) and only counted here.  Thread mode
 * and a ~b limit need a list of ids instead: the thread order comes from
 * core/thread.c (through ui_thread.c), and a ~b limit merges the ids the
 * server's search returned (WORKER_EV_SEARCH) with the local subject/from
 * matches, in the list's order.  Those lists hold 8-11 bytes a message,
 * never the messages themselves.
 */
#include <stdlib.h>
#include <string.h>

#include "ui/ui_i18n.h"
#include "ui/ui_internal.h"
#include "ui/ui_tree.h"
#include "util/sanitize.h"
#include "util/xmalloc.h"

/* An id array that grows. */
struct ui_view_ids {
	int64_t		*v;
	size_t		 n;
	size_t		 alloc;
	const struct ui_idset *keep;	/* only these (NULL: all) */
	const struct ui_idset *also;	/* ... or these */
};

/* Free the id list. */
static void
ui_view_list_free(struct ui_idlist *l)
{
	free(l->ids);
	free(l->depth);
	free(l->more);
	free(l->hidden);
	free(l->t_ids);
	free(l->t_depth);
	memset(l, 0, sizeof *l);
}

/* Forget the folder's limit, lists, collapsed threads and tags. */
void
ui_view_fini(struct ui_index *ix)
{
	ui_view_list_free(&ix->list);
	ui_pattern_fini(&ix->limit);
	ix->limit.all = true;
	free(ix->limit_text);
	ix->limit_text = NULL;
	ui_idset_fini(&ix->found);
	ui_idset_fini(&ix->flip);
	ui_idset_fini(&ix->tags);
	ix->by_id = false;
	ix->searching = false;
	ix->collapse_all = false;
}

/*
 * Walk every message of a query in order: one statement stepped through
 * (pages of OFFSET made it quadratic: a tag pattern over 100,000
 * messages stepped over millions of rows).
 */
int
ui_view_scan(struct ui *ui, const struct cache_query *q,
    int (*fn)(void *, const struct cache_msg *), void *arg)
{
	struct error	 err;

	if (cache_query_each(ui->cache, q, fn, arg, &err) != 0) {
		ui_status_set_message(ui, true, err.msg);
		return -1;
	}
	return 0;
}

/* Scan callback: keep the ids that pass the filter. */
static int
ui_view_collect(void *arg, const struct cache_msg *m)
{
	struct ui_view_ids	*a = arg;

	if (a->keep != NULL && !ui_idset_has(a->keep, m->id) &&
	    (a->also == NULL || !ui_idset_has(a->also, m->id)))
		return 0;
	if (a->n == a->alloc) {
		a->alloc = a->alloc == 0 ? 256 : a->alloc * 2;
		a->v = xreallocarray(a->v, a->alloc, sizeof *a->v);
	}
	a->v[a->n++] = m->id;
	return 0;
}

/* The ids matching the limit: local matches plus the server's (~b). */
static int
ui_view_matches(struct ui *ui, struct ui_idset *out)
{
	struct ui_index		*ix = &ui->index;
	struct ui_view_ids	 a = { NULL, 0, 0, NULL, NULL };
	struct cache_query	 q;
	int			 rc;

	ui_index_query(ix, &q, true);
	rc = ui_view_scan(ui, &q, ui_view_collect, &a);
	ui_idset_add_many(out, a.v, a.n);
	if (ix->limit.body)
		ui_idset_add_many(out, ix->found.v, ix->found.n);
	free(a.v);
	return rc;
}

/* ~b without threads: the merged matches in the list's order. */
static void
ui_view_build_search(struct ui *ui)
{
	struct ui_index		*ix = &ui->index;
	struct ui_view_ids	 a = { NULL, 0, 0, NULL, NULL };
	struct ui_idset		 local = { NULL, 0, 0 };
	struct cache_query	 q;

	if (ix->found.n == 0) {
		/* Nothing from the server (yet): the local matches, ordered. */
		ui_index_query(ix, &q, true);
		ui_view_scan(ui, &q, ui_view_collect, &a);
	} else {
		ui_index_query(ix, &q, true);
		a.keep = &local;
		ui_view_scan(ui, &q, ui_view_collect, &a);
		ui_idset_add_many(&local, a.v, a.n);
		a.n = 0;
		a.also = &ix->found;
		ui_index_query(ix, &q, false);
		ui_view_scan(ui, &q, ui_view_collect, &a);
	}
	ix->list.ids = a.v;
	ix->list.n = a.n;
	ui_idset_fini(&local);
}

/*
 * Threads under a limit: the matching messages, in thread order, each at
 * the depth of its shown ancestors (a reply whose parent is hidden moves
 * up).  A stack of the current row's ancestors: depth, and whether shown.
 */
static void
ui_view_thread_filter(struct ui *ui)
{
	struct ui_index	*ix = &ui->index;
	struct ui_idlist *l = &ix->list;
	struct ui_idset	 match = { NULL, 0, 0 };
	uint16_t	*sd;
	uint8_t		*ss;
	size_t		 i, k = 0, top = 0, shown = 0;
	bool		 in;

	ui_view_matches(ui, &match);
	sd = xreallocarray(NULL, l->t_n + 1, sizeof *sd);
	ss = xreallocarray(NULL, l->t_n + 1, sizeof *ss);
	for (i = 0; i < l->t_n; i++) {
		while (top > 0 && sd[top - 1] >= l->t_depth[i])
			shown -= ss[--top];
		in = ui_idset_has(&match, l->t_ids[i]);
		if (in) {
			l->ids[k] = l->t_ids[i];
			l->depth[k] = (uint16_t)(shown > UINT16_MAX ?
			    UINT16_MAX : shown);
			l->hidden[k] = 0;
			k++;
		}
		sd[top] = l->t_depth[i];
		ss[top++] = in;
		shown += in;
	}
	l->n = k;
	free(sd);
	free(ss);
	ui_idset_fini(&match);
}

/* Threads: the order from core/thread.c, folded or limited. */
static void
ui_view_build_threads(struct ui *ui)
{
	struct ui_index	*ix = &ui->index;
	struct ui_idlist *l = &ix->list;
	struct error	 err;
	size_t		*rows, i, n;

	if (ui_thread_order(ui->cache, ix->folder_id, ix->reverse, &l->t_ids,
	    &l->t_depth, &l->t_n, &err) != 0) {
		ui_status_set_message(ui, true, err.msg);
		return;
	}
	n = l->t_n > 0 ? l->t_n : 1;
	l->ids = xreallocarray(NULL, n, sizeof *l->ids);
	l->depth = xreallocarray(NULL, n, sizeof *l->depth);
	l->hidden = xreallocarray(NULL, n, sizeof *l->hidden);
	l->more = xreallocarray(NULL, n, sizeof *l->more);
	if (!ix->limit.all)
		ui_view_thread_filter(ui);
	else {
		rows = xreallocarray(NULL, n, sizeof *rows);
		l->n = ui_tree_visible(l->t_ids, l->t_depth, l->t_n,
		    ix->collapse_all, &ix->flip, rows, l->hidden);
		for (i = 0; i < l->n; i++) {
			l->ids[i] = l->t_ids[rows[i]];
			l->depth[i] = l->t_depth[rows[i]];
		}
		free(rows);
	}
	ui_tree_more(l->depth, l->n, l->more);
}

/* Re-make the list after the folder, order or limit changed. */
void
ui_view_rebuild(struct ui *ui)
{
	struct ui_index		*ix = &ui->index;
	struct cache_query	 q;
	struct error		 err;
	int64_t			 count = ix->total;

	ui_view_list_free(&ix->list);
	ix->by_id = ix->threads || (!ix->limit.all && ix->limit.body);
	if (ix->threads)
		ui_view_build_threads(ui);
	else if (ix->by_id)
		ui_view_build_search(ui);
	else if (!ix->limit.all) {
		ui_index_query(ix, &q, true);
		if (cache_query_count(ui->cache, &q, &count, &err) != 0) {
			ui_status_set_message(ui, true, err.msg);
			count = 0;
		}
	}
	if (ix->by_id)
		count = (int64_t)ix->list.n;
	ui_scroll_set_count(&ix->sc, count, false);
}

/* Set or clear the limit from a typed pattern. */
void
ui_view_limit(struct ui *ui, const char *text)
{
	struct ui_index		*ix = &ui->index;
	struct ui_pattern	 p;
	const char		*why;

	if (ix->folder_id == 0)
		return;
	if (ui_pattern_parse(text, &p, &why) != 0) {
		ui_status_set_message(ui, true, _(why));
		return;
	}
	ui_pattern_fini(&ix->limit);
	ix->limit = p;
	free(ix->limit_text);
	ix->limit_text = p.all ? NULL : sanitize_line_dup(text);
	ui_idset_fini(&ix->found);
	ix->searching = false;
	if (!p.all && p.body) {
		ix->searching = true;
		ui_submit_text(ui, ix->account, WORKER_SEARCH, ix->folder_id,
		    p.text);
		ui_status_set_message(ui, false,
		    _("Searching the server as well..."));
	}
	ui_index_relist(ui);
}

/* The server's ~b matches arrived: merge them in. */
void
ui_view_search_done(struct ui *ui, int64_t folder_id, const int64_t *ids,
    size_t n)
{
	struct ui_index	*ix = &ui->index;
	char		*s;

	if (folder_id != ix->folder_id || ix->limit.all || !ix->limit.body)
		return;
	ui_idset_clear(&ix->found);
	ui_idset_add_many(&ix->found, ids, n);
	ix->searching = false;
	ui_index_refresh(ui);
	s = xasprintf(_("The server found %zu matching messages."), n);
	ui_status_set_message(ui, false, s);
	free(s);
}

/* The sort menu's answer: d, f, s, z (size) or t (threads). */
void
ui_view_sort_key(struct ui *ui, int key)
{
	struct ui_index	*ix = &ui->index;

	switch (key) {
	case 'd':
		ix->sort = CACHE_SORT_DATE;
		break;
	case 'f':
		ix->sort = CACHE_SORT_FROM;
		break;
	case 's':
		ix->sort = CACHE_SORT_SUBJECT;
		break;
	case 'z':
		ix->sort = CACHE_SORT_SIZE;
		break;
	case 't':
		ix->threads = true;
		ix->sort = CACHE_SORT_DATE;
		ui_index_refresh(ui);
		return;
	default:
		ui_status_set_message(ui, false, _("Not sorted."));
		return;
	}
	ix->threads = false;
	ui_index_refresh(ui);
}

/* Reverse the order (in thread mode: the threads' order). */
void
ui_view_reverse(struct ui *ui)
{
	ui->index.reverse = !ui->index.reverse;
	ui_index_refresh(ui);
}

/* Collapse or expand the cursor's thread (all: every thread). */
bool
ui_view_collapse(struct ui *ui, bool all)
{
	struct ui_index	*ix = &ui->index;
	struct ui_idlist *l = &ix->list;
	size_t		 root;

	if (!ix->threads || l->depth == NULL) {
		ui_status_set_message(ui, false,
		    _("Threads are off: press o then t."));
		return false;
	}
	if (!ix->limit.all) {
		ui_status_set_message(ui, false,
		    _("Threads stay expanded while a limit is on."));
		return false;
	}
	if (l->n == 0 || ix->sc.cursor >= (int64_t)l->n)
		return false;
	root = ui_tree_root(l->depth, (size_t)ix->sc.cursor);
	if (all) {
		/* As mutt: on a collapsed thread expand all, else collapse. */
		ix->collapse_all = l->hidden[root] == 0;
		ui_idset_clear(&ix->flip);
	} else
		ui_idset_toggle(&ix->flip, l->ids[root]);
	/* Stay on the thread's root, which stays visible. */
	ix->sc.cursor = (int64_t)root;
	ix->moved = true;
	ui_index_invalidate(ix);
	ui_index_refresh(ui);
	return true;
}

/* The tree prefix of a shown row (thread mode). */
void
ui_view_tree_prefix(struct ui *ui, size_t row, char *out, size_t size)
{
	const struct ui_idlist	*l = &ui->index.list;

	if (l->depth == NULL || l->more == NULL) {
		if (size > 0)
			out[0] = '\0';
		return;
	}
	ui_tree_prefix(l->depth, l->more, l->n, row, ui->ascii_tree, out,
	    size);
}

/* The order's name for the status line. */
const char *
ui_view_sort_name(const struct ui_index *ix)
{
	if (ix->threads)
		return _("threads");
	switch (ix->sort) {
	case CACHE_SORT_FROM:
		return _("from");
	case CACHE_SORT_SUBJECT:
		return _("subject");
	case CACHE_SORT_SIZE:
		return _("size");
	case CACHE_SORT_DATE:
		break;
	}
	return _("date");
}
