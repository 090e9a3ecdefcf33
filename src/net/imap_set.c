/*
 * imap_set.c - UID sets (RFC 3501 9 "sequence-set", RFC 4315 uid-set).
 *
 * Parsing "1:3,7,9:*"-style sets a server sends (VANISHED, COPYUID,
 * ESEARCH ALL) into ranges, and writing the sets petrel sends.  Parsing is
 * bounded by the input: a set costs one range per comma, never one entry
 * per UID, so "1:4294967295" is cheap.  Pure functions.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "net/imap_driver.h"
#include "util/xmalloc.h"

/* A UID given as decimal text (1 to 2^32-1). */
int
imap_uid_parse(const char *s, uint32_t *uid)
{
	struct imap_slice	 sl = { s, s != NULL ? strlen(s) : 0 };
	uint64_t		 n;

	if (s == NULL || imap_parse_number(sl, UINT32_MAX, &n) == -1 || n == 0)
		return -1;
	*uid = (uint32_t)n;
	return 0;
}

/* Parse one number of a set ("*" is not accepted from a server). */
static int
imap_set_number(const char *p, size_t len, uint32_t *out)
{
	struct imap_slice	 s = { p, len };
	uint64_t		 n;

	if (imap_parse_number(s, UINT32_MAX, &n) == -1 || n == 0)
		return -1;
	*out = (uint32_t)n;
	return 0;
}

/* Parse a set into ranges (lo <= hi each); -1 if malformed. */
int
imap_set_parse(struct imap_slice s, struct imap_range **out, size_t *n,
    struct error *err)
{
	struct imap_range	*v = NULL;
	size_t			 i = 0, start, colon, cap = 0;
	uint32_t		 a, b, t;

	*out = NULL;
	*n = 0;
	while (s.p != NULL && i < s.len) {
		start = i;
		colon = 0;
		while (i < s.len && s.p[i] != ',') {
			if (s.p[i] == ':')
				colon = i;
			i++;
		}
		if (colon == 0 ? imap_set_number(s.p + start, i - start,
		    &a) == -1 : (imap_set_number(s.p + start, colon - start,
		    &a) == -1 || imap_set_number(s.p + colon + 1,
		    i - colon - 1, &b) == -1)) {
			free(v);
			return error_set(err, ERR_PROTOCOL, ERR_SCOPE_OP,
			    "malformed IMAP UID set");
		}
		if (colon == 0)
			b = a;
		if (a > b) {
			t = a;
			a = b;
			b = t;
		}
		if (*n == cap) {
			cap = cap ? cap * 2 : 8;
			v = xreallocarray(v, cap, sizeof *v);
		}
		v[*n].lo = a;
		v[(*n)++].hi = b;
		i++;	/* the comma */
	}
	if (*n == 0)
		return error_set(err, ERR_PROTOCOL, ERR_SCOPE_OP,
		    "empty IMAP UID set");
	*out = v;
	return 0;
}

/* How many numbers the ranges hold. */
uint64_t
imap_set_count(const struct imap_range *v, size_t n)
{
	uint64_t	 c = 0;

	for (size_t i = 0; i < n; i++)
		c += (uint64_t)v[i].hi - v[i].lo + 1;
	return c;
}

/* Whether uid is in the ranges. */
bool
imap_set_contains(const struct imap_range *v, size_t n, uint32_t uid)
{
	for (size_t i = 0; i < n; i++) {
		if (uid >= v[i].lo && uid <= v[i].hi)
			return true;
	}
	return false;
}

/* The i-th number of the ranges (i < imap_set_count). */
uint32_t
imap_set_nth(const struct imap_range *v, size_t n, uint64_t i)
{
	for (size_t k = 0; k < n; k++) {
		if (i <= (uint64_t)v[k].hi - v[k].lo)
			return (uint32_t)(v[k].lo + i);
		i -= (uint64_t)v[k].hi - v[k].lo + 1;
	}
	return 0;
}

/* Write sorted UIDs as a set, merging runs into ranges. */
void
imap_set_format(struct buf *b, const uint32_t *uids, size_t n)
{
	size_t	 i = 0, j;
	bool	 first = true;

	while (i < n) {
		j = i;
		while (j + 1 < n && (uids[j + 1] == uids[j] + 1 ||
		    uids[j + 1] == uids[j]))
			j++;
		if (!first)
			buf_addc(b, ',');
		first = false;
		if (j == i || uids[j] == uids[i])
			buf_printf(b, "%" PRIu32, uids[i]);
		else
			buf_printf(b, "%" PRIu32 ":%" PRIu32, uids[i], uids[j]);
		i = j + 1;
	}
}

/* Compare two UIDs for qsort and bsearch. */
int
imap_uid_cmp(const void *a, const void *b)
{
	uint32_t	 x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return (x > y) - (x < y);
}

/* Check remote ids are UIDs and write them as a set. */
int
imap_uid_set(const char *const *ids, size_t n, struct buf *b,
    struct error *err)
{
	uint32_t	*uids;

	uids = xreallocarray(NULL, n ? n : 1, sizeof *uids);
	for (size_t i = 0; i < n; i++) {
		if (imap_uid_parse(ids[i], &uids[i]) == -1) {
			free(uids);
			return error_set(err, ERR_NOTFOUND, ERR_SCOPE_MESSAGE,
			    "not an IMAP UID: %.20s", ids[i] ? ids[i] : "");
		}
	}
	qsort(uids, n, sizeof *uids, imap_uid_cmp);
	imap_set_format(b, uids, n);
	free(uids);
	return 0;
}
