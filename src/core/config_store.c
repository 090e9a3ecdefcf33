/*
 * config_store.c - the [account] keys of local stores and of POP3.
 *
 * driver = maildir takes path = DIR (a Maildir, with Maildir++ folders),
 * driver = mbox takes path = FILE (read-only); neither has a host, a user
 * or any connection setting.  driver = pop3 takes leave_on_server, and
 * deletes by expunging (there is no Trash folder to move to).  A
 * leading "~/" in a path is the home directory, expanded once here.
 */
#include <stdlib.h>
#include <string.h>

#include "core/config.h"
#include "core/config_impl.h"
#include "util/xmalloc.h"

#define CONFIG_LEAVE_DAYS_MAX	36500

/* path with a leading "~/" expanded from $HOME; NULL if $HOME is unset. */
static char *
config_store_path(const char *v)
{
	const char	*home;

	if (strncmp(v, "~/", 2) != 0 && strcmp(v, "~") != 0)
		return xstrdup(v);
	if ((home = getenv("HOME")) == NULL || *home == '\0')
		return NULL;
	return xasprintf("%s%s", home, v + 1);
}

/* One key of a local store or POP3 account; -1 if not one of them. */
int
config_store_account_key(struct config_reader *r, struct config_account *a,
    const char *key, const char *v)
{
	char	*end;
	long	 days;

	if (strcmp(key, "path") == 0) {
		if (a->path != NULL)
			return config_fail(r, "duplicate key 'path'");
		if (*v == '\0')
			return config_fail(r, "empty value for 'path'");
		if ((a->path = config_store_path(v)) == NULL)
			return config_fail(r, "path '%s' starts with ~ but "
			    "$HOME is not set", v);
		return 1;
	}
	if (strcmp(key, "leave_on_server") == 0) {
		if (strcmp(v, "yes") == 0 || strcmp(v, "true") == 0)
			a->leave_days = -1;
		else if (strcmp(v, "no") == 0 || strcmp(v, "false") == 0)
			a->leave_days = 0;
		else {
			days = strtol(v, &end, 10);
			if (end == v || *end != '\0' || days < 1 ||
			    days > CONFIG_LEAVE_DAYS_MAX)
				return config_fail(r, "leave_on_server must be "
				    "yes, no or a number of days (1-%d), not "
				    "'%s'", CONFIG_LEAVE_DAYS_MAX, v);
			a->leave_days = (int)days;
		}
		return 1;
	}
	return -1;
}

/* What a local store or POP3 account needs; 0 (failed) or 1. */
int
config_store_check(struct config_reader *r, struct config_account *a)
{
	bool	 local = strcmp(a->driver, "maildir") == 0 ||
		    strcmp(a->driver, "mbox") == 0;

	if (local && a->path == NULL)
		return config_fail(r, "[account %s] (driver = %s) needs "
		    "'path'", a->name, a->driver);
	if (!local && a->path != NULL)
		return config_fail(r, "[account %s]: 'path' is for driver = "
		    "maildir or mbox, not %s", a->name, a->driver);
	if (local && (a->host != NULL || a->user != NULL))
		return config_fail(r, "[account %s] (driver = %s) is local: "
		    "it takes no 'host' or 'user'", a->name, a->driver);
	if (a->leave_days != -1 && strcmp(a->driver, "pop3") != 0)
		return config_fail(r, "[account %s]: leave_on_server is for "
		    "driver = pop3", a->name);
	/* An mbox is opened read-only: it is never rewritten. */
	if (strcmp(a->driver, "mbox") == 0)
		a->read_only = true;
	/* POP3 has no Trash folder to move to: d deletes on the server. */
	if (strcmp(a->driver, "pop3") == 0)
		a->delete_mode = CONFIG_DELETE_EXPUNGE;
	return 1;
}
