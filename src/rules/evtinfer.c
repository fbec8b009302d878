/*
 * evtinfer.c - which event types can a condition match (falco.md §1.11).
 *
 * Works on the AST (macros resolved), like libsinsp's ppm_codes.cpp: a
 * negation is pushed down to the leaves (De Morgan), an `evt.type` check
 * gives an explicit set (complemented under `!=` or negation), and any
 * other check gives "every type" whether negated or not.  The result
 * indexes rules by type and tells the kernel which syscalls to report.
 */
#include "config.h"

#include <string.h>

#include "rules/filter.h"

static void infer(const struct rule_node *n, bool neg, struct evt_set *out);

/* An evt.type leaf: its explicit set, or false when it is not one. */
static bool
evttype_leaf(const struct rule_check *c, struct evt_set *out)
{
	size_t i;
	int idx;

	if (c->left.kind != RULE_OPD_FIELD || c->left.has_arg ||
	    strcmp(c->left.name, "evt.type") != 0 ||
	    c->mod != RULE_MOD_NONE)
		return false;
	if (c->op != RULE_OP_EQ && c->op != RULE_OP_NE &&
	    c->op != RULE_OP_IN && c->op != RULE_OP_INTERSECTS)
		return false;
	if (c->rhs.kind != RULE_RHS_VALUE && c->rhs.kind != RULE_RHS_LIST &&
	    c->rhs.kind != RULE_RHS_IDENT)
		return false;
	evt_set_clear(out);
	for (i = 0; i < c->rhs.nvalues; i++) {
		idx = evt_type_index(c->rhs.values[i].s, c->rhs.values[i].len);
		if (idx >= 0)
			evt_set_add(out, idx);
	}
	if (c->op == RULE_OP_NE)
		evt_set_complement(out);
	return true;
}

static void
infer_join(const struct rule_node *n, bool neg, bool intersect,
    struct evt_set *out)
{
	struct evt_set s;
	size_t i;

	if (intersect)
		evt_set_fill(out);
	else
		evt_set_clear(out);
	for (i = 0; i < n->nchildren; i++) {
		infer(n->children[i], neg, &s);
		if (intersect)
			evt_set_intersect(out, &s);
		else
			evt_set_union(out, &s);
	}
}

static void
infer(const struct rule_node *n, bool neg, struct evt_set *out)
{
	switch (n->kind) {
	case RULE_NODE_AND:
		infer_join(n, neg, !neg, out);
		return;
	case RULE_NODE_OR:
		infer_join(n, neg, neg, out);
		return;
	case RULE_NODE_NOT:
		infer(n->children[0], !neg, out);
		return;
	case RULE_NODE_CHECK:
		if (evttype_leaf(&n->check, out)) {
			if (neg)
				evt_set_complement(out);
			return;
		}
		break;
	case RULE_NODE_IDENT:
		break;
	}
	evt_set_fill(out);
}

void
flt_evttypes(const struct rule_node *ast, struct evt_set *out)
{
	infer(ast, false, out);
}
