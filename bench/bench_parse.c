/*
 * bench_parse.c - records/s of falconet's parser + correlator against
 * libauparse walking every field, on the same in-memory corpus, in the
 * same process.  Not a test: `make bench` builds and runs it.
 *
 * The corpus (an audit.log, gzip'd) is decompressed once and repeated
 * until it holds at least -r records.  Each copy is shifted in time and
 * serial (see corpus_repeat) so the result reads as one longer log: no
 * two copies share an event identity, and time only moves forward, so
 * both sides group and age events exactly as they do on one copy.
 *
 * Every benchmark is one entry of the benches[] table, run -n times,
 * interleaved (a round runs each entry once, every other round in
 * reverse order); the best run is reported.  A falconet entry is a list
 * of stages that run on every complete event after the correlator; to
 * measure another consumer (the rule engine, ...) write a stage and add
 * an entry, nothing else changes.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <auparse.h>

#include "audit/audit.h"
#include "core/buf.h"
#include "outputs/alert.h"
#include "rules/engine.h"
#include "core/buf.h"
#include "outputs/alert.h"
#include "rules/engine.h"

#define DEFAULT_MIN_RECORDS	1000000
#define DEFAULT_RUNS		3
#define MAX_RUNS		100
#define MAX_STAGES		4
#define FEED_CHUNK		(64u << 10)
#define COPY_GAP_SEC		60	/* between copies: far past any 2 s timeout */
#define STAMP_GROWTH		48	/* bytes a rewritten stamp may grow by */

struct opts {
	const char	*corpus;
	const char	*rules;		/* rules file of the rules stage */
	uint64_t	 min_records;
	unsigned	 runs;
	const char	*only;		/* run only labels containing this */
};

struct corpus {
	char		*text;		/* NUL-terminated lines */
	size_t		 len;
	uint64_t	 lines;		/* lines of one copy */
	unsigned	 copies;
	size_t		 copy_len;	/* bytes of one copy, before rewriting */
};

/* What one run saw, and what it cost. */
struct result {
	uint64_t	 records, events, fields;
	uint64_t	 check;		/* folded from what was read: keeps the work alive */
	double		 wall, cpu;	/* seconds */
};

/* ---- Stages: consumers of falconet's events ---------------------------- */

/*
 * A stage runs on every complete event, after the correlator.  setup runs
 * once, untimed (load rules...); open, event and close run in every timed
 * run.  close returns a checksum and frees the state.
 */
struct stage {
	const char	*name;
	int		 (*setup)(const struct opts *o);
	void		*(*open)(void);
	void		 (*event)(void *st, const struct fc_event *ev);
	uint64_t	 (*close)(void *st);
};

struct touch_state {
	uint64_t	 sum;
};

static void *
touch_open(void)
{
	return calloc(1, sizeof(struct touch_state));
}

/* Read what every consumer reads: records, argv, comm, paths. */
static void
touch_event(void *st, const struct fc_event *ev)
{
	struct touch_state *ts = st;
	uint32_t i;

	ts->sum += ev->ev_nrecords + ev->ev_comm.len + ev->ev_npaths;
	for (i = 0; i < ev->ev_nargv; i++)
		ts->sum += ev->ev_argv[i].len;
}

static uint64_t
touch_close(void *st)
{
	uint64_t sum = ((struct touch_state *)st)->sum;

	free(st);
	return sum;
}

static const struct stage stage_touch = {
	"touch", NULL, touch_open, touch_event, touch_close,
};

struct json_state {
	struct fc_buf	 buf;
	uint64_t	 bytes;
};

static void *
json_open(void)
{
	struct json_state *js = calloc(1, sizeof(*js));

	if (js != NULL)
		fc_buf_init(&js->buf, 64u << 20);
	return js;
}

static void
json_event(void *st, const struct fc_event *ev)
{
	struct json_state *js = st;

	fc_buf_reset(&js->buf);
	aud_event_json(ev, &js->buf);
	js->bytes += js->buf.len;
}

static uint64_t
json_close(void *st)
{
	struct json_state *js = st;
	uint64_t bytes = js->bytes;

	fc_buf_fini(&js->buf);
	free(js);
	return bytes;
}

static const struct stage stage_json = {
	"json", NULL, json_open, json_event, json_close,
};

/*
 * The rule engine: every event through a matcher over the rules loaded in
 * setup (the stable upstream rules by default), alerts formatted as
 * Falco's JSON as an output would.  The engine is loaded once, untimed;
 * each run gets its own matcher.
 */
static struct rule_engine *bench_engine;

struct rules_state {
	struct rule_matcher	*m;
	struct fc_buf		 buf;
	struct fc_alert_format	 fmt;
	uint64_t		 alerts, bytes;
};

static int
rules_setup(const struct opts *o)
{
	if (bench_engine != NULL)
		return 0;
	bench_engine = rule_engine_load(&o->rules, 1, NULL);
	if (bench_engine == NULL || !rule_engine_ok(bench_engine)) {
		fprintf(stderr, "bench_parse: cannot load rules '%s' (see "
		    "falconet validate)\n", o->rules);
		return -1;
	}
	return 0;
}

static void *
rules_open(void)
{
	struct rules_state *rs = calloc(1, sizeof(*rs));

	if (rs == NULL)
		return NULL;
	if ((rs->m = rule_matcher_new(bench_engine)) == NULL) {
		free(rs);
		return NULL;
	}
	fc_buf_init(&rs->buf, 1u << 20);
	fc_alert_format_defaults(&rs->fmt);
	rs->fmt.json = true;
	return rs;
}

static void
rules_alert(const struct fc_alert *a, void *arg)
{
	struct rules_state *rs = arg;

	fc_buf_reset(&rs->buf);
	fc_alert_format(a, &rs->fmt, &rs->buf);
	rs->alerts++;
	rs->bytes += rs->buf.len;
}

static void
rules_event(void *st, const struct fc_event *ev)
{
	struct rules_state *rs = st;

	(void)rule_matcher_eval(rs->m, ev, rules_alert, rs);
}

static uint64_t
rules_close(void *st)
{
	struct rules_state *rs = st;
	uint64_t sum = rs->alerts * 1000003u + rs->bytes;

	rule_matcher_free(rs->m);
	fc_buf_fini(&rs->buf);
	free(rs);
	return sum;
}

static const struct stage stage_rules = {
	"rules", rules_setup, rules_open, rules_event, rules_close,
};

/* ---- falconet side ------------------------------------------------------ */

struct pipeline {
	const struct stage *const *stages;
	void		*state[MAX_STAGES];
	unsigned	 n;
};

static void
pipeline_event(const struct fc_event *ev, void *arg)
{
	struct pipeline *pl = arg;
	unsigned i;

	for (i = 0; i < pl->n; i++)
		pl->stages[i]->event(pl->state[i], ev);
}

/* Open the stages of pl; false (all closed again) on failure. */
static bool
pipeline_open(struct pipeline *pl, const struct stage *const *stages)
{
	pl->stages = stages;
	for (pl->n = 0; pl->n < MAX_STAGES && stages[pl->n] != NULL; pl->n++) {
		if ((pl->state[pl->n] = stages[pl->n]->open()) == NULL) {
			while (pl->n-- > 0)
				(void)stages[pl->n]->close(pl->state[pl->n]);
			return false;
		}
	}
	return true;
}

static uint64_t
pipeline_close(struct pipeline *pl)
{
	uint64_t sum = 0;
	unsigned i;

	for (i = 0; i < pl->n; i++)
		sum += pl->stages[i]->close(pl->state[i]);
	return sum;
}

/*
 * What `falconet replay` does, minus I/O: split lines, parse, correlate
 * with the records' own time as the clock, flush at the end.
 */
static int
run_falconet(const struct stage *const *stages, const struct corpus *cp,
    struct result *r)
{
	const char *p = cp->text, *end = cp->text + cp->len, *nl;
	struct aud_corr_stats st;
	struct pipeline pl;
	struct aud_corr *corr;
	struct aud_record rec;
	uint64_t now = 0, t;
	size_t len;

	if (!pipeline_open(&pl, stages))
		return -1;
	if ((corr = aud_corr_new(NULL, pipeline_event, &pl)) == NULL) {
		(void)pipeline_close(&pl);
		return -1;
	}
	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		len = nl != NULL ? (size_t)(nl - p) : (size_t)(end - p);
		if (aud_rec_parse_line(p, len, &rec) == AUD_REC_OK) {
			t = rec.sec * 1000 + rec.msec;
			if (t > now)
				now = t;
			aud_corr_add(corr, &rec, now);
			aud_corr_tick(corr, now);
		}
		p += len + 1;
	}
	aud_corr_flush(corr);
	aud_corr_stats(corr, &st);
	aud_corr_free(corr);
	r->records = st.records;
	r->events = st.events;
	r->fields = 0;
	r->check = pipeline_close(&pl);
	return 0;
}

/* ---- libauparse side ---------------------------------------------------- */

enum {
	WALK_INTERPRET = 1u << 0,	/* also auparse_interpret_field */
	WALK_FEED = 1u << 1,		/* AUSOURCE_FEED instead of AUSOURCE_BUFFER */
};

struct walk {
	unsigned	 flags;
	struct result	*r;
};

/* Every record, every field of the current event. */
static void
walk_event(auparse_state_t *au, struct walk *w)
{
	struct result *r = w->r;
	const char *name, *val;

	r->events++;
	if (auparse_first_record(au) <= 0)
		return;
	do {
		r->records++;
		if (auparse_first_field(au) <= 0)
			continue;
		do {
			name = auparse_get_field_name(au);
			val = auparse_get_field_str(au);
			r->fields++;
			r->check += (name != NULL ? (uint8_t)name[0] : 0) +
			    (val != NULL ? (uint8_t)val[0] : 0);
			if (w->flags & WALK_INTERPRET &&
			    (val = auparse_interpret_field(au)) != NULL)
				r->check += (uint8_t)val[0];
		} while (auparse_next_field(au) > 0);
	} while (auparse_next_record(au) > 0);
}

static void
walk_feed_cb(auparse_state_t *au, auparse_cb_event_t type, void *arg)
{
	if (type == AUPARSE_CB_EVENT_READY)
		walk_event(au, arg);
}

static int
run_auparse(unsigned flags, const struct corpus *cp, struct result *r)
{
	struct walk w = { flags, r };
	auparse_state_t *au;
	size_t off, n;

	memset(r, 0, sizeof(*r));
	if (flags & WALK_FEED) {
		if ((au = auparse_init(AUSOURCE_FEED, NULL)) == NULL)
			return -1;
		auparse_add_callback(au, walk_feed_cb, &w, NULL);
		for (off = 0; off < cp->len; off += n) {
			n = cp->len - off < FEED_CHUNK ? cp->len - off : FEED_CHUNK;
			if (auparse_feed(au, cp->text + off, n) < 0) {
				auparse_destroy(au);
				return -1;
			}
		}
		auparse_flush_feed(au);
	} else {
		/* Copies the text once (strlen + memcpy): part of the cost. */
		if ((au = auparse_init(AUSOURCE_BUFFER, cp->text)) == NULL)
			return -1;
		while (auparse_next_event(au) > 0)
			walk_event(au, &w);
	}
	auparse_destroy(au);
	return 0;
}

/* ---- The table -------------------------------------------------------- */

enum side { FALCONET, AUPARSE };

struct bench {
	const char	*label;
	enum side	 side;
	const struct stage *stages[MAX_STAGES + 1];	/* FALCONET */
	unsigned	 walk_flags;			/* AUPARSE */
	bool		 baseline;	/* a plain walk: the faster one is the reference */
	double		 target;	/* the ratio it must reach (its issue's); 0 none */
	struct result	 best;		/* best wall time; best.cpu is the best cpu */
	bool		 ran;
	unsigned	 nruns;
	double		 wall[MAX_RUNS], cpu[MAX_RUNS];	/* per round */
};

static struct bench benches[] = {
	{ .label = "falconet: parse + correlate", .side = FALCONET,
	    .stages = { &stage_touch, NULL }, .target = 3.0 },
	{ .label = "falconet: parse + correlate + JSON", .side = FALCONET,
	    .stages = { &stage_touch, &stage_json, NULL } },
	{ .label = "falconet: parse + correlate + rules", .side = FALCONET,
	    .stages = { &stage_touch, &stage_rules, NULL }, .target = 1.5 },
	{ .label = "libauparse: walk (name+str), buffer", .side = AUPARSE,
	    .baseline = true },
	{ .label = "libauparse: walk (name+str), feed", .side = AUPARSE,
	    .walk_flags = WALK_FEED, .baseline = true },
	{ .label = "libauparse: walk + interpret_field", .side = AUPARSE,
	    .walk_flags = WALK_INTERPRET },
};
#define NBENCH	(sizeof(benches) / sizeof(benches[0]))

static double
now_sec(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Not inlined: callgrind --toggle-collect=bench_run measures only the runs. */
__attribute__((noinline)) static int
bench_run(struct bench *b, const struct corpus *cp, struct result *r)
{
	double w0, c0;
	int rc;

	memset(r, 0, sizeof(*r));
	w0 = now_sec(CLOCK_MONOTONIC);
	c0 = now_sec(CLOCK_PROCESS_CPUTIME_ID);
	if (b->side == FALCONET)
		rc = run_falconet(b->stages, cp, r);
	else
		rc = run_auparse(b->walk_flags, cp, r);
	r->cpu = now_sec(CLOCK_PROCESS_CPUTIME_ID) - c0;
	r->wall = now_sec(CLOCK_MONOTONIC) - w0;
	return rc;
}

static void
bench_keep_best(struct bench *b, const struct result *r)
{
	double cpu = b->ran && b->best.cpu < r->cpu ? b->best.cpu : r->cpu;

	if (!b->ran || r->wall < b->best.wall)
		b->best = *r;
	b->best.cpu = cpu;
	b->ran = true;
	b->wall[b->nruns] = r->wall;
	b->cpu[b->nruns++] = r->cpu;
}

/* ---- Corpus -------------------------------------------------------------- */

/* Decompress path with gzip -dc into a malloc'd buffer. */
static char *
load_gz(const char *path, size_t *lenp)
{
	size_t cmdlen = strlen(path) * 4 + 32, len = 0, cap = 64u << 20, n;
	char *cmd = malloc(cmdlen), *buf = malloc(cap), *q, *nb;
	const char *s;
	FILE *f;
	int status;

	if (cmd == NULL || buf == NULL)
		goto fail;
	/* Single-quote the path for the shell ('\'' for a quote inside). */
	q = cmd + sprintf(cmd, "gzip -dc -- '");
	for (s = path; *s != '\0'; s++)
		q = *s == '\'' ? q + sprintf(q, "'\\''") : (*q = *s, q + 1);
	strcpy(q, "'");
	if ((f = popen(cmd, "r")) == NULL)
		goto fail;
	while ((n = fread(buf + len, 1, cap - len, f)) > 0) {
		len += n;
		if (len == cap) {
			if ((nb = realloc(buf, cap * 2)) == NULL) {
				pclose(f);
				goto fail;
			}
			buf = nb;
			cap *= 2;
		}
	}
	status = pclose(f);
	if (status != 0 || len == 0) {
		fprintf(stderr, "bench_parse: cannot read '%s' with gzip -dc\n",
		    path);
		goto fail;
	}
	free(cmd);
	*lenp = len;
	return buf;
fail:
	free(cmd);
	free(buf);
	return NULL;
}

struct stamp {
	size_t		 at, end;	/* "audit(" .. past ")" within the line */
	uint64_t	 sec, serial;
	const char	*msec;		/* the msec digits as written */
	size_t		 msec_len;
};

static bool
scan_dec(const char **pp, const char *end, uint64_t *v)
{
	const char *p = *pp;

	*v = 0;
	while (p < end && *p >= '0' && *p <= '9' && p - *pp < 19)
		*v = *v * 10 + (uint64_t)(*p++ - '0');
	if (p == *pp)
		return false;
	*pp = p;
	return true;
}

/* Find "audit(SEC.MSEC:SERIAL)" in the line. */
static bool
find_stamp(const char *line, size_t len, struct stamp *st)
{
	const char *end = line + len, *p, *a;

	if ((a = memmem(line, len, "audit(", 6)) == NULL)
		return false;
	p = a + 6;
	if (!scan_dec(&p, end, &st->sec) || p >= end || *p++ != '.')
		return false;
	st->msec = p;
	while (p < end && *p >= '0' && *p <= '9')
		p++;
	st->msec_len = (size_t)(p - st->msec);
	if (p >= end || *p++ != ':' || !scan_dec(&p, end, &st->serial) ||
	    p >= end || *p++ != ')')
		return false;
	st->at = (size_t)(a - line);
	st->end = (size_t)(p - line);
	return true;
}

/* Call fn on every line of text (without its '\n'). */
static void
for_lines(const char *text, size_t len, void (*fn)(const char *, size_t,
    void *), void *arg)
{
	const char *p = text, *end = text + len, *nl;
	size_t n;

	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		n = nl != NULL ? (size_t)(nl - p) : (size_t)(end - p);
		fn(p, n, arg);
		p += n + 1;
	}
}

struct span {
	uint64_t	 lines, min_sec, max_sec, max_serial;
	bool		 any;
};

static void
span_line(const char *line, size_t len, void *arg)
{
	struct span *sp = arg;
	struct stamp st;

	sp->lines++;
	if (!find_stamp(line, len, &st))
		return;
	if (!sp->any || st.sec < sp->min_sec)
		sp->min_sec = st.sec;
	if (!sp->any || st.sec > sp->max_sec)
		sp->max_sec = st.sec;
	if (st.serial > sp->max_serial)
		sp->max_serial = st.serial;
	sp->any = true;
}

struct rewrite {
	char		*out;
	size_t		 len;
	uint64_t	 dsec, dserial;
};

static void
rewrite_line(const char *line, size_t len, void *arg)
{
	struct rewrite *rw = arg;
	struct stamp st;

	if (!find_stamp(line, len, &st)) {
		memcpy(rw->out + rw->len, line, len);
		rw->len += len;
	} else {
		memcpy(rw->out + rw->len, line, st.at);
		rw->len += st.at;
		rw->len += (size_t)sprintf(rw->out + rw->len,
		    "audit(%" PRIu64 ".%.*s:%" PRIu64 ")", st.sec + rw->dsec,
		    (int)st.msec_len, st.msec, st.serial + rw->dserial);
		memcpy(rw->out + rw->len, line + st.end, len - st.end);
		rw->len += len - st.end;
	}
	rw->out[rw->len++] = '\n';
}

/*
 * Repeat raw until at least min_records lines.  Copy k has its seconds
 * moved by k * (span + COPY_GAP_SEC) and its serials by k * (max + 1):
 * to both libraries it is one log, later in time, with fresh events.
 * Shifting serials alone would not do: time would jump back at each
 * copy, and both libraries age events by record time.
 */
static bool
corpus_repeat(const char *raw, size_t rawlen, uint64_t min_records,
    struct corpus *cp)
{
	struct span sp = { 0 };
	struct rewrite rw = { 0 };
	unsigned k;

	for_lines(raw, rawlen, span_line, &sp);
	if (sp.lines == 0)
		return false;
	cp->lines = sp.lines;
	cp->copy_len = rawlen;
	cp->copies = (unsigned)((min_records + sp.lines - 1) / sp.lines);
	if (cp->copies == 0)
		cp->copies = 1;
	if ((sp.max_serial + 1) * cp->copies > UINT32_MAX) {
		fprintf(stderr, "bench_parse: serials would overflow\n");
		return false;
	}
	rw.out = malloc((rawlen + 1 + sp.lines * STAMP_GROWTH) * cp->copies + 1);
	if (rw.out == NULL)
		return false;
	for (k = 0; k < cp->copies; k++) {
		rw.dsec = k * (sp.max_sec - sp.min_sec + COPY_GAP_SEC);
		rw.dserial = k * (sp.max_serial + 1);
		for_lines(raw, rawlen, rewrite_line, &rw);
	}
	rw.out[rw.len] = '\0';
	cp->text = rw.out;
	cp->len = rw.len;
	return true;
}

/* ---- Report -------------------------------------------------------------- */

static long
peak_rss_mb(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss / 1024;
}

static void
print_run(unsigned round, const struct opts *o, const struct bench *b,
    const struct result *r)
{
	printf("  run %u/%u  %-38s %7.3f s wall %7.3f s cpu %10.0f records/s\n",
	    round + 1, o->runs, b->label, r->wall, r->cpu,
	    (double)r->records / r->wall);
	fflush(stdout);
}

static void
print_table(void)
{
	const struct result *r;
	char fields[24];
	unsigned i;

	printf("\nbest of runs (records/s by wall time, and by cpu time):\n");
	printf("  %-38s %9s %8s %10s %8s %8s %11s %11s\n", "", "records",
	    "events", "fields", "wall s", "cpu s", "rec/s wall", "rec/s cpu");
	for (i = 0; i < NBENCH; i++) {
		if (!benches[i].ran)
			continue;
		r = &benches[i].best;
		if (benches[i].side == AUPARSE)
			snprintf(fields, sizeof(fields), "%" PRIu64, r->fields);
		else
			snprintf(fields, sizeof(fields), "-");
		printf("  %-38s %9" PRIu64 " %8" PRIu64 " %10s %8.3f %8.3f "
		    "%11.0f %11.0f\n", benches[i].label, r->records, r->events,
		    fields, r->wall, r->cpu, (double)r->records / r->wall,
		    (double)r->records / r->cpu);
	}
}

/* Both sides must have seen the same records and events; false if not. */
static bool
check_counts(void)
{
	const struct result *ref = NULL;
	bool ok = true;
	unsigned i;

	for (i = 0; i < NBENCH; i++) {
		if (!benches[i].ran)
			continue;
		if (ref == NULL)
			ref = &benches[i].best;
		else if (benches[i].best.records != ref->records ||
		    benches[i].best.events != ref->events)
			ok = false;
	}
	printf("\ncounts: %s\n", ok ? "every benchmark saw the same records "
	    "and events" : "MISMATCH: the two sides did not see the same "
	    "records/events (see table)");
	return ok;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Median over the rounds of num[r] / den[r]: both ran in the same round. */
static double
median_ratio(const double *num, const double *den, unsigned n)
{
	double r[MAX_RUNS];
	unsigned i;

	for (i = 0; i < n; i++)
		r[i] = num[i] / den[i];
	qsort(r, n, sizeof(r[0]), cmp_double);
	return n % 2 ? r[n / 2] : (r[n / 2 - 1] + r[n / 2]) / 2;
}

/*
 * Ratios against the faster plain walk: libauparse gets its best source
 * (the buffer source copies the whole text first; the feed source does
 * not), so the target is judged against libauparse at its best.  Best
 * against best is the headline; the median of the ratios taken within
 * each round is printed too, as it shrugs off a noisy neighbour.
 */
static void
print_ratios(void)
{
	const struct bench *base = NULL, *b;
	double rw, rc;
	unsigned i, n;

	for (i = 0; i < NBENCH; i++)
		if (benches[i].baseline && benches[i].ran && (base == NULL ||
		    benches[i].best.wall < base->best.wall))
			base = &benches[i];
	if (base == NULL)
		return;
	printf("\nratios against the faster plain walk, \"%s\":\n"
	    "  %-38s %7s %7s %13s %13s\n", base->label, "", "wall",
	    "cpu", "median wall", "median cpu");
	for (i = 0; i < NBENCH; i++) {
		b = &benches[i];
		if (b == base || !b->ran)
			continue;
		rw = base->best.wall / b->best.wall;
		rc = base->best.cpu / b->best.cpu;
		n = b->nruns < base->nruns ? b->nruns : base->nruns;
		printf("  %-38s %6.2fx %6.2fx %12.2fx %12.2fx", b->label,
		    rw, rc, median_ratio(base->wall, b->wall, n),
		    median_ratio(base->cpu, b->cpu, n));
		if (b->target > 0)
			printf("   target >= %.1fx: %s", b->target,
			    rw >= b->target ? "met" : "NOT MET");
		printf("\n");
	}
}

/* -b LABEL: that benchmark if a label is exactly LABEL, else all containing it. */
static bool
bench_selected(const struct opts *o, const struct bench *b)
{
	unsigned i;

	if (o->only == NULL)
		return true;
	for (i = 0; i < NBENCH; i++)
		if (strcmp(benches[i].label, o->only) == 0)
			return b == &benches[i];
	return strstr(b->label, o->only) != NULL;
}

static void
usage(void)
{
	fprintf(stderr, "usage: bench_parse [-b LABEL] [-n RUNS] "
	    "[-r MIN_RECORDS] [-R RULES.yaml] [CORPUS.log.gz]\n");
	exit(2);
}

static void
parse_opts(int argc, char **argv, struct opts *o)
{
	char *e;
	int ch;

	o->runs = DEFAULT_RUNS;
	o->min_records = DEFAULT_MIN_RECORDS;
	o->corpus = "../shared/corpus/workload-enriched.log.gz";
	o->rules = "tests/fixtures/rules/upstream/falco_rules.yaml";
	while ((ch = getopt(argc, argv, "b:n:r:R:h")) != -1) {
		switch (ch) {
		case 'R':
			o->rules = optarg;
			break;
		case 'b':
			o->only = optarg;
			break;
		case 'n':
			o->runs = (unsigned)strtoul(optarg, &e, 10);
			if (*e != '\0' || o->runs == 0 || o->runs > MAX_RUNS)
				usage();
			break;
		case 'r':
			o->min_records = strtoull(optarg, &e, 10);
			if (*e != '\0')
				usage();
			break;
		default:
			usage();
		}
	}
	if (optind + 1 < argc)
		usage();
	if (optind < argc)
		o->corpus = argv[optind];
}

int
main(int argc, char **argv)
{
	struct corpus cp;
	struct result r;
	struct opts o;
	unsigned round, i, j, s;
	long rss_corpus, rss_fn = 0;
	size_t rawlen;
	char *raw;

	parse_opts(argc, argv, &o);
	if ((raw = load_gz(o.corpus, &rawlen)) == NULL)
		return 1;
	if (memchr(raw, '\0', rawlen) != NULL) {
		fprintf(stderr, "bench_parse: NUL byte in the corpus: "
		    "libauparse's buffer source cannot take it\n");
		return 1;
	}
	if (!corpus_repeat(raw, rawlen, o.min_records, &cp)) {
		fprintf(stderr, "bench_parse: cannot build the corpus\n");
		return 1;
	}
	free(raw);
	rss_corpus = peak_rss_mb();
	printf("corpus %s: %" PRIu64 " lines, %.1f MB; repeated %ux "
	    "(time and serials shifted per copy): %" PRIu64 " lines, %.1f MB\n",
	    o.corpus, cp.lines, cp.copy_len / 1e6, cp.copies,
	    cp.lines * cp.copies, cp.len / 1e6);

	for (i = 0; i < NBENCH; i++)
		for (s = 0; benches[i].stages[s] != NULL; s++)
			if (benches[i].stages[s]->setup != NULL &&
			    benches[i].stages[s]->setup(&o) < 0)
				return 1;
	for (round = 0; round < o.runs; round++) {
		for (j = 0; j < NBENCH; j++) {
			/* Every other round backwards: no side always goes first. */
			i = round % 2 == 0 ? j : (unsigned)NBENCH - 1 - j;
			if (!bench_selected(&o, &benches[i]))
				continue;
			if (bench_run(&benches[i], &cp, &r) < 0) {
				fprintf(stderr, "bench_parse: %s: out of "
				    "memory\n", benches[i].label);
				return 1;
			}
			print_run(round, &o, &benches[i], &r);
			bench_keep_best(&benches[i], &r);
			if (round == 0 && benches[i].side == FALCONET)
				rss_fn = peak_rss_mb();
		}
	}
	print_table();
	print_ratios();
	printf("\npeak RSS (getrusage, whole process, so cumulative): %ld MB "
	    "after building the corpus", rss_corpus);
	if (rss_fn > 0)
		printf(", %ld MB after the first falconet runs", rss_fn);
	printf(", %ld MB at the end (libauparse's buffer source copies the "
	    "whole text)\n", peak_rss_mb());
	free(cp.text);
	return check_counts() ? 0 : 1;
}
