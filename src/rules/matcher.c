/*
 * matcher.c - evaluate one event against a loaded engine.
 *
 * A matcher is one thread's evaluation state: the field context with its
 * per-event scratch arena, the output scratch buffers, the passwd/group
 * cache and a small cache from syscall name to event type.  It borrows the
 * engine, which must outlive it.  Per event: find the bucket of rules for
 * the event's type, evaluate them in load order, render and hand over an
 * alert for each match (the first only, unless rule_matching is all).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/buf.h"
#include "rules/engine_int.h"

#define TYPE_CACHE	64	/* syscall name pointer -> type index */
#define SCRATCH_BYTES	(1u << 20)
#define ALERT_TEXT_MAX	(1u << 20)

struct rule_matcher {
	const struct rule_engine *e;
	struct fld_ctx		 ctx;
	struct fc_arena		 arena;
	struct fld_users	*users;
	struct fc_buf		 text, values;
	struct rule_output_scratch out;
	char			 hostname[256];
	struct {
		const char	*name;
		int		 idx;
	} types[TYPE_CACHE];
};

static void
init_hostname(struct rule_matcher *m)
{
	const char *h = getenv("FALCONET_HOSTNAME");

	if (h == NULL || *h == '\0')
		h = getenv("FALCO_HOSTNAME");
	if (h != NULL && *h != '\0')
		snprintf(m->hostname, sizeof(m->hostname), "%s", h);
	else if (gethostname(m->hostname, sizeof(m->hostname) - 1) != 0)
		snprintf(m->hostname, sizeof(m->hostname), "localhost");
}

struct rule_matcher *
rule_matcher_new(const struct rule_engine *e)
{
	struct rule_matcher *m = calloc(1, sizeof(*m));

	if (m == NULL)
		return NULL;
	m->e = e;
	m->users = fld_users_new(e->opts.passwd_path, e->opts.group_path);
	if (m->users == NULL) {
		free(m);
		return NULL;
	}
	fc_arena_init(&m->arena, SCRATCH_BYTES);
	fc_buf_init(&m->text, ALERT_TEXT_MAX);
	fc_buf_init(&m->values, ALERT_TEXT_MAX);
	m->out.text = &m->text;
	m->out.values = &m->values;
	init_hostname(m);
	m->ctx.arena = &m->arena;
	m->ctx.users = m->users;
	m->ctx.hostname = m->hostname;
	if (e->fields.n > 0 &&
	    (m->ctx.memo = calloc(e->fields.n, sizeof(*m->ctx.memo))) != NULL)
		m->ctx.nmemo = e->fields.n;	/* else: correct, unmemoised */
	return m;
}

void
rule_matcher_free(struct rule_matcher *m)
{
	if (m == NULL)
		return;
	fld_users_free(m->users);
	free(m->ctx.memo);
	fc_arena_fini(&m->arena);
	fc_buf_fini(&m->text);
	fc_buf_fini(&m->values);
	free(m);
}

/* Type index of the event; libaudit's names are static, so cache by pointer. */
static int
event_type(struct rule_matcher *m, const struct fc_event *ev)
{
	const char *name = ev->ev_syscall_name;
	size_t slot;
	int idx;

	if (name == NULL)
		return -1;
	slot = ((uintptr_t)name >> 4) % TYPE_CACHE;
	if (m->types[slot].name == name)
		return m->types[slot].idx;
	idx = evt_type_index(name, strlen(name));
	m->types[slot].name = name;
	m->types[slot].idx = idx;
	return idx;
}

int
rule_matcher_event_type(struct rule_matcher *m, const struct fc_event *ev)
{
	return event_type(m, ev);
}

static void
emit(struct rule_matcher *m, struct erule *er, const struct fc_event *ev,
    rule_alert_fn cb, void *arg)
{
	const struct rl_rule *r = er->info.src;
	struct fc_alert a;

	rule_output_render(er->output, &m->ctx, &m->out);
	a = (struct fc_alert){
		.time_ns = ev->ev_sec * 1000000000ull +
		    (uint64_t)ev->ev_msec * 1000000ull,
		.priority = (int)r->priority,
		.rule = r->name,
		.source = r->source,
		.tags = (const char *const *)r->tags,
		.ntags = r->n_tags,
		.output = m->text.p != NULL ? m->text.p : "",
		.output_len = m->text.len,
		.fields = m->out.fields,
		.nfields = m->out.nfields,
		.hostname = m->hostname,
	};
	__atomic_fetch_add(&er->info.matches, 1, __ATOMIC_RELAXED);
	if (cb != NULL)
		cb(&a, arg);
}

void
rule_matcher_set_enrich(struct rule_matcher *m, const struct fld_enrich *en)
{
	m->ctx.enrich = en;
}

unsigned
rule_matcher_eval(struct rule_matcher *m, const struct fc_event *ev,
    rule_alert_fn cb, void *arg)
{
	const struct evt_bucket *b;
	struct erule *er;
	unsigned hits = 0;
	uint32_t i;
	int t;

	if (!(ev->ev_flags & FC_EV_SYSCALL) || (t = event_type(m, ev)) < 0)
		return 0;
	b = &m->e->by_type[t];
	if (b->n == 0)
		return 0;
	fld_ctx_next(&m->ctx, ev);
	for (i = 0; i < b->n; i++) {
		er = &m->e->rules[b->idx[i]];
		if (!flt_eval(er->filter, &m->ctx))
			continue;
		emit(m, er, ev, cb, arg);
		hits++;
		if (!m->e->opts.match_all)
			break;
	}
	fc_arena_reset(&m->arena);
	return hits;
}
