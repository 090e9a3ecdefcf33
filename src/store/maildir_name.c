/*
 * maildir_name.c - Maildir file and folder names: pure functions.
 *
 * File names (https://cr.yp.to/proto/maildir.html): "UNIQUE" in new/,
 * "UNIQUE:2,FLAGS" in cur/, the flags being single letters in ASCII
 * order.  petrel sets D (draft), F (flagged), R (replied), S (seen) and T
 * (trashed) and keeps every other letter it finds (P passed, Dovecot's
 * lower-case keywords).  New unique names are "TIME.PID_COUNTER.HOST",
 * the host name with '/' and ':' escaped as \057 and \072 as the spec
 * asks.
 *
 * Folder names (Maildir++): the directory ".A.B" is the folder A/B, its
 * remote name is "A.B" (what the cache keys it by) and its display name
 * is that decoded from modified UTF-7 (RFC 3501 5.1.3; an invalid name is
 * shown as it is).  No I/O, no globals.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "net/imap_utf7.h"
#include "store/maildir.h"
#include "util/buf.h"
#include "util/xmalloc.h"

/* The flags petrel manages, letter and cache bit. */
static const struct {
	char		letter;
	unsigned	bit;
} maildir_flag_map[] = {
	{ 'D', CACHE_FLAG_DRAFT },
	{ 'F', CACHE_FLAG_FLAGGED },
	{ 'R', CACHE_FLAG_ANSWERED },
	{ 'S', CACHE_FLAG_SEEN },
	{ 'T', CACHE_FLAG_DELETED },
};

#define MAILDIR_NFLAGS	(sizeof maildir_flag_map / sizeof maildir_flag_map[0])

/* The length of the unique part: up to the first ':'. */
size_t
maildir_uniq_len(const char *name)
{
	const char	*colon = strchr(name, ':');

	return colon != NULL ? (size_t)(colon - name) : strlen(name);
}

/* The letters of an info part "2,LETTERS", or NULL if there is none. */
static const char *
maildir_info_letters(const char *name)
{
	const char	*colon = strchr(name, ':');

	if (colon == NULL || colon[1] != '2' || colon[2] != ',')
		return NULL;
	return colon + 3;
}

/* The cache flags of a file name. */
unsigned
maildir_name_flags(const char *name)
{
	const char	*p = maildir_info_letters(name);
	unsigned	 flags = 0;
	size_t		 i;

	for (; p != NULL && *p != '\0'; p++) {
		for (i = 0; i < MAILDIR_NFLAGS; i++) {
			if (*p == maildir_flag_map[i].letter)
				flags |= maildir_flag_map[i].bit;
		}
	}
	return flags;
}

/* Whether a letter is one petrel sets or clears. */
static bool
maildir_managed(char c)
{
	for (size_t i = 0; i < MAILDIR_NFLAGS; i++) {
		if (maildir_flag_map[i].letter == c)
			return true;
	}
	return false;
}

/*
 * The cur/ name of a file with these flags: the unique part, ":2," and
 * the letters in ASCII order, other letters kept.
 */
char *
maildir_name_with_flags(const char *name, unsigned flags)
{
	const char	*p = maildir_info_letters(name);
	bool		 set[128];
	struct buf	 b;
	size_t		 i;

	memset(set, 0, sizeof set);
	for (; p != NULL && *p != '\0'; p++) {
		if (((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z')) &&
		    !maildir_managed(*p))
			set[(unsigned char)*p] = true;
	}
	for (i = 0; i < MAILDIR_NFLAGS; i++) {
		if (flags & maildir_flag_map[i].bit)
			set[(unsigned char)maildir_flag_map[i].letter] = true;
	}
	buf_init(&b, 0);
	buf_add(&b, name, maildir_uniq_len(name));
	buf_adds(&b, ":2,");
	for (i = 0; i < sizeof set; i++) {
		if (set[i])
			buf_addc(&b, (char)i);
	}
	return buf_take(&b);
}

/* The host name as the spec wants it in a unique name. */
char *
maildir_host_escape(const char *host)
{
	struct buf	b;

	buf_init(&b, 0);
	for (; *host != '\0'; host++) {
		if (*host == '/')
			buf_adds(&b, "\\057");
		else if (*host == ':')
			buf_adds(&b, "\\072");
		else
			buf_addc(&b, *host);
	}
	if (b.len == 0)
		buf_adds(&b, "localhost");
	return buf_take(&b);
}

/* A new unique name: TIME.PID_COUNTER.HOST. */
char *
maildir_unique(int64_t sec, long pid, unsigned counter, const char *host)
{
	return xasprintf("%lld.%ld_%u.%s", (long long)sec, pid, counter, host);
}

/* Whether a directory entry of the root names a Maildir++ folder. */
bool
maildir_is_folder_dir(const char *d_name)
{
	const char	*r = d_name + 1;

	if (d_name[0] != '.' || *r == '\0' || *r == '.')
		return false;
	/* Levels are never empty; INBOX is the top, not a subfolder. */
	if (strstr(r, "..") != NULL || r[strlen(r) - 1] == '.' ||
	    strcasecmp(r, "INBOX") == 0)
		return false;
	return true;
}

/* The display name of a remote name (modified UTF-7 decoded). */
char *
maildir_folder_display(const char *remote)
{
	return imap_utf7_display(remote, strlen(remote));
}

/* Whether a display name is one a folder may have ('/' already '.'). */
static int
maildir_folder_check(const char *s, struct error *err)
{
	const char	*p;

	if (*s == '\0' || *s == '.' || s[strlen(s) - 1] == '.' ||
	    strstr(s, "..") != NULL)
		return error_set(err, ERR_PARSE, ERR_SCOPE_OP,
		    "a folder name needs a name between its separators");
	for (p = s; *p != '\0'; p++) {
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return error_set(err, ERR_PARSE, ERR_SCOPE_OP,
			    "a folder name may not hold control characters");
	}
	if (strcasecmp(s, "INBOX") == 0)
		return error_set(err, ERR_PARSE, ERR_SCOPE_OP,
		    "INBOX is the top of the Maildir");
	return 0;
}

/*
 * The remote name of a folder the user names ("Work/2024" or
 * "Work.2024"): levels joined by '.', modified UTF-7; NULL with the error
 * set if the name cannot be a folder.
 */
char *
maildir_folder_remote(const char *display, struct error *err)
{
	char	*s, *enc;

	s = xstrdup(display);
	for (char *p = s; *p != '\0'; p++) {
		if (*p == '/')
			*p = '.';
	}
	if (maildir_folder_check(s, err) == -1) {
		free(s);
		return NULL;
	}
	enc = imap_utf7_encode(s, strlen(s));
	free(s);
	if (enc == NULL) {
		error_set(err, ERR_PARSE, ERR_SCOPE_OP,
		    "a folder name must be UTF-8");
		return NULL;
	}
	if (strlen(enc) + 1 > NAME_MAX) {
		free(enc);
		error_set(err, ERR_TOOBIG, ERR_SCOPE_OP,
		    "folder name too long");
		return NULL;
	}
	return enc;
}

/* What a folder is for, guessed from its last level's common names. */
enum cache_role
maildir_folder_role(const char *display)
{
	static const struct {
		enum cache_role	 role;
		const char	*name;
	} names[] = {
		{ CACHE_ROLE_SENT, "Sent" },
		{ CACHE_ROLE_SENT, "Sent Items" },
		{ CACHE_ROLE_SENT, "Sent Messages" },
		{ CACHE_ROLE_SENT, "Sent Mail" },
		{ CACHE_ROLE_DRAFTS, "Drafts" },
		{ CACHE_ROLE_DRAFTS, "Draft" },
		{ CACHE_ROLE_TRASH, "Trash" },
		{ CACHE_ROLE_TRASH, "Deleted Items" },
		{ CACHE_ROLE_TRASH, "Deleted Messages" },
		{ CACHE_ROLE_JUNK, "Junk" },
		{ CACHE_ROLE_JUNK, "Spam" },
		{ CACHE_ROLE_ARCHIVE, "Archive" },
		{ CACHE_ROLE_ARCHIVE, "Archives" },
	};
	const char	*leaf = strrchr(display, '.');

	leaf = leaf != NULL ? leaf + 1 : display;
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		if (strcasecmp(leaf, names[i].name) == 0)
			return names[i].role;
	}
	return CACHE_ROLE_NONE;
}
