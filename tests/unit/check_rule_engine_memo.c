/*
 * check_rule_engine_memo.c - the per-event memo of field values: one slot
 * per distinct field of an engine, values that never leak from one event
 * into the next (the correlator recycles the same struct fc_event), and
 * util.cnt, which must be extracted at every use.
 */
#include "config.h"

#include <string.h>

#include "rules/engine_int.h"
#include "re_test.h"
#include "check_main.h"

/* open("/dev/null") by COMM, serial SERIAL. */
#define EV_OPEN(comm, serial)						\
    HDR("SYSCALL", "1470327477.881:" serial) "arch=c000003e syscall=2 "	\
    "success=yes exit=3 a0=7ffd a1=0 a2=0 a3=0 items=1 ppid=1 pid=4000 "	\
    "auid=1000 uid=0 gid=0 euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 "	\
    "tty=pts0 ses=3 comm=\"" comm "\" exe=\"/usr/bin/" comm "\" "	\
    "key=(null)\n"							\
    HDR("CWD", "1470327477.881:" serial) "cwd=\"/root\"\n"		\
    HDR("PATH", "1470327477.881:" serial) "item=0 name=\"/dev/null\" "	\
    "inode=5 dev=00:05 mode=020666 ouid=0 ogid=0 rdev=01:03 "		\
    "nametype=NORMAL cap_fp=0 cap_fi=0 cap_fe=0 cap_fver=0\n"

#define RULE(name, cond)						\
    "- rule: " name "\n  desc: d\n  condition: " cond "\n"		\
    "  output: \"" name " %proc.name\"\n  priority: WARNING\n"

struct hits {
	size_t	 n;
	char	 rule[4][64];
};

static void
collect(const struct fc_alert *a, void *arg)
{
	struct hits *h = arg;

	if (h->n < 4)
		snprintf(h->rule[h->n++], sizeof(h->rule[0]), "%s", a->rule);
}

static struct rule_engine *
load_all(const char *yaml)
{
	struct rule_engine_opts o;
	struct rule_engine *e;

	rule_engine_opts_defaults(&o);
	o.match_all = true;
	e = re_load_yaml(yaml, &o);
	ck_assert(rule_engine_ok(e));
	return e;
}

/* One matcher, one recycled event struct: each event sees its own values. */
START_TEST(test_memo_per_event)
{
	struct rule_engine *e = load_all(
	    RULE("by_cat", "evt.type=open and proc.name=cat")
	    RULE("by_ls", "evt.type=open and proc.name=ls")
	    RULE("by_any", "evt.type=open and proc.name in (cat, ls)"));
	struct rule_matcher *m = rule_matcher_new(e);
	struct fc_event ev;
	struct hits h;

	ck_assert_ptr_nonnull(m);
	fc_event_init(&ev);
	re_event(&ev, EV_OPEN("cat", "300"), 1);
	memset(&h, 0, sizeof(h));
	ck_assert_uint_eq(rule_matcher_eval(m, &ev, collect, &h), 2);
	ck_assert_str_eq(h.rule[0], "by_cat");
	ck_assert_str_eq(h.rule[1], "by_any");
	re_event(&ev, EV_OPEN("ls", "301"), 2);
	memset(&h, 0, sizeof(h));
	ck_assert_uint_eq(rule_matcher_eval(m, &ev, collect, &h), 2);
	ck_assert_str_eq(h.rule[0], "by_ls");
	ck_assert_str_eq(h.rule[1], "by_any");
	re_event(&ev, EV_OPEN("sh", "302"), 3);
	ck_assert_uint_eq(rule_matcher_eval(m, &ev, NULL, NULL), 0);
	rule_matcher_free(m);
	fc_event_fini(&ev);
	rule_engine_free(e);
}
END_TEST

/* The same field in many checks and rules has one slot; [N] and .NAME differ. */
START_TEST(test_memo_slots)
{
	struct rule_engine *e = load_all(
	    RULE("r1", "evt.type=open and proc.name=cat and fd.name=/dev/null")
	    RULE("r2", "evt.type=open and proc.name=ls and not fd.name "
		"startswith /etc and proc.aname[2]=sh")
	    RULE("r3", "evt.type=open and proc.aname[3]=sh and "
		"evt.arg.flags contains O_RDONLY and evt.arg[1] exists and "
		"tolower(proc.name)=cat"));
	const struct flt_fields *f = &e->fields;
	const char *names[] = { "evt.type", "proc.name", "fd.name",
	    "proc.aname", "proc.aname", "evt.arg", "evt.arg" };
	size_t i;

	ck_assert_uint_eq(f->n, 7);
	for (i = 0; i < f->n; i++)
		ck_assert_str_eq(f->refs[i].def->name, names[i]);
	ck_assert_int_eq(f->refs[3].index, 2);
	ck_assert_int_eq(f->refs[4].index, 3);
	ck_assert_str_eq(f->refs[5].arg, "flags");
	ck_assert_int_eq(f->refs[6].index, 1);
	rule_engine_free(e);
}
END_TEST

/* util.cnt counts every use, so it is never memoised. */
START_TEST(test_memo_util_cnt)
{
	struct rule_engine *e = load_all(
	    RULE("counted", "evt.type=open and util.cnt=1 and util.cnt=2"));
	struct rule_matcher *m = rule_matcher_new(e);
	struct fc_event ev;

	ck_assert_uint_eq(e->fields.n, 1);	/* evt.type only */
	fc_event_init(&ev);
	re_event(&ev, EV_OPEN("cat", "300"), 1);
	ck_assert_uint_eq(rule_matcher_eval(m, &ev, NULL, NULL), 1);
	/* The counter goes on: 3 and 4 now. */
	ck_assert_uint_eq(rule_matcher_eval(m, &ev, NULL, NULL), 0);
	rule_matcher_free(m);
	fc_event_fini(&ev);
	rule_engine_free(e);
}
END_TEST

TCase *
tc_rule_engine_memo(void)
{
	TCase *tc = tcase_create("memo");

	tcase_add_checked_fixture(tc, NULL, re_cleanup);
	tcase_add_test(tc, test_memo_per_event);
	tcase_add_test(tc, test_memo_slots);
	tcase_add_test(tc, test_memo_util_cnt);
	return tc;
}
