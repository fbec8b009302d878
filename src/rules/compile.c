/*
 * compile.c - condition AST to filter (see filter.h).
 *
 * Owns the filter it builds.  Per check: resolve the left operand (field
 * or transformer), check the operator against the operand's type class
 * (falco.md §1.4), parse the right side by type (§1.8), compile regexes,
 * decode hex strings, and emit Falco's warnings (§1.10).  The first error
 * stops compilation, as in Falco.
 */
#include "config.h"

#include <ctype.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "rules/filter_int.h"

struct cctx {
	flt_warn_fn	 warn;
	void		*warn_arg;
	struct flt_diag	*diag;
	bool		 unsupported;	/* a field falconet cannot supply ... */
	struct flt_diag	 unsup;		/* ... the first one */
};

static int fail(struct cctx *c, struct rule_pos pos, bool skippable,
	    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static void warn(struct cctx *c, enum flt_warn_kind kind, struct rule_pos pos,
	    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static int
fail(struct cctx *c, struct rule_pos pos, bool skippable, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->diag->msg, sizeof(c->diag->msg), fmt, ap);
	va_end(ap);
	c->diag->pos = pos;
	c->diag->skippable = skippable;
	return -1;
}

static void
warn(struct cctx *c, enum flt_warn_kind kind, struct rule_pos pos,
    const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	if (c->warn == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	c->warn(c->warn_arg, kind, msg, pos);
}

static bool
is_string_class(enum fld_type t)
{
	enum fld_class k = fld_type_class(t);

	return k == FLD_C_STRING || k == FLD_C_BUFFER;
}

/* ---- Operands ------------------------------------------------------- */

static int compile_operand(struct cctx *c, const struct rule_operand *o,
	    bool in_condition_lhs, struct fopd *out);

static int
compile_field(struct cctx *c, const struct rule_operand *o, bool lhs,
    struct fopd *out)
{
	struct fld_error ferr;
	const struct fld_def *d;

	out->kind = FOPD_FIELD;
	if (fld_resolve(o->name, strlen(o->name), o->has_arg ? o->arg.s : NULL,
	    o->has_arg ? o->arg.len : 0, &out->ref, &ferr) != 0)
		return fail(c, o->pos, true, "%s", ferr.msg);
	d = out->ref.def;
	out->type = out->ref.type;
	/* Remember it and go on: an invalid condition must still be an
	 * error (Falco's), whatever fields it names. */
	if ((d->flags & FLD_F_UNSUPPORTED) && !c->unsupported) {
		c->unsupported = true;
		snprintf(c->unsup.msg, sizeof(c->unsup.msg), "field '%s' "
		    "cannot be supplied by falconet (not in the audit stream)",
		    d->name);
		c->unsup.pos = o->pos;
	}
	if (d->flags & FLD_F_DEPRECATED)
		warn(c, FLT_WARN_DEPRECATED, o->pos,
		    "field '%s' is deprecated", d->name);
	out->ancestor = lhs && (d->flags & FLD_F_ANCESTOR) && !o->has_arg;
	return 0;
}

/* Result type of a transformer over argument type t; NONE if not allowed. */
static enum fld_type
xform_type(enum rule_xform xf, enum fld_type t)
{
	switch (xf) {
	case RULE_XF_TOLOWER:
	case RULE_XF_TOUPPER:
	case RULE_XF_BASENAME:
		return fld_type_class(t) == FLD_C_STRING ? FLD_T_CHARBUF :
		    FLD_T_NONE;
	case RULE_XF_B64:
		return is_string_class(t) ? FLD_T_CHARBUF : FLD_T_NONE;
	case RULE_XF_LEN:
		return is_string_class(t) ? FLD_T_UINT64 : FLD_T_NONE;
	default:
		return FLD_T_CHARBUF;
	}
}

static int
compile_xform(struct cctx *c, const struct rule_operand *o, struct fopd *out)
{
	size_t i;

	out->kind = FOPD_XFORM;
	out->xf = o->xform;
	if (o->xform == RULE_XF_GETOPT)
		return fail(c, o->pos, false, "transformer '%s' is not "
		    "supported", "getopt");
	out->args = calloc(o->nargs ? o->nargs : 1, sizeof(*out->args));
	if (out->args == NULL)
		return fail(c, o->pos, false, "out of memory");
	for (i = 0; i < o->nargs; i++) {
		out->nargs++;
		if (compile_operand(c, &o->args[i], false, &out->args[i]) != 0)
			return -1;
		if (out->args[i].kind == FOPD_FIELD &&
		    (out->args[i].ref.def->flags & FLD_F_NO_TRANSFORMER))
			return fail(c, o->args[i].pos, false,
			    "field '%s' does not support transformers",
			    out->args[i].ref.def->name);
	}
	if (o->nargs == 0)
		return fail(c, o->pos, false, "transformer '%s' needs an "
		    "argument", rule_xform_name(o->xform));
	out->type = xform_type(o->xform, out->args[0].type);
	if (out->type == FLD_T_NONE)
		return fail(c, o->pos, false, "transformer '%s' is not "
		    "supported on field type %s", rule_xform_name(o->xform),
		    fld_type_name(out->args[0].type));
	return 0;
}

static int
compile_operand(struct cctx *c, const struct rule_operand *o, bool lhs,
    struct fopd *out)
{
	size_t i;

	switch (o->kind) {
	case RULE_OPD_FIELD:
		return compile_field(c, o, lhs, out);
	case RULE_OPD_XFORM:
		return compile_xform(c, o, out);
	case RULE_OPD_VALUE:
		out->kind = FOPD_LITERAL;
		out->type = FLD_T_CHARBUF;
		out->lit = malloc(o->value.len + 1);
		if (out->lit == NULL)
			return fail(c, o->pos, false, "out of memory");
		memcpy(out->lit, o->value.s, o->value.len + 1);
		out->litlen = o->value.len;
		return 0;
	case RULE_OPD_LIST:
		out->kind = FOPD_LIST;
		out->type = FLD_T_CHARBUF;
		out->args = calloc(o->nargs ? o->nargs : 1, sizeof(*out->args));
		if (out->args == NULL)
			return fail(c, o->pos, false, "out of memory");
		for (i = 0; i < o->nargs; i++) {
			out->nargs++;
			if (compile_operand(c, &o->args[i], false,
			    &out->args[i]) != 0)
				return -1;
		}
		return 0;
	}
	return fail(c, o->pos, false, "invalid operand");
}

static void
fopd_fini(struct fopd *o)
{
	size_t i;

	for (i = 0; i < o->nargs; i++)
		fopd_fini(&o->args[i]);
	free(o->args);
	free(o->lit);
}

/* ---- Operators and values ------------------------------------------- */

static const char *
class_label(enum fld_class k)
{
	switch (k) {
	case FLD_C_SIGNED:
	case FLD_C_UNSIGNED:
	case FLD_C_DOUBLE:
	case FLD_C_BOOL:	/* sic: libs says "numeric" for bools too */
		return "numeric";
	case FLD_C_IPADDR:
	case FLD_C_IPNET:
		return "ip address and network";
	case FLD_C_BUFFER:
		return "buffer";
	default:
		return "string";
	}
}

/* Operator x type compatibility, falco.md §1.4. */
static bool
op_allowed(enum rule_op op, enum fld_class k)
{
	bool common = op == RULE_OP_EQ || op == RULE_OP_NE ||
	    op == RULE_OP_IN || op == RULE_OP_INTERSECTS ||
	    op == RULE_OP_EXISTS;
	bool order = op == RULE_OP_LT || op == RULE_OP_LE ||
	    op == RULE_OP_GT || op == RULE_OP_GE;

	switch (k) {
	case FLD_C_SIGNED:
	case FLD_C_UNSIGNED:
	case FLD_C_DOUBLE:
		return common || order;
	case FLD_C_BOOL:
	case FLD_C_IPADDR:
	case FLD_C_IPNET:
		return common;
	case FLD_C_BUFFER:
		return common || op == RULE_OP_CONTAINS ||
		    op == RULE_OP_STARTSWITH || op == RULE_OP_ENDSWITH ||
		    op == RULE_OP_BCONTAINS || op == RULE_OP_BSTARTSWITH;
	default:
		return op != RULE_OP_BCONTAINS && op != RULE_OP_BSTARTSWITH;
	}
}

/* Whether v looks like a field, or a transformer, written as a value. */
static void
warn_misused_value(struct cctx *c, const struct rule_value *v)
{
	static const char *const xf[] = { "tolower(", "toupper(", "b64(",
	    "basename(", "len(", "join(", "concat(", "getopt(" };
	struct fld_error ferr;
	struct fld_ref ref;
	size_t i;
	int n;

	for (i = 0; i < sizeof(xf) / sizeof(xf[0]); i++) {
		if (v->len > strlen(xf[i]) &&
		    strncmp(v->s, xf[i], strlen(xf[i])) == 0) {
			warn(c, FLT_WARN_COMPILE, v->pos, "'%s' may be a valid "
			    "field transformer misused as a const string value",
			    v->s);
			return;
		}
	}
	n = fld_scan(v->s, v->len, &ref, &ferr);
	if (n <= 0)
		return;
	while ((size_t)n < v->len && isspace((unsigned char)v->s[n]))
		n++;
	if ((size_t)n == v->len)
		warn(c, FLT_WARN_COMPILE, v->pos, "'%s' may be a valid field "
		    "misused as a const string value", v->s);
}

/* A regex that is a plain string with ^/$/.* around it (§1.10). */
static void
warn_simple_regex(struct cctx *c, const struct rule_value *v)
{
	const char *p = v->s, *end = v->s + v->len;

	if (p < end && *p == '^')
		p++;
	else if (end - p >= 2 && p[0] == '.' && strchr("*+?", p[1]) != NULL)
		p += 2;
	if (end > p && end[-1] == '$' && (end - p < 2 || end[-2] != '\\'))
		end--;
	else if (end - p >= 2 && end[-2] == '.' && end[-1] == '*')
		end -= 2;
	for (; p < end; p++)
		if (strchr(".[]()*+?{}|\\^$", *p) != NULL)
			return;
	warn(c, FLT_WARN_COMPILE, v->pos, "regex check with '%s' may be "
	    "optimized with simpler operators such as '=', 'contains', "
	    "'startswith', 'endswith'", v->s);
}

/*
 * What glibc's regcomp is given must stay cheap to compile.  It copies the
 * tree of a repeated expression once per copy the repetition needs ("a{3}"
 * is "aaa", "a+" is "aa*"), so nested repetitions ("((a+)+)+...",
 * "(a{100}){100}") grow exponentially in memory: the copies are bounded.
 * Its epsilon closures take exponential time when an expression that can
 * match empty is repeated: "a*+++++", "(a?)+++++", "(a*|b*){100}" or
 * forty "((a*)*)" in a row take seconds to hours.  Such a repetition adds
 * nothing ("(a*)*" is "a*", "(a?){3}" is "a{0,3}"), so it is refused,
 * except the harmless "?" and "{0,1}".  RE2 (Falco's engine) refuses
 * counts over 1000, backreferences and a ')' without '(' (which would also
 * break the "^(...)$" wrapping below), so those are refused too.
 */
#define RE_MAX_DEPTH	64	/* nested groups */
#define RE_MAX_REPEAT	1000	/* RE2's limit on {n,m} */
#define RE_MAX_GROWTH	100000	/* atoms beyond the pattern's own */

/* An atom or group: atoms in glibc's tree, whether it can match empty. */
struct re_atom {
	size_t		size;
	bool		null;
};

/* A group being read: the atoms of its finished parts, whether one of its
 * alternatives / the current concatenation can match empty, and the last
 * atom (a repetition may still apply to it). */
struct re_group {
	size_t		sum;
	bool		alt_null, cat_null;
	struct re_atom	last;
};

struct re_rep {
	size_t		len;		/* of the operator */
	size_t		copies;		/* of its operand in the tree */
	unsigned long	min;
	bool		repeats;	/* more than once: not "?" or {0,1} */
};

static const struct re_atom RE_NONE = { 0, true };

/* Length of the bracket expression at p ('[' included), or 0 if open. */
static size_t
re_bracket_len(const char *p, size_t len)
{
	size_t i = 1;

	if (i < len && p[i] == '^')
		i++;
	if (i < len && p[i] == ']')
		i++;
	for (; i < len && p[i] != ']'; i++) {
		char d = i + 1 < len ? p[i + 1] : '\0';
		if (p[i] == '[' && (d == ':' || d == '.' || d == '=')) {
			for (i += 2; i + 1 < len && !(p[i] == d &&
			    p[i + 1] == ']'); i++)
				;
			i++;
		}
	}
	return i < len ? i + 1 : 0;
}

/* Read a count of an interval at p[*i]; false when over RE_MAX_REPEAT. */
static bool
re_count(const char *p, size_t len, size_t *i, unsigned long *n)
{
	for (*n = 0; *i < len && isdigit((unsigned char)p[*i]); (*i)++)
		if ((*n = *n * 10 + (unsigned long)(p[*i] - '0')) >
		    RE_MAX_REPEAT)
			return false;
	return true;
}

/* The repetition operator at p into *r: 1 when there is one, 0 when p
 * starts none ('{' not followed by an interval is a literal), -1 when a
 * count is over RE_MAX_REPEAT. */
static int
re_repeat(const char *p, size_t len, struct re_rep *r)
{
	unsigned long hi;
	size_t i = 1;

	*r = (struct re_rep){ 1, 1, 0, *p == '*' };
	if (*p == '*' || *p == '?')
		return 1;
	if (*p == '+') {
		*r = (struct re_rep){ 1, 2, 1, true };
		return 1;
	}
	if (*p != '{')
		return 0;
	if (!re_count(p, len, &i, &r->min))
		return -1;
	hi = r->min;
	if (i < len && p[i] == ',') {
		i++;
		/* {n,} is unbounded */
		hi = i < len && p[i] == '}' ? ULONG_MAX : 0;
		if (hi == 0 && !re_count(p, len, &i, &hi))
			return -1;
	}
	if (i >= len || p[i] != '}' || i == 1)
		return 0;
	r->len = i + 1;
	r->repeats = r->min > 1 || hi > 1;
	r->copies = (hi == ULONG_MAX || r->min > hi ? r->min : hi) + 1;
	return 1;
}

/* The group's last atom is final: add it to the group. */
static void
re_commit(struct re_group *g)
{
	g->sum += g->last.size;
	g->cat_null = g->cat_null && g->last.null;
	g->last = RE_NONE;
}

/* Apply repetition r to the group's last atom; -1 when too costly. */
static int
re_apply(struct re_group *g, const struct re_rep *r)
{
	struct re_atom *a = &g->last;

	if (a->size > RE_MAX_GROWTH / r->copies || (a->null && r->repeats))
		return -1;
	a->size *= r->copies;
	if (r->min == 0)
		a->null = true;
	return 0;
}

/* One atom at p (its length in *n): a character, an escape, a bracket
 * expression; anchors and glibc's word-boundary escapes match empty. */
static int
re_atom(const char *p, size_t len, size_t *n, struct re_atom *a)
{
	*a = (struct re_atom){ 1, *p == '^' || *p == '$' };
	*n = 1;
	if (*p == '\\' && len > 1) {
		if (p[1] >= '1' && p[1] <= '9')
			return -1;	/* backreference */
		a->null = strchr("bB<>`'", p[1]) != NULL;
		*n = 2;
	} else if (*p == '[' && (*n = re_bracket_len(p, len)) == 0) {
		return -1;
	}
	return 0;
}

/* 0 when regcomp may be given the pattern, -1 otherwise. */
static int
re_check(const char *p, size_t len)
{
	static const struct re_group empty = { 0, false, true, { 0, true } };
	struct re_group g[RE_MAX_DEPTH + 1] = { empty };
	unsigned d = 0;
	struct re_rep r;
	size_t i, n;
	int k;

	for (i = 0; i < len; i += n) {
		n = 1;
		if ((k = re_repeat(p + i, len - i, &r)) < 0)
			return -1;
		if (k > 0) {
			n = r.len;
			if (re_apply(&g[d], &r) != 0)
				return -1;
			continue;
		}
		re_commit(&g[d]);
		if (p[i] == '|') {
			g[d].alt_null = g[d].alt_null || g[d].cat_null;
			g[d].cat_null = true;
		} else if (p[i] == '(') {
			if (d == RE_MAX_DEPTH)
				return -1;
			g[++d] = empty;
		} else if (p[i] == ')') {
			if (d == 0)
				return -1;
			d--;
			g[d].last = (struct re_atom){ g[d + 1].sum + 1,
			    g[d + 1].alt_null || g[d + 1].cat_null };
		} else if (re_atom(p + i, len - i, &n, &g[d].last) != 0) {
			return -1;
		}
		if (g[d].sum > len + RE_MAX_GROWTH)
			return -1;
	}
	return 0;
}

static int
compile_regex(struct cctx *c, const struct rule_value *v, regex_t *re)
{
	char *pat;
	int rc;

	if (re_check(v->s, v->len) != 0)
		return fail(c, v->pos, false, "invalid regex pattern: %s",
		    v->s);
	if ((pat = malloc(v->len + 8)) == NULL)
		return fail(c, v->pos, false, "out of memory");
	/* RE2 full match: anchor both ends around the whole pattern. */
	snprintf(pat, v->len + 8, "^(%s)$", v->s);
	rc = regcomp(re, pat, REG_EXTENDED | REG_NOSUB);
	free(pat);
	if (rc != 0)
		return fail(c, v->pos, false, "invalid regex pattern: %s",
		    v->s);
	return 0;
}

/* Parse one right-hand value for the check's operator and type. */
static int
parse_value(struct cctx *c, struct fchk *k, const struct rule_value *v,
    size_t i, char **sp)
{
	struct fld_value *out = &k->vals[i];
	enum fld_class cls = fld_type_class(k->lhs.type);
	bool as_string = cls == FLD_C_STRING || cls == FLD_C_BUFFER;
	struct fld_error ferr;

	if (memchr(v->s, '\0', v->len) != NULL &&
	    k->lhs.type != FLD_T_BYTEBUF)
		return fail(c, v->pos, false, "filter value cannot contain a "
		    "NUL byte");
	if (k->op == RULE_OP_BCONTAINS || k->op == RULE_OP_BSTARTSWITH) {
		if (v->len % 2 != 0 || !aud_hex_decode(v->s, v->len, *sp))
			return fail(c, v->pos, false, "bcontains and "
			    "bstartswith operator support hex strings only");
		*out = (struct fld_value){ .type = FLD_T_BYTEBUF, .str = *sp,
		    .len = v->len / 2 };
		*sp += v->len / 2 + 1;
		return 0;
	}
	if (as_string) {
		memcpy(*sp, v->s, v->len + 1);
		*out = (struct fld_value){ .type = k->lhs.type, .str = *sp,
		    .len = v->len };
		*sp += v->len + 1;
		return 0;
	}
	if (fld_parse_value(k->lhs.type, v->s, v->len, out, &ferr) != 0)
		return fail(c, v->pos, false, "%s", ferr.msg);
	return 0;
}

/* evt.type values must name an event type Falco knows. */
static int
check_evttype(struct cctx *c, const struct fchk *k, const struct rule_value *v)
{
	const char *n = k->lhs.kind == FOPD_FIELD ? k->lhs.ref.def->name : "";

	if (strcmp(n, "evt.type") != 0 || k->op == RULE_OP_EXISTS)
		return 0;
	if (evt_type_index(v->s, v->len) < 0)
		return fail(c, v->pos, true, "unknown event type %s", v->s);
	return 0;
}

static int
compile_values(struct cctx *c, struct fchk *k, const struct rule_rhs *rhs)
{
	size_t i, total = 0;
	char *sp;

	k->rhs = FCHK_VALUES;
	k->nvals = rhs->nvalues;
	for (i = 0; i < rhs->nvalues; i++)
		total += rhs->values[i].len + 1;
	k->vals = calloc(k->nvals ? k->nvals : 1, sizeof(*k->vals));
	k->strbuf = sp = malloc(total ? total : 1);
	if (k->op == RULE_OP_REGEX)
		k->res = calloc(k->nvals ? k->nvals : 1, sizeof(*k->res));
	if (k->vals == NULL || sp == NULL ||
	    (k->op == RULE_OP_REGEX && k->res == NULL))
		return fail(c, rhs->pos, false, "out of memory");
	for (i = 0; i < k->nvals; i++) {
		const struct rule_value *v = &rhs->values[i];
		if (check_evttype(c, k, v) != 0 ||
		    parse_value(c, k, v, i, &sp) != 0)
			return -1;
		if (rhs->kind == RULE_RHS_VALUE)
			warn_misused_value(c, v);
		if (k->op == RULE_OP_REGEX) {
			warn_simple_regex(c, v);
			if (compile_regex(c, v, &k->res[i]) != 0) {
				k->nvals = i;	/* only compiled ones are freed */
				return -1;
			}
		}
	}
	return 0;
}

/* The field an operand reads (under its transformers), for messages. */
static const char *
opd_name(const struct fopd *o)
{
	while (o->kind == FOPD_XFORM && o->nargs > 0)
		o = &o->args[0];
	return o->kind == FOPD_FIELD ? o->ref.def->name : "";
}

#define SORTED_MIN	8	/* lists this long are binary-searched */

static int
cmp_sorted(const void *x, const void *y)
{
	const struct fld_value *a = x, *b = y;

	if (a->len != b->len)
		return a->len < b->len ? -1 : 1;
	return memcmp(a->str, b->str, a->len);
}

/* Sort a long string list of an `in` check for binary search at eval. */
static int
sort_values(struct fchk *k)
{
	if ((k->op != RULE_OP_IN && k->op != RULE_OP_INTERSECTS) ||
	    k->mod != RULE_MOD_NONE || k->nvals < SORTED_MIN ||
	    (k->cls != FLD_C_STRING && k->cls != FLD_C_BUFFER))
		return 0;
	if ((k->sorted = malloc(k->nvals * sizeof(*k->sorted))) == NULL)
		return -1;
	memcpy(k->sorted, k->vals, k->nvals * sizeof(*k->sorted));
	qsort(k->sorted, k->nvals, sizeof(*k->sorted), cmp_sorted);
	return 0;
}

static int
compile_rhs_operand(struct cctx *c, struct fchk *k, const struct rule_rhs *rhs)
{
	enum fld_class l = fld_type_class(k->lhs.type);

	if (k->op == RULE_OP_REGEX || k->op == RULE_OP_PMATCH)
		return fail(c, rhs->pos, false, "operator '%s' cannot compare "
		    "with a field", rule_op_name(k->op));
	k->rhs = FCHK_OPERAND;
	if (compile_operand(c, rhs->operand, false, &k->rhs_opd) != 0)
		return -1;
	if (k->rhs_opd.kind == FOPD_FIELD &&
	    (k->rhs_opd.ref.def->flags & FLD_F_NO_RHS))
		return fail(c, rhs->pos, false, "field '%s' cannot be used on "
		    "the right-hand side", k->rhs_opd.ref.def->name);
	if (k->lhs.kind == FOPD_FIELD && (k->lhs.ref.def->flags &
	    (FLD_F_NO_RHS | FLD_F_ANCESTOR)))
		return fail(c, rhs->pos, false, "field '%s' cannot be compared "
		    "with a field", k->lhs.ref.def->name);
	if (l != fld_type_class(k->rhs_opd.type) || l == FLD_C_IPNET)
		return fail(c, rhs->pos, false, "field '%s' has type '%s' while "
		    "the right-hand side field '%s' has incompatible type '%s'",
		    opd_name(&k->lhs), fld_type_name(k->lhs.type),
		    opd_name(&k->rhs_opd), fld_type_name(k->rhs_opd.type));
	return 0;
}

static int
compile_check(struct cctx *c, const struct rule_node *n, struct fchk *k)
{
	const struct rule_check *rc = &n->check;
	enum fld_class cls;

	k->op = rc->op;
	k->mod = rc->mod;
	if (compile_operand(c, &rc->left, true, &k->lhs) != 0)
		return -1;
	cls = k->cls = fld_type_class(k->lhs.type);
	if (!op_allowed(rc->op, cls))
		return fail(c, n->pos, false, "'%s' operator not supported for "
		    "%s filters", rule_op_name(rc->op), class_label(cls));
	if (rc->mod != RULE_MOD_NONE && (cls == FLD_C_IPADDR ||
	    cls == FLD_C_IPNET) && rc->op != RULE_OP_EQ && rc->op != RULE_OP_NE)
		return fail(c, n->pos, false, "'%s' operator not supported for "
		    "%s filters with a modifier", rule_op_name(rc->op),
		    class_label(cls));
	switch (rc->rhs.kind) {
	case RULE_RHS_NONE:
		k->rhs = FCHK_NONE;
		return 0;
	case RULE_RHS_VALUE:
	case RULE_RHS_LIST:
	case RULE_RHS_IDENT:
		if (compile_values(c, k, &rc->rhs) != 0)
			return -1;
		if (sort_values(k) != 0)
			return fail(c, n->pos, false, "out of memory");
		return 0;
	case RULE_RHS_FIELD:
	case RULE_RHS_XFORM:
		return compile_rhs_operand(c, k, &rc->rhs);
	}
	return fail(c, n->pos, false, "invalid check");
}

static void
fchk_free(struct fchk *k)
{
	size_t i;

	if (k == NULL)
		return;
	if (k->res != NULL) {
		for (i = 0; i < k->nvals; i++)
			regfree(&k->res[i]);
		free(k->res);
	}
	fopd_fini(&k->lhs);
	fopd_fini(&k->rhs_opd);
	free(k->sorted);
	free(k->vals);
	free(k->strbuf);
	free(k);
}

void
fnode_free(struct fnode *n)
{
	size_t i;

	if (n == NULL)
		return;
	for (i = 0; i < n->n; i++)
		fnode_free(n->kids[i]);
	free(n->kids);
	fchk_free(n->chk);
	free(n);
}

static struct fnode *
compile_node(struct cctx *c, const struct rule_node *n)
{
	struct fnode *f = calloc(1, sizeof(*f));
	size_t i;

	if (f == NULL) {
		fail(c, n->pos, false, "out of memory");
		return NULL;
	}
	switch (n->kind) {
	case RULE_NODE_AND:
	case RULE_NODE_OR:
	case RULE_NODE_NOT:
		f->kind = n->kind == RULE_NODE_AND ? FN_AND :
		    n->kind == RULE_NODE_OR ? FN_OR : FN_NOT;
		f->kids = calloc(n->nchildren, sizeof(*f->kids));
		if (f->kids == NULL)
			goto oom;
		for (i = 0; i < n->nchildren; i++) {
			if ((f->kids[i] = compile_node(c, n->children[i])) == NULL)
				goto bad;
			f->n++;
		}
		return f;
	case RULE_NODE_CHECK:
		f->kind = FN_CHECK;
		if ((f->chk = calloc(1, sizeof(*f->chk))) == NULL)
			goto oom;
		if (compile_check(c, n, f->chk) != 0)
			goto bad;
		return f;
	case RULE_NODE_IDENT:
		fail(c, n->pos, false, "Undefined macro '%s' used in filter.",
		    n->ident);
		goto bad;
	}
oom:
	fail(c, n->pos, false, "out of memory");
bad:
	fnode_free(f);
	return NULL;
}

enum flt_result
flt_compile(const struct rule_node *ast, flt_warn_fn warnfn, void *warn_arg,
    struct flt **ret, struct flt_diag *diag)
{
	struct cctx c = { .warn = warnfn, .warn_arg = warn_arg, .diag = diag };
	struct flt *f;

	*ret = NULL;
	memset(diag, 0, sizeof(*diag));
	if ((f = calloc(1, sizeof(*f))) == NULL) {
		snprintf(diag->msg, sizeof(diag->msg), "out of memory");
		return FLT_ERROR;
	}
	f->root = compile_node(&c, ast);
	if (f->root == NULL) {
		free(f);
		return FLT_ERROR;
	}
	if (c.unsupported) {
		flt_free(f);
		*diag = c.unsup;
		return FLT_UNSUPPORTED;
	}
	*ret = f;
	return FLT_OK;
}

void
flt_free(struct flt *f)
{
	if (f == NULL)
		return;
	fnode_free(f->root);
	free(f);
}

int
fopd_compile_text(const char *text, size_t len, flt_warn_fn warnfn,
    void *warn_arg, struct fopd **ret, struct flt_diag *diag)
{
	struct cctx c = { .warn = warnfn, .warn_arg = warn_arg, .diag = diag };
	struct rule_parse_error perr;
	struct rule_node *ast = NULL;
	struct fopd *o;
	char *src;
	int rc = -1;

	*ret = NULL;
	memset(diag, 0, sizeof(*diag));
	/* "X exists" parses X exactly as a condition's left side would be. */
	if ((src = malloc(len + 8)) == NULL ||
	    (o = calloc(1, sizeof(*o))) == NULL) {
		free(src);
		snprintf(diag->msg, sizeof(diag->msg), "out of memory");
		return -1;
	}
	memcpy(src, text, len);
	memcpy(src + len, " exists", 8);
	if (rule_parse(src, len + 7, NULL, &ast, &perr) != 0 ||
	    ast->kind != RULE_NODE_CHECK) {
		snprintf(diag->msg, sizeof(diag->msg), "invalid formatting "
		    "token %.*s", (int)(len > 200 ? 200 : len), text);
		diag->skippable = true;
	} else if (compile_operand(&c, &ast->check.left, false, o) == 0) {
		*ret = o;
		rc = 0;
		if (c.unsupported) {
			*diag = c.unsup;
			rc = 1;
		}
	}
	rule_node_free(ast);
	free(src);
	if (rc < 0)
		fopd_free(o);
	return rc;
}

void
fopd_free(struct fopd *o)
{
	if (o == NULL)
		return;
	fopd_fini(o);
	free(o);
}
