/*
 * aud_reader.c - a small client of the live audit source for the
 * integration tests (tests/integration/audit_live.sh): opens the source
 * in the mode asked for, installs our audit rules for the syscalls given,
 * correlates records into events and writes each event as one JSON line
 * to OUTFILE.  Also what auditd starts as a plugin in the plugin test
 * (args: "-psSYSCALLS OUTFILE", auditd passes at most two arguments).
 *
 *   aud_reader [-p] [-m MODE] [-s SYSCALLS] [-k KEY] [-S STATEFILE]
 *              [-b BACKLOG] [-w WAIT] [-f FAILURE] [-t SECONDS] [-R] OUTFILE
 *   aud_reader -Q                 print AUDIT_GET as "name value" lines
 *   aud_reader -X                 forget a dead registered audit daemon
 *   aud_reader -C -s SYSCALLS [-k KEY] [-x PID]   aud_rules_check: 0 intact
 *
 * Files beside OUTFILE: OUTFILE.ready (the mode, once the source is open
 * and the rules are in), OUTFILE.stats (counters, at exit), OUTFILE.err.
 * SIGTERM/SIGINT: clean exit (rules removed unless -R, settings restored).
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "audit/audit.h"
#include "audit/nl.h"
#include "core/buf.h"

static volatile sig_atomic_t stop;

static void
on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

struct out {
	FILE		*f;
	struct fc_buf	 b;
	uint64_t	 events;
};

static void
write_event(const struct fc_event *ev, void *arg)
{
	struct out *o = arg;

	fc_buf_reset(&o->b);
	aud_event_json(ev, &o->b);
	fwrite(o->b.p, 1, o->b.len, o->f);
	fputc('\n', o->f);
	fflush(o->f);
	o->events++;
}

static uint64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void
side_file(const char *out, const char *suffix, const char *text)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s.%s", out, suffix);
	if ((f = fopen(path, "w")) != NULL) {
		fputs(text, f);
		fclose(f);
	}
}

static void
write_stats(const char *out, struct aud_src *src, uint64_t events)
{
	struct aud_src_stats st;
	char t[2048];

	aud_src_stats(src, &st);
	snprintf(t, sizeof(t), "mode %s\nevents %" PRIu64 "\nrecords %" PRIu64
	    "\npopped %" PRIu64 "\nmalformed %" PRIu64 "\nqueue_drops %" PRIu64
	    "\nenobufs %" PRIu64 "\ntruncated %" PRIu64 "\nhave_kernel %d\n"
	    "kernel_lost %" PRIu32 "\nkernel_lost_delta %" PRIu64
	    "\nkernel_backlog %" PRIu32 "\nkernel_backlog_limit %" PRIu32
	    "\nkernel_pid %" PRIu32 "\nkernel_polls %" PRIu64 "\n",
	    aud_mode_name(aud_src_mode(src)), events, st.records, st.popped,
	    st.malformed, st.queue_drops, st.enobufs, st.truncated,
	    st.have_kernel, st.kernel_lost, st.kernel_lost_delta,
	    st.kernel_backlog, st.kernel_backlog_limit, st.kernel_pid,
	    st.kernel_polls);
	side_file(out, "stats", t);
}

/* Split "a,b,c" in place into names. */
static size_t
split(char *s, const char **names, size_t max)
{
	size_t n = 0;

	for (char *tok = strtok(s, ","); tok && n < max; tok = strtok(NULL, ","))
		names[n++] = tok;
	return n;
}

static int
print_status(void)
{
	struct aud_status st;
	char err[256];

	if (aud_status_get(&st, err, sizeof(err)) < 0) {
		fprintf(stderr, "aud_reader: %s\n", err);
		return 1;
	}
	printf("enabled %u\nfailure %u\npid %u\nbacklog_limit %u\nlost %u\n"
	    "backlog %u\nbacklog_wait_time %u\n", st.enabled, st.failure,
	    st.pid, st.backlog_limit, st.lost, st.backlog,
	    st.backlog_wait_time);
	return 0;
}

struct args {
	struct aud_src_opts so;
	struct aud_rules_opts ro;
	const char *names[64];
	int seconds;
	bool keep_rules, query, reset, check;
};

static enum aud_mode
mode_of(const char *s)
{
	if (strcmp(s, "unicast") == 0)
		return AUD_MODE_UNICAST;
	if (strcmp(s, "multicast") == 0)
		return AUD_MODE_MULTICAST;
	if (strcmp(s, "plugin") == 0)
		return AUD_MODE_PLUGIN;
	return AUD_MODE_AUTO;
}

static int
parse(int argc, char **argv, struct args *a)
{
	int c;

	aud_src_opts_default(&a->so);
	a->so.stats_interval_ms = 200;
	while ((c = getopt(argc, argv, "pm:s:k:S:b:w:f:t:x:RQXC")) != -1) {
		switch (c) {
		case 'p': a->so.plugin_stdin = true; break;
		case 'm': a->so.mode = mode_of(optarg); break;
		case 's': a->ro.nsyscalls = split(optarg, a->names, 64); break;
		case 'k': a->ro.key = optarg; break;
		case 'S': a->so.state_file = optarg; break;
		case 'b': a->so.backlog_limit = atoll(optarg); break;
		case 'w': a->so.backlog_wait_time = atoll(optarg); break;
		case 'f': a->so.failure = atoi(optarg); break;
		case 't': a->seconds = atoi(optarg); break;
		case 'x': a->ro.exclude_pid = atoi(optarg); break;
		case 'R': a->keep_rules = true; break;
		case 'Q': a->query = true; break;
		case 'X': a->reset = true; break;
		case 'C': a->check = true; break;
		default: return -1;
		}
	}
	a->ro.syscalls = a->names;
	return optind;
}

/* The read/correlate loop; returns when told to stop or the input ends. */
static void
run(struct aud_src *src, struct out *o, int seconds)
{
	struct aud_corr *corr = aud_corr_new(NULL, write_event, o);
	char *buf = malloc(AUD_SRC_REC_MAX);
	struct aud_record rec;
	uint64_t end = seconds > 0 ? now_ms() + (uint64_t)seconds * 1000 : 0;

	while (corr && buf && !stop && (end == 0 || now_ms() < end)) {
		int r = aud_src_next(src, &rec, buf, AUD_SRC_REC_MAX, 100);

		if (r < 0)
			break;
		if (r > 0)
			aud_corr_add(corr, &rec, now_ms());
		aud_corr_tick(corr, now_ms());
	}
	if (corr)
		aud_corr_flush(corr);
	aud_corr_free(corr);
	free(buf);
}

int
main(int argc, char **argv)
{
	struct args a = { 0 };
	struct out o = { 0 };
	struct sigaction sa = { .sa_handler = on_signal };
	struct aud_src *src;
	char err[512];
	int i, r;

	if ((i = parse(argc, argv, &a)) < 0)
		return 2;
	if (a.query)
		return print_status();
	if (a.reset)
		return aud_status_reset_dead_pid(err, sizeof(err)) < 0 ?
		    (fprintf(stderr, "aud_reader: %s\n", err), 1) : 0;
	if (a.check) {
		r = aud_rules_check(&a.ro, err, sizeof(err));
		if (r != 1)
			fprintf(stderr, "aud_reader: %s\n", r == 0 ? err : err);
		return r == 1 ? 0 : 1;
	}
	if (i != argc - 1)
		return 2;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	if ((o.f = fopen(argv[i], "a")) == NULL)
		return 1;
	fc_buf_init(&o.b, 16u << 20);
	if ((src = aud_src_open(&a.so, err, sizeof(err))) == NULL) {
		side_file(argv[i], "err", err);
		return 1;
	}
	if (a.ro.nsyscalls > 0 &&
	    (r = aud_rules_install(&a.ro, err, sizeof(err))) < 0) {
		side_file(argv[i], "err", err);
		aud_src_close(src);
		return 1;
	}
	side_file(argv[i], "ready", aud_mode_name(aud_src_mode(src)));
	run(src, &o, a.seconds);
	if (a.ro.nsyscalls > 0 && !a.keep_rules &&
	    aud_rules_remove_ours(a.ro.key, err, sizeof(err)) < 0)
		side_file(argv[i], "err", err);
	write_stats(argv[i], src, o.events);
	aud_src_close(src);
	fc_buf_fini(&o.b);
	fclose(o.f);
	return 0;
}
