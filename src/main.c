/* newsprint: the command-line front end.  Parses arguments, calls the
 * library, prints diagnostics compiler-style and maps them to exit codes:
 * 0 success, 1 some input had errors (the rest was built), 2 usage. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "build/build.h"
#include "util/err.h"

#ifndef NP_VERSION
#define NP_VERSION "0.0.0"
#endif

typedef struct command {
	const char *name;
	const char *summary;
	const char *usage;
} command;

static const command commands[] = {
    {"ingest", "turn raw pages into article records",
     "usage: newsprint ingest [--site DIR] [--quiet] [--debug] [--threads N]\n\n"
     "Reads every raw page under DIR/content/issues/<YYYY-MM-DD>/<NN>.txt and writes\n"
     "one record per article to DIR/content/articles/<YYYY-MM-DD>/<id>.md, plus a\n"
     "pages.yaml per issue.  A record a person has edited is never overwritten:\n"
     "ingest warns instead.  Prints what it found per page unless --quiet.\n\n"
     "  --site DIR     the site folder (default: .)\n"
     "  --quiet        print only diagnostics\n"
     "  --debug        trace segmentation decisions as notes\n"
     "  --threads N    worker threads (default: all cores)\n"},
    {"build", "ingest new or changed pages, then generate the site",
     "usage: newsprint build [--site DIR] [--out DIR] [--quiet] [--threads N]\n\n"
     "Ingests new or changed raw pages first, then renders the records through the\n"
     "templates into the output folder.  Files whose bytes would not change are not\n"
     "rewritten.\n\n"
     "  --site DIR     the site folder (default: .)\n"
     "  --out DIR      the output folder (default: DIR/public)\n"
     "  --quiet        print only diagnostics\n"
     "  --threads N    worker threads (default: all cores)\n"},
    {"help", "show help for a command", "usage: newsprint help COMMAND\n"},
};

static void usage(FILE *f)
{
	fprintf(f, "usage: newsprint [--help] [--version] COMMAND [OPTIONS]\n\n"
	           "A static site generator for news archives.\n\ncommands:\n");
	for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
		fprintf(f, "  %-8s %s\n", commands[i].name, commands[i].summary);
	fprintf(f, "\nSee 'newsprint help COMMAND' for a command's options.\n");
}

static const command *find_command(const char *name)
{
	for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

static int usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Prints a usage error naming the command's help; returns exit status 2. */
static int usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "newsprint: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'newsprint help %s'.\n", cmd);
	return 2;
}

/* Parses the options shared by ingest and build; 0 or 2 (usage error). */
static int parse_opts(const char *cmd, int argc, char **argv, np_build_opts *o)
{
	bool is_build = strcmp(cmd, "build") == 0;
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		bool has_val = i + 1 < argc;
		if (strcmp(a, "--site") == 0 && has_val) {
			o->site_dir = argv[++i];
		} else if (strcmp(a, "--out") == 0 && has_val && is_build) {
			o->out_dir = argv[++i];
		} else if (strcmp(a, "--threads") == 0 && has_val) {
			char *end;
			long n = strtol(argv[++i], &end, 10);
			if (*end || n < 1 || n > 256)
				return usage_error(cmd, "--threads wants a number from 1 to 256, not '%s'",
				                   argv[i]);
			o->threads = (unsigned)n;
		} else if (strcmp(a, "--quiet") == 0 || strcmp(a, "-q") == 0) {
			o->quiet = true;
		} else if (strcmp(a, "--debug") == 0) {
			o->debug = true;
		} else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			fputs(find_command(cmd)->usage, stdout);
			exit(0);
		} else if (a[0] == '-' && !has_val &&
		           (!strcmp(a, "--site") || !strcmp(a, "--out") || !strcmp(a, "--threads"))) {
			return usage_error(cmd, "option %s needs a value", a);
		} else {
			return usage_error(cmd, "unknown option or argument '%s'", a);
		}
	}
	return 0;
}

static int run(const char *cmd, int argc, char **argv)
{
	np_build_opts o = {.site_dir = ".", .progress = stderr};
	int rc = parse_opts(cmd, argc, argv, &o);
	if (rc)
		return rc;
	np_diags d;
	np_diags_init(&d);
	np_build_stats st = {0};
	if (strcmp(cmd, "ingest") == 0)
		rc = np_ingest_run(&o, &d, &st);
	else
		rc = np_build_run(&o, &d, &st);
	np_diags_print(&d, stderr);
	int exit_code = (rc != 0 || d.errors) ? 1 : 0;
	if (d.errors || d.warnings)
		fprintf(stderr, "newsprint: %zu error%s, %zu warning%s\n", d.errors,
		        d.errors == 1 ? "" : "s", d.warnings, d.warnings == 1 ? "" : "s");
	np_diags_dispose(&d);
	return exit_code;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	const char *cmd = argv[1];
	if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0) {
		usage(stdout);
		return 0;
	}
	if (strcmp(cmd, "--version") == 0) {
		printf("newsprint %s\n", NP_VERSION);
		return 0;
	}
	if (strcmp(cmd, "help") == 0) {
		if (argc < 3) {
			usage(stdout);
			return 0;
		}
		const command *c = find_command(argv[2]);
		if (!c)
			return usage_error("help", "no command '%s'", argv[2]);
		fputs(c->usage, stdout);
		return 0;
	}
	if (strcmp(cmd, "ingest") == 0 || strcmp(cmd, "build") == 0)
		return run(cmd, argc - 2, argv + 2);
	fprintf(stderr, "newsprint: unknown command '%s'\n", cmd);
	usage(stderr);
	return 2;
}
