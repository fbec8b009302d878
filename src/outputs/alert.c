/*
 * alert.c - Falco's text and JSON forms of an alert (see alert.h).
 *
 * Owns nothing.  The JSON keys are written in sorted order by hand (the
 * set is fixed), output_fields are sorted with qsort on a small index
 * array on the stack, so formatting allocates only in the output buffer.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "core/buf.h"
#include "outputs/alert.h"

#define ALERT_MAX_SORTED	256	/* output fields sorted on the stack */

static const char *const pri_names[] = {
	"Emergency", "Alert", "Critical", "Error", "Warning", "Notice",
	"Informational", "Debug",
};

const char *
fc_priority_name(int pri)
{
	if (pri < 0 || pri > FC_PRI_MAX)
		return NULL;
	return pri_names[pri];
}

int
fc_priority_parse(const char *s, size_t len)
{
	int i;

	if (len == 4 && strncasecmp(s, "info", 4) == 0)
		return FC_PRI_INFORMATIONAL;
	for (i = 0; i <= FC_PRI_MAX; i++)
		if (strlen(pri_names[i]) == len &&
		    strncasecmp(s, pri_names[i], len) == 0)
			return i;
	return -1;
}

void
fc_alert_format_defaults(struct fc_alert_format *f)
{
	f->json = false;
	f->iso8601 = false;
	f->include_output = true;
	f->include_output_fields = true;
	f->include_tags = true;
	f->include_message = false;
}

/* "2016-08-04T16:17:57.881781397+0000" (iso) or local "16:17:57.881781397". */
static void
text_time(struct fc_buf *out, uint64_t ns, bool iso8601)
{
	time_t t = (time_t)(ns / 1000000000u);
	unsigned long frac = (unsigned long)(ns % 1000000000u);
	struct tm tm;

	if (iso8601) {
		gmtime_r(&t, &tm);
		fc_buf_printf(out, "%04d-%02d-%02dT%02d:%02d:%02d.%09lu+0000",
		    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		    tm.tm_min, tm.tm_sec, frac);
	} else {
		localtime_r(&t, &tm);
		fc_buf_printf(out, "%02d:%02d:%02d.%09lu", tm.tm_hour,
		    tm.tm_min, tm.tm_sec, frac);
	}
}

void
fc_alert_text(const struct fc_alert *a, bool iso8601, struct fc_buf *out)
{
	const char *pn = fc_priority_name(a->priority);

	text_time(out, a->time_ns, iso8601);
	fc_buf_add(out, ": ", 2);
	fc_buf_adds(out, pn != NULL ? pn : "Debug");
	fc_buf_addc(out, ' ');
	fc_buf_add(out, a->output, a->output_len);
}

static int
cmp_field(const void *x, const void *y)
{
	const struct fc_alert_field *a = *(const struct fc_alert_field *const *)x;
	const struct fc_alert_field *b = *(const struct fc_alert_field *const *)y;

	return strcmp(a->key, b->key);
}

static void
json_value(struct fc_buf *out, const struct fc_alert_field *f)
{
	switch (f->kind) {
	case FC_AV_STRING:
		fc_json_str(out, f->text, f->len);
		break;
	case FC_AV_JSON:
		fc_buf_add(out, f->text, f->len);
		break;
	default:
		fc_buf_add(out, "null", 4);
		break;
	}
}

/* output_fields: the rule's fields plus the prefix's time field, sorted. */
static void
json_output_fields(struct fc_buf *out, const struct fc_alert *a, bool iso8601)
{
	const struct fc_alert_field *sorted[ALERT_MAX_SORTED + 1];
	struct fc_alert_field tf;
	char ns[24];
	size_t n = 0, i;

	snprintf(ns, sizeof(ns), "%" PRIu64, a->time_ns);
	tf = (struct fc_alert_field){ iso8601 ? "evt.time.iso8601" :
	    "evt.time", FC_AV_JSON, ns, strlen(ns) };
	sorted[n++] = &tf;
	for (i = 0; i < a->nfields && n <= ALERT_MAX_SORTED; i++)
		if (strcmp(a->fields[i].key, tf.key) != 0)
			sorted[n++] = &a->fields[i];
	qsort(sorted, n, sizeof(sorted[0]), cmp_field);
	fc_buf_addc(out, '{');
	for (i = 0; i < n; i++) {
		if (i > 0 && strcmp(sorted[i]->key, sorted[i - 1]->key) == 0)
			continue;	/* a field named twice in the output */
		if (i > 0)
			fc_buf_addc(out, ',');
		fc_json_str(out, sorted[i]->key, strlen(sorted[i]->key));
		fc_buf_addc(out, ':');
		json_value(out, sorted[i]);
	}
	fc_buf_addc(out, '}');
}

static void
json_time(struct fc_buf *out, uint64_t ns)
{
	time_t t = (time_t)(ns / 1000000000u);
	struct tm tm;

	gmtime_r(&t, &tm);
	fc_buf_printf(out, "\"%04d-%02d-%02dT%02d:%02d:%02d.%09luZ\"",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	    tm.tm_min, tm.tm_sec, (unsigned long)(ns % 1000000000u));
}

static void
json_alert(const struct fc_alert *a, const struct fc_alert_format *f,
    struct fc_buf *out)
{
	const char *pn = fc_priority_name(a->priority);
	size_t start, i;
	bool first = true;

	fc_buf_addc(out, '{');
	fc_json_kstr(out, &first, "hostname", a->hostname,
	    strlen(a->hostname));
	if (f->include_message)
		fc_json_kstr(out, &first, "message", a->output, a->output_len);
	if (f->include_output) {
		/* Render the text line in place, then JSON-escape a copy of it. */
		fc_json_key(out, &first, "output");
		start = out->len;
		fc_alert_text(a, f->iso8601, out);
		if (!out->overflow) {
			size_t n = out->len - start;
			char *line = malloc(n);
			if (line != NULL) {
				memcpy(line, out->p + start, n);
				out->len = start;
				fc_json_str(out, line, n);
				free(line);
			}
		}
	}
	if (f->include_output_fields) {
		fc_json_key(out, &first, "output_fields");
		json_output_fields(out, a, f->iso8601);
	}
	fc_json_kstr(out, &first, "priority", pn ? pn : "Debug",
	    strlen(pn ? pn : "Debug"));
	fc_json_kstr(out, &first, "rule", a->rule, strlen(a->rule));
	fc_json_kstr(out, &first, "source", a->source, strlen(a->source));
	if (f->include_tags) {
		fc_json_key(out, &first, "tags");
		fc_buf_addc(out, '[');
		for (i = 0; i < a->ntags; i++) {
			if (i > 0)
				fc_buf_addc(out, ',');
			fc_json_str(out, a->tags[i], strlen(a->tags[i]));
		}
		fc_buf_addc(out, ']');
	}
	fc_json_key(out, &first, "time");
	json_time(out, a->time_ns);
	fc_buf_addc(out, '}');
}

void
fc_alert_format(const struct fc_alert *a, const struct fc_alert_format *f,
    struct fc_buf *out)
{
	if (f->json)
		json_alert(a, f, out);
	else
		fc_alert_text(a, f->iso8601, out);
}
