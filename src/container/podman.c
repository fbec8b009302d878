/*
 * podman.c - podman's metadata from containers/storage, without its API.
 *
 * The name and image are not in podman's OCI annotations; they are in
 * <storage>/overlay-containers/containers.json (volatile-containers.json
 * for --rm containers): an array of {id, names[], image (image id),
 * metadata: a JSON *string* with "image-name" and "name"}.  The bundle
 * <storage>/overlay-containers/<id>/userdata/config.json adds
 * io.container.manager=libpod and io.podman.annotations.privileged.
 * Labels live only in libpod's BoltDB/SQLite database: not read.
 *
 * Owns nothing between calls.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "container/container_int.h"

static const json_t *
find_entry(const json_t *list, const char *id)
{
	const json_t *e;
	size_t i;

	json_array_foreach(list, i, e) {
		const char *eid = json_string_value(json_object_get(e, "id"));

		if (eid != NULL && strcmp(eid, id) == 0)
			return e;
	}
	return NULL;
}

static void
entry_meta(const json_t *e, struct ctr_draft *d)
{
	const char *meta = json_string_value(json_object_get(e, "metadata"));
	json_t *m;

	ctr_draft_set(&d->name,
	    json_string_value(json_array_get(json_object_get(e, "names"), 0)));
	ctr_draft_set(&d->image_id, json_string_value(json_object_get(e,
	    "image")));
	if (meta == NULL)
		return;
	m = json_loads(meta, 0, NULL);
	ctr_draft_set(&d->name, json_string_value(json_object_get(m, "name")));
	ctr_draft_set(&d->image,
	    json_string_value(json_object_get(m, "image-name")));
	json_decref(m);
}

static bool
list_load(const struct ctr_paths *p, const char *file, const char *id,
    struct ctr_draft *d)
{
	char path[PATH_MAX];
	const json_t *e;
	json_t *list;

	ctr_pathf(path, "%s/overlay-containers/%s", p->storage,
	    file);
	if ((list = ctr_json_file(d, path, CTR_LIST_JSON_MAX)) == NULL)
		return false;
	e = find_entry(list, id);
	if (e != NULL) {
		entry_meta(e, d);
		ctr_draft_set(&d->source, path);
	}
	json_decref(list);
	return e != NULL;
}

bool
ctr_podman_load(const struct ctr_paths *p, const char *id, struct ctr_draft *d)
{
	char path[PATH_MAX];
	bool listed;
	json_t *spec;

	listed = list_load(p, "containers.json", id, d) ||
	    list_load(p, "volatile-containers.json", id, d);
	ctr_pathf(path, "%s/overlay-containers/%s/userdata/config.json", p->storage, id);
	spec = ctr_json_file(d, path, CTR_JSON_MAX);
	if (spec != NULL) {
		ctr_oci_json(spec, d);
		ctr_draft_set(&d->source, path);
		json_decref(spec);
	}
	if (listed || spec != NULL) {
		d->rt = CTR_RT_PODMAN;
		d->found = true;
	}
	return d->found;
}
