#!/usr/bin/env bash
# resync.sh - incremental resync: with QRESYNC (Dovecot's default) and with
# CONDSTORE/QRESYNC taken out of the server's capabilities, 100 flag changes,
# 100 new messages and 10 expunges made by another client are caught up by
# one `petrel sync`, exactly, without downloading the old headers again; a
# folder whose UIDVALIDITY changed is rebuilt.
#
# For each mode (qresync, plain):
#   - a fresh Dovecot (DOVECOT_NO_CONDSTORE=1 for plain) with 2,000
#     generated messages, every session's raw traffic logged (rawlog);
#   - petrel sync, then the cache must equal the server (imap-probe.py
#     compare: UIDs, flags, subjects, senders, dates of every folder);
#   - another client toggles one flag on 100 INBOX messages (\Flagged,
#     \Seen, \Answered), appends 100 and expunges 10; petrel sync; equal
#     again; the rawlog of that sync shows at most 100 (+ a little slack)
#     FETCH responses carrying headers, i.e. the old ones were not fetched
#     again; with qresync the client used QRESYNC or CONDSTORE (CHANGEDSINCE /
#     HIGHESTMODSEQ); in plain mode it never sent CONDSTORE, QRESYNC,
#     CHANGEDSINCE or ENABLE for them (the server would have accepted them);
#   - the folder Lists is deleted and created again (new UIDVALIDITY) with 5
#     new messages whose UIDs 1-5 collide with the old ones; petrel sync;
#     Lists in the cache is exactly the 5 new messages.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/lib/common.sh
. "$here/../lib/common.sh"
# shellcheck source=tests/lib/dovecot.sh
. "$here/../lib/dovecot.sh"

t_init resync
t_need python3 openssl dovecot doveconf doveadm timeout
t_find_petrel
mkdir -p "$T/cwd"
cd "$T/cwd"

probe() {
	python3 "$T_LIB/imap-probe.py" --port "$DOVECOT_IMAPS_PORT" --ca "$DOVECOT_CA" \
	    --user alice --password secret "$@"
}

# json FILE EXPR: print a value from a JSON file (EXPR in Python, d = data).
json() {
	python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"
}

# rawlog ARGS...: the raw traffic of petrel's last sync (SYNC_RAWLOG).
rawlog() {
	python3 "$T_LIB/rawlog.py" "$SYNC_RAWLOG" "$@"
}

# sync_and_compare MODE LABEL: petrel sync exits 0, silent on stderr, and
# the cache equals the server.  SYNC_RAWLOG is the directory holding the
# raw traffic of that sync alone.
sync_and_compare() {
	local mode=$1 label=$2
	dovecot_rawlog_reset alice >/dev/null || t_fail "cannot set the rawlog aside"
	t_run "sync-$mode-$label" 300 "$PETREL" -F "$T/$mode.conf" sync test
	SYNC_RAWLOG=$(dovecot_rawlog_reset alice) || t_fail "cannot set the rawlog aside"
	assert_rc 0 "sync-$mode-$label"
	if [ -s "$T/sync-$mode-$label.err" ]; then
		t_show "sync-$mode-$label"
		t_fail "$mode/$label: petrel sync succeeded but wrote to stderr"
	fi
	probe compare --petrel "$PETREL" --config "$T/$mode.conf" --account test \
	    --sync-output "$T/sync-$mode-$label.out" >&2 ||
	    t_fail "$mode/$label: petrel's cache does not match the server (MISMATCH lines above)"
	t_log "$mode/$label: sync took ${T_SECS}s; the cache equals the server"
}

# run_mode MODE SEED: the whole sequence against a fresh server.
run_mode() {
	local mode=$1 seed=$2 hdr uv_old uv_new
	export XDG_DATA_HOME=$T/data-$mode
	mkdir -p "$XDG_DATA_HOME"
	if [ "$mode" = plain ]; then
		export DOVECOT_NO_CONDSTORE=1
	else
		unset DOVECOT_NO_CONDSTORE
	fi
	export DOVECOT_RAWLOG=1
	dovecot_init "$T/dovecot-$mode" || t_fail "cannot prepare the Dovecot directory"
	python3 "$T_LIB/gen-mailbox.py" --out "$(dovecot_maildir alice)" -n 2000 --seed "$seed" \
	    --manifest "$T/manifest-$mode.json" >&2 || t_fail "gen-mailbox.py failed"
	dovecot_start || t_fail "Dovecot did not start (see $DOVECOT_DIR/dovecot.log)"
	dovecot_subscribe_all alice || t_fail "doveadm could not subscribe the folders"

	probe caps >"$T/caps-$mode" || t_fail "the probe cannot read the capabilities"
	if [ "$mode" = plain ]; then
		if grep -Eqw 'CONDSTORE|QRESYNC' "$T/caps-$mode"; then
			t_fail "test setup: the server still offers CONDSTORE/QRESYNC: $(cat "$T/caps-$mode")"
		fi
	else
		grep -qw QRESYNC "$T/caps-$mode" || t_fail "test setup: the server does not offer QRESYNC"
	fi
	cat >"$T/$mode.conf" <<-EOF
	[account test]
	driver = imap
	host = 127.0.0.1
	port = $DOVECOT_IMAPS_PORT
	user = alice
	password = secret
	security = implicit
	tls_ca_file = $DOVECOT_CA
	EOF

	sync_and_compare "$mode" initial

	# --- 100 flag changes, 100 new messages, 10 expunges elsewhere -------
	probe bulk-toggle INBOX --count 100 --seed "$seed" \
	    --flag '\Flagged' --flag '\Seen' --flag '\Answered' >"$T/toggled-$mode" ||
	    t_fail "the probe could not change flags"
	probe bulk-append INBOX --count 100 --prefix "Resync $mode" >"$T/appended-$mode" ||
	    t_fail "the probe could not append"
	probe uids INBOX >"$T/uids-$mode" || t_fail "the probe cannot list INBOX"
	# ten old messages that were not touched above
	local victims
	victims=$(python3 - "$T/uids-$mode" "$T/toggled-$mode" <<-'PY'
	import sys
	uids = [int(x) for x in open(sys.argv[1]).read().split()]
	touched = {int(l.split()[0]) for l in open(sys.argv[2]) if l.strip()}
	old = [u for u in uids[:len(uids) - 100] if u not in touched]
	print(" ".join(str(u) for u in old[5::37][:10]))
	PY
	)
	[ "$(wc -w <<<"$victims")" = 10 ] || t_fail "test setup: could not choose 10 messages to expunge"
	for uid in $victims; do
		probe expunge INBOX "$uid" || t_fail "the probe could not expunge UID $uid"
	done
	sync_and_compare "$mode" after-changes

	hdr=$(rawlog header-fetches)
	rawlog commands >"$T/commands-$mode" || true
	t_log "$mode: the resync fetched headers of $hdr messages; commands: $(tr '\n' ',' <"$T/commands-$mode")"
	if [ "$hdr" -lt 100 ] || [ "$hdr" -gt 110 ]; then
		t_fail "$mode: the resync fetched the headers of $hdr messages; 100 were new (old headers must not be fetched again)"
	fi
	if [ "$mode" = plain ]; then
		if rawlog grep 'CONDSTORE|QRESYNC|CHANGEDSINCE|HIGHESTMODSEQ' >"$T/illegal-$mode"; then
			cat "$T/illegal-$mode" >&2
			t_fail "plain: petrel used CONDSTORE/QRESYNC although the server did not offer them"
		fi
	else
		rawlog grep '(SELECT|EXAMINE) .*QRESYNC|CHANGEDSINCE' >/dev/null ||
		    t_fail "qresync: the server offers QRESYNC but the resync used neither QRESYNC nor CHANGEDSINCE"
	fi

	# --- UIDVALIDITY change: Lists deleted and created again -------------
	probe status Lists >"$T/lists-old-$mode.json" || t_fail "the probe cannot read Lists"
	uv_old=$(json "$T/lists-old-$mode.json" "d['uidvalidity']")
	probe delete Lists || t_fail "the probe could not delete Lists"
	sleep 1.1      # Dovecot derives a new UIDVALIDITY from the clock
	probe create Lists || t_fail "the probe could not create Lists"
	probe bulk-append Lists --count 5 --prefix "After UIDVALIDITY change" >/dev/null ||
	    t_fail "the probe could not append to Lists"
	probe status Lists >"$T/lists-new-$mode.json" || t_fail "the probe cannot read Lists"
	uv_new=$(json "$T/lists-new-$mode.json" "d['uidvalidity']")
	[ "$uv_old" != "$uv_new" ] || t_fail "test setup: UIDVALIDITY of Lists did not change ($uv_old)"
	dovecot_subscribe_all alice || true
	sync_and_compare "$mode" uidvalidity
	t_log "$mode: Lists rebuilt after UIDVALIDITY $uv_old -> $uv_new"

	dovecot_stop
}

t_on_exit dovecot_stop
run_mode qresync 21
run_mode plain 22
t_pass "QRESYNC and plain resync match the server exactly without fetching old headers; UIDVALIDITY change rebuilds"
