/*
 * opts.c - struct ctr_opts from the configuration's container_engines.*
 * keys (named after Falco's container_engines section; the list with
 * defaults is in docs/container.md and etc/falconet.yaml).  Owns nothing;
 * the strings stay in the configuration.
 */
#include "config.h"

#include <string.h>

#include "conf.h"
#include "container/container.h"

#define K(x) "container_engines." x

static const char *
str_or_null(struct fc_conf *c, const char *key)
{
	const char *v = conf_str(c, key, NULL);

	return v != NULL && *v != '\0' ? v : NULL;
}

void
ctr_opts_from_conf(struct fc_conf *c, struct ctr_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->root = str_or_null(c, K("host_root"));

	o->no_docker = !conf_bool(c, K("docker.enabled"), true);
	o->docker_root = str_or_null(c, K("docker.root"));
	o->docker_api = conf_bool(c, K("docker.api"), false);
	o->docker_socket = str_or_null(c, K("docker.api_socket"));

	o->no_containerd = !conf_bool(c, K("containerd.enabled"), true);
	o->containerd_tasks = str_or_null(c, K("containerd.tasks_dir"));

	o->no_crio = !conf_bool(c, K("cri-o.enabled"), true);
	o->crio_runroot = str_or_null(c, K("cri-o.run_root"));

	o->no_podman = !conf_bool(c, K("podman.enabled"), true);
	o->storage_root = str_or_null(c, K("podman.storage_root"));
	o->podman_api = conf_bool(c, K("podman.api"), false);
	o->podman_socket = str_or_null(c, K("podman.api_socket"));

	o->runc_roots = str_or_null(c, K("runc.roots"));
	o->lxc_path = str_or_null(c, K("lxc.path"));

	o->api_timeout_ms = (unsigned)conf_int(c, K("api_timeout_ms"), 1,
	    60000, 1000);
	o->max_entries = (size_t)conf_int(c, K("cache.max_entries"), 1,
	    1 << 20, 1024);
	o->ttl_ms = (unsigned)conf_int(c, K("cache.ttl_ms"), 1, 86400000,
	    60000);
	o->check_ms = (unsigned)conf_int(c, K("cache.check_ms"), 1, 3600000,
	    1000);
	o->miss_ttl_ms = (unsigned)conf_int(c, K("cache.miss_ttl_ms"), 1,
	    3600000, 1000);
}
