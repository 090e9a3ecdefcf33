/*
 * config.h - the configuration file, parsed once into typed structs.
 *
 * Format (INI, read with libinih):
 *
 *   [general]
 *   proxy = NAME             (default proxy for every account)
 *   log_file = PATH          (default: none; -d also needs it or uses stderr-free default)
 *   default_account = NAME
 *   pager_headers = From To Cc Date Subject
 *                            (headers the pager shows, in order; h shows all)
 *   prefer_html = no         (yes: show text/html over a text/plain
 *                            alternative)
 *   html_command = w3m -dump -T text/html
 *                            (renders text/html, given in UTF-8 on stdin,
 *                            to text on stdout; run without a shell, words
 *                            split as a shell would, no expansions; at
 *                            most 10 s and 8 MiB of output.  Default: w3m
 *                            as above, with -I UTF-8 -O UTF-8, if in PATH,
 *                            else lynx -dump -stdin (UTF-8), else the
 *                            internal tag stripper, which "internal" also
 *                            asks for; "mailcap": the first text/html
 *                            copiousoutput entry of ~/.mailcap or
 *                            /etc/mailcap)
 *   charset_fallback = windows-1252
 *                            (body text with no charset label that is not
 *                            valid UTF-8 is read in this charset)
 *   url_command = xdg-open   (the URL list's Enter runs it with the URL as
 *                            its last argument, without a shell; default
 *                            none: the URL is shown on the message line)
 *   editor = vim             (the composer's editor, split as a shell would,
 *                            no expansions; default $VISUAL, $EDITOR, vi)
 *   aliases_file = ~/.mutt/aliases  (mutt-style "alias KEY Name <addr>"
 *                            lines, offered first by address completion)
 *   format_flowed = no       (yes: send text as format=flowed, RFC 3676)
 *
 *   [account NAME]
 *   driver = imap
 *   host = imap.example.org
 *   port = 993               (default: 993 implicit, 143 otherwise)
 *   user = me@example.org
 *   password = ...           or  password_command = pass show mail
 *   security = implicit | starttls | auto | none
 *                            (auto: implicit TLS, then STARTTLS; on port
 *                            993, the default, STARTTLS is tried on 143,
 *                            on any other port on the same port)
 *   tls_ca_file = PATH
 *   read_only = true | false
 *   connect_timeout = 10     (seconds)
 *   timeout = 60             (seconds, each operation)
 *   greeting_timeout = 5     (seconds to wait for the server's greeting)
 *   tls_min = 1.2 / tls_max = 1.3, tls_strict = yes, tls_ciphers = ...,
 *   tls_ciphersuites = ..., tls_ca_dir = DIR, tls_fingerprint = sha256:...,
 *   tls_cert = FILE, tls_key = FILE
 *   auth = scram-sha-256, plain   (SASL mechanisms to use, in order)
 *   oauth2_token_command = CMD     (XOAUTH2 / OAUTHBEARER bearer token)
 *   allow_plaintext_auth = no      (send a password with security = none)
 *   proxy = NAME | none            (a [proxy NAME] section)
 *   delete = trash | expunge (d moves to the Trash folder, or marks
 *                             \Deleted for an expunge; default trash)
 *   imap_disable = qresync condstore  (IMAP extensions never to use even
 *                            when offered: qresync, condstore, compress,
 *                            idle, move, uidplus, list-status, esearch,
 *                            literal+, special-use, utf8=accept)
 *   leave_on_server = yes | no | DAYS   (pop3: keep, delete once
 *                             downloaded, or delete DAYS days after)
 *
 *   Sending (any driver):
 *   from = Me <me@example.org>   (default: user, if it is an address)
 *   alternates = me@old.example other@example.org  (also one's own)
 *   smtp_host = smtp.example.org
 *   smtp_port = 465 | 587    (default: 465 implicit, 587 otherwise)
 *   smtp_security = implicit | starttls | none  (default: implicit on
 *                            465 or no port, else starttls)
 *   smtp_user / smtp_password / smtp_password_command / smtp_auth /
 *   smtp_tls_min, smtp_tls_ca_file ... (every tls_ key): unset ones are
 *                            the account's
 *   sendmail_command = msmtp -t  (instead of SMTP: the message on stdin,
 *                            recipients as arguments, split as a shell
 *                            would, no expansions)
 *   save_sent = yes | no     (append a copy to the Sent folder; no when
 *                            the server saves one itself)
 *
 *   [account NAME] driver = maildir, path = ~/Maildir  (no host, no user)
 *   [account NAME] driver = mbox, path = /var/mail/me  (read-only)
 *
 *   [proxy NAME]
 *   type = socks4 | socks4a | socks5 | http
 *   host = 127.0.0.1
 *   port = 1080
 *   username = ...           (optional; SOCKS5 / HTTP Basic / SOCKS4 user id)
 *   password = ...           or  password_command = ...
 *
 * Errors are reported as "FILE:LINE: what is wrong".  Nothing here touches
 * the network or runs the password command; that happens when an account
 * opens (config_account_password).
 */
#ifndef PETREL_CONFIG_H
#define PETREL_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "util/error.h"

enum config_delete {
	CONFIG_DELETE_TRASH = 0,	/* move to the Trash (special-use) folder */
	CONFIG_DELETE_EXPUNGE		/* mark \Deleted, expunge on request */
};

enum config_security {
	CONFIG_SEC_IMPLICIT = 0,
	CONFIG_SEC_STARTTLS,
	CONFIG_SEC_NONE,
	CONFIG_SEC_AUTO			/* implicit TLS, else STARTTLS */
};

enum config_proxy_type {
	CONFIG_PROXY_SOCKS4 = 0,
	CONFIG_PROXY_SOCKS4A,
	CONFIG_PROXY_SOCKS5,
	CONFIG_PROXY_HTTP		/* HTTP CONNECT */
};

/* A [proxy NAME] section: how to reach servers through a proxy. */
struct config_proxy {
	char			*name;
	enum config_proxy_type	 type;
	char			*host;
	char			*port;
	char			*user;		/* NULL: no authentication */
	char			*password;	/* secret */
	char			*password_command;
	int			 line;
};

/* TLS versions as numbers: 10, 11, 12, 13 (0 = OpenSSL's default). */
struct config_tls {
	int			 min_version;
	int			 max_version;
	bool			 strict;	/* unsupported version: error */
	char			*ca_file;
	char			*ca_dir;
	char			*fingerprint;	/* "sha256:AB:CD:..." pin */
	char			*cert_file;	/* client certificate */
	char			*key_file;
	char			*ciphers;	/* TLS <= 1.2 cipher list */
	char			*ciphersuites;	/* TLS 1.3 suites */
};

/*
 * How an account sends mail (issue 6): SMTP submission settings, each
 * unset one taken from the account's own (user, password, TLS, auth), or
 * a sendmail-compatible command; and who the user is.
 */
struct config_send {
	char			*from;		/* "Name <addr>"; NULL: user */
	char			**alternates;	/* own addr-specs, NULL-ended */
	char			*smtp_host;	/* NULL: no SMTP */
	char			*smtp_port;	/* NULL: 465 implicit, 587 */
	enum config_security	 smtp_security;	/* implicit, starttls, none */
	bool			 smtp_security_set;
	char			*smtp_user;	/* NULL: the account's */
	char			*smtp_password;	/* secret */
	char			*smtp_password_command;
	char			*smtp_auth;	/* NULL: the account's auth */
	struct config_tls	 smtp_tls;	/* unset fields: the account's */
	char			**sendmail_argv; /* sendmail_command, or NULL */
	bool			 save_sent;	/* copy to Sent (default yes) */
};

struct config_account {
	char			*name;
	char			*driver;	/* imap, pop3, maildir or mbox */
	char			*host;
	char			*port;		/* text: getaddrinfo service */
	char			*user;
	char			*password;	/* secret; NULL if not set */
	char			*password_command;
	enum config_security	 security;
	char			*tls_ca_file;	/* == tls.ca_file */
	struct config_tls	 tls;
	bool			 read_only;
	int			 connect_timeout_ms;
	int			 greeting_timeout_ms;
	int			 timeout_ms;
	enum config_delete	 delete_mode;
	bool			 allow_plaintext_auth;
	char			*auth;		/* SASL mechanisms, in order; NULL: best offered */
	char			*oauth2_token_command;
	char			*proxy_name;	/* as written; NULL: [general] proxy */
	const struct config_proxy *proxy;	/* resolved; NULL: direct */
	char			*imap_disable;	/* extensions never used, or NULL */
	char			*path;		/* maildir: DIR, mbox: FILE */
	/*
	 * POP3 leave_on_server: -1 keep (yes, the default), 0 delete once
	 * downloaded (no), N delete N days after the download.
	 */
	int			 leave_days;
	struct config_send	 send;
	int			 line;		/* where the section starts */
};

/* Most words an html_command / url_command and pager_headers may have. */
#define CONFIG_ARGV_MAX		64
#define CONFIG_HEADERS_MAX	32

/* The pager's [general] settings (issue 5). */
struct config_pager {
	char			**headers;	/* pager_headers; NULL: the default */
	size_t			  nheaders;
	bool			  prefer_html;
	char			**html_argv;	/* NULL-terminated; NULL: auto */
	bool			  html_internal; /* html_command = internal */
	bool			  html_mailcap;	/* html_command = mailcap */
	char			**url_argv;	/* NULL-terminated; NULL: none */
	char			 *charset_fallback; /* unlabelled 8-bit text;
						     NULL: windows-1252 */
};

struct config {
	char			*path;
	char			*log_file;
	char			*default_account;
	char			*default_proxy;	/* [general] proxy = NAME */
	struct config_account	*accounts;
	size_t			 naccounts;
	struct config_proxy	*proxies;
	size_t			 nproxies;
	struct config_pager	 pager;
	char			*editor;	/* [general] editor, or NULL */
	char			*aliases_file;	/* [general], as written */
	bool			 format_flowed;	/* [general] format_flowed */
};

/* Parse a file; NULL with "path:line: message" in the error on failure. */
struct config	*config_load(const char *path, struct error *);
/* Parse from memory (tests, fuzzing); name is used in messages. */
struct config	*config_parse(const char *name, const char *text,
		     struct error *);
void		 config_free(struct config *);
/* The account by name, or the default/first one when name is NULL. */
const struct config_account *config_account_find(const struct config *,
		     const char *name);
/*
 * The account's password: the configured one, or the first line of
 * password_command's output (run through /bin/sh, stdin closed).  The
 * caller frees it with xfree_secret.
 */
char		*config_account_password(const struct config_account *,
		     struct error *);
/*
 * Split a command line into words as a shell would split it, without any
 * expansion: blanks separate words, '...' quotes literally, "..." quotes
 * with \\ \" \$ \` escapes, a backslash outside quotes escapes the next
 * character.  *argv gets a NULL-terminated array (free with
 * config_argv_free); -1 with *why set (English) for an unbalanced quote,
 * no word, or more than CONFIG_ARGV_MAX words.
 */
int		 config_argv_split(const char *s, char ***argv,
		     const char **why);
void		 config_argv_free(char **argv);
/*
 * The account to send a's mail through SMTP: a copy of *a (borrowing its
 * strings) with host, port, security, user, password, TLS and auth taken
 * from the smtp_ settings where they are set.  -1 with ERR_CONFIG if a
 * has no smtp_host.
 */
int		 config_smtp_account(const struct config_account *a,
		     struct config_account *smtp, struct error *);
/* The default config path: $XDG_CONFIG_HOME/petrel/config. */
char		*config_default_path(void);

#endif
