/*
 * buf.h - a bounded, growable byte buffer with a sticky "too big" flag.
 *
 * Every buffer filled from a network peer, a message or a file has a
 * maximum.  An append that would pass it fails, sets too_big and leaves the
 * buffer as it was; later appends keep failing until buf_reset.  The data is
 * always NUL-terminated (the NUL is not counted in len), so text can be used
 * as a C string, but the buffer itself may hold NUL bytes.
 */
#ifndef PETREL_BUF_H
#define PETREL_BUF_H

#include <stdbool.h>
#include <stddef.h>

struct buf {
	char	*data;		/* NULL until the first append */
	size_t	 len;
	size_t	 cap;
	size_t	 max;		/* maximum len; 0 means SIZE_MAX/2 */
	bool	 too_big;	/* sticky: an append went past max */
};

#define BUF_INITIALIZER(m) { NULL, 0, 0, (m), false }

void	 buf_init(struct buf *, size_t max);
/* Free the data (wiping it first if it may hold a secret: buf_fini_secret). */
void	 buf_fini(struct buf *);
void	 buf_fini_secret(struct buf *);
/* Empty the buffer and clear too_big; keeps the allocation. */
void	 buf_reset(struct buf *);
/* Append; -1 (and too_big set) if it would exceed max. */
int	 buf_add(struct buf *, const void *, size_t);
int	 buf_addc(struct buf *, char);
int	 buf_adds(struct buf *, const char *);
int	 buf_printf(struct buf *, const char *, ...)
	     __attribute__((format(printf, 2, 3)));
/* Make room for n more bytes; returns where to write them, or NULL. */
char	*buf_reserve(struct buf *, size_t n);
/* Count n bytes written into the space from buf_reserve. */
void	 buf_commit(struct buf *, size_t n);
/* Drop the first n bytes (n <= len). */
void	 buf_consume(struct buf *, size_t n);
/* The contents as a C string ("" when empty); borrowed. */
const char *buf_str(const struct buf *);
/* Move the contents out as a malloc'd NUL-terminated string; buffer empties. */
char	*buf_take(struct buf *);

#endif
