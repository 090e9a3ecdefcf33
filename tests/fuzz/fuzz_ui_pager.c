/*
 * fuzz_ui_pager.c - the pager's parsers of message text on arbitrary
 * bytes: format=flowed, quote levels, tab expansion, URL finding, search,
 * safe attachment names, spoofed display names and mailcap files.
 *
 * The first byte picks options (bit 0: DelSp; bits 1-7: the needle's
 * length for the search), the rest is the text.  Checks the contracts:
 * outputs stay within their buffers' maxima, URLs are slices of the input
 * with a known scheme, a safe name never holds '/', a control character
 * or a leading '.' or '-'.
 */
#include <locale.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ui/ui_attach_mailcap.h"
#include "ui/ui_attach_name.h"
#include "ui/ui_pager_addr.h"
#include "ui/ui_pager_text.h"

#define FUZZ_OUT_MAX	(1024 * 1024)

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Flowed text, tabs, quote levels. */
static void
fuzz_text(const char *s, size_t len, bool delsp)
{
	struct buf	out = BUF_INITIALIZER(FUZZ_OUT_MAX);
	struct buf	tabs = BUF_INITIALIZER(FUZZ_OUT_MAX);
	size_t		pre;
	int		level;

	ui_pager_flowed(s, len, delsp, &out);
	if (out.len > FUZZ_OUT_MAX)
		abort();
	ui_pager_expand_tabs(buf_str(&out), out.len, &tabs);
	if (tabs.len > FUZZ_OUT_MAX)
		abort();
	level = ui_pager_quote_level(s, len, &pre);
	if (level < 0 || level > 255 || pre > len)
		abort();
	buf_fini(&out);
	buf_fini(&tabs);
}

/* URLs and search. */
static void
fuzz_urls(const char *s, size_t len, size_t nlen)
{
	struct ui_pager_url	 u[UI_PAGER_URLS_MAX];
	size_t			 n, i, at;
	char			*needle;

	n = ui_pager_urls(s, len, u, UI_PAGER_URLS_MAX);
	for (i = 0; i < n; i++) {
		if (u[i].off > len || u[i].len > len - u[i].off ||
		    u[i].len == 0 || u[i].len > UI_PAGER_URL_LEN_MAX)
			abort();
	}
	if (nlen == 0 || nlen > len)
		return;
	needle = strndup(s, nlen);
	if (ui_pager_find(s, len, 0, needle, &at) &&
	    (at > len || strlen(needle) > len - at))
		abort();
	free(needle);
}

/* Safe names, spoof checks and mailcap on the text as a C string. */
static void
fuzz_names(const char *s, size_t len)
{
	struct ui_mailcap_entry	 e;
	char			*c, *name;
	const char		*p;
	bool			 used;

	c = strndup(s, len);
	name = ui_attach_safe_name(c, "part-1");
	if (name[0] == '\0' || name[0] == '.' || name[0] == '-' ||
	    strlen(name) > UI_ATTACH_NAME_MAX || strchr(name, '/') != NULL)
		abort();
	for (p = name; *p != '\0'; p++) {
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			abort();
	}
	free(name);
	(void)ui_pager_addr_spoofed(c, "a@b.test");
	if (ui_attach_mailcap_find(s, len, "text", "plain", false, NULL,
	    NULL, &e) == 0) {
		free(ui_attach_mailcap_expand(e.view, "/tmp/x", "text/plain",
		    c, &used));
		ui_attach_mailcap_fini(&e);
	}
	free(c);
}

/* One input through every parser. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int	 init;
	const char	*s;
	size_t		 len;

	if (!init) {
		setlocale(LC_ALL, "C.UTF-8");
		init = 1;
	}
	if (size < 1)
		return 0;
	s = (const char *)data + 1;
	len = size - 1;
	fuzz_text(s, len, data[0] & 1);
	fuzz_urls(s, len, data[0] >> 1);
	fuzz_names(s, len);
	return 0;
}
