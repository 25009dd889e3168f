/* test_duration.c: systemd-style time spans, table-driven. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "duration.h"

static const struct {
	const char *text;
	uint64_t ns;
} valid[] = {
    {"5", 5000000000ull},
    {"5s", 5000000000ull},
    {"500ms", 500000000ull},
    {"2m", 120000000000ull},
    {"2min", 120000000000ull},
    {"1h 30min", 5400000000000ull},
    {"1h30min", 5400000000000ull},
    {"1.5s", 1500000000ull},
    {"0", 0},
    {"0s", 0},
    {"250us", 250000ull},
    {"10ns", 10ull},
    {"1d", 86400000000000ull},
    {"1w", 604800000000000ull},
    {"3 sec", 3000000000ull},
    {" 7s", 7000000000ull},
    {"infinity", UINT64_MAX},
};

static const char *const invalid[] = {
    "", "   ", "s", "5x", "5 parsecs", "-1s", "1e30w", "ms5", "5s,",
};

static void test_valid(void **state)
{
	for (size_t i = 0; i < sizeof(valid) / sizeof(valid[0]); i++) {
		uint64_t ns = 42;
		sp_err_t err;
		int r = sp_duration_parse(valid[i].text, &ns, &err);
		if (r != 0)
			fail_msg("\"%s\" refused: %s", valid[i].text, err.msg);
		assert_int_equal(ns, valid[i].ns);
	}
}

static void test_invalid(void **state)
{
	for (size_t i = 0; i < sizeof(invalid) / sizeof(invalid[0]); i++) {
		uint64_t ns = 0;
		sp_err_t err;
		if (sp_duration_parse(invalid[i], &ns, &err) == 0)
			fail_msg("\"%s\" accepted as %llu ns", invalid[i], (unsigned long long)ns);
		assert_int_equal(err.kind, SP_EK_USAGE);
		assert_non_null(strstr(err.msg, "duration"));
	}
}

static void test_unknown_unit_message(void **state)
{
	uint64_t ns;
	sp_err_t err;

	assert_int_not_equal(sp_duration_parse("5x", &ns, &err), 0);
	assert_string_equal(err.msg, "invalid duration \"5x\": unknown unit at \"x\" (use ns, us, "
				     "ms, s, min, h, d, w)");
}

static void test_format(void **state)
{
	char buf[32];

	assert_string_equal(sp_duration_format(1500000000ull, buf, sizeof(buf)), "1.5s");
	assert_string_equal(sp_duration_format(250000000ull, buf, sizeof(buf)), "250ms");
	assert_string_equal(sp_duration_format(UINT64_MAX, buf, sizeof(buf)), "infinity");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_valid),
	    cmocka_unit_test(test_invalid),
	    cmocka_unit_test(test_unknown_unit_message),
	    cmocka_unit_test(test_format),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
