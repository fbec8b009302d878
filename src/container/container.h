/*
 * container.h - container identity and metadata (container.*, k8s.* fields).
 *
 * Two layers:
 *
 *  1. Identity, from the cgroup path alone (cgroup.c).  ctr_parse_cgroup()
 *     reads the text of /proc/PID/cgroup (cgroup v1 and v2 lines) and
 *     recognises the naming of docker, containerd (CRI and ctr), cri-o,
 *     podman, lxc and systemd-nspawn.  It is pure: no I/O, no allocation,
 *     no logging.  ctr_id_of_pid() reads the file relative to a /proc
 *     dirfd and parses it.
 *
 *  2. Metadata, from the runtimes' state files on disk (meta.c, podman.c),
 *     never from a runtime API unless the optional API lookup is switched on
 *     (api.c, libcurl over the Docker/podman unix socket).  ctr_cache
 *     (cache.c) keeps the results, bounded (LRU), re-reading a container's
 *     files when they change, after a TTL, or on ctr_cache_invalidate().
 *
 * container.id conventions (Falco's): the first 12 characters of a 64-hex
 * id (and of a ctr/nerdctl container name, as Falco cuts it), the whole
 * name for lxc and systemd-nspawn (up to CTR_ID_MAX), and "host" for a
 * process that is in no container.  The full id is kept as well
 * (container.full_id).  A cgroup path that merely contains hex (for
 * example /process_api/<32 hex>, or a 64-hex directory under an unknown
 * parent) is not a container.
 *
 * Docs: docs/container.md.
 */
#ifndef FC_CONTAINER_H
#define FC_CONTAINER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct fc_conf;

enum {
	CTR_ID_MAX = 64,	/* full id: 64 hex, or a name of <= 64 chars */
	CTR_SHORT_ID = 12,	/* container.id length for hex ids */
	CTR_NS_MAX = 64,	/* containerd namespace */
	CTR_POD_UID_MAX = 36,	/* dashed UUID; 32 hex for static pods */
	CTR_CGROUP_MAX = 64 * 1024, /* bytes of /proc/PID/cgroup read */
};

/* The runtime a container belongs to (container.type). */
enum ctr_runtime {
	CTR_RT_HOST = 0,	/* not a container */
	CTR_RT_DOCKER,
	CTR_RT_CONTAINERD,	/* CRI (kubepods) or ctr/nerdctl namespaces */
	CTR_RT_CRIO,
	CTR_RT_PODMAN,
	CTR_RT_LXC,
	CTR_RT_NSPAWN,
	CTR_RT_MAX
};

/* Kubernetes QoS class from the kubepods path. */
enum ctr_qos {
	CTR_QOS_NONE = 0,	/* not under kubepods */
	CTR_QOS_GUARANTEED,
	CTR_QOS_BURSTABLE,
	CTR_QOS_BESTEFFORT,
};

/*
 * What the cgroup path says about a process: plain data, copy freely.
 * For the host: rt == CTR_RT_HOST, id == "", cid == "host", all else empty.
 */
struct ctr_id {
	enum ctr_runtime rt;
	char	id[CTR_ID_MAX + 1];	/* full id (container.full_id) */
	char	cid[CTR_ID_MAX + 1];	/* container.id: 12 hex, name or "host" */
	char	ns[CTR_NS_MAX + 1];	/* containerd namespace (ctr style) */
	char	pod_uid[CTR_POD_UID_MAX + 1]; /* k8s pod uid, dashed, or "" */
	enum ctr_qos qos;
	bool	pidns_child;	/* ctr_id_of_pid: in a child pid namespace */
};

/* Results of ctr_parse_cgroup() and ctr_id_of_pid(). */
enum {
	CTR_HOST = 0,		/* no container cgroup: *out is the host */
	CTR_CONTAINER = 1,	/* *out names a container */
};

/* "docker", "containerd", "cri-o", "podman", "lxc", "systemd-nspawn", "host". */
const char *ctr_runtime_name(enum ctr_runtime rt);

/*
 * ctr_parse_cgroup - find the container in the text of /proc/PID/cgroup.
 * text need not be NUL-terminated; len bytes are read.  Every line
 * ("hier:controllers:path", v1 or v2 "0::path") is tried in order and the
 * first that names a container wins; within a path the innermost
 * matching component wins (nested containers, sub-cgroups of a
 * container).  Malformed lines are skipped.  *out is always written.
 * Returns CTR_CONTAINER, CTR_HOST, or -EINVAL for NULL arguments.
 * Pure and thread-safe.
 */
int	ctr_parse_cgroup(const char *text, size_t len, struct ctr_id *out);

/*
 * ctr_id_of_pid - read PID's cgroup file relative to procfd (a dirfd of
 * /proc, or of a fixture tree shaped like it) and parse it.  At most
 * CTR_CGROUP_MAX bytes are read; a line cut by that cap is ignored.
 * Also sets out->pidns_child when the process is in a child pid namespace
 * (PID/status NSpid has more than one entry; without NSpid, PID/ns/pid
 * differs from 1/ns/pid; false when neither can be read).  Returns CTR_CONTAINER or CTR_HOST; -ESRCH
 * when the process is gone (ENOENT or ESRCH: *out is then the host
 * record and must not be used as the process's identity); another -errno
 * on a read error.  Does not log.  Thread-safe.
 */
int	ctr_id_of_pid(int procfd, pid_t pid, struct ctr_id *out);

/*
 * Image reference split: "[registry[:port]/]repo[:tag][@digest]".
 * Pointers into ref; lengths 0 when a part is absent.  The tag is the
 * text after the last ':' that follows the last '/', so a registry port
 * (localhost:5000/x) is never taken for a tag.  The digest keeps its
 * algorithm ("sha256:...").
 */
struct ctr_image_ref {
	const char *repo;	size_t repo_len;
	const char *tag;	size_t tag_len;
	const char *digest;	size_t digest_len;
};
void	ctr_image_split(const char *ref, struct ctr_image_ref *out);

/*
 * Container metadata: immutable once published, refcounted.  Strings are
 * NULL when unknown (the field is then missing, Falco's <NA>).
 */
struct ctr_info {
	enum ctr_runtime rt;	/* refined by the files found */
	const char *id;		/* full id */
	const char *cid;	/* container.id */
	const char *name;	/* container.name */
	const char *image;	/* container.image, as the user gave it */
	const char *image_repo;	/* container.image.repository */
	const char *image_tag;	/* container.image.tag */
	const char *image_digest; /* container.image.digest */
	const char *image_id;	/* container.image.id (docker "sha256:...") */
	const char *pod_name;	/* k8s.pod.name */
	const char *pod_ns;	/* k8s.ns.name */
	const char *pod_uid;	/* k8s.pod.uid */
	const char *sandbox_id;	/* k8s.pod.sandbox_id (CRI) */
	const char *source;	/* the file (or "api") the metadata came from */
	int	privileged;	/* 1, 0, or -1 when unknown */
	bool	sandbox;	/* pod sandbox (pause) container */
	bool	found;		/* false: no state file knew the container */
};

/* Reference counting (atomic; NULL-safe).  ctr_info_unref returns NULL. */
const struct ctr_info *ctr_info_ref(const struct ctr_info *ci);
const struct ctr_info *ctr_info_unref(const struct ctr_info *ci);

/*
 * Where to look and how to cache.  Zero/NULL fields take the defaults in
 * brackets.  Every default path is prefixed with root (for fixtures and
 * for an agent that sees the host under /host); an explicit path is used
 * as given.
 */
struct ctr_opts {
	const char *root;		/* [""] prefix for the default paths */
	const char *docker_root;	/* [/var/lib/docker] */
	const char *containerd_tasks;	/* [/run/containerd/io.containerd.runtime.v2.task] */
	const char *crio_runroot;	/* [/run/containers/storage] */
	const char *storage_root;	/* [/var/lib/containers/storage] (podman, cri-o copy) */
	const char *runc_roots;		/* [/run/containerd/runc:/run/runc:/run/docker/runtime-runc]
					 * colon-separated runc --root dirs (state.json) */
	const char *lxc_path;		/* [/var/lib/lxc] */
	bool	no_docker, no_containerd, no_crio, no_podman;	/* skip a store */
	/* Optional runtime API (libcurl, GET /containers/<id>/json). */
	bool	docker_api;		/* [false] */
	const char *docker_socket;	/* [/var/run/docker.sock] */
	bool	podman_api;		/* [false] */
	const char *podman_socket;	/* [/run/podman/podman.sock] */
	unsigned api_timeout_ms;	/* [1000] */
	/* Cache. */
	size_t	max_entries;		/* [1024] LRU bound */
	unsigned ttl_ms;		/* [60000] full re-read after this */
	unsigned check_ms;		/* [1000] stat the source files after this */
	unsigned miss_ttl_ms;		/* [1000] re-look for unknown containers */
	/* Clock in ms (tests); [CLOCK_MONOTONIC]. */
	uint64_t (*now_ms)(void *arg);
	void	*now_arg;
};

/*
 * Fill *o from the configuration (container_engines.* keys, see
 * docs/container.md).  Strings point into c, which must outlive the
 * cache.  Bad values are recorded in c (conf_error) and the default is
 * kept.  Does not log.
 */
void	ctr_opts_from_conf(struct fc_conf *c, struct ctr_opts *o);

struct ctr_cache;

/*
 * A new cache; opts is copied (its strings are not: they must outlive the
 * cache); NULL opts means all defaults.  With an API enabled it calls
 * curl_global_init() (reference-counted by libcurl; main should still
 * call it first, before any thread starts).  NULL on OOM.
 */
struct ctr_cache *ctr_cache_new(const struct ctr_opts *opts);
void	ctr_cache_free(struct ctr_cache *c);

/*
 * ctr_cache_get - metadata for the container id names.  Returns a NEW
 * reference that the caller releases with ctr_info_unref(); never NULL
 * except on OOM.  For the host the record has name "host".  For an unknown
 * container the record has found == false and the id fields only; the
 * lookup is retried after miss_ttl_ms.  Reads state files (and the API,
 * when enabled, which may block up to api_timeout_ms): call it from an
 * enrichment thread, never from a fanotify reader.  Thread-safe (one
 * mutex; file reads and API calls happen outside it, only the stat() of
 * a cached record's files inside).  c and id must not be NULL.  Does not
 * log.
 */
const struct ctr_info *ctr_cache_get(struct ctr_cache *c,
	    const struct ctr_id *id);

/*
 * Forget what is cached for a container (full id, or the lxc/nspawn name),
 * for example when it starts or stops.  The next get re-reads its files.
 * References already handed out stay valid.
 */
void	ctr_cache_invalidate(struct ctr_cache *c, const char *id);

struct ctr_cache_stats {
	uint64_t hits, misses, reloads, evictions, api_calls, api_errors;
	size_t	entries;
};
void	ctr_cache_stats(struct ctr_cache *c, struct ctr_cache_stats *out);

#endif
