/*
 * compose_int.h - internals shared by the files of src/compose/ (not a
 * public API; the unit tests use it to reach the pieces one by one).
 *
 * Functions taking (orig, len) read an untrusted raw message through
 * src/mime/ and return new strings that hold no control character but
 * those their comment allows.
 */
#ifndef PETREL_COMPOSE_INT_H
#define PETREL_COMPOSE_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "compose/compose.h"
#include "mime/address.h"
#include "util/buf.h"

/* Longest header value a draft takes from a message or the editor. */
#define COMPOSE_LINE_MAX	(256 * 1024)
/* Longest body a draft builds from a message (quoted, forwarded). */
#define COMPOSE_BODY_MAX	(80u * 1024 * 1024)

/* compose_draft.c */
char	*compose_clean_line(const char *s, size_t len);
char	*compose_header(const char *orig, size_t len, const char *name);
void	 compose_attach_fini(struct compose_attach *);

/* compose_reply.c */
bool	 compose_addr_own(const struct compose_identity *, const char *addr);
void	 compose_addr_put(struct buf *, const struct mime_address *);
void	 compose_reply_recipients(struct compose_draft *,
	     const struct compose_identity *, const char *orig, size_t len,
	     bool all);
void	 compose_reply_ids(struct compose_draft *, const char *orig,
	     size_t len);
char	*compose_list_line(const struct mime_address_list *);
char	*compose_ids(const char *orig, size_t len, const char *name);

/* compose_subject.c */
const char *compose_subject_strip(const char *s, bool reply);
char	*compose_subject_make(const char *raw, enum compose_kind kind);

/* compose_quote.c */
char	*compose_attribution(const char *orig, size_t len);
char	*compose_quote(const char *orig, size_t len);
char	*compose_forward_text(const char *orig, size_t len);
int	 compose_forward_attach(struct compose_draft *, const char *orig,
	     size_t len, struct error *);

/* compose_attach.c */
int	 compose_attach_file_max(struct compose_draft *, const char *path,
	     size_t max, struct error *);
char	*compose_attach_name(const char *path, struct error *);
bool	 compose_attach_ctype_ok(const char *);
int	 compose_file_read(const char *path, size_t max, struct buf *out,
	     struct error *);

/* compose_resume.c */
int	 compose_resume(struct compose_draft *, const char *orig, size_t len,
	     struct error *);
void	 compose_unflow(const char *s, size_t len, bool delsp,
	     struct buf *out);

/* compose_addrbook.c: one display name of an address. */
struct compose_abname {
	char		*name;
	unsigned	 uses;
	int64_t		 when;
};

/* One address of the book. */
struct compose_abentry {
	char			*addr;		/* first spelling */
	struct compose_abname	*names;		/* at most COMPOSE_AB_NAMES */
	unsigned		 nnames;
	unsigned		 uses;		/* saturating */
	int64_t			 when;		/* latest use, >= 0 */
};

/* One alias (compose_aliases.c). */
struct compose_abalias {
	char			*key;
	char			*text;		/* the members, ready to insert */
	struct mime_address_list l;		/* the members, to match */
	char			*single;	/* the address when it is the
						   only member, or NULL */
};

/* Most display names one address remembers; later new ones are not. */
#define COMPOSE_AB_NAMES	4
/* Longest address and display name kept (bytes). */
#define COMPOSE_AB_ADDR_MAX	320
#define COMPOSE_AB_NAME_MAX	256

int	 compose_ab_casecmp(const char *, const char *);
uint32_t compose_ab_hash(const char *);
bool	 compose_ab_addr_ok(const char *addr);
char	*compose_ab_name(const char *name, const char *addr);
char	*compose_ab_mailbox(const char *name, const char *addr);
bool	 compose_ab_prefix(const char *s, const char *prefix, size_t plen);
bool	 compose_ab_name_match(const char *name, const char *prefix,
	     size_t plen);
void	 compose_ab_alias_fini(struct compose_abalias *);

#endif
