/*
 * fields_render.c - value constructors and the text / JSON forms of a
 * field value for alert outputs.
 *
 * Owns nothing: strings are written into the caller's fc_buf or the
 * ctx arena.  Text follows libsinsp's rawval_to_string for the formats
 * Falco uses; JSON follows its rawval_to_json (numbers and booleans bare,
 * the rest strings; the time-string fields as integer nanoseconds).
 */
#include "config.h"

#include <arpa/inet.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/buf.h"
#include "rules/fields_int.h"

bool
fldv_str(struct fld_value *out, const char *p, size_t len)
{
	if (p == NULL)
		return false;
	out->type = FLD_T_CHARBUF;
	out->str = p;
	out->len = len;
	return true;
}

bool
fldv_cstr(struct fld_value *out, const char *s)
{
	return s != NULL && fldv_str(out, s, strlen(s));
}

bool
fldv_i64(struct fld_value *out, enum fld_type t, int64_t v)
{
	out->type = t;
	out->str = NULL;
	out->len = 0;
	out->v.i64 = v;
	return true;
}

bool
fldv_u64(struct fld_value *out, enum fld_type t, uint64_t v)
{
	out->type = t;
	out->str = NULL;
	out->len = 0;
	out->v.u64 = v;
	return true;
}

bool
fldv_bool(struct fld_value *out, bool v)
{
	out->type = FLD_T_BOOL;
	out->str = NULL;
	out->len = 0;
	out->v.b = v;
	return true;
}

char *
fld_aprintf(struct fld_ctx *ctx, size_t *len, const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || (s = fc_arena_alloc(ctx->arena, (size_t)n + 1)) == NULL)
		return NULL;
	va_start(ap, fmt);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	va_end(ap);
	if (len != NULL)
		*len = (size_t)n;
	return s;
}

char *
fld_dec(struct fld_ctx *ctx, uint64_t v, bool is_signed)
{
	char tmp[FC_FMT_MAX];
	size_t n = is_signed ? fc_fmt_int(tmp, (int64_t)v) :
	    fc_fmt_uint(tmp, v, 10, 0);

	return fc_arena_strndup(ctx->arena, tmp, n);
}

const char *
fld_ip_ntop(const struct fld_ip *ip, char *buf, size_t sz)
{
	if (inet_ntop(ip->family == 4 ? AF_INET : AF_INET6, ip->addr, buf,
	    (socklen_t)sz) == NULL)
		snprintf(buf, sz, "?");
	return buf;
}

/*
 * Is ref the evt.* field with this id?  Ids are private to each extractor
 * (fld_x_enrich's FE_PCMDLINE is FI_EVT_TIME's number, say).
 */
static bool
evt_field(const struct fld_ref *ref)
{
	return ref != NULL && ref->def != NULL && ref->def->extract == fld_x_evt;
}

/* Fields libsinsp prints with PF_10_PADDED_DEC ("%09" PRIu64). */
static bool
padded(const struct fld_ref *ref)
{
	return evt_field(ref) &&
	    (ref->def->id == FI_EVT_RAWTIME_NS ||
	    ref->def->id == FI_EVT_RELTIME || ref->def->id == FI_EVT_RELTIME_NS ||
	    ref->def->id == FI_EVT_DELTA_NS);
}

void
fld_render_text(const struct fld_ref *ref, const struct fld_value *v,
    struct fc_buf *b)
{
	char ip[64];

	switch (fld_type_class(v->type)) {
	case FLD_C_STRING:
	case FLD_C_BUFFER:
		fc_buf_add(b, v->str, v->len);
		break;
	case FLD_C_SIGNED:
		fc_buf_printf(b, "%" PRId64, v->v.i64);
		break;
	case FLD_C_UNSIGNED:
		fc_buf_printf(b, padded(ref) ? "%09" PRIu64 : "%" PRIu64,
		    v->v.u64);
		break;
	case FLD_C_BOOL:
		fc_buf_adds(b, v->v.b ? "true" : "false");
		break;
	case FLD_C_IPADDR:
		fc_buf_adds(b, fld_ip_ntop(&v->v.ip, ip, sizeof(ip)));
		break;
	case FLD_C_IPNET:
		fc_buf_printf(b, "%s/%u", fld_ip_ntop(&v->v.ip, ip, sizeof(ip)),
		    v->v.ip.prefix);
		break;
	case FLD_C_DOUBLE:
		fc_buf_printf(b, "%.2f", v->v.dbl);
		break;
	case FLD_C_NONE:
		break;
	}
}

/* evt.time & co: strings in conditions and text, integer ns in JSON. */
static bool
time_string(const struct fld_ref *ref)
{
	if (!evt_field(ref))
		return false;
	switch (ref->def->id) {
	case FI_EVT_TIME:
	case FI_EVT_TIME_S:
	case FI_EVT_TIME_ISO:
	case FI_EVT_DATETIME:
	case FI_EVT_DATETIME_S:
		return true;
	}
	return false;
}

void
fld_render_json(const struct fld_ref *ref, const struct fld_value *v,
    struct fc_buf *b)
{
	struct fc_buf tmp;

	/* The extractor keeps the timestamp in v.u64 next to the string. */
	if (time_string(ref)) {
		fc_buf_printf(b, "%" PRIu64, v->v.u64);
		return;
	}
	switch (fld_type_class(v->type)) {
	case FLD_C_SIGNED:
		fc_buf_printf(b, "%" PRId64, v->v.i64);
		return;
	case FLD_C_UNSIGNED:
		fc_buf_printf(b, "%" PRIu64, v->v.u64);
		return;
	case FLD_C_BOOL:
		fc_buf_adds(b, v->v.b ? "true" : "false");
		return;
	case FLD_C_DOUBLE:
		fc_buf_printf(b, "%g", v->v.dbl);
		return;
	case FLD_C_STRING:
	case FLD_C_BUFFER:
		fc_json_str(b, v->str, v->len);
		return;
	default:
		break;
	}
	fc_buf_init(&tmp, 256);
	fld_render_text(ref, v, &tmp);
	fc_json_str(b, tmp.p != NULL ? tmp.p : "", tmp.len);
	fc_buf_fini(&tmp);
}
