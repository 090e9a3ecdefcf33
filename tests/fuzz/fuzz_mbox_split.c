/*
 * fuzz_mbox_split.c - libFuzzer target for the mbox splitter, ">From "
 * unquoting and the Status: flags (src/store/mbox_split.c).  The first
 * byte picks a chunk size; the rest is split fed in those chunks and all
 * at once, and the promises of mbox.h are checked: the same messages in
 * both, in order, start < body <= end, each message's bytes handed over
 * in order and exactly (up to the next separator), each hash that of its
 * "From " line, and nothing read out of bounds (ASan).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "store/mbox.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define FUZZ_MSGS	4096

struct fuzz_run {
	const char		*in;
	const struct mbox_split	*sp;
	struct mbox_msg	 m[FUZZ_MSGS];
	size_t		 n;
	uint64_t	 got;		/* data bytes of the open message */
	uint64_t	 data_len[FUZZ_MSGS];
	bool		 full;
};

/* A message is complete. */
static int
fuzz_msg(void *arg, const struct mbox_msg *m)
{
	struct fuzz_run	*r = arg;

	if (r->n == FUZZ_MSGS) {
		r->full = true;
		return 1;
	}
	r->data_len[r->n] = r->got;
	r->got = 0;
	r->m[r->n++] = *m;
	return 0;
}

/* Bytes of the open message: they must be the input's, in order. */
static int
fuzz_data(void *arg, const char *p, size_t n)
{
	struct fuzz_run	*r = arg;

	if (memcmp(p, r->in + r->sp->cur.body + r->got, n) != 0)
		abort();
	r->got += n;
	return 0;
}

/* Split in chunks of size chunk. */
static void
fuzz_split(const char *in, size_t len, size_t chunk, struct fuzz_run *r)
{
	struct mbox_split	sp;
	size_t			off, k;
	int			rc = 0;

	memset(r, 0, sizeof *r);
	r->in = in;
	r->sp = &sp;
	mbox_split_init(&sp, 0, fuzz_msg, fuzz_data, r);
	for (off = 0; off < len && rc == 0; off += k) {
		k = len - off < chunk ? len - off : chunk;
		rc = mbox_split_feed(&sp, in + off, k);
	}
	if (rc == 0)
		(void)mbox_split_end(&sp);
	if (sp.junk > len)
		abort();
}

/* Check one run's messages against the input. */
static void
fuzz_check(const char *in, size_t len, const struct fuzz_run *r)
{
	for (size_t i = 0; i < r->n; i++) {
		const struct mbox_msg	*m = &r->m[i];

		if (!(m->start < m->body && m->body <= m->end &&
		    m->end <= len) || in[m->body - 1] != '\n' ||
		    memcmp(in + m->start, "From ", 5) != 0)
			abort();
		if (i > 0 && r->m[i - 1].end > m->start)
			abort();
		if (m->hash != mbox_fnv(MBOX_FNV_INIT, in + m->start,
		    m->body - 1 - m->start))
			abort();
		/* Everything up to the next separator was handed over. */
		if (i + 1 < r->n && r->data_len[i] != r->m[i + 1].start -
		    m->body)
			abort();
		if (r->data_len[i] < m->end - m->body ||
		    m->body + r->data_len[i] > len)
			abort();
	}
}

/* One input. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct fuzz_run	 a, b;
	char			*in, *q;
	size_t			 chunk, len, n;

	if (size < 1)
		return 0;
	chunk = (size_t)data[0] % 17 + 1;
	len = size - 1;
	/* A copy, so ASan catches reads one past the end. */
	if ((in = malloc(len ? len : 1)) == NULL)
		return 0;
	memcpy(in, data + 1, len);
	fuzz_split(in, len, chunk, &a);
	fuzz_split(in, len, len ? len : 1, &b);
	if (a.full || b.full) {
		free(in);
		return 0;
	}
	fuzz_check(in, len, &a);
	if (a.n != b.n || memcmp(a.m, b.m, a.n * sizeof a.m[0]) != 0 ||
	    memcmp(a.data_len, b.data_len, a.n * sizeof a.data_len[0]) != 0)
		abort();
	if ((q = malloc(len ? len : 1)) != NULL) {
		memcpy(q, in, len);
		n = mbox_unquote(q, len);
		if (n > len)
			abort();
		free(q);
	}
	(void)mbox_status_flags(in, len);
	free(in);
	return 0;
}
