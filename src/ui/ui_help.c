/*
 * ui_help.c - the help screen: every key the UI knows, one per line.
 *
 * Shown over the whole screen by `?`; any key returns to where the reader
 * was (see ui_keys.c).  Keep this table in step with ui_keys.c.
 */
#include <stddef.h>

#include "ui/ui_i18n.h"
#include "ui/ui_internal.h"

struct ui_help_entry {
	const char	*keys;
	const char	*what;
};

static const struct ui_help_entry ui_help_entries[] = {
	{ NULL, N_("Folders and message list") },
	{ "j, Down", N_("next folder / message") },
	{ "k, Up", N_("previous folder / message") },
	{ "PgDn, space", N_("next page") },
	{ "PgUp, -", N_("previous page") },
	{ "Home, g", N_("first folder / message") },
	{ "End, G", N_("last folder / message") },
	{ "Enter", N_("open the folder / read the message") },
	{ "Tab", N_("switch between the folder pane and the list") },
	{ "$, R", N_("synchronise the current folder now") },
	{ "?", N_("this help") },
	{ "q", N_("quit petrel") },
	{ NULL, N_("Pager") },
	{ "j, Down, Enter", N_("scroll down one line") },
	{ "k, Up", N_("scroll up one line") },
	{ "space, PgDn", N_("next page") },
	{ "-, PgUp", N_("previous page") },
	{ "g, Home / G, End", N_("top / end of the message") },
	{ "q", N_("back to the message list") },
	{ NULL, N_("Press any key to close this help.") },
};

/* Draw the help screen over the main area. */
void
ui_help_draw(struct ui *ui)
{
	const struct ui_help_entry	*e;
	size_t				 i;
	int				 y = 0, kw = 20;

	if (ui->cols < 40)
		kw = ui->cols / 2;
	for (i = 0; i < sizeof ui_help_entries / sizeof *ui_help_entries;
	    i++) {
		if (y >= ui->main_height)
			break;
		e = &ui_help_entries[i];
		if (e->keys == NULL) {
			if (y > 0)
				y++;
			if (y >= ui->main_height)
				break;
			ui_draw_str(y++, 0, ui->cols, _(e->what), A_BOLD);
			continue;
		}
		ui_draw_str(y, 2, kw, e->keys, A_NORMAL);
		ui_draw_str(y++, 2 + kw, ui->cols - 2 - kw, _(e->what),
		    A_NORMAL);
	}
}
