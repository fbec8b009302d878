/*
 * check_fanotify.c - the fanotify source (src/fanotify/fanotify.h),
 * offline part: the de-duplication cache (audit wins, window, bounds),
 * the bounded queue (items, bytes, hold_ms, shutdown), watch matching,
 * crafted metadata buffers (bad version, overflow, our own pid: every fd
 * closed, nothing read past the end), items turned into events for each
 * kind, those events through the real rule engine, the feature line.  The real-kernel cases are in
 * check_fanotify_live.c, added when running as root with fanotify.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check_main.h"
#include "core/event.h"
#include "fanotify/fan_int.h"
#include "fan_test.h"
#include "rules/engine.h"

/* ---- Helpers --------------------------------------------------------------- */

static void
set_path(struct fc_event *ev, int i, const char *name, enum fc_nametype nt,
    uint64_t ino)
{
	struct fc_path *pt = &ev->ev_paths[i];

	memset(pt, 0, sizeof(*pt));
	pt->pt_name = (struct fc_str){ name, (uint32_t)strlen(name) };
	pt->pt_nametype = nt;
	if (ino != 0) {
		pt->pt_flags = FC_PT_INODE;
		pt->pt_inode = ino;
		pt->pt_dev_major = 8;
		pt->pt_dev_minor = 1;
	}
	if (i + 1 > ev->ev_npaths)
		ev->ev_npaths = (uint8_t)(i + 1);
}

/* ---- De-duplication ------------------------------------------------------- */

START_TEST(dedup_audit_wins)
{
	struct fan_dedup *d = fan_dedup_new(64, 100);
	struct fc_event au, fa;
	struct fan_dedup_stats st;

	fc_event_init(&au);
	fc_event_init(&fa);
	/* audit: openat("shadow") in /etc, inode 42. */
	au.ev_syscall_name = "openat";
	au.ev_pid = 100;
	au.ev_cwd = (struct fc_str){ "/etc", 4 };
	set_path(&au, 0, "shadow", FC_NT_NORMAL, 42);
	ck_assert_int_eq(fan_dedup_note(d, &au, 1000), 2);	/* inode + path */
	/* fanotify: the same open, by inode. */
	fa.ev_syscall_name = "openat";
	fa.ev_pid = 100;
	set_path(&fa, 0, "/etc/shadow", FC_NT_NORMAL, 42);
	ck_assert(fan_dedup_seen(d, &fa, 1050));
	/* By path alone (no inode: e.g. a stat failure), normalised. */
	set_path(&fa, 0, "/etc/alt/shadow", FC_NT_NORMAL, 0);
	ck_assert(!fan_dedup_seen(d, &fa, 1050));	/* another name */
	set_path(&fa, 0, "/etc//./shadow", FC_NT_NORMAL, 0);
	ck_assert(fan_dedup_seen(d, &fa, 1100));	/* window edge: kept */
	ck_assert(!fan_dedup_seen(d, &fa, 1101));	/* past the window */
	/* Another pid, another class: not the same operation. */
	fa.ev_pid = 101;
	ck_assert(!fan_dedup_seen(d, &fa, 1050));
	fa.ev_pid = 100;
	fa.ev_syscall_name = "execve";
	ck_assert(!fan_dedup_seen(d, &fa, 1050));
	fan_dedup_stats(d, &st);
	ck_assert_uint_eq(st.hits, 2);
	ck_assert_uint_eq(st.misses, 4);
	fc_event_fini(&au);
	fc_event_fini(&fa);
	fan_dedup_free(d);
}
END_TEST

START_TEST(dedup_create_delete_rename)
{
	struct fan_dedup *d = fan_dedup_new(64, 100);
	struct fc_event au, fa;

	fc_event_init(&au);
	fc_event_init(&fa);
	/* audit renameat(AT_FDCWD, "a", AT_FDCWD, "b") in /tmp/x. */
	au.ev_syscall_name = "renameat";
	au.ev_pid = 7;
	au.ev_cwd = (struct fc_str){ "/tmp/x", 6 };
	set_path(&au, 0, "/tmp/x", FC_NT_PARENT, 1);
	set_path(&au, 1, "/tmp/x", FC_NT_PARENT, 1);
	set_path(&au, 2, "a", FC_NT_DELETE, 9);
	set_path(&au, 3, "b", FC_NT_CREATE, 9);
	ck_assert_int_eq(fan_dedup_note(d, &au, 0), 4);
	/* fanotify's unlinkat of /tmp/x/a (no inode) is a DELETE of that path. */
	fa.ev_syscall_name = "renameat";
	fa.ev_pid = 7;
	set_path(&fa, 0, "/tmp/x/a", FC_NT_DELETE, 0);
	ck_assert(fan_dedup_seen(d, &fa, 10));
	/* A create of /tmp/x/c is new. */
	fa.ev_syscall_name = "openat";
	set_path(&fa, 0, "/tmp/x", FC_NT_PARENT, 0);
	set_path(&fa, 1, "/tmp/x/c", FC_NT_CREATE, 11);
	ck_assert(!fan_dedup_seen(d, &fa, 10));
	fc_event_fini(&au);
	fc_event_fini(&fa);
	fan_dedup_free(d);
}
END_TEST

START_TEST(dedup_bounded)
{
	struct fan_dedup *d = fan_dedup_new(16, 1000);
	struct fan_dedup_stats st;
	uint64_t k;
	int i;

	for (i = 0; i < 1000; i++)
		fan_dedup_note_key(d, fan_dedup_key_ino(i, FAN_DC_OPEN, 0, 0, 1),
		    (uint64_t)i);
	fan_dedup_stats(d, &st);
	ck_assert_uint_eq(st.capacity, 16);
	ck_assert_uint_le(st.used, 16);
	ck_assert_uint_ge(st.evictions, 1000 - 16);
	/* The newest survive; the oldest were evicted. */
	k = fan_dedup_key_ino(999, FAN_DC_OPEN, 0, 0, 1);
	ck_assert(fan_dedup_seen_key(d, k, 1000));
	k = fan_dedup_key_ino(0, FAN_DC_OPEN, 0, 0, 1);
	ck_assert(!fan_dedup_seen_key(d, k, 1000));
	fan_dedup_free(d);
}
END_TEST

/* ---- Queue ---------------------------------------------------------------- */

static struct fan_item *
qitem(size_t size)
{
	struct fan_item *it = calloc(1, sizeof(*it));

	ck_assert_ptr_nonnull(it);
	it->size = size;
	it->mono_ms = fan_mono_ms();
	return it;
}

START_TEST(queue_hold_and_bounds)
{
	struct fan_queue *q = fan_queue_new(2, 100);
	struct fan_item *a = qitem(60), *b = qitem(60), *c = qitem(10), *x;
	size_t depth, high;
	int64_t t0;
	bool shut;

	ck_assert_int_eq(fan_queue_try_push(q, a), 0);
	ck_assert_int_eq(fan_queue_try_push(q, b), -ENOBUFS);	/* bytes */
	ck_assert_int_eq(fan_queue_try_push(q, c), 0);
	ck_assert_int_eq(fan_queue_try_push(q, b), -ENOBUFS);	/* items */
	fan_queue_depth(q, &depth, &high);
	ck_assert_uint_eq(depth, 2);
	ck_assert_uint_eq(high, 2);
	/* hold_ms: not handed out before it is 150 ms old. */
	t0 = fan_mono_ms();
	ck_assert_ptr_null(fan_queue_pop(q, 30, 150, &shut));
	ck_assert(!shut);
	x = fan_queue_pop(q, 1000, 150, &shut);
	ck_assert_ptr_eq(x, a);
	ck_assert_int_ge(fan_mono_ms() - a->mono_ms, 150);
	ck_assert_int_lt(fan_mono_ms() - t0, 900);
	free(x);
	ck_assert_ptr_eq(fan_queue_pop(q, 0, 0, &shut), c);
	free(c);
	fan_queue_shutdown(q);
	ck_assert_int_eq(fan_queue_try_push(q, b), -ESHUTDOWN);
	ck_assert_ptr_null(fan_queue_pop(q, -1, 0, &shut));
	ck_assert(shut);
	free(b);
	fan_queue_free(q);
}
END_TEST

/* ---- A source without a kernel: for the parsers -------------------------- */

static struct fan_src *
fake_src(void)
{
	struct fan_src *s = calloc(1, sizeof(*s));

	ck_assert_ptr_nonnull(s);
	s->fd_grp = s->fid_grp = s->stopfd = -1;
	s->self = (int32_t)getpid();
	s->procfd = open("/proc", O_PATH | O_DIRECTORY | O_CLOEXEC);
	s->q = fan_queue_new(16, 0);
	s->wdedup = fan_dedup_new(64, 1000);
	s->ib = malloc(sizeof(*s->ib));
	s->pcache = calloc(1, sizeof(*s->pcache));
	s->opts.batch = 64;
	pthread_mutex_init(&s->mu, NULL);
	pthread_rwlock_init(&s->ws_lock, NULL);
	return s;
}

static void
fake_free(struct fan_src *s)
{
	close(s->procfd);
	fan_queue_free(s->q);
	fan_dedup_free(s->wdedup);
	free(s->ib);
	free(s->pcache);
	free(s);
}

static void
fake_watch(struct fan_src *s, const char *path, uint32_t ops, bool dir)
{
	struct fan_wrec *w = &s->ws[s->nws++];

	w->path = (char *)path;
	w->len = strlen(path);
	w->ops = ops;
	w->is_dir = dir;
}

START_TEST(watch_matching)
{
	struct fan_src *s = fake_src();

	fake_watch(s, "/etc", FAN_OP_READ, true);
	fake_watch(s, "/root/.ssh/authorized_keys", FAN_OP_WRITE, false);
	fake_watch(s, "/var/lib", FAN_OP_READ | FAN_OP_SUBTREE, true);
	fake_watch(s, "/", FAN_OP_DIRENT, true);
#define M(p, op) fan_watch_match(s, p, strlen(p), op)
	ck_assert(M("/etc/shadow", FAN_OP_READ));
	ck_assert(M("/etc", FAN_OP_READ));
	ck_assert(!M("/etc/ssh/sshd_config", FAN_OP_READ));	/* not a child */
	ck_assert(!M("/etcx/shadow", FAN_OP_READ));
	ck_assert(!M("/etc/shadow", FAN_OP_WRITE));
	ck_assert(M("/root/.ssh/authorized_keys", FAN_OP_WRITE));
	ck_assert(!M("/root/.ssh/known_hosts", FAN_OP_WRITE));
	ck_assert(M("/var/lib/a/b/c", FAN_OP_READ));
	ck_assert(!M("/var/library", FAN_OP_READ));
	ck_assert(M("/x", FAN_OP_DIRENT));
	ck_assert(!M("/x/y", FAN_OP_DIRENT));
	ck_assert(!M("/bin/true", FAN_OP_EXEC));
	s->opts.exec_all = true;
	ck_assert(M("/bin/true", FAN_OP_EXEC));
#undef M
	fake_free(s);
}
END_TEST

static bool
fd_closed(int fd)
{
	return fcntl(fd, F_GETFD) < 0 && errno == EBADF;
}

START_TEST(parse_crafted)
{
	struct fan_src *s = fake_src();
	struct fanotify_event_metadata m[3];
	int p[2];

	ck_assert_int_eq(pipe(p), 0);
	/* An overflow, then one of ours with an fd, then a bad version. */
	memset(m, 0, sizeof(m));
	m[0] = (struct fanotify_event_metadata){ sizeof(m[0]),
	    FANOTIFY_METADATA_VERSION, 0, sizeof(m[0]), FAN_Q_OVERFLOW,
	    FAN_NOFD, 0 };
	m[1] = (struct fanotify_event_metadata){ sizeof(m[1]),
	    FANOTIFY_METADATA_VERSION, 0, sizeof(m[1]), FAN_OPEN, p[0],
	    getpid() };
	m[2] = m[1];
	m[2].vers = 99;
	m[2].fd = p[1];
	fan_parse_fd_batch(s, (const char *)m, sizeof(m));
	ck_assert_uint_eq(s->overflows, 1);
	ck_assert_uint_eq(s->self_ev, 1);
	ck_assert_uint_eq(s->read_errors, 1);
	ck_assert_uint_eq(s->fds_open, 0);
	ck_assert(fd_closed(p[0]));
	ck_assert(fd_closed(p[1]));	/* closed though the record was bad */
	/* A truncated record: nothing read past the end. */
	fan_parse_fd_batch(s, (const char *)m, sizeof(m[0]) - 1);
	ck_assert_uint_eq(s->read_events, 2);
	fake_free(s);
}
END_TEST

START_TEST(parse_crafted_fid)
{
	struct fan_src *s = fake_src();
	char buf[256];
	struct fanotify_event_metadata m = { 0 };
	struct fan_info_hdr h = { FAN_INFO_DFID_NAME, 0, 200 };

	/* The info record claims more bytes than the event has. */
	m.event_len = sizeof(m) + 16;
	m.vers = FANOTIFY_METADATA_VERSION;
	m.metadata_len = sizeof(m);
	m.mask = FAN_CREATE;
	m.fd = FAN_NOFD;
	m.pid = 1;
	memset(buf, 0, sizeof(buf));
	memcpy(buf, &m, sizeof(m));
	memcpy(buf + sizeof(m), &h, sizeof(h));
	fan_parse_fid_batch(s, buf, m.event_len);
	ck_assert_uint_eq(s->read_events, 1);
	ck_assert_uint_eq(s->read_errors, 1);
	ck_assert_uint_eq(s->queued, 0);
	fake_free(s);
}
END_TEST

/* ---- Items -> events ------------------------------------------------------ */

static struct fan_item *
mk_item(int kind, const char *path, const char *path2, const char *dir,
    const char *dir2)
{
	static struct fan_ibuild b;
	static uint32_t seq;

	fan_ib_reset(&b);
	b.it.seq = ++seq;
	b.it.kind = (uint8_t)kind;
	b.it.pid = 1234;
	b.it.sec = 1700000000;
	b.it.msec = 5;
	b.it.pr.ppid = 1;
	b.it.pr.ok = true;
	b.it.pr.uid = b.it.pr.euid = 1000;
	b.it.obj = (struct fan_obj){ true, 77, 0, 45, S_IFREG | 0644, 0, 0, 1 };
	if (path)
		fan_ib_set(&b, FAN_S_PATH, path, strlen(path));
	if (path2)
		fan_ib_set(&b, FAN_S_PATH2, path2, strlen(path2));
	if (dir)
		fan_ib_set(&b, FAN_S_DIR, dir, strlen(dir));
	if (dir2)
		fan_ib_set(&b, FAN_S_DIR2, dir2, strlen(dir2));
	fan_ib_set(&b, FAN_S_COMM, "cat", 3);
	if (kind == FAN_K_EXEC)	/* as the reader does: the new program */
		fan_ib_set(&b, FAN_S_EXE, path, strlen(path));
	else
		fan_ib_set(&b, FAN_S_EXE, "/usr/bin/cat", 12);
	return fan_ib_finish(&b);
}

static void
to_event(struct fan_item *it, struct fc_event *ev)
{
	ck_assert_int_eq(fan_item_to_event(it, ev), 0);
	free(it);
}

#define PATH_IS(ev, i, name, nt) do { \
	ck_assert_str_eq((ev)->ev_paths[i].pt_name.p, name); \
	ck_assert_int_eq((ev)->ev_paths[i].pt_nametype, nt); \
} while (0)

START_TEST(items_to_events)
{
	struct fc_event ev;

	fc_event_init(&ev);
	to_event(mk_item(FAN_K_OPEN, "/etc/shadow", NULL, NULL, NULL), &ev);
	ck_assert_str_eq(ev.ev_syscall_name, "openat");
	ck_assert_int_eq((int32_t)ev.ev_a[0], AT_FDCWD);
	ck_assert_uint_eq(ev.ev_a[2], O_RDONLY);
	ck_assert_int_eq(ev.ev_exit, 0);
	ck_assert(ev.ev_flags & FAN_EV_FANOTIFY);
	ck_assert(ev.ev_flags & FC_EV_HAS_EXIT);
	ck_assert_int_eq(ev.ev_pid, 1234);
	ck_assert_int_eq(ev.ev_ppid, 1);
	ck_assert_uint_eq(ev.ev_uid, 1000);
	ck_assert_str_eq(ev.ev_comm.p, "cat");
	ck_assert_str_eq(ev.ev_exe.p, "/usr/bin/cat");
	ck_assert_uint_eq(ev.ev_npaths, 1);
	PATH_IS(&ev, 0, "/etc/shadow", FC_NT_NORMAL);
	ck_assert_uint_eq(ev.ev_paths[0].pt_inode, 77);
	ck_assert_uint_eq(ev.ev_paths[0].pt_dev_minor, 45);
	ck_assert_uint_eq(ev.ev_sec, 1700000000);

	to_event(mk_item(FAN_K_WRITE, "/etc/passwd", NULL, NULL, NULL), &ev);
	ck_assert_str_eq(ev.ev_syscall_name, "openat");
	ck_assert_uint_eq(ev.ev_a[2], O_WRONLY);

	to_event(mk_item(FAN_K_EXEC, "/tmp/x/true", NULL, NULL, NULL), &ev);
	ck_assert_str_eq(ev.ev_syscall_name, "execve");
	PATH_IS(&ev, 0, "/tmp/x/true", FC_NT_NORMAL);

	to_event(mk_item(FAN_K_CREATE, "/tmp/d/a", NULL, "/tmp/d", NULL), &ev);
	ck_assert_str_eq(ev.ev_syscall_name, "openat");
	ck_assert_uint_eq(ev.ev_a[2], O_WRONLY | O_CREAT);
	ck_assert_uint_eq(ev.ev_a[3], 0644);
	PATH_IS(&ev, 0, "/tmp/d", FC_NT_PARENT);
	PATH_IS(&ev, 1, "/tmp/d/a", FC_NT_CREATE);

	to_event(mk_item(FAN_K_DELETE, "/tmp/d/a", NULL, "/tmp/d", NULL), &ev);
	ck_assert_str_eq(ev.ev_syscall_name, "unlinkat");
	ck_assert_uint_eq(ev.ev_a[2], 0);
	PATH_IS(&ev, 1, "/tmp/d/a", FC_NT_DELETE);
	ck_assert(!(ev.ev_paths[1].pt_flags & FC_PT_INODE));

	to_event(mk_item(FAN_K_RENAME, "/a/x", "/b/y", "/a", "/b"), &ev);
	ck_assert_str_eq(ev.ev_syscall_name, "renameat");
	ck_assert_uint_eq(ev.ev_npaths, 4);
	PATH_IS(&ev, 0, "/a", FC_NT_PARENT);
	PATH_IS(&ev, 1, "/b", FC_NT_PARENT);
	PATH_IS(&ev, 2, "/a/x", FC_NT_DELETE);
	PATH_IS(&ev, 3, "/b/y", FC_NT_CREATE);

	to_event(mk_item(FAN_K_MOVED_TO, NULL, "/b/y", NULL, "/b"), &ev);
	ck_assert_str_eq(ev.ev_syscall_name, "renameat");
	ck_assert_uint_eq(ev.ev_npaths, 2);
	PATH_IS(&ev, 1, "/b/y", FC_NT_CREATE);
	fc_event_fini(&ev);
}
END_TEST

/* ---- Through the rule engine ---------------------------------------------- */

static const char rules_yaml[] =
"- rule: read shadow\n"
"  desc: t\n"
"  condition: evt.type in (open, openat, openat2) and evt.is_open_read=true\n"
"    and fd.typechar='f' and fd.num>=0 and fd.name=/etc/shadow\n"
"  output: read %fd.name by %proc.name (%proc.exepath) pid=%proc.pid\n"
"  priority: WARNING\n"
"- rule: write below etc\n"
"  desc: t\n"
"  condition: evt.type in (open, openat, openat2) and evt.is_open_write=true\n"
"    and fd.directory=/etc\n"
"  output: write %fd.name\n"
"  priority: ERROR\n"
"- rule: exec from tmp\n"
"  desc: t\n"
"  condition: evt.type=execve and proc.exepath startswith /tmp/\n"
"  output: exec %proc.exepath %proc.name\n"
"  priority: ERROR\n"
"- rule: create in tmp\n"
"  desc: t\n"
"  condition: evt.type in (open, openat) and evt.is_open_create=true\n"
"    and fd.name startswith /tmp/\n"
"  output: create %fd.name\n"
"  priority: NOTICE\n"
"- rule: delete or rename\n"
"  desc: t\n"
"  condition: evt.type in (unlinkat, renameat, renameat2) and\n"
"    (fs.path.name startswith /tmp/ or fs.path.source startswith /tmp/)\n"
"  output: \"%evt.type %fs.path.name %fs.path.source %fs.path.target\"\n"
"  priority: NOTICE\n";

struct hits {
	int	 n;
	char	 rule[8][64];
	char	 out[8][256];
};

static void
on_alert(const struct fc_alert *a, void *arg)
{
	struct hits *h = arg;

	if (h->n < 8) {
		snprintf(h->rule[h->n], sizeof(h->rule[0]), "%s", a->rule);
		snprintf(h->out[h->n], sizeof(h->out[0]), "%.*s",
		    (int)a->output_len, a->output);
	}
	h->n++;
}

static struct hits
eval_item(struct rule_matcher *m, struct fan_item *it)
{
	struct fc_event ev;
	struct hits h = { 0 };

	fc_event_init(&ev);
	to_event(it, &ev);
	rule_matcher_eval(m, &ev, on_alert, &h);
	fc_event_fini(&ev);
	return h;
}

START_TEST(events_match_rules)
{
	char dir[] = "/tmp/falconet-fanrules.XXXXXX", path[64];
	struct rule_engine_opts o;
	struct rule_engine *e;
	struct rule_matcher *m;
	const char *paths[1] = { path };
	struct hits h;
	FILE *f;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/r.yaml", dir);
	ck_assert_ptr_nonnull(f = fopen(path, "w"));
	fputs(rules_yaml, f);
	fclose(f);
	rule_engine_opts_defaults(&o);
	o.match_all = true;
	o.suggested_output = false;
	ck_assert_ptr_nonnull(e = rule_engine_load(paths, 1, &o));
	ck_assert(rule_engine_ok(e));
	ck_assert_ptr_nonnull(m = rule_matcher_new(e));

	h = eval_item(m, mk_item(FAN_K_OPEN, "/etc/shadow", NULL, NULL, NULL));
	ck_assert_int_eq(h.n, 1);
	ck_assert_str_eq(h.rule[0], "read shadow");
	ck_assert_str_eq(h.out[0], "read /etc/shadow by cat (/usr/bin/cat) pid=1234");
	h = eval_item(m, mk_item(FAN_K_WRITE, "/etc/passwd", NULL, NULL, NULL));
	ck_assert_int_eq(h.n, 1);
	ck_assert_str_eq(h.out[0], "write /etc/passwd");
	h = eval_item(m, mk_item(FAN_K_WRITE, "/etc/shadow", NULL, NULL, NULL));
	ck_assert_int_eq(h.n, 1);	/* a write is not a read */
	ck_assert_str_eq(h.rule[0], "write below etc");
	h = eval_item(m, mk_item(FAN_K_EXEC, "/tmp/x/true", NULL, NULL, NULL));
	ck_assert_int_eq(h.n, 1);
	ck_assert_str_eq(h.out[0], "exec /tmp/x/true cat");
	h = eval_item(m, mk_item(FAN_K_CREATE, "/tmp/d/a", NULL, "/tmp/d", NULL));
	ck_assert_int_eq(h.n, 1);
	ck_assert_str_eq(h.out[0], "create /tmp/d/a");
	h = eval_item(m, mk_item(FAN_K_DELETE, "/tmp/d/a", NULL, "/tmp/d", NULL));
	ck_assert_int_eq(h.n, 1);
	ck_assert_str_eq(h.out[0], "unlinkat /tmp/d/a <NA> <NA>");
	h = eval_item(m, mk_item(FAN_K_RENAME, "/tmp/d/a", "/tmp/d/b", "/tmp/d",
	    "/tmp/d"));
	ck_assert_int_eq(h.n, 1);
	ck_assert_str_eq(h.out[0], "renameat <NA> /tmp/d/a /tmp/d/b");
	rule_matcher_free(m);
	rule_engine_free(e);
	unlink(path);
	rmdir(dir);
}
END_TEST

START_TEST(features_line)
{
	struct fan_features f = { 0 };
	char buf[512];

	f.init = FAN_F_CLASS_NOTIF | FAN_F_REPORT_FID;
	f.marks = FAN_M_MOUNT | FAN_M_OPEN_EXEC;
	f.max_queued_events = 16384;
	f.max_user_marks = -1;
	fan_features_str(&f, buf, sizeof(buf));
	ck_assert_str_eq(buf, "fanotify: init=notif,report_fid "
	    "marks=mount,open_exec max_queued_events=16384 max_user_marks=-1");
	f.err = -EPERM;
	fan_features_str(&f, buf, sizeof(buf));
	ck_assert_str_eq(buf, "fanotify: unavailable (Operation not permitted)");
	/* Truncation is safe and reports the full length. */
	f.err = 0;
	ck_assert_int_gt(fan_features_str(&f, buf, 8), 8);
	ck_assert_str_eq(buf, "fanotif");
}
END_TEST

static bool
kernel_ok(void)
{
	struct fan_features f;

	return geteuid() == 0 && fan_probe(NULL, &f) == 0;
}

Suite *
suite_for_main(void)
{
	Suite *s = suite_create("fanotify");
	TCase *tc = tcase_create("offline");

	tcase_add_test(tc, dedup_audit_wins);
	tcase_add_test(tc, dedup_create_delete_rename);
	tcase_add_test(tc, dedup_bounded);
	tcase_add_test(tc, queue_hold_and_bounds);
	tcase_add_test(tc, watch_matching);
	tcase_add_test(tc, parse_crafted);
	tcase_add_test(tc, parse_crafted_fid);
	tcase_add_test(tc, items_to_events);
	tcase_add_test(tc, features_line);
	tcase_add_test(tc, events_match_rules);
	suite_add_tcase(s, tc);
	if (kernel_ok())	/* else not root, or no fanotify: offline only */
		fan_test_add_live(s);
	return s;
}
