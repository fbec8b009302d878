/*
 * store.h - the alert store: every alert gets a monotonic id; the last N
 * stay in memory for the HTTP API, and an optional on-disk spool makes a
 * poller's cursor survive a restart.
 *
 * Ids start at 1 and never repeat for a given spool directory.  The
 * detection path calls out_store_add() once per alert: one mutex shared
 * by writers only, O(1) work (a ring slot is replaced; evicted messages
 * are released in batches after the lock is dropped), never any I/O.
 * Readers (queries, waits, the spool writer) never take that mutex, so a
 * slow or preempted reader cannot delay detection.  The spool is written
 * by the store's own thread, which copies references out of the ring.
 *
 * Visibility: without a spool an alert is visible to queries as soon as
 * out_store_add() returns.  With a spool it becomes visible once it has
 * been written (and synced, per the fsync policy), so a cursor handed to
 * a client always names an alert that a restarted store will know too:
 * after a restart ids continue after the last spooled one and no id a
 * client has seen is ever reused.
 *
 * Spool layout (docs/http-api.md): DIR/alerts-<first id, 20 digits>.jsonl,
 * one JSON object per line: {"id":N,"time_ns":T,"priority":P,"rule":"..",
 * "source":"..","container_id":"..","alert":<Falco JSON>}.  Segments are
 * rotated by size; the oldest are deleted when the total passes max_bytes.
 *
 * Thread-safe: add, query, wait and stats may be called from any thread.
 */
#ifndef FC_OUTPUTS_STORE_H
#define FC_OUTPUTS_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct fc_conf;
struct out_msg;
struct out_store;

enum {
	OUT_STORE_ERRLEN = 256,
	OUT_STORE_RING_DEFAULT = 10000,
	OUT_STORE_RING_MAX = 10000000,
};

/* When the spool writer calls fsync(2). */
enum out_store_fsync {
	OUT_STORE_FSYNC_NONE = 0,	/* never: survives a process crash, not a power loss */
	OUT_STORE_FSYNC_ROTATE,		/* when a segment is closed (and the directory on create) */
	OUT_STORE_FSYNC_BATCH,		/* after every batch the writer writes (default) */
};

struct out_store_spool_opts {
	uint64_t		segment_bytes;	/* rotate past this; default 16 MiB */
	uint64_t		max_bytes;	/* total bound; default 256 MiB */
	enum out_store_fsync	fsync;		/* default OUT_STORE_FSYNC_BATCH */
};

void	out_store_spool_defaults(struct out_store_spool_opts *o);

/*
 * The store's settings from the configuration (keys under alert_store.,
 * docs/http-api.md): ring_size, spool.enabled, spool.dir (default
 * /var/lib/falconet), spool.segment_bytes, spool.max_bytes, spool.fsync
 * (none|rotate|batch).  Bad values are recorded in c (conf_error) and the
 * defaults used.  spool_dir is NULL when the spool is disabled; it points
 * into c.
 */
struct out_store_config {
	size_t				 ring_size;
	const char			*spool_dir;
	struct out_store_spool_opts	 spool;
};

void	out_store_conf_read(struct fc_conf *c, struct out_store_config *cfg);

/*
 * out_store_new - a store keeping the last ring_size alerts in memory.
 * spool_dir NULL: no spool.  Otherwise the directory is created if needed
 * (mode 0700), existing segments are read back (the newest ring_size
 * alerts go into the ring, ids continue after the last one; a torn last
 * line is cut off) and the writer thread is started.  sp NULL: defaults.
 * NULL on failure with a message in err (OUT_STORE_ERRLEN bytes).
 */
struct out_store *out_store_new(size_t ring_size, const char *spool_dir,
	    const struct out_store_spool_opts *sp, char *err);

/* Write out what is pending, stop the writer, release every message.
 * NULL-safe.  No other call may be running or follow. */
void	out_store_free(struct out_store *s);

/*
 * out_store_add - assign m the next id (sets m->id, so call this before
 * handing m to other threads), keep a reference, and return the id.
 * Evicts the oldest alert when the ring is full.  Never blocks on I/O.
 */
uint64_t out_store_add(struct out_store *s, struct out_msg *m);

/* A query: alerts with id > since, oldest first, that pass the filters. */
struct out_store_query {
	uint64_t	 since;
	size_t		 limit;		/* at most this many (the out array's size) */
	int		 max_priority;	/* keep priority <= this (as severe or worse); -1: any */
	const char	*rule;		/* exact rule name, NULL: any */
	const char	*container_id;	/* exact container id, NULL: any */
};

/*
 * The answer.  msgs[0..n) are references the caller releases with
 * out_store_page_release().  next is the cursor for the following query:
 * the id of the last alert examined (filters included), or since when
 * nothing newer was visible.  missed counts alerts newer than since that
 * were already evicted from memory (a poller that fell behind).
 */
struct out_store_page {
	struct out_msg	**msgs;		/* caller's array of limit entries */
	size_t		  n;
	uint64_t	  next;
	uint64_t	  missed;
};

/*
 * out_store_query - fill page.  Returns 0, or -ERANGE when since is
 * beyond the newest id the store ever assigned (the client's cursor comes
 * from another store, e.g. a spool that was deleted): page->next is then
 * the newest visible id.  The lock is held for bounded stretches only.
 */
int	out_store_query(struct out_store *s, const struct out_store_query *q,
	    struct out_store_page *page);

void	out_store_page_release(struct out_store_page *page);

/*
 * out_store_wait - block until an alert with id > since is visible, for at
 * most timeout_ms.  true when there is one, false on timeout.
 */
bool	out_store_wait(struct out_store *s, uint64_t since, int timeout_ms);

/* The newest visible id (0 when there is none). */
uint64_t out_store_last_id(struct out_store *s);

struct out_store_stats {
	uint64_t	size;		/* alerts in memory */
	uint64_t	capacity;	/* ring size */
	uint64_t	added;		/* out_store_add() calls since start */
	uint64_t	evictions;	/* alerts pushed out of the ring */
	uint64_t	first_id;	/* oldest id in memory, 0 when empty */
	uint64_t	last_id;	/* newest visible id */
	bool		spool;		/* a spool is configured */
	uint64_t	spool_bytes;	/* total size of the segments */
	uint64_t	spool_segments;
	uint64_t	spool_written;	/* alerts written since start */
	uint64_t	spool_dropped;	/* evicted before the writer got to them */
	uint64_t	spool_errors;	/* failed writes, opens, syncs */
	uint64_t	spool_deleted;	/* segments deleted to respect max_bytes */
	uint64_t	restored;	/* alerts read back at start */
	uint64_t	waiters;	/* threads in out_store_wait() */
	uint64_t	add_contended;	/* out_store_add() found the lock taken */
	uint64_t	add_wait_ns;	/* ... and waited this long in total */
	uint64_t	limbo_peak;	/* most evicted messages awaiting release */
};

void	out_store_stats(struct out_store *s, struct out_store_stats *st);

/* "none", "rotate", "batch" <-> enum; -1 when unknown. */
int	out_store_fsync_parse(const char *s);
const char *out_store_fsync_name(enum out_store_fsync f);

#endif
