/*
 * check_rule_engine_load.c - rules files through the whole engine: the
 * compiled conditions Falco prints for the loader cases of docs falco.md
 * §6.4-6.7 (L1, M1, M3, X1, X21, X24), the rule cases R17-R22 and R25-R27
 * of §6.6, the warnings of T15/T16 (§6.3) as the engine reports them, and
 * the helpers that write rules files and run matchers (re_test.h).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/buf.h"
#include "rules/ast.h"
#include "re_test.h"
#include "check_main.h"

/* ---- Files and engines ------------------------------------------------- */

static char tmpdir[256];
static char written[32][320];
static size_t nwritten;

const char *
re_tmpdir(void)
{
	if (tmpdir[0] == '\0') {
		snprintf(tmpdir, sizeof(tmpdir), "%s/falconet-re-XXXXXX",
		    getenv("TMPDIR") != NULL ? getenv("TMPDIR") : "/tmp");
		ck_assert_ptr_nonnull(mkdtemp(tmpdir));
	}
	return tmpdir;
}

void
re_cleanup(void)
{
	size_t i;

	for (i = 0; i < nwritten; i++)
		(void)unlink(written[i]);
	nwritten = 0;
	if (tmpdir[0] != '\0')
		(void)rmdir(tmpdir);
	tmpdir[0] = '\0';
}

const char *
re_write(const char *name, const char *yaml)
{
	static char path[320];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", re_tmpdir(), name);
	ck_assert_ptr_nonnull(f = fopen(path, "w"));
	ck_assert_uint_eq(fwrite(yaml, 1, strlen(yaml), f), strlen(yaml));
	ck_assert_int_eq(fclose(f), 0);
	if (nwritten < sizeof(written) / sizeof(written[0]))
		snprintf(written[nwritten++], sizeof(written[0]), "%s", path);
	return path;
}

struct rule_engine *
re_load(const char *const *paths, size_t n, const struct rule_engine_opts *opts)
{
	struct rule_engine *e = rule_engine_load(paths, n, opts);

	ck_assert_ptr_nonnull(e);
	return e;
}

struct rule_engine *
re_load_yaml(const char *yaml, const struct rule_engine_opts *opts)
{
	const char *path = re_write("rules.yaml", yaml);

	return re_load(&path, 1, opts);
}

size_t
re_ndiag(const struct rule_engine *e, enum rl_code code)
{
	const struct rl_result *r = rule_engine_result(e);
	size_t i, n = 0;

	for (i = 0; i < r->n_diags; i++)
		n += r->diags[i].code == code;
	return n;
}

const struct rl_diag *
re_diag(const struct rule_engine *e, enum rl_code code, size_t nth)
{
	const struct rl_result *r = rule_engine_result(e);
	size_t i;

	for (i = 0; i < r->n_diags; i++)
		if (r->diags[i].code == code && nth-- == 0)
			return &r->diags[i];
	return NULL;
}

size_t
re_nwarnings(const struct rule_engine *e)
{
	const struct rl_result *r = rule_engine_result(e);

	return r->n_diags - r->n_errors;
}

const struct rule_info *
re_rule(const struct rule_engine *e, const char *name)
{
	size_t i;

	for (i = 0; i < rule_engine_nrules(e); i++)
		if (strcmp(rule_engine_rule(e, i)->src->name, name) == 0)
			return rule_engine_rule(e, i);
	return NULL;
}

static void
collect(const struct fc_alert *al, void *arg)
{
	struct re_alerts *a = arg;
	struct fc_buf b;

	ck_assert_uint_lt(a->n, RE_MAX_ALERTS);
	fc_buf_init(&b, sizeof(a->line[0]) - 1);
	fc_alert_format(al, &a->fmt, &b);
	ck_assert(!b.overflow);
	memcpy(a->line[a->n], b.p, b.len);
	a->line[a->n][b.len] = '\0';
	snprintf(a->rule[a->n], sizeof(a->rule[0]), "%s", al->rule);
	fc_buf_fini(&b);
	a->n++;
}

unsigned
re_match(const struct rule_engine *e, const struct fc_event *ev,
    struct re_alerts *a)
{
	struct rule_matcher *m = rule_matcher_new(e);
	unsigned n;

	ck_assert_ptr_nonnull(m);
	a->n = 0;
	n = rule_matcher_eval(m, ev, collect, a);
	ck_assert_uint_eq(n, a->n);
	rule_matcher_free(m);
	return n;
}

/* ---- Compiled conditions (Falco's AST printout) ----------------------- */

struct macro_cache {
	const struct rl_result	*res;
	struct rule_node	*ast[64];
};

static const struct rule_node *
cache_lookup(const char *name, void *arg)
{
	struct macro_cache *mc = arg;
	struct rule_parse_error perr;
	size_t i;

	for (i = 0; i < mc->res->n_macros && i < 64; i++) {
		const struct rl_macro *m = &mc->res->macros[i];
		if (strcmp(m->name, name) != 0)
			continue;
		if (mc->ast[i] == NULL)
			ck_assert_int_eq(rule_parse(m->cond, strlen(m->cond),
			    NULL, &mc->ast[i], &perr), 0);
		return mc->ast[i];
	}
	return NULL;
}

const char *
re_print_resolved(const char *cond, const struct rl_result *res)
{
	static char out[4096];
	struct macro_cache mc = { .res = res };
	struct rule_parse_opts po = { .max_depth = RULE_PARSE_FALCO_DEPTH };
	struct rule_parse_error perr;
	struct rule_node *ast = NULL;
	struct fc_buf b;
	size_t i;

	ck_assert_msg(rule_parse(cond, strlen(cond), &po, &ast, &perr) == 0,
	    "%s: %s", cond, perr.msg);
	ck_assert_msg(rule_resolve_macros(&ast, cache_lookup, &mc, &perr) == 0,
	    "%s: %s", cond, perr.msg);
	fc_buf_init(&b, sizeof(out) - 1);
	ck_assert_int_eq(rule_node_print(ast, &b), 0);
	memcpy(out, b.p, b.len);
	out[b.len] = '\0';
	fc_buf_fini(&b);
	rule_node_free(ast);
	for (i = 0; i < 64; i++)
		rule_node_free(mc.ast[i]);
	return out;
}

/* Load yaml with the loader alone and print rule NAME's compiled condition. */
static const char *
compiled(const char *yaml, const char *name)
{
	struct rl_collector *c = rl_collector_new(NULL);
	const struct rl_result *res;
	const char *s = NULL;
	size_t i;

	ck_assert_ptr_nonnull(c);
	ck_assert_int_eq(rl_load_buffer(c, "rules.yaml", yaml, strlen(yaml)),
	    0);
	ck_assert_int_eq(rl_finish(c), 0);
	res = rl_result(c);
	ck_assert_uint_eq(res->n_errors, 0);
	for (i = 0; i < res->n_rules; i++)
		if (strcmp(res->rules[i].name, name) == 0)
			s = re_print_resolved(res->rules[i].cond, res);
	ck_assert_ptr_nonnull(s);
	rl_collector_free(c);
	return s;
}

START_TEST(test_l1_list_append)
{
	ck_assert_str_eq(compiled(
	    "- list: shell_binaries\n"
	    "  items: [ash, bash, csh, ksh, sh, tcsh, zsh, dash]\n"
	    "\n"
	    "- rule: legit_rule\n"
	    "  desc: legit rule description\n"
	    "  condition: evt.type=open and proc.name in (shell_binaries)\n"
	    "  output: user=%user.name command=%proc.cmdline file=%fd.name\n"
	    "  priority: INFO\n"
	    "\n"
	    "- list: shell_binaries\n"
	    "  items: [pwsh]\n"
	    "  override:\n"
	    "    items: append\n", "legit_rule"),
	    "(evt.type = open and proc.name in (ash, bash, csh, ksh, sh, tcsh, "
	    "zsh, dash, pwsh))");
}
END_TEST

START_TEST(test_m1_macro_append)
{
	ck_assert_str_eq(compiled(
	    "- macro: interactive\n"
	    "  condition: >\n"
	    "    ((proc.aname=sshd and proc.name != sshd) or\n"
	    "    proc.name=systemd-logind or proc.name=login)\n"
	    "\n"
	    "- rule: legit_rule\n"
	    "  desc: legit rule description\n"
	    "  condition: evt.type=open and interactive\n"
	    "  output: user=%user.name command=%proc.cmdline file=%fd.name\n"
	    "  priority: INFO\n"
	    "\n"
	    "- macro: interactive\n"
	    "  condition: or proc.name = ssh\n"
	    "  override:\n"
	    "    condition: append\n", "legit_rule"),
	    "(evt.type = open and (((proc.aname = sshd and proc.name != sshd) "
	    "or proc.name = systemd-logind or proc.name = login) or "
	    "proc.name = ssh))");
}
END_TEST

START_TEST(test_m3_macro_replace_first)
{
	ck_assert_str_eq(compiled(
	    "- macro: open_simple\n"
	    "  condition: or evt.type = openat2\n"
	    "  override:\n"
	    "    condition: replace\n"
	    "\n"
	    "- macro: open_simple\n"
	    "  condition: evt.type in (open,openat)\n"
	    "\n"
	    "- rule: test_rule\n"
	    "  desc: simple rule\n"
	    "  condition: open_simple\n"
	    "  output: command=%proc.cmdline\n"
	    "  priority: INFO\n", "test_rule"),
	    "evt.type in (open, openat)");
}
END_TEST

START_TEST(test_x1_exception_quoting)
{
	ck_assert_str_eq(compiled(
	    "- rule: test_rule\n"
	    "  desc: test rule\n"
	    "  condition: proc.cmdline contains curl or proc.cmdline contains "
	    "wget\n"
	    "  output: command=%proc.cmdline\n"
	    "  priority: INFO\n"
	    "  exceptions:\n"
	    "    - name: test_exception\n"
	    "      fields: [proc.cmdline]\n"
	    "      comps: [contains]\n"
	    "      values:\n"
	    "        - [curl 127.0.0.1]\n", "test_rule"),
	    "((proc.cmdline contains curl or proc.cmdline contains wget) and "
	    "not proc.cmdline contains \"curl 127.0.0.1\")");
}
END_TEST

static const char *
modifier_exception(const char *values)
{
	char yaml[1024];

	snprintf(yaml, sizeof(yaml),
	    "- rule: test_rule\n"
	    "  desc: test rule\n"
	    "  condition: evt.type = open\n"
	    "  output: command=%%proc.cmdline\n"
	    "  priority: INFO\n"
	    "  exceptions:\n"
	    "    - name: ex\n"
	    "      fields: [proc.name]\n"
	    "      comps: [startswith oneof]\n"
	    "      values:\n"
	    "        - [%s]\n", values);
	return compiled(yaml, "test_rule");
}

START_TEST(test_x21_modifier_comps)
{
	ck_assert_str_eq(modifier_exception("[sshd, sudo, systemd]"),
	    "(evt.type = open and not proc.name startswith oneof (sshd, sudo, "
	    "systemd))");
	ck_assert_str_eq(modifier_exception("sshd"),
	    "(evt.type = open and not proc.name startswith oneof (sshd))");
}
END_TEST

START_TEST(test_x24_multi_field_exception)
{
	ck_assert_str_eq(compiled(
	    "- rule: test_rule\n"
	    "  desc: test rule\n"
	    "  condition: evt.type = open\n"
	    "  output: command=%proc.cmdline\n"
	    "  priority: INFO\n"
	    "  exceptions:\n"
	    "    - name: ex\n"
	    "      fields: [proc.name, fd.name, proc.exepath]\n"
	    "      comps: [contains, startswith, =]\n"
	    "      values:\n"
	    "        - [agent, /var/log/, /usr/bin/prometheus]\n", "test_rule"),
	    "(evt.type = open and not (proc.name contains agent and fd.name "
	    "startswith /var/log/ and proc.exepath = /usr/bin/prometheus))");
}
END_TEST

/* ---- §6.6 Rules through the engine ------------------------------------- */

static struct fc_event ev;

static void
setup(void)
{
	fc_event_init(&ev);
	setenv("TZ", "UTC", 1);
	tzset();
	setenv("FALCO_HOSTNAME", "test-falco-hostname", 1);
	unsetenv("FALCONET_HOSTNAME");
}

static void
teardown(void)
{
	fc_event_fini(&ev);
	re_cleanup();
}

/* open("/dev/null", O_RDONLY) = 3 by `cat /dev/null`. */
static const char EV_OPEN_NULL[] =
    HDR("SYSCALL", "1470327477.881:200") "arch=c000003e syscall=2 "
    "success=yes exit=3 a0=7ffd a1=0 a2=0 a3=0 items=1 ppid=1 pid=4000 "
    "auid=1000 uid=1000 gid=1000 euid=1000 suid=1000 fsuid=1000 egid=1000 "
    "sgid=1000 fsgid=1000 tty=pts0 ses=3 comm=\"cat\" exe=\"/usr/bin/cat\" "
    "key=(null)\n"
    HDR("CWD", "1470327477.881:200") "cwd=\"/root\"\n"
    HDR("PATH", "1470327477.881:200") "item=0 name=\"/dev/null\" inode=5 "
    "dev=00:05 mode=020666 ouid=0 ogid=0 rdev=01:03 nametype=NORMAL "
    "cap_fp=0 cap_fi=0 cap_fe=0 cap_fver=0\n"
    HDR("PROCTITLE", "1470327477.881:200")
    "proctitle=636174002F6465762F6E756C6C\n";

/* The exec of `cat /dev/null` itself (another event type, same process). */
static const char EV_EXEC_CAT[] =
    HDR("SYSCALL", "1470327477.880:199") "arch=c000003e syscall=59 "
    "success=yes exit=0 a0=1 a1=2 a2=3 a3=0 items=1 ppid=1 pid=4000 "
    "auid=1000 uid=1000 gid=1000 euid=1000 suid=1000 fsuid=1000 egid=1000 "
    "sgid=1000 fsgid=1000 tty=pts0 ses=3 comm=\"cat\" exe=\"/usr/bin/cat\" "
    "key=(null)\n"
    HDR("EXECVE", "1470327477.880:199") "argc=2 a0=\"cat\" "
    "a1=\"/dev/null\"\n"
    HDR("CWD", "1470327477.880:199") "cwd=\"/root\"\n"
    HDR("PATH", "1470327477.880:199") "item=0 name=\"/usr/bin/cat\" "
    "inode=6 dev=08:01 mode=0100755 ouid=0 ogid=0 rdev=00:00 "
    "nametype=NORMAL cap_fp=0 cap_fi=0 cap_fe=0 cap_fver=0\n";

#define RULE(name, cond, out)						\
	"- rule: " name "\n"						\
	"  desc: " name "\n"						\
	"  condition: " cond "\n"					\
	"  output: \"" out "\"\n"					\
	"  priority: WARNING\n"

START_TEST(test_r17_skip_if_unknown_filter)
{
	struct rule_engine *e;
	struct re_alerts a = { .fmt = { .json = false } };

	e = re_load_yaml(
	    RULE("bad_field", "evt.type = open and proc.nobody = cat",
	    "%proc.name")
	    "  skip-if-unknown-filter: true\n"
	    RULE("bad_evttype", "evt.type = some_invalid_event", "%proc.name")
	    "  skip-if-unknown-filter: true\n"
	    RULE("bad_output", "evt.type = open", "%not_a_real_field")
	    "  skip-if-unknown-filter: true\n"
	    RULE("good", "evt.type = open and fd.name = /dev/null",
	    "open of %fd.name"), NULL);
	ck_assert(rule_engine_ok(e));
	ck_assert_uint_eq(rule_engine_nrules(e), 4);
	ck_assert_uint_eq(re_ndiag(e, RL_LOAD_UNKNOWN_FILTER), 3);
	ck_assert_str_eq(re_diag(e, RL_LOAD_UNKNOWN_FILTER, 0)->msg,
	    "filter_check called with nonexistent field proc.nobody");
	ck_assert_str_eq(re_diag(e, RL_LOAD_UNKNOWN_FILTER, 0)->item_name,
	    "bad_field");
	ck_assert_str_eq(re_diag(e, RL_LOAD_UNKNOWN_FILTER, 1)->msg,
	    "unknown event type some_invalid_event");
	ck_assert_str_eq(re_diag(e, RL_LOAD_UNKNOWN_FILTER, 2)->msg,
	    "invalid formatting token not_a_real_field");
	ck_assert(!re_rule(e, "bad_field")->enabled);
	ck_assert_str_eq(re_rule(e, "bad_field")->disabled_reason,
	    "skip-if-unknown-filter");
	ck_assert(!re_rule(e, "bad_evttype")->enabled);
	ck_assert(!re_rule(e, "bad_output")->enabled);
	ck_assert(re_rule(e, "good")->enabled);
	re_event(&ev, EV_OPEN_NULL, 1);
	ck_assert_uint_eq(re_match(e, &ev, &a), 1);
	ck_assert_str_eq(a.rule[0], "good");
	rule_engine_free(e);
}
END_TEST

START_TEST(test_r18_unknown_filter_is_error)
{
	static const char *const yaml[] = {
		RULE("r", "evt.type = open and proc.nobody = cat", "%proc.name"),
		RULE("r", "evt.type = open and proc.nobody = cat", "%proc.name")
		"  skip-if-unknown-filter: false\n",
		RULE("r", "evt.type = some_invalid_event", "%proc.name"),
		RULE("r", "evt.type = open", "An open was seen "
		    "%not_a_real_field"),
	};
	static const enum rl_code code[] = {
		RL_LOAD_ERR_COMPILE_CONDITION, RL_LOAD_ERR_COMPILE_CONDITION,
		RL_LOAD_ERR_COMPILE_CONDITION, RL_LOAD_ERR_COMPILE_OUTPUT,
	};
	static const char *const msg[] = {
		"filter_check called with nonexistent field proc.nobody",
		"filter_check called with nonexistent field proc.nobody",
		"unknown event type some_invalid_event",
		"invalid formatting token not_a_real_field",
	};
	struct rule_engine *e;
	size_t i;

	for (i = 0; i < 4; i++) {
		e = re_load_yaml(yaml[i], NULL);
		ck_assert(!rule_engine_ok(e));
		ck_assert_uint_eq(rule_engine_result(e)->n_errors, 1);
		ck_assert_str_eq(re_diag(e, code[i], 0)->msg, msg[i]);
		/* a failed load holds no rules */
		ck_assert_uint_eq(rule_engine_nrules(e), 0);
		rule_engine_free(e);
	}
}
END_TEST

/* Warnings loading one rule with this condition. */
static size_t
no_evttype_warnings(const char *cond, bool warn_evttypes)
{
	char yaml[1024];
	struct rule_engine *e;
	size_t n;

	snprintf(yaml, sizeof(yaml), RULE("r", "%s", "%%proc.name")
	    "  warn_evttypes: %s\n", cond, warn_evttypes ? "true" : "false");
	e = re_load_yaml(yaml, NULL);
	ck_assert_msg(rule_engine_ok(e), "%s", cond);
	n = re_ndiag(e, RL_LOAD_NO_EVTTYPE);
	ck_assert_uint_eq(re_nwarnings(e), n);
	if (n > 0)
		ck_assert_str_eq(re_diag(e, RL_LOAD_NO_EVTTYPE, 0)->msg,
		    "Rule matches too many evt.type values. This has a "
		    "significant performance penalty.");
	rule_engine_free(e);
	return n;
}

START_TEST(test_r19_no_evttype)
{
	ck_assert_uint_eq(no_evttype_warnings("proc.name = cat", true), 1);
	ck_assert_uint_eq(no_evttype_warnings("proc.name = cat", false), 0);
	ck_assert_uint_eq(no_evttype_warnings("evt.type = close", true), 0);
	/* Statically unsatisfiable: an empty set, no warning (falco#3883). */
	ck_assert_uint_eq(no_evttype_warnings("evt.type = open and "
	    "evt.type = close", true), 0);
	/* Falco 0.44 (libs 0.25.2) counts evt.num=0 as every type; only
	 * libs master proves it empty.  falconet follows the release. */
	ck_assert_uint_eq(no_evttype_warnings("evt.num = 0", true), 1);
}
END_TEST

START_TEST(test_r20_negated_evttype)
{
	ck_assert_uint_eq(no_evttype_warnings("evt.type!=execve", true), 1);
	ck_assert_uint_eq(no_evttype_warnings("not evt.type=execve", true), 1);
	ck_assert_uint_eq(no_evttype_warnings("evt.type=execve and not "
	    "proc.name=foo", true), 0);
	ck_assert_uint_eq(no_evttype_warnings("not (evt.type!=execve or "
	    "proc.name=foo)", true), 0);
}
END_TEST

static struct rule_engine *
versioned(const char *version)
{
	char yaml[512];

	snprintf(yaml, sizeof(yaml), "- required_engine_version: %s\n\n"
	    RULE("r", "evt.type = close", "%%proc.name"), version);
	return re_load_yaml(yaml, NULL);
}

START_TEST(test_r21_engine_version)
{
	struct rule_engine *e;

	e = versioned("0.26.0");
	ck_assert(rule_engine_ok(e));
	ck_assert_uint_eq(re_nwarnings(e), 0);
	rule_engine_free(e);
	e = versioned("26");
	ck_assert(rule_engine_ok(e));
	ck_assert_uint_eq(re_nwarnings(e), 0);
	rule_engine_free(e);
	e = versioned("seven");
	ck_assert(!rule_engine_ok(e));
	ck_assert_str_eq(re_diag(e, RL_LOAD_ERR_YAML_VALIDATE, 0)->msg,
	    "Unable to parse engine version 'seven' as a semver string. "
	    "Expected \"x.y.z\" semver format.");
	rule_engine_free(e);
	e = versioned("9999999");
	ck_assert(!rule_engine_ok(e));
	ck_assert_str_eq(re_diag(e, RL_LOAD_ERR_VALIDATE, 0)->msg,
	    "Rules require engine version 0.9999999.0, but engine version is "
	    FC_ENGINE_VERSION);
	rule_engine_free(e);
}
END_TEST

static const char OVERLAP[] =
    "- rule: open_dev_null\n"
    "  desc: an open of /dev/null\n"
    "  condition: evt.type=open and fd.name=/dev/null\n"
    "  output: An open of /dev/null was seen (command=%proc.cmdline)\n"
    "  priority: WARNING\n"
    "- rule: dev_null\n"
    "  desc: anything on /dev/null\n"
    "  condition: fd.name=/dev/null or proc.args contains /dev/null\n"
    "  output: Some /dev/null event (command=%proc.cmdline)\n"
    "  priority: INFO\n"
    "  warn_evttypes: false\n";

START_TEST(test_r22_rule_matching)
{
	struct rule_engine_opts o;
	struct rule_engine *e;
	struct re_alerts a = { .fmt = { .json = false } };

	rule_engine_opts_defaults(&o);
	o.suggested_output = false;
	e = re_load_yaml(OVERLAP, &o);
	ck_assert(rule_engine_ok(e));
	re_event(&ev, EV_OPEN_NULL, 1);
	ck_assert_uint_eq(re_match(e, &ev, &a), 1);
	ck_assert_str_eq(a.rule[0], "open_dev_null");
	ck_assert_str_eq(a.line[0], "16:17:57.881000000: Warning An open of "
	    "/dev/null was seen (command=cat /dev/null)");
	re_event(&ev, EV_EXEC_CAT, 2);
	ck_assert_uint_eq(re_match(e, &ev, &a), 1);
	ck_assert_str_eq(a.rule[0], "dev_null");
	ck_assert_str_eq(a.line[0], "16:17:57.880000000: Informational Some "
	    "/dev/null event (command=cat /dev/null)");
	ck_assert_uint_eq(re_rule(e, "open_dev_null")->matches, 1);
	ck_assert_uint_eq(re_rule(e, "dev_null")->matches, 1);
	rule_engine_free(e);

	o.match_all = true;
	e = re_load_yaml(OVERLAP, &o);
	re_event(&ev, EV_OPEN_NULL, 1);
	ck_assert_uint_eq(re_match(e, &ev, &a), 2);
	ck_assert_str_eq(a.rule[0], "open_dev_null");
	ck_assert_str_eq(a.rule[1], "dev_null");
	rule_engine_free(e);
}
END_TEST

START_TEST(test_r25_bad_output_field)
{
	struct rule_engine *e;
	const struct rl_diag *d;

	e = re_load_yaml(RULE("r", "evt.type = open",
	    "An open was seen %not_a_real_field"), NULL);
	ck_assert(!rule_engine_ok(e));
	d = re_diag(e, RL_LOAD_ERR_COMPILE_OUTPUT, 0);
	ck_assert_ptr_nonnull(d);
	ck_assert_str_eq(d->msg, "invalid formatting token not_a_real_field");
	ck_assert_str_eq(d->item_name, "r");
	ck_assert_uint_eq(d->pos.line, 4);
	rule_engine_free(e);
}
END_TEST

/*
 * R26: LOAD_UNSAFE_NA_CHECK is about the k8s audit plugin's fields
 * (ka.*, jevt.*) compared with "<NA>".  falconet has no such fields:
 * a k8s_audit rule is skipped as an unknown source before any check, a
 * syscall rule naming ka.* fails as an unknown field, and comparing a
 * known field with <NA> is a plain string comparison, with no warning
 * (as in Falco).
 */
START_TEST(test_r26_na_checks)
{
	struct rule_engine *e;

	e = re_load_yaml(
	    "- rule: k8s\n"
	    "  desc: k8s\n"
	    "  condition: ka.user.name = <NA> or ka.verb in (x, <NA>)\n"
	    "  output: \"%ka.user.name\"\n"
	    "  priority: WARNING\n"
	    "  source: k8s_audit\n"
	    RULE("plain", "evt.type = open and proc.name = <NA>", "%proc.name"),
	    NULL);
	ck_assert(rule_engine_ok(e));
	ck_assert_uint_eq(re_ndiag(e, RL_LOAD_UNSAFE_NA_CHECK), 0);
	ck_assert_uint_eq(re_ndiag(e, RL_LOAD_UNKNOWN_SOURCE), 1);
	ck_assert_uint_eq(re_nwarnings(e), 1);
	ck_assert_uint_eq(rule_engine_nrules(e), 1);
	rule_engine_free(e);

	e = re_load_yaml(RULE("r", "evt.type = open and some.field = <NA>",
	    "%proc.name"), NULL);
	ck_assert(!rule_engine_ok(e));
	ck_assert_str_eq(re_diag(e, RL_LOAD_ERR_COMPILE_CONDITION, 0)->msg,
	    "filter_check called with nonexistent field some.field");
	rule_engine_free(e);
}
END_TEST

START_TEST(test_r27_deprecated_fields)
{
	struct rule_engine *e;

	e = re_load_yaml(RULE("cond", "evt.type = open and evt.dir = <",
	    "%proc.name")
	    RULE("out", "evt.type = openat", "%proc.name %evt.dir")
	    RULE("both", "evt.type = close and evt.latency > 0",
	    "%evt.latency"), NULL);
	ck_assert(rule_engine_ok(e));
	ck_assert_uint_eq(re_ndiag(e, RL_LOAD_DEPRECATED_ITEM), 4);
	ck_assert_uint_eq(re_nwarnings(e), 4);
	ck_assert_str_eq(re_diag(e, RL_LOAD_DEPRECATED_ITEM, 0)->item_name,
	    "cond");
	ck_assert_str_eq(re_diag(e, RL_LOAD_DEPRECATED_ITEM, 0)->msg,
	    "field 'evt.dir' is deprecated");
	ck_assert_str_eq(re_diag(e, RL_LOAD_DEPRECATED_ITEM, 1)->item_name,
	    "out");
	ck_assert_str_eq(re_diag(e, RL_LOAD_DEPRECATED_ITEM, 1)->msg,
	    "field 'evt.dir' is deprecated");
	ck_assert_str_eq(re_diag(e, RL_LOAD_DEPRECATED_ITEM, 2)->item_name,
	    "both");
	ck_assert_str_eq(re_diag(e, RL_LOAD_DEPRECATED_ITEM, 3)->msg,
	    "field 'evt.latency' is deprecated");
	/* evt.dir = < is always true (exit events only) */
	ck_assert(re_rule(e, "cond")->enabled);
	rule_engine_free(e);
}
END_TEST

/* A diagnostic about a field that came from a macro points into the macro. */
START_TEST(test_macro_field_position)
{
	struct rule_engine *e;
	const struct rl_diag *d;

	e = re_load_yaml(
	    "- macro: udp_send\n"
	    "  condition: evt.type = sendto and fd.connected = false\n"
	    "- rule: r\n"
	    "  desc: r\n"
	    "  condition: udp_send and proc.name = nc\n"
	    "  output: \"%proc.name\"\n"
	    "  priority: WARNING\n", NULL);
	ck_assert(rule_engine_ok(e));
	ck_assert_ptr_nonnull(d = re_diag(e, RL_LOAD_UNKNOWN_FILTER, 0));
	ck_assert_str_eq(d->msg, "field 'fd.connected' cannot be supplied by "
	    "falconet (not in the audit stream)");
	ck_assert_str_eq(d->item_name, "r");
	ck_assert_uint_eq(d->pos.line, 2);
	ck_assert_uint_eq(d->pos.col, 36);
	rule_engine_free(e);
}
END_TEST

/* A field falconet cannot supply in an output: as in a condition. */
START_TEST(test_unsupported_output_field)
{
	static const char yaml[] = RULE("r", "evt.type = read",
	    "data=%evt.buffer");
	struct rule_engine_opts o;
	struct rule_engine *e;

	e = re_load_yaml(yaml, NULL);
	ck_assert(rule_engine_ok(e));
	ck_assert_uint_eq(re_nwarnings(e), 1);
	ck_assert_str_eq(re_diag(e, RL_LOAD_UNKNOWN_FILTER, 0)->msg,
	    "field 'evt.buffer' cannot be supplied by falconet (not in the "
	    "audit stream)");
	ck_assert(!re_rule(e, "r")->enabled);
	ck_assert_str_eq(re_rule(e, "r")->disabled_reason,
	    "uses a field falconet cannot supply");
	rule_engine_free(e);
	rule_engine_opts_defaults(&o);
	o.strict = true;
	e = re_load_yaml(yaml, &o);
	ck_assert(!rule_engine_ok(e));
	ck_assert_str_eq(re_diag(e, RL_LOAD_ERR_COMPILE_OUTPUT, 0)->msg,
	    "field 'evt.buffer' cannot be supplied by falconet (not in the "
	    "audit stream)");
	rule_engine_free(e);
}
END_TEST

/* LOAD_COMPILE_CONDITION warnings loading one rule `evt.type = open and C`
 * (the only warnings: the rule has an event type). */
static size_t
compile_warnings(const char *cond, const char *want)
{
	char yaml[1024];
	struct rule_engine *e;
	size_t n;

	snprintf(yaml, sizeof(yaml), RULE("r", "evt.type = open and %s",
	    "%%proc.name"), cond);
	e = re_load_yaml(yaml, NULL);
	ck_assert_msg(rule_engine_ok(e), "%s", cond);
	n = re_ndiag(e, RL_LOAD_COMPILE_CONDITION);
	ck_assert_uint_eq(re_nwarnings(e), n);
	if (n > 0) {
		ck_assert_str_eq(re_diag(e, RL_LOAD_COMPILE_CONDITION, 0)->msg,
		    want);
		ck_assert_str_eq(re_diag(e, RL_LOAD_COMPILE_CONDITION, 0)->
		    item_name, "r");
	}
	rule_engine_free(e);
	return n;
}

#define SIMPLER(v) "regex check with '" v "' may be optimized with simpler " \
	"operators such as '=', 'contains', 'startswith', 'endswith'"

/* T15 and T16 again, as the engine reports them for a rule. */
START_TEST(test_t15_t16_engine_warnings)
{
	ck_assert_uint_eq(compile_warnings("evt.source regex syscall",
	    SIMPLER("syscall")), 1);
	ck_assert_uint_eq(compile_warnings("evt.source regex .*syscall.*",
	    SIMPLER(".*syscall.*")), 1);
	ck_assert_uint_eq(compile_warnings("evt.source regex s.*l", NULL), 0);
	ck_assert_uint_eq(compile_warnings("evt.source regex syscal[l]?",
	    NULL), 0);
	ck_assert_uint_eq(compile_warnings("evt.source = evt.plugininfo",
	    "'evt.plugininfo' may be a valid field misused as a const string "
	    "value"), 1);
	ck_assert_uint_eq(compile_warnings(
	    "evt.source = 'tolower(evt.plugininfo)'", "'tolower(evt.plugininfo)' "
	    "may be a valid field transformer misused as a const string value"),
	    1);
	ck_assert_uint_eq(compile_warnings("evt.source = unknown.field", NULL),
	    0);
	ck_assert_uint_eq(compile_warnings(
	    "evt.source = tolower(evt.plugininfo)", NULL), 0);
}
END_TEST

/* ---- Suite parts ------------------------------------------------------- */

TCase *
tc_rule_engine_ast(void)
{
	TCase *tc = tcase_create("compiled");

	tcase_add_test(tc, test_l1_list_append);
	tcase_add_test(tc, test_m1_macro_append);
	tcase_add_test(tc, test_m3_macro_replace_first);
	tcase_add_test(tc, test_x1_exception_quoting);
	tcase_add_test(tc, test_x21_modifier_comps);
	tcase_add_test(tc, test_x24_multi_field_exception);
	return tc;
}

TCase *
tc_rule_engine_load(void)
{
	TCase *tc = tcase_create("rules");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_r17_skip_if_unknown_filter);
	tcase_add_test(tc, test_r18_unknown_filter_is_error);
	tcase_add_test(tc, test_r19_no_evttype);
	tcase_add_test(tc, test_r20_negated_evttype);
	tcase_add_test(tc, test_r21_engine_version);
	tcase_add_test(tc, test_r22_rule_matching);
	tcase_add_test(tc, test_r25_bad_output_field);
	tcase_add_test(tc, test_r26_na_checks);
	tcase_add_test(tc, test_r27_deprecated_fields);
	tcase_add_test(tc, test_t15_t16_engine_warnings);
	tcase_add_test(tc, test_macro_field_position);
	tcase_add_test(tc, test_unsupported_output_field);
	return tc;
}
