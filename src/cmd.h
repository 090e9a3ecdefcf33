/*
 * cmd.h - petrel's batch commands (no UI): `sync` and `ls`.
 *
 * Each returns the process exit status (0 ok, 1 failed) after printing its
 * result on stdout and any error as one line on stderr.  Everything printed
 * that came from a server passes the sanitiser.
 */
#ifndef PETREL_CMD_H
#define PETREL_CMD_H

#include "core/config.h"

/* petrel sync [ACCOUNT]: sync folders and headers into the cache. */
int	 cmd_sync(const struct config *, const char *account,
	     const char *cache_path);
/* petrel ls ACCOUNT FOLDER: print the cached message list. */
int	 cmd_ls(const struct config *, const char *account, const char *folder,
	     const char *cache_path);

#endif
