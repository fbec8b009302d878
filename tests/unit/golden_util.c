/*
 * golden_util.c - replay audit text through falconet's parser and
 * correlator the way `falconet replay` does, and turn the events into
 * jansson objects for the golden tests.  See golden_util.h.
 *
 * Owns only what it returns (malloc'd strings, new JSON references).
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "golden_util.h"

#define GU_JSON_MAX	(64u << 20)	/* as falconet replay's buffer */

char *
gu_shared_path(const char *rel)
{
	size_t n = strlen(TOP_SRCDIR) + strlen("/../shared/") + strlen(rel) + 1;
	char *p = malloc(n);

	if (p != NULL)
		snprintf(p, n, "%s/../shared/%s", TOP_SRCDIR, rel);
	return p;
}

char *
gu_read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t cap = 0, n = 0, r;

	if (f == NULL)
		return NULL;
	for (;;) {
		if (cap - n < 65536) {
			char *nb = realloc(buf, cap + 65536 + 1);
			if (nb == NULL) {
				free(buf);
				fclose(f);
				return NULL;
			}
			buf = nb;
			cap += 65536;
		}
		if ((r = fread(buf + n, 1, cap - n, f)) == 0)
			break;
		n += r;
	}
	if (ferror(f)) {
		free(buf);
		fclose(f);
		return NULL;
	}
	fclose(f);
	buf[n] = '\0';
	if (len != NULL)
		*len = n;
	return buf;
}

size_t
gu_count_lines(const char *text, size_t len)
{
	size_t i, n = 0;

	for (i = 0; i < len; i++)
		if (text[i] == '\n')
			n++;
	if (len > 0 && text[len - 1] != '\n')
		n++;
	return n;
}

const char *
gu_line(const char *text, size_t len, size_t n, size_t *linelen)
{
	const char *p = text, *end = text + len, *nl;

	while (n > 0) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			return NULL;
		p = nl + 1;
		n--;
	}
	if (p >= end)
		return NULL;
	nl = memchr(p, '\n', (size_t)(end - p));
	*linelen = (size_t)((nl != NULL ? nl : end) - p);
	return p;
}

void
gu_event_id(const struct fc_event *ev, char *buf, size_t bufsz)
{
	snprintf(buf, bufsz, "%" PRIu64 ".%03u:%u", ev->ev_sec,
	    (unsigned)ev->ev_msec, (unsigned)ev->ev_serial);
}

char *
gu_hex(const void *p, size_t len)
{
	static const char hx[] = "0123456789ABCDEF";
	const unsigned char *b = p;
	char *s = malloc(2 * len + 1);
	size_t i;

	if (s == NULL)
		return NULL;
	for (i = 0; i < len; i++) {
		s[2 * i] = hx[b[i] >> 4];
		s[2 * i + 1] = hx[b[i] & 15];
	}
	s[2 * len] = '\0';
	return s;
}

const char *
gu_str(const json_t *obj, const char *key)
{
	return json_string_value(json_object_get(obj, key));
}

const char *
gu_text(const json_t *obj, const char *key, char *buf, size_t bufsz)
{
	const json_t *v = json_object_get(obj, key);

	if (v == NULL)
		return NULL;
	switch (json_typeof(v)) {
	case JSON_STRING:
		return json_string_value(v);
	case JSON_INTEGER:
		snprintf(buf, bufsz, "%" JSON_INTEGER_FORMAT,
		    json_integer_value(v));
		return buf;
	case JSON_TRUE:
		return "true";
	case JSON_FALSE:
		return "false";
	case JSON_NULL:
		return "null";
	default:
		return NULL;
	}
}

/* NUL-separated arguments of the raw proctitle as a JSON array. */
static json_t *
proctitle_argv(const struct fc_str *pt)
{
	json_t *a = json_array(), *s;
	const char *p = pt->p, *end = pt->p + pt->len, *nul;

	while (a != NULL && p < end) {
		nul = memchr(p, '\0', (size_t)(end - p));
		if (nul == NULL)
			nul = end;
		/* json_stringn refuses invalid UTF-8: such an argument shows as null. */
		s = json_stringn(p, (size_t)(nul - p));
		json_array_append_new(a, s != NULL ? s : json_null());
		p = nul + 1;
	}
	return a;
}

/* The index into ev_paths of the PATH record rec, or -1. */
static int
path_index(const struct fc_event *ev, uint32_t rec)
{
	uint32_t i;
	int n = 0;

	if (rec >= ev->ev_nrecords || ev->ev_rec_types[rec] != AUD_T_PATH)
		return -1;
	for (i = 0; i < rec; i++)
		if (ev->ev_rec_types[i] == AUD_T_PATH)
			n++;
	return n < ev->ev_npaths ? n : -1;
}

static void
decorate_paths(const struct fc_event *ev, json_t *paths)
{
	const struct fc_field *f;
	const struct fc_path *pt;
	char hex[24];
	json_t *p, *caps, *fields;
	uint32_t i;
	int k;

	for (i = 0; i < ev->ev_npaths && (p = json_array_get(paths, i)); i++) {
		pt = &ev->ev_paths[i];
		json_object_set_new(p, "_fields", json_object());
		if (!(pt->pt_flags & FC_PT_CAPS))
			continue;
		caps = json_object();
		snprintf(hex, sizeof(hex), "0x%" PRIx64, pt->pt_cap_fp);
		json_object_set_new(caps, "cap_fp", json_string(hex));
		snprintf(hex, sizeof(hex), "0x%" PRIx64, pt->pt_cap_fi);
		json_object_set_new(caps, "cap_fi", json_string(hex));
		json_object_set_new(caps, "cap_fe", json_integer(pt->pt_cap_fe));
		snprintf(hex, sizeof(hex), "0x%x", (unsigned)pt->pt_cap_fver);
		json_object_set_new(caps, "cap_fver", json_string(hex));
		json_object_set_new(p, "_caps", caps);
	}
	for (i = 0; i < ev->ev_nfields; i++) {
		f = &ev->ev_fields[i];
		if ((k = path_index(ev, f->f_rec)) < 0 ||
		    (p = json_array_get(paths, (size_t)k)) == NULL)
			continue;
		fields = json_object_get(p, "_fields");
		json_object_set_new(fields, f->f_key.p, f->f_val.p != NULL ?
		    json_stringn(f->f_val.p, f->f_val.len) : json_null());
	}
}

void
gu_decorate(const struct fc_event *ev, json_t *obj)
{
	const struct fc_sockaddr *sa = &ev->ev_sockaddr;
	json_t *paths = json_object_get(obj, "paths");
	char id[48], *hex;

	gu_event_id(ev, id, sizeof(id));
	json_object_set_new(obj, "_id", json_string(id));
	if (sa->sa_kind != FC_SA_NONE &&
	    (hex = gu_hex(sa->sa_raw.p, sa->sa_raw.len)) != NULL) {
		json_object_set_new(obj, "_saddr_hex", json_string(hex));
		free(hex);
	}
	if (ev->ev_proctitle.p != NULL)
		json_object_set_new(obj, "_proctitle_argv",
		    proctitle_argv(&ev->ev_proctitle));
	if (paths != NULL)
		decorate_paths(ev, paths);
}

/* The JSON object of ev, decorated; NULL if falconet's JSON does not parse. */
static json_t *
event_object(const struct fc_event *ev, gu_decorate_fn decorate)
{
	struct fc_buf b;
	json_error_t err;
	json_t *obj;

	fc_buf_init(&b, GU_JSON_MAX);
	aud_event_json(ev, &b);
	obj = b.overflow ? NULL : json_loadb(b.p, b.len, 0, &err);
	fc_buf_fini(&b);
	if (obj != NULL && decorate != NULL)
		decorate(ev, obj);
	return obj;
}

struct collect {
	json_t		*events;
	gu_decorate_fn	 decorate;
};

static void
collect_event(const struct fc_event *ev, void *arg)
{
	struct collect *c = arg;
	json_t *obj = event_object(ev, c->decorate);

	/* A JSON null marks an event whose JSON did not parse: tests fail on it. */
	json_array_append_new(c->events, obj != NULL ? obj : json_null());
}

/* One line into the correlator, as cmd_replay.c's replay_fd() does. */
static void
feed_line(struct aud_corr *corr, const char *line, size_t len, uint64_t *now,
    struct gu_counts *counts)
{
	struct aud_record rec;
	enum aud_rec_err e;
	uint64_t t;

	counts->lines++;
	e = aud_rec_parse_line(line, len, &rec);
	if (e == AUD_REC_EMPTY)
		return;
	if (e != AUD_REC_OK) {
		counts->malformed++;
		return;
	}
	t = rec.sec * 1000 + rec.msec;
	if (t > *now)
		*now = t;
	aud_corr_add(corr, &rec, *now);
	aud_corr_tick(corr, *now);
}

static void
finish_counts(struct aud_corr *corr, struct gu_counts *counts)
{
	struct aud_corr_stats st;

	aud_corr_flush(corr);
	aud_corr_stats(corr, &st);
	counts->records = st.records;
	counts->events = st.events;
	counts->late_eoe = st.late_eoe;
	counts->dropped = st.dropped;
}

json_t *
gu_replay_json(const char *text, size_t len, gu_decorate_fn decorate,
    struct gu_counts *counts)
{
	struct collect c = { json_array(), decorate };
	struct gu_counts local = { 0 };
	struct aud_corr *corr;
	const char *p = text, *end = text + len, *nl;
	uint64_t now = 0;

	if (c.events == NULL ||
	    (corr = aud_corr_new(NULL, collect_event, &c)) == NULL) {
		json_decref(c.events);
		return NULL;
	}
	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		feed_line(corr, p, (size_t)((nl != NULL ? nl : end) - p), &now,
		    &local);
		p = nl != NULL ? nl + 1 : end;
	}
	finish_counts(corr, &local);
	aud_corr_free(corr);
	if (counts != NULL)
		*counts = local;
	return c.events;
}

int
gu_replay_fd_counts(int fd, struct gu_counts *counts)
{
	struct aud_logread *r = aud_logread_new(fd);
	struct aud_corr *corr;
	const char *line;
	uint64_t now = 0;
	size_t len;
	bool too_long;
	int rc;

	memset(counts, 0, sizeof(*counts));
	if (r == NULL || (corr = aud_corr_new(NULL, NULL, NULL)) == NULL) {
		aud_logread_free(r);
		return -ENOMEM;
	}
	while ((rc = aud_logread_next(r, &line, &len, &too_long)) > 0) {
		if (too_long) {
			counts->lines++;
			counts->malformed++;
			continue;
		}
		feed_line(corr, line, len, &now, counts);
	}
	finish_counts(corr, counts);
	aud_corr_free(corr);
	aud_logread_free(r);
	return rc < 0 ? rc : 0;
}

json_t *
gu_record_json(const char *line, size_t len, gu_decorate_fn decorate,
    enum aud_rec_err *err)
{
	struct aud_record rec;
	struct fc_event ev;
	json_t *obj;

	if ((*err = aud_rec_parse_line(line, len, &rec)) != AUD_REC_OK)
		return NULL;
	fc_event_init(&ev);
	aud_event_add_record(&ev, &rec);
	aud_event_finish(&ev);
	obj = event_object(&ev, decorate);
	fc_event_fini(&ev);
	return obj;
}
