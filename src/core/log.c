/*
 * log.c - stderr or syslog logging (see log.h).  Global state: the sink
 * and level, set once at start-up (systemd and OpenBSD daemons do the
 * same); writes are single calls, so lines from threads do not mix.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>
#include <time.h>

#include "core/log.h"

static bool log_syslog;
static enum log_level log_level = LOG_LVL_INFO;

void
log_init(bool use_syslog, enum log_level level)
{
	log_syslog = use_syslog;
	log_level = level;
	if (use_syslog)
		openlog("falconet", LOG_PID | LOG_NDELAY, LOG_DAEMON);
}

static void __attribute__((format(printf, 3, 0)))
vlog(enum log_level lvl, const char *suffix, const char *fmt, va_list ap)
{
	static const int prio[] = { LOG_ERR, LOG_WARNING, LOG_INFO, LOG_DEBUG };
	char msg[1024];

	if (lvl > log_level)
		return;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (log_syslog)
		syslog(prio[lvl], "%s%s%s", msg, suffix ? ": " : "",
		    suffix ? suffix : "");
	else
		fprintf(stderr, "falconet: %s%s%s\n", msg, suffix ? ": " : "",
		    suffix ? suffix : "");
}

void
log_warn(const char *fmt, ...)
{
	const char *e = strerror(errno);
	va_list ap;

	va_start(ap, fmt);
	vlog(LOG_LVL_WARN, e, fmt, ap);
	va_end(ap);
}

#define LOG_FN(name, lvl)					\
void								\
name(const char *fmt, ...)					\
{								\
	va_list ap;						\
								\
	va_start(ap, fmt);					\
	vlog(lvl, NULL, fmt, ap);				\
	va_end(ap);						\
}

LOG_FN(log_warnx, LOG_LVL_WARN)
LOG_FN(log_info, LOG_LVL_INFO)
LOG_FN(log_debug, LOG_LVL_DEBUG)

void
log_limited(struct log_limit *l, const char *fmt, ...)
{
	struct timespec ts;
	uint64_t now;
	va_list ap;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	now = (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
	if (l->last_ns != 0 && now - l->last_ns < l->interval_ns) {
		l->suppressed++;
		return;
	}
	if (l->suppressed > 0)
		log_warnx("(%llu similar messages suppressed)",
		    (unsigned long long)l->suppressed);
	l->suppressed = 0;
	l->last_ns = now;
	va_start(ap, fmt);
	vlog(LOG_LVL_WARN, NULL, fmt, ap);
	va_end(ap);
}
