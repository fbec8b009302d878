/*
 * check_rule_engine_out.c - alerts as Falco prints them (docs falco.md
 * §5.1, §5.2, cases O1-O7 of §6.8, and the width cap), compared as whole
 * text and JSON lines, and the upstream rules files
 * (tests/fixtures/rules/upstream/, copies of the shared falco-rules): they
 * load without errors alone and together,
 * the rules falconet loads disabled are exactly the golden list
 * tests/fixtures/rules/upstream-disabled.txt, and the stable file needs
 * exactly the syscalls listed below.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/buf.h"
#include "rules/output.h"
#include "re_test.h"
#include "check_main.h"

#define UPSTREAM	TOP_SRCDIR "/tests/fixtures/rules/upstream/"
#define SHARED_RULES	TOP_SRCDIR "/../shared/thirdparty/falco-rules/"
#define GOLDEN		TOP_SRCDIR "/tests/fixtures/rules/upstream-disabled.txt"

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

/* open("/dev/null", O_RDONLY) = 3 by `cat /dev/null`, at the time of
 * falcosecurity/testing's cat_write capture (audit has milliseconds). */
static const char EV_OPEN_NULL[] =
    HDR("SYSCALL", "1470327477.881:300") "arch=c000003e syscall=2 "
    "success=yes exit=3 a0=7ffd a1=0 a2=0 a3=0 items=1 ppid=1 pid=4000 "
    "auid=1000 uid=0 gid=0 euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 "
    "tty=pts0 ses=3 comm=\"cat\" exe=\"/usr/bin/cat\" key=(null)\n"
    HDR("CWD", "1470327477.881:300") "cwd=\"/root\"\n"
    HDR("PATH", "1470327477.881:300") "item=0 name=\"/dev/null\" inode=5 "
    "dev=00:05 mode=020666 ouid=0 ogid=0 rdev=01:03 nametype=NORMAL "
    "cap_fp=0 cap_fi=0 cap_fe=0 cap_fver=0\n"
    HDR("PROCTITLE", "1470327477.881:300")
    "proctitle=636174002F6465762F6E756C6C\n";

static const char OPEN_RULE[] =
    "- rule: open_from_cat\n"
    "  desc: A process named cat does an open\n"
    "  condition: evt.type=open and proc.name=cat\n"
    "  output: \"An open was seen (cport=%fd.cport command=%proc.cmdline)\"\n"
    "  priority: WARNING\n"
    "  tags: [testing, filesystem, process]\n";

/* Load yaml (container fields appended unless bare) and match EV_OPEN_NULL. */
static void
alert(const char *yaml, bool suggested, struct re_alerts *a)
{
	struct rule_engine_opts o;
	struct rule_engine *e;

	rule_engine_opts_defaults(&o);
	o.suggested_output = suggested;
	e = re_load_yaml(yaml, &o);
	ck_assert(rule_engine_ok(e));
	re_event(&ev, EV_OPEN_NULL, 1);
	ck_assert_uint_eq(re_match(e, &ev, a), 1);
	rule_engine_free(e);
}

START_TEST(test_o1_text_na)
{
	struct re_alerts a;

	fc_alert_format_defaults(&a.fmt);
	alert(OPEN_RULE, false, &a);
	ck_assert_str_eq(a.line[0], "16:17:57.881000000: Warning An open was "
	    "seen (cport=<NA> command=cat /dev/null)");
	alert(OPEN_RULE, true, &a);
	ck_assert_str_eq(a.line[0], "16:17:57.881000000: Warning An open was "
	    "seen (cport=<NA> command=cat /dev/null) container_id=<NA> "
	    "container_name=<NA> container_image_repository=<NA> "
	    "container_image_tag=<NA> k8s_pod_name=<NA> k8s_ns_name=<NA>");
}
END_TEST

START_TEST(test_o2_tags)
{
	struct re_alerts a;

	fc_alert_format_defaults(&a.fmt);
	a.fmt.json = true;
	alert(OPEN_RULE, false, &a);
	ck_assert_str_eq(a.line[0], "{\"hostname\":\"test-falco-hostname\","
	    "\"output\":\"16:17:57.881000000: Warning An open was seen "
	    "(cport=<NA> command=cat /dev/null)\",\"output_fields\":"
	    "{\"evt.time\":1470327477881000000,\"fd.cport\":null,"
	    "\"proc.cmdline\":\"cat /dev/null\"},\"priority\":\"Warning\","
	    "\"rule\":\"open_from_cat\",\"source\":\"syscall\",\"tags\":"
	    "[\"filesystem\",\"process\",\"testing\"],\"time\":"
	    "\"2016-08-04T16:17:57.881000000Z\"}");
	alert("- rule: no_tags\n"
	    "  desc: d\n"
	    "  condition: evt.type=open\n"
	    "  output: \"%proc.name\"\n"
	    "  priority: NOTICE\n", false, &a);
	ck_assert_str_eq(a.line[0], "{\"hostname\":\"test-falco-hostname\","
	    "\"output\":\"16:17:57.881000000: Notice cat\",\"output_fields\":"
	    "{\"evt.time\":1470327477881000000,\"proc.name\":\"cat\"},"
	    "\"priority\":\"Notice\",\"rule\":\"no_tags\",\"source\":"
	    "\"syscall\",\"tags\":[],\"time\":"
	    "\"2016-08-04T16:17:57.881000000Z\"}");
	a.fmt.include_tags = false;
	alert(OPEN_RULE, false, &a);
	ck_assert_ptr_null(strstr(a.line[0], "\"tags\""));
}
END_TEST

START_TEST(test_o3_no_output_property)
{
	struct re_alerts a;

	fc_alert_format_defaults(&a.fmt);
	a.fmt.json = true;
	a.fmt.include_output = false;
	alert(OPEN_RULE, false, &a);
	ck_assert_str_eq(a.line[0], "{\"hostname\":\"test-falco-hostname\","
	    "\"output_fields\":{\"evt.time\":1470327477881000000,"
	    "\"fd.cport\":null,\"proc.cmdline\":\"cat /dev/null\"},"
	    "\"priority\":\"Warning\",\"rule\":\"open_from_cat\",\"source\":"
	    "\"syscall\",\"tags\":[\"filesystem\",\"process\",\"testing\"],"
	    "\"time\":\"2016-08-04T16:17:57.881000000Z\"}");
	a.fmt.include_output_fields = false;
	a.fmt.include_message = true;
	alert(OPEN_RULE, false, &a);
	ck_assert_str_eq(a.line[0], "{\"hostname\":\"test-falco-hostname\","
	    "\"message\":\"An open was seen (cport=<NA> command=cat "
	    "/dev/null)\",\"priority\":\"Warning\",\"rule\":\"open_from_cat\","
	    "\"source\":\"syscall\",\"tags\":[\"filesystem\",\"process\","
	    "\"testing\"],\"time\":\"2016-08-04T16:17:57.881000000Z\"}");
}
END_TEST

START_TEST(test_o4_iso8601)
{
	struct re_alerts a;

	fc_alert_format_defaults(&a.fmt);
	a.fmt.iso8601 = true;
	alert(OPEN_RULE, false, &a);
	ck_assert_str_eq(a.line[0], "2016-08-04T16:17:57.881000000+0000: "
	    "Warning An open was seen (cport=<NA> command=cat /dev/null)");
	a.fmt.json = true;
	alert(OPEN_RULE, false, &a);
	ck_assert_str_eq(a.line[0], "{\"hostname\":\"test-falco-hostname\","
	    "\"output\":\"2016-08-04T16:17:57.881000000+0000: Warning An open "
	    "was seen (cport=<NA> command=cat /dev/null)\",\"output_fields\":"
	    "{\"evt.time.iso8601\":1470327477881000000,\"fd.cport\":null,"
	    "\"proc.cmdline\":\"cat /dev/null\"},\"priority\":\"Warning\","
	    "\"rule\":\"open_from_cat\",\"source\":\"syscall\",\"tags\":"
	    "[\"filesystem\",\"process\",\"testing\"],\"time\":"
	    "\"2016-08-04T16:17:57.881000000Z\"}");
}
END_TEST

START_TEST(test_o5_hostname)
{
	struct re_alerts a;

	fc_alert_format_defaults(&a.fmt);
	a.fmt.json = true;
	setenv("FALCO_HOSTNAME", "other-host", 1);
	alert(OPEN_RULE, false, &a);
	ck_assert(strncmp(a.line[0], "{\"hostname\":\"other-host\",", 25) == 0);
	/* falconet's own variable wins */
	setenv("FALCONET_HOSTNAME", "falconet-host", 1);
	alert(OPEN_RULE, false, &a);
	ck_assert(strncmp(a.line[0], "{\"hostname\":\"falconet-host\",", 28) ==
	    0);
}
END_TEST

START_TEST(test_o6_priorities)
{
	static const char *const in[] = { "EMERGENCY", "alert", "Critical",
	    "ERROR", "WARNING", "notice", "INFO", "informational", "DEBUG" };
	static const char *const out[] = { "Emergency", "Alert", "Critical",
	    "Error", "Warning", "Notice", "Informational", "Informational",
	    "Debug" };
	struct re_alerts a;
	char yaml[512], want[256];
	size_t i;

	fc_alert_format_defaults(&a.fmt);
	for (i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
		snprintf(yaml, sizeof(yaml), "- rule: p\n  desc: d\n"
		    "  condition: evt.type=open\n  output: x\n"
		    "  priority: %s\n", in[i]);
		a.fmt.json = false;
		alert(yaml, false, &a);
		snprintf(want, sizeof(want), "16:17:57.881000000: %s x",
		    out[i]);
		ck_assert_str_eq(a.line[0], want);
		a.fmt.json = true;
		alert(yaml, false, &a);
		snprintf(want, sizeof(want), "\"priority\":\"%s\"", out[i]);
		ck_assert_ptr_nonnull(strstr(a.line[0], want));
	}
}
END_TEST

START_TEST(test_o7_missing_ancestor)
{
	struct re_alerts a;
	static const char yaml[] =
	    "- rule: gp\n"
	    "  desc: d\n"
	    "  condition: evt.type=open\n"
	    "  output: \"gp=%proc.aname[2] width=[%6proc.name] "
	    "up=%toupper(proc.name)\"\n"
	    "  priority: ERROR\n";

	fc_alert_format_defaults(&a.fmt);
	alert(yaml, false, &a);
	ck_assert_str_eq(a.line[0], "16:17:57.881000000: Error gp=<NA> "
	    "width=[cat   ] up=CAT");
	a.fmt.json = true;
	alert(yaml, false, &a);
	ck_assert_str_eq(a.line[0], "{\"hostname\":\"test-falco-hostname\","
	    "\"output\":\"16:17:57.881000000: Error gp=<NA> width=[cat   ] "
	    "up=CAT\",\"output_fields\":{\"evt.time\":1470327477881000000,"
	    "\"proc.aname[2]\":null,\"proc.name\":\"cat\","
	    "\"toupper(proc.name)\":\"CAT\"},\"priority\":\"Error\",\"rule\":"
	    "\"gp\",\"source\":\"syscall\",\"tags\":[],\"time\":"
	    "\"2016-08-04T16:17:57.881000000Z\"}");
}
END_TEST

/* A width is capped at 4096; a longer run of digits used to overflow the
 * int it is read into (found by fuzz_rules). */
START_TEST(test_o8_width_cap)
{
	static const char *const fmt[] = { "[%4096proc.name]",
	    "[%99999999999999999999999proc.name]", "[%0004097proc.name]" };
	struct rule_output_scratch s = { 0 };
	struct fc_buf text, values;
	struct rule_output *o;
	struct fc_arena arena;
	struct flt_diag diag;
	struct fld_ctx ctx;
	size_t i;

	re_event(&ev, EV_OPEN_NULL, 1);
	fc_buf_init(&text, 1u << 20);
	fc_buf_init(&values, 1u << 20);
	fc_arena_init(&arena, 1u << 20);
	s.text = &text;
	s.values = &values;
	for (i = 0; i < sizeof(fmt) / sizeof(fmt[0]); i++) {
		ck_assert_int_eq(rule_output_compile(fmt[i], strlen(fmt[i]),
		    NULL, NULL, &o, &diag), FLT_OK);
		memset(&ctx, 0, sizeof(ctx));
		ctx.ev = &ev;
		ctx.arena = &arena;
		rule_output_render(o, &ctx, &s);
		/* "[" "cat" and 4093 spaces "]" */
		ck_assert_uint_eq(text.len, 1 + 4096 + 1);
		ck_assert_int_eq(memcmp(text.p, "[cat    ", 8), 0);
		ck_assert_int_eq(memcmp(text.p + 4093, "    ]", 5), 0);
		rule_output_free(o);
		fc_arena_reset(&arena);
	}
	fc_arena_fini(&arena);
	fc_buf_fini(&values);
	fc_buf_fini(&text);
}
END_TEST

/* ---- Upstream rules ---------------------------------------------------- */

static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *p;
	long n;

	if (f == NULL)
		return NULL;
	ck_assert_int_eq(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	rewind(f);
	ck_assert_ptr_nonnull(p = malloc((size_t)n + 1));
	ck_assert_uint_eq(fread(p, 1, (size_t)n, f), (size_t)n);
	p[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return p;
}

START_TEST(test_upstream_copies)
{
	static const char *const files[] = { "falco_rules.yaml",
	    "falco-incubating_rules.yaml", "falco-sandbox_rules.yaml",
	    "LICENSE", "README.txt" };
	char a[512], b[512];
	size_t i, la, lb;
	char *pa, *pb;

	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(a, sizeof(a), "%s%s", UPSTREAM, files[i]);
		snprintf(b, sizeof(b), "%s%s", SHARED_RULES, files[i]);
		ck_assert_ptr_nonnull(pa = slurp(a, &la));
		/* Without the shared folder only our copy can be checked. */
		if ((pb = slurp(b, &lb)) != NULL) {
			ck_assert_msg(la == lb && memcmp(pa, pb, la) == 0,
			    "%s differs from the shared copy", files[i]);
			free(pb);
		}
		free(pa);
	}
}
END_TEST

static const char *const STABLE = UPSTREAM "falco_rules.yaml";
static const char *const INCUBATING = UPSTREAM "falco-incubating_rules.yaml";
static const char *const SANDBOX = UPSTREAM "falco-sandbox_rules.yaml";

static struct rule_engine *
upstream(size_t n)
{
	const char *paths[3] = { STABLE, INCUBATING, SANDBOX };
	struct rule_engine *e = re_load(paths, n, NULL);

	ck_assert_uint_eq(rule_engine_result(e)->n_errors, 0);
	ck_assert(rule_engine_ok(e));
	return e;
}

static size_t
nenabled(const struct rule_engine *e)
{
	size_t i, n = 0;

	for (i = 0; i < rule_engine_nrules(e); i++)
		n += rule_engine_rule(e, i)->enabled;
	return n;
}

START_TEST(test_upstream_stable)
{
	struct rule_engine *e = upstream(1);
	const struct rl_diag *d;

	ck_assert_uint_eq(rule_engine_nrules(e), 25);
	ck_assert_uint_eq(nenabled(e), 24);
	/* the only warning: fd.connected (socket state audit cannot see) */
	ck_assert_uint_eq(re_nwarnings(e), 1);
	d = re_diag(e, RL_LOAD_UNKNOWN_FILTER, 0);
	ck_assert_str_eq(d->item_name,
	    "Disallowed SSH Connection Non Standard Port");
	ck_assert_str_eq(d->msg, "field 'fd.connected' cannot be supplied by "
	    "falconet (not in the audit stream)");
	rule_engine_free(e);
}
END_TEST

START_TEST(test_upstream_stable_incubating)
{
	struct rule_engine *e = upstream(2);

	/* 25 + 31 rules (grep -c '^- rule:'), none redefined; 3 disabled
	 * for fd.connected, the only warnings */
	ck_assert_uint_eq(rule_engine_nrules(e), 56);
	ck_assert_uint_eq(nenabled(e), 53);
	ck_assert_uint_eq(re_nwarnings(e), 3);
	ck_assert_uint_eq(re_ndiag(e, RL_LOAD_UNKNOWN_FILTER), 3);
	rule_engine_free(e);
}
END_TEST

/* "file<TAB>rule<TAB>reason\n" for every disabled rule, in load order. */
static void
disabled_list(const struct rule_engine *e, struct fc_buf *b)
{
	const struct rule_info *ri;
	const struct rl_result *res = rule_engine_result(e);
	const char *file, *q, *q2;
	size_t i, j;

	for (i = 0; i < rule_engine_nrules(e); i++) {
		ri = rule_engine_rule(e, i);
		if (ri->enabled)
			continue;
		file = strrchr(ri->src->pos.file, '/');
		fc_buf_printf(b, "%s\t%s\t", file ? file + 1 :
		    ri->src->pos.file, ri->src->name);
		/* disabled upstream and unsupported too: say both */
		if (!ri->src->enabled &&
		    strcmp(ri->disabled_reason, "enabled: false") != 0)
			fc_buf_printf(b, "enabled: false; ");
		fc_buf_printf(b, "%s", ri->disabled_reason);
		/* name the field falconet cannot supply */
		for (j = 0; j < res->n_diags; j++) {
			if (res->diags[j].code != RL_LOAD_UNKNOWN_FILTER ||
			    strcmp(res->diags[j].item_name, ri->src->name) != 0)
				continue;
			if ((q = strchr(res->diags[j].msg, '\'')) != NULL &&
			    (q2 = strchr(q + 1, '\'')) != NULL)
				fc_buf_printf(b, ": %.*s", (int)(q2 - q - 1),
				    q + 1);
		}
		fc_buf_addc(b, '\n');
	}
}

START_TEST(test_upstream_all_golden)
{
	struct rule_engine *e = upstream(3);
	struct fc_buf b;
	size_t glen;
	char *golden;

	/* 25 + 31 + 37 rules; the 15 disabled ones are the golden list, 7 of
	 * them for a field audit cannot supply (the only warnings) */
	ck_assert_uint_eq(rule_engine_nrules(e), 93);
	ck_assert_uint_eq(nenabled(e), 78);
	ck_assert_uint_eq(re_nwarnings(e), 7);
	ck_assert_uint_eq(re_ndiag(e, RL_LOAD_UNKNOWN_FILTER), 7);
	fc_buf_init(&b, 1u << 20);
	disabled_list(e, &b);
	fc_buf_addc(&b, '\0');
	ck_assert_ptr_nonnull(golden = slurp(GOLDEN, &glen));
	ck_assert_msg(strcmp(golden, b.p) == 0, "disabled rules differ from "
	    "upstream-disabled.txt; now:\n%s", b.p);
	free(golden);
	fc_buf_fini(&b);
	rule_engine_free(e);
}
END_TEST

START_TEST(test_upstream_stable_syscalls)
{
	struct rule_engine *e = upstream(1);
	struct evt_set s;
	struct fc_buf b;
	size_t i;

	rule_engine_syscalls(e, &s);
	fc_buf_init(&b, 4096);
	for (i = 0; i < evt_type_count(); i++)
		if (evt_set_has(&s, (int)i))
			fc_buf_printf(&b, "%s ", evt_type_name((int)i));
	fc_buf_addc(&b, '\0');
	/* what the 24 enabled stable rules can match (their evt.type sets) */
	ck_assert_str_eq(b.p, "open dup dup2 socket connect execve link "
	    "symlink ptrace init_module openat linkat symlinkat dup3 "
	    "finit_module execveat openat2 ");
	ck_assert_uint_eq(evt_set_count(&s), 17);
	fc_buf_fini(&b);
	rule_engine_free(e);
}
END_TEST

TCase *
tc_rule_engine_outputs(void)
{
	TCase *tc = tcase_create("outputs");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_o1_text_na);
	tcase_add_test(tc, test_o2_tags);
	tcase_add_test(tc, test_o3_no_output_property);
	tcase_add_test(tc, test_o4_iso8601);
	tcase_add_test(tc, test_o5_hostname);
	tcase_add_test(tc, test_o6_priorities);
	tcase_add_test(tc, test_o7_missing_ancestor);
	tcase_add_test(tc, test_o8_width_cap);
	return tc;
}

TCase *
tc_rule_engine_upstream(void)
{
	TCase *tc = tcase_create("upstream");

	tcase_add_checked_fixture(tc, NULL, re_cleanup);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_upstream_copies);
	tcase_add_test(tc, test_upstream_stable);
	tcase_add_test(tc, test_upstream_stable_incubating);
	tcase_add_test(tc, test_upstream_all_golden);
	tcase_add_test(tc, test_upstream_stable_syscalls);
	return tc;
}
