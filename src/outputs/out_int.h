/*
 * out_int.h - what the output channels share inside src/outputs: the
 * channel object (ring, worker, counters) and the per-kind operations.
 *
 * A channel's ops run only in its worker thread, one call at a time, so
 * a kind's private state (fd, pipe, curl handle) needs no lock.  The ring
 * and the stop/reopen flags are guarded by the channel's mutex; counters
 * are relaxed atomics read by out_set_stats() and the monitor.
 */
#ifndef FC_OUTPUTS_OUT_INT_H
#define FC_OUTPUTS_OUT_INT_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "outputs/outputs.h"

struct fc_conf;
struct out_chan;

struct out_chan_ops {
	const char *name;
	/* Deliver m (JSON or text per ch->json).  0, or -1 with out_chan_seterr(). */
	int	(*write)(struct out_chan *ch, const struct out_msg *m);
	/* Close what is open; the next write opens again.  May be NULL. */
	void	(*reopen)(struct out_chan *ch);
	/* Release the private state (in the worker, at exit). */
	void	(*fini)(struct out_chan *ch);
};

struct out_chan {
	const struct out_chan_ops *ops;
	void		*priv;
	bool		 json;

	pthread_mutex_t	 mu;
	pthread_cond_t	 cv;
	struct out_msg	**ring;
	size_t		 cap, head, len;
	bool		 stop;		/* under mu; also read relaxed */
	bool		 reopen_req;	/* under mu */
	uint64_t	 deadline_ns;	/* CLOCK_MONOTONIC; valid once stop */
	pthread_t	 thread;
	bool		 started;

	/* counters: relaxed atomics */
	uint64_t	 sent, dropped, failed, retries, restarts, alerts;
	uint64_t	 depth, high_water;

	pthread_mutex_t	 errmu;
	char		 err[256];	/* last failure, under errmu */

	/* monitor thread only */
	uint64_t	 rep_failed, rep_dropped, last_alert_ns;
};

/* Channel constructors: read their keys, set ch->ops and ch->priv. 0 or -1 (disabled). */
int	out_stdout_init(struct out_chan *ch, struct fc_conf *c);
int	out_file_init(struct out_chan *ch, struct fc_conf *c);
int	out_syslog_init(struct out_chan *ch, struct fc_conf *c);
int	out_program_init(struct out_chan *ch, struct fc_conf *c);
int	out_http_init(struct out_chan *ch, struct fc_conf *c);

/* Ring + worker (out_chan.c). */
int	out_chan_start(struct out_chan *ch, size_t cap);
void	out_chan_push(struct out_chan *ch, struct out_msg *m);
void	out_chan_reopen(struct out_chan *ch);
void	out_chan_stop(struct out_chan *ch, uint64_t deadline_ns);
void	out_chan_join(struct out_chan *ch);

/* Helpers for the kinds. */
uint64_t out_now_ns(void);	/* CLOCK_MONOTONIC */
void	out_chan_seterr(struct out_chan *ch, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
void	out_chan_geterr(struct out_chan *ch, char *buf, size_t len);
/* True once the set is stopping and the drain deadline has passed. */
bool	out_chan_expired(struct out_chan *ch);
/* Sleep ms, or less when the drain deadline comes first. */
void	out_chan_sleep(struct out_chan *ch, unsigned ms);
/* The bytes to deliver for m. */
const char *out_chan_body(const struct out_chan *ch, const struct out_msg *m,
	    size_t *len);
/*
 * Write p[0..len) and a newline to fd.  A non-blocking fd waits with poll()
 * for at most timeout_ms in all (-1: no limit) and stops at the drain
 * deadline.  Returns 0, or -errno (-ETIMEDOUT) with *written bytes done.
 * EPIPE's thread-directed SIGPIPE is consumed.
 */
int	out_write_line(struct out_chan *ch, int fd, const char *p, size_t len,
	    int timeout_ms, size_t *written);
/* Copy a URL from conf (NULL on OOM); quotes around it ('' or "") removed. */
char	*out_strdup_unquoted(const char *s);

#define OUT_RELAXED_ADD(p, n)	__atomic_fetch_add((p), (n), __ATOMIC_RELAXED)
#define OUT_RELAXED_LOAD(p)	__atomic_load_n((p), __ATOMIC_RELAXED)
#define OUT_RELAXED_STORE(p, v)	__atomic_store_n((p), (v), __ATOMIC_RELAXED)

#endif
