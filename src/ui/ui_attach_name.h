/*
 * ui_attach_name.h - a safe file name from an attachment's filename.
 *
 * The filename comes from the message (RFC 2231 / RFC 2047 decoded) and is
 * attacker-controlled.  The rule, applied in this order:
 *   1. only what follows the last '/' or '\' is kept ("../../.bashrc" and
 *      "C:\x\.bashrc" keep ".bashrc");
 *   2. control characters (C0, DEL, C1), Unicode bidi controls, line and
 *      paragraph separators, U+FEFF and invalid UTF-8 become '_';
 *   3. blanks at either end are dropped;
 *   4. a name starting with '.' or '-' gets a '_' in front (".bashrc"
 *      becomes "_.bashrc": never a hidden file, never an option);
 *   5. the name is cut to UI_ATTACH_NAME_MAX bytes at a character
 *      boundary, keeping an extension of up to 16 bytes;
 *   6. an empty name, or one of only dots, is replaced by the fallback.
 * The result never holds '/', NUL or a control character, never starts
 * with '.' or '-', and is never empty.  Pure: no I/O.
 */
#ifndef PETREL_UI_ATTACH_NAME_H
#define PETREL_UI_ATTACH_NAME_H

#include <stddef.h>

/* Longest safe name, in bytes (NAME_MAX is 255 on Linux). */
#define UI_ATTACH_NAME_MAX	200

/*
 * The safe form of name (may be NULL) by the rule above; fallback (a safe
 * name itself, such as "part-1.2") replaces an empty result.  New string.
 */
char	*ui_attach_safe_name(const char *name, const char *fallback);

/*
 * The n-th alternative of a safe name for when it exists already:
 * "a.pdf" gives "a-1.pdf", "a-2.pdf" ... (n >= 1); still a safe name.
 * New string.
 */
char	*ui_attach_alt_name(const char *name, unsigned n);

#endif
