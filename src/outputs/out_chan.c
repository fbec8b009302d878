/*
 * out_chan.c - one output channel's bounded ring and worker thread, and
 * the helpers the channel kinds share (line writes, sleeps, errors).
 *
 * Owns: the ring (an array of message pointers, each holding one
 * reference), the worker thread, the mutex and condition variable.  Does
 * not own the kind's private state: ops->fini releases it in the worker.
 *
 * DESIGN: the producer (out_set_publish) only takes the mutex, stores a
 * pointer and signals; when the ring is full it drops and counts.  The
 * worker pops one message at a time and delivers it without the lock, so
 * a delivery that takes seconds (a hanging webhook) never holds up the
 * producer.  A reopen request is served before the next message, so a
 * message published after out_set_reopen() goes to the reopened file.
 * At stop the worker keeps draining until the ring is empty or the
 * deadline passes; whatever is left then is released and counted as
 * dropped, so sent + dropped + failed always equals what was queued.
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <time.h>

#include "outputs/out_int.h"

/* A wait on a non-blocking fd re-checks the drain deadline this often. */
#define OUT_POLL_SLICE_MS	200

uint64_t
out_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static struct timespec
ns_to_ts(uint64_t ns)
{
	return (struct timespec){ .tv_sec = (time_t)(ns / 1000000000ull),
	    .tv_nsec = (long)(ns % 1000000000ull) };
}

void
out_chan_seterr(struct out_chan *ch, const char *fmt, ...)
{
	va_list ap;

	pthread_mutex_lock(&ch->errmu);
	va_start(ap, fmt);
	vsnprintf(ch->err, sizeof(ch->err), fmt, ap);
	va_end(ap);
	pthread_mutex_unlock(&ch->errmu);
}

void
out_chan_geterr(struct out_chan *ch, char *buf, size_t len)
{
	pthread_mutex_lock(&ch->errmu);
	snprintf(buf, len, "%s", ch->err);
	pthread_mutex_unlock(&ch->errmu);
}

bool
out_chan_expired(struct out_chan *ch)
{
	/* deadline_ns is stored before the release store of stop. */
	if (!__atomic_load_n(&ch->stop, __ATOMIC_ACQUIRE))
		return false;
	return out_now_ns() >= ch->deadline_ns;
}

void
out_chan_sleep(struct out_chan *ch, unsigned ms)
{
	uint64_t end = out_now_ns() + (uint64_t)ms * 1000000ull, lim;
	struct timespec ts;

	pthread_mutex_lock(&ch->mu);
	for (;;) {
		lim = end;
		if (ch->stop && ch->deadline_ns < lim)
			lim = ch->deadline_ns;
		if (out_now_ns() >= lim)
			break;
		ts = ns_to_ts(lim);
		/* Woken early by pushes and by stop: the loop recomputes. */
		pthread_cond_timedwait(&ch->cv, &ch->mu, &ts);
	}
	pthread_mutex_unlock(&ch->mu);
}

const char *
out_chan_body(const struct out_chan *ch, const struct out_msg *m, size_t *len)
{
	*len = ch->json ? m->json_len : m->text_len;
	return ch->json ? m->json : m->text;
}

/* The write raised SIGPIPE at this (blocked) thread: take it back. */
static void
eat_sigpipe(void)
{
	struct timespec zero = { 0, 0 };
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGPIPE);
	while (sigtimedwait(&set, NULL, &zero) == SIGPIPE)
		;
}

/* Wait until fd is writable; 0, or -ETIMEDOUT / -errno. */
static int
wait_writable(struct out_chan *ch, int fd, uint64_t end)
{
	struct pollfd pfd = { .fd = fd, .events = POLLOUT };
	uint64_t now;
	int slice, n;

	for (;;) {
		now = out_now_ns();
		if (now >= end || out_chan_expired(ch))
			return -ETIMEDOUT;
		slice = (int)((end - now) / 1000000ull) + 1;
		if (slice > OUT_POLL_SLICE_MS)
			slice = OUT_POLL_SLICE_MS;
		n = poll(&pfd, 1, slice);
		if (n > 0)
			return (pfd.revents & POLLOUT) || !(pfd.revents & POLLERR) ?
			    0 : -EPIPE;
		if (n < 0 && errno != EINTR)
			return -errno;
	}
}

int
out_write_line(struct out_chan *ch, int fd, const char *p, size_t len,
    int timeout_ms, size_t *written)
{
	uint64_t end = timeout_ms < 0 ? UINT64_MAX :
	    out_now_ns() + (uint64_t)timeout_ms * 1000000ull;
	size_t total = len + 1, done = 0;
	struct iovec iov[2];
	ssize_t n;
	int rc = 0, k;

	while (done < total) {
		k = 0;
		if (done < len)
			iov[k++] = (struct iovec){ (void *)(uintptr_t)(p + done),
			    len - done };
		iov[k++] = (struct iovec){ (void *)(uintptr_t)"\n", 1 };
		n = writev(fd, iov, k);
		if (n >= 0) {
			done += (size_t)n;
			continue;
		}
		if (errno == EINTR)
			continue;
		if (errno == EAGAIN && (rc = wait_writable(ch, fd, end)) == 0)
			continue;
		if (rc == 0)
			rc = -errno;
		break;
	}
	if (rc == -EPIPE)
		eat_sigpipe();
	*written = done;
	return rc;
}

char *
out_strdup_unquoted(const char *s)
{
	size_t n = strlen(s);

	/* Falco accepts a URL given with its quotes kept. */
	if (n >= 2 && (s[0] == '"' || s[0] == '\'') && s[n - 1] == s[0])
		return strndup(s + 1, n - 2);
	return strdup(s);
}

static void
deliver(struct out_chan *ch, struct out_msg *m)
{
	if (ch->ops->write(ch, m) == 0)
		OUT_RELAXED_ADD(&ch->sent, 1);
	else
		OUT_RELAXED_ADD(&ch->failed, 1);
	out_msg_unref(m);
}

/* Release what is still queued (drain deadline passed): counted as dropped. */
static void
discard_locked(struct out_chan *ch)
{
	while (ch->len > 0) {
		out_msg_unref(ch->ring[ch->head]);
		ch->head = (ch->head + 1) % ch->cap;
		ch->len--;
		OUT_RELAXED_ADD(&ch->dropped, 1);
	}
	OUT_RELAXED_STORE(&ch->depth, 0);
}

static void *
chan_main(void *arg)
{
	struct out_chan *ch = arg;
	struct out_msg *m;

	for (;;) {
		pthread_mutex_lock(&ch->mu);
		while (ch->len == 0 && !ch->stop && !ch->reopen_req)
			pthread_cond_wait(&ch->cv, &ch->mu);
		if (ch->reopen_req) {
			ch->reopen_req = false;
			pthread_mutex_unlock(&ch->mu);
			if (ch->ops->reopen != NULL)
				ch->ops->reopen(ch);
			continue;
		}
		if (ch->len == 0 || (ch->stop && out_now_ns() >= ch->deadline_ns)) {
			discard_locked(ch);
			pthread_mutex_unlock(&ch->mu);
			break;
		}
		m = ch->ring[ch->head];
		ch->head = (ch->head + 1) % ch->cap;
		ch->len--;
		OUT_RELAXED_STORE(&ch->depth, ch->len);
		pthread_mutex_unlock(&ch->mu);
		deliver(ch, m);
	}
	if (ch->ops->fini != NULL)
		ch->ops->fini(ch);
	return NULL;
}

int
out_chan_start(struct out_chan *ch, size_t cap)
{
	pthread_condattr_t ca;
	sigset_t all, old;
	int rc;

	ch->ring = calloc(cap, sizeof(*ch->ring));
	if (ch->ring == NULL)
		return -ENOMEM;
	ch->cap = cap;
	pthread_mutex_init(&ch->errmu, NULL);
	pthread_mutex_init(&ch->mu, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&ch->cv, &ca);
	pthread_condattr_destroy(&ca);
	/*
	 * The worker inherits a full signal mask: signals stay with the
	 * thread that handles them, and SIGPIPE from a write to a dead
	 * program stays pending here, where out_write_line() consumes it.
	 */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	rc = pthread_create(&ch->thread, NULL, chan_main, ch);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0)
		return -rc;
	ch->started = true;
	return 0;
}

void
out_chan_push(struct out_chan *ch, struct out_msg *m)
{
	pthread_mutex_lock(&ch->mu);
	if (ch->len == ch->cap || ch->stop) {
		pthread_mutex_unlock(&ch->mu);
		OUT_RELAXED_ADD(&ch->dropped, 1);
		return;
	}
	ch->ring[(ch->head + ch->len) % ch->cap] = out_msg_ref(m);
	ch->len++;
	OUT_RELAXED_STORE(&ch->depth, ch->len);
	if (ch->len > OUT_RELAXED_LOAD(&ch->high_water))
		OUT_RELAXED_STORE(&ch->high_water, ch->len);
	pthread_cond_signal(&ch->cv);
	pthread_mutex_unlock(&ch->mu);
}

void
out_chan_reopen(struct out_chan *ch)
{
	pthread_mutex_lock(&ch->mu);
	ch->reopen_req = true;
	pthread_cond_signal(&ch->cv);
	pthread_mutex_unlock(&ch->mu);
}

void
out_chan_stop(struct out_chan *ch, uint64_t deadline_ns)
{
	pthread_mutex_lock(&ch->mu);
	ch->deadline_ns = deadline_ns;
	__atomic_store_n(&ch->stop, true, __ATOMIC_RELEASE);
	pthread_cond_broadcast(&ch->cv);
	pthread_mutex_unlock(&ch->mu);
}

/* Join the worker and free the ring; the kind's state is gone already. */
void
out_chan_join(struct out_chan *ch)
{
	if (ch->started) {
		pthread_join(ch->thread, NULL);
		ch->started = false;
		pthread_cond_destroy(&ch->cv);
		pthread_mutex_destroy(&ch->mu);
		pthread_mutex_destroy(&ch->errmu);
	}
	free(ch->ring);
	ch->ring = NULL;
}
