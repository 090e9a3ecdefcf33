/*
 * fuzz_ui_pattern.c - limit/tag patterns, tree prefixes and key names
 * from arbitrary bytes: no crash, bounded output.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ui/ui_keymap.h"
#include "ui/ui_pattern.h"
#include "ui/ui_tree.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Parse the input as a pattern; use it as depths for a tree. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ui_pattern	 p;
	const char		*why;
	char			*s, out[UI_TREE_PREFIX_MAX];
	uint16_t		 depth[64];
	uint8_t			 more[64];
	size_t			 n = size < 64 ? size : 64, i;

	s = malloc(size + 1);
	memcpy(s, data, size);
	s[size] = '\0';
	if (ui_pattern_parse(s, &p, &why) == 0) {
		if (p.text != NULL && strlen(p.text) > UI_PATTERN_MAX)
			abort();
		ui_pattern_contains(s, p.text);
		ui_pattern_fini(&p);
	}
	for (i = 0; i < n; i++)
		depth[i] = (uint16_t)(data[i] % 24);
	ui_tree_more(depth, n, more);
	for (i = 0; i < n; i++) {
		ui_tree_prefix(depth, more, n, i, data[0] & 1, out,
		    sizeof out);
		if (strlen(out) >= sizeof out)
			abort();
	}
	if (size >= 2) {
		ui_keymap_key_name((int)(data[0] | data[1] << 8), out,
		    sizeof out);
		ui_keymap_lookup(UI_MAP_LIST, (int)(data[0] | data[1] << 8));
	}
	free(s);
	return 0;
}
