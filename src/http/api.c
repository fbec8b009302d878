/*
 * api.c - the HTTP API's life cycle and request dispatch (see http.h).
 *
 * Threading: libmicrohttpd with MHD_USE_THREAD_PER_CONNECTION (plus its
 * internal listening thread).  Long-polls and event streams wait on the
 * alert store's condition variable; with a thread per connection they
 * just block, which keeps them simple and wakes them the moment an alert
 * arrives, where the single-thread poll mode would need suspend/resume
 * and a notifier thread.  The price is one thread per open connection,
 * bounded by webserver.max_connections, with small stacks.
 *
 * Every request goes through the same checks, in order: size (413),
 * authentication (401/403; the health probe path is exempt, as it is
 * for Kubernetes probes in Falco), route (404), method (405), then the
 * handler, which validates its parameters (400).  Every error body is
 * {"error": "..."}.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "conf.h"
#include "http/api_int.h"

#define STACK_SIZE	(256u << 10)
#define POOL_MIN	(32u << 10)

const unsigned api_codes[API_NCODES] = {
	200, 400, 401, 403, 404, 405, 408, 409, 413, 429, 500, 503, 304,
};

bool
api_stopping(struct api *api)
{
	return __atomic_load_n(&api->stopping, __ATOMIC_ACQUIRE);
}

void
api_count(struct api *api, enum api_ep ep, unsigned status)
{
	size_t i;

	for (i = 0; i < API_NCODES && api_codes[i] != status; i++)
		;
	API_INC(&api->n.requests[ep][i]);
}

void
api_headers(struct MHD_Response *r, const char *ctype)
{
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, ctype);
	MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
}

static void
status_headers(struct MHD_Response *r, unsigned status)
{
	if (status == MHD_HTTP_UNAUTHORIZED)
		MHD_add_response_header(r, MHD_HTTP_HEADER_WWW_AUTHENTICATE,
		    "Bearer realm=\"falconet\"");
	else if (status == MHD_HTTP_METHOD_NOT_ALLOWED)
		MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
}

enum MHD_Result
api_reply(struct api *api, struct MHD_Connection *c, enum api_ep ep,
    unsigned status, const char *ctype, struct fc_buf *b)
{
	struct MHD_Response *r;
	enum MHD_Result rc;

	if (b->overflow) {
		fc_buf_fini(b);
		return api_error(api, c, ep, 500, "response too large");
	}
	r = MHD_create_response_from_buffer(b->len, b->p != NULL ? b->p : "",
	    b->p != NULL ? MHD_RESPMEM_MUST_FREE : MHD_RESPMEM_PERSISTENT);
	if (r == NULL) {
		fc_buf_fini(b);
		return MHD_NO;
	}
	b->p = NULL;		/* MHD frees it */
	fc_buf_fini(b);
	api_headers(r, ctype);
	status_headers(r, status);
	api_count(api, ep, status);
	rc = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return rc;
}

enum MHD_Result
api_error(struct api *api, struct MHD_Connection *c, enum api_ep ep,
    unsigned status, const char *fmt, ...)
{
	char msg[512];
	struct fc_buf b;
	bool first = true;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fc_buf_init(&b, 4096);
	fc_buf_addc(&b, '{');
	fc_json_kstr(&b, &first, "error", msg, strlen(msg));
	fc_buf_adds(&b, "}\n");
	return api_reply(api, c, ep, status, "application/json", &b);
}

/* ---- request checks ---------------------------------------------------- */

struct size_ctx {
	size_t	total;
};

static enum MHD_Result
add_header_size(void *cls, enum MHD_ValueKind kind, const char *key,
    const char *value)
{
	struct size_ctx *sc = cls;

	sc->total += strlen(key) + (value != NULL ? strlen(value) : 0) + 4;
	return MHD_YES;
}

/* Request line, headers and announced body against max_request_bytes. */
static bool
request_too_big(struct api *api, struct MHD_Connection *c, const char *url,
    size_t upload_size)
{
	struct size_ctx sc = { strlen(url) + 16 };
	const char *cl;
	uint64_t body = 0;

	MHD_get_connection_values(c, MHD_HEADER_KIND, add_header_size, &sc);
	MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, add_header_size,
	    &sc);
	cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_CONTENT_LENGTH);
	if (cl != NULL && !api_parse_u64(cl, &body))
		body = UINT64_MAX;
	if (body < upload_size)
		body = upload_size;
	return sc.total + body > (uint64_t)api->cfg.max_request_bytes;
}

/* Constant-time comparison: the time does not depend on the contents. */
static bool
token_equal(const char *a, size_t alen, const char *b, size_t blen)
{
	unsigned char diff = alen != blen;
	size_t i;

	for (i = 0; i < blen; i++)
		diff |= (unsigned char)(b[i] ^ (i < alen ? a[i] : 0));
	return diff == 0;
}

/* 0 when authorised, else the status to answer (401 or 403). */
static unsigned
check_auth(struct api *api, struct MHD_Connection *c)
{
	const char *h, *tok;

	if (api->token == NULL)
		return 0;
	h = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_AUTHORIZATION);
	if (h == NULL || strncasecmp(h, "Bearer ", 7) != 0)
		return MHD_HTTP_UNAUTHORIZED;
	for (tok = h + 7; *tok == ' '; tok++)
		;
	if (*tok == '\0')
		return MHD_HTTP_UNAUTHORIZED;
	if (!token_equal(tok, strlen(tok), api->token, api->token_len))
		return MHD_HTTP_FORBIDDEN;
	return 0;
}

static enum api_ep
route(struct api *api, const char *url)
{
	if (!strcmp(url, api->cfg.healthz_path))
		return API_EP_HEALTHZ;
	if (!strcmp(url, "/versions"))
		return API_EP_VERSIONS;
	if (!strcmp(url, "/health"))
		return API_EP_HEALTH;
	if (!strcmp(url, "/metrics") && api->cfg.metrics_enabled)
		return API_EP_METRICS;
	if (!strcmp(url, "/alerts"))
		return API_EP_ALERTS;
	if (!strcmp(url, "/alerts/stream"))
		return API_EP_STREAM;
	if (!strcmp(url, "/rules"))
		return API_EP_RULES;
	return API_EP_OTHER;
}

static enum MHD_Result
dispatch(struct api *api, struct MHD_Connection *c, enum api_ep ep,
    void **req_ctx)
{
	switch (ep) {
	case API_EP_HEALTHZ:	return api_h_healthz(api, c);
	case API_EP_VERSIONS:	return api_h_versions(api, c);
	case API_EP_HEALTH:	return api_h_health(api, c);
	case API_EP_METRICS:	return api_h_metrics(api, c);
	case API_EP_ALERTS:	return api_h_alerts(api, c);
	case API_EP_STREAM:	return api_h_stream(api, c, req_ctx);
	case API_EP_RULES:	return api_h_rules(api, c);
	default:		return MHD_NO;
	}
}

static enum MHD_Result
on_request(void *cls, struct MHD_Connection *c, const char *url,
    const char *method, const char *version, const char *upload_data,
    size_t *upload_data_size, void **req_ctx)
{
	struct api *api = cls;
	enum api_ep ep;
	unsigned st;

	api_conn_set_state(api, c, API_CONN_HANDLING);
	if (api_stopping(api))
		return api_error(api, c, API_EP_OTHER, 503, "shutting down");
	if (request_too_big(api, c, url, *upload_data_size))
		return api_error(api, c, API_EP_OTHER, 413, "request larger "
		    "than %d bytes", api->cfg.max_request_bytes);
	ep = route(api, url);
	if (ep != API_EP_HEALTHZ && (st = check_auth(api, c)) != 0)
		return api_error(api, c, API_EP_OTHER, st, st == 401 ?
		    "missing or malformed 'Authorization: Bearer' header" :
		    "invalid bearer token");
	if (ep == API_EP_OTHER)
		return api_error(api, c, ep, 404, "no such endpoint: %s", url);
	if (strcmp(method, MHD_HTTP_METHOD_GET) != 0 &&
	    strcmp(method, MHD_HTTP_METHOD_HEAD) != 0)
		return api_error(api, c, ep, 405, "method %s not allowed on %s",
		    method, url);
	*upload_data_size = 0;	/* a GET body is ignored */
	return dispatch(api, c, ep, req_ctx);
}

static void
on_completed(void *cls, struct MHD_Connection *c, void **req_ctx,
    enum MHD_RequestTerminationCode toe)
{
	struct api *api = cls;

	if (api_is_stream_request(*req_ctx) &&
	    toe == MHD_REQUEST_TERMINATED_TIMEOUT_REACHED)
		API_INC(&api->n.stream_timeouts);
	*req_ctx = NULL;
	api_conn_set_state(api, c, API_CONN_READING);
}

static void
on_mhd_log(void *cls, const char *fmt, va_list ap)
{
	struct api *api = cls;

	(void)fmt;
	(void)ap;
	API_INC(&api->n.mhd_errors);	/* library code does not log */
}

static size_t
pool_size(const struct api *api)
{
	size_t pool = (size_t)api->cfg.max_request_bytes * 4;

	return pool < POOL_MIN ? POOL_MIN : pool;
}

static int
start_daemon(struct api *api, char *err, size_t errlen)
{
	unsigned flags = MHD_USE_THREAD_PER_CONNECTION |
	    MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_POLL | MHD_USE_ITC;

	if (api->tls)
		flags |= MHD_USE_TLS;
	api->daemon = MHD_start_daemon(flags, 0, NULL, NULL, on_request, api,
	    MHD_OPTION_LISTEN_SOCKET, api->listen_fd,
	    MHD_OPTION_CONNECTION_LIMIT, (unsigned)api->cfg.max_connections,
	    /* A second more than the watchdog's: it answers 408 first. */
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)api->cfg.timeout_s + 1,
	    MHD_OPTION_CONNECTION_MEMORY_LIMIT, pool_size(api),
	    MHD_OPTION_THREAD_STACK_SIZE, (size_t)STACK_SIZE,
	    MHD_OPTION_NOTIFY_CONNECTION, api_conn_notify, api,
	    MHD_OPTION_NOTIFY_COMPLETED, on_completed, api,
	    MHD_OPTION_EXTERNAL_LOGGER, on_mhd_log, api,
	    api->tls ? MHD_OPTION_HTTPS_MEM_KEY : MHD_OPTION_END, api->cert_pem,
	    MHD_OPTION_HTTPS_MEM_CERT, api->cert_pem,
	    MHD_OPTION_END);
	if (api->daemon == NULL) {
		snprintf(err, errlen, "cannot start the HTTP server%s",
		    api->tls ? " (check webserver.ssl_certificate)" : "");
		return -1;
	}
	api->listen_fd = -1;	/* the daemon owns it now */
	return 0;
}

/* The security checks that need the whole configuration. */
static int
check_exposure(struct api *api, char *err, size_t errlen)
{
	bool unix_sock = api->cfg.unix_socket != NULL &&
	    api->cfg.unix_socket[0] != '\0';

	if (!unix_sock && !api_addr_is_loopback(api->cfg.listen_address) &&
	    api->cfg.token_file == NULL) {
		snprintf(err, errlen, "webserver.listen_address %s is not a "
		    "loopback address: a bearer token is required beyond "
		    "loopback, set webserver.token_file",
		    api->cfg.listen_address);
		return -1;
	}
	if (api->cfg.ssl_enabled && unix_sock) {
		snprintf(err, errlen, "webserver.ssl_enabled does not apply "
		    "to webserver.unix_socket");
		return -1;
	}
	if (api->cfg.ssl_enabled && !MHD_is_feature_supported(MHD_FEATURE_TLS)) {
		snprintf(err, errlen, "webserver.ssl_enabled: libmicrohttpd "
		    "was built without TLS support");
		return -1;
	}
	return 0;
}

static int
api_setup(struct api *api, struct fc_conf *conf, char *err, size_t errlen)
{
	struct timespec ts;

	if (api_conf_read(conf, &api->cfg, err, errlen) != 0)
		return -1;
	if (!api->cfg.enabled)
		return 0;
	clock_gettime(CLOCK_REALTIME, &ts);
	api->start_ns = (uint64_t)ts.tv_sec * 1000000000u +
	    (uint64_t)ts.tv_nsec;
	api->tls = api->cfg.ssl_enabled;
	if (check_exposure(api, err, errlen) != 0 ||
	    (api->cfg.token_file != NULL &&
	    api_token_load(api, err, errlen) != 0) ||
	    (api->tls && api_cert_load(api, err, errlen) != 0) ||
	    api_listen(api, err, errlen) != 0 ||
	    api_watchdog_start(api) != 0)
		return -1;
	return start_daemon(api, err, errlen);
}

struct api *
api_start(struct fc_conf *conf, const struct api_sources *src, char *err,
    size_t errlen)
{
	struct api *api;

	if (src == NULL || src->store == NULL) {
		snprintf(err, errlen, "the HTTP API needs an alert store");
		return NULL;
	}
	if ((api = calloc(1, sizeof(*api))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	api->src = *src;
	api->listen_fd = -1;
	pthread_mutex_init(&api->conn_lock, NULL);
	if (src->hostname != NULL)
		snprintf(api->hostname, sizeof(api->hostname), "%s",
		    src->hostname);
	else if (gethostname(api->hostname, sizeof(api->hostname) - 1) != 0)
		api->hostname[0] = '\0';
	if (api_setup(api, conf, err, errlen) != 0) {
		api_stop(api);
		return NULL;
	}
	return api;
}

/*
 * Let requests in flight finish: waiting long-polls see stopping within a
 * slice and answer with what they have, streams end cleanly, before
 * libmicrohttpd shuts every socket down.  Bounded (2 s), so a client that
 * does not read cannot hold the daemon's exit.
 */
static void
drain_waiters(struct api *api)
{
	struct timespec ts = { 0, 20 * 1000000L };
	int i;

	for (i = 0; i < 100 && API_GET(&api->n.inflight) > 0; i++)
		nanosleep(&ts, NULL);
}

void
api_stop(struct api *api)
{
	MHD_socket lfd;

	if (api == NULL)
		return;
	__atomic_store_n(&api->stopping, true, __ATOMIC_RELEASE);
	if (api->daemon != NULL) {
		lfd = MHD_quiesce_daemon(api->daemon);	/* no new clients */
		drain_waiters(api);
		MHD_stop_daemon(api->daemon);	/* joins every connection */
		if (lfd != MHD_INVALID_SOCKET)
			close(lfd);
	}
	api_watchdog_stop(api);
	if (api->listen_fd >= 0)
		close(api->listen_fd);
	if (api->unix_path[0] != '\0')
		unlink(api->unix_path);
	pthread_mutex_destroy(&api->conn_lock);
	if (api->token != NULL)
		explicit_bzero(api->token, api->token_len);
	free(api->token);
	free(api->cert_pem);
	free(api);
}

uint16_t
api_port(const struct api *api)
{
	return api != NULL ? api->port : 0;
}
