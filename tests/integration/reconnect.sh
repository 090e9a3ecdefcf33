#!/usr/bin/env bash
# reconnect.sh - the server dies in the middle of a big header download;
# petrel recovers, ends with exactly the server's messages (no duplicates,
# none missing), and flag changes made while the server was away reach it.
#
# A private Dovecot with a 20,000-message INBOX (and small other folders);
# the raw traffic of every session is logged (rawlog), which tells the test
# how far the download has got.
#
# A. `petrel sync`: once the server has sent >= 200 header FETCH responses,
#    its mail and login processes are frozen (SIGSTOP, so the download is
#    surely unfinished), then killed, and Dovecot stopped; it is started
#    again on the same ports 2 s later.  petrel sync must not crash; run
#    again if it gave up (at most 3 times); the cache then equals the server.
# B. The UI on an empty cache: the same cut mid-download.  The status line
#    must say what happens (offline / reconnecting); while the server is
#    down, F on the newest and N on the second newest message change their
#    rows at once (from the cache); Dovecot comes back and the server gets
#    \Flagged and \Seen; the cache, once the download has finished, equals
#    the server.
# C. Queued operations survive a restart of petrel: server down, F on the
#    oldest message, q (petrel quits promptly while offline), server up,
#    petrel started again: the server gets \Flagged.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/lib/common.sh
. "$here/../lib/common.sh"
# shellcheck source=tests/lib/dovecot.sh
. "$here/../lib/dovecot.sh"

t_init reconnect
t_need python3 openssl dovecot doveconf doveadm tmux timeout ps
t_find_petrel
mkdir -p "$T/cwd"
cd "$T/cwd"

BIG=${RECONNECT_MESSAGES:-20000}
S=rc

export DOVECOT_RAWLOG=1
dovecot_init "$T/dovecot" || t_fail "cannot prepare the Dovecot directory"
python3 "$T_LIB/gen-mailbox.py" --out "$(dovecot_maildir alice)" -n 100 --seed 31 \
    --folder-count "INBOX=$BIG" --no-check --manifest "$T/manifest.json" >&2 ||
    t_fail "gen-mailbox.py failed"
t_on_exit dovecot_stop
dovecot_start || t_fail "Dovecot did not start (see $DOVECOT_DIR/dovecot.log)"
dovecot_subscribe_all alice || t_fail "doveadm could not subscribe the folders"

probe() {
	python3 "$T_LIB/imap-probe.py" --port "$DOVECOT_IMAPS_PORT" --ca "$DOVECOT_CA" \
	    --user alice --password secret "$@"
}

# json FILE EXPR: print a value from a JSON file (EXPR in Python, d = data).
json() {
	python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"
}

rawlog() {
	python3 "$T_LIB/rawlog.py" "$(dovecot_rawlog_dir alice)" "$@"
}

cat >"$T/petrel.conf" <<EOF
[account test]
driver = imap
host = 127.0.0.1
port = $DOVECOT_IMAPS_PORT
user = alice
password = secret
security = implicit
tls_ca_file = $DOVECOT_CA
EOF

# Make Dovecot build its index of the big folder now, so that the
# download below is not dominated by it.
probe status INBOX >"$T/inbox-status.json" || t_fail "the probe cannot read INBOX"
[ "$(json "$T/inbox-status.json" "d['messages']")" = "$BIG" ] ||
    t_fail "test setup: INBOX has $(json "$T/inbox-status.json" "d['messages']") messages, not $BIG"

# header_fetches_fast: what `rawlog header-fetches` counts, with grep: the
# poll below must be quick, Dovecot serves 20,000 headers in 0.2 s.
header_fetches_fast() {
	cat "$(dovecot_rawlog_dir alice)"/*.out 2>/dev/null |
	    grep -acEi '^([0-9]+\.[0-9]+ )?\* [0-9]+ FETCH .*(ENVELOPE \(|BODY\[HEADER|RFC822\.HEADER)' || true
}

# freeze_mid_download WHAT: wait until >= 200 header FETCH responses went
# out in the sessions since the last rawlog reset, then freeze the sessions
# (SIGSTOP): the server stops mid-download however fast it serves.
freeze_mid_download() {
	local what=$1 i h=0
	for ((i = 0; i < 6000; i++)); do
		h=$(header_fetches_fast)
		[ "${h:-0}" -ge 200 ] && break
		sleep 0.01
	done
	[ "${h:-0}" -ge 200 ] || t_fail "$what: the header download did not start within 60 s"
	dovecot_kill_sessions STOP
}

# kill_frozen WHAT: kill the frozen sessions, stop Dovecot.  Sets CUT_AT
# (headers sent when frozen).
kill_frozen() {
	local what=$1
	CUT_AT=$(rawlog header-fetches)
	dovecot_kill_sessions KILL
	dovecot_stop || t_fail "$what: cannot stop Dovecot"
	t_log "$what: server killed after sending the headers of $CUT_AT messages"
	[ "$CUT_AT" -lt "$BIG" ] ||
	    t_fail "$what: the whole folder had already been sent; the cut proves nothing (raise RECONNECT_MESSAGES)"
}

# cut_mid_download WHAT: freeze mid-download, then kill.
cut_mid_download() {
	freeze_mid_download "$1"
	kill_frozen "$1"
}

# wait_sel_col POS CHAR SECS WHAT: the highlighted row's flag column POS
# (0 tag, 1 N, 2 !, 3 r, 4 D) shows CHAR within SECS seconds.
wait_sel_col() {
	local pos=$1 ch=$2 secs=$3 what=$4 i sel=
	for ((i = 0; i < secs * 10; i++)); do
		sel=$(t_tmux_selected $S)
		[ "${sel:$pos:1}" = "$ch" ] && return 0
		sleep 0.1
	done
	t_tmux_dump $S
	t_fail "$what: the highlighted row is '$sel'"
}

# ls_rows: the number of INBOX rows in the cache (and no UID twice).
ls_rows() {
	"$PETREL" -F "$T/petrel.conf" ls test INBOX >"$T/ls.out" 2>"$T/ls.err" || { echo 0; return; }
	local dup
	dup=$(cut -f1 "$T/ls.out" | sort | uniq -d | head -n 3 | tr '\n' ' ')
	[ -z "$dup" ] || t_fail "the cache holds INBOX UIDs twice: $dup"
	wc -l <"$T/ls.out"
}

# --- A. petrel sync, cut in the middle -----------------------------------------
export XDG_DATA_HOME=$T/data-a
mkdir -p "$XDG_DATA_HOME"
dovecot_rawlog_reset alice >/dev/null
timeout -k 5 300 "$PETREL" -F "$T/petrel.conf" sync test >"$T/sync-a1.out" 2>"$T/sync-a1.err" &
sync_pid=$!
t_on_exit "t_kill_pid $sync_pid"
cut_mid_download "A (petrel sync)"
sleep 2
rows=$(ls_rows)
t_log "A: with the server down the cache holds $rows INBOX rows"
dovecot_restart || t_fail "A: Dovecot did not start again on the same ports"
set +e
wait "$sync_pid"
rc=$?
set -e
[ "$rc" -lt 124 ] || { cat "$T/sync-a1.err" >&2; t_fail "A: the interrupted petrel sync ended with status $rc (crash or hang)"; }
t_log "A: the interrupted petrel sync exited $rc: $(head -n 1 "$T/sync-a1.err")"
if [ "$rc" != 0 ]; then
	[ "$(wc -l <"$T/sync-a1.err")" -le 2 ] || { cat "$T/sync-a1.err" >&2; t_fail "A: more than a short error from the interrupted sync"; }
	ok=0
	for try in 1 2 3; do
		t_run "sync-a-retry$try" 300 "$PETREL" -F "$T/petrel.conf" sync test
		if [ "$T_RC" = 0 ]; then
			ok=1
			break
		fi
		sleep 2
	done
	[ $ok = 1 ] || { t_show "sync-a-retry3"; t_fail "A: petrel sync still fails after the server came back"; }
fi
probe compare --petrel "$PETREL" --config "$T/petrel.conf" --account test >&2 ||
    t_fail "A: after the interrupted download the cache does not match the server"
t_log "A: the cache equals the server after the interrupted sync"

# --- B. the UI, cut in the middle, flags changed while offline -----------------
export XDG_DATA_HOME=$T/data-b
mkdir -p "$XDG_DATA_HOME"
probe message INBOX --newest 1 >"$T/newest1.json" || t_fail "the probe cannot read INBOX"
probe message INBOX --newest 2 >"$T/newest2.json" || t_fail "the probe cannot read INBOX"
uid1=$(json "$T/newest1.json" "d['uid']")
uid2=$(json "$T/newest2.json" "d['uid']")
for f in newest1 newest2; do
	[ "$(json "$T/$f.json" "d['petrel_flags']")" = - ] ||
	    t_fail "test setup: the $f INBOX message is not unseen and unflagged"
done
dovecot_rawlog_reset alice >/dev/null
t_tmux_start $S "$PETREL" -F "$T/petrel.conf" -d debug -L "$T/petrel-b.log"
# freeze the server mid-download, let the first screenful (the newest
# messages, already sent) show, then cut; the cache is not read by another
# process while the UI runs (cache-shared.sh does)
freeze_mid_download "B (UI)"
t_tmux_wait_re $S '│[ *][ N][ !][ r][ D] ' 60 "B: the first screenful" >/dev/null
kill_frozen "B (UI)"
t_tmux_wait_re $S '[Oo]ffline|[Rr]econnect|[Rr]etry|[Cc]onnection (lost|closed|refused)|[Dd]isconnected' 20 \
    "B: the status line says the server is gone" >/dev/null
# the newest messages were downloaded first; change two of them offline
t_tmux_keys $S G
t_tmux_wait_selected $S "$(json "$T/newest1.json" "d['subject'][:14]")" 10 "B: G selects the newest message"
t_tmux_keys $S F
wait_sel_col 2 '!' 2 "B: F while offline must mark the row flagged at once"
t_tmux_keys $S k
t_tmux_wait_selected $S "$(json "$T/newest2.json" "d['subject'][:14]")" 10 "B: k selects the second newest"
t_tmux_keys $S N
wait_sel_col 1 ' ' 2 "B: N while offline must mark the row read at once"
sleep 3
dovecot_restart || t_fail "B: Dovecot did not start again on the same ports"
probe wait INBOX "$uid1" '\Flagged' --set --timeout 60 >/dev/null ||
    t_fail "B: F made while offline did not reach the server within 60 s of its return"
probe wait INBOX "$uid2" '\Seen' --set --timeout 30 >/dev/null ||
    t_fail "B: N made while offline did not reach the server"
t_log "B: offline F and N reached the server after it came back"
t_tmux_wait_re $S "\[test\] INBOX: $BIG messages, [0-9]+ unread( *$|  --  INBOX: headers $BIG/$BIG)" 120 \
    "B: the status line shows the whole folder, nothing in progress" >/dev/null

# --- C. a queued operation survives quitting petrel ---------------------------
probe message INBOX --newest "$BIG" >"$T/oldest.json" || t_fail "the probe cannot read INBOX"
uid0=$(json "$T/oldest.json" "d['uid']")
flagged0=$(json "$T/oldest.json" "'\\\\Flagged' in d['flags']")
dovecot_stop || t_fail "C: cannot stop Dovecot"
t_tmux_keys $S Home
t_tmux_wait_selected $S "$(json "$T/oldest.json" "d['subject'][:14]")" 10 "C: Home selects the oldest message"
t_tmux_keys $S F
sleep 1
t_tmux_keys $S q
t_tmux_wait_exit $S 10
[ "$T_RC" = 0 ] || { t_tmux_dump $S; t_fail "C: petrel exited with status $T_RC after q while offline"; }
dovecot_restart || t_fail "C: Dovecot did not start again on the same ports"
S=rc2
t_tmux_start $S "$PETREL" -F "$T/petrel.conf" -d debug -L "$T/petrel-c.log"
if [ "$flagged0" = True ]; then
	want=--unset
else
	want=--set
fi
probe wait INBOX "$uid0" '\Flagged' $want --timeout 60 >/dev/null ||
    t_fail "C: F made offline before quitting was not replayed when petrel started again"
t_tmux_wait_re $S "\[test\] INBOX: $BIG messages, [0-9]+ unread( *$|  --  INBOX: headers $BIG/$BIG)" 120 \
    "C: the status line shows the whole folder, nothing in progress" >/dev/null
t_tmux_keys $S q
t_tmux_wait_exit $S 15
[ "$T_RC" = 0 ] || { t_tmux_dump $S; t_fail "C: petrel exited with status $T_RC after q"; }
probe compare --petrel "$PETREL" --config "$T/petrel.conf" --account test >&2 ||
    t_fail "B/C: after the reconnects the cache does not match the server"
t_log "B/C: the cache equals the server"
assert_no_core "$T/cwd"
assert_no_string secret "the password in the debug log" "$T/petrel-b.log" "$T/petrel-c.log"
t_pass "interrupted downloads end exact (sync and UI); offline flag changes reach the server, also after a restart"
