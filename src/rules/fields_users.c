/*
 * fields_users.c - uid/gid to names from passwd and group files.
 *
 * A small cache: each file is read whole (at most FLD_USERS_MAX_BYTES,
 * FLD_USERS_MAX entries; the rest is ignored), split in place, and
 * indexed by id.  Like getpwuid(), the first entry of an id wins.  Loaded
 * on first use and again after fld_users_reload().  Owns the file buffers
 * and the index.  Not thread-safe: one per thread, or load it (any
 * lookup) before sharing it read-only.
 *
 * Falco resolves names inside the process's root (/proc/PID/root/etc/
 * passwd); this reads the configured files (host view) until the process
 * table can tell us the root.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rules/fields_int.h"

struct ent {
	uint32_t	 id;
	uint32_t	 line;		/* tie-break: first entry wins */
	const char	*name, *home, *shell;
};

struct table {
	char		*buf;
	struct ent	*ents;
	size_t		 n;
};

struct fld_users {
	char		*paths[2];	/* passwd, group */
	bool		 loaded;
	struct table	 t[2];
};

static char *
read_capped(const char *path, size_t *len)
{
	char *buf;
	ssize_t r;
	size_t off = 0;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return NULL;
	if ((buf = malloc(FLD_USERS_MAX_BYTES + 1)) == NULL) {
		close(fd);
		return NULL;
	}
	while (off < FLD_USERS_MAX_BYTES) {
		r = read(fd, buf + off, FLD_USERS_MAX_BYTES - off);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		off += (size_t)r;
	}
	close(fd);
	buf[off] = '\0';
	*len = off;
	return buf;
}

/* Split "a:b:c" in place into at most n fields; returns the count. */
static int
split(char *line, char **f, int n)
{
	int i = 0;

	f[i++] = line;
	for (; *line != '\0' && i < n; line++)
		if (*line == ':') {
			*line = '\0';
			f[i++] = line + 1;
		}
	return i;
}

static bool
parse_id(const char *s, uint32_t *id)
{
	char *end;
	unsigned long v;

	if (*s < '0' || *s > '9')
		return false;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (*end != '\0' || errno != 0 || v > UINT32_MAX)
		return false;
	*id = (uint32_t)v;
	return true;
}

static int
ent_cmp(const void *a, const void *b)
{
	const struct ent *x = a, *y = b;

	if (x->id != y->id)
		return x->id < y->id ? -1 : 1;
	return x->line < y->line ? -1 : x->line > y->line;
}

/* passwd: name:pw:uid:gid:gecos:home:shell; group: name:pw:gid:members. */
static void
table_load(struct table *t, const char *path, bool passwd)
{
	char *p, *nl, *f[7];
	size_t len, cap = 64;
	uint32_t line = 0;

	if ((t->buf = read_capped(path, &len)) == NULL ||
	    (t->ents = calloc(cap, sizeof(*t->ents))) == NULL)
		return;
	for (p = t->buf; *p != '\0' && t->n < FLD_USERS_MAX; p = nl + 1) {
		if ((nl = strchr(p, '\n')) == NULL)
			nl = p + strlen(p) - 1;
		else
			*nl = '\0';
		line++;
		if (split(p, f, 7) < (passwd ? 7 : 3) ||
		    !parse_id(f[2], &t->ents[t->n].id))
			continue;
		t->ents[t->n].line = line;
		t->ents[t->n].name = f[0];
		t->ents[t->n].home = passwd ? f[5] : NULL;
		t->ents[t->n].shell = passwd ? f[6] : NULL;
		if (++t->n == cap) {
			struct ent *ne = realloc(t->ents, 2 * cap * sizeof(*ne));

			if (ne == NULL)
				break;
			t->ents = ne;
			cap *= 2;
		}
	}
	qsort(t->ents, t->n, sizeof(*t->ents), ent_cmp);
}

static void
table_free(struct table *t)
{
	free(t->buf);
	free(t->ents);
	memset(t, 0, sizeof(*t));
}

struct fld_users *
fld_users_new(const char *passwd_path, const char *group_path)
{
	struct fld_users *u = calloc(1, sizeof(*u));

	if (u == NULL)
		return NULL;
	u->paths[0] = strdup(passwd_path != NULL ? passwd_path : "/etc/passwd");
	u->paths[1] = strdup(group_path != NULL ? group_path : "/etc/group");
	if (u->paths[0] == NULL || u->paths[1] == NULL) {
		fld_users_free(u);
		return NULL;
	}
	return u;
}

void
fld_users_free(struct fld_users *u)
{
	if (u == NULL)
		return;
	table_free(&u->t[0]);
	table_free(&u->t[1]);
	free(u->paths[0]);
	free(u->paths[1]);
	free(u);
}

void
fld_users_reload(struct fld_users *u)
{
	table_free(&u->t[0]);
	table_free(&u->t[1]);
	u->loaded = false;
}

/* The first entry with this id (the table is sorted by id, then line). */
const char *
fld_users_lookup(struct fld_users *u, bool group, uint32_t id, int field)
{
	struct table *t;
	size_t lo = 0, hi, mid;

	if (u == NULL)
		return NULL;
	if (!u->loaded) {
		table_load(&u->t[0], u->paths[0], true);
		table_load(&u->t[1], u->paths[1], false);
		u->loaded = true;
	}
	t = &u->t[group ? 1 : 0];
	hi = t->n;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (t->ents[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == t->n || t->ents[lo].id != id)
		return NULL;
	return field == 0 ? t->ents[lo].name :
	    field == 1 ? t->ents[lo].home : t->ents[lo].shell;
}
