/*
 * ui_pager_cmd.h - running outside programs for the pager: the HTML
 * renderer, mailcap viewers, the URL opener and typed pipe commands.
 *
 * Every program is started with fork and execvp from an argument vector:
 * no shell unless the vector says so (mailcap entries and typed pipe
 * commands are /bin/sh -c COMMAND, the strings themselves never hold
 * message text).  Children get default signals, their own process group
 * and stderr on /dev/null; a time-bounded run kills the whole group at
 * its deadline.  No curses here: ui_pager_cmd_terminal expects the caller
 * to have left curses mode.  UI thread only (SIGINT is ignored while a
 * program owns the terminal).
 */
#ifndef PETREL_UI_PAGER_CMD_H
#define PETREL_UI_PAGER_CMD_H

#include <stdbool.h>
#include <stddef.h>

#include "util/buf.h"
#include "util/error.h"

/* Most output kept from a program (the HTML renderer's, a viewer's). */
#define UI_CMD_OUT_MAX		(8 * 1024 * 1024)
/* How long the HTML renderer and a copiousoutput viewer may run. */
#define UI_CMD_TIMEOUT_MS	10000

/* How a bounded run ended. */
struct ui_cmd_result {
	int	 status;	/* exit status, or -1 (killed, signalled) */
	bool	 timed_out;	/* killed at the deadline */
	bool	 truncated;	/* output passed out->max: cut, killed */
};

/*
 * Run argv (argv[0] looked up in PATH) with (in, inlen) on its stdin (in
 * may be NULL: /dev/null) and its stdout appended to out, at most
 * out->max bytes (more: the rest is dropped and the program killed),
 * killed after timeout_ms.  Returns 0 when the program was started (see
 * *res for how it ended), -1 with err set when it could not be.
 */
int	 ui_pager_cmd_run(char *const argv[], const char *in, size_t inlen,
	     int timeout_ms, struct buf *out, struct ui_cmd_result *res,
	     struct error *err);

/*
 * Start argv detached (stdin, stdout and stderr on /dev/null, a grandchild
 * nobody waits for, so no zombie is left).  -1 with err set when the fork
 * fails; a program that cannot be executed is not reported.
 */
int	 ui_pager_cmd_spawn(char *const argv[], struct error *err);

/*
 * Run argv on the terminal and wait for it (a mailcap viewer); in_fd, if
 * not -1, is its stdin.  SIGINT and SIGQUIT are ignored here meanwhile,
 * as system() does.  Returns its exit status, -1 with err set if it could
 * not be started or did not exit normally.
 */
int	 ui_pager_cmd_terminal(char *const argv[], int in_fd,
	     struct error *err);

/* Whether an executable named name is in $PATH. */
bool	 ui_pager_cmd_in_path(const char *name);

/*
 * Run a mailcap test= command (/bin/sh -c, no input, at most 5 s); true
 * if it exits 0.  A command with a % escape (it wants the file) is false.
 * arg is unused (the shape of ui_attach_mailcap_find's callback).
 */
bool	 ui_pager_cmd_test(void *arg, const char *cmd);

/*
 * Write (data, len) to a new 0600 file named name (safe characters only)
 * in a new 0700 directory under $TMPDIR (else /tmp); *dir and *path get
 * their names (free them after ui_pager_cmd_tmp_remove).  -1 with err.
 */
int	 ui_pager_cmd_tmp_write(const char *data, size_t len, const char *name,
	     char **dir, char **path, struct error *err);
/* Remove what ui_pager_cmd_tmp_write made (either may be NULL). */
void	 ui_pager_cmd_tmp_remove(const char *dir, const char *path);

#endif
