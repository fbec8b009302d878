/*
 * check_container_cgroup.c - container identity from /proc/PID/cgroup:
 * a vector table over every runtime's naming (cgroup v1 and v2 lines,
 * systemd and cgroupfs drivers, k8s pod uid and QoS), negative cases
 * (hex that is not a container, monitors, malformed lines), the image
 * reference splitter, and ctr_id_of_pid over a fixture /proc and the
 * real one (the host, a process that is gone).
 *
 * Real strings: the testbed's (shared/testbed/README.md) and Falco's
 * matcher tests as quoted in fanotify-containers.md §3.2.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "container/container.h"
#include "check_main.h"

#define H1 "f9144e98edea541d22623ea00d09bb9b731fc91c8d9b39baae7320ae27b5f078"
#define H2 "c5f6a7047bf86fefb5d16c0711216d5a7eed8d3b3620115c74b458365dc4451a"
#define H3 "021ff9427c9b13b412dc66f0cb589af089389a287316e748c3ef9693445b8840"
#define H4 "058a15d2b1ffe3f346c8a40d80d11ca9d0295ef92a4cce1b25fb568f30f63102"
#define FALCO_CRI "d52db56a9c80d536a91354c0951c061187ca46249e64865a12703003d8f42366"
#define UID1 "de92efa9-79df-4377-a18d-d4f1fd4d883b"
#define UID1_ "de92efa9_79df_4377_a18d_d4f1fd4d883b"
#define UID2 "b8e855ac-9716-43a0-9b87-8afdce40a054"
#define UID2_ "b8e855ac_9716_43a0_9b87_8afdce40a054"
#define H63 "f9144e98edea541d22623ea00d09bb9b731fc91c8d9b39baae7320ae27b5f07"

/* Every v1 hierarchy of the test VM plus the v2 line, all on PATH. */
#define V1(path) "9:name=systemd:" path "\n8:pids:" path "\n7:blkio:" path \
	"\n6:freezer:" path "\n5:devices:" path "\n4:memory:" path \
	"\n3:cpuset:" path "\n2:cpuacct:" path "\n1:cpu:" path "\n0::" path "\n"
#define V2(path) "0::" path "\n"

struct vec {
	const char *what;
	const char *text;
	int	rc;
	enum ctr_runtime rt;
	const char *id, *cid, *ns, *pod_uid;
	enum ctr_qos qos;
};

#define HOST(what, text) { what, text, CTR_HOST, CTR_RT_HOST, "", "host", "", "", 0 }

static const struct vec vecs[] = {
	/* ---- docker ---- */
	{ "docker cgroupfs v1 (real dockerd)", V1("/docker/" H1), CTR_CONTAINER,
	    CTR_RT_DOCKER, H1, "f9144e98edea", "", "", 0 },
	{ "docker cgroupfs v2", V2("/docker/" H1), CTR_CONTAINER,
	    CTR_RT_DOCKER, H1, "f9144e98edea", "", "", 0 },
	{ "docker systemd v2", V2("/system.slice/docker-" H1 ".scope"),
	    CTR_CONTAINER, CTR_RT_DOCKER, H1, "f9144e98edea", "", "", 0 },
	{ "docker systemd v1", "1:name=systemd:/system.slice/docker-" H1
	    ".scope\n", CTR_CONTAINER, CTR_RT_DOCKER, H1, "f9144e98edea", "",
	    "", 0 },
	{ "docker systemd, Falco's docker.slice", V2("/docker.slice/docker-" H1
	    ".scope"), CTR_CONTAINER, CTR_RT_DOCKER, H1, "f9144e98edea", "",
	    "", 0 },
	{ "docker-in-docker: innermost wins", V2("/docker/" H1 "/docker/" H2),
	    CTR_CONTAINER, CTR_RT_DOCKER, H2, "c5f6a7047bf8", "", "", 0 },
	{ "docker, process in a sub-cgroup", V2("/system.slice/docker-" H1
	    ".scope/init.scope"), CTR_CONTAINER, CTR_RT_DOCKER, H1,
	    "f9144e98edea", "", "", 0 },
	{ "docker under GitHub actions_job", V2("/actions_job/" H1),
	    CTR_CONTAINER, CTR_RT_DOCKER, H1, "f9144e98edea", "", "", 0 },
	{ "docker seen from a private cgroupns", V2("/../../docker/" H1),
	    CTR_CONTAINER, CTR_RT_DOCKER, H1, "f9144e98edea", "", "", 0 },
	{ "cri-dockerd systemd", V2("/kubepods.slice/kubepods-besteffort.slice/"
	    "kubepods-besteffort-pod" UID1_ ".slice/docker-" H1 ".scope"),
	    CTR_CONTAINER, CTR_RT_DOCKER, H1, "f9144e98edea", "", UID1,
	    CTR_QOS_BESTEFFORT },
	/* ---- containerd CRI ---- */
	{ "containerd CRI systemd besteffort v1 (real)",
	    V1("/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod"
	    UID1_ ".slice/cri-containerd-" H2 ".scope"), CTR_CONTAINER,
	    CTR_RT_CONTAINERD, H2, "c5f6a7047bf8", "", UID1, CTR_QOS_BESTEFFORT },
	{ "containerd CRI systemd burstable v2", V2("/kubepods.slice/"
	    "kubepods-burstable.slice/kubepods-burstable-pod" UID1_
	    ".slice/cri-containerd-" H2 ".scope"), CTR_CONTAINER,
	    CTR_RT_CONTAINERD, H2, "c5f6a7047bf8", "", UID1, CTR_QOS_BURSTABLE },
	{ "containerd CRI systemd guaranteed", V2("/kubepods.slice/kubepods-pod"
	    UID1_ ".slice/cri-containerd-" H2 ".scope"), CTR_CONTAINER,
	    CTR_RT_CONTAINERD, H2, "c5f6a7047bf8", "", UID1,
	    CTR_QOS_GUARANTEED },
	{ "containerd CRI cgroupfs burstable", V1("/kubepods/burstable/pod" UID1
	    "/" H2), CTR_CONTAINER, CTR_RT_CONTAINERD, H2, "c5f6a7047bf8", "",
	    UID1, CTR_QOS_BURSTABLE },
	{ "containerd CRI cgroupfs guaranteed", V2("/kubepods/pod" UID1 "/" H2),
	    CTR_CONTAINER, CTR_RT_CONTAINERD, H2, "c5f6a7047bf8", "", UID1,
	    CTR_QOS_GUARANTEED },
	{ "kubepods under a --cgroup-root", V2("/custom/kubepods/besteffort/pod"
	    UID1 "/" H2), CTR_CONTAINER, CTR_RT_CONTAINERD, H2, "c5f6a7047bf8",
	    "", UID1, CTR_QOS_BESTEFFORT },
	{ "containerd :cri-containerd: (Falco vector, static pod uid)",
	    "1:name=systemd:/kubepods-burstable-podbd12dd3393227d950605a2444b13c27a"
	    ".slice:cri-containerd:" FALCO_CRI "\n", CTR_CONTAINER,
	    CTR_RT_CONTAINERD, FALCO_CRI, "d52db56a9c80", "",
	    "bd12dd3393227d950605a2444b13c27a", CTR_QOS_BURSTABLE },
	{ "nerdctl systemd", V2("/system.slice/nerdctl-" H2 ".scope"),
	    CTR_CONTAINER, CTR_RT_CONTAINERD, H2, "c5f6a7047bf8", "", "", 0 },
	/* ---- containerd ctr ---- */
	{ "ctr default namespace, a name (Falco vector)",
	    V1("/default/test_container"), CTR_CONTAINER, CTR_RT_CONTAINERD,
	    "test_container", "test_contain", "default", "", 0 },
	{ "ctr k8s.io namespace, hex id", V2("/k8s.io/" H2), CTR_CONTAINER,
	    CTR_RT_CONTAINERD, H2, "c5f6a7047bf8", "k8s.io", "", 0 },
	{ "ctr short name", V2("/default/web"), CTR_CONTAINER,
	    CTR_RT_CONTAINERD, "web", "web", "default", "", 0 },
	/* ---- cri-o ---- */
	{ "cri-o systemd besteffort (real runc)", V1("/kubepods.slice/"
	    "kubepods-besteffort.slice/kubepods-besteffort-pod" UID2_
	    ".slice/crio-" H3 ".scope"), CTR_CONTAINER, CTR_RT_CRIO, H3,
	    "021ff9427c9b", "", UID2, CTR_QOS_BESTEFFORT },
	{ "cri-o cgroupfs", V2("/kubepods/besteffort/pod" UID2 "/crio-" H3),
	    CTR_CONTAINER, CTR_RT_CRIO, H3, "021ff9427c9b", "", UID2,
	    CTR_QOS_BESTEFFORT },
	{ "cri-o :crio: form", V2("/kubepods-pod" UID2_ ".slice:crio:" H3),
	    CTR_CONTAINER, CTR_RT_CRIO, H3, "021ff9427c9b", "", UID2,
	    CTR_QOS_GUARANTEED },
	/* ---- podman ---- */
	{ "podman cgroupfs (real podman)", V1("/libpod_parent/libpod-" H4),
	    CTR_CONTAINER, CTR_RT_PODMAN, H4, "058a15d2b1ff", "", "", 0 },
	{ "podman systemd", V2("/machine.slice/libpod-" H4 ".scope"),
	    CTR_CONTAINER, CTR_RT_PODMAN, H4, "058a15d2b1ff", "", "", 0 },
	{ "podman systemd /container leaf", V2("/machine.slice/libpod-" H4
	    ".scope/container"), CTR_CONTAINER, CTR_RT_PODMAN, H4,
	    "058a15d2b1ff", "", "", 0 },
	{ "podman --cgroups=split payload", V2("/machine.slice/libpod-payload-"
	    H4), CTR_CONTAINER, CTR_RT_PODMAN, H4, "058a15d2b1ff", "", "", 0 },
	{ "podman system.slice (Falco vector)", V2("/system.slice/libpod-" H4),
	    CTR_CONTAINER, CTR_RT_PODMAN, H4, "058a15d2b1ff", "", "", 0 },
	{ "podman rootless", V2("/user.slice/user-1000.slice/user@1000.service/"
	    "user.slice/libpod-" H4 ".scope/container"), CTR_CONTAINER,
	    CTR_RT_PODMAN, H4, "058a15d2b1ff", "", "", 0 },
	/* ---- lxc ---- */
	{ "lxc /lxc/<name>", V1("/lxc/web1"), CTR_CONTAINER, CTR_RT_LXC,
	    "web1", "web1", "", "", 0 },
	{ "lxc 4 lxc.payload.<name>", V1("/lxc.payload.my-long_container.1"),
	    CTR_CONTAINER, CTR_RT_LXC, "my-long_container.1",
	    "my-long_container.1", "", "", 0 },
	{ "lxc lxc.payload/<name>", V2("/lxc.payload/web1"), CTR_CONTAINER,
	    CTR_RT_LXC, "web1", "web1", "", "", 0 },
	{ "lxc, process in a sub-cgroup", V2("/lxc.payload.web1/init.scope"),
	    CTR_CONTAINER, CTR_RT_LXC, "web1", "web1", "", "", 0 },
	/* ---- systemd-nspawn ---- */
	{ "nspawn with an escaped name", V2("/machine.slice/machine-deb"
	    "\\x2dtest.scope"), CTR_CONTAINER, CTR_RT_NSPAWN, "deb-test",
	    "deb-test", "", "", 0 },
	{ "nspawn payload child", V1("/machine.slice/machine-web.scope/payload"),
	    CTR_CONTAINER, CTR_RT_NSPAWN, "web", "web", "", "", 0 },
	/* ---- mixed lines: the first that names a container wins ---- */
	{ "v1 lines host, v2 line a container (fake engine, v2 only)",
	    "4:memory:/process_api/aa8fb23f9bf47add855af9115da65e3a\n1:cpu:/\n"
	    "0::/docker/" H1 "\n", CTR_CONTAINER, CTR_RT_DOCKER, H1,
	    "f9144e98edea", "", "", 0 },
	{ "no trailing newline, CRLF, junk lines skipped",
	    "garbage\n1:cpu\n0::relative\n\r\n2:cpuacct:/docker/" H1 "\r",
	    CTR_CONTAINER, CTR_RT_DOCKER, H1, "f9144e98edea", "", "", 0 },
	/* ---- not containers ---- */
	HOST("this VM's harness cgroup: 32 hex", "9:name=systemd:/\n"
	    "4:memory:/process_api/aa8fb23f9bf47add855af9115da65e3a\n0::/\n"),
	HOST("64 hex under an unknown parent", V1("/user.slice/" H1)),
	HOST("64 hex at the root", V2("/" H1)),
	HOST("64 hex inside a longer name", V2("/system.slice/app-" H1 ".scope")),
	HOST("docker-<63 hex>.scope", V2("/system.slice/docker-" H63 ".scope")),
	HOST("/docker/<63 hex>", V2("/docker/" H63)),
	HOST("/docker/<65 hex>", V2("/docker/" H1 "0")),
	HOST("/docker/<64 chars, one not hex>", V2("/docker/" H63 "g")),
	HOST("dockerd itself", V1("/system.slice/docker.service")),
	HOST("containerd itself", V2("/system.slice/containerd.service")),
	HOST("a session", V2("/user.slice/user-0.slice/session-4.scope")),
	HOST("root", V1("/")),
	HOST("init.scope", V2("/init.scope")),
	HOST("pod cgroup, no container", V2("/kubepods/besteffort/pod" UID1)),
	HOST("kubepods slice only", V2("/kubepods.slice/kubepods-besteffort.slice")),
	HOST("podman conmon (cgroupfs)", V1("/libpod_parent/conmon")),
	HOST("podman conmon (systemd)", V2("/machine.slice/libpod-conmon-" H4
	    ".scope")),
	HOST("cri-o conmon", V2("/kubepods.slice/kubepods-pod" UID2_
	    ".slice/crio-conmon-" H3 ".scope")),
	HOST("lxc monitor", V1("/lxc.monitor.web1")),
	HOST("nspawn supervisor", V2("/machine.slice/machine-web.scope/supervisor")),
	HOST("libvirt VM", V2("/machine.slice/machine-qemu\\x2d1\\x2dvm.scope")),
	HOST("ctr namespace not at the top", V2("/mycorp/default/test")),
	HOST("ctr namespace, a slice", V2("/default/foo.slice")),
	HOST("ctr namespace, deeper", V2("/default/a/b")),
	HOST("unknown :x: form", V2("/foo.slice:other:" H1)),
	HOST("lxc with a bad name", V2("/lxc/we b")),
	HOST("empty", ""),
	HOST("junk only", "no colons here\n::\n1:x:relative/docker/" H1 "\n"),
};

START_TEST(test_vectors)
{
	const struct vec *v = &vecs[_i];
	struct ctr_id id;
	int rc;

	memset(&id, 0x5a, sizeof(id));
	rc = ctr_parse_cgroup(v->text, strlen(v->text), &id);
	ck_assert_msg(rc == v->rc, "%s: rc %d, want %d", v->what, rc, v->rc);
	ck_assert_msg(id.rt == v->rt, "%s: runtime %s, want %s", v->what,
	    ctr_runtime_name(id.rt), ctr_runtime_name(v->rt));
	ck_assert_msg(strcmp(id.id, v->id) == 0, "%s: id '%s'", v->what, id.id);
	ck_assert_msg(strcmp(id.cid, v->cid) == 0, "%s: cid '%s'", v->what,
	    id.cid);
	ck_assert_msg(strcmp(id.ns, v->ns) == 0, "%s: ns '%s'", v->what, id.ns);
	ck_assert_msg(strcmp(id.pod_uid, v->pod_uid) == 0, "%s: pod uid '%s'",
	    v->what, id.pod_uid);
	ck_assert_msg(id.qos == v->qos, "%s: qos %d, want %d", v->what,
	    (int)id.qos, (int)v->qos);
	ck_assert(!id.pidns_child);
}
END_TEST

START_TEST(test_not_nul_terminated)
{
	/* Only len bytes count: the text goes on past them. */
	static const char text[] = "0::/docker/" H1 "\n0::/docker/" H2;
	struct ctr_id id;

	ck_assert_int_eq(ctr_parse_cgroup(text, 11 + 64 - 1, &id), CTR_HOST);
	ck_assert_str_eq(id.cid, "host");
	ck_assert_int_eq(ctr_parse_cgroup(text, 11 + 64, &id), CTR_CONTAINER);
	ck_assert_str_eq(id.id, H1);
	ck_assert_int_eq(ctr_parse_cgroup(NULL, 0, &id), CTR_HOST);
	ck_assert_int_eq(ctr_parse_cgroup(NULL, 3, &id), -EINVAL);
	ck_assert_int_eq(ctr_parse_cgroup(text, 3, NULL), -EINVAL);
}
END_TEST

START_TEST(test_deep_path)
{
	/* 300 components: the leaf is still seen. */
	char *text = malloc(8192);
	size_t off = 0;

	off += (size_t)sprintf(text, "0::");
	for (int i = 0; i < 300; i++)
		off += (size_t)sprintf(text + off, "/d%d", i);
	sprintf(text + off, "/docker/%s\n", H1);
	{
		struct ctr_id id;

		ck_assert_int_eq(ctr_parse_cgroup(text, strlen(text), &id),
		    CTR_CONTAINER);
		ck_assert_str_eq(id.cid, "f9144e98edea");
	}
	free(text);
}
END_TEST

START_TEST(test_runtime_names)
{
	ck_assert_str_eq(ctr_runtime_name(CTR_RT_HOST), "host");
	ck_assert_str_eq(ctr_runtime_name(CTR_RT_DOCKER), "docker");
	ck_assert_str_eq(ctr_runtime_name(CTR_RT_CONTAINERD), "containerd");
	ck_assert_str_eq(ctr_runtime_name(CTR_RT_CRIO), "cri-o");
	ck_assert_str_eq(ctr_runtime_name(CTR_RT_PODMAN), "podman");
	ck_assert_str_eq(ctr_runtime_name(CTR_RT_LXC), "lxc");
	ck_assert_str_eq(ctr_runtime_name(CTR_RT_NSPAWN), "systemd-nspawn");
	ck_assert_str_eq(ctr_runtime_name(CTR_RT_MAX), "unknown");
}
END_TEST

/* ---- image references ---- */

struct img_vec {
	const char *ref, *repo, *tag, *digest;	/* NULL: absent */
};

static const struct img_vec img_vecs[] = {
	{ "busybox", "busybox", NULL, NULL },
	{ "busybox:1.36", "busybox", "1.36", NULL },
	{ "docker.io/library/busybox:testbed", "docker.io/library/busybox",
	    "testbed", NULL },
	{ "localhost:5000/x:1", "localhost:5000/x", "1", NULL },
	{ "localhost:5000/x", "localhost:5000/x", NULL, NULL },
	{ "localhost:5000/team/app:v2.1-rc", "localhost:5000/team/app",
	    "v2.1-rc", NULL },
	{ "nginx@sha256:0123abcd", "nginx", NULL, "sha256:0123abcd" },
	{ "registry:5000/a/b:tag@sha256:ff00", "registry:5000/a/b", "tag",
	    "sha256:ff00" },
	{ "quay.io/x/y:latest", "quay.io/x/y", "latest", NULL },
	{ "", "", NULL, NULL },
};

static void
expect_part(const char *what, const char *p, size_t len, const char *want)
{
	if (want == NULL) {
		ck_assert_msg(p == NULL && len == 0, "%s: present", what);
		return;
	}
	ck_assert_msg(p != NULL && len == strlen(want) &&
	    memcmp(p, want, len) == 0, "%s: got '%.*s', want '%s'", what,
	    (int)len, p != NULL ? p : "", want);
}

START_TEST(test_image_split)
{
	const struct img_vec *v = &img_vecs[_i];
	struct ctr_image_ref r;

	ctr_image_split(v->ref, &r);
	expect_part(v->ref, r.repo, r.repo_len, v->repo);
	expect_part(v->ref, r.tag, r.tag_len, v->tag);
	expect_part(v->ref, r.digest, r.digest_len, v->digest);
}
END_TEST

/* ---- ctr_id_of_pid ---- */

static char fixture_dir[64];

static void
write_file(int dirfd, const char *path, const char *data, size_t len)
{
	int fd = openat(dirfd, path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, data, len), (ssize_t)len);
	close(fd);
}

/* A fake /proc with <pid>/cgroup files; returns its dirfd. */
static int
fake_proc(void)
{
	int dfd;

	strcpy(fixture_dir, "/tmp/check_ctr_proc.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(fixture_dir));
	dfd = open(fixture_dir, O_RDONLY | O_DIRECTORY);
	ck_assert_int_ge(dfd, 0);
	return dfd;
}

static void
rm_fake_proc(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", fixture_dir);
	ck_assert_int_eq(system(cmd), 0);
}

START_TEST(test_pid_fixture)
{
	static const char crio[] = V1("/kubepods.slice/kubepods-besteffort.slice/"
	    "kubepods-besteffort-pod" UID2_ ".slice/crio-" H3 ".scope");
	int dfd = fake_proc();
	struct ctr_id id;

	ck_assert_int_eq(mkdirat(dfd, "4242", 0755), 0);
	write_file(dfd, "4242/cgroup", crio, sizeof(crio) - 1);
	ck_assert_int_eq(mkdirat(dfd, "77", 0755), 0);
	write_file(dfd, "77/cgroup", "4:memory:/process_api/ab\n0::/\n", 29);
	/* NSpid: one pid per namespace level (kernel >= 4.1). */
	ck_assert_int_eq(mkdirat(dfd, "4243", 0755), 0);
	write_file(dfd, "4243/cgroup", crio, sizeof(crio) - 1);
	write_file(dfd, "4243/status", "Name:\tsleep\nNSpid:\t4243\t1\n"
	    "NSpgid:\t4243\t1\n", 41);
	ck_assert_int_eq(mkdirat(dfd, "78", 0755), 0);
	write_file(dfd, "78/cgroup", "0::/\n", 5);
	write_file(dfd, "78/status", "Name:\tbash\nNSpid:\t78\nNSpgid:\t78\n",
	    32);

	ck_assert_int_eq(ctr_id_of_pid(dfd, 4242, &id), CTR_CONTAINER);
	ck_assert_int_eq(id.rt, CTR_RT_CRIO);
	ck_assert_str_eq(id.cid, "021ff9427c9b");
	ck_assert_str_eq(id.pod_uid, UID2);
	/* No ns/pid files in the fixture: not known to be namespaced. */
	ck_assert(!id.pidns_child);
	ck_assert_int_eq(ctr_id_of_pid(dfd, 77, &id), CTR_HOST);
	ck_assert_str_eq(id.cid, "host");
	ck_assert_int_eq(ctr_id_of_pid(dfd, 4243, &id), CTR_CONTAINER);
	ck_assert(id.pidns_child);
	ck_assert_int_eq(ctr_id_of_pid(dfd, 78, &id), CTR_HOST);
	ck_assert(!id.pidns_child);
	/* A pid without a directory is gone, not an error. */
	ck_assert_int_eq(ctr_id_of_pid(dfd, 999, &id), -ESRCH);
	ck_assert_str_eq(id.cid, "host");
	ck_assert_int_eq(ctr_id_of_pid(dfd, 0, &id), -EINVAL);
	ck_assert_int_eq(ctr_id_of_pid(dfd, 4242, NULL), -EINVAL);
	close(dfd);
	rm_fake_proc();
}
END_TEST

START_TEST(test_pid_size_cap)
{
	/* 100 KiB of host lines: a container line past the cap is never
	 * read, one before it is; a line cut by the cap is dropped. */
	size_t big = 100 * 1024, off = 0;
	char *text = malloc(big + 256);
	const char *line = "3:cpuset:/some/long/host/path/xxxxxxxxxxxxxxxx\n";
	int dfd = fake_proc();
	struct ctr_id id;

	while (off < big) {
		memcpy(text + off, line, strlen(line));
		off += strlen(line);
	}
	off += (size_t)sprintf(text + off, "0::/docker/%s\n", H1);
	ck_assert_int_eq(mkdirat(dfd, "10", 0755), 0);
	write_file(dfd, "10/cgroup", text, off);
	ck_assert_int_eq(ctr_id_of_pid(dfd, 10, &id), CTR_HOST);

	/* The cap falls inside "/docker/<id>": the cut line is ignored. */
	off = CTR_CGROUP_MAX - 20;
	memset(text, '\n', off);
	off += (size_t)sprintf(text + off, "0::/docker/%s\n", H1);
	ck_assert_int_eq(mkdirat(dfd, "11", 0755), 0);
	write_file(dfd, "11/cgroup", text, off);
	ck_assert_int_eq(ctr_id_of_pid(dfd, 11, &id), CTR_HOST);

	off = (size_t)sprintf(text, "0::/docker/%s\n", H1);
	while (off < big) {
		memcpy(text + off, line, strlen(line));
		off += strlen(line);
	}
	ck_assert_int_eq(mkdirat(dfd, "12", 0755), 0);
	write_file(dfd, "12/cgroup", text, off);
	ck_assert_int_eq(ctr_id_of_pid(dfd, 12, &id), CTR_CONTAINER);
	ck_assert_str_eq(id.id, H1);
	free(text);
	close(dfd);
	rm_fake_proc();
}
END_TEST

START_TEST(test_pid_real_self_and_gone)
{
	int procfd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	struct ctr_id id;
	pid_t child;
	int status;

	ck_assert_int_ge(procfd, 0);
	/* The test's own process is on the host (its v1 memory cgroup is
	 * /process_api/<32 hex> on the CI VM: not a container). */
	ck_assert_int_eq(ctr_id_of_pid(procfd, getpid(), &id), CTR_HOST);
	ck_assert_str_eq(id.cid, "host");
	ck_assert_int_eq(id.rt, CTR_RT_HOST);
	ck_assert(!id.pidns_child);

	/* A process that lived for an instant: once reaped it is gone. */
	child = fork();
	ck_assert_int_ge(child, 0);
	if (child == 0)
		_exit(0);
	ck_assert_int_eq(waitpid(child, &status, 0), child);
	ck_assert_int_eq(ctr_id_of_pid(procfd, child, &id), -ESRCH);
	ck_assert_str_eq(id.cid, "host");
	close(procfd);
}
END_TEST

Suite *
suite_for_main(void)
{
	Suite *s = suite_create("container_cgroup");
	TCase *tc = tcase_create("parse");

	tcase_add_loop_test(tc, test_vectors, 0,
	    (int)(sizeof(vecs) / sizeof(vecs[0])));
	tcase_add_test(tc, test_not_nul_terminated);
	tcase_add_test(tc, test_deep_path);
	tcase_add_test(tc, test_runtime_names);
	tcase_add_loop_test(tc, test_image_split, 0,
	    (int)(sizeof(img_vecs) / sizeof(img_vecs[0])));
	suite_add_tcase(s, tc);

	tc = tcase_create("pid");
	tcase_add_test(tc, test_pid_fixture);
	tcase_add_test(tc, test_pid_size_cap);
	tcase_add_test(tc, test_pid_real_self_and_gone);
	suite_add_tcase(s, tc);
	return s;
}
