/*
 * check_decode.c - value decoding: quoted text, hex, sentinels, the
 * encoded-field dictionary and strict number parsing.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "check_main.h"
#include "core/buf.h"

/* Decode (val, kind) into a fresh buffer; returns aud_decode_value's answer. */
static bool
decode(const char *val, enum aud_val_kind kind, char *out, size_t *outlen)
{
	struct aud_field f = { "k", 1, val, val != NULL ? strlen(val) : 0,
	    kind };

	return aud_decode_value(&f, out, outlen);
}

static void
expect_decoded(const char *val, enum aud_val_kind kind, const char *want,
    size_t wantlen)
{
	char out[256];
	size_t len = 12345;

	ck_assert_msg(decode(val, kind, out, &len), "absent: %s", val);
	ck_assert_uint_eq(len, wantlen);
	ck_assert_msg(memcmp(out, want, wantlen) == 0, "decoded %s wrong",
	    val);
}

START_TEST(test_quoted)
{
	expect_decoded("/usr/bin/ls", AUD_V_DQUOTED, "/usr/bin/ls", 11);
	/* Quoted text is never hex-decoded, even when it looks like hex. */
	expect_decoded("414243", AUD_V_DQUOTED, "414243", 6);
	expect_decoded("op=x res=1", AUD_V_SQUOTED, "op=x res=1", 10);
	expect_decoded("", AUD_V_DQUOTED, "", 0);
}
END_TEST

START_TEST(test_hex)
{
	expect_decoded("2F62696E2F6C73", AUD_V_BARE, "/bin/ls", 7);
	expect_decoded("2f62696e2f6c73", AUD_V_BARE, "/bin/ls", 7);
	expect_decoded("2F62696e2F6c73", AUD_V_BARE, "/bin/ls", 7);
	/* NUL and high bytes come through as bytes. */
	expect_decoded("6100FF62", AUD_V_BARE, "a\0\xff" "b", 4);
	/* exe of a deleted binary: the kernel hex-encodes the space. */
	expect_decoded("2F7573722F62696E2F707974686F6E322E373B3538643163636662"
	    "202864656C6574656429", AUD_V_BARE,
	    "/usr/bin/python2.7;58d1ccfb (deleted)", 37);
	/* Arguments with spaces, tabs and UTF-8. */
	expect_decoded("68656C6C6F20776F726C64", AUD_V_BARE, "hello world", 11);
	expect_decoded("610962", AUD_V_BARE, "a\tb", 3);
	expect_decoded("68C3A96C6C6F", AUD_V_BARE, "h\xc3\xa9llo", 6);
}
END_TEST

START_TEST(test_sentinels)
{
	char out[16];
	size_t len = 99;

	/* (null): the value is absent. */
	ck_assert(!decode("(null)", AUD_V_BARE, out, &len));
	ck_assert_uint_eq(len, 0);
	/* A bare word has no value at all. */
	len = 99;
	ck_assert(!decode(NULL, AUD_V_BARE, out, &len));
	ck_assert_uint_eq(len, 0);
	/* A quoted "(null)" is the literal text (e.g. a proctitle). */
	expect_decoded("(null)", AUD_V_DQUOTED, "(null)", 6);
	expect_decoded("?", AUD_V_BARE, "?", 1);
	expect_decoded("(none)", AUD_V_BARE, "(none)", 6);
	expect_decoded("", AUD_V_BARE, "", 0);
}
END_TEST

START_TEST(test_not_hex)
{
	/* Odd length or non-hex digits: kept raw. */
	expect_decoded("ABC", AUD_V_BARE, "ABC", 3);
	expect_decoded("2F62696", AUD_V_BARE, "2F62696", 7);
	expect_decoded("2G", AUD_V_BARE, "2G", 2);
	expect_decoded("10.0.0.1", AUD_V_BARE, "10.0.0.1", 8);
	expect_decoded("-1", AUD_V_BARE, "-1", 2);
}
END_TEST

START_TEST(test_hex_decode)
{
	char out[8] = "zzzzzzz";

	ck_assert(aud_hex_decode("", 0, out));
	ck_assert(aud_hex_decode("00ff7F", 6, out));
	ck_assert(memcmp(out, "\0\xff\x7f", 3) == 0);
	ck_assert(!aud_hex_decode("0", 1, out));
	ck_assert(!aud_hex_decode("0g", 2, out));
	ck_assert(!aud_hex_decode("g0", 2, out));
	ck_assert(!aud_hex_decode("0x", 2, out));
	ck_assert(!aud_hex_decode(" 0", 2, out));
	/* Only len bytes are looked at. */
	ck_assert(aud_hex_decode("41zz", 2, out));
	ck_assert_int_eq(out[0], 'A');
}
END_TEST

START_TEST(test_encoded_fields)
{
	static const char *const yes[] = {
		"comm", "exe", "cwd", "name", "proctitle", "key", "path",
		"saddr", "acct", "cmd", "addr", "data", "ocomm", "dir",
		"new-disk", "old-chardev", "watch", "vm", "cgroup", "root_dir",
		"sw", "invalid_context", "device", "file", "grp", "apparmor",
	};
	static const char *const no[] = {
		"pid", "a1", "a1[0]", "argc", "commx", "com", "", "new-",
		"old-", "subj", "tty", "res", "Comm", "exe ", "aaa", "zzz",
		"old-auid", "old-ses", "new-level", "new-x",
	};
	size_t i;

	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
		ck_assert_msg(aud_field_is_encoded(yes[i], strlen(yes[i])),
		    "not encoded: %s", yes[i]);
	for (i = 0; i < sizeof(no) / sizeof(no[0]); i++)
		ck_assert_msg(!aud_field_is_encoded(no[i], strlen(no[i])),
		    "encoded: %s", no[i]);
	/* The length, not a NUL, ends the key. */
	ck_assert(aud_field_is_encoded("commxyz", 4));
	ck_assert(!aud_field_is_encoded("comm", 3));
}
END_TEST

START_TEST(test_u64)
{
	uint64_t v = 7;

	ck_assert(aud_parse_u64("0", 1, 10, &v));
	ck_assert_uint_eq(v, 0);
	ck_assert(aud_parse_u64("18446744073709551615", 20, 10, &v));
	ck_assert_uint_eq(v, UINT64_MAX);
	v = 7;
	ck_assert(!aud_parse_u64("18446744073709551616", 20, 10, &v));
	ck_assert(!aud_parse_u64("99999999999999999999", 20, 10, &v));
	ck_assert(!aud_parse_u64("", 0, 10, &v));
	ck_assert(!aud_parse_u64("12a", 3, 10, &v));
	ck_assert(!aud_parse_u64("-1", 2, 10, &v));
	ck_assert(!aud_parse_u64("+1", 2, 10, &v));
	ck_assert(!aud_parse_u64(" 1", 2, 10, &v));
	ck_assert(!aud_parse_u64("0x10", 4, 10, &v));
	ck_assert_uint_eq(v, 7);	/* untouched on failure */
	/* Leading zeros are fine (mode=0100755), up to a sane length. */
	ck_assert(aud_parse_u64("0000000000000000000000000000042", 31, 10, &v));
	ck_assert_uint_eq(v, 42);
	/* Only len bytes count. */
	ck_assert(aud_parse_u64("123 456", 3, 10, &v));
	ck_assert_uint_eq(v, 123);
}
END_TEST

START_TEST(test_u64_bases)
{
	uint64_t v = 0;

	ck_assert(aud_parse_u64("0100755", 7, 8, &v));
	ck_assert_uint_eq(v, 0100755);
	ck_assert(!aud_parse_u64("0758", 4, 8, &v));
	ck_assert(aud_parse_u64("1777777777777777777777", 22, 8, &v));
	ck_assert_uint_eq(v, UINT64_MAX);
	ck_assert(!aud_parse_u64("2000000000000000000000", 22, 8, &v));

	ck_assert(aud_parse_u64("c000003e", 8, 16, &v));
	ck_assert_uint_eq(v, 0xc000003eu);
	ck_assert(aud_parse_u64("C000003E", 8, 16, &v));
	ck_assert_uint_eq(v, 0xc000003eu);
	ck_assert(aud_parse_u64("0x1F", 4, 16, &v));
	ck_assert_uint_eq(v, 0x1f);
	ck_assert(aud_parse_u64("0X1f", 4, 16, &v));
	ck_assert_uint_eq(v, 0x1f);
	ck_assert(aud_parse_u64("ffffffffffffffff", 16, 16, &v));
	ck_assert_uint_eq(v, UINT64_MAX);
	ck_assert(aud_parse_u64("0xffffffffffffffff", 18, 16, &v));
	ck_assert_uint_eq(v, UINT64_MAX);
	ck_assert(!aud_parse_u64("10000000000000000", 17, 16, &v));
	ck_assert(!aud_parse_u64("0x", 2, 16, &v));
	ck_assert(!aud_parse_u64("0xg", 3, 16, &v));
	ck_assert(!aud_parse_u64("0x0x1", 5, 16, &v));
	ck_assert(!aud_parse_u64("fg", 2, 16, &v));
	ck_assert(aud_parse_u64("101", 3, 2, &v));
	ck_assert_uint_eq(v, 5);
}
END_TEST

START_TEST(test_i64)
{
	int64_t v = 7;

	ck_assert(aud_parse_i64("0", 1, &v));
	ck_assert_int_eq(v, 0);
	ck_assert(aud_parse_i64("-0", 2, &v));
	ck_assert_int_eq(v, 0);
	ck_assert(aud_parse_i64("-115", 4, &v));
	ck_assert_int_eq(v, -115);
	ck_assert(aud_parse_i64("9223372036854775807", 19, &v));
	ck_assert_int_eq(v, INT64_MAX);
	ck_assert(aud_parse_i64("-9223372036854775808", 20, &v));
	ck_assert_int_eq(v, INT64_MIN);
	v = 7;
	ck_assert(!aud_parse_i64("9223372036854775808", 19, &v));
	ck_assert(!aud_parse_i64("-9223372036854775809", 20, &v));
	ck_assert(!aud_parse_i64("18446744073709551615", 20, &v));
	ck_assert(!aud_parse_i64("-", 1, &v));
	ck_assert(!aud_parse_i64("--1", 3, &v));
	ck_assert(!aud_parse_i64("", 0, &v));
	ck_assert(!aud_parse_i64("1-", 2, &v));
	ck_assert(!aud_parse_i64("ff", 2, &v));
	ck_assert(!aud_parse_i64("+5", 2, &v));
	ck_assert_int_eq(v, 7);
}
END_TEST

START_TEST(test_big_values)
{
	/* 1 MB of hex decodes to 512 KiB; a 1 MB quoted value is copied. */
	const size_t n = 1u << 20;
	char *hex = malloc(n), *out = malloc(n);
	struct aud_field f = { "a0", 2, NULL, n, AUD_V_BARE };
	size_t len = 0, i;

	ck_assert_ptr_nonnull(hex);
	ck_assert_ptr_nonnull(out);
	for (i = 0; i < n; i += 2)
		memcpy(hex + i, "7A", 2);
	f.val = hex;
	ck_assert(aud_decode_value(&f, out, &len));
	ck_assert_uint_eq(len, n / 2);
	ck_assert_int_eq(out[0], 'z');
	ck_assert_int_eq(out[n / 2 - 1], 'z');
	f.kind = AUD_V_DQUOTED;
	ck_assert(aud_decode_value(&f, out, &len));
	ck_assert_uint_eq(len, n);
	ck_assert(memcmp(out, hex, n) == 0);
	free(hex);
	free(out);
}
END_TEST

/*
 * fc_fmt_uint / fc_fmt_int (core/buf.h), the JSON writer's number text:
 * byte for byte what printf gives, on edge values and on 200,000
 * pseudo-random ones of every size, in each base and padding used.
 */
/*
 * fc_fmt_* output (got, of length n) against printf's (want).  Counted,
 * not asserted: a Check assertion per value makes a million of them, too
 * slow in the sanitizer build; the first mismatch is kept for the report.
 */
static unsigned fmt_bad;
static char fmt_first[160];

static void
fmt_is(size_t n, const char *got, const char *want)
{
	if (strcmp(got, want) == 0 && n == strlen(want))
		return;
	if (fmt_bad++ == 0)
		snprintf(fmt_first, sizeof(fmt_first), "got '%s' (%zu), want "
		    "'%s'", got, n, want);
}

static void
same_as_printf(uint64_t v)
{
	char want[64], got[FC_FMT_MAX];

	snprintf(want, sizeof(want), "%" PRIu64, v);
	fmt_is(fc_fmt_uint(got, v, 10, 0), got, want);
	snprintf(want, sizeof(want), "%" PRIx64, v);
	fmt_is(fc_fmt_uint(got, v, 16, 0), got, want);
	snprintf(want, sizeof(want), "%02" PRIx64, v);
	fmt_is(fc_fmt_uint(got, v, 16, 2), got, want);
	snprintf(want, sizeof(want), "%" PRIo64, v);
	fmt_is(fc_fmt_uint(got, v, 8, 0), got, want);
	snprintf(want, sizeof(want), "%" PRId64, (int64_t)v);
	fmt_is(fc_fmt_int(got, (int64_t)v), got, want);
}

START_TEST(test_fmt_numbers)
{
	static const uint64_t edge[] = { 0, 1, 7, 8, 9, 10, 15, 16, 99, 100,
	    255, 256, 0x7fffffff, 0x80000000, 0xffffffff, 0x100000000ull,
	    (uint64_t)INT64_MAX, (uint64_t)INT64_MIN, UINT64_MAX - 1,
	    UINT64_MAX, 10000000000000000000ull };
	uint64_t x = 88172645463325252ull;
	size_t i;

	fmt_bad = 0;
	for (i = 0; i < sizeof(edge) / sizeof(edge[0]); i++)
		same_as_printf(edge[i]);
	for (i = 0; i < 200000; i++) {
		x ^= x << 13;	/* xorshift64 */
		x ^= x >> 7;
		x ^= x << 17;
		same_as_printf(x >> (i % 64));
	}
	ck_assert_msg(fmt_bad == 0, "%u mismatches, first: %s", fmt_bad,
	    fmt_first);
}
END_TEST

Suite *
suite_for_main(void)
{
	Suite *s = suite_create("audit values");
	TCase *tc = tcase_create("decode");
	TCase *tn = tcase_create("numbers");

	tcase_add_test(tc, test_quoted);
	tcase_add_test(tc, test_hex);
	tcase_add_test(tc, test_sentinels);
	tcase_add_test(tc, test_not_hex);
	tcase_add_test(tc, test_hex_decode);
	tcase_add_test(tc, test_encoded_fields);
	tcase_add_test(tc, test_big_values);
	suite_add_tcase(s, tc);

	tcase_add_test(tn, test_u64);
	tcase_add_test(tn, test_u64_bases);
	tcase_add_test(tn, test_i64);
	tcase_add_test(tn, test_fmt_numbers);
	suite_add_tcase(s, tn);
	return s;
}
