/*
 * config_pin.h - pinning an account's server certificate in the config
 * file, when the user says so after a failed verification.
 *
 * The file is changed by one inserted line, "tls_fingerprint = sha256:...",
 * right after the account's "[account NAME]" header; every other byte stays
 * as it was.  The new file is written next to the old one and renamed over
 * it (a symlink's target is replaced, not the link), with the old mode.
 */
#ifndef PETREL_CONFIG_PIN_H
#define PETREL_CONFIG_PIN_H

#include <stddef.h>

#include "util/error.h"

/* Largest config file that is rewritten. */
#define CONFIG_PIN_MAX_FILE	(1024 * 1024)

/*
 * The config text with the pin inserted for account (caller frees), its
 * length in *out_len; NULL with err set when the account has no section,
 * already has a tls_fingerprint, or fingerprint is not "sha256:" and 64
 * hex digits (colons allowed).  Pure: no I/O.
 */
char	*config_pin_insert(const char *text, size_t len, const char *account,
	     const char *fingerprint, size_t *out_len, struct error *);

/* Insert the pin into the config file at path (see config_pin_insert). */
int	 config_pin_write(const char *path, const char *account,
	     const char *fingerprint, struct error *);

/*
 * From a certificate verification error ("...certificate verification
 * failed: REASON (server certificate sha256:...)"), the fingerprint and
 * the reason (caller frees both); -1 when msg is not one.  Pure.
 */
int	 config_pin_parse_error(const char *msg, char **fingerprint,
	     char **reason);

#endif
