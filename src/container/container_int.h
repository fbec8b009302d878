/*
 * container_int.h - shared between the container module's files (and its
 * tests): resolved state-file paths, the mutable draft a metadata load
 * fills in, and the immutable record built from it.
 */
#ifndef FC_CONTAINER_INT_H
#define FC_CONTAINER_INT_H

#include <limits.h>
#include <stdbool.h>
#include <sys/stat.h>
#include <sys/types.h>

#include <jansson.h>

#include "container/container.h"

enum {
	CTR_MAX_SRCS = 4,		/* files a record depends on */
	CTR_JSON_MAX = 4 << 20,		/* bytes of one config/state file */
	CTR_LIST_JSON_MAX = 32 << 20,	/* bytes of containers.json */
	CTR_STR_MAX = 1024,		/* bytes kept of one metadata string */
};

/* The directories the loaders read, root-prefixed, resolved once. */
struct ctr_paths {
	char	docker[PATH_MAX];
	char	containerd[PATH_MAX];
	char	crio_run[PATH_MAX];
	char	storage[PATH_MAX];
	char	runc[PATH_MAX];		/* colon-separated */
	char	lxc[PATH_MAX];
	char	root[PATH_MAX];		/* prefix for paths found in files */
	bool	no_docker, no_containerd, no_crio, no_podman;
	bool	docker_api, podman_api;
	char	docker_socket[PATH_MAX];
	char	podman_socket[PATH_MAX];
	unsigned api_timeout_ms;
};

/* A file a record was read from: re-read when this changes. */
struct ctr_src {
	char	path[PATH_MAX];
	bool	exists;
	dev_t	dev;
	ino_t	ino;
	off_t	size;
	struct timespec mtime;
};

/* Metadata being gathered; strings are malloc'd and owned. */
struct ctr_draft {
	enum ctr_runtime rt;
	char	*name, *image, *image_id, *pod_name, *pod_ns, *pod_uid;
	char	*sandbox_id, *source;
	int	privileged;
	bool	sandbox, found;
	struct ctr_src srcs[CTR_MAX_SRCS];
	size_t	nsrcs;
	unsigned api_calls, api_errors;
};

void	ctr_draft_init(struct ctr_draft *d, enum ctr_runtime rt);
void	ctr_draft_fini(struct ctr_draft *d);
/* Set *field to a copy of s (capped at CTR_STR_MAX) unless already set. */
void	ctr_draft_set(char **field, const char *s);
/* Note the file path (its stat, or its absence) as a source of d. */
void	ctr_draft_src(struct ctr_draft *d, const char *path, const struct stat *st);
/* Has any source changed since it was noted? */
bool	ctr_srcs_changed(const struct ctr_src *srcs, size_t n);

/* snprintf into a PATH_MAX buffer; false when it was cut short. */
bool	ctr_pathf(char *dst, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

/* Read and parse a JSON file of at most max bytes; notes it as a source
 * (also when missing).  NULL when missing or invalid. */
json_t	*ctr_json_file(struct ctr_draft *d, const char *path, size_t max);
/* Docker inspect-shaped JSON (config.v2.json or the API answer). */
void	ctr_docker_json(const json_t *root, struct ctr_draft *d);

/* meta.c: load what the state files say about id into d. */
void	ctr_meta_load(const struct ctr_paths *p, const struct ctr_id *id,
	    struct ctr_draft *d);
/* podman.c: containers/storage containers.json and the podman bundle. */
bool	ctr_podman_load(const struct ctr_paths *p, const char *id,
	    struct ctr_draft *d);
/* oci.c: containerd bundles (<tasks>/<ns>/<id>), cri-o's runroot then
 * graph-root bundle, runc state.json under each runc root. */
bool	ctr_oci_containerd(const struct ctr_paths *p, const struct ctr_id *id,
	    struct ctr_draft *d);
bool	ctr_oci_crio(const struct ctr_paths *p, const char *id,
	    struct ctr_draft *d);
bool	ctr_oci_runc_state(const struct ctr_paths *p, const char *id,
	    struct ctr_draft *d);
/* OCI config.json annotations (and the privileged heuristic). */
void	ctr_oci_json(const json_t *spec, struct ctr_draft *d);
/* 1 when the spec looks like --privileged (all of CAP_SYS_ADMIN,
 * CAP_SYS_MODULE, CAP_SYS_RAWIO bounding, no masked paths), 0, or -1. */
int	ctr_oci_privileged(const json_t *spec);

/* api.c: GET /containers/<id>/json on a unix socket; 0 or -errno. */
int	ctr_api_inspect(const char *socket, const char *id,
	    unsigned timeout_ms, struct ctr_draft *d);

/* info.c: the immutable, refcounted record; NULL on OOM. */
const struct ctr_info *ctr_info_build(const struct ctr_id *id,
	    const struct ctr_draft *d);
/* The shared record of the host (static; ref/unref are no-ops). */
const struct ctr_info *ctr_info_host(void);

#endif
