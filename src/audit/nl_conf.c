/*
 * nl_conf.c - the audit.* configuration keys of the audit source
 * (etc/falconet.yaml; docs/audit-modes.md lists them with their defaults).
 */
#include "config.h"

#include <string.h>

#include "audit/nl.h"
#include "conf.h"

/* Index of v in names (NULL-terminated), or def with an error recorded. */
static int
pick(struct fc_conf *c, const char *key, const char *const *names, int def)
{
	const char *v = conf_str(c, key, NULL);

	if (v == NULL)
		return def;
	for (int i = 0; names[i]; i++)
		if (strcmp(v, names[i]) == 0)
			return i;
	conf_error(c, key, "unknown value '%s'", v);
	return def;
}

void
aud_src_conf(struct fc_conf *c, struct aud_src_opts *o)
{
	static const char *const modes[] = { "auto", "unicast", "multicast",
	    "plugin", NULL };
	static const char *const fmts[] = { "auto", "string", "binary", NULL };
	static const char *const qf[] = { "auto", "block", "drop", NULL };

	aud_src_opts_default(o);
	o->mode = (enum aud_mode)pick(c, "audit.mode", modes, AUD_MODE_AUTO);
	o->plugin_format = (enum aud_plugin_format)pick(c,
	    "audit.plugin_format", fmts, AUD_PFMT_AUTO);
	o->queue_full = (enum aud_qfull)pick(c, "audit.queue_full", qf,
	    AUD_QFULL_AUTO);
	o->backlog_limit = conf_int(c, "audit.backlog_limit", -1, UINT32_MAX,
	    o->backlog_limit);
	o->backlog_wait_time = conf_int(c, "audit.backlog_wait_time", -1,
	    600000, o->backlog_wait_time);
	o->failure = (int)conf_int(c, "audit.failure", -1, 2, o->failure);
	o->rcvbuf = (size_t)conf_int(c, "audit.rcvbuf", 0, 1u << 30,
	    (int64_t)o->rcvbuf);
	o->queue_records = (size_t)conf_int(c, "audit.queue_records", 16,
	    1 << 24, (int64_t)o->queue_records);
	o->queue_bytes = (size_t)conf_int(c, "audit.queue_bytes", 1 << 20,
	    (int64_t)1 << 34, (int64_t)o->queue_bytes);
	o->stats_interval_ms = (unsigned)conf_int(c, "audit.stats_interval_ms",
	    100, 3600000, o->stats_interval_ms);
	o->batch_wait_ms = (unsigned)conf_int(c, "audit.batch_wait_ms", 0, 100,
	    o->batch_wait_ms);
	o->state_file = conf_str(c, "audit.state_file",
	    "/run/falconet/audit.state");
	if (o->state_file && *o->state_file == '\0')
		o->state_file = NULL;
}
