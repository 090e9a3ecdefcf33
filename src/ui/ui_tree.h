/*
 * ui_tree.h - thread trees for the message list: what to show, how to draw.
 *
 * Pure code over a thread order: the messages in display order (each
 * thread's root, then its replies depth-first) with each one's depth (0 for
 * a root).  The threading itself (JWZ) is core/thread.c's; this file only
 * collapses threads and draws the tree prefixes:
 *
 *     root
 *     ├─>reply
 *     │ └─>reply to the reply
 *     └─>second reply
 *
 * (or "|->", "`->" with ascii).  Depths may jump (a limit hides the
 * messages between); the drawing stays sensible.
 */
#ifndef PETREL_UI_TREE_H
#define PETREL_UI_TREE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ui/ui_idset.h"

/* Deeper levels are drawn as if at this depth. */
#define UI_TREE_MAX_DEPTH	16
/* Room for the longest prefix (3 bytes a box character), with the NUL. */
#define UI_TREE_PREFIX_MAX	(UI_TREE_MAX_DEPTH * 2 * 3 + 16)

/* more[i] = 1 when a later row at depth[i] follows before a shallower row. */
void	 ui_tree_more(const uint16_t *depth, size_t n, uint8_t *more);

/*
 * The prefix for row i (the rows' depth and more arrays, n rows): ancestors'
 * lines then the branch; "" for a root.  Returns its length.
 */
size_t	 ui_tree_prefix(const uint16_t *depth, const uint8_t *more, size_t n,
	     size_t i, bool ascii, char *out, size_t size);

/*
 * The rows to show when the threads whose root id is collapsed are folded
 * into their root: a thread is collapsed when collapse_all differs from
 * whether its root is in flip.  rows[] gets the indexes shown (at most n),
 * hidden[] (same positions) how many replies each row hides.  Returns the
 * number of rows.
 */
size_t	 ui_tree_visible(const int64_t *ids, const uint16_t *depth, size_t n,
	     bool collapse_all, const struct ui_idset *flip, size_t *rows,
	     uint32_t *hidden);

/* The root row of the thread holding row i (scans back to depth 0). */
size_t	 ui_tree_root(const uint16_t *depth, size_t i);

#endif
