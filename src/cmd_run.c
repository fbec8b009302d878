/*
 * cmd_run.c - `falconet run`: parse the command line, hand over to the
 * agent (src/agent).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "agent/agent.h"
#include "cmd.h"

#define MAX_ARGS	256

static void
run_usage(FILE *f)
{
	fprintf(f,
	    "usage: falconet run [-c CONFIG] [-r RULES]... [-o key=value]...\n"
	    "                    [--replay FILE] [--audit-plugin] [-n]\n"
	    "\n"
	    "Run the agent in the foreground: read the kernel audit stream,\n"
	    "evaluate the rules, deliver alerts to the configured outputs and\n"
	    "serve the local HTTP API.  Without -c it runs on built-in defaults:\n"
	    "the bundled rules, alerts on standard output, the API on\n"
	    "127.0.0.1:8765.\n"
	    "\n"
	    "  -c CONFIG        configuration file (etc/falconet.yaml documents\n"
	    "                   every key; unknown keys are reported, ignored)\n"
	    "  -r PATH          rules file or directory (repeatable); replaces\n"
	    "                   rules_files from the configuration\n"
	    "  -o key=value     set a configuration key (repeatable), e.g.\n"
	    "                   -o json_output=true -o webserver.enabled=false;\n"
	    "                   -o audit.mode=none -o fanotify.enabled=true\n"
	    "                   runs without audit (file events from fanotify)\n"
	    "  --replay FILE    read audit records from FILE ('-': standard input)\n"
	    "                   instead of the kernel; keeps serving afterwards\n"
	    "  --audit-plugin   read records from auditd's dispatcher on stdin\n"
	    "                   (set in auditd's plugins.d/falconet.conf); without\n"
	    "                   -c, reads " FALCONET_CONFIG "\n"
	    "                   when it exists (auditd passes no more arguments)\n"
	    "  -n               check the configuration and rules, then exit\n"
	    "\n"
	    "Signals: SIGHUP reloads configuration and rules (a broken file\n"
	    "keeps the running ones), SIGUSR1 reopens output files, SIGTERM\n"
	    "and SIGINT stop the agent cleanly.\n");
}

int
cmd_run(int argc, char **argv)
{
	const char *rules[MAX_ARGS], *overrides[MAX_ARGS];
	struct agent_opts o = { 0 };
	int i;

	for (i = 1; i < argc; i++) {
		const char *arg = argv[i];
		bool more = i + 1 < argc;

		if (!strcmp(arg, "-h") || !strcmp(arg, "--help")) {
			run_usage(stdout);
			return 0;
		} else if (!strcmp(arg, "-c") && more) {
			o.config_path = argv[++i];
		} else if (!strcmp(arg, "-r") && more && o.nrules < MAX_ARGS) {
			rules[o.nrules++] = argv[++i];
		} else if (!strcmp(arg, "-o") && more &&
		    o.noverrides < MAX_ARGS) {
			overrides[o.noverrides++] = argv[++i];
		} else if (!strcmp(arg, "--replay") && more) {
			o.replay_path = argv[++i];
		} else if (!strcmp(arg, "--audit-plugin")) {
			o.audit_plugin = true;
		} else if (!strcmp(arg, "-n")) {
			o.check_only = true;
		} else {
			fprintf(stderr, "falconet: run: unexpected argument "
			    "'%s'\n", arg);
			run_usage(stderr);
			return 2;
		}
	}
	/*
	 * auditd starts a plugin with at most two arguments, so the plugin
	 * finds its configuration at the installed path by itself.
	 */
	if (o.audit_plugin && o.config_path == NULL &&
	    access(FALCONET_CONFIG, F_OK) == 0)
		o.config_path = FALCONET_CONFIG;
	o.rules = rules;
	o.overrides = overrides;
	return agent_main(&o);
}
