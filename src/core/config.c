/*
 * config.c - reading the INI configuration into typed structs.
 *
 * libinih does the INI syntax; this file checks sections, keys and values
 * and reports the first problem as "FILE:LINE: what is wrong".  The
 * pager's [general] keys are parsed here too, commands split into words
 * once (config_argv_split) so nothing runs them through a shell.  inih does
 * not pass line numbers to handlers, so the reader callback counts lines
 * itself (inih reads exactly one line per reader call).
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <ini.h>

#include "core/config.h"
#include "core/config_impl.h"
#include "mime/mime.h"
#include "util/buf.h"
#include "util/xmalloc.h"

#define CONFIG_DEFAULT_CONNECT_TIMEOUT_MS	10000
#define CONFIG_DEFAULT_TIMEOUT_MS		60000
#define CONFIG_DEFAULT_GREETING_TIMEOUT_MS	5000
#define CONFIG_ARGV_WORD_MAX			4096

/* Record the first error at the current line; returns 0 (inih: "stop"). */
int
config_fail(struct config_reader *r, const char *fmt, ...)
{
	char	msg[ERROR_MSG_MAX];
	va_list	ap;

	if (!r->failed) {
		va_start(ap, fmt);
		vsnprintf(msg, sizeof msg, fmt, ap);
		va_end(ap);
		error_set(r->err, ERR_CONFIG, ERR_SCOPE_ACCOUNT, "%s:%d: %s",
		    r->name, r->line, msg);
		r->failed = true;
	}
	return 0;
}

static int	config_section(struct config_reader *, const char *);

/*
 * A "[name]" line starts a section.  inih only reports sections through
 * their keys, so the reader sees them here, with their own line numbers
 * (an empty [account] section is still checked).
 */
static void
config_line_section(struct config_reader *r, const char *line)
{
	const char	*p, *end;
	char		*name;
	size_t		 len;

	p = line;
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p != '[' || (end = strchr(p, ']')) == NULL || r->failed)
		return;
	p++;
	len = (size_t)(end - p);
	while (len > 0 && isspace((unsigned char)p[len - 1]))
		len--;
	name = xstrndup(p, len);
	config_section(r, name);
	free(name);
}

/* inih's line reader over a memory buffer; counts lines. */
static char *
config_read_line(char *str, int num, void *stream)
{
	struct config_reader	*r = stream;
	const char		*nl;
	size_t			 len, max;

	if (r->pos >= r->end || num < 2)
		return NULL;
	r->line++;
	nl = memchr(r->pos, '\n', (size_t)(r->end - r->pos));
	len = nl != NULL ? (size_t)(nl - r->pos) + 1 : (size_t)(r->end - r->pos);
	max = (size_t)num - 1;
	if (len > max) {
		config_fail(r, "line too long (at most %zu characters)",
		    max - 2);
		memcpy(str, "\n", 2);
	} else {
		memcpy(str, r->pos, len);
		str[len] = '\0';
		if (memchr(str, '\0', len) != NULL)
			config_fail(r, "NUL byte in line");
	}
	r->pos += len;
	config_line_section(r, str);
	return str;
}

/* Parse "true/false/yes/no/on/off/1/0". */
int
config_bool(const char *v, bool *out)
{
	if (strcasecmp(v, "true") == 0 || strcasecmp(v, "yes") == 0 ||
	    strcasecmp(v, "on") == 0 || strcmp(v, "1") == 0)
		*out = true;
	else if (strcasecmp(v, "false") == 0 || strcasecmp(v, "no") == 0 ||
	    strcasecmp(v, "off") == 0 || strcmp(v, "0") == 0)
		*out = false;
	else
		return -1;
	return 0;
}

/* Parse a whole number of seconds (1..86400) into milliseconds. */
int
config_seconds(const char *v, int *ms)
{
	char	*end;
	long	 n;

	errno = 0;
	n = strtol(v, &end, 10);
	if (errno != 0 || end == v || *end != '\0' || n < 1 || n > 86400)
		return -1;
	*ms = (int)n * 1000;
	return 0;
}

/* Parse a TCP port 1..65535. */
int
config_port(const char *v)
{
	char	*end;
	long	 n;

	errno = 0;
	n = strtol(v, &end, 10);
	if (errno != 0 || end == v || *end != '\0' || n < 1 || n > 65535)
		return -1;
	return 0;
}

/* Replace a string field, refusing a second assignment. */
int
config_set_str(struct config_reader *r, char **field, const char *key,
    const char *value)
{
	if (*field != NULL)
		return config_fail(r, "duplicate key '%s'", key);
	if (*value == '\0')
		return config_fail(r, "empty value for '%s'", key);
	*field = xstrdup(value);
	return 1;
}

/* Free a NULL-terminated word array. */
void
config_argv_free(char **argv)
{
	size_t	i;

	if (argv == NULL)
		return;
	for (i = 0; argv[i] != NULL; i++)
		free(argv[i]);
	free(argv);
}

/*
 * Read one word of a command line starting at s[*i] (not a blank) into w;
 * -1 for an unbalanced quote.
 */
static int
config_argv_word(const char *s, size_t *i, struct buf *w)
{
	char	q = 0, c;

	for (; s[*i] != '\0'; (*i)++) {
		c = s[*i];
		if (q == 0 && (c == ' ' || c == '\t'))
			break;
		if (q == 0 && (c == '\'' || c == '"'))
			q = c;
		else if (q != 0 && c == q)
			q = 0;
		else if (c == '\\' && q == 0 && s[*i + 1] != '\0')
			buf_addc(w, s[++(*i)]);
		else if (c == '\\' && q == '"' && s[*i + 1] != '\0' &&
		    strchr("\\\"$`", s[*i + 1]) != NULL)
			buf_addc(w, s[++(*i)]);
		else
			buf_addc(w, c);
	}
	return q == 0 ? 0 : -1;
}

/* Split a command line into words (see config.h). */
int
config_argv_split(const char *s, char ***argv, const char **why)
{
	struct buf	 w = BUF_INITIALIZER(CONFIG_ARGV_WORD_MAX);
	char		**v;
	size_t		 n = 0, i = 0;
	int		 rc = -1;

	*argv = NULL;
	v = xcalloc(CONFIG_ARGV_MAX + 1, sizeof *v);
	for (;;) {
		while (s[i] == ' ' || s[i] == '\t')
			i++;
		if (s[i] == '\0')
			break;
		if (n == CONFIG_ARGV_MAX) {
			*why = "too many words";
			goto out;
		}
		buf_reset(&w);
		if (config_argv_word(s, &i, &w) == -1 || w.too_big) {
			*why = w.too_big ? "a word is too long" :
			    "unbalanced quote";
			goto out;
		}
		v[n++] = xstrndup(buf_str(&w), w.len);
	}
	if (n == 0) {
		*why = "no command";
		goto out;
	}
	*argv = v;
	v = NULL;
	rc = 0;
out:
	buf_fini(&w);
	config_argv_free(v);
	return rc;
}

/* pager_headers: field names (RFC 5322 ftext), blank-separated. */
static int
config_pager_headers(struct config_reader *r, const char *v)
{
	struct config_pager	*p = &r->cfg->pager;
	const char		*w = v;
	size_t			 len, i;

	if (p->headers != NULL)
		return config_fail(r, "duplicate key 'pager_headers'");
	p->headers = xcalloc(CONFIG_HEADERS_MAX + 1, sizeof *p->headers);
	for (;;) {
		w += strspn(w, " \t,");
		if ((len = strcspn(w, " \t,")) == 0)
			break;
		for (i = 0; i < len; i++) {
			if (w[i] <= ' ' || w[i] >= 127 || w[i] == ':')
				return config_fail(r, "pager_headers: '%.*s' "
				    "is not a header name", (int)len, w);
		}
		if (len > 76 || p->nheaders == CONFIG_HEADERS_MAX)
			return config_fail(r, "pager_headers: at most %d "
			    "names of at most 76 characters",
			    CONFIG_HEADERS_MAX);
		p->headers[p->nheaders++] = xstrndup(w, len);
		w += len;
	}
	if (p->nheaders == 0)
		return config_fail(r, "empty value for 'pager_headers'");
	return 1;
}

/* A command key: html_command or url_command, split into words. */
static int
config_pager_command(struct config_reader *r, char ***argv, const char *key,
    const char *v)
{
	struct config_pager	*p = &r->cfg->pager;
	const char		*why;
	bool			 html = strcmp(key, "html_command") == 0;

	if (*argv != NULL || (html && (p->html_internal || p->html_mailcap)))
		return config_fail(r, "duplicate key '%s'", key);
	if (html && strcmp(v, "internal") == 0) {
		p->html_internal = true;
		return 1;
	}
	if (html && strcmp(v, "mailcap") == 0) {
		p->html_mailcap = true;
		return 1;
	}
	if (config_argv_split(v, argv, &why) == -1)
		return config_fail(r, "%s: %s", key, why);
	return 1;
}

/* A [general] key of the pager or the composer; -1 if not one. */
static int
config_pager_key(struct config_reader *r, const char *key, const char *v)
{
	struct config_pager	*p = &r->cfg->pager;

	if (strcmp(key, "pager_headers") == 0)
		return config_pager_headers(r, v);
	if (strcmp(key, "prefer_html") == 0) {
		if (config_bool(v, &p->prefer_html) == -1)
			return config_fail(r, "prefer_html must be yes or no, "
			    "not '%s'", v);
		return 1;
	}
	if (strcmp(key, "html_command") == 0)
		return config_pager_command(r, &p->html_argv, key, v);
	if (strcmp(key, "url_command") == 0)
		return config_pager_command(r, &p->url_argv, key, v);
	if (strcmp(key, "charset_fallback") == 0) {
		if (!mime_charset_known(v))
			return config_fail(r, "charset_fallback: unknown "
			    "charset '%s'", v);
		return config_set_str(r, &p->charset_fallback, key, v);
	}
	if (strcmp(key, "editor") == 0) {
		char		**argv;
		const char	 *why;

		if (config_argv_split(v, &argv, &why) == -1)
			return config_fail(r, "editor: %s", why);
		config_argv_free(argv);
		return config_set_str(r, &r->cfg->editor, key, v);
	}
	if (strcmp(key, "aliases_file") == 0)
		return config_set_str(r, &r->cfg->aliases_file, key, v);
	if (strcmp(key, "format_flowed") == 0) {
		if (config_bool(v, &r->cfg->format_flowed) == -1)
			return config_fail(r, "format_flowed must be yes or no, "
			    "not '%s'", v);
		return 1;
	}
	return -1;
}

/* The default pager_headers when the file names none. */
static void
config_pager_defaults(struct config_pager *p)
{
	static const char *const dflt[] = { "From", "To", "Cc", "Date",
	    "Subject" };
	size_t			 i, n = sizeof dflt / sizeof dflt[0];

	if (p->headers != NULL)
		return;
	p->headers = xcalloc(n + 1, sizeof *p->headers);
	for (i = 0; i < n; i++)
		p->headers[i] = xstrdup(dflt[i]);
	p->nheaders = n;
}

/* Start a section: [general] or [account NAME]. */
static int
config_section(struct config_reader *r, const char *section)
{
	const char		*name;
	struct config_account	*a;
	size_t			 i;

	free(r->section);
	r->section = xstrdup(section);
	r->acct = NULL;
	r->proxy = NULL;
	r->in_general = false;
	if (strcmp(section, "general") == 0) {
		r->in_general = true;
		return 1;
	}
	if (strncmp(section, "proxy", 5) == 0 && isspace((unsigned char)section[5])) {
		name = section + 5;
		while (isspace((unsigned char)*name))
			name++;
		return config_net_proxy_section(r, name);
	}
	if (strncmp(section, "account", 7) != 0 || !isspace((unsigned char)section[7]))
		return config_fail(r, "unknown section [%s]", section);
	name = section + 7;
	while (isspace((unsigned char)*name))
		name++;
	for (i = 0; name[i] != '\0'; i++) {
		if (!isalnum((unsigned char)name[i]) && strchr("-_.@", name[i]) == NULL)
			return config_fail(r, "bad account name '%s' "
			    "(letters, digits and -_.@ only)", name);
	}
	if (i == 0)
		return config_fail(r, "[account] needs a name");
	for (i = 0; i < r->cfg->naccounts; i++) {
		if (strcmp(r->cfg->accounts[i].name, name) == 0)
			return config_fail(r, "duplicate account '%s'", name);
	}
	r->cfg->accounts = xreallocarray(r->cfg->accounts,
	    r->cfg->naccounts + 1, sizeof *r->cfg->accounts);
	a = &r->cfg->accounts[r->cfg->naccounts++];
	memset(a, 0, sizeof *a);
	a->name = xstrdup(name);
	a->security = CONFIG_SEC_IMPLICIT;
	a->connect_timeout_ms = CONFIG_DEFAULT_CONNECT_TIMEOUT_MS;
	a->greeting_timeout_ms = CONFIG_DEFAULT_GREETING_TIMEOUT_MS;
	a->timeout_ms = CONFIG_DEFAULT_TIMEOUT_MS;
	a->leave_days = -1;
	a->send.save_sent = true;
	a->line = r->line;
	r->acct = a;
	return 1;
}

/* One key of an [account] section. */
static int
config_account_key(struct config_reader *r, struct config_account *a,
    const char *key, const char *v)
{
	int	rc;

	if (strcmp(key, "driver") == 0) {
		if (strcmp(v, "imap") != 0 && strcmp(v, "pop3") != 0 &&
		    strcmp(v, "maildir") != 0 && strcmp(v, "mbox") != 0)
			return config_fail(r, "unknown driver '%s' "
			    "(known: imap, pop3, maildir, mbox)", v);
		return config_set_str(r, &a->driver, key, v);
	}
	if (strcmp(key, "host") == 0)
		return config_set_str(r, &a->host, key, v);
	if (strcmp(key, "port") == 0) {
		if (config_port(v) == -1)
			return config_fail(r, "port must be 1-65535, not '%s'", v);
		return config_set_str(r, &a->port, key, v);
	}
	if (strcmp(key, "user") == 0)
		return config_set_str(r, &a->user, key, v);
	if (strcmp(key, "password") == 0)
		return config_set_str(r, &a->password, key, v);
	if (strcmp(key, "password_command") == 0)
		return config_set_str(r, &a->password_command, key, v);
	if (strcmp(key, "tls_ca_file") == 0) {
		if (config_set_str(r, &a->tls_ca_file, key, v) == 0)
			return 0;
		a->tls.ca_file = a->tls_ca_file;	/* one string, two names */
		return 1;
	}
	if (strcmp(key, "security") == 0) {
		if (strcmp(v, "implicit") == 0)
			a->security = CONFIG_SEC_IMPLICIT;
		else if (strcmp(v, "starttls") == 0)
			a->security = CONFIG_SEC_STARTTLS;
		else if (strcmp(v, "none") == 0)
			a->security = CONFIG_SEC_NONE;
		else if (strcmp(v, "auto") == 0)
			a->security = CONFIG_SEC_AUTO;
		else
			return config_fail(r, "security must be implicit, "
			    "starttls, auto or none, not '%s'", v);
		return 1;
	}
	if (strcmp(key, "delete") == 0) {
		if (strcmp(v, "trash") == 0)
			a->delete_mode = CONFIG_DELETE_TRASH;
		else if (strcmp(v, "expunge") == 0)
			a->delete_mode = CONFIG_DELETE_EXPUNGE;
		else
			return config_fail(r, "delete must be trash or expunge, "
			    "not '%s'", v);
		return 1;
	}
	if (strcmp(key, "read_only") == 0) {
		if (config_bool(v, &a->read_only) == -1)
			return config_fail(r, "read_only must be true or "
			    "false, not '%s'", v);
		return 1;
	}
	if (strcmp(key, "connect_timeout") == 0 || strcmp(key, "timeout") == 0 ||
	    strcmp(key, "greeting_timeout") == 0) {
		if (config_seconds(v, key[0] == 'c' ? &a->connect_timeout_ms :
		    key[0] == 'g' ? &a->greeting_timeout_ms :
		    &a->timeout_ms) == -1)
			return config_fail(r, "%s must be a number of seconds "
			    "(1-86400), not '%s'", key, v);
		return 1;
	}
	if ((rc = config_net_account_key(r, a, key, v)) != -1)
		return rc;
	if ((rc = config_store_account_key(r, a, key, v)) != -1)
		return rc;
	if ((rc = config_send_account_key(r, a, key, v)) != -1)
		return rc;
	return config_fail(r, "unknown key '%s' in [account %s]", key, a->name);
}

/* inih handler: one key = value. */
static int
config_handler(void *user, const char *section, const char *key,
    const char *value)
{
	struct config_reader	*r = user;

	(void)section;		/* the reader tracks sections itself */
	if (r->failed)
		return 1;
	if (r->section == NULL)
		return config_fail(r, "'%s' outside any section", key);
	if (r->in_general) {
		if (strcmp(key, "log_file") == 0)
			return config_set_str(r, &r->cfg->log_file, key, value);
		if (strcmp(key, "default_account") == 0)
			return config_set_str(r, &r->cfg->default_account,
			    key, value);
		if (strcmp(key, "proxy") == 0)
			return config_set_str(r, &r->cfg->default_proxy,
			    key, value);
		if (config_pager_key(r, key, value) != -1)
			return 1;
		return config_fail(r, "unknown key '%s' in [general]", key);
	}
	if (r->proxy != NULL) {
		config_net_proxy_key(r, r->proxy, key, value);
		return 1;
	}
	if (r->acct == NULL)
		return 1;
	config_account_key(r, r->acct, key, value);
	return 1;
}

/* Check what no single line can: required keys, references. */
static int
config_check(struct config_reader *r)
{
	struct config_account	*a;
	size_t			 i;

	for (i = 0; i < r->cfg->naccounts; i++) {
		a = &r->cfg->accounts[i];
		r->line = a->line;
		if (a->driver == NULL)
			a->driver = xstrdup("imap");
		if (config_store_check(r, a) == 0 ||
		    config_send_check(r, a) == 0)
			return 0;
		if (a->path != NULL)	/* a local store: no server */
			continue;
		if (a->host == NULL)
			return config_fail(r, "[account %s] needs 'host'",
			    a->name);
		if (a->user == NULL)
			return config_fail(r, "[account %s] needs 'user'",
			    a->name);
		if (a->password != NULL && a->password_command != NULL)
			return config_fail(r, "[account %s] has both "
			    "'password' and 'password_command'", a->name);
		if (a->port == NULL && strcmp(a->driver, "pop3") == 0)
			a->port = xstrdup(a->security == CONFIG_SEC_IMPLICIT ||
			    a->security == CONFIG_SEC_AUTO ? "995" : "110");
		if (a->port == NULL)
			a->port = xstrdup(a->security == CONFIG_SEC_IMPLICIT ||
			    a->security == CONFIG_SEC_AUTO ? "993" : "143");
	}
	if (config_net_check(r) == 0)
		return 0;
	if (r->cfg->default_account != NULL &&
	    config_account_find(r->cfg, r->cfg->default_account) == NULL) {
		r->line = 0;
		return config_fail(r, "default_account '%s' is not defined",
		    r->cfg->default_account);
	}
	return 1;
}

/* Parse configuration text. */
struct config *
config_parse(const char *name, const char *text, struct error *err)
{
	struct config_reader	r;
	int			rc;

	memset(&r, 0, sizeof r);
	r.name = name;
	r.pos = text;
	r.end = text + strlen(text);
	r.err = err;
	r.cfg = xcalloc(1, sizeof *r.cfg);
	r.cfg->path = xstrdup(name);
	rc = ini_parse_stream(config_read_line, &r, config_handler, &r);
	if (rc > 0 && !r.failed) {
		r.line = rc;
		config_fail(&r, "syntax error (expected [section] or "
		    "key = value)");
	} else if (rc < 0 && !r.failed)
		config_fail(&r, "cannot parse");
	if (!r.failed)
		config_check(&r);
	if (!r.failed)
		config_pager_defaults(&r.cfg->pager);
	free(r.section);
	if (r.failed) {
		config_free(r.cfg);
		return NULL;
	}
	return r.cfg;
}

/* Read and parse a file (at most 1 MiB). */
struct config *
config_load(const char *path, struct error *err)
{
	FILE		*f;
	struct config	*cfg;
	char		*text;
	size_t		 n;

	if ((f = fopen(path, "re")) == NULL) {
		error_sys(err, ERR_SCOPE_ACCOUNT, errno, "%s", path);
		err->code = ERR_CONFIG;
		return NULL;
	}
	text = xmalloc(1024 * 1024 + 1);
	n = fread(text, 1, 1024 * 1024 + 1, f);
	if (ferror(f) || n > 1024 * 1024) {
		error_set(err, ERR_CONFIG, ERR_SCOPE_ACCOUNT, "%s: %s", path,
		    ferror(f) ? "read error" : "larger than 1 MiB");
		fclose(f);
		free(text);
		return NULL;
	}
	fclose(f);
	text[n] = '\0';
	if (strlen(text) != n) {
		error_set(err, ERR_CONFIG, ERR_SCOPE_ACCOUNT,
		    "%s: contains a NUL byte", path);
		free(text);
		return NULL;
	}
	cfg = config_parse(path, text, err);
	free(text);
	return cfg;
}

/* Free one account's strings, wiping the password. */
static void
config_account_fini(struct config_account *a)
{
	free(a->name);
	free(a->driver);
	free(a->path);
	free(a->host);
	free(a->port);
	free(a->user);
	xfree_secret(a->password);
	free(a->password_command);
	free(a->tls_ca_file);
	config_net_account_fini(a);
	config_send_fini(&a->send);
}

/* Free a config. */
void
config_free(struct config *cfg)
{
	size_t	i;

	if (cfg == NULL)
		return;
	for (i = 0; i < cfg->naccounts; i++)
		config_account_fini(&cfg->accounts[i]);
	free(cfg->accounts);
	config_net_proxies_free(cfg);
	config_argv_free(cfg->pager.headers);
	config_argv_free(cfg->pager.html_argv);
	free(cfg->pager.charset_fallback);
	config_argv_free(cfg->pager.url_argv);
	free(cfg->default_proxy);
	free(cfg->path);
	free(cfg->log_file);
	free(cfg->default_account);
	free(cfg->editor);
	free(cfg->aliases_file);
	free(cfg);
}

/* Find an account by name, or the default one. */
const struct config_account *
config_account_find(const struct config *cfg, const char *name)
{
	size_t	i;

	if (name == NULL)
		name = cfg->default_account;
	if (name == NULL)
		return cfg->naccounts > 0 ? &cfg->accounts[0] : NULL;
	for (i = 0; i < cfg->naccounts; i++) {
		if (strcmp(cfg->accounts[i].name, name) == 0)
			return &cfg->accounts[i];
	}
	return NULL;
}
