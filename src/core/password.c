/*
 * password.c - getting an account's password: from the config, or from the
 * first line of a password_command's output.
 *
 * The command runs through /bin/sh with stdin from /dev/null and stderr
 * passed through (so e.g. pass can ask for a passphrase on the tty); its
 * output is read with a bound and wiped after use.  The password is never
 * logged and never put in an error message.
 */
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/config.h"
#include "util/xmalloc.h"

#define PASSWORD_MAX	4096

/* Read the child's stdout, at most PASSWORD_MAX bytes; -1 if more. */
static ssize_t
password_read(int fd, char *buf, size_t max)
{
	size_t	len = 0;
	ssize_t	n;
	char	drain[256];

	for (;;) {
		n = read(fd, len < max ? buf + len : drain,
		    len < max ? max - len : sizeof drain);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if (len >= max)
			len = max + 1;
		else
			len += (size_t)n;
	}
	if (n == -1 || len > max)
		return -1;
	return (ssize_t)len;
}

/* Run password_command and return the first line of its output. */
static char *
password_run(const struct config_account *a, struct error *err)
{
	int	 fds[2], status, devnull;
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
	if (pid == 0) {
		devnull = open("/dev/null", O_RDONLY);
		if (devnull == -1 || dup2(devnull, 0) == -1 ||
		    dup2(fds[1], 1) == -1)
			_exit(127);
		execl("/bin/sh", "sh", "-c", a->password_command, (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	len = password_read(fds[0], buf, PASSWORD_MAX);
	close(fds[0]);
	while (waitpid(pid, &status, 0) == -1 && errno == EINTR)
		;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
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
