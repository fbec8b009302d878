/*
 * check_build.c - the event builder: hand-written records of every type
 * folded into one struct fc_event (aud_event_add_record/finish), and the
 * JSON form of whole events compared as exact strings.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "core/buf.h"
#include "check_main.h"

#define HDR(t)	"type=" t " msg=audit(1615114232.375:15558): "

static struct fc_event ev;

static void
setup(void)
{
	fc_event_init(&ev);
}

static void
teardown(void)
{
	fc_event_fini(&ev);
}

/* Parse one audit.log line (must be valid) and fold it into ev. */
static void
add_len(const char *line, size_t len)
{
	struct aud_record rec;
	enum aud_rec_err e = aud_rec_parse_line(line, len, &rec);

	ck_assert_msg(e == AUD_REC_OK, "%s: %.80s", aud_rec_strerror(e), line);
	aud_event_add_record(&ev, &rec);
}

static void
add(const char *line)
{
	add_len(line, strlen(line));
}

static void
assert_bytes(struct fc_str s, const char *want, size_t len)
{
	ck_assert_ptr_nonnull(s.p);
	ck_assert_uint_eq(s.len, len);
	ck_assert(memcmp(s.p, want, len) == 0);
	ck_assert_int_eq(s.p[len], '\0');	/* also NUL-terminated */
}

static void
assert_str(struct fc_str s, const char *want)
{
	assert_bytes(s, want, strlen(want));
}

/*
 * The n-th generic field must be key=(val, len), of record rec; val NULL
 * means no value.
 */
static void
assert_field_bytes(uint32_t n, uint32_t rec, const char *key, const char *val,
    size_t len)
{
	const struct fc_field *f;

	ck_assert_uint_lt(n, ev.ev_nfields);
	f = &ev.ev_fields[n];
	ck_assert_uint_eq(f->f_rec, rec);
	assert_str(f->f_key, key);
	if (val == NULL)
		ck_assert_ptr_null(f->f_val.p);
	else
		assert_bytes(f->f_val, val, len);
}

static void
assert_field(uint32_t n, uint32_t rec, const char *key, const char *val)
{
	assert_field_bytes(n, rec, key, val, val != NULL ? strlen(val) : 0);
}

static void
assert_json(const char *want)
{
	struct fc_buf b;

	fc_buf_init(&b, 1u << 20);
	aud_event_json(&ev, &b);
	ck_assert_msg(b.len == strlen(want) && memcmp(b.p, want, b.len) == 0,
	    "JSON differs:\n got: %.*s\nwant: %s", (int)b.len, b.p, want);
	fc_buf_fini(&b);
}

/* ---- SYSCALL ---------------------------------------------------------- */

static const char syscall_execve[] = HDR("SYSCALL") "arch=c000003e "
    "syscall=59 success=yes exit=0 a0=55d1c6e3a2b0 a1=55d1c6e3a3c8 "
    "a2=55d1c6e39e60 a3=8 items=2 ppid=1023 pid=1099 auid=1000 uid=1001 "
    "gid=1002 euid=1003 suid=1004 fsuid=1005 egid=1006 sgid=1007 "
    "fsgid=1008 tty=pts0 ses=3 comm=\"ls\" exe=\"/usr/bin/ls\" "
    "subj=unconfined key=\"exec\"";

START_TEST(test_syscall_fields)
{
	add(syscall_execve);
	aud_event_finish(&ev);
	ck_assert_uint_eq(ev.ev_sec, 1615114232);
	ck_assert_uint_eq(ev.ev_msec, 375);
	ck_assert_uint_eq(ev.ev_serial, 15558);
	ck_assert_ptr_null(ev.ev_node.p);
	ck_assert_uint_eq(ev.ev_nrecords, 1);
	ck_assert_uint_eq(ev.ev_rec_types[0], AUD_T_SYSCALL);
	ck_assert_uint_eq(ev.ev_flags, FC_EV_SYSCALL | FC_EV_HAS_SUCCESS |
	    FC_EV_SUCCESS | FC_EV_HAS_EXIT | FC_EV_HAS_PPID | FC_EV_HAS_IDS);
	ck_assert_uint_eq(ev.ev_id_mask, FC_ID_AUID | FC_ID_UID | FC_ID_GID |
	    FC_ID_EUID | FC_ID_SUID | FC_ID_FSUID | FC_ID_EGID | FC_ID_SGID |
	    FC_ID_FSGID | FC_ID_SES);
	ck_assert_uint_eq(ev.ev_arch, 0xc000003eu);
	ck_assert_int_eq(ev.ev_syscall, 59);
	ck_assert_str_eq(ev.ev_syscall_name, "execve");
	ck_assert_int_eq(ev.ev_exit, 0);
	ck_assert_uint_eq(ev.ev_a[0], 0x55d1c6e3a2b0ull);
	ck_assert_uint_eq(ev.ev_a[1], 0x55d1c6e3a3c8ull);
	ck_assert_uint_eq(ev.ev_a[2], 0x55d1c6e39e60ull);
	ck_assert_uint_eq(ev.ev_a[3], 8);
	ck_assert_int_eq(ev.ev_items, 2);
	ck_assert_int_eq(ev.ev_ppid, 1023);
	ck_assert_int_eq(ev.ev_pid, 1099);
	ck_assert_uint_eq(ev.ev_auid, 1000);
	ck_assert_uint_eq(ev.ev_uid, 1001);
	ck_assert_uint_eq(ev.ev_gid, 1002);
	ck_assert_uint_eq(ev.ev_euid, 1003);
	ck_assert_uint_eq(ev.ev_suid, 1004);
	ck_assert_uint_eq(ev.ev_fsuid, 1005);
	ck_assert_uint_eq(ev.ev_egid, 1006);
	ck_assert_uint_eq(ev.ev_sgid, 1007);
	ck_assert_uint_eq(ev.ev_fsgid, 1008);
	ck_assert_uint_eq(ev.ev_ses, 3);
	assert_str(ev.ev_tty, "pts0");
	assert_str(ev.ev_comm, "ls");
	assert_str(ev.ev_exe, "/usr/bin/ls");
	assert_str(ev.ev_subj, "unconfined");
	ck_assert_uint_eq(ev.ev_nkeys, 1);
	assert_str(ev.ev_keys[0], "exec");
	ck_assert_uint_eq(ev.ev_nfields, 0);
	ck_assert_int_eq(ev.ev_argc, -1);
	ck_assert_uint_eq(ev.ev_nargv, 0);
}
END_TEST

START_TEST(test_syscall_failed)
{
	add(HDR("SYSCALL") "arch=c000003e syscall=2 success=no exit=-2 "
	    "a0=7ffc a1=0 a2=1b6 a3=0 items=1 ppid=1 pid=5 comm=\"cat\"");
	ck_assert_uint_eq(ev.ev_flags & (FC_EV_HAS_SUCCESS | FC_EV_SUCCESS |
	    FC_EV_HAS_EXIT), FC_EV_HAS_SUCCESS | FC_EV_HAS_EXIT);
	ck_assert_int_eq(ev.ev_exit, -2);
	ck_assert_str_eq(ev.ev_syscall_name, "open");
	ck_assert_str_eq(aud_errno_name(ev.ev_exit), "ENOENT");
	/* No id was logged: none is claimed. */
	ck_assert_uint_eq(ev.ev_id_mask, 0);
	ck_assert_uint_eq(ev.ev_uid, UINT32_MAX);
}
END_TEST

START_TEST(test_syscall_exit_group)
{
	/* exit_group never returns: no success=, no exit=. */
	add(HDR("SYSCALL") "arch=c000003e syscall=231 a0=0 a1=3c a2=0 "
	    "a3=7f1c items=0 ppid=10 pid=11 auid=0 uid=0 gid=0 euid=0 suid=0 "
	    "fsuid=0 egid=0 sgid=0 fsgid=0 tty=(none) ses=1 comm=\"true\" "
	    "exe=\"/usr/bin/true\" key=(null)");
	aud_event_finish(&ev);
	ck_assert_str_eq(ev.ev_syscall_name, "exit_group");
	ck_assert_uint_eq(ev.ev_flags & (FC_EV_HAS_SUCCESS | FC_EV_SUCCESS |
	    FC_EV_HAS_EXIT), 0);
	ck_assert_int_eq(ev.ev_exit, 0);
	ck_assert_uint_eq(ev.ev_a[1], 0x3c);
	assert_str(ev.ev_tty, "(none)");
	/* key=(null): no key, and not kept as a field either. */
	ck_assert_uint_eq(ev.ev_nkeys, 0);
	ck_assert_uint_eq(ev.ev_nfields, 0);
	assert_json("{\"time\":\"2021-03-07T10:50:32.375Z\",\"serial\":15558,"
	    "\"record_types\":[\"SYSCALL\"],\"syscall\":\"exit_group\","
	    "\"syscall_nr\":231,\"arch\":\"x86_64\",\"a0\":\"0x0\","
	    "\"a1\":\"0x3c\",\"a2\":\"0x0\",\"a3\":\"0x7f1c\",\"items\":0,"
	    "\"pid\":11,\"ppid\":10,\"auid\":0,\"uid\":0,\"gid\":0,\"euid\":0,"
	    "\"suid\":0,\"fsuid\":0,\"egid\":0,\"sgid\":0,\"fsgid\":0,"
	    "\"ses\":1,"
	    "\"tty\":\"(none)\",\"comm\":\"true\",\"exe\":\"/usr/bin/true\","
	    "\"key\":[]}");
}
END_TEST

START_TEST(test_syscall_arches)
{
	static const struct {
		const char *arch;
		uint32_t num;
		int nr;
		const char *name;
		const char *arch_name;
	} tab[] = {
		{ "c000003e", 0xc000003eu, 59, "execve", "x86_64" },
		{ "40000003", 0x40000003u, 11, "execve", "i386" },
		{ "c00000b7", 0xc00000b7u, 221, "execve", "aarch64" },
		{ "40000003", 0x40000003u, 1, "exit", "i386" },
		{ "c00000b7", 0xc00000b7u, 56, "openat", "aarch64" },
	};
	char line[256];
	size_t i;

	for (i = 0; i < sizeof(tab) / sizeof(tab[0]); i++) {
		snprintf(line, sizeof(line), HDR("SYSCALL") "arch=%s "
		    "syscall=%d success=yes exit=0", tab[i].arch, tab[i].nr);
		fc_event_reset(&ev);
		add(line);
		ck_assert_uint_eq(ev.ev_arch, tab[i].num);
		ck_assert_int_eq(ev.ev_syscall, tab[i].nr);
		ck_assert_str_eq(ev.ev_syscall_name, tab[i].name);
		ck_assert_str_eq(aud_arch_name(ev.ev_arch), tab[i].arch_name);
	}
	/* Unknown arch: the number is kept, no name is guessed. */
	fc_event_reset(&ev);
	add(HDR("SYSCALL") "arch=deadbeef syscall=59");
	ck_assert_uint_eq(ev.ev_arch, 0xdeadbeefu);
	ck_assert_ptr_null(ev.ev_syscall_name);
	ck_assert_ptr_null(aud_arch_name(0xdeadbeefu));
	/* No arch at all. */
	fc_event_reset(&ev);
	add(HDR("SYSCALL") "syscall=59");
	ck_assert_uint_eq(ev.ev_arch, 0);
	ck_assert_int_eq(ev.ev_syscall, 59);
	ck_assert_ptr_null(ev.ev_syscall_name);
}
END_TEST

START_TEST(test_syscall_unset_ids)
{
	add(HDR("SYSCALL") "auid=4294967295 uid=-1 gid=0 ses=-1 "
	    "euid=4294967296 suid=abc pid=-1");
	ck_assert_uint_eq(ev.ev_auid, UINT32_MAX);
	ck_assert_uint_eq(ev.ev_uid, UINT32_MAX);
	ck_assert_uint_eq(ev.ev_gid, 0);
	ck_assert_uint_eq(ev.ev_ses, UINT32_MAX);
	ck_assert_int_eq(ev.ev_pid, -1);
	/* Values out of range are not squeezed in: kept raw. */
	ck_assert_uint_eq(ev.ev_euid, UINT32_MAX);
	ck_assert_uint_eq(ev.ev_id_mask, FC_ID_AUID | FC_ID_UID | FC_ID_GID |
	    FC_ID_SES);
	ck_assert_uint_eq(ev.ev_nfields, 2);
	assert_field(0, 0, "euid", "4294967296");
	assert_field(1, 0, "suid", "abc");
}
END_TEST

START_TEST(test_syscall_keys)
{
	/* Several keys on one rule: hex of "k1\x01k2\x01" "k3". */
	add(HDR("SYSCALL") "arch=c000003e syscall=59 key=6B31016B32016B33");
	ck_assert_uint_eq(ev.ev_nkeys, 3);
	assert_str(ev.ev_keys[0], "k1");
	assert_str(ev.ev_keys[1], "k2");
	assert_str(ev.ev_keys[2], "k3");
	ck_assert_uint_eq(ev.ev_flags & FC_EV_TRUNCATED, 0);

	/* Nine keys: eight are kept. */
	fc_event_reset(&ev);
	add(HDR("SYSCALL") "key=61016201630164016501660167016801" "69");
	ck_assert_uint_eq(ev.ev_nkeys, FC_EV_MAX_KEYS);
	assert_str(ev.ev_keys[0], "a");
	assert_str(ev.ev_keys[7], "h");
	ck_assert_uint_ne(ev.ev_flags & FC_EV_TRUNCATED, 0);

	/* Exactly eight keys, and an empty key between separators. */
	fc_event_reset(&ev);
	add(HDR("SYSCALL") "key=610162010101010101" "68");
	ck_assert_uint_eq(ev.ev_nkeys, 8);
	assert_str(ev.ev_keys[2], "");
	assert_str(ev.ev_keys[7], "h");
	ck_assert_uint_eq(ev.ev_flags & FC_EV_TRUNCATED, 0);

	/* A quoted key. */
	fc_event_reset(&ev);
	add(HDR("SYSCALL") "key=\"user_commands\"");
	ck_assert_uint_eq(ev.ev_nkeys, 1);
	assert_str(ev.ev_keys[0], "user_commands");
}
END_TEST

START_TEST(test_syscall_duplicate_key)
{
	/* auparse reads the first of a repeated field; so do ids and key. */
	add(HDR("SYSCALL") "uid=5 key=\"a\" ses=1 uid=6 key=\"b\"");
	ck_assert_uint_eq(ev.ev_uid, 5);
	ck_assert_uint_eq(ev.ev_id_mask, FC_ID_UID | FC_ID_SES);
	ck_assert_uint_eq(ev.ev_nkeys, 1);
	assert_str(ev.ev_keys[0], "a");
	/* The later id is kept, as a field. */
	assert_field(0, 0, "uid", "6");
}
END_TEST

START_TEST(test_syscall_twice)
{
	/* A second SYSCALL with the same serial is kept raw, not merged. */
	add(HDR("SYSCALL") "arch=c000003e syscall=59 pid=10");
	add(HDR("SYSCALL") "arch=c000003e syscall=2 pid=11 comm=6869");
	ck_assert_int_eq(ev.ev_syscall, 59);
	ck_assert_int_eq(ev.ev_pid, 10);
	ck_assert_uint_eq(ev.ev_nrecords, 2);
	ck_assert_uint_eq(ev.ev_nfields, 4);
	assert_field(0, 1, "arch", "c000003e");
	assert_field(1, 1, "syscall", "2");
	assert_field(2, 1, "pid", "11");
	assert_field(3, 1, "comm", "hi");
}
END_TEST

/* ---- EXECVE ----------------------------------------------------------- */

START_TEST(test_execve_args)
{
	add(HDR("EXECVE") "argc=4 a0=\"ls\" a1=2D6C61 a2=\"\" a3=2f746d70");
	aud_event_finish(&ev);
	ck_assert_uint_ne(ev.ev_flags & FC_EV_EXECVE, 0);
	ck_assert_uint_eq(ev.ev_flags & FC_EV_ARGV_GAP, 0);
	ck_assert_int_eq(ev.ev_argc, 4);
	ck_assert_uint_eq(ev.ev_nargv, 4);
	assert_str(ev.ev_argv[0], "ls");
	assert_str(ev.ev_argv[1], "-la");
	assert_str(ev.ev_argv[2], "");
	assert_str(ev.ev_argv[3], "/tmp");
	ck_assert_uint_eq(ev.ev_nfields, 0);
}
END_TEST

START_TEST(test_execve_hex_args)
{
	/* The kernel hex-encodes args with a space, tab, quote or non-ASCII. */
	add(HDR("EXECVE") "argc=5 a0=\"sh\" a1=68656C6C6F20776F726C64 "
	    "a2=610962 a3=68C3A96C6C6F a4=2261270A");
	aud_event_finish(&ev);
	ck_assert_uint_eq(ev.ev_nargv, 5);
	assert_str(ev.ev_argv[1], "hello world");
	assert_str(ev.ev_argv[2], "a\tb");
	assert_str(ev.ev_argv[3], "h\xc3\xa9llo");
	assert_str(ev.ev_argv[4], "\"a'\n");
}
END_TEST

START_TEST(test_execve_chunks)
{
	/*
	 * a1 is 24 bytes (48 hex digits) split into three chunks over three
	 * EXECVE records, as audit_log_execve_info() does for long args.
	 */
	add(HDR("EXECVE") "argc=3 a0=\"cat\" a1_len=48 a1[0]=4142434445464748");
	add(HDR("EXECVE") "a1[1]=494A4B4C4D4E4F50");
	add(HDR("EXECVE") "a1[2]=5152535455565758 a2=\"end\"");
	aud_event_finish(&ev);
	ck_assert_uint_eq(ev.ev_nrecords, 3);
	ck_assert_int_eq(ev.ev_argc, 3);
	ck_assert_uint_eq(ev.ev_nargv, 3);
	assert_str(ev.ev_argv[0], "cat");
	assert_str(ev.ev_argv[1], "ABCDEFGHIJKLMNOPQRSTUVWX");
	assert_str(ev.ev_argv[2], "end");
	ck_assert_uint_eq(ev.ev_flags & (FC_EV_ARGV_GAP | FC_EV_TRUNCATED), 0);
	ck_assert_uint_eq(ev.ev_nfields, 0);
}
END_TEST

START_TEST(test_execve_chunks_quoted)
{
	/* Chunks of a plain argument are quoted; a short aN_len still works. */
	add(HDR("EXECVE") "argc=2 a0=\"echo\" a1_len=4 a1[0]=\"abcd\"");
	add(HDR("EXECVE") "a1[1]=\"efgh\" a1[2]=\"ij\"");
	aud_event_finish(&ev);
	ck_assert_uint_eq(ev.ev_nargv, 2);
	assert_str(ev.ev_argv[1], "abcdefghij");
	ck_assert_uint_eq(ev.ev_flags & (FC_EV_ARGV_GAP | FC_EV_TRUNCATED), 0);
}
END_TEST

START_TEST(test_execve_chunk_len_overflow)
{
	/* A hostile aN_len must neither overflow nor reserve the world. */
	add(HDR("EXECVE") "argc=2 a0=\"x\" a1_len=18446744073709551615 "
	    "a1[0]=616263");
	aud_event_finish(&ev);
	ck_assert_uint_eq(ev.ev_nargv, 2);
	assert_str(ev.ev_argv[1], "abc");
	ck_assert_uint_eq(ev.ev_flags & FC_EV_TRUNCATED, 0);

	fc_event_reset(&ev);
	add(HDR("EXECVE") "argc=1 a0_len=4294967295 a0[0]=\"abc\"");
	aud_event_finish(&ev);
	assert_str(ev.ev_argv[0], "abc");
}
END_TEST

START_TEST(test_execve_gap)
{
	/* Old kernels left out empty arguments. */
	add(HDR("EXECVE") "argc=3 a0=\"x\" a2=\"y\"");
	aud_event_finish(&ev);
	ck_assert_uint_ne(ev.ev_flags & FC_EV_ARGV_GAP, 0);
	ck_assert_uint_eq(ev.ev_nargv, 3);
	assert_str(ev.ev_argv[0], "x");
	assert_str(ev.ev_argv[1], "");
	assert_str(ev.ev_argv[2], "y");

	/* Trailing empty arguments: argc says how many. */
	fc_event_reset(&ev);
	add(HDR("EXECVE") "argc=4 a0=\"x\" a1=\"y\"");
	aud_event_finish(&ev);
	ck_assert_uint_ne(ev.ev_flags & FC_EV_ARGV_GAP, 0);
	ck_assert_uint_eq(ev.ev_nargv, 4);
	assert_str(ev.ev_argv[3], "");

	/* An absent (null) argument is an empty one, not a gap. */
	fc_event_reset(&ev);
	add(HDR("EXECVE") "argc=2 a0=\"x\" a1=(null)");
	aud_event_finish(&ev);
	ck_assert_uint_eq(ev.ev_flags & FC_EV_ARGV_GAP, 0);
	assert_str(ev.ev_argv[1], "");
}
END_TEST

START_TEST(test_execve_odd)
{
	/* argc=0 (seen with exec of a crafted argv), junk keys, no argc. */
	add(HDR("EXECVE") "argc=0");
	aud_event_finish(&ev);
	ck_assert_int_eq(ev.ev_argc, 0);
	ck_assert_uint_eq(ev.ev_nargv, 0);
	ck_assert_uint_eq(ev.ev_flags & FC_EV_ARGV_GAP, 0);

	fc_event_reset(&ev);
	add(HDR("EXECVE") "a0=\"x\" a1x=1 ab=2 argc=zz");
	aud_event_finish(&ev);
	ck_assert_int_eq(ev.ev_argc, -1);
	ck_assert_uint_eq(ev.ev_nargv, 1);
	assert_str(ev.ev_argv[0], "x");
	ck_assert_uint_eq(ev.ev_nfields, 3);
	assert_field(0, 0, "a1x", "1");
	assert_field(1, 0, "ab", "2");
	assert_field(2, 0, "argc", "zz");
}
END_TEST

START_TEST(test_execve_huge_index)
{
	/* An index no argv can have: dropped, flagged, nothing written. */
	add(HDR("EXECVE") "a4294967295=\"x\" a0=\"y\"");
	add(HDR("EXECVE") "a4294967295_len=2 a4294967295[0]=\"z\"");
	add(HDR("EXECVE") "a99999999=\"x\"");
	aud_event_finish(&ev);
	ck_assert_uint_ne(ev.ev_flags & FC_EV_TRUNCATED, 0);
	ck_assert_uint_eq(ev.ev_nargv, 1);
	assert_str(ev.ev_argv[0], "y");
}
END_TEST

START_TEST(test_execve_big_arg)
{
	/* A 1 MiB argument, hex-encoded (2 MiB on the line): kept whole. */
	const size_t n = 1u << 20;
	const char *pre = HDR("EXECVE") "argc=2 a0=\"x\" a1=";
	size_t plen = strlen(pre), i;
	char *line = malloc(plen + 2 * n + 1);

	ck_assert_ptr_nonnull(line);
	memcpy(line, pre, plen);
	for (i = 0; i < n; i++)
		memcpy(line + plen + 2 * i, i % 2 ? "20" : "41", 2);
	add_len(line, plen + 2 * n);
	aud_event_finish(&ev);
	ck_assert_uint_eq(ev.ev_nargv, 2);
	ck_assert_uint_eq(ev.ev_argv[1].len, n);
	ck_assert(memcmp(ev.ev_argv[1].p, "A A ", 4) == 0);
	ck_assert(memcmp(ev.ev_argv[1].p + n - 2, "A ", 2) == 0);
	ck_assert_uint_eq(ev.ev_flags & FC_EV_TRUNCATED, 0);
	free(line);
}
END_TEST

START_TEST(test_execve_big_chunked)
{
	/* 1 MiB in 128 chunks of 8 KiB spread over 128 EXECVE records. */
	const size_t chunk = 8192, nchunks = 128;
	char *line = malloc(2 * chunk + 128);
	size_t i, len;

	ck_assert_ptr_nonnull(line);
	for (i = 0; i < nchunks; i++) {
		len = (size_t)snprintf(line, 128, HDR("EXECVE") "%sa0[%zu]=",
		    i == 0 ? "argc=1 a0_len=2097152 " : "", i);
		memset(line + len, i % 2 ? '6' : '7', 2 * chunk);
		add_len(line, len + 2 * chunk);
	}
	aud_event_finish(&ev);
	ck_assert_uint_eq(ev.ev_nrecords, nchunks);
	ck_assert_uint_eq(ev.ev_nargv, 1);
	ck_assert_uint_eq(ev.ev_argv[0].len, chunk * nchunks);
	ck_assert_int_eq(ev.ev_argv[0].p[0], 0x77);
	ck_assert_int_eq(ev.ev_argv[0].p[chunk], 0x66);
	ck_assert_int_eq(ev.ev_argv[0].p[chunk * nchunks - 1], 0x66);
	ck_assert_uint_eq(ev.ev_flags & FC_EV_TRUNCATED, 0);
	free(line);
}
END_TEST

/* ---- CWD, PROCTITLE --------------------------------------------------- */

START_TEST(test_cwd)
{
	add("type=CWD msg=audit(1615114232.375:15558):  cwd=\"/root\"");
	assert_str(ev.ev_cwd, "/root");
	ck_assert_uint_eq(ev.ev_nfields, 0);

	fc_event_reset(&ev);
	add(HDR("CWD") "cwd=2F746D702F6120622F");
	assert_str(ev.ev_cwd, "/tmp/a b/");

	/* A 1 MB quoted value is kept whole. */
	{
		const size_t n = 1u << 20;
		const char *pre = HDR("CWD") "cwd=\"";
		size_t plen = strlen(pre);
		char *line = malloc(plen + n + 2);

		ck_assert_ptr_nonnull(line);
		memcpy(line, pre, plen);
		memset(line + plen, 'd', n);
		line[plen + n] = '"';
		fc_event_reset(&ev);
		add_len(line, plen + n + 1);
		ck_assert_uint_eq(ev.ev_cwd.len, n);
		ck_assert_int_eq(ev.ev_cwd.p[n - 1], 'd');
		ck_assert_int_eq(ev.ev_cwd.p[n], '\0');
		free(line);
	}
}
END_TEST

START_TEST(test_proctitle)
{
	/* Arguments separated by NUL: kept as raw bytes. */
	add(HDR("PROCTITLE") "proctitle=2F62696E2F7368002D63006563686F206869");
	assert_bytes(ev.ev_proctitle, "/bin/sh\0-c\0echo hi", 18);

	/* Quoted "(null)" is a process really called (null). */
	fc_event_reset(&ev);
	add(HDR("PROCTITLE") "proctitle=\"(null)\"");
	assert_str(ev.ev_proctitle, "(null)");

	fc_event_reset(&ev);
	add(HDR("PROCTITLE") "proctitle=\"bash\"");
	assert_str(ev.ev_proctitle, "bash");

	/* Bare (null): no proctitle. */
	fc_event_reset(&ev);
	add(HDR("PROCTITLE") "proctitle=(null)");
	ck_assert_ptr_null(ev.ev_proctitle.p);
}
END_TEST

/* ---- PATH ------------------------------------------------------------- */

START_TEST(test_path_full)
{
	const struct fc_path *pt;

	add(HDR("PATH") "item=0 name=\"/usr/bin/ls\" inode=1835125 dev=fd:00 "
	    "mode=0100755 ouid=0 ogid=0 rdev=00:00 "
	    "obj=system_u:object_r:bin_t:s0 nametype=NORMAL cap_fp=0 cap_fi=0 "
	    "cap_fe=0 cap_fver=0");
	ck_assert_uint_eq(ev.ev_npaths, 1);
	pt = &ev.ev_paths[0];
	ck_assert_uint_eq(pt->pt_flags, FC_PT_INODE | FC_PT_RDEV | FC_PT_CAPS);
	ck_assert_int_eq(pt->pt_item, 0);
	assert_str(pt->pt_name, "/usr/bin/ls");
	ck_assert_uint_eq(pt->pt_inode, 1835125);
	ck_assert_uint_eq(pt->pt_dev_major, 0xfd);
	ck_assert_uint_eq(pt->pt_dev_minor, 0);
	ck_assert_uint_eq(pt->pt_rdev_major, 0);
	ck_assert_uint_eq(pt->pt_rdev_minor, 0);
	ck_assert_uint_eq(pt->pt_mode, 0100755);
	ck_assert_uint_eq(pt->pt_ouid, 0);
	ck_assert_uint_eq(pt->pt_ogid, 0);
	ck_assert_int_eq(pt->pt_nametype, FC_NT_NORMAL);
	assert_str(pt->pt_nametype_raw, "NORMAL");
	ck_assert_uint_eq(ev.ev_nfields, 1);
	assert_field(0, 0, "obj", "system_u:object_r:bin_t:s0");
}
END_TEST

START_TEST(test_path_caps)
{
	const struct fc_path *pt;

	add(HDR("PATH") "item=0 name=\"/usr/bin/ping\" inode=42 dev=08:01 "
	    "mode=0100755 ouid=1 ogid=2 rdev=88:0a nametype=NORMAL "
	    "cap_fp=3000 cap_fi=ffffffffffffffff cap_fe=1 cap_fver=3 "
	    "cap_frootid=0");
	pt = &ev.ev_paths[0];
	ck_assert_uint_eq(pt->pt_cap_fp, 0x3000);
	ck_assert_uint_eq(pt->pt_cap_fi, UINT64_MAX);
	ck_assert_uint_eq(pt->pt_cap_fe, 1);
	ck_assert_uint_eq(pt->pt_cap_fver, 3);
	ck_assert_uint_eq(pt->pt_ouid, 1);
	ck_assert_uint_eq(pt->pt_ogid, 2);
	ck_assert_uint_eq(pt->pt_dev_major, 8);
	ck_assert_uint_eq(pt->pt_dev_minor, 1);
	ck_assert_uint_eq(pt->pt_rdev_major, 0x88);
	ck_assert_uint_eq(pt->pt_rdev_minor, 0x0a);
	ck_assert_uint_eq(ev.ev_nfields, 1);
	assert_field(0, 0, "cap_frootid", "0");
}
END_TEST

START_TEST(test_path_objtype)
{
	/* RHEL 7 says objtype= where newer kernels say nametype=. */
	add("type=PATH msg=audit(1492037291.036:59): item=1 "
	    "name=\"/lib64/ld-linux-x86-64.so.2\" inode=19161168 dev=08:01 "
	    "mode=0100755 ouid=0 ogid=0 rdev=00:00 "
	    "obj=system_u:object_r:ld_so_t:s0 objtype=PARENT");
	ck_assert_int_eq(ev.ev_paths[0].pt_nametype, FC_NT_PARENT);
	assert_str(ev.ev_paths[0].pt_nametype_raw, "PARENT");
	ck_assert_int_eq(ev.ev_paths[0].pt_item, 1);
	ck_assert_uint_eq(ev.ev_paths[0].pt_inode, 19161168);
}
END_TEST

START_TEST(test_path_nametypes)
{
	static const struct {
		const char *text;
		enum fc_nametype nt;
	} tab[] = {
		{ "NORMAL", FC_NT_NORMAL }, { "PARENT", FC_NT_PARENT },
		{ "CREATE", FC_NT_CREATE }, { "DELETE", FC_NT_DELETE },
		{ "UNKNOWN", FC_NT_UNKNOWN }, { "WEIRD", FC_NT_OTHER },
		{ "normal", FC_NT_OTHER }, { "NORMALX", FC_NT_OTHER },
	};
	char line[128];
	size_t i;

	for (i = 0; i < sizeof(tab) / sizeof(tab[0]); i++) {
		snprintf(line, sizeof(line), HDR("PATH") "item=%zu name=\"/x\" "
		    "nametype=%s", i, tab[i].text);
		add(line);
	}
	ck_assert_uint_eq(ev.ev_npaths, sizeof(tab) / sizeof(tab[0]));
	for (i = 0; i < sizeof(tab) / sizeof(tab[0]); i++) {
		ck_assert_int_eq(ev.ev_paths[i].pt_item, (int)i);
		ck_assert_int_eq(ev.ev_paths[i].pt_nametype, tab[i].nt);
		assert_str(ev.ev_paths[i].pt_nametype_raw, tab[i].text);
	}
	/* No nametype at all. */
	fc_event_reset(&ev);
	add(HDR("PATH") "item=0 name=\"/x\"");
	ck_assert_int_eq(ev.ev_paths[0].pt_nametype, FC_NT_NONE);
	ck_assert_ptr_null(ev.ev_paths[0].pt_nametype_raw.p);
}
END_TEST

START_TEST(test_path_no_inode)
{
	const struct fc_path *pt;

	/* A failed lookup: no inode group. */
	add(HDR("PATH") "item=0 name=\"/nonexistent\" nametype=UNKNOWN "
	    "cap_fp=0 cap_fi=0 cap_fe=0 cap_fver=0");
	pt = &ev.ev_paths[0];
	ck_assert_uint_eq(pt->pt_flags, FC_PT_CAPS);
	ck_assert_uint_eq(pt->pt_inode, 0);
	assert_str(pt->pt_name, "/nonexistent");
	ck_assert_int_eq(pt->pt_nametype, FC_NT_UNKNOWN);
	ck_assert_uint_eq(ev.ev_nfields, 0);
}
END_TEST

START_TEST(test_path_names)
{
	/* Hex name; name=(null); no item. */
	add(HDR("PATH") "item=0 name=2F746D702F6120622F6AC3A9 nametype=CREATE");
	add(HDR("PATH") "item=1 name=(null) inode=5 dev=00:05 mode=0140777 "
	    "ouid=0 ogid=0 rdev=00:00 nametype=NORMAL");
	add(HDR("PATH") "name=\"rel/x\"");
	ck_assert_uint_eq(ev.ev_npaths, 3);
	assert_str(ev.ev_paths[0].pt_name, "/tmp/a b/j\xc3\xa9");
	ck_assert_ptr_null(ev.ev_paths[1].pt_name.p);
	ck_assert_uint_eq(ev.ev_paths[1].pt_mode, 0140777);
	ck_assert_int_eq(ev.ev_paths[2].pt_item, -1);
	assert_str(ev.ev_paths[2].pt_name, "rel/x");
}
END_TEST

START_TEST(test_path_bad_values)
{
	const struct fc_path *pt;

	add(HDR("PATH") "item=x inode=-1 dev=fd mode=999 ouid=0 ogid=0 "
	    "rdev=zz:00 nametype");
	pt = &ev.ev_paths[0];
	ck_assert_int_eq(pt->pt_item, -1);
	ck_assert_uint_eq(ev.ev_nfields, 6);
	assert_field(0, 0, "item", "x");
	assert_field(1, 0, "inode", "-1");
	assert_field(2, 0, "dev", "fd");
	assert_field(3, 0, "mode", "999");
	assert_field(4, 0, "rdev", "zz:00");
	assert_field(5, 0, "nametype", NULL);
}
END_TEST

START_TEST(test_path_many)
{
	char line[128];
	int i;

	/* Past FC_EV_MAX_PATHS a PATH record is kept as generic fields. */
	for (i = 0; i < FC_EV_MAX_PATHS + 2; i++) {
		snprintf(line, sizeof(line), HDR("PATH") "item=%d "
		    "name=\"/p%d\"", i, i);
		add(line);
	}
	ck_assert_uint_eq(ev.ev_npaths, FC_EV_MAX_PATHS);
	assert_str(ev.ev_paths[15].pt_name, "/p15");
	ck_assert_uint_eq(ev.ev_nfields, 4);
	assert_field(0, 16, "item", "16");
	assert_field(1, 16, "name", "/p16");
	assert_field(3, 17, "name", "/p17");
}
END_TEST

/* ---- SOCKADDR --------------------------------------------------------- */

static const struct fc_sockaddr *
sockaddr_of(const char *hex)
{
	char line[512];

	snprintf(line, sizeof(line), HDR("SOCKADDR") "saddr=%s", hex);
	add(line);
	return &ev.ev_sockaddr;
}

START_TEST(test_sockaddr_inet)
{
	const struct fc_sockaddr *sa =
	    sockaddr_of("02002BCB7F0000010000000000000000");

	ck_assert_int_eq(sa->sa_kind, FC_SA_INET);
	ck_assert_uint_eq(sa->sa_family, 2);
	ck_assert_uint_eq(sa->sa_port, 11211);
	ck_assert(memcmp(sa->sa_addr, "\x7f\0\0\x01", 4) == 0);
	assert_bytes(sa->sa_raw, "\x02\0\x2b\xcb\x7f\0\0\x01\0\0\0\0\0\0\0\0",
	    16);
	ck_assert_uint_eq(ev.ev_nfields, 0);
}
END_TEST

START_TEST(test_sockaddr_inet6)
{
	const struct fc_sockaddr *sa = sockaddr_of("0A000050000000AB"
	    "20010DB8000000000000000000000001" "02000000");
	static const uint8_t want[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0,
	    0, 0, 0, 0, 0, 0, 0, 1 };

	ck_assert_int_eq(sa->sa_kind, FC_SA_INET6);
	ck_assert_uint_eq(sa->sa_family, 10);
	ck_assert_uint_eq(sa->sa_port, 80);
	ck_assert_uint_eq(sa->sa_flowinfo, 0xab);
	ck_assert(memcmp(sa->sa_addr, want, 16) == 0);
	ck_assert_uint_eq(sa->sa_scope_id, 2);
	ck_assert_uint_eq(sa->sa_raw.len, 28);
}
END_TEST

START_TEST(test_sockaddr_unix)
{
	/* "/run/x.sock", its NUL, then whatever the kernel copied after it. */
	const struct fc_sockaddr *sa = sockaddr_of("0100"
	    "2F72756E2F782E736F636B" "00" "4142FF");

	ck_assert_int_eq(sa->sa_kind, FC_SA_UNIX);
	ck_assert_uint_eq(sa->sa_family, 1);
	ck_assert(!sa->sa_abstract);
	assert_str(sa->sa_path, "/run/x.sock");
	ck_assert_uint_eq(sa->sa_raw.len, 17);

	/* Unnamed socket: just the family. */
	fc_event_reset(&ev);
	sa = sockaddr_of("0100");
	ck_assert_int_eq(sa->sa_kind, FC_SA_UNIX);
	assert_str(sa->sa_path, "");
}
END_TEST

START_TEST(test_sockaddr_abstract)
{
	/* Leading NUL: abstract; the name runs to the end, NULs and all. */
	const struct fc_sockaddr *sa = sockaddr_of("0100" "00" "616263" "00"
	    "6465");

	ck_assert_int_eq(sa->sa_kind, FC_SA_UNIX);
	ck_assert(sa->sa_abstract);
	assert_bytes(sa->sa_path, "abc\0de", 6);
}
END_TEST

START_TEST(test_sockaddr_netlink)
{
	const struct fc_sockaddr *sa = sockaddr_of("10000000" "39300000"
	    "01000000");

	ck_assert_int_eq(sa->sa_kind, FC_SA_NETLINK);
	ck_assert_uint_eq(sa->sa_family, 16);
	ck_assert_uint_eq(sa->sa_nl_pid, 12345);
	ck_assert_uint_eq(sa->sa_nl_groups, 1);
}
END_TEST

START_TEST(test_sockaddr_packet)
{
	/* sockaddr_ll: protocol in network order, ifindex in host order. */
	const struct fc_sockaddr *sa = sockaddr_of("1100" "0800" "02000000"
	    "0100" "00" "06" "AABBCCDDEEFF0000");

	ck_assert_int_eq(sa->sa_kind, FC_SA_PACKET);
	ck_assert_uint_eq(sa->sa_family, 17);
	ck_assert_uint_eq(sa->sa_pkt_protocol, 0x0800);
	ck_assert_int_eq(sa->sa_pkt_ifindex, 2);
}
END_TEST

START_TEST(test_sockaddr_other)
{
	const struct fc_sockaddr *sa = sockaddr_of("2A00DEADBEEF");

	ck_assert_int_eq(sa->sa_kind, FC_SA_OTHER);
	ck_assert_uint_eq(sa->sa_family, 42);
	assert_bytes(sa->sa_raw, "\x2a\0\xde\xad\xbe\xef", 6);

	/* A known family too short for its struct is "other" as well. */
	fc_event_reset(&ev);
	sa = sockaddr_of("0200");
	ck_assert_int_eq(sa->sa_kind, FC_SA_OTHER);
	ck_assert_uint_eq(sa->sa_family, 2);
	fc_event_reset(&ev);
	sa = sockaddr_of("0A00005000000000");
	ck_assert_int_eq(sa->sa_kind, FC_SA_OTHER);
	ck_assert_uint_eq(sa->sa_family, 10);
}
END_TEST

START_TEST(test_sockaddr_big_endian)
{
	/* ppc64 (arch=80000015, no LE bit): sa_family is big-endian. */
	add(HDR("SYSCALL") "arch=80000015 syscall=328 success=yes exit=0");
	add(HDR("SOCKADDR") "saddr=00020050C0A800010000000000000000");
	ck_assert_int_eq(ev.ev_sockaddr.sa_kind, FC_SA_INET);
	ck_assert_uint_eq(ev.ev_sockaddr.sa_family, 2);
	ck_assert_uint_eq(ev.ev_sockaddr.sa_port, 80);
	ck_assert(memcmp(ev.ev_sockaddr.sa_addr, "\xc0\xa8\0\x01", 4) == 0);

	/* The little-endian bytes read big-endian are family 512. */
	fc_event_reset(&ev);
	add(HDR("SYSCALL") "arch=80000015 syscall=328");
	add(HDR("SOCKADDR") "saddr=02000050C0A800010000000000000000");
	ck_assert_int_eq(ev.ev_sockaddr.sa_kind, FC_SA_OTHER);
	ck_assert_uint_eq(ev.ev_sockaddr.sa_family, 0x200);

	/* And the LE arch reads them as AF_INET. */
	fc_event_reset(&ev);
	add(HDR("SYSCALL") "arch=c000003e syscall=42");
	add(HDR("SOCKADDR") "saddr=02000050C0A800010000000000000000");
	ck_assert_int_eq(ev.ev_sockaddr.sa_kind, FC_SA_INET);
}
END_TEST

START_TEST(test_sockaddr_malformed)
{
	/* Too short, odd, not hex, quoted, missing: generic fields. */
	add(HDR("SOCKADDR") "saddr=02");
	add(HDR("SOCKADDR") "saddr=02000");
	add(HDR("SOCKADDR") "saddr=zz00");
	add(HDR("SOCKADDR") "saddr=\"0200\"");
	add(HDR("SOCKADDR") "saddr");
	ck_assert_int_eq(ev.ev_sockaddr.sa_kind, FC_SA_NONE);
	ck_assert_uint_eq(ev.ev_nfields, 5);
	assert_field(0, 0, "saddr", "\x02");
	assert_field(1, 1, "saddr", "02000");
	assert_field(2, 2, "saddr", "zz00");
	assert_field(3, 3, "saddr", "0200");
	assert_field(4, 4, "saddr", NULL);

	/* The first good one wins; a second one is kept as a field. */
	add(HDR("SOCKADDR") "saddr=0100 "
	    "saddr=02002BCB7F0000010000000000000000");
	ck_assert_int_eq(ev.ev_sockaddr.sa_kind, FC_SA_UNIX);
	ck_assert_uint_eq(ev.ev_nfields, 6);
	assert_field_bytes(5, 5, "saddr",
	    "\x02\0\x2b\xcb\x7f\0\0\x01\0\0\0\0\0\0\0\0", 16);
}
END_TEST

/* ---- OBJ_PID, BPRM_FCAPS, others -------------------------------------- */

START_TEST(test_obj_pid)
{
	const struct fc_obj_pid *op;

	add(HDR("OBJ_PID") "opid=1234 oauid=1000 ouid=0 oses=5 "
	    "obj=unconfined ocomm=\"sleep\"");
	add(HDR("OBJ_PID") "opid=99 oauid=-1 ouid=0 oses=4294967295 "
	    "ocomm=6D7920636F6D6D");
	ck_assert_uint_eq(ev.ev_nobj_pids, 2);
	op = &ev.ev_obj_pids[0];
	ck_assert_int_eq(op->op_pid, 1234);
	ck_assert_uint_eq(op->op_auid, 1000);
	ck_assert_uint_eq(op->op_uid, 0);
	ck_assert_uint_eq(op->op_ses, 5);
	assert_str(op->op_comm, "sleep");
	op = &ev.ev_obj_pids[1];
	ck_assert_int_eq(op->op_pid, 99);
	ck_assert_uint_eq(op->op_auid, UINT32_MAX);
	ck_assert_uint_eq(op->op_ses, UINT32_MAX);
	assert_str(op->op_comm, "my comm");
	ck_assert_uint_eq(ev.ev_nfields, 1);
	assert_field(0, 0, "obj", "unconfined");
}
END_TEST

START_TEST(test_bprm_fcaps)
{
	static const char *const kv[][2] = {
		{ "fver", "2" }, { "fp", "0000000000000400" },
		{ "fi", "0000000000000000" }, { "fe", "1" },
		{ "old_pp", "0000000000000000" },
		{ "old_pi", "0000000000000000" },
		{ "old_pe", "0000000000000000" },
		{ "old_pa", "0000000000000000" },
		{ "pp", "0000000000000400" }, { "pi", "0000000000000000" },
		{ "pe", "0000000000000400" }, { "pa", "0000000000000000" },
		{ "frootid", "0" },
	};
	size_t i;

	add(HDR("SYSCALL") "arch=c000003e syscall=59");
	add(HDR("BPRM_FCAPS") "fver=2 fp=0000000000000400 fi=0000000000000000 "
	    "fe=1 old_pp=0000000000000000 old_pi=0000000000000000 "
	    "old_pe=0000000000000000 old_pa=0000000000000000 "
	    "pp=0000000000000400 pi=0000000000000000 pe=0000000000000400 "
	    "pa=0000000000000000 frootid=0");
	ck_assert_uint_eq(ev.ev_rec_types[1], AUD_T_BPRM_FCAPS);
	/* Not encoded fields: hex-looking values stay as logged. */
	ck_assert_uint_eq(ev.ev_nfields, sizeof(kv) / sizeof(kv[0]));
	for (i = 0; i < sizeof(kv) / sizeof(kv[0]); i++)
		assert_field((uint32_t)i, 1, kv[i][0], kv[i][1]);
}
END_TEST

START_TEST(test_unknown_type)
{
	/* Unknown type: all generic; encoded keys decoded, others as is. */
	add("type=UNKNOWN[1999] msg=audit(1.000:1): comm=6D7920636F6D6D "
	    "exe=\"/bin/x\" path=(null) res=1 data=41 tty new-disk=4142 "
	    "old-auid=1000 "
	    "cmd=616263");
	ck_assert_uint_eq(ev.ev_rec_types[0], 1999);
	ck_assert_uint_eq(ev.ev_nfields, 9);
	assert_field(0, 0, "comm", "my comm");
	assert_field(1, 0, "exe", "/bin/x");
	assert_field(2, 0, "path", NULL);
	assert_field(3, 0, "res", "1");
	assert_field(4, 0, "data", "A");
	assert_field(5, 0, "tty", NULL);
	assert_field(6, 0, "new-disk", "AB");
	/* old-auid is a number, even though it looks like hex. */
	assert_field(7, 0, "old-auid", "1000");
	assert_field(8, 0, "cmd", "abc");
	ck_assert_uint_eq(ev.ev_flags, 0);
}
END_TEST

START_TEST(test_user_msg)
{
	add("type=USER_CMD msg=audit(1700000000.123:900): pid=4242 uid=1000 "
	    "auid=1000 ses=7 subj=unconfined msg='cwd=\"/home/al\" "
	    "cmd=6C73202D6C61202F726F6F74 terminal=pts/0 res=success'");
	ck_assert_uint_eq(ev.ev_rec_types[0], 1123);
	ck_assert_uint_eq(ev.ev_nfields, 9);
	assert_field(0, 0, "pid", "4242");
	assert_field(1, 0, "uid", "1000");
	assert_field(2, 0, "auid", "1000");
	assert_field(3, 0, "ses", "7");
	assert_field(4, 0, "subj", "unconfined");
	assert_field(5, 0, "cwd", "/home/al");
	assert_field(6, 0, "cmd", "ls -la /root");
	assert_field(7, 0, "terminal", "pts/0");
	assert_field(8, 0, "res", "success");
	/* User records do not fill the syscall members. */
	ck_assert_int_eq(ev.ev_pid, -1);
	ck_assert_ptr_null(ev.ev_cwd.p);
}
END_TEST

START_TEST(test_identity)
{
	add("node=box type=CWD msg=audit(12.034:56): cwd=\"/\"");
	add("node=box type=EOE msg=audit(12.034:56): ");
	ck_assert_uint_eq(ev.ev_sec, 12);
	ck_assert_uint_eq(ev.ev_msec, 34);
	ck_assert_uint_eq(ev.ev_serial, 56);
	assert_str(ev.ev_node, "box");
	ck_assert_uint_eq(ev.ev_nrecords, 2);
	ck_assert_uint_eq(ev.ev_rec_types[1], AUD_T_EOE);
	ck_assert_uint_eq(ev.ev_flags, FC_EV_EOE);
}
END_TEST

START_TEST(test_caps_records_fields)
{
	/* FC_EV_MAX_RECORDS records, then FC_EV_MAX_FIELDS fields. */
	const size_t nf = FC_EV_MAX_FIELDS + 10;
	const char *pre = HDR("UNKNOWN[1999]");
	size_t plen = strlen(pre), i;
	char *line = malloc(plen + 2 * nf);
	uint32_t n;

	for (n = 0; n < FC_EV_MAX_RECORDS; n++)
		add(HDR("EOE"));
	ck_assert_uint_eq(ev.ev_flags & FC_EV_TRUNCATED, 0);
	add(HDR("CWD") "cwd=\"/\"");
	ck_assert_uint_eq(ev.ev_nrecords, FC_EV_MAX_RECORDS);
	ck_assert_uint_ne(ev.ev_flags & FC_EV_TRUNCATED, 0);
	ck_assert_ptr_null(ev.ev_cwd.p);

	fc_event_reset(&ev);
	ck_assert_ptr_nonnull(line);
	memcpy(line, pre, plen);
	for (i = 0; i < nf; i++)
		memcpy(line + plen + 2 * i, "x ", 2);
	add_len(line, plen + 2 * nf);
	ck_assert_uint_eq(ev.ev_nfields, FC_EV_MAX_FIELDS);
	ck_assert_uint_ne(ev.ev_flags & FC_EV_TRUNCATED, 0);
	free(line);
}
END_TEST

/* ---- JSON ------------------------------------------------------------- */

START_TEST(test_json_execve)
{
	add(syscall_execve);
	add(HDR("EXECVE") "argc=2 a0=\"ls\" a1=2D6C61");
	add(HDR("CWD") "cwd=\"/root\"");
	add(HDR("PATH") "item=0 name=\"/usr/bin/ls\" inode=1835125 dev=fd:00 "
	    "mode=0100755 ouid=0 ogid=0 rdev=00:00 nametype=NORMAL cap_fp=0 "
	    "cap_fi=0 cap_fe=0 cap_fver=0");
	add(HDR("PROCTITLE") "proctitle=6C73002D6C61");
	add(HDR("EOE"));
	aud_event_finish(&ev);
	assert_json("{\"time\":\"2021-03-07T10:50:32.375Z\",\"serial\":15558,"
	    "\"record_types\":[\"SYSCALL\",\"EXECVE\",\"CWD\",\"PATH\","
	    "\"PROCTITLE\",\"EOE\"],\"syscall\":\"execve\",\"syscall_nr\":59,"
	    "\"arch\":\"x86_64\",\"success\":true,\"exit\":0,"
	    "\"a0\":\"0x55d1c6e3a2b0\",\"a1\":\"0x55d1c6e3a3c8\","
	    "\"a2\":\"0x55d1c6e39e60\",\"a3\":\"0x8\",\"items\":2,"
	    "\"pid\":1099,\"ppid\":1023,\"auid\":1000,\"uid\":1001,"
	    "\"gid\":1002,\"euid\":1003,\"suid\":1004,\"fsuid\":1005,"
	    "\"egid\":1006,\"sgid\":1007,\"fsgid\":1008,\"ses\":3,"
	    "\"tty\":\"pts0\",\"comm\":\"ls\",\"exe\":\"/usr/bin/ls\","
	    "\"subj\":\"unconfined\",\"key\":[\"exec\"],\"cwd\":\"/root\","
	    "\"argc\":2,\"argv\":[\"ls\",\"-la\"],\"proctitle\":\"ls -la\","
	    "\"paths\":[{\"item\":0,\"name\":\"/usr/bin/ls\","
	    "\"nametype\":\"NORMAL\",\"inode\":1835125,\"dev\":\"fd:00\","
	    "\"mode\":\"0100755\",\"ouid\":0,\"ogid\":0,\"rdev\":\"00:00\"}]}");
}
END_TEST

START_TEST(test_json_connect)
{
	add("node=h1 type=SYSCALL msg=audit(1492037289.295:58): arch=c000003e "
	    "syscall=42 success=no exit=-115 a0=6 a1=7ffed2893080 a2=10 a3=fe "
	    "items=0 ppid=1 pid=1172 auid=4294967295 uid=0 gid=0 euid=0 "
	    "suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=(none) ses=4294967295 "
	    "comm=\"google_accounts\" exe=2F7573722F62696E2F707974686F6E322E37"
	    "3B3538643163636662202864656C6574656429 "
	    "subj=system_u:system_r:unconfined_service_t:s0 key=(null)");
	add("node=h1 type=SOCKADDR msg=audit(1492037289.295:58): "
	    "saddr=02000050A9FEA9FE0000000000000000");
	aud_event_finish(&ev);
	assert_json("{\"time\":\"2017-04-12T22:48:09.295Z\",\"node\":\"h1\","
	    "\"serial\":58,\"record_types\":[\"SYSCALL\",\"SOCKADDR\"],"
	    "\"syscall\":\"connect\",\"syscall_nr\":42,\"arch\":\"x86_64\","
	    "\"success\":false,\"exit\":-115,\"errno\":\"EINPROGRESS\","
	    "\"a0\":\"0x6\",\"a1\":\"0x7ffed2893080\",\"a2\":\"0x10\","
	    "\"a3\":\"0xfe\",\"items\":0,\"pid\":1172,\"ppid\":1,"
	    "\"auid\":4294967295,\"uid\":0,\"gid\":0,\"euid\":0,\"suid\":0,"
	    "\"fsuid\":0,\"egid\":0,\"sgid\":0,\"fsgid\":0,\"ses\":4294967295,"
	    "\"tty\":\"(none)\",\"comm\":\"google_accounts\","
	    "\"exe\":\"/usr/bin/python2.7;58d1ccfb (deleted)\","
	    "\"subj\":\"system_u:system_r:unconfined_service_t:s0\","
	    "\"key\":[],\"sockaddr\":{\"family\":\"inet\","
	    "\"addr\":\"169.254.169.254\",\"port\":80}}");
}
END_TEST

START_TEST(test_json_user_login)
{
	add("type=USER_LOGIN msg=audit(1700000000.123:900): pid=4242 uid=0 "
	    "auid=4294967295 ses=4294967295 subj=system_u:system_r:sshd_t:s0 "
	    "msg='op=login acct=726F6F74 exe=\"/usr/sbin/sshd\" hostname=? "
	    "addr=10.0.0.5 terminal=ssh res=failed'");
	aud_event_finish(&ev);
	assert_json("{\"time\":\"2023-11-14T22:13:20.123Z\",\"serial\":900,"
	    "\"record_types\":[\"USER_LOGIN\"],\"fields\":[{\"type\":"
	    "\"USER_LOGIN\",\"values\":{\"pid\":\"4242\",\"uid\":\"0\","
	    "\"auid\":\"4294967295\",\"ses\":\"4294967295\","
	    "\"subj\":\"system_u:system_r:sshd_t:s0\",\"op\":\"login\","
	    "\"acct\":\"root\",\"exe\":\"/usr/sbin/sshd\",\"hostname\":\"?\","
	    "\"addr\":\"10.0.0.5\",\"terminal\":\"ssh\","
	    "\"res\":\"failed\"}}]}");
}
END_TEST

START_TEST(test_json_mixed)
{
	/* argv gap, abstract socket, OBJ_PID, generic fields of 3 records. */
	add("type=SYSCALL msg=audit(1.000:1): arch=c000003e syscall=62 "
	    "success=yes exit=0 a0=64 a1=9 items=0 pid=3 foo=bar foo=baz tty");
	add("type=EXECVE msg=audit(1.000:1): argc=3 a0=\"kill\" a2=\"100\"");
	add("type=SOCKADDR msg=audit(1.000:1): saddr=0100006162630064650A");
	add("type=OBJ_PID msg=audit(1.000:1): opid=100 oauid=-1 ouid=0 "
	    "oses=-1 obj=unconfined ocomm=\"sleep\"");
	add("type=UNKNOWN[1999] msg=audit(1.000:1): x=\"a\\b\" y=(null)");
	aud_event_finish(&ev);
	ck_assert_uint_ne(ev.ev_flags & FC_EV_ARGV_GAP, 0);
	assert_json("{\"time\":\"1970-01-01T00:00:01.000Z\",\"serial\":1,"
	    "\"record_types\":[\"SYSCALL\",\"EXECVE\",\"SOCKADDR\",\"OBJ_PID\","
	    "\"UNKNOWN[1999]\"],\"syscall\":\"kill\",\"syscall_nr\":62,"
	    "\"arch\":\"x86_64\",\"success\":true,\"exit\":0,\"a0\":\"0x64\","
	    "\"a1\":\"0x9\",\"a2\":\"0x0\",\"a3\":\"0x0\",\"items\":0,"
	    "\"pid\":3,\"key\":[],\"argc\":3,\"argv\":[\"kill\",\"\",\"100\"],"
	    "\"sockaddr\":{\"family\":\"unix\",\"path\":\"@abc\\u0000de\\n\"},"
	    "\"obj_pids\":[{\"opid\":100,\"oauid\":4294967295,\"ouid\":0,"
	    "\"oses\":4294967295,\"ocomm\":\"sleep\"}],"
	    "\"fields\":[{\"type\":\"SYSCALL\",\"values\":{\"foo\":\"bar\","
	    "\"tty\":null}},{\"type\":\"OBJ_PID\",\"values\":"
	    "{\"obj\":\"unconfined\"}},{\"type\":\"UNKNOWN[1999]\",\"values\":"
	    "{\"x\":\"a\\\\b\",\"y\":\"(null)\"}}]}");
}
END_TEST

/* A repeated SYSCALL key keeps its first value; the repeat is kept generic. */
START_TEST(test_syscall_repeated_keys)
{
	add(HDR("SYSCALL") "arch=c000003e syscall=59 pid=10 pid=20 comm=\"a\" "
	    "comm=\"b\" a0=1 a0=2 success=yes success=no key=(null)");
	aud_event_finish(&ev);
	ck_assert_int_eq(ev.ev_pid, 10);
	assert_str(ev.ev_comm, "a");
	ck_assert_uint_eq(ev.ev_a[0], 1);
	ck_assert(ev.ev_flags & FC_EV_SUCCESS);
	ck_assert_uint_eq(ev.ev_nfields, 4);
	assert_field(0, 0, "pid", "20");
	assert_field(1, 0, "comm", "b");
	assert_field(2, 0, "a0", "2");
	assert_field(3, 0, "success", "no");
}
END_TEST

/* PATH name=(null) is an absent name, not a generic field. */
START_TEST(test_path_null_name)
{
	add(HDR("PATH") "item=0 name=(null) inode=5 dev=fd:00 mode=0100644 "
	    "ouid=0 ogid=0 rdev=00:00 nametype=NORMAL");
	aud_event_finish(&ev);
	ck_assert_uint_eq(ev.ev_npaths, 1);
	ck_assert_ptr_null(ev.ev_paths[0].pt_name.p);
	ck_assert_uint_eq(ev.ev_paths[0].pt_inode, 5);
	ck_assert_uint_eq(ev.ev_nfields, 0);
}
END_TEST

Suite *
suite_for_main(void)
{
	Suite *s = suite_create("audit event builder");
	TCase *sc = tcase_create("syscall");
	TCase *ex = tcase_create("execve");
	TCase *ot = tcase_create("records");
	TCase *js = tcase_create("json");

	tcase_add_checked_fixture(sc, setup, teardown);
	tcase_add_test(sc, test_syscall_fields);
	tcase_add_test(sc, test_syscall_repeated_keys);
	tcase_add_test(sc, test_path_null_name);
	tcase_add_test(sc, test_syscall_failed);
	tcase_add_test(sc, test_syscall_exit_group);
	tcase_add_test(sc, test_syscall_arches);
	tcase_add_test(sc, test_syscall_unset_ids);
	tcase_add_test(sc, test_syscall_keys);
	tcase_add_test(sc, test_syscall_duplicate_key);
	tcase_add_test(sc, test_syscall_twice);
	suite_add_tcase(s, sc);

	tcase_add_checked_fixture(ex, setup, teardown);
	tcase_set_timeout(ex, 30);
	tcase_add_test(ex, test_execve_args);
	tcase_add_test(ex, test_execve_hex_args);
	tcase_add_test(ex, test_execve_chunks);
	tcase_add_test(ex, test_execve_chunks_quoted);
	tcase_add_test(ex, test_execve_chunk_len_overflow);
	tcase_add_test(ex, test_execve_gap);
	tcase_add_test(ex, test_execve_odd);
	tcase_add_test(ex, test_execve_huge_index);
	tcase_add_test(ex, test_execve_big_arg);
	tcase_add_test(ex, test_execve_big_chunked);
	suite_add_tcase(s, ex);

	tcase_add_checked_fixture(ot, setup, teardown);
	tcase_set_timeout(ot, 30);
	tcase_add_test(ot, test_cwd);
	tcase_add_test(ot, test_proctitle);
	tcase_add_test(ot, test_path_full);
	tcase_add_test(ot, test_path_caps);
	tcase_add_test(ot, test_path_objtype);
	tcase_add_test(ot, test_path_nametypes);
	tcase_add_test(ot, test_path_no_inode);
	tcase_add_test(ot, test_path_names);
	tcase_add_test(ot, test_path_bad_values);
	tcase_add_test(ot, test_path_many);
	tcase_add_test(ot, test_sockaddr_inet);
	tcase_add_test(ot, test_sockaddr_inet6);
	tcase_add_test(ot, test_sockaddr_unix);
	tcase_add_test(ot, test_sockaddr_abstract);
	tcase_add_test(ot, test_sockaddr_netlink);
	tcase_add_test(ot, test_sockaddr_packet);
	tcase_add_test(ot, test_sockaddr_other);
	tcase_add_test(ot, test_sockaddr_big_endian);
	tcase_add_test(ot, test_sockaddr_malformed);
	tcase_add_test(ot, test_obj_pid);
	tcase_add_test(ot, test_bprm_fcaps);
	tcase_add_test(ot, test_unknown_type);
	tcase_add_test(ot, test_user_msg);
	tcase_add_test(ot, test_identity);
	tcase_add_test(ot, test_caps_records_fields);
	suite_add_tcase(s, ot);

	tcase_add_checked_fixture(js, setup, teardown);
	tcase_add_test(js, test_json_execve);
	tcase_add_test(js, test_json_connect);
	tcase_add_test(js, test_json_user_login);
	tcase_add_test(js, test_json_mixed);
	suite_add_tcase(s, js);
	return s;
}
