/*
 * config_send.c - the [account] keys of sending mail: the identity
 * (from, alternates), SMTP submission (smtp_*, each unset one taken from
 * the account), sendmail_command and save_sent; and the stand-in account
 * that carries the SMTP settings to the connection code.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/config.h"
#include "core/config_impl.h"
#include "util/xmalloc.h"

/* Most own addresses in alternates. */
#define CONFIG_ALTERNATES_MAX	64

/* smtp_security = implicit | starttls | none. */
static int
config_send_security(struct config_reader *r, struct config_send *s,
    const char *v)
{
	if (strcmp(v, "implicit") == 0)
		s->smtp_security = CONFIG_SEC_IMPLICIT;
	else if (strcmp(v, "starttls") == 0)
		s->smtp_security = CONFIG_SEC_STARTTLS;
	else if (strcmp(v, "none") == 0)
		s->smtp_security = CONFIG_SEC_NONE;
	else
		return config_fail(r, "smtp_security must be implicit, "
		    "starttls or none, not '%s'", v);
	s->smtp_security_set = true;
	return 1;
}

/* A command line key (sendmail_command): split now, so errors show. */
static int
config_send_argv(struct config_reader *r, char ***argv, const char *key,
    const char *v)
{
	const char	*why;

	if (*argv != NULL)
		return config_fail(r, "duplicate key '%s'", key);
	if (config_argv_split(v, argv, &why) == -1)
		return config_fail(r, "%s: %s", key, why);
	return 1;
}

/* alternates = ADDR...: blank- or comma-separated addr-specs. */
static int
config_send_alternates(struct config_reader *r, struct config_send *s,
    const char *v)
{
	size_t	n = 0, len;

	if (s->alternates != NULL)
		return config_fail(r, "duplicate key 'alternates'");
	s->alternates = xcalloc(CONFIG_ALTERNATES_MAX + 1,
	    sizeof *s->alternates);
	for (;;) {
		v += strspn(v, " \t,");
		if ((len = strcspn(v, " \t,")) == 0)
			break;
		if (n == CONFIG_ALTERNATES_MAX)
			return config_fail(r, "alternates: more than %d "
			    "addresses", CONFIG_ALTERNATES_MAX);
		if (memchr(v, '@', len) == NULL)
			return config_fail(r, "alternates: '%.*s' is not an "
			    "address", len > 60 ? 60 : (int)len, v);
		s->alternates[n++] = xstrndup(v, len);
		v += len;
	}
	if (n == 0)
		return config_fail(r, "empty value for 'alternates'");
	return 1;
}

/* The smtp_ keys; -1 if key is not one. */
static int
config_send_smtp_key(struct config_reader *r, struct config_send *s,
    const char *key, const char *v)
{
	if (strcmp(key, "smtp_host") == 0)
		return config_set_str(r, &s->smtp_host, key, v);
	if (strcmp(key, "smtp_port") == 0) {
		if (config_port(v) == -1)
			return config_fail(r, "smtp_port must be 1-65535, not "
			    "'%s'", v);
		return config_set_str(r, &s->smtp_port, key, v);
	}
	if (strcmp(key, "smtp_security") == 0)
		return config_send_security(r, s, v);
	if (strcmp(key, "smtp_user") == 0)
		return config_set_str(r, &s->smtp_user, key, v);
	if (strcmp(key, "smtp_password") == 0)
		return config_set_str(r, &s->smtp_password, key, v);
	if (strcmp(key, "smtp_password_command") == 0)
		return config_set_str(r, &s->smtp_password_command, key, v);
	if (strcmp(key, "smtp_tls_ca_file") == 0)
		return config_set_str(r, &s->smtp_tls.ca_file, key, v);
	if (strcmp(key, "smtp_auth") == 0) {
		/* Checked like auth: the same parser, through a stand-in. */
		struct config_account	 tmp;
		int			 rc;

		memset(&tmp, 0, sizeof tmp);
		if (s->smtp_auth != NULL)
			return config_fail(r, "duplicate key '%s'", key);
		rc = config_net_account_key(r, &tmp, "auth", v);
		s->smtp_auth = tmp.auth;
		return rc;
	}
	if (strncmp(key, "smtp_tls_", 9) == 0)
		return config_net_tls_key(r, &s->smtp_tls, key + 5, v);
	return -1;
}

/* One sending key of an [account]; -1 if not one. */
int
config_send_account_key(struct config_reader *r, struct config_account *a,
    const char *key, const char *v)
{
	struct config_send	*s = &a->send;
	int			 rc;

	if ((rc = config_send_smtp_key(r, s, key, v)) != -1)
		return rc;
	if (strcmp(key, "from") == 0) {
		if (strchr(v, '@') == NULL)
			return config_fail(r, "from must hold an address, not "
			    "'%s'", v);
		return config_set_str(r, &s->from, key, v);
	}
	if (strcmp(key, "alternates") == 0)
		return config_send_alternates(r, s, v);
	if (strcmp(key, "sendmail_command") == 0)
		return config_send_argv(r, &s->sendmail_argv, key, v);
	if (strcmp(key, "save_sent") == 0) {
		if (config_bool(v, &s->save_sent) == -1)
			return config_fail(r, "save_sent must be yes or no, not "
			    "'%s'", v);
		return 1;
	}
	return -1;
}

/* What the sending settings need; 0 (failed) or 1. */
int
config_send_check(struct config_reader *r, struct config_account *a)
{
	struct config_send	*s = &a->send;

	if (s->smtp_host != NULL && s->sendmail_argv != NULL)
		return config_fail(r, "[account %s] has both smtp_host and "
		    "sendmail_command: choose one", a->name);
	if (s->smtp_password != NULL && s->smtp_password_command != NULL)
		return config_fail(r, "[account %s] has both 'smtp_password' "
		    "and 'smtp_password_command'", a->name);
	if (s->smtp_host == NULL && (s->smtp_port != NULL ||
	    s->smtp_user != NULL || s->smtp_security_set))
		return config_fail(r, "[account %s]: smtp_ settings without "
		    "smtp_host", a->name);
	if (!s->smtp_security_set)
		s->smtp_security = s->smtp_port == NULL ||
		    strcmp(s->smtp_port, "465") == 0 ? CONFIG_SEC_IMPLICIT :
		    CONFIG_SEC_STARTTLS;
	return 1;
}

/* Free the sending settings, wiping the password. */
void
config_send_fini(struct config_send *s)
{
	free(s->from);
	config_argv_free(s->alternates);
	free(s->smtp_host);
	free(s->smtp_port);
	free(s->smtp_user);
	xfree_secret(s->smtp_password);
	free(s->smtp_password_command);
	free(s->smtp_auth);
	free(s->smtp_tls.ca_file);
	config_net_tls_fini(&s->smtp_tls);
	config_argv_free(s->sendmail_argv);
	memset(s, 0, sizeof *s);
}

/* Take each unset TLS field of s from the account's t. */
static void
config_send_tls(struct config_tls *out, const struct config_tls *t,
    const struct config_tls *s)
{
	*out = *t;
	if (s->min_version != 0)
		out->min_version = s->min_version;
	if (s->max_version != 0)
		out->max_version = s->max_version;
	out->strict = t->strict || s->strict;
	if (s->ca_file != NULL)
		out->ca_file = s->ca_file;
	if (s->ca_dir != NULL)
		out->ca_dir = s->ca_dir;
	if (s->fingerprint != NULL)
		out->fingerprint = s->fingerprint;
	if (s->cert_file != NULL) {
		out->cert_file = s->cert_file;
		out->key_file = s->key_file;
	}
	if (s->ciphers != NULL)
		out->ciphers = s->ciphers;
	if (s->ciphersuites != NULL)
		out->ciphersuites = s->ciphersuites;
}

/* The stand-in account for SMTP (config.h). */
int
config_smtp_account(const struct config_account *a,
    struct config_account *smtp, struct error *err)
{
	const struct config_send	*s = &a->send;

	if (s->smtp_host == NULL)
		return error_set(err, ERR_CONFIG, ERR_SCOPE_ACCOUNT,
		    "[account %s] has no smtp_host (nor sendmail_command): "
		    "nothing to send with", a->name);
	*smtp = *a;
	smtp->driver = (char *)"smtp";
	smtp->host = s->smtp_host;
	smtp->security = s->smtp_security;
	smtp->port = s->smtp_port != NULL ? s->smtp_port :
	    s->smtp_security == CONFIG_SEC_IMPLICIT ? (char *)"465" :
	    (char *)"587";
	if (s->smtp_user != NULL || s->smtp_password != NULL ||
	    s->smtp_password_command != NULL) {
		smtp->user = s->smtp_user != NULL ? s->smtp_user : a->user;
		smtp->password = s->smtp_password;
		smtp->password_command = s->smtp_password_command;
	}
	if (s->smtp_auth != NULL)
		smtp->auth = s->smtp_auth;
	config_send_tls(&smtp->tls, &a->tls, &s->smtp_tls);
	smtp->tls_ca_file = smtp->tls.ca_file;
	return 0;
}
