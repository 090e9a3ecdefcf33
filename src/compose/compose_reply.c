/*
 * compose_reply.c - who a reply goes to, and the ids that thread it.
 *
 * The rules are mutt's (send.c: default_to, mutt_fix_reply_recipients):
 * a reply goes to Reply-To, else From; if the original is one's own
 * (its From is one of the identity's addresses) it goes to the original
 * To instead.  A reply to all goes to Mail-Followup-To when the original
 * has one (it replaces To and Cc; see the draft at
 * https://cr.yp.to/proto/replyto.html), else adds the original To to To
 * and its Cc to Cc.  Then one's own addresses go (Cc first; the last one
 * stays when nothing else would: replying to a note to oneself), each
 * list loses its duplicates, Cc loses what To has, and a Cc left alone
 * becomes the To.  Addresses compare as whole addr-specs,
 * case-insensitively (as mutt_addr_is_user does).  Members without an
 * address (bare names, junk, empty groups) are dropped; groups are
 * flattened.
 *
 * In-Reply-To and References follow RFC 5322 section 3.6.4.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "compose/compose.h"
#include "compose/compose_int.h"
#include "mime/address.h"
#include "mime/mime.h"
#include "util/buf.h"
#include "util/sanitize.h"
#include "util/xmalloc.h"

/* Borrowed members, in order. */
struct compose_alist {
	const struct mime_address **v;
	size_t			    n;
	size_t			    cap;
};

/* The address lists of the original that a reply looks at. */
struct compose_orig {
	struct mime_address_list from;
	struct mime_address_list reply_to;
	struct mime_address_list to;
	struct mime_address_list cc;
	struct mime_address_list mft;
};

/* Parse header name of orig into l (empty when missing). */
static void
compose_orig_list(const char *orig, size_t len, const char *name,
    struct mime_address_list *l)
{
	char	*raw;

	raw = mime_header_get(orig, len, name);
	mime_address_list_parse(raw, raw != NULL ? strlen(raw) : 0, l);
	free(raw);
}

/* Whether addr is one of the identity's own addresses. */
bool
compose_addr_own(const struct compose_identity *id, const char *addr)
{
	struct mime_address_list	 l;
	size_t				 i;
	bool				 own = false;

	if (id == NULL || addr == NULL)
		return false;
	for (i = 0; id->alternates != NULL && id->alternates[i] != NULL; i++) {
		if (strcasecmp(id->alternates[i], addr) == 0)
			return true;
	}
	if (id->from == NULL)
		return false;
	mime_address_list_parse(id->from, strlen(id->from), &l);
	for (i = 0; i < l.n && !own; i++)
		own = l.v[i].addr != NULL && strcasecmp(l.v[i].addr, addr) == 0;
	mime_address_list_fini(&l);
	return own;
}

/* Append the members of l that have an address. */
static void
compose_alist_add(struct compose_alist *a, const struct mime_address_list *l)
{
	size_t	i;

	for (i = 0; i < l->n; i++) {
		if (l->v[i].addr == NULL)
			continue;
		if (a->n == a->cap) {
			a->cap = a->cap == 0 ? 8 : a->cap * 2;
			a->v = xreallocarray(a->v, a->cap, sizeof *a->v);
		}
		a->v[a->n++] = &l->v[i];
	}
}

/* Whether a holds addr. */
static bool
compose_alist_has(const struct compose_alist *a, const char *addr)
{
	size_t	i;

	for (i = 0; i < a->n; i++) {
		if (strcasecmp(a->v[i]->addr, addr) == 0)
			return true;
	}
	return false;
}

/* Drop one's own addresses; when leave_only and nothing else is left,
 * the last own one stays (mutt's remove_user). */
static void
compose_alist_unown(struct compose_alist *a,
    const struct compose_identity *id, bool leave_only)
{
	const struct mime_address	*last_own = NULL;
	size_t				 i, n = 0;

	for (i = 0; i < a->n; i++) {
		if (compose_addr_own(id, a->v[i]->addr))
			last_own = a->v[i];
		else
			a->v[n++] = a->v[i];
	}
	if (n == 0 && leave_only && last_own != NULL)
		a->v[n++] = last_own;
	a->n = n;
}

/* Drop from a the duplicates within it and the members of other. */
static void
compose_alist_dedup(struct compose_alist *a, const struct compose_alist *other)
{
	struct compose_alist	kept = { a->v, 0, a->cap };
	size_t			i;

	for (i = 0; i < a->n; i++) {
		if (compose_alist_has(&kept, a->v[i]->addr))
			continue;
		if (other != NULL && compose_alist_has(other, a->v[i]->addr))
			continue;
		a->v[kept.n++] = a->v[i];
	}
	a->n = kept.n;
}

/* Append one member as "Name <addr>" (the name quoted when it holds a
 * special, RFC 5322 section 3.2.3), or "addr"; control characters are
 * dropped from both. */
void
compose_addr_put(struct buf *b, const struct mime_address *m)
{
	char		*name, *addr;
	const char	*c;

	addr = compose_clean_line(m->addr, strlen(m->addr));
	name = m->name != NULL ? compose_clean_line(m->name,
	    strlen(m->name)) : NULL;
	if (name != NULL && addr != NULL && strcmp(name, addr) != 0) {
		if (strpbrk(name, "()<>[]:;@\\,.\"") == NULL)
			buf_adds(b, name);
		else {
			buf_addc(b, '"');
			for (c = name; *c != '\0'; c++) {
				if (*c == '"' || *c == '\\')
					buf_addc(b, '\\');
				buf_addc(b, *c);
			}
			buf_addc(b, '"');
		}
		buf_printf(b, " <%s>", addr);
	} else if (addr != NULL)
		buf_adds(b, addr);
	free(name);
	free(addr);
}

/* Cut b back to n bytes. */
static void
compose_buf_cut(struct buf *b, size_t n)
{
	b->len = n;
	if (b->data != NULL)
		b->data[n] = '\0';
}

/* The members as one address list, or NULL when empty.  Whole members
 * only: those that would pass COMPOSE_LINE_MAX are left out. */
static char *
compose_alist_line(const struct compose_alist *a)
{
	struct buf	b = BUF_INITIALIZER(COMPOSE_LINE_MAX);
	size_t		i, keep;

	for (i = 0; i < a->n; i++) {
		keep = b.len;
		if (b.len > 0)
			buf_adds(&b, ", ");
		compose_addr_put(&b, a->v[i]);
		if (!b.too_big && b.len == keep + (keep > 0 ? 2 : 0)) {
			compose_buf_cut(&b, keep);	/* nothing printable */
			continue;
		}
		if (b.too_big) {
			b.too_big = false;
			compose_buf_cut(&b, keep);
			break;
		}
	}
	if (b.len == 0) {
		buf_fini(&b);
		return NULL;
	}
	return buf_take(&b);
}

/* Every member of l that has an address, as one list (see
 * compose_alist_line), or NULL when there is none. */
char *
compose_list_line(const struct mime_address_list *l)
{
	struct compose_alist	 a = { NULL, 0, 0 };
	char			*s;

	compose_alist_add(&a, l);
	s = compose_alist_line(&a);
	free(a.v);
	return s;
}

/* Whether any From: address of the original is one's own. */
static bool
compose_orig_own(const struct compose_orig *o,
    const struct compose_identity *id)
{
	size_t	i;

	for (i = 0; i < o->from.n; i++) {
		if (compose_addr_own(id, o->from.v[i].addr))
			return true;
	}
	return false;
}

/* Whether a list has at least one member with an address. */
static bool
compose_list_usable(const struct mime_address_list *l)
{
	size_t	i;

	for (i = 0; i < l->n; i++) {
		if (l->v[i].addr != NULL)
			return true;
	}
	return false;
}

/* Gather To and Cc before own addresses and duplicates go. */
static void
compose_reply_gather(const struct compose_orig *o,
    const struct compose_identity *id, bool all, struct compose_alist *to,
    struct compose_alist *cc)
{
	if (all && compose_list_usable(&o->mft)) {
		compose_alist_add(to, &o->mft);
		return;
	}
	if (compose_orig_own(o, id))
		compose_alist_add(to, &o->to);
	else if (compose_list_usable(&o->reply_to))
		compose_alist_add(to, &o->reply_to);
	else
		compose_alist_add(to, &o->from);
	if (all) {
		compose_alist_add(to, &o->to);
		compose_alist_add(cc, &o->cc);
	}
}

/* Set d->to and d->cc of a reply (or reply to all) to orig. */
void
compose_reply_recipients(struct compose_draft *d,
    const struct compose_identity *id, const char *orig, size_t len,
    bool all)
{
	struct compose_orig	o;
	struct compose_alist	to = { NULL, 0, 0 }, cc = { NULL, 0, 0 };

	compose_orig_list(orig, len, "From", &o.from);
	compose_orig_list(orig, len, "Reply-To", &o.reply_to);
	compose_orig_list(orig, len, "To", &o.to);
	compose_orig_list(orig, len, "Cc", &o.cc);
	compose_orig_list(orig, len, "Mail-Followup-To", &o.mft);
	compose_reply_gather(&o, id, all, &to, &cc);

	/* Cc first, so that a lone own address ends up in To. */
	compose_alist_unown(&cc, id, to.n == 0);
	compose_alist_unown(&to, id, cc.n == 0);
	compose_alist_dedup(&to, NULL);
	compose_alist_dedup(&cc, &to);
	if (to.n == 0) {
		free(to.v);
		to = cc;
		memset(&cc, 0, sizeof cc);
	}
	d->to = compose_alist_line(&to);
	d->cc = compose_alist_line(&cc);
	free(to.v);
	free(cc.v);
	mime_address_list_fini(&o.from);
	mime_address_list_fini(&o.reply_to);
	mime_address_list_fini(&o.to);
	mime_address_list_fini(&o.cc);
	mime_address_list_fini(&o.mft);
}

/* The message ids of header name in orig (mime_msgids), or NULL. */
char *
compose_ids(const char *orig, size_t len, const char *name)
{
	char	*raw, *ids;

	if ((raw = mime_header_get(orig, len, name)) == NULL)
		return NULL;
	ids = mime_msgids(raw, strlen(raw));
	free(raw);
	return ids;
}

/* The first id of a References value when mime_msgids had to leave it
 * out (the root of the thread, worth keeping: RFC 5322 3.6.4), or NULL. */
static char *
compose_ids_root(const char *orig, size_t len, const char *kept)
{
	char		*raw, *root = NULL;
	const char	*lt, *gt;

	if ((raw = mime_header_get(orig, len, "References")) == NULL)
		return NULL;
	if ((lt = strchr(raw, '<')) != NULL &&
	    (gt = strchr(lt, '>')) != NULL)
		root = mime_msgids(lt, (size_t)(gt - lt) + 1);
	free(raw);
	if (root != NULL && strncmp(kept, root, strlen(root)) == 0) {
		free(root);
		root = NULL;
	}
	return root;
}

/* The parent's References for the reply: its References, else its
 * In-Reply-To when that is a single id; NULL if none. */
static char *
compose_parent_refs(const char *orig, size_t len)
{
	char	*refs, *root, *r;

	if ((refs = compose_ids(orig, len, "References")) != NULL) {
		if ((root = compose_ids_root(orig, len, refs)) != NULL) {
			r = xasprintf("%s %s", root, refs);
			free(root);
			free(refs);
			refs = r;
		}
		return refs;
	}
	refs = compose_ids(orig, len, "In-Reply-To");
	if (refs != NULL && strchr(refs, ' ') != NULL) {
		free(refs);
		refs = NULL;
	}
	return refs;
}

/* Set d->in_reply_to and d->references of a reply to orig. */
void
compose_reply_ids(struct compose_draft *d, const char *orig, size_t len)
{
	char	*ids, *refs, *sp;

	if ((ids = compose_ids(orig, len, "Message-ID")) != NULL &&
	    (sp = strchr(ids, ' ')) != NULL)
		*sp = '\0';		/* the first id */
	refs = compose_parent_refs(orig, len);
	d->in_reply_to = ids;
	if (refs != NULL && ids != NULL) {
		d->references = xasprintf("%s %s", refs, ids);
		free(refs);
	} else if (refs != NULL)
		d->references = refs;
	else if (ids != NULL)
		d->references = xstrdup(ids);
}
