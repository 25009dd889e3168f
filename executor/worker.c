/* worker.c: the worker state machine's transition table and names. */
#include "config.h"
#include "worker.h"

#define A(x) SP_WA_##x

/* Rows: states; columns: START MAIN_EXIT EMPTY DEADLINE GRACE STOP HARDSTOP SECCOMP */
static const sp_waction_t table[SP_WS__COUNT][SP_WE__COUNT] = {
    [SP_WS_IDLE] = {A(SPAWN), A(INVALID), A(INVALID), A(INVALID), A(INVALID), A(IGNORE), A(IGNORE),
		    A(INVALID)},
    [SP_WS_RUNNING] = {A(INVALID), A(REAP), A(EMPTIED), A(TERMINATE), A(INVALID), A(TERMINATE),
		       A(KILL), A(KILL)},
    [SP_WS_TERMINATING] = {A(INVALID), A(REAP), A(EMPTIED), A(IGNORE), A(KILL), A(IGNORE), A(KILL),
			   A(KILL)},
    [SP_WS_KILLING] = {A(INVALID), A(REAP), A(EMPTIED), A(IGNORE), A(IGNORE), A(IGNORE), A(IGNORE),
		       A(IGNORE)},
    [SP_WS_DRAINING] = {A(INVALID), A(INVALID), A(EMPTIED), A(TERMINATE), A(INVALID), A(TERMINATE),
			A(KILL), A(KILL)},
    [SP_WS_DONE] = {A(INVALID), A(INVALID), A(INVALID), A(IGNORE), A(IGNORE), A(IGNORE), A(IGNORE),
		    A(IGNORE)},
};

sp_waction_t sp_worker_action(sp_wstate_t state, sp_wevent_t event)
{
	if ((unsigned)state >= SP_WS__COUNT || (unsigned)event >= SP_WE__COUNT)
		return SP_WA_INVALID;
	return table[state][event];
}

static const char *const state_names[SP_WS__COUNT] = {
    "idle", "running", "terminating", "killing", "draining", "done",
};
static const char *const event_names[SP_WE__COUNT] = {
    "start", "main-exit", "empty", "deadline", "grace", "stop", "hardstop", "seccomp",
};
static const char *const action_names[] = {
    "invalid", "ignore", "spawn", "reap", "emptied", "terminate", "kill", "finish",
};

const char *sp_wstate_name(sp_wstate_t s)
{
	return (unsigned)s < SP_WS__COUNT ? state_names[s] : "?";
}

const char *sp_wevent_name(sp_wevent_t e)
{
	return (unsigned)e < SP_WE__COUNT ? event_names[e] : "?";
}

const char *sp_waction_name(sp_waction_t a)
{
	return (unsigned)a < sizeof(action_names) / sizeof(action_names[0]) ? action_names[a] : "?";
}
