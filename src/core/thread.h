/*
 * thread.h - message threading for the message list (JWZ's algorithm, as
 * in mutt and NeoMutt: https://www.jwz.org/doc/threading.html).
 *
 * thread_build takes what cache_thread_rows returns for a folder and gives
 * the display order: each thread's messages in tree order (a parent before
 * its replies, replies oldest first), threads ordered by their newest
 * message, oldest thread first (like the date-sorted list, so new mail and
 * threads with new replies are at the bottom) or newest first with
 * THREAD_NEWEST_FIRST.  Pure: no I/O, no globals, no cache access; the
 * rows are only read during the call.
 *
 * Bounded on hostile input: reference cycles and self-references are
 * broken, duplicate message-ids get their own thread position, only the
 * last THREAD_MAX_REFS ids of a References field are used, and no walk
 * recurses (a chain 100,000 replies deep is fine).
 *
 * A message whose parent is not in the folder is shown at the parent's
 * place: when several replies share a missing parent, the oldest one heads
 * the thread and the others are drawn as its children, flagged
 * THREAD_MISSING.
 */
#ifndef PETREL_THREAD_H
#define PETREL_THREAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cache/cache.h"

/* No node: a thread's top has no parent; thread_find found nothing. */
#define THREAD_NONE		SIZE_MAX
/* References ids used per message (the last ones: nearest ancestors). */
#define THREAD_MAX_REFS		32

/* thread_build options. */
#define THREAD_BY_SUBJECT	0x1u	/* join "Re:" roots by subject */
#define THREAD_NEWEST_FIRST	0x2u	/* threads newest first */

/* Node flags. */
#define THREAD_LAST		0x01u	/* last of its siblings (draw └) */
#define THREAD_MISSING		0x02u	/* its real parent is not here */
#define THREAD_SUBJECT		0x04u	/* joined by subject, not References */
#define THREAD_COLLAPSED	0x08u	/* descendants hidden */

/* One row of the threaded list, in display order. */
struct thread_node {
	int64_t	 msg_id;	/* cache message id */
	size_t	 row;		/* index in the rows given to thread_build */
	size_t	 parent;	/* display index, THREAD_NONE at a thread top */
	size_t	 size;		/* nodes in this subtree, itself included */
	unsigned depth;		/* 0 at a thread top */
	unsigned flags;		/* THREAD_LAST... */
};

struct thread {
	struct thread_node	*nodes;		/* n, display order */
	size_t			 n;
	size_t			*by_msg;	/* node indexes by msg_id */
};

/* Thread n rows (any order); never NULL.  Free with thread_free. */
struct thread	*thread_build(const struct cache_thread_row *rows, size_t n,
		     unsigned options);
void		 thread_free(struct thread *);
/* The display index of a message, or THREAD_NONE. */
size_t		 thread_find(const struct thread *, int64_t msg_id);
/* The display index of the top of node i's thread. */
size_t		 thread_top(const struct thread *, size_t i);
/* Collapse (hide the descendants of) or expand node i. */
void		 thread_set_collapsed(struct thread *, size_t i, bool);
/* Collapse or expand every thread top that has replies. */
void		 thread_collapse_all(struct thread *, bool);
/*
 * The display indexes of the visible nodes (those under no collapsed
 * ancestor) into out, which has room for t->n; returns how many.  The UI
 * shows node->size - 1 hidden replies beside a collapsed node.
 */
size_t		 thread_visible(const struct thread *, size_t *out);
/*
 * The tree drawn before node i's subject, NUL-terminated in buf: UTF-8
 * ("│ ├─>", "└*>" joined by subject, "├?>" missing parent) or ASCII
 * ("| |->", "`*>", "|?>").  Empty for a thread top.  Only whole characters
 * that fit are written; returns the bytes written.
 */
size_t		 thread_prefix(const struct thread *, size_t i, bool ascii,
		     char *buf, size_t len);

#endif
