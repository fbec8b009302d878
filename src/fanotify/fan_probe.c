/*
 * fan_probe.c - what the running kernel's fanotify can do, found by trying
 * (the LTP approach): fanotify_init() with one flag at a time, each group
 * closed at once; event bits as inode marks on a private directory made
 * for the probe; mark types as FAN_MARK_REMOVE on that directory, which
 * answers ENOENT ("no such mark") when the type is known and EINVAL when
 * it is not, so no mount or file system is ever marked.  Kernel versions
 * are never consulted: RHEL kernels carry backports (RHEL 8: OPEN_EXEC
 * but no filesystem marks, no FID).  Owns nothing after it returns.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fanotify/fan_int.h"

static int
try_init(unsigned flags)
{
	int fd = fanotify_init(flags | FAN_CLOEXEC | FAN_NONBLOCK,
	    O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	close(fd);
	return 0;
}

/* A group with init flags, and one mark on path: 0 or -errno. */
static int
try_mark(unsigned init, unsigned mflags, uint64_t mask, const char *path)
{
	int fd = fanotify_init(init | FAN_CLOEXEC | FAN_NONBLOCK,
	    O_RDONLY | O_CLOEXEC);
	int r = 0;

	if (fd < 0)
		return -errno;
	if (fanotify_mark(fd, mflags, mask, AT_FDCWD, path) < 0)
		r = -errno;
	close(fd);
	return r;
}

static void
probe_init(struct fan_features *f)
{
	static const struct {
		unsigned	 flags;
		uint32_t	 bit;
	} tab[] = {
		{ FAN_CLASS_CONTENT, FAN_F_CLASS_CONTENT },
		{ FAN_CLASS_PRE_CONTENT, FAN_F_CLASS_PRE_CONTENT },
		{ FAN_UNLIMITED_QUEUE, FAN_F_UNLIMITED_QUEUE },
		{ FAN_UNLIMITED_MARKS, FAN_F_UNLIMITED_MARKS },
		{ FAN_ENABLE_AUDIT, FAN_F_ENABLE_AUDIT },
		{ FAN_REPORT_TID, FAN_F_REPORT_TID },
		{ FAN_REPORT_FID, FAN_F_REPORT_FID },
		{ FAN_REPORT_DIR_FID, FAN_F_REPORT_DIR_FID },
		/* NAME needs DIR_FID. */
		{ FAN_REPORT_DIR_FID | FAN_REPORT_NAME, FAN_F_REPORT_NAME },
		/* TARGET_FID needs DFID_NAME and FID. */
		{ FAN_REPORT_DIR_FID | FAN_REPORT_NAME | FAN_REPORT_FID |
		    FAN_REPORT_TARGET_FID, FAN_F_REPORT_TARGET_FID },
		{ FAN_REPORT_PIDFD, FAN_F_REPORT_PIDFD },
		{ FAN_REPORT_FD_ERROR, FAN_F_REPORT_FD_ERROR },
	};
	size_t i;

	for (i = 0; i < sizeof(tab) / sizeof(tab[0]); i++)
		if (try_init(tab[i].flags) == 0)
			f->init |= tab[i].bit;
}

/* Mark type known: REMOVE of a mark that does not exist gives ENOENT. */
static bool
mark_type_known(unsigned type, const char *dir)
{
	return try_mark(FAN_CLASS_NOTIF, FAN_MARK_REMOVE | type, FAN_OPEN,
	    dir) == -ENOENT;
}

static void
probe_marks(struct fan_features *f, const char *dir)
{
	unsigned dfid = FAN_REPORT_DIR_FID | FAN_REPORT_NAME;

	if (try_mark(FAN_CLASS_NOTIF, FAN_MARK_ADD, FAN_OPEN, dir) == 0)
		f->marks |= FAN_M_INODE;
	if (mark_type_known(FAN_MARK_MOUNT, dir))
		f->marks |= FAN_M_MOUNT;
	if (mark_type_known(FAN_MARK_FILESYSTEM, dir))
		f->marks |= FAN_M_FILESYSTEM;
	if (try_mark(FAN_CLASS_NOTIF, FAN_MARK_ADD | FAN_MARK_EVICTABLE,
	    FAN_OPEN, dir) == 0)
		f->marks |= FAN_M_EVICTABLE;
	/* Directory marks need SURV_MODIFY with FAN_MARK_IGNORE. */
	if (try_mark(FAN_CLASS_NOTIF, FAN_MARK_ADD | FAN_MARK_IGNORE |
	    FAN_MARK_IGNORED_SURV_MODIFY, FAN_OPEN, dir) == 0)
		f->marks |= FAN_M_IGNORE;
	if (try_mark(FAN_CLASS_NOTIF, FAN_MARK_ADD, FAN_OPEN_EXEC, dir) == 0)
		f->marks |= FAN_M_OPEN_EXEC;
	if (try_mark(FAN_CLASS_CONTENT, FAN_MARK_ADD, FAN_OPEN_EXEC_PERM,
	    dir) == 0)
		f->marks |= FAN_M_OPEN_EXEC_PERM;
	if (try_mark(FAN_CLASS_CONTENT, FAN_MARK_ADD, FAN_ACCESS_PERM,
	    dir) == 0)
		f->marks |= FAN_M_PERM;
	if ((f->init & FAN_F_REPORT_NAME) &&
	    try_mark(dfid, FAN_MARK_ADD, FAN_CREATE | FAN_DELETE |
	    FAN_MOVED_FROM | FAN_MOVED_TO | FAN_ONDIR, dir) == 0)
		f->marks |= FAN_M_DIRENT;
	else if ((f->init & FAN_F_REPORT_FID) &&
	    try_mark(FAN_REPORT_FID, FAN_MARK_ADD, FAN_CREATE | FAN_DELETE,
	    dir) == 0)
		f->marks |= FAN_M_DIRENT;
	if ((f->init & FAN_F_REPORT_NAME) &&
	    try_mark(dfid, FAN_MARK_ADD, FAN_RENAME, dir) == 0)
		f->marks |= FAN_M_RENAME;
}

static int64_t
read_sysctl(const char *name)
{
	char path[128], buf[32];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/sys/fs/fanotify/%s", name);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	return strtoll(buf, NULL, 10);
}

int
fan_probe(const char *tmpdir, struct fan_features *f)
{
	char dir[PATH_MAX];
	int r;

	memset(f, 0, sizeof(*f));
	f->max_queued_events = read_sysctl("max_queued_events");
	f->max_user_groups = read_sysctl("max_user_groups");
	f->max_user_marks = read_sysctl("max_user_marks");
	if ((r = try_init(FAN_CLASS_NOTIF)) < 0)
		return f->err = r;
	f->init |= FAN_F_CLASS_NOTIF;
	probe_init(f);
	if (tmpdir == NULL && (tmpdir = getenv("TMPDIR")) == NULL)
		tmpdir = "/tmp";
	if ((size_t)snprintf(dir, sizeof(dir), "%s/falconet-fanprobe.XXXXXX",
	    tmpdir) >= sizeof(dir))
		return 0;	/* init flags only */
	if (mkdtemp(dir) == NULL)
		return 0;
	probe_marks(f, dir);
	rmdir(dir);
	return 0;
}

/* snprintf at offset off of buf, with off possibly past len already. */
static int __attribute__((format(printf, 4, 5)))
bufcat(char *buf, size_t len, int off, const char *fmt, ...)
{
	size_t o = (size_t)off < len ? (size_t)off : len;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf + o, len - o, fmt, ap);
	va_end(ap);
	return n < 0 ? off : off + n;
}

static int
append_names(char *buf, size_t len, int off, uint32_t bits,
    const char *const *names, size_t n)
{
	bool first = true;
	size_t i;

	for (i = 0; i < n; i++) {
		if (!(bits & (1u << i)))
			continue;
		off = bufcat(buf, len, off, "%s%s", first ? "" : ",", names[i]);
		first = false;
	}
	return first ? bufcat(buf, len, off, "none") : off;
}

int
fan_features_str(const struct fan_features *f, char *buf, size_t len)
{
	static const char *const init[] = {
		"notif", "content", "pre_content", "unlimited_queue",
		"unlimited_marks", "enable_audit", "report_tid", "report_fid",
		"report_dir_fid", "report_name", "report_target_fid",
		"report_pidfd", "report_fd_error",
	};
	static const char *const marks[] = {
		"inode", "mount", "filesystem", "evictable", "ignore",
		"open_exec", "open_exec_perm", "perm", "dirent", "rename",
	};
	int off;

	if (f->err != 0)
		return snprintf(buf, len, "fanotify: unavailable (%s)",
		    strerror(-f->err));
	off = bufcat(buf, len, 0, "fanotify: init=");
	off = append_names(buf, len, off, f->init, init,
	    sizeof(init) / sizeof(init[0]));
	off = bufcat(buf, len, off, " marks=");
	off = append_names(buf, len, off, f->marks, marks,
	    sizeof(marks) / sizeof(marks[0]));
	return bufcat(buf, len, off, " max_queued_events=%lld max_user_marks=%lld",
	    (long long)f->max_queued_events, (long long)f->max_user_marks);
}
