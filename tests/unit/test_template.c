/* test_template.c: replacement strings, appending, input groups and line splitting. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "input.h"
#include "template.h"

static const struct {
	const char *word;
	const char *input;
	const char *expect;
} words[] = {
    {"{}", "dir/file.tar.gz", "dir/file.tar.gz"},
    {"{.}", "dir/file.tar.gz", "dir/file.tar"},
    {"{/}", "dir/file.tar.gz", "file.tar.gz"},
    {"{//}", "dir/file.tar.gz", "dir"},
    {"{/.}", "dir/file.tar.gz", "file.tar"},
    {"{//}", "file", "."},
    {"{//}", "/file", "/"},
    {"{.}", "dir.d/file", "dir.d/file"},
    {"{/.}", ".hidden", ".hidden"},
    {"x{}y", "a", "xay"},
    {"{}{}", "a", "aa"},
    {"{#}-{%}", "a", "7-2"},
    {"{1}", "a", "a"},
    {"{2}", "a", "{2}"}, /* no second group: left alone */
    {"{foo}", "a", "{foo}"},
    {"{", "a", "{"},
    {"}{", "a", "}{"},
    {"{}", "", ""},
    {"{}", "with space", "with space"},
};

static void test_words(void **state)
{
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		const char *cols[1] = {words[i].input};
		char *got = sp_template_expand_word(words[i].word, cols, 1, 7, 2);
		if (strcmp(got, words[i].expect) != 0)
			fail_msg("%s with \"%s\": got \"%s\", want \"%s\"", words[i].word,
				 words[i].input, got, words[i].expect);
		free(got);
	}
}

static void test_two_groups(void **state)
{
	const char *cols[2] = {"a.c", "x"};
	char *got = sp_template_expand_word("{1.}-{2}:{}", cols, 2, 1, 1);

	assert_string_equal(got, "a-x:a.c x");
	free(got);
}

static void test_append_when_no_replacement(void **state)
{
	char *argv[] = {"echo", "hello", NULL};
	const char *cols[1] = {"in put"};
	sp_template_t t;
	sp_err_t err;
	char **out;

	assert_int_equal(sp_template_init(&t, argv, 2, &err), 0);
	assert_true(t.append_input);
	out = sp_template_expand(&t, cols, 1, 1, 1);
	assert_string_equal(out[0], "echo");
	assert_string_equal(out[1], "hello");
	assert_string_equal(out[2], "in put"); /* one word: no shell splitting */
	assert_null(out[3]);
	free(out);
	sp_template_free(&t);
}

static void test_no_append_with_replacement(void **state)
{
	char *argv[] = {"cp", "{}", "{.}.bak", NULL};
	const char *cols[1] = {"f.txt"};
	sp_template_t t;
	sp_err_t err;
	char **out;

	assert_int_equal(sp_template_init(&t, argv, 3, &err), 0);
	assert_false(t.append_input);
	out = sp_template_expand(&t, cols, 1, 1, 1);
	assert_string_equal(out[1], "f.txt");
	assert_string_equal(out[2], "f.bak");
	assert_null(out[3]);
	free(out);
	sp_template_free(&t);
}

static void test_empty_command(void **state)
{
	sp_template_t t;
	sp_err_t err;

	assert_int_not_equal(sp_template_init(&t, NULL, 0, &err), 0);
	assert_int_equal(err.kind, SP_EK_USAGE);
}

static void test_cartesian_product(void **state)
{
	char *g1[] = {"a", "b"}, *g2[] = {"1", "2", "3"};
	const char *cols[SP_INPUT_MAX_COLS];
	sp_inputs_t in;
	sp_err_t err;

	sp_inputs_init(&in);
	assert_int_equal(sp_inputs_add_group(&in, g1, 2, &err), 0);
	assert_int_equal(sp_inputs_add_group(&in, g2, 3, &err), 0);
	assert_int_equal(in.count, 6);
	sp_inputs_get(&in, 0, cols);
	assert_string_equal(cols[0], "a");
	assert_string_equal(cols[1], "1");
	sp_inputs_get(&in, 4, cols);
	assert_string_equal(cols[0], "b");
	assert_string_equal(cols[1], "2");
	sp_inputs_free(&in);
}

static void read_lines(const char *text, size_t len, char sep, sp_inputs_t *in)
{
	int p[2];
	sp_err_t err;

	assert_int_equal(pipe(p), 0);
	assert_int_equal(write(p[1], text, len), (ssize_t)len);
	close(p[1]);
	sp_inputs_init(in);
	assert_int_equal(sp_inputs_read_fd(in, p[0], sep, &err), 0);
	close(p[0]);
}

static void test_lines(void **state)
{
	const char *cols[SP_INPUT_MAX_COLS];
	sp_inputs_t in;

	read_lines("one\ntwo words\n\nlast", 19, '\n', &in);
	assert_int_equal(in.count, 4);
	sp_inputs_get(&in, 1, cols);
	assert_string_equal(cols[0], "two words");
	sp_inputs_get(&in, 2, cols);
	assert_string_equal(cols[0], ""); /* an empty line is an input */
	sp_inputs_get(&in, 3, cols);
	assert_string_equal(cols[0], "last");
	sp_inputs_free(&in);

	read_lines("a\nb\0c", 5, '\0', &in);
	assert_int_equal(in.count, 2);
	sp_inputs_get(&in, 0, cols);
	assert_string_equal(cols[0], "a\nb");
	sp_inputs_free(&in);

	read_lines("", 0, '\n', &in);
	assert_int_equal(in.count, 0);
	sp_inputs_free(&in);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_words),
	    cmocka_unit_test(test_two_groups),
	    cmocka_unit_test(test_append_when_no_replacement),
	    cmocka_unit_test(test_no_append_with_replacement),
	    cmocka_unit_test(test_empty_command),
	    cmocka_unit_test(test_cartesian_product),
	    cmocka_unit_test(test_lines),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
