/*
 * loader_exc.c - rule exceptions: reading, validation, merging, and the
 * condition text they compile to (falco.md §2.8).
 *
 * Owns struct rl_exc values.  Reading mirrors Falco's
 * read_rule_exceptions (fields/comps/values are scalars or arbitrarily
 * nested lists); validation is the collector's validate_exception_info
 * as of Falco 0.44 (comps trimmed, "<strop> <modifier>" accepted); the
 * text is built exactly like build_rule_exception_infos so that list
 * substitution and the parser see what Falco's see.
 */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "rules/loader_int.h"

/* libsinsp parser::supported_operators(). */
static const char *const ops_all[] = {
	"=", "==", "!=", "<", "<=", ">", ">=", "contains", "in", "exists",
	"icontains", "startswith", "glob", "pmatch", "endswith", "intersects",
	"bcontains", "bstartswith", "iglob", "regex", NULL
};
/* supported_operators(true): the ones taking a list. */
static const char *const ops_list[] = { "in", "intersects", "pmatch", NULL };
/* String operators that take a oneof/anyof/allof modifier (libs 0.25). */
static const char *const ops_modifiable[] = {
	"=", "==", "!=", "contains", "icontains", "bcontains", "startswith",
	"bstartswith", "endswith", "glob", "iglob", "regex", NULL
};
static const char *const modifiers[] = { "oneof", "anyof", "allof", NULL };

/* ---- entries ---------------------------------------------------------- */

static void
ex_entry_free(struct rl_exentry *e)
{
	size_t i;

	for (i = 0; i < e->n; i++)
		ex_entry_free(&e->items[i]);
	free(e->items);
	free(e->item);
	memset(e, 0, sizeof(*e));
}

static bool
ex_entry_valid(const struct rl_exentry *e)
{
	return e->is_list ? e->n > 0 : (e->item != NULL && e->item[0] != '\0');
}

static const char *
ex_str(const struct rl_exentry *e)
{
	return e->item != NULL ? e->item : "";
}

static void
ex_free(struct rl_exc *ex)
{
	size_t i;

	free(ex->name);
	ex_entry_free(&ex->fields);
	ex_entry_free(&ex->comps);
	for (i = 0; i < ex->n_values; i++)
		ex_entry_free(&ex->values[i]);
	free(ex->values);
	memset(ex, 0, sizeof(*ex));
}

void
rl_excs_free(struct rl_excs *e)
{
	size_t i;

	for (i = 0; i < e->n; i++)
		ex_free(&e->v[i]);
	free(e->v);
	e->v = NULL;
	e->n = 0;
}

/* decode_exception_info_entry on node v (already looked up). */
static int
ex_entry_read(const struct rd_ctx *x, const struct rl_ynode *v,
    struct rl_exentry *out)
{
	size_t i;

	memset(out, 0, sizeof(*out));
	if (rl_ynode_is_scalar(v)) {
		if (v->len == 0)
			return rd_err(x, RL_LOAD_ERR_YAML_VALIDATE, v,
			    "Value must be non-empty");
		if ((out->item = rl_strdup(v->str)) == NULL)
			return rd_err(x, RL_LOAD_ERR_VALIDATE, v, "out of memory");
		return 0;
	}
	if (v->kind != RL_YSEQ)
		return 0;
	out->is_list = true;
	if (v->n > 0 && (out->items = calloc(v->n, sizeof(*out->items))) == NULL)
		return rd_err(x, RL_LOAD_ERR_VALIDATE, v, "out of memory");
	for (i = 0; i < v->n; i++) {
		out->n++;
		if (ex_entry_read(x, v->items[i], &out->items[i]) < 0) {
			ex_entry_free(out);
			return -1;
		}
	}
	return 0;
}

static int
ex_entry_key(const struct rd_ctx *x, const struct rl_ynode *ex,
    const char *key, bool optional, struct rl_exentry *out)
{
	const struct rl_ynode *v = rl_ymap_get(ex, key);

	memset(out, 0, sizeof(*out));
	if (v == NULL && optional)
		return 0;
	if (v == NULL)
		return rd_err(x, RL_LOAD_ERR_YAML_VALIDATE, NULL,
		    "Item has no mapping for key '%s'", key);
	return ex_entry_read(x, v, out);
}

static int
ex_values_read(const struct rd_ctx *x, const struct rl_ynode *ex,
    bool append, struct rl_exc *out)
{
	const struct rl_ynode *vals = rl_ymap_get(ex, "values");
	size_t i;

	if (vals == NULL) {
		if (append)
			rd_warn(x, RL_LOAD_APPEND_NO_VALUES, NULL,
			    "Overriding/appending exception with no values");
		return 0;
	}
	if (vals->kind != RL_YSEQ)
		return rd_err(x, RL_LOAD_ERR_YAML_VALIDATE, vals,
		    "Rule exception values must be a sequence");
	if (vals->n > 0 &&
	    (out->values = calloc(vals->n, sizeof(*out->values))) == NULL)
		return rd_err(x, RL_LOAD_ERR_VALIDATE, vals, "out of memory");
	for (i = 0; i < vals->n; i++) {
		out->n_values++;
		if (ex_entry_read(x, vals->items[i], &out->values[i]) < 0)
			return -1;
	}
	return 0;
}

static int
ex_read_one(const struct rd_ctx *parent, const struct rl_ynode *node,
    bool append, struct rl_excs *out)
{
	struct rd_ctx x = *parent;
	struct rl_exc *ex = &out->v[out->n];
	size_t i;

	x.at = node;
	memset(ex, 0, sizeof(*ex));
	if (node->kind != RL_YMAP)
		return rd_err(&x, RL_LOAD_ERR_YAML_VALIDATE, node,
		    "Rule exception must be a mapping");
	if (rd_str(&x, node, "name", false, &ex->name) < 0)
		return -1;
	out->n++;
	ex->pos = rd_pos(&x, node);
	for (i = 0; i + 1 < out->n; i++)
		if (strcmp(out->v[i].name, ex->name) == 0)
			rd_warn(&x, RL_LOAD_EXCEPTION_NAME_NOT_UNIQUE, NULL,
			    "Multiple definitions of exception '%s' in the same "
			    "rule", ex->name);
	/* fields are optional when appending */
	if (ex_entry_key(&x, node, "fields", append, &ex->fields) < 0 ||
	    ex_entry_key(&x, node, "comps", true, &ex->comps) < 0)
		return -1;
	return ex_values_read(&x, node, append, ex);
}

int
rd_exceptions(const struct rd_ctx *x, const struct rl_ynode *item,
    bool append, struct rl_excs *out)
{
	const struct rl_ynode *exs = rl_ymap_get(item, "exceptions");
	size_t i;

	memset(out, 0, sizeof(*out));
	/* No exceptions property, or an empty one, is allowed. */
	if (exs == NULL || rl_ynode_is_null(exs))
		return 0;
	if (exs->kind != RL_YSEQ)
		return rd_err(x, RL_LOAD_ERR_YAML_VALIDATE, exs,
		    "Rule exceptions must be a sequence");
	if (exs->n > 0 && (out->v = calloc(exs->n, sizeof(*out->v))) == NULL)
		return rd_err(x, RL_LOAD_ERR_VALIDATE, exs, "out of memory");
	for (i = 0; i < exs->n; i++) {
		if (ex_read_one(x, exs->items[i], append, out) < 0) {
			rl_excs_free(out);
			return -1;
		}
	}
	return 0;
}

/* ---- validation --------------------------------------------------------- */

/* Trim blanks in place (comps only: Falco 0.44 accepts "  = "). */
static void
ex_trim(char *s)
{
	size_t len = strlen(s), start = 0;

	while (len > 0 && isspace((unsigned char)s[len - 1]))
		s[--len] = '\0';
	while (isspace((unsigned char)s[start]))
		start++;
	memmove(s, s + start, len - start + 1);
}

/* "<strop> <modifier>", e.g. "startswith oneof" (already trimmed). */
static bool
ex_modifier_comp(const char *s)
{
	char op[16], mod[16];
	size_t n = strcspn(s, " \t\r\n\f\v"), m;
	const char *rest;

	if (n == 0 || n >= sizeof(op) || s[n] == '\0')
		return false;
	memcpy(op, s, n);
	op[n] = '\0';
	rest = s + n + strspn(s + n, " \t\r\n\f\v");
	m = strlen(rest);
	if (m == 0 || m >= sizeof(mod))
		return false;
	memcpy(mod, rest, m + 1);
	return rd_in(ops_modifiable, (size_t)-1, op) &&
	    rd_in(modifiers, (size_t)-1, mod);
}

static bool
ex_comp_valid(const char *s)
{
	return rd_in(ops_all, (size_t)-1, s) || ex_modifier_comp(s);
}

/* Takes a list value: list operators and modified string operators. */
static bool
ex_comp_takes_list(const char *s)
{
	return rd_in(ops_list, (size_t)-1, s) || ex_modifier_comp(s);
}

static int
ex_field_check(const struct rd_ctx *x, bool known_source,
    const struct rl_exc *ex, const char *field)
{
	const struct rl_options *o = &x->c->opt;

	if (!known_source || o->field_defined == NULL ||
	    o->field_defined(o->field_arg, field))
		return 0;
	return rd_err(x, RL_LOAD_ERR_VALIDATE, NULL,
	    "'%s' is not a supported filter field", field);
}

static int
ex_set_default(struct rl_exentry *e, bool list, size_t n)
{
	size_t i;

	ex_entry_free(e);
	e->is_list = list;
	if (!list)
		return (e->item = rl_strdup("in")) != NULL ? 0 : -1;
	if ((e->items = calloc(n, sizeof(*e->items))) == NULL)
		return -1;
	for (i = 0; i < n; i++, e->n++)
		if ((e->items[i].item = rl_strdup("=")) == NULL)
			return -1;
	return 0;
}

static int
ex_validate_list(const struct rd_ctx *x, bool known_source, struct rl_exc *ex)
{
	size_t i;

	if (!ex_entry_valid(&ex->comps) &&
	    ex_set_default(&ex->comps, true, ex->fields.n) < 0)
		return rd_err(x, RL_LOAD_ERR_VALIDATE, NULL, "out of memory");
	if (ex->fields.n != ex->comps.n)
		return rd_err(x, RL_LOAD_ERR_VALIDATE, NULL,
		    "Fields and comps lists must have equal length");
	for (i = 0; i < ex->comps.n; i++) {
		struct rl_exentry *c = &ex->comps.items[i];

		if (c->item != NULL)
			ex_trim(c->item);
		if (!ex_comp_valid(ex_str(c)))
			return rd_err(x, RL_LOAD_ERR_VALIDATE, NULL,
			    "'%s' is not a supported comparison operator",
			    ex_str(c));
	}
	for (i = 0; i < ex->fields.n; i++)
		if (ex_field_check(x, known_source, ex,
		    ex_str(&ex->fields.items[i])) < 0)
			return -1;
	return 0;
}

static int
ex_validate_scalar(const struct rd_ctx *x, bool known_source, struct rl_exc *ex)
{
	const char *c;

	if (!ex_entry_valid(&ex->comps) &&
	    ex_set_default(&ex->comps, false, 0) < 0)
		return rd_err(x, RL_LOAD_ERR_VALIDATE, NULL, "out of memory");
	if (ex->comps.is_list)
		return rd_err(x, RL_LOAD_ERR_VALIDATE, NULL,
		    "Fields and comps must both be strings");
	ex_trim(ex->comps.item);
	c = ex->comps.item;
	if (strcmp(c, "in") != 0 && strcmp(c, "pmatch") != 0 &&
	    strcmp(c, "intersects") != 0 && !ex_modifier_comp(c))
		return rd_err(x, RL_LOAD_ERR_VALIDATE, NULL, "When fields is a "
		    "single value, comps must be one of (in, pmatch, intersects) "
		    "or a modifier operator (e.g. startswith oneof)");
	return ex_field_check(x, known_source, ex, ex_str(&ex->fields));
}

/* validate_exception_info; defaults the comps as Falco does. */
int
cl_exc_validate(const struct rd_ctx *parent, bool known_source,
    struct rl_exc *ex)
{
	struct rd_ctx x = *parent;
	struct rl_ynode at = { .line = ex->pos.line, .col = ex->pos.col,
	    .offset = ex->pos.offset };

	/* Errors point at the exception; the item stays the rule. */
	x.at = &at;
	return ex->fields.is_list ? ex_validate_list(&x, known_source, ex) :
	    ex_validate_scalar(&x, known_source, ex);
}

/* Full definitions (define, override replace): every exception complete. */
int
cl_exc_define(const struct rd_ctx *x, bool known_source, struct rl_excs *e)
{
	size_t i;

	for (i = 0; i < e->n; i++) {
		if (!ex_entry_valid(&e->v[i].fields)) {
			struct rl_ynode at = { .line = e->v[i].pos.line,
			    .col = e->v[i].pos.col, .offset = e->v[i].pos.offset };

			return rd_err(x, RL_LOAD_ERR_VALIDATE, &at, "Rule exception "
			    "item must have fields property with a list of fields");
		}
		if (cl_exc_validate(x, known_source, &e->v[i]) < 0)
			return -1;
	}
	return 0;
}

static int
ex_append_values(const struct rd_ctx *x, struct rl_exc *prev,
    struct rl_exc *add)
{
	struct rl_exentry *nv;

	if (add->n_values == 0)
		return 0;
	nv = realloc(prev->values,
	    (prev->n_values + add->n_values) * sizeof(*nv));
	if (nv == NULL)
		return rd_err(x, RL_LOAD_ERR_VALIDATE, NULL, "out of memory");
	memcpy(nv + prev->n_values, add->values, add->n_values * sizeof(*nv));
	prev->values = nv;
	prev->n_values += add->n_values;
	free(add->values);
	add->values = NULL;
	add->n_values = 0;
	return 0;
}

/* Merge appended exceptions into prev; consumes add on success. */
int
cl_exc_append(const struct rd_ctx *x, bool known_source, struct rl_excs *prev,
    struct rl_excs *add)
{
	size_t i, j;

	for (i = 0; i < add->n; i++) {
		struct rl_exc *ex = &add->v[i], *nv;
		struct rl_ynode at = { .line = ex->pos.line, .col = ex->pos.col,
		    .offset = ex->pos.offset };

		for (j = 0; j < prev->n; j++)
			if (strcmp(prev->v[j].name, ex->name) == 0)
				break;
		if (j < prev->n) {
			if (ex_entry_valid(&ex->fields))
				return rd_err(x, RL_LOAD_ERR_VALIDATE, &at, "Can not "
				    "append exception fields to existing exception, "
				    "only values");
			if (ex_entry_valid(&ex->comps))
				return rd_err(x, RL_LOAD_ERR_VALIDATE, &at, "Can not "
				    "append exception comps to existing exception, "
				    "only values");
			if (ex_append_values(x, &prev->v[j], ex) < 0)
				return -1;
			continue;
		}
		if (!ex_entry_valid(&ex->fields))
			return rd_err(x, RL_LOAD_ERR_VALIDATE, &at, "Rule exception "
			    "must have fields property with a list of fields");
		if (ex->n_values == 0)
			return rd_err(x, RL_LOAD_ERR_VALIDATE, &at, "Rule exception "
			    "must have values property with a list of values");
		if (cl_exc_validate(x, known_source, ex) < 0)
			return -1;
		nv = realloc(prev->v, (prev->n + 1) * sizeof(*nv));
		if (nv == NULL)
			return rd_err(x, RL_LOAD_ERR_VALIDATE, NULL, "out of memory");
		prev->v = nv;
		prev->v[prev->n++] = *ex;
		memset(ex, 0, sizeof(*ex));
	}
	return 0;
}

/* ---- condition text ------------------------------------------------------ */

/* quote_item: wrap in " when it has a space and no leading quote. */
static int
ex_cat_quoted(char **dst, const char *s)
{
	if (strchr(s, ' ') != NULL && s[0] != '"' && s[0] != '\'') {
		if (rl_strappend(dst, "\"", s) < 0)
			return -1;
		return rl_strappend(dst, "", "\"");
	}
	return rl_strappend(dst, "", s);
}

/* paren_item: wrap in () unless it already starts with '('. */
static int
ex_cat_paren(char **dst, const char *s)
{
	if (s[0] == '(')
		return rl_strappend(dst, "", s);
	if (rl_strappend(dst, "(", s) < 0)
		return -1;
	return rl_strappend(dst, "", ")");
}

static int
ex_cat_value(char **dst, const struct rl_exentry *v, const char *comp)
{
	size_t i;

	if (!v->is_list)
		return ex_comp_takes_list(comp) ? ex_cat_paren(dst, ex_str(v)) :
		    ex_cat_quoted(dst, ex_str(v));
	if (rl_strappend(dst, "", "(") < 0)
		return -1;
	for (i = 0; i < v->n; i++)
		if ((i > 0 && rl_strappend(dst, "", ", ") < 0) ||
		    ex_cat_quoted(dst, ex_str(&v->items[i])) < 0)
			return -1;
	return rl_strappend(dst, "", ")");
}

static int
ex_build_scalar(const struct rd_ctx *x, const struct rl_exc *ex, char **ic)
{
	struct rl_ynode at = { .line = ex->pos.line, .col = ex->pos.col,
	    .offset = ex->pos.offset };
	size_t i;

	for (i = 0; i < ex->n_values; i++) {
		if (ex->values[i].is_list)
			return rd_err(x, RL_LOAD_ERR_VALIDATE, &at, "Expected values "
			    "array to contain a list of strings");
		if (*ic == NULL) {
			if (rl_strappend(ic, "(", ex_str(&ex->fields)) < 0 ||
			    rl_strappend(ic, " ", ex_str(&ex->comps)) < 0 ||
			    rl_strappend(ic, "", " (") < 0)
				return -1;
		} else if (rl_strappend(ic, "", ", ") < 0) {
			return -1;
		}
		if (ex_cat_quoted(ic, ex_str(&ex->values[i])) < 0)
			return -1;
	}
	return *ic != NULL ? rl_strappend(ic, "", "))") : 0;
}

static int
ex_build_row(char **ic, const struct rl_exc *ex, const struct rl_exentry *row)
{
	size_t k;

	if (rl_strappend(ic, "", "(") < 0)
		return -1;
	for (k = 0; k < ex->fields.n; k++) {
		const char *comp = ex_str(&ex->comps.items[k]);

		/* " and " then " field": Falco's text has two blanks. */
		if ((k > 0 && rl_strappend(ic, "", " and ") < 0) ||
		    rl_strappend(ic, " ", ex_str(&ex->fields.items[k])) < 0 ||
		    rl_strappend(ic, " ", comp) < 0 ||
		    rl_strappend(ic, "", " ") < 0 ||
		    ex_cat_value(ic, &row->items[k], comp) < 0)
			return -1;
	}
	return rl_strappend(ic, "", ")");
}

static int
ex_build_list(const struct rd_ctx *x, const struct rl_exc *ex, char **ic)
{
	struct rl_ynode at = { .line = ex->pos.line, .col = ex->pos.col,
	    .offset = ex->pos.offset };
	size_t i;

	if (ex->n_values == 0)
		return 0;
	if (rl_strappend(ic, "", "(") < 0)
		return -1;
	for (i = 0; i < ex->n_values; i++) {
		const struct rl_exentry *row = &ex->values[i];

		if (ex->fields.n != (row->is_list ? row->n : 0))
			return rd_err(x, RL_LOAD_ERR_VALIDATE, &at, "Fields and "
			    "values lists must have equal length");
		if ((i > 0 && rl_strappend(ic, "", " or ") < 0) ||
		    ex_build_row(ic, ex, row) < 0)
			return -1;
	}
	return rl_strappend(ic, "", ")");
}

/* build_rule_exception_infos: "(" cond ")" then " and not X" each. */
int
rl_exc_build(const struct rd_ctx *x, const struct rl_excs *e, char **cond)
{
	char *out = NULL;
	size_t i;

	if (rl_strappend(&out, "(", *cond) < 0 || rl_strappend(&out, "", ")") < 0)
		goto oom;
	for (i = 0; i < e->n; i++) {
		const struct rl_exc *ex = &e->v[i];
		char *ic = NULL;
		int rc = ex->fields.is_list ? ex_build_list(x, ex, &ic) :
		    ex_build_scalar(x, ex, &ic);

		if (rc == 0 && ic != NULL)
			rc = rl_strappend(&out, " and not ", ic);
		free(ic);
		if (rc < 0) {
			free(out);
			/* an error is already recorded unless this was ENOMEM */
			return x->c->failed ? -1 :
			    rd_err(x, RL_LOAD_ERR_VALIDATE, NULL, "out of memory");
		}
	}
	free(*cond);
	*cond = out;
	return 0;
oom:
	free(out);
	return rd_err(x, RL_LOAD_ERR_VALIDATE, NULL, "out of memory");
}
