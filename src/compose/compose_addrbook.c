/*
 * compose_addrbook.c - the address book that completes addresses as
 * they are typed: counting uses of addresses, and finding and ranking
 * the candidates for a prefix (the rules are in compose.h).  Aliases
 * files are read in compose_aliases.c.
 *
 * Addresses live in one array, found through an open-addressing hash
 * table (linear probing, FNV-1a over the ASCII-lower-cased address, kept
 * at most half full), so adding is constant time and 50,000 adds are
 * instant.  Matching is one pass over the book keeping the best
 * COMPOSE_ADDRBOOK_MATCH_MAX.  Each candidate is written as an RFC 5322
 * mailbox (section 3.4: the display name a phrase, or a quoted string
 * when it holds a special, section 3.2.3) and read back with
 * mime_address_list_parse: one that does not read back to the same name
 * and address goes without its name, or not at all.
 */
#include <stdlib.h>
#include <string.h>

#include "compose/compose.h"
#include "compose/compose_int.h"
#include "mime/address.h"
#include "util/buf.h"
#include "util/utf8.h"
#include "util/xmalloc.h"

/* ASCII lower case, whatever the locale. */
static unsigned char
compose_ab_lower(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c - 'A' + 'a') : c;
}

/* Compare two strings ignoring ASCII case (as strcasecmp in C). */
int
compose_ab_casecmp(const char *a, const char *b)
{
	unsigned char	x, y;

	do {
		x = compose_ab_lower((unsigned char)*a++);
		y = compose_ab_lower((unsigned char)*b++);
	} while (x != '\0' && x == y);
	return (int)x - (int)y;
}

/* Whether s starts with prefix (plen bytes), ASCII case ignored. */
bool
compose_ab_prefix(const char *s, const char *prefix, size_t plen)
{
	size_t	i;

	for (i = 0; i < plen; i++) {
		if (s[i] == '\0' || compose_ab_lower((unsigned char)s[i]) !=
		    compose_ab_lower((unsigned char)prefix[i]))
			return false;
	}
	return true;
}

/* Whether the name, or a word of it, starts with prefix. */
bool
compose_ab_name_match(const char *name, const char *prefix, size_t plen)
{
	const char	*s;

	if (name == NULL)
		return false;
	for (s = name; *s != '\0'; s++) {
		if ((s == name || strchr(" ,-(\"'", s[-1]) != NULL) &&
		    compose_ab_prefix(s, prefix, plen))
			return true;
	}
	return false;
}

/* Whether addr is an addr-spec the book keeps (see compose.h). */
bool
compose_ab_addr_ok(const char *addr)
{
	const char	*at;
	size_t		 i, n, k;
	uint32_t	 cp;

	if (addr == NULL || (n = strlen(addr)) == 0 ||
	    n > COMPOSE_AB_ADDR_MAX || (at = strrchr(addr, '@')) == NULL ||
	    at == addr || at[1] == '\0')
		return false;
	for (i = 0; i < n; i += k) {
		k = utf8_decode((const unsigned char *)addr + i, n - i, &cp);
		if (cp == UTF8_BAD || cp <= ' ' || (cp >= 0x7f && cp <= 0x9f) ||
		    (cp < 0x80 && strchr("\"(),:;<>[\\]", (int)cp) != NULL))
			return false;
	}
	return true;
}

/* A display name cleaned for the book: one line, blanks collapsed; NULL
 * when empty, too long, or only the address again. */
char *
compose_ab_name(const char *name, const char *addr)
{
	char	*s;
	size_t	 i, n = 0;

	if (name == NULL || (s = compose_clean_line(name, strlen(name))) ==
	    NULL)
		return NULL;
	for (i = 0; s[i] != '\0'; i++) {
		if (s[i] != ' ' || s[i + 1] != ' ')
			s[n++] = s[i];
	}
	s[n] = '\0';
	if (n > COMPOSE_AB_NAME_MAX || (addr != NULL &&
	    compose_ab_casecmp(s, addr) == 0)) {
		free(s);
		return NULL;
	}
	return s;
}

/* Whether text reads back as exactly one mailbox name/addr. */
static bool
compose_ab_reads_back(const char *text, const char *name, const char *addr)
{
	struct mime_address_list	l;
	bool				ok;

	mime_address_list_parse(text, strlen(text), &l);
	ok = l.n == 1 && l.v[0].group == NULL && l.v[0].addr != NULL &&
	    strcmp(l.v[0].addr, addr) == 0 && (name == NULL ?
	    l.v[0].name == NULL : l.v[0].name != NULL &&
	    strcmp(l.v[0].name, name) == 0);
	mime_address_list_fini(&l);
	return ok;
}

/* The name as an RFC 5322 phrase, or a quoted string if it must be. */
static void
compose_ab_put_name(struct buf *b, const char *name)
{
	const char	*c;

	if (strpbrk(name, "()<>[]:;@\\,.\"") == NULL) {
		buf_adds(b, name);
		return;
	}
	buf_addc(b, '"');
	for (c = name; *c != '\0'; c++) {
		if (*c == '"' || *c == '\\')
			buf_addc(b, '\\');
		buf_addc(b, *c);
	}
	buf_addc(b, '"');
}

/* "Name <addr>" or "addr" (name cleaned; NULL: none), checked to read
 * back; NULL when not even the address alone does. */
char *
compose_ab_mailbox(const char *name, const char *addr)
{
	struct buf	 b = BUF_INITIALIZER(0);
	char		*clean;

	if ((clean = compose_ab_name(name, addr)) != NULL) {
		compose_ab_put_name(&b, clean);
		buf_printf(&b, " <%s>", addr);
		if (compose_ab_reads_back(buf_str(&b), clean, addr)) {
			free(clean);
			return buf_take(&b);
		}
		buf_reset(&b);
	}
	free(clean);
	buf_adds(&b, addr);
	if (compose_ab_reads_back(buf_str(&b), NULL, addr))
		return buf_take(&b);
	buf_fini(&b);
	return NULL;
}

/* FNV-1a of the lower-cased string (an address, an alias key). */
uint32_t
compose_ab_hash(const char *addr)
{
	uint32_t	h = 2166136261u;

	for (; *addr != '\0'; addr++) {
		h ^= compose_ab_lower((unsigned char)*addr);
		h *= 16777619u;
	}
	return h;
}

/* The slot of addr in the hash table: where it is, or the free slot
 * where it would go.  The table must have a free slot. */
static size_t
compose_ab_find(const struct compose_addrbook *ab, const char *addr)
{
	size_t	i, mask = ab->nslot - 1;

	for (i = compose_ab_hash(addr) & mask; ab->slot[i] != 0;
	    i = (i + 1) & mask) {
		if (compose_ab_casecmp(ab->v[ab->slot[i] - 1].addr, addr) == 0)
			break;
	}
	return i;
}

/* Double the hash table (or make the first), keeping it half empty. */
static void
compose_ab_grow(struct compose_addrbook *ab)
{
	uint32_t	*old = ab->slot;
	size_t		 i, nold = ab->nslot;

	ab->nslot = nold == 0 ? 64 : nold * 2;
	ab->slot = xcalloc(ab->nslot, sizeof *ab->slot);
	for (i = 0; i < nold; i++) {
		if (old[i] != 0)
			ab->slot[compose_ab_find(ab, ab->v[old[i] - 1].addr)] =
			    old[i];
	}
	free(old);
}

/* Count uses of a display name of e. */
static void
compose_ab_name_use(struct compose_abentry *e, char *name, int64_t when,
    unsigned weight)
{
	struct compose_abname	*nm;
	unsigned		 i;

	for (i = 0; i < e->nnames; i++) {
		nm = &e->names[i];
		if (strcmp(nm->name, name) == 0) {
			nm->uses = nm->uses > UINT32_MAX - weight ?
			    UINT32_MAX : nm->uses + weight;
			if (when > nm->when)
				nm->when = when;
			free(name);
			return;
		}
	}
	if (e->nnames == COMPOSE_AB_NAMES) {
		free(name);
		return;
	}
	e->names = xreallocarray(e->names, e->nnames + 1, sizeof *e->names);
	nm = &e->names[e->nnames++];
	nm->name = name;
	nm->uses = weight;
	nm->when = when;
}

/* Count weight uses of addr; false if it was not taken. */
static bool
compose_ab_add(struct compose_addrbook *ab, const char *name,
    const char *addr, int64_t when, unsigned weight)
{
	struct compose_abentry	*e;
	char			*clean;
	size_t			 i;

	if (!compose_ab_addr_ok(addr))
		return false;
	if (when < 0)
		when = 0;
	if ((ab->n + 1) * 2 > ab->nslot)
		compose_ab_grow(ab);
	i = compose_ab_find(ab, addr);
	if (ab->slot[i] == 0) {
		if (ab->n >= COMPOSE_ADDRBOOK_MAX) {
			ab->dropped++;
			return false;
		}
		if (!compose_ab_reads_back(addr, NULL, addr))
			return false;
		if (ab->n == ab->cap) {
			ab->cap = ab->cap == 0 ? 64 : ab->cap * 2;
			ab->v = xreallocarray(ab->v, ab->cap, sizeof *ab->v);
		}
		e = &ab->v[ab->n++];
		memset(e, 0, sizeof *e);
		e->addr = xstrdup(addr);
		ab->slot[i] = (uint32_t)ab->n;
	} else
		e = &ab->v[ab->slot[i] - 1];
	e->uses = e->uses > UINT32_MAX - weight ? UINT32_MAX :
	    e->uses + weight;
	if (when > e->when)
		e->when = when;
	if (when > ab->newest)
		ab->newest = when;
	if ((clean = compose_ab_name(name, addr)) != NULL)
		compose_ab_name_use(e, clean, when, weight);
	return true;
}

/* Count weight uses of addr (see compose.h). */
void
compose_addrbook_add(struct compose_addrbook *ab, const char *name,
    const char *addr, int64_t when, unsigned weight)
{
	compose_ab_add(ab, name, addr, when, weight);
}

/* Add every member of an address list (see compose.h). */
int
compose_addrbook_add_list(struct compose_addrbook *ab,
    const char *rfc5322_list, int64_t when, unsigned weight)
{
	struct mime_address_list	l;
	size_t				i;
	int				n = 0;

	if (rfc5322_list == NULL)
		return 0;
	mime_address_list_parse(rfc5322_list, strlen(rfc5322_list), &l);
	for (i = 0; i < l.n; i++) {
		if (l.v[i].addr != NULL && compose_ab_add(ab, l.v[i].name,
		    l.v[i].addr, when, weight))
			n++;
	}
	mime_address_list_fini(&l);
	return n;
}

/* The display name of e shown: the most used, ties to the latest. */
static const char *
compose_ab_best_name(const struct compose_abentry *e)
{
	const struct compose_abname	*best = NULL, *nm;
	unsigned			 i;

	for (i = 0; i < e->nnames; i++) {
		nm = &e->names[i];
		if (best == NULL || nm->uses > best->uses ||
		    (nm->uses == best->uses && nm->when > best->when))
			best = nm;
	}
	return best != NULL ? best->name : NULL;
}

/* The score of e (see compose_addrbook_match in compose.h), 16 bits of
 * it after the point. */
static uint64_t
compose_ab_score(const struct compose_addrbook *ab,
    const struct compose_abentry *e)
{
	int64_t	halvings;

	halvings = (ab->newest - e->when) / COMPOSE_ADDRBOOK_HALFLIFE;
	if (halvings > 63)
		halvings = 63;
	return ((uint64_t)e->uses << 16) >> halvings;
}

/* Whether a ranks above b. */
static bool
compose_ab_above(const struct compose_addrbook *ab,
    const struct compose_abentry *a, const struct compose_abentry *b)
{
	uint64_t	sa = compose_ab_score(ab, a), sb = compose_ab_score(ab, b);

	if (sa != sb)
		return sa > sb;
	if (a->when != b->when)
		return a->when > b->when;
	return compose_ab_casecmp(a->addr, b->addr) < 0;
}

/* Whether e matches prefix: its address, or a display name. */
static bool
compose_ab_entry_match(const struct compose_abentry *e, const char *prefix,
    size_t plen)
{
	unsigned	i;

	if (compose_ab_prefix(e->addr, prefix, plen))
		return true;
	for (i = 0; i < e->nnames; i++) {
		if (compose_ab_name_match(e->names[i].name, prefix, plen))
			return true;
	}
	return false;
}

/* Whether alias a matches prefix: its key, or a member. */
static bool
compose_ab_alias_match(const struct compose_abalias *a, const char *prefix,
    size_t plen)
{
	size_t	i;

	if (compose_ab_prefix(a->key, prefix, plen))
		return true;
	for (i = 0; i < a->l.n; i++) {
		if ((a->l.v[i].addr != NULL &&
		    compose_ab_prefix(a->l.v[i].addr, prefix, plen)) ||
		    compose_ab_name_match(a->l.v[i].name, prefix, plen))
			return true;
	}
	return false;
}

/* Put entry k among the best (sorted, at most max), if it belongs. */
static void
compose_ab_rank(const struct compose_addrbook *ab, size_t *best,
    size_t *nbest, size_t max, size_t k)
{
	size_t	i;

	if (max == 0 || (*nbest == max && !compose_ab_above(ab, &ab->v[k],
	    &ab->v[best[*nbest - 1]])))
		return;
	if (*nbest < max)
		(*nbest)++;
	for (i = *nbest - 1; i > 0 && compose_ab_above(ab, &ab->v[k],
	    &ab->v[best[i - 1]]); i--)
		best[i] = best[i - 1];
	best[i] = k;
}

/* Whether addr is the only member of one of the first nal aliases. */
static bool
compose_ab_offered(const struct compose_addrbook *ab, const size_t *al,
    size_t nal, const char *addr)
{
	size_t	i;

	for (i = 0; i < nal; i++) {
		if (ab->alias[al[i]].single != NULL &&
		    compose_ab_casecmp(ab->alias[al[i]].single, addr) == 0)
			return true;
	}
	return false;
}

/* The aliases matching prefix, in file order, at most max. */
static size_t
compose_ab_match_aliases(const struct compose_addrbook *ab,
    const char *prefix, size_t plen, size_t *al, size_t max)
{
	size_t	i, n = 0;

	for (i = 0; i < ab->nalias && n < max; i++) {
		if (compose_ab_alias_match(&ab->alias[i], prefix, plen))
			al[n++] = i;
	}
	return n;
}

/* The candidates for prefix (see compose.h). */
size_t
compose_addrbook_match(const struct compose_addrbook *ab, const char *prefix,
    char ***out)
{
	size_t	 al[COMPOSE_ADDRBOOK_MATCH_MAX], best[COMPOSE_ADDRBOOK_MATCH_MAX];
	size_t	 nal, nbest = 0, i, n = 0, plen;
	char	**v, *s;

	plen = prefix != NULL ? strlen(prefix) : 0;
	nal = compose_ab_match_aliases(ab, prefix, plen, al,
	    COMPOSE_ADDRBOOK_MATCH_MAX);
	for (i = 0; i < ab->n; i++) {
		if (compose_ab_entry_match(&ab->v[i], prefix, plen) &&
		    !compose_ab_offered(ab, al, nal, ab->v[i].addr))
			compose_ab_rank(ab, best, &nbest,
			    COMPOSE_ADDRBOOK_MATCH_MAX - nal, i);
	}
	v = xcalloc(nal + nbest + 1, sizeof *v);
	for (i = 0; i < nal; i++)
		v[n++] = xstrdup(ab->alias[al[i]].text);
	for (i = 0; i < nbest; i++) {
		s = compose_ab_mailbox(compose_ab_best_name(&ab->v[best[i]]),
		    ab->v[best[i]].addr);
		if (s != NULL)
			v[n++] = s;
	}
	v[n] = NULL;
	*out = v;
	return n;
}

/* Free a vector from compose_addrbook_match. */
void
compose_addrbook_match_free(char **v)
{
	size_t	i;

	if (v == NULL)
		return;
	for (i = 0; v[i] != NULL; i++)
		free(v[i]);
	free(v);
}

/* Free what the book holds and zero it. */
void
compose_addrbook_fini(struct compose_addrbook *ab)
{
	size_t		i;
	unsigned	k;

	for (i = 0; i < ab->n; i++) {
		for (k = 0; k < ab->v[i].nnames; k++)
			free(ab->v[i].names[k].name);
		free(ab->v[i].names);
		free(ab->v[i].addr);
	}
	free(ab->v);
	free(ab->slot);
	for (i = 0; i < ab->nalias; i++)
		compose_ab_alias_fini(&ab->alias[i]);
	free(ab->alias);
	memset(ab, 0, sizeof *ab);
}
