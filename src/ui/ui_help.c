/*
 * ui_help.c - the help screen: every key the UI knows, one per line.
 *
 * Shown over the main area by `?`.  The lines come from the key map
 * (ui_keymap_help), so the help lists exactly the keys ui_keys.c acts on.
 * j/k, space/- and the arrows scroll it; any other key returns to where
 * the reader was.
 */
#include <stddef.h>

#include "ui/ui_i18n.h"
#include "ui/ui_internal.h"

#define UI_HELP_MAX	128

/* Scroll the help by lines (clamped). */
void
ui_help_scroll(struct ui *ui, int64_t lines)
{
	struct ui_help_line	help[UI_HELP_MAX];
	size_t			n = ui_keymap_help(help, UI_HELP_MAX);

	if (n > UI_HELP_MAX)
		n = UI_HELP_MAX;
	ui->help_top = ui_scroll_clamp_top(ui->help_top + lines, (int64_t)n,
	    ui->main_height);
}

/* Draw lines [first, first + main_height) in a column at x, w wide. */
static void
ui_help_column(struct ui *ui, const struct ui_help_line *help, size_t n,
    size_t first, int x, int w)
{
	const struct ui_help_line	*e;
	size_t				 i;
	int				 y, kw = w < 40 ? w / 2 : 18;

	for (y = 0, i = first; i < n && y < ui->main_height; i++, y++) {
		e = &help[i];
		if (e->heading) {
			ui_draw_str(y, x, w, _(e->what),
			    A_BOLD | ui_color(ui, UI_PAIR_HEADING));
			continue;
		}
		ui_draw_str(y, x + 2, kw, e->keys, A_NORMAL);
		ui_draw_str(y, x + 2 + kw, w - 2 - kw, _(e->what), A_NORMAL);
	}
}

/* Draw the help over the main area: two columns on a wide terminal. */
void
ui_help_draw(struct ui *ui)
{
	struct ui_help_line	help[UI_HELP_MAX];
	size_t			n;
	int			w = ui->cols;

	n = ui_keymap_help(help, UI_HELP_MAX);
	if (n > UI_HELP_MAX)
		n = UI_HELP_MAX;
	ui->help_top = ui_scroll_clamp_top(ui->help_top, (int64_t)n,
	    ui->main_height);
	if (ui->cols >= 150 && n > (size_t)ui->main_height) {
		w = ui->cols / 2;
		ui->help_top = ui_scroll_clamp_top(ui->help_top, (int64_t)n,
		    ui->main_height * 2);
		ui_help_column(ui, help, n, (size_t)ui->help_top +
		    (size_t)ui->main_height, w, ui->cols - w);
	}
	ui_help_column(ui, help, n, (size_t)ui->help_top, 0, w);
}
