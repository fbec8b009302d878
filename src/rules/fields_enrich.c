/*
 * fields_enrich.c - fields that need more than the event: the process
 * table (parent, ancestors, session, capabilities) and the container
 * (container.*, k8s.*).
 *
 * The agent hands an fld_enrich per event (ctx->enrich): the table, the
 * event's process entry and its container record.  Without it (replay of
 * a log) these fields have no value, so checks on them are false, as in
 * Falco for a field it cannot extract.  Entries returned by the table are
 * referenced only while a value is copied into the event's arena.
 */
#include "config.h"

#include <string.h>

#include "core/buf.h"
#include "rules/fields_int.h"

static bool
arena_str(struct fld_ctx *ctx, const char *s, size_t len,
    struct fld_value *out)
{
	char *p;

	if (s == NULL || (p = fc_arena_strndup(ctx->arena, s, len)) == NULL)
		return false;
	return fldv_str(out, p, len);
}

static bool
fcstr_val(struct fld_ctx *ctx, struct fc_str s, struct fld_value *out)
{
	return s.p != NULL && arena_str(ctx, s.p, s.len, out);
}

/* Render into a temporary buffer, then keep the bytes in the arena. */
static bool
buf_val(struct fld_ctx *ctx, const struct ptree_proc *p, bool cmdline,
    struct fld_value *out)
{
	struct fc_buf b;
	bool ok;

	fc_buf_init(&b, 1u << 16);
	if (cmdline)
		ptree_proc_cmdline(p, &b);
	else
		ptree_proc_args(p, &b);
	ok = arena_str(ctx, b.p != NULL ? b.p : "", b.len, out);
	fc_buf_fini(&b);
	return ok;
}

/* The name/exe/... of process p, as the field base id asks. */
static bool
proc_value(struct fld_ctx *ctx, const struct ptree_proc *p, int base,
    struct fld_value *out)
{
	switch (base) {
	case FI_PROC_PID:
		return fldv_i64(out, FLD_T_INT64, p->pr_pid);
	case FI_PROC_NAME:
		return p->pr_comm[0] != '\0' &&
		    arena_str(ctx, p->pr_comm, strlen(p->pr_comm), out);
	case FI_PROC_EXE:
		return fcstr_val(ctx, p->pr_exe, out);
	case FI_PROC_EXEPATH:
		return fcstr_val(ctx, p->pr_exepath, out);
	case FI_PROC_CMDLINE:
		return p->pr_comm[0] != '\0' && buf_val(ctx, p, true, out);
	case FI_PROC_ARGS:
		return buf_val(ctx, p, false, out);
	default:
		return false;
	}
}

bool
fld_enrich_ancestor(struct fld_ctx *ctx, int base, int64_t n,
    struct fld_value *out)
{
	const struct fld_enrich *en = ctx->enrich;
	const struct ptree_proc *a;
	bool ok;

	if (en == NULL || en->pt == NULL || en->self == NULL || n < 1 ||
	    n > 64)
		return false;
	if ((a = ptree_ancestor(en->pt, en->self, (unsigned)n)) == NULL)
		return false;
	ok = proc_value(ctx, a, base, out);
	ptree_proc_unref(a);
	return ok;
}

static bool
caps_val(struct fld_ctx *ctx, const struct ptree_proc *p, uint64_t caps,
    struct fld_value *out)
{
	struct fc_buf b;
	bool ok;

	if (!(p->pr_flags & PTREE_F_CAPS))
		return false;
	fc_buf_init(&b, 4096);
	ptree_caps_render(caps, &b);
	ok = arena_str(ctx, b.p != NULL ? b.p : "", b.len, out);
	fc_buf_fini(&b);
	return ok;
}

static bool
session_value(struct fld_ctx *ctx, const struct fld_enrich *en,
    struct fld_value *out)
{
	const struct ptree_proc *l = ptree_session_leader(en->pt, en->self);
	bool ok;

	if (l == NULL)
		return false;
	ok = l->pr_comm[0] != '\0' &&
	    arena_str(ctx, l->pr_comm, strlen(l->pr_comm), out);
	ptree_proc_unref(l);
	return ok;
}

static uint64_t
event_ns(const struct fc_event *ev)
{
	return ev->ev_sec * 1000000000ull + (uint64_t)ev->ev_msec * 1000000ull;
}

/* Process-table fields of the event's own process. */
static bool
self_value(struct fld_ctx *ctx, int id, struct fld_value *out)
{
	const struct fld_enrich *en = ctx->enrich;
	const struct ptree_proc *p = en->self;
	int64_t d;

	switch (id) {
	case FE_PNAME:
		return fld_enrich_ancestor(ctx, FI_PROC_NAME, 1, out);
	case FE_PEXE:
		return fld_enrich_ancestor(ctx, FI_PROC_EXE, 1, out);
	case FE_PEXEPATH:
		return fld_enrich_ancestor(ctx, FI_PROC_EXEPATH, 1, out);
	case FE_PCMDLINE:
		return fld_enrich_ancestor(ctx, FI_PROC_CMDLINE, 1, out);
	case FE_VPID:
		return p->pr_vpid >= 0 && fldv_i64(out, FLD_T_INT64, p->pr_vpid);
	case FE_SID:
		return p->pr_sid >= 0 && fldv_i64(out, FLD_T_INT64, p->pr_sid);
	case FE_SNAME:
		return session_value(ctx, en, out);
	case FE_IS_SID_LEADER:
		return p->pr_sid >= 0 && fldv_bool(out, p->pr_sid == p->pr_pid);
	case FE_PGID:
		return p->pr_pgid >= 0 && fldv_i64(out, FLD_T_INT64, p->pr_pgid);
	case FE_VPGID:
		return p->pr_vpgid >= 0 &&
		    fldv_i64(out, FLD_T_INT64, p->pr_vpgid);
	case FE_DURATION:
		return ptree_proc_duration(p, event_ns(ctx->ev), &d) &&
		    fldv_u64(out, FLD_T_RELTIME, (uint64_t)(d < 0 ? 0 : d));
	case FE_PID_TS:
		return fldv_u64(out, FLD_T_RELTIME, p->pr_start_ns);
	case FE_EXE_UPPER:
		return p->pr_exe_upper != PTREE_UNKNOWN &&
		    fldv_bool(out, p->pr_exe_upper == PTREE_YES);
	case FE_EXE_LOWER:
		return p->pr_exe_upper != PTREE_UNKNOWN &&
		    fldv_bool(out, p->pr_exe_upper == PTREE_NO);
	case FE_CAP_EFF:
		return caps_val(ctx, p, p->pr_cap_eff, out);
	case FE_CAP_PRM:
		return caps_val(ctx, p, p->pr_cap_prm, out);
	case FE_CAP_INH:
		return caps_val(ctx, p, p->pr_cap_inh, out);
	default:
		return false;
	}
}

static bool
cstr(const char *s, struct fld_value *out)
{
	return s != NULL && fldv_cstr(out, s);
}

/* container.* and k8s.* of the event's process. */
static bool
ctr_value(const struct fld_enrich *en, int id, struct fld_value *out)
{
	const struct ctr_info *c = en->ctr;

	if (id == FE_CTR_ID)
		return cstr(en->cid, out);
	if (c == NULL)
		return false;
	switch (id) {
	case FE_CTR_FULL_ID:
		return cstr(c->id, out);
	case FE_CTR_NAME:
		return cstr(c->name, out);
	case FE_CTR_IMAGE:
		return cstr(c->image, out);
	case FE_CTR_IMAGE_REPO:
		return cstr(c->image_repo, out);
	case FE_CTR_IMAGE_TAG:
		return cstr(c->image_tag, out);
	case FE_CTR_IMAGE_DIGEST:
		return cstr(c->image_digest, out);
	case FE_CTR_IMAGE_ID:
		return cstr(c->image_id, out);
	case FE_CTR_TYPE:
		return cstr(ctr_runtime_name(c->rt), out);
	case FE_CTR_PRIVILEGED:
		return c->privileged >= 0 && fldv_bool(out, c->privileged == 1);
	case FE_K8S_POD_NAME:
		return cstr(c->pod_name, out);
	case FE_K8S_NS_NAME:
		return cstr(c->pod_ns, out);
	case FE_K8S_POD_UID:
		return cstr(c->pod_uid, out);
	case FE_K8S_SANDBOX_ID:
		return c->sandbox_id != NULL && strlen(c->sandbox_id) >= 12 &&
		    fldv_str(out, c->sandbox_id, 12);
	case FE_K8S_FULL_SANDBOX_ID:
		return cstr(c->sandbox_id, out);
	default:
		return false;
	}
}

bool
fld_x_enrich(struct fld_ctx *ctx, const struct fld_ref *ref,
    struct fld_value *out)
{
	const struct fld_enrich *en = ctx->enrich;
	int id = ref->def->id;
	bool ok;

	if (en == NULL)
		return false;
	if (id >= FE_CTR_ID)
		ok = ctr_value(en, id, out);
	else
		ok = en->pt != NULL && en->self != NULL &&
		    self_value(ctx, id, out);
	if (ok && fld_type_class(ref->def->type) == fld_type_class(out->type))
		out->type = ref->def->type;
	return ok;
}
