/*
 * cmd_validate.c - `falconet validate -r FILE|DIR ... [-L]`.
 *
 * Loads the rules files as the agent would (in the order given, into one
 * rule set) and reports each path the way `falco -V` does: "PATH: Ok",
 * "PATH: Ok, with warnings" or "PATH: Invalid", followed by every error
 * and warning with file:line:col, the item it is about, a snippet of the
 * offending line and Falco's code.  -L also describes the loaded rules and
 * the syscalls the kernel would have to report for them.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "rules/engine.h"
#include "rules/fields.h"

#define MAX_PATHS	256

static void
validate_usage(FILE *f)
{
	fprintf(f,
	    "usage: falconet validate [-L] [-s] -r FILE|DIR [-r FILE|DIR]...\n"
	    "\n"
	    "Load Falco rules files (a directory: its .yaml/.yml files in\n"
	    "alphabetical order) in the order given and report, per path:\n"
	    "'PATH: Ok', 'PATH: Ok, with warnings' or 'PATH: Invalid', then\n"
	    "each error and warning with file:line:col and Falco's code.\n"
	    "\n"
	    "  -r PATH        a rules file or directory (repeatable)\n"
	    "  -L             also describe the loaded rules and the syscalls\n"
	    "                 the kernel must report for them\n"
	    "  -s, --strict   a field falconet cannot supply is an error\n"
	    "                 (default: the rule loads disabled, with a warning)\n"
	    "\n"
	    "Exit status: 0 when every file is valid, 1 when one is invalid,\n"
	    "2 on usage errors.\n");
}

/* Print the source line of pos with a caret under its column. */
static void
print_snippet(const struct rl_pos *pos)
{
	char *line = NULL;
	size_t cap = 0;
	unsigned n = 0, i;
	ssize_t len = -1;
	FILE *f;

	if (pos->file == NULL || pos->line == 0 ||
	    (f = fopen(pos->file, "r")) == NULL)
		return;
	while (n < pos->line && (len = getline(&line, &cap, f)) >= 0)
		n++;
	fclose(f);
	if (n == pos->line && len >= 0) {
		line[strcspn(line, "\n")] = '\0';
		printf("------\n%s\n", line);
		for (i = 1; i < pos->col; i++)
			putchar(' ');
		printf("^\n------\n");
	}
	free(line);
}

static bool
diag_in(const struct rl_diag *d, const char *path)
{
	size_t n = strlen(path);

	return d->pos.file != NULL && strncmp(d->pos.file, path, n) == 0 &&
	    (d->pos.file[n] == '\0' || d->pos.file[n] == '/' ||
	    path[n - 1] == '/');
}

static void
print_diags(const struct rl_result *res, const char *path, bool errors)
{
	const struct rl_diag *d;
	size_t i, n = 0;

	for (i = 0; i < res->n_diags; i++)
		if (diag_in(&res->diags[i], path) &&
		    rl_code_is_error(res->diags[i].code) == errors)
			n++;
	if (n == 0)
		return;
	printf("%zu %s:\n", n, errors ? "Errors" : "Warnings");
	for (i = 0; i < res->n_diags; i++) {
		d = &res->diags[i];
		if (!diag_in(d, path) || rl_code_is_error(d->code) != errors)
			continue;
		printf("%s:%u:%u: %s", d->pos.file, d->pos.line, d->pos.col,
		    rl_item_kind_name(d->item_kind));
		if (d->item_name != NULL && d->item_name[0] != '\0')
			printf(" '%s'", d->item_name);
		printf("\n");
		print_snippet(&d->pos);
		printf("%s (%s): %s\n", rl_code_name(d->code),
		    rl_code_desc(d->code), d->msg);
	}
}

static bool
report_path(const struct rl_result *res, const char *path)
{
	size_t i, nerr = 0, nwarn = 0;

	for (i = 0; i < res->n_diags; i++) {
		if (!diag_in(&res->diags[i], path))
			continue;
		if (rl_code_is_error(res->diags[i].code))
			nerr++;
		else
			nwarn++;
	}
	printf("%s: %s\n", path, nerr ? "Invalid" : nwarn ?
	    "Ok, with warnings" : "Ok");
	print_diags(res, path, true);
	print_diags(res, path, false);
	return nerr == 0;
}

static void
print_types(const struct evt_set *s)
{
	size_t i, n = evt_type_count(), c = evt_set_count(s);

	if (s->all || c > 20) {
		printf("%zu event types%s", c, s->all ? " (all)" : "");
		return;
	}
	for (i = 0; i < n; i++)
		if (evt_set_has(s, (int)i))
			printf("%s%s", evt_type_name((int)i),
			    --c > 0 ? "," : "");
}

static void
describe(const struct rule_engine *e)
{
	size_t i, n = rule_engine_nrules(e), nt = evt_type_count(), en = 0;
	static char paths[64][RULE_PATH_MAX];
	const struct rule_info *ri;
	struct evt_set sys;
	size_t npaths;

	printf("\nRules (%zu loaded):\n", n);
	for (i = 0; i < n; i++) {
		ri = rule_engine_rule(e, i);
		en += ri->enabled;
		printf("  %s [%s] %s:%u: %s; types: ", ri->src->name,
		    rl_priority_name(ri->src->priority), ri->src->pos.file,
		    ri->src->pos.line, ri->enabled ? "enabled" :
		    ri->disabled_reason ? ri->disabled_reason : "disabled");
		print_types(&ri->types);
		printf("\n");
	}
	npaths = rule_engine_paths(e, paths, 64);
	printf("\nPaths the rules name (fanotify marks when enabled):");
	for (i = 0; i < npaths; i++)
		printf(" %s", paths[i]);
	printf("\n");
	rule_engine_syscalls(e, &sys);
	printf("\n%zu of %zu rules enabled. Syscalls the kernel must report "
	    "(%zu):", en, n, evt_set_count(&sys));
	for (i = 0; i < nt; i++)
		if (evt_set_has(&sys, (int)i))
			printf(" %s", evt_type_name((int)i));
	printf("\n");
}

int
cmd_validate(int argc, char **argv)
{
	const char *paths[MAX_PATHS];
	struct rule_engine_opts o;
	struct rule_engine *e;
	size_t npaths = 0, i;
	bool list = false, ok = true;
	int a;

	rule_engine_opts_defaults(&o);
	for (a = 1; a < argc; a++) {
		if (!strcmp(argv[a], "-h") || !strcmp(argv[a], "--help")) {
			validate_usage(stdout);
			return 0;
		} else if (!strcmp(argv[a], "-L")) {
			list = true;
		} else if (!strcmp(argv[a], "-s") || !strcmp(argv[a], "--strict")) {
			o.strict = true;
		} else if (!strcmp(argv[a], "-r") && a + 1 < argc &&
		    npaths < MAX_PATHS) {
			paths[npaths++] = argv[++a];
		} else {
			fprintf(stderr, "falconet: validate: unexpected argument "
			    "'%s'\n", argv[a]);
			validate_usage(stderr);
			return 2;
		}
	}
	if (npaths == 0) {
		validate_usage(stderr);
		return 2;
	}
	if ((e = rule_engine_load(paths, npaths, &o)) == NULL) {
		fprintf(stderr, "falconet: out of memory\n");
		return 1;
	}
	for (i = 0; i < npaths; i++)
		ok = report_path(rule_engine_result(e), paths[i]) && ok;
	if (!rule_engine_ok(e))
		ok = false;
	if (list && ok)
		describe(e);
	rule_engine_free(e);
	return ok ? 0 : 1;
}

int
cmd_list_fields(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	printf("Fields falconet rules can use (LATER: known, supplied once the\n"
	    "process table and container enrichment run; UNSUPPORTED: a rule\n"
	    "using it loads disabled):\n\n");
	fld_list(stdout);
	return 0;
}
