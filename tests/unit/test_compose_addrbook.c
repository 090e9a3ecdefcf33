/*
 * test_compose_addrbook.c - unit tests of the address book: ranking,
 * matching on names and words, merging addresses, quoting names so that
 * they read back, the cap, and mutt aliases files
 * (src/compose/compose_addrbook.c, src/compose/compose_aliases.c).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "compose/compose.h"
#include "compose/compose_int.h"
#include "mime/address.h"
#include "util/buf.h"
#include "util/xmalloc.h"
#include "test_compose.h"
#include "test_tmpdir.h"

#define DAY	((int64_t)86400)
/* A date to count back from: 2027-01-15. */
#define NOW	((int64_t)1800000000)

/* Match prefix and compare the whole result with want (NULL-ended). */
static void
check_match(const struct compose_addrbook *ab, const char *prefix,
    const char *const *want)
{
	char	**got;
	size_t	  n, i;

	n = compose_addrbook_match(ab, prefix, &got);
	for (i = 0; want[i] != NULL; i++) {
		ck_assert_msg(i < n, "\"%s\": %zu results, want more (\"%s\")",
		    prefix, n, want[i]);
		ck_assert_msg(strcmp(got[i], want[i]) == 0, "\"%s\" #%zu: got "
		    "\"%s\", want \"%s\"", prefix, i, got[i], want[i]);
	}
	ck_assert_msg(n == i, "\"%s\": %zu results, want %zu (extra \"%s\")",
	    prefix, n, i, n > i ? got[i] : "");
	ck_assert_ptr_null(got[n]);
	compose_addrbook_match_free(got);
}

START_TEST(test_ab_rank)
{
	struct compose_addrbook	 ab;
	static const char *const want[] = {
		"Carol <xc@example.com>",	/* 10 uses a month ago */
		"xb@example.com",		/* 3 uses yesterday */
		"xa@example.com",		/* 10 uses a year ago: 2.5 */
		"xd@example.com",		/* 1 use today */
		NULL
	};
	static const char *const ties[] = {
		"ty@example.com",		/* same score, later */
		"tx@example.com",		/* same score and date: by name */
		"tz@example.com",
		NULL
	};

	memset(&ab, 0, sizeof ab);
	compose_addrbook_add(&ab, NULL, "xa@example.com", NOW - 365 * DAY, 10);
	compose_addrbook_add(&ab, NULL, "xb@example.com", NOW - DAY, 3);
	compose_addrbook_add(&ab, "Carol", "xc@example.com", NOW - 30 * DAY, 7);
	compose_addrbook_add(&ab, NULL, "xc@example.com", NOW - 40 * DAY, 3);
	compose_addrbook_add(&ab, NULL, "xd@example.com", NOW, 1);
	check_match(&ab, "x", want);
	check_match(&ab, "X", want);

	compose_addrbook_add(&ab, NULL, "tz@example.com", NOW - 2 * DAY, 2);
	compose_addrbook_add(&ab, NULL, "tx@example.com", NOW - 2 * DAY, 2);
	compose_addrbook_add(&ab, NULL, "ty@example.com", NOW - DAY, 2);
	check_match(&ab, "t", ties);
	compose_addrbook_fini(&ab);
	ck_assert_ptr_null(ab.v);

	/* Without dates, uses alone count. */
	compose_addrbook_add(&ab, NULL, "p1@example.com", -1, 1);
	compose_addrbook_add(&ab, NULL, "p2@example.com", -1, 5);
	check_match(&ab, "p", (const char *const []){ "p2@example.com",
	    "p1@example.com", NULL });
	compose_addrbook_fini(&ab);
}
END_TEST

START_TEST(test_ab_words)
{
	struct compose_addrbook	ab;
	static const char *const ams[] = {
		"Anna Maria Smith <ams@example.com>", NULL
	};
	static const char *const none[] = { NULL };

	memset(&ab, 0, sizeof ab);
	compose_addrbook_add(&ab, "Anna  Maria\tSmith ", "ams@example.com",
	    NOW, 1);
	compose_addrbook_add(&ab, "Jean-Luc Picard", "jlp@example.com", NOW, 1);
	compose_addrbook_add(&ab, "Doe, Jane", "jd@example.com", NOW, 1);
	check_match(&ab, "ann", ams);
	check_match(&ab, "MAR", ams);
	check_match(&ab, "smith", ams);
	check_match(&ab, "ams@", ams);
	check_match(&ab, "nna", none);		/* not a word start */
	check_match(&ab, "example", none);	/* nor the domain */
	check_match(&ab, "luc", (const char *const []){
	    "Jean-Luc Picard <jlp@example.com>", NULL });
	check_match(&ab, "jane", (const char *const []){
	    "\"Doe, Jane\" <jd@example.com>", NULL });
	check_match(&ab, "zzz", none);
	compose_addrbook_fini(&ab);
}
END_TEST

/* One address whatever its case; the name used most is shown. */
START_TEST(test_ab_merge)
{
	struct compose_addrbook	ab;

	memset(&ab, 0, sizeof ab);
	compose_addrbook_add(&ab, "Bob", "Bob@Example.com", NOW - DAY, 2);
	compose_addrbook_add(&ab, "Robert", "bob@example.COM", NOW, 1);
	compose_addrbook_add(&ab, NULL, "BOB@EXAMPLE.COM", NOW, 1);
	compose_addrbook_add(&ab, "bob@example.com", "bob@example.com", NOW,
	    9);				/* the address as a name: no name */
	ck_assert_uint_eq(ab.n, 1);
	ck_assert_uint_eq(ab.v[0].uses, 13);
	ck_assert(ab.v[0].when == NOW);
	check_match(&ab, "rob", (const char *const []){
	    "Bob <Bob@Example.com>", NULL });
	compose_addrbook_add(&ab, "Robert", "bob@example.com", NOW, 1);
	/* A tie: the later name wins. */
	check_match(&ab, "b", (const char *const []){
	    "Robert <Bob@Example.com>", NULL });
	compose_addrbook_fini(&ab);
}
END_TEST

/* Whether s reads back as one mailbox name (NULL: none) and addr. */
static void
check_reads_back(const char *s, const char *name, const char *addr)
{
	struct mime_address_list	l;

	mime_address_list_parse(s, strlen(s), &l);
	ck_assert_msg(l.n == 1, "\"%s\": %zu members", s, l.n);
	ck_assert_field(l.v[0].addr, addr);
	ck_assert_field(l.v[0].name, name);
	mime_address_list_fini(&l);
}

/* Names with specials, quotes, non-ASCII: each offered mailbox reads
 * back as the name and address. */
START_TEST(test_ab_quoting)
{
	static const struct {
		const char	*name;
		const char	*want;		/* NULL: the name reads back */
	} names[] = {
		{ "Doe, John", NULL },
		{ "A \"quoted\" name", NULL },
		{ "back\\slash", NULL },
		{ "J. R. R. Tolkien", NULL },
		{ "name (with) parens", NULL },
		{ "semi;colon <x>", NULL },
		{ "Zo\xc3\xab \xc3\x9cnl\xc3\xbc", NULL },
		{ "O'Brien", NULL },
		{ "\xe5\xb1\xb1\xe7\x94\xb0 \xe5\xa4\xaa\xe9\x83\x8e", NULL },
		{ "=?utf-8?q?enc?=", "" },	/* cannot: the address only */
		{ "tab\tand\nnewline\x1b[0m", "tab and newline" },
	};
	struct compose_addrbook	  ab;
	char			**got, *addr;
	size_t			  i, n;

	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		memset(&ab, 0, sizeof ab);
		addr = xasprintf("u%zu@example.com", i);
		compose_addrbook_add(&ab, names[i].name, addr, NOW, 1);
		n = compose_addrbook_match(&ab, "u", &got);
		ck_assert_uint_eq(n, 1);
		if (names[i].want != NULL && names[i].want[0] == '\0') {
			ck_assert_str_eq(got[0], addr);
			check_reads_back(got[0], NULL, addr);
		} else
			check_reads_back(got[0], names[i].want != NULL ?
			    names[i].want : names[i].name, addr);
		compose_addrbook_match_free(got);
		compose_addrbook_fini(&ab);
		free(addr);
	}
}
END_TEST

/* What is not an address is not kept. */
START_TEST(test_ab_bad_addresses)
{
	static const char *const bad[] = {
		"no-at", "a b@example.com", "<x@example.com>", "a@", "@b",
		"a@b\x01", "a\"b@example.com", "a@[127.0.0.1]", "x,y@example.com",
		"caf\xe9@example.com", "", NULL,
	};
	struct compose_addrbook	ab;
	size_t			i;

	memset(&ab, 0, sizeof ab);
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
		compose_addrbook_add(&ab, "Name", bad[i], NOW, 1);
	ck_assert_uint_eq(ab.n, 0);
	compose_addrbook_add(&ab, NULL, "caf\xc3\xa9+tag@example.com", NOW, 1);
	compose_addrbook_add(&ab, NULL, "a.b-c_d!#$%&'*/=?^`{|}~@x.example",
	    NOW, 1);
	ck_assert_uint_eq(ab.n, 2);
	check_match(&ab, "CAF", (const char *const []){
	    "caf\xc3\xa9+tag@example.com", NULL });
	check_match(&ab, "a.b", (const char *const []){
	    "a.b-c_d!#$%&'*/=?^`{|}~@x.example", NULL });
	compose_addrbook_fini(&ab);
}
END_TEST

START_TEST(test_ab_add_list)
{
	struct compose_addrbook	ab;

	memset(&ab, 0, sizeof ab);
	ck_assert_int_eq(compose_addrbook_add_list(&ab,
	    "=?utf-8?q?J=C3=B6rg?= <j@example.de>, Team: b@example.com, "
	    "\"Doe, C\" <c@example.com>;, just a name, undisclosed:;", NOW, 2),
	    3);
	ck_assert_int_eq(compose_addrbook_add_list(&ab, NULL, NOW, 1), 0);
	ck_assert_uint_eq(ab.n, 3);
	check_match(&ab, "j\xc3\xb6", (const char *const []){
	    "J\xc3\xb6rg <j@example.de>", NULL });
	check_match(&ab, "doe", (const char *const []){
	    "\"Doe, C\" <c@example.com>", NULL });
	compose_addrbook_fini(&ab);
}
END_TEST

/* At most COMPOSE_ADDRBOOK_MAX addresses; known ones still count. */
START_TEST(test_ab_cap)
{
	struct compose_addrbook	  ab;
	char			  addr[64], **got;
	size_t			  i, n;

	memset(&ab, 0, sizeof ab);
	for (i = 0; i < COMPOSE_ADDRBOOK_MAX + 10000; i++) {
		snprintf(addr, sizeof addr, "user%zu@example.com", i);
		compose_addrbook_add(&ab, "Some User", addr, NOW - (int64_t)i,
		    1);
	}
	ck_assert_uint_eq(ab.n, COMPOSE_ADDRBOOK_MAX);
	ck_assert_uint_eq(ab.dropped, 10000);
	compose_addrbook_add(&ab, NULL, "USER49999@example.com", NOW, 5);
	ck_assert_uint_eq(ab.n, COMPOSE_ADDRBOOK_MAX);
	n = compose_addrbook_match(&ab, "some", &got);
	ck_assert_uint_eq(n, COMPOSE_ADDRBOOK_MATCH_MAX);
	ck_assert_str_eq(got[0], "Some User <user49999@example.com>");
	ck_assert_str_eq(got[1], "Some User <user0@example.com>");
	ck_assert_str_eq(got[19], "Some User <user18@example.com>");
	ck_assert_ptr_null(got[20]);
	compose_addrbook_match_free(got);
	/* A full book takes known addresses only. */
	ck_assert_int_eq(compose_addrbook_add_list(&ab, "new@example.com, "
	    "User5@example.com", NOW, 1), 1);
	ck_assert_uint_eq(ab.dropped, 10001);
	n = compose_addrbook_match(&ab, "user50000", &got);
	ck_assert_uint_eq(n, 0);		/* dropped */
	compose_addrbook_match_free(got);
	compose_addrbook_fini(&ab);
}
END_TEST

/* Load aliases from a C string; must work. */
static void
load_text(struct compose_addrbook *ab, const char *text)
{
	struct error	err;

	ck_assert_msg(compose_addrbook_load_aliases_text(ab, "aliases", text,
	    strlen(text), &err) == 0, "aliases: %s", err.msg);
}

static const char good_aliases[] =
    "# mutt aliases\n"
    "alias bob Bob Smith <bob@example.com>\n"
    "\n"
    "   # an indented comment\n"
    "alias team a@example.com, \"Doe, Jane\" <jane@example.com>, \\\n"
    "   c@example.com   # trailing comment\n"
    "alias -group work -group x boss The Boss <boss@example.com>\r\n"
    "alias fan \"Fan #1\" <fan@example.com>\n"
    "alias weird a#b@example.com\n"
    "alias  enc  =?utf-8?q?J=C3=B6rg?= <joerg@example.de>\n"
    "alias grp Friends: f1@example.com, f2@example.com;";

START_TEST(test_aliases_good)
{
	struct compose_addrbook	ab;

	memset(&ab, 0, sizeof ab);
	compose_addrbook_add(&ab, "Bobby", "bobby@example.com", NOW, 100);
	compose_addrbook_add(&ab, "Bob Smith", "bob@example.com", NOW, 100);
	load_text(&ab, good_aliases);
	ck_assert_uint_eq(ab.nalias, 7);
	/* Aliases first (file order), then the rest; bob@ is the alias. */
	check_match(&ab, "bo", (const char *const []){
	    "Bob Smith <bob@example.com>", "The Boss <boss@example.com>",
	    "Bobby <bobby@example.com>", NULL });
	check_match(&ab, "TEAM", (const char *const []){
	    "a@example.com, \"Doe, Jane\" <jane@example.com>, c@example.com",
	    NULL });
	check_match(&ab, "jane", (const char *const []){
	    "a@example.com, \"Doe, Jane\" <jane@example.com>, c@example.com",
	    NULL });
	check_match(&ab, "c@", (const char *const []){
	    "a@example.com, \"Doe, Jane\" <jane@example.com>, c@example.com",
	    NULL });
	check_match(&ab, "fan", (const char *const []){
	    "Fan #1 <fan@example.com>", NULL });	/* "#" is atext */
	check_match(&ab, "a#", (const char *const []){
	    "a#b@example.com", NULL });
	check_match(&ab, "j\xc3\xb6rg", (const char *const []){
	    "J\xc3\xb6rg <joerg@example.de>", NULL });
	check_match(&ab, "grp", (const char *const []){
	    "f1@example.com, f2@example.com", NULL });

	/* Defined again (any case): replaced in place. */
	load_text(&ab, "alias BOB new@example.com\n");
	ck_assert_uint_eq(ab.nalias, 7);
	check_match(&ab, "b", (const char *const []){
	    "new@example.com", "The Boss <boss@example.com>",
	    "Bob Smith <bob@example.com>", "Bobby <bobby@example.com>", NULL });
	compose_addrbook_fini(&ab);
}
END_TEST

/* One bad aliases text: the error's code and its message. */
struct bad_alias {
	const char	*text;
	const char	*msg;
};

static const struct bad_alias bad_aliases[] = {
	{ "alias a a@example.com\nset x=y\n",
	    "aliases:2: expected \"alias KEY ADDRESS\"" },
	{ "alias a a@example.com, \\\n b@example.com\n\nalias\n",
	    "aliases:4: alias without a key" },
	{ "alias x Just A Name\n", "aliases:1: alias x: \"Just A Name\" is "
	    "not an address" },
	{ "alias x\n", "aliases:1: alias x has no address" },
	{ "alias x # only a comment\n", "aliases:1: alias x has no address" },
	{ "alias x a@example.com, Name Only\n",
	    "aliases:1: alias x: \"Name Only\" is not an address" },
	{ "alias x a@example.com, \"a b\"@example.com\n",
	    "aliases:1: alias x: \"\"a b\"@example.com\" is not an address" },
	{ "\n\nalias -group\n", "aliases:3: -group without a group name" },
	{ "alias -group g\n", "aliases:1: alias without a key" },
	{ "alias k\xff x@example.com\n", "aliases:1: bad alias key" },
	{ "Alias k x@example.com\n",
	    "aliases:1: expected \"alias KEY ADDRESS\"" },
};

START_TEST(test_aliases_bad)
{
	const struct bad_alias	*c = &bad_aliases[_i];
	struct compose_addrbook	 ab;
	struct error		 err;

	memset(&ab, 0, sizeof ab);
	load_text(&ab, "alias keep keep@example.com\n");
	ck_assert_int_eq(compose_addrbook_load_aliases_text(&ab, "aliases",
	    c->text, strlen(c->text), &err), -1);
	ck_assert_int_eq(err.code, ERR_PARSE);
	ck_assert_str_eq(err.msg, c->msg);
	/* The book is as it was: the good line before is not taken. */
	ck_assert_uint_eq(ab.nalias, 1);
	ck_assert_str_eq(ab.alias[0].key, "keep");
	compose_addrbook_fini(&ab);
}
END_TEST

START_TEST(test_aliases_nul)
{
	struct compose_addrbook	ab;
	struct error		err;

	memset(&ab, 0, sizeof ab);
	ck_assert_int_eq(compose_addrbook_load_aliases_text(&ab, "f",
	    "alias a a@x.org\nalias b\0 b@x.org\n", 33, &err), -1);
	ck_assert_str_eq(err.msg, "f:2: NUL byte");
	ck_assert_uint_eq(ab.nalias, 0);
	compose_addrbook_fini(&ab);
}
END_TEST

/* Write text to a file under dir; returns the path. */
static char *
write_aliases(const char *dir, const char *name, const char *text,
    size_t len)
{
	char	*path;
	FILE	*f;

	path = xasprintf("%s/%s", dir, name);
	ck_assert_ptr_nonnull(f = fopen(path, "w"));
	ck_assert_uint_eq(fwrite(text, 1, len, f), len);
	ck_assert_int_eq(fclose(f), 0);
	return path;
}

START_TEST(test_aliases_file)
{
	struct compose_addrbook	 ab;
	struct error		 err;
	char			 dir[64], *path, *big;
	size_t			 n = COMPOSE_ALIASES_MAX + 1;

	test_tmpdir_make(dir, sizeof dir, "petrel-aliases");
	memset(&ab, 0, sizeof ab);
	path = write_aliases(dir, "good", good_aliases,
	    sizeof good_aliases - 1);
	ck_assert_msg(compose_addrbook_load_aliases(&ab, path, &err) == 0,
	    "%s", err.msg);
	ck_assert_uint_eq(ab.nalias, 7);
	free(path);

	path = write_aliases(dir, "bad", "alias a a@x.org\n# c\nalias b\n",
	    28);
	ck_assert_int_eq(compose_addrbook_load_aliases(&ab, path, &err), -1);
	ck_assert_int_eq(err.code, ERR_PARSE);
	ck_assert_ptr_nonnull(strstr(err.msg, "/bad:3: alias b has no "
	    "address"));
	free(path);

	/* Too large: refused whole, in a file or in memory. */
	big = xmalloc(n);
	memset(big, '#', n);
	path = write_aliases(dir, "big", big, n);
	ck_assert_int_eq(compose_addrbook_load_aliases(&ab, path, &err), -1);
	ck_assert_int_eq(err.code, ERR_TOOBIG);
	ck_assert_int_eq(compose_addrbook_load_aliases_text(&ab, "x", big, n,
	    &err), -1);
	ck_assert_int_eq(err.code, ERR_TOOBIG);
	ck_assert_int_eq(compose_addrbook_load_aliases_text(&ab, "x", big,
	    n - 1, &err), 0);		/* only a comment, at the limit */
	free(path);
	free(big);

	path = xasprintf("%s/missing", dir);
	ck_assert_int_eq(compose_addrbook_load_aliases(&ab, path, &err), -1);
	ck_assert_int_eq(err.code, ERR_SYS);
	ck_assert_int_eq(err.sys_errno, ENOENT);
	free(path);
	ck_assert_int_eq(compose_addrbook_load_aliases(&ab, dir, &err), -1);
	ck_assert_uint_eq(ab.nalias, 7);
	compose_addrbook_fini(&ab);
	test_tmpdir_remove(dir);
}
END_TEST

/* Many aliases load in linear time, the later of a key winning. */
START_TEST(test_aliases_many)
{
	struct compose_addrbook	ab;
	struct buf		b = BUF_INITIALIZER(0);
	size_t			i;

	memset(&ab, 0, sizeof ab);
	for (i = 0; i < 30000; i++)
		buf_printf(&b, "alias k%zu u%zu@example.com\n", i % 20000, i);
	ck_assert_uint_le(b.len, COMPOSE_ALIASES_MAX);
	load_text(&ab, buf_str(&b));
	ck_assert_uint_eq(ab.nalias, 20000);
	check_match(&ab, "k9999", (const char *const []){
	    "u29999@example.com", NULL });
	check_match(&ab, "k19999", (const char *const []){
	    "u19999@example.com", NULL });
	buf_fini(&b);
	compose_addrbook_fini(&ab);
}
END_TEST

/* The suite of this file. */
Suite *
test_compose_addrbook_suite(void)
{
	Suite	*s = suite_create("compose_addrbook");
	TCase	*tc = tcase_create("addrbook");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_ab_rank);
	tcase_add_test(tc, test_ab_words);
	tcase_add_test(tc, test_ab_merge);
	tcase_add_test(tc, test_ab_quoting);
	tcase_add_test(tc, test_ab_bad_addresses);
	tcase_add_test(tc, test_ab_add_list);
	tcase_add_test(tc, test_ab_cap);
	tcase_add_test(tc, test_aliases_good);
	tcase_add_loop_test(tc, test_aliases_bad, 0,
	    sizeof bad_aliases / sizeof bad_aliases[0]);
	tcase_add_test(tc, test_aliases_nul);
	tcase_add_test(tc, test_aliases_file);
	tcase_add_test(tc, test_aliases_many);
	suite_add_tcase(s, tc);
	return s;
}
