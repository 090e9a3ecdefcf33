#!/usr/bin/env bash
# tls-policy.sh - TLS decisions petrel makes at run time, against a real
# Dovecot (TLS 1.2 and 1.3): versions the local OpenSSL is configured not
# to do, and security = auto meeting a certificate that does not verify.
#
# Versions: petrel runs with OPENSSL_CONF naming an openssl.cnf whose
# system_default section has MinProtocol or MaxProtocol (what a distribution
# or an administrator sets for every program; Dovecot keeps its own).
# - MinProtocol = TLSv1.2 and tls_min = 1.0: `petrel sync` works, and the
#   log warns "tls_min 1.0 is not available ... using TLS 1.2"; with
#   tls_strict = yes one clear error line instead, and no connection.
# - MaxProtocol = TLSv1.2 and tls_max = 1.3: TLS 1.2 is negotiated (Dovecot
#   would do 1.3), with the warning; tls_strict = yes: an error.
# - MaxProtocol = TLSv1.2 and no tls_max: TLS 1.2, without a warning.
#
# Certificates: security = auto with a CA that did not sign the server's
# certificate fails once, with "certificate verification failed" and the
# fingerprint, and does not go on to try STARTTLS (a certificate failure is
# an answer, ERR_TLS_VERIFY, not a sign of the wrong mode); the same account
# with the right CA connects.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/lib/common.sh
. "$here/../lib/common.sh"
# shellcheck source=tests/lib/dovecot.sh
. "$here/../lib/dovecot.sh"

t_init tls-policy
t_need python3 openssl dovecot doveconf timeout env
t_find_petrel

dovecot_init "$T/dovecot" || t_fail "cannot prepare the Dovecot directory"
python3 "$T_LIB/gen-mailbox.py" --out "$(dovecot_maildir alice)" -n 25 --seed 3 \
    --manifest "$T/manifest.json" >&2 || t_fail "gen-mailbox.py failed"
t_on_exit dovecot_stop
dovecot_start || t_fail "Dovecot did not start (see $DOVECOT_DIR/dovecot.log)"
dovecot_make_ca "$T/otherca" other || t_fail "cannot make a second CA"

# ossl_conf NAME DIRECTIVE: an openssl.cnf with one system_default line.
ossl_conf() {
	cat >"$T/$1.cnf" <<-EOF
	openssl_conf = petrel_init
	[petrel_init]
	ssl_conf = petrel_ssl
	[petrel_ssl]
	system_default = petrel_system
	[petrel_system]
	$2
	EOF
}
ossl_conf min12 "MinProtocol = TLSv1.2"
ossl_conf max12 "MaxProtocol = TLSv1.2"

# run LABEL CNF SECURITY CA EXTRA-LINES: petrel sync with OPENSSL_CONF=CNF.
run() {
	local label=$1 cnf=$2 sec=$3 ca=$4 extra=$5
	cat >"$T/$label.conf" <<-EOF
	[account test]
	driver = imap
	host = 127.0.0.1
	port = $DOVECOT_IMAPS_PORT
	user = alice
	password = secret
	security = $sec
	tls_ca_file = $ca
	greeting_timeout = 3
	$extra
	EOF
	rm -f "$XDG_DATA_HOME/petrel/cache.db"
	if [ -n "$cnf" ]; then
		t_run "$label" 60 env OPENSSL_CONF="$T/$cnf.cnf" "$PETREL" \
		    -F "$T/$label.conf" -d debug -L "$T/$label.log" sync test
	else
		t_run "$label" 60 "$PETREL" -F "$T/$label.conf" -d debug \
		    -L "$T/$label.log" sync test
	fi
}

# ok LABEL VERSION: synced, with that version in the log.
ok() {
	assert_rc 0 "$1"
	assert_grep '^INBOX: ' "$T/$1.out" "$1: synced"
	assert_grep "tls: 127\.0\.0\.1:$DOVECOT_IMAPS_PORT: $2\$" "$T/$1.log" "$1: version"
}

# refused LABEL REGEX: one error line matching, and no login.
refused() {
	assert_rc 1 "$1"
	assert_lines 1 "$T/$1.err" "$1: stderr"
	assert_grep "$2" "$T/$1.err" "$1: error"
	t_log "$1: $(cat "$T/$1.err")"
}

# --- versions the OpenSSL configuration forbids ------------------------------
warn_min='tls_min 1\.0 is not available in this OpenSSL \(it can do TLS 1\.2 to 1\.3 here\): using TLS 1\.2'
run min10 min12 implicit "$DOVECOT_CA" "tls_min = 1.0"
ok min10 'TLSv1\.3'
assert_grep "warn tls: $warn_min" "$T/min10.log" "min10: warning"
t_log "min10: $(grep -oE "$warn_min" "$T/min10.log" | head -n 1)"

logins=$(grep -c 'Login: user=<alice>' "$DOVECOT_LOG" || true)
run min10-strict min12 implicit "$DOVECOT_CA" "tls_min = 1.0
tls_strict = yes"
refused min10-strict 'tls_min 1\.0 is not available in this OpenSSL \(it can do TLS 1\.2 to 1\.3 here\) and tls_strict is set'
sleep 0.2
[ "$(grep -c 'Login: user=<alice>' "$DOVECOT_LOG" || true)" = "$logins" ] ||
    t_fail "min10-strict: petrel logged in although tls_strict refused the version"

run max13 max12 implicit "$DOVECOT_CA" "tls_max = 1.3"
ok max13 'TLSv1\.2'
assert_grep 'warn tls: tls_max 1\.3 is not available in this OpenSSL \(it can do TLS 1\.2 only here\): using TLS 1\.2' \
    "$T/max13.log" "max13: warning"

run max-default max12 implicit "$DOVECOT_CA" ""
ok max-default 'TLSv1\.2'
if grep -q 'warn tls:' "$T/max-default.log"; then
	t_fail "max-default: a warning although no version was asked for: $(grep 'warn tls:' "$T/max-default.log")"
fi

run max13-strict max12 implicit "$DOVECOT_CA" "tls_max = 1.3
tls_strict = yes"
refused max13-strict 'tls_max 1\.3 is not available in this OpenSSL \(it can do TLS 1\.2 only here\) and tls_strict is set'

# the control: without the configuration, the same account does 1.3
run max13-plain "" implicit "$DOVECOT_CA" "tls_max = 1.3
tls_strict = yes"
ok max13-plain 'TLSv1\.3'

# --- security = auto and a certificate that does not verify -----------------
run auto-badca "" auto "$T/otherca/other.pem" ""
refused auto-badca "certificate verification failed: .*\(server certificate sha256:"
if grep -q 'STARTTLS' "$T/auto-badca.err"; then
	t_fail "auto-badca: the error mentions a STARTTLS attempt: $(cat "$T/auto-badca.err")"
fi
if grep -q 'trying STARTTLS' "$T/auto-badca.log"; then
	t_fail "auto-badca: petrel went on to STARTTLS after a certificate failure"
fi
run auto-goodca "" auto "$DOVECOT_CA" ""
ok auto-goodca 'TLSv1\.3'
assert_grep 'connected with implicit TLS' "$T/auto-goodca.log" "auto-goodca: mode"

t_pass "OpenSSL-configured version limits (moved with a warning, or refused with tls_strict); auto stops at a certificate failure"
