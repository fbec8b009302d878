/*
 * main.c - the falconet binary: option parsing and subcommand dispatch.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "rules/loader.h"

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: falconet COMMAND [ARGS]\n"
	    "\n"
	    "Container runtime security from the kernel audit stream.\n"
	    "\n"
	    "Commands:\n"
	    "  run               the agent: watch the host and its containers\n"
	    "  replay [FILE|-]   turn an audit log into one JSON object per event,\n"
	    "                    or with -r RULES into Falco alerts\n"
	    "  validate -r RULES check Falco rules files (-L: describe them)\n"
	    "\n"
	    "Options:\n"
	    "  -h, --help        show this help\n"
	    "  -V, --version     show the version and the rules engine version\n"
	    "  -l, --list        list the fields rules can use, with their types\n"
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
		printf("falconet %s\nEngine: %s\n", PACKAGE_VERSION,
		    FC_ENGINE_VERSION);
		return 0;
	}
	if (!strcmp(argv[1], "-l") || !strcmp(argv[1], "--list"))
		return cmd_list_fields(argc - 1, argv + 1);
	if (!strcmp(argv[1], "replay"))
		return cmd_replay(argc - 1, argv + 1);
	if (!strcmp(argv[1], "run"))
		return cmd_run(argc - 1, argv + 1);
	if (!strcmp(argv[1], "validate"))
		return cmd_validate(argc - 1, argv + 1);
	fprintf(stderr, "falconet: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return 2;
}
