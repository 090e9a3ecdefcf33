/*
 * imap_idle.c - waiting for changes in the selected folder (IDLE).
 *
 * RFC 2177: "IDLE", the server's "+", then untagged EXISTS, EXPUNGE,
 * FETCH (and VANISHED with QRESYNC) as other clients change the folder,
 * until the client sends "DONE" and the server completes the command.
 * petrel waits with poll() on the socket, the worker's command fd and the
 * account's wake fd: a change leaves IDLE and resyncs the folder (return
 * 1), a queued command leaves IDLE cleanly (return 0) so the worker can
 * run it, the wake fd cancels.  IDLE is restarted every 25 minutes, below
 * the 30-minute inactivity timeout servers may apply.  Nothing else is
 * ever sent while IDLE is in progress.
 */
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <time.h>

#include "net/imap_driver.h"
#include "util/log.h"

#define IMAP_IDLE_REFRESH_MS	(25 * 60 * 1000)

enum imap_idle_end {
	IMAP_IDLE_CHANGE,	/* the folder changed */
	IMAP_IDLE_CMD,		/* a command is waiting */
	IMAP_IDLE_TIMEOUT,	/* the caller's timeout */
	IMAP_IDLE_REFRESH	/* time to restart IDLE */
};

/* Milliseconds on a monotonic clock. */
static int64_t
imap_idle_now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * Wait on the socket, cmd_fd and wake_fd until deadline: 1 socket
 * readable (or data buffered), 0 and *end set otherwise.
 */
static int
imap_idle_poll(struct imap_account *ia, int cmd_fd, int64_t deadline,
    int64_t refresh, enum imap_idle_end *end, struct error *err)
{
	struct pollfd	 pfd[3];
	int64_t		 left, limit;
	nfds_t		 n = 1;
	int		 rc;

	if (imap_conn_buffered(ia->conn))
		return 1;
	pfd[0].fd = ia->conn->s->fd;
	pfd[0].events = POLLIN;
	pfd[1].fd = cmd_fd;
	pfd[1].events = POLLIN;
	pfd[2].fd = ia->base.wake_fd;
	pfd[2].events = POLLIN;
	n = ia->base.wake_fd != -1 ? 3 : 2;
	for (;;) {
		pfd[0].revents = pfd[1].revents = pfd[2].revents = 0;
		limit = deadline != 0 && deadline < refresh ? deadline : refresh;
		left = limit - imap_idle_now();
		if (left <= 0) {
			*end = limit == refresh ? IMAP_IDLE_REFRESH :
			    IMAP_IDLE_TIMEOUT;
			return 0;
		}
		rc = poll(pfd, n, left > INT32_MAX ? INT32_MAX : (int)left);
		if (rc == -1 && errno == EINTR)
			continue;
		if (rc == -1)
			return error_sys(err, ERR_SCOPE_ACCOUNT, errno, "poll");
		if (n == 3 && (pfd[2].revents & POLLIN)) {
			ia->conn->broken = true;	/* IDLE left hanging */
			return error_set(err, ERR_CANCELLED, ERR_SCOPE_ACCOUNT,
			    "%s: interrupted", ia->conn->host);
		}
		if (pfd[1].revents & POLLIN) {
			*end = IMAP_IDLE_CMD;
			return 0;
		}
		if (pfd[0].revents != 0)
			return 1;
	}
}

/* One IDLE command: enter, wait, DONE; *end says why it ended. */
static int
imap_idle_once(struct imap_account *ia, int cmd_fd, int64_t deadline,
    enum imap_idle_end *end, struct error *err)
{
	struct imap_conn	*c = ia->conn;
	int64_t			 refresh = imap_idle_now() + IMAP_IDLE_REFRESH_MS;
	char			 tag[16];
	int			 rc;

	if (imap_conn_submit(c, tag, sizeof tag, err, "IDLE") == -1)
		return -1;
	if ((rc = imap_conn_await_cont(c, tag, NULL, NULL, err)) != 1) {
		if (rc == 0)	/* completed without "+" */
			rc = error_set(err, ERR_SERVER, ERR_SCOPE_OP,
			    "%s: IDLE refused", c->host);
		return -1;
	}
	for (;;) {
		if (ia->need_sync || ia->changed) {
			*end = IMAP_IDLE_CHANGE;
			break;
		}
		if ((rc = imap_idle_poll(ia, cmd_fd, deadline, refresh, end,
		    err)) == -1)
			return -1;
		if (rc == 0)
			break;
		if (imap_conn_step(c, NULL, NULL, err) == -1)
			return -1;
		if (imap_conn_done(c, tag))	/* the server ended IDLE */
			return imap_conn_await(c, tag, NULL, NULL, err);
	}
	if (imap_conn_write(c, "DONE\r\n", 6, NULL, err) == -1)
		return -1;
	return imap_conn_await(c, tag, NULL, NULL, err);
}

/* Wait for changes in the folder; 1 changed, 0 command or timeout. */
int
imap_wait_changes(struct account *a, const struct cache_folder *folder,
    struct cache *cache, int cmd_fd, int timeout_ms, struct error *err)
{
	struct imap_account	*ia = imap_account_get(a);
	enum imap_idle_end	 end = IMAP_IDLE_TIMEOUT;
	int64_t			 deadline = 0;

	if (imap_begin(ia, cache, err) == -1)
		return -1;
	if (!(ia->conn->caps & IMAP_CAP_IDLE))
		return error_set(err, ERR_UNSUPPORTED, ERR_SCOPE_OP,
		    "server has no IDLE");
	if (ia->selected_id != folder->id) {
		/* Not selected: bring it up to date while selecting it. */
		if (imap_sync_folder(a, folder, cache, err) == -1)
			return -1;
	}
	if (timeout_ms > 0)
		deadline = imap_idle_now() + timeout_ms;
	ia->changed = false;
	do {
		if (!ia->need_sync && imap_idle_once(ia, cmd_fd, deadline,
		    &end, err) == -1)
			return -1;
		if (ia->need_sync)
			end = IMAP_IDLE_CHANGE;
	} while (end == IMAP_IDLE_REFRESH);
	if (end == IMAP_IDLE_CHANGE && ia->need_sync) {
		log_debug("imap", "%s: changed on the server: resync",
		    folder->remote_name);
		if (imap_sync_folder(a, folder, cache, err) == -1)
			return -1;
		ia->changed = true;
	}
	return ia->changed ? 1 : 0;
}
