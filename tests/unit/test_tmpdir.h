/*
 * test_tmpdir.h - a private temporary directory per unit test.
 */
#ifndef PETREL_TEST_TMPDIR_H
#define PETREL_TEST_TMPDIR_H

#include <stddef.h>

/* Make /tmp/PREFIX-XXXXXX into dir (size bytes); fails the test on error. */
void	 test_tmpdir_make(char *dir, size_t size, const char *prefix);
/* Remove the directory and everything below it. */
void	 test_tmpdir_remove(const char *dir);

#endif
