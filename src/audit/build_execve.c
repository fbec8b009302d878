/*
 * build_execve.c - reassemble argv from EXECVE records.
 *
 * The kernel (audit_log_execve_info, >= 4.8) writes "argc=N a0=.. a1=.."
 * and, for an argument too long for the room left in a 7500-byte record,
 * "aI_len=LEN aI[0]=.. aI[1]=.." where the chunks may continue in the next
 * EXECVE record of the same serial.  Each chunk is whole bytes, so each is
 * decoded on its own and appended.  Old kernels dropped empty arguments,
 * leaving gaps: they are restored as "" and flagged.  argv lives in the
 * event's arena; nothing else is owned here.
 */
#include "config.h"

#include <string.h>

#include "audit/build_int.h"

#define CHUNK_RESERVE_MAX	(256u << 10)

/* n is 64-bit so that index UINT32_MAX + 1 does not wrap to 0. */
static bool
argv_reserve(struct fc_event *ev, uint64_t n)
{
	uint32_t i;

	if (n > FC_EV_MAX_ARGS || !fc_event_grow(ev, (void **)&ev->ev_argv,
	    &ev->ev_argv_cap, sizeof(*ev->ev_argv), (uint32_t)n)) {
		ev->ev_flags |= FC_EV_TRUNCATED;
		return false;
	}
	for (i = ev->ev_nargv; i < n; i++)
		ev->ev_argv[i] = (struct fc_str){ NULL, 0 };
	if (ev->ev_nargv < n)
		ev->ev_nargv = (uint32_t)n;
	return true;
}

/* Split "aN", "aN_len", "aN[I]" into N and the suffix. */
static bool
arg_key(const struct aud_field *f, uint32_t *n, const char **suffix,
    size_t *slen)
{
	uint64_t v = 0;
	size_t i = 1;

	if (f->klen < 2 || f->key[0] != 'a' || f->key[1] < '0' ||
	    f->key[1] > '9')
		return false;
	while (i < f->klen && f->key[i] >= '0' && f->key[i] <= '9') {
		v = v * 10 + (uint64_t)(f->key[i] - '0');
		if (v > UINT32_MAX)
			return false;
		i++;
	}
	*n = (uint32_t)v;
	*suffix = f->key + i;
	*slen = f->klen - i;
	return true;
}

/* Append the decoded chunk f to argument n, growing its buffer as needed. */
static void
arg_append(struct fc_event *ev, uint32_t n, const struct aud_field *f)
{
	struct fc_str *a = &ev->ev_argv[n];
	size_t need, dlen;
	char *buf;

	if (ev->ev_chunk_arg != (int32_t)n || a->p == NULL) {
		ev->ev_chunk_arg = (int32_t)n;
		ev->ev_chunk_cap = 0;
		a->len = 0;
	}
	need = (size_t)a->len + f->vlen + 1;
	if (need > ev->ev_chunk_cap) {
		size_t ncap = need > 2 * (size_t)ev->ev_chunk_cap ? need :
		    2 * (size_t)ev->ev_chunk_cap;
		if (ncap > UINT32_MAX ||
		    (buf = fc_arena_alloc(&ev->ev_arena, ncap)) == NULL) {
			ev->ev_flags |= FC_EV_TRUNCATED;
			return;
		}
		if (a->len > 0)
			memcpy(buf, a->p, a->len);
		a->p = buf;
		ev->ev_chunk_cap = (uint32_t)ncap;
	}
	buf = (char *)a->p;
	if (!aud_decode_value(f, buf + a->len, &dlen))
		dlen = 0;
	a->len += (uint32_t)dlen;
	buf[a->len] = '\0';
}

/* "aN_len=LEN": reserve LEN bytes (the encoded length bounds the decoded one). */
static void
arg_start_chunks(struct fc_event *ev, uint32_t n, const struct aud_field *f)
{
	uint64_t len;
	size_t room = ev->ev_arena.cap - ev->ev_arena.used;
	char *buf;

	if (!build_u64(f, 10, &len))
		return;
	/*
	 * The kernel caps one argument at MAX_ARG_STRLEN (128 KiB, so 256 KiB
	 * of hex): reserve no more than that up front, whatever a hostile
	 * aN_len says; a longer one still grows chunk by chunk (arg_append).
	 */
	if (len > CHUNK_RESERVE_MAX)
		len = CHUNK_RESERVE_MAX;
	if (len >= room)	/* not len + 1 > room: that wraps at UINT64_MAX */
		len = room > 64 ? room - 64 : 0;
	buf = fc_arena_alloc(&ev->ev_arena, (size_t)len + 1);
	if (buf == NULL) {
		ev->ev_flags |= FC_EV_TRUNCATED;
		return;
	}
	buf[0] = '\0';
	ev->ev_argv[n] = (struct fc_str){ buf, 0 };
	ev->ev_chunk_arg = (int32_t)n;
	ev->ev_chunk_cap = (uint32_t)len + 1;
}

/* One aN / aN_len / aN[I] field; false when f is not an argument. */
static bool
execve_arg(struct fc_event *ev, const struct aud_field *f)
{
	const char *suffix;
	size_t slen;
	uint32_t n;

	if (!arg_key(f, &n, &suffix, &slen))
		return false;
	if (slen != 0 && !(slen == 4 && memcmp(suffix, "_len", 4) == 0) &&
	    !(suffix[0] == '[' && suffix[slen - 1] == ']'))
		return false;
	if (!argv_reserve(ev, (uint64_t)n + 1))
		return true;
	if (slen == 0) {
		if (ev->ev_argv[n].p == NULL &&
		    !build_decode(ev, f, &ev->ev_argv[n]))
			ev->ev_argv[n] = (struct fc_str){ "", 0 };
	} else if (suffix[0] == '_') {
		arg_start_chunks(ev, n, f);
	} else {
		arg_append(ev, n, f);
	}
	return true;
}

void
build_execve(struct fc_event *ev, uint32_t idx, const struct aud_record *rec)
{
	struct aud_cursor c;
	struct aud_field f;
	int32_t argc;

	ev->ev_flags |= FC_EV_EXECVE;
	aud_cursor_init(&c, rec->body, rec->bodylen);
	while (aud_cursor_next(&c, &f)) {
		if (KEY_IS(&f, "argc") && ev->ev_argc < 0 &&
		    build_i32(&f, &argc) && argc >= 0) {
			ev->ev_argc = argc;
			/* Reserve up front; the array then never moves. */
			(void)fc_event_grow(ev, (void **)&ev->ev_argv,
			    &ev->ev_argv_cap, sizeof(*ev->ev_argv),
			    argc < FC_EV_MAX_ARGS ? (uint32_t)argc :
			    FC_EV_MAX_ARGS);
			continue;
		}
		if (!execve_arg(ev, &f))
			build_generic(ev, idx, &f);
	}
}

void
build_execve_finish(struct fc_event *ev)
{
	uint32_t i;

	if (!(ev->ev_flags & FC_EV_EXECVE))
		return;
	/* Old kernels skipped empty arguments; so may argc exceed what we saw. */
	if (ev->ev_argc > 0 && (uint32_t)ev->ev_argc > ev->ev_nargv)
		(void)argv_reserve(ev, (uint32_t)ev->ev_argc);
	for (i = 0; i < ev->ev_nargv; i++) {
		if (ev->ev_argv[i].p == NULL) {
			ev->ev_argv[i] = (struct fc_str){ "", 0 };
			ev->ev_flags |= FC_EV_ARGV_GAP;
		}
	}
}
