/*
 * agent_gen.c - build one generation of configuration, rules and outputs.
 *
 * Called at start-up and on every SIGHUP.  Everything is built off to the
 * side; the caller swaps it in only when all of it loaded, so a broken
 * configuration or rules file keeps the running generation (bgpd's way).
 * Errors are written into err (one line per problem, file:line:col).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent/agent_int.h"
#include "core/log.h"

#define MAX_RULE_FILES	256

/* A setting nothing reads: say so rather than ignore it in silence. */
static void
unknown_key(const char *key, const char *where, void *arg)
{
	(void)arg;
	log_warnx("%s: unknown setting '%s' (etc/falconet.yaml documents "
	    "every setting): ignored", where, key);
}

static struct fc_conf *
load_conf(const struct agent_opts *o, char *err, size_t errlen)
{
	struct fc_conf *c = conf_new();
	size_t i;

	if (c == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	if (o->config_path != NULL &&
	    conf_load_file(c, o->config_path, err, errlen) != 0)
		goto bad;
	for (i = 0; i < o->noverrides; i++)
		if (conf_set_option(c, o->overrides[i], err, errlen) != 0)
			goto bad;
	(void)conf_unknown(c, unknown_key, NULL);
	return c;
bad:
	conf_free(c);
	return NULL;
}

static void
read_format(struct fc_conf *c, struct fc_alert_format *f)
{
	fc_alert_format_defaults(f);
	f->json = conf_bool(c, "json_output", false);
	f->iso8601 = conf_bool(c, "time_format_iso_8601", false);
	f->include_output = conf_bool(c, "json_include_output_property", true);
	f->include_output_fields = conf_bool(c,
	    "json_include_output_fields_property", true);
	f->include_tags = conf_bool(c, "json_include_tags_property", true);
	f->include_message = conf_bool(c, "json_include_message_property",
	    false);
}

/* Append every error diagnostic of the rules load to err. */
static void
rules_errors(const struct rule_engine *e, char *err, size_t errlen)
{
	const struct rl_result *res = rule_engine_result(e);
	size_t i, off = strlen(err);
	const struct rl_diag *d;

	for (i = 0; i < res->n_diags && off < errlen; i++) {
		d = &res->diags[i];
		if (!rl_code_is_error(d->code))
			continue;
		off += (size_t)snprintf(err + off, errlen - off,
		    "%s%s:%u:%u: %s: %s", off ? "\n" : "",
		    d->pos.file ? d->pos.file : "rules", d->pos.line,
		    d->pos.col, rl_code_name(d->code), d->msg);
	}
}

static struct rule_engine *
load_rules(struct agent *a, struct fc_conf *c, char *err, size_t errlen)
{
	const char *paths[MAX_RULE_FILES];
	struct rule_engine_opts ro;
	struct rule_engine *e;
	const char *pri, *m;
	size_t n;

	rule_engine_opts_defaults(&ro);
	m = conf_str(c, "rule_matching", "first");
	if (strcmp(m, "all") == 0)
		ro.match_all = true;
	else if (strcmp(m, "first") != 0)
		conf_error(c, "rule_matching", "expected first or all, got '%s'",
		    m);
	pri = conf_str(c, "priority", "debug");
	if ((ro.min_priority = fc_priority_parse(pri, strlen(pri))) < 0) {
		conf_error(c, "priority", "unknown priority '%s'", pri);
		ro.min_priority = FC_PRI_DEBUG;
	}
	ro.strict = conf_bool(c, "rules_strict", false);
	ro.suggested_output = conf_bool(c, "append_output_suggested", true);
	ro.builtin_name = "builtin:falconet_rules.yaml";
	ro.builtin_text = fc_builtin_rules;
	ro.builtin_len = fc_builtin_rules_len;
	if (a->opts.nrules > 0) {
		n = a->opts.nrules < MAX_RULE_FILES ? a->opts.nrules :
		    MAX_RULE_FILES;
		memcpy(paths, a->opts.rules, n * sizeof(paths[0]));
	} else {
		n = conf_list(c, "rules_files", paths, MAX_RULE_FILES);
	}
	if ((e = rule_engine_load(paths, n, &ro)) == NULL) {
		snprintf(err, errlen, "out of memory loading rules");
		return NULL;
	}
	if (!rule_engine_ok(e)) {
		rules_errors(e, err, errlen);
		rule_engine_free(e);
		return NULL;
	}
	return e;
}

static int
conf_errors(struct fc_conf *c, char *err, size_t errlen)
{
	size_t i, off = strlen(err);

	for (i = 0; i < conf_nerrors(c) && off < errlen; i++)
		off += (size_t)snprintf(err + off, errlen - off, "%s%s",
		    off ? "\n" : "", conf_error_msg(c, i));
	return conf_nerrors(c) > 0 ? -1 : 0;
}

struct agent_gen *
agent_gen_load(struct agent *a, char *err, size_t errlen)
{
	struct out_hooks hooks = { .ctx = a, .alert = agent_internal_alert };
	struct agent_gen *g = calloc(1, sizeof(*g));

	err[0] = '\0';
	if (g == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	if ((g->conf = load_conf(&a->opts, err, errlen)) == NULL)
		goto bad;
	read_format(g->conf, &g->fmt);
	if ((g->engine = load_rules(a, g->conf, err, errlen)) == NULL)
		goto bad;
	if (!a->opts.check_only &&
	    (g->outs = out_set_new(g->conf, &hooks)) == NULL) {
		snprintf(err, errlen, "cannot set up the output channels");
		goto bad;
	}
	if (conf_errors(g->conf, err, errlen) != 0)
		goto bad;
	return g;
bad:
	agent_gen_free(g);
	return NULL;
}

void
agent_gen_free(struct agent_gen *g)
{
	if (g == NULL)
		return;
	out_set_free(g->outs);
	rule_engine_free(g->engine);
	conf_free(g->conf);
	free(g);
}
