/*
 * fields_args.c - event parameters: evt.arg.NAME, evt.arg[N],
 * evt.rawarg.NAME, evt.args.
 *
 * Falco's events carry named parameters (driver/event_table.c).  Audit
 * gives the raw syscall arguments a0-a3, the result and the PATH /
 * SOCKADDR / EXECVE records; the tables below rebuild, for the syscalls
 * the rules use (falco.md §3.3), Falco's parameter list in Falco's order
 * with a getter per parameter.  Each parameter has a raw typed value
 * (evt.rawarg) and a rendering: the plain text plus, for flags, enums,
 * errnos and fds, a resolved text (evt.arg returns the resolved text when
 * there is one; evt.args prints "name=plain(resolved)").  Parameters audit
 * cannot see (buffers, user strings) have no value.  Owns static tables.
 */
#include "config.h"

#include <inttypes.h>
#include <string.h>

#include "audit/audit.h"
#include "core/buf.h"
#include "rules/fields_int.h"

enum getter {
	G_NONE = 0, G_RES, G_FD_RES, G_AFD, G_AU, G_AI, G_AHEX, G_AOCT,
	G_NAME, G_OFLAGS, G_OMODE, G_DEV, G_INO, G_RESOLVE2, G_DOMAIN,
	G_TUPLE, G_ADDR, G_PTRACE, G_CLONEF, G_P_TARGET, G_P_CREATE,
	G_P_NORMAL, G_P_DELETE, G_EXE, G_ARGS, G_PID, G_PPID, G_CWD, G_COMM,
	G_TTY, G_LOGINUID, G_EUID, G_EGID, G_FILENAME, G_EXEPATH, G_EXEINO,
};

struct pdesc {
	struct fld_param p;	/* first: a pdesc is a fld_param */
	uint8_t		 get;
	uint8_t		 ai;	/* a0..a3 for the G_A* getters */
};

#define P(n, t, g, a)	{ { n, FLD_T_##t }, g, a }
#define RES		P("res", ERRNO, G_RES, 0)
#define FDRES		P("fd", FD, G_FD_RES, 0)
#define END		{ { NULL, FLD_T_NONE }, 0, 0 }

static const struct pdesc p_open[] = {
	FDRES, P("name", FSPATH, G_NAME, 0), P("flags", FLAGS32, G_OFLAGS, 0),
	P("mode", UINT32, G_OMODE, 0), P("dev", UINT32, G_DEV, 0),
	P("ino", UINT64, G_INO, 0), END,
};
static const struct pdesc p_openat[] = {
	FDRES, P("dirfd", FD, G_AFD, 0), P("name", FSRELPATH, G_NAME, 0),
	P("flags", FLAGS32, G_OFLAGS, 0), P("mode", UINT32, G_OMODE, 0),
	P("dev", UINT32, G_DEV, 0), P("ino", UINT64, G_INO, 0), END,
};
static const struct pdesc p_openat2[] = {
	FDRES, P("dirfd", FD, G_AFD, 0), P("name", FSRELPATH, G_NAME, 0),
	P("flags", FLAGS32, G_OFLAGS, 0), P("mode", UINT32, G_OMODE, 0),
	P("resolve", FLAGS32, G_RESOLVE2, 0), P("dev", UINT32, G_DEV, 0),
	P("ino", UINT64, G_INO, 0), END,
};
static const struct pdesc p_creat[] = {
	FDRES, P("name", FSPATH, G_NAME, 0), P("mode", UINT32, G_OMODE, 0),
	P("dev", UINT32, G_DEV, 0), P("ino", UINT64, G_INO, 0),
	P("creat_flags", FLAGS16, G_NONE, 0), END,
};
static const struct pdesc p_connect[] = {
	RES, P("tuple", SOCKTUPLE, G_TUPLE, 0), P("fd", FD, G_AFD, 0),
	P("addr", SOCKADDR, G_ADDR, 0), END,
};
static const struct pdesc p_accept[] = {
	FDRES, P("tuple", SOCKTUPLE, G_TUPLE, 0),
	P("queuepct", UINT8, G_NONE, 0), P("queuelen", UINT32, G_NONE, 0),
	P("queuemax", UINT32, G_NONE, 0), END,
};
static const struct pdesc p_bind[] = {
	RES, P("addr", SOCKADDR, G_ADDR, 0), P("fd", FD, G_AFD, 0), END,
};
static const struct pdesc p_listen[] = {
	RES, P("fd", FD, G_AFD, 0), P("backlog", INT32, G_AI, 1), END,
};
static const struct pdesc p_socket[] = {
	FDRES, P("domain", ENUMFLAGS32, G_DOMAIN, 0),
	P("type", UINT32, G_AU, 1), P("proto", UINT32, G_AU, 2), END,
};
static const struct pdesc p_sendto[] = {
	RES, P("data", BYTEBUF, G_NONE, 0), P("fd", FD, G_AFD, 0),
	P("size", UINT32, G_AU, 2), P("tuple", SOCKTUPLE, G_TUPLE, 0), END,
};
static const struct pdesc p_recvfrom[] = {
	RES, P("data", BYTEBUF, G_NONE, 0), P("tuple", SOCKTUPLE, G_TUPLE, 0),
	P("fd", FD, G_AFD, 0), P("size", UINT32, G_AU, 2), END,
};
static const struct pdesc p_ptrace[] = {
	RES, P("addr", UINT64, G_AHEX, 2), P("data", UINT64, G_AHEX, 3),
	P("request", ENUMFLAGS16, G_PTRACE, 0), P("pid", PID, G_AI, 1), END,
};
static const struct pdesc p_symlink[] = {
	RES, P("target", CHARBUF, G_P_TARGET, 0),
	P("linkpath", FSPATH, G_P_CREATE, 0), END,
};
static const struct pdesc p_symlinkat[] = {
	RES, P("target", CHARBUF, G_P_TARGET, 0),
	P("linkdirfd", FD, G_AFD, 1), P("linkpath", FSRELPATH, G_P_CREATE, 0),
	END,
};
static const struct pdesc p_link[] = {
	RES, P("oldpath", FSPATH, G_P_NORMAL, 0),
	P("newpath", FSPATH, G_P_CREATE, 0), END,
};
static const struct pdesc p_linkat[] = {
	RES, P("olddir", FD, G_AFD, 0), P("oldpath", FSRELPATH, G_P_NORMAL, 0),
	P("newdir", FD, G_AFD, 2), P("newpath", FSRELPATH, G_P_CREATE, 0),
	P("flags", FLAGS32, G_NONE, 0), END,
};
static const struct pdesc p_rename[] = {
	RES, P("oldpath", FSPATH, G_P_DELETE, 0),
	P("newpath", FSPATH, G_P_CREATE, 0), END,
};
static const struct pdesc p_renameat[] = {
	RES, P("olddirfd", FD, G_AFD, 0), P("oldpath", FSRELPATH, G_P_DELETE, 0),
	P("newdirfd", FD, G_AFD, 2), P("newpath", FSRELPATH, G_P_CREATE, 0),
	END,
};
static const struct pdesc p_dup[] = {
	FDRES, P("oldfd", FD, G_AFD, 0), END,
};
static const struct pdesc p_dup2[] = {
	FDRES, P("oldfd", FD, G_AFD, 0), P("newfd", FD, G_AFD, 1), END,
};
static const struct pdesc p_dup3[] = {
	FDRES, P("oldfd", FD, G_AFD, 0), P("newfd", FD, G_AFD, 1),
	P("flags", FLAGS32, G_AU, 2), END,
};
static const struct pdesc p_init_module[] = {
	RES, P("img", BYTEBUF, G_NONE, 0), P("length", UINT64, G_AU, 1),
	P("uargs", CHARBUF, G_NONE, 0), END,
};
static const struct pdesc p_finit_module[] = {
	RES, P("fd", FD, G_AFD, 0), P("uargs", CHARBUF, G_NONE, 0),
	P("flags", FLAGS32, G_AU, 2), END,
};
static const struct pdesc p_setuid[] = {
	RES, P("uid", UID, G_AU, 0), END,
};
static const struct pdesc p_setgid[] = {
	RES, P("gid", GID, G_AU, 0), END,
};
static const struct pdesc p_setns[] = {
	RES, P("fd", FD, G_AFD, 0), P("nstype", FLAGS32, G_CLONEF, 1), END,
};
static const struct pdesc p_unshare[] = {
	RES, P("flags", FLAGS32, G_CLONEF, 0), END,
};
static const struct pdesc p_bpf[] = {
	FDRES, P("cmd", INT64, G_AI, 0), END,
};
static const struct pdesc p_mkdir[] = {
	RES, P("path", FSPATH, G_P_CREATE, 0), P("mode", UINT32, G_AOCT, 1),
	END,
};
static const struct pdesc p_mkdirat[] = {
	RES, P("dirfd", FD, G_AFD, 0), P("path", FSRELPATH, G_P_CREATE, 0),
	P("mode", UINT32, G_AOCT, 2), END,
};
static const struct pdesc p_rmdir[] = {
	RES, P("path", FSPATH, G_P_DELETE, 0), END,
};
static const struct pdesc p_unlink[] = {
	RES, P("path", FSPATH, G_P_DELETE, 0), END,
};
static const struct pdesc p_unlinkat[] = {
	RES, P("dirfd", FD, G_AFD, 0), P("name", FSRELPATH, G_P_DELETE, 0),
	P("flags", FLAGS32, G_AU, 2), END,
};
static const struct pdesc p_chmod[] = {
	RES, P("filename", FSPATH, G_P_NORMAL, 0), P("mode", MODE, G_AOCT, 1),
	END,
};
static const struct pdesc p_fchmodat[] = {
	RES, P("dirfd", FD, G_AFD, 0), P("filename", FSRELPATH, G_P_NORMAL, 0),
	P("mode", MODE, G_AOCT, 2), END,
};
static const struct pdesc p_fchmod[] = {
	RES, P("fd", FD, G_AFD, 0), P("mode", MODE, G_AOCT, 1), END,
};
static const struct pdesc p_fd_only[] = {
	RES, P("fd", FD, G_AFD, 0), END,
};
static const struct pdesc p_rw[] = {
	RES, P("data", BYTEBUF, G_NONE, 0), P("fd", FD, G_AFD, 0),
	P("size", UINT32, G_AU, 2), END,
};
static const struct pdesc p_kill[] = {
	RES, P("pid", PID, G_AI, 0), P("sig", SIGTYPE, G_AU, 1), END,
};
static const struct pdesc p_chdir[] = {
	RES, P("path", CHARBUF, G_P_NORMAL, 0), END,
};
static const struct pdesc p_memfd[] = {
	FDRES, P("name", CHARBUF, G_NONE, 0), P("flags", FLAGS32, G_AU, 1), END,
};
static const struct pdesc p_execve[] = {
	RES, P("exe", CHARBUF, G_EXE, 0), P("args", BYTEBUF, G_ARGS, 0),
	P("tid", PID, G_PID, 0), P("pid", PID, G_PID, 0),
	P("ptid", PID, G_PPID, 0), P("cwd", CHARBUF, G_CWD, 0),
	P("fdlimit", UINT64, G_NONE, 0), P("pgft_maj", UINT64, G_NONE, 0),
	P("pgft_min", UINT64, G_NONE, 0), P("vm_size", UINT32, G_NONE, 0),
	P("vm_rss", UINT32, G_NONE, 0), P("vm_swap", UINT32, G_NONE, 0),
	P("comm", CHARBUF, G_COMM, 0), P("cgroups", BYTEBUF, G_NONE, 0),
	P("env", BYTEBUF, G_NONE, 0), P("tty", UINT32, G_TTY, 0),
	P("vpgid", PID, G_NONE, 0), P("loginuid", UID, G_LOGINUID, 0),
	P("flags", FLAGS32, G_NONE, 0),
	P("cap_inheritable", UINT64, G_NONE, 0),
	P("cap_permitted", UINT64, G_NONE, 0),
	P("cap_effective", UINT64, G_NONE, 0),
	P("exe_ino", UINT64, G_EXEINO, 0),
	P("exe_ino_ctime", ABSTIME, G_NONE, 0),
	P("exe_ino_mtime", ABSTIME, G_NONE, 0), P("uid", UID, G_EUID, 0),
	P("trusted_exepath", FSPATH, G_EXEPATH, 0),
	P("pgid", PID, G_NONE, 0), P("gid", GID, G_EGID, 0),
	P("filename", FSPATH, G_FILENAME, 0), END,
};

static const struct {
	const char		*sc;
	const struct pdesc	*params;
} events[] = {
	{ "open", p_open }, { "openat", p_openat }, { "openat2", p_openat2 },
	{ "creat", p_creat }, { "connect", p_connect }, { "accept", p_accept },
	{ "accept4", p_accept }, { "bind", p_bind }, { "listen", p_listen },
	{ "socket", p_socket }, { "sendto", p_sendto }, { "sendmsg", p_sendto },
	{ "recvfrom", p_recvfrom }, { "recvmsg", p_recvfrom },
	{ "ptrace", p_ptrace }, { "symlink", p_symlink },
	{ "symlinkat", p_symlinkat }, { "link", p_link }, { "linkat", p_linkat },
	{ "rename", p_rename }, { "renameat", p_renameat },
	{ "renameat2", p_renameat }, { "dup", p_dup }, { "dup2", p_dup2 },
	{ "dup3", p_dup3 }, { "init_module", p_init_module },
	{ "finit_module", p_finit_module }, { "setuid", p_setuid },
	{ "setgid", p_setgid }, { "setns", p_setns }, { "unshare", p_unshare },
	{ "bpf", p_bpf }, { "mkdir", p_mkdir }, { "mkdirat", p_mkdirat },
	{ "rmdir", p_rmdir }, { "unlink", p_unlink }, { "unlinkat", p_unlinkat },
	{ "chmod", p_chmod }, { "fchmodat", p_fchmodat }, { "fchmod", p_fchmod },
	{ "close", p_fd_only }, { "fchdir", p_fd_only }, { "read", p_rw },
	{ "write", p_rw }, { "pread64", p_rw }, { "pwrite64", p_rw },
	{ "kill", p_kill }, { "chdir", p_chdir }, { "memfd_create", p_memfd },
	{ "execve", p_execve }, { "execveat", p_execve },
};

/*
 * Other parameter names of Falco's event table, so that rules naming them
 * compile (their events are not decoded here: no value).
 */
static const struct fld_param extra_params[] = {
	{ "path", FLD_T_FSPATH }, { "pathname", FLD_T_FSPATH },
	{ "cmd", FLD_T_INT64 }, { "arg", FLD_T_UINT64 },
	{ "request", FLD_T_UINT64 }, { "option", FLD_T_ENUMFLAGS8 },
	{ "level", FLD_T_ENUMFLAGS8 }, { "optname", FLD_T_ENUMFLAGS8 },
	{ "val", FLD_T_DYN }, { "optlen", FLD_T_UINT32 },
	{ "how", FLD_T_ENUMFLAGS8 }, { "whence", FLD_T_ENUMFLAGS8 },
	{ "offset", FLD_T_UINT64 }, { "pos", FLD_T_UINT64 },
	{ "prot", FLD_T_FLAGS32 }, { "length", FLD_T_UINT64 },
	{ "in_fd", FLD_T_FD }, { "out_fd", FLD_T_FD },
	{ "count", FLD_T_UINT64 }, { "fds", FLD_T_FSPATH },
	{ "timeout", FLD_T_INT64 }, { "nfds", FLD_T_INT32 },
	{ "op", FLD_T_FLAGS16 }, { "status", FLD_T_INT64 },
	{ "source", FLD_T_FSPATH }, { "dir", FLD_T_FSPATH },
	{ "special", FLD_T_FSPATH }, { "mountfd", FLD_T_FD },
	{ "ruid", FLD_T_UID }, { "euid", FLD_T_UID }, { "suid", FLD_T_UID },
	{ "rgid", FLD_T_GID }, { "egid", FLD_T_GID }, { "sgid", FLD_T_GID },
	{ "resource", FLD_T_ENUMFLAGS8 }, { "cur", FLD_T_INT64 },
	{ "max", FLD_T_INT64 }, { "newcur", FLD_T_INT64 },
	{ "newmax", FLD_T_INT64 }, { "oldcur", FLD_T_INT64 },
	{ "oldmax", FLD_T_INT64 }, { "signal", FLD_T_SIGTYPE },
	{ "ID", FLD_T_UINT64 }, { "key", FLD_T_INT32 },
	{ "sem_flg", FLD_T_FLAGS16 }, { "nsops", FLD_T_UINT64 },
	{ "pgid", FLD_T_PID }, { "sid", FLD_T_PID }, { "flags", FLD_T_FLAGS32 },
	{ "mask", FLD_T_UINT32 }, { "wd", FLD_T_INT32 },
	{ "target_fd", FLD_T_FD }, { "handle", FLD_T_BYTEBUF },
	{ "prog_fd", FLD_T_FD }, { "fsuid", FLD_T_UID }, { "fsgid", FLD_T_GID },
	{ "clockid", FLD_T_UINT8 }, { "interval", FLD_T_RELTIME },
	{ "mode", FLD_T_UINT32 }, { "addr", FLD_T_UINT64 },
	{ "len", FLD_T_UINT64 }, { "type", FLD_T_UINT32 },
	{ "uargs", FLD_T_CHARBUF }, { "ret", FLD_T_INT64 },
	{ "child_tid", FLD_T_PID }, { "tid", FLD_T_PID },
	{ "sig", FLD_T_SIGTYPE }, { "ns", FLD_T_FD },
	{ "nstype", FLD_T_FLAGS32 }, { "exe_writable", FLD_T_BOOL },
	{ "file", FLD_T_FSPATH }, { "msg", FLD_T_CHARBUF },
	{ "name", FLD_T_FSPATH }, { "id", FLD_T_INT64 },
	{ NULL, FLD_T_NONE },
};

static const struct pdesc *
params_of(const struct fc_event *ev)
{
	size_t i;

	if (ev->ev_syscall_name == NULL)
		return NULL;
	for (i = 0; i < sizeof(events) / sizeof(events[0]); i++)
		if (strcmp(events[i].sc, ev->ev_syscall_name) == 0)
			return events[i].params;
	return NULL;
}

/* Every name in the tables, in table order (first type wins). */
static const struct fld_param *
param_scan(const char *name, size_t len, bool prefix)
{
	const struct fld_param *best = NULL;
	const struct pdesc *p;
	size_t i, n, bestlen = 0;

	for (i = 0; i < sizeof(events) / sizeof(events[0]) + 1; i++) {
		const struct fld_param *q;

		p = i < sizeof(events) / sizeof(events[0]) ? events[i].params : NULL;
		for (n = 0; ; n++) {
			q = p != NULL ? &p[n].p : &extra_params[n];
			if (q->name == NULL)
				break;
			size_t l = strlen(q->name);
			if (prefix ? (l <= len && l > bestlen &&
			    memcmp(q->name, name, l) == 0) :
			    (l == len && memcmp(q->name, name, l) == 0)) {
				if (!prefix)
					return q;
				best = q;
				bestlen = l;
			}
		}
	}
	return best;
}

const struct fld_param *
fld_param_find(const char *name, size_t len)
{
	return param_scan(name, len, false);
}

const struct fld_param *
fld_param_prefix(const char *text, size_t len)
{
	return param_scan(text, len, true);
}

/* ---- Getting one parameter --------------------------------------------- */

struct pv {
	struct fld_value raw;
	const char	*str;		/* plain rendering */
	const char	*res;		/* resolved rendering, NULL none */
};

/* style: 'd' signed, 'u' unsigned, 'x' / 'X' hex, 'o' octal with a 0. */
static bool
pv_num(struct fld_ctx *ctx, struct pv *pv, enum fld_type t, uint64_t v,
    char style)
{
	if (fld_type_class(t) == FLD_C_SIGNED)
		fldv_i64(&pv->raw, t, (int64_t)v);
	else
		fldv_u64(&pv->raw, t, v);
	switch (style) {
	case 'd':
		pv->str = fld_dec(ctx, v, true);
		break;
	case 'x':
		pv->str = fld_aprintf(ctx, NULL, "%" PRIx64, v);
		break;
	case 'X':
		pv->str = fld_aprintf(ctx, NULL, "%" PRIX64, v);
		break;
	case 'o':
		pv->str = fld_aprintf(ctx, NULL, "%#" PRIo64, v);
		break;
	default:
		pv->str = fld_dec(ctx, v, false);
		break;
	}
	return pv->str != NULL;
}

static bool
pv_str(struct pv *pv, enum fld_type t, const char *s, size_t len)
{
	if (!fldv_str(&pv->raw, s, len))
		return false;
	pv->raw.type = t;
	pv->str = s;
	return true;
}

/* An fd parameter: "3", resolved "<f>/etc/shadow" or AT_FDCWD / ENOENT. */
static bool
pv_fd(struct fld_ctx *ctx, struct pv *pv, int64_t fd, bool is_res)
{
	struct fld_fdinfo fi;

	if (!pv_num(ctx, pv, FLD_T_FD, (uint64_t)fd, 'd'))
		return false;
	if (fd == -100 && !is_res)
		pv->res = "AT_FDCWD";
	else if (fd < 0 && is_res)
		pv->res = aud_errno_name(fd);
	else if (fd >= 0) {
		fld_fd_info(ctx, &fi);
		if (fi.exists && fi.num == fd && fi.typechar != 0 &&
		    fi.name != NULL)
			pv->res = fld_aprintf(ctx, NULL, "<%c>%s", fi.typechar,
			    fi.name);
	}
	return true;
}

static bool
pv_path(struct pv *pv, enum fld_type t, const struct fc_path *pt)
{
	return pt != NULL && pt->pt_name.p != NULL &&
	    pv_str(pv, t, pt->pt_name.p, pt->pt_name.len);
}

/* The symlink target: the name item that is neither PARENT nor CREATE. */
static const struct fc_path *
symlink_target(const struct fc_event *ev)
{
	uint8_t i;

	for (i = 0; i < ev->ev_npaths; i++)
		if (ev->ev_paths[i].pt_nametype != FC_NT_PARENT &&
		    ev->ev_paths[i].pt_nametype != FC_NT_CREATE &&
		    !(ev->ev_paths[i].pt_flags & FC_PT_INODE))
			return &ev->ev_paths[i];
	return NULL;
}

/* Socket address text: "10.0.0.1:443", "::1:443", a unix path. */
static const char *
sockaddr_str(struct fld_ctx *ctx, const struct fc_sockaddr *sa)
{
	struct fld_ip ip;
	char buf[64];

	switch (sa->sa_kind) {
	case FC_SA_INET:
	case FC_SA_INET6:
		memset(&ip, 0, sizeof(ip));
		ip.family = sa->sa_kind == FC_SA_INET ? 4 : 6;
		memcpy(ip.addr, sa->sa_addr, ip.family == 4 ? 4 : 16);
		return fld_aprintf(ctx, NULL, "%s:%u",
		    fld_ip_ntop(&ip, buf, sizeof(buf)), sa->sa_port);
	case FC_SA_UNIX:
		return sa->sa_path.p;
	default:
		return NULL;
	}
}

static bool get_exec(struct fld_ctx *, const struct pdesc *, struct pv *);

static bool
get_paths(struct fld_ctx *ctx, const struct pdesc *d, struct pv *pv)
{
	const struct fc_event *ev = ctx->ev;
	const struct fc_path *pt;

	switch (d->get) {
	case G_NAME:
		return pv_path(pv, d->p.type, fld_path_main(ev));
	case G_P_TARGET:
		return pv_path(pv, d->p.type, symlink_target(ev));
	case G_P_CREATE:
		return pv_path(pv, d->p.type, fld_path_find(ev, FC_NT_CREATE));
	case G_P_NORMAL:
		return pv_path(pv, d->p.type, fld_path_find(ev, FC_NT_NORMAL));
	case G_P_DELETE:
		return pv_path(pv, d->p.type, fld_path_find(ev, FC_NT_DELETE));
	case G_DEV:
		pt = fld_path_main(ev);
		if (pt == NULL || !(pt->pt_flags & FC_PT_INODE))
			return false;
		return pv_num(ctx, pv, FLD_T_UINT32,
		    (pt->pt_dev_minor & 0xff) | (pt->pt_dev_major << 8) |
		    ((uint64_t)(pt->pt_dev_minor & ~0xffu) << 12), 'x');
	case G_INO:
		pt = fld_path_main(ev);
		if (pt == NULL || !(pt->pt_flags & FC_PT_INODE))
			return false;
		return pv_num(ctx, pv, FLD_T_UINT64, pt->pt_inode, 'u');
	}
	return get_exec(ctx, d, pv);
}

static bool
get_open(struct fld_ctx *ctx, const struct pdesc *d, struct pv *pv)
{
	const struct fld_sc *sc = fld_sc_of(ctx);
	const struct fc_str *s;
	uint32_t v;
	uint64_t r;

	switch (d->get) {
	case G_OFLAGS:
		if (!fld_open_flags(ctx->ev, sc, &v) ||
		    !pv_num(ctx, pv, FLD_T_FLAGS32, v, 'u'))
			return false;
		pv->res = fld_open_flags_str(ctx, v);
		return true;
	case G_OMODE:
		return fld_open_mode(ctx->ev, sc, &v) &&
		    pv_num(ctx, pv, FLD_T_UINT32, v, 'o');
	case G_RESOLVE2:
		s = fld_ev_field(ctx->ev, 1337, "resolve");
		if (s == NULL || s->len < 3 ||
		    !aud_parse_u64(s->p + 2, s->len - 2, 16, &r))
			return false;
		return pv_num(ctx, pv, FLD_T_FLAGS32, r, 'u');
	}
	return get_paths(ctx, d, pv);
}

static bool
get_net(struct fld_ctx *ctx, const struct pdesc *d, struct pv *pv)
{
	const struct fc_event *ev = ctx->ev;
	struct fld_fdinfo fi;
	const char *s;

	switch (d->get) {
	case G_DOMAIN:
		if (!pv_num(ctx, pv, FLD_T_ENUMFLAGS32, (uint32_t)ev->ev_a[0],
		    'u'))
			return false;
		pv->res = fld_socket_family_name((uint32_t)ev->ev_a[0]);
		return true;
	case G_ADDR:
		s = sockaddr_str(ctx, &ev->ev_sockaddr);
		return s != NULL && pv_str(pv, FLD_T_SOCKADDR, s, strlen(s));
	case G_TUPLE:
		fld_fd_info(ctx, &fi);
		if (!fi.has_peer || fi.name == NULL)
			return false;
		return pv_str(pv, FLD_T_SOCKTUPLE, fi.name, fi.namelen);
	case G_PTRACE:
		if (!pv_num(ctx, pv, FLD_T_ENUMFLAGS16, ev->ev_a[0], 'u'))
			return false;
		pv->res = fld_ptrace_request_name(ev->ev_a[0]);
		return true;
	case G_CLONEF:
		if (!pv_num(ctx, pv, FLD_T_FLAGS32, (uint32_t)ev->ev_a[d->ai],
		    'u'))
			return false;
		pv->res = fld_clone_flags_str(ctx, (uint32_t)ev->ev_a[d->ai]);
		return true;
	}
	return get_open(ctx, d, pv);
}

static bool
get_param(struct fld_ctx *ctx, const struct pdesc *d, struct pv *pv)
{
	const struct fc_event *ev = ctx->ev;
	uint64_t a = ev->ev_a[d->ai & 3];

	switch (d->get) {
	case G_NONE:
		return false;
	case G_RES:
		if (!fld_has_res(ev) || !pv_num(ctx, pv, FLD_T_ERRNO,
		    (uint64_t)ev->ev_exit, 'd'))
			return false;
		pv->res = aud_errno_name(ev->ev_exit);
		return true;
	case G_FD_RES:
		return fld_has_res(ev) && pv_fd(ctx, pv, ev->ev_exit, true);
	case G_AFD:
		return pv_fd(ctx, pv, (int32_t)a, false);
	case G_AU:
		if (fld_type_class(d->p.type) == FLD_C_UNSIGNED &&
		    d->p.type != FLD_T_UINT64)
			a = (uint32_t)a;
		return pv_num(ctx, pv, d->p.type, a, 'u');
	case G_AI:
		return pv_num(ctx, pv, d->p.type, (uint64_t)(int64_t)(int32_t)a,
		    'd');
	case G_AHEX:
		return pv_num(ctx, pv, d->p.type, a, 'X');
	case G_AOCT:
		if (!pv_num(ctx, pv, d->p.type, a & 07777, 'o'))
			return false;
		if (d->p.type == FLD_T_MODE)
			pv->res = fld_mode_str(ctx, (uint32_t)a);
		return true;
	}
	return get_net(ctx, d, pv);
}

/* ---- execve parameters ------------------------------------------------- */

/* argv[1..] joined by NULs, as Falco's args buffer; .len includes the last NUL. */
static bool
exec_args(struct fld_ctx *ctx, struct pv *pv)
{
	const struct fc_event *ev = ctx->ev;
	size_t total = 0, off = 0;
	uint32_t i;
	char *raw, *txt;

	if (!(ev->ev_flags & FC_EV_EXECVE))
		return false;
	for (i = 1; i < ev->ev_nargv; i++)
		total += ev->ev_argv[i].len + 1;
	if ((raw = fc_arena_alloc(ctx->arena, total + 1)) == NULL ||
	    (txt = fc_arena_alloc(ctx->arena, total + 1)) == NULL)
		return false;
	for (i = 1; i < ev->ev_nargv; i++) {
		memcpy(raw + off, ev->ev_argv[i].p, ev->ev_argv[i].len);
		off += ev->ev_argv[i].len;
		raw[off++] = '\0';
	}
	/* The text form shows each NUL as '.', like libsinsp's buffers. */
	for (i = 0; i < off; i++)
		txt[i] = raw[i] == '\0' ? '.' : raw[i];
	txt[off > 0 ? off - 1 : 0] = '\0';
	raw[off] = '\0';
	fldv_str(&pv->raw, raw, off);
	pv->raw.type = FLD_T_BYTEBUF;
	pv->str = txt;
	return true;
}

static bool
get_exec(struct fld_ctx *ctx, const struct pdesc *d, struct pv *pv)
{
	const struct fc_event *ev = ctx->ev;
	const struct fc_path *pt;

	switch (d->get) {
	case G_EXE:
		if (!(ev->ev_flags & FC_EV_EXECVE) || ev->ev_nargv == 0)
			return false;
		return pv_str(pv, d->p.type, ev->ev_argv[0].p, ev->ev_argv[0].len);
	case G_ARGS:
		return exec_args(ctx, pv);
	case G_PID:
		return ev->ev_pid >= 0 &&
		    pv_num(ctx, pv, FLD_T_PID, (uint64_t)(int64_t)ev->ev_pid, 'd');
	case G_PPID:
		return (ev->ev_flags & FC_EV_HAS_PPID) &&
		    pv_num(ctx, pv, FLD_T_PID, (uint64_t)(int64_t)ev->ev_ppid, 'd');
	case G_CWD:
		return ev->ev_cwd.p != NULL &&
		    pv_str(pv, d->p.type, ev->ev_cwd.p, ev->ev_cwd.len);
	case G_COMM:
		return ev->ev_comm.p != NULL &&
		    pv_str(pv, d->p.type, ev->ev_comm.p, ev->ev_comm.len);
	case G_EXEPATH:
		return ev->ev_exe.p != NULL &&
		    pv_str(pv, d->p.type, ev->ev_exe.p, ev->ev_exe.len);
	case G_FILENAME:
		pt = ev->ev_npaths > 0 ? &ev->ev_paths[0] : NULL;
		return pv_path(pv, d->p.type, pt);
	case G_EXEINO:
		pt = ev->ev_npaths > 0 ? &ev->ev_paths[0] : NULL;
		return pt != NULL && (pt->pt_flags & FC_PT_INODE) &&
		    pv_num(ctx, pv, FLD_T_UINT64, pt->pt_inode, 'u');
	}
	return false;
}

/* Parameters from the SYSCALL record's ids and tty; then the rest. */
static bool
get_ids(struct fld_ctx *ctx, const struct pdesc *d, struct pv *pv)
{
	const struct fc_event *ev = ctx->ev;
	uint32_t tty;

	memset(pv, 0, sizeof(*pv));
	switch (d->get) {
	case G_TTY:
		return fld_tty_number(ev, &tty) &&
		    pv_num(ctx, pv, FLD_T_UINT32, tty, 'u');
	case G_LOGINUID:
		if (!(ev->ev_flags & FC_EV_HAS_IDS))
			return false;
		return pv_num(ctx, pv, FLD_T_INT64, ev->ev_auid == UINT32_MAX ?
		    (uint64_t)-1 : ev->ev_auid, 'd');
	case G_EUID:
		return (ev->ev_flags & FC_EV_HAS_IDS) &&
		    pv_num(ctx, pv, FLD_T_UID, ev->ev_euid, 'u');
	case G_EGID:
		return (ev->ev_flags & FC_EV_HAS_IDS) &&
		    pv_num(ctx, pv, FLD_T_GID, ev->ev_egid, 'u');
	}
	return get_param(ctx, d, pv);
}

/* ---- Extractors -------------------------------------------------------- */

static const struct pdesc *
find_param(const struct pdesc *ps, const struct fld_ref *ref)
{
	int64_t i;

	if (ps == NULL)
		return NULL;
	if (ref->param == NULL) {
		for (i = 0; ps[i].p.name != NULL; i++)
			if (i == ref->index)
				return &ps[i];
		return NULL;
	}
	for (i = 0; ps[i].p.name != NULL; i++)
		if (strcmp(ps[i].p.name, ref->param->name) == 0)
			return &ps[i];
	return NULL;
}

static bool
args_all(struct fld_ctx *ctx, const struct pdesc *ps, struct fld_value *out)
{
	struct fc_buf b;
	struct pv pv;
	char *s;
	size_t i;

	if (ps == NULL)
		return fldv_str(out, "", 0);
	fc_buf_init(&b, 65536);
	for (i = 0; ps[i].p.name != NULL; i++) {
		if (!get_ids(ctx, &ps[i], &pv))
			continue;
		fc_buf_printf(&b, "%s%s=%s", b.len > 0 ? " " : "",
		    ps[i].p.name, pv.str);
		if (pv.res != NULL && pv.res[0] != '\0')
			fc_buf_printf(&b, "(%s)", pv.res);
	}
	s = fc_arena_strndup(ctx->arena, b.p != NULL ? b.p : "", b.len);
	i = b.len;
	fc_buf_fini(&b);
	return fldv_str(out, s, i);
}

bool
fld_x_args(struct fld_ctx *ctx, const struct fld_ref *ref,
    struct fld_value *out)
{
	const struct pdesc *ps = params_of(ctx->ev), *d;
	struct pv pv;

	if (ref->def->id == FI_EVT_ARGS)
		return args_all(ctx, ps, out);
	if ((d = find_param(ps, ref)) == NULL || !get_ids(ctx, d, &pv))
		return false;
	if (ref->def->id == FI_EVT_RAWARG) {
		*out = pv.raw;
		return true;
	}
	if (pv.res != NULL && pv.res[0] != '\0')
		return fldv_cstr(out, pv.res);
	return fldv_cstr(out, pv.str);
}
