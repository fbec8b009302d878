/*
 * ast.h - the Falco condition language: AST types, the parser entry point,
 * AST printing (Falco's as_string form), clone/free, macro resolution and
 * a walker that lists the fields and macro references a condition uses.
 *
 * The grammar is libsinsp's (filter/parser.cpp); see docs falco.md §1.
 * Owned here: everything a condition string turns into before the
 * compiler resolves fields and types.  Nothing in this module knows the
 * field table: `proc.name = proc.pname` is a check against the literal
 * string "proc.pname", exactly as in Falco.
 *
 * Memory: every node owns its children, operands and values; free a tree
 * with rule_node_free().  All strings are heap copies.
 */
#ifndef FC_RULES_AST_H
#define FC_RULES_AST_H

#include <stdbool.h>
#include <stddef.h>

struct fc_buf;

/* Where something starts in the condition text: byte offset (0-based),
 * line and column (1-based).  '\r' and '\n' both start a new line, as in
 * libsinsp. */
struct rule_pos {
	size_t		idx;
	unsigned	line;
	unsigned	col;
};

enum rule_node_kind {
	RULE_NODE_AND,		/* n-ary, nchildren >= 2 */
	RULE_NODE_OR,		/* n-ary, nchildren >= 2 */
	RULE_NODE_NOT,		/* nchildren == 1 */
	RULE_NODE_CHECK,	/* uses .check */
	RULE_NODE_IDENT,	/* macro reference, uses .ident */
};

/* Comparison operators (libsinsp cmpop).  `=` and `==` are both
 * RULE_OP_EQ; rule_check.op_eqeq remembers the spelling for printing. */
enum rule_op {
	RULE_OP_EQ,
	RULE_OP_NE,
	RULE_OP_LT,
	RULE_OP_LE,
	RULE_OP_GT,
	RULE_OP_GE,
	RULE_OP_CONTAINS,
	RULE_OP_ICONTAINS,
	RULE_OP_BCONTAINS,
	RULE_OP_STARTSWITH,
	RULE_OP_BSTARTSWITH,
	RULE_OP_ENDSWITH,
	RULE_OP_GLOB,
	RULE_OP_IGLOB,
	RULE_OP_REGEX,
	RULE_OP_IN,
	RULE_OP_INTERSECTS,
	RULE_OP_PMATCH,
	RULE_OP_EXISTS,
};

/* `<strop> oneof|anyof|allof (list)` or `... <modifier> identifier`. */
enum rule_mod {
	RULE_MOD_NONE,
	RULE_MOD_ONEOF,
	RULE_MOD_ANYOF,
	RULE_MOD_ALLOF,
};

/* Field transformers (val() is not one: it is RULE_RHS_FIELD). */
enum rule_xform {
	RULE_XF_TOLOWER,
	RULE_XF_TOUPPER,
	RULE_XF_B64,
	RULE_XF_BASENAME,
	RULE_XF_LEN,
	RULE_XF_JOIN,
	RULE_XF_CONCAT,
	RULE_XF_GETOPT,
};

/* A literal: the unescaped bytes (may contain NUL when \x00 was used;
 * s[len] is always a terminating NUL for convenience). */
struct rule_value {
	char		*s;
	size_t		 len;
	bool		 quoted;	/* written as '...' or "..." */
	struct rule_pos	 pos;		/* of the first char (the quote) */
};

enum rule_operand_kind {
	RULE_OPD_FIELD,		/* name [arg] */
	RULE_OPD_XFORM,		/* name(args...) [arg] */
	RULE_OPD_VALUE,		/* quoted string or number (transformer args) */
	RULE_OPD_LIST,		/* (a, b, ...) transformer list argument */
};

/* One side of a check, or a transformer argument. */
struct rule_operand {
	enum rule_operand_kind	 kind;
	struct rule_pos		 pos;
	char			*name;		/* FIELD, XFORM */
	enum rule_xform		 xform;		/* XFORM */
	bool			 has_arg;	/* FIELD, XFORM: [arg] given */
	struct rule_value	 arg;		/* valid if has_arg ("" allowed) */
	struct rule_operand	*args;		/* XFORM arguments, LIST items */
	size_t			 nargs;
	struct rule_value	 value;		/* VALUE */
};

enum rule_rhs_kind {
	RULE_RHS_NONE,		/* unary check (exists) */
	RULE_RHS_VALUE,		/* values[0] */
	RULE_RHS_LIST,		/* values[0..nvalues-1], may be empty */
	RULE_RHS_IDENT,		/* values[0] holds the identifier (list name) */
	RULE_RHS_FIELD,		/* val(field): operand is a FIELD */
	RULE_RHS_XFORM,		/* operand is an XFORM */
};

struct rule_rhs {
	enum rule_rhs_kind	 kind;
	struct rule_pos		 pos;
	struct rule_value	*values;
	size_t			 nvalues;
	struct rule_operand	*operand;
};

struct rule_check {
	struct rule_operand	 left;		/* FIELD or XFORM */
	enum rule_op		 op;
	bool			 op_eqeq;	/* EQ written as "==" */
	enum rule_mod		 mod;
	struct rule_rhs		 rhs;
};

struct rule_node {
	enum rule_node_kind	 kind;
	struct rule_pos		 pos;
	struct rule_node	**children;	/* AND, OR, NOT */
	size_t			 nchildren;
	char			*ident;		/* IDENT */
	struct rule_check	 check;		/* CHECK */
};

/* ---- parsing -------------------------------------------------------- */

#define RULE_PARSE_DEFAULT_DEPTH	100	/* libsinsp default */
#define RULE_PARSE_FALCO_DEPTH		1000	/* what Falco uses for conditions */
#define RULE_PARSE_DEPTH_CAP		5000	/* larger requests are clamped */

struct rule_parse_opts {
	unsigned	max_depth;	/* 0: RULE_PARSE_DEFAULT_DEPTH */
	bool		no_hex_escape;	/* libs 0.25.2: "\x" is unsupported */
};

struct rule_parse_error {
	char		msg[512];
	struct rule_pos	pos;
};

/*
 * Parse a condition into *ret.  opts may be NULL.  Returns 0, or -1 with
 * err filled (message as libsinsp words it, position where it was found)
 * and *ret == NULL.
 */
int	rule_parse(const char *text, size_t len,
	    const struct rule_parse_opts *opts, struct rule_node **ret,
	    struct rule_parse_error *err);

/* ---- tree utilities ------------------------------------------------- */

void	rule_node_free(struct rule_node *n);		/* NULL-safe */
struct rule_node *rule_node_clone(const struct rule_node *n);	/* NULL: ENOMEM */

/* Falco's AST printout (libsinsp ast::as_string), e.g.
 * `(evt.type = open and proc.name in (ash, bash))`.  Appends to out;
 * returns 0, or -1 if out overflowed. */
int	rule_node_print(const struct rule_node *n, struct fc_buf *out);

const char *rule_op_name(enum rule_op op);		/* "=", "contains", ... */
const char *rule_mod_name(enum rule_mod mod);		/* "", "oneof", ... */
const char *rule_xform_name(enum rule_xform xf);	/* "tolower", ... */

/* ---- macros --------------------------------------------------------- */

#define RULE_MACRO_MAX_NESTING	64	/* macro -> macro -> ... chain */
#define RULE_MACRO_MAX_NODES	100000	/* nodes added by one resolution */

typedef const struct rule_node *(*rule_macro_lookup_fn)(const char *name,
	    void *arg);

/*
 * Replace every IDENT in *root by a deep clone of the macro body that
 * lookup() returns, resolving macros inside those bodies too.  Identifiers
 * inside checks (list names, transformer arguments) are never macros.
 * Returns 0, or -1 with err set: `Undefined macro 'NAME' used in filter.`,
 * `reference loop in macro 'NAME'`, or a size/nesting limit.  On error
 * *root is still a valid tree (possibly partly resolved).
 */
int	rule_resolve_macros(struct rule_node **root,
	    rule_macro_lookup_fn lookup, void *arg,
	    struct rule_parse_error *err);

/* ---- walking -------------------------------------------------------- */

/* Callbacks may be NULL.  A non-zero return stops the walk and is
 * returned by rule_node_walk(). */
struct rule_visitor {
	int	(*ident)(const struct rule_node *n, void *arg);	/* macro refs */
	int	(*field)(const struct rule_operand *f, void *arg);	/* all fields */
	int	(*check)(const struct rule_node *n, void *arg);
	void	*arg;
};

int	rule_node_walk(const struct rule_node *n, const struct rule_visitor *v);

#endif
