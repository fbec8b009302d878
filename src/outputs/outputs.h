/*
 * outputs.h - alert output channels: stdout, file, syslog, program, http.
 *
 * An out_set is built once from the configuration (Falco's keys, see
 * docs/outputs.md) and fed formatted alerts (struct out_msg, msg.h).
 * Every enabled channel has its own worker thread and its own bounded
 * ring of message pointers, so a slow or dead receiver only ever fills
 * its own ring: out_set_publish() never blocks on I/O and never
 * allocates; a full ring drops the message for that channel and counts
 * it.  A monitor thread turns channel failures and drops into internal
 * alerts through the hooks, at most one per channel per 10 s.
 *
 * Threads: out_set_publish(), out_set_reopen() and out_set_stats() may be
 * called from any thread, concurrently; out_set_new() and out_set_free()
 * are called once each, with no other call running.  The library never
 * logs and never exits; problems are counted (out_set_stats) and raised
 * through hooks->alert.
 *
 * Signals: worker threads run with every signal blocked (the process's
 * signal handling stays in the thread that owns it), so a write to a dead
 * program's pipe gets EPIPE, and the thread-directed SIGPIPE is consumed
 * in that thread: the process's SIGPIPE disposition is never changed.
 * Programs are started with default dispositions and an empty mask.
 */
#ifndef FC_OUTPUTS_OUTPUTS_H
#define FC_OUTPUTS_OUTPUTS_H

#include <stdbool.h>
#include <stdint.h>

#include "outputs/msg.h"

struct fc_conf;
struct out_set;

enum out_chan_kind {
	OUT_CH_STDOUT = 0,
	OUT_CH_FILE,
	OUT_CH_SYSLOG,
	OUT_CH_PROGRAM,
	OUT_CH_HTTP,
	OUT_CH_MAX = OUT_CH_HTTP,
};

/* Default per-channel ring size when outputs_queue.capacity is 0. */
#define OUT_QUEUE_DEFAULT	10000
/* Largest accepted outputs_queue.capacity. */
#define OUT_QUEUE_MAX		(1 << 20)
/* Internal alerts about one channel: at most one per this many seconds. */
#define OUT_ALERT_INTERVAL_S	10

struct out_hooks {
	void	*ctx;
	/*
	 * alert - raise an internal alert (source "internal") about a
	 * channel: rule is "Falconet internal: output channel failure",
	 * text a sentence, kv NULL-terminated key/value pairs (channel,
	 * failed, dropped, failed_total, dropped_total, error), the shape of
	 * out_msg_new_internal()'s arguments.  Called from the set's monitor
	 * thread with no lock held; it may call out_set_publish().  Never
	 * called once out_set_free() has started.  May be NULL.
	 */
	void	(*alert)(void *ctx, int priority, const char *rule,
		    const char *text, const char *const *kv);
};

struct out_chan_stats {
	const char	*name;		/* "stdout", "file", ... */
	bool		 enabled;
	uint64_t	 sent;		/* delivered */
	uint64_t	 dropped;	/* ring full, or left at shutdown */
	uint64_t	 failed;	/* write / spawn / HTTP error after retries */
	uint64_t	 retries;	/* http: extra attempts made */
	uint64_t	 restarts;	/* program: respawns after it died */
	uint64_t	 alerts;	/* internal alerts raised about it */
	uint64_t	 depth;		/* messages queued now */
	uint64_t	 high_water;	/* largest depth seen */
	uint64_t	 capacity;
};

struct out_stats {
	uint64_t		published;	/* out_set_publish() calls */
	uint64_t		filtered;	/* below the priority threshold */
	struct out_chan_stats	ch[OUT_CH_MAX + 1];
};

/*
 * out_set_new - read json_output, priority, outputs_queue.*, and the
 * *_output.* keys from conf, then start a worker per enabled channel.
 * Bad values are recorded with conf_error() (the caller checks
 * conf_nerrors()); the set then uses the default, or leaves a channel
 * whose required setting is missing disabled.  conf is not kept: strings
 * are copied.  hooks is copied; it may be NULL.  NULL on OOM or when a
 * thread cannot be started.
 */
struct out_set *out_set_new(struct fc_conf *conf, const struct out_hooks *hooks);

/*
 * out_set_publish - hand m to every enabled channel.  Borrows m: each
 * channel that queues it takes its own reference, released once the
 * message is written or dropped.  Never blocks on I/O (only the short
 * per-ring mutex) and never allocates.  Messages less severe than the
 * configured priority are counted as filtered and not queued.
 */
void	out_set_publish(struct out_set *s, struct out_msg *m);

/*
 * out_set_reopen - ask every worker to reopen before its next message:
 * files are closed and opened again (logrotate's mv + SIGUSR1/SIGHUP),
 * a kept-alive program is closed and respawned.  Returns at once.
 */
void	out_set_reopen(struct out_set *s);

/* out_set_stats - a snapshot of the counters (relaxed: each one exact, not atomic together). */
void	out_set_stats(const struct out_set *s, struct out_stats *st);

/* out_set_enabled - true when channel kind is enabled. */
bool	out_set_enabled(const struct out_set *s, enum out_chan_kind kind);

/*
 * out_set_free - stop the monitor, let each worker drain its ring for at
 * most outputs_queue.drain_timeout_ms (an HTTP transfer or program write
 * in flight is aborted at the deadline), count what is left as dropped,
 * join the threads, close everything and free.  NULL-safe.
 */
void	out_set_free(struct out_set *s);

#endif
