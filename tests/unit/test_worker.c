/* test_worker.c: the worker state machine's transition table. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "worker.h"

#define S(x) SP_WS_##x
#define E(x) SP_WE_##x
#define A(x) SP_WA_##x

static const struct {
	sp_wstate_t s;
	sp_wevent_t e;
	sp_waction_t a;
} table[] = {
    /* a task starts only on an idle worker */
    {S(IDLE), E(START), A(SPAWN)},
    {S(RUNNING), E(START), A(INVALID)},
    {S(KILLING), E(START), A(INVALID)},
    /* the main exits: reap it, in every state where it can still be alive */
    {S(RUNNING), E(MAIN_EXIT), A(REAP)},
    {S(TERMINATING), E(MAIN_EXIT), A(REAP)},
    {S(KILLING), E(MAIN_EXIT), A(REAP)},
    {S(DRAINING), E(MAIN_EXIT), A(INVALID)}, /* already reaped */
    {S(IDLE), E(MAIN_EXIT), A(INVALID)},
    /* the leaf empties */
    {S(RUNNING), E(EMPTY), A(EMPTIED)},
    {S(TERMINATING), E(EMPTY), A(EMPTIED)},
    {S(KILLING), E(EMPTY), A(EMPTIED)},
    {S(DRAINING), E(EMPTY), A(EMPTIED)},
    /* timeout: SIGTERM first, then the grace timer escalates to a kill */
    {S(RUNNING), E(DEADLINE), A(TERMINATE)},
    {S(DRAINING), E(DEADLINE), A(TERMINATE)},
    {S(TERMINATING), E(GRACE), A(KILL)},
    {S(TERMINATING), E(DEADLINE), A(IGNORE)},
    {S(KILLING), E(GRACE), A(IGNORE)},
    {S(RUNNING), E(GRACE), A(INVALID)},
    /* the coordinator stops: same sequence; a second stop kills at once */
    {S(RUNNING), E(STOP), A(TERMINATE)},
    {S(DRAINING), E(STOP), A(TERMINATE)},
    {S(TERMINATING), E(STOP), A(IGNORE)},
    {S(RUNNING), E(HARDSTOP), A(KILL)},
    {S(TERMINATING), E(HARDSTOP), A(KILL)},
    {S(KILLING), E(HARDSTOP), A(IGNORE)},
    {S(IDLE), E(STOP), A(IGNORE)},
    /* a forbidden system call kills the task */
    {S(RUNNING), E(SECCOMP), A(KILL)},
    {S(TERMINATING), E(SECCOMP), A(KILL)},
    {S(KILLING), E(SECCOMP), A(IGNORE)},
    {S(IDLE), E(SECCOMP), A(INVALID)},
};

static void test_table(void **state)
{
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		sp_waction_t got = sp_worker_action(table[i].s, table[i].e);
		if (got != table[i].a)
			fail_msg("%s + %s: got %s, want %s", sp_wstate_name(table[i].s),
				 sp_wevent_name(table[i].e), sp_waction_name(got),
				 sp_waction_name(table[i].a));
	}
}

/* Every running state must be able to end: a kill path exists from each. */
static void test_every_busy_state_can_be_killed(void **state)
{
	for (int s = S(RUNNING); s <= S(DRAINING); s++) {
		sp_waction_t a = sp_worker_action(s, E(HARDSTOP));
		assert_true(a == A(KILL) || (s == S(KILLING) && a == A(IGNORE)));
		assert_int_equal(sp_worker_action(s, E(EMPTY)), A(EMPTIED));
	}
}

static void test_out_of_range(void **state)
{
	assert_int_equal(sp_worker_action(SP_WS__COUNT, E(START)), A(INVALID));
	assert_int_equal(sp_worker_action(S(IDLE), SP_WE__COUNT), A(INVALID));
	assert_string_equal(sp_wstate_name(S(TERMINATING)), "terminating");
	assert_string_equal(sp_wevent_name(E(MAIN_EXIT)), "main-exit");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_table),
	    cmocka_unit_test(test_every_busy_state_can_be_killed),
	    cmocka_unit_test(test_out_of_range),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
