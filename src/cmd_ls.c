/*
 * cmd_ls.c - `petrel ls ACCOUNT FOLDER`: the cached message list, one
 * message a line, tab-separated: UID, flags (letters SAFDT or "-"), date
 * (UTC, YYYY-MM-DD HH:MM), from (name, else address), subject.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cache/cache.h"
#include "cmd.h"
#include "util/sanitize.h"

#define CMD_LS_PAGE	1000

/* Flag letters in the fixed order S A F D T. */
static void
cmd_ls_flags(unsigned flags, char out[6])
{
	static const struct {
		unsigned	bit;
		char		letter;
	} map[] = {
		{ CACHE_FLAG_SEEN, 'S' }, { CACHE_FLAG_ANSWERED, 'A' },
		{ CACHE_FLAG_FLAGGED, 'F' }, { CACHE_FLAG_DELETED, 'D' },
		{ CACHE_FLAG_DRAFT, 'T' },
	};
	size_t	i, n = 0;

	for (i = 0; i < sizeof map / sizeof *map; i++) {
		if (flags & map[i].bit)
			out[n++] = map[i].letter;
	}
	if (n == 0)
		out[n++] = '-';
	out[n] = '\0';
}

/* Print one message line. */
static void
cmd_ls_line(const struct cache_msg *m)
{
	char		 flags[6], date[32];
	char		*from, *subject, *uid;
	struct tm	 tm;
	time_t		 t = (time_t)m->date;

	cmd_ls_flags(m->flags, flags);
	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(date, sizeof date, "%Y-%m-%d %H:%M", &tm) == 0)
		memcpy(date, "?", 2);
	uid = sanitize_line_dup(m->remote_id ? m->remote_id : "");
	from = sanitize_line_dup(m->from_name && *m->from_name ? m->from_name :
	    m->from_addr ? m->from_addr : "");
	subject = sanitize_line_dup(m->subject ? m->subject : "");
	printf("%s\t%s\t%s\t%s\t%s\n", uid, flags, date, from, subject);
	free(uid);
	free(from);
	free(subject);
}

/* Find a folder by display name, then by remote name. */
static int
cmd_ls_folder(struct cache *c, int64_t account_id, const char *name,
    int64_t *folder_id, struct error *err)
{
	struct cache_folder	*f;
	size_t			 n, i;
	int			 rc = 1;

	if (cache_folder_list(c, account_id, &f, &n, err) == -1)
		return -1;
	for (i = 0; i < n && rc == 1; i++) {
		if (strcmp(f[i].name, name) == 0) {
			*folder_id = f[i].id;
			rc = 0;
		}
	}
	for (i = 0; i < n && rc == 1; i++) {
		if (strcmp(f[i].remote_name, name) == 0) {
			*folder_id = f[i].id;
			rc = 0;
		}
	}
	cache_folder_list_free(f, n);
	return rc;
}

/* petrel ls ACCOUNT FOLDER */
int
cmd_ls(const struct config *cfg, const char *account, const char *folder,
    const char *cache_path)
{
	struct cache		*c;
	struct cache_msg	*msgs;
	struct error		 err;
	int64_t			 account_id, folder_id, off = 0;
	size_t			 n, i;
	int			 rc;

	error_clear(&err);
	if (config_account_find(cfg, account) == NULL) {
		fprintf(stderr, "petrel: no account '%s' in %s\n", account,
		    cfg->path);
		return 1;
	}
	if ((c = cache_open(cache_path, &err)) == NULL)
		goto fail;
	if (cache_account_id(c, account, &account_id, &err) == -1)
		goto fail;
	if ((rc = cmd_ls_folder(c, account_id, folder, &folder_id, &err)) != 0) {
		if (rc == 1)
			error_set(&err, ERR_NOTFOUND, ERR_SCOPE_OP,
			    "no such folder in the cache of %s (run petrel sync)",
			    account);
		goto fail;
	}
	do {
		if (cache_msg_page(c, folder_id, off, CMD_LS_PAGE, &msgs, &n,
		    &err) == -1)
			goto fail;
		for (i = 0; i < n; i++)
			cmd_ls_line(&msgs[i]);
		cache_msg_list_free(msgs, n);
		off += (int64_t)n;
	} while (n == CMD_LS_PAGE);
	cache_close(c);
	return 0;
fail:
	fprintf(stderr, "petrel: %s\n", err.msg);
	if (c != NULL)
		cache_close(c);
	return 1;
}
