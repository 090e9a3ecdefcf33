/*
 * ui_thread.c - the thread order of a folder, from core/thread.c.
 *
 * The one place the UI calls the threading code: it reads the folder's
 * thread rows from the cache (cache_thread_rows: ids and reference
 * headers, no bodies), has core/thread.c link them (JWZ, joining "Re:"
 * roots by subject as mutt does by default) and keeps only the display
 * order and each message's depth; ui_tree.c folds and draws from those.
 */
#include <stdlib.h>

#include "core/thread.h"
#include "ui/ui_internal.h"
#include "util/xmalloc.h"

/* The folder's messages in thread order with their depths (see above). */
int
ui_thread_order(struct cache *cache, int64_t folder_id, bool newest_first,
    int64_t **ids, uint16_t **depth, size_t *n, struct error *err)
{
	struct cache_thread_row	*rows = NULL;
	struct thread		*t;
	size_t			 nrows = 0, i;

	*ids = NULL;
	*depth = NULL;
	*n = 0;
	if (cache_thread_rows(cache, folder_id, &rows, &nrows, err) != 0)
		return -1;
	t = thread_build(rows, nrows, THREAD_BY_SUBJECT |
	    (newest_first ? THREAD_NEWEST_FIRST : 0));
	*ids = xreallocarray(NULL, t->n > 0 ? t->n : 1, sizeof **ids);
	*depth = xreallocarray(NULL, t->n > 0 ? t->n : 1, sizeof **depth);
	for (i = 0; i < t->n; i++) {
		(*ids)[i] = t->nodes[i].msg_id;
		(*depth)[i] = t->nodes[i].depth > UINT16_MAX ? UINT16_MAX :
		    (uint16_t)t->nodes[i].depth;
	}
	*n = t->n;
	thread_free(t);
	cache_thread_rows_free(rows, nrows);
	return 0;
}
