/*
 * check_fanotify_live.c - the fanotify source against the real kernel
 * (root).  Each test runs in its own mount namespace with a tmpfs of its
 * own (unmounted at the end; the namespace dies with the test's process
 * anyway) and forked children doing the work: the feature probe; an open
 * for read (pid, path, syscall, comm, inode); a file watch filtering its
 * siblings; an exec of a copied /bin/true (execve, exe, comm); exec_all on
 * the real mounts (one event per exec: the ELF interpreter is folded);
 * create/mkdir/rename/unlink/rmdir in FID mode with names, by inode mark
 * and by filesystem mark; falconet's own events and its children's give
 * nothing; a kernel overflow with a tiny kernel queue and our queue's
 * drops, with no event fd left open; a container root (a child in a new
 * mount namespace that pivot_roots into its own tmpfs) marked through
 * /proc/PID/root: paths as seen inside, unmark stops the events;
 * fan_src_set_watches moving the marks (kept, added, removed, a mark
 * shared by a file watch and its directory's kept), on the host and
 * under a marked container root.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check_main.h"
#include "core/event.h"
#include "fanotify/fan_int.h"
#include "fan_test.h"

/* ---- Real kernel: fixture ------------------------------------------------- */

static char base[256];	/* the test's tmpfs */

static void
kernel_setup(void)
{
	snprintf(base, sizeof(base), "/tmp/falconet-fantest.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(base));
	/* A private mount namespace: nothing we mount leaks, even on a crash. */
	ck_assert_int_eq(unshare(CLONE_NEWNS), 0);
	ck_assert_int_eq(mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL), 0);
	ck_assert_int_eq(mount("fantest", base, "tmpfs", 0, "size=64m"), 0);
}

static void
kernel_teardown(void)
{
	umount2(base, MNT_DETACH);
	rmdir(base);
}

static char *
at(const char *rel)
{
	static char buf[4][PATH_MAX];
	static int i;

	i = (i + 1) % 4;
	snprintf(buf[i], sizeof(buf[i]), "%s/%s", base, rel);
	return buf[i];
}

static void
touch(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
}

static struct fan_src *
src_open(const struct fan_watch *w, size_t n, bool keep_children)
{
	struct fan_src_opts o;
	struct fan_src *s;
	char err[256];

	fan_src_opts_default(&o);
	o.watches = w;
	o.nwatches = n;
	o.keep_children = keep_children;
	s = fan_src_open(&o, err, sizeof(err));
	ck_assert_msg(s != NULL, "%s", err);
	return s;
}

/* A child that runs fn when told to, then reports back. */
struct kid {
	pid_t	 pid;
	int	 go[2], done[2];
};

static void
kid_start(struct kid *k, void (*fn)(void *), void *arg, const char *comm)
{
	char c;

	ck_assert_int_eq(pipe(k->go), 0);
	ck_assert_int_eq(pipe(k->done), 0);
	k->pid = fork();
	ck_assert_int_ge(k->pid, 0);
	if (k->pid == 0) {
		close(k->go[1]);
		close(k->done[0]);
		prctl(PR_SET_NAME, comm);
		if (read(k->go[0], &c, 1) != 1)
			_exit(1);
		fn(arg);
		(void)!write(k->done[1], "x", 1);
		if (read(k->go[0], &c, 1) < 0)
			_exit(1);
		_exit(0);
	}
	close(k->go[0]);
	close(k->done[1]);
}

/* Run the child's work and wait until it is done (or has exited). */
static void
kid_go(struct kid *k)
{
	char c;

	ck_assert_int_eq(write(k->go[1], "g", 1), 1);
	(void)!read(k->done[0], &c, 1);
}

static void
kid_end(struct kid *k)
{
	int st;

	close(k->go[1]);
	waitpid(k->pid, &st, 0);
	close(k->done[0]);
}

/* What the tests look at in an event. */
struct got {
	char		 sc[16];
	int		 np;
	char		 p[4][PATH_MAX];
	int		 nt[4];
	uint64_t	 ino, a2;
	char		 comm[32], exe[PATH_MAX];
	uint32_t	 flags;
};

/*
 * Events of pid for ms milliseconds (or until max were seen, plus a
 * 150 ms grace to catch extras).  Returns the count; others are ignored.
 */
static int
collect(struct fan_src *s, pid_t pid, struct got *g, int max, int ms)
{
	int64_t end = fan_mono_ms() + ms, grace = -1;
	struct fc_event ev;
	int n = 0, i;

	fc_event_init(&ev);
	while (fan_mono_ms() < (grace >= 0 ? grace : end)) {
		if (fan_src_next(s, &ev, 20) != 1 || ev.ev_pid != pid)
			continue;
		if (n < max) {
			struct got *x = &g[n];

			memset(x, 0, sizeof(*x));
			snprintf(x->sc, sizeof(x->sc), "%s", ev.ev_syscall_name);
			x->np = ev.ev_npaths;
			for (i = 0; i < ev.ev_npaths && i < 4; i++) {
				snprintf(x->p[i], sizeof(x->p[i]), "%s",
				    ev.ev_paths[i].pt_name.p);
				x->nt[i] = ev.ev_paths[i].pt_nametype;
			}
			x->ino = ev.ev_paths[ev.ev_npaths - 1].pt_inode;
			x->a2 = ev.ev_a[2];
			snprintf(x->comm, sizeof(x->comm), "%s",
			    ev.ev_comm.p ? ev.ev_comm.p : "");
			snprintf(x->exe, sizeof(x->exe), "%s",
			    ev.ev_exe.p ? ev.ev_exe.p : "");
			x->flags = ev.ev_flags;
		}
		if (++n == max)
			grace = fan_mono_ms() + 150;
	}
	fc_event_fini(&ev);
	return n;
}

static int
count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int n = 0;

	ck_assert_ptr_nonnull(d);
	while ((e = readdir(d)) != NULL)
		n += e->d_name[0] != '.';
	closedir(d);
	return n - 1;	/* the DIR's own */
}

/* ---- Real kernel: tests --------------------------------------------------- */

START_TEST(probe_features)
{
	struct fan_features f;
	char line[512];

	ck_assert_int_eq(fan_probe(NULL, &f), 0);
	/* What any 6.x kernel has. */
	ck_assert(f.init & FAN_F_CLASS_NOTIF);
	ck_assert(f.init & FAN_F_CLASS_CONTENT);
	ck_assert(f.init & FAN_F_UNLIMITED_QUEUE);
	ck_assert(f.init & FAN_F_REPORT_FID);
	ck_assert(f.init & FAN_F_REPORT_DIR_FID);
	ck_assert(f.init & FAN_F_REPORT_NAME);
	ck_assert(f.init & FAN_F_REPORT_TID);
	ck_assert(f.init & FAN_F_REPORT_PIDFD);
	ck_assert(f.marks & FAN_M_INODE);
	ck_assert(f.marks & FAN_M_MOUNT);
	ck_assert(f.marks & FAN_M_FILESYSTEM);
	ck_assert(f.marks & FAN_M_OPEN_EXEC);
	ck_assert(f.marks & FAN_M_DIRENT);
	ck_assert(f.marks & FAN_M_RENAME);
	ck_assert(f.marks & FAN_M_EVICTABLE);
	ck_assert(f.marks & FAN_M_IGNORE);
	ck_assert_int_gt(f.max_queued_events, 0);
	fan_features_str(&f, line, sizeof(line));
	ck_assert_ptr_nonnull(strstr(line, "report_name"));
	ck_assert_ptr_nonnull(strstr(line, "filesystem"));
	ck_assert_ptr_nonnull(strstr(line, "open_exec"));
}
END_TEST

static void
do_read(void *arg)
{
	char buf[16];
	int fd = open(arg, O_RDONLY | O_CLOEXEC);

	if (fd >= 0) {
		(void)!read(fd, buf, sizeof(buf));
		close(fd);
	}
}

START_TEST(open_read_event)
{
	struct fan_watch w[] = { { NULL, FAN_OP_READ | FAN_OP_SUBTREE } };
	struct fan_src_stats st;
	struct fan_src *s;
	struct got g[4];
	struct stat sb;
	struct kid k;
	char *secret = at("secret");

	touch(secret, "hush");
	ck_assert_int_eq(stat(secret, &sb), 0);
	w[0].path = base;
	s = src_open(w, 1, true);
	kid_start(&k, do_read, secret, "fan-reader");
	kid_go(&k);
	ck_assert_int_eq(collect(s, k.pid, g, 1, 2000), 1);
	kid_end(&k);
	ck_assert_str_eq(g[0].sc, "openat");
	ck_assert_str_eq(g[0].p[0], secret);
	ck_assert_int_eq(g[0].nt[0], FC_NT_NORMAL);
	ck_assert_uint_eq(g[0].ino, sb.st_ino);
	ck_assert_uint_eq(g[0].a2, O_RDONLY);
	ck_assert_str_eq(g[0].comm, "fan-reader");
	ck_assert(g[0].flags & FAN_EV_FANOTIFY);
	fan_src_stats(s, &st);
	ck_assert_uint_eq(st.fds_open, 0);
	ck_assert(st.fd_group);
	ck_assert_uint_eq(st.marks, 1);
	fan_src_close(s);
}
END_TEST

START_TEST(open_file_watch_filters)
{
	/* A file watch: its parent gets an inode mark, siblings are filtered. */
	struct fan_watch w[] = { { NULL, FAN_OP_READ } };
	struct fan_src_stats st;
	struct fan_src *s;
	struct got g[4];
	struct kid k, k2;
	char *secret = at("secret"), *other = at("other");

	touch(secret, "hush");
	touch(other, "meh");
	w[0].path = secret;
	s = src_open(w, 1, true);
	kid_start(&k, do_read, other, "fan-other");
	kid_go(&k);
	kid_end(&k);	/* before the next fork, which would inherit its pipe */
	kid_start(&k2, do_read, secret, "fan-secret");
	kid_go(&k2);
	kid_end(&k2);
	ck_assert_int_eq(collect(s, k2.pid, g, 1, 2000), 1);
	ck_assert_str_eq(g[0].p[0], secret);
	ck_assert_int_eq(collect(s, k.pid, g, 4, 200), 0);
	fan_src_stats(s, &st);
	ck_assert_uint_ge(st.filtered, 1);
	fan_src_close(s);
}
END_TEST

static void
do_exec(void *arg)
{
	char *argv[] = { arg, NULL };

	execv(arg, argv);
	_exit(127);
}

static void
copy_file(const char *from, const char *to)
{
	char buf[65536];
	int in = open(from, O_RDONLY | O_CLOEXEC);
	int out = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0755);
	ssize_t n;

	ck_assert_int_ge(in, 0);
	ck_assert_int_ge(out, 0);
	while ((n = read(in, buf, sizeof(buf))) > 0)
		ck_assert_int_eq(write(out, buf, (size_t)n), n);
	close(in);
	close(out);
}

START_TEST(exec_event)
{
	struct fan_watch w[] = { { NULL, FAN_OP_EXEC | FAN_OP_SUBTREE } };
	struct fan_src *s;
	struct got g[4];
	struct kid k;
	char *prog = at("true");
	int st;

	copy_file("/bin/true", prog);
	w[0].path = base;
	s = src_open(w, 1, true);
	kid_start(&k, do_exec, prog, "fan-exec");
	ck_assert_int_eq(write(k.go[1], "g", 1), 1);
	waitpid(k.pid, &st, 0);
	ck_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	ck_assert_int_eq(collect(s, k.pid, g, 1, 2000), 1);
	ck_assert_str_eq(g[0].sc, "execve");
	ck_assert_str_eq(g[0].p[0], prog);
	ck_assert_str_eq(g[0].exe, prog);
	ck_assert_str_eq(g[0].comm, "true");
	fan_src_close(s);
}
END_TEST

START_TEST(exec_all_folds_interpreter)
{
	static const char *const skip[] = { "/mnt" };	/* the box's tools */
	struct fan_src_opts o;
	struct fan_src_stats st;
	struct fan_src *s;
	struct got g[4];
	struct kid k;
	char err[256], real[PATH_MAX];
	int status;

	ck_assert_ptr_nonnull(realpath("/bin/true", real));
	fan_src_opts_default(&o);
	o.exec_all = true;
	o.exec_skip = skip;
	o.nexec_skip = 1;
	o.keep_children = true;
	s = fan_src_open(&o, err, sizeof(err));
	ck_assert_msg(s != NULL, "%s", err);
	kid_start(&k, do_exec, (void *)"/bin/true", "fan-exec");
	ck_assert_int_eq(write(k.go[1], "g", 1), 1);
	waitpid(k.pid, &status, 0);
	/* One execve: ld.so's FAN_OPEN_EXEC is folded into it. */
	ck_assert_int_eq(collect(s, k.pid, g, 1, 2000), 1);
	ck_assert_str_eq(g[0].sc, "execve");
	ck_assert_str_eq(g[0].p[0], real);
	fan_src_stats(s, &st);
	ck_assert(st.exec);
	ck_assert_uint_ge(st.marks, 1);
	ck_assert_uint_ge(st.interp, 1);
	fan_src_close(s);
}
END_TEST

static void
do_dirent(void *arg)
{
	char p[PATH_MAX], q[PATH_MAX];
	int fd;

	snprintf(p, sizeof(p), "%s/a", (char *)arg);
	fd = open(p, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
	close(fd);
	snprintf(q, sizeof(q), "%s/d", (char *)arg);
	mkdir(q, 0700);
	snprintf(q, sizeof(q), "%s/b", (char *)arg);
	rename(p, q);
	unlink(q);
	snprintf(q, sizeof(q), "%s/d", (char *)arg);
	rmdir(q);
}

/* The event of syscall sc whose path item i is path (any order: the
 * kernel merges mkdir d + rmdir d when both are still queued). */
static const struct got *
find(const struct got *g, int n, const char *sc, int i, const char *path)
{
	int k;

	for (k = 0; k < n; k++)
		if (strcmp(g[k].sc, sc) == 0 && i < g[k].np &&
		    strcmp(g[k].p[i], path) == 0)
			return &g[k];
	ck_abort_msg("no %s event with path[%d] %s", sc, i, path);
	return NULL;
}

static void
check_dirent_events(const struct got *g, int n, const char *dir)
{
	char a[PATH_MAX], b[PATH_MAX], d[PATH_MAX];
	const struct got *x;

	snprintf(a, sizeof(a), "%s/a", dir);
	snprintf(b, sizeof(b), "%s/b", dir);
	snprintf(d, sizeof(d), "%s/d", dir);
	ck_assert_int_eq(n, 5);
	x = find(g, n, "openat", 1, a);		/* the create */
	ck_assert_uint_eq(x->a2, O_WRONLY | O_CREAT);
	ck_assert_str_eq(x->p[0], dir);
	ck_assert_int_eq(x->nt[0], FC_NT_PARENT);
	ck_assert_int_eq(x->nt[1], FC_NT_CREATE);
	x = find(g, n, "mkdirat", 1, d);
	ck_assert_int_eq(x->nt[1], FC_NT_CREATE);
	x = find(g, n, "renameat", 2, a);
	ck_assert_int_eq(x->np, 4);
	ck_assert_int_eq(x->nt[2], FC_NT_DELETE);
	ck_assert_str_eq(x->p[3], b);
	ck_assert_int_eq(x->nt[3], FC_NT_CREATE);
	x = find(g, n, "unlinkat", 1, b);
	ck_assert_int_eq(x->nt[1], FC_NT_DELETE);
	ck_assert_uint_eq(x->a2, 0);
	x = find(g, n, "unlinkat", 1, d);
	ck_assert_uint_eq(x->a2, AT_REMOVEDIR);
}

START_TEST(dirent_events_fid)
{
	struct fan_watch w[] = { { NULL, FAN_OP_DIRENT } };
	struct fan_src_stats st;
	struct fan_src *s;
	struct got g[8];
	struct kid k;
	char *dir = at("dir");
	int n;

	ck_assert_int_eq(mkdir(dir, 0755), 0);
	w[0].path = dir;
	s = src_open(w, 1, true);
	kid_start(&k, do_dirent, dir, "fan-dirent");
	kid_go(&k);
	n = collect(s, k.pid, g, 5, 2000);
	kid_end(&k);
	check_dirent_events(g, n, dir);
	fan_src_stats(s, &st);
	ck_assert(st.fid_group);
	ck_assert(st.rename);
	fan_src_close(s);
}
END_TEST

START_TEST(dirent_events_subtree)
{
	/* A filesystem mark on the tmpfs; the directory is two levels down. */
	struct fan_watch w[] = { { NULL, FAN_OP_DIRENT | FAN_OP_SUBTREE } };
	struct fan_src *s;
	struct got g[8];
	struct kid k;
	char *dir = at("x/y");
	int n;

	ck_assert_int_eq(mkdir(at("x"), 0755), 0);
	ck_assert_int_eq(mkdir(dir, 0755), 0);
	w[0].path = base;
	s = src_open(w, 1, true);
	kid_start(&k, do_dirent, dir, "fan-dirent");
	kid_go(&k);
	n = collect(s, k.pid, g, 5, 2000);
	kid_end(&k);
	check_dirent_events(g, n, dir);
	fan_src_close(s);
}
END_TEST

START_TEST(own_events_ignored)
{
	struct fan_watch w[] = {
		{ NULL, FAN_OP_READ | FAN_OP_WRITE | FAN_OP_SUBTREE },
		{ NULL, FAN_OP_DIRENT },
	};
	struct fan_src_stats st;
	struct fan_src *s;
	struct got g[4];
	struct kid k;
	char *secret = at("secret");

	touch(secret, "hush");
	w[0].path = w[1].path = base;
	s = src_open(w, 2, false);
	/* Our own opens, writes, creates and deletes. */
	do_read(secret);
	touch(at("mine"), "x");
	unlink(at("mine"));
	/* And a direct child's (falconet's helpers: outputs' programs). */
	kid_start(&k, do_read, secret, "fan-child");
	kid_go(&k);
	ck_assert_int_eq(collect(s, getpid(), g, 4, 300), 0);
	ck_assert_int_eq(collect(s, k.pid, g, 4, 200), 0);
	kid_end(&k);
	fan_src_stats(s, &st);
	ck_assert_uint_eq(st.queued, 0);
	ck_assert_uint_ge(st.self, 4);
	fan_src_close(s);
}
END_TEST

static void
open_many(void *arg)
{
	char p[PATH_MAX];
	int i, fd;

	for (i = 0; i < 2000; i++) {
		snprintf(p, sizeof(p), "%s/f%d", (char *)arg, i);
		if ((fd = open(p, O_RDONLY | O_CLOEXEC)) >= 0)
			close(fd);
	}
}

static void
make_many(const char *dir)
{
	char p[PATH_MAX];
	int i;

	ck_assert_int_eq(mkdir(dir, 0755), 0);
	for (i = 0; i < 2000; i++) {
		snprintf(p, sizeof(p), "%s/f%d", dir, i);
		touch(p, "");
	}
}

/* Set a fanotify sysctl; returns the old value. */
static long
set_sysctl(const char *name, long v)
{
	char path[128];
	long old = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/sys/fs/fanotify/%s", name);
	ck_assert_ptr_nonnull(f = fopen(path, "r+"));
	ck_assert_int_eq(fscanf(f, "%ld", &old), 1);
	rewind(f);
	fprintf(f, "%ld\n", v);
	fclose(f);
	return old;
}

START_TEST(kernel_overflow_counted)
{
	struct fan_watch w[] = { { NULL, FAN_OP_READ | FAN_OP_SUBTREE } };
	struct fan_src_stats st;
	struct fan_src *s;
	struct got g[1];
	struct kid k;
	long old;
	int fds0;

	make_many(at("many"));
	w[0].path = base;
	fds0 = count_fds();
	/* A 32-event kernel queue: set for our group only, restored at once. */
	old = set_sysctl("max_queued_events", 32);
	s = src_open(w, 1, true);
	set_sysctl("max_queued_events", old);
	kid_start(&k, open_many, at("many"), "fan-burst");
	kid_go(&k);
	collect(s, k.pid, g, 1, 1500);
	kid_end(&k);
	fan_src_stats(s, &st);
	ck_assert_uint_ge(st.overflows, 1);
	ck_assert_uint_lt(st.queued, 2000);
	ck_assert_uint_eq(st.fds_open, 0);
	fan_src_close(s);
	ck_assert_int_eq(count_fds(), fds0);	/* every event fd closed */
}
END_TEST

START_TEST(queue_drops_counted)
{
	struct fan_watch w[] = { { NULL, FAN_OP_READ | FAN_OP_SUBTREE } };
	struct fan_src_opts o;
	struct fan_src_stats st;
	struct fan_src *s;
	struct kid k;
	char err[256];
	int fds0, i;

	make_many(at("many"));
	fds0 = count_fds();
	fan_src_opts_default(&o);
	w[0].path = base;
	o.watches = w;
	o.nwatches = 1;
	o.keep_children = true;
	o.queue_events = 4;
	o.unlimited_queue = true;	/* so the kernel never overflows */
	ck_assert_ptr_nonnull(s = fan_src_open(&o, err, sizeof(err)));
	kid_start(&k, open_many, at("many"), "fan-burst");
	kid_go(&k);
	kid_end(&k);
	/* Wait until the reader has seen the whole burst (nothing is popped). */
	for (i = 0; i < 300; i++) {
		fan_src_stats(s, &st);
		if (st.queued + st.queue_drops >= 2000)
			break;
		usleep(10000);
	}
	ck_assert_uint_eq(st.overflows, 0);
	ck_assert_uint_eq(st.queued, 4);
	ck_assert_uint_eq(st.queue_drops, 1996);
	ck_assert_uint_eq(st.queue_depth, 4);
	ck_assert_uint_eq(st.fds_open, 0);
	fan_src_close(s);
	ck_assert_int_eq(count_fds(), fds0);
}
END_TEST

/* ---- Real kernel: changing the watches ------------------------------------ */

static void
do_read_all(void *arg)
{
	char **p;

	for (p = arg; *p != NULL; p++)
		do_read(*p);
}

/*
 * A child reads each of paths (NULL-terminated); the events it caused,
 * in order, as "p0 p1 ..." in out.
 */
static int
read_seen(struct fan_src *s, char **paths, char *out, size_t outsz)
{
	struct got g[8];
	struct kid k;
	int n, i;
	size_t off = 0;

	kid_start(&k, do_read_all, paths, "fan-rewatch");
	kid_go(&k);
	kid_end(&k);
	n = collect(s, k.pid, g, 8, 400);
	out[0] = '\0';
	for (i = 0; i < n && i < 8 && off < outsz; i++)
		off += (size_t)snprintf(out + off, outsz - off, "%s%s",
		    i ? " " : "", g[i].p[0] + strlen(base) + 1);
	return n;
}

START_TEST(set_watches_moves_marks)
{
	struct fan_watch w[3];
	struct fan_src_stats st;
	struct fan_src *s;
	char seen[1024], err[256];
	char *a = strdup(at("a")), *ax = strdup(at("a/x")), *b = strdup(at("b"));
	char *all[] = { ax, strdup(at("a/other")), strdup(at("b/y")), NULL };

	ck_assert_int_eq(mkdir(a, 0755), 0);
	ck_assert_int_eq(mkdir(b, 0755), 0);
	touch(all[0], "x");
	touch(all[1], "o");
	touch(all[2], "y");
	w[0] = (struct fan_watch){ a, FAN_OP_READ };
	s = src_open(w, 1, true);
	ck_assert_int_eq(read_seen(s, all, seen, sizeof(seen)), 2);
	ck_assert_str_eq(seen, "a/x a/other");
	/* a -> b: b's events, none of a's. */
	w[0] = (struct fan_watch){ b, FAN_OP_READ };
	ck_assert_int_eq(fan_src_set_watches(s, w, 1, err, sizeof(err)), 1);
	fan_src_stats(s, &st);
	ck_assert_uint_eq(st.marks, 1);
	ck_assert_int_eq(read_seen(s, all, seen, sizeof(seen)), 1);
	ck_assert_str_eq(seen, "b/y");
	/* b stays (no mark added for it), plus a and the file a/x. */
	w[1] = (struct fan_watch){ a, FAN_OP_READ };
	w[2] = (struct fan_watch){ ax, FAN_OP_READ };
	ck_assert_int_eq(fan_src_set_watches(s, w, 3, err, sizeof(err)), 2);
	ck_assert_int_eq(read_seen(s, all, seen, sizeof(seen)), 3);
	ck_assert_str_eq(seen, "a/x a/other b/y");
	/* Only the file a/x: a's mark, which it shares, stays; b's goes. */
	w[0] = (struct fan_watch){ ax, FAN_OP_READ };
	ck_assert_int_eq(fan_src_set_watches(s, w, 1, err, sizeof(err)), 0);
	fan_src_stats(s, &st);
	ck_assert_uint_eq(st.marks, 1);
	ck_assert_int_eq(read_seen(s, all, seen, sizeof(seen)), 1);
	ck_assert_str_eq(seen, "a/x");
	/* Bad input changes nothing. */
	w[1] = (struct fan_watch){ "/proc/self", FAN_OP_READ };
	ck_assert_int_eq(fan_src_set_watches(s, w, 2, err, sizeof(err)),
	    -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "/proc/self"));
	ck_assert_int_eq(read_seen(s, all, seen, sizeof(seen)), 1);
	ck_assert_str_eq(seen, "a/x");
	/* No watches at all: nothing, and every mark removed. */
	ck_assert_int_eq(fan_src_set_watches(s, NULL, 0, err, sizeof(err)), 0);
	fan_src_stats(s, &st);
	ck_assert_uint_eq(st.marks, 0);
	ck_assert_int_eq(read_seen(s, all, seen, sizeof(seen)), 0);
	fan_src_stats(s, &st);
	ck_assert_uint_eq(st.fds_open, 0);
	fan_src_close(s);
	free(a);
	free(ax);
	free(b);
	free(all[1]);
	free(all[2]);
}
END_TEST

/* ---- Real kernel: a container root ---------------------------------------- */

/* The "container": its own mount namespace, pivot_root'ed into a tmpfs. */
static void
ctr_child(int ready, int go, int done)
{
	char c, root[512], old[600];
	int i, fd;

	snprintf(root, sizeof(root), "%s/ctr", base);
	snprintf(old, sizeof(old), "%s/old", root);
	prctl(PR_SET_NAME, "fan-ctr");
	if (unshare(CLONE_NEWNS) < 0 ||
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
	    mount("ctr", root, "tmpfs", 0, "size=8m") < 0)
		_exit(2);
	if (mkdir(old, 0700) < 0 || syscall(SYS_pivot_root, root, old) < 0 ||
	    chdir("/") < 0 || umount2("/old", MNT_DETACH) < 0)
		_exit(3);
	rmdir("/old");
	mkdir("/fantest-data", 0755);
	mkdir("/fantest-cfg", 0755);
	touch("/fantest-data/secret", "in the container");
	(void)!write(ready, "r", 1);
	for (i = 0; read(go, &c, 1) == 1; i++) {
		do_read("/fantest-data/secret");
		if (i == 0 && (fd = open("/fantest-cfg/new", O_WRONLY | O_CREAT |
		    O_CLOEXEC, 0600)) >= 0)
			close(fd);
		(void)!write(done, "d", 1);
	}
	_exit(0);
}

START_TEST(container_root_marked)
{
	struct fan_watch w[] = {
		{ "/fantest-data", FAN_OP_READ | FAN_OP_SUBTREE },
		{ "/fantest-cfg", FAN_OP_DIRENT },
	};
	int ready[2], go[2], done[2], st;
	struct fan_src_stats fs;
	struct fan_src *s;
	struct got g[4];
	char err[256], c;
	pid_t pid;

	ck_assert_int_eq(mkdir(at("ctr"), 0755), 0);
	ck_assert_int_eq(pipe(ready), 0);
	ck_assert_int_eq(pipe(go), 0);
	ck_assert_int_eq(pipe(done), 0);
	if ((pid = fork()) == 0) {
		close(go[1]);	/* so that our close() ends its loop */
		ctr_child(ready[1], go[0], done[1]);
	}
	close(go[0]);
	ck_assert_int_eq(read(ready[0], &c, 1), 1);
	/* The host has neither /data nor /cfg: nothing marked, still fine. */
	s = src_open(w, 2, true);
	ck_assert_int_eq(fan_src_mark_root(s, getpid(), err, sizeof(err)),
	    -EINVAL);
	ck_assert_int_eq(fan_src_mark_root(s, pid, err, sizeof(err)), 2);
	ck_assert_int_eq(fan_src_mark_root(s, pid, err, sizeof(err)), -EEXIST);
	fan_src_stats(s, &fs);
	ck_assert_uint_eq(fs.roots, 1);
	ck_assert_uint_eq(fs.marks, 2);
	ck_assert_int_eq(write(go[1], "g", 1), 1);
	ck_assert_int_eq(read(done[0], &c, 1), 1);
	/* Paths as seen inside the container, which the host does not have. */
	ck_assert_int_eq(collect(s, pid, g, 2, 2000), 2);
	ck_assert_str_eq(g[0].sc, "openat");
	ck_assert_str_eq(g[0].p[0], "/fantest-data/secret");
	ck_assert_str_eq(g[0].comm, "fan-ctr");
	ck_assert_str_eq(g[1].sc, "openat");
	ck_assert_str_eq(g[1].p[0], "/fantest-cfg");
	ck_assert_str_eq(g[1].p[1], "/fantest-cfg/new");
	ck_assert_int_eq(g[1].nt[1], FC_NT_CREATE);
	/* The watches change: the container's mark on /fantest-data goes. */
	ck_assert_int_eq(fan_src_set_watches(s, &w[1], 1, err, sizeof(err)), 0);
	fan_src_stats(s, &fs);
	ck_assert_uint_eq(fs.roots, 1);
	ck_assert_uint_eq(fs.marks, 1);
	ck_assert_int_eq(write(go[1], "g", 1), 1);
	ck_assert_int_eq(read(done[0], &c, 1), 1);
	ck_assert_int_eq(collect(s, pid, g, 4, 300), 0);
	/* ... and comes back with a watch that names it again. */
	ck_assert_int_eq(fan_src_set_watches(s, w, 2, err, sizeof(err)), 1);
	ck_assert_int_eq(write(go[1], "g", 1), 1);
	ck_assert_int_eq(read(done[0], &c, 1), 1);
	ck_assert_int_eq(collect(s, pid, g, 1, 2000), 1);
	ck_assert_str_eq(g[0].p[0], "/fantest-data/secret");
	/* Unmarked: the container's opens are no longer seen. */
	ck_assert_int_eq(fan_src_unmark_root(s, pid), 0);
	ck_assert_int_eq(fan_src_unmark_root(s, pid), -ENOENT);
	ck_assert_int_eq(write(go[1], "g", 1), 1);
	ck_assert_int_eq(read(done[0], &c, 1), 1);
	ck_assert_int_eq(collect(s, pid, g, 4, 300), 0);
	fan_src_stats(s, &fs);
	ck_assert_uint_eq(fs.roots, 0);
	ck_assert_uint_eq(fs.marks, 0);
	close(go[1]);
	waitpid(pid, &st, 0);
	ck_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	fan_src_close(s);
}
END_TEST

void
fan_test_add_live(Suite *s)
{
	TCase *tc = tcase_create("kernel");

	tcase_add_checked_fixture(tc, kernel_setup, kernel_teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, probe_features);
	tcase_add_test(tc, open_read_event);
	tcase_add_test(tc, open_file_watch_filters);
	tcase_add_test(tc, exec_event);
	tcase_add_test(tc, exec_all_folds_interpreter);
	tcase_add_test(tc, dirent_events_fid);
	tcase_add_test(tc, dirent_events_subtree);
	tcase_add_test(tc, own_events_ignored);
	tcase_add_test(tc, kernel_overflow_counted);
	tcase_add_test(tc, queue_drops_counted);
	tcase_add_test(tc, set_watches_moves_marks);
	tcase_add_test(tc, container_root_marked);
	suite_add_tcase(s, tc);
}
