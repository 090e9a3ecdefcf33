/*
 * test_ui_keymap_views.c - the keys of the pager's own views (issue 5):
 * the pager's new keys, the part list's and the URL list's, no key bound
 * twice in one of them, and every one of them in the help.
 */
#include <check.h>
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui/ui_keymap.h"

static const struct {
	unsigned	 map;
	int		 key;
	enum ui_action	 action;
} binds[] = {
	{ UI_MAP_PAGER, 'h', UI_ACT_HEADERS },
	{ UI_MAP_PAGER, '/', UI_ACT_SEARCH },
	{ UI_MAP_PAGER, 'n', UI_ACT_SEARCH_NEXT },
	{ UI_MAP_PAGER, 'u', UI_ACT_URLS },
	{ UI_MAP_PAGER, 'U', UI_ACT_UNDELETE },
	{ UI_MAP_PAGER, 'v', UI_ACT_ATTACH },
	{ UI_MAP_LIST, 'u', UI_ACT_UNDELETE },
	{ UI_MAP_LIST, 'h', UI_ACT_NONE },
	{ UI_MAP_ATTACH, 'j', UI_ACT_DOWN },
	{ UI_MAP_ATTACH, KEY_UP, UI_ACT_UP },
	{ UI_MAP_ATTACH, '\r', UI_ACT_VIEW_PART },
	{ UI_MAP_ATTACH, 'm', UI_ACT_MAILCAP },
	{ UI_MAP_ATTACH, 's', UI_ACT_SAVE_PART },
	{ UI_MAP_ATTACH, 'S', UI_ACT_SAVE_ALL },
	{ UI_MAP_ATTACH, '|', UI_ACT_PIPE },
	{ UI_MAP_ATTACH, 'q', UI_ACT_BACK },
	{ UI_MAP_ATTACH, 'v', UI_ACT_BACK },
	{ UI_MAP_ATTACH, UI_KEY_ESC, UI_ACT_BACK },
	{ UI_MAP_ATTACH, '?', UI_ACT_HELP },
	{ UI_MAP_ATTACH, 'd', UI_ACT_NONE },
	{ UI_MAP_URLS, 'k', UI_ACT_UP },
	{ UI_MAP_URLS, '\n', UI_ACT_OPEN_URL },
	{ UI_MAP_URLS, 'q', UI_ACT_BACK },
	{ UI_MAP_URLS, 's', UI_ACT_NONE },
};

START_TEST(test_lookup)
{
	ck_assert_msg(ui_keymap_lookup(binds[_i].map, binds[_i].key) ==
	    binds[_i].action, "row %d", _i);
}
END_TEST

/* No key is bound to two actions in the pager or its two lists. */
START_TEST(test_no_clash)
{
	static const unsigned maps[] = { UI_MAP_PAGER, UI_MAP_ATTACH,
	    UI_MAP_URLS };
	char		 keys[64], seen[64][24];
	size_t		 m, nseen, i, j, len;
	int		 a;

	for (m = 0; m < sizeof maps / sizeof maps[0]; m++) {
		nseen = 0;
		for (a = 1; a <= UI_ACT_QUIT; a++) {
			ui_keymap_keys(maps[m], (enum ui_action)a, keys,
			    sizeof keys);
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
		ck_assert_uint_gt(nseen, 5);
	}
}
END_TEST

/* The help has a section for each list, with its own keys. */
START_TEST(test_help)
{
	struct ui_help_line	lines[128];
	static const char	*want[][2] = {
		{ "h", "show all headers / the chosen ones" },
		{ "/", "search the message (lower case: any case)" },
		{ "u", "list the URLs of the message" },
		{ "v", "list the parts and attachments" },
		{ "U", "undelete" },
		{ "s", "save the part to a directory" },
		{ "S", "save every attachment to a directory" },
		{ "|", "pipe the part to a command, show its output" },
		{ "m", "open the part with its mailcap viewer" },
		{ "Enter", "open the URL (url_command), else show it" },
	};
	size_t			n, i, k;
	bool			found;

	n = ui_keymap_help(lines, 128);
	ck_assert_uint_le(n, 128);
	for (k = 0; k < sizeof want / sizeof want[0]; k++) {
		found = false;
		for (i = 0; i < n && !found; i++)
			found = !lines[i].heading &&
			    strcmp(lines[i].keys, want[k][0]) == 0 &&
			    strcmp(lines[i].what, want[k][1]) == 0;
		ck_assert_msg(found, "help lacks '%s  %s'", want[k][0],
		    want[k][1]);
	}
}
END_TEST

/* The suite. */
static Suite *
ui_keymap_views_suite(void)
{
	Suite	*s = suite_create("ui_keymap_views");
	TCase	*tc = tcase_create("core");

	tcase_add_loop_test(tc, test_lookup, 0,
	    (int)(sizeof binds / sizeof binds[0]));
	tcase_add_test(tc, test_no_clash);
	tcase_add_test(tc, test_help);
	suite_add_tcase(s, tc);
	return s;
}

/* Run the suite; the exit status says whether it passed. */
int
main(void)
{
	SRunner	*sr = srunner_create(ui_keymap_views_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
