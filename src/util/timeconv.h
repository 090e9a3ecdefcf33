/*
 * timeconv.h - calendar arithmetic shared by the date parsers (RFC 5322
 * Date:, IMAP INTERNALDATE), independent of the process's time zone.
 */
#ifndef PETREL_TIMECONV_H
#define PETREL_TIMECONV_H

#include <stdint.h>

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar. */
int64_t	 timeconv_days_from_civil(int64_t y, int m, int d);

#endif
