/*
 * ui_date.c - the short dates of the message list.
 *
 * Local time, as the reader lives in it; the month name follows LC_TIME.
 */
#include <string.h>
#include <time.h>

#include "ui/ui_date.h"

/* Format a message date relative to now (see ui_date.h). */
void
ui_date_format(int64_t when, time_t now, char *out, size_t size)
{
	struct tm	 tm, tn;
	time_t		 t = (time_t)when;
	size_t		 n;

	if (size == 0)
		return;
	out[0] = '\0';
	if (when == 0 || localtime_r(&t, &tm) == NULL ||
	    localtime_r(&now, &tn) == NULL)
		return;
	if (tm.tm_year == tn.tm_year && tm.tm_yday == tn.tm_yday)
		n = strftime(out, size, "%H:%M", &tm);
	else if (tm.tm_year == tn.tm_year)
		n = strftime(out, size, "%b %d", &tm);
	else
		n = strftime(out, size, "%Y-%m-%d", &tm);
	if (n == 0)
		out[0] = '\0';
}
