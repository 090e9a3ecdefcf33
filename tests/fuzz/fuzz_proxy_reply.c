/*
 * fuzz_proxy_reply.c - every proxy reply parser of stream_proxy.h on any
 * bytes: SOCKS4, the SOCKS5 method, authentication and CONNECT replies,
 * and the HTTP head (end detection, then the status line).
 *
 * Also checks invariants: an error message is always set on failure, a
 * SOCKS5 length is within the protocol's maximum, and the HTTP head end
 * found is inside the input.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "net/stream_proxy.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* A failure must say something. */
static void
fuzz_check(int rc, const struct error *err)
{
	if (rc == -1 && (err->msg[0] == '\0' || err->code == ERR_NONE))
		abort();
	if (rc != 0 && rc != -1)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct error	 err;
	const char	*p = (const char *)data;
	size_t		 head;
	int		 m, len;

	error_clear(&err);
	fuzz_check(stream_proxy_socks4_reply(data, size, "L", &err), &err);
	error_clear(&err);
	fuzz_check(stream_proxy_socks5_method(data, size, "L", &m, &err),
	    &err);
	error_clear(&err);
	fuzz_check(stream_proxy_socks5_auth(data, size, "L", &err), &err);
	error_clear(&err);
	len = stream_proxy_socks5_reply_len(data, size, "L", &err);
	if (len != -1 && (len < 4 + 1 + 2 || len > 4 + 1 + 255 + 2))
		abort();
	error_clear(&err);
	fuzz_check(stream_proxy_socks5_reply(data, size, "L", &err), &err);
	head = stream_proxy_http_head_len(p, size);
	if (head > size)
		abort();
	error_clear(&err);
	fuzz_check(stream_proxy_http_reply(p, head != 0 ? head : size, "L",
	    &err), &err);
	return 0;
}
