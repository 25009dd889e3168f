/* status.c: names for statuses and signals. */
#include "config.h"
#include "status.h"

#include <signal.h>
#include <stdio.h>

static const char *const status_names[SP_ST__COUNT] = {
    [SP_ST_OK] = "ok",		 [SP_ST_FAILED] = "failed",	      [SP_ST_SIGNALED] = "signaled",
    [SP_ST_TIMEOUT] = "timeout", [SP_ST_SPAWN_ERROR] = "spawn-error", [SP_ST_OOM] = "oom",
    [SP_ST_SECCOMP] = "seccomp", [SP_ST_CANCELLED] = "cancelled",
};

const char *sp_status_name(sp_status_t st)
{
	return (unsigned)st < SP_ST__COUNT ? status_names[st] : "unknown";
}

static const char *const signal_names[] = {
    [SIGHUP] = "SIGHUP",       [SIGINT] = "SIGINT",	  [SIGQUIT] = "SIGQUIT",
    [SIGILL] = "SIGILL",       [SIGTRAP] = "SIGTRAP",	  [SIGABRT] = "SIGABRT",
    [SIGBUS] = "SIGBUS",       [SIGFPE] = "SIGFPE",	  [SIGKILL] = "SIGKILL",
    [SIGUSR1] = "SIGUSR1",     [SIGSEGV] = "SIGSEGV",	  [SIGUSR2] = "SIGUSR2",
    [SIGPIPE] = "SIGPIPE",     [SIGALRM] = "SIGALRM",	  [SIGTERM] = "SIGTERM",
    [SIGSTKFLT] = "SIGSTKFLT", [SIGCHLD] = "SIGCHLD",	  [SIGCONT] = "SIGCONT",
    [SIGSTOP] = "SIGSTOP",     [SIGTSTP] = "SIGTSTP",	  [SIGTTIN] = "SIGTTIN",
    [SIGTTOU] = "SIGTTOU",     [SIGURG] = "SIGURG",	  [SIGXCPU] = "SIGXCPU",
    [SIGXFSZ] = "SIGXFSZ",     [SIGVTALRM] = "SIGVTALRM", [SIGPROF] = "SIGPROF",
    [SIGWINCH] = "SIGWINCH",   [SIGIO] = "SIGIO",	  [SIGPWR] = "SIGPWR",
    [SIGSYS] = "SIGSYS",
};

const char *sp_signal_name(int sig, char *buf, size_t len)
{
	if (sig > 0 && (unsigned)sig < sizeof(signal_names) / sizeof(signal_names[0]) &&
	    signal_names[sig])
		return signal_names[sig];
	if (sig >= SIGRTMIN && sig <= SIGRTMAX)
		snprintf(buf, len, "SIGRTMIN+%d", sig - SIGRTMIN);
	else
		snprintf(buf, len, "SIG%d", sig);
	return buf;
}
