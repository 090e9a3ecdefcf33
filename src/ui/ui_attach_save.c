/*
 * ui_attach_save.c - saving parts of a message to a directory (s, S in the
 * part list).
 *
 * The directory is typed at a prompt (~ expanded; it starts as the last
 * one used, else ~/Downloads when it exists, else ~).  The file name is the
 * part's filename made safe by ui_attach_safe_name (no path, no control or
 * bidi characters, no leading '.' or '-': "../../.bashrc" is saved as
 * "_.bashrc"), else "part-PATH" (with ".eml" for a message/rfc822 part,
 * which is saved whole).  Files are created with openat() in the
 * opened directory, 0600, O_EXCL and O_NOFOLLOW: a name never leaves the
 * directory, a symbolic link is never followed, and an existing file is
 * overwritten only after a y/n question (S saves under "name-1.ext"
 * instead).  The bytes written are the part's decoded body.  UI thread
 * only.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ui/ui_attach_name.h"
#include "ui/ui_i18n.h"
#include "ui/ui_internal.h"
#include "ui/ui_path.h"
#include "util/sanitize.h"
#include "util/xmalloc.h"

/* Most "-N" alternatives S tries for a name that exists. */
#define UI_ATTACH_ALT_MAX	999

/* The directory offered first: the last one, ~/Downloads, or ~. */
static char *
ui_attach_default_dir(const struct ui_pager *p)
{
	const char	*home = getenv("HOME");
	struct stat	 st;
	char		*dl;

	if (p->save_dir[0] != '\0')
		return xstrdup(p->save_dir);
	if (home == NULL || *home == '\0')
		return xstrdup(".");
	dl = xasprintf("%s/Downloads", home);
	if (stat(dl, &st) == 0 && S_ISDIR(st.st_mode))
		return dl;
	free(dl);
	return xstrdup(home);
}

/* s / S: ask where to save part (s) or every attachment (S). */
void
ui_attach_save_ask(struct ui *ui, size_t part, bool all)
{
	struct ui_pager	*p = &ui->pager;
	char		*dir;

	if (!all && (part >= p->tree.n ||
	    p->tree.v[part].kind == MIME_PART_MULTIPART)) {
		ui_status_set_message(ui, false, _("This part holds other "
		    "parts: save them one by one, or all with S."));
		return;
	}
	p->attach.part = part;
	p->attach.all = all;
	dir = ui_attach_default_dir(p);
	ui_prompt_start(ui, UI_PROMPT_ATTACH_DIR, all ?
	    _("Save all attachments to directory: ") :
	    _("Save the part to directory: "), dir);
	free(dir);
}

/* The safe file name of part i ("part-PATH[.eml]" when it has none). */
static char *
ui_attach_file_name(const struct mime_tree *t, size_t i)
{
	char	path[MIME_PART_PATH_MAX], *fallback, *name;

	mime_part_path(t, i, path, sizeof path);
	fallback = xasprintf("part-%s%s", path,
	    t->v[i].kind == MIME_PART_MESSAGE ? ".eml" : "");
	name = ui_attach_safe_name(t->v[i].filename, fallback);
	free(fallback);
	return name;
}

/* Write all of (data, len) to fd and close it; -1 with errno set. */
static int
ui_attach_write_fd(int fd, const char *data, size_t len)
{
	size_t	off = 0;
	ssize_t	w;
	int	saved;

	while (off < len) {
		w = write(fd, data + off, len - off);
		if (w == -1 && errno == EINTR)
			continue;
		if (w <= 0) {
			saved = w == 0 ? EIO : errno;
			close(fd);
			errno = saved;
			return -1;
		}
		off += (size_t)w;
	}
	return close(fd);
}

/* Decode part i and write it to fd; the message line says how it went. */
static bool
ui_attach_write(struct ui *ui, int fd, size_t i, const char *shown)
{
	struct buf	 b = BUF_INITIALIZER(0);
	char		*clean = sanitize_line_dup(shown), *msg;
	bool		 ok;

	mime_part_decode(&ui->pager.tree.v[i], &b);
	ok = ui_attach_write_fd(fd, buf_str(&b), b.len) == 0;
	if (ok)
		msg = xasprintf(_("Saved %zu bytes to %s."), b.len, clean);
	else
		msg = xasprintf("%s: %s", clean, strerror(errno));
	ui_status_set_message(ui, !ok, msg);
	free(msg);
	free(clean);
	buf_fini(&b);
	return ok;
}

/* Open name in dirfd for a new file (O_EXCL); -1 with errno set. */
static int
ui_attach_create(int dirfd, const char *name, bool overwrite)
{
	int	flags = O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW;

	flags |= overwrite ? O_TRUNC : O_EXCL;
	return openat(dirfd, name, flags, 0600);
}

/* Save one part in the directory; an existing file is asked about. */
static void
ui_attach_save_one(struct ui *ui, int dirfd, const char *dir, size_t i)
{
	struct ui_attach	*a = &ui->pager.attach;
	char			*name, *full, *clean, *q;
	int			 fd;

	name = ui_attach_file_name(&ui->pager.tree, i);
	full = xasprintf("%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" :
	    "/", name);
	if ((fd = ui_attach_create(dirfd, name, false)) != -1)
		ui_attach_write(ui, fd, i, full);
	else if (errno == EEXIST) {
		free(a->path);
		a->path = xstrdup(full);
		a->part = i;
		clean = sanitize_line_dup(full);
		q = xasprintf(_("%s exists: overwrite? (y/n) "), clean);
		ui_prompt_start(ui, UI_CONFIRM_ATTACH_OVERWRITE, q, NULL);
		free(q);
		free(clean);
	} else {
		clean = sanitize_line_dup(full);
		q = xasprintf("%s: %s", clean, strerror(errno));
		ui_status_set_message(ui, true, q);
		free(q);
		free(clean);
	}
	free(full);
	free(name);
}

/*
 * Whether S saves a part: an encapsulated message, or a leaf with a
 * filename, or attached, or not text.
 */
static bool
ui_attach_is_attachment(const struct mime_part *p)
{
	if (p->kind == MIME_PART_MESSAGE)
		return true;
	return p->kind == MIME_PART_LEAF && (p->filename != NULL ||
	    strcmp(p->disposition, "attachment") == 0 ||
	    strcmp(p->type, "text") != 0);
}

/* The first part after part i's descendants. */
static size_t
ui_attach_subtree_end(const struct mime_tree *t, size_t i)
{
	size_t	j = i + 1;

	while (j < t->n && t->v[j].depth > t->v[i].depth)
		j++;
	return j;
}

/*
 * S: save every attachment, a name that exists gets "-N" added.  An
 * encapsulated message is saved whole, its own parts not again.
 */
static void
ui_attach_save_all(struct ui *ui, int dirfd, const char *dir)
{
	const struct mime_tree	*t = &ui->pager.tree;
	char			*name, *alt, *msg, *clean;
	size_t			 i, next, saved = 0, found = 0;
	unsigned		 k;
	int			 fd, err;

	for (i = 0; i < t->n; i = next) {
		next = t->v[i].kind == MIME_PART_MESSAGE ?
		    ui_attach_subtree_end(t, i) : i + 1;
		if (!ui_attach_is_attachment(&t->v[i]))
			continue;
		found++;
		name = ui_attach_file_name(t, i);
		fd = ui_attach_create(dirfd, name, false);
		err = errno;
		for (k = 1; fd == -1 && err == EEXIST &&
		    k <= UI_ATTACH_ALT_MAX; k++) {
			alt = ui_attach_alt_name(name, k);
			fd = ui_attach_create(dirfd, alt, false);
			err = errno;
			if (fd != -1) {
				free(name);
				name = alt;
			} else
				free(alt);
		}
		if (fd != -1 && ui_attach_write(ui, fd, i, name))
			saved++;
		free(name);
	}
	clean = sanitize_line_dup(dir);
	if (found == 0)
		msg = xstrdup(_("No attachments to save."));
	else
		msg = xasprintf(_("Saved %zu of %zu attachments to %s."),
		    saved, found, clean);
	ui_status_set_message(ui, saved < found, msg);
	free(msg);
	free(clean);
}

/* The directory was typed: save there. */
void
ui_attach_save_dir(struct ui *ui, const char *typed)
{
	struct ui_pager	*p = &ui->pager;
	char		*dir, *clean, *msg;
	int		 dirfd;

	if ((dir = ui_path_expand(typed, getenv("HOME"))) == NULL) {
		ui_status_set_message(ui, true, _("Cannot expand ~ in that "
		    "path."));
		return;
	}
	if (strlen(dir) < sizeof p->save_dir)
		memcpy(p->save_dir, dir, strlen(dir) + 1);
	dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dirfd == -1) {
		clean = sanitize_line_dup(dir);
		msg = xasprintf("%s: %s", clean, strerror(errno));
		ui_status_set_message(ui, true, msg);
		free(msg);
		free(clean);
	} else {
		if (p->attach.all)
			ui_attach_save_all(ui, dirfd, dir);
		else if (p->attach.part < p->tree.n)
			ui_attach_save_one(ui, dirfd, dir, p->attach.part);
		close(dirfd);
	}
	free(dir);
}

/* y: overwrite the file the question was about (never through a link). */
void
ui_attach_overwrite(struct ui *ui)
{
	struct ui_attach	*a = &ui->pager.attach;
	char			*clean, *msg;
	int			 fd;

	if (a->path == NULL || a->part >= ui->pager.tree.n)
		return;
	fd = ui_attach_create(AT_FDCWD, a->path, true);
	if (fd != -1)
		ui_attach_write(ui, fd, a->part, a->path);
	else {
		clean = sanitize_line_dup(a->path);
		msg = xasprintf("%s: %s", clean, strerror(errno));
		ui_status_set_message(ui, true, msg);
		free(msg);
		free(clean);
	}
	free(a->path);
	a->path = NULL;
}
