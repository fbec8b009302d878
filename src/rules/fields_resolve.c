/*
 * fields_resolve.c - field names to references, literals to values,
 * and the field listing.
 *
 * Resolution follows libsinsp: a condition names a field exactly
 * ("proc.namex" does not exist even though "proc.name" is a prefix);
 * dotted arguments (evt.arg.NAME, evt.type.is.NAME, thread.cgroup.SUBSYS,
 * evt.abspath.src) are split off the longest dotted field name; an output
 * format's %field takes the longest registered prefix.  Error texts are
 * the ones Falco prints where we know them.  Owns nothing.
 */
#include "config.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <netdb.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules/fields_int.h"

/* ---- Types ------------------------------------------------------------ */

static const struct {
	const char	*name;
	enum fld_class	 cls;
} types[FLD_T_MAX] = {
	[FLD_T_NONE] = { "NONE", FLD_C_NONE },
	[FLD_T_INT8] = { "INT8", FLD_C_SIGNED },
	[FLD_T_INT16] = { "INT16", FLD_C_SIGNED },
	[FLD_T_INT32] = { "INT32", FLD_C_SIGNED },
	[FLD_T_INT64] = { "INT64", FLD_C_SIGNED },
	[FLD_T_UINT8] = { "UINT8", FLD_C_UNSIGNED },
	[FLD_T_UINT16] = { "UINT16", FLD_C_UNSIGNED },
	[FLD_T_UINT32] = { "UINT32", FLD_C_UNSIGNED },
	[FLD_T_UINT64] = { "UINT64", FLD_C_UNSIGNED },
	[FLD_T_CHARBUF] = { "CHARBUF", FLD_C_STRING },
	[FLD_T_BYTEBUF] = { "BYTEBUF", FLD_C_BUFFER },
	[FLD_T_FSPATH] = { "FSPATH", FLD_C_STRING },
	[FLD_T_FSRELPATH] = { "FSRELPATH", FLD_C_STRING },
	[FLD_T_ERRNO] = { "ERRNO", FLD_C_SIGNED },
	[FLD_T_FD] = { "FD", FLD_C_SIGNED },
	[FLD_T_PID] = { "PID", FLD_C_SIGNED },
	[FLD_T_UID] = { "UID", FLD_C_UNSIGNED },
	[FLD_T_GID] = { "GID", FLD_C_UNSIGNED },
	[FLD_T_MODE] = { "MODE", FLD_C_UNSIGNED },
	[FLD_T_FLAGS8] = { "FLAGS8", FLD_C_UNSIGNED },
	[FLD_T_FLAGS16] = { "FLAGS16", FLD_C_UNSIGNED },
	[FLD_T_FLAGS32] = { "FLAGS32", FLD_C_UNSIGNED },
	[FLD_T_ENUMFLAGS8] = { "ENUMFLAGS8", FLD_C_UNSIGNED },
	[FLD_T_ENUMFLAGS16] = { "ENUMFLAGS16", FLD_C_UNSIGNED },
	[FLD_T_ENUMFLAGS32] = { "ENUMFLAGS32", FLD_C_UNSIGNED },
	[FLD_T_SIGTYPE] = { "SIGTYPE", FLD_C_UNSIGNED },
	[FLD_T_SYSCALLID] = { "SYSCALLID", FLD_C_UNSIGNED },
	[FLD_T_SOCKADDR] = { "SOCKADDR", FLD_C_BUFFER },
	[FLD_T_SOCKTUPLE] = { "SOCKTUPLE", FLD_C_BUFFER },
	[FLD_T_BOOL] = { "BOOL", FLD_C_BOOL },
	[FLD_T_IPADDR] = { "IPADDR", FLD_C_IPADDR },
	[FLD_T_IPNET] = { "IPNET", FLD_C_IPNET },
	[FLD_T_PORT] = { "PORT", FLD_C_UNSIGNED },
	[FLD_T_L4PROTO] = { "L4PROTO", FLD_C_UNSIGNED },
	[FLD_T_ABSTIME] = { "ABSTIME", FLD_C_UNSIGNED },
	[FLD_T_RELTIME] = { "RELTIME", FLD_C_UNSIGNED },
	[FLD_T_DOUBLE] = { "DOUBLE", FLD_C_DOUBLE },
	[FLD_T_DYN] = { "DYN", FLD_C_NONE },
};

const char *
fld_type_name(enum fld_type t)
{
	return (unsigned)t < FLD_T_MAX ? types[t].name : "NONE";
}

enum fld_class
fld_type_class(enum fld_type t)
{
	return (unsigned)t < FLD_T_MAX ? types[t].cls : FLD_C_NONE;
}

/* ---- Errors ------------------------------------------------------------ */

static int
fail(struct fld_error *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int
fail(struct fld_error *err, const char *fmt, ...)
{
	va_list ap;

	if (err != NULL) {
		va_start(ap, fmt);
		vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
		va_end(ap);
	}
	return -1;
}

/* Texts go into messages with %.*s: cap what hostile input can add. */
#define SHOWN(len)	((int)((len) > 200 ? 200 : (len)))

static int
nonexistent(struct fld_error *err, const char *name, size_t len,
    const char *arg, size_t arglen)
{
	if (arg == NULL)
		return fail(err, "filter_check called with nonexistent field %.*s",
		    SHOWN(len), name);
	return fail(err, "filter_check called with nonexistent field %.*s[%.*s]",
	    SHOWN(len), name, SHOWN(arglen), arg);
}

/* ---- Lookup ------------------------------------------------------------ */

const struct fld_def *
fld_lookup(const char *name, size_t len)
{
	const struct fld_def *reg;
	size_t n, i;

	reg = fld_registry(&n);
	for (i = 0; i < n; i++)
		if (strlen(reg[i].name) == len &&
		    memcmp(reg[i].name, name, len) == 0)
			return &reg[i];
	return NULL;
}

/* The longest name that prefixes text; with dotted, only DOTTED fields followed by '.'. */
static const struct fld_def *
longest_prefix(const char *text, size_t len, bool dotted)
{
	const struct fld_def *reg, *best = NULL;
	size_t n, i, l, bestlen = 0;

	reg = fld_registry(&n);
	for (i = 0; i < n; i++) {
		l = strlen(reg[i].name);
		if (l > len || l <= bestlen || memcmp(reg[i].name, text, l) != 0)
			continue;
		if (dotted && (!(reg[i].flags & FLD_F_DOTTED) || l == len ||
		    text[l] != '.'))
			continue;
		best = &reg[i];
		bestlen = l;
	}
	return best;
}

/* sscanf("%d%c")-style index: optional spaces and sign, decimal digits. */
static bool
parse_index(const char *s, size_t len, int64_t *out)
{
	char buf[32], *end;
	long long v;

	if (len == 0 || len >= sizeof(buf))
		return false;
	memcpy(buf, s, len);
	buf[len] = '\0';
	errno = 0;
	v = strtoll(buf, &end, 10);
	if (end == buf || *end != '\0' || !isdigit((unsigned char)end[-1]))
		return false;
	*out = (int32_t)v;
	return true;
}

static bool
all_digits(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (!isdigit((unsigned char)s[i]))
			return false;
	return len > 0;
}

static int
set_arg(struct fld_ref *ref, const char *arg, size_t arglen,
    struct fld_error *err)
{
	if (arglen >= sizeof(ref->arg))
		return fail(err, "argument of field '%s' is too long",
		    ref->def->name);
	memcpy(ref->arg, arg, arglen);
	ref->arg[arglen] = '\0';
	ref->arglen = arglen;
	ref->has_arg = true;
	return 0;
}

/* A [arg] on def: allowed? numeric? */
static int
bracket_arg(struct fld_ref *ref, const char *arg, size_t arglen,
    struct fld_error *err)
{
	const struct fld_def *d = ref->def;

	if (d->id == FI_EVT_RAWARG)
		return fail(err, "evt.arg fields must be expressed explicitly");
	if (!(d->flags & (FLD_F_ARG_REQUIRED | FLD_F_ARG_ALLOWED)) ||
	    ((d->flags & FLD_F_DOTTED) && !(d->flags & FLD_F_ARG_INDEX)))
		return nonexistent(err, d->name, strlen(d->name), arg, arglen);
	if (set_arg(ref, arg, arglen, err) < 0)
		return -1;
	if (!(d->flags & FLD_F_ARG_INDEX) ||
	    ((d->flags & FLD_F_ARG_KEY) && !all_digits(arg, arglen)))
		return 0;
	if (!parse_index(arg, arglen, &ref->index))
		return fail(err, "%.*s is not a valid number", SHOWN(arglen),
		    arg);
	return 0;
}

/* The .NAME after a dotted field. */
static int
dotted_arg(struct fld_ref *ref, const char *sfx, size_t slen,
    struct fld_error *err)
{
	const struct fld_def *d = ref->def;
	size_t i;

	switch (d->id) {
	case FI_EVT_ARG:
	case FI_EVT_RAWARG:
		ref->param = fld_param_find(sfx, slen);
		if (ref->param == NULL)
			return fail(err, "unknown event argument %.*s",
			    SHOWN(slen), sfx);
		if (d->id == FI_EVT_RAWARG)
			ref->type = ref->param->type;
		break;
	case FI_EVT_ABSPATH:
		if (!(slen == 3 && (memcmp(sfx, "src", 3) == 0 ||
		    memcmp(sfx, "dst", 3) == 0)))
			return -2;
		break;
	default:	/* evt.type.is.NAME, thread.cgroup.SUBSYS */
		for (i = 0; i < slen; i++)
			if (!isalnum((unsigned char)sfx[i]) && sfx[i] != '_')
				return -2;
		if (slen == 0)
			return -2;
		break;
	}
	return set_arg(ref, sfx, slen, err);
}

static void
ref_init(struct fld_ref *ref, const struct fld_def *d)
{
	memset(ref, 0, sizeof(*ref));
	ref->def = d;
	ref->type = d->type;
	ref->index = -1;
}

static int
missing_arg(const struct fld_def *d, struct fld_error *err)
{
	if (d->flags & FLD_F_DOTTED)
		return fail(err, "filter syntax error: %s", d->name);
	return fail(err, "field '%s' requires an argument", d->name);
}

int
fld_resolve(const char *name, size_t len, const char *arg, size_t arglen,
    struct fld_ref *ref, struct fld_error *err)
{
	const struct fld_def *d;
	size_t dl;
	int rc;

	if ((d = fld_lookup(name, len)) != NULL) {
		ref_init(ref, d);
		if (arg != NULL)
			return bracket_arg(ref, arg, arglen, err);
		if ((d->flags & FLD_F_ARG_REQUIRED))
			return missing_arg(d, err);
		return 0;
	}
	d = longest_prefix(name, len, true);
	if (d == NULL || arg != NULL)
		return nonexistent(err, name, len, arg, arglen);
	ref_init(ref, d);
	dl = strlen(d->name);
	rc = dotted_arg(ref, name + dl + 1, len - dl - 1, err);
	if (rc == -2)
		return nonexistent(err, name, len, NULL, 0);
	return rc;
}

/* Output formats: how much of text after the field name is its argument. */
static size_t
scan_dotted(const struct fld_def *d, const char *s, size_t len)
{
	const struct fld_param *p;
	size_t i;

	if (len < 2 || s[0] != '.')
		return 0;
	if (d->id == FI_EVT_ARG || d->id == FI_EVT_RAWARG) {
		p = fld_param_prefix(s + 1, len - 1);
		return p != NULL ? strlen(p->name) + 1 : 0;
	}
	for (i = 1; i < len; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '_')
			break;
	return i > 1 ? i : 0;
}

int
fld_scan(const char *text, size_t len, struct fld_ref *ref,
    struct fld_error *err)
{
	const struct fld_def *d;
	const char *close;
	size_t dl, sl;
	int rc;

	if ((d = longest_prefix(text, len, false)) == NULL)
		return fail(err, "invalid formatting token %.*s", SHOWN(len),
		    text);
	dl = strlen(d->name);
	if ((d->flags & FLD_F_DOTTED) &&
	    (sl = scan_dotted(d, text + dl, len - dl)) > 0) {
		rc = fld_resolve(text, dl + sl, NULL, 0, ref, err);
		return rc < 0 ? -1 : (int)(dl + sl);
	}
	if (dl < len && text[dl] == '[' &&
	    (d->flags & (FLD_F_ARG_REQUIRED | FLD_F_ARG_ALLOWED))) {
		close = memchr(text + dl, ']', len - dl);
		if (close == NULL)
			return fail(err, "the field '%s' requires an argument "
			    "but ']' is not found", d->name);
		rc = fld_resolve(text, dl, text + dl + 1,
		    (size_t)(close - text - dl - 1), ref, err);
		return rc < 0 ? -1 : (int)(close + 1 - text);
	}
	rc = fld_resolve(text, dl, NULL, 0, ref, err);
	return rc < 0 ? -1 : (int)dl;
}

bool
fld_param_known(const char *name, size_t len)
{
	return fld_param_find(name, len) != NULL;
}

/* ---- Values ------------------------------------------------------------ */

/* Integers the way sscanf("%" PRId64 "%c") takes them: decimal only. */
static bool
scan_number(const char *text, size_t len, bool is_signed, uint64_t *out)
{
	char buf[64], *end;
	size_t i = 0;

	if (len == 0 || len >= sizeof(buf) || memchr(text, '\0', len) != NULL)
		return false;
	memcpy(buf, text, len);
	buf[len] = '\0';
	while (isspace((unsigned char)buf[i]))
		i++;
	if (buf[i] == '+' || buf[i] == '-')
		i++;
	if (!isdigit((unsigned char)buf[i]))
		return false;
	errno = 0;
	if (is_signed)
		*out = (uint64_t)strtoll(buf, &end, 10);
	else
		*out = strtoull(buf, &end, 10);
	return *end == '\0';
}

/* Bits kept when a number is stored into a narrower type. */
static int
type_bits(enum fld_type t)
{
	switch (t) {
	case FLD_T_INT8: case FLD_T_UINT8: case FLD_T_FLAGS8:
	case FLD_T_ENUMFLAGS8: case FLD_T_L4PROTO:
		return 8;
	case FLD_T_INT16: case FLD_T_UINT16: case FLD_T_FLAGS16:
	case FLD_T_ENUMFLAGS16: case FLD_T_SYSCALLID: case FLD_T_PORT:
		return 16;
	case FLD_T_INT32: case FLD_T_UINT32: case FLD_T_FLAGS32:
	case FLD_T_ENUMFLAGS32: case FLD_T_MODE: case FLD_T_UID:
	case FLD_T_GID: case FLD_T_SIGTYPE:
		return 32;
	default:
		return 64;
	}
}

static int
parse_int(enum fld_type t, const char *text, size_t len,
    struct fld_value *out, struct fld_error *err)
{
	bool sgn = fld_type_class(t) != FLD_C_UNSIGNED;
	int bits = type_bits(t);
	uint64_t u;

	if (!scan_number(text, len, sgn, &u))
		return fail(err, "%.*s is not a valid number", SHOWN(len), text);
	if (bits < 64)
		u &= (UINT64_C(1) << bits) - 1;
	if (sgn && bits < 64 && (u >> (bits - 1)) & 1)
		u |= ~((UINT64_C(1) << bits) - 1);	/* sign-extend */
	out->type = t;
	if (fld_type_class(t) == FLD_C_DOUBLE)
		out->v.dbl = (double)(int64_t)u;
	else
		out->v.u64 = u;
	return 0;
}

static int
parse_port(const char *text, size_t len, struct fld_value *out,
    struct fld_error *err)
{
	struct servent *se;
	char buf[64];

	if (len > 0 && isdigit((unsigned char)text[0]))
		return parse_int(FLD_T_PORT, text, len, out, err);
	if (len == 0 || len >= sizeof(buf) || memchr(text, '\0', len) != NULL)
		return fail(err, "unrecognized protocol %.*s", SHOWN(len), text);
	memcpy(buf, text, len);
	buf[len] = '\0';
	if ((se = getservbyname(buf, NULL)) == NULL)
		return fail(err, "unrecognized protocol %s", buf);
	out->type = FLD_T_PORT;
	out->v.u64 = ntohs((uint16_t)se->s_port);
	return 0;
}

static bool
parse_ip(const char *s, struct fld_ip *ip)
{
	memset(ip, 0, sizeof(*ip));
	if (strchr(s, ':') != NULL) {
		ip->family = 6;
		ip->prefix = 128;
		return inet_pton(AF_INET6, s, ip->addr) == 1;
	}
	ip->family = 4;
	ip->prefix = 32;
	return inet_pton(AF_INET, s, ip->addr) == 1;
}

static int
parse_addr(enum fld_type t, const char *text, size_t len,
    struct fld_value *out, struct fld_error *err)
{
	const char *what = t == FLD_T_IPNET ? "network" : "address";
	char buf[80], *slash;
	int64_t plen;

	if (len == 0 || len >= sizeof(buf) || memchr(text, '\0', len) != NULL)
		return fail(err, "unrecognized IP %s %.*s", what, SHOWN(len),
		    text);
	memcpy(buf, text, len);
	buf[len] = '\0';
	slash = t == FLD_T_IPNET ? strchr(buf, '/') : NULL;
	if (slash != NULL)
		*slash = '\0';
	out->type = t;
	if (!parse_ip(buf, &out->v.ip))
		return fail(err, "unrecognized IP %s %.*s", what, SHOWN(len),
		    text);
	if (slash != NULL) {
		if (!all_digits(slash + 1, strlen(slash + 1)) ||
		    !parse_index(slash + 1, strlen(slash + 1), &plen) ||
		    plen > (out->v.ip.family == 4 ? 32 : 128))
			return fail(err, "unrecognized IP %s %.*s", what,
			    SHOWN(len), text);
		out->v.ip.prefix = (uint8_t)plen;
	}
	return 0;
}

int
fld_parse_value(enum fld_type t, const char *text, size_t len,
    struct fld_value *out, struct fld_error *err)
{
	memset(out, 0, sizeof(*out));
	out->type = t;
	switch (fld_type_class(t)) {
	case FLD_C_SIGNED:
	case FLD_C_UNSIGNED:
	case FLD_C_DOUBLE:
		if (t == FLD_T_PORT)
			return parse_port(text, len, out, err);
		return parse_int(t, text, len, out, err);
	case FLD_C_BOOL:
		if (len == 4 && memcmp(text, "true", 4) == 0)
			out->v.b = true;
		else if (!(len == 5 && memcmp(text, "false", 5) == 0))
			return fail(err, "unrecognized boolean value %.*s",
			    SHOWN(len), text);
		return 0;
	case FLD_C_IPADDR:
	case FLD_C_IPNET:
		return parse_addr(t, text, len, out, err);
	default:	/* strings, buffers, DYN: verbatim */
		out->str = text;
		out->len = len;
		return 0;
	}
}

/* ---- Listing ----------------------------------------------------------- */

size_t
fld_list(FILE *fp)
{
	const struct fld_def *reg;
	size_t n, i;

	reg = fld_registry(&n);
	for (i = 0; i < n; i++) {
		const struct fld_def *d = &reg[i];

		fprintf(fp, "%-44s %-10s %s%s%s%s%s\n", d->name,
		    fld_type_name(d->type),
		    (d->flags & FLD_F_LATER) ? "[LATER] " : "",
		    (d->flags & FLD_F_UNSUPPORTED) ? "[UNSUPPORTED] " : "",
		    (d->flags & FLD_F_DEPRECATED) ? "[DEPRECATED] " : "",
		    (d->flags & FLD_F_IS_LIST) ? "[LIST] " : "", d->desc);
	}
	return n;
}

/* ---- Extraction entry point -------------------------------------------- */

bool
fld_extract(struct fld_ctx *ctx, const struct fld_ref *ref,
    struct fld_value *out)
{
	memset(out, 0, sizeof(*out));
	if (ref->def == NULL || ref->def->extract == NULL || ctx->ev == NULL)
		return false;
	return ref->def->extract(ctx, ref, out);
}

void
fld_ctx_next(struct fld_ctx *ctx, const struct fc_event *ev)
{
	ctx->ev = ev;
	if (++ctx->gen == 0) {
		/* Wrapped: entries from 2^32 events ago would look current. */
		if (ctx->memo != NULL)
			memset(ctx->memo, 0, ctx->nmemo * sizeof(*ctx->memo));
		ctx->gen = 1;
	}
}
