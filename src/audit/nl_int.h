/*
 * nl_int.h - private to the audit source (nl_*.c) and its tests:
 * netlink request/reply primitives, the bounded record queue, the plugin
 * stream framer.
 */
#ifndef FC_AUDIT_NL_INT_H
#define FC_AUDIT_NL_INT_H

#include <linux/audit.h>
#include <linux/netlink.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "audit/nl.h"

/* enabled=2: immutable (auditctl -e 2), kernel's AUDIT_LOCKED. */
#define AUD_LOCKED 2u

/* ---- netlink (nl_sock.c) ---------------------------------------------- */

enum {
	AUD_NL_TIMEOUT_MS = 5000,	/* replies to our requests */
	AUD_NL_BUF = 65536 + NLMSG_HDRLEN,	/* one receive: bigger than any record */
	AUD_NL_MSG_MAX = 9000,	/* MAX_AUDIT_MESSAGE_LENGTH + slack (requests) */
	AUD_NL_BATCH = 16,	/* datagrams per recvmmsg (AUD_NL_BUF each) */
};

/* A netlink audit socket and its request sequence. */
struct aud_nl {
	int		 fd;
	uint32_t	 seq;
};

/*
 * Open a NETLINK_AUDIT socket.  groups: 0, or the multicast bit mask to
 * bind.  rcvbuf > 0: SO_RCVBUFFORCE (SO_RCVBUF when not permitted).
 */
int	aud_nl_open(struct aud_nl *nl, uint32_t groups, size_t rcvbuf,
	    char *err, size_t errlen);
void	aud_nl_close(struct aud_nl *nl);

/* Send one request (NLM_F_REQUEST|NLM_F_ACK); stores its seq in *seq. */
int	aud_nl_send(struct aud_nl *nl, uint16_t type, const void *data,
	    size_t len, uint32_t *seq);

/*
 * One datagram from the kernel into buf: *type, payload pointer and length
 * (from the received length, never from nlmsg_len), *nlseq.  Returns 1,
 * 0 on timeout, -errno (-ENOBUFS: overrun, the socket stays usable).
 * *trunc: the datagram was longer than buf.  *spoofed: not from the kernel.
 */
struct aud_nl_msg {
	int		 type;
	uint32_t	 seq;
	const char	*data;
	size_t		 len;
	bool		 trunc;
	bool		 spoofed;
};
int	aud_nl_recv(int fd, char *buf, size_t bufsz, int timeout_ms,
	    struct aud_nl_msg *m);

/*
 * Up to max (<= AUD_NL_BATCH) datagrams in one recvmmsg, without waiting:
 * datagram i into bufs + i * AUD_NL_BUF, described by m[i] as aud_nl_recv
 * does.  Returns how many (0: none ready), or -errno (-ENOBUFS: overrun).
 */
int	aud_nl_recv_many(int fd, char *bufs, int max, struct aud_nl_msg *m);

/*
 * Messages of our request: return 1 when the reply is complete, 0 for
 * more, -errno to abort.  NULL: the ack alone completes the request.
 */
typedef int (*aud_nl_reply_fn)(const struct aud_nl_msg *m, void *arg);
/* Anything else that arrives meanwhile (events on a registered socket). */
typedef void (*aud_nl_other_fn)(const struct aud_nl_msg *m, void *arg);

struct aud_nl_wait {
	aud_nl_reply_fn	 reply;
	void		*reply_arg;
	aud_nl_other_fn	 other;
	void		*other_arg;
};

/*
 * Send a request and wait for its ack and, with w->reply, its reply.
 * 0, the kernel's -errno from the ack, or -ETIMEDOUT.
 */
int	aud_nl_request(struct aud_nl *nl, uint16_t type, const void *data,
	    size_t len, const struct aud_nl_wait *w);

int	aud_nl_get_status(struct aud_nl *nl, struct aud_status *st);
/* AUDIT_SET with s->mask; others' messages go to w (may be NULL). */
int	aud_nl_set_status(struct aud_nl *nl, const struct audit_status *s,
	    const struct aud_nl_wait *w);

/* Copies of the kernel's rules (AUDIT_LIST_RULES), in list order. */
struct aud_rule_list {
	struct audit_rule_data **rules;
	size_t		*lens;
	size_t		 n, cap;
};
int	aud_nl_list_rules(struct aud_nl *nl, struct aud_rule_list *out);
void	aud_rule_list_free(struct aud_rule_list *l);

/* The key string of a rule (AUDIT_FILTERKEY), NULL when it has none. */
const char *aud_rule_key(const struct audit_rule_data *r, size_t len,
	    size_t *keylen);
/* Whether key (of keylen, may hold several keys split by 0x01) has k. */
bool	aud_key_has(const char *key, size_t keylen, const char *k);

/* ---- queue (nl_queue.c) ----------------------------------------------- */

enum {
	AUD_Q_NETLINK = 0,	/* payload of a kernel message, type given */
	AUD_Q_LINE = 1,		/* audit.log / plugin string line */
};

struct aud_qitem {
	uint32_t	 len;
	uint16_t	 type;
	uint8_t		 kind;
	char		 data[];
};

struct aud_queue;

struct aud_queue *aud_queue_new(size_t max_records, size_t max_bytes);
void	aud_queue_free(struct aud_queue *q);

/* A copy of one record, to push.  NULL on OOM.  Freed with free(). */
struct aud_qitem *aud_qitem_new(int kind, int type, const char *data,
	    size_t len);

/*
 * aud_queue_try_push - hand it over.  When full, wait up to wait_ms
 * (0: not at all; a queue in discard mode never waits).  Returns 0 (the
 * queue owns it), -EAGAIN (still full after waiting), -ENOBUFS (full, no
 * wait), -ESHUTDOWN.  On failure the caller still owns it.
 */
int	aud_queue_try_push(struct aud_queue *q, struct aud_qitem *it,
	    int wait_ms);

/*
 * Up to max items into out (the caller frees each with free()), waiting
 * up to timeout_ms (< 0 forever).  Returns the count; 0 on timeout or
 * when shut down and empty.
 */
size_t	aud_queue_pop(struct aud_queue *q, struct aud_qitem **out, size_t max,
	    int timeout_ms);

/* Wake everyone; pushes fail, pops drain what is left. */
void	aud_queue_shutdown(struct aud_queue *q);
/* While set, a full queue drops instead of blocking (used while closing). */
void	aud_queue_set_discard(struct aud_queue *q, bool on);
void	aud_queue_depth(struct aud_queue *q, size_t *depth, size_t *high);

/* ---- plugin stream (nl_plugin.c) ------------------------------------ */

/*
 * Splits auditd's dispatcher stream into records.  Feed bytes as they
 * arrive; each complete record goes to the callback.
 */
typedef void (*aud_pl_fn)(int kind, int type, const char *data, size_t len,
	    void *arg);

struct aud_plugin_framer {
	enum aud_plugin_format fmt;
	char		*buf;
	size_t		 len, cap;
	bool		 skipping;	/* inside an over-long record */
	uint64_t	 skip_left;	/* binary: bytes of it still to drop */
	uint64_t	 truncated;
	uint64_t	 bad;		/* binary frames with a bad header */
};

int	aud_pl_init(struct aud_plugin_framer *f, enum aud_plugin_format fmt);
void	aud_pl_fini(struct aud_plugin_framer *f);
void	aud_pl_feed(struct aud_plugin_framer *f, const char *data, size_t len,
	    aud_pl_fn fn, void *arg);
/* End of stream: a last line without '\n' is delivered. */
void	aud_pl_finish(struct aud_plugin_framer *f, aud_pl_fn fn, void *arg);

/* ---- rules (nl_rules.c), exposed for unit tests ---------------------- */

/* Build the rules aud_rules_install adds, in add order.  Count or -errno. */
int	aud_rules_build(const struct aud_rules_opts *o,
	    struct aud_rule_list *out, char *err, size_t errlen);

/* Kernel version at least maj.min (uname). */
bool	aud_kernel_at_least(int maj, int min);

/* ---- the source (nl_src.c, nl_reader.c) ----------------------------- */

enum {
	AUD_SRC_BATCH = 64,	/* records the consumer takes per lock */
	AUD_SRC_DRAIN = 256,	/* datagrams the reader takes per wakeup */
	AUD_SRC_WAIT_MS = 200,	/* blocked push: slice between stats polls */
};

struct aud_src {
	enum aud_mode	 mode;
	struct aud_src_opts o;
	char		*state_file;	/* owned copy */
	struct aud_nl	 ev;		/* events: registered or multicast; -1 for plugin */
	struct aud_nl	 ctl;		/* control: AUDIT_GET polling, SET */
	pthread_mutex_t	 ctl_mu;
	int		 plugin_fd;
	int		 stopfd;	/* eventfd: wakes the reader to stop */
	pthread_t	 thr;
	bool		 thr_started;
	struct aud_queue *q;
	char		*rbuf;		/* reader's receive buffers: AUD_NL_BATCH x AUD_NL_BUF */
	struct aud_plugin_framer pf;
	bool		 block;		/* queue policy when full */

	/* Unicast: what we changed and must restore. */
	bool		 registered;
	bool		 state_written;	/* ours to remove on close */
	bool		 locked;	/* enabled=2: settings left alone */
	uint32_t	 changed;	/* AUDIT_STATUS_* bits we set */
	struct aud_status prev;

	/* Reader state, read by others through atomics. */
	_Atomic bool	 stop;
	_Atomic bool	 done;		/* reader exited (EOF or error) */
	_Atomic int	 reader_err;	/* -errno when it failed */
	_Atomic uint64_t records, bytes, queue_drops, queue_waits, enobufs,
			 truncated, spoofed, popped, malformed;
	_Atomic bool	 have_kernel;
	_Atomic uint32_t k_lost, k_backlog, k_backlog_limit, k_pid, k_enabled;
	_Atomic uint64_t k_lost_delta, k_polls, k_poll_errors;
	uint32_t	 lost_last;	/* reader thread only */
	int64_t		 next_poll_ms;	/* reader thread only */

	/* Consumer side. */
	struct aud_qitem *batch[AUD_SRC_BATCH];
	size_t		 bn, bi;
};

void	*aud_reader_main(void *arg);
/* One record from the reader into the queue, by the policy. */
void	aud_reader_push(struct aud_src *s, int kind, int type,
	    const char *data, size_t len);
/* AUDIT_GET on the control socket, update the kernel counters. */
void	aud_src_poll_kernel(struct aud_src *s);
int64_t	aud_mono_ms(void);

#endif
