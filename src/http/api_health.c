/*
 * api_health.c - GET /healthz and /versions (Falco's bodies), /health
 * (per-source state; 503 when a source is down) and /rules.
 *
 * Falco's /healthz answers {"status": "ok"} (with that space: the string
 * is a literal in falco's webserver.cpp); /versions is nlohmann::json's
 * dump() of versions_info, so its keys are sorted and plugin_versions
 * appears only when a plugin is loaded (falconet loads none).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "outputs/alert.h"
#include "outputs/store.h"
#include "http/api_int.h"

#define BODY_MAX	(64u << 20)

enum MHD_Result
api_h_healthz(struct api *api, struct MHD_Connection *c)
{
	struct fc_buf b;

	fc_buf_init(&b, 64);
	fc_buf_adds(&b, "{\"status\": \"ok\"}");
	return api_reply(api, c, API_EP_HEALTHZ, 200, "application/json", &b);
}

static const char *
str_or_empty(const char *s)
{
	return s != NULL ? s : "";
}

/* Falco's engine_version: the minor number of the semver, as a string. */
static void
engine_minor(const char *semver, char *out, size_t len)
{
	const char *dot = semver != NULL ? strchr(semver, '.') : NULL;
	size_t n = 0;

	if (dot != NULL)
		for (dot++; dot[n] >= '0' && dot[n] <= '9' && n + 1 < len; n++)
			out[n] = dot[n];
	out[n] = '\0';
}

static void
kstr(struct fc_buf *b, bool *first, const char *key, const char *v)
{
	v = str_or_empty(v);
	fc_json_kstr(b, first, key, v, strlen(v));
}

enum MHD_Result
api_h_versions(struct api *api, struct MHD_Connection *c)
{
	const struct api_versions *v = &api->src.versions;
	char minor[16];
	struct fc_buf b;
	bool first = true;

	engine_minor(v->engine_version_semver, minor, sizeof(minor));
	fc_buf_init(&b, 8192);
	fc_buf_addc(&b, '{');
	kstr(&b, &first, "default_driver_version", v->default_driver_version);
	kstr(&b, &first, "driver_api_version", v->driver_api_version);
	kstr(&b, &first, "driver_schema_version", v->driver_schema_version);
	kstr(&b, &first, "engine_version", minor);
	kstr(&b, &first, "engine_version_semver", v->engine_version_semver);
	kstr(&b, &first, "falco_version", v->falco_version != NULL ?
	    v->falco_version : v->falconet_version);
	kstr(&b, &first, "falconet_version", v->falconet_version);
	kstr(&b, &first, "libs_version", v->libs_version);
	kstr(&b, &first, "plugin_api_version", v->plugin_api_version);
	fc_buf_addc(&b, '}');
	return api_reply(api, c, API_EP_VERSIONS, 200, "application/json", &b);
}

static void
health_source(struct fc_buf *b, const struct api_source_state *s)
{
	bool first = true;

	fc_buf_addc(b, '{');
	fc_json_kstr(b, &first, "name", s->name, strnlen(s->name,
	    sizeof(s->name)));
	kstr(b, &first, "state", s->up ? "up" : "down");
	fc_json_ku64(b, &first, "lost_events", s->lost);
	fc_json_key(b, &first, "last_event_age_s");
	if (s->last_event_age_ms < 0)
		fc_buf_adds(b, "null");
	else
		fc_buf_printf(b, "%.3f", (double)s->last_event_age_ms / 1000.0);
	fc_json_kstr(b, &first, "detail", s->detail, strnlen(s->detail,
	    sizeof(s->detail)));
	fc_buf_addc(b, '}');
}

static void
health_store(struct fc_buf *b, struct api *api)
{
	struct out_store_stats st;
	bool first = true;

	out_store_stats(api->src.store, &st);
	fc_buf_addc(b, '{');
	fc_json_ku64(b, &first, "size", st.size);
	fc_json_ku64(b, &first, "capacity", st.capacity);
	fc_json_ku64(b, &first, "first_id", st.first_id);
	fc_json_ku64(b, &first, "last_id", st.last_id);
	fc_json_kbool(b, &first, "spool", st.spool);
	fc_json_ku64(b, &first, "spool_errors", st.spool_errors);
	fc_buf_addc(b, '}');
}

enum MHD_Result
api_h_health(struct api *api, struct MHD_Connection *c)
{
	struct api_source_state src[API_MAX_SOURCES];
	struct fc_buf b;
	size_t n = 0, i;
	bool down = false;

	memset(src, 0, sizeof(src));
	if (api->src.health != NULL)
		n = api->src.health(api->src.arg, src, API_MAX_SOURCES);
	if (n > API_MAX_SOURCES)
		n = API_MAX_SOURCES;
	for (i = 0; i < n; i++)
		down |= !src[i].up;
	fc_buf_init(&b, 1u << 20);
	fc_buf_printf(&b, "{\"status\":\"%s\",\"sources\":[",
	    down ? "down" : "ok");
	for (i = 0; i < n; i++) {
		if (i > 0)
			fc_buf_addc(&b, ',');
		health_source(&b, &src[i]);
	}
	fc_buf_adds(&b, "],\"alert_store\":");
	health_store(&b, api);
	fc_buf_adds(&b, "}\n");
	return api_reply(api, c, API_EP_HEALTH, down ? 503 : 200,
	    "application/json", &b);
}

struct rules_ctx {
	struct fc_buf	*b;
	size_t		 n;
};

static void
rule_emit(void *ctx, const struct api_rule *r)
{
	struct rules_ctx *rc = ctx;
	const char *pri = fc_priority_name(r->priority);
	bool first = true;
	size_t i;

	fc_buf_adds(rc->b, rc->n++ > 0 ? ",{" : "{");
	kstr(rc->b, &first, "name", r->name);
	fc_json_kbool(rc->b, &first, "enabled", r->enabled);
	kstr(rc->b, &first, "priority", pri != NULL ? pri : "");
	kstr(rc->b, &first, "source", r->source);
	fc_json_ku64(rc->b, &first, "matches", r->matches);
	fc_json_key(rc->b, &first, "tags");
	fc_buf_addc(rc->b, '[');
	for (i = 0; i < r->ntags; i++) {
		if (i > 0)
			fc_buf_addc(rc->b, ',');
		fc_json_str(rc->b, r->tags[i], strlen(r->tags[i]));
	}
	fc_buf_addc(rc->b, ']');
	if (r->disabled_reason != NULL)
		kstr(rc->b, &first, "disabled_reason", r->disabled_reason);
	fc_buf_addc(rc->b, '}');
}

enum MHD_Result
api_h_rules(struct api *api, struct MHD_Connection *c)
{
	struct fc_buf b;
	struct rules_ctx rc = { &b, 0 };

	fc_buf_init(&b, BODY_MAX);
	fc_buf_adds(&b, "{\"rules\":[");
	if (api->src.rules != NULL)
		api->src.rules(api->src.arg, rule_emit, &rc);
	fc_buf_adds(&b, "]}\n");
	return api_reply(api, c, API_EP_RULES, 200, "application/json", &b);
}
