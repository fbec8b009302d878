/*
 * fields_evt.c - evt.* and syscall.type extractors.
 *
 * Everything comes from the SYSCALL record and the event identity.  Time:
 * audit stamps events with millisecond resolution, so the nanosecond
 * parts are the milliseconds padded with zeros (…123000000).  evt.time
 * and evt.datetime are local time like libsinsp's ts_to_string;
 * evt.time.iso8601 is UTC with a "+0000" offset.  Owns nothing.
 */
#include "config.h"

#include <inttypes.h>
#include <string.h>
#include <time.h>

#include "audit/audit.h"
#include "rules/fields_int.h"

static uint64_t
ev_ts(const struct fc_event *ev)
{
	return ev->ev_sec * UINT64_C(1000000000) +
	    (uint64_t)ev->ev_msec * UINT64_C(1000000);
}

/* A time string that also carries its timestamp for JSON (v.u64). */
static bool
time_str(struct fld_ctx *ctx, int id, struct fld_value *out)
{
	const struct fc_event *ev = ctx->ev;
	time_t sec = (time_t)ev->ev_sec;
	unsigned ns = ev->ev_msec * 1000000u;
	struct tm tm;
	char d[32], *s = NULL;
	size_t n = 0;

	if ((id == FI_EVT_TIME_ISO ? gmtime_r(&sec, &tm) :
	    localtime_r(&sec, &tm)) == NULL)
		return false;
	switch (id) {
	case FI_EVT_TIME:
		s = fld_aprintf(ctx, &n, "%02d:%02d:%02d.%09u", tm.tm_hour,
		    tm.tm_min, tm.tm_sec, ns);
		break;
	case FI_EVT_TIME_S:
		s = fld_aprintf(ctx, &n, "%02d:%02d:%02d", tm.tm_hour,
		    tm.tm_min, tm.tm_sec);
		break;
	case FI_EVT_TIME_ISO:
		strftime(d, sizeof(d), "%Y-%m-%dT%H:%M:%S", &tm);
		s = fld_aprintf(ctx, &n, "%s.%09u+0000", d, ns);
		break;
	default:
		strftime(d, sizeof(d), "%Y-%m-%d %H:%M:%S", &tm);
		s = id == FI_EVT_DATETIME ?
		    fld_aprintf(ctx, &n, "%s.%09u", d, ns) :
		    fld_aprintf(ctx, &n, "%s", d);
		break;
	}
	if (!fldv_str(out, s, n))
		return false;
	out->v.u64 = ev_ts(ev);
	return true;
}

static bool
times(struct fld_ctx *ctx, int id, struct fld_value *out)
{
	uint64_t ts = ev_ts(ctx->ev), first, prev, d;

	first = ctx->first_ts != 0 && ctx->first_ts <= ts ? ctx->first_ts : ts;
	prev = ctx->prev_ts != 0 && ctx->prev_ts <= ts ? ctx->prev_ts : ts;
	switch (id) {
	case FI_EVT_RAWTIME:
		return fldv_u64(out, FLD_T_ABSTIME, ts);
	case FI_EVT_RAWTIME_S:
		return fldv_u64(out, FLD_T_ABSTIME, ts / 1000000000);
	case FI_EVT_RAWTIME_NS:
		return fldv_u64(out, FLD_T_ABSTIME, ts % 1000000000);
	case FI_EVT_RELTIME:
	case FI_EVT_RELTIME_S:
	case FI_EVT_RELTIME_NS:
		d = ts - first;
		break;
	default:
		d = ts - prev;
		break;
	}
	if (id == FI_EVT_RELTIME_S || id == FI_EVT_DELTA_S)
		d /= 1000000000;
	else if (id == FI_EVT_RELTIME_NS || id == FI_EVT_DELTA_NS)
		d %= 1000000000;
	return fldv_u64(out, FLD_T_RELTIME, d);
}

static bool
result(const struct fc_event *ev, int id, struct fld_value *out)
{
	const char *e;

	if (!fld_has_res(ev))
		return false;
	switch (id) {
	case FI_EVT_RES:
		if (ev->ev_exit >= 0)
			return fldv_cstr(out, "SUCCESS");
		if ((e = aud_errno_name(ev->ev_exit)) != NULL)
			return fldv_cstr(out, e);
		return false;
	case FI_EVT_RAWRES:
		return fldv_i64(out, FLD_T_INT64, ev->ev_exit);
	default:	/* evt.failed */
		return fldv_bool(out, ev->ev_exit < 0);
	}
}

static bool
error_count(struct fld_ctx *ctx, int id, struct fld_value *out)
{
	const struct fc_event *ev = ctx->ev;
	enum fld_cat c = fld_sc_of(ctx)->cat;
	bool fit;

	if (!fld_has_res(ev))
		return false;
	switch (id) {
	case FI_EVT_COUNT_ERROR_FILE:
		fit = c == FLD_CAT_FILE;
		break;
	case FI_EVT_COUNT_ERROR_NET:
		fit = c == FLD_CAT_NET;
		break;
	case FI_EVT_COUNT_ERROR_MEMORY:
		fit = c == FLD_CAT_MEMORY;
		break;
	case FI_EVT_COUNT_ERROR_OTHER:
		fit = c != FLD_CAT_FILE && c != FLD_CAT_NET &&
		    c != FLD_CAT_MEMORY;
		break;
	default:
		fit = true;
		break;
	}
	return fit && fldv_u64(out, FLD_T_UINT32, ev->ev_exit < 0);
}

static bool
is_open_family(const struct fld_sc *sc)
{
	return sc->kind == FLD_SC_OPEN || sc->kind == FLD_SC_OPENAT ||
	    sc->kind == FLD_SC_OPENAT2 || sc->kind == FLD_SC_OPEN_BY_HANDLE_AT;
}

/* libsinsp: always a value; false for anything but the open family. */
static bool
open_kind(struct fld_ctx *ctx, int id, struct fld_value *out)
{
	const struct fc_event *ev = ctx->ev;
	const struct fld_sc *sc = fld_sc_of(ctx);
	uint32_t flags = 0, mode = 0;
	bool r = false;

	if (sc->kind == FLD_SC_CREAT && id == FI_EVT_IS_OPEN_EXEC)
		return fldv_bool(out, fld_open_mode(ev, sc, &mode) &&
		    (mode & 0111) != 0);
	if (!is_open_family(sc) || !fld_open_flags(ev, sc, &flags))
		return fldv_bool(out, false);
	switch (id) {
	case FI_EVT_IS_OPEN_READ:
		r = (flags & FLD_O_RDONLY) != 0;
		break;
	case FI_EVT_IS_OPEN_WRITE:
		r = (flags & FLD_O_WRONLY) != 0;
		break;
	case FI_EVT_IS_OPEN_CREATE:
		r = (flags & FLD_O_F_CREATED) != 0 ||
		    ((flags & FLD_O_TMPFILE) && fld_has_res(ev) &&
		    ev->ev_exit >= 0);
		break;
	default:	/* exec: created with an execute bit */
		r = sc->kind != FLD_SC_OPEN_BY_HANDLE_AT &&
		    (flags & (FLD_O_CREAT | FLD_O_TMPFILE)) &&
		    fld_open_mode(ev, sc, &mode) && (mode & 0111) != 0;
		break;
	}
	return fldv_bool(out, r);
}

static bool
io(struct fld_ctx *ctx, int id, struct fld_value *out)
{
	const struct fc_event *ev = ctx->ev;
	const struct fld_sc *sc = fld_sc_of(ctx);

	if (ev->ev_syscall_name == NULL)
		return false;
	switch (id) {
	case FI_EVT_IS_IO:
		return fldv_bool(out, (sc->io & (FLD_IO_READ | FLD_IO_WRITE)) != 0);
	case FI_EVT_IS_IO_READ:
		return fldv_bool(out, (sc->io & FLD_IO_READ) != 0);
	case FI_EVT_IS_IO_WRITE:
		return fldv_bool(out, (sc->io & FLD_IO_WRITE) != 0);
	case FI_EVT_IO_DIR:
		if (sc->io & FLD_IO_WRITE)
			return fldv_cstr(out, "write");
		return (sc->io & FLD_IO_READ) && fldv_cstr(out, "read");
	case FI_EVT_IS_WAIT:
		return fldv_bool(out, (sc->io & FLD_IO_WAIT) != 0);
	default:	/* evt.buflen */
		return (sc->io & (FLD_IO_READ | FLD_IO_WRITE)) &&
		    fld_has_res(ev) && ev->ev_exit >= 0 &&
		    fldv_u64(out, FLD_T_UINT64, (uint64_t)ev->ev_exit);
	}
}

/* evt.abspath: [dirfd arg index, PATH nametype] per syscall and side. */
static bool
abspath(struct fld_ctx *ctx, const struct fld_ref *ref, struct fld_value *out)
{
	static const struct {
		const char	*sc;
		int8_t		 dirfd, nt, dst_dirfd, dst_nt;
	} tab[] = {
		{ "openat", 0, -1, -1, 0 }, { "openat2", 0, -1, -1, 0 },
		{ "mkdirat", 0, FC_NT_CREATE, -1, 0 },
		{ "unlinkat", 0, FC_NT_DELETE, -1, 0 },
		{ "fchmodat", 0, FC_NT_NORMAL, -1, 0 },
		{ "fchownat", 0, FC_NT_NORMAL, -1, 0 },
		{ "symlinkat", 1, FC_NT_CREATE, -1, 0 },
		{ "renameat", 0, FC_NT_DELETE, 2, FC_NT_CREATE },
		{ "renameat2", 0, FC_NT_DELETE, 2, FC_NT_CREATE },
		{ "linkat", 0, FC_NT_NORMAL, 2, FC_NT_CREATE },
	};
	const struct fc_event *ev = ctx->ev;
	const struct fc_path *pt;
	bool dst = ref->has_arg && strcmp(ref->arg, "dst") == 0;
	int fdi, nt;
	size_t i, n;
	char *s;

	for (i = 0; i < sizeof(tab) / sizeof(tab[0]); i++)
		if (ev->ev_syscall_name != NULL &&
		    strcmp(tab[i].sc, ev->ev_syscall_name) == 0)
			break;
	if (i == sizeof(tab) / sizeof(tab[0]) || (dst && tab[i].dst_dirfd < 0))
		return false;
	fdi = dst ? tab[i].dst_dirfd : tab[i].dirfd;
	nt = dst ? tab[i].dst_nt : tab[i].nt;
	pt = nt < 0 ? fld_path_main(ev) : fld_path_find(ev, nt);
	if (pt == NULL)
		return false;
	s = fld_path_abs(ctx, &pt->pt_name, (int32_t)ev->ev_a[fdi] == -100, &n);
	return fldv_str(out, s, n);
}

static bool
names(struct fld_ctx *ctx, const struct fld_ref *ref, struct fld_value *out)
{
	const struct fc_event *ev = ctx->ev;
	const char *n = ev->ev_syscall_name;

	switch (ref->def->id) {
	case FI_EVT_TYPE:
	case FI_SYSCALL_TYPE:
		return fldv_cstr(out, n);
	case FI_EVT_TYPE_IS:
		return fldv_u64(out, FLD_T_UINT32,
		    n != NULL && strcmp(n, ref->arg) == 0);
	case FI_EVT_CATEGORY:
		return (ev->ev_flags & FC_EV_SYSCALL) &&
		    fldv_cstr(out, fld_cat_name(fld_sc_of(ctx)->cat));
	case FI_EVT_SOURCE:
		return fldv_cstr(out, "syscall");
	case FI_EVT_HOSTNAME:
		return fldv_cstr(out, ctx->hostname);
	case FI_EVT_DIR:
		return fldv_cstr(out, "<");
	case FI_EVT_LATENCY_HUMAN:
		return fldv_cstr(out, "0ns");
	case FI_EVT_ABSPATH:
		return abspath(ctx, ref, out);
	}
	return false;
}

bool
fld_x_evt(struct fld_ctx *ctx, const struct fld_ref *ref,
    struct fld_value *out)
{
	const struct fc_event *ev = ctx->ev;
	int id = ref->def->id;

	switch (id) {
	case FI_EVT_NUM:
		return fldv_u64(out, FLD_T_UINT64,
		    ctx->evnum != 0 ? ctx->evnum : ev->ev_num);
	case FI_EVT_TIME: case FI_EVT_TIME_S: case FI_EVT_TIME_ISO:
	case FI_EVT_DATETIME: case FI_EVT_DATETIME_S:
		return time_str(ctx, id, out);
	case FI_EVT_RAWTIME: case FI_EVT_RAWTIME_S: case FI_EVT_RAWTIME_NS:
	case FI_EVT_RELTIME: case FI_EVT_RELTIME_S: case FI_EVT_RELTIME_NS:
	case FI_EVT_DELTA: case FI_EVT_DELTA_S: case FI_EVT_DELTA_NS:
		return times(ctx, id, out);
	case FI_EVT_LATENCY:
		return fldv_u64(out, FLD_T_RELTIME, 0);
	case FI_EVT_RES: case FI_EVT_RAWRES: case FI_EVT_FAILED:
		return result(ev, id, out);
	case FI_EVT_COUNT: case FI_EVT_COUNT_EXIT:
		return fldv_u64(out, FLD_T_UINT32, 1);
	case FI_EVT_COUNT_ERROR: case FI_EVT_COUNT_ERROR_FILE:
	case FI_EVT_COUNT_ERROR_NET: case FI_EVT_COUNT_ERROR_MEMORY:
	case FI_EVT_COUNT_ERROR_OTHER:
		return error_count(ctx, id, out);
	case FI_EVT_IS_OPEN_READ: case FI_EVT_IS_OPEN_WRITE:
	case FI_EVT_IS_OPEN_EXEC: case FI_EVT_IS_OPEN_CREATE:
		return open_kind(ctx, id, out);
	case FI_EVT_IS_IO: case FI_EVT_IS_IO_READ: case FI_EVT_IS_IO_WRITE:
	case FI_EVT_IO_DIR: case FI_EVT_IS_WAIT: case FI_EVT_BUFLEN:
		return io(ctx, id, out);
	case FI_EVT_IS_SYSLOG: case FI_EVT_IS_ASYNC:
		return fldv_bool(out, false);
	case FI_EVT_NOVALUE:
		return false;
	}
	return names(ctx, ref, out);
}
