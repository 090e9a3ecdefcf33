/*
 * imap_caps.c - what the server can do, and turning on what petrel uses.
 *
 * Capability words (RFC 3501 7.2.1) become IMAP_CAP_* bits whichever way
 * they arrive (a CAPABILITY response or a [CAPABILITY] code).  After login
 * petrel turns on what it uses: ENABLE QRESYNC (RFC 7162 3.2.3, which
 * implies CONDSTORE) or CONDSTORE, and UTF8=ACCEPT (RFC 6855), sent
 * without waiting for the answer (it is read with the next command's), and
 * COMPRESS=DEFLATE (RFC 4978), which must be answered before anything else
 * is sent: it rides behind the first command after login.  The account's
 * DRIVER_CAP_* bits are derived here too.  An extension the account lists
 * in imap_disable is never seen at all, as if the server did not offer it
 * (for a server whose QRESYNC or COMPRESS is broken, and to measure the
 * fallbacks).
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "net/imap_conn.h"
#include "net/imap_driver.h"
#include "net/stream_zlib.h"
#include "util/log.h"

/* Capability names and bits. */
static const struct {
	const char	*name;
	unsigned	 bit;
} imap_caps_map[] = {
		{ "IMAP4rev1", IMAP_CAP_IMAP4REV1 },
		{ "IMAP4rev2", IMAP_CAP_IMAP4REV2 },
		{ "STARTTLS", IMAP_CAP_STARTTLS },
		{ "LOGINDISABLED", IMAP_CAP_LOGINDISABLED },
		{ "AUTH=PLAIN", IMAP_CAP_AUTH_PLAIN },
		{ "SASL-IR", IMAP_CAP_SASL_IR },
		{ "LITERAL+", IMAP_CAP_LITERALPLUS },
		{ "LITERAL-", IMAP_CAP_LITERALMINUS },
		{ "IDLE", IMAP_CAP_IDLE },
		{ "UIDPLUS", IMAP_CAP_UIDPLUS },
		{ "CONDSTORE", IMAP_CAP_CONDSTORE },
		{ "ENABLE", IMAP_CAP_ENABLE },
		{ "QRESYNC", IMAP_CAP_QRESYNC },
		{ "MOVE", IMAP_CAP_MOVE },
		{ "SPECIAL-USE", IMAP_CAP_SPECIAL_USE },
		{ "LIST-STATUS", IMAP_CAP_LIST_STATUS },
		{ "LIST-EXTENDED", IMAP_CAP_LIST_EXTENDED },
		{ "ESEARCH", IMAP_CAP_ESEARCH },
		{ "NAMESPACE", IMAP_CAP_NAMESPACE },
		{ "ID", IMAP_CAP_ID },
		{ "COMPRESS=DEFLATE", IMAP_CAP_COMPRESS },
		{ "UTF8=ACCEPT", IMAP_CAP_UTF8_ACCEPT },
		{ "UNSELECT", IMAP_CAP_UNSELECT },
};

/* The bit of the capability named (p, len); 0 if petrel does not use it. */
static unsigned
imap_caps_bit(const char *p, size_t len)
{
	const size_t	 n = sizeof imap_caps_map / sizeof imap_caps_map[0];

	for (size_t j = 0; j < n; j++) {
		if (strlen(imap_caps_map[j].name) == len &&
		    strncasecmp(p, imap_caps_map[j].name, len) == 0)
			return imap_caps_map[j].bit;
	}
	return 0;
}

/* Add the capability named by one word, unless the account disables it. */
void
imap_caps_add(struct imap_conn *c, const char *p, size_t len)
{
	c->caps |= imap_caps_bit(p, len) & ~c->caps_off;
}

/*
 * The capabilities named in an imap_disable list (blank or comma
 * separated, any case).  Disabling QRESYNC leaves CONDSTORE on unless it
 * is named too.
 */
unsigned
imap_caps_names(const char *list)
{
	unsigned	 mask = 0;
	size_t		 len;

	while (list != NULL && *list != '\0') {
		list += strspn(list, " \t,");
		len = strcspn(list, " \t,");
		if (len == 8 && strncasecmp(list, "compress", 8) == 0)
			mask |= IMAP_CAP_COMPRESS;
		mask |= imap_caps_bit(list, len);
		list += len;
	}
	return mask;
}

/* Replace the capabilities with the words of p (NULL: none yet). */
void
imap_caps_parse(struct imap_conn *c, const char *p, size_t len)
{
	size_t	 i = 0, start;

	c->caps = 0;
	c->have_caps = true;
	while (p != NULL && i < len) {
		while (i < len && p[i] == ' ')
			i++;
		start = i;
		while (i < len && p[i] != ' ')
			i++;
		if (i > start)
			imap_caps_add(c, p + start, i - start);
	}
}

/* The account capabilities an IMAP server with these caps gives. */
unsigned
imap_caps_driver(unsigned caps)
{
	unsigned	 d = DRIVER_CAP_FOLDERS | DRIVER_CAP_FLAGS |
	    DRIVER_CAP_SEARCH | DRIVER_CAP_APPEND | DRIVER_CAP_FOLDER_EDIT;

	if (caps & IMAP_CAP_IDLE)
		d |= DRIVER_CAP_IDLE;
	if (caps & IMAP_CAP_MOVE)
		d |= DRIVER_CAP_MOVE;
	return d;
}

/* Send COMPRESS DEFLATE; nothing else may be sent until its answer. */
int
imap_conn_compress_begin(struct imap_conn *c, char *tag, size_t tagsize,
    struct error *err)
{
	if (imap_conn_submit(c, tag, tagsize, err, "COMPRESS DEFLATE") == -1)
		return -1;
	snprintf(c->ztag, sizeof c->ztag, "%s", tag);
	return 0;
}

/*
 * The tagged OK of COMPRESS was just read: what follows it is deflated
 * (RFC 4978 3), bytes already read after the OK included.  Called by
 * imap_conn.c wherever that OK is read: Dovecot may send an earlier
 * command's tagged completion after it, compressed.
 */
int
imap_conn_compress_switch(struct imap_conn *c, struct error *err)
{
	const char	*rest = c->in.data + c->off + c->used;
	size_t		 restlen = c->in.len - c->off - c->used;

	c->ztag[0] = '\0';
	if (stream_zlib_start(&c->s, rest, restlen, err) == -1) {
		c->broken = true;
		return -1;
	}
	buf_consume(&c->in, c->off + c->used + restlen);
	c->off = c->used = 0;
	imap_frame_init(&c->fr);
	c->compressed = true;
	log_debug("imap", "%s: COMPRESS DEFLATE active", c->host);
	return 0;
}

/* Read the answer to COMPRESS; a refusal only leaves the link plain. */
int
imap_conn_compress_end(struct imap_conn *c, const char *tag,
    struct error *err)
{
	int	 rc = imap_conn_await(c, tag, NULL, NULL, err);

	c->ztag[0] = '\0';
	if (rc == -1) {
		if (c->broken)
			return -1;
		log_info("imap", "%s: COMPRESS refused: %s", c->host,
		    err->msg);
	}
	return 0;
}

/* Turn on COMPRESS DEFLATE and wait for it. */
int
imap_conn_compress(struct imap_conn *c, struct error *err)
{
	char	 tag[16];

	if (imap_conn_compress_begin(c, tag, sizeof tag, err) == -1)
		return -1;
	return imap_conn_compress_end(c, tag, err);
}

/*
 * After login: ENABLE what is offered (not awaited: its answer comes with
 * the next command's), and COMPRESS, which goes out behind the next
 * command run (imap_conn_run): its answer then costs no round trip of its
 * own.  Failures of ENABLE only mean the extension stays off.
 */
int
imap_caps_after_login(struct imap_conn *c, bool compress, struct error *err)
{
	const char	*q = "", *u = "";

	if (c->caps & IMAP_CAP_ENABLE) {
		if (c->caps & IMAP_CAP_QRESYNC)
			q = " QRESYNC";
		else if (c->caps & IMAP_CAP_CONDSTORE)
			q = " CONDSTORE";
		if (c->caps & IMAP_CAP_UTF8_ACCEPT)
			u = " UTF8=ACCEPT";
		if ((*q != '\0' || *u != '\0') &&
		    imap_conn_submit(c, NULL, 0, err, "ENABLE%s%s", q, u) == -1)
			return -1;
	}
	if (compress && (c->caps & IMAP_CAP_COMPRESS) && !c->compressed)
		c->compress_wanted = true;
	return 0;
}

/*
 * Wait for every command in flight (the ENABLE) so that what it enabled
 * is known before a command that depends on it.
 */
int
imap_caps_settle(struct imap_conn *c, struct error *err)
{
	if (c->nfl == 0)
		return 0;
	return imap_conn_drain(c, NULL, NULL, err);
}
