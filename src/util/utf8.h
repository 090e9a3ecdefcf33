/*
 * utf8.h - the one strict UTF-8 decoder (RFC 3629) that petrel uses.
 *
 * Overlong forms, surrogates and values past U+10FFFF are invalid.  On
 * invalid input the decoder consumes the maximal invalid subpart (as
 * Unicode's "U+FFFD substitution of maximal subparts" practice says), so
 * callers that print one U+FFFD per call agree with each other.
 */
#ifndef PETREL_UTF8_H
#define PETREL_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* What utf8_decode stores for an invalid sequence. */
#define UTF8_BAD	UINT32_C(0xFFFFFFFF)

/* Decode one character from p (len > 0); returns the bytes used. */
size_t	 utf8_decode(const unsigned char *p, size_t len, uint32_t *cp);

#endif
