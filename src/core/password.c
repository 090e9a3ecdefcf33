/*
 * password.c - getting an account's password: from the config, or from the
 * first line of a password_command's output.
 *
 * The command runs through /bin/sh with stdin and stderr on /dev/null
 * (tools such as gpg ask for a passphrase on the tty itself), bounded by
 * the account's timeout; its output is read with a bound and wiped after
 * use.  The password is never
 * logged and never put in an error message.
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

#include "core/config.h"
#include "util/xmalloc.h"

#define PASSWORD_MAX	4096

/*
 * Read the child's stdout until EOF, at most PASSWORD_MAX bytes (-1 if
 * more), bounded by a deadline: -2 if it passes.
 */
static ssize_t
password_read(int fd, char *buf, size_t max, int timeout_ms)
{
	struct pollfd	pfd = { fd, POLLIN, 0 };
	struct timespec	ts;
	int64_t		deadline, now;
	size_t		len = 0;
	ssize_t		n;
	char		drain[256];

	clock_gettime(CLOCK_MONOTONIC, &ts);
	deadline = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000 +
	    timeout_ms;
	for (;;) {
		clock_gettime(CLOCK_MONOTONIC, &ts);
		now = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
		if (now >= deadline)
			return -2;
		if (poll(&pfd, 1, (int)(deadline - now)) <= 0)
			continue;	/* EINTR, or the deadline: checked above */
		n = read(fd, len < max ? buf + len : drain,
		    len < max ? max - len : sizeof drain);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len = len >= max ? max + 1 : len + (size_t)n;
	}
	if (n == -1 || len > max)
		return -1;
	return (ssize_t)len;
}

/*
 * In the child: a clean signal state (the worker thread blocks every
 * signal and main ignores SIGPIPE, both of which exec would keep), its own
 * process group so a timeout kills all it started, stdin and stderr on
 * /dev/null (stderr would draw over the curses screen).
 */
static void
password_child(const char *command, int out)
{
	sigset_t	none;
	int		devnull;

	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	signal(SIGPIPE, SIG_DFL);
	setpgid(0, 0);
	devnull = open("/dev/null", O_RDWR);
	if (devnull == -1 || dup2(devnull, 0) == -1 || dup2(out, 1) == -1 ||
	    dup2(devnull, 2) == -1)
		_exit(127);
	execl("/bin/sh", "sh", "-c", command, (char *)NULL);
	_exit(127);
}

/* Run password_command and return the first line of its output. */
static char *
password_run(const struct config_account *a, struct error *err)
{
	int	 fds[2], status;
	pid_t	 pid;
	char	 buf[PASSWORD_MAX + 1];
	ssize_t	 len;
	char	*pw = NULL;

	if (pipe2(fds, O_CLOEXEC) == -1) {
		error_sys(err, ERR_SCOPE_ACCOUNT, errno, "password_command");
		return NULL;
	}
	if ((pid = fork()) == -1) {
		error_sys(err, ERR_SCOPE_ACCOUNT, errno, "password_command");
		close(fds[0]);
		close(fds[1]);
		return NULL;
	}
	if (pid == 0)
		password_child(a->password_command, fds[1]);
	close(fds[1]);
	len = password_read(fds[0], buf, PASSWORD_MAX, a->timeout_ms);
	close(fds[0]);
	if (len == -2)
		kill(-pid, SIGKILL);
	while (waitpid(pid, &status, 0) == -1 && errno == EINTR)
		;
	if (len == -2)
		error_set(err, ERR_AUTH, ERR_SCOPE_ACCOUNT, "[account %s] "
		    "password_command did not finish within %d s", a->name,
		    a->timeout_ms / 1000);
	else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		error_set(err, ERR_AUTH, ERR_SCOPE_ACCOUNT, "[account %s] "
		    "password_command failed (exit status %d)", a->name,
		    WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	else if (len == -1)
		error_set(err, ERR_AUTH, ERR_SCOPE_ACCOUNT, "[account %s] "
		    "password_command printed too much", a->name);
	else {
		buf[len] = '\0';
		buf[strcspn(buf, "\r\n")] = '\0';
		if (buf[0] == '\0')
			error_set(err, ERR_AUTH, ERR_SCOPE_ACCOUNT,
			    "[account %s] password_command printed nothing",
			    a->name);
		else
			pw = xstrdup(buf);
	}
	xwipe(buf, sizeof buf);
	return pw;
}

/* The account's password; the caller frees it with xfree_secret. */
char *
config_account_password(const struct config_account *a, struct error *err)
{
	if (a->password != NULL)
		return xstrdup(a->password);
	if (a->password_command != NULL)
		return password_run(a, err);
	error_set(err, ERR_AUTH, ERR_SCOPE_ACCOUNT, "[account %s] has no "
	    "password or password_command", a->name);
	return NULL;
}
