/*
 * check_proc.c - the process table without the kernel: /proc parsing,
 * the fixture tree tests/fixtures/proc/tree1 (kernel threads, a zombie,
 * a missing exe, odd comms, a container, a parent loop), trees made in a
 * temporary directory (huge cmdline, resync, exec merging), and the
 * update API (fork/exec/exit chains, pid reuse, bounded memory, pruning,
 * concurrent readers).  Real-kernel tests are in check_pconn.c.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <dirent.h>
#include <ftw.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "audit/audit.h"
#include "core/buf.h"
#include "proc/proc.h"
#include "proc/proc_int.h"
#include "check_main.h"

#define FIXTURE		TOP_SRCDIR "/tests/fixtures/proc/tree1"
#define BOOT		1000000000000000000ull
#define MS(x)		((uint64_t)(x) * 1000000ull)
#define SEC(x)		((uint64_t)(x) * 1000000000ull)
/* 1700000000.000 s: the audit events below are at T0 + some ms. */
#define T0		1700000000000000000ull

static uint64_t
ticks(uint64_t n)
{
	return BOOT + n * (1000000000ull / (uint64_t)sysconf(_SC_CLK_TCK));
}

static struct fc_buf buf;

static void
setup(void)
{
	fc_buf_init(&buf, 1 << 20);
}

static void
teardown(void)
{
	fc_buf_fini(&buf);
}

static const char *
caps_text(uint64_t caps)
{
	fc_buf_reset(&buf);
	ptree_caps_render(caps, &buf);
	fc_buf_addc(&buf, '\0');
	return buf.p;
}

static const char *
cmdline_text(const struct ptree_proc *p)
{
	fc_buf_reset(&buf);
	ptree_proc_cmdline(p, &buf);
	fc_buf_addc(&buf, '\0');
	return buf.p;
}

static const char *
args_text(const struct ptree_proc *p)
{
	fc_buf_reset(&buf);
	ptree_proc_args(p, &buf);
	fc_buf_addc(&buf, '\0');
	return buf.p;
}

/* The comm of ancestor n of pid (n = 1: parent), "" when none. */
static const char *
aname(struct ptree *t, pid_t pid, unsigned n)
{
	static char out[PTREE_COMM_MAX];
	const struct ptree_proc *p = ptree_get(t, pid), *a;

	out[0] = '\0';
	if (p == NULL)
		return "(no such pid)";
	if ((a = ptree_ancestor(t, p, n)) != NULL) {
		memcpy(out, a->pr_comm, sizeof(out));
		ptree_proc_unref(a);
	}
	ptree_proc_unref(p);
	return out;
}

static pid_t
apid(struct ptree *t, pid_t pid, unsigned n)
{
	const struct ptree_proc *p = ptree_get(t, pid), *a;
	pid_t r = -1;

	if (p == NULL)
		return -2;
	if ((a = ptree_ancestor(t, p, n)) != NULL) {
		r = a->pr_pid;
		ptree_proc_unref(a);
	}
	ptree_proc_unref(p);
	return r;
}

static int cid_calls;

static void
cid_hook(void *arg, const char *cg, size_t len, char *out, size_t outsz)
{
	const char *d = memmem(cg, len, "docker-", 7);

	(*(int *)arg)++;
	if (d != NULL && (size_t)(cg + len - d) >= 7 + 12) {
		memcpy(out, d + 7, 12);
		out[12] = '\0';
	} else {
		snprintf(out, outsz, "host");
	}
}

static struct ptree *
tree_at(const char *root, uint32_t max)
{
	struct ptree_opts o = { 0 };
	struct ptree *t;

	o.proc_root = root;
	o.boot_ns = BOOT;
	o.max_entries = max;
	o.cid_fn = cid_hook;
	o.cid_arg = &cid_calls;
	t = ptree_new(&o);
	ck_assert_ptr_nonnull(t);
	return t;
}

/* ---- Temporary /proc trees ---------------------------------------------- */

static char tmproot[64];

static void
tmp_setup(void)
{
	setup();
	strcpy(tmproot, "/tmp/check_proc.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmproot));
}

static int
rm_one(const char *path, const struct stat *st, int flag, struct FTW *f)
{
	(void)st; (void)flag; (void)f;
	return remove(path);
}

static void
tmp_teardown(void)
{
	nftw(tmproot, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	teardown();
}

static void
put(const char *dir, const char *name, const void *data, size_t len)
{
	char path[512];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, data, len), (ssize_t)len);
	close(fd);
}

struct fp {
	int		 pid, ppid, sid;
	const char	*comm;
	char		 state;
	uint64_t	 start;		/* ticks */
	const char	*cmdline;	/* NUL-separated, cmdlen bytes */
	size_t		 cmdlen;
	const char	*exe;		/* NULL: no link */
	const char	*cgroup;
	const char	*capeff;
};

static void
mkproc(const struct fp *f)
{
	char dir[256], txt[1024];
	int n;

	snprintf(dir, sizeof(dir), "%s/%d", tmproot, f->pid);
	mkdir(dir, 0755);
	n = snprintf(txt, sizeof(txt), "%d (%s) %c %d %d %d 0 -1 4194304 1 0 0 "
	    "0 1 1 0 0 20 0 1 0 %llu 100 10 0\n", f->pid, f->comm,
	    f->state != 0 ? f->state : 'S', f->ppid, f->pid, f->sid,
	    (unsigned long long)f->start);
	put(dir, "stat", txt, (size_t)n);
	n = snprintf(txt, sizeof(txt), "Name:\t%s\nUid:\t0\t0\t0\t0\n"
	    "Gid:\t0\t0\t0\t0\nNSpid:\t%d\nNSpgid:\t%d\nNSsid:\t%d\n"
	    "CapInh:\t0000000000000000\nCapPrm:\t%s\nCapEff:\t%s\n", f->comm,
	    f->pid, f->pid, f->sid, f->capeff ? f->capeff : "0000000000000000",
	    f->capeff ? f->capeff : "0000000000000000");
	put(dir, "status", txt, (size_t)n);
	put(dir, "cmdline", f->cmdline ? f->cmdline : "", f->cmdline ?
	    f->cmdlen : 0);
	put(dir, "cgroup", f->cgroup ? f->cgroup : "0::/\n",
	    strlen(f->cgroup ? f->cgroup : "0::/\n"));
	if (f->exe != NULL) {
		snprintf(txt, sizeof(txt), "%s/exe", dir);
		unlink(txt);
		ck_assert_int_eq(symlink(f->exe, txt), 0);
	}
}

static void
rmproc(int pid)
{
	static const char *files[] = { "stat", "status", "cmdline", "cgroup",
	    "exe" };
	char path[256];
	unsigned i;

	for (i = 0; i < 5; i++) {
		snprintf(path, sizeof(path), "%s/%d/%s", tmproot, pid, files[i]);
		unlink(path);
	}
	snprintf(path, sizeof(path), "%s/%d", tmproot, pid);
	ck_assert_int_eq(rmdir(path), 0);
}

/*
 * Copy the fixture tree into tmproot, turning each exe-link file into
 * the exe symlink it describes.
 */
static void
copy_fixture(void)
{
	char src[4096], dst[4096], data[8192];
	struct dirent *pd, *fd;
	DIR *top, *sub;
	ssize_t n;
	int in;

	ck_assert_ptr_nonnull(top = opendir(FIXTURE));
	while ((pd = readdir(top)) != NULL) {
		if (pd->d_name[0] < '0' || pd->d_name[0] > '9')
			continue;
		snprintf(src, sizeof(src), "%s/%s", FIXTURE, pd->d_name);
		snprintf(dst, sizeof(dst), "%s/%s", tmproot, pd->d_name);
		ck_assert_int_eq(mkdir(dst, 0755), 0);
		ck_assert_ptr_nonnull(sub = opendir(src));
		while ((fd = readdir(sub)) != NULL) {
			if (fd->d_name[0] == '.')
				continue;
			snprintf(src, sizeof(src), "%s/%s/%s", FIXTURE, pd->d_name,
			    fd->d_name);
			ck_assert_int_ge(in = open(src, O_RDONLY), 0);
			n = read(in, data, sizeof(data) - 1);
			close(in);
			ck_assert_int_ge(n, 0);
			data[n] = '\0';
			snprintf(dst, sizeof(dst), "%s/%s", tmproot, pd->d_name);
			if (strcmp(fd->d_name, "exe-link") == 0) {
				strcat(dst, "/exe");
				ck_assert_int_eq(symlink(data, dst), 0);
			} else {
				put(dst, fd->d_name, data, (size_t)n);
			}
		}
		closedir(sub);
	}
	closedir(top);
}

/* ---- Audit events (through the real parser) ------------------------------ */

static struct fc_event aev;

static const struct fc_event *
audit_event(const char *lines)
{
	const char *p = lines, *nl;
	struct aud_record rec;

	fc_event_reset(&aev);
	while (*p != '\0') {
		nl = strchr(p, '\n');
		ck_assert_ptr_nonnull(nl);
		ck_assert_int_eq(aud_rec_parse_line(p, (size_t)(nl - p), &rec),
		    AUD_REC_OK);
		aud_event_add_record(&aev, &rec);
		p = nl + 1;
	}
	aud_event_finish(&aev);
	return &aev;
}

#define HDR(t, s)	"type=" t " msg=audit(" s "): "

/* pid 12 (ppid 11) execs sleep 0 at T0 + 5 ms, in /srv, euid 0. */
static const char E_SLEEP[] =
    HDR("SYSCALL", "1700000000.005:10") "arch=c000003e syscall=59 "
    "success=yes exit=0 a0=1 a1=2 a2=3 a3=0 items=2 ppid=11 pid=12 "
    "auid=1000 uid=1000 gid=1000 euid=0 suid=0 fsuid=0 egid=0 sgid=0 "
    "fsgid=0 tty=pts0 ses=3 comm=\"sleep\" exe=\"/usr/bin/sleep\" "
    "key=(null)\n"
    HDR("EXECVE", "1700000000.005:10") "argc=2 a0=\"sleep\" a1=\"0\"\n"
    HDR("CWD", "1700000000.005:10") "cwd=\"/srv\"\n"
    HDR("EOE", "1700000000.005:10") "\n";

/* pid 77 execs python3 with an argument holding a space, at T0 + 100 ms. */
static const char E_PY[] =
    HDR("SYSCALL", "1700000000.100:11") "arch=c000003e syscall=59 "
    "success=yes exit=0 a0=1 a1=2 a2=3 a3=0 items=2 ppid=1 pid=77 "
    "auid=0 uid=0 gid=0 euid=0 suid=0 fsuid=0 egid=0 sgid=0 "
    "fsgid=0 tty=(none) ses=1 comm=\"python3\" exe=\"/usr/bin/python3.11\" "
    "key=(null)\n"
    HDR("EXECVE", "1700000000.100:11") "argc=3 a0=\"/usr/bin/python3\" "
    "a1=\"script.py\" a2=2D2D6C6F6E6720617267\n"
    HDR("CWD", "1700000000.100:11") "cwd=\"/srv\"\n"
    HDR("EOE", "1700000000.100:11") "\n";

/* ---- Rendering and parsing ----------------------------------------------- */

START_TEST(test_caps_render)
{
	ck_assert_str_eq(caps_text(0), "");
	ck_assert_str_eq(caps_text(1), "CAP_CHOWN");
	ck_assert_str_eq(caps_text(3), "CAP_CHOWN CAP_DAC_OVERRIDE");
	ck_assert_str_eq(caps_text(1ull << 40), "CAP_CHECKPOINT_RESTORE");
	/* Bits past the last named capability are not rendered. */
	ck_assert_str_eq(caps_text((1ull << 41) | (1ull << 63)), "");
	/* Docker's default set. */
	ck_assert_str_eq(caps_text(0xa80425fbull), "CAP_CHOWN "
	    "CAP_DAC_OVERRIDE CAP_FOWNER CAP_FSETID CAP_KILL CAP_SETGID "
	    "CAP_SETUID CAP_SETPCAP CAP_NET_BIND_SERVICE CAP_NET_RAW "
	    "CAP_SYS_CHROOT CAP_MKNOD CAP_AUDIT_WRITE CAP_SETFCAP");
	ck_assert_str_eq(ptree_cap_name(21), "CAP_SYS_ADMIN");
	ck_assert_ptr_null(ptree_cap_name(41));
}
END_TEST

START_TEST(test_parse_stat)
{
	static const char ok[] = "42 (a) b (c)) R 7 8 9 34817 -1 2097216 1 "
	    "2 3 4 5 6 7 8 20 0 1 0 123456 100 10";
	static const char longc[] = "5 (abcdefghijklmnopqrstuvwxyz) S 1 5 5 0 "
	    "-1 0 0 0 0 0 0 0 0 0 20 0 1 0 77 1";
	struct pfs_snap s;

	memset(&s, 0, sizeof(s));
	ck_assert_int_eq(pfs_parse_stat(ok, strlen(ok), &s), 0);
	ck_assert_str_eq(s.comm, "a) b (c)");
	ck_assert_int_eq(s.state, 'R');
	ck_assert_int_eq(s.ppid, 7);
	ck_assert_int_eq(s.pgid, 8);
	ck_assert_int_eq(s.sid, 9);
	ck_assert_uint_eq(s.tty, 34817);
	ck_assert_uint_eq(s.kflags, 2097216);
	ck_assert_uint_eq(s.start_ticks, 123456);
	ck_assert_int_eq(pfs_parse_stat(longc, strlen(longc), &s), 0);
	ck_assert_str_eq(s.comm, "abcdefghijklmno");
	ck_assert_uint_eq(s.start_ticks, 77);
	/* Cut before starttime, no ')' at all, empty. */
	ck_assert_int_eq(pfs_parse_stat(ok, 60, &s), -EINVAL);
	ck_assert_int_eq(pfs_parse_stat("42 (a R 1 2", 11, &s), -EINVAL);
	ck_assert_int_eq(pfs_parse_stat("", 0, &s), -EINVAL);
}
END_TEST

START_TEST(test_parse_status)
{
	static const char st[] = "Name:\tx\nUid:\t1000\t0\t0\t0\n"
	    "Gid:\t5\t6\t7\t8\nNStgid:\t900\t12\t3\nNSpid:\t900\t12\t3\n"
	    "NSpgid:\t900\t12\t1\nNSsid:\t800\t10\t1\nCapInh:\t0000000000000000\n"
	    "CapPrm:\t000001ffffffffff\nCapEff:\t00000000a80425fb";
	struct pfs_snap s;

	memset(&s, 0, sizeof(s));
	pfs_parse_status(st, strlen(st), &s);
	ck_assert_uint_eq(s.uid[0], 1000);
	ck_assert_uint_eq(s.uid[1], 0);
	ck_assert_uint_eq(s.gid[3], 8);
	ck_assert_int_eq(s.vpid, 3);
	ck_assert_int_eq(s.vpgid, 1);
	ck_assert_int_eq(s.vsid, 1);
	ck_assert_uint_eq(s.cap_prm, 0x1ffffffffffull);
	ck_assert_uint_eq(s.cap_eff, 0xa80425fbull);
	ck_assert(s.has & PFS_STATUS);
	ck_assert(s.has & PFS_NS);
}
END_TEST

/* ---- The fixture tree ---------------------------------------------------- */

START_TEST(test_seed_fixture)
{
	struct ptree *t;
	const struct ptree_proc *p, *a;
	struct fc_str arg;
	struct ptree_stats st;

	copy_fixture();
	t = tree_at(tmproot, 0);
	ck_assert_int_eq(ptree_seed(t), 12);
	ptree_get_stats(t, &st);
	ck_assert_uint_eq(st.entries, 12);
	ck_assert_uint_eq(st.live, 11);	/* all but the zombie */

	p = ptree_get(t, 1);
	ck_assert_str_eq(p->pr_comm, "systemd");
	ck_assert_str_eq(p->pr_exe.p, "/sbin/init");
	ck_assert_str_eq(p->pr_exepath.p, "/usr/lib/systemd/systemd");
	ck_assert_str_eq(args_text(p), "splash");
	ck_assert_str_eq(cmdline_text(p), "systemd splash");
	ck_assert_int_eq(p->pr_ppid, 0);
	ck_assert_uint_eq(p->pr_start_ns, ticks(5));
	ck_assert_uint_eq(p->pr_cap_eff, 0x1ffffffffffull);
	ck_assert_str_eq(p->pr_cgroup.p, "0::/init.scope\n");
	ck_assert_str_eq(p->pr_cid, "host");
	ck_assert_ptr_null(ptree_ancestor(t, p, 1));
	ck_assert_uint_eq(p->pr_flags & (PTREE_F_SEEDED | PTREE_F_KTHREAD |
	    PTREE_F_EXITED), PTREE_F_SEEDED);
	ptree_proc_unref(p);

	/* Kernel threads: no exe, no argv. */
	p = ptree_get(t, 3);
	ck_assert_str_eq(p->pr_comm, "kworker/0:0H");
	ck_assert(p->pr_flags & PTREE_F_KTHREAD);
	ck_assert_ptr_null(p->pr_exe.p);
	ck_assert_ptr_null(p->pr_exepath.p);
	ck_assert_ptr_null(p->pr_args.p);
	ck_assert_str_eq(cmdline_text(p), "kworker/0:0H");
	ptree_proc_unref(p);
	ck_assert_str_eq(aname(t, 3, 1), "kthreadd");
	ck_assert_int_eq(apid(t, 3, 2), -1);

	/* Login shell on pts/0, uid 1000, no capabilities. */
	p = ptree_get(t, 100);
	ck_assert_str_eq(p->pr_exe.p, "-bash");
	ck_assert_uint_eq(p->pr_nargs, 0);
	ck_assert_str_eq(cmdline_text(p), "bash");
	ck_assert_uint_eq(p->pr_tty, 34816);
	ck_assert_uint_eq(p->pr_euid, 1000);
	ck_assert_str_eq(caps_text(p->pr_cap_eff), "");
	ptree_proc_unref(p);

	ck_assert_str_eq(aname(t, 101, 0), "(sd-pam)");

	/* comm with ") " inside; an empty argument. */
	p = ptree_get(t, 102);
	ck_assert_str_eq(p->pr_comm, "my proc) x");
	ck_assert_str_eq(p->pr_exe.p, "./my proc) x");
	ck_assert_uint_eq(p->pr_nargs, 3);
	ck_assert_str_eq(args_text(p), "--flag  last arg");
	ck_assert_str_eq(cmdline_text(p), "my proc) x --flag  last arg");
	ck_assert(ptree_proc_arg(p, 1, &arg));
	ck_assert_uint_eq(arg.len, 0);
	ck_assert(ptree_proc_arg(p, 2, &arg));
	ck_assert_str_eq(arg.p, "last arg");
	ck_assert(!ptree_proc_arg(p, 3, &arg));
	a = ptree_session_leader(t, p);
	ck_assert_int_eq(a->pr_pid, 100);	/* host ns: pid == sid */
	ptree_proc_unref(a);
	ptree_proc_unref(p);
	ck_assert_str_eq(aname(t, 102, 1), "bash");
	ck_assert_str_eq(aname(t, 102, 2), "systemd");

	/* The zombie: exited, comm kept, still resolves its ancestry. */
	p = ptree_get(t, 200);
	ck_assert_uint_eq(p->pr_flags & (PTREE_F_ZOMBIE | PTREE_F_EXITED),
	    PTREE_F_ZOMBIE | PTREE_F_EXITED);
	ck_assert_uint_ne(p->pr_exit_ns, 0);
	ck_assert_str_eq(p->pr_comm, "defunct-kid");
	ck_assert_ptr_null(p->pr_exe.p);
	ptree_proc_unref(p);
	ck_assert_str_eq(aname(t, 200, 1), "bash");
	ck_assert_str_eq(aname(t, 200, 2), "systemd");

	/* No exe link: exepath unknown, argv known. */
	p = ptree_get(t, 300);
	ck_assert_ptr_null(p->pr_exepath.p);
	ck_assert_str_eq(p->pr_exe.p, "python3");
	ck_assert_str_eq(args_text(p), "-c print(1)");
	ptree_proc_unref(p);

	/* Container: vpid 1, setproctitle cmdline (no NUL), container id. */
	p = ptree_get(t, 400);
	ck_assert_int_eq(p->pr_vpid, 1);
	ck_assert_str_eq(p->pr_exe.p, "nginx: master process nginx -g daemon off;");
	ck_assert_uint_eq(p->pr_nargs, 0);
	ck_assert_str_eq(p->pr_cid, "3f4a5b6c7d8e");
	ck_assert_str_eq(caps_text(p->pr_cap_eff), "CAP_CHOWN "
	    "CAP_DAC_OVERRIDE CAP_FOWNER CAP_FSETID CAP_KILL CAP_SETGID "
	    "CAP_SETUID CAP_SETPCAP CAP_NET_BIND_SERVICE CAP_NET_RAW "
	    "CAP_SYS_CHROOT CAP_MKNOD CAP_AUDIT_WRITE CAP_SETFCAP");
	ptree_proc_unref(p);
	p = ptree_get(t, 401);
	ck_assert_int_eq(p->pr_vpid, 7);
	ck_assert_int_eq(p->pr_vsid, 1);
	ck_assert_uint_eq(p->pr_euid, 101);
	/* Not in the host pid ns: the highest ancestor of the same session. */
	a = ptree_session_leader(t, p);
	ck_assert_int_eq(a->pr_pid, 400);
	ptree_proc_unref(a);
	ptree_proc_unref(p);
	ck_assert_str_eq(aname(t, 401, 1), "nginx");
	ck_assert_str_eq(aname(t, 401, 2), "systemd");

	/* A parent loop ends the walk: 500's ancestry is 501, once. */
	p = ptree_get(t, 500);
	{
		const struct ptree_proc *out[PTREE_ANCESTOR_MAX];
		unsigned k = ptree_ancestors(t, p, out, PTREE_ANCESTOR_MAX);

		ck_assert_uint_eq(k, 1);
		ck_assert_int_eq(out[0]->pr_pid, 501);
		ptree_proc_unref(out[0]);
	}
	ptree_proc_unref(p);
	ck_assert_int_eq(cid_calls, 12);
	ptree_free(t);
}
END_TEST

START_TEST(test_seed_twice)
{
	struct ptree *t;
	struct ptree_stats st;

	copy_fixture();
	t = tree_at(tmproot, 0);
	ck_assert_int_eq(ptree_seed(t), 12);
	ck_assert_int_eq(ptree_seed(t), 0);
	ptree_get_stats(t, &st);
	ck_assert_uint_eq(st.entries, 12);
	ck_assert_uint_eq(st.missed_exits, 0);
	ptree_free(t);
}
END_TEST

START_TEST(test_seed_truncated)
{
	struct ptree *t;
	struct ptree_stats st;

	copy_fixture();
	t = tree_at(tmproot, 5);
	ck_assert_int_eq(ptree_seed(t), 5);
	ptree_get_stats(t, &st);
	ck_assert_uint_eq(st.entries, 5);
	ck_assert_uint_eq(st.seed_truncated, 1);
	ptree_free(t);
}
END_TEST

/* ---- Temporary trees ----------------------------------------------------- */

START_TEST(test_huge_cmdline)
{
	static char big[100000];
	static char cg[9000];
	struct fp f = { 600, 1, 600, "big", 0, 50, big, sizeof(big), "/bin/big",
	    cg, NULL };
	const struct ptree_proc *p;
	struct ptree *t;
	size_t i;

	for (i = 0; i < sizeof(big); i++)
		big[i] = i % 10 == 9 ? '\0' : 'a';	/* "aaaaaaaaa\0" x 10000 */
	memset(cg, 'c', sizeof(cg) - 2);
	cg[sizeof(cg) - 2] = '\n';
	cg[sizeof(cg) - 1] = '\0';
	mkproc(&f);
	t = tree_at(tmproot, 0);
	ck_assert_int_eq(ptree_seed(t), 1);
	p = ptree_get(t, 600);
	ck_assert(p->pr_flags & PTREE_F_ARGS_TRUNC);
	ck_assert(p->pr_flags & PTREE_F_CGROUP_TRUNC);
	/* argv[0], its NUL and the args: exactly the 4096-byte cap. */
	ck_assert_uint_eq(p->pr_exe.len + 1 + p->pr_args.len, PTREE_DEF_ARGS);
	ck_assert_str_eq(p->pr_exe.p, "aaaaaaaaa");
	ck_assert_uint_eq(p->pr_nargs, 409);	/* 408 whole + 1 cut */
	ck_assert_uint_eq(p->pr_cgroup.len, PTREE_DEF_CGROUP);
	fc_buf_reset(&buf);
	ptree_proc_args(p, &buf);
	ck_assert_uint_eq(buf.len, p->pr_args.len);
	ptree_proc_unref(p);
	ptree_free(t);
}
END_TEST

START_TEST(test_resync)
{
	struct fp init = { 10, 0, 10, "init", 0, 1, "init", 5, "/sbin/init",
	    NULL, NULL };
	struct fp kid = { 20, 10, 10, "kid", 0, 100, "kid", 4, "/bin/kid",
	    NULL, NULL };
	struct fp other = { 30, 10, 10, "other", 0, 200, NULL, 0, NULL, NULL,
	    NULL };
	const struct ptree_proc *p;
	struct ptree_stats st;
	struct ptree *t;

	mkproc(&init);
	mkproc(&kid);
	t = tree_at(tmproot, 0);
	ck_assert_int_eq(ptree_seed(t), 2);
	/* kid exits unreported, other appears. */
	rmproc(20);
	mkproc(&other);
	ck_assert_int_eq(ptree_seed(t), 1);
	p = ptree_get(t, 20);
	ck_assert(p->pr_flags & PTREE_F_EXITED);
	ck_assert_uint_ne(p->pr_exit_ns, 0);
	ptree_proc_unref(p);
	ck_assert_str_eq(aname(t, 30, 1), "init");
	/* pid 30 now belongs to a newer process: the old one is closed. */
	other.comm = "newer";
	other.start = 300;
	mkproc(&other);
	ck_assert_int_eq(ptree_seed(t), 1);
	p = ptree_get(t, 30);
	ck_assert_str_eq(p->pr_comm, "newer");
	ck_assert_uint_eq(p->pr_start_ns, ticks(300));
	ck_assert_uint_eq(p->pr_exit_ns, 0);
	ptree_proc_unref(p);
	p = ptree_get_at(t, 30, ticks(250));
	ck_assert_str_eq(p->pr_comm, "other");
	ck_assert(p->pr_flags & PTREE_F_EXITED);
	ptree_proc_unref(p);
	ptree_get_stats(t, &st);
	ck_assert_uint_eq(st.missed_exits, 2);
	ck_assert_uint_eq(st.entries, 4);
	ptree_free(t);
}
END_TEST

/*
 * Both exec reports of one exec, in either order: audit's argv and cwd,
 * /proc's capabilities and cgroup.
 */
static void
check_merged(struct ptree *t, pid_t pid)
{
	const struct ptree_proc *p = ptree_get(t, pid);

	ck_assert_ptr_nonnull(p);
	ck_assert_str_eq(p->pr_comm, "python3");
	ck_assert_str_eq(p->pr_exe.p, "/usr/bin/python3");
	ck_assert_str_eq(args_text(p), "script.py --long arg");
	ck_assert_str_eq(p->pr_exepath.p, "/usr/bin/python3.11");
	ck_assert_str_eq(p->pr_cwd.p, "/srv");
	ck_assert_uint_eq(p->pr_cap_eff, 0x3ull);
	ck_assert_str_eq(p->pr_cid, "0123456789ab");
	ck_assert_uint_eq(p->pr_flags & (PTREE_F_AUDIT_EXEC |
	    PTREE_F_PROC_EXEC | PTREE_F_CAPS), PTREE_F_AUDIT_EXEC |
	    PTREE_F_PROC_EXEC | PTREE_F_CAPS);
	ck_assert_uint_eq(p->pr_start_ns, T0);
	ptree_proc_unref(p);
}

START_TEST(test_exec_merge)
{
	static const char rewritten[] = "python3 script.py --short";
	struct fp f = { 77, 1, 77, "python3", 0, 500, rewritten,
	    sizeof(rewritten) - 1, "/usr/bin/python3.11",
	    "0::/docker-0123456789abcdef.scope\n", "0000000000000003" };
	struct ptree_opts o = { 0 };
	const struct fc_event *ev;
	struct ptree *t;

	mkproc(&f);
	/* Boot time chosen so that the fork at T0 is start tick 500. */
	o.proc_root = tmproot;
	o.boot_ns = T0 - 500 * (1000000000ull / (uint64_t)sysconf(_SC_CLK_TCK));
	o.cid_fn = cid_hook;
	o.cid_arg = &cid_calls;
	t = ptree_new(&o);
	ck_assert_int_eq(ptree_fork(t, 1, 77, 77, T0), 0);
	ev = audit_event(E_PY);
	/* audit first, then the connector 1 ms later */
	ck_assert_int_eq(ptree_exec(t, 77, ev), 0);
	ck_assert_int_eq(ptree_exec_proc(t, 77, T0 + MS(101)), 0);
	{
		const struct ptree_proc *p = ptree_get(t, 77);

		ck_assert_str_eq(p->pr_cwd.p, "/srv");
		ck_assert_uint_eq(p->pr_exec_ns, T0 + MS(100));
		ck_assert_uint_eq(p->pr_cap_eff, 3);
		ck_assert_str_eq(args_text(p), "script.py --long arg");
		ck_assert_str_eq(p->pr_cid, "0123456789ab");
		ptree_proc_unref(p);
	}
	ptree_free(t);

	/* connector first, then audit */
	t = ptree_new(&o);
	ck_assert_int_eq(ptree_fork(t, 1, 77, 77, T0), 0);
	ck_assert_int_eq(ptree_exec_proc(t, 77, T0 + MS(99)), 0);
	{
		const struct ptree_proc *p = ptree_get(t, 77);

		ck_assert_str_eq(args_text(p), "");	/* /proc: one string */
		ck_assert_str_eq(p->pr_exe.p, rewritten);
		ptree_proc_unref(p);
	}
	ck_assert_int_eq(ptree_exec(t, 77, ev), 0);
	check_merged(t, 77);
	ptree_free(t);

	/* The same again, but check_merged for the audit-first order too. */
	t = ptree_new(&o);
	ck_assert_int_eq(ptree_fork(t, 1, 77, 77, T0), 0);
	ck_assert_int_eq(ptree_exec(t, 77, ev), 0);
	ck_assert_int_eq(ptree_exec_proc(t, 77, T0 + MS(101)), 0);
	check_merged(t, 77);
	ptree_free(t);
}
END_TEST

START_TEST(test_exec_proc_reused)
{
	struct fp f = { 88, 1, 88, "newcomer", 0, 900, "newcomer", 9,
	    "/bin/newcomer", NULL, NULL };
	struct ptree *t;
	const struct ptree_proc *p;
	struct ptree_stats st;

	mkproc(&f);
	t = tree_at(tmproot, 0);
	/* The table's pid 88 was forked at tick 100; /proc shows tick 900. */
	ck_assert_int_eq(ptree_fork(t, 1, 88, 88, ticks(100)), 0);
	ck_assert_int_eq(ptree_set_comm(t, 88, "original"), 0);
	ck_assert_int_eq(ptree_exec_proc(t, 88, ticks(150)), -ENOENT);
	p = ptree_get(t, 88);
	ck_assert_str_eq(p->pr_comm, "original");
	ck_assert(p->pr_flags & PTREE_F_STALE);
	ck_assert_uint_eq(p->pr_exec_ns, ticks(150));
	ptree_proc_unref(p);
	/* A process gone from /proc: the same, counted as gone. */
	ck_assert_int_eq(ptree_fork(t, 1, 99, 99, ticks(100)), 0);
	ck_assert_int_eq(ptree_exec_proc(t, 99, ticks(160)), -ENOENT);
	ptree_get_stats(t, &st);
	ck_assert_uint_eq(st.pid_reused, 1);
	ck_assert_uint_eq(st.proc_gone, 1);
	ptree_free(t);
}
END_TEST

/* exec_read: only the cgroup asked for; the rest stays unknown or kept. */
START_TEST(test_exec_read_mask)
{
	static const char argv[] = "newimg\0--opt";
	struct fp f = { 55, 1, 55, "newimg", 0, 700, argv, sizeof(argv) - 1,
	    "/usr/bin/newimg", "0::/docker-aaaaaaaaaaaabbbb.scope\n",
	    "0000000000000003" };
	struct ptree_opts o = { 0 };
	const struct ptree_proc *p;
	struct ptree *t;

	mkproc(&f);
	o.proc_root = tmproot;
	o.boot_ns = BOOT;
	o.cid_fn = cid_hook;
	o.cid_arg = &cid_calls;
	o.exec_read = PTREE_R_CGROUP;
	t = ptree_new(&o);
	ck_assert_int_eq(ptree_fork(t, 1, 55, 55, ticks(700)), 0);
	ck_assert_int_eq(ptree_exec_proc(t, 55, ticks(710)), 0);
	p = ptree_get(t, 55);
	ck_assert_str_eq(p->pr_comm, "newimg");
	ck_assert_ptr_null(p->pr_exe.p);
	ck_assert_ptr_null(p->pr_exepath.p);
	ck_assert_str_eq(p->pr_cid, "aaaaaaaaaaaa");
	ck_assert_uint_eq(p->pr_flags & (PTREE_F_STALE | PTREE_F_CAPS |
	    PTREE_F_PROC_EXEC), PTREE_F_PROC_EXEC);
	ptree_proc_unref(p);
	ptree_free(t);

	/* Status and argv, no cgroup: the inherited cgroup is kept. */
	o.exec_read = PTREE_R_STATUS | PTREE_R_ARGV;
	t = ptree_new(&o);
	ck_assert_int_eq(ptree_fork(t, 1, 55, 55, ticks(700)), 0);
	ck_assert_int_eq(ptree_exec_proc(t, 55, ticks(710)), 0);
	p = ptree_get(t, 55);
	ck_assert_str_eq(cmdline_text(p), "newimg --opt");
	ck_assert_str_eq(p->pr_exepath.p, "/usr/bin/newimg");
	ck_assert_ptr_null(p->pr_cgroup.p);
	ck_assert_str_eq(p->pr_cid, "");
	ck_assert_uint_eq(p->pr_cap_eff, 3);
	ptree_proc_unref(p);
	ptree_free(t);
}
END_TEST

/* ---- The update API ------------------------------------------------------- */

/* An empty /proc: only the API feeds the table. */
static struct ptree *
api_tree(uint32_t max, uint64_t grace)
{
	struct ptree_opts o = { 0 };
	struct ptree *t;

	o.proc_root = tmproot;
	o.boot_ns = BOOT;
	o.max_entries = max;
	o.exit_grace_ns = grace;
	t = ptree_new(&o);
	ck_assert_ptr_nonnull(t);
	return t;
}

/* A root process 10 (parent unknown) named name. */
static void
root_proc(struct ptree *t, pid_t pid, const char *name, uint64_t ts)
{
	ck_assert_int_eq(ptree_fork(t, 1, pid, pid, ts), 0);
	ck_assert_int_eq(ptree_set_comm(t, pid, name), 0);
}

START_TEST(test_short_chain_api)
{
	struct ptree *t = api_tree(0, SEC(30));
	const struct ptree_proc *p;

	/* test(10) -> sh(11) -> sh(12) execs sleep, then all exit. */
	root_proc(t, 10, "check_proc", T0);
	ck_assert_int_eq(ptree_fork(t, 10, 11, 11, T0 + MS(1)), 0);
	ck_assert_int_eq(ptree_set_comm(t, 11, "sh"), 0);
	ck_assert_int_eq(ptree_fork(t, 11, 12, 12, T0 + MS(2)), 0);
	/* A thread of 11: ignored. */
	ck_assert_int_eq(ptree_fork(t, 11, 13, 11, T0 + MS(2)), 0);
	ck_assert_ptr_null(ptree_get(t, 13));
	p = ptree_get(t, 12);
	ck_assert_str_eq(p->pr_comm, "sh");	/* a fork copies the parent */
	ck_assert_int_eq(p->pr_ppid, 11);
	ptree_proc_unref(p);
	ck_assert_int_eq(ptree_exec(t, 12, audit_event(E_SLEEP)), 0);
	ck_assert_int_eq(ptree_exit(t, 12, T0 + MS(6)), 0);
	ck_assert_int_eq(ptree_exit(t, 11, T0 + MS(7)), 0);
	ck_assert_int_eq(ptree_exit(t, 11, T0 + MS(8)), -ENOENT);

	/* After the exits, from the table. */
	p = ptree_get_at(t, 12, T0 + MS(5));
	ck_assert_str_eq(p->pr_comm, "sleep");
	ck_assert_str_eq(cmdline_text(p), "sleep 0");
	ck_assert_str_eq(p->pr_exepath.p, "/usr/bin/sleep");
	ck_assert_str_eq(p->pr_cwd.p, "/srv");
	ck_assert_uint_eq(p->pr_euid, 0);
	ck_assert_uint_eq(p->pr_uid, 1000);
	{
		int64_t d;

		ck_assert(ptree_proc_duration(p, T0 + MS(5), &d));
		ck_assert_int_eq(d, (int64_t)MS(3));
	}
	ptree_proc_unref(p);
	ck_assert_str_eq(aname(t, 12, 1), "sh");
	ck_assert_str_eq(aname(t, 12, 2), "check_proc");
	ck_assert_int_eq(apid(t, 12, 1), 11);
	ck_assert_int_eq(apid(t, 12, 2), 10);
	ck_assert_int_eq(apid(t, 12, 3), -1);

	/* Within the grace period nothing goes; after it, all of them. */
	ck_assert_uint_eq(ptree_prune(t, T0 + SEC(10)), 0);
	ck_assert_str_eq(aname(t, 12, 1), "sh");
	ck_assert_uint_eq(ptree_prune(t, T0 + SEC(31)), 2);
	ck_assert_ptr_null(ptree_get(t, 12));
	ck_assert_ptr_null(ptree_get(t, 11));
	ptree_free(t);
}
END_TEST

START_TEST(test_orphan_held)
{
	struct ptree *t = api_tree(0, SEC(30));
	struct ptree_stats st;

	/* 20 -> 21 -> 22; 20 and 21 exit, 22 lives on as an orphan. */
	root_proc(t, 20, "daemonize", T0);
	ck_assert_int_eq(ptree_fork(t, 20, 21, 21, T0 + MS(1)), 0);
	ck_assert_int_eq(ptree_fork(t, 21, 22, 22, T0 + MS(2)), 0);
	ck_assert_int_eq(ptree_set_comm(t, 22, "worker"), 0);
	ck_assert_int_eq(ptree_exit(t, 20, T0 + MS(3)), 0);
	ck_assert_int_eq(ptree_exit(t, 21, T0 + MS(4)), 0);
	/* Long after the grace period the ancestry still resolves. */
	ck_assert_uint_eq(ptree_prune(t, T0 + SEC(3600)), 0);
	ck_assert_str_eq(aname(t, 22, 1), "daemonize");
	ck_assert_str_eq(aname(t, 22, 2), "daemonize");
	ptree_get_stats(t, &st);
	ck_assert_uint_eq(st.entries, 3);
	/* When the orphan goes, its held ancestors go with it. */
	ck_assert_int_eq(ptree_exit(t, 22, T0 + SEC(3600)), 0);
	ck_assert_uint_eq(ptree_prune(t, T0 + SEC(3700)), 3);
	ptree_get_stats(t, &st);
	ck_assert_uint_eq(st.entries, 0);
	ck_assert_uint_eq(st.pruned, 3);
	ptree_free(t);
}
END_TEST

START_TEST(test_pid_reuse)
{
	struct ptree *t = api_tree(0, SEC(30));
	const struct ptree_proc *p, *out[PTREE_ANCESTOR_MAX];
	unsigned k;

	root_proc(t, 10, "init", T0);
	root_proc(t, 20, "other", T0);
	/* old 500 (child of 10) forks 501, exits; a new 500 from 20. */
	ck_assert_int_eq(ptree_fork(t, 10, 500, 500, T0 + MS(10)), 0);
	ck_assert_int_eq(ptree_set_comm(t, 500, "old"), 0);
	ck_assert_int_eq(ptree_fork(t, 500, 501, 501, T0 + MS(20)), 0);
	ck_assert_int_eq(ptree_exit(t, 500, T0 + MS(30)), 0);
	ck_assert_int_eq(ptree_fork(t, 20, 500, 500, T0 + SEC(1)), 0);
	ck_assert_int_eq(ptree_set_comm(t, 500, "new"), 0);

	ck_assert_str_eq(aname(t, 501, 1), "old");
	ck_assert_str_eq(aname(t, 501, 2), "init");
	ck_assert_str_eq(aname(t, 500, 0), "new");
	ck_assert_str_eq(aname(t, 500, 1), "other");
	p = ptree_get_at(t, 500, T0 + MS(25));
	ck_assert_str_eq(p->pr_comm, "old");
	ptree_proc_unref(p);
	p = ptree_get_at(t, 500, T0 + SEC(2));
	ck_assert_str_eq(p->pr_comm, "new");
	ptree_proc_unref(p);

	/* 600 forks 601 and exits; 601 forks a new 600: no loop. */
	ck_assert_int_eq(ptree_fork(t, 10, 600, 600, T0 + SEC(2)), 0);
	ck_assert_int_eq(ptree_set_comm(t, 600, "first600"), 0);
	ck_assert_int_eq(ptree_fork(t, 600, 601, 601, T0 + SEC(3)), 0);
	ck_assert_int_eq(ptree_exit(t, 600, T0 + SEC(4)), 0);
	ck_assert_int_eq(ptree_fork(t, 601, 600, 600, T0 + SEC(5)), 0);
	ck_assert_int_eq(ptree_set_comm(t, 600, "second600"), 0);
	p = ptree_get(t, 600);
	k = ptree_ancestors(t, p, out, PTREE_ANCESTOR_MAX);
	ck_assert_uint_eq(k, 3);
	ck_assert_int_eq(out[0]->pr_pid, 601);
	ck_assert_str_eq(out[1]->pr_comm, "first600");
	ck_assert_str_eq(out[2]->pr_comm, "init");
	while (k > 0)
		ptree_proc_unref(out[--k]);
	ptree_proc_unref(p);
	/* 601 is the parent of a live process: held past the grace period. */
	ck_assert_uint_eq(ptree_prune(t, T0 + SEC(100)), 0);
	ck_assert_str_eq(aname(t, 600, 2), "first600");
	ptree_free(t);
}
END_TEST

START_TEST(test_reuse_evicted)
{
	struct ptree *t = api_tree(3, SEC(30));
	const struct ptree_proc *p, *out[PTREE_ANCESTOR_MAX];
	struct ptree_stats st;
	unsigned k;

	/* The old 600 is evicted to make room for the new one. */
	root_proc(t, 10, "init", T0);
	ck_assert_int_eq(ptree_fork(t, 10, 600, 600, T0 + SEC(2)), 0);
	ck_assert_int_eq(ptree_fork(t, 600, 601, 601, T0 + SEC(3)), 0);
	ck_assert_int_eq(ptree_exit(t, 600, T0 + SEC(4)), 0);
	ck_assert_int_eq(ptree_fork(t, 601, 600, 600, T0 + SEC(5)), 0);
	ptree_get_stats(t, &st);
	ck_assert_uint_eq(st.entries, 3);
	ck_assert_uint_eq(st.evicted_exited, 1);
	/* 601's parent is gone: the chain ends there, it never loops back
	 * through the new 600 that now has the pid. */
	p = ptree_get(t, 600);
	k = ptree_ancestors(t, p, out, PTREE_ANCESTOR_MAX);
	ck_assert_uint_eq(k, 1);
	ck_assert_int_eq(out[0]->pr_pid, 601);
	ptree_proc_unref(out[0]);
	ptree_proc_unref(p);
	ck_assert_int_eq(apid(t, 601, 1), -1);
	ptree_free(t);
}
END_TEST

START_TEST(test_deep_chain)
{
	struct ptree *t = api_tree(0, SEC(30));
	const struct ptree_proc *p, *out[PTREE_ANCESTOR_MAX];
	unsigned k;
	pid_t pid;

	root_proc(t, 1000, "root", T0);
	for (pid = 1001; pid < 1100; pid++)
		ck_assert_int_eq(ptree_fork(t, pid - 1, pid, pid,
		    T0 + MS(pid - 1000)), 0);
	p = ptree_get(t, 1099);
	k = ptree_ancestors(t, p, out, 1000);
	ck_assert_uint_eq(k, PTREE_ANCESTOR_MAX);
	ck_assert_int_eq(out[63]->pr_pid, 1099 - 64);
	while (k > 0)
		ptree_proc_unref(out[--k]);
	ck_assert_ptr_null(ptree_ancestor(t, p, 65));
	ptree_proc_unref(p);
	ptree_free(t);
}
END_TEST

START_TEST(test_bounded)
{
	struct ptree *t = api_tree(100, SEC(30));
	const struct ptree_proc *p;
	struct ptree_stats st;
	pid_t pid;

	for (pid = 1000; pid < 1060; pid++)
		ck_assert_int_eq(ptree_fork(t, 1, pid, pid, T0 + MS(pid)), 0);
	for (pid = 1000; pid < 1030; pid++)
		ck_assert_int_eq(ptree_exit(t, pid, T0 + SEC(2)), 0);
	for (pid = 1060; pid < 1130; pid++)
		ck_assert_int_eq(ptree_fork(t, 1, pid, pid, T0 + SEC(3)), 0);
	ptree_get_stats(t, &st);
	ck_assert_uint_eq(st.entries, 100);
	ck_assert_uint_eq(st.evicted_exited, 30);
	ck_assert_uint_eq(st.evicted_live, 0);
	ck_assert_ptr_null(ptree_get(t, 1029));
	p = ptree_get(t, 1030);
	ck_assert_ptr_nonnull(p);
	ck_assert_uint_eq(p->pr_exit_ns, 0);
	ptree_proc_unref(p);
	/* Nothing exited left: the oldest live ones go. */
	for (pid = 1130; pid < 1140; pid++)
		ck_assert_int_eq(ptree_fork(t, 1, pid, pid, T0 + SEC(4)), 0);
	ptree_get_stats(t, &st);
	ck_assert_uint_eq(st.entries, 100);
	ck_assert_uint_eq(st.evicted_live, 10);
	ck_assert_ptr_null(ptree_get(t, 1039));
	p = ptree_get(t, 1040);
	ck_assert_ptr_nonnull(p);
	ptree_proc_unref(p);
	ptree_free(t);
}
END_TEST

START_TEST(test_bounded_bytes)
{
	struct ptree_opts o = { 0 };
	struct ptree_stats st;
	struct ptree *t;
	pid_t pid;

	o.proc_root = tmproot;
	o.max_bytes = 16384;
	t = ptree_new(&o);
	/* Each exec entry holds ~4 KiB of argv: at most 4 fit. */
	for (pid = 12; pid < 40; pid++) {
		static char line[12000];
		char big[4000];

		memset(big, 'x', sizeof(big) - 1);
		big[sizeof(big) - 1] = '\0';
		snprintf(line, sizeof(line),
		    HDR("SYSCALL", "1700000000.005:10") "arch=c000003e "
		    "syscall=59 success=yes exit=0 a0=1 a1=2 a2=3 a3=0 items=1 "
		    "ppid=1 pid=%d auid=0 uid=0 gid=0 euid=0 suid=0 fsuid=0 "
		    "egid=0 sgid=0 fsgid=0 tty=(none) ses=1 comm=\"x\" "
		    "exe=\"/bin/x\" key=(null)\n"
		    HDR("EXECVE", "1700000000.005:10") "argc=2 a0=\"x\" a1=\"%s\"\n",
		    (int)pid, big);
		ck_assert_int_eq(ptree_exec(t, pid, audit_event(line)), 0);
		ptree_get_stats(t, &st);
		ck_assert_uint_le(st.bytes, 16384);
	}
	ck_assert_uint_le(st.entries, 4);
	ck_assert_uint_ge(st.entries, 3);
	ck_assert_uint_eq(st.evicted_live, 28 - st.entries);
	ptree_free(t);
}
END_TEST

START_TEST(test_ids_sid_comm)
{
	struct ptree *t = api_tree(0, SEC(30));
	const struct ptree_proc *p, *old;

	root_proc(t, 10, "login", T0);
	ck_assert_int_eq(ptree_fork(t, 10, 11, 11, T0 + 1), 0);
	old = ptree_get(t, 11);
	ck_assert_int_eq(ptree_setid(t, 11, PTREE_ID_UID, 1000, 0), 0);
	ck_assert_int_eq(ptree_setid(t, 11, PTREE_ID_GID, 100, 101), 0);
	ck_assert_int_eq(ptree_setsid(t, 11), 0);
	ck_assert_int_eq(ptree_set_comm(t, 11, "a-very-long-name-indeed"), 0);
	ck_assert_int_eq(ptree_setsid(t, 99), -ENOENT);
	p = ptree_get(t, 11);
	ck_assert_uint_eq(p->pr_uid, 1000);
	ck_assert_uint_eq(p->pr_euid, 0);
	ck_assert_uint_eq(p->pr_gid, 100);
	ck_assert_uint_eq(p->pr_egid, 101);
	ck_assert_int_eq(p->pr_sid, 11);
	ck_assert_str_eq(p->pr_comm, "a-very-long-nam");
	/* The reference taken before the updates still shows the old entry. */
	ck_assert_str_eq(old->pr_comm, "login");
	ck_assert_int_ne(old->pr_sid, 11);
	ptree_proc_unref(old);
	old = ptree_session_leader(t, p);
	ck_assert_ptr_eq(old, p);
	ptree_proc_unref(old);
	ptree_proc_unref(p);
	ptree_free(t);
}
END_TEST

/* An ns/pid link in proc dir PID (readlink is all pfs_pidns does). */
static void
mkpidns(int pid, unsigned long long ino)
{
	char path[256], target[64];

	snprintf(path, sizeof(path), "%s/%d/ns", tmproot, pid);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/%d/ns/pid", tmproot, pid);
	snprintf(target, sizeof(target), "pid:[%llu]", ino);
	ck_assert_int_eq(symlink(target, path), 0);
}

static void
rmpidns(int pid)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%d/ns/pid", tmproot, pid);
	unlink(path);
	snprintf(path, sizeof(path), "%s/%d/ns", tmproot, pid);
	rmdir(path);
}

/*
 * `docker exec C true`: runc's init is forked into the container's pid
 * namespace with runc's cgroup, moved into the container's cgroup, then
 * execs a command that is gone before /proc is read.  The child takes
 * the container of the namespace's known processes at its fork.
 */
START_TEST(test_fork_into_pidns)
{
	static const char cg[] = "0::/docker-0123456789abcdef0123.scope\n";
	struct fp ctr = { 10, 1, 10, "sleep", 0, 100, "sleep", 5,
	    "/bin/sleep", cg, NULL };
	struct fp runc = { 20, 1, 20, "runc", 0, 200, "runc", 4,
	    "/usr/bin/runc", NULL, NULL };
	struct fp other = { 30, 1, 30, "sleep", 0, 100, "sleep", 5,
	    "/bin/sleep", "0::/docker-fedcba9876543210fedc.scope\n", NULL };
	struct fp child = { 21, 20, 20, "runc:[2:INIT]", 0, 300, "runc", 4,
	    "/usr/bin/runc", NULL, NULL };
	const struct ptree_proc *p;
	struct ptree *t;

	mkproc(&ctr);
	mkpidns(10, 4026532999ull);
	mkproc(&runc);
	mkpidns(20, 4026531836ull);
	t = tree_at(tmproot, 0);
	ck_assert_int_ge(ptree_seed(t), 0);
	p = ptree_get(t, 10);
	ck_assert_uint_eq(p->pr_pidns, 4026532999ull);
	ck_assert_str_eq(p->pr_cid, "0123456789ab");
	ptree_proc_unref(p);

	/* Born in the container's namespace, still in runc's cgroup. */
	mkproc(&child);
	mkpidns(21, 4026532999ull);
	ck_assert_int_eq(ptree_fork(t, 20, 21, 21, ticks(300)), 0);
	rmpidns(21);
	rmproc(21);
	ck_assert_int_eq(ptree_exec_proc(t, 21, ticks(310)), -ENOENT);
	p = ptree_get(t, 21);
	ck_assert_uint_eq(p->pr_pidns, 4026532999ull);
	ck_assert_str_eq(p->pr_cid, "0123456789ab");
	ck_assert_str_eq(p->pr_cgroup.p, cg);
	ptree_proc_unref(p);

	/* A fork that stays in runc's namespace keeps runc's container. */
	child.pid = 22;
	mkproc(&child);
	mkpidns(22, 4026531836ull);
	ck_assert_int_eq(ptree_fork(t, 20, 22, 22, ticks(320)), 0);
	p = ptree_get(t, 22);
	ck_assert_str_eq(p->pr_cid, "host");
	ptree_proc_unref(p);

	/* Two containers share the namespace: no guess. */
	mkproc(&other);
	mkpidns(30, 4026532999ull);
	ck_assert_int_ge(ptree_seed(t), 0);
	child.pid = 23;
	mkproc(&child);
	mkpidns(23, 4026532999ull);
	ck_assert_int_eq(ptree_fork(t, 20, 23, 23, ticks(330)), 0);
	p = ptree_get(t, 23);
	ck_assert_str_eq(p->pr_cid, "host");
	ptree_proc_unref(p);
	ptree_free(t);
}
END_TEST

/*
 * busybox sh runs chmod as a forked child that never execs: the child's
 * first audit event can come before the connector's fork report.  The
 * agent then adds the fork's copy of the parent; the late report merges.
 */
START_TEST(test_fork_unseen)
{
	struct ptree *t = api_tree(0, SEC(30));
	const struct ptree_proc *p;
	struct ptree_stats st;

	root_proc(t, 10, "sh", T0);
	ck_assert_int_eq(ptree_fork_unseen(t, 10, 11, T0 + MS(5)), 0);
	p = ptree_get_at(t, 11, T0 + MS(5));
	ck_assert_ptr_nonnull(p);
	ck_assert_str_eq(p->pr_comm, "sh");
	ck_assert_int_eq(p->pr_ppid, 10);
	ck_assert(p->pr_flags & PTREE_F_NOFORK);
	ptree_proc_unref(p);
	/* Known now: nothing changes. */
	ck_assert_int_eq(ptree_fork_unseen(t, 10, 11, T0 + MS(6)), 0);
	/* The connector's report (the fork was 2 ms before the event). */
	ck_assert_int_eq(ptree_fork(t, 10, 11, 11, T0 + MS(3)), 0);
	ptree_get_stats(t, &st);
	ck_assert_uint_eq(st.missed_exits, 0);
	ck_assert_uint_eq(st.live, 2);
	p = ptree_get(t, 11);
	ck_assert(p->pr_flags & PTREE_F_FORKED);
	ptree_proc_unref(p);
	/* Parent unknown: nothing to copy. */
	ck_assert_int_eq(ptree_fork_unseen(t, 77, 78, T0), -ENOENT);
	ck_assert_ptr_null(ptree_get(t, 78));
	ck_assert_int_eq(ptree_fork_unseen(t, 0, 78, T0), -EINVAL);
	ptree_free(t);
}
END_TEST

START_TEST(test_get_at_slack)
{
	struct ptree *t = api_tree(0, SEC(30));
	const struct ptree_proc *p;

	ck_assert_int_eq(ptree_fork(t, 1, 42, 42, T0 + MS(10) + 700000), 0);
	/* An audit time truncated to the ms, just before the fork time. */
	p = ptree_get_at(t, 42, T0 + MS(10));
	ck_assert_ptr_nonnull(p);
	ptree_proc_unref(p);
	/* Long before: no process had that pid. */
	ck_assert_ptr_null(ptree_get_at(t, 42, T0 - SEC(1)));
	ck_assert_int_eq(ptree_exit(t, 42, T0 + SEC(1)), 0);
	ck_assert_ptr_null(ptree_get_at(t, 42, T0 + SEC(2)));
	p = ptree_get_at(t, 42, T0 + SEC(1) + MS(10));
	ck_assert_ptr_nonnull(p);
	ptree_proc_unref(p);
	ptree_free(t);
}
END_TEST

START_TEST(test_exec_unknown_process)
{
	struct ptree *t = api_tree(0, SEC(30));
	const struct ptree_proc *p;
	int64_t d;

	/* Audit reports an exec before the connector's fork. */
	root_proc(t, 11, "sh", T0);
	ck_assert_int_eq(ptree_exec(t, 12, audit_event(E_SLEEP)), 0);
	p = ptree_get(t, 12);
	ck_assert_str_eq(p->pr_comm, "sleep");
	ck_assert(p->pr_flags & PTREE_F_NOFORK);
	ck_assert(!ptree_proc_duration(p, T0 + SEC(1), &d));
	ptree_proc_unref(p);
	ck_assert_str_eq(aname(t, 12, 1), "sh");
	/* The fork event, late: the same process, not a new one. */
	ck_assert_int_eq(ptree_fork(t, 11, 12, 12, T0 + MS(4)), 0);
	p = ptree_get(t, 12);
	ck_assert_str_eq(p->pr_comm, "sleep");
	ck_assert(p->pr_flags & PTREE_F_FORKED);
	ptree_proc_unref(p);
	{
		struct ptree_stats st;

		ptree_get_stats(t, &st);
		ck_assert_uint_eq(st.entries, 2);
		ck_assert_uint_eq(st.missed_exits, 0);
	}
	/* An event about another pid is refused. */
	ck_assert_int_eq(ptree_exec(t, 13, audit_event(E_SLEEP)), -EINVAL);
	ptree_free(t);
}
END_TEST

/* ---- Concurrency ------------------------------------------------------- */

struct race {
	struct ptree	*t;
	atomic_int	 stop;
};

struct rd {
	struct race	*r;
	unsigned long	 reads, hits, bad;
};

static void *
reader(void *arg)
{
	struct rd *d = arg;
	const struct ptree_proc *p, *out[8];
	unsigned k;
	size_t len;

	while (!atomic_load(&d->r->stop)) {
		pid_t pid = (pid_t)(100 + d->reads % 200);

		d->reads++;
		if ((p = ptree_get(d->r->t, pid)) == NULL)
			continue;
		d->hits++;
		/* Immutable entries: never a torn comm or a foreign pid. */
		len = strlen(p->pr_comm);
		if (p->pr_pid != pid || (len != 0 && len != 4))
			d->bad++;
		k = ptree_ancestors(d->r->t, p, out, 8);
		while (k > 0)
			ptree_proc_unref(out[--k]);
		ptree_proc_unref(p);
	}
	return NULL;
}

START_TEST(test_concurrent)
{
	struct race r;
	struct rd d[2];
	pthread_t th[2];
	unsigned i;
	pid_t pid;
	char comm[8];

	r.t = api_tree(256, MS(1));
	atomic_init(&r.stop, 0);
	for (i = 0; i < 2; i++) {
		d[i] = (struct rd){ &r, i * 7, 0, 0 };
		ck_assert_int_eq(pthread_create(&th[i], NULL, reader, &d[i]), 0);
	}
	for (i = 0; i < 20000; i++) {
		pid = (pid_t)(100 + i % 200);
		snprintf(comm, sizeof(comm), "p%03u", i % 1000);
		(void)ptree_exit(r.t, pid, T0 + i * 1000ull);
		ck_assert_int_eq(ptree_fork(r.t, 100 + (i + 199) % 200, pid, pid,
		    T0 + i * 1000ull + 1), 0);
		ck_assert_int_eq(ptree_set_comm(r.t, pid, comm), 0);
		if (i % 1000 == 0)
			(void)ptree_prune(r.t, T0 + i * 1000ull);
	}
	atomic_store(&r.stop, 1);
	for (i = 0; i < 2; i++) {
		pthread_join(th[i], NULL);
		ck_assert_uint_gt(d[i].hits, 0);
		ck_assert_uint_eq(d[i].bad, 0);
	}
	ptree_free(r.t);
}
END_TEST

static void
ev_setup(void)
{
	tmp_setup();
	fc_event_init(&aev);
}

static void
ev_teardown(void)
{
	fc_event_fini(&aev);
	tmp_teardown();
}

Suite *
suite_for_main(void)
{
	Suite *s = suite_create("proc");
	struct { const char *name; const TTest *fn; int tmp; } cases[] = {
		{ "caps_render", test_caps_render, 0 },
		{ "parse_stat", test_parse_stat, 0 },
		{ "parse_status", test_parse_status, 0 },
		{ "seed_fixture", test_seed_fixture, 1 },
		{ "seed_twice", test_seed_twice, 1 },
		{ "seed_truncated", test_seed_truncated, 1 },
		{ "huge_cmdline", test_huge_cmdline, 1 },
		{ "resync", test_resync, 1 },
		{ "exec_merge", test_exec_merge, 1 },
		{ "exec_proc_reused", test_exec_proc_reused, 1 },
		{ "exec_read_mask", test_exec_read_mask, 1 },
		{ "short_chain_api", test_short_chain_api, 1 },
		{ "orphan_held", test_orphan_held, 1 },
		{ "pid_reuse", test_pid_reuse, 1 },
		{ "reuse_evicted", test_reuse_evicted, 1 },
		{ "deep_chain", test_deep_chain, 1 },
		{ "bounded", test_bounded, 1 },
		{ "bounded_bytes", test_bounded_bytes, 1 },
		{ "ids_sid_comm", test_ids_sid_comm, 1 },
		{ "get_at_slack", test_get_at_slack, 1 },
		{ "fork_into_pidns", test_fork_into_pidns, 1 },
		{ "fork_unseen", test_fork_unseen, 1 },
		{ "exec_unknown_process", test_exec_unknown_process, 1 },
		{ "concurrent", test_concurrent, 1 },
	};
	unsigned i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		TCase *tc = tcase_create(cases[i].name);

		if (cases[i].tmp)
			tcase_add_checked_fixture(tc, ev_setup, ev_teardown);
		else
			tcase_add_checked_fixture(tc, setup, teardown);
		tcase_add_test(tc, cases[i].fn);
		tcase_set_timeout(tc, 60);
		suite_add_tcase(s, tc);
	}
	return s;
}
