/*
 * test_pop3_mock.h - a scripted stand-in for src/net/stream*.c,
 * net/transport.c, core/endpoint.c and the core calls the POP3 driver
 * makes, for in-process transcript tests: the server side is a list of
 * packets, the client's bytes are recorded and compared exactly.
 */
#ifndef PETREL_TEST_POP3_MOCK_H
#define PETREL_TEST_POP3_MOCK_H

#include <stdbool.h>
#include <stddef.h>

#include "util/buf.h"

/*
 * Script markers: the TLS handshake happens here; the client must make a
 * new connection here (any connection but the first needs one); a read
 * here is cancelled (ERR_CANCELLED); a pause of mock.sleep_ms (a read
 * with a shorter timeout fails with ERR_TIMEOUT after it).  The end of
 * the script is the server closing the connection.
 */
#define MOCK_TLS	"\001TLS"
#define MOCK_CONNECT	"\001CONNECT"
#define MOCK_CANCEL	"\001CANCEL"
#define MOCK_SLEEP	"\001SLEEP"

struct mock {
	const char *const	*script;	/* packets, NULL-terminated */
	size_t			 step;
	size_t			 off;		/* within the current packet */
	size_t			 chunk;		/* max bytes a read; 0: all */
	bool			 tls;		/* handshake done */
	int			 connects;
	int			 freed;
	char			 port[16];	/* of the last connection */
	struct buf		 sent;		/* what the client wrote */
	size_t			 sent_before[256]; /* sent.len when packet i
						   began to be read */
	char			 status[256];	/* last account_status text */
	int			 sleep_ms;	/* MOCK_SLEEP; 0: 300 */
};

extern struct mock mock;

/* Reset the mock with a server script. */
void	 mock_start(const char *const *script, size_t chunk);
/* Whether the whole script was read. */
bool	 mock_done(void);
/* What the client sent, as a C string. */
const char *mock_sent(void);

#endif
