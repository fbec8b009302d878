/*
 * bench_proc.c - what the process table costs: a lookup, an ancestor
 * walk, an exec update from an audit event and from /proc, a fork+exit,
 * a /proc seed, and the CPU the connector thread spends per process in
 * a fork+exec+exit storm.  `make bench-proc` builds and runs it (root:
 * the connector needs CAP_NET_ADMIN).  Prints one line per figure.
 */
#include "config.h"

#include <poll.h>
#include <pthread.h>
#include <spawn.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "audit/audit.h"
#include "proc/proc.h"

extern char **environ;

#define T0	1700000000000000000ull

static uint64_t
now_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void
report(const char *what, uint64_t ns, uint64_t n)
{
	printf("%-44s %10.1f ns/op  (%llu ops)\n", what, (double)ns / (double)n,
	    (unsigned long long)n);
}

static struct ptree *
api_tree(void)
{
	struct ptree_opts o = { 0 };
	char dir[] = "/tmp/bench_proc.XXXXXX";
	struct ptree *t;

	/* An empty /proc root: only the API feeds this table. */
	if (mkdtemp(dir) == NULL)
		exit(1);
	o.proc_root = dir;
	o.max_entries = 65536;
	t = ptree_new(&o);
	rmdir(dir);	/* the table keeps its fd: an empty, removed /proc */
	if (t == NULL)
		exit(1);
	return t;
}

static void
bench_lookups(void)
{
	struct ptree *t = api_tree();
	const struct ptree_proc *p, *out[16];
	uint64_t t0, n = 2000000, i, k;
	pid_t pid;

	/* 10,000 processes: chains of depth 8 under one root. */
	ptree_fork(t, 1, 100, 100, T0);
	ptree_set_comm(t, 100, "root");
	for (pid = 101; pid < 10101; pid++)
		ptree_fork(t, (pid - 101) % 8 == 0 ? 100 : pid - 1, pid, pid,
		    T0 + (uint64_t)pid * 1000);
	t0 = now_ns(CLOCK_MONOTONIC);
	for (i = 0; i < n; i++) {
		p = ptree_get_at(t, (pid_t)(101 + i % 10000), T0 + 20000000);
		ptree_proc_unref(p);
	}
	report("ptree_get_at + unref (10k entries)", now_ns(CLOCK_MONOTONIC) - t0,
	    n);
	p = ptree_get(t, 10100);
	t0 = now_ns(CLOCK_MONOTONIC);
	for (i = 0; i < n / 4; i++) {
		k = ptree_ancestors(t, p, out, 16);
		while (k > 0)
			ptree_proc_unref(out[--k]);
	}
	report("ptree_ancestors, 8 levels, + unrefs", now_ns(CLOCK_MONOTONIC) - t0,
	    n / 4);
	t0 = now_ns(CLOCK_MONOTONIC);
	for (i = 0; i < n / 4; i++)
		ptree_proc_unref(ptree_ancestor(t, p, 2));
	report("ptree_ancestor(p, 2) (aname[2])", now_ns(CLOCK_MONOTONIC) - t0,
	    n / 4);
	ptree_proc_unref(p);
	t0 = now_ns(CLOCK_MONOTONIC);
	for (i = 0; i < n / 10; i++) {
		pid = (pid_t)(20000 + i % 20000);
		ptree_fork(t, 100, pid, pid, T0 + 1000000000ull + i * 1000);
		ptree_exit(t, pid, T0 + 1000000000ull + i * 1000 + 500);
	}
	report("ptree_fork + ptree_exit", now_ns(CLOCK_MONOTONIC) - t0, n / 10);
	ptree_free(t);
}

static void
bench_exec_audit(void)
{
	static const char ev_text[] =
	    "type=SYSCALL msg=audit(1700000000.005:10): arch=c000003e "
	    "syscall=59 success=yes exit=0 a0=1 a1=2 a2=3 a3=0 items=2 "
	    "ppid=100 pid=200 auid=1000 uid=1000 gid=1000 euid=0 suid=0 "
	    "fsuid=0 egid=0 sgid=0 fsgid=0 tty=pts0 ses=3 comm=\"curl\" "
	    "exe=\"/usr/bin/curl\" key=(null)\n"
	    "type=EXECVE msg=audit(1700000000.005:10): argc=5 a0=\"curl\" "
	    "a1=\"-s\" a2=\"-o\" a3=\"/tmp/x\" a4=\"http://example.com/a\"\n"
	    "type=CWD msg=audit(1700000000.005:10): cwd=\"/home/alice\"\n";
	struct ptree *t = api_tree();
	struct fc_event ev;
	struct aud_record rec;
	const char *p = ev_text, *nl;
	uint64_t t0, i, n = 500000;

	fc_event_init(&ev);
	while ((nl = strchr(p, '\n')) != NULL) {
		aud_rec_parse_line(p, (size_t)(nl - p), &rec);
		aud_event_add_record(&ev, &rec);
		p = nl + 1;
	}
	aud_event_finish(&ev);
	ptree_fork(t, 1, 100, 100, T0);
	ptree_fork(t, 100, 200, 200, T0 + 1000);
	t0 = now_ns(CLOCK_MONOTONIC);
	for (i = 0; i < n; i++) {
		/* A new exec each time: 1 s apart, never merged. */
		ev.ev_sec = 1700000000 + i;
		ptree_exec(t, 200, &ev);
	}
	report("ptree_exec (audit EXECVE, 5 args)", now_ns(CLOCK_MONOTONIC) - t0,
	    n);
	fc_event_fini(&ev);
	ptree_free(t);
}

static void
bench_exec_proc(uint32_t flags, uint32_t rd, const char *what)
{
	struct ptree_opts o = { 0 };
	struct ptree *t;
	uint64_t t0, i, n = 20000;

	o.flags = flags;
	o.exec_read = rd;
	t = ptree_new(&o);
	ptree_fork(t, getppid(), getpid(), getpid(), ptree_now_ns());
	/* CPU time: the machine may be busy with other work. */
	t0 = now_ns(CLOCK_PROCESS_CPUTIME_ID);
	for (i = 0; i < n; i++)
		ptree_exec_proc(t, getpid(), ptree_now_ns() + i * 1000000000ull);
	report(what, now_ns(CLOCK_PROCESS_CPUTIME_ID) - t0, n);
	ptree_free(t);
}

static void
bench_seed(void)
{
	struct ptree_stats st;
	struct ptree *t;
	uint64_t t0, total = 0;
	int i, n = 20;

	for (i = 0; i < n; i++) {
		t = ptree_new(NULL);
		t0 = now_ns(CLOCK_MONOTONIC);
		ptree_seed(t);
		total += now_ns(CLOCK_MONOTONIC) - t0;
		ptree_get_stats(t, &st);
		ptree_free(t);
	}
	printf("%-44s %10.1f us/scan (%llu processes, %llu B of entries)\n",
	    "ptree_seed of /proc", (double)total / n / 1000.0,
	    (unsigned long long)st.entries, (unsigned long long)st.bytes);
}

struct storm {
	struct ptree	*t;
	struct pconn	*c;
	atomic_int	 stop;
	uint64_t	 cpu_ns;
};

static void *
storm_reader(void *arg)
{
	struct storm *s = arg;
	struct pollfd pfd = { pconn_fd(s->c), POLLIN, 0 };
	uint64_t c0 = now_ns(CLOCK_THREAD_CPUTIME_ID);

	while (!atomic_load(&s->stop))
		if (poll(&pfd, 1, 20) > 0)
			pconn_read(s->c, s->t);
	while (pconn_read(s->c, s->t) > 0)
		;
	s->cpu_ns = now_ns(CLOCK_THREAD_CPUTIME_ID) - c0;
	return NULL;
}

static void
bench_storm(uint32_t rd, const char *what)
{
	char *argv[] = { "/bin/true", "a", "b", NULL };
	struct pconn_stats cs;
	struct storm s = { 0 };
	pthread_t th;
	char err[256];
	uint64_t t0, wall;
	int i, n = 3000, st;
	pid_t pid;
	struct ptree_opts o = { 0 };

	o.exec_read = rd;
	s.t = ptree_new(&o);
	if ((s.c = pconn_open(err, sizeof(err))) == NULL) {
		printf("storm: %s (run as root)\n", err);
		ptree_free(s.t);
		return;
	}
	ptree_seed(s.t);
	atomic_init(&s.stop, 0);
	pthread_create(&th, NULL, storm_reader, &s);
	t0 = now_ns(CLOCK_MONOTONIC);
	for (i = 0; i < n; i++) {
		posix_spawn(&pid, "/bin/true", NULL, NULL, argv, environ);
		waitpid(pid, &st, 0);
	}
	wall = now_ns(CLOCK_MONOTONIC) - t0;
	usleep(100000);
	atomic_store(&s.stop, 1);
	pthread_join(th, NULL);
	pconn_get_stats(s.c, &cs);
	printf("%-44s %10.1f us CPU/process (%d spawns, %.0f/s; events: "
	    "%llu fork %llu exec %llu exit, %llu overruns)\n",
	    what, (double)s.cpu_ns / n / 1000.0,
	    n, n / ((double)wall / 1e9), (unsigned long long)cs.forks,
	    (unsigned long long)cs.execs, (unsigned long long)cs.exits,
	    (unsigned long long)cs.overruns);
	pconn_close(s.c);
	ptree_free(s.t);
}

int
main(void)
{
	bench_lookups();
	bench_exec_audit();
	bench_exec_proc(0, PTREE_R_NONE, "ptree_exec_proc, exec_read stat only");
	bench_exec_proc(0, PTREE_R_CGROUP, "ptree_exec_proc, stat+cgroup");
	bench_exec_proc(0, PTREE_R_STATUS | PTREE_R_CGROUP,
	    "ptree_exec_proc, stat+status+cgroup");
	bench_exec_proc(0, 0, "ptree_exec_proc, default (all)");
	bench_exec_proc(PTREE_O_EXE_LAYER, 0,
	    "ptree_exec_proc, all + is_exe_upper_layer");
	bench_seed();
	bench_storm(0, "connector thread, storm, exec_read default");
	bench_storm(PTREE_R_CGROUP, "connector thread, storm, stat+cgroup");
	return 0;
}
