/*
 * test_pop3_fixture.h - a fresh cache and a POP3 account on the scripted
 * server (test_pop3_mock.c), shared by the POP3 driver tests, and the
 * pieces of server script they have in common.
 */
#ifndef PETREL_TEST_POP3_FIXTURE_H
#define PETREL_TEST_POP3_FIXTURE_H

#include "cache/cache.h"
#include "core/account.h"

extern struct cache		*fx_cache;
extern struct config_account	 fx_cfg;

/* Check fixture: a temporary cache and a plain-text account config. */
void		 fx_setup(void);
void		 fx_teardown(void);
/* Make the account and open it on a script (greeting, login). */
struct account	*fx_open(const char *const *script);
void		 fx_close(struct account *);
/* List the folders and get INBOX. */
void		 fx_inbox(struct account *, struct cache_folder *);
/* Sync INBOX, asserting success. */
void		 fx_sync(struct account *, const struct cache_folder *);
/* The remote ids of a folder in display order, "a,b,c" (static). */
const char	*fx_ids(int64_t folder_id);
/* One cached message (asserts it exists). */
void		 fx_msg(int64_t folder_id, const char *id, struct cache_msg *);
/* A message's cached body (caller frees), or NULL. */
char		*fx_body(int64_t folder_id, const char *id);
/* The folder's sync state, "" if none (static). */
const char	*fx_state(int64_t folder_id);

#define GREET		"+OK POP3 ready\r\n"
#define CAPA1		"+OK\r\nTOP\r\nUIDL\r\nUSER\r\n.\r\n"
#define CAPA_PIPE	"+OK\r\nTOP\r\nUIDL\r\nPIPELINING\r\n.\r\n"
#define CAPA_NOPIPE	"+OK\r\nTOP\r\nUIDL\r\n.\r\n"
/* Greeting, CAPA, USER, PASS, CAPA: five packets. */
#define LOGIN		GREET, CAPA1, "+OK\r\n", "+OK\r\n", CAPA_PIPE
#define LOGIN_NOPIPE	GREET, CAPA1, "+OK\r\n", "+OK\r\n", CAPA_NOPIPE
#define LOGIN_PACKETS	5
#define SENT_LOGIN	"CAPA\r\nUSER user\r\nPASS pass\r\nCAPA\r\n"

/* Message n's header block, dated day n of February 2021. */
#define HDR(n, day)	"Date: Mon, " #day " Feb 2021 10:00:00 +0000\r\n" \
			"From: Sender " #n " <s" #n "@example.org>\r\n" \
			"Subject: message " #n "\r\n\r\n"
#define TOP(n, day)	"+OK\r\n" HDR(n, day) ".\r\n"
#define UIDL3		"+OK\r\n1 u-a\r\n2 u-b\r\n3 u-c\r\n.\r\n"
#define LIST3		"+OK 3 messages\r\n1 100\r\n2 200\r\n3 300\r\n.\r\n"

#endif
