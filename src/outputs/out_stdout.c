/*
 * out_stdout.c - the stdout and syslog channels.
 *
 * stdout: each message is one write of the line and its newline (no
 * stdio buffer, so a line is never split or held back: "line-buffered"
 * whatever stdout is).  The fd is not ours: it is never closed.  A
 * stdout that blocks (a full pipe nobody reads) blocks only this worker.
 *
 * syslog: openlog() once when the channel is built, then one syslog()
 * per message at the level equal to the alert's priority number (Falco's
 * mapping: Emergency = LOG_EMERG ... Debug = LOG_DEBUG), facility
 * LOG_USER given explicitly, so a later openlog() elsewhere in the
 * process does not change where alerts go.  glibc's syslog() reports
 * nothing, so every message counts as sent; closelog() is left to the
 * process (the syslog connection is process-wide).
 */
#include "config.h"

#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "outputs/out_int.h"

static int
stdout_write(struct out_chan *ch, const struct out_msg *m)
{
	size_t len, done;
	const char *p = out_chan_body(ch, m, &len);
	int rc;

	rc = out_write_line(ch, STDOUT_FILENO, p, len, -1, &done);
	if (rc != 0)
		out_chan_seterr(ch, "write to stdout: %s", strerror(-rc));
	return rc == 0 ? 0 : -1;
}

static const struct out_chan_ops stdout_ops = {
	.name = "stdout",
	.write = stdout_write,
};

int
out_stdout_init(struct out_chan *ch, struct fc_conf *c)
{
	ch->ops = &stdout_ops;
	return 0;
}

static int
syslog_write(struct out_chan *ch, const struct out_msg *m)
{
	size_t len;
	const char *p = out_chan_body(ch, m, &len);
	int level = m->priority >= 0 && m->priority <= LOG_DEBUG ?
	    m->priority : LOG_DEBUG;

	syslog(LOG_USER | level, "%.*s", (int)len, p);
	return 0;
}

static const struct out_chan_ops syslog_ops = {
	.name = "syslog",
	.write = syslog_write,
};

int
out_syslog_init(struct out_chan *ch, struct fc_conf *c)
{
	openlog("falconet", LOG_PID, LOG_USER);
	ch->ops = &syslog_ops;
	return 0;
}
