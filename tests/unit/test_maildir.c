/*
 * test_maildir.c - unit tests of the Maildir driver on real directories:
 * sync (new/ to cur/, incremental, read-only), flags by rename, races
 * with another program renaming or removing files, expunge, copy, move,
 * append, folders, fetching, and waiting for changes (inotify).
 */
#include <sys/stat.h>
#include <sys/wait.h>

#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cache/cache.h"
#include "core/account.h"
#include "mime/mime.h"
#include "store/maildir.h"
#include "test_tmpdir.h"
#include "util/buf.h"
#include "util/xmalloc.h"

static char			 t_dir[64];
static char			*t_root;
static struct cache		*t_cache;
static struct config_account	 t_cfg;

/* The drivers report progress here; the tests ignore it. */
void
account_status(struct account *a, const char *fmt, ...)
{
	(void)a;
	(void)fmt;
}

/* The UI is not told of written rows here. */
void
account_rows_written(struct account *a)
{
	(void)a;
}

/* Write root/rel with content and (if not 0) an mtime. */
static void
t_file(const char *rel, const char *content, time_t mtime)
{
	struct timespec	 ts[2];
	char		*p = xasprintf("%s/%s", t_root, rel);
	FILE		*f = fopen(p, "w");

	ck_assert_msg(f != NULL, "%s: %s", p, strerror(errno));
	fputs(content, f);
	fclose(f);
	if (mtime != 0) {
		ts[0].tv_sec = ts[1].tv_sec = mtime;
		ts[0].tv_nsec = ts[1].tv_nsec = 0;
		utimensat(AT_FDCWD, p, ts, 0);
	}
	free(p);
}

/* Whether root/rel exists. */
static bool
t_exists(const char *rel)
{
	struct stat	 st;
	char		*p = xasprintf("%s/%s", t_root, rel);
	bool		 yes = lstat(p, &st) == 0;

	free(p);
	return yes;
}

/* Rename root/from to root/to, as another program would. */
static void
t_rename(const char *from, const char *to)
{
	char	*f = xasprintf("%s/%s", t_root, from);
	char	*t = xasprintf("%s/%s", t_root, to);

	ck_assert_msg(rename(f, t) == 0, "rename %s: %s", f, strerror(errno));
	free(f);
	free(t);
}

/* Remove root/rel, as another program would. */
static void
t_unlink(const char *rel)
{
	char	*p = xasprintf("%s/%s", t_root, rel);

	ck_assert_msg(unlink(p) == 0, "unlink %s: %s", p, strerror(errno));
	free(p);
}

/* Make a folder directory (rel "" is the root) with cur new tmp. */
static void
t_folder(const char *rel)
{
	static const char *const subs[] = { "", "/cur", "/new", "/tmp" };
	char	*p;

	for (size_t i = 0; i < 4; i++) {
		p = xasprintf("%s/%s%s", t_root, rel, subs[i]);
		mkdir(p, 0700);
		free(p);
	}
}

/* The names in root/rel, sorted, joined with spaces. */
static char *
t_ls(const char *rel)
{
	struct dirent	**v;
	struct buf	  b = BUF_INITIALIZER(0);
	char		 *p = xasprintf("%s/%s", t_root, rel);
	int		  n;

	n = scandir(p, &v, NULL, alphasort);
	ck_assert_int_ge(n, 0);
	for (int i = 0; i < n; i++) {
		if (v[i]->d_name[0] != '.') {
			if (b.len > 0)
				buf_addc(&b, ' ');
			buf_adds(&b, v[i]->d_name);
		}
		free(v[i]);
	}
	free(v);
	free(p);
	return b.len > 0 ? buf_take(&b) : xstrdup("");
}

/* Check a listing. */
static void
t_ls_eq(const char *rel, const char *want)
{
	char	*got = t_ls(rel);

	ck_assert_msg(strcmp(got, want) == 0, "%s: got '%s', want '%s'", rel,
	    got, want);
	free(got);
}

/* A message with these headers. */
static char *
t_msg(const char *subject, const char *date)
{
	return xasprintf("From: Ann Example <ann@example.org>\n"
	    "To: bob@example.org\n%s%s%sSubject: %s\n"
	    "Message-ID: <%s@example.org>\n\nHello %s.\n",
	    date ? "Date: " : "", date ? date : "", date ? "\n" : "", subject,
	    subject, subject);
}

/* A fresh Maildir root and cache. */
static void
setup(void)
{
	struct error	 err;
	char		*p;

	test_tmpdir_make(t_dir, sizeof t_dir, "test_maildir");
	t_root = xasprintf("%s/Maildir", t_dir);
	p = xasprintf("%s/cache.db", t_dir);
	t_cache = cache_open(p, &err);
	ck_assert_msg(t_cache != NULL, "%s", err.msg);
	free(p);
	memset(&t_cfg, 0, sizeof t_cfg);
	t_cfg.name = (char *)"local";
	t_cfg.driver = (char *)"maildir";
	t_cfg.path = t_root;
	t_folder("");
}

/* Remove everything. */
static void
teardown(void)
{
	cache_close(t_cache);
	test_tmpdir_remove(t_dir);
	free(t_root);
}

/* Make and open the account. */
static struct account *
t_open(void)
{
	struct account	*a;
	struct error	 err;

	a = maildir_driver_ops.new(&t_cfg, &err);
	ck_assert_ptr_nonnull(a);
	a->ops = &maildir_driver_ops;
	a->cfg = &t_cfg;
	a->wake_fd = -1;
	ck_assert_int_eq(cache_account_id(t_cache, "local", &a->cache_id,
	    &err), 0);
	ck_assert_msg(a->ops->open(a, &err) == 0, "%s", err.msg);
	ck_assert_msg(a->ops->list_folders(a, t_cache, &err) == 0, "%s",
	    err.msg);
	return a;
}

/* Close and free the account. */
static void
t_close(struct account *a)
{
	a->ops->close(a);
	a->ops->free(a);
}

/* The cached folder with this remote name (fails the test if none). */
static void
t_get_folder(struct account *a, const char *remote, struct cache_folder *f)
{
	struct error	err;

	ck_assert_msg(cache_folder_find(t_cache, a->cache_id, remote, f,
	    &err) == 0, "no folder %s", remote);
}

/* Sync one folder. */
static void
t_sync(struct account *a, const char *remote)
{
	struct cache_folder	f;
	struct error		err;

	t_get_folder(a, remote, &f);
	ck_assert_msg(a->ops->sync_folder(a, &f, t_cache, &err) == 0, "%s",
	    err.msg);
	cache_folder_fini(&f);
}

/* The cached row of a message; 1 if none. */
static int
t_row(struct account *a, const char *remote, const char *id,
    struct cache_msg *m)
{
	struct cache_folder	f;
	struct error		err;
	int			rc;

	t_get_folder(a, remote, &f);
	rc = cache_msg_find(t_cache, f.id, id, m, &err);
	ck_assert_int_ne(rc, -1);
	cache_folder_fini(&f);
	return rc;
}

/* The cached count of a folder. */
static int64_t
t_count(struct account *a, const char *remote)
{
	struct cache_folder	f;
	struct error		err;
	int64_t			total, unread;

	t_get_folder(a, remote, &f);
	ck_assert_int_eq(cache_msg_count(t_cache, f.id, &total, &unread,
	    &err), 0);
	cache_folder_fini(&f);
	return total;
}

/* Run a driver operation on one message id of a folder. */
static int
t_flags(struct account *a, const char *remote, const char *id,
    unsigned add, unsigned remove, struct error *err)
{
	struct cache_folder	 f;
	const char		*ids[1] = { id };
	int			 rc;

	t_get_folder(a, remote, &f);
	rc = a->ops->store_flags(a, &f, ids, 1, add, remove, t_cache, err);
	cache_folder_fini(&f);
	return rc;
}

/* Three messages in INBOX (one in new/), one in .Work. */
static void
t_fill(void)
{
	char	*m;

	m = t_msg("one", "Tue, 01 Aug 2023 10:00:00 +0200");
	t_file("cur/1.a.h:2,S", m, 0);
	free(m);
	m = t_msg("two", NULL);
	t_file("new/2.b.h", m, 1600000000);
	free(m);
	m = t_msg("three", "Wed, 02 Aug 2023 10:00:00 +0000");
	t_file("cur/3.c.h,S=99:2,FRT", m, 0);
	free(m);
	t_folder(".Work");
	m = t_msg("four", "Thu, 03 Aug 2023 10:00:00 +0000");
	t_file(".Work/cur/4.d.h:2,", m, 0);
	free(m);
}

START_TEST(test_sync)
{
	struct account		*a;
	struct cache_folder	*fv, f;
	struct cache_msg	 m;
	struct error		 err;
	size_t			 n;

	t_fill();
	a = t_open();
	ck_assert_int_eq(cache_folder_list(t_cache, a->cache_id, &fv, &n,
	    &err), 0);
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(fv[0].remote_name, "INBOX");
	ck_assert_int_eq(fv[0].role, CACHE_ROLE_INBOX);
	ck_assert_str_eq(fv[1].remote_name, "Work");
	ck_assert_int_eq(fv[1].delim, '.');
	cache_folder_list_free(fv, n);
	t_sync(a, "INBOX");
	ck_assert_int_eq(t_count(a, "INBOX"), 3);
	/* Date: wins; the sender, subject and size are the file's. */
	ck_assert_int_eq(t_row(a, "INBOX", "1.a.h", &m), 0);
	ck_assert_str_eq(m.subject, "one");
	ck_assert_str_eq(m.from_name, "Ann Example");
	ck_assert_str_eq(m.from_addr, "ann@example.org");
	ck_assert_str_eq(m.message_id, "<one@example.org>");
	ck_assert_int_eq(m.date, 1690876800);
	ck_assert_uint_eq(m.flags, CACHE_FLAG_SEEN);
	cache_msg_fini(&m);
	/* No Date: the mtime; new/ moved to cur/ with ":2,". */
	ck_assert_int_eq(t_row(a, "INBOX", "2.b.h", &m), 0);
	ck_assert_int_eq(m.date, 1600000000);
	ck_assert_uint_eq(m.flags, 0);
	cache_msg_fini(&m);
	t_ls_eq("new", "");
	t_ls_eq("cur", "1.a.h:2,S 2.b.h:2, 3.c.h,S=99:2,FRT");
	ck_assert_int_eq(t_row(a, "INBOX", "3.c.h,S=99", &m), 0);
	ck_assert_uint_eq(m.flags, CACHE_FLAG_FLAGGED | CACHE_FLAG_ANSWERED |
	    CACHE_FLAG_DELETED);
	cache_msg_fini(&m);
	t_sync(a, "Work");
	ck_assert_int_eq(t_count(a, "Work"), 1);
	t_get_folder(a, "Work", &f);
	ck_assert_str_eq(f.name, "Work");
	cache_folder_fini(&f);
	t_close(a);
}
END_TEST

START_TEST(test_sync_read_only)
{
	struct account	*a;
	struct error	 err;
	char		*before, *after;

	t_fill();
	before = t_ls("cur");
	t_cfg.read_only = true;
	a = t_open();
	t_sync(a, "INBOX");
	t_sync(a, "Work");
	ck_assert_int_eq(t_count(a, "INBOX"), 3);
	/* new/ stays new/, nothing renamed. */
	t_ls_eq("new", "2.b.h");
	after = t_ls("cur");
	ck_assert_str_eq(before, after);
	ck_assert_int_eq(t_flags(a, "INBOX", "1.a.h", CACHE_FLAG_FLAGGED, 0,
	    &err), -1);
	ck_assert_int_eq(err.code, ERR_READONLY);
	t_ls_eq("cur", before);
	free(before);
	free(after);
	t_close(a);
}
END_TEST

START_TEST(test_sync_incremental)
{
	struct account		*a;
	struct cache_msg	 m;
	char			*msg;

	t_fill();
	a = t_open();
	t_sync(a, "INBOX");
	/*
	 * Files never change in place, so a known name is not read again:
	 * change two files' bytes, rename one of them (a flag change by
	 * another program), remove one and deliver one.
	 */
	t_file("cur/1.a.h:2,S", "Subject: changed\n\n", 0);
	t_file("cur/3.c.h,S=99:2,FRT", "Subject: changed\n\n", 0);
	t_rename("cur/3.c.h,S=99:2,FRT", "cur/3.c.h,S=99:2,S");
	t_unlink("cur/2.b.h:2,");
	msg = t_msg("five", "Fri, 04 Aug 2023 10:00:00 +0000");
	t_file("new/5.e.h", msg, 0);
	free(msg);
	t_sync(a, "INBOX");
	ck_assert_int_eq(t_count(a, "INBOX"), 3);
	ck_assert_int_eq(t_row(a, "INBOX", "1.a.h", &m), 0);
	ck_assert_str_eq(m.subject, "one");
	cache_msg_fini(&m);
	ck_assert_int_eq(t_row(a, "INBOX", "3.c.h,S=99", &m), 0);
	ck_assert_str_eq(m.subject, "three");		/* not read again */
	ck_assert_uint_eq(m.flags, CACHE_FLAG_SEEN);	/* but renamed */
	cache_msg_fini(&m);
	ck_assert_int_eq(t_row(a, "INBOX", "2.b.h", &m), 1);
	cache_msg_fini(&m);
	ck_assert_int_eq(t_row(a, "INBOX", "5.e.h", &m), 0);
	ck_assert_str_eq(m.subject, "five");
	cache_msg_fini(&m);
	t_close(a);
}
END_TEST

START_TEST(test_store_flags)
{
	struct account		*a;
	struct cache_msg	 m;
	struct error		 err;

	t_fill();
	t_file("cur/6.f.h:2,PSab", "Subject: keywords\n\n", 0);
	a = t_open();
	t_sync(a, "INBOX");
	ck_assert_int_eq(t_flags(a, "INBOX", "1.a.h", CACHE_FLAG_FLAGGED |
	    CACHE_FLAG_ANSWERED, 0, &err), 0);
	ck_assert_int_eq(t_flags(a, "INBOX", "2.b.h", CACHE_FLAG_SEEN, 0,
	    &err), 0);
	ck_assert_int_eq(t_flags(a, "INBOX", "3.c.h,S=99", CACHE_FLAG_SEEN,
	    CACHE_FLAG_DELETED | CACHE_FLAG_FLAGGED, &err), 0);
	/* Letters petrel does not manage survive. */
	ck_assert_int_eq(t_flags(a, "INBOX", "6.f.h", CACHE_FLAG_DRAFT,
	    CACHE_FLAG_SEEN, &err), 0);
	t_ls_eq("cur", "1.a.h:2,FRS 2.b.h:2,S 3.c.h,S=99:2,RS 6.f.h:2,DPab");
	ck_assert_int_eq(t_row(a, "INBOX", "1.a.h", &m), 0);
	ck_assert_uint_eq(m.flags, CACHE_FLAG_SEEN | CACHE_FLAG_FLAGGED |
	    CACHE_FLAG_ANSWERED);
	cache_msg_fini(&m);
	/* Nothing to change: no error, no rename. */
	ck_assert_int_eq(t_flags(a, "INBOX", "1.a.h", CACHE_FLAG_SEEN, 0,
	    &err), 0);
	t_ls_eq("cur", "1.a.h:2,FRS 2.b.h:2,S 3.c.h,S=99:2,RS 6.f.h:2,DPab");
	/* A file still in new/ goes to cur/ with its flags. */
	t_file("new/7.g.h", "Subject: fresh\n\n", 0);
	t_cfg.read_only = true;		/* so the sync leaves it in new/ */
	t_sync(a, "INBOX");
	t_cfg.read_only = false;
	ck_assert_int_eq(t_flags(a, "INBOX", "7.g.h", CACHE_FLAG_FLAGGED, 0,
	    &err), 0);
	t_ls_eq("new", "");
	ck_assert(t_exists("cur/7.g.h:2,F"));
	t_close(a);
}
END_TEST

START_TEST(test_rename_race)
{
	struct account		*a;
	struct cache_msg	 m;
	struct error		 err;

	t_fill();
	a = t_open();
	t_sync(a, "INBOX");
	/* Another program (mbsync) sets R behind petrel's back... */
	t_rename("cur/1.a.h:2,S", "cur/1.a.h:2,RS");
	/* ... the index still says 2,S: the rename finds it anyway. */
	ck_assert_int_eq(t_flags(a, "INBOX", "1.a.h", CACHE_FLAG_FLAGGED, 0,
	    &err), 0);
	ck_assert(t_exists("cur/1.a.h:2,FRS"));
	ck_assert(!t_exists("cur/1.a.h:2,RS"));
	ck_assert_int_eq(t_row(a, "INBOX", "1.a.h", &m), 0);
	ck_assert_uint_eq(m.flags, CACHE_FLAG_SEEN | CACHE_FLAG_FLAGGED |
	    CACHE_FLAG_ANSWERED);
	cache_msg_fini(&m);
	/* Another program expunged it: not an error, the row goes. */
	t_unlink("cur/1.a.h:2,FRS");
	ck_assert_int_eq(t_flags(a, "INBOX", "1.a.h", 0, CACHE_FLAG_SEEN,
	    &err), 0);
	ck_assert_int_eq(t_row(a, "INBOX", "1.a.h", &m), 1);
	cache_msg_fini(&m);
	/* Moved from new/ to cur/ by someone else: found there. */
	t_file("new/8.h.h", "Subject: moving\n\n", 0);
	t_cfg.read_only = true;
	t_sync(a, "INBOX");
	t_cfg.read_only = false;
	t_rename("new/8.h.h", "cur/8.h.h:2,S");
	ck_assert_int_eq(t_flags(a, "INBOX", "8.h.h", CACHE_FLAG_FLAGGED, 0,
	    &err), 0);
	ck_assert(t_exists("cur/8.h.h:2,FS"));
	t_close(a);
}
END_TEST

START_TEST(test_expunge)
{
	struct account		*a;
	struct cache_folder	 f;
	struct cache_msg	 m;
	struct error		 err;
	const char		*ids[3] = { "1.a.h", "3.c.h,S=99", "9.gone" };

	t_fill();
	a = t_open();
	t_sync(a, "INBOX");
	t_get_folder(a, "INBOX", &f);
	/* Only 3 carries T; 1 is kept; an unknown id is no error. */
	ck_assert_msg(a->ops->expunge(a, &f, ids, 3, t_cache, &err) == 0,
	    "%s", err.msg);
	t_ls_eq("cur", "1.a.h:2,S 2.b.h:2,");
	ck_assert_int_eq(t_row(a, "INBOX", "3.c.h,S=99", &m), 1);
	cache_msg_fini(&m);
	ck_assert_int_eq(t_row(a, "INBOX", "1.a.h", &m), 0);
	cache_msg_fini(&m);
	cache_folder_fini(&f);
	t_close(a);
}
END_TEST

/* The bytes of root/rel (NUL-terminated), or NULL. */
static char *
t_read(const char *rel)
{
	char	*p = xasprintf("%s/%s", t_root, rel), *data = NULL;
	FILE	*f = fopen(p, "r");
	long	 n;

	if (f != NULL && fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0) {
		rewind(f);
		data = xcalloc(1, (size_t)n + 1);
		if (fread(data, 1, (size_t)n, f) != (size_t)n) {
			free(data);
			data = NULL;
		}
	}
	if (f != NULL)
		fclose(f);
	free(p);
	return data;
}

/* The only file name in root/rel that is not one of the others. */
static char *
t_only(const char *rel)
{
	char	*all = t_ls(rel);

	ck_assert_msg(*all != '\0' && strchr(all, ' ') == NULL,
	    "%s: expected one file, got '%s'", rel, all);
	return all;
}

START_TEST(test_copy_move_append)
{
	struct account		*a;
	struct cache_folder	 in, work;
	struct cache_msg	 m;
	struct error		 err;
	struct stat		 st;
	const char		*one[1] = { "1.a.h" }, *three[1] = {
				    "3.c.h,S=99" };
	char			*name, *path, *orig, *orig2, *copy, *uniq, *p2;

	t_fill();
	t_unlink(".Work/cur/4.d.h:2,");
	a = t_open();
	t_sync(a, "INBOX");
	t_sync(a, "Work");
	t_get_folder(a, "INBOX", &in);
	t_get_folder(a, "Work", &work);
	orig = t_read("cur/1.a.h:2,S");
	/* Copy: a new unique name, same bytes and flags; source kept. */
	ck_assert_msg(a->ops->copy(a, &in, one, 1, &work, t_cache, &err) == 0,
	    "%s", err.msg);
	ck_assert(t_exists("cur/1.a.h:2,S"));
	name = t_only(".Work/cur");
	ck_assert_msg(strstr(name, ":2,S") != NULL, "%s", name);
	ck_assert_msg(strncmp(name, "1.a.h", 5) != 0, "%s", name);
	path = xasprintf(".Work/cur/%s", name);
	copy = t_read(path);
	ck_assert_str_eq(copy, orig);
	uniq = xstrndup(name, maildir_uniq_len(name));
	ck_assert_int_eq(t_row(a, "Work", uniq, &m), 0);
	ck_assert_str_eq(m.subject, "one");
	ck_assert_uint_eq(m.flags, CACHE_FLAG_SEEN);
	cache_msg_fini(&m);
	t_ls_eq(".Work/tmp", "");
	free(copy);
	free(path);
	free(name);
	free(uniq);
	/* Move: a new name (and id) in the target, the same bytes. */
	orig2 = t_read("cur/3.c.h,S=99:2,FRT");
	ck_assert_msg(a->ops->move(a, &in, three, 1, &work, t_cache, &err) ==
	    0, "%s", err.msg);
	ck_assert(!t_exists("cur/3.c.h,S=99:2,FRT"));
	ck_assert_int_eq(t_row(a, "INBOX", "3.c.h,S=99", &m), 1);
	cache_msg_fini(&m);
	name = t_ls(".Work/cur");
	ck_assert_msg((p2 = strstr(name, ":2,FRT")) != NULL, "%s", name);
	ck_assert_ptr_null(strstr(name, "3.c.h"));
	*p2 = '\0';
	uniq = xstrdup((p2 = strrchr(name, ' ')) != NULL ? p2 + 1 : name);
	path = xasprintf(".Work/cur/%s:2,FRT", uniq);
	copy = t_read(path);
	ck_assert_str_eq(copy, orig2);
	ck_assert_int_eq(t_row(a, "Work", uniq, &m), 0);
	ck_assert_str_eq(m.subject, "three");
	ck_assert_uint_eq(m.flags, CACHE_FLAG_FLAGGED | CACHE_FLAG_ANSWERED |
	    CACHE_FLAG_DELETED);
	cache_msg_fini(&m);
	ck_assert_int_eq(t_count(a, "Work"), 2);
	t_ls_eq("cur", "1.a.h:2,S 2.b.h:2,");
	t_ls_eq(".Work/tmp", "");
	free(name);
	free(uniq);
	free(path);
	free(copy);
	free(orig2);
	/* Append: flags in the name, the date as mtime, a row. */
	ck_assert_msg(a->ops->append(a, &in, "Subject: sent\n\nbody\n", 20,
	    CACHE_FLAG_SEEN | CACHE_FLAG_DRAFT, 1500000000, t_cache, &err) ==
	    0, "%s", err.msg);
	t_sync(a, "INBOX");
	ck_assert_int_eq(t_count(a, "INBOX"), 3);
	name = t_ls("cur");
	ck_assert_msg(strstr(name, ":2,DS") != NULL, "%s", name);
	free(name);
	path = xasprintf("%s/cur", t_root);
	ck_assert_int_eq(stat(path, &st), 0);
	free(path);
	t_ls_eq("tmp", "");
	free(orig);
	cache_folder_fini(&in);
	cache_folder_fini(&work);
	t_close(a);
}
END_TEST

START_TEST(test_folders)
{
	struct account		*a;
	struct cache_folder	 f, *fv;
	struct error		 err;
	size_t			 n;

	t_fill();
	a = t_open();
	ck_assert_msg(a->ops->create_folder(a, "B\xc3\xbcro/2024", t_cache,
	    &err) == 0, "%s", err.msg);
	ck_assert(t_exists(".B&APw-ro.2024/cur"));
	ck_assert(t_exists(".B&APw-ro.2024/new"));
	ck_assert(t_exists(".B&APw-ro.2024/tmp"));
	ck_assert(t_exists(".B&APw-ro.2024/maildirfolder"));
	ck_assert(!t_exists(".B&APw-ro"));
	/* The missing parent level is listed, not selectable. */
	t_get_folder(a, "B&APw-ro", &f);
	ck_assert(f.attrs & CACHE_FOLDER_NOSELECT);
	ck_assert_str_eq(f.name, "B\xc3\xbcro");
	cache_folder_fini(&f);
	t_get_folder(a, "B&APw-ro.2024", &f);
	ck_assert_str_eq(f.name, "B\xc3\xbcro.2024");
	ck_assert(!(f.attrs & CACHE_FOLDER_NOSELECT));
	cache_folder_fini(&f);
	ck_assert_int_eq(a->ops->create_folder(a, "Work", t_cache, &err), -1);
	ck_assert_int_eq(a->ops->create_folder(a, "a//b", t_cache, &err), -1);
	/* Rename with a subfolder: both move, the cached rows with them. */
	ck_assert_msg(a->ops->create_folder(a, "Work/Sub", t_cache, &err) ==
	    0, "%s", err.msg);
	t_sync(a, "Work");
	t_get_folder(a, "Work", &f);
	ck_assert_msg(a->ops->rename_folder(a, &f, "Job", t_cache, &err) == 0,
	    "%s", err.msg);
	cache_folder_fini(&f);
	ck_assert(t_exists(".Job/cur/4.d.h:2,"));
	ck_assert(t_exists(".Job.Sub/cur"));
	ck_assert(!t_exists(".Work") && !t_exists(".Work.Sub"));
	ck_assert_int_eq(t_count(a, "Job"), 1);
	ck_assert_int_eq(cache_folder_find(t_cache, a->cache_id, "Work", &f,
	    &err), 1);
	cache_folder_fini(&f);
	/* Delete: refused with a subfolder, INBOX never. */
	t_get_folder(a, "Job", &f);
	ck_assert_int_eq(a->ops->delete_folder(a, &f, t_cache, &err), -1);
	ck_assert(t_exists(".Job/cur/4.d.h:2,"));
	cache_folder_fini(&f);
	t_get_folder(a, "Job.Sub", &f);
	ck_assert_msg(a->ops->delete_folder(a, &f, t_cache, &err) == 0, "%s",
	    err.msg);
	cache_folder_fini(&f);
	t_get_folder(a, "Job", &f);
	ck_assert_msg(a->ops->delete_folder(a, &f, t_cache, &err) == 0, "%s",
	    err.msg);
	cache_folder_fini(&f);
	ck_assert(!t_exists(".Job"));
	t_ls_eq("tmp", "");
	t_get_folder(a, "INBOX", &f);
	ck_assert_int_eq(a->ops->delete_folder(a, &f, t_cache, &err), -1);
	ck_assert_int_eq(a->ops->rename_folder(a, &f, "X", t_cache, &err), -1);
	cache_folder_fini(&f);
	ck_assert_int_eq(cache_folder_list(t_cache, a->cache_id, &fv, &n,
	    &err), 0);
	ck_assert_uint_eq(n, 3);	/* INBOX, Büro, Büro.2024 */
	cache_folder_list_free(fv, n);
	t_close(a);
}
END_TEST

START_TEST(test_fetch)
{
	struct account		*a;
	struct cache_folder	 f;
	struct cache_msg	 m;
	struct error		 err;
	char			*raw, *want, *p;
	size_t			 len;
	int			 fd;

	t_fill();
	a = t_open();
	t_sync(a, "INBOX");
	t_get_folder(a, "INBOX", &f);
	ck_assert_msg(a->ops->fetch_message(a, &f, "1.a.h", t_cache, &err) ==
	    0, "%s", err.msg);
	ck_assert_int_eq(t_row(a, "INBOX", "1.a.h", &m), 0);
	ck_assert(m.has_body);
	ck_assert_int_eq(cache_body_get(t_cache, m.id, &raw, &len, &err), 0);
	want = t_read("cur/1.a.h:2,S");
	ck_assert_uint_eq(len, strlen(want));
	ck_assert_str_eq(raw, want);
	free(raw);
	free(want);
	cache_msg_fini(&m);
	/* Renamed meanwhile: still found. */
	t_rename("cur/2.b.h:2,", "cur/2.b.h:2,S");
	ck_assert_msg(a->ops->fetch_message(a, &f, "2.b.h", t_cache, &err) ==
	    0, "%s", err.msg);
	/* Gone: an error about the message, and the row goes. */
	ck_assert_int_eq(a->ops->fetch_message(a, &f, "9.none", t_cache,
	    &err), -1);
	ck_assert_int_eq(err.code, ERR_NOTFOUND);
	/* Larger than MIME_BODY_MAX: refused, not read into memory. */
	p = xasprintf("%s/cur/big.h:2,", t_root);
	fd = open(p, O_WRONLY | O_CREAT, 0600);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(ftruncate(fd, (off_t)MIME_BODY_MAX + 10), 0);
	close(fd);
	free(p);
	ck_assert_int_eq(a->ops->fetch_message(a, &f, "big.h", t_cache, &err),
	    -1);
	ck_assert_int_eq(err.code, ERR_TOOBIG);
	cache_folder_fini(&f);
	t_close(a);
}
END_TEST

START_TEST(test_fifo_and_junk)
{
	struct account	*a;
	char		*p;

	t_fill();
	/* A FIFO must not hang the sync; a directory is no message. */
	p = xasprintf("%s/cur/fifo:2,", t_root);
	ck_assert_int_eq(mkfifo(p, 0600), 0);
	free(p);
	p = xasprintf("%s/cur/adir", t_root);
	ck_assert_int_eq(mkdir(p, 0700), 0);
	free(p);
	t_file("cur/.hidden", "Subject: hidden\n\n", 0);
	a = t_open();
	t_sync(a, "INBOX");
	ck_assert_int_eq(t_count(a, "INBOX"), 3);
	t_close(a);
}
END_TEST

START_TEST(test_search)
{
	struct account		*a;
	struct cache_folder	 f;
	struct error		 err;
	char			**ids;
	size_t			 n;

	t_fill();
	/* Decoded text is searched: quoted-printable, any case. */
	t_file("cur/5.qp.h:2,S", "Subject: plain\nMIME-Version: 1.0\n"
	    "Content-Type: text/plain; charset=utf-8\n"
	    "Content-Transfer-Encoding: quoted-printable\n\n"
	    "Agenda: Caf=C3=A9 BUDGET=\n review\n", 0);
	a = t_open();
	t_sync(a, "INBOX");
	t_get_folder(a, "INBOX", &f);
	ck_assert_msg(a->ops->search(a, &f, "budget review", &ids, &n, &err) ==
	    0, "%s", err.msg);
	ck_assert_uint_eq(n, 1);
	ck_assert_str_eq(ids[0], "5.qp.h");
	cache_strv_free(ids, n);
	ck_assert_int_eq(a->ops->search(a, &f, "caf\xc3\xa9", &ids, &n, &err),
	    0);
	ck_assert_uint_eq(n, 1);
	cache_strv_free(ids, n);
	/* Headers too (Subject: three, From: Ann in all three). */
	ck_assert_int_eq(a->ops->search(a, &f, "THREE", &ids, &n, &err), 0);
	ck_assert_uint_eq(n, 1);
	ck_assert_str_eq(ids[0], "3.c.h,S=99");
	cache_strv_free(ids, n);
	ck_assert_int_eq(a->ops->search(a, &f, "ann@example", &ids, &n, &err),
	    0);
	ck_assert_uint_eq(n, 3);
	cache_strv_free(ids, n);
	ck_assert_int_eq(a->ops->search(a, &f, "nowhere at all", &ids, &n,
	    &err), 0);
	ck_assert_uint_eq(n, 0);
	cache_strv_free(ids, n);
	cache_folder_fini(&f);
	t_close(a);
}
END_TEST

/* Deliver a file into new/ from a child after ms milliseconds. */
static pid_t
t_deliver_later(int ms, const char *name)
{
	struct timespec	 ts = { ms / 1000, (ms % 1000) * 1000000L };
	char		*tmp, *dst;
	pid_t		 pid;
	FILE		*f;

	if ((pid = fork()) != 0)
		return pid;
	nanosleep(&ts, NULL);
	tmp = xasprintf("%s/tmp/%s", t_root, name);
	dst = xasprintf("%s/new/%s", t_root, name);
	if ((f = fopen(tmp, "w")) == NULL)
		_exit(1);
	fputs("Subject: delivered\n\nhi\n", f);
	fclose(f);
	_exit(rename(tmp, dst) == 0 ? 0 : 1);
}

/* Milliseconds on the monotonic clock. */
static long long
t_now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

START_TEST(test_wait_changes)
{
	struct account		*a;
	struct cache_folder	 f;
	struct cache_msg	 m;
	struct error		 err;
	long long		 t0;
	int			 cmd[2], wake[2], st, rc;
	pid_t			 pid;

	t_fill();
	ck_assert_int_eq(pipe(cmd), 0);
	ck_assert_int_eq(pipe(wake), 0);
	a = t_open();
	a->wake_fd = wake[0];
	ck_assert(a->caps & DRIVER_CAP_IDLE);
	t_sync(a, "INBOX");
	t_get_folder(a, "INBOX", &f);
	/* First wait: the watch is new, nothing changed: the timeout. */
	t0 = t_now();
	ck_assert_int_eq(a->ops->wait_changes(a, &f, t_cache, cmd[0], 300,
	    &err), 0);
	ck_assert_int_ge(t_now() - t0, 250);
	/* A delivery by another program is seen at once. */
	pid = t_deliver_later(200, "10.new.h");
	t0 = t_now();
	rc = a->ops->wait_changes(a, &f, t_cache, cmd[0], 5000, &err);
	ck_assert_msg(rc == 1, "rc %d: %s", rc, err.msg);
	ck_assert_int_lt(t_now() - t0, 2000);
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert_int_eq(t_row(a, "INBOX", "10.new.h", &m), 0);
	ck_assert_str_eq(m.subject, "delivered");
	cache_msg_fini(&m);
	/* Our own renames cause events, but no change: keep waiting. */
	ck_assert_int_eq(t_flags(a, "INBOX", "10.new.h", CACHE_FLAG_SEEN, 0,
	    &err), 0);
	ck_assert_int_eq(a->ops->wait_changes(a, &f, t_cache, cmd[0], 400,
	    &err), 0);
	/* A command waiting: return 0 at once. */
	ck_assert_int_eq(write(cmd[1], "x", 1), 1);
	t0 = t_now();
	ck_assert_int_eq(a->ops->wait_changes(a, &f, t_cache, cmd[0], 5000,
	    &err), 0);
	ck_assert_int_lt(t_now() - t0, 1000);
	/* The wake fd cancels. */
	close(cmd[1]);
	close(cmd[0]);
	ck_assert_int_eq(write(wake[1], "x", 1), 1);
	ck_assert_int_eq(a->ops->wait_changes(a, &f, t_cache, -1, 5000, &err),
	    -1);
	ck_assert_int_eq(err.code, ERR_CANCELLED);
	close(wake[0]);
	close(wake[1]);
	cache_folder_fini(&f);
	t_close(a);
}
END_TEST

START_TEST(test_wait_no_dirs)
{
	struct account		*a;
	struct cache_folder	 f;
	struct cache_msg	 m;
	struct error		 err;
	long long		 t0;
	char			*p;
	int			 st, rc = 0, calls = 0;
	pid_t			 pid;

	/* INBOX without new/ and cur/ yet: its directory is watched. */
	p = xasprintf("%s/new", t_root);
	ck_assert_int_eq(rmdir(p), 0);
	free(p);
	p = xasprintf("%s/cur", t_root);
	ck_assert_int_eq(rmdir(p), 0);
	free(p);
	a = t_open();
	t_sync(a, "INBOX");
	t_get_folder(a, "INBOX", &f);
	if ((pid = fork()) == 0) {
		struct timespec ts = { 0, 200000000L };

		nanosleep(&ts, NULL);
		p = xasprintf("%s/new", t_root);
		if (mkdir(p, 0700) == -1)
			_exit(1);
		_exit(t_deliver_later(0, "11.late.h") > 0 ? 0 : 1);
	}
	/* A change of the directory ends a provisional wait; then new/. */
	t0 = t_now();
	while (rc != 1 && t_now() - t0 < 3000 && calls++ < 5)
		rc = a->ops->wait_changes(a, &f, t_cache, -1, 3000, &err);
	ck_assert_msg(rc == 1, "rc %d after %d calls: %s", rc, calls, err.msg);
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	while (waitpid(-1, &st, 0) > 0)
		;
	ck_assert_int_eq(t_row(a, "INBOX", "11.late.h", &m), 0);
	cache_msg_fini(&m);
	cache_folder_fini(&f);
	t_close(a);
}
END_TEST

/* The suite. */
static Suite *
maildir_suite(void)
{
	Suite	*s = suite_create("maildir");
	TCase	*tc = tcase_create("driver");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_sync);
	tcase_add_test(tc, test_sync_read_only);
	tcase_add_test(tc, test_sync_incremental);
	tcase_add_test(tc, test_store_flags);
	tcase_add_test(tc, test_rename_race);
	tcase_add_test(tc, test_expunge);
	tcase_add_test(tc, test_copy_move_append);
	tcase_add_test(tc, test_folders);
	tcase_add_test(tc, test_fetch);
	tcase_add_test(tc, test_fifo_and_junk);
	tcase_add_test(tc, test_search);
	tcase_add_test(tc, test_wait_changes);
	tcase_add_test(tc, test_wait_no_dirs);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr;
	int	 failed;

	sr = srunner_create(maildir_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
