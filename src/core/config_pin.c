/*
 * config_pin.c - write "tls_fingerprint = sha256:..." into an account's
 * section of the config file, changing nothing else.
 *
 * Only ever on the user's explicit yes (the UI's pin offer).  The file is
 * read whole (bounded), the line inserted after the section header, and
 * the result written to a temporary file in the same directory, synced,
 * given the old mode and renamed over the original, so a crash leaves the
 * old file or the new one, never half of one.  A section that already has
 * a tls_fingerprint is refused: the user's pin is not overwritten.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/config_pin.h"
#include "util/buf.h"
#include "util/xmalloc.h"

#define CONFIG_PIN_KEY	"tls_fingerprint"

/* Is s "sha256:" and 32 hex bytes, colons allowed, nothing else? */
static bool
config_pin_valid(const char *s)
{
	size_t	digits = 0;

	if (strncmp(s, "sha256:", 7) != 0)
		return false;
	for (s += 7; *s != '\0'; s++) {
		if (*s == ':')
			continue;
		if (!isxdigit((unsigned char)*s))
			return false;
		digits++;
	}
	return digits == 64;
}

/* Skip spaces and tabs from p up to end. */
static const char *
config_pin_skip(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	return p;
}

/*
 * If the line [p, end) is a section header, its name (trimmed) in
 * [*name, *name + *len); false otherwise.
 */
static bool
config_pin_header(const char *p, const char *end, const char **name,
    size_t *len)
{
	const char	*close;

	p = config_pin_skip(p, end);
	if (p >= end || *p != '[')
		return false;
	p++;
	if ((close = memchr(p, ']', (size_t)(end - p))) == NULL)
		return false;
	*name = p;
	*len = (size_t)(close - p);
	while (*len > 0 && isspace((unsigned char)p[*len - 1]))
		(*len)--;
	return true;
}

/* Is this header name "account NAME" for account? */
static bool
config_pin_is_account(const char *name, size_t len, const char *account)
{
	const char	*end = name + len;

	if (len < 8 || strncmp(name, "account", 7) != 0 ||
	    !isspace((unsigned char)name[7]))
		return false;
	name += 7;
	while (name < end && isspace((unsigned char)*name))
		name++;
	return (size_t)(end - name) == strlen(account) &&
	    memcmp(name, account, (size_t)(end - name)) == 0;
}

/* Is the line [p, end) a "tls_fingerprint = ..." (or ':') key line? */
static bool
config_pin_is_key(const char *p, const char *end)
{
	size_t	klen = strlen(CONFIG_PIN_KEY);

	p = config_pin_skip(p, end);
	if ((size_t)(end - p) < klen || memcmp(p, CONFIG_PIN_KEY, klen) != 0)
		return false;
	p = config_pin_skip(p + klen, end);
	return p < end && (*p == '=' || *p == ':');
}

/* Where the section header of account ends (after its newline), or NULL. */
static const char *
config_pin_find(const char *text, size_t len, const char *account,
    bool *has_pin)
{
	const char	*p = text, *end = text + len, *eol, *name;
	const char	*after = NULL;
	size_t		 nlen;

	*has_pin = false;
	for (; p < end; p = eol) {
		eol = memchr(p, '\n', (size_t)(end - p));
		eol = eol != NULL ? eol + 1 : end;
		if (config_pin_header(p, eol, &name, &nlen)) {
			if (after != NULL)
				break;	/* the account's section ended */
			if (config_pin_is_account(name, nlen, account))
				after = eol;
		} else if (after != NULL && config_pin_is_key(p, eol))
			*has_pin = true;
	}
	return after;
}

/* The config text with the pin line inserted (see config_pin.h). */
char *
config_pin_insert(const char *text, size_t len, const char *account,
    const char *fingerprint, size_t *out_len, struct error *err)
{
	const char	*at;
	struct buf	 b;
	bool		 has_pin;

	if (!config_pin_valid(fingerprint)) {
		error_set(err, ERR_CONFIG, ERR_SCOPE_OP,
		    "not a sha256 fingerprint: %s", fingerprint);
		return NULL;
	}
	if ((at = config_pin_find(text, len, account, &has_pin)) == NULL) {
		error_set(err, ERR_CONFIG, ERR_SCOPE_OP,
		    "no [account %s] section in the config file", account);
		return NULL;
	}
	if (has_pin) {
		error_set(err, ERR_CONFIG, ERR_SCOPE_OP, "[account %s] has a "
		    "tls_fingerprint already; not changed", account);
		return NULL;
	}
	buf_init(&b, 0);
	buf_add(&b, text, (size_t)(at - text));
	/* A header on the file's last line has no newline yet. */
	if (at > text && at[-1] != '\n')
		buf_addc(&b, '\n');
	buf_printf(&b, "%s = %s\n", CONFIG_PIN_KEY, fingerprint);
	buf_add(&b, at, len - (size_t)(at - text));
	*out_len = b.len;
	return buf_take(&b);
}

/* Read the whole file (at most CONFIG_PIN_MAX_FILE bytes). */
static char *
config_pin_read(int fd, const char *path, size_t *len, struct error *err)
{
	struct buf	 b;
	ssize_t		 n;
	char		*p;

	/* Room for one more read past the limit, to notice it. */
	buf_init(&b, CONFIG_PIN_MAX_FILE + 4096);
	while (b.len <= CONFIG_PIN_MAX_FILE) {
		if ((p = buf_reserve(&b, 4096)) == NULL)
			break;
		if ((n = read(fd, p, 4096)) == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			error_sys(err, ERR_SCOPE_OP, errno, "%s", path);
			goto fail;
		}
		if (n == 0) {
			*len = b.len;
			return buf_take(&b);
		}
		buf_commit(&b, (size_t)n);
	}
	error_set(err, ERR_TOOBIG, ERR_SCOPE_OP, "%s: too big to rewrite",
	    path);
fail:
	buf_fini(&b);
	return NULL;
}

/* Write all of data to fd. */
static int
config_pin_write_all(int fd, const char *data, size_t len)
{
	ssize_t	n;

	while (len > 0) {
		n = write(fd, data, len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		data += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Write data to a temporary file beside path, then rename it over. */
static int
config_pin_replace(const char *path, mode_t mode, const char *data,
    size_t len, struct error *err)
{
	char	*tmp;
	int	 fd, rc = -1;

	tmp = xasprintf("%s.pin-XXXXXX", path);
	if ((fd = mkstemp(tmp)) == -1) {
		error_sys(err, ERR_SCOPE_OP, errno, "%s", tmp);
		goto out;
	}
	if (fchmod(fd, mode & 07777) == -1 ||
	    config_pin_write_all(fd, data, len) == -1 || fsync(fd) == -1) {
		error_sys(err, ERR_SCOPE_OP, errno, "%s", tmp);
		close(fd);
		unlink(tmp);
		goto out;
	}
	if (close(fd) == -1 || rename(tmp, path) == -1) {
		error_sys(err, ERR_SCOPE_OP, errno, "%s", path);
		unlink(tmp);
		goto out;
	}
	rc = 0;
out:
	free(tmp);
	return rc;
}

/* Insert the pin into the config file (see config_pin.h). */
int
config_pin_write(const char *path, const char *account,
    const char *fingerprint, struct error *err)
{
	struct stat	 st;
	char		*real = NULL, *text = NULL, *out = NULL;
	size_t		 len = 0, olen = 0;
	int		 fd = -1, rc = -1;

	/* Through a symlink: rewrite the file it points to. */
	if ((real = realpath(path, NULL)) == NULL) {
		error_sys(err, ERR_SCOPE_OP, errno, "%s", path);
		goto out;
	}
	if ((fd = open(real, O_RDONLY | O_CLOEXEC)) == -1 ||
	    fstat(fd, &st) == -1) {
		error_sys(err, ERR_SCOPE_OP, errno, "%s", real);
		goto out;
	}
	if ((text = config_pin_read(fd, real, &len, err)) == NULL)
		goto out;
	if ((out = config_pin_insert(text, len, account, fingerprint, &olen,
	    err)) == NULL)
		goto out;
	rc = config_pin_replace(real, st.st_mode, out, olen, err);
out:
	if (fd != -1)
		close(fd);
	free(real);
	free(text);
	free(out);
	return rc;
}

/* The fingerprint and reason of a verification error (see config_pin.h). */
int
config_pin_parse_error(const char *msg, char **fingerprint, char **reason)
{
	static const char	 fail[] = "certificate verification failed: ";
	static const char	 cert[] = " (server certificate ";
	const char		*r, *c, *f, *end;

	*fingerprint = *reason = NULL;
	if ((r = strstr(msg, fail)) == NULL)
		return -1;
	r += sizeof fail - 1;
	if ((c = strstr(r, cert)) == NULL)
		return -1;
	f = c + sizeof cert - 1;
	if ((end = strchr(f, ')')) == NULL || end[1] != '\0')
		return -1;
	*fingerprint = xstrndup(f, (size_t)(end - f));
	if (!config_pin_valid(*fingerprint)) {
		free(*fingerprint);
		*fingerprint = NULL;
		return -1;
	}
	*reason = xstrndup(r, (size_t)(c - r));
	return 0;
}
