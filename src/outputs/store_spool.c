/*
 * store_spool.c - the alert store's on-disk spool (see store.h): segment
 * files of JSON lines, read back at start, appended by a writer thread.
 *
 * The writer copies references to the alerts it has not written yet out
 * of the ring (a read section, a bounded batch at a time; it never takes
 * the writers' lock), writes them, then marks them visible.  If detection outruns
 * it by more than the ring, the alerts evicted before they were written
 * are counted (spool_dropped) and skipped.  The writer owns every file
 * descriptor and the segment list; other threads read only the atomic
 * counters.
 *
 * fsync policy (enum out_store_fsync): "batch" syncs the current segment
 * after each batch before the alerts become visible, so an acknowledged
 * cursor survives a power loss; "rotate" syncs a segment when it is
 * closed; "none" relies on the page cache (a process crash loses nothing,
 * a power loss the last seconds).  New segments get a directory sync
 * unless the policy is "none".
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "core/buf.h"
#include "outputs/msg.h"
#include "outputs/store_int.h"

#define SPOOL_BATCH	512		/* alerts per writer batch */
#define SPOOL_NAME_LEN	33		/* "alerts-" + 20 digits + ".jsonl" */
#define SPOOL_READ_MAX	(1u << 30)	/* largest segment read back */
#define SPOOL_LINE_MAX	(8u << 20)

struct spool_seg {
	uint64_t	first_id;
	uint64_t	bytes;
};

struct store_spool {
	int			 dirfd;
	struct out_store_spool_opts opts;
	struct spool_seg	*segs;		/* oldest first */
	size_t			 nseg, segcap;
	int			 fd;		/* newest segment, -1: none open */
	uint64_t		 written_id;	/* last id written */
	struct fc_buf		 out;		/* the batch being written */
	/* counters (relaxed atomics: read by out_store_stats) */
	uint64_t		 total_bytes;
	uint64_t		 nsegments;
	uint64_t		 written;
	uint64_t		 dropped;
	uint64_t		 errors;
	uint64_t		 deleted;
};

#define ATOMIC_ADD(p, v)	__atomic_add_fetch((p), (v), __ATOMIC_RELAXED)
#define ATOMIC_SET(p, v)	__atomic_store_n((p), (v), __ATOMIC_RELAXED)
#define ATOMIC_GET(p)		__atomic_load_n((p), __ATOMIC_RELAXED)

/* ---- messages from spool lines ---------------------------------------- */

static char *
put(char **p, const char *s, size_t len)
{
	char *start = *p;

	memcpy(start, s, len);
	start[len] = '\0';
	*p += len + 1;
	return start;
}

/*
 * Same layout as msg.c: one allocation, strings after the struct.  The
 * text form is not spooled (the API serves the JSON form only): a
 * restored message has an empty text.
 */
static struct out_msg *
msg_build(json_t *hdr, const char *json, size_t jlen)
{
	const char *rule, *src, *cid;
	size_t rl, sl, cl;
	struct out_msg *m;
	char *p;

	rule = json_string_value(json_object_get(hdr, "rule"));
	src = json_string_value(json_object_get(hdr, "source"));
	cid = json_string_value(json_object_get(hdr, "container_id"));
	if (rule == NULL || src == NULL || cid == NULL)
		return NULL;
	rl = strlen(rule), sl = strlen(src), cl = strlen(cid);
	m = malloc(sizeof(*m) + rl + sl + cl + jlen + 5);
	if (m == NULL)
		return NULL;
	p = (char *)(m + 1);
	m->id = (uint64_t)json_integer_value(json_object_get(hdr, "id"));
	m->time_ns = (uint64_t)json_integer_value(
	    json_object_get(hdr, "time_ns"));
	m->priority = (int)json_integer_value(json_object_get(hdr,
	    "priority"));
	m->rule = put(&p, rule, rl);
	m->source = put(&p, src, sl);
	m->container_id = put(&p, cid, cl);
	m->json = put(&p, json, jlen);
	m->json_len = jlen;
	m->text = put(&p, "", 0);
	m->text_len = 0;
	m->refs = 1;
	return m;
}

/*
 * A line is {header fields,"alert":<Falco JSON>}.  Only the header is
 * parsed (the alert bytes are kept verbatim, so the API serves exactly
 * what was formatted); the first ,"alert": is the separator, since a
 * JSON string cannot hold an unescaped quote.
 */
struct out_msg *
store_spool_parse_line(const char *line, size_t len)
{
	static const char key[] = ",\"alert\":";
	struct out_msg *m = NULL;
	json_t *hdr, *id, *pri;
	const char *a;
	char *h;
	size_t hl;

	a = memmem(line, len, key, sizeof(key) - 1);
	if (a == NULL || len < 4 || line[len - 1] != '}' ||
	    a[sizeof(key) - 1] != '{' || line[len - 2] != '}')
		return NULL;
	hl = (size_t)(a - line);
	h = malloc(hl + 2);
	if (h == NULL)
		return NULL;
	memcpy(h, line, hl);
	h[hl] = '}';
	hdr = json_loadb(h, hl + 1, JSON_REJECT_DUPLICATES, NULL);
	free(h);
	if (hdr == NULL)
		return NULL;
	id = json_object_get(hdr, "id");
	pri = json_object_get(hdr, "priority");
	if (json_is_integer(id) && json_integer_value(id) > 0 &&
	    json_is_integer(pri) && json_integer_value(pri) >= 0 &&
	    json_integer_value(pri) <= FC_PRI_MAX &&
	    json_is_integer(json_object_get(hdr, "time_ns"))) {
		a += sizeof(key) - 1;
		m = msg_build(hdr, a, (size_t)(line + len - 1 - a));
	}
	json_decref(hdr);
	return m;
}

static void
format_line(struct fc_buf *b, const struct out_msg *m)
{
	bool first = true;

	fc_buf_addc(b, '{');
	fc_json_ku64(b, &first, "id", m->id);
	fc_json_ku64(b, &first, "time_ns", m->time_ns);
	fc_json_ki64(b, &first, "priority", m->priority);
	fc_json_kstr(b, &first, "rule", m->rule, strlen(m->rule));
	fc_json_kstr(b, &first, "source", m->source, strlen(m->source));
	fc_json_kstr(b, &first, "container_id", m->container_id,
	    strlen(m->container_id));
	fc_json_key(b, &first, "alert");
	if (m->json_len > 0)
		fc_buf_add(b, m->json, m->json_len);
	else
		fc_buf_adds(b, "{}");
	fc_buf_adds(b, "}\n");
}

/* ---- segment list ----------------------------------------------------- */

static void
seg_name(char *buf, uint64_t first_id)
{
	snprintf(buf, SPOOL_NAME_LEN + 1, "alerts-%020" PRIu64 ".jsonl",
	    first_id);
}

/* "alerts-<20 digits>.jsonl" -> first id; false for anything else. */
static bool
seg_parse_name(const char *name, uint64_t *first_id)
{
	uint64_t v = 0;
	size_t i;

	if (strlen(name) != SPOOL_NAME_LEN || strncmp(name, "alerts-", 7) ||
	    strcmp(name + 27, ".jsonl"))
		return false;
	for (i = 7; i < 27; i++) {
		if (name[i] < '0' || name[i] > '9' ||
		    v > (UINT64_MAX - 9) / 10)
			return false;
		v = v * 10 + (uint64_t)(name[i] - '0');
	}
	*first_id = v;
	return true;
}

static int
seg_append(struct store_spool *sp, uint64_t first_id, uint64_t bytes)
{
	struct spool_seg *n;

	if (sp->nseg == sp->segcap) {
		n = realloc(sp->segs, (sp->segcap ? sp->segcap * 2 : 16) *
		    sizeof(*n));
		if (n == NULL)
			return -1;
		sp->segs = n;
		sp->segcap = sp->segcap ? sp->segcap * 2 : 16;
	}
	sp->segs[sp->nseg++] = (struct spool_seg){ first_id, bytes };
	ATOMIC_ADD(&sp->total_bytes, bytes);
	ATOMIC_SET(&sp->nsegments, sp->nseg);
	return 0;
}

static int
seg_cmp(const void *a, const void *b)
{
	const struct spool_seg *x = a, *y = b;

	return x->first_id < y->first_id ? -1 : x->first_id > y->first_id;
}

static int
seg_scan(struct store_spool *sp, char *err)
{
	struct dirent *de;
	struct stat st;
	uint64_t first;
	DIR *d;
	int fd;

	fd = dup(sp->dirfd);
	d = fd >= 0 ? fdopendir(fd) : NULL;
	if (d == NULL) {
		snprintf(err, OUT_STORE_ERRLEN, "spool: %s", strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		if (!seg_parse_name(de->d_name, &first) ||
		    fstatat(sp->dirfd, de->d_name, &st,
		    AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(st.st_mode))
			continue;
		if (seg_append(sp, first, (uint64_t)st.st_size) != 0) {
			closedir(d);
			snprintf(err, OUT_STORE_ERRLEN, "out of memory");
			return -1;
		}
	}
	closedir(d);
	if (sp->nseg > 1)
		qsort(sp->segs, sp->nseg, sizeof(*sp->segs), seg_cmp);
	return 0;
}

/* Delete the oldest segments until a new one of segment_bytes fits. */
static void
seg_trim(struct store_spool *sp)
{
	char name[SPOOL_NAME_LEN + 1];

	while (sp->nseg > 0 && ATOMIC_GET(&sp->total_bytes) +
	    sp->opts.segment_bytes > sp->opts.max_bytes) {
		seg_name(name, sp->segs[0].first_id);
		if (unlinkat(sp->dirfd, name, 0) != 0 && errno != ENOENT)
			ATOMIC_ADD(&sp->errors, 1);
		ATOMIC_ADD(&sp->total_bytes, -sp->segs[0].bytes);
		ATOMIC_ADD(&sp->deleted, 1);
		memmove(sp->segs, sp->segs + 1, --sp->nseg * sizeof(*sp->segs));
		ATOMIC_SET(&sp->nsegments, sp->nseg);
	}
}

/* ---- reading back ----------------------------------------------------- */

struct msgvec {
	struct out_msg	**v;
	size_t		  n, cap;
};

static int
vec_push(struct msgvec *mv, struct out_msg *m)
{
	struct out_msg **n;

	if (mv->n == mv->cap) {
		n = realloc(mv->v, (mv->cap ? mv->cap * 2 : 256) * sizeof(*n));
		if (n == NULL)
			return -1;
		mv->v = n;
		mv->cap = mv->cap ? mv->cap * 2 : 256;
	}
	mv->v[mv->n++] = m;
	return 0;
}

static void
vec_free(struct msgvec *mv, size_t from)
{
	size_t i;

	for (i = from; i < mv->n; i++)
		out_msg_unref(mv->v[i]);
	free(mv->v);
}

static char *
read_file(int dirfd, const char *name, size_t *len)
{
	struct stat st;
	char *buf = NULL;
	ssize_t r;
	size_t got = 0;
	int fd;

	fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0 || fstat(fd, &st) != 0 || st.st_size > SPOOL_READ_MAX)
		goto fail;
	buf = malloc((size_t)st.st_size + 1);
	if (buf == NULL)
		goto fail;
	while (got < (size_t)st.st_size &&
	    (r = read(fd, buf + got, (size_t)st.st_size - got)) > 0)
		got += (size_t)r;
	close(fd);
	*len = got;
	return buf;
fail:
	if (fd >= 0)
		close(fd);
	free(buf);
	return NULL;
}

/*
 * Parse one segment into mv (ids increasing, after *last).  Returns the
 * offset just past the last valid line (where a torn tail starts).
 */
static size_t
seg_parse(const char *buf, size_t len, struct msgvec *mv, uint64_t *last)
{
	size_t off = 0, good = 0;
	const char *nl;
	struct out_msg *m;

	while (off < len && (nl = memchr(buf + off, '\n', len - off))) {
		m = (size_t)(nl - buf - off) <= SPOOL_LINE_MAX ?
		    store_spool_parse_line(buf + off, (size_t)(nl - buf - off)) :
		    NULL;
		off = (size_t)(nl - buf) + 1;
		if (m == NULL || m->id <= *last || vec_push(mv, m) != 0) {
			out_msg_unref(m);
			continue;
		}
		*last = m->id;
		good = off;
	}
	return good;
}

/* Read segment i into out (appended newest first); the newest segment
 * loses its torn tail.  Sets *last_id from the newest readable line. */
static void
seg_read(struct store_spool *sp, size_t i, struct msgvec *out,
    uint64_t *last_id)
{
	char name[SPOOL_NAME_LEN + 1];
	struct msgvec mv = { 0 };
	uint64_t last = 0;
	size_t len, good, k;
	char *buf;

	seg_name(name, sp->segs[i].first_id);
	buf = read_file(sp->dirfd, name, &len);
	if (buf == NULL) {
		ATOMIC_ADD(&sp->errors, 1);
		return;
	}
	good = seg_parse(buf, len, &mv, &last);
	free(buf);
	if (i + 1 == sp->nseg && good < sp->segs[i].bytes) {
		int fd = openat(sp->dirfd, name, O_WRONLY | O_CLOEXEC);

		if (fd < 0 || ftruncate(fd, (off_t)good) != 0)
			ATOMIC_ADD(&sp->errors, 1);
		if (fd >= 0)
			close(fd);
		ATOMIC_ADD(&sp->total_bytes, good - sp->segs[i].bytes);
		sp->segs[i].bytes = good;
	}
	if (*last_id == 0)
		*last_id = last;
	for (k = mv.n; k > 0; k--)
		if (vec_push(out, mv.v[k - 1]) != 0)
			out_msg_unref(mv.v[k - 1]);
	free(mv.v);
}

/* Put the newest ring-size restored alerts (all newest first) into s
 * (before any other thread runs). */
static void
restore_ring(struct out_store *s, struct msgvec *all, uint64_t next_id)
{
	size_t n = all->n < s->cap ? all->n : s->cap, k;
	uint64_t first;

	first = n > 0 ? all->v[n - 1]->id : next_id;
	if (next_id - first > s->cap)
		first = next_id - s->cap;
	s->first_id = first;
	s->next_id = next_id;
	s->visible = next_id - 1;
	for (k = n; k > 0; k--) {
		struct out_msg *m = all->v[k - 1];

		if (m->id < first) {
			out_msg_unref(m);
			continue;
		}
		s->ring[m->id % s->cap] = m;
		s->restored++;
	}
	vec_free(all, n);
}

static void
spool_restore(struct out_store *s, struct store_spool *sp)
{
	struct msgvec all = { 0 };
	uint64_t last_id = 0, next_id = 1;
	size_t i;

	for (i = sp->nseg; i > 0 && all.n < s->cap; i--)
		seg_read(sp, i - 1, &all, &last_id);
	if (last_id == 0)	/* only empty or unreadable newest segments */
		for (i = 0; i < all.n; i++)
			if (all.v[i]->id > last_id)
				last_id = all.v[i]->id;
	next_id = last_id + 1;
	if (sp->nseg > 0 && sp->segs[sp->nseg - 1].first_id > next_id)
		next_id = sp->segs[sp->nseg - 1].first_id;
	sp->written_id = next_id - 1;
	restore_ring(s, &all, next_id);
}

int
store_spool_open(struct out_store *s, const char *dir,
    const struct out_store_spool_opts *o, char *err)
{
	struct store_spool *sp;

	if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
		snprintf(err, OUT_STORE_ERRLEN, "spool directory %s: %s",
		    dir, strerror(errno));
		return -1;
	}
	sp = calloc(1, sizeof(*sp));
	if (sp == NULL) {
		snprintf(err, OUT_STORE_ERRLEN, "out of memory");
		return -1;
	}
	sp->opts = *o;
	sp->fd = -1;
	fc_buf_init(&sp->out, 64u << 20);
	s->spool = sp;
	sp->dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (sp->dirfd < 0) {
		snprintf(err, OUT_STORE_ERRLEN, "spool directory %s: %s",
		    dir, strerror(errno));
		return -1;
	}
	if (seg_scan(sp, err) != 0)
		return -1;
	spool_restore(s, sp);
	return 0;
}

void
store_spool_free(struct store_spool *sp)
{
	if (sp == NULL)
		return;
	if (sp->fd >= 0)
		close(sp->fd);
	if (sp->dirfd >= 0)
		close(sp->dirfd);
	fc_buf_fini(&sp->out);
	free(sp->segs);
	free(sp);
}

void
store_spool_stats(const struct store_spool *sp, struct out_store_stats *st)
{
	st->spool = true;
	st->spool_bytes = ATOMIC_GET(&sp->total_bytes);
	st->spool_segments = ATOMIC_GET(&sp->nsegments);
	st->spool_written = ATOMIC_GET(&sp->written);
	st->spool_dropped = ATOMIC_GET(&sp->dropped);
	st->spool_errors = ATOMIC_GET(&sp->errors);
	st->spool_deleted = ATOMIC_GET(&sp->deleted);
}

/* ---- writing ---------------------------------------------------------- */

static void
seg_close(struct store_spool *sp)
{
	if (sp->fd < 0)
		return;
	if (sp->opts.fsync != OUT_STORE_FSYNC_NONE && fdatasync(sp->fd) != 0)
		ATOMIC_ADD(&sp->errors, 1);
	close(sp->fd);
	sp->fd = -1;
}

/* Continue the newest segment if it has room, else start one at id. */
static int
seg_open(struct store_spool *sp, uint64_t id)
{
	char name[SPOOL_NAME_LEN + 1];
	struct spool_seg *cur;

	cur = sp->nseg > 0 ? &sp->segs[sp->nseg - 1] : NULL;
	if (cur != NULL && cur->bytes < sp->opts.segment_bytes) {
		seg_name(name, cur->first_id);
		sp->fd = openat(sp->dirfd, name, O_WRONLY | O_APPEND |
		    O_CLOEXEC | O_NOFOLLOW);
		return sp->fd >= 0 ? 0 : -1;
	}
	seg_trim(sp);
	seg_name(name, id);
	sp->fd = openat(sp->dirfd, name, O_WRONLY | O_APPEND | O_CREAT |
	    O_CLOEXEC | O_NOFOLLOW, 0600);
	if (sp->fd < 0 || seg_append(sp, id, 0) != 0)
		return -1;
	if (sp->opts.fsync != OUT_STORE_FSYNC_NONE && fsync(sp->dirfd) != 0)
		ATOMIC_ADD(&sp->errors, 1);
	return 0;
}

static int
write_all(int fd, const char *p, size_t len)
{
	ssize_t w;

	while (len > 0) {
		w = write(fd, p, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		len -= (size_t)w;
	}
	return 0;
}

/* Write what sp->out holds to the current segment. */
static void
flush_out(struct store_spool *sp, size_t count)
{
	if (sp->out.len == 0)
		return;
	if (sp->fd < 0 || write_all(sp->fd, sp->out.p, sp->out.len) != 0) {
		ATOMIC_ADD(&sp->errors, 1);
	} else {
		sp->segs[sp->nseg - 1].bytes += sp->out.len;
		ATOMIC_ADD(&sp->total_bytes, sp->out.len);
		ATOMIC_ADD(&sp->written, count);
	}
	fc_buf_reset(&sp->out);
}

static void
spool_write_batch(struct store_spool *sp, struct out_msg **batch, size_t n)
{
	size_t i, pending = 0, before;
	uint64_t segbytes;

	for (i = 0; i < n; i++) {
		before = sp->out.len;
		format_line(&sp->out, batch[i]);
		segbytes = sp->fd >= 0 ? sp->segs[sp->nseg - 1].bytes : 0;
		if (sp->fd < 0 || (segbytes + before > 0 && segbytes +
		    sp->out.len > sp->opts.segment_bytes)) {
			/* Flush the lines before this one, then rotate. */
			sp->out.len = before;
			flush_out(sp, pending);
			pending = 0;
			seg_close(sp);
			if (seg_open(sp, batch[i]->id) != 0)
				ATOMIC_ADD(&sp->errors, 1);
			format_line(&sp->out, batch[i]);
		}
		pending++;
	}
	flush_out(sp, pending);
	if (sp->opts.fsync == OUT_STORE_FSYNC_BATCH && sp->fd >= 0 &&
	    fdatasync(sp->fd) != 0)
		ATOMIC_ADD(&sp->errors, 1);
}

/* References to the next batch to write, in id order (a read section:
 * the writer never takes the writers' lock). */
static size_t
take_batch(struct out_store *s, struct store_spool *sp,
    struct out_msg **batch, uint64_t *last)
{
	uint64_t from = sp->written_id + 1, next, first, id, e;
	struct out_msg *m;
	size_t n = 0;

	e = store_read_begin(s);
	next = ST_LOAD(&s->next_id);
	first = ST_LOAD(&s->first_id);
	if (from < first) {
		ATOMIC_ADD(&sp->dropped, first - from);
		from = first;
	}
	for (id = from; id < next && n < SPOOL_BATCH; id++) {
		if ((m = store_ring_get(s, id)) != NULL)
			batch[n++] = out_msg_ref(m);
		else
			ATOMIC_ADD(&sp->dropped, 1);	/* evicted meanwhile */
	}
	store_read_end(s, e);
	*last = id - 1;
	return n;
}

/* Sleep until an alert is added or the store stops (work_seq). */
static void
wait_work(struct out_store *s, struct store_spool *sp)
{
	uint32_t seq;

	ST_STORE(&s->writer_idle, 1);
	for (;;) {
		seq = ST_LOAD(&s->work_seq);
		if (sp->written_id + 1 < ST_LOAD(&s->next_id) ||
		    ST_LOAD(&s->stop))
			break;
		store_futex_wait(&s->work_seq, seq, 1000);
	}
	ST_STORE(&s->writer_idle, 0);
}

static void *
spool_main(void *arg)
{
	struct out_msg *batch[SPOOL_BATCH];
	struct out_store *s = arg;
	struct store_spool *sp = s->spool;
	uint64_t last;
	size_t n, i;

	for (;;) {
		if (sp->written_id + 1 >= ST_LOAD(&s->next_id)) {
			if (ST_LOAD(&s->stop))
				break;
			wait_work(s, sp);
			continue;
		}
		n = take_batch(s, sp, batch, &last);
		spool_write_batch(sp, batch, n);
		for (i = 0; i < n; i++)
			out_msg_unref(batch[i]);
		sp->written_id = last;
		store_publish(s, last);
		store_wake(s);
	}
	seg_close(sp);
	return NULL;
}

int
store_spool_start(struct out_store *s)
{
	if (pthread_create(&s->writer, NULL, spool_main, s) != 0)
		return -1;
	s->writer_started = true;
	return 0;
}

void
store_spool_stop(struct out_store *s)
{
	ST_STORE(&s->stop, 1);
	ST_ADD(&s->work_seq, 1);
	store_futex_wake(&s->work_seq);
	pthread_join(s->writer, NULL);
	s->writer_started = false;
}
