/* test_cghost.c: finding the cgroup v2 mount and our cgroup from mountinfo and
 * /proc/self/cgroup, pool names, and what libcgroup says on this host. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "cgmap.h"
#include "cgroup.h"

#define HYBRID                                                                                     \
	"31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755\n"                      \
	"35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory\n"               \
	"41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw\n"
#define UNIFIED	  "30 23 0:26 / /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw,nsdelegate\n"
#define CONTAINER "90 80 0:26 /docker/abc /sys/fs/cgroup ro,nosuid - cgroup2 cgroup2 rw\n"
#define SPACED	  "30 23 0:26 / /mnt/my\\040cg rw - cgroup2 cgroup2 rw\n"

static const struct {
	const char *mountinfo, *proc_cgroup, *mount, *own;
} ok_cases[] = {
    {HYBRID, "4:memory:/x\n0::/\n", "/sys/fs/cgroup/unified", "/"},
    {UNIFIED, "0::/user.slice/user-1000.slice/session-2.scope\n", "/sys/fs/cgroup",
     "/user.slice/user-1000.slice/session-2.scope"},
    {CONTAINER, "0::/docker/abc/inner\n", "/sys/fs/cgroup", "/inner"},
    {CONTAINER, "0::/docker/abc\n", "/sys/fs/cgroup", "/"},
    {SPACED, "0::/a b\n", "/mnt/my cg", "/a b"},
};

static void test_parse_ok(void **state)
{
	for (size_t i = 0; i < sizeof(ok_cases) / sizeof(ok_cases[0]); i++) {
		sp_cghost_t h;
		sp_err_t err;
		if (sp_cghost_parse(&h, ok_cases[i].mountinfo, ok_cases[i].proc_cgroup, &err) < 0)
			fail_msg("case %zu: %s", i, err.msg);
		assert_string_equal(h.mount, ok_cases[i].mount);
		assert_string_equal(h.own, ok_cases[i].own);
		sp_cghost_free(&h);
	}
}

static void test_parse_errors(void **state)
{
	sp_cghost_t h;
	sp_err_t err;

	assert_int_not_equal(
	    sp_cghost_parse(&h, "35 31 0:32 / /x rw - cgroup cgroup rw\n", "0::/\n", &err), 0);
	assert_non_null(strstr(err.msg, "no cgroup2 file system is mounted"));
	assert_int_not_equal(sp_cghost_parse(&h, UNIFIED, "4:memory:/\n", &err), 0);
	assert_non_null(strstr(err.msg, "\"0::\""));
	assert_int_not_equal(sp_cghost_parse(&h, CONTAINER, "0::/elsewhere\n", &err), 0);
	assert_non_null(strstr(err.msg, "outside the cgroup2 mount's root"));
	assert_int_not_equal(sp_cghost_parse(&h, UNIFIED, "0::/gone (deleted)\n", &err), 0);
	assert_non_null(strstr(err.msg, "deleted"));
}

static void test_pool_names(void **state)
{
	unsigned long long start;
	pid_t pid;

	assert_int_equal(sp_pool_name_parse("sandpool-123-4567", &pid, &start), 0);
	assert_int_equal(pid, 123);
	assert_int_equal(start, 4567);
	assert_int_not_equal(sp_pool_name_parse("sandpool-123-4567x", &pid, &start), 0);
	assert_int_not_equal(sp_pool_name_parse("sandpool-doctor-5", &pid, &start), 0);
	assert_int_not_equal(sp_pool_name_parse("sandpool-test-5", &pid, &start), 0);
	assert_int_not_equal(sp_pool_name_parse("sandpool-0-1", &pid, &start), 0);
	assert_int_equal(sp_proc_start_time(getpid(), &start), 0);
	assert_true(start > 0);
}

/* On the real host: our discovery must agree with libcgroup wherever libcgroup
 * knows the v2 mount (through a controller bound to it). */
static void test_host_agrees_with_libcgroup(void **state)
{
	sp_cghost_t h;
	sp_cgmap_t map;
	sp_err_t err;
	size_t v2 = 0;

	assert_int_equal(sp_cghost_discover(&h, &err), 0);
	assert_int_equal(access(h.mount, R_OK), 0);
	sp_cgmap_load(&map, h.mount);
	assert_true(map.ok);
	for (size_t i = 0; i < map.n; i++)
		v2 += map.e[i].v2;
	printf("# v2 mount %s, own cgroup %s, libcgroup lists %zu controllers (%zu on v2)\n",
	       h.mount, h.own, map.n, v2);
	sp_cghost_free(&h);
}

static void test_explain_missing_controller(void **state)
{
	sp_cgmap_t map = {.ok = true, .n = 1};
	char buf[512];

	snprintf(map.e[0].name, sizeof(map.e[0].name), "memory");
	snprintf(map.e[0].path, sizeof(map.e[0].path), "/sys/fs/cgroup/memory");
	sp_cgmap_explain(&map, "memory", buf, sizeof(buf));
	assert_non_null(strstr(buf, "cgroup v1 hierarchy (/sys/fs/cgroup/memory)"));
	assert_non_null(strstr(buf, "cgroup_no_v1"));
	sp_cgmap_explain(&map, "pids", buf, sizeof(buf));
	assert_non_null(strstr(buf, "not available"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_parse_ok),
	    cmocka_unit_test(test_parse_errors),
	    cmocka_unit_test(test_pool_names),
	    cmocka_unit_test(test_host_agrees_with_libcgroup),
	    cmocka_unit_test(test_explain_missing_controller),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
