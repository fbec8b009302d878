/*
 * store_int.h - what store.c (ring, queries, waits) and store_spool.c
 * (segment files, restore, writer thread) share.  Private to the store;
 * tests may include it.
 *
 * Concurrency (see store.c): writers (out_store_add) serialise on `lock`;
 * readers (queries, the spool writer) never take it.  They read the ring
 * with atomic loads inside a read-side epoch, and evicted messages are
 * released only once no reader from their epoch remains, so a reader
 * that is preempted never holds detection up.  Waiting uses futexes on
 * sequence words, not the writers' lock.
 */
#ifndef FC_OUTPUTS_STORE_INT_H
#define FC_OUTPUTS_STORE_INT_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "outputs/store.h"

struct store_spool;

struct store_msgvec {
	struct out_msg	**v;
	size_t		  n, cap;
};

struct out_store {
	pthread_mutex_t	  lock;		/* writers only */
	struct out_msg	**ring;		/* slot id % cap; atomic pointers */
	size_t		  cap;
	/* Written under lock, read anywhere (atomics). */
	uint64_t	  next_id;	/* the id the next alert gets */
	uint64_t	  first_id;	/* oldest id in the ring */
	uint64_t	  visible;	/* newest id queries may return */
	/* Reclamation (store.c): epoch, readers per epoch parity, and the
	 * messages evicted in each parity (limbo: under lock). */
	uint64_t	  epoch;
	uint64_t	  active[2];
	struct store_msgvec limbo[2];
	/* Wake-ups (futex words). */
	uint32_t	  wake_seq;	/* bumped when visible advances */
	uint32_t	  waiters;	/* threads in out_store_wait() */
	uint32_t	  work_seq;	/* bumped when the spool has work */
	uint32_t	  writer_idle;	/* the spool writer sleeps on work_seq */
	uint32_t	  stop;
	/* Counters (relaxed atomics). */
	uint64_t	  added;
	uint64_t	  evictions;
	uint64_t	  restored;
	uint64_t	  add_contended;
	uint64_t	  add_wait_ns;
	uint64_t	  limbo_peak;
	struct store_spool *spool;	/* NULL: no spool */
	pthread_t	  writer;
	bool		  writer_started;
};

#define ST_LOAD(p)	__atomic_load_n((p), __ATOMIC_SEQ_CST)
#define ST_STORE(p, v)	__atomic_store_n((p), (v), __ATOMIC_SEQ_CST)
#define ST_ADD(p, v)	__atomic_add_fetch((p), (v), __ATOMIC_SEQ_CST)
#define ST_RLX_ADD(p, v) __atomic_add_fetch((p), (v), __ATOMIC_RELAXED)
#define ST_RLX_LOAD(p)	__atomic_load_n((p), __ATOMIC_RELAXED)

/* Read-side section: messages loaded from the ring stay valid (may be
 * referenced) until store_read_end(). */
uint64_t store_read_begin(struct out_store *s);
void	store_read_end(struct out_store *s, uint64_t epoch);

/* The message for id if it is still in the ring (inside a read-side
 * section), else NULL. */
struct out_msg *store_ring_get(struct out_store *s, uint64_t id);

/* Make ids up to v visible (one publisher at a time: the writers under
 * their lock, or the spool writer), then wake waiters (no lock needed). */
void	store_publish(struct out_store *s, uint64_t v);
void	store_wake(struct out_store *s);

/* Futex helpers. */
void	store_futex_wait(uint32_t *word, uint32_t val, int timeout_ms);
void	store_futex_wake(uint32_t *word);

/* ---- store_spool.c --------------------------------------------------- */

/* Open DIR, read the segments back into s (ring, next_id, visible).
 * Returns 0, or -1 with a message in err. */
int	store_spool_open(struct out_store *s, const char *dir,
	    const struct out_store_spool_opts *o, char *err);

/* Start / stop (after draining) the writer thread. */
int	store_spool_start(struct out_store *s);
void	store_spool_stop(struct out_store *s);

void	store_spool_free(struct store_spool *sp);

/* Counters for out_store_stats(); relaxed atomic reads. */
void	store_spool_stats(const struct store_spool *sp,
	    struct out_store_stats *st);

/* A message rebuilt from a spool line (exposed for the unit tests):
 * NULL when the line is not a valid record. */
struct out_msg *store_spool_parse_line(const char *line, size_t len);

#endif
