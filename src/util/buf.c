/*
 * buf.c - bounded growable buffer.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "xmalloc.h"

/* Start empty with a maximum (0: effectively unbounded). */
void
buf_init(struct buf *b, size_t max)
{
	b->data = NULL;
	b->len = b->cap = 0;
	b->max = max;
	b->too_big = false;
}

/* Free the data. */
void
buf_fini(struct buf *b)
{
	free(b->data);
	buf_init(b, b->max);
}

/* Wipe and free the data. */
void
buf_fini_secret(struct buf *b)
{
	if (b->data != NULL)
		xwipe(b->data, b->cap);
	buf_fini(b);
}

/* Empty the buffer, clear too_big, keep the allocation. */
void
buf_reset(struct buf *b)
{
	b->len = 0;
	b->too_big = false;
	if (b->data != NULL)
		b->data[0] = '\0';
}

static size_t
buf_limit(const struct buf *b)
{
	return b->max ? b->max : SIZE_MAX / 2;
}

/* Make room for n more bytes plus the NUL; NULL if over max. */
char *
buf_reserve(struct buf *b, size_t n)
{
	size_t	need, cap;

	if (b->too_big)
		return NULL;
	if (n > buf_limit(b) - b->len) {
		b->too_big = true;
		return NULL;
	}
	need = b->len + n + 1;
	if (need > b->cap) {
		cap = b->cap ? b->cap : 64;
		while (cap < need)
			cap = cap > SIZE_MAX / 4 ? need : cap * 2;
		b->data = xrealloc(b->data, cap);
		b->cap = cap;
	}
	return b->data + b->len;
}

/* Count n bytes written after buf_reserve. */
void
buf_commit(struct buf *b, size_t n)
{
	b->len += n;
	b->data[b->len] = '\0';
}

/* Append bytes. */
int
buf_add(struct buf *b, const void *p, size_t n)
{
	char	*dst;

	if ((dst = buf_reserve(b, n)) == NULL)
		return -1;
	if (n > 0)
		memcpy(dst, p, n);
	buf_commit(b, n);
	return 0;
}

/* Append one byte. */
int
buf_addc(struct buf *b, char c)
{
	return buf_add(b, &c, 1);
}

/* Append a C string. */
int
buf_adds(struct buf *b, const char *s)
{
	return buf_add(b, s, strlen(s));
}

/* Append formatted text. */
int
buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list	 ap;
	int	 n;
	char	*dst;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return -1;
	if ((dst = buf_reserve(b, (size_t)n)) == NULL)
		return -1;
	va_start(ap, fmt);
	vsnprintf(dst, (size_t)n + 1, fmt, ap);
	va_end(ap);
	buf_commit(b, (size_t)n);
	return 0;
}

/* Drop the first n bytes. */
void
buf_consume(struct buf *b, size_t n)
{
	if (n >= b->len) {
		b->len = 0;
		if (b->data != NULL)
			b->data[0] = '\0';
		return;
	}
	memmove(b->data, b->data + n, b->len - n);
	b->len -= n;
	b->data[b->len] = '\0';
}

/* The contents as a C string; borrowed. */
const char *
buf_str(const struct buf *b)
{
	return b->data != NULL ? b->data : "";
}

/* Move the contents out as a new string. */
char *
buf_take(struct buf *b)
{
	char	*p;

	p = b->data != NULL ? b->data : xstrdup("");
	buf_init(b, b->max);
	return p;
}
