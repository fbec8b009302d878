/*
 * ptree.c - the process table: entries, the pid hash, ancestry lookups,
 * eviction and pruning.
 *
 * DESIGN.  A node (struct pt_node) is one process identity, (pid, start
 * time); it points at the process's current entry (struct pt_ent), which
 * is immutable and reference counted.  Updates (ptree_update.c,
 * ptree_seed.c) build a new entry and swap it in under the write lock;
 * readers take the read lock to find a node and reference its entry, and
 * read the entry with no lock.  Several nodes may share a pid (an exited
 * process and the newer one that got its pid): the hash chain holds them
 * all, and lookups pick by liveness or by time.
 *
 * A child names its parent by (ppid, parent start time), never by
 * pointer, so a reused pid can not become someone's parent, and dropping
 * a parent only ends the chain.  Each node counts the nodes naming it as
 * parent (nchild): an exited node is kept past the grace period while
 * that count is not zero (list "held"), so the ancestry of a live orphan
 * still resolves.  Memory is bounded by max_entries and max_bytes: to
 * make room, the oldest exited node goes first, then the oldest held one,
 * then the oldest live one.
 *
 * Owns: the nodes, the table's reference on each entry, the /proc root fd.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "proc/proc_int.h"

/* ---- Entries ----------------------------------------------------------- */

static size_t
str_size(const struct fc_str *s)
{
	return s->p == NULL ? 0 : (size_t)s->len + 1;
}

static void
str_copy(struct fc_str *dst, const struct fc_str *src, char **pos)
{
	if (src->p == NULL) {
		*dst = (struct fc_str){ NULL, 0 };
		return;
	}
	memcpy(*pos, src->p, src->len);
	(*pos)[src->len] = '\0';
	*dst = (struct fc_str){ *pos, src->len };
	*pos += (size_t)src->len + 1;
}

struct pt_ent *
pt_ent_new(const struct ptree_proc *tmpl)
{
	size_t need = sizeof(struct pt_ent) + str_size(&tmpl->pr_exe) +
	    str_size(&tmpl->pr_exepath) + str_size(&tmpl->pr_args) +
	    str_size(&tmpl->pr_cwd) + str_size(&tmpl->pr_cgroup);
	struct pt_ent *e;
	char *pos;

	if (need > UINT32_MAX || (e = malloc(need)) == NULL)
		return NULL;
	atomic_init(&e->ref, 1);
	e->size = (uint32_t)need;
	e->p = *tmpl;
	e->p.pr_comm[PTREE_COMM_MAX - 1] = '\0';
	e->p.pr_cid[PTREE_CID_MAX - 1] = '\0';
	pos = e->data;
	str_copy(&e->p.pr_exe, &tmpl->pr_exe, &pos);
	str_copy(&e->p.pr_exepath, &tmpl->pr_exepath, &pos);
	str_copy(&e->p.pr_args, &tmpl->pr_args, &pos);
	str_copy(&e->p.pr_cwd, &tmpl->pr_cwd, &pos);
	str_copy(&e->p.pr_cgroup, &tmpl->pr_cgroup, &pos);
	return e;
}

struct pt_ent *
pt_ent_of(const struct ptree_proc *p)
{
	return (struct pt_ent *)(void *)((const char *)p -
	    offsetof(struct pt_ent, p));
}

void
pt_ent_unref(struct pt_ent *e)
{
	if (e != NULL && atomic_fetch_sub_explicit(&e->ref, 1,
	    memory_order_acq_rel) == 1)
		free(e);
}

static const struct ptree_proc *
ent_ref(struct pt_ent *e)
{
	atomic_fetch_add_explicit(&e->ref, 1, memory_order_relaxed);
	return &e->p;
}

const struct ptree_proc *
ptree_proc_ref(const struct ptree_proc *p)
{
	return p == NULL ? NULL : ent_ref(pt_ent_of(p));
}

void
ptree_proc_unref(const struct ptree_proc *p)
{
	if (p != NULL)
		pt_ent_unref(pt_ent_of(p));
}

/* ---- Time -------------------------------------------------------------- */

static uint64_t
clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

uint64_t
ptree_now_ns(void)
{
	return clock_ns(CLOCK_REALTIME);
}

/* Computed at each use: NTP moves the real-time clock against boot time. */
uint64_t
pt_boot_ns(const struct ptree *t)
{
	if (t->opts.boot_ns != 0)
		return t->opts.boot_ns;
	return clock_ns(CLOCK_REALTIME) - clock_ns(CLOCK_BOOTTIME);
}

uint64_t
pt_ticks_ns(const struct ptree *t, uint64_t ticks)
{
	return pt_boot_ns(t) + ticks * (1000000000ull / (uint64_t)t->hz);
}

/* ---- Table lifecycle --------------------------------------------------- */

static void
fill_defaults(struct ptree_opts *o)
{
	if (o->max_entries == 0)
		o->max_entries = PTREE_DEF_ENTRIES;
	if (o->max_bytes == 0)
		o->max_bytes = PTREE_DEF_BYTES;
	if (o->args_max == 0)
		o->args_max = PTREE_DEF_ARGS;
	if (o->args_max > PTREE_MAX_ARGS)
		o->args_max = PTREE_MAX_ARGS;
	if (o->cgroup_max == 0)
		o->cgroup_max = PTREE_DEF_CGROUP;
	if (o->cgroup_max > PTREE_MAX_ARGS)
		o->cgroup_max = PTREE_MAX_ARGS;
	if (o->exit_grace_ns == 0)
		o->exit_grace_ns = PTREE_DEF_GRACE_NS;
	if (o->time_slack_ns == 0)
		o->time_slack_ns = PTREE_DEF_SLACK_NS;
	if (o->proc_root == NULL)
		o->proc_root = "/proc";
	if (o->exec_read == 0)
		o->exec_read = PTREE_R_DEFAULT;
}

struct ptree *
ptree_new(const struct ptree_opts *opts)
{
	pthread_rwlockattr_t attr;
	struct ptree *t;
	uint32_t nb = 64;
	int i, err;

	if ((t = calloc(1, sizeof(*t))) == NULL)
		return NULL;
	if (opts != NULL)
		t->opts = *opts;
	fill_defaults(&t->opts);
	/* The root path is the caller's: we keep only the fd. */
	t->opts.proc_root = NULL;
	t->hshift = 32 - 6;
	while (nb < t->opts.max_entries && nb < (1u << 22)) {
		nb <<= 1;
		t->hshift--;
	}
	t->nbuckets = nb;
	t->hz = sysconf(_SC_CLK_TCK);
	if (t->hz <= 0)
		t->hz = 100;
	for (i = 0; i < PT_NLISTS; i++)
		TAILQ_INIT(&t->lists[i]);
	t->rootfd = openat(AT_FDCWD, opts != NULL && opts->proc_root != NULL ?
	    opts->proc_root : "/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	/*
	 * Writers first: rule threads looking up all the time must not starve
	 * the connector thread (the kernel drops what it cannot queue).
	 */
	pthread_rwlockattr_init(&attr);
	pthread_rwlockattr_setkind_np(&attr,
	    PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
	if (t->rootfd < 0 ||
	    (t->buckets = calloc(nb, sizeof(*t->buckets))) == NULL ||
	    (errno = pthread_rwlock_init(&t->lock, &attr)) != 0) {
		pthread_rwlockattr_destroy(&attr);
		err = errno;
		if (t->rootfd >= 0)
			close(t->rootfd);
		free(t->buckets);
		free(t);
		errno = err;
		return NULL;
	}
	pthread_rwlockattr_destroy(&attr);
	return t;
}

void
ptree_free(struct ptree *t)
{
	struct pt_node *n;
	int i;

	if (t == NULL)
		return;
	for (i = 0; i < PT_NLISTS; i++)
		while ((n = TAILQ_FIRST(&t->lists[i])) != NULL) {
			TAILQ_REMOVE(&t->lists[i], n, link);
			pt_ent_unref(n->ent);
			free(n);
		}
	pthread_rwlock_destroy(&t->lock);
	close(t->rootfd);
	free(t->buckets);
	pfs_snap_free(atomic_load(&t->spare));
	free(t);
}

struct pfs_snap *
pt_snap_take(struct ptree *t)
{
	struct pfs_snap *s = atomic_exchange(&t->spare, NULL);

	return s != NULL ? s : pfs_snap_new(t->opts.args_max,
	    t->opts.cgroup_max);
}

void
pt_snap_give(struct ptree *t, struct pfs_snap *s)
{
	struct pfs_snap *none = NULL;

	if (s != NULL && !atomic_compare_exchange_strong(&t->spare, &none, s))
		pfs_snap_free(s);
}

/* ---- Hash and lists ---------------------------------------------------- */

/* Fibonacci hashing: the high bits of pid * 2^32/phi. */
static struct pt_node **
bucket(const struct ptree *t, pid_t pid)
{
	return &t->buckets[((uint32_t)pid * 2654435769u) >> t->hshift];
}

static void
list_move(struct ptree *t, struct pt_node *n, enum pt_list to)
{
	TAILQ_REMOVE(&t->lists[n->list], n, link);
	n->list = (uint8_t)to;
	TAILQ_INSERT_TAIL(&t->lists[to], n, link);
}

/* The node of exactly (pid, start), or NULL. */
struct pt_node *
pt_find_key(struct ptree *t, pid_t pid, uint64_t start)
{
	struct pt_node *n;

	for (n = *bucket(t, pid); n != NULL; n = n->hnext)
		if (n->pid == pid && n->start == start)
			return n;
	return NULL;
}

/* The newest live node of pid, else the newest one, else NULL. */
struct pt_node *
pt_find_live(struct ptree *t, pid_t pid)
{
	struct pt_node *n, *live = NULL, *any = NULL;

	for (n = *bucket(t, pid); n != NULL; n = n->hnext) {
		if (n->pid != pid)
			continue;
		if (any == NULL || n->start > any->start)
			any = n;
		if (n->exit == 0 && (live == NULL || n->start > live->start))
			live = n;
	}
	return live != NULL ? live : any;
}

/* The node that had pid at time ts (allowing the time slack). */
struct pt_node *
pt_find_at(struct ptree *t, pid_t pid, uint64_t ts)
{
	uint64_t slack = t->opts.time_slack_ns;
	struct pt_node *n, *best = NULL;

	for (n = *bucket(t, pid); n != NULL; n = n->hnext) {
		if (n->pid != pid || n->start > ts + slack ||
		    (n->exit != 0 && n->exit + slack < ts))
			continue;
		if (best == NULL || n->start > best->start)
			best = n;
	}
	return best;
}

/*
 * The parent node of p: exactly (ppid, pstart) when pstart is known; else
 * the newest process with that pid that existed when p started.
 */
struct pt_node *
pt_parent(struct ptree *t, const struct ptree_proc *p)
{
	if (p->pr_ppid <= 0)
		return NULL;
	if (p->pr_pstart_ns != 0)
		return pt_find_key(t, p->pr_ppid, p->pr_pstart_ns);
	return pt_find_at(t, p->pr_ppid, p->pr_start_ns);
}

void
pt_link_parent(struct ptree *t, struct pt_node *n)
{
	struct pt_node *par;

	if (n->linked || (par = pt_parent(t, &n->ent->p)) == NULL ||
	    par == n)
		return;
	par->nchild++;
	n->linked = true;
}

static void
unlink_parent(struct ptree *t, struct pt_node *n)
{
	struct pt_node *par;

	if (!n->linked)
		return;
	n->linked = false;
	if ((par = pt_parent(t, &n->ent->p)) == NULL || par->nchild == 0)
		return;
	/* A held parent nobody names any more ages out like any exited one. */
	if (--par->nchild == 0 && par->list == PT_HELD)
		list_move(t, par, PT_EXITED);
}

static void
node_remove(struct ptree *t, struct pt_node *n)
{
	struct pt_node **pp;

	unlink_parent(t, n);
	for (pp = bucket(t, n->pid); *pp != n; pp = &(*pp)->hnext)
		;
	*pp = n->hnext;
	TAILQ_REMOVE(&t->lists[n->list], n, link);
	t->nentries--;
	t->nbytes -= n->ent->size + sizeof(*n);
	pt_ent_unref(n->ent);
	free(n);
}

/* Evict until one more node of size bytes fits.  false: cannot. */
static bool
make_room(struct ptree *t, size_t size)
{
	static const enum pt_list order[] = { PT_EXITED, PT_HELD, PT_LIVE };
	struct pt_node *n;
	unsigned i;

	while (t->nentries > 0 && (t->nentries >= t->opts.max_entries ||
	    t->nbytes + size > t->opts.max_bytes)) {
		for (i = 0; i < 3; i++)
			if ((n = TAILQ_FIRST(&t->lists[order[i]])) != NULL)
				break;
		if (i == 3)
			return false;
		if (order[i] == PT_LIVE)
			t->st.evicted_live++;
		else
			t->st.evicted_exited++;
		node_remove(t, n);
	}
	return t->nentries < t->opts.max_entries;
}

/*
 * Insert a new node for e (the table takes e's reference, also on
 * failure).  The caller links it to its parent (pt_link_parent).
 */
struct pt_node *
pt_insert(struct ptree *t, struct pt_ent *e)
{
	struct pt_node *n, **b;
	size_t size = e->size + sizeof(*n);

	if (!make_room(t, size) || (n = calloc(1, sizeof(*n))) == NULL) {
		pt_ent_unref(e);
		return NULL;
	}
	n->ent = e;
	n->pid = e->p.pr_pid;
	n->start = e->p.pr_start_ns;
	n->exit = e->p.pr_exit_ns;
	b = bucket(t, e->p.pr_pid);
	n->hnext = *b;
	*b = n;
	n->list = e->p.pr_exit_ns != 0 ? PT_EXITED : PT_LIVE;
	TAILQ_INSERT_TAIL(&t->lists[n->list], n, link);
	t->nentries++;
	t->nbytes += size;
	t->st.inserts++;
	return n;
}

/* Swap in a new entry for n (same key); takes e's reference. */
void
pt_replace(struct ptree *t, struct pt_node *n, struct pt_ent *e)
{
	t->nbytes = t->nbytes - n->ent->size + e->size;
	pt_ent_unref(n->ent);
	n->ent = e;
	n->exit = e->p.pr_exit_ns;	/* the key (pid, start) never changes */
	t->st.updates++;
	if (e->p.pr_exit_ns != 0 && n->list == PT_LIVE)
		list_move(t, n, PT_EXITED);
}

struct pt_node *
pt_live(struct ptree *t, pid_t pid)
{
	struct pt_node *n = pt_find_live(t, pid);

	return n != NULL && n->exit == 0 ? n : NULL;
}

int
pt_commit(struct ptree *t, struct pt_node *n, const struct ptree_proc *tmpl)
{
	struct pt_ent *e = pt_ent_new(tmpl);

	if (e == NULL)
		return -ENOMEM;
	pt_replace(t, n, e);
	return 0;
}

int
pt_insert_tmpl(struct ptree *t, const struct ptree_proc *tmpl)
{
	struct pt_ent *e = pt_ent_new(tmpl);
	struct pt_node *n;

	if (e == NULL || (n = pt_insert(t, e)) == NULL)
		return -ENOMEM;
	pt_link_parent(t, n);
	return 0;
}

/* Close n at ts: its exit was not reported (connector overrun). */
void
pt_close_missed(struct ptree *t, struct pt_node *n, uint64_t ts)
{
	struct ptree_proc tmpl = n->ent->p;

	tmpl.pr_exit_ns = ts > tmpl.pr_start_ns ? ts : tmpl.pr_start_ns + 1;
	tmpl.pr_flags |= PTREE_F_EXITED;
	if (pt_commit(t, n, &tmpl) == 0)
		t->st.missed_exits++;
}

/* ---- Pruning ----------------------------------------------------------- */

unsigned
ptree_prune(struct ptree *t, uint64_t now_ns)
{
	struct pt_node *n;
	unsigned done = 0;

	pthread_rwlock_wrlock(&t->lock);
	while ((n = TAILQ_FIRST(&t->lists[PT_EXITED])) != NULL &&
	    n->exit + t->opts.exit_grace_ns <= now_ns) {
		if (n->nchild > 0) {
			list_move(t, n, PT_HELD);
			continue;
		}
		node_remove(t, n);
		t->st.pruned++;
		done++;
	}
	pthread_rwlock_unlock(&t->lock);
	return done;
}

/* ---- Lookups ----------------------------------------------------------- */

static const struct ptree_proc *
lookup_done(struct ptree *t, struct pt_node *n)
{
	const struct ptree_proc *p = n != NULL ? ent_ref(n->ent) : NULL;

	pthread_rwlock_unlock(&t->lock);
	atomic_fetch_add_explicit(&t->lookups, 1, memory_order_relaxed);
	if (p == NULL)
		atomic_fetch_add_explicit(&t->misses, 1, memory_order_relaxed);
	return p;
}

const struct ptree_proc *
ptree_get(struct ptree *t, pid_t pid)
{
	pthread_rwlock_rdlock(&t->lock);
	return lookup_done(t, pt_find_live(t, pid));
}

const struct ptree_proc *
ptree_get_at(struct ptree *t, pid_t pid, uint64_t ts_ns)
{
	pthread_rwlock_rdlock(&t->lock);
	return lookup_done(t, pt_find_at(t, pid, ts_ns));
}

/*
 * Walk parents from p, under the read lock.  A step is taken only to a
 * node not visited yet and not younger than the child (plus slack: seed
 * start times have tick resolution), so the walk always ends.
 */
static unsigned
walk(struct ptree *t, const struct ptree_proc *p, struct pt_node **out,
    unsigned max)
{
	struct pt_node *seen[PTREE_ANCESTOR_MAX + 1], *n;
	const struct ptree_proc *cur = p;
	unsigned k = 0, i;

	if (max > PTREE_ANCESTOR_MAX)
		max = PTREE_ANCESTOR_MAX;
	/* p itself (its node, if still in the table) is never its ancestor. */
	seen[0] = pt_find_key(t, p->pr_pid, p->pr_start_ns);
	while (k < max && (n = pt_parent(t, cur)) != NULL) {
		if (&n->ent->p == p || n->ent->p.pr_start_ns >
		    cur->pr_start_ns + t->opts.time_slack_ns)
			break;
		for (i = 0; i <= k && seen[i] != n; i++)
			;
		if (i <= k)
			break;
		out[k++] = n;
		seen[k] = n;
		cur = &n->ent->p;
	}
	return k;
}

unsigned
ptree_ancestors(struct ptree *t, const struct ptree_proc *p,
    const struct ptree_proc **out, unsigned max)
{
	struct pt_node *nodes[PTREE_ANCESTOR_MAX];
	unsigned k, i;

	if (p == NULL || max == 0)
		return 0;
	pthread_rwlock_rdlock(&t->lock);
	k = walk(t, p, nodes, max);
	for (i = 0; i < k; i++)
		out[i] = ent_ref(nodes[i]->ent);
	pthread_rwlock_unlock(&t->lock);
	return k;
}

const struct ptree_proc *
ptree_ancestor(struct ptree *t, const struct ptree_proc *p, unsigned n)
{
	struct pt_node *nodes[PTREE_ANCESTOR_MAX];
	const struct ptree_proc *r = NULL;

	if (p == NULL || n > PTREE_ANCESTOR_MAX)
		return NULL;
	if (n == 0)
		return ptree_proc_ref(p);
	pthread_rwlock_rdlock(&t->lock);
	if (walk(t, p, nodes, n) == n)
		r = ent_ref(nodes[n - 1]->ent);
	pthread_rwlock_unlock(&t->lock);
	return r;
}

const struct ptree_proc *
ptree_session_leader(struct ptree *t, const struct ptree_proc *p)
{
	struct pt_node *nodes[PTREE_ANCESTOR_MAX], *n = NULL;
	const struct ptree_proc *top = p, *r;
	unsigned k, i;

	if (p == NULL || p->pr_sid <= 0)
		return NULL;
	pthread_rwlock_rdlock(&t->lock);
	/* Host pid namespace: the leader is the process with pid == sid. */
	if (p->pr_vpid == p->pr_pid)
		n = pt_find_at(t, p->pr_sid, p->pr_start_ns);
	if (n != NULL && n->ent->p.pr_sid == p->pr_sid) {
		r = ent_ref(n->ent);
	} else {
		k = walk(t, p, nodes, PTREE_ANCESTOR_MAX);
		for (i = 0; i < k && nodes[i]->ent->p.pr_sid == p->pr_sid; i++)
			top = &nodes[i]->ent->p;
		r = ptree_proc_ref(top);
	}
	pthread_rwlock_unlock(&t->lock);
	return r;
}

void
ptree_get_stats(struct ptree *t, struct ptree_stats *st)
{
	struct pt_node *n;
	uint64_t live = 0;

	pthread_rwlock_rdlock(&t->lock);
	*st = t->st;
	TAILQ_FOREACH(n, &t->lists[PT_LIVE], link)
		live++;
	st->entries = t->nentries;
	st->live = live;
	st->exited = t->nentries - live;
	st->bytes = t->nbytes;
	pthread_rwlock_unlock(&t->lock);
	st->lookups = atomic_load_explicit(&t->lookups, memory_order_relaxed);
	st->misses = atomic_load_explicit(&t->misses, memory_order_relaxed);
}
