/*
 * ui_pager_cmd.c - fork/exec of outside programs: bounded runs with their
 * input and output on pipes, detached starts, and runs on the terminal.
 *
 * The bounded run feeds stdin and drains stdout in one poll() loop (a
 * program that writes before it has read all its input cannot deadlock
 * us), stops at a deadline and at an output cap, and kills the child's
 * whole process group then.  In the child, between fork and exec, only
 * async-signal-safe calls are made (the UI has worker threads).
 */
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ui/ui_pager_cmd.h"
#include "util/xmalloc.h"

/* How long a mailcap test= command may run. */
#define UI_CMD_TEST_MS	5000

/* Milliseconds of a monotonic clock. */
static int64_t
ui_cmd_now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * In the child: default signals (main ignores SIGPIPE, exec would keep
 * that), an empty mask, its own process group unless on the terminal,
 * stdin/stdout as given (-1: /dev/null), stderr on /dev/null unless on
 * the terminal, no other descriptor; then exec.  Never returns.
 */
static void
ui_cmd_child(char *const argv[], int in, int out, bool terminal)
{
	sigset_t	none;
	int		null, sigs[] = { SIGPIPE, SIGINT, SIGQUIT, SIGTERM,
			    SIGHUP, SIGWINCH, SIGCHLD };
	size_t		i;

	for (i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
		signal(sigs[i], SIG_DFL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	if (!terminal)
		setpgid(0, 0);
	if ((null = open("/dev/null", O_RDWR)) == -1)
		_exit(127);
	if ((in != -1 || !terminal) && dup2(in != -1 ? in : null, 0) == -1)
		_exit(127);
	if (!terminal && (dup2(out != -1 ? out : null, 1) == -1 ||
	    dup2(null, 2) == -1))
		_exit(127);
	closefrom(3);
	execvp(argv[0], argv);
	_exit(127);
}

/* Wait for a child, retrying on EINTR; its raw status, or -1. */
static int
ui_cmd_wait(pid_t pid)
{
	int	status;

	while (waitpid(pid, &status, 0) == -1) {
		if (errno != EINTR)
			return -1;
	}
	return status;
}

/*
 * Wait for a child until the deadline, then kill its group and reap it;
 * the raw status, or -1 when it had to be killed.
 */
static int
ui_cmd_reap(pid_t pid, int64_t deadline)
{
	int	status;
	pid_t	r;

	while (ui_cmd_now() < deadline) {
		r = waitpid(pid, &status, WNOHANG);
		if (r == pid)
			return status;
		if (r == -1 && errno != EINTR)
			return -1;
		poll(NULL, 0, 10);
	}
	kill(-pid, SIGKILL);
	ui_cmd_wait(pid);
	return -1;
}

/* Read what the child wrote; false at EOF (or an error). */
static bool
ui_cmd_drain(int fd, struct buf *out, struct ui_cmd_result *res)
{
	char	b[16384];
	ssize_t	n;
	size_t	room;

	n = read(fd, b, sizeof b);
	if (n == -1 && (errno == EINTR || errno == EAGAIN))
		return true;
	if (n <= 0)
		return false;
	if (out->max == 0)
		room = (size_t)n;
	else
		room = out->len < out->max ? out->max - out->len : 0;
	/* What fits is kept; the rest is dropped (not an error). */
	buf_add(out, b, (size_t)n < room ? (size_t)n : room);
	if ((size_t)n > room)
		res->truncated = true;
	return !res->truncated;
}

/* Feed the child's stdin; false when all is written (or it went away). */
static bool
ui_cmd_feed(int fd, const char *in, size_t inlen, size_t *done)
{
	ssize_t	n;

	n = write(fd, in + *done, inlen - *done > 65536 ? 65536 :
	    inlen - *done);
	if (n == -1 && (errno == EINTR || errno == EAGAIN))
		return true;
	if (n <= 0)
		return false;
	*done += (size_t)n;
	return *done < inlen;
}

/* The poll loop of a bounded run: feed, drain, watch the deadline. */
static void
ui_cmd_loop(int infd, int outfd, const char *in, size_t inlen,
    int64_t deadline, struct buf *out, struct ui_cmd_result *res)
{
	struct pollfd	pfd[2];
	int64_t		left;
	size_t		done = 0;

	if (infd != -1 && inlen == 0) {
		close(infd);
		infd = -1;
	}
	while (outfd != -1) {
		if ((left = deadline - ui_cmd_now()) <= 0) {
			res->timed_out = true;
			break;
		}
		pfd[0].fd = outfd;
		pfd[0].events = POLLIN;
		pfd[1].fd = infd;
		pfd[1].events = POLLOUT;
		pfd[0].revents = pfd[1].revents = 0;
		if (poll(pfd, infd != -1 ? 2 : 1, (int)left) <= 0)
			continue;	/* EINTR or the deadline: checked above */
		if (infd != -1 && (pfd[1].revents & (POLLOUT | POLLERR |
		    POLLHUP)) && !ui_cmd_feed(infd, in, inlen, &done)) {
			close(infd);
			infd = -1;
		}
		if ((pfd[0].revents & (POLLIN | POLLHUP | POLLERR)) &&
		    !ui_cmd_drain(outfd, out, res))
			break;
	}
	if (infd != -1)
		close(infd);
}

/* A bounded run (see ui_pager_cmd.h). */
int
ui_pager_cmd_run(char *const argv[], const char *in, size_t inlen,
    int timeout_ms, struct buf *out, struct ui_cmd_result *res,
    struct error *err)
{
	int	ip[2] = { -1, -1 }, op[2] = { -1, -1 }, status, rc = -1;
	pid_t	pid;
	int64_t	deadline = ui_cmd_now() + timeout_ms;

	memset(res, 0, sizeof *res);
	res->status = -1;
	if ((in != NULL && pipe2(ip, O_CLOEXEC) == -1) ||
	    pipe2(op, O_CLOEXEC) == -1) {
		error_sys(err, ERR_SCOPE_OP, errno, "pipe");
		goto out;
	}
	if ((pid = fork()) == -1) {
		error_sys(err, ERR_SCOPE_OP, errno, "fork");
		goto out;
	}
	if (pid == 0)
		ui_cmd_child(argv, ip[0], op[1], false);
	setpgid(pid, pid);	/* both sides: no race with the kill below */
	close(op[1]);
	op[1] = -1;
	if (ip[0] != -1) {
		close(ip[0]);
		ip[0] = -1;
		fcntl(ip[1], F_SETFL, O_NONBLOCK);
	}
	ui_cmd_loop(ip[1], op[0], in, inlen, deadline, out, res);
	ip[1] = -1;		/* closed by the loop */
	if (res->truncated)
		deadline = 0;
	status = ui_cmd_reap(pid, deadline);
	if (status == -1 && !res->truncated)
		res->timed_out = true;
	if (status != -1 && WIFEXITED(status))
		res->status = WEXITSTATUS(status);
	rc = 0;
out:
	if (ip[0] != -1)
		close(ip[0]);
	if (ip[1] != -1)
		close(ip[1]);
	if (op[0] != -1)
		close(op[0]);
	if (op[1] != -1)
		close(op[1]);
	return rc;
}

/* Start a program detached (see ui_pager_cmd.h). */
int
ui_pager_cmd_spawn(char *const argv[], struct error *err)
{
	pid_t	pid;

	if ((pid = fork()) == -1)
		return error_sys(err, ERR_SCOPE_OP, errno, "fork");
	if (pid == 0) {
		/* The middle child exits at once; init reaps the grandchild. */
		if (fork() == 0)
			ui_cmd_child(argv, -1, -1, false);
		_exit(0);
	}
	ui_cmd_wait(pid);
	return 0;
}

/* Run a program on the terminal and wait (see ui_pager_cmd.h). */
int
ui_pager_cmd_terminal(char *const argv[], int in_fd, struct error *err)
{
	struct sigaction	ign, old_int, old_quit;
	pid_t			pid;
	int			status;

	memset(&ign, 0, sizeof ign);
	ign.sa_handler = SIG_IGN;
	sigemptyset(&ign.sa_mask);
	sigaction(SIGINT, &ign, &old_int);
	sigaction(SIGQUIT, &ign, &old_quit);
	if ((pid = fork()) == 0)
		ui_cmd_child(argv, in_fd, -1, true);
	status = pid == -1 ? -1 : ui_cmd_wait(pid);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGQUIT, &old_quit, NULL);
	if (pid == -1)
		return error_sys(err, ERR_SCOPE_OP, errno, "fork");
	if (status == -1 || !WIFEXITED(status))
		return error_set(err, ERR_SYS, ERR_SCOPE_OP,
		    "%s did not exit normally", argv[0]);
	return WEXITSTATUS(status);
}

/* Look a program up in $PATH; empty entries (the cwd) are skipped. */
bool
ui_pager_cmd_in_path(const char *name)
{
	const char	*path = getenv("PATH"), *p, *e;
	char		*f;
	bool		 found = false;

	if (strchr(name, '/') != NULL)
		return access(name, X_OK) == 0;
	if (path == NULL)
		path = "/usr/bin:/bin";
	for (p = path; !found && *p != '\0'; p = *e != '\0' ? e + 1 : e) {
		if ((e = strchr(p, ':')) == NULL)
			e = p + strlen(p);
		if (e == p)
			continue;
		f = xasprintf("%.*s/%s", (int)(e - p), p, name);
		found = access(f, X_OK) == 0;
		free(f);
	}
	return found;
}

/* Run a mailcap test= command (see ui_pager_cmd.h). */
bool
ui_pager_cmd_test(void *arg, const char *cmd)
{
	char			*argv[] = { "/bin/sh", "-c", NULL, NULL };
	struct buf		 out = BUF_INITIALIZER(4096);
	struct ui_cmd_result	 res;
	struct error		 err;
	int			 rc;

	(void)arg;
	if (strchr(cmd, '%') != NULL)
		return false;		/* needs the file: not offered */
	argv[2] = (char *)cmd;
	rc = ui_pager_cmd_run(argv, NULL, 0, UI_CMD_TEST_MS, &out, &res,
	    &err);
	buf_fini(&out);
	return rc == 0 && res.status == 0;
}

/* Write data to a new private temporary file (see ui_pager_cmd.h). */
int
ui_pager_cmd_tmp_write(const char *data, size_t len, const char *name,
    char **dir, char **path, struct error *err)
{
	const char	*tmp = getenv("TMPDIR");
	size_t		 off = 0;
	ssize_t		 w;
	int		 fd;

	*dir = xasprintf("%s/petrel-XXXXXX", tmp != NULL && *tmp == '/' ?
	    tmp : "/tmp");
	*path = NULL;
	if (mkdtemp(*dir) == NULL) {
		error_sys(err, ERR_SCOPE_OP, errno, "mkdtemp");
		free(*dir);
		*dir = NULL;
		return -1;
	}
	*path = xasprintf("%s/%s", *dir, name);
	fd = open(*path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
	    0600);
	if (fd == -1)
		return error_sys(err, ERR_SCOPE_OP, errno, "%s", *path);
	while (off < len) {
		w = write(fd, data + off, len - off);
		if (w == -1 && errno == EINTR)
			continue;
		if (w <= 0) {
			error_sys(err, ERR_SCOPE_OP, w == 0 ? EIO : errno,
			    "%s", *path);
			close(fd);
			return -1;
		}
		off += (size_t)w;
	}
	close(fd);
	return 0;
}

/* Remove a temporary file and its directory. */
void
ui_pager_cmd_tmp_remove(const char *dir, const char *path)
{
	if (path != NULL)
		unlink(path);
	if (dir != NULL)
		rmdir(dir);
}
