/*
 * test_imap_mock.h - a scripted stand-in for src/net/stream*.c and the
 * few core functions the IMAP driver calls, for in-process transcript
 * tests: the server side is a list of packets, the client's bytes are
 * recorded and compared exactly.
 */
#ifndef PETREL_TEST_IMAP_MOCK_H
#define PETREL_TEST_IMAP_MOCK_H

#include <stdbool.h>
#include <stddef.h>

#include "util/buf.h"

/* Script markers: a TLS handshake point, and a cancelled read. */
#define MOCK_TLS	"\001TLS"
#define MOCK_CANCEL	"\001CANCEL"
/*
 * A pause of mock.sleep_ms before the next packet, bounded as a real
 * read is: if the stream's timeout is shorter, the read fails with
 * ERR_TIMEOUT after that timeout.
 */
#define MOCK_SLEEP	"\001SLEEP"

struct mock {
	const char *const	*script;	/* packets, NULL-terminated */
	const size_t		*lens;		/* packet lengths (binary), or
						   NULL / 0: strlen */
	size_t			 step;
	size_t			 off;		/* within the current packet */
	size_t			 chunk;		/* max bytes a read; 0: all */
	bool			 tls;		/* handshake done */
	bool			 connected;
	int			 freed;
	struct buf		 sent;		/* what the client wrote */
	char			 status[256];	/* last account_status text */
	struct buf		 statuses;	/* every status, one a line */
	int			 rows_written;	/* account_rows_written calls */
	size_t			 sent_before[256]; /* sent.len when packet i
						   began to be read */
	int			 sleep_ms;	/* MOCK_SLEEP; 0: 300 */
	/* Called at every read: each is a wait for the server. */
	void			(*read_hook)(void);
};

extern struct mock mock;

/* Reset the mock with a server script. */
void	 mock_start(const char *const *script, size_t chunk);
/* Whether the whole script was read. */
bool	 mock_done(void);
/* A stream over the mock (what stream_tcp_connect returns). */
struct stream *mock_stream(void);
/* The fd the mock stream reports (for poll: IDLE tests); -1 default. */
void	 mock_set_fd(int);

#endif
