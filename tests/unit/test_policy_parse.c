/* test_policy_parse.c: the policy parser, table-driven: every accepted form with the
 * normalized line it must print, every refusal with its exact FILE:LINE message. */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "executor/util.h"
#include "policy/model.h"
#include "policy/seccomp.h"

static int parse_text(const char *text, sp_policy_t **p, sp_err_t *err)
{
	FILE *f = fmemopen((void *)text, strlen(text), "r");
	int r;

	assert_non_null(f);
	sp_err_clear(err);
	r = sp_policy_parse_stream(f, "t.ini", p, err);
	fclose(f);
	return r;
}

static char *normalized(const sp_policy_t *p)
{
	FILE *f = tmpfile();
	long len;
	char *buf;

	assert_non_null(f);
	sp_policy_print(p, f);
	len = ftell(f);
	assert_true(len > 0);
	buf = sp_xmalloc((size_t)len + 1);
	rewind(f);
	assert_int_equal(fread(buf, 1, (size_t)len, f), (size_t)len);
	buf[len] = '\0';
	fclose(f);
	return buf;
}

/* Printing a policy and parsing the print gives the same policy (same print). */
static void check_round_trip(const sp_policy_t *p, const char *what)
{
	char *a = normalized(p), *b;
	sp_policy_t *q;
	sp_err_t err;
	const char *body = strchr(a, '\n') + 1;

	if (parse_text(body, &q, &err) < 0)
		fail_msg("%s: normalized output does not parse: %s\n%s", what, err.msg, body);
	b = normalized(q);
	if (strcmp(strchr(b, '\n'), strchr(a, '\n')) != 0)
		fail_msg("%s: round trip differs:\n%s\n---\n%s", what, a, b);
	free(a);
	free(b);
	sp_policy_free(q);
}

typedef struct {
	const char *text;
	const char *line; /* a line the normalized output must hold */
} valid_t;

static const valid_t valid[] = {
    {"[Resources]\nMemoryMax=512M\n", "MemoryMax=512M\n"},
    {"[Resources]\nMemoryMax=1073741824\n", "MemoryMax=1G\n"},
    {"[Resources]\nMemoryMax=1.5G\n", "MemoryMax=1536M\n"},
    {"[Resources]\nMemoryMax=100K\n", "MemoryMax=100K\n"},
    {"[Resources]\nMemoryMax=2T\n", "MemoryMax=2T\n"},
    {"[Resources]\nMemoryMax=1000\n", "MemoryMax=1000\n"},
    {"[Resources]\nMemoryMax=infinity\n", "MemoryMax=infinity\n"},
    {"[Resources]\nMemoryMax=512M\nMemoryMax=\n", "[Resources]\nDegrade=no\n"},
    {"[Resources]\nMemoryHigh=256M\nMemoryMax=512M\n", "MemoryHigh=256M\n"},
    {"[Resources]\nMemorySwapMax=0\n", "MemorySwapMax=0\n"},
    {"[Resources]\nTasksMax=64\n", "TasksMax=64\n"},
    {"[Resources]\nTasksMax=infinity\n", "TasksMax=infinity\n"},
    {"[Resources]\nCPUQuota=150%\n", "CPUQuota=150%\n"},
    {"[Resources]\nCPUQuota=12.5%\n", "CPUQuota=12.5%\n"},
    {"[Resources]\nCPUQuota=1%\n", "CPUQuota=1%\n"},
    {"[Resources]\nCPUWeight=1\n", "CPUWeight=1\n"},
    {"[Resources]\nCPUWeight=10000\n", "CPUWeight=10000\n"},
    {"[Resources]\nDegrade=yes\n", "Degrade=yes\n"},
    {"[Resources]\nDegrade=true\n", "Degrade=yes\n"},
    {"[Resources]\nDegrade=on\n", "Degrade=yes\n"},
    {"[Resources]\nDegrade=0\n", "Degrade=no\n"},
    {"[Timeouts]\nRuntimeMaxSec=30s\n", "RuntimeMaxSec=30s\n"},
    {"[Timeouts]\nRuntimeMaxSec=5\n", "RuntimeMaxSec=5s\n"},
    {"[Timeouts]\nRuntimeMaxSec=1min 30s\n", "RuntimeMaxSec=90s\n"},
    {"[Timeouts]\nRuntimeMaxSec=500ms\n", "RuntimeMaxSec=500ms\n"},
    {"[Timeouts]\nRuntimeMaxSec=2h\n", "RuntimeMaxSec=7200s\n"},
    {"[Timeouts]\nRuntimeMaxSec=infinity\n", "RuntimeMaxSec=infinity\n"},
    {"[Timeouts]\nTimeoutStopSec=0\n", "TimeoutStopSec=0s\n"},
    {"[Timeouts]\nTimeoutStopSec=250us\n", "TimeoutStopSec=250us\n"},
    {"[Exec]\nNoNewPrivileges=yes\n", "NoNewPrivileges=yes\n"},
    {"[Exec]\nUser=nobody\n", "User=nobody\n"},
    {"[Exec]\nUser=0\n", "User=0\n"},
    {"[Exec]\nGroup=nogroup\n", "Group=nogroup\n"},
    {"[Exec]\nSupplementaryGroups=nogroup 0\n", "SupplementaryGroups=nogroup 0\n"},
    {"[Exec]\nWorkingDirectory=/tmp\n", "WorkingDirectory=/tmp\n"},
    {"[Exec]\nEnvironment=LC_ALL=C\n", "Environment=LC_ALL=C\n"},
    {"[Exec]\nEnvironment=\"A=b c\" D=e\n", "Environment=\"A=b c\" D=e\n"},
    {"[Exec]\nEnvironment='A=x\\ty'\n", "Environment=\"A=x\\ty\"\n"},
    {"[Exec]\nEnvironment=A=1\nEnvironment=B=2 A=3\n", "Environment=A=3 B=2\n"},
    {"[Exec]\nEnvironment=A=1\nEnvironment=\n", "[Exec]\nNoNewPrivileges=no\n\n"},
    {"[Exec]\nUnsetEnvironment=FOO BAR=1\n", "UnsetEnvironment=FOO BAR=1\n"},
    {"[Exec]\nUMask=0022\n", "UMask=0022\n"},
    {"[Exec]\nUMask=77\n", "UMask=0077\n"},
    {"[Exec]\nLimitNOFILE=1024\n", "LimitNOFILE=1024\n"},
    {"[Exec]\nLimitNOFILE=512:4096\n", "LimitNOFILE=512:4096\n"},
    {"[Exec]\nLimitNOFILE=512:infinity\n", "LimitNOFILE=512:infinity\n"},
    {"[Exec]\nLimitCORE=0\n", "LimitCORE=0\n"},
    {"[Exec]\nLimitAS=1G\n", "LimitAS=1G\n"},
    {"[Exec]\nLimitSTACK=8M:infinity\n", "LimitSTACK=8M:infinity\n"},
    {"[Exec]\nLimitCPU=1min\n", "LimitCPU=60s\n"},
    {"[Exec]\nLimitCPU=500ms\n", "LimitCPU=1s\n"},
    {"[Exec]\nLimitNPROC=infinity\n", "LimitNPROC=infinity\n"},
    {"[Exec]\nLimitFSIZE=10M\nLimitDATA=1G\nLimitMEMLOCK=64K\n", "LimitMEMLOCK=64K\n"},
    {"[Seccomp]\nSystemCallFilter=~@reboot\n",
     "SystemCallFilter=~kexec_file_load kexec_load reboot\n"},
    {"[Seccomp]\nSystemCallFilter=~@reboot\nSystemCallFilter=~@swap\n",
     "SystemCallFilter=~kexec_file_load kexec_load reboot swapoff swapon\n"},
    {"[Seccomp]\nSystemCallFilter=~@reboot\nSystemCallFilter=reboot\n",
     "SystemCallFilter=~kexec_file_load kexec_load\n"},
    {"[Seccomp]\nSystemCallFilter=~@reboot\nSystemCallFilter=\nSystemCallFilter=~@swap\n",
     "SystemCallFilter=~swapoff swapon\n"},
    {"[Seccomp]\nSystemCallFilter=~ptrace:EPERM reboot:kill\n",
     "SystemCallFilter=~ptrace:EPERM reboot:kill\n"},
    {"[Seccomp]\nSystemCallFilter=~ptrace:1\n", "SystemCallFilter=~ptrace:EPERM\n"},
    {"[Seccomp]\nSystemCallFilter=~ptrace\nSystemCallErrorNumber=EACCES\n",
     "SystemCallErrorNumber=EACCES\n"},
    {"[Seccomp]\nSystemCallFilter=~ptrace\nSystemCallErrorNumber=kill\n",
     "SystemCallErrorNumber=kill\n"},
    {"[Seccomp]\nSystemCallFilter=@default\n", "SystemCallFilter=arch_prctl brk"},
    {"[Seccomp]\nSystemCallFilter=read write\nSystemCallFilter=~write\n",
     "pause prlimit64 read\n" /* read added, write removed again */},
    {"[Seccomp]\nSystemCallFilter=@default\nSystemCallFilter=~getpid\n",
     "SystemCallFilter=~getpid\n"},
    {"[Seccomp]\nSystemCallArchitectures=native\n", "SystemCallArchitectures=x86-64\n"},
    {"[Seccomp]\nSystemCallArchitectures=x86 x32\nSystemCallArchitectures=x86-64\n",
     "SystemCallArchitectures=x86-64 x86 x32\n"},
    {"[Seccomp]\nRestrictAddressFamilies=AF_UNIX AF_INET\n",
     "RestrictAddressFamilies=AF_UNIX AF_INET\n"},
    {"[Seccomp]\nRestrictAddressFamilies=AF_UNIX AF_INET\nRestrictAddressFamilies=~AF_INET\n",
     "RestrictAddressFamilies=AF_UNIX\n"},
    {"[Seccomp]\nRestrictAddressFamilies=~AF_INET6\n", "RestrictAddressFamilies=~AF_INET6\n"},
    {"[Seccomp]\nRestrictAddressFamilies=none\n", "RestrictAddressFamilies=none\n"},
    {"[Seccomp]\nNotifyKill=yes\n", "NotifyKill=yes\n"},
    /* file syntax */
    {"# comment\n; comment\n\n[Exec]\n  UMask = 0027  \n", "UMask=0027\n"},
    {"[Exec]\nEnvironment=A=1 \\\n  B=2\n", "Environment=A=1 B=2\n"},
    {"[Exec]\nEnvironment=A=1 \\\n# skipped\n  B=2\n", "Environment=A=1 B=2\n"},
    {"[Resources]\n[Timeouts]\n[Exec]\n[Seccomp]\n", "NotifyKill=no\n"},
    {"[Exec]\nEnvironment=A=1;2\n", "Environment=A=1;2\n"},
    {"\xef\xbb\xbf[Exec]\nUMask=0007\n", "UMask=0007\n"},
};

static void test_valid(void **state)
{
	for (size_t i = 0; i < SP_ARRAY_SIZE(valid); i++) {
		sp_policy_t *p;
		sp_err_t err;
		char *out;

		if (parse_text(valid[i].text, &p, &err) < 0)
			fail_msg("valid[%zu] %s refused: %s", i, valid[i].text, err.msg);
		out = normalized(p);
		if (!strstr(out, valid[i].line))
			fail_msg("valid[%zu] %s: no \"%s\" in\n%s", i, valid[i].text, valid[i].line,
				 out);
		check_round_trip(p, valid[i].text);
		free(out);
		sp_policy_free(p);
	}
}

typedef struct {
	const char *text;
	const char *msg; /* exact */
} invalid_t;

static const invalid_t invalid[] = {
    {"[Foo]\nA=1\n",
     "t.ini:1: [Foo]: unknown section; accepted: [Resources], [Timeouts], [Exec], [Seccomp]"},
    {"[Exec]\n[Foo]\n",
     "t.ini:2: [Foo]: unknown section; accepted: [Resources], [Timeouts], [Exec], [Seccomp]"},
    {"MemoryMax=1G\n",
     "t.ini:1: MemoryMax=: assignment outside any section; accepted: a section header first: "
     "[Resources], [Timeouts], [Exec], [Seccomp]"},
    {"[Timeouts]\nMemoryMax=1G\n",
     "t.ini:2: [Timeouts] MemoryMax=: unknown key; accepted: RuntimeMaxSec, TimeoutStopSec"},
    {"[Resources]\n\nMemoryMaxx=1G\n",
     "t.ini:3: [Resources] MemoryMaxx=: unknown key; accepted: MemoryMax, MemoryHigh, "
     "MemorySwapMax, TasksMax, CPUQuota, CPUWeight, Degrade"},
    {"[Resources]\nMemoryMax=12X\n",
     "t.ini:2: [Resources] MemoryMax=: invalid size \"12X\"; accepted: a size in bytes with an "
     "optional K, M, G, T, P or E suffix (base 1024), a percentage of physical memory, or "
     "infinity"},
    {"[Resources]\nMemoryMax=-1\n",
     "t.ini:2: [Resources] MemoryMax=: invalid size \"-1\"; accepted: a size in bytes with an "
     "optional K, M, G, T, P or E suffix (base 1024), a percentage of physical memory, or "
     "infinity"},
    {"[Resources]\nMemorySwapMax=10%\n",
     "t.ini:2: [Resources] MemorySwapMax=: invalid size \"10%\"; accepted: a size in bytes with "
     "an optional K, M, G, T, P or E suffix (base 1024), or infinity"},
    {"[Resources]\nMemoryMax=512M\nMemoryHigh=1G\n",
     "t.ini:3: [Resources] MemoryHigh=: 1G is above MemoryMax=512M (line 2); accepted: a value "
     "no larger than MemoryMax="},
    {"[Resources]\nTasksMax=0\n",
     "t.ini:2: [Resources] TasksMax=: invalid number of tasks \"0\"; accepted: a number of "
     "tasks >= 1, or infinity"},
    {"[Resources]\nCPUQuota=150\n",
     "t.ini:2: [Resources] CPUQuota=: invalid percentage \"150\"; accepted: a percentage of one "
     "CPU >= 1% with at most two decimals (150% is one and a half CPUs)"},
    {"[Resources]\nCPUQuota=0.5%\n",
     "t.ini:2: [Resources] CPUQuota=: 0.5% is below the kernel's minimum of 1% (1 ms per 100 ms "
     "period); accepted: a percentage of one CPU >= 1% with at most two decimals (150% is one "
     "and a half CPUs)"},
    {"[Resources]\nCPUWeight=10001\n",
     "t.ini:2: [Resources] CPUWeight=: invalid weight \"10001\"; accepted: an integer from 1 to "
     "10000"},
    {"[Resources]\nDegrade=maybe\n",
     "t.ini:2: [Resources] Degrade=: invalid boolean \"maybe\"; accepted: yes or no"},
    {"[Timeouts]\nRuntimeMaxSec=5 parsecs\n",
     "t.ini:2: [Timeouts] RuntimeMaxSec=: invalid duration \"5 parsecs\": unknown unit at "
     "\"parsecs\" (use ns, us, ms, s, min, h, d, w); accepted: a time span > 0 such as 30s, "
     "500ms, 5min, 1h 30min, or infinity"},
    {"[Timeouts]\nRuntimeMaxSec=0\n",
     "t.ini:2: [Timeouts] RuntimeMaxSec=: a runtime of 0 would end every task at once; "
     "accepted: a time span > 0 such as 30s, 500ms, 5min, 1h 30min, or infinity"},
    {"[Exec]\nUser=no-such-user-sp\n",
     "t.ini:2: [Exec] User=: no user \"no-such-user-sp\" on this host; accepted: a user name or "
     "uid known to this host"},
    {"[Exec]\nGroup=no-such-group-sp\n",
     "t.ini:2: [Exec] Group=: no group \"no-such-group-sp\" on this host; accepted: a group "
     "name or gid known to this host"},
    {"[Exec]\nWorkingDirectory=tmp\n",
     "t.ini:2: [Exec] WorkingDirectory=: \"tmp\" is not an absolute path; accepted: an "
     "absolute path"},
    {"[Exec]\nEnvironment=FOO\n",
     "t.ini:2: [Exec] Environment=: \"FOO\" is not a NAME=value assignment; accepted: "
     "NAME=value assignments separated by spaces, quoted when the value has spaces (\"NAME=a "
     "b\")"},
    {"[Exec]\nEnvironment=\"A=b\n",
     "t.ini:2: [Exec] Environment=: unbalanced quotes in \"\"A=b\"; accepted: NAME=value "
     "assignments separated by spaces, quoted when the value has spaces (\"NAME=a b\")"},
    {"[Exec]\nUnsetEnvironment=1BAD\n",
     "t.ini:2: [Exec] UnsetEnvironment=: \"1BAD\" is not a variable name or NAME=value; "
     "accepted: variable names or NAME=value assignments separated by spaces"},
    {"[Exec]\nUMask=0999\n",
     "t.ini:2: [Exec] UMask=: invalid umask \"0999\"; accepted: an octal mode from 0000 to "
     "0777"},
    {"[Exec]\nLimitNOFILE=lots\n",
     "t.ini:2: [Exec] LimitNOFILE=: invalid limit \"lots\"; accepted: a number, a size with "
     "K/M/G/T suffix or a time span as the limit takes, infinity, or SOFT:HARD"},
    {"[Exec]\nLimitNOFILE=10:5\n",
     "t.ini:2: [Exec] LimitNOFILE=: soft limit above hard limit in \"10:5\"; accepted: a "
     "number, a size with K/M/G/T suffix or a time span as the limit takes, infinity, or "
     "SOFT:HARD"},
    {"[Exec]\nLimitFOO=1\n",
     "t.ini:2: [Exec] LimitFOO=: unknown key; accepted: NoNewPrivileges, User, Group, "
     "SupplementaryGroups, WorkingDirectory, Environment, UnsetEnvironment, UMask, LimitCPU, "
     "LimitFSIZE, LimitDATA, LimitSTACK, LimitCORE, LimitRSS, LimitNOFILE, LimitAS, LimitNPROC, "
     "LimitMEMLOCK, LimitLOCKS, LimitSIGPENDING, LimitMSGQUEUE, LimitRTPRIO, LimitRTTIME"},
    {"[Seccomp]\nSystemCallFilter=read frobnicate\n",
     "t.ini:2: [Seccomp] SystemCallFilter=: unknown system call \"frobnicate\"; accepted: "
     "system call names and @groups separated by spaces (see `sandpool policy syscalls`), the "
     "list prefixed by ~ to deny, an entry of a ~ list followed by :ERRNO or :kill"},
    {"[Seccomp]\nSystemCallFilter=~@nope\n",
     "t.ini:2: [Seccomp] SystemCallFilter=: unknown system call group \"@nope\"; accepted: "
     "system call names and @groups separated by spaces (see `sandpool policy syscalls`), the "
     "list prefixed by ~ to deny, an entry of a ~ list followed by :ERRNO or :kill"},
    {"[Seccomp]\nSystemCallFilter=ptrace:EPERM\n",
     "t.ini:2: [Seccomp] SystemCallFilter=: \"ptrace:EPERM\": an error number or kill can only "
     "follow an entry of a ~ list in a deny-list filter (denied syscalls of an allow-list get "
     "SystemCallErrorNumber=); accepted: system call names and @groups separated by spaces "
     "(see `sandpool policy syscalls`), the list prefixed by ~ to deny, an entry of a ~ list "
     "followed by :ERRNO or :kill"},
    {"[Seccomp]\nSystemCallFilter=~ptrace:EFOO\n",
     "t.ini:2: [Seccomp] SystemCallFilter=: unknown error number \"EFOO\" in \"ptrace:EFOO\"; "
     "accepted: system call names and @groups separated by spaces (see `sandpool policy "
     "syscalls`), the list prefixed by ~ to deny, an entry of a ~ list followed by :ERRNO or "
     ":kill"},
    {"[Seccomp]\nSystemCallFilter=~execve\n",
     "t.ini:2: [Seccomp] SystemCallFilter=: execve is denied, but the filter is loaded before "
     "execve(2) starts the task, so no task could ever start; accepted: a filter that allows "
     "execve"},
    {"[Seccomp]\nSystemCallArchitectures=arm64\n",
     "t.ini:2: [Seccomp] SystemCallArchitectures=: unknown architecture \"arm64\"; accepted: "
     "native, x86-64, x86, x32"},
    {"[Seccomp]\nSystemCallFilter=~ptrace\nSystemCallErrorNumber=EFOO\n",
     "t.ini:3: [Seccomp] SystemCallErrorNumber=: unknown error number \"EFOO\"; accepted: an "
     "errno name such as EPERM or EACCES, or kill"},
    {"[Seccomp]\nSystemCallErrorNumber=EPERM\n",
     "t.ini:2: [Seccomp] SystemCallErrorNumber=: has no effect without SystemCallFilter=; "
     "accepted: SystemCallErrorNumber= together with SystemCallFilter="},
    {"[Seccomp]\nRestrictAddressFamilies=AF_UNIX AF_FOO\n",
     "t.ini:2: [Seccomp] RestrictAddressFamilies=: unknown address family \"AF_FOO\"; "
     "accepted: address families such as AF_UNIX AF_INET AF_INET6, the list prefixed by ~ to "
     "deny, or none"},
    /* file syntax */
    {"[Exec]\ngarbage\n",
     "t.ini:2: \"garbage\": not a Key=value assignment, a [Section] header or a # comment"},
    {"[Exec]\nUMask: 0022\n",
     "t.ini:2: \"UMask: 0022\": not a Key=value assignment, a [Section] header or a # comment"},
    {"[Exec] x\n", "t.ini:1: \"[Exec] x\": a section header is \"[Name]\" alone on its line"},
    {"[Exec]\nEnvironment=A=b ;c\n",
     "t.ini:2: \"Environment=A=b ;c\": \";\" after a space would start a comment in libinih "
     "but not in systemd; quote the value or remove the \";\""},
    {"[Exec]\nEnvironment=A=1 \\\n B=2 \\\n C\n",
     "t.ini:2: [Exec] Environment=: \"C\" is not a NAME=value assignment; accepted: NAME=value "
     "assignments separated by spaces, quoted when the value has spaces (\"NAME=a b\")"},
};

static void test_invalid(void **state)
{
	for (size_t i = 0; i < SP_ARRAY_SIZE(invalid); i++) {
		sp_policy_t *p = NULL;
		sp_err_t err;

		if (parse_text(invalid[i].text, &p, &err) == 0)
			fail_msg("invalid[%zu] %s accepted", i, invalid[i].text);
		assert_null(p);
		assert_int_equal(err.kind, SP_EK_POLICY);
		if (strcmp(err.msg, invalid[i].msg) != 0)
			fail_msg("invalid[%zu]:\n got: %s\nwant: %s", i, err.msg, invalid[i].msg);
	}
}

static void test_long_line(void **state)
{
	char text[400];
	sp_policy_t *p;
	sp_err_t err;

	snprintf(text, sizeof(text), "[Exec]\nEnvironment=A=%0250d\n", 0);
	assert_int_equal(parse_text(text, &p, &err), -1);
	assert_string_equal(err.msg, "t.ini:2: line longer than 198 characters; split a long list "
				     "over several assignments of the same key");
}

static void test_leaf_settings(void **state)
{
	static const char text[] = "[Resources]\nMemoryMax=512M\nMemoryHigh=256M\n"
				   "MemorySwapMax=0\nTasksMax=64\nCPUQuota=150%\nCPUWeight=50\n";
	static const struct {
		const char *file, *value, *key;
		unsigned ctrl;
	} want[] = {
	    {"memory.max", "536870912", "MemoryMax=", SP_CTRL_MEMORY},
	    {"memory.high", "268435456", "MemoryHigh=", SP_CTRL_MEMORY},
	    {"memory.swap.max", "0", "MemorySwapMax=", SP_CTRL_MEMORY},
	    {"memory.oom.group", "1", "MemoryMax=", SP_CTRL_MEMORY},
	    {"pids.max", "64", "TasksMax=", SP_CTRL_PIDS},
	    {"cpu.max", "150000 100000", "CPUQuota=", SP_CTRL_CPU},
	    {"cpu.weight", "50", "CPUWeight=", SP_CTRL_CPU},
	};
	const sp_leaf_setting_t *s;
	sp_policy_t *p;
	sp_err_t err;

	assert_int_equal(parse_text(text, &p, &err), 0);
	assert_int_equal(sp_policy_leaf_settings(p, &s), SP_ARRAY_SIZE(want));
	for (size_t i = 0; i < SP_ARRAY_SIZE(want); i++) {
		assert_string_equal(s[i].file, want[i].file);
		assert_string_equal(s[i].value, want[i].value);
		assert_string_equal(s[i].key, want[i].key);
		assert_int_equal(s[i].ctrl, want[i].ctrl);
	}
	assert_int_equal(sp_policy_controllers(p), SP_CTRL_MEMORY | SP_CTRL_PIDS | SP_CTRL_CPU);
	assert_false(sp_policy_degrade(p));
	sp_policy_free(p);

	assert_int_equal(parse_text("[Resources]\nMemoryMax=infinity\nTasksMax=infinity\n"
				    "Degrade=yes\n[Timeouts]\nRuntimeMaxSec=2s\nTimeoutStopSec=0\n",
				    &p, &err),
			 0);
	assert_int_equal(sp_policy_leaf_settings(p, &s), 3);
	assert_string_equal(s[0].value, "max");
	assert_string_equal(s[1].file, "memory.oom.group");
	assert_string_equal(s[2].value, "max");
	assert_true(sp_policy_degrade(p));
	assert_int_equal(sp_policy_runtime_max_ns(p), 2000000000);
	assert_int_equal(sp_policy_stop_timeout_ns(p), 0);
	sp_policy_free(p);
}

static void test_percent_memory(void **state)
{
	const sp_leaf_setting_t *s;
	sp_policy_t *p;
	sp_err_t err;
	long long phys = (long long)sysconf(_SC_PHYS_PAGES) * sysconf(_SC_PAGESIZE);

	assert_int_equal(parse_text("[Resources]\nMemoryMax=50%\n", &p, &err), 0);
	assert_int_equal(sp_policy_leaf_settings(p, &s), 2);
	assert_true(llabs(atoll(s[0].value) - phys / 2) < 4096);
	sp_policy_free(p);
}

static void test_default_policy(void **state)
{
	sp_policy_t *p = sp_policy_new();
	const sp_leaf_setting_t *s;

	assert_int_equal(sp_policy_leaf_settings(p, &s), 0);
	assert_int_equal(sp_policy_controllers(p), 0);
	assert_int_equal(sp_policy_runtime_max_ns(p), SP_UNSET);
	assert_int_equal(sp_policy_stop_timeout_ns(p), SP_UNSET);
	assert_false(sp_policy_has_seccomp(p));
	sp_policy_free(p);
}

static void test_syscall_semantics(void **state)
{
	sp_policy_t *p;
	sp_err_t err;

	/* allow-list: @default implied, ~ removes, other syscalls get SystemCallErrorNumber= */
	assert_int_equal(parse_text("[Seccomp]\nSystemCallFilter=@basic-io\n"
				    "SystemCallFilter=~write\nSystemCallErrorNumber=EACCES\n",
				    &p, &err),
			 0);
	assert_int_equal(sp_policy_syscall_action(p, "read"), 0);
	assert_int_equal(sp_policy_syscall_action(p, "execve"), 0);
	assert_int_equal(sp_policy_syscall_action(p, "write"), EACCES);
	assert_int_equal(sp_policy_syscall_action(p, "mount"), EACCES);
	sp_policy_free(p);

	/* deny-list: first line decides; a later plain line removes from it */
	assert_int_equal(parse_text("[Seccomp]\nSystemCallFilter=~@mount ptrace:EPERM\n"
				    "SystemCallFilter=mount\n",
				    &p, &err),
			 0);
	assert_int_equal(sp_policy_syscall_action(p, "mount"), 0);
	assert_int_equal(sp_policy_syscall_action(p, "umount2"), SP_SC_ACT_KILL);
	assert_int_equal(sp_policy_syscall_action(p, "ptrace"), EPERM);
	assert_int_equal(sp_policy_syscall_action(p, "read"), 0);
	sp_policy_free(p);

	/* a later entry replaces the action of an earlier one */
	assert_int_equal(parse_text("[Seccomp]\nSystemCallFilter=~ptrace:EPERM\n"
				    "SystemCallFilter=~ptrace:kill\n",
				    &p, &err),
			 0);
	assert_int_equal(sp_policy_syscall_action(p, "ptrace"), SP_SC_ACT_KILL);
	sp_policy_free(p);
}

static void test_load(void **state)
{
	static const char *const shipped[] = {"default", "strict", "compute",
					      "build",	 "python", "nonet"};
	sp_policy_t *p;
	sp_err_t err;
	char path[512];

	for (size_t i = 0; i < SP_ARRAY_SIZE(shipped); i++) {
		if (sp_policy_load(shipped[i], &p, &err) < 0)
			fail_msg("shipped policy %s: %s", shipped[i], err.msg);
		check_round_trip(p, shipped[i]);
		sp_policy_free(p);
	}
	snprintf(path, sizeof(path), "%s/nonet.ini", getenv("SANDPOOL_POLICY_DIR"));
	assert_int_equal(sp_policy_load(path, &p, &err), 0);
	sp_policy_free(p);
	assert_int_equal(sp_policy_load("no-such-policy", &p, &err), -1);
	assert_non_null(strstr(err.msg, "no policy named \"no-such-policy\" in "));
	assert_int_equal(sp_policy_load("/nonexistent/x.ini", &p, &err), -ENOENT);
	assert_string_equal(err.msg, "opening policy file /nonexistent/x.ini");
	assert_int_equal(sp_policy_load("a b", &p, &err), -1);
	assert_int_equal(err.kind, SP_EK_POLICY);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_valid),
	    cmocka_unit_test(test_invalid),
	    cmocka_unit_test(test_long_line),
	    cmocka_unit_test(test_leaf_settings),
	    cmocka_unit_test(test_percent_memory),
	    cmocka_unit_test(test_default_policy),
	    cmocka_unit_test(test_syscall_semantics),
	    cmocka_unit_test(test_load),
	};

	setenv("SANDPOOL_POLICY_DIR", SP_TEST_POLICY_DIR, 0);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
