/*
 * info.c - the published container record (struct ctr_info): built once
 * from a draft, immutable, refcounted, freed by the last unref; image
 * reference splitting; the draft's helpers.
 *
 * A record is one allocation: a header with the atomic refcount, the
 * public struct, then its strings.  The host record is static.
 */
#include "config.h"

#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "container/container_int.h"

struct info_box {
	atomic_uint ref;
	bool	is_static;
	struct ctr_info info;
	char	strings[];
};

static struct info_box host_box = {
	.is_static = true,
	.info = {
		.rt = CTR_RT_HOST,
		.id = "",
		.cid = "host",
		.name = "host",
		.privileged = -1,
		.found = true,
		.source = "cgroup",
	},
};

static struct info_box *
box_of(const struct ctr_info *ci)
{
	return (struct info_box *)((char *)(uintptr_t)ci -
	    offsetof(struct info_box, info));
}

const struct ctr_info *
ctr_info_host(void)
{
	return &host_box.info;
}

const struct ctr_info *
ctr_info_ref(const struct ctr_info *ci)
{
	struct info_box *b;

	if (ci == NULL)
		return NULL;
	b = box_of(ci);
	if (!b->is_static)
		atomic_fetch_add_explicit(&b->ref, 1, memory_order_relaxed);
	return ci;
}

const struct ctr_info *
ctr_info_unref(const struct ctr_info *ci)
{
	struct info_box *b;

	if (ci == NULL)
		return NULL;
	b = box_of(ci);
	if (!b->is_static &&
	    atomic_fetch_sub_explicit(&b->ref, 1, memory_order_acq_rel) == 1)
		free(b);
	return NULL;
}

void
ctr_image_split(const char *ref, struct ctr_image_ref *out)
{
	const char *at, *slash, *colon;
	size_t len;

	memset(out, 0, sizeof(*out));
	if (ref == NULL)
		return;
	len = strlen(ref);
	at = strchr(ref, '@');
	if (at != NULL) {
		out->digest = at + 1;
		out->digest_len = len - (size_t)(at + 1 - ref);
		len = (size_t)(at - ref);
	}
	out->repo = ref;
	/* A ':' before the last '/' is a registry port, not a tag. */
	slash = memrchr(ref, '/', len);
	colon = memrchr(ref, ':', len);
	if (colon != NULL && (slash == NULL || colon > slash)) {
		out->tag = colon + 1;
		out->tag_len = len - (size_t)(colon + 1 - ref);
		len = (size_t)(colon - ref);
	}
	out->repo_len = len;
}

/* Copies into the string pool; NULL stays NULL. */
struct pool {
	char	*p;
};

static const char *
pool_put(struct pool *pl, const char *s, size_t len)
{
	char *r = pl->p;

	if (s == NULL)
		return NULL;
	memcpy(r, s, len);
	r[len] = '\0';
	pl->p += len + 1;
	return r;
}

static const char *
pool_puts(struct pool *pl, const char *s)
{
	return s != NULL ? pool_put(pl, s, strlen(s)) : NULL;
}

static size_t
slen(const char *s)
{
	return s != NULL ? strlen(s) + 1 : 0;
}

const struct ctr_info *
ctr_info_build(const struct ctr_id *id, const struct ctr_draft *d)
{
	struct ctr_image_ref ir;
	struct info_box *b;
	struct ctr_info *ci;
	struct pool pl;
	size_t need;

	ctr_image_split(d->image, &ir);
	need = slen(id->id) + slen(id->cid) + slen(d->name) + slen(d->image) +
	    2 * slen(d->image) + slen(d->image_id) + slen(d->pod_name) +
	    slen(d->pod_ns) + slen(d->pod_uid) + slen(d->sandbox_id) +
	    slen(d->source) + slen(id->pod_uid);
	b = calloc(1, sizeof(*b) + need);
	if (b == NULL)
		return NULL;
	atomic_init(&b->ref, 1);
	ci = &b->info;
	pl.p = b->strings;
	ci->rt = d->rt;
	ci->id = pool_puts(&pl, id->id);
	ci->cid = pool_puts(&pl, id->cid);
	ci->name = pool_puts(&pl, d->name);
	ci->image = pool_puts(&pl, d->image);
	if (d->image != NULL) {
		ci->image_repo = pool_put(&pl, ir.repo, ir.repo_len);
		ci->image_tag = ir.tag != NULL ?
		    pool_put(&pl, ir.tag, ir.tag_len) : NULL;
		ci->image_digest = ir.digest != NULL ?
		    pool_put(&pl, ir.digest, ir.digest_len) : NULL;
	}
	ci->image_id = pool_puts(&pl, d->image_id);
	ci->pod_name = pool_puts(&pl, d->pod_name);
	ci->pod_ns = pool_puts(&pl, d->pod_ns);
	/* The pod uid of the files wins; the cgroup path's is the fallback. */
	if (d->pod_uid != NULL)
		ci->pod_uid = pool_puts(&pl, d->pod_uid);
	else if (id->pod_uid[0] != '\0')
		ci->pod_uid = pool_puts(&pl, id->pod_uid);
	ci->sandbox_id = pool_puts(&pl, d->sandbox_id);
	ci->source = pool_puts(&pl, d->source);
	ci->privileged = d->privileged;
	ci->sandbox = d->sandbox;
	ci->found = d->found;
	return ci;
}

bool
ctr_pathf(char *dst, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(dst, PATH_MAX, fmt, ap);
	va_end(ap);
	return n >= 0 && n < PATH_MAX;
}

void
ctr_draft_init(struct ctr_draft *d, enum ctr_runtime rt)
{
	memset(d, 0, sizeof(*d));
	d->rt = rt;
	d->privileged = -1;
}

void
ctr_draft_fini(struct ctr_draft *d)
{
	free(d->name);
	free(d->image);
	free(d->image_id);
	free(d->pod_name);
	free(d->pod_ns);
	free(d->pod_uid);
	free(d->sandbox_id);
	free(d->source);
	memset(d, 0, sizeof(*d));
}

void
ctr_draft_set(char **field, const char *s)
{
	if (*field != NULL || s == NULL || *s == '\0')
		return;
	*field = strndup(s, CTR_STR_MAX);
}

void
ctr_draft_src(struct ctr_draft *d, const char *path, const struct stat *st)
{
	struct ctr_src *s;

	for (size_t i = 0; i < d->nsrcs; i++)
		if (strcmp(d->srcs[i].path, path) == 0)
			return;
	if (d->nsrcs == CTR_MAX_SRCS)
		return;
	s = &d->srcs[d->nsrcs++];
	memset(s, 0, sizeof(*s));
	strncpy(s->path, path, sizeof(s->path) - 1);
	if (st == NULL)
		return;
	s->exists = true;
	s->dev = st->st_dev;
	s->ino = st->st_ino;
	s->size = st->st_size;
	s->mtime = st->st_mtim;
}

bool
ctr_srcs_changed(const struct ctr_src *srcs, size_t n)
{
	struct stat st;

	for (size_t i = 0; i < n; i++) {
		const struct ctr_src *s = &srcs[i];
		bool exists = stat(s->path, &st) == 0;

		if (exists != s->exists)
			return true;
		if (exists && (st.st_ino != s->ino || st.st_dev != s->dev ||
		    st.st_size != s->size ||
		    st.st_mtim.tv_sec != s->mtime.tv_sec ||
		    st.st_mtim.tv_nsec != s->mtime.tv_nsec))
			return true;
	}
	return false;
}
