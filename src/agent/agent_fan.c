/*
 * agent_fan.c - fanotify beside audit: file events under the paths the
 * rules name, as syscall objects, de-duplicated against audit's.
 *
 * Off by default (fanotify.enabled).  The marks come from the rules that
 * are loaded at start (rule_engine_paths); a reload keeps the marks.
 * Audit's view of an operation wins: every audit event is noted in the
 * de-duplication table, and a fanotify event is held fanotify.hold_ms so
 * that audit's record of the same open has time to arrive and suppress
 * it.  What audit does not see (paths no audit rule covers) still alerts.
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

static bool
watchable(const char *p)
{
	return strncmp(p, "/proc", 5) != 0 && strncmp(p, "/sys", 4) != 0 &&
	    strncmp(p, "/dev", 4) != 0 && access(p, F_OK) == 0;
}

int
agent_fan_start(struct agent *a, char *err, size_t errlen)
{
	static char paths[FAN_MAX_WATCHES][RULE_PATH_MAX];
	struct fan_watch w[FAN_MAX_WATCHES];
	struct fan_src_opts o;
	size_t n, i, nw = 0;

	if (!conf_bool(a->gen->conf, "fanotify.enabled", false))
		return 0;
	fan_src_opts_default(&o);
	o.hold_ms = (unsigned)conf_int(a->gen->conf, "fanotify.hold_ms", 0,
	    10000, 100);
	o.unlimited_queue = conf_bool(a->gen->conf,
	    "fanotify.unlimited_queue", false);
	n = rule_engine_paths(a->gen->engine, paths, FAN_MAX_WATCHES);
	for (i = 0; i < n; i++)
		if (watchable(paths[i]))
			w[nw++] = (struct fan_watch){ paths[i], FAN_OP_READ |
			    FAN_OP_WRITE | FAN_OP_CLOSE_WRITE | FAN_OP_DIRENT };
	if (nw == 0) {
		log_info("fanotify: the rules name no path to watch");
		return 0;
	}
	o.watches = w;
	o.nwatches = nw;
	if ((a->fan = fan_src_open(&o, err, errlen)) == NULL)
		return -1;
	if ((a->fan_dedup = fan_dedup_new(8192, o.hold_ms)) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	fc_event_init(&a->fan_ev);
	log_info("fanotify: watching %zu paths from the rules", nw);
	return 0;
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
