/*
 * ptree_update.c - fork, exec, exit and id changes applied to the table.
 *
 * Every update copies the current entry into a template, changes it, and
 * swaps a new immutable entry in (pt_replace) under the write lock.  /proc
 * is read before the lock is taken, and the container id hook runs
 * without it too.
 *
 * Two sources report an exec: the proc connector (pid only: /proc is read
 * at once, racing with the process) and the audit EXECVE event (argv,
 * exe=, CWD as the kernel saw them, possibly processed later).  They are
 * merged, whichever comes first: when the entry's exec time is within the
 * time slack of this one, the second report only fills what the first
 * lacked; otherwise it is a new exec and replaces the image.  The audit
 * argv and cwd win (a process can rewrite its /proc cmdline), /proc gives
 * the capability sets, the cgroup and the namespaced pids.
 *
 * A fork or exec about a pid whose live entry is another process means
 * its exit was missed (connector overrun): that entry is closed at this
 * time and counted in missed_exits.  Owns nothing.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "proc/proc_int.h"

static uint64_t
tick_ns(const struct ptree *t)
{
	return 1000000000ull / (uint64_t)t->hz;
}

static uint64_t
absdiff(uint64_t a, uint64_t b)
{
	return a > b ? a - b : b - a;
}

/* ---- From /proc -------------------------------------------------------- */

/* argv bytes "a0\0a1\0..." into exe and args. */
static void
split_argv(const char *argv, uint32_t len, struct ptree_proc *p)
{
	const char *nul = memchr(argv, '\0', len), *q;
	uint32_t n;

	if (nul == NULL) {
		p->pr_exe = (struct fc_str){ argv, len };
		p->pr_args = (struct fc_str){ argv + len, 0 };
		p->pr_nargs = 0;
		return;
	}
	p->pr_exe = (struct fc_str){ argv, (uint32_t)(nul - argv) };
	q = nul + 1;
	p->pr_args = (struct fc_str){ q, (uint32_t)(argv + len - q) };
	for (n = 1; (q = memchr(q, '\0', (size_t)(argv + len - q))) != NULL;
	    q++)
		n++;
	p->pr_nargs = n;
}

static void
from_status(const struct pfs_snap *s, struct ptree_proc *p)
{
	if (!(s->has & PFS_STATUS))
		return;
	p->pr_uid = s->uid[0]; p->pr_euid = s->uid[1];
	p->pr_suid = s->uid[2]; p->pr_fsuid = s->uid[3];
	p->pr_gid = s->gid[0]; p->pr_egid = s->gid[1];
	p->pr_sgid = s->gid[2]; p->pr_fsgid = s->gid[3];
	p->pr_cap_eff = s->cap_eff;
	p->pr_cap_prm = s->cap_prm;
	p->pr_cap_inh = s->cap_inh;
	p->pr_flags |= PTREE_F_IDS | PTREE_F_CAPS;
	if (s->has & PFS_NS) {
		p->pr_vpid = s->vpid;
		p->pr_vsid = s->vsid;
		p->pr_vpgid = s->vpgid;
	}
}

void
pt_from_snap(struct ptree *t, const struct pfs_snap *s,
    struct ptree_proc *p)
{
	memcpy(p->pr_comm, s->comm, PTREE_COMM_MAX);
	p->pr_ppid = s->ppid;
	p->pr_pgid = s->pgid;
	p->pr_sid = s->sid;
	p->pr_tty = s->tty;
	p->pr_flags |= PTREE_F_TTY;
	p->pr_start_ns = pt_ticks_ns(t, s->start_ticks);
	if (s->state == PFS_STATE_ZOMBIE)
		p->pr_flags |= PTREE_F_ZOMBIE;
	if (s->kflags & PFS_PF_KTHREAD)
		p->pr_flags |= PTREE_F_KTHREAD;
	from_status(s, p);
	if ((s->has & PFS_CMDLINE) && s->argv_len > 0) {
		split_argv(s->argv, s->argv_len, p);
		if (s->argv_trunc)
			p->pr_flags |= PTREE_F_ARGS_TRUNC;
	}
	if (s->has & PFS_EXE)
		p->pr_exepath = (struct fc_str){ s->exepath, s->exepath_len };
	if (s->has & PFS_CWD)
		p->pr_cwd = (struct fc_str){ s->cwd, s->cwd_len };
	if (s->has & PFS_CGROUP) {
		p->pr_cgroup = (struct fc_str){ s->cgroup, s->cgroup_len };
		if (s->cgroup_trunc)
			p->pr_flags |= PTREE_F_CGROUP_TRUNC;
	}
	if (s->has & PFS_EXE_LAYER)
		p->pr_exe_upper = s->exe_upper;
	if (s->has & PFS_PIDNS)
		p->pr_pidns = s->pidns;
}

void
pt_run_cid(struct ptree *t, struct ptree_proc *p)
{
	p->pr_cid[0] = '\0';
	if (t->opts.cid_fn != NULL && p->pr_cgroup.p != NULL)
		t->opts.cid_fn(t->opts.cid_arg, p->pr_cgroup.p,
		    p->pr_cgroup.len, p->pr_cid, PTREE_CID_MAX);
	if (t->opts.cid_seen_fn != NULL && p->pr_cid[0] != '\0')
		t->opts.cid_seen_fn(t->opts.cid_arg, p->pr_pid, p->pr_cid);
}

/* A template for a process nothing is known about. */
static void
blank(struct ptree_proc *p, pid_t pid)
{
	memset(p, 0, sizeof(*p));
	p->pr_pid = pid;
	p->pr_vpid = p->pr_sid = p->pr_vsid = -1;
	p->pr_pgid = p->pr_vpgid = -1;
	p->pr_exe_upper = PTREE_UNKNOWN;
}

/* ---- Fork -------------------------------------------------------------- */

/* Does the live entry n stand for the process forked at ts? */
static bool
same_as_fork(const struct ptree *t, const struct ptree_proc *p, uint64_t ts)
{
	if (!(p->pr_flags & PTREE_F_APPROX_START))
		return false;
	if (p->pr_flags & PTREE_F_SEEDED)
		return absdiff(p->pr_start_ns, ts) <= t->opts.time_slack_ns +
		    tick_ns(t);
	/* Created by an exec reported before this fork: exec follows fork. */
	return p->pr_start_ns + t->opts.time_slack_ns >= ts;
}

/* The child's template: a copy of the parent at ts, or a blank one. */
static void
child_of(struct pt_node *par, pid_t ppid, pid_t pid, uint64_t ts,
    struct ptree_proc *c)
{
	const uint32_t keep = PTREE_F_IDS | PTREE_F_CAPS | PTREE_F_TTY |
	    PTREE_F_ARGS_TRUNC | PTREE_F_CGROUP_TRUNC | PTREE_F_STALE |
	    PTREE_F_KTHREAD;
	const struct ptree_proc *pp;

	blank(c, pid);
	if (par != NULL) {
		pp = &par->ent->p;
		*c = *pp;
		c->pr_flags = pp->pr_flags & keep;
		c->pr_pstart_ns = pp->pr_start_ns;
		/* Same pid namespace as a host-namespace parent (see proc.h). */
		c->pr_vpid = pp->pr_vpid == pp->pr_pid ? pid : -1;
	}
	c->pr_pid = pid;
	c->pr_ppid = ppid;
	c->pr_start_ns = ts;
	c->pr_exec_ns = c->pr_exit_ns = 0;
	c->pr_flags |= PTREE_F_FORKED;
}

/*
 * A child born into another pid namespace than its parent's is entering
 * a container (docker/kubectl/podman exec: runc's init joins the
 * container's namespaces, forks, and the child execs the command).  The
 * runtime moves the child into the container's cgroup only after the
 * fork, and a short command can exit before /proc is read at its exec,
 * so the cgroup copied from the parent (the runtime's) would stay and the
 * process would be labelled host.  Take the container of the processes
 * already known in that namespace whose cgroup was read from /proc, when
 * they agree on one (a namespace shared by several containers gives no
 * answer).  Rare (a namespace change), so a walk of the live list.
 */
static void
ns_container(struct ptree *t, struct ptree_proc *c)
{
	const struct ptree_proc *hit = NULL, *q;
	struct pt_node *n;

	TAILQ_FOREACH(n, &t->lists[PT_LIVE], link) {
		q = &n->ent->p;
		if (q->pr_pidns != c->pr_pidns || q->pr_pid == c->pr_pid ||
		    q->pr_cid[0] == '\0' || q->pr_cgroup.p == NULL ||
		    !(q->pr_flags & (PTREE_F_SEEDED | PTREE_F_PROC_EXEC)))
			continue;
		if (hit != NULL && strcmp(hit->pr_cid, q->pr_cid) != 0)
			return;
		hit = q;
	}
	if (hit == NULL)
		return;
	c->pr_cgroup = hit->pr_cgroup;
	memcpy(c->pr_cid, hit->pr_cid, PTREE_CID_MAX);
	c->pr_flags = (c->pr_flags & ~PTREE_F_CGROUP_TRUNC) |
	    (hit->pr_flags & PTREE_F_CGROUP_TRUNC);
}

/* The child's pid namespace ns (0: unread), and its container if new. */
static void
fork_ns(struct ptree *t, const struct pt_node *par, uint64_t ns,
    struct ptree_proc *c)
{
	if (ns == 0)
		return;
	c->pr_pidns = ns;
	/* Its own cgroup read (an exec reported first) beats a guess. */
	if (par != NULL && par->ent->p.pr_pidns != 0 &&
	    par->ent->p.pr_pidns != ns && !(c->pr_flags & PTREE_F_PROC_EXEC))
		ns_container(t, c);
}

/* A child of a parent in another pid namespace: its vpid from status. */
static void
fork_vpid(struct ptree *t, pid_t pid, uint64_t start)
{
	struct pfs_snap *s = pfs_snap_new(1, 1);
	struct ptree_proc tmpl;
	struct pt_node *n;

	if (s == NULL)
		return;
	if (pfs_snap_read(t->rootfd, pid, PFS_STATUS, s) == 0 &&
	    (s->has & PFS_NS) && pt_ticks_ns(t, s->start_ticks) <= start +
	    t->opts.time_slack_ns + tick_ns(t)) {
		pthread_rwlock_wrlock(&t->lock);
		if ((n = pt_live(t, pid)) != NULL &&
		    n->ent->p.pr_start_ns == start) {
			tmpl = n->ent->p;
			tmpl.pr_vpid = s->vpid;
			tmpl.pr_vsid = s->vsid;
			tmpl.pr_vpgid = s->vpgid;
			(void)pt_commit(t, n, &tmpl);
		}
		pthread_rwlock_unlock(&t->lock);
	}
	pfs_snap_free(s);
}

int
ptree_fork(struct ptree *t, pid_t ppid, pid_t pid, pid_t tgid,
    uint64_t ts_ns)
{
	struct ptree_proc tmpl;
	struct pt_node *n, *par;
	bool need_vpid = false;
	uint64_t ns = 0;
	int rc = 0;

	if (pid != tgid)
		return 0;
	if (pid <= 0)
		return -EINVAL;
	/* Only container ids need it: one readlink, outside the lock. */
	if (t->opts.cid_fn != NULL)
		ns = pfs_pidns(t->rootfd, pid);
	pthread_rwlock_wrlock(&t->lock);
	if ((n = pt_live(t, pid)) != NULL) {
		if (same_as_fork(t, &n->ent->p, ts_ns)) {
			tmpl = n->ent->p;
			tmpl.pr_flags |= PTREE_F_FORKED;
			fork_ns(t, ppid > 0 ? pt_find_at(t, ppid, ts_ns) : NULL,
			    ns, &tmpl);
			rc = pt_commit(t, n, &tmpl);
			goto out;
		}
		pt_close_missed(t, n, ts_ns);
	}
	par = ppid > 0 ? pt_find_at(t, ppid, ts_ns) : NULL;
	child_of(par, ppid, pid, ts_ns, &tmpl);
	fork_ns(t, par, ns, &tmpl);
	need_vpid = par != NULL && par->ent->p.pr_vpid > 0 &&
	    par->ent->p.pr_vpid != par->ent->p.pr_pid;
	rc = pt_insert_tmpl(t, &tmpl);
out:
	pthread_rwlock_unlock(&t->lock);
	if (rc == 0 && need_vpid)
		fork_vpid(t, pid, ts_ns);
	return rc;
}

int
ptree_fork_unseen(struct ptree *t, pid_t ppid, pid_t pid, uint64_t ts_ns)
{
	struct ptree_proc tmpl;
	struct pt_node *par;
	int rc = 0;

	if (pid <= 0 || ppid <= 0)
		return -EINVAL;
	pthread_rwlock_wrlock(&t->lock);
	if (pt_live(t, pid) != NULL || pt_find_at(t, pid, ts_ns) != NULL)
		goto out;
	if ((par = pt_find_at(t, ppid, ts_ns)) == NULL) {
		rc = -ENOENT;
		goto out;
	}
	child_of(par, ppid, pid, ts_ns, &tmpl);
	/* Not the fork time: same_as_fork() lets the real report merge. */
	tmpl.pr_flags = (tmpl.pr_flags & ~PTREE_F_FORKED) | PTREE_F_NOFORK |
	    PTREE_F_APPROX_START;
	rc = pt_insert_tmpl(t, &tmpl);
out:
	pthread_rwlock_unlock(&t->lock);
	return rc;
}

/* ---- Exit and ids ------------------------------------------------------ */

int
ptree_exit(struct ptree *t, pid_t pid, uint64_t ts_ns)
{
	struct ptree_proc tmpl;
	struct pt_node *n;
	int rc = -ENOENT;

	pthread_rwlock_wrlock(&t->lock);
	if ((n = pt_live(t, pid)) != NULL) {
		tmpl = n->ent->p;
		tmpl.pr_exit_ns = ts_ns > tmpl.pr_start_ns ? ts_ns :
		    tmpl.pr_start_ns + 1;
		tmpl.pr_flags |= PTREE_F_EXITED;
		rc = pt_commit(t, n, &tmpl);
	}
	pthread_rwlock_unlock(&t->lock);
	return rc;
}

enum upd { UPD_UID, UPD_GID, UPD_SID, UPD_COMM };

struct upd_arg {
	enum upd	 what;
	uint32_t	 real, eff;
	const char	*comm;
};

static void
apply(struct ptree_proc *p, const struct upd_arg *a)
{
	switch (a->what) {
	case UPD_UID:
		p->pr_uid = a->real;
		p->pr_euid = p->pr_fsuid = a->eff;
		break;
	case UPD_GID:
		p->pr_gid = a->real;
		p->pr_egid = p->pr_fsgid = a->eff;
		break;
	case UPD_SID:
		p->pr_sid = p->pr_pgid = p->pr_pid;
		p->pr_vsid = p->pr_vpgid = p->pr_vpid;
		break;
	case UPD_COMM:
		strncpy(p->pr_comm, a->comm, PTREE_COMM_MAX - 1);
		p->pr_comm[PTREE_COMM_MAX - 1] = '\0';
		break;
	}
}

static int
update(struct ptree *t, pid_t pid, const struct upd_arg *a)
{
	struct ptree_proc tmpl;
	struct pt_node *n;
	int rc = -ENOENT;

	pthread_rwlock_wrlock(&t->lock);
	if ((n = pt_live(t, pid)) != NULL) {
		tmpl = n->ent->p;
		apply(&tmpl, a);
		rc = pt_commit(t, n, &tmpl);
	}
	pthread_rwlock_unlock(&t->lock);
	return rc;
}

int
ptree_setid(struct ptree *t, pid_t pid, enum ptree_idkind kind,
    uint32_t real, uint32_t eff)
{
	struct upd_arg a = { kind == PTREE_ID_UID ? UPD_UID : UPD_GID,
	    real, eff, NULL };

	return update(t, pid, &a);
}

int
ptree_setsid(struct ptree *t, pid_t pid)
{
	struct upd_arg a = { UPD_SID, 0, 0, NULL };

	return update(t, pid, &a);
}

int
ptree_set_comm(struct ptree *t, pid_t pid, const char *comm)
{
	struct upd_arg a = { UPD_COMM, 0, 0, comm };

	if (comm == NULL)
		return -EINVAL;
	return update(t, pid, &a);
}
