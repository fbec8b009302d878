/*
 * log.h - logging for the daemon's glue code (OpenBSD log.c shape).
 *
 * Library-like modules never log; main and the thread loops do, through
 * these.  Messages go to stderr (foreground, systemd's journal) or to
 * syslog.  log_warn() appends strerror(errno).  log_ratelimited() is for
 * per-event paths: at most one message per key per interval, counting
 * what it suppressed.  Thread-safe.
 */
#ifndef FC_CORE_LOG_H
#define FC_CORE_LOG_H

#include <stdbool.h>
#include <stdint.h>

enum log_level {
	LOG_LVL_ERR,
	LOG_LVL_WARN,
	LOG_LVL_INFO,
	LOG_LVL_DEBUG,
};

/* Send messages to syslog (true) or stderr; set the most verbose level kept. */
void	log_init(bool use_syslog, enum log_level level);

void	log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void	log_warnx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void	log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void	log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A bounded rate limiter: one message per interval, with the count dropped. */
struct log_limit {
	uint64_t	last_ns;
	uint64_t	suppressed;
	uint64_t	interval_ns;
};

void	log_limited(struct log_limit *l, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

#endif
