/*
 * ui.c - ui_run: terminal setup, the poll loop, signals and worker events.
 *
 * One thread: poll() waits on the terminal, the wake pipe every worker
 * writes a byte to when it queues an event, and the signal pipe.  Worker
 * events only mark data stale; stale rows are re-read from the cache at
 * most every UI_REFRESH_MS (a sync sends many events), and the screen is
 * redrawn in full after each wake-up (curses sends only the difference).
 * Nothing here touches the network, and no worker text reaches the screen
 * unsanitised.
 */

#include <errno.h>
#include <fcntl.h>
#include <langinfo.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "ui/ui.h"
#include "ui/ui_i18n.h"
#include "ui/ui_internal.h"
#include "util/sanitize.h"
#include "util/xmalloc.h"

/* Re-read changed rows at most this often while a sync is running. */
#define UI_REFRESH_MS	150

static const int ui_signals[] = { SIGWINCH, SIGTERM, SIGINT, SIGHUP };
#define UI_NSIGNALS	(sizeof ui_signals / sizeof ui_signals[0])

/*
 * The write end of the signal pipe.  The one piece of static state: a
 * signal handler cannot be handed the struct ui.  Set before the handlers
 * are installed and reset after they are removed.
 */
static volatile sig_atomic_t ui_signal_fd = -1;

/* Signal handler: pass the signal number down the pipe, nothing else. */
static void
ui_signal_handler(int sig)
{
	int		saved = errno;
	unsigned char	c = (unsigned char)sig;

	if (ui_signal_fd != -1 && write(ui_signal_fd, &c, 1) == -1) {
		/* The pipe is full: a wake-up is pending anyway. */
	}
	errno = saved;
}

/* Milliseconds of a monotonic clock. */
int64_t
ui_now_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* A colour pair's attribute, or nothing on a monochrome terminal. */
attr_t
ui_color(const struct ui *ui, short pair)
{
	return ui->colors ? (attr_t)COLOR_PAIR(pair) : A_NORMAL;
}

/* Would this command change the server? */
static bool
ui_submit_writes(enum worker_cmd_type type)
{
	switch (type) {
	case WORKER_SET_FLAGS:
	case WORKER_FLUSH_OPS:
	case WORKER_CREATE_FOLDER:
	case WORKER_RENAME_FOLDER:
	case WORKER_DELETE_FOLDER:
		return true;
	default:
		return false;
	}
}

/* Queue a command for an account's worker (text may be NULL). */
void
ui_submit_text(struct ui *ui, size_t account, enum worker_cmd_type type,
    int64_t folder_id, const char *text)
{
	struct worker_cmd	cmd;

	if (account >= ui->naccounts || ui->accounts[account].worker == NULL)
		return;
	/* Read-only accounts never change the server (ui_ops.c refuses
	 * first, with a message; this is the last guard). */
	if (ui_submit_writes(type) && ui->accounts[account].cfg->read_only)
		return;
	memset(&cmd, 0, sizeof cmd);
	cmd.type = type;
	cmd.folder_id = folder_id;
	cmd.text = text;
	worker_submit(ui->accounts[account].worker, &cmd);
}

/* Queue a command for an account's worker. */
void
ui_submit(struct ui *ui, size_t account, enum worker_cmd_type type,
    int64_t folder_id, int64_t msg_id, unsigned add)
{
	struct worker_cmd	cmd;

	if (account >= ui->naccounts || ui->accounts[account].worker == NULL)
		return;
	if (ui_submit_writes(type) && ui->accounts[account].cfg->read_only)
		return;
	memset(&cmd, 0, sizeof cmd);
	cmd.type = type;
	cmd.folder_id = folder_id;
	cmd.msg_id = msg_id;
	cmd.add = add;
	worker_submit(ui->accounts[account].worker, &cmd);
}

/* Work out the panes' sizes from the terminal size. */
void
ui_layout(struct ui *ui)
{
	ui->rows = LINES;
	ui->cols = COLS;
	ui->main_height = ui->rows > 3 ? ui->rows - 2 : 1;
	if (ui->cols >= 120)
		ui->pane_width = 24;
	else if (ui->cols >= 80)
		ui->pane_width = 22;
	else if (ui->cols >= 50)
		ui->pane_width = 18;
	else
		ui->pane_width = 0;
	ui->list_x = ui->pane_width > 0 ? ui->pane_width + 1 : 0;
	if (ui->pane_width == 0)
		ui->focus = UI_FOCUS_LIST;
}

/* Draw everything for the current mode. */
void
ui_redraw(struct ui *ui)
{
	erase();
	switch (ui->mode) {
	case UI_MODE_INDEX:
		ui_folders_draw(ui);
		if (ui->pane_width > 0)
			ui_draw_vline(0, ui->pane_width, ui->main_height);
		ui_index_draw(ui);
		break;
	case UI_MODE_PAGER:
		ui_pager_draw(ui);
		break;
	case UI_MODE_HELP:
		ui_help_draw(ui);
		break;
	case UI_MODE_PICKER:
		ui_picker_draw(ui);
		break;
	case UI_MODE_COMPOSE:
		ui_compose_draw(ui);
		break;
	case UI_MODE_OUTBOX:
		ui_outbox_draw(ui);
		break;
	}
	ui_status_draw(ui);
	curs_set(ui->prompt.active ? 1 : 0);
	refresh();
}

/*
 * Is the open folder still among the folder rows?  Its name and role are
 * taken again from there (a rename, or roles learnt by the first sync).
 */
static bool
ui_open_folder_check(struct ui *ui)
{
	const struct ui_folder_row	*r;
	size_t				 i;

	for (i = 0; i < ui->folders.nrows; i++) {
		r = &ui->folders.rows[i];
		if (r->heading || r->folder.id != ui->index.folder_id)
			continue;
		ui->index.role = r->folder.role;
		if (r->label != NULL) {
			free(ui->index.folder_name);
			ui->index.folder_name = xstrdup(r->label);
		}
		return true;
	}
	return false;
}

/*
 * Whether a refresh is due at once: while nothing is shown yet (no folder
 * open, or an open folder with no rows), the first data goes on screen
 * the moment it arrives: that is the first screenful of a cold open.
 */
static bool
ui_refresh_urgent(const struct ui *ui)
{
	return (ui->folders_stale && ui->index.folder_id == 0) ||
	    (ui->index_stale && ui->index.total == 0);
}

/* Re-read stale rows; unless forced, no more often than UI_REFRESH_MS. */
static void
ui_refresh_data(struct ui *ui, bool force)
{
	int64_t	now = ui_now_ms();

	if (!ui->folders_stale && !ui->index_stale)
		return;
	if (!force && !ui_refresh_urgent(ui) &&
	    now - ui->last_refresh_ms < UI_REFRESH_MS)
		return;
	ui->last_refresh_ms = now;
	if (ui->folders_stale) {
		ui->folders_stale = false;
		ui_folders_reload(ui);
		if (ui->index.folder_id != 0 && !ui_open_folder_check(ui)) {
			/* The folder went away on the server. */
			if (ui->mode == UI_MODE_PAGER)
				ui->mode = UI_MODE_INDEX;
			ui_pager_close(&ui->pager);
			ui_index_close(&ui->index);
		}
		if (ui->index.folder_id == 0)
			ui_folders_open_default(ui, ui->selected);
	}
	if (ui->index_stale) {
		ui->index_stale = false;
		ui_index_refresh(ui);
	}
}

/* How long poll may sleep: until the next throttled refresh, or forever. */
static int
ui_poll_timeout(const struct ui *ui)
{
	int64_t	left;
	int	outbox = ui_outbox_timeout(ui);

	if (!ui->folders_stale && !ui->index_stale)
		return outbox;
	if (ui_refresh_urgent(ui))
		return 0;
	left = UI_REFRESH_MS - (ui_now_ms() - ui->last_refresh_ms);
	if (left < 0)
		left = 0;
	return outbox >= 0 && outbox < left ? outbox : (int)left;
}

/* A certificate failed verification: keep "FP REASON" for the offer. */
static void
ui_event_cert(struct ui *ui, size_t i, const char *text)
{
	struct ui_account	*a = &ui->accounts[i];
	const char		*sp;
	char			*fp;

	if (text == NULL || (sp = strchr(text, ' ')) == NULL)
		return;
	free(a->cert_fp);
	free(a->cert_reason);
	fp = xstrndup(text, (size_t)(sp - text));
	a->cert_fp = sanitize_line_dup(fp);
	free(fp);
	a->cert_reason = sanitize_line_dup(sp + 1);
	a->cert_wanted = true;
}

/* A body arrived: accounts waiting to import one may go on. */
static void
ui_event_imports(struct ui *ui)
{
	size_t	j;

	for (j = 0; j < ui->naccounts; j++) {
		if (ui->accounts[j].imports_waiting)
			ui_submit(ui, j, WORKER_FLUSH_OPS, 0, 0, 0);
	}
}

/* Another worker queued operations for folder_id's account: replay them. */
static void
ui_event_flush_owner(struct ui *ui, int64_t folder_id)
{
	struct cache_folder	f;
	struct error		err;
	size_t			j;

	if (cache_folder_get(ui->cache, folder_id, &f, &err) == 0) {
		for (j = 0; j < ui->naccounts; j++) {
			if (ui_ops_account_id(ui, j) == f.account_id)
				ui_submit(ui, j, WORKER_FLUSH_OPS, 0, 0, 0);
		}
	}
	cache_folder_fini(&f);
}

/* Handle one event from account i's worker. */
static void
ui_event(struct ui *ui, size_t i, const struct worker_event *ev)
{
	switch (ev->type) {
	case WORKER_EV_STATUS:
		ui_status_set_account(ui, i, ev->text);
		break;
	case WORKER_EV_FOLDERS:
		ui->folders_stale = true;
		break;
	case WORKER_EV_MESSAGES:
		ui->folders_stale = true;
		if (ev->folder_id == ui->index.folder_id)
			ui->index_stale = true;
		break;
	case WORKER_EV_BODY:
		ui_pager_body_ready(ui, ev->msg_id);
		ui_save_body_ready(ui, ev->msg_id);
		ui_compose_body_ready(ui, ev->msg_id);
		ui_event_imports(ui);
		break;
	case WORKER_EV_SENT:
		ui_status_set_message(ui, false, _("Sent."));
		break;
	case WORKER_EV_DRAFT_SAVED:
		ui_status_set_message(ui, false, _("Draft kept in Drafts: e "
		    "there resumes it."));
		break;
	case WORKER_EV_OUTBOX:
		ui_outbox_reload(ui);
		break;
	case WORKER_EV_OPS_QUEUED:
		ui_event_flush_owner(ui, ev->folder_id);
		break;
	case WORKER_EV_ERROR:
		ui_status_set_message(ui, true, ev->text != NULL ? ev->text :
		    _("unknown error"));
		/* A refused operation: the worker may have put rows back. */
		ui->folders_stale = true;
		ui->index_stale = true;
		break;
	case WORKER_EV_IDLE:
		ui_status_set_account(ui, i, NULL);
		break;
	case WORKER_EV_SEARCH:
		if (i == ui->index.account)
			ui_view_search_done(ui, ev->folder_id, ev->ids,
			    ev->nids);
		break;
	case WORKER_EV_CONNECTION:
		ui_status_set_connection(ui, i, ev->text);
		break;
	case WORKER_EV_NEED_PASSWORD:
		/* Asked when no other prompt is open (ui_loop). */
		ui->accounts[i].pw_wanted = true;
		break;
	case WORKER_EV_CERT:
		ui_event_cert(ui, i, ev->text);
		break;
	}
}

/* Drain the wake pipe, then every worker's events. */
static void
ui_wake(struct ui *ui)
{
	struct worker_event	ev;
	char			b[256];
	size_t			i;

	while (read(ui->wake_fd[0], b, sizeof b) > 0)
		continue;
	for (i = 0; i < ui->naccounts; i++) {
		if (ui->accounts[i].worker == NULL)
			continue;
		while (worker_next_event(ui->accounts[i].worker, &ev)) {
			ui_event(ui, i, &ev);
			worker_event_fini(&ev);
		}
	}
	ui_compose_job_reap(ui);
}

/* The terminal changed size: let curses see it and lay out again. */
static void
ui_resize(struct ui *ui)
{
	struct winsize	ws;

	endwin();
	refresh();
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 &&
	    ws.ws_col > 0 && (ws.ws_row != LINES || ws.ws_col != COLS))
		resizeterm(ws.ws_row, ws.ws_col);
	clearok(curscr, TRUE);
	ui_layout(ui);
}

/* Read the signal pipe: resize, or quit on TERM/INT/HUP. */
static void
ui_signal_read(struct ui *ui)
{
	unsigned char	b[64];
	ssize_t		n, i;
	bool		winch = false;

	while ((n = read(ui->sig_fd[0], b, sizeof b)) > 0) {
		for (i = 0; i < n; i++) {
			if (b[i] == SIGWINCH)
				winch = true;
			else
				ui->quit = true;
		}
	}
	if (winch && !ui->quit)
		ui_resize(ui);
}

/* Read the keys waiting on the terminal; Esc then a key is one key. */
static void
ui_input(struct ui *ui)
{
	int	ch, next, n = 0;

	while (!ui->quit && n++ < 1024 && (ch = getch()) != ERR) {
		if (ch == KEY_RESIZE) {
			ui_layout(ui);
			continue;
		}
		/* curses waited ESCDELAY already: a key sent with the Esc
		 * (Alt-x, tmux's M-x) is waiting now. */
		if (ch == UI_KEY_ESC && (next = getch()) != ERR) {
			if (next > 0 && next < 256)
				ch = UI_KEY_META(next);
			else {
				ui_keys_handle(ui, ch);
				ch = next;
			}
		}
		ui_keys_handle(ui, ch);
	}
}

/* The poll loop: run until the user quits or a signal says to. */
static void
ui_loop(struct ui *ui)
{
	struct pollfd	pfd[3];
	bool		keys;

	while (!ui->quit) {
		pfd[0].fd = STDIN_FILENO;
		pfd[1].fd = ui->wake_fd[0];
		pfd[2].fd = ui->sig_fd[0];
		pfd[0].events = pfd[1].events = pfd[2].events = POLLIN;
		pfd[0].revents = pfd[1].revents = pfd[2].revents = 0;
		if (poll(pfd, 3, ui_poll_timeout(ui)) == -1) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			break;
		}
		if (pfd[2].revents & POLLIN)
			ui_signal_read(ui);
		if (pfd[1].revents & POLLIN)
			ui_wake(ui);
		keys = (pfd[0].revents & POLLIN) != 0;
		if (keys)
			ui_input(ui);
		else if (pfd[0].revents & (POLLHUP | POLLERR | POLLNVAL))
			ui->quit = true;	/* the terminal went away */
		if (ui->quit)
			break;
		ui_refresh_data(ui, keys);
		ui_outbox_tick(ui);
		ui_prompt_worker_next(ui);
		ui_redraw(ui);
	}
}

/* Every account runs; the named one (else the default) is opened first. */
static int
ui_accounts_init(struct ui *ui, const char *name, struct error *err)
{
	const struct config		*cfg = ui->cfg;
	const struct config_account	*want;
	size_t				 i;

	want = config_account_find(cfg, name);
	if (want == NULL) {
		if (name != NULL)
			return error_set(err, ERR_CONFIG, ERR_SCOPE_OP,
			    _("no account named \"%s\""), name);
		return error_set(err, ERR_CONFIG, ERR_SCOPE_OP,
		    _("no account is configured"));
	}
	ui->naccounts = cfg->naccounts;
	ui->accounts = xcalloc(ui->naccounts, sizeof *ui->accounts);
	for (i = 0; i < ui->naccounts; i++) {
		ui->accounts[i].cfg = &cfg->accounts[i];
		ui->accounts[i].cache_id = -1;
		if (ui->accounts[i].cfg == want)
			ui->selected = i;
	}
	return 0;
}

/* Make the wake and signal pipes. */
static int
ui_pipes_open(struct ui *ui, struct error *err)
{
	if (pipe2(ui->wake_fd, O_NONBLOCK | O_CLOEXEC) == -1)
		return error_sys(err, ERR_SCOPE_OP, errno, "pipe");
	if (pipe2(ui->sig_fd, O_NONBLOCK | O_CLOEXEC) == -1)
		return error_sys(err, ERR_SCOPE_OP, errno, "pipe");
	return 0;
}

/*
 * Block the UI's signals in the calling thread (old: the mask before), so
 * that a thread started now inherits them blocked: they must reach the UI
 * thread's handlers, never a worker's or a job's.
 */
void
ui_signals_block(sigset_t *old)
{
	sigset_t	set;
	size_t		i;

	sigemptyset(&set);
	for (i = 0; i < UI_NSIGNALS; i++)
		sigaddset(&set, ui_signals[i]);
	pthread_sigmask(SIG_BLOCK, &set, old);
}

/* Put back the mask ui_signals_block saved. */
void
ui_signals_unblock(const sigset_t *old)
{
	pthread_sigmask(SIG_SETMASK, old, NULL);
}

/* Start one worker per account, with our signals blocked in them. */
static int
ui_workers_start(struct ui *ui, const char *cache_path, struct error *err)
{
	sigset_t	old;
	size_t		i;
	int		rc = 0;

	ui_signals_block(&old);
	for (i = 0; i < ui->naccounts; i++) {
		ui->accounts[i].worker = worker_start(ui->accounts[i].cfg,
		    cache_path, ui->wake_fd[1], err);
		if (ui->accounts[i].worker == NULL) {
			rc = -1;
			break;
		}
	}
	ui_signals_unblock(&old);
	return rc;
}

/* Stop every worker that runs. */
static void
ui_workers_stop(struct ui *ui)
{
	size_t	i;

	for (i = 0; i < ui->naccounts; i++) {
		if (ui->accounts[i].worker != NULL)
			worker_stop(ui->accounts[i].worker);
		ui->accounts[i].worker = NULL;
	}
}

/* Point our signals at the pipe, keeping the old actions in old. */
static void
ui_signals_install(struct ui *ui, struct sigaction *old)
{
	struct sigaction	sa;
	size_t			i;

	ui_signal_fd = ui->sig_fd[1];
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = ui_signal_handler;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART;
	for (i = 0; i < UI_NSIGNALS; i++)
		sigaction(ui_signals[i], &sa, &old[i]);
}

/* Put the old signal actions back. */
static void
ui_signals_restore(const struct sigaction *old)
{
	size_t	i;

	for (i = 0; i < UI_NSIGNALS; i++)
		sigaction(ui_signals[i], &old[i], NULL);
	ui_signal_fd = -1;
}

/* Set the terminal up for curses, with colours when there are some. */
static int
ui_term_start(struct ui *ui, struct error *err)
{
	short	bg = COLOR_BLACK;

	if ((ui->screen = newterm(NULL, stdout, stdin)) == NULL)
		return error_set(err, ERR_SYS, ERR_SCOPE_OP,
		    _("cannot set up the terminal (is TERM right?)"));
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	set_escdelay(25);
	curs_set(0);
	if (has_colors() && start_color() == OK) {
		if (use_default_colors() == OK)
			bg = -1;
		init_pair(UI_PAIR_HEADING, COLOR_CYAN, bg);
		init_pair(UI_PAIR_ERROR, COLOR_RED, bg);
		ui->colors = true;
	}
	return 0;
}

/* Free everything ui_run set up (each part may be missing). */
static void
ui_fini(struct ui *ui)
{
	size_t	i;
	int	j;

	ui_pager_close(&ui->pager);
	ui_prompt_fini(&ui->prompt);
	ui_picker_fini(&ui->picker);
	ui_save_fini(&ui->save);
	ui_compose_close(ui);
	ui_outbox_fini(&ui->outbox);
	ui_index_close(&ui->index);
	ui_folders_free(&ui->folders);
	for (i = 0; i < ui->naccounts; i++) {
		free(ui->accounts[i].status);
		free(ui->accounts[i].conn);
		free(ui->accounts[i].cert_fp);
		free(ui->accounts[i].cert_reason);
	}
	free(ui->accounts);
	free(ui->message);
	for (j = 0; j < 2; j++) {
		if (ui->wake_fd[j] != -1)
			close(ui->wake_fd[j]);
		if (ui->sig_fd[j] != -1)
			close(ui->sig_fd[j]);
	}
	if (ui->cache != NULL)
		cache_close(ui->cache);
}

/* The first screen: cached folders at once, then sync every account. */
static void
ui_start(struct ui *ui)
{
	size_t	i;

	ui->mode = UI_MODE_INDEX;
	ui->focus = UI_FOCUS_LIST;
	ui->ascii_tree = strcmp(nl_langinfo(CODESET), "UTF-8") != 0;
	ui_layout(ui);
	ui_folders_reload(ui);
	ui_folders_open_default(ui, ui->selected);
	ui_submit(ui, ui->selected, WORKER_SYNC_ALL, 0, 0, 0);
	for (i = 0; i < ui->naccounts; i++) {
		if (i != ui->selected)
			ui_submit(ui, i, WORKER_SYNC_ALL, 0, 0, 0);
	}
	/* What a last run left unsent goes out once the syncs are done. */
	ui_outbox_reload(ui);
	ui->last_refresh_ms = ui_now_ms();
	ui_redraw(ui);
}

/* Run the interactive UI (see ui.h). */
int
ui_run(const struct config *cfg, const char *account, const char *cache_path,
    struct error *err)
{
	struct ui		ui;
	struct sigaction	old[UI_NSIGNALS];
	bool			term = false, sigs = false;
	int			rc = -1;

	memset(&ui, 0, sizeof ui);
	ui.cfg = cfg;
	ui.wake_fd[0] = ui.wake_fd[1] = ui.sig_fd[0] = ui.sig_fd[1] = -1;
	if (ui_accounts_init(&ui, account, err) != 0)
		goto out;
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		error_set(err, ERR_SYS, ERR_SCOPE_OP,
		    _("the user interface needs a terminal"));
		goto out;
	}
	if ((ui.cache = cache_open(cache_path, err)) == NULL)
		goto out;
	ui.cache_path = cache_path;
	if (ui_pipes_open(&ui, err) != 0)
		goto out;
	if (ui_term_start(&ui, err) != 0)
		goto out;
	term = true;
	if (ui_workers_start(&ui, cache_path, err) != 0)
		goto out;
	ui_signals_install(&ui, old);
	sigs = true;
	ui_start(&ui);
	ui_loop(&ui);
	/* A message being written when petrel is told to go is kept. */
	ui_compose_keep(&ui);
	ui_status_set_message(&ui, false, _("Quitting..."));
	ui_redraw(&ui);
	rc = 0;
out:
	if (sigs)
		ui_signals_restore(old);
	ui_workers_stop(&ui);
	if (term) {
		endwin();
		delscreen(ui.screen);
	}
	ui_fini(&ui);
	return rc;
}
