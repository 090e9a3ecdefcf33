/*
 * test_imap_fixture.c - cache and account helpers for IMAP transcript
 * tests (see test_imap_fixture.h).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "test_imap_fixture.h"
#include "test_imap_mock.h"
#include "util/xmalloc.h"

struct cache		*fx_cache;
struct config_account	 fx_cfg;

static char		 fx_dir[64];
static char		*fx_path;

/* A fresh cache and a plain-text account. */
void
fx_setup(void)
{
	struct error	 err;

	snprintf(fx_dir, sizeof fx_dir, "/tmp/test_imap_fx.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(fx_dir));
	fx_path = xasprintf("%s/cache.db", fx_dir);
	fx_cache = cache_open(fx_path, &err);
	ck_assert_msg(fx_cache != NULL, "%s", err.msg);
	memset(&fx_cfg, 0, sizeof fx_cfg);
	fx_cfg.name = (char *)"test";
	fx_cfg.driver = (char *)"imap";
	fx_cfg.host = (char *)"mock.example";
	fx_cfg.port = (char *)"143";
	fx_cfg.user = (char *)"user";
	fx_cfg.password = (char *)"pass";
	fx_cfg.security = CONFIG_SEC_NONE;
	fx_cfg.allow_plaintext_auth = true;
	fx_cfg.timeout_ms = 1000;
}

/* Close and remove the cache. */
void
fx_teardown(void)
{
	static const char *const sfx[] = { "", "-wal", "-shm" };
	char	*p;

	cache_close(fx_cache);
	for (size_t i = 0; i < 3; i++) {
		p = xasprintf("%s%s", fx_path, sfx[i]);
		unlink(p);
		free(p);
	}
	rmdir(fx_dir);
	free(fx_path);
}

/* Make and open the account on a script. */
struct account *
fx_open(const char *const *script)
{
	struct account	*a;
	struct error	 err;

	mock_start(script, 0);
	a = imap_driver_ops.new(&fx_cfg, &err);
	ck_assert_ptr_nonnull(a);
	a->ops = &imap_driver_ops;
	a->cfg = &fx_cfg;
	a->wake_fd = -1;
	ck_assert_int_eq(cache_account_id(fx_cache, "test", &a->cache_id,
	    &err), 0);
	ck_assert_msg(imap_driver_ops.open(a, &err) == 0, "%s", err.msg);
	return a;
}

/* Close and free the account. */
void
fx_close(struct account *a)
{
	imap_driver_ops.close(a);
	imap_driver_ops.free(a);
}

/* Get a folder by remote name, asserting it exists. */
void
fx_folder(const char *remote, struct cache_folder *f)
{
	struct error	 err;
	int64_t		 acct;

	ck_assert_int_eq(cache_account_id(fx_cache, "test", &acct, &err), 0);
	ck_assert_int_eq(cache_folder_find(fx_cache, acct, remote, f, &err),
	    0);
}

/* Put a folder into the cache directly. */
int64_t
fx_add_folder(const char *remote)
{
	struct error	 err;
	int64_t		 acct, id;

	ck_assert_int_eq(cache_account_id(fx_cache, "test", &acct, &err), 0);
	ck_assert_int_eq(cache_folder_put(fx_cache, acct, remote, NULL, '/',
	    0, &id, &err), 0);
	return id;
}

/* The cached messages of a folder. */
size_t
fx_messages(int64_t folder_id, struct cache_msg **m)
{
	struct error	 err;
	size_t		 n;

	ck_assert_int_eq(cache_msg_page(fx_cache, folder_id, 0, 100000, m,
	    &n, &err), 0);
	return n;
}

/* Compare two numeric strings. */
static int
fx_numcmp(const void *a, const void *b)
{
	long	 x = strtol(*(char *const *)a, NULL, 10);
	long	 y = strtol(*(char *const *)b, NULL, 10);

	return (x > y) - (x < y);
}

/* The remote ids of a folder, sorted, comma-separated. */
const char *
fx_uids(int64_t folder_id)
{
	static char	 out[4096];
	struct error	 err;
	char		**ids;
	size_t		 n, len = 0;

	ck_assert_int_eq(cache_msg_remote_ids(fx_cache, folder_id, &ids, &n,
	    &err), 0);
	if (n > 0)
		qsort(ids, n, sizeof *ids, fx_numcmp);
	out[0] = '\0';
	for (size_t i = 0; i < n && len < sizeof out - 16; i++)
		len += (size_t)snprintf(out + len, sizeof out - len, "%s%s",
		    i ? "," : "", ids[i]);
	cache_strv_free(ids, n);
	return out;
}

/* The folder's sync state. */
const char *
fx_state(int64_t folder_id)
{
	static char	 out[256];
	struct error	 err;
	char		*st = NULL;

	ck_assert_int_eq(cache_folder_get_state(fx_cache, folder_id, &st,
	    &err), 0);
	snprintf(out, sizeof out, "%s", st != NULL ? st : "");
	free(st);
	return out;
}

/* What the client sent. */
const char *
fx_sent(void)
{
	return buf_str(&mock.sent);
}

/* The cache file's path. */
const char *
fx_cache_path(void)
{
	return fx_path;
}
