/*
 * fan_queue.c - the bounded queue between the fanotify reader thread and
 * the consumer: a fixed ring of pointers to self-contained items, bounded
 * in items and in bytes, one mutex and one condition variable.
 *
 * The producer never waits: a full queue refuses the item and the reader
 * counts the drop (a blocked reader would only move the loss into the
 * kernel queue, as FAN_Q_OVERFLOW).  The consumer may ask for items that
 * are at least hold_ms old, so that audit's view of the same operation,
 * emitted later at syscall exit, gets there first (fan_dedup).
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <time.h>

#include "fanotify/fan_int.h"

struct fan_queue {
	pthread_mutex_t	 mu;
	pthread_cond_t	 not_empty;
	struct fan_item	**ring;
	size_t		 cap, head, n;
	size_t		 bytes, max_bytes, high;
	bool		 shut;
};

int64_t
fan_mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

struct fan_queue *
fan_queue_new(size_t max_items, size_t max_bytes)
{
	struct fan_queue *q = calloc(1, sizeof(*q));
	pthread_condattr_t ca;

	if (q == NULL)
		return NULL;
	q->cap = max_items ? max_items : 1;
	q->max_bytes = max_bytes;
	if (q->cap > SIZE_MAX / sizeof(*q->ring) ||
	    (q->ring = calloc(q->cap, sizeof(*q->ring))) == NULL) {
		free(q);
		return NULL;
	}
	pthread_mutex_init(&q->mu, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&q->not_empty, &ca);
	pthread_condattr_destroy(&ca);
	return q;
}

void
fan_queue_free(struct fan_queue *q)
{
	size_t i;

	if (q == NULL)
		return;
	for (i = 0; i < q->n; i++)
		free(q->ring[(q->head + i) % q->cap]);
	free(q->ring);
	pthread_mutex_destroy(&q->mu);
	pthread_cond_destroy(&q->not_empty);
	free(q);
}

int
fan_queue_try_push(struct fan_queue *q, struct fan_item *it)
{
	int r = 0;

	pthread_mutex_lock(&q->mu);
	if (q->shut)
		r = -ESHUTDOWN;
	else if (q->n == q->cap ||
	    (q->n > 0 && q->max_bytes && q->bytes + it->size > q->max_bytes))
		r = -ENOBUFS;
	else {
		q->ring[(q->head + q->n) % q->cap] = it;
		q->n++;
		q->bytes += it->size;
		if (q->n > q->high)
			q->high = q->n;
		pthread_cond_signal(&q->not_empty);
	}
	pthread_mutex_unlock(&q->mu);
	return r;
}

static void
abs_ms(struct timespec *ts, int64_t mono_ms)
{
	ts->tv_sec = mono_ms / 1000;
	ts->tv_nsec = (long)(mono_ms % 1000) * 1000000L;
}

/* Wait until the head item is hold_ms old or the deadline (-1: none) passes. */
static bool
wait_ready(struct fan_queue *q, int64_t deadline, unsigned hold_ms)
{
	struct timespec ts;
	int64_t now, when;

	for (;;) {
		if (q->shut)
			return false;
		now = fan_mono_ms();
		if (q->n > 0) {
			when = q->ring[q->head]->mono_ms + hold_ms;
			if (when <= now)
				return true;
			if (deadline >= 0 && deadline < when)
				when = deadline;
		} else
			when = deadline;
		if (when >= 0 && when <= now)
			return false;
		if (when < 0)
			pthread_cond_wait(&q->not_empty, &q->mu);
		else {
			abs_ms(&ts, when);
			pthread_cond_timedwait(&q->not_empty, &q->mu, &ts);
		}
	}
}

struct fan_item *
fan_queue_pop(struct fan_queue *q, int timeout_ms, unsigned hold_ms,
    bool *shut)
{
	int64_t deadline = timeout_ms < 0 ? -1 : fan_mono_ms() + timeout_ms;
	struct fan_item *it = NULL;

	pthread_mutex_lock(&q->mu);
	if (wait_ready(q, deadline, hold_ms)) {
		it = q->ring[q->head];
		q->head = (q->head + 1) % q->cap;
		q->n--;
		q->bytes -= it->size;
	}
	*shut = q->shut;
	pthread_mutex_unlock(&q->mu);
	return it;
}

void
fan_queue_shutdown(struct fan_queue *q)
{
	pthread_mutex_lock(&q->mu);
	q->shut = true;
	pthread_cond_broadcast(&q->not_empty);
	pthread_mutex_unlock(&q->mu);
}

void
fan_queue_depth(struct fan_queue *q, size_t *depth, size_t *high)
{
	pthread_mutex_lock(&q->mu);
	*depth = q->n;
	*high = q->high;
	pthread_mutex_unlock(&q->mu);
}
