/*
 * filter.h - compile a condition AST into a filter, evaluate it on events.
 *
 * Compilation resolves every field (fields.h), checks operators against
 * field types, parses values by type (numbers, addresses, networks,
 * ports), compiles regexes and hex strings, and reports Falco's compile
 * errors and warnings.  Evaluation follows Falco's semantics: a field
 * without a value makes its check false (so `not` of it is true), `and`
 * and `or` short-circuit left to right, ancestor fields without an
 * argument match when any ancestor does.
 *
 * A compiled filter is immutable: several threads may evaluate it at once,
 * each with its own fld_ctx.
 */
#ifndef FC_RULES_FILTER_H
#define FC_RULES_FILTER_H

#include <stdbool.h>

#include "rules/ast.h"
#include "rules/evttype.h"
#include "rules/fields.h"

struct flt;

enum flt_warn_kind {
	FLT_WARN_COMPILE,	/* LOAD_COMPILE_CONDITION */
	FLT_WARN_DEPRECATED,	/* LOAD_DEPRECATED_ITEM */
};

typedef void (*flt_warn_fn)(void *arg, enum flt_warn_kind kind,
	    const char *msg, struct rule_pos pos);

enum flt_result {
	FLT_OK = 0,
	FLT_ERROR = -1,		/* compile error, see diag */
	FLT_UNSUPPORTED = 1,	/* uses a field falconet can never supply */
};

struct flt_diag {
	char		 msg[512];
	struct rule_pos	 pos;
	bool		 skippable;	/* skip-if-unknown-filter applies */
};

/*
 * flt_compile - compile ast (macros already resolved) into *ret.
 * warn (may be NULL) receives the non-fatal warnings.  Returns FLT_OK,
 * FLT_ERROR with diag set, or FLT_UNSUPPORTED with diag naming the field
 * (*ret is then NULL too).
 */
enum flt_result flt_compile(const struct rule_node *ast, flt_warn_fn warn,
	    void *warn_arg, struct flt **ret, struct flt_diag *diag);

void	flt_free(struct flt *f);	/* NULL-safe */

/* Evaluate f on ctx->ev.  Uses ctx->arena for transformer results. */
bool	flt_eval(const struct flt *f, struct fld_ctx *ctx);

/*
 * flt_evttypes - the event types ast can match (falco.md §1.11): and is
 * intersection, or is union, not is pushed down to the evt.type leaves;
 * any other check matches every type.
 */
void	flt_evttypes(const struct rule_node *ast, struct evt_set *out);

/*
 * The distinct fields of a set of filters (an engine's rules), each with a
 * slot in the per-event memo (fld_ctx.memo): a field that many rules test
 * (proc.name, evt.type...) is then extracted once per event, not once per
 * check.  Fields are the same when name, argument and index are.
 */
struct flt_fields {
	struct fld_ref	*refs;		/* slot i: refs[i] */
	uint32_t	 n, cap;
};

enum { FLT_MAX_SLOTS = 4096 };	/* further fields are not memoised */

/*
 * flt_share_fields - give the field operands of f their slots in t, adding
 * the new fields.  Returns -1 when memory runs out (the operands without a
 * slot are then extracted at every use, which is correct, only slower).
 */
int	flt_share_fields(struct flt *f, struct flt_fields *t);
void	flt_fields_fini(struct flt_fields *t);

/* Maximum ancestors walked for proc.aname-style fields without [N]. */
enum { FLT_MAX_ANCESTORS = 64 };

#endif
