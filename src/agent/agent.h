/*
 * agent.h - the live agent behind `falconet run`.
 *
 * Wires the modules along the data flow: a source of audit records (the
 * kernel's audit netlink stream, auditd's plugin pipe, or an audit log
 * file), the correlator, process and container enrichment, the rule
 * engine, and the alert pipeline (store, output channels, HTTP API).
 * Signals: SIGHUP reloads configuration and rules (a broken file keeps
 * the old ones and says why), SIGUSR1 reopens output files, SIGTERM and
 * SIGINT shut down cleanly.  Logs through core/log.h.
 */
#ifndef FC_AGENT_AGENT_H
#define FC_AGENT_AGENT_H

#include <stdbool.h>
#include <stddef.h>

struct fc_conf;

struct agent_opts {
	const char	*config_path;	/* NULL: built-in defaults */
	const char *const *rules;	/* -r paths: override rules_files */
	size_t		 nrules;
	const char *const *overrides;	/* -o key=value, applied after the file */
	size_t		 noverrides;
	const char	*replay_path;	/* read this audit log, not the kernel */
	bool		 audit_plugin;	/* records come from auditd on stdin */
	bool		 check_only;	/* -n: load everything, report, exit */
};

/* Run until a shutdown signal (or the end of a replay with exit_at_end).  Returns the exit status. */
int	agent_main(const struct agent_opts *o);

#endif
