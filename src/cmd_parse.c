/*
 * cmd_parse.c - `petrel parse FILE|-`: print, as one JSON object, what
 * petrel understood of a message: the decoded From/To/Cc (address lists
 * with groups), Subject, Date (as written, and in seconds), Message-ID,
 * the part tree (a flat depth-first list: path, depth, type, charset,
 * disposition, filename, transfer encoding, and for leaves the decoded
 * size and the SHA-256 of the decoded bytes, and the defects found), the
 * path of the part the pager would show and its text.  It is how users report a message petrel reads wrongly and how the
 * differential test (tests/integration/mime-diff.sh) compares petrel with
 * Python's email package.
 *
 * JSON strings (RFC 8259 section 7) are always valid UTF-8: invalid bytes
 * become U+FFFD.  Controls (C0, DEL, C1), bidi overrides and isolates and
 * the line/paragraph separators are written as \uXXXX escapes, so that the
 * output is safe to look at on a terminal and still says exactly what the
 * message holds.  No configuration is read.
 */
#include <errno.h>
#include <stdbool.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "cmd.h"
#include "mime/address.h"
#include "mime/mime.h"
#include "mime/part.h"
#include "util/buf.h"
#include "util/utf8.h"

/* Largest message petrel parse reads. */
#define CMD_PARSE_MAX	(256 * 1024 * 1024)

/* Whether a code point is written as an escape rather than as itself. */
static int
cmd_parse_json_escaped(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || cp == 0x061c ||
	    cp == 0x200e || cp == 0x200f || (cp >= 0x2028 && cp <= 0x202e) ||
	    (cp >= 0x2066 && cp <= 0x2069);
}

/* Write s[0, len) as a JSON string. */
static void
cmd_parse_json_str(FILE *f, const char *s, size_t len)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 i = 0, n;
	uint32_t		 cp;

	fputc('"', f);
	while (i < len) {
		n = utf8_decode(p + i, len - i, &cp);
		if (cp == UTF8_BAD)
			fputs("\xef\xbf\xbd", f);
		else if (cp == '"' || cp == '\\')
			fprintf(f, "\\%c", (char)cp);
		else if (cp == '\n')
			fputs("\\n", f);
		else if (cp == '\t')
			fputs("\\t", f);
		else if (cp == '\r')
			fputs("\\r", f);
		else if (cmd_parse_json_escaped(cp))
			fprintf(f, "\\u%04" PRIx32, cp);
		else
			fwrite(p + i, 1, n, f);
		i += n;
	}
	fputc('"', f);
}

/* Write a C string, or null. */
static void
cmd_parse_json_cstr(FILE *f, const char *s)
{
	if (s == NULL)
		fputs("null", f);
	else
		cmd_parse_json_str(f, s, strlen(s));
}

/* Write a C string, or null when it is empty. */
static void
cmd_parse_json_opt(FILE *f, const char *s)
{
	cmd_parse_json_cstr(f, s != NULL && s[0] != '\0' ? s : NULL);
}

/* Read the whole file (or stdin for "-") into b; -1 with a message. */
static int
cmd_parse_read(const char *path, struct buf *b)
{
	FILE	*f;
	char	 chunk[65536];
	size_t	 n;
	int	 bad, big = 0;

	f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	if (f == NULL) {
		fprintf(stderr, "petrel: parse: %s: %s\n", path,
		    strerror(errno));
		return -1;
	}
	errno = 0;
	while (!big && (n = fread(chunk, 1, sizeof chunk, f)) > 0)
		big = buf_add(b, chunk, n) == -1;
	bad = ferror(f) ? (errno != 0 ? errno : EIO) : 0;
	if (f != stdin)
		fclose(f);
	if (big) {
		fprintf(stderr, "petrel: parse: %s: larger than %d MB\n", path,
		    CMD_PARSE_MAX / (1024 * 1024));
		return -1;
	}
	if (bad) {
		fprintf(stderr, "petrel: parse: %s: %s\n", path, strerror(bad));
		return -1;
	}
	return 0;
}

/* Write one address list header as an array of {name, addr, group}. */
static void
cmd_parse_addresses(FILE *f, const char *msg, size_t len, const char *name)
{
	struct mime_address_list	 l;
	char				*raw;
	size_t				 i;

	fputc('[', f);
	if ((raw = mime_header_get(msg, len, name)) != NULL) {
		mime_address_list_parse(raw, strlen(raw), &l);
		for (i = 0; i < l.n; i++) {
			fputs(i > 0 ? ", {\"name\": " : "{\"name\": ", f);
			cmd_parse_json_cstr(f, l.v[i].name);
			fputs(", \"addr\": ", f);
			cmd_parse_json_cstr(f, l.v[i].addr);
			fputs(", \"group\": ", f);
			cmd_parse_json_cstr(f, l.v[i].group);
			fputc('}', f);
		}
		mime_address_list_fini(&l);
		free(raw);
	}
	fputc(']', f);
}

/* Write the size and SHA-256 of a leaf's decoded body (null for the
 * containers, whose bodies are their parts). */
static void
cmd_parse_digest(FILE *f, const struct mime_part *p, struct buf *dec)
{
	unsigned char	md[EVP_MAX_MD_SIZE];
	unsigned int	mdlen = 0, i;

	if (p->kind != MIME_PART_LEAF) {
		fputs(", \"size\": null, \"sha256\": null", f);
		return;
	}
	buf_reset(dec);
	mime_part_decode(p, dec);
	if (EVP_Digest(buf_str(dec), dec->len, md, &mdlen, EVP_sha256(),
	    NULL) != 1)
		mdlen = 0;
	fprintf(f, ", \"size\": %zu, \"sha256\": \"", dec->len);
	for (i = 0; i < mdlen; i++)
		fprintf(f, "%02x", md[i]);
	fputc('"', f);
}

/* Write the defects of a part as an array of names. */
static void
cmd_parse_defects(FILE *f, unsigned defects)
{
	unsigned	bit;
	int		n = 0;

	fputs(", \"defects\": [", f);
	for (bit = 1; bit != 0 && bit <= defects; bit <<= 1) {
		if ((defects & bit) == 0 || mime_defect_name(bit) == NULL)
			continue;
		fputs(n++ > 0 ? ", " : "", f);
		cmd_parse_json_cstr(f, mime_defect_name(bit));
	}
	fputc(']', f);
}

/* Write the part list. */
static void
cmd_parse_parts(FILE *f, const struct mime_tree *t)
{
	const struct mime_part	*p;
	struct buf		 dec = BUF_INITIALIZER(0);
	char			 path[MIME_PART_PATH_MAX], type[100];
	size_t			 i;

	fputs("  \"parts\": [\n", f);
	for (i = 0; i < t->n; i++) {
		p = &t->v[i];
		mime_part_path(t, i, path, sizeof path);
		snprintf(type, sizeof type, "%s/%s", p->type, p->subtype);
		fputs("    {\"path\": ", f);
		cmd_parse_json_cstr(f, path);
		fprintf(f, ", \"depth\": %d, \"type\": ", p->depth);
		cmd_parse_json_cstr(f, type);
		fputs(", \"charset\": ", f);
		cmd_parse_json_opt(f, p->charset);
		fputs(", \"disposition\": ", f);
		cmd_parse_json_opt(f, p->disposition);
		fputs(", \"filename\": ", f);
		cmd_parse_json_cstr(f, p->filename);
		fputs(", \"encoding\": ", f);
		cmd_parse_json_opt(f, p->cte_name);
		cmd_parse_digest(f, p, &dec);
		cmd_parse_defects(f, p->defects);
		fputs(i + 1 < t->n ? "},\n" : "}\n", f);
	}
	fputs("  ],\n", f);
	buf_fini(&dec);
}

/* Write which part the pager shows and its text. */
static void
cmd_parse_text(FILE *f, const struct mime_tree *t, const char *msg,
    size_t len)
{
	struct mime_text	mt;
	char			path[MIME_PART_PATH_MAX];
	size_t			i;
	bool			html;

	fputs("  \"text_part\": ", f);
	if ((i = mime_tree_text_part(t, &html)) != MIME_PART_NONE) {
		mime_part_path(t, i, path, sizeof path);
		cmd_parse_json_cstr(f, path);
		fprintf(f, ",\n  \"text_html\": %s,\n", html ? "true" : "false");
	} else
		fputs("null,\n  \"text_html\": false,\n", f);
	mime_text_extract(msg, len, &mt);
	fputs("  \"text\": ", f);
	cmd_parse_json_str(f, mt.body, mt.body_len);
	mime_text_fini(&mt);
}

/* Write the whole JSON object for the message msg[0, len). */
static void
cmd_parse_print(FILE *f, const char *msg, size_t len)
{
	struct mime_tree	 t;
	struct mime_envelope	 env;
	char			*date;
	static const char	*lists[] = { "from", "to", "cc" };
	static const char	*fields[] = { "From", "To", "Cc" };
	size_t			 i;

	mime_tree_parse(msg, len, &t);
	mime_envelope_parse(t.v[0].hdr, t.v[0].hlen, &env);
	fputs("{\n", f);
	for (i = 0; i < 3; i++) {
		fprintf(f, "  \"%s\": ", lists[i]);
		cmd_parse_addresses(f, msg, len, fields[i]);
		fputs(",\n", f);
	}
	fputs("  \"subject\": ", f);
	cmd_parse_json_cstr(f, env.subject);
	fputs(",\n  \"date\": ", f);
	date = mime_header_get(msg, len, "Date");
	cmd_parse_json_cstr(f, date);
	free(date);
	if (env.date != -1)
		fprintf(f, ",\n  \"date_epoch\": %" PRId64, env.date);
	else
		fputs(",\n  \"date_epoch\": null", f);
	fputs(",\n  \"message_id\": ", f);
	cmd_parse_json_cstr(f, env.message_id);
	fputs(",\n", f);
	cmd_parse_parts(f, &t);
	cmd_parse_text(f, &t, msg, len);
	fputs("\n}\n", f);
	mime_tree_fini(&t);
	mime_envelope_fini(&env);
}

/* petrel parse FILE|-: print what petrel understood of one message. */
int
cmd_parse(const char *path)
{
	struct buf	msg = BUF_INITIALIZER(CMD_PARSE_MAX);
	int		rc = 1;

	if (cmd_parse_read(path, &msg) == -1)
		goto out;
	cmd_parse_print(stdout, buf_str(&msg), msg.len);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "petrel: parse: cannot write the output: %s\n",
		    strerror(errno));
		goto out;
	}
	rc = 0;
out:
	buf_fini(&msg);
	return rc;
}
