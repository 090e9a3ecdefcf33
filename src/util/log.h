/*
 * log.h - the debug log: a file, levels, and per-area tracing.
 *
 * main() opens the log once (-d LEVEL[,area,...], -L FILE); everything else
 * only writes to it.  Writing is thread-safe and does nothing when the log
 * is closed or the level is below the threshold.  Callers never pass
 * secrets: protocol code redacts credentials before calling log_proto.
 */
#ifndef PETREL_LOG_H
#define PETREL_LOG_H

#include <stdbool.h>
#include <stddef.h>

enum log_level {
	LOG_ERROR = 0,
	LOG_WARN,
	LOG_INFO,
	LOG_DEBUG,
	LOG_TRACE	/* protocol transcripts */
};

/*
 * Parse "LEVEL[,area...]" (LEVEL is a number 0-4 or a name; areas such as
 * imap,tls,cache restrict TRACE output to those areas).  -1 if malformed.
 */
int	 log_parse_spec(const char *spec, enum log_level *, char **areas);
/* Open the log file (append, mode 0600).  -1 with errno on failure. */
int	 log_open(const char *path, enum log_level, const char *areas);
void	 log_close(void);
/* Would a message at this level in this area be written? */
bool	 log_enabled(enum log_level, const char *area);

void	 log_msg(enum log_level, const char *area, const char *, ...)
	     __attribute__((format(printf, 3, 4)));

/*
 * One protocol line, dir '<' (received) or '>' (sent).  Control bytes are
 * escaped, the line end dropped, a line past LOG_PROTO_MAX bytes cut
 * ("... [N bytes]"); the caller has already replaced any credential with
 * "<redacted>".
 */
#define LOG_PROTO_MAX	2048
void	 log_proto(const char *area, char dir, const char *line, size_t len);

#define log_error(area, ...)	log_msg(LOG_ERROR, area, __VA_ARGS__)
#define log_warn(area, ...)	log_msg(LOG_WARN, area, __VA_ARGS__)
#define log_info(area, ...)	log_msg(LOG_INFO, area, __VA_ARGS__)
#define log_debug(area, ...)	log_msg(LOG_DEBUG, area, __VA_ARGS__)

#endif
