/*
 * procfs.c - bounded reads of /proc/PID/{stat,status,cmdline,exe,cwd,
 * cgroup,mountinfo} into a struct pfs_snap.
 *
 * Every read is relative to the table's root directory fd (the real
 * /proc, or a fixture tree in the tests), with O_CLOEXEC, into buffers
 * of a fixed size: a hostile process can make its cmdline or cgroup path
 * long, it never makes us read more than the caps.  ENOENT and ESRCH mean
 * "the process is gone", not an error.  The parsers take (buf, len) and
 * never read past it.  Owns the snapshot buffers; no state between calls.
 *
 * No feedback: reading /proc creates no proc connector event (no fork,
 * no exec), and falconet's own audit rules exclude its pid.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "proc/proc_int.h"

struct pfs_snap *
pfs_snap_new(uint32_t args_max, uint32_t cgroup_max)
{
	struct pfs_snap *s;

	if ((s = calloc(1, sizeof(*s))) == NULL)
		return NULL;
	s->argv_cap = args_max;
	s->cgroup_cap = cgroup_max;
	/* One more byte each: to tell "exactly full" from "cut". */
	s->argv = malloc((size_t)args_max + 1);
	s->cgroup = malloc((size_t)cgroup_max + 1);
	s->exepath = malloc(PFS_PATH_MAX);
	s->cwd = malloc(PFS_PATH_MAX);
	if (s->argv == NULL || s->cgroup == NULL || s->exepath == NULL ||
	    s->cwd == NULL) {
		pfs_snap_free(s);
		return NULL;
	}
	return s;
}

void
pfs_snap_free(struct pfs_snap *s)
{
	if (s == NULL)
		return;
	free(s->argv);
	free(s->cgroup);
	free(s->exepath);
	free(s->cwd);
	free(s);
}

/*
 * Read at most cap bytes of name in the process directory dfd.  Length,
 * or -errno.  A short read is the end: /proc's stat, status, cgroup (one
 * seq_file record) and cmdline return all they have in one read, and
 * that saves the read() that would return 0.
 */
static ssize_t
read_at(int dfd, const char *name, char *buf, size_t cap)
{
	size_t total = 0;
	ssize_t n;
	int fd, err;

	if ((fd = openat(dfd, name, O_RDONLY | O_CLOEXEC | O_NOCTTY)) < 0)
		return -errno;
	while (total < cap) {
		n = read(fd, buf + total, cap - total);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			err = errno;
			close(fd);
			return -err;
		}
		total += (size_t)n;
		if (n == 0 || (size_t)n < cap - (total - (size_t)n))
			break;
	}
	close(fd);
	return (ssize_t)total;
}

static ssize_t
link_at(int dfd, const char *name, char *buf, size_t cap)
{
	ssize_t n;

	if ((n = readlinkat(dfd, name, buf, cap - 1)) < 0)
		return -errno;
	buf[n] = '\0';
	return n;
}

/* The inode of a namespace link ("pid:[4026531836]"), 0 when unreadable. */
static uint64_t
pidns_at(int dfd, const char *name)
{
	char buf[64];
	uint64_t v = 0;
	const char *p;

	if (link_at(dfd, name, buf, sizeof(buf)) < 0 ||
	    strncmp(buf, "pid:[", 5) != 0)
		return 0;
	for (p = buf + 5; *p >= '0' && *p <= '9' && v < UINT64_MAX / 10; p++)
		v = v * 10 + (uint64_t)(*p - '0');
	return *p == ']' ? v : 0;
}

/* Unsigned decimal in [p, end); advances *pp.  false if none. */
static bool
parse_u64(const char **pp, const char *end, uint64_t *out)
{
	const char *p = *pp;
	uint64_t v = 0;

	if (p >= end || *p < '0' || *p > '9')
		return false;
	for (; p < end && *p >= '0' && *p <= '9'; p++) {
		if (v > (UINT64_MAX - 9) / 10)
			return false;
		v = v * 10 + (uint64_t)(*p - '0');
	}
	*pp = p;
	*out = v;
	return true;
}

static bool
parse_i64(const char **pp, const char *end, int64_t *out)
{
	bool neg = false;
	uint64_t v;

	if (*pp < end && **pp == '-') {
		neg = true;
		(*pp)++;
	}
	if (!parse_u64(pp, end, &v) || v > INT64_MAX)
		return false;
	*out = neg ? -(int64_t)v : (int64_t)v;
	return true;
}

/* Skip one space-separated field; false at the end. */
static bool
skip_field(const char **pp, const char *end)
{
	const char *p = *pp;

	while (p < end && *p == ' ')
		p++;
	if (p >= end)
		return false;
	while (p < end && *p != ' ')
		p++;
	*pp = p;
	return true;
}

static bool
next_num(const char **pp, const char *end, int64_t *out)
{
	while (*pp < end && **pp == ' ')
		(*pp)++;
	return parse_i64(pp, end, out);
}

/*
 * stat: "pid (comm) S ppid pgrp session tty_nr tpgid flags ... starttime"
 * The comm may hold spaces and parentheses: it ends at the last ')'.
 */
int
pfs_parse_stat(const char *buf, size_t len, struct pfs_snap *s)
{
	const char *end = buf + len, *open, *close = NULL, *p;
	int64_t v[6];
	size_t n, i;

	if ((open = memchr(buf, '(', len)) == NULL)
		return -EINVAL;
	for (p = open + 1; p < end; p++)
		if (*p == ')')
			close = p;
	if (close == NULL || close + 2 >= end)
		return -EINVAL;
	n = (size_t)(close - open - 1);
	if (n > PTREE_COMM_MAX - 1)
		n = PTREE_COMM_MAX - 1;
	memcpy(s->comm, open + 1, n);
	s->comm[n] = '\0';
	p = close + 2;
	s->state = *p++;
	/* ppid pgrp session tty_nr tpgid flags: fields 4..9 */
	for (i = 0; i < 6; i++)
		if (!next_num(&p, end, &v[i]))
			return -EINVAL;
	/* fields 10..21, then starttime (22) */
	for (i = 10; i < 22; i++)
		if (!skip_field(&p, end))
			return -EINVAL;
	while (p < end && *p == ' ')
		p++;
	if (!parse_u64(&p, end, &s->start_ticks))
		return -EINVAL;
	s->ppid = (pid_t)v[0];
	s->pgid = (pid_t)v[1];
	s->sid = (pid_t)v[2];
	s->tty = (uint32_t)v[3];
	s->kflags = (uint32_t)v[5];
	return 0;
}

/* The values after "Key:" on one status line, tab or space separated. */
static unsigned
line_nums(const char *p, const char *end, int64_t *out, unsigned max,
    bool hex)
{
	unsigned n = 0;
	uint64_t v;
	int d;

	while (p < end && n < max) {
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		if (p >= end)
			break;
		if (!hex) {
			if (!parse_i64(&p, end, &out[n]))
				break;
			n++;
			continue;
		}
		for (v = 0; p < end && *p != ' ' && *p != '\t'; p++) {
			if (*p >= '0' && *p <= '9')
				d = *p - '0';
			else if (*p >= 'a' && *p <= 'f')
				d = *p - 'a' + 10;
			else
				return n;
			v = (v << 4) | (uint64_t)d;
		}
		out[n++] = (int64_t)v;
	}
	return n;
}

static void
status_line(const char *p, const char *end, struct pfs_snap *s)
{
	static const struct { const char *key; int what; } keys[] = {
		{ "Uid:", 0 }, { "Gid:", 1 }, { "CapInh:", 2 },
		{ "CapPrm:", 3 }, { "CapEff:", 4 }, { "NSpid:", 5 },
		{ "NSpgid:", 6 }, { "NSsid:", 7 },
	};
	int64_t v[32];
	unsigned i, n, k;
	size_t kl;

	/* Most of the ~55 lines start with none of these letters. */
	if (p >= end || (*p != 'U' && *p != 'G' && *p != 'C' && *p != 'N'))
		return;
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		kl = strlen(keys[i].key);
		if ((size_t)(end - p) >= kl && memcmp(p, keys[i].key, kl) == 0)
			break;
	}
	if (i == sizeof(keys) / sizeof(keys[0]))
		return;
	n = line_nums(p + kl, end, v, 32, keys[i].what >= 2 &&
	    keys[i].what <= 4);
	if (n == 0)
		return;
	switch (keys[i].what) {
	case 0: case 1:
		if (n < 4)
			return;
		for (k = 0; k < 4; k++)
			(keys[i].what == 0 ? s->uid : s->gid)[k] = (uint32_t)v[k];
		break;
	case 2: s->cap_inh = (uint64_t)v[0]; break;
	case 3: s->cap_prm = (uint64_t)v[0]; break;
	case 4: s->cap_eff = (uint64_t)v[0]; s->has |= PFS_STATUS; break;
	/* The last NS value is the pid in the innermost namespace. */
	case 5: s->vpid = (pid_t)v[n - 1]; s->has |= PFS_NS; break;
	case 6: s->vpgid = (pid_t)v[n - 1]; break;
	case 7: s->vsid = (pid_t)v[n - 1]; break;
	}
}

void
pfs_parse_status(const char *buf, size_t len, struct pfs_snap *s)
{
	const char *p = buf, *end = buf + len, *nl;

	while (p < end) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		status_line(p, nl, s);
		p = nl + 1;
	}
}

static void
read_cmdline(int dfd, struct pfs_snap *s)
{
	ssize_t n = read_at(dfd, "cmdline", s->argv,
	    (size_t)s->argv_cap + 1);

	if (n < 0)
		return;
	s->argv_trunc = (size_t)n > s->argv_cap;
	if (s->argv_trunc)
		n = s->argv_cap;
	/* The kernel ends each argument with a NUL: drop the last one. */
	if (n > 0 && !s->argv_trunc && s->argv[n - 1] == '\0')
		n--;
	s->argv_len = (uint32_t)n;
	s->argv[n] = '\0';
	s->has |= PFS_CMDLINE;
}

static void
read_cgroup(int dfd, struct pfs_snap *s)
{
	ssize_t n = read_at(dfd, "cgroup", s->cgroup,
	    (size_t)s->cgroup_cap + 1);

	if (n < 0)
		return;
	s->cgroup_trunc = (size_t)n > s->cgroup_cap;
	if (s->cgroup_trunc)
		n = s->cgroup_cap;
	s->cgroup_len = (uint32_t)n;
	s->cgroup[n] = '\0';
	s->has |= PFS_CGROUP;
}

static void
snap_reset(struct pfs_snap *s)
{
	s->has = 0;
	s->comm[0] = '\0';
	s->vpid = s->vsid = s->vpgid = -1;
	s->cap_eff = s->cap_prm = s->cap_inh = 0;
	s->argv_len = s->exepath_len = s->cwd_len = s->cgroup_len = 0;
	s->argv_trunc = s->cgroup_trunc = false;
	s->exe_upper = PTREE_UNKNOWN;
}

/* The parts other than stat; dfd is the /proc/PID directory. */
static void
read_rest(int dfd, uint32_t what, struct pfs_snap *s)
{
	ssize_t n;

	if ((what & PFS_STATUS) && (n = read_at(dfd, "status", s->scratch,
	    sizeof(s->scratch))) > 0)
		pfs_parse_status(s->scratch, (size_t)n, s);
	if (what & PFS_CMDLINE)
		read_cmdline(dfd, s);
	if ((what & PFS_EXE) && (n = link_at(dfd, "exe", s->exepath,
	    PFS_PATH_MAX)) >= 0) {
		s->exepath_len = (uint32_t)n;
		s->has |= PFS_EXE;
	}
	if ((what & PFS_CWD) && (n = link_at(dfd, "cwd", s->cwd,
	    PFS_PATH_MAX)) >= 0) {
		s->cwd_len = (uint32_t)n;
		s->has |= PFS_CWD;
	}
	if (what & PFS_CGROUP)
		read_cgroup(dfd, s);
	if ((what & PFS_PIDNS) && (s->pidns = pidns_at(dfd, "ns/pid")) != 0)
		s->has |= PFS_PIDNS;
}

uint64_t
pfs_pidns(int rootfd, pid_t pid)
{
	char name[32];

	snprintf(name, sizeof(name), "%d/ns/pid", (int)pid);
	return pidns_at(rootfd, name);
}

int
pfs_snap_read(int rootfd, pid_t pid, uint32_t what, struct pfs_snap *s)
{
	char name[16];
	ssize_t n;
	int dfd;

	snap_reset(s);
	/* Look the pid up once, not once per file. */
	snprintf(name, sizeof(name), "%d", (int)pid);
	if ((dfd = openat(rootfd, name, O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0)
		return -errno;
	if ((n = read_at(dfd, "stat", s->scratch, PFS_STAT_MAX)) < 0) {
		close(dfd);
		return (int)n;
	}
	if (pfs_parse_stat(s->scratch, (size_t)n, s) < 0) {
		close(dfd);
		return -ESRCH;
	}
	s->has |= PFS_STAT;
	read_rest(dfd, what, s);
	close(dfd);
	if ((what & PFS_EXE_LAYER) && (s->has & PFS_EXE)) {
		s->exe_upper = pfs_exe_layer(rootfd, pid, s->exepath,
		    s->exepath_len);
		s->has |= PFS_EXE_LAYER;
	}
	return 0;
}
