/*
 * thread_view.c - what the message list does with a threading result:
 * find a message, collapse and expand threads, list the visible rows and
 * draw the tree prefix ("│ ├─>") before each subject.
 *
 * All of it works on the nodes thread_build wrote, in display order, where
 * a node's subtree is the node->size nodes starting at it; nothing here
 * walks more than a node's ancestors or the node array once.
 */
#include <string.h>

#include "core/thread.h"

/* Ancestor levels thread_prefix draws at most. */
#define THREAD_PREFIX_LEVELS 64

/* Find a message's node by binary search over by_msg. */
size_t
thread_find(const struct thread *t, int64_t msg_id)
{
	size_t	lo = 0, hi = t->n, mid;
	int64_t	id;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		id = t->nodes[t->by_msg[mid]].msg_id;
		if (id == msg_id)
			return t->by_msg[mid];
		if (id < msg_id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return THREAD_NONE;
}

/* Walk up to the top of a node's thread. */
size_t
thread_top(const struct thread *t, size_t i)
{
	if (i >= t->n)
		return THREAD_NONE;
	while (t->nodes[i].parent != THREAD_NONE)
		i = t->nodes[i].parent;
	return i;
}

/* Collapse or expand one node. */
void
thread_set_collapsed(struct thread *t, size_t i, bool collapsed)
{
	if (i >= t->n)
		return;
	if (collapsed)
		t->nodes[i].flags |= THREAD_COLLAPSED;
	else
		t->nodes[i].flags &= ~THREAD_COLLAPSED;
}

/* Collapse or expand every thread top with replies (expand: all nodes). */
void
thread_collapse_all(struct thread *t, bool collapsed)
{
	size_t	i;

	for (i = 0; i < t->n; i++) {
		if (!collapsed)
			t->nodes[i].flags &= ~THREAD_COLLAPSED;
		else if (t->nodes[i].parent == THREAD_NONE &&
		    t->nodes[i].size > 1)
			t->nodes[i].flags |= THREAD_COLLAPSED;
	}
}

/* List the visible nodes: a collapsed node hides the rest of its subtree. */
size_t
thread_visible(const struct thread *t, size_t *out)
{
	size_t	i = 0, n = 0;

	while (i < t->n) {
		out[n++] = i;
		if (t->nodes[i].flags & THREAD_COLLAPSED)
			i += t->nodes[i].size;
		else
			i++;
	}
	return n;
}

/* Append s to buf if all of it fits (with the NUL); 0 if not. */
static int
thread_put(char *buf, size_t len, size_t *pos, const char *s)
{
	size_t	n = strlen(s);

	if (*pos + n + 1 > len)
		return 0;
	memcpy(buf + *pos, s, n + 1);
	*pos += n;
	return 1;
}

/* Draw node i's tree prefix. */
size_t
thread_prefix(const struct thread *t, size_t i, bool ascii, char *buf,
    size_t len)
{
	const struct thread_node *node;
	bool		 bar[THREAD_PREFIX_LEVELS];
	size_t		 levels, k, a, pos = 0;
	const char	*corner, *mid;

	if (len == 0)
		return 0;
	buf[0] = '\0';
	if (i >= t->n || t->nodes[i].depth == 0)
		return 0;
	node = &t->nodes[i];
	/* Column k is the ancestor at depth k + 1: a bar if it has more. */
	levels = node->depth - 1;
	if (levels > THREAD_PREFIX_LEVELS)
		levels = THREAD_PREFIX_LEVELS;
	a = node->parent;
	for (k = levels; k-- > 0;) {
		bar[k] = !(t->nodes[a].flags & THREAD_LAST);
		a = t->nodes[a].parent;
	}
	for (k = 0; k < levels; k++) {
		if (!thread_put(buf, len, &pos, bar[k] ? (ascii ? "| " :
		    "\xe2\x94\x82 ") : "  "))
			return pos;
	}
	if (node->flags & THREAD_LAST)
		corner = ascii ? "`" : "\xe2\x94\x94";		/* └ */
	else
		corner = ascii ? "|" : "\xe2\x94\x9c";		/* ├ */
	if (node->flags & THREAD_SUBJECT)
		mid = "*";
	else if (node->flags & THREAD_MISSING)
		mid = "?";
	else
		mid = ascii ? "-" : "\xe2\x94\x80";		/* ─ */
	if (thread_put(buf, len, &pos, corner) &&
	    thread_put(buf, len, &pos, mid))
		thread_put(buf, len, &pos, ">");
	return pos;
}
