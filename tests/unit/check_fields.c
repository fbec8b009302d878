/*
 * check_fields.c - the field registry, resolution, compile-time values,
 * extraction over events built by the audit parser, and rendering.
 */
#include "config.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audit/audit.h"
#include "core/buf.h"
#include "rules/fields.h"
#include "rules/fields_int.h"
#include "check_main.h"

/* ---- Event fixtures (audit.log text) ------------------------------------ */

#define HDR(t, s)	"type=" t " msg=audit(" s "): "

static const char E_EXEC[] =
    HDR("SYSCALL", "1700000000.123:100") "arch=c000003e syscall=59 "
    "success=yes exit=0 a0=55d0c a1=55d0d a2=55d0e a3=0 items=2 ppid=1000 "
    "pid=1234 auid=1000 uid=1000 gid=1000 euid=0 suid=0 fsuid=0 egid=0 "
    "sgid=0 fsgid=0 tty=pts0 ses=3 comm=\"sudo\" exe=\"/usr/bin/sudo\" "
    "key=(null)\n"
    HDR("EXECVE", "1700000000.123:100") "argc=3 a0=\"sudo\" a1=\"cat\" "
    "a2=\"/etc/shadow\"\n"
    HDR("CWD", "1700000000.123:100") "cwd=\"/home/alice\"\n"
    HDR("PATH", "1700000000.123:100") "item=0 name=\"/usr/bin/sudo\" "
    "inode=1234567 dev=08:01 mode=0104755 ouid=0 ogid=0 rdev=00:00 "
    "nametype=NORMAL cap_fp=0 cap_fi=0 cap_fe=0 cap_fver=0\n"
    HDR("PATH", "1700000000.123:100") "item=1 "
    "name=\"/lib64/ld-linux-x86-64.so.2\" inode=777 dev=08:01 "
    "mode=0100755 ouid=0 ogid=0 rdev=00:00 nametype=NORMAL cap_fp=0 "
    "cap_fi=0 cap_fe=0 cap_fver=0\n"
    HDR("PROCTITLE", "1700000000.123:100")
    "proctitle=7375646F00636174002F6574632F736861646F77\n"
    HDR("EOE", "1700000000.123:100") "\n";

/* openat(AT_FDCWD, "shadow", O_RDONLY|O_CLOEXEC) in /etc. */
static const char E_OPENAT[] =
    HDR("SYSCALL", "1700000001.456:101") "arch=c000003e syscall=257 "
    "success=yes exit=3 a0=ffffff9c a1=7ffd1234 a2=80000 a3=0 items=1 "
    "ppid=1234 pid=1240 auid=1000 uid=0 gid=0 euid=0 suid=0 fsuid=0 "
    "egid=42 sgid=0 fsgid=0 tty=pts0 ses=3 comm=\"cat\" "
    "exe=\"/usr/bin/cat\" key=\"shadow\"\n"
    HDR("CWD", "1700000001.456:101") "cwd=\"/etc\"\n"
    HDR("PATH", "1700000001.456:101") "item=0 name=\"shadow\" inode=262402 "
    "dev=08:01 mode=0100640 ouid=0 ogid=42 rdev=00:00 nametype=NORMAL "
    "cap_fp=0 cap_fi=0 cap_fe=0 cap_fver=0\n"
    HDR("PROCTITLE", "1700000001.456:101") "proctitle=63617400736861646F77\n";

/* open("out.txt", O_WRONLY|O_CREAT|O_TRUNC, 0644) of an existing file. */
static const char E_OPEN_WR[] =
    HDR("SYSCALL", "1700000001.500:110") "arch=c000003e syscall=2 "
    "success=yes exit=4 a0=7ffd a1=241 a2=1a4 a3=0 items=2 ppid=1 pid=77 "
    "auid=1000 uid=1000 gid=1000 euid=1000 suid=1000 fsuid=1000 egid=1000 "
    "sgid=1000 fsgid=1000 tty=pts1 ses=2 comm=\"sh\" exe=\"/bin/sh\" "
    "key=(null)\n"
    HDR("CWD", "1700000001.500:110") "cwd=\"/tmp\"\n"
    HDR("PATH", "1700000001.500:110") "item=0 name=\"/tmp/\" inode=2 "
    "dev=00:20 mode=041777 ouid=0 ogid=0 rdev=00:00 nametype=PARENT "
    "cap_fp=0 cap_fi=0 cap_fe=0 cap_fver=0\n"
    HDR("PATH", "1700000001.500:110") "item=1 name=\"out.txt\" inode=99 "
    "dev=00:20 mode=0100644 ouid=1000 ogid=1000 rdev=00:00 nametype=NORMAL "
    "cap_fp=0 cap_fi=0 cap_fe=0 cap_fver=0\n";

/* openat(AT_FDCWD, "/tmp/../tmp//x.sh", O_WRONLY|O_CREAT|O_EXCL|O_CLOEXEC, 0755), created. */
static const char E_CREATE[] =
    HDR("SYSCALL", "1700000001.600:111") "arch=c000003e syscall=257 "
    "success=yes exit=5 a0=ffffff9c a1=7ffd a2=800c1 a3=1ed items=2 ppid=1 "
    "pid=78 auid=1000 uid=1000 gid=1000 euid=1000 suid=1000 fsuid=1000 "
    "egid=1000 sgid=1000 fsgid=1000 tty=(none) ses=2 comm=\"sh\" "
    "exe=\"/bin/sh\" key=(null)\n"
    HDR("CWD", "1700000001.600:111") "cwd=\"/\"\n"
    HDR("PATH", "1700000001.600:111") "item=0 name=\"/tmp/\" inode=2 "
    "dev=00:20 mode=041777 ouid=0 ogid=0 rdev=00:00 nametype=PARENT "
    "cap_fp=0 cap_fi=0 cap_fe=0 cap_fver=0\n"
    HDR("PATH", "1700000001.600:111") "item=1 name=\"/tmp/../tmp//x.sh\" "
    "inode=100 dev=00:20 mode=0100755 ouid=1000 ogid=1000 rdev=00:00 "
    "nametype=CREATE cap_fp=0 cap_fi=0 cap_fe=0 cap_fver=0\n";

/* open("/nonexistent/file", O_RDONLY) = -ENOENT. */
static const char E_FAILOPEN[] =
    HDR("SYSCALL", "1700000003.000:103") "arch=c000003e syscall=2 "
    "success=no exit=-2 a0=7ffd a1=0 a2=0 a3=0 items=1 ppid=1 pid=3000 "
    "auid=1000 uid=1000 gid=1000 euid=1000 suid=1000 fsuid=1000 egid=1000 "
    "sgid=1000 fsgid=1000 tty=pts1 ses=2 comm=\"ls\" exe=\"/usr/bin/ls\" "
    "key=(null)\n"
    HDR("CWD", "1700000003.000:103") "cwd=\"/home/alice\"\n"
    HDR("PATH", "1700000003.000:103") "item=0 name=\"/nonexistent/file\" "
    "nametype=UNKNOWN cap_fp=0 cap_fi=0 cap_fe=0 cap_fver=0\n";

/* connect(5, 10.0.0.1:443). */
static const char E_CONNECT4[] =
    HDR("SYSCALL", "1700000002.789:102") "arch=c000003e syscall=42 "
    "success=yes exit=0 a0=5 a1=7ffc a2=10 a3=0 items=0 ppid=1 pid=2000 "
    "auid=4294967295 uid=33 gid=33 euid=33 suid=33 fsuid=33 egid=33 "
    "sgid=33 fsgid=33 tty=(none) ses=4294967295 comm=\"curl\" "
    "exe=\"/usr/bin/curl\" key=(null)\n"
    HDR("SOCKADDR", "1700000002.789:102")
    "saddr=020001BB0A0000010000000000000000\n"
    HDR("PROCTITLE", "1700000002.789:102")
    "proctitle=6375726C0068747470733A2F2F31302E302E302E31\n";

/* connect(7, [2001:db8::1]:8080) = -EINPROGRESS. */
static const char E_CONNECT6[] =
    HDR("SYSCALL", "1700000002.800:104") "arch=c000003e syscall=42 "
    "success=no exit=-115 a0=7 a1=7ffc a2=1c a3=0 items=0 ppid=1 pid=2001 "
    "auid=1000 uid=1000 gid=1000 euid=1000 suid=1000 fsuid=1000 egid=1000 "
    "sgid=1000 fsgid=1000 tty=(none) ses=2 comm=\"curl\" "
    "exe=\"/usr/bin/curl\" key=(null)\n"
    HDR("SOCKADDR", "1700000002.800:104") "saddr=0A001F900000000020010DB8"
    "00000000000000000000000100000000\n";

/* accept4(3) = 6, peer 10.0.0.9:5000. */
static const char E_ACCEPT[] =
    HDR("SYSCALL", "1700000004.000:105") "arch=c000003e syscall=288 "
    "success=yes exit=6 a0=3 a1=7ffc a2=7ffb a3=80000 items=0 ppid=1 "
    "pid=500 auid=4294967295 uid=0 gid=0 euid=0 suid=0 fsuid=0 egid=0 "
    "sgid=0 fsgid=0 tty=(none) ses=4294967295 comm=\"nginx\" "
    "exe=\"/usr/sbin/nginx\" key=(null)\n"
    HDR("SOCKADDR", "1700000004.000:105")
    "saddr=020013880A0000090000000000000000\n";

/* bind(3, 0.0.0.0:8080). */
static const char E_BIND[] =
    HDR("SYSCALL", "1700000004.100:106") "arch=c000003e syscall=49 "
    "success=yes exit=0 a0=3 a1=7ffc a2=10 a3=0 items=0 ppid=1 pid=500 "
    "auid=4294967295 uid=0 gid=0 euid=0 suid=0 fsuid=0 egid=0 sgid=0 "
    "fsgid=0 tty=(none) ses=4294967295 comm=\"nginx\" "
    "exe=\"/usr/sbin/nginx\" key=(null)\n"
    HDR("SOCKADDR", "1700000004.100:106")
    "saddr=02001F90000000000000000000000000\n";

/* setuid(0). */
static const char E_SETUID[] =
    HDR("SYSCALL", "1700000005.000:107") "arch=c000003e syscall=105 "
    "success=yes exit=0 a0=0 a1=0 a2=0 a3=0 items=0 ppid=1 pid=600 "
    "auid=1000 uid=0 gid=1000 euid=0 suid=0 fsuid=0 egid=1000 sgid=1000 "
    "fsgid=1000 tty=pts2 ses=2 comm=\"exploit\" exe=\"/tmp/exploit\" "
    "key=(null)\n";

/* ptrace(PTRACE_ATTACH, 4321). */
static const char E_PTRACE[] =
    HDR("SYSCALL", "1700000005.005:108") "arch=c000003e syscall=101 "
    "success=yes exit=0 a0=10 a1=10e1 a2=0 a3=0 items=0 ppid=1 pid=601 "
    "auid=1000 uid=1000 gid=1000 euid=1000 suid=1000 fsuid=1000 egid=1000 "
    "sgid=1000 fsgid=1000 tty=pts2 ses=2 comm=\"gdb\" exe=\"/usr/bin/gdb\" "
    "key=(null)\n"
    HDR("OBJ_PID", "1700000005.005:108") "opid=4321 oauid=1000 ouid=1000 "
    "oses=2 ocomm=\"victim\"\n";

/* socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL)) = 4. */
static const char E_SOCKET[] =
    HDR("SYSCALL", "1700000006.000:109") "arch=c000003e syscall=41 "
    "success=yes exit=4 a0=11 a1=3 a2=300 a3=0 items=0 ppid=1 pid=700 "
    "auid=4294967295 uid=0 gid=0 euid=0 suid=0 fsuid=0 egid=0 sgid=0 "
    "fsgid=0 tty=(none) ses=4294967295 comm=\"tcpdump\" "
    "exe=\"/usr/bin/tcpdump\" key=(null)\n";

/* socket(AF_INET, SOCK_STREAM|SOCK_CLOEXEC, 0) = 3. */
static const char E_SOCKET_TCP[] =
    HDR("SYSCALL", "1700000006.100:112") "arch=c000003e syscall=41 "
    "success=yes exit=3 a0=2 a1=80001 a2=0 a3=0 items=0 ppid=1 pid=700 "
    "auid=4294967295 uid=0 gid=0 euid=0 suid=0 fsuid=0 egid=0 sgid=0 "
    "fsgid=0 tty=(none) ses=4294967295 comm=\"nc\" exe=\"/usr/bin/nc\" "
    "key=(null)\n";

/* symlinkat("/etc/passwd", AT_FDCWD, "ln") in /tmp. */
static const char E_SYMLINK[] =
    HDR("SYSCALL", "1700000007.000:113") "arch=c000003e syscall=266 "
    "success=yes exit=0 a0=7ffd a1=ffffff9c a2=7ffe a3=0 items=3 ppid=1 "
    "pid=800 auid=1000 uid=1000 gid=1000 euid=1000 suid=1000 fsuid=1000 "
    "egid=1000 sgid=1000 fsgid=1000 tty=pts0 ses=2 comm=\"ln\" "
    "exe=\"/usr/bin/ln\" key=(null)\n"
    HDR("CWD", "1700000007.000:113") "cwd=\"/tmp\"\n"
    HDR("PATH", "1700000007.000:113") "item=0 name=\"/etc/passwd\" "
    "nametype=UNKNOWN cap_fp=0 cap_fi=0 cap_fe=0 cap_fver=0\n"
    HDR("PATH", "1700000007.000:113") "item=1 name=\"/tmp\" inode=2 "
    "dev=00:20 mode=041777 ouid=0 ogid=0 rdev=00:00 nametype=PARENT "
    "cap_fp=0 cap_fi=0 cap_fe=0 cap_fver=0\n"
    HDR("PATH", "1700000007.000:113") "item=2 name=\"ln\" inode=5 "
    "dev=00:20 mode=0120777 ouid=1000 ogid=1000 rdev=00:00 "
    "nametype=CREATE cap_fp=0 cap_fi=0 cap_fe=0 cap_fver=0\n";

/* ---- Harness ----------------------------------------------------------- */

static struct fc_event ev;
static struct fc_arena scratch;
static struct fld_ctx ctx;
static struct fld_users *users;
static char text[8192];

static void
load(const char *lines)
{
	const char *p = lines, *nl;
	struct aud_record rec;

	fc_event_reset(&ev);
	fc_arena_reset(&scratch);
	while (*p != '\0') {
		nl = strchr(p, '\n');
		ck_assert_ptr_nonnull(nl);
		ck_assert_int_eq(aud_rec_parse_line(p, (size_t)(nl - p), &rec),
		    AUD_REC_OK);
		aud_event_add_record(&ev, &rec);
		p = nl + 1;
	}
	aud_event_finish(&ev);
	ev.ev_num = 7;
	memset(&ctx, 0, sizeof(ctx));
	ctx.ev = &ev;
	ctx.arena = &scratch;
	ctx.hostname = "testhost";
	ctx.users = users;
}

static void
setup(void)
{
	setenv("TZ", "UTC", 1);
	tzset();
	fc_event_init(&ev);
	fc_arena_init(&scratch, 1u << 20);
	users = fld_users_new(TOP_SRCDIR "/tests/fixtures/rules/passwd",
	    TOP_SRCDIR "/tests/fixtures/rules/group");
	ck_assert_ptr_nonnull(users);
}

static void
teardown(void)
{
	fc_event_fini(&ev);
	fc_arena_fini(&scratch);
	fld_users_free(users);
}

/* The text of a field ("<NA>" when it has no value), as an output would show it. */
static const char *
T(const char *field)
{
	struct fld_ref ref;
	struct fld_error err;
	struct fld_value v;
	struct fc_buf b;
	int n;

	n = fld_scan(field, strlen(field), &ref, &err);
	ck_assert_msg(n == (int)strlen(field), "%s: %d %s", field, n, err.msg);
	if (!fld_extract(&ctx, &ref, &v))
		return "<NA>";
	fc_buf_init(&b, sizeof(text) - 1);
	fld_render_text(&ref, &v, &b);
	memcpy(text, b.p != NULL ? b.p : "", b.len);
	text[b.len] = '\0';
	fc_buf_fini(&b);
	return text;
}

/* The JSON of a field ("null" when it has no value). */
static const char *
J(const char *field)
{
	struct fld_ref ref;
	struct fld_error err;
	struct fld_value v;
	struct fc_buf b;

	ck_assert_int_eq(fld_scan(field, strlen(field), &ref, &err),
	    (int)strlen(field));
	if (!fld_extract(&ctx, &ref, &v))
		return "null";
	fc_buf_init(&b, sizeof(text) - 1);
	fld_render_json(&ref, &v, &b);
	memcpy(text, b.p, b.len);
	text[b.len] = '\0';
	fc_buf_fini(&b);
	return text;
}

#define EQ(field, want)	ck_assert_str_eq(T(field), want)

/* ---- Registry ---------------------------------------------------------- */

static size_t
count_prefix(const char *prefix, uint32_t without)
{
	const struct fld_def *reg;
	size_t n, i, c = 0;

	reg = fld_registry(&n);
	for (i = 0; i < n; i++)
		if (strncmp(reg[i].name, prefix, strlen(prefix)) == 0 &&
		    !(reg[i].flags & without))
			c++;
	return c;
}

START_TEST(test_registry_counts)
{
	size_t n;

	fld_registry(&n);
	ck_assert_uint_eq(n, 275);
	ck_assert_uint_eq(count_prefix("evt.", 0), 59);
	ck_assert_uint_eq(count_prefix("syscall.", 0), 1);
	ck_assert_uint_eq(count_prefix("fd.", 0), 46);
	ck_assert_uint_eq(count_prefix("fdlist.", 0), 6);
	ck_assert_uint_eq(count_prefix("fs.", 0), 6);
	ck_assert_uint_eq(count_prefix("group.", 0), 2);
	ck_assert_uint_eq(count_prefix("proc.", FLD_F_PLUGIN), 70);
	ck_assert_uint_eq(count_prefix("proc.", 0), 73);
	ck_assert_uint_eq(count_prefix("thread.", 0), 17);
	ck_assert_uint_eq(count_prefix("user.", 0), 6);
	ck_assert_uint_eq(count_prefix("util.", 0), 1);
	ck_assert_uint_eq(count_prefix("container.", 0), 29);
	ck_assert_uint_eq(count_prefix("k8s.", 0), 29);
}
END_TEST

START_TEST(test_registry_sane)
{
	const struct fld_def *reg;
	const struct fld_sc *sc;
	size_t n, i, j;

	reg = fld_registry(&n);
	for (i = 0; i < n; i++) {
		ck_assert_msg(reg[i].desc != NULL && reg[i].desc[0] != '\0',
		    "%s", reg[i].name);
		ck_assert_msg(reg[i].type > FLD_T_NONE && reg[i].type < FLD_T_MAX,
		    "%s", reg[i].name);
		/* no value without LATER/UNSUPPORTED, and UNSUPPORTED never has one */
		if (reg[i].extract == NULL)
			ck_assert_msg(reg[i].flags & (FLD_F_LATER |
			    FLD_F_UNSUPPORTED), "%s", reg[i].name);
		if (reg[i].flags & FLD_F_UNSUPPORTED)
			ck_assert_ptr_null(reg[i].extract);
		for (j = i + 1; j < n; j++)
			ck_assert_str_ne(reg[i].name, reg[j].name);
	}
	sc = fld_sc_table(&n);
	for (i = 1; i < n; i++)
		ck_assert_msg(strcmp(sc[i - 1].name, sc[i].name) < 0, "%s",
		    sc[i].name);
}
END_TEST

START_TEST(test_type_names)
{
	ck_assert_str_eq(fld_type_name(FLD_T_CHARBUF), "CHARBUF");
	ck_assert_str_eq(fld_type_name(FLD_T_FSRELPATH), "FSRELPATH");
	ck_assert_str_eq(fld_type_name(FLD_T_UINT64), "UINT64");
	ck_assert_str_eq(fld_type_name(FLD_T_IPNET), "IPNET");
	ck_assert_str_eq(fld_type_name(FLD_T_DYN), "DYN");
	ck_assert_str_eq(fld_type_name(FLD_T_MAX), "NONE");
	ck_assert_int_eq(fld_type_class(FLD_T_FSPATH), FLD_C_STRING);
	ck_assert_int_eq(fld_type_class(FLD_T_BYTEBUF), FLD_C_BUFFER);
	ck_assert_int_eq(fld_type_class(FLD_T_ERRNO), FLD_C_SIGNED);
	ck_assert_int_eq(fld_type_class(FLD_T_PID), FLD_C_SIGNED);
	ck_assert_int_eq(fld_type_class(FLD_T_PORT), FLD_C_UNSIGNED);
	ck_assert_int_eq(fld_type_class(FLD_T_ABSTIME), FLD_C_UNSIGNED);
	ck_assert_int_eq(fld_type_class(FLD_T_BOOL), FLD_C_BOOL);
	ck_assert_int_eq(fld_type_class(FLD_T_IPADDR), FLD_C_IPADDR);
	ck_assert_int_eq(fld_type_class(FLD_T_IPNET), FLD_C_IPNET);
	ck_assert_int_eq(fld_type_class(FLD_T_DOUBLE), FLD_C_DOUBLE);
}
END_TEST

START_TEST(test_list)
{
	char *buf = NULL;
	size_t len = 0, n, lines = 0;
	FILE *fp = open_memstream(&buf, &len);
	const char *p;

	ck_assert_ptr_nonnull(fp);
	n = fld_list(fp);
	fclose(fp);
	fld_registry(&len);
	ck_assert_uint_eq(n, len);
	for (p = buf; (p = strchr(p, '\n')) != NULL; p++)
		lines++;
	ck_assert_uint_eq(lines, n);
	ck_assert_ptr_nonnull(strstr(buf, "evt.buffer"));
	p = strstr(buf, "\nevt.buffer ");
	ck_assert_ptr_nonnull(p);
	ck_assert_ptr_nonnull(strstr(p, "BYTEBUF    [UNSUPPORTED] "));
	p = strstr(buf, "\ncontainer.id ");
	ck_assert_ptr_nonnull(p);
	ck_assert_int_eq(strncmp(strstr(p, "CHARBUF"), "CHARBUF    [LATER] ", 19), 0);
	p = strstr(buf, "\nevt.dir ");
	ck_assert_ptr_nonnull(strstr(p, "[DEPRECATED]"));
	free(buf);
}
END_TEST

/* ---- Resolution -------------------------------------------------------- */

static int
R(const char *name, const char *arg, struct fld_ref *ref, struct fld_error *err)
{
	return fld_resolve(name, strlen(name), arg, arg != NULL ? strlen(arg) : 0,
	    ref, err);
}

START_TEST(test_resolve_plain)
{
	struct fld_ref ref;
	struct fld_error err;

	ck_assert_int_eq(R("proc.name", NULL, &ref, &err), 0);
	ck_assert_str_eq(ref.def->name, "proc.name");
	ck_assert_int_eq(ref.type, FLD_T_CHARBUF);
	ck_assert(!ref.has_arg);
	ck_assert_int_eq(ref.index, -1);
	ck_assert_int_eq(R("proc.exe_ino.ctime", NULL, &ref, &err), 0);
	ck_assert_int_eq(ref.type, FLD_T_ABSTIME);
	ck_assert(ref.def->flags & FLD_F_LATER);
	ck_assert_int_eq(R("proc.exe_ino", NULL, &ref, &err), 0);
	ck_assert_int_eq(ref.type, FLD_T_INT64);
	ck_assert_int_eq(R("proc.exe", NULL, &ref, &err), 0);
	ck_assert_int_eq(ref.type, FLD_T_CHARBUF);
	ck_assert_int_eq(R("evt.buffer", NULL, &ref, &err), 0);
	ck_assert(ref.def->flags & FLD_F_UNSUPPORTED);
	ck_assert_int_eq(R("container.id", NULL, &ref, &err), 0);
	ck_assert(ref.def->flags & FLD_F_LATER);
	ck_assert(ref.def->flags & FLD_F_PLUGIN);
	ck_assert_int_eq(R("evt.dir", NULL, &ref, &err), 0);
	ck_assert(ref.def->flags & FLD_F_DEPRECATED);
	ck_assert_int_eq(R("fd.ip", NULL, &ref, &err), 0);
	ck_assert(ref.def->flags & FLD_F_NO_RHS);
	ck_assert_int_eq(R("fd.sip.name", NULL, &ref, &err), 0);
	ck_assert_int_eq(ref.type, FLD_T_CHARBUF);
}
END_TEST

START_TEST(test_resolve_unknown)
{
	struct fld_ref ref;
	struct fld_error err;

	ck_assert_int_eq(R("proc.nobody", NULL, &ref, &err), -1);
	ck_assert_str_eq(err.msg,
	    "filter_check called with nonexistent field proc.nobody");
	ck_assert_int_eq(R("proc.namex", NULL, &ref, &err), -1);
	ck_assert_str_eq(err.msg,
	    "filter_check called with nonexistent field proc.namex");
	ck_assert_int_eq(R("proc.name", "1", &ref, &err), -1);
	ck_assert_str_eq(err.msg,
	    "filter_check called with nonexistent field proc.name[1]");
	ck_assert_int_eq(R("evt.arg.nosuch", NULL, &ref, &err), -1);
	ck_assert_str_eq(err.msg, "unknown event argument nosuch");
	ck_assert_int_eq(R("evt.rawarg.nosuch", NULL, &ref, &err), -1);
	ck_assert_str_eq(err.msg, "unknown event argument nosuch");
	ck_assert_int_eq(R("evt.arg", NULL, &ref, &err), -1);
	ck_assert_str_eq(err.msg, "filter syntax error: evt.arg");
	ck_assert_int_eq(R("evt.rawarg", "0", &ref, &err), -1);
	ck_assert_str_eq(err.msg, "evt.arg fields must be expressed explicitly");
	ck_assert_int_eq(R("evt.abspath.foo", NULL, &ref, &err), -1);
	ck_assert_str_eq(err.msg,
	    "filter_check called with nonexistent field evt.abspath.foo");
	ck_assert_int_eq(R("container.label", NULL, &ref, &err), -1);
	ck_assert_str_eq(err.msg, "field 'container.label' requires an argument");
	ck_assert_int_eq(R("proc.aname", "x", &ref, &err), -1);
	ck_assert_str_eq(err.msg, "x is not a valid number");
	ck_assert_int_eq(R("nosuch", NULL, &ref, &err), -1);
	ck_assert_str_eq(err.msg,
	    "filter_check called with nonexistent field nosuch");
}
END_TEST

START_TEST(test_resolve_args)
{
	struct fld_ref ref;
	struct fld_error err;

	ck_assert_int_eq(R("proc.aname", "2", &ref, &err), 0);
	ck_assert(ref.has_arg);
	ck_assert_int_eq(ref.index, 2);
	ck_assert(ref.def->flags & FLD_F_ANCESTOR);
	ck_assert(ref.def->flags & FLD_F_NO_TRANSFORMER);
	ck_assert_int_eq(R("proc.aname", NULL, &ref, &err), 0);
	ck_assert(!ref.has_arg);
	ck_assert_int_eq(ref.index, -1);
	ck_assert_int_eq(R("evt.arg", "0", &ref, &err), 0);
	ck_assert_int_eq(ref.index, 0);
	ck_assert_ptr_null(ref.param);
	ck_assert_int_eq(R("proc.env", "HOME", &ref, &err), 0);
	ck_assert_str_eq(ref.arg, "HOME");
	ck_assert_int_eq(ref.index, -1);
	ck_assert_int_eq(R("proc.aenv", "3", &ref, &err), 0);
	ck_assert_int_eq(ref.index, 3);
	ck_assert_int_eq(R("proc.aenv", "PATH", &ref, &err), 0);
	ck_assert_int_eq(ref.index, -1);
	ck_assert_str_eq(ref.arg, "PATH");
	ck_assert_int_eq(R("container.mount.dest", "/var/run/docker.sock",
	    &ref, &err), 0);
	ck_assert_str_eq(ref.arg, "/var/run/docker.sock");
	ck_assert_uint_eq(ref.arglen, 20);
	ck_assert_int_eq(R("evt.arg", "key with space", &ref, &err), -1);
	ck_assert_str_eq(err.msg, "key with space is not a valid number");
	ck_assert_int_eq(R("k8s.pod.label", "", &ref, &err), 0);
	ck_assert(ref.has_arg);
	ck_assert_uint_eq(ref.arglen, 0);
	ck_assert_int_eq(R("fd.types", "0", &ref, &err), 0);
	ck_assert(ref.def->flags & FLD_F_IS_LIST);
	ck_assert_int_eq(ref.index, 0);
}
END_TEST

START_TEST(test_resolve_dotted)
{
	struct fld_ref ref;
	struct fld_error err;

	ck_assert_int_eq(R("evt.arg.flags", NULL, &ref, &err), 0);
	ck_assert_str_eq(ref.def->name, "evt.arg");
	ck_assert_str_eq(ref.arg, "flags");
	ck_assert_ptr_nonnull(ref.param);
	ck_assert_int_eq(ref.type, FLD_T_CHARBUF);
	ck_assert_int_eq(R("evt.rawarg.flags", NULL, &ref, &err), 0);
	ck_assert_int_eq(ref.type, FLD_T_FLAGS32);
	ck_assert(ref.def->flags & FLD_F_NO_RHS);
	ck_assert_int_eq(R("evt.rawarg.res", NULL, &ref, &err), 0);
	ck_assert_int_eq(ref.type, FLD_T_ERRNO);
	ck_assert_int_eq(R("evt.arg.cmd", NULL, &ref, &err), 0);
	ck_assert_int_eq(R("evt.arg.uid", NULL, &ref, &err), 0);
	ck_assert_int_eq(R("evt.type.is.open", NULL, &ref, &err), 0);
	ck_assert_str_eq(ref.def->name, "evt.type.is");
	ck_assert_str_eq(ref.arg, "open");
	ck_assert_int_eq(R("thread.cgroup.cpuacct", NULL, &ref, &err), 0);
	ck_assert_str_eq(ref.arg, "cpuacct");
	ck_assert_int_eq(R("evt.abspath.dst", NULL, &ref, &err), 0);
	ck_assert_str_eq(ref.arg, "dst");
	ck_assert_int_eq(R("evt.abspath", NULL, &ref, &err), 0);
	ck_assert(!ref.has_arg);
	ck_assert(fld_param_known("domain", 6));
	ck_assert(!fld_param_known("domainx", 7));
}
END_TEST

START_TEST(test_scan)
{
	struct fld_ref ref;
	struct fld_error err;
	const char *s;

	s = "proc.aname[2] rest";
	ck_assert_int_eq(fld_scan(s, strlen(s), &ref, &err), 13);
	ck_assert_int_eq(ref.index, 2);
	s = "evt.arg.flags)";
	ck_assert_int_eq(fld_scan(s, strlen(s), &ref, &err), 13);
	ck_assert_str_eq(ref.arg, "flags");
	s = "proc.namex";
	ck_assert_int_eq(fld_scan(s, strlen(s), &ref, &err), 9);
	s = "proc.exe_ino.ctime,";
	ck_assert_int_eq(fld_scan(s, strlen(s), &ref, &err), 18);
	s = "evt.time.iso8601 ";
	ck_assert_int_eq(fld_scan(s, strlen(s), &ref, &err), 16);
	s = "fd.sip.name";
	ck_assert_int_eq(fld_scan(s, strlen(s), &ref, &err), 11);
	s = "container.label[app.kubernetes.io/name] x";
	ck_assert_int_eq(fld_scan(s, strlen(s), &ref, &err), 39);
	ck_assert_str_eq(ref.arg, "app.kubernetes.io/name");
	s = "proc.aname[2";
	ck_assert_int_eq(fld_scan(s, strlen(s), &ref, &err), -1);
	ck_assert_str_eq(err.msg,
	    "the field 'proc.aname' requires an argument but ']' is not found");
	s = "nosuch.field";
	ck_assert_int_eq(fld_scan(s, strlen(s), &ref, &err), -1);
}
END_TEST

/* ---- Compile-time values ----------------------------------------------- */

static int
V(enum fld_type t, const char *s, struct fld_value *v, struct fld_error *err)
{
	return fld_parse_value(t, s, strlen(s), v, err);
}

START_TEST(test_value_numbers)
{
	struct fld_value v;
	struct fld_error err;

	ck_assert_int_eq(V(FLD_T_INT64, "10", &v, &err), 0);
	ck_assert_int_eq(v.v.i64, 10);
	ck_assert_int_eq(V(FLD_T_INT64, "-5", &v, &err), 0);
	ck_assert_int_eq(v.v.i64, -5);
	ck_assert_int_eq(V(FLD_T_INT64, " 7", &v, &err), 0);
	ck_assert_int_eq(v.v.i64, 7);
	/* T17: proc.pid = 0x10 */
	ck_assert_int_eq(V(FLD_T_INT64, "0x10", &v, &err), -1);
	ck_assert_str_eq(err.msg, "0x10 is not a valid number");
	ck_assert_int_eq(V(FLD_T_INT64, "1.0", &v, &err), -1);
	ck_assert_str_eq(err.msg, "1.0 is not a valid number");
	ck_assert_int_eq(V(FLD_T_UINT64, "1e3", &v, &err), -1);
	ck_assert_str_eq(err.msg, "1e3 is not a valid number");
	ck_assert_int_eq(V(FLD_T_INT32, "", &v, &err), -1);
	ck_assert_str_eq(err.msg, " is not a valid number");
	ck_assert_int_eq(V(FLD_T_UINT32, "12abc", &v, &err), -1);
	ck_assert_str_eq(err.msg, "12abc is not a valid number");
	/* -1 into unsigned wraps */
	ck_assert_int_eq(V(FLD_T_UINT32, "-1", &v, &err), 0);
	ck_assert_uint_eq(v.v.u64, 4294967295u);
	ck_assert_int_eq(V(FLD_T_UINT64, "-1", &v, &err), 0);
	ck_assert_uint_eq(v.v.u64, UINT64_MAX);
	ck_assert_int_eq(V(FLD_T_UINT16, "70000", &v, &err), 0);
	ck_assert_uint_eq(v.v.u64, 4464);
	ck_assert_int_eq(V(FLD_T_INT8, "200", &v, &err), 0);
	ck_assert_int_eq(v.v.i64, -56);
	ck_assert_int_eq(V(FLD_T_ERRNO, "-2", &v, &err), 0);
	ck_assert_int_eq(v.v.i64, -2);
	ck_assert_int_eq(V(FLD_T_RELTIME, "1000000000", &v, &err), 0);
	ck_assert_uint_eq(v.v.u64, 1000000000);
	/* T7: thread.cpu = 1.0; DOUBLE takes integers only */
	ck_assert_int_eq(V(FLD_T_DOUBLE, "1.0", &v, &err), -1);
	ck_assert_str_eq(err.msg, "1.0 is not a valid number");
	ck_assert_int_eq(V(FLD_T_DOUBLE, "3", &v, &err), 0);
	ck_assert(v.v.dbl == 3.0);
}
END_TEST

START_TEST(test_value_bool_string)
{
	struct fld_value v;
	struct fld_error err;

	ck_assert_int_eq(V(FLD_T_BOOL, "true", &v, &err), 0);
	ck_assert(v.v.b);
	ck_assert_int_eq(V(FLD_T_BOOL, "false", &v, &err), 0);
	ck_assert(!v.v.b);
	ck_assert_int_eq(V(FLD_T_BOOL, "True", &v, &err), -1);
	ck_assert_str_eq(err.msg, "unrecognized boolean value True");
	ck_assert_int_eq(V(FLD_T_BOOL, "1", &v, &err), -1);
	ck_assert_str_eq(err.msg, "unrecognized boolean value 1");
	ck_assert_int_eq(V(FLD_T_CHARBUF, "a b\\x", &v, &err), 0);
	ck_assert_uint_eq(v.len, 5);
	ck_assert_int_eq(memcmp(v.str, "a b\\x", 5), 0);
	ck_assert_int_eq(V(FLD_T_FSPATH, "0x10", &v, &err), 0);
	ck_assert_uint_eq(v.len, 4);
}
END_TEST

START_TEST(test_value_addresses)
{
	static const uint8_t v6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
	struct fld_value v;
	struct fld_error err;

	ck_assert_int_eq(V(FLD_T_IPADDR, "10.0.0.1", &v, &err), 0);
	ck_assert_int_eq(v.v.ip.family, 4);
	ck_assert_int_eq(v.v.ip.prefix, 32);
	ck_assert_int_eq(memcmp(v.v.ip.addr, "\x0a\x00\x00\x01", 4), 0);
	ck_assert_int_eq(V(FLD_T_IPADDR, "2001:db8::1", &v, &err), 0);
	ck_assert_int_eq(v.v.ip.family, 6);
	ck_assert_int_eq(memcmp(v.v.ip.addr, v6, 16), 0);
	ck_assert_int_eq(V(FLD_T_IPADDR, "10.0.0.256", &v, &err), -1);
	ck_assert_str_eq(err.msg, "unrecognized IP address 10.0.0.256");
	ck_assert_int_eq(V(FLD_T_IPADDR, "10.0.0.0/8", &v, &err), -1);
	ck_assert_str_eq(err.msg, "unrecognized IP address 10.0.0.0/8");
	ck_assert_int_eq(V(FLD_T_IPNET, "10.0.0.0/8", &v, &err), 0);
	ck_assert_int_eq(v.v.ip.prefix, 8);
	ck_assert_int_eq(V(FLD_T_IPNET, "2001:db8::/32", &v, &err), 0);
	ck_assert_int_eq(v.v.ip.family, 6);
	ck_assert_int_eq(v.v.ip.prefix, 32);
	ck_assert_int_eq(V(FLD_T_IPNET, "192.168.1.7", &v, &err), 0);
	ck_assert_int_eq(v.v.ip.prefix, 32);
	ck_assert_int_eq(V(FLD_T_IPNET, "10.0.0.0/33", &v, &err), -1);
	ck_assert_str_eq(err.msg, "unrecognized IP network 10.0.0.0/33");
	ck_assert_int_eq(V(FLD_T_IPNET, "10.0.0.0/x", &v, &err), -1);
	ck_assert_str_eq(err.msg, "unrecognized IP network 10.0.0.0/x");
}
END_TEST

START_TEST(test_value_ports)
{
	struct fld_value v;
	struct fld_error err;
	struct servent *se = getservbyname("ssh", NULL);

	ck_assert_int_eq(V(FLD_T_PORT, "443", &v, &err), 0);
	ck_assert_int_eq(v.type, FLD_T_PORT);
	ck_assert_uint_eq(v.v.u64, 443);
	if (se != NULL) {
		ck_assert_int_eq(V(FLD_T_PORT, "ssh", &v, &err), 0);
		ck_assert_uint_eq(v.v.u64, 22);
	} else {
		ck_assert_int_eq(V(FLD_T_PORT, "ssh", &v, &err), -1);
		ck_assert_str_eq(err.msg, "unrecognized protocol ssh");
	}
	ck_assert_int_eq(V(FLD_T_PORT, "no-such-service-x", &v, &err), -1);
	ck_assert_str_eq(err.msg, "unrecognized protocol no-such-service-x");
	ck_assert_int_eq(V(FLD_T_PORT, "0x1bb", &v, &err), -1);
	ck_assert_str_eq(err.msg, "0x1bb is not a valid number");
}
END_TEST

/* ---- Extraction -------------------------------------------------------- */

START_TEST(test_x_execve)
{
	load(E_EXEC);
	EQ("evt.type", "execve");
	EQ("syscall.type", "execve");
	EQ("evt.num", "7");
	EQ("evt.dir", "<");
	EQ("evt.res", "SUCCESS");
	EQ("evt.rawres", "0");
	EQ("evt.failed", "false");
	EQ("evt.source", "syscall");
	EQ("evt.category", "process");
	EQ("evt.hostname", "testhost");
	EQ("evt.count", "1");
	EQ("evt.count.error", "0");
	EQ("evt.type.is.execve", "1");
	EQ("evt.type.is.open", "0");
	EQ("proc.pid", "1234");
	EQ("proc.ppid", "1000");
	EQ("thread.tid", "1234");
	EQ("proc.name", "sudo");
	EQ("proc.exe", "sudo");
	EQ("proc.exepath", "/usr/bin/sudo");
	EQ("proc.args", "cat /etc/shadow");
	EQ("proc.cmdline", "sudo cat /etc/shadow");
	EQ("proc.exeline", "sudo cat /etc/shadow");
	EQ("proc.cmdnargs", "2");
	EQ("proc.cmdlenargs", "14");
	EQ("proc.cwd", "/home/alice/");
	EQ("proc.tty", "34816");
	EQ("proc.is_exe_from_memfd", "false");
	EQ("proc.exe_ino", "1234567");
	EQ("proc.aname[0]", "sudo");
	EQ("proc.apid[0]", "1234");
	EQ("proc.acmdline[0]", "sudo cat /etc/shadow");
	EQ("proc.aname[1]", "<NA>");
	EQ("proc.aname", "<NA>");
	EQ("proc.pname", "<NA>");
	EQ("container.id", "<NA>");
	EQ("user.uid", "0");
	EQ("user.name", "root");
	EQ("user.homedir", "/root");
	EQ("user.shell", "/bin/bash");
	EQ("user.loginuid", "1000");
	EQ("user.loginname", "alice");
	EQ("group.gid", "0");
	EQ("group.name", "root");
	EQ("fd.num", "<NA>");
	EQ("fd.name", "<NA>");
	EQ("evt.is_open_read", "false");
	EQ("evt.arg.exe", "sudo");
	EQ("evt.arg.args", "cat./etc/shadow");
	EQ("evt.arg.filename", "/usr/bin/sudo");
	EQ("evt.arg.trusted_exepath", "/usr/bin/sudo");
	EQ("evt.arg.tty", "34816");
	EQ("evt.arg.loginuid", "1000");
	EQ("evt.arg.uid", "0");
	EQ("evt.arg.ptid", "1000");
	EQ("evt.arg[1]", "sudo");
	EQ("evt.arg.env", "<NA>");
	EQ("evt.args", "res=0 exe=sudo args=cat./etc/shadow tid=1234 pid=1234 "
	    "ptid=1000 cwd=/home/alice comm=sudo tty=34816 loginuid=1000 "
	    "exe_ino=1234567 uid=0 trusted_exepath=/usr/bin/sudo gid=0 "
	    "filename=/usr/bin/sudo");
}
END_TEST

START_TEST(test_x_time)
{
	load(E_EXEC);
	EQ("evt.time", "22:13:20.123000000");
	EQ("evt.time.s", "22:13:20");
	EQ("evt.time.iso8601", "2023-11-14T22:13:20.123000000+0000");
	EQ("evt.datetime", "2023-11-14 22:13:20.123000000");
	EQ("evt.datetime.s", "2023-11-14 22:13:20");
	EQ("evt.rawtime", "1700000000123000000");
	EQ("evt.rawtime.s", "1700000000");
	EQ("evt.rawtime.ns", "123000000");
	EQ("evt.reltime", "000000000");
	ctx.first_ts = UINT64_C(1699999990000000000);
	ctx.prev_ts = UINT64_C(1700000000100000000);
	EQ("evt.reltime.s", "10");
	EQ("evt.reltime.ns", "123000000");
	EQ("evt.deltatime", "23000000");
	EQ("evt.deltatime.s", "0");
	EQ("evt.latency", "0");
	EQ("evt.latency.human", "0ns");
	ck_assert_str_eq(J("evt.time"), "1700000000123000000");
	ck_assert_str_eq(J("evt.time.iso8601"), "1700000000123000000");
	ck_assert_str_eq(J("evt.rawtime"), "1700000000123000000");
	load(E_PTRACE);	/* .005: the ns part is padded */
	EQ("evt.rawtime.ns", "005000000");
	EQ("evt.time", "22:13:25.005000000");
}
END_TEST

START_TEST(test_x_openat)
{
	load(E_OPENAT);
	EQ("evt.type", "openat");
	EQ("evt.category", "file");
	EQ("evt.res", "SUCCESS");
	EQ("evt.rawres", "3");
	EQ("fd.num", "3");
	EQ("fd.name", "/etc/shadow");
	EQ("fd.nameraw", "shadow");
	EQ("fd.directory", "/etc");
	EQ("fd.filename", "shadow");
	EQ("fd.typechar", "f");
	EQ("fd.type", "file");
	EQ("fd.dev", "2049");
	EQ("fd.dev.major", "8");
	EQ("fd.dev.minor", "1");
	EQ("fd.ino", "262402");
	EQ("fd.uid", "12403");
	EQ("fd.is_server", "false");
	EQ("fd.sip", "<NA>");
	EQ("fd.l4proto", "<NA>");
	EQ("fd.sockfamily", "<NA>");
	EQ("evt.is_open_read", "true");
	EQ("evt.is_open_write", "false");
	EQ("evt.is_open_create", "false");
	EQ("evt.is_open_exec", "false");
	EQ("evt.abspath", "/etc/shadow");
	EQ("evt.arg.flags", "O_RDONLY|O_CLOEXEC");
	EQ("evt.rawarg.flags", "4097");
	EQ("evt.arg.fd", "<f>/etc/shadow");
	EQ("evt.arg.dirfd", "AT_FDCWD");
	EQ("evt.rawarg.dirfd", "-100");
	EQ("evt.arg.name", "shadow");
	EQ("evt.arg.mode", "0");
	EQ("evt.arg.dev", "801");
	EQ("evt.arg.ino", "262402");
	EQ("evt.arg[3]", "O_RDONLY|O_CLOEXEC");
	EQ("evt.arg[7]", "<NA>");
	EQ("evt.arg.domain", "<NA>");
	EQ("evt.args", "fd=3(<f>/etc/shadow) dirfd=-100(AT_FDCWD) name=shadow "
	    "flags=4097(O_RDONLY|O_CLOEXEC) mode=0 dev=801 ino=262402");
	/* no EXECVE record: argv from PROCTITLE */
	EQ("proc.exe", "cat");
	EQ("proc.args", "shadow");
	EQ("proc.cmdline", "cat shadow");
	EQ("proc.cwd", "/etc/");
	EQ("proc.exe_ino", "<NA>");
	EQ("user.name", "root");
	EQ("group.gid", "42");
	EQ("group.name", "shadow");
}
END_TEST

/*
 * The live agent's process table knows the argv of the current image
 * (from the audit EXECVE); PROCTITLE may still show the command line of
 * before the exec (the kernel caches it), so the table wins when its
 * entry is the same program (same comm) and not stale.
 */
START_TEST(test_x_table_argv)
{
	static const char argv[] = "cat\0/etc/shadow\0-A";
	struct ptree_proc p;
	struct fld_enrich en;

	load(E_OPENAT);
	memset(&p, 0, sizeof(p));
	memset(&en, 0, sizeof(en));
	strcpy(p.pr_comm, "cat");
	p.pr_exe = (struct fc_str){ argv, 3 };
	p.pr_args = (struct fc_str){ argv + 4, sizeof(argv) - 5 };
	p.pr_nargs = 2;
	en.self = &p;
	ctx.enrich = &en;
	EQ("proc.exe", "cat");
	EQ("proc.args", "/etc/shadow -A");
	EQ("proc.cmdline", "cat /etc/shadow -A");
	EQ("proc.cmdnargs", "2");
	/* Another program in the table (an exec it missed): PROCTITLE. */
	strcpy(p.pr_comm, "bash");
	EQ("proc.cmdline", "cat shadow");
	strcpy(p.pr_comm, "cat");
	p.pr_flags = PTREE_F_STALE;
	EQ("proc.cmdline", "cat shadow");
	p.pr_flags = 0;
	p.pr_exe = (struct fc_str){ NULL, 0 };
	EQ("proc.cmdline", "cat shadow");
	ctx.enrich = NULL;
}
END_TEST

/*
 * What the event does not carry comes from the table: a fanotify event of
 * a process that exited before the reader got to /proc has no comm, exe
 * or ppid.  What the event carries wins.
 */
START_TEST(test_x_table_identity)
{
	static const char exe[] = "/usr/bin/cat";
	struct ptree_proc p;
	struct fld_enrich en;

	load(E_OPENAT);
	ev.ev_comm = (struct fc_str){ NULL, 0 };
	ev.ev_exe = (struct fc_str){ NULL, 0 };
	ev.ev_flags &= ~FC_EV_HAS_PPID;
	EQ("proc.name", "<NA>");
	EQ("proc.exepath", "<NA>");
	EQ("proc.ppid", "<NA>");
	memset(&p, 0, sizeof(p));
	memset(&en, 0, sizeof(en));
	strcpy(p.pr_comm, "cat");
	p.pr_exepath = (struct fc_str){ exe, sizeof(exe) - 1 };
	p.pr_ppid = 4242;
	en.self = &p;
	ctx.enrich = &en;
	EQ("proc.name", "cat");
	EQ("proc.exepath", "/usr/bin/cat");
	EQ("proc.ppid", "4242");
	p.pr_flags = PTREE_F_STALE;	/* an old image: no name, no exe */
	EQ("proc.name", "<NA>");
	EQ("proc.exepath", "<NA>");
	EQ("proc.ppid", "4242");
	load(E_OPENAT);		/* the event's own values win */
	EQ("proc.name", "cat");
	ck_assert_str_ne(T("proc.ppid"), "4242");
	ctx.enrich = NULL;
}
END_TEST

/* Table fields in JSON: strings (their ids are not evt.time's). */
START_TEST(test_render_enrich_json)
{
	struct ptree *t = ptree_new(NULL);
	struct fld_enrich en;

	ck_assert_ptr_nonnull(t);
	ck_assert_int_eq(ptree_fork(t, 1, 10, 10, 1700000000000000000ull), 0);
	ck_assert_int_eq(ptree_set_comm(t, 10, "sh"), 0);
	ck_assert_int_eq(ptree_fork(t, 10, 11, 11, 1700000000001000000ull), 0);
	load(E_EXEC);
	memset(&en, 0, sizeof(en));
	en.pt = t;
	en.self = ptree_get(t, 11);
	ctx.enrich = &en;
	ck_assert_str_eq(J("proc.pname"), "\"sh\"");
	ck_assert_str_eq(J("proc.pcmdline"), "\"sh\"");
	ck_assert_str_eq(J("proc.pexepath"), "null");
	ck_assert_str_eq(T("proc.pcmdline"), "sh");
	ctx.enrich = NULL;
	ptree_proc_unref(en.self);
	ptree_free(t);
}
END_TEST

START_TEST(test_x_open_flags)
{
	load(E_OPEN_WR);
	EQ("evt.arg.flags", "O_TRUNC|O_CREAT|O_WRONLY");
	EQ("evt.rawarg.flags", "262");
	EQ("evt.arg.mode", "0644");
	EQ("evt.rawarg.mode", "420");
	EQ("evt.is_open_write", "true");
	EQ("evt.is_open_read", "false");
	EQ("evt.is_open_create", "false");
	EQ("evt.is_open_exec", "false");
	EQ("fd.name", "/tmp/out.txt");
	EQ("fd.directory", "/tmp");
	EQ("fd.filename", "out.txt");
	EQ("fd.nameraw", "out.txt");
	EQ("proc.tty", "34817");
	EQ("user.name", "alice");
	EQ("user.shell", "/bin/zsh");

	load(E_CREATE);
	EQ("evt.arg.flags", "O_EXCL|O_CREAT|O_WRONLY|O_CLOEXEC|O_F_CREATED");
	EQ("evt.arg.mode", "0755");
	EQ("evt.is_open_create", "true");
	EQ("evt.is_open_exec", "true");
	EQ("evt.is_open_write", "true");
	EQ("fd.name", "/tmp/x.sh");
	EQ("fd.nameraw", "/tmp/../tmp/x.sh");
	EQ("fd.ino", "100");
	EQ("proc.tty", "0");
	EQ("proc.cwd", "/");
	EQ("proc.exe", "<NA>");
	EQ("proc.cmdline", "<NA>");

	/* the translation itself, per architecture */
	ck_assert_uint_eq(fld_open_flags_to_ppm(0xc000003e, 0), FLD_O_RDONLY);
	ck_assert_uint_eq(fld_open_flags_to_ppm(0xc000003e, 02),
	    FLD_O_RDWR);
	ck_assert_uint_eq(fld_open_flags_to_ppm(0xc000003e, 0200000),
	    FLD_O_RDONLY | FLD_O_DIRECTORY);
	ck_assert_uint_eq(fld_open_flags_to_ppm(0xc00000b7, 040000),
	    FLD_O_RDONLY | FLD_O_DIRECTORY);
	ck_assert_uint_eq(fld_open_flags_to_ppm(0xc00000b7, 0200000),
	    FLD_O_RDONLY | FLD_O_DIRECT);
	ck_assert_uint_eq(fld_open_flags_to_ppm(0xc000003e, 04010001),
	    FLD_O_WRONLY | FLD_O_SYNC | FLD_O_DSYNC);
	ck_assert_uint_eq(fld_open_flags_to_ppm(0xc000003e, 020200002),
	    FLD_O_RDWR | FLD_O_TMPFILE | FLD_O_DIRECTORY);
}
END_TEST

START_TEST(test_x_failed_open)
{
	load(E_FAILOPEN);
	EQ("evt.type", "open");
	EQ("evt.res", "ENOENT");
	EQ("evt.rawres", "-2");
	EQ("evt.failed", "true");
	EQ("evt.count.error", "1");
	EQ("evt.count.error.file", "1");
	EQ("evt.count.error.net", "<NA>");
	EQ("fd.num", "-1");
	EQ("fd.name", "/nonexistent/file");
	EQ("fd.nameraw", "/nonexistent/file");
	EQ("fd.directory", "/nonexistent");
	EQ("fd.filename", "<NA>");
	EQ("fd.typechar", "f");
	EQ("fd.type", "<NA>");
	EQ("fd.ino", "<NA>");
	EQ("evt.arg.fd", "ENOENT");
	EQ("evt.rawarg.fd", "-2");
	EQ("evt.arg.flags", "O_RDONLY");
	EQ("evt.arg.name", "/nonexistent/file");
	EQ("evt.arg.dev", "<NA>");
	EQ("evt.is_open_read", "true");
	EQ("evt.args", "fd=-2(ENOENT) name=/nonexistent/file flags=1(O_RDONLY) "
	    "mode=0");
	EQ("proc.exe", "<NA>");
	EQ("user.name", "alice");
	EQ("user.loginname", "alice");
}
END_TEST

START_TEST(test_x_connect4)
{
	load(E_CONNECT4);
	EQ("evt.type", "connect");
	EQ("evt.category", "net");
	EQ("fd.num", "5");
	EQ("fd.typechar", "4");
	EQ("fd.type", "ipv4");
	EQ("fd.name", "0.0.0.0:0->10.0.0.1:443");
	EQ("fd.sip", "10.0.0.1");
	EQ("fd.sport", "443");
	EQ("fd.rip", "10.0.0.1");
	EQ("fd.rport", "443");
	EQ("fd.ip", "10.0.0.1");
	EQ("fd.port", "443");
	EQ("fd.sproto", "443");
	EQ("fd.snet", "10.0.0.1/32");
	EQ("fd.cip", "<NA>");
	EQ("fd.cport", "<NA>");
	EQ("fd.lip", "<NA>");
	EQ("fd.lport", "<NA>");
	EQ("fd.sockfamily", "ip");
	EQ("fd.l4proto", "<NA>");
	EQ("fd.is_server", "false");
	EQ("fd.directory", "<NA>");
	EQ("fd.filename", "<NA>");
	EQ("evt.arg.addr", "10.0.0.1:443");
	EQ("evt.arg.tuple", "0.0.0.0:0->10.0.0.1:443");
	EQ("evt.arg.fd", "<4>0.0.0.0:0->10.0.0.1:443");
	EQ("evt.arg.res", "0");
	EQ("user.name", "www-data");
	EQ("user.loginuid", "-1");
	EQ("user.loginname", "<NA>");
	EQ("proc.tty", "0");
	EQ("proc.cmdline", "curl https://10.0.0.1");
	ck_assert_str_eq(J("fd.sip"), "\"10.0.0.1\"");
	ck_assert_str_eq(J("fd.sport"), "443");
	ck_assert_str_eq(J("user.loginuid"), "-1");
	ck_assert_str_eq(J("fd.cip"), "null");
}
END_TEST

START_TEST(test_x_connect6)
{
	load(E_CONNECT6);
	EQ("evt.res", "EINPROGRESS");
	EQ("evt.failed", "true");
	EQ("fd.num", "7");
	EQ("fd.typechar", "6");
	EQ("fd.type", "ipv6");
	EQ("fd.name", ":::0->2001:db8::1:8080");
	EQ("fd.sip", "2001:db8::1");
	EQ("fd.sport", "8080");
	EQ("fd.rnet", "2001:db8::1/128");
	EQ("evt.arg.addr", "2001:db8::1:8080");
	EQ("evt.count.error.net", "1");
}
END_TEST

START_TEST(test_x_accept_bind)
{
	load(E_ACCEPT);
	EQ("evt.type", "accept4");
	EQ("fd.num", "6");
	EQ("fd.name", "10.0.0.9:5000->0.0.0.0:0");
	EQ("fd.cip", "10.0.0.9");
	EQ("fd.cport", "5000");
	EQ("fd.rip", "10.0.0.9");
	EQ("fd.rport", "5000");
	EQ("fd.sip", "<NA>");
	EQ("fd.sport", "<NA>");
	EQ("fd.is_server", "true");
	EQ("evt.arg.tuple", "10.0.0.9:5000->0.0.0.0:0");

	load(E_BIND);
	EQ("fd.num", "3");
	EQ("fd.name", "0.0.0.0:8080");
	EQ("fd.sip", "0.0.0.0");
	EQ("fd.sport", "8080");
	EQ("fd.rip", "<NA>");
	EQ("fd.cip", "<NA>");
	EQ("fd.is_server", "false");
	EQ("evt.arg.addr", "0.0.0.0:8080");
	EQ("evt.args", "res=0 addr=0.0.0.0:8080 fd=3(<4>0.0.0.0:8080)");
}
END_TEST

START_TEST(test_x_setuid_ptrace)
{
	load(E_SETUID);
	EQ("evt.type", "setuid");
	EQ("evt.arg.uid", "0");
	EQ("evt.rawarg.uid", "0");
	EQ("evt.args", "res=0 uid=0");
	EQ("evt.category", "user");
	EQ("fd.num", "<NA>");
	EQ("user.uid", "0");
	EQ("user.loginname", "alice");
	EQ("proc.tty", "34818");
	EQ("proc.exepath", "/tmp/exploit");
	EQ("proc.cmdline", "<NA>");

	load(E_PTRACE);
	EQ("evt.type", "ptrace");
	EQ("evt.arg.request", "PTRACE_ATTACH");
	EQ("evt.rawarg.request", "16");
	EQ("evt.arg.pid", "4321");
	EQ("evt.arg[3]", "PTRACE_ATTACH");
	EQ("evt.arg.addr", "0");
	EQ("evt.args", "res=0 addr=0 data=0 request=16(PTRACE_ATTACH) pid=4321");
}
END_TEST

/* fchmodat(AT_FDCWD, "f1", 04755): modes render with libsinsp's names. */
START_TEST(test_x_chmod_mode)
{
	load(HDR("SYSCALL", "1700000005.010:110") "arch=c000003e syscall=268 "
	    "success=yes exit=0 a0=ffffff9c a1=55d0 a2=9ed a3=0 items=1 "
	    "ppid=1 pid=602 auid=0 uid=0 gid=0 euid=0 suid=0 fsuid=0 egid=0 "
	    "sgid=0 fsgid=0 tty=pts2 ses=2 comm=\"chmod\" "
	    "exe=\"/usr/bin/chmod\" key=(null)\n"
	    HDR("CWD", "1700000005.010:110") "cwd=\"/tmp\"\n"
	    HDR("PATH", "1700000005.010:110") "item=0 name=\"f1\" inode=7 "
	    "dev=fd:00 mode=0100644 ouid=0 ogid=0 rdev=00:00 "
	    "nametype=NORMAL\n");
	EQ("evt.type", "fchmodat");
	EQ("evt.arg.mode", "S_IXOTH|S_IROTH|S_IXGRP|S_IRGRP|S_IXUSR|S_IWUSR|"
	    "S_IRUSR|S_ISUID");
	EQ("evt.rawarg.mode", "2541");
}
END_TEST

START_TEST(test_x_socket)
{
	load(E_SOCKET);
	EQ("evt.type", "socket");
	EQ("evt.arg.domain", "AF_PACKET");
	EQ("evt.rawarg.domain", "17");
	EQ("evt.arg.type", "3");
	EQ("evt.arg.proto", "768");
	EQ("evt.arg.fd", "<o>");
	EQ("fd.num", "4");
	EQ("fd.typechar", "o");
	EQ("fd.type", "unknown");
	EQ("fd.name", "");
	EQ("fd.sockfamily", "<NA>");
	EQ("fd.l4proto", "<NA>");

	load(E_SOCKET_TCP);
	EQ("evt.arg.domain", "AF_INET");
	EQ("evt.arg.type", "524289");
	EQ("fd.typechar", "4");
	EQ("fd.type", "ipv4");
	EQ("fd.l4proto", "tcp");
	EQ("fd.sockfamily", "ip");
	EQ("fd.sip", "<NA>");
}
END_TEST

START_TEST(test_x_symlink)
{
	load(E_SYMLINK);
	EQ("evt.type", "symlinkat");
	EQ("evt.arg.target", "/etc/passwd");
	EQ("evt.arg.linkpath", "ln");
	EQ("evt.arg.linkdirfd", "AT_FDCWD");
	EQ("fs.path.source", "/etc/passwd");
	EQ("fs.path.sourceraw", "/etc/passwd");
	EQ("fs.path.target", "/tmp/ln");
	EQ("fs.path.targetraw", "ln");
	EQ("fs.path.name", "<NA>");
	EQ("evt.abspath", "/tmp/ln");
	EQ("fd.num", "<NA>");
}
END_TEST

START_TEST(test_x_tty_names)
{
	static const struct {
		const char	*tty;
		uint32_t	 nr;
	} tab[] = {
		{ "(none)", 0 }, { "pts0", 34816 }, { "pts300", 35116 },
		{ "tty1", 1025 }, { "ttyS0", 1088 }, { "console", 1281 },
		{ "tty", 1280 }, { "weird", UINT32_MAX },
	};
	struct fc_event e;
	uint32_t nr;
	size_t i;

	memset(&e, 0, sizeof(e));
	for (i = 0; i < sizeof(tab) / sizeof(tab[0]); i++) {
		e.ev_tty = (struct fc_str){ tab[i].tty,
		    (uint32_t)strlen(tab[i].tty) };
		ck_assert(fld_tty_number(&e, &nr));
		ck_assert_msg(nr == tab[i].nr, "%s: %u", tab[i].tty, nr);
	}
}
END_TEST

START_TEST(test_render)
{
	struct fld_value v;
	struct fc_buf b;

	load(E_EXEC);
	ck_assert_str_eq(J("proc.name"), "\"sudo\"");
	ck_assert_str_eq(J("user.uid"), "0");
	ck_assert_str_eq(J("evt.failed"), "false");
	ck_assert_str_eq(J("proc.pname"), "null");
	ck_assert_str_eq(J("evt.rawtime.ns"), "123000000");
	fc_buf_init(&b, 1024);
	memset(&v, 0, sizeof(v));
	v.type = FLD_T_IPNET;
	v.v.ip.family = 4;
	v.v.ip.prefix = 8;
	v.v.ip.addr[0] = 10;
	fld_render_text(NULL, &v, &b);
	fc_buf_addc(&b, ' ');
	fld_render_json(NULL, &v, &b);
	fc_buf_addc(&b, ' ');
	v.type = FLD_T_DOUBLE;
	v.v.dbl = 0.5;
	fld_render_text(NULL, &v, &b);
	fc_buf_addc(&b, ' ');
	v.type = FLD_T_CHARBUF;
	v.str = "a\"b";
	v.len = 3;
	fld_render_json(NULL, &v, &b);
	fc_buf_addc(&b, '\0');
	ck_assert_str_eq(b.p, "10.0.0.0/8 \"10.0.0.0/8\" 0.50 \"a\\\"b\"");
	fc_buf_fini(&b);
}
END_TEST

START_TEST(test_users_cache)
{
	struct fld_users *u = fld_users_new("/nonexistent/passwd", NULL);

	ck_assert_ptr_nonnull(u);
	ck_assert_ptr_null(fld_users_lookup(u, false, 0, 0));
	fld_users_free(u);
	ck_assert_str_eq(fld_users_lookup(users, false, 0, 0), "root");
	ck_assert_str_eq(fld_users_lookup(users, false, 33, 1), "/var/www");
	ck_assert_str_eq(fld_users_lookup(users, true, 42, 0), "shadow");
	ck_assert_ptr_null(fld_users_lookup(users, false, 4242, 0));
	fld_users_reload(users);
	ck_assert_str_eq(fld_users_lookup(users, false, 1000, 2), "/bin/zsh");
	load(E_EXEC);
	ctx.users = NULL;
	EQ("user.name", "<NA>");
	EQ("user.uid", "0");
}
END_TEST

Suite *
suite_for_main(void)
{
	Suite *s = suite_create("fields");
	TCase *tc;

	tc = tcase_create("registry");
	tcase_add_test(tc, test_registry_counts);
	tcase_add_test(tc, test_registry_sane);
	tcase_add_test(tc, test_type_names);
	tcase_add_test(tc, test_list);
	suite_add_tcase(s, tc);

	tc = tcase_create("resolve");
	tcase_add_test(tc, test_resolve_plain);
	tcase_add_test(tc, test_resolve_unknown);
	tcase_add_test(tc, test_resolve_args);
	tcase_add_test(tc, test_resolve_dotted);
	tcase_add_test(tc, test_scan);
	suite_add_tcase(s, tc);

	tc = tcase_create("values");
	tcase_add_test(tc, test_value_numbers);
	tcase_add_test(tc, test_value_bool_string);
	tcase_add_test(tc, test_value_addresses);
	tcase_add_test(tc, test_value_ports);
	suite_add_tcase(s, tc);

	tc = tcase_create("extract");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_x_execve);
	tcase_add_test(tc, test_x_time);
	tcase_add_test(tc, test_x_openat);
	tcase_add_test(tc, test_x_open_flags);
	tcase_add_test(tc, test_x_failed_open);
	tcase_add_test(tc, test_x_connect4);
	tcase_add_test(tc, test_x_connect6);
	tcase_add_test(tc, test_x_accept_bind);
	tcase_add_test(tc, test_x_setuid_ptrace);
	tcase_add_test(tc, test_x_chmod_mode);
	tcase_add_test(tc, test_x_socket);
	tcase_add_test(tc, test_x_symlink);
	tcase_add_test(tc, test_x_tty_names);
	tcase_add_test(tc, test_x_table_argv);
	tcase_add_test(tc, test_x_table_identity);
	tcase_add_test(tc, test_render);
	tcase_add_test(tc, test_render_enrich_json);
	tcase_add_test(tc, test_users_cache);
	suite_add_tcase(s, tc);
	return s;
}
