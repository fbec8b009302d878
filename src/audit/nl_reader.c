/*
 * nl_reader.c - the audit source's reader thread: moves records from the
 * kernel socket (or auditd's plugin pipe) into the bounded queue as fast
 * as it can, and polls AUDIT_GET for the kernel's lost/backlog counters
 * every stats interval.  It never parses beyond the netlink header and
 * never waits on anything but the queue (block policy) and its fds.
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit/nl_int.h"

#define RELAXED memory_order_relaxed
#define BUMP(s, f, n) atomic_fetch_add_explicit(&(s)->f, (n), RELAXED)

void
aud_src_poll_kernel(struct aud_src *s)
{
	struct aud_status st;
	int r;

	if (s->ctl.fd < 0)
		return;
	pthread_mutex_lock(&s->ctl_mu);
	r = aud_nl_get_status(&s->ctl, &st);
	pthread_mutex_unlock(&s->ctl_mu);
	BUMP(s, k_polls, 1);
	if (r < 0) {
		BUMP(s, k_poll_errors, 1);
		return;
	}
	if (atomic_load_explicit(&s->have_kernel, RELAXED)) {
		/* A smaller value means someone reset it (LOST_RESET). */
		uint32_t inc = st.lost >= s->lost_last ? st.lost - s->lost_last :
		    st.lost;

		BUMP(s, k_lost_delta, inc);
	}
	s->lost_last = st.lost;
	atomic_store_explicit(&s->k_lost, st.lost, RELAXED);
	atomic_store_explicit(&s->k_backlog, st.backlog, RELAXED);
	atomic_store_explicit(&s->k_backlog_limit, st.backlog_limit, RELAXED);
	atomic_store_explicit(&s->k_pid, st.pid, RELAXED);
	atomic_store_explicit(&s->k_enabled, st.enabled, RELAXED);
	atomic_store_explicit(&s->have_kernel, true, RELAXED);
}

static void
poll_if_due(struct aud_src *s)
{
	int64_t now = aud_mono_ms();

	if (now < s->next_poll_ms)
		return;
	aud_src_poll_kernel(s);
	s->next_poll_ms = now + s->o.stats_interval_ms;
}

void
aud_reader_push(struct aud_src *s, int kind, int type, const char *data,
    size_t len)
{
	struct aud_qitem *it = aud_qitem_new(kind, type, data, len);
	bool waited = false;
	int r;

	if (it == NULL) {
		BUMP(s, queue_drops, 1);
		return;
	}
	for (;;) {
		r = aud_queue_try_push(s->q, it, s->block ? AUD_SRC_WAIT_MS : 0);
		if (r != -EAGAIN || atomic_load(&s->stop))
			break;
		if (!waited)
			BUMP(s, queue_waits, 1);
		waited = true;
		poll_if_due(s);	/* the kernel's lost counter matters most now */
	}
	if (r == 0) {
		BUMP(s, records, 1);
		BUMP(s, bytes, len);
		return;
	}
	free(it);
	BUMP(s, queue_drops, 1);
}

/* One datagram from the event socket. */
static void
netlink_one(struct aud_src *s, const struct aud_nl_msg *m)
{
	if (m->spoofed) {
		BUMP(s, spoofed, 1);
		return;
	}
	if (m->trunc) {
		BUMP(s, truncated, 1);
		return;
	}
	/* Acks, and the kernel's liveness probe of the registered daemon. */
	if (m->type < NLMSG_MIN_TYPE || m->type == AUDIT_REPLACE)
		return;
	aud_reader_push(s, AUD_Q_NETLINK, m->type, m->data, m->len);
}

/*
 * Read what is there, at most AUD_SRC_DRAIN datagrams, AUD_NL_BATCH per
 * system call.  Returns how many, or -errno on failure.
 */
static int
netlink_drain(struct aud_src *s)
{
	struct aud_nl_msg m[AUD_NL_BATCH];
	int done = 0, n, i;

	while (done < AUD_SRC_DRAIN && !atomic_load(&s->stop)) {
		n = aud_nl_recv_many(s->ev.fd, s->rbuf, AUD_NL_BATCH, m);
		if (n == -ENOBUFS) {
			BUMP(s, enobufs, 1);
			continue;
		}
		if (n <= 0)
			return n < 0 ? n : done;
		for (i = 0; i < n; i++)
			netlink_one(s, &m[i]);
		done += n;
	}
	return done;
}

/*
 * After a partial drain, let records gather for batch_wait_ms before the
 * next poll: under load the reader then takes tens of records per wakeup
 * (and wakes the core thread once for them) instead of one, which halves
 * the CPU spent in wakeups and system calls.  The records wait in the
 * socket's receive buffer (audit.rcvbuf), so nothing is lost; alerts come
 * at most that much later.  Returns true when asked to stop meanwhile.
 */
static bool
gather(struct aud_src *s, int drained)
{
	struct pollfd stop = { .fd = s->stopfd, .events = POLLIN };

	if (s->o.batch_wait_ms == 0 || drained >= AUD_SRC_DRAIN)
		return false;
	return poll(&stop, 1, (int)s->o.batch_wait_ms) > 0;
}

static void
plugin_rec(int kind, int type, const char *data, size_t len, void *arg)
{
	aud_reader_push(arg, kind, type, data, len);
}

/* 1 more to come, 0 at end of input, -errno. */
static int
plugin_drain(struct aud_src *s)
{
	ssize_t n = read(s->plugin_fd, s->rbuf, AUD_NL_BUF);
	uint64_t t0 = s->pf.truncated;

	if (n < 0)
		return errno == EINTR || errno == EAGAIN ? 1 : -errno;
	if (n == 0) {
		aud_pl_finish(&s->pf, plugin_rec, s);
		BUMP(s, truncated, s->pf.truncated - t0);
		return 0;
	}
	aud_pl_feed(&s->pf, s->rbuf, (size_t)n, plugin_rec, s);
	BUMP(s, truncated, s->pf.truncated - t0);
	return 1;
}

void *
aud_reader_main(void *arg)
{
	struct aud_src *s = arg;
	bool plugin = s->mode == AUD_MODE_PLUGIN;
	struct pollfd pfd[2] = {
		{ .fd = plugin ? s->plugin_fd : s->ev.fd, .events = POLLIN },
		{ .fd = s->stopfd, .events = POLLIN },
	};
	int r = 0;

	s->next_poll_ms = 0;
	while (!atomic_load(&s->stop)) {
		int64_t wait;

		poll_if_due(s);
		wait = s->next_poll_ms - aud_mono_ms();
		if (poll(pfd, 2, wait < 0 ? 0 : (int)wait) < 0 && errno != EINTR) {
			r = -errno;
			break;
		}
		if (pfd[1].revents)
			break;
		if (!pfd[0].revents)
			continue;
		if (plugin) {
			if ((r = plugin_drain(s)) <= 0)
				break;
		} else if ((r = netlink_drain(s)) < 0 || gather(s, r))
			break;
		r = 0;
	}
	if (r < 0)
		atomic_store(&s->reader_err, r);
	atomic_store(&s->done, true);
	aud_queue_shutdown(s->q);
	return NULL;
}
