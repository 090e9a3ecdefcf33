/*
 * cmd.h - petrel's batch commands (no UI): `sync`, `ls`, `parse` and
 * `send`.
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
/*
 * petrel parse FILE ("-": stdin): print as JSON what petrel understood of
 * one message: decoded headers, the part tree, the text it would show.
 */
int	 cmd_parse(const char *path);
/*
 * petrel send [-a ACCOUNT] [-t] [-f ADDR] [ADDR...] < message: through
 * the outbox (argv[0] is "send"); 0 only once a server accepted it, 2
 * on a usage error.
 */
int	 cmd_send(const struct config *, const char *account, int argc,
	     char **argv, const char *cache_path);

#endif
