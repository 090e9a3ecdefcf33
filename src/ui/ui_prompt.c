/*
 * ui_prompt.c - questions on the message line: a line editor and y/n.
 *
 * While a prompt is active every key goes to it.  The text is UTF-8 typed
 * byte by byte (curses hands multibyte input over one byte at a time);
 * Backspace removes a whole character.  The answer is handed to the
 * function that asked, by kind; Esc or C-g cancels.  What is typed is
 * drawn sanitised, so a pasted escape sequence shows as text.
 */
#include <stdlib.h>
#include <string.h>

#include "ui/ui_i18n.h"
#include "ui/ui_internal.h"
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
	free(p->path);
	buf_fini(&p->text);
	memset(p, 0, sizeof *p);
}

/* Is this kind answered by a single key? */
static bool
ui_prompt_one_key(enum ui_prompt_kind kind)
{
	return kind == UI_CONFIRM_EXPUNGE || kind == UI_CONFIRM_OVERWRITE ||
	    kind == UI_CONFIRM_FOLDER_DELETE || kind == UI_MENU_SORT;
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
	} else if (key == 'y' || key == 'Y')
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
		free(text);
		ui_prompt_fini(&p);
	} else if (key == UI_KEY_ESC || key == UI_KEY_CTRL('g') ||
	    (key & UI_KEY_META_BIT)) {
		ui_prompt_fini(&ui->prompt);
		ui_status_set_message(ui, false, _("Cancelled."));
	} else if (key == KEY_BACKSPACE || key == 127 || key == '\b')
		ui_prompt_backspace(&ui->prompt.text);
	else if (key == UI_KEY_CTRL('u'))
		buf_reset(&ui->prompt.text);
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

	lw = ui_draw_str(y, 0, ui->cols, p->label, A_NORMAL);
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
