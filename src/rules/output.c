/*
 * output.c - compile and render rule output formats (see output.h).
 *
 * Owns the compiled segments: literal runs (pointing into an owned copy
 * of the format) and field tokens (compiled operands).  Rendering writes
 * only into the caller's scratch buffers.
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "rules/filter_int.h"
#include "rules/output.h"

struct out_seg {
	const char	*lit;		/* literal text, or NULL for a token */
	size_t		 litlen;
	struct fopd	*opd;		/* token */
	char		*key;		/* the token as written */
	int		 width;		/* %12field: exact width, 0 none */
};

struct rule_output {
	char		*fmt;		/* owned copy */
	struct out_seg	*segs;
	size_t		 nsegs;
};

static const char *const xform_names[] = { "tolower", "toupper", "b64",
    "basename", "len", "join", "concat", "getopt" };

/* Length of a transformer token at p ("name(...)" plus "[arg]"), or 0. */
static size_t
xform_token_len(const char *p, size_t len)
{
	size_t i, n, depth = 0;

	for (i = 0; i < sizeof(xform_names) / sizeof(xform_names[0]); i++) {
		n = strlen(xform_names[i]);
		if (len > n && memcmp(p, xform_names[i], n) == 0 && p[n] == '(')
			break;
	}
	if (i == sizeof(xform_names) / sizeof(xform_names[0]))
		return 0;
	for (i = n; i < len; i++) {
		if (p[i] == '(')
			depth++;
		else if (p[i] == ')' && --depth == 0)
			break;
	}
	if (i == len)
		return 0;
	i++;
	if (i < len && p[i] == '[') {
		const char *close = memchr(p + i, ']', len - i);
		if (close != NULL)
			i = (size_t)(close - p) + 1;
	}
	return i;
}

static int
add_seg(struct rule_output *o, const struct out_seg *s)
{
	struct out_seg *n;

	n = realloc(o->segs, (o->nsegs + 1) * sizeof(*o->segs));
	if (n == NULL)
		return -1;
	o->segs = n;
	o->segs[o->nsegs++] = *s;
	return 0;
}

static int
out_fail(struct flt_diag *diag, size_t off, bool skippable, const char *msg,
    const char *tok, size_t toklen)
{
	snprintf(diag->msg, sizeof(diag->msg), "%s%.*s", msg,
	    (int)(toklen > 200 ? 200 : toklen), tok);
	diag->pos.idx = off;
	diag->skippable = skippable;
	return -1;
}

struct out_cctx {
	flt_warn_fn	 warn;
	void		*warn_arg;
	bool		 unsupported;	/* a token names a field we cannot supply */
	struct flt_diag	 unsup;		/* the first such token */
};

/* One %token at fmt[i] ('%' already consumed); returns its length or -1. */
static long
compile_token(struct rule_output *o, struct out_cctx *oc, size_t i,
    size_t len, struct flt_diag *diag)
{
	const char *p = o->fmt + i;
	struct out_seg s = { 0 };
	struct fld_error ferr;
	struct fld_ref ref;
	size_t w = 0, tl;
	int n;

	/* Stop accumulating past the cap: a long run of digits must not
	 * overflow the int. */
	for (; w < len - i && isdigit((unsigned char)p[w]); w++)
		if (s.width <= 4096)
			s.width = s.width * 10 + (p[w] - '0');
	if (s.width > 4096)
		s.width = 4096;
	p += w;
	if ((tl = xform_token_len(p, len - i - w)) == 0) {
		n = fld_scan(p, len - i - w, &ref, &ferr);
		if (n <= 0)
			return out_fail(diag, i - 1, true, "invalid formatting "
			    "token ", p, strcspn(p, " \t"));
		tl = (size_t)n;
	}
	switch (fopd_compile_text(p, tl, oc->warn, oc->warn_arg, &s.opd,
	    diag)) {
	case 0:
		break;
	case 1:
		if (!oc->unsupported) {
			oc->unsupported = true;
			oc->unsup = *diag;
			oc->unsup.pos.idx = i - 1;
		}
		memset(diag, 0, sizeof(*diag));
		break;
	default:
		diag->pos.idx = i - 1;
		return -1;
	}
	if ((s.key = strndup(p, tl)) == NULL || add_seg(o, &s) != 0) {
		free(s.key);
		fopd_free(s.opd);
		return out_fail(diag, i - 1, false, "out of memory", "", 0);
	}
	return (long)(w + tl);
}

enum flt_result
rule_output_compile(const char *fmt, size_t len, flt_warn_fn warn,
    void *warn_arg, struct rule_output **ret, struct flt_diag *diag)
{
	struct out_cctx oc = { .warn = warn, .warn_arg = warn_arg };
	struct rule_output *o = calloc(1, sizeof(*o));
	size_t i = 0, start = 0;
	long n;

	*ret = NULL;
	memset(diag, 0, sizeof(*diag));
	if (o == NULL || (o->fmt = strndup(fmt, len)) == NULL) {
		free(o);
		out_fail(diag, 0, false, "out of memory", "", 0);
		return FLT_ERROR;
	}
	while (i < len) {
		if (o->fmt[i] != '%') {
			i++;
			continue;
		}
		if (i > start && add_seg(o, &(struct out_seg){ .lit =
		    o->fmt + start, .litlen = i - start }) != 0)
			goto oom;
		if (++i >= len) {
			out_fail(diag, i - 1, false, "invalid formatting token: "
			    "'%' at the end of the output", "", 0);
			goto bad;
		}
		if ((n = compile_token(o, &oc, i, len, diag)) < 0)
			goto bad;
		i += (size_t)n;
		start = i;
	}
	if (i > start && add_seg(o, &(struct out_seg){ .lit = o->fmt + start,
	    .litlen = i - start }) != 0)
		goto oom;
	*ret = o;
	if (oc.unsupported) {
		*diag = oc.unsup;
		return FLT_UNSUPPORTED;
	}
	return FLT_OK;
oom:
	out_fail(diag, i, false, "out of memory", "", 0);
bad:
	rule_output_free(o);
	return FLT_ERROR;
}

void
rule_output_free(struct rule_output *o)
{
	size_t i;

	if (o == NULL)
		return;
	for (i = 0; i < o->nsegs; i++) {
		fopd_free(o->segs[i].opd);
		free(o->segs[i].key);
	}
	free(o->segs);
	free(o->fmt);
	free(o);
}

/* Append the value's text, padded or cut to width when one is set. */
static void
render_text(const struct out_seg *g, const struct fld_value *v, bool have,
    struct fc_buf *text)
{
	size_t start = text->len, n;

	if (have)
		fld_render_text(g->opd->kind == FOPD_FIELD ? &g->opd->ref :
		    NULL, v, text);
	else
		fc_buf_add(text, "<NA>", 4);
	if (g->width <= 0 || text->overflow)
		return;
	n = text->len - start;
	if (n > (size_t)g->width)
		text->len = start + (size_t)g->width;
	while (n++ < (size_t)g->width)
		fc_buf_addc(text, ' ');
}

void
rule_output_render(const struct rule_output *o, struct fld_ctx *ctx,
    struct rule_output_scratch *s)
{
	const struct out_seg *g;
	struct fc_alert_field *f;
	struct fld_value v;
	size_t i, vstart;
	bool have;

	fc_buf_reset(s->text);
	fc_buf_reset(s->values);
	s->nfields = 0;
	for (i = 0; i < o->nsegs; i++) {
		g = &o->segs[i];
		if (g->lit != NULL) {
			fc_buf_add(s->text, g->lit, g->litlen);
			continue;
		}
		have = fopd_eval(g->opd, ctx, &v);
		render_text(g, &v, have, s->text);
		if (s->nfields >= RULE_OUTPUT_MAX_FIELDS)
			continue;
		f = &s->fields[s->nfields++];
		f->key = g->key;
		f->kind = have ? FC_AV_JSON : FC_AV_NULL;
		vstart = s->values->len;
		if (have)
			fld_render_json(g->opd->kind == FOPD_FIELD ?
			    &g->opd->ref : NULL, &v, s->values);
		/* Offsets now; pointers once the buffer stops moving. */
		f->text = (const char *)(uintptr_t)vstart;
		f->len = s->values->len - vstart;
	}
	for (i = 0; i < s->nfields; i++)
		s->fields[i].text = s->values->p == NULL ? "" :
		    s->values->p + (uintptr_t)s->fields[i].text;
}
