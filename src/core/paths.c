/*
 * paths.c - XDG base directory lookups.
 *
 * Relative XDG_* values are ignored, as the XDG spec says.
 */
#include <pwd.h>
#include <stdlib.h>
#include <unistd.h>

#include "core/config.h"
#include "core/paths.h"
#include "util/xmalloc.h"

/* $HOME, or the password database's home, or "/". */
static const char *
paths_home(void)
{
	const char	*h;
	struct passwd	*pw;

	if ((h = getenv("HOME")) != NULL && *h == '/')
		return h;
	if ((pw = getpwuid(getuid())) != NULL && pw->pw_dir != NULL)
		return pw->pw_dir;
	return "/";
}

/* An XDG directory: the variable if absolute, else $HOME/fallback. */
static char *
paths_xdg(const char *var, const char *fallback, const char *leaf)
{
	const char	*v;

	if ((v = getenv(var)) != NULL && *v == '/')
		return xasprintf("%s/petrel/%s", v, leaf);
	return xasprintf("%s/%s/petrel/%s", paths_home(), fallback, leaf);
}

/* The cache database path. */
char *
paths_cache_db(void)
{
	return paths_xdg("XDG_DATA_HOME", ".local/share", "cache.db");
}

/* The config file path. */
char *
paths_config_file(void)
{
	return paths_xdg("XDG_CONFIG_HOME", ".config", "config");
}

/* The default config path (config.h's name for it). */
char *
config_default_path(void)
{
	return paths_config_file();
}
