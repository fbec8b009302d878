/*
 * conf.c - flattened YAML configuration with overrides (see conf.h).
 *
 * Owns a fixed-capacity table of (key, value, where) strings; the YAML
 * tree is only used while loading.  Lookups are linear: the table holds
 * a few hundred keys and is read at start-up and on reload, never per
 * event.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conf.h"
#include "rules/yaml_tree.h"

#define CONF_FILE_MAX	(1u << 20)

struct conf_ent {
	char	*key;
	char	*val;
	char	*where;
};

struct fc_conf {
	struct conf_ent	 ents[CONF_MAX_KEYS];
	size_t		 n;
	char		*errors[CONF_MAX_ERRORS];
	size_t		 nerrors;
};

struct fc_conf *
conf_new(void)
{
	return calloc(1, sizeof(struct fc_conf));
}

static void
ent_free(struct conf_ent *e)
{
	free(e->key);
	free(e->val);
	free(e->where);
}

void
conf_free(struct fc_conf *c)
{
	size_t i;

	if (c == NULL)
		return;
	for (i = 0; i < c->n; i++)
		ent_free(&c->ents[i]);
	for (i = 0; i < c->nerrors; i++)
		free(c->errors[i]);
	free(c);
}

static struct conf_ent *
find(const struct fc_conf *c, const char *key)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		if (strcmp(c->ents[i].key, key) == 0)
			return (struct conf_ent *)&c->ents[i];
	return NULL;
}

/* Remove every key below key (key.x, key[N]...), and key itself unless
 * keep_self. */
static void
drop_prefix(struct fc_conf *c, const char *key, bool keep_self)
{
	size_t i = 0, kl = strlen(key);

	while (i < c->n) {
		const char *k = c->ents[i].key;
		if (strncmp(k, key, kl) == 0 && ((k[kl] == '\0' &&
		    !keep_self) || k[kl] == '.' || k[kl] == '[')) {
			ent_free(&c->ents[i]);
			c->ents[i] = c->ents[--c->n];
		} else {
			i++;
		}
	}
}

static int
put(struct fc_conf *c, const char *key, const char *val, const char *where)
{
	struct conf_ent *e = find(c, key);

	if (e == NULL) {
		if (c->n >= CONF_MAX_KEYS)
			return -1;
		e = &c->ents[c->n++];
		memset(e, 0, sizeof(*e));
		if ((e->key = strdup(key)) == NULL) {
			c->n--;
			return -1;
		}
	}
	free(e->val);
	free(e->where);
	e->val = strdup(val);
	e->where = strdup(where);
	return e->val != NULL && e->where != NULL ? 0 : -1;
}

struct flat {
	struct fc_conf	*c;
	const char	*file;		/* the path, or "-o key=value" */
	char		*err;
	size_t		 errlen;
	bool		 opt;		/* file is an -o: where is just that */
};

static int flatten(struct flat *f, const struct rl_ynode *n, char *key,
	    size_t klen, unsigned depth);

static int
flatten_child(struct flat *f, const struct rl_ynode *n, char *key,
    size_t klen, const char *fmt, const char *name, size_t idx,
    unsigned depth)
{
	int w = fmt[0] == '[' ? snprintf(key + klen, CONF_KEY_MAX - klen,
	    "[%zu]", idx) : snprintf(key + klen, CONF_KEY_MAX - klen,
	    klen ? ".%s" : "%s", name);
	int rc;

	if (w < 0 || (size_t)w >= CONF_KEY_MAX - klen) {
		snprintf(f->err, f->errlen, "%s:%u:%u: key too long", f->file,
		    n->line, n->col);
		return -1;
	}
	rc = flatten(f, n, key, klen + (size_t)w, depth + 1);
	key[klen] = '\0';
	return rc;
}

static int
flatten(struct flat *f, const struct rl_ynode *n, char *key, size_t klen,
    unsigned depth)
{
	char where[512];
	size_t i;

	if (depth > 16) {
		snprintf(f->err, f->errlen, "%s:%u:%u: nested too deeply",
		    f->file, n->line, n->col);
		return -1;
	}
	if (n->kind == RL_YSCALAR) {
		if (f->opt)
			snprintf(where, sizeof(where), "%s", f->file);
		else
			snprintf(where, sizeof(where), "%s:%u:%u", f->file,
			    n->line, n->col);
		/* a scalar replaces a collection set before, as in YAML */
		drop_prefix(f->c, key, true);
		if (put(f->c, key, rl_ynode_is_null(n) ? "" : n->str, where)) {
			snprintf(f->err, f->errlen, "%s: too many settings",
			    f->file);
			return -1;
		}
		return 0;
	}
	/* a collection replaces what was there */
	drop_prefix(f->c, key, false);
	for (i = 0; i < n->n; i++) {
		int rc;
		if (n->kind == RL_YSEQ) {
			rc = flatten_child(f, n->items[i], key, klen, "[", NULL,
			    i, depth);
		} else {
			const struct rl_ynode *k = n->items[2 * i];
			if (k->kind != RL_YSCALAR) {
				snprintf(f->err, f->errlen, "%s:%u:%u: a key "
				    "must be a plain word", f->file, k->line,
				    k->col);
				return -1;
			}
			rc = flatten_child(f, n->items[2 * i + 1], key, klen,
			    ".", k->str, 0, depth);
		}
		if (rc != 0)
			return rc;
	}
	return 0;
}

static char *
read_file(const char *path, size_t *len, char *err, size_t errlen)
{
	struct stat st;
	char *buf;
	ssize_t n;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0 ||
	    fstat(fd, &st) != 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	if (!S_ISREG(st.st_mode) || st.st_size > CONF_FILE_MAX) {
		snprintf(err, errlen, "%s: not a regular file of at most %u "
		    "bytes", path, CONF_FILE_MAX);
		close(fd);
		return NULL;
	}
	if ((buf = malloc((size_t)st.st_size + 1)) == NULL) {
		close(fd);
		snprintf(err, errlen, "%s: out of memory", path);
		return NULL;
	}
	n = read(fd, buf, (size_t)st.st_size);
	close(fd);
	if (n < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		free(buf);
		return NULL;
	}
	buf[n] = '\0';
	*len = (size_t)n;
	return buf;
}

int
conf_load_file(struct fc_conf *c, const char *path, char *err, size_t errlen)
{
	struct flat f = { c, path, err, errlen, false };
	struct rl_ystream *s;
	struct rl_yerror yerr;
	char key[CONF_KEY_MAX] = "";
	size_t len;
	char *buf;
	int rc = 0;

	if ((buf = read_file(path, &len, err, errlen)) == NULL)
		return -1;
	s = rl_yaml_parse(buf, len, NULL, &yerr);
	free(buf);
	if (s == NULL) {
		snprintf(err, errlen, "%s:%u:%u: %s", path, yerr.line, yerr.col,
		    yerr.msg);
		return -1;
	}
	if (s->ndocs > 0 && s->docs[0] != NULL) {
		if (s->docs[0]->kind != RL_YMAP) {
			snprintf(err, errlen, "%s:%u:%u: the configuration must "
			    "be a map of settings", path, s->docs[0]->line,
			    s->docs[0]->col);
			rc = -1;
		} else {
			rc = flatten(&f, s->docs[0], key, 0, 0);
		}
	}
	rl_yaml_free(s);
	return rc;
}

int
conf_set_option(struct fc_conf *c, const char *opt, char *err, size_t errlen)
{
	char key[CONF_KEY_MAX], where[512];
	struct flat f = { c, where, err, errlen, true };
	const char *eq = strchr(opt, '=');
	struct rl_ystream *s;
	struct rl_yerror yerr;
	size_t klen;
	int rc;

	if (eq == NULL || eq == opt || (size_t)(eq - opt) >= CONF_KEY_MAX) {
		snprintf(err, errlen, "-o %s: expected key=value", opt);
		return -1;
	}
	klen = (size_t)(eq - opt);
	memcpy(key, opt, klen);
	key[klen] = '\0';
	snprintf(where, sizeof(where), "-o %s", opt);
	if (eq[1] != '[' && eq[1] != '{') {
		drop_prefix(c, key, true);
		if (put(c, key, eq + 1, where) != 0) {
			snprintf(err, errlen, "-o %s: too many settings", opt);
			return -1;
		}
		return 0;
	}
	/* A list or map value is YAML flow syntax. */
	if ((s = rl_yaml_parse(eq + 1, strlen(eq + 1), NULL, &yerr)) == NULL) {
		snprintf(err, errlen, "-o %s: %s", opt, yerr.msg);
		return -1;
	}
	rc = s->ndocs > 0 && s->docs[0] != NULL ?
	    flatten(&f, s->docs[0], key, klen, 0) : 0;
	rl_yaml_free(s);
	return rc;
}

bool
conf_key_at(const struct fc_conf *c, size_t i, const char **key,
    const char **where)
{
	if (i >= c->n)
		return false;
	*key = c->ents[i].key;
	*where = c->ents[i].where;
	return true;
}

const char *
conf_get(const struct fc_conf *c, const char *key)
{
	const struct conf_ent *e = find(c, key);

	return e != NULL ? e->val : NULL;
}

const char *
conf_where(const struct fc_conf *c, const char *key)
{
	const struct conf_ent *e = find(c, key);

	return e != NULL ? e->where : "";
}

void
conf_error(struct fc_conf *c, const char *key, const char *fmt, ...)
{
	char reason[512], msg[1536];
	va_list ap;

	if (c->nerrors >= CONF_MAX_ERRORS)
		return;
	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	/* where (up to 511 bytes for a long -o) and key come first: formatted
	 * after them, the reason could start past the end of msg. */
	snprintf(msg, sizeof(msg), "%s: '%s': %s", conf_where(c, key), key,
	    reason);
	c->errors[c->nerrors] = strdup(msg);
	if (c->errors[c->nerrors] != NULL)
		c->nerrors++;
}

bool
conf_bool(struct fc_conf *c, const char *key, bool def)
{
	const char *v = conf_get(c, key);

	if (v == NULL || *v == '\0')
		return def;
	if (!strcasecmp(v, "true") || !strcasecmp(v, "yes") ||
	    !strcmp(v, "1") || !strcasecmp(v, "on"))
		return true;
	if (!strcasecmp(v, "false") || !strcasecmp(v, "no") ||
	    !strcmp(v, "0") || !strcasecmp(v, "off"))
		return false;
	conf_error(c, key, "expected true or false, got '%s'", v);
	return def;
}

int64_t
conf_int(struct fc_conf *c, const char *key, int64_t min, int64_t max,
    int64_t def)
{
	const char *v = conf_get(c, key);
	long long n;
	char *end;

	if (v == NULL || *v == '\0')
		return def;
	errno = 0;
	n = strtoll(v, &end, 10);
	if (errno != 0 || *end != '\0' || end == v || n < min || n > max) {
		conf_error(c, key, "expected a whole number from %lld to %lld, "
		    "got '%s'", (long long)min, (long long)max, v);
		return def;
	}
	return n;
}

const char *
conf_str(struct fc_conf *c, const char *key, const char *def)
{
	const char *v = conf_get(c, key);

	return v != NULL ? v : def;
}

size_t
conf_list(const struct fc_conf *c, const char *key, const char **out,
    size_t max)
{
	char k[CONF_KEY_MAX];
	const char *v;
	size_t i;

	for (i = 0; i < max; i++) {
		snprintf(k, sizeof(k), "%s[%zu]", key, i);
		if ((v = conf_get(c, k)) == NULL)
			break;
		out[i] = v;
	}
	/* A plain value is a list of one, as Falco reads sequences
	 * (`rules_files: /x.yaml`, `-o rules_files=/x.yaml`). */
	if (i == 0 && max > 0 && (v = conf_get(c, key)) != NULL &&
	    *v != '\0') {
		out[0] = v;
		i = 1;
	}
	return i;
}

size_t
conf_nerrors(const struct fc_conf *c)
{
	return c->nerrors;
}

const char *
conf_error_msg(const struct fc_conf *c, size_t i)
{
	return i < c->nerrors ? c->errors[i] : NULL;
}
