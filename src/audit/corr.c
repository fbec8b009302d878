/*
 * corr.c - the correlator: records in, complete events out.
 *
 * Owns a bounded pool of events being assembled (at most max_in_flight),
 * an open-addressing table from (sec, msec, serial, node) to pool slot,
 * and a list of slots in arrival order.  It owns no record text: each
 * record is decoded into its event as it arrives (build.c).
 *
 * DESIGN.  An event completes, per event (no head-of-line blocking):
 *   - on EOE, which the kernel sends last for every syscall event;
 *   - on a record after which the kernel emits nothing more for that
 *     serial (aud_type_is_last: PROCTITLE, user and anomaly records...),
 *     for streams without EOE such as audit.log.  Once an EOE has been
 *     seen the stream is known to carry them, and only EOE completes a
 *     multi-record event (a late EOE for an event completed before that
 *     is recognised and absorbed);
 *   - when it is older than timeout_ms on the caller's clock (tick);
 *   - when max_in_flight is reached: the oldest is flushed and counted;
 *   - at the end of input (flush).
 * Events come out in completion order.  Lookups are O(1); ageing walks
 * only the expired head of the arrival list.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"

#define CORR_DEFAULT_IN_FLIGHT	1024
#define CORR_DEFAULT_TIMEOUT_MS	2000
#define CORR_MAX_IN_FLIGHT	(1u << 20)
#define CORR_RECENT		256	/* completed keys remembered for late EOEs */

struct corr_key {
	uint64_t	 sec;
	uint32_t	 msec;
	uint32_t	 serial;
	uint32_t	 node_hash;
};

struct corr_slot {
	struct fc_event	 ev;
	struct corr_key	 key;
	uint64_t	 arrival;	/* caller's clock at the first record */
	int32_t		 older, newer;	/* arrival list, -1 at the ends */
	int32_t		 tpos;		/* position in the table */
};

struct aud_corr {
	struct aud_corr_opts	 opts;
	aud_event_cb		 cb;
	void			*cb_arg;

	struct corr_slot	**slots;	/* max_in_flight, allocated on first use */
	uint32_t		 nslots;	/* slots allocated so far */
	int32_t			*free_stack;
	uint32_t		 nfree;

	int32_t			*table;		/* slot index or -1 */
	uint32_t		 tmask;

	int32_t			 oldest, newest;
	unsigned		 in_flight;
	bool			 seen_eoe;

	struct corr_key		 recent[CORR_RECENT];
	uint32_t		 nrecent;

	struct aud_corr_stats	 st;
};

bool
aud_type_is_last(int type)
{
	/* auparse's audit_is_last_record(), so audit.log groups the same way. */
	return type == AUD_T_PROCTITLE || type == AUD_T_EOE ||
	    (type > AUD_T_LOGIN && type < AUD_T_SYSCALL) ||
	    type == AUD_T_USER || type >= AUD_T_FIRST_ANOM ||
	    type == AUD_T_KERNEL ||
	    (type >= AUD_T_MAC_UNLBL_ALLOW && type <= AUD_T_MAC_CALIPSO_DEL);
}

static uint32_t
node_hash(const char *p, size_t len)
{
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < len; i++)
		h = (h ^ (uint8_t)p[i]) * 16777619u;
	return p == NULL ? 0 : h | 1;
}

static uint32_t
key_hash(const struct corr_key *k)
{
	uint64_t h = k->sec * 0x9e3779b97f4a7c15ull;

	h ^= ((uint64_t)k->serial << 10 | k->msec) * 0xc2b2ae3d27d4eb4full;
	h ^= k->node_hash;
	h ^= h >> 29;
	return (uint32_t)(h ^ h >> 32);
}

static bool
key_eq(const struct corr_key *a, const struct corr_key *b)
{
	return a->serial == b->serial && a->sec == b->sec &&
	    a->msec == b->msec && a->node_hash == b->node_hash;
}

struct aud_corr *
aud_corr_new(const struct aud_corr_opts *opts, aud_event_cb cb, void *arg)
{
	struct aud_corr *c = calloc(1, sizeof(*c));
	uint32_t tsize = 16, i;

	if (c == NULL)
		return NULL;
	c->opts.max_in_flight = CORR_DEFAULT_IN_FLIGHT;
	c->opts.timeout_ms = CORR_DEFAULT_TIMEOUT_MS;
	if (opts != NULL && opts->max_in_flight > 0)
		c->opts.max_in_flight = opts->max_in_flight > CORR_MAX_IN_FLIGHT ?
		    CORR_MAX_IN_FLIGHT : opts->max_in_flight;
	if (opts != NULL)
		c->opts.timeout_ms = opts->timeout_ms;
	c->cb = cb;
	c->cb_arg = arg;
	while (tsize < 2 * c->opts.max_in_flight)
		tsize *= 2;
	c->tmask = tsize - 1;
	c->slots = calloc(c->opts.max_in_flight, sizeof(*c->slots));
	c->free_stack = calloc(c->opts.max_in_flight, sizeof(*c->free_stack));
	c->table = malloc(tsize * sizeof(*c->table));
	if (c->slots == NULL || c->free_stack == NULL || c->table == NULL) {
		aud_corr_free(c);
		return NULL;
	}
	for (i = 0; i < tsize; i++)
		c->table[i] = -1;
	c->oldest = c->newest = -1;
	return c;
}

void
aud_corr_free(struct aud_corr *c)
{
	uint32_t i;

	if (c == NULL)
		return;
	for (i = 0; i < c->nslots; i++) {
		fc_event_fini(&c->slots[i]->ev);
		free(c->slots[i]);
	}
	free(c->slots);
	free(c->free_stack);
	free(c->table);
	free(c);
}

/* Slot holding key k, or -1.  *pos gets the table position it is (or would be) at. */
static int32_t
table_find(const struct aud_corr *c, const struct corr_key *k, uint32_t *pos)
{
	uint32_t i = key_hash(k) & c->tmask;
	int32_t s;

	while ((s = c->table[i]) >= 0) {
		if (key_eq(&c->slots[s]->key, k)) {
			*pos = i;
			return s;
		}
		i = (i + 1) & c->tmask;
	}
	*pos = i;
	return -1;
}

/* Linear-probing delete with backward shift: no tombstones to age. */
static void
table_remove(struct aud_corr *c, uint32_t pos)
{
	uint32_t i = pos, j = pos, home;
	int32_t s;

	for (;;) {
		j = (j + 1) & c->tmask;
		if ((s = c->table[j]) < 0)
			break;
		home = key_hash(&c->slots[s]->key) & c->tmask;
		/* Move s back to i unless its home lies cyclically in (i, j]. */
		if (i <= j ? (home > i && home <= j) : (home > i || home <= j))
			continue;
		c->table[i] = s;
		c->slots[s]->tpos = (int32_t)i;
		i = j;
	}
	c->table[i] = -1;
}

static void
list_unlink(struct aud_corr *c, struct corr_slot *sl)
{
	if (sl->older >= 0)
		c->slots[sl->older]->newer = sl->newer;
	else
		c->oldest = sl->newer;
	if (sl->newer >= 0)
		c->slots[sl->newer]->older = sl->older;
	else
		c->newest = sl->older;
}

static void
remember_recent(struct aud_corr *c, const struct corr_key *k)
{
	c->recent[c->nrecent++ % CORR_RECENT] = *k;
}

static bool
is_recent(const struct aud_corr *c, const struct corr_key *k)
{
	uint32_t i, n = c->nrecent < CORR_RECENT ? c->nrecent : CORR_RECENT;

	for (i = 0; i < n; i++)
		if (key_eq(&c->recent[i], k))
			return true;
	return false;
}

/* Emit slot s, then return it to the free stack. */
static void
complete(struct aud_corr *c, int32_t s, uint32_t why)
{
	struct corr_slot *sl = c->slots[s];

	table_remove(c, (uint32_t)sl->tpos);
	list_unlink(c, sl);
	c->in_flight--;
	remember_recent(c, &sl->key);

	aud_event_finish(&sl->ev);
	sl->ev.ev_flags |= why;
	sl->ev.ev_num = ++c->st.events;
	if (sl->ev.ev_flags & FC_EV_TRUNCATED)
		c->st.truncated++;
	if (c->cb != NULL)
		c->cb(&sl->ev, c->cb_arg);

	fc_event_reset(&sl->ev);
	c->free_stack[c->nfree++] = s;
}

/* A free slot, allocating one if the pool is not yet full; -1 on OOM. */
static int32_t
slot_get(struct aud_corr *c)
{
	struct corr_slot *sl;

	if (c->nfree > 0)
		return c->free_stack[--c->nfree];
	if (c->nslots >= c->opts.max_in_flight)
		return -1;
	sl = malloc(sizeof(*sl));
	if (sl == NULL)
		return -1;
	fc_event_init(&sl->ev);
	c->slots[c->nslots] = sl;
	return (int32_t)c->nslots++;
}

static int32_t
slot_open(struct aud_corr *c, const struct corr_key *k, uint32_t pos,
    uint64_t now)
{
	struct corr_slot *sl;
	int32_t s;

	if (c->in_flight >= c->opts.max_in_flight && c->oldest >= 0) {
		c->st.evicted++;
		complete(c, c->oldest, FC_EV_EVICTED);
		(void)table_find(c, k, &pos);	/* the table moved */
	}
	if ((s = slot_get(c)) < 0)
		return -1;
	sl = c->slots[s];
	sl->key = *k;
	sl->arrival = now;
	sl->tpos = (int32_t)pos;
	c->table[pos] = s;
	sl->older = c->newest;
	sl->newer = -1;
	if (c->newest >= 0)
		c->slots[c->newest]->newer = s;
	else
		c->oldest = s;
	c->newest = s;
	c->in_flight++;
	return s;
}

/* Whether this record ends its event. */
static bool
ends_event(struct aud_corr *c, int type, const struct fc_event *ev)
{
	if (type == AUD_T_EOE)
		return true;
	if (!aud_type_is_last(type))
		return false;
	/* With EOE in the stream, only a lone non-syscall record is complete. */
	return !c->seen_eoe ||
	    (ev->ev_nrecords == 1 && type != AUD_T_PROCTITLE);
}

void
aud_corr_add(struct aud_corr *c, const struct aud_record *rec, uint64_t now_ms)
{
	struct corr_key k;
	uint32_t pos;
	int32_t s;

	k.sec = rec->sec;
	k.msec = rec->msec;
	k.serial = rec->serial;
	k.node_hash = node_hash(rec->node, rec->nodelen);
	c->st.records++;

	s = table_find(c, &k, &pos);
	if (s < 0) {
		if (rec->type == AUD_T_EOE && is_recent(c, &k)) {
			/* EOE of an event completed before EOEs were expected. */
			c->seen_eoe = true;
			c->st.late_eoe++;
			return;
		}
		if ((s = slot_open(c, &k, pos, now_ms)) < 0) {
			c->st.dropped++;
			return;
		}
	}
	aud_event_add_record(&c->slots[s]->ev, rec);
	if (ends_event(c, rec->type, &c->slots[s]->ev)) {
		if (rec->type == AUD_T_EOE) {
			c->seen_eoe = true;
			c->st.eoe++;
		} else {
			c->st.last_record++;
		}
		complete(c, s, 0);
	}
}

void
aud_corr_tick(struct aud_corr *c, uint64_t now_ms)
{
	while (c->oldest >= 0 &&
	    c->slots[c->oldest]->arrival + c->opts.timeout_ms <= now_ms) {
		c->st.timed_out++;
		complete(c, c->oldest, FC_EV_TIMED_OUT);
	}
}

void
aud_corr_flush(struct aud_corr *c)
{
	while (c->oldest >= 0) {
		c->st.flushed++;
		complete(c, c->oldest, 0);
	}
}

unsigned
aud_corr_in_flight(const struct aud_corr *c)
{
	return c->in_flight;
}

void
aud_corr_stats(const struct aud_corr *c, struct aud_corr_stats *st)
{
	*st = c->st;
}
