/*
 * mkdirs.h - creating the private directories petrel keeps files in.
 */
#ifndef PETREL_MKDIRS_H
#define PETREL_MKDIRS_H

/*
 * Create the missing parent directories of path (not path itself), each
 * with mode 0700.  0, or -1 with errno set.
 */
int	 mkdirs_parent(const char *path);

#endif
