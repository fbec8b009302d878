/*
 * agent_src.c - where the agent's audit records come from.
 *
 * Three kinds today:
 *   - replay: an audit log file (or '-'), read once; its records' own
 *     time drives the correlator, and everything is flushed at the end;
 *   - the kernel (audit netlink: unicast, multicast, or auditd's plugin
 *     pipe), through src/audit/nl.h when it is built in;
 *   - none (audit.mode: none): no audit at all, no netlink socket and no
 *     audit rules; events come from fanotify (agent_fan.c) and processes
 *     from the proc connector.  For hosts without audit, and for tests
 *     that want fanotify's events without audit's copies suppressing them.
 * The agent's core thread calls agent_src_poll() in a loop; a poll never
 * blocks longer than its timeout, so the correlator can age events.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "agent/agent_int.h"
#include "audit/nl.h"
#include "core/log.h"

#define REPLAY_BATCH	4096	/* lines per poll, so signals are seen */
#define LIVE_BATCH	4096	/* records per poll */
#define CHECK_EVERY_MS	1000	/* drops and audit-rule checks */
#define RULES_KEY	"falconet"

struct agent_src {
	struct agent		*a;
	/* replay */
	int			 fd;
	struct aud_logread	*lr;
	bool			 done;
	uint64_t		 now;	/* newest record time, ms */
	uint64_t		 lineno;
	bool			 none;	/* audit.mode: none */
	/* live */
	struct aud_src		*live;
	char			*buf;	/* AUD_SRC_REC_MAX */
	const struct rule_engine *rules_for;	/* engine our audit rules match */
	struct evt_set		 installed;	/* the syscalls of those rules */
	uint64_t		 next_check;
	bool			 recheck;	/* a CONFIG_CHANGE removed rules */
	struct aud_src_stats	 last;	/* at the previous drop check */

	const char		*name;
	char			 namebuf[32];
	struct log_limit	 malformed_log;
};

/* ---- The kernel: audit netlink or auditd's plugin pipe ---------------- */

static bool
same_set(const struct evt_set *a, const struct evt_set *b)
{
	return a->all == b->all && memcmp(a->bits, b->bits,
	    sizeof(a->bits)) == 0;
}

/*
 * Install audit rules for the syscalls the engine's enabled rules need;
 * unless force, only when they differ from the installed ones.
 */
static int
live_rules(struct agent_src *s, const struct rule_engine *e, bool force,
    char *err, size_t errlen)
{
	const char *names[EVT_MAX_TYPES];
	struct aud_rules_opts ro = { .key = RULES_KEY };
	struct evt_set set;
	size_t i, n = evt_type_count();
	int rc;

	rule_engine_syscalls(e, &set);
	if (!force && s->rules_for != NULL && same_set(&set, &s->installed)) {
		/*
		 * A reload that needs the same syscalls: the rules in the
		 * kernel stay, rather than a remove and add that would leave
		 * a moment without them (and events unseen).
		 */
		s->rules_for = e;
		return 0;
	}
	for (i = 0; i < n; i++)
		if (evt_set_has(&set, (int)i))
			names[ro.nsyscalls++] = evt_type_name((int)i);
	ro.syscalls = names;
	if ((rc = aud_rules_install(&ro, err, errlen)) < 0)
		return rc;
	s->rules_for = e;
	s->installed = set;
	log_info("audit rules installed for %zu syscalls (key %s)",
	    ro.nsyscalls, RULES_KEY);
	return 0;
}

static struct agent_src *
live_open(struct agent_src *s, char *err, size_t errlen)
{
	struct aud_src_opts o;

	aud_src_conf(s->a->gen->conf, &o);
	if (s->a->opts.audit_plugin) {
		o.mode = AUD_MODE_PLUGIN;
		o.plugin_stdin = true;
	}
	if ((s->buf = malloc(AUD_SRC_REC_MAX)) == NULL ||
	    (s->live = aud_src_open(&o, err, errlen)) == NULL)
		goto bad;
	snprintf(s->namebuf, sizeof(s->namebuf), "audit-%s",
	    aud_mode_name(aud_src_mode(s->live)));
	s->name = s->namebuf;
	if (live_rules(s, s->a->gen->engine, true, err, errlen) != 0)
		goto bad;
	return s;
bad:
	if (s->live != NULL)
		aud_src_close(s->live);
	free(s->buf);
	free(s);
	return NULL;
}

/* Falco's drop alert, so tools that watch for it keep working. */
static void
drop_alert(struct agent *a, const char *what, uint64_t n, uint64_t total)
{
	char ns[24], ts[24], text[160];
	const char *kv[] = { "n_drops", ns, "n_drops_total", ts, "cause", what,
	    NULL };

	snprintf(ns, sizeof(ns), "%llu", (unsigned long long)n);
	snprintf(ts, sizeof(ts), "%llu", (unsigned long long)total);
	snprintf(text, sizeof(text), "Falco internal: syscall event drop. "
	    "%llu system calls dropped in last second.", (unsigned long long)n);
	agent_internal_alert(a, FC_PRI_DEBUG,
	    "Falco internal: syscall event drop", text, kv);
}

/* Every second: raise drop alerts for new losses, check our audit rules. */
static void
live_check(struct agent_src *s)
{
	struct aud_rules_opts ro = { .key = RULES_KEY };
	struct aud_src_stats st;
	char err[512];
	uint64_t now = agent_now_ms();

	if (now < s->next_check && !s->recheck)
		return;
	s->next_check = now + CHECK_EVERY_MS;
	aud_src_stats(s->live, &st);
	if (st.kernel_lost_delta > s->last.kernel_lost_delta)
		drop_alert(s->a, "kernel", st.kernel_lost_delta -
		    s->last.kernel_lost_delta, st.kernel_lost_delta);
	if (st.queue_drops > s->last.queue_drops)
		drop_alert(s->a, "queue", st.queue_drops - s->last.queue_drops,
		    st.queue_drops);
	if (st.enobufs > s->last.enobufs)
		drop_alert(s->a, "socket", st.enobufs - s->last.enobufs,
		    st.enobufs);
	s->last = st;
	s->recheck = false;
	if (s->rules_for != s->a->gen->engine) {
		/* A reload changed the rules: the syscalls may differ. */
		if (live_rules(s, s->a->gen->engine, false, err,
		    sizeof(err)) != 0)
			log_warnx("audit rules: %s", err);
		return;
	}
	ro.syscalls = NULL;
	if (aud_rules_check(&ro, err, sizeof(err)) == 0) {
		const char *kv[] = { "reason", err, NULL };
		agent_internal_alert(s->a, FC_PRI_WARNING,
		    "Falconet internal: audit rules removed",
		    "Our audit rules were removed by someone else; reinstalling "
		    "them", kv);
		if (live_rules(s, s->a->gen->engine, true, err,
		    sizeof(err)) != 0)
			log_warnx("audit rules: %s", err);
	}
}

static int
live_poll(struct agent_src *s, struct aud_corr *corr, int timeout_ms)
{
	struct aud_record rec;
	int rc, n = 0;

	while (n < LIVE_BATCH) {
		rc = aud_src_next(s->live, &rec, s->buf, AUD_SRC_REC_MAX,
		    n == 0 ? timeout_ms : 0);
		if (rc <= 0) {
			if (rc == -ENODATA && !s->done) {
				log_info("auditd closed the plugin pipe: stopping");
				s->done = true;
				atomic_store(&s->a->stop, true);
			}
			break;
		}
		n++;
		atomic_fetch_add_explicit(&s->a->records, 1,
		    memory_order_relaxed);
		if (rec.type == 1305 && aud_rec_rules_changed(&rec, RULES_KEY))
			s->recheck = true;
		aud_corr_add(corr, &rec, agent_now_ms());
	}
	live_check(s);
	return n;
}

/* ---- Public ------------------------------------------------------------ */

bool
agent_src_audit_none(struct fc_conf *c)
{
	const char *m = conf_str(c, "audit.mode", "auto");

	return m != NULL && strcmp(m, "none") == 0;
}

struct agent_src *
agent_src_open(struct agent *a, char *err, size_t errlen)
{
	struct agent_src *s = calloc(1, sizeof(*s));
	const char *path = a->opts.replay_path;

	if (s == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	s->a = a;
	s->malformed_log.interval_ns = 10000000000ull;
	if (path == NULL && agent_src_audit_none(a->gen->conf)) {
		if (a->opts.audit_plugin) {
			snprintf(err, errlen, "--audit-plugin and audit.mode "
			    "none contradict each other");
			free(s);
			return NULL;
		}
		if (!conf_bool(a->gen->conf, "fanotify.enabled", false))
			log_warnx("audit.mode none without fanotify.enabled: "
			    "no source of events");
		s->none = true;
		s->name = "none";
		return s;
	}
	if (path == NULL)
		return live_open(s, err, errlen);
	s->name = "replay";
	s->fd = strcmp(path, "-") == 0 ? STDIN_FILENO :
	    open(path, O_RDONLY | O_CLOEXEC);
	if (s->fd < 0 || (s->lr = aud_logread_new(s->fd)) == NULL) {
		snprintf(err, errlen, "cannot read '%s': %s", path,
		    strerror(errno));
		if (s->fd > STDIN_FILENO)
			close(s->fd);
		free(s);
		return NULL;
	}
	return s;
}

static void
replay_line(struct agent_src *s, struct aud_corr *corr, const char *line,
    size_t len, bool too_long)
{
	struct aud_record rec;
	enum aud_rec_err e;
	uint64_t t;

	s->lineno++;
	e = too_long ? AUD_REC_BINARY : aud_rec_parse_line(line, len, &rec);
	if (e == AUD_REC_EMPTY)
		return;
	if (e != AUD_REC_OK) {
		atomic_fetch_add_explicit(&s->a->malformed, 1,
		    memory_order_relaxed);
		log_limited(&s->malformed_log, "%s:%llu: malformed record "
		    "(%s), skipped", s->a->opts.replay_path,
		    (unsigned long long)s->lineno, too_long ? "line too long" :
		    aud_rec_strerror(e));
		return;
	}
	atomic_fetch_add_explicit(&s->a->records, 1, memory_order_relaxed);
	t = rec.sec * 1000 + rec.msec;
	if (t > s->now)
		s->now = t;
	aud_corr_add(corr, &rec, s->now);
	aud_corr_tick(corr, s->now);
}

int
agent_src_poll(struct agent_src *s, struct aud_corr *corr, int timeout_ms)
{
	const char *line;
	size_t len;
	bool too_long;
	int rc, n = 0;

	if (s->live != NULL)
		return live_poll(s, corr, timeout_ms);
	if (s->done || s->none) {
		(void)poll(NULL, 0, timeout_ms);
		return 0;
	}
	while (n < REPLAY_BATCH &&
	    (rc = aud_logread_next(s->lr, &line, &len, &too_long)) > 0) {
		replay_line(s, corr, line, len, too_long);
		n++;
	}
	if (n < REPLAY_BATCH) {
		/* End of input (or a read error): complete what is in flight. */
		aud_corr_flush(corr);
		s->done = true;
		log_info("replay of '%s' done: %llu lines", s->a->opts.replay_path,
		    (unsigned long long)s->lineno);
	}
	return n;
}

const char *
agent_src_name(const struct agent_src *s)
{
	return s->name;
}

bool
agent_src_up(const struct agent_src *s)
{
	return s != NULL && !(s->live != NULL && s->done);
}

uint64_t
agent_src_lost(const struct agent_src *s)
{
	struct aud_src_stats st;

	if (s == NULL || s->live == NULL)
		return 0;
	aud_src_stats(s->live, &st);
	return st.kernel_lost_delta + st.queue_drops + st.enobufs;
}

void
agent_src_close(struct agent_src *s)
{
	char err[512];

	if (s == NULL)
		return;
	if (s->live != NULL) {
		/* Ours only: nobody else's audit rules are touched. */
		if (aud_rules_remove_ours(RULES_KEY, err, sizeof(err)) < 0)
			log_warnx("removing our audit rules: %s", err);
		aud_src_close(s->live);
		free(s->buf);
		free(s);
		return;
	}
	aud_logread_free(s->lr);
	if (s->fd > STDIN_FILENO)
		close(s->fd);
	free(s);
}
