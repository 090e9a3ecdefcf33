/*
 * stream_zlib.h - a raw DEFLATE layer (RFC 1951) on a stream, as IMAP
 * COMPRESS=DEFLATE (RFC 4978) wants it.
 *
 * Everything written is deflated and flushed (Z_SYNC_FLUSH) at the end of
 * each write, so a command is never stuck in the compressor; everything
 * read is inflated.  One read inflates at most the caller's n bytes, so a
 * small compressed input cannot make a read return (or allocate) more than
 * the caller asked for: memory is bounded by the caller's buffer.
 */
#ifndef PETREL_STREAM_ZLIB_H
#define PETREL_STREAM_ZLIB_H

#include <stddef.h>

#include "net/stream.h"
#include "util/error.h"

/*
 * Put the layer on top of *s (taking it over) and replace *s.  pre/prelen
 * are compressed bytes already read from *s (they are inflated first).
 */
int	 stream_zlib_start(struct stream **s, const void *pre, size_t prelen,
	     struct error *);

#endif
