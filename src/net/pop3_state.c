/*
 * pop3_state.c - the POP3 folder's sync state, kept in the cache as one
 * opaque string (cache_folder_set_state).
 *
 * Two things outlive a session: for leave_on_server = DAYS, the day each
 * message was first downloaded (messages are deleted DAYS after it), and
 * the unique-ids of messages DELEd in a session whose QUIT was not yet
 * confirmed (pop3_policy.c decides at the next sync whether they went).
 * The text, line by line:
 *
 *	pop3 1
 *	del UIDL UIDL ...
 *	seen DAY HASH HASH ...
 *
 * DAY is days since 1970-01-01 (UTC); HASH the 64-bit FNV-1a hash of a
 * unique-id in 16 hex digits: 17 bytes a message whatever the id's
 * length; an accidental collision (about 1 in 10^9 for 100,000
 * messages) would only date one message wrongly, and even then nothing is
 * deleted before it is cached.  The record holds only the messages the
 * server listed at the start of the last sync.  Anything unreadable in
 * the text is skipped: the worst a damaged state does is restart the
 * count of days.
 *
 * No I/O (pop3_policy.c loads and stores the text), no globals; only
 * pop3_today reads the clock.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "net/pop3_driver.h"
#include "util/buf.h"
#include "util/xmalloc.h"

#define POP3_STATE_MAGIC	"pop3 1"

/* Start empty. */
void
pop3_state_init(struct pop3_state *st)
{
	memset(st, 0, sizeof *st);
}

/* Free the deletion list. */
static void
pop3_state_del_free(struct pop3_state *st)
{
	for (size_t i = 0; i < st->ndel; i++)
		free(st->del[i]);
	free(st->del);
	st->del = NULL;
	st->ndel = 0;
}

/* Free everything. */
void
pop3_state_fini(struct pop3_state *st)
{
	pop3_state_del_free(st);
	free(st->seen);
	pop3_state_init(st);
}

/* The 64-bit FNV-1a hash of a unique-id. */
uint64_t
pop3_state_hash(const char *s)
{
	uint64_t	 h = 0xcbf29ce484222325ULL;

	for (; *s != '\0'; s++) {
		h ^= (unsigned char)*s;
		h *= 0x100000001b3ULL;
	}
	return h;
}

/* Today, in days since the epoch. */
int32_t
pop3_today(void)
{
	return (int32_t)(time(NULL) / 86400);
}

/* Order the record by hash. */
static int
pop3_seen_cmp(const void *a, const void *b)
{
	const struct pop3_seen	*x = a, *y = b;

	return (x->hash > y->hash) - (x->hash < y->hash);
}

/* Order the record by day, then hash (how it is written). */
static int
pop3_seen_day_cmp(const void *a, const void *b)
{
	const struct pop3_seen	*x = a, *y = b;

	if (x->day != y->day)
		return (x->day > y->day) - (x->day < y->day);
	return pop3_seen_cmp(a, b);
}

/* The next blank-separated word of (p, end) at *p; its length, 0 at end. */
static size_t
pop3_state_word(const char **p, const char *end, const char **w)
{
	while (*p < end && **p == ' ')
		(*p)++;
	*w = *p;
	while (*p < end && **p != ' ')
		(*p)++;
	return (size_t)(*p - *w);
}

/* A number of up to 16 digits in base 10 or 16; -1 if it is not one. */
static int
pop3_state_num(const char *w, size_t len, int base, uint64_t *out)
{
	uint64_t	 v = 0;
	int		 d;

	if (len == 0 || len > 16)
		return -1;
	for (size_t i = 0; i < len; i++) {
		if (w[i] >= '0' && w[i] <= '9')
			d = w[i] - '0';
		else if (base == 16 && w[i] >= 'a' && w[i] <= 'f')
			d = w[i] - 'a' + 10;
		else
			return -1;
		v = v * (uint64_t)base + (uint64_t)d;
	}
	*out = v;
	return 0;
}

/* Append to a growing array of n elements of size sz. */
static void *
pop3_state_grow(void *v, size_t n, size_t sz)
{
	if ((n & (n - 1)) == 0)		/* 0, 1, 2, 4...: double */
		v = xreallocarray(v, n == 0 ? 1 : n * 2, sz);
	return v;
}

/* One "seen DAY HASH..." line. */
static void
pop3_state_seen_line(struct pop3_state *st, const char *p, const char *end)
{
	const char	*w;
	size_t		 len;
	uint64_t	 day, h;

	len = pop3_state_word(&p, end, &w);
	if (pop3_state_num(w, len, 10, &day) == -1 || day > INT32_MAX)
		return;
	while ((len = pop3_state_word(&p, end, &w)) > 0) {
		if (len != 16 || pop3_state_num(w, len, 16, &h) == -1)
			continue;
		st->seen = pop3_state_grow(st->seen, st->nseen,
		    sizeof *st->seen);
		st->seen[st->nseen].hash = h;
		st->seen[st->nseen++].day = (int32_t)day;
	}
}

/* One "del UIDL..." line. */
static void
pop3_state_del_line(struct pop3_state *st, const char *p, const char *end)
{
	const char	*w;
	size_t		 len;

	while ((len = pop3_state_word(&p, end, &w)) > 0) {
		if (len > POP3_UIDL_MAX)
			continue;
		st->del = pop3_state_grow(st->del, st->ndel, sizeof *st->del);
		st->del[st->ndel++] = xstrndup(w, len);
	}
}

/* Read a state string. */
void
pop3_state_parse(const char *s, struct pop3_state *st)
{
	const char	*p, *end, *nl;

	pop3_state_init(st);
	if (s == NULL || strncmp(s, POP3_STATE_MAGIC "\n",
	    strlen(POP3_STATE_MAGIC) + 1) != 0)
		return;
	for (p = s + strlen(POP3_STATE_MAGIC) + 1; *p != '\0'; p = end) {
		nl = strchr(p, '\n');
		end = nl != NULL ? nl : p + strlen(p);
		if (end - p > 5 && strncmp(p, "seen ", 5) == 0)
			pop3_state_seen_line(st, p + 5, end);
		else if (end - p > 4 && strncmp(p, "del ", 4) == 0)
			pop3_state_del_line(st, p + 4, end);
		if (*end == '\n')
			end++;
	}
	if (st->nseen > 0)
		qsort(st->seen, st->nseen, sizeof *st->seen, pop3_seen_cmp);
}

/* The state as text; NULL when there is nothing to keep. */
char *
pop3_state_format(const struct pop3_state *st)
{
	struct pop3_seen	*v;
	struct buf		 b;

	if (st->nseen == 0 && st->ndel == 0)
		return NULL;
	buf_init(&b, 0);
	buf_adds(&b, POP3_STATE_MAGIC "\n");
	if (st->ndel > 0) {
		buf_adds(&b, "del");
		for (size_t i = 0; i < st->ndel; i++)
			buf_printf(&b, " %s", st->del[i]);
		buf_addc(&b, '\n');
	}
	v = xreallocarray(NULL, st->nseen > 0 ? st->nseen : 1, sizeof *v);
	if (st->nseen > 0) {
		memcpy(v, st->seen, st->nseen * sizeof *v);
		qsort(v, st->nseen, sizeof *v, pop3_seen_day_cmp);
	}
	for (size_t i = 0; i < st->nseen; i++) {
		if (i == 0 || v[i].day != v[i - 1].day)
			buf_printf(&b, "%sseen %ld", i > 0 ? "\n" : "",
			    (long)v[i].day);
		buf_printf(&b, " %016llx", (unsigned long long)v[i].hash);
	}
	if (st->nseen > 0)
		buf_addc(&b, '\n');
	free(v);
	return buf_take(&b);
}

/* The day a unique-id was first seen; -1 if not recorded. */
int32_t
pop3_state_day(const struct pop3_state *st, uint64_t hash)
{
	struct pop3_seen	 key = { hash, 0 }, *f;

	if (st->nseen == 0)
		return -1;
	f = bsearch(&key, st->seen, st->nseen, sizeof *st->seen,
	    pop3_seen_cmp);
	return f != NULL ? f->day : -1;
}

/* Replace the first-download record. */
void
pop3_state_set_seen(struct pop3_state *st, struct pop3_seen *v, size_t n)
{
	free(st->seen);
	st->seen = v;
	st->nseen = n;
	if (n > 0)
		qsort(st->seen, n, sizeof *st->seen, pop3_seen_cmp);
}

/* Set the deletions under way. */
void
pop3_state_set_del(struct pop3_state *st, const char *const *ids, size_t n)
{
	pop3_state_del_free(st);
	if (n == 0)
		return;
	st->del = xreallocarray(NULL, n, sizeof *st->del);
	for (size_t i = 0; i < n; i++)
		st->del[i] = xstrdup(ids[i]);
	st->ndel = n;
}
