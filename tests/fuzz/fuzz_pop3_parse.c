/*
 * fuzz_pop3_parse.c - the POP3 reply parser on any bytes.
 *
 * The first byte picks the chunk size the rest is fed in (so split points
 * are explored) and the second the order of expectations the replies are
 * read under (single, listing, message, AUTH), as a pipelined session
 * would.  Every event is checked against the parser's promises (data
 * within the reply's limit, listing lines within theirs, the input
 * consumed only forwards), each listing line is read as a UIDL, LIST and
 * CAPA line, each status text for an APOP timestamp, and the message
 * state string reader gets the input too.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "net/pop3_driver.h"
#include "net/pop3_parse.h"
#include "util/xmalloc.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* A small limit, so that the limit is reached too. */
#define FUZZ_DATA_MAX	4096

/* Read a data line every way the driver would. */
static void
fuzz_line(const struct pop3_event *ev)
{
	struct pop3_slice	 a, b;
	uint32_t		 num;
	uint64_t		 size;

	(void)pop3_parse_uidl(ev->text, &num, &a);
	(void)pop3_parse_list(ev->text, &num, &size);
	(void)pop3_parse_capa(ev->text, &a, &b);
}

/* Check an event's promises; abort on a broken one. */
static void
fuzz_event(const struct pop3_event *ev, enum pop3_expect e, size_t *data)
{
	char	*ts;

	switch (ev->type) {
	case POP3_EV_OK:
	case POP3_EV_ERR:
	case POP3_EV_CONT:
		if (ev->text.len > POP3_STATUS_MAX)
			abort();
		ts = pop3_parse_timestamp(ev->text);
		free(ts);
		break;
	case POP3_EV_DATA:
		*data += ev->text.len + (ev->eol ? 2 : 0);
		if (*data > FUZZ_DATA_MAX + 2 * FUZZ_DATA_MAX)
			abort();
		if (e == POP3_EXPECT_LINES) {
			if (ev->text.len > POP3_DATA_LINE_MAX || !ev->eol)
				abort();
			fuzz_line(ev);
		}
		break;
	case POP3_EV_END:
		break;
	default:
		abort();
	}
	if (ev->text.len > 0 && ev->text.p == NULL)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum pop3_expect order[] = {
		POP3_EXPECT_SINGLE, POP3_EXPECT_LINES, POP3_EXPECT_BLOB,
		POP3_EXPECT_AUTH
	};
	struct pop3_parser	 pp;
	struct pop3_event	 ev;
	struct pop3_state	 st;
	struct error		 err;
	const char		*p;
	char			*s;
	size_t			 step, len, off = 0, used, chunk, got = 0;
	unsigned		 k;
	int			 rc = 0;

	if (size < 2)
		return 0;
	step = data[0] % 64 + 1;
	k = data[1];
	p = (const char *)data + 2;
	len = size - 2;
	pop3_parser_init(&pp);
	pop3_parser_expect(&pp, order[k % 4], FUZZ_DATA_MAX);
	while (off < len && rc != -1) {
		chunk = len - off < step ? len - off : step;
		rc = pop3_parser_feed(&pp, p + off, chunk, &used, &ev, &err);
		if (rc == -1)
			break;
		if (used > chunk || (rc == 0 && used != chunk))
			abort();
		off += used;
		if (rc == 0)
			continue;
		fuzz_event(&ev, order[k % 4], &got);
		if (ev.last) {
			k = k / 4 + (unsigned)(uint8_t)p[off - 1] * 7;
			got = 0;
			pop3_parser_expect(&pp, order[k % 4], FUZZ_DATA_MAX);
		}
	}
	pop3_parser_fini(&pp);

	/* The sync state reader takes whatever is stored. */
	s = xstrndup(p, len);
	pop3_state_parse(s, &st);
	free(pop3_state_format(&st));
	pop3_state_fini(&st);
	free(s);
	return 0;
}
