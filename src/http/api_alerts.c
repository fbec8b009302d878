/*
 * api_alerts.c - GET /alerts: cursor polling with filters and long-poll,
 * and the query-string parsing the event stream shares.
 *
 * Answer: {"alerts":[{"id":N,...Falco's JSON...},...],"next":N,
 * "missed":N}.  "next" is the cursor for the next call (pass it as since);
 * it moves past alerts the filters rejected, so they are not examined
 * again.  "missed" counts alerts after since that had already left the
 * in-memory ring.  With wait=S and nothing new, the call blocks until an
 * alert that passes the filters arrives or S seconds (capped by
 * webserver.max_wait_s) pass.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "outputs/alert.h"
#include "outputs/msg.h"
#include "outputs/store.h"
#include "http/api_int.h"

#define LIMIT_DEFAULT	100
#define LIMIT_MAX	1000
#define STRING_MAX	1024
#define BODY_MAX	(16u << 20)	/* response cap; the page is cut short */
#define WAIT_SLICE_MS	250		/* re-check for shutdown this often */

static const char *const param_names[API_P_COUNT] = {
	"since", "limit", "priority", "rule", "container", "wait",
};

bool
api_parse_u64(const char *s, uint64_t *out)
{
	uint64_t v = 0;

	if (*s == '\0')
		return false;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9' || v > (UINT64_MAX - 9) / 10)
			return false;
		v = v * 10 + (uint64_t)(*s - '0');
	}
	*out = v;
	return true;
}

struct parse_ctx {
	unsigned		 allowed;
	unsigned		 seen;
	struct api_params	*p;
	char			*err;
	size_t			 errlen;
	bool			 failed;
};

static bool
parse_one(struct parse_ctx *pc, int which, const char *v)
{
	struct api_params *p = pc->p;
	uint64_t n;

	switch (which) {
	case API_P_SINCE:
		p->has_since = true;
		return api_parse_u64(v, &p->since);
	case API_P_LIMIT:
		if (!api_parse_u64(v, &n) || n < 1 || n > LIMIT_MAX)
			return false;
		p->limit = (size_t)n;
		return true;
	case API_P_PRIORITY:
		p->max_priority = fc_priority_parse(v, strlen(v));
		return p->max_priority >= 0;
	case API_P_RULE:
		p->rule = v;
		return strlen(v) <= STRING_MAX;
	case API_P_CONTAINER:
		p->container = v;
		return strlen(v) <= STRING_MAX;
	default:
		if (!api_parse_u64(v, &n))
			return false;
		p->wait_s = n > 3600 ? 3600 : (int)n;
		return true;
	}
}

static const char *
param_hint(int which)
{
	switch (which) {
	case API_P_SINCE:	return "an alert id (a whole number)";
	case API_P_LIMIT:	return "a whole number from 1 to 1000";
	case API_P_PRIORITY:	return "a Falco priority name (emergency .. "
				    "debug)";
	case API_P_WAIT:	return "a whole number of seconds";
	default:		return "a string of at most 1024 bytes";
	}
}

static enum MHD_Result
param_cb(void *cls, enum MHD_ValueKind kind, const char *key,
    const char *value)
{
	struct parse_ctx *pc = cls;
	int i;

	for (i = 0; i < API_P_COUNT && strcmp(key, param_names[i]); i++)
		;
	if (i == API_P_COUNT || !(pc->allowed & (1u << i)))
		snprintf(pc->err, pc->errlen, "unknown parameter '%s'", key);
	else if (pc->seen & (1u << i))
		snprintf(pc->err, pc->errlen, "parameter '%s' given twice",
		    key);
	else if (value == NULL || *value == '\0')
		snprintf(pc->err, pc->errlen, "parameter '%s' needs a value",
		    key);
	else if (!parse_one(pc, i, value))
		snprintf(pc->err, pc->errlen, "parameter '%s': expected %s",
		    key, param_hint(i));
	else {
		pc->seen |= 1u << i;
		return MHD_YES;
	}
	pc->failed = true;
	return MHD_NO;
}

int
api_params_parse(struct MHD_Connection *c, unsigned allowed,
    struct api_params *p, char *err, size_t errlen)
{
	struct parse_ctx pc = { allowed, 0, p, err, errlen, false };

	memset(p, 0, sizeof(*p));
	p->limit = LIMIT_DEFAULT;
	p->max_priority = -1;
	MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, param_cb, &pc);
	return pc.failed ? -1 : 0;
}

void
api_alert_json(struct fc_buf *b, const struct out_msg *m)
{
	fc_buf_printf(b, "{\"id\":%llu", (unsigned long long)m->id);
	if (m->json_len > 2 && m->json[0] == '{') {
		fc_buf_addc(b, ',');
		fc_buf_add(b, m->json + 1, m->json_len - 1);
	} else {
		fc_buf_addc(b, '}');
	}
}

/* Query, then long-poll while nothing passes the filters. */
static int
alerts_collect(struct api *api, const struct api_params *p,
    struct out_store_page *page)
{
	struct out_store_query q = {
		.since = p->since, .limit = p->limit,
		.max_priority = p->max_priority, .rule = p->rule,
		.container_id = p->container,
	};
	uint64_t deadline, now, missed;
	int wait_s = p->wait_s, rc;

	if (wait_s > api->cfg.max_wait_s)
		wait_s = api->cfg.max_wait_s;
	deadline = api_now_ms() + (uint64_t)wait_s * 1000u;
	if ((rc = out_store_query(api->src.store, &q, page)) != 0 ||
	    page->n > 0 || wait_s == 0)
		return rc;
	API_INC(&api->n.longpoll_waiting);
	while (page->n == 0 && !api_stopping(api) &&
	    (now = api_now_ms()) < deadline) {
		q.since = page->next;
		if (!out_store_wait(api->src.store, q.since,
		    deadline - now < WAIT_SLICE_MS ? (int)(deadline - now) :
		    WAIT_SLICE_MS))
			continue;
		missed = page->missed;
		if ((rc = out_store_query(api->src.store, &q, page)) != 0)
			break;
		page->missed += missed;
	}
	API_DEC(&api->n.longpoll_waiting);
	return rc;
}

static void
alerts_body(struct fc_buf *b, struct out_store_page *page)
{
	uint64_t next = page->next;
	size_t i;

	fc_buf_adds(b, "{\"alerts\":[");
	for (i = 0; i < page->n; i++) {
		if (i > 0 && b->len + page->msgs[i]->json_len + 64 > BODY_MAX) {
			next = page->msgs[i - 1]->id;
			break;
		}
		if (i > 0)
			fc_buf_addc(b, ',');
		api_alert_json(b, page->msgs[i]);
	}
	fc_buf_printf(b, "],\"next\":%llu,\"missed\":%llu}\n",
	    (unsigned long long)next, (unsigned long long)page->missed);
}

enum MHD_Result
api_h_alerts(struct api *api, struct MHD_Connection *c)
{
	struct out_msg *msgs[LIMIT_MAX];
	struct out_store_page page = { .msgs = msgs };
	struct api_params p;
	char err[256];
	struct fc_buf b;
	int rc;

	if (api_params_parse(c, 0x3f, &p, err, sizeof(err)) != 0)
		return api_error(api, c, API_EP_ALERTS, 400, "%s", err);
	rc = alerts_collect(api, &p, &page);
	if (rc == -ERANGE) {
		out_store_page_release(&page);
		return api_error(api, c, API_EP_ALERTS, 409, "cursor %llu is "
		    "ahead of the newest alert id %llu (was the store reset?)",
		    (unsigned long long)p.since,
		    (unsigned long long)page.next);
	}
	fc_buf_init(&b, BODY_MAX + 4096);
	alerts_body(&b, &page);
	out_store_page_release(&page);
	return api_reply(api, c, API_EP_ALERTS, 200, "application/json", &b);
}
