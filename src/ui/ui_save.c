/*
 * ui_save.c - saving a message, as the server sent it, to a file (>).
 *
 * The path is typed at a prompt (a leading ~ expanded, nothing else); an
 * existing file is overwritten only after a y/n question, and a new file
 * is created 0600 (mail is private).  A message whose body is not cached
 * yet is fetched by the worker first; the save completes when its
 * WORKER_EV_BODY arrives.  Saving changes nothing on the server, so
 * read-only accounts save too (the fetch uses BODY.PEEK).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ui/ui_i18n.h"
#include "ui/ui_internal.h"
#include "ui/ui_path.h"
#include "util/sanitize.h"
#include "util/xmalloc.h"

/* Forget a save in waiting. */
void
ui_save_fini(struct ui_save *s)
{
	free(s->path);
	memset(s, 0, sizeof *s);
}

/* >: ask where to save the message under the cursor (or in the pager). */
void
ui_save_ask(struct ui *ui, bool tagged)
{
	const struct cache_msg	*m;
	int64_t			 id = 0;

	if (tagged) {
		ui_status_set_message(ui, false,
		    _("Saving to a file takes one message at a time."));
		return;
	}
	if (ui->mode == UI_MODE_PAGER)
		id = ui->pager.msg_id;
	else if ((m = ui_index_current(ui)) != NULL)
		id = m->id;
	if (id == 0) {
		ui_status_set_message(ui, false, _("No message here."));
		return;
	}
	ui_prompt_start(ui, UI_PROMPT_SAVE, _("Save to file: "), NULL);
	ui->prompt.msg_id = id;
}

/* Write all of (raw, len) to path; the message line says how it went. */
static void
ui_save_write(struct ui *ui, const char *path, const char *raw, size_t len,
    bool overwrite)
{
	char	*clean = sanitize_line_dup(path), *s;
	size_t	 off = 0;
	ssize_t	 w;
	int	 fd, flags = O_WRONLY | O_CREAT | O_CLOEXEC;

	flags |= overwrite ? O_TRUNC : O_EXCL;
	if ((fd = open(path, flags, 0600)) == -1)
		goto fail;
	while (off < len) {
		w = write(fd, raw + off, len - off);
		if (w == -1 && errno == EINTR)
			continue;
		if (w <= 0) {
			if (w == 0)
				errno = EIO;
			w = errno;
			close(fd);
			errno = (int)w;
			goto fail;
		}
		off += (size_t)w;
	}
	if (close(fd) == -1)
		goto fail;
	s = xasprintf(_("Saved %zu bytes to %s."), len, clean);
	ui_status_set_message(ui, false, s);
	free(s);
	free(clean);
	return;
fail:
	s = xasprintf("%s: %s", clean, strerror(errno));
	ui_status_set_message(ui, true, s);
	free(s);
	free(clean);
}

/* Ask before overwriting an existing file. */
static void
ui_save_confirm(struct ui *ui, int64_t msg_id, const char *path)
{
	char	*clean = sanitize_line_dup(path), *s;

	s = xasprintf(_("%s exists: overwrite? (y/n) "), clean);
	ui_prompt_start(ui, UI_CONFIRM_OVERWRITE, s, NULL);
	ui->prompt.msg_id = msg_id;
	ui->prompt.path = xstrdup(path);
	free(s);
	free(clean);
}

/* Have the worker fetch the body; finish when it is in the cache. */
static void
ui_save_wait(struct ui *ui, int64_t msg_id, const char *path,
    bool overwrite)
{
	struct cache_msg	m;
	struct error		err;

	if (cache_msg_get(ui->cache, msg_id, &m, &err) != 0) {
		ui_status_set_message(ui, true, _("That message is gone."));
		cache_msg_fini(&m);
		return;
	}
	ui_save_fini(&ui->save);
	ui->save.msg_id = msg_id;
	ui->save.path = xstrdup(path);
	ui->save.overwrite = overwrite;
	ui_submit(ui, ui->index.account, WORKER_FETCH_BODY, m.folder_id,
	    msg_id, 0);
	ui_status_set_message(ui, false, _("Fetching the message to save "
	    "it..."));
	cache_msg_fini(&m);
}

/*
 * Save msg_id to path: typed (tilde expanded, existing file asked about)
 * unless overwrite, when it is the expanded path already confirmed.
 */
void
ui_save_start(struct ui *ui, int64_t msg_id, const char *typed,
    bool overwrite)
{
	struct stat	 st;
	struct error	 err;
	char		*path, *raw = NULL;
	size_t		 len = 0;
	int		 r;

	path = overwrite ? xstrdup(typed) : ui_path_expand(typed,
	    getenv("HOME"));
	if (path == NULL) {
		ui_status_set_message(ui, false, typed == NULL ||
		    *typed == '\0' ? _("Cancelled.") :
		    _("Cannot expand ~ in that path."));
		return;
	}
	if (!overwrite && lstat(path, &st) == 0) {
		ui_save_confirm(ui, msg_id, path);
		free(path);
		return;
	}
	r = cache_body_get(ui->cache, msg_id, &raw, &len, &err);
	if (r == 0)
		ui_save_write(ui, path, raw, len, overwrite);
	else if (r == 1)
		ui_save_wait(ui, msg_id, path, overwrite);
	else
		ui_status_set_message(ui, true, err.msg);
	free(raw);
	free(path);
}

/* A body arrived: finish the save waiting for it, if any. */
void
ui_save_body_ready(struct ui *ui, int64_t msg_id)
{
	struct ui_save	 s = ui->save;
	struct error	 err;
	char		*raw = NULL;
	size_t		 len = 0;

	if (s.msg_id == 0 || s.msg_id != msg_id)
		return;
	memset(&ui->save, 0, sizeof ui->save);
	if (cache_body_get(ui->cache, msg_id, &raw, &len, &err) == 0)
		ui_save_write(ui, s.path, raw, len, s.overwrite);
	else
		ui_status_set_message(ui, true,
		    _("The message could not be fetched."));
	free(raw);
	ui_save_fini(&s);
}
