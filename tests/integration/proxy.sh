#!/usr/bin/env bash
# proxy.sh - connections through real proxies to a private Dovecot, TLS
# end to end: Dante (SOCKS4, SOCKS5, SOCKS5 with username/password),
# tinyproxy (HTTP CONNECT, with and without Basic authentication) and
# OpenSSH's dynamic forwarding (SOCKS4a and SOCKS5 with remote DNS).
#
# Part 1 drives the net layer directly (tests/unit/transport_probe, built
# with the unit tests): through each proxy it must negotiate TLS with
# Dovecot, verify its certificate, read the IMAP greeting and get "* BYE"
# for LOGOUT, and the proxy's own log must show the tunnel.  Refusals: a
# wrong SOCKS5 password, no or wrong HTTP credentials (407), a closed
# destination port; each a clear error naming the proxy.
# Part 2 runs `petrel sync` with `[proxy NAME]` / `proxy = NAME` for each
# proxy and checks the proxy's log saw the connection and that the proxy
# password is in no output or log.  Part 2 needs IMAP connected through
# transport_connect; PROXY_PART1_ONLY=1 runs only part 1 until then.
#
# Packages: dante-server tinyproxy openssh-server openssh-client, plus
# Dovecot's (tests/lib/dovecot.sh).  Run as root (Dante's username method
# checks a throwaway system user created here).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/lib/common.sh
. "$here/../lib/common.sh"
# shellcheck source=tests/lib/dovecot.sh
. "$here/../lib/dovecot.sh"
# shellcheck source=tests/lib/net.sh
. "$here/../lib/net.sh"

t_init proxy
t_need python3 openssl dovecot doveadm timeout useradd chpasswd
net_need danted tinyproxy sshd ssh
t_find_petrel
net_find_probe

PUSER=petrelpx$$
PPASS="px-$RANDOM-secret"

# --- the servers ----------------------------------------------------------
dovecot_init "$T/dovecot" || t_fail "cannot prepare the Dovecot directory"
python3 "$T_LIB/gen-mailbox.py" --out "$(dovecot_maildir alice)" -n 30 --seed 3 \
    --manifest "$T/manifest.json" >&2 || t_fail "gen-mailbox.py failed"
t_on_exit dovecot_stop
dovecot_start || t_fail "Dovecot did not start"
IMAPS=$DOVECOT_IMAPS_PORT

net_add_system_user "$PUSER" "$PPASS"
net_start_dante dante-none none
DANTE=$NET_PORT DANTE_LOG=$NET_LOG
net_start_dante dante-user username
DANTE_AUTH=$NET_PORT DANTE_AUTH_LOG=$NET_LOG
net_start_tinyproxy tinyproxy
TINY=$NET_PORT TINY_LOG=$NET_LOG
net_start_tinyproxy tinyproxy-auth "$PUSER" "$PPASS"
TINY_AUTH=$NET_PORT TINY_AUTH_LOG=$NET_LOG
net_start_ssh_socks ssh
SSHD=$NET_PORT SSH_LOG=$NET_LOG
t_log "dante $DANTE (auth $DANTE_AUTH), tinyproxy $TINY (auth $TINY_AUTH), ssh -D $SSHD, imaps $IMAPS"

# --- part 1: the net layer through each proxy -----------------------------

# through LABEL LOG HOST PROXYSPEC [USER]: TLS + greeting + LOGOUT.
through() {
	local label=$1 log=$2 host=$3 spec=$4 user=${5:-} before
	before=$(wc -l <"$log" 2>/dev/null || echo 0)
	PETREL_PROXY_PASSWORD=$PPASS net_probe "$label" --tls --ca "$DOVECOT_CA" \
	    --proxy "$spec" ${user:+--proxy-user "$user"} --send "a LOGOUT" \
	    "$host" "$IMAPS"
	assert_rc 0 "$label"
	assert_grep '^version: TLSv1\.3$' "$T/$label.out" "$label: TLS version"
	assert_grep '^line: \* OK .*Dovecot' "$T/$label.out" "$label: IMAP greeting over TLS"
	assert_grep '^line: \* BYE' "$T/$label.out" "$label: LOGOUT answered"
	# the tunnel is in the proxy's log (not a direct connection)
	sleep 0.3
	tail -n +"$((before + 1))" "$log" >"$T/$label.log"
	case $spec in
	http:*) assert_grep "CONNECT $host:$IMAPS" "$T/$label.log" "$label: tinyproxy log" ;;
	*:*:"$SSHD") assert_grep "dynamic request: socks[45] host $host port $IMAPS" \
	    "$T/$label.log" "$label: ssh -D log" ;;
	*) assert_grep "127\.0\.0\.1\.$IMAPS" "$T/$label.log" "$label: danted log" ;;
	esac
	t_log "$label: ok"
}

through socks4-dante "$DANTE_LOG" 127.0.0.1 "socks4:127.0.0.1:$DANTE"
through socks5-dante "$DANTE_LOG" 127.0.0.1 "socks5:127.0.0.1:$DANTE"
through socks5-dante-name "$DANTE_LOG" localhost "socks5:127.0.0.1:$DANTE"
through socks5-dante-auth "$DANTE_AUTH_LOG" 127.0.0.1 "socks5:127.0.0.1:$DANTE_AUTH" "$PUSER"
through http-tinyproxy "$TINY_LOG" 127.0.0.1 "http:127.0.0.1:$TINY"
through http-tinyproxy-auth "$TINY_AUTH_LOG" 127.0.0.1 "http:127.0.0.1:$TINY_AUTH" "$PUSER"
through socks4a-ssh "$SSH_LOG" localhost "socks4a:127.0.0.1:$SSHD"
through socks4-ssh "$SSH_LOG" 127.0.0.1 "socks4:127.0.0.1:$SSHD"
through socks5-ssh "$SSH_LOG" localhost "socks5:127.0.0.1:$SSHD"

# refused LABEL CODE-NAME REGEX PROBE-ARGS...: exit 1 with that error.
refused() {
	local label=$1 code=$2 re=$3
	shift 3
	PETREL_PROXY_PASSWORD=${PW:-$PPASS} net_probe "$label" "$@"
	assert_rc 1 "$label"
	assert_grep "^error: $code: $re" "$T/$label.err" "$label: error"
	assert_no_string "$PPASS" "$label: proxy password in the output" \
	    "$T/$label.out" "$T/$label.err"
	t_log "$label: $(cat "$T/$label.err")"
}

PW=wrong-password refused socks5-bad-password authentication \
    "SOCKS5 proxy 127\.0\.0\.1:$DANTE_AUTH: username/password authentication failed" \
    --tls --ca "$DOVECOT_CA" --proxy "socks5:127.0.0.1:$DANTE_AUTH" \
    --proxy-user "$PUSER" 127.0.0.1 "$IMAPS"
refused socks5-no-credentials authentication \
    "SOCKS5 proxy 127\.0\.0\.1:$DANTE_AUTH: no acceptable authentication method" \
    --tls --proxy "socks5:127.0.0.1:$DANTE_AUTH" 127.0.0.1 "$IMAPS"
refused http-407 authentication \
    "HTTP proxy 127\.0\.0\.1:$TINY_AUTH: 407 Proxy Authentication Required" \
    --tls --proxy "http:127.0.0.1:$TINY_AUTH" 127.0.0.1 "$IMAPS"
PW=wrong-password refused http-407-wrong authentication \
    "HTTP proxy 127\.0\.0\.1:$TINY_AUTH: 40[17] " \
    --tls --proxy "http:127.0.0.1:$TINY_AUTH" --proxy-user "$PUSER" 127.0.0.1 "$IMAPS"
CLOSED=$(t_free_ports 1)
refused socks5-closed-port network \
    "SOCKS5 proxy 127\.0\.0\.1:$DANTE: (connection refused by destination|host unreachable|general SOCKS server failure)" \
    --tls --proxy "socks5:127.0.0.1:$DANTE" 127.0.0.1 "$CLOSED"
refused socks4-closed-port network \
    "SOCKS4 proxy 127\.0\.0\.1:$DANTE: request rejected or failed" \
    --tls --proxy "socks4:127.0.0.1:$DANTE" 127.0.0.1 "$CLOSED"
refused http-closed-port network "HTTP proxy 127\.0\.0\.1:$TINY: 5[0-9][0-9] " \
    --tls --proxy "http:127.0.0.1:$TINY" 127.0.0.1 "$CLOSED"
# a TLS failure through a proxy still names the destination and the pin
refused socks5-untrusted-cert "TLS|tls" \
    "127\.0\.0\.1:$IMAPS via SOCKS5 proxy 127\.0\.0\.1:$DANTE: certificate verification failed: .*sha256:" \
    --tls --proxy "socks5:127.0.0.1:$DANTE" 127.0.0.1 "$IMAPS"

if [ "${PROXY_PART1_ONLY:-0}" = 1 ]; then
	t_pass "part 1 (net layer through Dante, tinyproxy, ssh -D); part 2 not run"
fi

# --- part 2: petrel sync through each proxy -------------------------------
printf '%s\n' "$PPASS" >"$T/proxy-pass"
chmod 600 "$T/proxy-pass"

# sync_via LABEL LOG HOST TYPE PORT [USER]: config with [proxy], sync.
sync_via() {
	local label=$1 log=$2 host=$3 type=$4 port=$5 user=${6:-} before cfg
	cfg=$T/$label.conf
	{
		printf '[general]\nproxy = direct-would-be-wrong\n\n'
		printf '[proxy direct-would-be-wrong]\ntype = socks5\nhost = 127.0.0.1\nport = %s\n\n' "$CLOSED"
		printf '[proxy p]\ntype = %s\nhost = 127.0.0.1\nport = %s\n' "$type" "$port"
		if [ -n "$user" ]; then
			printf 'username = %s\n' "$user"
			[ "$type" = socks4 ] || [ "$type" = socks4a ] ||
			    printf 'password_command = cat %s\n' "$T/proxy-pass"
		fi
		printf '\n[account test]\ndriver = imap\nhost = %s\nport = %s\n' "$host" "$IMAPS"
		printf 'user = alice\npassword = secret\nsecurity = implicit\n'
		printf 'tls_ca_file = %s\nproxy = p\n' "$DOVECOT_CA"
	} >"$cfg"
	before=$(wc -l <"$log" 2>/dev/null || echo 0)
	rm -f "$XDG_DATA_HOME/petrel/cache.db"
	t_run "sync-$label" 120 "$PETREL" -F "$cfg" -d trace -L "$T/sync-$label.log" sync test
	assert_rc 0 "sync-$label"
	assert_grep '^INBOX: [0-9]+ messages' "$T/sync-$label.out" "$label: synced INBOX"
	sleep 0.3
	tail -n +"$((before + 1))" "$log" >"$T/sync-$label.plog"
	case $type in
	http) assert_grep "CONNECT $host:$IMAPS" "$T/sync-$label.plog" \
	    "$label: petrel did not go through tinyproxy (is IMAP wired to transport_connect?)" ;;
	*) [ -s "$T/sync-$label.plog" ] ||
	    t_fail "$label: petrel did not go through the proxy (is IMAP wired to transport_connect?)" ;;
	esac
	assert_no_string "$PPASS" "$label: proxy password leaked" \
	    "$T/sync-$label.out" "$T/sync-$label.err" "$T/sync-$label.log"
	t_log "$label: petrel sync ok"
}

sync_via dante-socks4 "$DANTE_LOG" 127.0.0.1 socks4 "$DANTE"
sync_via dante-socks5 "$DANTE_LOG" localhost socks5 "$DANTE"
sync_via dante-socks5-auth "$DANTE_AUTH_LOG" 127.0.0.1 socks5 "$DANTE_AUTH" "$PUSER"
sync_via tinyproxy "$TINY_LOG" 127.0.0.1 http "$TINY"
sync_via tinyproxy-auth "$TINY_AUTH_LOG" 127.0.0.1 http "$TINY_AUTH" "$PUSER"
sync_via ssh-socks4a "$SSH_LOG" localhost socks4a "$SSHD"

# proxy = none overrides the [general] default
cfg=$T/none.conf
sed 's/^proxy = p$/proxy = none/' "$T/tinyproxy.conf" >"$cfg"
t_run sync-none 120 "$PETREL" -F "$cfg" sync test
assert_rc 0 sync-none

t_pass "net layer and petrel sync through Dante, tinyproxy and ssh -D"
