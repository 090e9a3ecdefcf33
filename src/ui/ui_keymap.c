/*
 * ui_keymap.c - the key bindings table, key names and the help lines.
 *
 * Mutt's keys where a mutt user expects them (N toggle new, F flag, d/u
 * delete/undelete, $ expunge, s save = move, C copy, c change folder, t/T
 * tag, ; tag prefix, l limit, o/O sort, Esc-v collapse); in the pager h
 * headers, / and n search, v attachments, and u the URL list (so the
 * pager's undelete is U).  Pure: curses.h
 * is included for the KEY_* codes only.
 */
#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "ui/ui_i18n.h"
#include "ui/ui_keymap.h"

#define L	UI_MAP_LIST
#define F	UI_MAP_FOLDERS
#define P	UI_MAP_PAGER
#define A	UI_MAP_ATTACH
#define U	UI_MAP_URLS
#define W	UI_MAP_COMPOSE
#define X	UI_MAP_OUTBOX

struct ui_binding {
	unsigned	 maps;
	int		 key;
	enum ui_action	 action;
};

/* Order matters only for the help: keys are listed in table order. */
static const struct ui_binding ui_bindings[] = {
	{ L | F | A | U | W | X, 'j', UI_ACT_DOWN },
	{ L | F | A | U | W | X, KEY_DOWN, UI_ACT_DOWN },
	{ L | F | A | U | W | X, 'k', UI_ACT_UP },
	{ L | F | A | U | W | X, KEY_UP, UI_ACT_UP },
	{ P, 'j', UI_ACT_LINE_DOWN },
	{ P, KEY_DOWN, UI_ACT_LINE_DOWN },
	{ P, '\r', UI_ACT_LINE_DOWN },
	{ P, '\n', UI_ACT_LINE_DOWN },
	{ P, KEY_ENTER, UI_ACT_LINE_DOWN },
	{ P, 'k', UI_ACT_LINE_UP },
	{ P, KEY_UP, UI_ACT_LINE_UP },
	{ L | F | P | A | U, ' ', UI_ACT_PAGE_DOWN },
	{ L | F | P | A | U, KEY_NPAGE, UI_ACT_PAGE_DOWN },
	{ L | F | P | A | U, '-', UI_ACT_PAGE_UP },
	{ L | F | P | A | U, KEY_PPAGE, UI_ACT_PAGE_UP },
	{ F | A | U | X, 'g', UI_ACT_FIRST },
	{ L | F | P | A | U | X, '=', UI_ACT_FIRST },
	{ L | F | P | A | U | X, KEY_HOME, UI_ACT_FIRST },
	{ L | F | P | A | U, 'G', UI_ACT_LAST },
	{ L | F | P | A | U, KEY_END, UI_ACT_LAST },
	{ L, '\r', UI_ACT_OPEN },
	{ L, '\n', UI_ACT_OPEN },
	{ L, KEY_ENTER, UI_ACT_OPEN },
	{ F, '\r', UI_ACT_OPEN_FOLDER },
	{ F, '\n', UI_ACT_OPEN_FOLDER },
	{ F, KEY_ENTER, UI_ACT_OPEN_FOLDER },
	{ P, 'J', UI_ACT_NEXT_MSG },
	{ P, 'K', UI_ACT_PREV_MSG },
	{ P | A | U, 'q', UI_ACT_BACK },
	{ P | A | U, 'i', UI_ACT_BACK },
	{ A | U, UI_KEY_ESC, UI_ACT_BACK },
	{ L | F, '\t', UI_ACT_FOCUS },
	{ L | F, 'c', UI_ACT_CHANGE_FOLDER },
	{ L | F, 'R', UI_ACT_REFRESH },
	{ L | F, UI_KEY_CTRL('l'), UI_ACT_REFRESH },
	{ L | P, 'N', UI_ACT_TOGGLE_NEW },
	{ L | P, 'F', UI_ACT_FLAG },
	{ L | P, 'd', UI_ACT_DELETE },
	{ L, 'u', UI_ACT_UNDELETE },
	{ P, 'U', UI_ACT_UNDELETE },
	{ L | F, '$', UI_ACT_EXPUNGE },
	{ L | P, 's', UI_ACT_MOVE },
	{ L | P, 'C', UI_ACT_COPY },
	{ L | P, '>', UI_ACT_SAVE_FILE },
	{ L, 't', UI_ACT_TAG },
	{ L, 'T', UI_ACT_TAG_PATTERN },
	{ L, UI_KEY_CTRL('t'), UI_ACT_UNTAG_PATTERN },
	{ L | P, ';', UI_ACT_TAG_PREFIX },
	{ L, 'l', UI_ACT_LIMIT },
	{ L, 'o', UI_ACT_SORT },
	{ L, 'O', UI_ACT_REVERSE },
	{ L, 'z', UI_ACT_COLLAPSE },
	{ L, UI_KEY_META('v'), UI_ACT_COLLAPSE },
	{ L, 'Z', UI_ACT_COLLAPSE_ALL },
	{ L, UI_KEY_META('V'), UI_ACT_COLLAPSE_ALL },
	{ L | F, '+', UI_ACT_FOLDER_CREATE },
	{ F, 'r', UI_ACT_FOLDER_RENAME },
	{ L | F, UI_KEY_META('r'), UI_ACT_FOLDER_RENAME },
	{ F, 'D', UI_ACT_FOLDER_DELETE },
	{ L | F, UI_KEY_META('d'), UI_ACT_FOLDER_DELETE },
	{ P, 'h', UI_ACT_HEADERS },
	{ P, '/', UI_ACT_SEARCH },
	{ P, 'n', UI_ACT_SEARCH_NEXT },
	{ P, 'u', UI_ACT_URLS },
	{ P, 'v', UI_ACT_ATTACH },
	{ A, 'v', UI_ACT_BACK },
	{ A, '\r', UI_ACT_VIEW_PART },
	{ A, '\n', UI_ACT_VIEW_PART },
	{ A, KEY_ENTER, UI_ACT_VIEW_PART },
	{ A, 'm', UI_ACT_MAILCAP },
	{ A, 's', UI_ACT_SAVE_PART },
	{ A, 'S', UI_ACT_SAVE_ALL },
	{ A, '|', UI_ACT_PIPE },
	{ U, '\r', UI_ACT_OPEN_URL },
	{ U, '\n', UI_ACT_OPEN_URL },
	{ U, KEY_ENTER, UI_ACT_OPEN_URL },
	{ L | F | P, 'm', UI_ACT_COMPOSE },
	{ L | P, 'r', UI_ACT_REPLY },
	{ L | P, 'g', UI_ACT_REPLY_ALL },
	{ L | P, 'f', UI_ACT_FORWARD },
	{ L | P, 'e', UI_ACT_RESUME },
	{ L | F, 'W', UI_ACT_OUTBOX },
	{ W, 'y', UI_ACT_SEND },
	{ W, 'e', UI_ACT_EDIT },
	{ W, 'f', UI_ACT_EDIT_FROM },
	{ W, 't', UI_ACT_EDIT_TO },
	{ W, 'c', UI_ACT_EDIT_CC },
	{ W, 'b', UI_ACT_EDIT_BCC },
	{ W, 's', UI_ACT_EDIT_SUBJECT },
	{ W, 'r', UI_ACT_EDIT_REPLY_TO },
	{ W, 'a', UI_ACT_ATTACH_FILE },
	{ W, 'D', UI_ACT_DETACH },
	{ W, 'd', UI_ACT_DSN },
	{ W, 'q', UI_ACT_CANCEL },
	{ W, 'P', UI_ACT_POSTPONE },
	{ X, '\r', UI_ACT_SEND },
	{ X, '\n', UI_ACT_SEND },
	{ X, KEY_ENTER, UI_ACT_SEND },
	{ X, 'y', UI_ACT_SEND },
	{ X, 'd', UI_ACT_OUTBOX_DELETE },
	{ X, 'e', UI_ACT_RESUME },
	{ X, 'q', UI_ACT_BACK },
	{ X, 'i', UI_ACT_BACK },
	{ L | F | P | A | U | W | X, '?', UI_ACT_HELP },
	{ L | F, 'q', UI_ACT_QUIT },
};
#define UI_NBINDINGS	(sizeof ui_bindings / sizeof ui_bindings[0])

/* What each action does, in the order the help lists them. */
static const struct {
	enum ui_action	 action;
	const char	*what;
} ui_actions[] = {
	{ UI_ACT_DOWN, N_("next message / folder") },
	{ UI_ACT_UP, N_("previous message / folder") },
	{ UI_ACT_LINE_DOWN, N_("scroll down one line") },
	{ UI_ACT_LINE_UP, N_("scroll up one line") },
	{ UI_ACT_PAGE_DOWN, N_("next page") },
	{ UI_ACT_PAGE_UP, N_("previous page") },
	{ UI_ACT_FIRST, N_("first message / folder / line") },
	{ UI_ACT_LAST, N_("last message / folder / line") },
	{ UI_ACT_OPEN, N_("read the message (expands a collapsed thread)") },
	{ UI_ACT_OPEN_FOLDER, N_("open the folder") },
	{ UI_ACT_NEXT_MSG, N_("next message") },
	{ UI_ACT_PREV_MSG, N_("previous message") },
	{ UI_ACT_BACK, N_("back: to the list, or from a list to the message") },
	{ UI_ACT_FOCUS, N_("switch between the folder pane and the list") },
	{ UI_ACT_CHANGE_FOLDER, N_("change folder (picker)") },
	{ UI_ACT_REFRESH, N_("synchronise the folder now") },
	{ UI_ACT_TOGGLE_NEW, N_("mark read / unread") },
	{ UI_ACT_FLAG, N_("flag / unflag") },
	{ UI_ACT_DELETE, N_("delete (to Trash, or mark deleted)") },
	{ UI_ACT_UNDELETE, N_("undelete") },
	{ UI_ACT_EXPUNGE, N_("expunge deleted messages, then synchronise") },
	{ UI_ACT_MOVE, N_("move to a folder (picker)") },
	{ UI_ACT_COPY, N_("copy to a folder (picker)") },
	{ UI_ACT_SAVE_FILE, N_("save the raw message to a file") },
	{ UI_ACT_TAG, N_("tag / untag the message") },
	{ UI_ACT_TAG_PATTERN, N_("tag messages matching a pattern") },
	{ UI_ACT_UNTAG_PATTERN, N_("untag messages matching a pattern") },
	{ UI_ACT_TAG_PREFIX, N_("apply the next operation to tagged messages") },
	{ UI_ACT_LIMIT, N_("limit: ~s SUBJ, ~f FROM, ~t TO, ~b BODY, TEXT, all") },
	{ UI_ACT_SORT, N_("sort: date, from, subject, size, threads") },
	{ UI_ACT_REVERSE, N_("reverse the order") },
	{ UI_ACT_COLLAPSE, N_("collapse / expand this thread") },
	{ UI_ACT_COLLAPSE_ALL, N_("collapse / expand all threads") },
	{ UI_ACT_FOLDER_CREATE, N_("create a folder") },
	{ UI_ACT_FOLDER_RENAME, N_("rename the folder") },
	{ UI_ACT_FOLDER_DELETE, N_("delete the folder (asks first)") },
	{ UI_ACT_HEADERS, N_("show all headers / the chosen ones") },
	{ UI_ACT_SEARCH, N_("search the message (lower case: any case)") },
	{ UI_ACT_SEARCH_NEXT, N_("next match (wraps around)") },
	{ UI_ACT_URLS, N_("list the URLs of the message") },
	{ UI_ACT_ATTACH, N_("list the parts and attachments") },
	{ UI_ACT_VIEW_PART, N_("view the part (text here, else mailcap)") },
	{ UI_ACT_MAILCAP, N_("open the part with its mailcap viewer") },
	{ UI_ACT_SAVE_PART, N_("save the part to a directory") },
	{ UI_ACT_SAVE_ALL, N_("save every attachment to a directory") },
	{ UI_ACT_PIPE, N_("pipe the part to a command, show its output") },
	{ UI_ACT_OPEN_URL, N_("open the URL (url_command), else show it") },
	{ UI_ACT_COMPOSE, N_("write a new message") },
	{ UI_ACT_REPLY, N_("reply to the sender (Reply-To honoured)") },
	{ UI_ACT_REPLY_ALL, N_("reply to all (Mail-Followup-To honoured)") },
	{ UI_ACT_FORWARD, N_("forward (inline, or as an attachment)") },
	{ UI_ACT_RESUME, N_("resume a draft (else: edit as a new message)") },
	{ UI_ACT_OUTBOX, N_("the outbox: messages not sent yet") },
	{ UI_ACT_SEND, N_("send the message") },
	{ UI_ACT_EDIT, N_("edit the message in the editor") },
	{ UI_ACT_EDIT_FROM, N_("edit From") },
	{ UI_ACT_EDIT_TO, N_("edit To (Tab completes addresses)") },
	{ UI_ACT_EDIT_CC, N_("edit Cc") },
	{ UI_ACT_EDIT_BCC, N_("edit Bcc") },
	{ UI_ACT_EDIT_SUBJECT, N_("edit the subject") },
	{ UI_ACT_EDIT_REPLY_TO, N_("edit Reply-To") },
	{ UI_ACT_ATTACH_FILE, N_("attach a file (Tab completes the path)") },
	{ UI_ACT_DETACH, N_("remove the attachment under the cursor") },
	{ UI_ACT_DSN, N_("delivery notifications: when (NOTIFY), what they "
	    "return (RET)") },
	{ UI_ACT_CANCEL, N_("cancel the message (asks first)") },
	{ UI_ACT_POSTPONE, N_("postpone: keep it in the Drafts folder") },
	{ UI_ACT_OUTBOX_DELETE, N_("delete the message from the outbox (asks)") },
	{ UI_ACT_HELP, N_("this help") },
	{ UI_ACT_QUIT, N_("quit petrel") },
};
#define UI_NACTIONS	(sizeof ui_actions / sizeof ui_actions[0])

/* Lines of the help that no binding gives. */
static const char *const ui_help_prompts[][2] = {
	{ "Enter", N_("accept the answer") },
	{ "Esc, C-g", N_("cancel") },
	{ "Backspace, C-u", N_("delete a character / the whole line") },
	{ "j, k, Up, Down", N_("picker: move (also PgUp, PgDn, C-n, C-p)") },
	{ "type", N_("picker: filter the folders (/ first to type j or k)") },
};

/* Look a key up in one map. */
enum ui_action
ui_keymap_lookup(unsigned map, int key)
{
	size_t	i;

	for (i = 0; i < UI_NBINDINGS; i++) {
		if ((ui_bindings[i].maps & map) && ui_bindings[i].key == key)
			return ui_bindings[i].action;
	}
	return UI_ACT_NONE;
}

/* The name of a special key, or NULL. */
static const char *
ui_keymap_special(int key)
{
	switch (key) {
	case KEY_DOWN:	return "Down";
	case KEY_UP:	return "Up";
	case KEY_NPAGE:	return "PgDn";
	case KEY_PPAGE:	return "PgUp";
	case KEY_HOME:	return "Home";
	case KEY_END:	return "End";
	case KEY_ENTER:	return "Enter";
	case '\r':	return "Enter";
	case '\n':	return "Enter";
	case '\t':	return "Tab";
	case ' ':	return "space";
	case UI_KEY_ESC: return "Esc";
	}
	return NULL;
}

/* Name one key (see ui_keymap.h). */
void
ui_keymap_key_name(int key, char *out, size_t size)
{
	const char	*s;
	char		 inner[16];

	if (size == 0)
		return;
	if (key & UI_KEY_META_BIT) {
		ui_keymap_key_name(key & ~UI_KEY_META_BIT, inner, sizeof inner);
		snprintf(out, size, "Esc-%s", inner);
	} else if ((s = ui_keymap_special(key)) != NULL)
		snprintf(out, size, "%s", s);
	else if (key > 0 && key < 32)
		snprintf(out, size, "C-%c", key + 'a' - 1);
	else if (key > 32 && key < 127)
		snprintf(out, size, "%c", key);
	else
		snprintf(out, size, "#%d", key);
}

/* Join the names of the keys bound to action in map, without repeats. */
void
ui_keymap_keys(unsigned map, enum ui_action action, char *out, size_t size)
{
	char	name[24];
	size_t	i, len;

	if (size == 0)
		return;
	out[0] = '\0';
	for (i = 0; i < UI_NBINDINGS; i++) {
		if (!(ui_bindings[i].maps & map) ||
		    ui_bindings[i].action != action)
			continue;
		ui_keymap_key_name(ui_bindings[i].key, name, sizeof name);
		if (strstr(out, name) != NULL &&
		    (strcmp(name, "Enter") == 0))
			continue;	/* \r, \n and KEY_ENTER are one key */
		len = strlen(out);
		snprintf(out + len, size - len, "%s%s", len > 0 ? ", " : "",
		    name);
	}
}

/* Add one help line if there is room; counts it either way. */
static void
ui_keymap_help_add(struct ui_help_line *lines, size_t max, size_t *n,
    const char *keys, const char *what)
{
	if (*n < max) {
		snprintf(lines[*n].keys, sizeof lines[*n].keys, "%s",
		    keys != NULL ? keys : "");
		lines[*n].what = what;
		lines[*n].heading = keys == NULL;
	}
	(*n)++;
}

/* One map's section: every bound action (only new ones unless full). */
static void
ui_keymap_help_map(unsigned map, bool full, struct ui_help_line *lines,
    size_t max, size_t *n)
{
	char	keys[48], list_keys[48];
	size_t	i;

	for (i = 0; i < UI_NACTIONS; i++) {
		ui_keymap_keys(map, ui_actions[i].action, keys, sizeof keys);
		if (keys[0] == '\0')
			continue;
		if (!full) {
			ui_keymap_keys(UI_MAP_LIST, ui_actions[i].action,
			    list_keys, sizeof list_keys);
			if (strcmp(keys, list_keys) == 0)
				continue;
		}
		ui_keymap_help_add(lines, max, n, keys, ui_actions[i].what);
	}
}

/* A sub-list's section: its actions other than moving and help. */
static void
ui_keymap_help_own(unsigned map, struct ui_help_line *lines, size_t max,
    size_t *n)
{
	char	keys[48];
	size_t	i;

	for (i = 0; i < UI_NACTIONS; i++) {
		switch (ui_actions[i].action) {
		case UI_ACT_DOWN:
		case UI_ACT_UP:
		case UI_ACT_PAGE_DOWN:
		case UI_ACT_PAGE_UP:
		case UI_ACT_FIRST:
		case UI_ACT_LAST:
		case UI_ACT_HELP:
			continue;
		default:
			break;
		}
		ui_keymap_keys(map, ui_actions[i].action, keys, sizeof keys);
		if (keys[0] != '\0')
			ui_keymap_help_add(lines, max, n, keys,
			    ui_actions[i].what);
	}
}

/* The whole help (see ui_keymap.h). */
size_t
ui_keymap_help(struct ui_help_line *lines, size_t max)
{
	size_t	n = 0, i;

	ui_keymap_help_add(lines, max, &n, NULL, N_("Message list"));
	ui_keymap_help_map(UI_MAP_LIST, true, lines, max, &n);
	ui_keymap_help_add(lines, max, &n, NULL,
	    N_("Folder pane (other keys as in the list)"));
	ui_keymap_help_map(UI_MAP_FOLDERS, false, lines, max, &n);
	ui_keymap_help_add(lines, max, &n, NULL,
	    N_("Pager (N F d s C > ; ? as in the list)"));
	ui_keymap_help_map(UI_MAP_PAGER, false, lines, max, &n);
	ui_keymap_help_add(lines, max, &n, NULL,
	    N_("Attachments, from the pager's v (moving as in the list)"));
	ui_keymap_help_own(UI_MAP_ATTACH, lines, max, &n);
	ui_keymap_help_add(lines, max, &n, NULL,
	    N_("URLs, from the pager's u (moving as in the list)"));
	ui_keymap_help_own(UI_MAP_URLS, lines, max, &n);
	ui_keymap_help_add(lines, max, &n, NULL,
	    N_("Composer (after m, r, g, f and the editor)"));
	ui_keymap_help_own(UI_MAP_COMPOSE, lines, max, &n);
	ui_keymap_help_add(lines, max, &n, NULL,
	    N_("Outbox, from W (moving as in the list)"));
	ui_keymap_help_own(UI_MAP_OUTBOX, lines, max, &n);
	ui_keymap_help_add(lines, max, &n, NULL,
	    N_("Prompts and the folder picker"));
	for (i = 0; i < sizeof ui_help_prompts / sizeof ui_help_prompts[0];
	    i++)
		ui_keymap_help_add(lines, max, &n, ui_help_prompts[i][0],
		    ui_help_prompts[i][1]);
	return n;
}
