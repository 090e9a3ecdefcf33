/*
 * test_tmpdir.c - temporary directories for unit tests (Check).
 */
#include <sys/stat.h>

#include <check.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>

#include "test_tmpdir.h"

/* Remove one entry of the tree (nftw callback). */
static int
test_tmpdir_rm(const char *path, const struct stat *st, int flag,
    struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

/* Make a fresh directory under /tmp. */
void
test_tmpdir_make(char *dir, size_t size, const char *prefix)
{
	snprintf(dir, size, "/tmp/%s-XXXXXX", prefix);
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

/* Remove the directory tree. */
void
test_tmpdir_remove(const char *dir)
{
	nftw(dir, test_tmpdir_rm, 16, FTW_DEPTH | FTW_PHYS);
}
