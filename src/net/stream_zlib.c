/*
 * stream_zlib.c - raw DEFLATE over a lower stream (RFC 4978 COMPRESS).
 *
 * Owns two zlib streams, both raw (windowBits -15, no zlib header, as
 * RFC 4978 section 3 requires): deflate for writes, each write finished
 * with Z_SYNC_FLUSH so the peer can act on it at once, and inflate for
 * reads, fed from a fixed input buffer.  A read returns at most the
 * caller's n bytes of inflated data, so a "zip bomb" costs time, never
 * memory.  Corrupt input is a protocol error for the whole account.
 * Bytes are not interpreted here.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "net/stream_zlib.h"
#include "util/xmalloc.h"

#define ZLIB_IN_SIZE	(16 * 1024)
#define ZLIB_OUT_SIZE	(16 * 1024)

struct stream_zlib {
	struct stream	 base;		/* first */
	z_stream	 inf;
	z_stream	 def;
	unsigned char	*in;		/* compressed bytes read */
	size_t		 in_size;
	bool		 more;		/* inflate may hold more output */
	bool		 eof;		/* the deflate stream ended */
};

/* Fail on a zlib error. */
static int
stream_zlib_fail(struct stream_zlib *z, const char *what, int zrc,
    struct error *err)
{
	return error_set(err, ERR_PROTOCOL, ERR_SCOPE_ACCOUNT,
	    "%s: compressed stream: %s failed (%d: %s)",
	    z->base.peer != NULL ? z->base.peer : "?", what, zrc,
	    z->inf.msg != NULL ? z->inf.msg : "no message");
}

/* Read more compressed bytes from below; 0 at the end of the stream. */
static ssize_t
stream_zlib_fill(struct stream_zlib *z, struct error *err)
{
	ssize_t	 n;

	if (z->inf.avail_in > 0 && z->inf.next_in != z->in)
		memmove(z->in, z->inf.next_in, z->inf.avail_in);
	z->inf.next_in = z->in;
	n = stream_read(z->base.lower, z->in + z->inf.avail_in,
	    z->in_size - z->inf.avail_in, err);
	if (n > 0)
		z->inf.avail_in += (uInt)n;
	return n;
}

/* Inflate up to n bytes into p, reading below as needed. */
static ssize_t
stream_zlib_read(struct stream *s, void *p, size_t n, struct error *err)
{
	struct stream_zlib	*z = (struct stream_zlib *)s;
	bool			 need = z->inf.avail_in == 0 && !z->more;
	size_t			 got;
	ssize_t			 r;
	int			 zrc;

	if (n > UINT32_MAX)
		n = UINT32_MAX;
	for (;;) {
		if (z->eof)
			return 0;
		if (need) {
			if (z->inf.avail_in == z->in_size)
				return stream_zlib_fail(z, "inflate (stuck)",
				    Z_BUF_ERROR, err);
			if ((r = stream_zlib_fill(z, err)) <= 0)
				return r;
		}
		z->inf.next_out = p;
		z->inf.avail_out = (uInt)n;
		zrc = inflate(&z->inf, Z_SYNC_FLUSH);
		got = n - z->inf.avail_out;
		z->more = z->inf.avail_out == 0;
		if (zrc == Z_STREAM_END)
			z->eof = true;
		else if (zrc != Z_OK && zrc != Z_BUF_ERROR)
			return stream_zlib_fail(z, "inflate", zrc, err);
		if (got > 0)
			return (ssize_t)got;
		need = true;	/* all input used up without output */
	}
}

/* Deflate all of p, flush, and write the result below. */
static ssize_t
stream_zlib_write(struct stream *s, const void *p, size_t n,
    struct error *err)
{
	struct stream_zlib	*z = (struct stream_zlib *)s;
	unsigned char		 out[ZLIB_OUT_SIZE];
	size_t			 chunk = n > UINT32_MAX ? UINT32_MAX : n;
	int			 zrc;

	z->def.next_in = (Bytef *)(uintptr_t)p;
	z->def.avail_in = (uInt)chunk;
	do {
		z->def.next_out = out;
		z->def.avail_out = sizeof out;
		zrc = deflate(&z->def, Z_SYNC_FLUSH);
		if (zrc != Z_OK && zrc != Z_BUF_ERROR)
			return stream_zlib_fail(z, "deflate", zrc, err);
		if (stream_write_all(z->base.lower, out,
		    sizeof out - z->def.avail_out, err) == -1)
			return -1;
	} while (z->def.avail_out == 0 || z->def.avail_in > 0);
	return (ssize_t)chunk;
}

/* Bytes that may be readable without waiting on the socket. */
static size_t
stream_zlib_pending(struct stream *s)
{
	struct stream_zlib	*z = (struct stream_zlib *)s;

	if (z->more || z->inf.avail_in > 0)
		return 1;
	return stream_pending(z->base.lower);
}

/* Free the layer and everything below. */
static void
stream_zlib_free(struct stream *s)
{
	struct stream_zlib	*z = (struct stream_zlib *)s;

	inflateEnd(&z->inf);
	deflateEnd(&z->def);
	stream_free(z->base.lower);
	free(z->in);
	free(z);
}

static const struct stream_ops stream_zlib_ops = {
	.name = "zlib",
	.read = stream_zlib_read,
	.write = stream_zlib_write,
	.pending = stream_zlib_pending,
	.free = stream_zlib_free,
};

/* Put a raw deflate layer on *s. */
int
stream_zlib_start(struct stream **s, const void *pre, size_t prelen,
    struct error *err)
{
	struct stream_zlib	*z;
	struct stream		*lower = *s;

	z = xcalloc(1, sizeof *z);
	z->in_size = prelen > ZLIB_IN_SIZE ? prelen : ZLIB_IN_SIZE;
	z->in = xmalloc(z->in_size);
	if (inflateInit2(&z->inf, -MAX_WBITS) != Z_OK) {
		free(z->in);
		free(z);
		return error_set(err, ERR_SYS, ERR_SCOPE_ACCOUNT,
		    "zlib: inflateInit2 failed");
	}
	if (deflateInit2(&z->def, Z_DEFAULT_COMPRESSION, Z_DEFLATED,
	    -MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
		inflateEnd(&z->inf);
		free(z->in);
		free(z);
		return error_set(err, ERR_SYS, ERR_SCOPE_ACCOUNT,
		    "zlib: deflateInit2 failed");
	}
	if (prelen > 0)
		memcpy(z->in, pre, prelen);
	z->inf.next_in = z->in;
	z->inf.avail_in = (uInt)prelen;
	z->base.ops = &stream_zlib_ops;
	z->base.lower = lower;
	z->base.fd = lower->fd;
	z->base.timeout_ms = lower->timeout_ms;
	z->base.wake_fd = lower->wake_fd;
	z->base.peer = lower->peer;
	*s = &z->base;
	return 0;
}
