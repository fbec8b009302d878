/*
 * agent_fanroot.c - containers' file systems under the fanotify marks.
 *
 * Host marks do not cross mount namespaces (docs/fanotify.md,
 * "Containers"), so each container's root is marked through
 * /proc/PID/root of one of its processes, and unmarked when the
 * container is gone (which releases the mount fds fan_src keeps for it).
 *
 * Owns a bounded table of the containers seen (fanotify.max_containers).
 * The process table tells us about them: its cid_seen hook
 * (agent_froot_seen) runs on whichever thread read a process's cgroup
 * (the seed at start, the connector thread at an exec, the core thread
 * for an audit exec) and only records the container as pending, under a
 * mutex held for a table scan.  The marking itself, a few fanotify_mark()
 * calls with path lookups, runs on the process-connector thread
 * (agent_froot_run), never on the core thread nor the fanotify reader.
 *
 * A container is marked through its topmost live process that carries
 * its id (its init, normally), so the mark lives as long as the
 * container.  Once a second the marked pids are checked: a pid that no
 * longer lives in the marked mount namespace means the container is gone;
 * its marks are released.  (Had only that process exited, the next exec
 * in the container marks it again through a live one.)
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "agent/agent_int.h"
#include "core/log.h"
#include "fanotify/fanotify.h"

#define CHECK_EVERY_NS	1000000000ull
#define RETRY_NS	10000000000ull	/* a failed mark is tried again after */

enum froot_state {
	FROOT_PENDING = 1,	/* seen, not tried yet */
	FROOT_MARKED,
	FROOT_FAILED,		/* tried; again after retry_ns */
};

struct froot {
	char		 cid[PTREE_CID_MAX];
	uint8_t		 state;
	pid_t		 pid;	/* the last process seen; once marked, the marked one */
	uint64_t	 mntns;	/* of pid when tried */
	uint64_t	 retry_ns;
};

struct agent_froots {
	pthread_mutex_t	 mu;	/* tab, n: the hook and the connector thread */
	struct froot	*tab;
	size_t		 n, max;
	atomic_bool	 pending;
	_Atomic(struct fan_src *) fan;	/* set once the source is open */
	uint64_t	 next_check_ns;	/* connector thread only */
	uint64_t	 overflow_logged;
	atomic_uint_fast64_t marked, released, overflow, failed;
};

struct agent_froots *
agent_froot_new(size_t max)
{
	struct agent_froots *r = calloc(1, sizeof(*r));

	if (r == NULL || (r->tab = calloc(max, sizeof(*r->tab))) == NULL) {
		free(r);
		return NULL;
	}
	r->max = max;
	pthread_mutex_init(&r->mu, NULL);
	return r;
}

void
agent_froot_free(struct agent_froots *r)
{
	if (r == NULL)
		return;
	pthread_mutex_destroy(&r->mu);
	free(r->tab);
	free(r);
}

void
agent_froot_set_src(struct agent_froots *r, struct fan_src *fan)
{
	if (r != NULL)
		atomic_store(&r->fan, fan);
}

static struct froot *
find(struct agent_froots *r, const char *cid)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		if (strcmp(r->tab[i].cid, cid) == 0)
			return &r->tab[i];
	return NULL;
}

/* The process table's hook: any thread, so only a table update. */
void
agent_froot_seen(void *arg, pid_t pid, const char *cid)
{
	struct agent_froots *r = ((struct agent *)arg)->froots;
	struct froot *f;

	if (r == NULL || strcmp(cid, "host") == 0 || pid <= 0)
		return;
	pthread_mutex_lock(&r->mu);
	if ((f = find(r, cid)) != NULL) {
		if (f->state != FROOT_MARKED)
			f->pid = pid;	/* a live one, for a retry */
	} else if (r->n == r->max) {
		atomic_fetch_add(&r->overflow, 1);
	} else {
		f = &r->tab[r->n++];
		memset(f, 0, sizeof(*f));
		snprintf(f->cid, sizeof(f->cid), "%s", cid);
		f->state = FROOT_PENDING;
		f->pid = pid;
		atomic_store(&r->pending, true);
	}
	pthread_mutex_unlock(&r->mu);
}

static uint64_t
mntns_of(pid_t pid)
{
	char path[64];
	struct stat st;

	snprintf(path, sizeof(path), "/proc/%d/ns/mnt", (int)pid);
	return stat(path, &st) == 0 ? (uint64_t)st.st_ino : 0;
}

/* The topmost live process of pid's ancestry that has the same id. */
static pid_t
container_init(struct agent *a, pid_t pid, const char *cid)
{
	const struct ptree_proc *p, *up;
	unsigned depth;

	if (a->pt == NULL || (p = ptree_get(a->pt, pid)) == NULL)
		return pid;
	for (depth = 0; depth < PTREE_ANCESTOR_MAX; depth++) {
		up = ptree_ancestor(a->pt, p, 1);
		if (up == NULL || up->pr_exit_ns != 0 ||
		    strcmp(up->pr_cid, cid) != 0) {
			if (up != NULL)
				ptree_proc_unref(up);
			break;
		}
		ptree_proc_unref(p);
		p = up;
	}
	pid = p->pr_pid;
	ptree_proc_unref(p);
	return pid;
}

/*
 * Mark one container (no lock held).  Returns its new state, 0 to
 * forget it (its process is gone before we got to it: the next one seen
 * brings it back).
 */
static int
mark_one(struct agent *a, struct fan_src *fan, struct froot *f)
{
	char err[512];
	int rc;

	f->pid = container_init(a, f->pid, f->cid);
	f->mntns = mntns_of(f->pid);
	rc = fan_src_mark_root(fan, f->pid, err, sizeof(err));
	if (rc > 0) {
		log_info("fanotify: container %.12s marked through pid %d "
		    "(%d marks)", f->cid, (int)f->pid, rc);
		return FROOT_MARKED;
	}
	if (rc == -ESRCH || f->mntns == 0)
		return 0;
	f->retry_ns = ptree_now_ns() + RETRY_NS;
	/* Sharing our mount namespace: the host marks cover it already. */
	if (rc != -EINVAL) {
		atomic_fetch_add(&a->froots->failed, 1);
		log_info("fanotify: container %.12s not marked (pid %d): %s",
		    f->cid, (int)f->pid, err);
	}
	return FROOT_FAILED;
}

/* Try the pending containers, one at a time, the lock released meanwhile. */
static void
run_pending(struct agent *a, struct agent_froots *r, struct fan_src *fan)
{
	struct froot f;
	size_t i;
	int st;

	if (!atomic_exchange(&r->pending, false))
		return;
	for (i = 0;; i++) {
		pthread_mutex_lock(&r->mu);
		while (i < r->n && r->tab[i].state != FROOT_PENDING)
			i++;
		if (i == r->n) {
			pthread_mutex_unlock(&r->mu);
			return;
		}
		f = r->tab[i];
		pthread_mutex_unlock(&r->mu);
		/* Only this thread removes or moves entries: i stays f's. */
		st = mark_one(a, fan, &f);
		pthread_mutex_lock(&r->mu);
		if (st == 0) {
			r->tab[i--] = r->tab[--r->n];
		} else {
			f.state = (uint8_t)st;
			r->tab[i] = f;
			if (st == FROOT_MARKED)
				atomic_fetch_add(&r->marked, 1);
		}
		pthread_mutex_unlock(&r->mu);
	}
}

/* One entry at the once-a-second check: false to drop it. */
static bool
check_one(struct agent_froots *r, struct fan_src *fan, struct froot *f,
    uint64_t now)
{
	uint64_t ns = mntns_of(f->pid);

	switch (f->state) {
	case FROOT_MARKED:
		if (ns == f->mntns)
			return true;
		(void)fan_src_unmark_root(fan, f->pid);
		atomic_fetch_sub(&r->marked, 1);
		atomic_fetch_add(&r->released, 1);
		log_info("fanotify: container %.12s gone (pid %d): marks "
		    "released", f->cid, (int)f->pid);
		return false;
	case FROOT_FAILED:
		if (ns == 0)
			return false;	/* gone; a live one brings it back */
		if (now >= f->retry_ns) {
			f->state = FROOT_PENDING;
			atomic_store(&r->pending, true);
		}
		return true;
	default:
		return true;
	}
}

static void
check_all(struct agent_froots *r, struct fan_src *fan, uint64_t now)
{
	uint64_t over = atomic_load(&r->overflow);
	size_t i;

	pthread_mutex_lock(&r->mu);
	for (i = 0; i < r->n; i++)
		if (!check_one(r, fan, &r->tab[i], now))
			r->tab[i--] = r->tab[--r->n];
	pthread_mutex_unlock(&r->mu);
	if (over > r->overflow_logged) {
		log_warnx("fanotify: more than %zu containers "
		    "(fanotify.max_containers): %llu not marked", r->max,
		    (unsigned long long)(over - r->overflow_logged));
		r->overflow_logged = over;
	}
}

/* The connector thread's share: mark what is new, release what is gone. */
void
agent_froot_run(struct agent *a, uint64_t now_ns)
{
	struct agent_froots *r = a->froots;
	struct fan_src *fan;

	if (r == NULL || (fan = atomic_load(&r->fan)) == NULL)
		return;
	run_pending(a, r, fan);
	if (now_ns >= r->next_check_ns) {
		check_all(r, fan, now_ns);
		r->next_check_ns = now_ns + CHECK_EVERY_NS;
	}
}

void
agent_froot_stats(struct agent_froots *r, struct agent_froot_stats *st)
{
	memset(st, 0, sizeof(*st));
	if (r == NULL)
		return;
	st->marked = atomic_load(&r->marked);
	st->released = atomic_load(&r->released);
	st->overflow = atomic_load(&r->overflow);
	st->failed = atomic_load(&r->failed);
	st->max = r->max;
}
