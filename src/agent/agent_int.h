/*
 * agent_int.h - the agent's state, shared by the files of src/agent.
 *
 * Threads: the main thread reads signals (signalfd) and does reloads;
 * the core thread owns the correlator, the matcher and the source's
 * consumer side; output channels, the HTTP API and the audit reader run
 * their own threads inside their modules.  What the core thread uses is
 * swapped only by the core thread itself (struct agent_gen, handed over
 * through `pending`), so the hot path takes no lock.
 */
#ifndef FC_AGENT_AGENT_INT_H
#define FC_AGENT_AGENT_INT_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "agent/agent.h"
#include "audit/audit.h"
#include "conf.h"
#include "container/container.h"
#include "proc/proc.h"
#include "rules/fields.h"
#include "outputs/alert.h"
#include "outputs/msg.h"
#include "outputs/outputs.h"
#include "outputs/store.h"
#include "rules/engine.h"

struct api;

/* One generation of reloadable state: replaced as a whole on SIGHUP. */
struct agent_gen {
	struct fc_conf		*conf;
	struct rule_engine	*engine;
	struct out_set		*outs;
	struct fc_alert_format	 fmt;
};

struct agent_src;

struct agent {
	struct agent_opts	 opts;
	struct agent_gen	*gen;		/* the core thread's */
	_Atomic(struct agent_gen *) pending;	/* main -> core */
	_Atomic(struct agent_gen *) retired;	/* core -> main, to free */
	_Atomic(struct out_set *) outs_live;	/* for internal alerts */
	struct rule_matcher	*matcher;
	struct aud_corr		*corr;
	struct out_store	*store;
	struct api		*api;
	struct agent_src	*src;
	char			 hostname[256];

	/* Enrichment (live mode): process table, connector, containers. */
	struct ptree		*pt;
	struct pconn		*pc;
	struct ctr_cache	*ctrs;
	pthread_t		 proc_thread;
	bool			 proc_started;

	/* fanotify beside audit (off by default). */
	struct fan_src		*fan;
	bool			 fan_enabled;	/* fanotify.enabled at start */
	struct agent_froots	*froots;	/* containers' roots (agent_fanroot.c) */
	struct fan_dedup	*fan_dedup;
	struct fc_event		 fan_ev;
	uint64_t		 fan_num;

	atomic_bool		 stop;
	pthread_t		 core;
	bool			 core_started;

	/* Counters for /metrics and /health (relaxed atomics). */
	atomic_uint_fast64_t	 records, events, alerts, malformed;
	atomic_uint_fast64_t	 last_event_ms;	/* wall clock */
	atomic_uint_fast64_t	 events_by_type[EVT_MAX_TYPES];
};

/* ---- agent_gen.c: configuration and rules generations ---- */
struct agent_gen *agent_gen_load(struct agent *a, char *err, size_t errlen);
void	agent_gen_free(struct agent_gen *g);

/* ---- agent_pipe.c: event -> rules -> alerts -> store and outputs ---- */
void	agent_on_event(const struct fc_event *ev, void *arg);
void	agent_publish(struct agent *a, struct out_msg *m);
void	agent_internal_alert(void *ctx, int priority, const char *rule,
	    const char *text, const char *const *kv);

/* ---- agent_src.c: where records come from ---- */
struct agent_src *agent_src_open(struct agent *a, char *err, size_t errlen);
/* audit.mode: none: no audit source at all (fanotify and the connector). */
bool	agent_src_audit_none(struct fc_conf *c);
/* Feed what is available to the correlator, waiting at most timeout_ms. */
int	agent_src_poll(struct agent_src *s, struct aud_corr *corr, int timeout_ms);
const char *agent_src_name(const struct agent_src *s);
bool	agent_src_up(const struct agent_src *s);
uint64_t agent_src_lost(const struct agent_src *s);
void	agent_src_close(struct agent_src *s);

/* ---- agent_enrich.c: process table and containers ---- */
int	agent_enrich_start(struct agent *a, char *err, size_t errlen);
void	agent_enrich_stop(struct agent *a);
void	agent_enrich_event(struct agent *a, const struct fc_event *ev,
	    struct fld_enrich *en);
void	agent_enrich_done(struct fld_enrich *en);

/* ---- agent_fan.c: fanotify beside audit ---- */
struct fan_src;
struct fan_dedup;
int	agent_fan_start(struct agent *a, char *err, size_t errlen);
void	agent_fan_poll(struct agent *a);
void	agent_fan_note(struct agent *a, const struct fc_event *ev);
void	agent_fan_stop(struct agent *a);
/* After a reload: the marks follow the new rules' paths (main thread). */
void	agent_fan_rewatch(struct agent *a, const struct agent_gen *g);

/* ---- agent_fanroot.c: containers' roots under the fanotify marks ---- */
struct agent_froots;
struct agent_froot_stats {
	uint64_t	 marked;	/* containers marked now */
	uint64_t	 released;	/* containers gone, marks released */
	uint64_t	 overflow;	/* not tracked: the table was full */
	uint64_t	 failed;	/* mark attempts that failed */
	size_t		 max;
};
struct agent_froots *agent_froot_new(size_t max);
void	agent_froot_free(struct agent_froots *r);
void	agent_froot_set_src(struct agent_froots *r, struct fan_src *fan);
/* ptree's cid_seen hook (arg: the agent); any thread. */
void	agent_froot_seen(void *arg, pid_t pid, const char *cid);
/* The connector thread: mark new containers, release gone ones. */
void	agent_froot_run(struct agent *a, uint64_t now_ns);
void	agent_froot_stats(struct agent_froots *r, struct agent_froot_stats *st);

/* ---- agent_api.c: health, metrics and rules for the HTTP API ---- */
int	agent_api_start(struct agent *a, char *err, size_t errlen);

uint64_t agent_now_ms(void);

#endif
