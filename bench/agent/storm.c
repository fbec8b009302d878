/*
 * storm.c - an exec storm: N workers each fork + exec /bin/true in a loop
 * for T seconds; prints the number of execs and the rate.
 *
 *   storm [-w WORKERS] [-t SECONDS] [-p PROGRAM] [-f]
 *
 * WORKERS defaults to the online CPUs.  Each worker starts the next child
 * as soon as the previous one is reaped.  By default the child is made
 * with vfork() (the fork the C library's posix_spawn uses, the fastest
 * fork + exec there is); -f uses plain fork().  Only children that exec'd
 * and exited 0 are counted.  Output, one line:
 *
 *   execs 123456 seconds 30.001 rate 4115.1 workers 2
 *
 * bench/agent/exec_storm.sh runs it with and without audit consumers.
 * Owns nothing beyond its children, which are always reaped.
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

struct shared {
	atomic_bool	 stop;
	atomic_ulong	 execs[];	/* one per worker */
};

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* One child: 1 when it exec'd PROGRAM and exited 0. */
static int
one(const char *prog, bool plain_fork)
{
	char *const argv[] = { (char *)prog, NULL };
	char *const envp[] = { NULL };
	int status;
	pid_t pid;

	pid = plain_fork ? fork() : vfork();
	if (pid == 0) {
		execve(prog, argv, envp);
		_exit(127);
	}
	if (pid < 0)
		return -1;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

static void
worker(struct shared *sh, int i, const char *prog, bool plain_fork)
{
	int r;

	while (!atomic_load_explicit(&sh->stop, memory_order_relaxed)) {
		if ((r = one(prog, plain_fork)) < 0) {
			perror("storm: fork");
			_exit(1);
		}
		if (r > 0)
			atomic_fetch_add_explicit(&sh->execs[i], 1,
			    memory_order_relaxed);
	}
	_exit(0);
}

static void
usage(void)
{
	fprintf(stderr, "usage: storm [-w WORKERS] [-t SECONDS] "
	    "[-p PROGRAM] [-f]\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	const char *prog = "/bin/true";
	long workers = sysconf(_SC_NPROCESSORS_ONLN);
	double secs = 30, t0, t1;
	unsigned long total = 0;
	bool plain_fork = false;
	struct shared *sh;
	pid_t *pids;
	size_t size;
	int c, bad = 0;

	while ((c = getopt(argc, argv, "w:t:p:f")) != -1) {
		switch (c) {
		case 'w': workers = strtol(optarg, NULL, 10); break;
		case 't': secs = strtod(optarg, NULL); break;
		case 'p': prog = optarg; break;
		case 'f': plain_fork = true; break;
		default: usage();
		}
	}
	if (optind != argc || workers < 1 || workers > 4096 || !(secs > 0))
		usage();
	size = sizeof(*sh) + (size_t)workers * sizeof(sh->execs[0]);
	sh = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
	    -1, 0);
	if (sh == MAP_FAILED || (pids = calloc((size_t)workers,
	    sizeof(*pids))) == NULL) {
		perror("storm");
		return 1;
	}
	memset(sh, 0, size);
	t0 = now_s();
	for (long i = 0; i < workers; i++) {
		if ((pids[i] = fork()) == 0)
			worker(sh, (int)i, prog, plain_fork);
		if (pids[i] < 0) {
			perror("storm: fork");
			atomic_store(&sh->stop, true);
			workers = i;
			bad = 1;
			break;
		}
	}
	while (!bad && now_s() - t0 < secs)
		usleep(10000);
	atomic_store(&sh->stop, true);
	for (long i = 0; i < workers; i++) {
		int st;

		while (waitpid(pids[i], &st, 0) < 0 && errno == EINTR)
			;
		if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
			bad = 1;
	}
	t1 = now_s();
	for (long i = 0; i < workers; i++)
		total += atomic_load(&sh->execs[i]);
	printf("execs %lu seconds %.3f rate %.1f workers %ld\n", total,
	    t1 - t0, (double)total / (t1 - t0), workers);
	return bad;
}
