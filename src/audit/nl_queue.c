/*
 * nl_queue.c - the bounded queue between the audit reader thread and the
 * consumer: a fixed ring of pointers to copied records, bounded both in
 * records and in payload bytes, one mutex, two condition variables.
 *
 * The producer either drops (counted by the caller) or waits when full;
 * the consumer takes records in batches to keep lock traffic low.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audit/nl_int.h"

struct aud_queue {
	pthread_mutex_t	 mu;
	pthread_cond_t	 not_empty, not_full;
	struct aud_qitem **ring;
	size_t		 cap, head, n;	/* head: next to pop */
	size_t		 bytes, max_bytes;
	size_t		 high;
	bool		 shut, discard;
};

struct aud_queue *
aud_queue_new(size_t max_records, size_t max_bytes)
{
	struct aud_queue *q = calloc(1, sizeof(*q));
	pthread_condattr_t ca;

	if (q == NULL)
		return NULL;
	q->cap = max_records ? max_records : 1;
	q->max_bytes = max_bytes;
	if ((q->ring = calloc(q->cap, sizeof(*q->ring))) == NULL) {
		free(q);
		return NULL;
	}
	pthread_mutex_init(&q->mu, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&q->not_empty, &ca);
	pthread_cond_init(&q->not_full, &ca);
	pthread_condattr_destroy(&ca);
	return q;
}

void
aud_queue_free(struct aud_queue *q)
{
	if (q == NULL)
		return;
	for (size_t i = 0; i < q->n; i++)
		free(q->ring[(q->head + i) % q->cap]);
	free(q->ring);
	pthread_mutex_destroy(&q->mu);
	pthread_cond_destroy(&q->not_empty);
	pthread_cond_destroy(&q->not_full);
	free(q);
}

static bool
full(const struct aud_queue *q, size_t len)
{
	/* A record bigger than the byte bound still fits an empty queue. */
	return q->n == q->cap ||
	    (q->n > 0 && q->max_bytes && q->bytes + len > q->max_bytes);
}

static void
deadline_in(struct timespec *ts, int ms)
{
	clock_gettime(CLOCK_MONOTONIC, ts);
	ts->tv_sec += ms / 1000;
	ts->tv_nsec += (long)(ms % 1000) * 1000000L;
	if (ts->tv_nsec >= 1000000000L) {
		ts->tv_sec++;
		ts->tv_nsec -= 1000000000L;
	}
}

struct aud_qitem *
aud_qitem_new(int kind, int type, const char *data, size_t len)
{
	struct aud_qitem *it = malloc(sizeof(*it) + len);

	if (it == NULL)
		return NULL;
	it->len = (uint32_t)len;
	it->type = (uint16_t)type;
	it->kind = (uint8_t)kind;
	memcpy(it->data, data, len);
	return it;
}

int
aud_queue_try_push(struct aud_queue *q, struct aud_qitem *it, int wait_ms)
{
	struct timespec ts;
	int r = 0;

	pthread_mutex_lock(&q->mu);
	if (wait_ms > 0)
		deadline_in(&ts, wait_ms);
	while (!q->shut && full(q, it->len) && wait_ms > 0 && !q->discard) {
		if (pthread_cond_timedwait(&q->not_full, &q->mu, &ts) ==
		    ETIMEDOUT) {
			r = full(q, it->len) ? -EAGAIN : 0;
			break;
		}
	}
	if (q->shut)
		r = -ESHUTDOWN;
	else if (r == 0 && full(q, it->len))
		r = -ENOBUFS;
	if (r == 0) {
		q->ring[(q->head + q->n) % q->cap] = it;
		q->n++;
		q->bytes += it->len;
		if (q->n > q->high)
			q->high = q->n;
		pthread_cond_signal(&q->not_empty);
	}
	pthread_mutex_unlock(&q->mu);
	return r;
}

size_t
aud_queue_pop(struct aud_queue *q, struct aud_qitem **out, size_t max,
    int timeout_ms)
{
	struct timespec ts;
	size_t k = 0;

	pthread_mutex_lock(&q->mu);
	if (timeout_ms > 0)
		deadline_in(&ts, timeout_ms);
	while (q->n == 0 && !q->shut && timeout_ms != 0) {
		if (timeout_ms < 0)
			pthread_cond_wait(&q->not_empty, &q->mu);
		else if (pthread_cond_timedwait(&q->not_empty, &q->mu, &ts) ==
		    ETIMEDOUT)
			break;
	}
	while (k < max && q->n > 0) {
		out[k] = q->ring[q->head];
		q->ring[q->head] = NULL;
		q->head = (q->head + 1) % q->cap;
		q->n--;
		q->bytes -= out[k]->len;
		k++;
	}
	if (k > 0)
		pthread_cond_broadcast(&q->not_full);
	pthread_mutex_unlock(&q->mu);
	return k;
}

void
aud_queue_shutdown(struct aud_queue *q)
{
	pthread_mutex_lock(&q->mu);
	q->shut = true;
	pthread_cond_broadcast(&q->not_empty);
	pthread_cond_broadcast(&q->not_full);
	pthread_mutex_unlock(&q->mu);
}

void
aud_queue_set_discard(struct aud_queue *q, bool on)
{
	pthread_mutex_lock(&q->mu);
	q->discard = on;
	pthread_cond_broadcast(&q->not_full);
	pthread_mutex_unlock(&q->mu);
}

void
aud_queue_depth(struct aud_queue *q, size_t *depth, size_t *high)
{
	pthread_mutex_lock(&q->mu);
	*depth = q->n;
	*high = q->high;
	pthread_mutex_unlock(&q->mu);
}
