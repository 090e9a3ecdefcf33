/*
 * xmalloc.h - allocation that aborts on failure, and secret wiping.
 *
 * petrel treats running out of memory as fatal: every buffer fed from the
 * network or a file has its own maximum (see buf.h), so an allocation that
 * fails here means the machine is out of memory, not that a peer was hostile.
 */
#ifndef PETREL_XMALLOC_H
#define PETREL_XMALLOC_H

#include <stddef.h>

void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xrealloc(void *, size_t);
void	*xreallocarray(void *, size_t, size_t);
char	*xstrdup(const char *);
char	*xstrndup(const char *, size_t);
/* Like asprintf; returns the new string. */
char	*xasprintf(const char *, ...) __attribute__((format(printf, 1, 2)));
/* Wipe a secret string (may be NULL) and free it. */
void	 xfree_secret(char *);
/* Wipe len bytes in a way the compiler keeps. */
void	 xwipe(void *, size_t);

#endif
