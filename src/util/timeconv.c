/*
 * timeconv.c - calendar arithmetic without the C library's time zone.
 */
#include "util/timeconv.h"

/*
 * Days from 1970-01-01 to a proleptic Gregorian date, after Howard
 * Hinnant's days_from_civil: shift the year to start in March, count whole
 * 400-year eras, then days within the era.
 */
int64_t
timeconv_days_from_civil(int64_t y, int m, int d)
{
	int64_t	era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}
