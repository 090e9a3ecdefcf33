/*
 * fuzz_config.c - libFuzzer target for the configuration parser.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/config.h"
#include "util/xmalloc.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct config	*cfg;
	struct error	 err;
	char		*text;

	if (size > 65536)
		return 0;
	text = xstrndup((const char *)data, size);
	error_clear(&err);
	cfg = config_parse("fuzz.conf", text, &err);
	if (cfg != NULL)
		(void)config_account_find(cfg, NULL);
	config_free(cfg);
	free(text);
	return 0;
}
