/*
 * mbox_split.c - finding the messages of an mbox (RFC 4155), the remote
 * ids petrel gives them, undoing ">From " quoting and reading the
 * Status:/X-Status: flags.
 *
 * Pure: no I/O, no globals; the splitter holds at most one line of
 * MBOX_LINE_MAX bytes whatever it is fed, so a file of any size is read
 * in bounded memory by the driver.  Content-Length: is ignored (it is
 * often wrong, and trusting it lets one message hide the next).
 *
 * A message ends with an empty line before the next separator (RFC 4155
 * appendix A); that line is not part of the message.  At the end of the
 * file a final empty line is dropped the same way and a last line without
 * its newline is kept.  A separator line cut off by the end of the file
 * (a delivery still being written) starts no message.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cache/cache.h"
#include "mime/mime.h"
#include "store/mbox.h"

/* FNV-1a 64. */
uint64_t
mbox_fnv(uint64_t h, const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)p[i];
		h *= UINT64_C(1099511628211);
	}
	return h;
}

/* Start at offset, at the start of a line. */
void
mbox_split_init(struct mbox_split *sp, uint64_t offset, mbox_msg_fn on_msg,
    mbox_data_fn on_data, void *arg)
{
	memset(sp, 0, sizeof *sp);
	sp->on_msg = on_msg;
	sp->on_data = on_data;
	sp->arg = arg;
	sp->offset = offset;
	sp->mode = MBOX_DATA;
	sp->bol = true;
	sp->prev_empty = true;	/* the input's first line may be one */
}

/* Bytes of the current message (before the first one: junk). */
static int
mbox_split_data(struct mbox_split *sp, const char *p, size_t n)
{
	if (n == 0)
		return 0;
	if (!sp->have) {
		sp->junk += n;
		return 0;
	}
	return sp->on_data != NULL ? sp->on_data(sp->arg, p, n) : 0;
}

/* A separator starts at line_start: the open message ends before it. */
static int
mbox_split_close(struct mbox_split *sp, bool after_empty)
{
	int	rc = 0;

	if (sp->have) {
		sp->cur.end = sp->line_start - (after_empty ? sp->prev_len : 0);
		sp->have = false;
		rc = sp->on_msg(sp->arg, &sp->cur);
	}
	sp->cur.start = sp->line_start;
	return rc;
}

/* The separator's '\n' is at offset: its message opens after it. */
static void
mbox_split_open(struct mbox_split *sp, uint64_t hash)
{
	sp->cur.body = sp->offset + 1;
	sp->cur.hash = hash;
	sp->have = true;
	sp->mode = MBOX_DATA;
	sp->bol = true;
	sp->prev_empty = false;
	sp->prev_len = 0;
	sp->line_len = 0;
}

/* A line of data ended with '\n'. */
static void
mbox_split_eol(struct mbox_split *sp)
{
	sp->prev_empty = sp->line_len == 0 || (sp->line_len == 1 &&
	    sp->last == '\r');
	sp->prev_len = sp->line_len + 1;
	sp->line_len = 0;
	sp->bol = true;
}

/* Whether a line (without '\n') is a From_ line: sender, time, year. */
static bool
mbox_from_valid(const char *l, size_t n)
{
	size_t	i = 5, run = 0;
	bool	time = false, year = false;

	if (n <= i || l[i] == ' ' || l[i] == '\t')
		return false;
	while (i < n && l[i] != ' ' && l[i] != '\t')
		i++;
	for (; i < n; i++) {
		if (l[i] >= '0' && l[i] <= '9') {
			run++;
			if (i + 3 < n && l[i + 1] == ':' &&
			    l[i + 2] >= '0' && l[i + 2] <= '9' &&
			    l[i + 3] >= '0' && l[i + 3] <= '9')
				time = true;
			continue;
		}
		year |= run == 4;
		run = 0;
	}
	return time && (year || run == 4);
}

/*
 * One byte of a line that began with 'F' and may be a separator.  *taken
 * is false when the line turned out not to be one: what was held has
 * been passed on as data and c is the caller's to handle as data.
 */
static int
mbox_split_head(struct mbox_split *sp, char c, bool *taken)
{
	static const char	 from[] = "From ";
	int			 rc;

	*taken = true;
	if (sp->nline < 5) {
		if (c == from[sp->nline]) {
			sp->line[sp->nline++] = c;
			if (sp->nline == 5 && sp->prev_empty) {
				sp->mode = MBOX_SEP;
				sp->hash = mbox_fnv(MBOX_FNV_INIT, from, 5);
				return mbox_split_close(sp, true);
			}
			return 0;
		}
	} else if (c == '\n') {
		if (mbox_from_valid(sp->line, sp->nline)) {
			rc = mbox_split_close(sp, false);
			mbox_split_open(sp, mbox_fnv(MBOX_FNV_INIT, sp->line,
			    sp->nline));
			return rc;
		}
	} else if (sp->nline < MBOX_LINE_MAX) {
		sp->line[sp->nline++] = c;
		return 0;
	}
	*taken = false;
	sp->mode = MBOX_DATA;
	sp->line_len = sp->nline;
	sp->last = sp->line[sp->nline - 1];
	return mbox_split_data(sp, sp->line, sp->nline);
}

/* Feed bytes. */
int
mbox_split_feed(struct mbox_split *sp, const char *p, size_t n)
{
	size_t	 i, run = 0;
	bool	 taken;
	int	 rc;

	for (i = 0; i < n; i++, sp->offset++) {
		if (sp->bol) {
			sp->bol = false;
			sp->line_start = sp->offset;
			if (p[i] == 'F') {
				if ((rc = mbox_split_data(sp, p + run,
				    i - run)) != 0)
					return rc;
				sp->mode = MBOX_HEAD;
				sp->nline = 0;
			}
		}
		if (sp->mode == MBOX_SEP) {
			if (p[i] == '\n') {
				mbox_split_open(sp, sp->hash);
				run = i + 1;
			} else
				sp->hash = mbox_fnv(sp->hash, p + i, 1);
			continue;
		}
		if (sp->mode == MBOX_HEAD) {
			if ((rc = mbox_split_head(sp, p[i], &taken)) != 0)
				return rc;
			if (taken) {
				if (sp->mode == MBOX_DATA)	/* opened */
					run = i + 1;
				continue;
			}
			run = i;
		}
		if (p[i] == '\n')
			mbox_split_eol(sp);
		else {
			sp->line_len++;
			sp->last = p[i];
		}
	}
	if (sp->mode == MBOX_DATA && run < n)
		return mbox_split_data(sp, p + run, n - run);
	return 0;
}

/* The input ended. */
int
mbox_split_end(struct mbox_split *sp)
{
	int	rc;

	if (sp->mode == MBOX_HEAD) {	/* an unfinished line: data */
		sp->mode = MBOX_DATA;
		sp->line_len = sp->nline;
		sp->last = sp->line[sp->nline - 1];
		if ((rc = mbox_split_data(sp, sp->line, sp->nline)) != 0)
			return rc;
	}
	if (sp->mode == MBOX_SEP || !sp->have)
		return 0;
	sp->cur.end = sp->offset;
	if (sp->bol && sp->prev_empty && sp->prev_len <= sp->offset -
	    sp->cur.body)
		sp->cur.end -= sp->prev_len;
	sp->have = false;
	return sp->on_msg(sp->arg, &sp->cur);
}

/* Undo ">From " quoting in place. */
size_t
mbox_unquote(char *p, size_t len)
{
	size_t	i = 0, o = 0, k;
	bool	bol = true;

	while (i < len) {
		if (bol) {
			for (k = i; k < len && p[k] == '>'; k++)
				;
			if (k > i && len - k >= 5 && memcmp(p + k, "From ",
			    5) == 0)
				i++;	/* drop one '>' */
		}
		bol = p[i] == '\n';
		p[o++] = p[i++];
	}
	return o;
}

/* "OFFSET-HASH". */
void
mbox_id_format(const struct mbox_msg *m, char *buf, size_t size)
{
	snprintf(buf, size, "%" PRIu64 "-%016" PRIx64, m->start, m->hash);
}

/* Read an id back. */
int
mbox_id_parse(const char *id, uint64_t *offset, uint64_t *hash)
{
	const char	*dash;
	char		*end;
	size_t		 i;

	if (id == NULL || (dash = strchr(id, '-')) == NULL || dash == id ||
	    dash - id > 19 || strlen(dash + 1) != 16)
		return -1;	/* 19 digits: no uint64_t overflow */
	for (i = 0; id + i < dash; i++) {
		if (id[i] < '0' || id[i] > '9')
			return -1;
	}
	for (i = 1; i <= 16; i++) {
		if (strchr("0123456789abcdef", dash[i]) == NULL)
			return -1;
	}
	*offset = strtoull(id, &end, 10);
	if (end != dash)
		return -1;
	*hash = strtoull(dash + 1, &end, 16);
	return *end == '\0' ? 0 : -1;
}

/* Flags from Status: and X-Status: (as mutt and Thunderbird write). */
unsigned
mbox_status_flags(const char *hdr, size_t len)
{
	char		*s;
	unsigned	 flags = 0;

	if ((s = mime_header_get(hdr, len, "Status")) != NULL) {
		if (strchr(s, 'R') != NULL)
			flags |= CACHE_FLAG_SEEN;
		free(s);
	}
	if ((s = mime_header_get(hdr, len, "X-Status")) != NULL) {
		if (strchr(s, 'A') != NULL)
			flags |= CACHE_FLAG_ANSWERED;
		if (strchr(s, 'F') != NULL)
			flags |= CACHE_FLAG_FLAGGED;
		if (strchr(s, 'D') != NULL)
			flags |= CACHE_FLAG_DELETED;
		if (strchr(s, 'T') != NULL)
			flags |= CACHE_FLAG_DRAFT;
		free(s);
	}
	return flags;
}
