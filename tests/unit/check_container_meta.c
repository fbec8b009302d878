/*
 * check_container_meta.c - container metadata from state-file fixtures
 * (tests/fixtures/container/root, described in its README.md) and the
 * cache: references, LRU bound, invalidation, re-read on file change, TTL
 * and miss TTL (with an injected clock), concurrent use; the optional API
 * lookup against a canned unix-socket server; ctr_opts_from_conf.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "conf.h"
#include "container/container.h"
#include "check_main.h"

#define FIX TOP_SRCDIR "/tests/fixtures/container/root"
#define H_DOCKER "f9144e98edea541d22623ea00d09bb9b731fc91c8d9b39baae7320ae27b5f078"
#define H_CRI "c5f6a7047bf86fefb5d16c0711216d5a7eed8d3b3620115c74b458365dc4451a"
#define H_CRIO "021ff9427c9b13b412dc66f0cb589af089389a287316e748c3ef9693445b8840"
#define H_PODMAN "058a15d2b1ffe3f346c8a40d80d11ca9d0295ef92a4cce1b25fb568f30f63102"
#define H_DPRIV "5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a"
#define H_RUNC "6b6b6b6b6b6b6b6b6b6b6b6b6b6b6b6b6b6b6b6b6b6b6b6b6b6b6b6b6b6b6b6b"
#define H_VOLATILE "7c7c7c7c7c7c7c7c7c7c7c7c7c7c7c7c7c7c7c7c7c7c7c7c7c7c7c7c7c7c7c7c"
#define H_SANDBOX "8d8d8d8d8d8d8d8d8d8d8d8d8d8d8d8d8d8d8d8d8d8d8d8d8d8d8d8d8d8d8d8d"
#define H_UNKNOWN "9e9e9e9e9e9e9e9e9e9e9e9e9e9e9e9e9e9e9e9e9e9e9e9e9e9e9e9e9e9e9e9e"
#define H_DRUNC "4e4e4e4e4e4e4e4e4e4e4e4e4e4e4e4e4e4e4e4e4e4e4e4e4e4e4e4e4e4e4e4e"
#define UID1 "de92efa9-79df-4377-a18d-d4f1fd4d883b"
#define UID2 "b8e855ac-9716-43a0-9b87-8afdce40a054"
#define UID3 "3f2504e0-4f89-41d3-9a0c-0305e82c3301"
#define IMG "docker.io/library/busybox:testbed"
#define IMG_ID "e85e23b2c60eaf8498d1a59f432ace98283d60ed57df55f725cc53f2de52f4ce"

/* ---- helpers ---- */

static struct ctr_id
parse(const char *cgroup_line)
{
	struct ctr_id id;

	ck_assert_int_eq(ctr_parse_cgroup(cgroup_line, strlen(cgroup_line),
	    &id), CTR_CONTAINER);
	return id;
}

static struct ctr_cache *
fixture_cache(void)
{
	struct ctr_opts o = { .root = FIX };
	struct ctr_cache *c = ctr_cache_new(&o);

	ck_assert_ptr_nonnull(c);
	return c;
}

#define ck_str_or_null(got, want) do {					\
	const char *g_ = (got), *w_ = (want);				\
	if (w_ == NULL)							\
		ck_assert_msg(g_ == NULL, #got " = '%s', want NULL", g_); \
	else								\
		ck_assert_msg(g_ != NULL && strcmp(g_, w_) == 0,	\
		    #got " = '%s', want '%s'", g_ ? g_ : "(null)", w_);	\
} while (0)

static bool
ends_with(const char *s, const char *suffix)
{
	size_t a = s != NULL ? strlen(s) : 0, b = strlen(suffix);

	return a >= b && strcmp(s + a - b, suffix) == 0;
}

/* ---- metadata from each runtime's files ---- */

START_TEST(test_docker_real)
{
	struct ctr_cache *c = fixture_cache();
	struct ctr_id id = parse("4:memory:/docker/" H_DOCKER "\n");
	const struct ctr_info *ci = ctr_cache_get(c, &id);

	ck_assert(ci->found);
	ck_assert_int_eq(ci->rt, CTR_RT_DOCKER);
	ck_assert_str_eq(ci->id, H_DOCKER);
	ck_assert_str_eq(ci->cid, "f9144e98edea");
	ck_str_or_null(ci->name, "ctrx-d");		/* .Name "/ctrx-d" */
	ck_str_or_null(ci->image, IMG);			/* .Config.Image */
	ck_str_or_null(ci->image_repo, "docker.io/library/busybox");
	ck_str_or_null(ci->image_tag, "testbed");
	ck_str_or_null(ci->image_digest, NULL);
	ck_str_or_null(ci->image_id, "sha256:" IMG_ID);	/* .Image */
	ck_assert_int_eq(ci->privileged, 0);		/* hostconfig Privileged */
	ck_str_or_null(ci->pod_name, NULL);
	ck_str_or_null(ci->pod_ns, NULL);
	ck_str_or_null(ci->pod_uid, NULL);
	ck_assert(!ci->sandbox);
	ck_assert(ends_with(ci->source, "/containers/" H_DOCKER "/config.v2.json"));
	ctr_info_unref(ci);
	ctr_cache_free(c);
}
END_TEST

START_TEST(test_docker_k8s_privileged)
{
	struct ctr_cache *c = fixture_cache();
	struct ctr_id id = parse("0::/kubepods.slice/kubepods-pod"
	    "3f2504e0_4f89_41d3_9a0c_0305e82c3301.slice/docker-" H_DPRIV
	    ".scope\n");
	const struct ctr_info *ci = ctr_cache_get(c, &id);

	ck_assert(ci->found);
	ck_assert_int_eq(ci->rt, CTR_RT_DOCKER);
	ck_str_or_null(ci->name, "k8s_web_web-pod_prod_" UID3 "_0");
	ck_str_or_null(ci->image, "localhost:5000/team/app:v2@sha256:4b9e1c0d2a5f");
	ck_str_or_null(ci->image_repo, "localhost:5000/team/app");
	ck_str_or_null(ci->image_tag, "v2");
	ck_str_or_null(ci->image_digest, "sha256:4b9e1c0d2a5f");
	ck_assert_int_eq(ci->privileged, 1);
	ck_str_or_null(ci->pod_name, "web-pod");	/* cri-dockerd labels */
	ck_str_or_null(ci->pod_ns, "prod");
	ck_str_or_null(ci->pod_uid, UID3);
	ck_str_or_null(ci->sandbox_id, H_SANDBOX);
	ck_assert(!ci->sandbox);
	ctr_info_unref(ci);
	ctr_cache_free(c);
}
END_TEST

START_TEST(test_docker_privileged_from_bundle)
{
	/* hostconfig.json without "Privileged" (the testbed's runc engine):
	 * the moby bundle's spec says it is not privileged. */
	struct ctr_cache *c = fixture_cache();
	struct ctr_id id = parse("0::/system.slice/docker-" H_DRUNC ".scope\n");
	const struct ctr_info *ci = ctr_cache_get(c, &id);

	ck_assert(ci->found);
	ck_str_or_null(ci->name, "runc-docker");
	ck_assert_int_eq(ci->privileged, 0);
	ctr_info_unref(ci);
	ctr_cache_free(c);
}
END_TEST

START_TEST(test_containerd_cri_real)
{
	struct ctr_cache *c = fixture_cache();
	struct ctr_id id = parse("1:cpu:/kubepods.slice/kubepods-besteffort.slice/"
	    "kubepods-besteffort-podde92efa9_79df_4377_a18d_d4f1fd4d883b.slice/"
	    "cri-containerd-" H_CRI ".scope\n");
	const struct ctr_info *ci = ctr_cache_get(c, &id);

	ck_assert(ci->found);
	ck_assert_int_eq(ci->rt, CTR_RT_CONTAINERD);
	ck_assert_str_eq(ci->cid, "c5f6a7047bf8");
	ck_str_or_null(ci->name, "ctrx-c");	/* io.kubernetes.cri.container-name */
	ck_str_or_null(ci->image, IMG);		/* io.kubernetes.cri.image-name */
	ck_str_or_null(ci->image_repo, "docker.io/library/busybox");
	ck_str_or_null(ci->image_tag, "testbed");
	ck_str_or_null(ci->pod_name, "ctrx-pod");	/* ...sandbox-name */
	ck_str_or_null(ci->pod_ns, "default");	/* ...sandbox-namespace */
	ck_str_or_null(ci->pod_uid, UID1);	/* ...sandbox-uid */
	ck_str_or_null(ci->sandbox_id,
	    "8169e93112ce18aa0a79f7e2a0fdc7140f21bd463ac041860c0cbaa102bea110");
	ck_assert_int_eq(ci->privileged, 0);	/* default caps, masked paths */
	ck_assert(!ci->sandbox);
	ck_assert(ends_with(ci->source, "/k8s.io/" H_CRI "/config.json"));
	ctr_info_unref(ci);
	ctr_cache_free(c);
}
END_TEST

START_TEST(test_containerd_sandbox)
{
	struct ctr_cache *c = fixture_cache();
	struct ctr_id id = parse("0::/kubepods/pod" UID3 "/" H_SANDBOX "\n");
	const struct ctr_info *ci = ctr_cache_get(c, &id);

	ck_assert(ci->found);
	ck_assert_int_eq(ci->rt, CTR_RT_CONTAINERD);
	ck_assert(ci->sandbox);		/* container-type sandbox */
	ck_str_or_null(ci->name, NULL);
	ck_str_or_null(ci->image, NULL);
	ck_str_or_null(ci->pod_name, "web-pod");
	ck_str_or_null(ci->pod_ns, "prod");
	ck_str_or_null(ci->pod_uid, UID3);
	ctr_info_unref(ci);
	ctr_cache_free(c);
}
END_TEST

START_TEST(test_containerd_ctr)
{
	struct ctr_cache *c = fixture_cache();
	struct ctr_id id = parse("0::/default/web\n");
	const struct ctr_info *ci = ctr_cache_get(c, &id);

	ck_assert(ci->found);
	ck_assert_int_eq(ci->rt, CTR_RT_CONTAINERD);
	ck_assert_str_eq(ci->cid, "web");
	ck_str_or_null(ci->name, "web");	/* the ctr id is its name */
	ck_str_or_null(ci->image, NULL);	/* only in containerd's DB */
	ck_assert_int_eq(ci->privileged, 1);	/* full caps, no masked paths */
	ck_str_or_null(ci->pod_name, NULL);
	ctr_info_unref(ci);
	ctr_cache_free(c);
}
END_TEST

START_TEST(test_crio_real)
{
	struct ctr_cache *c = fixture_cache();
	struct ctr_id id = parse("0::/kubepods.slice/kubepods-besteffort.slice/"
	    "kubepods-besteffort-podb8e855ac_9716_43a0_9b87_8afdce40a054.slice/"
	    "crio-" H_CRIO ".scope\n");
	const struct ctr_info *ci = ctr_cache_get(c, &id);

	ck_assert(ci->found);
	ck_assert_int_eq(ci->rt, CTR_RT_CRIO);
	ck_str_or_null(ci->name, "ctrx-o");	/* io.kubernetes.container.name */
	ck_str_or_null(ci->image, IMG);		/* io.kubernetes.cri-o.ImageName */
	ck_str_or_null(ci->pod_name, "ctrx-opod");	/* io.kubernetes.pod.name */
	ck_str_or_null(ci->pod_ns, "default");
	ck_str_or_null(ci->pod_uid, UID2);
	ck_str_or_null(ci->sandbox_id,
	    "8f8223246a4330f565a86d2e897649a4673d9e9de25a9aa0f6172f1af9cd2eab");
	ck_assert_int_eq(ci->privileged, 0);
	ck_assert(ends_with(ci->source, "/run/containers/storage/overlay-containers/"
	    H_CRIO "/userdata/config.json"));
	ctr_info_unref(ci);
	ctr_cache_free(c);
}
END_TEST

START_TEST(test_kubepods_hex_refined)
{
	/* cgroupfs kubepods/<hex> guesses containerd; the files say cri-o. */
	struct ctr_cache *c = fixture_cache();
	struct ctr_id id = parse("0::/kubepods/besteffort/pod" UID2 "/"
	    H_CRIO "\n");
	const struct ctr_info *ci;

	ck_assert_int_eq(id.rt, CTR_RT_CONTAINERD);
	ci = ctr_cache_get(c, &id);
	ck_assert(ci->found);
	ck_assert_int_eq(ci->rt, CTR_RT_CRIO);	/* io.container.manager */
	ck_str_or_null(ci->name, "ctrx-o");
	ctr_info_unref(ci);
	ctr_cache_free(c);
}
END_TEST

START_TEST(test_crio_runc_state_only)
{
	/* No bundle on disk: annotations from runc's config.labels. */
	struct ctr_cache *c = fixture_cache();
	struct ctr_id id = parse("0::/kubepods/besteffort/pod" UID2 "/crio-"
	    H_RUNC "\n");
	const struct ctr_info *ci = ctr_cache_get(c, &id);

	ck_assert(ci->found);
	ck_assert_int_eq(ci->rt, CTR_RT_CRIO);
	ck_str_or_null(ci->name, "db");
	ck_str_or_null(ci->image, "quay.io/org/db:15");
	ck_str_or_null(ci->image_repo, "quay.io/org/db");
	ck_str_or_null(ci->image_tag, "15");
	ck_str_or_null(ci->pod_name, "db-pod");
	ck_str_or_null(ci->pod_ns, "data");
	ck_str_or_null(ci->pod_uid, UID2);
	ck_assert_int_eq(ci->privileged, -1);	/* not in the labels */
	ck_assert(ends_with(ci->source, "/run/runc/" H_RUNC "/state.json"));
	ctr_info_unref(ci);
	ctr_cache_free(c);
}
END_TEST

START_TEST(test_podman_real)
{
	struct ctr_cache *c = fixture_cache();
	struct ctr_id id = parse("9:name=systemd:/libpod_parent/libpod-"
	    H_PODMAN "\n");
	const struct ctr_info *ci = ctr_cache_get(c, &id);

	ck_assert(ci->found);
	ck_assert_int_eq(ci->rt, CTR_RT_PODMAN);
	ck_str_or_null(ci->name, "ctrx-p");	/* containers.json names[0] */
	ck_str_or_null(ci->image, IMG);		/* metadata "image-name" */
	ck_str_or_null(ci->image_tag, "testbed");
	ck_str_or_null(ci->image_id, IMG_ID);	/* "image" */
	ck_assert_int_eq(ci->privileged, 0);	/* io.podman.annotations.privileged */
	ck_str_or_null(ci->pod_name, NULL);
	ctr_info_unref(ci);
	ctr_cache_free(c);
}
END_TEST

START_TEST(test_podman_volatile_privileged)
{
	struct ctr_cache *c = fixture_cache();
	struct ctr_id id = parse("0::/machine.slice/libpod-" H_VOLATILE
	    ".scope/container\n");
	const struct ctr_info *ci = ctr_cache_get(c, &id);

	ck_assert(ci->found);
	ck_str_or_null(ci->name, "tmp-priv");
	ck_str_or_null(ci->image, "localhost:5000/tools/debug:1");
	ck_str_or_null(ci->image_repo, "localhost:5000/tools/debug");
	ck_str_or_null(ci->image_tag, "1");
	ck_assert_int_eq(ci->privileged, 1);
	ctr_info_unref(ci);
	ctr_cache_free(c);
}
END_TEST

START_TEST(test_lxc_nspawn)
{
	struct ctr_cache *c = fixture_cache();
	struct ctr_id id = parse("0::/lxc.payload.web1\n");
	const struct ctr_info *ci = ctr_cache_get(c, &id);

	ck_assert(ci->found);
	ck_assert_int_eq(ci->rt, CTR_RT_LXC);
	ck_str_or_null(ci->name, "web1");
	ck_str_or_null(ci->image, NULL);
	ck_assert(ends_with(ci->source, "/var/lib/lxc/web1/config"));
	ctr_info_unref(ci);

	id = parse("0::/lxc/other\n");
	ci = ctr_cache_get(c, &id);
	ck_assert(!ci->found);
	ck_str_or_null(ci->name, "other");
	ctr_info_unref(ci);

	id = parse("0::/machine.slice/machine-deb\\x2dtest.scope\n");
	ci = ctr_cache_get(c, &id);
	ck_assert_int_eq(ci->rt, CTR_RT_NSPAWN);
	ck_str_or_null(ci->name, "deb-test");
	ck_str_or_null(ci->cid, "deb-test");
	ctr_info_unref(ci);
	ctr_cache_free(c);
}
END_TEST

START_TEST(test_unknown_and_host)
{
	struct ctr_cache *c = fixture_cache();
	struct ctr_id id = parse("0::/kubepods/burstable/pod" UID1 "/"
	    H_UNKNOWN "\n");
	const struct ctr_info *ci = ctr_cache_get(c, &id), *h1, *h2;
	struct ctr_id host;

	ck_assert(!ci->found);
	ck_assert_str_eq(ci->id, H_UNKNOWN);
	ck_assert_str_eq(ci->cid, "9e9e9e9e9e9e");
	ck_str_or_null(ci->name, NULL);
	ck_str_or_null(ci->image, NULL);
	ck_str_or_null(ci->pod_uid, UID1);	/* from the cgroup path */
	ck_assert_int_eq(ci->privileged, -1);
	ctr_info_unref(ci);

	ck_assert_int_eq(ctr_parse_cgroup("0::/\n", 5, &host), CTR_HOST);
	h1 = ctr_cache_get(c, &host);
	h2 = ctr_cache_get(c, &host);
	ck_assert_ptr_eq(h1, h2);
	ck_assert_str_eq(h1->cid, "host");
	ck_assert_str_eq(h1->name, "host");
	ck_assert_int_eq(h1->rt, CTR_RT_HOST);
	ctr_info_unref(h1);
	ctr_info_unref(h2);
	ck_assert_ptr_null(ctr_info_unref(NULL));
	ck_assert_ptr_null(ctr_info_ref(NULL));
	ctr_cache_free(c);
	ctr_cache_free(NULL);
}
END_TEST

START_TEST(test_store_disabled)
{
	struct ctr_opts o = { .root = FIX, .no_docker = true };
	struct ctr_cache *c = ctr_cache_new(&o);
	struct ctr_id id = parse("0::/docker/" H_DOCKER "\n");
	const struct ctr_info *ci = ctr_cache_get(c, &id);

	/* Only docker's own (annotation-less) bundle is left: no name. */
	ck_assert_str_eq(ci->cid, "f9144e98edea");
	ck_str_or_null(ci->name, NULL);
	ck_str_or_null(ci->image, NULL);
	ctr_info_unref(ci);
	ctr_cache_free(c);
}
END_TEST

/* ---- cache behaviour, on a writable copy of the fixtures ---- */

static char tmp_root[64];
static uint64_t fake_now;

static uint64_t
fake_clock(void *arg)
{
	return fake_now;
}

static void
copy_fixtures(void)
{
	char cmd[PATH_MAX];

	strcpy(tmp_root, "/tmp/check_ctr_meta.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmp_root));
	snprintf(cmd, sizeof(cmd), "cp -a '%s/.' '%s/'", FIX, tmp_root);
	ck_assert_int_eq(system(cmd), 0);
}

static void
rm_tmp_root(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp_root);
	ck_assert_int_eq(system(cmd), 0);
}

static struct ctr_cache *
tmp_cache(size_t max)
{
	struct ctr_opts o = {
		.root = tmp_root, .max_entries = max, .ttl_ms = 60000,
		.check_ms = 1000, .miss_ttl_ms = 500, .now_ms = fake_clock,
	};
	struct ctr_cache *c;

	fake_now = 1000000;
	c = ctr_cache_new(&o);
	ck_assert_ptr_nonnull(c);
	return c;
}

/* Rewrite docker's config.v2.json with a new Name; mtime moves on. */
static void
rename_docker(const char *name)
{
	char path[PATH_MAX], cmd[PATH_MAX * 6];

	snprintf(path, sizeof(path), "%s/var/lib/docker/containers/%s/"
	    "config.v2.json", tmp_root, H_DOCKER);
	snprintf(cmd, sizeof(cmd), "jq -c '.Name=\"/%s\"' '%s' > '%s.new' && "
	    "touch -d '+10 seconds' '%s.new' && mv '%s.new' '%s'", name, path,
	    path, path, path, path);
	ck_assert_int_eq(system(cmd), 0);
}

static void
expect_stats(struct ctr_cache *c, uint64_t hits, uint64_t misses,
    uint64_t reloads, uint64_t evictions, size_t entries)
{
	struct ctr_cache_stats st;

	ctr_cache_stats(c, &st);
	ck_assert_msg(st.hits == hits && st.misses == misses &&
	    st.reloads == reloads && st.evictions == evictions &&
	    st.entries == entries,
	    "stats hits %llu misses %llu reloads %llu evictions %llu entries "
	    "%zu", (unsigned long long)st.hits, (unsigned long long)st.misses,
	    (unsigned long long)st.reloads, (unsigned long long)st.evictions,
	    st.entries);
}

START_TEST(test_cache_refs_and_invalidate)
{
	struct ctr_cache *c;
	struct ctr_id id = parse("0::/docker/" H_DOCKER "\n");
	const struct ctr_info *a, *b, *d;

	copy_fixtures();
	c = tmp_cache(16);
	a = ctr_cache_get(c, &id);
	b = ctr_cache_get(c, &id);
	ck_assert_ptr_eq(a, b);			/* the cached record */
	expect_stats(c, 1, 1, 0, 0, 1);
	ctr_cache_invalidate(c, H_DOCKER);
	expect_stats(c, 1, 1, 0, 0, 0);
	/* Handed-out references outlive the entry. */
	ck_assert_str_eq(a->name, "ctrx-d");
	d = ctr_cache_get(c, &id);
	ck_assert_ptr_ne(a, d);
	ck_assert_str_eq(d->name, "ctrx-d");
	expect_stats(c, 1, 2, 0, 0, 1);
	ctr_info_unref(a);
	ctr_info_unref(b);
	ctr_info_unref(d);
	ctr_cache_invalidate(c, "no-such-id");
	ctr_cache_invalidate(c, NULL);
	ctr_cache_free(c);
	rm_tmp_root();
}
END_TEST

START_TEST(test_cache_file_change)
{
	struct ctr_cache *c;
	struct ctr_id id = parse("0::/docker/" H_DOCKER "\n");
	const struct ctr_info *a, *b;

	copy_fixtures();
	c = tmp_cache(16);
	a = ctr_cache_get(c, &id);
	ck_assert_str_eq(a->name, "ctrx-d");
	rename_docker("renamed");
	/* Within check_ms the files are not looked at. */
	fake_now += 999;
	b = ctr_cache_get(c, &id);
	ck_assert_ptr_eq(a, b);
	ctr_info_unref(b);
	/* After it, the changed mtime triggers a re-read. */
	fake_now += 1;
	b = ctr_cache_get(c, &id);
	ck_assert_ptr_ne(a, b);
	ck_assert_str_eq(b->name, "renamed");
	ck_assert_str_eq(a->name, "ctrx-d");	/* old record untouched */
	expect_stats(c, 1, 1, 1, 0, 1);
	ctr_info_unref(b);
	/* Unchanged files: still cached after another check. */
	fake_now += 5000;
	b = ctr_cache_get(c, &id);
	ck_assert_str_eq(b->name, "renamed");
	expect_stats(c, 2, 1, 1, 0, 1);
	ctr_info_unref(b);
	ctr_info_unref(a);
	ctr_cache_free(c);
	rm_tmp_root();
}
END_TEST

START_TEST(test_cache_ttl_and_stop)
{
	struct ctr_cache *c;
	struct ctr_id id = parse("0::/docker/" H_DOCKER "\n");
	const struct ctr_info *a, *b;
	char cmd[PATH_MAX];

	copy_fixtures();
	c = tmp_cache(16);
	a = ctr_cache_get(c, &id);
	/* ttl_ms: re-read even though nothing changed. */
	fake_now += 60000;
	b = ctr_cache_get(c, &id);
	ck_assert_ptr_ne(a, b);
	ck_assert_str_eq(b->name, "ctrx-d");
	expect_stats(c, 0, 1, 1, 0, 1);
	ctr_info_unref(a);
	ctr_info_unref(b);
	/* The container stops: its files go, the next check notices. */
	snprintf(cmd, sizeof(cmd), "rm -rf '%s/var/lib/docker/containers/%s' "
	    "'%s/run/docker'", tmp_root, H_DOCKER, tmp_root);
	ck_assert_int_eq(system(cmd), 0);
	fake_now += 1000;
	b = ctr_cache_get(c, &id);
	ck_assert(!b->found);
	ck_str_or_null(b->name, NULL);
	ctr_info_unref(b);
	ctr_cache_free(c);
	rm_tmp_root();
}
END_TEST

START_TEST(test_cache_miss_ttl)
{
	struct ctr_cache *c;
	struct ctr_id id = parse("0::/docker/" H_UNKNOWN "\n");
	const struct ctr_info *a;
	char cmd[PATH_MAX * 2];

	copy_fixtures();
	c = tmp_cache(16);
	a = ctr_cache_get(c, &id);
	ck_assert(!a->found);
	ctr_info_unref(a);
	/* The container starts: dockerd writes its files. */
	snprintf(cmd, sizeof(cmd), "cp -a '%s/var/lib/docker/containers/%s' "
	    "'%s/var/lib/docker/containers/%s'", tmp_root, H_DOCKER, tmp_root,
	    H_UNKNOWN);
	ck_assert_int_eq(system(cmd), 0);
	fake_now += 499;
	a = ctr_cache_get(c, &id);
	ck_assert(!a->found);			/* within miss_ttl_ms */
	ctr_info_unref(a);
	fake_now += 1;
	a = ctr_cache_get(c, &id);
	ck_assert(a->found);
	ck_assert_str_eq(a->name, "ctrx-d");
	ck_assert_str_eq(a->cid, "9e9e9e9e9e9e");
	ctr_info_unref(a);
	ctr_cache_free(c);
	rm_tmp_root();
}
END_TEST

START_TEST(test_cache_lru)
{
	struct ctr_cache *c = NULL;
	struct ctr_id d = parse("0::/docker/" H_DOCKER "\n");
	struct ctr_id p = parse("0::/libpod_parent/libpod-" H_PODMAN "\n");
	struct ctr_id o = parse("0::/kubepods/pod" UID2 "/crio-" H_CRIO "\n");
	const struct ctr_info *ci;

	copy_fixtures();
	c = tmp_cache(2);
	ctr_info_unref(ctr_cache_get(c, &d));
	ctr_info_unref(ctr_cache_get(c, &p));
	ctr_info_unref(ctr_cache_get(c, &d));	/* d is now the most recent */
	ci = ctr_cache_get(c, &o);		/* evicts p */
	ck_assert_str_eq(ci->name, "ctrx-o");
	ctr_info_unref(ci);
	expect_stats(c, 1, 3, 0, 1, 2);
	ctr_info_unref(ctr_cache_get(c, &d));	/* hit */
	ctr_info_unref(ctr_cache_get(c, &p));	/* miss again; evicts o */
	expect_stats(c, 2, 4, 0, 2, 2);
	ctr_cache_free(c);
	rm_tmp_root();
}
END_TEST

/* Many threads get and invalidate: no crash, every answer right. */
struct race {
	struct ctr_cache *c;
	int	bad;
};

static void *
race_thread(void *arg)
{
	struct race *r = arg;
	struct ctr_id ids[3] = {
		parse("0::/docker/" H_DOCKER "\n"),
		parse("0::/libpod_parent/libpod-" H_PODMAN "\n"),
		parse("0::/kubepods/pod" UID2 "/crio-" H_CRIO "\n"),
	};
	static const char *const names[3] = { "ctrx-d", "ctrx-p", "ctrx-o" };

	for (int i = 0; i < 2000; i++) {
		const struct ctr_info *ci = ctr_cache_get(r->c, &ids[i % 3]);

		if (ci == NULL || ci->name == NULL ||
		    strcmp(ci->name, names[i % 3]) != 0)
			__atomic_add_fetch(&r->bad, 1, __ATOMIC_RELAXED);
		if (i % 7 == 0)
			ctr_cache_invalidate(r->c, ids[(i / 7) % 3].id);
		ctr_info_unref(ci);
	}
	return NULL;
}

START_TEST(test_cache_threads)
{
	struct ctr_opts o = { .root = FIX, .max_entries = 2 };
	struct race r = { ctr_cache_new(&o), 0 };
	pthread_t t[4];
	struct ctr_cache_stats st;

	for (int i = 0; i < 4; i++)
		ck_assert_int_eq(pthread_create(&t[i], NULL, race_thread, &r), 0);
	for (int i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	ck_assert_int_eq(r.bad, 0);
	ctr_cache_stats(r.c, &st);
	ck_assert_uint_eq(st.hits + st.misses + st.reloads, 8000);
	ck_assert_uint_le(st.entries, 2);
	ctr_cache_free(r.c);
}
END_TEST

/* ---- the API lookup against a canned server ---- */

struct fake_api {
	char	path[108];
	int	lfd;
	int	status;
	const char *body;
	char	request[512];
};

static void *
fake_api_serve(void *arg)
{
	struct fake_api *a = arg;
	char resp[4096];
	size_t off = 0;
	ssize_t n;
	int fd = accept(a->lfd, NULL, NULL);

	if (fd < 0)
		return NULL;
	while (off < sizeof(a->request) - 1 && strstr(a->request, "\r\n\r\n") ==
	    NULL && (n = read(fd, a->request + off,
	    sizeof(a->request) - 1 - off)) > 0)
		off += (size_t)n;
	snprintf(resp, sizeof(resp), "HTTP/1.1 %d X\r\nContent-Type: "
	    "application/json\r\nContent-Length: %zu\r\nConnection: close\r\n"
	    "\r\n%s", a->status, strlen(a->body), a->body);
	if (write(fd, resp, strlen(resp)) < 0)
		a->status = -1;
	close(fd);
	return NULL;
}

static void
fake_api_start(struct fake_api *a, pthread_t *t)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };

	snprintf(a->path, sizeof(a->path), "/tmp/check_ctr_api.%d.sock",
	    (int)getpid());
	unlink(a->path);
	strcpy(sa.sun_path, a->path);
	a->lfd = socket(AF_UNIX, SOCK_STREAM, 0);
	ck_assert_int_ge(a->lfd, 0);
	ck_assert_int_eq(bind(a->lfd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	ck_assert_int_eq(listen(a->lfd, 1), 0);
	ck_assert_int_eq(pthread_create(t, NULL, fake_api_serve, a), 0);
}

START_TEST(test_api_inspect)
{
	/* The shape of Docker's GET /containers/<id>/json, trimmed. */
	struct fake_api a = { .status = 200, .body =
	    "{\"Id\":\"" H_UNKNOWN "\",\"Name\":\"/from-api\","
	    "\"Image\":\"sha256:" IMG_ID "\",\"Config\":{\"Image\":"
	    "\"localhost:5000/x:1\",\"Labels\":{}},\"HostConfig\":"
	    "{\"Privileged\":true}}" };
	struct ctr_opts o = { .root = FIX, .docker_api = true,
	    .api_timeout_ms = 2000 };
	struct ctr_id id = parse("0::/docker/" H_UNKNOWN "\n");
	struct ctr_cache *c;
	const struct ctr_info *ci;
	struct ctr_cache_stats st;
	pthread_t t;

	fake_api_start(&a, &t);
	o.docker_socket = a.path;
	c = ctr_cache_new(&o);
	ci = ctr_cache_get(c, &id);
	pthread_join(t, NULL);
	ck_assert_msg(strncmp(a.request, "GET /containers/" H_UNKNOWN
	    "/json HTTP/1.1\r\n", 16 + 64 + 16) == 0, "request: %s", a.request);
	ck_assert(ci->found);
	ck_str_or_null(ci->name, "from-api");
	ck_str_or_null(ci->image_repo, "localhost:5000/x");
	ck_str_or_null(ci->image_tag, "1");
	ck_assert_int_eq(ci->privileged, 1);
	ck_str_or_null(ci->source, "api");
	ctr_cache_stats(c, &st);
	ck_assert_uint_eq(st.api_calls, 1);
	ck_assert_uint_eq(st.api_errors, 0);
	ctr_info_unref(ci);

	/* Files known: no API call at all. */
	id = parse("0::/docker/" H_DOCKER "\n");
	ci = ctr_cache_get(c, &id);
	ck_str_or_null(ci->name, "ctrx-d");
	ctr_info_unref(ci);
	ctr_cache_stats(c, &st);
	ck_assert_uint_eq(st.api_calls, 1);
	ctr_cache_free(c);
	close(a.lfd);
	unlink(a.path);
}
END_TEST

START_TEST(test_api_errors)
{
	struct fake_api a = { .status = 404, .body = "{\"message\":\"No such "
	    "container\"}" };
	struct ctr_opts o = { .root = FIX, .docker_api = true,
	    .api_timeout_ms = 2000 };
	struct ctr_id id = parse("0::/docker/" H_UNKNOWN "\n");
	struct ctr_cache *c;
	const struct ctr_info *ci;
	struct ctr_cache_stats st;
	pthread_t t;

	fake_api_start(&a, &t);
	o.docker_socket = a.path;
	c = ctr_cache_new(&o);
	ci = ctr_cache_get(c, &id);
	pthread_join(t, NULL);
	ck_assert(!ci->found);
	ck_str_or_null(ci->name, NULL);
	ctr_info_unref(ci);
	close(a.lfd);
	unlink(a.path);
	/* No server at all: refused, counted, no name. */
	ctr_cache_invalidate(c, H_UNKNOWN);
	ci = ctr_cache_get(c, &id);
	ck_assert(!ci->found);
	ctr_info_unref(ci);
	ctr_cache_stats(c, &st);
	ck_assert_uint_eq(st.api_calls, 2);
	ck_assert_uint_eq(st.api_errors, 2);
	ctr_cache_free(c);
}
END_TEST

/* ---- configuration ---- */

START_TEST(test_opts_from_conf)
{
	struct fc_conf *cf = conf_new();
	struct ctr_opts o;
	char err[256];

	ctr_opts_from_conf(cf, &o);
	ck_assert(!o.docker_api && !o.podman_api && !o.no_docker);
	ck_assert_ptr_null(o.docker_socket);
	ck_assert_ptr_null(o.root);
	ck_assert_uint_eq(o.max_entries, 1024);
	ck_assert_uint_eq(o.ttl_ms, 60000);
	ck_assert_uint_eq(o.check_ms, 1000);
	ck_assert_uint_eq(o.miss_ttl_ms, 1000);
	ck_assert_uint_eq(o.api_timeout_ms, 1000);

	ck_assert_int_eq(conf_set_option(cf, "container_engines.docker.api=true",
	    err, sizeof(err)), 0);
	ck_assert_int_eq(conf_set_option(cf, "container_engines.docker."
	    "api_socket=/run/d.sock", err, sizeof(err)), 0);
	ck_assert_int_eq(conf_set_option(cf, "container_engines.podman."
	    "enabled=false", err, sizeof(err)), 0);
	ck_assert_int_eq(conf_set_option(cf, "container_engines.host_root=/host",
	    err, sizeof(err)), 0);
	ck_assert_int_eq(conf_set_option(cf, "container_engines.cache."
	    "max_entries=64", err, sizeof(err)), 0);
	ck_assert_int_eq(conf_set_option(cf, "container_engines.cache."
	    "ttl_ms=0", err, sizeof(err)), 0);
	ctr_opts_from_conf(cf, &o);
	ck_assert(o.docker_api && o.no_podman && !o.no_crio);
	ck_assert_str_eq(o.docker_socket, "/run/d.sock");
	ck_assert_str_eq(o.root, "/host");
	ck_assert_uint_eq(o.max_entries, 64);
	ck_assert_uint_eq(o.ttl_ms, 60000);	/* 0 is out of range */
	ck_assert_uint_eq(conf_nerrors(cf), 1);
	ck_assert_ptr_nonnull(strstr(conf_error_msg(cf, 0),
	    "container_engines.cache.ttl_ms"));
	conf_free(cf);
}
END_TEST

Suite *
suite_for_main(void)
{
	Suite *s = suite_create("container_meta");
	TCase *tc = tcase_create("files");

	tcase_add_test(tc, test_docker_real);
	tcase_add_test(tc, test_docker_k8s_privileged);
	tcase_add_test(tc, test_docker_privileged_from_bundle);
	tcase_add_test(tc, test_containerd_cri_real);
	tcase_add_test(tc, test_containerd_sandbox);
	tcase_add_test(tc, test_containerd_ctr);
	tcase_add_test(tc, test_crio_real);
	tcase_add_test(tc, test_kubepods_hex_refined);
	tcase_add_test(tc, test_crio_runc_state_only);
	tcase_add_test(tc, test_podman_real);
	tcase_add_test(tc, test_podman_volatile_privileged);
	tcase_add_test(tc, test_lxc_nspawn);
	tcase_add_test(tc, test_unknown_and_host);
	tcase_add_test(tc, test_store_disabled);
	suite_add_tcase(s, tc);

	tc = tcase_create("cache");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_cache_refs_and_invalidate);
	tcase_add_test(tc, test_cache_file_change);
	tcase_add_test(tc, test_cache_ttl_and_stop);
	tcase_add_test(tc, test_cache_miss_ttl);
	tcase_add_test(tc, test_cache_lru);
	tcase_add_test(tc, test_cache_threads);
	suite_add_tcase(s, tc);

	tc = tcase_create("api");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_api_inspect);
	tcase_add_test(tc, test_api_errors);
	suite_add_tcase(s, tc);

	tc = tcase_create("conf");
	tcase_add_test(tc, test_opts_from_conf);
	suite_add_tcase(s, tc);
	return s;
}
