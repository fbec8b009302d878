/*
 * msg.c - formatted, reference-counted alert messages (see msg.h).
 *
 * One malloc per message: the struct, then the rule, source, container
 * id, JSON and text strings, each NUL-terminated.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/buf.h"
#include "outputs/msg.h"

#define MSG_MAX_BYTES	(4u << 20)

static char *
put(char **p, const char *s, size_t len)
{
	char *start = *p;

	memcpy(start, s, len);
	start[len] = '\0';
	*p += len + 1;
	return start;
}

static struct out_msg *
msg_build(const struct fc_alert *a, const struct fc_buf *json,
    const struct fc_buf *text, const char *cid)
{
	size_t rl = strlen(a->rule), sl = strlen(a->source), cl = strlen(cid);
	struct out_msg *m;
	char *p;

	m = malloc(sizeof(*m) + rl + sl + cl + json->len + text->len + 5);
	if (m == NULL)
		return NULL;
	p = (char *)(m + 1);
	m->id = 0;
	m->time_ns = a->time_ns;
	m->priority = a->priority;
	m->rule = put(&p, a->rule, rl);
	m->source = put(&p, a->source, sl);
	m->container_id = put(&p, cid, cl);
	m->json = put(&p, json->p != NULL ? json->p : "", json->len);
	m->json_len = json->len;
	m->text = put(&p, text->p != NULL ? text->p : "", text->len);
	m->text_len = text->len;
	m->refs = 1;
	return m;
}

struct out_msg *
out_msg_new(const struct fc_alert *a, const struct fc_alert_format *fmt,
    const char *container_id)
{
	struct fc_alert_format jf = *fmt;
	struct fc_buf json, text;
	struct out_msg *m = NULL;

	jf.json = true;
	fc_buf_init(&json, MSG_MAX_BYTES);
	fc_buf_init(&text, MSG_MAX_BYTES);
	fc_alert_format(a, &jf, &json);
	fc_alert_text(a, fmt->iso8601, &text);
	if (!json.overflow && !text.overflow)
		m = msg_build(a, &json, &text,
		    container_id != NULL ? container_id : "");
	fc_buf_fini(&json);
	fc_buf_fini(&text);
	return m;
}

struct out_msg *
out_msg_new_internal(int priority, const char *rule, const char *msg,
    const char *const *kv, const char *hostname)
{
	struct fc_alert_field fields[16];
	struct fc_alert_format fmt;
	struct timespec ts;
	struct fc_buf out;
	struct fc_alert a;
	size_t n = 0, olen;
	struct out_msg *m;

	fc_buf_init(&out, MSG_MAX_BYTES);
	fc_buf_adds(&out, msg);
	for (; kv != NULL && kv[0] != NULL && kv[1] != NULL && n < 16; kv += 2) {
		fc_buf_printf(&out, "%s%s=%s", n == 0 ? " (" : " ", kv[0],
		    kv[1]);
		fields[n++] = (struct fc_alert_field){ kv[0], FC_AV_STRING,
		    kv[1], strlen(kv[1]) };
	}
	if (n > 0)
		fc_buf_addc(&out, ')');
	olen = out.len;
	clock_gettime(CLOCK_REALTIME, &ts);
	a = (struct fc_alert){
		.time_ns = (uint64_t)ts.tv_sec * 1000000000ull +
		    (uint64_t)ts.tv_nsec,
		.priority = priority, .rule = rule, .source = "internal",
		.output = out.p != NULL ? out.p : "", .output_len = olen,
		.fields = fields, .nfields = n,
		.hostname = hostname != NULL ? hostname : "",
	};
	fc_alert_format_defaults(&fmt);
	m = out_msg_new(&a, &fmt, "");
	fc_buf_fini(&out);
	return m;
}

struct out_msg *
out_msg_ref(struct out_msg *m)
{
	__atomic_fetch_add(&m->refs, 1, __ATOMIC_RELAXED);
	return m;
}

void
out_msg_unref(struct out_msg *m)
{
	if (m != NULL && __atomic_sub_fetch(&m->refs, 1, __ATOMIC_ACQ_REL) == 0)
		free(m);
}
