/*
 * config_net.c - the connection settings of the configuration: TLS
 * versions, certificates and pins, SASL mechanisms, and [proxy NAME]
 * profiles that accounts refer to.
 *
 * Only parsing and checking happen here; src/net applies the settings.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/config.h"
#include "core/config_impl.h"
#include "util/buf.h"
#include "util/xmalloc.h"

static const char *const config_sasl_mechs[] = {
	"plain", "login", "cram-md5", "scram-sha-1", "scram-sha-256",
	"xoauth2", "oauthbearer"
};

/* "1.0".."1.3" as 10..13; -1 otherwise. */
static int
config_tls_version(const char *v)
{
	if (strlen(v) == 3 && v[0] == '1' && v[1] == '.' && v[2] >= '0' &&
	    v[2] <= '3')
		return 10 + (v[2] - '0');
	return -1;
}

/* "sha256:" and 32 hex bytes, colons optional; stored normalised. */
static char *
config_fingerprint(const char *v)
{
	struct buf	b;
	size_t		digits = 0;
	const char	*p;

	if (strncasecmp(v, "sha256:", 7) != 0)
		return NULL;
	buf_init(&b, 128);
	buf_adds(&b, "sha256:");
	for (p = v + 7; *p != '\0'; p++) {
		if (*p == ':')
			continue;
		if (!isxdigit((unsigned char)*p) || digits >= 64) {
			buf_fini(&b);
			return NULL;
		}
		if (digits > 0 && digits % 2 == 0)
			buf_addc(&b, ':');
		buf_addc(&b, (char)toupper((unsigned char)*p));
		digits++;
	}
	if (digits != 64) {
		buf_fini(&b);
		return NULL;
	}
	return buf_take(&b);
}

/* A mechanism list: known names, lowercased, comma-separated. */
static char *
config_mechs(const char *v, const char **bad)
{
	struct buf	 b;
	char		*copy, *tok, *save = NULL;
	size_t		 i, n;

	buf_init(&b, 1024);
	copy = xstrdup(v);
	for (tok = strtok_r(copy, ", \t", &save); tok != NULL;
	    tok = strtok_r(NULL, ", \t", &save)) {
		for (n = 0; tok[n] != '\0'; n++)
			tok[n] = (char)tolower((unsigned char)tok[n]);
		for (i = 0; i < sizeof config_sasl_mechs /
		    sizeof *config_sasl_mechs; i++)
			if (strcmp(tok, config_sasl_mechs[i]) == 0)
				break;
		if (i == sizeof config_sasl_mechs / sizeof *config_sasl_mechs) {
			*bad = v + (tok - copy);
			free(copy);
			buf_fini(&b);
			return NULL;
		}
		if (b.len > 0)
			buf_addc(&b, ',');
		buf_adds(&b, tok);
	}
	free(copy);
	if (b.len == 0) {
		*bad = v;
		buf_fini(&b);
		return NULL;
	}
	return buf_take(&b);
}

/* The TLS keys of an [account]: 1 handled, 0 failed, -1 not a TLS key. */
int
config_net_tls_key(struct config_reader *r, struct config_tls *t,
    const char *key, const char *v)
{
	int	ver;

	if (strcmp(key, "tls_min") == 0 || strcmp(key, "tls_max") == 0) {
		if ((ver = config_tls_version(v)) == -1)
			return config_fail(r, "%s must be 1.0, 1.1, 1.2 or 1.3, "
			    "not '%s'", key, v);
		*(key[5] == 'i' ? &t->min_version : &t->max_version) = ver;
		return 1;
	}
	if (strcmp(key, "tls_strict") == 0) {
		if (config_bool(v, &t->strict) == -1)
			return config_fail(r, "tls_strict must be yes or no, "
			    "not '%s'", v);
		return 1;
	}
	if (strcmp(key, "tls_fingerprint") == 0) {
		if (t->fingerprint != NULL)
			return config_fail(r, "duplicate key '%s'", key);
		if ((t->fingerprint = config_fingerprint(v)) == NULL)
			return config_fail(r, "tls_fingerprint must be sha256: "
			    "and 32 hex bytes, not '%s'", v);
		return 1;
	}
	if (strcmp(key, "tls_ca_dir") == 0)
		return config_set_str(r, &t->ca_dir, key, v);
	if (strcmp(key, "tls_cert") == 0)
		return config_set_str(r, &t->cert_file, key, v);
	if (strcmp(key, "tls_key") == 0)
		return config_set_str(r, &t->key_file, key, v);
	if (strcmp(key, "tls_ciphers") == 0)
		return config_set_str(r, &t->ciphers, key, v);
	if (strcmp(key, "tls_ciphersuites") == 0)
		return config_set_str(r, &t->ciphersuites, key, v);
	return -1;
}

/*
 * Whether every word of an imap_disable list names an extension petrel can
 * turn off; if not, the first that does not is copied into bad.
 */
static bool
config_imap_names(const char *v, char *bad, size_t size)
{
	static const char *const known[] = { "qresync", "condstore",
	    "compress", "compress=deflate", "idle", "move", "uidplus",
	    "list-status", "esearch", "literal+", "special-use",
	    "utf8=accept" };
	size_t		 len, i;

	for (;;) {
		v += strspn(v, " \t,");
		if ((len = strcspn(v, " \t,")) == 0)
			return true;
		for (i = 0; i < sizeof known / sizeof known[0]; i++) {
			if (strlen(known[i]) == len &&
			    strncasecmp(v, known[i], len) == 0)
				break;
		}
		if (i == sizeof known / sizeof known[0]) {
			snprintf(bad, size, "%.*s", len > 40 ? 40 : (int)len,
			    v);
			return false;
		}
		v += len;
	}
}

/* A connection key of an [account]. */
int
config_net_account_key(struct config_reader *r, struct config_account *a,
    const char *key, const char *v)
{
	const char	*bad = NULL;
	char		 word[48];
	int		 rc;

	if ((rc = config_net_tls_key(r, &a->tls, key, v)) != -1)
		return rc;
	if (strcmp(key, "auth") == 0) {
		if (a->auth != NULL)
			return config_fail(r, "duplicate key '%s'", key);
		if ((a->auth = config_mechs(v, &bad)) == NULL)
			return config_fail(r, "unknown SASL mechanism in auth: "
			    "'%s' (known: plain, login, cram-md5, scram-sha-1, "
			    "scram-sha-256, xoauth2, oauthbearer)", bad);
		return 1;
	}
	if (strcmp(key, "allow_plaintext_auth") == 0) {
		if (config_bool(v, &a->allow_plaintext_auth) == -1)
			return config_fail(r, "allow_plaintext_auth must be yes "
			    "or no, not '%s'", v);
		return 1;
	}
	if (strcmp(key, "oauth2_token_command") == 0)
		return config_set_str(r, &a->oauth2_token_command, key, v);
	if (strcmp(key, "imap_disable") == 0) {
		if (!config_imap_names(v, word, sizeof word))
			return config_fail(r, "imap_disable: unknown extension "
			    "'%s' (known: qresync, condstore, compress, idle, "
			    "move, uidplus, list-status, esearch, literal+, "
			    "special-use, utf8=accept)", word);
		return config_set_str(r, &a->imap_disable, key, v);
	}
	if (strcmp(key, "proxy") == 0)
		return config_set_str(r, &a->proxy_name, key, v);
	return -1;
}

/* Start a [proxy NAME] section. */
int
config_net_proxy_section(struct config_reader *r, const char *name)
{
	struct config_proxy	*p;
	size_t			 i;

	for (i = 0; name[i] != '\0'; i++) {
		if (!isalnum((unsigned char)name[i]) && strchr("-_.", name[i]) == NULL)
			return config_fail(r, "bad proxy name '%s' "
			    "(letters, digits and -_. only)", name);
	}
	if (i == 0 || strcmp(name, "none") == 0)
		return config_fail(r, "[proxy] needs a name (not 'none')");
	for (i = 0; i < r->cfg->nproxies; i++) {
		if (strcmp(r->cfg->proxies[i].name, name) == 0)
			return config_fail(r, "duplicate proxy '%s'", name);
	}
	r->cfg->proxies = xreallocarray(r->cfg->proxies, r->cfg->nproxies + 1,
	    sizeof *r->cfg->proxies);
	p = &r->cfg->proxies[r->cfg->nproxies++];
	memset(p, 0, sizeof *p);
	p->name = xstrdup(name);
	p->type = (enum config_proxy_type)-1;
	p->line = r->line;
	r->proxy = p;
	return 1;
}

/* One key of a [proxy] section. */
int
config_net_proxy_key(struct config_reader *r, struct config_proxy *p,
    const char *key, const char *v)
{
	static const char *const types[] = { "socks4", "socks4a", "socks5",
	    "http" };
	size_t	i;

	if (strcmp(key, "type") == 0) {
		for (i = 0; i < sizeof types / sizeof *types; i++) {
			if (strcasecmp(v, types[i]) == 0) {
				p->type = (enum config_proxy_type)i;
				return 1;
			}
		}
		return config_fail(r, "proxy type must be socks4, socks4a, "
		    "socks5 or http, not '%s'", v);
	}
	if (strcmp(key, "host") == 0)
		return config_set_str(r, &p->host, key, v);
	if (strcmp(key, "port") == 0) {
		if (config_port(v) == -1)
			return config_fail(r, "port must be 1-65535, not '%s'", v);
		return config_set_str(r, &p->port, key, v);
	}
	if (strcmp(key, "username") == 0 || strcmp(key, "user") == 0)
		return config_set_str(r, &p->user, key, v);
	if (strcmp(key, "password") == 0)
		return config_set_str(r, &p->password, key, v);
	if (strcmp(key, "password_command") == 0)
		return config_set_str(r, &p->password_command, key, v);
	return config_fail(r, "unknown key '%s' in [proxy %s]", key, p->name);
}

/* The proxy named name, or NULL. */
static const struct config_proxy *
config_net_proxy_find(const struct config *cfg, const char *name)
{
	size_t	i;

	for (i = 0; i < cfg->nproxies; i++) {
		if (strcmp(cfg->proxies[i].name, name) == 0)
			return &cfg->proxies[i];
	}
	return NULL;
}

/* Check the proxies themselves. */
static int
config_net_check_proxies(struct config_reader *r)
{
	struct config_proxy	*p;
	size_t			 i;

	for (i = 0; i < r->cfg->nproxies; i++) {
		p = &r->cfg->proxies[i];
		r->line = p->line;
		if ((int)p->type == -1)
			return config_fail(r, "[proxy %s] needs 'type'", p->name);
		if (p->host == NULL)
			return config_fail(r, "[proxy %s] needs 'host'", p->name);
		if (p->port == NULL)
			p->port = xstrdup(p->type == CONFIG_PROXY_HTTP ? "8080" :
			    "1080");
		if (p->password != NULL && p->password_command != NULL)
			return config_fail(r, "[proxy %s] has both 'password' "
			    "and 'password_command'", p->name);
		if (p->type == CONFIG_PROXY_SOCKS4 || p->type ==
		    CONFIG_PROXY_SOCKS4A) {
			if (p->password != NULL || p->password_command != NULL)
				return config_fail(r, "[proxy %s]: SOCKS4 has "
				    "no passwords (only a user id)", p->name);
		}
	}
	return 1;
}

/* Resolve each account's proxy and check its TLS settings. */
int
config_net_check(struct config_reader *r)
{
	struct config_account	*a;
	const char		*name;
	size_t			 i;

	if (config_net_check_proxies(r) == 0)
		return 0;
	for (i = 0; i < r->cfg->naccounts; i++) {
		a = &r->cfg->accounts[i];
		r->line = a->line;
		name = a->proxy_name ? a->proxy_name : r->cfg->default_proxy;
		if (name != NULL && strcmp(name, "none") != 0 &&
		    (a->proxy = config_net_proxy_find(r->cfg, name)) == NULL)
			return config_fail(r, "[account %s]: no [proxy %s]",
			    a->name, name);
		if (a->tls.min_version != 0 && a->tls.max_version != 0 &&
		    a->tls.min_version > a->tls.max_version)
			return config_fail(r, "[account %s]: tls_min is above "
			    "tls_max", a->name);
		if (a->tls.key_file != NULL && a->tls.cert_file == NULL)
			return config_fail(r, "[account %s]: tls_key without "
			    "tls_cert", a->name);
	}
	return 1;
}

/* Free an account's connection settings. */
void
config_net_account_fini(struct config_account *a)
{
	/* a->tls.ca_file is a->tls_ca_file, freed by the caller. */
	config_net_tls_fini(&a->tls);
	free(a->auth);
	free(a->oauth2_token_command);
	free(a->imap_disable);
	free(a->proxy_name);
}

/* Free TLS settings' strings, ca_file aside. */
void
config_net_tls_fini(struct config_tls *t)
{
	free(t->ca_dir);
	free(t->fingerprint);
	free(t->cert_file);
	free(t->key_file);
	free(t->ciphers);
	free(t->ciphersuites);
}

/* Free the proxy profiles. */
void
config_net_proxies_free(struct config *cfg)
{
	size_t	i;

	for (i = 0; i < cfg->nproxies; i++) {
		free(cfg->proxies[i].name);
		free(cfg->proxies[i].host);
		free(cfg->proxies[i].port);
		free(cfg->proxies[i].user);
		xfree_secret(cfg->proxies[i].password);
		free(cfg->proxies[i].password_command);
	}
	free(cfg->proxies);
}
