/*
 * check_http.c - the HTTP API (src/http/http.h) from the outside.
 *
 * Each test starts the API on 127.0.0.1 with an ephemeral port (or on a
 * temporary unix socket) over an alert store it fills itself, then talks
 * to it with libcurl or raw sockets: every endpoint and status code,
 * cursor semantics (pages with nothing lost or repeated, also across a
 * restart with the spool), long-poll woken by a new alert, SSE with
 * Last-Event-ID, authentication, bad parameters, oversized and slow
 * requests, slow stream clients, the unix socket and the refusals at
 * start.
 */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include <microhttpd.h>

#include "check_main.h"
#include "conf.h"
#include "core/buf.h"
#include "http/http.h"
#include "http_client.h"
#include "outputs/msg.h"
#include "outputs/store.h"

#define TOKEN	"s3cret-token-0123456789"

struct fx {
	char			 dir[64];
	struct fc_conf		*conf;
	struct out_store	*store;
	struct api		*api;
	char			 base[128];
	struct api_source_state	 src[2];
	size_t			 nsrc;
};

static struct fx F;

/* ---- the daemon's side: callbacks -------------------------------------- */

static size_t
cb_health(void *arg, struct api_source_state *out, size_t max)
{
	struct fx *f = arg;

	memcpy(out, f->src, f->nsrc * sizeof(*out));
	return f->nsrc;
}

static void
cb_metrics(void *arg, struct fc_buf *b)
{
	const char *l[] = { "rule_name", "Write \"below\" etc", "priority",
	    "Error", NULL };

	api_prom_family(b, "falcosecurity_falco_rules_matches_total",
	    "counter", "Rule matches.");
	api_prom_u64(b, "falcosecurity_falco_rules_matches_total", l, 7);
}

static void
cb_rules(void *arg, api_rule_emit_fn emit, void *ctx)
{
	static const char *const tags[] = { "filesystem", "mitre" };
	struct api_rule r1 = { "Write below etc", "syscall", 3, true, NULL,
	    7, tags, 2 };
	struct api_rule r2 = { "Old rule", "syscall", 6, false,
	    "disabled by rules_files", 0, NULL, 0 };

	emit(ctx, &r1);
	emit(ctx, &r2);
}

/* ---- fixture ------------------------------------------------------------ */

static void
set(struct fc_conf *c, const char *opt)
{
	char err[256];

	ck_assert_msg(conf_set_option(c, opt, err, sizeof(err)) == 0, "%s",
	    err);
}

static void
fx_dir(void)
{
	if (F.dir[0] == '\0') {
		snprintf(F.dir, sizeof(F.dir), "/tmp/check_http.XXXXXX");
		ck_assert_ptr_nonnull(mkdtemp(F.dir));
	}
}

/* Start the API with opts (NULL-terminated "key=value") over F.store. */
static struct api *
fx_api(const char *const *opts, char *err)
{
	struct api_sources src = {
		.store = F.store, .arg = &F, .health = cb_health,
		.metrics = cb_metrics, .rules = cb_rules,
		.versions = { .falconet_version = "0.1.0",
		    .engine_version_semver = "0.63.0" },
		.hostname = "test-host",
	};
	size_t i;

	conf_free(F.conf);
	F.conf = conf_new();
	set(F.conf, "webserver.listen_port=0");
	for (i = 0; opts != NULL && opts[i] != NULL; i++)
		set(F.conf, opts[i]);
	return api_start(F.conf, &src, err, API_ERRLEN);
}

static void
fx_start(const char *const *opts, size_t ring, bool spool)
{
	char err[API_ERRLEN], serr[OUT_STORE_ERRLEN], sdir[128];

	fx_dir();
	snprintf(sdir, sizeof(sdir), "%s/spool", F.dir);
	F.store = out_store_new(ring, spool ? sdir : NULL, NULL, serr);
	ck_assert_msg(F.store != NULL, "%s", serr);
	F.api = fx_api(opts, err);
	ck_assert_msg(F.api != NULL, "%s", err);
	snprintf(F.base, sizeof(F.base), "http://127.0.0.1:%u",
	    api_port(F.api));
}

static void
fx_stop(void)
{
	api_stop(F.api);
	out_store_free(F.store);
	conf_free(F.conf);
	F.api = NULL;
	F.store = NULL;
	F.conf = NULL;
}

static void
setup(void)
{
	signal(SIGPIPE, SIG_IGN);
	memset(&F, 0, sizeof(F));
}

static void
teardown(void)
{
	char cmd[128];

	fx_stop();
	if (F.dir[0] != '\0') {
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", F.dir);
		ck_assert_int_eq(system(cmd), 0);
	}
}

static struct out_msg *
mk(const char *rule, int pri, const char *cid, size_t pad)
{
	struct fc_alert_field f = { "proc.name", FC_AV_STRING, "cat", 3 };
	struct fc_alert_format fmt;
	char *text = malloc(pad + 16);
	struct fc_alert a = {
		.time_ns = 1470327477881781397ull, .priority = pri,
		.rule = rule, .source = "syscall", .fields = &f, .nfields = 1,
		.hostname = "h",
	};
	struct out_msg *m;

	snprintf(text, pad + 16, "An alert %*s", (int)pad, "");
	a.output = text;
	a.output_len = strlen(text);
	fc_alert_format_defaults(&fmt);
	fmt.json = true;
	m = out_msg_new(&a, &fmt, cid);
	ck_assert_ptr_nonnull(m);
	free(text);
	return m;
}

static uint64_t
add(const char *rule, int pri, const char *cid)
{
	struct out_msg *m = mk(rule, pri, cid, 0);
	uint64_t id = out_store_add(F.store, m);

	out_msg_unref(m);
	return id;
}

static void
add_n(int n)
{
	while (n-- > 0)
		add("r", 4, "c1");
}

/* GET path (relative to the base URL) with optional extra headers. */
static void
get(const char *path, const char *const *headers, struct hc_resp *r)
{
	struct hc_req req = { .headers = headers };
	char url[1024];

	snprintf(url, sizeof(url), "%s%s", F.base, path);
	hc_do(url, &req, r);
}

static json_t *
parse(const struct hc_resp *r)
{
	json_error_t e;
	json_t *j = json_loadb(r->body, r->len, 0, &e);

	ck_assert_msg(j != NULL, "not JSON (%s): %s", e.text, r->body);
	return j;
}

/* Status code and exact error message. */
static void
expect_error(const char *path, const char *const *hdrs, long code,
    const char *msg)
{
	struct hc_resp r;
	json_t *j;

	get(path, hdrs, &r);
	ck_assert_msg(r.code == code, "%s: got %ld, want %ld: %s", path,
	    r.code, code, r.body);
	ck_assert_str_eq(r.ctype, "application/json");
	j = parse(&r);
	ck_assert_str_eq(json_string_value(json_object_get(j, "error")), msg);
	ck_assert_uint_eq(json_object_size(j), 1);
	json_decref(j);
	hc_free(&r);
}

/* Ids of an /alerts answer into ids[]; returns how many; *next set. */
static size_t
alert_ids(const struct hc_resp *r, uint64_t *ids, size_t max,
    uint64_t *next)
{
	json_t *j = parse(r), *a = json_object_get(j, "alerts"), *v;
	size_t i, n = json_array_size(a);

	ck_assert(json_is_array(a));
	ck_assert_uint_le(n, max);
	json_array_foreach(a, i, v)
		ids[i] = (uint64_t)json_integer_value(json_object_get(v, "id"));
	*next = (uint64_t)json_integer_value(json_object_get(j, "next"));
	json_decref(j);
	return n;
}

/* ---- Falco's endpoints ---------------------------------------------------- */

START_TEST(test_healthz_versions)
{
	struct hc_resp r;
	struct hc_req head = { .method = "HEAD" };
	char url[256];

	fx_start(NULL, 10, false);
	get("/healthz", NULL, &r);
	ck_assert_int_eq(r.code, 200);
	ck_assert_str_eq(r.ctype, "application/json");
	ck_assert_str_eq(r.body, "{\"status\": \"ok\"}");
	hc_free(&r);
	get("/versions", NULL, &r);
	ck_assert_int_eq(r.code, 200);
	ck_assert_str_eq(r.body, "{\"default_driver_version\":\"\","
	    "\"driver_api_version\":\"\",\"driver_schema_version\":\"\","
	    "\"engine_version\":\"63\",\"engine_version_semver\":\"0.63.0\","
	    "\"falco_version\":\"0.1.0\",\"falconet_version\":\"0.1.0\","
	    "\"libs_version\":\"\",\"plugin_api_version\":\"\"}");
	hc_free(&r);
	snprintf(url, sizeof(url), "%s/healthz", F.base);
	hc_do(url, &head, &r);
	ck_assert_int_eq(r.code, 200);
	ck_assert_uint_eq(r.len, 0);
	hc_free(&r);
}
END_TEST

START_TEST(test_health)
{
	struct hc_resp r;
	json_t *j, *s0;

	fx_start(NULL, 10, false);
	F.nsrc = 2;
	F.src[0] = (struct api_source_state){ "audit", true, 3, 1500, "" };
	F.src[1] = (struct api_source_state){ "fanotify", true, 0, -1, "" };
	add_n(2);
	get("/health", NULL, &r);
	ck_assert_int_eq(r.code, 200);
	ck_assert_str_eq(r.body, "{\"status\":\"ok\",\"sources\":["
	    "{\"name\":\"audit\",\"state\":\"up\",\"lost_events\":3,"
	    "\"last_event_age_s\":1.500,\"detail\":\"\"},"
	    "{\"name\":\"fanotify\",\"state\":\"up\",\"lost_events\":0,"
	    "\"last_event_age_s\":null,\"detail\":\"\"}],\"alert_store\":"
	    "{\"size\":2,\"capacity\":10,\"first_id\":1,\"last_id\":2,"
	    "\"spool\":false,\"spool_errors\":0}}\n");
	hc_free(&r);
	F.src[0].up = false;
	snprintf(F.src[0].detail, sizeof(F.src[0].detail), "netlink closed");
	get("/health", NULL, &r);
	ck_assert_int_eq(r.code, 503);
	j = parse(&r);
	ck_assert_str_eq(json_string_value(json_object_get(j, "status")),
	    "down");
	s0 = json_array_get(json_object_get(j, "sources"), 0);
	ck_assert_str_eq(json_string_value(json_object_get(s0, "state")),
	    "down");
	ck_assert_str_eq(json_string_value(json_object_get(s0, "detail")),
	    "netlink closed");
	json_decref(j);
	hc_free(&r);
}
END_TEST

START_TEST(test_metrics)
{
	struct hc_resp r;

	fx_start(NULL, 10, false);
	add_n(3);
	get("/healthz", NULL, &r);
	hc_free(&r);
	get("/metrics", NULL, &r);
	ck_assert_int_eq(r.code, 200);
	ck_assert_str_eq(r.ctype, "text/plain; version=0.0.4");
	ck_assert_ptr_nonnull(strstr(r.body,
	    "# TYPE falcosecurity_falconet_alert_store_alerts gauge\n"
	    "falcosecurity_falconet_alert_store_alerts 3\n"));
	ck_assert_ptr_nonnull(strstr(r.body,
	    "\nfalcosecurity_falconet_alert_store_added_total 3\n"));
	ck_assert_ptr_nonnull(strstr(r.body,
	    "\nfalcosecurity_falconet_http_requests_total{endpoint=\"healthz\","
	    "code=\"200\"} 1\n"));
	ck_assert_ptr_nonnull(strstr(r.body,
	    "\nfalcosecurity_evt_hostname_info{hostname=\"test-host\"} 1\n"));
	ck_assert_ptr_nonnull(strstr(r.body,
	    "\nfalcosecurity_falco_version_info{version=\"0.1.0\"} 1\n"));
	ck_assert_ptr_nonnull(strstr(r.body,
	    "\nfalcosecurity_falco_rules_matches_total{rule_name=\"Write "
	    "\\\"below\\\" etc\",priority=\"Error\"} 7\n"));
	ck_assert_ptr_nonnull(strstr(r.body,
	    "\nfalcosecurity_falco_memory_rss_bytes "));
	ck_assert_ptr_null(strstr(r.body,
	    "\nfalcosecurity_falco_memory_rss_bytes 0\n"));
	ck_assert_ptr_nonnull(strstr(r.body,
	    "\nfalcosecurity_falco_cpu_usage_ratio "));
	hc_free(&r);
}
END_TEST

START_TEST(test_rules)
{
	struct hc_resp r;

	fx_start(NULL, 10, false);
	get("/rules", NULL, &r);
	ck_assert_int_eq(r.code, 200);
	ck_assert_str_eq(r.body, "{\"rules\":[{\"name\":\"Write below etc\","
	    "\"enabled\":true,\"priority\":\"Error\",\"source\":\"syscall\","
	    "\"matches\":7,\"tags\":[\"filesystem\",\"mitre\"]},"
	    "{\"name\":\"Old rule\",\"enabled\":false,\"priority\":"
	    "\"Informational\",\"source\":\"syscall\",\"matches\":0,"
	    "\"tags\":[],\"disabled_reason\":\"disabled by rules_files\"}]}\n");
	hc_free(&r);
}
END_TEST

/* ---- /alerts ---------------------------------------------------------- */

START_TEST(test_alerts_body)
{
	struct out_msg *m = mk("r", 4, "c1", 0);
	struct hc_resp r;
	char want[4096];

	fx_start(NULL, 10, false);
	add_n(2);
	get("/alerts", NULL, &r);
	ck_assert_int_eq(r.code, 200);
	ck_assert_str_eq(r.ctype, "application/json");
	/* Falco's object, with "id" put first. */
	snprintf(want, sizeof(want), "{\"alerts\":[{\"id\":1,%s,{\"id\":2,%s]"
	    ",\"next\":2,\"missed\":0}\n", m->json + 1, m->json + 1);
	ck_assert_str_eq(r.body, want);
	hc_free(&r);
	get("/alerts?since=2", NULL, &r);
	ck_assert_str_eq(r.body, "{\"alerts\":[],\"next\":2,\"missed\":0}\n");
	hc_free(&r);
	out_msg_unref(m);
}
END_TEST

/* Adds alerts from another thread while the test polls. */
static void *
adder(void *arg)
{
	int i, n = *(int *)arg;
	struct timespec ts = { 0, 200 * 1000 };

	for (i = 0; i < n; i++) {
		add(i % 3 ? "r" : "s", i % 8, "c1");
		nanosleep(&ts, NULL);
	}
	return NULL;
}

START_TEST(test_alerts_cursor_pages)
{
	uint64_t ids[64], next = 0, expect = 1;
	int total = 600;
	struct hc_resp r;
	pthread_t t;
	char path[128];
	size_t n, i;

	fx_start(NULL, 1000, false);
	ck_assert_int_eq(pthread_create(&t, NULL, adder, &total), 0);
	while (expect <= (uint64_t)total) {
		snprintf(path, sizeof(path), "/alerts?since=%llu&limit=37",
		    (unsigned long long)next);
		get(path, NULL, &r);
		ck_assert_int_eq(r.code, 200);
		n = alert_ids(&r, ids, 64, &next);
		for (i = 0; i < n; i++)		/* nothing lost or repeated */
			ck_assert_uint_eq(ids[i], expect++);
		ck_assert_uint_eq(next, expect - 1);
		hc_free(&r);
	}
	pthread_join(t, NULL);
	ck_assert_uint_eq(expect, (uint64_t)total + 1);
}
END_TEST

START_TEST(test_alerts_filters)
{
	uint64_t ids[8], next;
	struct hc_resp r;

	fx_start(NULL, 100, false);
	add("a", 5, "c1");		/* 1 notice */
	add("a", 4, "c1");		/* 2 warning */
	add("b b", 2, "c2");		/* 3 critical */
	add("a", 7, "c2");		/* 4 debug */
	get("/alerts?priority=warning", NULL, &r);
	ck_assert_uint_eq(alert_ids(&r, ids, 8, &next), 2);
	ck_assert_uint_eq(ids[0], 2);
	ck_assert_uint_eq(ids[1], 3);
	ck_assert_uint_eq(next, 4);
	hc_free(&r);
	get("/alerts?rule=b%20b", NULL, &r);
	ck_assert_uint_eq(alert_ids(&r, ids, 8, &next), 1);
	ck_assert_uint_eq(ids[0], 3);
	hc_free(&r);
	get("/alerts?rule=a&container=c2&since=1", NULL, &r);
	ck_assert_uint_eq(alert_ids(&r, ids, 8, &next), 1);
	ck_assert_uint_eq(ids[0], 4);
	hc_free(&r);
	get("/alerts?priority=CRITICAL&limit=1", NULL, &r);
	ck_assert_uint_eq(alert_ids(&r, ids, 8, &next), 1);
	ck_assert_uint_eq(ids[0], 3);
	ck_assert_uint_eq(next, 3);
	hc_free(&r);
}
END_TEST

START_TEST(test_alerts_restart_spool)
{
	uint64_t ids[64], next, cursor;
	struct hc_resp r;
	char path[128];
	size_t n, i;

	fx_start(NULL, 100, true);
	add_n(30);
	ck_assert(out_store_wait(F.store, 29, 5000));
	get("/alerts?limit=10", NULL, &r);
	ck_assert_uint_eq(alert_ids(&r, ids, 64, &cursor), 10);
	ck_assert_uint_eq(cursor, 10);
	hc_free(&r);
	fx_stop();			/* the daemon restarts */

	fx_start(NULL, 100, true);
	snprintf(path, sizeof(path), "/alerts?since=%llu&limit=50",
	    (unsigned long long)cursor);
	get(path, NULL, &r);
	n = alert_ids(&r, ids, 64, &next);
	ck_assert_uint_eq(n, 20);
	for (i = 0; i < n; i++)
		ck_assert_uint_eq(ids[i], 11 + i);
	ck_assert_uint_eq(next, 30);
	hc_free(&r);
	ck_assert_uint_eq(add("r", 4, "c1"), 31);	/* ids continue */
	snprintf(path, sizeof(path), "/alerts?since=%llu&wait=5",
	    (unsigned long long)next);
	get(path, NULL, &r);
	ck_assert_uint_eq(alert_ids(&r, ids, 64, &next), 1);
	ck_assert_uint_eq(ids[0], 31);
	hc_free(&r);
}
END_TEST

static void *
late_add(void *arg)
{
	struct timespec ts = { 0, 300 * 1000000L };

	nanosleep(&ts, NULL);
	add(arg != NULL ? arg : "r", 4, "c1");
	return NULL;
}

START_TEST(test_alerts_longpoll)
{
	uint64_t ids[8], next;
	struct hc_resp r;
	pthread_t t;

	fx_start(NULL, 100, false);
	add_n(1);
	/* Nothing new: returns after the wait, empty, cursor unchanged. */
	get("/alerts?since=1&wait=1", NULL, &r);
	ck_assert_uint_eq(alert_ids(&r, ids, 8, &next), 0);
	ck_assert_uint_eq(next, 1);
	ck_assert_double_ge(r.secs, 0.95);
	ck_assert_double_lt(r.secs, 2.0);
	hc_free(&r);
	/* A new alert wakes it at once. */
	ck_assert_int_eq(pthread_create(&t, NULL, late_add, NULL), 0);
	get("/alerts?since=1&wait=10", NULL, &r);
	pthread_join(t, NULL);
	ck_assert_uint_eq(alert_ids(&r, ids, 8, &next), 1);
	ck_assert_uint_eq(ids[0], 2);
	ck_assert_double_ge(r.secs, 0.25);
	ck_assert_double_lt(r.secs, 1.5);
	hc_free(&r);
	/* One that the filter rejects does not end the wait. */
	ck_assert_int_eq(pthread_create(&t, NULL, late_add, "other"), 0);
	get("/alerts?since=2&wait=1&rule=r", NULL, &r);
	pthread_join(t, NULL);
	ck_assert_uint_eq(alert_ids(&r, ids, 8, &next), 0);
	ck_assert_uint_eq(next, 3);		/* moved past it */
	ck_assert_double_ge(r.secs, 0.95);
	hc_free(&r);
}
END_TEST

START_TEST(test_alerts_wait_capped)
{
	const char *const opts[] = { "webserver.max_wait_s=1", NULL };
	struct hc_resp r;

	fx_start(opts, 10, false);
	get("/alerts?wait=30", NULL, &r);
	ck_assert_int_eq(r.code, 200);
	ck_assert_double_lt(r.secs, 2.0);
	ck_assert_double_ge(r.secs, 0.95);
	hc_free(&r);
}
END_TEST

START_TEST(test_alerts_bad_params)
{
	fx_start(NULL, 10, false);
	add_n(1);
	expect_error("/alerts?since=abc", NULL, 400,
	    "parameter 'since': expected an alert id (a whole number)");
	expect_error("/alerts?since=-1", NULL, 400,
	    "parameter 'since': expected an alert id (a whole number)");
	expect_error("/alerts?limit=0", NULL, 400,
	    "parameter 'limit': expected a whole number from 1 to 1000");
	expect_error("/alerts?limit=1001", NULL, 400,
	    "parameter 'limit': expected a whole number from 1 to 1000");
	expect_error("/alerts?priority=loud", NULL, 400, "parameter "
	    "'priority': expected a Falco priority name (emergency .. debug)");
	expect_error("/alerts?wait=1.5", NULL, 400,
	    "parameter 'wait': expected a whole number of seconds");
	expect_error("/alerts?foo=1", NULL, 400, "unknown parameter 'foo'");
	expect_error("/alerts?since=1&since=2", NULL, 400,
	    "parameter 'since' given twice");
	expect_error("/alerts?rule=", NULL, 400,
	    "parameter 'rule' needs a value");
	expect_error("/alerts?since=5", NULL, 409, "cursor 5 is ahead of the "
	    "newest alert id 1 (was the store reset?)");
	expect_error("/alerts/stream?limit=5", NULL, 400,
	    "unknown parameter 'limit'");
}
END_TEST

/* ---- routing, methods, sizes, auth --------------------------------------- */

START_TEST(test_404_405)
{
	struct hc_req post = { .method = "POST", .body = "x" };
	struct hc_req del = { .method = "DELETE" };
	struct hc_resp r;
	char url[256];

	fx_start(NULL, 10, false);
	expect_error("/nope", NULL, 404, "no such endpoint: /nope");
	expect_error("/alerts/", NULL, 404, "no such endpoint: /alerts/");
	snprintf(url, sizeof(url), "%s/alerts", F.base);
	hc_do(url, &post, &r);
	ck_assert_int_eq(r.code, 405);
	ck_assert_str_eq(r.allow, "GET, HEAD");
	ck_assert_str_eq(r.body, "{\"error\":\"method POST not allowed on "
	    "/alerts\"}\n");
	hc_free(&r);
	snprintf(url, sizeof(url), "%s/metrics", F.base);
	hc_do(url, &del, &r);
	ck_assert_int_eq(r.code, 405);
	hc_free(&r);
}
END_TEST

START_TEST(test_413)
{
	const char *const opts[] = { "webserver.max_request_bytes=2048",
	    NULL };
	struct hc_req post = { .method = "GET" };
	char *pad = malloc(3000 + 8), *body = malloc(5000);
	const char *hdrs[] = { pad, NULL };
	struct hc_resp r;
	char url[256];

	fx_start(opts, 10, false);
	memcpy(pad, "X-Pad: ", 7);
	memset(pad + 7, 'a', 3000);
	pad[3007] = '\0';
	expect_error("/healthz", hdrs, 413, "request larger than 2048 bytes");
	memset(body, 'b', 4999);
	body[4999] = '\0';
	post.body = body;
	snprintf(url, sizeof(url), "%s/alerts", F.base);
	hc_do(url, &post, &r);
	ck_assert_int_eq(r.code, 413);
	hc_free(&r);
	/* Just below the limit is fine. */
	pad[7 + 1500] = '\0';
	get("/healthz", hdrs, &r);
	ck_assert_int_eq(r.code, 200);
	hc_free(&r);
	free(pad);
	free(body);
}
END_TEST

static void
write_token(const char *path, const char *tok, mode_t mode)
{
	FILE *f = fopen(path, "w");

	ck_assert_ptr_nonnull(f);
	fprintf(f, "%s\n", tok);
	fclose(f);
	ck_assert_int_eq(chmod(path, mode), 0);
}

START_TEST(test_auth)
{
	char opt[256], path[128];
	const char *const opts[] = { opt, NULL };
	const char *none[] = { NULL };
	const char *basic[] = { "Authorization: Basic dXNlcjpwYXNz", NULL };
	const char *empty[] = { "Authorization: Bearer ", NULL };
	const char *wrong[] = { "Authorization: Bearer " TOKEN "x", NULL };
	const char *good[] = { "Authorization: Bearer " TOKEN, NULL };
	const char *lower[] = { "Authorization: bearer " TOKEN, NULL };
	struct hc_resp r;

	fx_dir();
	snprintf(path, sizeof(path), "%s/token", F.dir);
	write_token(path, TOKEN, 0600);
	snprintf(opt, sizeof(opt), "webserver.token_file=%s", path);
	fx_start(opts, 10, false);
	get("/alerts", none, &r);
	ck_assert_int_eq(r.code, 401);
	ck_assert_str_eq(r.www_auth, "Bearer realm=\"falconet\"");
	hc_free(&r);
	expect_error("/alerts", basic, 401,
	    "missing or malformed 'Authorization: Bearer' header");
	expect_error("/metrics", empty, 401,
	    "missing or malformed 'Authorization: Bearer' header");
	expect_error("/alerts", wrong, 403, "invalid bearer token");
	expect_error("/nope", none, 401,
	    "missing or malformed 'Authorization: Bearer' header");
	get("/alerts", good, &r);
	ck_assert_int_eq(r.code, 200);
	hc_free(&r);
	get("/rules", lower, &r);
	ck_assert_int_eq(r.code, 200);
	hc_free(&r);
	get("/healthz", none, &r);		/* probes need no token */
	ck_assert_int_eq(r.code, 200);
	hc_free(&r);
}
END_TEST

START_TEST(test_start_refusals)
{
	char opt[256], path[128], err[API_ERRLEN];
	const char *const wide[] = { "webserver.listen_address=0.0.0.0",
	    NULL };
	const char *const wide_tok[] = { "webserver.listen_address=0.0.0.0",
	    opt, NULL };
	const char *const bad_port[] = { "webserver.listen_port=70000",
	    NULL };
	const char *const bad_mode[] = { "webserver.unix_socket_mode=999",
	    NULL };
	const char *const tls_nocert[] = { "webserver.ssl_enabled=true",
	    "webserver.ssl_certificate=/nonexistent.pem", NULL };
	const char *const off[] = { "webserver.enabled=false", NULL };
	struct api *a;

	fx_dir();
	F.store = out_store_new(10, NULL, NULL, err);
	ck_assert_ptr_null(fx_api(wide, err));
	ck_assert_str_eq(err, "webserver.listen_address 0.0.0.0 is not a "
	    "loopback address: a bearer token is required beyond loopback, "
	    "set webserver.token_file");
	snprintf(path, sizeof(path), "%s/token", F.dir);
	snprintf(opt, sizeof(opt), "webserver.token_file=%s", path);
	write_token(path, TOKEN, 0644);
	ck_assert_ptr_null(fx_api(wide_tok, err));
	ck_assert_ptr_nonnull(strstr(err, "is accessible by others (mode "
	    "0644): chmod 600 it"));
	write_token(path, "short", 0600);
	ck_assert_ptr_null(fx_api(wide_tok, err));
	ck_assert_ptr_nonnull(strstr(err, "the token must be at least 16 "
	    "printable characters"));
	write_token(path, TOKEN, 0600);
	a = fx_api(wide_tok, err);
	ck_assert_msg(a != NULL, "%s", err);
	ck_assert_uint_gt(api_port(a), 0);
	api_stop(a);
	ck_assert_ptr_null(fx_api(bad_port, err));
	ck_assert_str_eq(err, "-o webserver.listen_port=70000: "
	    "'webserver.listen_port': expected a whole number from 0 to "
	    "65535, got '70000'");
	ck_assert_ptr_null(fx_api(bad_mode, err));
	ck_assert_ptr_nonnull(strstr(err, "expected an octal mode"));
	ck_assert_ptr_null(fx_api(tls_nocert, err));
	ck_assert_ptr_nonnull(strstr(err, "/nonexistent.pem"));
	a = fx_api(off, err);
	ck_assert_ptr_nonnull(a);
	ck_assert_uint_eq(api_port(a), 0);
	api_stop(a);
}
END_TEST

START_TEST(test_unix_socket)
{
	char opt[256], path[128], url[64];
	const char *const opts[] = { opt, "webserver.unix_socket_mode=0600",
	    NULL };
	struct hc_req req = { .unix_path = path };
	struct hc_resp r;
	struct stat st;

	fx_dir();
	snprintf(path, sizeof(path), "%s/api.sock", F.dir);
	snprintf(opt, sizeof(opt), "webserver.unix_socket=%s", path);
	fx_start(opts, 10, false);
	ck_assert_uint_eq(api_port(F.api), 0);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert(S_ISSOCK(st.st_mode));
	ck_assert_int_eq(st.st_mode & 0777, 0600);
	add_n(1);
	snprintf(url, sizeof(url), "http://localhost/alerts");
	hc_do(url, &req, &r);
	ck_assert_int_eq(r.code, 200);
	ck_assert_ptr_nonnull(strstr(r.body, "\"next\":1"));
	hc_free(&r);
	fx_stop();
	ck_assert_int_eq(stat(path, &st), -1);	/* removed */
}
END_TEST

/* ---- slow and idle clients --------------------------------------------------- */

START_TEST(test_slowloris)
{
	const char *const opts[] = { "webserver.timeout_s=1", NULL };
	char buf[4096];
	struct hc_resp r;
	double t0;
	long n;
	int fd, i;

	fx_start(opts, 10, false);
	fd = hc_connect(api_port(F.api));
	t0 = hc_now();
	ck_assert_int_eq(send(fd, "GET /alerts HTTP/1.1\r\nHost: x\r\n", 31,
	    0), 31);
	/* One header line every 200 ms: never idle, never complete. */
	for (i = 0; i < 15; i++) {
		struct timespec ts = { 0, 200 * 1000000L };

		if (send(fd, "X-A: b\r\n", 8, MSG_NOSIGNAL) != 8)
			break;
		nanosleep(&ts, NULL);
	}
	n = hc_read_until_eof(fd, buf, sizeof(buf), 3000);
	ck_assert_int_gt(n, 0);
	ck_assert_msg(!strncmp(buf, "HTTP/1.1 408 Request Timeout\r\n", 30),
	    "%s", buf);
	ck_assert_ptr_nonnull(strstr(buf, "\r\n\r\n{\"error\":\"request not "
	    "received within the time limit\"}"));
	ck_assert_double_lt(hc_now() - t0, 2.5);
	close(fd);
	/* An idle connection is closed too. */
	fd = hc_connect(api_port(F.api));
	t0 = hc_now();
	ck_assert_int_ge(hc_read_until_eof(fd, buf, sizeof(buf), 3000), 0);
	ck_assert_double_lt(hc_now() - t0, 2.5);
	close(fd);
	get("/metrics", NULL, &r);
	ck_assert_ptr_nonnull(strstr(r.body,
	    "\nfalcosecurity_falconet_http_request_timeouts_total 2\n"));
	hc_free(&r);
}
END_TEST

/* ---- /alerts/stream ------------------------------------------------------- */

static void
stream(const char *path, const char *const *hdrs, unsigned events,
    struct hc_resp *r)
{
	struct hc_req req = { .headers = hdrs, .stop_after = events,
	    .timeout_ms = 5000 };
	char url[256];

	snprintf(url, sizeof(url), "%s%s", F.base, path);
	hc_do(url, &req, r);
}

START_TEST(test_stream_resume)
{
	struct out_msg *m = mk("r", 4, "c1", 0);
	const char *resume[] = { "Last-Event-ID: 1", NULL };
	char want[8192];
	struct hc_resp r;
	pthread_t t;

	fx_start(NULL, 100, false);
	add_n(3);
	ck_assert_int_eq(pthread_create(&t, NULL, late_add, NULL), 0);
	stream("/alerts/stream", resume, 3, &r);
	pthread_join(t, NULL);
	ck_assert_int_eq(r.code, 200);
	ck_assert_str_eq(r.ctype, "text/event-stream");
	ck_assert_uint_eq(r.events, 3);
	snprintf(want, sizeof(want), "retry: 2000\n\n"
	    "id: 2\ndata: {\"id\":2,%s\n\nid: 3\ndata: {\"id\":3,%s\n\n"
	    "id: 4\ndata: {\"id\":4,%s\n\n", m->json + 1, m->json + 1,
	    m->json + 1);
	ck_assert_str_eq(r.body, want);
	ck_assert_double_ge(r.secs, 0.25);	/* 4 came later */
	hc_free(&r);
	/* since= and filters; Last-Event-ID wins over since. */
	add("x", 1, "c9");			/* 5 */
	stream("/alerts/stream?since=0&rule=x", NULL, 1, &r);
	ck_assert_ptr_nonnull(strstr(r.body, "id: 5\n"));
	ck_assert_uint_eq(r.events, 1);
	hc_free(&r);
	stream("/alerts/stream?since=0", resume, 1, &r);
	ck_assert_ptr_nonnull(strstr(r.body, "id: 2\n"));
	hc_free(&r);
	expect_error("/alerts/stream", (const char *[]){ "Last-Event-ID: x",
	    NULL }, 400, "header 'Last-Event-ID': expected an alert id (a "
	    "whole number)");
	expect_error("/alerts/stream?since=99", NULL, 409, "cursor 99 is "
	    "ahead of the newest alert id 5 (was the store reset?)");
	out_msg_unref(m);
}
END_TEST

START_TEST(test_stream_new_only)
{
	struct hc_resp r;
	pthread_t t;

	fx_start(NULL, 100, false);
	add_n(5);
	ck_assert_int_eq(pthread_create(&t, NULL, late_add, NULL), 0);
	stream("/alerts/stream", NULL, 1, &r);
	pthread_join(t, NULL);
	ck_assert_uint_eq(r.events, 1);
	ck_assert_ptr_nonnull(strstr(r.body, "id: 6\n"));
	ck_assert_ptr_null(strstr(r.body, "id: 5\n"));
	hc_free(&r);
}
END_TEST

START_TEST(test_stream_missed_on_resume)
{
	struct hc_resp r;

	fx_start(NULL, 5, false);
	add_n(20);
	stream("/alerts/stream?since=3", NULL, 5, &r);
	ck_assert_ptr_nonnull(strstr(r.body, "retry: 2000\n\nevent: missed\n"
	    "data: {\"missed\":12}\n\nid: 16\n"));
	hc_free(&r);
}
END_TEST

/* A client that stops reading while alerts pour in is dropped. */
START_TEST(test_stream_slow_client)
{
	static const char req[] = "GET /alerts/stream?since=0 HTTP/1.1\r\n"
	    "Host: x\r\n\r\n";
	char buf[1 << 16];
	struct hc_resp r;
	struct timespec ts = { 0, 300 * 1000000L };
	int fd, small = 4096, i;
	double t0;
	long n;

	fx_start(NULL, 100, false);
	fd = hc_connect_rcvbuf(api_port(F.api), small);
	ck_assert_int_eq(send(fd, req, sizeof(req) - 1, 0),
	    (ssize_t)sizeof(req) - 1);
	nanosleep(&ts, NULL);
	for (i = 0; i < 4000; i++) {		/* ~4 KB each, 16 MB */
		struct out_msg *m = mk("r", 4, "c1", 4000);

		out_store_add(F.store, m);
		out_msg_unref(m);
	}
	t0 = hc_now();
	/* Now read: the stream must end (not run forever). */
	while ((n = hc_read_until_eof(fd, buf, sizeof(buf), 5000)) > 0 &&
	    hc_now() - t0 < 10)
		;
	ck_assert_int_ge(n, 0);
	close(fd);
	get("/metrics", NULL, &r);
	ck_assert_ptr_nonnull(strstr(r.body, "\nfalcosecurity_falconet_http_"
	    "stream_disconnects_total{reason=\"behind\"} 1\n"));
	ck_assert_ptr_nonnull(strstr(r.body,
	    "\nfalcosecurity_falconet_http_streams 0\n"));
	hc_free(&r);
}
END_TEST

/* A client that does not read at all is closed by the idle timeout. */
START_TEST(test_stream_not_reading)
{
	const char *const opts[] = { "webserver.timeout_s=1", NULL };
	static const char req[] = "GET /alerts/stream?since=0 HTTP/1.1\r\n"
	    "Host: x\r\n\r\n";
	struct timespec ts = { 0, 100 * 1000000L };
	struct hc_resp r;
	int fd, i;

	fx_start(opts, 10000, false);
	fd = hc_connect_rcvbuf(api_port(F.api), 4096);
	ck_assert_int_eq(send(fd, req, sizeof(req) - 1, 0),
	    (ssize_t)sizeof(req) - 1);
	for (i = 0; i < 3000; i++) {		/* ~12 MB, never read */
		struct out_msg *m = mk("r", 4, "c1", 4000);

		out_store_add(F.store, m);
		out_msg_unref(m);
	}
	for (i = 0; i < 60; i++) {
		get("/metrics", NULL, &r);
		if (strstr(r.body, "{reason=\"not_reading\"} 1\n") != NULL)
			break;
		hc_free(&r);
		nanosleep(&ts, NULL);
	}
	ck_assert_int_lt(i, 60);
	ck_assert_ptr_nonnull(strstr(r.body,
	    "\nfalcosecurity_falconet_http_streams 0\n"));
	hc_free(&r);
	close(fd);
}
END_TEST

/* TLS with Falco's combined key + certificate PEM (needs openssl(1)). */
START_TEST(test_tls)
{
	char cmd[1024], pem[128], opt[256], url[128];
	const char *const opts[] = { "webserver.ssl_enabled=true", opt, NULL };
	struct hc_req req = { .insecure = true };
	struct hc_resp r;

	if (!MHD_is_feature_supported(MHD_FEATURE_TLS) ||
	    system("command -v openssl >/dev/null 2>&1") != 0)
		return;			/* nothing to test with */
	fx_dir();
	snprintf(pem, sizeof(pem), "%s/falco.pem", F.dir);
	snprintf(cmd, sizeof(cmd), "cd '%s' && openssl req -x509 -newkey "
	    "rsa:2048 -nodes -keyout k.pem -out c.pem -days 1 -subj "
	    "/CN=127.0.0.1 >/dev/null 2>&1 && cat k.pem c.pem > falco.pem",
	    F.dir);
	ck_assert_int_eq(system(cmd), 0);
	snprintf(opt, sizeof(opt), "webserver.ssl_certificate=%s", pem);
	fx_start(opts, 10, false);
	snprintf(url, sizeof(url), "https://127.0.0.1:%u/healthz",
	    api_port(F.api));
	hc_do(url, &req, &r);
	ck_assert_int_eq(r.code, 200);
	ck_assert_str_eq(r.body, "{\"status\": \"ok\"}");
	hc_free(&r);
}
END_TEST

START_TEST(test_stream_limit)
{
	const char *const opts[] = { "webserver.max_connections=3", NULL };
	static const char req[] = "GET /alerts/stream HTTP/1.1\r\n"
	    "Host: x\r\n\r\n";
	char buf[256];
	int fd, fd2;

	fx_start(opts, 10, false);
	fd = hc_connect(api_port(F.api));
	ck_assert_int_eq(send(fd, req, sizeof(req) - 1, 0),
	    (ssize_t)sizeof(req) - 1);
	fd2 = hc_connect(api_port(F.api));
	ck_assert_int_eq(send(fd2, req, sizeof(req) - 1, 0),
	    (ssize_t)sizeof(req) - 1);
	/* Both streams are open once their headers arrived. */
	ck_assert_int_gt(recv(fd, buf, sizeof(buf) - 1, 0), 0);
	ck_assert_int_gt(recv(fd2, buf, sizeof(buf) - 1, 0), 0);
	expect_error("/alerts/stream", NULL, 503,
	    "too many event streams (at most 2)");
	close(fd);
	close(fd2);
}
END_TEST

/* ---- stop while clients wait --------------------------------------------------- */

struct bg {
	char		 path[128];
	struct hc_resp	 r;
};

static void *
bg_get(void *arg)
{
	struct bg *b = arg;
	struct hc_req req = { .timeout_ms = 20000 };
	char url[256];

	snprintf(url, sizeof(url), "%s%s", F.base, b->path);
	hc_do(url, &req, &b->r);
	return NULL;
}

START_TEST(test_stop_wakes_waiters)
{
	struct bg b = { .path = "/alerts?since=0&wait=20" };
	struct timespec ts = { 0, 300 * 1000000L };
	pthread_t t;
	double t0;

	fx_start(NULL, 10, false);
	ck_assert_int_eq(pthread_create(&t, NULL, bg_get, &b), 0);
	nanosleep(&ts, NULL);
	t0 = hc_now();
	api_stop(F.api);
	F.api = NULL;
	ck_assert_double_lt(hc_now() - t0, 2.0);
	pthread_join(t, NULL);
	ck_assert_int_eq(b.r.code, 200);
	ck_assert_str_eq(b.r.body, "{\"alerts\":[],\"next\":0,\"missed\":0}\n");
	hc_free(&b.r);
}
END_TEST

Suite *
suite_for_main(void)
{
	Suite *s = suite_create("http");
	TCase *tc = tcase_create("http");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_healthz_versions);
	tcase_add_test(tc, test_health);
	tcase_add_test(tc, test_metrics);
	tcase_add_test(tc, test_rules);
	tcase_add_test(tc, test_alerts_body);
	tcase_add_test(tc, test_alerts_cursor_pages);
	tcase_add_test(tc, test_alerts_filters);
	tcase_add_test(tc, test_alerts_restart_spool);
	tcase_add_test(tc, test_alerts_longpoll);
	tcase_add_test(tc, test_alerts_wait_capped);
	tcase_add_test(tc, test_alerts_bad_params);
	tcase_add_test(tc, test_404_405);
	tcase_add_test(tc, test_413);
	tcase_add_test(tc, test_auth);
	tcase_add_test(tc, test_start_refusals);
	tcase_add_test(tc, test_unix_socket);
	tcase_add_test(tc, test_slowloris);
	tcase_add_test(tc, test_stream_resume);
	tcase_add_test(tc, test_stream_new_only);
	tcase_add_test(tc, test_stream_missed_on_resume);
	tcase_add_test(tc, test_stream_slow_client);
	tcase_add_test(tc, test_stream_not_reading);
	tcase_add_test(tc, test_tls);
	tcase_add_test(tc, test_stream_limit);
	tcase_add_test(tc, test_stop_wakes_waiters);
	suite_add_tcase(s, tc);
	return s;
}
