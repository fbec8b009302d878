/*
 * check_rule_parser.c - the condition parser, AST printing, clone/free and
 * macro resolution (src/rules/ast.h), against the conformance cases of
 * docs falco.md §6.1 (G1-G34) and the syntax parts of §6.2/§6.3/§6.5.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "rules/ast.h"
#include "check_main.h"

#define XF "'val', 'tolower', 'toupper', 'b64', 'basename', 'len', " \
	"'join', 'concat', 'getopt'"
#define E_OP "expected a valid check operator: one of 'exists', '<=', " \
	"'<', '>=', '>', '==', '=', '!=', 'glob', 'iglob', 'contains', " \
	"'icontains', 'bcontains', 'startswith', 'bstartswith', " \
	"'endswith', 'regex', 'intersects', 'in', 'pmatch'"
#define E_NUM "expected a number value or a field with a valid " \
	"transformer: " XF
#define E_STR "expected a string value or a field with a valid " \
	"transformer: " XF
#define E_LIST "expected a list, an identifier, or a field with a valid " \
	"transformer: " XF
#define E_ARG "expected a valid field argument: a quoted string or a " \
	"bare string"
#define E_TLIST "expected transformer list argument: field, transformer, " \
	"quoted string, or number"
#define E_AFTER(t) "unexpected token after '" t "', expecting 'or', 'and'"

/* ---- helpers ---------------------------------------------------------- */

static char printed[4096];

/* Prints n into the static buffer `printed`. */
static const char *
print(const struct rule_node *n)
{
	struct fc_buf b;

	fc_buf_init(&b, sizeof(printed) - 1);
	ck_assert_int_eq(rule_node_print(n, &b), 0);
	memcpy(printed, b.p, b.len);
	printed[b.len] = '\0';
	fc_buf_fini(&b);
	return printed;
}

static struct rule_node *
parse_ok(const char *in)
{
	struct rule_parse_error err;
	struct rule_node *n = NULL;
	int rc = rule_parse(in, strlen(in), NULL, &n, &err);

	ck_assert_msg(rc == 0, "'%s' rejected: %s (line %u col %u)", in,
	    err.msg, err.pos.line, err.pos.col);
	ck_assert_ptr_nonnull(n);
	return n;
}

static void
assert_prints(const char *in, const char *want)
{
	struct rule_node *n = parse_ok(in);

	ck_assert_str_eq(print(n), want);
	rule_node_free(n);
}

static struct rule_parse_error
parse_err_opts(const char *in, size_t len, const struct rule_parse_opts *o)
{
	struct rule_parse_error err;
	struct rule_node *n = (struct rule_node *)&err;	/* must be reset */

	ck_assert_msg(rule_parse(in, len, o, &n, &err) == -1,
	    "'%s' accepted", in);
	ck_assert_ptr_null(n);
	return err;
}

static void
assert_rejects(const char *in, const char *msg)
{
	struct rule_parse_error err = parse_err_opts(in, strlen(in), NULL);

	ck_assert_str_eq(err.msg, msg);
}

/* ---- §6.1 grammar: accepted inputs and their printout ------------------ */

struct accept_case {
	const char	*id;
	const char	*in;
	const char	*out;
};

static const struct accept_case accepts[] = {
	{ "G1", "a and b or c", "((a and b) or c)" },
	{ "G2", "evt.name exists and evt.type in (a, b) or proc.name=cat",
	    "((evt.name exists and evt.type in (a, b)) or proc.name = cat)" },
	{ "G3", "not not not not not(not not(not not_macro))",
	    "not not not_macro" },
	{ "G4", "a.b = not", "a.b = not" },
	{ "G4", "macro and not_macro", "(macro and not_macro)" },
	{ "G4", "a and notb", "(a and notb)" },
	{ "G6", "a and b and(c)", "(a and b and c)" },
	{ "G6", "(a)and(b)and(c)", "(a and b and c)" },
	{ "G6", "not(a)and(not(b))", "(not a and not b)" },
	{ "G7", "test.op existsand macro", "(test.op exists and macro)" },
	{ "G9", "test.op =value", "test.op = value" },
	{ "G9", "test.op >=1", "test.op >= 1" },
	{ "G9", "test.op in()", "test.op in ()" },
	{ "G9", "test.op pmatch()", "test.op pmatch ()" },
	{ "G11", "test.list in ()", "test.list in ()" },
	{ "G11", "test.list in ('single-quoted')",
	    "test.list in (single-quoted)" },
	{ "G11", "test.list in (0a!@#456:/\\.;!$%^&*[]{}|, value)",
	    "test.list in (\"0a!@#456:/\\\\.;!$%^&*[]{}|\", value)" },
	{ "G14", "test.num <= 0x12345", "test.num <= 0x12345" },
	{ "G14", "test.num > -0.1222e+10", "test.num > -0.1222e+10" },
	{ "G14", "test.str = 0aaaaa", "test.str = 0aaaaa" },
	{ "G14", "test.str = !0.1222e+10", "test.str = !0.1222e+10" },
	{ "G16", "test.str[1234] = a", "test.str[1234] = a" },
	{ "G16", "test.str['a aa'] = a", "test.str[\"a aa\"] = a" },
	{ "G16", "test.str[\"\"] = x", "test.str = x" },
	{ "G16", "evt.arg[0] contains /bin", "evt.arg[0] contains /bin" },
	{ "G18", "fd.name=*.log", "fd.name = *.log" },
	{ "G20", "test.str = 'multiple escape single quote \\' \\\\''",
	    "test.str = \"multiple escape single quote ' \\\\'\"" },
	{ "G22", "test.str = \"\\x41\"", "test.str = A" },
	{ "G22", "test.str = \"\\x413\"", "test.str = A3" },
	{ "G22", "test.str = \"\\xAb\"", "test.str = \xab" },
	{ "G23", "b64(test.field) exists", "b64(test.field) exists" },
	{ "G23", "b64(toupper(test.field)) exists",
	    "b64(toupper(test.field)) exists" },
	{ "G23", "b64( test.field ) exists", "b64(test.field) exists" },
	{ "G25", "some.field = val(test.field)",
	    "some.field = val(test.field)" },
	{ "G25", "some.field in b64(test.field)",
	    "some.field in b64(test.field)" },
	{ "G25", "tolower(a.b) = b64(c.d)", "tolower(a.b) = b64(c.d)" },
	{ "G27", "some.field = b64 and(some_macro)",
	    "(some.field = b64 and some_macro)" },
	{ "G28", "proc.name == oneof (cat, nginx)",
	    "proc.name == oneof (cat, nginx)" },
	{ "G28", "proc.name != allof my_list", "proc.name != allof my_list" },
	{ "G28", "proc.aname[2] != oneof (bash, sh)",
	    "proc.aname[2] != oneof (bash, sh)" },
	{ "G29", "proc.name == oneof", "proc.name == oneof" },
	{ "G29", "proc.name == oneof and fd.name exists",
	    "(proc.name == oneof and fd.name exists)" },
	{ "G29", "proc.name == 'oneof'", "proc.name == oneof" },
	{ "G30", "join(\"-\", (fd.name, fd.directory)) = /tmp/test",
	    "join(-, (fd.name, fd.directory)) = /tmp/test" },
	{ "G30", "join(\"-\", ()) = /tmp", "join(-, ()) = /tmp" },
	/* more of libs' filter_parser.ut.cpp and §1 */
	{ "LP", "a.a=1 or b.b=2 and c", "(a.a = 1 or (b.b = 2 and c))" },
	{ "LP", "not a and b", "(not a and b)" },
	{ "LP", "not (a.a exists)", "not a.a exists" },
	{ "LP", "(a and b) and c", "((a and b) and c)" },
	{ "LP", "a.g in (1, 'a', b.c)", "a.g in (1, a, b.c)" },
	{ "LP", "a.b = a.a", "a.b = a.a" },
	{ "LP", "test.op bcontains 48545450", "test.op bcontains 48545450" },
	{ "LP", "test.op iglob value", "test.op iglob value" },
	{ "LP", "test.op regex 'a.*b'", "test.op regex a.*b" },
	{ "LP", "test.num <= 0XaB00AB", "test.num <= 0XaB00AB" },
	{ "LP", "test.str = 0xAAA.1", "test.str = 0xAAA.1" },
	{ "LP", "test.str[0a!@#456:/\\.;!$%^&*(){}|] = testval",
	    "test.str[\"0a!@#456:/\\\\.;!$%^&*(){}|\"] = testval" },
	{ "LP", "test.str = 'mixed \"'", "test.str = \"mixed \\\"\"" },
	{ "LP", "some.field = 'some_fake_transformer(some_macro)'",
	    "some.field = some_fake_transformer(some_macro)" },
	{ "LP", "tolower(toupper(evt.type)) in val(some.field)",
	    "tolower(toupper(evt.type)) in val(some.field)" },
	{ "LP", "join(\"-\", (proc.pid, 123)) contains 123",
	    "join(-, (proc.pid, 123)) contains 123" },
	{ "LP", "join('-->', (tolower(fd.name), fd.directory)) = x",
	    "join(-->, (tolower(fd.name), fd.directory)) = x" },
	{ "LP", "evt.type = tolower(join(\"-\", (fd.name, fd.directory)))",
	    "evt.type = tolower(join(-, (fd.name, fd.directory)))" },
	{ "LP", "len(join(\"-\", (fd.name, fd.directory))) > 5",
	    "len(join(-, (fd.name, fd.directory))) > 5" },
	/* §6.3: these parse; the compiler rejects or warns */
	{ "T7", "thread.cpu = 1.0", "thread.cpu = 1.0" },
	{ "T10", "toupper(evt.rawres) = -1", "toupper(evt.rawres) = -1" },
	{ "T12", "evt.around[1404996934793590564] = val(evt.buflen.in)",
	    "evt.around[1404996934793590564] = val(evt.buflen.in)" },
	{ "T16", "evt.source = 'tolower(evt.plugininfo)'",
	    "evt.source = tolower(evt.plugininfo)" },
	{ "T16", "evt.source = tolower(evt.plugininfo)",
	    "evt.source = tolower(evt.plugininfo)" },
	{ "T17", "proc.pid = 0x10", "proc.pid = 0x10" },
	{ "SRC", "x.y containsin (a)", "x.y in (a)" },
	{ "SRC", "proc.name in mylist", "proc.name in mylist" },
	{ "SRC", "proc.name in oneof", "proc.name in oneof" },
	{ "SRC", "proc.name startswith anyof ()",
	    "proc.name startswith anyof ()" },
	{ "SRC", "not proc.name startswith oneof (sshd, sudo, systemd)",
	    "not proc.name startswith oneof (sshd, sudo, systemd)" },
	{ "SRC", "proc.name == oneof notx", "proc.name == oneof notx" },
	{ "SRC", "getopt(proc.args, \"ab:\")[b] = x",
	    "getopt(proc.args, ab:)[b] = x" },
	{ "SRC", "concat(proc.name, \"-\", proc.pid) = a-1",
	    "concat(proc.name, -, proc.pid) = a-1" },
	{ "SRC", "basename(proc.exe) glob 'ba*'", "basename(proc.exe) glob ba*" },
	{ "SRC", "proc.name = \"\"", "proc.name = " },
	{ "SRC", "proc.name = 'tab\\tnl\\n'", "proc.name = \"tab\\tnl\\n\"" },
	{ "SRC", "evt.arg[\"key with space\"] = v",
	    "evt.arg[\"key with space\"] = v" },
	{ "SRC", "fd.name = runc:[0:PARENT]", "fd.name = runc:[0:PARENT]" },
	{ "SRC", "a or b or c and d and e or not f",
	    "(a or b or (c and d and e) or not f)" },
	{ "SRC", "(a or b) or c", "((a or b) or c)" },
	{ "SRC", "not (a or b)", "not (a or b)" },
	{ "SRC", "evt.num=0", "evt.num = 0" },
	{ "SRC", "fd.name pmatch (/opt/*/subdir, \"/a b\")",
	    "fd.name pmatch (/opt/*/subdir, \"/a b\")" },
	{ "SRC", "proc.name icontains allof (MY, EXE)",
	    "proc.name icontains allof (MY, EXE)" },
	{ "SRC", "fd.name=/x or\n\tproc.name in\n(a,\n b)",
	    "(fd.name = /x or proc.name in (a, b))" },
};

#define N_ACCEPTS (sizeof(accepts) / sizeof(accepts[0]))

START_TEST(test_accept)
{
	assert_prints(accepts[_i].in, accepts[_i].out);
}
END_TEST

/* Upstream also checks every accepted input with blanks around it and
 * with its spaces turned into line breaks or tabs (outside quotes). */
START_TEST(test_accept_blanks)
{
	static const char blanks[] = " \n\t";
	char buf[512], q;
	size_t i, k;

	for (k = 0; k < 3; k++) {
		snprintf(buf, sizeof(buf), " %s ", accepts[_i].in);
		for (i = 0, q = 0; buf[i] != '\0'; i++) {
			if (q == 0 && (buf[i] == '\'' || buf[i] == '"'))
				q = buf[i];
			else if (q != 0 && buf[i] == q && buf[i - 1] != '\\')
				q = 0;
			else if (q == 0 && buf[i] == ' ')
				buf[i] = blanks[k];
		}
		assert_prints(buf, accepts[_i].out);
	}
}
END_TEST

/* print(clone(x)) == print(x), and both free cleanly. */
START_TEST(test_clone_roundtrip)
{
	struct rule_node *n = parse_ok(accepts[_i].in), *c;
	char orig[sizeof(printed)];

	strcpy(orig, print(n));
	c = rule_node_clone(n);
	ck_assert_ptr_nonnull(c);
	rule_node_free(n);
	ck_assert_str_eq(print(c), orig);
	ck_assert_str_eq(orig, accepts[_i].out);
	rule_node_free(c);
}
END_TEST

/* ---- §6.1 grammar: rejected inputs and their messages ------------------ */

struct reject_case {
	const char	*id;
	const char	*in;
	const char	*msg;
};

static const struct reject_case rejects[] = {
	{ "G5", "a andb", "expected blank or '(' after 'and'" },
	{ "G5", "aand b", E_AFTER("aand") },
	{ "G5", "a andnot b", "expected blank or '(' after 'and'" },
	{ "G5", "(a)andnot(b)", "expected blank or '(' after 'and'" },
	{ "G5", "a not b", E_AFTER("a") },
	{ "G5", "and a", E_AFTER("and") },
	{ "G5", "a or b and", "expected blank or '(' after 'and'" },
	{ "G8", "test.op exists something", E_AFTER("exists") },
	{ "G8", "test.op ExIsTs", E_OP },
	{ "G10", "test.op startswithvalue", E_OP },
	{ "G10", "test.op === value", E_STR },
	{ "G10", "test.op !== value", E_STR },
	{ "G10", "test.op >", E_NUM },
	{ "G10", "test.op in", E_LIST },
	{ "G12", "test.list in (value,)", "expected a string value" },
	{ "G12", "test.list in (,)", "expected a ')' token" },
	{ "G12", "test.list in (value,,)", "expected a string value" },
	{ "G12", "a.g in ( 1 ,, , b)", "expected a string value" },
	{ "G13", "test.list > (value)", E_NUM },
	{ "G13", "test.list = (value)", E_STR },
	{ "G13", "test.list contains (value)", E_STR },
	{ "G15", "test.num <= a", E_NUM },
	{ "G15", "test.num < 0xAAA.1", E_AFTER("0xAAA") },
	{ "G17", "test.str[] = x", E_ARG },
	{ "G17", "test.str[ test ] = x", E_ARG },
	{ "G17", "test.str[aaa\"] = a", "expected a ']' token" },
	{ "G17", "evt.arg[\"x\" = v", "expected a ']' token" },
	{ "G19", "fd.name=/var/lo);g/httpd.log", E_AFTER("/var/lo") },
	{ "G19", "test.str = a,", E_AFTER("a") },
	{ "G19", "test.str = a=", E_AFTER("a") },
	{ "G19", "a.b = b = 1", E_AFTER("b") },
	{ "G19", "(a.b = 1", "expected a ')' token" },
	{ "G21", "test.str = \"mixed \\'\"",
	    "invalid \\' escape in \"-quoted string" },
	{ "G21", "test.str = 'mixed \\\"'",
	    "invalid \\\" escape in '-quoted string" },
	{ "G21", "test.str = \"broken escape double quote\"\"",
	    E_AFTER("broken escape double quote") },
	{ "G22", "test.str = \"\\xf\"", "truncated hex char escape" },
	{ "G22", "test.str = \"\\xgg\"", "invalid hex char escape: \\xgg" },
	{ "G22", "test.str = \"\\x-1\"", "invalid hex char escape: \\x-1" },
	{ "G24", "b64 (test.field) exists", E_AFTER("b64") },
	{ "G24", "val(test.field) exists", E_AFTER("val") },
	{ "G24", "some_fake_transformer(x.y) exists",
	    E_AFTER("some_fake_transformer") },
	{ "G24", "b64(test.field [1]) exists",
	    "expected a ')' token closing the transformer" },
	{ "G26", "some.field = val(toupper(test.field))",
	    "expected a field within 'val' transformer" },
	{ "G26", "some.field = (b64(test.field))", E_STR },
	{ "G26", "some.field in (b64(test.field))", "expected a ')' token" },
	{ "G27", "some.field = b64and(some_macro)", E_AFTER("b64and") },
	{ "G31", "join(\"-\", (macro)) = x", E_TLIST },
	{ "G31", "join(\"-\", (fd.name,)) = x", E_TLIST },
	{ "G31", "join(\"-\", ((fd.name))) = x", E_TLIST },
	{ "G33", "", "filter input string is empty" },
	{ "G34", "a AND b", E_AFTER("a") },
	/* more of libs' filter_parser.ut.cpp and §1 */
	{ "LP", "a orb", "expected blank or '(' after 'or'" },
	{ "LP", "a and or b", E_AFTER("or") },
	{ "LP", "macro > 12", E_AFTER("macro") },
	{ "LP", "test.op containsvalue", E_OP },
	{ "LP", "test.op === ", E_STR },
	{ "LP", "test.str = '", E_STR },
	{ "LP", "test.str = 'missing end quote", E_STR },
	{ "LP", "test.str[[] = testval", E_ARG },
	{ "LP", "test.str['''] = a", "expected a ']' token" },
	{ "LP", "test.num >= 0aaaaa", E_AFTER("0") },
	{ "LP", "test.list in (", "expected a ')' token" },
	{ "LP", "test.list in )", E_LIST },
	{ "LP", "some.field = b64(b64)) exists",
	    "expected field transformer argument: field, transformer, quoted "
	    "string, number, or transformer list" },
	{ "LP", "b64(test.field exists",
	    "expected a ')' token closing the transformer" },
	{ "LP", "join(\"-\", (fd.name, fd.directory) = /tmp",
	    "expected a ')' token closing the transformer" },
	{ "LP", "join(\"-\", (fd.name fd.directory)) = /tmp", "expected ')'" },
	{ "LP", "some.field = val(test.field [1])",
	    "expected a ')' token closing the transformer" },
	{ "LP", "#a and b; a and b",
	    "expected a '(' token, a field check, or an identifier" },
	{ "LP", "   ", "expected a '(' token, a field check, or an identifier" },
	{ "LP", "a.a invalidoperator xxx", E_AFTER("validoperator") },
	/* §6.3/§6.5 cases that already fail in the parser */
	{ "T11", "val(evt.args) = val(evt.args)", E_AFTER("val") },
	{ "T11", "syscall.type = val(syscall.type, evt.type)",
	    "expected a ')' token closing the transformer" },
	{ "M6", "evt.type=execve foo", E_AFTER("execve") },
	{ "SRC", "test.str = \"bad \\q\"",
	    "unsupported string escape sequence: \\q" },
	{ "SRC", "proc.name == oneof(a)", E_AFTER("oneof") },
	{ "SRC", "proc.name == oneof not", E_AFTER("oneof") },
	{ "SRC", "proc.name == oneof /bin", E_AFTER("oneof") },
	{ "SRC", "proc.name in oneof (a)", E_AFTER("oneof") },
	{ "SRC", "proc.name = a)", E_AFTER("a") },
	{ "SRC", "proc.name = 'x' y", E_AFTER("x") },
	{ "SRC", "a\n  and\n b c", E_AFTER("b") },
};

#define N_REJECTS (sizeof(rejects) / sizeof(rejects[0]))

START_TEST(test_reject)
{
	assert_rejects(rejects[_i].in, rejects[_i].msg);
}
END_TEST

/* ---- AST structure ----------------------------------------------------- */

START_TEST(test_struct_g3_negations)
{
	struct rule_node *n = parse_ok(
	    "not not not not not(not not(not not_macro))");

	ck_assert_int_eq(n->kind, RULE_NODE_NOT);
	ck_assert_int_eq(n->children[0]->kind, RULE_NODE_NOT);
	ck_assert_int_eq(n->children[0]->children[0]->kind, RULE_NODE_IDENT);
	ck_assert_str_eq(n->children[0]->children[0]->ident, "not_macro");
	rule_node_free(n);
}
END_TEST

START_TEST(test_struct_g1_flattening)
{
	struct rule_node *n = parse_ok("a and b and c or d or e");

	ck_assert_int_eq(n->kind, RULE_NODE_OR);
	ck_assert_uint_eq(n->nchildren, 3);
	ck_assert_int_eq(n->children[0]->kind, RULE_NODE_AND);
	ck_assert_uint_eq(n->children[0]->nchildren, 3);
	ck_assert_str_eq(n->children[2]->ident, "e");
	rule_node_free(n);
}
END_TEST

START_TEST(test_struct_field_arg)
{
	struct rule_node *n = parse_ok("test.str[\"\"] = x and test.str = y "
	    "and proc.aname[2] = z");
	const struct rule_check *c0 = &n->children[0]->check;
	const struct rule_check *c1 = &n->children[1]->check;
	const struct rule_check *c2 = &n->children[2]->check;

	ck_assert_int_eq(c0->left.kind, RULE_OPD_FIELD);
	ck_assert(c0->left.has_arg);
	ck_assert_uint_eq(c0->left.arg.len, 0);
	ck_assert(c0->left.arg.quoted);
	ck_assert(!c1->left.has_arg);
	ck_assert(c2->left.has_arg);
	ck_assert_str_eq(c2->left.arg.s, "2");
	ck_assert(!c2->left.arg.quoted);
	rule_node_free(n);
}
END_TEST

START_TEST(test_struct_rhs_kinds)
{
	struct rule_node *n = parse_ok("a.b = 'q' and a.b == v and a.b in l "
	    "and a.b = val(c.d[1]) and a.b = tolower(c.d) and a.b exists "
	    "and a.b in (x, \"y\")");
	const struct rule_check *c;

	ck_assert_uint_eq(n->nchildren, 7);
	c = &n->children[0]->check;
	ck_assert_int_eq(c->op, RULE_OP_EQ);
	ck_assert(!c->op_eqeq);
	ck_assert_int_eq(c->rhs.kind, RULE_RHS_VALUE);
	ck_assert(c->rhs.values[0].quoted);
	c = &n->children[1]->check;
	ck_assert_int_eq(c->op, RULE_OP_EQ);
	ck_assert(c->op_eqeq);
	ck_assert(!c->rhs.values[0].quoted);
	c = &n->children[2]->check;
	ck_assert_int_eq(c->rhs.kind, RULE_RHS_IDENT);
	ck_assert_str_eq(c->rhs.values[0].s, "l");
	c = &n->children[3]->check;
	ck_assert_int_eq(c->rhs.kind, RULE_RHS_FIELD);
	ck_assert_str_eq(c->rhs.operand->name, "c.d");
	ck_assert_str_eq(c->rhs.operand->arg.s, "1");
	c = &n->children[4]->check;
	ck_assert_int_eq(c->rhs.kind, RULE_RHS_XFORM);
	ck_assert_int_eq(c->rhs.operand->xform, RULE_XF_TOLOWER);
	ck_assert_uint_eq(c->rhs.operand->nargs, 1);
	ck_assert_int_eq(c->rhs.operand->args[0].kind, RULE_OPD_FIELD);
	c = &n->children[5]->check;
	ck_assert_int_eq(c->op, RULE_OP_EXISTS);
	ck_assert_int_eq(c->rhs.kind, RULE_RHS_NONE);
	c = &n->children[6]->check;
	ck_assert_int_eq(c->rhs.kind, RULE_RHS_LIST);
	ck_assert_uint_eq(c->rhs.nvalues, 2);
	ck_assert(!c->rhs.values[0].quoted);
	ck_assert(c->rhs.values[1].quoted);
	rule_node_free(n);
}
END_TEST

START_TEST(test_struct_modifiers)
{
	struct rule_node *n = parse_ok("proc.name == oneof (cat, nginx) and "
	    "proc.name != allof my_list and proc.name == oneof");
	const struct rule_check *c;

	c = &n->children[0]->check;
	ck_assert_int_eq(c->mod, RULE_MOD_ONEOF);
	ck_assert_int_eq(c->rhs.kind, RULE_RHS_LIST);
	ck_assert_uint_eq(c->rhs.nvalues, 2);
	c = &n->children[1]->check;
	ck_assert_int_eq(c->op, RULE_OP_NE);
	ck_assert_int_eq(c->mod, RULE_MOD_ALLOF);
	ck_assert_int_eq(c->rhs.kind, RULE_RHS_IDENT);
	c = &n->children[2]->check;	/* G29: plain value "oneof" */
	ck_assert_int_eq(c->mod, RULE_MOD_NONE);
	ck_assert_int_eq(c->rhs.kind, RULE_RHS_VALUE);
	ck_assert_str_eq(c->rhs.values[0].s, "oneof");
	rule_node_free(n);
}
END_TEST

START_TEST(test_struct_transformer_args)
{
	struct rule_node *n = parse_ok(
	    "join(\"-\", (fd.name, toupper(fd.directory), 'x', 12)) = a");
	const struct rule_operand *j = &n->check.left, *l;

	ck_assert_int_eq(j->kind, RULE_OPD_XFORM);
	ck_assert_int_eq(j->xform, RULE_XF_JOIN);
	ck_assert_uint_eq(j->nargs, 2);
	ck_assert_int_eq(j->args[0].kind, RULE_OPD_VALUE);
	ck_assert(j->args[0].value.quoted);
	l = &j->args[1];
	ck_assert_int_eq(l->kind, RULE_OPD_LIST);
	ck_assert_uint_eq(l->nargs, 4);
	ck_assert_int_eq(l->args[0].kind, RULE_OPD_FIELD);
	ck_assert_int_eq(l->args[1].kind, RULE_OPD_XFORM);
	ck_assert_int_eq(l->args[2].kind, RULE_OPD_VALUE);
	ck_assert(l->args[2].value.quoted);
	ck_assert_str_eq(l->args[3].value.s, "12");
	ck_assert(!l->args[3].value.quoted);
	rule_node_free(n);
}
END_TEST

/* ---- string escapes (§1.3, E4, G20-G22) --------------------------------- */

struct escape_case {
	const char	*in;		/* the quoted string, as written */
	const char	*want;
	size_t		 len;
};

static const struct escape_case escapes[] = {
	{ "'hello \\'quoted\\''", "hello 'quoted'", 14 },		/* E4 */
	{ "\"hello 'quoted'\"", "hello 'quoted'", 14 },			/* E4 */
	{ "'hello \\\\'quoted\\\\''", "hello \\'quoted\\'", 16 },	/* E4 */
	{ "'multiple escape single quote \\' \\\\''",
	    "multiple escape single quote ' \\'", 33 },			/* G20 */
	{ "\"\\b\\f\\n\\r\\t\\\\\\/\"", "\b\f\n\r\t\\/", 7 },
	{ "\"a\\ b\"", "a\\b", 3 },			/* legacy "\ " */
	{ "\"\\x41\"", "A", 1 },
	{ "\"\\x413\"", "A3", 2 },
	{ "\"\\xAb\"", "\xab", 1 },
	{ "\"a\\x00b\"", "a\0b", 3 },			/* NUL kept */
	{ "''", "", 0 },
	{ "\"\"", "", 0 },
	{ "\"it's\"", "it's", 4 },
	{ "'say \"hi\"'", "say \"hi\"", 8 },
};

#define N_ESCAPES (sizeof(escapes) / sizeof(escapes[0]))

START_TEST(test_escape)
{
	char in[128];
	struct rule_node *n;
	const struct rule_value *v;

	snprintf(in, sizeof(in), "x.y = %s", escapes[_i].in);
	n = parse_ok(in);
	v = &n->check.rhs.values[0];
	ck_assert(v->quoted);
	ck_assert_uint_eq(v->len, escapes[_i].len);
	ck_assert_mem_eq(v->s, escapes[_i].want, escapes[_i].len);
	ck_assert_int_eq(v->s[v->len], '\0');
	rule_node_free(n);
}
END_TEST

START_TEST(test_escape_no_hex)
{
	static const char in[] = "x.y = \"\\x41\"";
	struct rule_parse_opts o = { 0, true };
	struct rule_parse_error e = parse_err_opts(in, strlen(in), &o);

	ck_assert_str_eq(e.msg, "unsupported string escape sequence: \\x");
}
END_TEST

START_TEST(test_escape_print)
{
	/* escape_str(): quotes only values with blanks/quotes/backslash */
	assert_prints("x.y = 'a\\\\b'", "x.y = \"a\\\\b\"");
	assert_prints("x.y = \"q\\\"\"", "x.y = \"q\\\"\"");
	assert_prints("x.y = \"\\x01\"", "x.y = \x01");
}
END_TEST

/* ---- positions ---------------------------------------------------------- */

struct pos_case {
	const char	*in;
	const char	*msg;
	size_t		 idx;
	unsigned	 line;
	unsigned	 col;
};

static const struct pos_case err_positions[] = {
	{ "proc.name = a and\n  evt.type in (x,\n    y,)",
	    "expected a string value", 42, 3, 7 },
	{ "a and\nb\n  c", E_AFTER("b"), 10, 3, 3 },
	{ "x.y = a or\n  x.z = 'ab\\qc'",
	    "unsupported string escape sequence: \\q", 22, 2, 12 },
	{ "x.y = a or\r\n x.z >", E_NUM, 18, 3, 7 },
	{ "evt.type = open and\n\tproc.name exist", E_OP, 31, 2, 12 },
	{ "(a and\n (b or c)", "expected a ')' token", 16, 2, 10 },
	{ "", "filter input string is empty", 0, 1, 1 },
};

#define N_ERR_POSITIONS (sizeof(err_positions) / sizeof(err_positions[0]))

START_TEST(test_error_position)
{
	const struct pos_case *c = &err_positions[_i];
	struct rule_parse_error e = parse_err_opts(c->in, strlen(c->in), NULL);

	ck_assert_str_eq(e.msg, c->msg);
	ck_assert_uint_eq(e.pos.idx, c->idx);
	ck_assert_uint_eq(e.pos.line, c->line);
	ck_assert_uint_eq(e.pos.col, c->col);
}
END_TEST

static void
pos_eq(struct rule_pos p, size_t idx, unsigned line, unsigned col)
{
	ck_assert_uint_eq(p.idx, idx);
	ck_assert_uint_eq(p.line, line);
	ck_assert_uint_eq(p.col, col);
}

/* libs' position_not / position_complex_multiline */
START_TEST(test_node_positions)
{
	struct rule_node *n = parse_ok("not proc.name=nginx");
	const struct rule_node *a, *c;

	pos_eq(n->pos, 0, 1, 1);
	pos_eq(n->children[0]->pos, 4, 1, 5);
	pos_eq(n->children[0]->check.left.pos, 4, 1, 5);
	pos_eq(n->children[0]->check.rhs.values[0].pos, 14, 1, 15);
	rule_node_free(n);

	n = parse_ok("\n(proc.aname[2]=nginx\n     and evt.type in "
	    "(connect,accept))\n   or (not fd.name exists)\n   or "
	    "(proc.name=apache\n       and evt.type=switch)");
	pos_eq(n->pos, 0, 1, 1);
	a = n->children[0];
	pos_eq(a->pos, 2, 2, 2);
	pos_eq(a->children[0]->check.rhs.values[0].pos, 16, 2, 16);
	c = a->children[1];
	pos_eq(c->pos, 31, 3, 10);
	pos_eq(c->check.rhs.pos, 43, 3, 22);
	pos_eq(c->check.rhs.values[1].pos, 52, 3, 31);
	pos_eq(n->children[1]->pos, 68, 4, 8);
	pos_eq(n->children[1]->children[0]->pos, 72, 4, 12);
	pos_eq(n->children[2]->children[1]->check.rhs.values[0].pos,
	    132, 6, 21);
	rule_node_free(n);
}
END_TEST

/* ---- depth limit (G32) -------------------------------------------------- */

START_TEST(test_depth_limit)
{
	size_t len = 100000;
	char *s = malloc(len);
	struct rule_parse_opts o = { RULE_PARSE_FALCO_DEPTH, false };
	struct rule_parse_error e;

	ck_assert_ptr_nonnull(s);
	memset(s, '(', len);
	e = parse_err_opts(s, len, NULL);
	ck_assert_str_eq(e.msg, "exceeded max depth limit of 100");
	e = parse_err_opts(s, len, &o);
	ck_assert_str_eq(e.msg, "exceeded max depth limit of 1000");
	o.max_depth = 1000000;		/* clamped, still no overflow */
	e = parse_err_opts(s, len, &o);
	ck_assert_str_eq(e.msg, "exceeded max depth limit of 5000");
	free(s);
}
END_TEST

/* Same nesting as upstream: 5 guarded frames per parenthesis. */
START_TEST(test_depth_boundary)
{
	char s[64];
	struct rule_node *n;

	memset(s, '(', 19);
	s[19] = 'a';
	memset(s + 20, ')', 19);
	s[39] = '\0';
	n = parse_ok(s);
	ck_assert_str_eq(print(n), "a");
	rule_node_free(n);
	memset(s, '(', 20);
	s[20] = 'a';
	memset(s + 21, ')', 20);
	s[41] = '\0';
	assert_rejects(s, "exceeded max depth limit of 100");
}
END_TEST

START_TEST(test_long_flat_input)
{
	size_t i, n = 20000;
	char *s = malloc(n * 16 + 16), *p = s;
	struct rule_node *r;

	ck_assert_ptr_nonnull(s);
	for (i = 0; i < n; i++)
		p += sprintf(p, "%snot a.b=%zu", i ? " and " : "", i % 10);
	r = parse_ok(s);
	ck_assert_int_eq(r->kind, RULE_NODE_AND);
	ck_assert_uint_eq(r->nchildren, n);
	rule_node_free(r);
	free(s);
}
END_TEST

/* ---- macros (§6.5) ------------------------------------------------------ */

struct macro_def {
	const char	*name;
	const char	*cond;
};

struct macro_set {
	const struct macro_def	*defs;
	size_t			 n;
	struct rule_node	*ast[24];
};

static const struct rule_node *
lookup(const char *name, void *arg)
{
	struct macro_set *ms = arg;
	size_t i;

	for (i = 0; i < ms->n; i++)
		if (strcmp(ms->defs[i].name, name) == 0)
			return ms->ast[i];
	return NULL;
}

static void
macros_load(struct macro_set *ms, const struct macro_def *d, size_t n)
{
	size_t i;

	ms->defs = d;
	ms->n = n;
	for (i = 0; i < n; i++)
		ms->ast[i] = parse_ok(d[i].cond);
}

static void
macros_free(struct macro_set *ms)
{
	size_t i;

	for (i = 0; i < ms->n; i++)
		rule_node_free(ms->ast[i]);
}

static const struct macro_def defs[] = {
	{ "interactive", "((proc.aname=sshd and proc.name != sshd) or "
	    "proc.name=systemd-logind or proc.name=login) or proc.name = ssh" },
	{ "open_read", "evt.type in (open,openat) and fd.num>=0" },
	{ "outer", "open_read and not inner" },
	{ "inner", "proc.name = cat or innermost" },
	{ "innermost", "fd.name startswith /etc" },
	{ "loop_a", "x.y = 1 and loop_b" },
	{ "loop_b", "not loop_a" },
	{ "self", "self or x.y = 2" },
};

struct resolve_case {
	const char	*in;
	const char	*out;		/* NULL: error */
	const char	*msg;
	size_t		 err_idx;
};

static const struct resolve_case resolves[] = {
	{ "evt.type=open and interactive",		/* M1 */
	    "(evt.type = open and (((proc.aname = sshd and proc.name != sshd) "
	    "or proc.name = systemd-logind or proc.name = login) or "
	    "proc.name = ssh))", NULL, 0 },
	{ "outer",
	    "((evt.type in (open, openat) and fd.num >= 0) and not "
	    "(proc.name = cat or fd.name startswith /etc))", NULL, 0 },
	{ "not innermost", "not fd.name startswith /etc", NULL, 0 },
	{ "not open_read or x.y exists",
	    "(not (evt.type in (open, openat) and fd.num >= 0) or x.y exists)",
	    NULL, 0 },
	{ "tolower(some.field)=v and innermost",	/* M10 */
	    "(tolower(some.field) = v and fd.name startswith /etc)", NULL, 0 },
	{ "x.y in innermost and x.z = innermost",
	    "(x.y in innermost and x.z = innermost)", NULL, 0 },
	{ "evt.type = open and proc.name in (ash, bash, csh)",
	    "(evt.type = open and proc.name in (ash, bash, csh))", NULL, 0 },
	{ "x.y = 1 and foo", NULL, "Undefined macro 'foo' used in filter.",
	    12 },						/* M5/M7 */
	{ "innermost or (bar)", NULL,
	    "Undefined macro 'bar' used in filter.", 14 },
	{ "loop_a", NULL, "reference loop in macro 'loop_a'", 4 },	/* M9 */
	{ "x.y = 3 or self", NULL, "reference loop in macro 'self'", 0 },
};

#define N_RESOLVES (sizeof(resolves) / sizeof(resolves[0]))

START_TEST(test_resolve)
{
	const struct resolve_case *c = &resolves[_i];
	struct macro_set ms;
	struct rule_parse_error e;
	struct rule_node *n;

	macros_load(&ms, defs, sizeof(defs) / sizeof(defs[0]));
	n = parse_ok(c->in);
	if (c->out != NULL) {
		ck_assert_int_eq(rule_resolve_macros(&n, lookup, &ms, &e), 0);
		ck_assert_str_eq(print(n), c->out);
	} else {
		ck_assert_int_eq(rule_resolve_macros(&n, lookup, &ms, &e), -1);
		ck_assert_str_eq(e.msg, c->msg);
		ck_assert_uint_eq(e.pos.idx, c->err_idx);
		ck_assert_ptr_nonnull(n);	/* still a valid tree */
		print(n);
	}
	rule_node_free(n);
	macros_free(&ms);
}
END_TEST

/* The macro bodies are cloned, never shared or modified. */
START_TEST(test_resolve_leaves_macros)
{
	struct macro_set ms;
	struct rule_parse_error e;
	struct rule_node *a, *b;

	macros_load(&ms, defs, sizeof(defs) / sizeof(defs[0]));
	a = parse_ok("outer");
	b = parse_ok("outer and innermost");
	ck_assert_int_eq(rule_resolve_macros(&a, lookup, &ms, &e), 0);
	ck_assert_int_eq(rule_resolve_macros(&b, lookup, &ms, &e), 0);
	rule_node_free(a);
	ck_assert_str_eq(print(ms.ast[2]), "(open_read and not inner)");
	ck_assert_str_eq(print(b), "(((evt.type in (open, openat) and "
	    "fd.num >= 0) and not (proc.name = cat or fd.name startswith "
	    "/etc)) and fd.name startswith /etc)");
	rule_node_free(b);
	macros_free(&ms);
}
END_TEST

#define BLOWUP_MSG "expanding macro 'm15' makes the condition larger than " \
	"100000 nodes"

/* 2^n blow-up (m0 = m1 and m1, m1 = m2 and m2, ...) stops at the node
 * cap instead of exhausting memory. */
START_TEST(test_resolve_blowup)
{
	static const struct macro_def d[] = {
		{ "m0", "m1 and m1" }, { "m1", "m2 and m2" },
		{ "m2", "m3 and m3" }, { "m3", "m4 and m4" },
		{ "m4", "m5 and m5" }, { "m5", "m6 and m6" },
		{ "m6", "m7 and m7" }, { "m7", "m8 and m8" },
		{ "m8", "m9 and m9" }, { "m9", "m10 and m10" },
		{ "m10", "m11 and m11" }, { "m11", "m12 and m12" },
		{ "m12", "m13 and m13" }, { "m13", "m14 and m14" },
		{ "m14", "m15 and m15" }, { "m15", "m16 and m16" },
		{ "m16", "m17 and m17" }, { "m17", "m18 and m18" },
		{ "m18", "x.y = 1" },
	};
	struct macro_set ms;
	struct rule_parse_error e;
	struct rule_node *n;

	macros_load(&ms, d, sizeof(d) / sizeof(d[0]));
	n = parse_ok("m12");		/* 2^6 leaves: fine */
	ck_assert_int_eq(rule_resolve_macros(&n, lookup, &ms, &e), 0);
	ck_assert_uint_eq(n->nchildren, 2);
	rule_node_free(n);
	n = parse_ok("m0");		/* 2^18 leaves: refused */
	ck_assert_int_eq(rule_resolve_macros(&n, lookup, &ms, &e), -1);
	ck_assert_str_eq(e.msg, BLOWUP_MSG);
	rule_node_free(n);
	macros_free(&ms);
}
END_TEST

/* ---- walker -------------------------------------------------------------- */

struct names {
	char	buf[512];
};

static int
add_ident(const struct rule_node *n, void *arg)
{
	struct names *w = arg;

	strcat(w->buf, "I:");
	strcat(w->buf, n->ident);
	strcat(w->buf, " ");
	return 0;
}

static int
add_field(const struct rule_operand *f, void *arg)
{
	struct names *w = arg;

	strcat(w->buf, "F:");
	strcat(w->buf, f->name);
	if (f->has_arg) {
		strcat(w->buf, "[");
		strcat(w->buf, f->arg.s);
		strcat(w->buf, "]");
	}
	strcat(w->buf, " ");
	return 0;
}

static int
stop_at_b(const struct rule_node *n, void *arg)
{
	return strcmp(n->ident, "b") == 0 ? 7 : add_ident(n, arg);
}

START_TEST(test_walk)
{
	struct rule_node *n = parse_ok("a and not b and proc.name = "
	    "val(proc.pname) and join(\"-\", (fd.name, tolower(fd.directory))) "
	    "exists and x.y in mylist and proc.aname[2] = c and (c or d)");
	struct names w = { "" };
	struct rule_visitor v = { add_ident, add_field, NULL, &w };

	ck_assert_int_eq(rule_node_walk(n, &v), 0);
	ck_assert_str_eq(w.buf, "I:a I:b F:proc.name F:proc.pname F:fd.name "
	    "F:fd.directory F:x.y F:proc.aname[2] I:c I:d ");
	w.buf[0] = '\0';
	v.ident = stop_at_b;
	v.field = NULL;
	ck_assert_int_eq(rule_node_walk(n, &v), 7);
	ck_assert_str_eq(w.buf, "I:a ");
	rule_node_free(n);
}
END_TEST

/* ---- misc API ------------------------------------------------------------ */

START_TEST(test_names)
{
	ck_assert_str_eq(rule_op_name(RULE_OP_EQ), "=");
	ck_assert_str_eq(rule_op_name(RULE_OP_BSTARTSWITH), "bstartswith");
	ck_assert_str_eq(rule_op_name(RULE_OP_EXISTS), "exists");
	ck_assert_str_eq(rule_mod_name(RULE_MOD_NONE), "");
	ck_assert_str_eq(rule_mod_name(RULE_MOD_ALLOF), "allof");
	ck_assert_str_eq(rule_xform_name(RULE_XF_GETOPT), "getopt");
	rule_node_free(NULL);
}
END_TEST

START_TEST(test_print_overflow)
{
	struct rule_node *n = parse_ok("proc.name in (aaaaaaaa, bbbbbbbb)");
	struct fc_buf b;

	fc_buf_init(&b, 10);
	ck_assert_int_eq(rule_node_print(n, &b), -1);
	fc_buf_fini(&b);
	rule_node_free(n);
}
END_TEST

START_TEST(test_input_not_nul_terminated)
{
	static const char s[] = "a.b = cXXXX";
	struct rule_parse_error e;
	struct rule_node *n;

	ck_assert_int_eq(rule_parse(s, 7, NULL, &n, &e), 0);
	ck_assert_str_eq(print(n), "a.b = c");
	rule_node_free(n);
}
END_TEST

Suite *
suite_for_main(void)
{
	Suite *s = suite_create("rule condition parser");
	TCase *tc;

	tc = tcase_create("grammar");
	tcase_add_loop_test(tc, test_accept, 0, N_ACCEPTS);
	tcase_add_loop_test(tc, test_accept_blanks, 0, N_ACCEPTS);
	tcase_add_loop_test(tc, test_reject, 0, N_REJECTS);
	suite_add_tcase(s, tc);

	tc = tcase_create("ast");
	tcase_add_test(tc, test_struct_g3_negations);
	tcase_add_test(tc, test_struct_g1_flattening);
	tcase_add_test(tc, test_struct_field_arg);
	tcase_add_test(tc, test_struct_rhs_kinds);
	tcase_add_test(tc, test_struct_modifiers);
	tcase_add_test(tc, test_struct_transformer_args);
	tcase_add_loop_test(tc, test_clone_roundtrip, 0, N_ACCEPTS);
	tcase_add_test(tc, test_names);
	tcase_add_test(tc, test_print_overflow);
	tcase_add_test(tc, test_input_not_nul_terminated);
	suite_add_tcase(s, tc);

	tc = tcase_create("escapes");
	tcase_add_loop_test(tc, test_escape, 0, N_ESCAPES);
	tcase_add_test(tc, test_escape_no_hex);
	tcase_add_test(tc, test_escape_print);
	suite_add_tcase(s, tc);

	tc = tcase_create("positions");
	tcase_add_loop_test(tc, test_error_position, 0, N_ERR_POSITIONS);
	tcase_add_test(tc, test_node_positions);
	suite_add_tcase(s, tc);

	tc = tcase_create("depth");
	tcase_add_test(tc, test_depth_limit);
	tcase_add_test(tc, test_depth_boundary);
	tcase_add_test(tc, test_long_flat_input);
	suite_add_tcase(s, tc);

	tc = tcase_create("macros");
	tcase_add_loop_test(tc, test_resolve, 0, N_RESOLVES);
	tcase_add_test(tc, test_resolve_leaves_macros);
	tcase_add_test(tc, test_resolve_blowup);
	tcase_add_test(tc, test_walk);
	suite_add_tcase(s, tc);
	return s;
}
