/*
 * fan_mark.c - the marks: what each watch needs in each group, exec_all
 * over the mount table, container roots through /proc/PID/root, changing
 * the watches of a running source (fan_src_set_watches), and the fsid ->
 * mount fd table the reader needs to turn FIDs into paths.
 *
 * Per watch (see FAN_OP_SUBTREE in fanotify.h):
 *   fd group   inode mark + FAN_EVENT_ON_CHILD on the directory (the path,
 *              or a file's parent, so a file replaced by rename stays
 *              watched), or FAN_MARK_MOUNT on the path for a subtree;
 *   FID group  inode mark on that directory (dirent events are reported
 *              to the parent), or FAN_MARK_FILESYSTEM for a subtree
 *              (dirent events cannot be asked of mount marks).
 * exec_all marks every exec-capable mount (local file systems, not
 * noexec): filesystem marks on the host when the kernel has them (one per
 * superblock: every namespace and bind mount), mount marks otherwise and
 * for containers, whose rootfs copy lives in their mount namespace.
 *
 * Only the caller's threads run this (never the reader: a path lookup
 * may trigger an automount).  s->mark_mu serialises root changes; s->mu
 * guards the mount fd table and is held only briefly, as the reader
 * takes it for every FID event.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "fanotify/fan_int.h"

#define RELAXED memory_order_relaxed

/* Result of marking one watch or mount. */
struct mres {
	unsigned	 added, missing, failed;
	int		 first_err;
	char		 first_path[256];
};

static void
mres_fail(struct mres *r, int e, const char *path)
{
	if (e == -ENOENT || e == -ENOTDIR) {
		r->missing++;
		return;
	}
	r->failed++;
	if (r->first_err == 0) {
		r->first_err = e;
		snprintf(r->first_path, sizeof(r->first_path), "%.255s", path);
	}
}

/* ---- Mount fd table ---------------------------------------------------- */

int
fan_mountfd_open(struct fan_src *s, const char *path, int32_t owner)
{
	struct statfs sf;
	int32_t fsid[2];
	int fd, r = 0;
	size_t i;

	if (statfs(path, &sf) < 0)
		return -errno;
	memcpy(fsid, &sf.f_fsid, sizeof(fsid));
	/* Not O_PATH: open_by_handle_at() refuses O_PATH mount fds. */
	if ((fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return -errno;
	pthread_mutex_lock(&s->mu);
	for (i = 0; i < s->nmfds; i++)
		if (memcmp(s->mfds[i].fsid, fsid, sizeof(fsid)) == 0)
			break;
	if (i < s->nmfds) {
		close(fd);	/* that file system is known already */
	} else if (s->nmfds == FAN_MAX_MOUNT_FDS) {
		close(fd);
		r = -ENOSPC;
	} else {
		memcpy(s->mfds[i].fsid, fsid, sizeof(fsid));
		s->mfds[i].fd = fd;
		s->mfds[i].owner = owner;
		s->nmfds++;
	}
	pthread_mutex_unlock(&s->mu);
	return r;
}

int
fan_mountfd_get(struct fan_src *s, const int32_t fsid[2])
{
	int fd = -1;
	size_t i;

	pthread_mutex_lock(&s->mu);
	for (i = 0; i < s->nmfds; i++)
		if (memcmp(s->mfds[i].fsid, fsid, 2 * sizeof(int32_t)) == 0) {
			fd = fcntl(s->mfds[i].fd, F_DUPFD_CLOEXEC, 0);
			break;
		}
	pthread_mutex_unlock(&s->mu);
	return fd;
}

static void
mountfd_drop_owner(struct fan_src *s, int32_t owner)
{
	size_t i = 0;

	pthread_mutex_lock(&s->mu);
	while (i < s->nmfds) {
		if (s->mfds[i].owner != owner) {
			i++;
			continue;
		}
		close(s->mfds[i].fd);
		s->mfds[i] = s->mfds[--s->nmfds];
	}
	pthread_mutex_unlock(&s->mu);
}

/* ---- One mark ---------------------------------------------------------- */

/* Add a mark; on success record it in root (if any) for removal. */
static int
add_mark(struct fan_src *s, int grp, unsigned flags, uint64_t mask,
    const char *path, struct fan_root *root)
{
	struct fan_markrec *rec;

	if (fanotify_mark(grp, FAN_MARK_ADD | flags, mask, AT_FDCWD, path) < 0)
		return -errno;
	atomic_fetch_add_explicit(&s->marks, 1, RELAXED);
	if (root == NULL || root->nrecs == FAN_MAX_ROOT_MARKS)
		return 0;	/* host marks go with the group */
	rec = &root->recs[root->nrecs];
	if ((rec->path = strdup(path)) == NULL)
		return 0;	/* the mount's end will drop it */
	rec->group = grp;
	rec->flags = flags;
	rec->mask = mask;
	root->nrecs++;
	return 0;
}

static uint64_t
fd_mask_of(const struct fan_src *s, uint32_t ops)
{
	uint64_t m = 0;

	if (ops & FAN_OP_READ)
		m |= FAN_OPEN;
	if (ops & FAN_OP_WRITE)
		m |= FAN_MODIFY;
	if (ops & FAN_OP_CLOSE_WRITE)
		m |= FAN_CLOSE_WRITE;
	if ((ops & FAN_OP_EXEC) && (s->fd_mask & FAN_OPEN_EXEC))
		m |= FAN_OPEN_EXEC;
	return m;
}

/* The directory an inode mark goes on: the path, or a file's parent. */
static void
mark_dir(const char *full, bool is_dir, char *out, size_t sz)
{
	const char *slash;

	snprintf(out, sz, "%s", full);
	if (is_dir || (slash = strrchr(out, '/')) == NULL)
		return;
	if (slash == out)
		out[1] = '\0';
	else
		out[slash - out] = '\0';
}

static void
mark_watch(struct fan_src *s, const char *prefix, const struct fan_wrec *w,
    struct fan_root *root, struct mres *r)
{
	char full[PATH_MAX], dir[PATH_MAX];
	uint64_t m = fd_mask_of(s, w->ops);
	bool sub = (w->ops & FAN_OP_SUBTREE) != 0;
	int e;

	snprintf(full, sizeof(full), "%s%s", prefix, w->path);
	mark_dir(full, w->is_dir, dir, sizeof(dir));
	if (m != 0 && s->fd_grp >= 0) {
		e = sub ? add_mark(s, s->fd_grp, FAN_MARK_MOUNT, m, full, root) :
		    add_mark(s, s->fd_grp, FAN_MARK_ONLYDIR,
		    m | FAN_EVENT_ON_CHILD, dir, root);
		e == 0 ? (void)r->added++ : mres_fail(r, e, full);
	}
	if ((w->ops & FAN_OP_DIRENT) && s->fid_grp >= 0) {
		e = add_mark(s, s->fid_grp, sub ? FAN_MARK_FILESYSTEM :
		    FAN_MARK_ONLYDIR, s->fid_mask, sub ? full : dir, root);
		if (e == 0)
			e = fan_mountfd_open(s, sub ? full : dir,
			    root != NULL ? root->pid : 0);
		e == 0 ? (void)r->added++ : mres_fail(r, e, full);
	}
}

/* ---- exec_all: the mount table ----------------------------------------- */

static bool
exec_fstype(const char *t)
{
	static const char *const ok[] = {
		"ext2", "ext3", "ext4", "xfs", "btrfs", "tmpfs", "overlay",
		"vfat", "iso9660", "squashfs", "f2fs", "zfs", "erofs", NULL,
	};
	const char *const *p;

	for (p = ok; *p != NULL; p++)
		if (strcmp(t, *p) == 0)
			return true;
	return false;
}

/* mountinfo escapes space, tab, newline and backslash as \ooo. */
static void
unescape(char *p)
{
	char *o = p;

	for (; *p != '\0'; p++, o++) {
		if (p[0] == '\\' && p[1] >= '0' && p[1] <= '3' &&
		    p[2] >= '0' && p[2] <= '7' && p[3] >= '0' && p[3] <= '7') {
			*o = (char)((p[1] - '0') * 64 + (p[2] - '0') * 8 +
			    (p[3] - '0'));
			p += 3;
		} else
			*o = *p;
	}
	*o = '\0';
}

struct minfo {
	char		*dev, *mnt, *opts, *fstype;
};

/* "36 35 98:0 /root /mnt rw,noexec shared:1 - ext4 /dev/x rw" */
static bool
parse_mountinfo(char *line, struct minfo *mi)
{
	char *f[6], *save = NULL, *t;
	int i;

	for (i = 0; i < 6; i++)
		if ((f[i] = strtok_r(i ? NULL : line, " \n", &save)) == NULL)
			return false;
	mi->dev = f[2];
	mi->mnt = f[4];
	mi->opts = f[5];
	while ((t = strtok_r(NULL, " \n", &save)) != NULL && strcmp(t, "-") != 0)
		;
	if (t == NULL || (mi->fstype = strtok_r(NULL, " \n", &save)) == NULL)
		return false;
	unescape(mi->mnt);
	return true;
}

static bool
noexec(const char *opts)
{
	char buf[256], *p, *save = NULL;

	snprintf(buf, sizeof(buf), "%s", opts);
	for (p = strtok_r(buf, ",", &save); p != NULL;
	    p = strtok_r(NULL, ",", &save))
		if (strcmp(p, "noexec") == 0)
			return true;
	return false;
}

static bool
skipped(const struct fan_src *s, const char *mnt)
{
	size_t i, n;

	for (i = 0; i < s->opts.nexec_skip; i++) {
		n = strlen(s->opts.exec_skip[i]);
		if (strncmp(mnt, s->opts.exec_skip[i], n) == 0 &&
		    (mnt[n] == '\0' || mnt[n] == '/' || n == 1))
			return true;
	}
	return false;
}

/* Filesystem marks: one per device ("maj:min"); seen holds those done. */
static bool
dev_seen(char (*seen)[24], size_t *nseen, size_t cap, const char *dev)
{
	size_t i;

	for (i = 0; i < *nseen; i++)
		if (strcmp(seen[i], dev) == 0)
			return true;
	if (*nseen < cap)
		snprintf(seen[(*nseen)++], sizeof(seen[0]), "%s", dev);
	return false;
}

static void
mark_exec_all(struct fan_src *s, const char *prefix, const char *minfo,
    struct fan_root *root, struct mres *r)
{
	char line[4096], full[PATH_MAX], seen[256][24];
	size_t nseen = 0;
	bool fs = root == NULL && s->use_fs_marks;
	struct minfo mi;
	FILE *f;
	int e;

	if (s->fd_grp < 0 || !(s->fd_mask & FAN_OPEN_EXEC) ||
	    (f = fopen(minfo, "re")) == NULL)
		return;
	while (fgets(line, sizeof(line), f) != NULL) {
		if (!parse_mountinfo(line, &mi) || !exec_fstype(mi.fstype) ||
		    noexec(mi.opts) || skipped(s, mi.mnt))
			continue;
		if (fs && dev_seen(seen, &nseen, 256, mi.dev))
			continue;
		snprintf(full, sizeof(full), "%s%s", prefix, mi.mnt);
		e = add_mark(s, s->fd_grp, fs ? FAN_MARK_FILESYSTEM :
		    FAN_MARK_MOUNT, FAN_OPEN_EXEC, full, root);
		e == 0 ? (void)r->added++ : mres_fail(r, e, full);
	}
	fclose(f);
}

/* ---- Host and roots ---------------------------------------------------- */

static void
mres_err(const struct mres *r, const char *what, char *err, size_t errlen)
{
	snprintf(err, errlen, "%s: no mark could be added (%s: %s)", what,
	    r->first_path, strerror(-r->first_err));
}

int
fan_mark_host(struct fan_src *s, char *err, size_t errlen)
{
	struct mres r = { 0, 0, 0, 0, "" };
	size_t i;

	for (i = 0; i < s->nws; i++) {
		unsigned before = r.added;

		mark_watch(s, "", &s->ws[i], NULL, &r);
		s->ws[i].host_marks = r.added - before;
	}
	if (s->opts.exec_all)
		mark_exec_all(s, "", "/proc/self/mountinfo", NULL, &r);
	atomic_fetch_add_explicit(&s->mark_errors, r.failed, RELAXED);
	if (r.added == 0 && r.failed > 0) {
		mres_err(&r, "fanotify", err, errlen);
		return r.first_err;
	}
	return (int)r.added;
}

static uint64_t
mntns_of(int32_t pid)
{
	char path[64];
	struct stat st;

	if (pid > 0)
		snprintf(path, sizeof(path), "/proc/%d/ns/mnt", (int)pid);
	else
		snprintf(path, sizeof(path), "/proc/self/ns/mnt");
	return stat(path, &st) == 0 ? (uint64_t)st.st_ino : 0;
}

static struct fan_root *
root_find(struct fan_src *s, int32_t pid, struct fan_root ***link)
{
	struct fan_root **pp;

	for (pp = &s->roots; *pp != NULL; pp = &(*pp)->next)
		if ((*pp)->pid == pid) {
			if (link != NULL)
				*link = pp;
			return *pp;
		}
	return NULL;
}

static void
root_free(struct fan_root *root)
{
	size_t i;

	if (root == NULL)
		return;
	for (i = 0; i < root->nrecs; i++)
		free(root->recs[i].path);
	free(root->recs);
	free(root);
}

/* Remove root's marks, if its mount namespace is still the one marked. */
static void
root_unmark(struct fan_src *s, struct fan_root *root)
{
	bool same = mntns_of(root->pid) == root->mntns;
	size_t i;

	for (i = 0; i < root->nrecs; i++) {
		struct fan_markrec *m = &root->recs[i];

		if (same)
			(void)fanotify_mark(m->group, FAN_MARK_REMOVE |
			    (m->flags & (FAN_MARK_MOUNT | FAN_MARK_FILESYSTEM)),
			    m->mask, AT_FDCWD, m->path);
	}
	atomic_fetch_sub_explicit(&s->marks, (unsigned)root->nrecs, RELAXED);
	mountfd_drop_owner(s, root->pid);
}

static int
root_mark(struct fan_src *s, struct fan_root *root, char *err, size_t errlen)
{
	struct mres r = { 0, 0, 0, 0, "" };
	char prefix[64], minfo[64];
	size_t i;

	snprintf(prefix, sizeof(prefix), "/proc/%d/root", (int)root->pid);
	snprintf(minfo, sizeof(minfo), "/proc/%d/mountinfo", (int)root->pid);
	for (i = 0; i < s->nws; i++)
		mark_watch(s, prefix, &s->ws[i], root, &r);
	if (s->opts.exec_all)
		mark_exec_all(s, prefix, minfo, root, &r);
	atomic_fetch_add_explicit(&s->mark_errors, r.failed, RELAXED);
	if (r.added > 0)
		return (int)r.added;
	if (r.failed > 0) {
		mres_err(&r, "container root", err, errlen);
		return r.first_err;
	}
	snprintf(err, errlen, "container root: none of the watched paths exist");
	return -ENOENT;
}

int
fan_src_mark_root(struct fan_src *s, pid_t pid, char *err, size_t errlen)
{
	struct fan_root *root;
	int r;

	if (pid <= 0)
		return -EINVAL;
	pthread_mutex_lock(&s->mark_mu);
	r = -EEXIST;
	if (root_find(s, pid, NULL) != NULL)
		goto out;
	r = -EINVAL;
	root = calloc(1, sizeof(*root));
	if (root == NULL || (root->recs = calloc(FAN_MAX_ROOT_MARKS,
	    sizeof(*root->recs))) == NULL) {
		root_free(root);
		r = -ENOMEM;
		goto out;
	}
	root->pid = pid;
	root->mntns = mntns_of(pid);
	if (root->mntns == 0 || root->mntns == mntns_of(0)) {
		snprintf(err, errlen, "pid %d: %s", (int)pid, root->mntns ?
		    "shares our mount namespace" : "no such process");
		r = root->mntns ? -EINVAL : -ESRCH;
		root_free(root);
		goto out;
	}
	if ((r = root_mark(s, root, err, errlen)) <= 0) {
		root_unmark(s, root);
		root_free(root);
		goto out;
	}
	root->next = s->roots;
	s->roots = root;
	atomic_fetch_add_explicit(&s->nroots, 1, RELAXED);
out:
	pthread_mutex_unlock(&s->mark_mu);
	return r;
}

int
fan_src_unmark_root(struct fan_src *s, pid_t pid)
{
	struct fan_root *root, **link;

	pthread_mutex_lock(&s->mark_mu);
	if ((root = root_find(s, pid, &link)) == NULL) {
		pthread_mutex_unlock(&s->mark_mu);
		return -ENOENT;
	}
	*link = root->next;
	root_unmark(s, root);
	atomic_fetch_sub_explicit(&s->nroots, 1, RELAXED);
	pthread_mutex_unlock(&s->mark_mu);
	root_free(root);
	return 0;
}

/* ---- Changing the watches --------------------------------------------- */

static bool
wrec_same(const struct fan_wrec *a, const struct fan_wrec *b)
{
	return a->ops == b->ops && a->is_dir == b->is_dir && a->len == b->len &&
	    memcmp(a->path, b->path, a->len) == 0;
}

static bool
wrec_in(const struct fan_wrec *w, const struct fan_wrec *set, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (wrec_same(w, &set[i]))
			return true;
	return false;
}

/*
 * The object w's mark goes on in a group (fd: fd = true), and its mark
 * type; false when w has no mark in that group.
 */
static bool
wrec_target(const struct fan_src *s, const char *prefix,
    const struct fan_wrec *w, bool fd, char *out, size_t sz, unsigned *type)
{
	char full[PATH_MAX];
	bool sub = (w->ops & FAN_OP_SUBTREE) != 0;

	if (fd ? fd_mask_of(s, w->ops) == 0 || s->fd_grp < 0 :
	    !(w->ops & FAN_OP_DIRENT) || s->fid_grp < 0)
		return false;
	snprintf(full, sizeof(full), "%s%s", prefix, w->path);
	if (sub)
		snprintf(out, sz, "%s", full);
	else
		mark_dir(full, w->is_dir, out, sz);
	*type = sub ? (fd ? FAN_MARK_MOUNT : FAN_MARK_FILESYSTEM) : 0;
	return true;
}

/*
 * Whether a watch of the current set has its mark on the same object in
 * that group: a directory watch and a file watch below it share the
 * directory's mark, which must then stay.
 */
static bool
target_kept(const struct fan_src *s, const char *prefix, bool fd,
    const char *target, unsigned type)
{
	char t[PATH_MAX];
	unsigned ty;
	size_t i;

	for (i = 0; i < s->nws; i++)
		if (wrec_target(s, prefix, &s->ws[i], fd, t, sizeof(t), &ty) &&
		    ty == type && strcmp(t, target) == 0)
			return true;
	return false;
}

/* Remove the host marks of a watch that is gone (mark_mu held). */
static void
unmark_host_watch(struct fan_src *s, const struct fan_wrec *w)
{
	char t[PATH_MAX];
	unsigned type;
	int fd;

	for (fd = 1; fd >= 0; fd--) {
		if (!wrec_target(s, "", w, fd, t, sizeof(t), &type) ||
		    target_kept(s, "", fd, t, type))
			continue;
		(void)fanotify_mark(fd ? s->fd_grp : s->fid_grp,
		    FAN_MARK_REMOVE | type, fd ? fd_mask_of(s, w->ops) |
		    (type ? 0 : FAN_EVENT_ON_CHILD) : s->fid_mask, AT_FDCWD, t);
	}
	atomic_fetch_sub_explicit(&s->marks, w->host_marks, RELAXED);
}

/* Drop root's records (and marks) of a watch that is gone. */
static void
unmark_root_watch(struct fan_src *s, struct fan_root *root,
    const char *prefix, const struct fan_wrec *w)
{
	char t[PATH_MAX];
	unsigned type;
	size_t i;
	int fd;

	for (fd = 1; fd >= 0; fd--) {
		if (!wrec_target(s, prefix, w, fd, t, sizeof(t), &type) ||
		    target_kept(s, prefix, fd, t, type))
			continue;
		for (i = 0; i < root->nrecs; i++) {
			struct fan_markrec *m = &root->recs[i];

			if (m->group != (fd ? s->fd_grp : s->fid_grp) ||
			    (m->flags & (FAN_MARK_MOUNT | FAN_MARK_FILESYSTEM))
			    != type || strcmp(m->path, t) != 0)
				continue;
			(void)fanotify_mark(m->group, FAN_MARK_REMOVE | type,
			    m->mask, AT_FDCWD, m->path);
			free(m->path);
			root->recs[i--] = root->recs[--root->nrecs];
			atomic_fetch_sub_explicit(&s->marks, 1, RELAXED);
		}
	}
}

/* Apply the change to one container root (mark_mu held). */
static unsigned
rewatch_root(struct fan_src *s, struct fan_root *root,
    const struct fan_wrec *old, size_t nold)
{
	struct mres r = { 0, 0, 0, 0, "" };
	char prefix[64];
	size_t i;

	/* Its namespace is gone (or the pid reused): nothing to change. */
	if (mntns_of(root->pid) != root->mntns)
		return 0;
	snprintf(prefix, sizeof(prefix), "/proc/%d/root", (int)root->pid);
	for (i = 0; i < s->nws; i++)
		if (!wrec_in(&s->ws[i], old, nold))
			mark_watch(s, prefix, &s->ws[i], root, &r);
	for (i = 0; i < nold; i++)
		if (!wrec_in(&old[i], s->ws, s->nws))
			unmark_root_watch(s, root, prefix, &old[i]);
	atomic_fetch_add_explicit(&s->mark_errors, r.failed, RELAXED);
	return r.added;
}

/* Build the new set in out[] (paths owned); -errno on bad input. */
static int
wrecs_build(const struct fan_watch *w, size_t n, struct fan_wrec *out,
    char *err, size_t errlen)
{
	size_t i;
	int r;

	if (n > FAN_MAX_WATCHES) {
		snprintf(err, errlen, "fanotify: more than %d watches",
		    FAN_MAX_WATCHES);
		return -EINVAL;
	}
	for (i = 0; i < n; i++)
		if ((r = fan_wrec_fill(&out[i], &w[i], err, errlen)) < 0) {
			while (i > 0)
				free(out[--i].path);
			return r;
		}
	return 0;
}

int
fan_src_set_watches(struct fan_src *s, const struct fan_watch *w, size_t n,
    char *err, size_t errlen)
{
	struct fan_wrec *nw, *old;
	struct mres r = { 0, 0, 0, 0, "" };
	struct fan_root *root;
	size_t i, nold;
	unsigned added = 0;
	int e;

	nw = calloc(FAN_MAX_WATCHES, sizeof(*nw));
	old = calloc(FAN_MAX_WATCHES, sizeof(*old));
	if (nw == NULL || old == NULL) {
		free(nw);
		free(old);
		snprintf(err, errlen, "fanotify: out of memory");
		return -ENOMEM;
	}
	if ((e = wrecs_build(w, n, nw, err, errlen)) < 0)
		goto out;
	pthread_mutex_lock(&s->mark_mu);
	/* Kept watches keep their marks (and count): no event is lost. */
	for (i = 0; i < n; i++)
		if (!wrec_in(&nw[i], s->ws, s->nws)) {
			unsigned before = r.added;

			mark_watch(s, "", &nw[i], NULL, &r);
			nw[i].host_marks = r.added - before;
		} else {
			size_t j;

			for (j = 0; j < s->nws; j++)
				if (wrec_same(&nw[i], &s->ws[j]))
					nw[i].host_marks = s->ws[j].host_marks;
		}
	added = r.added;
	atomic_fetch_add_explicit(&s->mark_errors, r.failed, RELAXED);
	/* The reader filters with the new set from here on. */
	pthread_rwlock_wrlock(&s->ws_lock);
	nold = s->nws;
	memcpy(old, s->ws, nold * sizeof(*old));
	memcpy(s->ws, nw, n * sizeof(*nw));
	s->nws = n;
	pthread_rwlock_unlock(&s->ws_lock);
	for (i = 0; i < nold; i++)
		if (!wrec_in(&old[i], s->ws, s->nws))
			unmark_host_watch(s, &old[i]);
	for (root = s->roots; root != NULL; root = root->next)
		added += rewatch_root(s, root, old, nold);
	pthread_mutex_unlock(&s->mark_mu);
	for (i = 0; i < nold; i++)
		free(old[i].path);
	e = (int)added;
out:
	free(nw);
	free(old);
	return e;
}

void
fan_marks_free(struct fan_src *s)
{
	struct fan_root *root;
	size_t i;

	while ((root = s->roots) != NULL) {
		s->roots = root->next;
		root_free(root);
	}
	for (i = 0; i < s->nmfds; i++)
		close(s->mfds[i].fd);
	s->nmfds = 0;
}
