/*
 * cgroup.c - container identity from /proc/PID/cgroup.
 *
 * Parses the text of the cgroup file (v1 "N:ctrls:path" lines and the v2
 * "0::path" line) into a struct ctr_id: runtime, full id, container.id,
 * containerd namespace, k8s pod uid and QoS.  Owns no state; the caller
 * owns the text and the result.  ctr_id_of_pid() adds the bounded read of
 * the file relative to a /proc dirfd.
 *
 * DESIGN.  Each path is split into components and walked from the leaf up;
 * the innermost component that names a container wins, so a process in a
 * sub-cgroup of a container (systemd inside it, podman's ".../container"
 * leaf, nested docker) still resolves to it.  Only runtime naming is
 * accepted: a prefix (docker-, cri-containerd-, crio-, libpod-, nerdctl-)
 * before 64 hex digits, the ":cri-containerd:<id>" form, a bare 64-hex
 * directory only under a parent that says who made it (docker,
 * actions_job, pod<uid> under kubepods, a known containerd namespace),
 * /<namespace>/<name> for the known containerd namespaces, the lxc forms
 * and machine.slice/machine-<name>.scope.  Any other hex, however long,
 * is not a container (fanotify-containers.md §3.2-3.5).  Runtime monitors
 * (conmon, lxc.monitor, nspawn's supervisor) are not containers either.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "container/container.h"

enum {
	MAX_COMPS = 128,	/* path components looked at (the deepest) */
};

/* A counted string inside the parsed text. */
struct span {
	const char *p;
	size_t	len;
};

enum match {
	M_NONE,		/* not a container component: keep walking up */
	M_FOUND,	/* *out filled */
	M_STOP,		/* a runtime monitor: this line is not a container */
};

static const char *const rt_names[CTR_RT_MAX] = {
	[CTR_RT_HOST] = "host",
	[CTR_RT_DOCKER] = "docker",
	[CTR_RT_CONTAINERD] = "containerd",
	[CTR_RT_CRIO] = "cri-o",
	[CTR_RT_PODMAN] = "podman",
	[CTR_RT_LXC] = "lxc",
	[CTR_RT_NSPAWN] = "systemd-nspawn",
};

/* containerd namespaces whose /<ns>/<id> cgroups ctr and nerdctl make. */
static const char *const ctr_namespaces[] = {
	"default", "k8s.io", "moby", "nerdctl", "buildkit",
};

/* Prefixes before a 64-hex id, longest first where they overlap. */
static const struct {
	const char *prefix;
	enum ctr_runtime rt;
	bool	monitor;	/* the runtime's monitor process, not a container */
} id_prefixes[] = {
	{ "libpod-conmon-", CTR_RT_PODMAN, true },
	{ "crio-conmon-", CTR_RT_CRIO, true },
	{ "libpod-payload-", CTR_RT_PODMAN, false },
	{ "libpod-", CTR_RT_PODMAN, false },
	{ "docker-", CTR_RT_DOCKER, false },
	{ "cri-containerd-", CTR_RT_CONTAINERD, false },
	{ "crio-", CTR_RT_CRIO, false },
	{ "nerdctl-", CTR_RT_CONTAINERD, false },
};

const char *
ctr_runtime_name(enum ctr_runtime rt)
{
	if ((unsigned)rt >= CTR_RT_MAX)
		return "unknown";
	return rt_names[rt];
}

static bool
sp_eq(struct span s, const char *lit)
{
	size_t n = strlen(lit);

	return s.len == n && memcmp(s.p, lit, n) == 0;
}

static bool
sp_prefix(struct span s, const char *lit)
{
	size_t n = strlen(lit);

	return s.len >= n && memcmp(s.p, lit, n) == 0;
}

static bool
sp_suffix(struct span s, const char *lit)
{
	size_t n = strlen(lit);

	return s.len >= n && memcmp(s.p + s.len - n, lit, n) == 0;
}

static struct span
sp_skip(struct span s, size_t n)
{
	return (struct span){ s.p + n, s.len - n };
}

static bool
is_hexc(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
	    (c >= 'A' && c <= 'F');
}

static bool
is_hex(struct span s)
{
	for (size_t i = 0; i < s.len; i++)
		if (!is_hexc(s.p[i]))
			return false;
	return true;
}

static bool
is_hex64(struct span s)
{
	return s.len == CTR_ID_MAX && is_hex(s);
}

/* A container name: lxc, nspawn, ctr ids.  [A-Za-z0-9._-], 1..64 chars. */
static bool
is_name(struct span s)
{
	if (s.len == 0 || s.len > CTR_ID_MAX)
		return false;
	for (size_t i = 0; i < s.len; i++) {
		char c = s.p[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-'))
			return false;
	}
	return s.p[0] != '.';
}

static void
set_host(struct ctr_id *out)
{
	memset(out, 0, sizeof(*out));
	out->rt = CTR_RT_HOST;
	strcpy(out->cid, "host");
}

static void
copy_span(char *dst, size_t size, struct span s)
{
	size_t n = s.len < size - 1 ? s.len : size - 1;

	memcpy(dst, s.p, n);
	dst[n] = '\0';
}

/* Fill *out with a container: 64-hex ids give a 12-char container.id. */
static enum match
found(struct ctr_id *out, enum ctr_runtime rt, struct span id)
{
	out->rt = rt;
	copy_span(out->id, sizeof(out->id), id);
	copy_span(out->cid, sizeof(out->cid), id);
	/* Falco's short id; ctr names are cut the same way (they can
	 * collide, as in Falco).  lxc and nspawn keep the whole name. */
	if (is_hex64(id) || rt == CTR_RT_CONTAINERD)
		out->cid[id.len < CTR_SHORT_ID ? id.len : CTR_SHORT_ID] = '\0';
	return M_FOUND;
}

/* "<x>:<runtime>:<64 hex>": containerd with SystemdCgroup=false. */
static enum match
match_colon(struct span c, struct ctr_id *out)
{
	const char *last = memrchr(c.p, ':', c.len);
	const char *prev;
	struct span id, rt;

	id = (struct span){ last + 1, c.len - (size_t)(last + 1 - c.p) };
	prev = memrchr(c.p, ':', (size_t)(last - c.p));
	if (prev == NULL || !is_hex64(id))
		return M_NONE;
	rt = (struct span){ prev + 1, (size_t)(last - prev - 1) };
	if (sp_eq(rt, "cri-containerd"))
		return found(out, CTR_RT_CONTAINERD, id);
	if (sp_eq(rt, "crio"))
		return found(out, CTR_RT_CRIO, id);
	if (sp_eq(rt, "docker"))
		return found(out, CTR_RT_DOCKER, id);
	return M_NONE;
}

static enum match
match_prefixed(struct span s, struct ctr_id *out)
{
	for (size_t i = 0; i < sizeof(id_prefixes) / sizeof(id_prefixes[0]);
	    i++) {
		struct span id;

		if (!sp_prefix(s, id_prefixes[i].prefix))
			continue;
		id = sp_skip(s, strlen(id_prefixes[i].prefix));
		if (!is_hex64(id))
			return M_NONE;
		if (id_prefixes[i].monitor)
			return M_STOP;
		return found(out, id_prefixes[i].rt, id);
	}
	return M_NONE;
}

static bool
is_ctr_namespace(struct span s)
{
	for (size_t i = 0;
	    i < sizeof(ctr_namespaces) / sizeof(ctr_namespaces[0]); i++)
		if (sp_eq(s, ctr_namespaces[i]))
			return true;
	return false;
}

/* A bare 64-hex directory: only under a parent that names its maker. */
static enum match
match_bare_hex(struct span c, const struct span *parent, bool kubepods,
    bool top, struct ctr_id *out)
{
	if (parent == NULL)
		return M_NONE;
	if (sp_eq(*parent, "docker") || sp_eq(*parent, "actions_job"))
		return found(out, CTR_RT_DOCKER, c);
	/* cgroupfs kubelet: /kubepods/[qos/]pod<uid>/<id>.  containerd is
	 * the likely runtime (cri-o says crio-); the metadata refines it. */
	if (kubepods && sp_prefix(*parent, "pod"))
		return found(out, CTR_RT_CONTAINERD, c);
	/* /<namespace>/<id>: what ctr and nerdctl make without --cgroup. */
	if (top && is_ctr_namespace(*parent)) {
		copy_span(out->ns, sizeof(out->ns), *parent);
		return found(out, CTR_RT_CONTAINERD, c);
	}
	return M_NONE;
}

/* machine-<escaped name>.scope: systemd escapes '-' in the name as \x2d. */
static enum match
match_nspawn(struct span c, struct ctr_id *out)
{
	struct span esc = { c.p + 8, c.len - 8 - 6 };
	char name[CTR_ID_MAX + 1];
	size_t n = 0;

	for (size_t i = 0; i < esc.len; i++) {
		char ch = esc.p[i];

		if (n >= CTR_ID_MAX)
			return M_NONE;
		if (ch == '\\' && i + 3 < esc.len && esc.p[i + 1] == 'x' &&
		    esc.p[i + 2] == '2' && esc.p[i + 3] == 'd') {
			ch = '-';
			i += 3;
		}
		name[n++] = ch;
	}
	name[n] = '\0';
	/* libvirt names its VMs and LXC domains machine-qemu-N-x, machine-lxc-N-x. */
	if (!is_name((struct span){ name, n }) || strncmp(name, "qemu-", 5) == 0 ||
	    strncmp(name, "lxc-", 4) == 0)
		return M_NONE;
	return found(out, CTR_RT_NSPAWN, (struct span){ name, n });
}

static enum match
match_named(struct span c, const struct span *parent, bool leaf_of_two,
    struct ctr_id *out)
{
	if (sp_prefix(c, "lxc.monitor."))
		return M_STOP;
	if (sp_prefix(c, "lxc.payload.") && is_name(sp_skip(c, 12)))
		return found(out, CTR_RT_LXC, sp_skip(c, 12));
	if (parent == NULL)
		return M_NONE;
	if ((sp_eq(*parent, "lxc") || sp_eq(*parent, "lxc.payload")) &&
	    is_name(c))
		return found(out, CTR_RT_LXC, c);
	if (sp_eq(*parent, "machine.slice") && sp_prefix(c, "machine-") &&
	    sp_suffix(c, ".scope") && c.len > 14)
		return match_nspawn(c, out);
	/* ctr/nerdctl without --cgroup: exactly /<namespace>/<id>. */
	if (leaf_of_two && is_ctr_namespace(*parent) && is_name(c) &&
	    !sp_suffix(c, ".slice") && !sp_suffix(c, ".scope") &&
	    !sp_suffix(c, ".service")) {
		copy_span(out->ns, sizeof(out->ns), *parent);
		return found(out, CTR_RT_CONTAINERD, c);
	}
	return M_NONE;
}

/* Component i of comps (n of them): is it a container's cgroup? */
static enum match
match_comp(const struct span *comps, size_t n, size_t i, bool kubepods,
    struct ctr_id *out)
{
	struct span c = comps[i], s = c;
	const struct span *parent = i > 0 ? &comps[i - 1] : NULL;
	enum match m;

	/* systemd-nspawn (v250+) runs itself in .../supervisor. */
	if (sp_eq(c, "supervisor") && parent != NULL &&
	    sp_prefix(*parent, "machine-"))
		return M_STOP;
	if (memchr(c.p, ':', c.len) != NULL)
		return match_colon(c, out);
	if (sp_suffix(s, ".scope"))
		s.len -= 6;
	if ((m = match_prefixed(s, out)) != M_NONE)
		return m;
	if (s.len == c.len && is_hex64(c))
		return match_bare_hex(c, parent, kubepods, i == 1, out);
	return match_named(c, parent, n == 2 && i == 1, out);
}

/* "<8>-<4>-<4>-<4>-<12>" hex, or 32 hex (static pods). */
static bool
is_pod_uid(const char *p, size_t len)
{
	static const size_t dashes[] = { 8, 13, 18, 23 };
	size_t d = 0;

	if (len == 32)
		return is_hex((struct span){ p, len });
	if (len != 36)
		return false;
	for (size_t i = 0; i < len; i++) {
		if (d < 4 && i == dashes[d]) {
			if (p[i] != '-' && p[i] != '_')
				return false;
			d++;
		} else if (!is_hexc(p[i])) {
			return false;
		}
	}
	return true;
}

static void
set_pod_uid(struct ctr_id *out, struct span uid)
{
	copy_span(out->pod_uid, sizeof(out->pod_uid), uid);
	for (char *q = out->pod_uid; *q != '\0'; q++)
		if (*q == '_')
			*q = '-';
}

static enum ctr_qos
qos_of(struct span s)
{
	if (sp_prefix(s, "burstable"))
		return CTR_QOS_BURSTABLE;
	if (sp_prefix(s, "besteffort"))
		return CTR_QOS_BESTEFFORT;
	return CTR_QOS_NONE;
}

/*
 * One component above the container: cgroupfs "burstable", "pod<uid>",
 * or systemd "kubepods-burstable-pod<uid_>.slice" (also the part before
 * ':' of the ":cri-containerd:" form).
 */
static void
pod_comp(struct span c, struct ctr_id *out)
{
	struct span s = c;

	if (sp_prefix(s, "kubepods-") && sp_suffix(s, ".slice")) {
		s = (struct span){ s.p + 9, s.len - 9 - 6 };
		if (qos_of(s) != CTR_QOS_NONE) {
			out->qos = qos_of(s);
			s = sp_skip(s, out->qos == CTR_QOS_BURSTABLE ? 9 : 10);
			if (s.len == 0)
				return;
			if (s.p[0] != '-')
				return;
			s = sp_skip(s, 1);
		}
	} else if (sp_eq(s, "burstable") || sp_eq(s, "besteffort")) {
		out->qos = qos_of(s);
		return;
	}
	if (sp_prefix(s, "pod") && is_pod_uid(s.p + 3, s.len - 3))
		set_pod_uid(out, sp_skip(s, 3));
}

static void
pod_info(const struct span *comps, size_t upto, struct ctr_id *out)
{
	struct span c;
	const char *colon;

	for (size_t j = 0; j <= upto; j++) {
		c = comps[j];
		if (j == upto) {
			colon = memchr(c.p, ':', c.len);
			if (colon == NULL)
				break;
			c.len = (size_t)(colon - c.p);
		}
		pod_comp(c, out);
	}
	if (out->pod_uid[0] != '\0' && out->qos == CTR_QOS_NONE)
		out->qos = CTR_QOS_GUARANTEED;
	if (out->pod_uid[0] == '\0')
		out->qos = CTR_QOS_NONE;
}

/* One cgroup path: 1 and *out filled when it names a container. */
static int
parse_path(struct span path, struct ctr_id *out)
{
	struct span comps[MAX_COMPS];
	size_t n = 0;
	bool kubepods = false;
	const char *p = path.p, *end = path.p + path.len;

	while (p < end) {
		const char *slash = memchr(p, '/', (size_t)(end - p));
		const char *e = slash != NULL ? slash : end;

		if (e > p) {
			/* Keep the deepest MAX_COMPS: the leaf matters most. */
			if (n == MAX_COMPS) {
				memmove(comps, comps + 1,
				    (MAX_COMPS - 1) * sizeof(comps[0]));
				n--;
			}
			comps[n++] = (struct span){ p, (size_t)(e - p) };
			if (sp_prefix(comps[n - 1], "kubepods"))
				kubepods = true;
		}
		p = e + 1;
	}
	for (size_t i = n; i-- > 0;) {
		struct ctr_id tmp;
		enum match m;

		set_host(&tmp);
		m = match_comp(comps, n, i, kubepods, &tmp);
		if (m == M_STOP)
			return 0;
		if (m == M_FOUND) {
			if (kubepods)
				pod_info(comps, i, &tmp);
			*out = tmp;
			return 1;
		}
	}
	return 0;
}

/* "hier:controllers:path": the path is everything after the second ':'. */
static bool
line_path(const char *line, size_t len, struct span *path)
{
	const char *c1 = memchr(line, ':', len), *c2;

	if (c1 == NULL)
		return false;
	c2 = memchr(c1 + 1, ':', len - (size_t)(c1 + 1 - line));
	if (c2 == NULL)
		return false;
	*path = (struct span){ c2 + 1, len - (size_t)(c2 + 1 - line) };
	return path->len > 0 && path->p[0] == '/';
}

int
ctr_parse_cgroup(const char *text, size_t len, struct ctr_id *out)
{
	const char *p, *end;

	if (out == NULL || (text == NULL && len > 0))
		return -EINVAL;
	set_host(out);
	for (p = text, end = text + len; p < end;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t ll = (size_t)((nl != NULL ? nl : end) - p);
		struct span path;

		if (ll > 0 && p[ll - 1] == '\r')
			ll--;
		if (line_path(p, ll, &path) && parse_path(path, out) == 1)
			return CTR_CONTAINER;
		p = nl != NULL ? nl + 1 : end;
	}
	return CTR_HOST;
}

/* Read at most max bytes of dirfd/path; the length, or -errno. */
static ssize_t
read_capped(int dirfd, const char *path, char *buf, size_t max)
{
	int fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	size_t off = 0;
	ssize_t n;

	if (fd < 0)
		return -errno;
	while (off < max) {
		n = read(fd, buf + off, max - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			n = -errno;
			close(fd);
			return n;
		}
		if (n == 0)
			break;
		off += (size_t)n;
	}
	close(fd);
	return (ssize_t)off;
}

/*
 * NSpid in PID/status lists the pid in each pid namespace from the one of
 * this /proc's mount down: more than one entry means a child namespace.
 * Kernels before 4.1 have no NSpid: compare the ns/pid inodes with pid 1's
 * (or, where pid 1's is not readable, our own).
 */
static bool
in_child_pidns(int procfd, pid_t pid)
{
	char path[32], buf[4096], *p;
	struct stat mine, ref;
	ssize_t n;
	int fields = 0;

	snprintf(path, sizeof(path), "%d/status", (int)pid);
	n = read_capped(procfd, path, buf, sizeof(buf) - 1);
	if (n > 0) {
		buf[n] = '\0';
		if ((p = strstr(buf, "\nNSpid:")) != NULL) {
			for (p += 7; *p != '\0' && *p != '\n';) {
				p += strspn(p, " \t");
				if (*p == '\0' || *p == '\n')
					break;
				fields++;
				p += strcspn(p, " \t\n");
			}
			return fields > 1;
		}
	}
	snprintf(path, sizeof(path), "%d/ns/pid", (int)pid);
	if (fstatat(procfd, path, &mine, 0) != 0)
		return false;
	if (fstatat(procfd, "1/ns/pid", &ref, 0) != 0 &&
	    fstatat(procfd, "self/ns/pid", &ref, 0) != 0)
		return false;
	return mine.st_ino != ref.st_ino || mine.st_dev != ref.st_dev;
}

int
ctr_id_of_pid(int procfd, pid_t pid, struct ctr_id *out)
{
	char path[32];
	char *buf;
	ssize_t n;
	int rc;

	if (out == NULL || pid <= 0)
		return -EINVAL;
	set_host(out);
	snprintf(path, sizeof(path), "%d/cgroup", (int)pid);
	if ((buf = malloc(CTR_CGROUP_MAX)) == NULL)
		return -ENOMEM;
	n = read_capped(procfd, path, buf, CTR_CGROUP_MAX);
	if (n == -ENOENT || n == -ESRCH) {
		free(buf);
		return -ESRCH;
	}
	if (n < 0) {
		free(buf);
		return (int)n;
	}
	/* At the cap the last line may be cut: a cut path could name a
	 * different cgroup, so drop it. */
	if (n == CTR_CGROUP_MAX) {
		char *nl = memrchr(buf, '\n', (size_t)n);

		n = nl != NULL ? nl - buf : 0;
	}
	rc = ctr_parse_cgroup(buf, (size_t)n, out);
	free(buf);
	out->pidns_child = in_child_pidns(procfd, pid);
	return rc;
}
