/*
 * fields_fd.c - fd.* and fs.path.*: the file or socket an event acts on.
 *
 * Audit has no fd table, so the fd is rebuilt from the event alone:
 *   - open/openat/openat2/creat: the number is the result (-1 when the
 *     call failed), the path the PATH item (CREATE, else NORMAL, else the
 *     first non-PARENT item) joined with the CWD record when relative and
 *     the dirfd is AT_FDCWD; a relative path under a real dirfd has no
 *     fd.name (it would need /proc/pid/fd).  Type: "directory" when
 *     O_DIRECTORY was passed, else "file" (as libsinsp).
 *   - socket(): number = result, type from the domain, l4proto from type.
 *   - connect/sendto/sendmsg (peer = server), accept/recvfrom/recvmsg
 *     (peer = client), bind (our server address): SOCKADDR gives the one
 *     address audit knows.  libsinsp semantics: for connect fd.sip/sport =
 *     fd.rip/rport = the peer and the client side is unknown; for accept
 *     fd.cip/cport = fd.rip/rport = the peer and the server side is
 *     unknown.  fd.lip/lport never have a value.  fd.name renders the
 *     unknown side as 0.0.0.0:0 (IPv4) or :::0 (IPv6):
 *     "0.0.0.0:0->10.0.0.1:443" for connect, "10.0.0.9:5000->0.0.0.0:0"
 *     for accept, "0.0.0.0:8080" for bind; a unix socket is its path
 *     (abstract names get a leading '@').
 *   - other fd syscalls (read, close, dup...): only fd.num (a0 or result);
 *     the rest needs the fd table (later).
 * The decoding is memoised per event in the ctx (arena memory).
 */
#include "config.h"

#include <inttypes.h>
#include <string.h>

#include "rules/fields_int.h"

/* ---- Paths ------------------------------------------------------------- */

const struct fc_path *
fld_path_find(const struct fc_event *ev, int nt)
{
	uint8_t i;

	for (i = 0; i < ev->ev_npaths; i++) {
		const struct fc_path *pt = &ev->ev_paths[i];

		if (nt < 0 ? pt->pt_nametype != FC_NT_PARENT :
		    (int)pt->pt_nametype == nt)
			return pt->pt_name.p != NULL ? pt : NULL;
	}
	return NULL;
}

const struct fc_path *
fld_path_main(const struct fc_event *ev)
{
	const struct fc_path *pt;

	if ((pt = fld_path_find(ev, FC_NT_CREATE)) != NULL ||
	    (pt = fld_path_find(ev, FC_NT_NORMAL)) != NULL)
		return pt;
	return fld_path_find(ev, -1);
}

/*
 * Lexical normalisation of an absolute path, as libsinsp's
 * concatenate_paths: no "//", ".", ".." (which stops at "/"), no
 * trailing slash but for "/".  p is rewritten in place.
 */
static size_t
path_normalize(char *p, size_t len)
{
	size_t in = 0, out = 0, seg;

	while (in < len) {
		while (in < len && p[in] == '/')
			in++;
		seg = in;
		while (in < len && p[in] != '/')
			in++;
		if (in - seg == 0 || (in - seg == 1 && p[seg] == '.'))
			continue;
		if (in - seg == 2 && p[seg] == '.' && p[seg + 1] == '.') {
			while (out > 0 && p[--out] != '/')
				;
			continue;
		}
		p[out++] = '/';
		memmove(p + out, p + seg, in - seg);
		out += in - seg;
	}
	if (out == 0)
		p[out++] = '/';
	p[out] = '\0';
	return out;
}

char *
fld_path_abs(struct fld_ctx *ctx, const struct fc_str *name,
    bool dirfd_is_cwd, size_t *len)
{
	const struct fc_str *cwd = &ctx->ev->ev_cwd;
	size_t need;
	char *p;

	if (name == NULL || name->p == NULL)
		return NULL;
	if (name->len > 0 && name->p[0] == '/') {
		if ((p = fc_arena_strndup(ctx->arena, name->p, name->len)) == NULL)
			return NULL;
		*len = path_normalize(p, name->len);
		return p;
	}
	if (!dirfd_is_cwd || cwd->p == NULL || cwd->len == 0 || cwd->p[0] != '/')
		return NULL;
	need = (size_t)cwd->len + 1 + name->len;
	if ((p = fc_arena_alloc(ctx->arena, need + 1)) == NULL)
		return NULL;
	memcpy(p, cwd->p, cwd->len);
	p[cwd->len] = '/';
	memcpy(p + cwd->len + 1, name->p, name->len);
	*len = path_normalize(p, need);
	return p;
}

/* ---- The fd ------------------------------------------------------------ */

static bool
at_fdcwd(uint64_t a)
{
	return (int32_t)a == -100;
}

static void
file_info(struct fld_ctx *ctx, struct fld_fdinfo *fi, const struct fld_sc *sc)
{
	const struct fc_event *ev = ctx->ev;
	const struct fc_path *pt = fld_path_main(ev);
	uint32_t flags = 0;
	bool cwd_rel;

	cwd_rel = sc->kind == FLD_SC_OPEN || sc->kind == FLD_SC_CREAT ||
	    ((sc->kind == FLD_SC_OPENAT || sc->kind == FLD_SC_OPENAT2) &&
	    at_fdcwd(ev->ev_a[0]));
	if (pt != NULL) {
		fi->path = pt;
		fi->nameraw = &pt->pt_name;
		fi->name = fld_path_abs(ctx, &pt->pt_name, cwd_rel, &fi->namelen);
	}
	(void)fld_open_flags(ev, sc, &flags);
	fi->typechar = 'f';
	if (!fi->exists)
		return;	/* a failed open: name and 'f' only, as libsinsp */
	fi->is_dir = (flags & FLD_O_DIRECTORY) != 0;
	fi->is_file = !fi->is_dir;
	fi->typechar = fi->is_dir ? 'd' : 'f';
	fi->type = fi->is_dir ? "directory" : "file";
}

static void
socket_info(struct fld_fdinfo *fi, const struct fc_event *ev)
{
	uint64_t dom = ev->ev_a[0], type = ev->ev_a[1] & 0xf, proto = ev->ev_a[2];

	fi->typechar = '4';	/* libsinsp's guess for a failed socket() */
	if (!fi->exists)
		return;
	fi->name = "";
	fi->namelen = 0;
	if (dom == 2 || dom == 10) {
		fi->typechar = dom == 2 ? '4' : '6';
		fi->type = dom == 2 ? "ipv4" : "ipv6";
		fi->sockfamily = "ip";
		if (type == 1)
			fi->l4proto = "tcp";
		else if (type == 2)
			fi->l4proto = "udp";
		else if (type == 3)
			fi->l4proto = proto == 1 || proto == 58 ? "icmp" : "raw";
	} else if (dom == 1) {
		fi->typechar = 'u';
		fi->type = "unix";
		fi->sockfamily = "unix";
	} else if (dom == 16) {
		fi->typechar = 'n';
		fi->type = "netlink";
	} else {
		fi->typechar = 'o';
		fi->type = "unknown";
	}
}

static const char *
sock_name(struct fld_ctx *ctx, struct fld_fdinfo *fi)
{
	const char *zero = fi->peer.family == 4 ? "0.0.0.0" : "::";
	char a[64];

	fld_ip_ntop(&fi->peer, a, sizeof(a));
	if (fi->servsock)
		return fld_aprintf(ctx, &fi->namelen, "%s:%u", a, fi->peer_port);
	if (fi->peer_role == FLD_ROLE_SERVER)
		return fld_aprintf(ctx, &fi->namelen, "%s:0->%s:%u", zero, a,
		    fi->peer_port);
	return fld_aprintf(ctx, &fi->namelen, "%s:%u->%s:0", a, fi->peer_port,
	    zero);
}

static void
sockaddr_info(struct fld_ctx *ctx, struct fld_fdinfo *fi,
    const struct fld_sc *sc)
{
	const struct fc_sockaddr *sa = &ctx->ev->ev_sockaddr;
	const struct fc_str *path = &sa->sa_path;

	if (sa->sa_kind == FC_SA_UNIX) {
		fi->typechar = 'u';
		fi->type = "unix";
		fi->sockfamily = "unix";
		if (path->p != NULL)
			fi->name = sa->sa_abstract ? fld_aprintf(ctx,
			    &fi->namelen, "@%.*s", (int)path->len, path->p) :
			    path->p;
		if (path->p != NULL && !sa->sa_abstract)
			fi->namelen = path->len;
		return;
	}
	if (sa->sa_kind != FC_SA_INET && sa->sa_kind != FC_SA_INET6)
		return;
	fi->peer.family = sa->sa_kind == FC_SA_INET ? 4 : 6;
	fi->peer.prefix = fi->peer.family == 4 ? 32 : 128;
	memcpy(fi->peer.addr, sa->sa_addr, fi->peer.family == 4 ? 4 : 16);
	fi->peer_port = sa->sa_port;
	fi->has_peer = true;
	fi->typechar = fi->peer.family == 4 ? '4' : '6';
	fi->type = fi->peer.family == 4 ? "ipv4" : "ipv6";
	fi->sockfamily = "ip";
	fi->servsock = sc->kind == FLD_SC_BIND;
	fi->peer_role = sc->kind == FLD_SC_ACCEPT || sc->kind == FLD_SC_RECVFROM ?
	    FLD_ROLE_CLIENT : FLD_ROLE_SERVER;
	fi->name = sock_name(ctx, fi);
}

/* Types of fds created by special syscalls (typechar, type). */
static void
special_info(struct fld_fdinfo *fi, const struct fld_sc *sc)
{
	static const struct {
		uint8_t		 kind;
		char		 c;
		const char	*type;
	} tab[] = {
		{ FLD_SC_EVENTFD, 'e', "event" }, { FLD_SC_MEMFD, 'm', "memfd" },
		{ FLD_SC_SIGNALFD, 's', "signalfd" },
		{ FLD_SC_TIMERFD, 't', "timerfd" },
		{ FLD_SC_INOTIFY, 'i', "inotify" },
		{ FLD_SC_EPOLL, 'l', "eventpoll" },
		{ FLD_SC_USERFAULTFD, 'u', "userfaultfd" },
		{ FLD_SC_BPF, 'b', "bpf" }, { FLD_SC_IO_URING, 'r', "io_uring" },
	};
	size_t i;

	for (i = 0; i < sizeof(tab) / sizeof(tab[0]); i++)
		if (tab[i].kind == sc->kind) {
			fi->typechar = tab[i].c;
			if (fi->exists)
				fi->type = tab[i].type;
			return;
		}
	if (fi->has_fd && !fi->exists && sc->fdk == FLD_FDK_EXIT)
		fi->typechar = 'o';
}

static void
fd_decode(struct fld_ctx *ctx, struct fld_fdinfo *fi)
{
	const struct fc_event *ev = ctx->ev;
	const struct fld_sc *sc = fld_sc_of(ctx);

	memset(fi, 0, sizeof(*fi));
	if (sc->fdk == FLD_FDK_NONE)
		return;
	if (sc->fdk == FLD_FDK_EXIT) {
		if (!fld_has_res(ev))
			return;
		fi->num = ev->ev_exit < 0 ? -1 : ev->ev_exit;
	} else
		fi->num = (int32_t)ev->ev_a[0];
	fi->has_fd = true;
	fi->exists = fi->num >= 0;
	switch (sc->kind) {
	case FLD_SC_OPEN: case FLD_SC_OPENAT: case FLD_SC_OPENAT2:
	case FLD_SC_CREAT: case FLD_SC_OPEN_BY_HANDLE_AT:
		file_info(ctx, fi, sc);
		break;
	case FLD_SC_SOCKET:
		socket_info(fi, ev);
		break;
	case FLD_SC_CONNECT: case FLD_SC_ACCEPT: case FLD_SC_BIND:
	case FLD_SC_SENDTO: case FLD_SC_RECVFROM:
		sockaddr_info(ctx, fi, sc);
		break;
	default:
		special_info(fi, sc);
		break;
	}
}

/* The memo key: the same struct is recycled, so the identity is checked too. */
static uint64_t
memo_key(const struct fc_event *ev)
{
	return ev->ev_num ^ (ev->ev_sec << 20) ^ ((uint64_t)ev->ev_msec << 10) ^
	    ((uint64_t)ev->ev_serial << 32);
}

void
fld_fd_info(struct fld_ctx *ctx, struct fld_fdinfo *fi)
{
	struct fld_fdinfo *m;

	if (ctx->memo_fd != NULL && ctx->memo_ev == ctx->ev &&
	    ctx->memo_key == memo_key(ctx->ev)) {
		*fi = *(struct fld_fdinfo *)ctx->memo_fd;
		return;
	}
	fd_decode(ctx, fi);
	if ((m = fc_arena_alloc(ctx->arena, sizeof(*m))) != NULL) {
		*m = *fi;
		ctx->memo_fd = m;
		ctx->memo_ev = ctx->ev;
		ctx->memo_key = memo_key(ctx->ev);
	}
}

/* ---- fd.* extraction --------------------------------------------------- */

/* libsinsp's directory of a file name (rfind '/'; "/" when at 0 or none). */
static bool
dirname_of(const char *name, size_t len, struct fld_value *out)
{
	const char *slash = NULL;
	size_t i;

	for (i = len; i > 0; i--)
		if (name[i - 1] == '/') {
			slash = name + i - 1;
			break;
		}
	if (slash == NULL || slash == name)
		return fldv_str(out, "/", 1);
	if ((size_t)(slash - name) < len - 1)
		return fldv_str(out, name, (size_t)(slash - name));
	return fldv_str(out, name, len);
}

static bool
filename_of(const char *name, size_t len, struct fld_value *out)
{
	const char *slash = NULL;
	size_t i;

	for (i = len; i > 0; i--)
		if (name[i - 1] == '/') {
			slash = name + i - 1;
			break;
		}
	if (slash == NULL)
		return fldv_str(out, "/", 1);
	if ((size_t)(slash - name) < len - 1)
		return fldv_str(out, slash + 1, len - (size_t)(slash - name) - 1);
	return fldv_str(out, name, len);
}

/* nameraw: duplicate '/' removed, as libsinsp does. */
static bool
nameraw(struct fld_ctx *ctx, const struct fc_str *raw, struct fld_value *out)
{
	char *p;
	size_t i, o = 0;

	if (raw == NULL || raw->p == NULL ||
	    (p = fc_arena_alloc(ctx->arena, (size_t)raw->len + 1)) == NULL)
		return false;
	for (i = 0; i < raw->len; i++)
		if (!(raw->p[i] == '/' && o > 0 && p[o - 1] == '/'))
			p[o++] = raw->p[i];
	p[o] = '\0';
	return fldv_str(out, p, o);
}

static bool
ip_value(const struct fld_fdinfo *fi, bool net, struct fld_value *out)
{
	if (!fi->has_peer)
		return false;
	memset(out, 0, sizeof(*out));
	out->type = net ? FLD_T_IPNET : FLD_T_IPADDR;
	out->v.ip = fi->peer;
	return true;
}

/* Which side of the socket a field asks for. */
enum side { S_ANY, S_CLIENT, S_SERVER, S_LOCAL, S_REMOTE };

static bool
side_known(const struct fld_fdinfo *fi, enum side s)
{
	if (!fi->has_peer)
		return false;
	switch (s) {
	case S_ANY:
		return true;
	case S_CLIENT:
		return !fi->servsock && fi->peer_role == FLD_ROLE_CLIENT;
	case S_SERVER:
		return fi->servsock || fi->peer_role == FLD_ROLE_SERVER;
	case S_REMOTE:
		return !fi->servsock;
	case S_LOCAL:
		return false;
	}
	return false;
}

static bool
fd_sock(struct fld_ctx *ctx, const struct fld_fdinfo *fi, int id,
    struct fld_value *out)
{
	static const struct {
		int		 id;
		enum side	 side;
		char		 what;	/* i ip, n net, p port, s proto string */
	} tab[] = {
		{ FI_FD_IP, S_ANY, 'i' }, { FI_FD_CIP, S_CLIENT, 'i' },
		{ FI_FD_SIP, S_SERVER, 'i' }, { FI_FD_LIP, S_LOCAL, 'i' },
		{ FI_FD_RIP, S_REMOTE, 'i' }, { FI_FD_NET, S_ANY, 'n' },
		{ FI_FD_CNET, S_CLIENT, 'n' }, { FI_FD_SNET, S_SERVER, 'n' },
		{ FI_FD_LNET, S_LOCAL, 'n' }, { FI_FD_RNET, S_REMOTE, 'n' },
		{ FI_FD_PORT, S_ANY, 'p' }, { FI_FD_CPORT, S_CLIENT, 'p' },
		{ FI_FD_SPORT, S_SERVER, 'p' }, { FI_FD_LPORT, S_LOCAL, 'p' },
		{ FI_FD_RPORT, S_REMOTE, 'p' }, { FI_FD_PROTO, S_ANY, 'p' },
		{ FI_FD_CPROTO, S_CLIENT, 's' }, { FI_FD_SPROTO, S_SERVER, 's' },
		{ FI_FD_LPROTO, S_LOCAL, 's' }, { FI_FD_RPROTO, S_REMOTE, 's' },
	};
	size_t i, n;
	char *s;

	for (i = 0; i < sizeof(tab) / sizeof(tab[0]); i++) {
		if (tab[i].id != id)
			continue;
		if (!side_known(fi, tab[i].side))
			return false;
		switch (tab[i].what) {
		case 'i':
			return ip_value(fi, false, out);
		case 'n':
			return ip_value(fi, true, out);
		case 'p':
			return fldv_u64(out, FLD_T_PORT, fi->peer_port);
		default:
			s = fld_aprintf(ctx, &n, "%u", fi->peer_port);
			return fldv_str(out, s, n);
		}
	}
	return false;
}

static bool
fd_file(const struct fld_fdinfo *fi, int id, struct fld_value *out)
{
	const struct fc_path *pt = fi->exists ? fi->path : NULL;

	if (pt == NULL || !(pt->pt_flags & FC_PT_INODE))
		return false;
	switch (id) {
	case FI_FD_DEV:
		return fldv_i64(out, FLD_T_INT32, (int32_t)((pt->pt_dev_minor & 0xff) |
		    (pt->pt_dev_major << 8) | ((pt->pt_dev_minor & ~0xffu) << 12)));
	case FI_FD_DEV_MAJOR:
		return fldv_i64(out, FLD_T_INT32, (int32_t)pt->pt_dev_major);
	case FI_FD_DEV_MINOR:
		return fldv_i64(out, FLD_T_INT32, (int32_t)pt->pt_dev_minor);
	default:
		return fldv_i64(out, FLD_T_INT64, (int64_t)pt->pt_inode);
	}
}

static bool fs_path(struct fld_ctx *, int, struct fld_value *);

/* A one-character string, without formatting it per event. */
static const char *
typechar_str(char c)
{
	static char tab[256][2];
	static int once;

	if (!__atomic_load_n(&once, __ATOMIC_ACQUIRE)) {
		for (int i = 0; i < 256; i++)
			tab[i][0] = (char)i;
		__atomic_store_n(&once, 1, __ATOMIC_RELEASE);
	}
	return tab[(unsigned char)c];
}

bool
fld_x_fd(struct fld_ctx *ctx, const struct fld_ref *ref,
    struct fld_value *out)
{
	struct fld_fdinfo fi;
	int id = ref->def->id;
	char *s;
	size_t n;

	if (id >= FI_FS_NAME)
		return fs_path(ctx, id, out);
	fld_fd_info(ctx, &fi);
	if (!fi.has_fd)
		return false;
	switch (id) {
	case FI_FD_NUM:
		return fldv_i64(out, FLD_T_INT64, fi.num);
	case FI_FD_TYPE:
		return fldv_cstr(out, fi.type);
	case FI_FD_TYPECHAR:
		return fi.typechar != 0 && fldv_str(out, typechar_str(fi.typechar),
		    1);
	case FI_FD_NAME:
		return fldv_str(out, fi.name, fi.namelen);
	case FI_FD_DIRECTORY:
		if (fi.name == NULL || (fi.exists && !fi.is_file && !fi.is_dir))
			return false;
		if (fi.is_dir)
			return fldv_str(out, fi.name, fi.namelen);
		return dirname_of(fi.name, fi.namelen, out);
	case FI_FD_FILENAME:
		return fi.is_file && fi.name != NULL &&
		    filename_of(fi.name, fi.namelen, out);
	case FI_FD_NAMERAW:
		return nameraw(ctx, fi.nameraw, out);
	case FI_FD_L4PROTO:
		return fldv_cstr(out, fi.l4proto);
	case FI_FD_SOCKFAMILY:
		return fldv_cstr(out, fi.sockfamily);
	case FI_FD_IS_SERVER:
		return fi.exists && fldv_bool(out, fi.has_peer && !fi.servsock &&
		    fi.peer_role == FLD_ROLE_CLIENT);
	case FI_FD_UID:
		s = fld_aprintf(ctx, &n, "%" PRId32 "%" PRId64, ctx->ev->ev_pid,
		    fi.num);
		return ctx->ev->ev_pid >= 0 && fldv_str(out, s, n);
	case FI_FD_DEV: case FI_FD_DEV_MAJOR: case FI_FD_DEV_MINOR:
	case FI_FD_INO:
		return fd_file(&fi, id, out);
	}
	return fd_sock(ctx, &fi, id, out);
}

/* ---- fs.path.* --------------------------------------------------------- */

/*
 * Which PATH item is fs.path.name ('n'), .source ('s') or .target ('t')
 * of a syscall, and what a relative name is relative to: the cwd (-1),
 * the dirfd in a[N] (0..3), or nothing (-2: a symlink's target string is
 * kept as written).  nt -1 is the symlink target item.
 */
static const struct {
	const char	*sc;
	char		 which;
	int8_t		 nt;
	int8_t		 dirfd;
} fs_tab[] = {
	{ "mkdir", 'n', FC_NT_CREATE, -1 }, { "mkdirat", 'n', FC_NT_CREATE, 0 },
	{ "rmdir", 'n', FC_NT_DELETE, -1 }, { "unlink", 'n', FC_NT_DELETE, -1 },
	{ "unlinkat", 'n', FC_NT_DELETE, 0 },
	{ "link", 's', FC_NT_NORMAL, -1 }, { "link", 't', FC_NT_CREATE, -1 },
	{ "linkat", 's', FC_NT_NORMAL, 0 }, { "linkat", 't', FC_NT_CREATE, 2 },
	{ "rename", 's', FC_NT_DELETE, -1 }, { "rename", 't', FC_NT_CREATE, -1 },
	{ "renameat", 's', FC_NT_DELETE, 0 }, { "renameat", 't', FC_NT_CREATE, 2 },
	{ "renameat2", 's', FC_NT_DELETE, 0 },
	{ "renameat2", 't', FC_NT_CREATE, 2 },
	{ "symlink", 's', -1, -2 }, { "symlink", 't', FC_NT_CREATE, -1 },
	{ "symlinkat", 's', -1, -2 }, { "symlinkat", 't', FC_NT_CREATE, 1 },
};

static const struct fc_path *
symlink_target_item(const struct fc_event *ev)
{
	uint8_t i;

	for (i = 0; i < ev->ev_npaths; i++)
		if (ev->ev_paths[i].pt_nametype != FC_NT_PARENT &&
		    ev->ev_paths[i].pt_nametype != FC_NT_CREATE &&
		    !(ev->ev_paths[i].pt_flags & FC_PT_INODE))
			return &ev->ev_paths[i];
	return NULL;
}

static bool
fs_path(struct fld_ctx *ctx, int id, struct fld_value *out)
{
	static const char which[] = { 'n', 'n', 's', 's', 't', 't' };
	const struct fc_event *ev = ctx->ev;
	const struct fc_path *pt;
	bool raw = (id - FI_FS_NAME) % 2 == 1;
	size_t i, n;
	char *s;

	if (ev->ev_syscall_name == NULL)
		return false;
	for (i = 0; i < sizeof(fs_tab) / sizeof(fs_tab[0]); i++)
		if (fs_tab[i].which == which[id - FI_FS_NAME] &&
		    strcmp(fs_tab[i].sc, ev->ev_syscall_name) == 0)
			break;
	if (i == sizeof(fs_tab) / sizeof(fs_tab[0]))
		return false;
	pt = fs_tab[i].nt < 0 ? symlink_target_item(ev) :
	    fld_path_find(ev, fs_tab[i].nt);
	if (pt == NULL)
		return false;
	if (raw || (fs_tab[i].dirfd == -2 &&
	    (pt->pt_name.len == 0 || pt->pt_name.p[0] != '/')))
		return fldv_str(out, pt->pt_name.p, pt->pt_name.len);
	s = fld_path_abs(ctx, &pt->pt_name, fs_tab[i].dirfd == -1 ||
	    (fs_tab[i].dirfd >= 0 && at_fdcwd(ev->ev_a[fs_tab[i].dirfd])), &n);
	return s != NULL && fldv_str(out, s, n);
}
