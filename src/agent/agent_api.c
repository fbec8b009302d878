/*
 * agent_api.c - what the HTTP API shows of the agent: source health,
 * Prometheus metrics and the loaded rules.
 *
 * The callbacks run on libmicrohttpd's threads.  They read counters with
 * relaxed atomics and walk the rules under the read side of gen_lock,
 * which a reload takes for writing before it frees a generation.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "agent/agent_int.h"
#include "core/buf.h"
#include "http/http.h"

extern pthread_rwlock_t agent_gen_lock;

static size_t
health(void *arg, struct api_source_state *out, size_t max)
{
	struct agent *a = arg;
	uint64_t last = atomic_load_explicit(&a->last_event_ms,
	    memory_order_relaxed);

	if (max == 0)
		return 0;
	memset(out, 0, sizeof(*out));
	snprintf(out->name, sizeof(out->name), "%s",
	    a->src ? agent_src_name(a->src) : "audit");
	out->up = agent_src_up(a->src);
	out->lost = agent_src_lost(a->src);
	out->last_event_age_ms = last == 0 ? -1 :
	    (int64_t)(agent_now_ms() - last);
	if (!out->up)
		snprintf(out->detail, sizeof(out->detail), "source closed");
	return 1;
}

static void
prom(struct fc_buf *b, const char *name, const char *help, const char *type)
{
	fc_buf_printf(b, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

static void
metrics_events(struct agent *a, struct fc_buf *b)
{
	size_t i, n = evt_type_count();
	uint64_t v;

	prom(b, "falconet_records_total", "Audit records read.", "counter");
	fc_buf_printf(b, "falconet_records_total %" PRIu64 "\n",
	    (uint64_t)atomic_load(&a->records));
	prom(b, "falconet_malformed_records_total",
	    "Audit records that could not be parsed.", "counter");
	fc_buf_printf(b, "falconet_malformed_records_total %" PRIu64 "\n",
	    (uint64_t)atomic_load(&a->malformed));
	prom(b, "falcosecurity_scap_n_evts_total", "Events processed.",
	    "counter");
	fc_buf_printf(b, "falcosecurity_scap_n_evts_total %" PRIu64 "\n",
	    (uint64_t)atomic_load(&a->events));
	prom(b, "falconet_events_total", "Events by source and type.",
	    "counter");
	for (i = 0; i < n; i++)
		if ((v = atomic_load_explicit(&a->events_by_type[i],
		    memory_order_relaxed)) > 0)
			fc_buf_printf(b, "falconet_events_total{source=\"%s\","
			    "type=\"%s\"} %" PRIu64 "\n", agent_src_name(a->src),
			    evt_type_name((int)i), v);
	prom(b, "falcosecurity_scap_n_drops_total",
	    "Events lost before falconet saw them (kernel and queues).",
	    "counter");
	fc_buf_printf(b, "falcosecurity_scap_n_drops_total %" PRIu64 "\n",
	    agent_src_lost(a->src));
}

static void
metrics_rules(struct agent *a, struct fc_buf *b)
{
	const struct agent_gen *g;
	const struct rule_info *ri;
	size_t i, n;

	prom(b, "falcosecurity_falco_rules_matches_total",
	    "Alerts by rule and priority.", "counter");
	pthread_rwlock_rdlock(&agent_gen_lock);
	g = a->gen;
	n = rule_engine_nrules(g->engine);
	for (i = 0; i < n; i++) {
		ri = rule_engine_rule(g->engine, i);
		fc_buf_adds(b, "falcosecurity_falco_rules_matches_total"
		    "{rule_name=");
		fc_json_str(b, ri->src->name, strlen(ri->src->name));
		fc_buf_printf(b, ",priority=\"%s\",source=\"%s\"} %" PRIu64
		    "\n", rl_priority_name(ri->src->priority), ri->src->source,
		    __atomic_load_n(&ri->matches, __ATOMIC_RELAXED));
	}
	pthread_rwlock_unlock(&agent_gen_lock);
}

static void
metrics_outputs(struct agent *a, struct fc_buf *b)
{
	struct out_set *outs = atomic_load(&a->outs_live);
	struct out_stats st;
	uint64_t drops = 0;
	size_t i;

	if (outs == NULL)
		return;
	out_set_stats(outs, &st);
	prom(b, "falconet_output_messages_total",
	    "Alert messages by output channel and outcome.", "counter");
	for (i = 0; i <= OUT_CH_MAX; i++) {
		const struct out_chan_stats *c = &st.ch[i];
		if (c->name == NULL || !c->enabled)
			continue;
		drops += c->dropped;
		fc_buf_printf(b, "falconet_output_messages_total{channel=\"%s\","
		    "outcome=\"sent\"} %" PRIu64 "\n", c->name, c->sent);
		fc_buf_printf(b, "falconet_output_messages_total{channel=\"%s\","
		    "outcome=\"dropped\"} %" PRIu64 "\n", c->name, c->dropped);
		fc_buf_printf(b, "falconet_output_messages_total{channel=\"%s\","
		    "outcome=\"failed\"} %" PRIu64 "\n", c->name, c->failed);
	}
	prom(b, "falcosecurity_falco_outputs_queue_num_drops_total",
	    "Alerts dropped because an output queue was full.", "counter");
	fc_buf_printf(b, "falcosecurity_falco_outputs_queue_num_drops_total %"
	    PRIu64 "\n", drops);
}

/* The fanotify containers (only when fanotify runs). */
static void
metrics_fanotify(struct agent *a, struct fc_buf *b)
{
	struct agent_froot_stats st;

	if (a->froots == NULL || a->fan == NULL)
		return;
	agent_froot_stats(a->froots, &st);
	prom(b, "falconet_fanotify_containers_marked",
	    "Containers whose file systems carry fanotify marks.", "gauge");
	fc_buf_printf(b, "falconet_fanotify_containers_marked %" PRIu64 "\n",
	    st.marked);
	prom(b, "falconet_fanotify_containers_released_total",
	    "Containers gone whose fanotify marks were released.", "counter");
	fc_buf_printf(b, "falconet_fanotify_containers_released_total %"
	    PRIu64 "\n", st.released);
	prom(b, "falconet_fanotify_containers_unmarked_total",
	    "Containers not marked: the table was full, or marking failed.",
	    "counter");
	fc_buf_printf(b, "falconet_fanotify_containers_unmarked_total"
	    "{reason=\"table_full\"} %" PRIu64 "\n", st.overflow);
	fc_buf_printf(b, "falconet_fanotify_containers_unmarked_total"
	    "{reason=\"mark_failed\"} %" PRIu64 "\n", st.failed);
}

static void
metrics(void *arg, struct fc_buf *b)
{
	struct agent *a = arg;

	metrics_events(a, b);
	metrics_rules(a, b);
	metrics_outputs(a, b);
	metrics_fanotify(a, b);
}

static void
rules(void *arg, api_rule_emit_fn emit, void *ctx)
{
	struct agent *a = arg;
	const struct rule_info *ri;
	struct api_rule r;
	size_t i, n;

	pthread_rwlock_rdlock(&agent_gen_lock);
	n = rule_engine_nrules(a->gen->engine);
	for (i = 0; i < n; i++) {
		ri = rule_engine_rule(a->gen->engine, i);
		r = (struct api_rule){
			.name = ri->src->name, .source = ri->src->source,
			.priority = (int)ri->src->priority,
			.enabled = ri->enabled,
			.disabled_reason = ri->disabled_reason,
			.matches = __atomic_load_n(&ri->matches,
			    __ATOMIC_RELAXED),
			.tags = (const char *const *)ri->src->tags,
			.ntags = ri->src->n_tags,
		};
		emit(ctx, &r);
	}
	pthread_rwlock_unlock(&agent_gen_lock);
}

int
agent_api_start(struct agent *a, char *err, size_t errlen)
{
	struct api_sources src = {
		.store = a->store, .arg = a, .health = health,
		.metrics = metrics, .rules = rules,
		.versions = {
			.falconet_version = PACKAGE_VERSION,
			.engine_version_semver = FC_ENGINE_VERSION,
		},
		.hostname = a->hostname,
	};

	a->api = api_start(a->gen->conf, &src, err, errlen);
	return a->api != NULL || err[0] == '\0' ? 0 : -1;
}
