/*
 * fields_int.h - private to the field registry and extractors (and tests).
 *
 * The registry table (fields_table.c) names one extractor per field group
 * and an id the extractor switches on.  Shared helpers: the syscall
 * classification (fields_sys.c), the fd the event acts on (fields_fd.c),
 * event parameters (fields_args.c) and small value constructors.
 */
#ifndef FC_RULES_FIELDS_INT_H
#define FC_RULES_FIELDS_INT_H

#include "rules/fields.h"

/* Extractor ids (fld_def.id), one namespace for all groups. */
enum fld_id {
	FI_NONE = 0,
	/* evt.* (fields_evt.c) */
	FI_EVT_NUM, FI_EVT_TIME, FI_EVT_TIME_S, FI_EVT_TIME_ISO, FI_EVT_DATETIME,
	FI_EVT_DATETIME_S, FI_EVT_RAWTIME, FI_EVT_RAWTIME_S, FI_EVT_RAWTIME_NS,
	FI_EVT_RELTIME, FI_EVT_RELTIME_S, FI_EVT_RELTIME_NS,
	FI_EVT_DELTA, FI_EVT_DELTA_S, FI_EVT_DELTA_NS,
	FI_EVT_LATENCY, FI_EVT_LATENCY_HUMAN, FI_EVT_DIR, FI_EVT_TYPE,
	FI_EVT_TYPE_IS, FI_SYSCALL_TYPE, FI_EVT_CATEGORY, FI_EVT_RES,
	FI_EVT_RAWRES, FI_EVT_FAILED, FI_EVT_IS_IO, FI_EVT_IS_IO_READ,
	FI_EVT_IS_IO_WRITE, FI_EVT_IO_DIR, FI_EVT_IS_WAIT, FI_EVT_IS_SYSLOG,
	FI_EVT_COUNT, FI_EVT_COUNT_ERROR, FI_EVT_COUNT_ERROR_FILE,
	FI_EVT_COUNT_ERROR_NET, FI_EVT_COUNT_ERROR_MEMORY,
	FI_EVT_COUNT_ERROR_OTHER, FI_EVT_COUNT_EXIT, FI_EVT_BUFLEN,
	FI_EVT_IS_OPEN_READ, FI_EVT_IS_OPEN_WRITE, FI_EVT_IS_OPEN_EXEC,
	FI_EVT_IS_OPEN_CREATE, FI_EVT_SOURCE, FI_EVT_IS_ASYNC,
	FI_EVT_HOSTNAME, FI_EVT_ABSPATH, FI_EVT_NOVALUE,
	/* evt.arg & co (fields_args.c) */
	FI_EVT_ARG, FI_EVT_RAWARG, FI_EVT_ARGS,
	/* proc.*, thread.*, user.*, group.*, util.* (fields_proc.c) */
	FI_PROC_PID, FI_PROC_PPID, FI_PROC_NAME, FI_PROC_EXE, FI_PROC_EXEPATH,
	FI_PROC_ARGS, FI_PROC_CMDLINE, FI_PROC_CMDNARGS, FI_PROC_CMDLENARGS,
	FI_PROC_EXELINE, FI_PROC_CWD, FI_PROC_TTY, FI_PROC_MEMFD,
	FI_PROC_EXE_INO, FI_PROC_APID, FI_PROC_ANAME, FI_PROC_AEXE,
	FI_PROC_AEXEPATH, FI_PROC_ACMDLINE, FI_PROC_AARGS, FI_THREAD_TID,
	FI_USER_UID, FI_USER_NAME, FI_USER_HOMEDIR, FI_USER_SHELL,
	FI_USER_LOGINUID, FI_USER_LOGINNAME, FI_GROUP_GID, FI_GROUP_NAME,
	FI_UTIL_CNT,
	/* fd.*, fs.path.* (fields_fd.c) */
	FI_FD_NUM, FI_FD_TYPE, FI_FD_TYPECHAR, FI_FD_NAME, FI_FD_DIRECTORY,
	FI_FD_FILENAME, FI_FD_NAMERAW, FI_FD_IP, FI_FD_CIP, FI_FD_SIP,
	FI_FD_LIP, FI_FD_RIP, FI_FD_PORT, FI_FD_CPORT, FI_FD_SPORT,
	FI_FD_LPORT, FI_FD_RPORT, FI_FD_PROTO, FI_FD_CPROTO, FI_FD_SPROTO,
	FI_FD_LPROTO, FI_FD_RPROTO, FI_FD_NET, FI_FD_CNET, FI_FD_SNET,
	FI_FD_LNET, FI_FD_RNET, FI_FD_L4PROTO, FI_FD_SOCKFAMILY,
	FI_FD_IS_SERVER, FI_FD_UID, FI_FD_DEV, FI_FD_DEV_MAJOR,
	FI_FD_DEV_MINOR, FI_FD_INO,
	FI_FS_NAME, FI_FS_NAMERAW, FI_FS_SOURCE, FI_FS_SOURCERAW,
	FI_FS_TARGET, FI_FS_TARGETRAW,
};

bool	fld_x_evt(struct fld_ctx *, const struct fld_ref *, struct fld_value *);
bool	fld_x_args(struct fld_ctx *, const struct fld_ref *, struct fld_value *);
bool	fld_x_proc(struct fld_ctx *, const struct fld_ref *, struct fld_value *);
bool	fld_x_enrich(struct fld_ctx *, const struct fld_ref *, struct fld_value *);
/* Ancestor n (1: parent) of the event's process, field base FI_PROC_*. */
bool	fld_enrich_ancestor(struct fld_ctx *, int base, int64_t n,
	    struct fld_value *);

/* Ids of fld_x_enrich's fields (fields_enrich.c); container ones last. */
enum {
	FE_NONE = 0,
	FE_PNAME, FE_PEXE, FE_PEXEPATH, FE_PCMDLINE, FE_VPID, FE_SID,
	FE_SNAME, FE_IS_SID_LEADER, FE_PGID, FE_VPGID, FE_DURATION,
	FE_PID_TS, FE_EXE_UPPER, FE_EXE_LOWER, FE_CAP_EFF, FE_CAP_PRM,
	FE_CAP_INH,
	FE_CTR_ID,	/* first container field */
	FE_CTR_FULL_ID, FE_CTR_NAME, FE_CTR_IMAGE, FE_CTR_IMAGE_REPO,
	FE_CTR_IMAGE_TAG, FE_CTR_IMAGE_DIGEST, FE_CTR_IMAGE_ID, FE_CTR_TYPE,
	FE_CTR_PRIVILEGED, FE_K8S_POD_NAME, FE_K8S_NS_NAME, FE_K8S_POD_UID,
	FE_K8S_SANDBOX_ID, FE_K8S_FULL_SANDBOX_ID,
};
bool	fld_x_fd(struct fld_ctx *, const struct fld_ref *, struct fld_value *);

/* ---- Event parameters (fields_args.c) -------------------------------- */

struct fld_param {
	const char	*name;
	enum fld_type	 type;		/* type at compile time (evt.rawarg) */
};

/* Exact lookup among all known parameter names; NULL when unknown. */
const struct fld_param *fld_param_find(const char *name, size_t len);
/* The longest parameter name that is a prefix of text; NULL none. */
const struct fld_param *fld_param_prefix(const char *text, size_t len);

/* ---- Value constructors (fields_render.c) ---------------------------- */

bool	fldv_str(struct fld_value *out, const char *p, size_t len);
bool	fldv_cstr(struct fld_value *out, const char *s);
bool	fldv_i64(struct fld_value *out, enum fld_type t, int64_t v);
bool	fldv_u64(struct fld_value *out, enum fld_type t, uint64_t v);
bool	fldv_bool(struct fld_value *out, bool v);

/* printf into the ctx arena; NULL when the arena is full. */
char	*fld_aprintf(struct fld_ctx *ctx, size_t *len, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));

/*
 * v in decimal into the ctx arena (as a signed number when is_signed):
 * what fld_aprintf("%" PRIu64 / PRId64) gives, without printf's cost on
 * the per-event path.  NULL when the arena is full.
 */
char	*fld_dec(struct fld_ctx *ctx, uint64_t v, bool is_signed);

/* inet_ntop of an address (buf >= 46 bytes). */
const char *fld_ip_ntop(const struct fld_ip *ip, char *buf, size_t sz);

/* ---- Syscalls (fields_sys.c) ----------------------------------------- */

enum fld_cat {
	FLD_CAT_OTHER = 0, FLD_CAT_FILE, FLD_CAT_NET, FLD_CAT_PROCESS,
	FLD_CAT_MEMORY, FLD_CAT_IPC, FLD_CAT_SLEEP, FLD_CAT_WAIT,
	FLD_CAT_SIGNAL, FLD_CAT_SYSTEM, FLD_CAT_USER, FLD_CAT_TIME,
};

/* How the syscall relates to a file descriptor (fd.*). */
enum fld_fdk {
	FLD_FDK_NONE = 0,	/* no fd: fd.* have no value */
	FLD_FDK_EXIT,		/* creates one: the return value */
	FLD_FDK_A0,		/* acts on a0 */
};

/* Special syscall families the extractors care about. */
enum fld_sck {
	FLD_SC_PLAIN = 0,
	FLD_SC_OPEN, FLD_SC_OPENAT, FLD_SC_OPENAT2, FLD_SC_CREAT,
	FLD_SC_OPEN_BY_HANDLE_AT,
	FLD_SC_SOCKET, FLD_SC_CONNECT, FLD_SC_ACCEPT, FLD_SC_BIND,
	FLD_SC_SENDTO, FLD_SC_RECVFROM,
	FLD_SC_EXECVE, FLD_SC_EVENTFD, FLD_SC_MEMFD, FLD_SC_SIGNALFD,
	FLD_SC_TIMERFD, FLD_SC_INOTIFY, FLD_SC_EPOLL, FLD_SC_USERFAULTFD,
	FLD_SC_BPF, FLD_SC_IO_URING, FLD_SC_PIPE,
};

enum {
	FLD_IO_READ = 1u << 0,
	FLD_IO_WRITE = 1u << 1,
	FLD_IO_WAIT = 1u << 2,
};

struct fld_sc {
	const char	*name;
	uint8_t		 kind;	/* enum fld_sck */
	uint8_t		 cat;	/* enum fld_cat */
	uint8_t		 fdk;	/* enum fld_fdk */
	uint8_t		 io;	/* FLD_IO_* */
};

/* The classification of ctx->ev's syscall; a PLAIN/OTHER entry when unknown. */
const struct fld_sc *fld_sc_of(struct fld_ctx *ctx);
const char *fld_cat_name(enum fld_cat c);

/* Whether the event has a result (SYSCALL exit=). */
bool	fld_has_res(const struct fc_event *ev);

/* Falco-normalised open flags (PPM_O_*) of an open-family event. */
enum {
	FLD_O_RDONLY = 1u << 0, FLD_O_WRONLY = 1u << 1, FLD_O_RDWR = 3,
	FLD_O_CREAT = 1u << 2, FLD_O_APPEND = 1u << 3, FLD_O_DSYNC = 1u << 4,
	FLD_O_EXCL = 1u << 5, FLD_O_NONBLOCK = 1u << 6, FLD_O_SYNC = 1u << 7,
	FLD_O_TRUNC = 1u << 8, FLD_O_DIRECT = 1u << 9,
	FLD_O_DIRECTORY = 1u << 10, FLD_O_LARGEFILE = 1u << 11,
	FLD_O_CLOEXEC = 1u << 12, FLD_O_TMPFILE = 1u << 13,
	FLD_O_F_CREATED = 1u << 14,
};

/* Kernel O_* bits of arch to PPM_O_* (falco.md §3.3). */
uint32_t fld_open_flags_to_ppm(uint32_t arch, uint64_t kflags);
/* The PPM flags of this open-family event; false when not one / unknown. */
bool	fld_open_flags(const struct fc_event *ev, const struct fld_sc *sc,
	    uint32_t *flags);
/* The mode argument as Falco reports it (0 unless O_CREAT/O_TMPFILE). */
bool	fld_open_mode(const struct fc_event *ev, const struct fld_sc *sc,
	    uint32_t *mode);

/* Render PPM open flags in Falco's table order ("O_TRUNC|O_CREAT|O_WRONLY"). */
char	*fld_open_flags_str(struct fld_ctx *ctx, uint32_t flags);
char	*fld_clone_flags_str(struct fld_ctx *ctx, uint32_t flags);
char	*fld_mode_str(struct fld_ctx *ctx, uint32_t mode);	/* S_IXOTH|... */
const char *fld_socket_family_name(uint64_t af);
const char *fld_ptrace_request_name(uint64_t req);

/* The sorted syscall table (for the order test). */
const struct fld_sc *fld_sc_table(size_t *n);

/* A generic field of a record of type rtype ("oflag" of OPENAT2). */
const struct fc_str *fld_ev_field(const struct fc_event *ev, int rtype,
	    const char *key);

/* Name (field 0), home (1) or shell (2) of uid / gid; NULL unknown. */
const char *fld_users_lookup(struct fld_users *u, bool group, uint32_t id,
	    int field);

/* tty= name to the device number the kernel reports as tty_nr (fields_proc.c). */
bool	fld_tty_number(const struct fc_event *ev, uint32_t *nr);

/* ---- Paths (fields_fd.c) --------------------------------------------- */

/* The PATH item with this nametype (FC_NT_*), -1 any non-PARENT; NULL none. */
const struct fc_path *fld_path_find(const struct fc_event *ev, int nt);
/* The path the open-family/mkdir... event names (CREATE, NORMAL, other). */
const struct fc_path *fld_path_main(const struct fc_event *ev);
/* cwd + name normalised as libsinsp's concatenate_paths; NULL when unknown. */
char	*fld_path_abs(struct fld_ctx *ctx, const struct fc_str *name,
	    bool dirfd_is_cwd, size_t *len);

/* ---- The fd the event acts on (fields_fd.c) -------------------------- */

enum fld_role { FLD_ROLE_NONE = 0, FLD_ROLE_CLIENT, FLD_ROLE_SERVER };

struct fld_fdinfo {
	bool		 has_fd;	/* the event acts on an fd */
	bool		 exists;	/* the fd is valid (not a failed open) */
	int64_t		 num;
	char		 typechar;	/* 0: unknown */
	const char	*type;		/* "file", "ipv4"...; NULL unknown */
	const char	*name;		/* fd.name; NULL no value */
	size_t		 namelen;
	const struct fc_str *nameraw;	/* files: as passed */
	const struct fc_path *path;	/* files: the PATH item (dev, ino) */
	bool		 is_file;	/* file or directory */
	bool		 is_dir;
	/* sockets: the one address audit gives (SOCKADDR) */
	bool		 has_peer;
	struct fld_ip	 peer;
	uint16_t	 peer_port;
	enum fld_role	 peer_role;	/* the peer's role: server for connect */
	bool		 servsock;	/* bind: a listening address */
	const char	*l4proto;	/* "tcp"... NULL unknown */
	const char	*sockfamily;	/* "ip", "unix", NULL */
};

void	fld_fd_info(struct fld_ctx *ctx, struct fld_fdinfo *fi);

#endif
