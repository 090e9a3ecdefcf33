/*
 * date.c - RFC 5322 date-time (section 3.3) to seconds since the epoch.
 *
 * Reads the obsolete forms of section 4.3 too: comments and folding
 * anywhere, two-digit years (< 50 is 20xx, else 19xx) and three-digit ones
 * (+ 1900), missing seconds, alphabetic zones (UT, GMT, the US zones; the
 * military letters count as +0000 as the section says).  Also accepted, as
 * real mail has them: no day name or no comma, full month names, a
 * missing zone (UTC), "+hh:mm" zones, and the asctime() order
 * "Mon Jan  2 15:04:05 2006".  No libc time functions: the result does
 * not depend on TZ or locale.
 */
#include <string.h>

#include "mime/mime.h"
#include "mime/mime_int.h"
#include "util/timeconv.h"

/* A cursor over the date text. */
struct mime_date_lex {
	const char	*s;
	size_t		 len;
	size_t		 off;
};

/* The broken-down date being read. */
struct mime_date {
	int64_t	year;
	int	mon, day, hour, min, sec;
	int	zone;		/* seconds east of UTC */
};

/* Skip blanks, folding and (nested) comments. */
static void
mime_date_cfws(struct mime_date_lex *lx)
{
	size_t	depth = 0;

	while (lx->off < lx->len) {
		char c = lx->s[lx->off];

		if (depth > 0 && c == '\\' && lx->off + 1 < lx->len)
			lx->off++;
		else if (c == '(')
			depth++;
		else if (c == ')' && depth > 0)
			depth--;
		else if (depth == 0 && c != ' ' && c != '\t' && c != '\r' &&
		    c != '\n')
			return;
		lx->off++;
	}
}

/* Read up to 9 digits; returns how many (0 if none). */
static int
mime_date_num(struct mime_date_lex *lx, int64_t *v)
{
	int	n = 0;

	mime_date_cfws(lx);
	*v = 0;
	while (lx->off < lx->len && n < 9 && lx->s[lx->off] >= '0' &&
	    lx->s[lx->off] <= '9') {
		*v = *v * 10 + (lx->s[lx->off++] - '0');
		n++;
	}
	return n;
}

/* Read a word of letters, lower-cased, into w (truncated); its length. */
static size_t
mime_date_word(struct mime_date_lex *lx, char *w, size_t size)
{
	size_t	n = 0;
	char	c;

	mime_date_cfws(lx);
	while (lx->off < lx->len) {
		c = lx->s[lx->off];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (c < 'a' || c > 'z')
			break;
		if (n + 1 < size)
			w[n] = c;
		n++;
		lx->off++;
	}
	w[n + 1 < size ? n : size - 1] = '\0';
	return n;
}

/* Skip one punctuation character c if it is next. */
static bool
mime_date_punct(struct mime_date_lex *lx, char c)
{
	mime_date_cfws(lx);
	if (lx->off < lx->len && lx->s[lx->off] == c) {
		lx->off++;
		return true;
	}
	return false;
}

/* The month (1-12) a word names by its first three letters, or 0. */
static int
mime_date_month(const char *w)
{
	static const char	 months[] = "janfebmaraprmayjunjulaugsepoctnovdec";
	size_t			 i;

	if (strlen(w) < 3)
		return 0;
	for (i = 0; i < 12; i++) {
		if (memcmp(w, months + 3 * i, 3) == 0)
			return (int)i + 1;
	}
	return 0;
}

/* Read "hh:mm[:ss]". */
static bool
mime_date_time(struct mime_date_lex *lx, struct mime_date *d)
{
	int64_t	v;

	if (mime_date_num(lx, &v) == 0 || v > 23)
		return false;
	d->hour = (int)v;
	if (!mime_date_punct(lx, ':') || mime_date_num(lx, &v) == 0 || v > 59)
		return false;
	d->min = (int)v;
	d->sec = 0;
	if (mime_date_punct(lx, ':')) {
		if (mime_date_num(lx, &v) == 0 || v > 60)
			return false;
		d->sec = (int)v;
	}
	return true;
}

/* Read the zone, if any: "+hhmm", "-hh:mm" or a name (section 4.3). */
static bool
mime_date_zone(struct mime_date_lex *lx, struct mime_date *d)
{
	static const struct {
		const char	*name;
		int		 hours;
	} names[] = {
		{ "ut", 0 }, { "utc", 0 }, { "gmt", 0 }, { "z", 0 },
		{ "est", -5 }, { "edt", -4 }, { "cst", -6 }, { "cdt", -5 },
		{ "mst", -7 }, { "mdt", -6 }, { "pst", -8 }, { "pdt", -7 },
	};
	char	w[8];
	int64_t	v, mm;
	int	n, sign;
	size_t	i;

	d->zone = 0;
	if (mime_date_punct(lx, '+') || (lx->off < lx->len &&
	    lx->s[lx->off] == '-' && mime_date_punct(lx, '-'))) {
		sign = lx->s[lx->off - 1] == '-' ? -1 : 1;
		n = mime_date_num(lx, &v);
		if (n == 2 && mime_date_punct(lx, ':') &&
		    mime_date_num(lx, &mm) == 2)
			v = v * 100 + mm;
		else if (n != 4)
			return false;
		if (v / 100 > 23 || v % 100 > 59)
			return false;
		d->zone = sign * (int)((v / 100) * 3600 + (v % 100) * 60);
		return true;
	}
	if (mime_date_word(lx, w, sizeof w) == 0)
		return true;	/* no zone: read as UTC */
	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		if (strcmp(w, names[i].name) == 0)
			d->zone = names[i].hours * 3600;
	}
	return true;		/* military and unknown zones: +0000 */
}

/* Whether day d exists in month m of year y. */
static bool
mime_date_valid(int64_t y, int m, int d)
{
	static const int	mdays[] = {
		31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};
	bool			leap;

	if (m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
		return false;
	leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return m != 2 || d <= 28 || leap;
}

/* Normalise a year as section 4.3 says. */
static int64_t
mime_date_year(int64_t y, int digits)
{
	if (digits <= 2)
		return y < 50 ? 2000 + y : 1900 + y;
	if (digits == 3)
		return 1900 + y;
	return y;
}

/* Read the date part in either order; the lexer ends after the time. */
static bool
mime_date_body(struct mime_date_lex *lx, struct mime_date *d)
{
	char	w[16];
	int64_t	v;
	int	n;
	size_t	save = lx->off;

	if (mime_date_word(lx, w, sizeof w) > 0 && mime_date_month(w) == 0) {
		mime_date_punct(lx, ',');	/* a day name */
		save = lx->off;
	} else
		lx->off = save;
	if (mime_date_word(lx, w, sizeof w) > 0) {
		/* asctime(): month day time year */
		if ((d->mon = mime_date_month(w)) == 0 ||
		    mime_date_num(lx, &v) == 0 || v > 31)
			return false;
		d->day = (int)v;
		if (!mime_date_time(lx, d) || (n = mime_date_num(lx, &v)) == 0)
			return false;
		d->year = mime_date_year(v, n);
		return true;
	}
	lx->off = save;
	if ((n = mime_date_num(lx, &v)) == 0 || n > 2)
		return false;
	d->day = (int)v;
	mime_date_punct(lx, '-');
	if (mime_date_word(lx, w, sizeof w) == 0 ||
	    (d->mon = mime_date_month(w)) == 0)
		return false;
	mime_date_punct(lx, '-');
	if ((n = mime_date_num(lx, &v)) == 0 || n > 4)
		return false;
	d->year = mime_date_year(v, n);
	return mime_date_time(lx, d);
}

/* Parse an RFC 5322 date; seconds since the epoch, or -1. */
int64_t
mime_parse_date(const char *s, size_t len)
{
	struct mime_date_lex	lx = { s, len, 0 };
	struct mime_date	d;

	if (s == NULL)
		return -1;
	memset(&d, 0, sizeof d);
	if (!mime_date_body(&lx, &d) || !mime_date_zone(&lx, &d))
		return -1;
	if (d.year < 1000 || d.year > 9999 ||
	    !mime_date_valid(d.year, d.mon, d.day))
		return -1;
	return timeconv_days_from_civil(d.year, d.mon, d.day) * 86400 +
	    d.hour * 3600 + d.min * 60 + d.sec - d.zone;
}
