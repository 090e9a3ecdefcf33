#!/usr/bin/env bash
# mime-diff.sh - differential test of petrel's MIME parser against Python's
# email package (policy=default), an oracle nobody here wrote.
#
# For every message of three corpora, `petrel parse` and
# tests/lib/mime-oracle.py must agree on the decoded Subject, From, To and
# Cc, the part tree (types, charsets, dispositions, filenames), the SHA-256
# of every leaf's decoded bytes, and the text of the plain body part when
# both pick the same one.  Corpora:
#   fixtures  tests/fixtures/mime/*.eml, hand-made edge cases (always run)
#   gen       messages made by tests/lib/gen-mailbox.py (always run)
#   shared    ../shared/corpus/mime (or $PETREL_SHARED/corpus/mime) when it
#             exists; its sealed holdout/ is never read
# Every difference must be listed, with a reason, in
# tests/fixtures/mime/known-differences.txt; an unlisted one, or petrel
# failing on any message, fails the test.  First a self-check: a petrel
# whose digests are falsified must be caught; and the JSON of a message
# full of escape sequences, C1 controls, bidi overrides and NUL must hold
# none of them raw (all as \u escapes) and lose none.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/lib/common.sh
. "$here/../lib/common.sh"

t_init mime-diff
t_need python3 timeout sed
t_find_petrel

fixtures=$(cd "$here/../fixtures/mime" && pwd)
allow=$fixtures/known-differences.txt
oracle=$T_LIB/mime-oracle.py
shared=${PETREL_SHARED:-$here/../../../shared}/corpus/mime

nfix=$(find "$fixtures" -name '*.eml' | wc -l)
[ "$nfix" -ge 25 ] || t_fail "only $nfix hand-made messages in $fixtures"

# --- the command itself: stdin, a missing file -------------------------------
t_run parse-file 60 "$PETREL" parse "$fixtures/02-rfc822-attachment.eml"
assert_rc 0 parse-file
# shellcheck disable=SC2016  # $1 and $2 are the inner shell's
t_run parse-stdin 60 sh -c '"$1" parse - <"$2"' sh "$PETREL" \
    "$fixtures/02-rfc822-attachment.eml"
assert_rc 0 parse-stdin
cmp -s "$T/parse-file.out" "$T/parse-stdin.out" ||
    t_fail "petrel parse - (stdin) differs from petrel parse FILE"
t_run parse-missing 60 "$PETREL" parse "$T/no-such-file.eml"
assert_rc 1 parse-missing
assert_lines 1 "$T/parse-missing.err" "parse of a missing file: stderr"
assert_grep '^petrel: parse: .*no-such-file.eml: No such file' \
    "$T/parse-missing.err" "parse of a missing file"
[ ! -s "$T/parse-missing.out" ] || t_fail "parse of a missing file wrote to stdout"

# --- self-check: a wrong petrel must be caught ------------------------------
cat >"$T/bad-petrel" <<EOF
#!/bin/sh
"$PETREL" "\$@" | sed 's/"sha256": "[0-9a-f]\{8\}/"sha256": "00000000/'
EOF
chmod +x "$T/bad-petrel"
mkdir -p "$T/one"
cp "$fixtures/01-nested-multipart.eml" "$T/one/"
t_run selfcheck 120 python3 "$oracle" diff --petrel "$T/bad-petrel" \
    --allow "$allow" fixtures="$T/one"
if [ "$T_RC" != 1 ] || ! grep -q \
    '^DIFF fixtures/01-nested-multipart.eml 1.1.1:sha256' "$T/selfcheck.out"; then
	t_show selfcheck
	t_fail "the comparison did not catch falsified digests"
fi
t_log "self-check: falsified digests caught"

# --- the output is safe on a terminal and still exact -----------------------
t_run controls 60 "$PETREL" parse "$fixtures/41-controls-bidi.eml"
assert_rc 0 controls
python3 - "$T/controls.out" <<'PY' || t_fail "petrel parse let a control character through, or lost one"
import json, sys
raw = open(sys.argv[1], "rb").read()
bad = [b for b in raw if b < 0x20 and b != 0x0a] + \
    [s for s in ("\u202e", "\u202c", "\u0085", "\u009b")
     if s.encode("utf-8") in raw]
if bad:
    sys.exit("raw controls in the output: %r" % bad[:10])
j = json.loads(raw.decode("utf-8"))
want = {"subject": ["\x1b[31m", "\u202eevil\u202c", "\u009b6n", "\x07"],
        "text": ["\x1b]0;title\x07", "\x00", "\u0085"]}
for k, subs in want.items():
    for sub in subs:
        if sub not in j[k]:
            sys.exit("%s lost %r: %r" % (k, sub, j[k]))
if j["parts"][2]["filename"] != "invoice\u202efdp.exe":
    sys.exit("filename: %r" % j["parts"][2]["filename"])
PY
t_log "controls and bidi overrides escaped in the JSON, none lost"

# --- the corpora -------------------------------------------------------------
python3 "$T_LIB/gen-mailbox.py" --out "$T/gen/Maildir" \
    -n "${MIME_DIFF_GEN_COUNT:-400}" --seed 11 --no-check \
    --manifest "$T/gen/manifest.json" >&2 || t_fail "gen-mailbox.py failed"
sets=(fixtures="$fixtures" gen="$T/gen/Maildir")
if [ -d "$shared" ]; then
	nshared=$(find "$shared" -type f ! -name '*.out' ! -name '*.md' ! -name '.*' | wc -l)
	t_log "shared corpus: $nshared messages in $shared"
	sets+=(shared="$shared")
else
	t_log "shared corpus absent ($shared): skipped that part"
fi

t_run diff 1800 python3 "$oracle" diff --petrel "$PETREL" --allow "$allow" \
    --report "$T/report.txt" "${sets[@]}"
cat "$T/diff.out"
if [ "$T_RC" != 0 ]; then
	[ -s "$T/diff.err" ] && cat "$T/diff.err" >&2
	t_fail "petrel and Python's email package differ (see DIFF and PETREL-ERROR lines above; the allow-list is $allow)"
fi
summary=$(tail -n 1 "$T/diff.out")
t_pass "${summary#total: }${nshared:+ (shared corpus: $nshared messages)}"
