/*
 * conf_known.c - which settings falconet knows: the keys of the
 * documented configuration, etc/falconet.yaml, built into the binary
 * (src/conf_doc.c).  A key in the user's file or -o that the document
 * lacks is a typo or a Falco setting falconet does not implement; the
 * agent warns about each, naming where it was set, instead of ignoring
 * it in silence.
 *
 * Keys are compared with list indices made "[]" ("rules_files[2]" is
 * "rules_files[]").  Anything below an empty list or map of the document
 * (`rules_files: []`) is known, and so is a list given for a documented
 * plain value (conf_list reads both).  Runs at start and on reload only.
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "rules/yaml_tree.h"

extern const char fc_conf_doc[];
extern const size_t fc_conf_doc_len;

enum { DOC_MAX = 1024 };

struct doc {
	char	*path[DOC_MAX];
	bool	 open[DOC_MAX];		/* an empty collection: all below known */
	size_t	 n;
};

static void
doc_add(struct doc *d, const char *path, bool open)
{
	if (d->n < DOC_MAX && (d->path[d->n] = strdup(path)) != NULL)
		d->open[d->n++] = open;
}

static void
doc_walk(struct doc *d, const struct rl_ynode *n, char *path, size_t len)
{
	size_t i, w;

	if (n->kind == RL_YSCALAR || n->n == 0) {
		doc_add(d, path, n->kind != RL_YSCALAR);
		return;
	}
	for (i = 0; i < n->n; i++) {
		const struct rl_ynode *k = n->kind == RL_YMAP ?
		    n->items[2 * i] : NULL;
		const struct rl_ynode *v = k != NULL ? n->items[2 * i + 1] :
		    n->items[i];

		w = k != NULL ? (size_t)snprintf(path + len, CONF_KEY_MAX - len,
		    len ? ".%s" : "%s", k->str) : (size_t)snprintf(path + len,
		    CONF_KEY_MAX - len, "[]");
		if (w < CONF_KEY_MAX - len)
			doc_walk(d, v, path, len + w);
		path[len] = '\0';
	}
}

/* key with every [N] made [], into out. */
static void
normalise(const char *key, char *out, size_t outsz)
{
	size_t o = 0;

	while (*key != '\0' && o + 3 < outsz) {
		out[o++] = *key;
		if (*key++ != '[')
			continue;
		while (isdigit((unsigned char)*key))
			key++;
	}
	out[o] = '\0';
}

/* Is k (normalised) path p, or below it? */
static bool
under(const char *k, const char *p)
{
	size_t n = strlen(p);

	return strncmp(k, p, n) == 0 && (k[n] == '\0' || k[n] == '.' ||
	    k[n] == '[');
}

/*
 * Documented as comments in etc/falconet.yaml: setting any of them changes
 * behaviour (a token, a unix socket instead of TCP), so the file leaves
 * them unset.  check_conf verifies each is there, commented.
 */
static const char *const commented[] = {
	"webserver.token_file",
	"webserver.unix_socket",
	"webserver.unix_socket_owner",
};

static bool
known(const struct doc *d, const char *key)
{
	char k[CONF_KEY_MAX], *br;
	size_t i;

	for (i = 0; i < sizeof(commented) / sizeof(commented[0]); i++)
		if (strcmp(key, commented[i]) == 0)
			return true;
	normalise(key, k, sizeof(k));
	for (i = 0; i < d->n; i++)
		if (strcmp(k, d->path[i]) == 0 ||
		    (d->open[i] && under(k, d->path[i])))
			return true;
	/* A list for a documented plain value: "x[]" for "x". */
	if ((br = strstr(k, "[]")) != NULL && br[2] == '\0') {
		*br = '\0';
		for (i = 0; i < d->n; i++)
			if (strcmp(k, d->path[i]) == 0)
				return true;
	}
	return false;
}

size_t
conf_unknown(const struct fc_conf *c, conf_key_fn fn, void *arg)
{
	struct rl_ystream *s;
	struct rl_yerror yerr;
	struct doc d = { .n = 0 };
	char path[CONF_KEY_MAX] = "";
	const char *key, *where;
	size_t i, bad = 0;

	s = rl_yaml_parse(fc_conf_doc, fc_conf_doc_len, NULL, &yerr);
	if (s == NULL || s->ndocs == 0 || s->docs[0] == NULL ||
	    s->docs[0]->kind != RL_YMAP) {
		rl_yaml_free(s);
		return 0;	/* make check proves the built-in one parses */
	}
	doc_walk(&d, s->docs[0], path, 0);
	rl_yaml_free(s);
	for (i = 0; conf_key_at(c, i, &key, &where); i++)
		if (!known(&d, key)) {
			bad++;
			if (fn != NULL)
				fn(key, where, arg);
		}
	for (i = 0; i < d.n; i++)
		free(d.path[i]);
	return bad;
}
