/*
 * fuzz_ui_text.c - fit and wrap arbitrary bytes into columns.
 *
 * The first byte picks the width (0..255); the rest is the text.  Checks
 * the contracts of ui_text.h: wrapping always advances, and fitting never passes
 * the width or the output size.
 */
#include <locale.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <wchar.h>

#include "ui/ui_text.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* One input: wrap it all, fitting each line, and check the results. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int	 init;
	const char	*s;
	wchar_t		 out[64];
	size_t		 len, off = 0, adv, ll, n, used;
	int		 width, cols;

	if (!init) {
		setlocale(LC_ALL, "C.UTF-8");
		init = 1;
	}
	if (size < 1)
		return 0;
	width = data[0];
	s = (const char *)data + 1;
	len = size - 1;
	while (off < len) {
		adv = ui_text_wrap(s + off, len - off, width, &ll);
		if (adv == 0 || ll > adv || adv > len - off)
			abort();
		used = ui_text_fit(s + off, ll, width, out, 64, &n, &cols);
		if (cols > width || n > 64 || used > ll)
			abort();
		off += adv;
	}
	return 0;
}
