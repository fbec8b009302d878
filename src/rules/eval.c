/*
 * eval.c - evaluate a compiled filter on one event (see filter.h).
 *
 * Owns nothing.  Transformer results are written into ctx->arena, which
 * the caller resets per event.  Hot path: no malloc, no locale-dependent
 * calls except fnmatch/regexec, which the operators require.
 */
#include "config.h"

#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "rules/filter_int.h"

/* ---- Transformers --------------------------------------------------- */

static bool
str_result(struct fld_ctx *ctx, const char *p, size_t len,
    struct fld_value *out)
{
	char *s = fc_arena_strndup(ctx->arena, p, len);

	if (s == NULL)
		return false;
	out->type = FLD_T_CHARBUF;
	out->str = s;
	out->len = len;
	return true;
}

static bool
xf_case(struct fld_ctx *ctx, const struct fld_value *in, bool upper,
    struct fld_value *out)
{
	char *s;
	size_t i;

	if (!str_result(ctx, in->str, in->len, out))
		return false;
	s = (char *)out->str;
	for (i = 0; i < out->len; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (upper && ch >= 'a' && ch <= 'z')
			s[i] = (char)(ch - 32);
		else if (!upper && ch >= 'A' && ch <= 'Z')
			s[i] = (char)(ch + 32);
	}
	return true;
}

static int
b64val(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

/* base64 decode; any invalid input means no value, as in libsinsp. */
static bool
xf_b64(struct fld_ctx *ctx, const struct fld_value *in, struct fld_value *out)
{
	size_t i, n = 0, len = in->len;
	uint32_t acc = 0;
	int bits = 0, d;
	char *s;

	while (len > 0 && in->str[len - 1] == '=')
		len--;
	if ((s = fc_arena_alloc(ctx->arena, in->len + 1)) == NULL)
		return false;
	for (i = 0; i < len; i++) {
		if ((d = b64val((unsigned char)in->str[i])) < 0)
			return false;
		acc = acc << 6 | (uint32_t)d;
		if ((bits += 6) >= 8) {
			bits -= 8;
			s[n++] = (char)(acc >> bits);
		}
	}
	s[n] = '\0';
	*out = (struct fld_value){ .type = FLD_T_CHARBUF, .str = s, .len = n };
	return true;
}

/* join(sep, (a, b...)) and concat(a, b...): missing items are skipped. */
static bool
xf_join(const struct fopd *o, struct fld_ctx *ctx, struct fld_value *out)
{
	const struct fopd *items = o->args, *sep = NULL;
	size_t nitems = o->nargs, i, total = 0, n = 0;
	struct fld_value v[32];
	bool have[32];
	char *s;

	if (o->xf == RULE_XF_JOIN) {
		if (o->nargs != 2 || o->args[1].kind != FOPD_LIST)
			return false;
		sep = &o->args[0];
		items = o->args[1].args;
		nitems = o->args[1].nargs;
	}
	if (nitems > 32)
		nitems = 32;
	for (i = 0; i < nitems; i++) {
		have[i] = fopd_eval(&items[i], ctx, &v[i]) &&
		    fld_type_class(v[i].type) == FLD_C_STRING;
		total += have[i] ? v[i].len + (sep ? sep->litlen : 0) : 0;
	}
	if ((s = fc_arena_alloc(ctx->arena, total + 1)) == NULL)
		return false;
	for (i = 0; i < nitems; i++) {
		if (!have[i])
			continue;
		if (n > 0 && sep != NULL) {
			memcpy(s + n, sep->lit, sep->litlen);
			n += sep->litlen;
		}
		memcpy(s + n, v[i].str, v[i].len);
		n += v[i].len;
	}
	s[n] = '\0';
	*out = (struct fld_value){ .type = FLD_T_CHARBUF, .str = s, .len = n };
	return true;
}

static bool
xform_eval(const struct fopd *o, struct fld_ctx *ctx, struct fld_value *out)
{
	struct fld_value in;
	const char *slash;

	if (o->xf == RULE_XF_JOIN || o->xf == RULE_XF_CONCAT)
		return xf_join(o, ctx, out);
	if (!fopd_eval(&o->args[0], ctx, &in))
		return false;
	switch (o->xf) {
	case RULE_XF_TOLOWER:
	case RULE_XF_TOUPPER:
		return xf_case(ctx, &in, o->xf == RULE_XF_TOUPPER, out);
	case RULE_XF_B64:
		return xf_b64(ctx, &in, out);
	case RULE_XF_BASENAME:
		slash = memrchr(in.str, '/', in.len);
		if (slash == NULL)
			return str_result(ctx, in.str, in.len, out);
		return str_result(ctx, slash + 1,
		    in.len - (size_t)(slash + 1 - in.str), out);
	case RULE_XF_LEN:
		*out = (struct fld_value){ .type = FLD_T_UINT64 };
		out->v.u64 = in.len;
		return true;
	default:
		return false;
	}
}

/* A memoised field's value (extracted at its first use), NULL: none. */
static const struct fld_value *
memo_value(const struct fopd *o, struct fld_ctx *ctx)
{
	struct fld_memo *m = &ctx->memo[o->slot - 1];

	if (m->gen != ctx->gen) {
		m->ok = fld_extract(ctx, &o->ref, &m->v);
		m->gen = ctx->gen;
	}
	return m->ok ? &m->v : NULL;
}

static bool
memoised(const struct fopd *o, const struct fld_ctx *ctx)
{
	return o->kind == FOPD_FIELD && o->slot != 0 && o->slot <= ctx->nmemo;
}

bool
fopd_eval(const struct fopd *o, struct fld_ctx *ctx, struct fld_value *out)
{
	const struct fld_value *v;

	switch (o->kind) {
	case FOPD_FIELD:
		if (!memoised(o, ctx))
			return fld_extract(ctx, &o->ref, out);
		if ((v = memo_value(o, ctx)) == NULL)
			return false;
		*out = *v;
		return true;
	case FOPD_XFORM:
		return xform_eval(o, ctx, out);
	case FOPD_LITERAL:
		*out = (struct fld_value){ .type = FLD_T_CHARBUF, .str = o->lit,
		    .len = o->litlen };
		return true;
	default:
		return false;
	}
}

/* Operand o's value, NULL when none: the memo entry itself, or *scratch. */
static const struct fld_value *
opd_value(const struct fopd *o, struct fld_ctx *ctx, struct fld_value *scratch)
{
	if (memoised(o, ctx))
		return memo_value(o, ctx);
	return fopd_eval(o, ctx, scratch) ? scratch : NULL;
}

/* ---- Comparisons ---------------------------------------------------- */

static const char *
memmem_ci(const char *h, size_t hl, const char *n, size_t nl)
{
	size_t i;

	if (nl == 0)
		return h;
	for (i = 0; i + nl <= hl; i++)
		if (strncasecmp(h + i, n, nl) == 0)
			return h + i;
	return NULL;
}

static int
cmp_bytes(const struct fld_value *a, const struct fld_value *b)
{
	size_t n = a->len < b->len ? a->len : b->len;
	int r = memcmp(a->str, b->str, n);

	if (r != 0)
		return r;
	return a->len < b->len ? -1 : a->len > b->len;
}

/* Path-prefix match by '/' components, each a glob (falco.md §1.4). */
static bool
pmatch(const struct fld_value *v, const struct fld_value *pat)
{
	const char *p = pat->str, *pe = pat->str + pat->len;
	const char *s = v->str, *se = v->str + v->len;
	char pc[256], sc[256];

	while (p < pe) {
		const char *pn = memchr(p, '/', (size_t)(pe - p));
		const char *sn;
		size_t pl, sl;

		if (s >= se && p < pe)
			return false;
		pn = pn ? pn : pe;
		sn = memchr(s, '/', (size_t)(se - s));
		sn = sn ? sn : se;
		pl = (size_t)(pn - p);
		sl = (size_t)(sn - s);
		if (pl >= sizeof(pc) || sl >= sizeof(sc))
			return false;
		memcpy(pc, p, pl);
		pc[pl] = '\0';
		memcpy(sc, s, sl);
		sc[sl] = '\0';
		if (fnmatch(pc, sc, 0) != 0)
			return false;
		p = pn < pe ? pn + 1 : pe;
		s = sn < se ? sn + 1 : se;
	}
	return true;
}

static bool
cmp_string(enum rule_op op, const struct fld_value *a,
    const struct fld_value *b, const regex_t *re)
{
	switch (op) {
	case RULE_OP_EQ:
	case RULE_OP_IN:
	case RULE_OP_INTERSECTS:
		return a->len == b->len && memcmp(a->str, b->str, a->len) == 0;
	case RULE_OP_NE:
		return !(a->len == b->len && memcmp(a->str, b->str, a->len) == 0);
	case RULE_OP_LT:
		return cmp_bytes(a, b) < 0;
	case RULE_OP_LE:
		return cmp_bytes(a, b) <= 0;
	case RULE_OP_GT:
		return cmp_bytes(a, b) > 0;
	case RULE_OP_GE:
		return cmp_bytes(a, b) >= 0;
	case RULE_OP_CONTAINS:
	case RULE_OP_BCONTAINS:
		return memmem(a->str, a->len, b->str, b->len) != NULL;
	case RULE_OP_ICONTAINS:
		return memmem_ci(a->str, a->len, b->str, b->len) != NULL;
	case RULE_OP_STARTSWITH:
	case RULE_OP_BSTARTSWITH:
		return a->len >= b->len && memcmp(a->str, b->str, b->len) == 0;
	case RULE_OP_ENDSWITH:
		return a->len >= b->len &&
		    memcmp(a->str + a->len - b->len, b->str, b->len) == 0;
	case RULE_OP_GLOB:
		return fnmatch(b->str, a->str, 0) == 0;
	case RULE_OP_IGLOB:
		return fnmatch(b->str, a->str, FNM_CASEFOLD) == 0;
	case RULE_OP_REGEX:
		return re != NULL && regexec(re, a->str, 0, NULL, 0) == 0;
	case RULE_OP_PMATCH:
		return pmatch(a, b);
	default:
		return false;
	}
}

static int
cmp_num(const struct fld_value *a, const struct fld_value *b)
{
	switch (fld_type_class(a->type)) {
	case FLD_C_SIGNED:
		return a->v.i64 < b->v.i64 ? -1 : a->v.i64 > b->v.i64;
	case FLD_C_DOUBLE:
		return a->v.dbl < b->v.dbl ? -1 : a->v.dbl > b->v.dbl;
	default:
		return a->v.u64 < b->v.u64 ? -1 : a->v.u64 > b->v.u64;
	}
}

/* Address equality, or containment when either side is a network. */
static bool
ip_eq(const struct fld_value *a, const struct fld_value *b)
{
	const struct fld_ip *x = &a->v.ip, *y = &b->v.ip;
	unsigned prefix = x->prefix < y->prefix ? x->prefix : y->prefix;
	unsigned full = prefix / 8, rest = prefix % 8;

	if (x->family != y->family)
		return false;
	if (memcmp(x->addr, y->addr, full) != 0)
		return false;
	return rest == 0 || ((x->addr[full] ^ y->addr[full]) &
	    (0xff << (8 - rest)) & 0xff) == 0;
}

/* a (of class k) op b. */
static bool
cmp1(enum rule_op op, enum fld_class k, const struct fld_value *a,
    const struct fld_value *b, const regex_t *re)
{
	int r;

	if (k == FLD_C_STRING || k == FLD_C_BUFFER)
		return cmp_string(op, a, b, re);
	if (k == FLD_C_BOOL) {
		bool eq = a->v.b == b->v.b;
		return op == RULE_OP_NE ? !eq : eq;
	}
	if (k == FLD_C_IPADDR || k == FLD_C_IPNET) {
		bool eq = ip_eq(a, b);
		return op == RULE_OP_NE ? !eq : eq;
	}
	r = cmp_num(a, b);
	switch (op) {
	case RULE_OP_NE:
		return r != 0;
	case RULE_OP_LT:
		return r < 0;
	case RULE_OP_LE:
		return r <= 0;
	case RULE_OP_GT:
		return r > 0;
	case RULE_OP_GE:
		return r >= 0;
	default:
		return r == 0;
	}
}

static int
cmp_sorted_value(const void *x, const void *y)
{
	const struct fld_value *a = x, *b = y;

	if (a->len != b->len)
		return a->len < b->len ? -1 : 1;
	return memcmp(a->str, b->str, a->len);
}

/* Is v one of the (string) values?  The commonest check: `in (...)`, `=`. */
static bool
str_in(const struct fchk *k, const struct fld_value *v)
{
	const struct fld_value *x;
	size_t i;

	for (i = 0; i < k->nvals; i++) {
		x = &k->vals[i];
		if (x->len == v->len && memcmp(x->str, v->str, v->len) == 0)
			return true;
	}
	return false;
}

/* The check against its value list, for one extracted value. */
static bool
check_value(const struct fchk *k, struct fld_ctx *ctx,
    const struct fld_value *v)
{
	enum fld_class c = fld_type_class(v->type);
	const struct fld_value *r;
	struct fld_value scratch;
	size_t i, hits = 0;

	switch (k->rhs) {
	case FCHK_NONE:
		return true;
	case FCHK_OPERAND:
		return (r = opd_value(&k->rhs_opd, ctx, &scratch)) != NULL &&
		    cmp1(k->op, c, v, r, NULL);
	case FCHK_VALUES:
		break;
	}
	if (k->sorted != NULL && c == k->cls)
		return bsearch(v, k->sorted, k->nvals, sizeof(*k->sorted),
		    cmp_sorted_value) != NULL;
	if (k->mod == RULE_MOD_NONE) {
		if (c == FLD_C_STRING && (k->op == RULE_OP_EQ ||
		    k->op == RULE_OP_IN || k->op == RULE_OP_INTERSECTS))
			return str_in(k, v);
		for (i = 0; i < k->nvals; i++)
			if (cmp1(k->op, c, v, &k->vals[i],
			    k->res ? &k->res[i] : NULL))
				return true;
		return false;
	}
	for (i = 0; i < k->nvals; i++)
		if (cmp1(k->op, c, v, &k->vals[i], k->res ? &k->res[i] : NULL))
			hits++;
	if (k->mod == RULE_MOD_ONEOF)
		return hits == 1;
	if (k->mod == RULE_MOD_ALLOF)
		return hits == k->nvals;
	return hits > 0;
}

/* proc.aname-style field without [N]: any ancestor (1, 2, ...) matches. */
static bool
check_ancestors(const struct fchk *k, struct fld_ctx *ctx)
{
	struct fld_ref ref = k->lhs.ref;
	struct fld_value v;
	int64_t i;

	for (i = 1; i <= FLT_MAX_ANCESTORS; i++) {
		ref.index = i;
		if (!fld_extract(ctx, &ref, &v))
			return false;
		if (check_value(k, ctx, &v))
			return true;
	}
	return false;
}

static bool
eval_check(const struct fchk *k, struct fld_ctx *ctx)
{
	const struct fld_value *v;
	struct fld_value scratch;

	if (k->lhs.ancestor)
		return check_ancestors(k, ctx);
	if ((v = opd_value(&k->lhs, ctx, &scratch)) == NULL)
		return false;
	return check_value(k, ctx, v);
}

static bool
eval_node(const struct fnode *n, struct fld_ctx *ctx)
{
	size_t i;

	switch (n->kind) {
	case FN_AND:
		for (i = 0; i < n->n; i++)
			if (!eval_node(n->kids[i], ctx))
				return false;
		return true;
	case FN_OR:
		for (i = 0; i < n->n; i++)
			if (eval_node(n->kids[i], ctx))
				return true;
		return false;
	case FN_NOT:
		return !eval_node(n->kids[0], ctx);
	case FN_CHECK:
		return eval_check(n->chk, ctx);
	}
	return false;
}

bool
flt_eval(const struct flt *f, struct fld_ctx *ctx)
{
	return eval_node(f->root, ctx);
}
