#!/usr/bin/env bash
# cache-shared.sh - a second petrel process (petrel ls, petrel sync) may use
# the cache while the UI runs: the UI's SQLite connections keep their locks,
# so the other process never takes itself for the last one and never removes
# the WAL files under the UI's feet; the UI keeps working and the cache
# stays coherent.
#
# (Closing any descriptor of a file drops all of the process's POSIX locks
# on it; opening and closing cache.db or its -wal/-shm outside SQLite, e.g.
# to chmod them, while a connection is open in the same process, silently
# unlocks that connection.  The next process to close its connection then
# checkpoints and deletes cache.db-wal and cache.db-shm although the UI
# still uses them: two processes with two WAL indexes, SIGBUS on a
# truncated -shm mapping, lost or corrupt rows.)
#
# Steps: the UI opens INBOX and finishes its first sync; `petrel ls` and
# `petrel sync` run to completion beside it; cache.db-wal and cache.db-shm
# must still exist (SQLite removes them only when the last connection
# closes); a message appended by another client must still reach the UI
# (IDLE); q exits 0; the cache then equals the server.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/lib/common.sh
. "$here/../lib/common.sh"
# shellcheck source=tests/lib/dovecot.sh
. "$here/../lib/dovecot.sh"

t_init cache-shared
t_need python3 openssl dovecot doveconf doveadm tmux timeout
t_find_petrel
mkdir -p "$T/cwd"
cd "$T/cwd"
S=cs

dovecot_init "$T/dovecot" || t_fail "cannot prepare the Dovecot directory"
python3 "$T_LIB/gen-mailbox.py" --out "$(dovecot_maildir alice)" -n 200 --seed 51 \
    --manifest "$T/manifest.json" >&2 || t_fail "gen-mailbox.py failed"
t_on_exit dovecot_stop
dovecot_start || t_fail "Dovecot did not start (see $DOVECOT_DIR/dovecot.log)"
dovecot_subscribe_all alice || t_fail "doveadm could not subscribe the folders"

probe() {
	python3 "$T_LIB/imap-probe.py" --port "$DOVECOT_IMAPS_PORT" --ca "$DOVECOT_CA" \
	    --user alice --password secret "$@"
}

json() {
	python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"
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
db=$XDG_DATA_HOME/petrel/cache.db

probe status INBOX >"$T/st.json" || t_fail "the probe cannot read INBOX"
n=$(json "$T/st.json" "d['messages']")
u=$(json "$T/st.json" "d['unseen']")
t_tmux_start $S "$PETREL" -F "$T/petrel.conf"
t_tmux_wait_re $S "\[test\] INBOX: $n messages, $u unread *$" 60 "INBOX status line, first sync done" >/dev/null
sleep 2
[ -e "$db-wal" ] && [ -e "$db-shm" ] ||
    t_fail "test setup: with the UI running there is no cache.db-wal/-shm (not in WAL mode?)"

t_run ls 60 "$PETREL" -F "$T/petrel.conf" ls test INBOX
assert_rc 0 ls
[ "$(wc -l <"$T/ls.out")" = "$n" ] || t_fail "petrel ls beside the UI listed $(wc -l <"$T/ls.out") messages, not $n"
if [ ! -e "$db-wal" ] || [ ! -e "$db-shm" ]; then
	ls -la "$(dirname "$db")" >&2
	t_fail "after petrel ls closed, cache.db-wal/-shm are gone while the UI still has the cache open: the UI's SQLite locks were lost (petrel opens and closes the cache files outside SQLite while a connection is open)"
fi
t_run sync 120 "$PETREL" -F "$T/petrel.conf" sync test
assert_rc 0 sync
[ -e "$db-wal" ] && [ -e "$db-shm" ] ||
    t_fail "after petrel sync closed, cache.db-wal/-shm are gone while the UI still has the cache open"

subject="Shared cache $$"
probe append INBOX --subject "$subject" --date-epoch "$(date +%s)" >/dev/null ||
    t_fail "the probe could not APPEND"
t_tmux_wait_re $S "\[test\] INBOX: $((n + 1)) messages" 10 "the UI still follows the server" >/dev/null
t_tmux_keys $S q
t_tmux_wait_exit $S 15
[ "$T_RC" = 0 ] || { t_tmux_dump $S; t_fail "petrel exited with status $T_RC (crash?) after q"; }
probe compare --petrel "$PETREL" --config "$T/petrel.conf" --account test >&2 ||
    t_fail "after sharing the cache it does not match the server"
t_pass "petrel ls and petrel sync beside the UI leave its cache intact"
