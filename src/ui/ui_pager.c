/*
 * ui_pager.c - one message, full width: its headers, then the text of the
 * part chosen to show; and the pager's keys.
 *
 * The cached raw message is kept while it is shown, with its MIME part
 * tree (mime/part.h) pointing into it.  The part to show and its text come
 * from ui_pager_body.c; the text is sanitised once (keeping newlines) and
 * its tabs expanded, then kept, so toggling the headers (h) only puts the
 * headers in front again.  The headers are pager_headers (config.h) or,
 * after h, all of them; address headers go through mime/address.h, and a
 * display name that holds another address is shown with the real one and
 * marked (ui_pager_addr.h), in the warning colour, with a note on the
 * message line.  A message whose body is not cached shows "Loading
 * message..." while its worker fetches it.  Opening an unread message
 * marks it \Seen (a queued operation, like every other change), except on
 * a read-only account, where nothing may change.  J and K step through the
 * list's order.
 *
 * The pager has views: the message, its URL list (ui_pager_url.c), its
 * part list (ui_attach.c) and one part's text (or a command's output);
 * ui_pager_key takes the keys these need before ui_keys.c sees them.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mime/address.h"
#include "mime/mime.h"
#include "mime/mime_int.h"
#include "ui/ui_i18n.h"
#include "ui/ui_internal.h"
#include "ui/ui_pager_addr.h"
#include "ui/ui_pager_body.h"
#include "ui/ui_pager_text.h"
#include "util/sanitize.h"
#include "util/xmalloc.h"

/* Headers whose value is an address list. */
static const char *const ui_pager_addr_headers[] = { "From", "To", "Cc",
    "Bcc", "Reply-To", "Sender", "Resent-From", "Resent-To", "Resent-Cc",
    "Resent-Sender", "Mail-Followup-To", "Mail-Reply-To" };

/* Forget the message shown; the header mode and last search stay. */
void
ui_pager_close(struct ui_pager *p)
{
	bool	 full = p->full_headers;
	char	 search[sizeof p->search], dir[sizeof p->save_dir];

	memcpy(search, p->search, sizeof search);
	memcpy(dir, p->save_dir, sizeof dir);
	ui_attach_fini(&p->attach);
	ui_pager_urls_fini(&p->urls);
	ui_pager_doc_fini(&p->doc);
	ui_pager_doc_fini(&p->part);
	mime_tree_fini(&p->tree);
	free(p->raw);
	free(p->body);
	free(p->body_note);
	free(p->spoof);
	memset(p, 0, sizeof *p);
	p->full_headers = full;
	memcpy(p->search, search, sizeof search);
	memcpy(p->save_dir, dir, sizeof dir);
	p->shown_part = MIME_PART_NONE;
}

/* Whether a header's value is an address list. */
static bool
ui_pager_is_addr(const char *name, size_t len)
{
	size_t	i;

	for (i = 0; i < sizeof ui_pager_addr_headers /
	    sizeof ui_pager_addr_headers[0]; i++) {
		if (strlen(ui_pager_addr_headers[i]) == len &&
		    strncasecmp(ui_pager_addr_headers[i], name, len) == 0)
			return true;
	}
	return false;
}

/* The display form of a raw (unfolded) header value; *spoofed is set. */
static char *
ui_pager_value(const char *name, size_t nlen, const char *raw,
    bool *spoofed)
{
	struct mime_address_list	 l;
	char				*v = NULL;

	*spoofed = false;
	if (ui_pager_is_addr(name, nlen)) {
		mime_address_list_parse(raw, strlen(raw), &l);
		v = ui_pager_addr_line(&l, spoofed);
		mime_address_list_fini(&l);
	}
	if (v == NULL)
		v = mime_rfc2047_decode(raw, strlen(raw));
	return v;
}

/* Append "Name: value\n" (sanitised), noting a spoofed address line. */
static void
ui_pager_header_line(struct ui_pager *p, const char *name, size_t nlen,
    const char *raw)
{
	struct ui_pager_doc	*d = &p->doc;
	char			*v, *n;
	bool			 spoofed;

	v = ui_pager_value(name, nlen, raw, &spoofed);
	if (spoofed) {
		d->warn = xreallocarray(d->warn, d->nwarn + 1,
		    sizeof *d->warn);
		d->warn[d->nwarn++] = d->text.len;
		if (p->spoof == NULL) {
			n = xstrndup(name, nlen);
			p->spoof = xasprintf(_("Warning: a name in %s: holds "
			    "an address that is not its own (marked %s)."), n,
			    "[!]");
			free(n);
		}
	}
	sanitize_append(&d->text, name, nlen, 0);
	buf_adds(&d->text, ": ");
	sanitize_append(&d->text, v, strlen(v), 0);
	buf_addc(&d->text, '\n');
	free(v);
}

/* The configured headers, in their order, when present. */
static void
ui_pager_headers_chosen(struct ui *ui)
{
	static const char *const dflt[] = { "From", "To", "Cc", "Date",
	    "Subject", NULL };
	struct ui_pager		*p = &ui->pager;
	const char *const	*names = dflt;
	char			*raw;
	size_t			 i;

	if (ui->cfg->pager.headers != NULL)
		names = (const char *const *)ui->cfg->pager.headers;
	for (i = 0; names[i] != NULL; i++) {
		raw = mime_header_get(p->raw, p->raw_len, names[i]);
		if (raw == NULL)
			continue;
		ui_pager_header_line(p, names[i], strlen(names[i]), raw);
		free(raw);
	}
}

/* Every header field of the message, unfolded and decoded. */
static void
ui_pager_headers_all(struct ui_pager *p)
{
	const char	*h = p->raw, *colon, *nl;
	size_t		 hlen, boff, off = 0, end;
	char		*v;

	hlen = mime_header_end(p->raw, p->raw_len, &boff);
	if (hlen >= 5 && memcmp(h, "From ", 5) == 0) {
		/* An mbox separator, not a field. */
		nl = memchr(h, '\n', hlen);
		off = nl != NULL ? (size_t)(nl - h) + 1 : hlen;
	}
	while (off < hlen) {
		/* A field runs to the next line not starting with a blank. */
		end = off;
		do {
			nl = memchr(h + end, '\n', hlen - end);
			end = nl != NULL ? (size_t)(nl - h) + 1 : hlen;
		} while (end < hlen && (h[end] == ' ' || h[end] == '\t'));
		colon = memchr(h + off, ':', end - off);
		if (colon == NULL) {
			sanitize_append(&p->doc.text, h + off, end - off, 0);
			buf_addc(&p->doc.text, '\n');
		} else {
			v = mime_header_unfold(colon + 1, (size_t)(h + end -
			    colon - 1));
			ui_pager_header_line(p, h + off, (size_t)(colon - h -
			    off), v + strspn(v, " \t"));
			free(v);
		}
		off = end;
	}
}

/* Put the headers and the kept body text together into the document. */
static void
ui_pager_compose(struct ui *ui)
{
	struct ui_pager	*p = &ui->pager;

	ui_pager_doc_reset(&p->doc);
	free(p->spoof);
	p->spoof = NULL;
	if (p->full_headers)
		ui_pager_headers_all(p);
	else
		ui_pager_headers_chosen(ui);
	p->doc.header_len = p->doc.text.len;
	buf_addc(&p->doc.text, '\n');
	buf_add(&p->doc.text, p->body, p->body_len);
	if (p->doc.text.too_big) {
		p->doc.text.too_big = false;
		buf_adds(&p->doc.text, _("\n[message truncated]\n"));
	}
}

/*
 * The sanitised, tab-expanded display text of (s, len) (a new string);
 * flowed text may have grown: the sanitiser bounds it again.
 */
char *
ui_pager_clean(const char *s, size_t len, size_t *outlen)
{
	struct buf	san = BUF_INITIALIZER(MIME_BODY_MAX + MIME_HEADER_MAX);
	struct buf	exp = BUF_INITIALIZER(MIME_BODY_MAX + MIME_HEADER_MAX);
	bool		cut;

	sanitize_append(&san, s, len, SANITIZE_KEEP_NEWLINE |
	    SANITIZE_KEEP_TAB);
	ui_pager_expand_tabs(buf_str(&san), san.len, &exp);
	cut = san.too_big || exp.too_big;
	buf_fini(&san);
	if (cut) {
		exp.too_big = false;
		exp.max = 0;
		buf_adds(&exp, "\n[message truncated]\n");
	}
	*outlen = exp.len;
	return buf_take(&exp);
}

/* Make the pager's text from the raw message (kept in p->raw). */
static void
ui_pager_build(struct ui *ui)
{
	struct ui_pager	*p = &ui->pager;
	struct buf	 b = BUF_INITIALIZER(MIME_BODY_MAX + MIME_HEADER_MAX);
	const char	*top;

	mime_tree_fini(&p->tree);
	free(p->body);
	free(p->body_note);
	p->body_note = NULL;
	mime_tree_parse(p->raw, p->raw_len, &p->tree);
	p->shown_part = ui_pager_body_choose(&p->tree, 0,
	    ui->cfg->pager.prefer_html);
	if (p->shown_part != MIME_PART_NONE)
		ui_pager_body_text(&ui->cfg->pager, &p->tree, p->shown_part,
		    &b, &p->body_note);
	else {
		top = p->tree.n > 0 ? p->tree.v[0].type : "";
		buf_printf(&b, _("[no text part: %s/%s; v lists the parts]"),
		    top, p->tree.n > 0 ? p->tree.v[0].subtype : "");
	}
	p->body = ui_pager_clean(buf_str(&b), b.len, &p->body_len);
	buf_fini(&b);
	ui_pager_compose(ui);
}

/* Tell the reader about a spoofed name, else how the text was made. */
static void
ui_pager_note(struct ui *ui)
{
	if (ui->pager.spoof != NULL)
		ui_status_set_message(ui, false, ui->pager.spoof);
	else if (ui->pager.body_note != NULL)
		ui_status_set_message(ui, false, ui->pager.body_note);
}

/* Read the body from the cache, or ask the worker for it. */
static void
ui_pager_load(struct ui *ui)
{
	struct ui_pager	*p = &ui->pager;
	struct error	 err;
	int		 r;

	free(p->raw);
	p->raw = NULL;
	r = cache_body_get(ui->cache, p->msg_id, &p->raw, &p->raw_len, &err);
	if (r == 0) {
		p->loading = false;
		ui_pager_build(ui);
		ui_pager_note(ui);
		return;
	}
	p->raw = NULL;
	ui_pager_doc_reset(&p->doc);
	if (r < 0) {
		buf_adds(&p->doc.text, _("This message cannot be read."));
		ui_status_set_message(ui, true, err.msg);
		return;
	}
	buf_adds(&p->doc.text, _("Loading message..."));
	if (!p->loading) {
		p->loading = true;
		ui_submit(ui, ui->index.account, WORKER_FETCH_BODY,
		    p->folder_id, p->msg_id, 0);
	}
}

/* Set \Seen: in the cache at once, queued for the server (ui_ops.c). */
static void
ui_pager_mark_seen(struct ui *ui, const struct cache_msg *m)
{
	size_t	account = ui->index.account;

	if ((m->flags & CACHE_FLAG_SEEN) || account >= ui->naccounts ||
	    ui->accounts[account].cfg->read_only || m->remote_id == NULL)
		return;
	ui_ops_mark_seen(ui, m);
}

/* Show message m (row pos of the list) in the pager. */
void
ui_pager_open(struct ui *ui, const struct cache_msg *m, int64_t pos)
{
	struct ui_pager	*p = &ui->pager;

	ui_pager_close(p);
	ui_pager_doc_init(&p->doc);
	ui_pager_doc_init(&p->part);
	ui_pager_colors(ui);
	p->msg_id = m->id;
	p->folder_id = m->folder_id;
	p->position = pos;
	p->view = UI_PAGER_MESSAGE;
	ui_pager_mark_seen(ui, m);
	ui_pager_load(ui);
	ui->mode = UI_MODE_PAGER;
}

/* A worker stored a body: redraw if it is the one being waited for. */
void
ui_pager_body_ready(struct ui *ui, int64_t msg_id)
{
	struct ui_pager	*p = &ui->pager;

	if (ui->mode == UI_MODE_PAGER && p->loading && p->msg_id == msg_id)
		ui_pager_load(ui);
}

/* The document the pager shows now (the message, or a part). */
static struct ui_pager_doc *
ui_pager_current(struct ui *ui)
{
	return ui->pager.view == UI_PAGER_PART ? &ui->pager.part :
	    &ui->pager.doc;
}

/* Scroll by lines (negative: up). */
void
ui_pager_scroll(struct ui *ui, int64_t lines)
{
	ui_pager_doc_scroll(ui, ui_pager_current(ui), lines, ui->main_height);
}

/* Scroll by pages. */
void
ui_pager_page(struct ui *ui, int pages)
{
	int	h = ui->main_height > 1 ? ui->main_height - 1 : 1;

	ui_pager_scroll(ui, (int64_t)pages * h);
}

/* Go to the top or the end of the text. */
void
ui_pager_edge(struct ui *ui, bool end)
{
	struct ui_pager_doc	*d = ui_pager_current(ui);

	ui_pager_doc_scroll(ui, d, end ? INT64_MAX / 4 : -(INT64_MAX / 4),
	    ui->main_height);
}

/* Draw the view shown. */
void
ui_pager_draw(struct ui *ui)
{
	switch (ui->pager.view) {
	case UI_PAGER_URLS:
		ui_pager_urls_draw(ui);
		break;
	case UI_PAGER_ATTACH:
		ui_attach_draw(ui);
		break;
	case UI_PAGER_PART:
	case UI_PAGER_MESSAGE:
		ui_pager_doc_draw(ui, ui_pager_current(ui), 0, ui->main_height);
		break;
	}
}

/* J/K: show the next (delta 1) or previous (-1) message of the list. */
void
ui_pager_step(struct ui *ui, int delta)
{
	struct ui_index		*ix = &ui->index;
	const struct cache_msg	*m;
	int64_t			 before = ix->sc.cursor;

	ix->sc.cursor = ui->pager.position;
	ui_scroll_move(&ix->sc, delta);
	ix->moved = true;
	if (ix->sc.cursor == ui->pager.position) {
		ix->sc.cursor = before;
		ui_scroll_fix(&ix->sc);
		ui_status_set_message(ui, false, delta > 0 ?
		    _("This is the last message.") :
		    _("This is the first message."));
		return;
	}
	if ((m = ui_index_current(ui)) == NULL) {
		ui_status_set_message(ui, false, _("No message here."));
		return;
	}
	ui_pager_open(ui, m, ix->sc.cursor);
}

/* h: all headers, or the chosen ones again. */
static void
ui_pager_toggle_headers(struct ui *ui)
{
	struct ui_pager	*p = &ui->pager;

	p->full_headers = !p->full_headers;
	if (p->raw == NULL)
		return;
	ui_pager_compose(ui);
	ui_status_set_message(ui, false, p->full_headers ?
	    _("All headers.") : _("The chosen headers (pager_headers)."));
}

/* n: the next match of the last search. */
static void
ui_pager_search_next(struct ui *ui)
{
	if (ui->pager.search[0] == '\0') {
		ui_status_set_message(ui, false, _("No search yet: press /."));
		return;
	}
	ui_pager_doc_search(ui, ui_pager_current(ui), ui->pager.search, true,
	    ui->main_height);
}

/* The pager's own keys in the message or part view. */
static bool
ui_pager_key_text(struct ui *ui, enum ui_action a)
{
	struct ui_pager	*p = &ui->pager;

	switch (a) {
	case UI_ACT_HEADERS:
		if (p->view == UI_PAGER_MESSAGE)
			ui_pager_toggle_headers(ui);
		return true;
	case UI_ACT_SEARCH:
		ui_prompt_start(ui, UI_PROMPT_SEARCH, _("Search: "), NULL);
		return true;
	case UI_ACT_SEARCH_NEXT:
		ui_pager_search_next(ui);
		return true;
	case UI_ACT_URLS:
		ui_pager_urls_open(ui, ui_pager_current(ui));
		return true;
	case UI_ACT_ATTACH:
		ui_attach_open(ui);
		return true;
	case UI_ACT_BACK:
		if (p->view != UI_PAGER_PART)
			return false;
		p->view = UI_PAGER_ATTACH;
		return true;
	default:
		return false;
	}
}

/* A key in the pager, before ui_keys.c's (see ui_internal.h). */
bool
ui_pager_key(struct ui *ui, int key)
{
	struct ui_pager	*p = &ui->pager;

	switch (p->view) {
	case UI_PAGER_URLS:
		ui_pager_urls_key(ui, ui_keymap_lookup(UI_MAP_URLS, key));
		return true;
	case UI_PAGER_ATTACH:
		ui_attach_key(ui, ui_keymap_lookup(UI_MAP_ATTACH, key));
		return true;
	case UI_PAGER_PART:
	case UI_PAGER_MESSAGE:
		break;
	}
	return ui_pager_key_text(ui, ui_keymap_lookup(UI_MAP_PAGER, key));
}

/* Show a part's text (or a command's output) under a title line. */
void
ui_pager_show_part(struct ui *ui, const char *title, const char *text,
    size_t len)
{
	struct ui_pager_doc	*d = &ui->pager.part;
	char			*clean;
	size_t			 n;

	ui_pager_doc_reset(d);
	sanitize_append(&d->text, title, strlen(title), 0);
	buf_addc(&d->text, '\n');
	d->header_len = d->text.len;
	buf_addc(&d->text, '\n');
	clean = ui_pager_clean(text, len, &n);
	buf_add(&d->text, clean, n);
	free(clean);
	if (d->text.too_big) {
		d->text.too_big = false;
		buf_adds(&d->text, _("\n[text truncated]\n"));
	}
	ui->pager.view = UI_PAGER_PART;
}

/* Keep text in a fixed array, cut at a character boundary. */
static void
ui_pager_remember(char *dst, size_t size, const char *text)
{
	size_t	n = strlen(text);

	if (n >= size) {
		n = size - 1;
		while (n > 0 && ((unsigned char)text[n] & 0xc0) == 0x80)
			n--;
	}
	memcpy(dst, text, n);
	dst[n] = '\0';
}

/* The answer to one of the pager's prompts. */
void
ui_pager_prompt_answered(struct ui *ui, enum ui_prompt_kind kind,
    const char *text)
{
	if (kind != UI_PROMPT_SEARCH) {
		ui_attach_prompt_answered(ui, kind, text);
		return;
	}
	if (text == NULL || *text == '\0') {
		ui_status_set_message(ui, false, _("Cancelled."));
		return;
	}
	ui_pager_remember(ui->pager.search, sizeof ui->pager.search, text);
	ui_pager_doc_search(ui, ui_pager_current(ui), ui->pager.search,
	    false, ui->main_height);
}

/* y to one of the pager's questions. */
void
ui_pager_prompt_confirmed(struct ui *ui, enum ui_prompt_kind kind)
{
	if (kind == UI_CONFIRM_ATTACH_OVERWRITE)
		ui_attach_overwrite(ui);
}
