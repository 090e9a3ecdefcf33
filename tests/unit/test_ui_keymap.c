/*
 * test_ui_keymap.c - key bindings, key names and the generated help.
 */
#include <check.h>
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui/ui_keymap.h"

/* The keys a mutt user and the tmux tests rely on. */
static const struct {
	unsigned	 map;
	int		 key;
	enum ui_action	 action;
} binds[] = {
	{ UI_MAP_LIST, 'j', UI_ACT_DOWN },
	{ UI_MAP_LIST, KEY_DOWN, UI_ACT_DOWN },
	{ UI_MAP_LIST, '\r', UI_ACT_OPEN },
	{ UI_MAP_LIST, 'N', UI_ACT_TOGGLE_NEW },
	{ UI_MAP_LIST, 'F', UI_ACT_FLAG },
	{ UI_MAP_LIST, 'd', UI_ACT_DELETE },
	{ UI_MAP_LIST, 'u', UI_ACT_UNDELETE },
	{ UI_MAP_LIST, '$', UI_ACT_EXPUNGE },
	{ UI_MAP_LIST, 's', UI_ACT_MOVE },
	{ UI_MAP_LIST, 'C', UI_ACT_COPY },
	{ UI_MAP_LIST, 'c', UI_ACT_CHANGE_FOLDER },
	{ UI_MAP_LIST, '>', UI_ACT_SAVE_FILE },
	{ UI_MAP_LIST, 'R', UI_ACT_REFRESH },
	{ UI_MAP_LIST, UI_KEY_CTRL('l'), UI_ACT_REFRESH },
	{ UI_MAP_LIST, 't', UI_ACT_TAG },
	{ UI_MAP_LIST, 'T', UI_ACT_TAG_PATTERN },
	{ UI_MAP_LIST, UI_KEY_CTRL('t'), UI_ACT_UNTAG_PATTERN },
	{ UI_MAP_LIST, ';', UI_ACT_TAG_PREFIX },
	{ UI_MAP_LIST, 'l', UI_ACT_LIMIT },
	{ UI_MAP_LIST, 'o', UI_ACT_SORT },
	{ UI_MAP_LIST, 'O', UI_ACT_REVERSE },
	{ UI_MAP_LIST, 'z', UI_ACT_COLLAPSE },
	{ UI_MAP_LIST, UI_KEY_META('v'), UI_ACT_COLLAPSE },
	{ UI_MAP_LIST, 'Z', UI_ACT_COLLAPSE_ALL },
	{ UI_MAP_LIST, UI_KEY_META('V'), UI_ACT_COLLAPSE_ALL },
	{ UI_MAP_LIST, '+', UI_ACT_FOLDER_CREATE },
	{ UI_MAP_LIST, UI_KEY_META('r'), UI_ACT_FOLDER_RENAME },
	{ UI_MAP_LIST, UI_KEY_META('d'), UI_ACT_FOLDER_DELETE },
	{ UI_MAP_LIST, '?', UI_ACT_HELP },
	{ UI_MAP_LIST, 'q', UI_ACT_QUIT },
	{ UI_MAP_LIST, 'r', UI_ACT_REPLY },
	{ UI_MAP_LIST, 'g', UI_ACT_REPLY_ALL },	/* mutt's group reply */
	{ UI_MAP_LIST, '=', UI_ACT_FIRST },
	{ UI_MAP_LIST, 'm', UI_ACT_COMPOSE },
	{ UI_MAP_LIST, 'f', UI_ACT_FORWARD },
	{ UI_MAP_LIST, 'W', UI_ACT_OUTBOX },
	{ UI_MAP_PAGER, 'r', UI_ACT_REPLY },
	{ UI_MAP_PAGER, 'g', UI_ACT_REPLY_ALL },
	{ UI_MAP_FOLDERS, 'g', UI_ACT_FIRST },
	{ UI_MAP_COMPOSE, 'y', UI_ACT_SEND },
	{ UI_MAP_COMPOSE, 'e', UI_ACT_EDIT },
	{ UI_MAP_COMPOSE, 't', UI_ACT_EDIT_TO },
	{ UI_MAP_COMPOSE, 'a', UI_ACT_ATTACH_FILE },
	{ UI_MAP_COMPOSE, 'D', UI_ACT_DETACH },
	{ UI_MAP_COMPOSE, 'q', UI_ACT_CANCEL },
	{ UI_MAP_COMPOSE, 'j', UI_ACT_DOWN },
	{ UI_MAP_COMPOSE, 'N', UI_ACT_NONE },
	{ UI_MAP_OUTBOX, '\r', UI_ACT_SEND },
	{ UI_MAP_OUTBOX, 'd', UI_ACT_OUTBOX_DELETE },
	{ UI_MAP_OUTBOX, 'q', UI_ACT_BACK },
	{ UI_MAP_LIST, 'J', UI_ACT_NONE },
	{ UI_MAP_FOLDERS, '\r', UI_ACT_OPEN_FOLDER },
	{ UI_MAP_FOLDERS, 'r', UI_ACT_FOLDER_RENAME },
	{ UI_MAP_FOLDERS, 'D', UI_ACT_FOLDER_DELETE },
	{ UI_MAP_FOLDERS, 'N', UI_ACT_NONE },
	{ UI_MAP_FOLDERS, 'q', UI_ACT_QUIT },
	{ UI_MAP_PAGER, 'j', UI_ACT_LINE_DOWN },
	{ UI_MAP_PAGER, '\r', UI_ACT_LINE_DOWN },
	{ UI_MAP_PAGER, 'J', UI_ACT_NEXT_MSG },
	{ UI_MAP_PAGER, 'K', UI_ACT_PREV_MSG },
	{ UI_MAP_PAGER, 'q', UI_ACT_BACK },
	{ UI_MAP_PAGER, 'i', UI_ACT_BACK },
	{ UI_MAP_PAGER, 'd', UI_ACT_DELETE },
	{ UI_MAP_PAGER, 'l', UI_ACT_NONE },
};

/* Each key does what the table says. */
START_TEST(test_lookup)
{
	ck_assert_msg(ui_keymap_lookup(binds[_i].map, binds[_i].key) ==
	    binds[_i].action, "row %d", _i);
}
END_TEST

/* Names as the help shows them. */
START_TEST(test_names)
{
	char	b[32];

	ui_keymap_key_name('j', b, sizeof b);
	ck_assert_str_eq(b, "j");
	ui_keymap_key_name(KEY_DOWN, b, sizeof b);
	ck_assert_str_eq(b, "Down");
	ui_keymap_key_name(UI_KEY_CTRL('l'), b, sizeof b);
	ck_assert_str_eq(b, "C-l");
	ui_keymap_key_name(UI_KEY_META('v'), b, sizeof b);
	ck_assert_str_eq(b, "Esc-v");
	ui_keymap_key_name('\t', b, sizeof b);
	ck_assert_str_eq(b, "Tab");
	ui_keymap_key_name(' ', b, sizeof b);
	ck_assert_str_eq(b, "space");
	ui_keymap_key_name('\r', b, sizeof b);
	ck_assert_str_eq(b, "Enter");
	ui_keymap_key_name('>', b, sizeof b);
	ck_assert_str_eq(b, ">");
	ui_keymap_key_name('j', b, 1);
	ck_assert_str_eq(b, "");
	ui_keymap_keys(UI_MAP_PAGER, UI_ACT_LINE_DOWN, b, sizeof b);
	ck_assert_str_eq(b, "j, Down, Enter");
	ui_keymap_keys(UI_MAP_LIST, UI_ACT_COLLAPSE, b, sizeof b);
	ck_assert_str_eq(b, "z, Esc-v");
	ui_keymap_keys(UI_MAP_FOLDERS, UI_ACT_TOGGLE_NEW, b, sizeof b);
	ck_assert_str_eq(b, "");
}
END_TEST

/* No key is bound to two actions in one map. */
START_TEST(test_no_clash)
{
	static const unsigned maps[] = { UI_MAP_LIST, UI_MAP_FOLDERS,
	    UI_MAP_PAGER, UI_MAP_COMPOSE, UI_MAP_OUTBOX };
	char		 keys[64], seen[64][24];
	size_t		 m, nseen, i, j, len;
	int		 a;

	for (m = 0; m < sizeof maps / sizeof maps[0]; m++) {
		nseen = 0;
		for (a = 1; a <= UI_ACT_QUIT; a++) {
			ui_keymap_keys(maps[m], (enum ui_action)a, keys,
			    sizeof keys);
			/* Split "x, y, z" by hand. */
			for (i = 0; keys[i] != '\0'; i += len) {
				while (keys[i] == ',' || keys[i] == ' ')
					i++;
				len = strcspn(keys + i, ",");
				if (len == 0)
					break;
				ck_assert_uint_lt(nseen, 64);
				snprintf(seen[nseen], sizeof seen[nseen],
				    "%.*s", (int)len, keys + i);
				for (j = 0; j < nseen; j++)
					ck_assert_msg(strcmp(seen[j],
					    seen[nseen]) != 0,
					    "map %zu: %s bound twice", m,
					    seen[j]);
				nseen++;
			}
		}
		ck_assert_uint_gt(nseen, 8);
	}
}
END_TEST

/* The help lists every list key, and the pane's and pager's own. */
START_TEST(test_help)
{
	struct ui_help_line	lines[128];
	size_t			n, i, k;
	bool			found;

	n = ui_keymap_help(lines, 128);
	ck_assert_uint_le(n, 128);
	ck_assert_uint_gt(n, 40);
	ck_assert(lines[0].heading);
	ck_assert_str_eq(lines[0].what, "Message list");
	for (k = 0; k < sizeof binds / sizeof binds[0]; k++) {
		char	name[32], keys[48];

		if (binds[k].action == UI_ACT_NONE)
			continue;
		ui_keymap_key_name(binds[k].key, name, sizeof name);
		ui_keymap_keys(binds[k].map, binds[k].action, keys,
		    sizeof keys);
		found = false;
		for (i = 0; i < n && !found; i++)
			found = !lines[i].heading &&
			    strcmp(lines[i].keys, keys) == 0 &&
			    strstr(lines[i].keys, name) != NULL;
		ck_assert_msg(found, "key %s (%s) not in the help", name,
		    keys);
	}
	/* Fewer lines asked for: the count stays, nothing overflows. */
	ck_assert_uint_eq(ui_keymap_help(lines, 3), n);
}
END_TEST

/* The suite. */
static Suite *
ui_keymap_suite(void)
{
	Suite	*s = suite_create("ui_keymap");
	TCase	*tc = tcase_create("core");

	tcase_add_loop_test(tc, test_lookup, 0,
	    (int)(sizeof binds / sizeof binds[0]));
	tcase_add_test(tc, test_names);
	tcase_add_test(tc, test_no_clash);
	tcase_add_test(tc, test_help);
	suite_add_tcase(s, tc);
	return s;
}

/* Run the suite; the exit status says whether it passed. */
int
main(void)
{
	SRunner	*sr = srunner_create(ui_keymap_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
