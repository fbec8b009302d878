/*
 * store.c - the alert store's write side (see store.h): configuration,
 * life cycle, id assignment, the ring and its eviction, reclamation of
 * evicted messages, statistics.  Queries and waits are in store_read.c,
 * the spool in store_spool.c.
 *
 * One mutex, taken by writers only.  out_store_add() does O(1) work under
 * it (amortised: evicted messages are released in batches, after the
 * lock is dropped).  Readers never take it: a reader preempted in the
 * middle of a query cannot stall detection, which a shared lock would
 * allow (measured in bench/http: a query thread descheduled while
 * holding the lock stalled the writer for tens of milliseconds).
 *
 * Reclamation is epoch-based.  A reader announces itself in
 * active[epoch & 1] (store_read_begin).  A writer that evicts a message
 * does not drop the ring's reference at once but parks it in
 * limbo[epoch & 1].  When that limbo has gathered a batch and no reader
 * of the previous epoch is left, the previous epoch's limbo is released
 * and the epoch advances.  A stalled reader only delays releases (memory),
 * never a writer.
 */
#include "config.h"

#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "conf.h"
#include "outputs/msg.h"
#include "outputs/store_int.h"

#define LIMBO_BATCH	64	/* evictions per epoch before advancing */

void
out_store_spool_defaults(struct out_store_spool_opts *o)
{
	o->segment_bytes = 16u << 20;
	o->max_bytes = 256u << 20;
	o->fsync = OUT_STORE_FSYNC_BATCH;
}

int
out_store_fsync_parse(const char *s)
{
	if (!strcmp(s, "none"))
		return OUT_STORE_FSYNC_NONE;
	if (!strcmp(s, "rotate"))
		return OUT_STORE_FSYNC_ROTATE;
	if (!strcmp(s, "batch"))
		return OUT_STORE_FSYNC_BATCH;
	return -1;
}

const char *
out_store_fsync_name(enum out_store_fsync f)
{
	switch (f) {
	case OUT_STORE_FSYNC_NONE:	return "none";
	case OUT_STORE_FSYNC_ROTATE:	return "rotate";
	default:			return "batch";
	}
}

void
out_store_conf_read(struct fc_conf *c, struct out_store_config *cfg)
{
	const char *fs;
	int f;

	out_store_spool_defaults(&cfg->spool);
	cfg->ring_size = (size_t)conf_int(c, "alert_store.ring_size", 1,
	    OUT_STORE_RING_MAX, OUT_STORE_RING_DEFAULT);
	cfg->spool_dir = NULL;
	if (conf_bool(c, "alert_store.spool.enabled", false))
		cfg->spool_dir = conf_str(c, "alert_store.spool.dir",
		    "/var/lib/falconet");
	cfg->spool.segment_bytes = (uint64_t)conf_int(c,
	    "alert_store.spool.segment_bytes", 4096, INT64_C(1) << 30,
	    (int64_t)cfg->spool.segment_bytes);
	cfg->spool.max_bytes = (uint64_t)conf_int(c,
	    "alert_store.spool.max_bytes", 8192, INT64_C(1) << 40,
	    (int64_t)cfg->spool.max_bytes);
	if (cfg->spool.max_bytes < 2 * cfg->spool.segment_bytes) {
		conf_error(c, "alert_store.spool.max_bytes",
		    "must be at least twice alert_store.spool.segment_bytes");
		cfg->spool.max_bytes = 2 * cfg->spool.segment_bytes;
	}
	fs = conf_str(c, "alert_store.spool.fsync", "batch");
	f = out_store_fsync_parse(fs);
	if (f < 0)
		conf_error(c, "alert_store.spool.fsync",
		    "'%s' is not one of none, rotate, batch", fs);
	else
		cfg->spool.fsync = (enum out_store_fsync)f;
}

struct out_store *
out_store_new(size_t ring_size, const char *spool_dir,
    const struct out_store_spool_opts *sp, char *err)
{
	struct out_store_spool_opts defaults;
	struct out_store *s;

	if (ring_size == 0 || ring_size > OUT_STORE_RING_MAX) {
		snprintf(err, OUT_STORE_ERRLEN, "ring size %zu is not in "
		    "1..%d", ring_size, OUT_STORE_RING_MAX);
		return NULL;
	}
	s = calloc(1, sizeof(*s));
	if (s != NULL)
		s->ring = calloc(ring_size, sizeof(*s->ring));
	if (s == NULL || s->ring == NULL ||
	    pthread_mutex_init(&s->lock, NULL) != 0) {
		snprintf(err, OUT_STORE_ERRLEN, "out of memory");
		if (s != NULL)
			free(s->ring);
		free(s);
		return NULL;
	}
	s->cap = ring_size;
	s->next_id = s->first_id = 1;
	if (spool_dir == NULL)
		return s;
	if (sp == NULL) {
		out_store_spool_defaults(&defaults);
		sp = &defaults;
	}
	if (store_spool_open(s, spool_dir, sp, err) != 0 ||
	    store_spool_start(s) != 0) {
		if (err[0] == '\0')
			snprintf(err, OUT_STORE_ERRLEN, "cannot start the "
			    "spool writer");
		out_store_free(s);
		return NULL;
	}
	return s;
}

static void
msgvec_release(struct store_msgvec *v)
{
	size_t i;

	for (i = 0; i < v->n; i++)
		out_msg_unref(v->v[i]);
	free(v->v);
	memset(v, 0, sizeof(*v));
}

void
out_store_free(struct out_store *s)
{
	uint64_t id;

	if (s == NULL)
		return;
	if (s->writer_started)
		store_spool_stop(s);
	store_spool_free(s->spool);
	for (id = s->first_id; id < s->next_id; id++)
		out_msg_unref(s->ring[id % s->cap]);
	msgvec_release(&s->limbo[0]);
	msgvec_release(&s->limbo[1]);
	free(s->ring);
	pthread_mutex_destroy(&s->lock);
	free(s);
}

static uint64_t
mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Take the lock; when another writer holds it, count how long we wait. */
static void
lock_for_add(struct out_store *s)
{
	uint64_t t0;

	if (pthread_mutex_trylock(&s->lock) == 0)
		return;
	t0 = mono_ns();
	pthread_mutex_lock(&s->lock);
	ST_RLX_ADD(&s->add_contended, 1);
	ST_RLX_ADD(&s->add_wait_ns, mono_ns() - t0);
}

/*
 * Under the lock: park old in the current epoch's limbo.  When that has
 * a batch and the previous epoch has no reader left, hand the previous
 * limbo to the caller (to release after unlocking) and advance.  If the
 * limbo cannot grow (out of memory), wait for the readers instead: the
 * only case where a writer waits for a reader.
 */
static void
retire(struct out_store *s, struct out_msg *old, struct store_msgvec *out)
{
	uint64_t e = ST_LOAD(&s->epoch);
	struct store_msgvec *cur = &s->limbo[e & 1], *prev = &s->limbo[!(e & 1)];
	struct out_msg **n;

	if (cur->n == cur->cap) {
		n = realloc(cur->v, (cur->cap ? cur->cap * 2 : 256) *
		    sizeof(*n));
		while (n == NULL && ST_LOAD(&s->active[!(e & 1)]) +
		    ST_LOAD(&s->active[e & 1]) > 0)
			sched_yield();
		if (n == NULL) {		/* no reader at all now */
			out_msg_unref(old);
			return;
		}
		cur->v = n;
		cur->cap = cur->cap ? cur->cap * 2 : 256;
	}
	cur->v[cur->n++] = old;
	if (cur->n > ST_RLX_LOAD(&s->limbo_peak))
		__atomic_store_n(&s->limbo_peak, cur->n, __ATOMIC_RELAXED);
	if (cur->n < LIMBO_BATCH || ST_LOAD(&s->active[!(e & 1)]) != 0)
		return;
	*out = *prev;
	memset(prev, 0, sizeof(*prev));
	ST_STORE(&s->epoch, e + 1);
}

uint64_t
out_store_add(struct out_store *s, struct out_msg *m)
{
	struct store_msgvec released = { 0 };
	struct out_msg *old = NULL;
	uint64_t id;

	out_msg_ref(m);
	lock_for_add(s);
	id = m->id = s->next_id;
	if (id - s->first_id >= s->cap) {
		old = s->ring[id % s->cap];
		ST_STORE(&s->first_id, s->first_id + 1);
		ST_RLX_ADD(&s->evictions, 1);
	}
	/* The slot first, then next_id: a reader that sees the id sees it.
	 * Sequentially consistent, as the epoch protocol needs (the slot
	 * store must be ordered before later loads of the reader counts). */
	ST_STORE(&s->ring[id % s->cap], m);
	ST_STORE(&s->next_id, id + 1);
	ST_RLX_ADD(&s->added, 1);
	if (old != NULL)
		retire(s, old, &released);
	if (s->spool == NULL)
		store_publish(s, id);
	pthread_mutex_unlock(&s->lock);
	if (s->spool == NULL)
		store_wake(s);
	else if (ST_LOAD(&s->writer_idle)) {
		ST_ADD(&s->work_seq, 1);
		store_futex_wake(&s->work_seq);
	}
	msgvec_release(&released);
	return id;
}

void
out_store_stats(struct out_store *s, struct out_store_stats *st)
{
	uint64_t next, first;

	memset(st, 0, sizeof(*st));
	next = ST_LOAD(&s->next_id);
	first = ST_LOAD(&s->first_id);
	st->size = next > first ? next - first : 0;
	st->capacity = s->cap;
	st->added = ST_RLX_LOAD(&s->added);
	st->evictions = ST_RLX_LOAD(&s->evictions);
	st->first_id = st->size > 0 ? first : 0;
	st->last_id = ST_LOAD(&s->visible);
	st->restored = ST_RLX_LOAD(&s->restored);
	st->waiters = ST_LOAD(&s->waiters);
	st->add_contended = ST_RLX_LOAD(&s->add_contended);
	st->add_wait_ns = ST_RLX_LOAD(&s->add_wait_ns);
	st->limbo_peak = ST_RLX_LOAD(&s->limbo_peak);
	if (s->spool != NULL)
		store_spool_stats(s->spool, st);
}
