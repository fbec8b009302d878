/*
 * check_rule_loader_rules.c - rules: append/override/redefinition and
 * metadata (falco.md §6.6), versions, items, and whole files.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "rl_test.h"

#define FIXTURES	TOP_SRCDIR "/tests/fixtures/rules"
#define UPSTREAM	FIXTURES "/upstream"

#define RULE_BASE(cond, prio) "- rule: legit_rule\n" \
	"  desc: legit rule description\n  condition: " cond "\n" \
	"  output: user=%user.name command=%proc.cmdline file=%fd.name\n" \
	"  priority: " prio "\n"
#define WARNING_APPEND "'append' key is deprecated. Add an 'append' entry " \
	"(e.g. 'condition: append') under 'override' instead."
#define WARNING_ENABLED "The standalone 'enabled' key usage is deprecated. " \
	"The correct approach requires also a 'replace' entry under the " \
	"'override' key (i.e. 'enabled: replace')."

START_TEST(test_r1_override_append)
{
	struct rl_collector *c = t_load(RULE_BASE("evt.type=open", "INFO")
	    "- rule: legit_rule\n  desc: with append\n"
	    "  condition: and proc.name = cat\n  output: proc=%proc.name\n"
	    "  override:\n    desc: append\n    condition: append\n"
	    "    output: append\n");
	const struct rl_rule *r = t_rule(c, "legit_rule");

	ck_assert_uint_eq(rl_result(c)->n_diags, 0);
	ck_assert_str_eq(r->cond, "evt.type=open and proc.name = cat");
	ck_assert_str_eq(r->output, "user=%user.name command=%proc.cmdline "
	    "file=%fd.name proc=%proc.name");
	ck_assert_str_eq(r->desc, "legit rule description with append");
	ck_assert_int_eq(r->priority, RL_PRIO_INFORMATIONAL);
	rl_collector_free(c);
}
END_TEST

START_TEST(test_r2_append_flag)
{
	struct rl_collector *c = t_load(RULE_BASE("evt.type=open", "INFO")
	    "- rule: legit_rule\n  condition: and proc.name = cat\n"
	    "  output: ignored\n  append: true\n");
	const struct rl_diag *w = t_diag(c, RL_LOAD_DEPRECATED_ITEM, NULL);

	ck_assert_str_eq(w->msg, WARNING_APPEND);
	ck_assert_uint_eq(w->item_pos.line, 6);
	ck_assert_str_eq(t_rule(c, "legit_rule")->cond,
	    "evt.type=open and proc.name = cat");
	ck_assert_str_eq(t_rule(c, "legit_rule")->output,
	    "user=%user.name command=%proc.cmdline file=%fd.name");
	rl_collector_free(c);
}
END_TEST

START_TEST(test_r3_override_append_replace)
{
	struct rl_collector *c = t_load(RULE_BASE("evt.type = close", "INFO")
	    "- rule: legit_rule\n  desc: a replaced legit description\n"
	    "  condition: and proc.name = cat\n  priority: WARNING\n"
	    "  override:\n    desc: replace\n    condition: append\n"
	    "    priority: replace\n");
	const struct rl_rule *r = t_rule(c, "legit_rule");

	ck_assert_uint_eq(rl_result(c)->n_diags, 0);
	ck_assert_str_eq(r->cond, "evt.type = close and proc.name = cat");
	ck_assert_str_eq(r->desc, "a replaced legit description");
	ck_assert_str_eq(rl_priority_name(r->priority), "Warning");
	rl_collector_free(c);
}
END_TEST

START_TEST(test_r4_priority_cannot_append)
{
	struct rl_collector *c = t_load(RULE_BASE("evt.type = close", "INFO")
	    "- rule: legit_rule\n  desc: x\n  condition: and proc.name = cat\n"
	    "  priority: WARNING\n  override:\n    desc: replace\n"
	    "    condition: append\n    priority: append\n");
	const struct rl_diag *e = t_error(c);

	ck_assert_int_eq(e->code, RL_LOAD_ERR_YAML_VALIDATE);
	ck_assert_str_eq(e->msg, "Key 'priority' cannot be appended to, use "
	    "'replace' instead");
	ck_assert_uint_eq(e->pos.line, 13);
	ck_assert_uint_eq(e->pos.col, 5);
	rl_collector_free(c);
	t_expect_error(RULE_BASE("a", "INFO") "- rule: legit_rule\n"
	    "  source: x\n  override:\n    source: replace\n",
	    RL_LOAD_ERR_YAML_VALIDATE, "Key 'source' cannot be replaced");
	t_expect_error(RULE_BASE("a", "INFO") "- rule: legit_rule\n"
	    "  desc: x\n  override:\n    desc: merge\n", RL_LOAD_ERR_YAML_VALIDATE,
	    "Invalid override operation for key 'desc': 'merge'. Allowed "
	    "values are: append replace ");
}
END_TEST

START_TEST(test_r5_append_with_override)
{
	struct rl_collector *c = t_load(RULE_BASE("evt.type = close", "INFO")
	    "- rule: legit_rule\n  condition: and proc.name = cat\n"
	    "  append: true\n  override:\n    condition: append\n");

	ck_assert_str_eq(t_error(c)->msg, "Keys 'override' and 'append: true' "
	    "cannot be used together. Add an 'append' entry (e.g. 'condition: "
	    "append') under 'override' instead.");
	ck_assert_int_eq(t_error(c)->code, RL_LOAD_ERR_YAML_VALIDATE);
	ck_assert_str_eq(t_diag(c, RL_LOAD_DEPRECATED_ITEM, NULL)->msg,
	    WARNING_APPEND);
	rl_collector_free(c);
}
END_TEST

START_TEST(test_r6_update_before_definition)
{
	const char *def = RULE_BASE("evt.type in (open,openat)", "INFO");
	char buf[1024];

	snprintf(buf, sizeof(buf), "- rule: legit_rule\n  condition: and x=1\n"
	    "  override:\n    condition: append\n%s", def);
	t_expect_error(buf, RL_LOAD_ERR_VALIDATE, "Rule uses 'append' or "
	    "'override.<key>: append' but no rule by that name already exists");
	snprintf(buf, sizeof(buf), "- rule: legit_rule\n  condition: and x=1\n"
	    "  append: true\n%s", def);
	t_expect_error(buf, RL_LOAD_ERR_VALIDATE, "Rule uses 'append' or "
	    "'override.<key>: append' but no rule by that name already exists");
	snprintf(buf, sizeof(buf), "- rule: legit_rule\n  condition: x=1\n"
	    "  override:\n    condition: replace\n%s", def);
	t_expect_error(buf, RL_LOAD_ERR_VALIDATE, "An 'override.<key>: replace' "
	    "to a rule was requested but no rule by that name already exists");
	t_expect_error(RULE_BASE("a", "INFO") "- rule: legit_rule\n"
	    "  append: true\n", RL_LOAD_ERR_VALIDATE,
	    "Appended rule must have exceptions or condition property");
}
END_TEST

START_TEST(test_r7_r8_override_key_mismatch)
{
	t_expect_error(RULE_BASE("evt.type = close", "INFO")
	    "- rule: legit_rule\n  desc: x\n  override:\n    desc: replace\n"
	    "    condition: append\n", RL_LOAD_ERR_YAML_VALIDATE, "An append "
	    "override for 'condition' was specified but 'condition' is not "
	    "defined");
	t_expect_error(RULE_BASE("evt.type = close", "INFO")
	    "- rule: legit_rule\n  desc: x\n  condition: and proc.name = cat\n"
	    "  priority: WARNING\n  override:\n    desc: replace\n"
	    "    condition: append\n", RL_LOAD_ERR_YAML_VALIDATE, "Unexpected key "
	    "'priority': no corresponding entry under 'override' is defined.");
}
END_TEST

START_TEST(test_r9_override_enabled)
{
	struct rl_collector *c;

	t_expect_error(RULE_BASE("evt.type = close", "INFO") "  enabled: false\n"
	    "- rule: legit_rule\n  desc: missing enabled key\n"
	    "  condition: and proc.name = cat\n  override:\n    desc: replace\n"
	    "    condition: append\n    enabled: replace\n",
	    RL_LOAD_ERR_YAML_VALIDATE, "An replace override for 'enabled' was "
	    "specified but 'enabled' is not defined");
	c = t_load(RULE_BASE("evt.type = close", "INFO") "  enabled: false\n"
	    "- rule: legit_rule\n  desc: correct override\n"
	    "  condition: and proc.name = cat\n  enabled: true\n  override:\n"
	    "    desc: replace\n    condition: append\n    enabled: replace\n");
	ck_assert_uint_eq(rl_result(c)->n_diags, 0);
	ck_assert(t_rule(c, "legit_rule")->enabled);
	ck_assert_str_eq(t_rule(c, "legit_rule")->desc, "correct override");
	rl_collector_free(c);
}
END_TEST

START_TEST(test_r10_r11_r13_enabled)
{
	struct rl_collector *c = t_load(RULE_BASE("evt.type = close", "INFO")
	    "  enabled: false\n- rule: legit_rule\n  enabled: true\n");

	ck_assert(t_rule(c, "legit_rule")->enabled);
	ck_assert_str_eq(t_diag(c, RL_LOAD_DEPRECATED_ITEM, NULL)->msg,
	    WARNING_ENABLED);
	ck_assert_uint_eq(rl_result(c)->n_diags, 1);
	rl_collector_free(c);
	c = t_load(RULE_BASE("evt.type = close", "INFO") "  enabled: false\n"
	    "- rule: legit_rule\n  condition: and proc.name = cat\n"
	    "  append: true\n  enabled: true\n");
	ck_assert(!t_rule(c, "legit_rule")->enabled);
	ck_assert_str_eq(t_rule(c, "legit_rule")->cond,
	    "evt.type = close and proc.name = cat");
	rl_collector_free(c);
	c = t_load(RULE_BASE("evt.type = close", "INFO") "  enabled: false\n");
	ck_assert_uint_eq(rl_result(c)->n_diags, 0);
	ck_assert_uint_eq(rl_result(c)->n_rules, 1);
	ck_assert(!t_rule(c, "legit_rule")->enabled);
	rl_collector_free(c);
	t_expect_error("- rule: nope\n  enabled: true\n", RL_LOAD_ERR_VALIDATE,
	    "Rule has 'enabled' key but no rule by that name already exists");
}
END_TEST

START_TEST(test_r12_redefinition_keeps_position)
{
	struct rl_collector *c = t_load(RULE_BASE("evt.type = close", "INFO")
	    "  enabled: false\n  tags: [a]\n"
	    "- rule: second\n  desc: d\n  condition: x=1\n  output: o\n"
	    "  priority: DEBUG\n"
	    "- rule: legit_rule\n  desc: redefined rule syntax\n"
	    "  condition: proc.name = cat\n  output: o2\n  priority: WARNING\n");
	const struct rl_result *r = rl_result(c);

	ck_assert_uint_eq(r->n_rules, 2);
	ck_assert_str_eq(r->rules[0].name, "legit_rule");
	ck_assert_str_eq(r->rules[0].cond, "proc.name = cat");
	ck_assert_str_eq(r->rules[0].desc, "redefined rule syntax");
	ck_assert_int_eq(r->rules[0].priority, RL_PRIO_WARNING);
	ck_assert(r->rules[0].enabled);
	ck_assert_uint_eq(r->rules[0].n_tags, 0);
	ck_assert_uint_eq(r->rules[0].pos.line, 13);
	ck_assert_uint_eq(r->rules[0].cond_pos.line, 15);
	ck_assert_uint_eq(r->rules[0].cond_pos.col, 14);
	ck_assert_uint_lt(r->rules[0].index, r->rules[1].index);
	ck_assert_str_eq(r->rules[1].name, "second");
	rl_collector_free(c);
}
END_TEST

START_TEST(test_r14_r15_sources)
{
	static const char *const srcs[] = { "syscall", "k8s_audit", NULL };
	struct rl_options o = { .sources = srcs };
	struct rl_collector *c;

	t_expect_error(RULE_BASE("a", "INFO") RULE_BASE("b", "INFO")
	    "  source: k8s_audit\n", RL_LOAD_ERR_VALIDATE,
	    "Rule has been re-defined with a different source");
	t_expect_error(RULE_BASE("a", "INFO") "- rule: legit_rule\n"
	    "  condition: and b\n  source: k8s_audit\n  append: true\n",
	    RL_LOAD_ERR_VALIDATE, "Rule has been re-defined with a different "
	    "source");
	t_expect_error(RULE_BASE("a", "INFO") "- rule: legit_rule\n"
	    "  condition: b\n  source: k8s_audit\n  override:\n"
	    "    condition: replace\n", RL_LOAD_ERR_VALIDATE,
	    "Rule has been re-defined with a different source");
	c = t_load(RULE_BASE("a", "INFO") "- rule: legit_rule\n"
	    "  condition: and b\n  source:\n  append: true\n"
	    "- rule: legit_rule\n  condition: and c\n  source: \"\"\n"
	    "  override:\n    condition: append\n");
	ck_assert_uint_eq(rl_result(c)->n_errors, 0);
	ck_assert_str_eq(t_rule(c, "legit_rule")->cond, "a and b and c");
	rl_collector_free(c);
	/* a source nobody loads: warning, rule left out of the result */
	c = t_load(RULE_BASE("a", "INFO") "  source: aws_cloudtrail\n");
	ck_assert_str_eq(t_diag(c, RL_LOAD_UNKNOWN_SOURCE, NULL)->msg,
	    "Unknown source aws_cloudtrail, skipping");
	ck_assert_uint_eq(rl_result(c)->n_rules, 0);
	rl_collector_free(c);
	c = t_load_opt(RULE_BASE("a", "INFO") "  source: k8s_audit\n", &o);
	ck_assert_uint_eq(rl_result(c)->n_diags, 0);
	ck_assert_str_eq(t_rule(c, "legit_rule")->source, "k8s_audit");
	rl_collector_free(c);
}
END_TEST

START_TEST(test_r16_unknown_keys)
{
	struct rl_collector *c = t_load("- list: l\n  items: [a]\n  priority: INFO\n"
	    "- macro: m\n  condition: x\n  typo_field: 1\n"
	    RULE_BASE("a", "INFO") "  typo_field: 2\n- what: ever\n");
	const struct rl_result *r = rl_result(c);

	ck_assert_uint_eq(r->n_errors, 0);
	ck_assert_uint_eq(t_count(c, RL_LOAD_UNKNOWN_KEY), 3);
	ck_assert_str_eq(r->diags[0].msg, "Unknown key 'priority'. The key will "
	    "be ignored.");
	ck_assert_str_eq(r->diags[1].msg, "Unknown key 'typo_field'. The key "
	    "will be ignored.");
	ck_assert_str_eq(r->diags[1].item_name, "m");
	ck_assert_int_eq(r->diags[2].item_kind, RL_ITEM_RULE);
	ck_assert_str_eq(r->diags[3].msg, "Unknown top level item");
	ck_assert_int_eq(r->diags[3].code, RL_LOAD_UNKNOWN_ITEM);
	ck_assert_uint_eq(r->diags[3].pos.line, 13);
	rl_collector_free(c);
}
END_TEST

START_TEST(test_r21_engine_version)
{
	struct rl_collector *c = t_load("- required_engine_version: 0.26.0\n"
	    "- required_engine_version: 26\n- required_engine_version: 0.57.0\n");

	ck_assert_uint_eq(rl_result(c)->n_diags, 0);
	ck_assert_str_eq(rl_result(c)->required_engine_version, "0.57.0");
	rl_collector_free(c);
	t_expect_error("- required_engine_version: seven\n",
	    RL_LOAD_ERR_YAML_VALIDATE, "Unable to parse engine version 'seven' "
	    "as a semver string. Expected \"x.y.z\" semver format.");
	t_expect_error("- required_engine_version: 9999999\n",
	    RL_LOAD_ERR_VALIDATE, "Rules require engine version 0.9999999.0, "
	    "but engine version is 0.63.0");
	t_expect_error("- required_engine_version: 0.64.0\n",
	    RL_LOAD_ERR_VALIDATE, "Rules require engine version 0.64.0, but "
	    "engine version is 0.63.0");
	t_expect_error("- required_engine_version: 1.0.0\n",
	    RL_LOAD_ERR_VALIDATE, "Rules require engine version 1.0.0, but "
	    "engine version is 0.63.0");
}
END_TEST

START_TEST(test_plugin_versions)
{
	struct rl_collector *c = t_load("- required_plugin_versions:\n"
	    "  - name: container\n    version: 0.4.0\n"
	    "  - name: k8saudit\n    version: 0.1.0\n    alternatives:\n"
	    "      - name: container\n        version: 0.6.0\n");

	ck_assert(rl_result(c)->finished);
	ck_assert_uint_eq(rl_result(c)->n_diags, 0);
	rl_collector_free(c);
	t_expect_error("- required_plugin_versions:\n"
	    "  - name: container\n    version: 0.7.0\n"
	    "  - name: json\n    version: 0.1.0\n    alternatives:\n"
	    "      - name: container\n        version: 1.0.0\n",
	    RL_LOAD_ERR_VALIDATE, "Plugin requirement not satisfied, must load "
	    "one of: container (>= 0.7.0)Plugin requirement not satisfied, must "
	    "load one of: json (>= 0.1.0), container (>= 1.0.0)");
	t_expect_error("- required_plugin_versions:\n  - name: x\n"
	    "    version: one\n", RL_LOAD_ERR_VALIDATE,
	    "Invalid required version 'one' for plugin 'x'");
	t_expect_error("- required_plugin_versions: container\n",
	    RL_LOAD_ERR_YAML_VALIDATE,
	    "Value of required_plugin_versions must be a sequence");
}
END_TEST

START_TEST(test_r23_missing_keys)
{
	t_expect_error("- rule: r\n  desc: d\n  condition: c\n  priority: INFO\n",
	    RL_LOAD_ERR_YAML_VALIDATE, "Item has no mapping for key 'output'");
	t_expect_error("- macro: m\n", RL_LOAD_ERR_YAML_VALIDATE,
	    "Item has no mapping for key 'condition'");
	t_expect_error("- list: l\n", RL_LOAD_ERR_YAML_VALIDATE,
	    "Item has no mapping for key 'items'");
	t_expect_error("- list:\n  items: [a]\n", RL_LOAD_ERR_YAML_VALIDATE,
	    "Mapping for key 'list' is empty");
	t_expect_error("- list: l\n  items: a\n", RL_LOAD_ERR_YAML_VALIDATE,
	    "Value is not a sequence");
	t_expect_error("- list: l\n  items: [a, [b]]\n", RL_LOAD_ERR_YAML_VALIDATE,
	    "sequence value is not scalar");
	t_expect_error("- macro: m\n  condition: \"\"\n", RL_LOAD_ERR_YAML_VALIDATE,
	    "Value must be non-empty");
	t_expect_error("- macro: [m]\n  condition: x\n", RL_LOAD_ERR_YAML_VALIDATE,
	    "Value is not a scalar value");
	t_expect_error(RULE_BASE("a", "INFO") "  enabled: maybe\n",
	    RL_LOAD_ERR_YAML_VALIDATE, "Can't decode YAML scalar value");
}
END_TEST

START_TEST(test_r24_document_shape)
{
	struct rl_collector *c = t_load("this : is : not : yaml\n");

	ck_assert_int_eq(t_error(c)->code, RL_LOAD_ERR_YAML_PARSE);
	rl_collector_free(c);
	t_expect_error("rule: r\ndesc: d\n", RL_LOAD_ERR_YAML_VALIDATE,
	    "Rules content is not yaml array of objects");
	t_expect_error("just a string\n", RL_LOAD_ERR_YAML_VALIDATE,
	    "Rules content is not yaml");
	t_expect_error("- list: l\n  items: []\n- a scalar\n",
	    RL_LOAD_ERR_YAML_VALIDATE, "Unexpected element type. Each element "
	    "should be a yaml associative array.");
	/* empty documents and null items are skipped */
	c = t_load("---\n---\n- ~\n-\n- list: l\n  items: []\n");
	ck_assert_uint_eq(rl_result(c)->n_diags, 0);
	ck_assert_uint_eq(rl_result(c)->n_lists, 1);
	rl_collector_free(c);
}
END_TEST

START_TEST(test_r28_container_info)
{
	struct rl_collector *c = t_load("- rule: r\n  desc: d\n  condition: x\n"
	    "  output: \"  shell %container.info (id=%container.id)  \"\n"
	    "  priority: INFO\n");
	const struct rl_diag *w = t_diag(c, RL_LOAD_DEPRECATED_ITEM, NULL);

	ck_assert_str_eq(t_rule(c, "r")->output, "shell  (id=%container.id)");
	ck_assert_str_eq(w->msg, "%container.info is deprecated and no more "
	    "useful, and will be dropped by Falco 1.0.0. The container plugin "
	    "will automatically add required fields to the output message.");
	ck_assert_str_eq(w->item_name, "r");
	ck_assert_uint_eq(t_rule(c, "r")->output_pos.line, 4);
	rl_collector_free(c);
}
END_TEST

START_TEST(test_r29_priorities_and_metadata)
{
	static const char *const names[] = { "emergency", "ALERT", "Critical",
	    "error", "warning", "NOTICE", "info", "informational", "Debug" };
	static const int want[] = { 0, 1, 2, 3, 4, 5, 6, 6, 7 };
	struct rl_collector *c = t_load("- rule: r\n  desc: d\n  condition: x\n"
	    "  output: o\n  priority: LOUD\n");
	size_t i;

	ck_assert_str_eq(t_error(c)->msg, "Invalid priority");
	ck_assert_int_eq(t_error(c)->code, RL_LOAD_ERR_YAML_VALIDATE);
	ck_assert_uint_eq(t_error(c)->pos.line, 5);
	ck_assert_uint_eq(t_error(c)->pos.col, 13);
	rl_collector_free(c);
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		ck_assert_int_eq(rl_priority_parse(names[i]), want[i]);
	ck_assert_int_eq(rl_priority_parse("inf"), -1);
	c = t_load("- rule: r\n  desc: d\n  condition: x\n  output: o\n"
	    "  priority: info\n  tags: [b, a, b, T1059]\n  warn_evttypes: false\n"
	    "  skip-if-unknown-filter: yes\n  capture: True\n"
	    "  capture_duration: 5000\n"
	    "- rule: r\n  tags: [c, a]\n  override:\n    tags: append\n");
	const struct rl_rule *r = t_rule(c, "r");
	ck_assert_uint_eq(rl_result(c)->n_diags, 0);
	ck_assert_int_eq(r->priority, RL_PRIO_INFORMATIONAL);
	ck_assert_uint_eq(r->n_tags, 4);
	ck_assert_str_eq(r->tags[0], "T1059");
	ck_assert_str_eq(r->tags[1], "a");
	ck_assert_str_eq(r->tags[2], "b");
	ck_assert_str_eq(r->tags[3], "c");
	ck_assert(!r->warn_evttypes && r->skip_if_unknown_filter && r->capture);
	ck_assert_uint_eq(r->capture_duration, 5000);
	ck_assert_str_eq(r->source, "syscall");
	rl_collector_free(c);
}
END_TEST

/* ---- whole files --------------------------------------------------------- */

static size_t
count_prio(const struct rl_result *r, size_t from, size_t to, int prio)
{
	size_t i, n = 0;

	for (i = from; i < to; i++)
		n += r->rules[i].priority == (enum rl_priority)prio;
	return n;
}

START_TEST(test_upstream_stable)
{
	struct rl_collector *c = rl_collector_new(NULL);
	const struct rl_result *r;
	const struct rl_rule *t;

	ck_assert_int_eq(rl_load_file(c, UPSTREAM "/falco_rules.yaml"), 0);
	ck_assert_int_eq(rl_finish(c), 0);
	r = rl_result(c);
	ck_assert_uint_eq(r->n_diags, 0);
	ck_assert_uint_eq(r->n_rules, 25);
	ck_assert_uint_eq(r->n_macros, 87);
	ck_assert_uint_eq(r->n_lists, 49);
	ck_assert_str_eq(r->required_engine_version, "0.57.0");
	ck_assert_uint_eq(count_prio(r, 0, 25, RL_PRIO_WARNING), 14);
	ck_assert_uint_eq(count_prio(r, 0, 25, RL_PRIO_NOTICE), 7);
	ck_assert_uint_eq(count_prio(r, 0, 25, RL_PRIO_CRITICAL), 3);
	ck_assert_uint_eq(count_prio(r, 0, 25, RL_PRIO_INFORMATIONAL), 1);
	ck_assert_str_eq(r->rules[0].name, "Directory traversal monitored file read");
	t = t_rule(c, "Terminal shell in container");
	ck_assert_str_eq(t->pos.file, UPSTREAM "/falco_rules.yaml");
	ck_assert_uint_eq(t->pos.line, 713);
	ck_assert_uint_eq(t->pos.col, 3);
	ck_assert_str_eq(t_macro(c, "spawned_process")->cond,
	    "(evt.type in (execve, execveat))");
	ck_assert_str_eq(t_macro(c, "shell_procs")->cond,
	    "(proc.name in ( ash, bash, csh, ksh, sh, tcsh, zsh, dash ))");
	rl_emit_unused_warnings(c);
	/* nothing marked the macros used: all 87 reported; every list is used */
	ck_assert_uint_eq(t_count(c, RL_LOAD_UNUSED_MACRO), 87);
	ck_assert_uint_eq(t_count(c, RL_LOAD_UNUSED_LIST), 0);
	rl_collector_free(c);
}
END_TEST

START_TEST(test_upstream_all_three)
{
	struct rl_collector *c = rl_collector_new(NULL);
	const struct rl_result *r;
	size_t i, enabled = 0;

	ck_assert_int_eq(rl_load_file(c, UPSTREAM "/falco_rules.yaml"), 0);
	ck_assert_int_eq(rl_load_file(c, UPSTREAM "/falco-incubating_rules.yaml"), 0);
	ck_assert_int_eq(rl_load_file(c, UPSTREAM "/falco-sandbox_rules.yaml"), 0);
	ck_assert_int_eq(rl_finish(c), 0);
	r = rl_result(c);
	ck_assert_uint_eq(r->n_diags, 0);
	/* no rule name repeats across the files: 25 + 31 + 37; macros and
	 * lists re-declared by later files are redefined in place: 352 - 37
	 * macros and 163 - 45 lists */
	ck_assert_uint_eq(r->n_rules, 93);
	ck_assert_uint_eq(r->n_macros, 315);
	ck_assert_uint_eq(r->n_lists, 118);
	for (i = 0; i < r->n_rules; i++)
		enabled += r->rules[i].enabled;
	ck_assert_uint_eq(enabled, 81);
	ck_assert_uint_eq(count_prio(r, 25, 56, RL_PRIO_NOTICE), 19);
	ck_assert_uint_eq(count_prio(r, 56, 93, RL_PRIO_CRITICAL), 10);
	ck_assert_str_eq(r->rules[25].pos.file,
	    UPSTREAM "/falco-incubating_rules.yaml");
	ck_assert_str_eq(r->rules[56].pos.file, UPSTREAM "/falco-sandbox_rules.yaml");
	/* a redefined stable macro keeps its slot but points at the last file */
	ck_assert_str_eq(r->macros[0].pos.file, UPSTREAM "/falco-sandbox_rules.yaml");
	rl_collector_free(c);
}
END_TEST

START_TEST(test_error_position_in_second_file)
{
	struct rl_collector *c = rl_collector_new(NULL);
	const struct rl_diag *e;

	ck_assert_int_eq(rl_load_file(c, UPSTREAM "/falco_rules.yaml"), 0);
	ck_assert_int_eq(rl_load_file(c, FIXTURES "/custom_bad.yaml"), -1);
	ck_assert_int_eq(rl_load_file(c, UPSTREAM "/falco_rules.yaml"), -1);
	ck_assert_int_eq(rl_finish(c), -1);
	e = t_error(c);
	ck_assert_uint_eq(rl_result(c)->n_diags, 1);
	ck_assert_str_eq(rl_code_name(e->code), "LOAD_ERR_YAML_VALIDATE");
	ck_assert_str_eq(rl_code_desc(e->code),
	    "Error validating internal structure of YAML file");
	ck_assert_str_eq(e->msg, "Key 'priority' cannot be appended to, use "
	    "'replace' instead");
	ck_assert_str_eq(e->pos.file, FIXTURES "/custom_bad.yaml");
	ck_assert_uint_eq(e->pos.line, 7);
	ck_assert_uint_eq(e->pos.col, 5);
	ck_assert_str_eq(rl_item_kind_name(e->item_kind), "rule");
	ck_assert_str_eq(e->item_name, "Terminal shell in container");
	ck_assert_uint_eq(e->item_pos.line, 2);
	ck_assert_uint_eq(e->item_pos.col, 3);
	rl_collector_free(c);
}
END_TEST

START_TEST(test_directory_and_read_errors)
{
	struct rl_collector *c = rl_collector_new(NULL);
	const struct rl_rule *r;

	/* a.yml defines the list, b.yaml appends: only works in name order;
	 * c.txt (not YAML) is ignored */
	ck_assert_int_eq(rl_load_path(c, FIXTURES "/dir"), 0);
	ck_assert_int_eq(rl_finish(c), 0);
	r = t_rule(c, "dir rule");
	ck_assert_str_eq(r->cond, "proc.name in ( one, two )");
	ck_assert_str_eq(r->pos.file, FIXTURES "/dir/b.yaml");
	rl_collector_free(c);
	c = rl_collector_new(NULL);
	ck_assert_int_eq(rl_load_path(c, FIXTURES "/nonexistent.yaml"), -1);
	ck_assert_int_eq(t_error(c)->code, RL_LOAD_ERR_FILE_READ);
	ck_assert_str_eq(t_error(c)->msg, "Could not read rules file "
	    FIXTURES "/nonexistent.yaml: No such file or directory");
	rl_collector_free(c);
}
END_TEST

START_TEST(test_add_diag_and_names)
{
	struct rl_collector *c = t_load(RULE_BASE("a", "INFO"));
	struct rl_diag d = { .code = RL_LOAD_ERR_COMPILE_CONDITION,
	    .msg = (char *)"unexpected token", .item_kind = RL_ITEM_RULE,
	    .item_name = (char *)"legit_rule" };
	char file[] = "rules.yaml";

	d.pos.file = file;
	d.pos.line = 3;
	d.item_pos.file = file;
	ck_assert_int_eq(rl_add_diag(c, &d), 0);
	file[0] = 'X';
	ck_assert_str_eq(rl_result(c)->diags[0].pos.file, "rules.yaml");
	ck_assert_uint_eq(rl_result(c)->n_errors, 1);
	ck_assert_str_eq(rl_code_name(RL_LOAD_UNKNOWN_KEY), "LOAD_UNKNOWN_KEY");
	ck_assert_str_eq(rl_code_desc(RL_LOAD_UNUSED_LIST), "Unused list");
	ck_assert(!rl_code_is_error(RL_LOAD_UNKNOWN_SOURCE));
	ck_assert_str_eq(rl_priority_name(RL_PRIO_INFORMATIONAL), "Informational");
	ck_assert_int_eq(rl_load_buffer(c, "more.yaml", "- list: l\n  items: []\n",
	    22), -1);
	rl_collector_free(c);
}
END_TEST

TCase *
tc_rule_loader_rules(void)
{
	TCase *tc = tcase_create("rules");

	tcase_add_test(tc, test_r1_override_append);
	tcase_add_test(tc, test_r2_append_flag);
	tcase_add_test(tc, test_r3_override_append_replace);
	tcase_add_test(tc, test_r4_priority_cannot_append);
	tcase_add_test(tc, test_r5_append_with_override);
	tcase_add_test(tc, test_r6_update_before_definition);
	tcase_add_test(tc, test_r7_r8_override_key_mismatch);
	tcase_add_test(tc, test_r9_override_enabled);
	tcase_add_test(tc, test_r10_r11_r13_enabled);
	tcase_add_test(tc, test_r12_redefinition_keeps_position);
	tcase_add_test(tc, test_r14_r15_sources);
	tcase_add_test(tc, test_r16_unknown_keys);
	tcase_add_test(tc, test_r21_engine_version);
	tcase_add_test(tc, test_plugin_versions);
	tcase_add_test(tc, test_r23_missing_keys);
	tcase_add_test(tc, test_r24_document_shape);
	tcase_add_test(tc, test_r28_container_info);
	tcase_add_test(tc, test_r29_priorities_and_metadata);
	return tc;
}

TCase *
tc_rule_loader_files(void)
{
	TCase *tc = tcase_create("files");

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_upstream_stable);
	tcase_add_test(tc, test_upstream_all_three);
	tcase_add_test(tc, test_error_position_in_second_file);
	tcase_add_test(tc, test_directory_and_read_errors);
	tcase_add_test(tc, test_add_diag_and_names);
	return tc;
}
