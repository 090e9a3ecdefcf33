/*
 * mkdirs.c - "mkdir -p" for the directory of a file, mode 0700.
 */
#include <sys/stat.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "util/mkdirs.h"
#include "util/xmalloc.h"

/* Create the missing parent directories of path. */
int
mkdirs_parent(const char *path)
{
	char	*copy, *p;
	int	 rc = 0, saved;

	copy = xstrdup(path);
	for (p = copy + 1; (p = strchr(p, '/')) != NULL; p++) {
		*p = '\0';
		if (mkdir(copy, 0700) == -1 && errno != EEXIST) {
			rc = -1;
			break;
		}
		*p = '/';
	}
	saved = errno;
	free(copy);
	errno = saved;
	return rc;
}
