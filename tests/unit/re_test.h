/*
 * re_test.h - helpers shared by the rule engine tests (check_rule_engine*.c):
 * events built by the audit parser, conditions compiled and evaluated on
 * them, rules files written to a temporary directory and loaded by the
 * engine, alerts captured as Falco's text and JSON lines.
 */
#ifndef FC_RE_TEST_H
#define FC_RE_TEST_H

#include <check.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/event.h"
#include "rules/engine.h"
#include "rules/filter.h"

/* "type=T msg=audit(S): " */
#define HDR(t, s)	"type=" t " msg=audit(" s "): "

/* ---- Events ------------------------------------------------------------ */

/* Build ev from audit.log lines (each ending in '\n'), numbered num. */
void	re_event(struct fc_event *ev, const char *lines, uint64_t num);

/* ---- Conditions -------------------------------------------------------- */

/* What compiling a condition gave: result, diag and the warnings. */
struct re_compiled {
	enum flt_result	 rc;		/* FLT_ERROR for a parse error too */
	char		 msg[512];	/* error (parse or compile) */
	unsigned	 nwarn;
	char		 warn[512];	/* the last warning */
};

/* Parse and compile cond (no macros); *out says how it went. */
struct flt *re_compile(const char *cond, struct re_compiled *out);

/* Evaluate cond on ev: 1 true, 0 false.  The condition must compile. */
int	re_eval(const char *cond, const struct fc_event *ev);

/* Parse cond (Falco depth), resolve its macros from the loader result
 * (rules' visibility: every macro) and print it as Falco's AST string. */
const char *re_print_resolved(const char *cond, const struct rl_result *res);

/* ---- Engines ----------------------------------------------------------- */

/* Write yaml to a new file NAME in the test's temporary directory; returns
 * its path (static storage, valid until the next call). */
const char *re_write(const char *name, const char *yaml);

/* Load paths with opts (NULL: defaults). */
struct rule_engine *re_load(const char *const *paths, size_t n,
	    const struct rule_engine_opts *opts);
/* Write yaml as "rules.yaml" and load it alone. */
struct rule_engine *re_load_yaml(const char *yaml,
	    const struct rule_engine_opts *opts);

/* Diagnostics of a loaded engine. */
size_t	re_ndiag(const struct rule_engine *e, enum rl_code code);
const struct rl_diag *re_diag(const struct rule_engine *e, enum rl_code code,
	    size_t nth);
size_t	re_nwarnings(const struct rule_engine *e);
/* The rule_info of the rule named name, or NULL. */
const struct rule_info *re_rule(const struct rule_engine *e, const char *name);

/* Alerts of one evaluation, each formatted as a line (text or JSON). */
enum { RE_MAX_ALERTS = 8 };
struct re_alerts {
	struct fc_alert_format fmt;
	size_t		 n;
	char		 line[RE_MAX_ALERTS][4096];
	char		 rule[RE_MAX_ALERTS][256];
};

/* Evaluate ev with a fresh matcher over e; alerts formatted with a->fmt. */
unsigned re_match(const struct rule_engine *e, const struct fc_event *ev,
	    struct re_alerts *a);

/* The temporary directory, created on first use; re_cleanup() (a checked
 * fixture's teardown) removes it and the files re_write() put there. */
const char *re_tmpdir(void);
void	re_cleanup(void);

/* ---- Test cases of each file ------------------------------------------- */

TCase	*tc_rule_engine_eval(void);
TCase	*tc_rule_engine_types(void);
TCase	*tc_rule_engine_ast(void);
TCase	*tc_rule_engine_load(void);
TCase	*tc_rule_engine_outputs(void);
TCase	*tc_rule_engine_upstream(void);
TCase	*tc_rule_engine_memo(void);

#endif
