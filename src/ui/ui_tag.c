/*
 * ui_tag.c - multi-select: t, T, C-t and the ';' prefix.
 *
 * Tags are message row ids of the open folder, kept in a sorted set that
 * the list draws as '*'; they are dropped when the folder changes.  ';'
 * makes the next operation (ui_ops.c) apply to every tagged message.
 * Tagging changes nothing on the server, so read-only accounts tag too.
 */
#include <stdlib.h>

#include "ui/ui_i18n.h"
#include "ui/ui_internal.h"
#include "util/xmalloc.h"

/* Ids collected by a scan. */
struct ui_tag_ids {
	int64_t	*v;
	size_t	 n;
	size_t	 alloc;
};

/* t: tag or untag the message under the cursor, then step down. */
void
ui_tag_toggle(struct ui *ui)
{
	const struct cache_msg	*m = ui_index_current(ui);

	if (m == NULL) {
		ui_status_set_message(ui, false, _("No message here."));
		return;
	}
	ui_idset_toggle(&ui->index.tags, m->id);
	ui_scroll_move(&ui->index.sc, 1);
	ui->index.moved = true;
}

/* T and C-t: ask for the pattern. */
void
ui_tag_ask(struct ui *ui, bool tag)
{
	if (ui->index.folder_id == 0) {
		ui_status_set_message(ui, false, _("No folder is open."));
		return;
	}
	ui_prompt_start(ui, tag ? UI_PROMPT_TAG : UI_PROMPT_UNTAG,
	    tag ? _("Tag messages matching: ") :
	    _("Untag messages matching: "), NULL);
}

/* Scan callback: remember each id. */
static int
ui_tag_collect(void *arg, const struct cache_msg *m)
{
	struct ui_tag_ids	*a = arg;

	if (a->n == a->alloc) {
		a->alloc = a->alloc == 0 ? 256 : a->alloc * 2;
		a->v = xreallocarray(a->v, a->alloc, sizeof *a->v);
	}
	a->v[a->n++] = m->id;
	return 0;
}

/* The pattern was typed: tag (or untag) every match in the folder. */
void
ui_tag_pattern(struct ui *ui, const char *text, bool tag)
{
	struct ui_pattern	 p;
	struct ui_tag_ids	 a = { NULL, 0, 0 };
	struct cache_query	 q;
	const char		*why;
	char			*s;

	if (ui_pattern_parse(text, &p, &why) != 0) {
		ui_status_set_message(ui, true, _(why));
		return;
	}
	/* ~b tags the local subject/from matches: no server round trip. */
	ui_index_query(&ui->index, &q, false);
	ui_pattern_query(&p, &q);
	if (ui_view_scan(ui, &q, ui_tag_collect, &a) == 0) {
		if (tag)
			ui_idset_add_many(&ui->index.tags, a.v, a.n);
		else
			ui_idset_remove_many(&ui->index.tags, a.v, a.n);
		s = xasprintf(_("%zu messages match; %zu tagged."), a.n,
		    ui->index.tags.n);
		ui_status_set_message(ui, false, s);
		free(s);
	}
	free(a.v);
	ui_pattern_fini(&p);
}

/* ';': the next operation applies to the tagged messages. */
void
ui_tag_prefix(struct ui *ui)
{
	char	*s;

	if (ui->index.tags.n == 0) {
		ui_status_set_message(ui, false, _("No tagged messages."));
		return;
	}
	ui->tag_prefix = true;
	s = xasprintf(_("tag- (the next operation applies to %zu tagged "
	    "messages)"), ui->index.tags.n);
	ui_status_set_message(ui, false, s);
	free(s);
}
