/*
 * check_rec.c - record header parsing (audit.log lines and netlink
 * payloads), the field cursor, and malformed input at the record level.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "check_main.h"

/* Parse a NUL-terminated line; the record points into it. */
static enum aud_rec_err
parse(const char *l, struct aud_record *rec)
{
	return aud_rec_parse_line(l, strlen(l), rec);
}

/* Whether the body of rec is exactly s. */
static void
assert_body(const struct aud_record *rec, const char *s)
{
	ck_assert_uint_eq(rec->bodylen, strlen(s));
	ck_assert(memcmp(rec->body, s, rec->bodylen) == 0);
}

/* Whether (p, len) is exactly s. */
static void
assert_mem(const char *p, size_t len, const char *s)
{
	ck_assert_ptr_nonnull(p);
	ck_assert_uint_eq(len, strlen(s));
	ck_assert(memcmp(p, s, len) == 0);
}

/* ---- Headers ---------------------------------------------------------- */

START_TEST(test_line_header)
{
	const char *l = "type=SYSCALL msg=audit(1615114232.375:15558): arch=c000003e";
	struct aud_record rec;

	ck_assert_int_eq(aud_rec_parse_line(l, strlen(l), &rec), AUD_REC_OK);
	ck_assert_int_eq(rec.type, 1300);
	ck_assert_uint_eq(rec.sec, 1615114232);
	ck_assert_uint_eq(rec.msec, 375);
	ck_assert_uint_eq(rec.serial, 15558);
	ck_assert_ptr_null(rec.node);
	ck_assert_uint_eq(rec.nodelen, 0);
	assert_body(&rec, "arch=c000003e");
}
END_TEST

START_TEST(test_line_node)
{
	struct aud_record rec;

	ck_assert_int_eq(parse("node=web-01.example.com type=EXECVE "
	    "msg=audit(1700000000.001:7): argc=1 a0=\"ls\"", &rec), AUD_REC_OK);
	ck_assert_int_eq(rec.type, AUD_T_EXECVE);
	assert_mem(rec.node, rec.nodelen, "web-01.example.com");
	ck_assert_uint_eq(rec.sec, 1700000000);
	ck_assert_uint_eq(rec.msec, 1);
	ck_assert_uint_eq(rec.serial, 7);
	assert_body(&rec, "argc=1 a0=\"ls\"");

	/* An empty node name is still a node. */
	ck_assert_int_eq(parse("node= type=EOE msg=audit(1.000:2): ", &rec),
	    AUD_REC_OK);
	ck_assert_ptr_nonnull(rec.node);
	ck_assert_uint_eq(rec.nodelen, 0);
	ck_assert_int_eq(rec.type, AUD_T_EOE);
	ck_assert_uint_eq(rec.bodylen, 0);
}
END_TEST

START_TEST(test_line_enriched)
{
	struct aud_record rec;

	/* auditd's log_format=ENRICHED appends 0x1D and interpretations. */
	ck_assert_int_eq(parse("type=SYSCALL msg=audit(1615114232.375:15558): "
	    "arch=c000003e syscall=59 auid=1000\x1d" "ARCH=x86_64 "
	    "SYSCALL=execve AUID=\"alice\"\n", &rec), AUD_REC_OK);
	assert_body(&rec, "arch=c000003e syscall=59 auid=1000");

	/* A space before the separator is trimmed too. */
	ck_assert_int_eq(parse("type=CWD msg=audit(1.002:3): cwd=\"/\" \x1d"
	    "x=y", &rec), AUD_REC_OK);
	assert_body(&rec, "cwd=\"/\"");

	/* Nothing but the tail: an empty body. */
	ck_assert_int_eq(parse("type=EOE msg=audit(1.002:3): \x1d" "A=B", &rec),
	    AUD_REC_OK);
	ck_assert_uint_eq(rec.bodylen, 0);
}
END_TEST

START_TEST(test_line_unknown_numbered)
{
	struct aud_record rec;
	char buf[32];
	const char *n;

	ck_assert_int_eq(parse("type=UNKNOWN[1420] msg=audit(1.002:3): "
	    "foo=bar", &rec), AUD_REC_OK);
	ck_assert_int_eq(rec.type, 1420);
	assert_body(&rec, "foo=bar");

	/* Whatever name libaudit gives it, the name maps back. */
	n = aud_type_name(1420, buf, sizeof(buf));
	ck_assert_int_eq(aud_type_from_name(n, strlen(n)), 1420);
	/* A number libaudit will never name. */
	ck_assert_str_eq(aud_type_name(9999, buf, sizeof(buf)),
	    "UNKNOWN[9999]");
	ck_assert_int_eq(aud_type_from_name("UNKNOWN[9999]", 13), 9999);
	ck_assert_str_eq(aud_type_name(AUD_T_SYSCALL, buf, sizeof(buf)),
	    "SYSCALL");
	ck_assert_str_eq(aud_type_name(1112, buf, sizeof(buf)), "USER_LOGIN");
	ck_assert_int_eq(aud_type_from_name("USER_LOGIN", 10), 1112);
	ck_assert_int_eq(aud_type_from_name("BPRM_FCAPS", 10),
	    AUD_T_BPRM_FCAPS);

	/* Garbage inside the brackets is not a type. */
	ck_assert_int_eq(parse("type=UNKNOWN[abc] msg=audit(1.002:3): x=1",
	    &rec), AUD_REC_NO_TYPE);
	ck_assert_int_eq(parse("type=UNKNOWN[0] msg=audit(1.002:3): x=1",
	    &rec), AUD_REC_NO_TYPE);
}
END_TEST

START_TEST(test_netlink)
{
	/* Not NUL-terminated: the payload is followed by unrelated bytes. */
	static const char buf[] =
	    "audit(1615114232.375:15558): arch=c000003e syscall=59GARBAGE=1";
	size_t len = strlen(buf) - strlen("GARBAGE=1");
	struct aud_record rec;

	ck_assert_int_eq(aud_rec_parse_netlink(AUD_T_SYSCALL, buf, len, &rec),
	    AUD_REC_OK);
	ck_assert_int_eq(rec.type, AUD_T_SYSCALL);
	ck_assert_uint_eq(rec.sec, 1615114232);
	ck_assert_uint_eq(rec.msec, 375);
	ck_assert_uint_eq(rec.serial, 15558);
	ck_assert_ptr_null(rec.node);
	assert_body(&rec, "arch=c000003e syscall=59");
}
END_TEST

START_TEST(test_netlink_bad)
{
	static const char nul[] = "audit(1.002:3): a=b\0c=d";
	static const char nostamp[] = "arch=c000003e syscall=59";
	static const char cut[] = "audit(1.002:3): a=b";
	struct aud_record rec;

	ck_assert_int_eq(aud_rec_parse_netlink(AUD_T_CWD, nul, sizeof(nul) - 1,
	    &rec), AUD_REC_BINARY);
	ck_assert_int_eq(aud_rec_parse_netlink(AUD_T_CWD, nostamp,
	    sizeof(nostamp) - 1, &rec), AUD_REC_NO_STAMP);
	/* The length ends inside the stamp. */
	ck_assert_int_eq(aud_rec_parse_netlink(AUD_T_CWD, cut, 13, &rec),
	    AUD_REC_NO_STAMP);
	/* The length ends right after the stamp: empty body. */
	ck_assert_int_eq(aud_rec_parse_netlink(AUD_T_EOE, cut, 15, &rec),
	    AUD_REC_OK);
	ck_assert_uint_eq(rec.bodylen, 0);
	ck_assert_uint_eq(rec.serial, 3);
	ck_assert_int_eq(rec.type, AUD_T_EOE);
}
END_TEST

START_TEST(test_line_spaces)
{
	struct aud_record rec;

	/* RHEL 7 writes two spaces after the stamp of CWD. */
	ck_assert_int_eq(parse("type=CWD msg=audit(1492037291.036:59):  "
	    "cwd=\"/home/andrew_kroh\"", &rec), AUD_REC_OK);
	assert_body(&rec, "cwd=\"/home/andrew_kroh\"");
	ck_assert_int_eq(parse("   type=CWD   msg=audit(1.002:3):\tcwd=\"/\"",
	    &rec), AUD_REC_OK);
	assert_body(&rec, "cwd=\"/\"");
	ck_assert_int_eq(rec.type, AUD_T_CWD);
}
END_TEST

START_TEST(test_line_trailing)
{
	struct aud_record rec;

	ck_assert_int_eq(parse("type=EOE msg=audit(1.002:3): \n", &rec),
	    AUD_REC_OK);
	ck_assert_uint_eq(rec.bodylen, 0);
	ck_assert_int_eq(parse("type=PATH msg=audit(1.002:3): item=0\r\n",
	    &rec), AUD_REC_OK);
	assert_body(&rec, "item=0");
	ck_assert_int_eq(parse("type=PATH msg=audit(1.002:3): item=0 "
	    "\t\r\r\n\n", &rec), AUD_REC_OK);
	assert_body(&rec, "item=0");
}
END_TEST

START_TEST(test_line_bad_stamp)
{
	static const char *const bad[] = {
		"type=SYSCALL arch=c000003e",
		"type=SYSCALL msg=audit(1615114232:15558): a=b",
		"type=SYSCALL msg=audit(1615114232.375): a=b",
		"type=SYSCALL msg=audit(abc.375:15558): a=b",
		"type=SYSCALL msg=audit(1615114232.375:): a=b",
		"type=SYSCALL msg=audit(1615114232.375:15558 a=b",
		"type=SYSCALL msg=audit(1615114232.375:15558) a=b",
		"type=SYSCALL msg=audit(1615114232.1000:15558): a=b",
		"type=SYSCALL msg=audit(1615114232.375:4294967296): a=b",
		"type=SYSCALL msg=audit(99999999999999999999.375:1): a=b",
		"type=SYSCALL msg=audit(-1.375:1): a=b",
		"type=SYSCALL msg=audit(1.375:-1): a=b",
		"type=SYSCALL msg=audi(1.375:1): a=b",
		"type=SYSCALL msg=",
		"type=SYSCALL",
	};
	struct aud_record rec;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(parse(bad[i], &rec) == AUD_REC_NO_STAMP,
		    "accepted: %s", bad[i]);
	/* The limits themselves are fine. */
	ck_assert_int_eq(parse("type=SYSCALL msg=audit(0.999:4294967295): ",
	    &rec), AUD_REC_OK);
	ck_assert_uint_eq(rec.serial, UINT32_MAX);
	ck_assert_uint_eq(rec.msec, 999);
	ck_assert_uint_eq(rec.sec, 0);
}
END_TEST

START_TEST(test_line_bad_type)
{
	static const char *const bad[] = {
		"type=NOT_A_TYPE msg=audit(1.002:3): a=b",
		"msg=audit(1.002:3): a=b",
		"type= msg=audit(1.002:3): a=b",
		"node=x msg=audit(1.002:3): a=b",
		"node=x",
		"TYPE=SYSCALL msg=audit(1.002:3): a=b",
		"a=b c=d",
		"type=SYSCALLX msg=audit(1.002:3): a=b",
	};
	struct aud_record rec;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(parse(bad[i], &rec) == AUD_REC_NO_TYPE,
		    "accepted: %s", bad[i]);
}
END_TEST

START_TEST(test_line_binary)
{
	static const char l[] =
	    "type=SYSCALL msg=audit(1.002:3): comm=\"a\0b\"";
	static const char tail[] = "type=EOE msg=audit(1.002:3): \x1d\0";
	struct aud_record rec;

	ck_assert_int_eq(aud_rec_parse_line(l, sizeof(l) - 1, &rec),
	    AUD_REC_BINARY);
	ck_assert_int_eq(aud_rec_parse_line(tail, sizeof(tail) - 1, &rec),
	    AUD_REC_BINARY);
	ck_assert_int_eq(aud_rec_parse_line("\0", 1, &rec), AUD_REC_BINARY);
}
END_TEST

START_TEST(test_line_empty)
{
	struct aud_record rec;

	ck_assert_int_eq(aud_rec_parse_line("", 0, &rec), AUD_REC_EMPTY);
	ck_assert_int_eq(parse("\n", &rec), AUD_REC_EMPTY);
	ck_assert_int_eq(parse("\r\n", &rec), AUD_REC_EMPTY);
	ck_assert_int_eq(parse("   \t ", &rec), AUD_REC_EMPTY);
	ck_assert_int_eq(parse("# type=SYSCALL msg=audit(1.002:3): a=b",
	    &rec), AUD_REC_EMPTY);
	ck_assert_int_eq(parse("  #comment", &rec), AUD_REC_EMPTY);
	ck_assert_str_eq(aud_rec_strerror(AUD_REC_OK), "ok");
	ck_assert_str_eq(aud_rec_strerror(AUD_REC_EMPTY), "empty line");
	ck_assert_str_eq(aud_rec_strerror(AUD_REC_BINARY),
	    "NUL byte in record");
}
END_TEST

START_TEST(test_line_not_terminated)
{
	/* The length, not a NUL, ends the line. */
	static const char buf[] = "type=EOE msg=audit(1.002:3): type=SYSCALL";
	struct aud_record rec;

	ck_assert_int_eq(aud_rec_parse_line(buf, 29, &rec), AUD_REC_OK);
	ck_assert_int_eq(rec.type, AUD_T_EOE);
	ck_assert_uint_eq(rec.bodylen, 0);
	ck_assert_int_eq(aud_rec_parse_line(buf, 26, &rec), AUD_REC_NO_STAMP);
	ck_assert_int_eq(aud_rec_parse_line(buf, 7, &rec), AUD_REC_NO_TYPE);
}
END_TEST

START_TEST(test_line_truncated)
{
	/* Every prefix of a real line: no crash, and only whole stamps pass. */
	static const char l[] = "node=n1 type=SYSCALL msg=audit(1615114232.375:"
	    "15558): arch=c000003e syscall=59 comm=\"bash\"";
	const size_t stamp_end = strlen("node=n1 type=SYSCALL msg=audit("
	    "1615114232.375:15558):");
	struct aud_record rec;
	enum aud_rec_err e;
	size_t n;

	for (n = 0; n < sizeof(l) - 1; n++) {
		/* Exact size, so that ASan sees any overread. */
		char *copy = malloc(n + 1);
		ck_assert_ptr_nonnull(copy);
		memcpy(copy, l, n);
		e = aud_rec_parse_line(copy, n, &rec);
		if (n >= stamp_end) {
			ck_assert_int_eq(e, AUD_REC_OK);
			ck_assert_uint_eq(rec.serial, 15558);
			ck_assert(rec.body + rec.bodylen <= copy + n);
		} else {
			ck_assert_int_ne(e, AUD_REC_OK);
		}
		free(copy);
	}
}
END_TEST

/* xorshift64*: reproducible garbage. */
static uint64_t
rnd(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545F4914F6CDD1Dull;
}

START_TEST(test_line_garbage)
{
	static const char alphabet[] = "type=SYSCALLmsg=audit(0123456789.:)"
	    " \"'\t\x1d\x01\xff\n\r#[]";
	uint64_t seed = 0x9e3779b97f4a7c15ull;
	struct aud_cursor c;
	struct aud_field f;
	struct aud_record rec;
	int i, ok = 0, binary = 0;
	size_t n, j, nf;

	for (i = 0; i < 20000; i++) {
		char *line;
		n = rnd(&seed) % 200;
		line = malloc(n + 1);
		ck_assert_ptr_nonnull(line);
		for (j = 0; j < n; j++) {
			uint64_t r = rnd(&seed);
			/* Half pure bytes, half from a parsing alphabet. */
			line[j] = (i & 1) ? (char)(r & 0xff) :
			    alphabet[r % (sizeof(alphabet) - 1)];
		}
		/* Every tenth line starts like a real record. */
		if (i % 10 == 0 && n > 40)
			memcpy(line, "type=PATH msg=audit(1.002:3): ", 30);
		switch (aud_rec_parse_line(line, n, &rec)) {
		case AUD_REC_OK:
			ok++;
			ck_assert(rec.body >= line &&
			    rec.body + rec.bodylen <= line + n);
			nf = 0;
			aud_cursor_init(&c, rec.body, rec.bodylen);
			while (aud_cursor_next(&c, &f)) {
				ck_assert(f.key >= rec.body &&
				    f.key + f.klen <= rec.body + rec.bodylen);
				ck_assert(f.val == NULL || f.val + f.vlen <=
				    rec.body + rec.bodylen);
				ck_assert_uint_le(++nf, rec.bodylen);
			}
			break;
		case AUD_REC_BINARY:
			ck_assert_ptr_nonnull(memchr(line, '\0', n));
			binary++;
			break;
		default:
			break;
		}
		free(line);
	}
	/* The seeded lines parse; most pure-byte lines hold a NUL. */
	ck_assert_int_ge(ok, 100);
	ck_assert_int_ge(binary, 2000);
}
END_TEST

/* ---- Cursor ---------------------------------------------------------- */

/* Next field of c must be key=val of kind (val NULL: a bare word). */
static void
expect_field(struct aud_cursor *c, const char *key, const char *val,
    enum aud_val_kind kind)
{
	struct aud_field f;

	ck_assert(aud_cursor_next(c, &f));
	assert_mem(f.key, f.klen, key);
	if (val == NULL) {
		ck_assert_ptr_null(f.val);
		ck_assert_uint_eq(f.vlen, 0);
	} else {
		assert_mem(f.val, f.vlen, val);
	}
	ck_assert_int_eq(f.kind, kind);
}

static void
expect_end(struct aud_cursor *c)
{
	struct aud_field f;

	ck_assert(!aud_cursor_next(c, &f));
	ck_assert(!aud_cursor_next(c, &f));
}

static void
cursor_on(struct aud_cursor *c, const char *s)
{
	aud_cursor_init(c, s, strlen(s));
}

START_TEST(test_cursor_bare_word)
{
	struct aud_cursor c;

	cursor_on(&c, "tty pid=1 (none) x");
	expect_field(&c, "tty", NULL, AUD_V_BARE);
	expect_field(&c, "pid", "1", AUD_V_BARE);
	expect_field(&c, "(none)", NULL, AUD_V_BARE);
	expect_field(&c, "x", NULL, AUD_V_BARE);
	expect_end(&c);
}
END_TEST

START_TEST(test_cursor_empty_value)
{
	struct aud_cursor c;

	cursor_on(&c, "subj= pid=2 exe=");
	expect_field(&c, "subj", "", AUD_V_BARE);
	expect_field(&c, "pid", "2", AUD_V_BARE);
	expect_field(&c, "exe", "", AUD_V_BARE);
	expect_end(&c);

	cursor_on(&c, "a=\"\" b=''");
	expect_field(&c, "a", "", AUD_V_DQUOTED);
	expect_field(&c, "b", "", AUD_V_SQUOTED);
	expect_end(&c);
}
END_TEST

START_TEST(test_cursor_double_equals)
{
	struct aud_cursor c;

	cursor_on(&c, "subj==unconfined res=1 x=a=b");
	expect_field(&c, "subj", "=unconfined", AUD_V_BARE);
	expect_field(&c, "res", "1", AUD_V_BARE);
	expect_field(&c, "x", "a=b", AUD_V_BARE);
	expect_end(&c);
}
END_TEST

START_TEST(test_cursor_squoted)
{
	struct aud_cursor c;

	cursor_on(&c, "pid=1 uid=0 msg='op=PAM:session_open "
	    "acct=\"root\" exe=\"/usr/sbin/sshd\" res=success' x=y");
	expect_field(&c, "pid", "1", AUD_V_BARE);
	expect_field(&c, "uid", "0", AUD_V_BARE);
	expect_field(&c, "msg", "op=PAM:session_open acct=\"root\" "
	    "exe=\"/usr/sbin/sshd\" res=success", AUD_V_SQUOTED);
	expect_field(&c, "x", "y", AUD_V_BARE);
	expect_end(&c);
}
END_TEST

START_TEST(test_cursor_dquoted)
{
	struct aud_cursor c;

	cursor_on(&c, "comm=\"my prog\"\tpid=3 name=\"it's\" n=\"a\"b");
	expect_field(&c, "comm", "my prog", AUD_V_DQUOTED);
	expect_field(&c, "pid", "3", AUD_V_BARE);
	expect_field(&c, "name", "it's", AUD_V_DQUOTED);
	/* Text glued to a closing quote starts the next token. */
	expect_field(&c, "n", "a", AUD_V_DQUOTED);
	expect_field(&c, "b", NULL, AUD_V_BARE);
	expect_end(&c);
}
END_TEST

START_TEST(test_cursor_unterminated)
{
	struct aud_cursor c;

	cursor_on(&c, "pid=3 comm=\"abc pid=4");
	expect_field(&c, "pid", "3", AUD_V_BARE);
	expect_field(&c, "comm", "abc pid=4", AUD_V_DQUOTED);
	expect_end(&c);

	cursor_on(&c, "msg='op=x res=");
	expect_field(&c, "msg", "op=x res=", AUD_V_SQUOTED);
	expect_end(&c);

	cursor_on(&c, "a=\"");
	expect_field(&c, "a", "", AUD_V_DQUOTED);
	expect_end(&c);
}
END_TEST

START_TEST(test_cursor_keys)
{
	struct aud_cursor c;

	cursor_on(&c, "a1_len=10 a1[0]=6162 old-auid=1000 new-disk=\"x\" "
	    "pid=1 pid=2");
	expect_field(&c, "a1_len", "10", AUD_V_BARE);
	expect_field(&c, "a1[0]", "6162", AUD_V_BARE);
	expect_field(&c, "old-auid", "1000", AUD_V_BARE);
	expect_field(&c, "new-disk", "x", AUD_V_DQUOTED);
	/* Duplicates are all returned, in order. */
	expect_field(&c, "pid", "1", AUD_V_BARE);
	expect_field(&c, "pid", "2", AUD_V_BARE);
	expect_end(&c);
}
END_TEST

START_TEST(test_cursor_blank)
{
	struct aud_cursor c;

	cursor_on(&c, "");
	expect_end(&c);
	cursor_on(&c, "   \t  ");
	expect_end(&c);
	cursor_on(&c, "  a=1   b=2  ");
	expect_field(&c, "a", "1", AUD_V_BARE);
	expect_field(&c, "b", "2", AUD_V_BARE);
	expect_end(&c);
	/* "=x": an empty key, kept so nothing is lost. */
	cursor_on(&c, "=x");
	expect_field(&c, "", "x", AUD_V_BARE);
	expect_end(&c);
}
END_TEST

START_TEST(test_cursor_big_value)
{
	/* A 1 MB quoted value is one field, with its full length. */
	const size_t n = 1u << 20;
	char *s = malloc(n + 16);
	struct aud_cursor c;
	struct aud_field f;

	ck_assert_ptr_nonnull(s);
	memcpy(s, "cwd=\"", 5);
	memset(s + 5, 'x', n);
	memcpy(s + 5 + n, "\" a=b", 5);
	aud_cursor_init(&c, s, n + 10);
	ck_assert(aud_cursor_next(&c, &f));
	ck_assert_uint_eq(f.vlen, n);
	ck_assert_ptr_eq(f.val, s + 5);
	ck_assert_int_eq(f.kind, AUD_V_DQUOTED);
	expect_field(&c, "a", "b", AUD_V_BARE);
	expect_end(&c);
	free(s);
}
END_TEST

Suite *
suite_for_main(void)
{
	Suite *s = suite_create("audit records");
	TCase *tc = tcase_create("header");
	TCase *tcc = tcase_create("cursor");

	tcase_add_test(tc, test_line_header);
	tcase_add_test(tc, test_line_node);
	tcase_add_test(tc, test_line_enriched);
	tcase_add_test(tc, test_line_unknown_numbered);
	tcase_add_test(tc, test_netlink);
	tcase_add_test(tc, test_netlink_bad);
	tcase_add_test(tc, test_line_spaces);
	tcase_add_test(tc, test_line_trailing);
	tcase_add_test(tc, test_line_bad_stamp);
	tcase_add_test(tc, test_line_bad_type);
	tcase_add_test(tc, test_line_binary);
	tcase_add_test(tc, test_line_empty);
	tcase_add_test(tc, test_line_not_terminated);
	tcase_add_test(tc, test_line_truncated);
	tcase_add_test(tc, test_line_garbage);
	suite_add_tcase(s, tc);

	tcase_add_test(tcc, test_cursor_bare_word);
	tcase_add_test(tcc, test_cursor_empty_value);
	tcase_add_test(tcc, test_cursor_double_equals);
	tcase_add_test(tcc, test_cursor_squoted);
	tcase_add_test(tcc, test_cursor_dquoted);
	tcase_add_test(tcc, test_cursor_unterminated);
	tcase_add_test(tcc, test_cursor_keys);
	tcase_add_test(tcc, test_cursor_blank);
	tcase_add_test(tcc, test_cursor_big_value);
	suite_add_tcase(s, tcc);
	return s;
}
