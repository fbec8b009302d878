/*
 * ptree_seed.c - fill the table from a scan of /proc, at start and as a
 * resync after lost connector events.
 *
 * The scan reads every /proc/PID (bounded reads, procfs.c) without the
 * lock and builds the entries; then, under the write lock, each one is
 * matched against the table: a live entry of the same process (same pid,
 * start time within a clock tick plus the slack) is kept (events made it,
 * it is at least as precise), one of another process is closed as a
 * missed exit, and new processes are inserted, oldest first, so that a
 * parent is in before its children (its pid may be larger).  Last, a
 * live entry that started before the scan and that the scan did not see
 * has exited unreported, and is closed.
 *
 * Zombies are entered as exited (their exit event is in the past).  At
 * most max_entries processes are taken from one scan.  Owns the scan's
 * entry vector for one call.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "proc/proc_int.h"

struct scan {
	struct pt_ent	**ents;
	size_t		 n, cap;
	uint64_t	 begin_ns, now_ns;
	bool		 truncated;
};

static bool
scan_push(struct scan *sc, struct pt_ent *e)
{
	struct pt_ent **ne;
	size_t cap;

	if (sc->n == sc->cap) {
		cap = sc->cap == 0 ? 256 : sc->cap * 2;
		if ((ne = realloc(sc->ents, cap * sizeof(*ne))) == NULL)
			return false;
		sc->ents = ne;
		sc->cap = cap;
	}
	sc->ents[sc->n++] = e;
	return true;
}

static bool
parse_pid(const char *name, pid_t *pid)
{
	long v = 0;

	if (*name == '\0')
		return false;
	for (; *name != '\0'; name++) {
		if (*name < '0' || *name > '9' || v > 4194304)
			return false;
		v = v * 10 + (*name - '0');
	}
	*pid = (pid_t)v;
	return v > 0;
}

/* One process of the scan into an entry; NULL when gone. */
static struct pt_ent *
scan_one(struct ptree *t, pid_t pid, struct pfs_snap *snap, uint64_t now)
{
	uint32_t what = PFS_STAT | PFS_STATUS | PFS_CMDLINE | PFS_EXE |
	    PFS_CGROUP | PFS_PIDNS;
	struct ptree_proc p;

	if (t->opts.flags & PTREE_O_CWD)
		what |= PFS_CWD;
	if (t->opts.flags & PTREE_O_EXE_LAYER)
		what |= PFS_EXE_LAYER;
	if (pfs_snap_read(t->rootfd, pid, what, snap) < 0)
		return NULL;
	memset(&p, 0, sizeof(p));
	p.pr_pid = pid;
	p.pr_vpid = p.pr_vsid = p.pr_vpgid = -1;
	p.pr_exe_upper = PTREE_UNKNOWN;
	pt_from_snap(t, snap, &p);
	pt_run_cid(t, &p);
	p.pr_flags |= PTREE_F_SEEDED | PTREE_F_APPROX_START;
	if (p.pr_flags & PTREE_F_ZOMBIE) {
		p.pr_exit_ns = now > p.pr_start_ns ? now : p.pr_start_ns + 1;
		p.pr_flags |= PTREE_F_EXITED;
	}
	return pt_ent_new(&p);
}

static int
scan_proc(struct ptree *t, struct scan *sc)
{
	struct pfs_snap *snap;
	struct dirent *de;
	struct pt_ent *e;
	DIR *dir;
	pid_t pid;
	int fd;

	if ((fd = openat(t->rootfd, ".", O_RDONLY | O_DIRECTORY |
	    O_CLOEXEC)) < 0)
		return -errno;
	if ((dir = fdopendir(fd)) == NULL) {
		close(fd);
		return -errno;
	}
	if ((snap = pfs_snap_new(t->opts.args_max, t->opts.cgroup_max)) ==
	    NULL) {
		closedir(dir);
		return -ENOMEM;
	}
	while ((de = readdir(dir)) != NULL) {
		if (!parse_pid(de->d_name, &pid))
			continue;
		if (sc->n >= t->opts.max_entries) {
			sc->truncated = true;
			break;
		}
		if ((e = scan_one(t, pid, snap, sc->now_ns)) != NULL &&
		    !scan_push(sc, e))
			pt_ent_unref(e);
	}
	pfs_snap_free(snap);
	closedir(dir);
	return 0;
}

/* Merge one scanned entry; the node inserted for it, or NULL. */
static struct pt_node *
merge_one(struct ptree *t, struct pt_ent *e, const struct scan *sc)
{
	uint64_t tol = t->opts.time_slack_ns + 1000000000ull /
	    (uint64_t)t->hz;
	const struct ptree_proc *p = &e->p;
	struct pt_node *n = pt_live(t, p->pr_pid);
	uint64_t ns;

	if (n != NULL) {
		ns = n->ent->p.pr_start_ns;
		if ((ns > p->pr_start_ns ? ns - p->pr_start_ns :
		    p->pr_start_ns - ns) <= tol ||
		    ((n->ent->p.pr_flags & PTREE_F_NOFORK) &&
		    ns + tol >= p->pr_start_ns)) {
			n->seen = t->scan_gen;
			pt_ent_unref(e);
			return NULL;
		}
		pt_close_missed(t, n, sc->now_ns);
	}
	if ((n = pt_find_live(t, p->pr_pid)) != NULL &&
	    n->ent->p.pr_start_ns == p->pr_start_ns) {
		n->seen = t->scan_gen;	/* a zombie seen before */
		pt_ent_unref(e);
		return NULL;
	}
	if ((n = pt_insert(t, e)) != NULL)
		n->seen = t->scan_gen;
	return n;
}

/*
 * Name the parent by its start time and count the link.  The node was
 * inserted in this critical section, so no reader has seen its entry yet:
 * it may still be set in place.
 */
static bool
link_new(struct ptree *t, struct pt_node *n)
{
	struct ptree_proc *p = &n->ent->p;
	struct pt_node *par;

	if (p->pr_ppid <= 0)
		return true;
	if ((par = pt_find_at(t, p->pr_ppid, p->pr_start_ns)) == NULL ||
	    par == n)
		return false;
	p->pr_pstart_ns = par->ent->p.pr_start_ns;
	pt_link_parent(t, n);
	return true;
}

/* Parents before children: by start time, then pid. */
static int
by_start(const void *a, const void *b)
{
	const struct ptree_proc *x = &(*(struct pt_ent *const *)a)->p;
	const struct ptree_proc *y = &(*(struct pt_ent *const *)b)->p;

	if (x->pr_start_ns != y->pr_start_ns)
		return x->pr_start_ns < y->pr_start_ns ? -1 : 1;
	return (x->pr_pid > y->pr_pid) - (x->pr_pid < y->pr_pid);
}

/* Live entries the scan did not see, started before it: exited. */
static void
close_unseen(struct ptree *t, const struct scan *sc)
{
	struct pt_node *n, *next;

	for (n = TAILQ_FIRST(&t->lists[PT_LIVE]); n != NULL; n = next) {
		next = TAILQ_NEXT(n, link);
		if (n->seen != t->scan_gen && n->ent->p.pr_start_ns +
		    t->opts.time_slack_ns < sc->begin_ns)
			pt_close_missed(t, n, sc->now_ns);
	}
}

int
ptree_seed(struct ptree *t)
{
	struct scan sc = { NULL, 0, 0, ptree_now_ns(), 0, false };
	struct key { pid_t pid; uint64_t start; } *retry;
	struct pt_node *n;
	size_t i, nretry = 0;
	int rc, added = 0;

	sc.now_ns = sc.begin_ns;
	if ((rc = scan_proc(t, &sc)) < 0)
		return rc;
	if (sc.n > 1)
		qsort(sc.ents, sc.n, sizeof(*sc.ents), by_start);
	retry = calloc(sc.n + 1, sizeof(*retry));	/* NULL: no retries */
	pthread_rwlock_wrlock(&t->lock);
	t->scan_gen++;
	for (i = 0; i < sc.n; i++) {
		if ((n = merge_one(t, sc.ents[i], &sc)) == NULL)
			continue;
		added++;
		/* Parent not in yet (same tick, larger pid): retry below.
		 * Keep the key, not the node: it may be evicted meanwhile. */
		if (!link_new(t, n) && retry != NULL)
			retry[nretry++] = (struct key){ n->ent->p.pr_pid,
			    n->ent->p.pr_start_ns };
	}
	for (i = 0; i < nretry; i++)
		if ((n = pt_find_key(t, retry[i].pid, retry[i].start)) != NULL)
			(void)link_new(t, n);
	close_unseen(t, &sc);
	t->st.seeds++;
	t->st.seed_truncated += sc.truncated;
	pthread_rwlock_unlock(&t->lock);
	free(retry);
	free(sc.ents);
	return added;
}
