/*
 * mime_build_probe.c - builds one message with mime/build.h from its
 * command line and writes it to stdout, so tests/integration/mime-build.sh
 * can check it with an oracle nobody here wrote (Python's email package).
 *
 *	mime_build_probe [--from A] [--to A] [--cc A] [--bcc A]
 *	    [--reply-to A] [--subject S] [--body FILE] [--flowed] [--8bit]
 *	    [--date SECONDS] [--message-id ID] [--in-reply-to IDS]
 *	    [--references IDS] [--header NAME:VALUE]...
 *	    [--attach FILE [--name N] [--type T] [--charset C] [--inline]]...
 *	    [--message FILE [--name N] [--inline]]... [--max BYTES] [--rcpts]
 *
 * --name, --type, --charset and --inline apply to the attachment named
 * last (the filename defaults to FILE as given: the builder drops its
 * directories).  --rcpts prints the envelope recipients, one a line,
 * instead of the message.  Exit 0, or 1 with "error: CODE: message" on
 * stderr.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mime/build.h"
#include "util/xmalloc.h"

/* Largest file read (the builder's output is bounded by --max). */
#define PROBE_FILE_MAX	(256u * 1024 * 1024)
#define PROBE_PARTS_MAX	64
#define PROBE_HEADERS_MAX 64

/* What the command line asked for. */
struct probe {
	struct mime_build_msg	 m;
	struct mime_build_part	 parts[PROBE_PARTS_MAX];
	struct mime_build_header headers[PROBE_HEADERS_MAX];
	char			*files[PROBE_PARTS_MAX + 1];
	size_t			 nfiles;
	long long		 max;
	int			 rcpts;
};

/* Print a usage error and exit 1. */
static void
probe_die(const char *what, const char *arg)
{
	fprintf(stderr, "error: usage: %s%s%s\n", what, arg != NULL ? ": " : "",
	    arg != NULL ? arg : "");
	exit(1);
}

/* Read a whole file into a new buffer; exits on failure. */
static char *
probe_read(struct probe *p, const char *path, size_t *len)
{
	struct buf	 b = BUF_INITIALIZER(PROBE_FILE_MAX);
	FILE		*f;
	char		 chunk[65536];
	size_t		 n;

	if (p->nfiles == PROBE_PARTS_MAX + 1)
		probe_die("too many files", path);
	if ((f = fopen(path, "rb")) == NULL) {
		fprintf(stderr, "error: %s: %s\n", path, strerror(errno));
		exit(1);
	}
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
		if (buf_add(&b, chunk, n) == -1)
			probe_die("file too big", path);
	}
	if (ferror(f))
		probe_die("cannot read", path);
	fclose(f);
	*len = b.len;
	p->files[p->nfiles++] = b.data != NULL ? b.data : xstrdup("");
	return p->files[p->nfiles - 1];
}

/* The attachment the last --attach or --message added. */
static struct mime_build_part *
probe_last(struct probe *p, const char *opt)
{
	if (p->m.nparts == 0)
		probe_die("no --attach before", opt);
	return &p->parts[p->m.nparts - 1];
}

/* Add an attachment read from path. */
static void
probe_attach(struct probe *p, const char *path, bool is_message)
{
	struct mime_build_part	*part;

	if (p->m.nparts == PROBE_PARTS_MAX)
		probe_die("too many attachments", NULL);
	part = &p->parts[p->m.nparts++];
	memset(part, 0, sizeof *part);
	part->data = probe_read(p, path, &part->len);
	part->filename = path;
	part->is_message = is_message;
}

/* Add an extra header "NAME:VALUE". */
static void
probe_header(struct probe *p, char *arg)
{
	char	*colon;

	if ((colon = strchr(arg, ':')) == NULL)
		probe_die("--header NAME:VALUE", arg);
	if (p->m.nheaders == PROBE_HEADERS_MAX)
		probe_die("too many headers", NULL);
	*colon = '\0';
	p->headers[p->m.nheaders].name = arg;
	p->headers[p->m.nheaders++].value = colon + 1;
}

/* Parse the command line into p. */
static void
probe_args(struct probe *p, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "from", 1, NULL, 'f' }, { "to", 1, NULL, 't' },
		{ "cc", 1, NULL, 'c' }, { "bcc", 1, NULL, 'b' },
		{ "reply-to", 1, NULL, 'r' }, { "subject", 1, NULL, 's' },
		{ "body", 1, NULL, 'B' }, { "flowed", 0, NULL, 'F' },
		{ "8bit", 0, NULL, '8' }, { "date", 1, NULL, 'd' },
		{ "message-id", 1, NULL, 'i' }, { "in-reply-to", 1, NULL, 'I' },
		{ "references", 1, NULL, 'R' }, { "header", 1, NULL, 'H' },
		{ "attach", 1, NULL, 'a' }, { "message", 1, NULL, 'M' },
		{ "name", 1, NULL, 'n' }, { "type", 1, NULL, 'T' },
		{ "charset", 1, NULL, 'C' }, { "inline", 0, NULL, 'l' },
		{ "max", 1, NULL, 'x' }, { "rcpts", 0, NULL, 'P' },
		{ NULL, 0, NULL, 0 }
	};
	int	c;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'f': p->m.from = optarg; break;
		case 't': p->m.to = optarg; break;
		case 'c': p->m.cc = optarg; break;
		case 'b': p->m.bcc = optarg; break;
		case 'r': p->m.reply_to = optarg; break;
		case 's': p->m.subject = optarg; break;
		case 'B':
			p->m.body = probe_read(p, optarg, &p->m.body_len);
			break;
		case 'F': p->m.flowed = true; break;
		case '8': p->m.allow_8bit = true; break;
		case 'd': p->m.date = (time_t)strtoll(optarg, NULL, 10); break;
		case 'i': p->m.message_id = optarg; break;
		case 'I': p->m.in_reply_to = optarg; break;
		case 'R': p->m.references = optarg; break;
		case 'H': probe_header(p, optarg); break;
		case 'a': probe_attach(p, optarg, false); break;
		case 'M': probe_attach(p, optarg, true); break;
		case 'n': probe_last(p, "--name")->filename = optarg; break;
		case 'T': probe_last(p, "--type")->content_type = optarg; break;
		case 'C': probe_last(p, "--charset")->charset = optarg; break;
		case 'l': probe_last(p, "--inline")->inline_disp = true; break;
		case 'x': p->max = strtoll(optarg, NULL, 10); break;
		case 'P': p->rcpts = 1; break;
		default: probe_die("unknown option", NULL);
		}
	}
	if (optind != argc)
		probe_die("unexpected argument", argv[optind]);
}

/* Build the message (or list the recipients) and print it. */
int
main(int argc, char **argv)
{
	struct probe	 p;
	struct error	 err;
	struct buf	 out;
	char		**v;
	size_t		 i;
	int		 rc = 1;

	memset(&p, 0, sizeof p);
	probe_args(&p, argc, argv);
	p.m.parts = p.parts;
	p.m.headers = p.headers;
	buf_init(&out, p.max > 0 ? (size_t)p.max : 0);
	if (p.rcpts) {
		if ((v = mime_build_rcpts(&p.m, &err)) != NULL) {
			for (i = 0; v[i] != NULL; i++)
				printf("%s\n", v[i]);
			mime_build_addrs_free(v);
			rc = 0;
		}
	} else if (mime_build(&p.m, &out, &err) == 0) {
		rc = fwrite(out.data, 1, out.len, stdout) == out.len &&
		    fflush(stdout) == 0 ? 0 : 1;
		if (rc != 0)
			error_set(&err, ERR_SYS, ERR_SCOPE_OP, "stdout: %s",
			    strerror(errno));
	}
	if (rc != 0)
		fprintf(stderr, "error: %s: %s\n", error_code_name(err.code),
		    err.msg);
	buf_fini(&out);
	for (i = 0; i < p.nfiles; i++)
		free(p.files[i]);
	return rc;
}
