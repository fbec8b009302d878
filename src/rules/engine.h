/*
 * engine.h - the rule engine: rules files in, alerts out.
 *
 * rule_engine_load() runs Falco's pipeline (falco.md §0): collect the
 * files (loader.h), parse every macro and rule condition, resolve macros
 * with their visibility rules, compile conditions and outputs, compute
 * the event types each rule can match and index the rules by type.  The
 * result is immutable and shared; each evaluating thread owns a
 * rule_matcher (its scratch memory and caches).
 *
 * Fields falconet can never supply (e.g. evt.buffer) load their rule
 * disabled with a warning, or fail the load with opts.strict.
 */
#ifndef FC_RULES_ENGINE_H
#define FC_RULES_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/event.h"
#include "outputs/alert.h"
#include "rules/evttype.h"
#include "rules/loader.h"

struct rule_engine;
struct rule_matcher;

struct rule_engine_opts {
	bool		 match_all;	/* rule_matching: all (default: first) */
	int		 min_priority;	/* load rules this severe or more (Debug: all) */
	bool		 strict;	/* unsupported fields are errors */
	bool		 suggested_output;	/* append Falco's container/k8s fields */
	const char	*passwd_path;	/* NULL: /etc/passwd */
	const char	*group_path;	/* NULL: /etc/group */
	/* Rules text loaded when no path is given (the bundled rules). */
	const char	*builtin_name;
	const char	*builtin_text;
	size_t		 builtin_len;
};

/* The bundled rules (rules/falconet_rules.yaml), built into the binary. */
extern const char fc_builtin_rules[];
extern const size_t fc_builtin_rules_len;

void	rule_engine_opts_defaults(struct rule_engine_opts *o);

/*
 * Load and compile paths (files or directories, in order).  Returns an
 * engine even when loading failed (it then holds no rules and its result
 * holds the error); NULL only when out of memory.
 */
struct rule_engine *rule_engine_load(const char *const *paths, size_t npaths,
	    const struct rule_engine_opts *opts);
void	rule_engine_free(struct rule_engine *e);

/* Whether loading succeeded (no error diagnostic). */
bool	rule_engine_ok(const struct rule_engine *e);

/* All diagnostics, lists, macros and collected rules (loader.h). */
const struct rl_result *rule_engine_result(const struct rule_engine *e);

/* A loaded rule as the engine sees it. */
struct rule_info {
	const struct rl_rule *src;	/* name, desc, tags, priority... */
	bool		 enabled;	/* evaluated */
	const char	*disabled_reason;	/* NULL when enabled */
	struct evt_set	 types;		/* event types it can match */
	uint64_t	 matches;	/* alerts so far (relaxed atomic) */
};

/* The rules in evaluation order, also the disabled ones (not those below
 * the priority threshold, which are not loaded at all). */
size_t	rule_engine_nrules(const struct rule_engine *e);
const struct rule_info *rule_engine_rule(const struct rule_engine *e,
	    size_t i);

enum { RULE_PATH_MAX = 256 };

/*
 * The directories the enabled rules' path checks name (fd.name in
 * (/etc/shadow) gives /etc; fd.directory startswith /root/.ssh gives
 * /root/.ssh), for fanotify marks.  Returns how many were written.
 */
size_t	rule_engine_paths(const struct rule_engine *e,
	    char (*out)[RULE_PATH_MAX], size_t max);

/* Union of the syscalls the enabled rules need (what the kernel must report). */
void	rule_engine_syscalls(const struct rule_engine *e, struct evt_set *out);

/* ---- Evaluation ------------------------------------------------------ */

typedef void (*rule_alert_fn)(const struct fc_alert *a, void *arg);

/* Per-thread evaluation state over a loaded engine (borrowed, must outlive it). */
struct rule_matcher *rule_matcher_new(const struct rule_engine *e);
void	rule_matcher_free(struct rule_matcher *m);

/*
 * Process and container data for the next evaluations (the live agent's
 * enrichment, see fields.h); NULL clears it.  Borrowed: it must stay
 * valid until cleared or replaced.
 */
struct fld_enrich;
void	rule_matcher_set_enrich(struct rule_matcher *m,
	    const struct fld_enrich *en);

/* The event type index of ev (evttype.h), -1 for non-syscall events; cached per matcher. */
int	rule_matcher_event_type(struct rule_matcher *m, const struct fc_event *ev);

/*
 * Evaluate ev against the rules indexed under its type, in load order;
 * call cb for each match (only the first with rule_matching: first).
 * The alert is valid during the callback.  Returns the number of matches.
 */
unsigned rule_matcher_eval(struct rule_matcher *m, const struct fc_event *ev,
	    rule_alert_fn cb, void *arg);

#endif
