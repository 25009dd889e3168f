# shellcheck shell=sh
# /vm/lib.sh: helpers sourced by the VM-side tests (busybox sh).
# Results go to the console as "@@SPVM ok - NAME # FIGURE" or "@@SPVM not ok -
# NAME # WHY" and to $SPVM_RESULTS; run.sh on the host turns them into TAP.

CG=/sys/fs/cgroup
SPVM_RESULTS=/tmp/spvm.results
SANDPOOL=${SANDPOOL:-/bin/sandpool}
POLICIES=/vm/policies
export CG SPVM_RESULTS SANDPOOL POLICIES

# --- reporting --------------------------------------------------------------
pass() { # NAME FIGURE
	echo "ok - $1 # $2" >>"$SPVM_RESULTS"
	echo "@@SPVM ok - $1 # $2"
}
fail() { # NAME WHY
	echo "not ok - $1 # $2" >>"$SPVM_RESULTS"
	echo "@@SPVM not ok - $1 # $2"
}
diag() { echo "@@SPVM # $*"; }
# Show a file's first lines as diagnostics (what a failing command said).
diag_file() { # FILE [LINES]
	[ -s "$1" ] || return 0
	head -n "${2:-5}" "$1" | while IFS= read -r l; do diag "  $l"; done
}

# --- time and numbers -------------------------------------------------------
now_ms() { awk '{ printf "%d\n", $1 * 1000 }' /proc/uptime; }
# fcheck EXPR: true when the awk expression (on numbers) holds.
fcheck() { awk "BEGIN { exit !($1) }"; }
fdiv() { awk "BEGIN { printf \"%.3f\n\", ($1) / ($2) }"; }

# --- raw cgroups ------------------------------------------------------------
# cg_new NAME [CONTROLLERS]: a fresh cgroup $CG/NAME (an old one is killed and
# removed first; a cgroup is never reused after a cgroup.kill).
cg_new() {
	cg_destroy "$CG/$1"
	mkdir "$CG/$1" || return 1
	if [ -n "${2:-}" ]; then
		echo "$2" >"$CG/$1/cgroup.subtree_control" || return 1
	fi
	echo "$CG/$1"
}
# cg_key CGROUP FILE KEY: the value of KEY in a flat-keyed file (memory.events...).
cg_key() { awk -v k="$3" '$1 == k { print $2 }' "$1/$2"; }
cg_populated() { [ "$(cg_key "$1" cgroup.events populated)" = 1 ]; }
# cg_wait_empty CGROUP MS: wait up to MS milliseconds for "populated 0".
cg_wait_empty() {
	end=$(($(now_ms) + $2))
	while cg_populated "$1"; do
		[ "$(now_ms)" -lt "$end" ] || return 1
		usleep 10000
	done
}
# cg_run CGROUP CMD...: run CMD inside CGROUP (in the foreground).
cg_run() {
	(
		cg=$1
		shift
		echo 0 >"$cg/cgroup.procs" || exit 125
		exec "$@"
	)
}
# cg_destroy CGROUP: kill everything in it and remove it with its children.
cg_destroy() {
	[ -d "$1" ] || return 0
	for sub in "$1"/*/; do
		[ -d "$sub" ] && cg_destroy "${sub%/}"
	done
	if cg_populated "$1"; then
		echo 1 >"$1/cgroup.kill"
		cg_wait_empty "$1" 2000
	fi
	rmdir "$1"
}
nprocs() { wc -l <"$1/cgroup.procs"; }

# survivors MARKER [COMM]: pids of processes whose command line contains MARKER
# (and whose name is COMM, when given: sandpool's own command line, and its
# warden's, hold the task's command too). The watcher that busybox timeout
# leaves behind for up to a second is not a survivor either.
survivors() {
	# One ps for the whole table (forks are slow under TCG); the marker goes to
	# awk through the environment so that awk's own command line lacks it.
	ps -o pid,comm,args | SURV_M="$1" SURV_C="${2:-}" awk '
		NR > 1 && $2 != "timeout" && (ENVIRON["SURV_C"] == "" || $2 == ENVIRON["SURV_C"]) &&
			index($0, ENVIRON["SURV_M"]) { print $1 }'
}

# --- sandpool ---------------------------------------------------------------
# need_sandpool NAME: fail NAME (and return 1) when there is no sandpool binary.
need_sandpool() {
	if [ ! -x "$SANDPOOL" ]; then
		fail "$1" "NOT IMPLEMENTED YET: no sandpool binary in the VM image (was it built? run.sh --sandpool PATH)"
		return 1
	fi
}
# sp ARGS...: run sandpool (at most 20 s); its stdout, stderr and exit status
# land in $SP_OUT, $SP_ERR and $SP_RC.
SP_OUT=/tmp/sp.out
SP_ERR=/tmp/sp.err
sp() {
	timeout -s KILL "${SP_LIMIT:-20}" "$SANDPOOL" "$@" >"$SP_OUT" 2>"$SP_ERR" </dev/null
	SP_RC=$?
}
# sp_why: one line saying what sandpool said, for a failure message.
sp_why() {
	first=$(grep -v '^$' "$SP_ERR" | head -n 2 | tr '\n' ' ' | cut -c1-200)
	case "$first" in
	*nrecognized* | *nknown\ option* | *nvalid\ option* | *not\ implemented* | *ot\ supported*)
		echo "NOT IMPLEMENTED YET? sandpool exited $SP_RC: $first"
		;;
	*)
		echo "sandpool exited $SP_RC: ${first:-(nothing on stderr)}"
		;;
	esac
}
# jnorm FILE: the JSON log, one object per line (JSON lines or pretty-printed).
jnorm() {
	tr '\n' ' ' <"$1" | sed 's/^[[:space:]]*\[//; s/\][[:space:]]*$//' |
		sed 's/}[[:space:]]*,\{0,1\}[[:space:]]*{/}\
{/g'
	echo
}
# jval RECORD KEY: a top-level scalar of one record (strings unquoted).
jval() {
	printf '%s\n' "$1" | sed -n \
		-e "s/.*\"$2\"[[:space:]]*:[[:space:]]*\"\\([^\"]*\\)\".*/\\1/p" -e t \
		-e "s/.*\"$2\"[[:space:]]*:[[:space:]]*\\([^,}\" ]*\\).*/\\1/p"
}
# jrec FILE KEY VALUE: the first record whose KEY is VALUE.
jrec() {
	jnorm "$1" | while IFS= read -r rec; do
		if [ -n "$rec" ] && [ "$(jval "$rec" "$2")" = "$3" ]; then
			printf '%s\n' "$rec"
			break
		fi
	done
}
jcount() { jnorm "$1" | grep -c '{'; }

# --- swap on a RAM block device (only the swap tests turn it on) -------------------
swap_on() {
	{
		[ -b /dev/ram0 ] || insmod /lib/modules/brd.ko rd_nr=1 rd_size=131072
		mkswap /dev/ram0 && swapon /dev/ram0
	} >/tmp/swap.err 2>&1
}
swap_off() { swapoff /dev/ram0 2>/dev/null; }

# --- sandpool test functions ---------------------------------------------------------
# sptest NAME FUNC: run FUNC as test NAME ($t) when there is a sandpool binary;
# FUNC calls pass/fail itself.
sptest() {
	t=$1
	need_sandpool "$t" || return 0
	t_start=$(now_ms)
	"$2" || true
	diag "$t: $(($(now_ms) - t_start)) ms"
}
# sp_records JSON: fail $t (and return 1) when sandpool wrote no record.
sp_records() {
	if [ ! -s "$1" ] || [ "$(jcount "$1")" -eq 0 ]; then
		fail "$t" "no JSON record in $1; $(sp_why)"
		diag_file "$SP_ERR"
		return 1
	fi
}
# rec_summary REC: "status=... exit_code=... signal=... wall_s=..." of a record.
rec_summary() {
	echo "status=$(jval "$1" status) exit_code=$(jval "$1" exit_code) signal=$(jval "$1" signal) wall_s=$(jval "$1" wall_s)"
}
# cg_list: every cgroup directory, to compare before and after a run.
cg_list() { find "$CG" -mindepth 1 -type d | sort; }
