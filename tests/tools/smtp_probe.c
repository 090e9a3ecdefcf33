/*
 * smtp_probe.c - a small client for the integration tests: sends a file
 * through smtp_send (src/net/smtp.h) with settings from the command line
 * and prints what the server answered, recipient by recipient; so
 * tests/integration/smtp.sh and smtp-hostile.py prove the SMTP client
 * against a real server and a hostile one.
 *
 *	smtp_probe [--tls] [--starttls] [--ca FILE] [--no-verify]
 *	    [--user U] [--auth LIST] [--allow-plaintext-auth] [--helo NAME]
 *	    [--timeout MS] [--connect-timeout MS] [--greeting-timeout MS]
 *	    [--from ADDR] [--notify N] [--ret R] [--envid E]
 *	    [--cancel-after MS] [--trace FILE]
 *	    HOST PORT FILE RCPT...
 *
 * The password comes from $PETREL_SMTP_PASSWORD (never argv); with
 * --user and no password, the token from $PETREL_SMTP_TOKEN.  --trace
 * writes petrel's -d trace log of the "smtp" area to FILE.
 * --cancel-after makes the wake fd readable after MS milliseconds.
 * Output on stdout, one line each (server text is already sanitised):
 *	rcpt: <ADDR> CODE TEXT
 *	result: accepted|failed CODE TEXT data_started=yes|no
 * and on failure "error: ERR_NAME: message" on stderr.  Exit 0 only
 * when the server accepted the message, 1 when it did not, 2 for usage.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "net/smtp.h"
#include "util/log.h"
#include "util/xmalloc.h"

/* What the options say besides the settings. */
struct probe {
	struct smtp_settings	 set;
	struct smtp_envelope	 env;
	struct sasl_creds	 creds;
	const char		*user;
	const char		*trace;
	int			 cancel_ms;
	int			 wake[2];
};

/* The enum name of an error code, for the tests to match. */
static const char *
probe_code(enum error_code c)
{
	static const char *const names[] = {
		[ERR_NONE] = "ERR_NONE", [ERR_SYS] = "ERR_SYS",
		[ERR_CONFIG] = "ERR_CONFIG", [ERR_NET] = "ERR_NET",
		[ERR_TIMEOUT] = "ERR_TIMEOUT", [ERR_TLS] = "ERR_TLS",
		[ERR_AUTH] = "ERR_AUTH", [ERR_PROTOCOL] = "ERR_PROTOCOL",
		[ERR_SERVER] = "ERR_SERVER", [ERR_CACHE] = "ERR_CACHE",
		[ERR_PARSE] = "ERR_PARSE", [ERR_TOOBIG] = "ERR_TOOBIG",
		[ERR_READONLY] = "ERR_READONLY",
		[ERR_NOTFOUND] = "ERR_NOTFOUND",
		[ERR_CANCELLED] = "ERR_CANCELLED",
		[ERR_UNSUPPORTED] = "ERR_UNSUPPORTED",
		[ERR_TLS_VERIFY] = "ERR_TLS_VERIFY",
	};

	if ((size_t)c < sizeof names / sizeof names[0] && names[c] != NULL)
		return names[c];
	return "ERR_UNKNOWN";
}

/* A number of milliseconds, or -1. */
static int
probe_ms(const char *s)
{
	char	*end;
	long	 v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || *end != '\0' || end == s || v < 0 || v > 86400000)
		return -1;
	return (int)v;
}

/* Parse the options; the index of HOST, or -1. */
static int
probe_args(int argc, char **argv, struct probe *p)
{
	static const struct option opts[] = {
		{ "tls", no_argument, NULL, 't' },
		{ "starttls", no_argument, NULL, 's' },
		{ "ca", required_argument, NULL, 'c' },
		{ "no-verify", no_argument, NULL, 'V' },
		{ "user", required_argument, NULL, 'u' },
		{ "auth", required_argument, NULL, 'a' },
		{ "allow-plaintext-auth", no_argument, NULL, 'P' },
		{ "helo", required_argument, NULL, 'h' },
		{ "timeout", required_argument, NULL, 'T' },
		{ "connect-timeout", required_argument, NULL, 'C' },
		{ "greeting-timeout", required_argument, NULL, 'G' },
		{ "from", required_argument, NULL, 'f' },
		{ "notify", required_argument, NULL, 'n' },
		{ "ret", required_argument, NULL, 'r' },
		{ "envid", required_argument, NULL, 'e' },
		{ "cancel-after", required_argument, NULL, 'x' },
		{ "trace", required_argument, NULL, 'L' },
		{ NULL, 0, NULL, 0 }
	};
	int	 c, ms = 0;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (strchr("TCGx", c) != NULL && (ms = probe_ms(optarg)) == -1)
			return -1;
		switch (c) {
		case 't': p->set.ep.security = TRANSPORT_IMPLICIT_TLS; break;
		case 's': p->set.starttls = true; break;
		case 'c': p->set.ep.tls.ca_file = optarg; break;
		case 'V': p->set.ep.tls.verify = false; break;
		case 'u': p->user = optarg; break;
		case 'a': p->set.auth = optarg; break;
		case 'P': p->set.allow_plaintext_auth = true; break;
		case 'h': p->set.helo_name = optarg; break;
		case 'T': p->set.ep.timeout_ms = ms; break;
		case 'C': p->set.ep.connect_timeout_ms = ms; break;
		case 'G': p->set.greeting_timeout_ms = ms; break;
		case 'f': p->env.from = optarg; break;
		case 'n': p->env.dsn_notify = optarg; break;
		case 'r': p->env.dsn_ret = optarg; break;
		case 'e': p->env.dsn_envid = optarg; break;
		case 'x': p->cancel_ms = ms; break;
		case 'L': p->trace = optarg; break;
		default: return -1;
		}
	}
	return optind + 4 <= argc ? optind : -1;
}

/* Read a whole file into memory. */
static char *
probe_read(const char *path, size_t *len)
{
	struct stat	 st;
	char		*data;
	ssize_t		 n;
	size_t		 off = 0;
	int		 fd;

	if ((fd = open(path, O_RDONLY)) == -1 || fstat(fd, &st) == -1) {
		perror(path);
		return NULL;
	}
	data = xmalloc((size_t)st.st_size + 1);
	while (off < (size_t)st.st_size) {
		n = read(fd, data + off, (size_t)st.st_size - off);
		if (n <= 0) {
			perror(path);
			free(data);
			close(fd);
			return NULL;
		}
		off += (size_t)n;
	}
	close(fd);
	*len = off;
	return data;
}

/* Make the wake fd readable after the delay (a thread). */
static void *
probe_canceller(void *arg)
{
	struct probe		*p = arg;
	struct timespec		 ts = { p->cancel_ms / 1000,
	    (long)(p->cancel_ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) == -1)
		;
	if (write(p->wake[1], "x", 1) != 1)
		perror("wake");
	return NULL;
}

/* Print the result, one line a recipient. */
static void
probe_print(const struct smtp_result *res)
{
	for (size_t i = 0; i < res->nrcpt; i++)
		printf("rcpt: <%s> %d %s\n", res->rcpt[i].addr,
		    res->rcpt[i].code, res->rcpt[i].text != NULL ?
		    res->rcpt[i].text : "");
	printf("result: %s %d %s data_started=%s\n", res->accepted ?
	    "accepted" : "failed", res->code, res->text != NULL ? res->text :
	    "", res->data_started ? "yes" : "no");
}

/* Fill the settings' defaults and the credentials. */
static void
probe_defaults(struct probe *p)
{
	memset(p, 0, sizeof *p);
	p->set.ep.tls.verify = true;
	p->set.ep.wake_fd = -1;
	p->set.ep.timeout_ms = p->set.ep.connect_timeout_ms = 10000;
	p->env.from = "";
	p->wake[0] = p->wake[1] = -1;
}

int
main(int argc, char **argv)
{
	struct probe		 p;
	struct smtp_result	 res;
	struct error		 err;
	pthread_t		 tid;
	char			*msg;
	size_t			 len = 0;
	int			 i, rc;

	signal(SIGPIPE, SIG_IGN);
	probe_defaults(&p);
	if ((i = probe_args(argc, argv, &p)) == -1) {
		fprintf(stderr, "usage: see the header of smtp_probe.c\n");
		return 2;
	}
	if (p.trace != NULL && log_open(p.trace, LOG_TRACE, "smtp") == -1) {
		perror(p.trace);
		return 2;
	}
	p.set.ep.host = argv[i];
	p.set.ep.port = argv[i + 1];
	if ((msg = probe_read(argv[i + 2], &len)) == NULL)
		return 2;
	p.env.rcpt = (const char *const *)(argv + i + 3);
	p.env.nrcpt = (size_t)(argc - i - 3);
	if (p.user != NULL) {
		p.creds.user = p.user;
		p.creds.password = getenv("PETREL_SMTP_PASSWORD");
		p.creds.token = getenv("PETREL_SMTP_TOKEN");
		p.set.creds = &p.creds;
	}
	if (p.cancel_ms > 0) {
		if (pipe(p.wake) == -1)
			return 2;
		p.set.ep.wake_fd = p.wake[0];
		if (pthread_create(&tid, NULL, probe_canceller, &p) != 0)
			return 2;
		pthread_detach(tid);
	}
	rc = smtp_send(&p.set, &p.env, msg, len, &res, &err);
	probe_print(&res);
	if (rc == -1)
		fprintf(stderr, "error: %s: %s\n", probe_code(err.code),
		    err.msg);
	smtp_result_fini(&res);
	free(msg);
	log_close();
	return rc == 0 ? 0 : 1;
}
