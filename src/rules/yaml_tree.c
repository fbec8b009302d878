/*
 * yaml_tree.c - build a bounded YAML node tree from libyaml events.
 *
 * Owns the stream arena and nothing else.  The builder keeps a stack of
 * open collections; children of open collections wait on one growable
 * pointer vector and are copied into the arena when their parent ends,
 * so the arena never reallocates.  Anchors map to finished nodes; an
 * alias reuses the node (a DAG) and is charged its full weight against
 * the node budget, which bounds any later walk over the tree.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "rules/yaml_tree.h"

#define YT_MAX_ANCHORS	4096

struct yt_anchor {
	char			*name;
	struct rl_ynode		*node;
};

struct yt_open {
	struct rl_ynode		*node;
	size_t			 first;		/* index in pend of first child */
	char			*anchor;	/* registered when closed */
};

struct yt_builder {
	struct rl_ystream	*s;
	struct rl_ylimits	 lim;
	struct rl_yerror	*err;
	size_t			 nodes;
	struct rl_ynode		**pend;		/* children of open collections */
	size_t			 npend, cappend;
	struct yt_open		*open;		/* max_depth entries */
	size_t			 depth;
	struct yt_anchor	*anchors;
	size_t			 nanchors;
	struct rl_ynode		**docs;
	size_t			 ndocs, capdocs;
	struct rl_ynode		*root;		/* root of the current document */
};

static const struct rl_ylimits yt_defaults = {
	.max_input = 16u << 20,
	.max_depth = 64,
	.max_nodes = 1000000,
	.max_scalar = 1u << 20,
};

static void
yt_fail(struct yt_builder *b, const yaml_mark_t *m, const char *msg)
{
	snprintf(b->err->msg, sizeof(b->err->msg), "%s", msg);
	if (m != NULL) {
		b->err->line = (unsigned)m->line + 1;
		b->err->col = (unsigned)m->column + 1;
		b->err->offset = m->index;
	}
}

static bool
yt_push_ptr(struct rl_ynode ***v, size_t *n, size_t *cap, struct rl_ynode *p)
{
	if (*n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 64;
		struct rl_ynode **nv = realloc(*v, ncap * sizeof(*nv));

		if (nv == NULL)
			return false;
		*v = nv;
		*cap = ncap;
	}
	(*v)[(*n)++] = p;
	return true;
}

/* Charge weight nodes to the budget; false (error set) when exceeded. */
static bool
yt_charge(struct yt_builder *b, size_t weight, const yaml_mark_t *m)
{
	if (weight > b->lim.max_nodes - b->nodes) {
		yt_fail(b, m, "YAML document has too many nodes");
		return false;
	}
	b->nodes += weight;
	return true;
}

static struct rl_ynode *
yt_new_node(struct yt_builder *b, enum rl_ykind kind, const yaml_mark_t *m)
{
	struct rl_ynode *n = fc_arena_alloc(&b->s->arena, sizeof(*n));

	if (n == NULL) {
		yt_fail(b, m, "out of memory building the YAML tree");
		return NULL;
	}
	memset(n, 0, sizeof(*n));
	n->kind = kind;
	n->line = (unsigned)m->line + 1;
	n->col = (unsigned)m->column + 1;
	n->offset = m->index;
	n->weight = 1;
	n->str = "";
	return n;
}

/* Attach a finished node to its parent (or make it the document root). */
static bool
yt_attach(struct yt_builder *b, struct rl_ynode *n, const yaml_mark_t *m)
{
	if (b->depth == 0) {
		b->root = n;
		return true;
	}
	if (!yt_push_ptr(&b->pend, &b->npend, &b->cappend, n)) {
		yt_fail(b, m, "out of memory building the YAML tree");
		return false;
	}
	return true;
}

static bool
yt_add_anchor(struct yt_builder *b, const char *name, struct rl_ynode *n,
    const yaml_mark_t *m)
{
	struct yt_anchor *a;

	if (b->nanchors == YT_MAX_ANCHORS) {
		yt_fail(b, m, "YAML document has too many anchors");
		return false;
	}
	a = &b->anchors[b->nanchors];
	a->name = strdup(name);
	if (a->name == NULL) {
		yt_fail(b, m, "out of memory building the YAML tree");
		return false;
	}
	a->node = n;
	b->nanchors++;
	return true;
}

static struct rl_ynode *
yt_find_anchor(struct yt_builder *b, const char *name)
{
	size_t i;

	/* The latest definition of a name wins, as in YAML. */
	for (i = b->nanchors; i > 0; i--)
		if (strcmp(b->anchors[i - 1].name, name) == 0)
			return b->anchors[i - 1].node;
	return NULL;
}

static enum rl_ystyle
yt_scalar_style(yaml_scalar_style_t st)
{
	switch (st) {
	case YAML_SINGLE_QUOTED_SCALAR_STYLE:	return RL_YSINGLE;
	case YAML_DOUBLE_QUOTED_SCALAR_STYLE:	return RL_YDOUBLE;
	case YAML_LITERAL_SCALAR_STYLE:		return RL_YLITERAL;
	case YAML_FOLDED_SCALAR_STYLE:		return RL_YFOLDED;
	default:				return RL_YPLAIN;
	}
}

static bool
yt_on_scalar(struct yt_builder *b, const yaml_event_t *ev)
{
	const yaml_mark_t *m = &ev->start_mark;
	size_t len = ev->data.scalar.length;
	struct rl_ynode *n;
	char *s;

	if (len > b->lim.max_scalar) {
		yt_fail(b, m, "YAML scalar is too long");
		return false;
	}
	if (memchr(ev->data.scalar.value, '\0', len) != NULL) {
		yt_fail(b, m, "YAML scalar contains a NUL character");
		return false;
	}
	if (!yt_charge(b, 1, m) || (n = yt_new_node(b, RL_YSCALAR, m)) == NULL)
		return false;
	s = fc_arena_strndup(&b->s->arena, (const char *)ev->data.scalar.value,
	    len);
	if (s == NULL) {
		yt_fail(b, m, "out of memory building the YAML tree");
		return false;
	}
	n->str = s;
	n->len = len;
	n->style = yt_scalar_style(ev->data.scalar.style);
	if (ev->data.scalar.anchor != NULL &&
	    !yt_add_anchor(b, (const char *)ev->data.scalar.anchor, n, m))
		return false;
	return yt_attach(b, n, m);
}

static bool
yt_on_alias(struct yt_builder *b, const yaml_event_t *ev)
{
	const yaml_mark_t *m = &ev->start_mark;
	struct rl_ynode *n = yt_find_anchor(b, (const char *)ev->data.alias.anchor);
	char msg[200];

	if (n == NULL) {
		/* Also covers an alias to a collection that is still open. */
		snprintf(msg, sizeof(msg), "YAML alias '*%.100s' refers to an "
		    "unknown anchor", (const char *)ev->data.alias.anchor);
		yt_fail(b, m, msg);
		return false;
	}
	if (!yt_charge(b, n->weight, m))
		return false;
	return yt_attach(b, n, m);
}

static bool
yt_on_start(struct yt_builder *b, const yaml_event_t *ev, enum rl_ykind kind)
{
	const yaml_mark_t *m = &ev->start_mark;
	const yaml_char_t *anchor;
	struct yt_open *o;
	struct rl_ynode *n;
	bool flow;

	if (b->depth >= b->lim.max_depth) {
		yt_fail(b, m, "YAML document is nested too deeply");
		return false;
	}
	if (!yt_charge(b, 1, m) || (n = yt_new_node(b, kind, m)) == NULL)
		return false;
	if (kind == RL_YSEQ) {
		anchor = ev->data.sequence_start.anchor;
		flow = ev->data.sequence_start.style == YAML_FLOW_SEQUENCE_STYLE;
	} else {
		anchor = ev->data.mapping_start.anchor;
		flow = ev->data.mapping_start.style == YAML_FLOW_MAPPING_STYLE;
	}
	n->style = flow ? RL_YFLOW : RL_YBLOCK;
	o = &b->open[b->depth++];
	o->node = n;
	o->first = b->npend;
	o->anchor = NULL;
	if (anchor != NULL && (o->anchor = strdup((const char *)anchor)) == NULL) {
		yt_fail(b, m, "out of memory building the YAML tree");
		return false;
	}
	return true;
}

static bool
yt_on_end(struct yt_builder *b, const yaml_event_t *ev)
{
	const yaml_mark_t *m = &ev->start_mark;
	struct yt_open *o = &b->open[--b->depth];
	struct rl_ynode *n = o->node;
	size_t cnt = b->npend - o->first, i;
	bool ok = true;

	if (cnt > 0) {
		n->items = fc_arena_alloc(&b->s->arena, cnt * sizeof(*n->items));
		if (n->items == NULL) {
			yt_fail(b, m, "out of memory building the YAML tree");
			free(o->anchor);
			return false;
		}
		memcpy(n->items, b->pend + o->first, cnt * sizeof(*n->items));
	}
	for (i = 0; i < cnt; i++)
		n->weight += n->items[i]->weight;
	n->n = n->kind == RL_YMAP ? cnt / 2 : cnt;
	b->npend = o->first;
	if (o->anchor != NULL)
		ok = yt_add_anchor(b, o->anchor, n, m);
	free(o->anchor);
	o->anchor = NULL;
	return ok && yt_attach(b, n, m);
}

static bool
yt_on_doc_end(struct yt_builder *b, const yaml_event_t *ev)
{
	size_t i;

	if (!yt_push_ptr(&b->docs, &b->ndocs, &b->capdocs, b->root)) {
		yt_fail(b, &ev->start_mark, "out of memory building the YAML tree");
		return false;
	}
	b->root = NULL;
	/* Anchors do not cross document boundaries. */
	for (i = 0; i < b->nanchors; i++)
		free(b->anchors[i].name);
	b->nanchors = 0;
	return true;
}

/* Handle one event; *done is set at the end of the stream. */
static bool
yt_event(struct yt_builder *b, const yaml_event_t *ev, bool *done)
{
	switch (ev->type) {
	case YAML_SCALAR_EVENT:
		return yt_on_scalar(b, ev);
	case YAML_ALIAS_EVENT:
		return yt_on_alias(b, ev);
	case YAML_SEQUENCE_START_EVENT:
		return yt_on_start(b, ev, RL_YSEQ);
	case YAML_MAPPING_START_EVENT:
		return yt_on_start(b, ev, RL_YMAP);
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		return yt_on_end(b, ev);
	case YAML_DOCUMENT_END_EVENT:
		return yt_on_doc_end(b, ev);
	case YAML_STREAM_END_EVENT:
		*done = true;
		return true;
	default:
		return true;
	}
}

static void
yt_parser_error(struct yt_builder *b, const yaml_parser_t *p)
{
	const char *problem = p->problem ? p->problem : "unknown YAML error";

	if (p->context != NULL)
		snprintf(b->err->msg, sizeof(b->err->msg), "%s: %s", p->context,
		    problem);
	else
		snprintf(b->err->msg, sizeof(b->err->msg), "%s", problem);
	b->err->line = (unsigned)p->problem_mark.line + 1;
	b->err->col = (unsigned)p->problem_mark.column + 1;
	b->err->offset = p->problem_mark.index;
	if (p->error == YAML_READER_ERROR) {
		/* Reader errors carry a byte offset only. */
		b->err->offset = p->problem_offset;
		b->err->line = 0;
		b->err->col = 0;
	}
}

static bool
yt_run(struct yt_builder *b, const char *buf, size_t len)
{
	yaml_parser_t p;
	yaml_event_t ev;
	bool done = false, ok = true;

	if (!yaml_parser_initialize(&p)) {
		yt_fail(b, NULL, "out of memory initialising the YAML parser");
		return false;
	}
	yaml_parser_set_input_string(&p, (const unsigned char *)buf, len);
	while (ok && !done) {
		if (!yaml_parser_parse(&p, &ev)) {
			yt_parser_error(b, &p);
			ok = false;
			break;
		}
		ok = yt_event(b, &ev, &done);
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&p);
	return ok;
}

static void
yt_builder_fini(struct yt_builder *b)
{
	size_t i;

	for (i = 0; i < b->nanchors; i++)
		free(b->anchors[i].name);
	for (i = 0; i < b->depth; i++)
		free(b->open[i].anchor);
	free(b->anchors);
	free(b->open);
	free(b->pend);
}

struct rl_ystream *
rl_yaml_parse(const char *buf, size_t len, const struct rl_ylimits *lim,
    struct rl_yerror *err)
{
	struct yt_builder b;
	struct rl_ystream *s;
	bool ok;

	memset(err, 0, sizeof(*err));
	memset(&b, 0, sizeof(b));
	b.lim = lim != NULL ? *lim : yt_defaults;
	b.err = err;
	if (len > b.lim.max_input) {
		snprintf(err->msg, sizeof(err->msg), "rules content is too large "
		    "(%zu bytes, limit %zu)", len, b.lim.max_input);
		return NULL;
	}
	s = calloc(1, sizeof(*s));
	b.open = calloc(b.lim.max_depth + 1, sizeof(*b.open));
	b.anchors = calloc(YT_MAX_ANCHORS, sizeof(*b.anchors));
	if (s == NULL || b.open == NULL || b.anchors == NULL) {
		snprintf(err->msg, sizeof(err->msg), "out of memory");
		free(s);
		yt_builder_fini(&b);
		return NULL;
	}
	/* Room for every node plus two copies of the text is plenty. */
	fc_arena_init(&s->arena, b.lim.max_nodes * (sizeof(struct rl_ynode) + 16)
	    + 2 * len + 65536);
	b.s = s;
	ok = yt_run(&b, buf, len);
	yt_builder_fini(&b);
	s->docs = b.docs;
	s->ndocs = b.ndocs;
	if (!ok) {
		rl_yaml_free(s);
		return NULL;
	}
	return s;
}

void
rl_yaml_free(struct rl_ystream *s)
{
	if (s == NULL)
		return;
	fc_arena_fini(&s->arena);
	free(s->docs);
	free(s);
}

bool
rl_ynode_is_null(const struct rl_ynode *n)
{
	if (n == NULL || n->kind != RL_YSCALAR || n->style != RL_YPLAIN)
		return false;
	return n->len == 0 || strcmp(n->str, "~") == 0 ||
	    strcmp(n->str, "null") == 0 || strcmp(n->str, "Null") == 0 ||
	    strcmp(n->str, "NULL") == 0;
}

bool
rl_ynode_is_scalar(const struct rl_ynode *n)
{
	return n != NULL && n->kind == RL_YSCALAR && !rl_ynode_is_null(n);
}

const struct rl_ynode *
rl_ymap_get(const struct rl_ynode *m, const char *key)
{
	size_t i;

	if (m == NULL || m->kind != RL_YMAP)
		return NULL;
	for (i = 0; i < m->n; i++) {
		const struct rl_ynode *k = m->items[2 * i];

		if (k->kind == RL_YSCALAR && strcmp(k->str, key) == 0)
			return m->items[2 * i + 1];
	}
	return NULL;
}
