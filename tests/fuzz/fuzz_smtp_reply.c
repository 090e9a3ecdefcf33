/*
 * fuzz_smtp_reply.c - the SMTP reply parser and the EHLO reader on any
 * bytes.
 *
 * The first byte picks the chunk size the rest is fed in (so split points
 * are explored).  Every complete reply is checked against the parser's
 * promises (a valid code, at most SMTP_REPLY_LINES lines and
 * SMTP_REPLY_MAX bytes of text, an enhanced code of the reply's class),
 * read as an EHLO reply, and shown (the sanitised text must hold no
 * control character).  After an error the parser is reset and the rest
 * of the input fed again, as a new session would.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "net/smtp_reply.h"
#include "util/buf.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Check a complete reply; abort on a broken promise. */
static void
fuzz_reply(const struct smtp_reply *r)
{
	struct smtp_caps	 caps;
	struct buf		 b;
	const char		*p;
	size_t			 pos = 0, len, n = 0;

	if (r->code < 200 || r->code > 559 || r->nlines == 0 ||
	    r->nlines > SMTP_REPLY_LINES || r->text.len > SMTP_REPLY_MAX)
		abort();
	if (r->enh[0] != '\0' && r->enh[0] != '0' + r->code / 100)
		abort();
	while (smtp_reply_line(r, &pos, &p, &len)) {
		if (len > SMTP_LINE_MAX)
			abort();
		n++;
	}
	if (n != r->nlines)
		abort();
	smtp_caps_parse(r, &caps);
	buf_init(&b, 0);
	smtp_reply_append(r, &b, 300);
	for (size_t i = 0; i < b.len; i++) {
		if ((unsigned char)b.data[i] < 0x20 || b.data[i] == 0x7f)
			abort();
	}
	if (b.len > 300 * 4 + 3)
		abort();
	buf_fini(&b);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct smtp_parser	 pp;
	struct error		 err;
	const char		*in = (const char *)data + 1;
	size_t			 len, chunk, off = 0, used, n;
	int			 rc;

	if (size < 1)
		return 0;
	chunk = (size_t)data[0] + 1;
	len = size - 1;
	smtp_parser_init(&pp);
	while (off < len) {
		n = len - off < chunk ? len - off : chunk;
		rc = smtp_parser_feed(&pp, in + off, n, &used, &err);
		if (used > n)
			abort();
		off += used;
		if (rc == 1)
			fuzz_reply(&pp.reply);
		else if (rc == -1) {
			smtp_parser_reset(&pp);
			off += used == 0 ? 1 : 0;
		} else if (used != n)
			abort();
	}
	smtp_parser_fini(&pp);
	return 0;
}
