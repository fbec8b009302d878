/*
 * check_outputs.c - output channels without the network: configuration
 * keys and errors, stdout, file (JSON and text lines, keep_alive on and
 * off, reopen after rotation, a file that cannot be opened and its rate
 * limited alert), the priority threshold, exact drop counts of a full
 * ring, drain at shutdown, syslog not blocking.  The helpers shared with
 * check_outputs_net.c (http, program) are here too.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "conf.h"
#include "check_main.h"
#include "out_test.h"
#include "webhook.h"

/* ---- helpers ---------------------------------------------------------- */

struct fc_conf *
ot_conf(const char *const *opts)
{
	struct fc_conf *c = conf_new();
	char err[512];

	ck_assert_ptr_nonnull(c);
	for (; opts != NULL && *opts != NULL; opts++)
		ck_assert_msg(conf_set_option(c, *opts, err, sizeof(err)) == 0,
		    "%s", err);
	return c;
}

struct out_msg *
ot_msg(int pri, const char *output)
{
	static const struct fc_alert_field f[] = {
		{ "proc.cmdline", FC_AV_STRING, "cat /dev/null", 13 },
		{ "proc.pid", FC_AV_JSON, "42", 2 },
	};
	static const char *const tags[] = { "filesystem", "testing" };
	struct fc_alert_format fmt;
	struct fc_alert a = {
		.time_ns = 1470327477881781397ull, .priority = pri,
		.rule = "open_from_cat", .source = "syscall",
		.tags = tags, .ntags = 2, .output = output,
		.output_len = strlen(output), .fields = f, .nfields = 2,
		.hostname = "test-host",
	};
	struct out_msg *m;

	fc_alert_format_defaults(&fmt);
	fmt.iso8601 = true;
	m = out_msg_new(&a, &fmt, "host");
	ck_assert_ptr_nonnull(m);
	return m;
}

char *
ot_json_output(const struct out_msg *m)
{
	json_t *j = json_loads(m->json, 0, NULL);
	char *s;

	ck_assert_ptr_nonnull(j);
	s = strdup(json_string_value(json_object_get(j, "output")));
	json_decref(j);
	return s;
}

struct out_chan_stats
ot_stats(struct out_set *s, enum out_chan_kind k)
{
	struct out_stats st;

	out_set_stats(s, &st);
	return st.ch[k];
}

void
ot_sleep_ms(unsigned ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

uint64_t
ot_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

char *
ot_tmpdir(void)
{
	char *d = strdup("/tmp/check_outputs.XXXXXX");

	ck_assert_ptr_nonnull(mkdtemp(d));
	return d;
}

static int
rm_one(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
	return remove(p);
}

void
ot_rmtree(char *dir)
{
	nftw(dir, rm_one, 8, FTW_DEPTH | FTW_PHYS);
	free(dir);
}

char *
ot_path(const char *dir, const char *name)
{
	char *p;

	ck_assert_int_gt(asprintf(&p, "%s/%s", dir, name), 0);
	return p;
}

char *
ot_read(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t len = 0;
	FILE *m;
	int c;

	if (f == NULL)
		return NULL;
	m = open_memstream(&buf, &len);
	while ((c = getc(f)) != EOF)
		putc(c, m);
	fclose(m);
	fclose(f);
	return buf;
}

size_t
ot_lines(const char *path)
{
	char *s = ot_read(path), *p;
	size_t n = 0;

	if (s == NULL)
		return 0;
	for (p = s; (p = strchr(p, '\n')) != NULL; p++)
		n++;
	free(s);
	return n;
}

int
ot_stdout_to(const char *path)
{
	int saved, fd;

	fflush(stdout);
	saved = dup(STDOUT_FILENO);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	ck_assert_int_ge(fd, 0);
	dup2(fd, STDOUT_FILENO);
	close(fd);
	return saved;
}

void
ot_stdout_back(int saved)
{
	dup2(saved, STDOUT_FILENO);
	close(saved);
}

static void
on_alert(void *ctx, int pri, const char *rule, const char *text,
    const char *const *kv)
{
	struct ot_alerts *a = ctx;
	size_t off = 0;
	int i;

	ck_assert_str_eq(rule, "Falconet internal: output channel failure");
	pthread_mutex_lock(&a->mu);
	i = a->n < 16 ? a->n : 15;
	a->pri[i] = pri;
	snprintf(a->text[i], sizeof(a->text[i]), "%s", text);
	a->kv[i][0] = '\0';
	for (; kv[0] != NULL && kv[1] != NULL; kv += 2)
		off += (size_t)snprintf(a->kv[i] + off, sizeof(a->kv[i]) - off,
		    "%s=%s;", kv[0], kv[1]);
	a->n++;
	pthread_mutex_unlock(&a->mu);
}

void
ot_alerts_init(struct ot_alerts *a, struct out_hooks *h)
{
	memset(a, 0, sizeof(*a));
	pthread_mutex_init(&a->mu, NULL);
	h->ctx = a;
	h->alert = on_alert;
}

int
ot_alerts_count(struct ot_alerts *a)
{
	int n;

	pthread_mutex_lock(&a->mu);
	n = a->n;
	pthread_mutex_unlock(&a->mu);
	return n;
}

/* Publish n messages "msg 0".."msg n-1" at priority pri; m[] keeps them. */
static void
publish_n(struct out_set *s, struct out_msg **m, int n, int pri)
{
	char out[64];

	for (int i = 0; i < n; i++) {
		snprintf(out, sizeof(out), "msg %d", i);
		m[i] = ot_msg(pri, out);
		out_set_publish(s, m[i]);
	}
}

static void
unref_n(struct out_msg **m, int n)
{
	for (int i = 0; i < n; i++)
		out_msg_unref(m[i]);
}

/* The lines the messages make, JSON or text. */
static char *
lines_of(struct out_msg **m, int n, bool json)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	for (int i = 0; i < n; i++)
		fprintf(f, "%s\n", json ? m[i]->json : m[i]->text);
	fclose(f);
	return buf;
}

static void
assert_file(const char *path, struct out_msg **m, int n, bool json)
{
	char *want = lines_of(m, n, json), *got = ot_read(path);

	ck_assert_msg(got != NULL, "%s is missing", path);
	ck_assert_str_eq(got, want);
	free(want);
	free(got);
}

/* ---- configuration ---------------------------------------------------- */

START_TEST(test_defaults)
{
	struct fc_conf *c = ot_conf(NULL);
	struct out_set *s = out_set_new(c, NULL);
	struct out_stats st;

	ck_assert_ptr_nonnull(s);
	ck_assert_int_eq(conf_nerrors(c), 0);
	/* Falco's defaults: stdout and syslog on, the rest off. */
	ck_assert(out_set_enabled(s, OUT_CH_STDOUT));
	ck_assert(out_set_enabled(s, OUT_CH_SYSLOG));
	ck_assert(!out_set_enabled(s, OUT_CH_FILE));
	ck_assert(!out_set_enabled(s, OUT_CH_PROGRAM));
	ck_assert(!out_set_enabled(s, OUT_CH_HTTP));
	out_set_stats(s, &st);
	ck_assert_uint_eq(st.ch[OUT_CH_STDOUT].capacity, OUT_QUEUE_DEFAULT);
	ck_assert_str_eq(st.ch[OUT_CH_HTTP].name, "http");
	ck_assert_str_eq(st.ch[OUT_CH_PROGRAM].name, "program");
	out_set_free(s);
	conf_free(c);
}
END_TEST

static bool
has_error(struct fc_conf *c, const char *needle)
{
	for (size_t i = 0; i < conf_nerrors(c); i++)
		if (strstr(conf_error_msg(c, i), needle) != NULL)
			return true;
	return false;
}

START_TEST(test_conf_errors)
{
	static const char *const o[] = {
		"priority=loud", "outputs_queue.capacity=-1",
		"stdout_output.enabled=maybe",
		"http_output.enabled=true", "http_output.url=ftp://x/",
		"program_output.enabled=true",
		"http_output.timeout_ms=5", "syslog_output.enabled=false",
		NULL,
	};
	struct fc_conf *c = ot_conf(o);
	struct out_set *s = out_set_new(c, NULL);

	ck_assert_ptr_nonnull(s);
	ck_assert_int_eq(conf_nerrors(c), 6);
	ck_assert(has_error(c, "'priority': expected a priority"));
	ck_assert(has_error(c, "'outputs_queue.capacity': expected a whole number from 0 to 1048576"));
	ck_assert(has_error(c, "'stdout_output.enabled': expected true or false"));
	ck_assert(has_error(c, "'http_output.url': expected an http:// or https:// URL"));
	ck_assert(has_error(c, "'program_output.program': required when program_output.enabled is true"));
	ck_assert(has_error(c, "'http_output.timeout_ms'"));
	/* Bad values fall back to defaults; channels missing a setting stay off. */
	ck_assert(out_set_enabled(s, OUT_CH_STDOUT));
	ck_assert(!out_set_enabled(s, OUT_CH_HTTP));
	ck_assert(!out_set_enabled(s, OUT_CH_PROGRAM));
	ck_assert(!out_set_enabled(s, OUT_CH_SYSLOG));
	ck_assert_uint_eq(ot_stats(s, OUT_CH_STDOUT).capacity, OUT_QUEUE_DEFAULT);
	out_set_free(s);
	conf_free(c);
}
END_TEST

START_TEST(test_conf_missing_url)
{
	static const char *const o[] = {
		"http_output.enabled=true", "stdout_output.enabled=false",
		"syslog_output.enabled=false", "outputs_queue.capacity=7", NULL,
	};
	struct fc_conf *c = ot_conf(o);
	struct out_set *s = out_set_new(c, NULL);

	ck_assert_int_eq(conf_nerrors(c), 1);
	ck_assert(has_error(c, "'http_output.url': required when http_output.enabled is true"));
	ck_assert(!out_set_enabled(s, OUT_CH_HTTP));
	ck_assert_uint_eq(ot_stats(s, OUT_CH_HTTP).capacity, 0);
	out_set_free(s);
	conf_free(c);
}
END_TEST

/* ---- stdout ------------------------------------------------------------ */

static void
stdout_case(bool json)
{
	const char *o[] = { json ? "json_output=true" : "json_output=false",
		"syslog_output.enabled=false", NULL };
	char *dir = ot_tmpdir(), *path = ot_path(dir, "stdout");
	struct fc_conf *c = ot_conf(o);
	struct out_msg *m[3];
	struct out_set *s;
	int saved;

	saved = ot_stdout_to(path);
	s = out_set_new(c, NULL);
	publish_n(s, m, 3, FC_PRI_WARNING);
	OT_WAIT(ot_stats(s, OUT_CH_STDOUT).sent == 3, 3000);
	out_set_free(s);
	ot_stdout_back(saved);
	assert_file(path, m, 3, json);
	unref_n(m, 3);
	conf_free(c);
	free(path);
	ot_rmtree(dir);
}

START_TEST(test_stdout_json)
{
	stdout_case(true);
}
END_TEST

START_TEST(test_stdout_text)
{
	stdout_case(false);
}
END_TEST

/* ---- file ---------------------------------------------------------------- */

/* A set with only the file channel on dir/events. */
static struct out_set *
file_set(const char *path, bool json, bool keep_alive, struct fc_conf **cp,
    const struct out_hooks *h)
{
	char fn[512];
	const char *o[] = { "file_output.enabled=true", fn,
		json ? "json_output=true" : "json_output=false",
		keep_alive ? "file_output.keep_alive=true" :
		    "file_output.keep_alive=false",
		"stdout_output.enabled=false", "syslog_output.enabled=false",
		NULL };
	struct out_set *s;

	snprintf(fn, sizeof(fn), "file_output.filename=%s", path);
	*cp = ot_conf(o);
	s = out_set_new(*cp, h);
	ck_assert_ptr_nonnull(s);
	ck_assert_int_eq(conf_nerrors(*cp), 0);
	ck_assert(out_set_enabled(s, OUT_CH_FILE));
	return s;
}

static void
wait_sent(struct out_set *s, enum out_chan_kind k, uint64_t n)
{
	OT_WAIT(ot_stats(s, k).sent >= n, 5000);
	ck_assert_uint_eq(ot_stats(s, k).sent, n);
}

START_TEST(test_file_json_reopened_per_message)
{
	char *dir = ot_tmpdir(), *path = ot_path(dir, "events.json");
	struct out_msg *m[3];
	struct fc_conf *c;
	struct out_set *s = file_set(path, true, false, &c, NULL);

	publish_n(s, m, 2, FC_PRI_ERROR);
	wait_sent(s, OUT_CH_FILE, 2);
	assert_file(path, m, 2, true);
	/* keep_alive false: every message opens the file anew. */
	ck_assert_int_eq(unlink(path), 0);
	m[2] = ot_msg(FC_PRI_ERROR, "third");
	out_set_publish(s, m[2]);
	wait_sent(s, OUT_CH_FILE, 3);
	assert_file(path, m + 2, 1, true);
	ck_assert_uint_eq(ot_stats(s, OUT_CH_FILE).failed, 0);
	out_set_free(s);
	unref_n(m, 3);
	conf_free(c);
	free(path);
	ot_rmtree(dir);
}
END_TEST

START_TEST(test_file_text_keep_alive)
{
	char *dir = ot_tmpdir(), *path = ot_path(dir, "events.txt");
	struct out_msg *m[4];
	struct fc_conf *c;
	struct out_set *s = file_set(path, false, true, &c, NULL);
	struct stat st;

	umask(022);
	publish_n(s, m, 2, FC_PRI_NOTICE);
	wait_sent(s, OUT_CH_FILE, 2);
	assert_file(path, m, 2, false);
	/* keep_alive true: the open fd keeps writing to the unlinked file. */
	ck_assert_int_eq(unlink(path), 0);
	m[2] = ot_msg(FC_PRI_NOTICE, "into the unlinked file");
	out_set_publish(s, m[2]);
	wait_sent(s, OUT_CH_FILE, 3);
	ck_assert_int_eq(stat(path, &st), -1);
	/* Until a reopen. */
	out_set_reopen(s);
	m[3] = ot_msg(FC_PRI_NOTICE, "after reopen");
	out_set_publish(s, m[3]);
	wait_sent(s, OUT_CH_FILE, 4);
	assert_file(path, m + 3, 1, false);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0640);
	out_set_free(s);
	unref_n(m, 4);
	conf_free(c);
	free(path);
	ot_rmtree(dir);
}
END_TEST

/* logrotate: mv the file, signal (reopen), the new file gets what follows. */
START_TEST(test_file_rotation)
{
	char *dir = ot_tmpdir(), *path = ot_path(dir, "events.txt");
	char *old = ot_path(dir, "events.txt.1");
	struct out_msg *m[5];
	struct fc_conf *c;
	struct out_set *s = file_set(path, true, true, &c, NULL);

	publish_n(s, m, 3, FC_PRI_WARNING);
	wait_sent(s, OUT_CH_FILE, 3);
	ck_assert_int_eq(rename(path, old), 0);
	out_set_reopen(s);
	m[3] = ot_msg(FC_PRI_WARNING, "rotated 1");
	m[4] = ot_msg(FC_PRI_WARNING, "rotated 2");
	out_set_publish(s, m[3]);
	out_set_publish(s, m[4]);
	wait_sent(s, OUT_CH_FILE, 5);
	assert_file(old, m, 3, true);
	assert_file(path, m + 3, 2, true);
	out_set_free(s);
	unref_n(m, 5);
	conf_free(c);
	free(path);
	free(old);
	ot_rmtree(dir);
}
END_TEST

/* A file that cannot be opened: failures counted, one alert per 10 s. */
START_TEST(test_file_unopenable_alert)
{
	char *dir = ot_tmpdir(), *path = ot_path(dir, "no/such/dir/events");
	struct out_msg *m[6];
	struct ot_alerts al;
	struct out_hooks h;
	struct fc_conf *c;
	struct out_set *s;
	char want[600];

	ot_alerts_init(&al, &h);
	s = file_set(path, true, false, &c, &h);
	publish_n(s, m, 3, FC_PRI_WARNING);
	OT_WAIT(ot_stats(s, OUT_CH_FILE).failed == 3, 3000);
	ck_assert_uint_eq(ot_stats(s, OUT_CH_FILE).failed, 3);
	ck_assert_uint_eq(ot_stats(s, OUT_CH_FILE).sent, 0);
	OT_WAIT(ot_alerts_count(&al) == 1, 3000);
	ck_assert_int_eq(ot_alerts_count(&al), 1);
	ck_assert_int_eq(al.pri[0], FC_PRI_ERROR);
	ck_assert_str_eq(al.text[0], "Falconet internal: output channel file failing");
	snprintf(want, sizeof(want), "error=open %s: No such file or directory;",
	    path);
	ck_assert_msg(strstr(al.kv[0], want) != NULL, "%s", al.kv[0]);
	ck_assert_msg(strstr(al.kv[0], "channel=file;") == al.kv[0], "%s", al.kv[0]);
	ck_assert_msg(strstr(al.kv[0], "dropped=0;") != NULL, "%s", al.kv[0]);
	/* More failures within 10 s: counted, no second alert. */
	publish_n(s, m + 3, 3, FC_PRI_WARNING);
	OT_WAIT(ot_stats(s, OUT_CH_FILE).failed == 6, 3000);
	ot_sleep_ms(1500);
	ck_assert_int_eq(ot_alerts_count(&al), 1);
	ck_assert_uint_eq(ot_stats(s, OUT_CH_FILE).failed, 6);
	ck_assert_uint_eq(ot_stats(s, OUT_CH_FILE).alerts, 1);
	out_set_free(s);
	unref_n(m, 6);
	conf_free(c);
	free(path);
	ot_rmtree(dir);
}
END_TEST

/* out_set_free drains what is queued (well within the deadline). */
START_TEST(test_drain_on_free)
{
	char *dir = ot_tmpdir(), *path = ot_path(dir, "events");
	struct out_msg *m[2000];
	struct fc_conf *c;
	struct out_set *s = file_set(path, false, true, &c, NULL);

	publish_n(s, m, 2000, FC_PRI_WARNING);
	out_set_free(s);
	assert_file(path, m, 2000, false);
	unref_n(m, 2000);
	conf_free(c);
	free(path);
	ot_rmtree(dir);
}
END_TEST

/* ---- priority threshold --------------------------------------------------- */

START_TEST(test_priority_threshold)
{
	char *dir = ot_tmpdir(), *path = ot_path(dir, "events");
	char fn[512];
	const char *o[] = { "file_output.enabled=true", fn, "priority=WARNING",
		"stdout_output.enabled=false", "syslog_output.enabled=false",
		NULL };
	static const int pri[] = { FC_PRI_DEBUG, FC_PRI_WARNING,
		FC_PRI_INFORMATIONAL, FC_PRI_ERROR, FC_PRI_NOTICE,
		FC_PRI_EMERGENCY };
	struct out_msg *m[6], *kept[3];
	struct out_stats st;
	struct fc_conf *c;
	struct out_set *s;

	snprintf(fn, sizeof(fn), "file_output.filename=%s", path);
	c = ot_conf(o);
	s = out_set_new(c, NULL);
	ck_assert_int_eq(conf_nerrors(c), 0);
	for (int i = 0; i < 6; i++) {
		m[i] = ot_msg(pri[i], "p");
		out_set_publish(s, m[i]);
	}
	out_set_free(s);	/* drains */
	kept[0] = m[1];
	kept[1] = m[3];
	kept[2] = m[5];
	assert_file(path, kept, 3, false);
	s = out_set_new(c, NULL);
	for (int i = 0; i < 6; i++)
		out_set_publish(s, m[i]);
	out_set_stats(s, &st);
	ck_assert_uint_eq(st.published, 6);
	ck_assert_uint_eq(st.filtered, 3);
	out_set_free(s);
	unref_n(m, 6);
	conf_free(c);
	free(path);
	ot_rmtree(dir);
}
END_TEST

/* ---- ring full: exact drops --------------------------------------------------- */

START_TEST(test_queue_full_drops)
{
	struct wh *w = wh_start(WH_HANG, 0);
	char url[128];
	const char *o[] = { "http_output.enabled=true", url,
		"outputs_queue.capacity=4", "outputs_queue.drain_timeout_ms=300",
		"stdout_output.enabled=false", "syslog_output.enabled=false",
		NULL };
	struct out_chan_stats cs;
	struct out_msg *m[11];
	struct ot_alerts al;
	struct out_hooks h;
	struct fc_conf *c;
	struct out_set *s;
	uint64_t t0;

	snprintf(url, sizeof(url), "http_output.url=http://127.0.0.1:%d/",
	    wh_port(w));
	ot_alerts_init(&al, &h);
	c = ot_conf(o);
	s = out_set_new(c, &h);
	ck_assert(out_set_enabled(s, OUT_CH_HTTP));
	publish_n(s, m, 1, FC_PRI_WARNING);
	/* The worker now hangs in that transfer: the ring takes 4 more. */
	ck_assert_uint_eq(wh_wait(w, 1, 3000), 1);
	publish_n(s, m + 1, 10, FC_PRI_WARNING);
	cs = ot_stats(s, OUT_CH_HTTP);
	ck_assert_uint_eq(cs.dropped, 6);
	ck_assert_uint_eq(cs.depth, 4);
	ck_assert_uint_eq(cs.high_water, 4);
	ck_assert_uint_eq(cs.sent, 0);
	ck_assert_uint_eq(cs.capacity, 4);
	OT_WAIT(ot_alerts_count(&al) == 1, 3000);
	ck_assert_int_eq(al.pri[0], FC_PRI_WARNING);
	ck_assert_str_eq(al.text[0], "Falconet internal: output channel http dropping alerts");
	ck_assert_str_eq(al.kv[0], "channel=http;failed=0;dropped=6;failed_total=0;dropped_total=6;");
	/* Shutdown: the hanging transfer is aborted at the drain deadline. */
	t0 = ot_now_ms();
	out_set_free(s);
	ck_assert_uint_lt(ot_now_ms() - t0, 2500);
	unref_n(m, 11);
	conf_free(c);
	wh_stop(w);
}
END_TEST

/* ---- syslog -------------------------------------------------------------- */

START_TEST(test_syslog_does_not_block)
{
	const char *o[] = { "stdout_output.enabled=false",
		"syslog_output.enabled=true", "json_output=true", NULL };
	struct fc_conf *c = ot_conf(o);
	struct out_set *s = out_set_new(c, NULL);
	struct out_msg *m[200];
	uint64_t t0 = ot_now_ms();

	ck_assert(out_set_enabled(s, OUT_CH_SYSLOG));
	publish_n(s, m, 200, FC_PRI_CRITICAL);
	OT_WAIT(ot_stats(s, OUT_CH_SYSLOG).sent == 200, 5000);
	ck_assert_uint_eq(ot_stats(s, OUT_CH_SYSLOG).sent, 200);
	ck_assert_uint_eq(ot_stats(s, OUT_CH_SYSLOG).dropped, 0);
	ck_assert_uint_lt(ot_now_ms() - t0, 5000);
	out_set_free(s);
	unref_n(m, 200);
	conf_free(c);
}
END_TEST

Suite *
suite_for_main(void)
{
	Suite *s = suite_create("outputs");
	TCase *tc;

	tc = tcase_create("conf");
	tcase_add_test(tc, test_defaults);
	tcase_add_test(tc, test_conf_errors);
	tcase_add_test(tc, test_conf_missing_url);
	suite_add_tcase(s, tc);

	tc = tcase_create("local");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_stdout_json);
	tcase_add_test(tc, test_stdout_text);
	tcase_add_test(tc, test_file_json_reopened_per_message);
	tcase_add_test(tc, test_file_text_keep_alive);
	tcase_add_test(tc, test_file_rotation);
	tcase_add_test(tc, test_file_unopenable_alert);
	tcase_add_test(tc, test_drain_on_free);
	tcase_add_test(tc, test_priority_threshold);
	tcase_add_test(tc, test_queue_full_drops);
	tcase_add_test(tc, test_syslog_does_not_block);
	suite_add_tcase(s, tc);

	ot_add_net_tests(s);
	return s;
}
