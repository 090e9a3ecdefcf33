/*
 * ui_idset.h - a sorted set of message row ids (tags, search results).
 *
 * Pure code: an array kept sorted, looked up by binary search.  Bulk
 * additions append then sort once, so tagging 100,000 messages costs
 * O(n log n), not O(n^2).
 */
#ifndef PETREL_UI_IDSET_H
#define PETREL_UI_IDSET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ui_idset {
	int64_t	*v;
	size_t	 n;
	size_t	 alloc;
};

/* Is id in the set? */
bool	 ui_idset_has(const struct ui_idset *, int64_t id);
/* Add or remove one id; true if the set changed. */
bool	 ui_idset_add(struct ui_idset *, int64_t id);
bool	 ui_idset_remove(struct ui_idset *, int64_t id);
/* Add id if absent, else remove it; true if it is in the set now. */
bool	 ui_idset_toggle(struct ui_idset *, int64_t id);
/* Add n ids (any order, duplicates allowed). */
void	 ui_idset_add_many(struct ui_idset *, const int64_t *ids, size_t n);
/* Remove n ids (any order). */
void	 ui_idset_remove_many(struct ui_idset *, const int64_t *ids,
	     size_t n);
/* Empty the set (keeps the allocation) / free it. */
void	 ui_idset_clear(struct ui_idset *);
void	 ui_idset_fini(struct ui_idset *);

#endif
