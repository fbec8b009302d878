/*
 * store_read.c - the alert store's read side (see store.h, store.c):
 * read-side epochs, queries with filters and cursors, waiting for newer
 * alerts (futexes), publication of new alerts.
 *
 * Nothing here takes the writers' lock.  A query loads ring slots with
 * atomic loads inside a read-side section and takes references to the
 * messages it returns; a slot that was overwritten meanwhile is detected
 * by the message's id and counted as missed.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <linux/futex.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "outputs/msg.h"
#include "outputs/store_int.h"

#define QUERY_SLICE	1024	/* ring slots examined per read section */

uint64_t
store_read_begin(struct out_store *s)
{
	uint64_t e;

	for (;;) {
		e = ST_LOAD(&s->epoch);
		ST_ADD(&s->active[e & 1], 1);
		if (ST_LOAD(&s->epoch) == e)
			return e;
		ST_ADD(&s->active[e & 1], -1);	/* raced with a flip */
	}
}

void
store_read_end(struct out_store *s, uint64_t epoch)
{
	ST_ADD(&s->active[epoch & 1], -1);
}

struct out_msg *
store_ring_get(struct out_store *s, uint64_t id)
{
	struct out_msg *m = ST_LOAD(&s->ring[id % s->cap]);

	return m != NULL && m->id == id ? m : NULL;
}

void
store_futex_wait(uint32_t *word, uint32_t val, int timeout_ms)
{
	struct timespec ts = { timeout_ms / 1000,
	    (long)(timeout_ms % 1000) * 1000000L };

	syscall(SYS_futex, word, FUTEX_WAIT_PRIVATE, val, &ts, NULL, 0);
}

void
store_futex_wake(uint32_t *word)
{
	syscall(SYS_futex, word, FUTEX_WAKE_PRIVATE, INT_MAX, NULL, NULL, 0);
}

void
store_publish(struct out_store *s, uint64_t v)
{
	if (v > ST_LOAD(&s->visible))
		ST_STORE(&s->visible, v);
}

void
store_wake(struct out_store *s)
{
	if (ST_LOAD(&s->waiters) > 0) {
		ST_ADD(&s->wake_seq, 1);
		store_futex_wake(&s->wake_seq);
	}
}

static bool
query_match(const struct out_store_query *q, const struct out_msg *m)
{
	if (q->max_priority >= 0 && m->priority > q->max_priority)
		return false;
	if (q->rule != NULL && strcmp(q->rule, m->rule) != 0)
		return false;
	if (q->container_id != NULL &&
	    strcmp(q->container_id, m->container_id) != 0)
		return false;
	return true;
}

/*
 * One read section: examine up to QUERY_SLICE ids after *cur, collect the
 * matches into page, advance *cur.  Returns true when the scan is done
 * (nothing newer visible, or the page is full).
 */
static bool
query_slice(struct out_store *s, const struct out_store_query *q,
    struct out_store_page *page, uint64_t *cur)
{
	uint64_t id, end, last, first, e;
	struct out_msg *m;

	last = ST_LOAD(&s->visible);
	if (*cur >= last)
		return true;
	e = store_read_begin(s);
	first = ST_LOAD(&s->first_id);
	if (*cur + 1 < first) {
		end = first - 1 < last ? first - 1 : last;
		page->missed += end - *cur;
		*cur = end;
	}
	end = last - *cur > QUERY_SLICE ? *cur + QUERY_SLICE : last;
	for (id = *cur + 1; id <= end && page->n < q->limit; id++) {
		if ((m = store_ring_get(s, id)) == NULL)
			page->missed++;		/* evicted meanwhile, or a gap */
		else if (query_match(q, m))
			page->msgs[page->n++] = out_msg_ref(m);
		*cur = id;
	}
	store_read_end(s, e);
	return *cur >= last || page->n >= q->limit;
}

int
out_store_query(struct out_store *s, const struct out_store_query *q,
    struct out_store_page *page)
{
	uint64_t cur = q->since;

	page->n = 0;
	page->missed = 0;
	page->next = ST_LOAD(&s->visible);
	if (q->since >= ST_LOAD(&s->next_id))
		return -ERANGE;		/* beyond any id ever assigned */
	if (q->limit > 0)
		while (!query_slice(s, q, page, &cur))
			;
	page->next = cur;
	return 0;
}

void
out_store_page_release(struct out_store_page *page)
{
	size_t i;

	for (i = 0; i < page->n; i++)
		out_msg_unref(page->msgs[i]);
	page->n = 0;
}

static uint64_t
mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/*
 * The sequence word is read before visible is checked: a publisher that
 * advances visible after our check also bumps the word, so the futex
 * wait returns at once instead of missing the wake-up.
 */
bool
out_store_wait(struct out_store *s, uint64_t since, int timeout_ms)
{
	uint64_t deadline = mono_ms() + (uint64_t)(timeout_ms > 0 ?
	    timeout_ms : 0), now;
	bool newer;
	uint32_t seq;

	ST_ADD(&s->waiters, 1);
	for (;;) {
		seq = ST_LOAD(&s->wake_seq);
		if ((newer = ST_LOAD(&s->visible) > since) ||
		    (now = mono_ms()) >= deadline)
			break;
		store_futex_wait(&s->wake_seq, seq, (int)(deadline - now));
	}
	ST_ADD(&s->waiters, -1);
	return newer;
}

uint64_t
out_store_last_id(struct out_store *s)
{
	return ST_LOAD(&s->visible);
}
