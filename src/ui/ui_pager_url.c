/*
 * ui_pager_url.c - the pager's URL list (u): the URLs of the text shown,
 * to open or to read in full.
 *
 * The URLs are found in the sanitised text (ui_pager_urls), so each is
 * already safe to draw.  Enter runs url_command (config.h) with the URL
 * as its last argument, detached and without a shell, so no character of
 * a URL is ever interpreted; without url_command the whole URL is shown
 * on the message line (to copy from the terminal).  A "www." URL is
 * handed over as "http://www....".  UI thread only.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ui/ui_i18n.h"
#include "ui/ui_internal.h"
#include "ui/ui_pager_cmd.h"
#include "ui/ui_pager_text.h"
#include "util/xmalloc.h"

/* Forget the URL list. */
void
ui_pager_urls_fini(struct ui_pager_urls *u)
{
	size_t	i;

	for (i = 0; i < u->n; i++)
		free(u->v[i]);
	free(u->v);
	memset(u, 0, sizeof *u);
}

/* u: list the URLs of a document. */
void
ui_pager_urls_open(struct ui *ui, const struct ui_pager_doc *d)
{
	struct ui_pager_urls	*u = &ui->pager.urls;
	struct ui_pager_url	*found;
	size_t			 n, i;

	ui_pager_urls_fini(u);
	found = xcalloc(UI_PAGER_URLS_MAX, sizeof *found);
	n = ui_pager_urls(buf_str(&d->text), d->text.len, found,
	    UI_PAGER_URLS_MAX);
	if (n == 0) {
		free(found);
		ui_status_set_message(ui, false, _("No URLs in this text."));
		return;
	}
	u->v = xcalloc(n, sizeof *u->v);
	for (i = 0; i < n; i++)
		u->v[i] = xstrndup(buf_str(&d->text) + found[i].off,
		    found[i].len);
	u->n = n;
	free(found);
	u->back = ui->pager.view;
	u->sc.height = ui->main_height > 1 ? ui->main_height - 1 : 1;
	ui_scroll_set_count(&u->sc, (int64_t)n, false);
	ui_scroll_first(&u->sc);
	ui->pager.view = UI_PAGER_URLS;
}

/* Enter: run url_command on the URL, or show it. */
static void
ui_pager_url_open(struct ui *ui, const char *url)
{
	char *const	*cmd = ui->cfg->pager.url_argv;
	char		**argv, *full, *msg;
	struct error	 err;
	size_t		 n = 0;

	if (cmd == NULL) {
		msg = xasprintf(_("URL: %s"), url);
		ui_status_set_message(ui, false, msg);
		free(msg);
		return;
	}
	full = strncasecmp(url, "www.", 4) == 0 ? xasprintf("http://%s", url) :
	    xstrdup(url);
	while (cmd[n] != NULL)
		n++;
	argv = xcalloc(n + 2, sizeof *argv);
	memcpy(argv, cmd, n * sizeof *argv);
	argv[n] = full;
	if (ui_pager_cmd_spawn(argv, &err) == -1)
		ui_status_set_message(ui, true, err.msg);
	else {
		msg = xasprintf(_("Opening %s"), full);
		ui_status_set_message(ui, false, msg);
		free(msg);
	}
	free(argv);
	free(full);
}

/* A key's action in the URL list. */
void
ui_pager_urls_key(struct ui *ui, enum ui_action a)
{
	struct ui_pager_urls	*u = &ui->pager.urls;

	if (ui_keys_scroll(&u->sc, a))
		return;
	switch (a) {
	case UI_ACT_OPEN_URL:
		if (u->sc.cursor >= 0 && (size_t)u->sc.cursor < u->n)
			ui_pager_url_open(ui, u->v[u->sc.cursor]);
		break;
	case UI_ACT_BACK:
		ui->pager.view = u->back;
		ui_pager_urls_fini(u);
		break;
	case UI_ACT_HELP:
		ui_keys_help(ui);
		break;
	default:
		break;
	}
}

/* Draw the title and the URLs, the cursor's in reverse video. */
void
ui_pager_urls_draw(struct ui *ui)
{
	struct ui_pager_urls	*u = &ui->pager.urls;
	char			*title;
	int64_t			 i;
	int			 y;
	attr_t			 attr;

	title = xasprintf(_("URLs (%zu): Enter opens, q returns"), u->n);
	ui_draw_str(0, 0, ui->cols, title, A_BOLD);
	free(title);
	ui_scroll_resize(&u->sc, ui->main_height > 1 ? ui->main_height - 1 :
	    1);
	for (y = 1; y < ui->main_height; y++) {
		i = u->sc.top + y - 1;
		if (i >= u->sc.count)
			break;
		attr = i == u->sc.cursor ? A_REVERSE : A_NORMAL;
		ui_draw_fill(y, 0, 2, attr);
		ui_draw_str(y, 2, ui->cols - 2, u->v[i], attr);
	}
}
