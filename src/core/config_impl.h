/*
 * config_impl.h - the configuration reader's state and value parsers,
 * shared by config.c (sections, accounts) and config_net.c (connection
 * settings: TLS, proxies, authentication).
 */
#ifndef PETREL_CONFIG_IMPL_H
#define PETREL_CONFIG_IMPL_H

#include <stdbool.h>

#include "core/config.h"

struct config_reader {
	const char		*name;	/* file name for messages */
	const char		*pos;	/* next unread byte of the text */
	const char		*end;
	int			 line;	/* line number of the last line read */
	struct config		*cfg;
	struct config_account	*acct;	/* [account] being read, or NULL */
	struct config_proxy	*proxy;	/* [proxy] being read, or NULL */
	bool			 in_general;
	char			*section;	/* last section name seen */
	struct error		*err;
	bool			 failed;
};

/* Record the first error at the current line; returns 0. */
int	 config_fail(struct config_reader *, const char *, ...)
	     __attribute__((format(printf, 2, 3)));
/* Value parsers: 0 ok, -1 malformed. */
int	 config_bool(const char *, bool *);
int	 config_seconds(const char *, int *ms);
int	 config_port(const char *);
/* Set a string once (a second assignment or an empty value fails). */
int	 config_set_str(struct config_reader *, char **, const char *key,
	     const char *value);

/* config_net.c */
/* A tls_ key (name without any smtp_ prefix): 1, 0 failed, -1 not one. */
int	 config_net_tls_key(struct config_reader *, struct config_tls *,
	     const char *key, const char *value);
/* Free a TLS settings' strings but ca_file (an account's is shared). */
void	 config_net_tls_fini(struct config_tls *);
/* A connection key of an [account]: 1 handled, 0 failed, -1 not ours. */
int	 config_net_account_key(struct config_reader *,
	     struct config_account *, const char *key, const char *value);
/* Start a [proxy NAME] section; a key in one. */
int	 config_net_proxy_section(struct config_reader *, const char *name);
int	 config_net_proxy_key(struct config_reader *, struct config_proxy *,
	     const char *key, const char *value);
/* After parsing: resolve proxies, check TLS settings. */
int	 config_net_check(struct config_reader *);
/* config_store.c: keys of local stores and of POP3; -1 if not one. */
int	 config_store_account_key(struct config_reader *,
	     struct config_account *, const char *key, const char *v);
int	 config_store_check(struct config_reader *, struct config_account *);
void	 config_net_account_fini(struct config_account *);
/* config_send.c: sending keys of an [account]; -1 if not one. */
int	 config_send_account_key(struct config_reader *,
	     struct config_account *, const char *key, const char *v);
int	 config_send_check(struct config_reader *, struct config_account *);
void	 config_send_fini(struct config_send *);
void	 config_net_proxies_free(struct config *);

#endif
