/*
 * buf.c - growable capped buffer and JSON string escaping (see buf.h).
 */
#include "config.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"

void
fc_buf_init(struct fc_buf *b, size_t max)
{
	memset(b, 0, sizeof(*b));
	b->max = max;
}

void
fc_buf_fini(struct fc_buf *b)
{
	free(b->p);
	memset(b, 0, sizeof(*b));
}

void
fc_buf_reset(struct fc_buf *b)
{
	b->len = 0;
	b->overflow = false;
}

static bool
buf_room(struct fc_buf *b, size_t len)
{
	size_t ncap;
	char *n;

	if (len > b->max - b->len) {
		b->overflow = true;
		return false;
	}
	if (b->len + len <= b->cap)
		return true;
	ncap = b->cap ? b->cap : 4096;
	while (ncap < b->len + len)
		ncap *= 2;
	if (ncap > b->max)
		ncap = b->max;
	if ((n = realloc(b->p, ncap)) == NULL) {
		b->overflow = true;
		return false;
	}
	b->p = n;
	b->cap = ncap;
	return true;
}

void
fc_buf_add(struct fc_buf *b, const void *p, size_t len)
{
	if (len == 0 || !buf_room(b, len))
		return;
	memcpy(b->p + b->len, p, len);
	b->len += len;
}

void
fc_buf_addc(struct fc_buf *b, char c)
{
	if (b->len < b->cap || buf_room(b, 1))
		b->p[b->len++] = c;
}

void
fc_buf_adds(struct fc_buf *b, const char *s)
{
	fc_buf_add(b, s, strlen(s));
}

void
fc_buf_printf(struct fc_buf *b, const char *fmt, ...)
{
	char tmp[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n < sizeof(tmp)) {
		fc_buf_add(b, tmp, (size_t)n);
		return;
	}
	if (!buf_room(b, (size_t)n + 1))
		return;
	va_start(ap, fmt);
	(void)vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

/* Length of the valid UTF-8 sequence at p (1..4), or 0 if invalid. */
static size_t
utf8_len(const unsigned char *p, size_t n)
{
	unsigned char c = p[0];
	size_t len, i;
	uint32_t cp;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		len = 2, cp = c & 0x1f;
	else if (c >= 0xe0 && c <= 0xef)
		len = 3, cp = c & 0x0f;
	else if (c >= 0xf0 && c <= 0xf4)
		len = 4, cp = c & 0x07;
	else
		return 0;
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (p[i] & 0x3f);
	}
	/* Overlong forms, surrogates and values past U+10FFFF are invalid. */
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return len;
}

void
fc_json_str(struct fc_buf *b, const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, run, n;

	fc_buf_addc(b, '"');
	while (i < len) {
		/* Copy the longest run that needs no escaping in one go. */
		for (run = i; run < len && p[run] >= 0x20 && p[run] < 0x80 &&
		    p[run] != '"' && p[run] != '\\'; run++)
			;
		fc_buf_add(b, p + i, run - i);
		if ((i = run) >= len)
			break;
		if (p[i] >= 0x80) {
			if ((n = utf8_len(p + i, len - i)) > 0) {
				fc_buf_add(b, p + i, n);
				i += n;
				continue;
			}
			char pct[3] = { '%', hex[p[i] >> 4], hex[p[i] & 15] };
			fc_buf_add(b, pct, 3);
		} else if (p[i] == '"' || p[i] == '\\') {
			char esc[2] = { '\\', (char)p[i] };
			fc_buf_add(b, esc, 2);
		} else if (p[i] == '\n') {
			fc_buf_add(b, "\\n", 2);
		} else if (p[i] == '\t') {
			fc_buf_add(b, "\\t", 2);
		} else if (p[i] == '\r') {
			fc_buf_add(b, "\\r", 2);
		} else {
			char u[6] = { '\\', 'u', '0', '0', hex[p[i] >> 4],
			    hex[p[i] & 15] };
			fc_buf_add(b, u, 6);
		}
		i++;
	}
	fc_buf_addc(b, '"');
}

void
fc_json_key(struct fc_buf *b, bool *first, const char *key)
{
	if (!*first)
		fc_buf_addc(b, ',');
	*first = false;
	fc_buf_addc(b, '"');
	fc_buf_adds(b, key);
	fc_buf_add(b, "\":", 2);
}

void
fc_json_kstr(struct fc_buf *b, bool *first, const char *key, const char *p,
    size_t len)
{
	fc_json_key(b, first, key);
	fc_json_str(b, p, len);
}

size_t
fc_fmt_uint(char *out, uint64_t v, unsigned base, unsigned minwidth)
{
	static const char digits[] = "0123456789abcdef";
	char tmp[FC_FMT_MAX];
	size_t n = 0, i;

	if (base != 8 && base != 16)
		base = 10;
	if (minwidth > FC_FMT_MAX - 2)
		minwidth = FC_FMT_MAX - 2;
	do {
		tmp[n++] = digits[v % base];
		v /= base;
	} while (v != 0);
	while (n < minwidth)
		tmp[n++] = '0';
	for (i = 0; i < n; i++)
		out[i] = tmp[n - 1 - i];
	out[n] = '\0';
	return n;
}

size_t
fc_fmt_int(char *out, int64_t v)
{
	if (v >= 0)
		return fc_fmt_uint(out, (uint64_t)v, 10, 0);
	out[0] = '-';
	/* Unsigned negation: right for INT64_MIN too. */
	return 1 + fc_fmt_uint(out + 1, -(uint64_t)v, 10, 0);
}

void
fc_json_ku64(struct fc_buf *b, bool *first, const char *key, uint64_t v)
{
	char t[FC_FMT_MAX];

	fc_json_key(b, first, key);
	fc_buf_add(b, t, fc_fmt_uint(t, v, 10, 0));
}

void
fc_json_ki64(struct fc_buf *b, bool *first, const char *key, int64_t v)
{
	char t[FC_FMT_MAX];

	fc_json_key(b, first, key);
	fc_buf_add(b, t, fc_fmt_int(t, v));
}

void
fc_json_kbool(struct fc_buf *b, bool *first, const char *key, bool v)
{
	fc_json_key(b, first, key);
	fc_buf_adds(b, v ? "true" : "false");
}
