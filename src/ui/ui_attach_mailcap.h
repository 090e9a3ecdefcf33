/*
 * ui_attach_mailcap.h - mailcap entries (RFC 1524): which program views a
 * MIME type, and its command line with the % escapes filled in.
 *
 * The parser is pure (text in, entries out, no I/O) and bounded: lines
 * are read up to UI_MAILCAP_LINE_MAX bytes (longer ones are skipped), a
 * file up to UI_MAILCAP_FILE_MAX.  Running the test= commands is the
 * caller's (a callback), so is reading the files (ui_attach_mailcap_load).
 *
 * Expansion never puts message text into a shell command: %s is a file
 * name petrel made, %t and %{name} are replaced only by values of
 * [A-Za-z0-9._+/-] characters (anything else becomes nothing).
 */
#ifndef PETREL_UI_ATTACH_MAILCAP_H
#define PETREL_UI_ATTACH_MAILCAP_H

#include <stdbool.h>
#include <stddef.h>

#define UI_MAILCAP_LINE_MAX	(64 * 1024)
#define UI_MAILCAP_FILE_MAX	(1024 * 1024)

/* One mailcap entry. */
struct ui_mailcap_entry {
	char	*type;		/* "image/png", a wildcard, "image" */
	char	*view;		/* the view command, unexpanded */
	char	*test;		/* test= command, or NULL */
	char	*nametemplate;	/* nametemplate=, or NULL */
	bool	 copiousoutput;
	bool	 needsterminal;
};

/*
 * Parse one entry (continuation lines already joined, no comment):
 * "type; view-command; flag; name=value ...", fields split at unescaped
 * ';', "\;" and "\\" unescaped in them.  -1 if it is no entry (no type or
 * no command).  e is set (free with ui_attach_mailcap_fini) on success.
 */
int	 ui_attach_mailcap_parse(const char *line, size_t len,
	     struct ui_mailcap_entry *e);
void	 ui_attach_mailcap_fini(struct ui_mailcap_entry *);

/*
 * Find the first entry of a mailcap file's text whose type matches
 * type/subtype (case-insensitive; a subtype wildcard and a bare "type"
 * match any subtype) and, when want_copious, that has copiousoutput; an entry with
 * a test= is taken only when test(arg, test) says so (test may be NULL:
 * such entries are skipped).  Comments ('#') and blank lines are skipped,
 * a line ending in '\' continues on the next.  Returns 0 and fills e, or
 * -1 when there is none.
 */
int	 ui_attach_mailcap_find(const char *text, size_t len,
	     const char *type, const char *subtype, bool want_copious,
	     bool (*test)(void *, const char *), void *arg,
	     struct ui_mailcap_entry *e);

/*
 * Expand a command: %s the file name (file must be of safe characters;
 * *used_file tells whether %s was there, else the part goes on stdin),
 * %t the type, %{name} the parameter value of that name from the
 * Content-Type value ctype (may be NULL), %% a '%'.  New string.
 */
char	*ui_attach_mailcap_expand(const char *cmd, const char *file,
	     const char *type, const char *ctype, bool *used_file);

/*
 * Search $MAILCAPS (a ':' list) or else ~/.mailcap and /etc/mailcap, in
 * order, for an entry as ui_attach_mailcap_find does.  Reads each file up
 * to UI_MAILCAP_FILE_MAX.  Returns 0 and fills e, or -1.
 */
int	 ui_attach_mailcap_load(const char *type, const char *subtype,
	     bool want_copious, bool (*test)(void *, const char *),
	     void *arg, struct ui_mailcap_entry *e);

#endif
