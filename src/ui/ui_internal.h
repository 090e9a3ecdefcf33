/*
 * ui_internal.h - the UI's state (struct ui) and the panes' functions.
 *
 * Only src/ui/ includes this.  Everything the UI knows lives in one struct
 * ui owned by ui_run(); the panes keep their part in it and are drawn in
 * full on every redraw (curses sends only what changed).  All of it runs
 * on the UI thread.  Strings kept here for drawing are already sanitised.
 */
#ifndef PETREL_UI_INTERNAL_H
#define PETREL_UI_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <curses.h>

#include "cache/cache.h"
#include "core/config.h"
#include "core/worker.h"
#include "ui/ui_scroll.h"
#include "util/buf.h"

enum ui_mode {
	UI_MODE_INDEX,		/* folder pane + message list */
	UI_MODE_PAGER,		/* one message, full width */
	UI_MODE_HELP		/* the key list; any key closes it */
};

enum ui_focus {
	UI_FOCUS_FOLDERS,
	UI_FOCUS_LIST
};

/* One configured account and its worker. */
struct ui_account {
	const struct config_account	*cfg;
	struct worker			*worker;
	int64_t				 cache_id;	/* -1 until known */
	char				*status;	/* sanitised, or NULL */
};

/* A row of the folder pane: an account heading or one of its folders. */
struct ui_folder_row {
	size_t			 account;	/* index in ui->accounts */
	bool			 heading;
	struct cache_folder	 folder;	/* zeroed for a heading */
	char			*label;		/* sanitised display name */
};

struct ui_folders {
	struct ui_folder_row	*rows;
	size_t			 nrows;
	struct ui_scroll	 sc;
};

/* The open folder and the screenful of its messages on display. */
struct ui_index {
	size_t			 account;
	int64_t			 folder_id;	/* 0: no folder open */
	char			*folder_name;	/* sanitised */
	int64_t			 total;
	int64_t			 unread;
	struct ui_scroll	 sc;
	struct cache_msg	*rows;		/* rows_top .. rows_top+nrows */
	size_t			 nrows;
	int64_t			 rows_top;
	bool			 rows_valid;
};

/* A wrapped line of the pager text: a slice of ui_pager.text. */
struct ui_line {
	size_t	 off;
	size_t	 len;
};

struct ui_pager {
	int64_t		 msg_id;
	int64_t		 folder_id;
	int64_t		 position;	/* 0-based row in the list */
	bool		 loading;	/* body asked of the worker */
	struct buf	 text;		/* sanitised headers + body */
	size_t		 header_len;	/* the headers' part of text */
	struct ui_line	*lines;
	size_t		 nlines;
	size_t		 alines;
	int		 wrap_width;
	int64_t		 top;
};

struct ui {
	const struct config	*cfg;
	SCREEN			*screen;	/* from newterm */
	struct cache		*cache;
	struct ui_account	*accounts;
	size_t			 naccounts;
	size_t			 selected;	/* account opened first */
	int			 wake_fd[2];	/* workers -> UI */
	int			 sig_fd[2];	/* signal handlers -> UI */
	enum ui_mode		 mode;
	enum ui_mode		 help_return;
	enum ui_focus		 focus;
	struct ui_folders	 folders;
	struct ui_index		 index;
	struct ui_pager		 pager;
	char			*message;	/* message line, sanitised */
	bool			 message_error;
	bool			 folders_stale;
	bool			 index_stale;
	int64_t			 last_refresh_ms;
	bool			 quit;
	bool			 colors;
	/* Layout, from ui_layout(). */
	int			 rows;
	int			 cols;
	int			 main_height;	/* rows above the status line */
	int			 pane_width;	/* folder pane; 0 if hidden */
	int			 list_x;
};

/* Colour pairs (used only when the terminal has colours). */
#define UI_PAIR_HEADING	1
#define UI_PAIR_ERROR	2

/* ui.c */
void	 ui_layout(struct ui *);
void	 ui_redraw(struct ui *);
attr_t	 ui_color(const struct ui *, short pair);
void	 ui_submit(struct ui *, size_t account, enum worker_cmd_type,
	     int64_t folder_id, int64_t msg_id, unsigned add);

/* ui_keys.c */
void	 ui_keys_handle(struct ui *, int key);

/* ui_draw.c: draw sanitised UTF-8 into [x, x + width), padding with spaces */
int	 ui_draw_text(int y, int x, int width, const char *s, size_t len,
	     attr_t attr);
int	 ui_draw_str(int y, int x, int width, const char *s, attr_t attr);
int	 ui_draw_right(int y, int x, int width, const char *s, attr_t attr);
void	 ui_draw_fill(int y, int x, int width, attr_t attr);
void	 ui_draw_vline(int y, int x, int height);

/* ui_folders.c */
void	 ui_folders_reload(struct ui *);
void	 ui_folders_free(struct ui_folders *);
void	 ui_folders_draw(struct ui *);
void	 ui_folders_move(struct ui *, int64_t delta);
void	 ui_folders_first(struct ui *);
void	 ui_folders_last(struct ui *);
void	 ui_folders_select_open(struct ui *);
const struct ui_folder_row *ui_folders_current(const struct ui *);
bool	 ui_folders_open_default(struct ui *, size_t account);

/* ui_index.c */
void	 ui_index_open(struct ui *, size_t account,
	     const struct cache_folder *);
void	 ui_index_close(struct ui_index *);
void	 ui_index_refresh(struct ui *);
void	 ui_index_draw(struct ui *);
const struct cache_msg *ui_index_current(struct ui *);

/* ui_pager.c */
void	 ui_pager_open(struct ui *, const struct cache_msg *, int64_t pos);
void	 ui_pager_close(struct ui_pager *);
void	 ui_pager_body_ready(struct ui *, int64_t msg_id);
void	 ui_pager_draw(struct ui *);
void	 ui_pager_scroll(struct ui *, int64_t lines);
void	 ui_pager_page(struct ui *, int pages);
void	 ui_pager_edge(struct ui *, bool end);

/* ui_status.c */
void	 ui_status_draw(struct ui *);
void	 ui_status_set_message(struct ui *, bool error, const char *text);
void	 ui_status_clear_message(struct ui *);
void	 ui_status_set_account(struct ui *, size_t account,
	     const char *text);

/* ui_help.c */
void	 ui_help_draw(struct ui *);

#endif
