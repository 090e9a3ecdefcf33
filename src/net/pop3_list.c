/*
 * pop3_list.c - what a session's maildrop holds: the UIDL listing (RFC
 * 1939 7), with the sizes of LIST (section 5), both asked at once when
 * the server offers PIPELINING.
 *
 * The listing is the session's (RFC 1939: message numbers hold for one
 * session only) and bounded: at most POP3_MSGS_MAX messages and the bytes
 * the parser allows for each answer.  Unique-ids are kept in one buffer;
 * an index sorted by unique-id finds them.  A unique-id listed twice
 * (a broken server) keeps its first message only: two messages with one
 * id cannot both be told apart later.
 *
 * Without UIDL there is no way to tell messages apart across sessions,
 * so a server that refuses it cannot be synced.
 */
#include <stdlib.h>
#include <string.h>

#include "net/pop3_driver.h"
#include "util/log.h"
#include "util/xmalloc.h"

/* Bytes of a UIDL answer (72 a line at most) and of a LIST answer. */
#define POP3_UIDL_BYTES	((size_t)POP3_MSGS_MAX * (POP3_UIDL_MAX + 14))
#define POP3_LIST_BYTES	((size_t)POP3_MSGS_MAX * 32)

/* Start empty. */
void
pop3_list_init(struct pop3_list *l)
{
	memset(l, 0, sizeof *l);
	buf_init(&l->names, 0);
}

/* Empty the listing. */
static void
pop3_list_clear(struct pop3_list *l)
{
	free(l->v);
	free(l->order);
	buf_fini(&l->names);
	pop3_list_init(l);
}

/* Free the listing. */
void
pop3_list_fini(struct pop3_list *l)
{
	pop3_list_clear(l);
}

/* The unique-id of entry i. */
const char *
pop3_list_uidl(const struct pop3_list *l, size_t i)
{
	return l->names.data + l->v[i].off;
}

/* What a UIDL or LIST answer is being read into. */
struct pop3_list_ctx {
	struct pop3_list	*l;
	const char		*host;
	uint64_t		*sizes;		/* LIST: by position */
	uint32_t		*nums;
	size_t			 nsizes;
	size_t			 capsizes;
	size_t			 bad;
};

/* One line of the UIDL answer. */
static int
pop3_list_uidl_line(void *arg, const struct pop3_event *ev,
    struct error *err)
{
	struct pop3_list_ctx	*x = arg;
	struct pop3_list	*l = x->l;
	struct pop3_slice	 uidl;
	uint32_t		 num;

	if (pop3_parse_uidl(ev->text, &num, &uidl) == -1) {
		if (x->bad++ == 0)
			log_warn("pop3", "%s: unreadable UIDL line skipped",
			    x->host);
		return 0;
	}
	if (l->n == POP3_MSGS_MAX)
		return error_set(err, ERR_TOOBIG, ERR_SCOPE_FOLDER,
		    "%s: more than %d messages in the maildrop", x->host,
		    POP3_MSGS_MAX);
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 256;
		l->v = xreallocarray(l->v, l->cap, sizeof *l->v);
	}
	l->v[l->n].num = num;
	l->v[l->n].off = (uint32_t)l->names.len;
	l->v[l->n].size = 0;
	l->n++;
	buf_add(&l->names, uidl.p, uidl.len);
	buf_addc(&l->names, '\0');
	return 0;
}

/* One line of the LIST answer. */
static int
pop3_list_size_line(void *arg, const struct pop3_event *ev,
    struct error *err)
{
	struct pop3_list_ctx	*x = arg;
	uint32_t		 num;
	uint64_t		 size;

	(void)err;
	if (pop3_parse_list(ev->text, &num, &size) == -1 ||
	    x->nsizes == POP3_MSGS_MAX)
		return 0;
	if (x->nsizes == x->capsizes) {
		x->capsizes = x->capsizes ? x->capsizes * 2 : 256;
		x->sizes = xreallocarray(x->sizes, x->capsizes,
		    sizeof *x->sizes);
		x->nums = xreallocarray(x->nums, x->capsizes,
		    sizeof *x->nums);
	}
	x->nums[x->nsizes] = num;
	x->sizes[x->nsizes++] = size;
	return 0;
}

/* Order entries by number, then as listed (off grows as they come). */
static int
pop3_list_num_cmp(const void *a, const void *b)
{
	const struct pop3_entry	*x = a, *y = b;

	if (x->num != y->num)
		return (x->num > y->num) - (x->num < y->num);
	return (x->off > y->off) - (x->off < y->off);
}

/* An entry's unique-id with its index, for sorting. */
struct pop3_list_key {
	const char	*uidl;
	uint32_t	 i;
};

/* Order keys by unique-id, then by index (the lower number first). */
static int
pop3_list_key_cmp(const void *a, const void *b)
{
	const struct pop3_list_key	*x = a, *y = b;
	int				 c = strcmp(x->uidl, y->uidl);

	return c != 0 ? c : (x->i > y->i) - (x->i < y->i);
}

/*
 * Build the index by unique-id; with drop, remove the entries whose id
 * an earlier (lower-numbered) entry has.  The number of entries dropped.
 */
static size_t
pop3_list_order(struct pop3_list *l, bool drop)
{
	struct pop3_list_key	*k;
	size_t			 dups = 0;

	k = xreallocarray(NULL, l->n > 0 ? l->n : 1, sizeof *k);
	for (size_t i = 0; i < l->n; i++) {
		k[i].uidl = pop3_list_uidl(l, i);
		k[i].i = (uint32_t)i;
	}
	qsort(k, l->n, sizeof *k, pop3_list_key_cmp);
	for (size_t i = 1; drop && i < l->n; i++) {
		if (strcmp(k[i - 1].uidl, k[i].uidl) == 0) {
			l->v[k[i].i].num = 0;
			dups++;
		}
	}
	free(l->order);
	l->order = xreallocarray(NULL, l->n > 0 ? l->n : 1,
	    sizeof *l->order);
	for (size_t i = 0; i < l->n; i++)
		l->order[i] = k[i].i;
	free(k);
	return dups;
}

/* Sort by number, drop repeated numbers and ids, index by id. */
static void
pop3_list_index(struct pop3_list *l, const char *host)
{
	size_t	 k = 0, dups = 0, idups;

	if (l->n > 0)
		qsort(l->v, l->n, sizeof *l->v, pop3_list_num_cmp);
	for (size_t i = 0; i < l->n; i++) {
		if (k > 0 && l->v[k - 1].num == l->v[i].num)
			dups++;
		else
			l->v[k++] = l->v[i];
	}
	l->n = k;
	if ((idups = pop3_list_order(l, true)) > 0) {
		for (size_t i = k = 0; i < l->n; i++) {
			if (l->v[i].num != 0)
				l->v[k++] = l->v[i];
		}
		l->n = k;
		(void)pop3_list_order(l, false);
	}
	if (dups + idups > 0)
		log_warn("pop3", "%s: %zu messages with a repeated number or "
		    "unique-id ignored", host, dups + idups);
}

/* Give the entries their LIST sizes (both lists sorted by number). */
static void
pop3_list_sizes(struct pop3_list *l, struct pop3_list_ctx *x)
{
	size_t	 j = 0;

	for (size_t i = 0; i < l->n; i++) {
		while (j < x->nsizes && x->nums[j] < l->v[i].num)
			j++;
		if (j < x->nsizes && x->nums[j] == l->v[i].num)
			l->v[i].size = x->sizes[j];
	}
}

/* Read the LIST answer (its -ERR only costs the sizes). */
static int
pop3_list_read_sizes(struct pop3_account *pa, struct pop3_list_ctx *x,
    struct error *err)
{
	bool	 sorted = true;

	if (pop3_conn_data(pa->conn, pop3_list_size_line, x, err) == -1) {
		if (err->code != ERR_SERVER)
			return -1;
		log_info("pop3", "%s: no sizes: %s", pa->conn->host, err->msg);
		error_clear(err);
		return 0;
	}
	for (size_t i = 1; i < x->nsizes && sorted; i++)
		sorted = x->nums[i - 1] < x->nums[i];
	if (!sorted) {
		log_info("pop3", "%s: LIST not in order: sizes ignored",
		    pa->conn->host);
		x->nsizes = 0;
	}
	return 0;
}

/* UIDL and LIST into pa->list. */
int
pop3_list_load(struct pop3_account *pa, struct error *err)
{
	struct pop3_conn	*c = pa->conn;
	struct pop3_list_ctx	 x;
	bool			 pipe = (c->caps & POP3_CAP_PIPELINING) != 0;
	int			 rc = -1;

	pop3_list_clear(&pa->list);
	pa->listed = false;
	memset(&x, 0, sizeof x);
	x.l = &pa->list;
	x.host = c->host;
	if (pop3_conn_send(c, POP3_EXPECT_LINES, POP3_UIDL_BYTES, err,
	    "UIDL") == -1 || (pipe && pop3_conn_send(c, POP3_EXPECT_LINES,
	    POP3_LIST_BYTES, err, "LIST") == -1))
		goto out;
	if (pop3_conn_data(c, pop3_list_uidl_line, &x, err) == -1) {
		if (err->code == ERR_SERVER)
			error_set(err, ERR_UNSUPPORTED, ERR_SCOPE_ACCOUNT,
			    "%s: the server refuses UIDL, without which "
			    "petrel cannot tell messages apart", c->host);
		goto out;
	}
	if (!pipe && pop3_conn_send(c, POP3_EXPECT_LINES, POP3_LIST_BYTES,
	    err, "LIST") == -1)
		goto out;
	if (pop3_list_read_sizes(pa, &x, err) == -1)
		goto out;
	pop3_list_index(&pa->list, c->host);
	pop3_list_sizes(&pa->list, &x);
	pa->listed = true;
	rc = 0;

out:
	if (rc == -1 && pipe && c->nfl > 0 && !c->broken) {
		struct error	 e2;	/* the LIST still owed */

		(void)pop3_conn_data(c, NULL, NULL, &e2);
	}
	free(x.sizes);
	free(x.nums);
	return rc;
}

/* The entry with this unique-id. */
int
pop3_list_find(const struct pop3_list *l, const char *uidl, size_t *i)
{
	size_t	 lo = 0, hi = l->n, mid;
	int	 c;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		c = strcmp(uidl, pop3_list_uidl(l, l->order[mid]));
		if (c == 0) {
			*i = l->order[mid];
			return 0;
		}
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return -1;
}

/* Check a guessed number with "UIDL n": 0 it holds, 1 it does not. */
static int
pop3_list_check(struct pop3_account *pa, uint32_t num, const char *uidl,
    struct error *err)
{
	struct pop3_slice	 got;
	uint32_t		 n;

	if (pop3_conn_simple(pa->conn, err, "UIDL %u", num) == -1)
		return err->code == ERR_SERVER ? 1 : -1;
	if (pop3_parse_uidl(pa->conn->ev.text, &n, &got) == -1 || n != num ||
	    got.len != strlen(uidl) || memcmp(got.p, uidl, got.len) != 0)
		return 1;
	return 0;
}

/* Where a unique-id is in this session. */
int
pop3_list_locate(struct pop3_account *pa, const char *uidl, size_t *i,
    struct error *err)
{
	int	 rc;

	if (!pa->listed && pop3_list_find(&pa->list, uidl, i) == 0) {
		/* The last listing's number, if the server still agrees. */
		rc = pop3_list_check(pa, pa->list.v[*i].num, uidl, err);
		if (rc != 1)
			return rc;
		error_clear(err);
	}
	if (!pa->listed && pop3_list_load(pa, err) == -1)
		return -1;
	return pop3_list_find(&pa->list, uidl, i) == 0 ? 0 : 1;
}
