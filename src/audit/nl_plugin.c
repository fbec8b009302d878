/*
 * nl_plugin.c - frames auditd's plugin (dispatcher) stream into records.
 *
 * format = string: one audit.log line per record, '\n'-terminated
 * (ENRICHED text after 0x1D included; the record parser cuts it).
 * format = binary: struct audit_dispatcher_header {ver, hlen, type, size}
 * then size bytes: version 0 carries the raw kernel payload
 * "audit(...): ...", version 1 an already formatted "type=... msg=..."
 * line.  Auto-detection looks at the first byte: text starts with 't'
 * (type=) or 'n' (node=), a binary header with a small version number.
 * A record longer than AUD_SRC_REC_MAX is skipped and counted.
 */
#include "config.h"

#include <errno.h>
#include <libaudit.h>
#include <stdlib.h>
#include <string.h>

#include "audit/nl_int.h"

enum {
	PL_HDR = sizeof(struct audit_dispatcher_header),
	PL_HLEN_MAX = 256,
	PL_CAP = AUD_SRC_REC_MAX + PL_HLEN_MAX,
};

int
aud_pl_init(struct aud_plugin_framer *f, enum aud_plugin_format fmt)
{
	memset(f, 0, sizeof(*f));
	f->fmt = fmt;
	f->cap = PL_CAP;
	f->buf = malloc(f->cap);
	return f->buf ? 0 : -ENOMEM;
}

void
aud_pl_fini(struct aud_plugin_framer *f)
{
	free(f->buf);
	f->buf = NULL;
}

/* Trim what may end a record: NULs (binary payloads) and newlines. */
static size_t
trim(const char *p, size_t n)
{
	while (n > 0 && (p[n - 1] == '\0' || p[n - 1] == '\n'))
		n--;
	return n;
}

/* String lines: consume complete lines from f->buf; returns bytes used. */
static size_t
lines(struct aud_plugin_framer *f, aud_pl_fn fn, void *arg)
{
	size_t off = 0;

	for (;;) {
		char *nl = memchr(f->buf + off, '\n', f->len - off);
		size_t n;

		if (nl == NULL)
			break;
		n = (size_t)(nl - (f->buf + off));
		if (f->skipping)
			f->skipping = false;	/* the tail of an over-long line */
		else if (n > 0)
			fn(AUD_Q_LINE, 0, f->buf + off, trim(f->buf + off, n), arg);
		off += n + 1;
	}
	if (off == 0 && f->len == f->cap) {
		/* No newline in a full buffer: too long; skip to the next one. */
		if (!f->skipping)
			f->truncated++;
		f->skipping = true;
		return f->len;
	}
	return off;
}

/* Binary frames; returns bytes used. */
static size_t
frames(struct aud_plugin_framer *f, aud_pl_fn fn, void *arg)
{
	size_t off = 0;

	while (f->len - off >= PL_HDR || (f->skipping && f->len > off)) {
		struct audit_dispatcher_header h;
		const char *p;

		if (f->skipping) {
			/* Over-long frame (counted): drop its bytes. */
			size_t k = f->len - off;

			if (k > (size_t)f->skip_left)
				k = (size_t)f->skip_left;
			off += k;
			f->skip_left -= k;
			if (f->skip_left == 0)
				f->skipping = false;
			continue;
		}
		memcpy(&h, f->buf + off, PL_HDR);
		if (h.hlen < PL_HDR || h.hlen > PL_HLEN_MAX || h.ver > 1) {
			/* Lost framing: nothing sane can follow. */
			f->bad++;
			return f->len;
		}
		if ((size_t)h.size > AUD_SRC_REC_MAX) {
			f->truncated++;
			f->skipping = true;
			f->skip_left = (uint64_t)h.hlen + h.size;
			continue;
		}
		if (f->len - off < h.hlen + (size_t)h.size)
			break;
		p = f->buf + off + h.hlen;
		if (h.ver == AUDISP_PROTOCOL_VER)
			fn(AUD_Q_NETLINK, (int)h.type, p, trim(p, h.size), arg);
		else
			fn(AUD_Q_LINE, (int)h.type, p, trim(p, h.size), arg);
		off += h.hlen + h.size;
	}
	return off;
}

static void
detect(struct aud_plugin_framer *f)
{
	if (f->fmt != AUD_PFMT_AUTO || f->len == 0)
		return;
	f->fmt = (f->buf[0] == 't' || f->buf[0] == 'n') ? AUD_PFMT_STRING :
	    AUD_PFMT_BINARY;
}

void
aud_pl_feed(struct aud_plugin_framer *f, const char *data, size_t len,
    aud_pl_fn fn, void *arg)
{
	while (len > 0) {
		size_t k = f->cap - f->len, used;

		if (k > len)
			k = len;
		memcpy(f->buf + f->len, data, k);
		f->len += k;
		data += k;
		len -= k;
		detect(f);
		if (f->fmt == AUD_PFMT_STRING)
			used = lines(f, fn, arg);
		else
			used = frames(f, fn, arg);
		memmove(f->buf, f->buf + used, f->len - used);
		f->len -= used;
	}
}

void
aud_pl_finish(struct aud_plugin_framer *f, aud_pl_fn fn, void *arg)
{
	if (f->fmt == AUD_PFMT_STRING && f->len > 0 && !f->skipping)
		fn(AUD_Q_LINE, 0, f->buf, trim(f->buf, f->len), arg);
	else if (f->len > 0 && f->fmt != AUD_PFMT_STRING)
		f->truncated++;	/* a partial binary frame */
	f->len = 0;
}
