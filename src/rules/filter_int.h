/*
 * filter_int.h - the compiled filter's data, shared by compile.c and
 * eval.c (private to src/rules; tests may include it).
 */
#ifndef FC_RULES_FILTER_INT_H
#define FC_RULES_FILTER_INT_H

#include <regex.h>

#include "rules/filter.h"

enum fopd_kind {
	FOPD_FIELD,
	FOPD_XFORM,
	FOPD_LITERAL,		/* transformer argument */
	FOPD_LIST,		/* join()'s list argument */
};

/* An operand: a field, a transformer over operands, or a literal. */
struct fopd {
	enum fopd_kind	 kind;
	enum fld_type	 type;		/* type of the result */
	struct fld_ref	 ref;		/* FIELD */
	uint32_t	 slot;		/* FIELD: memo slot + 1 (flt_share_fields), 0 none */
	bool		 ancestor;	/* FIELD: no-arg ancestor field in a condition */
	enum rule_xform	 xf;		/* XFORM */
	struct fopd	*args;		/* XFORM arguments, LIST items */
	size_t		 nargs;
	char		*lit;		/* LITERAL (owned) */
	size_t		 litlen;
};

enum fchk_rhs {
	FCHK_NONE,		/* exists */
	FCHK_VALUES,		/* vals[0..nvals) */
	FCHK_OPERAND,		/* val(field) or a transformer */
};

struct fchk {
	struct fopd	 lhs;
	enum rule_op	 op;
	enum rule_mod	 mod;
	enum fchk_rhs	 rhs;
	struct fld_value *vals;		/* parsed; strings point into strbuf */
	size_t		 nvals;
	char		*strbuf;	/* owned copies of the string values */
	regex_t		*res;		/* REGEX: one per value */
	/*
	 * IN / INTERSECTS on strings with many values: the values sorted
	 * (by length, then bytes) for a binary search instead of a scan.
	 */
	struct fld_value *sorted;
	enum fld_class	 cls;		/* of the left operand, for eval */
	struct fopd	 rhs_opd;
};

enum fnode_kind {
	FN_AND,
	FN_OR,
	FN_NOT,
	FN_CHECK,
};

struct fnode {
	enum fnode_kind	 kind;
	size_t		 n;
	struct fnode	**kids;
	struct fchk	*chk;
};

struct flt {
	struct fnode	*root;
};

/* Evaluate one operand; false when it has no value. */
bool	fopd_eval(const struct fopd *o, struct fld_ctx *ctx,
	    struct fld_value *out);

void	fnode_free(struct fnode *n);

/*
 * Compile a field or transformer expression written on its own (an output
 * %token), e.g. "proc.aname[2]" or "toupper(proc.name)".  Returns 0 with
 * a new operand in *ret (free with fopd_free), -1 with diag set, or 1
 * when it names a field falconet cannot supply (diag says which; *ret is
 * set all the same: it renders as a missing value).  warn (may be NULL)
 * gets the deprecated-field warnings.
 */
int	fopd_compile_text(const char *text, size_t len, flt_warn_fn warn,
	    void *warn_arg, struct fopd **ret, struct flt_diag *diag);
void	fopd_free(struct fopd *o);

#endif
