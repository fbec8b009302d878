/*
 * loader.c - rules collector lifecycle, diagnostics, file/dir/buffer input.
 *
 * Owns the collector and everything in it (items, interned file names,
 * diagnostics).  Reading a buffer: parse the YAML tree, then walk every
 * document the way Falco's rule_loader::reader::read does (sequence of
 * maps, null items skipped, first error stops the file and poisons the
 * collector).  Item-specific reading lives in loader_read.c and
 * loader_rule.c; rl_finish() in loader_final.c.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rules/loader_int.h"

#define RL_MAX_DIAGS	100000
#define RL_MSG_MAX	4096

static const char *const rl_code_names[RL_CODE_COUNT] = {
	"LOAD_ERR_FILE_READ", "LOAD_ERR_YAML_PARSE", "LOAD_ERR_YAML_VALIDATE",
	"LOAD_ERR_COMPILE_CONDITION", "LOAD_ERR_COMPILE_OUTPUT",
	"LOAD_ERR_VALIDATE", "LOAD_ERR_EXTENSION",
	"LOAD_UNKNOWN_SOURCE", "LOAD_UNSAFE_NA_CHECK", "LOAD_NO_EVTTYPE",
	"LOAD_UNKNOWN_FILTER", "LOAD_UNUSED_MACRO", "LOAD_UNUSED_LIST",
	"LOAD_UNKNOWN_ITEM", "LOAD_DEPRECATED_ITEM", "LOAD_WARNING_EXTENSION",
	"LOAD_APPEND_NO_VALUES", "LOAD_EXCEPTION_NAME_NOT_UNIQUE",
	"LOAD_INVALID_MACRO_NAME", "LOAD_INVALID_LIST_NAME",
	"LOAD_COMPILE_CONDITION", "LOAD_UNKNOWN_KEY",
};

/* Falco's short texts (falco_load_result.cpp error_strings/warning_strings). */
static const char *const rl_code_descs[RL_CODE_COUNT] = {
	"File read error", "YAML parse error",
	"Error validating internal structure of YAML file",
	"Error compiling condition", "Error compiling output",
	"Error validating rule/macro/list/exception objects",
	"Error in extension item",
	"Unknown event source", "Unsafe <NA> comparison in condition",
	"Condition has no event-type restriction",
	"Unknown field or event-type in condition or output",
	"Unused macro", "Unused list", "Unknown rules file item",
	"Used deprecated item", "Warning in extension item",
	"Overriding/appending with no values",
	"Multiple exceptions defined with the same name",
	"Invalid macro name", "Invalid list name", "Warning in rule condition",
	"Unknown key in item definition",
};

static const char *const rl_item_names[] = {
	"rules content", "rules content item", "required_engine_version",
	"required_plugin_versions", "list", "macro", "rule",
};

static const char *const rl_prio_names[] = {
	"Emergency", "Alert", "Critical", "Error", "Warning", "Notice",
	"Informational", "Debug",
};

const char *
rl_code_name(enum rl_code code)
{
	return (unsigned)code < RL_CODE_COUNT ? rl_code_names[code] : "?";
}

const char *
rl_code_desc(enum rl_code code)
{
	return (unsigned)code < RL_CODE_COUNT ? rl_code_descs[code] : "?";
}

bool
rl_code_is_error(enum rl_code code)
{
	return code < RL_LOAD_UNKNOWN_SOURCE;
}

const char *
rl_item_kind_name(enum rl_item_kind k)
{
	return (unsigned)k <= RL_ITEM_RULE ? rl_item_names[k] : "?";
}

const char *
rl_priority_name(enum rl_priority p)
{
	return (unsigned)p <= RL_PRIO_DEBUG ? rl_prio_names[p] : "?";
}

int
rl_priority_parse(const char *s)
{
	int i;

	for (i = 0; i <= RL_PRIO_DEBUG; i++)
		if (strcasecmp(s, rl_prio_names[i]) == 0)
			return i;
	/* Falco's legacy alias; the only non-exact name. */
	return strcasecmp(s, "info") == 0 ? RL_PRIO_INFORMATIONAL : -1;
}

/* ---- small helpers shared by the loader files ---------------------- */

char *
rl_strdup(const char *s)
{
	return strdup(s != NULL ? s : "");
}

/* *dst = *dst + sep + src; 0 or -1 (ENOMEM, *dst unchanged). */
int
rl_strappend(char **dst, const char *sep, const char *src)
{
	size_t a = *dst ? strlen(*dst) : 0, b = strlen(sep), c = strlen(src);
	char *p = realloc(*dst, a + b + c + 1);

	if (p == NULL)
		return -1;
	memcpy(p + a, sep, b);
	memcpy(p + a + b, src, c + 1);
	*dst = p;
	return 0;
}

int
rl_grow(void **v, size_t *cap, size_t n, size_t elem)
{
	size_t ncap;
	void *p;

	if (n < *cap)
		return 0;
	ncap = *cap ? *cap * 2 : 16;
	if (ncap > ((size_t)-1) / elem)
		return -1;
	p = realloc(*v, ncap * elem);
	if (p == NULL)
		return -1;
	*v = p;
	*cap = ncap;
	return 0;
}

static uint64_t
rl_hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 1099511628211ULL;
	return h;
}

bool
rl_names_get(const struct rl_names *t, const char *key, size_t *val)
{
	size_t i;

	if (t->cap == 0)
		return false;
	for (i = rl_hash(key) & (t->cap - 1); t->keys[i]; i = (i + 1) & (t->cap - 1))
		if (strcmp(t->keys[i], key) == 0) {
			*val = t->vals[i];
			return true;
		}
	return false;
}

static int
rl_names_rehash(struct rl_names *t)
{
	struct rl_names n = { 0 };
	size_t i;

	n.cap = t->cap ? t->cap * 2 : 64;
	n.keys = calloc(n.cap, sizeof(*n.keys));
	n.vals = calloc(n.cap, sizeof(*n.vals));
	if (n.keys == NULL || n.vals == NULL) {
		free(n.keys);
		free(n.vals);
		return -1;
	}
	for (i = 0; i < t->cap; i++)
		if (t->keys[i] != NULL && rl_names_put(&n, t->keys[i], t->vals[i]) < 0)
			return -1;
	free(t->keys);
	free(t->vals);
	*t = n;
	return 0;
}

/* key must stay valid while in the table (it points at the item name). */
int
rl_names_put(struct rl_names *t, const char *key, size_t val)
{
	size_t i;

	if ((t->n + 1) * 2 > t->cap && rl_names_rehash(t) < 0)
		return -1;
	for (i = rl_hash(key) & (t->cap - 1); t->keys[i]; i = (i + 1) & (t->cap - 1))
		if (strcmp(t->keys[i], key) == 0)
			break;
	if (t->keys[i] == NULL)
		t->n++;
	t->keys[i] = key;
	t->vals[i] = val;
	return 0;
}

void
rl_names_free(struct rl_names *t)
{
	free(t->keys);
	free(t->vals);
	memset(t, 0, sizeof(*t));
}

/* ---- diagnostics -------------------------------------------------- */

struct rl_pos
rd_pos(const struct rd_ctx *x, const struct rl_ynode *node)
{
	struct rl_pos p = x->item_pos;

	if (node == NULL)
		node = x->at;
	if (node != NULL) {
		p.line = node->line;
		p.col = node->col;
		p.offset = node->offset;
	}
	return p;
}

int
rl_diag_add(struct rl_collector *c, enum rl_code code, const struct rd_ctx *x,
    const struct rl_pos *pos, const char *msg)
{
	struct rl_diag *d;

	if (rl_code_is_error(code)) {
		c->failed = true;
		c->n_errors++;
	}
	/* A flood of warnings is capped; errors always fit (one per run). */
	if (c->n_diags >= RL_MAX_DIAGS && !rl_code_is_error(code))
		return 0;
	if (rl_grow((void **)&c->diags, &c->cap_diags, c->n_diags,
	    sizeof(*c->diags)) < 0)
		return -1;
	d = &c->diags[c->n_diags];
	memset(d, 0, sizeof(*d));
	d->code = code;
	d->msg = rl_strdup(msg);
	d->item_name = rl_strdup(x != NULL ? x->name : "");
	if (d->msg == NULL || d->item_name == NULL) {
		free(d->msg);
		free(d->item_name);
		return -1;
	}
	d->pos = *pos;
	if (x != NULL) {
		d->item_kind = x->kind;
		d->item_pos = x->item_pos;
	} else {
		d->item_kind = RL_ITEM_CONTENT;
		d->item_pos = *pos;
	}
	c->n_diags++;
	return 0;
}

static void __attribute__((format(printf, 4, 0)))
rd_vdiag(const struct rd_ctx *x, enum rl_code code, const struct rl_ynode *node,
    const char *fmt, va_list ap)
{
	char msg[RL_MSG_MAX];
	struct rl_pos pos = rd_pos(x, node);

	vsnprintf(msg, sizeof(msg), fmt, ap);
	(void)rl_diag_add(x->c, code, x, &pos, msg);
}

int
rd_err(const struct rd_ctx *x, enum rl_code code, const struct rl_ynode *node,
    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	rd_vdiag(x, code, node, fmt, ap);
	va_end(ap);
	return -1;
}

void
rd_warn(const struct rd_ctx *x, enum rl_code code, const struct rl_ynode *node,
    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	rd_vdiag(x, code, node, fmt, ap);
	va_end(ap);
}

int
rl_add_diag(struct rl_collector *c, const struct rl_diag *d)
{
	struct rd_ctx x = { .c = c, .kind = d->item_kind,
	    .name = d->item_name ? d->item_name : "", .item_pos = d->item_pos };
	const char *file = d->pos.file;
	struct rl_pos pos = d->pos;
	size_t i;

	/* Re-intern the file names so they outlive the caller's strings. */
	pos.file = x.item_pos.file = NULL;
	for (i = 0; i < c->n_files; i++) {
		if (file != NULL && strcmp(c->files[i], file) == 0)
			pos.file = c->files[i];
		if (d->item_pos.file != NULL &&
		    strcmp(c->files[i], d->item_pos.file) == 0)
			x.item_pos.file = c->files[i];
	}
	return rl_diag_add(c, d->code, &x, &pos, d->msg ? d->msg : "");
}

/* ---- lifecycle ----------------------------------------------------- */

static const char *const rl_default_sources[] = { "syscall", NULL };

struct rl_collector *
rl_collector_new(const struct rl_options *opt)
{
	struct rl_collector *c = calloc(1, sizeof(*c));

	if (c == NULL)
		return NULL;
	if (opt != NULL)
		c->opt = *opt;
	if (c->opt.max_file_size == 0)
		c->opt.max_file_size = 16u << 20;
	if (c->opt.max_depth == 0)
		c->opt.max_depth = 64;
	if (c->opt.max_nodes == 0)
		c->opt.max_nodes = 1000000;
	if (c->opt.max_scalar == 0)
		c->opt.max_scalar = 1u << 20;
	if (c->opt.max_cond_len == 0)
		c->opt.max_cond_len = 1u << 20;
	if (c->opt.max_dir_files == 0)
		c->opt.max_dir_files = 4096;
	if (c->opt.sources == NULL)
		c->opt.sources = rl_default_sources;
	c->ylim.max_input = c->opt.max_file_size;
	c->ylim.max_depth = c->opt.max_depth;
	c->ylim.max_nodes = c->opt.max_nodes;
	c->ylim.max_scalar = c->opt.max_scalar;
	return c;
}

static void
rl_items_free(struct rl_collector *c)
{
	size_t i;

	for (i = 0; i < c->n_lists; i++) {
		free(c->lists[i].name);
		rd_free_strv(c->lists[i].items, c->lists[i].n);
	}
	for (i = 0; i < c->n_macros; i++) {
		free(c->macros[i].name);
		free(c->macros[i].cond);
	}
	for (i = 0; i < c->n_rules; i++)
		cl_rule_free(&c->rules[i]);
	for (i = 0; i < c->n_plugins; i++) {
		size_t j;

		for (j = 0; j < c->plugins[i].n; j++) {
			free(c->plugins[i].v[j].name);
			free(c->plugins[i].v[j].version);
		}
		free(c->plugins[i].v);
	}
	free(c->lists);
	free(c->macros);
	free(c->rules);
	free(c->plugins);
}

void
rl_collector_free(struct rl_collector *c)
{
	size_t i;

	if (c == NULL)
		return;
	rl_result_free(c);
	rl_items_free(c);
	rl_names_free(&c->list_names);
	rl_names_free(&c->macro_names);
	rl_names_free(&c->rule_names);
	for (i = 0; i < c->n_diags; i++) {
		free(c->diags[i].msg);
		free(c->diags[i].item_name);
	}
	free(c->diags);
	for (i = 0; i < c->n_files; i++)
		free(c->files[i]);
	free(c->files);
	free(c);
}

static const char *
rl_intern_file(struct rl_collector *c, const char *name)
{
	char *s;

	if (c->n_files > 0 && strcmp(c->files[c->n_files - 1], name) == 0)
		return c->files[c->n_files - 1];
	s = rl_strdup(name);
	if (s == NULL)
		return NULL;
	if (rl_grow((void **)&c->files, &c->cap_files, c->n_files,
	    sizeof(*c->files)) < 0) {
		free(s);
		return NULL;
	}
	c->files[c->n_files++] = s;
	return s;
}

/* ---- reading -------------------------------------------------------- */

/* One item of a document: Falco's read_item dispatch on the first
 * present key, in this fixed order. */
static int
rd_item(struct rd_ctx *x, const struct rl_ynode *item)
{
	x->kind = RL_ITEM_CONTENT_ITEM;
	x->name = "";
	x->at = NULL;
	x->item_pos = rd_pos(x, item);
	if (item->kind != RL_YMAP)
		return rd_err(x, RL_LOAD_ERR_YAML_VALIDATE, item,
		    "Unexpected element type. Each element should be a yaml "
		    "associative array.");
	if (rl_ymap_get(item, "required_engine_version") != NULL)
		return rd_engine_version(x, item);
	if (rl_ymap_get(item, "required_plugin_versions") != NULL)
		return rd_plugin_versions(x, item);
	if (rl_ymap_get(item, "list") != NULL)
		return rd_list(x, item);
	if (rl_ymap_get(item, "macro") != NULL)
		return rd_macro(x, item);
	if (rl_ymap_get(item, "rule") != NULL)
		return rd_rule(x, item);
	rd_warn(x, RL_LOAD_UNKNOWN_ITEM, item, "Unknown top level item");
	return 0;
}

static int
rd_document(struct rd_ctx *x, const struct rl_ynode *doc)
{
	size_t i;

	if (doc == NULL || rl_ynode_is_null(doc))
		return 0;
	x->kind = RL_ITEM_CONTENT;
	x->name = "";
	x->item_pos = (struct rl_pos){ .file = x->file };
	if (doc->kind == RL_YSCALAR)
		return rd_err(x, RL_LOAD_ERR_YAML_VALIDATE, NULL,
		    "Rules content is not yaml");
	if (doc->kind != RL_YSEQ)
		return rd_err(x, RL_LOAD_ERR_YAML_VALIDATE, NULL,
		    "Rules content is not yaml array of objects");
	for (i = 0; i < doc->n; i++) {
		if (rl_ynode_is_null(doc->items[i]))
			continue;
		if (rd_item(x, doc->items[i]) < 0)
			return -1;
	}
	return 0;
}

int
rl_load_buffer(struct rl_collector *c, const char *name, const char *text,
    size_t len)
{
	struct rd_ctx x = { .c = c, .kind = RL_ITEM_CONTENT, .name = "" };
	struct rl_ystream *s;
	struct rl_yerror yerr;
	struct rl_pos pos;
	size_t i;

	if (c->failed)
		return -1;
	/* Results point into the items this load may change. */
	rl_result_free(c);
	x.file = rl_intern_file(c, name != NULL ? name : "");
	if (x.file == NULL)
		return -1;
	x.item_pos = (struct rl_pos){ .file = x.file };
	s = rl_yaml_parse(text, len, &c->ylim, &yerr);
	if (s == NULL) {
		pos = (struct rl_pos){ .file = x.file, .line = yerr.line,
		    .col = yerr.col, .offset = yerr.offset };
		(void)rl_diag_add(c, RL_LOAD_ERR_YAML_PARSE, &x, &pos, yerr.msg);
		return -1;
	}
	for (i = 0; i < s->ndocs; i++)
		if (rd_document(&x, s->docs[i]) < 0)
			break;
	rl_yaml_free(s);
	return c->failed ? -1 : 0;
}

static int
rl_read_error(struct rl_collector *c, const char *path, const char *what)
{
	struct rd_ctx x = { .c = c, .kind = RL_ITEM_CONTENT, .name = "" };
	char msg[RL_MSG_MAX];

	x.file = rl_intern_file(c, path);
	x.item_pos = (struct rl_pos){ .file = x.file };
	snprintf(msg, sizeof(msg), "Could not read rules file %s: %s", path, what);
	(void)rl_diag_add(c, RL_LOAD_ERR_FILE_READ, &x, &x.item_pos, msg);
	return -1;
}

/* Read a whole regular file of at most max bytes into *buf. */
static int
rl_slurp(const char *path, size_t max, char **buf, size_t *len, int *err)
{
	struct stat st;
	size_t got = 0;
	ssize_t r;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) ||
	    (uint64_t)st.st_size > max) {
		*err = fd < 0 ? errno : (S_ISREG(st.st_mode) ? EFBIG : EINVAL);
		if (fd >= 0)
			close(fd);
		return -1;
	}
	*buf = malloc((size_t)st.st_size + 1);
	if (*buf == NULL) {
		close(fd);
		*err = ENOMEM;
		return -1;
	}
	/* The size may change under us: never read past the buffer. */
	while (got < (size_t)st.st_size &&
	    (r = read(fd, *buf + got, (size_t)st.st_size - got)) != 0) {
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			*err = errno;
			free(*buf);
			close(fd);
			return -1;
		}
		got += (size_t)r;
	}
	close(fd);
	(*buf)[got] = '\0';
	*len = got;
	return 0;
}

int
rl_load_file(struct rl_collector *c, const char *path)
{
	char *buf;
	size_t len;
	int err = 0, rc;

	if (c->failed)
		return -1;
	if (rl_slurp(path, c->opt.max_file_size, &buf, &len, &err) < 0)
		return rl_read_error(c, path, err == EFBIG ? "file is too large" :
		    err == EINVAL ? "not a regular file" : strerror(err));
	rc = rl_load_buffer(c, path, buf, len);
	free(buf);
	return rc;
}

static bool
rl_is_rules_name(const char *n)
{
	size_t l = strlen(n);

	return n[0] != '.' && ((l > 5 && strcmp(n + l - 5, ".yaml") == 0) ||
	    (l > 4 && strcmp(n + l - 4, ".yml") == 0));
}

static int
rl_cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted names of the rules files in dir; -1 with errno-like *err. */
static int
rl_dir_names(const char *path, size_t max, char ***names, size_t *n, int *err)
{
	DIR *d = opendir(path);
	struct dirent *de;
	size_t cap = 0;

	*names = NULL;
	*n = 0;
	if (d == NULL) {
		*err = errno;
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		if (!rl_is_rules_name(de->d_name))
			continue;
		if (*n >= max || rl_grow((void **)names, &cap, *n,
		    sizeof(**names)) < 0 ||
		    ((*names)[*n] = rl_strdup(de->d_name)) == NULL) {
			*err = *n >= max ? E2BIG : ENOMEM;
			closedir(d);
			rd_free_strv(*names, *n);
			return -1;
		}
		(*n)++;
	}
	closedir(d);
	if (*n > 0)
		qsort(*names, *n, sizeof(**names), rl_cmp_str);
	return 0;
}

int
rl_load_dir(struct rl_collector *c, const char *path)
{
	char **names, full[4096];
	size_t n, i;
	int err = 0, rc = 0;

	if (c->failed)
		return -1;
	if (rl_dir_names(path, c->opt.max_dir_files, &names, &n, &err) < 0)
		return rl_read_error(c, path, err == E2BIG ?
		    "too many files in directory" : strerror(err));
	for (i = 0; i < n && rc == 0; i++) {
		struct stat st;

		if ((size_t)snprintf(full, sizeof(full), "%s/%s", path,
		    names[i]) >= sizeof(full)) {
			rc = rl_read_error(c, names[i], "path too long");
			break;
		}
		/* Only regular files (after symlinks), as Falco does. */
		if (stat(full, &st) == 0 && !S_ISREG(st.st_mode))
			continue;
		rc = rl_load_file(c, full);
	}
	rd_free_strv(names, n);
	return rc;
}

int
rl_load_path(struct rl_collector *c, const char *path)
{
	struct stat st;

	if (c->failed)
		return -1;
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		return rl_load_dir(c, path);
	return rl_load_file(c, path);
}

const struct rl_result *
rl_result(struct rl_collector *c)
{
	struct rl_result *r = &c->res;

	/* Diagnostics are live; the item arrays come from rl_finish(). */
	r->diags = c->diags;
	r->n_diags = c->n_diags;
	r->n_errors = c->n_errors;
	r->required_engine_version = c->have_engine ? c->engine_str : NULL;
	r->finished = c->finished;
	return r;
}
