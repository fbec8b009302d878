/*
 * bench_http_feed.c - the HTTP API benchmark's server side: an alert
 * store and the API, and a feeder thread that formats and adds alerts as
 * fast as it can, standing in for detection.  bench/http/run.sh drives it
 * with and without wrk load and compares the feeder's rate.
 *
 * usage: bench_http_feed [-d seconds] [-p port] [-r ring] [-s spool_dir]
 *                        [-c feeder_cpu] [-R alerts_per_second]
 * Prints "port N" when listening, then one JSON line at the end:
 * {"seconds":..,"alerts":..,"rate":..,"add_p50_ns":..,"add_p99_ns":..,
 *  "add_max_ns":..}.  -R paces the feeder at that rate (absolute
 * schedule: it catches up after a stall, so the achieved rate falls
 * short only when the feeder cannot keep up) instead of running flat out.
 */
#include "config.h"

#include <pthread.h>
#include <sched.h>
#include <sys/resource.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "conf.h"
#include "http/http.h"
#include "outputs/msg.h"
#include "outputs/store.h"

#define SAMPLES	(1u << 20)

struct feeder {
	struct out_store	*store;
	double			 seconds;
	int			 cpu;
	double			 pace;		/* alerts/s, 0: flat out */
	uint64_t		 alerts;
	double			 elapsed;
	double			 cpu_s;		/* feeder thread CPU seconds */
	long			 vcsw, ivcsw;	/* blocked / preempted */
	uint32_t		*lat;		/* sampled add latencies, ns */
	size_t			 nlat;
};

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* One alert shaped like a default-rules syscall alert. */
static struct out_msg *
make_alert(uint64_t n)
{
	static const char *const tags[] = { "T1555", "container",
	    "filesystem", "host", "maturity_stable", "mitre_credential_access" };
	struct fc_alert_field f[] = {
		{ "container.id", FC_AV_STRING, "3ad7b26ded6d", 12 },
		{ "evt.type", FC_AV_STRING, "openat", 6 },
		{ "fd.name", FC_AV_STRING, "/etc/shadow", 11 },
		{ "proc.cmdline", FC_AV_STRING, "cat /etc/shadow", 15 },
		{ "proc.pid", FC_AV_JSON, "4242", 4 },
		{ "user.name", FC_AV_STRING, "root", 4 },
	};
	char out[256];
	struct fc_alert a = {
		.time_ns = 1700000000000000000ull + n, .priority = 4,
		.rule = "Read sensitive file untrusted", .source = "syscall",
		.tags = tags, .ntags = 6, .fields = f, .nfields = 6,
		.hostname = "bench",
	};
	struct fc_alert_format fmt;

	a.output_len = (size_t)snprintf(out, sizeof(out), "Sensitive file "
	    "opened for reading by non-trusted program (file=/etc/shadow "
	    "gparent=bash ggparent=sshd evt_type=openat user=root "
	    "process=cat command=cat /etc/shadow n=%llu)",
	    (unsigned long long)n);
	a.output = out;
	fc_alert_format_defaults(&fmt);
	fmt.json = true;
	return out_msg_new(&a, &fmt, "3ad7b26ded6d");
}

static void
pin(int cpu)
{
	cpu_set_t set;

	if (cpu < 0)
		return;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
}

/* Sleep until alert n is due (every 64 alerts, to keep sleeps cheap). */
static void
pace(const struct feeder *f, double start, uint64_t n)
{
	double due, now;
	struct timespec ts;

	if (f->pace <= 0 || (n & 63) != 0)
		return;
	due = start + (double)n / f->pace;
	if ((now = now_s()) >= due)
		return;
	ts.tv_sec = (time_t)(due - now);
	ts.tv_nsec = (long)((due - now - (double)ts.tv_sec) * 1e9);
	nanosleep(&ts, NULL);
}

static void *
feed(void *arg)
{
	struct feeder *f = arg;
	struct timespec t0, t1;
	struct rusage ru;
	double start = now_s(), end = start + f->seconds;
	struct out_msg *m;

	pin(f->cpu);
	while ((f->alerts & 255) != 0 || now_s() < end) {
		m = make_alert(f->alerts);
		if ((f->alerts & 15) == 0 && f->nlat < SAMPLES) {
			clock_gettime(CLOCK_MONOTONIC, &t0);
			out_store_add(f->store, m);
			clock_gettime(CLOCK_MONOTONIC, &t1);
			f->lat[f->nlat++] = (uint32_t)((t1.tv_sec - t0.tv_sec) *
			    1000000000L + (t1.tv_nsec - t0.tv_nsec));
		} else {
			out_store_add(f->store, m);
		}
		out_msg_unref(m);
		f->alerts++;
		pace(f, start, f->alerts);
	}
	f->elapsed = now_s() - start;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t0);
	f->cpu_s = (double)t0.tv_sec + (double)t0.tv_nsec / 1e9;
	if (getrusage(RUSAGE_THREAD, &ru) == 0) {
		f->vcsw = ru.ru_nvcsw;
		f->ivcsw = ru.ru_nivcsw;
	}
	return NULL;
}

static int
cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

static struct api *
start_api(struct fc_conf *c, struct out_store *s, int port)
{
	struct api_sources src = { .store = s,
	    .versions = { .falconet_version = PACKAGE_VERSION,
	    .engine_version_semver = "0.63.0" } };
	char opt[64], err[API_ERRLEN];
	struct api *api;

	snprintf(opt, sizeof(opt), "webserver.listen_port=%d", port);
	conf_set_option(c, opt, err, sizeof(err));
	conf_set_option(c, "webserver.max_connections=256", err, sizeof(err));
	if ((api = api_start(c, &src, err, sizeof(err))) == NULL)
		fprintf(stderr, "bench_http_feed: %s\n", err);
	return api;
}

int
main(int argc, char **argv)
{
	struct feeder f = { .seconds = 10, .cpu = -1 };
	struct out_store_stats st;
	const char *spool = NULL;
	char err[OUT_STORE_ERRLEN];
	struct fc_conf *c = conf_new();
	size_t ring = 10000;
	struct api *api;
	pthread_t t;
	int port = 0, ch;

	while ((ch = getopt(argc, argv, "d:p:r:s:c:R:")) != -1) {
		switch (ch) {
		case 'd': f.seconds = atof(optarg); break;
		case 'p': port = atoi(optarg); break;
		case 'r': ring = (size_t)atol(optarg); break;
		case 's': spool = optarg; break;
		case 'c': f.cpu = atoi(optarg); break;
		case 'R': f.pace = atof(optarg); break;
		default:
			fprintf(stderr, "usage: bench_http_feed [-d s] [-p port] "
			    "[-r ring] [-s spool] [-c cpu] [-R rate]\n");
			return 2;
		}
	}
	f.lat = malloc(SAMPLES * sizeof(*f.lat));
	f.store = out_store_new(ring, spool, NULL, err);
	if (f.store == NULL || f.lat == NULL) {
		fprintf(stderr, "bench_http_feed: %s\n", err);
		return 1;
	}
	/* Warm the ring so /alerts always has a full page to serve. */
	while (f.alerts < ring) {
		struct out_msg *m = make_alert(f.alerts++);

		out_store_add(f.store, m);
		out_msg_unref(m);
	}
	f.alerts = 0;
	if ((api = start_api(c, f.store, port)) == NULL)
		return 1;
	printf("port %u\n", api_port(api));
	fflush(stdout);
	pthread_create(&t, NULL, feed, &f);
	pthread_join(t, NULL);
	qsort(f.lat, f.nlat, sizeof(*f.lat), cmp_u32);
	out_store_stats(f.store, &st);
	printf("{\"seconds\":%.3f,\"alerts\":%llu,\"rate\":%.0f,"
	    "\"cpu_s\":%.3f,\"rate_per_cpu_s\":%.0f,"
	    "\"add_p50_ns\":%u,\"add_p99_ns\":%u,\"add_max_ns\":%u,"
	    "\"lock_contended\":%llu,\"lock_wait_ms\":%.3f,"
	    "\"blocked\":%ld,\"preempted\":%ld}\n",
	    f.elapsed, (unsigned long long)f.alerts, f.alerts / f.elapsed,
	    f.cpu_s, f.cpu_s > 0 ? f.alerts / f.cpu_s : 0,
	    f.nlat ? f.lat[f.nlat / 2] : 0,
	    f.nlat ? f.lat[f.nlat * 99 / 100] : 0,
	    f.nlat ? f.lat[f.nlat - 1] : 0,
	    (unsigned long long)st.add_contended, st.add_wait_ns / 1e6,
	    f.vcsw, f.ivcsw);
	api_stop(api);
	out_store_free(f.store);
	conf_free(c);
	free(f.lat);
	return 0;
}
