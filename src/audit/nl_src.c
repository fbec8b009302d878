/*
 * nl_src.c - the audit source's life cycle: mode selection, unicast
 * registration and settings (saved, restored on close, and kept in a
 * state file so that a successor can restore them after a kill -9),
 * multicast bind, plugin fd, the consumer's aud_src_next() and stats.
 *
 * Owns: both netlink sockets, the eventfd, the reader thread, the queue.
 * Borrows: the plugin fd.
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/stat.h>
#include <unistd.h>

#include "audit/nl_int.h"

#define RELAXED memory_order_relaxed
#define LOAD(s, f) atomic_load_explicit(&(s)->f, RELAXED)

void
aud_src_opts_default(struct aud_src_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->plugin_fd = 0;
	o->backlog_limit = 8192;
	o->backlog_wait_time = -1;
	o->failure = -1;
	o->rcvbuf = 32u << 20;
	o->queue_records = 65536;
	o->queue_bytes = 64u << 20;
	o->stats_interval_ms = 1000;
	o->batch_wait_ms = 1;
}

const char *
aud_mode_name(enum aud_mode m)
{
	switch (m) {
	case AUD_MODE_AUTO: return "auto";
	case AUD_MODE_UNICAST: return "unicast";
	case AUD_MODE_MULTICAST: return "multicast";
	case AUD_MODE_PLUGIN: return "plugin";
	}
	return "?";
}

static bool
pid_alive(uint32_t pid)
{
	return pid != 0 && (kill((pid_t)pid, 0) == 0 || errno == EPERM);
}

/* ---- state file: the settings before the first falconet changed them -- */

static int
state_write(const char *path, const struct aud_status *p)
{
	char tmp[4096];
	FILE *f;

	if (path == NULL)
		return 0;
	if (snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp))
		return -ENAMETOOLONG;
	{	/* The parent (e.g. /run/falconet) may not exist yet. */
		char dir[4096], *sl;

		snprintf(dir, sizeof(dir), "%s", path);
		if ((sl = strrchr(dir, '/')) != NULL && sl != dir) {
			*sl = '\0';
			(void)mkdir(dir, 0700);
		}
	}
	if ((f = fopen(tmp, "we")) == NULL)
		return -errno;
	fprintf(f, "falconet-audit-state 1\npid %d\nenabled %u\nfailure %u\n"
	    "backlog_limit %u\nbacklog_wait_time %u\n", (int)getpid(),
	    p->enabled, p->failure, p->backlog_limit, p->backlog_wait_time);
	if (fclose(f) != 0 || rename(tmp, path) < 0) {
		int e = errno;

		unlink(tmp);
		return -e;
	}
	return 0;
}

/* Saved settings of a dead predecessor; false when none or it lives. */
static bool
state_read(const char *path, struct aud_status *p)
{
	FILE *f;
	int pid, n;

	if (path == NULL || (f = fopen(path, "re")) == NULL)
		return false;
	n = fscanf(f, "falconet-audit-state 1 pid %d enabled %u failure %u "
	    "backlog_limit %u backlog_wait_time %u", &pid, &p->enabled,
	    &p->failure, &p->backlog_limit, &p->backlog_wait_time);
	fclose(f);
	if (n != 5 || pid <= 0 || pid == getpid() || pid_alive((uint32_t)pid))
		return false;
	return p->enabled <= 1 && p->failure <= 2;
}

/* ---- unicast ------------------------------------------------------------ */

/* Events that arrive on the registered socket before the reader runs. */
static void
early_event(const struct aud_nl_msg *m, void *arg)
{
	struct aud_src *s = arg;

	if (!m->trunc && m->type >= NLMSG_MIN_TYPE && m->type != AUDIT_REPLACE)
		aud_reader_push(s, AUD_Q_NETLINK, m->type, m->data, m->len);
}

static int
set_one(struct aud_src *s, uint32_t mask, uint32_t val)
{
	struct audit_status st;
	int r;

	memset(&st, 0, sizeof(st));
	st.mask = mask;
	switch (mask) {
	case AUDIT_STATUS_ENABLED: st.enabled = val; break;
	case AUDIT_STATUS_FAILURE: st.failure = val; break;
	case AUDIT_STATUS_BACKLOG_LIMIT: st.backlog_limit = val; break;
	case AUDIT_STATUS_BACKLOG_WAIT_TIME: st.backlog_wait_time = val; break;
	case AUDIT_STATUS_PID: st.pid = val; break;
	default: return -EINVAL;
	}
	pthread_mutex_lock(&s->ctl_mu);
	r = aud_nl_set_status(&s->ctl, &st, NULL);
	pthread_mutex_unlock(&s->ctl_mu);
	return r;
}

static void
restore(struct aud_src *s)
{
	/* Reverse order of unicast_settings(); enabled last but before pid. */
	if (s->changed & AUDIT_STATUS_BACKLOG_WAIT_TIME)
		(void)set_one(s, AUDIT_STATUS_BACKLOG_WAIT_TIME,
		    s->prev.backlog_wait_time);
	if (s->changed & AUDIT_STATUS_BACKLOG_LIMIT)
		(void)set_one(s, AUDIT_STATUS_BACKLOG_LIMIT, s->prev.backlog_limit);
	if (s->changed & AUDIT_STATUS_FAILURE)
		(void)set_one(s, AUDIT_STATUS_FAILURE, s->prev.failure);
	if (s->changed & AUDIT_STATUS_ENABLED)
		(void)set_one(s, AUDIT_STATUS_ENABLED, s->prev.enabled);
	s->changed = 0;
	if (!s->registered)
		return;	/* nothing restored: keep a predecessor's saved values */
	(void)set_one(s, AUDIT_STATUS_PID, 0);
	s->registered = false;
	if (s->state_written)
		unlink(s->state_file);
	s->state_written = false;
}

static int
unicast_settings(struct aud_src *s, const struct aud_status *cur, char *err,
    size_t errlen)
{
	const struct aud_src_opts *o = &s->o;
	const struct aud_status *p = &s->prev;
	struct {
		uint32_t mask; int64_t want; uint32_t now, prev; const char *name;
	} t[] = {
		{ AUDIT_STATUS_ENABLED, 1, cur->enabled, p->enabled, "enabled" },
		{ AUDIT_STATUS_FAILURE, o->failure, cur->failure, p->failure,
		  "failure" },
		{ AUDIT_STATUS_BACKLOG_LIMIT, o->backlog_limit, cur->backlog_limit,
		  p->backlog_limit, "backlog_limit" },
		{ AUDIT_STATUS_BACKLOG_WAIT_TIME, o->backlog_wait_time,
		  cur->backlog_wait_time, p->backlog_wait_time,
		  "backlog_wait_time" },
	};

	if (cur->enabled == AUD_LOCKED) {
		s->locked = true;	/* immutable (-e 2): not ours to change */
		return 0;
	}
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		int r;

		if (t[i].mask == AUDIT_STATUS_BACKLOG_WAIT_TIME &&
		    !(cur->feature_bitmap & AUDIT_FEATURE_BITMAP_BACKLOG_WAIT_TIME))
			continue;	/* kernel < 3.14: cannot be set */
		/* Restore on close whatever differs from the saved value,
		 * including what a killed predecessor (state file) set. */
		if (t[i].now != t[i].prev)
			s->changed |= t[i].mask;
		if (t[i].want < 0)
			continue;
		if ((uint32_t)t[i].want != t[i].prev)
			s->changed |= t[i].mask;
		if ((uint32_t)t[i].want == t[i].now)
			continue;
		if ((r = set_one(s, t[i].mask, (uint32_t)t[i].want)) < 0) {
			snprintf(err, errlen, "audit: cannot set %s to %lld: %s",
			    t[i].name, (long long)t[i].want, strerror(-r));
			return r;
		}
	}
	return 0;
}

static int
unicast_open(struct aud_src *s, const struct aud_status *cur, char *err,
    size_t errlen)
{
	struct aud_nl_wait w = { .other = early_event, .other_arg = s };
	struct audit_status reg;
	int r;

	if (pid_alive(cur->pid) && cur->pid != (uint32_t)getpid()) {
		snprintf(err, errlen, "audit: an audit daemon (pid %u) is "
		    "registered: use audit.mode multicast or plugin", cur->pid);
		return -EEXIST;
	}
	s->prev = *cur;
	if (!state_read(s->state_file, &s->prev))
		s->prev = *cur;
	else
		s->prev.pid = 0;
	if ((r = state_write(s->state_file, &s->prev)) < 0) {
		snprintf(err, errlen, "audit: state file %s: %s", s->state_file,
		    strerror(-r));
		return r;
	}
	s->state_written = s->state_file != NULL;
	r = aud_nl_open(&s->ev, 0, s->o.rcvbuf, err, errlen);
	if (r < 0)
		return r;
	memset(&reg, 0, sizeof(reg));
	reg.mask = AUDIT_STATUS_PID;
	reg.pid = (uint32_t)getpid();
	/* Sent on the event socket: the kernel delivers to its port id. */
	if ((r = aud_nl_set_status(&s->ev, &reg, &w)) < 0) {
		snprintf(err, errlen, "audit: cannot register as the audit daemon: "
		    "%s", r == -EEXIST ? "another daemon is registered" :
		    strerror(-r));
		return r;
	}
	s->registered = true;
	return unicast_settings(s, cur, err, errlen);
}

/* ---- open / close -------------------------------------------------------- */

static int
choose(struct aud_src *s, const struct aud_status *cur, bool have_status,
    char *err, size_t errlen)
{
	if (s->o.mode != AUD_MODE_AUTO) {
		s->mode = s->o.mode;
		return 0;
	}
	if (s->o.plugin_stdin) {
		s->mode = AUD_MODE_PLUGIN;
		return 0;
	}
	if (!have_status) {
		snprintf(err, errlen, "audit: AUDIT_GET failed: not root, or no "
		    "kernel audit support");
		return -EPERM;
	}
	s->mode = pid_alive(cur->pid) && cur->pid != (uint32_t)getpid() ?
	    AUD_MODE_MULTICAST : AUD_MODE_UNICAST;
	return 0;
}

static int
mode_open(struct aud_src *s, const struct aud_status *cur, char *err,
    size_t errlen)
{
	switch (s->mode) {
	case AUD_MODE_UNICAST:
		return unicast_open(s, cur, err, errlen);
	case AUD_MODE_MULTICAST:
		if (!aud_kernel_at_least(3, 16)) {
			snprintf(err, errlen, "audit: multicast needs kernel 3.16 "
			    "or later: use audit.mode plugin");
			return -EOPNOTSUPP;
		}
		return aud_nl_open(&s->ev, 1u << (AUDIT_NLGRP_READLOG - 1),
		    s->o.rcvbuf, err, errlen);
	case AUD_MODE_PLUGIN:
		s->plugin_fd = s->o.plugin_fd;
		return aud_pl_init(&s->pf, s->o.plugin_format);
	default:
		snprintf(err, errlen, "audit: bad mode");
		return -EINVAL;
	}
}

static struct aud_src *
src_new(const struct aud_src_opts *o)
{
	struct aud_src *s = calloc(1, sizeof(*s));

	if (s == NULL)
		return NULL;
	s->o = *o;
	s->ev.fd = s->ctl.fd = s->plugin_fd = s->stopfd = -1;
	pthread_mutex_init(&s->ctl_mu, NULL);
	if (o->stats_interval_ms == 0)
		s->o.stats_interval_ms = 1000;
	if ((o->state_file && !(s->state_file = strdup(o->state_file))) ||
	    !(s->q = aud_queue_new(o->queue_records, o->queue_bytes)) ||
	    !(s->rbuf = malloc((size_t)AUD_NL_BATCH * AUD_NL_BUF)) ||
	    (s->stopfd = eventfd(0, EFD_CLOEXEC)) < 0) {
		aud_src_close(s);
		return NULL;
	}
	return s;
}

/* The reader runs with every signal blocked: signals are the caller's. */
static int
start_reader(struct aud_src *s)
{
	sigset_t all, old;
	int r;

	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	r = pthread_create(&s->thr, NULL, aud_reader_main, s);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	s->thr_started = r == 0;
	return r;
}

struct aud_src *
aud_src_open(const struct aud_src_opts *o, char *err, size_t errlen)
{
	struct aud_src *s = src_new(o);
	struct aud_status cur;
	char ignore[256];
	bool have_status = false;
	int r;

	if (s == NULL) {
		snprintf(err, errlen, "audit: out of memory");
		return NULL;
	}
	/* Plugin mode can live without it (no CAP_AUDIT_CONTROL): no counters. */
	if (aud_nl_open(&s->ctl, 0, 0, ignore, sizeof(ignore)) == 0)
		have_status = aud_nl_get_status(&s->ctl, &cur) == 0;
	if ((r = choose(s, &cur, have_status, err, errlen)) < 0)
		goto fail;
	if (s->mode != AUD_MODE_PLUGIN && !have_status) {
		snprintf(err, errlen, "audit: AUDIT_GET failed (root with "
		    "CAP_AUDIT_CONTROL in the initial namespaces needed)");
		goto fail;
	}
	s->block = o->queue_full == AUD_QFULL_BLOCK ||
	    (o->queue_full == AUD_QFULL_AUTO && s->mode != AUD_MODE_MULTICAST);
	if ((r = mode_open(s, &cur, err, errlen)) < 0)
		goto fail;
	if ((r = start_reader(s)) != 0) {
		snprintf(err, errlen, "audit: cannot start the reader thread: %s",
		    strerror(r));
		goto fail;
	}
	return s;
fail:
	aud_src_close(s);
	return NULL;
}

void
aud_src_close(struct aud_src *s)
{
	uint64_t one = 1;

	if (s == NULL)
		return;
	if (s->q)	/* keep draining while the kernel may still send to us */
		aud_queue_set_discard(s->q, true);
	if (s->ctl.fd >= 0 && s->mode == AUD_MODE_UNICAST)
		restore(s);
	if (s->thr_started) {
		atomic_store(&s->stop, true);
		/* On failure the stop flag is still seen within a poll slice. */
		(void)!write(s->stopfd, &one, sizeof(one));
		pthread_join(s->thr, NULL);
	}
	aud_nl_close(&s->ev);
	aud_nl_close(&s->ctl);
	if (s->stopfd >= 0)
		close(s->stopfd);
	while (s->bi < s->bn)
		free(s->batch[s->bi++]);
	aud_queue_free(s->q);
	aud_pl_fini(&s->pf);
	free(s->rbuf);
	free(s->state_file);
	pthread_mutex_destroy(&s->ctl_mu);
	free(s);
}

enum aud_mode
aud_src_mode(const struct aud_src *s)
{
	return s->mode;
}

/* Parse one popped item into rec via buf; false when it does not parse. */
static bool
parse_item(struct aud_qitem *it, struct aud_record *rec, char *buf,
    size_t bufsz)
{
	if (it->len > bufsz)
		return false;
	memcpy(buf, it->data, it->len);
	if (it->kind == AUD_Q_LINE)
		return aud_rec_parse_line(buf, it->len, rec) == AUD_REC_OK;
	return aud_rec_parse_netlink(it->type, buf, it->len, rec) == AUD_REC_OK;
}

int
aud_src_next(struct aud_src *s, struct aud_record *rec, char *buf,
    size_t bufsz, int timeout_ms)
{
	for (;;) {
		struct aud_qitem *it;
		bool ok;

		if (s->bi == s->bn) {
			s->bi = 0;
			s->bn = aud_queue_pop(s->q, s->batch, AUD_SRC_BATCH,
			    timeout_ms);
			if (s->bn == 0) {
				if (!atomic_load(&s->done))
					return 0;
				return atomic_load(&s->reader_err) ?
				    atomic_load(&s->reader_err) : -ENODATA;
			}
		}
		it = s->batch[s->bi++];
		ok = parse_item(it, rec, buf, bufsz);
		free(it);
		atomic_fetch_add_explicit(&s->popped, 1, RELAXED);
		if (ok)
			return 1;
		atomic_fetch_add_explicit(&s->malformed, 1, RELAXED);
	}
}

void
aud_src_stats(struct aud_src *s, struct aud_src_stats *st)
{
	memset(st, 0, sizeof(*st));
	st->records = LOAD(s, records);
	st->bytes = LOAD(s, bytes);
	st->popped = LOAD(s, popped);
	st->malformed = LOAD(s, malformed);
	st->queue_drops = LOAD(s, queue_drops);
	st->queue_waits = LOAD(s, queue_waits);
	st->enobufs = LOAD(s, enobufs);
	st->truncated = LOAD(s, truncated);
	st->spoofed = LOAD(s, spoofed);
	aud_queue_depth(s->q, &st->queue_depth, &st->queue_high);
	st->have_kernel = LOAD(s, have_kernel);
	st->kernel_lost = LOAD(s, k_lost);
	st->kernel_lost_delta = LOAD(s, k_lost_delta);
	st->kernel_backlog = LOAD(s, k_backlog);
	st->kernel_backlog_limit = LOAD(s, k_backlog_limit);
	st->kernel_pid = LOAD(s, k_pid);
	st->kernel_enabled = LOAD(s, k_enabled);
	st->kernel_polls = LOAD(s, k_polls);
	st->kernel_poll_errors = LOAD(s, k_poll_errors);
}

/* ---- status helpers -------------------------------------------------- */

int
aud_status_get(struct aud_status *st, char *err, size_t errlen)
{
	struct aud_nl nl;
	int r;

	if ((r = aud_nl_open(&nl, 0, 0, err, errlen)) < 0)
		return r;
	r = aud_nl_get_status(&nl, st);
	if (r < 0)
		snprintf(err, errlen, "AUDIT_GET: %s", strerror(-r));
	aud_nl_close(&nl);
	return r;
}

int
aud_status_reset_dead_pid(char *err, size_t errlen)
{
	struct aud_nl nl;
	struct aud_status st;
	struct audit_status s;
	int r;

	if ((r = aud_nl_open(&nl, 0, 0, err, errlen)) < 0)
		return r;
	if ((r = aud_nl_get_status(&nl, &st)) < 0 || st.pid == 0)
		goto out;
	if (pid_alive(st.pid) && st.pid != (uint32_t)getpid()) {
		r = -EEXIST;
		goto out;
	}
	memset(&s, 0, sizeof(s));
	s.mask = AUDIT_STATUS_PID;
	s.pid = 0;
	r = aud_nl_set_status(&nl, &s, NULL);
out:
	if (r < 0)
		snprintf(err, errlen, "audit: reset of the registered pid: %s",
		    r == -EEXIST ? "a live daemon is registered" : strerror(-r));
	aud_nl_close(&nl);
	return r;
}
