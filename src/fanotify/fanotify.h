/*
 * fanotify.h - the fanotify source: file opens, writes, execs and
 * directory changes seen by the kernel's fanotify, turned into the same
 * struct fc_event objects the audit source builds, so that rules such as
 * `evt.type in (open, openat)` see them.  docs/fanotify.md has the whole
 * design; the short version:
 *
 *   fan_probe()      which fanotify features the running kernel has,
 *                    tried one by one (EINVAL = unknown).  RHEL 7, 8 and 9
 *                    differ; every feature the source uses degrades.
 *   fan_src_*        two notification groups (never permission events,
 *                    so a slow or stopped reader can never block another
 *                    process): an fd-mode group for open / write /
 *                    close-write / exec, and a FID-mode group (kernel >=
 *                    5.9) for create / delete / rename.  A reader thread
 *                    turns kernel events into self-contained items in a
 *                    bounded queue; the consumer pops them as fc_events.
 *   fan_dedup_*      a small bounded cache so the same operation seen by
 *                    audit and by fanotify alerts once (audit wins).
 *
 * Library code: nothing here logs or exits; errors come back as -errno
 * or NULL plus a message in the caller's err buffer.
 */
#ifndef FC_FANOTIFY_FANOTIFY_H
#define FC_FANOTIFY_FANOTIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct fc_event;

/* ---- Feature probing ---------------------------------------------------- */

/* Bits of fan_features.init: fanotify_init() flags the kernel accepts. */
enum {
	FAN_F_CLASS_NOTIF = 1u << 0,	/* fanotify at all (2.6.37) */
	FAN_F_CLASS_CONTENT = 1u << 1,
	FAN_F_CLASS_PRE_CONTENT = 1u << 2,
	FAN_F_UNLIMITED_QUEUE = 1u << 3,
	FAN_F_UNLIMITED_MARKS = 1u << 4,
	FAN_F_ENABLE_AUDIT = 1u << 5,	/* 4.15, needs CAP_AUDIT_WRITE */
	FAN_F_REPORT_TID = 1u << 6,	/* 4.20 */
	FAN_F_REPORT_FID = 1u << 7,	/* 5.1 */
	FAN_F_REPORT_DIR_FID = 1u << 8,	/* 5.9 */
	FAN_F_REPORT_NAME = 1u << 9,	/* 5.9, with DIR_FID */
	FAN_F_REPORT_TARGET_FID = 1u << 10,	/* 5.17 */
	FAN_F_REPORT_PIDFD = 1u << 11,	/* 5.15 */
	FAN_F_REPORT_FD_ERROR = 1u << 12,	/* 6.13 */
};

/* Bits of fan_features.marks: mark types, mark flags and event bits. */
enum {
	FAN_M_INODE = 1u << 0,
	FAN_M_MOUNT = 1u << 1,
	FAN_M_FILESYSTEM = 1u << 2,	/* 4.20; absent on RHEL 8 */
	FAN_M_EVICTABLE = 1u << 3,	/* 5.19 */
	FAN_M_IGNORE = 1u << 4,		/* 6.0 */
	FAN_M_OPEN_EXEC = 1u << 5,	/* 5.0; RHEL 8 backport */
	FAN_M_OPEN_EXEC_PERM = 1u << 6,
	FAN_M_PERM = 1u << 7,		/* CONFIG_FANOTIFY_ACCESS_PERMISSIONS */
	FAN_M_DIRENT = 1u << 8,		/* FAN_CREATE/DELETE/MOVED_* (5.1) */
	FAN_M_RENAME = 1u << 9,		/* FAN_RENAME (5.17) */
};

struct fan_features {
	int		 err;		/* 0, or -errno when fanotify is unusable */
	uint32_t	 init;		/* FAN_F_* */
	uint32_t	 marks;		/* FAN_M_* */
	/* /proc/sys/fs/fanotify (5.13+); -1 when absent. */
	int64_t		 max_queued_events;
	int64_t		 max_user_groups;
	int64_t		 max_user_marks;
};

/*
 * fan_probe - fill *f by trying each flag: fanotify_init() groups that are
 * closed at once, and marks only on a private directory it creates under
 * tmpdir (NULL: $TMPDIR or /tmp) and removes.  Mark types are probed with
 * FAN_MARK_REMOVE on that directory (ENOENT = known, EINVAL = unknown), so
 * no mount or filesystem is ever marked.  Returns 0, or -errno when
 * fanotify cannot be used at all (also in f->err: -ENOSYS not built in,
 * -EPERM not privileged).  Takes about a millisecond.
 */
int	fan_probe(const char *tmpdir, struct fan_features *f);

/*
 * fan_features_str - one line for logs and /healthz, e.g.
 * "fanotify: init=notif,content,...  marks=inode,mount,...
 * max_queued_events=16384".  Returns the length snprintf would write.
 */
int	fan_features_str(const struct fan_features *f, char *buf, size_t len);

/* ---- The source --------------------------------------------------------- */

/* What a watch wants (fan_watch.ops). */
enum {
	FAN_OP_READ = 1u << 0,		/* FAN_OPEN: openat, reported as a read */
	FAN_OP_WRITE = 1u << 1,		/* FAN_MODIFY: openat O_WRONLY, coalesced */
	FAN_OP_CLOSE_WRITE = 1u << 2,	/* FAN_CLOSE_WRITE: openat O_WRONLY */
	FAN_OP_EXEC = 1u << 3,		/* FAN_OPEN_EXEC: execve */
	FAN_OP_DIRENT = 1u << 4,	/* create/delete/rename (FID groups) */
	/*
	 * Everything below the path (a mount mark, or a filesystem mark for
	 * DIRENT, filtered by prefix in the reader).  Without it the path's
	 * directory (the path itself, or a file's parent) gets an inode mark
	 * with FAN_EVENT_ON_CHILD: the directory and its direct children only,
	 * filtered to the file when the path is one.  Cheaper, and it follows
	 * the inode into every mount and namespace.
	 */
	FAN_OP_SUBTREE = 1u << 8,
};

struct fan_watch {
	const char	*path;		/* absolute, no "/proc", "/sys", "/dev" */
	uint32_t	 ops;		/* FAN_OP_* */
};

struct fan_src_opts {
	const struct fan_watch *watches;
	size_t		 nwatches;
	/*
	 * FAN_OPEN_EXEC on every exec-capable mount of /proc/self/mountinfo
	 * (local file systems, not noexec), as filesystem marks when the
	 * kernel has them (every mount namespace and bind mount of that
	 * superblock), else mount marks.
	 */
	bool		 exec_all;
	const char	*const *exec_skip;	/* exec_all: mount points not marked (prefixes) */
	size_t		 nexec_skip;
	bool		 unlimited_queue;	/* FAN_UNLIMITED_QUEUE when the kernel has it */
	bool		 keep_children;	/* false: drop events of our direct children too */
	size_t		 queue_events;	/* our queue bound in events; default 16384 */
	size_t		 queue_bytes;	/* and in bytes; default 32 MiB */
	unsigned	 batch;		/* fd-mode events per read(); default 64 */
	unsigned	 write_window_ms;	/* WRITE/CLOSE_WRITE coalescing; default 1000 */
	unsigned	 hold_ms;	/* fan_src_next waits until an event is this old (dedup); default 0 */
	unsigned	 proc_cache_ms;	/* reuse what /proc said about a pid this long; default 100, 0 off */
	const char	*probe_tmpdir;	/* for fan_probe; NULL = default */
};

void	fan_src_opts_default(struct fan_src_opts *o);

struct fan_src;

/*
 * fan_src_open - probe, create the groups the watches need, mark, start
 * the reader thread.  Must run with CAP_SYS_ADMIN (and
 * CAP_DAC_READ_SEARCH for FID resolution) in the host pid namespace.
 * Marks the kernel cannot do are skipped and counted (fan_src_stats);
 * the call fails only when nothing at all can be watched, or on bad
 * input (relative path, /proc...).  NULL on failure with a message in err.
 * The watch strings are copied.
 */
struct fan_src *fan_src_open(const struct fan_src_opts *o, char *err,
	    size_t errlen);

/* Stop the reader, close the groups (the kernel drops every mark).  NULL-safe. */
void	fan_src_close(struct fan_src *s);

/* The features probed at open. */
const struct fan_features *fan_src_features(const struct fan_src *s);

/*
 * fan_src_mark_root - mark a container's file systems through
 * /proc/PID/root: every watch path below it (inode marks, or mount marks
 * for SUBTREE and exec_all: the container's own copy of the mount; FID
 * watches as filesystem marks), so the events carry the paths as seen
 * inside the container.  Call it from the thread that learns about the
 * container (never from a reader).  Returns the number of marks added,
 * -EEXIST when pid already has marks, -EINVAL when pid shares our mount
 * namespace (the host marks already cover it), another -errno with a
 * message in err.  Thread-safe.
 */
int	fan_src_mark_root(struct fan_src *s, pid_t pid, char *err, size_t errlen);

/*
 * fan_src_unmark_root - remove what fan_src_mark_root added for pid and
 * release what it holds (the FID mount fds, which otherwise pin the
 * container's mounts).  The marks are removed only if /proc/PID still
 * lives in the same mount namespace (pid reuse never touches other
 * marks); otherwise the kernel dropped them with the mounts.  Returns 0
 * or -ENOENT.  Thread-safe.
 */
int	fan_src_unmark_root(struct fan_src *s, pid_t pid);

/*
 * fan_src_set_watches - replace the watches (a rules reload): marks for
 * the new watches are added on the host and under every marked container
 * root first, then the reader filters with the new set, then the marks
 * no watch of the new set needs are removed.  A watch in both sets keeps
 * its marks untouched, so its events go on without a gap; a mark shared
 * with a watch that stays (a file watch and its directory) stays.  The
 * groups are those of fan_src_open: a new watch asking for what no group
 * was opened for (exec, or DIRENT without the FID group) gets no mark for
 * it.  Input rules as fan_src_open (copied).  Returns the number of marks
 * added, or -errno with a message in err (nothing changed).  Thread-safe;
 * not from the reader.
 */
int	fan_src_set_watches(struct fan_src *s, const struct fan_watch *w,
	    size_t n, char *err, size_t errlen);

/*
 * fan_src_next - the next event, waiting up to timeout_ms (0: no wait,
 * < 0: forever).  ev must be fc_event_init'd; it is reset first, then
 * filled (strings in its arena).  Returns 1 for an event, 0 on timeout,
 * -ESHUTDOWN once closed, -ENOMEM when the event's arena is full.  One
 * consumer thread only.
 */
int	fan_src_next(struct fan_src *s, struct fc_event *ev, int timeout_ms);

struct fan_src_stats {
	uint64_t	 read_events;	/* metadata records read from the kernel */
	uint64_t	 overflows;	/* FAN_Q_OVERFLOW: the kernel dropped events */
	uint64_t	 queued;	/* items handed to our queue */
	uint64_t	 popped;	/* events handed to the consumer */
	uint64_t	 queue_drops;	/* our queue was full: dropped */
	uint64_t	 self;		/* caused by falconet (or its children) */
	uint64_t	 filtered;	/* outside the watched paths */
	uint64_t	 coalesced;	/* repeated writes folded into one */
	uint64_t	 interp;	/* ELF interpreter execs folded into their program's */
	uint64_t	 fd_errors;	/* the kernel could not give us an event fd */
	uint64_t	 resolve_errors;	/* a FID could not be turned into a path */
	uint64_t	 proc_gone;	/* the process exited before we read /proc */
	uint64_t	 read_errors;	/* read() on a group failed */
	uint64_t	 fds_open;	/* event fds not yet closed (0 when idle) */
	uint64_t	 reader_cpu_ns;	/* CPU time of the reader thread */
	size_t		 queue_depth, queue_high;
	uint32_t	 marks;		/* marks in place (host + roots) */
	uint32_t	 mark_errors;	/* marks the kernel refused */
	uint32_t	 roots;		/* containers marked */
	bool		 fd_group, fid_group;	/* which groups run */
	bool		 exec;		/* FAN_OPEN_EXEC in use */
	bool		 rename;	/* FAN_RENAME (else MOVED_FROM/MOVED_TO halves) */
};

/* A snapshot (relaxed reads).  Thread-safe. */
void	fan_src_stats(struct fan_src *s, struct fan_src_stats *st);

/*
 * Event flag: set in ev_flags of every event from this source.  Bit 31 of
 * the FC_EV_* space (src/core/event.h uses bits 0-11); meant to become
 * FC_EV_FANOTIFY there.
 */
#define FAN_EV_FANOTIFY	(1u << 31)

/* ---- De-duplication against audit --------------------------------------- */

/*
 * Audit wins: its event carries more (argv, open flags, the result, the
 * cwd, every id).  The agent notes every audit event here as it processes
 * it and asks, for every fanotify event, whether audit already reported
 * the same operation: (pid, operation class, inode) or (pid, class,
 * absolute path) within the window.  fanotify events then only add what
 * audit rules do not watch.  Since audit records are emitted at syscall
 * exit and fanotify events may be read first, open the source with
 * hold_ms >= the window so fanotify events wait for audit's.
 * Entries live in a fixed table: a full table evicts the oldest entry of
 * the probe run (counted).  Not thread-safe: one owner thread.  Time is
 * passed in (milliseconds, any monotonic origin).
 */
struct fan_dedup;

struct fan_dedup *fan_dedup_new(size_t capacity, unsigned window_ms);
void	fan_dedup_free(struct fan_dedup *d);

/* Note what an audit (or any) event did.  Returns the keys stored. */
int	fan_dedup_note(struct fan_dedup *d, const struct fc_event *ev,
	    uint64_t now_ms);

/* Whether one of ev's keys was noted within the window. */
bool	fan_dedup_seen(struct fan_dedup *d, const struct fc_event *ev,
	    uint64_t now_ms);

struct fan_dedup_stats {
	uint64_t	 notes, hits, misses, evictions;
	size_t		 capacity, used;
};

void	fan_dedup_stats(const struct fan_dedup *d, struct fan_dedup_stats *st);

#endif
