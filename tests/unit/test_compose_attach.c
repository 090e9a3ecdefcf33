/*
 * test_compose_attach.c - unit tests of attaching files: content types
 * from libmagic, charsets of text, names, and the errors for
 * directories, special, missing, unreadable and too large files
 * (src/compose/compose_attach.c).
 */
#include <sys/stat.h>
#include <sys/wait.h>

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

/* A 1x1 grey PNG. */
static const unsigned char png[] = {
	0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00,
	0x0d, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00,
	0x00, 0x01, 0x08, 0x00, 0x00, 0x00, 0x00, 0x3a, 0x7e, 0x9b, 0x55,
	0x00, 0x00, 0x00, 0x0a, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63,
	0x60, 0x00, 0x00, 0x00, 0x02, 0x00, 0x01, 0x48, 0xaf, 0xa4, 0x71,
	0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60,
	0x82
};

static char attach_dir[64];

/* Make the test directory. */
static void
attach_setup(void)
{
	test_tmpdir_make(attach_dir, sizeof attach_dir, "petrel-compose-att");
}

/* Remove the test directory. */
static void
attach_teardown(void)
{
	test_tmpdir_remove(attach_dir);
}

/* Write len bytes to name under the test directory; returns the path. */
static char *
write_file(const char *name, const void *data, size_t len)
{
	char	*path;
	FILE	*f;

	path = xasprintf("%s/%s", attach_dir, name);
	ck_assert_ptr_nonnull(f = fopen(path, "w"));
	ck_assert_uint_eq(fwrite(data, 1, len, f), len);
	ck_assert_int_eq(fclose(f), 0);
	return path;
}

/* Attach path to d; it must succeed. */
static struct compose_attach *
attach_ok(struct compose_draft *d, const char *path)
{
	struct error	err;

	ck_assert_msg(compose_attach_file(d, path, &err) == 0, "attach %s: %s",
	    path, err.msg);
	return &d->attach[d->nattach - 1];
}

/* Attaching path must fail with code and a message holding want. */
static void
attach_fails(const char *path, size_t max, enum error_code code,
    const char *want)
{
	struct compose_draft	d;
	struct error		err;

	memset(&d, 0, sizeof d);
	ck_assert_int_eq(compose_attach_file_max(&d, path, max, &err), -1);
	ck_assert_int_eq(err.code, code);
	ck_assert_msg(strstr(err.msg, want) != NULL, "error \"%s\" lacks "
	    "\"%s\"", err.msg, want);
	ck_assert_uint_eq(d.nattach, 0);
	ck_assert_ptr_null(d.attach);
}

START_TEST(test_attach_png)
{
	struct compose_draft	 d;
	struct compose_attach	*a;
	char			*path;

	memset(&d, 0, sizeof d);
	path = write_file("dot.png", png, sizeof png);
	a = attach_ok(&d, path);
	ck_assert_str_eq(a->content_type, "image/png");
	ck_assert_ptr_null(a->charset);
	ck_assert_str_eq(a->filename, "dot.png");
	ck_assert_str_eq(a->path, path);
	ck_assert_uint_eq(a->len, sizeof png);
	ck_assert(memcmp(a->data, png, sizeof png) == 0);
	ck_assert(!a->is_message);
	free(path);
	/* The type is from the bytes, not the name. */
	path = write_file("picture.txt", png, sizeof png);
	a = attach_ok(&d, path);
	ck_assert_str_eq(a->content_type, "image/png");
	ck_assert_uint_eq(d.nattach, 2);
	free(path);
	compose_draft_fini(&d);
}
END_TEST

START_TEST(test_attach_text)
{
	struct compose_draft	 d;
	struct compose_attach	*a;
	char			*path;

	memset(&d, 0, sizeof d);
	path = write_file("R\xc3\xa9sum\xc3\xa9 2026.txt",
	    "caf\xc3\xa9 au lait\nline two\n", 23);
	a = attach_ok(&d, path);
	ck_assert_str_eq(a->content_type, "text/plain");
	ck_assert_str_eq(a->charset, "utf-8");
	ck_assert_str_eq(a->filename, "R\xc3\xa9sum\xc3\xa9 2026.txt");
	free(path);
	path = write_file("plain", "just ascii\n", 11);
	a = attach_ok(&d, path);
	ck_assert_str_eq(a->content_type, "text/plain");
	ck_assert_str_eq(a->charset, "us-ascii");
	free(path);
	/* An empty file is empty text. */
	path = write_file("empty", "", 0);
	a = attach_ok(&d, path);
	ck_assert_str_eq(a->content_type, "text/plain");
	ck_assert_uint_eq(a->len, 0);
	ck_assert_ptr_nonnull(a->data);
	free(path);
	/* A name that is not UTF-8 gets U+FFFD. */
	path = write_file("caf\xe9.bin", "\x00\x01\x02\x03", 4);
	a = attach_ok(&d, path);
	ck_assert_str_eq(a->filename, "caf\xef\xbf\xbd.bin");
	ck_assert_str_eq(a->content_type, "application/octet-stream");
	free(path);
	compose_draft_fini(&d);
}
END_TEST

START_TEST(test_attach_errors)
{
	char	*path;

	attach_fails(attach_dir, COMPOSE_ATTACH_MAX, ERR_PARSE,
	    "is a directory");
	path = xasprintf("%s/", attach_dir);
	attach_fails(path, COMPOSE_ATTACH_MAX, ERR_PARSE, "is a directory");
	free(path);
	path = xasprintf("%s/missing.txt", attach_dir);
	attach_fails(path, COMPOSE_ATTACH_MAX, ERR_SYS, "No such file");
	free(path);
	path = xasprintf("%s/fifo", attach_dir);
	ck_assert_int_eq(mkfifo(path, 0600), 0);
	attach_fails(path, COMPOSE_ATTACH_MAX, ERR_PARSE,
	    "is not a regular file");
	free(path);
	attach_fails("/dev/null", COMPOSE_ATTACH_MAX, ERR_PARSE,
	    "is not a regular file");
	path = write_file("bad\x01name.txt", "x", 1);
	attach_fails(path, COMPOSE_ATTACH_MAX, ERR_PARSE, "control characters");
	free(path);
	attach_fails("", COMPOSE_ATTACH_MAX, ERR_PARSE, "names no file");
	attach_fails("/", COMPOSE_ATTACH_MAX, ERR_PARSE, "names no file");
}
END_TEST

START_TEST(test_attach_too_big)
{
	struct compose_draft	 d;
	struct error		 err;
	char			*path;

	/* The limit is a parameter inside; compose_attach_file passes
	 * COMPOSE_ATTACH_MAX. */
	path = write_file("eleven", "0123456789\n", 11);
	attach_fails(path, 10, ERR_TOOBIG, "is too large (11 bytes, at most "
	    "10)");
	memset(&d, 0, sizeof d);
	ck_assert_int_eq(compose_attach_file_max(&d, path, 11, &err), 0);
	ck_assert_uint_eq(d.attach[0].len, 11);
	compose_draft_fini(&d);
	free(path);
}
END_TEST

START_TEST(test_attach_unreadable)
{
	char	*path;
	pid_t	 pid;
	int	 status;

	path = write_file("secret", "x", 1);
	ck_assert_int_eq(chmod(path, 0), 0);
	ck_assert_int_eq(chmod(attach_dir, 0755), 0);
	/* As root, read permission is not checked: try as nobody. */
	if ((pid = fork()) == 0) {
		if (geteuid() == 0 && setuid(65534) == -1)
			_exit(2);
		attach_fails(path, COMPOSE_ATTACH_MAX, ERR_SYS,
		    "Permission denied");
		_exit(0);
	}
	ck_assert_int_ne(pid, -1);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	    "the unreadable file was read (status %d)", status);
	free(path);
}
END_TEST

START_TEST(test_attach_name)
{
	struct error	 err;
	char		*s;

	ck_assert_str_eq(s = compose_attach_name("a/b/c.txt", &err), "c.txt");
	free(s);
	ck_assert_str_eq(s = compose_attach_name("c.txt", &err), "c.txt");
	free(s);
	ck_assert_str_eq(s = compose_attach_name("/x/dir//", &err), "dir");
	free(s);
	ck_assert_ptr_null(compose_attach_name("a/..", &err));
	ck_assert_ptr_null(compose_attach_name("tab\there", &err));
	ck_assert_ptr_null(compose_attach_name("c1\xc2\x9b[31m", &err));
	ck_assert_ptr_null(compose_attach_name("del\x7f", &err));
}
END_TEST

/* The suite of this file. */
Suite *
test_compose_attach_suite(void)
{
	Suite	*s = suite_create("compose_attach");
	TCase	*tc = tcase_create("attach");

	tcase_add_checked_fixture(tc, attach_setup, attach_teardown);
	tcase_add_test(tc, test_attach_png);
	tcase_add_test(tc, test_attach_text);
	tcase_add_test(tc, test_attach_errors);
	tcase_add_test(tc, test_attach_too_big);
	tcase_add_test(tc, test_attach_unreadable);
	tcase_add_test(tc, test_attach_name);
	suite_add_tcase(s, tc);
	return s;
}
