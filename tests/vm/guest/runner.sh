#!/bin/sh
# Runs every /vm/tests/*.sh (or those matching the glob $1) in its own shell,
# each under a time limit, and exits 0 only if every result line was "ok".
# Result lines are "@@SPVM ok - NAME # FIGURE" / "@@SPVM not ok - NAME # WHY".
set -u
# shellcheck source=tests/vm/guest/lib.sh
. /vm/lib.sh
only=${1:-}
per_test_limit=${SPVM_TEST_LIMIT:-60}
: >"$SPVM_RESULTS"
for t in /vm/tests/*.sh; do
	name=$(basename "$t" .sh)
	if [ -n "$only" ]; then
		# shellcheck disable=SC2254
		case "$name" in
		$only) ;;
		*) continue ;;
		esac
	fi
	start=$(now_ms)
	timeout -s KILL "$per_test_limit" sh "$t"
	rc=$?
	diag "$name took $(($(now_ms) - start)) ms"
	if [ "$rc" -ne 0 ]; then
		fail "$name" "the script itself exited $rc$([ "$rc" -eq 137 ] && echo " (killed after ${per_test_limit}s)")"
	fi
done
passed=$(grep -c '^ok' "$SPVM_RESULTS")
failed=$(grep -c '^not ok' "$SPVM_RESULTS")
diag "guest summary: $passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
