/*
 * ui_attach.c - the pager's part list (v): the MIME part tree of the
 * message, one part a row, indented by depth, with its type, size and
 * filename.
 *
 * Enter views a part (text in the pager, message/rfc822 as a message,
 * anything else with its mailcap viewer: ui_attach_view.c), m always asks
 * mailcap, s and S save one part or every attachment to a directory
 * (ui_attach_save.c), | pipes a part to a command and shows its output.
 * Everything drawn from the message (types, filenames) is sanitised.  UI
 * thread only.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui/ui_i18n.h"
#include "ui/ui_internal.h"
#include "util/sanitize.h"
#include "util/xmalloc.h"

/* Forget the part list. */
void
ui_attach_fini(struct ui_attach *a)
{
	free(a->rows);
	free(a->sizes);
	free(a->path);
	memset(a, 0, sizeof *a);
}

/* A size for people: "812 B", "12 kB", "3.4 MB". */
static void
ui_attach_size(size_t n, char *out, size_t size)
{
	if (n < 1000)
		snprintf(out, size, "%zu B", n);
	else if (n < 1000 * 1000)
		snprintf(out, size, "%zu kB", (n + 500) / 1000);
	else
		snprintf(out, size, "%zu.%zu MB", n / 1000000,
		    n / 100000 % 10);
}

/* The decoded size of a leaf (decoded once, then forgotten). */
static size_t
ui_attach_decoded_size(const struct mime_part *p)
{
	struct buf	b = BUF_INITIALIZER(0);
	size_t		n;

	if (p->cte != MIME_CTE_BASE64 && p->cte != MIME_CTE_QP)
		return p->blen;
	mime_part_decode(p, &b);
	n = b.len;
	buf_fini(&b);
	return n;
}

/* Describe part i (see ui_internal.h); size is its decoded size. */
static char *
ui_attach_describe_size(const struct mime_tree *t, size_t i, size_t n)
{
	const struct mime_part	*p = &t->v[i];
	char			 path[MIME_PART_PATH_MAX], size[32];

	mime_part_path(t, i, path, sizeof path);
	if (p->kind != MIME_PART_LEAF)
		return xasprintf("%s %s/%s", path, p->type, p->subtype);
	ui_attach_size(n, size, sizeof size);
	return xasprintf("%s %s/%s%s%s, %s%s%s%s", path, p->type, p->subtype,
	    p->charset[0] != '\0' ? "; " : "", p->charset, size,
	    p->filename != NULL ? ", \"" : "",
	    p->filename != NULL ? p->filename : "",
	    p->filename != NULL ? "\"" : "");
}

/* Describe part i (see ui_internal.h). */
char *
ui_attach_describe(const struct mime_tree *t, size_t i)
{
	return ui_attach_describe_size(t, i, t->v[i].kind == MIME_PART_LEAF ?
	    ui_attach_decoded_size(&t->v[i]) : 0);
}

/* v: list the parts of the message shown. */
void
ui_attach_open(struct ui *ui)
{
	struct ui_pager	*p = &ui->pager;
	struct ui_attach *a = &p->attach;
	size_t		 i;

	if (p->raw == NULL || p->tree.n == 0) {
		ui_status_set_message(ui, false, _("The message is not loaded "
		    "yet."));
		return;
	}
	free(a->rows);
	free(a->sizes);
	a->rows = xcalloc(p->tree.n, sizeof *a->rows);
	a->sizes = xcalloc(p->tree.n, sizeof *a->sizes);
	for (i = 0; i < p->tree.n; i++) {
		a->rows[i] = i;
		if (p->tree.v[i].kind == MIME_PART_LEAF)
			a->sizes[i] = ui_attach_decoded_size(&p->tree.v[i]);
	}
	a->n = p->tree.n;
	memset(&a->sc, 0, sizeof a->sc);
	a->sc.height = ui->main_height > 1 ? ui->main_height - 1 : 1;
	ui_scroll_set_count(&a->sc, (int64_t)a->n, false);
	/* Start on the first part that is not a container. */
	for (i = 0; i < a->n && p->tree.v[i].kind != MIME_PART_LEAF; i++)
		continue;
	a->sc.cursor = i < a->n ? (int64_t)i : 0;
	ui_scroll_fix(&a->sc);
	p->view = UI_PAGER_ATTACH;
}

/* The part under the cursor, or MIME_PART_NONE. */
static size_t
ui_attach_current(const struct ui *ui)
{
	const struct ui_attach	*a = &ui->pager.attach;

	if (a->n == 0 || a->sc.cursor < 0 || (size_t)a->sc.cursor >= a->n)
		return MIME_PART_NONE;
	return a->rows[a->sc.cursor];
}


/* A key's action in the part list. */
void
ui_attach_key(struct ui *ui, enum ui_action act)
{
	struct ui_attach	*a = &ui->pager.attach;
	size_t			 cur = ui_attach_current(ui);

	if (ui_keys_scroll(&a->sc, act))
		return;
	switch (act) {
	case UI_ACT_VIEW_PART:
	case UI_ACT_MAILCAP:
		if (cur != MIME_PART_NONE)
			ui_attach_view(ui, cur, act == UI_ACT_MAILCAP);
		break;
	case UI_ACT_SAVE_PART:
	case UI_ACT_SAVE_ALL:
		ui_attach_save_ask(ui, cur, act == UI_ACT_SAVE_ALL);
		break;
	case UI_ACT_PIPE:
		if (cur == MIME_PART_NONE)
			break;
		a->part = cur;
		ui_prompt_start(ui, UI_PROMPT_PIPE, _("Pipe to command: "),
		    NULL);
		break;
	case UI_ACT_BACK:
		ui->pager.view = UI_PAGER_MESSAGE;
		break;
	case UI_ACT_HELP:
		ui_keys_help(ui);
		break;
	default:
		break;
	}
}

/* The answer to a prompt of the part list. */
void
ui_attach_prompt_answered(struct ui *ui, enum ui_prompt_kind kind,
    const char *text)
{
	if (text == NULL || *text == '\0') {
		ui_status_set_message(ui, false, _("Cancelled."));
		return;
	}
	if (kind == UI_PROMPT_ATTACH_DIR)
		ui_attach_save_dir(ui, text);
	else if (kind == UI_PROMPT_PIPE)
		ui_attach_pipe(ui, text);
}

/* Draw the title, then one row a part, indented by its depth. */
void
ui_attach_draw(struct ui *ui)
{
	struct ui_pager		*p = &ui->pager;
	struct ui_attach	*a = &p->attach;
	char			*d, *row;
	int			 y, depth;
	int64_t			 i;
	attr_t			 attr;

	ui_draw_str(0, 0, ui->cols, _("Parts: Enter views, s saves, S saves "
	    "all, | pipes, m mailcap, q returns"), A_BOLD);
	ui_scroll_resize(&a->sc, ui->main_height > 1 ? ui->main_height - 1 :
	    1);
	for (y = 1; y < ui->main_height; y++) {
		i = a->sc.top + y - 1;
		if (i >= a->sc.count)
			break;
		attr = i == a->sc.cursor ? A_REVERSE : A_NORMAL;
		depth = p->tree.v[a->rows[i]].depth;
		d = ui_attach_describe_size(&p->tree, a->rows[i],
		    a->sizes[a->rows[i]]);
		row = sanitize_line_dup(d);
		ui_draw_fill(y, 0, 2 + 2 * (depth > 16 ? 16 : depth), attr);
		ui_draw_str(y, 2 + 2 * (depth > 16 ? 16 : depth), ui->cols - 2 -
		    2 * (depth > 16 ? 16 : depth), row, attr);
		free(row);
		free(d);
	}
}
