/*
 * ui_date.h - the short dates of the message list.
 */
#ifndef PETREL_UI_DATE_H
#define PETREL_UI_DATE_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

/* Longest result of ui_date_format, with the NUL. */
#define UI_DATE_MAX	32

/*
 * Format when (seconds since the epoch) in local time, relative to now:
 * "HH:MM" if the same day, "Mon DD" if the same year, else "YYYY-MM-DD".
 * when == 0 (unknown) gives "".  out is always NUL-terminated.
 */
void	 ui_date_format(int64_t when, time_t now, char *out, size_t size);

#endif
