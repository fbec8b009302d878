/*
 * check_golden_laurel.c - falconet against laurel's expected output
 * (../shared/thirdparty/audit-corpus/laurel/testdata/record-NAME.txt ->
 * record-NAME.json, one JSON object per event).
 *
 * Each .txt goes through the parser and correlator as `falconet replay`
 * would read it; every laurel event must come out as one falconet event
 * with the same ID, and every key laurel prints is compared: NODE, the
 * SYSCALL fields, EXECVE argc and ARGV (byte for byte, the argument logged
 * as 16 KiB of hex chunks included), CWD, PATH, SOCKADDR (raw bytes and their decoding),
 * PROCTITLE ARGV, OBJ_PID and the other records' fields.
 *
 * laurel types its values ("0x.." hex, "0o.." octal, numbers) and copies
 * auditd's ENRICHED interpretations (upper-case keys); the translations and
 * skips below are the ones docs/compat.md lists under "laurel".  A laurel
 * key this file does not know fails the test.
 */
#include "config.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "golden_util.h"

#define LAUREL_DIR	"thirdparty/audit-corpus/laurel/testdata/"
#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

struct laurel_file {
	const char	*name;
	size_t		 events;
};

/* record-connect and record-service-start have no expected output upstream. */
static const struct laurel_file files[] = {
	{ "record-adjntpval", 1 }, { "record-anom-promiscuous", 1 },
	{ "record-avc-apparmor", 1 }, { "record-bind-ipv4-bigendian", 1 },
	{ "record-execve", 1 }, { "record-execve-long", 1 },
	{ "record-login", 1 }, { "record-nscd", 1 },
	{ "record-perl-reverse-shell", 1 }, { "record-ptrace", 1 },
	{ "record-syscall-key", 3 }, { "record-syscall-nullkey", 3 },
	{ "record-uringop", 1 }, { "record-weblogic", 1 },
};

/* One comparison: laurel's event, falconet's, and where for messages. */
struct cmp {
	const json_t	*ev;		/* falconet's event (decorated) */
	char		 where[128];
};

/* ---- Loading ----------------------------------------------------------- */

/* The .json of a test: its events, one object per line. */
static json_t *
load_expected(const char *name)
{
	char rel[128], *path, *text;
	const char *line;
	json_error_t err;
	json_t *all = json_array(), *obj;
	size_t len, linelen, i;

	snprintf(rel, sizeof(rel), LAUREL_DIR "%s.json", name);
	path = gu_shared_path(rel);
	ck_assert_ptr_nonnull(path);
	text = gu_read_file(path, &len);
	ck_assert_msg(text != NULL, "cannot read %s", path);
	for (i = 0; (line = gu_line(text, len, i, &linelen)) != NULL; i++) {
		if (linelen == 0)
			continue;
		obj = json_loadb(line, linelen, 0, &err);
		ck_assert_msg(obj != NULL, "%s:%zu: %s", path, i + 1, err.text);
		json_array_append_new(all, obj);
	}
	free(text);
	free(path);
	return all;
}

/* falconet's events for the .txt of a test. */
static json_t *
replay(const char *name, struct gu_counts *counts)
{
	char rel[128], *path, *text;
	json_t *events;
	size_t len;

	snprintf(rel, sizeof(rel), LAUREL_DIR "%s.txt", name);
	path = gu_shared_path(rel);
	ck_assert_ptr_nonnull(path);
	text = gu_read_file(path, &len);
	ck_assert_msg(text != NULL, "cannot read %s", path);
	events = gu_replay_json(text, len, gu_decorate, counts);
	ck_assert_ptr_nonnull(events);
	free(text);
	free(path);
	return events;
}

static const struct laurel_file *
pick(int i, size_t *item)
{
	size_t k, n = (size_t)i;

	for (k = 0; k < NELEM(files); k++) {
		if (n < files[k].events) {
			*item = n;
			return &files[k];
		}
		n -= files[k].events;
	}
	ck_abort_msg("loop index %d out of range", i);
	return NULL;
}

static int
total_events(void)
{
	size_t k, n = 0;

	for (k = 0; k < NELEM(files); k++)
		n += files[k].events;
	return (int)n;
}

/* ---- Values ------------------------------------------------------------- */

/*
 * compat.md "laurel" #10: laurel writes a byte outside printable ASCII as
 * %XX; undo it so both sides are bytes.  Returns a malloc'd buffer.
 */
static char *
unpercent(const char *s, size_t *outlen)
{
	size_t n = strlen(s), i, o = 0;
	char *out = malloc(n + 1), hex[3] = { 0 };

	ck_assert_ptr_nonnull(out);
	for (i = 0; i < n; i++) {
		if (s[i] == '%' && i + 2 < n + 1 && isxdigit((unsigned char)s[i + 1]) &&
		    isxdigit((unsigned char)s[i + 2])) {
			hex[0] = s[i + 1];
			hex[1] = s[i + 2];
			out[o++] = (char)strtoul(hex, NULL, 16);
			i += 2;
		} else {
			out[o++] = s[i];
		}
	}
	out[o] = '\0';
	*outlen = o;
	return out;
}

static void
expect_str(const struct cmp *c, const char *key, const char *want,
    const json_t *got)
{
	size_t wlen;
	char *w = unpercent(want, &wlen);

	ck_assert_msg(json_is_string(got), "%s: %s: laurel \"%s\", falconet "
	    "has no string", c->where, key, want);
	ck_assert_msg(json_string_length(got) == wlen &&
	    memcmp(json_string_value(got), w, wlen) == 0,
	    "%s: %s: laurel \"%s\", falconet \"%s\"", c->where, key, want,
	    json_string_value(got));
	free(w);
}

static void
expect_int(const struct cmp *c, const char *key, const json_t *want,
    const json_t *got)
{
	ck_assert_msg(json_is_integer(want), "%s: %s: laurel value is not a "
	    "number", c->where, key);
	ck_assert_msg(json_is_integer(got), "%s: %s: laurel %" JSON_INTEGER_FORMAT
	    ", falconet has no number", c->where, key, json_integer_value(want));
	ck_assert_msg(json_integer_value(want) == json_integer_value(got),
	    "%s: %s: laurel %" JSON_INTEGER_FORMAT ", falconet %"
	    JSON_INTEGER_FORMAT, c->where, key, json_integer_value(want),
	    json_integer_value(got));
}

/* The values of the n-th falconet "fields" entry of record type type. */
static const json_t *
generic_of(const struct cmp *c, const char *type, size_t n)
{
	const json_t *f;
	size_t i;

	json_array_foreach(json_object_get(c->ev, "fields"), i, f) {
		if (strcmp(gu_str(f, "type"), type) != 0)
			continue;
		if (n-- == 0)
			return json_object_get(f, "values");
	}
	return NULL;
}

/* A laurel value against a falconet generic (string) field value. */
static void
expect_generic(const struct cmp *c, const char *key, const json_t *want,
    const json_t *got)
{
	char buf[32];

	ck_assert_msg(got != NULL, "%s: %s: falconet has no such field",
	    c->where, key);
	if (json_is_null(want)) {
		ck_assert_msg(json_is_null(got), "%s: %s: laurel null, "
		    "falconet \"%s\"", c->where, key, json_string_value(got));
	} else if (json_is_integer(want)) {
		snprintf(buf, sizeof(buf), "%" JSON_INTEGER_FORMAT,
		    json_integer_value(want));
		expect_str(c, key, buf, got);
	} else {
		ck_assert_msg(json_is_string(want), "%s: %s: laurel value of "
		    "an unexpected type", c->where, key);
		expect_str(c, key, json_string_value(want), got);
	}
}

/* compat.md "laurel" #6: upper-case keys are auditd's ENRICHED tail. */
static bool
is_enrichment(const char *key)
{
	return isupper((unsigned char)key[0]);
}

/* ---- SYSCALL ------------------------------------------------------------ */

static bool
is_id(const char *key)
{
	static const char *const ids[] = { "auid", "uid", "gid", "euid", "suid",
	    "fsuid", "egid", "sgid", "fsgid", "ses" };
	size_t i;

	for (i = 0; i < NELEM(ids); i++)
		if (strcmp(key, ids[i]) == 0)
			return true;
	return false;
}

/*
 * compat.md "laurel" #11: falconet's ids are 32-bit as in the kernel; a
 * value that does not fit (ses=4296967295 in record-syscall-nullkey) stays
 * a generic SYSCALL field.
 */
static void
check_id(const struct cmp *c, const char *key, const json_t *want)
{
	const json_t *got = json_object_get(c->ev, key);

	if (got == NULL) {
		expect_generic(c, key, want, json_object_get(generic_of(c,
		    "SYSCALL", 0), key));
		return;
	}
	expect_int(c, key, want, got);
}

/* compat.md "laurel" #4: key null is falconet's [], a string one element. */
static void
check_key(const struct cmp *c, const json_t *want)
{
	const json_t *got = json_object_get(c->ev, "key");

	ck_assert_msg(json_is_array(got), "%s: falconet has no key array",
	    c->where);
	if (json_is_null(want)) {
		ck_assert_msg(json_array_size(got) == 0, "%s: key: laurel null, "
		    "falconet has %zu keys", c->where, json_array_size(got));
		return;
	}
	ck_assert_msg(json_array_size(got) == 1, "%s: key: falconet has %zu "
	    "keys", c->where, json_array_size(got));
	expect_str(c, "key", json_string_value(want), json_array_get(got, 0));
}

static void
check_syscall_key(const struct cmp *c, const char *key, const json_t *v)
{
	const char *arch;

	if (strcmp(key, "arch") == 0) {
		/* compat.md "laurel" #1: "0xc000003e" there, the name here. */
		arch = aud_arch_name((uint32_t)strtoul(json_string_value(v),
		    NULL, 16));
		ck_assert_msg(arch != NULL, "%s: unknown arch %s", c->where,
		    json_string_value(v));
		expect_str(c, key, arch, json_object_get(c->ev, "arch"));
	} else if (strcmp(key, "syscall") == 0) {
		expect_int(c, key, v, json_object_get(c->ev, "syscall_nr"));
	} else if (strcmp(key, "success") == 0) {
		/* compat.md "laurel" #3: "yes"/"no" there, a boolean here. */
		ck_assert_msg(json_is_boolean(json_object_get(c->ev, key)) &&
		    json_is_true(json_object_get(c->ev, key)) ==
		    (strcmp(json_string_value(v), "yes") == 0),
		    "%s: success: laurel %s", c->where, json_string_value(v));
	} else if (strcmp(key, "exit") == 0 || strcmp(key, "items") == 0 ||
	    strcmp(key, "pid") == 0 || strcmp(key, "ppid") == 0) {
		expect_int(c, key, v, json_object_get(c->ev, key));
	} else if (is_id(key)) {
		check_id(c, key, v);
	} else if (strcmp(key, "tty") == 0 || strcmp(key, "comm") == 0 ||
	    strcmp(key, "exe") == 0 || strcmp(key, "subj") == 0) {
		expect_str(c, key, json_string_value(v), json_object_get(c->ev,
		    key));
	} else if (strcmp(key, "key") == 0) {
		check_key(c, v);
	} else if (strcmp(key, "ARGV") == 0) {
		size_t i;
		char k[3] = "a0";

		ck_assert_uint_eq(json_array_size(v), 4);
		for (i = 0; i < 4; i++) {
			k[1] = (char)('0' + i);
			expect_str(c, k, json_string_value(json_array_get(v, i)),
			    json_object_get(c->ev, k));
		}
	} else if (strcmp(key, "ARCH") == 0 || strcmp(key, "SYSCALL") == 0) {
		/* auditd's names of arch and syscall: falconet names them too. */
		expect_str(c, key, json_string_value(v), json_object_get(c->ev,
		    key[0] == 'A' ? "arch" : "syscall"));
	} else {
		/* AUID, UID... are user names: compat.md "laurel" #6. */
		ck_assert_msg(is_enrichment(key), "%s: unknown SYSCALL key %s",
		    c->where, key);
	}
}

static void
check_syscall(const struct cmp *c, const json_t *sc)
{
	const char *key;
	const json_t *v;

	json_object_foreach((json_t *)sc, key, v)
		check_syscall_key(c, key, v);
}

/* ---- EXECVE, CWD, PROCTITLE --------------------------------------------- */

static void
check_execve(const struct cmp *c, const json_t *ex)
{
	const json_t *argv = json_object_get(ex, "ARGV"), *got, *a;
	size_t i;

	ck_assert_uint_eq(json_object_size(ex), 2);
	expect_int(c, "argc", json_object_get(ex, "argc"),
	    json_object_get(c->ev, "argc"));
	got = json_object_get(c->ev, "argv");
	ck_assert_msg(json_array_size(got) == json_array_size(argv),
	    "%s: ARGV: laurel %zu args, falconet %zu", c->where,
	    json_array_size(argv), json_array_size(got));
	json_array_foreach(argv, i, a)
		expect_str(c, "ARGV", json_string_value(a),
		    json_array_get(got, i));
}

/*
 * compat.md "laurel" #9: PROCTITLE ARGV is the raw proctitle split on NUL
 * (the test's "_proctitle_argv"); falconet's JSON shows it joined with
 * spaces, checked too.
 */
static void
check_proctitle(const struct cmp *c, const json_t *pt)
{
	const json_t *argv = json_object_get(pt, "ARGV"), *got, *a;
	char joined[1024] = "";
	size_t i;

	ck_assert_uint_eq(json_object_size(pt), 1);
	got = json_object_get(c->ev, "_proctitle_argv");
	ck_assert_msg(json_array_size(got) == json_array_size(argv),
	    "%s: PROCTITLE: laurel %zu args, falconet %zu", c->where,
	    json_array_size(argv), json_array_size(got));
	json_array_foreach(argv, i, a) {
		expect_str(c, "PROCTITLE", json_string_value(a),
		    json_array_get(got, i));
		snprintf(joined + strlen(joined), sizeof(joined) - strlen(joined),
		    "%s%s", i > 0 ? " " : "", json_string_value(a));
	}
	expect_str(c, "proctitle", joined, json_object_get(c->ev, "proctitle"));
}

/* ---- PATH ----------------------------------------------------------------- */

static void
check_path_key(const struct cmp *c, const json_t *p, const char *key,
    const json_t *v)
{
	const json_t *caps = json_object_get(p, "_caps");
	char mode[32];
	const char *s;

	if (strcmp(key, "mode") == 0) {
		/* compat.md "laurel" #2: "0o100755" there, "0100755" here. */
		s = json_string_value(v);
		ck_assert_msg(s != NULL && strncmp(s, "0o", 2) == 0,
		    "%s: mode %s", c->where, s);
		snprintf(mode, sizeof(mode), "0%s", s + 2);
		expect_str(c, key, mode, json_object_get(p, key));
	} else if (strcmp(key, "item") == 0 || strcmp(key, "inode") == 0 ||
	    strcmp(key, "ouid") == 0 || strcmp(key, "ogid") == 0) {
		expect_int(c, key, v, json_object_get(p, key));
	} else if (strcmp(key, "name") == 0 || strcmp(key, "dev") == 0 ||
	    strcmp(key, "rdev") == 0 || strcmp(key, "nametype") == 0) {
		expect_str(c, key, json_string_value(v), json_object_get(p, key));
	} else if (strcmp(key, "objtype") == 0) {
		expect_str(c, key, json_string_value(v), json_object_get(p,
		    "nametype"));
	} else if (strcmp(key, "cap_fe") == 0) {
		/* compat.md "laurel" #12: caps are not in falconet's JSON. */
		expect_int(c, key, v, json_object_get(caps, key));
	} else if (strcmp(key, "cap_fp") == 0 || strcmp(key, "cap_fi") == 0 ||
	    strcmp(key, "cap_fver") == 0) {
		expect_str(c, key, json_string_value(v), json_object_get(caps,
		    key));
	} else if (strcmp(key, "cap_frootid") == 0 || strcmp(key, "obj") == 0) {
		expect_generic(c, key, v, json_object_get(json_object_get(p,
		    "_fields"), key));
	} else {
		/* OUID, OGID: compat.md "laurel" #6. */
		ck_assert_msg(is_enrichment(key), "%s: unknown PATH key %s",
		    c->where, key);
	}
}

static void
check_paths(const struct cmp *c, const json_t *paths)
{
	const json_t *got = json_object_get(c->ev, "paths"), *p, *v;
	const char *key;
	size_t i;

	ck_assert_msg(json_array_size(got) == json_array_size(paths),
	    "%s: PATH: laurel %zu, falconet %zu", c->where,
	    json_array_size(paths), json_array_size(got));
	json_array_foreach(paths, i, p)
		json_object_foreach((json_t *)p, key, v)
			check_path_key(c, json_array_get(got, i), key, v);
}

/* ---- SOCKADDR ------------------------------------------------------------- */

/*
 * laurel leaves the bytes undecoded unless auditd enriched them: decode an
 * inet/inet6 address here, sa_family in the byte order of the logging
 * arch (compat.md "laurel" #7), and compare with falconet's decoding.
 */
static void
check_raw_inet(const struct cmp *c, const unsigned char *b, size_t len)
{
	const char *arch = gu_str(c->ev, "arch");
	bool le = arch == NULL || strcmp(arch, "ppc64") != 0;
	const json_t *sa = json_object_get(c->ev, "sockaddr");
	unsigned family = le ? (unsigned)(b[0] | b[1] << 8) :
	    (unsigned)(b[0] << 8 | b[1]);
	char addr[INET6_ADDRSTRLEN];
	json_t *port;

	if ((family != 2 || len < 8) && (family != 10 || len < 24))
		return;
	expect_str(c, "family", family == 2 ? "inet" : "inet6",
	    json_object_get(sa, "family"));
	inet_ntop(family == 2 ? AF_INET : AF_INET6, b + (family == 2 ? 4 : 8),
	    addr, sizeof(addr));
	expect_str(c, "addr", addr, json_object_get(sa, "addr"));
	port = json_integer(b[2] << 8 | b[3]);
	expect_int(c, "port", port, json_object_get(sa, "port"));
	json_decref(port);
}

/* One "k=v" of auditd's SADDR={...} against falconet's sockaddr. */
static void
check_saddr_word(const struct cmp *c, const char *k, const char *v)
{
	const json_t *sa = json_object_get(c->ev, "sockaddr");
	json_t *n;

	if (strcmp(k, "saddr_fam") == 0 || strcmp(k, "fam") == 0) {
		expect_str(c, k, strcmp(v, "local") == 0 ? "unix" : v,
		    json_object_get(sa, "family"));
	} else if (strcmp(k, "path") == 0) {
		expect_str(c, k, v, json_object_get(sa, "path"));
	} else if (strcmp(k, "laddr") == 0) {
		expect_str(c, k, v, json_object_get(sa, "addr"));
	} else if (strcmp(k, "lport") == 0 || strcmp(k, "nlnk-pid") == 0) {
		n = json_integer(atoll(v));
		expect_int(c, k, n, json_object_get(sa, k[0] == 'l' ? "port" :
		    "pid"));
		json_decref(n);
	} else {
		ck_assert_msg(strcmp(k, "nlnk-fam") == 0 && strcmp(v, "16") == 0,
		    "%s: unknown SADDR word %s=%s", c->where, k, v);
		expect_str(c, k, "netlink", json_object_get(sa, "family"));
	}
}

/* compat.md "laurel" #6: auditd's SADDR={ k=v ... } is checked word by word. */
static void
check_saddr_enriched(const struct cmp *c, const char *s)
{
	char buf[512], *p, *word, *eq, *save = NULL;

	snprintf(buf, sizeof(buf), "%s", s);
	p = buf;
	if (*p == '{')
		p++;
	if ((eq = strrchr(p, '}')) != NULL)
		*eq = '\0';
	for (word = strtok_r(p, " ", &save); word != NULL;
	    word = strtok_r(NULL, " ", &save)) {
		ck_assert_msg((eq = strchr(word, '=')) != NULL,
		    "%s: SADDR word %s", c->where, word);
		*eq = '\0';
		check_saddr_word(c, word, eq + 1);
	}
}

static void
check_sockaddr(const struct cmp *c, const json_t *list)
{
	const json_t *s = json_array_get(list, 0), *v;
	const char *key;
	size_t len;
	char *raw, *hex;

	ck_assert_uint_eq(json_array_size(list), 1);
	ck_assert_msg(json_object_get(c->ev, "sockaddr") != NULL,
	    "%s: falconet has no sockaddr", c->where);
	json_object_foreach((json_t *)s, key, v) {
		if (strcmp(key, "SADDR") == 0) {
			check_saddr_enriched(c, json_string_value(v));
			continue;
		}
		ck_assert_msg(strcmp(key, "saddr") == 0, "%s: unknown SOCKADDR "
		    "key %s", c->where, key);
		/* compat.md "laurel" #7: the bytes as logged, percent-encoded. */
		raw = unpercent(json_string_value(v), &len);
		hex = gu_hex(raw, len);
		expect_str(c, "saddr", hex, json_object_get(c->ev, "_saddr_hex"));
		check_raw_inet(c, (const unsigned char *)raw, len);
		free(hex);
		free(raw);
	}
}

/* ---- OBJ_PID and the other records ---------------------------------------- */

static void
check_obj_pids(const struct cmp *c, const json_t *list)
{
	const json_t *got = json_object_get(c->ev, "obj_pids"), *o, *v;
	const char *key;
	size_t i;

	ck_assert_msg(json_array_size(got) == json_array_size(list),
	    "%s: OBJ_PID: laurel %zu, falconet %zu", c->where,
	    json_array_size(list), json_array_size(got));
	json_array_foreach(list, i, o) {
		json_object_foreach((json_t *)o, key, v) {
			if (strcmp(key, "ocomm") == 0)
				expect_str(c, key, json_string_value(v),
				    json_object_get(json_array_get(got, i), key));
			else if (strcmp(key, "obj") == 0)
				expect_generic(c, key, v, json_object_get(
				    generic_of(c, "OBJ_PID", i), key));
			else
				expect_int(c, key, v, json_object_get(
				    json_array_get(got, i), key));
		}
	}
}

/*
 * compat.md "laurel" #8: any other record is a list of typed objects there
 * and falconet's generic "fields" (strings) here.
 */
static void
check_other(const struct cmp *c, const char *type, const json_t *list)
{
	const json_t *o, *v, *values;
	const char *key;
	size_t i;

	ck_assert_msg(json_is_array(list), "%s: unknown laurel key %s",
	    c->where, type);
	json_array_foreach(list, i, o) {
		values = generic_of(c, type, i);
		ck_assert_msg(values != NULL, "%s: falconet has no %s record "
		    "#%zu", c->where, type, i);
		json_object_foreach((json_t *)o, key, v) {
			if (is_enrichment(key))
				continue;
			expect_generic(c, key, v, json_object_get(values, key));
		}
	}
}

/* ---- Tests ---------------------------------------------------------------- */

static void
check_event(struct cmp *c, const json_t *want)
{
	const char *key;
	const json_t *v;

	json_object_foreach((json_t *)want, key, v) {
		if (strcmp(key, "ID") == 0)
			expect_str(c, key, json_string_value(v),
			    json_object_get(c->ev, "_id"));
		else if (strcmp(key, "NODE") == 0)
			expect_str(c, key, json_string_value(v),
			    json_object_get(c->ev, "node"));
		else if (strcmp(key, "SYSCALL") == 0)
			check_syscall(c, v);
		else if (strcmp(key, "EXECVE") == 0)
			check_execve(c, v);
		else if (strcmp(key, "CWD") == 0)
			expect_str(c, "cwd", gu_str(v, "cwd"),
			    json_object_get(c->ev, "cwd"));
		else if (strcmp(key, "PATH") == 0)
			check_paths(c, v);
		else if (strcmp(key, "SOCKADDR") == 0)
			check_sockaddr(c, v);
		else if (strcmp(key, "PROCTITLE") == 0)
			check_proctitle(c, v);
		else if (strcmp(key, "OBJ_PID") == 0)
			check_obj_pids(c, v);
		else
			check_other(c, key, v);
	}
	if (json_object_get(want, "NODE") == NULL)
		ck_assert_msg(json_object_get(c->ev, "node") == NULL,
		    "%s: falconet has a node laurel has not", c->where);
}

/* The falconet event with laurel's ID id, or NULL. */
static const json_t *
find_event(const json_t *events, const char *id)
{
	const json_t *e;
	size_t i;

	json_array_foreach(events, i, e)
		if (gu_str(e, "_id") != NULL && strcmp(gu_str(e, "_id"), id) == 0)
			return e;
	return NULL;
}

START_TEST(test_file_events)
{
	const struct laurel_file *lf = &files[_i];
	struct gu_counts counts;
	json_t *want = load_expected(lf->name), *got = replay(lf->name, &counts);

	ck_assert_uint_eq(json_array_size(want), lf->events);
	ck_assert_msg(json_array_size(got) == lf->events, "%s: falconet made "
	    "%zu events, laurel %zu", lf->name, json_array_size(got),
	    lf->events);
	ck_assert_uint_eq(counts.malformed, 0);
	json_decref(want);
	json_decref(got);
}
END_TEST

START_TEST(test_event)
{
	const struct laurel_file *lf;
	struct cmp c;
	const char *id;
	json_t *want, *got;
	size_t item;

	lf = pick(_i, &item);
	want = load_expected(lf->name);
	got = replay(lf->name, NULL);
	id = gu_str(json_array_get(want, item), "ID");
	ck_assert_ptr_nonnull(id);
	snprintf(c.where, sizeof(c.where), "%s %s", lf->name, id);
	c.ev = find_event(got, id);
	ck_assert_msg(c.ev != NULL, "%s: no falconet event with this ID",
	    c.where);
	check_event(&c, json_array_get(want, item));
	json_decref(want);
	json_decref(got);
}
END_TEST

/*
 * record-execve-long's a1 is 8192 bytes logged as 16384 hex digits
 * (a1_len=16384), in three chunks over three EXECVE records: 3732 bytes
 * starting "b", 3746 starting "d", 714 starting "f".
 */
START_TEST(test_execve_long_argument)
{
	json_t *got = replay("record-execve-long", NULL);
	const json_t *argv = json_object_get(json_array_get(got, 0), "argv");
	const char *a1 = json_string_value(json_array_get(argv, 1));

	ck_assert_uint_eq(json_array_size(argv), 2);
	ck_assert_str_eq(json_string_value(json_array_get(argv, 0)), "/bin/echo");
	ck_assert_uint_eq(json_string_length(json_array_get(argv, 1)), 8192);
	ck_assert_int_eq(a1[0], 'b');
	ck_assert_int_eq(a1[3732], 'd');
	ck_assert_int_eq(a1[3732 + 3746], 'f');
	json_decref(got);
}
END_TEST

Suite *
suite_for_main(void)
{
	Suite *s = suite_create("laurel golden");
	TCase *tf = tcase_create("files");
	TCase *te = tcase_create("events");

	tcase_add_loop_test(tf, test_file_events, 0, (int)NELEM(files));
	tcase_add_test(tf, test_execve_long_argument);
	tcase_add_loop_test(te, test_event, 0, total_events());
	suite_add_tcase(s, tf);
	suite_add_tcase(s, te);
	return s;
}
