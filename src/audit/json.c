/*
 * json.c - the JSON form of a struct fc_event (docs/events.md).
 *
 * One object per event, keys in a fixed order, absent values left out.
 * Writes into a caller-owned fc_buf; allocates nothing else.
 */
#include "config.h"

#include <arpa/inet.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "audit/audit.h"
#include "core/buf.h"

static void
kfcstr(struct fc_buf *b, bool *first, const char *key, struct fc_str s)
{
	if (s.p != NULL)
		fc_json_kstr(b, first, key, s.p, s.len);
}

static void
json_time(struct fc_buf *b, bool *first, const struct fc_event *ev)
{
	time_t t = (time_t)ev->ev_sec;
	struct tm tm;
	char ts[96];

	if (gmtime_r(&t, &tm) == NULL)
		return;
	snprintf(ts, sizeof(ts), "%04d-%02d-%02dT%02d:%02d:%02d.%03uZ",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	    tm.tm_min, tm.tm_sec, (unsigned)ev->ev_msec);
	fc_json_kstr(b, first, "time", ts, strlen(ts));
}

static void
json_record_types(struct fc_buf *b, bool *first, const struct fc_event *ev)
{
	char tmp[24];
	const char *n;
	uint32_t i;

	fc_json_key(b, first, "record_types");
	fc_buf_addc(b, '[');
	for (i = 0; i < ev->ev_nrecords; i++) {
		if (i > 0)
			fc_buf_addc(b, ',');
		n = aud_type_name(ev->ev_rec_types[i], tmp, sizeof(tmp));
		fc_json_str(b, n, strlen(n));
	}
	fc_buf_addc(b, ']');
}

static void
json_ids(struct fc_buf *b, bool *first, const struct fc_event *ev)
{
	static const char *const names[] = { "auid", "uid", "gid", "euid",
	    "suid", "fsuid", "egid", "sgid", "fsgid", "ses" };
	const uint32_t vals[] = { ev->ev_auid, ev->ev_uid, ev->ev_gid,
	    ev->ev_euid, ev->ev_suid, ev->ev_fsuid, ev->ev_egid, ev->ev_sgid,
	    ev->ev_fsgid, ev->ev_ses };
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (ev->ev_id_mask & (1u << i))
			fc_json_ku64(b, first, names[i], vals[i]);
}

static void
json_syscall(struct fc_buf *b, bool *first, const struct fc_event *ev)
{
	const char *s;
	char hex[2 + FC_FMT_MAX];
	int i;

	if (ev->ev_syscall_name != NULL)
		fc_json_kstr(b, first, "syscall", ev->ev_syscall_name,
		    strlen(ev->ev_syscall_name));
	if (ev->ev_syscall >= 0)
		fc_json_ki64(b, first, "syscall_nr", ev->ev_syscall);
	if (ev->ev_arch != 0) {
		s = aud_arch_name(ev->ev_arch);
		if (s == NULL) {
			snprintf(hex, sizeof(hex), "%x", ev->ev_arch);
			s = hex;
		}
		fc_json_kstr(b, first, "arch", s, strlen(s));
	}
	if (ev->ev_flags & FC_EV_HAS_SUCCESS)
		fc_json_kbool(b, first, "success",
		    (ev->ev_flags & FC_EV_SUCCESS) != 0);
	if (ev->ev_flags & FC_EV_HAS_EXIT) {
		fc_json_ki64(b, first, "exit", ev->ev_exit);
		if ((s = aud_errno_name(ev->ev_exit)) != NULL)
			fc_json_kstr(b, first, "errno", s, strlen(s));
	}
	for (i = 0; i < 4; i++) {
		char key[3] = { 'a', (char)('0' + i), '\0' };
		hex[0] = '0';
		hex[1] = 'x';
		fc_json_kstr(b, first, key, hex,
		    2 + fc_fmt_uint(hex + 2, ev->ev_a[i], 16, 0));
	}
	if (ev->ev_items >= 0)
		fc_json_ki64(b, first, "items", ev->ev_items);
}

static void
json_process(struct fc_buf *b, bool *first, const struct fc_event *ev)
{
	if (ev->ev_pid >= 0)
		fc_json_ki64(b, first, "pid", ev->ev_pid);
	if (ev->ev_flags & FC_EV_HAS_PPID)
		fc_json_ki64(b, first, "ppid", ev->ev_ppid);
	json_ids(b, first, ev);
	kfcstr(b, first, "tty", ev->ev_tty);
	kfcstr(b, first, "comm", ev->ev_comm);
	kfcstr(b, first, "exe", ev->ev_exe);
	kfcstr(b, first, "subj", ev->ev_subj);
}

static void
json_str_array(struct fc_buf *b, const struct fc_str *v, uint32_t n)
{
	uint32_t i;

	fc_buf_addc(b, '[');
	for (i = 0; i < n; i++) {
		if (i > 0)
			fc_buf_addc(b, ',');
		fc_json_str(b, v[i].p != NULL ? v[i].p : "", v[i].len);
	}
	fc_buf_addc(b, ']');
}

static void
json_proctitle(struct fc_buf *b, bool *first, const struct fc_event *ev)
{
	char tmp[512];
	uint32_t i, n = ev->ev_proctitle.len;

	if (ev->ev_proctitle.p == NULL)
		return;
	/* Arguments are NUL-separated; shown with spaces, as auparse does. */
	if (n > sizeof(tmp))
		n = sizeof(tmp);
	for (i = 0; i < n; i++)
		tmp[i] = ev->ev_proctitle.p[i] == '\0' ? ' ' :
		    ev->ev_proctitle.p[i];
	fc_json_kstr(b, first, "proctitle", tmp, n);
}

static const char *
nametype_str(const struct fc_path *pt)
{
	switch (pt->pt_nametype) {
	case FC_NT_NORMAL:
		return "NORMAL";
	case FC_NT_PARENT:
		return "PARENT";
	case FC_NT_CREATE:
		return "CREATE";
	case FC_NT_DELETE:
		return "DELETE";
	case FC_NT_UNKNOWN:
		return "UNKNOWN";
	default:
		return NULL;
	}
}

/* "MAJ:MIN" in hex, each at least two digits (as the PATH record has it). */
static size_t
dev_text(char *out, uint32_t major, uint32_t minor)
{
	size_t n = fc_fmt_uint(out, major, 16, 2);

	out[n++] = ':';
	return n + fc_fmt_uint(out + n, minor, 16, 2);
}

static void
json_path(struct fc_buf *b, const struct fc_path *pt)
{
	const char *nt = nametype_str(pt);
	bool first = true;
	char tmp[2 * FC_FMT_MAX];	/* dev_text's two numbers */

	fc_buf_addc(b, '{');
	if (pt->pt_item >= 0)
		fc_json_ki64(b, &first, "item", pt->pt_item);
	kfcstr(b, &first, "name", pt->pt_name);
	if (nt != NULL)
		fc_json_kstr(b, &first, "nametype", nt, strlen(nt));
	else
		kfcstr(b, &first, "nametype", pt->pt_nametype_raw);
	if (pt->pt_flags & FC_PT_INODE) {
		fc_json_ku64(b, &first, "inode", pt->pt_inode);
		fc_json_kstr(b, &first, "dev", tmp, dev_text(tmp,
		    pt->pt_dev_major, pt->pt_dev_minor));
		tmp[0] = '0';
		fc_json_kstr(b, &first, "mode", tmp,
		    1 + fc_fmt_uint(tmp + 1, pt->pt_mode, 8, 0));
		fc_json_ku64(b, &first, "ouid", pt->pt_ouid);
		fc_json_ku64(b, &first, "ogid", pt->pt_ogid);
	}
	if (pt->pt_flags & FC_PT_RDEV) {
		fc_json_kstr(b, &first, "rdev", tmp, dev_text(tmp,
		    pt->pt_rdev_major, pt->pt_rdev_minor));
	}
	fc_buf_addc(b, '}');
}

static void
json_paths(struct fc_buf *b, bool *first, const struct fc_event *ev)
{
	uint8_t i;

	if (ev->ev_npaths == 0)
		return;
	fc_json_key(b, first, "paths");
	fc_buf_addc(b, '[');
	for (i = 0; i < ev->ev_npaths; i++) {
		if (i > 0)
			fc_buf_addc(b, ',');
		json_path(b, &ev->ev_paths[i]);
	}
	fc_buf_addc(b, ']');
}

static void
json_sockaddr_body(struct fc_buf *b, bool *first, const struct fc_sockaddr *sa)
{
	char addr[INET6_ADDRSTRLEN], hex[260];
	uint32_t i;

	switch (sa->sa_kind) {
	case FC_SA_INET:
	case FC_SA_INET6:
		inet_ntop(sa->sa_kind == FC_SA_INET ? AF_INET : AF_INET6,
		    sa->sa_addr, addr, sizeof(addr));
		fc_json_kstr(b, first, "family",
		    sa->sa_kind == FC_SA_INET ? "inet" : "inet6",
		    sa->sa_kind == FC_SA_INET ? 4 : 5);
		fc_json_kstr(b, first, "addr", addr, strlen(addr));
		fc_json_ku64(b, first, "port", sa->sa_port);
		return;
	case FC_SA_UNIX:
		fc_json_kstr(b, first, "family", "unix", 4);
		fc_json_key(b, first, "path");
		if (sa->sa_abstract) {
			/* "@name" as ss(8) shows it; any NUL inside is kept. */
			char at[4096 + 2];
			size_t n = sa->sa_path.len < 4096 ? sa->sa_path.len : 4096;
			at[0] = '@';
			memcpy(at + 1, sa->sa_path.p, n);
			fc_json_str(b, at, n + 1);
		} else {
			fc_json_str(b, sa->sa_path.p, sa->sa_path.len);
		}
		return;
	case FC_SA_NETLINK:
		fc_json_kstr(b, first, "family", "netlink", 7);
		fc_json_ku64(b, first, "pid", sa->sa_nl_pid);
		fc_json_ku64(b, first, "groups", sa->sa_nl_groups);
		return;
	case FC_SA_PACKET:
		fc_json_kstr(b, first, "family", "packet", 6);
		fc_json_ku64(b, first, "protocol", sa->sa_pkt_protocol);
		fc_json_ki64(b, first, "ifindex", sa->sa_pkt_ifindex);
		return;
	default:
		fc_json_kstr(b, first, "family", "other", 5);
		fc_json_ku64(b, first, "family_nr", sa->sa_family);
		for (i = 0; i < sa->sa_raw.len && i < 128; i++)
			snprintf(hex + 2 * i, 3, "%02X",
			    (unsigned char)sa->sa_raw.p[i]);
		fc_json_kstr(b, first, "hex", hex, 2 * i);
		return;
	}
}

static void
json_sockaddr(struct fc_buf *b, bool *first, const struct fc_event *ev)
{
	bool f2 = true;

	if (ev->ev_sockaddr.sa_kind == FC_SA_NONE)
		return;
	fc_json_key(b, first, "sockaddr");
	fc_buf_addc(b, '{');
	json_sockaddr_body(b, &f2, &ev->ev_sockaddr);
	fc_buf_addc(b, '}');
}

static void
json_obj_pids(struct fc_buf *b, bool *first, const struct fc_event *ev)
{
	const struct fc_obj_pid *op;
	uint8_t i;
	bool f2;

	if (ev->ev_nobj_pids == 0)
		return;
	fc_json_key(b, first, "obj_pids");
	fc_buf_addc(b, '[');
	for (i = 0; i < ev->ev_nobj_pids; i++) {
		op = &ev->ev_obj_pids[i];
		f2 = true;
		fc_buf_add(b, i > 0 ? ",{" : "{", i > 0 ? 2 : 1);
		fc_json_ki64(b, &f2, "opid", op->op_pid);
		fc_json_ku64(b, &f2, "oauid", op->op_auid);
		fc_json_ku64(b, &f2, "ouid", op->op_uid);
		fc_json_ku64(b, &f2, "oses", op->op_ses);
		kfcstr(b, &f2, "ocomm", op->op_comm);
		fc_buf_addc(b, '}');
	}
	fc_buf_addc(b, ']');
}

/*
 * Whether field i repeats a key seen earlier in the same record.  Only the
 * JSON_DEDUP_WINDOW fields before it are compared, which bounds the work
 * on a hostile record with thousands of fields (a repeat further away is
 * then written twice: still valid JSON; most readers keep the last).
 */
#define JSON_DEDUP_WINDOW	64

static bool
field_dup(const struct fc_event *ev, uint32_t start, uint32_t i)
{
	const struct fc_field *f = &ev->ev_fields[i], *g;
	uint32_t j;

	if (i - start > JSON_DEDUP_WINDOW)
		start = i - JSON_DEDUP_WINDOW;
	for (j = start; j < i; j++) {
		g = &ev->ev_fields[j];
		if (g->f_key.len == f->f_key.len &&
		    memcmp(g->f_key.p, f->f_key.p, f->f_key.len) == 0)
			return true;
	}
	return false;
}

/* One {"type":..,"values":{..}} per record that left generic fields. */
static void
json_fields(struct fc_buf *b, bool *first, const struct fc_event *ev)
{
	uint32_t i = 0, start;
	const char *tn;
	char tmp[24];
	bool f2;

	if (ev->ev_nfields == 0)
		return;
	fc_json_key(b, first, "fields");
	fc_buf_addc(b, '[');
	while (i < ev->ev_nfields) {
		start = i;
		tn = aud_type_name(ev->ev_rec_types[ev->ev_fields[i].f_rec],
		    tmp, sizeof(tmp));
		fc_buf_adds(b, start > 0 ? ",{\"type\":" : "{\"type\":");
		fc_json_str(b, tn, strlen(tn));
		fc_buf_adds(b, ",\"values\":{");
		f2 = true;
		for (; i < ev->ev_nfields &&
		    ev->ev_fields[i].f_rec == ev->ev_fields[start].f_rec; i++) {
			const struct fc_field *f = &ev->ev_fields[i];
			if (field_dup(ev, start, i))
				continue;
			if (!f2)
				fc_buf_addc(b, ',');
			f2 = false;
			fc_json_str(b, f->f_key.p, f->f_key.len);
			fc_buf_addc(b, ':');
			if (f->f_val.p != NULL)
				fc_json_str(b, f->f_val.p, f->f_val.len);
			else
				fc_buf_adds(b, "null");
		}
		fc_buf_add(b, "}}", 2);
	}
	fc_buf_addc(b, ']');
}

void
aud_event_json(const struct fc_event *ev, struct fc_buf *b)
{
	bool first = true;

	fc_buf_addc(b, '{');
	json_time(b, &first, ev);
	kfcstr(b, &first, "node", ev->ev_node);
	fc_json_ku64(b, &first, "serial", ev->ev_serial);
	json_record_types(b, &first, ev);
	if (ev->ev_flags & FC_EV_SYSCALL)
		json_syscall(b, &first, ev);
	json_process(b, &first, ev);
	if (ev->ev_nkeys > 0) {
		fc_json_key(b, &first, "key");
		json_str_array(b, ev->ev_keys, ev->ev_nkeys);
	} else if (ev->ev_flags & FC_EV_SYSCALL) {
		fc_json_key(b, &first, "key");
		fc_buf_add(b, "[]", 2);
	}
	kfcstr(b, &first, "cwd", ev->ev_cwd);
	if (ev->ev_flags & FC_EV_EXECVE) {
		if (ev->ev_argc >= 0)
			fc_json_ki64(b, &first, "argc", ev->ev_argc);
		fc_json_key(b, &first, "argv");
		json_str_array(b, ev->ev_argv, ev->ev_nargv);
	}
	json_proctitle(b, &first, ev);
	json_paths(b, &first, ev);
	json_sockaddr(b, &first, ev);
	json_obj_pids(b, &first, ev);
	json_fields(b, &first, ev);
	if (ev->ev_flags & FC_EV_TRUNCATED)
		fc_json_kbool(b, &first, "truncated", true);
	fc_buf_addc(b, '}');
}
