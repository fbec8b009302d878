/*
 * fan_int.h - internals of the fanotify source, shared by its files and
 * by the tests: kernel constants older headers lack, the item that
 * crosses from the reader thread to the consumer, the queue, the mark
 * bookkeeping and struct fan_src itself.
 */
#ifndef FC_FANOTIFY_FAN_INT_H
#define FC_FANOTIFY_FAN_INT_H

#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/fanotify.h>

#include "fanotify/fanotify.h"

/* Constants newer than some build hosts' headers (RHEL 7/8 headers). */
#ifndef FAN_OPEN_EXEC
#define FAN_OPEN_EXEC		0x00001000
#endif
#ifndef FAN_OPEN_EXEC_PERM
#define FAN_OPEN_EXEC_PERM	0x00040000
#endif
#ifndef FAN_CREATE
#define FAN_ATTRIB		0x00000004
#define FAN_MOVED_FROM		0x00000040
#define FAN_MOVED_TO		0x00000080
#define FAN_CREATE		0x00000100
#define FAN_DELETE		0x00000200
#endif
#ifndef FAN_RENAME
#define FAN_RENAME		0x10000000
#endif
#ifndef FAN_ENABLE_AUDIT
#define FAN_ENABLE_AUDIT	0x00000040
#endif
#ifndef FAN_REPORT_TID
#define FAN_REPORT_TID		0x00000100
#endif
#ifndef FAN_REPORT_FID
#define FAN_REPORT_FID		0x00000200
#endif
#ifndef FAN_REPORT_DIR_FID
#define FAN_REPORT_DIR_FID	0x00000400
#define FAN_REPORT_NAME		0x00000800
#endif
#ifndef FAN_REPORT_TARGET_FID
#define FAN_REPORT_TARGET_FID	0x00001000
#endif
#ifndef FAN_REPORT_PIDFD
#define FAN_REPORT_PIDFD	0x00000080
#endif
#ifndef FAN_REPORT_FD_ERROR
#define FAN_REPORT_FD_ERROR	0x00002000
#endif
#ifndef FAN_MARK_FILESYSTEM
#define FAN_MARK_FILESYSTEM	0x00000100
#endif
#ifndef FAN_MARK_EVICTABLE
#define FAN_MARK_EVICTABLE	0x00000200
#endif
#ifndef FAN_MARK_IGNORE
#define FAN_MARK_IGNORE		0x00000400
#endif
#ifndef FAN_MARK_IGNORED_SURV_MODIFY
#define FAN_MARK_IGNORED_SURV_MODIFY 0x00000040
#endif

/* Info record types (fanotify.7), and their layout, independent of headers. */
enum {
	FAN_INFO_FID = 1,
	FAN_INFO_DFID_NAME = 2,
	FAN_INFO_DFID = 3,
	FAN_INFO_OLD_DFID_NAME = 10,
	FAN_INFO_NEW_DFID_NAME = 12,
};

struct fan_info_hdr {
	uint8_t		 info_type;
	uint8_t		 pad;
	uint16_t	 len;
};

/* fanotify_event_info_fid: header, fsid, then a struct file_handle. */
struct fan_info_fid {
	struct fan_info_hdr hdr;
	int32_t		 fsid[2];
	/* struct file_handle { u32 handle_bytes; i32 handle_type; u8 f_handle[]; } */
};

/* ---- Items: one kernel event, self-contained --------------------------- */

enum fan_kind {
	FAN_K_OPEN = 1,		/* FAN_OPEN: openat, read */
	FAN_K_WRITE,		/* FAN_MODIFY / FAN_CLOSE_WRITE: openat, write */
	FAN_K_EXEC,		/* FAN_OPEN_EXEC: execve */
	FAN_K_CREATE,		/* FAN_CREATE */
	FAN_K_DELETE,		/* FAN_DELETE */
	FAN_K_RENAME,		/* FAN_RENAME: old and new */
	FAN_K_MOVED_FROM,	/* FAN_MOVED_FROM: half a rename */
	FAN_K_MOVED_TO,		/* FAN_MOVED_TO: the other half */
};

/* Strings of an item. */
enum {
	FAN_S_PATH,		/* the object (old name for renames) */
	FAN_S_PATH2,		/* rename: the new name */
	FAN_S_DIR,		/* FID events: the parent directory */
	FAN_S_DIR2,		/* rename: the new parent */
	FAN_S_COMM,
	FAN_S_EXE,
	FAN_S_MAX,
};

/* What fstat said about the object (or fstatat for FID events). */
struct fan_obj {
	bool		 ok;
	uint64_t	 ino;
	uint32_t	 dev_major, dev_minor;
	uint32_t	 mode, uid, gid, nlink;
};

/* What /proc/PID said (fan_proc.c). */
struct fan_proc {
	bool		 ok;		/* status was read */
	int32_t		 ppid;
	uint32_t	 uid, euid, suid, fsuid, gid, egid, sgid, fsgid;
	uint32_t	 auid, ses;
	bool		 has_auid, has_ses;
};

struct fan_item {
	size_t		 size;		/* bytes, header and strings */
	int64_t		 mono_ms;	/* when read (CLOCK_MONOTONIC) */
	uint64_t	 sec;		/* CLOCK_REALTIME when read */
	uint32_t	 msec;
	uint32_t	 seq;		/* the source's own sequence: ev_serial */
	uint8_t		 kind;		/* enum fan_kind */
	bool		 ondir;		/* FAN_ONDIR */
	int32_t		 pid;
	struct fan_proc	 pr;
	struct fan_obj	 obj;
	uint16_t	 len[FAN_S_MAX];	/* 0 = absent */
	uint32_t	 off[FAN_S_MAX];
	/*
	 * The strings, each NUL-terminated, follow the struct in the same
	 * allocation (fan_item_data).  Not a flexible array member: the
	 * builder embeds a struct fan_item, which C11 allows only without.
	 */
};

static inline char *
fan_item_data(struct fan_item *it)
{
	return (char *)(it + 1);
}

/* A builder: the item being made, strings in a fixed scratch area. */
struct fan_ibuild {
	struct fan_item	 it;
	char		 buf[FAN_S_MAX * (PATH_MAX + 1)];
	size_t		 used;
};

void	fan_ib_reset(struct fan_ibuild *b);
/* Store (p, n) as string slot; silently truncated to PATH_MAX. */
void	fan_ib_set(struct fan_ibuild *b, int slot, const char *p, size_t n);
/* A malloc'd copy of the item, or NULL. */
struct fan_item *fan_ib_finish(const struct fan_ibuild *b);

static inline const char *
fan_item_str(const struct fan_item *it, int slot, size_t *len)
{
	*len = it->len[slot];
	return it->len[slot] ? (const char *)(it + 1) + it->off[slot] : NULL;
}

/* Fill ev (reset first) from it.  0 or -ENOMEM (arena cap). */
int	fan_item_to_event(const struct fan_item *it, struct fc_event *ev);

/* ---- ELF interpreters (fan_elf.c) -------------------------------------- */

struct fan_elf {
	bool		 elf, dyn, interp;	/* ELF; ET_DYN; has PT_INTERP */
	char		 interp_base[64];	/* PT_INTERP's basename */
};

/* Read the ELF facts of the file behind fd (an event fd).  Always 0. */
int	fan_elf_read(int fd, struct fan_elf *e);

enum { FAN_INTERP_SLOTS = 64 };

struct fan_interp_ent {
	int32_t		 pid;
	int64_t		 t_ms;
	char		 base[64];
};

/* Programs with PT_INTERP just exec'd, per pid (reader-private). */
struct fan_interp {
	struct fan_interp_ent ent[FAN_INTERP_SLOTS];
	unsigned	 next;
};

void	fan_interp_note(struct fan_interp *t, int32_t pid,
	    const struct fan_elf *e, int64_t now_ms);
/* Whether this exec event of pid is the interpreter of its last program. */
bool	fan_interp_take(struct fan_interp *t, int32_t pid, const char *path,
	    const struct fan_elf *e, int64_t now_ms);

/* ---- Queue -------------------------------------------------------------- */

struct fan_queue;

struct fan_queue *fan_queue_new(size_t max_items, size_t max_bytes);
void	fan_queue_free(struct fan_queue *q);
/* Takes it on success (0); -ENOBUFS when full, -ESHUTDOWN: caller keeps it. */
int	fan_queue_try_push(struct fan_queue *q, struct fan_item *it);
/*
 * The oldest item once it is hold_ms old, waiting up to timeout_ms (< 0:
 * forever).  NULL on timeout or shutdown (*shut set).
 */
struct fan_item *fan_queue_pop(struct fan_queue *q, int timeout_ms,
	    unsigned hold_ms, bool *shut);
void	fan_queue_shutdown(struct fan_queue *q);
void	fan_queue_depth(struct fan_queue *q, size_t *depth, size_t *high);

/* ---- /proc -------------------------------------------------------------- */

/*
 * fan_proc_read - status (ppid, ids, Name), exe, loginuid, sessionid of
 * pid, relative to procfd (an fd on /proc).  comm and exe receive
 * NUL-terminated strings ("" when unknown).  Bounded reads, no blocking
 * lookups.  Returns 0, or -ESRCH when the process is gone.
 */
int	fan_proc_read(int procfd, int32_t pid, struct fan_proc *pr,
	    char *comm, size_t commsz, char *exe, size_t exesz);

/* ---- De-duplication keys (fan_dedup.c) -------------------------------- */

enum fan_dclass {
	FAN_DC_OPEN = 1,
	FAN_DC_WRITE,		/* the reader's own write coalescing */
	FAN_DC_EXEC,
	FAN_DC_CREATE,
	FAN_DC_DELETE,
};

/* Key of (pid, class, dev, inode). */
uint64_t fan_dedup_key_ino(int32_t pid, enum fan_dclass c, uint32_t dev_major,
	    uint32_t dev_minor, uint64_t ino);
/* Key of (pid, class, path): path absolute and normalised. */
uint64_t fan_dedup_key_path(int32_t pid, enum fan_dclass c, const char *path,
	    size_t len);
void	fan_dedup_note_key(struct fan_dedup *d, uint64_t key, uint64_t now_ms);
bool	fan_dedup_seen_key(struct fan_dedup *d, uint64_t key, uint64_t now_ms);

/*
 * A small subject cache (reader-private): /proc costs ~40 us per event on
 * a VM (status alone ~20 us), so what was read for a pid is reused for
 * ttl_ms.  An exec event of the pid drops its entry.  Direct-mapped by
 * pid, fixed size; an exe longer than FAN_PC_EXE is never cached.
 */
enum { FAN_PC_SLOTS = 256, FAN_PC_EXE = 512 };

struct fan_pcent {
	int32_t		 pid;		/* 0: empty */
	int64_t		 t_ms;
	struct fan_proc	 pr;
	char		 comm[24];
	char		 exe[FAN_PC_EXE];
};

struct fan_pcache {
	struct fan_pcent ent[FAN_PC_SLOTS];
	unsigned	 ttl_ms;
	uint64_t	 hits, misses;
};

/* fan_proc_read through the cache: 0, or -ESRCH (never cached). */
int	fan_pcache_read(struct fan_pcache *c, int procfd, int32_t pid,
	    struct fan_proc *pr, char *comm, size_t commsz, char *exe,
	    size_t exesz);
void	fan_pcache_forget(struct fan_pcache *c, int32_t pid);

/* ---- Marks -------------------------------------------------------------- */

enum {
	FAN_MAX_WATCHES = 256,
	FAN_MAX_MOUNT_FDS = 1024,	/* FID resolution: one per marked file system */
	FAN_MAX_ROOT_MARKS = 512,	/* per container */
};

/* One mark we added, so that it can be removed (container roots). */
struct fan_markrec {
	char		*path;		/* full path through /proc/PID/root */
	int		 group;		/* fd of the group */
	unsigned	 flags;		/* FAN_MARK_INODE/MOUNT/FILESYSTEM */
	uint64_t	 mask;
};

struct fan_root {
	struct fan_root	*next;
	int32_t		 pid;
	uint64_t	 mntns;		/* st_ino of /proc/PID/ns/mnt */
	struct fan_markrec *recs;
	size_t		 nrecs;
};

/* fsid -> a directory fd on that file system, for open_by_handle_at(). */
struct fan_mountfd {
	int32_t		 fsid[2];
	int		 fd;
	int32_t		 owner;		/* 0: host; else the container's pid */
};

struct fan_wrec {
	char		*path;
	size_t		 len;
	uint32_t	 ops;
	bool		 is_dir;	/* decided when set, on the host */
	unsigned	 host_marks;	/* marks it added on the host */
};

struct fan_src {
	struct fan_src_opts opts;	/* watches point to ws */
	struct fan_features feat;
	/*
	 * The watches.  Written only under mark_mu and, for the swap of
	 * fan_src_set_watches, ws_lock held for writing; the reader matches
	 * paths under ws_lock's read side.
	 */
	pthread_rwlock_t ws_lock;
	struct fan_wrec	 ws[FAN_MAX_WATCHES];
	size_t		 nws;

	int		 fd_grp, fid_grp;	/* -1 when not used */
	uint64_t	 fd_mask;	/* FAN_OPEN... wanted in the fd group */
	uint64_t	 fid_mask;
	bool		 use_fs_marks;	/* FAN_MARK_FILESYSTEM for exec_all */
	int		 procfd;	/* /proc, O_PATH */
	int		 stopfd;	/* eventfd: tells the reader to stop */
	int32_t		 self;

	pthread_mutex_t	 mark_mu;	/* roots: mark_root / unmark_root */
	pthread_mutex_t	 mu;		/* the mount fd table */
	struct fan_mountfd mfds[FAN_MAX_MOUNT_FDS];
	size_t		 nmfds;
	struct fan_root	*roots;

	struct fan_queue *q;
	struct fan_dedup *wdedup;	/* reader-private: write coalescing */
	struct fan_ibuild *ib;		/* reader-private scratch */
	struct fan_interp interp;	/* reader-private */
	struct fan_pcache *pcache;	/* reader-private */
	char		*rbuf;		/* reader-private read buffer */
	size_t		 rbufsz;

	pthread_t	 thr;
	bool		 started;
	uint32_t	 seq;		/* reader-private: last item's seq */

	/* Counters (fan_src_stats). */
	atomic_uint_fast64_t read_events, overflows, queued, popped, queue_drops,
			 self_ev, filtered, coalesced, fd_errors, resolve_errors,
			 proc_gone, read_errors, fds_open, reader_cpu_ns,
			 interp_ev;
	atomic_uint	 marks, mark_errors, nroots;
};

/* fan_src.c: check and copy one watch (path strdup'ed); -errno, err set. */
int	fan_wrec_fill(struct fan_wrec *w, const struct fan_watch *in, char *err,
	    size_t errlen);

/* fan_mark.c */
int	fan_mark_host(struct fan_src *s, char *err, size_t errlen);
int	fan_mountfd_open(struct fan_src *s, const char *path, int32_t owner);
/* The mount fd for fsid, dup'ed (caller closes), or -1. */
int	fan_mountfd_get(struct fan_src *s, const int32_t fsid[2]);
void	fan_marks_free(struct fan_src *s);

/* fan_read.c */
void	*fan_reader_main(void *arg);
/*
 * fan_parse_fd_batch / fan_parse_fid_batch - process one read() of the
 * fd-mode or the FID-mode group: every record checked against len, every
 * fd closed.  Exposed for the tests (crafted buffers).
 */
void	fan_parse_fd_batch(struct fan_src *s, const char *buf, size_t len);
void	fan_parse_fid_batch(struct fan_src *s, const char *buf, size_t len);

/* Watch matching (fan_read.c): does path fall under a watch wanting op? */
bool	fan_watch_match(struct fan_src *s, const char *path, size_t len,
	    uint32_t op);

int64_t	fan_mono_ms(void);

#endif
