/*
 * fan_read.c - the reader thread: drains both fanotify groups into the
 * bounded queue as self-contained items.
 *
 * Owns: the read buffer, the item builder, the write-coalescing cache and
 * every event fd from read() until it is closed, which happens on every
 * path before the next record is looked at.  Does not own: the groups
 * (fan_src.c), the mount fd table (fan_mark.c, read under s->mu).
 *
 * No feedback loops, no blocking lookups:
 *   - events caused by falconet itself (metadata pid == getpid(), every
 *     thread, since the pid is the tgid) are dropped first;
 *   - the reader never opens a path on a watched file system: it uses the
 *     event fd (opened by the kernel with FMODE_NONOTIFY; fstat and
 *     readlink of /proc/self/fd/N raise nothing), /proc (never marked:
 *     /proc, /sys and /dev are refused as watches and pseudo file systems
 *     are skipped by exec_all), and for FID events open_by_handle_at()
 *     with O_PATH (O_PATH opens raise no fanotify event) plus fstatat()
 *     on that directory fd (stat raises nothing);
 *   - it never calls fanotify_mark() (path lookups may trigger automounts),
 *     never logs, never touches the network or NSS;
 *   - both groups are notification groups: nothing in the system ever
 *     waits for this thread.  If it falls behind, the kernel queue
 *     overflows (counted, FAN_Q_OVERFLOW) and our queue drops (counted).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

#include "fanotify/fan_int.h"

#define RELAXED memory_order_relaxed
#define BUMP(s, f) atomic_fetch_add_explicit(&(s)->f, 1, RELAXED)

enum { FID_BUF = 64 * 1024, HANDLE_MAX = 128 };

/* ---- Watch matching ---------------------------------------------------- */

/* path equals p, or lies below it. */
static bool
under(const char *p, size_t pl, const char *path, size_t len)
{
	if (pl == 1 && p[0] == '/')
		return len > 0 && path[0] == '/';
	return len >= pl && memcmp(path, p, pl) == 0 &&
	    (len == pl || path[pl] == '/');
}

/* path equals p, or is a direct child of it. */
static bool
child(const char *p, size_t pl, const char *path, size_t len)
{
	const char *slash;

	if (!under(p, pl, path, len))
		return false;
	if (len == pl)
		return true;
	if (pl == 1)
		pl = 0;
	slash = memchr(path + pl + 1, '/', len - pl - 1);
	return slash == NULL;
}

static bool
watch_match_locked(const struct fan_src *s, const char *path, size_t len,
    uint32_t op)
{
	size_t i;

	for (i = 0; i < s->nws; i++) {
		const struct fan_wrec *w = &s->ws[i];

		if (!(w->ops & op))
			continue;
		if (w->ops & FAN_OP_SUBTREE ? under(w->path, w->len, path, len) :
		    w->is_dir ? child(w->path, w->len, path, len) :
		    len == w->len && memcmp(path, w->path, len) == 0)
			return true;
	}
	return false;
}

/* The read lock: fan_src_set_watches may swap the set meanwhile. */
bool
fan_watch_match(struct fan_src *s, const char *path, size_t len, uint32_t op)
{
	bool r;

	if ((op & FAN_OP_EXEC) && s->opts.exec_all)
		return true;
	pthread_rwlock_rdlock(&s->ws_lock);
	r = watch_match_locked(s, path, len, op);
	pthread_rwlock_unlock(&s->ws_lock);
	return r;
}

/* ---- Common item parts ------------------------------------------------- */

static void
item_time(struct fan_item *it)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	it->sec = (uint64_t)ts.tv_sec;
	it->msec = (uint32_t)(ts.tv_nsec / 1000000);
	it->mono_ms = fan_mono_ms();
}

static void
obj_from_stat(struct fan_obj *o, const struct stat *st)
{
	o->ok = true;
	o->ino = st->st_ino;
	o->dev_major = major(st->st_dev);
	o->dev_minor = minor(st->st_dev);
	o->mode = st->st_mode;
	o->uid = st->st_uid;
	o->gid = st->st_gid;
	o->nlink = (uint32_t)st->st_nlink;
}

/*
 * Who did it: /proc/PID into the builder.  false when the event is to be
 * dropped as ours (a direct child of falconet, unless keep_children).
 */
static bool
item_proc(struct fan_src *s, struct fan_ibuild *b, int32_t pid,
    char *exe, size_t exesz)
{
	char comm[64];

	b->it.pid = pid;
	if (fan_pcache_read(s->pcache, s->procfd, pid, &b->it.pr, comm,
	    sizeof(comm), exe, exesz) < 0) {
		BUMP(s, proc_gone);
		return true;
	}
	if (!s->opts.keep_children && b->it.pr.ppid == s->self) {
		BUMP(s, self_ev);
		return false;
	}
	fan_ib_set(b, FAN_S_COMM, comm, strlen(comm));
	return true;
}

static void
push(struct fan_src *s, struct fan_ibuild *b)
{
	struct fan_item *it;

	b->it.seq = ++s->seq ? s->seq : ++s->seq;	/* never 0 */
	it = fan_ib_finish(b);

	if (it == NULL || fan_queue_try_push(s->q, it) < 0) {
		free(it);
		BUMP(s, queue_drops);
		return;
	}
	BUMP(s, queued);
}

/* ---- fd-mode events ---------------------------------------------------- */

/* The ops of the watches an fd event can match, per kind. */
static uint32_t
kind_ops(int kind, uint64_t mask)
{
	switch (kind) {
	case FAN_K_EXEC:
		return FAN_OP_EXEC;
	case FAN_K_OPEN:
		return FAN_OP_READ;
	default:
		return ((mask & FAN_MODIFY) ? FAN_OP_WRITE : 0) |
		    ((mask & FAN_CLOSE_WRITE) ? FAN_OP_CLOSE_WRITE : 0);
	}
}

/* Kinds in one (possibly merged) event: exec, else open; and write. */
static int
fd_kinds(uint64_t mask, int kinds[2])
{
	int n = 0;

	if (mask & FAN_OPEN_EXEC)
		kinds[n++] = FAN_K_EXEC;	/* its FAN_OPEN is the exec's */
	else if (mask & FAN_OPEN)
		kinds[n++] = FAN_K_OPEN;
	if (mask & (FAN_MODIFY | FAN_CLOSE_WRITE))
		kinds[n++] = FAN_K_WRITE;
	return n;
}

/*
 * comm after an exec: the kernel sets it to the basename of the name
 * execve() was given, at a moment /proc cannot tell us (the exe link
 * changes first), so it is taken from the path: for a program run
 * through a symlink this is the target's name.
 */
static void
exec_comm(struct fan_ibuild *b, const char *path)
{
	const char *base = strrchr(path, '/');

	base = base != NULL ? base + 1 : path;
	b->it.len[FAN_S_COMM] = 0;
	fan_ib_set(b, FAN_S_COMM, base, strnlen(base, 15));	/* TASK_COMM_LEN - 1 */
}

static bool
write_is_new(struct fan_src *s, int32_t pid, const struct fan_obj *o)
{
	uint64_t k, now = (uint64_t)fan_mono_ms();

	if (!o->ok)
		return true;
	k = fan_dedup_key_ino(pid, FAN_DC_WRITE, o->dev_major, o->dev_minor,
	    o->ino);
	if (fan_dedup_seen_key(s->wdedup, k, now)) {
		BUMP(s, coalesced);
		return false;
	}
	fan_dedup_note_key(s->wdedup, k, now);
	return true;
}

/* An exec event that is the ELF interpreter of the pid's last program. */
static bool
is_interp(struct fan_src *s, const struct fanotify_event_metadata *m,
    const char *path)
{
	int64_t now = fan_mono_ms();
	struct fan_elf e;

	fan_elf_read(m->fd, &e);
	if (fan_interp_take(&s->interp, m->pid, path, &e, now)) {
		BUMP(s, interp_ev);
		return true;
	}
	if (e.interp)
		fan_interp_note(&s->interp, m->pid, &e, now);
	return false;
}

/* Build and queue the items of one fd event; fd is closed by the caller. */
static void
fd_items(struct fan_src *s, const struct fanotify_event_metadata *m,
    const char *path, size_t len)
{
	struct fan_ibuild *b = s->ib;
	char exe[PATH_MAX];
	struct fan_obj obj = { .ok = false };
	struct stat st;
	int kinds[2], n, i, used = 0;

	n = fd_kinds(m->mask, kinds);
	for (i = 0; i < n; i++)
		if (fan_watch_match(s, path, len, kind_ops(kinds[i], m->mask)))
			kinds[used++] = kinds[i];
	if (used == 0) {
		BUMP(s, filtered);
		return;
	}
	if (fstat(m->fd, &st) == 0)
		obj_from_stat(&obj, &st);
	fan_ib_reset(b);
	item_time(&b->it);
	if (kinds[0] == FAN_K_EXEC)	/* a new image: comm, exe, ids change */
		fan_pcache_forget(s->pcache, m->pid);
	if (!item_proc(s, b, m->pid, exe, sizeof(exe)))
		return;
	b->it.obj = obj;
	fan_ib_set(b, FAN_S_PATH, path, len);
	for (i = 0; i < used; i++) {
		b->it.kind = (uint8_t)kinds[i];
		if (kinds[i] == FAN_K_WRITE && !write_is_new(s, m->pid, &obj))
			continue;
		if (kinds[i] == FAN_K_EXEC && is_interp(s, m, path))
			continue;
		if (kinds[i] == FAN_K_EXEC) {
			exec_comm(b, path);
			fan_ib_set(b, FAN_S_EXE, path, len);
		} else if (exe[0] != '\0' && b->it.len[FAN_S_EXE] == 0)
			fan_ib_set(b, FAN_S_EXE, exe, strlen(exe));
		push(s, b);
	}
}

static void
fd_event(struct fan_src *s, const struct fanotify_event_metadata *m)
{
	char link[64], path[PATH_MAX];
	ssize_t n;

	snprintf(link, sizeof(link), "/proc/self/fd/%d", m->fd);
	n = readlink(link, path, sizeof(path) - 1);
	if (n <= 0) {
		BUMP(s, resolve_errors);
		return;
	}
	path[n] = '\0';
	fd_items(s, m, path, (size_t)n);
}

/* One fd-mode record: every path below closes m->fd exactly once. */
static void
fd_record(struct fan_src *s, const struct fanotify_event_metadata *m)
{
	BUMP(s, read_events);
	if (m->mask & FAN_Q_OVERFLOW) {
		BUMP(s, overflows);
		if (m->fd >= 0)
			close(m->fd);
		return;
	}
	if (m->fd < 0) {	/* FAN_REPORT_FD_ERROR: -errno */
		BUMP(s, fd_errors);
		return;
	}
	atomic_fetch_add_explicit(&s->fds_open, 1, RELAXED);
	if (m->pid == s->self)
		BUMP(s, self_ev);
	else
		fd_event(s, m);
	close(m->fd);
	atomic_fetch_sub_explicit(&s->fds_open, 1, RELAXED);
}

/* Close every fd of records from m on (after a bad record). */
static void
close_rest(const char *p, size_t len)
{
	struct fanotify_event_metadata m;

	while (len >= sizeof(m)) {
		memcpy(&m, p, sizeof(m));
		if (m.event_len < sizeof(m) || m.event_len > len)
			return;
		if (m.fd >= 0)
			close(m.fd);
		p += m.event_len;
		len -= m.event_len;
	}
}

void
fan_parse_fd_batch(struct fan_src *s, const char *buf, size_t len)
{
	struct fanotify_event_metadata m;

	while (len >= sizeof(m)) {
		memcpy(&m, buf, sizeof(m));
		if (m.event_len < sizeof(m) || m.event_len > len ||
		    m.vers != FANOTIFY_METADATA_VERSION) {
			BUMP(s, read_errors);
			close_rest(buf, len);
			return;
		}
		fd_record(s, &m);
		buf += m.event_len;
		len -= m.event_len;
	}
}

/* ---- FID-mode events --------------------------------------------------- */

struct fid_ref {
	int32_t		 fsid[2];
	union {
		struct file_handle fh;
		char	 raw[sizeof(struct file_handle) + HANDLE_MAX];
	} h;
	const char	*name;		/* in the read buffer; NULL without one */
	size_t		 namelen;
	bool		 ok;
};

/* One FID info record: fsid, handle, optional name, all inside rec. */
static bool
parse_fid(const char *rec, size_t len, bool named, struct fid_ref *r)
{
	struct fan_info_fid f;
	struct file_handle fh;
	size_t off = sizeof(f) + sizeof(fh);

	if (len < off)
		return false;
	memcpy(&f, rec, sizeof(f));
	memcpy(&fh, rec + sizeof(f), sizeof(fh));
	if (fh.handle_bytes > HANDLE_MAX || off + fh.handle_bytes > len)
		return false;
	memcpy(r->fsid, f.fsid, sizeof(r->fsid));
	memcpy(r->h.raw, rec + sizeof(f), sizeof(fh) + fh.handle_bytes);
	r->name = NULL;
	r->namelen = 0;
	if (named) {
		const char *nm = rec + off + fh.handle_bytes;
		size_t max = len - off - fh.handle_bytes;

		r->namelen = strnlen(nm, max);
		if (r->namelen == max)
			return false;	/* not NUL-terminated */
		r->name = nm;
	}
	return r->ok = true;
}

/* The info records of an event: DFID_NAME (or OLD_/NEW_ for FAN_RENAME). */
static bool
parse_infos(const char *p, size_t len, struct fid_ref *dir,
    struct fid_ref *newdir)
{
	struct fan_info_hdr h;
	struct fid_ref *r;

	dir->ok = newdir->ok = false;
	while (len >= sizeof(h)) {
		memcpy(&h, p, sizeof(h));
		if (h.len < sizeof(h) || h.len > len)
			return false;
		r = h.info_type == FAN_INFO_NEW_DFID_NAME ? newdir :
		    h.info_type == FAN_INFO_DFID_NAME ||
		    h.info_type == FAN_INFO_OLD_DFID_NAME ? dir : NULL;
		if (r != NULL && !parse_fid(p, h.len, true, r))
			return false;
		p += h.len;
		len -= h.len;
	}
	return true;
}

/*
 * Directory handle -> "dir" and "dir/name" in the builder slots, and the
 * named object's stat.  false when the handle cannot be opened (ESTALE:
 * the directory is gone; or an unknown file system).
 */
static bool
resolve(struct fan_src *s, struct fid_ref *r, struct fan_ibuild *b,
    int dslot, int pslot, struct fan_obj *obj)
{
	char link[64], dir[PATH_MAX], full[PATH_MAX];
	struct stat st;
	ssize_t n;
	int mfd, dfd;

	if ((mfd = fan_mountfd_get(s, r->fsid)) < 0)
		return false;
	dfd = open_by_handle_at(mfd, &r->h.fh, O_PATH | O_CLOEXEC);
	close(mfd);
	if (dfd < 0)
		return false;
	snprintf(link, sizeof(link), "/proc/self/fd/%d", dfd);
	n = readlink(link, dir, sizeof(dir) - 1);
	if (n > 0 && obj != NULL &&
	    fstatat(dfd, r->name, &st, AT_SYMLINK_NOFOLLOW) == 0)
		obj_from_stat(obj, &st);
	close(dfd);
	if (n <= 0)
		return false;
	dir[n] = '\0';
	fan_ib_set(b, dslot, dir, (size_t)n);
	n = snprintf(full, sizeof(full), "%s/%s", n == 1 ? "" : dir, r->name);
	fan_ib_set(b, pslot, full, n < (ssize_t)sizeof(full) ? (size_t)n :
	    sizeof(full) - 1);
	return true;
}

static bool
slot_match(struct fan_src *s, struct fan_ibuild *b, int slot)
{
	size_t n = b->it.len[slot];

	return n > 0 && fan_watch_match(s, b->buf + b->it.off[slot], n,
	    FAN_OP_DIRENT);
}

/* Kinds of a FID event, in the order they happened for merged masks. */
static int
fid_kinds(uint64_t mask, int kinds[4])
{
	int n = 0;

	if (mask & FAN_RENAME)
		kinds[n++] = FAN_K_RENAME;
	if (mask & FAN_MOVED_FROM)
		kinds[n++] = FAN_K_MOVED_FROM;
	if (mask & FAN_CREATE)
		kinds[n++] = FAN_K_CREATE;
	if (mask & FAN_MOVED_TO)
		kinds[n++] = FAN_K_MOVED_TO;
	if (mask & FAN_DELETE)
		kinds[n++] = FAN_K_DELETE;
	return n;
}

/* Resolve, filter and queue one FID event of kind k. */
static void
fid_item(struct fan_src *s, const struct fanotify_event_metadata *m, int k,
    struct fid_ref *dir, struct fid_ref *newdir)
{
	struct fan_ibuild *b = s->ib;
	char exe[PATH_MAX];
	bool ok;

	fan_ib_reset(b);
	item_time(&b->it);
	b->it.kind = (uint8_t)k;
	b->it.ondir = (m->mask & FAN_ONDIR) != 0;
	if (k == FAN_K_RENAME)
		ok = dir->ok && newdir->ok &&
		    resolve(s, dir, b, FAN_S_DIR, FAN_S_PATH, NULL) &&
		    resolve(s, newdir, b, FAN_S_DIR2, FAN_S_PATH2, &b->it.obj);
	else if (k == FAN_K_MOVED_TO)
		ok = dir->ok &&
		    resolve(s, dir, b, FAN_S_DIR2, FAN_S_PATH2, &b->it.obj);
	else
		ok = dir->ok && resolve(s, dir, b, FAN_S_DIR, FAN_S_PATH,
		    k == FAN_K_CREATE ? &b->it.obj : NULL);
	if (!ok) {
		BUMP(s, resolve_errors);
		return;
	}
	if (!slot_match(s, b, FAN_S_PATH) && !slot_match(s, b, FAN_S_PATH2)) {
		BUMP(s, filtered);
		return;
	}
	if (!item_proc(s, b, m->pid, exe, sizeof(exe)))
		return;
	if (exe[0] != '\0')
		fan_ib_set(b, FAN_S_EXE, exe, strlen(exe));
	push(s, b);
}

static void
fid_record(struct fan_src *s, const struct fanotify_event_metadata *m,
    const char *p)
{
	struct fid_ref dir, newdir;
	int kinds[4], n, i;

	BUMP(s, read_events);
	if (m->mask & FAN_Q_OVERFLOW) {
		BUMP(s, overflows);
		return;
	}
	if (m->pid == s->self) {
		BUMP(s, self_ev);
		return;
	}
	if (!parse_infos(p + m->metadata_len, m->event_len - m->metadata_len,
	    &dir, &newdir)) {
		BUMP(s, read_errors);
		return;
	}
	n = fid_kinds(m->mask, kinds);
	for (i = 0; i < n; i++)
		fid_item(s, m, kinds[i], &dir, &newdir);
}

void
fan_parse_fid_batch(struct fan_src *s, const char *buf, size_t len)
{
	struct fanotify_event_metadata m;

	while (len >= sizeof(m)) {
		memcpy(&m, buf, sizeof(m));
		if (m.event_len < sizeof(m) || m.event_len > len ||
		    m.metadata_len < sizeof(m) || m.metadata_len > m.event_len ||
		    m.vers != FANOTIFY_METADATA_VERSION) {
			BUMP(s, read_errors);
			return;
		}
		if (m.fd >= 0)	/* never in FID mode; be safe */
			close(m.fd);
		fid_record(s, &m, buf);
		buf += m.event_len;
		len -= m.event_len;
	}
}

/* ---- The thread -------------------------------------------------------- */

/* One read() of a group; false when the group is unusable. */
static bool
drain(struct fan_src *s, int fd, bool fid)
{
	size_t want = fid ? FID_BUF :
	    s->opts.batch * sizeof(struct fanotify_event_metadata);
	ssize_t n = read(fd, s->rbuf, want < s->rbufsz ? want : s->rbufsz);

	if (n < 0) {
		if (errno == EAGAIN || errno == EINTR)
			return true;
		/* EMFILE/ENFILE: the kernel dropped the event it had no fd for. */
		if (errno == EMFILE || errno == ENFILE)
			BUMP(s, fd_errors);
		else
			BUMP(s, read_errors);
		return errno != EBADF && errno != EINVAL;
	}
	if (fid)
		fan_parse_fid_batch(s, s->rbuf, (size_t)n);
	else
		fan_parse_fd_batch(s, s->rbuf, (size_t)n);
	return true;
}

static void
account_cpu(struct fan_src *s)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) == 0)
		atomic_store_explicit(&s->reader_cpu_ns,
		    (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec,
		    RELAXED);
}

void *
fan_reader_main(void *arg)
{
	struct fan_src *s = arg;
	struct pollfd p[3] = {
		{ .fd = s->stopfd, .events = POLLIN },
		{ .fd = s->fd_grp, .events = POLLIN },
		{ .fd = s->fid_grp, .events = POLLIN },
	};

	for (;;) {
		if (poll(p, 3, -1) < 0 && errno != EINTR)
			break;
		if (p[0].revents)
			break;
		/* One read per group per wakeup: neither starves the other. */
		if ((p[1].revents & POLLIN) && !drain(s, s->fd_grp, false))
			p[1].fd = -1;
		if ((p[2].revents & POLLIN) && !drain(s, s->fid_grp, true))
			p[2].fd = -1;
		account_cpu(s);
	}
	account_cpu(s);
	return NULL;
}
