/*
 * log.c - the debug log.
 *
 * This file holds the one piece of process-wide mutable state outside
 * main.c: the open log, set once by main() before any thread starts and
 * guarded by a mutex afterwards.  A logger passed to every function would
 * cost more clarity than this single, write-only global does.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "log.h"
#include "xmalloc.h"

struct log_state {
	pthread_mutex_t	 lock;
	FILE		*f;
	enum log_level	 level;
	char		*areas;	/* comma-separated, NULL = all */
};

static struct log_state log_state = { PTHREAD_MUTEX_INITIALIZER, NULL,
    LOG_WARN, NULL };

static const char *const log_level_names[] = {
	"error", "warn", "info", "debug", "trace"
};

/* Parse "LEVEL[,area,...]". */
int
log_parse_spec(const char *spec, enum log_level *level, char **areas)
{
	const char	*comma;
	size_t		 n, i;
	char		*end;
	long		 v;

	*areas = NULL;
	comma = strchr(spec, ',');
	n = comma ? (size_t)(comma - spec) : strlen(spec);
	if (n == 0)
		return -1;
	for (i = 0; i < sizeof log_level_names / sizeof *log_level_names; i++) {
		if (strlen(log_level_names[i]) == n &&
		    strncasecmp(spec, log_level_names[i], n) == 0) {
			*level = (enum log_level)i;
			goto areas;
		}
	}
	errno = 0;
	v = strtol(spec, &end, 10);
	if (errno != 0 || end != spec + n || v < 0 || v > LOG_TRACE)
		return -1;
	*level = (enum log_level)v;
areas:
	if (comma != NULL && comma[1] != '\0')
		*areas = xstrdup(comma + 1);
	return 0;
}

/* Open the log file. */
int
log_open(const char *path, enum log_level level, const char *areas)
{
	int	 fd;
	FILE	*f;

	fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	if (fd == -1)
		return -1;
	if ((f = fdopen(fd, "a")) == NULL) {
		close(fd);
		return -1;
	}
	setvbuf(f, NULL, _IOLBF, 0);
	pthread_mutex_lock(&log_state.lock);
	if (log_state.f != NULL)
		fclose(log_state.f);
	free(log_state.areas);
	log_state.f = f;
	log_state.level = level;
	log_state.areas = areas ? xstrdup(areas) : NULL;
	pthread_mutex_unlock(&log_state.lock);
	return 0;
}

/* Close the log. */
void
log_close(void)
{
	pthread_mutex_lock(&log_state.lock);
	if (log_state.f != NULL)
		fclose(log_state.f);
	log_state.f = NULL;
	free(log_state.areas);
	log_state.areas = NULL;
	pthread_mutex_unlock(&log_state.lock);
}

static bool
log_area_on(const char *areas, const char *area)
{
	const char	*p;
	size_t		 n;

	if (areas == NULL || area == NULL)
		return true;
	n = strlen(area);
	for (p = areas; *p != '\0'; p += strcspn(p, ","), p += (*p == ',')) {
		if (strncmp(p, area, n) == 0 && (p[n] == ',' || p[n] == '\0'))
			return true;
	}
	return false;
}

/* Would this message be written?  Areas filter only TRACE and DEBUG. */
bool
log_enabled(enum log_level level, const char *area)
{
	bool	on;

	pthread_mutex_lock(&log_state.lock);
	on = log_state.f != NULL && level <= log_state.level &&
	    (level < LOG_DEBUG || log_area_on(log_state.areas, area));
	pthread_mutex_unlock(&log_state.lock);
	return on;
}

static void
log_stamp(FILE *f, enum log_level level, const char *area)
{
	struct timespec	ts;
	struct tm	tm;
	char		tbuf[32];

	clock_gettime(CLOCK_REALTIME, &ts);
	localtime_r(&ts.tv_sec, &tm);
	strftime(tbuf, sizeof tbuf, "%H:%M:%S", &tm);
	fprintf(f, "%s.%03ld %s %s: ", tbuf, ts.tv_nsec / 1000000L,
	    log_level_names[level], area ? area : "-");
}

/* Append (s, len) to b with control bytes as \xNN (a log is read on a tty). */
static void
log_escape(struct buf *b, const char *s, size_t len)
{
	unsigned char	c;
	size_t		i;

	for (i = 0; i < len; i++) {
		c = (unsigned char)s[i];
		if (c < 0x20 || c == 0x7f) {
			if (buf_printf(b, "\\x%02x", c) == -1)
				return;
		} else if (buf_addc(b, (char)c) == -1)
			return;
	}
}

/* Write one formatted message; what it says may come from a server. */
void
log_msg(enum log_level level, const char *area, const char *fmt, ...)
{
	struct buf	 b;
	va_list		 ap;
	char		*text;
	int		 n;

	if (!log_enabled(level, area))
		return;
	va_start(ap, fmt);
	n = vasprintf(&text, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	buf_init(&b, 16384);
	log_escape(&b, text, (size_t)n);
	free(text);
	pthread_mutex_lock(&log_state.lock);
	if (log_state.f != NULL) {
		log_stamp(log_state.f, level, area);
		fprintf(log_state.f, "%s%s\n", buf_str(&b),
		    b.too_big ? " [...]" : "");
	}
	pthread_mutex_unlock(&log_state.lock);
	buf_fini(&b);
}

/*
 * Write one protocol line with control bytes escaped, its line end
 * dropped, and only its first LOG_PROTO_MAX bytes when longer.
 */
void
log_proto(const char *area, char dir, const char *line, size_t len)
{
	struct buf	b;
	size_t		full;

	if (!log_enabled(LOG_TRACE, area))
		return;
	/* The line's own CRLF is not worth showing. */
	while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
		len--;
	full = len;
	if (len > LOG_PROTO_MAX)
		len = LOG_PROTO_MAX;
	buf_init(&b, 4 * LOG_PROTO_MAX + 64);
	log_escape(&b, line, len);
	if (full > len)
		buf_printf(&b, " ... [%zu bytes]", full);
	pthread_mutex_lock(&log_state.lock);
	if (log_state.f != NULL) {
		log_stamp(log_state.f, LOG_TRACE, area);
		fprintf(log_state.f, "%c %s%s\n", dir, buf_str(&b),
		    b.too_big ? " [...]" : "");
	}
	pthread_mutex_unlock(&log_state.lock);
	buf_fini(&b);
}
