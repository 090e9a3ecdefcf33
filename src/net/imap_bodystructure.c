/*
 * imap_bodystructure.c - a BODYSTRUCTURE value tree into struct
 * imap_bs_part.
 *
 * Implements the body grammar of RFC 3501 section 9 / RFC 9051 section 9
 * (body, body-type-1part, body-type-mpart, body-fields, body-ext-1part,
 * body-ext-mpart, body-fld-dsp, body-fld-lang) and the part numbering of
 * RFC 3501 section 6.4.5.  It reads what imap_parse.c produced and never
 * touches bytes itself; every loop is bounded by a list length, recursion
 * by IMAP_BS_DEPTH_MAX and the tree by IMAP_BS_PARTS_MAX.  The deviations
 * it tolerates are listed in imap_bodystructure.h; body-extension values
 * after the location are skipped whatever their shape.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "net/imap_bodystructure.h"
#include "util/xmalloc.h"

struct imap_bs_ctx {
	struct error	*err;
	size_t		 parts;		/* parts made so far */
	const char	*where;		/* section being read, for errors */
};

static int	imap_bs_body(struct imap_bs_ctx *, const struct imap_value *,
		    struct imap_bs_part *, unsigned, const char *, size_t);
static void	imap_bs_part_fini(struct imap_bs_part *);

/* Fail with a protocol error about the structure, naming the part. */
static int
imap_bs_bad(struct imap_bs_ctx *ctx, const char *what)
{
	if (ctx->where == NULL || *ctx->where == '\0') {
		return error_set(ctx->err, ERR_PROTOCOL, ERR_SCOPE_MESSAGE,
		    "malformed BODYSTRUCTURE: %s", what);
	}
	return error_set(ctx->err, ERR_PROTOCOL, ERR_SCOPE_MESSAGE,
	    "malformed BODYSTRUCTURE: %s (part %s)", what, ctx->where);
}

/* Whether a value is a string, or an atom standing in for one. */
static bool
imap_bs_is_str(const struct imap_value *v)
{
	return v != NULL && (v->type == IMAP_V_STRING ||
	    v->type == IMAP_V_ATOM);
}

/* Whether a value is a string, an atom or NIL (an nstring). */
static bool
imap_bs_is_nstr(const struct imap_value *v)
{
	return v != NULL && (imap_bs_is_str(v) || v->type == IMAP_V_NIL);
}

/* A copy of a string value (NIL: NULL); the caller checked the type. */
static char *
imap_bs_dup(const struct imap_value *v)
{
	return imap_slice_dup(imap_value_slice(v));
}

/* A lowercased copy of a string value (NIL: NULL). */
static char *
imap_bs_dup_lower(const struct imap_value *v)
{
	char	*s;

	if ((s = imap_bs_dup(v)) == NULL)
		return NULL;
	for (char *p = s; *p != '\0'; p++) {
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	}
	return s;
}

/* Read an optional number (NIL: 0); -1 if it is something else. */
static int
imap_bs_number(const struct imap_value *v, uint64_t *out)
{
	*out = 0;
	if (v->type == IMAP_V_NIL)
		return 0;
	if (!imap_bs_is_str(v))
		return -1;
	return imap_parse_number(imap_value_slice(v), UINT64_MAX / 2, out);
}

/* Read body-fld-param: NIL, () or a list of name/value string pairs. */
static int
imap_bs_params(struct imap_bs_ctx *ctx, const struct imap_value *v,
    struct imap_bs_params *out)
{
	const struct imap_value	*it;

	if (v->type == IMAP_V_NIL)
		return 0;
	if (v->type != IMAP_V_LIST || v->n % 2 != 0)
		return imap_bs_bad(ctx, "parameters are not name/value pairs");
	if (v->n == 0)
		return 0;
	out->v = xcalloc(v->n / 2, sizeof *out->v);
	for (size_t i = 0; i < v->n; i += 2) {
		it = &v->items[i];
		if (!imap_bs_is_str(&it[0]) || !imap_bs_is_nstr(&it[1]))
			return imap_bs_bad(ctx, "parameter is not a string");
		out->v[out->n].name = imap_bs_dup_lower(&it[0]);
		out->v[out->n].value = imap_bs_dup(&it[1]);
		if (out->v[out->n].value == NULL)
			out->v[out->n].value = xstrdup("");
		out->n++;
	}
	return 0;
}

/* Free a parameter list. */
static void
imap_bs_params_fini(struct imap_bs_params *ps)
{
	for (size_t i = 0; i < ps->n; i++) {
		free(ps->v[i].name);
		free(ps->v[i].value);
	}
	free(ps->v);
	ps->v = NULL;
	ps->n = 0;
}

/* Read body-fld-dsp: NIL, (type params), or leniently a bare string. */
static int
imap_bs_disposition(struct imap_bs_ctx *ctx, const struct imap_value *v,
    struct imap_bs_part *part)
{
	if (v->type == IMAP_V_NIL)
		return 0;
	if (imap_bs_is_str(v)) {
		part->disposition = imap_bs_dup_lower(v);
		return 0;
	}
	if (v->type != IMAP_V_LIST || v->n == 0 || v->n > 2 ||
	    !imap_bs_is_str(&v->items[0]))
		return imap_bs_bad(ctx, "bad disposition");
	part->disposition = imap_bs_dup_lower(&v->items[0]);
	if (v->n == 2)
		return imap_bs_params(ctx, &v->items[1], &part->dsp_params);
	return 0;
}

/* Read body-fld-lang: NIL, one string, or a list of strings. */
static int
imap_bs_language(struct imap_bs_ctx *ctx, const struct imap_value *v,
    struct imap_bs_part *part)
{
	if (v->type == IMAP_V_NIL)
		return 0;
	if (imap_bs_is_str(v)) {
		part->language = xcalloc(1, sizeof *part->language);
		part->language[part->nlanguage++] = imap_bs_dup(v);
		return 0;
	}
	if (v->type != IMAP_V_LIST)
		return imap_bs_bad(ctx, "bad language");
	if (v->n == 0)
		return 0;
	part->language = xcalloc(v->n, sizeof *part->language);
	for (size_t i = 0; i < v->n; i++) {
		if (!imap_bs_is_str(&v->items[i]))
			return imap_bs_bad(ctx, "language is not a string");
		part->language[part->nlanguage++] = imap_bs_dup(&v->items[i]);
	}
	return 0;
}

/*
 * Read the extension data from item `at` on: for a single part md5, dsp,
 * lang, loc (body-ext-1part); for a multipart params, dsp, lang, loc
 * (body-ext-mpart).  Each may be absent; whatever follows is skipped.
 */
static int
imap_bs_extension(struct imap_bs_ctx *ctx, const struct imap_value *v,
    size_t at, struct imap_bs_part *part)
{
	const struct imap_value	*it = v->items;

	if (at < v->n) {
		if (part->kind == IMAP_BS_MULTIPART) {
			if (imap_bs_params(ctx, &it[at], &part->params) == -1)
				return -1;
		} else if (imap_bs_is_nstr(&it[at]))
			part->md5 = imap_bs_dup(&it[at]);
		else
			return imap_bs_bad(ctx, "MD5 is not a string");
	}
	if (at + 1 < v->n &&
	    imap_bs_disposition(ctx, &it[at + 1], part) == -1)
		return -1;
	if (at + 2 < v->n && imap_bs_language(ctx, &it[at + 2], part) == -1)
		return -1;
	if (at + 3 < v->n) {
		if (!imap_bs_is_nstr(&it[at + 3]))
			return imap_bs_bad(ctx, "location is not a string");
		part->location = imap_bs_dup(&it[at + 3]);
	}
	return 0;
}

/* Read one address list of an envelope (NIL or a list of 4-lists). */
static int
imap_bs_addrs(struct imap_bs_ctx *ctx, const struct imap_value *v,
    struct imap_bs_addr_list *out)
{
	const struct imap_value	*a;
	struct imap_bs_address	*d;

	if (v->type == IMAP_V_NIL)
		return 0;
	if (v->type != IMAP_V_LIST)
		return imap_bs_bad(ctx, "envelope address list");
	if (v->n == 0)
		return 0;
	out->v = xcalloc(v->n, sizeof *out->v);
	for (size_t i = 0; i < v->n; i++) {
		a = &v->items[i];
		if (a->type != IMAP_V_LIST || a->n != 4 ||
		    !imap_bs_is_nstr(&a->items[0]) ||
		    !imap_bs_is_nstr(&a->items[1]) ||
		    !imap_bs_is_nstr(&a->items[2]) ||
		    !imap_bs_is_nstr(&a->items[3]))
			return imap_bs_bad(ctx, "envelope address");
		d = &out->v[out->n++];
		d->name = imap_bs_dup(&a->items[0]);
		d->adl = imap_bs_dup(&a->items[1]);
		d->mailbox = imap_bs_dup(&a->items[2]);
		d->host = imap_bs_dup(&a->items[3]);
	}
	return 0;
}

/* Free one address list. */
static void
imap_bs_addrs_fini(struct imap_bs_addr_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i].name);
		free(l->v[i].adl);
		free(l->v[i].mailbox);
		free(l->v[i].host);
	}
	free(l->v);
}

/* Free an envelope (may be NULL). */
static void
imap_bs_envelope_free(struct imap_bs_envelope *e)
{
	if (e == NULL)
		return;
	free(e->date);
	free(e->subject);
	imap_bs_addrs_fini(&e->from);
	imap_bs_addrs_fini(&e->sender);
	imap_bs_addrs_fini(&e->reply_to);
	imap_bs_addrs_fini(&e->to);
	imap_bs_addrs_fini(&e->cc);
	imap_bs_addrs_fini(&e->bcc);
	free(e->in_reply_to);
	free(e->message_id);
	free(e);
}

/* Read the 10-item envelope of a message/rfc822 part into part->env. */
static int
imap_bs_envelope(struct imap_bs_ctx *ctx, const struct imap_value *v,
    struct imap_bs_part *part)
{
	const struct imap_value		*it = v->items;
	struct imap_bs_envelope		*e;
	struct imap_bs_addr_list	*lists[6];

	if (v->n != 10 || !imap_bs_is_nstr(&it[0]) ||
	    !imap_bs_is_nstr(&it[1]) || !imap_bs_is_nstr(&it[8]) ||
	    !imap_bs_is_nstr(&it[9]))
		return imap_bs_bad(ctx, "envelope is not 10 fields");
	e = part->env = xcalloc(1, sizeof *e);
	e->date = imap_bs_dup(&it[0]);
	e->subject = imap_bs_dup(&it[1]);
	e->in_reply_to = imap_bs_dup(&it[8]);
	e->message_id = imap_bs_dup(&it[9]);
	lists[0] = &e->from;
	lists[1] = &e->sender;
	lists[2] = &e->reply_to;
	lists[3] = &e->to;
	lists[4] = &e->cc;
	lists[5] = &e->bcc;
	for (size_t i = 0; i < 6; i++) {
		if (imap_bs_addrs(ctx, &it[2 + i], lists[i]) == -1)
			return -1;
	}
	return 0;
}

/* Count a new part against IMAP_BS_PARTS_MAX. */
static int
imap_bs_count_part(struct imap_bs_ctx *ctx)
{
	if (++ctx->parts > IMAP_BS_PARTS_MAX) {
		return error_set(ctx->err, ERR_TOOBIG, ERR_SCOPE_MESSAGE,
		    "BODYSTRUCTURE has more than %d parts", IMAP_BS_PARTS_MAX);
	}
	return 0;
}

/*
 * Read a multipart: nparts bodies, then the subtype (absent when
 * nparts == 0 was detected from a bare subtype), then body-ext-mpart.
 * Children are numbered base.1, base.2, ... (RFC 3501 section 6.4.5).
 */
static int
imap_bs_multipart(struct imap_bs_ctx *ctx, const struct imap_value *v,
    struct imap_bs_part *part, unsigned depth, size_t nparts)
{
	part->kind = IMAP_BS_MULTIPART;
	part->type = xstrdup("multipart");
	if (nparts == v->n || !imap_bs_is_str(&v->items[nparts]))
		return imap_bs_bad(ctx, "multipart without a subtype");
	part->subtype = imap_bs_dup_lower(&v->items[nparts]);
	if (nparts > 0)
		part->parts = xcalloc(nparts, sizeof *part->parts);
	for (size_t i = 0; i < nparts; i++) {
		part->parts[i].parent = part;
		part->nparts++;
		if (imap_bs_body(ctx, &v->items[i], &part->parts[i],
		    depth + 1, part->section, i + 1) == -1)
			return -1;
	}
	ctx->where = part->section;
	return imap_bs_extension(ctx, v, nparts + 1, part);
}

/*
 * Read the body fields shared by every single part: type, subtype,
 * params, id, description, encoding, size (items 0 to 6).
 */
static int
imap_bs_fields(struct imap_bs_ctx *ctx, const struct imap_value *v,
    struct imap_bs_part *part)
{
	const struct imap_value	*it = v->items;

	if (v->n < 7)
		return imap_bs_bad(ctx, "body part has fewer than 7 fields");
	if (!imap_bs_is_str(&it[1]))
		return imap_bs_bad(ctx, "subtype is not a string");
	if (!imap_bs_is_nstr(&it[3]) || !imap_bs_is_nstr(&it[4]) ||
	    !imap_bs_is_nstr(&it[5]))
		return imap_bs_bad(ctx, "id, description or encoding");
	part->type = imap_bs_dup_lower(&it[0]);
	part->subtype = imap_bs_dup_lower(&it[1]);
	if (imap_bs_params(ctx, &it[2], &part->params) == -1)
		return -1;
	part->id = imap_bs_dup(&it[3]);
	part->description = imap_bs_dup(&it[4]);
	part->encoding = imap_bs_dup_lower(&it[5]);
	if (imap_bs_number(&it[6], &part->size) == -1)
		return imap_bs_bad(ctx, "size is not a number");
	return 0;
}

/*
 * Read a single part: text (lines follow the fields), message/rfc822 or
 * message/global (envelope, body, lines follow), or basic; then its
 * body-ext-1part.  A message part sent without envelope and body is read
 * as basic, a text part without lines as having none.
 */
static int
imap_bs_single(struct imap_bs_ctx *ctx, const struct imap_value *v,
    struct imap_bs_part *part, unsigned depth)
{
	const struct imap_value	*it = v->items;
	size_t			 at = 7;

	if (imap_bs_fields(ctx, v, part) == -1)
		return -1;
	if (strcmp(part->type, "text") == 0) {
		part->kind = IMAP_BS_TEXT;
		if (at < v->n && it[at].type == IMAP_V_ATOM &&
		    imap_bs_number(&it[at], &part->lines) == 0) {
			part->has_lines = true;
			at++;
		}
	} else if (strcmp(part->type, "message") == 0 && (strcmp(
	    part->subtype, "rfc822") == 0 || strcmp(part->subtype,
	    "global") == 0) && v->n >= 10 && it[7].type == IMAP_V_LIST &&
	    it[8].type == IMAP_V_LIST) {
		part->kind = IMAP_BS_MESSAGE;
		if (imap_bs_envelope(ctx, &it[7], part) == -1)
			return -1;
		part->parts = xcalloc(1, sizeof *part->parts);
		part->parts[0].parent = part;
		part->nparts = 1;
		if (imap_bs_body(ctx, &it[8], &part->parts[0], depth + 1,
		    part->section, 0) == -1)
			return -1;
		ctx->where = part->section;
		if (imap_bs_number(&it[9], &part->lines) == -1)
			return imap_bs_bad(ctx, "message lines");
		part->has_lines = it[9].type != IMAP_V_NIL;
		at = 10;
	} else
		part->kind = IMAP_BS_BASIC;
	return imap_bs_extension(ctx, v, at, part);
}

/* The section number: base.index, or "index" when base is empty. */
static char *
imap_bs_section(const char *base, size_t index)
{
	if (*base == '\0')
		return xasprintf("%zu", index);
	return xasprintf("%s.%zu", base, index);
}

/*
 * Read one body into part.  index > 0: the part is child `index` of a
 * multipart numbered base; index == 0: the part is the body of the
 * message numbered base ("" for the top), which makes a multipart share
 * the message's number and any other part base.1 (RFC 3501 section 6.4.5).
 */
static int
imap_bs_body(struct imap_bs_ctx *ctx, const struct imap_value *v,
    struct imap_bs_part *part, unsigned depth, const char *base,
    size_t index)
{
	size_t	 nparts = 0;
	bool	 multi;

	if (depth >= IMAP_BS_DEPTH_MAX) {
		return error_set(ctx->err, ERR_TOOBIG, ERR_SCOPE_MESSAGE,
		    "BODYSTRUCTURE nested more than %d deep",
		    IMAP_BS_DEPTH_MAX);
	}
	if (imap_bs_count_part(ctx) == -1)
		return -1;
	if (v->type != IMAP_V_LIST || v->n == 0)
		return imap_bs_bad(ctx, "body is not a list");
	while (nparts < v->n && v->items[nparts].type == IMAP_V_LIST)
		nparts++;
	/* ("MIXED" ...) with no parts: a string not followed by a subtype. */
	multi = nparts > 0 || (imap_bs_is_str(&v->items[0]) && (v->n == 1 ||
	    v->items[1].type == IMAP_V_LIST || v->items[1].type == IMAP_V_NIL));
	if (!multi && !imap_bs_is_str(&v->items[0]))
		return imap_bs_bad(ctx, "media type is not a string");
	if (index > 0)
		part->section = imap_bs_section(base, index);
	else if (multi)
		part->section = xstrdup(base);
	else
		part->section = imap_bs_section(base, 1);
	ctx->where = part->section;
	if (multi)
		return imap_bs_multipart(ctx, v, part, depth, nparts);
	return imap_bs_single(ctx, v, part, depth);
}

/* Free what a part owns, its children included, but not the part. */
static void
imap_bs_part_fini(struct imap_bs_part *part)
{
	for (size_t i = 0; i < part->nparts; i++)
		imap_bs_part_fini(&part->parts[i]);
	free(part->parts);
	free(part->type);
	free(part->subtype);
	free(part->section);
	imap_bs_params_fini(&part->params);
	free(part->id);
	free(part->description);
	free(part->encoding);
	imap_bs_envelope_free(part->env);
	free(part->md5);
	free(part->disposition);
	imap_bs_params_fini(&part->dsp_params);
	for (size_t i = 0; i < part->nlanguage; i++)
		free(part->language[i]);
	free(part->language);
	free(part->location);
}

/* Build the tree of one body value. */
int
imap_bs_parse(const struct imap_value *v, struct imap_bs_part **out,
    struct error *err)
{
	struct imap_bs_ctx	 ctx = { err, 0, NULL };
	struct imap_bs_part	*root;

	*out = NULL;
	root = xcalloc(1, sizeof *root);
	if (imap_bs_body(&ctx, v, root, 0, "", 0) == -1) {
		imap_bs_free(root);
		return -1;
	}
	*out = root;
	return 0;
}

/* Find BODYSTRUCTURE (else BODY) in a FETCH response and build its tree. */
int
imap_bs_from_fetch(const struct imap_response *r, struct imap_bs_part **out,
    struct error *err)
{
	const struct imap_value	*list, *found = NULL;

	*out = NULL;
	if (r->type != IMAP_RESP_UNTAGGED || !r->has_number ||
	    !imap_slice_is(r->name, "FETCH") || r->args.n != 1 ||
	    r->args.items[0].type != IMAP_V_LIST) {
		return error_set(err, ERR_PROTOCOL, ERR_SCOPE_MESSAGE,
		    "malformed BODYSTRUCTURE: not a FETCH response");
	}
	list = &r->args.items[0];
	/*
	 * Names are atoms followed by their value; a stray list where a name
	 * belongs (Domino's "UID 5 (ENVELOPE (...)) BODYSTRUCTURE (...)") is
	 * stepped over on its own so the pairs after it are still found.
	 */
	for (size_t i = 0; i + 1 < list->n; i++) {
		if (imap_value_is(&list->items[i], "BODYSTRUCTURE")) {
			found = &list->items[i + 1];
			break;
		}
		if (found == NULL && imap_value_is(&list->items[i], "BODY"))
			found = &list->items[i + 1];
		if (list->items[i].type == IMAP_V_ATOM)
			i++;
	}
	if (found == NULL)
		return 0;
	return imap_bs_parse(found, out, err);
}

/* Free a tree. */
void
imap_bs_free(struct imap_bs_part *root)
{
	if (root == NULL)
		return;
	imap_bs_part_fini(root);
	free(root);
}

/* Look a parameter up by name. */
const char *
imap_bs_param_get(const struct imap_bs_params *ps, const char *name)
{
	for (size_t i = 0; i < ps->n; i++) {
		if (strcasecmp(ps->v[i].name, name) == 0)
			return ps->v[i].value;
	}
	return NULL;
}

/* Compare a part's media type. */
bool
imap_bs_is(const struct imap_bs_part *part, const char *type,
    const char *subtype)
{
	if (part->type == NULL || strcasecmp(part->type, type) != 0)
		return false;
	return subtype == NULL || (part->subtype != NULL &&
	    strcasecmp(part->subtype, subtype) == 0);
}

/* Depth-first search for the first readable text/SUBTYPE part. */
const struct imap_bs_part *
imap_bs_find_text(const struct imap_bs_part *part, const char *subtype)
{
	const struct imap_bs_part	*found;

	if (part->disposition != NULL &&
	    strcmp(part->disposition, "attachment") == 0)
		return NULL;
	if (part->kind == IMAP_BS_TEXT && imap_bs_is(part, "text", subtype))
		return part;
	if (part->kind == IMAP_BS_MESSAGE && part->parent != NULL)
		return NULL;
	for (size_t i = 0; i < part->nparts; i++) {
		if ((found = imap_bs_find_text(&part->parts[i],
		    subtype)) != NULL)
			return found;
	}
	return NULL;
}

/*
 * Whether a part has a section number of its own: all but a multipart
 * that is the body of a message (it shares the message's number).
 */
static bool
imap_bs_numbered(const struct imap_bs_part *part)
{
	return part->kind != IMAP_BS_MULTIPART || (part->parent != NULL &&
	    part->parent->kind != IMAP_BS_MESSAGE);
}

/* Depth-first search for a section number. */
const struct imap_bs_part *
imap_bs_find_section(const struct imap_bs_part *part, const char *section)
{
	const struct imap_bs_part	*found;

	if (imap_bs_numbered(part) && strcmp(part->section, section) == 0)
		return part;
	for (size_t i = 0; i < part->nparts; i++) {
		if ((found = imap_bs_find_section(&part->parts[i],
		    section)) != NULL)
			return found;
	}
	return NULL;
}

/* Count the parts of a tree. */
size_t
imap_bs_count(const struct imap_bs_part *part)
{
	size_t	 n = 1;

	for (size_t i = 0; i < part->nparts; i++)
		n += imap_bs_count(&part->parts[i]);
	return n;
}
