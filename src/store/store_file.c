/*
 * store_file.c - bounded reads of message files and their cache rows.
 *
 * Shared by the Maildir and mbox drivers.  Everything read from a file is
 * untrusted: reads stop at the caller's maximum, and the header block is
 * parsed by src/mime (RFC 5322 3.6, RFC 2047), whose results the UI
 * sanitises on display.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mime/address.h"
#include "store/store_file.h"
#include "util/xmalloc.h"

/* Open a regular file for reading. */
int
store_file_open(const char *path, int *fd, struct stat *st,
    struct error *err)
{
	int	flags = O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY;

	*fd = open(path, flags | O_NOATIME);
	if (*fd == -1 && errno == EPERM)	/* not the owner */
		*fd = open(path, flags);
	if (*fd == -1) {
		if (errno == ENOENT)
			return 1;
		return error_sys(err, ERR_SCOPE_MESSAGE, errno, "%s", path);
	}
	if (fstat(*fd, st) == -1 || !S_ISREG(st->st_mode)) {
		close(*fd);
		*fd = -1;
		return error_set(err, ERR_PARSE, ERR_SCOPE_MESSAGE,
		    "%s is not a regular file", path);
	}
	return 0;
}

/* Read until EOF or max bytes are held. */
int
store_file_read(int fd, struct buf *b, size_t max, bool *eof,
    const char *path, struct error *err)
{
	char	*p;
	size_t	 want;
	ssize_t	 r;

	*eof = false;
	while (b->len < max) {
		want = max - b->len;
		if (want > 65536)
			want = 65536;
		if ((p = buf_reserve(b, want)) == NULL)
			return error_set(err, ERR_TOOBIG, ERR_SCOPE_MESSAGE,
			    "%s: too large", path);
		r = read(fd, p, want);
		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1)
			return error_sys(err, ERR_SCOPE_MESSAGE, errno,
			    "read %s", path);
		if (r == 0) {
			*eof = true;
			break;
		}
		buf_commit(b, (size_t)r);
	}
	return 0;
}

/* Up to and including the empty line that ends the header block. */
size_t
store_header_len(const char *p, size_t len)
{
	size_t	i;

	if (len > 0 && p[0] == '\n')
		return 1;
	if (len > 1 && p[0] == '\r' && p[1] == '\n')
		return 2;
	for (i = 0; i + 1 < len; i++) {
		if (p[i] != '\n')
			continue;
		if (p[i + 1] == '\n')
			return i + 2;
		if (p[i + 1] == '\r' && i + 2 < len && p[i + 2] == '\n')
			return i + 3;
	}
	return len;
}

/* A cache row from the start of a message. */
void
store_msg_fill(struct cache_msg *m, int64_t folder_id, const char *remote_id,
    const char *msg, size_t len, int64_t fallback_date, int64_t size,
    unsigned flags)
{
	struct mime_envelope	e;

	memset(m, 0, sizeof *m);
	mime_envelope_parse(msg, store_header_len(msg, len), &e);
	m->folder_id = folder_id;
	m->remote_id = xstrdup(remote_id);
	m->date = e.date != -1 ? e.date : fallback_date;
	/* The strings move into the row. */
	m->from_name = e.from_name;
	m->from_addr = e.from_addr;
	m->to = e.to;
	m->subject = e.subject;
	m->message_id = e.message_id;
	m->in_reply_to = e.in_reply_to;
	m->references = e.references;
	free(e.cc);
	m->size = size;
	m->flags = flags;
}

/* Create a directory unless it exists. */
int
store_mkdir(const char *path, struct error *err)
{
	struct stat	st;

	if (mkdir(path, 0700) == 0)
		return 0;
	if (errno == EEXIST && stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		return 0;
	return error_sys(err, ERR_SCOPE_FOLDER, errno, "mkdir %s", path);
}
