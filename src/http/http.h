/*
 * http.h - falconet's local HTTP API (libmicrohttpd): Falco's /healthz and
 * /versions, plus /health, /metrics (Prometheus), /alerts (cursor polling
 * with long-poll), /alerts/stream (Server-Sent Events) and /rules.
 * docs/http-api.md and docs/openapi.yaml describe the endpoints.
 *
 * The API runs on libmicrohttpd's own threads, one per connection (a
 * long-poll or an event stream simply blocks its thread; the number of
 * connections is bounded by webserver.max_connections).  It reads the
 * alert store and asks the daemon for everything else through the
 * callbacks in struct api_sources, which therefore run on API threads,
 * concurrently, and must be thread-safe, quick and must not block.
 *
 * Configuration: Falco's webserver: block (enabled, listen_address,
 * listen_port, ssl_enabled, ssl_certificate, k8s_healthz_endpoint,
 * prometheus_metrics_enabled) plus token_file, unix_socket,
 * unix_socket_owner, unix_socket_mode, max_connections,
 * max_request_bytes, timeout_s, max_wait_s.  A bearer token is required
 * whenever the API listens beyond loopback.
 *
 * Library code: never logs, never exits; api_start() reports problems in
 * its err buffer.
 */
#ifndef FC_HTTP_HTTP_H
#define FC_HTTP_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct api;
struct fc_buf;
struct fc_conf;
struct out_store;

enum {
	API_MAX_SOURCES = 16,
	API_ERRLEN = 512,
};

/* One event source as /health reports it (filled by the daemon). */
struct api_source_state {
	char		name[32];	/* "audit", "fanotify", ... */
	bool		up;
	uint64_t	lost;		/* events lost so far (kernel + queues) */
	int64_t		last_event_age_ms;	/* -1: no event yet */
	char		detail[128];	/* why it is down, or "" */
};

/* One loaded rule as /rules reports it. */
struct api_rule {
	const char		*name;
	const char		*source;	/* "syscall" */
	int			 priority;	/* enum fc_priority */
	bool			 enabled;
	const char		*disabled_reason;	/* NULL when enabled */
	uint64_t		 matches;
	const char *const	*tags;
	size_t			 ntags;
};

typedef void (*api_rule_emit_fn)(void *ctx, const struct api_rule *r);

/*
 * Versions for /versions (Falco's keys) and the version info metric.
 * NULL strings are reported as "", except falco_version, which defaults
 * to falconet_version, and engine_version, derived from
 * engine_version_semver's minor number as Falco does.
 */
struct api_versions {
	const char	*falconet_version;
	const char	*engine_version_semver;	/* "0.63.0" */
	const char	*falco_version;
	const char	*libs_version;
	const char	*plugin_api_version;
	const char	*driver_api_version;
	const char	*driver_schema_version;
	const char	*default_driver_version;
};

/*
 * What the daemon provides.  store is required; any callback may be NULL
 * (its part is then empty).  arg is passed to every callback.
 *  - health fills at most max entries of out and returns how many;
 *  - metrics appends Prometheus text (use the api_prom_* helpers below);
 *  - rules calls emit(ctx, rule) once per rule, in evaluation order.
 */
struct api_sources {
	struct out_store	*store;
	void			*arg;
	size_t	(*health)(void *arg, struct api_source_state *out,
		    size_t max);
	void	(*metrics)(void *arg, struct fc_buf *out);
	void	(*rules)(void *arg, api_rule_emit_fn emit, void *ctx);
	struct api_versions	 versions;
	const char		*hostname;	/* NULL: gethostname() */
};

/*
 * api_start - read the webserver.* keys from conf (bad values are
 * recorded with conf_error and also fail the start), open the listening
 * socket and start serving.  src is copied (the strings it points to and
 * the store must outlive the API).  When webserver.enabled is false the
 * result is a handle that serves nothing.  NULL on failure, with the
 * reason in err.
 */
struct api *api_start(struct fc_conf *conf, const struct api_sources *src,
	    char *err, size_t errlen);

/* Stop serving: wakes long-polls and streams, closes every connection,
 * removes the unix socket.  NULL-safe. */
void	api_stop(struct api *api);

/* The TCP port actually bound (useful with listen_port 0), 0 when the
 * API is disabled or listens on a unix socket. */
uint16_t api_port(const struct api *api);

/* ---- Prometheus text helpers (for the metrics callback) --------------- */

/* "# HELP name help\n# TYPE name type\n" (type: counter, gauge, info...). */
void	api_prom_family(struct fc_buf *b, const char *name, const char *type,
	    const char *help);

/*
 * "name{k1="v1",k2="v2"} value\n"; labels is a NULL-terminated list of
 * key, value pairs (NULL: none); values are escaped as the text format
 * requires.
 */
void	api_prom_u64(struct fc_buf *b, const char *name,
	    const char *const *labels, uint64_t v);
void	api_prom_double(struct fc_buf *b, const char *name,
	    const char *const *labels, double v);

#endif
