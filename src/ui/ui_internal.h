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

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <curses.h>

#include "cache/cache.h"
#include "compose/compose.h"
#include "core/config.h"
#include "mime/part.h"
#include "core/worker.h"
#include "ui/ui_idset.h"
#include "ui/ui_keymap.h"
#include "ui/ui_pattern.h"
#include "ui/ui_scroll.h"
#include "util/buf.h"

enum ui_mode {
	UI_MODE_INDEX,		/* folder pane + message list */
	UI_MODE_PAGER,		/* one message, full width */
	UI_MODE_HELP,		/* the key list, scrollable */
	UI_MODE_PICKER,		/* choosing a folder */
	UI_MODE_COMPOSE,	/* the composer pane */
	UI_MODE_OUTBOX		/* the outbox view */
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
	char				*conn;		/* offline text, or NULL */
	bool				 pw_wanted;	/* worker asked; not shown */
	bool				 pw_sent;	/* a typed password is out */
	char				*cert_fp;	/* WORKER_EV_CERT's, or NULL */
	char				*cert_reason;	/* sanitised */
	bool				 cert_wanted;	/* offer not shown yet */
	bool				 imports_waiting; /* XMOVE/XCOPY queued
							   here: replay when a
							   body arrives */
};

/* A row of the folder pane: an account heading or one of its folders. */
struct ui_folder_row {
	size_t			 account;	/* index in ui->accounts */
	bool			 heading;
	bool			 outbox;	/* the outbox's row (Enter: W);
						   no folder, account 0 */
	struct cache_folder	 folder;	/* zeroed for a heading */
	char			*label;		/* sanitised display name */
};

struct ui_folders {
	struct ui_folder_row	*rows;
	size_t			 nrows;
	struct ui_scroll	 sc;
};

/*
 * The list in thread mode, or with a ~b limit: the ids shown, in order.
 * Thread mode keeps the whole folder's thread order (all ids and depths,
 * from core/thread.c) and derives the rows shown from it.
 */
struct ui_idlist {
	int64_t		*ids;		/* rows shown */
	uint16_t	*depth;		/* threads only, else NULL */
	uint8_t		*more;		/* threads: a later sibling follows */
	uint32_t	*hidden;	/* threads: replies folded into the row */
	size_t		 n;
	int64_t		*t_ids;		/* threads: every message, in order */
	uint16_t	*t_depth;
	size_t		 t_n;
};

/* The open folder and the screenful of its messages on display. */
struct ui_index {
	size_t			 account;
	int64_t			 folder_id;	/* 0: no folder open */
	char			*folder_name;	/* sanitised */
	enum cache_role		 role;
	int64_t			 total;		/* whole folder */
	int64_t			 unread;
	struct ui_scroll	 sc;		/* count: rows shown */
	struct cache_msg	*rows;		/* rows_top .. rows_top+nrows */
	size_t			 nrows;
	int64_t			 rows_top;
	bool			 rows_valid;
	bool			 moved;		/* the reader moved the cursor */
	/* Order and limit. */
	enum cache_sort		 sort;
	bool			 reverse;
	bool			 threads;
	struct ui_pattern	 limit;		/* all: no limit */
	char			*limit_text;	/* sanitised, for the status */
	struct ui_idset		 found;		/* ~b: the server's matches */
	bool			 searching;	/* ~b: waiting for the server */
	/* Id mode (threads or ~b). */
	bool			 by_id;
	struct ui_idlist	 list;
	bool			 collapse_all;
	struct ui_idset		 flip;		/* roots not as collapse_all */
	/* Multi-select. */
	struct ui_idset		 tags;
};

/* What a wrapped pager line is, for its colour. */
enum ui_line_kind {
	UI_LINE_BODY,
	UI_LINE_HEADER,
	UI_LINE_WARN		/* a header with a spoofed address */
};

/*
 * A wrapped line of a pager document: a slice of its text.  A wrapped
 * continuation of a quoted line shows its logical line's quote marks
 * first (pre bytes at pre_off).  32-bit offsets: the text is capped far
 * below 4 GiB (UI_PAGER_MAX).
 */
struct ui_line {
	uint32_t off;
	uint32_t len;
	uint32_t pre_off;
	uint16_t pre;
	uint8_t	 quote;		/* quote level, 0: none */
	uint8_t	 kind;		/* enum ui_line_kind */
};

/* Text shown by the pager: a message, a part, a command's output. */
struct ui_pager_doc {
	struct buf	 text;		/* sanitised, tabs expanded */
	size_t		 header_len;	/* the headers' part of text */
	size_t		*warn;		/* offsets of UI_LINE_WARN lines */
	size_t		 nwarn;
	struct ui_line	*lines;
	size_t		 nlines;
	size_t		 alines;
	int		 wrap_width;	/* 0: wrap again */
	int64_t		 top;
	size_t		 match_off;	/* the search match shown */
	size_t		 match_len;	/* 0: none */
};

/* What the pager shows. */
enum ui_pager_view {
	UI_PAGER_MESSAGE,	/* the message's headers and text */
	UI_PAGER_URLS,		/* the URL list (u) */
	UI_PAGER_ATTACH,	/* the part tree (v) */
	UI_PAGER_PART		/* a part, or a command's output */
};

/* The URL list of the document shown. */
struct ui_pager_urls {
	char		**v;		/* sanitised URLs */
	size_t		  n;
	struct ui_scroll  sc;
	enum ui_pager_view back;	/* the view it came from */
};

/* The attachment list: rows are the part tree's parts. */
struct ui_attach {
	struct ui_scroll  sc;
	size_t		 *rows;		/* part indexes shown */
	size_t		 *sizes;	/* decoded size of each part */
	size_t		  n;
	size_t		  part;		/* the part a prompt is about */
	bool		  all;		/* S: save every attachment */
	char		 *path;		/* overwrite prompt: the file */
};

struct ui_pager {
	int64_t			 msg_id;
	int64_t			 folder_id;
	int64_t			 position;	/* 0-based row in the list */
	bool			 loading;	/* body asked of the worker */
	char			*raw;		/* the message, or NULL */
	size_t			 raw_len;
	struct mime_tree	 tree;		/* parts of raw */
	size_t			 shown_part;	/* MIME_PART_NONE: none */
	char			*body;		/* display text of that part */
	size_t			 body_len;	/* (sanitised, tabs expanded) */
	char			*body_note;	/* how it was made, or NULL */
	char			*spoof;		/* spoof warning, or NULL */
	struct ui_pager_doc	 doc;		/* the message */
	struct ui_pager_doc	 part;		/* UI_PAGER_PART's text */
	enum ui_pager_view	 view;
	struct ui_pager_urls	 urls;
	struct ui_attach	 attach;
	/* Kept from one message to the next. */
	bool			 full_headers;
	char			 search[256];	/* last search, or "" */
	char			 save_dir[4096]; /* last directory saved to */
};

enum ui_prompt_kind {
	UI_PROMPT_LIMIT,
	UI_PROMPT_TAG,
	UI_PROMPT_UNTAG,
	UI_PROMPT_SAVE,
	UI_PROMPT_FOLDER_CREATE,
	UI_PROMPT_FOLDER_RENAME,
	UI_PROMPT_PASSWORD,		/* hidden input, wiped */
	UI_CONFIRM_EXPUNGE,		/* one key: y/n */
	UI_CONFIRM_OVERWRITE,
	UI_CONFIRM_FOLDER_DELETE,
	UI_CONFIRM_PIN,			/* pin account's cert_fp */
	UI_MENU_SORT,			/* one key: d/f/s/z/t */
	/* The pager's (ui_pager_prompt_answered takes them). */
	UI_PROMPT_SEARCH,
	UI_PROMPT_ATTACH_DIR,		/* s / S: the directory */
	UI_PROMPT_PIPE,			/* |: the command */
	UI_CONFIRM_ATTACH_OVERWRITE,	/* one key: y/n */
	/* The composer's and the outbox's. */
	UI_PROMPT_COMPOSE_FIELD,	/* msg_id: which header */
	UI_PROMPT_COMPOSE_ATTACH,	/* a path; Tab completes */
	UI_CONFIRM_COMPOSE_CANCEL,	/* one key: y/n */
	UI_MENU_FORWARD,		/* one key: y attachment, n inline */
	UI_MENU_DSN,			/* one key: n f d a o */
	UI_CONFIRM_OUTBOX_DELETE	/* one key: y/n; msg_id: outbox id */
};

/* A question on the message line; keys go to it while active. */
struct ui_prompt {
	bool			 active;
	enum ui_prompt_kind	 kind;
	bool			 one_key;
	char			*label;		/* sanitised */
	char			*detail;	/* sanitised line shown above the
						   prompt (over the status bar),
						   or NULL */
	struct buf		 text;		/* what was typed (UTF-8) */
	/* What the answer applies to. */
	size_t			 account;
	int64_t			 folder_id;
	int64_t			 msg_id;
	char			*path;
	bool			 tagged;
};

/* One folder the picker offers. */
struct ui_picker_row {
	size_t		 account;
	int64_t		 folder_id;
	char		*label;		/* sanitised */
};

enum ui_picker_kind {
	UI_PICK_MOVE,
	UI_PICK_COPY,
	UI_PICK_CHANGE
};

/* The folder picker: a filtered list over the main area. */
struct ui_picker {
	enum ui_picker_kind	 kind;
	enum ui_mode		 back;		/* mode to return to */
	bool			 tagged;	/* ';' came before */
	struct ui_picker_row	*rows;
	size_t			 nrows;
	size_t			*shown;		/* indexes into rows */
	struct ui_scroll	 sc;
	struct buf		 filter;
	bool			 filtering;
};

/* Tab's candidates at an address prompt (ui_compose_complete.c). */
struct ui_complete {
	char			**list;		/* NULL-terminated */
	size_t			 n;
	size_t			 i;		/* the one shown */
	char			*head;		/* the addresses before it */
	char			*shown;		/* the prompt text Tab left */
};

/* The message being written (ui_compose.c, ui_compose_pane.c). */
struct ui_compose {
	bool			 active;	/* a draft is open */
	struct compose_draft	 d;
	size_t			 account;	/* sends through this one */
	enum ui_mode		 back;		/* mode to return to */
	size_t			 cursor;	/* attachment row */
	int64_t			 wait_msg;	/* original awaited, or 0 */
	enum compose_kind	 wait_kind;
	size_t			 wait_account;
	/* A resumed draft, dropped from Drafts once sent or postponed
	   again (folder 0: none). */
	int64_t			 resumed_folder;
	char			*resumed_remote;
	size_t			 resumed_account;
	/* A draft resumed from the outbox (W, e): its row, dropped the
	   same way (0: none). */
	int64_t			 resumed_outbox;
	struct ui_complete	 complete;
	struct ui_compose_job	*job;		/* y or P under way, or NULL */
};

/* The outbox view and timer (ui_outbox.c). */
struct ui_outbox {
	struct cache_outbox	*rows;
	size_t			 n;
	size_t			 failed;	/* rows with an error */
	struct ui_scroll	 sc;
	enum ui_mode		 back;
	int64_t			 due_ms;	/* ui_now_ms() of the next
						   WORKER_SEND; 0: none */
};

/* A save to a file waiting for the message's body. */
struct ui_save {
	int64_t		 msg_id;	/* 0: none */
	char		*path;
	bool		 overwrite;
};

struct ui {
	const struct config	*cfg;
	SCREEN			*screen;	/* from newterm */
	struct cache		*cache;
	const char		*cache_path;	/* for threads' connections */
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
	struct ui_prompt	 prompt;
	struct ui_picker	 picker;
	struct ui_save		 save;
	struct ui_compose	 compose;
	struct ui_outbox	 outbox;
	bool			 tag_prefix;	/* ';' pressed */
	bool			 ascii_tree;	/* no UTF-8 line drawing */
	int64_t			 help_top;
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

/*
 * Colour pairs (used only when the terminal has colours).  The quote
 * pairs are set up by the pager (ui_pager_colors) on the background the
 * heading pair has.
 */
#define UI_PAIR_HEADING	1
#define UI_PAIR_ERROR	2
#define UI_PAIR_QUOTE1	3	/* quote levels 1, 2, 3, then again */
#define UI_PAIR_QUOTE2	4
#define UI_PAIR_QUOTE3	5

/* ui.c */
int64_t	 ui_now_ms(void);
void	 ui_layout(struct ui *);
void	 ui_redraw(struct ui *);
attr_t	 ui_color(const struct ui *, short pair);
void	 ui_submit(struct ui *, size_t account, enum worker_cmd_type,
	     int64_t folder_id, int64_t msg_id, unsigned add);
void	 ui_submit_text(struct ui *, size_t account, enum worker_cmd_type,
	     int64_t folder_id, const char *text);

/* ui_keys.c */
void	 ui_keys_handle(struct ui *, int key);
/* A movement key on a scrolled list; false if a is not one. */
bool	 ui_keys_scroll(struct ui_scroll *, enum ui_action a);
void	 ui_keys_help(struct ui *);

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
void	 ui_index_relist(struct ui *);
void	 ui_index_draw(struct ui *);
const struct cache_msg *ui_index_current(struct ui *);
void	 ui_index_query(const struct ui_index *, struct cache_query *,
	     bool limited);
void	 ui_index_invalidate(struct ui_index *);

/* ui_view.c: sort, limit and thread mode; the rows in id mode */
void	 ui_view_rebuild(struct ui *);
int	 ui_view_scan(struct ui *, const struct cache_query *,
	     int (*fn)(void *, const struct cache_msg *), void *arg);
void	 ui_view_limit(struct ui *, const char *pattern);
void	 ui_view_search_done(struct ui *, int64_t folder_id,
	     const int64_t *ids, size_t n);
void	 ui_view_sort_key(struct ui *, int key);
void	 ui_view_reverse(struct ui *);
bool	 ui_view_collapse(struct ui *, bool all);
void	 ui_view_fini(struct ui_index *);
void	 ui_view_tree_prefix(struct ui *, size_t row, char *out,
	     size_t size);
const char *ui_view_sort_name(const struct ui_index *);

/* ui_thread.c: the thread order of a folder, from core/thread.c */
int	 ui_thread_order(struct cache *, int64_t folder_id, bool newest_first,
	     int64_t **ids, uint16_t **depth, size_t *n, struct error *);

/* ui_ops.c: operations on messages */
void	 ui_ops_do(struct ui *, enum ui_action);
void	 ui_ops_transfer(struct ui *, size_t account, int64_t target,
	     bool copy, bool tagged);
void	 ui_ops_expunge(struct ui *);
void	 ui_ops_mark_seen(struct ui *, const struct cache_msg *);
bool	 ui_ops_read_only(struct ui *, size_t account, const char *what);
int64_t	 ui_ops_account_id(struct ui *, size_t account);

/* ui_tag.c: multi-select */
void	 ui_tag_toggle(struct ui *);
void	 ui_tag_ask(struct ui *, bool tag);
void	 ui_tag_pattern(struct ui *, const char *pattern, bool tag);
void	 ui_tag_prefix(struct ui *);

/* ui_folder_ops.c: create, rename, delete folders (on the worker) */
void	 ui_folder_ops_ask(struct ui *, enum ui_action);
void	 ui_folder_ops_create(struct ui *, size_t account, const char *name);
void	 ui_folder_ops_rename(struct ui *, int64_t folder_id,
	     const char *name);
void	 ui_folder_ops_delete(struct ui *, int64_t folder_id);

/* ui_prompt.c */
void	 ui_prompt_start(struct ui *, enum ui_prompt_kind, const char *label,
	     const char *initial);
void	 ui_prompt_key(struct ui *, int key);
void	 ui_prompt_draw(struct ui *);
void	 ui_prompt_fini(struct ui_prompt *);
void	 ui_prompt_worker_next(struct ui *);

/* ui_picker.c */
void	 ui_picker_open(struct ui *, enum ui_picker_kind, bool tagged);
void	 ui_picker_key(struct ui *, int key);
void	 ui_picker_draw(struct ui *);
void	 ui_picker_fini(struct ui_picker *);

/* ui_save.c: save a raw message to a file */
void	 ui_save_ask(struct ui *, bool tagged);
void	 ui_save_start(struct ui *, int64_t msg_id, const char *path,
	     bool overwrite);
void	 ui_save_body_ready(struct ui *, int64_t msg_id);
void	 ui_save_fini(struct ui_save *);

/* ui_pager.c: the message in the pager, and the pager's keys */
void	 ui_pager_open(struct ui *, const struct cache_msg *, int64_t pos);
void	 ui_pager_close(struct ui_pager *);
void	 ui_pager_body_ready(struct ui *, int64_t msg_id);
void	 ui_pager_draw(struct ui *);
void	 ui_pager_scroll(struct ui *, int64_t lines);
void	 ui_pager_page(struct ui *, int pages);
void	 ui_pager_edge(struct ui *, bool end);
void	 ui_pager_step(struct ui *, int delta);
/* A key in the pager, before ui_keys.c's: true if it was taken. */
bool	 ui_pager_key(struct ui *, int key);
/* The answer to one of the pager's prompts (UI_PROMPT_SEARCH...). */
void	 ui_pager_prompt_answered(struct ui *, enum ui_prompt_kind,
	     const char *text);
/* y to UI_CONFIRM_ATTACH_OVERWRITE. */
void	 ui_pager_prompt_confirmed(struct ui *, enum ui_prompt_kind);
/* Sanitised, tab-expanded copy of untrusted text (new string). */
char	*ui_pager_clean(const char *s, size_t len, size_t *outlen);
/* Show text in the part view, under a title line (both untrusted). */
void	 ui_pager_show_part(struct ui *, const char *title, const char *text,
	     size_t len);

/* ui_pager_doc.c: wrapping, drawing, scrolling and searching a doc */
void	 ui_pager_doc_init(struct ui_pager_doc *);
void	 ui_pager_doc_fini(struct ui_pager_doc *);
void	 ui_pager_doc_reset(struct ui_pager_doc *);
void	 ui_pager_doc_draw(struct ui *, struct ui_pager_doc *, int y0,
	     int height);
void	 ui_pager_doc_scroll(struct ui *, struct ui_pager_doc *,
	     int64_t lines, int height);
void	 ui_pager_doc_search(struct ui *, struct ui_pager_doc *,
	     const char *needle, bool next, int height);
void	 ui_pager_colors(struct ui *);

/* ui_pager_url.c: the URL list */
void	 ui_pager_urls_open(struct ui *, const struct ui_pager_doc *);
void	 ui_pager_urls_fini(struct ui_pager_urls *);
void	 ui_pager_urls_key(struct ui *, enum ui_action);
void	 ui_pager_urls_draw(struct ui *);

/* ui_attach.c: the attachment list */
void	 ui_attach_open(struct ui *);
void	 ui_attach_fini(struct ui_attach *);
void	 ui_attach_key(struct ui *, enum ui_action);
void	 ui_attach_draw(struct ui *);
void	 ui_attach_prompt_answered(struct ui *, enum ui_prompt_kind,
	     const char *text);
/* "1.2 image/png, 12 kB, name.png" (untrusted: sanitise to draw). */
char	*ui_attach_describe(const struct mime_tree *, size_t i);

/* ui_attach_save.c: saving parts to a directory */
void	 ui_attach_save_ask(struct ui *, size_t part, bool all);
void	 ui_attach_save_dir(struct ui *, const char *dir);
void	 ui_attach_overwrite(struct ui *);

/* ui_attach_view.c: viewing a part, mailcap viewers, piping */
void	 ui_attach_view(struct ui *, size_t part, bool mailcap);
void	 ui_attach_pipe(struct ui *, const char *command);

/* ui_status.c */
void	 ui_status_draw(struct ui *);
void	 ui_status_set_message(struct ui *, bool error, const char *text);
void	 ui_status_clear_message(struct ui *);
void	 ui_status_set_account(struct ui *, size_t account,
	     const char *text);
void	 ui_status_set_connection(struct ui *, size_t account,
	     const char *text);

/* ui.c: block the UI's signals around starting a thread (restore old). */
void	 ui_signals_block(sigset_t *old);
void	 ui_signals_unblock(const sigset_t *old);

/* ui_compose.c: starting, editing and sending a message */
void	 ui_compose_start(struct ui *, enum ui_action);
void	 ui_compose_forward_key(struct ui *, int key, size_t account,
	     int64_t msg_id);
void	 ui_compose_body_ready(struct ui *, int64_t msg_id);
int	 ui_compose_edit(struct ui *);
void	 ui_compose_send(struct ui *);
void	 ui_compose_postpone(struct ui *);
void	 ui_compose_keep(struct ui *);
void	 ui_compose_close(struct ui *);
void	 ui_compose_queued(struct ui *, bool draft, int64_t id);
void	 ui_compose_resume_outbox(struct ui *, size_t account, int64_t id);
struct outbox_build;
void	 ui_compose_build(struct ui *, bool draft, struct mime_build_msg *,
	     struct mime_build_part *parts, struct outbox_build *);

/*
 * ui_compose_job.c: y and P build and queue the message on a thread of
 * their own (outbox_queue_built); the draft is read in place, so it must
 * not change while ui_compose_job_busy.  _reap, after a wake, takes the
 * outcome of a finished job (ui_compose_queued, or the error shown and
 * the draft left open); _wait blocks until it is finished (quitting).
 */
int	 ui_compose_job_start(struct ui *, bool draft, struct error *);
bool	 ui_compose_job_busy(const struct ui *);
void	 ui_compose_job_reap(struct ui *);
void	 ui_compose_job_wait(struct ui *);

/* ui_compose_pane.c: the composer pane */
void	 ui_compose_draw(struct ui *);
void	 ui_compose_key(struct ui *, int key);
void	 ui_compose_dsn_key(struct ui *, int key);
void	 ui_compose_prompt_answered(struct ui *, enum ui_prompt_kind,
	     int64_t field, const char *text);
/* Whether a UI_PROMPT_COMPOSE_FIELD field holds addresses (Tab). */
bool	 ui_compose_field_addresses(int64_t field);

/* ui_compose_complete.c: Tab at To, Cc and Bcc */
void	 ui_compose_complete(struct ui *);
void	 ui_complete_fini(struct ui_complete *);

/* ui_outbox.c: the outbox view and timer */
void	 ui_outbox_reload(struct ui *);
void	 ui_outbox_open(struct ui *);
void	 ui_outbox_key(struct ui *, int key);
void	 ui_outbox_draw(struct ui *);
void	 ui_outbox_tick(struct ui *);
int	 ui_outbox_timeout(const struct ui *);
void	 ui_outbox_delete(struct ui *, int64_t id);
void	 ui_outbox_fini(struct ui_outbox *);

/* ui_help.c */
void	 ui_help_draw(struct ui *);
void	 ui_help_scroll(struct ui *, int64_t lines);

#endif
