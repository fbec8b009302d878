/*
 * output.h - a rule's output format: "%field" tokens compiled once,
 * rendered per alert into the text line and the typed output_fields.
 *
 * Falco's rules (falco.md §2.9): `%field`, `%field[arg]`, `%evt.arg.NAME`,
 * transformers `%toupper(proc.name)`, a width `%12proc.name` that pads or
 * cuts the value to exactly 12 characters; a missing value is `<NA>` in
 * text and null in JSON; the JSON key is the field as written.  A
 * compiled format is immutable and may be shared between threads.
 */
#ifndef FC_RULES_OUTPUT_H
#define FC_RULES_OUTPUT_H

#include <stddef.h>

#include "outputs/alert.h"
#include "rules/fields.h"
#include "rules/filter.h"

struct rule_output;

enum {
	RULE_OUTPUT_MAX_FIELDS = 128,	/* %tokens per output */
};

/*
 * rule_output_compile - compile fmt.  Returns FLT_OK with *ret set,
 * FLT_ERROR with diag (message, byte offset in diag->pos.idx; skippable
 * when the token is an unknown field), or FLT_UNSUPPORTED with diag naming
 * the first field falconet can never supply (*ret is set all the same:
 * such a field renders as a missing value).  warn (may be NULL) receives
 * the deprecated-field warnings, as for conditions.
 */
enum flt_result rule_output_compile(const char *fmt, size_t len,
	    flt_warn_fn warn, void *warn_arg, struct rule_output **ret,
	    struct flt_diag *diag);
void	rule_output_free(struct rule_output *o);

/* Per-thread space for rendering: owned by the caller, reused per alert. */
struct rule_output_scratch {
	struct fc_buf		*text;		/* the rendered output text */
	struct fc_buf		*values;	/* JSON values of the fields */
	struct fc_alert_field	 fields[RULE_OUTPUT_MAX_FIELDS];
	size_t			 nfields;
};

/*
 * rule_output_render - render o for ctx->ev: the text into s->text and
 * the fields into s->fields (their text points into s->values, valid
 * until the next render).  Resets s first.
 */
void	rule_output_render(const struct rule_output *o, struct fld_ctx *ctx,
	    struct rule_output_scratch *s);

#endif
