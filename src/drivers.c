/*
 * drivers.c - the account drivers this petrel is built with, and its
 * sender (the outbox's SMTP / sendmail_command side).
 *
 * Part of the program's wiring rather than of src/core: drivers use core
 * (config, account wrappers), so core must not name them.
 */
#include <string.h>

#include "core/account.h"
#include "send/outbox.h"

static const struct driver_ops *const drivers[] = {
	&imap_driver_ops,
	&pop3_driver_ops,
	&maildir_driver_ops,
	&mbox_driver_ops,
};

/* The driver registered under name, or NULL. */
const struct driver_ops *
driver_find(const char *name)
{
	size_t	i;

	for (i = 0; i < sizeof drivers / sizeof *drivers; i++) {
		if (strcmp(drivers[i]->name, name) == 0)
			return drivers[i];
	}
	return NULL;
}

static const struct sender_ops sender = {
	outbox_send,
	outbox_save_sent,
	outbox_save_draft,
};

/* The outbox's sender. */
const struct sender_ops *
sender_find(void)
{
	return &sender;
}
