/*
 * nl.h - the live audit source: kernel netlink (unicast or multicast) or
 * auditd's plugin stream, plus falconet's own audit rules.
 *
 * aud_src_*: one reader thread per source copies every record into a
 * bounded queue; the consumer pops parsed records (struct aud_record, see
 * audit.h) with a timeout, so it can tick the correlator between records.
 * The kernel never waits on rule evaluation, only on the reader.
 *
 *   unicast    register as the audit daemon (AUDIT_SET pid), set enabled,
 *              backlog_limit, backlog_wait_time and failure; the previous
 *              values are restored by aud_src_close().  Real flow control.
 *   multicast  bind AUDIT_NLGRP_READLOG read-only beside a running auditd
 *              (kernel >= 3.16).  No flow control: a full socket loses
 *              records silently (counted as ENOBUFS, not in kernel lost).
 *   plugin     read auditd's dispatcher output (format string or binary)
 *              from a file descriptor, normally stdin.
 *
 * aud_rules_*: derive exit rules from a set of syscall names, for the
 * native and the 32-bit compat arch, tagged with our key, our pid excluded
 * by a leading never rule; list, check and delete only rules with our key.
 *
 * Library code: nothing here logs or exits; errors come back as -errno
 * plus a message in the caller's err buffer.  See docs/audit-modes.md.
 */
#ifndef FC_AUDIT_NL_H
#define FC_AUDIT_NL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "audit/audit.h"

struct fc_conf;

enum aud_mode {
	AUD_MODE_AUTO = 0,
	AUD_MODE_UNICAST,
	AUD_MODE_MULTICAST,
	AUD_MODE_PLUGIN,
};

enum aud_plugin_format {
	AUD_PFMT_AUTO = 0,	/* from the first byte: 't'/'n' string, else binary */
	AUD_PFMT_STRING,	/* audit.log lines */
	AUD_PFMT_BINARY,	/* struct audit_dispatcher_header + payload */
};

/* What the reader does when the queue is full. */
enum aud_qfull {
	AUD_QFULL_AUTO = 0,	/* block for unicast and plugin, drop for multicast */
	AUD_QFULL_BLOCK,	/* wait: back-pressure reaches the kernel/auditd */
	AUD_QFULL_DROP,		/* drop the record and count it */
};

/* A negative setting means "leave the kernel's value alone". */
struct aud_src_opts {
	enum aud_mode	 mode;
	bool		 plugin_stdin;	/* auto: started by auditd's dispatcher */
	int		 plugin_fd;	/* plugin mode: fd to read (borrowed); 0 = stdin */
	enum aud_plugin_format plugin_format;
	int64_t		 backlog_limit;	/* unicast: records; default 8192 */
	int64_t		 backlog_wait_time;	/* unicast: jiffies, as auditctl; default -1 */
	int		 failure;	/* unicast: 0 silent, 1 printk, 2 panic; default -1 */
	size_t		 rcvbuf;	/* SO_RCVBUFFORCE bytes; default 32 MiB */
	size_t		 queue_records;	/* queue bound in records; default 65536 */
	size_t		 queue_bytes;	/* queue bound in payload bytes; default 64 MiB */
	enum aud_qfull	 queue_full;
	unsigned	 stats_interval_ms;	/* AUDIT_GET poll; default 1000 */
	unsigned	 batch_wait_ms;	/* reader pause after a partial drain; default 1 */
	const char	*state_file;	/* unicast: saved settings for kill -9 recovery; NULL none */
};

/* The defaults above. */
void	aud_src_opts_default(struct aud_src_opts *o);

/*
 * aud_src_conf - read the audit.* keys of c into o (after the defaults):
 * audit.mode (auto|unicast|multicast|plugin), audit.backlog_limit,
 * audit.backlog_wait_time, audit.failure, audit.rcvbuf,
 * audit.queue_records, audit.queue_bytes, audit.queue_full
 * (auto|block|drop), audit.plugin_format (auto|string|binary),
 * audit.stats_interval_ms, audit.batch_wait_ms, audit.state_file.  Bad values are recorded in c
 * (conf_errors); o->state_file points into c.
 */
void	aud_src_conf(struct fc_conf *c, struct aud_src_opts *o);

const char *aud_mode_name(enum aud_mode m);

struct aud_src;

/*
 * aud_src_open - choose the mode (o->mode, or auto: plugin when
 * o->plugin_stdin, unicast when no audit daemon is registered or its pid
 * is dead, multicast when one runs), set it up and start the reader
 * thread.  NULL on failure with a message in err.
 */
struct aud_src *aud_src_open(const struct aud_src_opts *o, char *err,
	    size_t errlen);

/*
 * aud_src_close - stop the reader; in unicast mode restore enabled,
 * failure, backlog_limit and backlog_wait_time and unregister (pid 0).
 * Does not touch rules (aud_rules_remove_ours).  NULL-safe.
 */
void	aud_src_close(struct aud_src *s);

/* The mode actually chosen. */
enum aud_mode aud_src_mode(const struct aud_src *s);

enum {
	AUD_SRC_REC_MAX = 65536,	/* buffer for aud_src_next(): longest record kept */
};

/*
 * aud_src_next - the next record, waiting up to timeout_ms (0: no wait,
 * < 0: forever).  The record is parsed into *rec, pointing into buf (of
 * bufsz >= AUD_SRC_REC_MAX bytes), valid until the next call.  Returns 1
 * for a record, 0 on timeout, -ENODATA at the end of the plugin stream
 * once the queue is empty, another -errno if the reader failed.
 * Records that do not parse are counted (malformed) and skipped.
 * One consumer thread only.
 */
int	aud_src_next(struct aud_src *s, struct aud_record *rec, char *buf,
	    size_t bufsz, int timeout_ms);

struct aud_src_stats {
	uint64_t	 records;	/* records queued by the reader */
	uint64_t	 bytes;
	uint64_t	 popped;	/* records handed to the consumer */
	uint64_t	 malformed;	/* popped but not parseable */
	uint64_t	 queue_drops;	/* our queue was full (drop policy) */
	uint64_t	 queue_waits;	/* our queue was full (block policy) */
	uint64_t	 enobufs;	/* socket overruns: records lost in multicast */
	uint64_t	 truncated;	/* MSG_TRUNC or over-long plugin records */
	uint64_t	 spoofed;	/* messages not from the kernel (nl_pid != 0) */
	size_t		 queue_depth, queue_high;	/* records */
	/* Kernel (AUDIT_GET on the control socket, every stats interval). */
	bool		 have_kernel;	/* at least one AUDIT_GET succeeded */
	uint32_t	 kernel_lost;	/* lost counter now */
	uint64_t	 kernel_lost_delta;	/* increase since open (wrap-safe) */
	uint32_t	 kernel_backlog;
	uint32_t	 kernel_backlog_limit;
	uint32_t	 kernel_pid;
	uint32_t	 kernel_enabled;
	uint64_t	 kernel_polls;
	uint64_t	 kernel_poll_errors;
};

/* A consistent-enough snapshot (relaxed reads). */
void	aud_src_stats(struct aud_src *s, struct aud_src_stats *st);

/* ---- Kernel status ---------------------------------------------------- */

struct aud_status {
	uint32_t	 enabled;	/* 0, 1, 2 = locked (auditctl -e 2) */
	uint32_t	 failure;
	uint32_t	 pid;
	uint32_t	 rate_limit;
	uint32_t	 backlog_limit;
	uint32_t	 lost;
	uint32_t	 backlog;
	uint32_t	 feature_bitmap;
	uint32_t	 backlog_wait_time;
	bool		 has_wait_time;	/* the reply had the field */
};

/* AUDIT_GET on a fresh control socket.  0 or -errno. */
int	aud_status_get(struct aud_status *st, char *err, size_t errlen);

/*
 * aud_status_reset_dead_pid - if the registered audit daemon is dead,
 * make the kernel forget it (AUDIT_SET pid 0 from this process: the
 * kernel's liveness probe fails and resets the connection).  Returns 0
 * (nothing registered, or reset), -EEXIST when a live daemon is
 * registered, another -errno on failure.  For tests and recovery.
 */
int	aud_status_reset_dead_pid(char *err, size_t errlen);

/* ---- Rules -------------------------------------------------------------- */

enum {
	AUD_RULES_MAX_SYSCALLS = 512,
};

struct aud_rules_opts {
	const char	*const *syscalls;	/* names ("execve"); unknown per arch: skipped */
	size_t		 nsyscalls;
	const char	*key;		/* our tag; NULL = "falconet" */
	int		 exclude_pid;	/* leading never rule for it; 0 = getpid(), < 0 none */
};

#define AUD_RULES_KEY "falconet"

/*
 * aud_rules_install - remove every rule carrying our key, then add
 * "-A never,exit -S all -F pid=PID -k KEY" at the front and, for each arch
 * (b64 and b32 on 64-bit hosts) with at least one known syscall, one
 * "-a always,exit -F arch=ARCH -S ... -k KEY".  Returns the number of
 * rules added, or -errno (-EPERM with "locked" in err when the audit
 * configuration is immutable, -ENOENT when no syscall is known).  Never
 * touches rules without our key.
 */
int	aud_rules_install(const struct aud_rules_opts *o, char *err,
	    size_t errlen);

/* Delete exactly the rules whose key is ours.  Number deleted or -errno. */
int	aud_rules_remove_ours(const char *key, char *err, size_t errlen);

/*
 * aud_rules_check - whether the rules aud_rules_install(o) adds are all
 * in the kernel, once each, and no other rule carries our key.  1 yes,
 * 0 no (what differs in err), -errno when the rules cannot be listed.
 */
int	aud_rules_check(const struct aud_rules_opts *o, char *err, size_t errlen);

/* Number of kernel rules whose key is key (NULL: ours), or -errno. */
int	aud_rules_count(const char *key, char *err, size_t errlen);

/*
 * aud_rec_rules_changed - a hint that someone removed rules: a
 * CONFIG_CHANGE record with op=remove_rule (or "remove rule") whose key
 * is ours or absent.  Confirm with aud_rules_check(): our own removals
 * produce the same record.
 */
bool	aud_rec_rules_changed(const struct aud_record *rec, const char *key);

#endif
