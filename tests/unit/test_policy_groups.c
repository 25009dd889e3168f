/* test_policy_groups.c: our syscall group tables against the installed systemd
 * (`systemd-analyze syscall-filter @group`), and naming syscalls from notifications. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "executor/util.h"
#include "policy/seccomp.h"
#include "policy/syscall_groups.h"

/* Differences we know and accept, per group ("+name": only ours, "-name": only systemd's).
 * Empty: our tables hold systemd 252's membership exactly. */
static const struct {
	const char *group, *diff;
} explained[] = {
    {"", ""}, /* end */
};

/* Names in the groups that libseccomp 2.5.4 does not know: all of them are system calls of
 * other architectures (alpha, arc, m68k, sparc, ...) or newer than libseccomp; a filter
 * cannot name them, which changes nothing on x86. */
static const char *const not_in_libseccomp[] = {
    "arc_gettls",
    "arc_settls",
    "arc_usr_cmpxchg",
    "atomic_barrier",
    "atomic_cmpxchg_32",
    "dipc",
    "exec_with_loader",
    "execv",
    "getdomainname",
    "getdtablesize",
    "gethostname",
    "getpagesize",
    "getxgid",
    "getxpid",
    "getxuid",
    "kern_features",
    "memory_ordering",
    "old_adjtimex",
    "oldumount",
    "or1k_atomic",
    "osf_fstat",
    "osf_fstatfs",
    "osf_fstatfs64",
    "osf_getdirentries",
    "osf_getdomainname",
    "osf_getitimer",
    "osf_getrusage",
    "osf_getsysinfo",
    "osf_gettimeofday",
    "osf_lstat",
    "osf_mount",
    "osf_proplist_syscall",
    "osf_select",
    "osf_set_program_attributes",
    "osf_setitimer",
    "osf_setsysinfo",
    "osf_settimeofday",
    "osf_shmat",
    "osf_sigprocmask",
    "osf_sigstack",
    "osf_stat",
    "osf_statfs",
    "osf_statfs64",
    "osf_swapon",
    "osf_syscall",
    "osf_sysinfo",
    "osf_usleep_thread",
    "osf_utimes",
    "osf_utsname",
    "osf_wait4",
    "perfctr",
    "riscv_hwprobe",
    "sched_get_affinity",
    "sched_set_affinity",
    "sethae",
    "setpgrp",
    "utrap_install",
    "uretprobe",
};

static bool is_explained(const char *group, char sign, const char *name)
{
	char want[64];

	snprintf(want, sizeof(want), "%c%s", sign, name);
	for (size_t i = 0; explained[i].group[0]; i++)
		if (strcmp(explained[i].group, group) == 0 && strcmp(explained[i].diff, want) == 0)
			return true;
	return false;
}

typedef struct {
	char **v;
	size_t n;
} list_t;

static bool list_has(const list_t *l, const char *s)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->v[i], s) == 0)
			return true;
	return false;
}

/* The members of GROUP as systemd-analyze prints them (names and @references). */
static list_t systemd_members(const char *group)
{
	char cmd[128], line[256];
	list_t l = {NULL, 0};
	FILE *f;

	snprintf(cmd, sizeof(cmd), "systemd-analyze --no-pager syscall-filter %s 2>/dev/null",
		 group);
	f = popen(cmd, "r");
	assert_non_null(f);
	while (fgets(line, sizeof(line), f)) {
		char *s = line + strspn(line, " ");
		s[strcspn(s, "\n")] = '\0';
		if (s == line || !*s || *s == '#')
			continue; /* the group's own name, comments */
		l.v = sp_xrealloc(l.v, (l.n + 1) * sizeof(char *));
		l.v[l.n++] = sp_xstrdup(s);
	}
	assert_int_equal(pclose(f), 0);
	return l;
}

static void list_free(list_t *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
}

static bool have_systemd_analyze(void)
{
	return system("systemd-analyze --version >/dev/null 2>&1") == 0;
}

static void test_groups_match_systemd(void **state)
{
	const sp_syscall_group_t *g;
	size_t n = sp_syscall_groups(&g), bad = 0;

	if (!have_systemd_analyze()) {
		print_message("systemd-analyze not installed: comparison not run\n");
		skip();
	}
	for (size_t i = 0; i < n; i++) {
		list_t sd = systemd_members(g[i].name), ours = {NULL, 0};
		for (const char *const *m = g[i].members; *m; m++) {
			ours.v = sp_xrealloc(ours.v, (ours.n + 1) * sizeof(char *));
			ours.v[ours.n++] = sp_xstrdup(*m);
		}
		if (!sd.n) {
			print_error("%s: systemd does not know this group\n", g[i].name);
			bad++;
		}
		for (size_t j = 0; j < ours.n; j++)
			if (!list_has(&sd, ours.v[j]) && !is_explained(g[i].name, '+', ours.v[j])) {
				print_error("%s: %s is ours only\n", g[i].name, ours.v[j]);
				bad++;
			}
		for (size_t j = 0; j < sd.n; j++)
			if (!list_has(&ours, sd.v[j]) && !is_explained(g[i].name, '-', sd.v[j])) {
				print_error("%s: %s is systemd's only\n", g[i].name, sd.v[j]);
				bad++;
			}
		list_free(&sd);
		list_free(&ours);
	}
	assert_int_equal(bad, 0);
}

/* Every group systemd lists is one of ours. */
static void test_no_group_missing(void **state)
{
	char line[256];
	FILE *f;
	size_t bad = 0, seen = 0;

	if (!have_systemd_analyze())
		skip();
	f = popen("systemd-analyze --no-pager syscall-filter 2>/dev/null", "r");
	assert_non_null(f);
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		if (line[0] != '@')
			continue;
		seen++;
		if (!sp_syscall_group(line)) {
			print_error("systemd group %s is not ours\n", line);
			bad++;
		}
	}
	pclose(f);
	assert_true(seen >= 28);
	assert_int_equal(bad, 0);
}

static void check_known_to_libseccomp(const char *name, void *ud)
{
	size_t *bad = ud;

	if (seccomp_syscall_resolve_name(name) != __NR_SCMP_ERROR)
		return;
	for (size_t i = 0; i < SP_ARRAY_SIZE(not_in_libseccomp); i++)
		if (strcmp(not_in_libseccomp[i], name) == 0)
			return;
	print_error("%s is unknown to libseccomp and not explained\n", name);
	(*bad)++;
}

static void test_members_known_to_libseccomp(void **state)
{
	const sp_syscall_group_t *g;
	size_t n = sp_syscall_groups(&g), bad = 0;

	for (size_t i = 0; i < n; i++)
		assert_int_equal(
		    sp_syscall_group_expand(g[i].name, check_known_to_libseccomp, &bad), 0);
	assert_int_equal(bad, 0);
}

static void count(const char *name, void *ud)
{
	(*(size_t *)ud)++;
}

static void test_expand(void **state)
{
	size_t n = 0;

	assert_int_equal(sp_syscall_group_expand("@reboot", count, &n), 0);
	assert_int_equal(n, 3);
	n = 0;
	assert_int_equal(sp_syscall_group_expand("@system-service", count, &n), 0);
	assert_true(n > 300);
	assert_int_equal(sp_syscall_group_expand("@nope", count, &n), -1);
	assert_string_equal(sp_syscall_known("ptrace"), "ptrace");
	assert_null(sp_syscall_known("frobnicate"));
}

static void test_syscall_name(void **state)
{
	assert_string_equal(sp_seccomp_syscall_name(SCMP_ARCH_X86_64, 39), "getpid");
	assert_string_equal(sp_seccomp_syscall_name(SCMP_ARCH_X86_64, 101), "ptrace");
	assert_string_equal(sp_seccomp_syscall_name(SCMP_ARCH_X86_64, 39 | 0x40000000), "getpid");
	assert_string_equal(sp_seccomp_syscall_name(SCMP_ARCH_X86, 20), "getpid");
	assert_string_equal(sp_seccomp_syscall_name(SCMP_ARCH_X86, 102), "socketcall");
	assert_null(sp_seccomp_syscall_name(SCMP_ARCH_X86_64, 99999));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_groups_match_systemd),
	    cmocka_unit_test(test_no_group_missing),
	    cmocka_unit_test(test_members_known_to_libseccomp),
	    cmocka_unit_test(test_expand),
	    cmocka_unit_test(test_syscall_name),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
