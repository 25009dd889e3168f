#!/bin/bash
# bigtree.sh: a task of 1,000 processes that all ignore SIGTERM dies on
# --timeout: every process, counted in the log, and its leaf removed.
# shellcheck source=tests/integration/lib.sh
. "${SP_TESTS_DIR:-$(dirname "$0")/..}/integration/lib.sh"

NPROC=1000

test_bigtree() {
	local j=$TMPD/log.json ready=$TMPD/ready n
	sp_run run "$SPCG" --timeout 3s --grace 300ms --json "$j" \
		-- "$SP_PROBE" ignterm children $((NPROC - 1)) touch "$ready" sleep {} ::: inf
	sp_check "the tree of $NPROC processes was complete before the timeout" test -e "$ready"
	sp_is "$SP_RC/$(sp_jf "$j" 1 status)/$(sp_jf "$j" 1 signal)" "1/timeout/SIGKILL" \
		"$NPROC processes ignoring SIGTERM: timeout, killed by SIGKILL" || sp_show_run
	n=$(sp_jf "$j" 1 descendants_killed)
	sp_cmp "$n" -ge $((NPROC - 2)) "descendants_killed counts the tree ($n)"
	sp_cmp "$n" -le "$NPROC" "descendants_killed is not more than the tree ($n)"
	sp_cmp "$SP_WALL_MS" -lt 5000 "ends within bounds (${SP_WALL_MS} ms for a 3 s timeout + 300 ms grace)"
	sp_no_survivors "no process of the tree survives"
	sp_no_pools "the leaf and the pool are removed"
}

main() {
	sp_init
	test_bigtree
	sp_done
}

main
