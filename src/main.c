/* newsprint: the command-line front end.  Parses arguments, calls the
 * library, prints diagnostics compiler-style and maps them to exit codes:
 * 0 success, 1 some input had errors (the rest was built), 2 usage. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "build/build.h"
#include "util/err.h"

/* serve exists when libmicrohttpd was found (CMakeLists.txt compiles
 * src/serve only then). */
#if defined(__has_include)
#if __has_include(<microhttpd.h>)
#define NP_HAVE_SERVE 1
#include "serve/serve.h"
#endif
#endif

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
     "usage: newsprint build [--site DIR] [--out DIR] [--quiet] [--threads N] [--verify]\n\n"
     "Ingests new or changed raw pages first, then renders the records through the\n"
     "templates into the output folder.  Files whose bytes would not change are not\n"
     "rewritten.  The output folder is newsprint's: after a build that completed, the\n"
     "next one trusts that its files are as it left them, unless the top of the folder\n"
     "changed (the folder, or an entry in it or in the two levels of folders below it,\n"
     "added, removed or replaced) or that build was killed.\n\n"
     "  --site DIR     the site folder (default: .)\n"
     "  --out DIR      the output folder (default: DIR/public)\n"
     "  --quiet        print only diagnostics\n"
     "  --threads N    worker threads (default: all cores)\n"
     "  --verify       check every output file, and repair the ones edited or deleted\n"
     "                 by hand\n"},
    {"serve", "build, serve the site locally and rebuild as it changes",
     "usage: newsprint serve [--site DIR] [--out DIR] [--port N] [--bind ADDR] [--quiet]\n"
     "                       [--threads N]\n\n"
     "Builds the site, then serves the output folder over HTTP and prints its URL.\n"
     "When a raw page, record, template, theme file, site.yaml or events.yaml\n"
     "changes, the site is rebuilt and open pages reload themselves; build errors\n"
     "show on the terminal and over the page.  Ctrl-C stops (a running build\n"
     "finishes first).\n\n"
     "  --site DIR     the site folder (default: .)\n"
     "  --out DIR      the output folder (default: DIR/public)\n"
     "  --port N       the port (default: 8000; 0 = any free port)\n"
     "  --bind ADDR    the address to listen on (default: 127.0.0.1); any other\n"
     "                 than a loopback address lets other machines read the site\n"
     "  --quiet        print only diagnostics and status lines\n"
     "  --threads N    build threads (default: all cores)\n"},
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
		} else if (strcmp(a, "--verify") == 0 && is_build) {
			o->verify = true;
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
	np_diags_set_root(&d, o.site_dir);
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

#ifdef NP_HAVE_SERVE
/* Reads the value of a numeric serve option into *out; 0 or 2. */
static int serve_num(const char *opt, const char *val, long lo, long hi, unsigned *out)
{
	char *end;
	long n = strtol(val, &end, 10);
	if (*end || !*val || n < lo || n > hi)
		return usage_error("serve", "%s wants a number from %ld to %ld, not '%s'", opt, lo,
		                   hi, val);
	*out = (unsigned)n;
	return 0;
}

/* Parses serve's options into o; 0 or 2 (usage error). */
static int parse_serve_opts(int argc, char **argv, np_serve_opts *o)
{
	int rc = 0;
	for (int i = 0; i < argc && rc == 0; i++) {
		const char *a = argv[i];
		bool has_val = i + 1 < argc;
		if (strcmp(a, "--site") == 0 && has_val) {
			o->site_dir = argv[++i];
		} else if (strcmp(a, "--out") == 0 && has_val) {
			o->out_dir = argv[++i];
		} else if (strcmp(a, "--bind") == 0 && has_val) {
			o->bind = argv[++i];
		} else if (strcmp(a, "--port") == 0 && has_val) {
			rc = serve_num(a, argv[++i], 0, 65535, &o->port);
		} else if (strcmp(a, "--threads") == 0 && has_val) {
			rc = serve_num(a, argv[++i], 1, 256, &o->threads);
		} else if (strcmp(a, "--quiet") == 0 || strcmp(a, "-q") == 0) {
			o->quiet = true;
		} else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			fputs(find_command("serve")->usage, stdout);
			exit(0);
		} else {
			rc = usage_error("serve", "unknown option or missing value: '%s'", a);
		}
	}
	return rc;
}
#endif

/* newsprint serve: 0 after a clean stop (Ctrl-C), 1 when it could not start. */
static int run_serve(int argc, char **argv)
{
#ifdef NP_HAVE_SERVE
	np_serve_opts o = {.site_dir = ".", .port = 8000, .status = stdout, .progress = stderr};
	int rc = parse_serve_opts(argc, argv, &o);
	if (rc)
		return rc;
	np_diags d;
	np_diags_init(&d);
	np_diags_set_root(&d, o.site_dir);
	rc = np_serve_run(&o, &d);
	np_diags_print(&d, stderr);
	np_diags_dispose(&d);
	return rc ? 1 : 0;
#else
	(void)argc, (void)argv;
	fprintf(stderr, "newsprint: serve is not available: built without libmicrohttpd\n");
	return 1;
#endif
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
	if (strcmp(cmd, "serve") == 0)
		return run_serve(argc - 2, argv + 2);
	fprintf(stderr, "newsprint: unknown command '%s'\n", cmd);
	usage(stderr);
	return 2;
}
