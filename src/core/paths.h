/*
 * paths.h - where petrel keeps its files (XDG base directories).
 */
#ifndef PETREL_PATHS_H
#define PETREL_PATHS_H

/* $XDG_DATA_HOME/petrel/cache.db (default ~/.local/share). New string. */
char	*paths_cache_db(void);
/* $XDG_CONFIG_HOME/petrel/config (default ~/.config).  New string. */
char	*paths_config_file(void);

#endif
