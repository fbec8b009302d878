/*
 * api_stream.c - GET /alerts/stream: alerts as Server-Sent Events.
 *
 * Each alert is "id: N\ndata: <JSON with id>\n\n".  A client resumes
 * with the Last-Event-ID header (browsers' EventSource send it on their
 * own) or ?since=ID; without either the stream starts with the next new
 * alert.  Filters as for /alerts.  A comment line is sent when nothing
 * happened for a while, so that proxies and libmicrohttpd's idle timeout
 * keep the connection.
 *
 * Slow clients: the stream reads the store from its own cursor; a client
 * that falls so far behind that alerts it has not received leave the
 * ring is disconnected and counted (stream_slow), and one that stops
 * reading altogether is closed by the idle timeout (stream_timeouts).
 * Memory per stream is one page of alerts.  At most half of
 * webserver.max_connections may be streams (503 beyond), so polling
 * clients always find a free connection.
 *
 * Runs on the connection's own thread (thread-per-connection): the
 * content callback blocks on the store's condition variable.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "outputs/msg.h"
#include "outputs/store.h"
#include "http/api_int.h"

#define STREAM_PAGE	64
#define STREAM_BLOCK	(64u << 10)
#define STREAM_BUF_MAX	(STREAM_PAGE * (4u << 20) + 4096)
#define WAIT_SLICE_MS	250

static char stream_marker;	/* *req_ctx of stream requests */

struct stream {
	struct api		*api;
	struct out_store_query	 q;
	char			*rule;		/* copies: q points here */
	char			*container;
	struct fc_buf		 out;
	size_t			 off;		/* sent part of out */
	bool			 started;	/* first page done */
	int			 keepalive_ms;
};

bool
api_is_stream_request(void *req_ctx)
{
	return req_ctx == &stream_marker;
}

static void
stream_free(void *cls)
{
	struct stream *st = cls;

	API_DEC(&st->api->n.streams);
	fc_buf_fini(&st->out);
	free(st->rule);
	free(st->container);
	free(st);
}

/* Format a page of alerts as events; false when the client fell behind. */
static bool
stream_fill(struct stream *st)
{
	struct out_msg *msgs[STREAM_PAGE];
	struct out_store_page page = { .msgs = msgs };
	size_t i;

	st->q.limit = STREAM_PAGE;
	if (out_store_query(st->api->src.store, &st->q, &page) != 0)
		return true;
	if (page.missed > 0 && st->started) {
		out_store_page_release(&page);
		API_INC(&st->api->n.stream_slow);
		return false;
	}
	if (page.missed > 0)
		fc_buf_printf(&st->out, "event: missed\ndata: {\"missed\":%llu}"
		    "\n\n", (unsigned long long)page.missed);
	st->started = true;
	for (i = 0; i < page.n; i++) {
		fc_buf_printf(&st->out, "id: %llu\ndata: ",
		    (unsigned long long)page.msgs[i]->id);
		api_alert_json(&st->out, page.msgs[i]);
		fc_buf_adds(&st->out, "\n\n");
	}
	st->q.since = page.next;
	out_store_page_release(&page);
	return true;
}

/* Block until there is something to send (events or a keep-alive). */
static bool
stream_next(struct stream *st)
{
	uint64_t deadline = api_now_ms() + (uint64_t)st->keepalive_ms, now;

	fc_buf_reset(&st->out);
	st->off = 0;
	while (!api_stopping(st->api)) {
		if (!stream_fill(st))
			return false;
		if (st->out.len > 0)
			return true;
		now = api_now_ms();
		if (now >= deadline) {
			fc_buf_adds(&st->out, ": keep-alive\n\n");
			return true;
		}
		out_store_wait(st->api->src.store, st->q.since,
		    deadline - now < WAIT_SLICE_MS ? (int)(deadline - now) :
		    WAIT_SLICE_MS);
	}
	return false;
}

static ssize_t
stream_read(void *cls, uint64_t pos, char *buf, size_t max)
{
	struct stream *st = cls;
	size_t n;

	if (st->off >= st->out.len && !stream_next(st))
		return api_stopping(st->api) ? MHD_CONTENT_READER_END_OF_STREAM :
		    MHD_CONTENT_READER_END_WITH_ERROR;
	if (st->out.overflow)
		return MHD_CONTENT_READER_END_WITH_ERROR;
	n = st->out.len - st->off < max ? st->out.len - st->off : max;
	memcpy(buf, st->out.p + st->off, n);
	st->off += n;
	return (ssize_t)n;
}

/* Where the stream starts: Last-Event-ID, else since, else "now". */
static int
stream_cursor(struct api *api, struct MHD_Connection *c,
    const struct api_params *p, uint64_t *cur)
{
	const char *h = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
	    "Last-Event-ID");

	if (h != NULL)
		return api_parse_u64(h, cur) ? 0 : -1;
	*cur = p->has_since ? p->since : out_store_last_id(api->src.store);
	return 0;
}

static struct stream *
stream_new(struct api *api, const struct api_params *p, uint64_t cur)
{
	struct stream *st = calloc(1, sizeof(*st));

	if (st == NULL)
		return NULL;
	st->api = api;
	st->q.since = cur;
	st->q.max_priority = p->max_priority;
	st->rule = p->rule != NULL ? strdup(p->rule) : NULL;
	st->container = p->container != NULL ? strdup(p->container) : NULL;
	st->q.rule = st->rule;
	st->q.container_id = st->container;
	st->keepalive_ms = api->cfg.timeout_s * 500;
	if (st->keepalive_ms > 15000)
		st->keepalive_ms = 15000;
	fc_buf_init(&st->out, STREAM_BUF_MAX);
	fc_buf_adds(&st->out, "retry: 2000\n\n");
	API_INC(&api->n.streams);
	return st;
}

static enum MHD_Result
stream_reply(struct api *api, struct MHD_Connection *c, struct stream *st)
{
	struct MHD_Response *r;
	enum MHD_Result rc;

	r = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, STREAM_BLOCK,
	    stream_read, st, stream_free);
	if (r == NULL) {
		stream_free(st);
		return MHD_NO;
	}
	api_headers(r, "text/event-stream");
	MHD_add_response_header(r, "X-Accel-Buffering", "no");
	api_count(api, API_EP_STREAM, 200);
	rc = MHD_queue_response(c, 200, r);
	MHD_destroy_response(r);
	return rc;
}

enum MHD_Result
api_h_stream(struct api *api, struct MHD_Connection *c, void **req_ctx)
{
	unsigned allowed = 1u << API_P_SINCE | 1u << API_P_PRIORITY |
	    1u << API_P_RULE | 1u << API_P_CONTAINER;
	struct api_params p;
	struct out_store_page probe = { 0 };
	struct out_store_query q = { 0 };
	struct stream *st;
	uint64_t cur;
	char err[256];

	if (api_params_parse(c, allowed, &p, err, sizeof(err)) != 0)
		return api_error(api, c, API_EP_STREAM, 400, "%s", err);
	if (stream_cursor(api, c, &p, &cur) != 0)
		return api_error(api, c, API_EP_STREAM, 400, "header "
		    "'Last-Event-ID': expected an alert id (a whole number)");
	q.since = cur;
	if (out_store_query(api->src.store, &q, &probe) == -ERANGE)
		return api_error(api, c, API_EP_STREAM, 409, "cursor %llu is "
		    "ahead of the newest alert id %llu (was the store reset?)",
		    (unsigned long long)cur, (unsigned long long)probe.next);
	if (API_GET(&api->n.streams) >=
	    (uint64_t)(api->cfg.max_connections + 1) / 2)
		return api_error(api, c, API_EP_STREAM, 503, "too many event "
		    "streams (at most %d)", (api->cfg.max_connections + 1) / 2);
	*req_ctx = &stream_marker;
	if ((st = stream_new(api, &p, cur)) == NULL)
		return api_error(api, c, API_EP_STREAM, 500, "out of memory");
	return stream_reply(api, c, st);
}
