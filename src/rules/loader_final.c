/*
 * loader_final.c - rl_finish(): the text-level half of Falco's compiler.
 *
 * Owns the result arrays (struct rl_result and the condition/output
 * strings it alone allocates; names, descs, tags and list items point
 * into the collector).  Steps, in Falco's order: plugin requirements,
 * list compilation (one level of list-in-list, visibility rule), macro
 * conditions with lists substituted, then for every rule of a known
 * source: exceptions appended to the condition text, %container.info
 * dropped from the output, lists substituted.  The collector itself is
 * not modified, so rl_finish() may run again after further loads.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "rules/loader_int.h"

#define BLANKS	" \t\n\r"
#define DELIMS	" \t\n\r(),="

struct sbuf {
	char	*p;
	size_t	 len, cap;
};

static int
sb_add(struct sbuf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t ncap = b->cap ? b->cap : 256;
		char *np;

		while (ncap < b->len + n + 1)
			ncap *= 2;
		if ((np = realloc(b->p, ncap)) == NULL)
			return -1;
		b->p = np;
		b->cap = ncap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
	return 0;
}

/* Falco's quote_item applied to every item, joined with ", ". */
static char *
lists_join(char *const *items, size_t n)
{
	struct sbuf b = { 0 };
	size_t i;

	if (sb_add(&b, "", 0) < 0)
		return NULL;
	for (i = 0; i < n; i++) {
		const char *e = items[i];
		bool q = strchr(e, ' ') != NULL && e[0] != '"' && e[0] != '\'';

		if ((i > 0 && sb_add(&b, ", ", 2) < 0) ||
		    (q && sb_add(&b, "\"", 1) < 0) || sb_add(&b, e, strlen(e)) < 0 ||
		    (q && sb_add(&b, "\"", 1) < 0)) {
			free(b.p);
			return NULL;
		}
	}
	return b.p;
}

/* The text being rewritten is out (final prefix) followed by rest. */
struct subst {
	struct sbuf	 out;
	const char	*rest;
	size_t		 rlen;
};

static char
st_ch(const struct subst *s, size_t i)
{
	return i < s->out.len ? s->out.p[i] : s->rest[i - s->out.len];
}

/*
 * One match of Falco's resolve_list at concatenated offset start..end:
 * swallow blanks (and a comma if the list is empty), then rebuild as
 * prefix + " " + sub + " " + suffix.  Returns where searching resumes
 * in the new rest (Falco resumes one character later when the prefix
 * is empty), or -1 on ENOMEM.
 */
static int
st_replace(struct subst *s, size_t start, size_t end, const char *sub)
{
	size_t total = s->out.len + s->rlen, old = s->out.len, sublen = strlen(sub);

	while (start > 0 && strchr(BLANKS, st_ch(s, start - 1)) != NULL)
		start--;
	while (end < total && strchr(BLANKS, st_ch(s, end)) != NULL)
		end++;
	if (sublen == 0) {
		if (start > 0 && st_ch(s, start - 1) == ',')
			start--;
		else if (end < total && st_ch(s, end) == ',')
			end++;
	}
	if (start <= old)
		s->out.len = start;
	else if (sb_add(&s->out, s->rest, start - old) < 0)
		return -1;
	if (s->out.p != NULL)
		s->out.p[s->out.len] = '\0';
	if ((start > 0 && sb_add(&s->out, " ", 1) < 0) ||
	    sb_add(&s->out, sub, sublen) < 0 || sb_add(&s->out, " ", 1) < 0)
		return -1;
	s->rest += end - old;
	s->rlen -= end - old;
	return start > 0 ? 0 : 1;
}

/*
 * Falco's resolve_list, streamed: the same matches and the same output,
 * in linear time.  Returns 1 if substituted, 0 if not, -1 on ENOMEM,
 * -2 when the text would exceed max.
 */
static int
subst_list(char **cnd, const char *name, const char *sub, size_t max)
{
	struct subst s = { .rest = *cnd, .rlen = strlen(*cnd) };
	size_t nlen = strlen(name), from = 0;
	const char *hit;
	int used = 0, r;

	while (from <= s.rlen &&
	    (hit = memmem(s.rest + from, s.rlen - from, name, nlen)) != NULL) {
		size_t start = s.out.len + (size_t)(hit - s.rest);
		size_t end = start + nlen, total = s.out.len + s.rlen;

		if (!((start == 0 || strchr(DELIMS, st_ch(&s, start - 1))) &&
		    (end >= total || strchr(DELIMS, st_ch(&s, end))))) {
			from = (size_t)(hit - s.rest) + 1;
			continue;
		}
		if ((r = st_replace(&s, start, end, sub)) < 0)
			goto fail;
		from = (size_t)r;
		used = 1;
		if (s.out.len + s.rlen > max) {
			free(s.out.p);
			return -2;
		}
	}
	if (!used)
		return 0;
	if (sb_add(&s.out, s.rest, s.rlen) < 0)
		goto fail;
	free(*cnd);
	*cnd = s.out.p;
	return 1;
fail:
	free(s.out.p);
	return -1;
}

/* Substitute every list, in definition order, into *cnd. */
static int
subst_all(struct rl_collector *c, const struct rd_ctx *x, char **cnd,
    char **joined, const struct rl_pos *cpos)
{
	size_t i;

	for (i = 0; i < c->n_lists; i++) {
		int r = subst_list(cnd, c->r_lists[i].name, joined[i],
		    c->opt.max_cond_len);

		if (r == -2) {
			(void)rl_diag_add(c, RL_LOAD_ERR_COMPILE_CONDITION, x, cpos,
			    "condition is too long after list substitution");
			return -1;
		}
		if (r < 0)
			return rd_err(x, RL_LOAD_ERR_VALIDATE, NULL, "out of memory");
		if (r > 0)
			c->r_lists[i].used = true;
	}
	return 0;
}

void
rl_result_free(struct rl_collector *c)
{
	size_t i;

	if (c->r_lists != NULL)
		for (i = 0; i < c->res.n_lists; i++)
			free(c->r_lists[i].items);
	if (c->r_macros != NULL)
		for (i = 0; i < c->res.n_macros; i++)
			free((char *)c->r_macros[i].cond);
	if (c->r_rules != NULL)
		for (i = 0; i < c->res.n_rules; i++) {
			free((char *)c->r_rules[i].cond);
			free((char *)c->r_rules[i].output);
		}
	free(c->r_lists);
	free(c->r_macros);
	free(c->r_rules);
	c->r_lists = NULL;
	c->r_macros = NULL;
	c->r_rules = NULL;
	memset(&c->res, 0, sizeof(c->res));
	c->finished = false;
	c->unused_done = false;
}

static bool
plugin_alts_ok(const struct rl_plugin_alts *a)
{
	uint64_t have[3], req[3];
	size_t i;

	(void)rl_semver_parse(FC_CONTAINER_PLUGIN_VERSION, have);
	for (i = 0; i < a->n; i++)
		if (strcmp(a->v[i].name, FC_CONTAINER_PLUGIN_NAME) == 0 &&
		    rl_semver_parse(a->v[i].version, req) &&
		    rl_semver_compatible(have, req))
			return true;
	return false;
}

/* Falco's check_plugin_requirements: one message for all failures. */
static int
check_plugins(struct rl_collector *c)
{
	struct rd_ctx x = { .c = c, .kind = RL_ITEM_PLUGIN_VERSIONS, .name = "" };
	char *msg = NULL;
	size_t i, j;
	int rc = 0;

	for (i = 0; i < c->n_plugins && rc == 0; i++) {
		if (plugin_alts_ok(&c->plugins[i]))
			continue;
		if (msg == NULL)
			x.item_pos = c->plugins[i].pos;
		rc = rl_strappend(&msg, "", "Plugin requirement not satisfied, "
		    "must load one of: ");
		for (j = 0; j < c->plugins[i].n && rc == 0; j++)
			rc = rl_strappend(&msg, j > 0 ? ", " : "",
			    c->plugins[i].v[j].name) ||
			    rl_strappend(&msg, " (>= ", c->plugins[i].v[j].version) ||
			    rl_strappend(&msg, "", ")");
	}
	if (rc == 0 && msg == NULL)
		return 0;
	rc = rl_diag_add(c, RL_LOAD_ERR_VALIDATE, &x, &x.item_pos,
	    msg != NULL ? msg : "out of memory");
	free(msg);
	return -1;
}

/* compile_list_infos: one level of list-in-list, raw items copied. */
static int
compile_lists(struct rl_collector *c)
{
	size_t i, j, at, k;

	for (i = 0; i < c->n_lists; i++) {
		const struct cl_list *l = &c->lists[i];
		struct rl_list *o = &c->r_lists[i];
		size_t n = 0;

		for (j = 0; j < l->n; j++)
			n += rl_names_get(&c->list_names, l->items[j], &at) &&
			    c->lists[at].index < l->visibility ? c->lists[at].n : 1;
		o->items = calloc(n + 1, sizeof(*o->items));
		if (o->items == NULL)
			return -1;
		for (j = 0; j < l->n; j++) {
			if (rl_names_get(&c->list_names, l->items[j], &at) &&
			    c->lists[at].index < l->visibility) {
				for (k = 0; k < c->lists[at].n; k++)
					o->items[o->n_items++] = c->lists[at].items[k];
				c->r_lists[at].used = true;
			} else {
				o->items[o->n_items++] = l->items[j];
			}
		}
		o->name = l->name;
		o->pos = l->pos;
		o->index = l->index;
		o->visibility = l->visibility;
	}
	return 0;
}

static int
finish_macros(struct rl_collector *c, char **joined)
{
	size_t i;

	for (i = 0; i < c->n_macros; i++) {
		const struct cl_macro *m = &c->macros[i];
		struct rl_macro *o = &c->r_macros[i];
		struct rd_ctx x = { .c = c, .kind = RL_ITEM_MACRO, .name = m->name,
		    .item_pos = m->pos };
		char *cond = rl_strdup(m->cond);

		if (cond == NULL)
			return rd_err(&x, RL_LOAD_ERR_VALIDATE, NULL, "out of memory");
		int rc;

		c->res.n_macros = i + 1;
		rc = subst_all(c, &x, &cond, joined, &m->cond_pos);
		/* cond may have been replaced: store it either way. */
		o->cond = cond;
		if (rc < 0)
			return -1;
		o->name = m->name;
		o->pos = m->pos;
		o->cond_pos = m->cond_pos;
		o->index = m->index;
		o->visibility = m->visibility;
	}
	return 0;
}

/* %container.info is removed, with Falco's deprecation warning. */
static int
drop_container_info(const struct rd_ctx *x, char *out)
{
	static const char tok[] = "%container.info";
	char *p = strstr(out, tok);

	if (p == NULL)
		return 0;
	rd_warn(x, RL_LOAD_DEPRECATED_ITEM, NULL, "%%container.info is deprecated "
	    "and no more useful, and will be dropped by Falco 1.0.0. The "
	    "container plugin will automatically add required fields to the "
	    "output message.");
	for (; p != NULL; p = strstr(p, tok))
		memmove(p, p + sizeof(tok) - 1, strlen(p + sizeof(tok) - 1) + 1);
	return 0;
}

static void
finish_rule_meta(struct rl_rule *o, const struct cl_rule *r)
{
	o->name = r->name;
	o->desc = r->desc;
	o->source = r->source;
	o->tags = (const char **)r->tags;
	o->n_tags = r->n_tags;
	o->priority = (enum rl_priority)r->priority;
	o->enabled = r->enabled;
	o->skip_if_unknown_filter = r->skip_if_unknown_filter;
	o->warn_evttypes = r->warn_evttypes;
	o->capture = r->capture;
	o->capture_duration = r->capture_duration;
	o->pos = r->pos;
	o->cond_pos = r->cond_pos;
	o->output_pos = r->output_pos;
	o->index = r->index;
}

static int
finish_rule(struct rl_collector *c, const struct cl_rule *r, char **joined,
    struct rl_rule *o)
{
	struct rd_ctx x = { .c = c, .kind = RL_ITEM_RULE, .name = r->name,
	    .item_pos = r->pos };
	char *cond = rl_strdup(r->cond), *out = rl_strdup(r->output);
	int rc;

	o->cond = cond;
	o->output = out;
	if (cond == NULL || out == NULL)
		return rd_err(&x, RL_LOAD_ERR_VALIDATE, NULL, "out of memory");
	if (r->exc.n > 0 && rl_exc_build(&x, &r->exc, &cond) < 0)
		return -1;
	o->cond = cond;
	drop_container_info(&x, out);
	rc = subst_all(c, &x, &cond, joined, &r->cond_pos);
	o->cond = cond;
	if (rc < 0)
		return -1;
	finish_rule_meta(o, r);
	return 0;
}

static int
finish_rules(struct rl_collector *c, char **joined)
{
	size_t i;

	for (i = 0; i < c->n_rules; i++) {
		if (c->rules[i].unknown_source)
			continue;
		c->res.n_rules++;
		if (finish_rule(c, &c->rules[i], joined,
		    &c->r_rules[c->res.n_rules - 1]) < 0)
			return -1;
	}
	return 0;
}

static int
finish_alloc(struct rl_collector *c)
{
	c->r_lists = calloc(c->n_lists + 1, sizeof(*c->r_lists));
	c->r_macros = calloc(c->n_macros + 1, sizeof(*c->r_macros));
	c->r_rules = calloc(c->n_rules + 1, sizeof(*c->r_rules));
	if (c->r_lists == NULL || c->r_macros == NULL || c->r_rules == NULL)
		return -1;
	c->res.n_lists = c->n_lists;
	return 0;
}

int
rl_finish(struct rl_collector *c)
{
	struct rd_ctx x = { .c = c, .kind = RL_ITEM_CONTENT, .name = "" };
	char **joined = NULL;
	size_t i;
	int rc = -1;

	if (c->failed)
		return -1;
	rl_result_free(c);
	if (check_plugins(c) < 0)
		return -1;
	if (finish_alloc(c) < 0 || compile_lists(c) < 0 ||
	    (joined = calloc(c->n_lists + 1, sizeof(*joined))) == NULL)
		goto oom;
	for (i = 0; i < c->n_lists; i++)
		if ((joined[i] = lists_join((char *const *)c->r_lists[i].items,
		    c->r_lists[i].n_items)) == NULL)
			goto oom;
	if (finish_macros(c, joined) == 0 && finish_rules(c, joined) == 0) {
		c->finished = true;
		rc = 0;
	}
	goto out;
oom:
	rd_err(&x, RL_LOAD_ERR_VALIDATE, NULL, "out of memory");
out:
	if (joined != NULL)
		for (i = 0; i < c->n_lists; i++)
			free(joined[i]);
	free(joined);
	c->res.lists = c->r_lists;
	c->res.macros = c->r_macros;
	c->res.rules = c->r_rules;
	return rc;
}

void
rl_mark_macro_used(struct rl_collector *c, size_t macro_idx)
{
	if (macro_idx < c->res.n_macros)
		c->r_macros[macro_idx].used = true;
}

int
rl_mark_macro_used_by_name(struct rl_collector *c, const char *name)
{
	size_t at;

	if (!rl_names_get(&c->macro_names, name, &at) || at >= c->res.n_macros)
		return -1;
	c->r_macros[at].used = true;
	return 0;
}

void
rl_emit_unused_warnings(struct rl_collector *c)
{
	size_t i;

	if (!c->finished || c->unused_done)
		return;
	c->unused_done = true;
	for (i = 0; i < c->res.n_macros; i++) {
		const struct rl_macro *m = &c->r_macros[i];
		struct rd_ctx x = { .c = c, .kind = RL_ITEM_MACRO, .name = m->name,
		    .item_pos = m->pos };

		if (!m->used)
			rd_warn(&x, RL_LOAD_UNUSED_MACRO, NULL,
			    "Macro not referred to by any other rule/macro");
	}
	for (i = 0; i < c->res.n_lists; i++) {
		const struct rl_list *l = &c->r_lists[i];
		struct rd_ctx x = { .c = c, .kind = RL_ITEM_LIST, .name = l->name,
		    .item_pos = l->pos };

		if (!l->used)
			rd_warn(&x, RL_LOAD_UNUSED_LIST, NULL,
			    "List not referred to by any other rule/macro");
	}
}
