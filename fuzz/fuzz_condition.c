/*
 * fuzz_condition.c - libFuzzer target for the Falco condition language:
 * the parser, AST printing, cloning and walking, macro resolution, the
 * filter compiler, event-type inference and evaluation.
 *
 * The input is one condition.  It is parsed with Falco's depth limit
 * (and once more without "\x" escapes when it has a backslash); a tree
 * that parses is printed, cloned and printed again, and the two
 * printouts must be identical, or it aborts.  Its macro references are
 * then resolved from a fixed set (nested macros, a self-reference, a
 * reference loop, an undefined reference and a doubling chain that runs
 * into the size limit), the result is compiled and, when it compiles,
 * its event types are computed and it is evaluated on three fixed
 * events (execve, openat, connect), twice each: the second evaluation
 * runs with warm per-event memos (and util.cnt reset) and must agree
 * with the first.
 *
 * The condition is copied into a buffer of exactly its length, so that
 * ASan sees a read past its end.  Built by `make fuzz` (Makefile.am,
 * block "fuzzing"); seeds are in fuzz/corpus/condition/ (the upstream-*
 * ones are conditions from Falco's rules, Apache-2.0, see
 * tests/fixtures/rules/upstream/LICENSE).
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "rules/ast.h"
#include "rules/filter.h"

#include "fuzz_util.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_PRINT_MAX	(16u << 20)
#define FUZZ_ARENA_CAP	(4u << 20)

/* name, body: the macros a condition may reference. */
static const char *const macro_text[][2] = {
	{ "spawned_process", "evt.type in (execve, execveat) and evt.dir=<" },
	{ "open_read", "evt.type in (open, openat, openat2) and "
	    "evt.is_open_read=true and fd.typechar='f' and fd.num>=0" },
	{ "sensitive_files", "fd.name startswith /etc and (fd.name in "
	    "(/etc/shadow, /etc/sudoers) or fd.directory in "
	    "(/etc/sudoers.d, /etc/pam.d))" },
	{ "shell_procs", "proc.name in (ash, bash, csh, ksh, sh, zsh, dash)" },
	{ "shell_spawn", "spawned_process and shell_procs" },
	{ "read_sensitive", "open_read and sensitive_files and not "
	    "proc.name in (sshd, sudo)" },
	{ "never_true", "(evt.num < 0)" },
	{ "self_loop", "proc.name = x or self_loop" },
	{ "ping", "pong and fd.num > 2" },
	{ "pong", "not ping" },
	{ "uses_missing", "missing_macro and evt.num > 0" },
	{ "dbl0", "proc.pid > 0" },
	{ "dbl1", "dbl0 or dbl0" },
	{ "dbl2", "dbl1 or dbl1" },
	{ "dbl3", "dbl2 or dbl2" },
	{ "dbl4", "dbl3 or dbl3" },
	{ "dbl5", "dbl4 or dbl4" },
	{ "dbl6", "dbl5 or dbl5" },
	{ "dbl7", "dbl6 or dbl6" },
	{ "dbl8", "dbl7 or dbl7" },
	{ "dbl9", "dbl8 or dbl8" },
	{ "dbl10", "dbl9 or dbl9" },
	{ "dbl11", "dbl10 or dbl10" },
	{ "dbl12", "dbl11 or dbl11" },
};

#define NMACROS	(sizeof(macro_text) / sizeof(macro_text[0]))

static struct rule_node *macro_ast[NMACROS];
static struct fc_event events[FUZZ_NEVENTS];
static struct fld_users *users;
static struct fc_arena arena;
static struct fc_buf out1, out2;
static int ready;

static const struct rule_node *
lookup(const char *name, void *arg)
{
	size_t i;

	(void)arg;
	for (i = 0; i < NMACROS; i++)
		if (strcmp(macro_text[i][0], name) == 0)
			return macro_ast[i];
	return NULL;
}

static void
setup(void)
{
	static const char passwd[] = "root:x:0:0:root:/root:/bin/bash\n"
	    "www-data:x:33:33:www-data:/var/www:/usr/sbin/nologin\n"
	    "alice:x:1000:1000:Alice:/home/alice:/bin/zsh\n";
	static const char group[] = "root:x:0:\nshadow:x:42:\n"
	    "www-data:x:33:\nalice:x:1000:\n";
	struct rule_parse_opts po = { .max_depth = RULE_PARSE_FALCO_DEPTH };
	struct rule_parse_error perr;
	const char *pw, *gr;
	size_t i;

	for (i = 0; i < NMACROS; i++)
		if (rule_parse(macro_text[i][1], strlen(macro_text[i][1]), &po,
		    &macro_ast[i], &perr) != 0)
			abort();
	fuzz_events_build(events);
	pw = fuzz_tmpfile("passwd", passwd, sizeof(passwd) - 1);
	gr = fuzz_tmpfile("group", group, sizeof(group) - 1);
	if ((users = fld_users_new(pw, gr)) == NULL)
		abort();
	fc_arena_init(&arena, FUZZ_ARENA_CAP);
	fc_buf_init(&out1, FUZZ_PRINT_MAX);
	fc_buf_init(&out2, FUZZ_PRINT_MAX);
	ready = 1;
}

/* print(clone(n)) must be print(n): a clone that loses or changes
 * anything the printout shows is a bug. */
static void
check_clone(const struct rule_node *n)
{
	struct rule_node *copy;
	int r1, r2;

	fc_buf_reset(&out1);
	fc_buf_reset(&out2);
	r1 = rule_node_print(n, &out1);
	if ((copy = rule_node_clone(n)) == NULL)
		return;		/* out of memory */
	r2 = rule_node_print(copy, &out2);
	rule_node_free(copy);
	if (r1 != r2)
		abort();
	if (r1 == 0 && (out1.len != out2.len ||
	    memcmp(out1.p, out2.p, out1.len) != 0))
		abort();
}

static int
visit_node(const struct rule_node *n, void *arg)
{
	(*(size_t *)arg) += n->kind;
	return 0;
}

static int
visit_field(const struct rule_operand *f, void *arg)
{
	(*(size_t *)arg) += f->name != NULL ? strlen(f->name) : 0;
	return 0;
}

static void
walk(const struct rule_node *n)
{
	size_t sum = 0;
	struct rule_visitor v = { visit_node, visit_field, visit_node, &sum };

	if (rule_node_walk(n, &v) != 0)
		abort();
}

static void
on_warn(void *arg, enum flt_warn_kind kind, const char *msg,
    struct rule_pos pos)
{
	(void)kind;
	(void)pos;
	(*(size_t *)arg) += strlen(msg);
}

/* Evaluate f on every event twice with the same context; the memoised
 * second run must give the same answer. */
static void
evaluate(const struct flt *f)
{
	struct fld_ctx ctx;
	bool r1, r2;
	size_t i;

	for (i = 0; i < FUZZ_NEVENTS; i++) {
		memset(&ctx, 0, sizeof(ctx));
		ctx.ev = &events[i];
		ctx.arena = &arena;
		ctx.hostname = "fuzzhost";
		ctx.users = users;
		ctx.first_ts = 1700000000000000000ull;
		ctx.prev_ts = 1700000000100000000ull;
		ctx.util_cnt = i;
		r1 = flt_eval(f, &ctx);
		ctx.util_cnt = i;	/* util.cnt counts extractions */
		r2 = flt_eval(f, &ctx);
		if (r1 != r2)
			abort();
	}
}

static void
compile(const struct rule_node *ast)
{
	struct evt_set types;
	struct flt_diag diag;
	struct flt *f = NULL;
	size_t warned = 0;

	if (flt_compile(ast, on_warn, &warned, &f, &diag) != FLT_OK) {
		if (f != NULL)
			abort();	/* documented: NULL on failure */
		return;
	}
	flt_evttypes(ast, &types);
	evaluate(f);
	flt_free(f);
	fc_arena_reset(&arena);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rule_parse_opts po = { .max_depth = RULE_PARSE_FALCO_DEPTH };
	struct rule_parse_error perr;
	struct rule_node *ast = NULL;
	char *text;

	if (!ready)
		setup();
	if ((text = malloc(size > 0 ? size : 1)) == NULL)
		return 0;
	memcpy(text, data, size);
	if (memchr(text, '\\', size) != NULL) {
		po.no_hex_escape = true;
		if (rule_parse(text, size, &po, &ast, &perr) == 0)
			check_clone(ast);
		rule_node_free(ast);
		ast = NULL;
		po.no_hex_escape = false;
	}
	if (rule_parse(text, size, &po, &ast, &perr) != 0) {
		if (ast != NULL)
			abort();	/* documented: NULL on failure */
		free(text);
		return 0;
	}
	free(text);
	check_clone(ast);
	walk(ast);
	if (rule_resolve_macros(&ast, lookup, NULL, &perr) == 0) {
		check_clone(ast);
		compile(ast);
	} else {
		check_clone(ast);	/* partly resolved, still a tree */
	}
	rule_node_free(ast);
	return 0;
}
