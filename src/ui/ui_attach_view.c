/*
 * ui_attach_view.c - showing a part: text in the pager, a message/rfc822
 * part as a message, anything else through its mailcap viewer (RFC 1524);
 * and piping a part to a typed command.
 *
 * A mailcap viewer gets the decoded part in a 0600 file in a fresh 0700
 * directory (mkdtemp), named from the part's filename reduced to
 * [A-Za-z0-9._-] (or nametemplate=), so the name is safe in the shell
 * command mailcap entries are; both are removed when the viewer ends.  An
 * entry without %s gets the part on its stdin.  A copiousoutput entry runs
 * bounded (UI_CMD_TIMEOUT_MS, UI_CMD_OUT_MAX) and its output is shown in
 * the pager, sanitised; any other entry gets the terminal (curses steps
 * aside) until it exits.  test= commands run bounded too.  A typed pipe
 * command is the user's own and runs through /bin/sh -c, with the part on
 * its stdin, bounded by UI_ATTACH_PIPE_MS; its output is shown in the
 * pager.  UI thread only.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mime/mime.h"
#include "mime/mime_int.h"
#include "ui/ui_attach_mailcap.h"
#include "ui/ui_i18n.h"
#include "ui/ui_internal.h"
#include "ui/ui_pager_body.h"
#include "ui/ui_pager_cmd.h"
#include "util/xmalloc.h"

/* How long a typed pipe command may run. */
#define UI_ATTACH_PIPE_MS	30000
/* Longest temporary file name. */
#define UI_ATTACH_TMP_NAME_MAX	64

/* Show a text part in the pager's part view. */
static void
ui_attach_view_text(struct ui *ui, size_t i)
{
	struct buf	 b = BUF_INITIALIZER(MIME_BODY_MAX);
	char		*note = NULL, *d, *title;

	ui_pager_body_text(&ui->cfg->pager, &ui->pager.tree, i, &b, &note);
	d = ui_attach_describe(&ui->pager.tree, i);
	title = xasprintf("[%s]%s%s", d, note != NULL ? " " : "",
	    note != NULL ? note : "");
	ui_pager_show_part(ui, title, buf_str(&b), b.len);
	free(title);
	free(d);
	free(note);
	buf_fini(&b);
}

/* Append "Name: value\n" for a header of an inner message, if present. */
static void
ui_attach_inner_header(struct buf *b, const struct mime_part *m,
    const char *name)
{
	const char	*val;
	size_t		 vlen;
	char		*raw, *v;

	if (!mime_header_find(m->hdr, m->hlen, name, &val, &vlen))
		return;
	raw = mime_header_unfold(val, vlen);
	v = mime_rfc2047_decode(raw, strlen(raw));
	buf_printf(b, "%s: %s\n", name, v + strspn(v, " \t"));
	free(v);
	free(raw);
}

/* Show a message/rfc822 part: its headers and its chosen text. */
static void
ui_attach_view_message(struct ui *ui, size_t i)
{
	static const char *const hdrs[] = { "From", "To", "Cc", "Date",
	    "Subject" };
	const struct mime_tree	*t = &ui->pager.tree;
	struct buf		 b = BUF_INITIALIZER(MIME_BODY_MAX);
	char			*note = NULL, *d, *title;
	size_t			 k, in = i + 1, shown;

	if (in >= t->n || t->v[in].parent != i) {
		ui_attach_view_text(ui, i);
		return;
	}
	for (k = 0; k < sizeof hdrs / sizeof hdrs[0]; k++)
		ui_attach_inner_header(&b, &t->v[in], hdrs[k]);
	buf_addc(&b, '\n');
	shown = ui_pager_body_choose(t, in, ui->cfg->pager.prefer_html);
	if (shown != MIME_PART_NONE)
		ui_pager_body_text(&ui->cfg->pager, t, shown, &b, &note);
	else
		buf_adds(&b, _("[no text part]"));
	d = ui_attach_describe(t, i);
	title = xasprintf("[%s]", d);
	ui_pager_show_part(ui, title, buf_str(&b), b.len);
	free(title);
	free(d);
	free(note);
	buf_fini(&b);
}

/* Append the characters of s that are safe in a shell word. */
static void
ui_attach_tmp_chars(struct buf *b, const char *s)
{
	for (; s != NULL && *s != '\0'; s++) {
		if ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		    (*s >= '0' && *s <= '9') || *s == '.' || *s == '_' ||
		    *s == '-')
			buf_addc(b, *s);
	}
}

/* The temporary file's name: safe characters only, never "" or ".x". */
static char *
ui_attach_tmp_name(const struct mime_part *p, const char *nametemplate)
{
	struct buf	 b = BUF_INITIALIZER(UI_ATTACH_TMP_NAME_MAX);
	const char	*pct;
	char		*name, *r;

	name = NULL;
	if (nametemplate != NULL && (pct = strstr(nametemplate, "%s")) !=
	    NULL) {
		name = xasprintf("%.*spart%s", (int)(pct - nametemplate),
		    nametemplate, pct + 2);
		ui_attach_tmp_chars(&b, name);
	} else
		ui_attach_tmp_chars(&b, p->filename);
	free(name);
	if (b.too_big || b.len == 0 || b.data[0] == '.' || b.data[0] == '-') {
		r = xasprintf("part%s", b.len > 0 && !b.too_big &&
		    b.data[0] == '.' ? buf_str(&b) : "");
		buf_fini(&b);
		return r;
	}
	return buf_take(&b);
}

/* The part's Content-Type value (for %{name}), or NULL. */
static char *
ui_attach_ctype(const struct mime_part *p)
{
	const char	*val;
	size_t		 vlen;

	if (!mime_header_find(p->hdr, p->hlen, "Content-Type", &val, &vlen))
		return NULL;
	return mime_header_unfold(val, vlen);
}

/* Run the viewer: bounded into the pager, or on the terminal. */
static void
ui_attach_run_viewer(struct ui *ui, size_t i,
    const struct ui_mailcap_entry *e, char **argv, const char *path,
    const struct buf *data, bool stdin_data)
{
	struct buf		 out = BUF_INITIALIZER(UI_CMD_OUT_MAX);
	struct ui_cmd_result	 res;
	struct error		 err;
	char			*d, *title;
	int			 fd = -1;

	if (e->copiousoutput) {
		if (ui_pager_cmd_run(argv, stdin_data ? buf_str(data) : NULL,
		    data->len, UI_CMD_TIMEOUT_MS, &out, &res, &err) == -1) {
			ui_status_set_message(ui, true, err.msg);
		} else {
			d = ui_attach_describe(&ui->pager.tree, i);
			title = xasprintf(_("[%s, shown by \"%s\"%s]"), d,
			    e->view, res.timed_out ? _(", stopped: too slow") :
			    res.truncated ? _(", output cut") : "");
			ui_pager_show_part(ui, title, buf_str(&out), out.len);
			free(title);
			free(d);
		}
		buf_fini(&out);
		return;
	}
	if (stdin_data)
		fd = open(path, O_RDONLY | O_CLOEXEC);
	endwin();
	if (ui_pager_cmd_terminal(argv, fd, &err) == -1)
		ui_status_set_message(ui, true, err.msg);
	if (fd != -1)
		close(fd);
	refresh();
	clearok(curscr, TRUE);
	ui_layout(ui);
}

/* Open part i with the first fitting mailcap entry. */
static void
ui_attach_mailcap(struct ui *ui, size_t i)
{
	const struct mime_part	*p = &ui->pager.tree.v[i];
	struct ui_mailcap_entry	 e;
	struct buf		 data = BUF_INITIALIZER(0);
	struct error		 err;
	char			*argv[] = { "/bin/sh", "-c", NULL, NULL };
	char			*name, *dir = NULL, *path = NULL, *ct, *type;
	bool			 used;

	if (ui_attach_mailcap_load(p->type, p->subtype, false, ui_pager_cmd_test,
	    NULL, &e) == -1) {
		type = xasprintf(_("No mailcap entry for %s/%s: s saves it, | "
		    "pipes it."), p->type, p->subtype);
		ui_status_set_message(ui, false, type);
		free(type);
		return;
	}
	mime_part_decode(p, &data);
	name = ui_attach_tmp_name(p, e.nametemplate);
	if (ui_pager_cmd_tmp_write(buf_str(&data), data.len, name, &dir,
	    &path, &err) == 0) {
		ct = ui_attach_ctype(p);
		type = xasprintf("%s/%s", p->type, p->subtype);
		argv[2] = ui_attach_mailcap_expand(e.view, path, type, ct,
		    &used);
		ui_attach_run_viewer(ui, i, &e, argv, path, &data, !used);
		free(argv[2]);
		free(type);
		free(ct);
	} else
		ui_status_set_message(ui, true, err.msg);
	ui_pager_cmd_tmp_remove(dir, path);
	free(path);
	free(dir);
	free(name);
	buf_fini(&data);
	ui_attach_mailcap_fini(&e);
}

/* Enter / m on part i (see ui_internal.h). */
void
ui_attach_view(struct ui *ui, size_t i, bool mailcap)
{
	const struct mime_part	*p = &ui->pager.tree.v[i];

	if (p->kind == MIME_PART_MULTIPART)
		ui_status_set_message(ui, false, _("This part holds other "
		    "parts: choose one of them."));
	else if (!mailcap && p->kind == MIME_PART_MESSAGE)
		ui_attach_view_message(ui, i);
	else if (!mailcap && strcmp(p->type, "text") == 0)
		ui_attach_view_text(ui, i);
	else
		ui_attach_mailcap(ui, i);
}

/* |: pipe the part to a typed command and show what it prints. */
void
ui_attach_pipe(struct ui *ui, const char *command)
{
	struct ui_attach	*a = &ui->pager.attach;
	struct buf		 data = BUF_INITIALIZER(0);
	struct buf		 out = BUF_INITIALIZER(UI_CMD_OUT_MAX);
	struct ui_cmd_result	 res;
	struct error		 err;
	char			*argv[] = { "/bin/sh", "-c", NULL, NULL };
	char			*title;

	if (a->part >= ui->pager.tree.n)
		return;
	mime_part_decode(&ui->pager.tree.v[a->part], &data);
	argv[2] = (char *)command;
	if (ui_pager_cmd_run(argv, buf_str(&data), data.len,
	    UI_ATTACH_PIPE_MS, &out, &res, &err) == -1)
		ui_status_set_message(ui, true, err.msg);
	else {
		title = xasprintf(_("[Output of \"%s\": %s%d]"), command,
		    res.timed_out ? _("stopped after 30 s, status ") :
		    _("exit status "), res.status);
		ui_pager_show_part(ui, title, buf_str(&out), out.len);
		free(title);
	}
	buf_fini(&out);
	buf_fini(&data);
}
