/*
 * macro.c - macro substitution on condition ASTs and the AST walker
 * (see ast.h).
 *
 * Substitution follows Falco's filter_macro_resolver: only identifiers that
 * are operands of and/or/not (RULE_NODE_IDENT) are macro references; checks
 * are never entered, so names inside transformer arguments or after `in`
 * stay as they are.  Each reference is replaced by a clone of the macro's
 * AST, itself resolved with the chain of macros being expanded kept on a
 * path: meeting a name already on it is a reference loop.  `not m` keeps
 * its NOT node, so the whole body is negated.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "rules/ast.h"
#include "rules/ast_int.h"

struct resolver {
	rule_macro_lookup_fn	 lookup;
	void			*arg;
	const char		*path[RULE_MACRO_MAX_NESTING];
	size_t			 depth;
	size_t			 added;		/* nodes cloned so far */
	struct rule_parse_error	*err;
};

static int __attribute__((format(printf, 3, 4)))
resolve_fail(struct resolver *r, const struct rule_node *n,
    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r->err->msg, sizeof(r->err->msg), fmt, ap);
	va_end(ap);
	r->err->pos = n->pos;
	return -1;
}

static int resolve(struct resolver *r, struct rule_node **slot);

/* Checks a reference to n->ident may be expanded; returns its body. */
static const struct rule_node *
reference_body(struct resolver *r, const struct rule_node *n)
{
	const struct rule_node *body;
	size_t i;

	if ((body = r->lookup(n->ident, r->arg)) == NULL) {
		resolve_fail(r, n, "Undefined macro '%s' used in filter.",
		    n->ident);
		return NULL;
	}
	for (i = 0; i < r->depth; i++) {
		if (strcmp(r->path[i], n->ident) == 0) {
			resolve_fail(r, n, "reference loop in macro '%s'",
			    n->ident);
			return NULL;
		}
	}
	if (r->depth == RULE_MACRO_MAX_NESTING) {
		resolve_fail(r, n, "macro '%s' nested more than %d levels deep",
		    n->ident, RULE_MACRO_MAX_NESTING);
		return NULL;
	}
	r->added += rule_node_count(body);
	if (r->added > RULE_MACRO_MAX_NODES) {
		resolve_fail(r, n, "expanding macro '%s' makes the condition "
		    "larger than %d nodes", n->ident, RULE_MACRO_MAX_NODES);
		return NULL;
	}
	return body;
}

static int
resolve_ident(struct resolver *r, struct rule_node **slot)
{
	struct rule_node *n = *slot, *copy;
	const struct rule_node *body;
	int rc;

	if ((body = reference_body(r, n)) == NULL)
		return -1;
	if ((copy = rule_node_clone(body)) == NULL)
		return resolve_fail(r, n, "out of memory");
	r->path[r->depth++] = n->ident;
	rc = resolve(r, &copy);
	r->depth--;
	if (rc < 0) {
		rule_node_free(copy);
		return -1;
	}
	*slot = copy;
	rule_node_free(n);
	return 0;
}

static int
resolve(struct resolver *r, struct rule_node **slot)
{
	struct rule_node *n = *slot;
	size_t i;

	switch (n->kind) {
	case RULE_NODE_IDENT:
		return resolve_ident(r, slot);
	case RULE_NODE_CHECK:
		return 0;
	default:
		for (i = 0; i < n->nchildren; i++)
			if (resolve(r, &n->children[i]) < 0)
				return -1;
		return 0;
	}
}

int
rule_resolve_macros(struct rule_node **root, rule_macro_lookup_fn lookup,
    void *arg, struct rule_parse_error *err)
{
	struct resolver r;

	memset(&r, 0, sizeof(r));
	memset(err, 0, sizeof(*err));
	r.lookup = lookup;
	r.arg = arg;
	r.err = err;
	return resolve(&r, root);
}

/* ---- walking ---------------------------------------------------------- */

static int
walk_operand(const struct rule_operand *o, const struct rule_visitor *v)
{
	size_t i;
	int rc;

	if (o->kind == RULE_OPD_FIELD)
		return v->field != NULL ? v->field(o, v->arg) : 0;
	for (i = 0; i < o->nargs; i++)
		if ((rc = walk_operand(&o->args[i], v)) != 0)
			return rc;
	return 0;
}

static int
walk_check(const struct rule_node *n, const struct rule_visitor *v)
{
	int rc;

	if (v->check != NULL && (rc = v->check(n, v->arg)) != 0)
		return rc;
	if ((rc = walk_operand(&n->check.left, v)) != 0)
		return rc;
	if (n->check.rhs.operand != NULL)
		return walk_operand(n->check.rhs.operand, v);
	return 0;
}

int
rule_node_walk(const struct rule_node *n, const struct rule_visitor *v)
{
	size_t i;
	int rc;

	switch (n->kind) {
	case RULE_NODE_IDENT:
		return v->ident != NULL ? v->ident(n, v->arg) : 0;
	case RULE_NODE_CHECK:
		return walk_check(n, v);
	default:
		for (i = 0; i < n->nchildren; i++)
			if ((rc = rule_node_walk(n->children[i], v)) != 0)
				return rc;
		return 0;
	}
}
