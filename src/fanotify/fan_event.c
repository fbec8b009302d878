/*
 * fan_event.c - items (what the reader learnt about one kernel event) and
 * their translation into struct fc_event, shaped like the audit event of
 * the same syscall so that the rule engine needs no special case:
 *
 *   FAN_OPEN          openat(AT_FDCWD, path, O_RDONLY)   PATH NORMAL
 *   FAN_MODIFY,       openat(AT_FDCWD, path, O_WRONLY)   PATH NORMAL
 *   FAN_CLOSE_WRITE
 *   FAN_OPEN_EXEC     execve(path)                       PATH NORMAL, exe
 *   FAN_CREATE        openat(.., O_WRONLY|O_CREAT, mode), mkdirat,
 *                     symlinkat, linkat or mknodat by the new object's
 *                     type                              PATH PARENT + CREATE
 *   FAN_DELETE        unlinkat(.., 0 or AT_REMOVEDIR)    PATH PARENT + DELETE
 *   FAN_RENAME        renameat                           PARENT, PARENT,
 *                                                        DELETE, CREATE
 *   FAN_MOVED_FROM/TO renameat with one side only (kernels without
 *                     FAN_RENAME)
 *
 * fanotify does not give the opener's flags: FAN_OPEN is reported as a
 * read (an open for write also raises it); a write is reported only once
 * it is known (FAN_MODIFY or FAN_CLOSE_WRITE).  Directories get
 * O_DIRECTORY.  The opener's fd number is unknown: the result is 0, so
 * "fd.num >= 0" (success) holds.  No argv, no cwd: audit has them.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include "core/event.h"
#include "fanotify/fan_int.h"

#if defined(__x86_64__)
#define NATIVE_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define NATIVE_ARCH AUDIT_ARCH_AARCH64
#elif defined(__i386__)
#define NATIVE_ARCH AUDIT_ARCH_I386
#elif defined(__powerpc64__) && defined(__LITTLE_ENDIAN__)
#define NATIVE_ARCH AUDIT_ARCH_PPC64LE
#elif defined(__s390x__)
#define NATIVE_ARCH AUDIT_ARCH_S390X
#else
#define NATIVE_ARCH 0
#endif

#ifdef __NR_renameat
#define RENAME_NAME "renameat"
#define RENAME_NR __NR_renameat
#else
#define RENAME_NAME "renameat2"
#define RENAME_NR __NR_renameat2
#endif

#define AT_FDCWD_ARG ((uint64_t)(int64_t)AT_FDCWD)

/* ---- Builder ----------------------------------------------------------- */

void
fan_ib_reset(struct fan_ibuild *b)
{
	memset(&b->it, 0, sizeof(b->it));
	b->used = 0;
}

void
fan_ib_set(struct fan_ibuild *b, int slot, const char *p, size_t n)
{
	if (n > PATH_MAX)
		n = PATH_MAX;
	if (n == 0 || b->used + n + 1 > sizeof(b->buf))
		return;
	memcpy(b->buf + b->used, p, n);
	b->buf[b->used + n] = '\0';
	b->it.off[slot] = (uint32_t)b->used;
	b->it.len[slot] = (uint16_t)n;
	b->used += n + 1;
}

struct fan_item *
fan_ib_finish(const struct fan_ibuild *b)
{
	size_t size = sizeof(struct fan_item) + b->used;
	struct fan_item *it = malloc(size);

	if (it == NULL)
		return NULL;
	memcpy(it, &b->it, sizeof(*it));
	memcpy(fan_item_data(it), b->buf, b->used);
	it->size = size;
	return it;
}

/* ---- Item -> event ----------------------------------------------------- */

struct sc {
	const char	*name;
	int		 nr;
};

static bool
set_str(struct fc_event *ev, struct fc_str *dst, const struct fan_item *it,
    int slot)
{
	size_t n;
	const char *p = fan_item_str(it, slot, &n);

	if (p == NULL)
		return true;
	if ((dst->p = fc_arena_strndup(&ev->ev_arena, p, n)) == NULL)
		return false;
	dst->len = (uint32_t)n;
	return true;
}

static struct fc_path *
add_path(struct fc_event *ev, const struct fan_item *it, int slot,
    enum fc_nametype nt, bool with_obj)
{
	static const char *const ntnames[] = {
		[FC_NT_NORMAL] = "NORMAL", [FC_NT_PARENT] = "PARENT",
		[FC_NT_CREATE] = "CREATE", [FC_NT_DELETE] = "DELETE",
	};
	struct fc_path *pt;

	if (it->len[slot] == 0 || ev->ev_npaths >= FC_EV_MAX_PATHS)
		return NULL;
	pt = &ev->ev_paths[ev->ev_npaths];
	memset(pt, 0, sizeof(*pt));
	pt->pt_item = ev->ev_npaths;
	pt->pt_nametype = nt;
	pt->pt_nametype_raw = (struct fc_str){ ntnames[nt],
	    (uint32_t)strlen(ntnames[nt]) };
	if (!set_str(ev, &pt->pt_name, it, slot))
		return NULL;
	if (with_obj && it->obj.ok) {
		pt->pt_flags = FC_PT_INODE;
		pt->pt_inode = it->obj.ino;
		pt->pt_dev_major = it->obj.dev_major;
		pt->pt_dev_minor = it->obj.dev_minor;
		pt->pt_mode = it->obj.mode;
		pt->pt_ouid = it->obj.uid;
		pt->pt_ogid = it->obj.gid;
	}
	ev->ev_npaths++;
	return pt;
}

/* The syscall a FAN_CREATE stands for, from the new object's type. */
static struct sc
create_sc(const struct fan_item *it, struct fc_event *ev)
{
	uint32_t m = it->obj.mode;

	if (it->ondir || (it->obj.ok && S_ISDIR(m)))
		return (struct sc){ "mkdirat", __NR_mkdirat };
	if (it->obj.ok && S_ISLNK(m))
		return (struct sc){ "symlinkat", __NR_symlinkat };
	if (it->obj.ok && (S_ISFIFO(m) || S_ISCHR(m) || S_ISBLK(m) ||
	    S_ISSOCK(m)))
		return (struct sc){ "mknodat", __NR_mknodat };
	if (it->obj.ok && it->obj.nlink > 1)
		return (struct sc){ "linkat", __NR_linkat };
	ev->ev_a[2] = O_WRONLY | O_CREAT;
	ev->ev_a[3] = it->obj.ok ? (m & 07777) : 0;
	return (struct sc){ "openat", __NR_openat };
}

/* Fill syscall and PATH items for it's kind. */
static struct sc
fill_kind(const struct fan_item *it, struct fc_event *ev)
{
	bool dir = it->ondir || (it->obj.ok && S_ISDIR(it->obj.mode));

	ev->ev_a[0] = AT_FDCWD_ARG;
	switch (it->kind) {
	case FAN_K_OPEN:
	case FAN_K_WRITE:
		ev->ev_a[2] = (it->kind == FAN_K_OPEN ? O_RDONLY : O_WRONLY) |
		    (dir ? O_DIRECTORY : 0);
		add_path(ev, it, FAN_S_PATH, FC_NT_NORMAL, true);
		return (struct sc){ "openat", __NR_openat };
	case FAN_K_EXEC:
		ev->ev_a[0] = 0;
		add_path(ev, it, FAN_S_PATH, FC_NT_NORMAL, true);
		return (struct sc){ "execve", __NR_execve };
	case FAN_K_CREATE:
		add_path(ev, it, FAN_S_DIR, FC_NT_PARENT, false);
		add_path(ev, it, FAN_S_PATH, FC_NT_CREATE, true);
		return create_sc(it, ev);
	case FAN_K_DELETE:
		ev->ev_a[2] = dir ? AT_REMOVEDIR : 0;
		add_path(ev, it, FAN_S_DIR, FC_NT_PARENT, false);
		add_path(ev, it, FAN_S_PATH, FC_NT_DELETE, false);
		return (struct sc){ "unlinkat", __NR_unlinkat };
	default:	/* renames: PARENT(s) first, as audit orders them */
		ev->ev_a[2] = AT_FDCWD_ARG;
		add_path(ev, it, FAN_S_DIR, FC_NT_PARENT, false);
		add_path(ev, it, FAN_S_DIR2, FC_NT_PARENT, false);
		add_path(ev, it, FAN_S_PATH, FC_NT_DELETE, false);
		add_path(ev, it, FAN_S_PATH2, FC_NT_CREATE, true);
		return (struct sc){ RENAME_NAME, RENAME_NR };
	}
}

static void
fill_ids(const struct fan_item *it, struct fc_event *ev)
{
	const struct fan_proc *pr = &it->pr;

	if (pr->ppid >= 0) {
		ev->ev_ppid = pr->ppid;
		ev->ev_flags |= FC_EV_HAS_PPID;
	}
	if (pr->ok) {
		ev->ev_uid = pr->uid; ev->ev_euid = pr->euid;
		ev->ev_suid = pr->suid; ev->ev_fsuid = pr->fsuid;
		ev->ev_gid = pr->gid; ev->ev_egid = pr->egid;
		ev->ev_sgid = pr->sgid; ev->ev_fsgid = pr->fsgid;
		ev->ev_id_mask |= FC_ID_UID | FC_ID_EUID | FC_ID_SUID |
		    FC_ID_FSUID | FC_ID_GID | FC_ID_EGID | FC_ID_SGID |
		    FC_ID_FSGID;
	}
	if (pr->has_auid) {
		ev->ev_auid = pr->auid;
		ev->ev_id_mask |= FC_ID_AUID;
	}
	if (pr->has_ses) {
		ev->ev_ses = pr->ses;
		ev->ev_id_mask |= FC_ID_SES;
	}
	if (ev->ev_id_mask != 0)
		ev->ev_flags |= FC_EV_HAS_IDS;
}

int
fan_item_to_event(const struct fan_item *it, struct fc_event *ev)
{
	struct sc sc;

	fc_event_reset(ev);
	ev->ev_sec = it->sec;
	ev->ev_msec = it->msec;
	/*
	 * Not an audit serial: the source's own sequence, so that two events
	 * of the same millisecond differ (the rule engine memoises per event
	 * on time, serial and ev_num).
	 */
	ev->ev_serial = it->seq;
	ev->ev_flags = FC_EV_SYSCALL | FC_EV_HAS_SUCCESS | FC_EV_SUCCESS |
	    FC_EV_HAS_EXIT | FAN_EV_FANOTIFY;
	ev->ev_arch = NATIVE_ARCH;
	sc = fill_kind(it, ev);
	ev->ev_syscall_name = sc.name;
	ev->ev_syscall = NATIVE_ARCH != 0 ? sc.nr : -1;
	ev->ev_exit = 0;
	ev->ev_items = ev->ev_npaths;
	ev->ev_pid = it->pid;
	fill_ids(it, ev);
	if (!set_str(ev, &ev->ev_comm, it, FAN_S_COMM) ||
	    !set_str(ev, &ev->ev_exe, it, FAN_S_EXE))
		return -ENOMEM;
	/* add_path() only fails at the arena cap (paths are bounded). */
	return ev->ev_npaths > 0 ? 0 : -ENOMEM;
}
