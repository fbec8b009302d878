/*
 * rec.c - split one audit record into header and fields.
 *
 * Owns nothing: every pointer it returns points into the caller's buffer,
 * which need not be NUL-terminated.  The grammar is the kernel's
 * (audit_log_start: "audit(%llu.%03lu:%u): ") plus what auditd adds in
 * front of it ("node=NAME type=NAME msg=") and behind it (0x1D and the
 * ENRICHED interpretations, which we ignore: the raw text has it all).
 */
#include "config.h"

#include <string.h>

#include "audit/audit.h"

#define AUD_INTERP_SEP	'\x1d'

static const char *
skip_spaces(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	return p;
}

static bool
starts_with(const char *p, const char *end, const char *lit, size_t litlen)
{
	return (size_t)(end - p) >= litlen && memcmp(p, lit, litlen) == 0;
}

/* Parse decimal digits into *out; returns the end or NULL. */
static const char *
parse_dec(const char *p, const char *end, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;
	const char *start = p;

	/*
	 * No division per digit: v only grows, so checking v > max once at
	 * the end rejects exactly what a check per digit would.
	 */
	while (p < end && *p >= '0' && *p <= '9') {
		if (__builtin_mul_overflow(v, 10, &v) ||
		    __builtin_add_overflow(v, (unsigned)(*p - '0'), &v))
			return NULL;
		p++;
	}
	if (p == start || p - start > 20 || v > max)
		return NULL;
	*out = v;
	return p;
}

/*
 * "audit(SEC.MSEC:SERIAL):" followed by optional spaces.  Returns the start
 * of the body or NULL.
 */
static const char *
parse_stamp(const char *p, const char *end, struct aud_record *rec)
{
	uint64_t sec, msec, serial;

	if (!starts_with(p, end, "audit(", 6))
		return NULL;
	p += 6;
	if ((p = parse_dec(p, end, UINT64_MAX / 1000, &sec)) == NULL ||
	    p >= end || *p++ != '.')
		return NULL;
	if ((p = parse_dec(p, end, 999, &msec)) == NULL || p >= end ||
	    *p++ != ':')
		return NULL;
	if ((p = parse_dec(p, end, UINT32_MAX, &serial)) == NULL ||
	    !starts_with(p, end, "):", 2))
		return NULL;
	rec->sec = sec;
	rec->msec = (uint32_t)msec;
	rec->serial = (uint32_t)serial;
	return skip_spaces(p + 2, end);
}

/* Set body/bodylen from p, cutting the enrichment tail and trailing blanks. */
static void
set_body(struct aud_record *rec, const char *p, const char *end)
{
	const char *sep = memchr(p, AUD_INTERP_SEP, (size_t)(end - p));

	if (sep != NULL)
		end = sep;
	while (end > p && (end[-1] == ' ' || end[-1] == '\n' ||
	    end[-1] == '\r' || end[-1] == '\t'))
		end--;
	rec->body = p;
	rec->bodylen = (size_t)(end - p);
}

enum aud_rec_err
aud_rec_parse_netlink(int type, const char *payload, size_t len,
    struct aud_record *rec)
{
	const char *end = payload + len, *p;

	memset(rec, 0, sizeof(*rec));
	if (memchr(payload, '\0', len) != NULL)
		return AUD_REC_BINARY;
	rec->type = type;
	if ((p = parse_stamp(payload, end, rec)) == NULL)
		return AUD_REC_NO_STAMP;
	set_body(rec, p, end);
	return AUD_REC_OK;
}

enum aud_rec_err
aud_rec_parse_line(const char *line, size_t len, struct aud_record *rec)
{
	const char *end = line + len, *p, *name;

	memset(rec, 0, sizeof(*rec));
	while (end > line && (end[-1] == '\n' || end[-1] == '\r'))
		end--;
	p = skip_spaces(line, end);
	if (p == end || *p == '#')
		return AUD_REC_EMPTY;
	if (memchr(p, '\0', (size_t)(end - p)) != NULL)
		return AUD_REC_BINARY;
	if (starts_with(p, end, "node=", 5)) {
		rec->node = p + 5;
		while (p < end && *p != ' ')
			p++;
		rec->nodelen = (size_t)(p - rec->node);
		p = skip_spaces(p, end);
	}
	if (!starts_with(p, end, "type=", 5))
		return AUD_REC_NO_TYPE;
	name = p += 5;
	while (p < end && *p != ' ')
		p++;
	rec->type = aud_type_from_name(name, (size_t)(p - name));
	if (rec->type < 0)
		return AUD_REC_NO_TYPE;
	p = skip_spaces(p, end);
	if (!starts_with(p, end, "msg=", 4))
		return AUD_REC_NO_STAMP;
	if ((p = parse_stamp(p + 4, end, rec)) == NULL)
		return AUD_REC_NO_STAMP;
	set_body(rec, p, end);
	return AUD_REC_OK;
}

const char *
aud_rec_strerror(enum aud_rec_err err)
{
	switch (err) {
	case AUD_REC_OK:
		return "ok";
	case AUD_REC_EMPTY:
		return "empty line";
	case AUD_REC_NO_TYPE:
		return "missing or unknown record type";
	case AUD_REC_NO_STAMP:
		return "missing or malformed audit(SEC.MSEC:SERIAL) stamp";
	case AUD_REC_BINARY:
		return "NUL byte in record";
	}
	return "unknown error";
}

void
aud_cursor_init(struct aud_cursor *c, const char *p, size_t len)
{
	c->p = p;
	c->end = p + len;
}

/*
 * Keys and bare values are scanned a word at a time: this loop is the
 * parser's hottest, and one 8-byte load usually covers a whole key or
 * value.  zero_bytes sets 0x80 in exactly the bytes of x that are zero
 * (no carry crosses a byte), so the first hit is exact on either byte order.
 */
#define BYTES_OF(c)	(0x0101010101010101ull * (uint8_t)(c))

static uint64_t
zero_bytes(uint64_t x)
{
	const uint64_t m = 0x7f7f7f7f7f7f7f7full;

	return ~(((x & m) + m) | x | m);
}

/* Index of the first byte flagged in hit (not 0), in memory order. */
static size_t
first_hit(uint64_t hit)
{
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	return (size_t)__builtin_clzll(hit) / 8;
#else
	return (size_t)__builtin_ctzll(hit) / 8;
#endif
}

/* First ' ' or '\t' (or, with eq, '=') in [p, end), or end. */
static inline __attribute__((always_inline)) const char *
scan_word(const char *p, const char *end, bool eq)
{
	uint64_t w, hit;

	while (end - p >= 8) {
		memcpy(&w, p, 8);
		hit = zero_bytes(w ^ BYTES_OF(' ')) | zero_bytes(w ^ BYTES_OF('\t'));
		if (eq)
			hit |= zero_bytes(w ^ BYTES_OF('='));
		if (hit != 0)
			return p + first_hit(hit);
		p += 8;
	}
	while (p < end && *p != ' ' && *p != '\t' && !(eq && *p == '='))
		p++;
	return p;
}

/* Scan a quoted value starting after the opening quote q. */
static const char *
scan_quoted(const char *p, const char *end, char q)
{
	const char *close = memchr(p, q, (size_t)(end - p));

	return close != NULL ? close : end;
}

bool
aud_cursor_next(struct aud_cursor *c, struct aud_field *f)
{
	const char *p = skip_spaces(c->p, c->end), *end = c->end;

	if (p >= end) {
		c->p = end;
		return false;
	}
	f->key = p;
	p = scan_word(p, end, true);
	f->klen = (size_t)(p - f->key);
	if (p >= end || *p != '=') {
		/* A bare word ("tty pid=..."): no value. */
		f->val = NULL;
		f->vlen = 0;
		f->kind = AUD_V_BARE;
		c->p = p;
		return true;
	}
	p++;
	if (p < end && (*p == '"' || *p == '\'')) {
		char q = *p++;
		f->kind = q == '"' ? AUD_V_DQUOTED : AUD_V_SQUOTED;
		f->val = p;
		p = scan_quoted(p, end, q);
		f->vlen = (size_t)(p - f->val);
		if (p < end)
			p++;	/* closing quote */
	} else {
		f->kind = AUD_V_BARE;
		f->val = p;
		p = scan_word(p, end, false);
		f->vlen = (size_t)(p - f->val);
	}
	c->p = p;
	return true;
}
