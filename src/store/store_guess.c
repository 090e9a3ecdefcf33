/*
 * store_guess.c - finding the user's local mailbox when petrel has no
 * configuration file: the conventions of mail(1) and mutt.
 *
 * $MAIL names the system mailbox (an mbox file, /var/mail/$USER) or, for
 * users of a Maildir delivery, the Maildir itself; ~/Maildir is the
 * common Maildir location.  Only stat(2) is done: nothing is created.
 */
#include <sys/stat.h>

#include <stdlib.h>

#include "store/store.h"
#include "util/xmalloc.h"

/* Whether dir is a directory holding cur/ (a Maildir). */
static int
store_guess_maildir(const char *dir)
{
	struct stat	 st;
	char		*cur;
	int		 yes;

	cur = xasprintf("%s/cur", dir);
	yes = stat(cur, &st) == 0 && S_ISDIR(st.st_mode);
	free(cur);
	return yes;
}

/* $MAIL, else ~/Maildir. */
int
store_guess_local(const char *mail, const char *home, const char **driver,
    char **path)
{
	struct stat	 st;
	char		*p;

	*driver = NULL;
	*path = NULL;
	if (mail != NULL && *mail != '\0' && stat(mail, &st) == 0) {
		if (S_ISREG(st.st_mode)) {
			*driver = "mbox";
			*path = xstrdup(mail);
			return 0;
		}
		if (S_ISDIR(st.st_mode) && store_guess_maildir(mail)) {
			*driver = "maildir";
			*path = xstrdup(mail);
			return 0;
		}
	}
	if (home == NULL || *home == '\0')
		return 1;
	p = xasprintf("%s/Maildir", home);
	if (stat(p, &st) == 0 && S_ISDIR(st.st_mode)) {
		*driver = "maildir";
		*path = p;
		return 0;
	}
	free(p);
	return 1;
}
