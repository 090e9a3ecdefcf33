/*
 * ui_ops.c - operations on messages: flags, delete, move, copy, expunge,
 * tags.
 *
 * Every operation is applied on the UI thread in one cache transaction:
 * the cache changes at once (flags set, a moved or expunged message gone)
 * and the matching pending operation is queued (cache_op_add); then the
 * account's worker is told to replay the queue (WORKER_FLUSH_OPS).  The UI
 * never waits for the server, and a change made offline is replayed when
 * the connection comes back.  Read-only accounts refuse everything here
 * before touching the cache.  Tags are in ui_tag.c; folder operations
 * (ui_folder_ops.c) go to the worker directly.
 */
#include <stdlib.h>
#include <string.h>

#include "ui/ui_i18n.h"
#include "ui/ui_internal.h"
#include "util/xmalloc.h"

/* The messages an operation applies to (owned copies). */
struct ui_ops_set {
	struct cache_msg	*m;
	size_t			 n;
	size_t			 alloc;
};

/* One message's change: flags to add and remove, or a transfer. */
struct ui_ops_change {
	enum cache_op_type	 type;
	unsigned		 add;
	unsigned		 remove;
	int64_t			 target;
	size_t			 removed;	/* rows that left the folder */
	bool			 cross;		/* XMOVE/XCOPY: queued on */
	size_t			 to_account;	/* this account's queue */
	size_t			 skipped;	/* XMOVE: already moving */
};

/* Free a set. */
static void
ui_ops_set_free(struct ui_ops_set *set)
{
	cache_msg_list_free(set->m, set->n);
	memset(set, 0, sizeof *set);
}

/* Append a slot to the set; the caller fills it. */
static struct cache_msg *
ui_ops_set_push(struct ui_ops_set *set)
{
	if (set->n == set->alloc) {
		set->alloc = set->alloc == 0 ? 16 : set->alloc * 2;
		set->m = xreallocarray(set->m, set->alloc, sizeof *set->m);
	}
	memset(&set->m[set->n], 0, sizeof *set->m);
	return &set->m[set->n++];
}

/* The account's cache row id, found on first use (-1 on error). */
int64_t
ui_ops_account_id(struct ui *ui, size_t account)
{
	struct ui_account	*a;
	struct error		 err;

	if (account >= ui->naccounts)
		return -1;
	a = &ui->accounts[account];
	if (a->cache_id < 0 && cache_account_id(ui->cache, a->cfg->name,
	    &a->cache_id, &err) != 0) {
		a->cache_id = -1;
		ui_status_set_message(ui, true, err.msg);
	}
	return a->cache_id;
}

/* Refuse a change on a read-only account: true if refused. */
bool
ui_ops_read_only(struct ui *ui, size_t account, const char *what)
{
	char	*s;

	if (account >= ui->naccounts || !ui->accounts[account].cfg->read_only)
		return false;
	s = xasprintf(_("Read-only: %s not done"), what);
	ui_status_set_message(ui, false, s);
	free(s);
	return true;
}

/* Fill the set: the tagged messages, or the one under the cursor. */
static int
ui_ops_targets(struct ui *ui, bool tagged, struct ui_ops_set *set)
{
	const struct cache_msg	*cur;
	struct error		 err;
	int64_t			 id = 0;
	size_t			 i;
	int			 r;

	if (tagged) {
		for (i = 0; i < ui->index.tags.n; i++) {
			r = cache_msg_get(ui->cache, ui->index.tags.v[i],
			    ui_ops_set_push(set), &err);
			if (r != 0 || set->m[set->n - 1].folder_id !=
			    ui->index.folder_id)
				cache_msg_fini(&set->m[--set->n]);
		}
	} else {
		if (ui->mode == UI_MODE_PAGER)
			id = ui->pager.msg_id;
		else if ((cur = ui_index_current(ui)) != NULL)
			id = cur->id;
		if (id != 0 && cache_msg_get(ui->cache, id,
		    ui_ops_set_push(set), &err) != 0)
			cache_msg_fini(&set->m[--set->n]);
	}
	if (set->n == 0) {
		ui_status_set_message(ui, false, tagged ?
		    _("No tagged messages.") : _("No message here."));
		return -1;
	}
	return 0;
}

/* Queue one pending operation for a message. */
static int
ui_ops_queue(struct ui *ui, int64_t account_id, const struct cache_msg *m,
    const struct ui_ops_change *c, unsigned add, unsigned remove,
    struct error *err)
{
	struct cache_op	op;

	memset(&op, 0, sizeof op);
	op.account_id = account_id;
	op.type = c->type;
	op.folder_id = m->folder_id;
	op.remote_id = m->remote_id;
	op.add = add;
	op.remove = remove;
	op.target_folder_id = c->target;
	return cache_op_add(ui->cache, &op, err);
}

/* Apply the change to one message in the cache and queue it. */
static int
ui_ops_one(struct ui *ui, int64_t account_id, const struct cache_msg *m,
    struct ui_ops_change *c, struct error *err)
{
	unsigned	flags;
	int		r;

	if (m->remote_id == NULL)
		return 0;
	switch (c->type) {
	case CACHE_OP_FLAGS:
		flags = (m->flags | c->add) & ~c->remove;
		if (flags == m->flags)
			return 0;
		if (cache_msg_set_flags(ui->cache, m->folder_id, m->remote_id,
		    flags, err) < 0)
			return -1;
		return ui_ops_queue(ui, account_id, m, c, c->add & ~m->flags,
		    c->remove & m->flags, err);
	case CACHE_OP_EXPUNGE:
		if (!(m->flags & CACHE_FLAG_DELETED))
			return 0;
		/* FALLTHROUGH */
	case CACHE_OP_MOVE:
		if (ui_ops_queue(ui, account_id, m, c, 0, 0, err) != 0 ||
		    cache_msg_remove(ui->cache, m->folder_id, m->remote_id,
		    err) < 0)
			return -1;
		ui_idset_remove(&ui->index.tags, m->id);
		c->removed++;
		return 0;
	case CACHE_OP_COPY:
		return ui_ops_queue(ui, account_id, m, c, 0, 0, err);
	case CACHE_OP_XMOVE:
		/* On its way already: a second move would append it twice. */
		if ((r = cache_op_moving(ui->cache, m->folder_id, m->remote_id,
		    err)) != 0) {
			c->skipped += r == 1;
			return r == 1 ? 0 : -1;
		}
		/* FALLTHROUGH */
	case CACHE_OP_XCOPY:
		/* The row stays until the target holds the message. */
		if (!m->has_body)
			ui_submit(ui, ui->index.account, WORKER_FETCH_BODY, 0,
			    m->id, 0);
		return ui_ops_queue(ui, account_id, m, c,
		    m->flags & ~(unsigned)CACHE_FLAG_DELETED, 0, err);
	}
	return 0;
}

/* Apply a change to every message of the set in one transaction. */
static int
ui_ops_apply(struct ui *ui, const struct ui_ops_set *set,
    struct ui_ops_change *c)
{
	struct error	err;
	size_t		queue = c->cross ? c->to_account : ui->index.account;
	int64_t		account_id = ui_ops_account_id(ui, queue);
	size_t		i;

	if (account_id < 0)
		return -1;
	if (cache_begin(ui->cache, &err) != 0)
		goto fail;
	for (i = 0; i < set->n; i++) {
		if (ui_ops_one(ui, account_id, &set->m[i], c, &err) != 0) {
			cache_rollback(ui->cache);
			goto fail;
		}
	}
	if (cache_commit(ui->cache, &err) != 0) {
		cache_rollback(ui->cache);
		goto fail;
	}
	ui_submit(ui, queue, WORKER_FLUSH_OPS, 0, 0, 0);
	ui->index_stale = true;
	ui->folders_stale = true;
	return 0;
fail:
	ui_status_set_message(ui, true, err.msg);
	return -1;
}

/*
 * After an operation: a message that left the folder cannot stay in the
 * pager.  The list's cursor does not move (d then u undoes on the same
 * message); a moved row's place is taken by the next one.
 */
static void
ui_ops_resolve(struct ui *ui, const struct ui_ops_change *c)
{
	if (c->removed > 0 && ui->mode == UI_MODE_PAGER) {
		ui_pager_close(&ui->pager);
		ui->mode = UI_MODE_INDEX;
	}
}

/* N and F: toggle a flag (set it on all when any lacks it). */
static void
ui_ops_toggle(struct ui *ui, bool tagged, unsigned flag, const char *what)
{
	struct ui_ops_set	set = { NULL, 0, 0 };
	struct ui_ops_change	c = { CACHE_OP_FLAGS, 0, 0, 0, 0, false, 0, 0 };
	size_t			i;

	if (ui_ops_read_only(ui, ui->index.account, what) ||
	    ui_ops_targets(ui, tagged, &set) != 0)
		goto out;
	c.remove = flag;
	for (i = 0; i < set.n; i++) {
		if (!(set.m[i].flags & flag)) {
			c.add = flag;
			c.remove = 0;
		}
	}
	ui_ops_apply(ui, &set, &c);
out:
	ui_ops_set_free(&set);
}

/* d: to the Trash folder, or \Deleted (expunge mode, in Trash, no Trash). */
static void
ui_ops_delete(struct ui *ui, bool tagged)
{
	struct ui_ops_set	set = { NULL, 0, 0 };
	struct ui_ops_change	c = { CACHE_OP_FLAGS, CACHE_FLAG_DELETED, 0,
				    0, 0, false, 0, 0 };
	struct cache_folder	trash;
	struct error		err;
	int			r = 1;

	memset(&trash, 0, sizeof trash);
	if (ui_ops_read_only(ui, ui->index.account, _("delete")) ||
	    ui_ops_targets(ui, tagged, &set) != 0)
		goto out;
	if (ui->accounts[ui->index.account].cfg->delete_mode ==
	    CONFIG_DELETE_TRASH && ui->index.role != CACHE_ROLE_TRASH) {
		r = cache_folder_find_role(ui->cache, ui_ops_account_id(ui,
		    ui->index.account), CACHE_ROLE_TRASH, &trash, &err);
		if (r == 0 && trash.id != ui->index.folder_id) {
			c.type = CACHE_OP_MOVE;
			c.add = 0;
			c.target = trash.id;
		}
	}
	if (ui_ops_apply(ui, &set, &c) == 0) {
		if (r != 0 && ui->accounts[ui->index.account].cfg->delete_mode ==
		    CONFIG_DELETE_TRASH && ui->index.role != CACHE_ROLE_TRASH)
			ui_status_set_message(ui, false, _("No Trash folder: "
			    "marked deleted ($ expunges)."));
		ui_ops_resolve(ui, &c);
	}
out:
	cache_folder_fini(&trash);
	ui_ops_set_free(&set);
}

/* u: clear \Deleted. */
static void
ui_ops_undelete(struct ui *ui, bool tagged)
{
	struct ui_ops_set	set = { NULL, 0, 0 };
	struct ui_ops_change	c = { CACHE_OP_FLAGS, 0, CACHE_FLAG_DELETED,
				    0, 0, false, 0, 0 };

	if (ui_ops_read_only(ui, ui->index.account, _("undelete")) ||
	    ui_ops_targets(ui, tagged, &set) != 0)
		goto out;
	if (ui_ops_apply(ui, &set, &c) == 0)
		ui_ops_resolve(ui, &c);
out:
	ui_ops_set_free(&set);
}

/*
 * Move or copy to another account: queued on the target account, which
 * appends the body the source account downloads (worker_import.c).
 */
static void
ui_ops_transfer_across(struct ui *ui, size_t account, int64_t target,
    bool copy, bool tagged)
{
	struct ui_ops_set	set = { NULL, 0, 0 };
	struct ui_ops_change	c = { copy ? CACHE_OP_XCOPY : CACHE_OP_XMOVE,
				    0, 0, target, 0, true, account, 0 };
	char			*s;

	if ((!copy && ui_ops_read_only(ui, ui->index.account, _("move"))) ||
	    ui_ops_read_only(ui, account, copy ? _("copy") : _("move")))
		return;
	if (ui_ops_targets(ui, tagged, &set) != 0)
		goto out;
	if (ui_ops_apply(ui, &set, &c) == 0) {
		ui->accounts[account].imports_waiting = true;
		if (c.skipped > 0)
			s = xasprintf(_("Moving %zu messages to another "
			    "account (%zu already on their way)."),
			    set.n - c.skipped, c.skipped);
		else
			s = xasprintf(copy ? _("Copying %zu messages to "
			    "another account.") : _("Moving %zu messages to "
			    "another account."), set.n);
		ui_status_set_message(ui, false, s);
		free(s);
	}
out:
	ui_ops_set_free(&set);
}

/* The picker chose a folder: move or copy the messages there. */
void
ui_ops_transfer(struct ui *ui, size_t account, int64_t target, bool copy,
    bool tagged)
{
	struct ui_ops_set	set = { NULL, 0, 0 };
	struct ui_ops_change	c = { copy ? CACHE_OP_COPY : CACHE_OP_MOVE, 0,
				    0, target, 0, false, 0, 0 };
	char			*s;

	if (account != ui->index.account) {
		ui_ops_transfer_across(ui, account, target, copy, tagged);
		return;
	}
	if (ui_ops_read_only(ui, ui->index.account, copy ? _("copy") :
	    _("move")))
		return;
	if (target == ui->index.folder_id) {
		ui_status_set_message(ui, false,
		    _("That is the folder the messages are in."));
		return;
	}
	if (ui_ops_targets(ui, tagged, &set) != 0)
		goto out;
	if (ui_ops_apply(ui, &set, &c) == 0) {
		s = xasprintf(copy ? _("Copying %zu messages.") :
		    _("Moving %zu messages."), set.n);
		ui_status_set_message(ui, false, s);
		free(s);
		ui_ops_resolve(ui, &c);
	}
out:
	ui_ops_set_free(&set);
}

/* Scan callback: keep a copy of each \Deleted message (id, remote id). */
static int
ui_ops_collect_deleted(void *arg, const struct cache_msg *m)
{
	struct ui_ops_set	*set = arg;
	struct cache_msg	*c;

	if (!(m->flags & CACHE_FLAG_DELETED) || m->remote_id == NULL)
		return 0;
	c = ui_ops_set_push(set);
	c->id = m->id;
	c->folder_id = m->folder_id;
	c->flags = m->flags;
	c->remote_id = xstrdup(m->remote_id);
	return 0;
}

/* The folder's \Deleted messages (the whole folder, not the limit). */
static int
ui_ops_deleted(struct ui *ui, struct ui_ops_set *set)
{
	struct cache_query	q;

	ui_index_query(&ui->index, &q, false);
	return ui_view_scan(ui, &q, ui_ops_collect_deleted, set);
}

/* $: ask before expunging the folder's deleted messages. */
static void
ui_ops_expunge_ask(struct ui *ui)
{
	struct ui_ops_set	 set = { NULL, 0, 0 };
	char			*s;

	if (ui->index.folder_id == 0 ||
	    ui_ops_read_only(ui, ui->index.account, _("expunge")))
		return;
	if (ui_ops_deleted(ui, &set) != 0)
		goto out;
	if (set.n == 0) {
		ui_status_set_message(ui, false,
		    _("No deleted messages; synchronising."));
		ui_submit(ui, ui->index.account, WORKER_SYNC_FOLDER,
		    ui->index.folder_id, 0, 0);
		goto out;
	}
	s = xasprintf(_("Expunge %zu deleted messages? (y/n) "), set.n);
	ui_prompt_start(ui, UI_CONFIRM_EXPUNGE, s, NULL);
	ui->prompt.folder_id = ui->index.folder_id;
	free(s);
out:
	ui_ops_set_free(&set);
}

/* The expunge was confirmed: remove the \Deleted ones, then sync. */
void
ui_ops_expunge(struct ui *ui)
{
	struct ui_ops_set	 set = { NULL, 0, 0 };
	struct ui_ops_change	 c = { CACHE_OP_EXPUNGE, 0, 0, 0, 0, false, 0, 0 };
	char			*s;

	if (ui->index.folder_id == 0 ||
	    ui_ops_read_only(ui, ui->index.account, _("expunge")))
		return;
	if (ui_ops_deleted(ui, &set) == 0 && set.n > 0 &&
	    ui_ops_apply(ui, &set, &c) == 0) {
		s = xasprintf(_("Expunged %zu messages."), c.removed);
		ui_status_set_message(ui, false, s);
		free(s);
		if (ui->mode == UI_MODE_PAGER) {
			ui_pager_close(&ui->pager);
			ui->mode = UI_MODE_INDEX;
		}
	}
	ui_submit(ui, ui->index.account, WORKER_SYNC_FOLDER,
	    ui->index.folder_id, 0, 0);
	ui_ops_set_free(&set);
}

/* Opening a message in the pager: \Seen, the same way as N. */
void
ui_ops_mark_seen(struct ui *ui, const struct cache_msg *m)
{
	struct ui_ops_set	set = { (struct cache_msg *)m, 1, 1 };
	struct ui_ops_change	c = { CACHE_OP_FLAGS, CACHE_FLAG_SEEN, 0, 0,
				    0, false, 0, 0 };

	if (ui->accounts[ui->index.account].cfg->read_only)
		return;
	ui_ops_apply(ui, &set, &c);
}

/*
 * Before a move or copy: refuse early, or open the folder picker (a copy
 * out of a read-only account may still go to another account).
 */
static void
ui_ops_pick(struct ui *ui, bool tagged, bool copy)
{
	if (!copy && ui_ops_read_only(ui, ui->index.account, _("move")))
		return;
	if (!tagged && ui->mode != UI_MODE_PAGER &&
	    ui_index_current(ui) == NULL) {
		ui_status_set_message(ui, false, _("No message here."));
		return;
	}
	ui_picker_open(ui, copy ? UI_PICK_COPY : UI_PICK_MOVE, tagged);
}

/* Perform a message operation, on the tagged messages after ';'. */
void
ui_ops_do(struct ui *ui, enum ui_action action)
{
	bool	tagged = ui->tag_prefix;

	ui->tag_prefix = false;
	if (ui->index.folder_id == 0) {
		ui_status_set_message(ui, false, _("No folder is open."));
		return;
	}
	if (tagged && ui->index.tags.n == 0) {
		ui_status_set_message(ui, false, _("No tagged messages."));
		return;
	}
	switch (action) {
	case UI_ACT_TOGGLE_NEW:
		ui_ops_toggle(ui, tagged, CACHE_FLAG_SEEN,
		    _("mark read/unread"));
		break;
	case UI_ACT_FLAG:
		ui_ops_toggle(ui, tagged, CACHE_FLAG_FLAGGED, _("flag"));
		break;
	case UI_ACT_DELETE:
		ui_ops_delete(ui, tagged);
		break;
	case UI_ACT_UNDELETE:
		ui_ops_undelete(ui, tagged);
		break;
	case UI_ACT_EXPUNGE:
		ui_ops_expunge_ask(ui);
		break;
	case UI_ACT_MOVE:
	case UI_ACT_COPY:
		ui_ops_pick(ui, tagged, action == UI_ACT_COPY);
		break;
	case UI_ACT_SAVE_FILE:
		ui_save_ask(ui, tagged);
		break;
	default:
		break;
	}
}
