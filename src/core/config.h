/*
 * config.h - the configuration file, parsed once into typed structs.
 *
 * Format (INI, read with libinih):
 *
 *   [general]
 *   log_file = PATH          (default: none; -d also needs it or uses stderr-free default)
 *   default_account = NAME
 *
 *   [account NAME]
 *   driver = imap
 *   host = imap.example.org
 *   port = 993               (default: 993 implicit, 143 otherwise)
 *   user = me@example.org
 *   password = ...           or  password_command = pass show mail
 *   security = implicit | starttls | none
 *   tls_ca_file = PATH
 *   read_only = true | false
 *   connect_timeout = 10     (seconds)
 *   timeout = 60             (seconds, each operation)
 *   delete = trash | expunge (d moves to the Trash folder, or marks
 *                             \Deleted for an expunge; default trash)
 *
 * Errors are reported as "FILE:LINE: what is wrong".  Nothing here touches
 * the network or runs the password command; that happens when an account
 * opens (config_account_password).
 */
#ifndef PETREL_CONFIG_H
#define PETREL_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "util/error.h"

enum config_delete {
	CONFIG_DELETE_TRASH = 0,	/* move to the Trash (special-use) folder */
	CONFIG_DELETE_EXPUNGE		/* mark \Deleted, expunge on request */
};

enum config_security {
	CONFIG_SEC_IMPLICIT = 0,
	CONFIG_SEC_STARTTLS,
	CONFIG_SEC_NONE
};

struct config_account {
	char			*name;
	char			*driver;	/* "imap" */
	char			*host;
	char			*port;		/* text: getaddrinfo service */
	char			*user;
	char			*password;	/* secret; NULL if not set */
	char			*password_command;
	enum config_security	 security;
	char			*tls_ca_file;
	bool			 read_only;
	int			 connect_timeout_ms;
	int			 timeout_ms;
	enum config_delete	 delete_mode;
	int			 line;		/* where the section starts */
};

struct config {
	char			*path;
	char			*log_file;
	char			*default_account;
	struct config_account	*accounts;
	size_t			 naccounts;
};

/* Parse a file; NULL with "path:line: message" in the error on failure. */
struct config	*config_load(const char *path, struct error *);
/* Parse from memory (tests, fuzzing); name is used in messages. */
struct config	*config_parse(const char *name, const char *text,
		     struct error *);
void		 config_free(struct config *);
/* The account by name, or the default/first one when name is NULL. */
const struct config_account *config_account_find(const struct config *,
		     const char *name);
/*
 * The account's password: the configured one, or the first line of
 * password_command's output (run through /bin/sh, stdin closed).  The
 * caller frees it with xfree_secret.
 */
char		*config_account_password(const struct config_account *,
		     struct error *);
/* The default config path: $XDG_CONFIG_HOME/petrel/config. */
char		*config_default_path(void);

#endif
