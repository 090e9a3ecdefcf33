/*
 * test_compose_edit.c - unit tests of the editor file (format, parse,
 * errors) and of running the editor: small shell scripts written here
 * stand in for it (src/compose/compose_edit.c, compose_editor.c).
 */
#include <sys/stat.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <check.h>

#include "compose/compose.h"
#include "compose/compose_int.h"
#include "util/xmalloc.h"
#include "test_compose.h"
#include "test_tmpdir.h"

/* A draft with every field the editor shows. */
static void
full_draft(struct compose_draft *d)
{
	memset(d, 0, sizeof *d);
	d->from = xstrdup("Me Myself <me@example.org>");
	d->to = xstrdup("J\xc3\xb6rg <joerg@example.de>, b@example.com");
	d->cc = xstrdup("\"Doe, J.\" <j@example.com>");
	d->bcc = xstrdup("hidden@example.com");
	d->reply_to = NULL;
	d->subject = xstrdup("Re: caf\xc3\xa9 \xe2\x98\x95");
	d->in_reply_to = xstrdup("<1@x>");
	d->body = xstrdup("Hello,\n\n> quoted\n\xe2\x80\x94 me\n");
}

static const char full_text[] =
	"From: Me Myself <me@example.org>\n"
	"To: J\xc3\xb6rg <joerg@example.de>, b@example.com\n"
	"Cc: \"Doe, J.\" <j@example.com>\n"
	"Bcc: hidden@example.com\n"
	"Reply-To: \n"
	"Subject: Re: caf\xc3\xa9 \xe2\x98\x95\n"
	"\n"
	"Hello,\n\n> quoted\n\xe2\x80\x94 me\n";

START_TEST(test_edit_format)
{
	struct compose_draft	 d;
	char			*s;

	full_draft(&d);
	s = compose_edit_format(&d);
	ck_assert_str_eq(s, full_text);
	free(s);
	compose_draft_fini(&d);

	/* An empty draft; a line break in a value does not split it. */
	memset(&d, 0, sizeof d);
	d.subject = xstrdup("two\nlines");
	s = compose_edit_format(&d);
	ck_assert_str_eq(s, "From: \nTo: \nCc: \nBcc: \nReply-To: \n"
	    "Subject: two lines\n\n");
	free(s);
	compose_draft_fini(&d);
}
END_TEST

START_TEST(test_edit_round_trip)
{
	struct compose_draft	 d, back;
	struct error		 err;
	char			*s;

	full_draft(&d);
	s = compose_edit_format(&d);
	memset(&back, 0, sizeof back);
	back.in_reply_to = xstrdup("<kept@x>");
	ck_assert_int_eq(compose_edit_parse(&back, s, strlen(s), &err), 0);
	ck_assert_field(back.from, d.from);
	ck_assert_field(back.to, d.to);
	ck_assert_field(back.cc, d.cc);
	ck_assert_field(back.bcc, d.bcc);
	ck_assert_field(back.reply_to, NULL);
	ck_assert_field(back.subject, d.subject);
	ck_assert_field(back.body, d.body);
	/* Fields the file does not show stay. */
	ck_assert_field(back.in_reply_to, "<kept@x>");
	free(s);
	compose_draft_fini(&d);
	compose_draft_fini(&back);
}
END_TEST

START_TEST(test_edit_parse_forms)
{
	struct compose_draft	d;
	struct error		err;
	const char		*t =
	    "to: a@example.com,\r\n"
	    "   b@example.com\r\n"
	    "SUBJECT : a long\r\n"
	    "\tsubject\twith tab\r\n"
	    "bcc:secret@example.com\r\n"
	    "Cc:\r\n"
	    "To: c@example.com\r\n"
	    "reply-to:   \r\n"
	    "  \r\n"
	    "body\r\n"
	    "From: not a header here\r\n"
	    "\r\n"
	    "last";

	memset(&d, 0, sizeof d);
	d.from = xstrdup("old@example.com");
	d.cc = xstrdup("old@example.com");
	ck_assert_int_eq(compose_edit_parse(&d, t, strlen(t), &err), 0);
	ck_assert_field(d.from, NULL);	/* no From: line */
	ck_assert_field(d.to, "a@example.com, b@example.com, c@example.com");
	ck_assert_field(d.cc, NULL);
	ck_assert_field(d.bcc, "secret@example.com");
	ck_assert_field(d.reply_to, NULL);
	ck_assert_field(d.subject, "a long subject with tab");
	ck_assert_field(d.body, "body\nFrom: not a header here\n\nlast");
	compose_draft_fini(&d);

	/* Headers only, no blank line, no final newline. */
	memset(&d, 0, sizeof d);
	ck_assert_int_eq(compose_edit_parse(&d, "To: x@example.com\n"
	    "Subject: s", 28, &err), 0);
	ck_assert_field(d.to, "x@example.com");
	ck_assert_field(d.subject, "s");
	ck_assert_field(d.body, "");
	compose_draft_fini(&d);

	/* CRs before an LF all go, a CR elsewhere stays. */
	memset(&d, 0, sizeof d);
	ck_assert_int_eq(compose_edit_parse(&d, "\na\r\r\nb\rc\r", 9,
	    &err), 0);
	ck_assert_field(d.body, "a\nb\rc\r");
	compose_draft_fini(&d);

	/* Nothing at all. */
	memset(&d, 0, sizeof d);
	ck_assert_int_eq(compose_edit_parse(&d, "", 0, &err), 0);
	ck_assert_field(d.body, "");
	compose_draft_fini(&d);
}
END_TEST

/* Parse text into a full draft: it must fail with code and a message
 * holding want, and leave the draft as it was. */
static void
check_parse_error(const char *text, size_t len, enum error_code code,
    const char *want)
{
	struct compose_draft	d;
	struct error		err;

	full_draft(&d);
	ck_assert_int_eq(compose_edit_parse(&d, text, len, &err), -1);
	ck_assert_int_eq(err.code, code);
	ck_assert_msg(strstr(err.msg, want) != NULL, "error \"%s\" lacks "
	    "\"%s\"", err.msg, want);
	ck_assert_field(d.to, "J\xc3\xb6rg <joerg@example.de>, b@example.com");
	ck_assert_field(d.subject, "Re: caf\xc3\xa9 \xe2\x98\x95");
	ck_assert_field(d.body, "Hello,\n\n> quoted\n\xe2\x80\x94 me\n");
	compose_draft_fini(&d);
}

#define PARSE_ERROR(t, code, want) \
	check_parse_error((t), sizeof(t) - 1, (code), (want))

START_TEST(test_edit_parse_errors)
{
	PARSE_ERROR("From: a@example.com\nX-Foo: bar\n\nbody\n", ERR_PARSE,
	    "line 2: unknown header \"X-Foo\"");
	PARSE_ERROR("To: a@example.com\nSubject: s\nHello there,\n"
	    "how are you?\n", ERR_PARSE, "line 3: not a header (a blank "
	    "line must come between");
	/* A body line with a colon, the blank line missing. */
	PARSE_ERROR("To: a@example.com\nNote: call me\n", ERR_PARSE,
	    "line 2: unknown header \"Note\"");
	PARSE_ERROR("To: a@example.com\n: no name\n\n", ERR_PARSE,
	    "line 2: not a header");
	PARSE_ERROR(" continued\nTo: a@example.com\n\n", ERR_PARSE,
	    "line 1: a continued line with no header above");
	PARSE_ERROR("Subject: one\nTo: a@example.com\nsubject: two\n\n",
	    ERR_PARSE, "line 3: a second Subject: header");
	PARSE_ERROR("From: a@example.com\nFrom: b@example.com\n\n",
	    ERR_PARSE, "line 2: a second From: header");
	PARSE_ERROR("Subject: caf\xe9\n\n", ERR_PARSE,
	    "line 1: not valid UTF-8");
	PARSE_ERROR("To: a@example.com\n\nline 3\nline \xff\n", ERR_PARSE,
	    "line 4: not valid UTF-8");
	PARSE_ERROR("Subject: a\x1b[31mred\n\n", ERR_PARSE,
	    "line 1: a control character in a header");
	PARSE_ERROR("To: a@example.com\n\nnul \0 here\n", ERR_PARSE,
	    "line 3: a NUL byte");
}
END_TEST

START_TEST(test_edit_parse_bounds)
{
	struct compose_draft	 d;
	struct error		 err;
	char			*t;
	size_t			 n = COMPOSE_LINE_MAX + 100;

	/* A header past COMPOSE_LINE_MAX. */
	t = xmalloc(n + 20);
	memcpy(t, "Subject: ", 9);
	memset(t + 9, 'x', n);
	memcpy(t + 9 + n, "\n\nbody\n", 7);
	memset(&d, 0, sizeof d);
	ck_assert_int_eq(compose_edit_parse(&d, t, n + 16, &err), -1);
	ck_assert_int_eq(err.code, ERR_TOOBIG);
	ck_assert_ptr_nonnull(strstr(err.msg, "Subject: header is too long"));
	free(t);
	/* The whole text past COMPOSE_EDIT_MAX (not read: length only). */
	ck_assert_int_eq(compose_edit_parse(&d, "x", (size_t)COMPOSE_EDIT_MAX +
	    1, &err), -1);
	ck_assert_int_eq(err.code, ERR_TOOBIG);
	compose_draft_fini(&d);
}
END_TEST

/* A directory for the editor tests; TMPDIR points at it. */
static char edit_dir[64];

/* Make the test directory and point TMPDIR and the editors there. */
static void
edit_setup(void)
{
	test_tmpdir_make(edit_dir, sizeof edit_dir, "petrel-compose-edit");
	setenv("TMPDIR", edit_dir, 1);
	unsetenv("VISUAL");
	unsetenv("EDITOR");
}

/* Remove the test directory. */
static void
edit_teardown(void)
{
	test_tmpdir_remove(edit_dir);
}

/* Write an executable /bin/sh script under the test directory; returns
 * its path. */
static char *
write_script(const char *name, const char *body)
{
	char	*path;
	FILE	*f;

	path = xasprintf("%s/%s", edit_dir, name);
	ck_assert_ptr_nonnull(f = fopen(path, "w"));
	fprintf(f, "#!/bin/sh\nD='%s'\n%s", edit_dir, body);
	ck_assert_int_eq(fclose(f), 0);
	ck_assert_int_eq(chmod(path, 0755), 0);
	return path;
}

/* The contents of a file under the test directory ("" if missing). */
static char *
read_back(const char *name)
{
	char	*path, buf[4096];
	FILE	*f;
	size_t	 n = 0;

	path = xasprintf("%s/%s", edit_dir, name);
	if ((f = fopen(path, "r")) != NULL) {
		n = fread(buf, 1, sizeof buf - 1, f);
		fclose(f);
	}
	buf[n] = '\0';
	free(path);
	return xstrdup(buf);
}

/* Lines every spy script starts with: it records its arguments, the mode
 * and path of the file it is given (the last argument) and what it
 * holds. */
#define SPY \
	"for f; do :; done\n" \
	"echo \"$#\" > \"$D/argc\"\n" \
	"printf '%s|' \"$@\" > \"$D/args\"\n" \
	"stat -c %a \"$f\" > \"$D/mode\"\n" \
	"echo \"$f\" > \"$D/path\"\n" \
	"cat \"$f\" > \"$D/seen\"\n"

/* Check that the file the spy was given was private and is gone. */
static void
check_tmp_gone(void)
{
	char	*mode, *path;

	mode = read_back("mode");
	ck_assert_str_eq(mode, "600\n");
	path = read_back("path");
	ck_assert_msg(strncmp(path, edit_dir, strlen(edit_dir)) == 0 &&
	    strncmp(path + strlen(edit_dir), "/petrel-draft-", 14) == 0,
	    "file %s is not in TMPDIR", path);
	path[strlen(path) - 1] = '\0';
	ck_assert_int_eq(access(path, F_OK), -1);
	ck_assert_int_eq(errno, ENOENT);
	free(mode);
	free(path);
}

START_TEST(test_edit_run_rewrite)
{
	struct compose_draft	 d;
	struct error		 err;
	char			*ed, *cmd, *s;

	ed = write_script("ed it.sh", SPY
	    "printf 'to: x@example.com\\nSubject: edited\\n\\n"
	    "rewritten body\\n' > \"$f\"\n");
	/* Quoted words, no shell: ';' and '$HOME' are plain arguments. */
	cmd = xasprintf("'%s' --one \"two words\" ';' '$HOME'", ed);
	setenv("EDITOR", cmd, 1);
	full_draft(&d);
	ck_assert_int_eq(compose_edit_run(&d, NULL, &err), 0);
	ck_assert_field(d.to, "x@example.com");
	ck_assert_field(d.subject, "edited");
	ck_assert_field(d.from, NULL);
	ck_assert_field(d.bcc, NULL);
	ck_assert_field(d.body, "rewritten body\n");
	ck_assert_ptr_null(d.pending);
	s = read_back("argc");
	ck_assert_str_eq(s, "5\n");
	free(s);
	s = read_back("args");
	ck_assert_msg(strncmp(s, "--one|two words|;|$HOME|", 24) == 0,
	    "args: %s", s);
	free(s);
	s = read_back("seen");
	ck_assert_str_eq(s, full_text);
	free(s);
	check_tmp_gone();
	compose_draft_fini(&d);
	free(cmd);
	free(ed);
}
END_TEST

START_TEST(test_edit_run_unchanged)
{
	struct compose_draft	 d;
	struct error		 err;
	char			*ed, *other;

	ed = write_script("look.sh", SPY);
	other = write_script("other.sh", "exit 9\n");
	/* VISUAL wins over EDITOR. */
	setenv("VISUAL", ed, 1);
	setenv("EDITOR", other, 1);
	full_draft(&d);
	ck_assert_int_eq(compose_edit_run(&d, NULL, &err), 1);
	ck_assert_field(d.subject, "Re: caf\xc3\xa9 \xe2\x98\x95");
	ck_assert_field(d.body, "Hello,\n\n> quoted\n\xe2\x80\x94 me\n");
	check_tmp_gone();
	compose_draft_fini(&d);
	free(ed);
	free(other);
}
END_TEST

START_TEST(test_edit_run_fails)
{
	struct compose_draft	 d;
	struct error		 err;
	char			*ed, *cmd;

	ed = write_script("fail.sh", SPY "echo 'To: changed' > \"$f\"\n"
	    "exit 3\n");
	full_draft(&d);
	ck_assert_int_eq(compose_edit_run(&d, ed, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.msg, "exited with status 3"));
	ck_assert_field(d.to, "J\xc3\xb6rg <joerg@example.de>, b@example.com");
	check_tmp_gone();

	/* An editor that does not exist, and one that cannot be split. */
	cmd = xasprintf("%s/no-such-editor -x", edit_dir);
	ck_assert_int_eq(compose_edit_run(&d, cmd, &err), -1);
	ck_assert_msg(strstr(err.msg, "cannot run the editor") != NULL &&
	    strstr(err.msg, "No such file") != NULL, "%s", err.msg);
	ck_assert_int_eq(compose_edit_run(&d, "vi 'unbalanced", &err), -1);
	ck_assert_int_eq(err.code, ERR_CONFIG);
	ck_assert_ptr_nonnull(strstr(err.msg, "unbalanced quote"));
	ck_assert_field(d.body, "Hello,\n\n> quoted\n\xe2\x80\x94 me\n");
	compose_draft_fini(&d);
	free(cmd);
	free(ed);
}
END_TEST

START_TEST(test_edit_run_bad_result)
{
	struct compose_draft	 d;
	struct error		 err;
	char			*bad, *same, *fix, *s;

	bad = write_script("bad.sh", SPY
	    "printf 'To: a@example.com\\nX-Typo: 1\\n\\nmy words\\n' "
	    "> \"$f\"\n");
	same = write_script("same.sh", SPY);
	fix = write_script("fix.sh", SPY
	    "printf 'To: a@example.com\\n\\nmy words\\n' > \"$f\"\n");
	full_draft(&d);
	ck_assert_int_eq(compose_edit_run(&d, bad, &err), -1);
	ck_assert_int_eq(err.code, ERR_PARSE);
	ck_assert_ptr_nonnull(strstr(err.msg, "line 2: unknown header"));
	ck_assert_field(d.to, "J\xc3\xb6rg <joerg@example.de>, b@example.com");
	ck_assert_field(d.pending, "To: a@example.com\nX-Typo: 1\n\n"
	    "my words\n");
	check_tmp_gone();
	/* The next run opens what the user wrote, not the old draft. */
	ck_assert_int_eq(compose_edit_run(&d, same, &err), 1);
	s = read_back("seen");
	ck_assert_str_eq(s, "To: a@example.com\nX-Typo: 1\n\nmy words\n");
	free(s);
	ck_assert_ptr_nonnull(d.pending);
	ck_assert_int_eq(compose_edit_run(&d, fix, &err), 0);
	ck_assert_ptr_null(d.pending);
	ck_assert_field(d.to, "a@example.com");
	ck_assert_field(d.body, "my words\n");
	compose_draft_fini(&d);
	free(bad);
	free(same);
	free(fix);
}
END_TEST

START_TEST(test_edit_run_no_tmpdir)
{
	struct compose_draft	 d;
	struct error		 err;
	char			*dir;

	dir = xasprintf("%s/missing", edit_dir);
	setenv("TMPDIR", dir, 1);
	full_draft(&d);
	ck_assert_int_eq(compose_edit_run(&d, "true", &err), -1);
	ck_assert_ptr_nonnull(strstr(err.msg, "cannot make a temporary file"));
	compose_draft_fini(&d);
	free(dir);
}
END_TEST

/* The suite of this file. */
Suite *
test_compose_edit_suite(void)
{
	Suite	*s = suite_create("compose_edit");
	TCase	*tc = tcase_create("format");
	TCase	*run = tcase_create("run");

	tcase_add_test(tc, test_edit_format);
	tcase_add_test(tc, test_edit_round_trip);
	tcase_add_test(tc, test_edit_parse_forms);
	tcase_add_test(tc, test_edit_parse_errors);
	tcase_add_test(tc, test_edit_parse_bounds);
	suite_add_tcase(s, tc);
	tcase_add_checked_fixture(run, edit_setup, edit_teardown);
	tcase_add_test(run, test_edit_run_rewrite);
	tcase_add_test(run, test_edit_run_unchanged);
	tcase_add_test(run, test_edit_run_fails);
	tcase_add_test(run, test_edit_run_bad_result);
	tcase_add_test(run, test_edit_run_no_tmpdir);
	suite_add_tcase(s, run);
	return s;
}
