/*
 * smtp_data.c - the message as DATA content (RFC 5321 4.1.1.4, 4.5.2):
 * line ends made CRLF, lines starting with "." doubled, and the final
 * ".", streamed from the caller's buffer through a small chunk (never a
 * copy of the whole message).
 *
 * Line ends: CRLF stays, a bare LF becomes CRLF, and so does a bare CR
 * (RFC 5321 2.3.8 forbids sending either alone; turning a lone CR into a
 * line end, rather than passing it on, also means no "\r.\r" sequence a
 * careless server might take for the end of the data reaches the wire).
 * A message whose last line has no line end gets one before the ".".
 * Line length is not checked here: that is the MIME builder's job (RFC
 * 5322 2.1.1), and servers accept longer lines anyway.
 *
 * The scan (smtp_data_scan) gives the size SIZE= announces (RFC 1870 6:
 * the octets with CRLF line ends, without the dot-stuffing) and whether
 * any byte is 8-bit (RFC 6152).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net/smtp_conn.h"
#include "util/log.h"
#include "util/xmalloc.h"

/* Bytes written to the stream at once. */
#define SMTP_DATA_CHUNK		(64 * 1024)

/* Scan the message once. */
void
smtp_data_scan(const char *msg, size_t len, struct smtp_data_info *info)
{
	const unsigned char	*p = (const unsigned char *)msg;
	uint64_t		 size = 0;
	bool			 bol = true, cr = false;
	unsigned char		 high = 0;

	for (size_t i = 0; i < len; i++) {
		high |= p[i];
		if (cr && p[i] == '\n') {
			cr = false;
			continue;		/* counted with the CR */
		}
		cr = p[i] == '\r';
		if (p[i] == '\r' || p[i] == '\n') {
			size += 2;
			bol = true;
		} else {
			size++;
			bol = false;
		}
	}
	if (!bol)
		size += 2;
	info->size = size;
	info->eightbit = (high & 0x80) != 0;
}

/* Start at the beginning of a line. */
void
smtp_stuffer_init(struct smtp_stuffer *st)
{
	st->bol = true;
	st->cr = false;
}

/* Encode as much as fits. */
size_t
smtp_stuff(struct smtp_stuffer *st, const char *in, size_t len,
    size_t *used, char *out, size_t cap)
{
	size_t	 i = 0, o = 0;
	char	 c;

	/* Each input byte makes at most 4 output bytes ("\r\n.."). */
	while (i < len && cap - o >= 4) {
		c = in[i++];
		if (st->cr) {
			st->cr = false;
			out[o++] = '\r';
			out[o++] = '\n';
			st->bol = true;
			if (c == '\n')
				continue;
		}
		if (c == '\r') {
			st->cr = true;
			continue;
		}
		if (c == '\n') {
			out[o++] = '\r';
			out[o++] = '\n';
			st->bol = true;
			continue;
		}
		if (st->bol && c == '.')
			out[o++] = '.';		/* RFC 5321 4.5.2 */
		out[o++] = c;
		st->bol = false;
	}
	*used = i;
	return o;
}

/* The end of the data. */
size_t
smtp_stuff_end(struct smtp_stuffer *st, char out[8])
{
	size_t	 o = 0;

	if (st->cr || !st->bol) {
		out[o++] = '\r';
		out[o++] = '\n';
	}
	memcpy(out + o, ".\r\n", 3);
	st->cr = false;
	st->bol = true;
	return o + 3;
}

/* Trace the message as a count. */
static void
smtp_data_trace(uint64_t n)
{
	char	 line[96];
	int	 len;

	if (!log_enabled(LOG_TRACE, "smtp"))
		return;
	len = snprintf(line, sizeof line, "(%llu bytes of message data, "
	    "with the final dot)", (unsigned long long)n);
	log_proto("smtp", '>', line, (size_t)len);
}

/* Send the content and the final dot. */
int
smtp_data_send(struct smtp_conn *c, const char *msg, size_t len,
    uint64_t *sent, struct error *err)
{
	struct smtp_stuffer	 st;
	char			*chunk = xmalloc(SMTP_DATA_CHUNK);
	size_t			 off = 0, n, used;
	int			 rc = -1;

	*sent = 0;
	smtp_stuffer_init(&st);
	while (off < len) {
		n = smtp_stuff(&st, msg + off, len - off, &used, chunk,
		    SMTP_DATA_CHUNK - 8);
		off += used;
		if (off == len)
			n += smtp_stuff_end(&st, chunk + n);
		if (smtp_conn_write(c, chunk, n, err) == -1)
			goto out;
		*sent += n;
	}
	if (len == 0) {
		n = smtp_stuff_end(&st, chunk);
		if (smtp_conn_write(c, chunk, n, err) == -1)
			goto out;
		*sent += n;
	}
	smtp_data_trace(*sent);
	rc = 0;

out:
	free(chunk);
	return rc;
}
