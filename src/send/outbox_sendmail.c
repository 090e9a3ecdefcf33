/*
 * outbox_sendmail.c - sending through a sendmail-compatible command
 * (sendmail_command = msmtp -a work): argv plus the recipients as
 * arguments, run without a shell, the message on its standard input, at
 * most timeout_ms for the whole run.  Exit status 0 means accepted;
 * EX_TEMPFAIL (75) a failure worth retrying (ERR_NET), any other a
 * refusal (ERR_SERVER) with the first line of what it wrote on stderr.
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

#include "send/outbox.h"
#include "util/sanitize.h"
#include "util/xmalloc.h"

#define OUTBOX_SENDMAIL_ERR_MAX	1024
#define OUTBOX_EX_TEMPFAIL	75

/* The monotonic clock in milliseconds. */
static int64_t
outbox_now_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* In the child: stdin and stderr from the pipes, then exec. */
static void
outbox_sendmail_child(char **argv, int in, int errfd)
{
	sigset_t	none;
	int		devnull;

	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	signal(SIGPIPE, SIG_DFL);
	setpgid(0, 0);
	devnull = open("/dev/null", O_WRONLY);
	if (devnull == -1 || dup2(in, 0) == -1 || dup2(devnull, 1) == -1 ||
	    dup2(errfd, 2) == -1)
		_exit(127);
	execvp(argv[0], argv);
	_exit(127);
}

/* The command line: argv, then every recipient. */
static char **
outbox_sendmail_argv(char *const *argv, const char *const *rcpt, size_t n)
{
	size_t	k = 0, i;
	char	**v;

	while (argv[k] != NULL)
		k++;
	v = xcalloc(k + n + 1, sizeof *v);
	for (i = 0; i < k; i++)
		v[i] = argv[i];
	for (i = 0; i < n; i++)
		v[k + i] = (char *)rcpt[i];
	return v;
}

/*
 * Feed the message and collect stderr until both pipes are done, the
 * deadline passes (-2) or wake_fd is readable (-3).
 */
static int
outbox_sendmail_io(int *inp, int *errp, const char *raw, size_t len,
    int64_t deadline, int wake_fd, char *ebuf, size_t *elen)
{
	struct pollfd	p[3];
	size_t		off = 0;
	ssize_t		w;
	int64_t		now;
	int		nfd, in = *inp, errfd = *errp, rc = 0;

	while (in != -1 || errfd != -1) {
		if ((now = outbox_now_ms()) >= deadline) {
			rc = -2;
			break;
		}
		nfd = 0;
		p[nfd++] = (struct pollfd){ in, POLLOUT, 0 };
		p[nfd++] = (struct pollfd){ errfd, POLLIN, 0 };
		p[nfd++] = (struct pollfd){ wake_fd, POLLIN, 0 };
		if (poll(p, (nfds_t)nfd, (int)(deadline - now)) <= 0)
			continue;
		if (p[2].revents & POLLIN) {
			rc = -3;
			break;
		}
		if (in != -1 && (p[0].revents & (POLLOUT | POLLERR | POLLHUP))) {
			w = write(in, raw + off, len - off);
			if (w > 0)
				off += (size_t)w;
			if ((w == -1 && errno != EINTR && errno != EAGAIN) ||
			    off == len) {
				close(in);	/* EPIPE: it exits; its status says */
				in = -1;
			}
		}
		if (errfd != -1 && (p[1].revents & (POLLIN | POLLHUP))) {
			w = read(errfd, ebuf + *elen,
			    OUTBOX_SENDMAIL_ERR_MAX - *elen);
			if (w > 0)
				*elen += (size_t)w;
			if (w == 0 || (w == -1 && errno != EINTR) ||
			    *elen == OUTBOX_SENDMAIL_ERR_MAX) {
				close(errfd);
				errfd = -1;
			}
		}
	}
	*inp = in;
	*errp = errfd;
	return rc;
}

/*
 * Reap the command (killed first when r says the run failed); a command
 * still alive at the deadline is killed too (-2).
 */
static int
outbox_sendmail_wait(pid_t pid, int r, int64_t deadline, int *status)
{
	pid_t	w;

	if (r != 0)
		kill(-pid, SIGKILL);
	for (;;) {
		w = waitpid(pid, status, r != 0 ? 0 : WNOHANG);
		if (w == pid || (w == -1 && errno != EINTR))
			return r;
		if (w == 0 && outbox_now_ms() >= deadline) {
			kill(-pid, SIGKILL);
			r = -2;
		} else if (w == 0)
			usleep(10000);
	}
}

/* The exit status turned into the error (ebuf: the command's stderr). */
static int
outbox_sendmail_status(const char *name, int status, char *ebuf,
    size_t elen, struct error *err)
{
	char	*line;

	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	ebuf[elen] = '\0';
	ebuf[strcspn(ebuf, "\r\n")] = '\0';
	line = sanitize_line_dup(ebuf);
	if (WIFEXITED(status))
		error_set(err, WEXITSTATUS(status) == OUTBOX_EX_TEMPFAIL ?
		    ERR_NET : ERR_SERVER, ERR_SCOPE_OP, "%s exited with "
		    "status %d%s%s", name, WEXITSTATUS(status),
		    *line != '\0' ? ": " : "", line);
	else
		error_set(err, ERR_SERVER, ERR_SCOPE_OP, "%s was killed by "
		    "signal %d", name, WTERMSIG(status));
	free(line);
	return -1;
}

/* Run the command (outbox.h). */
int
outbox_sendmail(char *const *argv, const char *const *rcpt, size_t nrcpt,
    const char *raw, size_t len, int timeout_ms, int wake_fd,
    struct error *err)
{
	char	 ebuf[OUTBOX_SENDMAIL_ERR_MAX + 1];
	char	**v;
	size_t	 elen = 0;
	int	 in[2], ep[2], status = 0, r;
	int64_t	 deadline;
	pid_t	 pid;

	if (pipe2(in, O_CLOEXEC) == -1)
		return error_sys(err, ERR_SCOPE_OP, errno, "sendmail_command");
	if (pipe2(ep, O_CLOEXEC) == -1) {
		close(in[0]);
		close(in[1]);
		return error_sys(err, ERR_SCOPE_OP, errno, "sendmail_command");
	}
	v = outbox_sendmail_argv(argv, rcpt, nrcpt);
	if ((pid = fork()) == 0)
		outbox_sendmail_child(v, in[0], ep[1]);
	free(v);
	close(in[0]);
	close(ep[1]);
	if (pid == -1) {
		close(in[1]);
		close(ep[0]);
		return error_sys(err, ERR_SCOPE_OP, errno, "sendmail_command");
	}
	fcntl(in[1], F_SETFL, O_NONBLOCK);
	deadline = outbox_now_ms() + (timeout_ms > 0 ? timeout_ms : 60000);
	r = outbox_sendmail_io(&in[1], &ep[0], raw, len, deadline, wake_fd,
	    ebuf, &elen);
	if (in[1] != -1)
		close(in[1]);
	if (ep[0] != -1)
		close(ep[0]);
	r = outbox_sendmail_wait(pid, r, deadline, &status);
	if (r == -2)
		return error_set(err, ERR_TIMEOUT, ERR_SCOPE_OP, "%s did not "
		    "finish within %d s", argv[0], timeout_ms / 1000);
	if (r == -3)
		return error_set(err, ERR_CANCELLED, ERR_SCOPE_OP, "cancelled");
	if (WIFEXITED(status) && WEXITSTATUS(status) == 127 && elen == 0)
		return error_set(err, ERR_CONFIG, ERR_SCOPE_OP, "cannot run "
		    "sendmail_command '%s'", argv[0]);
	return outbox_sendmail_status(argv[0], status, ebuf, elen, err);
}
