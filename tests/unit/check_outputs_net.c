/*
 * check_outputs_net.c - the http and program channels against a real
 * receiver on 127.0.0.1 (webhook.c): Falco's exact body, content type
 * and user agent; keep-alive; retries after 500s; a receiver that hangs
 * or refuses delays no other channel; the jq | curl pipeline; respawn
 * of a killed program; a program that fails or stops reading.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "conf.h"
#include "check_main.h"
#include "out_test.h"
#include "webhook.h"

/* A set from opts plus "http_output.url=http://127.0.0.1:PORT/path". */
static struct out_set *
set_with(const char *const *opts, int port, const char *path,
    struct fc_conf **cp, const struct out_hooks *h)
{
	const char *o[32];
	char url[256];
	size_t n = 0;
	struct out_set *s;

	snprintf(url, sizeof(url), "http_output.url=http://127.0.0.1:%d%s",
	    port, path);
	for (; *opts != NULL && n < 30; opts++)
		o[n++] = *opts;
	o[n++] = url;
	o[n] = NULL;
	*cp = ot_conf(o);
	s = out_set_new(*cp, h);
	ck_assert_ptr_nonnull(s);
	ck_assert_msg(conf_nerrors(*cp) == 0, "%s", conf_error_msg(*cp, 0));
	return s;
}

static void
publish(struct out_set *s, struct out_msg **m, int n, const char *fmt)
{
	char out[256];

	for (int i = 0; i < n; i++) {
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
		snprintf(out, sizeof(out), fmt, i);
#pragma GCC diagnostic pop
		m[i] = ot_msg(FC_PRI_WARNING, out);
		out_set_publish(s, m[i]);
	}
}

static void
unref(struct out_msg **m, int n)
{
	for (int i = 0; i < n; i++)
		out_msg_unref(m[i]);
}

/* ---- http ------------------------------------------------------------------ */

START_TEST(test_http_falco_json)
{
	static const char *const o[] = { "http_output.enabled=true",
		"json_output=true", "stdout_output.enabled=false",
		"syslog_output.enabled=false", NULL };
	struct wh *w = wh_start(WH_OK, 0);
	const struct wh_req *r;
	struct out_msg *m[3];
	struct fc_conf *c;
	struct out_set *s = set_with(o, wh_port(w), "/falco", &c, NULL);

	publish(s, m, 3, "An open was seen (command=\"cat\" %d)");
	ck_assert_uint_eq(wh_wait(w, 3, 5000), 3);
	for (int i = 0; i < 3; i++) {
		r = wh_get(w, (size_t)i);
		ck_assert_str_eq(r->method, "POST");
		ck_assert_str_eq(r->path, "/falco");
		ck_assert_str_eq(r->ctype, "application/json");
		ck_assert_str_eq(r->ua, "falcosecurity/falco");
		ck_assert_uint_eq(r->body_len, m[i]->json_len);
		ck_assert_str_eq(r->body, m[i]->json);
	}
	/* The body is Falco's line, e.g. its first keys and its time. */
	ck_assert_msg(strncmp(wh_get(w, 0)->body, "{\"hostname\":\"test-host\","
	    "\"output\":\"2016-08-04T16:17:57.881781397+0000: Warning An open "
	    "was seen (command=\\\"cat\\\" 0)\",\"output_fields\":{", 130) == 0,
	    "%s", wh_get(w, 0)->body);
	OT_WAIT(ot_stats(s, OUT_CH_HTTP).sent == 3, 3000);
	ck_assert_uint_eq(ot_stats(s, OUT_CH_HTTP).sent, 3);
	/* keep_alive false: a connection per message. */
	ck_assert_uint_eq(wh_connections(w), 3);
	out_set_free(s);
	unref(m, 3);
	conf_free(c);
	wh_stop(w);
}
END_TEST

START_TEST(test_http_text_keep_alive)
{
	static const char *const o[] = { "http_output.enabled=true",
		"json_output=false", "http_output.keep_alive=true",
		"http_output.user_agent=falconet-test/1.0",
		"stdout_output.enabled=false", "syslog_output.enabled=false",
		NULL };
	struct wh *w = wh_start(WH_OK, 0);
	const struct wh_req *r;
	struct out_msg *m[3];
	struct fc_conf *c;
	struct out_set *s = set_with(o, wh_port(w), "/", &c, NULL);

	publish(s, m, 3, "text %d");
	ck_assert_uint_eq(wh_wait(w, 3, 5000), 3);
	for (int i = 0; i < 3; i++) {
		r = wh_get(w, (size_t)i);
		ck_assert_str_eq(r->ctype, "text/plain");
		ck_assert_str_eq(r->ua, "falconet-test/1.0");
		ck_assert_str_eq(r->body, m[i]->text);
	}
	ck_assert_uint_eq(wh_connections(w), 1);
	out_set_free(s);
	unref(m, 3);
	conf_free(c);
	wh_stop(w);
}
END_TEST

START_TEST(test_http_retry_after_500)
{
	static const char *const o[] = { "http_output.enabled=true",
		"json_output=true", "http_output.retries=3",
		"http_output.retry_backoff_ms=10",
		"stdout_output.enabled=false", "syslog_output.enabled=false",
		NULL };
	struct wh *w = wh_start(WH_FAIL_FIRST, 2);
	struct out_chan_stats cs;
	struct out_msg *m[1];
	struct fc_conf *c;
	struct out_set *s = set_with(o, wh_port(w), "/", &c, NULL);

	publish(s, m, 1, "retried %d");
	ck_assert_uint_eq(wh_wait(w, 3, 5000), 3);
	OT_WAIT(ot_stats(s, OUT_CH_HTTP).sent == 1, 3000);
	cs = ot_stats(s, OUT_CH_HTTP);
	ck_assert_uint_eq(cs.sent, 1);
	ck_assert_uint_eq(cs.retries, 2);
	ck_assert_uint_eq(cs.failed, 0);
	ck_assert_int_eq(wh_get(w, 0)->status, 500);
	ck_assert_int_eq(wh_get(w, 1)->status, 500);
	ck_assert_int_eq(wh_get(w, 2)->status, 200);
	for (int i = 0; i < 3; i++)
		ck_assert_str_eq(wh_get(w, (size_t)i)->body, m[0]->json);
	out_set_free(s);
	unref(m, 1);
	conf_free(c);
	wh_stop(w);
}
END_TEST

START_TEST(test_http_retries_exhausted_alert)
{
	static const char *const o[] = { "http_output.enabled=true",
		"http_output.retries=1", "http_output.retry_backoff_ms=10",
		"stdout_output.enabled=false", "syslog_output.enabled=false",
		NULL };
	struct wh *w = wh_start(WH_FAIL_FIRST, 1000);
	struct out_msg *m[1];
	struct ot_alerts al;
	struct out_hooks h;
	struct fc_conf *c;
	struct out_set *s;
	char want[256];

	ot_alerts_init(&al, &h);
	s = set_with(o, wh_port(w), "/hook", &c, &h);
	publish(s, m, 1, "lost %d");
	OT_WAIT(ot_stats(s, OUT_CH_HTTP).failed == 1, 5000);
	ck_assert_uint_eq(ot_stats(s, OUT_CH_HTTP).failed, 1);
	ck_assert_uint_eq(ot_stats(s, OUT_CH_HTTP).retries, 1);
	ck_assert_uint_eq(wh_count(w), 2);
	OT_WAIT(ot_alerts_count(&al) == 1, 3000);
	ck_assert_int_eq(ot_alerts_count(&al), 1);
	ck_assert_int_eq(al.pri[0], FC_PRI_ERROR);
	snprintf(want, sizeof(want), "channel=http;failed=1;dropped=0;"
	    "failed_total=1;dropped_total=0;error=POST http://127.0.0.1:%d/hook: "
	    "HTTP status 500;", wh_port(w));
	ck_assert_str_eq(al.kv[0], want);
	out_set_free(s);
	unref(m, 1);
	conf_free(c);
	wh_stop(w);
}
END_TEST

/*
 * A dead http receiver (hanging or refusing) next to the file and stdout
 * channels: publishing stays fast, file and stdout get all N promptly,
 * and the http channel accounts for every message as dropped or failed.
 */
static void
isolation_case(int port, const char *const *extra)
{
	enum { N = 500, CAP = 128, BATCH = 16 };
	char *dir = ot_tmpdir(), *file = ot_path(dir, "events");
	char *out = ot_path(dir, "stdout"), fn[512], text[64];
	const char *o[16] = { "http_output.enabled=true", "json_output=true",
		"outputs_queue.capacity=128", "outputs_queue.drain_timeout_ms=300",
		"file_output.enabled=true", fn, "file_output.keep_alive=true",
		"syslog_output.enabled=false" };
	struct out_chan_stats hs;
	struct out_msg *m[N];
	struct fc_conf *c;
	struct out_set *s;
	uint64_t t0, t, worst = 0;
	int saved;
	size_t n = 8;

	snprintf(fn, sizeof(fn), "file_output.filename=%s", file);
	for (; *extra != NULL; extra++)
		o[n++] = *extra;
	o[n] = NULL;
	saved = ot_stdout_to(out);
	s = set_with(o, port, "/", &c, NULL);
	t0 = ot_now_ms();
	/* In bursts the file and stdout workers absorb; http cannot. */
	for (int i = 0; i < N; i++) {
		snprintf(text, sizeof(text), "isolated %d", i);
		m[i] = ot_msg(FC_PRI_WARNING, text);
		t = ot_now_ms();
		out_set_publish(s, m[i]);
		if (ot_now_ms() - t > worst)
			worst = ot_now_ms() - t;
		if (i % BATCH == BATCH - 1)
			ot_sleep_ms(2);
	}
	OT_WAIT(ot_stats(s, OUT_CH_FILE).sent == N &&
	    ot_stats(s, OUT_CH_STDOUT).sent == N, 3000);
	ck_assert_uint_eq(ot_stats(s, OUT_CH_FILE).sent, N);
	ck_assert_uint_eq(ot_stats(s, OUT_CH_STDOUT).sent, N);
	ck_assert_uint_eq(ot_stats(s, OUT_CH_FILE).dropped, 0);
	ck_assert_uint_lt(ot_now_ms() - t0, 3000);
	ck_assert_msg(worst < 50, "one publish took %llu ms",
	    (unsigned long long)worst);
	hs = ot_stats(s, OUT_CH_HTTP);
	ck_assert_uint_eq(hs.sent, 0);
	ck_assert_uint_ge(hs.dropped + hs.failed, N - CAP - 1);
	ck_assert_uint_gt(hs.dropped, 0);
	ck_assert_uint_le(hs.high_water, CAP);
	/* Every message is queued, in flight (at most one), failed or dropped. */
	ck_assert_uint_ge(hs.depth + hs.failed + hs.dropped + 1, N);
	ck_assert_uint_le(hs.depth + hs.failed + hs.dropped, N);
	t0 = ot_now_ms();
	out_set_free(s);
	ck_assert_uint_lt(ot_now_ms() - t0, 2500);
	ot_stdout_back(saved);
	ck_assert_uint_eq(ot_lines(file), N);
	ck_assert_uint_eq(ot_lines(out), N);
	unref(m, N);
	conf_free(c);
	free(file);
	free(out);
	ot_rmtree(dir);
}

START_TEST(test_http_hanging_isolated)
{
	static const char *const extra[] = { "http_output.timeout_ms=300",
		"http_output.max_consecutive_timeouts=0", "http_output.retries=0",
		NULL };
	struct wh *w = wh_start(WH_HANG, 0);

	isolation_case(wh_port(w), extra);
	ck_assert_uint_ge(wh_count(w), 1);
	wh_stop(w);
}
END_TEST

START_TEST(test_http_refused_isolated)
{
	static const char *const extra[] = { "http_output.retries=2",
		"http_output.retry_backoff_ms=10", NULL };

	isolation_case(wh_closed_port(), extra);
}
END_TEST

/* Refused: in time every message is failed or dropped, none lost from the counts. */
START_TEST(test_http_refused_accounting)
{
	static const char *const o[] = { "http_output.enabled=true",
		"http_output.retries=1", "http_output.retry_backoff_ms=10",
		"outputs_queue.capacity=8", "stdout_output.enabled=false",
		"syslog_output.enabled=false", NULL };
	struct out_chan_stats cs;
	struct out_msg *m[100];
	struct fc_conf *c;
	struct out_set *s = set_with(o, wh_closed_port(), "/", &c, NULL);

	publish(s, m, 100, "refused %d");
	OT_WAIT(ot_stats(s, OUT_CH_HTTP).failed +
	    ot_stats(s, OUT_CH_HTTP).dropped == 100, 5000);
	cs = ot_stats(s, OUT_CH_HTTP);
	ck_assert_uint_eq(cs.failed + cs.dropped, 100);
	ck_assert_uint_eq(cs.sent, 0);
	ck_assert_uint_eq(cs.depth, 0);
	ck_assert_uint_ge(cs.failed, 1);
	ck_assert_uint_eq(cs.retries, cs.failed);
	out_set_free(s);
	unref(m, 100);
	conf_free(c);
}
END_TEST

/* ---- program ------------------------------------------------------------------ */

static bool
have(const char *tool)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "command -v %s >/dev/null 2>&1", tool);
	return system(cmd) == 0;
}

/* The README's pipeline: jq '{text: .output}' | curl -d @- -X POST URL. */
START_TEST(test_program_jq_curl)
{
	char prog[256];
	const char *o[] = { "program_output.enabled=true", prog,
		"json_output=true", "stdout_output.enabled=false",
		"syslog_output.enabled=false", NULL };
	struct wh *w = wh_start(WH_OK, 0);
	struct out_msg *m[3];
	struct fc_conf *c;
	struct out_set *s;
	json_t *j;

	ck_assert_msg(have("jq") && have("curl"),
	    "jq and curl are needed (scripts/install-deps.sh installs them)");
	snprintf(prog, sizeof(prog), "program_output.program=jq '{text: .output}'"
	    " | curl -s -d @- -X POST http://127.0.0.1:%d/", wh_port(w));
	c = ot_conf(o);
	s = out_set_new(c, NULL);
	ck_assert_int_eq(conf_nerrors(c), 0);
	publish(s, m, 3, "A shell was spawned (cmd=\"sh -c 'x'\" n=%d) \\o/");
	ck_assert_uint_eq(wh_wait(w, 3, 15000), 3);
	for (int i = 0; i < 3; i++) {
		char *want = ot_json_output(m[i]);
		const struct wh_req *r = wh_get(w, (size_t)i);

		j = json_loads(r->body, 0, NULL);
		ck_assert_msg(j != NULL, "not JSON: %s", r->body);
		ck_assert_uint_eq(json_object_size(j), 1);
		ck_assert_str_eq(json_string_value(json_object_get(j, "text")),
		    want);
		ck_assert_str_eq(r->ctype, "application/x-www-form-urlencoded");
		json_decref(j);
		free(want);
	}
	OT_WAIT(ot_stats(s, OUT_CH_PROGRAM).sent == 3, 5000);
	ck_assert_uint_eq(ot_stats(s, OUT_CH_PROGRAM).sent, 3);
	ck_assert_uint_eq(ot_stats(s, OUT_CH_PROGRAM).failed, 0);
	out_set_free(s);
	unref(m, 3);
	conf_free(c);
	wh_stop(w);
}
END_TEST

/* Our only child process (the program channel's), or -1. */
static pid_t
only_child(void)
{
	char path[300], buf[256];
	struct dirent *e;
	pid_t pid = -1;
	DIR *d = opendir("/proc/self/task");
	FILE *f;
	int n = 0;

	ck_assert_ptr_nonnull(d);
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/proc/self/task/%s/children",
		    e->d_name);
		if ((f = fopen(path, "r")) == NULL)
			continue;
		while (fscanf(f, "%255s", buf) == 1) {
			pid = (pid_t)atoi(buf);
			n++;
		}
		fclose(f);
	}
	closedir(d);
	ck_assert_int_eq(n, 1);
	return pid;
}

static char
proc_state(pid_t pid)
{
	char path[64], buf[512], *p;
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if ((f = fopen(path, "r")) == NULL)
		return '?';
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	p = strrchr(buf, ')');
	return p != NULL && p[1] == ' ' ? p[2] : '?';
}

START_TEST(test_program_respawn)
{
	char *dir = ot_tmpdir(), *file = ot_path(dir, "prog.out"), prog[600];
	const char *o[] = { "program_output.enabled=true", prog,
		"program_output.keep_alive=true", "json_output=false",
		"stdout_output.enabled=false", "syslog_output.enabled=false",
		NULL };
	struct out_msg *m[5];
	struct fc_conf *c;
	struct out_set *s;
	char *got, *p;
	pid_t pid;

	snprintf(prog, sizeof(prog), "program_output.program=cat >> %s", file);
	c = ot_conf(o);
	s = out_set_new(c, NULL);
	publish(s, m, 2, "before %d");
	OT_WAIT(ot_lines(file) == 2, 5000);
	ck_assert_uint_eq(ot_lines(file), 2);
	pid = only_child();
	ck_assert_int_eq(kill(-pid, SIGKILL), 0);
	OT_WAIT(proc_state(pid) == 'Z', 3000);
	ck_assert_int_eq(proc_state(pid), 'Z');
	publish(s, m + 2, 2, "after %d");
	OT_WAIT(ot_lines(file) == 4, 5000);
	ck_assert_uint_eq(ot_lines(file), 4);
	ck_assert_uint_eq(ot_stats(s, OUT_CH_PROGRAM).restarts, 1);
	ck_assert_int_ne(only_child(), pid);
	/* A reopen closes the program's input; the next message respawns it. */
	out_set_reopen(s);
	publish(s, m + 4, 1, "reopened %d");
	OT_WAIT(ot_lines(file) == 5, 5000);
	ck_assert_uint_eq(ot_stats(s, OUT_CH_PROGRAM).sent, 5);
	ck_assert_uint_eq(ot_stats(s, OUT_CH_PROGRAM).failed, 0);
	ck_assert_uint_eq(ot_stats(s, OUT_CH_PROGRAM).restarts, 1);
	out_set_free(s);
	p = got = ot_read(file);
	for (int i = 0; i < 5; i++) {
		size_t len = strlen(m[i]->text);

		ck_assert_msg(strncmp(p, m[i]->text, len) == 0 &&
		    p[len] == '\n', "line %d: %s", i, p);
		p += len + 1;
	}
	ck_assert_str_eq(p, "");
	free(got);
	unref(m, 5);
	conf_free(c);
	free(file);
	ot_rmtree(dir);
}
END_TEST

/* A program that exits non-zero: each message fails; one alert per 10 s. */
START_TEST(test_program_failing_alert)
{
	static const char *const o[] = { "program_output.enabled=true",
		"program_output.program=cat > /dev/null; exit 3",
		"stdout_output.enabled=false", "syslog_output.enabled=false",
		NULL };
	struct fc_conf *c = ot_conf(o);
	struct out_msg *m[6];
	struct ot_alerts al;
	struct out_hooks h;
	struct out_set *s;

	ot_alerts_init(&al, &h);
	s = out_set_new(c, &h);
	publish(s, m, 3, "fail %d");
	OT_WAIT(ot_stats(s, OUT_CH_PROGRAM).failed == 3, 5000);
	ck_assert_uint_eq(ot_stats(s, OUT_CH_PROGRAM).failed, 3);
	OT_WAIT(ot_alerts_count(&al) == 1, 3000);
	ck_assert_int_eq(ot_alerts_count(&al), 1);
	ck_assert_msg(strstr(al.kv[0], "error='cat > /dev/null; exit 3' "
	    "exited with status 3;") != NULL, "%s", al.kv[0]);
	publish(s, m + 3, 3, "fail again %d");
	OT_WAIT(ot_stats(s, OUT_CH_PROGRAM).failed == 6, 5000);
	ot_sleep_ms(1200);
	ck_assert_int_eq(ot_alerts_count(&al), 1);
	out_set_free(s);
	unref(m, 6);
	conf_free(c);
}
END_TEST

/* A kept-alive program that stops reading: the write times out, the program is replaced. */
START_TEST(test_program_stuck_reader)
{
	static const char *const o[] = { "program_output.enabled=true",
		"program_output.program=exec sleep 60",
		"program_output.keep_alive=true",
		"program_output.timeout_ms=300", "json_output=false",
		"stdout_output.enabled=false", "syslog_output.enabled=false",
		NULL };
	struct fc_conf *c = ot_conf(o);
	struct out_set *s = out_set_new(c, NULL);
	struct out_chan_stats cs;
	struct out_msg *m[3];
	char *big = malloc(40001);
	uint64_t t0;

	memset(big, 'x', 40000);
	big[40000] = '\0';
	/* 40 KB fits the 64 KB pipe; the second does not; the third goes to a new child. */
	for (int i = 0; i < 3; i++) {
		m[i] = ot_msg(FC_PRI_WARNING, big);
		out_set_publish(s, m[i]);
	}
	OT_WAIT(ot_stats(s, OUT_CH_PROGRAM).sent +
	    ot_stats(s, OUT_CH_PROGRAM).failed == 3, 5000);
	cs = ot_stats(s, OUT_CH_PROGRAM);
	ck_assert_uint_eq(cs.sent, 2);
	ck_assert_uint_eq(cs.failed, 1);
	ck_assert_uint_eq(cs.restarts, 1);
	t0 = ot_now_ms();
	out_set_free(s);	/* sleep never exits: killed after timeout_ms */
	ck_assert_uint_lt(ot_now_ms() - t0, 2000);
	unref(m, 3);
	free(big);
	conf_free(c);
}
END_TEST

void
ot_add_net_tests(Suite *s)
{
	TCase *tc;

	tc = tcase_create("http");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_http_falco_json);
	tcase_add_test(tc, test_http_text_keep_alive);
	tcase_add_test(tc, test_http_retry_after_500);
	tcase_add_test(tc, test_http_retries_exhausted_alert);
	tcase_add_test(tc, test_http_hanging_isolated);
	tcase_add_test(tc, test_http_refused_isolated);
	tcase_add_test(tc, test_http_refused_accounting);
	suite_add_tcase(s, tc);

	tc = tcase_create("program");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_program_jq_curl);
	tcase_add_test(tc, test_program_respawn);
	tcase_add_test(tc, test_program_failing_alert);
	tcase_add_test(tc, test_program_stuck_reader);
	suite_add_tcase(s, tc);
}
