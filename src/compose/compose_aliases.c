/*
 * compose_aliases.c - mutt's aliases file read into the address book
 * (muttrc(5), "alias"): lines "alias [-group NAME]... KEY ADDRESS-LIST",
 * empty lines, "#" comments, a backslash at the end of a line joining
 * the next one (as mutt joins them: directly).
 *
 * The address list is RFC 5322 (section 3.4), read with
 * mime_address_list_parse; every member must have an address the book
 * keeps (compose_ab_addr_ok) and the alias at least one.  A "#" starts a
 * comment at the start of a line or after a blank, outside a quoted
 * string and "<...>" (so "a#b@x" stays an address).  The whole text is
 * read before the book changes: one bad line leaves it as it was.  Keys
 * compare ignoring ASCII case, as mutt's do; a later definition replaces
 * the earlier one in its place.  Work is linear: keys are found through
 * a hash table, however many aliases the text holds.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compose/compose.h"
#include "compose/compose_int.h"
#include "mime/address.h"
#include "util/buf.h"
#include "util/xmalloc.h"

/* Longest alias key (bytes). */
#define COMPOSE_ALIAS_KEY_MAX	128

/* Aliases read from one text, before they join the book. */
struct compose_alset {
	struct compose_abalias	*v;
	size_t			 n;
	size_t			 cap;
};

/* Where a line of the text is. */
struct compose_alpos {
	const char	*name;		/* the file, for errors */
	size_t		 line;		/* first physical line, 1-based */
};

static int	 compose_alias_error(struct error *,
		     const struct compose_alpos *, const char *, ...)
		     __attribute__((format(printf, 3, 4)));

/* Fill err with "NAME:LINE: message"; returns -1. */
static int
compose_alias_error(struct error *err, const struct compose_alpos *pos,
    const char *fmt, ...)
{
	char	msg[ERROR_MSG_MAX];
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return error_set(err, ERR_PARSE, ERR_SCOPE_OP, "%s:%zu: %s", pos->name,
	    pos->line, msg);
}

/* Free what an alias holds. */
void
compose_ab_alias_fini(struct compose_abalias *a)
{
	free(a->key);
	free(a->text);
	free(a->single);
	mime_address_list_fini(&a->l);
	memset(a, 0, sizeof *a);
}

/* Cut a comment off s (see the file comment). */
static void
compose_alias_uncomment(char *s)
{
	size_t	i;
	bool	quoted = false, angle = false;

	for (i = 0; s[i] != '\0'; i++) {
		if (quoted && s[i] == '\\' && s[i + 1] != '\0')
			i++;
		else if (s[i] == '"' && !angle)
			quoted = !quoted;
		else if (!quoted && s[i] == '<')
			angle = true;
		else if (!quoted && s[i] == '>')
			angle = false;
		else if (s[i] == '#' && !quoted && !angle &&
		    (i == 0 || s[i - 1] == ' ' || s[i - 1] == '\t')) {
			s[i] = '\0';
			return;
		}
	}
}

/* The next blank-separated word of *s (NUL-terminated in place), or
 * NULL at the end; *s moves past it. */
static char *
compose_alias_word(char **s)
{
	char	*w, *p = *s;

	while (*p == ' ' || *p == '\t')
		p++;
	if (*p == '\0')
		return NULL;
	for (w = p; *p != '\0' && *p != ' ' && *p != '\t'; p++)
		;
	if (*p != '\0')
		*p++ = '\0';
	*s = p;
	return w;
}

/* Check the members of an alias and write them as its text. */
static int
compose_alias_members(struct compose_abalias *a,
    const struct compose_alpos *pos, struct error *err)
{
	struct buf	 b = BUF_INITIALIZER(0);
	const char	*bad;
	char		*m, *shown;
	size_t		 i, naddr = 0;

	for (i = 0; i < a->l.n; i++) {
		if (a->l.v[i].addr == NULL && a->l.v[i].name == NULL)
			continue;	/* an empty group */
		if (!compose_ab_addr_ok(a->l.v[i].addr) || (m =
		    compose_ab_mailbox(a->l.v[i].name, a->l.v[i].addr)) ==
		    NULL) {
			buf_fini(&b);
			bad = a->l.v[i].addr != NULL ? a->l.v[i].addr :
			    a->l.v[i].name;
			shown = compose_clean_line(bad, strnlen(bad, 64));
			compose_alias_error(err, pos, "alias %s: \"%s\" is not "
			    "an address", a->key, shown != NULL ? shown : "");
			free(shown);
			return -1;
		}
		if (b.len > 0)
			buf_adds(&b, ", ");
		buf_adds(&b, m);
		free(m);
		if (naddr++ == 0)
			a->single = xstrdup(a->l.v[i].addr);
	}
	if (naddr != 1) {
		free(a->single);
		a->single = NULL;
	}
	if (naddr == 0) {
		buf_fini(&b);
		return compose_alias_error(err, pos, "alias %s has no address",
		    a->key);
	}
	a->text = buf_take(&b);
	return 0;
}

/* Read one logical line (comments not yet cut) into set. */
static int
compose_alias_line(struct compose_alset *set, char *s,
    const struct compose_alpos *pos, struct error *err)
{
	struct compose_abalias	 a;
	char			*w, *key, *clean;

	compose_alias_uncomment(s);
	if ((w = compose_alias_word(&s)) == NULL)
		return 0;
	if (strcmp(w, "alias") != 0)
		return compose_alias_error(err, pos, "expected \"alias KEY "
		    "ADDRESS\"");
	while ((key = compose_alias_word(&s)) != NULL &&
	    strcmp(key, "-group") == 0) {
		if (compose_alias_word(&s) == NULL)
			return compose_alias_error(err, pos, "-group without "
			    "a group name");
	}
	if (key == NULL)
		return compose_alias_error(err, pos, "alias without a key");
	clean = compose_clean_line(key, strlen(key));
	if (clean == NULL || strcmp(clean, key) != 0 ||
	    strlen(key) > COMPOSE_ALIAS_KEY_MAX) {
		free(clean);
		return compose_alias_error(err, pos, "bad alias key");
	}
	memset(&a, 0, sizeof a);
	a.key = clean;
	mime_address_list_parse(s, strlen(s), &a.l);
	if (compose_alias_members(&a, pos, err) == -1) {
		compose_ab_alias_fini(&a);
		return -1;
	}
	if (set->n == set->cap) {
		set->cap = set->cap == 0 ? 16 : set->cap * 2;
		set->v = xreallocarray(set->v, set->cap, sizeof *set->v);
	}
	set->v[set->n++] = a;
	return 0;
}

/* The slot of key in a table of alias indexes (index + 1, 0 free):
 * where it is, or the free slot where it would go. */
static size_t
compose_alias_slot(const struct compose_addrbook *ab, const size_t *slot,
    size_t nslot, const char *key)
{
	size_t	i, mask = nslot - 1;

	for (i = compose_ab_hash(key) & mask; slot[i] != 0;
	    i = (i + 1) & mask) {
		if (compose_ab_casecmp(ab->alias[slot[i] - 1].key, key) == 0)
			break;
	}
	return i;
}

/* Move the aliases of set into the book: a known key replaced in place,
 * a new one added (or dropped past COMPOSE_ADDRBOOK_MAX). */
static void
compose_alias_merge(struct compose_addrbook *ab, struct compose_alset *set)
{
	size_t	*slot, nslot = 16, i, k;

	while (nslot < 2 * (ab->nalias + set->n) + 2)
		nslot *= 2;
	slot = xcalloc(nslot, sizeof *slot);
	for (i = 0; i < ab->nalias; i++)
		slot[compose_alias_slot(ab, slot, nslot, ab->alias[i].key)] =
		    i + 1;
	for (i = 0; i < set->n; i++) {
		k = compose_alias_slot(ab, slot, nslot, set->v[i].key);
		if (slot[k] != 0) {
			compose_ab_alias_fini(&ab->alias[slot[k] - 1]);
			ab->alias[slot[k] - 1] = set->v[i];
			continue;
		}
		if (ab->nalias >= COMPOSE_ADDRBOOK_MAX) {
			ab->dropped++;
			compose_ab_alias_fini(&set->v[i]);
			continue;
		}
		if (ab->nalias == ab->alias_cap) {
			ab->alias_cap = ab->alias_cap == 0 ? 16 :
			    ab->alias_cap * 2;
			ab->alias = xreallocarray(ab->alias, ab->alias_cap,
			    sizeof *ab->alias);
		}
		ab->alias[ab->nalias++] = set->v[i];
		slot[k] = ab->nalias;
	}
	free(slot);
	set->n = 0;
}

/* Read the next logical line from text at *off into line (backslash
 * continuations joined, CRs before LF dropped); *nphys gets how many
 * lines it took.  -1 on a NUL byte. */
static int
compose_alias_next(const char *text, size_t len, size_t *off,
    struct buf *line, size_t *nphys)
{
	const char	*nl;
	size_t		 e, n;
	bool		 more;

	buf_reset(line);
	*nphys = 0;
	do {
		nl = memchr(text + *off, '\n', len - *off);
		e = nl != NULL ? (size_t)(nl - text) : len;
		n = e - *off;
		if (memchr(text + *off, '\0', n) != NULL)
			return -1;
		if (n > 0 && text[*off + n - 1] == '\r')
			n--;
		more = n > 0 && text[*off + n - 1] == '\\';
		buf_add(line, text + *off, more ? n - 1 : n);
		(*nphys)++;
		*off = nl != NULL ? e + 1 : len;
	} while (more && *off < len);
	return 0;
}

/* Read aliases from text (see compose.h). */
int
compose_addrbook_load_aliases_text(struct compose_addrbook *ab,
    const char *name, const char *text, size_t len, struct error *err)
{
	struct compose_alset	 set = { NULL, 0, 0 };
	struct compose_alpos	 pos = { name, 1 };
	struct buf		 line = BUF_INITIALIZER(0);
	size_t			 off = 0, nphys, i;
	int			 rc = -1;

	if (len > COMPOSE_ALIASES_MAX) {
		error_set(err, ERR_TOOBIG, ERR_SCOPE_OP, "%s is too large (%zu "
		    "bytes, at most %d)", name, len, COMPOSE_ALIASES_MAX);
		goto out;
	}
	while (off < len) {
		if (compose_alias_next(text, len, &off, &line, &nphys) == -1) {
			compose_alias_error(err, &pos, "NUL byte");
			goto out;
		}
		if (line.len > 0 && compose_alias_line(&set, line.data, &pos,
		    err) == -1)
			goto out;
		pos.line += nphys;
	}
	compose_alias_merge(ab, &set);
	rc = 0;
out:
	for (i = 0; i < set.n; i++)
		compose_ab_alias_fini(&set.v[i]);
	free(set.v);
	buf_fini(&line);
	return rc;
}

/* Read a mutt aliases file (see compose.h). */
int
compose_addrbook_load_aliases(struct compose_addrbook *ab, const char *path,
    struct error *err)
{
	struct buf	data = BUF_INITIALIZER(0);
	int		rc;

	if (compose_file_read(path, COMPOSE_ALIASES_MAX, &data, err) == -1)
		rc = -1;
	else
		rc = compose_addrbook_load_aliases_text(ab, path,
		    buf_str(&data), data.len, err);
	buf_fini(&data);
	return rc;
}
