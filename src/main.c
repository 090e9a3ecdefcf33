/*
 * main.c - petrel's entry point and the process's wiring.
 *
 * Parses the command line, sets up locale, translations and the log, loads
 * the configuration, and hands over to the UI or to a batch command.  This
 * is the only place that decides exit statuses: 0 ok, 1 a runtime failure,
 * 2 a usage or configuration error.
 */
#include <errno.h>
#include <getopt.h>
#include <libintl.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "core/config.h"
#include "core/paths.h"
#include "store/store.h"
#include "ui/ui.h"
#include "util/log.h"
#include "util/mkdirs.h"
#include "util/sanitize.h"
#include "util/xmalloc.h"

#define _(s) gettext(s)

/* Print usage to f. */
static void
main_usage(FILE *f)
{
	fprintf(f, _("usage: petrel [-R] [-F config] [-d level[,area...]] "
	    "[-L logfile] [-a account]\n"
	    "       petrel [-F config] sync [account]\n"
	    "       petrel [-F config] ls account folder\n"
	    "       petrel [-F config] send [-a account] [-t] [-f addr] "
	    "[addr...] < message\n"
	    "       petrel parse FILE|-\n"
	    "       petrel --version | --help\n"
	    "\n"
	    "  -F FILE   configuration file (default "
	    "$XDG_CONFIG_HOME/petrel/config)\n"
	    "  -R        read-only: change nothing on any server\n"
	    "  -a NAME   open this account first\n"
	    "  -d LEVEL  log at LEVEL (error, warn, info, debug, trace),\n"
	    "            optionally only some areas: -d trace,imap,tls\n"
	    "  -L FILE   log file (default $XDG_DATA_HOME/petrel/petrel.log)\n"
	    "\n"
	    "The cache lives in $XDG_DATA_HOME/petrel/cache.db.\n"));
}

/* Open the log if -d was given; returns -1 on a bad spec or file. */
static int
main_log(const char *spec, const char *file, const struct config *cfg)
{
	enum log_level	 level;
	char		*areas = NULL, *path = NULL, *dflt;
	int		 rc;

	if (spec == NULL)
		return 0;
	if (log_parse_spec(spec, &level, &areas) == -1) {
		fprintf(stderr, _("petrel: bad -d level '%s'\n"), spec);
		return -1;
	}
	if (file == NULL)
		file = cfg != NULL ? cfg->log_file : NULL;
	if (file == NULL) {
		dflt = paths_cache_db();
		path = xasprintf("%.*s/petrel.log",
		    (int)(strrchr(dflt, '/') - dflt), dflt);
		free(dflt);
		file = path;
	}
	rc = mkdirs_parent(file);
	if (rc == 0)
		rc = log_open(file, level, areas);
	if (rc == -1)
		fprintf(stderr, "petrel: %s: %s\n", file, strerror(errno));
	free(areas);
	free(path);
	return rc;
}

/* How to leave the built-in local account behind. */
static void
main_local_hint(const char *cfg_path)
{
	char	*p = sanitize_line_dup(cfg_path);

	fprintf(stderr, _("To add an account, create %s with an [account "
	    "NAME] section (see README.md).\n"), p);
	free(p);
}

/*
 * Without a configuration file: one account "local" for the mailbox
 * $MAIL names, else ~/Maildir; NULL (nothing printed) if there is none.
 */
static struct config *
main_local_config(const char *cfg_path)
{
	struct config	*cfg;
	struct error	 err;
	const char	*driver;
	char		*path, *text, *shown;

	if (store_guess_local(getenv("MAIL"), getenv("HOME"), &driver,
	    &path) != 0)
		return NULL;
	/* The path goes in after parsing: it need not be valid INI. */
	text = xasprintf("[account local]\ndriver = %s\npath = /\n", driver);
	cfg = config_parse(cfg_path, text, &err);
	free(text);
	if (cfg == NULL || cfg->naccounts != 1) {
		config_free(cfg);
		free(path);
		return NULL;
	}
	free(cfg->accounts[0].path);
	cfg->accounts[0].path = path;
	shown = sanitize_line_dup(path);
	fprintf(stderr, _("petrel: no configuration file: opening %s (%s%s) "
	    "as account \"local\".\n"), shown, driver,
	    strcmp(driver, "mbox") == 0 ? _(", read-only") : "");
	free(shown);
	main_local_hint(cfg_path);
	return cfg;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct config	*cfg = NULL;
	struct error	 err;
	const char	*cfg_path = NULL, *log_spec = NULL, *log_file = NULL;
	const char	*account = NULL, *cmd;
	char		*dflt_cfg = NULL, *cache_path = NULL;
	bool		 read_only = false, local = false;
	size_t		 i;
	int		 ch, rc = 2;

	setlocale(LC_ALL, "");
	bindtextdomain(PACKAGE, LOCALEDIR);
	textdomain(PACKAGE);
	signal(SIGPIPE, SIG_IGN);
	error_clear(&err);

	while ((ch = getopt_long(argc, argv, "+F:Rd:L:a:hV", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'F': cfg_path = optarg; break;
		case 'R': read_only = true; break;
		case 'd': log_spec = optarg; break;
		case 'L': log_file = optarg; break;
		case 'a': account = optarg; break;
		case 'h':
			main_usage(stdout);
			return 0;
		case 'V':
			printf("%s %s\n", PACKAGE, PACKAGE_VERSION);
			return 0;
		default:
			main_usage(stderr);
			return 2;
		}
	}
	argc -= optind;
	argv += optind;
	cmd = argc > 0 ? argv[0] : NULL;
	/* parse reads a file, not the configuration: it works anywhere. */
	if (cmd != NULL && strcmp(cmd, "parse") == 0) {
		if (argc != 2) {
			main_usage(stderr);
			return 2;
		}
		return cmd_parse(argv[1]);
	}
	if (cmd != NULL && strcmp(cmd, "sync") != 0 && strcmp(cmd, "ls") != 0 &&
	    strcmp(cmd, "send") != 0) {
		fprintf(stderr, _("petrel: unknown command '%s'\n"), cmd);
		main_usage(stderr);
		return 2;
	}
	if ((cmd != NULL && strcmp(cmd, "sync") == 0 && argc > 2) ||
	    (cmd != NULL && strcmp(cmd, "ls") == 0 && argc != 3)) {
		main_usage(stderr);
		return 2;
	}

	if (cfg_path == NULL)
		cfg_path = dflt_cfg = config_default_path();
	if (access(cfg_path, F_OK) == -1 && errno == ENOENT) {
		/* No file at all (and none asked for): the local mailbox. */
		if (dflt_cfg != NULL &&
		    (cfg = main_local_config(cfg_path)) != NULL)
			local = true;
		else {
			fprintf(stderr, _("petrel: no configuration file at "
			    "%s\nCreate it with an [account NAME] section "
			    "(see README.md), or pass -F FILE.\n"), cfg_path);
			goto out;
		}
	} else if ((cfg = config_load(cfg_path, &err)) == NULL) {
		fprintf(stderr, "petrel: %s\n", err.msg);
		goto out;
	}
	if (main_log(log_spec, log_file, cfg) == -1)
		goto out;
	for (i = 0; read_only && i < cfg->naccounts; i++)
		cfg->accounts[i].read_only = true;
	if (account != NULL && config_account_find(cfg, account) == NULL) {
		fprintf(stderr, _("petrel: no account '%s' in %s\n"), account,
		    cfg_path);
		goto out;
	}
	cache_path = paths_cache_db();
	log_info("main", "petrel %s, config %s, cache %s", PACKAGE_VERSION,
	    cfg_path, cache_path);

	if (cmd != NULL && strcmp(cmd, "sync") == 0)
		rc = cmd_sync(cfg, argc > 1 ? argv[1] : NULL, cache_path);
	else if (cmd != NULL && strcmp(cmd, "ls") == 0)
		rc = cmd_ls(cfg, argv[1], argv[2], cache_path);
	else if (cmd != NULL && strcmp(cmd, "send") == 0)
		rc = cmd_send(cfg, account, argc, argv, cache_path);
	else if (cfg->naccounts == 0) {
		fprintf(stderr, _("petrel: %s defines no [account]\n"),
		    cfg_path);
	} else if (ui_run(cfg, account, cache_path, &err) == -1) {
		char *line = sanitize_line_dup(err.msg);

		fprintf(stderr, "petrel: %s\n", line);
		free(line);
		rc = 1;
	} else
		rc = 0;
	/* The UI's screen hid the first hint: say it again. */
	if (local && cmd == NULL)
		main_local_hint(cfg_path);
out:
	config_free(cfg);
	free(dflt_cfg);
	free(cache_path);
	log_close();
	return rc;
}
