#!/bin/bash
# bench/run.sh: sandpool benchmarks against baselines measured in the same run.
#
#   bench/run.sh PATH-TO-SANDPOOL        (or: make bench)
#
# 1. throughput: N `true` tasks at -j2, sandpool --cgroup (and --no-cgroup) vs
#    xargs -P2 -n1 and GNU parallel -j2, same input list on stdin (hyperfine).
# 2. kill latency: a 1,000-process tree ignoring SIGTERM, `--timeout T --grace 0`:
#    wall_s - T from sandpool's --json, against the kernel's own cgroup.kill
#    teardown of the same tree measured directly by bench/killlat.c (interleaved).
# 3. seccomp filter cost per task: the throughput run under shipped policies
#    with a [Seccomp] section, against the same run without a filter.
#
# Needs root (or a writable cgroup v2 directory), hyperfine, GNU parallel, cc,
# python3. Knobs (environment): BENCH_TASKS (2000), BENCH_RUNS (5),
# BENCH_WARMUP (1 = one warm-up round, 0 = none), BENCH_PARALLEL_RUNS (3), BENCH_KILL_PROCS (1000),
# BENCH_KILL_RUNS (9), BENCH_KILL_TIMEOUT (500ms), BENCH_RESULTS (bench/results).
# Prints a table; writes BENCH_RESULTS/bench-<UTC time>.json and latest.json.
set -euo pipefail

SP=${1:?usage: bench/run.sh PATH-TO-SANDPOOL}
SP=$(cd "$(dirname "$SP")" && pwd)/$(basename "$SP")
BENCH=$(cd "$(dirname "$0")" && pwd)
TASKS=${BENCH_TASKS:-2000}
RUNS=${BENCH_RUNS:-5}
WARMUP=${BENCH_WARMUP:-1}
PRUNS=${BENCH_PARALLEL_RUNS:-3}
KPROCS=${BENCH_KILL_PROCS:-1000}
KRUNS=${BENCH_KILL_RUNS:-9}
KTIMEOUT_MS=${BENCH_KILL_TIMEOUT:-500ms}
KTIMEOUT_MS=${KTIMEOUT_MS%ms}
RESULTS=${BENCH_RESULTS:-$BENCH/results}
if [ -z "${SANDPOOL_POLICY_DIR:-}" ] && [ -d "$BENCH/../policy/policies" ]; then
	export SANDPOOL_POLICY_DIR=$BENCH/../policy/policies
fi

die() { echo "bench: $*" >&2; exit 1; }
for t in hyperfine parallel xargs cc python3; do
	command -v "$t" >/dev/null || die "$t not found (apt-get install -y hyperfine parallel gcc python3)"
done
[ -x "$SP" ] || die "$SP is not executable"

TMP=$(mktemp -d /tmp/sandpool-bench.XXXXXX)
V2=$(awk '$0 ~ / - cgroup2 / { print $5; exit }' /proc/self/mountinfo)
[ -n "$V2" ] || die "no cgroup v2 mount in /proc/self/mountinfo"
KCG=sandpool-bench-$$ # the only cgroup we create ourselves (bench/killlat.c)
KPID=

cleanup() {
	local rc=$?
	trap - EXIT INT TERM HUP
	# killlat removes its cgroup itself, also on a signal; make sure anyway.
	[ -n "$KPID" ] && kill "$KPID" 2>/dev/null && wait "$KPID" 2>/dev/null
	if [ -d "$V2/$KCG" ]; then
		echo 1 >"$V2/$KCG/cgroup.kill" 2>/dev/null || true
		for i in 1 2 3 4 5 6 7 8 9 10; do
			grep -q 'populated 0' "$V2/$KCG/cgroup.events" && break
			sleep 0.1
		done
		find "$V2/$KCG" -mindepth 1 -depth -type d -exec rmdir {} + 2>/dev/null || true
		rmdir "$V2/$KCG" 2>/dev/null || echo "bench: could not remove $V2/$KCG" >&2
	fi
	rm -rf "$TMP"
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

cc -O2 -static -Wall -o "$TMP/killlat" "$BENCH/killlat.c" 2>/dev/null ||
	cc -O2 -Wall -o "$TMP/killlat" "$BENCH/killlat.c" || die "building bench/killlat.c"
cc -O2 -Wall -o "$TMP/spawnfloor" "$BENCH/spawnfloor.c" || die "building bench/spawnfloor.c"
seq "$TASKS" >"$TMP/inputs"

# The run without --policy is the baseline. If it does not work, fall back to
# --policy default (the policy `run` is documented to use without --policy) and say so.
BASE=()
NOTES=()
rc=0
"$SP" run -q -j1 --cgroup -- true ::: x >/dev/null 2>"$TMP/err" || rc=$?
if [ $rc -ne 0 ]; then
	[ $rc -ge 128 ] && what="killed by signal $((rc - 128))" || what="exit $rc"
	if "$SP" run -q -j1 --cgroup --policy default -- true ::: x >/dev/null 2>&1; then
		BASE=(--policy default)
		NOTES+=("'sandpool run --cgroup -- true' fails ($what); baseline uses --policy default")
		echo "bench: WARNING: sandpool run without --policy fails ($what); using --policy default" >&2
	else
		cat "$TMP/err" >&2
		die "sandpool run --cgroup does not work here ($what): see 'sandpool doctor'"
	fi
fi

# A seccomp-only variant of the shipped strict policy (its [Resources] need
# memory/pids/cpu controllers, which a hybrid host lacks): the same allow-list filter.
awk '/^\[/ { keep = ($0 == "[Seccomp]") } keep' "$SANDPOOL_POLICY_DIR/strict.ini" >"$TMP/strict-seccomp.ini"
printf '[Exec]\nNoNewPrivileges=yes\n' >>"$TMP/strict-seccomp.ini"

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
echo "sandpool bench: $TASKS tasks, -j2, $RUNS interleaved rounds of hyperfine --runs 1 (+$WARMUP warm-up); $(nproc) CPUs, kernel $(uname -r)"
echo "load average before: $LOAD_BEFORE"

# --- 1 + 3: throughput and seccomp cost ------------------------------------------
in=$TMP/inputs
q() { printf '%q ' "$@"; }
declare -A CMD
CMD[xargs]="xargs -P2 -n1 true < $in"
CMD[parallel]="parallel --will-cite -j2 true < $in"
CMD[sandpool_cgroup]="$(q "$SP" run -q -j2 --cgroup "${BASE[@]}" -- true) < $in"
CMD[sandpool_nocgroup]="$(q "$SP" run -q -j2 --no-cgroup "${BASE[@]}" -- true) < $in"
CMD[sandpool_nonet]="$(q "$SP" run -q -j2 --cgroup --policy nonet -- true) < $in"
CMD[sandpool_strict_seccomp]="$(q "$SP" run -q -j2 --cgroup --policy "$TMP/strict-seccomp.ini" -- true) < $in"
CMD[floor_fork]="$TMP/spawnfloor fork $TASKS 2"
CMD[floor_vfork]="$TMP/spawnfloor vfork $TASKS 2"
CMD[floor_vmvfork]="$TMP/spawnfloor vmvfork $TASKS 2"
ORDER=(xargs sandpool_cgroup parallel sandpool_nocgroup sandpool_nonet sandpool_strict_seccomp)
# The shipped strict policy itself, where this sandpool can run it (its limits need
# controllers a hybrid host lacks: --allow-missing-controllers runs without them).
if "$SP" run -q -j1 --cgroup --policy strict --allow-missing-controllers -- true ::: x >/dev/null 2>&1; then
	CMD[sandpool_strict]="$(q "$SP" run -q -j2 --cgroup --policy strict --allow-missing-controllers -- true) < $in"
	ORDER+=(sandpool_strict)
else
	NOTES+=("the shipped strict policy does not run here with --allow-missing-controllers: measured its [Seccomp] section alone")
fi
[ "$(uname -m)" = x86_64 ] && ORDER+=(floor_fork floor_vfork floor_vmvfork)

# Interleaved rounds (each command once per round, hyperfine --runs 1), so that
# load from other work on the machine spreads over all commands alike. Round 0
# is the warm-up and is not exported.
for name in "${ORDER[@]}"; do echo "== $name: ${CMD[$name]}"; done
for round in $(seq 0 "$RUNS"); do
	[ "$round" -eq 0 ] && [ "$WARMUP" -eq 0 ] && continue
	printf 'round %s%s:' "$round" "$([ "$round" -eq 0 ] && echo ' (warm-up)')"
	for name in "${ORDER[@]}"; do
		[ "$name" = parallel ] && [ "$round" -gt "$PRUNS" ] && continue
		json=$TMP/hf-$name-$round.json
		[ "$round" -eq 0 ] && json=$TMP/warmup.json
		hyperfine --style none --runs 1 --export-json "$json" -n "$name" "${CMD[$name]}" \
			>"$TMP/hf.txt" 2>&1 || { cat "$TMP/hf.txt"; die "$name failed"; }
		printf ' %s %.3f' "$name" "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["results"][0]["mean"])' "$json")"
	done
	printf '  (load %s)\n' "$(cut -d' ' -f1 /proc/loadavg)"
done

# --- 2: kill latency ------------------------------------------------------------------
echo "== kill latency: $KPROCS-process tree ignoring SIGTERM, $KRUNS runs, interleaved"
echo "   kernel:   $TMP/killlat kernel $KCG $KPROCS 1"
echo "   sandpool: killlat timeexit END $SP run -q -j1 --cgroup ${BASE[*]} --timeout ${KTIMEOUT_MS}ms --grace 0 --json FILE -- killlat tree {} START ::: $KPROCS"
: >"$TMP/kernel.jsonl"
: >"$TMP/sandpool-kill.jsonl"
for i in $(seq "$KRUNS"); do
	"$TMP/killlat" kernel "$KCG" "$KPROCS" 1 >>"$TMP/kernel.jsonl" &
	KPID=$!
	wait "$KPID" || die "killlat kernel failed"
	KPID=
	rc=0
	"$TMP/killlat" timeexit "$TMP/end-$i" \
		"$SP" run -q -j1 --cgroup "${BASE[@]}" --timeout "${KTIMEOUT_MS}ms" --grace 0 \
		--json "$TMP/kill-$i.json" -- "$TMP/killlat" tree {} "$TMP/start-$i" ::: "$KPROCS" || rc=$?
	[ $rc -eq 1 ] || die "sandpool kill run: exit $rc, expected 1 (one task timed out)"
	python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); r["tree_start_ms"]=float(open(sys.argv[2]).read()); r["sandpool_exit_ms"]=float(open(sys.argv[3]).read()); print(json.dumps(r))' \
		"$TMP/kill-$i.json" "$TMP/start-$i" "$TMP/end-$i" >>"$TMP/sandpool-kill.jsonl"
done

# --- 3b: what loading a filter costs, by size and libseccomp's optimizer ---------
: >"$TMP/seccompload.jsonl"
if cc -O2 -o "$TMP/seccompload" "$BENCH/seccompload.c" $(pkg-config --cflags --libs libseccomp 2>/dev/null || echo -lseccomp) 2>/dev/null; then
	echo "== seccomp filter load: $TMP/seccompload NALLOW OPTIMIZE (median of 101 loads)"
	for nallow in 60 250; do
		for opt in 1 2; do
			"$TMP/seccompload" "$nallow" "$opt" >>"$TMP/seccompload.jsonl" || true
		done
	done
else
	echo "== seccomp filter load: skipped (no libseccomp to build bench/seccompload.c)"
fi

LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

# --- summary --------------------------------------------------------------------------
mkdir -p "$RESULTS"
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
OUT="$RESULTS/bench-$STAMP.json"
NOTES_JSON=$(printf '%s\n' "${NOTES[@]+"${NOTES[@]}"}")
export TMP TASKS KTIMEOUT_MS KPROCS LOAD_BEFORE LOAD_AFTER STAMP OUT NOTES_JSON SP
export CMDS_JSON=$(for n in "${ORDER[@]}"; do printf '%s\t%s\n' "$n" "${CMD[$n]}"; done)
python3 "$BENCH/summary.py"
cp "$OUT" "$RESULTS/latest.json"
echo "results: $OUT"
