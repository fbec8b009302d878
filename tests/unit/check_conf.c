/*
 * check_conf.c - the configuration (src/conf.c): loading a YAML file and
 * flattening maps, lists and lists of maps into dotted keys, later files
 * and -o options overriding earlier settings (scalars, lists, maps), the
 * typed getters and their error messages with FILE:LINE:COL or the -o
 * option they came from.
 */
#include "config.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_main.h"
#include "conf.h"

static char dir[PATH_MAX];
static char path[PATH_MAX + 16];
static char err[1024];

static void
setup(void)
{
	snprintf(dir, sizeof(dir), "/tmp/check_conf.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void
teardown(void)
{
	char p[PATH_MAX + 16];

	snprintf(p, sizeof(p), "%s/conf.yaml", dir);
	unlink(p);
	rmdir(dir);
}

/* Write yaml to DIR/conf.yaml (path) and load it into c: conf_load_file's
 * return, err set when it fails. */
static int
load_into(struct fc_conf *c, const char *yaml)
{
	FILE *fp;

	snprintf(path, sizeof(path), "%s/conf.yaml", dir);
	ck_assert_ptr_nonnull(fp = fopen(path, "w"));
	ck_assert_uint_eq(fwrite(yaml, 1, strlen(yaml), fp), strlen(yaml));
	ck_assert_int_eq(fclose(fp), 0);
	err[0] = '\0';
	return conf_load_file(c, path, err, sizeof(err));
}

/* A new configuration loaded from yaml, which must load. */
static struct fc_conf *
load(const char *yaml)
{
	struct fc_conf *c = conf_new();

	ck_assert_ptr_nonnull(c);
	ck_assert_msg(load_into(c, yaml) == 0, "load failed: %s", err);
	return c;
}

/* "PATH:LINE:COL" (or "PATH:LINE:COL: what") of the loaded file. */
static const char *
at(unsigned line, unsigned col, const char *what)
{
	static char buf[PATH_MAX + 512];

	snprintf(buf, sizeof(buf), "%s:%u:%u%s%s", path, line, col,
	    what != NULL ? ": " : "", what != NULL ? what : "");
	return buf;
}

static void
expect(const struct fc_conf *c, const char *key, const char *want)
{
	const char *v = conf_get(c, key);

	if (want == NULL)
		ck_assert_msg(v == NULL, "%s is set to '%s'", key, v);
	else
		ck_assert_msg(v != NULL && strcmp(v, want) == 0,
		    "%s is '%s', want '%s'", key, v ? v : "(unset)", want);
}

static void
option_ok(struct fc_conf *c, const char *opt)
{
	err[0] = '\0';
	ck_assert_msg(conf_set_option(c, opt, err, sizeof(err)) == 0,
	    "-o %s failed: %s", opt, err);
}

static void
expect_errors(const struct fc_conf *c, size_t n)
{
	ck_assert_msg(conf_nerrors(c) == n, "%zu errors, want %zu (first: %s)",
	    conf_nerrors(c), n, conf_nerrors(c) ? conf_error_msg(c, 0) : "");
}

/* ---- Loading and flattening -------------------------------------------- */

static const char FULL[] =
    "log_level: info\n"				/* 1 */
    "http_output:\n"				/* 2 */
    "  enabled: true\n"				/* 3 */
    "  url: \"http://127.0.0.1:8080/x\"\n"	/* 4 */
    "rules_files:\n"				/* 5 */
    "  - /etc/falconet/a.yaml\n"		/* 6 */
    "  - b.yaml\n"				/* 7 */
    "plugins:\n"				/* 8 */
    "  - name: container\n"			/* 9 */
    "    init_config:\n"			/* 10 */
    "      engines: [docker, podman]\n"		/* 11 */
    "  - name: k8s\n"				/* 12 */
    "empty:\n"					/* 13 */
    "matrix: [[1, 2], [3]]\n"			/* 14 */
    "flow: {a: 1, b: {c: x y}}\n";		/* 15 */

START_TEST(test_load_flatten)
{
	struct fc_conf *c = load(FULL);

	expect(c, "log_level", "info");
	expect(c, "http_output.enabled", "true");
	expect(c, "http_output.url", "http://127.0.0.1:8080/x");
	expect(c, "http_output", NULL);
	expect(c, "rules_files", NULL);
	expect(c, "rules_files[0]", "/etc/falconet/a.yaml");
	expect(c, "rules_files[1]", "b.yaml");
	expect(c, "rules_files[2]", NULL);
	expect(c, "plugins[0].name", "container");
	expect(c, "plugins[0].init_config.engines[0]", "docker");
	expect(c, "plugins[0].init_config.engines[1]", "podman");
	expect(c, "plugins[1].name", "k8s");
	expect(c, "plugins[1].init_config.engines[0]", NULL);
	expect(c, "empty", "");
	expect(c, "matrix[0][0]", "1");
	expect(c, "matrix[0][1]", "2");
	expect(c, "matrix[1][0]", "3");
	expect(c, "flow.a", "1");
	expect(c, "flow.b.c", "x y");
	expect(c, "nosuch", NULL);
	/* where: the value's position */
	ck_assert_str_eq(conf_where(c, "log_level"), at(1, 12, NULL));
	ck_assert_str_eq(conf_where(c, "http_output.url"), at(4, 8, NULL));
	ck_assert_str_eq(conf_where(c, "rules_files[1]"), at(7, 5, NULL));
	ck_assert_str_eq(conf_where(c, "plugins[0].init_config.engines[1]"),
	    at(11, 25, NULL));
	ck_assert_str_eq(conf_where(c, "nosuch"), "");
	expect_errors(c, 0);
	conf_free(c);
}
END_TEST

START_TEST(test_load_empty)
{
	struct fc_conf *c = load("");

	expect(c, "log_level", NULL);
	conf_free(c);
	c = load("# only a comment\n");
	expect(c, "log_level", NULL);
	conf_free(c);
}
END_TEST

START_TEST(test_load_errors)
{
	struct fc_conf *c = conf_new();
	char want[PATH_MAX + 64];

	ck_assert_int_eq(load_into(c, "- a\n- b\n"), -1);
	ck_assert_str_eq(err, at(1, 1, "the configuration must be a map of "
	    "settings"));
	ck_assert_int_eq(load_into(c, "a: 1\n  b: 2\n"), -1);
	ck_assert_str_eq(err, at(2, 4, "mapping values are not allowed in "
	    "this context"));
	ck_assert_int_eq(load_into(c, "x: [a, {b: 1}]\n? [k]\n: v\n"), -1);
	ck_assert_str_eq(err, at(2, 3, "a key must be a plain word"));
	ck_assert_int_eq(load_into(c, "a: {b: {c: {d: {e: {f: {g: {h: {i: "
	    "{j: {k: {l: {m: {n: {o: {p: {q: {r: 1}}}}}}}}}}}}}}}}}\n"), -1);
	ck_assert_str_eq(err, at(1, 68, "nested too deeply"));
	/* 16 levels are fine */
	ck_assert_int_eq(load_into(c, "a: {b: {c: {d: {e: {f: {g: {h: {i: "
	    "{j: {k: {l: {m: {n: {o: {p: 1}}}}}}}}}}}}}}}\n"), 0);
	expect(c, "a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p", "1");
	snprintf(want, sizeof(want), "%s/nonexistent.yaml", dir);
	ck_assert_int_eq(conf_load_file(c, want, err, sizeof(err)), -1);
	strcat(want, ": No such file or directory");
	ck_assert_str_eq(err, want);
	ck_assert_int_eq(conf_load_file(c, dir, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "%s: not a regular file of at most "
	    "1048576 bytes", dir);
	ck_assert_str_eq(err, want);
	conf_free(c);
}
END_TEST

/* ---- Overrides --------------------------------------------------------- */

START_TEST(test_reload_overrides)
{
	struct fc_conf *c = load("a: 1\nlist: [x, y, z]\nm: {k: v, j: w}\n"
	    "s: plain\nkeep: yes\n");

	ck_assert_int_eq(load_into(c, "a: 2\nlist: [only]\nm: scalar\n"
	    "s: [p, q]\n"), 0);
	expect(c, "a", "2");
	ck_assert_str_eq(conf_where(c, "a"), at(1, 4, NULL));
	/* a shorter list replaces the whole list */
	expect(c, "list[0]", "only");
	expect(c, "list[1]", NULL);
	expect(c, "list[2]", NULL);
	/* a scalar replaces a map, a list replaces a scalar */
	expect(c, "m", "scalar");
	expect(c, "m.k", NULL);
	expect(c, "m.j", NULL);
	expect(c, "s", NULL);
	expect(c, "s[1]", "q");
	/* what the second file does not mention stays */
	expect(c, "keep", "yes");
	conf_free(c);
}
END_TEST

START_TEST(test_option_scalar)
{
	struct fc_conf *c = load(FULL);

	option_ok(c, "log_level=debug");
	expect(c, "log_level", "debug");
	ck_assert_str_eq(conf_where(c, "log_level"), "-o log_level=debug");
	option_ok(c, "new.key=a=b");
	expect(c, "new.key", "a=b");
	option_ok(c, "empty.value=");
	expect(c, "empty.value", "");
	option_ok(c, "rules_files[1]=c.yaml");
	expect(c, "rules_files[0]", "/etc/falconet/a.yaml");
	expect(c, "rules_files[1]", "c.yaml");
	/* a plain value replaces a map or a list */
	option_ok(c, "http_output=off");
	expect(c, "http_output", "off");
	expect(c, "http_output.enabled", NULL);
	expect(c, "http_output.url", NULL);
	ck_assert_int_eq(conf_set_option(c, "novalue", err, sizeof(err)), -1);
	ck_assert_str_eq(err, "-o novalue: expected key=value");
	ck_assert_int_eq(conf_set_option(c, "=x", err, sizeof(err)), -1);
	ck_assert_str_eq(err, "-o =x: expected key=value");
	expect_errors(c, 0);
	conf_free(c);
}
END_TEST

START_TEST(test_option_list)
{
	struct fc_conf *c = load(FULL);
	const char *v[8];

	option_ok(c, "rules_files=[x.yaml, 'y z.yaml']");
	ck_assert_uint_eq(conf_list(c, "rules_files", v, 8), 2);
	ck_assert_str_eq(v[0], "x.yaml");
	ck_assert_str_eq(v[1], "y z.yaml");
	ck_assert_str_eq(conf_where(c, "rules_files[1]"),
	    "-o rules_files=[x.yaml, 'y z.yaml']");
	/* one plain value is a list of one (and drops the old list) */
	option_ok(c, "rules_files=/only.yaml");
	expect(c, "rules_files[0]", NULL);
	ck_assert_uint_eq(conf_list(c, "rules_files", v, 8), 1);
	ck_assert_str_eq(v[0], "/only.yaml");
	option_ok(c, "rules_files=[]");
	ck_assert_uint_eq(conf_list(c, "rules_files", v, 8), 0);
	expect(c, "rules_files", NULL);
	/* a list of maps, a map */
	option_ok(c, "plugins=[{name: a, x: [1, 2]}]");
	expect(c, "plugins[0].name", "a");
	expect(c, "plugins[0].x[1]", "2");
	expect(c, "plugins[1].name", NULL);
	expect(c, "plugins[0].init_config.engines[0]", NULL);
	option_ok(c, "http_output={enabled: false}");
	expect(c, "http_output.enabled", "false");
	expect(c, "http_output.url", NULL);
	ck_assert_int_eq(conf_set_option(c, "k=[a, [b", err, sizeof(err)), -1);
	ck_assert_str_eq(err, "-o k=[a, [b: while parsing a flow sequence: "
	    "did not find expected ',' or ']'");
	expect(c, "k[0]", NULL);
	expect_errors(c, 0);
	conf_free(c);
}
END_TEST

/* ---- Getters ----------------------------------------------------------- */

START_TEST(test_getter_bool)
{
	struct fc_conf *c = load("t1: true\nt2: YES\nt3: on\nt4: 1\n"
	    "f1: false\nf2: No\nf3: OFF\nf4: 0\nnull:\nbad: maybe\n");

	ck_assert(conf_bool(c, "t1", false));
	ck_assert(conf_bool(c, "t2", false));
	ck_assert(conf_bool(c, "t3", false));
	ck_assert(conf_bool(c, "t4", false));
	ck_assert(!conf_bool(c, "f1", true));
	ck_assert(!conf_bool(c, "f2", true));
	ck_assert(!conf_bool(c, "f3", true));
	ck_assert(!conf_bool(c, "f4", true));
	ck_assert(conf_bool(c, "null", true));
	ck_assert(conf_bool(c, "unset", true));
	ck_assert(!conf_bool(c, "unset", false));
	expect_errors(c, 0);
	ck_assert(conf_bool(c, "bad", true));
	expect_errors(c, 1);
	ck_assert_str_eq(conf_error_msg(c, 0), at(10, 6, "'bad': expected "
	    "true or false, got 'maybe'"));
	ck_assert_ptr_null(conf_error_msg(c, 1));
	conf_free(c);
}
END_TEST

START_TEST(test_getter_int)
{
	struct fc_conf *c = load("n: 42\nneg: -1\nhex: 0x10\ntail: 12abc\n"
	    "big: 99999999999999999999\nnull: ~\nmax: 9223372036854775807\n");

	ck_assert_int_eq(conf_int(c, "n", 0, 100, 7), 42);
	ck_assert_int_eq(conf_int(c, "neg", -1, 100, 7), -1);
	ck_assert_int_eq(conf_int(c, "unset", 0, 100, 7), 7);
	ck_assert_int_eq(conf_int(c, "null", 0, 100, 7), 7);
	ck_assert(conf_int(c, "max", INT64_MIN, INT64_MAX, 0) == INT64_MAX);
	expect_errors(c, 0);
	ck_assert_int_eq(conf_int(c, "neg", 0, 100, 7), 7);
	ck_assert_int_eq(conf_int(c, "n", 0, 41, 7), 7);
	ck_assert_int_eq(conf_int(c, "hex", 0, 100, 7), 7);
	ck_assert_int_eq(conf_int(c, "tail", 0, 100, 7), 7);
	ck_assert_int_eq(conf_int(c, "big", 0, INT64_MAX, 7), 7);
	expect_errors(c, 5);
	ck_assert_str_eq(conf_error_msg(c, 0), at(2, 6, "'neg': expected a "
	    "whole number from 0 to 100, got '-1'"));
	ck_assert_str_eq(conf_error_msg(c, 1), at(1, 4, "'n': expected a "
	    "whole number from 0 to 41, got '42'"));
	ck_assert_str_eq(conf_error_msg(c, 2), at(3, 6, "'hex': expected a "
	    "whole number from 0 to 100, got '0x10'"));
	ck_assert_str_eq(conf_error_msg(c, 3), at(4, 7, "'tail': expected a "
	    "whole number from 0 to 100, got '12abc'"));
	ck_assert_str_eq(conf_error_msg(c, 4), at(5, 6, "'big': expected a "
	    "whole number from 0 to 9223372036854775807, got "
	    "'99999999999999999999'"));
	conf_free(c);
}
END_TEST

START_TEST(test_getter_str_list)
{
	struct fc_conf *c = load(FULL);
	const char *v[2];

	ck_assert_str_eq(conf_str(c, "log_level", "x"), "info");
	ck_assert_str_eq(conf_str(c, "empty", "x"), "");
	ck_assert_str_eq(conf_str(c, "unset", "x"), "x");
	ck_assert_ptr_null(conf_str(c, "unset", NULL));
	/* max bounds what is returned */
	ck_assert_uint_eq(conf_list(c, "plugins[0].init_config.engines", v,
	    2), 2);
	ck_assert_str_eq(v[1], "podman");
	ck_assert_uint_eq(conf_list(c, "rules_files", v, 1), 1);
	ck_assert_str_eq(v[0], "/etc/falconet/a.yaml");
	ck_assert_uint_eq(conf_list(c, "rules_files", v, 0), 0);
	/* an empty value is no list; a map is none either */
	ck_assert_uint_eq(conf_list(c, "empty", v, 2), 0);
	ck_assert_uint_eq(conf_list(c, "http_output", v, 2), 0);
	ck_assert_uint_eq(conf_list(c, "unset", v, 2), 0);
	/* one plain value in the file is a list of one */
	ck_assert_uint_eq(conf_list(c, "log_level", v, 2), 1);
	ck_assert_str_eq(v[0], "info");
	conf_free(c);
}
END_TEST

/* ---- Errors ------------------------------------------------------------ */

START_TEST(test_error_from_option)
{
	struct fc_conf *c = load(FULL);

	option_ok(c, "json_output=maybe");
	ck_assert(!conf_bool(c, "json_output", false));
	conf_error(c, "log_level", "unknown level '%s'", "info");
	conf_error(c, "unset.key", "custom %d", 5);
	/* an item of an -o list or map names the option too */
	option_ok(c, "http_output={enabled: maybe}");
	ck_assert(conf_bool(c, "http_output.enabled", true));
	expect_errors(c, 4);
	ck_assert_str_eq(conf_error_msg(c, 0), "-o json_output=maybe: "
	    "'json_output': expected true or false, got 'maybe'");
	ck_assert_str_eq(conf_error_msg(c, 1), at(1, 12, "'log_level': "
	    "unknown level 'info'"));
	ck_assert_str_eq(conf_error_msg(c, 2), ": 'unset.key': custom 5");
	ck_assert_str_eq(conf_error_msg(c, 3), "-o http_output={enabled: "
	    "maybe}: 'http_output.enabled': expected true or false, got "
	    "'maybe'");
	conf_free(c);
}
END_TEST

/* A long -o value makes "where" 511 bytes: the reason used to be written
 * past the end of the message buffer (found by fuzz_config). */
START_TEST(test_error_long_option)
{
	struct fc_conf *c = conf_new();
	char opt[700], want[80];
	const char *m;

	snprintf(opt, sizeof(opt), "json_output=%0600d", 7);
	option_ok(c, opt);
	ck_assert(conf_bool(c, "json_output", true));
	expect_errors(c, 1);
	m = conf_error_msg(c, 0);
	/* where (511) ": 'json_output': " (17) reason (511) */
	ck_assert_uint_eq(strlen(m), 511 + 17 + 511);
	ck_assert_int_eq(strncmp(m, "-o json_output=0000", 19), 0);
	snprintf(want, sizeof(want), ": 'json_output': expected true or "
	    "false, got '0000");
	ck_assert_ptr_nonnull(strstr(m, want));
	conf_free(c);
}
END_TEST

START_TEST(test_error_cap)
{
	struct fc_conf *c = conf_new();
	int i;

	for (i = 0; i < CONF_MAX_ERRORS + 6; i++)
		conf_error(c, "k", "error %d", i);
	expect_errors(c, CONF_MAX_ERRORS);
	ck_assert_str_eq(conf_error_msg(c, CONF_MAX_ERRORS - 1),
	    ": 'k': error 63");
	ck_assert_ptr_null(conf_error_msg(c, CONF_MAX_ERRORS));
	conf_free(c);
}
END_TEST

/* ---- Unknown settings (conf_known.c) ------------------------------------ */

struct unknown {
	size_t	 n;
	char	 text[8][PATH_MAX + 600];
};

static void
note_unknown(const char *key, const char *where, void *arg)
{
	struct unknown *u = arg;

	if (u->n < 8)
		snprintf(u->text[u->n++], sizeof(u->text[0]), "%s %s", where,
		    key);
}

/*
 * Typos and settings falconet does not have are reported with where they
 * were set; documented keys, items of documented lists, a list for a
 * documented plain value and the keys the file documents as comments are
 * not.
 */
START_TEST(test_unknown_keys)
{
	struct fc_conf *c = load(
	    "rules_files: [a.yaml, b.yaml]\n"
	    "stdout_output:\n"
	    "  enabled: true\n"
	    "  enabeld: false\n"
	    "webserver:\n"
	    "  token_file: /etc/falconet/api.token\n"
	    "  listen_port: 8766\n"
	    "container_engines:\n"
	    "  runc:\n"
	    "    roots: [/run/runc, /run/crun]\n"
	    "buffered_outputs: false\n");
	struct unknown u = { 0 };
	char want[2][PATH_MAX + 600];

	ck_assert_int_eq(conf_set_option(c, "audit.mode=multicast", err,
	    sizeof(err)), 0);
	ck_assert_int_eq(conf_set_option(c, "audit.mdoe=multicast", err,
	    sizeof(err)), 0);
	ck_assert_uint_eq(conf_unknown(c, note_unknown, &u), 3);
	snprintf(want[0], sizeof(want[0]), "%s stdout_output.enabeld",
	    at(4, 12, NULL));
	snprintf(want[1], sizeof(want[1]), "%s buffered_outputs",
	    at(11, 19, NULL));
	ck_assert_str_eq(u.text[0], want[0]);
	ck_assert_str_eq(u.text[1], want[1]);
	ck_assert_str_eq(u.text[2], "-o audit.mdoe=multicast audit.mdoe");
	ck_assert_uint_eq(conf_unknown(c, NULL, NULL), 3);
	conf_free(c);
}
END_TEST

/*
 * The shipped etc/falconet.yaml is the built-in document: loaded as a
 * configuration it has no unknown key, and the keys conf_known.c takes as
 * documented in comments are there, commented, under webserver.
 */
START_TEST(test_documented_keys)
{
	const char *doc = TOP_SRCDIR "/etc/falconet.yaml";
	const char *commented[] = { "  # token_file: ", "  # unix_socket: ",
	    "  # unix_socket_owner: " };
	struct fc_conf *c = conf_new();
	char line[512];
	size_t i, found = 0;
	FILE *fp;

	ck_assert_msg(conf_load_file(c, doc, err, sizeof(err)) == 0, "%s",
	    err);
	ck_assert_uint_eq(conf_unknown(c, NULL, NULL), 0);
	conf_free(c);
	ck_assert_ptr_nonnull(fp = fopen(doc, "r"));
	while (fgets(line, sizeof(line), fp) != NULL)
		for (i = 0; i < 3; i++)
			if (strncmp(line, commented[i], strlen(commented[i])) == 0)
				found |= 1u << i;
	fclose(fp);
	ck_assert_uint_eq(found, 7);
}
END_TEST

Suite *
suite_for_main(void)
{
	Suite *s = suite_create("configuration");
	TCase *tl = tcase_create("load");
	TCase *to = tcase_create("overrides");
	TCase *tg = tcase_create("getters");
	TCase *tu;

	tcase_add_checked_fixture(tl, setup, teardown);
	tcase_add_test(tl, test_load_flatten);
	tcase_add_test(tl, test_load_empty);
	tcase_add_test(tl, test_load_errors);
	suite_add_tcase(s, tl);

	tcase_add_checked_fixture(to, setup, teardown);
	tcase_add_test(to, test_reload_overrides);
	tcase_add_test(to, test_option_scalar);
	tcase_add_test(to, test_option_list);
	suite_add_tcase(s, to);

	tcase_add_checked_fixture(tg, setup, teardown);
	tcase_add_test(tg, test_getter_bool);
	tcase_add_test(tg, test_getter_int);
	tcase_add_test(tg, test_getter_str_list);
	tcase_add_test(tg, test_error_from_option);
	tcase_add_test(tg, test_error_long_option);
	tcase_add_test(tg, test_error_cap);
	suite_add_tcase(s, tg);

	tu = tcase_create("unknown");
	tcase_add_checked_fixture(tu, setup, teardown);
	tcase_add_test(tu, test_unknown_keys);
	tcase_add_test(tu, test_documented_keys);
	suite_add_tcase(s, tu);
	return s;
}
