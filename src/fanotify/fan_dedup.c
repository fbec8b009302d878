/*
 * fan_dedup.c - "has this operation been reported already?": a fixed
 * open-addressing table of 64-bit keys with the time each was last noted.
 *
 * Keys are hashes of (pid, class, dev, inode) and of (pid, class,
 * absolute path); an event gives the keys of its PATH items, by role:
 * the open family's main path is OPEN (plus CREATE for its CREATE item),
 * execve's first path EXEC, DELETE items DELETE, CREATE items CREATE.
 * Audit and fanotify events of one operation share at least one key:
 * the inode when both know it (audit PATH records carry it, fanotify
 * fstat()s its event fd), else the path (audit's name joined with its
 * CWD and normalised; fanotify's is canonical already, so a path through
 * a symlink matches only by inode, and a miss means a duplicate alert,
 * never a lost one).  A 64-bit hash collision could hide one fanotify
 * event; with the short window that is negligible.
 *
 * Bounded: the table never grows.  A key is looked for in a run of
 * PROBE slots; a full run evicts its oldest entry (counted).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "core/event.h"
#include "fanotify/fan_int.h"

enum { PROBE = 8, MAX_KEYS = 8 };

struct fan_dedup_ent {
	uint64_t	 key;		/* 0: empty */
	uint64_t	 t_ms;
};

struct fan_dedup {
	struct fan_dedup_ent *tab;
	size_t		 mask;		/* capacity - 1 (a power of two) */
	uint64_t	 window_ms;
	size_t		 used;
	struct fan_dedup_stats st;
};

/* ---- Keys -------------------------------------------------------------- */

/* splitmix64 finaliser: cheap and well mixed. */
static uint64_t
mix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ull;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

static uint64_t
nonzero(uint64_t k)
{
	return k != 0 ? k : 1;
}

uint64_t
fan_dedup_key_ino(int32_t pid, enum fan_dclass c, uint32_t dev_major,
    uint32_t dev_minor, uint64_t ino)
{
	uint64_t h = mix(((uint64_t)(uint32_t)pid << 8) | (uint64_t)c);

	h = mix(h ^ (((uint64_t)dev_major << 32) | dev_minor));
	return nonzero(mix(h ^ ino));
}

uint64_t
fan_dedup_key_path(int32_t pid, enum fan_dclass c, const char *path,
    size_t len)
{
	uint64_t h = 0xcbf29ce484222325ull;	/* FNV-1a, then mixed */
	size_t i;

	for (i = 0; i < len; i++)
		h = (h ^ (uint8_t)path[i]) * 0x100000001b3ull;
	h = mix(h ^ 0x70617468ull);
	return nonzero(mix(h ^ (((uint64_t)(uint32_t)pid << 8) | (uint64_t)c)));
}

/* Lexical normalisation ("//", ".", ".."), as the rule engine's fd.name. */
static size_t
normalize(char *p, size_t len)
{
	size_t in = 0, out = 0, seg;

	while (in < len) {
		while (in < len && p[in] == '/')
			in++;
		seg = in;
		while (in < len && p[in] != '/')
			in++;
		if (in == seg || (in - seg == 1 && p[seg] == '.'))
			continue;
		if (in - seg == 2 && p[seg] == '.' && p[seg + 1] == '.') {
			while (out > 0 && p[--out] != '/')
				;
			continue;
		}
		p[out++] = '/';
		memmove(p + out, p + seg, in - seg);
		out += in - seg;
	}
	if (out == 0)
		p[out++] = '/';
	return out;
}

/* Absolute form of a PATH name (joined with the CWD record), or 0. */
static size_t
abs_path(const struct fc_event *ev, const struct fc_str *n, char *buf,
    size_t sz)
{
	size_t len;

	if (n->p == NULL || n->len == 0)
		return 0;
	if (n->p[0] == '/') {
		if (n->len >= sz)
			return 0;
		memcpy(buf, n->p, n->len);
		len = n->len;
	} else {
		if (ev->ev_cwd.p == NULL || ev->ev_cwd.len == 0 ||
		    ev->ev_cwd.p[0] != '/' || ev->ev_cwd.len + 1 + n->len >= sz)
			return 0;
		memcpy(buf, ev->ev_cwd.p, ev->ev_cwd.len);
		buf[ev->ev_cwd.len] = '/';
		memcpy(buf + ev->ev_cwd.len + 1, n->p, n->len);
		len = ev->ev_cwd.len + 1 + n->len;
	}
	return normalize(buf, len);
}

struct keys {
	uint64_t	 k[MAX_KEYS];
	int		 n;
};

static void
path_keys(const struct fc_event *ev, const struct fc_path *pt,
    enum fan_dclass c, struct keys *ks)
{
	char buf[4096 + 1024];
	size_t len;

	if (ks->n + 2 > MAX_KEYS)
		return;
	if (pt->pt_flags & FC_PT_INODE)
		ks->k[ks->n++] = fan_dedup_key_ino(ev->ev_pid, c,
		    pt->pt_dev_major, pt->pt_dev_minor, pt->pt_inode);
	if ((len = abs_path(ev, &pt->pt_name, buf, sizeof(buf))) > 0)
		ks->k[ks->n++] = fan_dedup_key_path(ev->ev_pid, c, buf, len);
}

static bool
is_one_of(const char *n, const char *const *list)
{
	for (; *list != NULL; list++)
		if (strcmp(n, *list) == 0)
			return true;
	return false;
}

static void
event_keys(const struct fc_event *ev, struct keys *ks)
{
	static const char *const opens[] = { "open", "openat", "openat2",
		"creat", "open_by_handle_at", NULL };
	static const char *const execs[] = { "execve", "execveat", NULL };
	const char *sc = ev->ev_syscall_name;
	bool open = sc != NULL && is_one_of(sc, opens);
	bool exec = sc != NULL && is_one_of(sc, execs);
	bool main_done = false;
	uint8_t i;

	ks->n = 0;
	for (i = 0; i < ev->ev_npaths; i++) {
		const struct fc_path *pt = &ev->ev_paths[i];

		if (pt->pt_nametype == FC_NT_DELETE)
			path_keys(ev, pt, FAN_DC_DELETE, ks);
		else if (pt->pt_nametype == FC_NT_CREATE)
			path_keys(ev, pt, FAN_DC_CREATE, ks);
		if ((open || exec) && !main_done &&
		    pt->pt_nametype != FC_NT_PARENT) {
			path_keys(ev, pt, exec ? FAN_DC_EXEC : FAN_DC_OPEN, ks);
			main_done = true;
		}
	}
}

/* ---- Table ------------------------------------------------------------- */

struct fan_dedup *
fan_dedup_new(size_t capacity, unsigned window_ms)
{
	struct fan_dedup *d = calloc(1, sizeof(*d));
	size_t cap = PROBE;

	if (d == NULL)
		return NULL;
	while (cap < capacity && cap < ((size_t)1 << 30))
		cap <<= 1;
	if ((d->tab = calloc(cap, sizeof(*d->tab))) == NULL) {
		free(d);
		return NULL;
	}
	d->mask = cap - 1;
	d->window_ms = window_ms;
	d->st.capacity = cap;
	return d;
}

void
fan_dedup_free(struct fan_dedup *d)
{
	if (d == NULL)
		return;
	free(d->tab);
	free(d);
}

static bool
fresh(const struct fan_dedup *d, const struct fan_dedup_ent *e, uint64_t now)
{
	return e->key != 0 && now - e->t_ms <= d->window_ms;
}

void
fan_dedup_note_key(struct fan_dedup *d, uint64_t key, uint64_t now_ms)
{
	struct fan_dedup_ent *e, *slot = NULL, *oldest = NULL;
	size_t i;

	d->st.notes++;
	for (i = 0; i < PROBE; i++) {
		e = &d->tab[(key + i) & d->mask];
		if (e->key == key) {
			e->t_ms = now_ms;
			return;
		}
		if (slot == NULL && !fresh(d, e, now_ms))
			slot = e;
		if (oldest == NULL || e->t_ms < oldest->t_ms)
			oldest = e;
	}
	if (slot == NULL) {
		slot = oldest;
		d->st.evictions++;
	}
	if (slot->key == 0)
		d->used++;
	slot->key = key;
	slot->t_ms = now_ms;
}

bool
fan_dedup_seen_key(struct fan_dedup *d, uint64_t key, uint64_t now_ms)
{
	size_t i;

	for (i = 0; i < PROBE; i++) {
		struct fan_dedup_ent *e = &d->tab[(key + i) & d->mask];

		if (e->key == key)
			return fresh(d, e, now_ms);
	}
	return false;
}

int
fan_dedup_note(struct fan_dedup *d, const struct fc_event *ev,
    uint64_t now_ms)
{
	struct keys ks;
	int i;

	event_keys(ev, &ks);
	for (i = 0; i < ks.n; i++)
		fan_dedup_note_key(d, ks.k[i], now_ms);
	return ks.n;
}

bool
fan_dedup_seen(struct fan_dedup *d, const struct fc_event *ev,
    uint64_t now_ms)
{
	struct keys ks;
	int i;

	event_keys(ev, &ks);
	for (i = 0; i < ks.n; i++)
		if (fan_dedup_seen_key(d, ks.k[i], now_ms)) {
			d->st.hits++;
			return true;
		}
	d->st.misses++;
	return false;
}

void
fan_dedup_stats(const struct fan_dedup *d, struct fan_dedup_stats *st)
{
	*st = d->st;
	st->used = d->used;
}
