/*
 * proc.h - the process table (ptree_*) and the netlink proc connector
 * (pconn_*): who is who, and whose child, at the time of an event.
 *
 * The table holds one entry per process (thread group), keyed by
 * (pid, start time) so that a reused pid is a new process.  It is seeded
 * from /proc at start (ptree_seed), kept current by the proc connector
 * (fork, exec, exit, uid/gid, setsid, comm: pconn_read) and by the audit
 * EXECVE events (ptree_exec).  An exited process stays in the table while
 * events about it or its descendants may still be in flight (a grace
 * period, and for as long as one of its children is in the table), so the
 * ancestry of a short-lived process resolves from the table after its
 * parents are gone.  Memory is bounded: a maximum entry count and byte
 * total; exited entries are evicted first, then the oldest live ones.
 *
 * Concurrency (one writer thread or more, any number of readers): entries
 * are immutable and reference counted.  An update builds a new entry and
 * swaps it in under a write lock (a pthread rwlock); lookups take the read
 * lock only to find the entry and take a reference.  The caller reads the
 * entry without any lock and drops it with ptree_proc_unref().  A
 * reference stays valid (and unchanged) after the process is updated,
 * exits or is evicted.
 *
 * Times are CLOCK_REALTIME nanoseconds, the clock of audit timestamps:
 * /proc start times (clock ticks since boot) and connector timestamps
 * (CLOCK_MONOTONIC) are converted.  /proc start times have clock-tick
 * resolution (10 ms), audit timestamps millisecond resolution; lookups
 * by time allow for that (ptree_opts.time_slack_ns).
 *
 * The parent of an entry is the parent at fork (the kernel's real_parent
 * then), not the reaper the kernel reparents an orphan to: an event that
 * is evaluated after the parent died still names the parent that started
 * it.  Nothing here logs; errors are returned as -errno.
 */
#ifndef FC_PROC_PROC_H
#define FC_PROC_PROC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "core/buf.h"
#include "core/event.h"

enum {
	PTREE_COMM_MAX = 16,		/* comm with its NUL (TASK_COMM_LEN) */
	PTREE_CID_MAX = 72,		/* container id hook output, with NUL */
	PTREE_ANCESTOR_MAX = 64,	/* deepest ancestor walk */
	PTREE_CAP_LAST = 40,		/* CAP_CHECKPOINT_RESTORE: last named bit */
};

/* Defaults of struct ptree_opts (a zero member takes its default). */
enum {
	PTREE_DEF_ENTRIES = 32768,
	PTREE_DEF_BYTES = 64u << 20,
	PTREE_DEF_ARGS = 4096,		/* argv bytes, as Falco's driver reads */
	PTREE_DEF_CGROUP = 4096,
	PTREE_MAX_ARGS = 1u << 20,	/* upper bound of args_max, cgroup_max */
};
#define PTREE_DEF_GRACE_NS	(30ull * 1000000000ull)
#define PTREE_DEF_SLACK_NS	(50ull * 1000000ull)

/* Option flags (ptree_opts.flags). */
enum {
	PTREE_O_CWD = 1u << 0,		/* read /proc/PID/cwd (seed, exec) */
	PTREE_O_EXE_LAYER = 1u << 1,	/* derive is_exe_upper_layer at exec */
};

/*
 * What the connector's exec reads from /proc (ptree_opts.exec_read), on
 * top of /proc/PID/stat (comm, ppid, session, tty, start time: always
 * read, it also tells a reused pid).  CPU per exec on the 2-core test VM
 * (with another agent's audit rules active): stat 12 us, status +20 us,
 * cmdline and exe +8 us, cgroup +9 us; all of them about 48 us.  Read
 * only what the loaded rules need: with audit EXECVE records the argv,
 * exe and cwd come from audit anyway.
 */
enum {
	PTREE_R_STATUS = 1u << 0,	/* ids, capabilities, NSpid/NSsid */
	PTREE_R_ARGV = 1u << 1,		/* cmdline and the exe link */
	PTREE_R_CGROUP = 1u << 2,	/* cgroup text and the container id */
	PTREE_R_NONE = 1u << 7,		/* stat only (0 means the default) */
	PTREE_R_DEFAULT = PTREE_R_STATUS | PTREE_R_ARGV | PTREE_R_CGROUP,
};

/* Flags of an entry (pr_flags): what is known and where it came from. */
enum {
	PTREE_F_EXITED = 1u << 0,	/* pr_exit_ns is set */
	PTREE_F_ZOMBIE = 1u << 1,	/* seeded as a zombie (state Z) */
	PTREE_F_KTHREAD = 1u << 2,	/* kernel thread (PF_KTHREAD) */
	PTREE_F_SEEDED = 1u << 3,	/* created by the /proc scan */
	PTREE_F_FORKED = 1u << 4,	/* created by a fork event */
	PTREE_F_NOFORK = 1u << 5,	/* created by an exec, fork not seen */
	PTREE_F_APPROX_START = 1u << 6,	/* pr_start_ns is not the fork time */
	PTREE_F_AUDIT_EXEC = 1u << 7,	/* exec data from an audit EXECVE */
	PTREE_F_PROC_EXEC = 1u << 8,	/* exec data read from /proc */
	PTREE_F_STALE = 1u << 9,	/* exec seen, image unknown (gone) */
	PTREE_F_IDS = 1u << 10,		/* uids/gids known */
	PTREE_F_CAPS = 1u << 11,	/* capability sets known */
	PTREE_F_ARGS_TRUNC = 1u << 12,	/* argv cut at args_max */
	PTREE_F_CGROUP_TRUNC = 1u << 13,/* cgroup text cut at cgroup_max */
	PTREE_F_TTY = 1u << 14,		/* pr_tty known */
};

/* Tri-state for facts that may not be derivable (pr_exe_upper). */
enum ptree_tri {
	PTREE_UNKNOWN = -1,
	PTREE_NO = 0,
	PTREE_YES = 1,
};

/*
 * One process, as last seen.  Plain data, immutable once returned.
 * Strings are fc_str (p NULL when unknown), NUL-terminated, owned by the
 * entry.  pr_args holds argv[1..] separated by NUL bytes (pr_nargs of
 * them; ptree_proc_arg/args/cmdline render them).
 */
struct ptree_proc {
	pid_t		 pr_pid;	/* host pid (thread group id) */
	pid_t		 pr_ppid;	/* parent at fork, 0 for none */
	uint64_t	 pr_start_ns;	/* fork (clone) time */
	uint64_t	 pr_pstart_ns;	/* parent's pr_start_ns, 0 unknown */
	uint64_t	 pr_exec_ns;	/* last exec, 0 none seen */
	uint64_t	 pr_exit_ns;	/* exit, 0 while alive */
	uint32_t	 pr_flags;	/* PTREE_F_* */

	pid_t		 pr_vpid;	/* pid in its own pid namespace, -1 unknown */
	pid_t		 pr_sid, pr_vsid;	/* session: host / own ns, -1 unknown */
	pid_t		 pr_pgid, pr_vpgid;
	uint32_t	 pr_tty;	/* tty_nr, 0 none */
	uint32_t	 pr_uid, pr_euid, pr_suid, pr_fsuid;	/* PTREE_F_IDS */
	uint32_t	 pr_gid, pr_egid, pr_sgid, pr_fsgid;
	uint64_t	 pr_cap_eff, pr_cap_prm, pr_cap_inh;	/* PTREE_F_CAPS */
	int8_t		 pr_exe_upper;	/* enum ptree_tri */
	uint64_t	 pr_pidns;	/* pid namespace inode, 0 unknown */

	char		 pr_comm[PTREE_COMM_MAX];	/* "" when unknown */
	struct fc_str	 pr_exe;	/* argv[0] */
	struct fc_str	 pr_exepath;	/* resolved executable */
	struct fc_str	 pr_args;	/* argv[1..], NUL-separated */
	uint32_t	 pr_nargs;
	struct fc_str	 pr_cwd;
	struct fc_str	 pr_cgroup;	/* raw /proc/PID/cgroup text */
	char		 pr_cid[PTREE_CID_MAX];	/* from the cid hook, "" none */
};

/*
 * Container id hook: called with the raw cgroup text of a process when
 * it is read (seed, exec), outside the table lock, from the thread doing
 * the update; writes a NUL-terminated id into out (or leaves out "").
 * Forked children inherit the parent's id.  Must be thread-safe if
 * several threads update the table.
 */
typedef void	ptree_cid_fn(void *arg, const char *cgroup, size_t len,
		    char *out, size_t outsz);

/*
 * A container id hook's result, with the process it was read for (after
 * cid_fn, same thread, outside the table lock, only when cid_fn wrote an
 * id): how a caller learns that a container has a live process, e.g. to
 * mark its root file system.  Must be quick and thread-safe, and must not
 * call back into the table.
 */
typedef void	ptree_cid_seen_fn(void *arg, pid_t pid, const char *cid);

struct ptree_opts {
	uint32_t	 max_entries;	/* 0: PTREE_DEF_ENTRIES */
	size_t		 max_bytes;	/* entry memory; 0: PTREE_DEF_BYTES */
	uint32_t	 args_max;	/* argv bytes kept (argv[0] too); 0: 4096 */
	uint32_t	 cgroup_max;	/* cgroup bytes kept; 0: 4096 */
	uint64_t	 exit_grace_ns;	/* keep exited entries; 0: 30 s */
	uint64_t	 time_slack_ns;	/* time matching tolerance; 0: 50 ms */
	const char	*proc_root;	/* NULL: "/proc"; a fixture tree in tests */
	uint64_t	 boot_ns;	/* realtime of boot; 0: from the clocks */
	uint32_t	 flags;		/* PTREE_O_* */
	uint32_t	 exec_read;	/* PTREE_R_*; 0: PTREE_R_DEFAULT */
	ptree_cid_fn	*cid_fn;	/* NULL: no container ids */
	void		*cid_arg;
	ptree_cid_seen_fn *cid_seen_fn;	/* NULL: none; gets cid_arg */
};

struct ptree_stats {
	uint64_t	 entries, live, exited, bytes;
	uint64_t	 inserts, updates;
	uint64_t	 evicted_exited, evicted_live, pruned;
	uint64_t	 lookups, misses;
	uint64_t	 proc_gone;	/* /proc read found the process gone */
	uint64_t	 pid_reused;	/* /proc showed another process */
	uint64_t	 missed_exits;	/* live entry replaced by a new one */
	uint64_t	 seeds, seed_truncated;
};

struct ptree;

/*
 * ptree_new - an empty table.  Opens the /proc root (O_PATH directory) at
 * once.  NULL with errno set on failure.  ptree_free(NULL) is a no-op;
 * entries still referenced by callers stay valid after ptree_free.
 */
struct ptree	*ptree_new(const struct ptree_opts *opts);
void		 ptree_free(struct ptree *t);

/*
 * ptree_seed - scan /proc and add every process not in the table yet.
 * Also a resync after lost connector events: a live entry whose process
 * is no longer in /proc is marked exited, one whose pid now belongs to
 * another process is replaced.  Reads /proc without the lock.  Returns
 * the number of processes added, or -errno when /proc cannot be listed.
 */
int	ptree_seed(struct ptree *t);

/*
 * Updates.  Each returns 0, or -ENOENT when the process is not in the
 * table where that matters (exit, setid...), -ENOMEM, or -EINVAL.
 * ts_ns is CLOCK_REALTIME.  Safe from any thread.
 *
 * ptree_fork: pid/tgid of the child (a thread, pid != tgid, is ignored),
 * ppid the parent's tgid.  The child copies the parent's entry.
 *
 * ptree_fork_unseen: an event of pid (child of ppid) at ts_ns, and the
 * table has no process with that pid: its fork report is late (the
 * connector runs on its own thread) or lost.  Adds the copy of the parent
 * the fork made (as an exec reported before its fork does); the late
 * report merges into it.  0 also when pid is known; -ENOENT when the
 * parent is not.
 *
 * ptree_exec: from an audit event with EXECVE records (comm, exe=, argv,
 * CWD, ids of the SYSCALL record; the time of the event); ev NULL reads
 * /proc now instead.  ptree_exec_proc: the connector's exec, reading
 * /proc/PID/{stat,status,cmdline,exe,cgroup} at once (bounded; a process
 * already gone keeps its old image, flagged PTREE_F_STALE).  Both merge:
 * the audit argv and cwd win over /proc's, /proc's caps, cgroup and vpid
 * fill in.
 */
int	ptree_fork(struct ptree *t, pid_t ppid, pid_t pid, pid_t tgid,
	    uint64_t ts_ns);
int	ptree_fork_unseen(struct ptree *t, pid_t ppid, pid_t pid,
	    uint64_t ts_ns);
int	ptree_exec(struct ptree *t, pid_t pid, const struct fc_event *ev);
int	ptree_exec_proc(struct ptree *t, pid_t pid, uint64_t ts_ns);
int	ptree_exit(struct ptree *t, pid_t pid, uint64_t ts_ns);

enum ptree_idkind {
	PTREE_ID_UID,		/* real, effective uid (connector UID event) */
	PTREE_ID_GID,
};
int	ptree_setid(struct ptree *t, pid_t pid, enum ptree_idkind kind,
	    uint32_t real, uint32_t eff);
int	ptree_setsid(struct ptree *t, pid_t pid);
int	ptree_set_comm(struct ptree *t, pid_t pid, const char *comm);

/*
 * ptree_prune - drop exited entries older than the grace period that no
 * entry names as its parent.  Returns how many were dropped.
 */
unsigned	ptree_prune(struct ptree *t, uint64_t now_ns);

/*
 * Lookups.  Each returns a new reference (drop it with ptree_proc_unref)
 * or NULL.  Safe from any thread, concurrently with updates.
 *
 * ptree_get: the live process with that pid (else the last one that had
 * it).  ptree_get_at: the process that had that pid at time ts_ns (the
 * one an audit event with that timestamp is about, whatever happened to
 * the pid since).  ptree_ancestor: n = 0 the process itself, 1 its parent,
 * 2 its grandparent ... (NULL past the known chain or PTREE_ANCESTOR_MAX).
 * ptree_ancestors: parent first, at most max references into out[];
 * returns how many.  The walk is loop-safe: a pid reused by a newer
 * process never becomes an ancestor, and no entry appears twice.
 * ptree_session_leader: the process whose comm is proc.sname (libsinsp:
 * the entry with pid == sid, or else the highest ancestor in the same
 * session).
 */
const struct ptree_proc *ptree_get(struct ptree *t, pid_t pid);
const struct ptree_proc *ptree_get_at(struct ptree *t, pid_t pid,
	    uint64_t ts_ns);
const struct ptree_proc *ptree_ancestor(struct ptree *t,
	    const struct ptree_proc *p, unsigned n);
unsigned	ptree_ancestors(struct ptree *t, const struct ptree_proc *p,
	    const struct ptree_proc **out, unsigned max);
const struct ptree_proc *ptree_session_leader(struct ptree *t,
	    const struct ptree_proc *p);

const struct ptree_proc *ptree_proc_ref(const struct ptree_proc *p);
void	ptree_proc_unref(const struct ptree_proc *p);

void	ptree_get_stats(struct ptree *t, struct ptree_stats *st);

/* ---- Rendering for the fields (ptree_fmt.c) --------------------------- */

/* proc.args: argv[1..] joined by single spaces. */
void	ptree_proc_args(const struct ptree_proc *p, struct fc_buf *b);
/* proc.cmdline: comm, then " " and each argument. */
void	ptree_proc_cmdline(const struct ptree_proc *p, struct fc_buf *b);
/* proc.args[i] (0 = argv[1]); false past the last. */
bool	ptree_proc_arg(const struct ptree_proc *p, unsigned i,
	    struct fc_str *out);
/* thread.cap_*: "CAP_CHOWN CAP_DAC_OVERRIDE ..." in bit order (0..40). */
void	ptree_caps_render(uint64_t caps, struct fc_buf *b);
/* Name of capability bit i, NULL past PTREE_CAP_LAST. */
const char	*ptree_cap_name(unsigned i);
/* proc.duration: ns from the process start to ts_ns; false if unknown. */
bool	ptree_proc_duration(const struct ptree_proc *p, uint64_t ts_ns,
	    int64_t *out);

/* CLOCK_REALTIME now, in ns. */
uint64_t	ptree_now_ns(void);

/* ---- The netlink proc connector (pconn.c) ------------------------------ */

struct pconn_stats {
	uint64_t	 msgs;		/* connector messages received */
	uint64_t	 forks, execs, exits, ids, sids, comms;
	uint64_t	 threads;	/* thread fork/exit events ignored */
	uint64_t	 bad;		/* malformed or foreign messages dropped */
	uint64_t	 overruns;	/* ENOBUFS: the kernel dropped events */
	uint64_t	 resyncs;	/* /proc rescans after an overrun */
};

struct pconn;

/*
 * pconn_open - subscribe to the proc connector (NETLINK_CONNECTOR,
 * CN_IDX_PROC, PROC_CN_MCAST_LISTEN) with an 8 MiB receive buffer.  Needs
 * CAP_NET_ADMIN.  NULL on failure with a message in err.
 */
struct pconn	*pconn_open(char *err, size_t errlen);
/* The socket to poll for POLLIN (pconn_read never blocks).  Owned by pconn. */
int	pconn_fd(const struct pconn *c);
/*
 * pconn_read - read what is queued (at most 1024 events per call) and
 * apply it to t.  Returns the number of events applied (0 when nothing
 * was queued) or -errno on a socket error.  An overrun (ENOBUFS) is
 * counted, and t is resynced from /proc (ptree_seed) at most every 5 s.
 * Exited entries are pruned at most once per second.  Never logs.
 */
int	pconn_read(struct pconn *c, struct ptree *t);
/*
 * pconn_wait - pconn_read, but wait up to timeout_ms for the first event
 * in the same system call: a reader thread then makes one recvmmsg per
 * wakeup instead of a poll and a recvmmsg (which showed in exec storms).
 * Returns as pconn_read; 0 on timeout.
 */
int	pconn_wait(struct pconn *c, struct ptree *t, int timeout_ms);
void	pconn_get_stats(const struct pconn *c, struct pconn_stats *st);
void	pconn_close(struct pconn *c);

#endif
