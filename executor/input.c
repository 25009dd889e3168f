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
	in->fd = -1;
}

void sp_inputs_free(sp_inputs_t *in)
{
	if (in->lines) {
		for (size_t i = 0; i < in->ncol[0]; i++)
			free(in->col[0][i]);
		free(in->col[0]);
	}
	free(in->partial);
	sp_inputs_init(in);
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

void sp_inputs_stream(sp_inputs_t *in, int fd, char sep)
{
	sp_inputs_free(in);
	in->lines = true;
	in->fd = fd;
	in->sep = sep;
	in->ncols = 1;
}

static void add_line(sp_inputs_t *in, const char *text, size_t len)
{
	char *line = sp_xmalloc(len + 1);

	memcpy(line, text, len);
	line[len] = '\0';
	if (in->ncol[0] == in->cap) {
		in->cap = in->cap ? in->cap * 2 : 256;
		in->col[0] = sp_xrealloc(in->col[0], in->cap * sizeof(char *));
	}
	in->col[0][in->ncol[0]++] = line;
	in->count = in->ncol[0];
}

/* Append bytes to the unfinished line. */
static void add_partial(sp_inputs_t *in, const char *text, size_t len)
{
	if (len == 0)
		return;
	if (in->plen + len > in->pcap) {
		in->pcap = (in->plen + len) * 2;
		in->partial = sp_xrealloc(in->partial, in->pcap);
	}
	memcpy(in->partial + in->plen, text, len);
	in->plen += len;
}

static void split(sp_inputs_t *in, const char *buf, size_t len)
{
	const char *p = buf, *end = buf + len, *stop;

	while ((stop = memchr(p, in->sep, (size_t)(end - p)))) {
		if (in->plen) {
			add_partial(in, p, (size_t)(stop - p));
			add_line(in, in->partial, in->plen);
			in->plen = 0;
		} else {
			add_line(in, p, (size_t)(stop - p));
		}
		p = stop + 1;
	}
	add_partial(in, p, (size_t)(end - p));
}

int sp_inputs_stream_read(sp_inputs_t *in, sp_err_t *err)
{
	char buf[65536];
	ssize_t n;

	if (in->fd < 0)
		return 1;
	n = read(in->fd, buf, sizeof(buf));
	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return 0;
	if (n < 0)
		return sp_err_set(err, errno, "reading inputs from standard input");
	if (n > 0) {
		split(in, buf, (size_t)n);
		return 0;
	}
	if (in->plen)
		add_line(in, in->partial, in->plen);
	in->plen = 0;
	in->fd = -1;
	return 1;
}

int sp_inputs_read_fd(sp_inputs_t *in, int fd, char sep, sp_err_t *err)
{
	int r;

	sp_inputs_stream(in, fd, sep);
	while ((r = sp_inputs_stream_read(in, err)) == 0)
		;
	return r < 0 ? -1 : 0;
}

void sp_inputs_get(const sp_inputs_t *in, size_t idx, const char **cols)
{
	for (size_t i = in->ncols; i-- > 0;) {
		cols[i] = in->col[i][idx % in->ncol[i]];
		idx /= in->ncol[i];
	}
}
