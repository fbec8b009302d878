/*
 * meta.c - container metadata from the runtimes' state files: the bounded
 * JSON file reader, Docker's config.v2.json/hostconfig.json, lxc, and the
 * dispatch that picks the stores to try for a runtime (then the optional
 * API).  OCI bundles and runc state are in oci.c, podman's storage in
 * podman.c.
 *
 * Owns nothing between calls: every load fills a caller-owned draft and
 * notes each file it depended on, so the cache can tell when to re-read.
 * Files are read whole, size-capped, and tolerated missing (dockerd and
 * the others rewrite them atomically; a container may stop mid-read).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "container/container_int.h"

/* Read all of fd, at most max bytes; NULL when larger or on error. */
static char *
read_all(int fd, size_t max, size_t *len)
{
	size_t cap = 16384, off = 0;
	char *buf = malloc(cap), *nb;
	ssize_t n;

	while (buf != NULL) {
		if (off == cap) {
			if (cap >= max)
				break;
			cap = cap * 2 < max ? cap * 2 : max;
			if ((nb = realloc(buf, cap)) == NULL)
				break;
			buf = nb;
		}
		n = read(fd, buf + off, cap - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n < 0)
				break;
			*len = off;
			return buf;
		}
		off += (size_t)n;
	}
	free(buf);
	return NULL;
}

json_t *
ctr_json_file(struct ctr_draft *d, const char *path, size_t max)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	struct stat st;
	json_t *j = NULL;
	size_t len;
	char *buf;

	if (fd < 0) {
		ctr_draft_src(d, path, NULL);
		return NULL;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return NULL;
	}
	ctr_draft_src(d, path, &st);
	buf = read_all(fd, max, &len);
	close(fd);
	if (buf != NULL)
		j = json_loadb(buf, len, JSON_REJECT_DUPLICATES, NULL);
	free(buf);
	return j;
}

static const char *
jstr(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/* Labels that cri-dockerd (dockershim) puts on Kubernetes containers. */
static void
docker_k8s_labels(const json_t *labels, struct ctr_draft *d)
{
	const char *type = jstr(labels, "io.kubernetes.docker.type");

	ctr_draft_set(&d->pod_name, jstr(labels, "io.kubernetes.pod.name"));
	ctr_draft_set(&d->pod_ns, jstr(labels, "io.kubernetes.pod.namespace"));
	ctr_draft_set(&d->pod_uid, jstr(labels, "io.kubernetes.pod.uid"));
	ctr_draft_set(&d->sandbox_id, jstr(labels, "io.kubernetes.sandbox.id"));
	if (type != NULL && strcmp(type, "podsandbox") == 0)
		d->sandbox = true;
}

/*
 * config.v2.json and GET /containers/<id>/json share these fields:
 * Name ("/name"), Config.Image (as typed), Image ("sha256:..."),
 * Config.Labels; the API also has HostConfig.Privileged.
 */
void
ctr_docker_json(const json_t *root, struct ctr_draft *d)
{
	const json_t *cfg = json_object_get(root, "Config");
	const json_t *priv;
	const char *name = jstr(root, "Name");

	if (name != NULL && name[0] == '/')
		name++;
	ctr_draft_set(&d->name, name);
	ctr_draft_set(&d->image, jstr(cfg, "Image"));
	ctr_draft_set(&d->image_id, jstr(root, "Image"));
	docker_k8s_labels(json_object_get(cfg, "Labels"), d);
	priv = json_object_get(json_object_get(root, "HostConfig"),
	    "Privileged");
	if (json_is_boolean(priv) && d->privileged < 0)
		d->privileged = json_is_true(priv);
	d->found = true;
}

static bool
docker_load(const struct ctr_paths *p, const char *id, struct ctr_draft *d)
{
	char path[PATH_MAX];
	json_t *j, *priv;

	ctr_pathf(path, "%s/containers/%s/config.v2.json",
	    p->docker, id);
	if ((j = ctr_json_file(d, path, CTR_JSON_MAX)) == NULL)
		return false;
	d->rt = CTR_RT_DOCKER;
	ctr_docker_json(j, d);
	ctr_draft_set(&d->source, path);
	json_decref(j);
	ctr_pathf(path, "%s/containers/%s/hostconfig.json",
	    p->docker, id);
	if ((j = ctr_json_file(d, path, CTR_JSON_MAX)) != NULL) {
		priv = json_object_get(j, "Privileged");
		if (json_is_boolean(priv))
			d->privileged = json_is_true(priv);
		json_decref(j);
	}
	/* No Privileged key (not written by every tool): the OCI bundle
	 * that dockerd gave containerd (namespace moby) tells. */
	ctr_pathf(path, "%s/moby/%s/config.json", p->containerd, id);
	if (d->privileged < 0 && !p->no_containerd &&
	    (j = ctr_json_file(d, path, CTR_JSON_MAX)) != NULL) {
		d->privileged = ctr_oci_privileged(j);
		json_decref(j);
	}
	return true;
}

/* LXC has no image; the container exists when its config does. */
static bool
lxc_load(const struct ctr_paths *p, const char *name, struct ctr_draft *d)
{
	char path[PATH_MAX];
	struct stat st;

	ctr_pathf(path, "%s/%s/config", p->lxc, name);
	if (stat(path, &st) != 0) {
		ctr_draft_src(d, path, NULL);
		return false;
	}
	ctr_draft_src(d, path, &st);
	ctr_draft_set(&d->source, path);
	d->found = true;
	return true;
}

/* The stores to try, most likely first: the cgroup name is a strong
 * hint but kubepods/<hex> and /docker/<hex> can be another runtime's. */
static bool
load_files(const struct ctr_paths *p, const struct ctr_id *id,
    struct ctr_draft *d)
{
	bool dk = !p->no_docker, cd = !p->no_containerd, co = !p->no_crio,
	    pm = !p->no_podman;

	switch (id->rt) {
	case CTR_RT_DOCKER:
		return (dk && docker_load(p, id->id, d)) ||
		    (cd && ctr_oci_containerd(p, id, d));
	case CTR_RT_CONTAINERD:
		return (cd && ctr_oci_containerd(p, id, d)) ||
		    (co && ctr_oci_crio(p, id->id, d)) ||
		    (dk && docker_load(p, id->id, d));
	case CTR_RT_CRIO:
		return co && ctr_oci_crio(p, id->id, d);
	case CTR_RT_PODMAN:
		return pm && ctr_podman_load(p, id->id, d);
	case CTR_RT_LXC:
		return lxc_load(p, id->id, d);
	default:
		return false;
	}
}

static void
api_load(const struct ctr_paths *p, const struct ctr_id *id,
    struct ctr_draft *d)
{
	const char *sock = NULL;

	if (id->rt == CTR_RT_DOCKER && p->docker_api)
		sock = p->docker_socket;
	else if (id->rt == CTR_RT_PODMAN && p->podman_api)
		sock = p->podman_socket;
	if (sock == NULL)
		return;
	d->api_calls++;
	if (ctr_api_inspect(sock, id->id, p->api_timeout_ms, d) != 0) {
		d->api_errors++;
		return;
	}
	ctr_draft_set(&d->source, "api");
}

void
ctr_meta_load(const struct ctr_paths *p, const struct ctr_id *id,
    struct ctr_draft *d)
{
	/* runc's state.json: the bundle and annotations when a runtime keeps
	 * its bundle somewhere else (a non-default root, or cri-o's runroot
	 * wiped while the container runs). */
	if (!load_files(p, id, d) && id->rt != CTR_RT_LXC &&
	    id->rt != CTR_RT_NSPAWN)
		ctr_oci_runc_state(p, id->id, d);
	if (d->name == NULL)
		api_load(p, id, d);
	/* lxc and nspawn containers are known by their name. */
	if (id->rt == CTR_RT_LXC || id->rt == CTR_RT_NSPAWN) {
		ctr_draft_set(&d->name, id->id);
		if (id->rt == CTR_RT_NSPAWN)
			d->found = true;
	}
	/* ctr ids are names the user chose; hex ids are not names. */
	if (id->rt == CTR_RT_CONTAINERD && id->ns[0] != '\0' &&
	    strlen(id->id) != CTR_ID_MAX)
		ctr_draft_set(&d->name, id->id);
}
