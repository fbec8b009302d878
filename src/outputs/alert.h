/*
 * alert.h - an alert as the rule engine produces it, and its Falco forms.
 *
 * struct fc_alert is plain data: every string is borrowed from the rule
 * set or from the per-event scratch space, valid during the call that
 * hands the alert over.  A consumer that keeps an alert (the alert store,
 * an output queue) keeps the formatted bytes, not the struct.
 *
 * The JSON form is Falco's (engine/formats.cpp): one line, keys sorted,
 * output_fields typed, missing values null, time with 9 fractional digits.
 * The text form is "<time>: <Priority> <output>".
 */
#ifndef FC_OUTPUTS_ALERT_H
#define FC_OUTPUTS_ALERT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct fc_buf;

/* Priorities: numbers are syslog levels, names are Falco's. */
enum fc_priority {
	FC_PRI_EMERGENCY = 0,
	FC_PRI_ALERT,
	FC_PRI_CRITICAL,
	FC_PRI_ERROR,
	FC_PRI_WARNING,
	FC_PRI_NOTICE,
	FC_PRI_INFORMATIONAL,
	FC_PRI_DEBUG,
	FC_PRI_MAX = FC_PRI_DEBUG,
};

/* "Warning" etc.; NULL when out of range. */
const char *fc_priority_name(int pri);

/* Case-insensitive name ("warning", "INFO", "Informational") to priority; -1 if unknown. */
int	fc_priority_parse(const char *s, size_t len);

enum fc_alert_vkind {
	FC_AV_NULL = 0,		/* the field had no value: null / <NA> */
	FC_AV_STRING,
	FC_AV_JSON,		/* text is a JSON value (number, bool, string) */
};

struct fc_alert_field {
	const char		*key;	/* field spelling, e.g. "proc.aname[2]" */
	enum fc_alert_vkind	 kind;
	const char		*text;
	size_t			 len;
};

struct fc_alert {
	uint64_t		 time_ns;	/* event time, ns since the epoch */
	int			 priority;
	const char		*rule;
	const char		*source;	/* "syscall", "internal" */
	const char *const	*tags;		/* sorted, unique */
	size_t			 ntags;
	const char		*output;	/* rendered output text */
	size_t			 output_len;
	const struct fc_alert_field *fields;	/* output_fields, any order */
	size_t			 nfields;
	const char		*hostname;
};

struct fc_alert_format {
	bool	json;			/* json_output */
	bool	iso8601;		/* time_format_iso_8601 */
	bool	include_output;		/* json_include_output_property */
	bool	include_output_fields;	/* json_include_output_fields_property */
	bool	include_tags;		/* json_include_tags_property */
	bool	include_message;	/* json_include_message_property */
};

/* Falco's defaults (text output, all json_include_* as in falco.yaml). */
void	fc_alert_format_defaults(struct fc_alert_format *f);

/* Append the alert in the configured form to out, without a newline. */
void	fc_alert_format(const struct fc_alert *a, const struct fc_alert_format *f,
	    struct fc_buf *out);

/* The text line "<time>: <Priority> <output>" alone (also used in JSON "output"). */
void	fc_alert_text(const struct fc_alert *a, bool iso8601, struct fc_buf *out);

#endif
