/*
 * mime_int.h - internals shared by the files of src/mime/ (not a public API).
 *
 * Everything here is pure, like mime.h: slices of untrusted bytes in,
 * bounded buffers or new strings out.  Nothing outside src/mime/ and its
 * unit tests may include this header.
 */
#ifndef PETREL_MIME_INT_H
#define PETREL_MIME_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"
#include "util/utf8.h"

/* How deep multiparts and message/rfc822 may nest, and how many parts. */
#define MIME_DEPTH_MAX		32
#define MIME_PARTS_MAX		512

/* Longest charset name we look at; longer ones are unknown. */
#define MIME_CHARSET_NAME_MAX	64

/* mime_charset_convert: the charset is not known (nothing appended). */
#define MIME_CHARSET_UNKNOWN	(-2)


/* qp.c */
int	 mime_hex_value(char);

/* charset.c */
bool	 mime_utf8_valid(const char *, size_t);
int	 mime_utf8_put(struct buf *, uint32_t);
int	 mime_utf8_append_valid(struct buf *, const char *, size_t);
int	 mime_charset_convert(const char *, size_t, const char *, size_t,
	     struct buf *);
int	 mime_charset_guess(const char *, size_t, struct buf *);

/* header.c */
size_t	 mime_header_field(const char *, size_t, size_t *name_len);
size_t	 mime_header_end(const char *, size_t, size_t *);
bool	 mime_header_find(const char *, size_t, const char *, const char **,
	     size_t *);
char	*mime_header_unfold(const char *, size_t);

/* param.c: a Content-Type split into lower-case type and subtype. */
struct mime_ctype {
	char	type[32];
	char	subtype[64];
};
bool	 mime_ctype_parse(const char *, size_t, struct mime_ctype *);
char	*mime_param_get(const char *, size_t, const char *);

/* html.c */
int	 mime_html_to_text(const char *, size_t, struct buf *);

#endif
