/*
 * bench_fan.c - how many events the fanotify source sustains and what one
 * costs (root).
 *
 * In a private mount namespace with its own tmpfs of FILES files, WORKERS
 * forked processes open and close those files (distinct objects: the
 * kernel cannot merge the events) as fast as they can for SECONDS:
 *   1. without fanotify: the baseline open rate;
 *   2. with the source watching the tmpfs (FAN_OPEN, mount mark) and this
 *      thread popping events into an fc_event as the agent's core would;
 *   3. the same with FAN_UNLIMITED_QUEUE: the rate the reader sustains when
 *      the kernel never drops.
 * Printed per run: opens/s of the workers, events/s delivered, kernel
 * overflows, queue drops, reader CPU per event and consumer CPU per event.
 *
 * Usage: bench_fan [-t SECONDS] [-w WORKERS] [-f FILES]
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/event.h"
#include "fanotify/fanotify.h"

static int seconds = 5, workers = 1, files = 1000;
static char base[256];

static double
now_s(clockid_t c)
{
	struct timespec ts;

	clock_gettime(c, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
worker(int out, double end)
{
	char p[512];
	unsigned long n = 0;
	int i, fd;

	for (i = 0; (i & 255) != 0 || now_s(CLOCK_MONOTONIC) < end; i++) {
		snprintf(p, sizeof(p), "%s/f%d", base, i % files);
		if ((fd = open(p, O_RDONLY | O_CLOEXEC)) >= 0) {
			close(fd);
			n++;
		}
	}
	(void)!write(out, &n, sizeof(n));
	_exit(0);
}

/* Start the workers; they stop by themselves at end.  Returns the read end. */
static int
start_workers(double end)
{
	int p[2], i;

	if (pipe(p) < 0)
		return -1;
	for (i = 0; i < workers; i++)
		if (fork() == 0) {
			close(p[0]);
			worker(p[1], end);
		}
	close(p[1]);
	return p[0];
}

static unsigned long
reap_workers(int fd)
{
	unsigned long n, total = 0;
	int i;

	for (i = 0; i < workers; i++)
		if (read(fd, &n, sizeof(n)) == (ssize_t)sizeof(n))
			total += n;
	close(fd);
	while (wait(NULL) > 0)
		;
	return total;
}

static void
run_plain(void)
{
	double end = now_s(CLOCK_MONOTONIC) + seconds;
	unsigned long n = reap_workers(start_workers(end));

	printf("baseline            opens/s %10.0f\n", (double)n / seconds);
}

static void
run_fan(bool unlimited)
{
	struct fan_watch w = { base, FAN_OP_READ | FAN_OP_SUBTREE };
	struct fan_src_opts o;
	struct fan_src_stats st;
	struct fan_src *s;
	struct fc_event ev;
	char err[256];
	double end, cpu0, cpu;
	unsigned long opens, got = 0;
	int fd;

	fan_src_opts_default(&o);
	o.watches = &w;
	o.nwatches = 1;
	o.keep_children = true;
	o.unlimited_queue = unlimited;
	if ((s = fan_src_open(&o, err, sizeof(err))) == NULL) {
		fprintf(stderr, "bench_fan: %s\n", err);
		exit(1);
	}
	fc_event_init(&ev);
	cpu0 = now_s(CLOCK_THREAD_CPUTIME_ID);
	end = now_s(CLOCK_MONOTONIC) + seconds;
	fd = start_workers(end);
	/* Drain until the workers are done and the queue is empty. */
	while (now_s(CLOCK_MONOTONIC) < end + 0.5)
		got += fan_src_next(s, &ev, 50) == 1;
	while (fan_src_next(s, &ev, 200) == 1)
		got++;
	cpu = now_s(CLOCK_THREAD_CPUTIME_ID) - cpu0;
	opens = reap_workers(fd);
	fan_src_stats(s, &st);
	printf("%-19s opens/s %10.0f  events/s %10.0f  delivered %5.1f%%  "
	    "overflows %lu  queue drops %lu\n",
	    unlimited ? "fanotify unlimited" : "fanotify",
	    (double)opens / seconds, (double)got / seconds,
	    opens ? 100.0 * (double)got / (double)opens : 0.0,
	    (unsigned long)st.overflows, (unsigned long)st.queue_drops);
	printf("%-19s reader %.2f us/event (%.0f%% of a core)  consumer "
	    "%.2f us/event  queue high %zu\n", "",
	    got ? (double)st.reader_cpu_ns / 1e3 / (double)st.read_events : 0,
	    100.0 * (double)st.reader_cpu_ns / 1e9 / (seconds + 0.5),
	    got ? cpu * 1e6 / (double)got : 0, st.queue_high);
	fc_event_fini(&ev);
	fan_src_close(s);
}

static void
setup(void)
{
	char p[512];
	int i, fd;

	snprintf(base, sizeof(base), "/tmp/falconet-fanbench.XXXXXX");
	if (mkdtemp(base) == NULL || unshare(CLONE_NEWNS) < 0 ||
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
	    mount("fanbench", base, "tmpfs", 0, "size=64m") < 0) {
		fprintf(stderr, "bench_fan: setup: %s (root needed)\n",
		    strerror(errno));
		exit(1);
	}
	for (i = 0; i < files; i++) {
		snprintf(p, sizeof(p), "%s/f%d", base, i);
		if ((fd = open(p, O_WRONLY | O_CREAT | O_CLOEXEC, 0644)) >= 0)
			close(fd);
	}
}

int
main(int argc, char **argv)
{
	struct fan_features f;
	char line[512];
	int c;

	while ((c = getopt(argc, argv, "t:w:f:")) != -1) {
		switch (c) {
		case 't': seconds = atoi(optarg); break;
		case 'w': workers = atoi(optarg); break;
		case 'f': files = atoi(optarg); break;
		default:
			fprintf(stderr, "usage: bench_fan [-t s] [-w n] [-f n]\n");
			return 2;
		}
	}
	if (seconds <= 0 || workers <= 0 || files <= 0)
		return 2;
	fan_probe(NULL, &f);
	fan_features_str(&f, line, sizeof(line));
	printf("%s\n%d worker(s), %d files, %d s per run\n", line, workers,
	    files, seconds);
	setup();
	run_plain();
	run_fan(false);
	run_fan(true);
	umount2(base, MNT_DETACH);
	rmdir(base);
	return 0;
}
