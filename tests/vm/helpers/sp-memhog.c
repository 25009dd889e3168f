/* sp-memhog: allocate and touch memory 1 MiB at a time, for the VM's OOM and swap tests.
 * Usage: sp-memhog MIB [HOLD_S]: touch MIB MiB, print "memhog: touched N MiB", hold, exit 0. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MIB (1024L * 1024L)

static long parse_count(const char *s, const char *what)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (*s == '\0' || *end != '\0' || v < 0) {
		fprintf(stderr, "sp-memhog: bad %s '%s'\n", what, s);
		exit(2);
	}
	return v;
}

int main(int argc, char **argv)
{
	long want, hold, i;

	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: sp-memhog MIB [HOLD_S]\n");
		return 2;
	}
	want = parse_count(argv[1], "size");
	hold = argc == 3 ? parse_count(argv[2], "hold time") : 0;
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (i = 0; i < want; i++) {
		char *p = malloc(MIB);

		if (p == NULL) {
			printf("memhog: malloc failed after %ld MiB\n", i);
			return 1;
		}
		memset(p, (int)(i & 0xff) | 1, MIB);
		if ((i + 1) % 16 == 0) {
			printf("memhog: %ld MiB\n", i + 1);
		}
	}
	printf("memhog: touched %ld MiB\n", want);
	if (hold > 0) {
		sleep((unsigned)hold);
	}
	return 0;
}
