/*
 * ui_tree.c - collapsing and drawing thread trees (ui_tree.h).
 *
 * Pure code: every loop is bounded by n and the output size.
 */
#include <stdlib.h>
#include <string.h>

#include "ui/ui_tree.h"

/* A depth clamped to what is drawn. */
static unsigned
ui_tree_depth(uint16_t d)
{
	return d > UI_TREE_MAX_DEPTH ? UI_TREE_MAX_DEPTH : d;
}

/* Mark the rows that have a later sibling (one backward pass). */
void
ui_tree_more(const uint16_t *depth, size_t n, uint8_t *more)
{
	uint8_t		cont[UI_TREE_MAX_DEPTH + 1];
	unsigned	d, l;
	size_t		i;

	memset(cont, 0, sizeof cont);
	for (i = n; i-- > 0;) {
		d = ui_tree_depth(depth[i]);
		more[i] = cont[d];
		cont[d] = 1;
		/* Rows deeper than this one belong to it or come after. */
		for (l = d + 1; l <= UI_TREE_MAX_DEPTH; l++)
			cont[l] = 0;
	}
}

/* Append s to out if it fits (keeping room for the NUL). */
static void
ui_tree_put(char *out, size_t size, size_t *len, const char *s)
{
	size_t	k = strlen(s);

	if (*len + k + 1 > size)
		return;
	memcpy(out + *len, s, k);
	*len += k;
	out[*len] = '\0';
}

/* Build the prefix of row i (see ui_tree.h). */
size_t
ui_tree_prefix(const uint16_t *depth, const uint8_t *more, size_t n,
    size_t i, bool ascii, char *out, size_t size)
{
	uint8_t		anc[UI_TREE_MAX_DEPTH + 1];
	unsigned	d, l, want;
	size_t		len = 0, j;

	if (size == 0)
		return 0;
	out[0] = '\0';
	if (i >= n || (d = ui_tree_depth(depth[i])) == 0)
		return 0;
	/* Each ancestor level: does the ancestor there have a later sibling? */
	memset(anc, 0, sizeof anc);
	want = d - 1;
	for (j = i; j-- > 0 && want > 0;) {
		l = ui_tree_depth(depth[j]);
		while (want > 0 && l <= want) {
			if (l == want)
				anc[want] = more[j];
			want--;
		}
	}
	for (l = 1; l < d; l++)
		ui_tree_put(out, size, &len, anc[l] ? (ascii ? "| " :
		    "\xe2\x94\x82 ") : "  ");
	if (ascii)
		ui_tree_put(out, size, &len, more[i] ? "|->" : "`->");
	else
		ui_tree_put(out, size, &len, more[i] ?
		    "\xe2\x94\x9c\xe2\x94\x80>" : "\xe2\x94\x94\xe2\x94\x80>");
	return len;
}

/* Fold collapsed threads into their roots (see ui_tree.h). */
size_t
ui_tree_visible(const int64_t *ids, const uint16_t *depth, size_t n,
    bool collapse_all, const struct ui_idset *flip, size_t *rows,
    uint32_t *hidden)
{
	size_t	i, k = 0;
	bool	folded = false;

	for (i = 0; i < n; i++) {
		if (depth[i] == 0) {
			folded = collapse_all != (flip != NULL &&
			    ui_idset_has(flip, ids[i]));
		} else if (folded && k > 0) {
			if (hidden[k - 1] < UINT32_MAX)
				hidden[k - 1]++;
			continue;
		}
		rows[k] = i;
		hidden[k] = 0;
		k++;
	}
	return k;
}

/* The row that starts the thread holding row i. */
size_t
ui_tree_root(const uint16_t *depth, size_t i)
{
	while (i > 0 && depth[i] != 0)
		i--;
	return i;
}
