/*
 * procfs_layer.c - proc.is_exe_upper_layer from /proc/PID/mountinfo.
 *
 * The executable's mount is the mountinfo line whose mount point is the
 * longest prefix of the exe path (the later line wins a tie: it is
 * mounted on top).  When that mount is overlayfs with an upperdir, the
 * file is in the upper layer iff upperdir/ROOT/RELPATH exists, ROOT
 * being the mount's root within the file system (field 4) and RELPATH
 * the exe path below the mount point.  Only fstatat(AT_SYMLINK_NOFOLLOW)
 * touches the upper directory: nothing is opened, so no fanotify or
 * audit open event comes back to us.  mountinfo is read whole, at most
 * PFS_MOUNTINFO_MAX bytes (more: unknown).  Owns nothing across calls.
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

struct mnt {
	char		 point[PFS_PATH_MAX];	/* unescaped */
	char		 root[PFS_PATH_MAX];
	char		 upper[PFS_PATH_MAX];	/* "" when not overlay/upper */
	size_t		 plen;
};

/* Copy field [p, end) unescaping \NNN octal; false if it does not fit. */
static bool
unescape(const char *p, const char *end, char *out, size_t cap)
{
	size_t n = 0;

	while (p < end) {
		char c = *p++;

		if (c == '\\' && end - p >= 3 && p[0] >= '0' && p[0] <= '3' &&
		    p[1] >= '0' && p[1] <= '7' && p[2] >= '0' && p[2] <= '7') {
			c = (char)((p[0] - '0') * 64 + (p[1] - '0') * 8 +
			    (p[2] - '0'));
			p += 3;
		}
		if (n + 1 >= cap)
			return false;
		out[n++] = c;
	}
	out[n] = '\0';
	return true;
}

/* Field i (0-based, space-separated) of [p, end). */
static bool
field(const char *p, const char *end, unsigned i, const char **fs,
    const char **fe)
{
	for (;;) {
		const char *s = p;

		while (p < end && *p != ' ')
			p++;
		if (i-- == 0) {
			*fs = s;
			*fe = p;
			return true;
		}
		if (p >= end)
			return false;
		p++;
	}
}

/* Is mount point mp (length ml) a path prefix of path? */
static bool
is_prefix(const char *mp, size_t ml, const char *path, size_t len)
{
	if (ml == 1 && mp[0] == '/')
		return true;
	return ml <= len && memcmp(mp, path, ml) == 0 &&
	    (ml == len || path[ml] == '/');
}

/* The upperdir= value of overlay super options [p, end), into out. */
static void
upperdir(const char *p, const char *end, char *out, size_t cap)
{
	const char *v, *e;

	out[0] = '\0';
	for (; p < end; p = e + 1) {
		if ((e = memchr(p, ',', (size_t)(end - p))) == NULL)
			e = end;
		if ((size_t)(e - p) > 9 && memcmp(p, "upperdir=", 9) == 0) {
			v = p + 9;
			if (!unescape(v, e, out, cap))
				out[0] = '\0';
			return;
		}
	}
}

/* Parse one line into m when its mount point is a better match. */
static void
consider(const char *p, const char *end, const char *path, size_t len,
    struct mnt *m, char *tmp)
{
	const char *fs, *fe, *sep;
	size_t tl;

	if (!field(p, end, 4, &fs, &fe) ||
	    !unescape(fs, fe, tmp, PFS_PATH_MAX))
		return;
	tl = strlen(tmp);
	if (!is_prefix(tmp, tl, path, len) || (m->point[0] != '\0' &&
	    tl < m->plen))
		return;
	memcpy(m->point, tmp, tl + 1);
	m->plen = tl;
	m->root[0] = m->upper[0] = '\0';
	if (field(p, end, 3, &fs, &fe))
		(void)unescape(fs, fe, m->root, sizeof(m->root));
	/* After the optional fields: " - fstype source superopts". */
	if ((sep = strstr(p, " - ")) == NULL || sep >= end)
		return;
	sep += 3;
	if (!field(sep, end, 0, &fs, &fe) || (size_t)(fe - fs) != 7 ||
	    memcmp(fs, "overlay", 7) != 0 || !field(sep, end, 2, &fs, &fe))
		return;
	upperdir(fs, fe, m->upper, sizeof(m->upper));
}

/* mountinfo whole, in a buffer grown from 16 KiB up to the cap. */
static char *
read_mountinfo(int rootfd, pid_t pid, size_t *lenp)
{
	char path[48], *buf = NULL, *nb;
	size_t len = 0, cap = 0;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%d/mountinfo", (int)pid);
	if ((fd = openat(rootfd, path, O_RDONLY | O_CLOEXEC)) < 0)
		return NULL;
	for (;;) {
		if (len == cap) {
			cap = cap == 0 ? 16384 : cap * 2;
			if (cap > PFS_MOUNTINFO_MAX + 1 ||
			    (nb = realloc(buf, cap)) == NULL)
				goto fail;
			buf = nb;
		}
		n = read(fd, buf + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			goto fail;
		if (n == 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	if (len == 0 || len == cap) {
		free(buf);
		return NULL;
	}
	buf[len] = '\0';
	*lenp = len;
	return buf;
fail:
	close(fd);
	free(buf);
	return NULL;
}

static int8_t
check_upper(const struct mnt *m, const char *path, size_t len)
{
	char full[PFS_PATH_MAX];
	const char *rel = path + (m->plen == 1 ? 0 : m->plen);
	const char *root = strcmp(m->root, "/") == 0 ? "" : m->root;
	struct stat st;
	int n;

	(void)len;
	n = snprintf(full, sizeof(full), "%s%s%s", m->upper, root, rel);
	if (n < 0 || (size_t)n >= sizeof(full))
		return PTREE_UNKNOWN;
	if (fstatat(AT_FDCWD, full, &st, AT_SYMLINK_NOFOLLOW) == 0)
		return PTREE_YES;
	return errno == ENOENT || errno == ENOTDIR ? PTREE_NO : PTREE_UNKNOWN;
}

int8_t
pfs_exe_layer(int rootfd, pid_t pid, const char *exepath, size_t len)
{
	struct mnt *m;
	char *buf, *tmp, *p, *end, *nl;
	size_t blen;
	int8_t r = PTREE_UNKNOWN;

	if (len == 0 || exepath[0] != '/' ||
	    (buf = read_mountinfo(rootfd, pid, &blen)) == NULL)
		return PTREE_UNKNOWN;
	m = calloc(1, sizeof(*m));
	tmp = malloc(PFS_PATH_MAX);
	if (m != NULL && tmp != NULL) {
		for (p = buf, end = buf + blen; p < end; p = nl + 1) {
			if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
				nl = end;
			*nl = '\0';
			consider(p, nl, exepath, len, m, tmp);
		}
		if (m->point[0] != '\0')
			r = m->upper[0] == '\0' ? PTREE_NO :
			    check_upper(m, exepath, len);
	}
	free(tmp);
	free(m);
	free(buf);
	return r;
}
