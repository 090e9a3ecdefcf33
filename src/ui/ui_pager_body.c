/*
 * ui_pager_body.c - choosing the part the pager shows and making its text:
 * RFC 2046 section 5.1.4 (alternatives), RFC 2045 section 6 (transfer
 * encodings, through mime_part_decode), RFC 3676 (format=flowed, DelSp)
 * and text/html through a renderer.
 *
 * The renderer is an outside program (html_command, else w3m or lynx when
 * installed) fed the HTML, already converted to UTF-8, on its stdin, or
 * with html_command = mailcap the first text/html copiousoutput mailcap
 * entry (RFC 1524), given the HTML in a private temporary file; it runs
 * at most UI_CMD_TIMEOUT_MS and its output is capped at UI_CMD_OUT_MAX.  When it cannot run, times out or prints nothing, the
 * internal tag stripper (mime_html_to_text) is used and the note says
 * why.  Its output is untrusted like the message: the pager sanitises it.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mime/mime.h"
#include "mime/mime_int.h"
#include "ui/ui_attach_mailcap.h"
#include "ui/ui_pager_body.h"
#include "ui/ui_pager_cmd.h"
#include "ui/ui_pager_text.h"
#include "util/error.h"
#include "util/xmalloc.h"

/* The default renderers, in order of preference. */
static char *const ui_body_w3m[] = { "w3m", "-dump", "-T", "text/html",
    "-I", "UTF-8", "-O", "UTF-8", NULL };
static char *const ui_body_lynx[] = { "lynx", "-dump", "-stdin",
    "-assume_charset=UTF-8", "-display_charset=UTF-8", NULL };

/* The end of part i's subtree: the first part after its descendants. */
static size_t
ui_body_end(const struct mime_tree *t, size_t i)
{
	size_t	j = i + 1;

	while (j < t->n && t->v[j].depth > t->v[i].depth)
		j++;
	return j;
}

/* Whether part i or one of its descendants is a text/sub leaf. */
static bool
ui_body_holds(const struct mime_tree *t, size_t i, const char *sub)
{
	size_t	j, end = ui_body_end(t, i);

	for (j = i; j < end; j++) {
		if (t->v[j].kind == MIME_PART_LEAF &&
		    strcmp(t->v[j].type, "text") == 0 &&
		    strcmp(t->v[j].subtype, sub) == 0)
			return true;
	}
	return false;
}

/* In alternative a, the child to keep: the last holding want, else other. */
static size_t
ui_body_alternative(const struct mime_tree *t, size_t a, bool prefer_html)
{
	const char	*want = prefer_html ? "html" : "plain";
	const char	*other = prefer_html ? "plain" : "html";
	size_t		 c, keep_want = MIME_PART_NONE;
	size_t		 keep_other = MIME_PART_NONE;

	if (t->v[a].nchild == 0 || a + 1 >= t->n)
		return MIME_PART_NONE;
	for (c = a + 1; c != MIME_PART_NONE && c < t->n; c = t->v[c].next) {
		if (ui_body_holds(t, c, want))
			keep_want = c;
		else if (ui_body_holds(t, c, other))
			keep_other = c;
	}
	if (keep_want != MIME_PART_NONE)
		return keep_want;
	return keep_other != MIME_PART_NONE ? keep_other : a + 1;
}

/* Mark the subtrees of the alternatives not kept as skipped. */
static void
ui_body_prune(const struct mime_tree *t, size_t lo, size_t hi,
    bool prefer_html, bool *skip)
{
	size_t	i, c, keep, j, end;

	for (i = lo; i < hi; i++) {
		if (skip[i] || t->v[i].kind != MIME_PART_MULTIPART ||
		    strcmp(t->v[i].subtype, "alternative") != 0)
			continue;
		keep = ui_body_alternative(t, i, prefer_html);
		for (c = i + 1; c != MIME_PART_NONE && c < t->n;
		    c = t->v[c].next) {
			if (c == keep)
				continue;
			end = ui_body_end(t, c);
			for (j = c; j < end; j++)
				skip[j] = true;
		}
	}
}

/* Whether a part's body is only blanks and line breaks. */
static bool
ui_body_blank(const struct mime_part *p)
{
	size_t	i;

	for (i = 0; i < p->blen; i++) {
		if (strchr(" \t\r\n", p->body[i]) == NULL)
			return false;
	}
	return true;
}

/* Choose the part to show (see ui_pager_body.h). */
size_t
ui_pager_body_choose(const struct mime_tree *t, size_t root,
    bool prefer_html)
{
	size_t			 pick[4], i, k, hi;
	bool			*skip, html;
	const struct mime_part	*p;

	for (k = 0; k < 4; k++)
		pick[k] = MIME_PART_NONE;
	if (root >= t->n)
		return MIME_PART_NONE;
	hi = ui_body_end(t, root);
	skip = xcalloc(t->n, sizeof *skip);
	ui_body_prune(t, root, hi, prefer_html, skip);
	for (i = root; i < hi; i++) {
		p = &t->v[i];
		if (skip[i] || p->kind != MIME_PART_LEAF ||
		    strcmp(p->type, "text") != 0)
			continue;
		/* Slots: 0 preferred, 1 the other, +2 attached or blank;
		 * other text subtypes count as attached plain text. */
		html = strcmp(p->subtype, "html") == 0;
		if (!html && strcmp(p->subtype, "plain") != 0)
			k = prefer_html ? 3 : 2;
		else {
			k = html != prefer_html;
			if (strcmp(p->disposition, "attachment") == 0 ||
			    ui_body_blank(p))
				k += 2;
		}
		if (pick[k] == MIME_PART_NONE)
			pick[k] = i;
	}
	free(skip);
	for (k = 0; k < 4; k++) {
		if (pick[k] != MIME_PART_NONE)
			return pick[k];
	}
	return MIME_PART_NONE;
}

/* The renderer to use (see ui_pager_body.h). */
char *const *
ui_pager_body_renderer(const struct config_pager *cfg, const char **name)
{
	*name = "the internal tag stripper";
	if (cfg != NULL && cfg->html_internal)
		return NULL;
	if (cfg != NULL && cfg->html_argv != NULL) {
		*name = cfg->html_argv[0];
		return cfg->html_argv;
	}
	if (ui_pager_cmd_in_path("w3m")) {
		*name = "w3m";
		return ui_body_w3m;
	}
	if (ui_pager_cmd_in_path("lynx")) {
		*name = "lynx";
		return ui_body_lynx;
	}
	return NULL;
}

/*
 * Run a renderer on the HTML (on its stdin unless in is NULL); 0 with its
 * output appended to out, or -1 with *note saying why not.
 */
static int
ui_body_render(char *const argv[], const char *name, const char *in,
    size_t len, struct buf *out, char **note)
{
	struct ui_cmd_result	 res;
	struct error		 err;
	struct buf		 r = BUF_INITIALIZER(UI_CMD_OUT_MAX);
	int			 rc = -1;

	if (ui_pager_cmd_run(argv, in, in != NULL ? len : 0,
	    UI_CMD_TIMEOUT_MS, &r, &res, &err) == -1)
		*note = xasprintf("%s: %s; tags stripped instead", name,
		    err.msg);
	else if (res.timed_out)
		*note = xasprintf("%s did not finish within %d s; tags "
		    "stripped instead", name, UI_CMD_TIMEOUT_MS / 1000);
	else if (r.len == 0 || (res.status != 0 && !res.truncated))
		*note = xasprintf("%s failed (exit status %d); tags stripped "
		    "instead", name, res.status);
	else {
		*note = xasprintf("text/html rendered by %s%s", name,
		    res.truncated ? " (output cut)" : "");
		buf_add(out, buf_str(&r), r.len);
		rc = 0;
	}
	buf_fini(&r);
	return rc;
}

/*
 * html_command = mailcap: the first text/html copiousoutput entry, given
 * the HTML in a private temporary file (%s) or on its stdin.
 */
static int
ui_body_html_mailcap(const char *html, size_t len, struct buf *out,
    char **note)
{
	struct ui_mailcap_entry	 e;
	struct error		 err;
	char			*argv[] = { "/bin/sh", "-c", NULL, NULL };
	char			*dir = NULL, *path = NULL, *name;
	bool			 used;
	int			 rc = -1;

	if (ui_attach_mailcap_load("text", "html", true, ui_pager_cmd_test,
	    NULL, &e) == -1) {
		*note = xstrdup("no text/html copiousoutput entry in mailcap; "
		    "tags stripped instead");
		return -1;
	}
	if (ui_pager_cmd_tmp_write(html, len, "part.html", &dir, &path,
	    &err) == -1) {
		*note = xasprintf("mailcap: %s; tags stripped instead",
		    err.msg);
		goto out;
	}
	argv[2] = ui_attach_mailcap_expand(e.view, path, "text/html",
	    "text/html; charset=utf-8", &used);
	name = xasprintf("mailcap (%s)", e.view);
	rc = ui_body_render(argv, name, used ? NULL : html, len, out, note);
	free(name);
	free(argv[2]);
out:
	ui_pager_cmd_tmp_remove(dir, path);
	free(dir);
	free(path);
	ui_attach_mailcap_fini(&e);
	return rc;
}

/* Render HTML (UTF-8) to text, by the renderer or the tag stripper. */
static void
ui_body_html(const struct config_pager *cfg, const char *html, size_t len,
    struct buf *out, char **note)
{
	char *const	*argv;
	const char	*name;

	if (cfg != NULL && cfg->html_mailcap) {
		if (ui_body_html_mailcap(html, len, out, note) == 0)
			return;
	} else if ((argv = ui_pager_body_renderer(cfg, &name)) != NULL) {
		if (ui_body_render(argv, name, html, len, out, note) == 0)
			return;
	} else
		*note = xasprintf("text/html shown by %s", name);
	mime_html_to_text(html, len, out);
}

/* A Content-Type parameter of a part, or NULL. */
static char *
ui_body_param(const struct mime_part *p, const char *name)
{
	const char	*val;
	size_t		 vlen;
	char		*v, *r;

	if (!mime_header_find(p->hdr, p->hlen, "Content-Type", &val, &vlen))
		return NULL;
	v = mime_header_unfold(val, vlen);
	r = mime_param_get(v, strlen(v), name);
	free(v);
	return r;
}

/* Whether a part's Content-Type parameter name equals value. */
static bool
ui_body_param_is(const struct mime_part *p, const char *name,
    const char *value)
{
	char	*v = ui_body_param(p, name);
	bool	 is = v != NULL && strcasecmp(v, value) == 0;

	free(v);
	return is;
}

/* Turn CRLF into LF in place; returns the new length. */
static size_t
ui_body_lf(char *s, size_t len)
{
	size_t	i, n = 0;

	for (i = 0; i < len; i++) {
		if (s[i] == '\r' && i + 1 < len && s[i + 1] == '\n')
			continue;
		s[n++] = s[i];
	}
	if (s != NULL)
		s[n] = '\0';
	return n;
}

/* Make the display text of a part (see ui_pager_body.h). */
void
ui_pager_body_text(const struct config_pager *cfg, const struct mime_tree *t,
    size_t i, struct buf *out, char **note)
{
	const struct mime_part	*p;
	struct buf		 dec = BUF_INITIALIZER(MIME_BODY_MAX);
	struct buf		 txt = BUF_INITIALIZER(MIME_BODY_MAX);
	bool			 cut;

	*note = NULL;
	if (i >= t->n)
		return;
	p = &t->v[i];
	mime_part_decode(p, &dec);
	mime_charset_to_utf8_or(p->charset[0] != '\0' ? p->charset : NULL,
	    cfg != NULL ? cfg->charset_fallback : NULL, buf_str(&dec),
	    dec.len, &txt);
	cut = dec.too_big || txt.too_big;
	buf_fini(&dec);
	txt.len = ui_body_lf(txt.data, txt.len);
	if (strcmp(p->subtype, "html") == 0)
		ui_body_html(cfg, buf_str(&txt), txt.len, out, note);
	else if (strcmp(p->subtype, "plain") == 0 &&
	    ui_body_param_is(p, "format", "flowed"))
		ui_pager_flowed(buf_str(&txt), txt.len,
		    ui_body_param_is(p, "delsp", "yes"), out);
	else
		buf_add(out, buf_str(&txt), txt.len);
	buf_fini(&txt);
	if (cut || out->too_big) {
		/* The short note may pass the maximum: it must be seen. */
		out->too_big = false;
		out->max = 0;
		buf_adds(out, "\n[message truncated]\n");
	}
}
