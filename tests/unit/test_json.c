/* test_json.c: JSON escaping and the job-log line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "json.h"
#include "report.h"

static const struct {
	const char *in, *out;
} cases[] = {
    {"plain", "\"plain\""},
    {"q\"uote", "\"q\\\"uote\""},
    {"back\\slash", "\"back\\\\slash\""},
    {"nl\ncr\rtab\t", "\"nl\\ncr\\rtab\\t\""},
    {"\b\f", "\"\\b\\f\""},
    {"\x01\x1f", "\"\\u0001\\u001f\""},
    {"\x7f", "\"\\u007f\""},
    {"caf\xc3\xa9", "\"caf\xc3\xa9\""},	  /* valid UTF-8 kept */
    {"\xe2\x82\xac", "\"\xe2\x82\xac\""}, /* euro sign */
    {"bad\xff", "\"bad\\u00ff\""},	  /* invalid byte escaped */
    {"trunc\xc3", "\"trunc\\u00c3\""},	  /* truncated sequence */
    {"\xc0\xaf", "\"\\u00c0\\u00af\""},	  /* overlong */
    {"", "\"\""},
    {"\xe0\x80\x80", "\"\\u00e0\\u0080\\u0080\""},	      /* overlong 3-byte */
    {"\xed\xa0\x80", "\"\\u00ed\\u00a0\\u0080\""},	      /* a surrogate */
    {"\xf4\x90\x80\x80", "\"\\u00f4\\u0090\\u0080\\u0080\""}, /* above U+10FFFF */
    {"\xf0\x9f\x98\x80", "\"\xf0\x9f\x98\x80\""},	      /* an emoji: kept */
};

static void test_escape(void **state)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		sp_json_t j;
		sp_json_init(&j);
		sp_json_escape(&j, cases[i].in);
		if (strcmp(j.buf, cases[i].out) != 0)
			fail_msg("case %zu: got %s want %s", i, j.buf, cases[i].out);
		sp_json_free(&j);
	}
}

static void test_record_line(void **state)
{
	const char *cols[] = {"in\"put"};
	char *argv[] = {"echo", "in\"put", NULL};
	sp_task_record_t t = {
	    .seq = 3,
	    .cols = cols,
	    .ncols = 1,
	    .argv = argv,
	    .status = SP_ST_TIMEOUT,
	    .exit_code = -1,
	    .signal = 9,
	    .wall_s = 1.5,
	    .descendants_killed = 2,
	    .cgroup = "/cg/t3",
	    .mode = "cgroup",
	    .memory_peak = -1,
	};
	char *line = sp_report_json_line(&t);

	assert_string_equal(line,
			    "{\"seq\":3,\"input\":\"in\\\"put\",\"argv\":[\"echo\","
			    "\"in\\\"put\"],\"status\":\"timeout\",\"exit_code\":null,"
			    "\"signal\":\"SIGKILL\",\"wall_s\":1.500000,\"user_s\":0.000000,"
			    "\"sys_s\":0.000000,\"descendants_killed\":2,\"cgroup\":\"/cg/t3\","
			    "\"mode\":\"cgroup\"}\n");
	free(line);
}

static void test_record_seccomp(void **state)
{
	char *argv[] = {"x", NULL};
	sp_task_record_t t = {
	    .seq = 1,
	    .argv = argv,
	    .status = SP_ST_SECCOMP,
	    .exit_code = -1,
	    .signal = 9,
	    .descendants_killed = -1,
	    .mode = "process-group",
	    .syscall = "ptrace",
	    .memory_peak = 4096,
	};
	char *line = sp_report_json_line(&t);

	assert_non_null(strstr(line, "\"input\":null"));
	assert_non_null(strstr(line, "\"descendants_killed\":null"));
	assert_non_null(strstr(line, "\"cgroup\":null"));
	assert_non_null(strstr(line, "\"memory_peak_bytes\":4096"));
	assert_non_null(strstr(line, "\"syscall\":\"ptrace\""));
	free(line);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_escape),
	    cmocka_unit_test(test_record_line),
	    cmocka_unit_test(test_record_seccomp),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
