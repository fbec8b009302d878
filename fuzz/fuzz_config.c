/*
 * fuzz_config.c - libFuzzer target for the configuration (src/conf.c):
 * loading and flattening a YAML file, -o overrides, the typed getters
 * and their error messages.
 *
 * The input is a configuration file.  It is written to a file in a
 * temporary directory of this process and loaded twice into the same
 * configuration (the second load overrides the first, key by key).
 * Then come a few fixed -o options (scalars, a list, a map, broken
 * ones) and every input line that has an '=' as an -o option of its
 * own.  The keys to read are the flattened keys of the input's first
 * YAML document (computed here from the YAML tree, as conf.c names
 * them) and the keys falconet's modules read; each is read with every
 * getter.  A key that is set must say where it was set, and conf_str
 * must return exactly what conf_get does, or it aborts.
 *
 * Built by `make fuzz` (Makefile.am, block "fuzzing"); seeds are in
 * fuzz/corpus/config/.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "rules/yaml_tree.h"

#include "fuzz_util.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_MAX_READS		512	/* keys read per input */
#define FUZZ_MAX_OPT_LINES	32	/* input lines tried as -o */
#define FUZZ_LIST_MAX		64

static const char *const fixed_opts[] = {
	"log_level=debug",
	"json_output=maybe",
	"audit.rcvbuf=12345",
	"rules_files=[/etc/falconet/a.yaml, b.yaml]",
	"http_output={enabled: true, url: 'http://127.0.0.1:1/x'}",
	"outputs_queue.capacity=[1, {x: 2}]",
	"missing_equals",
	"=no_key",
	"x=[unterminated",
};

/* Keys falconet's modules read (and a few that are lists or maps). */
static const char *const known_keys[] = {
	"log_level", "log_syslog", "log_stderr", "json_output",
	"time_format_iso_8601", "json_include_output_property",
	"json_include_output_fields_property", "json_include_tags_property",
	"json_include_message_property", "rule_matching", "priority",
	"rules_strict", "append_output_suggested", "rules_files",
	"audit.backlog_limit", "audit.failure", "audit.rcvbuf",
	"audit.state_file", "file_output.filename", "file_output.keep_alive",
	"outputs_queue.capacity", "http_output", "http_output.enabled",
	"http_output.url", "x",
};

#define NELEMS(a)	(sizeof(a) / sizeof((a)[0]))

static char reads[FUZZ_MAX_READS][CONF_KEY_MAX];
static size_t nreads;

static void
add_read(const char *key)
{
	if (nreads < FUZZ_MAX_READS)
		snprintf(reads[nreads++], CONF_KEY_MAX, "%s", key);
}

/* The flattened names of n's keys, collections included (for conf_list). */
static void
collect(const struct rl_ynode *n, char *key, size_t klen, unsigned depth)
{
	size_t i;
	int w;

	if (n == NULL || depth > 20 || nreads >= FUZZ_MAX_READS)
		return;
	add_read(key);
	if (n->kind == RL_YSCALAR)
		return;
	for (i = 0; i < n->n; i++) {
		if (n->kind == RL_YSEQ) {
			w = snprintf(key + klen, CONF_KEY_MAX - klen, "[%zu]",
			    i);
			if (w > 0 && (size_t)w < CONF_KEY_MAX - klen)
				collect(n->items[i], key, klen + (size_t)w,
				    depth + 1);
		} else {
			const struct rl_ynode *k = n->items[2 * i];
			if (k->kind != RL_YSCALAR)
				continue;
			w = snprintf(key + klen, CONF_KEY_MAX - klen,
			    klen ? ".%s" : "%s", k->str);
			if (w > 0 && (size_t)w < CONF_KEY_MAX - klen)
				collect(n->items[2 * i + 1], key,
				    klen + (size_t)w, depth + 1);
		}
		key[klen] = '\0';
	}
}

static void
collect_keys(const uint8_t *data, size_t size)
{
	char key[CONF_KEY_MAX] = "";
	struct rl_ystream *s;
	struct rl_yerror yerr;
	size_t i;

	nreads = 0;
	for (i = 0; i < NELEMS(known_keys); i++)
		add_read(known_keys[i]);
	if ((s = rl_yaml_parse((const char *)data, size, NULL, &yerr)) == NULL)
		return;
	if (s->ndocs > 0 && s->docs[0] != NULL && s->docs[0]->kind == RL_YMAP)
		collect(s->docs[0], key, 0, 0);
	rl_yaml_free(s);
}

/* Every input line with an '=' in it, as "-o LINE". */
static void
line_options(struct fc_conf *c, const uint8_t *data, size_t size)
{
	const uint8_t *p = data, *end = data + size, *nl;
	unsigned n = 0;
	char err[512];
	size_t len;
	char *opt;

	while (p < end && n < FUZZ_MAX_OPT_LINES) {
		nl = memchr(p, '\n', (size_t)(end - p));
		len = (size_t)((nl != NULL ? nl : end) - p);
		if (memchr(p, '=', len) != NULL &&
		    memchr(p, '\0', len) == NULL) {
			if ((opt = malloc(len + 1)) == NULL)
				return;
			memcpy(opt, p, len);
			opt[len] = '\0';
			conf_set_option(c, opt, err, sizeof(err));
			free(opt);
			n++;
		}
		p += len + 1;
	}
}

static void
read_all(struct fc_conf *c)
{
	const char *list[FUZZ_LIST_MAX], *v, *where;
	size_t i, j, n;

	for (i = 0; i < nreads; i++) {
		v = conf_get(c, reads[i]);
		where = conf_where(c, reads[i]);
		if ((v != NULL) != (*where != '\0'))
			abort();
		if (conf_str(c, reads[i], NULL) != v)
			abort();
		conf_bool(c, reads[i], false);
		conf_int(c, reads[i], -5, 1000000, 7);
		conf_int(c, reads[i], INT64_MIN, INT64_MAX, 0);
		n = conf_list(c, reads[i], list, FUZZ_LIST_MAX);
		for (j = 0; j < n; j++)
			if (list[j] == NULL)
				abort();
	}
	for (i = 0; i < conf_nerrors(c); i++)
		if (conf_error_msg(c, i) == NULL)
			abort();
	if (conf_error_msg(c, conf_nerrors(c)) != NULL)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *path = fuzz_tmpfile("falconet.yaml", data, size);
	struct fc_conf *c;
	char err[512];
	size_t i;

	if ((c = conf_new()) == NULL)
		return 0;
	conf_load_file(c, path, err, sizeof(err));
	conf_load_file(c, path, err, sizeof(err));
	for (i = 0; i < NELEMS(fixed_opts); i++)
		conf_set_option(c, fixed_opts[i], err, sizeof(err));
	line_options(c, data, size);
	collect_keys(data, size);
	read_all(c);
	(void)conf_unknown(c, NULL, NULL);	/* hostile keys vs the document */
	conf_free(c);
	return 0;
}
