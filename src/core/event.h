/*
 * event.h - struct fc_event, the syscall object that flows downstream.
 *
 * One fc_event is one kernel audit event: every record that shares
 * (timestamp, serial, node).  The audit module fills it (src/audit), the
 * rule engine only reads it.  All strings are byte strings with a length
 * (they may hold NUL or non-UTF-8 bytes) and are also NUL-terminated for
 * convenience.  They live in the event's arena and stay valid until the
 * event is recycled.
 *
 * The JSON form printed by `falconet replay` is described field by field
 * in docs/events.md.
 */
#ifndef FC_CORE_EVENT_H
#define FC_CORE_EVENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"

/* A byte string in the event's arena.  p is NULL when the value is absent. */
struct fc_str {
	const char	*p;
	uint32_t	 len;
};

/* Hard caps: hostile input can ask for more, it never gets more. */
enum {
	FC_EV_MAX_RECORDS = 65535,	/* records per event */
	FC_EV_MAX_PATHS = 16,		/* PATH records decoded per event */
	FC_EV_MAX_KEYS = 8,		/* rule keys (joined by 0x01) */
	FC_EV_MAX_FIELDS = 65535,	/* generic key/values per event */
	FC_EV_MAX_OBJ_PIDS = 16,	/* OBJ_PID records decoded per event */
	FC_EV_MAX_ARGS = 65536,		/* argv entries */
	FC_EV_MAX_BYTES = 8u << 20,	/* arena bytes per event */
};

/* Event flags (ev_flags). */
enum {
	FC_EV_SYSCALL = 1u << 0,	/* has a SYSCALL record */
	FC_EV_HAS_SUCCESS = 1u << 1,	/* success= was present */
	FC_EV_SUCCESS = 1u << 2,	/* success=yes */
	FC_EV_HAS_EXIT = 1u << 3,	/* exit= was present */
	FC_EV_EXECVE = 1u << 4,		/* has EXECVE record(s) */
	FC_EV_TRUNCATED = 1u << 5,	/* a cap was hit: something dropped */
	FC_EV_EOE = 1u << 6,		/* completed by an EOE record */
	FC_EV_TIMED_OUT = 1u << 7,	/* completed by the correlator's timeout */
	FC_EV_EVICTED = 1u << 8,	/* flushed early: too many in flight */
	FC_EV_ARGV_GAP = 1u << 9,	/* argv had missing aN (old kernels) */
	FC_EV_HAS_PPID = 1u << 10,
	FC_EV_HAS_IDS = 1u << 11,	/* some uid/gid logged: see ev_id_mask */
};

/* Bits of ev_id_mask, in this order: auid uid gid euid suid fsuid egid sgid fsgid ses. */
enum {
	FC_ID_AUID = 1u << 0, FC_ID_UID = 1u << 1, FC_ID_GID = 1u << 2,
	FC_ID_EUID = 1u << 3, FC_ID_SUID = 1u << 4, FC_ID_FSUID = 1u << 5,
	FC_ID_EGID = 1u << 6, FC_ID_SGID = 1u << 7, FC_ID_FSGID = 1u << 8,
	FC_ID_SES = 1u << 9,
};

enum fc_nametype {
	FC_NT_NONE = 0,		/* no nametype= field */
	FC_NT_NORMAL,
	FC_NT_PARENT,
	FC_NT_CREATE,
	FC_NT_DELETE,
	FC_NT_UNKNOWN,
	FC_NT_OTHER,		/* a value we do not know: kept in raw */
};

/* Flags of one fc_path (pt_flags). */
enum {
	FC_PT_INODE = 1u << 0,	/* inode, dev, mode, ouid, ogid present */
	FC_PT_RDEV = 1u << 1,
	FC_PT_CAPS = 1u << 2,	/* cap_fp, cap_fi, cap_fe, cap_fver present */
};

struct fc_path {
	uint32_t	 pt_flags;
	int32_t		 pt_item;	/* item=, -1 when absent */
	struct fc_str	 pt_name;	/* as passed to the syscall */
	enum fc_nametype pt_nametype;
	struct fc_str	 pt_nametype_raw;
	uint64_t	 pt_inode;
	uint32_t	 pt_dev_major, pt_dev_minor;
	uint32_t	 pt_rdev_major, pt_rdev_minor;
	uint32_t	 pt_mode;
	uint32_t	 pt_ouid, pt_ogid;
	uint64_t	 pt_cap_fp, pt_cap_fi;
	uint32_t	 pt_cap_fe, pt_cap_fver;
};

enum fc_sa_kind {
	FC_SA_NONE = 0,
	FC_SA_INET,
	FC_SA_INET6,
	FC_SA_UNIX,
	FC_SA_NETLINK,
	FC_SA_PACKET,
	FC_SA_OTHER,
};

struct fc_sockaddr {
	enum fc_sa_kind	 sa_kind;
	uint16_t	 sa_family;	/* raw sa_family, host byte order */
	uint16_t	 sa_port;	/* inet/inet6, host byte order */
	uint8_t		 sa_addr[16];	/* inet: 4 bytes; inet6: 16 bytes */
	uint32_t	 sa_flowinfo, sa_scope_id;
	bool		 sa_abstract;	/* unix: abstract name (leading NUL) */
	struct fc_str	 sa_path;	/* unix: path or abstract name (no NUL) */
	uint32_t	 sa_nl_pid, sa_nl_groups;	/* netlink */
	uint16_t	 sa_pkt_protocol;	/* packet: host order */
	int32_t		 sa_pkt_ifindex;
	struct fc_str	 sa_raw;	/* the bytes as logged (decoded hex) */
};

struct fc_obj_pid {
	int32_t		 op_pid;
	uint32_t	 op_auid, op_uid, op_ses;
	struct fc_str	 op_comm;
};

/* A key/value of a record the event does not decode into named members. */
struct fc_field {
	uint32_t	 f_rec;		/* index into ev_rec_types */
	struct fc_str	 f_key;
	struct fc_str	 f_val;		/* quotes removed, hex decoded when the field is encoded */
};

struct fc_event {
	/* Identity. */
	uint64_t	 ev_sec;
	uint32_t	 ev_msec;
	uint32_t	 ev_serial;
	struct fc_str	 ev_node;
	uint32_t	 ev_flags;
	uint64_t	 ev_num;	/* completion order, from 1 */

	/* Records, in arrival order. */
	uint32_t	 ev_nrecords;
	uint16_t	*ev_rec_types;	/* ev_nrecords types, in the arena */

	/* SYSCALL. */
	uint32_t	 ev_arch;	/* AUDIT_ARCH_*, 0 when absent */
	int32_t		 ev_syscall;	/* number, -1 when absent */
	const char	*ev_syscall_name;	/* static string or NULL */
	int64_t		 ev_exit;
	uint64_t	 ev_a[4];
	int32_t		 ev_items;
	int32_t		 ev_pid, ev_ppid;
	uint32_t	 ev_auid, ev_uid, ev_gid, ev_euid, ev_suid, ev_fsuid;
	uint32_t	 ev_egid, ev_sgid, ev_fsgid, ev_ses;
	uint16_t	 ev_id_mask;	/* which ids were logged: FC_ID_* bits */
	struct fc_str	 ev_tty, ev_comm, ev_exe, ev_subj;
	uint8_t		 ev_nkeys;
	struct fc_str	 ev_keys[FC_EV_MAX_KEYS];

	/* CWD, PROCTITLE (raw bytes: arguments separated by NUL). */
	struct fc_str	 ev_cwd;
	struct fc_str	 ev_proctitle;

	/* EXECVE. */
	int32_t		 ev_argc;	/* argc= as logged, -1 when absent */
	uint32_t	 ev_nargv;
	struct fc_str	*ev_argv;	/* ev_nargv entries, in the arena */

	/* PATH, SOCKADDR, OBJ_PID. */
	uint8_t		 ev_npaths;
	struct fc_path	 ev_paths[FC_EV_MAX_PATHS];
	struct fc_sockaddr ev_sockaddr;
	uint8_t		 ev_nobj_pids;
	struct fc_obj_pid ev_obj_pids[FC_EV_MAX_OBJ_PIDS];

	/* Everything else, so nothing is lost. */
	uint32_t	 ev_nfields;
	struct fc_field	*ev_fields;	/* in the arena */

	/* Private to the audit module (growth of the arrays above). */
	uint32_t	 ev_rec_cap;
	uint32_t	 ev_field_cap;
	uint32_t	 ev_argv_cap;
	int32_t		 ev_chunk_arg;	/* aN whose chunks are being joined, -1 none */
	uint32_t	 ev_chunk_cap;	/* bytes reserved for that argument */

	struct fc_arena	 ev_arena;
};

/* Initialise an empty event (no allocation).  ev_fini frees its memory. */
void	fc_event_init(struct fc_event *ev);
void	fc_event_fini(struct fc_event *ev);

/* Forget the content, keep the memory for the next event. */
void	fc_event_reset(struct fc_event *ev);

/*
 * fc_event_grow - make room for need elements of size esz in the arena
 * array *arr of capacity *cap (doubling; the old copy is left in the
 * arena).  Returns false at the arena cap, leaving *arr as it was.
 */
bool	fc_event_grow(struct fc_event *ev, void **arr, uint32_t *cap,
	    size_t esz, uint32_t need);

#endif
