/* input.c: input groups and their cartesian product; reading inputs from a fd. */
#include "config.h"
#include "input.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "util.h"

void sp_inputs_init(sp_inputs_t *in)
{
	memset(in, 0, sizeof(*in));
}

void sp_inputs_free(sp_inputs_t *in)
{
	if (in->storage)
		free(in->col[0]);
	free(in->storage);
	memset(in, 0, sizeof(*in));
}

static void recount(sp_inputs_t *in)
{
	in->count = in->ncols ? 1 : 0;
	for (size_t i = 0; i < in->ncols; i++)
		in->count *= in->ncol[i];
}

int sp_inputs_add_group(sp_inputs_t *in, char **values, size_t n, sp_err_t *err)
{
	if (in->ncols == SP_INPUT_MAX_COLS)
		return sp_err_setk(err, SP_EK_USAGE, 0, "at most %d ::: groups are supported",
				   SP_INPUT_MAX_COLS);
	if (in->ncols && n && in->count > ((size_t)-1) / n)
		return sp_err_setk(err, SP_EK_USAGE, 0, "too many input combinations");
	in->col[in->ncols] = values;
	in->ncol[in->ncols] = n;
	in->ncols++;
	recount(in);
	return 0;
}

static int slurp(int fd, char **out, size_t *outlen, sp_err_t *err)
{
	size_t cap = 65536, len = 0;
	char *buf = sp_xmalloc(cap);

	for (;;) {
		ssize_t n;
		if (len + 1 >= cap)
			buf = sp_xrealloc(buf, cap *= 2);
		n = read(fd, buf + len, cap - len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			free(buf);
			return sp_err_set(err, errno, "reading inputs from standard input");
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	buf[len] = '\0';
	*out = buf;
	*outlen = len;
	return 0;
}

int sp_inputs_read_fd(sp_inputs_t *in, int fd, char sep, sp_err_t *err)
{
	size_t len = 0, n = 0, cap = 64;
	char *buf = NULL, *p, *end;
	char **lines;

	if (slurp(fd, &buf, &len, err) < 0)
		return -1;
	lines = sp_xmalloc(cap * sizeof(*lines));
	for (p = buf, end = buf + len; p < end;) {
		char *stop = memchr(p, sep, (size_t)(end - p));
		if (!stop)
			stop = end;
		*stop = '\0';
		if (n == cap)
			lines = sp_xrealloc(lines, (cap *= 2) * sizeof(*lines));
		lines[n++] = p;
		p = stop + 1;
	}
	sp_inputs_free(in);
	in->storage = buf;
	return sp_inputs_add_group(in, lines, n, err);
}

void sp_inputs_get(const sp_inputs_t *in, size_t idx, const char **cols)
{
	for (size_t i = in->ncols; i-- > 0;) {
		cols[i] = in->col[i][idx % in->ncol[i]];
		idx /= in->ncol[i];
	}
}
