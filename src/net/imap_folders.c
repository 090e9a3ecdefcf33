/*
 * imap_folders.c - the folder list and what each folder is for.
 *
 * LIST "" "*" (RFC 3501 6.3.8), with RETURN (SPECIAL-USE) when the server
 * offers SPECIAL-USE and LIST-EXTENDED (RFC 6154 5.1, RFC 5258); servers
 * often send the \Sent, \Trash... attributes even without being asked,
 * and they are used whenever they come.  Names are kept as the server
 * sent them (modified UTF-7, or UTF-8 once UTF8=ACCEPT is enabled: RFC
 * 6855 3) for later commands, and shown decoded (imap_utf7.c).
 *
 * The answers are gathered in memory and written in one transaction after
 * the LIST completed: the cache is never locked while the server is
 * awaited.  The LIST can be pipelined behind a CREATE/RENAME/DELETE
 * (imap_folder_ops.c) through imap_list_submit and imap_list_finish.
 *
 * Roles: INBOX is INBOX; each special-use role goes to the first folder
 * with its attribute; a role no attribute names is guessed from common
 * folder names ("Sent Items", "Deleted Items", "Spam", ...), so Sent,
 * Drafts, Trash, Junk and Archive are found without configuration.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "net/imap_driver.h"
#include "net/imap_utf7.h"
#include "util/log.h"
#include "util/xmalloc.h"

struct imap_list_entry {
	char		*remote;
	char		*name;		/* display */
	char		 delim;
	int64_t		 id;
	unsigned	 attrs;		/* IMAP_LIST_* */
	unsigned	 use;		/* IMAP_USE_* */
	unsigned	 cattrs;	/* CACHE_FOLDER_* */
	enum cache_role	 role;
};

struct imap_list_ctx {
	struct imap_account	*ia;
	struct cache		*cache;
	char			 tag[16];
	struct imap_list_entry	*v;
	size_t			 n;
	size_t			 cap;
};

/* Keep one LIST response. */
int
imap_list_one(void *arg, const struct imap_response *r, struct error *err)
{
	struct imap_list_ctx	*ctx = arg;
	struct imap_list_entry	*e;
	struct imap_list	 l;
	unsigned		 attrs = 0;

	if (imap_slice_is(r->name, "STATUS") && r->type ==
	    IMAP_RESP_UNTAGGED) {
		imap_listed_add(ctx->ia, r);	/* RETURN (STATUS ...) */
		return 1;
	}
	if (!imap_slice_is(r->name, "LIST"))
		return 0;
	if (imap_list_parse(r, &l, err) == -1) {
		err->scope = ERR_SCOPE_OP;
		return -1;
	}
	if (l.attrs & IMAP_LIST_NONEXISTENT)
		return 1;
	if (l.attrs & IMAP_LIST_NOSELECT)
		attrs |= CACHE_FOLDER_NOSELECT;
	if (l.attrs & IMAP_LIST_NOINFERIORS)
		attrs |= CACHE_FOLDER_NOINFERIORS;
	if (ctx->n == ctx->cap) {
		ctx->cap = ctx->cap ? ctx->cap * 2 : 32;
		ctx->v = xreallocarray(ctx->v, ctx->cap, sizeof *ctx->v);
	}
	e = &ctx->v[ctx->n];
	memset(e, 0, sizeof *e);
	e->remote = imap_slice_dup(l.name);
	if (ctx->ia->conn->enabled & IMAP_CAP_UTF8_ACCEPT)
		e->name = xstrdup(e->remote);
	else
		e->name = imap_utf7_display(l.name.p, l.name.len);
	e->delim = l.delim;
	e->attrs = l.attrs;
	e->use = l.use;
	e->cattrs = attrs;
	ctx->n++;
	return 1;
}

/* The last component of a display name. */
static const char *
imap_list_leaf(const struct imap_list_entry *e)
{
	const char	*p;

	if (e->delim == '\0' || (p = strrchr(e->name, e->delim)) == NULL)
		return e->name;
	return p + 1;
}

/* Whether a folder's name is a common name for a role. */
static bool
imap_list_guess(const struct imap_list_entry *e, enum cache_role role)
{
	static const struct {
		enum cache_role	 role;
		const char	*name;
	} names[] = {
		{ CACHE_ROLE_SENT, "Sent" },
		{ CACHE_ROLE_SENT, "Sent Items" },
		{ CACHE_ROLE_SENT, "Sent Messages" },
		{ CACHE_ROLE_SENT, "Sent Mail" },
		{ CACHE_ROLE_DRAFTS, "Drafts" },
		{ CACHE_ROLE_DRAFTS, "Draft" },
		{ CACHE_ROLE_TRASH, "Trash" },
		{ CACHE_ROLE_TRASH, "Deleted Items" },
		{ CACHE_ROLE_TRASH, "Deleted Messages" },
		{ CACHE_ROLE_JUNK, "Junk" },
		{ CACHE_ROLE_JUNK, "Spam" },
		{ CACHE_ROLE_JUNK, "Junk E-mail" },
		{ CACHE_ROLE_JUNK, "Junk Email" },
		{ CACHE_ROLE_ARCHIVE, "Archive" },
		{ CACHE_ROLE_ARCHIVE, "Archives" },
	};
	const char	*leaf = imap_list_leaf(e);

	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		if (names[i].role == role &&
		    strcasecmp(leaf, names[i].name) == 0)
			return true;
	}
	return false;
}

/* Give each role to one folder: attributes first, then names. */
static void
imap_list_roles(struct imap_list_ctx *ctx)
{
	static const struct {
		enum cache_role	 role;
		unsigned	 use;
	} uses[] = {
		{ CACHE_ROLE_SENT, IMAP_USE_SENT },
		{ CACHE_ROLE_DRAFTS, IMAP_USE_DRAFTS },
		{ CACHE_ROLE_TRASH, IMAP_USE_TRASH },
		{ CACHE_ROLE_JUNK, IMAP_USE_JUNK },
		{ CACHE_ROLE_ARCHIVE, IMAP_USE_ARCHIVE },
	};
	struct imap_list_entry	*found;

	for (size_t i = 0; i < ctx->n; i++) {
		if (strcasecmp(ctx->v[i].remote, "INBOX") == 0)
			ctx->v[i].role = CACHE_ROLE_INBOX;
	}
	for (size_t r = 0; r < sizeof uses / sizeof uses[0]; r++) {
		found = NULL;
		for (size_t i = 0; i < ctx->n && found == NULL; i++) {
			if ((ctx->v[i].use & uses[r].use) &&
			    ctx->v[i].role == CACHE_ROLE_NONE)
				found = &ctx->v[i];
		}
		for (size_t i = 0; i < ctx->n && found == NULL; i++) {
			if (!(ctx->v[i].attrs & IMAP_LIST_NOSELECT) &&
			    ctx->v[i].role == CACHE_ROLE_NONE &&
			    imap_list_guess(&ctx->v[i], uses[r].role))
				found = &ctx->v[i];
		}
		if (found != NULL)
			found->role = uses[r].role;
	}
}

/* Write every listed folder's role (NONE included: roles can move). */
static int
imap_list_store_roles(struct imap_list_ctx *ctx, struct error *err)
{
	imap_list_roles(ctx);
	for (size_t i = 0; i < ctx->n; i++) {
		if (cache_folder_set_role(ctx->cache, ctx->v[i].id,
		    ctx->v[i].role, err) == -1)
			return -1;
	}
	return 0;
}

/*
 * Whether to ask each folder's STATUS with the LIST: only when at least
 * two selectable folders already hold messages.  STATUS costs the server
 * about what a QRESYNC SELECT does (it opens the folder's index), so it
 * pays only for folders it lets a sync skip: none on a first sync, and
 * none when the one folder is selected anyway.
 */
static bool
imap_list_wants_status(struct imap_account *ia, struct cache *cache)
{
	struct cache_folder	*f = NULL;
	struct error		 err;
	size_t			 n = 0, full = 0;

	if (cache_folder_list(cache, ia->base.cache_id, &f, &n, &err) == -1)
		return false;
	for (size_t i = 0; i < n; i++) {
		if (!(f[i].attrs & CACHE_FOLDER_NOSELECT) && f[i].total > 0)
			full++;
	}
	cache_folder_list_free(f, n);
	return full >= 2;
}

/* Send LIST "" "*" (with SPECIAL-USE when offered); NULL on failure. */
struct imap_list_ctx *
imap_list_submit(struct imap_account *ia, struct cache *cache,
    struct error *err)
{
	struct imap_list_ctx	*ctx;
	unsigned		 caps = ia->conn->caps;
	bool			 use, status;

	/*
	 * RFC 5258 RETURN options: the special-use attributes (RFC 6154) and,
	 * with CONDSTORE, each folder's STATUS (RFC 5819), which lets a sync
	 * skip the folders that did not change.
	 */
	use = (caps & IMAP_CAP_SPECIAL_USE) && (caps & IMAP_CAP_LIST_EXTENDED);
	status = (caps & IMAP_CAP_LIST_STATUS) &&
	    (caps & IMAP_CAP_CONDSTORE) && imap_list_wants_status(ia, cache);
	imap_listed_clear(ia);
	ctx = xcalloc(1, sizeof *ctx);
	ctx->ia = ia;
	ctx->cache = cache;
	if (imap_conn_submit(ia->conn, ctx->tag, sizeof ctx->tag, err,
	    "LIST \"\" \"*\"%s%s%s%s", use || status ? " RETURN (" : "",
	    use ? "SPECIAL-USE" : "", use && status ? " " : "", status ?
	    "STATUS (MESSAGES UIDNEXT UIDVALIDITY UNSEEN HIGHESTMODSEQ))" :
	    use ? ")" : "") == -1) {
		free(ctx);
		return NULL;
	}
	return ctx;
}

/* Free what a LIST gathered. */
void
imap_list_free(struct imap_list_ctx *ctx)
{
	if (ctx == NULL)
		return;
	for (size_t i = 0; i < ctx->n; i++) {
		free(ctx->v[i].remote);
		free(ctx->v[i].name);
	}
	free(ctx->v);
	free(ctx);
}

/* Write the listed folders, prune the rest, set roles: one transaction. */
static int
imap_list_store(struct imap_list_ctx *ctx, struct error *err)
{
	struct imap_account	*ia = ctx->ia;
	char			**names;
	int			 rc = -1;

	names = xreallocarray(NULL, ctx->n + 1, sizeof *names);
	if (cache_begin(ctx->cache, err) == -1)
		goto out;
	for (size_t i = 0; i < ctx->n; i++) {
		names[i] = ctx->v[i].remote;
		if (cache_folder_put(ctx->cache, ia->base.cache_id,
		    ctx->v[i].remote, ctx->v[i].name, ctx->v[i].delim,
		    ctx->v[i].cattrs, &ctx->v[i].id, err) == -1)
			goto out;
	}
	/* No folder at all is a server oddity, not a reason to wipe. */
	if (ctx->n > 0 && cache_folder_prune(ctx->cache, ia->base.cache_id,
	    (const char *const *)names, ctx->n, err) == -1)
		goto out;
	if (imap_list_store_roles(ctx, err) == -1 ||
	    cache_commit(ctx->cache, err) == -1)
		goto out;
	rc = 0;
out:
	if (rc == -1)
		cache_rollback(ctx->cache);
	free(names);
	return rc;
}

/* Read the LIST's answers to its end and store them. */
int
imap_list_finish(struct imap_list_ctx *ctx, struct error *err)
{
	if (imap_conn_await(ctx->ia->conn, ctx->tag, imap_list_one, ctx,
	    err) == -1)
		return -1;
	if (imap_list_store(ctx, err) == -1)
		return -1;
	account_status(&ctx->ia->base, "%zu folders", ctx->n);
	return 0;
}

/* Refresh the cache's folder list from LIST "" "*". */
int
imap_list_folders(struct account *a, struct cache *cache, struct error *err)
{
	struct imap_account	*ia = imap_account_get(a);
	struct imap_list_ctx	*ctx;
	int			 rc;

	if (imap_begin(ia, cache, err) == -1)
		return -1;
	if ((ctx = imap_list_submit(ia, cache, err)) == NULL)
		return -1;
	rc = imap_list_finish(ctx, err);
	imap_list_free(ctx);
	return rc;
}
