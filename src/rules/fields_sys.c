/*
 * fields_sys.c - what the extractors need to know about syscalls.
 *
 * A table classifies each syscall name the way libsinsp's event table
 * does (category, fd use, I/O direction, special family), and helpers
 * translate audit's raw arguments into Falco's normalised values: kernel
 * O_* open flags (which differ per architecture) into PPM_O_* bits,
 * rendered in Falco's flag-table order; socket families and ptrace
 * requests into their names.  Owns only static tables.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "rules/fields_int.h"

#define C_FILE	FLD_CAT_FILE
#define C_NET	FLD_CAT_NET
#define C_PROC	FLD_CAT_PROCESS
#define C_MEM	FLD_CAT_MEMORY
#define C_IPC	FLD_CAT_IPC
#define C_OTH	FLD_CAT_OTHER
#define K_X	FLD_FDK_EXIT
#define K_0	FLD_FDK_A0
#define R	FLD_IO_READ
#define W	FLD_IO_WRITE
#define WT	FLD_IO_WAIT

/* Sorted by name (bsearch); check_fields verifies the order. */
static const struct fld_sc sc_table[] = {
	{ "accept", FLD_SC_ACCEPT, C_NET, K_X, 0 },
	{ "accept4", FLD_SC_ACCEPT, C_NET, K_X, 0 },
	{ "access", 0, C_FILE, 0, 0 },
	{ "bind", FLD_SC_BIND, C_NET, K_0, 0 },
	{ "bpf", FLD_SC_BPF, FLD_CAT_SYSTEM, K_X, 0 },
	{ "brk", 0, C_MEM, 0, 0 },
	{ "capset", 0, C_PROC, 0, 0 },
	{ "chdir", 0, C_FILE, 0, 0 },
	{ "chmod", 0, C_FILE, 0, 0 },
	{ "chown", 0, C_FILE, 0, 0 },
	{ "chroot", 0, C_FILE, 0, 0 },
	{ "clock_nanosleep", 0, FLD_CAT_SLEEP, 0, WT },
	{ "clone", 0, C_PROC, 0, 0 },
	{ "clone3", 0, C_PROC, 0, 0 },
	{ "close", 0, C_FILE, K_0, 0 },
	{ "connect", FLD_SC_CONNECT, C_NET, K_0, 0 },
	{ "creat", FLD_SC_CREAT, C_FILE, K_X, 0 },
	{ "delete_module", 0, FLD_CAT_SYSTEM, 0, 0 },
	{ "dup", 0, C_FILE, K_X, 0 },
	{ "dup2", 0, C_FILE, K_X, 0 },
	{ "dup3", 0, C_FILE, K_X, 0 },
	{ "epoll_create", FLD_SC_EPOLL, FLD_CAT_WAIT, K_X, 0 },
	{ "epoll_create1", FLD_SC_EPOLL, FLD_CAT_WAIT, K_X, 0 },
	{ "epoll_pwait", 0, FLD_CAT_WAIT, 0, WT },
	{ "epoll_wait", 0, FLD_CAT_WAIT, 0, WT },
	{ "eventfd", FLD_SC_EVENTFD, C_IPC, K_X, 0 },
	{ "eventfd2", FLD_SC_EVENTFD, C_IPC, K_X, 0 },
	{ "execve", FLD_SC_EXECVE, C_PROC, 0, 0 },
	{ "execveat", FLD_SC_EXECVE, C_PROC, 0, 0 },
	{ "exit", 0, C_PROC, 0, 0 },
	{ "exit_group", 0, C_PROC, 0, 0 },
	{ "fchdir", 0, C_FILE, K_0, 0 },
	{ "fchmod", 0, C_FILE, K_0, 0 },
	{ "fchmodat", 0, C_FILE, 0, 0 },
	{ "fchown", 0, C_FILE, K_0, 0 },
	{ "fchownat", 0, C_FILE, 0, 0 },
	{ "fcntl", 0, C_FILE, K_0, 0 },
	{ "fdatasync", 0, C_FILE, K_0, 0 },
	{ "finit_module", 0, FLD_CAT_SYSTEM, K_0, 0 },
	{ "flock", 0, C_FILE, K_0, 0 },
	{ "fork", 0, C_PROC, 0, 0 },
	{ "fstat", 0, C_FILE, K_0, 0 },
	{ "fsync", 0, C_FILE, K_0, 0 },
	{ "ftruncate", 0, C_FILE, K_0, 0 },
	{ "futex", 0, C_IPC, 0, WT },
	{ "getdents", 0, C_FILE, K_0, 0 },
	{ "getdents64", 0, C_FILE, K_0, 0 },
	{ "getpeername", 0, C_NET, K_0, 0 },
	{ "getsockname", 0, C_NET, K_0, 0 },
	{ "getsockopt", 0, C_NET, K_0, 0 },
	{ "init_module", 0, FLD_CAT_SYSTEM, 0, 0 },
	{ "inotify_init", FLD_SC_INOTIFY, C_FILE, K_X, 0 },
	{ "inotify_init1", FLD_SC_INOTIFY, C_FILE, K_X, 0 },
	{ "io_uring_setup", FLD_SC_IO_URING, C_FILE, K_X, 0 },
	{ "ioctl", 0, C_FILE, K_0, 0 },
	{ "kill", 0, FLD_CAT_SIGNAL, 0, 0 },
	{ "lchown", 0, C_FILE, 0, 0 },
	{ "link", 0, C_FILE, 0, 0 },
	{ "linkat", 0, C_FILE, 0, 0 },
	{ "listen", 0, C_NET, K_0, 0 },
	{ "lseek", 0, C_FILE, K_0, 0 },
	{ "lstat", 0, C_FILE, 0, 0 },
	{ "madvise", 0, C_MEM, 0, 0 },
	{ "memfd_create", FLD_SC_MEMFD, C_FILE, K_X, 0 },
	{ "mkdir", 0, C_FILE, 0, 0 },
	{ "mkdirat", 0, C_FILE, 0, 0 },
	{ "mknod", 0, C_FILE, 0, 0 },
	{ "mknodat", 0, C_FILE, 0, 0 },
	{ "mlock", 0, C_MEM, 0, 0 },
	{ "mmap", 0, C_MEM, 0, 0 },
	{ "mount", 0, C_FILE, 0, 0 },
	{ "mprotect", 0, C_MEM, 0, 0 },
	{ "munmap", 0, C_MEM, 0, 0 },
	{ "nanosleep", 0, FLD_CAT_SLEEP, 0, WT },
	{ "open", FLD_SC_OPEN, C_FILE, K_X, 0 },
	{ "open_by_handle_at", FLD_SC_OPEN_BY_HANDLE_AT, C_FILE, K_X, 0 },
	{ "openat", FLD_SC_OPENAT, C_FILE, K_X, 0 },
	{ "openat2", FLD_SC_OPENAT2, C_FILE, K_X, 0 },
	{ "pipe", FLD_SC_PIPE, C_IPC, 0, 0 },
	{ "pipe2", FLD_SC_PIPE, C_IPC, 0, 0 },
	{ "pivot_root", 0, C_FILE, 0, 0 },
	{ "poll", 0, FLD_CAT_WAIT, 0, WT },
	{ "ppoll", 0, FLD_CAT_WAIT, 0, WT },
	{ "prctl", 0, C_PROC, 0, 0 },
	{ "pread64", 0, C_FILE, K_0, R },
	{ "preadv", 0, C_FILE, K_0, R },
	{ "process_vm_readv", 0, C_PROC, 0, 0 },
	{ "process_vm_writev", 0, C_PROC, 0, 0 },
	{ "pselect6", 0, FLD_CAT_WAIT, 0, WT },
	{ "ptrace", 0, C_PROC, 0, 0 },
	{ "pwrite64", 0, C_FILE, K_0, W },
	{ "pwritev", 0, C_FILE, K_0, W },
	{ "read", 0, C_FILE, K_0, R },
	{ "readlink", 0, C_FILE, 0, 0 },
	{ "readlinkat", 0, C_FILE, 0, 0 },
	{ "readv", 0, C_FILE, K_0, R },
	{ "reboot", 0, FLD_CAT_SYSTEM, 0, 0 },
	{ "recvfrom", FLD_SC_RECVFROM, C_NET, K_0, R },
	{ "recvmmsg", FLD_SC_RECVFROM, C_NET, K_0, R },
	{ "recvmsg", FLD_SC_RECVFROM, C_NET, K_0, R },
	{ "rename", 0, C_FILE, 0, 0 },
	{ "renameat", 0, C_FILE, 0, 0 },
	{ "renameat2", 0, C_FILE, 0, 0 },
	{ "rmdir", 0, C_FILE, 0, 0 },
	{ "select", 0, FLD_CAT_WAIT, 0, WT },
	{ "sendfile", 0, C_FILE, 0, 0 },
	{ "sendmmsg", FLD_SC_SENDTO, C_NET, K_0, W },
	{ "sendmsg", FLD_SC_SENDTO, C_NET, K_0, W },
	{ "sendto", FLD_SC_SENDTO, C_NET, K_0, W },
	{ "setgid", 0, FLD_CAT_USER, 0, 0 },
	{ "setns", 0, C_PROC, K_0, 0 },
	{ "setpgid", 0, C_PROC, 0, 0 },
	{ "setregid", 0, FLD_CAT_USER, 0, 0 },
	{ "setresgid", 0, FLD_CAT_USER, 0, 0 },
	{ "setresuid", 0, FLD_CAT_USER, 0, 0 },
	{ "setreuid", 0, FLD_CAT_USER, 0, 0 },
	{ "setsid", 0, C_PROC, 0, 0 },
	{ "setsockopt", 0, C_NET, K_0, 0 },
	{ "setuid", 0, FLD_CAT_USER, 0, 0 },
	{ "shutdown", 0, C_NET, K_0, 0 },
	{ "signalfd", FLD_SC_SIGNALFD, FLD_CAT_SIGNAL, K_X, 0 },
	{ "signalfd4", FLD_SC_SIGNALFD, FLD_CAT_SIGNAL, K_X, 0 },
	{ "socket", FLD_SC_SOCKET, C_NET, K_X, 0 },
	{ "socketpair", 0, C_NET, 0, 0 },
	{ "splice", 0, C_IPC, 0, 0 },
	{ "stat", 0, C_FILE, 0, 0 },
	{ "symlink", 0, C_FILE, 0, 0 },
	{ "symlinkat", 0, C_FILE, 0, 0 },
	{ "tgkill", 0, FLD_CAT_SIGNAL, 0, 0 },
	{ "timerfd_create", FLD_SC_TIMERFD, FLD_CAT_TIME, K_X, 0 },
	{ "tkill", 0, FLD_CAT_SIGNAL, 0, 0 },
	{ "truncate", 0, C_FILE, 0, 0 },
	{ "umount", 0, C_FILE, 0, 0 },
	{ "umount2", 0, C_FILE, 0, 0 },
	{ "unlink", 0, C_FILE, 0, 0 },
	{ "unlinkat", 0, C_FILE, 0, 0 },
	{ "unshare", 0, C_PROC, 0, 0 },
	{ "userfaultfd", FLD_SC_USERFAULTFD, FLD_CAT_SYSTEM, K_X, 0 },
	{ "vfork", 0, C_PROC, 0, 0 },
	{ "write", 0, C_FILE, K_0, W },
	{ "writev", 0, C_FILE, K_0, W },
};

static const struct fld_sc sc_unknown = { NULL, 0, C_OTH, 0, 0 };

static int
sc_cmp(const void *key, const void *elt)
{
	return strcmp(key, ((const struct fld_sc *)elt)->name);
}

/*
 * Syscall names are static strings (libaudit's tables, fanotify's own), so
 * the last lookup is remembered by pointer: most events of a burst share
 * their syscall and the bsearch of strcmp()s is then skipped.
 */
const struct fld_sc *
fld_sc_of(struct fld_ctx *ctx)
{
	const char *name = ctx->ev->ev_syscall_name;
	const struct fld_sc *sc;

	if (name == NULL)
		return &sc_unknown;
	if (ctx->sc_name == name)
		return ctx->sc;
	sc = bsearch(name, sc_table, sizeof(sc_table) / sizeof(sc_table[0]),
	    sizeof(sc_table[0]), sc_cmp);
	ctx->sc_name = name;
	ctx->sc = sc != NULL ? sc : &sc_unknown;
	return ctx->sc;
}

const struct fld_sc *
fld_sc_table(size_t *n)
{
	*n = sizeof(sc_table) / sizeof(sc_table[0]);
	return sc_table;
}

const char *
fld_cat_name(enum fld_cat c)
{
	static const char *names[] = {
		"other", "file", "net", "process", "memory", "IPC", "sleep",
		"wait", "signal", "system", "user", "time",
	};

	return (size_t)c < sizeof(names) / sizeof(names[0]) ? names[c] :
	    "unknown";
}

bool
fld_has_res(const struct fc_event *ev)
{
	return (ev->ev_flags & FC_EV_HAS_EXIT) != 0;
}

const struct fc_str *
fld_ev_field(const struct fc_event *ev, int rtype, const char *key)
{
	size_t klen = strlen(key);
	uint32_t i;

	for (i = 0; i < ev->ev_nfields; i++) {
		const struct fc_field *f = &ev->ev_fields[i];

		if (f->f_rec < ev->ev_nrecords &&
		    ev->ev_rec_types[f->f_rec] == rtype &&
		    f->f_key.len == klen && memcmp(f->f_key.p, key, klen) == 0 &&
		    f->f_val.p != NULL)
			return &f->f_val;
	}
	return NULL;
}

/* ---- Open flags -------------------------------------------------------- */

/* Kernel O_* bits that differ between architectures. */
struct kflags {
	uint32_t	 directory, direct, largefile;
};

#define EM_ARM		40
#define EM_AARCH64	183
#define EM_PPC		20
#define EM_PPC64	21

static struct kflags
kflags_of(uint32_t arch)
{
	switch (arch & 0xffff) {
	case EM_ARM:
	case EM_AARCH64:
		return (struct kflags){ 040000, 0200000, 0400000 };
	case EM_PPC:
	case EM_PPC64:
		return (struct kflags){ 040000, 0400000, 0200000 };
	default:	/* asm-generic: x86, s390, riscv, loongarch... */
		return (struct kflags){ 0200000, 040000, 0100000 };
	}
}

uint32_t
fld_open_flags_to_ppm(uint32_t arch, uint64_t f)
{
	struct kflags k = kflags_of(arch);
	uint32_t r = 0;

	switch (f & 03) {
	case 0: r |= FLD_O_RDONLY; break;
	case 1: r |= FLD_O_WRONLY; break;
	case 2: r |= FLD_O_RDWR; break;
	}
	if (f & 0100) r |= FLD_O_CREAT;
	if (f & 0200) r |= FLD_O_EXCL;
	if (f & 01000) r |= FLD_O_TRUNC;
	if (f & 02000) r |= FLD_O_APPEND;
	if (f & 04000) r |= FLD_O_NONBLOCK;
	if (f & 010000) r |= FLD_O_DSYNC;
	if (f & k.direct) r |= FLD_O_DIRECT;
	if (f & k.largefile) r |= FLD_O_LARGEFILE;
	if (f & k.directory) r |= FLD_O_DIRECTORY;
	if (f & 02000000) r |= FLD_O_CLOEXEC;
	/* O_SYNC and O_TMPFILE include another flag's bit: test the rest. */
	if (f & 04000000) r |= FLD_O_SYNC;
	if (f & 020000000) r |= FLD_O_TMPFILE;
	return r;
}

/* OPENAT2 record: "oflag=0100 mode=0 resolve=0x0" (octal, octal, hex). */
static bool
openat2_num(const struct fc_event *ev, const char *key, int base, uint64_t *v)
{
	const struct fc_str *s = fld_ev_field(ev, 1337, key);

	if (s == NULL)
		return false;
	if (base == 16 && s->len > 2 && s->p[0] == '0' && s->p[1] == 'x')
		return aud_parse_u64(s->p + 2, s->len - 2, 16, v);
	return aud_parse_u64(s->p, s->len, base, v);
}

static bool
created(const struct fc_event *ev)
{
	return fld_has_res(ev) && ev->ev_exit >= 0 &&
	    fld_path_find(ev, FC_NT_CREATE) != NULL;
}

bool
fld_open_flags(const struct fc_event *ev, const struct fld_sc *sc,
    uint32_t *flags)
{
	uint64_t k;

	switch (sc->kind) {
	case FLD_SC_OPEN:
		k = ev->ev_a[1];
		break;
	case FLD_SC_OPENAT:
	case FLD_SC_OPEN_BY_HANDLE_AT:
		k = ev->ev_a[2];
		break;
	case FLD_SC_OPENAT2:
		if (!openat2_num(ev, "oflag", 8, &k))
			return false;
		break;
	default:
		return false;
	}
	*flags = fld_open_flags_to_ppm(ev->ev_arch, k);
	if (created(ev))
		*flags |= FLD_O_F_CREATED;
	return true;
}

bool
fld_open_mode(const struct fc_event *ev, const struct fld_sc *sc,
    uint32_t *mode)
{
	uint32_t flags = FLD_O_CREAT;
	uint64_t m;

	switch (sc->kind) {
	case FLD_SC_OPEN:
		m = ev->ev_a[2];
		break;
	case FLD_SC_OPENAT:
		m = ev->ev_a[3];
		break;
	case FLD_SC_OPENAT2:
		if (!openat2_num(ev, "mode", 8, &m))
			return false;
		break;
	case FLD_SC_CREAT:
		m = ev->ev_a[1];
		break;
	default:
		return false;
	}
	if (sc->kind != FLD_SC_CREAT && !fld_open_flags(ev, sc, &flags))
		return false;
	/* Falco reports a mode only when the call can create a file. */
	*mode = (flags & (FLD_O_CREAT | FLD_O_TMPFILE)) ? (uint32_t)(m & 07777) : 0;
	return true;
}

struct name_value {
	const char	*name;
	uint32_t	 value;
};

/* driver/flags_table.c file_flags, in its order. */
static const struct name_value file_flags[] = {
	{ "O_LARGEFILE", FLD_O_LARGEFILE }, { "O_DIRECTORY", FLD_O_DIRECTORY },
	{ "O_DIRECT", FLD_O_DIRECT }, { "O_TRUNC", FLD_O_TRUNC },
	{ "O_SYNC", FLD_O_SYNC }, { "O_NONBLOCK", FLD_O_NONBLOCK },
	{ "O_EXCL", FLD_O_EXCL }, { "O_DSYNC", FLD_O_DSYNC },
	{ "O_APPEND", FLD_O_APPEND }, { "O_CREAT", FLD_O_CREAT },
	{ "O_RDWR", FLD_O_RDWR }, { "O_WRONLY", FLD_O_WRONLY },
	{ "O_RDONLY", FLD_O_RDONLY }, { "O_CLOEXEC", FLD_O_CLOEXEC },
	{ "O_NONE", 0 }, { "O_TMPFILE", FLD_O_TMPFILE },
	{ "O_F_CREATED", FLD_O_F_CREATED },
	{ "FD_UPPER_LAYER", 1u << 15 }, { "FD_LOWER_LAYER", 1u << 16 },
	{ NULL, 0 },
};

/*
 * Falco's FLAGS rendering: names in table order, each match removing its
 * bits so O_RDWR hides O_WRONLY and O_RDONLY; a 0 entry only for 0.
 */
static char *
flags_str(struct fld_ctx *ctx, const struct name_value *tab, uint32_t v)
{
	char buf[512];
	size_t off = 0, n;
	uint32_t rest = v;
	const struct name_value *e;
	char *s;

	buf[0] = '\0';
	for (e = tab; e->name != NULL; e++) {
		if (e->value == 0 ? v != 0 : (rest & e->value) != e->value)
			continue;
		rest &= ~e->value;
		n = strlen(e->name);
		if (off + n + 2 > sizeof(buf))
			break;
		if (off > 0)
			buf[off++] = '|';
		memcpy(buf + off, e->name, n + 1);
		off += n;
	}
	if (off == 0)
		return fld_aprintf(ctx, NULL, "%u", v);
	s = fc_arena_strndup(ctx->arena, buf, off);
	return s;
}

char *
fld_open_flags_str(struct fld_ctx *ctx, uint32_t flags)
{
	return flags_str(ctx, file_flags, flags);
}

/* driver/flags_table.c clone_flags names over kernel CLONE_* bits. */
static const struct name_value clone_flags[] = {
	{ "CLONE_FILES", 0x400 }, { "CLONE_FS", 0x200 },
	{ "CLONE_IO", 0x80000000u }, { "CLONE_NEWIPC", 0x08000000 },
	{ "CLONE_NEWNET", 0x40000000 }, { "CLONE_NEWNS", 0x20000 },
	{ "CLONE_NEWPID", 0x20000000 }, { "CLONE_NEWUTS", 0x04000000 },
	{ "CLONE_PARENT", 0x8000 }, { "CLONE_PARENT_SETTID", 0x100000 },
	{ "CLONE_PTRACE", 0x2000 }, { "CLONE_SIGHAND", 0x800 },
	{ "CLONE_SYSVSEM", 0x40000 }, { "CLONE_THREAD", 0x10000 },
	{ "CLONE_UNTRACED", 0x800000 }, { "CLONE_VM", 0x100 },
	{ "CLONE_NEWUSER", 0x10000000 }, { "CLONE_CHILD_CLEARTID", 0x200000 },
	{ "CLONE_CHILD_SETTID", 0x1000000 }, { "CLONE_SETTLS", 0x80000 },
	{ "CLONE_VFORK", 0x4000 }, { "CLONE_NEWCGROUP", 0x02000000 },
	{ NULL, 0 },
};

char *
fld_clone_flags_str(struct fld_ctx *ctx, uint32_t flags)
{
	return flags_str(ctx, clone_flags, flags);
}

/*
 * driver/flags_table.c chmod_mode, in its order: libsinsp renders a
 * PT_MODE argument (chmod, fchmod, fchmodat, mkdir) with these names, which
 * is what rules test (`evt.arg.mode contains S_ISUID`).
 */
static const struct name_value chmod_mode[] = {
	{ "S_IXOTH", 01 }, { "S_IWOTH", 02 }, { "S_IROTH", 04 },
	{ "S_IXGRP", 010 }, { "S_IWGRP", 020 }, { "S_IRGRP", 040 },
	{ "S_IXUSR", 0100 }, { "S_IWUSR", 0200 }, { "S_IRUSR", 0400 },
	{ "S_ISVTX", 01000 }, { "S_ISGID", 02000 }, { "S_ISUID", 04000 },
	{ NULL, 0 },
};

char *
fld_mode_str(struct fld_ctx *ctx, uint32_t mode)
{
	return flags_str(ctx, chmod_mode, mode & 07777);
}

/* driver/flags_table.c socket_families: first exact match wins. */
const char *
fld_socket_family_name(uint64_t af)
{
	static const char *names[] = {
		"AF_UNSPEC", "AF_LOCAL", "AF_INET", "AF_AX25", "AF_IPX",
		"AF_APPLETALK", "AF_NETROM", "AF_BRIDGE", "AF_ATMPVC",
		"AF_X25", "AF_INET6", "AF_ROSE", "AF_DECnet", "AF_NETBEUI",
		"AF_SECURITY", "AF_KEY", "AF_ROUTE", "AF_PACKET", "AF_ASH",
		"AF_ECONET", "AF_ATMSVC", "AF_RDS", "AF_SNA", "AF_IRDA",
		"AF_PPPOX", "AF_WANPIPE", "AF_LLC", NULL, NULL, "AF_CAN",
		"AF_TIPC", "AF_BLUETOOTH", "AF_IUCV", "AF_RXRPC", "AF_ISDN",
		"AF_PHONET", "AF_IEEE802154", "AF_CAIF", "AF_ALG", "AF_NFC",
	};

	return af < sizeof(names) / sizeof(names[0]) ? names[af] : NULL;
}

/* Linux ptrace request numbers (x86 values for the register requests). */
const char *
fld_ptrace_request_name(uint64_t req)
{
	static const struct {
		uint32_t	 req;
		const char	*name;
	} tab[] = {
		{ 0, "PTRACE_TRACEME" }, { 1, "PTRACE_PEEKTEXT" },
		{ 2, "PTRACE_PEEKDATA" }, { 3, "PTRACE_PEEKUSR" },
		{ 4, "PTRACE_POKETEXT" }, { 5, "PTRACE_POKEDATA" },
		{ 6, "PTRACE_POKEUSR" }, { 7, "PTRACE_CONT" },
		{ 8, "PTRACE_KILL" }, { 9, "PTRACE_SINGLESTEP" },
		{ 12, "PTRACE_GETREGS" }, { 13, "PTRACE_SETREGS" },
		{ 14, "PTRACE_GETFPREGS" }, { 15, "PTRACE_SETFPREGS" },
		{ 16, "PTRACE_ATTACH" }, { 17, "PTRACE_DETACH" },
		{ 18, "PTRACE_GETFPXREGS" }, { 19, "PTRACE_SETFPXREGS" },
		{ 21, "PTRACE_OLDSETOPTIONS" }, { 24, "PTRACE_SYSCALL" },
		{ 25, "PTRACE_GET_THREAD_AREA" }, { 26, "PTRACE_SET_THREAD_AREA" },
		{ 30, "PTRACE_ARCH_PRCTL" }, { 31, "PTRACE_SYSEMU" },
		{ 32, "PTRACE_SYSEMU_SINGLESTEP" }, { 33, "PTRACE_SINGLEBLOCK" },
		{ 0x4200, "PTRACE_SETOPTIONS" }, { 0x4201, "PTRACE_GETEVENTMSG" },
		{ 0x4202, "PTRACE_GETSIGINFO" }, { 0x4203, "PTRACE_SETSIGINFO" },
		{ 0x4204, "PTRACE_GETREGSET" }, { 0x4205, "PTRACE_SETREGSET" },
		{ 0x4206, "PTRACE_SEIZE" }, { 0x4207, "PTRACE_INTERRUPT" },
		{ 0x4208, "PTRACE_LISTEN" }, { 0x4209, "PTRACE_PEEKSIGINFO" },
		{ 0x420a, "PTRACE_GETSIGMASK" }, { 0x420b, "PTRACE_SETSIGMASK" },
	};
	size_t i;

	for (i = 0; i < sizeof(tab) / sizeof(tab[0]); i++)
		if (tab[i].req == req)
			return tab[i].name;
	return NULL;
}
