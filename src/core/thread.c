/*
 * thread.c - JWZ threading (https://www.jwz.org/doc/threading.html) of a
 * folder's messages into the display order of the threaded message list.
 *
 * A container stands for one message-id: a message of the folder, or a
 * placeholder for an id that References names but the folder lacks.  Steps,
 * as JWZ numbers them: (1) link containers along each message's References
 * (plus In-Reply-To), never over an existing link, never making a loop; the
 * message's own parent is its last reference; (3) prune placeholders
 * (drop empty ones, promote their children); (5, optional) join reply
 * roots without references to the thread of the same subject; then sort.
 * Step 2 (the root set) and 4 (the subject table) are folded into these.
 *
 * Containers live in one array and link by 32-bit index; the id table is
 * open addressing over pointers into the caller's strings (nothing is
 * copied).  Every traversal is iterative, every ancestor walk is bounded
 * (THREAD_MAX_WALK): memory and time are linear in the input.
 */
#include <stdlib.h>
#include <string.h>

#include "core/thread.h"
#include "util/xmalloc.h"

/* No container. */
#define CT_NONE		UINT32_MAX
/* Longest ancestor walk when checking for a loop; longer counts as one. */
#define THREAD_MAX_WALK	1024

struct thread_ct {
	const char	*id;		/* into the caller's rows, or NULL */
	uint32_t	 idlen;
	uint32_t	 row;		/* CT_NONE for a placeholder */
	uint32_t	 parent, child, last, next, prev;
	unsigned	 flags;		/* THREAD_MISSING, THREAD_SUBJECT */
	int		 dead;		/* pruned */
	int64_t		 date;		/* sort key among siblings */
	int64_t		 newest;	/* newest date in the subtree */
};

struct thread_ctx {
	const struct cache_thread_row *rows;
	size_t		  nrows;
	struct thread_ct *ct;
	size_t		  nct, capct;
	uint32_t	 *table;	/* id hash, CT_NONE = empty */
	size_t		  tcap;		/* power of two */
	size_t		  tused;
	unsigned	  options;
};

/* FNV-1a of an id. */
static uint64_t
thread_hash(const char *s, size_t len)
{
	uint64_t	h = 1469598103934665603ULL;
	size_t		i;

	for (i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ULL;
	}
	return h;
}

/* A new unlinked container. */
static uint32_t
thread_ct_new(struct thread_ctx *x, const char *id, size_t len)
{
	struct thread_ct	*c;

	if (x->nct == x->capct) {
		x->capct = x->capct == 0 ? 64 : x->capct * 2;
		x->ct = xreallocarray(x->ct, x->capct, sizeof *x->ct);
	}
	c = &x->ct[x->nct];
	memset(c, 0, sizeof *c);
	c->id = id;
	c->idlen = (uint32_t)len;
	c->row = c->parent = c->child = c->last = c->next = c->prev = CT_NONE;
	return (uint32_t)x->nct++;
}

/* Double the id table and re-insert every id it held. */
static void
thread_table_grow(struct thread_ctx *x)
{
	uint32_t	*old = x->table;
	size_t		 oldcap = x->tcap, i, j;
	struct thread_ct *c;

	x->tcap = oldcap == 0 ? 1024 : oldcap * 2;
	x->table = xreallocarray(NULL, x->tcap, sizeof *x->table);
	memset(x->table, 0xff, x->tcap * sizeof *x->table);
	for (i = 0; i < oldcap; i++) {
		if (old[i] == CT_NONE)
			continue;
		c = &x->ct[old[i]];
		j = thread_hash(c->id, c->idlen) & (x->tcap - 1);
		while (x->table[j] != CT_NONE)
			j = (j + 1) & (x->tcap - 1);
		x->table[j] = old[i];
	}
	free(old);
}

/* The slot of an id in the table: its container's, or the empty one. */
static uint32_t *
thread_slot(struct thread_ctx *x, const char *id, size_t len)
{
	size_t			 j;
	struct thread_ct	*c;

	j = thread_hash(id, len) & (x->tcap - 1);
	for (;; j = (j + 1) & (x->tcap - 1)) {
		if (x->table[j] == CT_NONE)
			return &x->table[j];
		c = &x->ct[x->table[j]];
		if (c->idlen == len && memcmp(c->id, id, len) == 0)
			return &x->table[j];
	}
}

/* The container of an id, created (as a placeholder) if new. */
static uint32_t
thread_get(struct thread_ctx *x, const char *id, size_t len)
{
	uint32_t	*slot;

	if ((x->tused + 1) * 2 > x->tcap)
		thread_table_grow(x);
	slot = thread_slot(x, id, len);
	if (*slot == CT_NONE) {
		*slot = thread_ct_new(x, id, len);
		x->tused++;
	}
	return *slot;
}

/*
 * The next message-id in s: in angle brackets when s has any (comments
 * and phrases around them are skipped), else a white-space separated
 * token.  Returns the id's start (len set) or NULL at the end.
 */
static const char *
thread_next_id(const char **sp, int brackets, size_t *len)
{
	const char	*s = *sp, *id;

	for (;;) {
		if (brackets) {
			if ((s = strchr(s, '<')) == NULL)
				break;
			id = ++s;
			s += strcspn(s, "> \t\r\n<");
		} else {
			s += strspn(s, " \t\r\n,");
			if (*s == '\0')
				break;
			id = s;
			s += strcspn(s, " \t\r\n,");
		}
		*len = (size_t)(s - id);
		if (*s == '>')
			s++;
		if (*len != 0 && *len < UINT32_MAX) {
			*sp = s;
			return id;
		}
	}
	*sp = s == NULL ? "" : s;
	return NULL;
}

/* The first message-id of s, or NULL. */
static const char *
thread_first_id(const char *s, size_t *len)
{
	if (s == NULL)
		return NULL;
	return thread_next_id(&s, strchr(s, '<') != NULL, len);
}

/* Is a an ancestor of (or) b?  A walk past THREAD_MAX_WALK says yes. */
static int
thread_is_ancestor(struct thread_ctx *x, uint32_t a, uint32_t b)
{
	size_t	steps;

	/* A container without children is nobody's ancestor. */
	if (a != b && x->ct[a].child == CT_NONE)
		return 0;
	for (steps = 0; b != CT_NONE; steps++) {
		if (b == a || steps >= THREAD_MAX_WALK)
			return 1;
		b = x->ct[b].parent;
	}
	return 0;
}

/* Take c out of its parent's children. */
static void
thread_unlink(struct thread_ctx *x, uint32_t c)
{
	struct thread_ct	*n = &x->ct[c], *p;

	if (n->parent == CT_NONE)
		return;
	p = &x->ct[n->parent];
	if (n->prev != CT_NONE)
		x->ct[n->prev].next = n->next;
	else
		p->child = n->next;
	if (n->next != CT_NONE)
		x->ct[n->next].prev = n->prev;
	else
		p->last = n->prev;
	n->parent = n->next = n->prev = CT_NONE;
}

/* Make c (unlinked) the last child of p. */
static void
thread_link(struct thread_ctx *x, uint32_t p, uint32_t c)
{
	struct thread_ct	*n = &x->ct[c], *pp = &x->ct[p];

	n->parent = p;
	n->prev = pp->last;
	n->next = CT_NONE;
	if (pp->last != CT_NONE)
		x->ct[pp->last].next = c;
	else
		pp->child = c;
	pp->last = c;
}

/* The container of message r (JWZ 1A); a duplicate id gets a new one. */
static uint32_t
thread_own(struct thread_ctx *x, size_t r)
{
	const char	*id;
	size_t		 len;
	uint32_t	 c;

	id = thread_first_id(x->rows[r].message_id, &len);
	c = id == NULL ? CT_NONE : thread_get(x, id, len);
	/* (thread_get may move x->ct: index it only afterwards.) */
	if (c == CT_NONE || x->ct[c].row != CT_NONE)
		c = thread_ct_new(x, NULL, 0);
	x->ct[c].row = (uint32_t)r;
	x->ct[c].date = x->rows[r].date;
	return c;
}

/*
 * Collect message r's ancestry, oldest first: the last THREAD_MAX_REFS
 * References ids, then In-Reply-To unless it is the last of them.
 */
static size_t
thread_refs(struct thread_ctx *x, size_t r, uint32_t *refs)
{
	const char	*s, *id, *irt;
	size_t		 n = 0, len, irtlen, i;
	uint32_t	 ring[THREAD_MAX_REFS];
	int		 br;

	if ((s = x->rows[r].references) != NULL) {
		br = strchr(s, '<') != NULL;
		while ((id = thread_next_id(&s, br, &len)) != NULL)
			ring[n++ % THREAD_MAX_REFS] = thread_get(x, id, len);
	}
	/* Unroll the ring: the oldest kept id first. */
	len = n < THREAD_MAX_REFS ? n : THREAD_MAX_REFS;
	for (i = 0; i < len; i++)
		refs[i] = ring[(n - len + i) % THREAD_MAX_REFS];
	n = len;
	irt = thread_first_id(x->rows[r].in_reply_to, &irtlen);
	if (irt != NULL) {
		refs[n] = thread_get(x, irt, irtlen);
		if (n == 0 || refs[n - 1] != refs[n])
			n++;
	}
	return n;
}

/* JWZ 1B and 1C: link the ancestry of message r, then r to its parent. */
static void
thread_add(struct thread_ctx *x, size_t r)
{
	uint32_t	refs[THREAD_MAX_REFS + 1], c, p, q;
	size_t		n, i;

	c = thread_own(x, r);
	n = thread_refs(x, r, refs);
	for (i = 0; i + 1 < n; i++) {
		p = refs[i];
		q = refs[i + 1];
		if (x->ct[q].parent == CT_NONE && !thread_is_ancestor(x, q, p))
			thread_link(x, p, q);
	}
	if (n == 0)
		return;		/* keep a parent other messages implied */
	p = refs[n - 1];
	if (x->ct[c].parent == p || thread_is_ancestor(x, c, p))
		return;
	thread_unlink(x, c);
	thread_link(x, p, c);
}

/* Every live container under the roots, parents before children. */
static size_t
thread_preorder(struct thread_ctx *x, uint32_t *order)
{
	uint32_t	*stack, c, k;
	size_t		 n = 0, sp = 0, i;

	stack = xreallocarray(NULL, x->nct + 1, sizeof *stack);
	for (i = x->nct; i-- > 0;) {
		if (x->ct[i].parent == CT_NONE && !x->ct[i].dead)
			stack[sp++] = (uint32_t)i;
	}
	while (sp > 0) {
		c = stack[--sp];
		order[n++] = c;
		/* Push children last-first so the first pops first. */
		for (k = x->ct[c].last; k != CT_NONE; k = x->ct[k].prev)
			stack[sp++] = k;
	}
	free(stack);
	return n;
}

/* Move every child of e to its parent p (or to the roots), flagged. */
static void
thread_promote(struct thread_ctx *x, uint32_t e, uint32_t p)
{
	uint32_t	k, next;

	for (k = x->ct[e].child; k != CT_NONE; k = next) {
		next = x->ct[k].next;
		thread_unlink(x, k);
		x->ct[k].flags |= THREAD_MISSING;
		if (p != CT_NONE)
			thread_link(x, p, k);
	}
}

/*
 * JWZ 3: prune placeholders, children first.  An empty one goes; one with
 * children gives them to its parent; at the top it stays while it holds
 * two or more threads together (thread_heads handles those).
 */
static void
thread_prune(struct thread_ctx *x, uint32_t *order, size_t n)
{
	struct thread_ct	*e;
	uint32_t		 c, p;

	while (n-- > 0) {
		c = order[n];
		e = &x->ct[c];
		if (e->row != CT_NONE)
			continue;
		p = e->parent;
		if (p == CT_NONE && e->child != CT_NONE &&
		    x->ct[e->child].next != CT_NONE)
			continue;
		thread_promote(x, c, p);
		thread_unlink(x, c);
		e->dead = 1;
	}
}

/*
 * A placeholder left at the top holds replies to a message the folder
 * lacks: its oldest reply heads the thread, the others hang below it.
 */
static void
thread_heads(struct thread_ctx *x, uint32_t *order, size_t n)
{
	uint32_t	c, h, k, best;
	size_t		i;

	for (i = 0; i < n; i++) {
		c = order[i];
		if (x->ct[c].row != CT_NONE || x->ct[c].dead ||
		    x->ct[c].parent != CT_NONE)
			continue;
		best = x->ct[c].child;
		for (k = best; k != CT_NONE; k = x->ct[k].next) {
			if (x->ct[k].date < x->ct[best].date ||
			    (x->ct[k].date == x->ct[best].date &&
			    x->ct[k].row < x->ct[best].row))
				best = k;
		}
		h = best;
		thread_unlink(x, h);
		x->ct[h].flags |= THREAD_MISSING;
		thread_promote(x, c, h);
		x->ct[c].dead = 1;
	}
}

/* Reply and forward prefixes (lower case) that subject grouping skips. */
static const char *const thread_prefixes[] = {
	"re", "fw", "fwd", "aw", "wg", "sv", "vs", "antw", "tr", "rif", "r",
	"odp", "enc", "res"
};

/* Skip one "Re:", "Re[2]:", "AW:"... at s; NULL if there is none. */
static const char *
thread_skip_prefix(const char *s)
{
	const char	*q = s;
	size_t		 len, i, j;

	while ((*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z'))
		q++;
	len = (size_t)(q - s);
	for (i = 0; i < sizeof thread_prefixes / sizeof thread_prefixes[0];
	    i++) {
		if (strlen(thread_prefixes[i]) != len)
			continue;
		for (j = 0; j < len && (s[j] | 0x20) == thread_prefixes[i][j];
		    j++)
			;
		if (j == len)
			break;
	}
	if (len == 0 || i == sizeof thread_prefixes / sizeof thread_prefixes[0])
		return NULL;
	if (*q == '[') {
		q += 1 + strspn(q + 1, "0123456789");
		if (*q++ != ']')
			return NULL;
	}
	while (*q == ' ')
		q++;
	return *q == ':' ? q + 1 : NULL;
}

/* A subject without its reply prefixes and outer blanks; *reply if any. */
static const char *
thread_subject(const char *s, size_t *len, int *reply)
{
	const char	*next;

	*reply = 0;
	*len = 0;
	if (s == NULL)
		return "";
	for (;;) {
		s += strspn(s, " \t");
		if ((next = thread_skip_prefix(s)) == NULL)
			break;
		s = next;
		*reply = 1;
	}
	*len = strlen(s);
	while (*len > 0 && (s[*len - 1] == ' ' || s[*len - 1] == '\t'))
		(*len)--;
	return s;
}

/* ASCII-case-insensitive hash of a subject. */
static uint64_t
thread_subject_hash(const char *s, size_t len)
{
	uint64_t	h = 1469598103934665603ULL;
	size_t		i;
	unsigned char	ch;

	for (i = 0; i < len; i++) {
		ch = (unsigned char)s[i];
		if (ch >= 'A' && ch <= 'Z')
			ch = (unsigned char)(ch - 'A' + 'a');
		h = (h ^ ch) * 1099511628211ULL;
	}
	return h;
}

/* Do two subjects match, ASCII case folded? */
static int
thread_subject_eq(const char *a, size_t alen, const char *b, size_t blen)
{
	size_t	i;

	if (alen != blen)
		return 0;
	for (i = 0; i < alen; i++) {
		if (a[i] != b[i] && ((a[i] | 0x20) != (b[i] | 0x20) ||
		    (a[i] | 0x20) < 'a' || (a[i] | 0x20) > 'z'))
			return 0;
	}
	return 1;
}

/* One thread top considered for subject grouping. */
struct thread_subj {
	uint32_t	 ct;
	int		 reply;
	const char	*key;
	size_t		 len;
};

/* Does message r name no ancestor at all? */
static int
thread_no_refs(const struct cache_thread_row *r)
{
	size_t	len;

	return thread_first_id(r->references, &len) == NULL &&
	    thread_first_id(r->in_reply_to, &len) == NULL;
}

/* Is a a better subject head than b: not a reply, else older? */
static int
thread_subj_better(struct thread_ctx *x, const struct thread_subj *a,
    const struct thread_subj *b)
{
	if (a->reply != b->reply)
		return !a->reply;
	return x->ct[a->ct].date < x->ct[b->ct].date;
}

/*
 * JWZ 5, the mutt way: a "Re:" thread top that names no ancestor joins the
 * thread of the same subject started before it (its head preferably not a
 * reply itself), flagged THREAD_SUBJECT.
 */
static void
thread_by_subject(struct thread_ctx *x, const uint32_t *tops, size_t n)
{
	struct thread_subj	*s;
	size_t			*tab, cap, i, j;

	s = xreallocarray(NULL, n + 1, sizeof *s);
	for (cap = 16; cap < n * 2; cap *= 2)
		;
	tab = xreallocarray(NULL, cap, sizeof *tab);
	for (j = 0; j < cap; j++)
		tab[j] = SIZE_MAX;
	for (i = 0; i < n; i++) {
		s[i].ct = tops[i];
		s[i].key = thread_subject(x->rows[x->ct[tops[i]].row].subject,
		    &s[i].len, &s[i].reply);
		if (s[i].len == 0)
			continue;
		j = thread_subject_hash(s[i].key, s[i].len) & (cap - 1);
		while (tab[j] != SIZE_MAX && !thread_subject_eq(s[tab[j]].key,
		    s[tab[j]].len, s[i].key, s[i].len))
			j = (j + 1) & (cap - 1);
		if (tab[j] == SIZE_MAX || thread_subj_better(x, &s[i],
		    &s[tab[j]]))
			tab[j] = i;
	}
	for (i = 0; i < n; i++) {
		if (s[i].len == 0 || !s[i].reply ||
		    !thread_no_refs(&x->rows[x->ct[s[i].ct].row]))
			continue;
		j = thread_subject_hash(s[i].key, s[i].len) & (cap - 1);
		while (!thread_subject_eq(s[tab[j]].key, s[tab[j]].len,
		    s[i].key, s[i].len))
			j = (j + 1) & (cap - 1);
		if (tab[j] == i ||
		    x->ct[s[tab[j]].ct].date > x->ct[s[i].ct].date)
			continue;
		thread_link(x, s[tab[j]].ct, s[i].ct);
		x->ct[s[i].ct].flags |= THREAD_SUBJECT;
	}
	free(tab);
	free(s);
}

/* A sibling being sorted. */
struct thread_sortent {
	int64_t		key;
	uint32_t	row;
	uint32_t	ct;
};

/* qsort: by key, then by row (the caller's order: stable). */
static int
thread_sortent_cmp(const void *a, const void *b)
{
	const struct thread_sortent *x = a, *y = b;

	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return x->row < y->row ? -1 : x->row > y->row;
}

/* Sort p's children by date, relinking them; buf has room for them. */
static void
thread_sort_children(struct thread_ctx *x, uint32_t p,
    struct thread_sortent *buf)
{
	size_t		n = 0, i;
	uint32_t	k;

	for (k = x->ct[p].child; k != CT_NONE; k = x->ct[k].next) {
		buf[n].key = x->ct[k].date;
		buf[n].row = x->ct[k].row;
		buf[n++].ct = k;
	}
	if (n < 2)
		return;
	qsort(buf, n, sizeof *buf, thread_sortent_cmp);
	x->ct[p].child = x->ct[p].last = CT_NONE;
	for (i = 0; i < n; i++) {
		x->ct[buf[i].ct].parent = CT_NONE;
		thread_link(x, p, buf[i].ct);
	}
}

/*
 * Sort replies by date and the threads by their newest message; returns
 * the thread tops in order (n of them, caller frees).
 */
static uint32_t *
thread_sort(struct thread_ctx *x, size_t *ntops)
{
	struct thread_sortent	*buf;
	uint32_t		*order, *tops, c;
	size_t			 n, i, nt = 0;

	order = xreallocarray(NULL, x->nct + 1, sizeof *order);
	n = thread_preorder(x, order);
	buf = xreallocarray(NULL, n + 1, sizeof *buf);
	for (i = 0; i < n; i++)
		x->ct[order[i]].newest = INT64_MIN;
	for (i = n; i-- > 0;) {
		c = order[i];
		if (x->ct[c].newest < x->ct[c].date)
			x->ct[c].newest = x->ct[c].date;
		if (x->ct[c].parent != CT_NONE &&
		    x->ct[x->ct[c].parent].newest < x->ct[c].newest)
			x->ct[x->ct[c].parent].newest = x->ct[c].newest;
		thread_sort_children(x, c, buf);
	}
	for (i = 0; i < n; i++) {
		c = order[i];
		if (x->ct[c].parent != CT_NONE)
			continue;
		buf[nt].key = x->ct[c].newest;
		if (x->options & THREAD_NEWEST_FIRST)
			buf[nt].key = buf[nt].key == INT64_MIN ? INT64_MAX :
			    -buf[nt].key;
		buf[nt].row = x->ct[c].row;
		buf[nt++].ct = c;
	}
	qsort(buf, nt, sizeof *buf, thread_sortent_cmp);
	tops = order;
	for (i = 0; i < nt; i++)
		tops[i] = buf[i].ct;
	free(buf);
	*ntops = nt;
	return tops;
}

/* Write the nodes: each thread top, then its subtree, depth first. */
static void
thread_emit(struct thread_ctx *x, struct thread *t, const uint32_t *tops,
    size_t ntops)
{
	struct thread_node	*node;
	uint32_t		*stack, c, k;
	size_t			*from, sp = 0, i;

	t->nodes = xreallocarray(NULL, x->nrows + 1, sizeof *t->nodes);
	stack = xreallocarray(NULL, x->nct + 1, sizeof *stack);
	from = xreallocarray(NULL, x->nct + 1, sizeof *from);
	for (i = ntops; i-- > 0;) {
		from[sp] = THREAD_NONE;
		stack[sp++] = tops[i];
	}
	while (sp > 0) {
		c = stack[--sp];
		node = &t->nodes[t->n];
		node->row = x->ct[c].row;
		node->msg_id = x->rows[node->row].id;
		node->parent = from[sp];
		node->depth = node->parent == THREAD_NONE ? 0 :
		    t->nodes[node->parent].depth + 1;
		node->flags = x->ct[c].flags;
		if (node->parent != THREAD_NONE && x->ct[c].next == CT_NONE)
			node->flags |= THREAD_LAST;
		node->size = 1;
		for (k = x->ct[c].last; k != CT_NONE; k = x->ct[k].prev) {
			from[sp] = t->n;
			stack[sp++] = k;
		}
		t->n++;
	}
	/* A parent comes before its children: add sizes up, last first. */
	for (i = t->n; i-- > 0;) {
		if (t->nodes[i].parent != THREAD_NONE)
			t->nodes[t->nodes[i].parent].size += t->nodes[i].size;
	}
	free(from);
	free(stack);
}

/* A node index paired with its message id, for the by_msg index. */
struct thread_msgent {
	int64_t	msg_id;
	size_t	node;
};

/* qsort: by message id. */
static int
thread_msgent_cmp(const void *a, const void *b)
{
	const struct thread_msgent *x = a, *y = b;

	return x->msg_id < y->msg_id ? -1 : x->msg_id > y->msg_id;
}

/* Index the nodes by message id for thread_find. */
static void
thread_index(struct thread *t)
{
	struct thread_msgent	*ent;
	size_t			 i;

	ent = xreallocarray(NULL, t->n + 1, sizeof *ent);
	for (i = 0; i < t->n; i++) {
		ent[i].msg_id = t->nodes[i].msg_id;
		ent[i].node = i;
	}
	qsort(ent, t->n, sizeof *ent, thread_msgent_cmp);
	t->by_msg = xreallocarray(NULL, t->n + 1, sizeof *t->by_msg);
	for (i = 0; i < t->n; i++)
		t->by_msg[i] = ent[i].node;
	free(ent);
}

/* Thread the rows: JWZ steps 1, 3 and (optionally) 5, then sort. */
struct thread *
thread_build(const struct cache_thread_row *rows, size_t n, unsigned options)
{
	struct thread_ctx	 x;
	struct thread		*t;
	uint32_t		*order, *tops;
	size_t			 i, norder, ntops;

	memset(&x, 0, sizeof x);
	/* Indexes are 32-bit; beyond that (never, in a mail folder) cut. */
	if (n > CT_NONE / 4)
		n = CT_NONE / 4;
	x.rows = rows;
	x.nrows = n;
	x.options = options;
	for (x.tcap = 1024; x.tcap < n * 4; x.tcap *= 2)
		;
	x.table = xreallocarray(NULL, x.tcap, sizeof *x.table);
	memset(x.table, 0xff, x.tcap * sizeof *x.table);
	for (i = 0; i < n; i++)
		thread_add(&x, i);
	order = xreallocarray(NULL, x.nct + 1, sizeof *order);
	norder = thread_preorder(&x, order);
	thread_prune(&x, order, norder);
	norder = thread_preorder(&x, order);
	thread_heads(&x, order, norder);
	if (options & THREAD_BY_SUBJECT) {
		for (i = norder = 0; i < x.nct; i++) {
			if (!x.ct[i].dead && x.ct[i].parent == CT_NONE)
				order[norder++] = (uint32_t)i;
		}
		thread_by_subject(&x, order, norder);
	}
	free(order);
	tops = thread_sort(&x, &ntops);
	t = xcalloc(1, sizeof *t);
	thread_emit(&x, t, tops, ntops);
	thread_index(t);
	free(tops);
	free(x.table);
	free(x.ct);
	return t;
}

/* Free a threading result. */
void
thread_free(struct thread *t)
{
	if (t == NULL)
		return;
	free(t->nodes);
	free(t->by_msg);
	free(t);
}
