/*
 * agent_fan.c - fanotify beside audit: file events under the paths the
 * rules name, as syscall objects, de-duplicated against audit's.
 *
 * Off by default (fanotify.enabled).  The marks come from the paths the
 * loaded rules name (rule_engine_paths), on the host and, through
 * agent_fanroot.c, in every container; a reload moves them to the new
 * rules' paths (agent_fan_rewatch), keeping those that stay.  Paths the
 * host lacks are watched too: containers may have them.
 * Audit's view of an operation wins: every audit event is noted in the
 * de-duplication table, and a fanotify event is held fanotify.hold_ms so
 * that audit's record of the same open has time to arrive and suppress
 * it.  What audit does not see (paths no audit rule covers) still alerts.
 * With audit.mode none there is nothing to wait for: hold_ms defaults
 * to 0.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "agent/agent_int.h"
#include "core/log.h"
#include "fanotify/fanotify.h"

#define FAN_MAX_WATCHES	64
#define FAN_BATCH	1024

/* The watches of an engine's paths (strings in paths[]). */
struct fan_wset {
	char		 paths[FAN_MAX_WATCHES][RULE_PATH_MAX];
	struct fan_watch w[FAN_MAX_WATCHES];
	size_t		 n;
};

static bool
watchable(const char *p)
{
	static const char *const bad[] = { "/proc", "/sys", "/dev", NULL };
	const char *const *b;
	size_t n;

	if (p[0] != '/')
		return false;
	for (b = bad; *b != NULL; b++) {
		n = strlen(*b);
		if (strncmp(p, *b, n) == 0 && (p[n] == '\0' || p[n] == '/'))
			return false;
	}
	return true;
}

static struct fan_wset *
wset_of(const struct rule_engine *e)
{
	struct fan_wset *ws = calloc(1, sizeof(*ws));
	size_t n, i;

	if (ws == NULL)
		return NULL;
	n = rule_engine_paths(e, ws->paths, FAN_MAX_WATCHES);
	for (i = 0; i < n; i++)
		if (watchable(ws->paths[i]))
			ws->w[ws->n++] = (struct fan_watch){ ws->paths[i],
			    FAN_OP_READ | FAN_OP_WRITE | FAN_OP_CLOSE_WRITE |
			    FAN_OP_DIRENT };
	return ws;
}

int
agent_fan_start(struct agent *a, char *err, size_t errlen)
{
	struct fan_src_opts o;
	struct fan_wset *ws;

	if (!(a->fan_enabled = conf_bool(a->gen->conf, "fanotify.enabled",
	    false)))
		return 0;
	fan_src_opts_default(&o);
	o.hold_ms = (unsigned)conf_int(a->gen->conf, "fanotify.hold_ms", 0,
	    10000, agent_src_audit_none(a->gen->conf) ? 0 : 100);
	o.unlimited_queue = conf_bool(a->gen->conf,
	    "fanotify.unlimited_queue", false);
	if ((ws = wset_of(a->gen->engine)) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (ws->n == 0) {
		log_info("fanotify: the rules name no path to watch");
		free(ws);
		return 0;
	}
	o.watches = ws->w;
	o.nwatches = ws->n;
	a->fan = fan_src_open(&o, err, errlen);
	free(ws);
	if (a->fan == NULL)
		return -1;
	if ((a->fan_dedup = fan_dedup_new(8192, o.hold_ms)) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	fc_event_init(&a->fan_ev);
	log_info("fanotify: watching %zu paths from the rules", o.nwatches);
	if (a->froots != NULL && a->proc_started)
		agent_froot_set_src(a->froots, a->fan);
	else
		log_warnx("fanotify: no process connector: containers' file "
		    "systems are not marked");
	return 0;
}

void
agent_fan_rewatch(struct agent *a, const struct agent_gen *g)
{
	struct fan_wset *ws;
	char err[512];
	int r;

	/* Opening or closing the source (its groups, its reader) is a restart's job. */
	if (a->fan_enabled != conf_bool(g->conf, "fanotify.enabled", false))
		log_warnx("fanotify.enabled changed: it takes effect when "
		    "falconet restarts (the fanotify source stays %s)",
		    a->fan_enabled ? "on" : "off");
	if (a->fan == NULL)
		return;
	if ((ws = wset_of(g->engine)) == NULL) {
		log_warnx("fanotify: out of memory: the marks stay those of "
		    "the previous rules");
		return;
	}
	if ((r = fan_src_set_watches(a->fan, ws->w, ws->n, err,
	    sizeof(err))) < 0)
		log_warnx("fanotify: the marks stay those of the previous "
		    "rules: %s", err);
	else
		log_info("fanotify: watching %zu paths from the reloaded "
		    "rules (%d marks added)", ws->n, r);
	free(ws);
}

/* Hand the fanotify events that are ready to the rules (core thread). */
void
agent_fan_poll(struct agent *a)
{
	int i;

	if (a->fan == NULL)
		return;
	for (i = 0; i < FAN_BATCH; i++) {
		if (fan_src_next(a->fan, &a->fan_ev, 0) != 1)
			break;
		if (fan_dedup_seen(a->fan_dedup, &a->fan_ev, agent_now_ms()))
			continue;
		a->fan_ev.ev_num = ++a->fan_num | (1ull << 63);
		agent_on_event(&a->fan_ev, a);
	}
}

/* Remember an audit event, so fanotify's view of it is dropped. */
void
agent_fan_note(struct agent *a, const struct fc_event *ev)
{
	if (a->fan_dedup != NULL && !(ev->ev_flags & FAN_EV_FANOTIFY))
		(void)fan_dedup_note(a->fan_dedup, ev, agent_now_ms());
}

void
agent_fan_stop(struct agent *a)
{
	if (a->fan == NULL)
		return;
	fan_src_close(a->fan);
	fan_dedup_free(a->fan_dedup);
	fc_event_fini(&a->fan_ev);
	a->fan = NULL;
}
