/*
 * ui_keymap.h - which key does what, in each part of the screen.
 *
 * Pure code: one table binds keys to actions per map (the message list,
 * the folder pane, the pager); ui_keys.c performs the actions and the help
 * screen is generated from the same table, so the two cannot drift apart.
 * Keys are curses key codes; Esc followed by a key is UI_KEY_META(key)
 * (ui.c joins the two), Ctrl-x is UI_KEY_CTRL('x').
 */
#ifndef PETREL_UI_KEYMAP_H
#define PETREL_UI_KEYMAP_H

#include <stdbool.h>
#include <stddef.h>

#define UI_KEY_META_BIT		0x4000
#define UI_KEY_META(c)		(UI_KEY_META_BIT | (c))
#define UI_KEY_CTRL(c)		((c) & 0x1f)
#define UI_KEY_ESC		27

/* Maps, as bits: a binding may belong to several. */
#define UI_MAP_LIST	0x1u
#define UI_MAP_FOLDERS	0x2u
#define UI_MAP_PAGER	0x4u
#define UI_MAP_ATTACH	0x8u	/* the pager's list of parts (v) */
#define UI_MAP_URLS	0x10u	/* the pager's list of URLs (u) */
#define UI_MAP_COMPOSE	0x20u	/* the composer pane */
#define UI_MAP_OUTBOX	0x40u	/* the outbox view */

enum ui_action {
	UI_ACT_NONE = 0,
	UI_ACT_DOWN,
	UI_ACT_UP,
	UI_ACT_LINE_DOWN,
	UI_ACT_LINE_UP,
	UI_ACT_PAGE_DOWN,
	UI_ACT_PAGE_UP,
	UI_ACT_FIRST,
	UI_ACT_LAST,
	UI_ACT_OPEN,
	UI_ACT_OPEN_FOLDER,
	UI_ACT_NEXT_MSG,
	UI_ACT_PREV_MSG,
	UI_ACT_BACK,
	UI_ACT_FOCUS,
	UI_ACT_CHANGE_FOLDER,
	UI_ACT_REFRESH,
	UI_ACT_TOGGLE_NEW,
	UI_ACT_FLAG,
	UI_ACT_DELETE,
	UI_ACT_UNDELETE,
	UI_ACT_EXPUNGE,
	UI_ACT_MOVE,
	UI_ACT_COPY,
	UI_ACT_SAVE_FILE,
	UI_ACT_TAG,
	UI_ACT_TAG_PATTERN,
	UI_ACT_UNTAG_PATTERN,
	UI_ACT_TAG_PREFIX,
	UI_ACT_LIMIT,
	UI_ACT_SORT,
	UI_ACT_REVERSE,
	UI_ACT_COLLAPSE,
	UI_ACT_COLLAPSE_ALL,
	UI_ACT_FOLDER_CREATE,
	UI_ACT_FOLDER_RENAME,
	UI_ACT_FOLDER_DELETE,
	UI_ACT_HEADERS,
	UI_ACT_SEARCH,
	UI_ACT_SEARCH_NEXT,
	UI_ACT_URLS,
	UI_ACT_ATTACH,
	UI_ACT_VIEW_PART,
	UI_ACT_MAILCAP,
	UI_ACT_SAVE_PART,
	UI_ACT_SAVE_ALL,
	UI_ACT_PIPE,
	UI_ACT_OPEN_URL,
	UI_ACT_COMPOSE,
	UI_ACT_REPLY,
	UI_ACT_REPLY_ALL,
	UI_ACT_FORWARD,
	UI_ACT_RESUME,
	UI_ACT_OUTBOX,
	UI_ACT_SEND,
	UI_ACT_EDIT,
	UI_ACT_EDIT_FROM,
	UI_ACT_EDIT_TO,
	UI_ACT_EDIT_CC,
	UI_ACT_EDIT_BCC,
	UI_ACT_EDIT_SUBJECT,
	UI_ACT_EDIT_REPLY_TO,
	UI_ACT_ATTACH_FILE,
	UI_ACT_DETACH,
	UI_ACT_DSN,
	UI_ACT_CANCEL,
	UI_ACT_POSTPONE,
	UI_ACT_OUTBOX_DELETE,
	UI_ACT_HELP,
	UI_ACT_QUIT
};

/* One line of the help screen (a heading has keys[0] == '\0'). */
struct ui_help_line {
	char		 keys[48];
	const char	*what;		/* English; translate with gettext */
	bool		 heading;
};

/* The action of key in map (one UI_MAP_* bit), or UI_ACT_NONE. */
enum ui_action	 ui_keymap_lookup(unsigned map, int key);
/* A key's name as the help shows it: "j", "Down", "C-l", "Esc-v". */
void		 ui_keymap_key_name(int key, char *out, size_t size);
/* The keys bound to action in map, ", "-separated ("" if none). */
void		 ui_keymap_keys(unsigned map, enum ui_action, char *out,
		     size_t size);
/*
 * The help screen's lines: the list's keys, then the folder pane's and the
 * pager's where they differ, the attachment list's and the URL list's,
 * then prompts and the picker.  Fills at most
 * max lines; returns how many there are in all.
 */
size_t		 ui_keymap_help(struct ui_help_line *lines, size_t max);

#endif
