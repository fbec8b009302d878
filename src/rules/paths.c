/*
 * paths.c - the file paths the enabled rules name, for fanotify marks.
 *
 * Walks every enabled rule's compiled filter for checks on path fields
 * (fd.name, fd.directory, fd.nameraw, fs.path.*) against absolute path
 * values, and returns the directories to watch: the value itself for a
 * directory or a prefix, its parent for a file name.  An over-estimate
 * (paths inside exclusions too) only costs a mark; the rules still
 * decide what alerts.
 */
#include "config.h"

#include <string.h>

#include "rules/engine_int.h"
#include "rules/filter_int.h"

struct path_acc {
	char	(*out)[RULE_PATH_MAX];
	size_t	 n, max;
};

static bool
path_field(const struct fopd *o, bool *is_dir)
{
	const char *n;

	if (o->kind != FOPD_FIELD)
		return false;
	n = o->ref.def->name;
	*is_dir = strcmp(n, "fd.directory") == 0;
	return *is_dir || strcmp(n, "fd.name") == 0 ||
	    strcmp(n, "fd.nameraw") == 0 || strncmp(n, "fs.path.", 8) == 0;
}

static void
add_path(struct path_acc *a, const char *p, size_t len)
{
	size_t i;

	while (len > 1 && p[len - 1] == '/')
		len--;
	if (len == 0 || len >= RULE_PATH_MAX || a->n >= a->max)
		return;
	for (i = 0; i < a->n; i++)
		if (strlen(a->out[i]) == len && memcmp(a->out[i], p, len) == 0)
			return;
	memcpy(a->out[a->n], p, len);
	a->out[a->n][len] = '\0';
	a->n++;
}

/* One value: a directory to watch, if it names one. */
static void
value_path(struct path_acc *a, const struct fchk *k, const struct fld_value *v,
    bool is_dir)
{
	const char *s = v->str, *end, *glob;
	size_t len = v->len;

	if (s == NULL || len < 2 || s[0] != '/')
		return;
	/* Only operators that pin down where the file is. */
	if (k->op != RULE_OP_EQ && k->op != RULE_OP_IN &&
	    k->op != RULE_OP_INTERSECTS && k->op != RULE_OP_STARTSWITH &&
	    k->op != RULE_OP_PMATCH && k->op != RULE_OP_GLOB)
		return;
	/* Up to the first wildcard, for glob and pmatch patterns. */
	if ((glob = memchr(s, '*', len)) != NULL)
		len = (size_t)(glob - s);
	if (is_dir || k->op == RULE_OP_STARTSWITH || k->op == RULE_OP_PMATCH ||
	    glob != NULL) {
		end = s + len;
		if (!is_dir && k->op != RULE_OP_PMATCH && end > s && end[-1] != '/')
			while (end > s + 1 && end[-1] != '/')
				end--;
		add_path(a, s, (size_t)(end - s));
		return;
	}
	/* A file name: watch its directory. */
	end = s + len;
	while (end > s + 1 && end[-1] != '/')
		end--;
	add_path(a, s, (size_t)(end - s));
}

static void
walk(const struct fnode *n, struct path_acc *a)
{
	const struct fchk *k;
	bool is_dir;
	size_t i;

	for (i = 0; i < n->n; i++)
		walk(n->kids[i], a);
	if (n->kind != FN_CHECK || (k = n->chk)->rhs != FCHK_VALUES ||
	    !path_field(&k->lhs, &is_dir))
		return;
	for (i = 0; i < k->nvals; i++)
		value_path(a, k, &k->vals[i], is_dir);
}

size_t
rule_engine_paths(const struct rule_engine *e, char (*out)[RULE_PATH_MAX],
    size_t max)
{
	struct path_acc a = { out, 0, max };
	size_t i;

	for (i = 0; i < e->nrules; i++)
		if (e->rules[i].info.enabled && e->rules[i].filter != NULL)
			walk(e->rules[i].filter->root, &a);
	return a.n;
}
