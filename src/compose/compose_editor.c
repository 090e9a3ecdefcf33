/*
 * compose_editor.c - running the user's editor on a draft: a private
 * temporary file, fork/exec/waitpid, reading the result back.
 *
 * The file is made by mkstemp (mode 0600, a name no one can guess) in
 * $TMPDIR or /tmp and removed on every path out.  The command is split
 * into words by config_argv_split (the same splitter as html_command:
 * quotes and backslashes, no expansions) and run with execvp, never
 * through /bin/sh, so nothing in $EDITOR or a file name is interpreted.
 * Between fork and exec the child makes only async-signal-safe calls
 * (the UI has worker threads); it gets default signal actions, an empty
 * mask and no descriptor but 0-2, and reports a failed exec through a
 * close-on-exec pipe, so "no such editor" is told apart from an editor
 * that failed.  Like system(3), the parent ignores SIGINT and SIGQUIT
 * while the editor owns the terminal.
 */
#include <sys/types.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compose/compose.h"
#include "compose/compose_int.h"
#include "core/config.h"
#include "util/buf.h"
#include "util/xmalloc.h"

/* The descriptor the child reports a failed exec on. */
#define COMPOSE_EXEC_FD		3

/* The editor command: the argument, else $VISUAL, $EDITOR, vi. */
static const char *
compose_editor_cmd(const char *editor)
{
	const char	*e;

	if (editor != NULL && *editor != '\0')
		return editor;
	if ((e = getenv("VISUAL")) != NULL && *e != '\0')
		return e;
	if ((e = getenv("EDITOR")) != NULL && *e != '\0')
		return e;
	return "vi";
}

/* Write all of text to fd; -1 with errno on failure. */
static int
compose_editor_write(int fd, const char *text, size_t len)
{
	ssize_t	n;

	while (len > 0) {
		if ((n = write(fd, text, len)) == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		text += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Make the private temporary file holding text; *path is set. */
static int
compose_editor_tmp(const char *text, char **path, struct error *err)
{
	const char	*dir = getenv("TMPDIR");
	char		*p;
	int		 fd, e;

	if (dir == NULL || *dir == '\0')
		dir = "/tmp";
	p = xasprintf("%s/petrel-draft-XXXXXX", dir);
	if ((fd = mkstemp(p)) == -1) {
		e = errno;
		free(p);
		return error_sys(err, ERR_SCOPE_OP, e, "cannot make a "
		    "temporary file in %s", dir);
	}
	if (fchmod(fd, S_IRUSR | S_IWUSR) == -1 ||
	    compose_editor_write(fd, text, strlen(text)) == -1 ||
	    close(fd) == -1) {
		e = errno;
		close(fd);	/* may fail again: nothing more to do */
		unlink(p);
		error_sys(err, ERR_SCOPE_OP, e, "cannot write %s", p);
		free(p);
		return -1;
	}
	*path = p;
	return 0;
}

/*
 * In the child: default signals, an empty mask, stdin/stdout/stderr and
 * the exec-error pipe (moved to COMPOSE_EXEC_FD) only; then exec.  Never
 * returns.
 */
static void
compose_editor_child(char *const argv[], int rfd, int wfd)
{
	struct sigaction dfl;
	sigset_t	 none;
	int		 e, sigs[] = { SIGPIPE, SIGINT, SIGQUIT, SIGTERM,
			     SIGHUP, SIGWINCH, SIGCHLD, SIGTSTP, SIGTTIN,
			     SIGTTOU };
	size_t		 i;

	memset(&dfl, 0, sizeof dfl);
	dfl.sa_handler = SIG_DFL;
	sigemptyset(&dfl.sa_mask);
	for (i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
		sigaction(sigs[i], &dfl, NULL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	close(rfd);
	if (wfd != COMPOSE_EXEC_FD) {
		if (dup2(wfd, COMPOSE_EXEC_FD) == -1)
			_exit(127);
		close(wfd);
	}
	if (fcntl(COMPOSE_EXEC_FD, F_SETFD, FD_CLOEXEC) == -1)
		_exit(127);
	closefrom(COMPOSE_EXEC_FD + 1);
	execvp(argv[0], argv);
	e = errno;
	if (write(COMPOSE_EXEC_FD, &e, sizeof e) == -1)
		_exit(127);
	_exit(127);
}

/* Why the editor did not succeed, from the exec pipe and its status. */
static int
compose_editor_status(const char *name, int exec_errno, int status,
    struct error *err)
{
	if (exec_errno != 0)
		return error_sys(err, ERR_SCOPE_OP, exec_errno, "cannot run "
		    "the editor %s", name);
	if (status == -1)
		return error_sys(err, ERR_SCOPE_OP, ECHILD, "the editor %s",
		    name);
	if (WIFSIGNALED(status))
		return error_set(err, ERR_SYS, ERR_SCOPE_OP, "the editor %s "
		    "was killed by signal %d; the message is unchanged", name,
		    WTERMSIG(status));
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return error_set(err, ERR_SYS, ERR_SCOPE_OP, "the editor %s "
		    "exited with status %d; the message is unchanged", name,
		    WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	return 0;
}

/* Run argv on the terminal and wait for it; 0 if it exited with 0. */
static int
compose_editor_spawn(char *const argv[], struct error *err)
{
	struct sigaction	ign, old_int, old_quit;
	pid_t			pid;
	int			pfd[2], status = -1, e = 0, exec_errno = 0;
	ssize_t			n;

	if (pipe2(pfd, O_CLOEXEC) == -1)
		return error_sys(err, ERR_SCOPE_OP, errno, "pipe");
	memset(&ign, 0, sizeof ign);
	ign.sa_handler = SIG_IGN;
	sigemptyset(&ign.sa_mask);
	sigaction(SIGINT, &ign, &old_int);
	sigaction(SIGQUIT, &ign, &old_quit);
	if ((pid = fork()) == 0)
		compose_editor_child(argv, pfd[0], pfd[1]);
	e = errno;
	close(pfd[1]);
	if (pid != -1) {
		/* EOF when exec succeeded (close-on-exec), else its errno. */
		do
			n = read(pfd[0], &exec_errno, sizeof exec_errno);
		while (n == -1 && errno == EINTR);
		if (n != (ssize_t)sizeof exec_errno)
			exec_errno = 0;
		while (waitpid(pid, &status, 0) == -1 && errno == EINTR)
			;
	}
	close(pfd[0]);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGQUIT, &old_quit, NULL);
	if (pid == -1)
		return error_sys(err, ERR_SCOPE_OP, e, "fork");
	return compose_editor_status(argv[0], exec_errno, status, err);
}

/* Read the file back into out (at most its maximum). */
static int
compose_editor_read(const char *path, struct buf *out, struct error *err)
{
	struct stat	 st;
	char		 chunk[16384];
	ssize_t		 n;
	int		 fd, rc = -1;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY)) ==
	    -1)
		return error_sys(err, ERR_SCOPE_OP, errno, "cannot read the "
		    "edited message %s", path);
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
		error_set(err, ERR_SYS, ERR_SCOPE_OP, "the edited message %s "
		    "is not a regular file", path);
		goto out;
	}
	while ((n = read(fd, chunk, sizeof chunk)) != 0) {
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			error_sys(err, ERR_SCOPE_OP, errno, "cannot read the "
			    "edited message %s", path);
			goto out;
		}
		if (buf_add(out, chunk, (size_t)n) == -1) {
			error_set(err, ERR_TOOBIG, ERR_SCOPE_OP, "the edited "
			    "message is too large (at most %zu bytes)",
			    out->max);
			goto out;
		}
	}
	rc = 0;
out:
	close(fd);
	return rc;
}

/* The editor's words with path appended; free the array only. */
static char **
compose_editor_argv(char **words, char *path)
{
	char	**argv;
	size_t	  n;

	for (n = 0; words[n] != NULL; n++)
		;
	argv = xcalloc(n + 2, sizeof *argv);
	memcpy(argv, words, n * sizeof *argv);
	argv[n] = path;
	return argv;
}

/* Edit d in the user's editor (see compose.h). */
int
compose_edit_run(struct compose_draft *d, const char *editor,
    struct error *err)
{
	struct buf	  got = BUF_INITIALIZER(COMPOSE_EDIT_MAX);
	const char	 *cmd = compose_editor_cmd(editor), *why;
	char		**words = NULL, **argv = NULL, *text, *path = NULL;
	int		  rc = -1;

	text = d->pending != NULL ? xstrdup(d->pending) :
	    compose_edit_format(d);
	if (config_argv_split(cmd, &words, &why) == -1) {
		error_set(err, ERR_CONFIG, ERR_SCOPE_OP, "editor \"%s\": %s",
		    cmd, why);
		goto out;
	}
	if (compose_editor_tmp(text, &path, err) == -1)
		goto out;
	argv = compose_editor_argv(words, path);
	if (compose_editor_spawn(argv, err) == -1 ||
	    compose_editor_read(path, &got, err) == -1)
		goto out;
	if (got.len == strlen(text) && memcmp(buf_str(&got), text,
	    got.len) == 0)
		rc = 1;
	else if (compose_edit_parse(d, buf_str(&got), got.len, err) == 0) {
		free(d->pending);
		d->pending = NULL;
		rc = 0;
	} else {
		free(d->pending);
		d->pending = buf_take(&got);
	}
out:
	if (path != NULL)
		unlink(path);
	free(path);
	free(argv);
	config_argv_free(words);
	buf_fini(&got);
	free(text);
	return rc;
}
