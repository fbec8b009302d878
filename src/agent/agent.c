/*
 * agent.c - start-up, the core thread, signals, reload and shutdown.
 *
 * DESIGN.  The main thread blocks every signal before any thread starts
 * (so all threads inherit the mask) and reads them from a signalfd: no
 * work happens in a handler.  The core thread loops: take a pending
 * generation if the main thread left one (reload), then poll the source
 * for records with a short timeout, which also ages the correlator.  A
 * reload builds the new generation on the main thread, hands it over,
 * waits until the core thread has retired the old one, and only then
 * frees it, under the write side of gen_lock so that an HTTP handler
 * walking the rules never sees freed memory.
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "agent/agent_int.h"
#include "core/log.h"
#include "http/http.h"

#define CORE_POLL_MS	100
#define ERRLEN		8192

pthread_rwlock_t agent_gen_lock = PTHREAD_RWLOCK_INITIALIZER;

static void
core_swap(struct agent *a)
{
	struct agent_gen *g = atomic_exchange(&a->pending, NULL);
	struct rule_matcher *m;

	if (g == NULL)
		return;
	if ((m = rule_matcher_new(g->engine)) == NULL) {
		log_warnx("reload: out of memory, keeping the running rules");
		atomic_store(&a->retired, g);
		return;
	}
	rule_matcher_free(a->matcher);
	a->matcher = m;
	/* HTTP handlers read a->gen under the read lock. */
	pthread_rwlock_wrlock(&agent_gen_lock);
	atomic_store(&a->retired, a->gen);
	a->gen = g;
	pthread_rwlock_unlock(&agent_gen_lock);
	atomic_store_explicit(&a->outs_live, g->outs, memory_order_release);
}

static void *
core_main(void *arg)
{
	struct agent *a = arg;
	bool live = a->opts.replay_path == NULL;

	while (!atomic_load_explicit(&a->stop, memory_order_relaxed)) {
		core_swap(a);
		(void)agent_src_poll(a->src, a->corr,
		    a->fan != NULL ? CORE_POLL_MS / 10 : CORE_POLL_MS);
		if (live)
			aud_corr_tick(a->corr, agent_now_ms());
		agent_fan_poll(a);
	}
	aud_corr_flush(a->corr);
	return NULL;
}

static void
reload(struct agent *a)
{
	char *err = calloc(1, ERRLEN);
	struct agent_gen *g, *old;

	if (err == NULL)
		return;
	log_info("SIGHUP: reloading configuration and rules");
	if ((g = agent_gen_load(a, err, ERRLEN)) == NULL) {
		log_warnx("reload failed, keeping the running configuration "
		    "and rules:\n%s", err);
		free(err);
		return;
	}
	free(err);
	atomic_store(&a->pending, g);
	while ((old = atomic_exchange(&a->retired, NULL)) == NULL &&
	    !atomic_load(&a->stop))
		(void)poll(NULL, 0, 10);
	pthread_rwlock_wrlock(&agent_gen_lock);
	agent_gen_free(old);
	pthread_rwlock_unlock(&agent_gen_lock);
	if (old == g)
		return;
	agent_fan_rewatch(a, g);
	log_info("reload done: %zu rules loaded", rule_engine_nrules(g->engine));
}

/* Read signals until one asks us to stop. */
static void
signal_loop(struct agent *a, int sfd)
{
	struct signalfd_siginfo si;
	struct pollfd pfd = { .fd = sfd, .events = POLLIN };

	while (!atomic_load(&a->stop)) {
		if (poll(&pfd, 1, 1000) <= 0)
			continue;
		if (read(sfd, &si, sizeof(si)) != sizeof(si))
			continue;
		switch (si.ssi_signo) {
		case SIGHUP:
			reload(a);
			out_set_reopen(a->gen->outs);
			break;
		case SIGUSR1:
			log_info("SIGUSR1: reopening output files");
			out_set_reopen(a->gen->outs);
			break;
		default:
			log_info("signal %u: shutting down", si.ssi_signo);
			atomic_store(&a->stop, true);
			break;
		}
	}
}

static int
block_signals(void)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGPIPE);
	if (pthread_sigmask(SIG_BLOCK, &set, NULL) != 0)
		return -1;
	sigdelset(&set, SIGPIPE);
	return signalfd(-1, &set, SFD_CLOEXEC);
}

static void
init_logging(struct fc_conf *c)
{
	const char *lvl = conf_str(c, "log_level", "info");
	enum log_level l = LOG_LVL_INFO;

	if (!strcmp(lvl, "debug"))
		l = LOG_LVL_DEBUG;
	else if (!strcmp(lvl, "warning") || !strcmp(lvl, "notice"))
		l = LOG_LVL_WARN;
	else if (!strcmp(lvl, "error") || !strcmp(lvl, "critical") ||
	    !strcmp(lvl, "alert") || !strcmp(lvl, "emergency"))
		l = LOG_LVL_ERR;
	log_init(conf_bool(c, "log_syslog", false) &&
	    !conf_bool(c, "log_stderr", true), l);
}

static int
start(struct agent *a, char *err)
{
	struct out_store_config sc;
	struct aud_corr_opts co;

	if ((a->gen = agent_gen_load(a, err, ERRLEN)) == NULL)
		return -1;
	init_logging(a->gen->conf);
	if (a->opts.check_only)
		return 0;
	atomic_store(&a->outs_live, a->gen->outs);
	co.max_in_flight = (unsigned)conf_int(a->gen->conf,
	    "audit.max_in_flight", 16, 1 << 20, 4096);
	co.timeout_ms = (unsigned)conf_int(a->gen->conf,
	    "audit.event_timeout_ms", 0, 600000, 2000);
	out_store_conf_read(a->gen->conf, &sc);
	if (conf_nerrors(a->gen->conf) > 0) {
		snprintf(err, ERRLEN, "%s", conf_error_msg(a->gen->conf, 0));
		return -1;
	}
	if ((a->store = out_store_new(sc.ring_size, sc.spool_dir, &sc.spool,
	    err)) == NULL)
		return -1;
	if ((a->corr = aud_corr_new(&co, agent_on_event, a)) == NULL ||
	    (a->matcher = rule_matcher_new(a->gen->engine)) == NULL) {
		snprintf(err, ERRLEN, "out of memory");
		return -1;
	}
	if (a->opts.replay_path == NULL &&
	    agent_enrich_start(a, err, ERRLEN) != 0)
		return -1;
	if ((a->src = agent_src_open(a, err, ERRLEN)) == NULL)
		return -1;
	if (a->opts.replay_path == NULL && agent_fan_start(a, err, ERRLEN) != 0)
		return -1;
	return agent_api_start(a, err, ERRLEN);
}

static void
shutdown_agent(struct agent *a)
{
	atomic_store(&a->stop, true);
	if (a->core_started)
		pthread_join(a->core, NULL);
	api_stop(a->api);
	agent_src_close(a->src);
	/* The connector thread marks containers: it stops before fanotify. */
	agent_enrich_stop(a);
	agent_fan_stop(a);
	rule_matcher_free(a->matcher);
	aud_corr_free(a->corr);
	agent_gen_free(a->gen);
	agent_gen_free(atomic_exchange(&a->pending, NULL));
	out_store_free(a->store);
}

int
agent_main(const struct agent_opts *o)
{
	struct agent *a = calloc(1, sizeof(*a));
	char *err = calloc(1, ERRLEN);
	int sfd = -1, rc = 1;

	if (a == NULL || err == NULL) {
		fprintf(stderr, "falconet: out of memory\n");
		goto out;
	}
	a->opts = *o;
	if (gethostname(a->hostname, sizeof(a->hostname) - 1) != 0)
		snprintf(a->hostname, sizeof(a->hostname), "localhost");
	if ((sfd = block_signals()) < 0) {
		fprintf(stderr, "falconet: signalfd: %s\n", strerror(errno));
		goto out;
	}
	if (start(a, err) != 0) {
		fprintf(stderr, "falconet: %s\n", err);
		goto out;
	}
	if (o->check_only) {
		printf("configuration OK: %zu rules loaded\n",
		    rule_engine_nrules(a->gen->engine));
		rc = 0;
		goto out;
	}
	if (pthread_create(&a->core, NULL, core_main, a) != 0) {
		fprintf(stderr, "falconet: cannot start the core thread\n");
		goto out;
	}
	a->core_started = true;
	log_info("falconet %s running: %zu rules, source %s", PACKAGE_VERSION,
	    rule_engine_nrules(a->gen->engine), agent_src_name(a->src));
	signal_loop(a, sfd);
	rc = 0;
out:
	if (a != NULL)
		shutdown_agent(a);
	if (sfd >= 0)
		close(sfd);
	free(a);
	free(err);
	return rc;
}
