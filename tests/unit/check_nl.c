/*
 * check_nl.c - the live audit source's kernel-free parts: the bounded
 * record queue, auditd's plugin stream framing (string and binary,
 * auto-detected, over-long records), the plugin source end to end over a
 * pipe into the correlator, the audit rules we build (masks per arch, the
 * leading never rule, the key), rule-key matching, the CONFIG_CHANGE hint
 * and the audit.* configuration keys.  The live kernel modes are tested
 * by tests/integration/audit_live.sh.
 */
#include "config.h"

#include <errno.h>
#include <libaudit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "audit/nl_int.h"
#include "check_main.h"
#include "conf.h"

/* ---- queue -------------------------------------------------------------- */

static struct aud_qitem *
item(const char *s)
{
	return aud_qitem_new(AUD_Q_LINE, 7, s, strlen(s));
}

START_TEST(queue_bounds_and_order)
{
	struct aud_queue *q = aud_queue_new(2, 0);
	struct aud_qitem *out[4], *a = item("a"), *b = item("bb"), *c = item("ccc");
	size_t depth, high;

	ck_assert_ptr_nonnull(q);
	ck_assert_int_eq(aud_queue_try_push(q, a, 0), 0);
	ck_assert_int_eq(aud_queue_try_push(q, b, 0), 0);
	ck_assert_int_eq(aud_queue_try_push(q, c, 0), -ENOBUFS);
	ck_assert_int_eq(aud_queue_try_push(q, c, 30), -EAGAIN);
	aud_queue_depth(q, &depth, &high);
	ck_assert_uint_eq(depth, 2);
	ck_assert_uint_eq(high, 2);
	ck_assert_uint_eq(aud_queue_pop(q, out, 4, 0), 2);
	ck_assert_uint_eq(out[0]->len, 1);
	ck_assert_int_eq(memcmp(out[1]->data, "bb", 2), 0);
	ck_assert_int_eq(out[1]->type, 7);
	free(out[0]);
	free(out[1]);
	ck_assert_uint_eq(aud_queue_pop(q, out, 4, 20), 0);	/* timeout */
	aud_queue_shutdown(q);
	ck_assert_int_eq(aud_queue_try_push(q, c, 0), -ESHUTDOWN);
	free(c);
	aud_queue_free(q);
}
END_TEST

START_TEST(queue_byte_bound)
{
	struct aud_queue *q = aud_queue_new(100, 4);
	struct aud_qitem *a = item("abc"), *b = item("de"), *big = item("0123456789");
	struct aud_qitem *out[2];

	ck_assert_int_eq(aud_queue_try_push(q, a, 0), 0);
	ck_assert_int_eq(aud_queue_try_push(q, b, 0), -ENOBUFS);	/* 3 + 2 > 4 */
	ck_assert_uint_eq(aud_queue_pop(q, out, 2, 0), 1);
	free(out[0]);
	/* A record bigger than the bound still goes into an empty queue. */
	ck_assert_int_eq(aud_queue_try_push(q, big, 0), 0);
	free(b);
	aud_queue_free(q);	/* frees what is queued */
}
END_TEST

/* ---- plugin framing ------------------------------------------------------ */

struct recs {
	int	 n;
	int	 kind[8], type[8];
	char	 text[8][128];
};

static void
collect_rec(int kind, int type, const char *data, size_t len, void *arg)
{
	struct recs *r = arg;

	ck_assert_int_lt(r->n, 8);
	r->kind[r->n] = kind;
	r->type[r->n] = type;
	snprintf(r->text[r->n], sizeof(r->text[0]), "%.*s", (int)len, data);
	r->n++;
}

START_TEST(plugin_string_lines)
{
	struct aud_plugin_framer f;
	struct recs r = { 0 };
	const char *s = "type=EOE msg=audit(1.000:1): \ntype=SYSCALL msg=audit(1.0";

	ck_assert_int_eq(aud_pl_init(&f, AUD_PFMT_AUTO), 0);
	aud_pl_feed(&f, s, strlen(s), collect_rec, &r);
	ck_assert_int_eq(r.n, 1);
	ck_assert_int_eq(f.fmt, AUD_PFMT_STRING);
	ck_assert_str_eq(r.text[0], "type=EOE msg=audit(1.000:1): ");
	aud_pl_feed(&f, "00:2): a=1\n\nnode=x type=EOE", 27, collect_rec, &r);
	ck_assert_int_eq(r.n, 2);
	ck_assert_str_eq(r.text[1], "type=SYSCALL msg=audit(1.000:2): a=1");
	aud_pl_finish(&f, collect_rec, &r);	/* last line without '\n' */
	ck_assert_int_eq(r.n, 3);
	ck_assert_str_eq(r.text[2], "node=x type=EOE");
	ck_assert_int_eq(r.kind[2], AUD_Q_LINE);
	aud_pl_fini(&f);
}
END_TEST

START_TEST(plugin_string_too_long)
{
	struct aud_plugin_framer f;
	struct recs r = { 0 };
	size_t big = AUD_SRC_REC_MAX * 3;
	char *s = malloc(big + 64);

	memset(s, 'x', big);
	memcpy(s + big, "\ntype=EOE msg=audit(1.000:1): \n", 31);
	ck_assert_int_eq(aud_pl_init(&f, AUD_PFMT_STRING), 0);
	/* In small pieces, so the over-long line spans many feeds. */
	for (size_t off = 0; off < big + 31; off += 1000)
		aud_pl_feed(&f, s + off, big + 31 - off < 1000 ? big + 31 - off :
		    1000, collect_rec, &r);
	ck_assert_int_eq(r.n, 1);
	ck_assert_str_eq(r.text[0], "type=EOE msg=audit(1.000:1): ");
	ck_assert_uint_eq(f.truncated, 1);
	aud_pl_fini(&f);
	free(s);
}
END_TEST

static size_t
frame(char *out, uint32_t ver, uint32_t type, const char *payload)
{
	struct audit_dispatcher_header h = {
		.ver = ver, .hlen = sizeof(h), .type = type,
		.size = (uint32_t)strlen(payload),
	};

	memcpy(out, &h, sizeof(h));
	memcpy(out + sizeof(h), payload, h.size);
	return sizeof(h) + h.size;
}

START_TEST(plugin_binary_frames)
{
	struct aud_plugin_framer f;
	struct recs r = { 0 };
	char buf[512];
	size_t n = 0;

	n += frame(buf + n, 0, 1320, "audit(1.000:1): ");
	n += frame(buf + n, 1, 1300, "type=SYSCALL msg=audit(1.000:2): a=1");
	ck_assert_int_eq(aud_pl_init(&f, AUD_PFMT_AUTO), 0);
	/* Byte by byte: headers and payloads split everywhere. */
	for (size_t i = 0; i < n; i++)
		aud_pl_feed(&f, buf + i, 1, collect_rec, &r);
	ck_assert_int_eq(f.fmt, AUD_PFMT_BINARY);
	ck_assert_int_eq(r.n, 2);
	ck_assert_int_eq(r.kind[0], AUD_Q_NETLINK);
	ck_assert_int_eq(r.type[0], 1320);
	ck_assert_str_eq(r.text[0], "audit(1.000:1): ");
	ck_assert_int_eq(r.kind[1], AUD_Q_LINE);
	ck_assert_str_eq(r.text[1], "type=SYSCALL msg=audit(1.000:2): a=1");
	ck_assert_uint_eq(f.bad, 0);
	aud_pl_fini(&f);
}
END_TEST

/* ---- plugin source end to end ------------------------------------------- */

static const char exec_log[] =
    "type=SYSCALL msg=audit(1700000000.123:77): arch=c000003e syscall=59 "
    "success=yes exit=0 a0=1 a1=2 a2=3 a3=4 items=1 ppid=1 pid=4242 auid=0 "
    "uid=0 gid=0 euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=(none) "
    "ses=1 comm=\"true\" exe=\"/usr/bin/true\" key=\"falconet\"\x1d" "ARCH=x86_64\n"
    "type=EXECVE msg=audit(1700000000.123:77): argc=2 a0=\"/bin/true\" "
    "a1=68656C6C6F20776F726C64\n"
    "type=CWD msg=audit(1700000000.123:77): cwd=\"/\"\n"
    "type=PROCTITLE msg=audit(1700000000.123:77): proctitle=2F62696E2F74727565\n"
    "type=EOE msg=audit(1700000000.123:77): \n";

struct one_ev {
	int	 n;
	int	 pid;
	char	 argv1[64];
	char	 key[32];
};

static void
ev_cb(const struct fc_event *ev, void *arg)
{
	struct one_ev *o = arg;

	o->n++;
	o->pid = ev->ev_pid;
	if (ev->ev_nargv > 1)
		snprintf(o->argv1, sizeof(o->argv1), "%s", ev->ev_argv[1].p);
	if (ev->ev_nkeys > 0)
		snprintf(o->key, sizeof(o->key), "%s", ev->ev_keys[0].p);
}

/* Feed data to a plugin source through a pipe; events into *o. */
static void
plugin_run(const char *data, size_t len, struct one_ev *o,
    struct aud_src_stats *st)
{
	struct aud_src_opts opt;
	struct aud_corr *corr = aud_corr_new(NULL, ev_cb, o);
	struct aud_record rec;
	struct aud_src *s;
	char err[256], *buf = malloc(AUD_SRC_REC_MAX);
	int p[2], r;

	ck_assert_int_eq(pipe(p), 0);
	ck_assert_int_eq(write(p[1], data, len), (ssize_t)len);
	close(p[1]);
	aud_src_opts_default(&opt);
	opt.plugin_stdin = true;	/* auto mode picks plugin */
	opt.plugin_fd = p[0];
	s = aud_src_open(&opt, err, sizeof(err));
	ck_assert_msg(s != NULL, "%s", err);
	ck_assert_int_eq(aud_src_mode(s), AUD_MODE_PLUGIN);
	while ((r = aud_src_next(s, &rec, buf, AUD_SRC_REC_MAX, 2000)) > 0)
		aud_corr_add(corr, &rec, 0);
	ck_assert_int_eq(r, -ENODATA);
	aud_corr_flush(corr);
	aud_src_stats(s, st);
	aud_src_close(s);
	aud_corr_free(corr);
	close(p[0]);
	free(buf);
}

START_TEST(plugin_source_string)
{
	struct one_ev o = { 0 };
	struct aud_src_stats st;
	char data[2048];
	size_t n = sizeof(exec_log) - 1;

	memcpy(data, exec_log, n);
	memcpy(data + n, "garbage line\n", 13);	/* counted, skipped */
	plugin_run(data, n + 13, &o, &st);
	ck_assert_int_eq(o.n, 1);
	ck_assert_int_eq(o.pid, 4242);
	ck_assert_str_eq(o.argv1, "hello world");
	ck_assert_str_eq(o.key, "falconet");
	ck_assert_uint_eq(st.records, 6);
	ck_assert_uint_eq(st.popped, 6);
	ck_assert_uint_eq(st.malformed, 1);
	ck_assert_uint_eq(st.queue_drops, 0);
}
END_TEST

START_TEST(plugin_source_binary)
{
	struct one_ev o = { 0 };
	struct aud_src_stats st;
	char data[2048];
	size_t n = 0;

	n += frame(data + n, 0, 1300, "audit(1700000000.123:78): arch=c000003e "
	    "syscall=59 success=yes exit=0 items=0 ppid=1 pid=99 comm=\"x\"");
	n += frame(data + n, 0, 1309, "audit(1700000000.123:78): argc=2 "
	    "a0=\"x\" a1=\"y\"");
	n += frame(data + n, 0, 1320, "audit(1700000000.123:78): ");
	plugin_run(data, n, &o, &st);
	ck_assert_int_eq(o.n, 1);
	ck_assert_int_eq(o.pid, 99);
	ck_assert_str_eq(o.argv1, "y");
	ck_assert_uint_eq(st.records, 3);
	ck_assert_uint_eq(st.malformed, 0);
}
END_TEST

/* ---- rules ------------------------------------------------------------------ */

static bool
bit(const struct audit_rule_data *r, int nr)
{
	return r->mask[nr / 32] & (1u << (nr % 32));
}

static int
nbits(const struct audit_rule_data *r)
{
	int n = 0;

	for (int i = 0; i < AUDIT_BITMASK_SIZE * 32; i++)
		n += bit(r, i);
	return n;
}

START_TEST(rules_build_both_arches)
{
	const char *sc[] = { "execve", "execveat", "no_such_call" };
	struct aud_rules_opts o = { .syscalls = sc, .nsyscalls = 3,
	    .exclude_pid = 1234 };
	struct aud_rule_list l;
	struct audit_rule_data *nv, *r64, *r32;
	char err[256];
	size_t kl;
	const char *k;

	if (audit_detect_machine() != MACH_86_64)
		return;	/* the numbers below are x86_64's */
	ck_assert_int_eq(aud_rules_build(&o, &l, err, sizeof(err)), 3);
	nv = l.rules[0], r64 = l.rules[1], r32 = l.rules[2];
	ck_assert_uint_eq(nv->flags, AUDIT_FILTER_EXIT | AUDIT_FILTER_PREPEND);
	ck_assert_uint_eq(nv->action, AUDIT_NEVER);
	ck_assert_uint_eq(nv->field_count, 2);
	ck_assert_uint_eq(nv->fields[0], AUDIT_PID);
	ck_assert_uint_eq(nv->values[0], 1234);
	ck_assert_int_eq(nbits(nv), AUDIT_BITMASK_SIZE * 32);	/* -S all */
	ck_assert_uint_eq(r64->flags, AUDIT_FILTER_EXIT);
	ck_assert_uint_eq(r64->action, AUDIT_ALWAYS);
	ck_assert_uint_eq(r64->fields[0], AUDIT_ARCH);
	ck_assert_uint_eq(r64->values[0], 0xc000003eu);
	ck_assert_int_eq(nbits(r64), 2);
	ck_assert(bit(r64, 59) && bit(r64, 322));
	ck_assert_uint_eq(r32->values[0], 0x40000003u);
	ck_assert_int_eq(nbits(r32), 2);
	ck_assert(bit(r32, 11) && bit(r32, 358));
	for (size_t i = 0; i < 3; i++) {
		k = aud_rule_key(l.rules[i], l.lens[i], &kl);
		ck_assert_ptr_nonnull(k);
		ck_assert_uint_eq(kl, 8);
		ck_assert_int_eq(memcmp(k, "falconet", 8), 0);
		ck_assert_uint_eq(l.rules[i]->fieldflags[l.rules[i]->field_count - 1],
		    AUDIT_EQUAL);
	}
	aud_rule_list_free(&l);
}
END_TEST

START_TEST(rules_build_options)
{
	const char *sc[] = { "connect" }, *bad[] = { "nope" };
	struct aud_rules_opts o = { .syscalls = sc, .nsyscalls = 1,
	    .key = "fx", .exclude_pid = -1 };
	struct aud_rule_list l;
	char err[256];
	size_t kl;

	/* No never rule; the key is ours. */
	ck_assert_int_ge(aud_rules_build(&o, &l, err, sizeof(err)), 1);
	ck_assert_uint_eq(l.rules[0]->action, AUDIT_ALWAYS);
	ck_assert_int_eq(memcmp(aud_rule_key(l.rules[0], l.lens[0], &kl), "fx", 2), 0);
	ck_assert_uint_eq(kl, 2);
	aud_rule_list_free(&l);
	o.syscalls = bad;
	ck_assert_int_eq(aud_rules_build(&o, &l, err, sizeof(err)), -ENOENT);
	ck_assert_ptr_nonnull(strstr(err, "none of the 1 syscalls"));
	/* exclude_pid 0 means our own pid. */
	o.syscalls = sc;
	o.exclude_pid = 0;
	ck_assert_int_ge(aud_rules_build(&o, &l, err, sizeof(err)), 2);
	ck_assert_uint_eq(l.rules[0]->values[0], (uint32_t)getpid());
	aud_rule_list_free(&l);
}
END_TEST

START_TEST(rules_key_match)
{
	ck_assert(aud_key_has("falconet", 8, "falconet"));
	ck_assert(aud_key_has("a\x01" "falconet", 10, "falconet"));
	ck_assert(aud_key_has("falconet\x01" "b", 10, "falconet"));
	ck_assert(!aud_key_has("falconet2", 9, "falconet"));
	ck_assert(!aud_key_has("falcone", 7, "falconet"));
	ck_assert(!aud_key_has("", 0, "falconet"));
}
END_TEST

static bool
hint(const char *payload)
{
	struct aud_record rec;

	ck_assert_int_eq(aud_rec_parse_netlink(1305, payload, strlen(payload),
	    &rec), AUD_REC_OK);
	return aud_rec_rules_changed(&rec, NULL);
}

START_TEST(rules_change_hint)
{
	ck_assert(hint("audit(1.000:5): auid=0 ses=1 op=remove_rule "
	    "key=\"falconet\" list=4 res=1"));
	ck_assert(hint("audit(1.000:5): auid=0 ses=1 op=remove_rule key=(null) "
	    "list=4 res=1"));
	ck_assert(hint("audit(1.000:5): auid=0 op=\"remove rule\" "
	    "key=\"falconet\" list=4 res=1"));
	ck_assert(!hint("audit(1.000:5): auid=0 ses=1 op=remove_rule "
	    "key=\"other\" list=4 res=1"));
	ck_assert(!hint("audit(1.000:5): auid=0 ses=1 op=add_rule "
	    "key=\"falconet\" list=4 res=1"));
}
END_TEST

/* ---- configuration --------------------------------------------------------- */

START_TEST(conf_keys)
{
	struct fc_conf *c = conf_new();
	struct aud_src_opts o;
	char err[256];
	const char *opts[] = { "audit.mode=multicast", "audit.backlog_limit=16384",
	    "audit.backlog_wait_time=0", "audit.failure=1",
	    "audit.rcvbuf=1048576", "audit.queue_full=drop",
	    "audit.plugin_format=binary", "audit.state_file=" };

	for (size_t i = 0; i < sizeof(opts) / sizeof(opts[0]); i++)
		ck_assert_int_eq(conf_set_option(c, opts[i], err, sizeof(err)), 0);
	aud_src_conf(c, &o);
	ck_assert_uint_eq(conf_nerrors(c), 0);
	ck_assert_int_eq(o.mode, AUD_MODE_MULTICAST);
	ck_assert_int_eq(o.backlog_limit, 16384);
	ck_assert_int_eq(o.backlog_wait_time, 0);
	ck_assert_int_eq(o.failure, 1);
	ck_assert_uint_eq(o.rcvbuf, 1048576);
	ck_assert_int_eq(o.queue_full, AUD_QFULL_DROP);
	ck_assert_int_eq(o.plugin_format, AUD_PFMT_BINARY);
	ck_assert_ptr_null(o.state_file);
	conf_free(c);

	c = conf_new();
	aud_src_conf(c, &o);	/* defaults */
	ck_assert_int_eq(o.mode, AUD_MODE_AUTO);
	ck_assert_int_eq(o.backlog_limit, 8192);
	ck_assert_int_eq(o.backlog_wait_time, -1);
	ck_assert_int_eq(o.failure, -1);
	ck_assert_uint_eq(o.rcvbuf, 32u << 20);
	ck_assert_str_eq(o.state_file, "/run/falconet/audit.state");
	ck_assert_int_eq(conf_set_option(c, "audit.mode=broadcast", err,
	    sizeof(err)), 0);
	ck_assert_int_eq(conf_set_option(c, "audit.failure=3", err,
	    sizeof(err)), 0);
	aud_src_conf(c, &o);
	ck_assert_uint_eq(conf_nerrors(c), 2);
	ck_assert_ptr_nonnull(strstr(conf_error_msg(c, 0), "audit.mode"));
	ck_assert_int_eq(o.mode, AUD_MODE_AUTO);
	ck_assert_int_eq(o.failure, -1);
	conf_free(c);
}
END_TEST

START_TEST(conf_batch_wait)
{
	struct fc_conf *c = conf_new();
	struct aud_src_opts o;
	char err[256];

	aud_src_conf(c, &o);
	ck_assert_uint_eq(o.batch_wait_ms, 1);
	ck_assert_int_eq(conf_set_option(c, "audit.batch_wait_ms=0", err,
	    sizeof(err)), 0);
	aud_src_conf(c, &o);
	ck_assert_uint_eq(conf_nerrors(c), 0);
	ck_assert_uint_eq(o.batch_wait_ms, 0);
	conf_free(c);
	c = conf_new();
	ck_assert_int_eq(conf_set_option(c, "audit.batch_wait_ms=101", err,
	    sizeof(err)), 0);
	aud_src_conf(c, &o);
	ck_assert_uint_eq(conf_nerrors(c), 1);
	ck_assert_ptr_nonnull(strstr(conf_error_msg(c, 0),
	    "audit.batch_wait_ms"));
	ck_assert_uint_eq(o.batch_wait_ms, 1);
	conf_free(c);
}
END_TEST

/* ---- batched receive ------------------------------------------------------- */

/* A datagram of len bytes: a netlink header (type, seq), then 'x's. */
static void
send_dgram(int fd, size_t len, uint16_t type, uint32_t seq)
{
	char *b = malloc(len);
	struct nlmsghdr h = { .nlmsg_len = (uint32_t)len, .nlmsg_type = type,
	    .nlmsg_seq = seq };

	ck_assert_ptr_nonnull(b);
	memset(b, 'x', len);
	memcpy(b, &h, len < sizeof(h) ? len : sizeof(h));
	ck_assert_int_eq(send(fd, b, len, 0), (ssize_t)len);
	free(b);
}

/*
 * aud_nl_recv_many on datagrams from a unix socket pair (the kernel's
 * netlink socket cannot be made to send chosen datagrams): one call takes
 * what is there, describes each as aud_nl_recv does (runt, truncated, not
 * from the kernel), and returns 0 rather than waiting when nothing is.
 */
START_TEST(recv_many_batch)
{
	char *bufs = malloc((size_t)AUD_NL_BATCH * AUD_NL_BUF);
	struct aud_nl_msg m[AUD_NL_BATCH];
	int sv[2], sz = 4 << 20;

	ck_assert_ptr_nonnull(bufs);
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_DGRAM, 0, sv), 0);
	(void)setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &sz, sizeof(sz));
	(void)setsockopt(sv[1], SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
	ck_assert_int_eq(aud_nl_recv_many(sv[1], bufs, AUD_NL_BATCH, m), 0);
	send_dgram(sv[0], NLMSG_HDRLEN + 100, AUDIT_SYSCALL, 7);
	send_dgram(sv[0], 4, AUDIT_PATH, 8);		/* runt */
	send_dgram(sv[0], AUD_NL_BUF + 10, AUDIT_EXECVE, 9);	/* too long */
	send_dgram(sv[0], NLMSG_HDRLEN, AUDIT_EOE, 10);
	ck_assert_int_eq(aud_nl_recv_many(sv[1], bufs, 2, m), 2);
	ck_assert_int_eq(m[0].type, AUDIT_SYSCALL);
	ck_assert_uint_eq(m[0].seq, 7);
	ck_assert_uint_eq(m[0].len, 100);
	ck_assert_ptr_eq(m[0].data, bufs + NLMSG_HDRLEN);
	ck_assert(!m[0].trunc);
	ck_assert(m[0].spoofed);	/* not a netlink sender */
	ck_assert_int_eq(m[1].type, -1);
	ck_assert_int_eq(aud_nl_recv_many(sv[1], bufs, AUD_NL_BATCH, m), 2);
	ck_assert_int_eq(m[0].type, AUDIT_EXECVE);
	ck_assert(m[0].trunc);
	ck_assert_uint_eq(m[0].len, AUD_NL_BUF - NLMSG_HDRLEN);
	ck_assert_int_eq(m[1].type, AUDIT_EOE);
	ck_assert_uint_eq(m[1].len, 0);
	ck_assert_ptr_eq(m[1].data, bufs + AUD_NL_BUF + NLMSG_HDRLEN);
	ck_assert_int_eq(aud_nl_recv_many(sv[1], bufs, AUD_NL_BATCH, m), 0);
	close(sv[0]);
	close(sv[1]);
	free(bufs);
}
END_TEST

Suite *
suite_for_main(void)
{
	Suite *s = suite_create("nl");
	struct { const char *name; const TTest *t; } cases[] = {
		{ "queue_bounds_and_order", queue_bounds_and_order },
		{ "queue_byte_bound", queue_byte_bound },
		{ "plugin_string_lines", plugin_string_lines },
		{ "plugin_string_too_long", plugin_string_too_long },
		{ "plugin_binary_frames", plugin_binary_frames },
		{ "plugin_source_string", plugin_source_string },
		{ "plugin_source_binary", plugin_source_binary },
		{ "rules_build_both_arches", rules_build_both_arches },
		{ "rules_build_options", rules_build_options },
		{ "rules_key_match", rules_key_match },
		{ "rules_change_hint", rules_change_hint },
		{ "conf_keys", conf_keys },
		{ "conf_batch_wait", conf_batch_wait },
		{ "recv_many_batch", recv_many_batch },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		TCase *tc = tcase_create(cases[i].name);

		tcase_add_test(tc, cases[i].t);
		suite_add_tcase(s, tc);
	}
	return s;
}
