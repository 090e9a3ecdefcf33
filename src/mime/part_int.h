/*
 * part_int.h - internals shared by part.c and part_fields.c (not a public
 * API; only src/mime/ and its unit tests include it).
 */
#ifndef PETREL_MIME_PART_INT_H
#define PETREL_MIME_PART_INT_H

#include <stdbool.h>

#include "mime/part.h"

/*
 * Read the fields of part p from its header block: type and subtype (with
 * the defaults: text/plain, or message/rfc822 when digest), charset,
 * disposition, filename, transfer encoding.  *boundary gets the boundary
 * parameter of a multipart (new string) or NULL.
 */
void	 mime_part_fields(struct mime_part *p, bool digest, char **boundary);

#endif
