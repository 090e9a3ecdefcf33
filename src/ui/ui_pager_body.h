/*
 * ui_pager_body.h - which part of a message the pager shows, and its text.
 *
 * The part comes from the MIME part tree (mime/part.h).  Its text is
 * decoded (transfer encoding, charset to UTF-8), has CRLF turned into LF,
 * format=flowed undone (RFC 3676) and text/html rendered by html_command
 * (or the internal tag stripper).  No curses; the renderer runs through
 * ui_pager_cmd.h, bounded in time and output, on the calling (UI) thread.
 * The text is NOT sanitised: the pager does that to all it shows.
 */
#ifndef PETREL_UI_PAGER_BODY_H
#define PETREL_UI_PAGER_BODY_H

#include <stdbool.h>
#include <stddef.h>

#include "core/config.h"
#include "mime/part.h"
#include "util/buf.h"

/*
 * The part to show of the entity at index root (0: the message; a
 * message/rfc822 part's inner message: its index + 1), among root and its
 * descendants: in each multipart/alternative only the last
 * alternative holding text/plain (text/html with prefer_html; else the
 * other) counts (RFC 2046 section 5.1.4); then the first inline
 * text/plain, else the first inline text/html (the other way round with
 * prefer_html), else the same among attached or blank text parts and
 * other text subtypes.  MIME_PART_NONE when there is no text part.
 */
size_t	 ui_pager_body_choose(const struct mime_tree *, size_t root,
	     bool prefer_html);

/*
 * Append the display text of part i of the tree to out (at most
 * out->max; a cut text ends in a note), made as said above.  *note gets a
 * short English line about how it was made ("text/html rendered by w3m",
 * or why the renderer was not used), or NULL.  cfg may be NULL (the
 * defaults).
 */
void	 ui_pager_body_text(const struct config_pager *cfg,
	     const struct mime_tree *, size_t i, struct buf *out,
	     char **note);

/*
 * The renderer argv the config asks for, or the default one found in
 * $PATH (w3m, else lynx); NULL means the internal stripper.  *name gets
 * the program's name for notes.  The array is static or the config's.
 */
char *const *ui_pager_body_renderer(const struct config_pager *cfg,
	     const char **name);

#endif
