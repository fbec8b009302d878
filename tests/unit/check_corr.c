/*
 * check_corr.c - the correlator: how records group into events and when
 * an event completes (EOE, last record, timeout, eviction, flush), with
 * interleaved, out-of-order and multi-node streams, the go-libaudit
 * reassembler logs, and a seeded random stream checked for grouping.
 */
#include "config.h"

#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit/audit.h"
#include "check_main.h"

#define MAXGOT		64
#define REASM_DIR	TOP_SRCDIR "/../shared/thirdparty/audit-corpus/" \
			    "go-libaudit/reassembler/"

/* What the tests look at of an emitted (borrowed) event. */
struct got {
	uint64_t	 num;
	uint64_t	 sec;
	uint32_t	 serial;
	uint32_t	 nrecords;
	uint32_t	 flags;
	uint16_t	 types[8];
	char		 node[16];
	char		 argv0[16];
};

static struct got got[MAXGOT];
static int ngot;

static void
collect(const struct fc_event *ev, void *arg)
{
	struct got *g;
	uint32_t i;

	(void)arg;
	ck_assert_int_lt(ngot, MAXGOT);
	g = &got[ngot++];
	memset(g, 0, sizeof(*g));
	g->num = ev->ev_num;
	g->sec = ev->ev_sec;
	g->serial = ev->ev_serial;
	g->nrecords = ev->ev_nrecords;
	g->flags = ev->ev_flags;
	for (i = 0; i < ev->ev_nrecords && i < 8; i++)
		g->types[i] = ev->ev_rec_types[i];
	if (ev->ev_node.p != NULL)
		snprintf(g->node, sizeof(g->node), "%s", ev->ev_node.p);
	if (ev->ev_nargv > 0)
		snprintf(g->argv0, sizeof(g->argv0), "%s", ev->ev_argv[0].p);
}

static void
setup(void)
{
	ngot = 0;
}

static struct aud_corr *
corr(unsigned max_in_flight, unsigned timeout_ms)
{
	struct aud_corr_opts o = { max_in_flight, timeout_ms };
	struct aud_corr *c = aud_corr_new(&o, collect, NULL);

	ck_assert_ptr_nonnull(c);
	return c;
}

/* Feed one audit.log line (must parse) at time now. */
static void
feed(struct aud_corr *c, const char *line, uint64_t now)
{
	struct aud_record rec;

	ck_assert_msg(aud_rec_parse_line(line, strlen(line), &rec) ==
	    AUD_REC_OK, "bad line: %s", line);
	aud_corr_add(c, &rec, now);
}

/* Feed "type=T msg=audit(1.000:SERIAL): body". */
static void
feedf(struct aud_corr *c, const char *type, uint32_t serial, const char *body,
    uint64_t now)
{
	char line[512];

	snprintf(line, sizeof(line), "type=%s msg=audit(1.000:%u): %s", type,
	    serial, body);
	feed(c, line, now);
}

static struct aud_corr_stats
stats(const struct aud_corr *c)
{
	struct aud_corr_stats st;

	aud_corr_stats(c, &st);
	return st;
}

START_TEST(test_eoe)
{
	struct aud_corr *c = corr(16, 1000);

	feedf(c, "SYSCALL", 1, "arch=c000003e syscall=59", 0);
	feedf(c, "EXECVE", 1, "argc=1 a0=\"ls\"", 0);
	ck_assert_int_eq(ngot, 0);
	ck_assert_uint_eq(aud_corr_in_flight(c), 1);
	feedf(c, "EOE", 1, "", 0);
	ck_assert_int_eq(ngot, 1);
	ck_assert_uint_eq(got[0].serial, 1);
	ck_assert_uint_eq(got[0].nrecords, 3);
	ck_assert_uint_eq(got[0].types[2], AUD_T_EOE);
	ck_assert_uint_ne(got[0].flags & FC_EV_EOE, 0);
	ck_assert_uint_eq(got[0].flags & (FC_EV_TIMED_OUT | FC_EV_EVICTED), 0);
	ck_assert_str_eq(got[0].argv0, "ls");
	ck_assert_uint_eq(got[0].num, 1);
	ck_assert_uint_eq(aud_corr_in_flight(c), 0);

	/* Now EOEs are expected: a PROCTITLE no longer ends an event. */
	feedf(c, "SYSCALL", 2, "arch=c000003e syscall=2", 0);
	feedf(c, "CWD", 2, "cwd=\"/\"", 0);
	feedf(c, "PROCTITLE", 2, "proctitle=6C73", 0);
	ck_assert_int_eq(ngot, 1);
	feedf(c, "EOE", 2, "", 0);
	ck_assert_int_eq(ngot, 2);
	ck_assert_uint_eq(got[1].nrecords, 4);
	ck_assert_uint_eq(got[1].num, 2);
	ck_assert_uint_eq(stats(c).eoe, 2);
	ck_assert_uint_eq(stats(c).last_record, 0);
	ck_assert_uint_eq(stats(c).records, 7);
	ck_assert_uint_eq(stats(c).events, 2);
	aud_corr_free(c);
}
END_TEST

START_TEST(test_last_record)
{
	struct aud_corr *c = corr(16, 1000);

	/* No EOE in the stream (audit.log of old auditd): PROCTITLE ends it. */
	feedf(c, "SYSCALL", 1, "arch=c000003e syscall=59", 0);
	feedf(c, "CWD", 1, "cwd=\"/\"", 0);
	ck_assert_int_eq(ngot, 0);
	feedf(c, "PROCTITLE", 1, "proctitle=6C73", 0);
	ck_assert_int_eq(ngot, 1);
	ck_assert_uint_eq(got[0].nrecords, 3);
	ck_assert_uint_eq(got[0].flags & FC_EV_EOE, 0);

	/* User-space and daemon records are single-record events. */
	feedf(c, "USER_LOGIN", 2, "pid=1 msg='op=login res=success'", 0);
	feedf(c, "DAEMON_START", 3, "op=start ver=3.0.9", 0);
	feedf(c, "USER", 4, "msg='hello'", 0);
	ck_assert_int_eq(ngot, 4);
	ck_assert_uint_eq(got[1].serial, 2);
	ck_assert_uint_eq(got[1].nrecords, 1);
	ck_assert_uint_eq(got[2].types[0], 1200);
	ck_assert_uint_eq(got[3].types[0], AUD_T_USER);
	ck_assert_uint_eq(stats(c).last_record, 4);
	ck_assert_uint_eq(stats(c).eoe, 0);

	/* A kernel record that can be followed by more is not last. */
	feedf(c, "ANOM_ABEND", 5, "pid=1 sig=11", 0);
	ck_assert_int_eq(ngot, 4);
	ck_assert_uint_eq(aud_corr_in_flight(c), 1);
	ck_assert(aud_type_is_last(AUD_T_PROCTITLE));
	ck_assert(aud_type_is_last(1112));
	ck_assert(aud_type_is_last(2100));
	ck_assert(aud_type_is_last(AUD_T_KERNEL));
	ck_assert(aud_type_is_last(1410));
	ck_assert(!aud_type_is_last(AUD_T_SYSCALL));
	ck_assert(!aud_type_is_last(AUD_T_PATH));
	ck_assert(!aud_type_is_last(AUD_T_LOGIN));
	ck_assert(!aud_type_is_last(1701));
	aud_corr_free(c);
}
END_TEST

START_TEST(test_timeout)
{
	struct aud_corr *c = corr(16, 100);

	feedf(c, "SYSCALL", 1, "syscall=1", 1000);
	feedf(c, "SYSCALL", 2, "syscall=2", 1050);
	aud_corr_tick(c, 1099);
	ck_assert_int_eq(ngot, 0);
	aud_corr_tick(c, 1100);
	ck_assert_int_eq(ngot, 1);
	ck_assert_uint_eq(got[0].serial, 1);
	ck_assert_uint_ne(got[0].flags & FC_EV_TIMED_OUT, 0);
	ck_assert_uint_eq(aud_corr_in_flight(c), 1);
	/* A record arriving later does not make an event younger. */
	feedf(c, "CWD", 2, "cwd=\"/\"", 1149);
	aud_corr_tick(c, 1149);
	ck_assert_int_eq(ngot, 1);
	aud_corr_tick(c, 1150);
	ck_assert_int_eq(ngot, 2);
	ck_assert_uint_eq(got[1].nrecords, 2);
	ck_assert_uint_eq(stats(c).timed_out, 2);
	/* A clock going backwards times nothing out. */
	feedf(c, "SYSCALL", 3, "syscall=3", 5000);
	aud_corr_tick(c, 10);
	ck_assert_int_eq(ngot, 2);
	aud_corr_tick(c, 5100);
	ck_assert_int_eq(ngot, 3);
	aud_corr_free(c);
}
END_TEST

START_TEST(test_interleaved)
{
	struct aud_corr *c = corr(16, 1000);

	feedf(c, "SYSCALL", 10, "arch=c000003e syscall=59", 0);
	feedf(c, "SYSCALL", 11, "arch=c000003e syscall=59", 0);
	feedf(c, "EXECVE", 10, "argc=1 a0=\"ten\"", 0);
	feedf(c, "EXECVE", 11, "argc=1 a0=\"eleven\"", 0);
	feedf(c, "CWD", 10, "cwd=\"/\"", 0);
	feedf(c, "EOE", 11, "", 0);
	ck_assert_int_eq(ngot, 1);
	feedf(c, "EOE", 10, "", 0);
	ck_assert_int_eq(ngot, 2);
	ck_assert_uint_eq(got[0].serial, 11);
	ck_assert_uint_eq(got[0].nrecords, 3);
	ck_assert_str_eq(got[0].argv0, "eleven");
	ck_assert_uint_eq(got[1].serial, 10);
	ck_assert_uint_eq(got[1].nrecords, 4);
	ck_assert_str_eq(got[1].argv0, "ten");
	ck_assert_uint_eq(got[1].types[2], AUD_T_CWD);
	aud_corr_free(c);
}
END_TEST

START_TEST(test_out_of_order)
{
	struct aud_corr *c = corr(16, 1000);

	feedf(c, "SYSCALL", 5, "syscall=5", 0);
	feedf(c, "SYSCALL", 3, "syscall=3", 0);
	feedf(c, "SYSCALL", 4, "syscall=4", 0);
	feedf(c, "PROCTITLE", 3, "proctitle=33", 0);
	feedf(c, "PROCTITLE", 5, "proctitle=35", 0);
	feedf(c, "PROCTITLE", 4, "proctitle=34", 0);
	ck_assert_int_eq(ngot, 3);
	ck_assert_uint_eq(got[0].serial, 3);
	ck_assert_uint_eq(got[1].serial, 5);
	ck_assert_uint_eq(got[2].serial, 4);
	ck_assert_uint_eq(got[0].num, 1);
	ck_assert_uint_eq(got[2].num, 3);
	ck_assert_uint_eq(got[2].nrecords, 2);
	aud_corr_free(c);
}
END_TEST

START_TEST(test_eviction)
{
	struct aud_corr *c = corr(2, 1000);

	feedf(c, "SYSCALL", 1, "syscall=1", 0);
	feedf(c, "SYSCALL", 2, "syscall=2", 0);
	ck_assert_int_eq(ngot, 0);
	feedf(c, "SYSCALL", 3, "syscall=3", 0);
	ck_assert_int_eq(ngot, 1);
	ck_assert_uint_eq(got[0].serial, 1);
	ck_assert_uint_ne(got[0].flags & FC_EV_EVICTED, 0);
	ck_assert_uint_eq(aud_corr_in_flight(c), 2);
	ck_assert_uint_eq(stats(c).evicted, 1);

	/* The EOE of the evicted event is recognised, not a new event. */
	feedf(c, "EOE", 1, "", 0);
	ck_assert_int_eq(ngot, 1);
	ck_assert_uint_eq(stats(c).late_eoe, 1);
	ck_assert_uint_eq(aud_corr_in_flight(c), 2);

	/* Adding to an event in flight evicts nothing. */
	feedf(c, "CWD", 2, "cwd=\"/\"", 0);
	ck_assert_int_eq(ngot, 1);
	feedf(c, "SYSCALL", 4, "syscall=4", 0);
	ck_assert_int_eq(ngot, 2);
	ck_assert_uint_eq(got[1].serial, 2);
	ck_assert_uint_eq(got[1].nrecords, 2);
	ck_assert_uint_eq(stats(c).evicted, 2);

	aud_corr_flush(c);
	ck_assert_int_eq(ngot, 4);
	ck_assert_uint_eq(got[2].serial, 3);
	ck_assert_uint_eq(got[3].serial, 4);
	ck_assert_uint_eq(got[3].flags & FC_EV_EVICTED, 0);
	ck_assert_uint_eq(stats(c).flushed, 2);
	aud_corr_free(c);
}
END_TEST

START_TEST(test_flush)
{
	struct aud_corr *c = corr(16, 1000);

	aud_corr_flush(c);
	ck_assert_int_eq(ngot, 0);
	feedf(c, "SYSCALL", 7, "syscall=1", 0);
	feedf(c, "SYSCALL", 6, "syscall=1", 0);
	feedf(c, "CWD", 7, "cwd=\"/\"", 0);
	aud_corr_flush(c);
	ck_assert_int_eq(ngot, 2);
	/* Oldest first. */
	ck_assert_uint_eq(got[0].serial, 7);
	ck_assert_uint_eq(got[0].nrecords, 2);
	ck_assert_uint_eq(got[1].serial, 6);
	ck_assert_uint_eq(got[0].flags & (FC_EV_EOE | FC_EV_TIMED_OUT |
	    FC_EV_EVICTED), 0);
	ck_assert_uint_eq(stats(c).flushed, 2);
	ck_assert_uint_eq(aud_corr_in_flight(c), 0);
	aud_corr_flush(c);
	ck_assert_int_eq(ngot, 2);
	aud_corr_free(c);
}
END_TEST

START_TEST(test_nodes)
{
	struct aud_corr *c = corr(16, 1000);

	/* Same time and serial from three machines: three events. */
	feed(c, "node=a type=SYSCALL msg=audit(1.000:9): syscall=1", 0);
	feed(c, "node=b type=SYSCALL msg=audit(1.000:9): syscall=2", 0);
	feed(c, "type=SYSCALL msg=audit(1.000:9): syscall=3", 0);
	feed(c, "node=b type=CWD msg=audit(1.000:9): cwd=\"/\"", 0);
	ck_assert_uint_eq(aud_corr_in_flight(c), 3);
	feed(c, "node=b type=EOE msg=audit(1.000:9): ", 0);
	feed(c, "type=EOE msg=audit(1.000:9): ", 0);
	feed(c, "node=a type=EOE msg=audit(1.000:9): ", 0);
	ck_assert_int_eq(ngot, 3);
	ck_assert_str_eq(got[0].node, "b");
	ck_assert_uint_eq(got[0].nrecords, 3);
	ck_assert_str_eq(got[1].node, "");
	ck_assert_uint_eq(got[1].nrecords, 2);
	ck_assert_str_eq(got[2].node, "a");
	ck_assert_uint_eq(got[2].nrecords, 2);

	/* Same serial, another second: another event. */
	feed(c, "type=SYSCALL msg=audit(2.000:9): syscall=1", 0);
	feed(c, "type=SYSCALL msg=audit(2.001:9): syscall=1", 0);
	ck_assert_uint_eq(aud_corr_in_flight(c), 2);
	aud_corr_free(c);
}
END_TEST

START_TEST(test_late_eoe)
{
	struct aud_corr *c = corr(16, 1000);

	feedf(c, "SYSCALL", 10, "syscall=59", 0);
	feedf(c, "PROCTITLE", 10, "proctitle=6C73", 0);
	ck_assert_int_eq(ngot, 1);
	ck_assert_uint_eq(got[0].nrecords, 2);
	/* Its EOE comes after: absorbed, and the stream is now EOE mode. */
	feedf(c, "EOE", 10, "", 0);
	ck_assert_int_eq(ngot, 1);
	ck_assert_uint_eq(aud_corr_in_flight(c), 0);
	ck_assert_uint_eq(stats(c).late_eoe, 1);
	ck_assert_uint_eq(stats(c).records, 3);

	feedf(c, "SYSCALL", 11, "syscall=59", 0);
	feedf(c, "PROCTITLE", 11, "proctitle=6C73", 0);
	ck_assert_int_eq(ngot, 1);
	feedf(c, "EOE", 11, "", 0);
	ck_assert_int_eq(ngot, 2);
	ck_assert_uint_eq(got[1].nrecords, 3);
	ck_assert_uint_ne(got[1].flags & FC_EV_EOE, 0);

	/* In EOE mode a lone user record still completes at once... */
	feedf(c, "USER_LOGIN", 12, "pid=1", 0);
	ck_assert_int_eq(ngot, 3);
	/* ...but a lone PROCTITLE waits for its EOE. */
	feedf(c, "PROCTITLE", 13, "proctitle=6C73", 0);
	ck_assert_int_eq(ngot, 3);
	feedf(c, "EOE", 13, "", 0);
	ck_assert_int_eq(ngot, 4);
	ck_assert_uint_eq(got[3].nrecords, 2);
	/* A duplicate EOE is absorbed too. */
	feedf(c, "EOE", 13, "", 0);
	ck_assert_int_eq(ngot, 4);
	ck_assert_uint_eq(stats(c).late_eoe, 2);
	aud_corr_free(c);
}
END_TEST

START_TEST(test_defaults)
{
	struct aud_corr *c = aud_corr_new(NULL, collect, NULL);
	unsigned i;
	char body[32];

	ck_assert_ptr_nonnull(c);
	/* Default bound: 1024 in flight. */
	for (i = 0; i < 1025; i++) {
		snprintf(body, sizeof(body), "syscall=%u", i);
		feedf(c, "SYSCALL", i, body, 0);
	}
	ck_assert_int_eq(ngot, 1);
	ck_assert_uint_eq(got[0].serial, 0);
	ck_assert_uint_eq(aud_corr_in_flight(c), 1024);
	/* Default timeout: 2000 ms. */
	aud_corr_tick(c, 1999);
	ck_assert_int_eq(ngot, 1);
	ngot = 0;
	aud_corr_free(c);

	/* No callback: events are still counted. */
	c = aud_corr_new(NULL, NULL, NULL);
	ck_assert_ptr_nonnull(c);
	feedf(c, "USER_LOGIN", 1, "pid=1", 0);
	ck_assert_uint_eq(stats(c).events, 1);
	aud_corr_free(c);
	aud_corr_free(NULL);
}
END_TEST

/* ---- go-libaudit reassembler logs ------------------------------------ */

struct want {
	uint32_t	 serial;
	uint32_t	 nrecords;
};

static void
replay(const char *name, const struct want *want, int nwant)
{
	char path[1024];
	struct aud_corr *c;
	struct aud_logread *r;
	struct aud_record rec;
	const char *line;
	size_t len;
	bool too_long;
	int fd, i, n = 0;

	snprintf(path, sizeof(path), "%s%s", REASM_DIR, name);
	fd = open(path, O_RDONLY);
	ck_assert_msg(fd >= 0, "cannot open %s", path);
	r = aud_logread_new(fd);
	ck_assert_ptr_nonnull(r);
	c = corr(64, 2000);
	while (aud_logread_next(r, &line, &len, &too_long) == 1) {
		ck_assert(!too_long);
		if (aud_rec_parse_line(line, len, &rec) != AUD_REC_OK)
			continue;
		aud_corr_add(c, &rec, 0);
		n++;
	}
	aud_corr_flush(c);
	ck_assert_int_eq(ngot, nwant);
	for (i = 0; i < nwant; i++) {
		ck_assert_uint_eq(got[i].serial, want[i].serial);
		ck_assert_msg(got[i].nrecords == want[i].nrecords,
		    "%s: serial %u has %u records, want %u", name,
		    got[i].serial, got[i].nrecords, want[i].nrecords);
	}
	ck_assert_uint_eq(stats(c).records, (uint64_t)n);
	aud_corr_free(c);
	aud_logread_free(r);
	close(fd);
}

START_TEST(test_reasm_normal)
{
	static const struct want w[] = {
		{ 58, 2 }, { 59, 5 }, { 60, 5 }, { 61, 4 }, { 62, 1 },
	};

	replay("normal.log", w, 5);
}
END_TEST

START_TEST(test_reasm_out_of_order)
{
	static const struct want w[] = {
		{ 58, 2 }, { 59, 5 }, { 60, 5 }, { 61, 4 }, { 62, 1 },
	};

	replay("out_of_order.log", w, 5);
}
END_TEST

START_TEST(test_reasm_lost)
{
	static const struct want w[] = {
		{ 49, 2 }, { 59, 5 }, { 60, 5 }, { 61, 4 }, { 62, 1 },
	};

	replay("lost_messages.log", w, 5);
}
END_TEST

START_TEST(test_reasm_rollover)
{
	static const struct want w[] = {
		{ 4294967294u, 1 }, { 4294967295u, 1 }, { 0, 1 }, { 1, 1 },
		{ 2, 1 },
	};

	replay("rollover.log", w, 5);
}
END_TEST

/* ---- A seeded random stream ------------------------------------------ */

static uint64_t
rnd(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545F4914F6CDD1Dull;
}

static uint64_t rand_nrecords, rand_events;

/*
 * Every record carries tag=SEC:SERIAL@NODE as its first field: all the
 * tags of an event must be its own identity.
 */
static void
check_grouping(const struct fc_event *ev, void *arg)
{
	char want[64];
	uint32_t i, ntags = 0, neoe = 0;

	(void)arg;
	snprintf(want, sizeof(want), "%llu:%u@%s",
	    (unsigned long long)ev->ev_sec, ev->ev_serial,
	    ev->ev_node.p != NULL ? ev->ev_node.p : "-");
	for (i = 0; i < ev->ev_nfields; i++) {
		const struct fc_field *f = &ev->ev_fields[i];
		if (f->f_key.len != 3 || memcmp(f->f_key.p, "tag", 3) != 0)
			continue;
		ck_assert_ptr_nonnull(f->f_val.p);
		ck_assert_str_eq(f->f_val.p, want);
		ntags++;
	}
	for (i = 0; i < ev->ev_nrecords; i++)
		neoe += ev->ev_rec_types[i] == AUD_T_EOE;
	ck_assert_uint_eq(ntags + neoe, ev->ev_nrecords);
	rand_nrecords += ev->ev_nrecords;
	rand_events++;
}

START_TEST(test_random_stream)
{
	static const char *const types[] = {
		"SYSCALL", "EXECVE", "CWD", "PATH", "PROCTITLE", "EOE",
		"SOCKADDR", "USER_LOGIN", "OBJ_PID", "BPRM_FCAPS",
	};
	static const char *const nodes[] = { NULL, "a", "b" };
	static const char junk[] = "ab=\"' 0123456789ABCDEF()[]_-\x1d";
	struct aud_corr_opts o = { 8, 5 };
	struct aud_corr *c = aud_corr_new(&o, check_grouping, NULL);
	struct aud_corr_stats st;
	struct aud_record rec;
	uint64_t seed = 42, now = 0, r;
	char line[512];
	int i, j, len, fed = 0;

	ck_assert_ptr_nonnull(c);
	rand_nrecords = rand_events = 0;
	for (i = 0; i < 50000; i++) {
		const char *node = nodes[rnd(&seed) % 3];
		unsigned sec = (unsigned)(rnd(&seed) % 3);
		unsigned serial = (unsigned)(rnd(&seed) % 24);

		len = snprintf(line, 128, "%s%s%stype=%s msg=audit(%u.000:%u): "
		    "tag=%u:%u@%s ", node ? "node=" : "", node ? node : "",
		    node ? " " : "", types[rnd(&seed) % 10], sec, serial, sec,
		    serial, node ? node : "-");
		r = rnd(&seed) % 60;
		for (j = 0; j < (int)r; j++)
			line[len++] = junk[rnd(&seed) % (sizeof(junk) - 1)];
		ck_assert_int_eq(aud_rec_parse_line(line, (size_t)len, &rec),
		    AUD_REC_OK);
		aud_corr_add(c, &rec, now);
		fed++;
		now += rnd(&seed) % 3;
		if (i % 7 == 0)
			aud_corr_tick(c, now);
	}
	aud_corr_flush(c);
	aud_corr_stats(c, &st);
	ck_assert_uint_eq(st.records, (uint64_t)fed);
	ck_assert_uint_eq(st.events, rand_events);
	ck_assert_uint_eq(st.dropped, 0);
	/* Every record is in exactly one event, but absorbed late EOEs. */
	ck_assert_uint_eq(rand_nrecords + st.late_eoe, st.records);
	ck_assert_uint_eq(st.events, st.eoe + st.last_record + st.timed_out +
	    st.evicted + st.flushed);
	ck_assert_uint_gt(st.evicted, 0);
	ck_assert_uint_gt(st.timed_out, 0);
	ck_assert_uint_gt(st.eoe, 0);
	ck_assert_uint_eq(aud_corr_in_flight(c), 0);
	aud_corr_free(c);
}
END_TEST

Suite *
suite_for_main(void)
{
	Suite *s = suite_create("audit correlator");
	TCase *tc = tcase_create("completion");
	TCase *tr = tcase_create("reassembler logs");
	TCase *tx = tcase_create("random");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, test_eoe);
	tcase_add_test(tc, test_last_record);
	tcase_add_test(tc, test_timeout);
	tcase_add_test(tc, test_interleaved);
	tcase_add_test(tc, test_out_of_order);
	tcase_add_test(tc, test_eviction);
	tcase_add_test(tc, test_flush);
	tcase_add_test(tc, test_nodes);
	tcase_add_test(tc, test_late_eoe);
	tcase_add_test(tc, test_defaults);
	suite_add_tcase(s, tc);

	tcase_add_checked_fixture(tr, setup, NULL);
	tcase_add_test(tr, test_reasm_normal);
	tcase_add_test(tr, test_reasm_out_of_order);
	tcase_add_test(tr, test_reasm_lost);
	tcase_add_test(tr, test_reasm_rollover);
	suite_add_tcase(s, tr);

	tcase_set_timeout(tx, 60);
	tcase_add_test(tx, test_random_stream);
	suite_add_tcase(s, tx);
	return s;
}
