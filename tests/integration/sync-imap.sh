#!/usr/bin/env bash
# sync-imap.sh - `petrel sync` mirrors a real Dovecot exactly, over implicit
# TLS and over STARTTLS, and catches up after the server changed; the
# server offers COMPRESS=DEFLATE, so all of it runs deflated.
#
# 2,000 generated messages in five folders (one named "Entwürfe", stored in
# modified UTF-7) are served by a private Dovecot.  After each sync, an
# independent client (tests/lib/imap-probe.py, Python's imaplib) reads the
# server and compares, folder by folder, the counts, the UID set, the flags,
# the decoded subjects, the sender column and the date with `petrel ls`.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/lib/common.sh
. "$here/../lib/common.sh"
# shellcheck source=tests/lib/dovecot.sh
. "$here/../lib/dovecot.sh"

t_init sync-imap
t_need python3 openssl dovecot doveconf doveadm timeout
t_find_petrel

# --- the server ---------------------------------------------------------
dovecot_init "$T/dovecot" || t_fail "cannot prepare the Dovecot directory"
python3 "$T_LIB/gen-mailbox.py" --out "$(dovecot_maildir alice)" -n 2000 --seed 7 \
    --manifest "$T/manifest.json" >&2 || t_fail "gen-mailbox.py failed"
t_on_exit dovecot_stop
export DOVECOT_COMPRESS=1
dovecot_start || t_fail "Dovecot did not start (see $DOVECOT_DIR/dovecot.log)"
dovecot_subscribe_all alice || t_fail "doveadm could not subscribe the folders"
t_log "Dovecot pid $DOVECOT_PID: imaps $DOVECOT_IMAPS_PORT, imap $DOVECOT_IMAP_PORT"

probe() {
	python3 "$T_LIB/imap-probe.py" --port "$DOVECOT_IMAPS_PORT" --ca "$DOVECOT_CA" \
	    --user alice --password secret "$@"
}

# The probe itself must see what the generator wrote (else the comparison
# below would prove nothing).
probe dump --out "$T/server0.json" || t_fail "the IMAP probe cannot read the server"
python3 - "$T/manifest.json" "$T/server0.json" <<'PY' || t_fail "the server does not hold the generated mailbox"
import json, sys
m = json.load(open(sys.argv[1]))
d = json.load(open(sys.argv[2]))
want = {f["name"]: (f["count"], f["unseen"], [x["subject"] for x in f["messages"]]) for f in m["folders"]}
got = {f["name"]: (f["exists"], f["unseen"], [x["subject"] for x in f["messages"]]) for f in d["folders"]}
if want != got:
    sys.exit("manifest and server differ: %s vs %s" % (
        {k: v[:2] for k, v in want.items()}, {k: v[:2] for k, v in got.items()}))
if "Entwürfe" not in got or sum(v[0] for v in got.values()) != 2000:
    sys.exit("expected 2000 messages including the folder Entwürfe")
PY

# write_config FILE SECURITY PORT PASSWORD-LINE
write_config() {
	cat >"$1" <<-EOF
	# petrel test configuration
	[account test]
	driver = imap
	host = 127.0.0.1
	port = $3
	user = alice
	$4
	security = $2
	tls_ca_file = $DOVECOT_CA
	read_only = false
	EOF
}

# sync_and_compare LABEL CONFIG: run petrel sync, then compare the cache.
sync_and_compare() {
	local label=$1 cfg=$2
	t_run "sync-$label" 300 "$PETREL" -F "$cfg" -d debug,imap \
	    -L "$T/petrel-$label.log" sync test
	assert_rc 0 "sync-$label"
	# The server offers COMPRESS: every sync here runs deflated.
	grep -q 'COMPRESS DEFLATE active' "$T/petrel-$label.log" ||
	    t_fail "$label: petrel did not turn COMPRESS on (see $T/petrel-$label.log)"
	if [ -s "$T/sync-$label.err" ]; then
		t_show "sync-$label"
		t_fail "$label: petrel sync succeeded but wrote to stderr"
	fi
	t_log "$label: sync took ${T_SECS}s; comparing the cache with the server"
	probe compare --petrel "$PETREL" --config "$cfg" --account test \
	    --sync-output "$T/sync-$label.out" >&2 ||
	    t_fail "$label: petrel's cache does not match the server (MISMATCH lines above)"
}

# --- 1. implicit TLS ---------------------------------------------------
export XDG_DATA_HOME=$T/data-implicit
mkdir -p "$XDG_DATA_HOME"
write_config "$T/implicit.conf" implicit "$DOVECOT_IMAPS_PORT" "password = secret"
sync_and_compare implicit "$T/implicit.conf"
[ -s "$XDG_DATA_HOME/petrel/cache.db" ] ||
    t_fail "no cache at \$XDG_DATA_HOME/petrel/cache.db after sync"
mode=$(stat -c %a "$XDG_DATA_HOME/petrel/cache.db")
[ "$mode" = 600 ] || t_fail "cache.db has mode $mode, expected 600"
assert_no_string secret "the password in the cache" "$XDG_DATA_HOME"/petrel/cache.db*

# ls of a folder that does not exist: exit 1, one line
t_run ls-missing 30 "$PETREL" -F "$T/implicit.conf" ls test "No such folder here"
assert_rc 1 ls-missing
assert_lines 1 "$T/ls-missing.err" "ls of a missing folder"
assert_grep '^petrel: .*(no such folder|not found|unknown folder)' "$T/ls-missing.err" \
    "ls of a missing folder"

# --- 2. STARTTLS on the plain port, separate cache, password_command ----
export XDG_DATA_HOME=$T/data-starttls
mkdir -p "$XDG_DATA_HOME"
write_config "$T/starttls.conf" starttls "$DOVECOT_IMAP_PORT" "password_command = echo secret"
logins_before=$(grep -c "user=<alice>.*lport=$DOVECOT_IMAP_PORT, .*TLS" "$DOVECOT_LOG" || true)
sync_and_compare starttls "$T/starttls.conf"
# Dovecot logs ", TLS," for a login after STARTTLS and ", secured," for a
# plain-text login on loopback: petrel must have logged in over TLS
logins_after=$(grep -c "user=<alice>.*lport=$DOVECOT_IMAP_PORT, .*TLS" "$DOVECOT_LOG" || true)
[ "$logins_after" -gt "$logins_before" ] ||
    t_fail "starttls: no login over TLS on the plain port in the Dovecot log"
if grep "user=<alice>.*lport=$DOVECOT_IMAP_PORT, " "$DOVECOT_LOG" | grep -v ', TLS' | grep -q .; then
	grep "lport=$DOVECOT_IMAP_PORT, " "$DOVECOT_LOG" | grep -v ', TLS' >&2
	t_fail "starttls: petrel logged in on the plain port without TLS"
fi

# --- 3. the server changes; a second sync catches up ------------------
export XDG_DATA_HOME=$T/data-implicit
new_uid=$(probe append INBOX --subject "Neue Nachricht: Größenänderung ✓" --date-epoch 1751300000)
[ -n "$new_uid" ] || t_fail "APPEND did not return a UID"
probe append "Entwürfe" --subject "Entwurf: Antwort an Zoë" --flags '\Draft \Seen' \
    --date-epoch 1751300100 >/dev/null
probe uids INBOX >"$T/uids-inbox" && probe uids Lists >"$T/uids-lists" &&
    probe uids Archive >"$T/uids-archive" && probe uids Sent >"$T/uids-sent" ||
    t_fail "the IMAP probe could not list UIDs"
gone_inbox=$(sed -n 11p "$T/uids-inbox")
gone_lists=$(sed -n 1p "$T/uids-lists")
[ -n "$gone_inbox" ] && [ -n "$gone_lists" ] || t_fail "too few messages to delete"
probe expunge INBOX "$gone_inbox"
probe expunge Lists "$gone_lists"
probe store Archive "$(sed -n 6p "$T/uids-archive")" + '\Flagged' '\Answered'
probe store Archive "$(sed -n 7p "$T/uids-archive")" - '\Seen'
probe store Sent "$(tail -n 1 "$T/uids-sent")" + '\Seen'
t_log "server changed: +UID $new_uid in INBOX, -UID $gone_inbox in INBOX, -UID $gone_lists in Lists, flags in Archive and Sent"
sync_and_compare resync "$T/implicit.conf"

# the changes must really be visible in petrel's ls (the comparison above
# already checked every row; these make the intent explicit)
"$PETREL" -F "$T/implicit.conf" ls test INBOX >"$T/ls-inbox.txt" ||
    t_fail "petrel ls INBOX failed after resync"
tab=$'\t'
grep -q "^$new_uid$tab-$tab.*${tab}Zoë Probe${tab}Neue Nachricht: Größenänderung ✓\$" "$T/ls-inbox.txt" ||
    t_fail "the appended message (UID $new_uid) is not in the cache as expected"
if grep -q "^$gone_inbox$tab" "$T/ls-inbox.txt"; then
	t_fail "the expunged message (UID $gone_inbox) is still in the cache"
fi

# --- 4. the same for the STARTTLS cache, which missed all of it -----------
export XDG_DATA_HOME=$T/data-starttls
sync_and_compare resync-starttls "$T/starttls.conf"

t_pass "cache matches the server over implicit TLS and STARTTLS, before and after server changes"
