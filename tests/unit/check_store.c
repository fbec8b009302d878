/*
 * check_store.c - the alert store (src/outputs/store.h): ids, the ring and
 * its eviction, queries (filters, cursors, paging, missed counts, a cursor
 * from the future), waiting, the spool (read back after a restart with ids
 * continuing, a torn last line cut off, rotation and the size bound, the
 * fsync policies) and the configuration keys.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "check_main.h"
#include "conf.h"
#include "outputs/msg.h"
#include "outputs/store.h"
#include "outputs/store_int.h"

static struct out_msg *
mk(const char *rule, int pri, const char *cid, const char *text)
{
	struct fc_alert_field f = { "proc.name", FC_AV_STRING, "cat", 3 };
	struct fc_alert_format fmt;
	struct fc_alert a = {
		.time_ns = 1470327477881781397ull, .priority = pri,
		.rule = rule, .source = "syscall", .output = text,
		.output_len = strlen(text), .fields = &f, .nfields = 1,
		.hostname = "h",
	};
	struct out_msg *m;

	fc_alert_format_defaults(&fmt);
	fmt.json = true;
	m = out_msg_new(&a, &fmt, cid);
	ck_assert_ptr_nonnull(m);
	return m;
}

static uint64_t
add(struct out_store *s, const char *rule, int pri, const char *cid)
{
	struct out_msg *m = mk(rule, pri, cid, "an alert");
	uint64_t id = out_store_add(s, m);

	out_msg_unref(m);
	return id;
}

static void
add_n(struct out_store *s, int n)
{
	int i;

	for (i = 0; i < n; i++)
		add(s, "r", FC_PRI_WARNING, "c1");
}

/* All ids after since, in pages of limit; checks they are consecutive. */
static uint64_t
drain(struct out_store *s, uint64_t since, size_t limit, uint64_t *count)
{
	struct out_msg *msgs[64];
	struct out_store_page page = { .msgs = msgs };
	struct out_store_query q = { .since = since, .limit = limit,
	    .max_priority = -1 };
	size_t i;

	*count = 0;
	for (;;) {
		ck_assert_int_eq(out_store_query(s, &q, &page), 0);
		for (i = 0; i < page.n; i++) {
			ck_assert_uint_eq(msgs[i]->id, q.since + i + 1);
			(*count)++;
		}
		out_store_page_release(&page);
		if (page.next == q.since)
			return page.next;
		q.since = page.next;
	}
}

static char *test_dir;		/* removed by teardown, even on failure */

static char *
tmpdir(void)
{
	char *d = strdup("/tmp/check_store.XXXXXX");

	ck_assert_ptr_nonnull(mkdtemp(d));
	test_dir = d;
	return d;
}

static void
rmtree(char *d)
{
	char cmd[512];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", d);
	ck_assert_int_eq(system(cmd), 0);
	free(d);
	test_dir = NULL;
}

static void
teardown(void)
{
	if (test_dir != NULL)
		rmtree(test_dir);
}

START_TEST(test_ids_and_eviction)
{
	char err[OUT_STORE_ERRLEN];
	struct out_store *s = out_store_new(4, NULL, NULL, err);
	struct out_store_stats st;
	uint64_t n, last;

	ck_assert_ptr_nonnull(s);
	ck_assert_uint_eq(add(s, "r", 4, "c"), 1);
	ck_assert_uint_eq(add(s, "r", 4, "c"), 2);
	add_n(s, 8);			/* ids 3..10; 1..6 evicted */
	out_store_stats(s, &st);
	ck_assert_uint_eq(st.size, 4);
	ck_assert_uint_eq(st.capacity, 4);
	ck_assert_uint_eq(st.added, 10);
	ck_assert_uint_eq(st.evictions, 6);
	ck_assert_uint_eq(st.first_id, 7);
	ck_assert_uint_eq(st.last_id, 10);
	ck_assert(!st.spool);
	last = drain(s, 6, 3, &n);
	ck_assert_uint_eq(n, 4);
	ck_assert_uint_eq(last, 10);
	out_store_free(s);
	ck_assert_ptr_null(out_store_new(0, NULL, NULL, err));
	ck_assert_str_eq(err, "ring size 0 is not in 1..10000000");
}
END_TEST

START_TEST(test_query_filters_and_cursor)
{
	char err[OUT_STORE_ERRLEN];
	struct out_store *s = out_store_new(100, NULL, NULL, err);
	struct out_msg *msgs[10];
	struct out_store_page page = { .msgs = msgs };
	struct out_store_query q = { .since = 0, .limit = 10,
	    .max_priority = FC_PRI_WARNING };

	add(s, "a", FC_PRI_NOTICE, "c1");	/* 1 */
	add(s, "a", FC_PRI_WARNING, "c1");	/* 2 */
	add(s, "b", FC_PRI_CRITICAL, "c2");	/* 3 */
	add(s, "a", FC_PRI_DEBUG, "c2");	/* 4 */
	ck_assert_int_eq(out_store_query(s, &q, &page), 0);
	ck_assert_uint_eq(page.n, 2);
	ck_assert_uint_eq(msgs[0]->id, 2);
	ck_assert_uint_eq(msgs[1]->id, 3);
	ck_assert_uint_eq(page.next, 4);	/* past the filtered 4 too */
	out_store_page_release(&page);
	q = (struct out_store_query){ .limit = 10, .max_priority = -1,
	    .rule = "a", .container_id = "c2" };
	ck_assert_int_eq(out_store_query(s, &q, &page), 0);
	ck_assert_uint_eq(page.n, 1);
	ck_assert_uint_eq(msgs[0]->id, 4);
	out_store_page_release(&page);
	/* limit stops early: next is the last one returned. */
	q = (struct out_store_query){ .limit = 1, .max_priority = -1 };
	ck_assert_int_eq(out_store_query(s, &q, &page), 0);
	ck_assert_uint_eq(page.n, 1);
	ck_assert_uint_eq(page.next, 1);
	out_store_page_release(&page);
	/* Nothing newer: next stays. */
	q.since = 4;
	ck_assert_int_eq(out_store_query(s, &q, &page), 0);
	ck_assert_uint_eq(page.n, 0);
	ck_assert_uint_eq(page.next, 4);
	/* A cursor from the future. */
	q.since = 5;
	ck_assert_int_eq(out_store_query(s, &q, &page), -ERANGE);
	ck_assert_uint_eq(page.next, 4);
	out_store_free(s);
}
END_TEST

START_TEST(test_missed)
{
	char err[OUT_STORE_ERRLEN];
	struct out_store *s = out_store_new(5, NULL, NULL, err);
	struct out_msg *msgs[10];
	struct out_store_page page = { .msgs = msgs };
	struct out_store_query q = { .since = 2, .limit = 10,
	    .max_priority = -1 };

	add_n(s, 20);				/* 16..20 left */
	ck_assert_int_eq(out_store_query(s, &q, &page), 0);
	ck_assert_uint_eq(page.missed, 13);	/* 3..15 */
	ck_assert_uint_eq(page.n, 5);
	ck_assert_uint_eq(msgs[0]->id, 16);
	ck_assert_uint_eq(page.next, 20);
	out_store_page_release(&page);
	out_store_free(s);
}
END_TEST

/* Adds one alert after a delay, from another thread. */
static void *
late_add(void *arg)
{
	struct timespec ts = { 0, 200 * 1000000L };

	nanosleep(&ts, NULL);
	add(arg, "r", 4, "c");
	return NULL;
}

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

START_TEST(test_wait)
{
	char err[OUT_STORE_ERRLEN];
	struct out_store *s = out_store_new(10, NULL, NULL, err);
	pthread_t t;
	double t0;

	add_n(s, 2);
	ck_assert(out_store_wait(s, 1, 0));		/* 2 > 1 already */
	t0 = now_s();
	ck_assert(!out_store_wait(s, 2, 150));		/* times out */
	ck_assert_double_ge(now_s() - t0, 0.14);
	ck_assert_int_eq(pthread_create(&t, NULL, late_add, s), 0);
	t0 = now_s();
	ck_assert(out_store_wait(s, 2, 5000));		/* woken */
	ck_assert_double_lt(now_s() - t0, 2.0);
	pthread_join(t, NULL);
	ck_assert_uint_eq(out_store_last_id(s), 3);
	out_store_free(s);
}
END_TEST

struct reader_arg {
	struct out_store	*s;
	int			*stop;
	uint64_t		 pages;
};

/* Queries in a loop; every page must be increasing, valid messages. */
static void *
reader(void *arg)
{
	struct reader_arg *ra = arg;
	struct out_msg *msgs[50];
	struct out_store_page page = { .msgs = msgs };
	struct out_store_query q = { .limit = 50, .max_priority = -1 };
	size_t i;

	while (!__atomic_load_n(ra->stop, __ATOMIC_ACQUIRE)) {
		q.since = out_store_last_id(ra->s) > 40 ?
		    out_store_last_id(ra->s) - 40 : 0;
		if (ra->pages % 3 == 0)
			q.since = 0;		/* the oldest: being evicted */
		ck_assert_int_eq(out_store_query(ra->s, &q, &page), 0);
		for (i = 0; i < page.n; i++) {
			ck_assert_uint_gt(msgs[i]->id, q.since);
			ck_assert(i == 0 || msgs[i]->id > msgs[i - 1]->id);
			ck_assert_str_eq(msgs[i]->rule, "r");
		}
		out_store_page_release(&page);
		ra->pages++;
	}
	return NULL;
}

/* Readers never take the writers' lock: hammer queries while adding to
 * a small ring; every evicted message is released (ASan checks both). */
START_TEST(test_concurrent_readers)
{
	char err[OUT_STORE_ERRLEN];
	struct out_store *s = out_store_new(64, NULL, NULL, err);
	struct reader_arg ra[3];
	struct out_store_stats st;
	pthread_t t[3];
	int stop = 0;
	int i;

	for (i = 0; i < 3; i++) {
		ra[i] = (struct reader_arg){ s, &stop, 0 };
		ck_assert_int_eq(pthread_create(&t[i], NULL, reader, &ra[i]), 0);
	}
	add_n(s, 100000);
	__atomic_store_n(&stop, 1, __ATOMIC_RELEASE);
	for (i = 0; i < 3; i++) {
		pthread_join(t[i], NULL);
		ck_assert_uint_gt(ra[i].pages, 0);
	}
	out_store_stats(s, &st);
	ck_assert_uint_eq(st.added, 100000);
	ck_assert_uint_eq(st.evictions, 100000 - 64);
	ck_assert_uint_eq(st.add_contended, 0);	/* one writer */
	out_store_free(s);
}
END_TEST

static struct out_store *
spool_store(const char *dir, size_t ring, uint64_t seg, uint64_t max)
{
	struct out_store_spool_opts o;
	char err[OUT_STORE_ERRLEN];
	struct out_store *s;

	out_store_spool_defaults(&o);
	if (seg > 0) {
		o.segment_bytes = seg;
		o.max_bytes = max;
	}
	o.fsync = OUT_STORE_FSYNC_NONE;
	s = out_store_new(ring, dir, &o, err);
	ck_assert_msg(s != NULL, "%s", err);
	return s;
}

/* Wait until the writer made everything visible. */
static void
settle(struct out_store *s, uint64_t id)
{
	ck_assert(out_store_wait(s, id - 1, 5000));
}

START_TEST(test_spool_restart)
{
	char *dir = tmpdir();
	struct out_store *s = spool_store(dir, 100, 0, 0);
	struct out_store_stats st;
	uint64_t n, last;

	ck_assert_uint_eq(out_store_last_id(s), 0);
	add_n(s, 30);
	settle(s, 30);
	out_store_free(s);

	s = spool_store(dir, 100, 0, 0);
	out_store_stats(s, &st);
	ck_assert_uint_eq(st.restored, 30);
	ck_assert_uint_eq(st.last_id, 30);
	ck_assert_uint_eq(st.spool_segments, 1);
	last = drain(s, 10, 7, &n);		/* a cursor from before */
	ck_assert_uint_eq(n, 20);
	ck_assert_uint_eq(last, 30);
	ck_assert_uint_eq(add(s, "r", 4, "c"), 31);	/* ids continue */
	settle(s, 31);
	out_store_free(s);

	/* A smaller ring keeps the newest; the restored JSON is intact. */
	s = spool_store(dir, 5, 0, 0);
	{
		struct out_msg *msgs[8];
		struct out_store_page page = { .msgs = msgs };
		struct out_store_query q = { .limit = 8, .max_priority = -1 };
		struct out_msg *ref = mk("r", 4, "c1", "an alert");

		ck_assert_int_eq(out_store_query(s, &q, &page), 0);
		ck_assert_uint_eq(page.n, 5);
		ck_assert_uint_eq(msgs[0]->id, 27);
		ck_assert_uint_eq(page.missed, 26);
		ck_assert_str_eq(msgs[0]->json, ref->json);
		ck_assert_str_eq(msgs[0]->rule, "r");
		ck_assert_str_eq(msgs[0]->container_id, "c1");
		ck_assert_int_eq(msgs[0]->priority, 4);
		ck_assert_uint_eq(msgs[0]->time_ns, 1470327477881781397ull);
		out_store_page_release(&page);
		out_msg_unref(ref);
	}
	out_store_free(s);
	rmtree(dir);
}
END_TEST

static size_t
count_segments(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	size_t n = 0;

	ck_assert_ptr_nonnull(d);
	while ((de = readdir(d)) != NULL)
		n += strncmp(de->d_name, "alerts-", 7) == 0;
	closedir(d);
	return n;
}

START_TEST(test_spool_torn_line)
{
	char *dir = tmpdir(), path[512];
	struct out_store *s = spool_store(dir, 100, 0, 0);
	struct stat st0, st1;
	int fd;

	add_n(s, 3);
	settle(s, 3);
	out_store_free(s);
	snprintf(path, sizeof(path), "%s/alerts-%020d.jsonl", dir, 1);
	ck_assert_int_eq(stat(path, &st0), 0);
	fd = open(path, O_WRONLY | O_APPEND);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, "{\"id\":4,\"time_", 14), 14);
	close(fd);

	s = spool_store(dir, 100, 0, 0);
	ck_assert_uint_eq(out_store_last_id(s), 3);
	ck_assert_int_eq(stat(path, &st1), 0);
	ck_assert_int_eq(st1.st_size, st0.st_size);	/* cut back */
	ck_assert_uint_eq(add(s, "r", 4, "c"), 4);
	settle(s, 4);
	out_store_free(s);
	s = spool_store(dir, 100, 0, 0);
	ck_assert_uint_eq(out_store_last_id(s), 4);
	out_store_free(s);
	rmtree(dir);
}
END_TEST

START_TEST(test_spool_rotation_bound)
{
	char *dir = tmpdir();
	struct out_store *s = spool_store(dir, 1000, 4096, 16384);
	struct out_store_stats st;
	int i;

	for (i = 0; i < 400; i++)
		add(s, "r", 4, "c");
	settle(s, 400);
	out_store_stats(s, &st);
	ck_assert_uint_le(st.spool_bytes, 16384);
	ck_assert_uint_ge(st.spool_bytes, 16384 - 2 * 4096);
	ck_assert_uint_eq(st.spool_segments, count_segments(dir));
	ck_assert_uint_ge(st.spool_deleted, 1);
	ck_assert_uint_eq(st.spool_written, 400);
	ck_assert_uint_eq(st.spool_errors, 0);
	out_store_free(s);
	/* After a restart ids still continue after the newest. */
	s = spool_store(dir, 1000, 4096, 16384);
	ck_assert_uint_eq(out_store_last_id(s), 400);
	ck_assert_uint_eq(add(s, "r", 4, "c"), 401);
	out_store_free(s);
	rmtree(dir);
}
END_TEST

START_TEST(test_spool_parse_line)
{
	static const char good[] = "{\"id\":7,\"time_ns\":5,\"priority\":3,"
	    "\"rule\":\"x,\\\"alert\\\":\",\"source\":\"syscall\","
	    "\"container_id\":\"\",\"alert\":{\"a\":1}}";
	struct out_msg *m;

	m = store_spool_parse_line(good, sizeof(good) - 1);
	ck_assert_ptr_nonnull(m);
	ck_assert_uint_eq(m->id, 7);
	ck_assert_str_eq(m->rule, "x,\"alert\":");
	ck_assert_str_eq(m->json, "{\"a\":1}");
	out_msg_unref(m);
	ck_assert_ptr_null(store_spool_parse_line("{}", 2));
	ck_assert_ptr_null(store_spool_parse_line(good, sizeof(good) - 2));
}
END_TEST

START_TEST(test_fsync_batch_visible)
{
	struct out_store_spool_opts o;
	char err[OUT_STORE_ERRLEN], *dir = tmpdir();
	struct out_store *s;

	out_store_spool_defaults(&o);
	ck_assert_int_eq(o.fsync, OUT_STORE_FSYNC_BATCH);
	s = out_store_new(10, dir, &o, err);
	ck_assert_ptr_nonnull(s);
	add_n(s, 3);
	settle(s, 3);
	ck_assert_uint_eq(out_store_last_id(s), 3);
	out_store_free(s);
	ck_assert_int_eq(out_store_fsync_parse("rotate"),
	    OUT_STORE_FSYNC_ROTATE);
	ck_assert_int_eq(out_store_fsync_parse("always"), -1);
	ck_assert_str_eq(out_store_fsync_name(OUT_STORE_FSYNC_NONE), "none");
	rmtree(dir);
}
END_TEST

START_TEST(test_conf)
{
	struct fc_conf *c = conf_new();
	struct out_store_config cfg;
	char err[256];

	out_store_conf_read(c, &cfg);
	ck_assert_uint_eq(cfg.ring_size, 10000);
	ck_assert_ptr_null(cfg.spool_dir);
	ck_assert_int_eq(cfg.spool.fsync, OUT_STORE_FSYNC_BATCH);
	ck_assert_int_eq(conf_set_option(c, "alert_store.spool.enabled=true",
	    err, sizeof(err)), 0);
	ck_assert_int_eq(conf_set_option(c, "alert_store.ring_size=50", err,
	    sizeof(err)), 0);
	ck_assert_int_eq(conf_set_option(c, "alert_store.spool.fsync=often",
	    err, sizeof(err)), 0);
	out_store_conf_read(c, &cfg);
	ck_assert_str_eq(cfg.spool_dir, "/var/lib/falconet");
	ck_assert_uint_eq(cfg.ring_size, 50);
	ck_assert_uint_eq(conf_nerrors(c), 1);
	ck_assert_str_eq(conf_error_msg(c, 0), "-o alert_store.spool.fsync="
	    "often: 'alert_store.spool.fsync': 'often' is not one of none, "
	    "rotate, batch");
	conf_free(c);
}
END_TEST

Suite *
suite_for_main(void)
{
	Suite *s = suite_create("store");
	TCase *tc = tcase_create("store");

	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_ids_and_eviction);
	tcase_add_test(tc, test_query_filters_and_cursor);
	tcase_add_test(tc, test_missed);
	tcase_add_test(tc, test_wait);
	tcase_add_test(tc, test_concurrent_readers);
	tcase_add_test(tc, test_spool_restart);
	tcase_add_test(tc, test_spool_torn_line);
	tcase_add_test(tc, test_spool_rotation_bound);
	tcase_add_test(tc, test_spool_parse_line);
	tcase_add_test(tc, test_fsync_batch_visible);
	tcase_add_test(tc, test_conf);
	suite_add_tcase(s, tc);
	return s;
}
