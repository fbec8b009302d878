/*
 * ptree_exec.c - exec updates: from the proc connector (reading /proc)
 * and from audit EXECVE events.  The merge rules are described in
 * ptree_update.c.  Owns nothing: the /proc snapshot and the argv buffer
 * live for one call.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "proc/proc_int.h"

static uint64_t
absdiff(uint64_t a, uint64_t b)
{
	return a > b ? a - b : b - a;
}




/* Is this exec report about the exec the entry already knows? */
static bool
same_exec(const struct ptree *t, const struct ptree_proc *p, uint64_t ts,
    uint32_t other_src)
{
	return (p->pr_flags & other_src) && p->pr_exec_ns != 0 &&
	    absdiff(p->pr_exec_ns, ts) <= t->opts.time_slack_ns;
}

/* ---- From /proc (connector) -------------------------------------------- */

/* What /proc adds to an image that audit reported. */
static void
fill_from_proc(const struct ptree_proc *s, struct ptree_proc *p)
{
	uint32_t f = s->pr_flags & (PTREE_F_CAPS | PTREE_F_TTY |
	    PTREE_F_CGROUP_TRUNC);

	if (s->pr_flags & PTREE_F_CAPS) {
		p->pr_cap_eff = s->pr_cap_eff;
		p->pr_cap_prm = s->pr_cap_prm;
		p->pr_cap_inh = s->pr_cap_inh;
	}
	if (!(p->pr_flags & PTREE_F_IDS)) {
		p->pr_uid = s->pr_uid; p->pr_euid = s->pr_euid;
		p->pr_suid = s->pr_suid; p->pr_fsuid = s->pr_fsuid;
		p->pr_gid = s->pr_gid; p->pr_egid = s->pr_egid;
		p->pr_sgid = s->pr_sgid; p->pr_fsgid = s->pr_fsgid;
		f |= s->pr_flags & PTREE_F_IDS;
	}
	if (s->pr_vpid != -1) {
		p->pr_vpid = s->pr_vpid;
		p->pr_vsid = s->pr_vsid;
		p->pr_vpgid = s->pr_vpgid;
	}
	p->pr_tty = s->pr_tty;
	if (s->pr_cgroup.p != NULL) {
		p->pr_cgroup = s->pr_cgroup;
		memcpy(p->pr_cid, s->pr_cid, PTREE_CID_MAX);
	}
	if (s->pr_exe_upper != PTREE_UNKNOWN)
		p->pr_exe_upper = s->pr_exe_upper;
	if (s->pr_pidns != 0)
		p->pr_pidns = s->pr_pidns;
	if (p->pr_cwd.p == NULL)
		p->pr_cwd = s->pr_cwd;
	p->pr_flags |= f | PTREE_F_PROC_EXEC;
}

/* What exec keeps when /proc was not asked for it (exec_read). */
static void
keep_unread(const struct ptree_proc *old, struct ptree_proc *p)
{
	if (p->pr_cwd.p == NULL)
		p->pr_cwd = old->pr_cwd;	/* exec keeps the cwd */
	if (p->pr_cgroup.p == NULL) {
		p->pr_cgroup = old->pr_cgroup;
		memcpy(p->pr_cid, old->pr_cid, PTREE_CID_MAX);
		p->pr_flags |= old->pr_flags & PTREE_F_CGROUP_TRUNC;
	}
	if (!(p->pr_flags & PTREE_F_CAPS)) {
		p->pr_uid = old->pr_uid; p->pr_euid = old->pr_euid;
		p->pr_suid = old->pr_suid; p->pr_fsuid = old->pr_fsuid;
		p->pr_gid = old->pr_gid; p->pr_egid = old->pr_egid;
		p->pr_sgid = old->pr_sgid; p->pr_fsgid = old->pr_fsgid;
		p->pr_cap_eff = old->pr_cap_eff;
		p->pr_cap_prm = old->pr_cap_prm;
		p->pr_cap_inh = old->pr_cap_inh;
		p->pr_flags |= old->pr_flags & (PTREE_F_IDS | PTREE_F_CAPS);
	}
	if (p->pr_vpid == -1) {
		p->pr_vpid = old->pr_vpid;
		p->pr_vsid = old->pr_vsid;
		p->pr_vpgid = old->pr_vpgid;
	}
	if (p->pr_pidns == 0)
		p->pr_pidns = old->pr_pidns;	/* exec keeps it */
}

/*
 * A new image from /proc over entry p (identity kept).  argv: whether
 * cmdline and exe were asked for (else they stay unknown until audit's
 * EXECVE fills them in).
 */
static void
image_from_proc(const struct ptree_proc *s, struct ptree_proc *p,
    uint64_t ts, bool argv)
{
	const uint32_t ident = PTREE_F_FORKED | PTREE_F_SEEDED |
	    PTREE_F_NOFORK | PTREE_F_APPROX_START;
	struct ptree_proc old = *p;

	*p = *s;
	p->pr_pid = old.pr_pid;
	p->pr_ppid = old.pr_ppid;
	p->pr_start_ns = old.pr_start_ns;
	p->pr_pstart_ns = old.pr_pstart_ns;
	p->pr_exit_ns = 0;
	p->pr_exec_ns = ts;
	p->pr_flags = (old.pr_flags & ident) | (s->pr_flags & ~ident &
	    ~(PTREE_F_ZOMBIE | PTREE_F_EXITED)) | PTREE_F_PROC_EXEC;
	keep_unread(&old, p);
	/*
	 * Exiting by now (its memory released, or a zombie): the comm is
	 * right, argv and exe are gone.  A live process after exec always
	 * has an exe link.
	 */
	if ((s->pr_flags & PTREE_F_ZOMBIE) || (argv && s->pr_exepath.p == NULL))
		p->pr_flags |= PTREE_F_STALE;
}

/* The /proc snapshot did not find the process (or found another one). */
static int
exec_gone(struct ptree *t, struct pt_node *n, uint64_t ts)
{
	struct ptree_proc tmpl;

	if (n == NULL || same_exec(t, &n->ent->p, ts, PTREE_F_AUDIT_EXEC))
		return -ENOENT;
	tmpl = n->ent->p;
	tmpl.pr_exec_ns = ts;
	tmpl.pr_flags |= PTREE_F_STALE;
	tmpl.pr_flags &= ~(PTREE_F_AUDIT_EXEC | PTREE_F_PROC_EXEC);
	(void)pt_commit(t, n, &tmpl);
	return -ENOENT;
}

static int
apply_proc_exec(struct ptree *t, pid_t pid, const struct ptree_proc *s,
    uint64_t ts)
{
	bool argv = t->opts.exec_read & PTREE_R_ARGV;
	uint64_t tol = t->opts.time_slack_ns + 1000000000ull / (uint64_t)t->hz;
	struct ptree_proc tmpl;
	struct pt_node *n = pt_live(t, pid);

	if (n == NULL) {
		tmpl = *s;
		tmpl.pr_flags |= PTREE_F_NOFORK | PTREE_F_APPROX_START |
		    PTREE_F_PROC_EXEC;
		tmpl.pr_exec_ns = ts;
		return pt_insert_tmpl(t, &tmpl);
	}
	tmpl = n->ent->p;
	/* /proc shows another process: this one exited, its pid reused. */
	if (!(tmpl.pr_flags & PTREE_F_NOFORK) &&
	    absdiff(s->pr_start_ns, tmpl.pr_start_ns) > tol) {
		t->st.pid_reused++;
		return exec_gone(t, n, ts);
	}
	if (same_exec(t, &tmpl, ts, PTREE_F_AUDIT_EXEC))
		fill_from_proc(s, &tmpl);
	else
		image_from_proc(s, &tmpl, ts, argv);
	return pt_commit(t, n, &tmpl);
}

int
ptree_exec_proc(struct ptree *t, pid_t pid, uint64_t ts_ns)
{
	uint32_t r = t->opts.exec_read, what = PFS_STAT;
	struct ptree_proc s;
	struct pfs_snap *snap;
	int rc;

	if (pid <= 0)
		return -EINVAL;
	if (r & PTREE_R_STATUS)
		what |= PFS_STATUS;
	if (r & PTREE_R_ARGV)
		what |= PFS_CMDLINE | PFS_EXE;
	/* Not PFS_PIDNS: exec keeps it, the fork (or the seed) read it. */
	if (r & PTREE_R_CGROUP)
		what |= PFS_CGROUP;
	if ((snap = pt_snap_take(t)) == NULL)
		return -ENOMEM;
	if (t->opts.flags & PTREE_O_CWD)
		what |= PFS_CWD;
	if (t->opts.flags & PTREE_O_EXE_LAYER)
		what |= PFS_EXE_LAYER;
	rc = pfs_snap_read(t->rootfd, pid, what, snap);
	memset(&s, 0, sizeof(s));
	s.pr_pid = pid;
	s.pr_vpid = s.pr_vsid = s.pr_vpgid = -1;
	s.pr_exe_upper = PTREE_UNKNOWN;
	if (rc == 0) {
		pt_from_snap(t, snap, &s);
		pt_run_cid(t, &s);
	}
	pthread_rwlock_wrlock(&t->lock);
	if (rc == 0) {
		rc = apply_proc_exec(t, pid, &s, ts_ns);
	} else {
		t->st.proc_gone++;
		rc = exec_gone(t, pt_live(t, pid), ts_ns);
	}
	pthread_rwlock_unlock(&t->lock);
	pt_snap_give(t, snap);
	return rc;
}

/* ---- From an audit EXECVE event ---------------------------------------- */

/* argv[0..] of the event into "a0\0a1\0...", at most cap bytes. */
static uint32_t
join_argv(const struct fc_event *ev, char *buf, uint32_t cap, bool *trunc)
{
	uint32_t i, used = 0, len;

	*trunc = false;
	for (i = 0; i < ev->ev_nargv; i++) {
		len = ev->ev_argv[i].len;
		if (used + (i > 0) + len > cap) {
			*trunc = true;
			len = used + (i > 0) < cap ? cap - used - (i > 0) : 0;
			if (len == 0)
				break;
		}
		if (i > 0)
			buf[used++] = '\0';
		if (len > 0)
			memcpy(buf + used, ev->ev_argv[i].p, len);
		used += len;
		if (*trunc)
			break;
	}
	buf[used] = '\0';
	return used;
}

/* Overwrite p's image with what the event says. */
static void
image_from_event(const struct fc_event *ev, const char *argv, uint32_t alen,
    bool trunc, struct ptree_proc *p)
{
	size_t n;

	if (ev->ev_comm.p != NULL) {
		n = ev->ev_comm.len < PTREE_COMM_MAX - 1 ? ev->ev_comm.len :
		    PTREE_COMM_MAX - 1;
		memcpy(p->pr_comm, ev->ev_comm.p, n);
		p->pr_comm[n] = '\0';
	}
	if (ev->ev_exe.p != NULL)
		p->pr_exepath = ev->ev_exe;
	if (ev->ev_cwd.p != NULL)
		p->pr_cwd = ev->ev_cwd;
	p->pr_flags &= ~(PTREE_F_ARGS_TRUNC | PTREE_F_STALE);
	if (ev->ev_nargv > 0) {
		const char *nul = memchr(argv, '\0', alen);

		p->pr_exe = (struct fc_str){ argv, nul != NULL ?
		    (uint32_t)(nul - argv) : alen };
		p->pr_args = nul != NULL ?
		    (struct fc_str){ nul + 1, (uint32_t)(argv + alen - nul - 1) } :
		    (struct fc_str){ argv + alen, 0 };
		p->pr_nargs = 0;
		for (; nul != NULL; nul = memchr(nul + 1, '\0',
		    (size_t)(argv + alen - nul - 1)))
			p->pr_nargs++;
		if (trunc)
			p->pr_flags |= PTREE_F_ARGS_TRUNC;
	}
	if ((ev->ev_flags & FC_EV_HAS_IDS) && (ev->ev_id_mask &
	    (FC_ID_UID | FC_ID_EUID)) == (FC_ID_UID | FC_ID_EUID)) {
		p->pr_uid = ev->ev_uid; p->pr_euid = ev->ev_euid;
		p->pr_suid = ev->ev_suid; p->pr_fsuid = ev->ev_fsuid;
		p->pr_gid = ev->ev_gid; p->pr_egid = ev->ev_egid;
		p->pr_sgid = ev->ev_sgid; p->pr_fsgid = ev->ev_fsgid;
		p->pr_flags |= PTREE_F_IDS;
	}
	p->pr_flags |= PTREE_F_AUDIT_EXEC;
}

static int
apply_audit_exec(struct ptree *t, const struct fc_event *ev, uint64_t ts,
    const char *argv, uint32_t alen, bool trunc)
{
	struct ptree_proc tmpl;
	struct pt_node *n = pt_find_at(t, ev->ev_pid, ts), *par;

	if (n == NULL) {
		/* Fork not seen: a copy of the parent, as a fork would make. */
		par = ev->ev_ppid > 0 ? pt_find_at(t, ev->ev_ppid, ts) : NULL;
		memset(&tmpl, 0, sizeof(tmpl));
		if (par != NULL) {
			tmpl = par->ent->p;
			tmpl.pr_pstart_ns = par->ent->p.pr_start_ns;
			tmpl.pr_flags &= PTREE_F_CAPS | PTREE_F_TTY;
		} else {
			tmpl.pr_sid = tmpl.pr_vsid = tmpl.pr_pgid = -1;
			tmpl.pr_vpgid = -1;
			tmpl.pr_exe_upper = PTREE_UNKNOWN;
		}
		tmpl.pr_vpid = par != NULL && par->ent->p.pr_vpid ==
		    par->ent->p.pr_pid ? ev->ev_pid : -1;
		tmpl.pr_pid = ev->ev_pid;
		tmpl.pr_ppid = ev->ev_ppid;
		tmpl.pr_start_ns = tmpl.pr_exec_ns = ts;
		tmpl.pr_exit_ns = 0;
		tmpl.pr_flags |= PTREE_F_NOFORK | PTREE_F_APPROX_START;
		image_from_event(ev, argv, alen, trunc, &tmpl);
		return pt_insert_tmpl(t, &tmpl);
	}
	tmpl = n->ent->p;
	if (!same_exec(t, &tmpl, ts, PTREE_F_PROC_EXEC | PTREE_F_STALE)) {
		tmpl.pr_exec_ns = ts;
		tmpl.pr_flags &= ~PTREE_F_PROC_EXEC;
	}
	image_from_event(ev, argv, alen, trunc, &tmpl);
	return pt_commit(t, n, &tmpl);
}

int
ptree_exec(struct ptree *t, pid_t pid, const struct fc_event *ev)
{
	uint64_t ts;
	uint32_t alen;
	bool trunc;
	char *argv;
	int rc;

	if (ev == NULL)
		return ptree_exec_proc(t, pid, ptree_now_ns());
	if (!(ev->ev_flags & FC_EV_EXECVE) || pid <= 0 || ev->ev_pid != pid ||
	    ((ev->ev_flags & FC_EV_HAS_SUCCESS) &&
	    !(ev->ev_flags & FC_EV_SUCCESS)))
		return -EINVAL;
	if ((argv = malloc((size_t)t->opts.args_max + 1)) == NULL)
		return -ENOMEM;
	ts = ev->ev_sec * 1000000000ull + ev->ev_msec * 1000000ull;
	alen = join_argv(ev, argv, t->opts.args_max, &trunc);
	pthread_rwlock_wrlock(&t->lock);
	rc = apply_audit_exec(t, ev, ts, argv, alen, trunc);
	pthread_rwlock_unlock(&t->lock);
	free(argv);
	return rc;
}
