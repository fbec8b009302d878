/*
 * api_int.h - what the HTTP API's files share: the configuration, the
 * handle, per-connection state, request counters, and the handlers.
 *
 * Files: api.c (start/stop, MHD setup, routing, auth, replies),
 * api_conf.c (webserver.* keys, token, listening sockets), api_conn.c
 * (connection tracking and the request-deadline watchdog),
 * api_alerts.c (/alerts and its parameters), api_stream.c (SSE),
 * api_health.c (/healthz, /versions, /health, /rules), api_metrics.c
 * (/metrics and the Prometheus helpers).
 */
#ifndef FC_HTTP_API_INT_H
#define FC_HTTP_API_INT_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <microhttpd.h>

#include "core/buf.h"
#include "http/http.h"

struct fc_conf;

/* Endpoints, for routing and the request counters. */
enum api_ep {
	API_EP_HEALTHZ = 0,
	API_EP_VERSIONS,
	API_EP_HEALTH,
	API_EP_METRICS,
	API_EP_ALERTS,
	API_EP_STREAM,
	API_EP_RULES,
	API_EP_OTHER,		/* unknown paths, rejected requests */
	API_EP_COUNT,
};

/* Status codes counted per endpoint (anything else counts as "other"). */
enum { API_NCODES = 13 };
extern const unsigned api_codes[API_NCODES];

struct api_config {
	bool		 enabled;
	const char	*listen_address;
	int		 listen_port;
	bool		 ssl_enabled;
	const char	*ssl_certificate;
	const char	*healthz_path;
	bool		 metrics_enabled;
	const char	*token_file;
	const char	*unix_socket;
	const char	*unix_owner;
	int		 unix_mode;
	int		 max_connections;
	int		 max_request_bytes;
	int		 timeout_s;
	int		 max_wait_s;
};

/* Connection state, the socket_context of an MHD connection. */
enum api_conn_state {
	API_CONN_READING = 0,	/* waiting for a complete request */
	API_CONN_HANDLING,	/* in a handler or sending a response */
	API_CONN_EXPIRED,	/* the watchdog closed it */
};

struct api_conn {
	struct api_conn		*prev, *next;
	int			 fd;
	enum api_conn_state	 state;
	uint64_t		 since_ms;	/* monotonic, state entered */
};

struct api_counters {
	uint64_t	requests[API_EP_COUNT][API_NCODES + 1];
	uint64_t	connections;		/* open now */
	uint64_t	connections_total;
	uint64_t	streams;		/* SSE clients now */
	uint64_t	stream_slow;		/* SSE clients dropped: fell behind */
	uint64_t	stream_timeouts;	/* SSE clients dropped: not reading */
	uint64_t	request_timeouts;	/* requests the watchdog expired */
	uint64_t	longpoll_waiting;	/* /alerts?wait= now */
	uint64_t	inflight;		/* requests being handled or sent */
	uint64_t	mhd_errors;
};

struct api {
	struct api_config	 cfg;
	struct api_sources	 src;
	char			 hostname[256];
	struct MHD_Daemon	*daemon;
	int			 listen_fd;
	uint16_t		 port;
	bool			 tls;
	char			*token;		/* NULL: no auth */
	size_t			 token_len;
	char			*cert_pem;
	char			 unix_path[108];
	bool			 stopping;	/* atomic */
	uint64_t		 start_ns;	/* CLOCK_REALTIME */
	/* connections and watchdog (api_conn.c) */
	pthread_mutex_t		 conn_lock;
	pthread_cond_t		 wd_cond;
	pthread_t		 wd_thread;
	bool			 wd_started;
	struct api_conn		*conns;
	struct api_counters	 n;		/* relaxed atomics */
};

#define API_INC(p)	__atomic_add_fetch((p), 1, __ATOMIC_RELAXED)
#define API_DEC(p)	__atomic_sub_fetch((p), 1, __ATOMIC_RELAXED)
#define API_GET(p)	__atomic_load_n((p), __ATOMIC_RELAXED)

/* ---- api_conf.c ------------------------------------------------------ */
int	api_conf_read(struct fc_conf *c, struct api_config *cfg, char *err,
	    size_t errlen);
int	api_token_load(struct api *api, char *err, size_t errlen);
int	api_cert_load(struct api *api, char *err, size_t errlen);
int	api_listen(struct api *api, char *err, size_t errlen);
bool	api_addr_is_loopback(const char *addr);

/* ---- api_conn.c ------------------------------------------------------ */
void	api_conn_notify(void *cls, struct MHD_Connection *c, void **ctx,
	    enum MHD_ConnectionNotificationCode code);
void	api_conn_set_state(struct api *api, struct MHD_Connection *c,
	    enum api_conn_state st);
int	api_watchdog_start(struct api *api);
void	api_watchdog_stop(struct api *api);
uint64_t api_now_ms(void);

/* ---- api.c: replies ---------------------------------------------------- */
bool	api_stopping(struct api *api);
/* Queue body (takes b's memory) with status and content type. */
enum MHD_Result api_reply(struct api *api, struct MHD_Connection *c,
	    enum api_ep ep, unsigned status, const char *ctype,
	    struct fc_buf *b);
enum MHD_Result api_error(struct api *api, struct MHD_Connection *c,
	    enum api_ep ep, unsigned status, const char *fmt, ...)
	    __attribute__((format(printf, 5, 6)));
void	api_count(struct api *api, enum api_ep ep, unsigned status);
/* Add the standard headers (content type, no-store, nosniff). */
void	api_headers(struct MHD_Response *r, const char *ctype);

/* ---- handlers -------------------------------------------------------- */
enum MHD_Result api_h_healthz(struct api *api, struct MHD_Connection *c);
enum MHD_Result api_h_versions(struct api *api, struct MHD_Connection *c);
enum MHD_Result api_h_health(struct api *api, struct MHD_Connection *c);
enum MHD_Result api_h_rules(struct api *api, struct MHD_Connection *c);
enum MHD_Result api_h_metrics(struct api *api, struct MHD_Connection *c);
enum MHD_Result api_h_alerts(struct api *api, struct MHD_Connection *c);
enum MHD_Result api_h_stream(struct api *api, struct MHD_Connection *c,
	    void **req_ctx);
bool	api_is_stream_request(void *req_ctx);

/* ---- api_alerts.c: shared with the stream ------------------------------ */
struct api_params {
	bool		 has_since;
	uint64_t	 since;
	size_t		 limit;
	int		 max_priority;
	const char	*rule;
	const char	*container;
	int		 wait_s;
};

/* Parse the query string; allowed is a bit set of (1 << API_P_*). */
enum {
	API_P_SINCE = 0, API_P_LIMIT, API_P_PRIORITY, API_P_RULE,
	API_P_CONTAINER, API_P_WAIT, API_P_COUNT,
};
int	api_params_parse(struct MHD_Connection *c, unsigned allowed,
	    struct api_params *p, char *err, size_t errlen);
bool	api_parse_u64(const char *s, uint64_t *out);
/* Append {"id":N,<rest of the Falco object>} for m. */
struct out_msg;
void	api_alert_json(struct fc_buf *b, const struct out_msg *m);

#endif
