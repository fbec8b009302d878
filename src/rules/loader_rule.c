/*
 * loader_rule.c - the `rule` item: full definitions, enabled-only items,
 * `append: true`, and `override:` with its append/replace matrix
 * (falco.md §2.6, §2.7), plus the rule half of the collector.
 *
 * Owns struct cl_rule contents.  The order of checks and the messages
 * are Falco's reader and collector ones, so the first error reported is
 * the one Falco reports.
 */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "rules/loader_int.h"

#define WARNING_APPEND "'append' key is deprecated. Add an 'append' entry " \
	"(e.g. 'condition: append') under 'override' instead."
#define WARNING_ENABLED "The standalone 'enabled' key usage is deprecated. " \
	"The correct approach requires also a 'replace' entry under the " \
	"'override' key (i.e. 'enabled: replace')."
#define ERROR_OVERRIDE_APPEND "Keys 'override' and 'append: true' cannot " \
	"be used together. Add an 'append' entry (e.g. 'condition: append') " \
	"under 'override' instead."

static const char *const rule_keys[] = {
	"rule", "condition", "output", "desc", "priority", "source", "enabled",
	"capture", "capture_duration", "warn_evttypes", "skip-if-unknown-filter",
	"tags", "exceptions", "override", "append", NULL
};
/* Falco's reading order for the override keys. */
static const char *const can_append[] = {
	"condition", "exceptions", "output", "desc", "tags", NULL
};
static const char *const can_replace[] = {
	"condition", "exceptions", "output", "desc", "tags", "priority",
	"enabled", "warn_evttypes", "skip-if-unknown-filter", "capture",
	"capture_duration", NULL
};
/* std::set order, for the "Unexpected key" error. */
static const char *const ov_sorted[] = {
	"capture", "capture_duration", "condition", "desc", "enabled",
	"exceptions", "output", "priority", "skip-if-unknown-filter", "tags",
	"warn_evttypes", NULL
};

/* rule_update_info: every field optional. */
struct rule_upd {
	char		*cond, *output, *desc;
	char		**tags;
	size_t		 n_tags;
	bool		 has_tags, has_exc;
	struct rl_excs	 exc;
	int		 priority;	/* -1: absent */
	int		 enabled, warn_evttypes, skip, capture;	/* -1: absent */
	bool		 has_capdur;
	uint64_t	 capdur;
};

static void
upd_init(struct rule_upd *u)
{
	memset(u, 0, sizeof(*u));
	u->priority = u->enabled = u->warn_evttypes = u->skip = u->capture = -1;
}

static void
upd_free(struct rule_upd *u)
{
	free(u->cond);
	free(u->output);
	free(u->desc);
	rd_free_strv(u->tags, u->n_tags);
	rl_excs_free(&u->exc);
	upd_init(u);
}

static bool
upd_any(const struct rule_upd *u)
{
	return u->cond || u->output || u->desc || u->has_tags || u->has_exc ||
	    u->priority >= 0 || u->enabled >= 0 || u->warn_evttypes >= 0 ||
	    u->skip >= 0 || u->capture >= 0 || u->has_capdur;
}

void
cl_rule_free(struct cl_rule *r)
{
	free(r->name);
	free(r->cond);
	free(r->output);
	free(r->desc);
	free(r->source);
	rd_free_strv(r->tags, r->n_tags);
	rl_excs_free(&r->exc);
}

static struct cl_rule *
cl_rule_find(struct rl_collector *c, const char *name)
{
	size_t at;

	return rl_names_get(&c->rule_names, name, &at) ? &c->rules[at] : NULL;
}

static bool
rl_source_known(const struct rl_collector *c, const char *src)
{
	return rd_in(c->opt.sources, (size_t)-1, src);
}

/* Falco's trim(): leading and trailing " \t\n\r\f\v". */
static void
rl_trim(char *s)
{
	size_t len = strlen(s), start = 0;

	while (len > 0 && isspace((unsigned char)s[len - 1]))
		s[--len] = '\0';
	while (isspace((unsigned char)s[start]))
		start++;
	memmove(s, s + start, len - start + 1);
}

static int
rd_priority(const struct rd_ctx *x, const struct rl_ynode *item, int *prio)
{
	char *s = NULL;

	if (rd_str(x, item, "priority", false, &s) < 0)
		return -1;
	*prio = rl_priority_parse(s);
	free(s);
	if (*prio < 0)
		return rd_err(x, RL_LOAD_ERR_YAML_VALIDATE,
		    rl_ymap_get(item, "priority"), "Invalid priority");
	return 0;
}

/* A later item naming a different explicit source is an error; a null
 * or empty `source:` on an append/override item is fine (§2.6). */
static int
cl_check_source(const struct rd_ctx *x, const struct rl_ynode *item,
    const struct cl_rule *prev)
{
	const struct rl_ynode *s = rl_ymap_get(item, "source");

	if (s == NULL || !rl_ynode_is_scalar(s) || s->len == 0 ||
	    strcmp(s->str, prev->source) == 0)
		return 0;
	return rd_err(x, RL_LOAD_ERR_VALIDATE, NULL,
	    "Rule has been re-defined with a different source");
}

static int
rl_tags_union(char ***tags, size_t *n, char **add, size_t n_add)
{
	size_t i, j, k = 0, total = *n + n_add;
	char **out = total ? calloc(total, sizeof(*out)) : NULL;

	if (total > 0 && out == NULL)
		return -1;
	/* Merge two sorted unique vectors. */
	for (i = 0, j = 0; i < *n || j < n_add;) {
		int cmp = i == *n ? 1 : j == n_add ? -1 :
		    strcmp((*tags)[i], add[j]);

		if (cmp <= 0) {
			out[k++] = (*tags)[i++];
			if (cmp == 0)
				free(add[j++]);
		} else {
			out[k++] = add[j++];
		}
	}
	free(*tags);
	free(add);
	*tags = out;
	*n = k;
	return 0;
}

/* collector::append for rules; consumes u on success or failure. */
static int
cl_rule_append(const struct rd_ctx *x, const struct rl_ynode *item,
    struct rule_upd *u)
{
	struct cl_rule *prev = cl_rule_find(x->c, x->name);
	int rc = -1;

	if (prev == NULL) {
		rd_err(x, RL_LOAD_ERR_VALIDATE, NULL, "Rule uses 'append' or "
		    "'override.<key>: append' but no rule by that name already "
		    "exists");
		goto out;
	}
	if (!upd_any(u)) {
		rd_err(x, RL_LOAD_ERR_VALIDATE, NULL,
		    "Appended rule must have exceptions or condition property");
		goto out;
	}
	if (cl_check_source(x, item, prev) < 0)
		goto out;
	if ((u->cond && u->cond[0] && rl_strappend(&prev->cond, " ", u->cond) < 0) ||
	    (u->output && u->output[0] &&
	    rl_strappend(&prev->output, " ", u->output) < 0) ||
	    (u->desc && u->desc[0] && rl_strappend(&prev->desc, " ", u->desc) < 0) ||
	    (u->has_tags && rl_tags_union(&prev->tags, &prev->n_tags, u->tags,
	    u->n_tags) < 0)) {
		rd_err(x, RL_LOAD_ERR_VALIDATE, NULL, "out of memory");
		goto out;
	}
	if (u->has_tags) {
		u->tags = NULL;
		u->n_tags = 0;
	}
	if (u->has_exc &&
	    cl_exc_append(x, !prev->unknown_source, &prev->exc, &u->exc) < 0)
		goto out;
	prev->visibility = x->c->cur_index++;
	rc = 0;
out:
	upd_free(u);
	return rc;
}

#define UPD_MOVE(dst, src)	do { free(dst); (dst) = (src); (src) = NULL; } while (0)

/* Move every value present in u into r. */
static void
upd_apply(struct cl_rule *r, struct rule_upd *u)
{
	if (u->cond)
		UPD_MOVE(r->cond, u->cond);
	if (u->output)
		UPD_MOVE(r->output, u->output);
	if (u->desc)
		UPD_MOVE(r->desc, u->desc);
	if (u->has_tags) {
		rd_free_strv(r->tags, r->n_tags);
		r->tags = u->tags;
		r->n_tags = u->n_tags;
		u->tags = NULL;
		u->n_tags = 0;
	}
	if (u->has_exc) {
		rl_excs_free(&r->exc);
		r->exc = u->exc;
		memset(&u->exc, 0, sizeof(u->exc));
	}
	if (u->priority >= 0)
		r->priority = u->priority;
	if (u->enabled >= 0)
		r->enabled = u->enabled;
	if (u->warn_evttypes >= 0)
		r->warn_evttypes = u->warn_evttypes;
	if (u->skip >= 0)
		r->skip_if_unknown_filter = u->skip;
	if (u->capture >= 0)
		r->capture = u->capture;
	if (u->has_capdur)
		r->capture_duration = u->capdur;
}

/* collector::selective_replace; consumes u. */
static int
cl_rule_replace(const struct rd_ctx *x, const struct rl_ynode *item,
    struct rule_upd *u)
{
	struct cl_rule *prev = cl_rule_find(x->c, x->name);
	int rc = -1;

	if (prev == NULL) {
		rd_err(x, RL_LOAD_ERR_VALIDATE, NULL, "An 'override.<key>: "
		    "replace' to a rule was requested but no rule by that name "
		    "already exists");
		goto out;
	}
	if (!upd_any(u)) {
		rd_err(x, RL_LOAD_ERR_VALIDATE, NULL,
		    "The rule must have at least one field that can be replaced");
		goto out;
	}
	if (cl_check_source(x, item, prev) < 0 || (u->has_exc &&
	    cl_exc_define(x, !prev->unknown_source, &u->exc) < 0))
		goto out;
	upd_apply(prev, u);
	prev->visibility = x->c->cur_index++;
	rc = 0;
out:
	upd_free(u);
	return rc;
}

/* check_update_expected: is key under this override op, and present? */
static int
ov_take(const struct rd_ctx *x, const char *const *set, size_t n,
    const char *op, const char *key, bool *expected_keys)
{
	size_t i;

	if (!rd_in(set, n, key))
		return 0;
	for (i = 0; ov_sorted[i] != NULL; i++)
		if (strcmp(ov_sorted[i], key) == 0)
			break;
	if (!expected_keys[i])
		return rd_err(x, RL_LOAD_ERR_YAML_VALIDATE, NULL, "An %s override "
		    "for '%s' was specified but '%s' is not defined", op, key, key);
	expected_keys[i] = false;
	return 1;
}

static int
bool_field(const struct rd_ctx *x, const struct rl_ynode *item,
    const char *key, int *out)
{
	bool b;

	if (rd_bool(x, item, key, false, &b) < 0)
		return -1;
	*out = b;
	return 0;
}

/* Decode one override key into u (key known present). */
static int
upd_read_key(const struct rd_ctx *x, const struct rl_ynode *item,
    const char *key, bool append, struct rule_upd *u)
{
	if (strcmp(key, "condition") == 0)
		return rd_str(x, item, key, false, &u->cond);
	if (strcmp(key, "output") == 0)
		return rd_str(x, item, key, false, &u->output);
	if (strcmp(key, "desc") == 0)
		return rd_str(x, item, key, false, &u->desc);
	if (strcmp(key, "tags") == 0) {
		u->has_tags = true;
		return rd_tags(x, item, &u->tags, &u->n_tags);
	}
	if (strcmp(key, "exceptions") == 0) {
		u->has_exc = true;
		return rd_exceptions(x, item, append, &u->exc);
	}
	if (strcmp(key, "priority") == 0)
		return rd_priority(x, item, &u->priority);
	if (strcmp(key, "enabled") == 0)
		return bool_field(x, item, key, &u->enabled);
	if (strcmp(key, "warn_evttypes") == 0)
		return bool_field(x, item, key, &u->warn_evttypes);
	if (strcmp(key, "skip-if-unknown-filter") == 0)
		return bool_field(x, item, key, &u->skip);
	if (strcmp(key, "capture") == 0)
		return bool_field(x, item, key, &u->capture);
	u->has_capdur = true;
	return rd_u64(x, item, key, UINT64_MAX, &u->capdur);
}

/* One half (append or replace) of an override item. */
static int
rd_override_half(const struct rd_ctx *x, const struct rl_ynode *item,
    const struct rd_overrides *ov, bool append, bool *expected)
{
	const char *const *keys = append ? can_append : can_replace;
	const char *const *set = append ? ov->append : ov->replace;
	size_t n = append ? ov->n_append : ov->n_replace, i;
	struct rule_upd u;
	int rc;

	upd_init(&u);
	for (i = 0; keys[i] != NULL; i++) {
		rc = ov_take(x, set, n, append ? "append" : "replace", keys[i],
		    expected);
		if (rc > 0)
			rc = upd_read_key(x, item, keys[i], append, &u);
		if (rc < 0) {
			upd_free(&u);
			return -1;
		}
	}
	return append ? cl_rule_append(x, item, &u) :
	    cl_rule_replace(x, item, &u);
}

static int
rd_rule_override(const struct rd_ctx *x, const struct rl_ynode *item,
    const struct rd_overrides *ov)
{
	bool expected[16] = { false };
	size_t i;

	/* expected = (appendable U replaceable) keys present in the item */
	for (i = 0; ov_sorted[i] != NULL; i++)
		expected[i] = rl_ymap_get(item, ov_sorted[i]) != NULL;
	if (ov->n_append > 0 && rd_override_half(x, item, ov, true, expected) < 0)
		return -1;
	if (ov->n_replace > 0 &&
	    rd_override_half(x, item, ov, false, expected) < 0)
		return -1;
	for (i = 0; ov_sorted[i] != NULL; i++)
		if (expected[i])
			return rd_err(x, RL_LOAD_ERR_YAML_VALIDATE,
			    rl_ymap_get(item, ov_sorted[i]), "Unexpected key '%s': "
			    "no corresponding entry under 'override' is defined.",
			    ov_sorted[i]);
	return 0;
}

/* Deprecated `append: true`: only condition and exceptions count. */
static int
rd_rule_append_flag(const struct rd_ctx *x, const struct rl_ynode *item)
{
	struct rule_upd u;

	upd_init(&u);
	if (rl_ymap_get(item, "condition") != NULL &&
	    rd_str(x, item, "condition", false, &u.cond) < 0)
		goto fail;
	if (rl_ymap_get(item, "exceptions") != NULL) {
		u.has_exc = true;
		if (rd_exceptions(x, item, true, &u.exc) < 0)
			goto fail;
	}
	return cl_rule_append(x, item, &u);
fail:
	upd_free(&u);
	return -1;
}

static int
rd_rule_enable(const struct rd_ctx *x, const struct rl_ynode *item)
{
	struct cl_rule *prev;
	bool en;

	if (rd_bool(x, item, "enabled", false, &en) < 0)
		return -1;
	rd_warn(x, RL_LOAD_DEPRECATED_ITEM, NULL, WARNING_ENABLED);
	prev = cl_rule_find(x->c, x->name);
	if (prev == NULL)
		return rd_err(x, RL_LOAD_ERR_VALIDATE, NULL, "Rule has 'enabled' "
		    "key but no rule by that name already exists");
	prev->enabled = en;
	return 0;
}

/* The optional keys of a full definition, in Falco's order. */
static int
rd_rule_optional(const struct rd_ctx *x, const struct rl_ynode *item,
    struct cl_rule *r)
{
	char *src = NULL;

	if (rd_str(x, item, "source", true, &src) < 0)
		return -1;
	if (src != NULL) {
		free(r->source);
		r->source = src;
	}
	if (rd_bool(x, item, "enabled", true, &r->enabled) < 0 ||
	    rd_bool(x, item, "warn_evttypes", true, &r->warn_evttypes) < 0 ||
	    rd_bool(x, item, "skip-if-unknown-filter", true,
	    &r->skip_if_unknown_filter) < 0 ||
	    rd_bool(x, item, "capture", true, &r->capture) < 0 ||
	    rd_u64(x, item, "capture_duration", UINT64_MAX,
	    &r->capture_duration) < 0 ||
	    rd_tags(x, item, &r->tags, &r->n_tags) < 0)
		return -1;
	return rd_exceptions(x, item, false, &r->exc);
}

static int
rd_rule_fields(const struct rd_ctx *x, const struct rl_ynode *item,
    struct cl_rule *r)
{
	if (rd_str(x, item, "condition", false, &r->cond) < 0)
		return -1;
	r->cond_pos = rd_pos(x, rl_ymap_get(item, "condition"));
	if (rd_str(x, item, "output", false, &r->output) < 0)
		return -1;
	r->output_pos = rd_pos(x, rl_ymap_get(item, "output"));
	if (rd_str(x, item, "desc", false, &r->desc) < 0 ||
	    rd_priority(x, item, &r->priority) < 0)
		return -1;
	rl_trim(r->output);
	if ((r->source = rl_strdup("syscall")) == NULL)
		return rd_err(x, RL_LOAD_ERR_VALIDATE, NULL, "out of memory");
	return rd_rule_optional(x, item, r);
}

/* collector::define for rules; consumes r. */
static int
cl_rule_define(const struct rd_ctx *x, struct cl_rule *r)
{
	struct rl_collector *c = x->c;
	struct cl_rule *prev = cl_rule_find(c, r->name);

	if (prev != NULL && strcmp(prev->source, r->source) != 0) {
		rd_err(x, RL_LOAD_ERR_VALIDATE, NULL,
		    "Rule has been re-defined with a different source");
		goto fail;
	}
	if (!rl_source_known(c, r->source)) {
		r->unknown_source = true;
		rd_warn(x, RL_LOAD_UNKNOWN_SOURCE, NULL, "Unknown source %s, "
		    "skipping", r->source);
	}
	if (cl_exc_define(x, !r->unknown_source, &r->exc) < 0)
		goto fail;
	r->visibility = c->cur_index++;
	if (prev != NULL) {
		/* Replace every property, keep the position. */
		/* The index holds the old name pointer: re-key it first. */
		if (rl_names_put(&c->rule_names, r->name,
		    (size_t)(prev - c->rules)) < 0) {
			rd_err(x, RL_LOAD_ERR_VALIDATE, NULL, "out of memory");
			goto fail;
		}
		r->index = prev->index;
		cl_rule_free(prev);
		*prev = *r;
		return 0;
	}
	r->index = r->visibility;
	if (rl_grow((void **)&c->rules, &c->cap_rules, c->n_rules,
	    sizeof(*c->rules)) < 0 ||
	    rl_names_put(&c->rule_names, r->name, c->n_rules) < 0) {
		rd_err(x, RL_LOAD_ERR_VALIDATE, NULL, "out of memory");
		goto fail;
	}
	c->rules[c->n_rules++] = *r;
	return 0;
fail:
	cl_rule_free(r);
	return -1;
}

static int
rd_rule_full(struct rd_ctx *x, const struct rl_ynode *item, char *name)
{
	struct cl_rule r;

	memset(&r, 0, sizeof(r));
	r.name = name;
	r.enabled = true;
	r.warn_evttypes = true;
	r.pos = x->item_pos;
	if (rd_rule_fields(x, item, &r) < 0) {
		cl_rule_free(&r);
		return -1;
	}
	return cl_rule_define(x, &r);
}

static bool
rd_has_definition(const struct rl_ynode *item)
{
	return rl_ymap_get(item, "condition") != NULL ||
	    rl_ymap_get(item, "output") != NULL ||
	    rl_ymap_get(item, "desc") != NULL ||
	    rl_ymap_get(item, "priority") != NULL;
}

static int
rd_rule_kind(struct rd_ctx *x, const struct rl_ynode *item, char **name)
{
	struct rd_overrides ov;
	bool append = false;

	if (rd_bool(x, item, "append", true, &append) < 0)
		return -1;
	if (append)
		rd_warn(x, RL_LOAD_DEPRECATED_ITEM, NULL, WARNING_APPEND);
	if (rd_overrides(x, item, can_append, can_replace, &ov) < 0)
		return -1;
	if (append && (ov.n_append > 0 || ov.n_replace > 0))
		return rd_err(x, RL_LOAD_ERR_YAML_VALIDATE, NULL,
		    ERROR_OVERRIDE_APPEND);
	if (ov.n_append > 0 || ov.n_replace > 0)
		return rd_rule_override(x, item, &ov);
	if (append)
		return rd_rule_append_flag(x, item);
	if (!rd_has_definition(item))
		return rd_rule_enable(x, item);
	{
		/* The name moves into the collector; x->name stays valid. */
		char *n = *name;

		*name = NULL;
		return rd_rule_full(x, item, n);
	}
}

int
rd_rule(struct rd_ctx *x, const struct rl_ynode *item)
{
	char *name = NULL;
	int rc;

	x->kind = RL_ITEM_RULE;
	if (rd_str(x, item, "rule", false, &name) < 0)
		return -1;
	x->name = name;
	rd_unknown_keys(x, item, rule_keys);
	rc = rd_rule_kind(x, item, &name);
	x->name = "";
	free(name);
	return rc;
}
