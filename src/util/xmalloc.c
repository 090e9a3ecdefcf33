/*
 * xmalloc.c - allocation wrappers that abort on failure.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xmalloc.h"

static void
xmalloc_die(size_t n)
{
	fprintf(stderr, "petrel: out of memory (%zu bytes)\n", n);
	abort();
}

/* malloc or abort; a zero size still returns a unique pointer. */
void *
xmalloc(size_t n)
{
	void	*p;

	p = malloc(n ? n : 1);
	if (p == NULL)
		xmalloc_die(n);
	return p;
}

/* calloc or abort. */
void *
xcalloc(size_t nmemb, size_t size)
{
	void	*p;

	p = calloc(nmemb ? nmemb : 1, size ? size : 1);
	if (p == NULL)
		xmalloc_die(nmemb * size);
	return p;
}

/* realloc or abort. */
void *
xrealloc(void *old, size_t n)
{
	void	*p;

	p = realloc(old, n ? n : 1);
	if (p == NULL)
		xmalloc_die(n);
	return p;
}

/* realloc of an array, checking the multiplication. */
void *
xreallocarray(void *old, size_t nmemb, size_t size)
{
	if (size != 0 && nmemb > SIZE_MAX / size)
		xmalloc_die(SIZE_MAX);
	return xrealloc(old, nmemb * size);
}

/* strdup or abort. */
char *
xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

/* Copy at most n bytes of s into a new NUL-terminated string. */
char *
xstrndup(const char *s, size_t n)
{
	char	*p;
	size_t	 len;

	len = strnlen(s, n);
	p = xmalloc(len + 1);
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

/* Format into a new string. */
char *
xasprintf(const char *fmt, ...)
{
	va_list	 ap;
	int	 n;
	char	*p;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		xmalloc_die(0);
	p = xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

/* Wipe len bytes; the volatile pointer keeps the stores. */
void
xwipe(void *p, size_t len)
{
	volatile unsigned char	*v = p;

	while (len-- > 0)
		*v++ = 0;
}

/* Wipe a secret string and free it. */
void
xfree_secret(char *s)
{
	if (s == NULL)
		return;
	xwipe(s, strlen(s));
	free(s);
}
