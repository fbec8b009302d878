/*
 * decode.c - audit value encodings: quoted text, hex, sentinels, numbers.
 *
 * The kernel writes an untrusted string as "text" when every byte is in
 * 0x21..0x7e and not '"', otherwise as upper-case hex without quotes
 * (audit_log_n_untrustedstring).  "(null)" means no value.  Which fields
 * are untrusted strings ("encoded") comes from the audit field dictionary
 * plus auparse's additions.  Nothing here allocates.
 */
#include "config.h"

#include <string.h>

#include "audit/audit.h"

/* Hex digit value plus one, 0 for any other byte: one load per digit. */
static const uint8_t hex_digit1[256] = {
	['0'] = 1, ['1'] = 2, ['2'] = 3, ['3'] = 4, ['4'] = 5,
	['5'] = 6, ['6'] = 7, ['7'] = 8, ['8'] = 9, ['9'] = 10,
	['A'] = 11, ['B'] = 12, ['C'] = 13, ['D'] = 14, ['E'] = 15, ['F'] = 16,
	['a'] = 11, ['b'] = 12, ['c'] = 13, ['d'] = 14, ['e'] = 15, ['f'] = 16,
};

static int
hexval(unsigned char c)
{
	return hex_digit1[c] - 1;
}

bool
aud_hex_decode(const char *hex, size_t len, char *out)
{
	size_t i;

	if (len % 2 != 0)
		return false;
	for (i = 0; i < len; i += 2) {
		int hi = hexval((unsigned char)hex[i]);
		int lo = hexval((unsigned char)hex[i + 1]);
		if (hi < 0 || lo < 0)
			return false;
		out[i / 2] = (char)(hi << 4 | lo);
	}
	return true;
}

bool
aud_decode_value(const struct aud_field *f, char *out, size_t *outlen)
{
	if (f->val == NULL) {
		*outlen = 0;
		return false;
	}
	if (f->kind == AUD_V_BARE) {
		if (f->vlen == 6 && memcmp(f->val, "(null)", 6) == 0) {
			*outlen = 0;
			return false;
		}
		if (f->vlen > 0 && aud_hex_decode(f->val, f->vlen, out)) {
			*outlen = f->vlen / 2;
			return true;
		}
	}
	if (f->vlen > 0)
		memcpy(out, f->val, f->vlen);
	*outlen = f->vlen;
	return true;
}

bool
aud_parse_u64(const char *p, size_t len, int base, uint64_t *out)
{
	uint64_t v = 0;
	size_t i;

	if (len >= 2 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X') &&
	    base == 16) {
		p += 2;
		len -= 2;
	}
	if (len == 0 || len > 64)
		return false;
	if (len <= 15 && base <= 16) {
		/* base^15 <= 2^60: no overflow possible, no check per digit. */
		for (i = 0; i < len; i++) {
			int d = hexval((unsigned char)p[i]);
			if (d < 0 || d >= base)
				return false;
			v = v * (uint64_t)base + (uint64_t)d;
		}
		*out = v;
		return true;
	}
	for (i = 0; i < len; i++) {
		int d = hexval((unsigned char)p[i]);
		if (d < 0 || d >= base)
			return false;
		/* v * base + d > UINT64_MAX, without a division per digit. */
		if (__builtin_mul_overflow(v, (uint64_t)base, &v) ||
		    __builtin_add_overflow(v, (uint64_t)d, &v))
			return false;
	}
	*out = v;
	return true;
}

bool
aud_parse_i64(const char *p, size_t len, int64_t *out)
{
	uint64_t v;
	bool neg = len > 0 && p[0] == '-';

	if (neg) {
		p++;
		len--;
	}
	if (!aud_parse_u64(p, len, 10, &v))
		return false;
	if (neg) {
		if (v > (uint64_t)INT64_MAX + 1)
			return false;
		*out = v == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)v;
	} else {
		if (v > (uint64_t)INT64_MAX)
			return false;
		*out = (int64_t)v;
	}
	return true;
}

/*
 * Encoded fields: audit-documentation field-dictionary.csv ("encoded")
 * plus auparse's typetab.h.  Only the VM ones of new-* and old-* are encoded:
 * old-auid, old-ses, new-level... are plain (LOGIN's old-auid=4294967295
 * is even-length hex and would be mangled).  EXECVE's
 * aN and aN[M] are encoded too, but only in EXECVE records (SOCKETCALL's
 * aN are numbers), so the event builder handles them.  Sorted for bsearch.
 */
static const char *const encoded_fields[] = {
	"acct", "addr", "apparmor", "cgroup", "cmd", "comm", "cwd", "data",
	"device", "dir", "exe", "file", "grp", "invalid_context", "key",
	"name", "new-chardev", "new-disk", "new-fs", "new-net", "new-rng",
	"ocomm", "old-chardev", "old-disk", "old-fs", "old-net", "old-rng",
	"path", "proctitle", "root_dir", "saddr", "sw", "vm", "watch",
};

static int
cmp_key(const char *key, size_t klen, const char *name)
{
	size_t i;

	/* strcmp order on (key, klen): name is NUL-terminated. */
	for (i = 0; i < klen && name[i] != '\0'; i++)
		if (key[i] != name[i])
			return (unsigned char)key[i] < (unsigned char)name[i] ?
			    -1 : 1;
	if (i < klen)
		return 1;
	return name[i] == '\0' ? 0 : -1;
}

bool
aud_field_is_encoded(const char *key, size_t klen)
{
	size_t lo = 0, hi = sizeof(encoded_fields) / sizeof(encoded_fields[0]);

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int r = cmp_key(key, klen, encoded_fields[mid]);
		if (r == 0)
			return true;
		if (r < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return false;
}
