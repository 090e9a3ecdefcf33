/*
 * mbox.h - the mbox splitter (pure, fuzzable) and the read-only mbox
 * driver's private interface.
 *
 * An mbox (RFC 4155) is one file of messages, each starting with a
 * "From " line (the separator) and ending with an empty line; lines of a
 * body that start with "From " are written as ">From " (mboxo) or, with
 * any number of '>' before "From ", one more '>' (mboxrd).  petrel reads
 * both, never writes the file, and does not trust Content-Length.
 *
 * The splitter is a push parser: feed it the file in chunks of any size,
 * it calls back for each message with its byte offsets and for the bytes
 * of the current message, holding at most one separator line
 * (MBOX_LINE_MAX) itself.  A line is a separator if it starts with
 * "From " and either begins the input or follows an empty line, or,
 * without the empty line (a writer that did not end the previous message
 * with one), looks like a real From_ line: a sender, then a time hh:mm
 * and a four-digit year.
 */
#ifndef PETREL_MBOX_H
#define PETREL_MBOX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* How much of the file is read at a time. */
#define MBOX_CHUNK		65536
/* The longest separator line recognised without an empty line before. */
#define MBOX_LINE_MAX		1024
/* The longest remote id: "OFFSET-HASH". */
#define MBOX_ID_MAX		48

/* One message: where it is in the file. */
struct mbox_msg {
	uint64_t	 start;		/* its "From " line */
	uint64_t	 body;		/* its first byte, after that line */
	uint64_t	 end;		/* past its last byte (the empty line
					   that ends it not included) */
	uint64_t	 hash;		/* FNV-1a 64 of the "From " line,
					   without its line end */
};

/*
 * A message is complete (in file order).  Non-zero stops the feed; that
 * value is returned by mbox_split_feed / mbox_split_end.
 */
typedef int	(*mbox_msg_fn)(void *arg, const struct mbox_msg *);
/*
 * Bytes of the current message (from its body offset on, in order, the
 * empty line ending it included).  Non-zero stops the feed.
 */
typedef int	(*mbox_data_fn)(void *arg, const char *, size_t);

enum mbox_mode {
	MBOX_DATA = 0,	/* inside a line that is not a separator */
	MBOX_HEAD,	/* a line starting "From" that may be one */
	MBOX_SEP	/* the rest of a separator line */
};

struct mbox_split {
	mbox_msg_fn	 on_msg;
	mbox_data_fn	 on_data;	/* may be NULL */
	void		*arg;
	uint64_t	 offset;	/* of the next byte fed */
	uint64_t	 line_start;
	uint64_t	 junk;		/* bytes before the first message */
	uint64_t	 hash;
	struct mbox_msg	 cur;
	bool		 have;		/* cur is open */
	enum mbox_mode	 mode;
	bool		 bol;		/* the next byte starts a line */
	bool		 prev_empty;	/* the line before was empty, or none */
	size_t		 prev_len;	/* ... its length with its '\n' */
	size_t		 line_len;	/* bytes of this line so far */
	char		 last;		/* this line's last byte */
	size_t		 nline;		/* bytes held in line */
	char		 line[MBOX_LINE_MAX];
};

/* Start splitting at offset (the start of a line). */
void	 mbox_split_init(struct mbox_split *, uint64_t offset, mbox_msg_fn,
	     mbox_data_fn, void *arg);
/* Feed bytes; 0, or the non-zero value a callback returned. */
int	 mbox_split_feed(struct mbox_split *, const char *, size_t);
/* The input ended: complete the last message. */
int	 mbox_split_end(struct mbox_split *);
/*
 * Undo the quoting of a message's lines in place: a line matching
 * ^>+From  loses one '>' (mboxrd; also right for mboxo's ">From ").
 * Returns the new length.
 */
size_t	 mbox_unquote(char *, size_t);
/* The remote id of a message: "OFFSET-HASH" (hash in 16 hex digits). */
void	 mbox_id_format(const struct mbox_msg *, char *, size_t);
/* Read an id back; -1 if it is not one. */
int	 mbox_id_parse(const char *, uint64_t *offset, uint64_t *hash);
/* CACHE_FLAG_* from Status: (R) and X-Status: (A F D T) headers. */
unsigned mbox_status_flags(const char *hdr, size_t len);
/* FNV-1a 64 over bytes, continuing from h (start: MBOX_FNV_INIT). */
uint64_t mbox_fnv(uint64_t h, const char *, size_t);

#define MBOX_FNV_INIT	UINT64_C(14695981039346656037)

/* mbox_sync.c: INBOX from the file; *changed if any row changed. */
struct account;
struct cache;
struct cache_folder;
struct error;
int	 mbox_sync_run(struct account *, const struct cache_folder *,
	     struct cache *, bool *changed, struct error *);
int	 mbox_sync_folder(struct account *, const struct cache_folder *,
	     struct cache *, struct error *);

#endif
