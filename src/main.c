/*
 * main.c - the falconet binary: option parsing and subcommand dispatch.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "cmd.h"

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: falconet COMMAND [ARGS]\n"
	    "\n"
	    "Container runtime security from the kernel audit stream.\n"
	    "\n"
	    "Commands:\n"
	    "  replay [FILE|-]   turn an audit log into one JSON object per event\n"
	    "\n"
	    "Options:\n"
	    "  -h, --help        show this help\n"
	    "  -V, --version     show the version\n"
	    "\n"
	    "'falconet COMMAND --help' describes a command.\n");
}

int
main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "-V") || !strcmp(argv[1], "--version")) {
		printf("falconet %s\n", PACKAGE_VERSION);
		return 0;
	}
	if (!strcmp(argv[1], "replay"))
		return cmd_replay(argc - 1, argv + 1);
	fprintf(stderr, "falconet: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return 2;
}
