/*
 * ui.h - the interactive ncurses user interface.
 *
 * The UI runs on the calling thread: it starts one worker per account, reads
 * the cache a screenful at a time and sends commands to the workers.  It
 * never touches the network.  main() has already called setlocale().
 */
#ifndef PETREL_UI_H
#define PETREL_UI_H

#include "core/config.h"
#include "util/error.h"

/* Run the interactive UI until the user quits.  cfg's accounts each get a worker; account may be NULL (all accounts, default one selected first). Returns 0, or -1 with err filled for a fatal setup error (e.g. not a terminal). */
int ui_run(const struct config *cfg, const char *account, const char *cache_path, struct error *err);

#endif
