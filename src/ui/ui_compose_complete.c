/*
 * ui_compose_complete.c - Tab at the To, Cc and Bcc prompts: the address
 * being typed (after the last comma) is completed from the aliases file
 * (aliases_file, offered first) and every address in the cache, ranked
 * by how often and how recently it was used (compose_addrbook_match):
 * people written to (the To: lines of Sent folders) count three times a
 * sender.  Tab again offers the next candidate in place of the last one.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compose/compose.h"
#include "ui/ui_i18n.h"
#include "ui/ui_internal.h"
#include "ui/ui_path.h"
#include "util/xmalloc.h"

/* The newest messages looked at for one completion. */
#define UI_COMPLETE_ROWS	5000

/* Forget the candidates. */
void
ui_complete_fini(struct ui_complete *k)
{
	compose_addrbook_match_free(k->list);
	free(k->head);
	free(k->shown);
	memset(k, 0, sizeof *k);
}

/* cache_addr_candidates' callback: weigh one message's addresses. */
static void
ui_complete_row(void *arg, const char *from_name, const char *from_addr,
    const char *to_line, int64_t date, bool sent)
{
	struct compose_addrbook	*ab = arg;

	if (sent && to_line != NULL)
		compose_addrbook_add_list(ab, to_line, date, 3);
	else if (from_addr != NULL)
		compose_addrbook_add(ab, from_name, from_addr, date, 1);
}

/* Fill k->list for the partial address; 0, or -1 (told) when none. */
static int
ui_complete_find(struct ui *ui, struct ui_complete *k, const char *partial)
{
	struct compose_addrbook	 ab;
	struct error		 err;
	char			*path;

	memset(&ab, 0, sizeof ab);
	if (ui->cfg->aliases_file != NULL &&
	    (path = ui_path_expand(ui->cfg->aliases_file,
	    getenv("HOME"))) != NULL) {
		/* No aliases file yet is no error. */
		if (compose_addrbook_load_aliases(&ab, path, &err) == -1 &&
		    !(err.code == ERR_SYS && err.sys_errno == ENOENT))
			ui_status_set_message(ui, true, err.msg);
		free(path);
	}
	if (*partial != '\0' && cache_addr_candidates(ui->cache, partial,
	    UI_COMPLETE_ROWS, ui_complete_row, &ab, &err) == -1)
		ui_status_set_message(ui, true, err.msg);
	k->n = compose_addrbook_match(&ab, partial, &k->list);
	compose_addrbook_fini(&ab);
	if (k->n == 0) {
		ui_status_set_message(ui, false, _("No address matches."));
		return -1;
	}
	return 0;
}

/* Put head + candidate i in the prompt and remember what is shown. */
static void
ui_complete_show(struct ui *ui, struct ui_complete *k)
{
	char	*note;

	buf_reset(&ui->prompt.text);
	buf_adds(&ui->prompt.text, k->head);
	buf_adds(&ui->prompt.text, k->list[k->i]);
	free(k->shown);
	k->shown = xstrdup(buf_str(&ui->prompt.text));
	if (k->n > 1) {
		note = xasprintf(_("%zu of %zu addresses (Tab: the next)"),
		    k->i + 1, k->n);
		ui_status_set_message(ui, false, note);
		free(note);
	}
}

/* Tab at an address prompt. */
void
ui_compose_complete(struct ui *ui)
{
	struct ui_complete	*k = &ui->compose.complete;
	const char		*text = buf_str(&ui->prompt.text), *comma;
	size_t			 hlen;

	/* Tab again on what the last Tab put there: the next candidate. */
	if (k->list != NULL && k->shown != NULL && strcmp(k->shown, text) == 0) {
		k->i = (k->i + 1) % k->n;
		ui_complete_show(ui, k);
		return;
	}
	ui_complete_fini(k);
	comma = strrchr(text, ',');
	hlen = comma != NULL ? (size_t)(comma - text) + 1 : 0;
	k->head = hlen > 0 ? xasprintf("%.*s ", (int)hlen, text) :
	    xstrdup("");
	text += hlen;
	text += strspn(text, " \t");
	if (ui_complete_find(ui, k, text) == 0)
		ui_complete_show(ui, k);
	else
		ui_complete_fini(k);
}
