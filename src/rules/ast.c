/*
 * ast.c - condition AST lifecycle (free, deep clone) and Falco's AST
 * printout (libsinsp ast::as_string; see ast.h).
 *
 * Printing rules, as upstream's string visitor: and/or are wrapped in
 * parentheses and joined with " and "/" or "; not is "not " + child; a
 * check is "left op right"; values go through escape_str(): a value holding
 * a blank, a quote or a backslash is written in double quotes with \b \f \n
 * \r \t \\ \" escaped, anything else (including the empty string) as is; a
 * field argument is printed only when it is non-empty.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "rules/ast.h"
#include "rules/ast_int.h"

/* ---- names ------------------------------------------------------------ */

static const char *const op_names[] = {
	[RULE_OP_EQ] = "=", [RULE_OP_NE] = "!=", [RULE_OP_LT] = "<",
	[RULE_OP_LE] = "<=", [RULE_OP_GT] = ">", [RULE_OP_GE] = ">=",
	[RULE_OP_CONTAINS] = "contains", [RULE_OP_ICONTAINS] = "icontains",
	[RULE_OP_BCONTAINS] = "bcontains", [RULE_OP_STARTSWITH] = "startswith",
	[RULE_OP_BSTARTSWITH] = "bstartswith", [RULE_OP_ENDSWITH] = "endswith",
	[RULE_OP_GLOB] = "glob", [RULE_OP_IGLOB] = "iglob",
	[RULE_OP_REGEX] = "regex", [RULE_OP_IN] = "in",
	[RULE_OP_INTERSECTS] = "intersects", [RULE_OP_PMATCH] = "pmatch",
	[RULE_OP_EXISTS] = "exists",
};

static const char *const xform_names[] = {
	[RULE_XF_TOLOWER] = "tolower", [RULE_XF_TOUPPER] = "toupper",
	[RULE_XF_B64] = "b64", [RULE_XF_BASENAME] = "basename",
	[RULE_XF_LEN] = "len", [RULE_XF_JOIN] = "join",
	[RULE_XF_CONCAT] = "concat", [RULE_XF_GETOPT] = "getopt",
};

const char *
rule_op_name(enum rule_op op)
{
	if ((size_t)op >= sizeof(op_names) / sizeof(op_names[0]))
		return "?";
	return op_names[op];
}

const char *
rule_mod_name(enum rule_mod mod)
{
	switch (mod) {
	case RULE_MOD_ONEOF: return "oneof";
	case RULE_MOD_ANYOF: return "anyof";
	case RULE_MOD_ALLOF: return "allof";
	default: return "";
	}
}

const char *
rule_xform_name(enum rule_xform xf)
{
	if ((size_t)xf >= sizeof(xform_names) / sizeof(xform_names[0]))
		return "?";
	return xform_names[xf];
}

/* ---- free ------------------------------------------------------------- */

static void
value_fini(struct rule_value *v)
{
	free(v->s);
	v->s = NULL;
	v->len = 0;
}

void
rule_operand_fini(struct rule_operand *o)
{
	size_t i;

	free(o->name);
	value_fini(&o->arg);
	value_fini(&o->value);
	for (i = 0; i < o->nargs; i++)
		rule_operand_fini(&o->args[i]);
	free(o->args);
	memset(o, 0, sizeof(*o));
}

static void
rhs_fini(struct rule_rhs *r)
{
	size_t i;

	for (i = 0; i < r->nvalues; i++)
		value_fini(&r->values[i]);
	free(r->values);
	if (r->operand != NULL) {
		rule_operand_fini(r->operand);
		free(r->operand);
	}
	memset(r, 0, sizeof(*r));
}

void
rule_node_free(struct rule_node *n)
{
	size_t i;

	if (n == NULL)
		return;
	for (i = 0; i < n->nchildren; i++)
		rule_node_free(n->children[i]);
	free(n->children);
	free(n->ident);
	rule_operand_fini(&n->check.left);
	rhs_fini(&n->check.rhs);
	free(n);
}

size_t
rule_node_count(const struct rule_node *n)
{
	size_t i, c = 1;

	for (i = 0; i < n->nchildren; i++)
		c += rule_node_count(n->children[i]);
	return c;
}

/* ---- clone ------------------------------------------------------------ */

static int
value_clone(struct rule_value *d, const struct rule_value *s)
{
	*d = *s;
	if (s->s == NULL)
		return 0;
	if ((d->s = malloc(s->len + 1)) == NULL)
		return -1;
	memcpy(d->s, s->s, s->len + 1);
	return 0;
}

static int
operand_clone(struct rule_operand *d, const struct rule_operand *s)
{
	size_t i;

	memset(d, 0, sizeof(*d));
	d->kind = s->kind;
	d->pos = s->pos;
	d->xform = s->xform;
	d->has_arg = s->has_arg;
	if ((s->name != NULL && (d->name = strdup(s->name)) == NULL) ||
	    value_clone(&d->arg, &s->arg) < 0 ||
	    value_clone(&d->value, &s->value) < 0)
		goto fail;
	if (s->nargs > 0 &&
	    (d->args = calloc(s->nargs, sizeof(*d->args))) == NULL)
		goto fail;
	for (i = 0; i < s->nargs; i++, d->nargs++)
		if (operand_clone(&d->args[i], &s->args[i]) < 0)
			goto fail;
	return 0;
fail:
	rule_operand_fini(d);
	return -1;
}

static int
rhs_clone(struct rule_rhs *d, const struct rule_rhs *s)
{
	size_t i;

	memset(d, 0, sizeof(*d));
	d->kind = s->kind;
	d->pos = s->pos;
	if (s->nvalues > 0 &&
	    (d->values = calloc(s->nvalues, sizeof(*d->values))) == NULL)
		goto fail;
	for (i = 0; i < s->nvalues; i++, d->nvalues++)
		if (value_clone(&d->values[i], &s->values[i]) < 0)
			goto fail;
	if (s->operand != NULL) {
		if ((d->operand = malloc(sizeof(*d->operand))) == NULL ||
		    operand_clone(d->operand, s->operand) < 0)
			goto fail;
	}
	return 0;
fail:
	rhs_fini(d);
	return -1;
}

struct rule_node *
rule_node_clone(const struct rule_node *s)
{
	struct rule_node *d;
	size_t i;

	if ((d = calloc(1, sizeof(*d))) == NULL)
		return NULL;
	d->kind = s->kind;
	d->pos = s->pos;
	d->check.op = s->check.op;
	d->check.op_eqeq = s->check.op_eqeq;
	d->check.mod = s->check.mod;
	if ((s->ident != NULL && (d->ident = strdup(s->ident)) == NULL) ||
	    (s->kind == RULE_NODE_CHECK &&
	    (operand_clone(&d->check.left, &s->check.left) < 0 ||
	    rhs_clone(&d->check.rhs, &s->check.rhs) < 0)))
		goto fail;
	if (s->nchildren > 0 &&
	    (d->children = calloc(s->nchildren, sizeof(*d->children))) == NULL)
		goto fail;
	for (i = 0; i < s->nchildren; i++, d->nchildren++)
		if ((d->children[i] = rule_node_clone(s->children[i])) == NULL)
			goto fail;
	return d;
fail:
	rule_node_free(d);
	return NULL;
}

/* ---- print ------------------------------------------------------------ */

/* libsinsp escape_str(). */
static void
print_value(struct fc_buf *b, const char *s, size_t len)
{
	size_t i;
	bool quote = false;

	for (i = 0; i < len && !quote; i++)
		quote = strchr("\b\f\n\r\t \\\"'", s[i]) != NULL && s[i] != '\0';
	if (!quote) {
		fc_buf_add(b, s, len);
		return;
	}
	fc_buf_addc(b, '"');
	for (i = 0; i < len; i++) {
		switch (s[i]) {
		case '\b': fc_buf_adds(b, "\\b"); break;
		case '\f': fc_buf_adds(b, "\\f"); break;
		case '\n': fc_buf_adds(b, "\\n"); break;
		case '\r': fc_buf_adds(b, "\\r"); break;
		case '\t': fc_buf_adds(b, "\\t"); break;
		case '\\': fc_buf_adds(b, "\\\\"); break;
		case '"': fc_buf_adds(b, "\\\""); break;
		default: fc_buf_addc(b, s[i]); break;
		}
	}
	fc_buf_addc(b, '"');
}

static void print_operand(struct fc_buf *b, const struct rule_operand *o);

static void
print_args(struct fc_buf *b, const struct rule_operand *o)
{
	size_t i;

	fc_buf_addc(b, '(');
	for (i = 0; i < o->nargs; i++) {
		if (i > 0)
			fc_buf_adds(b, ", ");
		print_operand(b, &o->args[i]);
	}
	fc_buf_addc(b, ')');
}

static void
print_operand(struct fc_buf *b, const struct rule_operand *o)
{
	switch (o->kind) {
	case RULE_OPD_VALUE:
		print_value(b, o->value.s, o->value.len);
		return;
	case RULE_OPD_LIST:
		print_args(b, o);
		return;
	case RULE_OPD_XFORM:
		fc_buf_adds(b, o->name);
		print_args(b, o);
		break;
	case RULE_OPD_FIELD:
		fc_buf_adds(b, o->name);
		break;
	}
	if (o->has_arg && o->arg.len > 0) {
		fc_buf_addc(b, '[');
		print_value(b, o->arg.s, o->arg.len);
		fc_buf_addc(b, ']');
	}
}

static void
print_rhs(struct fc_buf *b, const struct rule_rhs *r)
{
	size_t i;

	switch (r->kind) {
	case RULE_RHS_NONE:
		break;
	case RULE_RHS_VALUE:
	case RULE_RHS_IDENT:
		print_value(b, r->values[0].s, r->values[0].len);
		break;
	case RULE_RHS_LIST:
		fc_buf_addc(b, '(');
		for (i = 0; i < r->nvalues; i++) {
			if (i > 0)
				fc_buf_adds(b, ", ");
			print_value(b, r->values[i].s, r->values[i].len);
		}
		fc_buf_addc(b, ')');
		break;
	case RULE_RHS_FIELD:
		fc_buf_adds(b, "val(");
		print_operand(b, r->operand);
		fc_buf_addc(b, ')');
		break;
	case RULE_RHS_XFORM:
		print_operand(b, r->operand);
		break;
	}
}

static void
print_check(struct fc_buf *b, const struct rule_check *c)
{
	print_operand(b, &c->left);
	fc_buf_addc(b, ' ');
	fc_buf_adds(b, c->op == RULE_OP_EQ && c->op_eqeq ? "==" :
	    rule_op_name(c->op));
	if (c->mod != RULE_MOD_NONE) {
		fc_buf_addc(b, ' ');
		fc_buf_adds(b, rule_mod_name(c->mod));
	}
	if (c->rhs.kind != RULE_RHS_NONE) {
		fc_buf_addc(b, ' ');
		print_rhs(b, &c->rhs);
	}
}

static void
print_node(struct fc_buf *b, const struct rule_node *n)
{
	size_t i;

	switch (n->kind) {
	case RULE_NODE_AND:
	case RULE_NODE_OR:
		fc_buf_addc(b, '(');
		for (i = 0; i < n->nchildren; i++) {
			if (i > 0)
				fc_buf_adds(b, n->kind == RULE_NODE_AND ?
				    " and " : " or ");
			print_node(b, n->children[i]);
		}
		fc_buf_addc(b, ')');
		break;
	case RULE_NODE_NOT:
		fc_buf_adds(b, "not ");
		print_node(b, n->children[0]);
		break;
	case RULE_NODE_IDENT:
		fc_buf_adds(b, n->ident);
		break;
	case RULE_NODE_CHECK:
		print_check(b, &n->check);
		break;
	}
}

int
rule_node_print(const struct rule_node *n, struct fc_buf *out)
{
	print_node(out, n);
	return out->overflow ? -1 : 0;
}
