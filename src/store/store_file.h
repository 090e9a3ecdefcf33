/*
 * store_file.h - reading message files for the local stores, bounded.
 *
 * A message file is opened without blocking (a FIFO planted in a Maildir
 * must not hang the worker) and only if it is a regular file; reads are
 * bounded by the caller's maximum, never by the file's size.  The cache
 * row of a message is built from its header block the same way for
 * Maildir and mbox (mime_envelope_parse), so both show what IMAP shows.
 */
#ifndef PETREL_STORE_FILE_H
#define PETREL_STORE_FILE_H

#include <sys/stat.h>

#include <stddef.h>
#include <stdint.h>

#include "cache/cache.h"
#include "util/buf.h"
#include "util/error.h"

/* The most of a message read to find its header block. */
#define STORE_HEADER_MAX	(64 * 1024)

/*
 * Open a regular file read-only (O_NOATIME when allowed, so reading mail
 * does not make it look read to biff and shells).  0 with *fd and *st set,
 * 1 if it does not exist (any more), -1 on error.
 */
int	 store_file_open(const char *path, int *fd, struct stat *st,
	     struct error *);
/*
 * Append from fd to b until EOF or until b holds max bytes; -1 on a read
 * error.  *eof tells whether the end of the file was reached.
 */
int	 store_file_read(int fd, struct buf *b, size_t max, bool *eof,
	     const char *path, struct error *);
/* The length of a message's header block, its empty line included. */
size_t	 store_header_len(const char *msg, size_t len);
/*
 * Fill a cache row from the start of a message (at least its header
 * block): the envelope, Date: (else fallback_date), size and flags.  The
 * row owns copies of everything.
 */
void	 store_msg_fill(struct cache_msg *, int64_t folder_id,
	     const char *remote_id, const char *msg, size_t len,
	     int64_t fallback_date, int64_t size, unsigned flags);
/* Create a directory if missing (mode 0700); -1 on error. */
int	 store_mkdir(const char *path, struct error *);

#endif
