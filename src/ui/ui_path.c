/*
 * ui_path.c - tilde expansion and Tab completion of file names typed at
 * prompts.
 *
 * No shell is involved: only a leading ~ or ~user is expanded; everything
 * else is taken literally.
 */
#include <sys/stat.h>

#include <dirent.h>
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

/* Most directory entries completion looks at. */
#define UI_PATH_SCAN_MAX	100000

/* The common prefix length of a and b. */
static size_t
ui_path_common(const char *a, const char *b)
{
	size_t	n = 0;

	while (a[n] != '\0' && a[n] == b[n])
		n++;
	return n;
}

/* Complete the last component of typed (see ui_path.h). */
char *
ui_path_complete(const char *typed, const char *home, size_t *nmatch)
{
	const char	*slash = strrchr(typed, '/');
	const char	*base = slash != NULL ? slash + 1 : typed;
	char		*dir, *best = NULL, *out, *full;
	size_t		 blen = strlen(base), dlen, scanned = 0;
	DIR		*d;
	struct dirent	*e;
	struct stat	 st;

	*nmatch = 0;
	dlen = slash != NULL ? (size_t)(slash - typed) + 1 : 0;
	dir = dlen > 0 ? xstrndup(typed, dlen) : xstrdup("./");
	full = ui_path_expand(dir, home);
	free(dir);
	if (full == NULL || (d = opendir(full)) == NULL) {
		free(full);
		return NULL;
	}
	while ((e = readdir(d)) != NULL && scanned++ < UI_PATH_SCAN_MAX) {
		if (strncmp(e->d_name, base, blen) != 0 ||
		    strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0 ||
		    (blen == 0 && e->d_name[0] == '.'))
			continue;
		if ((*nmatch)++ == 0)
			best = xstrdup(e->d_name);
		else
			best[ui_path_common(best, e->d_name)] = '\0';
	}
	closedir(d);
	if (best == NULL) {
		free(full);
		return NULL;
	}
	out = xasprintf("%.*s%s", (int)dlen, typed, best);
	/* One directory: go into it. */
	if (*nmatch == 1) {
		char	*path = xasprintf("%s%s", full, best);

		if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
			char	*o2 = xasprintf("%s/", out);

			free(out);
			out = o2;
		}
		free(path);
	}
	free(best);
	free(full);
	return out;
}
