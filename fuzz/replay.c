/* A plain main() for the fuzz targets, so their seed corpora run as ordinary
 * tests in every build (tests/fuzz.cmake), as libgit2's fuzzers/standalone
 * driver does.  Usage: fuzz_<name>_replay FILE-OR-DIR...  Every regular
 * file named, or found directly inside a folder named, is read and passed
 * to LLVMFuzzerTestOneInput() once; a contract the target checks aborts the
 * run.  Files are taken in name order so a failure is reproducible. */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

/* Reads path into a fresh heap buffer (never NULL, even when empty). */
static int read_file(const char *path, uint8_t **data, size_t *size)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return -1;
	size_t cap = 4096, len = 0;
	uint8_t *buf = np_xmalloc(cap);
	size_t n;
	while ((n = fread(buf + len, 1, cap - len, f)) > 0) {
		len += n;
		if (len == cap)
			buf = np_xrealloc(buf, cap = np_mul(cap, 2));
	}
	int err = ferror(f);
	fclose(f);
	if (err) {
		free(buf);
		return -1;
	}
	*data = buf;
	*size = len;
	return 0;
}

static int run_file(const char *path)
{
	uint8_t *data;
	size_t size;
	if (read_file(path, &data, &size) != 0) {
		fprintf(stderr, "%s: cannot read: %s\n", path, strerror(errno));
		return 1;
	}
	fprintf(stderr, "%s (%zu bytes)\n", path, size);
	LLVMFuzzerTestOneInput(data, size);
	free(data);
	return 0;
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static int run_dir(const char *dir, size_t *count)
{
	struct dirent **ents;
	int n = scandir(dir, &ents, NULL, by_name);
	if (n < 0) {
		fprintf(stderr, "%s: cannot list: %s\n", dir, strerror(errno));
		return 1;
	}
	int failed = 0;
	for (int i = 0; i < n; i++) {
		np_buf p;
		np_buf_init(&p);
		np_buf_printf(&p, "%s/%s", dir, ents[i]->d_name);
		struct stat st;
		if (ents[i]->d_name[0] != '.' && stat(p.data, &st) == 0 && S_ISREG(st.st_mode)) {
			failed |= run_file(p.data);
			(*count)++;
		}
		np_buf_dispose(&p);
		free(ents[i]);
	}
	free(ents);
	return failed;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: %s FILE-OR-DIR...\n", argv[0]);
		return 2;
	}
	int failed = 0;
	size_t count = 0;
	for (int i = 1; i < argc; i++) {
		struct stat st;
		if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode)) {
			failed |= run_dir(argv[i], &count);
		} else {
			failed |= run_file(argv[i]);
			count++;
		}
	}
	if (count == 0) {
		fprintf(stderr, "no input files\n");
		return 1;
	}
	fprintf(stderr, "%zu inputs replayed\n", count);
	return failed;
}
