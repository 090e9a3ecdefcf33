/*
 * ui_idset.c - a sorted set of message row ids.
 *
 * Owns nothing but its array; see ui_idset.h.
 */
#include <stdlib.h>
#include <string.h>

#include "ui/ui_idset.h"
#include "util/xmalloc.h"

/* qsort order of int64_t. */
static int
ui_idset_cmp(const void *a, const void *b)
{
	int64_t	x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

/* The index of the first element >= id. */
static size_t
ui_idset_lower(const struct ui_idset *s, int64_t id)
{
	size_t	lo = 0, hi = s->n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (s->v[mid] < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Make room for more ids. */
static void
ui_idset_grow(struct ui_idset *s, size_t more)
{
	size_t	want = s->n + more;

	if (want <= s->alloc)
		return;
	if (want < s->alloc * 2)
		want = s->alloc * 2;
	if (want < 16)
		want = 16;
	s->v = xreallocarray(s->v, want, sizeof *s->v);
	s->alloc = want;
}

/* Is id in the set? */
bool
ui_idset_has(const struct ui_idset *s, int64_t id)
{
	size_t	i = ui_idset_lower(s, id);

	return i < s->n && s->v[i] == id;
}

/* Add one id. */
bool
ui_idset_add(struct ui_idset *s, int64_t id)
{
	size_t	i = ui_idset_lower(s, id);

	if (i < s->n && s->v[i] == id)
		return false;
	ui_idset_grow(s, 1);
	memmove(&s->v[i + 1], &s->v[i], (s->n - i) * sizeof *s->v);
	s->v[i] = id;
	s->n++;
	return true;
}

/* Remove one id. */
bool
ui_idset_remove(struct ui_idset *s, int64_t id)
{
	size_t	i = ui_idset_lower(s, id);

	if (i >= s->n || s->v[i] != id)
		return false;
	memmove(&s->v[i], &s->v[i + 1], (s->n - i - 1) * sizeof *s->v);
	s->n--;
	return true;
}

/* Flip one id's membership. */
bool
ui_idset_toggle(struct ui_idset *s, int64_t id)
{
	if (ui_idset_remove(s, id))
		return false;
	ui_idset_add(s, id);
	return true;
}

/* Append many, then sort and drop duplicates once. */
void
ui_idset_add_many(struct ui_idset *s, const int64_t *ids, size_t n)
{
	size_t	i, j;

	if (n == 0)
		return;
	ui_idset_grow(s, n);
	memcpy(&s->v[s->n], ids, n * sizeof *ids);
	s->n += n;
	qsort(s->v, s->n, sizeof *s->v, ui_idset_cmp);
	for (i = 1, j = 1; i < s->n; i++) {
		if (s->v[i] != s->v[j - 1])
			s->v[j++] = s->v[i];
	}
	s->n = j;
}

/* Remove many: mark by binary search, then compact once. */
void
ui_idset_remove_many(struct ui_idset *s, const int64_t *ids, size_t n)
{
	struct ui_idset	drop = { NULL, 0, 0 };
	size_t		i, j;

	if (n == 0 || s->n == 0)
		return;
	ui_idset_add_many(&drop, ids, n);
	for (i = 0, j = 0; i < s->n; i++) {
		if (!ui_idset_has(&drop, s->v[i]))
			s->v[j++] = s->v[i];
	}
	s->n = j;
	ui_idset_fini(&drop);
}

/* Empty the set. */
void
ui_idset_clear(struct ui_idset *s)
{
	s->n = 0;
}

/* Free the set. */
void
ui_idset_fini(struct ui_idset *s)
{
	free(s->v);
	memset(s, 0, sizeof *s);
}
