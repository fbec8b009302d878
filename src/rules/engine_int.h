/*
 * engine_int.h - the engine's data, shared by engine.c (building it) and
 * matcher.c (evaluating with it).  Private to src/rules.
 */
#ifndef FC_RULES_ENGINE_INT_H
#define FC_RULES_ENGINE_INT_H

#include "rules/ast.h"
#include "rules/engine.h"
#include "rules/filter.h"
#include "rules/output.h"

struct erule {
	struct rule_info	 info;
	struct flt		*filter;
	struct rule_output	*output;
};

/* Rules (indexes into rules[]) for one event type, in load order. */
struct evt_bucket {
	uint32_t	*idx;
	uint32_t	 n;
};

struct rule_engine {
	struct rule_engine_opts	 opts;
	struct rl_collector	*coll;
	bool			 ok;
	struct erule		*rules;
	size_t			 nrules;
	struct evt_bucket	 by_type[EVT_MAX_TYPES];
	struct flt_fields	 fields;	/* memo slots of the filters' fields */

	/* Load-time only: parsed macro ASTs, by loader macro index. */
	struct rule_node	**macro_raw;
	struct rule_node	**macro_resolved;
	size_t			 nmacros;
};

#endif
