/*
 * ui_path.c - tilde expansion of file names typed at prompts.
 *
 * No shell is involved: only a leading ~ or ~user is expanded; everything
 * else is taken literally.
 */
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ui/ui_path.h"
#include "util/xmalloc.h"

/* A user's home directory (caller frees), or NULL. */
static char *
ui_path_user_home(const char *user, size_t len)
{
	struct passwd	 pw, *res = NULL;
	char		*name, *buf, *home = NULL;
	long		 sz = sysconf(_SC_GETPW_R_SIZE_MAX);

	if (sz <= 0 || sz > 1024 * 1024)
		sz = 16384;
	name = xstrndup(user, len);
	buf = xmalloc((size_t)sz);
	if (getpwnam_r(name, &pw, buf, (size_t)sz, &res) == 0 &&
	    res != NULL && pw.pw_dir != NULL)
		home = xstrdup(pw.pw_dir);
	free(buf);
	free(name);
	return home;
}

/* Expand a leading ~ (see ui_path.h). */
char *
ui_path_expand(const char *path, const char *home)
{
	const char	*rest;
	char		*h, *s;
	size_t		 ulen;

	if (path == NULL || *path == '\0')
		return NULL;
	if (path[0] != '~')
		return xstrdup(path);
	rest = strchr(path, '/');
	ulen = rest != NULL ? (size_t)(rest - path) - 1 : strlen(path) - 1;
	if (rest == NULL)
		rest = "";
	if (ulen == 0) {
		if (home == NULL || *home == '\0')
			return NULL;
		h = xstrdup(home);
	} else if ((h = ui_path_user_home(path + 1, ulen)) == NULL)
		return NULL;
	/* "~/" under a home of "/" must not give "//x". */
	if (strcmp(h, "/") == 0 && *rest == '/')
		s = xstrdup(rest);
	else
		s = xasprintf("%s%s", h, rest);
	free(h);
	return s;
}
