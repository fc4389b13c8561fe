/* A plain main() for the fuzz targets, so their seed corpora run as ordinary
 * tests in every build (tests/fuzz.cmake), as libgit2's fuzzers/standalone
 * driver does.
 *
 *   fuzz_<name>_replay [--cpu-seconds N] [--limit-mb N] FILE-OR-DIR...
 *
 * Every regular file named, or found directly inside a folder named, is read
 * and passed to LLVMFuzzerTestOneInput() once; a contract the target checks
 * aborts the run.  Files are taken in name order so a failure is
 * reproducible.  The limits turn a hang or runaway memory into a failure
 * that names the input, as libFuzzer's -timeout and -rss_limit_mb do:
 * --cpu-seconds caps CPU time (not wall time, so a loaded machine does not
 * fail the test), --limit-mb caps the address space (skipped under ASan,
 * which reserves terabytes of it). */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

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

static const char *volatile current = "(none)";

static void on_cpu_limit(int sig)
{
	(void)sig;
	static const char msg[] = "CPU time limit exceeded (a hang?) on input: ";
	const char *p = current;
	(void)!write(2, msg, sizeof msg - 1);
	(void)!write(2, p, strlen(p));
	(void)!write(2, "\n", 1);
	_exit(3);
}

#if defined(__SANITIZE_ADDRESS__)
#define NP_REPLAY_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define NP_REPLAY_ASAN 1
#endif
#endif

static void set_limits(long cpu_seconds, long limit_mb)
{
	if (cpu_seconds > 0) {
		struct rlimit rl = {(rlim_t)cpu_seconds, (rlim_t)cpu_seconds + 5};
		signal(SIGXCPU, on_cpu_limit);
		setrlimit(RLIMIT_CPU, &rl);
	}
#ifndef NP_REPLAY_ASAN
	if (limit_mb > 0) {
		struct rlimit rl = {(rlim_t)limit_mb << 20, (rlim_t)limit_mb << 20};
		setrlimit(RLIMIT_AS, &rl);
	}
#else
	(void)limit_mb;
#endif
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
	current = path;
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
	long cpu_seconds = 0, limit_mb = 0;
	int i = 1;
	for (; i + 1 < argc && strncmp(argv[i], "--", 2) == 0; i += 2) {
		if (strcmp(argv[i], "--cpu-seconds") == 0)
			cpu_seconds = atol(argv[i + 1]);
		else if (strcmp(argv[i], "--limit-mb") == 0)
			limit_mb = atol(argv[i + 1]);
		else
			break;
	}
	if (i >= argc) {
		fprintf(stderr, "usage: %s [--cpu-seconds N] [--limit-mb N] FILE-OR-DIR...\n", argv[0]);
		return 2;
	}
	set_limits(cpu_seconds, limit_mb);
	int failed = 0;
	size_t count = 0;
	for (; i < argc; i++) {
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
