/*
 * ui_pager_addr.h - showing addresses so that a display name cannot pass
 * for an address it is not.
 *
 * A display name that itself holds an address other than the mailbox's
 * real one ("support@bank.com" <attacker@evil.example>) is spoofed: the
 * pager and the message list show both, marked UI_ADDR_MARK.  Pure: no
 * curses, no I/O; results are UTF-8 but NOT sanitised (callers sanitise
 * what they draw).
 */
#ifndef PETREL_UI_PAGER_ADDR_H
#define PETREL_UI_PAGER_ADDR_H

#include <stdbool.h>
#include <stddef.h>

#include "mime/address.h"

/* The mark after a spoofed mailbox. */
#define UI_ADDR_MARK	"[!]"
/* Longest line ui_pager_addr_line makes (more is cut, at a character). */
#define UI_ADDR_LINE_MAX	(64 * 1024)

/*
 * Whether name holds an address (local@domain.tld; '@' may be any of
 * U+0040, U+FF20 FULLWIDTH or U+FE6B SMALL COMMERCIAL AT) that differs,
 * ignoring ASCII case, from addr.  A name holding only addr itself, or no
 * address, is not spoofed; with addr NULL any address in the name is.
 */
bool	 ui_pager_addr_spoofed(const char *name, const char *addr);

/*
 * An address list as the pager shows it: "Name <a@b>, c@d", group names
 * as "Team: ...;", each spoofed mailbox written "\"name\" <addr> [!]".
 * *spoofed (may be NULL) tells whether any was.  NULL for an empty list.
 * New string.
 */
char	*ui_pager_addr_line(const struct mime_address_list *, bool *spoofed);

/*
 * The message list's From column: the name (or the address when there is
 * no name), or for a spoofed name "[!] addr (name)".  New string.
 */
char	*ui_pager_addr_from(const char *name, const char *addr);

#endif
