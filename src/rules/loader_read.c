/*
 * loader_read.c - value decoding and the list, macro and version items.
 *
 * The decode helpers reproduce Falco's reader (decode_val, decode_seq,
 * decode_overrides) including its messages and error codes; conversions
 * follow yaml-cpp (flexible-case booleans, base-detecting unsigned
 * numbers).  The collector operations for lists and macros (define in
 * place, append) are Falco's rule_loader::collector ones.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules/loader_int.h"

#define WARNING_APPEND "'append' key is deprecated. Add an 'append' entry " \
	"(e.g. 'condition: append') under 'override' instead."
#define ERROR_OVERRIDE_APPEND "Keys 'override' and 'append: true' cannot " \
	"be used together. Add an 'append' entry (e.g. 'condition: append') " \
	"under 'override' instead."
#define RGX_IDENTIFIER	"([a-zA-Z]+[a-zA-Z0-9_]*)"
#define RGX_BARESTR	"([^()\"'[:space:]=,]+)"

static const char *const list_keys[] = {
	"list", "items", "append", "override", NULL
};
static const char *const macro_keys[] = {
	"macro", "condition", "append", "override", NULL
};

void
rd_free_strv(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

bool
rd_in(const char *const *set, size_t n, const char *s)
{
	size_t i;

	for (i = 0; n == (size_t)-1 ? set[i] != NULL : i < n; i++)
		if (strcmp(set[i], s) == 0)
			return true;
	return false;
}

/* decode_val_generic up to the conversion: 1 found, 0 absent, -1 error. */
int
rd_scalar(const struct rd_ctx *x, const struct rl_ynode *item, const char *key,
    bool optional, const struct rl_ynode **out)
{
	const struct rl_ynode *v = rl_ymap_get(item, key);

	if (v == NULL && optional)
		return 0;
	if (v == NULL)
		return rd_err(x, RL_LOAD_ERR_YAML_VALIDATE, NULL,
		    "Item has no mapping for key '%s'", key);
	if (rl_ynode_is_null(v))
		return rd_err(x, RL_LOAD_ERR_YAML_VALIDATE, NULL,
		    "Mapping for key '%s' is empty", key);
	if (v->kind != RL_YSCALAR)
		return rd_err(x, RL_LOAD_ERR_YAML_VALIDATE, v,
		    "Value is not a scalar value");
	if (v->len == 0)
		return rd_err(x, RL_LOAD_ERR_YAML_VALIDATE, v,
		    "Value must be non-empty");
	*out = v;
	return 1;
}

int
rd_str(const struct rd_ctx *x, const struct rl_ynode *item, const char *key,
    bool optional, char **out)
{
	const struct rl_ynode *v;
	int rc = rd_scalar(x, item, key, optional, &v);

	if (rc <= 0)
		return rc;
	if ((*out = rl_strdup(v->str)) == NULL)
		return rd_err(x, RL_LOAD_ERR_VALIDATE, v, "out of memory");
	return 1;
}

/* yaml-cpp's IsFlexibleCase: "abc", "ABC" or "Abc". */
static bool
rd_flexible_case(const char *s)
{
	bool upper_first = isupper((unsigned char)s[0]) != 0;
	bool all_upper = true, rest_lower = true;
	size_t i;

	for (i = 0; s[i]; i++) {
		if (islower((unsigned char)s[i]))
			all_upper = false;
		if (i > 0 && isupper((unsigned char)s[i]))
			rest_lower = false;
	}
	return all_upper || rest_lower || (upper_first && rest_lower);
}

static int
rd_parse_bool(const char *s, bool *out)
{
	static const char *const t[] = { "y", "yes", "true", "on" };
	static const char *const f[] = { "n", "no", "false", "off" };
	size_t i;

	if (!rd_flexible_case(s))
		return -1;
	for (i = 0; i < 4; i++) {
		if (strcasecmp(s, t[i]) == 0) {
			*out = true;
			return 0;
		}
		if (strcasecmp(s, f[i]) == 0) {
			*out = false;
			return 0;
		}
	}
	return -1;
}

int
rd_bool(const struct rd_ctx *x, const struct rl_ynode *item, const char *key,
    bool optional, bool *out)
{
	const struct rl_ynode *v;
	int rc = rd_scalar(x, item, key, optional, &v);

	if (rc <= 0)
		return rc;
	if (rd_parse_bool(v->str, out) < 0)
		return rd_err(x, RL_LOAD_ERR_YAML_VALIDATE, v,
		    "Can't decode YAML scalar value");
	return 1;
}

/* yaml-cpp unsigned conversion: base prefix detection, no sign, no
 * leading blanks, trailing blanks allowed. */
static int
rd_parse_uint(const char *s, uint64_t max, uint64_t *out)
{
	unsigned long long v;
	char *end;

	if (s[0] == '-' || isspace((unsigned char)s[0]) || s[0] == '\0')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno != 0 || end == s || v > max)
		return -1;
	while (isspace((unsigned char)*end))
		end++;
	if (*end != '\0')
		return -1;
	*out = v;
	return 0;
}

int
rd_u64(const struct rd_ctx *x, const struct rl_ynode *item, const char *key,
    uint64_t max, uint64_t *out)
{
	const struct rl_ynode *v;
	int rc = rd_scalar(x, item, key, true, &v);

	if (rc <= 0)
		return rc;
	if (rd_parse_uint(v->str, max, out) < 0)
		return rd_err(x, RL_LOAD_ERR_YAML_VALIDATE, v,
		    "Can't decode YAML scalar value");
	return 1;
}

/* decode_seq: a sequence of non-null scalars, copied into *out. */
static int
rd_seq(const struct rd_ctx *x, const struct rl_ynode *item, const char *key,
    bool optional, char ***out, size_t *n)
{
	const struct rl_ynode *v = rl_ymap_get(item, key);
	size_t i;

	*out = NULL;
	*n = 0;
	if (v == NULL && optional)
		return 0;
	if (v == NULL)
		return rd_err(x, RL_LOAD_ERR_YAML_VALIDATE, NULL,
		    "Item has no mapping for key '%s'", key);
	if (v->kind != RL_YSEQ)
		return rd_err(x, RL_LOAD_ERR_YAML_VALIDATE, v,
		    "Value is not a sequence");
	if (v->n > 0 && (*out = calloc(v->n, sizeof(**out))) == NULL)
		return rd_err(x, RL_LOAD_ERR_VALIDATE, v, "out of memory");
	for (i = 0; i < v->n; i++) {
		if (!rl_ynode_is_scalar(v->items[i])) {
			rd_free_strv(*out, *n);
			*out = NULL;
			*n = 0;
			return rd_err(x, RL_LOAD_ERR_YAML_VALIDATE, v->items[i],
			    "sequence value is not scalar");
		}
		if (((*out)[i] = rl_strdup(v->items[i]->str)) == NULL) {
			rd_free_strv(*out, *n);
			*out = NULL;
			*n = 0;
			return rd_err(x, RL_LOAD_ERR_VALIDATE, v, "out of memory");
		}
		(*n)++;
	}
	return 1;
}

static int
rd_cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Tags are a std::set: sorted (byte order) and de-duplicated. */
int
rd_tags(const struct rd_ctx *x, const struct rl_ynode *item, char ***tags,
    size_t *n)
{
	size_t i, j;
	int rc = rd_seq(x, item, "tags", true, tags, n);

	if (rc <= 0 || *n == 0)
		return rc;
	qsort(*tags, *n, sizeof(**tags), rd_cmp_str);
	for (i = 1, j = 1; i < *n; i++) {
		if (strcmp((*tags)[i], (*tags)[j - 1]) == 0)
			free((*tags)[i]);
		else
			(*tags)[j++] = (*tags)[i];
	}
	*n = j;
	return 1;
}

static void
rd_ov_add(const char **set, size_t *n, const char *key)
{
	if (!rd_in(set, *n, key))
		set[(*n)++] = key;
}

/* One override entry; keys point into the YAML tree. */
static int
rd_override_entry(const struct rd_ctx *x, const struct rl_ynode *k,
    const struct rl_ynode *op, const char *const *can_append,
    const char *const *can_replace, struct rd_overrides *ov)
{
	bool ca, cr;

	if (!rl_ynode_is_scalar(k) || !rl_ynode_is_scalar(op))
		return rd_err(x, RL_LOAD_ERR_VALIDATE,
		    rl_ynode_is_scalar(k) ? op : k, "bad conversion");
	ca = rd_in(can_append, (size_t)-1, k->str);
	cr = rd_in(can_replace, (size_t)-1, k->str);
	if (strcmp(op->str, "append") == 0) {
		if (!ca)
			return rd_err(x, RL_LOAD_ERR_YAML_VALIDATE, k, "Key '%s' "
			    "cannot be appended to, use 'replace' instead", k->str);
		rd_ov_add(ov->append, &ov->n_append, k->str);
	} else if (strcmp(op->str, "replace") == 0) {
		if (!cr)
			return rd_err(x, RL_LOAD_ERR_YAML_VALIDATE, k,
			    "Key '%s' cannot be replaced", k->str);
		rd_ov_add(ov->replace, &ov->n_replace, k->str);
	} else {
		return rd_err(x, RL_LOAD_ERR_YAML_VALIDATE, op, "Invalid override "
		    "operation for key '%s': '%s'. Allowed values are: %s%s",
		    k->str, op->str, ca ? "append " : "", cr ? "replace " : "");
	}
	return 0;
}

/* decode_overrides; the sets must hold fewer than RD_OV_MAX keys. */
int
rd_overrides(const struct rd_ctx *x, const struct rl_ynode *item,
    const char *const *can_append, const char *const *can_replace,
    struct rd_overrides *ov)
{
	const struct rl_ynode *v = rl_ymap_get(item, "override");
	size_t i;

	memset(ov, 0, sizeof(*ov));
	/* yaml-cpp iterates nothing in a scalar; a sequence is a misuse. */
	if (v == NULL || v->kind == RL_YSCALAR)
		return 0;
	if (v->kind == RL_YSEQ)
		return rd_err(x, RL_LOAD_ERR_VALIDATE, v, "invalid node; this may "
		    "result from using a map iterator as a sequence iterator, "
		    "or vice-versa");
	for (i = 0; i < v->n; i++)
		if (rd_override_entry(x, v->items[2 * i], v->items[2 * i + 1],
		    can_append, can_replace, ov) < 0)
			return -1;
	return 0;
}

void
rd_unknown_keys(const struct rd_ctx *x, const struct rl_ynode *item,
    const char *const *allowed)
{
	size_t i;

	for (i = 0; i < item->n; i++) {
		const struct rl_ynode *k = item->items[2 * i];

		if (k->kind != RL_YSCALAR)
			rd_warn(x, RL_LOAD_UNKNOWN_KEY, k, "Unknown key '%s'. The "
			    "key will be ignored.", "");
		else if (!rd_in(allowed, (size_t)-1, k->str))
			rd_warn(x, RL_LOAD_UNKNOWN_KEY, k, "Unknown key '%s'. The "
			    "key will be ignored.", k->str);
	}
}

/* ---- versions --------------------------------------------------------- */

bool
rl_semver_parse(const char *s, uint64_t v[3])
{
	/* sinsp_version: sscanf of three dot-separated numbers. */
	return sscanf(s, "%" SCNu64 ".%" SCNu64 ".%" SCNu64, &v[0], &v[1],
	    &v[2]) == 3;
}

bool
rl_semver_compatible(const uint64_t have[3], const uint64_t req[3])
{
	if (have[0] != req[0])
		return false;
	if (have[1] != req[1])
		return have[1] > req[1];
	return have[2] >= req[2];
}

static bool
rd_semver_less(const uint64_t a[3], const uint64_t b[3])
{
	int i;

	for (i = 0; i < 3; i++)
		if (a[i] != b[i])
			return a[i] < b[i];
	return false;
}

int
rd_engine_version(struct rd_ctx *x, const struct rl_ynode *item)
{
	const struct rl_ynode *v;
	uint64_t req[3] = { 0 }, eng[3], minor;

	x->kind = RL_ITEM_ENGINE_VERSION;
	if (rd_scalar(x, item, "required_engine_version", false, &v) < 0)
		return -1;
	if (rd_parse_uint(v->str, UINT32_MAX, &minor) == 0)
		req[1] = minor;
	else if (!rl_semver_parse(v->str, req))
		return rd_err(x, RL_LOAD_ERR_YAML_VALIDATE, NULL, "Unable to parse "
		    "engine version '%s' as a semver string. Expected \"x.y.z\" "
		    "semver format.", v->str);
	(void)rl_semver_parse(FC_ENGINE_VERSION, eng);
	if (!rl_semver_compatible(eng, req))
		return rd_err(x, RL_LOAD_ERR_VALIDATE, NULL, "Rules require engine "
		    "version %" PRIu64 ".%" PRIu64 ".%" PRIu64 ", but engine "
		    "version is %s", req[0], req[1], req[2], FC_ENGINE_VERSION);
	if (!x->c->have_engine || rd_semver_less(x->c->engine, req)) {
		memcpy(x->c->engine, req, sizeof(req));
		snprintf(x->c->engine_str, sizeof(x->c->engine_str),
		    "%" PRIu64 ".%" PRIu64 ".%" PRIu64, req[0], req[1], req[2]);
		x->c->have_engine = true;
	}
	return 0;
}

/* One name/version pair appended to alts. */
static int
rd_plugin_req(struct rd_ctx *x, const struct rl_ynode *m,
    struct rl_plugin_alts *alts)
{
	struct rl_plugin_req *r;
	char *name = NULL, *ver = NULL;
	uint64_t tmp[3];
	size_t i;

	x->name = "";
	x->at = m;	/* missing keys point at this entry */
	if (rd_str(x, m, "name", false, &name) < 0)
		return -1;
	x->name = name;
	if (rd_str(x, m, "version", false, &ver) < 0)
		goto fail;
	r = realloc(alts->v, (alts->n + 1) * sizeof(*r));
	if (r == NULL) {
		rd_err(x, RL_LOAD_ERR_VALIDATE, m, "out of memory");
		goto fail;
	}
	alts->v = r;
	alts->v[alts->n].name = name;
	alts->v[alts->n].version = ver;
	alts->n++;
	if (!rl_semver_parse(ver, tmp))
		return rd_err(x, RL_LOAD_ERR_VALIDATE, NULL, "Invalid required "
		    "version '%s' for plugin '%s'", ver, name);
	for (i = 0; i + 1 < alts->n; i++)
		if (strcmp(alts->v[i].name, name) == 0)
			return rd_err(x, RL_LOAD_ERR_VALIDATE, NULL, "Defined "
			    "multiple alternative version requirements for "
			    "plugin '%s'", name);
	return 0;
fail:
	x->name = "";
	free(name);
	free(ver);
	return -1;
}

static int
rd_plugin_entry(struct rd_ctx *x, const struct rl_ynode *p,
    struct rl_plugin_alts *alts)
{
	const struct rl_ynode *alt;
	size_t i;

	if (p->kind != RL_YMAP)
		return rd_err(x, RL_LOAD_ERR_YAML_VALIDATE, p,
		    "Plugin version must be a mapping");
	if (rd_plugin_req(x, p, alts) < 0)
		return -1;
	alt = rl_ymap_get(p, "alternatives");
	if (alt == NULL)
		return 0;
	if (alt->kind != RL_YSEQ)
		return rd_err(x, RL_LOAD_ERR_YAML_VALIDATE, alt,
		    "Value of plugin version alternatives must be a sequence");
	for (i = 0; i < alt->n; i++) {
		if (alt->items[i]->kind != RL_YMAP)
			return rd_err(x, RL_LOAD_ERR_YAML_VALIDATE, alt->items[i],
			    "Plugin version alternative must be a mapping");
		if (rd_plugin_req(x, alt->items[i], alts) < 0)
			return -1;
	}
	return 0;
}

int
rd_plugin_versions(struct rd_ctx *x, const struct rl_ynode *item)
{
	const struct rl_ynode *v = rl_ymap_get(item, "required_plugin_versions");
	struct rl_collector *c = x->c;
	size_t i;
	int rc = 0;

	x->kind = RL_ITEM_PLUGIN_VERSIONS;
	x->item_pos = rd_pos(x, v);
	if (v->kind != RL_YSEQ)
		return rd_err(x, RL_LOAD_ERR_YAML_VALIDATE, v,
		    "Value of required_plugin_versions must be a sequence");
	for (i = 0; i < v->n && rc == 0; i++) {
		struct rl_plugin_alts *a = realloc(c->plugins,
		    (c->n_plugins + 1) * sizeof(*a));

		if (a == NULL)
			return rd_err(x, RL_LOAD_ERR_VALIDATE, v, "out of memory");
		c->plugins = a;
		a = &c->plugins[c->n_plugins++];
		memset(a, 0, sizeof(*a));
		a->pos = rd_pos(x, v->items[i]);
		rc = rd_plugin_entry(x, v->items[i], a);
		/* x->name pointed into a; do not leave it dangling. */
		x->name = "";
		x->at = NULL;
	}
	return rc;
}

/* ---- lists ------------------------------------------------------------ */

static bool
rd_barestr(const char *s)
{
	if (*s == '\0')
		return false;
	for (; *s; s++)
		if (strchr("()\"'=,", *s) != NULL || isspace((unsigned char)*s))
			return false;
	return true;
}

static bool
rd_identifier(const char *s)
{
	if (!isalpha((unsigned char)*s))
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '_')
			return false;
	return true;
}

/* Read the name, then the warnings that need it. */
static int
rd_named_head(struct rd_ctx *x, const struct rl_ynode *item, const char *key,
    const char *const *allowed, char **name)
{
	if (rd_str(x, item, key, false, name) < 0)
		return -1;
	x->name = *name;
	rd_unknown_keys(x, item, allowed);
	if (x->kind == RL_ITEM_LIST && !rd_barestr(*name))
		rd_warn(x, RL_LOAD_INVALID_LIST_NAME, NULL, "List has an invalid "
		    "name. List names should match a regular expression: "
		    RGX_BARESTR);
	if (x->kind == RL_ITEM_MACRO && !rd_identifier(*name))
		rd_warn(x, RL_LOAD_INVALID_MACRO_NAME, NULL, "Macro has an invalid "
		    "name. Macro names should match a regular expression: "
		    RGX_IDENTIFIER);
	return 0;
}

/* The append flag and override block shared by lists and macros. */
static int
rd_append_mode(struct rd_ctx *x, const struct rl_ynode *item,
    const char *const *overridable, bool *append)
{
	struct rd_overrides ov;

	*append = false;
	if (rd_bool(x, item, "append", true, append) < 0)
		return -1;
	if (*append)
		rd_warn(x, RL_LOAD_DEPRECATED_ITEM, NULL, WARNING_APPEND);
	if (rd_overrides(x, item, overridable, overridable, &ov) < 0)
		return -1;
	if (*append && (ov.n_append > 0 || ov.n_replace > 0))
		return rd_err(x, RL_LOAD_ERR_YAML_VALIDATE, NULL,
		    ERROR_OVERRIDE_APPEND);
	*append = *append || ov.n_append > 0;
	return 0;
}

static int
cl_list_define(struct rd_ctx *x, char *name, char **items, size_t n)
{
	struct rl_collector *c = x->c;
	struct cl_list *l;
	size_t at;

	if (rl_names_get(&c->list_names, name, &at)) {
		/* Redefinition: new content, original position. */
		l = &c->lists[at];
		x->name = l->name;
		free(name);
		rd_free_strv(l->items, l->n);
	} else {
		if (rl_grow((void **)&c->lists, &c->cap_lists, c->n_lists,
		    sizeof(*c->lists)) < 0)
			goto oom;
		l = &c->lists[c->n_lists];
		memset(l, 0, sizeof(*l));
		l->name = name;
		l->index = c->cur_index;
		if (rl_names_put(&c->list_names, name, c->n_lists) < 0)
			goto oom;
		c->n_lists++;
	}
	l->items = items;
	l->n = l->cap = n;
	l->pos = x->item_pos;
	l->visibility = c->cur_index++;
	return 0;
oom:
	rd_err(x, RL_LOAD_ERR_VALIDATE, NULL, "out of memory");
	x->name = "";
	free(name);
	rd_free_strv(items, n);
	return -1;
}

static int
cl_list_append(struct rd_ctx *x, char *name, char **items, size_t n)
{
	struct rl_collector *c = x->c;
	struct cl_list *l;
	size_t at, i;
	char **nv;

	if (!rl_names_get(&c->list_names, name, &at)) {
		rd_err(x, RL_LOAD_ERR_VALIDATE, NULL, "List uses 'append' or "
		    "'override.items: append' but no list by that name already "
		    "exists");
		x->name = "";
		free(name);
		rd_free_strv(items, n);
		return -1;
	}
	l = &c->lists[at];
	x->name = l->name;
	free(name);
	nv = realloc(l->items, (l->n + n + 1) * sizeof(*nv));
	if (nv == NULL) {
		rd_free_strv(items, n);
		return rd_err(x, RL_LOAD_ERR_VALIDATE, NULL, "out of memory");
	}
	l->items = nv;
	for (i = 0; i < n; i++)
		l->items[l->n++] = items[i];
	l->cap = l->n;
	free(items);
	l->visibility = c->cur_index++;
	return 0;
}

int
rd_list(struct rd_ctx *x, const struct rl_ynode *item)
{
	static const char *const ovk[] = { "items", NULL };
	char *name = NULL, **items = NULL;
	size_t n = 0;
	bool append;

	x->kind = RL_ITEM_LIST;
	if (rd_named_head(x, item, "list", list_keys, &name) < 0)
		return -1;
	if (rd_seq(x, item, "items", false, &items, &n) < 0 ||
	    rd_append_mode(x, item, ovk, &append) < 0) {
		x->name = "";
		free(name);
		rd_free_strv(items, n);
		return -1;
	}
	/* name moves into the collector, which keeps x->name valid. */
	return append ? cl_list_append(x, name, items, n) :
	    cl_list_define(x, name, items, n);
}

/* ---- macros ----------------------------------------------------------- */

/* Append to an existing macro; consumes cond. */
static int
cl_macro_append(struct rd_ctx *x, struct cl_macro *m, char *cond)
{
	int rc = rl_strappend(&m->cond, " ", cond);

	free(cond);
	if (rc < 0)
		return rd_err(x, RL_LOAD_ERR_VALIDATE, NULL, "out of memory");
	m->visibility = x->c->cur_index++;
	return 0;
}

/* Define (in place) or append; consumes name and cond. */
static int
cl_macro_store(struct rd_ctx *x, char *name, char *cond, struct rl_pos cpos,
    bool append)
{
	struct rl_collector *c = x->c;
	struct cl_macro *m;
	size_t at;
	bool found = rl_names_get(&c->macro_names, name, &at);

	if (found) {
		m = &c->macros[at];
		x->name = m->name;
		free(name);
		if (append)
			return cl_macro_append(x, m, cond);
		free(m->cond);
	} else if (append) {
		rd_err(x, RL_LOAD_ERR_VALIDATE, NULL, "Macro uses 'append' "
		    "or 'override.condition: append' but no macro by that name "
		    "already exists");
		goto fail;
	} else {
		if (rl_grow((void **)&c->macros, &c->cap_macros, c->n_macros,
		    sizeof(*c->macros)) < 0 ||
		    rl_names_put(&c->macro_names, name, c->n_macros) < 0) {
			rd_err(x, RL_LOAD_ERR_VALIDATE, NULL, "out of memory");
			goto fail;
		}
		m = &c->macros[c->n_macros++];
		memset(m, 0, sizeof(*m));
		m->name = name;
		m->index = c->cur_index;
	}
	m->cond = cond;
	m->pos = x->item_pos;
	m->cond_pos = cpos;
	m->visibility = c->cur_index++;
	return 0;
fail:
	x->name = "";
	free(name);
	free(cond);
	return -1;
}

int
rd_macro(struct rd_ctx *x, const struct rl_ynode *item)
{
	static const char *const ovk[] = { "condition", NULL };
	char *name = NULL, *cond = NULL;
	struct rl_pos cpos;
	bool append;

	x->kind = RL_ITEM_MACRO;
	if (rd_named_head(x, item, "macro", macro_keys, &name) < 0)
		return -1;
	if (rd_str(x, item, "condition", false, &cond) < 0 ||
	    rd_append_mode(x, item, ovk, &append) < 0) {
		x->name = "";
		free(name);
		free(cond);
		return -1;
	}
	cpos = rd_pos(x, rl_ymap_get(item, "condition"));
	return cl_macro_store(x, name, cond, cpos, append);
}
