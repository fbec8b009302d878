/*
 * agent_enrich.c - process and container data for each event.
 *
 * Owns the process table (fed by the netlink proc connector on its own
 * thread, seeded from /proc, and by the audit EXECVE events on the core
 * thread) and the container metadata cache.  Per event, the core thread
 * looks up the event's process by (pid, event time), so a process that
 * already exited, or whose pid was reused, still resolves; its container
 * id was taken from /proc/PID/cgroup when the process appeared (inherited
 * at fork, or from the container whose pid namespace it was born into:
 * docs/proc.md), so a process that lived a millisecond is not labelled
 * host.
 * With fanotify on, the table also reports each container it sees
 * (cid_seen_fn) to agent_fanroot.c, whose marking runs on the connector
 * thread here, beside the prune tick.
 * Live mode only: a replayed log describes another host's processes.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "agent/agent_int.h"
#include "core/log.h"
#include "fanotify/fanotify.h"

#define PRUNE_EVERY_NS	1000000000ull

/* ptree's hook: the container id of a process from its cgroup text. */
static void
cid_of_cgroup(void *arg, const char *cgroup, size_t len, char *out,
    size_t outsz)
{
	struct ctr_id id;

	(void)arg;
	if (ctr_parse_cgroup(cgroup, len, &id) >= 0)
		snprintf(out, outsz, "%s", id.cid);
}

static void *
proc_main(void *arg)
{
	struct agent *a = arg;
	uint64_t next_prune = 0, now;

	while (!atomic_load_explicit(&a->stop, memory_order_relaxed)) {
		(void)pconn_wait(a->pc, a->pt, 200);
		now = ptree_now_ns();
		agent_froot_run(a, now);
		if (now >= next_prune) {
			(void)ptree_prune(a->pt, now);
			next_prune = now + PRUNE_EVERY_NS;
		}
	}
	return NULL;
}

int
agent_enrich_start(struct agent *a, char *err, size_t errlen)
{
	struct ptree_opts po = {
		/* argv and exe come from audit's EXECVE records. */
		.exec_read = PTREE_R_STATUS | PTREE_R_CGROUP,
		.cid_fn = cid_of_cgroup,
		.cid_arg = a,
	};
	struct ctr_opts co;

	ctr_opts_from_conf(a->gen->conf, &co);
	/* Before the seed: containers already running are marked too. */
	if (conf_bool(a->gen->conf, "fanotify.enabled", false)) {
		if ((a->froots = agent_froot_new((size_t)conf_int(a->gen->conf,
		    "fanotify.max_containers", 1, 65536, 256))) == NULL) {
			snprintf(err, errlen, "out of memory for the container "
			    "table");
			return -1;
		}
		po.cid_seen_fn = agent_froot_seen;
	}
	if ((a->ctrs = ctr_cache_new(&co)) == NULL ||
	    (a->pt = ptree_new(&po)) == NULL) {
		snprintf(err, errlen, "out of memory for the process table");
		return -1;
	}
	/* The connector first, then the scan: nothing falls in between. */
	if ((a->pc = pconn_open(err, errlen)) == NULL) {
		log_warnx("process connector unavailable (%s): parent and "
		    "ancestor fields come from /proc scans only", err);
		err[0] = '\0';
	}
	if (ptree_seed(a->pt) < 0)
		log_warnx("scanning /proc for processes failed");
	if (a->pc != NULL) {
		if (pthread_create(&a->proc_thread, NULL, proc_main, a) != 0) {
			snprintf(err, errlen, "cannot start the process thread");
			return -1;
		}
		a->proc_started = true;
	}
	return 0;
}

void
agent_enrich_stop(struct agent *a)
{
	if (a->proc_started)
		pthread_join(a->proc_thread, NULL);
	a->proc_started = false;
	pconn_close(a->pc);
	ptree_free(a->pt);
	ctr_cache_free(a->ctrs);
	agent_froot_free(a->froots);
	a->pc = NULL;
	a->pt = NULL;
	a->ctrs = NULL;
	a->froots = NULL;
}

/*
 * An audit exec: its argv into the table.  A process born into another
 * pid namespace than its parent's is a container's first process (runc
 * init forked into the new namespace, moved into the container's cgroup,
 * exec'ing the entrypoint): until /proc is read at its exec, the entry
 * holds the runtime's cgroup copied at the fork, and the exec would be
 * labelled host.  When the connector has not reported this exec yet (its
 * thread is behind), read /proc now; the read merges as the same exec
 * and the connector's report later adds nothing.  Only then: an exec
 * storm on the host must not pay two /proc reads per exec.  A process
 * already gone keeps what it inherited.
 */
static void
exec_event(struct agent *a, const struct fc_event *ev, uint64_t ts)
{
	const struct ptree_proc *p, *par;
	bool read = false;

	(void)ptree_exec(a->pt, ev->ev_pid, ev);
	if ((p = ptree_get_at(a->pt, ev->ev_pid, ts)) == NULL)
		return;
	if (!(p->pr_flags & PTREE_F_PROC_EXEC) && p->pr_pidns != 0 &&
	    (par = ptree_ancestor(a->pt, p, 1)) != NULL) {
		read = par->pr_pidns != 0 && par->pr_pidns != p->pr_pidns;
		ptree_proc_unref(par);
	}
	ptree_proc_unref(p);
	if (read)
		(void)ptree_exec_proc(a->pt, ev->ev_pid, ts);
}

/*
 * A process the connector has not reported yet (its thread is behind).
 * An audit event names the parent: a busybox sh runs chmod, mv, rm... as
 * forked children that never exec, so their first events can overtake
 * the fork report, and the child is entered as the parent's copy.  A
 * fanotify event names no parent, and comes while the process is still
 * in its open(): /proc is read for it now.  0 when the table has it.
 */
static int
unseen(struct agent *a, const struct fc_event *ev, uint64_t ts)
{
	if (ev->ev_flags & FC_EV_HAS_PPID)
		return ptree_fork_unseen(a->pt, ev->ev_ppid, ev->ev_pid, ts);
	if (ev->ev_flags & FAN_EV_FANOTIFY)
		return ptree_exec_proc(a->pt, ev->ev_pid, ts);
	return -ENOENT;
}

/* Fill en for ev; agent_enrich_done() releases what it holds. */
void
agent_enrich_event(struct agent *a, const struct fc_event *ev,
    struct fld_enrich *en)
{
	uint64_t ts = ev->ev_sec * 1000000000ull +
	    (uint64_t)ev->ev_msec * 1000000ull;
	const struct ptree_proc *p;
	struct ctr_id id;

	memset(en, 0, sizeof(*en));
	if (a->pt == NULL || ev->ev_pid <= 0)
		return;
	if ((ev->ev_flags & FC_EV_EXECVE) && (ev->ev_flags & FC_EV_SUCCESS))
		exec_event(a, ev, ts);
	if ((p = ptree_get_at(a->pt, ev->ev_pid, ts)) == NULL &&
	    (unseen(a, ev, ts) != 0 ||
	    (p = ptree_get_at(a->pt, ev->ev_pid, ts)) == NULL))
		return;
	en->pt = a->pt;
	en->self = p;
	if (p->pr_cid[0] == '\0')
		return;
	en->cid = p->pr_cid;
	if (strcmp(p->pr_cid, "host") == 0 || p->pr_cgroup.p == NULL)
		return;
	if (ctr_parse_cgroup(p->pr_cgroup.p, p->pr_cgroup.len, &id) > 0)
		en->ctr = ctr_cache_get(a->ctrs, &id);
}

void
agent_enrich_done(struct fld_enrich *en)
{
	if (en->ctr != NULL)
		ctr_info_unref(en->ctr);
	if (en->self != NULL)
		ptree_proc_unref(en->self);
	memset(en, 0, sizeof(*en));
}
