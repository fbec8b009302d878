/*
 * msg.h - an alert after formatting: the unit that outputs, the alert
 * store and the HTTP API pass around.
 *
 * The rule engine hands over a borrowed struct fc_alert (alert.h); the
 * pipeline turns it once into a struct out_msg holding both Falco forms
 * (JSON line and text line) plus the few fields used for filtering.  A
 * message is immutable after creation and reference-counted, so every
 * output channel's queue and the store can hold the same one without
 * copies.  out_msg_unref() frees it when the last holder lets go.
 * Thread-safe (atomic refcount).
 */
#ifndef FC_OUTPUTS_MSG_H
#define FC_OUTPUTS_MSG_H

#include <stddef.h>
#include <stdint.h>

#include "outputs/alert.h"

struct out_msg {
	uint64_t	 id;		/* monotonic alert id (the store assigns it) */
	uint64_t	 time_ns;	/* event time */
	int		 priority;	/* enum fc_priority */
	const char	*rule;
	const char	*source;	/* "syscall", "internal" */
	const char	*container_id;	/* "host", a 12-char id, or "" when unknown */
	const char	*json;		/* Falco JSON, no newline */
	size_t		 json_len;
	const char	*text;		/* Falco text line, no newline */
	size_t		 text_len;
	unsigned	 refs;		/* private */
	/* The strings above live in the same allocation, after the struct. */
};

/*
 * out_msg_new - format a (with fmt's json_include_* and time options for
 * the JSON form; the text form always uses fmt->iso8601) into a new
 * message with one reference.  container_id may be NULL.  NULL on OOM.
 */
struct out_msg *out_msg_new(const struct fc_alert *a,
	    const struct fc_alert_format *fmt, const char *container_id);

/*
 * out_msg_new_internal - an internal alert (source "internal", e.g. a
 * drop or a failing output), with text `msg` and extra string fields
 * given as NULL-terminated key, value pairs.
 */
struct out_msg *out_msg_new_internal(int priority, const char *rule,
	    const char *msg, const char *const *kv, const char *hostname);

struct out_msg *out_msg_ref(struct out_msg *m);
void	out_msg_unref(struct out_msg *m);	/* NULL-safe */

#endif
