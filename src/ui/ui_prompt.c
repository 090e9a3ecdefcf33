/*
 * ui_prompt.c - questions on the message line: a line editor and y/n.
 *
 * While a prompt is active every key goes to it.  The text is UTF-8 typed
 * byte by byte (curses hands multibyte input over one byte at a time);
 * Backspace removes a whole character.  The answer is handed to the
 * function that asked, by kind; Esc or C-g cancels.  What is typed is
 * drawn sanitised, so a pasted escape sequence shows as text.
 *
 * The password prompt (a worker's WORKER_EV_NEED_PASSWORD) draws nothing
 * of what is typed, keeps it in a buffer allocated once at its full size
 * (never copied by a realloc) and wipes every copy; Esc tells the worker
 * that no password comes, and the account stays offline.
 */
#include <stdlib.h>
#include <string.h>

#include "core/config_pin.h"
#include "ui/ui_i18n.h"
#include "ui/ui_internal.h"
#include "ui/ui_path.h"
#include "ui/ui_text.h"
#include "util/sanitize.h"
#include "util/xmalloc.h"

/* Longest answer, in bytes. */
#define UI_PROMPT_MAX	4096

/* Forget the prompt. */
void
ui_prompt_fini(struct ui_prompt *p)
{
	free(p->label);
	free(p->detail);
	free(p->path);
	buf_fini_secret(&p->text);
	memset(p, 0, sizeof *p);
}

/* Is this kind answered by a single key? */
static bool
ui_prompt_one_key(enum ui_prompt_kind kind)
{
	switch (kind) {
	case UI_CONFIRM_EXPUNGE:
	case UI_CONFIRM_OVERWRITE:
	case UI_CONFIRM_FOLDER_DELETE:
	case UI_CONFIRM_PIN:
	case UI_MENU_SORT:
	case UI_CONFIRM_ATTACH_OVERWRITE:
	case UI_CONFIRM_COMPOSE_CANCEL:
	case UI_MENU_FORWARD:
	case UI_MENU_DSN:
	case UI_CONFIRM_OUTBOX_DELETE:
		return true;
	default:
		return false;
	}
}

/*
 * Ask a question.  The caller may fill ui->prompt's context fields
 * (account, folder_id, msg_id, path, tagged) after this call.
 */
void
ui_prompt_start(struct ui *ui, enum ui_prompt_kind kind, const char *label,
    const char *initial)
{
	struct ui_prompt	*p = &ui->prompt;

	ui_prompt_fini(p);
	p->active = true;
	p->kind = kind;
	p->one_key = ui_prompt_one_key(kind);
	p->label = sanitize_line_dup(label);
	buf_init(&p->text, UI_PROMPT_MAX);
	if (initial != NULL)
		buf_adds(&p->text, initial);
	ui_status_clear_message(ui);
}

/*
 * Yes to the pin offer: write the pin into the config file, then have the
 * worker use it.  Nothing is pinned when the file cannot be changed.
 */
static void
ui_prompt_pin(struct ui *ui, size_t account)
{
	struct ui_account	*a;
	struct error		 err;
	char			*text;

	if (account >= ui->naccounts || ui->accounts[account].cert_fp == NULL)
		return;
	a = &ui->accounts[account];
	if (ui->cfg->path == NULL) {
		ui_status_set_message(ui, true, _("no config file to write "
		    "the pin to"));
		return;
	}
	if (config_pin_write(ui->cfg->path, a->cfg->name, a->cert_fp,
	    &err) == -1) {
		ui_status_set_message(ui, true, err.msg);
		return;
	}
	ui_submit_text(ui, account, WORKER_PIN, 0, a->cert_fp);
	text = xasprintf(_("Pinned %s for %s in %s."), a->cert_fp,
	    a->cfg->name, ui->cfg->path);
	ui_status_set_message(ui, false, text);
	free(text);
}

/* Hand a y/n answer to whoever asked. */
static void
ui_prompt_confirmed(struct ui *ui, struct ui_prompt *p)
{
	switch (p->kind) {
	case UI_CONFIRM_EXPUNGE:
		ui_ops_expunge(ui);
		break;
	case UI_CONFIRM_OVERWRITE:
		ui_save_start(ui, p->msg_id, p->path, true);
		break;
	case UI_CONFIRM_FOLDER_DELETE:
		ui_folder_ops_delete(ui, p->folder_id);
		break;
	case UI_CONFIRM_PIN:
		ui_prompt_pin(ui, p->account);
		break;
	case UI_CONFIRM_ATTACH_OVERWRITE:
		ui_pager_prompt_confirmed(ui, p->kind);
		break;
	case UI_CONFIRM_COMPOSE_CANCEL:
		ui_compose_close(ui);
		ui_status_set_message(ui, false, _("Cancelled: the message was "
		    "not sent."));
		break;
	case UI_CONFIRM_OUTBOX_DELETE:
		ui_outbox_delete(ui, p->msg_id);
		break;
	default:
		break;
	}
}

/* Hand a typed answer to whoever asked. */
static void
ui_prompt_answered(struct ui *ui, struct ui_prompt *p, const char *text)
{
	switch (p->kind) {
	case UI_PROMPT_LIMIT:
		ui_view_limit(ui, text);
		break;
	case UI_PROMPT_TAG:
	case UI_PROMPT_UNTAG:
		ui_tag_pattern(ui, text, p->kind == UI_PROMPT_TAG);
		break;
	case UI_PROMPT_SAVE:
		ui_save_start(ui, p->msg_id, text, false);
		break;
	case UI_PROMPT_FOLDER_CREATE:
		ui_folder_ops_create(ui, p->account, text);
		break;
	case UI_PROMPT_FOLDER_RENAME:
		ui_folder_ops_rename(ui, p->folder_id, text);
		break;
	case UI_PROMPT_PASSWORD:
		if (p->account < ui->naccounts) {
			ui->accounts[p->account].pw_sent = true;
			ui_submit_text(ui, p->account, WORKER_PASSWORD, 0, text);
		}
		break;
	case UI_PROMPT_SEARCH:
	case UI_PROMPT_ATTACH_DIR:
	case UI_PROMPT_PIPE:
		ui_pager_prompt_answered(ui, p->kind, text);
		break;
	case UI_PROMPT_COMPOSE_FIELD:
	case UI_PROMPT_COMPOSE_ATTACH:
		ui_compose_prompt_answered(ui, p->kind, p->msg_id, text);
		break;
	default:
		break;
	}
}

/* A single-key prompt got key: y/n, or a sort letter. */
static void
ui_prompt_key_one(struct ui *ui, int key)
{
	struct ui_prompt	p = ui->prompt;

	/* Take the prompt over: the handler may start another one. */
	memset(&ui->prompt, 0, sizeof ui->prompt);
	ui_status_clear_message(ui);
	if (p.kind == UI_MENU_SORT) {
		if (key != UI_KEY_ESC && key != UI_KEY_CTRL('g'))
			ui_view_sort_key(ui, key);
	} else if (p.kind == UI_MENU_FORWARD)
		ui_compose_forward_key(ui, key, p.account, p.msg_id);
	else if (p.kind == UI_MENU_DSN)
		ui_compose_dsn_key(ui, key);
	else if (key == 'y' || key == 'Y')
		ui_prompt_confirmed(ui, &p);
	else
		ui_status_set_message(ui, false, _("Not done."));
	ui_prompt_fini(&p);
}

/* Remove the last UTF-8 character of the text. */
static void
ui_prompt_backspace(struct buf *b)
{
	size_t	n = b->len;

	while (n > 0) {
		n--;
		if (((unsigned char)b->data[n] & 0xc0) != 0x80)
			break;
	}
	b->len = n;
	if (b->data != NULL)
		b->data[n] = '\0';
}

/* Esc: forget the prompt; a declined password leaves its account offline. */
static void
ui_prompt_cancel(struct ui *ui)
{
	size_t	account = ui->prompt.account;
	bool	password = ui->prompt.kind == UI_PROMPT_PASSWORD;
	char	*text;

	ui_prompt_fini(&ui->prompt);
	if (!password || account >= ui->naccounts) {
		ui_status_set_message(ui, false, _("Cancelled."));
		return;
	}
	ui_submit_text(ui, account, WORKER_PASSWORD, 0, NULL);
	text = xasprintf(_("No password given: %s stays offline."),
	    ui->accounts[account].cfg->name);
	ui_status_set_message(ui, false, text);
	free(text);
}

/* Tab at a path prompt: complete the last component as far as it goes. */
static void
ui_prompt_complete_path(struct ui *ui)
{
	char	*done;
	size_t	 n;

	done = ui_path_complete(buf_str(&ui->prompt.text), getenv("HOME"), &n);
	if (done == NULL) {
		ui_status_set_message(ui, false, _("No file matches."));
		return;
	}
	buf_reset(&ui->prompt.text);
	buf_adds(&ui->prompt.text, done);
	free(done);
	if (n > 1) {
		char	*s = xasprintf(_("%zu files match."), n);

		ui_status_set_message(ui, false, s);
		free(s);
	}
}

/* Feed one key to the active prompt. */
void
ui_prompt_key(struct ui *ui, int key)
{
	struct ui_prompt	 p;
	char			*text;

	if (ui->prompt.one_key) {
		ui_prompt_key_one(ui, key);
		return;
	}
	if (key == '\r' || key == '\n' || key == KEY_ENTER) {
		p = ui->prompt;
		memset(&ui->prompt, 0, sizeof ui->prompt);
		text = xstrdup(buf_str(&p.text));
		ui_prompt_answered(ui, &p, text);
		xfree_secret(text);
		ui_prompt_fini(&p);
	} else if (key == UI_KEY_ESC || key == UI_KEY_CTRL('g') ||
	    (key & UI_KEY_META_BIT))
		ui_prompt_cancel(ui);
	else if (key == KEY_BACKSPACE || key == 127 || key == '\b')
		ui_prompt_backspace(&ui->prompt.text);
	else if (key == UI_KEY_CTRL('u'))
		buf_reset(&ui->prompt.text);
	else if (key == '\t' && ui->prompt.kind == UI_PROMPT_COMPOSE_ATTACH)
		ui_prompt_complete_path(ui);
	else if (key == '\t' && ui->prompt.kind == UI_PROMPT_COMPOSE_FIELD &&
	    ui_compose_field_addresses(ui->prompt.msg_id))
		ui_compose_complete(ui);
	else if (key >= 32 && key < 256 && key != 127)
		buf_addc(&ui->prompt.text, (char)key);
}

/* Draw the prompt on the message line, its end visible, cursor after. */
void
ui_prompt_draw(struct ui *ui)
{
	struct ui_prompt	*p = &ui->prompt;
	struct buf		 b;
	const char		*s;
	size_t			 off = 0, len;
	int			 lw, avail, y = ui->rows - 1, x;
	wchar_t			 wc;

	if (p->detail != NULL)
		ui_draw_str(y - 1, 0, ui->cols, p->detail, A_BOLD);
	lw = ui_draw_str(y, 0, ui->cols, p->label, A_NORMAL);
	if (p->kind == UI_PROMPT_PASSWORD) {
		/* Not even its length shows. */
		move(y, lw >= ui->cols ? ui->cols - 1 : lw);
		return;
	}
	buf_init(&b, UI_PROMPT_MAX * 4);
	sanitize_append(&b, buf_str(&p->text), p->text.len, 0);
	s = buf_str(&b);
	len = b.len;
	avail = ui->cols - lw - 1;
	while (off < len && ui_text_width(s + off, len - off) > avail)
		off += ui_text_decode(s + off, len - off, &wc);
	x = lw + ui_draw_text(y, lw, ui->cols - lw, s + off, len - off,
	    A_NORMAL);
	buf_fini(&b);
	if (x >= ui->cols)
		x = ui->cols - 1;
	move(y, x < 0 ? 0 : x);
}

/* "sha256:AB:CD:..." without the colons, sanitised; a new string. */
static char *
ui_prompt_compact_fp(const char *fp)
{
	char	*out = xstrdup(fp != NULL ? fp : ""), *w = out;
	size_t	 i;

	for (i = 0; out[i] != '\0'; i++) {
		if (out[i] != ':' || i < 7)	/* keep "sha256:" */
			*w++ = out[i];
	}
	*w = '\0';
	w = sanitize_line_dup(out);
	free(out);
	return w;
}

/* Offer to pin the certificate of account i (the worker's WORKER_EV_CERT). */
static void
ui_prompt_cert(struct ui *ui, size_t i)
{
	struct ui_account	*a = &ui->accounts[i];
	char			*label;

	/*
	 * The fingerprint gets the line above the question to itself, written
	 * without its colons (sha256: and 64 digits, 71 columns; a pin may be
	 * written either way): both lines fit in 80 columns but for a long
	 * reason, and in 100 with any reason OpenSSL gives.
	 */
	label = xasprintf(_("Certificate for %s not trusted (%s). Pin it? "
	    "(y/n)"), a->cfg->name, a->cert_reason != NULL ? a->cert_reason :
	    "");
	ui_prompt_start(ui, UI_CONFIRM_PIN, label, NULL);
	free(label);
	ui->prompt.detail = ui_prompt_compact_fp(a->cert_fp);
	ui->prompt.account = i;
}

/*
 * Ask what a worker waits for (a password), or offers (a pin), once no
 * other prompt is open.  After a refused password the label says so: the
 * worker's error line is replaced by the prompt.
 */
void
ui_prompt_worker_next(struct ui *ui)
{
	struct ui_account	*a;
	char			*label;
	size_t			 i;

	if (ui->prompt.active)
		return;
	for (i = 0; i < ui->naccounts; i++) {
		a = &ui->accounts[i];
		if (a->cert_wanted && a->cert_fp != NULL) {
			a->cert_wanted = false;
			ui_prompt_cert(ui, i);
			return;
		}
		if (!a->pw_wanted)
			continue;
		a->pw_wanted = false;
		if (a->pw_sent)
			label = xasprintf(_("Error: authentication failed. "
			    "Password for %s: "), a->cfg->name);
		else
			label = xasprintf(_("Password for %s: "), a->cfg->name);
		a->pw_sent = false;
		ui_prompt_start(ui, UI_PROMPT_PASSWORD, label, NULL);
		free(label);
		ui->prompt.account = i;
		/* The whole buffer now: a realloc would leave a copy. */
		(void)buf_reserve(&ui->prompt.text, UI_PROMPT_MAX);
		return;
	}
}
