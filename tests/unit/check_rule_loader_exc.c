/*
 * check_rule_loader_exc.c - rule exceptions (falco.md §2.8, §6.7 X1-X25).
 *
 * Falco's tests state the compiled AST printout; here the assertion is
 * the exact condition text Falco builds before parsing (the string that
 * parses into that AST), e.g. for X1
 *   (proc.cmdline contains curl or proc.cmdline contains wget)
 *     and not (( proc.cmdline contains "curl 127.0.0.1"))
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "rl_test.h"

#define BASE_C(cond) "- rule: test_rule\n  desc: test rule\n" \
	"  condition: " cond "\n  output: command=%proc.cmdline\n" \
	"  priority: INFO\n  exceptions:\n"
#define BASE BASE_C("evt.type = open")

/* Load and return the condition of test_rule (asserting no error). */
static const char *
cond_of(struct rl_collector *c)
{
	const struct rl_diag *e = t_error(c);

	ck_assert_msg(e == NULL, "unexpected error: %s", e ? e->msg : "");
	return t_rule(c, "test_rule")->cond;
}

static void
expect_cond(const char *yaml, const char *cond)
{
	struct rl_collector *c = t_load(yaml);

	ck_assert_str_eq(cond_of(c), cond);
	rl_collector_free(c);
}

START_TEST(test_x1_list_form)
{
	struct rl_collector *c = t_load(BASE_C("proc.cmdline contains curl or "
	    "proc.cmdline contains wget")
	    "    - name: test_exception\n      fields: [proc.cmdline]\n"
	    "      comps: [contains]\n      values:\n        - [curl 127.0.0.1]\n");

	ck_assert_str_eq(cond_of(c), "(proc.cmdline contains curl or "
	    "proc.cmdline contains wget) and not (( proc.cmdline contains "
	    "\"curl 127.0.0.1\"))");
	ck_assert_uint_eq(rl_result(c)->n_diags, 0);
	rl_collector_free(c);
}
END_TEST

START_TEST(test_x2_x6_value_forms)
{
	expect_cond(BASE "    - name: e\n      fields: [proc.name]\n"
	    "      comps: [=]\n      values:\n        - [proc.pname]\n",
	    "(evt.type = open) and not (( proc.name = proc.pname))");
	expect_cond(BASE "    - name: e\n      fields: [proc.name]\n"
	    "      comps: [=]\n      values:\n        - [\"proc.pname\"]\n",
	    "(evt.type = open) and not (( proc.name = proc.pname))");
	expect_cond(BASE "    - name: e\n      fields: [proc.name]\n"
	    "      comps: [=]\n      values:\n        - [\"proc.pname \"]\n",
	    "(evt.type = open) and not (( proc.name = \"proc.pname \"))");
	expect_cond(BASE "    - name: e\n      fields: [proc.name]\n"
	    "      comps: [=]\n      values:\n        - [toupper(proc.pname)]\n",
	    "(evt.type = open) and not (( proc.name = toupper(proc.pname)))");
	expect_cond(BASE "    - name: e\n      fields: [proc.name]\n"
	    "      comps: [=]\n      values:\n        - [toupper( proc.pname)]\n",
	    "(evt.type = open) and not (( proc.name = \"toupper( proc.pname)\"))");
	expect_cond(BASE "    - name: e\n      fields: [tolower(proc.name)]\n"
	    "      comps: [=]\n      values:\n        - [test]\n",
	    "(evt.type = open) and not (( tolower(proc.name) = test))");
	expect_cond(BASE "    - name: e\n      fields: [\"tolower( proc.name)\"]\n"
	    "      comps: [=]\n      values:\n        - [test]\n",
	    "(evt.type = open) and not (( tolower( proc.name) = test))");
}
END_TEST

START_TEST(test_x7_scalar_form)
{
	expect_cond(BASE "    - name: proc_cmdline\n      fields: proc.cmdline\n"
	    "      comps: in\n      values: [cat /dev/zero, \"cat /dev/null\"]\n",
	    "(evt.type = open) and not (proc.cmdline in (\"cat /dev/zero\", "
	    "\"cat /dev/null\"))");
}
END_TEST

START_TEST(test_x8_list_value_in_tuple)
{
	expect_cond(BASE "    - name: proc_name_cmdline\n"
	    "      fields: [proc.name, proc.cmdline]\n      comps: [=, in]\n"
	    "      values:\n        - [cat, [cat /dev/zero, \"cat /dev/null\"]]\n",
	    "(evt.type = open) and not (( proc.name = cat and  proc.cmdline in "
	    "(\"cat /dev/zero\", \"cat /dev/null\")))");
}
END_TEST

START_TEST(test_x9_list_name_value)
{
	static const char *const forms[] = { "(cat_cmdlines)", "cat_cmdlines" };
	char buf[1024];
	int i;

	for (i = 0; i < 2; i++) {
		snprintf(buf, sizeof(buf), "- list: cat_cmdlines\n"
		    "  items: [cat /dev/zero, \"cat /dev/null\"]\n%s"
		    "    - name: e\n      fields: [proc.name, proc.cmdline]\n"
		    "      comps: [=, in]\n      values:\n        - [cat, %s]\n",
		    BASE, forms[i]);
		expect_cond(buf, "(evt.type = open) and not (( proc.name = cat and "
		    " proc.cmdline in ( \"cat /dev/zero\", \"cat /dev/null\" )))");
	}
}
END_TEST

START_TEST(test_x10_no_values)
{
	expect_cond(BASE "    - name: e\n      fields: [proc.name, proc.cmdline]\n"
	    "      comps: [=, in]\n    - name: f\n      fields: proc.name\n",
	    "(evt.type = open)");
}
END_TEST

START_TEST(test_x11_append_values)
{
	expect_cond(BASE "    - name: e\n      fields: [proc.name, proc.cmdline]\n"
	    "      comps: [=, in]\n      values:\n        - [cat, [a]]\n"
	    "- rule: test_rule\n  exceptions:\n    - name: e\n      values:\n"
	    "        - [cat, [b, c]]\n  append: true\n"
	    "- rule: test_rule\n  exceptions:\n    - name: e\n      values:\n"
	    "        - [dog, [d]]\n    - name: n\n      fields: fd.name\n"
	    "      values: [/x]\n  override:\n    exceptions: append\n",
	    "(evt.type = open) and not (( proc.name = cat and  proc.cmdline in "
	    "(a)) or ( proc.name = cat and  proc.cmdline in (b, c)) or "
	    "( proc.name = dog and  proc.cmdline in (d))) and not "
	    "(fd.name in (/x))");
}
END_TEST

START_TEST(test_x12_x16_validation)
{
	static const char *const srcs[] = { "syscall", NULL };
	const char *ok = BASE "    - name: e\n      fields: [proc.name]\n"
	    "      values: [[a]]\n";
	struct rl_collector *c;
	char buf[1024];

	snprintf(buf, sizeof(buf), "%s- rule: test_rule\n  exceptions:\n"
	    "    - name: other\n      values: [[x]]\n  append: true\n", ok);
	t_expect_error(buf, RL_LOAD_ERR_VALIDATE, "Rule exception must have "
	    "fields property with a list of fields");
	snprintf(buf, sizeof(buf), "%s- rule: test_rule\n  exceptions:\n"
	    "    - name: e\n      fields: [proc.name]\n      values: [[x]]\n"
	    "  append: true\n", ok);
	t_expect_error(buf, RL_LOAD_ERR_VALIDATE, "Can not append exception "
	    "fields to existing exception, only values");
	snprintf(buf, sizeof(buf), "%s- rule: test_rule\n  exceptions:\n"
	    "    - name: other\n      fields: [proc.name]\n  append: true\n", ok);
	t_expect_error(buf, RL_LOAD_ERR_VALIDATE, "Rule exception must have "
	    "values property with a list of values");
	t_expect_error(BASE "    - name: e\n      fields: [proc.name, fd.name]\n"
	    "      comps: [=]\n", RL_LOAD_ERR_VALIDATE,
	    "Fields and comps lists must have equal length");
	t_expect_error(BASE "    - name: e\n      fields: [proc.name, fd.name]\n"
	    "      values:\n        - [a, b]\n        - [c]\n", RL_LOAD_ERR_VALIDATE,
	    "Fields and values lists must have equal length");
	t_expect_error(BASE "    - name: e\n      fields: [proc.name, fd.name]\n"
	    "      comps: [=, no-comp]\n", RL_LOAD_ERR_VALIDATE,
	    "'no-comp' is not a supported comparison operator");
	t_expect_error(BASE "    - name: e\n      fields: []\n",
	    RL_LOAD_ERR_VALIDATE, "Rule exception item must have fields property "
	    "with a list of fields");
	t_expect_error(BASE "    - name: e\n      comps: [=]\n",
	    RL_LOAD_ERR_YAML_VALIDATE, "Item has no mapping for key 'fields'");
	t_expect_error(BASE "    - name: e\n      fields: proc.name\n"
	    "      values: [[a]]\n", RL_LOAD_ERR_VALIDATE,
	    "Expected values array to contain a list of strings");
	t_expect_error(BASE "    - name: e\n      fields: proc.name\n"
	    "      comps: [in]\n", RL_LOAD_ERR_VALIDATE,
	    "Fields and comps must both be strings");
	/* X16 needs the field table: a callback that knows proc.* only */
	{
		struct rl_options o = { .sources = srcs };

		o.field_defined = NULL;
		c = t_load_opt(BASE "    - name: e\n      fields: [not.exist]\n", &o);
		ck_assert_ptr_null(t_error(c));
		rl_collector_free(c);
	}
}
END_TEST

static bool
only_proc(void *arg, const char *field)
{
	(void)arg;
	return strncmp(field, "proc.", 5) == 0;
}

START_TEST(test_x16_unknown_field)
{
	struct rl_options o = { .field_defined = only_proc };
	struct rl_collector *c = t_load_opt(BASE "    - name: e\n"
	    "      fields: [proc.name, not.exist]\n", &o);
	const struct rl_diag *e = t_error(c);

	ck_assert_str_eq(e->msg, "'not.exist' is not a supported filter field");
	ck_assert_int_eq(e->code, RL_LOAD_ERR_VALIDATE);
	ck_assert_uint_eq(e->pos.line, 7);
	ck_assert_uint_eq(e->pos.col, 7);
	ck_assert_str_eq(e->item_name, "test_rule");
	rl_collector_free(c);
	c = t_load_opt(BASE "    - name: e\n      fields: fd.name\n", &o);
	ck_assert_str_eq(t_error(c)->msg, "'fd.name' is not a supported filter "
	    "field");
	rl_collector_free(c);
}
END_TEST

START_TEST(test_x17_missing_name)
{
	t_expect_error(BASE "    - fields: [proc.name]\n",
	    RL_LOAD_ERR_YAML_VALIDATE, "Item has no mapping for key 'name'");
	t_expect_error(BASE "    - name: e\n      fields: [proc.name]\n"
	    "- rule: test_rule\n  exceptions:\n    - values: [[a]]\n"
	    "  append: true\n", RL_LOAD_ERR_YAML_VALIDATE,
	    "Item has no mapping for key 'name'");
	t_expect_error(BASE "    - just a string\n", RL_LOAD_ERR_YAML_VALIDATE,
	    "Rule exception must be a mapping");
	t_expect_error("- rule: r\n  desc: d\n  condition: c\n  output: o\n"
	    "  priority: INFO\n  exceptions: {a: b}\n",
	    RL_LOAD_ERR_YAML_VALIDATE, "Rule exceptions must be a sequence");
}
END_TEST

START_TEST(test_x18_x19_warnings)
{
	struct rl_collector *c = t_load(BASE
	    "    - name: test_exception\n      fields: [proc.cmdline]\n"
	    "      comps: [contains]\n      values:\n        - [curl 127.0.0.1]\n"
	    "    - name: test_exception\n      fields: [proc.cmdline]\n"
	    "      comps: [endswith]\n      values:\n        - [curl 127.0.0.1]\n");
	const struct rl_diag *w;

	w = t_diag(c, RL_LOAD_EXCEPTION_NAME_NOT_UNIQUE, NULL);
	ck_assert_str_eq(w->msg, "Multiple definitions of exception "
	    "'test_exception' in the same rule");
	ck_assert_uint_eq(w->pos.line, 12);
	ck_assert_uint_eq(rl_result(c)->n_errors, 0);
	rl_collector_free(c);
	c = t_load(BASE "    - name: test_exception\n      fields: [proc.cmdline]\n"
	    "      comps: [contains]\n      values:\n        - [curl 127.0.0.1]\n"
	    "- rule: test_rule\n  exceptions:\n    - name: test_exception\n"
	    "      value: curl 1.1.1.1\n  append: true\n");
	ck_assert_str_eq(t_diag(c, RL_LOAD_APPEND_NO_VALUES, NULL)->msg,
	    "Overriding/appending exception with no values");
	ck_assert_uint_eq(rl_result(c)->n_errors, 0);
	rl_collector_free(c);
}
END_TEST

START_TEST(test_x20_override_exceptions)
{
	const char *def = BASE "    - name: test_exception\n"
	    "      fields: proc.name\n      comps: in\n      values: [\"cat\"]\n";
	struct rl_collector *c;
	char buf[1024];

	snprintf(buf, sizeof(buf), "%s- rule: test_rule\n  exceptions:\n"
	    "    - name: test_exception\n      values: [echo]\n  override:\n"
	    "    exceptions: append\n", def);
	c = t_load(buf);
	ck_assert_str_eq(cond_of(c), "(evt.type = open) and not "
	    "(proc.name in (cat, echo))");
	ck_assert_uint_eq(rl_result(c)->n_diags, 0);
	rl_collector_free(c);
	snprintf(buf, sizeof(buf), "%s- rule: test_rule\n  exceptions:\n"
	    "    - name: test_exception\n      values: [echo]\n  override:\n"
	    "    exceptions: append\n- rule: test_rule\n  exceptions:\n"
	    "    - name: test_exception\n      values: [id]\n  override:\n"
	    "    exceptions: replace\n", def);
	t_expect_error(buf, RL_LOAD_ERR_YAML_VALIDATE,
	    "Item has no mapping for key 'fields'");
	snprintf(buf, sizeof(buf), "%s- rule: test_rule\n  exceptions:\n"
	    "    - name: other\n      fields: fd.name\n      values: [id]\n"
	    "  override:\n    exceptions: replace\n", def);
	expect_cond(buf, "(evt.type = open) and not (fd.name in (id))");
}
END_TEST

START_TEST(test_x21_x23_modifiers)
{
	expect_cond(BASE "    - name: e\n      fields: [proc.name]\n"
	    "      comps: [startswith oneof]\n      values:\n"
	    "        - [[sshd, sudo, systemd]]\n",
	    "(evt.type = open) and not (( proc.name startswith oneof "
	    "(sshd, sudo, systemd)))");
	expect_cond(BASE "    - name: e\n      fields: [proc.name]\n"
	    "      comps: [startswith oneof]\n      values:\n        - [sshd]\n",
	    "(evt.type = open) and not (( proc.name startswith oneof (sshd)))");
	expect_cond(BASE "    - name: e\n      fields: [proc.name]\n"
	    "      comps: [\"  startswith oneof  \"]\n      values:\n"
	    "        - [sshd]\n",
	    "(evt.type = open) and not (( proc.name startswith oneof (sshd)))");
	expect_cond(BASE "    - name: e\n      fields: proc.name\n"
	    "      comps: endswith anyof\n      values: [a, b c]\n",
	    "(evt.type = open) and not (proc.name endswith anyof (a, \"b c\"))");
}
END_TEST

START_TEST(test_x22_bad_modifiers)
{
	static const char *const bad[] = { "frobulate oneof", "in oneof",
	    ">= oneof", "oneof" };
	char buf[512], msg[128];
	size_t i;

	for (i = 0; i < 4; i++) {
		snprintf(buf, sizeof(buf), "%s    - name: e\n"
		    "      fields: [proc.name]\n      comps: [\"%s\"]\n", BASE,
		    bad[i]);
		snprintf(msg, sizeof(msg), "'%s' is not a supported comparison "
		    "operator", bad[i]);
		t_expect_error(buf, RL_LOAD_ERR_VALIDATE, msg);
	}
	t_expect_error(BASE "    - name: e\n      fields: proc.name\n"
	    "      comps: frobulate oneof\n", RL_LOAD_ERR_VALIDATE, "When fields "
	    "is a single value, comps must be one of (in, pmatch, intersects) "
	    "or a modifier operator (e.g. startswith oneof)");
}
END_TEST

START_TEST(test_x24_three_fields)
{
	expect_cond(BASE "    - name: e\n"
	    "      fields: [proc.name, fd.name, proc.exepath]\n"
	    "      comps: [contains, startswith, =]\n      values:\n"
	    "        - [agent, /var/log/, /usr/bin/prometheus]\n",
	    "(evt.type = open) and not (( proc.name contains agent and  fd.name "
	    "startswith /var/log/ and  proc.exepath = /usr/bin/prometheus))");
}
END_TEST

START_TEST(test_x25_default_comps)
{
	expect_cond(BASE "    - name: e\n      fields: [proc.name, fd.name]\n"
	    "      values:\n        - [a, b]\n    - name: f\n"
	    "      fields: proc.pname\n      values: [x, y]\n    - name: g\n"
	    "      fields: [fd.name]\n      comps: [pmatch]\n"
	    "      values:\n        - [\"(/a, /b)\"]\n        - [/c]\n",
	    "(evt.type = open) and not (( proc.name = a and  fd.name = b)) "
	    "and not (proc.pname in (x, y)) and not (( fd.name pmatch (/a, /b)) "
	    "or ( fd.name pmatch (/c)))");
}
END_TEST

TCase *
tc_rule_loader_exceptions(void)
{
	TCase *tc = tcase_create("exceptions");

	tcase_add_test(tc, test_x1_list_form);
	tcase_add_test(tc, test_x2_x6_value_forms);
	tcase_add_test(tc, test_x7_scalar_form);
	tcase_add_test(tc, test_x8_list_value_in_tuple);
	tcase_add_test(tc, test_x9_list_name_value);
	tcase_add_test(tc, test_x10_no_values);
	tcase_add_test(tc, test_x11_append_values);
	tcase_add_test(tc, test_x12_x16_validation);
	tcase_add_test(tc, test_x16_unknown_field);
	tcase_add_test(tc, test_x17_missing_name);
	tcase_add_test(tc, test_x18_x19_warnings);
	tcase_add_test(tc, test_x20_override_exceptions);
	tcase_add_test(tc, test_x21_x23_modifiers);
	tcase_add_test(tc, test_x22_bad_modifiers);
	tcase_add_test(tc, test_x24_three_fields);
	tcase_add_test(tc, test_x25_default_comps);
	return tc;
}
