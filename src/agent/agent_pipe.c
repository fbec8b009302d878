/*
 * agent_pipe.c - the per-event path: event -> rules -> alert messages ->
 * alert store and output channels.
 *
 * Runs on the core thread (agent_on_event is the correlator's callback),
 * except agent_internal_alert, which output channels call from their
 * monitor thread.  Nothing here blocks: the store takes one short lock,
 * each output channel's queue never waits (a full queue drops and counts).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "agent/agent_int.h"
#include "core/log.h"
#include "fanotify/fanotify.h"

uint64_t
agent_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

void
agent_publish(struct agent *a, struct out_msg *m)
{
	struct out_set *outs = atomic_load_explicit(&a->outs_live,
	    memory_order_acquire);

	if (a->store != NULL)
		(void)out_store_add(a->store, m);
	if (outs != NULL)
		out_set_publish(outs, m);
}

struct alert_ctx {
	struct agent		*a;
	const struct fld_enrich	*en;
};

static void
on_alert(const struct fc_alert *al, void *arg)
{
	struct alert_ctx *x = arg;
	struct agent *a = x->a;
	static struct log_limit oom = { .interval_ns = 10000000000ull };
	struct out_msg *m;

	m = out_msg_new(al, &a->gen->fmt, x->en->cid);
	if (m == NULL) {
		log_limited(&oom, "cannot format an alert for rule '%s': out "
		    "of memory", al->rule);
		return;
	}
	atomic_fetch_add_explicit(&a->alerts, 1, memory_order_relaxed);
	agent_publish(a, m);
	out_msg_unref(m);
}

void
agent_on_event(const struct fc_event *ev, void *arg)
{
	struct agent *a = arg;
	struct fld_enrich en;
	struct alert_ctx x = { a, &en };
	int t;

	atomic_fetch_add_explicit(&a->events, 1, memory_order_relaxed);
	agent_fan_note(a, ev);
	atomic_store_explicit(&a->last_event_ms, agent_now_ms(),
	    memory_order_relaxed);
	if ((t = rule_matcher_event_type(a->matcher, ev)) >= 0)
		atomic_fetch_add_explicit(&a->events_by_type[t], 1,
		    memory_order_relaxed);
	agent_enrich_event(a, ev, &en);
	rule_matcher_set_enrich(a->matcher, &en);
	(void)rule_matcher_eval(a->matcher, ev, on_alert, &x);
	rule_matcher_set_enrich(a->matcher, NULL);
	agent_enrich_done(&en);
}

void
agent_internal_alert(void *ctx, int priority, const char *rule,
    const char *text, const char *const *kv)
{
	struct agent *a = ctx;
	struct out_msg *m;

	log_warnx("%s: %s", rule, text);
	m = out_msg_new_internal(priority, rule, text, kv, a->hostname);
	if (m == NULL)
		return;
	agent_publish(a, m);
	out_msg_unref(m);
}
