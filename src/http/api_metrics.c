/*
 * api_metrics.c - GET /metrics: Prometheus text exposition (version
 * 0.0.4, Falco's content type) and the helpers the daemon's metrics
 * callback uses.
 *
 * This file writes the process figures under Falco's names
 * (falcosecurity_falco_cpu_usage_ratio, ..._memory_rss_bytes,
 * ..._memory_vsz_bytes, ..._start_timestamp_nanoseconds,
 * ..._duration_seconds_total, ..._host_num_cpus_total, version and
 * hostname info) and falconet's own alert store and API figures under
 * falcosecurity_falconet_*; the daemon's callback appends the rest
 * (events, audit lost/backlog, queues, rule matches, outputs, tables).
 * docs/http-api.md lists every name.
 */
#include "config.h"

#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "outputs/store.h"
#include "http/api_int.h"

#define BODY_MAX	(64u << 20)
#define PROM_CTYPE	"text/plain; version=0.0.4"

/* ---- helpers ----------------------------------------------------------- */

void
api_prom_family(struct fc_buf *b, const char *name, const char *type,
    const char *help)
{
	fc_buf_printf(b, "# HELP %s %s\n# TYPE %s %s\n", name, help, name,
	    type);
}

static void
label_value(struct fc_buf *b, const char *v)
{
	for (; *v != '\0'; v++) {
		if (*v == '\\')
			fc_buf_adds(b, "\\\\");
		else if (*v == '"')
			fc_buf_adds(b, "\\\"");
		else if (*v == '\n')
			fc_buf_adds(b, "\\n");
		else
			fc_buf_addc(b, *v);
	}
}

static void
sample_name(struct fc_buf *b, const char *name, const char *const *labels)
{
	size_t i;

	fc_buf_adds(b, name);
	if (labels == NULL || labels[0] == NULL)
		return;
	fc_buf_addc(b, '{');
	for (i = 0; labels[i] != NULL && labels[i + 1] != NULL; i += 2) {
		fc_buf_printf(b, "%s%s=\"", i > 0 ? "," : "", labels[i]);
		label_value(b, labels[i + 1]);
		fc_buf_addc(b, '"');
	}
	fc_buf_addc(b, '}');
}

void
api_prom_u64(struct fc_buf *b, const char *name, const char *const *labels,
    uint64_t v)
{
	sample_name(b, name, labels);
	fc_buf_printf(b, " %" PRIu64 "\n", v);
}

void
api_prom_double(struct fc_buf *b, const char *name,
    const char *const *labels, double v)
{
	sample_name(b, name, labels);
	fc_buf_printf(b, " %.9g\n", v);
}

/* One family with a single unlabelled sample. */
static void
one_u64(struct fc_buf *b, const char *name, const char *type,
    const char *help, uint64_t v)
{
	api_prom_family(b, name, type, help);
	api_prom_u64(b, name, NULL, v);
}

/* ---- process figures ------------------------------------------------- */

struct proc_figures {
	double		cpu_s;		/* user + system */
	double		age_s;		/* since the process started */
	uint64_t	start_ns;	/* epoch */
	uint64_t	rss, vsz;	/* bytes */
};

static int
read_small(const char *path, char *buf, size_t len)
{
	ssize_t r;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	r = read(fd, buf, len - 1);
	close(fd);
	if (r <= 0)
		return -1;
	buf[r] = '\0';
	return 0;
}

static void
proc_figures(struct proc_figures *f)
{
	unsigned long long ut, st, start, vsz, rss, btime = 0;
	double tck = (double)sysconf(_SC_CLK_TCK), up = 0;
	char buf[4096], *p;

	memset(f, 0, sizeof(*f));
	if (read_small("/proc/uptime", buf, sizeof(buf)) == 0)
		up = strtod(buf, NULL);
	if (read_small("/proc/stat", buf, sizeof(buf)) == 0 &&
	    (p = strstr(buf, "\nbtime ")) != NULL)
		btime = strtoull(p + 7, NULL, 10);
	/* Fields after the command (which may hold spaces): from ") ". */
	if (read_small("/proc/self/stat", buf, sizeof(buf)) != 0 ||
	    (p = strrchr(buf, ')')) == NULL || sscanf(p + 2, "%*c %*d %*d "
	    "%*d %*d %*d %*u %*u %*u %*u %*u %llu %llu %*d %*d %*d %*d %*d "
	    "%*d %llu %llu %llu", &ut, &st, &start, &vsz, &rss) != 5)
		return;
	f->cpu_s = (double)(ut + st) / tck;
	f->age_s = up - (double)start / tck;
	f->start_ns = (uint64_t)((double)btime * 1e9 + (double)start / tck *
	    1e9);
	f->vsz = vsz;
	f->rss = rss * (uint64_t)sysconf(_SC_PAGESIZE);
}

static void
metrics_process(struct fc_buf *b, struct api *api)
{
	const char *ver = api->src.versions.falco_version != NULL ?
	    api->src.versions.falco_version : api->src.versions.falconet_version;
	const char *vl[] = { "version", ver != NULL ? ver : "", NULL };
	const char *hl[] = { "hostname", api->hostname, NULL };
	struct proc_figures f;

	proc_figures(&f);
	api_prom_family(b, "falcosecurity_falco_version_info", "gauge",
	    "Version of the agent (falconet).");
	api_prom_u64(b, "falcosecurity_falco_version_info", vl, 1);
	api_prom_family(b, "falcosecurity_evt_hostname_info", "gauge",
	    "Host name of the machine.");
	api_prom_u64(b, "falcosecurity_evt_hostname_info", hl, 1);
	one_u64(b, "falcosecurity_falco_start_timestamp_nanoseconds", "gauge",
	    "When the agent process started (ns since the epoch).",
	    f.start_ns);
	api_prom_family(b, "falcosecurity_falco_duration_seconds_total",
	    "counter", "Seconds since the agent process started.");
	api_prom_double(b, "falcosecurity_falco_duration_seconds_total", NULL,
	    f.age_s);
	api_prom_family(b, "falcosecurity_falco_cpu_usage_ratio", "gauge",
	    "CPU time of the agent over its lifetime (1 = one full CPU).");
	api_prom_double(b, "falcosecurity_falco_cpu_usage_ratio", NULL,
	    f.age_s > 0 ? f.cpu_s / f.age_s : 0);
	api_prom_family(b, "falcosecurity_falconet_cpu_seconds_total",
	    "counter", "User and system CPU time of the agent.");
	api_prom_double(b, "falcosecurity_falconet_cpu_seconds_total", NULL,
	    f.cpu_s);
	one_u64(b, "falcosecurity_falco_memory_rss_bytes", "gauge",
	    "Resident memory of the agent.", f.rss);
	one_u64(b, "falcosecurity_falco_memory_vsz_bytes", "gauge",
	    "Virtual memory size of the agent.", f.vsz);
	one_u64(b, "falcosecurity_falco_host_num_cpus_total", "gauge",
	    "Online CPUs.", (uint64_t)sysconf(_SC_NPROCESSORS_ONLN));
}

/* ---- alert store and API ------------------------------------------------ */

#define STORE_PREFIX	"falcosecurity_falconet_alert_store_"

static void
metrics_store(struct fc_buf *b, struct api *api)
{
	struct out_store_stats st;

	out_store_stats(api->src.store, &st);
	one_u64(b, STORE_PREFIX "alerts", "gauge",
	    "Alerts held in the in-memory ring.", st.size);
	one_u64(b, STORE_PREFIX "capacity", "gauge",
	    "Size of the in-memory ring.", st.capacity);
	one_u64(b, STORE_PREFIX "last_id", "gauge",
	    "Newest alert id visible to clients.", st.last_id);
	one_u64(b, STORE_PREFIX "added_total", "counter",
	    "Alerts added since start.", st.added);
	one_u64(b, STORE_PREFIX "evictions_total", "counter",
	    "Alerts pushed out of the ring.", st.evictions);
	one_u64(b, STORE_PREFIX "add_contended_total", "counter",
	    "Adds that found the writers' lock taken (another writer).",
	    st.add_contended);
	api_prom_family(b, STORE_PREFIX "add_wait_seconds_total", "counter",
	    "Time adds waited for the store lock.");
	api_prom_double(b, STORE_PREFIX "add_wait_seconds_total", NULL,
	    (double)st.add_wait_ns / 1e9);
	if (!st.spool)
		return;
	one_u64(b, STORE_PREFIX "spool_bytes", "gauge",
	    "Size of the on-disk spool.", st.spool_bytes);
	one_u64(b, STORE_PREFIX "spool_segments", "gauge",
	    "Segment files in the spool.", st.spool_segments);
	one_u64(b, STORE_PREFIX "spool_written_total", "counter",
	    "Alerts written to the spool.", st.spool_written);
	one_u64(b, STORE_PREFIX "spool_dropped_total", "counter",
	    "Alerts evicted before they could be written.", st.spool_dropped);
	one_u64(b, STORE_PREFIX "spool_errors_total", "counter",
	    "Failed spool writes, opens and syncs.", st.spool_errors);
	one_u64(b, STORE_PREFIX "spool_deleted_segments_total", "counter",
	    "Segments deleted to respect the size bound.", st.spool_deleted);
}

static const char *const ep_names[API_EP_COUNT] = {
	"healthz", "versions", "health", "metrics", "alerts", "stream",
	"rules", "other",
};

static void
metrics_requests(struct fc_buf *b, struct api *api)
{
	const char *name = "falcosecurity_falconet_http_requests_total";
	char code[16];
	const char *l[] = { "endpoint", NULL, "code", code, NULL };
	uint64_t v;
	size_t e, i;

	api_prom_family(b, name, "counter",
	    "HTTP API requests by endpoint and status code.");
	for (e = 0; e < API_EP_COUNT; e++)
		for (i = 0; i <= API_NCODES; i++) {
			if ((v = API_GET(&api->n.requests[e][i])) == 0)
				continue;
			l[1] = ep_names[e];
			if (i < API_NCODES)
				snprintf(code, sizeof(code), "%u", api_codes[i]);
			else
				snprintf(code, sizeof(code), "other");
			api_prom_u64(b, name, l, v);
		}
}

#define API_PREFIX	"falcosecurity_falconet_http_"

static void
metrics_api(struct fc_buf *b, struct api *api)
{
	const char *behind[] = { "reason", "behind", NULL };
	const char *idle[] = { "reason", "not_reading", NULL };

	metrics_requests(b, api);
	one_u64(b, API_PREFIX "connections", "gauge", "Open connections.",
	    API_GET(&api->n.connections));
	one_u64(b, API_PREFIX "connections_total", "counter",
	    "Connections accepted.", API_GET(&api->n.connections_total));
	one_u64(b, API_PREFIX "streams", "gauge", "Open event streams.",
	    API_GET(&api->n.streams));
	one_u64(b, API_PREFIX "longpolls", "gauge",
	    "Requests waiting in a long-poll.",
	    API_GET(&api->n.longpoll_waiting));
	api_prom_family(b, API_PREFIX "stream_disconnects_total", "counter",
	    "Slow event-stream clients disconnected.");
	api_prom_u64(b, API_PREFIX "stream_disconnects_total", behind,
	    API_GET(&api->n.stream_slow));
	api_prom_u64(b, API_PREFIX "stream_disconnects_total", idle,
	    API_GET(&api->n.stream_timeouts));
	one_u64(b, API_PREFIX "request_timeouts_total", "counter",
	    "Connections closed for not sending a request in time.",
	    API_GET(&api->n.request_timeouts));
	one_u64(b, API_PREFIX "server_errors_total", "counter",
	    "Errors reported by libmicrohttpd.", API_GET(&api->n.mhd_errors));
}

enum MHD_Result
api_h_metrics(struct api *api, struct MHD_Connection *c)
{
	struct fc_buf b;

	fc_buf_init(&b, BODY_MAX);
	metrics_process(&b, api);
	metrics_store(&b, api);
	metrics_api(&b, api);
	if (api->src.metrics != NULL)
		api->src.metrics(api->src.arg, &b);
	return api_reply(api, c, API_EP_METRICS, 200, PROM_CTYPE, &b);
}
