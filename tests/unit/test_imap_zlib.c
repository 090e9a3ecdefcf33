/*
 * test_imap_zlib.c - the COMPRESS=DEFLATE stream layer against zlib
 * itself: what zlib deflates the layer reads back, what the layer writes
 * zlib inflates (each write flushed), bytes read before the layer started
 * come first, a "bomb" is returned in bounded reads, garbage is an error.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "net/stream_zlib.h"
#include "util/buf.h"

/* A memory stream below the layer: reads from in, writes to out. */
struct memstream {
	struct stream	 base;
	const char	*in;
	size_t		 inlen;
	size_t		 off;
	size_t		 chunk;
	struct buf	 out;
	int		 freed;
};

static struct memstream	mem;

/* Read up to chunk bytes of the canned input. */
static ssize_t
mem_read(struct stream *s, void *p, size_t n, struct error *err)
{
	(void)s;
	(void)err;
	if (n > mem.chunk)
		n = mem.chunk;
	if (n > mem.inlen - mem.off)
		n = mem.inlen - mem.off;
	memcpy(p, mem.in + mem.off, n);
	mem.off += n;
	return (ssize_t)n;
}

/* Record what is written. */
static ssize_t
mem_write(struct stream *s, const void *p, size_t n, struct error *err)
{
	(void)s;
	(void)err;
	buf_add(&mem.out, p, n);
	return (ssize_t)n;
}

/* Count frees. */
static void
mem_free(struct stream *s)
{
	(void)s;
	mem.freed++;
}

static const struct stream_ops mem_ops = {
	.name = "mem", .read = mem_read, .write = mem_write, .free = mem_free,
};

/* Raw-deflate data with zlib (one sync flush at the end). */
static char *
deflate_raw(const char *p, size_t len, size_t *outlen)
{
	z_stream	 z;
	size_t		 cap = compressBound(len) + 64;
	char		*out = malloc(cap);

	memset(&z, 0, sizeof z);
	ck_assert_int_eq(deflateInit2(&z, 9, Z_DEFLATED, -15, 8,
	    Z_DEFAULT_STRATEGY), Z_OK);
	z.next_in = (Bytef *)(uintptr_t)p;
	z.avail_in = (uInt)len;
	z.next_out = (Bytef *)out;
	z.avail_out = (uInt)cap;
	ck_assert_int_eq(deflate(&z, Z_SYNC_FLUSH), Z_OK);
	*outlen = cap - z.avail_out;
	deflateEnd(&z);
	return out;
}

/* Inflate raw data with zlib. */
static size_t
inflate_raw(const char *p, size_t len, char *out, size_t cap)
{
	z_stream	 z;
	size_t		 n;

	memset(&z, 0, sizeof z);
	ck_assert_int_eq(inflateInit2(&z, -15), Z_OK);
	z.next_in = (Bytef *)(uintptr_t)p;
	z.avail_in = (uInt)len;
	z.next_out = (Bytef *)out;
	z.avail_out = (uInt)cap;
	(void)inflate(&z, Z_SYNC_FLUSH);
	ck_assert_uint_eq(z.avail_in, 0);	/* every byte was usable */
	n = cap - z.avail_out;
	inflateEnd(&z);
	return n;
}

/* A fresh layer over the memory stream holding in. */
static struct stream *
start(const char *in, size_t inlen, size_t pre, size_t chunk)
{
	struct stream	*s;
	struct error	 err;

	memset(&mem, 0, sizeof mem);
	mem.base.ops = &mem_ops;
	mem.base.fd = 7;
	mem.in = in;
	mem.inlen = inlen;
	mem.off = pre;
	mem.chunk = chunk;
	buf_init(&mem.out, 0);
	s = &mem.base;
	ck_assert_int_eq(stream_zlib_start(&s, in, pre, &err), 0);
	ck_assert_ptr_ne(s, &mem.base);
	ck_assert_int_eq(s->fd, 7);
	return s;
}

START_TEST(test_read_back)
{
	struct buf	 text, got;
	struct stream	*s;
	struct error	 err;
	char		*z, p[1000];
	size_t		 zlen;
	ssize_t		 n;

	buf_init(&text, 0);
	for (int i = 0; i < 5000; i++)
		buf_printf(&text, "* %d FETCH (UID %d FLAGS (\\Seen))\r\n", i,
		    i * 7 + (i % 13));
	z = deflate_raw(text.data, text.len, &zlen);
	/* Part of it was read before the layer started (after the OK). */
	s = start(z, zlen, zlen / 3, 101);
	buf_init(&got, 0);
	while ((n = stream_read(s, p, sizeof p, &err)) > 0) {
		ck_assert_int_le(n, (ssize_t)sizeof p);
		buf_add(&got, p, (size_t)n);
		if (got.len == text.len)
			break;
	}
	ck_assert_uint_eq(got.len, text.len);
	ck_assert(memcmp(got.data, text.data, text.len) == 0);
	stream_free(s);
	ck_assert_int_eq(mem.freed, 1);
	free(z);
	buf_fini(&text);
	buf_fini(&got);
	buf_fini(&mem.out);
}
END_TEST

START_TEST(test_write_flushed)
{
	static const char *const lines[] = {
		"a3 LIST \"\" \"*\"\r\n", "a4 IDLE\r\n", "DONE\r\n"
	};
	struct stream	*s;
	struct error	 err;
	char		 out[256];
	struct buf	 want;

	buf_init(&want, 0);
	s = start("", 0, 0, 100);
	for (size_t i = 0; i < 3; i++) {
		ck_assert_int_eq(stream_write_all(s, lines[i],
		    strlen(lines[i]), &err), 0);
		buf_adds(&want, lines[i]);
		/* Everything written so far inflates at once: flushed. */
		ck_assert_uint_eq(inflate_raw(mem.out.data, mem.out.len, out,
		    sizeof out), want.len);
		ck_assert(memcmp(out, want.data, want.len) == 0);
	}
	stream_free(s);
	buf_fini(&want);
	buf_fini(&mem.out);
}
END_TEST

START_TEST(test_bomb_bounded)
{
	const size_t	 big = 64 * 1024 * 1024;
	char		*zeros = calloc(1, big), *z, p[4096];
	struct stream	*s;
	struct error	 err;
	size_t		 zlen, total = 0;
	ssize_t		 n;

	z = deflate_raw(zeros, big, &zlen);
	ck_assert_uint_lt(zlen, big / 500);
	free(zeros);
	s = start(z, zlen, 0, 65536);
	while (total < big && (n = stream_read(s, p, sizeof p, &err)) > 0) {
		ck_assert_int_le(n, (ssize_t)sizeof p);
		total += (size_t)n;
	}
	ck_assert_uint_eq(total, big);
	stream_free(s);
	free(z);
	buf_fini(&mem.out);
}
END_TEST

START_TEST(test_garbage)
{
	static const char	 junk[] = "\xff\xff\xff\xff garbage, not deflate";
	struct stream		*s;
	struct error		 err;
	char			 p[100];

	s = start(junk, sizeof junk - 1, 0, 10);
	ck_assert_int_eq(stream_read(s, p, sizeof p, &err), -1);
	ck_assert_int_eq(err.code, ERR_PROTOCOL);
	ck_assert_int_eq(err.scope, ERR_SCOPE_ACCOUNT);
	stream_free(s);
	/* End of the stream below: end of the stream above. */
	s = start("", 0, 0, 10);
	ck_assert_int_eq(stream_read(s, p, sizeof p, &err), 0);
	stream_free(s);
	buf_fini(&mem.out);
}
END_TEST

/* The suite. */
static Suite *
imap_zlib_suite(void)
{
	Suite	*s = suite_create("imap_zlib");
	TCase	*tc = tcase_create("core");

	tcase_add_test(tc, test_read_back);
	tcase_add_test(tc, test_write_flushed);
	tcase_add_test(tc, test_bomb_bounded);
	tcase_add_test(tc, test_garbage);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(imap_zlib_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
