/*
 * store.h - what the program's wiring (main.c) needs of the local stores.
 *
 * With no configuration file at all, petrel opens the user's local mail:
 * the mbox or Maildir $MAIL names, else ~/Maildir.  Finding it is here;
 * main.c builds the one-account configuration around it.
 */
#ifndef PETREL_STORE_H
#define PETREL_STORE_H

/*
 * The local mailbox to open without a configuration: $MAIL (mail, may be
 * NULL) if it names a regular file (driver "mbox") or a directory holding
 * cur/ (driver "maildir"), else home/Maildir (home may be NULL) if it is
 * a directory.  0 with *driver (a constant) and *path (caller frees) set,
 * 1 if there is none.
 */
int	 store_guess_local(const char *mail, const char *home,
	     const char **driver, char **path);

#endif
