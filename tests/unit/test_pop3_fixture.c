/*
 * test_pop3_fixture.c - cache and account helpers for the POP3 driver
 * tests (see test_pop3_fixture.h).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "net/pop3_driver.h"
#include "test_pop3_fixture.h"
#include "test_pop3_mock.h"
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

	snprintf(fx_dir, sizeof fx_dir, "/tmp/test_pop3.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(fx_dir));
	fx_path = xasprintf("%s/cache.db", fx_dir);
	fx_cache = cache_open(fx_path, &err);
	ck_assert_msg(fx_cache != NULL, "%s", err.msg);
	memset(&fx_cfg, 0, sizeof fx_cfg);
	fx_cfg.name = (char *)"test";
	fx_cfg.driver = (char *)"pop3";
	fx_cfg.host = (char *)"mock.example";
	fx_cfg.port = (char *)"110";
	fx_cfg.user = (char *)"user";
	fx_cfg.password = (char *)"pass";
	fx_cfg.security = CONFIG_SEC_NONE;
	fx_cfg.allow_plaintext_auth = true;
	fx_cfg.timeout_ms = 2000;
	fx_cfg.leave_days = -1;
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

/* Make the account and open it on a script. */
struct account *
fx_open(const char *const *script)
{
	struct account	*a;
	struct error	 err;

	mock_start(script, 0);
	a = pop3_driver_ops.new(&fx_cfg, &err);
	ck_assert_ptr_nonnull(a);
	a->ops = &pop3_driver_ops;
	a->cfg = &fx_cfg;
	a->wake_fd = -1;
	ck_assert_int_eq(cache_account_id(fx_cache, "test", &a->cache_id, &err),
	    0);
	ck_assert_msg(pop3_driver_ops.open(a, &err) == 0, "%s", err.msg);
	return a;
}

/* Close and free the account. */
void
fx_close(struct account *a)
{
	pop3_driver_ops.close(a);
	pop3_driver_ops.free(a);
}

/* List the folders and get INBOX. */
void
fx_inbox(struct account *a, struct cache_folder *f)
{
	struct error	 err;

	ck_assert_msg(pop3_driver_ops.list_folders(a, fx_cache, &err) == 0, "%s",
	    err.msg);
	ck_assert_int_eq(cache_folder_find(fx_cache, a->cache_id, "INBOX", f,
	    &err), 0);
}

/* Sync INBOX, asserting success. */
void
fx_sync(struct account *a, const struct cache_folder *f)
{
	struct error	 err;

	ck_assert_msg(pop3_driver_ops.sync_folder(a, f, fx_cache, &err) == 0,
	    "%s", err.msg);
}

/* The remote ids of a folder in display order, as "a,b,c". */
const char *
fx_ids(int64_t folder_id)
{
	static char		 out[1024];
	struct cache_msg	*m;
	struct error		 err;
	size_t			 n, len = 0;

	ck_assert_int_eq(cache_msg_page(fx_cache, folder_id, 0, 1000, &m, &n,
	    &err), 0);
	out[0] = '\0';
	for (size_t i = 0; i < n; i++)
		len += (size_t)snprintf(out + len, sizeof out - len, "%s%s",
		    i > 0 ? "," : "", m[i].remote_id);
	cache_msg_list_free(m, n);
	return out;
}

/* One cached message (asserts it exists). */
void
fx_msg(int64_t folder_id, const char *id, struct cache_msg *m)
{
	struct error	 err;

	ck_assert_msg(cache_msg_find(fx_cache, folder_id, id, m, &err) == 0,
	    "no message %s", id);
}

/* A message's cached body, or NULL. */
char *
fx_body(int64_t folder_id, const char *id)
{
	struct cache_msg	 m;
	struct error		 err;
	char			*raw = NULL;
	size_t			 len;

	fx_msg(folder_id, id, &m);
	if (cache_body_get(fx_cache, m.id, &raw, &len, &err) != 0)
		raw = NULL;
	cache_msg_fini(&m);
	return raw;
}

/* The folder's sync state ("" if none). */
const char *
fx_state(int64_t folder_id)
{
	static char	 out[4096];
	struct error	 err;
	char		*s = NULL;

	ck_assert_int_eq(cache_folder_get_state(fx_cache, folder_id, &s, &err),
	    0);
	snprintf(out, sizeof out, "%s", s != NULL ? s : "");
	free(s);
	return out;
}
