/*
 * test_imap_fixture.h - a fresh cache and an IMAP account on the mock
 * stream, shared by the IMAP transcript tests (sync, operations).
 */
#ifndef PETREL_TEST_IMAP_FIXTURE_H
#define PETREL_TEST_IMAP_FIXTURE_H

#include "cache/cache.h"
#include "core/account.h"

extern struct cache		*fx_cache;
extern struct config_account	 fx_cfg;

/* Check fixture: a temporary cache and a plain-text account config. */
void		 fx_setup(void);
void		 fx_teardown(void);
/* Make and open the account on a script (greeting + login included). */
struct account	*fx_open(const char *const *script);
void		 fx_close(struct account *);
/* The folder with this remote name (asserts it exists). */
void		 fx_folder(const char *remote, struct cache_folder *);
/* Put a folder into the cache without the server (name = remote). */
int64_t		 fx_add_folder(const char *remote);
/* The cached messages of a folder in display order; caller frees. */
size_t		 fx_messages(int64_t folder_id, struct cache_msg **);
/* The remote ids of a folder, sorted numerically, as "4,9,12". */
const char	*fx_uids(int64_t folder_id);
/* The folder's sync state (static buffer; "" if none). */
const char	*fx_state(int64_t folder_id);
/* The cache file's path (for a second connection). */
const char	*fx_cache_path(void);
/* What the client sent, as a C string. */
const char	*fx_sent(void);

#endif
