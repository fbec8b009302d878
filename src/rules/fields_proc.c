/*
 * fields_proc.c - proc.*, thread.*, user.*, group.*, util.* extractors.
 *
 * What the event itself tells: SYSCALL pid/ppid/comm/exe/tty/ids, the
 * CWD record, the EXECVE argv (at exec); on other events the live
 * agent's process table (its argv from the audit EXECVE), else PROCTITLE
 * (the /proc/PID/cmdline the kernel cached, cut at 128 bytes).  The argv
 * bytes are capped at 4096 (each argument and its NUL counted), as the
 * Falco driver reads at most one page of the argument area; proc.args
 * and proc.cmdline follow libsinsp (comm, not argv[0], starts cmdline).
 *
 * proc.tty: audit logs the tty name; it is turned into the number the
 * kernel reports as tty_nr in /proc/PID/stat (new_encode_dev(major,
 * minor)): "pts3" -> major 136 + 3/256, minor 3%256 -> 34819; "ttyN" ->
 * 4:N; "ttySN" -> 4:64+N; "console" -> 5:1; "tty" -> 5:0; "(none)" -> 0;
 * any other name -> 4294967295 (non-zero: "has a tty", number unknown).
 *
 * user.*: euid / auid / egid of the SYSCALL record, names from the
 * fld_users cache.  thread.tid is the pid: audit's pid= is the thread
 * group id and the thread id is not logged.  Owns nothing.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "rules/fields_int.h"

enum {
	ARGV_CAP = 4096,	/* bytes of argv Falco's driver reads */
	ARGV_MAX = 1024,	/* arguments kept (4096 bytes hold at most 2048) */
};

static unsigned
new_encode_dev(unsigned major, unsigned minor)
{
	return (minor & 0xff) | (major << 8) | ((minor & ~0xffu) << 12);
}

static bool
num_suffix(const char *s, size_t len, size_t plen, unsigned *n)
{
	unsigned v = 0;
	size_t i;

	if (len <= plen || len - plen > 6)
		return false;
	for (i = plen; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (unsigned)(s[i] - '0');
	}
	*n = v;
	return true;
}

bool
fld_tty_number(const struct fc_event *ev, uint32_t *nr)
{
	const char *s = ev->ev_tty.p;
	size_t len = ev->ev_tty.len;
	unsigned n;

	if (s == NULL)
		return false;
	if (len == 6 && memcmp(s, "(none)", 6) == 0)
		*nr = 0;
	else if (len > 3 && memcmp(s, "pts", 3) == 0 && num_suffix(s, len, 3, &n))
		*nr = new_encode_dev(136 + n / 256, n % 256);
	else if (len > 4 && memcmp(s, "ttyS", 4) == 0 && num_suffix(s, len, 4, &n))
		*nr = new_encode_dev(4, 64 + n);
	else if (len > 3 && memcmp(s, "tty", 3) == 0 && num_suffix(s, len, 3, &n))
		*nr = new_encode_dev(4, n);
	else if (len == 7 && memcmp(s, "console", 7) == 0)
		*nr = new_encode_dev(5, 1);
	else if (len == 3 && memcmp(s, "tty", 3) == 0)
		*nr = new_encode_dev(5, 0);
	else
		*nr = UINT32_MAX;
	return true;
}

/* ---- argv -------------------------------------------------------------- */

struct argv {
	struct fc_str	 exe;		/* argv[0] */
	struct fc_str	*args;		/* argv[1..], in the arena */
	uint32_t	 nargs;
};

/* Add one argument, cut at the cap; false once the cap is reached. */
static bool
argv_add(struct argv *a, const char *p, size_t len, size_t *used, bool first)
{
	size_t room = ARGV_CAP - *used;

	if (*used >= ARGV_CAP || (!first && a->nargs >= ARGV_MAX))
		return false;
	if (len + 1 > room)
		len = room - 1;
	*used += len + 1;
	if (first)
		a->exe = (struct fc_str){ p, (uint32_t)len };
	else
		a->args[a->nargs++] = (struct fc_str){ p, (uint32_t)len };
	return true;
}

/*
 * The process table's argv for the event's process, when it knows the
 * current image: PROCTITLE cannot be trusted after an exec, because the
 * kernel caches it in the task's audit context at the first audited
 * syscall and keeps it across execve (a shell's child that opened a
 * redirection before exec'ing cat reports the shell's command line on
 * every later event of cat).  A comm that differs from the entry's
 * (another thread's name, an exec the table missed) keeps PROCTITLE.
 */
static const struct ptree_proc *
table_image(const struct fld_ctx *ctx)
{
	const struct fc_event *ev = ctx->ev;
	const struct ptree_proc *p;

	if (ctx->enrich == NULL || (p = ctx->enrich->self) == NULL ||
	    p->pr_exe.p == NULL || (p->pr_flags & PTREE_F_STALE) ||
	    ev->ev_comm.p == NULL || ev->ev_comm.len != strlen(p->pr_comm) ||
	    memcmp(ev->ev_comm.p, p->pr_comm, ev->ev_comm.len) != 0)
		return NULL;
	return p;
}

static bool
argv_get(struct fld_ctx *ctx, struct argv *a)
{
	const struct fc_event *ev = ctx->ev;
	const struct ptree_proc *tp;
	const char *p, *end, *nul;
	size_t used = 0;
	uint32_t i;

	memset(a, 0, sizeof(*a));
	if ((a->args = fc_arena_alloc(ctx->arena,
	    ARGV_MAX * sizeof(*a->args))) == NULL)
		return false;
	if ((ev->ev_flags & FC_EV_EXECVE) && ev->ev_nargv > 0) {
		for (i = 0; i < ev->ev_nargv; i++)
			if (!argv_add(a, ev->ev_argv[i].p, ev->ev_argv[i].len,
			    &used, i == 0))
				break;
		return true;
	}
	if (!(ev->ev_flags & FC_EV_EXECVE) && (tp = table_image(ctx)) != NULL) {
		(void)argv_add(a, tp->pr_exe.p, tp->pr_exe.len, &used, true);
		p = tp->pr_args.p;
		end = p + tp->pr_args.len;
		for (i = 0; i < tp->pr_nargs; i++) {
			if ((nul = memchr(p, '\0', (size_t)(end - p))) == NULL)
				nul = end;
			if (!argv_add(a, p, (size_t)(nul - p), &used, false))
				break;
			p = nul < end ? nul + 1 : end;
		}
		return true;
	}
	if (ev->ev_proctitle.p == NULL || ev->ev_proctitle.len == 0)
		return false;
	p = ev->ev_proctitle.p;
	end = p + ev->ev_proctitle.len;
	for (i = 0; p < end; i++) {
		if ((nul = memchr(p, '\0', (size_t)(end - p))) == NULL)
			nul = end;
		if (!argv_add(a, p, (size_t)(nul - p), &used, i == 0))
			break;
		p = nul + 1;
	}
	return true;
}

/* Join args with spaces, with an optional head ("comm " / "exe "). */
static bool
argv_join(struct fld_ctx *ctx, const struct argv *a, const struct fc_str *head,
    bool head_space_always, struct fld_value *out)
{
	size_t len = 0, off = 0;
	uint32_t i;
	char *s;

	if (head != NULL)
		len += head->len + 1;
	for (i = 0; i < a->nargs; i++)
		len += a->args[i].len + 1;
	if ((s = fc_arena_alloc(ctx->arena, len + 1)) == NULL)
		return false;
	if (head != NULL) {
		memcpy(s, head->p, head->len);
		off = head->len;
		if (head_space_always || a->nargs > 0)
			s[off++] = ' ';
	}
	for (i = 0; i < a->nargs; i++) {
		if (i > 0)
			s[off++] = ' ';
		memcpy(s + off, a->args[i].p, a->args[i].len);
		off += a->args[i].len;
	}
	s[off] = '\0';
	return fldv_str(out, s, off);
}

static bool
argv_field(struct fld_ctx *ctx, int id, struct fld_value *out)
{
	const struct fc_event *ev = ctx->ev;
	struct argv a;
	uint64_t n = 0;
	uint32_t i;

	if (!argv_get(ctx, &a))
		return false;
	switch (id) {
	case FI_PROC_EXE:
		return a.exe.p != NULL && fldv_str(out, a.exe.p, a.exe.len);
	case FI_PROC_ARGS:
		return argv_join(ctx, &a, NULL, false, out);
	case FI_PROC_CMDLINE:
		return ev->ev_comm.p != NULL &&
		    argv_join(ctx, &a, &ev->ev_comm, false, out);
	case FI_PROC_EXELINE:
		return a.exe.p != NULL && argv_join(ctx, &a, &a.exe, true, out);
	case FI_PROC_CMDNARGS:
		return fldv_u64(out, FLD_T_UINT64, a.nargs);
	default:	/* cmdlenargs */
		for (i = 0; i < a.nargs; i++)
			n += a.args[i].len;
		return fldv_u64(out, FLD_T_UINT64, n);
	}
}

/* ---- the rest ---------------------------------------------------------- */

static bool
cwd(struct fld_ctx *ctx, struct fld_value *out)
{
	const struct fc_str *c = &ctx->ev->ev_cwd;
	char *s;

	if (c->p == NULL || c->len == 0)
		return false;
	if (c->p[c->len - 1] == '/')
		return fldv_str(out, c->p, c->len);
	/* libsinsp keeps the cwd with a trailing slash. */
	if ((s = fc_arena_alloc(ctx->arena, c->len + 2)) == NULL)
		return false;
	memcpy(s, c->p, c->len);
	s[c->len] = '/';
	s[c->len + 1] = '\0';
	return fldv_str(out, s, c->len + 1);
}

static bool
users(struct fld_ctx *ctx, int id, struct fld_value *out)
{
	const struct fc_event *ev = ctx->ev;

	if (!(ev->ev_flags & FC_EV_HAS_IDS))
		return false;
	switch (id) {
	case FI_USER_UID:
		return fldv_u64(out, FLD_T_UINT32, ev->ev_euid);
	case FI_USER_NAME:
		return fldv_cstr(out, fld_users_lookup(ctx->users, false,
		    ev->ev_euid, 0));
	case FI_USER_HOMEDIR:
		return fldv_cstr(out, fld_users_lookup(ctx->users, false,
		    ev->ev_euid, 1));
	case FI_USER_SHELL:
		return fldv_cstr(out, fld_users_lookup(ctx->users, false,
		    ev->ev_euid, 2));
	case FI_USER_LOGINUID:
		return fldv_i64(out, FLD_T_INT64, ev->ev_auid == UINT32_MAX ?
		    -1 : (int64_t)ev->ev_auid);
	case FI_USER_LOGINNAME:
		return ev->ev_auid != UINT32_MAX && fldv_cstr(out,
		    fld_users_lookup(ctx->users, false, ev->ev_auid, 0));
	case FI_GROUP_GID:
		return fldv_u64(out, FLD_T_UINT32, ev->ev_egid);
	default:	/* group.name */
		return fldv_cstr(out, fld_users_lookup(ctx->users, true,
		    ev->ev_egid, 0));
	}
}

/* Ancestor fields: [0] is the process itself; the rest needs the table. */
static int
ancestor_base(int id)
{
	switch (id) {
	case FI_PROC_APID: return FI_PROC_PID;
	case FI_PROC_ANAME: return FI_PROC_NAME;
	case FI_PROC_AEXE: return FI_PROC_EXE;
	case FI_PROC_AEXEPATH: return FI_PROC_EXEPATH;
	case FI_PROC_ACMDLINE: return FI_PROC_CMDLINE;
	case FI_PROC_AARGS: return FI_PROC_ARGS;
	}
	return FI_NONE;
}

/*
 * The process table's entry for the event's process (live agent only),
 * for what the event itself does not carry: a fanotify event of a process
 * that exited before its reader got to /proc has no comm, exe or ppid.
 * image: only an entry whose image is current (not flagged stale: its
 * exec was seen but /proc was gone), for the name and the exe.
 */
static const struct ptree_proc *
table_self(const struct fld_ctx *ctx, bool image)
{
	const struct ptree_proc *p = ctx->enrich != NULL ?
	    ctx->enrich->self : NULL;

	return p != NULL && !(image && (p->pr_flags & PTREE_F_STALE)) ? p :
	    NULL;
}

static bool
proc_field(struct fld_ctx *ctx, int id, struct fld_value *out)
{
	const struct fc_event *ev = ctx->ev;
	const struct ptree_proc *tp = table_self(ctx, false);
	const struct ptree_proc *ti = table_self(ctx, true);
	const struct fc_path *pt;

	switch (id) {
	case FI_PROC_PID:
	case FI_THREAD_TID:
		return ev->ev_pid >= 0 && fldv_i64(out, FLD_T_INT64, ev->ev_pid);
	case FI_PROC_PPID:
		if (ev->ev_flags & FC_EV_HAS_PPID)
			return fldv_i64(out, FLD_T_INT64, ev->ev_ppid);
		return tp != NULL && tp->pr_ppid > 0 &&
		    fldv_i64(out, FLD_T_INT64, tp->pr_ppid);
	case FI_PROC_NAME:
		if (ev->ev_comm.p != NULL)
			return fldv_str(out, ev->ev_comm.p, ev->ev_comm.len);
		return ti != NULL && ti->pr_comm[0] != '\0' &&
		    fldv_cstr(out, ti->pr_comm);
	case FI_PROC_EXEPATH:
		if (ev->ev_exe.p != NULL)
			return fldv_str(out, ev->ev_exe.p, ev->ev_exe.len);
		return ti != NULL && ti->pr_exepath.p != NULL &&
		    fldv_str(out, ti->pr_exepath.p, ti->pr_exepath.len);
	case FI_PROC_CWD:
		return cwd(ctx, out);
	case FI_PROC_TTY: {
		uint32_t nr;

		return fld_tty_number(ev, &nr) &&
		    fldv_u64(out, FLD_T_UINT32, nr);
	}
	case FI_PROC_MEMFD:
		return ev->ev_exe.p != NULL && fldv_bool(out,
		    strncmp(ev->ev_exe.p, "/memfd:", 7) == 0 ||
		    strncmp(ev->ev_exe.p, "memfd:", 6) == 0);
	case FI_PROC_EXE_INO:
		pt = ev->ev_npaths > 0 ? &ev->ev_paths[0] : NULL;
		return (ev->ev_flags & FC_EV_EXECVE) && pt != NULL &&
		    (pt->pt_flags & FC_PT_INODE) &&
		    fldv_i64(out, FLD_T_INT64, (int64_t)pt->pt_inode);
	case FI_UTIL_CNT:
		return fldv_u64(out, FLD_T_UINT64, ++ctx->util_cnt);
	case FI_PROC_EXE: case FI_PROC_ARGS: case FI_PROC_CMDLINE:
	case FI_PROC_EXELINE: case FI_PROC_CMDNARGS: case FI_PROC_CMDLENARGS:
		return argv_field(ctx, id, out);
	}
	return users(ctx, id, out);
}

bool
fld_x_proc(struct fld_ctx *ctx, const struct fld_ref *ref,
    struct fld_value *out)
{
	int id = ref->def->id, base = ancestor_base(id);

	if (base != FI_NONE) {
		/* [N > 0] (and the evaluator's any-ancestor walk) use the table. */
		if (ref->index > 0)
			return fld_enrich_ancestor(ctx, base, ref->index, out);
		if (ref->index != 0)
			return false;
		id = base;
	}
	if (!proc_field(ctx, id, out))
		return false;
	/* ancestor / proc.exe_ino types follow the registry, not the base */
	if (ref->def->type != FLD_T_CHARBUF &&
	    fld_type_class(ref->def->type) == fld_type_class(out->type))
		out->type = ref->def->type;
	return true;
}
