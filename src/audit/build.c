/*
 * build.c - fold audit records into a struct fc_event.
 *
 * Owns nothing; writes into the event and its arena.  Every record is
 * decoded as it arrives (no second pass over raw text), so the correlator
 * keeps no copy of record text.  Known records fill named members; every
 * other key/value is kept as a generic field, so nothing is lost.  A cap
 * (arena bytes, counts) makes the builder drop data and set
 * FC_EV_TRUNCATED; it never fails otherwise.
 */
#include "config.h"

#include <stddef.h>
#include <string.h>

#include "audit/build_int.h"

bool
build_decode(struct fc_event *ev, const struct aud_field *f,
    struct fc_str *out)
{
	char *buf;
	size_t len;

	if (f->val == NULL)
		return false;
	buf = fc_arena_alloc(&ev->ev_arena, f->vlen + 1);
	if (buf == NULL) {
		ev->ev_flags |= FC_EV_TRUNCATED;
		return false;
	}
	if (!aud_decode_value(f, buf, &len))
		return false;
	buf[len] = '\0';
	out->p = buf;
	out->len = (uint32_t)len;
	return true;
}

bool
build_copy(struct fc_event *ev, const struct aud_field *f, struct fc_str *out)
{
	char *s;

	if (f->val == NULL)
		return false;
	s = fc_arena_strndup(&ev->ev_arena, f->val, f->vlen);
	if (s == NULL) {
		ev->ev_flags |= FC_EV_TRUNCATED;
		return false;
	}
	out->p = s;
	out->len = (uint32_t)f->vlen;
	return true;
}

static bool
field_num(const struct aud_field *f, int base, uint64_t *out)
{
	if (f->val == NULL)
		return false;
	return aud_parse_u64(f->val, f->vlen, base, out);
}

bool
build_u64(const struct aud_field *f, int base, uint64_t *out)
{
	return field_num(f, base, out);
}

bool
build_u32(const struct aud_field *f, int base, uint32_t *out)
{
	uint64_t v;
	int64_t s;

	if (field_num(f, base, &v) && v <= UINT32_MAX) {
		*out = (uint32_t)v;
		return true;
	}
	/* Some kernels print unset ids as -1. */
	if (base == 10 && f->val != NULL &&
	    aud_parse_i64(f->val, f->vlen, &s) && s == -1) {
		*out = UINT32_MAX;
		return true;
	}
	return false;
}

bool
build_i32(const struct aud_field *f, int32_t *out)
{
	int64_t v;

	if (f->val == NULL || !aud_parse_i64(f->val, f->vlen, &v) ||
	    v < INT32_MIN || v > INT32_MAX)
		return false;
	*out = (int32_t)v;
	return true;
}

void
build_generic(struct fc_event *ev, uint32_t rec_idx, const struct aud_field *f)
{
	struct fc_field *gf;
	char *k;

	if (ev->ev_nfields >= FC_EV_MAX_FIELDS ||
	    !fc_event_grow(ev, (void **)&ev->ev_fields, &ev->ev_field_cap,
	    sizeof(*ev->ev_fields), ev->ev_nfields + 1) ||
	    (k = fc_arena_strndup(&ev->ev_arena, f->key, f->klen)) == NULL) {
		ev->ev_flags |= FC_EV_TRUNCATED;
		return;
	}
	gf = &ev->ev_fields[ev->ev_nfields];
	gf->f_rec = rec_idx;
	gf->f_key = (struct fc_str){ k, (uint32_t)f->klen };
	gf->f_val = (struct fc_str){ NULL, 0 };
	if (f->val != NULL) {
		if (f->kind == AUD_V_BARE && aud_field_is_encoded(f->key, f->klen))
			(void)build_decode(ev, f, &gf->f_val);
		else
			(void)build_copy(ev, f, &gf->f_val);
	}
	ev->ev_nfields++;
}

/* Split the decoded key= value on 0x01 (several keys on one rule). */
static void
build_keys(struct fc_event *ev, const struct aud_field *f)
{
	struct fc_str all;
	char *p, *end, *sep;

	if (ev->ev_nkeys > 0 || !build_decode(ev, f, &all))
		return;
	p = (char *)all.p;
	end = p + all.len;
	while (p <= end && ev->ev_nkeys < FC_EV_MAX_KEYS) {
		sep = memchr(p, '\x01', (size_t)(end - p));
		if (sep == NULL)
			sep = end;
		*sep = '\0';
		ev->ev_keys[ev->ev_nkeys++] = (struct fc_str){ p,
		    (uint32_t)(sep - p) };
		p = sep + 1;
	}
	if (p <= end)
		ev->ev_flags |= FC_EV_TRUNCATED;
}

/* The id fields of SYSCALL; the index is the bit in ev_id_mask. */
static const struct {
	const char	*name;
	size_t		 len;
	size_t		 off;
} syscall_ids[] = {
#define ID(n) { #n, sizeof(#n) - 1, offsetof(struct fc_event, ev_##n) }
	ID(auid), ID(uid), ID(gid), ID(euid), ID(suid), ID(fsuid),
	ID(egid), ID(sgid), ID(fsgid), ID(ses),
#undef ID
};

/* Store an id field; false when f is not one or does not parse. */
static bool
syscall_id(struct fc_event *ev, const struct aud_field *f, bool *is_id)
{
	size_t i;

	for (i = 0; i < sizeof(syscall_ids) / sizeof(syscall_ids[0]); i++) {
		if (syscall_ids[i].len != f->klen ||
		    syscall_ids[i].name[0] != f->key[0] ||
		    memcmp(syscall_ids[i].name, f->key, f->klen) != 0)
			continue;
		*is_id = true;
		if (ev->ev_id_mask & (1u << i))
			return false;	/* duplicate key: keep the first */
		if (!build_u32(f, 10, (uint32_t *)((char *)ev +
		    syscall_ids[i].off)))
			return false;
		ev->ev_id_mask |= 1u << i;
		ev->ev_flags |= FC_EV_HAS_IDS;
		return true;
	}
	*is_id = false;
	return false;
}

/*
 * SYSCALL keys decoded into members, one bit each: a repeated key (seen in
 * the wild) keeps its first value and the repeat becomes a generic field.
 */
enum {
	SF_A0 = 1u << 0,	/* a0..a3: bits 0-3 */
	SF_PID = 1u << 4, SF_TTY = 1u << 5, SF_EXE = 1u << 6,
	SF_KEY = 1u << 7, SF_ARCH = 1u << 8, SF_EXIT = 1u << 9,
	SF_PPID = 1u << 10, SF_COMM = 1u << 11, SF_SUBJ = 1u << 12,
	SF_ITEMS = 1u << 13, SF_SYSCALL = 1u << 14, SF_SUCCESS = 1u << 15,
};

/* True the first time bit is claimed in this record. */
#define ONCE(bit) ((*seen & (bit)) ? false : (*seen |= (bit), true))

/*
 * One SYSCALL field into its member; false when it is not one of ours.
 * SYSCALL records carry most of the fields of a log: a switch on the key
 * length first costs one jump, where a chain of compares cost one
 * branch per known key.
 */
static bool
syscall_field(struct fc_event *ev, const struct aud_field *f, uint32_t *seen)
{
	bool is_id;

	switch (f->klen) {
	case 2:
		if (f->key[0] == 'a' && f->key[1] >= '0' && f->key[1] <= '3') {
			if (!ONCE(SF_A0 << (f->key[1] - '0')))
				return false;
			return build_u64(f, 16, &ev->ev_a[f->key[1] - '0']);
		}
		return false;
	case 3:
		if (KEY_IS(f, "pid") && ONCE(SF_PID))
			return build_i32(f, &ev->ev_pid);
		if (KEY_IS(f, "tty") && ONCE(SF_TTY))
			return build_copy(ev, f, &ev->ev_tty);
		if (KEY_IS(f, "exe") && ONCE(SF_EXE))
			return build_decode(ev, f, &ev->ev_exe);
		if (KEY_IS(f, "key") && ONCE(SF_KEY)) {
			build_keys(ev, f);
			return true;
		}
		break;
	case 4:
		if (KEY_IS(f, "arch") && ONCE(SF_ARCH))
			return build_u32(f, 16, &ev->ev_arch);
		if (KEY_IS(f, "exit") && ONCE(SF_EXIT)) {
			if (f->val == NULL ||
			    !aud_parse_i64(f->val, f->vlen, &ev->ev_exit))
				return false;
			ev->ev_flags |= FC_EV_HAS_EXIT;
			return true;
		}
		if (KEY_IS(f, "ppid") && ONCE(SF_PPID)) {
			if (!build_i32(f, &ev->ev_ppid))
				return false;
			ev->ev_flags |= FC_EV_HAS_PPID;
			return true;
		}
		if (KEY_IS(f, "comm") && ONCE(SF_COMM))
			return build_decode(ev, f, &ev->ev_comm);
		if (KEY_IS(f, "subj") && ONCE(SF_SUBJ))
			return build_copy(ev, f, &ev->ev_subj);
		break;
	case 5:
		if (KEY_IS(f, "items") && ONCE(SF_ITEMS))
			return build_i32(f, &ev->ev_items);
		break;
	case 7:
		if (KEY_IS(f, "syscall") && ONCE(SF_SYSCALL))
			return build_i32(f, &ev->ev_syscall);
		if (KEY_IS(f, "success") && ONCE(SF_SUCCESS)) {
			if (f->val == NULL)
				return false;
			ev->ev_flags |= FC_EV_HAS_SUCCESS;
			if (f->vlen == 3 && memcmp(f->val, "yes", 3) == 0)
				ev->ev_flags |= FC_EV_SUCCESS;
			return true;
		}
		return false;
	default:
		return false;
	}
	/* The ids (uid, auid, fsgid...) are 3 to 5 bytes long. */
	return syscall_id(ev, f, &is_id);
}

static void
build_syscall(struct fc_event *ev, uint32_t idx, const struct aud_record *rec)
{
	struct aud_cursor c;
	struct aud_field f;
	uint32_t seen = 0;

	if (ev->ev_flags & FC_EV_SYSCALL) {
		/* A second SYSCALL record with the same serial: keep it raw. */
		aud_cursor_init(&c, rec->body, rec->bodylen);
		while (aud_cursor_next(&c, &f))
			build_generic(ev, idx, &f);
		return;
	}
	ev->ev_flags |= FC_EV_SYSCALL;
	aud_cursor_init(&c, rec->body, rec->bodylen);
	while (aud_cursor_next(&c, &f)) {
		if (!syscall_field(ev, &f, &seen))
			build_generic(ev, idx, &f);
	}
	if (ev->ev_arch != 0 && ev->ev_syscall >= 0)
		ev->ev_syscall_name = aud_syscall_name(ev->ev_arch,
		    ev->ev_syscall);
}

/* Records with a single encoded value: CWD's cwd=, PROCTITLE's proctitle=. */
static void
build_single(struct fc_event *ev, uint32_t idx, const struct aud_record *rec,
    const char *key, struct fc_str *dst)
{
	struct aud_cursor c;
	struct aud_field f;
	size_t klen = strlen(key);

	aud_cursor_init(&c, rec->body, rec->bodylen);
	while (aud_cursor_next(&c, &f)) {
		if (dst->p == NULL && f.klen == klen &&
		    memcmp(f.key, key, klen) == 0 && build_decode(ev, &f, dst))
			continue;
		build_generic(ev, idx, &f);
	}
}

static void
build_obj_pid(struct fc_event *ev, uint32_t idx, const struct aud_record *rec)
{
	struct fc_obj_pid *op;
	struct aud_cursor c;
	struct aud_field f;
	bool ok;

	if (ev->ev_nobj_pids >= FC_EV_MAX_OBJ_PIDS) {
		ev->ev_flags |= FC_EV_TRUNCATED;
		return;
	}
	op = &ev->ev_obj_pids[ev->ev_nobj_pids++];
	memset(op, 0, sizeof(*op));
	op->op_pid = -1;
	op->op_auid = op->op_uid = op->op_ses = UINT32_MAX;
	aud_cursor_init(&c, rec->body, rec->bodylen);
	while (aud_cursor_next(&c, &f)) {
		if (KEY_IS(&f, "opid"))
			ok = build_i32(&f, &op->op_pid);
		else if (KEY_IS(&f, "oauid"))
			ok = build_u32(&f, 10, &op->op_auid);
		else if (KEY_IS(&f, "ouid"))
			ok = build_u32(&f, 10, &op->op_uid);
		else if (KEY_IS(&f, "oses"))
			ok = build_u32(&f, 10, &op->op_ses);
		else if (KEY_IS(&f, "ocomm"))
			ok = build_decode(ev, &f, &op->op_comm);
		else
			ok = false;
		if (!ok)
			build_generic(ev, idx, &f);
	}
}

/*
 * Any other record: all fields generic.  A user-space message wraps its
 * own fields in msg='...'; those are unpacked one level so that acct=,
 * exe=, res= and friends are fields like any other.
 */
static void
build_other(struct fc_event *ev, uint32_t idx, const struct aud_record *rec)
{
	struct aud_cursor c, inner;
	struct aud_field f, g;

	aud_cursor_init(&c, rec->body, rec->bodylen);
	while (aud_cursor_next(&c, &f)) {
		if (f.kind == AUD_V_SQUOTED && KEY_IS(&f, "msg")) {
			aud_cursor_init(&inner, f.val, f.vlen);
			while (aud_cursor_next(&inner, &g))
				build_generic(ev, idx, &g);
			continue;
		}
		build_generic(ev, idx, &f);
	}
}

static void
set_identity(struct fc_event *ev, const struct aud_record *rec)
{
	ev->ev_sec = rec->sec;
	ev->ev_msec = rec->msec;
	ev->ev_serial = rec->serial;
	if (rec->node != NULL) {
		char *n = fc_arena_strndup(&ev->ev_arena, rec->node,
		    rec->nodelen);
		if (n != NULL)
			ev->ev_node = (struct fc_str){ n, (uint32_t)rec->nodelen };
	}
}

void
aud_event_add_record(struct fc_event *ev, const struct aud_record *rec)
{
	uint32_t idx = ev->ev_nrecords;

	if (idx == 0)
		set_identity(ev, rec);
	if (idx >= FC_EV_MAX_RECORDS ||
	    !fc_event_grow(ev, (void **)&ev->ev_rec_types, &ev->ev_rec_cap,
	    sizeof(*ev->ev_rec_types), idx + 1)) {
		ev->ev_flags |= FC_EV_TRUNCATED;
		return;
	}
	ev->ev_rec_types[idx] = (uint16_t)rec->type;
	ev->ev_nrecords++;

	switch (rec->type) {
	case AUD_T_SYSCALL:
		build_syscall(ev, idx, rec);
		break;
	case AUD_T_EXECVE:
		build_execve(ev, idx, rec);
		break;
	case AUD_T_CWD:
		build_single(ev, idx, rec, "cwd", &ev->ev_cwd);
		break;
	case AUD_T_PROCTITLE:
		build_single(ev, idx, rec, "proctitle",
		    &ev->ev_proctitle);
		break;
	case AUD_T_PATH:
		build_path(ev, idx, rec);
		break;
	case AUD_T_SOCKADDR:
		build_sockaddr(ev, idx, rec);
		break;
	case AUD_T_OBJ_PID:
		build_obj_pid(ev, idx, rec);
		break;
	case AUD_T_EOE:
		ev->ev_flags |= FC_EV_EOE;
		break;
	default:
		build_other(ev, idx, rec);
		break;
	}
}

void
aud_event_finish(struct fc_event *ev)
{
	build_execve_finish(ev);
}
