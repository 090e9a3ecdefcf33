/*
 * ui_compose_pane.c - the composer pane: the draft's header fields, its
 * delivery notification choice, the text and the attachments, and the
 * keys that change them (t To, c Cc, b Bcc, s Subject, f From, r
 * Reply-To at a prompt, Tab completing addresses; a attaches a file, D
 * removes one; d chooses the
 * DSN; e edits in the editor again; y sends; q cancels, asking first).
 *
 * Everything drawn passes the sanitiser: a quoted or forwarded message
 * brings text from outside.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compose/compose.h"
#include "ui/ui_i18n.h"
#include "ui/ui_internal.h"
#include "ui/ui_path.h"
#include "util/sanitize.h"
#include "util/xmalloc.h"

/* The header fields a prompt edits, as ui_prompt.msg_id. */
enum ui_compose_field {
	UI_FIELD_FROM = 1,
	UI_FIELD_TO,
	UI_FIELD_CC,
	UI_FIELD_BCC,
	UI_FIELD_SUBJECT,
	UI_FIELD_REPLY_TO
};

/* The draft's string for a field. */
static char **
ui_compose_field(struct compose_draft *d, int64_t f)
{
	switch (f) {
	case UI_FIELD_FROM:	return &d->from;
	case UI_FIELD_TO:	return &d->to;
	case UI_FIELD_CC:	return &d->cc;
	case UI_FIELD_BCC:	return &d->bcc;
	case UI_FIELD_SUBJECT:	return &d->subject;
	case UI_FIELD_REPLY_TO:	return &d->reply_to;
	default:		return NULL;
	}
}

/* Whether a field holds addresses (Tab completes them). */
bool
ui_compose_field_addresses(int64_t f)
{
	return f == UI_FIELD_TO || f == UI_FIELD_CC || f == UI_FIELD_BCC ||
	    f == UI_FIELD_REPLY_TO;
}

/* A size in the units the list shows. */
static void
ui_compose_size(size_t n, char *out, size_t size)
{
	if (n < 1024)
		snprintf(out, size, "%zu B", n);
	else if (n < 1024 * 1024)
		snprintf(out, size, "%.1f KiB", (double)n / 1024);
	else
		snprintf(out, size, "%.1f MiB", (double)n / (1024 * 1024));
}

/* One "Name: value" line, sanitised. */
static void
ui_compose_draw_field(struct ui *ui, int y, const char *name,
    const char *value)
{
	char	*v = sanitize_line_dup(value != NULL ? value : "");
	char	*line = xasprintf("%10s %s", name, v);

	ui_draw_str(y, 0, ui->cols, line, A_NORMAL);
	free(line);
	free(v);
}

/* What d chose for delivery status notifications. */
static const char *
ui_compose_dsn_notify(const struct compose_draft *d)
{
	if (d->dsn_notify == NULL)
		return _("the server's default");
	if (strcmp(d->dsn_notify, "NEVER") == 0)
		return _("never");
	if (strcmp(d->dsn_notify, "FAILURE") == 0)
		return _("on failure");
	if (strcmp(d->dsn_notify, "FAILURE,DELAY") == 0)
		return _("on failure or delay");
	return _("always (success, failure, delay)");
}

/* ... and what a report brings back of the message (RET). */
static const char *
ui_compose_dsn_ret(const struct compose_draft *d)
{
	if (d->dsn_ret == NULL)
		return "";
	return strcmp(d->dsn_ret, "FULL") == 0 ? _("; reports return the "
	    "whole message") : _("; reports return the headers");
}

/* The attachments, from row y on; the cursor row reversed. */
static void
ui_compose_draw_attach(struct ui *ui, int y)
{
	const struct compose_draft	*d = &ui->compose.d;
	char				 size[32], *name, *line;
	size_t				 i;

	for (i = 0; i < d->nattach && y < ui->main_height; i++, y++) {
		ui_compose_size(d->attach[i].len, size, sizeof size);
		name = sanitize_line_dup(d->attach[i].filename != NULL ?
		    d->attach[i].filename : _("(message)"));
		line = xasprintf("  %zu. %s [%s, %s]", i + 1, name,
		    d->attach[i].content_type != NULL ?
		    d->attach[i].content_type : "application/octet-stream",
		    size);
		ui_draw_fill(y, 0, ui->cols, i == ui->compose.cursor ?
		    A_REVERSE : A_NORMAL);
		ui_draw_str(y, 0, ui->cols, line, i == ui->compose.cursor ?
		    A_REVERSE : A_NORMAL);
		free(line);
		free(name);
	}
}

/* Draw the pane over the main area. */
void
ui_compose_draw(struct ui *ui)
{
	const struct compose_draft	*d = &ui->compose.d;
	char				*line;
	size_t				 lines = 0;
	int				 y = 0;

	for (const char *p = d->body; p != NULL && *p != '\0'; p++)
		lines += *p == '\n';
	ui_compose_draw_field(ui, y++, _("From:"), d->from);
	ui_compose_draw_field(ui, y++, _("To:"), d->to);
	ui_compose_draw_field(ui, y++, _("Cc:"), d->cc);
	ui_compose_draw_field(ui, y++, _("Bcc:"), d->bcc);
	ui_compose_draw_field(ui, y++, _("Subject:"), d->subject);
	ui_compose_draw_field(ui, y++, _("Reply-To:"), d->reply_to);
	line = xasprintf("%s%s", ui_compose_dsn_notify(d),
	    ui_compose_dsn_ret(d));
	ui_compose_draw_field(ui, y++, _("DSN:"), line);
	free(line);
	y++;
	line = xasprintf(_("-- Text: %zu lines, UTF-8; attachments: %zu"),
	    lines, d->nattach);
	ui_draw_str(y++, 0, ui->cols, line, A_BOLD);
	free(line);
	ui_compose_draw_attach(ui, y);
}

/* Prompt for a header field, the current value to edit. */
static void
ui_compose_ask(struct ui *ui, enum ui_compose_field f, const char *label)
{
	char	**v = ui_compose_field(&ui->compose.d, f);

	ui_prompt_start(ui, UI_PROMPT_COMPOSE_FIELD, label,
	    v != NULL && *v != NULL ? *v : "");
	ui->prompt.msg_id = f;
}

/* A typed answer for the composer. */
void
ui_compose_prompt_answered(struct ui *ui, enum ui_prompt_kind kind,
    int64_t field, const char *text)
{
	struct compose_draft	*d = &ui->compose.d;
	struct error		 err;
	char			**v, *path;

	if (!ui->compose.active)
		return;
	if (kind == UI_PROMPT_COMPOSE_FIELD &&
	    (v = ui_compose_field(d, field)) != NULL) {
		free(*v);
		*v = *text != '\0' ? xstrdup(text) : NULL;
		return;
	}
	if (kind != UI_PROMPT_COMPOSE_ATTACH || *text == '\0')
		return;
	if ((path = ui_path_expand(text, getenv("HOME"))) == NULL) {
		ui_status_set_message(ui, true, _("No such file."));
		return;
	}
	if (compose_attach_file(d, path, &err) == -1)
		ui_status_set_message(ui, true, err.msg);
	else
		ui->compose.cursor = d->nattach - 1;
	free(path);
}

/* d: one key chooses the delivery status notification. */
void
ui_compose_dsn_key(struct ui *ui, int key)
{
	struct compose_draft	*d = &ui->compose.d;
	const char		*notify;

	/* h and b: what a report returns (RET), the notifications kept. */
	if (key == 'h' || key == 'b') {
		free(d->dsn_ret);
		d->dsn_ret = xstrdup(key == 'h' ? "HDRS" : "FULL");
		return;
	}
	switch (key) {
	case 'n': notify = "NEVER"; break;
	case 'f': notify = "FAILURE"; break;
	case 'd': notify = "FAILURE,DELAY"; break;
	case 'a': notify = "SUCCESS,FAILURE,DELAY"; break;
	case 'o': notify = NULL; break;
	default:
		ui_status_set_message(ui, false, _("Cancelled."));
		return;
	}
	free(d->dsn_notify);
	d->dsn_notify = notify != NULL ? xstrdup(notify) : NULL;
	free(d->dsn_ret);
	/* Asking for a report of a failure: the headers are enough. */
	d->dsn_ret = notify != NULL && strcmp(notify, "NEVER") != 0 ?
	    xstrdup("HDRS") : NULL;
}

/* The keys that change the draft; false if a is not one. */
static bool
ui_compose_edit_key(struct ui *ui, enum ui_action a)
{
	switch (a) {
	case UI_ACT_EDIT_FROM:
		ui_compose_ask(ui, UI_FIELD_FROM, _("From: "));
		break;
	case UI_ACT_EDIT_TO:
		ui_compose_ask(ui, UI_FIELD_TO, _("To: "));
		break;
	case UI_ACT_EDIT_CC:
		ui_compose_ask(ui, UI_FIELD_CC, _("Cc: "));
		break;
	case UI_ACT_EDIT_BCC:
		ui_compose_ask(ui, UI_FIELD_BCC, _("Bcc: "));
		break;
	case UI_ACT_EDIT_SUBJECT:
		ui_compose_ask(ui, UI_FIELD_SUBJECT, _("Subject: "));
		break;
	case UI_ACT_EDIT_REPLY_TO:
		ui_compose_ask(ui, UI_FIELD_REPLY_TO, _("Reply-To: "));
		break;
	case UI_ACT_ATTACH_FILE:
		ui_prompt_start(ui, UI_PROMPT_COMPOSE_ATTACH,
		    _("Attach file: "), NULL);
		break;
	case UI_ACT_DSN:
		ui_prompt_start(ui, UI_MENU_DSN, _("Notify: (n)ever, (f)ailure, "
		    "(d)elay+failure, (a)ll, (o) default; return: (h)eaders, "
		    "(b)ody"), NULL);
		break;
	default:
		return false;
	}
	return true;
}

/* One key in the composer pane. */
void
ui_compose_key(struct ui *ui, int key)
{
	struct ui_compose	*c = &ui->compose;
	enum ui_action		 a = ui_keymap_lookup(UI_MAP_COMPOSE, key);

	/* The job reads the draft: nothing may change it meanwhile. */
	if (ui_compose_job_busy(ui) && a != UI_ACT_HELP) {
		ui_status_set_message(ui, false, _("Queueing the message..."));
		return;
	}
	if (ui_compose_edit_key(ui, a))
		return;
	switch (a) {
	case UI_ACT_DOWN:
		if (c->cursor + 1 < c->d.nattach)
			c->cursor++;
		break;
	case UI_ACT_UP:
		if (c->cursor > 0)
			c->cursor--;
		break;
	case UI_ACT_DETACH:
		if (c->d.nattach == 0) {
			ui_status_set_message(ui, false, _("No attachment."));
			break;
		}
		compose_detach(&c->d, c->cursor);
		if (c->cursor > 0 && c->cursor >= c->d.nattach)
			c->cursor--;
		break;
	case UI_ACT_EDIT:
		ui_compose_edit(ui);
		break;
	case UI_ACT_SEND:
		ui_compose_send(ui);
		break;
	case UI_ACT_POSTPONE:
		ui_compose_postpone(ui);
		break;
	case UI_ACT_CANCEL:
		ui_prompt_start(ui, UI_CONFIRM_COMPOSE_CANCEL, _("Cancel this "
		    "message? It will be lost. (y/n)"), NULL);
		break;
	case UI_ACT_HELP:
		ui_keys_help(ui);
		break;
	default:
		break;
	}
}
