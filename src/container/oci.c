/*
 * oci.c - metadata from OCI bundles (config.json annotations) of
 * containerd (CRI and ctr) and cri-o, and from runc's state.json.
 *
 * Keys, in the portable order of fanotify-containers.md §4.2:
 *   name      io.kubernetes.cri.container-name, io.kubernetes.container.name
 *   image     io.kubernetes.cri.image-name, io.kubernetes.cri-o.ImageName,
 *             io.kubernetes.cri-o.Image
 *   pod       io.kubernetes.cri.sandbox-name, io.kubernetes.pod.name
 *   namespace io.kubernetes.cri.sandbox-namespace, io.kubernetes.pod.namespace
 *   pod uid   io.kubernetes.cri.sandbox-uid, io.kubernetes.pod.uid
 *   sandbox   io.kubernetes.cri.container-type / io.kubernetes.cri-o.ContainerType
 *             == "sandbox"; id io.kubernetes.cri.sandbox-id / ...cri-o.SandboxID
 *   runtime   io.container.manager: "cri-o" or "libpod"
 * Privileged: podman's io.podman.annotations.privileged when present;
 * otherwise inferred from the spec (bounding set holds CAP_SYS_ADMIN,
 * CAP_SYS_MODULE and CAP_SYS_RAWIO, and no masked paths), which is what
 * runc-based runtimes produce for --privileged.
 *
 * Owns nothing between calls.
 */
#include "config.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "container/container_int.h"

enum {
	MAX_NAMESPACES = 64,	/* containerd namespaces scanned */
};

static const char *
ann(const json_t *a, const char *k1, const char *k2)
{
	const char *v = json_string_value(json_object_get(a, k1));

	if (v == NULL && k2 != NULL)
		v = json_string_value(json_object_get(a, k2));
	return v;
}

static bool
has_cap(const json_t *caps, const char *cap)
{
	size_t i;
	json_t *v;

	json_array_foreach(caps, i, v)
		if (json_is_string(v) && strcmp(json_string_value(v), cap) == 0)
			return true;
	return false;
}

int
ctr_oci_privileged(const json_t *spec)
{
	const json_t *caps = json_object_get(json_object_get(
	    json_object_get(spec, "process"), "capabilities"), "bounding");
	const json_t *masked = json_object_get(json_object_get(spec, "linux"),
	    "maskedPaths");

	if (!json_is_array(caps))
		return -1;
	return has_cap(caps, "CAP_SYS_ADMIN") && has_cap(caps, "CAP_SYS_MODULE") &&
	    has_cap(caps, "CAP_SYS_RAWIO") && json_array_size(masked) == 0;
}

/* The annotations object (a bundle's, or runc labels turned into one). */
static void
oci_annotations(const json_t *a, struct ctr_draft *d)
{
	const char *mgr = ann(a, "io.container.manager", NULL);
	const char *type = ann(a, "io.kubernetes.cri.container-type",
	    "io.kubernetes.cri-o.ContainerType");
	const char *priv = ann(a, "io.podman.annotations.privileged", NULL);

	if (mgr != NULL && strcmp(mgr, "cri-o") == 0)
		d->rt = CTR_RT_CRIO;
	else if (mgr != NULL && strcmp(mgr, "libpod") == 0)
		d->rt = CTR_RT_PODMAN;
	ctr_draft_set(&d->name, ann(a, "io.kubernetes.cri.container-name",
	    "io.kubernetes.container.name"));
	ctr_draft_set(&d->image, ann(a, "io.kubernetes.cri.image-name",
	    "io.kubernetes.cri-o.ImageName"));
	ctr_draft_set(&d->image, ann(a, "io.kubernetes.cri-o.Image", NULL));
	ctr_draft_set(&d->pod_name, ann(a, "io.kubernetes.cri.sandbox-name",
	    "io.kubernetes.pod.name"));
	ctr_draft_set(&d->pod_ns, ann(a, "io.kubernetes.cri.sandbox-namespace",
	    "io.kubernetes.pod.namespace"));
	ctr_draft_set(&d->pod_uid, ann(a, "io.kubernetes.cri.sandbox-uid",
	    "io.kubernetes.pod.uid"));
	ctr_draft_set(&d->sandbox_id, ann(a, "io.kubernetes.cri.sandbox-id",
	    "io.kubernetes.cri-o.SandboxID"));
	if (type != NULL && strcmp(type, "sandbox") == 0)
		d->sandbox = true;
	if (priv != NULL && d->privileged < 0)
		d->privileged = strcasecmp(priv, "true") == 0;
}

void
ctr_oci_json(const json_t *spec, struct ctr_draft *d)
{
	oci_annotations(json_object_get(spec, "annotations"), d);
	if (d->privileged < 0)
		d->privileged = ctr_oci_privileged(spec);
	d->found = true;
}

static bool
bundle_load(const char *path, struct ctr_draft *d)
{
	json_t *spec = ctr_json_file(d, path, CTR_JSON_MAX);

	if (spec == NULL)
		return false;
	ctr_oci_json(spec, d);
	ctr_draft_set(&d->source, path);
	json_decref(spec);
	return true;
}

/* <tasks>/<ns>/<id>/config.json; without a namespace, try each. */
bool
ctr_oci_containerd(const struct ctr_paths *p, const struct ctr_id *id,
    struct ctr_draft *d)
{
	char path[PATH_MAX];
	struct dirent *de;
	DIR *dir;
	int seen = 0;
	bool ok = false;

	if (id->ns[0] != '\0') {
		ctr_pathf(path, "%s/%s/%s/config.json",
		    p->containerd, id->ns, id->id);
		return bundle_load(path, d);
	}
	if ((dir = opendir(p->containerd)) == NULL)
		return false;
	while (!ok && seen++ < MAX_NAMESPACES && (de = readdir(dir)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		ctr_pathf(path, "%s/%s/%s/config.json",
		    p->containerd, de->d_name, id->id);
		if (access(path, F_OK) == 0)
			ok = bundle_load(path, d);
	}
	closedir(dir);
	/* Docker's own bundles (namespace moby) carry no annotations. */
	if (ok && d->name == NULL && strstr(path, "/moby/") != NULL)
		d->rt = CTR_RT_DOCKER;
	return ok;
}

/* The runroot bundle, else the copy in the graph root. */
bool
ctr_oci_crio(const struct ctr_paths *p, const char *id, struct ctr_draft *d)
{
	char path[PATH_MAX];

	ctr_pathf(path, "%s/overlay-containers/%s/userdata/config.json", p->crio_run, id);
	if (bundle_load(path, d))
		return true;
	ctr_pathf(path, "%s/overlay-containers/%s/userdata/config.json", p->storage, id);
	return bundle_load(path, d);
}

/*
 * state.json: config.labels holds every OCI annotation as "key=value"
 * plus "bundle=<dir>".  Prefer the bundle's config.json; otherwise use
 * the labels.
 */
static bool
runc_state_load(const struct ctr_paths *p, const char *path,
    struct ctr_draft *d)
{
	json_t *st = ctr_json_file(d, path, CTR_JSON_MAX), *labels, *a, *v;
	char bundle[PATH_MAX];
	size_t i;

	if (st == NULL)
		return false;
	labels = json_object_get(json_object_get(st, "config"), "labels");
	a = json_object();
	json_array_foreach(labels, i, v) {
		const char *kv = json_string_value(v), *eq;

		if (kv == NULL || (eq = strchr(kv, '=')) == NULL)
			continue;
		if (strncmp(kv, "bundle=", 7) == 0) {
			ctr_pathf(bundle, "%s%s/config.json",
			    p->root, eq + 1);
			if (bundle_load(bundle, d))
				break;
			continue;
		}
		json_object_setn_new(a, kv, (size_t)(eq - kv),
		    json_string(eq + 1));
	}
	if (!d->found) {
		oci_annotations(a, d);
		ctr_draft_set(&d->source, path);
		d->found = true;
	}
	json_decref(a);
	json_decref(st);
	return true;
}

/* Each runc root: <root>/<id>/state.json, then <root>/<sub>/<id>/. */
static bool
runc_root_load(const struct ctr_paths *p, const char *root, const char *id,
    struct ctr_draft *d)
{
	char path[PATH_MAX];
	struct dirent *de;
	DIR *dir;
	int seen = 0;
	bool ok = false;

	ctr_pathf(path, "%s/%s/state.json", root, id);
	if (access(path, F_OK) == 0)
		return runc_state_load(p, path, d);
	if ((dir = opendir(root)) == NULL)
		return false;
	while (!ok && seen++ < MAX_NAMESPACES && (de = readdir(dir)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		ctr_pathf(path, "%s/%s/%s/state.json", root,
		    de->d_name, id);
		if (access(path, F_OK) == 0)
			ok = runc_state_load(p, path, d);
	}
	closedir(dir);
	return ok;
}

bool
ctr_oci_runc_state(const struct ctr_paths *p, const char *id,
    struct ctr_draft *d)
{
	char roots[PATH_MAX], *save = NULL, *r;

	snprintf(roots, sizeof(roots), "%s", p->runc);
	for (r = strtok_r(roots, ":", &save); r != NULL;
	    r = strtok_r(NULL, ":", &save))
		if (runc_root_load(p, r, id, d))
			return true;
	return false;
}
