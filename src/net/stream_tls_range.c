/*
 * stream_tls_range.c - which TLS versions a connection may use: the
 * account's tls_min / tls_max / tls_strict against the versions this
 * OpenSSL can do here (stream.h, stream_tls_clamp).
 *
 * Pure: no OpenSSL, no I/O, no log.  stream_tls.c works out the set of
 * versions OpenSSL can do (built in, allowed by the OpenSSL configuration
 * and by the security level) and logs the warning this file writes, so the
 * whole decision is testable from a table.
 *
 * Policy: a version the user asked for that is not available moves to the
 * nearest one that is (a higher one first, being the safer), with a
 * warning; with tls_strict it is an error.  The defaults move without a
 * word: an unset tls_max is the highest version available, an unset
 * tls_min is TLS 1.2 (or tls_max, if that is lower) or the lowest version
 * above it, and never a version below that floor.
 */
#include <stdio.h>
#include <string.h>

#include "net/stream.h"

/* The versions there are: TLS 1.0 (10) to TLS 1.3 (13). */
#define STREAM_TLS_LOWEST	10
#define STREAM_TLS_HIGHEST	13

/* Whether version v is in the set. */
static bool
stream_tls_has(unsigned can, int v)
{
	return v >= STREAM_TLS_LOWEST && v <= STREAM_TLS_HIGHEST &&
	    (can & STREAM_TLS_BIT(v)) != 0;
}

/* Describe a set for a person: "TLS 1.2 to 1.3", "TLS 1.0, 1.2, 1.3". */
static void
stream_tls_set_text(unsigned can, char *out, size_t size)
{
	int	v, lo = 0, hi = 0, n = 0;
	size_t	len;

	for (v = STREAM_TLS_LOWEST; v <= STREAM_TLS_HIGHEST; v++) {
		if (!stream_tls_has(can, v))
			continue;
		if (lo == 0)
			lo = v;
		hi = v;
		n++;
	}
	if (n == 0)
		snprintf(out, size, "no TLS version");
	else if (n == 1)
		snprintf(out, size, "TLS 1.%d only", lo - 10);
	else if (n == hi - lo + 1)
		snprintf(out, size, "TLS 1.%d to 1.%d", lo - 10, hi - 10);
	else {
		len = (size_t)snprintf(out, size, "TLS");
		for (v = lo; v <= hi && len < size; v++) {
			if (stream_tls_has(can, v))
				len += (size_t)snprintf(out + len, size - len,
				    "%s 1.%d", v == lo ? "" : ",", v - 10);
		}
	}
}

/* The version in the set nearest to v, a higher one first; 0 if none. */
static int
stream_tls_nearest(unsigned can, int v)
{
	int	d;

	for (d = 0; d <= STREAM_TLS_HIGHEST - STREAM_TLS_LOWEST; d++) {
		if (stream_tls_has(can, v + d))
			return v + d;
		if (stream_tls_has(can, v - d))
			return v - d;
	}
	return 0;
}

/*
 * An asked-for version (what: "tls_min" or "tls_max"): itself if
 * available, else the nearest, noted in r->warning; -1 with strict.
 */
static int
stream_tls_move(unsigned can, int v, const char *what, bool strict,
    struct stream_tls_range *r, struct error *err)
{
	char	have[64];
	size_t	len;
	int	to;

	if (stream_tls_has(can, v))
		return v;
	stream_tls_set_text(can, have, sizeof have);
	if (strict)
		return error_set(err, ERR_CONFIG, ERR_SCOPE_ACCOUNT, "%s 1.%d "
		    "is not available in this OpenSSL (it can do %s here) and "
		    "tls_strict is set", what, v - 10, have);
	to = stream_tls_nearest(can, v);
	len = strlen(r->warning);
	snprintf(r->warning + len, sizeof r->warning - len, "%s%s 1.%d is "
	    "not available in this OpenSSL (it can do %s here): using TLS "
	    "1.%d", len > 0 ? "; " : "", what, v - 10, have, to - 10);
	return to;
}

/* The lowest available version from lo to hi; 0 if none. */
static int
stream_tls_lowest(unsigned can, int lo, int hi)
{
	int	v;

	for (v = lo; v <= hi; v++) {
		if (stream_tls_has(can, v))
			return v;
	}
	return 0;
}

/* The version range a config yields with the versions in can (stream.h). */
int
stream_tls_clamp(unsigned can, const struct stream_tls_config *cfg,
    struct stream_tls_range *r, struct error *err)
{
	int	lo = cfg->min_version, hi = cfg->max_version, base;
	char	have[64];

	memset(r, 0, sizeof *r);
	if ((lo != 0 && (lo < STREAM_TLS_LOWEST || lo > STREAM_TLS_HIGHEST)) ||
	    (hi != 0 && (hi < STREAM_TLS_LOWEST || hi > STREAM_TLS_HIGHEST)))
		return error_set(err, ERR_CONFIG, ERR_SCOPE_ACCOUNT,
		    "TLS versions must be 1.0 to 1.3");
	if (lo != 0 && hi != 0 && lo > hi)
		return error_set(err, ERR_CONFIG, ERR_SCOPE_ACCOUNT,
		    "tls_min 1.%d is above tls_max 1.%d", lo - 10, hi - 10);
	stream_tls_set_text(can, have, sizeof have);
	if (stream_tls_nearest(can, STREAM_TLS_LOWEST) == 0)
		return error_set(err, ERR_TLS, ERR_SCOPE_ACCOUNT,
		    "this OpenSSL can do no TLS version here");
	if (lo != 0 && (lo = stream_tls_move(can, lo, "tls_min", cfg->strict,
	    r, err)) == -1)
		return -1;
	if (hi != 0 && (hi = stream_tls_move(can, hi, "tls_max", cfg->strict,
	    r, err)) == -1)
		return -1;
	if (lo == 0) {
		base = hi != 0 && hi < 12 ? hi : 12;
		if ((lo = stream_tls_lowest(can, base, hi != 0 ? hi :
		    STREAM_TLS_HIGHEST)) == 0)
			return error_set(err, ERR_TLS, ERR_SCOPE_ACCOUNT,
			    "no TLS version from 1.%d up is available in this "
			    "OpenSSL (it can do %s here); set tls_min to "
			    "allow an older one", base - 10, have);
	}
	if (hi == 0) {
		for (hi = STREAM_TLS_HIGHEST; !stream_tls_has(can, hi); hi--)
			;
	}
	/*
	 * lo <= hi: a default is found from the other end; two asked-for
	 * versions in order stay in order, since the nearest member of a set
	 * (ties going up) never decreases as the version asked for grows.
	 */
	r->min = lo;
	r->max = hi;
	return 0;
}
