/*
 * check_pconn.c - the process table on the real kernel (root): the /proc
 * seed sees this test, the proc connector sees fork, exec and exit of
 * children with their parent, exe and args, short-lived chains resolve
 * after their parents exited, is_exe_upper_layer on an overlay mount
 * (in a private mount namespace), and receive-buffer overruns.
 *
 * Every test reads the connector from a thread of its own while the
 * workload runs, as the daemon does.  Other processes of the machine
 * produce events too: the tests look only at their own processes.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/buf.h"
#include "proc/proc.h"
#include "proc/proc_int.h"
#include "check_main.h"

extern char **environ;

/* ---- Harness ------------------------------------------------------------ */

struct live {
	struct ptree	*t;
	struct pconn	*c;
	pthread_t	 th;
	atomic_int	 stop;
	atomic_int	 err;		/* a failed pconn_wait */
};

/* The agent's loop: pconn_wait (test_overrun drives pconn_read). */
static void *
live_loop(void *arg)
{
	struct live *l = arg;

	int r;

	while (!atomic_load(&l->stop))
		if ((r = pconn_wait(l->c, l->t, 20)) < 0)
			atomic_store(&l->err, r);	/* asserted by live_drain */
	return NULL;
}

static void
live_start(struct live *l, uint32_t flags)
{
	struct ptree_opts o = { 0 };
	char err[256];

	o.flags = flags;
	ck_assert_ptr_nonnull(l->t = ptree_new(&o));
	l->c = pconn_open(err, sizeof(err));
	ck_assert_msg(l->c != NULL, "%s", err);
	/* Open the connector first, then seed: nothing falls in between. */
	ck_assert_int_gt(ptree_seed(l->t), 0);
	atomic_init(&l->stop, 0);
	atomic_init(&l->err, 0);
	ck_assert_int_eq(pthread_create(&l->th, NULL, live_loop, l), 0);
}

/* Stop the thread and apply what is still queued. */
static void
live_drain(struct live *l)
{
	unsigned i;

	atomic_store(&l->stop, 1);
	pthread_join(l->th, NULL);
	ck_assert_int_eq(atomic_load(&l->err), 0);
	for (i = 0; i < 200 && pconn_read(l->c, l->t) > 0; i++)
		;
}

static void
live_stop(struct live *l)
{
	pconn_close(l->c);
	ptree_free(l->t);
}

static pid_t
spawn(const char *path, char *const argv[])
{
	pid_t pid;

	ck_assert_int_eq(posix_spawn(&pid, path, NULL, NULL, argv, environ), 0);
	return pid;
}

static void
reap(pid_t pid)
{
	int st;

	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert(WIFEXITED(st));
	ck_assert_int_eq(WEXITSTATUS(st), 0);
}

static void
read_text(const char *path, char *out, size_t cap)
{
	FILE *f = fopen(path, "r");
	size_t n;

	ck_assert_ptr_nonnull(f);
	n = fread(out, 1, cap - 1, f);
	fclose(f);
	out[n] = '\0';
	if (n > 0 && out[n - 1] == '\n')
		out[n - 1] = '\0';
}

static const char *
cmdline_of(const struct ptree_proc *p, struct fc_buf *b)
{
	fc_buf_reset(b);
	ptree_proc_cmdline(p, b);
	fc_buf_addc(b, '\0');
	return b->p;
}

/* Children of p in the table (tests only: walks the private lists). */
static unsigned
children(struct ptree *t, const struct ptree_proc *p,
    const struct ptree_proc **out, unsigned max)
{
	struct pt_node *n;
	unsigned k = 0, i;

	pthread_rwlock_rdlock(&t->lock);
	for (i = 0; i < PT_NLISTS; i++)
		TAILQ_FOREACH(n, &t->lists[i], link)
			if (k < max && n->ent->p.pr_ppid == p->pr_pid &&
			    n->ent->p.pr_pstart_ns == p->pr_start_ns)
				out[k++] = ptree_proc_ref(&n->ent->p);
	pthread_rwlock_unlock(&t->lock);
	return k;
}

/* ---- Seed ---------------------------------------------------------------- */

START_TEST(test_seed_self)
{
	struct ptree *t = ptree_new(NULL);
	const struct ptree_proc *p, *par;
	char comm[32], pcomm[32], exe[4096], path[64];
	ssize_t n;
	struct fc_buf b;

	fc_buf_init(&b, 1 << 16);
	ck_assert_ptr_nonnull(t);
	ck_assert_int_gt(ptree_seed(t), 1);
	read_text("/proc/self/comm", comm, sizeof(comm));
	ck_assert_str_eq(comm, "check_pconn");
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	ck_assert_int_gt(n, 0);
	exe[n] = '\0';
	snprintf(path, sizeof(path), "/proc/%d/comm", (int)getppid());
	read_text(path, pcomm, sizeof(pcomm));

	p = ptree_get(t, getpid());
	ck_assert_ptr_nonnull(p);
	ck_assert_str_eq(p->pr_comm, "check_pconn");
	ck_assert_str_eq(p->pr_exepath.p, exe);
	ck_assert_int_eq(p->pr_ppid, getppid());
	ck_assert_int_eq(p->pr_vpid, getpid());
	ck_assert_int_eq(p->pr_sid, getsid(0));
	ck_assert_uint_eq(p->pr_euid, geteuid());
	/* No arguments: the cmdline is the comm. */
	ck_assert_uint_eq(p->pr_nargs, 0);
	ck_assert_str_eq(cmdline_of(p, &b), "check_pconn");
	ck_assert(strstr(p->pr_exe.p, "check_pconn") != NULL);
	ck_assert(p->pr_flags & PTREE_F_CAPS);
	par = ptree_ancestor(t, p, 1);
	ck_assert_ptr_nonnull(par);
	ck_assert_int_eq(par->pr_pid, getppid());
	ck_assert_str_eq(par->pr_comm, pcomm);
	ck_assert_uint_eq(p->pr_pstart_ns, par->pr_start_ns);
	ptree_proc_unref(par);
	ptree_proc_unref(p);
	ptree_free(t);
	fc_buf_fini(&b);
}
END_TEST

/* ---- The connector ------------------------------------------------------- */

/* /bin/true x y, stopped by ptrace right after its exec, then let go. */
START_TEST(test_connector_exec_stopped)
{
	struct live l;
	const struct ptree_proc *p, *par, *self;
	struct fc_buf b;
	pid_t pid;
	int st, i;

	fc_buf_init(&b, 1 << 16);
	live_start(&l, 0);
	if ((pid = fork()) == 0) {
		ptrace(PTRACE_TRACEME, 0, NULL, NULL);
		execl("/bin/true", "/bin/true", "x", "y z", (char *)NULL);
		_exit(127);
	}
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert(WIFSTOPPED(st) && WSTOPSIG(st) == SIGTRAP);
	/* Stopped after the exec: the reader thread reads its image. */
	for (i = 0; i < 500; i++) {
		p = ptree_get(l.t, pid);
		if (p != NULL && p->pr_exec_ns != 0 &&
		    !(p->pr_flags & PTREE_F_STALE))
			break;
		ptree_proc_unref(p);
		p = NULL;
		usleep(10000);
	}
	ck_assert_ptr_nonnull(p);
	ptree_proc_unref(p);
	ck_assert_int_eq(ptrace(PTRACE_DETACH, pid, NULL, NULL), 0);
	reap(pid);
	live_drain(&l);

	p = ptree_get(l.t, pid);
	ck_assert_str_eq(p->pr_comm, "true");
	ck_assert_str_eq(p->pr_exe.p, "/bin/true");
	ck_assert_str_eq(p->pr_exepath.p, "/usr/bin/true");
	ck_assert_str_eq(cmdline_of(p, &b), "true x y z");
	ck_assert_uint_eq(p->pr_nargs, 2);
	ck_assert_uint_eq(p->pr_flags & (PTREE_F_FORKED | PTREE_F_PROC_EXEC |
	    PTREE_F_EXITED), PTREE_F_FORKED | PTREE_F_PROC_EXEC |
	    PTREE_F_EXITED);
	ck_assert_uint_ge(p->pr_exec_ns, p->pr_start_ns);
	ck_assert_uint_ge(p->pr_exit_ns, p->pr_exec_ns);
	par = ptree_ancestor(l.t, p, 1);
	self = ptree_get(l.t, getpid());
	ck_assert_ptr_eq(par, self);	/* the very entry, by (pid, start) */
	ck_assert_int_eq(par->pr_pid, getpid());
	ptree_proc_unref(par);
	ptree_proc_unref(self);
	ptree_proc_unref(p);
	live_stop(&l);
	fc_buf_fini(&b);
}
END_TEST

/*
 * /bin/true via posix_spawn, 20 times, the reader racing the child: the
 * fork (with its parent), the exec time and the exit are always there;
 * the image is /bin/true's when the reader won the race, else the entry
 * is flagged stale (the audit EXECVE event fills it in the daemon).
 */
START_TEST(test_connector_spawn_true)
{
	char *argv[] = { "/bin/true", "x", "y", NULL };
	const struct ptree_proc *p;
	struct fc_buf b;
	struct live l;
	pid_t pids[20];
	int i, won = 0;

	fc_buf_init(&b, 1 << 16);
	live_start(&l, 0);
	for (i = 0; i < 20; i++) {
		pids[i] = spawn("/bin/true", argv);
		reap(pids[i]);
	}
	live_drain(&l);
	for (i = 0; i < 20; i++) {
		p = ptree_get(l.t, pids[i]);
		ck_assert_ptr_nonnull(p);
		ck_assert_int_eq(p->pr_ppid, getpid());
		ck_assert(p->pr_flags & PTREE_F_FORKED);
		ck_assert(p->pr_flags & PTREE_F_EXITED);
		ck_assert_uint_ne(p->pr_exec_ns, 0);
		if (!(p->pr_flags & PTREE_F_STALE)) {
			ck_assert_str_eq(p->pr_exepath.p, "/usr/bin/true");
			ck_assert_str_eq(cmdline_of(p, &b), "true x y");
			won++;
		} else {
			/* Gone (or a zombie) when read: never a wrong image. */
			ck_assert(strcmp(p->pr_comm, "check_pconn") == 0 ||
			    strcmp(p->pr_comm, "true") == 0);
		}
		ptree_proc_unref(p);
	}
	fprintf(stderr, "# spawn_true: the /proc read won the race %d/20\n",
	    won);
	live_stop(&l);
	fc_buf_fini(&b);
}
END_TEST

/*
 * sh -c 'sh -c "exec sleep 0"': the outer dash (A) forks the inner one
 * (B), which execs sleep in place.  After both exited, B's ancestry is A
 * then this test; B's last image is sleep (or flagged stale: it was gone
 * before /proc could be read).
 */
START_TEST(test_chain_exec_in_place)
{
	char *argv[] = { "sh", "-c", "sh -c \"exec sleep 0\"", NULL };
	const struct ptree_proc *a, *b[2], *out[4];
	struct live l;
	unsigned k;
	pid_t pid;

	live_start(&l, 0);
	pid = spawn("/bin/sh", argv);
	reap(pid);
	live_drain(&l);
	a = ptree_get(l.t, pid);
	ck_assert_ptr_nonnull(a);
	ck_assert(a->pr_flags & PTREE_F_EXITED);
	ck_assert_uint_eq(children(l.t, a, b, 2), 1);
	ck_assert(b[0]->pr_flags & PTREE_F_EXITED);
	ck_assert_msg(strcmp(b[0]->pr_comm, "sleep") == 0 ||
	    (b[0]->pr_flags & PTREE_F_STALE), "comm %s flags %x",
	    b[0]->pr_comm, b[0]->pr_flags);
	ck_assert_uint_eq(children(l.t, b[0], out, 4), 0);
	k = ptree_ancestors(l.t, b[0], out, 3);
	ck_assert_uint_eq(k, 3);
	ck_assert_ptr_eq(out[0], a);
	ck_assert_int_eq(out[1]->pr_pid, getpid());
	ck_assert_str_eq(out[1]->pr_comm, "check_pconn");
	ck_assert_int_eq(out[2]->pr_pid, getppid());
	while (k > 0)
		ptree_proc_unref(out[--k]);
	ptree_proc_unref(b[0]);
	ptree_proc_unref(a);
	live_stop(&l);
}
END_TEST

/*
 * sh -c 'sh -c "sleep S; true"; true': outer sh A forks inner sh B, B
 * forks sleep C.  After all of them exited, C's ancestry is B, A, this
 * test: aname[1], aname[2], aname[3] from the table.
 */
static void
forked_chain(const char *sleep, bool names)
{
	char script[64];
	char *argv[] = { "sh", "-c", script, NULL };
	const struct ptree_proc *a, *b[2], *c[2], *anc[3], *p;
	struct live l;
	pid_t pid;

	snprintf(script, sizeof(script), "sh -c \"sleep %s; true\"; true",
	    sleep);
	live_start(&l, 0);
	pid = spawn("/bin/sh", argv);
	reap(pid);
	live_drain(&l);
	a = ptree_get(l.t, pid);
	ck_assert_ptr_nonnull(a);
	ck_assert_uint_eq(children(l.t, a, b, 2), 1);
	ck_assert_uint_eq(children(l.t, b[0], c, 2), 1);
	p = c[0];
	ck_assert(p->pr_flags & PTREE_F_EXITED);
	ck_assert(b[0]->pr_flags & PTREE_F_EXITED);
	ck_assert(a->pr_flags & PTREE_F_EXITED);
	ck_assert_uint_eq(ptree_ancestors(l.t, p, anc, 3), 3);
	ck_assert_ptr_eq(anc[0], b[0]);
	ck_assert_ptr_eq(anc[1], a);
	ck_assert_int_eq(anc[2]->pr_pid, getpid());
	if (names) {
		ck_assert_str_eq(p->pr_comm, "sleep");
		ck_assert_str_eq(anc[0]->pr_comm, "sh");
		ck_assert_str_eq(anc[1]->pr_comm, "sh");
		ck_assert_str_eq(anc[0]->pr_exepath.p, "/usr/bin/dash");
	} else {
		/* A name read from /proc is the right one, or flagged stale. */
		ck_assert(strcmp(p->pr_comm, "sleep") == 0 ||
		    (p->pr_flags & PTREE_F_STALE));
		ck_assert(strcmp(anc[0]->pr_comm, "sh") == 0 ||
		    (anc[0]->pr_flags & PTREE_F_STALE));
	}
	ck_assert_str_eq(anc[2]->pr_comm, "check_pconn");
	ptree_proc_unref(anc[0]);
	ptree_proc_unref(anc[1]);
	ptree_proc_unref(anc[2]);
	ptree_proc_unref(b[0]);
	ptree_proc_unref(c[0]);
	ptree_proc_unref(a);
	live_stop(&l);
}

START_TEST(test_chain_short_lived)
{
	forked_chain("0", false);
}
END_TEST

START_TEST(test_chain_names)
{
	forked_chain("0.2", true);
}
END_TEST

/* ---- Overlay upper layer ------------------------------------------------- */

static char ovl[64];

static void
mkdirs(const char *sub)
{
	char path[128];

	snprintf(path, sizeof(path), "%s/%s", ovl, sub);
	ck_assert_int_eq(mkdir(path, 0755), 0);
}

static void
copy_file(const char *from, const char *to)
{
	char chunk[65536];
	ssize_t n;
	int in = open(from, O_RDONLY), out;

	ck_assert_int_ge(in, 0);
	out = open(to, O_WRONLY | O_CREAT | O_TRUNC, 0755);
	ck_assert_int_ge(out, 0);
	while ((n = read(in, chunk, sizeof(chunk))) > 0)
		ck_assert_int_eq(write(out, chunk, (size_t)n), n);
	close(in);
	close(out);
}

static int
rm_one(const char *path, const struct stat *st, int flag, struct FTW *f)
{
	(void)st; (void)flag; (void)f;
	return remove(path);
}

START_TEST(test_exe_upper_layer)
{
	char opts[512], up[128], low[128], path[128];
	char *argv[] = { "sleep", "0.3", NULL };
	const struct ptree_proc *p;
	pid_t pids[3];
	struct live l;
	int i;

	/* A mount namespace of this test only: nothing leaks, nothing to undo
	 * if the test dies. */
	ck_assert_int_eq(unshare(CLONE_NEWNS), 0);
	ck_assert_int_eq(mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL), 0);
	strcpy(ovl, "/tmp/check_pconn.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(ovl));
	mkdirs("lower");
	mkdirs("upper");
	mkdirs("work");
	mkdirs("merged");
	snprintf(path, sizeof(path), "%s/lower/low_sleep", ovl);
	copy_file("/usr/bin/sleep", path);
	snprintf(path, sizeof(path), "%s/upper/up_sleep", ovl);
	copy_file("/usr/bin/sleep", path);
	snprintf(opts, sizeof(opts), "lowerdir=%s/lower,upperdir=%s/upper,"
	    "workdir=%s/work", ovl, ovl, ovl);
	snprintf(path, sizeof(path), "%s/merged", ovl);
	ck_assert_int_eq(mount("overlay", path, "overlay", 0, opts), 0);
	snprintf(up, sizeof(up), "%s/merged/up_sleep", ovl);
	snprintf(low, sizeof(low), "%s/merged/low_sleep", ovl);

	live_start(&l, PTREE_O_EXE_LAYER);
	pids[0] = spawn(up, argv);
	pids[1] = spawn(low, argv);
	pids[2] = spawn("/usr/bin/sleep", argv);
	for (i = 0; i < 3; i++)
		reap(pids[i]);
	live_drain(&l);
	p = ptree_get(l.t, pids[0]);
	ck_assert_str_eq(p->pr_exepath.p, up);
	ck_assert_int_eq(p->pr_exe_upper, PTREE_YES);
	ptree_proc_unref(p);
	p = ptree_get(l.t, pids[1]);
	ck_assert_str_eq(p->pr_exepath.p, low);
	ck_assert_int_eq(p->pr_exe_upper, PTREE_NO);
	ptree_proc_unref(p);
	p = ptree_get(l.t, pids[2]);
	ck_assert_int_eq(p->pr_exe_upper, PTREE_NO);	/* ext4 root */
	ptree_proc_unref(p);
	live_stop(&l);
	snprintf(path, sizeof(path), "%s/merged", ovl);
	ck_assert_int_eq(umount(path), 0);
	nftw(ovl, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}
END_TEST

/* ---- Overruns ------------------------------------------------------------ */

START_TEST(test_overrun)
{
	char *argv[] = { "/bin/true", NULL };
	struct pconn_stats cs;
	struct ptree_stats ts;
	struct ptree *t = ptree_new(NULL);
	struct pconn *c;
	char err[256];
	int one = 1, i;

	c = pconn_open(err, sizeof(err));
	ck_assert_msg(c != NULL, "%s", err);
	/* The smallest receive buffer: a few events fill it. */
	ck_assert_int_eq(setsockopt(pconn_fd(c), SOL_SOCKET, SO_RCVBUFFORCE,
	    &one, sizeof(one)), 0);
	for (i = 0; i < 50; i++)
		reap(spawn("/bin/true", argv));
	for (i = 0; i < 50 && pconn_read(c, t) >= 0; i++)
		;
	pconn_get_stats(c, &cs);
	ptree_get_stats(t, &ts);
	ck_assert_uint_ge(cs.overruns, 1);
	ck_assert_uint_eq(cs.resyncs, 1);	/* once: rate-limited */
	ck_assert_uint_eq(ts.seeds, 1);
	/* The resync found this process. */
	{
		const struct ptree_proc *p = ptree_get(t, getpid());

		ck_assert_ptr_nonnull(p);
		ptree_proc_unref(p);
	}
	pconn_close(c);
	ptree_free(t);
}
END_TEST

Suite *
suite_for_main(void)
{
	Suite *s;

	/* The connector needs CAP_NET_ADMIN, the overlay test CAP_SYS_ADMIN. */
	if (geteuid() != 0) {
		printf("1..0 # SKIP the real-kernel process tests need root\n");
		exit(0);
	}
	s = suite_create("pconn");
	struct { const char *name; const TTest *fn; } cases[] = {
		{ "seed_self", test_seed_self },
		{ "connector_exec_stopped", test_connector_exec_stopped },
		{ "connector_spawn_true", test_connector_spawn_true },
		{ "chain_exec_in_place", test_chain_exec_in_place },
		{ "chain_short_lived", test_chain_short_lived },
		{ "chain_names", test_chain_names },
		{ "exe_upper_layer", test_exe_upper_layer },
		{ "overrun", test_overrun },
	};
	unsigned i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		TCase *tc = tcase_create(cases[i].name);

		tcase_add_test(tc, cases[i].fn);
		tcase_set_timeout(tc, 60);
		suite_add_tcase(s, tc);
	}
	return s;
}
