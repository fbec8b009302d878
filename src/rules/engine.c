/*
 * engine.c - load and compile rules files into an indexed rule set.
 *
 * Owns the collector (and through it every diagnostic), the compiled
 * filters and outputs, and the per-type index.  The pipeline is Falco's
 * (falco.md §0): collect, parse macros, resolve macros with visibility,
 * parse, resolve and compile each rule, compile its output, infer its
 * event types, index it.  The first error stops the load; warnings are
 * all kept, in the collector's diagnostic list.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules/engine_int.h"

#define COND_MAX_DEPTH	RULE_PARSE_FALCO_DEPTH
#define NO_EVTTYPE_MAX	100	/* Falco warns past this many types */

static const char suggested_output[] =
    " container_id=%container.id container_name=%container.name"
    " container_image_repository=%container.image.repository"
    " container_image_tag=%container.image.tag"
    " k8s_pod_name=%k8s.pod.name k8s_ns_name=%k8s.ns.name";

void
rule_engine_opts_defaults(struct rule_engine_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->min_priority = FC_PRI_DEBUG;
	o->suggested_output = true;
}

/*
 * A rule's resolved condition holds copies of macro bodies, whose
 * positions are in the macro's text, not the rule's.  So every node parsed
 * from macro i is tagged: its idx (byte offset) becomes POS_TAG(i), far
 * beyond any condition's length, and text_pos() maps its line and column
 * from the macro's condition instead (the offset is then the macro
 * condition's).
 */
#define POS_TAG(i)	(SIZE_MAX - (size_t)(i))

static void
tag_operand(struct rule_operand *o, size_t tag)
{
	size_t i;

	o->pos.idx = tag;
	o->arg.pos.idx = tag;
	o->value.pos.idx = tag;
	for (i = 0; i < o->nargs; i++)
		tag_operand(&o->args[i], tag);
}

static void
tag_node(struct rule_node *n, size_t tag)
{
	size_t i;

	n->pos.idx = tag;
	for (i = 0; i < n->nchildren; i++)
		tag_node(n->children[i], tag);
	if (n->kind != RULE_NODE_CHECK)
		return;
	tag_operand(&n->check.left, tag);
	n->check.rhs.pos.idx = tag;
	for (i = 0; i < n->check.rhs.nvalues; i++)
		n->check.rhs.values[i].pos.idx = tag;
	if (n->check.rhs.operand != NULL)
		tag_operand(n->check.rhs.operand, tag);
}

/* Map a position inside a condition (base: where it starts in its file)
 * to its place in the rules file. */
static struct rl_pos
text_pos(const struct rule_engine *e, struct rl_pos base, struct rule_pos p)
{
	struct rl_pos r;

	if (e->nmacros > 0 && p.idx >= POS_TAG(e->nmacros - 1)) {
		base = rl_result(e->coll)->macros[SIZE_MAX - p.idx].cond_pos;
		p.idx = 0;
	}
	r = base;
	if (p.line > 1) {
		r.line = base.line + p.line - 1;
		r.col = p.col;
	} else if (p.col > 0) {
		r.col = base.col + p.col - 1;
	}
	r.offset = base.offset + p.idx;
	return r;
}

static void
diag(struct rule_engine *e, enum rl_code code, enum rl_item_kind kind,
    const char *name, struct rl_pos item_pos, struct rl_pos pos,
    const char *msg)
{
	struct rl_diag d = {
		.code = code, .msg = (char *)msg, .pos = pos, .item_kind = kind,
		.item_name = (char *)name, .item_pos = item_pos,
	};

	(void)rl_add_diag(e->coll, &d);
	if (rl_code_is_error(code))
		e->ok = false;
}

/* ---- Macros ---------------------------------------------------------- */

struct macro_lookup {
	struct rule_engine	*e;
	uint32_t		 visibility;	/* UINT32_MAX: rules see all */
};

static const struct rule_node *
lookup_macro(const char *name, void *arg)
{
	struct macro_lookup *l = arg;
	const struct rl_result *res = rl_result(l->e->coll);
	size_t i;

	for (i = 0; i < res->n_macros; i++) {
		const struct rl_macro *m = &res->macros[i];
		if (strcmp(m->name, name) != 0 || m->index >= l->visibility)
			continue;
		if (l->e->macro_resolved[i] != NULL)
			return l->e->macro_resolved[i];
		return l->e->macro_raw[i];
	}
	return NULL;
}

static int
mark_ident(const struct rule_node *n, void *arg)
{
	(void)rl_mark_macro_used_by_name(arg, n->ident);
	return 0;
}

static void
mark_used(struct rule_engine *e, const struct rule_node *ast)
{
	struct rule_visitor v = { .ident = mark_ident, .arg = e->coll };

	(void)rule_node_walk(ast, &v);
}

static int
parse_cond(struct rule_engine *e, const char *text, struct rl_pos cond_pos,
    enum rl_item_kind kind, const char *name, struct rl_pos item_pos,
    struct rule_node **ast)
{
	struct rule_parse_opts po = { .max_depth = COND_MAX_DEPTH };
	struct rule_parse_error perr;

	if (rule_parse(text, strlen(text), &po, ast, &perr) == 0)
		return 0;
	diag(e, RL_LOAD_ERR_COMPILE_CONDITION, kind, name, item_pos,
	    text_pos(e, cond_pos, perr.pos), perr.msg);
	return -1;
}

static int
compile_macros(struct rule_engine *e)
{
	const struct rl_result *res = rl_result(e->coll);
	struct rule_parse_error perr;
	struct macro_lookup l = { e, 0 };
	size_t i;

	e->nmacros = res->n_macros;
	e->macro_raw = calloc(e->nmacros + 1, sizeof(*e->macro_raw));
	e->macro_resolved = calloc(e->nmacros + 1, sizeof(*e->macro_resolved));
	if (e->macro_raw == NULL || e->macro_resolved == NULL)
		return -1;
	for (i = 0; i < e->nmacros; i++) {
		const struct rl_macro *m = &res->macros[i];
		if (parse_cond(e, m->cond, m->cond_pos, RL_ITEM_MACRO, m->name,
		    m->pos, &e->macro_raw[i]) != 0)
			return -1;
		tag_node(e->macro_raw[i], POS_TAG(i));
		mark_used(e, e->macro_raw[i]);
	}
	for (i = 0; i < e->nmacros; i++) {
		const struct rl_macro *m = &res->macros[i];
		struct rule_node *ast = rule_node_clone(e->macro_raw[i]);
		if (ast == NULL)
			return -1;
		l.visibility = m->visibility;
		if (rule_resolve_macros(&ast, lookup_macro, &l, &perr) != 0) {
			rule_node_free(ast);
			diag(e, RL_LOAD_ERR_VALIDATE, RL_ITEM_MACRO, m->name,
			    m->pos, text_pos(e, m->cond_pos, perr.pos), perr.msg);
			return -1;
		}
		e->macro_resolved[i] = ast;
	}
	return 0;
}

static void
free_macros(struct rule_engine *e)
{
	size_t i;

	for (i = 0; i < e->nmacros; i++) {
		rule_node_free(e->macro_raw[i]);
		rule_node_free(e->macro_resolved[i]);
	}
	free(e->macro_raw);
	free(e->macro_resolved);
	e->macro_raw = e->macro_resolved = NULL;
	e->nmacros = 0;
}

/* ---- Rules ----------------------------------------------------------- */

struct warn_ctx {
	struct rule_engine	*e;
	const struct rl_rule	*r;
};

static void
rule_warn(void *arg, enum flt_warn_kind kind, const char *msg,
    struct rule_pos pos)
{
	struct warn_ctx *w = arg;

	diag(w->e, kind == FLT_WARN_DEPRECATED ? RL_LOAD_DEPRECATED_ITEM :
	    RL_LOAD_COMPILE_CONDITION, RL_ITEM_RULE, w->r->name, w->r->pos,
	    text_pos(w->e, w->r->cond_pos, pos), msg);
}

static void
rule_diag(struct rule_engine *e, const struct rl_rule *r, enum rl_code code,
    struct rl_pos pos, const char *msg)
{
	diag(e, code, RL_ITEM_RULE, r->name, r->pos, pos, msg);
}

/* Compile the filter; 0 ok, 1 rule dropped or disabled (warned), -1 error. */
static int
rule_filter(struct rule_engine *e, struct erule *er, struct rule_node *ast)
{
	const struct rl_rule *r = er->info.src;
	struct warn_ctx w = { e, r };
	struct flt_diag fd;
	enum flt_result fr;

	fr = flt_compile(ast, rule_warn, &w, &er->filter, &fd);
	if (fr == FLT_OK) {
		/* Out of memory here only leaves some fields unmemoised. */
		(void)flt_share_fields(er->filter, &e->fields);
		return 0;
	}
	if (fr == FLT_UNSUPPORTED && !e->opts.strict) {
		rule_diag(e, r, RL_LOAD_UNKNOWN_FILTER,
		    text_pos(e, r->cond_pos, fd.pos), fd.msg);
		er->info.disabled_reason = "uses a field falconet cannot supply";
		return 1;
	}
	if (fd.skippable && r->skip_if_unknown_filter) {
		rule_diag(e, r, RL_LOAD_UNKNOWN_FILTER,
		    text_pos(e, r->cond_pos, fd.pos), fd.msg);
		er->info.disabled_reason = "skip-if-unknown-filter";
		return 1;
	}
	rule_diag(e, r, RL_LOAD_ERR_COMPILE_CONDITION,
	    text_pos(e, r->cond_pos, fd.pos), fd.msg);
	return -1;
}

/* Output warnings (deprecated fields) are about the output as a whole. */
static void
output_warn(void *arg, enum flt_warn_kind kind, const char *msg,
    struct rule_pos pos)
{
	struct warn_ctx *w = arg;

	(void)pos;
	diag(w->e, kind == FLT_WARN_DEPRECATED ? RL_LOAD_DEPRECATED_ITEM :
	    RL_LOAD_COMPILE_CONDITION, RL_ITEM_RULE, w->r->name, w->r->pos,
	    w->r->output_pos, msg);
}

static int
rule_output(struct rule_engine *e, struct erule *er)
{
	const struct rl_rule *r = er->info.src;
	size_t len = strlen(r->output), slen = sizeof(suggested_output) - 1;
	struct warn_ctx w = { e, r };
	enum flt_result rc;
	struct flt_diag fd;
	char *fmt;

	if ((fmt = malloc(len + slen + 1)) == NULL)
		return -1;
	memcpy(fmt, r->output, len + 1);
	if (e->opts.suggested_output && strcmp(r->source, "syscall") == 0)
		memcpy(fmt + len, suggested_output, slen + 1);
	rc = rule_output_compile(fmt, strlen(fmt), output_warn, &w,
	    &er->output, &fd);
	free(fmt);
	if (rc == FLT_OK)
		return 0;
	if (rc == FLT_UNSUPPORTED && !e->opts.strict) {
		/* Same as in a condition: the rule loads disabled. */
		rule_diag(e, r, RL_LOAD_UNKNOWN_FILTER, r->output_pos, fd.msg);
		er->info.disabled_reason = "uses a field falconet cannot supply";
		return 1;
	}
	if (fd.skippable && r->skip_if_unknown_filter) {
		rule_diag(e, r, RL_LOAD_UNKNOWN_FILTER, r->output_pos, fd.msg);
		er->info.disabled_reason = "skip-if-unknown-filter";
		return 1;
	}
	rule_diag(e, r, RL_LOAD_ERR_COMPILE_OUTPUT, r->output_pos, fd.msg);
	return -1;
}

static void
rule_types(struct rule_engine *e, struct erule *er, const struct rule_node *ast)
{
	const struct rl_rule *r = er->info.src;

	flt_evttypes(ast, &er->info.types);
	if (r->warn_evttypes && evt_set_count(&er->info.types) > NO_EVTTYPE_MAX)
		rule_diag(e, r, RL_LOAD_NO_EVTTYPE, r->cond_pos,
		    "Rule matches too many evt.type values. This has a "
		    "significant performance penalty.");
}

static int
compile_rule(struct rule_engine *e, const struct rl_rule *r, struct erule *er)
{
	struct macro_lookup l = { e, UINT32_MAX };
	struct rule_parse_error perr;
	struct rule_node *ast = NULL;
	int rc;

	er->info.src = r;
	er->info.enabled = false;
	if (parse_cond(e, r->cond, r->cond_pos, RL_ITEM_RULE, r->name, r->pos,
	    &ast) != 0)
		return -1;
	mark_used(e, ast);
	if (rule_resolve_macros(&ast, lookup_macro, &l, &perr) != 0) {
		rule_diag(e, r, RL_LOAD_ERR_VALIDATE,
		    text_pos(e, r->cond_pos, perr.pos), perr.msg);
		rule_node_free(ast);
		return -1;
	}
	if ((rc = rule_filter(e, er, ast)) == 0)
		rc = rule_output(e, er);
	if (rc >= 0)
		rule_types(e, er, ast);
	rule_node_free(ast);
	if (rc < 0)
		return -1;
	if (rc == 0 && !r->enabled)
		er->info.disabled_reason = "enabled: false";
	er->info.enabled = rc == 0 && r->enabled;
	return 0;
}

static int
compile_rules(struct rule_engine *e)
{
	const struct rl_result *res = rl_result(e->coll);
	size_t i;

	e->rules = calloc(res->n_rules + 1, sizeof(*e->rules));
	if (e->rules == NULL)
		return -1;
	for (i = 0; i < res->n_rules; i++) {
		const struct rl_rule *r = &res->rules[i];
		if ((int)r->priority > e->opts.min_priority)
			continue;	/* below the priority threshold: not loaded */
		if (compile_rule(e, r, &e->rules[e->nrules++]) != 0)
			return -1;
	}
	return 0;
}

/* ---- Index ----------------------------------------------------------- */

static int
index_rules(struct rule_engine *e)
{
	size_t i, t, ntypes = evt_type_count();
	struct evt_bucket *b;

	for (t = 0; t < ntypes; t++) {
		b = &e->by_type[t];
		for (i = 0; i < e->nrules; i++)
			if (e->rules[i].info.enabled &&
			    evt_set_has(&e->rules[i].info.types, (int)t))
				b->n++;
		if (b->n == 0)
			continue;
		if ((b->idx = calloc(b->n, sizeof(*b->idx))) == NULL)
			return -1;
		b->n = 0;
		for (i = 0; i < e->nrules; i++)
			if (e->rules[i].info.enabled &&
			    evt_set_has(&e->rules[i].info.types, (int)t))
				b->idx[b->n++] = (uint32_t)i;
	}
	return 0;
}

/* ---- Lifecycle ------------------------------------------------------- */

static void drop_rules(struct rule_engine *e);

static bool
exception_field_ok(void *arg, const char *field)
{
	struct rule_parse_error perr;
	struct rule_node *ast = NULL;
	struct flt_diag fd;
	struct flt *f = NULL;
	char buf[512];
	bool ok;

	(void)arg;
	snprintf(buf, sizeof(buf), "%s exists", field);
	if (rule_parse(buf, strlen(buf), NULL, &ast, &perr) != 0)
		return false;
	ok = flt_compile(ast, NULL, NULL, &f, &fd) != FLT_ERROR;
	flt_free(f);
	rule_node_free(ast);
	return ok;
}

static int
engine_build(struct rule_engine *e, const char *const *paths, size_t npaths)
{
	size_t i;

	for (i = 0; i < npaths; i++)
		if (rl_load_path(e->coll, paths[i]) != 0)
			return -1;
	if (npaths == 0 && e->opts.builtin_text != NULL &&
	    rl_load_buffer(e->coll, e->opts.builtin_name ?
	    e->opts.builtin_name : "builtin", e->opts.builtin_text,
	    e->opts.builtin_len) != 0)
		return -1;
	if (rl_finish(e->coll) != 0)
		return -1;
	if (compile_macros(e) != 0 || compile_rules(e) != 0)
		return -1;
	rl_emit_unused_warnings(e->coll);
	return index_rules(e);
}

struct rule_engine *
rule_engine_load(const char *const *paths, size_t npaths,
    const struct rule_engine_opts *opts)
{
	struct rl_options lo = { .field_defined = exception_field_ok };
	struct rule_engine *e = calloc(1, sizeof(*e));

	if (e == NULL)
		return NULL;
	if (opts != NULL)
		e->opts = *opts;
	else
		rule_engine_opts_defaults(&e->opts);
	if ((e->coll = rl_collector_new(&lo)) == NULL) {
		free(e);
		return NULL;
	}
	e->ok = true;
	if (engine_build(e, paths, npaths) != 0)
		e->ok = false;
	if (rl_result(e->coll)->n_errors > 0)
		e->ok = false;
	free_macros(e);
	if (!e->ok)
		drop_rules(e);
	return e;
}

/* Free the compiled rules and the index (a failed load holds no rules). */
static void
drop_rules(struct rule_engine *e)
{
	size_t i;

	for (i = 0; i < e->nrules; i++) {
		flt_free(e->rules[i].filter);
		rule_output_free(e->rules[i].output);
	}
	for (i = 0; i < EVT_MAX_TYPES; i++) {
		free(e->by_type[i].idx);
		e->by_type[i].idx = NULL;
		e->by_type[i].n = 0;
	}
	free(e->rules);
	e->rules = NULL;
	e->nrules = 0;
}

void
rule_engine_free(struct rule_engine *e)
{
	if (e == NULL)
		return;
	drop_rules(e);
	free_macros(e);
	flt_fields_fini(&e->fields);
	rl_collector_free(e->coll);
	free(e);
}

bool
rule_engine_ok(const struct rule_engine *e)
{
	return e->ok;
}

const struct rl_result *
rule_engine_result(const struct rule_engine *e)
{
	return rl_result(e->coll);
}

size_t
rule_engine_nrules(const struct rule_engine *e)
{
	return e->nrules;
}

const struct rule_info *
rule_engine_rule(const struct rule_engine *e, size_t i)
{
	return i < e->nrules ? &e->rules[i].info : NULL;
}

void
rule_engine_syscalls(const struct rule_engine *e, struct evt_set *out)
{
	size_t i, n = evt_type_count();

	evt_set_clear(out);
	for (i = 0; i < n; i++)
		if (e->by_type[i].n > 0 && evt_type_is_syscall((int)i))
			evt_set_add(out, (int)i);
}
