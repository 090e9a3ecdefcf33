/*
 * compose_subject.c - the Subject of a reply ("Re: ") or a forward
 * ("Fwd: "), never stacking prefixes.
 *
 * The original subject is decoded first (RFC 2047, so an encoded "Re:"
 * counts) and cleaned (compose_clean_line).  Then every leading prefix of
 * the same kind goes, as NeoMutt's default $reply_regex strips them: a
 * word of the kind's list in any case, an optional counter ("Re[2]:",
 * "Re(2):"), blanks, a colon ("Re :" as French mailers write it).  The
 * result is the one canonical prefix and what is left: "RE: Re[3]: x"
 * becomes "Re: x".  A prefix of the other kind stays: a reply to
 * "Fwd: x" is "Re: Fwd: x".  RFC 5322 section 3.6.5 suggests "Re: " and
 * no more.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "compose/compose.h"
#include "compose/compose_int.h"
#include "mime/mime.h"
#include "util/xmalloc.h"

/* The prefixes of replies ("Aw": German Antwort, "Sv": Scandinavian
 * svar) and of forwards. */
static const char *const compose_re_words[] = { "re", "aw", "sv", NULL };
static const char *const compose_fwd_words[] = { "fwd", "fw", NULL };

/* The length of a prefix (word, counter, blanks, colon, blanks) at s, or
 * 0 if there is none. */
static size_t
compose_subject_prefix(const char *s, const char *const *words)
{
	size_t	i, n = 0, w;
	char	close;

	for (w = 0; words[w] != NULL; w++) {
		n = strlen(words[w]);
		if (strncasecmp(s, words[w], n) == 0)
			break;
	}
	if (words[w] == NULL)
		return 0;
	i = n;
	if (s[i] == '[' || s[i] == '(') {
		close = s[i] == '[' ? ']' : ')';
		for (n = ++i; s[i] >= '0' && s[i] <= '9'; i++)
			;
		if (i == n || s[i] != close)
			return 0;
		i++;
	}
	while (s[i] == ' ')
		i++;
	if (s[i] != ':')
		return 0;
	for (i++; s[i] == ' '; i++)
		;
	return i;
}

/* Skip the leading reply (or forward) prefixes of a clean subject. */
const char *
compose_subject_strip(const char *s, bool reply)
{
	const char *const	*words = reply ? compose_re_words :
				    compose_fwd_words;
	size_t			 n;

	while (*s == ' ')
		s++;
	while ((n = compose_subject_prefix(s, words)) > 0)
		s += n;
	return s;
}

/* The subject of a reply or forward made from the raw Subject: value of
 * the original (NULL: none); NULL for a new message. */
char *
compose_subject_make(const char *raw, enum compose_kind kind)
{
	const char	*prefix, *rest;
	char		*dec, *clean = NULL, *s;
	bool		 reply;

	if (kind == COMPOSE_NEW)
		return NULL;
	reply = kind == COMPOSE_REPLY || kind == COMPOSE_REPLY_ALL;
	prefix = reply ? "Re:" : "Fwd:";
	if (raw != NULL) {
		dec = mime_rfc2047_decode(raw, strlen(raw));
		clean = compose_clean_line(dec, strlen(dec));
		free(dec);
	}
	rest = clean != NULL ? compose_subject_strip(clean, reply) : "";
	if (*rest == '\0')
		s = xstrdup(prefix);
	else
		s = xasprintf("%s %s", prefix, rest);
	free(clean);
	return s;
}
