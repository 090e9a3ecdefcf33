/*
 * test_ui_pager_body.c - which part the pager shows and the text it makes
 * of it (flowed, HTML through a command or the tag stripper); running
 * outside programs bounded in time and output; the pager's config keys
 * and the command-line splitter behind html_command and url_command.
 */
#include <check.h>
#include <signal.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/config.h"
#include "mime/part.h"
#include "ui/ui_pager_body.h"
#include "ui/ui_pager_cmd.h"

/* An alternative (plain, html) inside a mixed message with a PDF. */
static const char mixed[] =
    "From: a@b.test\r\n"
    "Content-Type: multipart/mixed; boundary=OUT\r\n"
    "\r\n"
    "--OUT\r\n"
    "Content-Type: multipart/alternative; boundary=ALT\r\n"
    "\r\n"
    "--ALT\r\n"
    "Content-Type: text/plain; charset=iso-8859-1; format=flowed; "
    "delsp=yes\r\n"
    "Content-Transfer-Encoding: quoted-printable\r\n"
    "\r\n"
    "Gr=FC=DFe aus dem Fl=\r\n"
    "ow=20\r\n"
    "text.\r\n"
    "--ALT\r\n"
    "Content-Type: text/html; charset=utf-8\r\n"
    "\r\n"
    "<p>Hello <b>bold</b> world</p>\r\n"
    "--ALT--\r\n"
    "--OUT\r\n"
    "Content-Type: application/pdf; name=\"a.pdf\"\r\n"
    "Content-Disposition: attachment; filename=\"a.pdf\"\r\n"
    "Content-Transfer-Encoding: base64\r\n"
    "\r\n"
    "JVBERi0xLjQK\r\n"
    "--OUT--\r\n";

/* The index of the first part of type/subtype, or MIME_PART_NONE. */
static size_t
find_part(const struct mime_tree *t, const char *type, const char *sub)
{
	size_t	i;

	for (i = 0; i < t->n; i++) {
		if (strcmp(t->v[i].type, type) == 0 &&
		    strcmp(t->v[i].subtype, sub) == 0)
			return i;
	}
	return MIME_PART_NONE;
}

/* Plain by default, HTML with prefer_html; the PDF is never chosen. */
START_TEST(test_choose)
{
	struct mime_tree	t;
	const char		*html_only = "Content-Type: multipart/mixed; "
	    "boundary=B\n\n--B\nContent-Type: text/html\n\n<i>x</i>\n--B\n"
	    "Content-Type: text/plain\nContent-Disposition: attachment\n\n"
	    "att\n--B--\n";
	const char		*none = "Content-Type: image/png\n\nPNG";

	mime_tree_parse(mixed, strlen(mixed), &t);
	ck_assert_uint_eq(ui_pager_body_choose(&t, 0, false),
	    find_part(&t, "text", "plain"));
	ck_assert_uint_eq(ui_pager_body_choose(&t, 0, true),
	    find_part(&t, "text", "html"));
	mime_tree_fini(&t);

	/* An inline HTML part beats an attached plain one. */
	mime_tree_parse(html_only, strlen(html_only), &t);
	ck_assert_uint_eq(ui_pager_body_choose(&t, 0, false),
	    find_part(&t, "text", "html"));
	mime_tree_fini(&t);

	mime_tree_parse(none, strlen(none), &t);
	ck_assert_uint_eq(ui_pager_body_choose(&t, 0, false), MIME_PART_NONE);
	ck_assert_uint_eq(ui_pager_body_choose(&t, 99, false),
	    MIME_PART_NONE);
	mime_tree_fini(&t);
}
END_TEST

/* The text of a part: QP, latin-1, flowed with DelSp=yes undone. */
START_TEST(test_text_flowed)
{
	struct mime_tree	t;
	struct buf		b = BUF_INITIALIZER(0);
	char			*note = NULL;

	mime_tree_parse(mixed, strlen(mixed), &t);
	ui_pager_body_text(NULL, &t, find_part(&t, "text", "plain"), &b,
	    &note);
	ck_assert_str_eq(buf_str(&b), "Gr\xc3\xbc\xc3\x9f" "e aus dem Flow"
	    "text.\n");
	ck_assert_ptr_null(note);
	buf_fini(&b);
	mime_tree_fini(&t);
}
END_TEST

/* HTML: the configured renderer, and the tag stripper when it fails. */
START_TEST(test_text_html)
{
	struct mime_tree	 t;
	struct config_pager	 cfg;
	struct buf		 b = BUF_INITIALIZER(0);
	char			*note = NULL;
	char			*upper[] = { "tr", "a-z", "A-Z", NULL };
	char			*fails[] = { "false", NULL };
	size_t			 html;

	memset(&cfg, 0, sizeof cfg);
	mime_tree_parse(mixed, strlen(mixed), &t);
	html = find_part(&t, "text", "html");

	cfg.html_argv = upper;
	ui_pager_body_text(&cfg, &t, html, &b, &note);
	ck_assert_str_eq(buf_str(&b), "<P>HELLO <B>BOLD</B> WORLD</P>");
	ck_assert_str_eq(note, "text/html rendered by tr");
	free(note);
	buf_reset(&b);

	cfg.html_argv = fails;
	ui_pager_body_text(&cfg, &t, html, &b, &note);
	ck_assert_msg(strstr(buf_str(&b), "Hello bold world") != NULL,
	    "stripped: '%s'", buf_str(&b));
	ck_assert(strstr(buf_str(&b), "<b>") == NULL);
	ck_assert_msg(strstr(note, "false failed") != NULL, "%s", note);
	free(note);
	buf_reset(&b);

	cfg.html_argv = NULL;
	cfg.html_internal = true;
	ui_pager_body_text(&cfg, &t, html, &b, &note);
	ck_assert(strstr(buf_str(&b), "Hello bold world") != NULL);
	ck_assert_str_eq(note, "text/html shown by the internal tag "
	    "stripper");
	free(note);
	buf_fini(&b);
	mime_tree_fini(&t);
}
END_TEST

/* Write an executable script dir/name that prints its name and args. */
static void
fake_program(const char *dir, const char *name)
{
	char	path[256], text[256];
	int	fd;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	snprintf(text, sizeof text, "#!/bin/sh\necho %s \"$@\"\n", name);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0700);
	ck_assert_int_ne(fd, -1);
	ck_assert_int_eq(write(fd, text, strlen(text)), (int)strlen(text));
	close(fd);
}

/* The default renderer: w3m if in PATH, else lynx, else the stripper. */
START_TEST(test_renderer_default)
{
	struct mime_tree	 t;
	struct buf		 b = BUF_INITIALIZER(0);
	char			 dir[] = "/tmp/test-render-XXXXXX", path[300];
	char			*note = NULL, *old = getenv("PATH");
	const char		*name;

	old = old != NULL ? strdup(old) : NULL;
	ck_assert_ptr_nonnull(mkdtemp(dir));
	setenv("PATH", dir, 1);
	ck_assert_ptr_null(ui_pager_body_renderer(NULL, &name));
	fake_program(dir, "lynx");
	ck_assert_ptr_nonnull(ui_pager_body_renderer(NULL, &name));
	ck_assert_str_eq(name, "lynx");
	fake_program(dir, "w3m");
	mime_tree_parse(mixed, strlen(mixed), &t);
	ui_pager_body_text(NULL, &t, find_part(&t, "text", "html"), &b, &note);
	ck_assert_str_eq(buf_str(&b), "w3m -dump -T text/html -I UTF-8 -O "
	    "UTF-8\n");
	ck_assert_str_eq(note, "text/html rendered by w3m");
	free(note);
	mime_tree_fini(&t);
	buf_fini(&b);
	snprintf(path, sizeof path, "%s/w3m", dir);
	unlink(path);
	snprintf(path, sizeof path, "%s/lynx", dir);
	unlink(path);
	rmdir(dir);
	if (old != NULL)
		setenv("PATH", old, 1);
	free(old);
}
END_TEST

/* html_command = mailcap: a %s entry, a stdin entry, and none. */
START_TEST(test_text_html_mailcap)
{
	struct mime_tree	 t;
	struct config_pager	 cfg;
	struct buf		 b = BUF_INITIALIZER(0);
	char			 path[] = "/tmp/test-mailcap-XXXXXX";
	char			*note = NULL;
	const char		*file = "text/html; tr a-z A-Z < %s; "
	    "copiousoutput; test=test -n \"$HOME\"\n";
	const char		*file2 = "text/html; view %s\n"
	    "text/*; sed s/Hello/Bye/; copiousoutput\n";
	int			 fd;

	memset(&cfg, 0, sizeof cfg);
	cfg.html_mailcap = true;
	mime_tree_parse(mixed, strlen(mixed), &t);
	fd = mkstemp(path);
	ck_assert_int_ne(fd, -1);
	ck_assert_int_eq(write(fd, file, strlen(file)), (int)strlen(file));
	close(fd);
	setenv("MAILCAPS", path, 1);
	ui_pager_body_text(&cfg, &t, find_part(&t, "text", "html"), &b, &note);
	ck_assert_str_eq(buf_str(&b), "<P>HELLO <B>BOLD</B> WORLD</P>");
	ck_assert_str_eq(note, "text/html rendered by mailcap (tr a-z A-Z < "
	    "%s)");
	free(note);
	buf_reset(&b);

	/* Not copiousoutput: skipped; a wildcard entry on stdin instead. */
	fd = open(path, O_WRONLY | O_TRUNC);
	ck_assert_int_eq(write(fd, file2, strlen(file2)), (int)strlen(file2));
	close(fd);
	ui_pager_body_text(&cfg, &t, find_part(&t, "text", "html"), &b, &note);
	ck_assert_str_eq(buf_str(&b), "<p>Bye <b>bold</b> world</p>");
	free(note);
	buf_reset(&b);

	/* No entry: the tag stripper, and a note saying so. */
	setenv("MAILCAPS", "/nonexistent/mailcap", 1);
	ui_pager_body_text(&cfg, &t, find_part(&t, "text", "html"), &b, &note);
	ck_assert(strstr(buf_str(&b), "Hello bold world") != NULL);
	ck_assert_str_eq(note, "no text/html copiousoutput entry in mailcap; "
	    "tags stripped instead");
	free(note);
	unsetenv("MAILCAPS");
	unlink(path);
	buf_fini(&b);
	mime_tree_fini(&t);
}
END_TEST

/* Milliseconds of a monotonic clock. */
static long
now_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* A bounded run: stdin and stdout both large (no deadlock), status. */
START_TEST(test_run_cat)
{
	char			*cat[] = { "cat", NULL };
	char			*sh[] = { "/bin/sh", "-c", "exit 3", NULL };
	char			*none[] = { "/nonexistent/prog", NULL };
	struct buf		 out = BUF_INITIALIZER(4 * 1024 * 1024);
	struct ui_cmd_result	 res;
	struct error		 err;
	size_t			 n = 3 * 1024 * 1024, i;
	char			*in = malloc(n);

	for (i = 0; i < n; i++)
		in[i] = (char)('a' + i % 26);
	ck_assert_int_eq(ui_pager_cmd_run(cat, in, n, 10000, &out, &res,
	    &err), 0);
	ck_assert_int_eq(res.status, 0);
	ck_assert(!res.timed_out && !res.truncated);
	ck_assert_uint_eq(out.len, n);
	ck_assert(memcmp(out.data, in, n) == 0);
	buf_reset(&out);
	ck_assert_int_eq(ui_pager_cmd_run(sh, NULL, 0, 10000, &out, &res,
	    &err), 0);
	ck_assert_int_eq(res.status, 3);
	ck_assert_int_eq(ui_pager_cmd_run(none, "x", 1, 10000, &out, &res,
	    &err), 0);
	ck_assert_int_eq(res.status, 127);
	free(in);
	buf_fini(&out);
}
END_TEST

/* The time limit and the output cap both stop a program. */
START_TEST(test_run_bounds)
{
	char			*sleeper[] = { "/bin/sh", "-c",
	    "sleep 30 & sleep 30", NULL };
	char			*yes[] = { "yes", NULL };
	char			*quiet[] = { "/bin/sh", "-c",
	    "exec >/dev/null; sleep 30", NULL };
	struct buf		 out = BUF_INITIALIZER(64 * 1024);
	struct ui_cmd_result	 res;
	struct error		 err;
	long			 t0 = now_ms();

	ck_assert_int_eq(ui_pager_cmd_run(sleeper, NULL, 0, 300, &out, &res,
	    &err), 0);
	ck_assert(res.timed_out);
	ck_assert_int_lt(now_ms() - t0, 3000);
	/* Closing stdout does not let a program outlive its deadline. */
	t0 = now_ms();
	ck_assert_int_eq(ui_pager_cmd_run(quiet, NULL, 0, 300, &out, &res,
	    &err), 0);
	ck_assert(res.timed_out);
	ck_assert_int_lt(now_ms() - t0, 3000);
	t0 = now_ms();
	ck_assert_int_eq(ui_pager_cmd_run(yes, NULL, 0, 10000, &out, &res,
	    &err), 0);
	ck_assert(res.truncated);
	ck_assert(!res.timed_out);
	ck_assert_uint_eq(out.len, 64 * 1024);
	ck_assert(!out.too_big);
	ck_assert_int_lt(now_ms() - t0, 3000);
	buf_fini(&out);
	ck_assert(ui_pager_cmd_in_path("sh"));
	ck_assert(!ui_pager_cmd_in_path("petrel-no-such-program"));
}
END_TEST

/* Command lines split as a shell would, without expansions. */
START_TEST(test_argv_split)
{
	char		**v;
	const char	 *why;

	ck_assert_int_eq(config_argv_split("w3m -dump  -T text/html", &v,
	    &why), 0);
	ck_assert_str_eq(v[0], "w3m");
	ck_assert_str_eq(v[3], "text/html");
	ck_assert_ptr_null(v[4]);
	config_argv_free(v);
	ck_assert_int_eq(config_argv_split("a 'b c' \"d \\\"e\\\" $x\" f\\ g "
	    "'' \"\\n\"", &v, &why), 0);
	ck_assert_str_eq(v[1], "b c");
	ck_assert_str_eq(v[2], "d \"e\" $x");
	ck_assert_str_eq(v[3], "f g");
	ck_assert_str_eq(v[4], "");
	ck_assert_str_eq(v[5], "\\n");
	ck_assert_ptr_null(v[6]);
	config_argv_free(v);
	ck_assert_int_eq(config_argv_split("a 'b", &v, &why), -1);
	ck_assert_str_eq(why, "unbalanced quote");
	ck_assert_ptr_null(v);
	ck_assert_int_eq(config_argv_split("   ", &v, &why), -1);
	ck_assert_str_eq(why, "no command");
}
END_TEST

/* The pager's [general] keys and their errors. */
START_TEST(test_config_keys)
{
	struct config	*cfg;
	struct error	 err;
	const char	*good = "[general]\npager_headers = From Subject "
	    "X-Mailer\nprefer_html = yes\nhtml_command = lynx -dump "
	    "-stdin\nurl_command = xdg-open\n[account a]\nhost = h\n"
	    "user = u\n";

	cfg = config_parse("t.conf", good, &err);
	ck_assert_msg(cfg != NULL, "%s", err.msg);
	ck_assert_uint_eq(cfg->pager.nheaders, 3);
	ck_assert_str_eq(cfg->pager.headers[2], "X-Mailer");
	ck_assert_ptr_null(cfg->pager.headers[3]);
	ck_assert(cfg->pager.prefer_html);
	ck_assert_str_eq(cfg->pager.html_argv[2], "-stdin");
	ck_assert_str_eq(cfg->pager.url_argv[0], "xdg-open");
	config_free(cfg);

	cfg = config_parse("t.conf", "[account a]\nhost = h\nuser = u\n",
	    &err);
	ck_assert_uint_eq(cfg->pager.nheaders, 5);
	ck_assert_str_eq(cfg->pager.headers[0], "From");
	ck_assert(!cfg->pager.prefer_html);
	ck_assert_ptr_null(cfg->pager.html_argv);
	ck_assert(!cfg->pager.html_internal);
	config_free(cfg);

	cfg = config_parse("t.conf", "[general]\nhtml_command = internal\n",
	    &err);
	ck_assert(cfg->pager.html_internal);
	config_free(cfg);
	cfg = config_parse("t.conf", "[general]\nhtml_command = mailcap\n",
	    &err);
	ck_assert(cfg->pager.html_mailcap);
	ck_assert_ptr_null(cfg->pager.html_argv);
	config_free(cfg);
	ck_assert_ptr_null(config_parse("t.conf", "[general]\n"
	    "html_command = mailcap\nhtml_command = w3m\n", &err));
	ck_assert_str_eq(err.msg, "t.conf:3: duplicate key 'html_command'");

	ck_assert_ptr_null(config_parse("t.conf", "[general]\n"
	    "pager_headers = From Bad:Name\n", &err));
	ck_assert_str_eq(err.msg, "t.conf:2: pager_headers: 'Bad:Name' is "
	    "not a header name");
	ck_assert_ptr_null(config_parse("t.conf", "[general]\n"
	    "html_command = w3m 'oops\n", &err));
	ck_assert_str_eq(err.msg, "t.conf:2: html_command: unbalanced quote");
	ck_assert_ptr_null(config_parse("t.conf", "[general]\n"
	    "prefer_html = maybe\n", &err));
	ck_assert_str_eq(err.msg, "t.conf:2: prefer_html must be yes or no, "
	    "not 'maybe'");
	ck_assert_ptr_null(config_parse("t.conf", "[general]\n"
	    "url_command = a\nurl_command = b\n", &err));
	ck_assert_str_eq(err.msg, "t.conf:3: duplicate key 'url_command'");
}
END_TEST

/* The suite. */
static Suite *
ui_pager_body_suite(void)
{
	Suite	*s = suite_create("ui_pager_body");
	TCase	*tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_choose);
	tcase_add_test(tc, test_text_flowed);
	tcase_add_test(tc, test_text_html);
	tcase_add_test(tc, test_text_html_mailcap);
	tcase_add_test(tc, test_renderer_default);
	tcase_add_test(tc, test_run_cat);
	tcase_add_test(tc, test_run_bounds);
	tcase_add_test(tc, test_argv_split);
	tcase_add_test(tc, test_config_keys);
	suite_add_tcase(s, tc);
	return s;
}

/* Run the suite; the exit status says whether it passed. */
int
main(void)
{
	SRunner	*sr;

	/*
	 * As petrel's main does: a renderer that exits before reading all
	 * its input (or is not installed) makes the write fail with EPIPE,
	 * which the runner handles, instead of killing the process.
	 */
	signal(SIGPIPE, SIG_IGN);
	sr = srunner_create(ui_pager_body_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
