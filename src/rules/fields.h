/*
 * fields.h - the Falco field registry and the field extractors.
 *
 * Every field a Falco rule may name (libsinsp's classes evt, syscall, fd,
 * fdlist, fs, group, proc, thread, user, util, plus the container plugin's
 * container.* / k8s.* fields) is registered here with its libsinsp type,
 * flags and a short description, so that rules compile exactly as they do
 * in Falco.  Fields the audit event cannot supply yet are registered with
 * FLD_F_LATER (process table / container enrichment will fill them) or
 * FLD_F_UNSUPPORTED (never available from audit: a rule using one should
 * be loaded disabled with a warning).
 *
 * Four jobs:
 *   1. resolution: "proc.aname" + "[2]" -> struct fld_ref (fld_resolve);
 *   2. compile-time values: "0x10" on an INT64 field -> error (fld_parse_value);
 *   3. extraction: struct fc_event -> struct fld_value (fld_extract);
 *   4. rendering: text and JSON of a value for alert outputs.
 *
 * Nothing here logs or exits.  The registry is immutable and thread-safe;
 * an fld_ctx (and its arena) belongs to one thread.
 */
#ifndef FC_RULES_FIELDS_H
#define FC_RULES_FIELDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "container/container.h"
#include "core/arena.h"
#include "core/event.h"
#include "proc/proc.h"

struct fc_buf;
struct fld_param;	/* an event parameter (evt.arg.NAME), opaque */

/* Value types, as libsinsp's PT_* (fld_type_name gives "CHARBUF"...). */
enum fld_type {
	FLD_T_NONE = 0,
	FLD_T_INT8, FLD_T_INT16, FLD_T_INT32, FLD_T_INT64,
	FLD_T_UINT8, FLD_T_UINT16, FLD_T_UINT32, FLD_T_UINT64,
	FLD_T_CHARBUF, FLD_T_BYTEBUF, FLD_T_FSPATH, FLD_T_FSRELPATH,
	FLD_T_ERRNO, FLD_T_FD, FLD_T_PID, FLD_T_UID, FLD_T_GID, FLD_T_MODE,
	FLD_T_FLAGS8, FLD_T_FLAGS16, FLD_T_FLAGS32,
	FLD_T_ENUMFLAGS8, FLD_T_ENUMFLAGS16, FLD_T_ENUMFLAGS32,
	FLD_T_SIGTYPE, FLD_T_SYSCALLID,
	FLD_T_SOCKADDR, FLD_T_SOCKTUPLE,
	FLD_T_BOOL, FLD_T_IPADDR, FLD_T_IPNET, FLD_T_PORT, FLD_T_L4PROTO,
	FLD_T_ABSTIME, FLD_T_RELTIME, FLD_T_DOUBLE,
	FLD_T_DYN,		/* evt.rawarg: the type of the named parameter */
	FLD_T_MAX
};

/* The coarse class operators and value parsing work on. */
enum fld_class {
	FLD_C_NONE = 0,
	FLD_C_STRING,		/* CHARBUF, FSPATH, FSRELPATH */
	FLD_C_BUFFER,		/* BYTEBUF, SOCKADDR, SOCKTUPLE */
	FLD_C_SIGNED,		/* INT*, ERRNO, FD, PID */
	FLD_C_UNSIGNED,		/* UINT*, UID, GID, MODE, FLAGS*, PORT, times... */
	FLD_C_BOOL,
	FLD_C_IPADDR,
	FLD_C_IPNET,
	FLD_C_DOUBLE,
};

/* Field flags (fld_def.flags). */
enum {
	FLD_F_ARG_REQUIRED = 1u << 0,	/* field[arg] or field.NAME is mandatory */
	FLD_F_ARG_ALLOWED = 1u << 1,	/* field[arg] is optional */
	FLD_F_ARG_INDEX = 1u << 2,	/* the [arg] is a decimal index */
	FLD_F_ARG_KEY = 1u << 3,	/* the [arg] is a string key */
	FLD_F_DOTTED = 1u << 4,		/* argument written field.NAME (evt.arg.NAME) */
	FLD_F_NO_RHS = 1u << 5,		/* cannot be used in val() or compared to a field */
	FLD_F_NO_TRANSFORMER = 1u << 6,	/* refuses tolower() & co */
	FLD_F_IS_LIST = 1u << 7,	/* extracts a list (in/intersects/exists only) */
	FLD_F_ANCESTOR = 1u << 8,	/* no-arg form in a condition = any ancestor */
	FLD_F_DEPRECATED = 1u << 9,	/* LOAD_DEPRECATED_ITEM warning */
	FLD_F_LATER = 1u << 10,		/* needs process table / container state */
	FLD_F_UNSUPPORTED = 1u << 11,	/* audit can never supply it */
	FLD_F_FILTER_ONLY = 1u << 12,	/* meant for conditions (fd.ip, fd.net...) */
	FLD_F_PLUGIN = 1u << 13,	/* container plugin field */
	FLD_F_PER_USE = 1u << 14,	/* a new value at every use: never memoised */
};

struct fld_ctx;
struct fld_ref;
struct fld_value;

typedef bool (*fld_extract_fn)(struct fld_ctx *ctx, const struct fld_ref *ref,
	    struct fld_value *out);

struct fld_def {
	const char	*name;
	enum fld_type	 type;
	uint32_t	 flags;
	const char	*desc;
	fld_extract_fn	 extract;	/* NULL: never a value (LATER/UNSUPPORTED) */
	int		 id;		/* private to the extractor */
};

enum {
	FLD_ARG_MAX = 256,	/* bytes of a field argument, NUL included */
	FLD_ERR_MAX = 320,
};

/* A resolved field reference, plain data: copy it freely. */
struct fld_ref {
	const struct fld_def *def;
	enum fld_type	 type;		/* def->type, or the parameter's type for evt.rawarg */
	bool		 has_arg;
	char		 arg[FLD_ARG_MAX];	/* [arg] or .NAME text, NUL-terminated */
	size_t		 arglen;
	int64_t		 index;		/* numeric [N] (ARG_INDEX fields, evt.arg[N]); -1 none */
	const struct fld_param *param;	/* evt.arg.NAME / evt.rawarg.NAME */
};

struct fld_error {
	char		 msg[FLD_ERR_MAX];
};

/* IPv4 or IPv6 address, or network (prefix set). */
struct fld_ip {
	uint8_t		 family;	/* 4 or 6 */
	uint8_t		 prefix;	/* IPNET: prefix length; addresses: 32/128 */
	uint8_t		 addr[16];	/* network order; IPv4 in the first 4 bytes */
};

/*
 * An extracted or parsed value.  Strings are byte strings with a length
 * (str points into the event, the ctx arena, the registry or the caller's
 * text) and are NUL-terminated when they come from extraction.
 */
struct fld_value {
	enum fld_type	 type;
	const char	*str;		/* FLD_C_STRING, FLD_C_BUFFER */
	size_t		 len;
	union {
		int64_t		 i64;	/* FLD_C_SIGNED */
		uint64_t	 u64;	/* FLD_C_UNSIGNED */
		double		 dbl;	/* FLD_C_DOUBLE */
		bool		 b;	/* FLD_C_BOOL */
		struct fld_ip	 ip;	/* FLD_C_IPADDR, FLD_C_IPNET */
	} v;
};

/* ---- Types ---------------------------------------------------------- */

/* "CHARBUF", "INT64"... ("NONE" for an unknown value). */
const char	*fld_type_name(enum fld_type t);
enum fld_class	 fld_type_class(enum fld_type t);

/* ---- Registry and resolution ---------------------------------------- */

/* Every registered field, in registry order (n in *count). */
const struct fld_def *fld_registry(size_t *count);

/* Exact lookup by full name ("proc.name"), NULL when unknown. */
const struct fld_def *fld_lookup(const char *name, size_t len);

/*
 * fld_resolve - resolve a field written in a condition.  name is the
 * field token as lexed ("proc.aname", "evt.arg.flags", "evt.type.is.open"),
 * arg the bracket argument already unquoted (NULL when the field had no
 * [...]).  On success fills *ref and returns 0.  On failure returns -1 and
 * writes the error text Falco would print into err:
 *   "filter_check called with nonexistent field proc.nobody",
 *   "unknown event argument nosuch", ...
 * The argument is copied into ref (at most FLD_ARG_MAX - 1 bytes).
 */
int	fld_resolve(const char *name, size_t len, const char *arg,
	    size_t arglen, struct fld_ref *ref, struct fld_error *err);

/*
 * fld_scan - resolve the field at the start of text, the way an output
 * format's %field is read: the longest registered name that is a prefix of
 * text (at a name boundary), then an optional bare [arg] up to ']' or a
 * .NAME for dotted fields.  Returns the number of bytes used (> 0) and
 * fills *ref, or -1 with err set when no field starts there.
 */
int	fld_scan(const char *text, size_t len, struct fld_ref *ref,
	    struct fld_error *err);

/* Whether NAME is an event parameter name (for evt.arg.NAME). */
bool	fld_param_known(const char *name, size_t len);

/* ---- Compile-time values -------------------------------------------- */

/*
 * fld_parse_value - parse a right-hand-side literal for a field of type
 * t (use ref->type) the way libsinsp does at compile time (falco.md
 * §1.8): integers decimal only ("0x10 is not a valid number"), "-1" into
 * an unsigned type wraps, BOOL only true/false, IPv4/IPv6 addresses,
 * CIDR networks (a bare address means a /32 or /128), ports by number or
 * service name, strings verbatim (out->str points into text).
 * Returns 0, or -1 with err set.
 */
int	fld_parse_value(enum fld_type t, const char *text, size_t len,
	    struct fld_value *out, struct fld_error *err);

/* ---- Extraction ----------------------------------------------------- */

/* Users and groups from passwd / group files (a small bounded cache). */
struct fld_users;

/*
 * NULL paths mean /etc/passwd and /etc/group.  The files are read lazily
 * (at most FLD_USERS_MAX_BYTES each, FLD_USERS_MAX entries) and re-read by
 * fld_users_reload().  NULL on allocation failure.
 */
struct fld_users *fld_users_new(const char *passwd_path, const char *group_path);
void	fld_users_free(struct fld_users *u);
void	fld_users_reload(struct fld_users *u);

enum {
	FLD_USERS_MAX_BYTES = 4u << 20,
	FLD_USERS_MAX = 65536,
};

/*
 * Everything an extractor reads.  The caller sets ev, arena (scratch for
 * rendered strings: reset it after each event, values die with it),
 * hostname and users; the rest may stay zero.
 */
struct fld_ctx {
	const struct fc_event *ev;
	struct fc_arena	*arena;
	uint64_t	 evnum;		/* evt.num; 0 means ev->ev_num */
	const char	*hostname;	/* evt.hostname; NULL: no value */
	uint64_t	 first_ts;	/* ns of the first event (evt.reltime) */
	uint64_t	 prev_ts;	/* ns of the previous event (evt.deltatime) */
	struct fld_users *users;	/* NULL: user.name & co have no value */
	uint64_t	 util_cnt;	/* util.cnt counter */
	const struct fld_enrich *enrich;	/* live agent only; NULL: none */

	/*
	 * Per-event memo of field values, one entry per slot that an engine
	 * gives the distinct fields of its filters (flt_share_fields), so
	 * that a field tested by many rules is extracted once per event.
	 * NULL: no memo.  An entry is current when its gen is ctx->gen;
	 * fld_ctx_next() starts a new event.
	 */
	struct fld_memo	*memo;
	uint32_t	 nmemo;
	uint32_t	 gen;

	/* Private: per-event memo of the fd decoding (keyed on the event). */
	const struct fc_event *memo_ev;
	uint64_t	 memo_key;
	void		*memo_fd;
	/* Private: the last syscall name looked up, and its table entry. */
	const char	*sc_name;
	const void	*sc;
};

struct fld_memo {
	uint32_t	 gen;
	bool		 ok;		/* the field had a value */
	struct fld_value v;
};

/*
 * fld_ctx_next - make ev the event of ctx and forget the memoised values
 * of the previous one (in O(1): the generation moves on).
 */
void	fld_ctx_next(struct fld_ctx *ctx, const struct fc_event *ev);

/*
 * What the live agent knows beyond the event, for the process-table and
 * container fields (proc.pname, proc.aname[N], thread.cap_*, container.*,
 * k8s.*).  All borrowed for the duration of one event's evaluation.
 */
struct fld_enrich {
	struct ptree		*pt;	/* the process table, NULL: none */
	const struct ptree_proc	*self;	/* the event's process, NULL: unknown */
	const char		*cid;	/* container.id ("host", id), NULL: unknown */
	const struct ctr_info	*ctr;	/* its metadata, NULL: unknown */
};

/*
 * fld_extract - the value of ref for ctx->ev.  Returns false when the
 * field has no value for this event (the check is then false).  Rendered
 * strings are allocated in ctx->arena.  Never fails otherwise.
 */
bool	fld_extract(struct fld_ctx *ctx, const struct fld_ref *ref,
	    struct fld_value *out);

/* ---- Rendering ------------------------------------------------------ */

/*
 * Append the text form of v to b (as in a Falco text alert: numbers in
 * decimal, booleans true/false, addresses in inet_ntop form, networks as
 * ADDR/LEN; the nanosecond parts evt.rawtime.ns & co zero-padded to 9
 * digits when ref says so; ref may be NULL).  Missing values (<NA>) are
 * the caller's job.
 */
void	fld_render_text(const struct fld_ref *ref, const struct fld_value *v,
	    struct fc_buf *b);

/*
 * Append the JSON value of v to b, typed as Falco's output_fields: numbers
 * and booleans bare, everything else a JSON string.  The time-string fields
 * (evt.time, evt.time.iso8601, evt.datetime...) are written as integer
 * nanoseconds, as libsinsp does; pass the ref to get that right (NULL ok).
 */
void	fld_render_json(const struct fld_ref *ref, const struct fld_value *v,
	    struct fc_buf *b);

/*
 * fld_list - print every field for `falconet --list`: one line per field
 * "name  TYPE  [markers]  description", markers LATER / UNSUPPORTED /
 * DEPRECATED / LIST.  Returns the number of fields printed.
 */
size_t	fld_list(FILE *fp);

#endif
