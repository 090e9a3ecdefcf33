# common.sh - shared helpers for petrel's integration tests (bash, sourced).
# shellcheck shell=bash
#
# Owns: the per-test temporary directory, cleanup on exit (servers are
# stopped by the PID they were started with, never by name), free loopback
# ports, waiting for a port, running petrel with a time limit, tmux helpers
# and assertions that say what went wrong.
#
# A test does:
#	. "$(dirname "$0")/../lib/common.sh"
#	t_init sync-imap            # temp dir in $T, fresh XDG dirs, traps
#	t_need dovecot python3      # missing tool: FAIL (never skip)
#	...
#	t_pass "all folders match"
#
# Failures go through t_fail, which prints "FAIL: TEST: reason" on stderr and
# exits 1; the EXIT trap then runs the cleanup actions in reverse order.
# Set T_KEEP=1 to keep the temporary directory for a post-mortem.

# shellcheck disable=SC2034  # T_LIB, T_SECS and T_RC are for the tests
T_LIB=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
T_NAME=${T_NAME:-test}
T=
T_CLEANUP=()

# Print a progress line (to stderr, so command substitutions stay clean).
t_log() {
	printf '%s: %s\n' "$T_NAME" "$*" >&2
}

# Fail the test with a reason; never returns.
t_fail() {
	printf 'FAIL: %s: %s\n' "$T_NAME" "$*" >&2
	exit 1
}

# Report success and exit 0.
t_pass() {
	printf 'PASS: %s%s\n' "$T_NAME" "${1:+: $1}"
	exit 0
}

# Register a cleanup command (run at exit, most recent first).
t_on_exit() {
	T_CLEANUP+=("$*")
}

# Run all cleanup actions; keep the exit status of the test.
t_cleanup() {
	local rc=$? i
	trap - EXIT INT TERM
	for ((i = ${#T_CLEANUP[@]} - 1; i >= 0; i--)); do
		eval "${T_CLEANUP[i]}" || true
	done
	if [ -n "$T" ] && [ -d "$T" ]; then
		if [ "${T_KEEP:-0}" = 1 ] || { [ "$rc" != 0 ] && [ "${T_KEEP_ON_FAIL:-0}" = 1 ]; }; then
			printf '%s: kept %s\n' "$T_NAME" "$T" >&2
		else
			rm -rf -- "$T"
		fi
	fi
	exit "$rc"
}

# Start a test: temp dir $T, fresh XDG_* dirs, UTF-8 locale, exit trap.
t_init() {
	T_NAME=$1
	T=$(mktemp -d "${TMPDIR:-/tmp}/petrel-$T_NAME.XXXXXX") ||
	    t_fail "cannot create a temporary directory"
	# servers running under other uids must be able to reach files below
	chmod 755 "$T"
	trap t_cleanup EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
	export XDG_DATA_HOME=$T/xdg-data XDG_CONFIG_HOME=$T/xdg-config
	export XDG_CACHE_HOME=$T/xdg-cache XDG_STATE_HOME=$T/xdg-state
	mkdir -p "$XDG_DATA_HOME" "$XDG_CONFIG_HOME" "$XDG_CACHE_HOME" "$XDG_STATE_HOME"
	export LANG=C.UTF-8 LC_ALL=C.UTF-8 TZ=UTC
	unset MAIL MAILDIR
	t_log "temporary directory $T"
}

# Fail unless every named program is installed.
t_need() {
	local p missing=()
	for p in "$@"; do
		command -v "$p" >/dev/null 2>&1 || missing+=("$p")
	done
	[ ${#missing[@]} = 0 ] ||
	    t_fail "required program(s) not installed: ${missing[*]} (run scripts/demo or apt-get install; a test never skips)"
}

# Set $PETREL to an absolute path of the binary under test, or fail.
t_find_petrel() {
	local p=${PETREL:-./petrel}
	case $p in
	*/*) ;;
	*) p=$(command -v "$p" || echo "$p") ;;
	esac
	[ -x "$p" ] || t_fail "petrel binary not found or not executable: '$p' (set PETREL=/path/to/petrel)"
	PETREL=$(cd "$(dirname "$p")" && pwd)/$(basename "$p")
	export PETREL
}

# Print N distinct free TCP ports on 127.0.0.1 (kernel-chosen, one a line).
t_free_ports() {
	python3 - "${1:-1}" <<'PY'
import socket, sys
socks = []
for _ in range(int(sys.argv[1])):
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    socks.append(s)
for s in socks:
    print(s.getsockname()[1])
    s.close()
PY
}

# Succeed once something accepts TCP connections on 127.0.0.1:PORT.
t_wait_port() {
	local port=$1 secs=${2:-10} i
	for ((i = 0; i < secs * 10; i++)); do
		if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
			return 0
		fi
		sleep 0.1
	done
	return 1
}

# Stop a process we started: TERM, wait up to 10 s, then KILL.
t_kill_pid() {
	local pid=$1 i
	[ -n "$pid" ] || return 0
	kill -0 "$pid" 2>/dev/null || return 0
	kill -TERM "$pid" 2>/dev/null || return 0
	for ((i = 0; i < 100; i++)); do
		kill -0 "$pid" 2>/dev/null || return 0
		sleep 0.1
	done
	kill -KILL "$pid" 2>/dev/null || true
}

# Run a command with a time limit, stdout/stderr to files $T/NAME.out/.err.
# Sets T_RC (124 on timeout) and T_SECS (elapsed whole seconds).
t_run() {
	local name=$1 limit=$2 start had_e=0
	shift 2
	start=$(date +%s)
	case $- in *e*) had_e=1 ;; esac
	set +e
	timeout -k 5 "$limit" "$@" >"$T/$name.out" 2>"$T/$name.err" </dev/null
	T_RC=$?
	if [ "$had_e" = 1 ]; then set -e; fi
	T_SECS=$(($(date +%s) - start))
	if [ "$T_RC" = 124 ] || [ "$T_RC" = 137 ]; then
		t_show "$name"
		t_fail "'$*' did not finish within ${limit}s"
	fi
	if [ "$T_RC" -ge 128 ]; then
		t_show "$name"
		t_fail "'$*' died from signal $((T_RC - 128)) (crash)"
	fi
}

# Print a captured run's output (for failure messages).
t_show() {
	local name=$1
	{
		echo "--- stdout of $name (first 40 lines):"
		head -n 40 "$T/$name.out" 2>/dev/null
		echo "--- stderr of $name (first 40 lines):"
		head -n 40 "$T/$name.err" 2>/dev/null
		echo "---"
	} >&2
}

# Fail unless two strings are equal.
assert_eq() {
	local want=$1 got=$2 what=$3
	[ "$want" = "$got" ] || t_fail "$what: expected '$want', got '$got'"
}

# Fail unless the last t_run exited with the given status.
assert_rc() {
	local want=$1 name=$2
	if [ "$T_RC" != "$want" ]; then
		t_show "$name"
		t_fail "$name: exit status $T_RC, expected $want"
	fi
}

# Fail unless FILE has exactly N lines.
assert_lines() {
	local want=$1 file=$2 what=$3 got
	got=$(wc -l <"$file")
	# a last line without newline still counts
	if [ -s "$file" ] && [ "$(tail -c 1 "$file" | od -An -c | tr -d ' ')" != '\n' ]; then
		got=$((got + 1))
	fi
	if [ "$got" != "$want" ]; then
		echo "--- $file:" >&2
		head -n 20 "$file" >&2
		t_fail "$what: expected $want line(s), got $got"
	fi
}

# Fail unless FILE matches the extended regular expression.
assert_grep() {
	local re=$1 file=$2 what=$3
	if ! grep -Eq -- "$re" "$file"; then
		echo "--- $file:" >&2
		head -n 20 "$file" >&2
		t_fail "$what: no line matches /$re/"
	fi
}

# Fail if any of FILES contains the fixed string (e.g. a password).
assert_no_string() {
	local s=$1 what=$2 f
	shift 2
	for f in "$@"; do
		[ -e "$f" ] || t_fail "$what: $f is missing, so it proves nothing"
		if grep -Fq -- "$s" "$f"; then
			t_fail "$what: found in $f: $(grep -Fn -- "$s" "$f" | head -n 3 | tr '\n' ' ')"
		fi
	done
}

# Fail if a core file appeared in DIR.
assert_no_core() {
	local dir=$1 c
	c=$(find "$dir" -maxdepth 1 \( -name core -o -name 'core.[0-9]*' \) -print -quit)
	[ -z "$c" ] || t_fail "core dump found: $c"
}

# --- tmux: each test gets its own server socket, killed at exit. ---------

# Start petrel (or any command) in a detached 100x30 tmux session.
# The command's exit status is written to $T/tmux-NAME.rc when it ends;
# the pane then stays (sleeping) so its last screen can still be read.
t_tmux_start() {
	local name=$1
	shift
	T_TMUX_SOCK=$T/tmux.sock
	rm -f "$T/tmux-$name.rc"
	# the tmux server keeps the environment it started with: pass ours
	{
		printf 'export XDG_DATA_HOME=%q XDG_CONFIG_HOME=%q XDG_CACHE_HOME=%q XDG_STATE_HOME=%q\n' \
		    "$XDG_DATA_HOME" "$XDG_CONFIG_HOME" "$XDG_CACHE_HOME" "$XDG_STATE_HOME"
		printf 'export TERM=screen-256color LANG=C.UTF-8 LC_ALL=C.UTF-8 TZ=UTC\n'
		printf '%q ' "$@"
		printf '\necho $? > %q\n' "$T/tmux-$name.rc"
	} >"$T/tmux-$name.cmd"
	if [ -z "${T_TMUX_REGISTERED:-}" ]; then
		t_on_exit 'tmux -S "$T_TMUX_SOCK" kill-server 2>/dev/null'
		T_TMUX_REGISTERED=1
	fi
	tmux -u -S "$T_TMUX_SOCK" -f /dev/null new-session -d -s "$name" -x 100 -y 30 \
	    "bash $T/tmux-$name.cmd; sleep 60" ||
	    t_fail "cannot start tmux"
}

# Send keys (tmux key names) to a session, then give the UI a moment.
t_tmux_keys() {
	local name=$1
	shift
	tmux -S "$T_TMUX_SOCK" send-keys -t "$name" "$@"
	sleep "${T_KEY_DELAY:-0.3}"
}

# Print the visible screen of a session.
t_tmux_screen() {
	tmux -S "$T_TMUX_SOCK" capture-pane -p -t "$1" 2>/dev/null
}

# Wait until the screen contains a fixed string; fail with the screen if not.
t_tmux_wait() {
	local name=$1 text=$2 secs=${3:-15} what=${4:-} i
	for ((i = 0; i < secs * 5; i++)); do
		if t_tmux_screen "$name" | grep -Fq -- "$text"; then
			return 0
		fi
		sleep 0.2
	done
	t_tmux_dump "$name"
	t_fail "${what:+$what: }screen did not show '$text' within ${secs}s"
}

# Wait until the screen matches an extended regex; print the matching line.
t_tmux_wait_re() {
	local name=$1 re=$2 secs=${3:-15} what=${4:-} i line
	for ((i = 0; i < secs * 5; i++)); do
		line=$(t_tmux_screen "$name" | grep -E -m 1 -- "$re" || true)
		if [ -n "$line" ]; then
			printf '%s\n' "$line"
			return 0
		fi
		sleep 0.2
	done
	t_tmux_dump "$name"
	t_fail "${what:+$what: }screen did not match /$re/ within ${secs}s"
}

# Print the screen of a session to stderr, framed.
t_tmux_dump() {
	{
		echo "--- screen of tmux session $1:"
		t_tmux_screen "$1" | sed 's/^/|/'
		echo "---"
	} >&2
}

# Wait until the command in the session has exited; sets T_RC.
t_tmux_wait_exit() {
	local name=$1 secs=${2:-10} i
	for ((i = 0; i < secs * 10; i++)); do
		if [ -s "$T/tmux-$name.rc" ]; then
			T_RC=$(cat "$T/tmux-$name.rc")
			return 0
		fi
		sleep 0.1
	done
	t_tmux_dump "$name"
	t_fail "petrel in tmux session '$name' did not exit within ${secs}s"
}

# --- added for issue 3 (operations, IDLE, resync, reconnect) --------------

# Milliseconds since the epoch (for timing a wait).
t_now_ms() {
	local s
	s=$(date +%s%N)
	printf '%s\n' "$((s / 1000000))"
}

# Retry a command until it succeeds, at most SECS seconds (every 0.2 s);
# fail the test with WHAT (and the command's last stderr) if it never does.
t_poll() {
	local secs=$1 what=$2 i
	shift 2
	for ((i = 0; i < secs * 5; i++)); do
		if "$@" >"$T/poll.out" 2>"$T/poll.err"; then
			return 0
		fi
		sleep 0.2
	done
	{
		echo "--- last output of: $*"
		head -n 20 "$T/poll.out" "$T/poll.err" 2>/dev/null
	} >&2
	t_fail "$what (not true within ${secs}s)"
}

# Send text literally (no key-name lookup), then give the UI a moment.
t_tmux_type() {
	tmux -S "$T_TMUX_SOCK" send-keys -t "$1" -l -- "$2"
	sleep "${T_KEY_DELAY:-0.3}"
}

# Wait until the screen no longer contains a fixed string.
t_tmux_wait_gone() {
	local name=$1 text=$2 secs=${3:-15} what=${4:-} i
	for ((i = 0; i < secs * 5; i++)); do
		if ! t_tmux_screen "$name" | grep -Fq -- "$text"; then
			return 0
		fi
		sleep 0.2
	done
	t_tmux_dump "$name"
	t_fail "${what:+$what: }'$text' is still on the screen after ${secs}s"
}

# Print the text of the highlighted (reverse video) row of the message
# list, without the folder pane (text right of the first '│') and without
# the status line; nothing if no list row is highlighted.
t_tmux_selected() {
	local h
	h=$(tmux -S "$T_TMUX_SOCK" display-message -p -t "$1" '#{pane_height}' 2>/dev/null) || return 0
	# rows 0 .. h-3: without the status line and the message line
	tmux -S "$T_TMUX_SOCK" capture-pane -p -e -t "$1" -S 0 -E "$((h - 3))" 2>/dev/null | python3 -c '
import re, sys
rows = sys.stdin.read().split("\n")
esc = re.compile(r"\x1b\[([0-9;?]*)([A-Za-z])")
rev = False                             # tmux may carry attributes across rows
for row in rows:
    chars, mask, pos = [], [], 0
    for m in list(esc.finditer(row)) + [None]:
        seg = row[pos:m.start()] if m else row[pos:]
        chars.extend(seg)
        mask.extend([rev] * len(seg))
        if m is None:
            break
        if m.group(2) == "m":
            for c in [c for c in m.group(1).split(";") if c] or ["0"]:
                if c == "7":
                    rev = True
                elif c in ("0", "27"):
                    rev = False
        pos = m.end()
    plain = "".join(chars)
    start = plain.index("\u2502") + 1 if "\u2502" in plain else 0
    text = "".join(ch for ch, r in zip(chars[start:], mask[start:]) if r)
    if text.strip():
        print(text.rstrip())
        break
'
}

# Wait until the highlighted list row contains a fixed string.
t_tmux_wait_selected() {
	local name=$1 text=$2 secs=${3:-10} what=${4:-} i sel=
	for ((i = 0; i < secs * 5; i++)); do
		sel=$(t_tmux_selected "$name")
		case $sel in *"$text"*) return 0 ;; esac
		sleep 0.2
	done
	t_tmux_dump "$name"
	t_fail "${what:+$what: }the highlighted row is '$sel', expected it to contain '$text'"
}
