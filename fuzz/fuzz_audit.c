/*
 * fuzz_audit.c - libFuzzer target for everything that reads untrusted
 * audit text: the record parser, the field cursor and value decoder, the
 * event builder, the correlator and the JSON writer.
 *
 * The input is read two ways:
 *   - as an audit.log: each line goes through aud_rec_parse_line and, when
 *     it parses, into a correlator bounded to 8 events in flight, so that
 *     eviction, timeouts and end-of-input flushing all happen;
 *   - as one netlink payload: the first two bytes are the record type
 *     (nlmsg_type), the rest goes to aud_rec_parse_netlink.
 * Every emitted event is written as JSON and must parse back as a JSON
 * object: a broken escape or a missing comma is a bug, so it aborts.
 *
 * Each line is copied into a buffer of exactly its length, so that ASan
 * sees a read past the end of a line, not just past the end of the input.
 * Built by `make fuzz` (Makefile.am, block "fuzzing") with clang and
 * -fsanitize=fuzzer,address,undefined; seeds are in fuzz/corpus/audit/.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "audit/audit.h"
#include "core/buf.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_IN_FLIGHT	8
#define FUZZ_TIMEOUT_MS	2000
#define FUZZ_TICK_EVERY	4	/* lines between explicit ticks */

static struct fc_buf json;

/* Write the event as JSON and insist that it is one valid JSON object. */
static void
check_event(const struct fc_event *ev, void *arg)
{
	json_error_t err;
	json_t *v;

	fc_buf_reset(&json);
	aud_event_json(ev, &json);
	if (json.overflow)
		return;
	v = json_loadb(json.p, json.len, JSON_ALLOW_NUL, &err);
	if (v == NULL || !json_is_object(v))
		abort();
	json_decref(v);
}

/* Walk every field and decode it, as the builder and rules would. */
static void
walk_fields(const struct aud_record *rec)
{
	struct aud_cursor c;
	struct aud_field f;
	char *out;
	size_t outlen;

	aud_cursor_init(&c, rec->body, rec->bodylen);
	while (aud_cursor_next(&c, &f)) {
		if (f.val == NULL || !aud_field_is_encoded(f.key, f.klen))
			continue;
		/* aud_decode_value needs vlen bytes; malloc(0) may be NULL. */
		if ((out = malloc(f.vlen + 1)) == NULL)
			return;
		if (aud_decode_value(&f, out, &outlen) && outlen > f.vlen)
			abort();
		free(out);
	}
}

static void
feed_lines(struct aud_corr *corr, const uint8_t *data, size_t size)
{
	const uint8_t *p = data, *end = data + size, *nl;
	struct aud_record rec;
	uint64_t now = 0, t;
	unsigned n = 0;
	size_t len;
	char *line;

	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		len = (size_t)((nl != NULL ? nl : end) - p);
		if ((line = malloc(len > 0 ? len : 1)) == NULL)
			return;
		memcpy(line, p, len);
		if (aud_rec_parse_line(line, len, &rec) == AUD_REC_OK) {
			walk_fields(&rec);
			/* Record time, never going back, as falconet replay. */
			t = rec.sec * 1000 + rec.msec;
			if (t > now)
				now = t;
			aud_corr_add(corr, &rec, now);
		}
		free(line);
		if (++n % FUZZ_TICK_EVERY == 0)
			aud_corr_tick(corr, now);
		p += len + 1;
	}
}

static void
feed_netlink(struct aud_corr *corr, const uint8_t *data, size_t size)
{
	struct aud_record rec;
	char *payload;
	size_t len;
	int type;

	if (size < 2)
		return;
	type = data[0] | data[1] << 8;
	len = size - 2;
	if ((payload = malloc(len > 0 ? len : 1)) == NULL)
		return;
	memcpy(payload, data + 2, len);
	if (aud_rec_parse_netlink(type, payload, len, &rec) == AUD_REC_OK) {
		walk_fields(&rec);
		aud_corr_add(corr, &rec, rec.sec * 1000 + rec.msec);
	}
	free(payload);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct aud_corr_opts opts = {
		.max_in_flight = FUZZ_IN_FLIGHT,
		.timeout_ms = FUZZ_TIMEOUT_MS,
	};
	struct aud_corr *corr;

	fc_buf_init(&json, 64u << 20);
	if ((corr = aud_corr_new(&opts, check_event, NULL)) == NULL)
		return 0;
	feed_lines(corr, data, size);
	aud_corr_flush(corr);
	feed_netlink(corr, data, size);
	aud_corr_flush(corr);
	aud_corr_free(corr);
	fc_buf_fini(&json);
	return 0;
}
