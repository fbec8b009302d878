/*
 * fuzz_rules.c - libFuzzer target for the rules loader and the rule
 * engine: the YAML tree, item collection with list/macro/exception
 * semantics (append, override, enabled-only items, version checks),
 * condition parsing, macro resolution, compilation, output compilation,
 * event-type indexing, and matching with alert formatting.
 *
 * The input is one rules file.  It is written to a file in a temporary
 * directory of this process (rule_engine_load takes paths) and loaded
 * with the default options, every rule matching.  Whatever the outcome,
 * the diagnostics are walked.  When loading succeeds, three fixed events
 * (execve, openat, connect) go through a fresh matcher, and every alert
 * is formatted as text and as JSON; the JSON must parse back as a JSON
 * object, or it aborts.
 *
 * Users come from a fixed passwd/group in the same directory and the
 * hostname from FALCONET_HOSTNAME, so a run does not depend on the
 * machine.  Built by `make fuzz` (Makefile.am, block "fuzzing"); seeds
 * are in fuzz/corpus/rules/.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/buf.h"
#include "outputs/alert.h"
#include "rules/engine.h"

#include "fuzz_util.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_ALERT_MAX	(4u << 20)

static struct fc_event events[FUZZ_NEVENTS];
static struct rule_engine_opts opts;
static const char *rules_path;
static struct fc_buf line;
static int ready;

static void
setup(void)
{
	static const char passwd[] = "root:x:0:0:root:/root:/bin/bash\n"
	    "www-data:x:33:33:www-data:/var/www:/usr/sbin/nologin\n"
	    "alice:x:1000:1000:Alice:/home/alice:/bin/zsh\n";
	static const char group[] = "root:x:0:\nshadow:x:42:\n"
	    "www-data:x:33:\nalice:x:1000:\n";

	if (setenv("FALCONET_HOSTNAME", "fuzzhost", 1) != 0)
		abort();
	fuzz_events_build(events);
	rule_engine_opts_defaults(&opts);
	opts.match_all = true;
	opts.passwd_path = fuzz_tmpfile("passwd", passwd, sizeof(passwd) - 1);
	opts.group_path = fuzz_tmpfile("group", group, sizeof(group) - 1);
	fc_buf_init(&line, FUZZ_ALERT_MAX);
	ready = 1;
}

/* Touch every byte of every diagnostic, as a report would. */
static void
walk_result(const struct rl_result *res)
{
	size_t i, sum = 0;

	for (i = 0; i < res->n_diags; i++) {
		const struct rl_diag *d = &res->diags[i];
		sum += strlen(d->msg) + strlen(d->item_name) +
		    strlen(rl_code_name(d->code)) +
		    strlen(rl_item_kind_name(d->item_kind));
		if (d->pos.file != NULL)
			sum += strlen(d->pos.file);
	}
	if (res->n_errors > res->n_diags)
		abort();
	(void)sum;
}

static void
walk_rules(const struct rule_engine *e)
{
	struct evt_set sc;
	size_t i, n = rule_engine_nrules(e), sum = 0;

	for (i = 0; i < n; i++) {
		const struct rule_info *ri = rule_engine_rule(e, i);
		sum += strlen(ri->src->name) + strlen(ri->src->cond) +
		    strlen(ri->src->output);
		if (!ri->enabled && ri->disabled_reason == NULL)
			abort();
	}
	rule_engine_syscalls(e, &sc);
	(void)sum;
}

static void
on_alert(const struct fc_alert *a, void *arg)
{
	struct fc_alert_format fmt;
	json_error_t err;
	json_t *v;

	(void)arg;
	fc_alert_format_defaults(&fmt);
	fc_buf_reset(&line);
	fc_alert_format(a, &fmt, &line);

	fmt.json = true;
	fmt.iso8601 = true;
	fmt.include_output = fmt.include_output_fields = true;
	fmt.include_tags = fmt.include_message = true;
	fc_buf_reset(&line);
	fc_alert_format(a, &fmt, &line);
	if (line.overflow)
		return;
	v = json_loadb(line.p, line.len, JSON_ALLOW_NUL, &err);
	if (v == NULL || !json_is_object(v))
		abort();
	json_decref(v);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rule_matcher *m;
	struct rule_engine *e;
	size_t i;

	if (!ready)
		setup();
	rules_path = fuzz_tmpfile("rules.yaml", data, size);
	if ((e = rule_engine_load(&rules_path, 1, &opts)) == NULL)
		return 0;
	walk_result(rule_engine_result(e));
	if (rule_engine_ok(e)) {
		walk_rules(e);
		if ((m = rule_matcher_new(e)) != NULL) {
			for (i = 0; i < FUZZ_NEVENTS; i++)
				rule_matcher_eval(m, &events[i], on_alert,
				    NULL);
			rule_matcher_free(m);
		}
	}
	rule_engine_free(e);
	return 0;
}
