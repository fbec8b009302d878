/*
 * cache.c - the container metadata cache (struct ctr_cache).
 *
 * Owns: a hash table of entries keyed by (runtime, full id), an LRU list
 * bounded by max_entries, and one reference to each entry's record.
 * Hands out new references to records (ctr_cache_get); the records are
 * immutable, so a reload replaces an entry's record and readers holding
 * the old one are unaffected.
 *
 * DESIGN.  One mutex guards the table.  A lookup that needs the files
 * (miss, expired, changed) drops the mutex while it reads them, then
 * publishes the result; two threads racing on the same container both
 * read and the later one's record wins, which is harmless.  Freshness:
 * a record is re-read when ctr_cache_invalidate() names it, when ttl_ms
 * has passed since it was read, or when, checked at most every check_ms,
 * one of the files it was read from changed (stat: inode, size, mtime) or
 * appeared/disappeared.  A container no file knew ("not found") is
 * looked for again after miss_ttl_ms, so metadata written just after the
 * container's first event shows up soon.
 */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/queue.h>
#include <time.h>

#include <curl/curl.h>

#include "container/container_int.h"

struct entry {
	LIST_ENTRY(entry) hash;
	TAILQ_ENTRY(entry) lru;
	enum ctr_runtime rt;
	char	id[CTR_ID_MAX + 1];
	const struct ctr_info *info;	/* one reference */
	uint64_t loaded_ms, checked_ms;
	struct ctr_src srcs[CTR_MAX_SRCS];
	size_t	nsrcs;
};

LIST_HEAD(bucket, entry);
TAILQ_HEAD(lru_list, entry);

struct ctr_cache {
	pthread_mutex_t lock;
	struct ctr_opts opts;
	struct ctr_paths paths;
	struct bucket *buckets;
	size_t	nbuckets;	/* power of two */
	struct lru_list lru;
	size_t	n;
	struct ctr_cache_stats st;
	bool	curl;
};

static uint64_t
mono_ms(void *arg)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static uint64_t
now(const struct ctr_cache *c)
{
	return c->opts.now_ms(c->opts.now_arg);
}

/* Explicit paths as given; defaults under root. */
static void
path_opt(char *dst, const char *root, const char *given, const char *def)
{
	if (given != NULL)
		ctr_pathf(dst, "%s", given);
	else
		ctr_pathf(dst, "%s%s", root, def);
}

static void
runc_roots(char *dst, const char *root, const char *given)
{
	if (given != NULL)
		ctr_pathf(dst, "%s", given);
	else
		ctr_pathf(dst, "%s/run/containerd/runc:%s/run/runc:"
		    "%s/run/docker/runtime-runc", root, root, root);
}

static void
resolve_paths(const struct ctr_opts *o, struct ctr_paths *p)
{
	const char *root = o->root != NULL ? o->root : "";

	snprintf(p->root, sizeof(p->root), "%s", root);
	path_opt(p->docker, root, o->docker_root, "/var/lib/docker");
	path_opt(p->containerd, root, o->containerd_tasks,
	    "/run/containerd/io.containerd.runtime.v2.task");
	path_opt(p->crio_run, root, o->crio_runroot, "/run/containers/storage");
	path_opt(p->storage, root, o->storage_root,
	    "/var/lib/containers/storage");
	path_opt(p->lxc, root, o->lxc_path, "/var/lib/lxc");
	runc_roots(p->runc, root, o->runc_roots);
	p->no_docker = o->no_docker;
	p->no_containerd = o->no_containerd;
	p->no_crio = o->no_crio;
	p->no_podman = o->no_podman;
	p->docker_api = o->docker_api;
	p->podman_api = o->podman_api;
	snprintf(p->docker_socket, PATH_MAX, "%s", o->docker_socket != NULL ?
	    o->docker_socket : "/var/run/docker.sock");
	snprintf(p->podman_socket, PATH_MAX, "%s", o->podman_socket != NULL ?
	    o->podman_socket : "/run/podman/podman.sock");
	p->api_timeout_ms = o->api_timeout_ms;
}

static void
set_defaults(struct ctr_opts *o)
{
	if (o->max_entries == 0)
		o->max_entries = 1024;
	if (o->ttl_ms == 0)
		o->ttl_ms = 60000;
	if (o->check_ms == 0)
		o->check_ms = 1000;
	if (o->miss_ttl_ms == 0)
		o->miss_ttl_ms = 1000;
	if (o->api_timeout_ms == 0)
		o->api_timeout_ms = 1000;
	if (o->now_ms == NULL)
		o->now_ms = mono_ms;
}

struct ctr_cache *
ctr_cache_new(const struct ctr_opts *opts)
{
	struct ctr_opts def = { 0 };
	struct ctr_cache *c = calloc(1, sizeof(*c));

	if (c == NULL)
		return NULL;
	c->opts = opts != NULL ? *opts : def;
	set_defaults(&c->opts);
	resolve_paths(&c->opts, &c->paths);
	for (c->nbuckets = 64; c->nbuckets < c->opts.max_entries &&
	    c->nbuckets < (1u << 20);)
		c->nbuckets *= 2;
	c->buckets = calloc(c->nbuckets, sizeof(*c->buckets));
	if (c->buckets == NULL || pthread_mutex_init(&c->lock, NULL) != 0) {
		free(c->buckets);
		free(c);
		return NULL;
	}
	TAILQ_INIT(&c->lru);
	if (c->opts.docker_api || c->opts.podman_api)
		c->curl = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
	return c;
}

static void
entry_free(struct ctr_cache *c, struct entry *e)
{
	LIST_REMOVE(e, hash);
	TAILQ_REMOVE(&c->lru, e, lru);
	ctr_info_unref(e->info);
	free(e);
	c->n--;
}

void
ctr_cache_free(struct ctr_cache *c)
{
	struct entry *e;

	if (c == NULL)
		return;
	while ((e = TAILQ_FIRST(&c->lru)) != NULL)
		entry_free(c, e);
	if (c->curl)
		curl_global_cleanup();
	pthread_mutex_destroy(&c->lock);
	free(c->buckets);
	free(c);
}

/* FNV-1a over the id: the runtime is not hashed, so invalidate finds all. */
static struct bucket *
bucket_of(struct ctr_cache *c, const char *id)
{
	uint32_t h = 2166136261u;

	for (const unsigned char *p = (const unsigned char *)id; *p; p++)
		h = (h ^ *p) * 16777619u;
	return &c->buckets[h & (c->nbuckets - 1)];
}

static struct entry *
lookup(struct ctr_cache *c, const struct ctr_id *id)
{
	struct entry *e;

	LIST_FOREACH(e, bucket_of(c, id->id), hash)
		if (e->rt == id->rt && strcmp(e->id, id->id) == 0)
			return e;
	return NULL;
}

/* Is the entry still good?  May stat its files (cheap, under the lock). */
static bool
fresh(struct ctr_cache *c, struct entry *e, uint64_t t)
{
	unsigned ttl = e->info->found ? c->opts.ttl_ms : c->opts.miss_ttl_ms;

	if (t - e->loaded_ms >= ttl)
		return false;
	if (!e->info->found || t - e->checked_ms < c->opts.check_ms)
		return true;
	e->checked_ms = t;
	return !ctr_srcs_changed(e->srcs, e->nsrcs);
}

static void
publish(struct ctr_cache *c, const struct ctr_id *id,
    const struct ctr_draft *d, const struct ctr_info *info, uint64_t t)
{
	struct entry *e = lookup(c, id);

	if (e == NULL) {
		if ((e = calloc(1, sizeof(*e))) == NULL)
			return;
		e->rt = id->rt;
		snprintf(e->id, sizeof(e->id), "%s", id->id);
		LIST_INSERT_HEAD(bucket_of(c, id->id), e, hash);
		TAILQ_INSERT_HEAD(&c->lru, e, lru);
		c->n++;
	} else {
		ctr_info_unref(e->info);
	}
	e->info = ctr_info_ref(info);
	e->loaded_ms = e->checked_ms = t;
	memcpy(e->srcs, d->srcs, sizeof(e->srcs));
	e->nsrcs = d->nsrcs;
	while (c->n > c->opts.max_entries) {
		entry_free(c, TAILQ_LAST(&c->lru, lru_list));
		c->st.evictions++;
	}
}

const struct ctr_info *
ctr_cache_get(struct ctr_cache *c, const struct ctr_id *id)
{
	const struct ctr_info *info;
	struct ctr_draft d;
	struct entry *e;
	uint64_t t;
	bool reload;

	if (id->rt == CTR_RT_HOST || id->id[0] == '\0')
		return ctr_info_host();
	pthread_mutex_lock(&c->lock);
	t = now(c);
	if ((e = lookup(c, id)) != NULL && fresh(c, e, t)) {
		TAILQ_REMOVE(&c->lru, e, lru);
		TAILQ_INSERT_HEAD(&c->lru, e, lru);
		c->st.hits++;
		info = ctr_info_ref(e->info);
		pthread_mutex_unlock(&c->lock);
		return info;
	}
	reload = e != NULL;
	pthread_mutex_unlock(&c->lock);

	ctr_draft_init(&d, id->rt);
	ctr_meta_load(&c->paths, id, &d);
	info = ctr_info_build(id, &d);

	pthread_mutex_lock(&c->lock);
	if (reload)
		c->st.reloads++;
	else
		c->st.misses++;
	c->st.api_calls += d.api_calls;
	c->st.api_errors += d.api_errors;
	if (info != NULL)
		publish(c, id, &d, info, t);
	pthread_mutex_unlock(&c->lock);
	ctr_draft_fini(&d);
	return info;
}

void
ctr_cache_invalidate(struct ctr_cache *c, const char *id)
{
	struct entry *e, *next;

	if (id == NULL)
		return;
	pthread_mutex_lock(&c->lock);
	for (e = LIST_FIRST(bucket_of(c, id)); e != NULL; e = next) {
		next = LIST_NEXT(e, hash);
		if (strcmp(e->id, id) == 0)
			entry_free(c, e);
	}
	pthread_mutex_unlock(&c->lock);
}

void
ctr_cache_stats(struct ctr_cache *c, struct ctr_cache_stats *out)
{
	pthread_mutex_lock(&c->lock);
	*out = c->st;
	out->entries = c->n;
	pthread_mutex_unlock(&c->lock);
}
