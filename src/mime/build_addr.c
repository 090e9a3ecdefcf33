/*
 * build_addr.c - address lists and msg-id lists in built messages
 * (RFC 5322 sections 3.4 and 3.6.4, RFC 2047 section 5 (3)).
 *
 * The user's list is read with mime_address_list_parse (so it may be
 * typed loosely: missing commas, encoded words, comments) and written
 * again in canonical form: "Name <local@domain>", a bare addr-spec when
 * there is no name, groups as "Name: member, member;".  Display and group
 * names are phrases (atoms, a quoted string, or encoded words); the
 * addr-spec is never encoded (RFC 2047 section 5 forbids it; a non-ASCII
 * address is RFC 6532's business, i.e. SMTPUTF8).  A member without an
 * address, or an address that could break the field's syntax, is an
 * error naming it, never something written half-right.
 */
#include <stdlib.h>
#include <string.h>

#include "mime/build_int.h"
#include "mime/mime_int.h"
#include "util/xmalloc.h"

/* Whether addr, written bare or in angle brackets, reads back as itself
 * and nothing else (what the parser gave may be junk it was lenient
 * with, such as "a[b@c"). */
static bool
mime_build_addr_reads(const char *addr, bool angle)
{
	struct mime_address_list	 l;
	char				*s;
	bool				 ok;

	s = angle ? xasprintf("<%s>", addr) : xstrdup(addr);
	mime_address_list_parse(s, strlen(s), &l);
	ok = l.n == 1 && l.v[0].name == NULL && l.v[0].group == NULL &&
	    l.v[0].addr != NULL && strcmp(l.v[0].addr, addr) == 0;
	mime_address_list_fini(&l);
	free(s);
	return ok;
}

/* Whether an addr-spec as the parser gave it can be written as it is:
 * local@domain, no controls, no specials outside quotes, no "=?", and
 * it reads back the same. */
static bool
mime_build_addr_spec_ok(const char *s)
{
	size_t	n = strlen(s), i, at = SIZE_MAX;
	bool	quoted = false;

	/* "=?" would make a reader see an encoded word where RFC 2047
	 * section 5 allows none; no real mailbox has it. */
	if (n == 0 || n > MIME_BUILD_TOKEN_MAX || !mime_utf8_valid(s, n) ||
	    strstr(s, "=?") != NULL)
		return false;
	for (i = 0; i < n; i++) {
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return false;
		if (quoted) {
			if (s[i] == '\\' && i + 1 < n)
				i++;
			else if (s[i] == '"')
				quoted = false;
			continue;
		}
		if (s[i] == '"')
			quoted = true;
		else if (s[i] == ' ' || strchr("()<>,;:\\", s[i]) != NULL)
			return false;
		else if (s[i] == '@')
			at = i;
	}
	return !quoted && at != SIZE_MAX && at > 0 && at + 1 < n &&
	    mime_build_addr_reads(s, false) && mime_build_addr_reads(s, true);
}

/* Check one member of a parsed list: an address that can be written, or
 * an empty group; -1 with err naming it otherwise. */
int
mime_build_addr_ok(const struct mime_address *a, const char *field,
    struct error *err)
{
	if (a->addr == NULL && a->name == NULL && a->group != NULL)
		return 0;
	if (a->addr == NULL)
		return error_set(err, ERR_PARSE, ERR_SCOPE_OP,
		    "%s: \"%.80s\" is not an address (no <local@domain>)",
		    field, a->name != NULL ? a->name : "");
	if (!mime_build_addr_spec_ok(a->addr))
		return error_set(err, ERR_PARSE, ERR_SCOPE_OP,
		    "%s: \"%.80s\" is not a valid address", field, a->addr);
	return 0;
}

/* Check a whole list before anything is written. */
static int
mime_build_addrs_check(const struct mime_address_list *l, const char *field,
    bool mailboxes, struct error *err)
{
	char	*g;
	size_t	 i;

	for (i = 0; i < l->n; i++) {
		if (mailboxes && l->v[i].group != NULL)
			return error_set(err, ERR_PARSE, ERR_SCOPE_OP,
			    "%s: a group is not allowed here", field);
		if (mime_build_addr_ok(&l->v[i], field, err) == -1)
			return -1;
		if (l->v[i].group == NULL)
			continue;
		g = mime_build_clean(l->v[i].group, strlen(l->v[i].group));
		if (*g == '\0') {
			free(g);
			return error_set(err, ERR_PARSE, ERR_SCOPE_OP,
			    "%s: a group without a name", field);
		}
		free(g);
	}
	return 0;
}

/* Write a group's name and its colon. */
static void
mime_build_group(struct mime_hdr *h, const char *group)
{
	char	*g;

	g = mime_build_clean(group, strlen(group));
	/* An encoded word is kept apart from the ":" after it. */
	if (mime_hdr_phrase(h, g))
		mime_hdr_token(h, ":", 1, false);
	else
		mime_hdr_glue(h, ":");
	free(g);
}

/* Write one mailbox: "Name <addr>" or "addr". */
static void
mime_build_mailbox(struct mime_hdr *h, const struct mime_address *a)
{
	char	*name, *tok;

	if (a->addr == NULL)
		return;		/* an empty group's place holder */
	name = a->name != NULL ? mime_build_clean(a->name, strlen(a->name)) :
	    xstrdup("");
	if (*name != '\0') {
		mime_hdr_phrase(h, name);
		tok = xasprintf("<%s>", a->addr);
		mime_hdr_token(h, tok, strlen(tok), false);
		free(tok);
	} else
		mime_hdr_token(h, a->addr, strlen(a->addr), false);
	free(name);
}

/*
 * Write the field "name: list" with list (the user's text) in canonical
 * form; nothing when the list is empty (*wrote says which).  mailboxes:
 * no groups allowed (From:).  -1 with err on a member that is not an
 * address; nothing is written then.
 */
int
mime_build_addrs(struct buf *out, const char *name, const char *list,
    bool mailboxes, bool *wrote, struct error *err)
{
	struct mime_address_list	 l;
	const struct mime_address	*a;
	struct mime_hdr			 h;
	size_t				 i;
	int				 rc = -1;

	*wrote = false;
	mime_address_list_parse(list != NULL ? list : "",
	    list != NULL ? strlen(list) : 0, &l);
	if (mime_build_addrs_check(&l, name, mailboxes, err) == -1)
		goto out;
	rc = 0;
	if (l.n == 0)
		goto out;
	mime_hdr_start(&h, out, name);
	for (i = 0; i < l.n; i++) {
		a = &l.v[i];
		if (a->group != NULL &&
		    (i == 0 || l.v[i - 1].group != a->group))
			mime_build_group(&h, a->group);
		mime_build_mailbox(&h, a);
		if (a->group != NULL && (i + 1 == l.n ||
		    l.v[i + 1].group != a->group))
			mime_hdr_glue(&h, ";");
		if (i + 1 < l.n)
			mime_hdr_glue(&h, ",");
	}
	mime_hdr_end(&h);
	*wrote = true;
out:
	mime_address_list_fini(&l);
	return rc;
}

/* Whether s is a msg-id that can be written: "<left@right>", printable
 * (UTF-8 allowed, RFC 6532), no blanks, at most MIME_BUILD_TOKEN_MAX. */
bool
mime_build_msgid_ok(const char *s, size_t len)
{
	size_t	i;
	bool	at = false;

	if (len < 5 || len > MIME_BUILD_TOKEN_MAX || s[0] != '<' ||
	    s[len - 1] != '>' || !mime_utf8_valid(s, len))
		return false;
	for (i = 1; i + 1 < len; i++) {
		if ((unsigned char)s[i] <= ' ' || s[i] == 0x7f ||
		    s[i] == '<' || s[i] == '>')
			return false;
		if (s[i] == '@' && i > 1 && i + 2 < len)
			at = true;
	}
	return at;
}

/* Write "name: <id> <id>..." from the ids found in ids (junk and ids
 * that cannot be written dropped); nothing if none is left. */
void
mime_build_msgids(struct buf *out, const char *name, const char *ids)
{
	struct mime_hdr	 h;
	char		*v;
	size_t		 i, n, len;
	bool		 any = false;

	if (ids == NULL || (v = mime_msgids(ids, strlen(ids))) == NULL)
		return;
	len = strlen(v);
	for (i = 0; i < len; i += n + 1) {
		n = strcspn(v + i, " ");
		if (!mime_build_msgid_ok(v + i, n))
			continue;
		if (!any)
			mime_hdr_start(&h, out, name);
		any = true;
		mime_hdr_token(&h, v + i, n, false);
	}
	if (any)
		mime_hdr_end(&h);
	free(v);
}
