/*
 * check_rule_loader.c - rules-file loader: YAML tree, lists, macros,
 * rules, versions, files (falco.md §2, conformance §6.4-§6.6).
 * Exceptions (§6.7) are in check_rule_loader_exc.c.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "rl_test.h"
#include "rules/yaml_tree.h"

/* ---- helpers ------------------------------------------------------------ */

struct rl_collector *
t_load_opt(const char *yaml, const struct rl_options *o)
{
	struct rl_collector *c = rl_collector_new(o);

	ck_assert_ptr_nonnull(c);
	if (rl_load_buffer(c, "rules.yaml", yaml, strlen(yaml)) == 0)
		(void)rl_finish(c);
	return c;
}

struct rl_collector *
t_load(const char *yaml)
{
	return t_load_opt(yaml, NULL);
}

const struct rl_diag *
t_diag(struct rl_collector *c, enum rl_code code, const char *sub)
{
	const struct rl_result *r = rl_result(c);
	size_t i;

	for (i = 0; i < r->n_diags; i++)
		if (r->diags[i].code == code &&
		    (sub == NULL || strstr(r->diags[i].msg, sub) != NULL))
			return &r->diags[i];
	return NULL;
}

size_t
t_count(struct rl_collector *c, enum rl_code code)
{
	const struct rl_result *r = rl_result(c);
	size_t i, n = 0;

	for (i = 0; i < r->n_diags; i++)
		n += r->diags[i].code == code;
	return n;
}

size_t
t_warnings(struct rl_collector *c)
{
	const struct rl_result *r = rl_result(c);

	return r->n_diags - r->n_errors;
}

const struct rl_diag *
t_error(struct rl_collector *c)
{
	const struct rl_result *r = rl_result(c);
	size_t i;

	for (i = 0; i < r->n_diags; i++)
		if (rl_code_is_error(r->diags[i].code))
			return &r->diags[i];
	return NULL;
}

const struct rl_rule *
t_rule(struct rl_collector *c, const char *name)
{
	const struct rl_result *r = rl_result(c);
	size_t i;

	for (i = 0; i < r->n_rules; i++)
		if (strcmp(r->rules[i].name, name) == 0)
			return &r->rules[i];
	return NULL;
}

const struct rl_macro *
t_macro(struct rl_collector *c, const char *name)
{
	const struct rl_result *r = rl_result(c);
	size_t i;

	for (i = 0; i < r->n_macros; i++)
		if (strcmp(r->macros[i].name, name) == 0)
			return &r->macros[i];
	return NULL;
}

const struct rl_list *
t_list(struct rl_collector *c, const char *name)
{
	const struct rl_result *r = rl_result(c);
	size_t i;

	for (i = 0; i < r->n_lists; i++)
		if (strcmp(r->lists[i].name, name) == 0)
			return &r->lists[i];
	return NULL;
}

void
t_expect_error(const char *yaml, enum rl_code code, const char *msg)
{
	struct rl_collector *c = t_load(yaml);
	const struct rl_diag *e = t_error(c);

	ck_assert_ptr_nonnull(e);
	ck_assert_str_eq(e->msg, msg);
	ck_assert_str_eq(rl_code_name(e->code), rl_code_name(code));
	ck_assert_uint_eq(rl_result(c)->n_errors, 1);
	ck_assert(!rl_result(c)->finished);
	rl_collector_free(c);
}

/* ---- YAML tree ------------------------------------------------------------ */

START_TEST(test_yaml_tree_positions)
{
	const char *t = "- a: 'x'\n  b: [1, \"two\"]\n- ~\n";
	struct rl_yerror err;
	struct rl_ystream *s = rl_yaml_parse(t, strlen(t), NULL, &err);
	const struct rl_ynode *m, *b;

	ck_assert_ptr_nonnull(s);
	ck_assert_uint_eq(s->ndocs, 1);
	ck_assert_uint_eq(s->docs[0]->n, 2);
	m = s->docs[0]->items[0];
	ck_assert_int_eq(m->kind, RL_YMAP);
	ck_assert_uint_eq(m->line, 1);
	ck_assert_uint_eq(m->col, 3);
	ck_assert_int_eq(rl_ymap_get(m, "a")->style, RL_YSINGLE);
	b = rl_ymap_get(m, "b");
	ck_assert_uint_eq(b->line, 2);
	ck_assert_uint_eq(b->col, 6);
	ck_assert_int_eq(b->style, RL_YFLOW);
	ck_assert_str_eq(b->items[1]->str, "two");
	ck_assert_int_eq(b->items[1]->style, RL_YDOUBLE);
	ck_assert_uint_eq(b->items[1]->col, 10);
	ck_assert(rl_ynode_is_null(s->docs[0]->items[1]));
	ck_assert(!rl_ynode_is_null(b->items[1]));
	rl_yaml_free(s);
}
END_TEST

START_TEST(test_yaml_anchors)
{
	const char *t = "- list: a\n  items: &x [p, q]\n"
	    "- list: b\n  items: *x\n"
	    "- rule: r\n  desc: d\n  condition: proc.name in (b)\n"
	    "  output: o\n  priority: INFO\n";
	struct rl_collector *c = t_load(t);

	ck_assert_uint_eq(rl_result(c)->n_errors, 0);
	ck_assert_str_eq(t_rule(c, "r")->cond, "proc.name in ( p, q )");
	rl_collector_free(c);
}
END_TEST

START_TEST(test_yaml_limits)
{
	/* billion laughs: each level doubles, the budget stops it */
	const char *laughs = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
	    "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
	    "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
	    "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
	    "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n"
	    "f: [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n";
	struct rl_ylimits lim = { .max_input = 1 << 20, .max_depth = 4,
	    .max_nodes = 100000, .max_scalar = 8 };
	struct rl_yerror err;
	char deep[64];

	ck_assert_ptr_null(rl_yaml_parse(laughs, strlen(laughs), &lim, &err));
	ck_assert_str_eq(err.msg, "YAML document has too many nodes");
	ck_assert_uint_eq(err.line, 5);
	strcpy(deep, "[[[[[1]]]]]");
	ck_assert_ptr_null(rl_yaml_parse(deep, strlen(deep), &lim, &err));
	ck_assert_str_eq(err.msg, "YAML document is nested too deeply");
	ck_assert_uint_eq(err.col, 5);
	ck_assert_ptr_null(rl_yaml_parse("- 123456789", 11, &lim, &err));
	ck_assert_str_eq(err.msg, "YAML scalar is too long");
	ck_assert_ptr_null(rl_yaml_parse("- \"a\\0b\"", 8, &lim, &err));
	ck_assert_str_eq(err.msg, "YAML scalar contains a NUL character");
	lim.max_input = 4;
	ck_assert_ptr_null(rl_yaml_parse("- abc", 5, &lim, &err));
	ck_assert_str_eq(err.msg, "rules content is too large (5 bytes, limit 4)");
	ck_assert_ptr_null(rl_yaml_parse("- &a [*a]", 9, NULL, &err));
	ck_assert_str_eq(err.msg, "YAML alias '*a' refers to an unknown anchor");
}
END_TEST

START_TEST(test_yaml_syntax_error_position)
{
	struct rl_collector *c = t_load("- rule: x\n  desc: [unclosed\n");
	const struct rl_diag *e = t_error(c);

	ck_assert_int_eq(e->code, RL_LOAD_ERR_YAML_PARSE);
	ck_assert_str_eq(e->msg, "while parsing a flow sequence: did not find "
	    "expected ',' or ']'");
	ck_assert_str_eq(e->pos.file, "rules.yaml");
	ck_assert_uint_eq(e->pos.line, 3);
	ck_assert_uint_eq(e->pos.col, 1);
	ck_assert_int_eq(e->item_kind, RL_ITEM_CONTENT);
	rl_collector_free(c);
	c = t_load("- list: a\n  items: [x]\n- list: b\n  items: x: y\n");
	e = t_error(c);
	ck_assert_str_eq(e->msg, "mapping values are not allowed in this context");
	ck_assert_uint_eq(e->pos.line, 4);
	ck_assert_uint_eq(e->pos.col, 11);
	rl_collector_free(c);
}
END_TEST

/* ---- §6.4 lists ------------------------------------------------------------ */

START_TEST(test_l1_list_override_append)
{
	struct rl_collector *c = t_load(
	    "- list: shell_binaries\n  items: [ash, bash, csh, ksh, sh, tcsh, zsh, dash]\n"
	    "- rule: legit_rule\n  desc: legit rule description\n"
	    "  condition: evt.type=open and proc.name in (shell_binaries)\n"
	    "  output: user=%user.name command=%proc.cmdline file=%fd.name\n"
	    "  priority: INFO\n"
	    "- list: shell_binaries\n  items: [pwsh]\n  override:\n    items: append\n");

	ck_assert(rl_result(c)->finished);
	ck_assert_uint_eq(rl_result(c)->n_diags, 0);
	ck_assert_str_eq(t_rule(c, "legit_rule")->cond, "evt.type=open and "
	    "proc.name in ( ash, bash, csh, ksh, sh, tcsh, zsh, dash, pwsh )");
	rl_collector_free(c);
}
END_TEST

START_TEST(test_l2_list_append_before_definition)
{
	static const char *const modes[] = { "  override:\n    items: append\n",
	    "  append: true\n" };
	char buf[512];
	int i;

	for (i = 0; i < 2; i++) {
		snprintf(buf, sizeof(buf), "- list: dev_creation_binaries\n"
		    "  items: [\"csi-provisioner\", \"csi-attacher\"]\n%s"
		    "- list: dev_creation_binaries\n  items: [blkid]\n", modes[i]);
		t_expect_error(buf, RL_LOAD_ERR_VALIDATE, "List uses 'append' or "
		    "'override.items: append' but no list by that name already "
		    "exists");
	}
}
END_TEST

START_TEST(test_l3_list_replace_before_definition)
{
	struct rl_collector *c = t_load("- list: dev_creation_binaries\n"
	    "  items: [\"csi-provisioner\", \"csi-attacher\"]\n"
	    "  override:\n    items: replace\n"
	    "- list: dev_creation_binaries\n  items: [blkid]\n"
	    "- rule: test_rule\n  desc: simple rule\n"
	    "  condition: evt.type = execve and proc.name in (dev_creation_binaries)\n"
	    "  output: command=%proc.cmdline\n  priority: INFO\n");

	ck_assert_uint_eq(rl_result(c)->n_diags, 0);
	ck_assert_str_eq(t_rule(c, "test_rule")->cond,
	    "evt.type = execve and proc.name in ( blkid )");
	rl_collector_free(c);
}
END_TEST

START_TEST(test_l4_list_redefined)
{
	struct rl_collector *c = t_load("- list: cat_binaries\n  items: [not_cat]\n"
	    "- list: other\n  items: [x]\n"
	    "- list: cat_binaries\n  items: [cat]\n"
	    "- rule: r\n  desc: d\n  condition: proc.name in (cat_binaries, other)\n"
	    "  output: o\n  priority: INFO\n");
	const struct rl_result *r = rl_result(c);

	ck_assert_uint_eq(r->n_lists, 2);
	/* second wins, the position of the first is kept */
	ck_assert_str_eq(r->lists[0].name, "cat_binaries");
	ck_assert_uint_eq(r->lists[0].n_items, 1);
	ck_assert_str_eq(r->lists[0].items[0], "cat");
	ck_assert_uint_eq(r->lists[0].pos.line, 5);
	ck_assert_str_eq(t_rule(c, "r")->cond, "proc.name in ( cat , x )");
	rl_collector_free(c);
}
END_TEST

START_TEST(test_l5_misspelt_override_key)
{
	struct rl_collector *c = t_load("- list: dev_creation_binaries\n"
	    "  items: [\"csi-provisioner\", \"csi-attacher\"]\n"
	    "  override_written_wrong:\n    items: append\n"
	    "- list: dev_creation_binaries\n  items: [blkid]\n"
	    "- rule: test_rule\n  desc: simple rule\n"
	    "  condition: evt.type = execve and proc.name in (dev_creation_binaries)\n"
	    "  output: command=%proc.cmdline\n  priority: INFO\n");
	const struct rl_diag *w = t_diag(c, RL_LOAD_UNKNOWN_KEY, NULL);

	ck_assert_uint_eq(rl_result(c)->n_errors, 0);
	ck_assert_str_eq(w->msg, "Unknown key 'override_written_wrong'. The key "
	    "will be ignored.");
	ck_assert_uint_eq(w->pos.line, 3);
	ck_assert_uint_eq(w->pos.col, 3);
	ck_assert_int_eq(w->item_kind, RL_ITEM_LIST);
	ck_assert_str_eq(w->item_name, "dev_creation_binaries");
	ck_assert_str_eq(t_rule(c, "test_rule")->cond,
	    "evt.type = execve and proc.name in ( blkid )");
	rl_collector_free(c);
}
END_TEST

START_TEST(test_l6_l7_textual_substitution)
{
	struct rl_collector *c = t_load("- list: cat_binaries\n  items: [cat]\n"
	    "- macro: m1\n  condition: proc.name=cat_binaries\n"
	    "- macro: m2\n  condition: proc.name in (ls, cat_binaries, ps)\n"
	    "- macro: m3\n  condition: proc.name in (cat_binaries, ps)\n"
	    "- macro: m4\n  condition: proc.name in (ls, cat_binaries)\n"
	    "- macro: m5\n  condition: proc.name= cat_binaries or proc.name=x\n");

	ck_assert_uint_eq(rl_result(c)->n_diags, 0);
	ck_assert_str_eq(t_macro(c, "m1")->cond, "proc.name= cat ");
	ck_assert_str_eq(t_macro(c, "m2")->cond, "proc.name in (ls, cat , ps)");
	ck_assert_str_eq(t_macro(c, "m3")->cond, "proc.name in ( cat , ps)");
	ck_assert_str_eq(t_macro(c, "m4")->cond, "proc.name in (ls, cat )");
	ck_assert_str_eq(t_macro(c, "m5")->cond, "proc.name= cat or proc.name=x");
	ck_assert(t_list(c, "cat_binaries")->used);
	rl_collector_free(c);
}
END_TEST

START_TEST(test_l8_no_substitution_inside_token)
{
	struct rl_collector *c = t_load("- list: my_list\n  items: [a]\n"
	    "- macro: m\n  condition: fd.name in (file_my_list) or "
	    "fd.name = \"my_list\" or fd.name=my_list_x\n");

	ck_assert_str_eq(t_macro(c, "m")->cond, "fd.name in (file_my_list) or "
	    "fd.name = \"my_list\" or fd.name=my_list_x");
	ck_assert(!t_list(c, "my_list")->used);
	rl_emit_unused_warnings(c);
	ck_assert_str_eq(t_diag(c, RL_LOAD_UNUSED_LIST, NULL)->msg,
	    "List not referred to by any other rule/macro");
	ck_assert_str_eq(t_diag(c, RL_LOAD_UNUSED_LIST, NULL)->item_name, "my_list");
	ck_assert_uint_eq(t_count(c, RL_LOAD_UNUSED_MACRO), 1);
	rl_collector_free(c);
}
END_TEST

START_TEST(test_l9_nested_list_redefined_in_second_file)
{
	const char *f1 = "- list: cat_binaries\n  items: [cat]\n"
	    "- list: cat_capable_binaries\n  items: [cat_binaries, tac]\n"
	    "- rule: r\n  desc: d\n  condition: proc.name in (cat_capable_binaries)\n"
	    "  output: o\n  priority: INFO\n";
	const char *f2 = "- list: cat_binaries\n  items: [not-cat]\n";
	struct rl_collector *c = rl_collector_new(NULL);

	ck_assert_int_eq(rl_load_buffer(c, "f1.yaml", f1, strlen(f1)), 0);
	ck_assert_int_eq(rl_finish(c), 0);
	ck_assert_str_eq(t_rule(c, "r")->cond, "proc.name in ( cat, tac )");
	ck_assert_int_eq(rl_load_buffer(c, "f2.yaml", f2, strlen(f2)), 0);
	ck_assert_int_eq(rl_finish(c), 0);
	ck_assert_str_eq(t_rule(c, "r")->cond, "proc.name in ( not-cat, tac )");
	ck_assert(t_list(c, "cat_binaries")->used);
	rl_collector_free(c);
}
END_TEST

START_TEST(test_l9_nested_list_one_level_only)
{
	/* c references b which references a: b expands a, c copies b's raw
	 * items, so "a" survives as a literal in c; a later list is literal */
	struct rl_collector *c = t_load("- list: a\n  items: [x]\n"
	    "- list: b\n  items: [a, y]\n- list: c\n  items: [b, later]\n"
	    "- list: later\n  items: [z]\n");
	const struct rl_list *l = t_list(c, "c");

	ck_assert_uint_eq(l->n_items, 3);
	ck_assert_str_eq(l->items[0], "a");
	ck_assert_str_eq(l->items[1], "y");
	ck_assert_str_eq(l->items[2], "later");
	ck_assert_uint_eq(t_list(c, "b")->n_items, 2);
	ck_assert_str_eq(t_list(c, "b")->items[0], "x");
	rl_collector_free(c);
}
END_TEST

START_TEST(test_l10_items_with_spaces)
{
	struct rl_collector *c = t_load("- list: my_list\n"
	    "  items: [non_escaped_val, \"escaped val\"]\n");
	const struct rl_list *l = t_list(c, "my_list");

	ck_assert(rl_result(c)->finished);
	ck_assert_uint_eq(l->n_items, 2);
	ck_assert_str_eq(l->items[0], "non_escaped_val");
	ck_assert_str_eq(l->items[1], "escaped val");
	rl_emit_unused_warnings(c);
	ck_assert_uint_eq(t_count(c, RL_LOAD_UNUSED_LIST), 1);
	ck_assert_uint_eq(rl_result(c)->n_diags, 1);
	rl_collector_free(c);
	c = t_load("- list: my_list\n  items: [non_escaped_val, \"escaped val\","
	    " \"'q u'\"]\n- macro: m\n  condition: proc.name in (my_list)\n");
	ck_assert_str_eq(t_macro(c, "m")->cond,
	    "proc.name in ( non_escaped_val, \"escaped val\", 'q u' )");
	rl_collector_free(c);
}
END_TEST

START_TEST(test_l11_invalid_list_name)
{
	struct rl_collector *c = t_load("- list: test list\n"
	    "  items: [open, openat, openat2]\n"
	    "- rule: test_rule\n  desc: test rule description\n"
	    "  condition: evt.type in (test list)\n"
	    "  output: user=%user.name\n  priority: INFO\n  enabled: false\n");
	const struct rl_diag *w = t_diag(c, RL_LOAD_INVALID_LIST_NAME, NULL);

	ck_assert_uint_eq(rl_result(c)->n_errors, 0);
	ck_assert_str_eq(w->msg, "List has an invalid name. List names should "
	    "match a regular expression: ([^()\"'[:space:]=,]+)");
	ck_assert_str_eq(t_rule(c, "test_rule")->cond,
	    "evt.type in ( open, openat, openat2 )");
	rl_collector_free(c);
}
END_TEST

START_TEST(test_l12_append_false)
{
	struct rl_collector *c = t_load("- list: l\n  items: [a]\n"
	    "- list: l\n  items: [b]\n  append: false\n");

	ck_assert_uint_eq(rl_result(c)->n_diags, 0);
	ck_assert_uint_eq(t_list(c, "l")->n_items, 1);
	ck_assert_str_eq(t_list(c, "l")->items[0], "b");
	rl_collector_free(c);
}
END_TEST

START_TEST(test_l13_empty_list_removes_comma)
{
	struct rl_collector *c = t_load("- list: e\n  items: []\n"
	    "- macro: m1\n  condition: proc.name in (a, e)\n"
	    "- macro: m2\n  condition: proc.name in (e, a)\n"
	    "- macro: m3\n  condition: proc.name in (e)\n");

	ck_assert_str_eq(t_macro(c, "m1")->cond, "proc.name in (a  )");
	ck_assert_str_eq(t_macro(c, "m2")->cond, "proc.name in (   a)");
	ck_assert_str_eq(t_macro(c, "m3")->cond, "proc.name in (  )");
	rl_collector_free(c);
}
END_TEST

START_TEST(test_list_substitution_order_and_limit)
{
	/* lists substitute in definition order: a later list's name coming
	 * out of an earlier substitution is substituted too */
	struct rl_options o = { .max_cond_len = 64 };
	struct rl_collector *c = t_load("- list: outer\n  items: [inner, z]\n"
	    "- list: inner\n  items: [p, q]\n"
	    "- macro: m\n  condition: x in (outer)\n");

	ck_assert_str_eq(t_macro(c, "m")->cond, "x in ( p, q , z )");
	rl_collector_free(c);
	c = t_load_opt("- list: big\n  items: [aaaaaaaaaa, bbbbbbbbbb, cccccccccc]\n"
	    "- macro: m\n  condition: x in (big) or y in (big)\n", &o);
	ck_assert_int_eq(t_error(c)->code, RL_LOAD_ERR_COMPILE_CONDITION);
	ck_assert_str_eq(t_error(c)->msg,
	    "condition is too long after list substitution");
	ck_assert_uint_eq(t_error(c)->pos.line, 4);
	ck_assert_uint_eq(t_error(c)->pos.col, 14);
	rl_collector_free(c);
}
END_TEST

/* ---- §6.5 macros ------------------------------------------------------------ */

START_TEST(test_m1_macro_override_append)
{
	struct rl_collector *c = t_load("- macro: interactive\n  condition: >\n"
	    "    ((proc.aname=sshd and proc.name != sshd) or\n"
	    "    proc.name=systemd-logind or proc.name=login)\n"
	    "- rule: legit_rule\n  desc: legit rule description\n"
	    "  condition: evt.type=open and interactive\n"
	    "  output: user=%user.name\n  priority: INFO\n"
	    "- macro: interactive\n  condition: or proc.name = ssh\n"
	    "  override:\n    condition: append\n");
	const struct rl_macro *m = t_macro(c, "interactive");

	ck_assert_uint_eq(rl_result(c)->n_diags, 0);
	ck_assert_str_eq(m->cond, "((proc.aname=sshd and proc.name != sshd) or "
	    "proc.name=systemd-logind or proc.name=login)\n or proc.name = ssh");
	ck_assert_uint_eq(m->cond_pos.line, 2);
	ck_assert_uint_eq(m->index, 0);
	ck_assert_uint_eq(m->visibility, 2);
	ck_assert_str_eq(t_rule(c, "legit_rule")->cond,
	    "evt.type=open and interactive");
	rl_collector_free(c);
}
END_TEST

START_TEST(test_m2_macro_append_before_definition)
{
	static const char *const modes[] = {
	    "  override:\n    condition: append\n", "  append: true\n" };
	char buf[256];
	int i;

	for (i = 0; i < 2; i++) {
		snprintf(buf, sizeof(buf), "- macro: open_simple\n"
		    "  condition: or evt.type = openat2\n%s- macro: open_simple\n"
		    "  condition: evt.type in (open,openat)\n", modes[i]);
		t_expect_error(buf, RL_LOAD_ERR_VALIDATE, "Macro uses 'append' or "
		    "'override.condition: append' but no macro by that name "
		    "already exists");
	}
}
END_TEST

START_TEST(test_m3_macro_replace_before_definition)
{
	struct rl_collector *c = t_load("- macro: open_simple\n"
	    "  condition: or evt.type = openat2\n  override:\n"
	    "    condition: replace\n- macro: open_simple\n"
	    "  condition: evt.type in (open,openat)\n");

	ck_assert_uint_eq(rl_result(c)->n_diags, 0);
	ck_assert_str_eq(t_macro(c, "open_simple")->cond,
	    "evt.type in (open,openat)");
	rl_collector_free(c);
}
END_TEST

START_TEST(test_m4_macro_redefined_and_visibility)
{
	struct rl_collector *c = t_load("- macro: a\n  condition: x=1\n"
	    "- macro: b\n  condition: a\n- macro: a\n  condition: x=2\n"
	    "- macro: a\n  condition: x=3\n");
	const struct rl_result *r = rl_result(c);

	ck_assert_uint_eq(r->n_macros, 2);
	ck_assert_str_eq(r->macros[0].name, "a");
	ck_assert_str_eq(r->macros[0].cond, "x=3");
	ck_assert_uint_eq(r->macros[0].pos.line, 7);
	/* b (index 1) sees a (index 0); a (visibility 3) sees b too */
	ck_assert_uint_eq(r->macros[0].index, 0);
	ck_assert_uint_eq(r->macros[0].visibility, 3);
	ck_assert_uint_eq(r->macros[1].index, 1);
	ck_assert_uint_eq(r->macros[1].visibility, 1);
	rl_collector_free(c);
}
END_TEST

START_TEST(test_m8_invalid_macro_name)
{
	struct rl_collector *c = t_load("- macro: test-macro\n"
	    "  condition: evt.type = close\n");

	ck_assert(rl_result(c)->finished);
	ck_assert_str_eq(t_diag(c, RL_LOAD_INVALID_MACRO_NAME, NULL)->msg,
	    "Macro has an invalid name. Macro names should match a regular "
	    "expression: ([a-zA-Z]+[a-zA-Z0-9_]*)");
	rl_collector_free(c);
}
END_TEST

START_TEST(test_macro_used_marks)
{
	struct rl_collector *c = t_load("- macro: a\n  condition: x=1\n"
	    "- macro: b\n  condition: y=1\n- list: l\n  items: [q]\n"
	    "- list: l2\n  items: [l]\n");

	rl_mark_macro_used(c, 0);
	ck_assert_int_eq(rl_mark_macro_used_by_name(c, "nope"), -1);
	rl_emit_unused_warnings(c);
	rl_emit_unused_warnings(c);
	ck_assert_uint_eq(t_count(c, RL_LOAD_UNUSED_MACRO), 1);
	ck_assert_str_eq(t_diag(c, RL_LOAD_UNUSED_MACRO, NULL)->item_name, "b");
	/* l is used by l2; l2 is unused; macros come first */
	ck_assert_uint_eq(t_count(c, RL_LOAD_UNUSED_LIST), 1);
	ck_assert_str_eq(t_diag(c, RL_LOAD_UNUSED_LIST, NULL)->item_name, "l2");
	ck_assert_int_eq(rl_result(c)->diags[0].code, RL_LOAD_UNUSED_MACRO);
	rl_collector_free(c);
}
END_TEST

Suite *
suite_for_main(void)
{
	Suite *s = suite_create("rules loader");
	TCase *y = tcase_create("yaml"), *l = tcase_create("lists");
	TCase *m = tcase_create("macros");

	tcase_add_test(y, test_yaml_tree_positions);
	tcase_add_test(y, test_yaml_anchors);
	tcase_add_test(y, test_yaml_limits);
	tcase_add_test(y, test_yaml_syntax_error_position);
	tcase_add_test(l, test_l1_list_override_append);
	tcase_add_test(l, test_l2_list_append_before_definition);
	tcase_add_test(l, test_l3_list_replace_before_definition);
	tcase_add_test(l, test_l4_list_redefined);
	tcase_add_test(l, test_l5_misspelt_override_key);
	tcase_add_test(l, test_l6_l7_textual_substitution);
	tcase_add_test(l, test_l8_no_substitution_inside_token);
	tcase_add_test(l, test_l9_nested_list_redefined_in_second_file);
	tcase_add_test(l, test_l9_nested_list_one_level_only);
	tcase_add_test(l, test_l10_items_with_spaces);
	tcase_add_test(l, test_l11_invalid_list_name);
	tcase_add_test(l, test_l12_append_false);
	tcase_add_test(l, test_l13_empty_list_removes_comma);
	tcase_add_test(l, test_list_substitution_order_and_limit);
	tcase_add_test(m, test_m1_macro_override_append);
	tcase_add_test(m, test_m2_macro_append_before_definition);
	tcase_add_test(m, test_m3_macro_replace_before_definition);
	tcase_add_test(m, test_m4_macro_redefined_and_visibility);
	tcase_add_test(m, test_m8_invalid_macro_name);
	tcase_add_test(m, test_macro_used_marks);
	suite_add_tcase(s, y);
	suite_add_tcase(s, l);
	suite_add_tcase(s, m);
	suite_add_tcase(s, tc_rule_loader_rules());
	suite_add_tcase(s, tc_rule_loader_files());
	suite_add_tcase(s, tc_rule_loader_exceptions());
	return s;
}
