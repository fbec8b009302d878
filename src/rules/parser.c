/*
 * parser.c - recursive-descent parser for Falco conditions (see ast.h).
 *
 * Mirrors libsinsp filter/parser.cpp production by production, so that the
 * same strings are accepted and rejected, the same error texts come out and
 * the depth guard trips at the same nesting: every function that carries a
 * depth_guard upstream calls enter() here.  The token regexes of upstream
 * are hand-written scanners (span_*); a POSIX regex engine matches
 * leftmost-longest, which for these patterns is plain greedy scanning.
 *
 * Errors abort the whole parse: the first one is recorded in p->err, every
 * function returns NULL/-1 and frees what it built.  Depth is only
 * decremented on success paths, which is all that matters after an error.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules/ast.h"
#include "rules/ast_int.h"

struct parser {
	const char		*s;
	size_t			 len;
	struct rule_pos		 pos;
	unsigned		 depth;
	unsigned		 max_depth;
	bool			 no_hex;
	bool			 failed;
	const char		*last;		/* last lexed token, for messages */
	size_t			 lastlen;
	struct rule_parse_error	*err;
};

#define LAST_MAX	200	/* longest token quoted back in a message */

static const char XFORM_LIST[] = "'val', 'tolower', 'toupper', 'b64', "
    "'basename', 'len', 'join', 'concat', 'getopt'";

static const char OP_LIST[] = "'exists', '<=', '<', '>=', '>', '==', '=', "
    "'!=', 'glob', 'iglob', 'contains', 'icontains', 'bcontains', "
    "'startswith', 'bstartswith', 'endswith', 'regex', 'intersects', 'in', "
    "'pmatch'";

/* ---- errors and positions -------------------------------------------- */

static void __attribute__((format(printf, 3, 0)))
vfail_at(struct parser *p, struct rule_pos pos, const char *fmt, va_list ap)
{
	if (p->failed)
		return;
	p->failed = true;
	vsnprintf(p->err->msg, sizeof(p->err->msg), fmt, ap);
	p->err->pos = pos;
}

static void __attribute__((format(printf, 3, 4)))
fail_at(struct parser *p, struct rule_pos pos, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfail_at(p, pos, fmt, ap);
	va_end(ap);
}

static void __attribute__((format(printf, 2, 3)))
fail(struct parser *p, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfail_at(p, p->pos, fmt, ap);
	va_end(ap);
}

static void
oom(struct parser *p)
{
	fail(p, "out of memory");
}

void
rule_pos_advance(struct rule_pos *pos, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		pos->col++;
		if (s[i] == '\r' || s[i] == '\n') {
			pos->col = 1;
			pos->line++;
		}
		pos->idx++;
	}
}

/* The depth guard of upstream: incremented on entry, error at >= max. */
static bool
enter(struct parser *p)
{
	if (++p->depth >= p->max_depth) {
		fail(p, "exceeded max depth limit of %u", p->max_depth);
		return false;
	}
	return true;
}

static void
leave(struct parser *p)
{
	p->depth--;
}

/* ---- character classes (ASCII, no locale) ---------------------------- */

static bool
is_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool
is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static bool
is_xdigit(int c)
{
	return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static bool
is_word(int c)
{
	return is_alpha(c) || is_digit(c) || c == '_';
}

/* Blanks skipped between tokens (no \f or \v, as upstream's lex_blank). */
static bool
is_blank(int c)
{
	return c == ' ' || c == '\t' || c == '\b' || c == '\r' || c == '\n';
}

/* POSIX [:space:], used by the token regexes. */
static bool
is_space(int c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

/* ---- low-level lexing ------------------------------------------------ */

/* Byte at cursor + off, or -1 past the end. */
static int
at(const struct parser *p, size_t off)
{
	size_t i = p->pos.idx + off;

	return i < p->len ? (unsigned char)p->s[i] : -1;
}

static void
take(struct parser *p, size_t n)
{
	p->last = p->s + p->pos.idx;
	p->lastlen = n;
	rule_pos_advance(&p->pos, p->s + p->pos.idx, n);
}

static bool
lex_str(struct parser *p, const char *t)
{
	size_t n = strlen(t);

	if (p->len - p->pos.idx < n || memcmp(p->s + p->pos.idx, t, n) != 0)
		return false;
	take(p, n);
	return true;
}

/* Skips blanks; true if there was at least one.  Keeps p->last. */
static bool
lex_blank(struct parser *p)
{
	size_t n = 0;

	while (is_blank(at(p, n)))
		n++;
	rule_pos_advance(&p->pos, p->s + p->pos.idx, n);
	return n > 0;
}

/* [a-zA-Z]+[a-zA-Z0-9_]* at cursor + off. */
static size_t
span_ident_at(const struct parser *p, size_t off)
{
	size_t n = 0;

	if (!is_alpha(at(p, off)))
		return 0;
	while (is_word(at(p, off + n)))
		n++;
	return n;
}

static size_t
span_ident(const struct parser *p)
{
	return span_ident_at(p, 0);
}

/* Identifier ( '.' Identifier )+ */
static size_t
span_field(const struct parser *p)
{
	size_t n = span_ident(p);
	bool dotted = false;

	if (n == 0)
		return 0;
	while (at(p, n) == '.' && is_alpha(at(p, n + 1))) {
		n += 1 + span_ident_at(p, n + 1);
		dotted = true;
	}
	return dotted ? n : 0;
}

/* [^()"'[:space:]=,]+ */
static size_t
span_bare(const struct parser *p)
{
	size_t n = 0;
	int c;

	while ((c = at(p, n)) >= 0 && !is_space(c) && !strchr("()\"'=,", c))
		n++;
	return n;
}

/* [^][\"'[:space:]]+ */
static size_t
span_arg_bare(const struct parser *p)
{
	size_t n = 0;
	int c;

	while ((c = at(p, n)) >= 0 && !is_space(c) && !strchr("[]\"'", c))
		n++;
	return n;
}

/* 0[xX][0-9a-fA-F]+ */
static size_t
span_hex(const struct parser *p)
{
	size_t n = 2;

	if (at(p, 0) != '0' || (at(p, 1) != 'x' && at(p, 1) != 'X'))
		return 0;
	while (is_xdigit(at(p, n)))
		n++;
	return n > 2 ? n : 0;
}

/* [+-]?[0-9]+\.?[0-9]*([eE][+-][0-9]+)? */
static size_t
span_num(const struct parser *p)
{
	size_t n = 0, e;

	if (at(p, 0) == '+' || at(p, 0) == '-')
		n++;
	if (!is_digit(at(p, n)))
		return 0;
	while (is_digit(at(p, n)))
		n++;
	if (at(p, n) == '.')
		n++;
	while (is_digit(at(p, n)))
		n++;
	e = n + 2;
	if ((at(p, n) == 'e' || at(p, n) == 'E') &&
	    (at(p, n + 1) == '+' || at(p, n + 1) == '-') && is_digit(at(p, e))) {
		while (is_digit(at(p, e)))
			e++;
		n = e;
	}
	return n;
}

static size_t
span_number(const struct parser *p)
{
	size_t n = span_hex(p);

	return n ? n : span_num(p);
}

/* not[[:space:]]+ */
static size_t
span_not_blank(const struct parser *p)
{
	size_t n = 3;

	if (at(p, 0) != 'n' || at(p, 1) != 'o' || at(p, 2) != 't' ||
	    !is_space(at(p, 3)))
		return 0;
	while (is_space(at(p, n)))
		n++;
	return n;
}

/* ---- values ---------------------------------------------------------- */

static int
value_set(struct parser *p, struct rule_value *v, const char *s, size_t n,
    struct rule_pos pos)
{
	if ((v->s = malloc(n + 1)) == NULL) {
		oom(p);
		return -1;
	}
	memcpy(v->s, s, n);
	v->s[n] = '\0';
	v->len = n;
	v->quoted = false;
	v->pos = pos;
	return 0;
}

/* A span of the input at the cursor becomes a bare value. */
static int
lex_span_value(struct parser *p, struct rule_value *v, size_t n)
{
	if (value_set(p, v, p->s + p->pos.idx, n, p->pos) < 0)
		return -1;
	take(p, n);
	return 0;
}

static int
hex_escape(struct parser *p, const char *s, size_t i, size_t n,
    struct rule_pos epos, char *out)
{
	static const char digits[] = "0123456789abcdef";
	int hi, lo;

	if (n - i < 3) {
		fail_at(p, epos, "truncated hex char escape");
		return -1;
	}
	if (!is_xdigit((unsigned char)s[i + 1]) ||
	    !is_xdigit((unsigned char)s[i + 2])) {
		fail_at(p, epos, "invalid hex char escape: \\x%.2s", s + i + 1);
		return -1;
	}
	hi = (int)(strchr(digits, s[i + 1] | 0x20) - digits);
	lo = (int)(strchr(digits, s[i + 2] | 0x20) - digits);
	*out = (char)(hi << 4 | lo);
	return 0;
}

/* One escape at s[i] == '\\' (content of a q-quoted string, n bytes).
 * Returns how many bytes after the backslash it used, or -1. */
static int
unescape_one(struct parser *p, const char *s, size_t i, size_t n, char q,
    struct rule_pos epos, char *out)
{
	switch (s[i + 1]) {
	case 'b': *out = '\b'; return 1;
	case 'f': *out = '\f'; return 1;
	case 'n': *out = '\n'; return 1;
	case 'r': *out = '\r'; return 1;
	case 't': *out = '\t'; return 1;
	case ' ':	/* legacy: "\ " is a backslash */
	case '\\': *out = '\\'; return 1;
	case '/': *out = '/'; return 1;
	case '"':
		if (q != '"')
			break;
		*out = '"';
		return 1;
	case '\'':
		if (q != '\'')
			break;
		*out = '\'';
		return 1;
	case 'x':
		if (p->no_hex)
			break;
		return hex_escape(p, s, i + 1, n, epos, out) < 0 ? -1 : 3;
	default:
		break;
	}
	if (s[i + 1] == '"')
		fail_at(p, epos, "invalid \\\" escape in '-quoted string");
	else if (s[i + 1] == '\'')
		fail_at(p, epos, "invalid \\' escape in \"-quoted string");
	else
		fail_at(p, epos, "unsupported string escape sequence: \\%c",
		    s[i + 1]);
	return -1;
}

/* Decodes the n content bytes of a q-quoted string starting at start. */
static int
unescape(struct parser *p, const char *s, size_t n, char q,
    struct rule_pos start, struct rule_value *v)
{
	struct rule_pos epos;
	size_t i, o = 0;
	int used;

	if ((v->s = malloc(n + 1)) == NULL) {
		oom(p);
		return -1;
	}
	for (i = 0; i < n; i++) {
		if (s[i] != '\\') {
			v->s[o++] = s[i];
			continue;
		}
		if (i + 1 == n)		/* cannot happen: \q never closes */
			break;
		epos = start;
		rule_pos_advance(&epos, s - 1, i + 1);
		used = unescape_one(p, s, i, n, q, epos, &v->s[o++]);
		if (used < 0) {
			free(v->s);
			v->s = NULL;
			return -1;
		}
		i += (size_t)used;
	}
	v->s[o] = '\0';
	v->len = o;
	return 0;
}

/*
 * A '...' or "..." string at the cursor.  Like upstream, a quote closes the
 * string unless the byte before it is a backslash (so `'a\\'` does not end
 * at its last quote).  Returns 1 (v filled, cursor moved), 0 if there is no
 * terminated quoted string here (cursor unchanged), -1 on a bad escape.
 */
static int
lex_quoted(struct parser *p, struct rule_value *v)
{
	int q = at(p, 0);
	char prev;
	size_t i;

	if (q != '\'' && q != '"')
		return 0;
	prev = (char)q;
	for (i = p->pos.idx + 1; i < p->len; i++) {
		if (p->s[i] == q && prev != '\\')
			break;
		prev = p->s[i];
	}
	if (i >= p->len)
		return 0;
	if (unescape(p, p->s + p->pos.idx + 1, i - p->pos.idx - 1, (char)q,
	    p->pos, v) < 0)
		return -1;
	v->quoted = true;
	v->pos = p->pos;
	take(p, i + 1 - p->pos.idx);
	p->last = v->s;		/* upstream quotes the unescaped text back */
	p->lastlen = v->len;
	return 1;
}

/* QuotedStr | BareStr as a value (list items, right-hand sides).
 * Returns 1, 0 (neither present), -1. */
static int
lex_str_value(struct parser *p, struct rule_value *v)
{
	size_t n;
	int r;

	if ((r = lex_quoted(p, v)) != 0)
		return r;
	if ((n = span_bare(p)) == 0)
		return 0;
	return lex_span_value(p, v, n) < 0 ? -1 : 1;
}

static int
values_push(struct parser *p, struct rule_rhs *r, size_t *cap,
    const struct rule_value *v)
{
	struct rule_value *nv;
	size_t ncap;

	if (r->nvalues == *cap) {
		ncap = *cap ? *cap * 2 : 4;
		if ((nv = realloc(r->values, ncap * sizeof(*nv))) == NULL) {
			free(v->s);
			oom(p);
			return -1;
		}
		r->values = nv;
		*cap = ncap;
	}
	r->values[r->nvalues++] = *v;
	return 0;
}

/* ---- node helpers ---------------------------------------------------- */

static struct rule_node *
node_new(struct parser *p, enum rule_node_kind kind, struct rule_pos pos)
{
	struct rule_node *n = calloc(1, sizeof(*n));

	if (n == NULL) {
		oom(p);
		return NULL;
	}
	n->kind = kind;
	n->pos = pos;
	return n;
}

struct nvec {
	struct rule_node	**v;
	size_t			  n;
	size_t			  cap;
};

static int
nvec_push(struct parser *p, struct nvec *a, struct rule_node *c)
{
	struct rule_node **nv;
	size_t ncap;

	if (c == NULL)
		return -1;
	if (a->n == a->cap) {
		ncap = a->cap ? a->cap * 2 : 4;
		if ((nv = realloc(a->v, ncap * sizeof(*nv))) == NULL) {
			rule_node_free(c);
			oom(p);
			return -1;
		}
		a->v = nv;
		a->cap = ncap;
	}
	a->v[a->n++] = c;
	return 0;
}

static void
nvec_free(struct nvec *a)
{
	size_t i;

	for (i = 0; i < a->n; i++)
		rule_node_free(a->v[i]);
	free(a->v);
}

/* One child is returned as is; more become an n-ary node. */
static struct rule_node *
nvec_finish(struct parser *p, struct nvec *a, enum rule_node_kind kind,
    struct rule_pos pos)
{
	struct rule_node *n;

	if (a->n == 1) {
		n = a->v[0];
		free(a->v);
		return n;
	}
	if ((n = node_new(p, kind, pos)) == NULL) {
		nvec_free(a);
		return NULL;
	}
	n->children = a->v;
	n->nchildren = a->n;
	return n;
}

static int
args_push(struct parser *p, struct rule_operand *o, size_t *cap,
    const struct rule_operand *arg)
{
	struct rule_operand *na;
	size_t ncap;

	if (o->nargs == *cap) {
		ncap = *cap ? *cap * 2 : 4;
		if ((na = realloc(o->args, ncap * sizeof(*na))) == NULL) {
			rule_operand_fini((struct rule_operand *)arg);
			oom(p);
			return -1;
		}
		o->args = na;
		*cap = ncap;
	}
	o->args[o->nargs++] = *arg;
	return 0;
}

/* ---- grammar: expressions -------------------------------------------- */

static struct rule_node *parse_or(struct parser *p);
static struct rule_node *parse_and(struct parser *p);
static struct rule_node *parse_not(struct parser *p);
static struct rule_node *parse_check(struct parser *p);
static int parse_condition(struct parser *p, struct rule_check *c);
static int parse_xform_rest(struct parser *p, struct rule_operand *o,
    enum rule_xform xf, struct rule_pos pos);

/* '(' already taken: Expr ')' */
static struct rule_node *
parse_embedded(struct parser *p)
{
	struct rule_node *n;

	if (!enter(p))
		return NULL;
	lex_blank(p);
	if ((n = parse_or(p)) == NULL)
		return NULL;
	lex_blank(p);
	if (!lex_str(p, ")")) {
		rule_node_free(n);
		fail(p, "expected a ')' token");
		return NULL;
	}
	leave(p);
	return n;
}

/* Sub { kw (Blank Sub | '(' Expr ')') } for kw "or" and "and". */
static struct rule_node *
parse_nary(struct parser *p, const char *kw, enum rule_node_kind kind,
    struct rule_node *(*sub)(struct parser *))
{
	struct rule_pos pos = p->pos;
	struct nvec kids = { NULL, 0, 0 };
	struct rule_node *c;

	if (!enter(p))
		return NULL;
	lex_blank(p);
	if (nvec_push(p, &kids, sub(p)) < 0)
		goto fail;
	lex_blank(p);
	while (lex_str(p, kw)) {
		if (lex_blank(p))
			c = sub(p);
		else if (lex_str(p, "("))
			c = parse_embedded(p);
		else {
			fail(p, "expected blank or '(' after '%s'", kw);
			goto fail;
		}
		if (nvec_push(p, &kids, c) < 0)
			goto fail;
		lex_blank(p);
	}
	leave(p);
	return nvec_finish(p, &kids, kind, pos);
fail:
	nvec_free(&kids);
	return NULL;
}

static struct rule_node *
parse_or(struct parser *p)
{
	return parse_nary(p, "or", RULE_NODE_OR, parse_and);
}

static struct rule_node *
parse_and(struct parser *p)
{
	return parse_nary(p, "and", RULE_NODE_AND, parse_not);
}

/* { 'not' Blank+ } ( 'not(' Expr ')' | Check ); each 'not' toggles. */
static struct rule_node *
parse_not(struct parser *p)
{
	struct rule_pos pos = p->pos;
	struct rule_node *c, *n;
	bool neg = false;
	size_t k;

	if (!enter(p))
		return NULL;
	lex_blank(p);
	while ((k = span_not_blank(p)) > 0) {
		take(p, k);
		neg = !neg;
	}
	if (lex_str(p, "not(")) {
		neg = !neg;
		c = parse_embedded(p);
	} else
		c = parse_check(p);
	if (c == NULL)
		return NULL;
	leave(p);
	if (!neg)
		return c;
	if ((n = node_new(p, RULE_NODE_NOT, pos)) == NULL ||
	    (n->children = malloc(sizeof(*n->children))) == NULL) {
		free(n);
		rule_node_free(c);
		oom(p);
		return NULL;
	}
	n->children[0] = c;
	n->nchildren = 1;
	return n;
}

/* TName '(' at the cursor: takes it and returns true. */
static bool
lex_xform_type(struct parser *p, enum rule_xform *xf)
{
	char t[16];
	int i;

	for (i = RULE_XF_TOLOWER; i <= RULE_XF_GETOPT; i++) {
		snprintf(t, sizeof(t), "%s(", rule_xform_name(i));
		if (lex_str(p, t)) {
			*xf = i;
			return true;
		}
	}
	return false;
}

/* Optional '[' FieldArg ']' right after a field or transformer. */
static int
parse_opt_arg(struct parser *p, struct rule_operand *o)
{
	size_t n;
	int r;

	if (!lex_str(p, "["))
		return 0;
	if ((r = lex_quoted(p, &o->arg)) == 0 && (n = span_arg_bare(p)) > 0)
		r = lex_span_value(p, &o->arg, n) < 0 ? -1 : 1;
	if (r == 0)
		fail(p, "expected a valid field argument: a quoted string or "
		    "a bare string");
	if (r <= 0)
		return -1;
	o->has_arg = true;
	if (!lex_str(p, "]")) {
		fail(p, "expected a ']' token");
		return -1;
	}
	return 0;
}

/* The field name (n bytes) is at the cursor: name [ '[' FieldArg ']' ]. */
static int
parse_field(struct parser *p, struct rule_operand *o, size_t n,
    struct rule_pos pos)
{
	if (!enter(p))
		return -1;
	memset(o, 0, sizeof(*o));
	o->kind = RULE_OPD_FIELD;
	o->pos = pos;
	if ((o->name = strndup(p->s + p->pos.idx, n)) == NULL) {
		oom(p);
		return -1;
	}
	take(p, n);
	if (parse_opt_arg(p, o) < 0) {
		rule_operand_fini(o);
		return -1;
	}
	leave(p);
	return 0;
}

/* Identifier at the cursor (n bytes): a macro reference. */
static struct rule_node *
parse_ident(struct parser *p, size_t n, struct rule_pos pos)
{
	struct rule_node *id = node_new(p, RULE_NODE_IDENT, pos);

	if (id == NULL)
		return NULL;
	if ((id->ident = strndup(p->s + p->pos.idx, n)) == NULL) {
		free(id);
		oom(p);
		return NULL;
	}
	take(p, n);
	return id;
}

static struct rule_node *
parse_check(struct parser *p)
{
	struct rule_pos pos = p->pos;
	struct rule_node *n;
	enum rule_xform xf;
	size_t k;
	int r;

	if (!enter(p))
		return NULL;
	lex_blank(p);
	if (lex_str(p, "(")) {
		n = parse_embedded(p);
		if (n != NULL)
			leave(p);
		return n;
	}
	if ((k = span_field(p)) > 0) {
		if ((n = node_new(p, RULE_NODE_CHECK, pos)) == NULL)
			return NULL;
		r = parse_field(p, &n->check.left, k, pos);
	} else if (lex_xform_type(p, &xf)) {
		if ((n = node_new(p, RULE_NODE_CHECK, pos)) == NULL)
			return NULL;
		lex_blank(p);
		r = parse_xform_rest(p, &n->check.left, xf, pos);
	} else if ((k = span_ident(p)) > 0) {
		if ((n = parse_ident(p, k, pos)) != NULL)
			leave(p);
		return n;
	} else {
		fail(p, "expected a '(' token, a field check, or an identifier");
		return NULL;
	}
	if (r < 0) {
		free(n);
		return NULL;
	}
	if (parse_condition(p, &n->check) < 0) {
		rule_node_free(n);
		return NULL;
	}
	leave(p);
	return n;
}

/* ---- grammar: transformers ------------------------------------------- */

static int parse_xform_arg(struct parser *p, struct rule_operand *o);

/* TListArg := Field | Transformer | QuotedStr | NumValue */
static int
parse_xform_list_arg(struct parser *p, struct rule_operand *o)
{
	struct rule_pos pos = p->pos;
	enum rule_xform xf;
	size_t n;
	int r;

	memset(o, 0, sizeof(*o));
	if ((n = span_field(p)) > 0)
		return parse_field(p, o, n, pos);
	if (lex_xform_type(p, &xf)) {
		lex_blank(p);
		return parse_xform_rest(p, o, xf, pos);
	}
	o->kind = RULE_OPD_VALUE;
	o->pos = pos;
	if ((r = lex_quoted(p, &o->value)) != 0)
		return r < 0 ? -1 : 0;
	if ((n = span_number(p)) > 0)
		return lex_span_value(p, &o->value, n);
	fail(p, "expected transformer list argument: field, transformer, "
	    "quoted string, or number");
	return -1;
}

/* '(' already taken: [ TListArg { ',' TListArg } ] ')' */
static int
parse_xform_list(struct parser *p, struct rule_operand *o,
    struct rule_pos pos)
{
	struct rule_operand arg;
	size_t cap = 0;

	memset(o, 0, sizeof(*o));
	o->kind = RULE_OPD_LIST;
	o->pos = pos;
	lex_blank(p);
	if (lex_str(p, ")"))
		return 0;
	if (parse_xform_list_arg(p, &arg) < 0 || args_push(p, o, &cap, &arg))
		goto fail;
	lex_blank(p);
	while (lex_str(p, ",")) {
		lex_blank(p);
		if (parse_xform_list_arg(p, &arg) < 0 ||
		    args_push(p, o, &cap, &arg) < 0)
			goto fail;
		lex_blank(p);
	}
	if (lex_str(p, ")"))
		return 0;
	fail(p, "expected ')'");
fail:
	rule_operand_fini(o);
	return -1;
}

/* TArg := NumValue | QuotedStr | '(' list ')' | Transformer | Field */
static int
parse_xform_arg(struct parser *p, struct rule_operand *o)
{
	struct rule_pos pos;
	enum rule_xform xf;
	size_t n;
	int r;

	if (!enter(p))
		return -1;
	lex_blank(p);
	pos = p->pos;
	memset(o, 0, sizeof(*o));
	o->kind = RULE_OPD_VALUE;
	o->pos = pos;
	if ((n = span_number(p)) > 0)
		r = lex_span_value(p, &o->value, n);
	else if ((r = lex_quoted(p, &o->value)) != 0)
		r = r < 0 ? -1 : 0;
	else if (lex_str(p, "("))
		r = parse_xform_list(p, o, pos);
	else if (lex_xform_type(p, &xf))
		r = parse_xform_rest(p, o, xf, pos);
	else if ((n = span_field(p)) > 0)
		r = parse_field(p, o, n, pos);
	else {
		fail(p, "expected field transformer argument: field, "
		    "transformer, quoted string, number, or transformer list");
		return -1;
	}
	if (r == 0)
		leave(p);
	return r;
}

/* TName '(' already taken: TArg { ',' TArg } ')' [ '[' FieldArg ']' ] */
static int
parse_xform_rest(struct parser *p, struct rule_operand *o,
    enum rule_xform xf, struct rule_pos pos)
{
	struct rule_operand arg;
	size_t cap = 0;

	if (!enter(p))
		return -1;
	memset(o, 0, sizeof(*o));
	o->kind = RULE_OPD_XFORM;
	o->pos = pos;
	o->xform = xf;
	if ((o->name = strdup(rule_xform_name(xf))) == NULL) {
		oom(p);
		return -1;
	}
	lex_blank(p);
	do {
		if (parse_xform_arg(p, &arg) < 0 ||
		    args_push(p, o, &cap, &arg) < 0)
			goto fail;
		lex_blank(p);
	} while (lex_str(p, ","));
	lex_blank(p);
	if (!lex_str(p, ")")) {
		fail(p, "expected a ')' token closing the transformer");
		goto fail;
	}
	if (parse_opt_arg(p, o) < 0)
		goto fail;
	leave(p);
	return 0;
fail:
	rule_operand_fini(o);
	return -1;
}

/* 'val(' already taken: Field ')' */
static int
parse_val(struct parser *p, struct rule_rhs *rhs, struct rule_pos pos)
{
	struct rule_pos fpos;
	size_t n;

	lex_blank(p);
	fpos = p->pos;
	if ((n = span_field(p)) == 0) {
		fail(p, "expected a field within 'val' transformer");
		return -1;
	}
	if ((rhs->operand = calloc(1, sizeof(*rhs->operand))) == NULL) {
		oom(p);
		return -1;
	}
	rhs->kind = RULE_RHS_FIELD;
	rhs->pos = pos;
	if (parse_field(p, rhs->operand, n, fpos) < 0)
		return -1;
	lex_blank(p);
	if (!lex_str(p, ")")) {
		fail(p, "expected a ')' token closing the transformer");
		return -1;
	}
	return 0;
}

/* 'val(' Field ')' | Transformer on a right-hand side.
 * Returns 1 (parsed), 0 (not there), -1. */
static int
try_xform_or_val(struct parser *p, struct rule_rhs *rhs)
{
	struct rule_pos pos;
	enum rule_xform xf;

	if (!enter(p))
		return -1;
	lex_blank(p);
	pos = p->pos;
	if (lex_str(p, "val(")) {
		if (parse_val(p, rhs, pos) < 0)
			return -1;
	} else if (lex_xform_type(p, &xf)) {
		if ((rhs->operand = calloc(1, sizeof(*rhs->operand))) == NULL) {
			oom(p);
			return -1;
		}
		rhs->kind = RULE_RHS_XFORM;
		rhs->pos = pos;
		lex_blank(p);
		if (parse_xform_rest(p, rhs->operand, xf, pos) < 0)
			return -1;
	} else {
		leave(p);
		return 0;
	}
	leave(p);
	return 1;
}

/* ---- grammar: right-hand sides --------------------------------------- */

/* Makes v the single value of rhs (kind VALUE); v is consumed. */
static int
rhs_value(struct parser *p, struct rule_rhs *rhs, struct rule_value *v)
{
	size_t cap = 0;

	rhs->kind = RULE_RHS_VALUE;
	rhs->pos = v->pos;
	return values_push(p, rhs, &cap, v);
}

/* NumValue | TransformerOrVal */
static int
parse_num_rhs(struct parser *p, struct rule_rhs *rhs)
{
	struct rule_value v;
	size_t n;
	int r;

	if (!enter(p))
		return -1;
	lex_blank(p);
	if ((r = try_xform_or_val(p, rhs)) != 0) {
		if (r > 0)
			leave(p);
		return r < 0 ? -1 : 0;
	}
	if ((n = span_number(p)) == 0) {
		fail(p, "expected a number value or a field with a valid "
		    "transformer: %s", XFORM_LIST);
		return -1;
	}
	if (lex_span_value(p, &v, n) < 0 || rhs_value(p, rhs, &v) < 0)
		return -1;
	leave(p);
	return 0;
}

/* StrValue | TransformerOrVal */
static int
parse_str_rhs(struct parser *p, struct rule_rhs *rhs)
{
	struct rule_value v;
	int r;

	if (!enter(p))
		return -1;
	lex_blank(p);
	if ((r = try_xform_or_val(p, rhs)) != 0) {
		if (r > 0)
			leave(p);
		return r < 0 ? -1 : 0;
	}
	if ((r = lex_str_value(p, &v)) == 0)
		fail(p, "expected a string value or a field with a valid "
		    "transformer: %s", XFORM_LIST);
	if (r <= 0 || rhs_value(p, rhs, &v) < 0)
		return -1;
	leave(p);
	return 0;
}

/* A list item after ',' (upstream: a guarded string-only value parse). */
static int
parse_list_item(struct parser *p, struct rule_rhs *rhs, size_t *cap)
{
	struct rule_value v;
	int r;

	if (!enter(p))
		return -1;
	lex_blank(p);
	if ((r = lex_str_value(p, &v)) == 0)
		fail(p, "expected a string value");
	if (r <= 0 || values_push(p, rhs, cap, &v) < 0)
		return -1;
	leave(p);
	return 0;
}

/* '(' already taken: [ StrValue { ',' StrValue } ] ')'.  As upstream, a
 * missing first item means "empty list" and then ')' must follow. */
static int
parse_list_body(struct parser *p, struct rule_rhs *rhs, struct rule_pos pos)
{
	struct rule_value v;
	size_t cap = 0;
	int r;

	rhs->kind = RULE_RHS_LIST;
	rhs->pos = pos;
	lex_blank(p);
	if (!enter(p))
		return -1;
	lex_blank(p);
	if ((r = lex_str_value(p, &v)) < 0)
		return -1;
	leave(p);
	if (r > 0) {
		if (values_push(p, rhs, &cap, &v) < 0)
			return -1;
		lex_blank(p);
		while (lex_str(p, ",")) {
			if (parse_list_item(p, rhs, &cap) < 0)
				return -1;
			lex_blank(p);
		}
	}
	if (!lex_str(p, ")")) {
		fail(p, "expected a ')' token");
		return -1;
	}
	return 0;
}

static bool
is_keyword(const char *s, size_t n)
{
	return (n == 2 && memcmp(s, "or", 2) == 0) ||
	    (n == 3 && (memcmp(s, "and", 3) == 0 || memcmp(s, "not", 3) == 0));
}

static int
rhs_ident(struct parser *p, struct rule_rhs *rhs, size_t n)
{
	struct rule_value v;

	if (lex_span_value(p, &v, n) < 0 || rhs_value(p, rhs, &v) < 0)
		return -1;
	rhs->kind = RULE_RHS_IDENT;
	return 0;
}

/* ListValue | TransformerOrVal after in/intersects/pmatch */
static int
parse_list_rhs(struct parser *p, struct rule_rhs *rhs)
{
	struct rule_pos pos;
	size_t n;
	int r;

	if (!enter(p))
		return -1;
	lex_blank(p);
	pos = p->pos;
	if (lex_str(p, "("))
		r = parse_list_body(p, rhs, pos);
	else if ((r = try_xform_or_val(p, rhs)) != 0)
		r = r < 0 ? -1 : 0;
	else if ((n = span_ident(p)) > 0)
		r = rhs_ident(p, rhs, n);
	else {
		fail(p, "expected a list, an identifier, or a field with a "
		    "valid transformer: %s", XFORM_LIST);
		return -1;
	}
	if (r == 0)
		leave(p);
	return r;
}

/*
 * After a string operator: Modifier Blank ( '(' list ')' | Identifier ).
 * When the word is not followed by a blank and then '(' or an identifier
 * other than and/or/not, it is not a modifier but a plain value
 * (`proc.name == oneof`): the cursor is put back and 0 returned.
 */
static int
parse_modifier(struct parser *p, struct rule_check *c)
{
	static const char *const words[] = { "oneof", "anyof", "allof" };
	static const enum rule_mod mods[] = {
		RULE_MOD_ONEOF, RULE_MOD_ANYOF, RULE_MOD_ALLOF,
	};
	struct rule_pos save = p->pos, pos;
	const char *last = p->last;
	size_t lastlen = p->lastlen, i, n;

	lex_blank(p);
	for (i = 0; i < 3; i++) {
		if (!lex_str(p, words[i]))
			continue;
		if (!lex_blank(p))
			break;
		pos = p->pos;
		c->mod = mods[i];
		if (lex_str(p, "("))
			return parse_list_body(p, &c->rhs, pos) < 0 ? -1 : 1;
		n = span_ident(p);
		if (n > 0 && !is_keyword(p->s + p->pos.idx, n))
			return rhs_ident(p, &c->rhs, n) < 0 ? -1 : 1;
		c->mod = RULE_MOD_NONE;
		break;
	}
	p->pos = save;
	p->last = last;
	p->lastlen = lastlen;
	return 0;
}

/* ---- grammar: operators ---------------------------------------------- */

struct op_tok {
	const char	*text;
	enum rule_op	 op;
	bool		 blank;		/* a blank must follow */
};

static const struct op_tok num_ops[] = {
	{ "<=", RULE_OP_LE, false }, { "<", RULE_OP_LT, false },
	{ ">=", RULE_OP_GE, false }, { ">", RULE_OP_GT, false },
	{ NULL, 0, false },
};

static const struct op_tok str_ops[] = {
	{ "==", RULE_OP_EQ, false }, { "=", RULE_OP_EQ, false },
	{ "!=", RULE_OP_NE, false }, { "glob", RULE_OP_GLOB, true },
	{ "iglob", RULE_OP_IGLOB, true },
	{ "contains", RULE_OP_CONTAINS, true },
	{ "icontains", RULE_OP_ICONTAINS, true },
	{ "bcontains", RULE_OP_BCONTAINS, true },
	{ "startswith", RULE_OP_STARTSWITH, true },
	{ "bstartswith", RULE_OP_BSTARTSWITH, true },
	{ "endswith", RULE_OP_ENDSWITH, true },
	{ "regex", RULE_OP_REGEX, true },
	{ NULL, 0, false },
};

static const struct op_tok list_ops[] = {
	{ "intersects", RULE_OP_INTERSECTS, false }, { "in", RULE_OP_IN, false },
	{ "pmatch", RULE_OP_PMATCH, false },
	{ NULL, 0, false },
};

/*
 * Upstream's lex_helper_operator_list: the first operator whose text is at
 * the cursor wins; a word operator then needs a blank.  Quirk kept on
 * purpose: when the blank is missing the scan stops with the cursor past
 * the word (so `containsvalue` fails, and `containsin (a)` reads as `in`).
 */
static const struct op_tok *
lex_op(struct parser *p, const struct op_tok *ops)
{
	for (; ops->text != NULL; ops++) {
		if (!lex_str(p, ops->text))
			continue;
		if (ops->blank && !lex_blank(p))
			return NULL;
		return ops;
	}
	return NULL;
}

/* Condition := 'exists' | NumOp ... | StrOp [Modifier] ... | ListOp ... */
static int
parse_condition(struct parser *p, struct rule_check *c)
{
	const struct op_tok *t;
	int r;

	if (!enter(p))
		return -1;
	lex_blank(p);
	if (lex_str(p, "exists")) {
		c->op = RULE_OP_EXISTS;
		c->rhs.kind = RULE_RHS_NONE;
		leave(p);
		return 0;
	}
	lex_blank(p);
	if ((t = lex_op(p, num_ops)) != NULL)
		r = parse_num_rhs(p, &c->rhs);
	else if ((t = lex_op(p, str_ops)) != NULL) {
		c->op_eqeq = t->text[1] == '=' && t->text[0] == '=';
		if ((r = parse_modifier(p, c)) == 0)
			r = parse_str_rhs(p, &c->rhs);
		r = r < 0 ? -1 : 0;
	} else if ((t = lex_op(p, list_ops)) != NULL)
		r = parse_list_rhs(p, &c->rhs);
	else {
		fail(p, "expected a valid check operator: one of %s", OP_LIST);
		return -1;
	}
	c->op = t->op;
	if (r == 0)
		leave(p);
	return r;
}

/* ---- entry point ----------------------------------------------------- */

int
rule_parse(const char *text, size_t len, const struct rule_parse_opts *opts,
    struct rule_node **ret, struct rule_parse_error *err)
{
	struct parser p;
	struct rule_node *n;

	memset(&p, 0, sizeof(p));
	memset(err, 0, sizeof(*err));
	p.s = text;
	p.len = len;
	p.pos.line = p.pos.col = 1;
	p.err = err;
	p.last = "";
	p.max_depth = opts && opts->max_depth ? opts->max_depth :
	    RULE_PARSE_DEFAULT_DEPTH;
	if (p.max_depth > RULE_PARSE_DEPTH_CAP)
		p.max_depth = RULE_PARSE_DEPTH_CAP;
	p.no_hex = opts && opts->no_hex_escape;
	*ret = NULL;
	if (len == 0) {
		fail(&p, "filter input string is empty");
		return -1;
	}
	if ((n = parse_or(&p)) == NULL)
		return -1;
	if (p.pos.idx != p.len) {
		fail(&p, "unexpected token after '%.*s', expecting 'or', 'and'",
		    (int)(p.lastlen > LAST_MAX ? LAST_MAX : p.lastlen), p.last);
		rule_node_free(n);
		return -1;
	}
	*ret = n;
	return 0;
}
