/*
 * out_set.c - the set of output channels: configuration, fan-out of each
 * message to the channels' rings, reopen, counters, shutdown, and the
 * monitor thread that turns failures and drops into internal alerts.
 *
 * Owns: the channels (out_chan.c) and the monitor thread.  Borrows the
 * messages given to out_set_publish(); each ring holds its own reference.
 *
 * DESIGN: the monitor wakes once a second, compares each channel's failed
 * and dropped counters with what it last reported, and calls the alert
 * hook at most once per channel per OUT_ALERT_INTERVAL_S with the counts
 * since the last alert.  Raising alerts from this thread, never from
 * out_set_publish() or a worker, keeps the hook (which may publish again)
 * away from every lock, and a failing channel can never alert in a loop.
 */
#include "config.h"

#include <curl/curl.h>
#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "conf.h"
#include "outputs/out_int.h"

#define OUT_DRAIN_DEFAULT_MS	5000
#define OUT_DRAIN_MAX_MS	600000
#define OUT_ALERT_RULE		"Falconet internal: output channel failure"

struct out_set {
	int		 min_priority;		/* messages with priority > this are filtered */
	uint64_t	 drain_ms;
	struct out_hooks hooks;
	bool		 enabled[OUT_CH_MAX + 1];
	struct out_chan	 ch[OUT_CH_MAX + 1];
	bool		 curl_inited;

	uint64_t	 published, filtered;	/* relaxed atomics */

	pthread_t	 mon;
	bool		 mon_started;
	pthread_mutex_t	 mon_mu;
	pthread_cond_t	 mon_cv;
	bool		 mon_stop;
};

static const char *const chan_names[OUT_CH_MAX + 1] = {
	"stdout", "file", "syslog", "program", "http",
};

static int (*const chan_init[OUT_CH_MAX + 1])(struct out_chan *,
    struct fc_conf *) = {
	out_stdout_init, out_file_init, out_syslog_init, out_program_init,
	out_http_init,
};

/* ---- monitor ---------------------------------------------------------- */

static void
raise_alert(struct out_set *s, int k, uint64_t nfail, uint64_t ndrop)
{
	struct out_chan *ch = &s->ch[k];
	char f[24], d[24], ft[24], dt[24], err[256], text[160];
	const char *kv[13];
	size_t n = 0;

	snprintf(f, sizeof(f), "%" PRIu64, nfail);
	snprintf(d, sizeof(d), "%" PRIu64, ndrop);
	snprintf(ft, sizeof(ft), "%" PRIu64, ch->rep_failed);
	snprintf(dt, sizeof(dt), "%" PRIu64, ch->rep_dropped);
	out_chan_geterr(ch, err, sizeof(err));
	snprintf(text, sizeof(text), "Falconet internal: output channel %s %s",
	    chan_names[k], nfail > 0 ? "failing" : "dropping alerts");
	kv[n++] = "channel";
	kv[n++] = chan_names[k];
	kv[n++] = "failed";
	kv[n++] = f;
	kv[n++] = "dropped";
	kv[n++] = d;
	kv[n++] = "failed_total";
	kv[n++] = ft;
	kv[n++] = "dropped_total";
	kv[n++] = dt;
	if (nfail > 0 && err[0] != '\0') {
		kv[n++] = "error";
		kv[n++] = err;
	}
	kv[n] = NULL;
	OUT_RELAXED_ADD(&ch->alerts, 1);
	s->hooks.alert(s->hooks.ctx, nfail > 0 ? FC_PRI_ERROR : FC_PRI_WARNING,
	    OUT_ALERT_RULE, text, kv);
}

static void
monitor_check(struct out_set *s, uint64_t now)
{
	uint64_t interval = (uint64_t)OUT_ALERT_INTERVAL_S * 1000000000ull;
	uint64_t f, d, nf, nd;
	struct out_chan *ch;

	for (int k = 0; k <= OUT_CH_MAX; k++) {
		if (!s->enabled[k])
			continue;
		ch = &s->ch[k];
		f = OUT_RELAXED_LOAD(&ch->failed);
		d = OUT_RELAXED_LOAD(&ch->dropped);
		nf = f - ch->rep_failed;
		nd = d - ch->rep_dropped;
		if (nf == 0 && nd == 0)
			continue;
		if (ch->last_alert_ns != 0 && now - ch->last_alert_ns < interval)
			continue;
		ch->rep_failed = f;
		ch->rep_dropped = d;
		ch->last_alert_ns = now;
		if (s->hooks.alert != NULL)
			raise_alert(s, k, nf, nd);
	}
}

static void *
monitor_main(void *arg)
{
	struct out_set *s = arg;
	struct timespec ts;
	uint64_t wake;

	pthread_mutex_lock(&s->mon_mu);
	while (!s->mon_stop) {
		wake = out_now_ns() + 1000000000ull;
		ts.tv_sec = (time_t)(wake / 1000000000ull);
		ts.tv_nsec = (long)(wake % 1000000000ull);
		pthread_cond_timedwait(&s->mon_cv, &s->mon_mu, &ts);
		if (s->mon_stop)
			break;
		pthread_mutex_unlock(&s->mon_mu);
		monitor_check(s, out_now_ns());
		pthread_mutex_lock(&s->mon_mu);
	}
	pthread_mutex_unlock(&s->mon_mu);
	return NULL;
}

static int
monitor_start(struct out_set *s)
{
	pthread_condattr_t ca;
	sigset_t all, old;
	int rc;

	pthread_mutex_init(&s->mon_mu, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&s->mon_cv, &ca);
	pthread_condattr_destroy(&ca);
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	rc = pthread_create(&s->mon, NULL, monitor_main, s);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0)
		return -rc;
	s->mon_started = true;
	return 0;
}

static void
monitor_stop(struct out_set *s)
{
	if (!s->mon_started)
		return;
	pthread_mutex_lock(&s->mon_mu);
	s->mon_stop = true;
	pthread_cond_signal(&s->mon_cv);
	pthread_mutex_unlock(&s->mon_mu);
	pthread_join(s->mon, NULL);
	s->mon_started = false;
	pthread_cond_destroy(&s->mon_cv);
	pthread_mutex_destroy(&s->mon_mu);
}

/* ---- configuration ----------------------------------------------------- */

static int
read_priority(struct fc_conf *c)
{
	const char *v = conf_get(c, "priority");
	int p;

	if (v == NULL || *v == '\0')
		return FC_PRI_DEBUG;
	p = fc_priority_parse(v, strlen(v));
	if (p < 0) {
		conf_error(c, "priority", "expected a priority (emergency, alert, "
		    "critical, error, warning, notice, informational, debug), "
		    "got '%s'", v);
		return FC_PRI_DEBUG;
	}
	return p;
}

static void
read_common(struct out_set *s, struct fc_conf *c, bool *json, size_t *cap)
{
	int64_t q;

	*json = conf_bool(c, "json_output", false);
	s->min_priority = read_priority(c);
	/* Falco's 0 means unbounded; we never allow that (docs/outputs.md). */
	q = conf_int(c, "outputs_queue.capacity", 0, OUT_QUEUE_MAX, 0);
	*cap = q == 0 ? OUT_QUEUE_DEFAULT : (size_t)q;
	s->drain_ms = (uint64_t)conf_int(c, "outputs_queue.drain_timeout_ms",
	    0, OUT_DRAIN_MAX_MS, OUT_DRAIN_DEFAULT_MS);
}

static bool
chan_wanted(struct fc_conf *c, int k)
{
	char key[64];

	snprintf(key, sizeof(key), "%s_output.enabled", chan_names[k]);
	/* Falco's defaults: stdout and syslog on, the others off. */
	return conf_bool(c, key, k == OUT_CH_STDOUT || k == OUT_CH_SYSLOG);
}

struct out_set *
out_set_new(struct fc_conf *conf, const struct out_hooks *hooks)
{
	struct out_set *s = calloc(1, sizeof(*s));
	size_t cap;
	bool json;

	if (s == NULL)
		return NULL;
	if (hooks != NULL)
		s->hooks = *hooks;
	read_common(s, conf, &json, &cap);
	if (chan_wanted(conf, OUT_CH_HTTP)) {
		/* Once per set, before any worker uses libcurl. */
		if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
			goto fail;
		s->curl_inited = true;
	}
	for (int k = 0; k <= OUT_CH_MAX; k++) {
		if (!chan_wanted(conf, k))
			continue;
		s->ch[k].json = json;
		if (chan_init[k](&s->ch[k], conf) != 0)
			continue;	/* the reason is in conf's errors */
		if (out_chan_start(&s->ch[k], cap) != 0) {
			if (s->ch[k].ops->fini != NULL)
				s->ch[k].ops->fini(&s->ch[k]);
			goto fail;
		}
		s->enabled[k] = true;
	}
	if (monitor_start(s) != 0)
		goto fail;
	return s;
fail:
	out_set_free(s);
	return NULL;
}

/* ---- operation --------------------------------------------------------- */

void
out_set_publish(struct out_set *s, struct out_msg *m)
{
	OUT_RELAXED_ADD(&s->published, 1);
	if (m->priority > s->min_priority) {
		OUT_RELAXED_ADD(&s->filtered, 1);
		return;
	}
	for (int k = 0; k <= OUT_CH_MAX; k++)
		if (s->enabled[k])
			out_chan_push(&s->ch[k], m);
}

void
out_set_reopen(struct out_set *s)
{
	for (int k = 0; k <= OUT_CH_MAX; k++)
		if (s->enabled[k])
			out_chan_reopen(&s->ch[k]);
}

bool
out_set_enabled(const struct out_set *s, enum out_chan_kind kind)
{
	return (unsigned)kind <= OUT_CH_MAX && s->enabled[kind];
}

void
out_set_stats(const struct out_set *s, struct out_stats *st)
{
	const struct out_chan *ch;
	struct out_chan_stats *o;

	memset(st, 0, sizeof(*st));
	st->published = OUT_RELAXED_LOAD(&s->published);
	st->filtered = OUT_RELAXED_LOAD(&s->filtered);
	for (int k = 0; k <= OUT_CH_MAX; k++) {
		ch = &s->ch[k];
		o = &st->ch[k];
		o->name = chan_names[k];
		o->enabled = s->enabled[k];
		o->sent = OUT_RELAXED_LOAD(&ch->sent);
		o->dropped = OUT_RELAXED_LOAD(&ch->dropped);
		o->failed = OUT_RELAXED_LOAD(&ch->failed);
		o->retries = OUT_RELAXED_LOAD(&ch->retries);
		o->restarts = OUT_RELAXED_LOAD(&ch->restarts);
		o->alerts = OUT_RELAXED_LOAD(&ch->alerts);
		o->depth = OUT_RELAXED_LOAD(&ch->depth);
		o->high_water = OUT_RELAXED_LOAD(&ch->high_water);
		o->capacity = ch->cap;
	}
}

void
out_set_free(struct out_set *s)
{
	uint64_t deadline;

	if (s == NULL)
		return;
	/* First the monitor: its hook may publish into the channels. */
	monitor_stop(s);
	deadline = out_now_ns() + s->drain_ms * 1000000ull;
	for (int k = 0; k <= OUT_CH_MAX; k++)
		if (s->ch[k].started)
			out_chan_stop(&s->ch[k], deadline);
	for (int k = 0; k <= OUT_CH_MAX; k++)
		out_chan_join(&s->ch[k]);
	if (s->curl_inited)
		curl_global_cleanup();
	free(s);
}
