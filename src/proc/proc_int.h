/*
 * proc_int.h - private to src/proc: bounded /proc reads (procfs.c) and
 * the table internals shared by ptree.c, ptree_update.c and ptree_seed.c.
 * Tests may include it.
 */
#ifndef FC_PROC_PROC_INT_H
#define FC_PROC_PROC_INT_H

#include <pthread.h>
#include <stdatomic.h>
#include <sys/queue.h>

#include "proc/proc.h"

/* ---- procfs.c ---------------------------------------------------------- */

/* What pfs_snap_read reads (and what it found: pfs_snap.has). */
enum {
	PFS_STAT = 1u << 0,
	PFS_STATUS = 1u << 1,
	PFS_CMDLINE = 1u << 2,
	PFS_EXE = 1u << 3,
	PFS_CWD = 1u << 4,
	PFS_CGROUP = 1u << 5,
	PFS_NS = 1u << 6,	/* NSpid/NSsid/NSpgid lines (has only) */
	PFS_EXE_LAYER = 1u << 7,
	PFS_PIDNS = 1u << 8,	/* ns/pid link */
};

enum {
	PFS_STATE_ZOMBIE = 'Z',
	PFS_PF_KTHREAD = 0x00200000,
	PFS_PATH_MAX = 4096,
	PFS_STAT_MAX = 1024,
	PFS_STATUS_MAX = 4096,
	PFS_MOUNTINFO_MAX = 256 * 1024,
};

/* One process as /proc shows it.  Buffers sized at pfs_snap_new. */
struct pfs_snap {
	uint32_t	 has;
	/* stat */
	char		 comm[PTREE_COMM_MAX];
	char		 state;
	pid_t		 ppid, pgid, sid;
	uint32_t	 tty;
	uint32_t	 kflags;
	uint64_t	 start_ticks;
	/* status */
	uint32_t	 uid[4], gid[4];	/* real, effective, saved, fs */
	uint64_t	 cap_eff, cap_prm, cap_inh;
	pid_t		 vpid, vsid, vpgid;	/* -1 when not shown */
	/* cmdline: argv bytes (NUL-separated), cut at args_max */
	char		*argv;
	uint32_t	 argv_len, argv_cap;
	bool		 argv_trunc;
	char		*exepath, *cwd;		/* PFS_PATH_MAX each */
	uint32_t	 exepath_len, cwd_len;
	char		*cgroup;
	uint32_t	 cgroup_len, cgroup_cap;
	bool		 cgroup_trunc;
	int8_t		 exe_upper;		/* enum ptree_tri */
	uint64_t	 pidns;			/* ns/pid inode */
	char		 scratch[PFS_STATUS_MAX];
};

struct pfs_snap	*pfs_snap_new(uint32_t args_max, uint32_t cgroup_max);
void		 pfs_snap_free(struct pfs_snap *s);

/*
 * pfs_snap_read - read the parts of /proc/PID named by what, relative to
 * the directory rootfd.  Returns 0 (s->has says what was found), or
 * -ENOENT/-ESRCH when the process is gone (stat unreadable).
 */
int	pfs_snap_read(int rootfd, pid_t pid, uint32_t what,
	    struct pfs_snap *s);

/* The pid namespace inode of /proc/PID (one readlink), 0 when unknown. */
uint64_t pfs_pidns(int rootfd, pid_t pid);

/* Parsers, exposed for the tests.  0 or -EINVAL. */
int	pfs_parse_stat(const char *buf, size_t len, struct pfs_snap *s);
void	pfs_parse_status(const char *buf, size_t len, struct pfs_snap *s);

/*
 * pfs_exe_layer - whether exepath (as readlink /proc/PID/exe shows it)
 * lies in the upper layer of the overlayfs mount that holds it, from
 * /proc/PID/mountinfo: PTREE_YES/PTREE_NO, PTREE_UNKNOWN when the mount
 * is not overlayfs-with-upperdir or mountinfo cannot be read.
 */
int8_t	pfs_exe_layer(int rootfd, pid_t pid, const char *exepath,
	    size_t len);

/* ---- The table (ptree.c) ----------------------------------------------- */

/* An entry: the refcount and size in front of the public data. */
struct pt_ent {
	atomic_uint	 ref;
	uint32_t	 size;		/* bytes of this allocation */
	struct ptree_proc p;
	char		 data[];	/* the strings */
};

/* A slot of the table: one process identity, its current entry. */
struct pt_node {
	struct pt_node	*hnext;		/* hash chain (same bucket) */
	/* Copies of the entry's key and exit time: chain walks stay here. */
	pid_t		 pid;
	uint64_t	 start, exit;
	TAILQ_ENTRY(pt_node) link;	/* on live, exited or held */
	struct pt_ent	*ent;		/* table's reference */
	uint32_t	 nchild;	/* nodes naming this one as parent */
	uint32_t	 seen;		/* scan generation (ptree_seed) */
	uint8_t		 list;		/* enum pt_list */
	bool		 linked;	/* counted in the parent's nchild */
};

TAILQ_HEAD(pt_list_head, pt_node);

enum pt_list { PT_LIVE, PT_EXITED, PT_HELD, PT_NLISTS };

struct ptree {
	pthread_rwlock_t lock;
	struct ptree_opts opts;		/* defaults filled in */
	int		 rootfd;
	struct pt_node	**buckets;
	uint32_t	 nbuckets;	/* power of two: 1 << (32 - hshift) */
	unsigned	 hshift;
	uint32_t	 nentries;
	size_t		 nbytes;
	struct pt_list_head lists[PT_NLISTS];
	uint32_t	 scan_gen;
	long		 hz;		/* clock ticks per second */

	/* Counters changed under the write lock ... */
	struct ptree_stats st;
	/* ... and by readers. */
	atomic_uint_fast64_t lookups, misses;

	/* One spare /proc snapshot for exec reads (pt_snap_take/give). */
	_Atomic(struct pfs_snap *) spare;
};

/* Build an entry from tmpl, copying its strings (NULL on ENOMEM). */
struct pt_ent	*pt_ent_new(const struct ptree_proc *tmpl);
struct pt_ent	*pt_ent_of(const struct ptree_proc *p);
void		 pt_ent_unref(struct pt_ent *e);

/* Under the write lock. */
struct pt_node	*pt_find_key(struct ptree *t, pid_t pid, uint64_t start);
struct pt_node	*pt_find_live(struct ptree *t, pid_t pid);
struct pt_node	*pt_find_at(struct ptree *t, pid_t pid, uint64_t ts);
struct pt_node	*pt_parent(struct ptree *t, const struct ptree_proc *p);
struct pt_node	*pt_insert(struct ptree *t, struct pt_ent *e);
void		 pt_replace(struct ptree *t, struct pt_node *n,
		    struct pt_ent *e);
void		 pt_link_parent(struct ptree *t, struct pt_node *n);
/* The live node of pid or NULL; swap in / insert a copy of tmpl. */
struct pt_node	*pt_live(struct ptree *t, pid_t pid);
int		 pt_commit(struct ptree *t, struct pt_node *n,
		    const struct ptree_proc *tmpl);
int		 pt_insert_tmpl(struct ptree *t, const struct ptree_proc *tmpl);
void		 pt_close_missed(struct ptree *t, struct pt_node *n, uint64_t ts);

/*
 * A snapshot for reading /proc at exec: the spare one when free (an exec
 * storm reads /proc thousands of times a second, and the five mallocs of
 * a new snapshot each time showed in profiles), else a new one.  Give it
 * back when done; any thread.
 */
struct pfs_snap *pt_snap_take(struct ptree *t);
void		 pt_snap_give(struct ptree *t, struct pfs_snap *s);

/* Time helpers (ptree.c). */
uint64_t	 pt_ticks_ns(const struct ptree *t, uint64_t ticks);
uint64_t	 pt_boot_ns(const struct ptree *t);

/* Fill the /proc parts of tmpl from s (strings point into s). */
void	pt_from_snap(struct ptree *t, const struct pfs_snap *s,
	    struct ptree_proc *tmpl);
/* Run the container id hook on tmpl's cgroup, if any. */
void	pt_run_cid(struct ptree *t, struct ptree_proc *tmpl);

#endif
