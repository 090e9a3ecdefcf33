#!/usr/bin/env bash
# tls.sh - TLS versions and certificate pins against real Dovecots.
#
# Three private Dovecot instances: the default one (TLS 1.2 and 1.3), a
# TLS-1.3-only one (ssl_min_protocol = TLSv1.3) serving a self-signed
# certificate, and a TLS-1.2-only one (Dovecot 2.3 has no maximum setting:
# its login processes get an OpenSSL config with MaxProtocol = TLSv1.2
# through import_environment = OPENSSL_CONF=...).
#
# With the net layer directly (tests/unit/transport_probe) and with
# `petrel sync` (tls_min / tls_max / tls_fingerprint in [account]):
# - the version negotiated is the one the range allows (1.2 with
#   tls_max = 1.2, 1.3 by default), and a range the server cannot meet is
#   refused (tls_min = 1.3 against the 1.2-only server, tls_max = 1.2
#   against the 1.3-only one);
# - a self-signed certificate is accepted when pinned (no CA configured),
#   refused without the pin with its fingerprint in the message, and a
#   wrong pin is refused even with the right CA, showing the real
#   fingerprint;
# - bad tls_ciphers / tls_ciphersuites are clear errors.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/lib/common.sh
. "$here/../lib/common.sh"
# shellcheck source=tests/lib/dovecot.sh
. "$here/../lib/dovecot.sh"
# shellcheck source=tests/lib/net.sh
. "$here/../lib/net.sh"

t_init tls
t_need python3 openssl dovecot doveadm timeout
t_find_petrel
net_find_probe

# --- the servers ----------------------------------------------------------
dovecot_init "$T/dovecot" || t_fail "cannot prepare the Dovecot directory"
python3 "$T_LIB/gen-mailbox.py" --out "$(dovecot_maildir alice)" -n 25 --seed 5 \
    --manifest "$T/manifest.json" >&2 || t_fail "gen-mailbox.py failed"
t_on_exit dovecot_stop
dovecot_start || t_fail "Dovecot did not start"
BOTH=$DOVECOT_IMAPS_PORT

mkdir -p "$T/certs"
chmod 755 "$T/certs"
net_self_signed "$T/certs" self
SELF_FP=$(net_fingerprint "$T/certs/self.pem")
net_start_dovecot dv13 "ssl_min_protocol = TLSv1.3
ssl_cert = <$T/certs/self.pem
ssl_key = <$T/certs/self.key"
ONLY13=$NET_DV_IMAPS_PORT
cat >"$T/certs/max12.cnf" <<EOF
openssl_conf = openssl_init
[openssl_init]
ssl_conf = ssl_sect
[ssl_sect]
system_default = system_default_sect
[system_default_sect]
MaxProtocol = TLSv1.2
EOF
chmod 644 "$T/certs/max12.cnf"
net_start_dovecot dv12 "import_environment = \$import_environment OPENSSL_CONF=$T/certs/max12.cnf"
ONLY12=$NET_DV_IMAPS_PORT CA12=$NET_DV_CA
DV13_DIR=$T/dv13 DV12_DIR=$T/dv12
for u in dv13 dv12; do
	python3 "$T_LIB/gen-mailbox.py" --out "$T/$u/home/alice/Maildir" -n 25 --seed 5 \
	    --manifest "$T/$u-manifest.json" >/dev/null 2>&1 || t_fail "gen-mailbox.py failed"
done
# the mail homes belong to the mail uid
chown -R --reference="$DOVECOT_DIR/home/alice" "$DV13_DIR/home" "$DV12_DIR/home"
t_log "imaps: 1.2+1.3 on $BOTH, 1.3-only (self-signed) on $ONLY13, 1.2-only on $ONLY12"

# --- the net layer --------------------------------------------------------
# ok LABEL VERSION ARGS...: connects, negotiates VERSION, reads a greeting.
ok() {
	local label=$1 ver=$2
	shift 2
	net_probe "$label" --tls "$@"
	assert_rc 0 "$label"
	assert_grep "^version: $ver\$" "$T/$label.out" "$label: version"
	assert_grep '^line: \* OK ' "$T/$label.out" "$label: greeting"
	t_log "$label: $ver"
}
# no LABEL CODE REGEX ARGS...: refused with that error.
no() {
	local label=$1 code=$2 re=$3
	shift 3
	net_probe "$label" --tls "$@"
	assert_rc 1 "$label"
	assert_grep "^error: $code: $re" "$T/$label.err" "$label: error"
	t_log "$label: $(cat "$T/$label.err")"
}

ok default TLSv1.3 --ca "$DOVECOT_CA" 127.0.0.1 "$BOTH"
ok max12 TLSv1.2 --ca "$DOVECOT_CA" --tls-max 12 127.0.0.1 "$BOTH"
ok only12-default TLSv1.2 --ca "$CA12" 127.0.0.1 "$ONLY12"
no only12-min13 tls "127\.0\.0\.1:$ONLY12: TLS handshake: .*\(this account allows TLS 1\.3 to 1\.3 only\)" \
    --ca "$CA12" --tls-min 13 127.0.0.1 "$ONLY12"
ok only13-pinned TLSv1.3 --pin "$SELF_FP" 127.0.0.1 "$ONLY13"
ok only13-pinned-lower TLSv1.3 --pin "$(printf '%s' "$SELF_FP" | tr 'A-F' 'a-f' | tr -d ':' | sed 's/^sha256/sha256:/')" \
    localhost "$ONLY13"
no only13-max12 tls "127\.0\.0\.1:$ONLY13: TLS handshake: .*\(this account allows TLS 1\.2 to 1\.2 only\)" \
    --pin "$SELF_FP" --tls-max 12 127.0.0.1 "$ONLY13"
no self-signed-unpinned tls \
    "127\.0\.0\.1:$ONLY13: certificate verification failed: self-signed certificate \(server certificate $SELF_FP\)" \
    127.0.0.1 "$ONLY13"
REAL_FP=$(net_fingerprint "$DOVECOT_DIR/tls/server.pem")
no wrong-pin tls \
    "127\.0\.0\.1:$BOTH: server certificate $REAL_FP does not match the pinned fingerprint $SELF_FP" \
    --ca "$DOVECOT_CA" --pin "$SELF_FP" 127.0.0.1 "$BOTH"
no bad-ciphers config "tls_ciphers 'NOPE': OpenSSL knows none of these ciphers" \
    --ca "$DOVECOT_CA" --ciphers NOPE 127.0.0.1 "$BOTH"
no bad-suites config "tls_ciphersuites 'TLS_NOPE' rejected by OpenSSL" \
    --ca "$DOVECOT_CA" --ciphersuites TLS_NOPE 127.0.0.1 "$BOTH"
ok suite TLSv1.3 --ca "$DOVECOT_CA" --ciphersuites TLS_CHACHA20_POLY1305_SHA256 127.0.0.1 "$BOTH"

# --- petrel sync with the config keys -------------------------------------
# sync_cfg LABEL PORT EXTRA-LINES: write a config, run petrel sync.
sync_cfg() {
	local label=$1 port=$2 extra=$3
	printf '[account test]\ndriver = imap\nhost = 127.0.0.1\nport = %s\nuser = alice\npassword = secret\nsecurity = implicit\n%s\n' \
	    "$port" "$extra" >"$T/$label.conf"
	rm -f "$XDG_DATA_HOME/petrel/cache.db"
	t_run "sync-$label" 120 "$PETREL" -F "$T/$label.conf" -d debug,tls,net \
	    -L "$T/sync-$label.log" sync test
}
# sync_ok LABEL PORT VERSION EXTRA: succeeds, and the TLS log says VERSION.
sync_ok() {
	sync_cfg "$1" "$2" "$4"
	assert_rc 0 "sync-$1"
	assert_grep '^INBOX: ' "$T/sync-$1.out" "$1: synced"
	assert_grep "$3" "$T/sync-$1.log" "$1: negotiated version in the log"
	t_log "$1: petrel sync ok ($3)"
}
# sync_no LABEL PORT REGEX EXTRA: fails with one petrel: line matching.
sync_no() {
	sync_cfg "$1" "$2" "$4"
	assert_rc 1 "sync-$1"
	assert_lines 1 "$T/sync-$1.err" "$1: one error line"
	assert_grep "$3" "$T/sync-$1.err" "$1: error"
	t_log "$1: $(cat "$T/sync-$1.err")"
}

sync_ok max12 "$BOTH" 'TLSv1\.2' "tls_ca_file = $DOVECOT_CA
tls_max = 1.2"
sync_ok min13 "$BOTH" 'TLSv1\.3' "tls_ca_file = $DOVECOT_CA
tls_min = 1.3"
sync_no only12-min13 "$ONLY12" "TLS handshake.*allows TLS 1\.3 to 1\.3 only" "tls_ca_file = $CA12
tls_min = 1.3"
sync_no only13-max12 "$ONLY13" "TLS handshake.*allows TLS 1\.2 to 1\.2 only" "tls_fingerprint = $SELF_FP
tls_max = 1.2"
sync_ok pinned-self-signed "$ONLY13" 'TLSv1\.3' "tls_fingerprint = $SELF_FP"
sync_no unpinned-self-signed "$ONLY13" "certificate verification failed.*$SELF_FP" ""
sync_no wrong-pin "$BOTH" "server certificate $REAL_FP does not match the pinned fingerprint" \
    "tls_ca_file = $DOVECOT_CA
tls_fingerprint = $SELF_FP"

t_pass "TLS versions, pins and cipher settings against Dovecot"
