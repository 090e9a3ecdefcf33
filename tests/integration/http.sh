#!/usr/bin/env bash
# http.sh - the libcurl side of the connection settings (src/net/http.h)
# against real HTTPS servers and real proxies on loopback, driven by
# tests/unit/http_probe (built with the unit tests).
#
# Servers: tests/lib/https-server.py (Python's ssl) with certificates made
# here: a CA-signed one (TLS 1.2 and 1.3), a TLS-1.3-only one with a
# self-signed certificate, a TLS-1.2-only one, one whose certificate names
# another host, one that requires a client certificate, a plain-HTTP one,
# and a silent one that accepts and never speaks.  Proxies: Dante (SOCKS4,
# SOCKS5, SOCKS5 with username/password), tinyproxy (HTTP CONNECT with and
# without Basic authentication) and OpenSSH's dynamic forwarding (SOCKS4a
# and SOCKS5 with the name resolved by the proxy), from tests/lib/net.sh.
#
# Proves: through each proxy a 2 MiB file arrives with its SHA-256 and the
# proxy's own log shows the tunnel; TLS versions (tls_max = 1.2 against a
# 1.3-only server fails naming the allowed range), the pin (a match works
# without a CA, a wrong one fails naming both fingerprints), untrusted and
# misnamed certificates fail with the reason and the fingerprint, client
# certificates reach the server; http only with security = none; a silent
# server fails within the connect timeout, a stalled transfer within the
# operation timeout, a slow but live one is not cut, the wake fd cancels at
# once; the *_proxy environment is ignored; proxy refusals are errors that
# name the proxy; an account from a config file (with [proxy] and
# password_command) gets the same behaviour; the proxy password (and its
# base64 form) is in no output and no -d trace log.
#
# Packages: python3 openssl dante-server tinyproxy openssh-server
# openssh-client.  Run as root (Dante's username method checks a
# throwaway system user created here).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/lib/common.sh
. "$here/../lib/common.sh"
# shellcheck source=tests/lib/dovecot.sh
. "$here/../lib/dovecot.sh"
# shellcheck source=tests/lib/net.sh
. "$here/../lib/net.sh"

t_init http
t_need python3 openssl timeout useradd chpasswd sha256sum base64
net_need danted tinyproxy sshd ssh
# Only the probe is needed (nothing in petrel speaks HTTP yet); it sits in
# the build directory next to petrel.
PROBE=${HTTP_PROBE:-$(dirname "${PETREL:-./petrel}")/tests/unit/http_probe}
[ -x "$PROBE" ] ||
    t_fail "http_probe not found at $PROBE (make tests/unit/http_probe, or set HTTP_PROBE)"
PROBE=$(cd "$(dirname "$PROBE")" && pwd)/$(basename "$PROBE")

PUSER=petrelhx$$
PPASS="hx-$RANDOM-secret"
PB64=$(printf '%s:%s' "$PUSER" "$PPASS" | base64)
PB64=${PB64%%=*}

# --- certificates and content ---------------------------------------------
C=$T/certs
mkdir -p "$C" "$T/www"
chmod 755 "$C"
dovecot_make_ca "$C" ca || t_fail "cannot make the CA"
dovecot_make_cert "$C" server "$C/ca" || t_fail "cannot make the server certificate"
dovecot_make_cert "$C" wrong "$C/ca" "DNS:wrong.example" || t_fail "cannot make the misnamed certificate"
net_self_signed "$C" self
dovecot_make_ca "$C" clientca || t_fail "cannot make the client CA"
cat >"$C/client.ext" <<EOF
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = clientAuth
EOF
openssl req -new -nodes -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 \
    -subj "/CN=petrel-client" -keyout "$C/client.key" -out "$C/client.csr" \
    >/dev/null 2>&1 || t_fail "cannot make the client key"
openssl x509 -req -in "$C/client.csr" -days 30 -sha256 -CA "$C/clientca.pem" \
    -CAkey "$C/clientca.key" -CAcreateserial -extfile "$C/client.ext" \
    -out "$C/client.pem" >/dev/null 2>&1 || t_fail "cannot sign the client certificate"
CA=$C/ca.pem
SELF_FP=$(net_fingerprint "$C/self.pem")
SERVER_FP=$(net_fingerprint "$C/server.pem")
head -c 2097152 /dev/urandom >"$T/www/file.bin"
SUM=$(sha256sum "$T/www/file.bin" | cut -d' ' -f1)

# --- the servers ----------------------------------------------------------
# serve NAME ARGS...: start https-server.py; sets PORT, LOG_<NAME>.
serve() {
	local name=$1 pid i
	shift
	python3 "$T_LIB/https-server.py" --root "$T/www" --log "$T/$name.log" "$@" \
	    >"$T/$name.port" 2>"$T/$name.err" &
	pid=$!
	t_on_exit "t_kill_pid $pid"
	for ((i = 0; i < 100; i++)); do
		[ -s "$T/$name.port" ] && break
		sleep 0.1
	done
	PORT=$(cat "$T/$name.port")
	if [ -z "$PORT" ] || ! t_wait_port "$PORT" 5; then
		cat "$T/$name.err" >&2
		t_fail "https-server.py $name did not start"
	fi
	touch "$T/$name.log"
}

serve main --cert "$C/server.pem" --key "$C/server.key"
MAIN=$PORT
serve only13 --cert "$C/self.pem" --key "$C/self.key" --tls13-only
ONLY13=$PORT
serve only12 --cert "$C/server.pem" --key "$C/server.key" --tls12-only
ONLY12=$PORT
serve wrong --cert "$C/wrong.pem" --key "$C/wrong.key"
WRONG=$PORT
serve client --cert "$C/server.pem" --key "$C/server.key" --client-ca "$C/clientca.pem"
CLIENT=$PORT
serve plain
PLAIN=$PORT
serve silent --silent
SILENT=$PORT
CLOSED=$(t_free_ports 1)

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
t_log "https $MAIN (1.3-only $ONLY13, 1.2-only $ONLY12, wrong name $WRONG, client cert $CLIENT), http $PLAIN, silent $SILENT"
t_log "dante $DANTE (auth $DANTE_AUTH), tinyproxy $TINY (auth $TINY_AUTH), ssh -D $SSHD"

# --- helpers --------------------------------------------------------------
# probe LABEL ARGS...: run the probe with a trace log; no password anywhere.
probe() {
	local label=$1
	shift
	PETREL_PROXY_PASSWORD=${PW:-$PPASS} t_run "$label" 60 "$PROBE" \
	    --log "$T/$label.trace" "$@"
	assert_no_string "$PPASS" "$label: proxy password leaked" \
	    "$T/$label.out" "$T/$label.err" "$T/$label.trace"
	assert_no_string "$PB64" "$label: proxy password (base64) leaked" \
	    "$T/$label.out" "$T/$label.err" "$T/$label.trace"
}
# ok LABEL VERSION ARGS...: status 200, that TLS version, the file's hash.
ok() {
	local label=$1 ver=$2
	shift 2
	probe "$label" "$@"
	assert_rc 0 "$label"
	assert_grep '^status: 200$' "$T/$label.out" "$label: status"
	assert_grep "^tls: $ver\$" "$T/$label.out" "$label: TLS version"
	assert_grep "^sha256: $SUM\$" "$T/$label.out" "$label: body"
	t_log "$label: ok ($ver)"
}
# no LABEL CODE REGEX ARGS...: exit 1 with that error.
no() {
	local label=$1 code=$2 re=$3
	shift 3
	probe "$label" "$@"
	assert_rc 1 "$label"
	assert_lines 1 "$T/$label.err" "$label: one error line"
	assert_grep "^error: $code: $re" "$T/$label.err" "$label: error"
	t_log "$label: $(cat "$T/$label.err")"
}
# tunnel LABEL LOG HOST PORT BEFORE: the proxy's log shows the tunnel.
tunnel() {
	local label=$1 log=$2 host=$3 port=$4 before=$5
	sleep 0.3
	tail -n +"$((before + 1))" "$log" >"$T/$label.plog"
	case $log in
	"$TINY_LOG" | "$TINY_AUTH_LOG")
		assert_grep "CONNECT $host:$port" "$T/$label.plog" "$label: tinyproxy log" ;;
	"$SSH_LOG")
		assert_grep "dynamic request: socks[45] host $host port $port" \
		    "$T/$label.plog" "$label: ssh -D log" ;;
	*) assert_grep "127\.0\.0\.1\.$port" "$T/$label.plog" "$label: danted log" ;;
	esac
}
# via LABEL LOG HOST PROXYSPEC [USER]: the file through a proxy.
via() {
	local label=$1 log=$2 host=$3 spec=$4 user=${5:-} before
	before=$(wc -l <"$log")
	ok "$label" TLSv1.3 --ca "$CA" --proxy "$spec" ${user:+--proxy-user "$user"} \
	    "https://$host:$MAIN/file.bin"
	tunnel "$label" "$log" "$host" "$MAIN" "$before"
}

# --- direct: TLS ------------------------------------------------------------
ok direct TLSv1.3 --ca "$CA" "https://127.0.0.1:$MAIN/file.bin"
ok direct-name TLSv1.3 --ca "$CA" "https://localhost:$MAIN/file.bin"
ok direct-max12 TLSv1.2 --ca "$CA" --tls-max 12 "https://127.0.0.1:$MAIN/file.bin"
ok only12 TLSv1.2 --ca "$CA" "https://127.0.0.1:$ONLY12/file.bin"
no only13-max12 tls "127\.0\.0\.1:$ONLY13: TLS handshake: .*\(this account allows TLS 1\.2 to 1\.2 only\)\$" \
    --pin "$SELF_FP" --tls-max 12 "https://127.0.0.1:$ONLY13/file.bin"
assert_grep 'handshake-failed' "$T/only13.log" "only13-max12: the server saw the handshake fail"
no only12-min13 tls "127\.0\.0\.1:$ONLY12: TLS handshake: .*\(this account allows TLS 1\.3 to 1\.3 only\)\$" \
    --ca "$CA" --tls-min 13 "https://127.0.0.1:$ONLY12/file.bin"
ok pinned TLSv1.3 --pin "$SELF_FP" "https://127.0.0.1:$ONLY13/file.bin"
ok pinned-name TLSv1.3 \
    --pin "$(printf '%s' "$SELF_FP" | tr 'A-F' 'a-f' | tr -d ':' | sed 's/^sha256/sha256:/')" \
    "https://localhost:$ONLY13/file.bin"
no wrong-pin tls \
    "127\.0\.0\.1:$MAIN: server certificate $SERVER_FP does not match the pinned fingerprint $SELF_FP\$" \
    --ca "$CA" --pin "$SELF_FP" "https://127.0.0.1:$MAIN/file.bin"
no untrusted-self tls \
    "127\.0\.0\.1:$ONLY13: certificate verification failed: self-signed certificate \(server certificate $SELF_FP\)\$" \
    "https://127.0.0.1:$ONLY13/file.bin"
no untrusted-ca tls \
    "127\.0\.0\.1:$MAIN: certificate verification failed: unable to get local issuer certificate \(server certificate $SERVER_FP\)\$" \
    "https://127.0.0.1:$MAIN/file.bin"
no wrong-name tls \
    "localhost:$WRONG: certificate verification failed: .*localhost.* \(server certificate sha256:[0-9A-F:]{95}\)\$" \
    --ca "$CA" "https://localhost:$WRONG/file.bin"
ok insecure TLSv1.3 --no-verify "https://localhost:$WRONG/file.bin"
# TLS 1.3: the server refuses after the client's Finished and closes; the
# alert arrives if it beats the reset, else the request's send fails.
no no-client-cert "(tls|network)" \
    "127\.0\.0\.1:$CLIENT: (TLS alert from the server: certificate required|the connection broke while (sending|receiving))" \
    --ca "$CA" "https://127.0.0.1:$CLIENT/file.bin"
ok client-cert TLSv1.3 --ca "$CA" --cert "$C/client.pem" --key "$C/client.key" \
    "https://127.0.0.1:$CLIENT/file.bin"
assert_grep '^client-cert petrel-client$' "$T/client.log" "client-cert: the server saw it"
no bad-ciphers config "tls_ciphers 'NOPE': OpenSSL knows none of these ciphers" \
    --ca "$CA" --ciphers NOPE "https://127.0.0.1:$MAIN/file.bin"
ok suite TLSv1.3 --ca "$CA" --ciphersuites TLS_CHACHA20_POLY1305_SHA256 \
    "https://127.0.0.1:$MAIN/file.bin"

# --- direct: protocols, headers, environment ------------------------------
no http-refused config "127\.0\.0\.1:$PLAIN: only https is allowed \(plain http needs security = none\)" \
    "http://127.0.0.1:$PLAIN/file.bin"
[ ! -s "$T/plain.log" ] || t_fail "http-refused: a request reached the server"
ok http-plain none --plain "http://127.0.0.1:$PLAIN/file.bin"
TOKEN="tok-$RANDOM-bearer"
ok bearer TLSv1.3 --ca "$CA" --header "Authorization: Bearer $TOKEN" \
    "https://127.0.0.1:$MAIN/file.bin"
assert_grep "authorization=Bearer $TOKEN\$" "$T/main.log" "bearer: the server got the header"
assert_grep '> Authorization: <redacted>' "$T/bearer.trace" "bearer: trace shows the redacted header"
assert_no_string "$TOKEN" "bearer: token in the trace" "$T/bearer.trace" "$T/bearer.out" "$T/bearer.err"
probe too-big --ca "$CA" --max 1000000 "https://127.0.0.1:$MAIN/file.bin"
assert_rc 1 too-big
assert_grep '^error: too big: the response is larger than 1000000 bytes$' "$T/too-big.err" "too-big: error"
https_proxy=http://127.0.0.1:$CLOSED HTTPS_PROXY=http://127.0.0.1:$CLOSED \
    ALL_PROXY=socks5://127.0.0.1:$CLOSED ok env-proxy-ignored TLSv1.3 --ca "$CA" \
    "https://127.0.0.1:$MAIN/file.bin"

# --- direct: time ---------------------------------------------------------
no silent timeout "127\.0\.0\.1:$SILENT: no connection within 2 s\$" \
    --ca "$CA" --connect-timeout 2000 "https://127.0.0.1:$SILENT/file.bin"
[ "$T_SECS" -le 3 ] || t_fail "silent: took $T_SECS s for a 2 s connect timeout"
silent_secs=$T_SECS
no stall timeout "127\.0\.0\.1:$MAIN: timed out after 2 s without data\$" \
    --ca "$CA" --timeout 2000 "https://127.0.0.1:$MAIN/stall"
[ "$T_SECS" -le 3 ] || t_fail "stall: took $T_SECS s for a 2 s timeout"
probe drip --ca "$CA" --timeout 1500 "https://127.0.0.1:$MAIN/drip"
assert_rc 0 drip
assert_grep '^status: 200$' "$T/drip.out" "drip: a live 4 s transfer outlasts a 1.5 s timeout"
[ "$T_SECS" -ge 3 ] || t_fail "drip: took only $T_SECS s (is /drip slow?)"
start=$(t_now_ms)
no cancel cancelled "127\.0\.0\.1:$SILENT: interrupted\$" \
    --ca "$CA" --connect-timeout 30000 --wake-after 500 "https://127.0.0.1:$SILENT/"
ms=$(($(t_now_ms) - start))
[ "$ms" -lt 2500 ] || t_fail "cancel: took $ms ms after a wake at 500 ms"
t_log "time: silent ${silent_secs}s, cancel ${ms}ms"

# --- through each proxy -----------------------------------------------------
via socks4-dante "$DANTE_LOG" 127.0.0.1 "socks4:127.0.0.1:$DANTE"
via socks5-dante "$DANTE_LOG" 127.0.0.1 "socks5:127.0.0.1:$DANTE"
via socks5-dante-name "$DANTE_LOG" localhost "socks5:127.0.0.1:$DANTE"
via socks5-dante-auth "$DANTE_AUTH_LOG" 127.0.0.1 "socks5:127.0.0.1:$DANTE_AUTH" "$PUSER"
via http-tinyproxy "$TINY_LOG" 127.0.0.1 "http:127.0.0.1:$TINY"
via http-tinyproxy-auth "$TINY_AUTH_LOG" 127.0.0.1 "http:127.0.0.1:$TINY_AUTH" "$PUSER"
assert_grep '> Proxy-Authorization: <redacted>' "$T/http-tinyproxy-auth.trace" \
    "http-tinyproxy-auth: trace shows the redacted header"
via socks4a-ssh "$SSH_LOG" localhost "socks4a:127.0.0.1:$SSHD"
via socks5h-ssh "$SSH_LOG" localhost "socks5:127.0.0.1:$SSHD"
via socks4-ssh "$SSH_LOG" 127.0.0.1 "socks4:127.0.0.1:$SSHD"
# one handle, three requests: the connection (and its pin check) is reused
probe repeat --ca "$CA" --repeat 3 --proxy "socks5:127.0.0.1:$DANTE_AUTH" \
    --proxy-user "$PUSER" "https://localhost:$MAIN/file.bin"
assert_rc 0 repeat
[ "$(grep -c "^sha256: $SUM\$" "$T/repeat.out")" = 3 ] || t_fail "repeat: not 3 good bodies"
assert_grep 'Re-using existing connection' "$T/repeat.trace" "repeat: connection reused"
before=$(wc -l <"$DANTE_LOG")
ok pinned-via-socks5 TLSv1.3 --pin "$SELF_FP" --proxy "socks5:127.0.0.1:$DANTE" \
    "https://localhost:$ONLY13/file.bin"
tunnel pinned-via-socks5 "$DANTE_LOG" localhost "$ONLY13" "$before"

# --- proxy refusals ---------------------------------------------------------
PW=wrong-password no socks5-bad-password authentication \
    "SOCKS5 proxy 127\.0\.0\.1:$DANTE_AUTH: username/password authentication failed\$" \
    --ca "$CA" --proxy "socks5:127.0.0.1:$DANTE_AUTH" --proxy-user "$PUSER" \
    "https://127.0.0.1:$MAIN/file.bin"
no socks5-no-credentials authentication \
    "SOCKS5 proxy 127\.0\.0\.1:$DANTE_AUTH: no acceptable authentication method\$" \
    --ca "$CA" --proxy "socks5:127.0.0.1:$DANTE_AUTH" "https://127.0.0.1:$MAIN/file.bin"
no http-407 authentication "HTTP proxy 127\.0\.0\.1:$TINY_AUTH: 407 Proxy Authentication Required\$" \
    --ca "$CA" --proxy "http:127.0.0.1:$TINY_AUTH" "https://127.0.0.1:$MAIN/file.bin"
PW=wrong-password no http-407-wrong authentication "HTTP proxy 127\.0\.0\.1:$TINY_AUTH: 40[17] " \
    --ca "$CA" --proxy "http:127.0.0.1:$TINY_AUTH" --proxy-user "$PUSER" \
    "https://127.0.0.1:$MAIN/file.bin"
no socks5-closed-port network \
    "SOCKS5 proxy 127\.0\.0\.1:$DANTE: (connection refused by destination|host unreachable|general SOCKS server failure)\$" \
    --ca "$CA" --proxy "socks5:127.0.0.1:$DANTE" "https://127.0.0.1:$CLOSED/"
no socks4-closed-port network "SOCKS4 proxy 127\.0\.0\.1:$DANTE: request rejected or failed\$" \
    --ca "$CA" --proxy "socks4:127.0.0.1:$DANTE" "https://127.0.0.1:$CLOSED/"
no http-closed-port network "HTTP proxy 127\.0\.0\.1:$TINY: 5[0-9][0-9] " \
    --ca "$CA" --proxy "http:127.0.0.1:$TINY" "https://127.0.0.1:$CLOSED/"
no proxy-down network "SOCKS5 proxy 127\.0\.0\.1:$CLOSED: cannot connect: Connection refused\$" \
    --ca "$CA" --proxy "socks5:127.0.0.1:$CLOSED" "https://127.0.0.1:$MAIN/file.bin"
no untrusted-via-socks5 tls \
    "127\.0\.0\.1:$ONLY13 via SOCKS5 proxy 127\.0\.0\.1:$DANTE: certificate verification failed: self-signed certificate \(server certificate $SELF_FP\)\$" \
    --proxy "socks5:127.0.0.1:$DANTE" "https://127.0.0.1:$ONLY13/file.bin"

# --- an account from a config file ------------------------------------------
printf '%s\n' "$PPASS" >"$T/proxy-pass"
chmod 600 "$T/proxy-pass"
cat >"$T/petrel.conf" <<EOF
[general]
proxy = unreachable

[proxy unreachable]
type = socks5
host = 127.0.0.1
port = $CLOSED

[proxy tiny]
type = http
host = 127.0.0.1
port = $TINY_AUTH
username = $PUSER
password_command = cat $T/proxy-pass

[account web]
driver = imap
host = 127.0.0.1
port = $MAIN
user = alice
password = secret
tls_ca_file = $CA
tls_max = 1.2
proxy = tiny

[account direct]
driver = imap
host = 127.0.0.1
port = $ONLY13
user = alice
password = secret
tls_fingerprint = $SELF_FP
proxy = none
EOF
before=$(wc -l <"$TINY_AUTH_LOG")
PW=not-this-one ok config-proxy TLSv1.2 --config "$T/petrel.conf" --account web \
    "https://127.0.0.1:$MAIN/file.bin"
tunnel config-proxy "$TINY_AUTH_LOG" 127.0.0.1 "$MAIN" "$before"
ok config-direct TLSv1.3 --config "$T/petrel.conf" --account direct \
    "https://127.0.0.1:$ONLY13/file.bin"

t_pass "HTTPS through Dante, tinyproxy and ssh -D; TLS versions, pins, certificates, timeouts, cancel and redaction"
