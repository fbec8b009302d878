/*
 * cmd_replay.c - `falconet replay [FILE|-]`: an audit log in, one JSON
 * object per event out.
 *
 * Wires the log reader, the record parser and the correlator.  Time is
 * the records' own: an incomplete event is completed once records 2 s
 * newer have been read, as auparse does, and everything in flight is
 * flushed at the end of input.  Malformed lines are counted and reported
 * (the first few, by line number); they never stop the replay.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "audit/audit.h"
#include "cmd.h"
#include "core/buf.h"
#include "rules/engine.h"

#define REPORT_MALFORMED_MAX	20
#define MAX_RULE_PATHS		256

struct replay {
	const char	*name;
	FILE		*out;
	struct fc_buf	 buf;
	uint64_t	 lines, malformed, alerts;
	bool		 quiet;
	struct rule_matcher *matcher;	/* NULL: print events, not alerts */
	struct fc_alert_format fmt;
};

static void
write_buf(struct replay *rp)
{
	fc_buf_addc(&rp->buf, '\n');
	if (fwrite(rp->buf.p, 1, rp->buf.len, rp->out) != rp->buf.len)
		rp->buf.overflow = true;
}

static void
print_alert(const struct fc_alert *a, void *arg)
{
	struct replay *rp = arg;

	rp->alerts++;
	if (rp->quiet)
		return;
	fc_buf_reset(&rp->buf);
	fc_alert_format(a, &rp->fmt, &rp->buf);
	write_buf(rp);
}

static void
print_event(const struct fc_event *ev, void *arg)
{
	struct replay *rp = arg;

	if (rp->matcher != NULL) {
		(void)rule_matcher_eval(rp->matcher, ev, print_alert, rp);
		return;
	}
	if (rp->quiet)
		return;
	fc_buf_reset(&rp->buf);
	aud_event_json(ev, &rp->buf);
	write_buf(rp);
}

static void
report_malformed(struct replay *rp, const char *why)
{
	rp->malformed++;
	if (rp->malformed <= REPORT_MALFORMED_MAX)
		fprintf(stderr, "falconet: %s:%" PRIu64 ": malformed record "
		    "(%s), skipped\n", rp->name, rp->lines, why);
	else if (rp->malformed == REPORT_MALFORMED_MAX + 1)
		fprintf(stderr, "falconet: %s: more malformed records, "
		    "only counting them now\n", rp->name);
}

/* Feed every line of fd to the correlator.  Returns 0 or -errno. */
static int
replay_fd(struct replay *rp, int fd, struct aud_corr *corr)
{
	struct aud_logread *r = aud_logread_new(fd);
	struct aud_record rec;
	enum aud_rec_err e;
	uint64_t now = 0, t;
	const char *line;
	size_t len;
	bool too_long;
	int rc;

	if (r == NULL)
		return -ENOMEM;
	while ((rc = aud_logread_next(r, &line, &len, &too_long)) > 0) {
		rp->lines++;
		if (too_long) {
			report_malformed(rp, "line too long");
			continue;
		}
		e = aud_rec_parse_line(line, len, &rec);
		if (e == AUD_REC_EMPTY)
			continue;
		if (e != AUD_REC_OK) {
			report_malformed(rp, aud_rec_strerror(e));
			continue;
		}
		t = rec.sec * 1000 + rec.msec;
		if (t > now)
			now = t;
		aud_corr_add(corr, &rec, now);
		aud_corr_tick(corr, now);
	}
	aud_logread_free(r);
	return rc;
}

static void
print_summary(const struct replay *rp, const struct aud_corr *corr)
{
	struct aud_corr_stats st;

	aud_corr_stats(corr, &st);
	fprintf(stderr, "falconet: replay %s: %" PRIu64 " lines, %" PRIu64
	    " records, %" PRIu64 " events, %" PRIu64 " malformed lines\n",
	    rp->name, rp->lines, st.records, st.events, rp->malformed);
	if (rp->matcher != NULL)
		fprintf(stderr, "falconet: %" PRIu64 " alerts\n", rp->alerts);
	fprintf(stderr, "falconet: events completed by EOE %" PRIu64
	    ", by last record %" PRIu64 ", by timeout %" PRIu64
	    ", at end of input %" PRIu64 ", evicted %" PRIu64
	    ", truncated %" PRIu64 "\n", st.eoe, st.last_record,
	    st.timed_out, st.flushed, st.evicted, st.truncated);
}

/* Load the rules; on failure say why (as validate would) and return -1. */
static int
load_rules(struct replay *rp, const char *const *paths, size_t n,
    const struct rule_engine_opts *eo, struct rule_engine **ret)
{
	struct rule_engine *e = rule_engine_load(paths, n, eo);
	const struct rl_result *res;
	size_t i;

	if (e == NULL) {
		fprintf(stderr, "falconet: out of memory\n");
		return -1;
	}
	res = rule_engine_result(e);
	if (!rule_engine_ok(e)) {
		for (i = 0; i < res->n_diags; i++)
			if (rl_code_is_error(res->diags[i].code))
				fprintf(stderr, "falconet: %s:%u:%u: %s: %s\n",
				    res->diags[i].pos.file ? res->diags[i].pos.file :
				    "-", res->diags[i].pos.line,
				    res->diags[i].pos.col,
				    rl_code_name(res->diags[i].code),
				    res->diags[i].msg);
		fprintf(stderr, "falconet: invalid rules, see 'falconet "
		    "validate'\n");
		rule_engine_free(e);
		return -1;
	}
	if ((rp->matcher = rule_matcher_new(e)) == NULL) {
		fprintf(stderr, "falconet: out of memory\n");
		rule_engine_free(e);
		return -1;
	}
	*ret = e;
	return 0;
}

static void
replay_usage(FILE *f)
{
	fprintf(f,
	    "usage: falconet replay [-q] [-r RULES]... [--json] [FILE|-]\n"
	    "\n"
	    "Read an audit log (audit.log lines, RAW or ENRICHED, or auditd\n"
	    "plugin output) from FILE or standard input and print one JSON\n"
	    "object per event on standard output (see docs/events.md).\n"
	    "With -r, evaluate Falco rules on the events instead and print\n"
	    "the alerts, as text or (--json) as Falco's JSON.\n"
	    "A summary goes to standard error.\n"
	    "\n"
	    "  -r PATH       a Falco rules file or directory (repeatable)\n"
	    "  --json        alerts in Falco's JSON form (json_output: true)\n"
	    "  --all         every matching rule alerts (rule_matching: all)\n"
	    "  -q, --quiet   print only the summary\n"
	    "\n"
	    "Exit status: 0 when the input was read (malformed lines are\n"
	    "reported and skipped), 1 when it could not be read or the rules\n"
	    "are invalid (see 'falconet validate'), 2 on usage.\n");
}

int
cmd_replay(int argc, char **argv)
{
	struct replay rp = { .name = "-", .out = stdout };
	const char *rules[MAX_RULE_PATHS];
	struct rule_engine_opts eo;
	struct rule_engine *engine = NULL;
	struct aud_corr *corr;
	const char *path = NULL;
	size_t nrules = 0;
	int fd = STDIN_FILENO, rc, i;

	rule_engine_opts_defaults(&eo);
	fc_alert_format_defaults(&rp.fmt);
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			replay_usage(stdout);
			return 0;
		} else if (!strcmp(argv[i], "-q") || !strcmp(argv[i], "--quiet")) {
			rp.quiet = true;
		} else if (!strcmp(argv[i], "--json")) {
			rp.fmt.json = true;
		} else if (!strcmp(argv[i], "--all")) {
			eo.match_all = true;
		} else if (!strcmp(argv[i], "-r") && i + 1 < argc &&
		    nrules < MAX_RULE_PATHS) {
			rules[nrules++] = argv[++i];
		} else if (path == NULL && (argv[i][0] != '-' ||
		    !strcmp(argv[i], "-"))) {
			path = argv[i];
		} else {
			fprintf(stderr, "falconet: replay: unexpected argument "
			    "'%s'\n", argv[i]);
			replay_usage(stderr);
			return 2;
		}
	}
	if (nrules > 0 && load_rules(&rp, rules, nrules, &eo, &engine) != 0)
		return 1;
	if (path != NULL && strcmp(path, "-") != 0) {
		if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
			fprintf(stderr, "falconet: cannot open '%s': %s\n",
			    path, strerror(errno));
			return 1;
		}
		rp.name = path;
	}
	fc_buf_init(&rp.buf, 64u << 20);
	corr = aud_corr_new(NULL, print_event, &rp);
	if (corr == NULL) {
		fprintf(stderr, "falconet: out of memory\n");
		return 1;
	}
	rc = replay_fd(&rp, fd, corr);
	aud_corr_flush(corr);
	fflush(stdout);
	print_summary(&rp, corr);
	if (rc < 0)
		fprintf(stderr, "falconet: cannot read '%s': %s\n", rp.name,
		    strerror(-rc));
	aud_corr_free(corr);
	rule_matcher_free(rp.matcher);
	rule_engine_free(engine);
	fc_buf_fini(&rp.buf);
	if (fd != STDIN_FILENO)
		close(fd);
	return rc < 0 || ferror(stdout) ? 1 : 0;
}
