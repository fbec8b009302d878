/*
 * ctr_live.c - container identity and metadata against real containers.
 *
 * Starts containers with the shared testbed tool (../shared/testbed/
 * container: real docker, containerd via ctr, podman and lxc where they
 * run here, cri-o as a runc bundle, other cgroup drivers through the runc
 * engine), reads the real /proc/PID/cgroup of each main process with
 * ctr_id_of_pid() and the real state files with ctr_cache_get(), and
 * checks the exact id, runtime, name, image and pod fields.  Also: the
 * test's own process is "host"; a namespaced process of no runtime is
 * "host"; a process that lived for a moment inside a container is
 * identified while alive and reported gone (-ESRCH) once reaped; a main
 * process that exits at once is gone; the cache notices a container that
 * starts and one that stops; the Docker and podman API sockets give the
 * metadata when the files are hidden.
 *
 * Prints TAP itself (a case per check, "# SKIP reason" when a runtime
 * cannot run here).  Needs root.  Every container it starts is stopped at
 * the end, then `container cleanup` runs when no other testbed container
 * is left (another test may be using the testbed at the same time).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "container/container.h"

/* Paths and names here are short; a cut one would just fail a check. */
#pragma GCC diagnostic ignored "-Wformat-truncation"

#define IMG "docker.io/library/busybox:testbed"

static char tool[PATH_MAX];
static int procfd = -1;
static int ntests, nfailed;
static char started[32][80];
static int nstarted;

/* ---- TAP ---- */

static void
tap(bool ok, const char *fmt, ...)
{
	va_list ap;

	printf("%sok %d - ", ok ? "" : "not ", ++ntests);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	if (!ok)
		nfailed++;
}

static void
skip(const char *what, const char *why)
{
	printf("ok %d - %s # SKIP %s\n", ++ntests, what, why);
	fflush(stdout);
}

static void
diag(const char *fmt, ...)
{
	va_list ap;

	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

/* Compare strings and say what differed. */
static bool
same(const char *field, const char *got, const char *want)
{
	if (want == NULL ? got == NULL : got != NULL && strcmp(got, want) == 0)
		return true;
	diag("%s: got '%s', want '%s'", field, got ? got : "(null)",
	    want ? want : "(null)");
	return false;
}

static bool
same_int(const char *field, long got, long want)
{
	if (got == want)
		return true;
	diag("%s: got %ld, want %ld", field, got, want);
	return false;
}

/* ---- the testbed tool ---- */

static bool
find_tool(void)
{
	const char *env = getenv("TESTBED_CONTAINER");
	const char *top = getenv("top_srcdir");
	const char *cands[3];
	char buf[3][PATH_MAX];

	snprintf(buf[0], PATH_MAX, "%s", env != NULL ? env : "");
	snprintf(buf[1], PATH_MAX, "%s/../shared/testbed/container",
	    top != NULL ? top : TOP_SRCDIR);
	/* A git worktree one level further down (wt/<name>). */
	snprintf(buf[2], PATH_MAX, "%s/../../shared/testbed/container",
	    top != NULL ? top : TOP_SRCDIR);
	for (int i = 0; i < 3; i++) {
		cands[i] = buf[i];
		if (cands[i][0] != '\0' && access(cands[i], X_OK) == 0) {
			snprintf(tool, sizeof(tool), "%s", cands[i]);
			return true;
		}
	}
	return false;
}

/* Run "tool ARGS", stdout into out; the last stderr line into err. */
static int
run_tool(char *out, size_t outlen, char *err, size_t errlen,
    const char *args)
{
	char cmd[4096], errpath[] = "/tmp/ctr_live_err.XXXXXX";
	int efd = mkstemp(errpath), status;
	size_t n = 0;
	FILE *p;

	if (efd < 0)
		return -1;
	close(efd);
	snprintf(cmd, sizeof(cmd), "'%s' %s 2>'%s'", tool, args, errpath);
	if ((p = popen(cmd, "r")) == NULL)
		return -1;
	if (out != NULL) {
		n = fread(out, 1, outlen - 1, p);
		out[n] = '\0';
	} else {
		char sink[512];

		while (fread(sink, 1, sizeof(sink), p) > 0)
			;
	}
	status = pclose(p);
	if (err != NULL) {
		char cmd2[256];
		FILE *e;

		err[0] = '\0';
		snprintf(cmd2, sizeof(cmd2), "grep -v '^$' '%s' | tail -n 1",
		    errpath);
		if ((e = popen(cmd2, "r")) != NULL) {
			if (fgets(err, (int)errlen, e) == NULL)
				err[0] = '\0';
			err[strcspn(err, "\n")] = '\0';
			pclose(e);
		}
	}
	unlink(errpath);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

struct ctr {
	pid_t	pid;
	char	id[80];
	char	name[80];
};

/* Start a container; false (and why) when the style cannot run here. */
static bool
start(struct ctr *c, const char *name, const char *opts, const char *cmd,
    char *why, size_t whylen)
{
	char args[2048], out[512];
	int pid = 0;

	snprintf(c->name, sizeof(c->name), "ctrlive%d-%s", (int)getpid(), name);
	snprintf(args, sizeof(args), "start --name %s %s -- %s", c->name, opts,
	    cmd);
	if (nstarted < 32)
		snprintf(started[nstarted++], sizeof(started[0]), "%s", c->name);
	if (run_tool(out, sizeof(out), why, whylen, args) != 0 ||
	    sscanf(out, "%d %79s", &pid, c->id) != 2) {
		if (why[0] == '\0')
			snprintf(why, whylen, "start printed '%.100s'", out);
		return false;
	}
	c->pid = pid;
	return true;
}

static void
stop(const struct ctr *c)
{
	char args[128];

	snprintf(args, sizeof(args), "stop %s", c->name);
	run_tool(NULL, 0, NULL, 0, args);
}

/* ---- checks ---- */

struct want {
	enum ctr_runtime rt;
	const char *image, *repo, *tag;
	const char *pod, *ns, *pod_uid;
	enum ctr_qos qos;
	bool	cid_is_name;	/* lxc: container.id is the name */
	bool	id_only;	/* no metadata check */
};

static void
check_id(const char *what, const struct ctr *c, const struct want *w,
    struct ctr_id *id)
{
	char cid[16];
	int rc = ctr_id_of_pid(procfd, c->pid, id);
	bool ok;

	snprintf(cid, sizeof(cid), "%.12s", c->id);
	ok = same_int("rc", rc, CTR_CONTAINER) &&
	    same("runtime", ctr_runtime_name(id->rt), ctr_runtime_name(w->rt)) &&
	    same("id", id->id, c->id) &&
	    same("container.id", id->cid, w->cid_is_name ? c->id : cid) &&
	    same("pod uid", id->pod_uid, w->pod_uid ? w->pod_uid : "") &&
	    same_int("qos", id->qos, w->qos) &&
	    same_int("pidns_child", id->pidns_child, 1);
	tap(ok, "%s: /proc/%d/cgroup gives %s %s", what, (int)c->pid,
	    ctr_runtime_name(w->rt), w->cid_is_name ? c->id : cid);
}

/* Metadata from the real state files; the name is the one we gave. */
static void
check_meta(const char *what, struct ctr_cache *cache, const struct ctr *c,
    const struct ctr_id *id, const struct want *w)
{
	const struct ctr_info *ci = ctr_cache_get(cache, id);
	bool ok = ci != NULL;

	ok = ok && same_int("found", ci->found, 1) &&
	    same("runtime", ctr_runtime_name(ci->rt), ctr_runtime_name(w->rt)) &&
	    same("name", ci->name, c->name) &&
	    same("image", ci->image, w->image) &&
	    same("image.repository", ci->image_repo, w->repo) &&
	    same("image.tag", ci->image_tag, w->tag) &&
	    same("k8s.pod.name", ci->pod_name, w->pod) &&
	    same("k8s.ns.name", ci->pod_ns, w->ns) &&
	    same("k8s.pod.uid", ci->pod_uid, w->pod_uid);
	if (ok && w->rt != CTR_RT_LXC)
		ok = same_int("privileged", ci->privileged, 0);
	tap(ok, "%s: name %s from %s", what, c->name,
	    ci && ci->source ? ci->source : "nothing");
	ctr_info_unref(ci);
}

/* Start one container and check its identity and metadata. */
static bool
run_style(struct ctr_cache *cache, const char *what, const char *name,
    const char *opts, const struct want *w, struct ctr *c)
{
	char why[512] = "";
	struct ctr_id id;

	if (!start(c, name, opts, "sleep 600", why, sizeof(why))) {
		skip(what, why);
		c->pid = 0;
		return false;
	}
	check_id(what, c, w, &id);
	if (!w->id_only)
		check_meta(what, cache, c, &id, w);
	return true;
}

#define BUSYBOX IMG, "docker.io/library/busybox", "testbed"
#define UID_A "3f2504e0-4f89-41d3-9a0c-0305e82c3301"
#define UID_B "b8e855ac-9716-43a0-9b87-8afdce40a054"

static void
docker_cases(struct ctr_cache *cache, struct ctr *real)
{
	/* An image from a registry with a port: repository and tag must be
	 * split at the right ':'.  Real docker tags busybox as that name. */
	static const struct want wr = { CTR_RT_DOCKER,
	    "localhost:5000/team/app:v1", "localhost:5000/team/app", "v1",
	    NULL, NULL, NULL, 0, false, false };
	static const struct want w = { CTR_RT_DOCKER, BUSYBOX, NULL, NULL,
	    NULL, 0, false, false };
	struct ctr c;

	run_style(cache, "docker (real dockerd, cgroupfs)", "docker",
	    "--style docker --engine real --image localhost:5000/team/app:v1",
	    &wr, real);
	/* The systemd cgroup driver exists only through runc here. */
	run_style(cache, "docker systemd driver (runc)", "dockersd",
	    "--style docker --engine runc --cgroup-driver systemd", &w, &c);
}

static void
k8s_cases(struct ctr_cache *cache)
{
	static const struct want cri = { CTR_RT_CONTAINERD, BUSYBOX,
	    "web-pod", "prod", UID_A, CTR_QOS_BURSTABLE, false, false };
	static const struct want crifs = { CTR_RT_CONTAINERD, BUSYBOX,
	    "web-pod", "prod", UID_A, CTR_QOS_BESTEFFORT, false, false };
	static const struct want crio = { CTR_RT_CRIO, BUSYBOX,
	    "db-pod", "data", UID_B, CTR_QOS_GUARANTEED, false, false };
	static const struct want criofs = { CTR_RT_CRIO, BUSYBOX,
	    "db-pod", "data", UID_B, CTR_QOS_BESTEFFORT, false, false };
	struct ctr c;

	run_style(cache, "containerd CRI systemd (real containerd)", "cri",
	    "--style containerd --pod web-pod --namespace prod --pod-uid "
	    UID_A " --qos burstable", &cri, &c);
	run_style(cache, "containerd CRI cgroupfs", "crifs",
	    "--style containerd --pod web-pod --namespace prod --pod-uid "
	    UID_A " --qos besteffort --cgroup-driver cgroupfs", &crifs, &c);
	run_style(cache, "cri-o systemd (runc bundle)", "crio",
	    "--style crio --pod db-pod --namespace data --pod-uid " UID_B
	    " --qos guaranteed", &crio, &c);
	run_style(cache, "cri-o cgroupfs (runc bundle)", "criofs",
	    "--style crio --pod db-pod --namespace data --pod-uid " UID_B
	    " --qos besteffort --cgroup-driver cgroupfs", &criofs, &c);
}

static void
podman_lxc_cases(struct ctr_cache *cache, struct ctr *real)
{
	static const struct want pm = { CTR_RT_PODMAN, BUSYBOX, NULL, NULL,
	    NULL, 0, false, false };
	/* The runc engine writes podman's containers.json only when no real
	 * podman storage exists: its name is then on no disk.  Identity only. */
	static const struct want pmsd = { CTR_RT_PODMAN, BUSYBOX, NULL, NULL,
	    NULL, 0, false, true };
	static const struct want lxc = { CTR_RT_LXC, NULL, NULL, NULL, NULL,
	    NULL, NULL, 0, true, false };
	struct ctr c;

	run_style(cache, "podman (real podman, cgroupfs)", "podman",
	    "--style podman --engine real", &pm, real);
	run_style(cache, "podman systemd driver (runc)", "podmansd",
	    "--style podman --engine runc --cgroup-driver systemd", &pmsd, &c);
	run_style(cache, "lxc (real LXC)", "lxc", "--style lxc", &lxc, &c);
}

/* ---- special cases ---- */

static void
host_cases(void)
{
	char why[512] = "";
	struct ctr_id id;
	struct ctr c;
	int rc;

	rc = ctr_id_of_pid(procfd, getpid(), &id);
	tap(same_int("rc", rc, CTR_HOST) && same("cid", id.cid, "host") &&
	    same_int("pidns_child", id.pidns_child, 0),
	    "the test's own process is host");
	if (!start(&c, "plain", "--style plain", "sleep 600", why,
	    sizeof(why))) {
		skip("plain namespaced process is host", why);
		return;
	}
	rc = ctr_id_of_pid(procfd, c.pid, &id);
	tap(same_int("rc", rc, CTR_HOST) && same("cid", id.cid, "host") &&
	    same_int("pidns_child", id.pidns_child, 1),
	    "a namespaced process of no runtime (plain) is host, in a child "
	    "pid namespace");
}

/* "N:ctrls:path" of pid -> the cgroup directories to join. */
static int
cgroup_dirs(pid_t pid, char dirs[][PATH_MAX], int max)
{
	char path[64], line[PATH_MAX], mi[PATH_MAX];
	FILE *f, *m;
	int n = 0;

	snprintf(path, sizeof(path), "/proc/%d/cgroup", (int)pid);
	if ((f = fopen(path, "r")) == NULL)
		return 0;
	while (n < max && fgets(line, sizeof(line), f) != NULL) {
		char *c1 = strchr(line, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
		char ctrl[128] = "";

		if (c2 == NULL)
			continue;
		line[strcspn(line, "\n")] = '\0';
		snprintf(ctrl, sizeof(ctrl), "%.*s", (int)(c2 - c1 - 1), c1 + 1);
		if (strchr(ctrl, ','))
			*strchr(ctrl, ',') = '\0';
		if ((m = fopen("/proc/self/mountinfo", "r")) == NULL)
			break;
		while (fgets(mi, sizeof(mi), m) != NULL) {
			char mnt[PATH_MAX], *dash = strstr(mi, " - "), fs[32],
			    opts[512];

			if (dash == NULL || sscanf(mi, "%*s %*s %*s %*s %4095s",
			    mnt) != 1 || sscanf(dash + 3, "%31s %*s %511s", fs,
			    opts) != 2)
				continue;
			if ((ctrl[0] == '\0' && strcmp(fs, "cgroup2") == 0) ||
			    (ctrl[0] != '\0' && strcmp(fs, "cgroup") == 0 &&
			    strstr(opts, ctrl) != NULL)) {
				snprintf(dirs[n++], PATH_MAX, "%s%s", mnt,
				    c2 + 1);
				break;
			}
		}
		fclose(m);
	}
	fclose(f);
	return n;
}

/* A child joins the container's cgroups, is identified, exits at once. */
static void
short_lived_join(const struct ctr *c)
{
	char dirs[16][PATH_MAX];
	int n = cgroup_dirs(c->pid, dirs, 16), go[2], ready[2], st;
	struct ctr_id id;
	pid_t child;
	char b;
	int rc;

	if (n == 0 || pipe(go) != 0 || pipe(ready) != 0) {
		tap(false, "short-lived process: cgroup dirs of %d", (int)c->pid);
		return;
	}
	if ((child = fork()) == 0) {
		for (int i = 0; i < n; i++) {
			char p[PATH_MAX + 16];
			int fd;

			snprintf(p, sizeof(p), "%s/cgroup.procs", dirs[i]);
			if ((fd = open(p, O_WRONLY)) >= 0) {
				if (write(fd, "0", 1) < 0)
					_exit(3);
				close(fd);
			}
		}
		if (write(ready[1], "r", 1) != 1 || read(go[0], &b, 1) != 1)
			_exit(2);
		_exit(0);
	}
	close(go[0]);
	close(ready[1]);
	if (read(ready[0], &b, 1) != 1)
		b = 0;
	rc = ctr_id_of_pid(procfd, child, &id);
	/* Let it exit right away and reap it. */
	if (write(go[1], "g", 1) != 1)
		b = 0;
	waitpid(child, &st, 0);
	tap(same_int("rc", rc, CTR_CONTAINER) && same("id", id.id, c->id),
	    "a process in the container is identified while it lives");
	rc = ctr_id_of_pid(procfd, child, &id);
	tap(same_int("rc", rc, -ESRCH) && same("cid", id.cid, "host"),
	    "the same process once it exited and was reaped: gone (-ESRCH)");
	close(go[1]);
	close(ready[0]);
}

/* The main process exits within a millisecond: its pid is gone. */
static void
instant_exit(void)
{
	char why[512] = "";
	struct ctr_id id;
	struct ctr c;
	int rc = 0;

	if (!start(&c, "instant", "--style containerd --engine runc", "true",
	    why, sizeof(why))) {
		skip("a container whose main process exits at once", why);
		return;
	}
	for (int i = 0; i < 200; i++) {
		rc = ctr_id_of_pid(procfd, c.pid, &id);
		if (rc == -ESRCH)
			break;
		usleep(10000);
	}
	tap(same_int("rc", rc, -ESRCH) && same("cid", id.cid, "host"),
	    "container main process 'true' (pid %d) is gone: -ESRCH",
	    (int)c.pid);
}

/* A container starts after a miss, and stops while cached. */
static void
start_stop(void)
{
	struct ctr_opts o = { .check_ms = 1, .miss_ttl_ms = 60000 };
	struct ctr_cache *cache = ctr_cache_new(&o);
	char hex[65], opts[256], why[512] = "", cg[128];
	const struct ctr_info *ci;
	struct ctr_id id;
	struct ctr c;

	srand((unsigned)time(NULL) ^ (unsigned)getpid());
	for (int i = 0; i < 64; i++)
		hex[i] = "0123456789abcdef"[rand() % 16];
	hex[64] = '\0';
	snprintf(cg, sizeof(cg), "0::/docker/%s\n", hex);
	ctr_parse_cgroup(cg, strlen(cg), &id);
	ci = ctr_cache_get(cache, &id);
	tap(same_int("found", ci->found, 0), "before it starts: unknown");
	ctr_info_unref(ci);
	snprintf(opts, sizeof(opts), "--style docker --engine runc --id %s",
	    hex);
	if (!start(&c, "startstop", opts, "sleep 600", why, sizeof(why))) {
		skip("container start and stop seen by the cache", why);
		ctr_cache_free(cache);
		return;
	}
	/* Still within miss_ttl: the start is told explicitly. */
	ctr_cache_invalidate(cache, hex);
	ci = ctr_cache_get(cache, &id);
	tap(same_int("found", ci->found, 1) && same("name", ci->name, c.name),
	    "after start and ctr_cache_invalidate: name %s", c.name);
	ctr_info_unref(ci);
	stop(&c);
	usleep(5000);
	ci = ctr_cache_get(cache, &id);
	tap(same_int("found", ci->found, 0) && same("name", ci->name, NULL),
	    "after stop: its files are gone, the cache notices");
	ctr_info_unref(ci);
	ctr_cache_free(cache);
}

/* The API socket instead of files (files hidden behind empty roots). */
static void
api_case(const char *what, const struct ctr *c, bool podman)
{
	char empty[] = "/tmp/ctr_live_empty.XXXXXX";
	struct ctr_opts o = { 0 };
	struct ctr_cache *cache;
	const struct ctr_info *ci;
	struct ctr_id id;
	char why[512] = "";

	if (c->pid == 0) {
		skip(what, "no container to ask about");
		return;
	}
	if (podman && run_tool(NULL, 0, why, sizeof(why), "api start") != 0) {
		skip(what, why);
		return;
	}
	if (mkdtemp(empty) == NULL) {
		tap(false, "%s: mkdtemp", what);
		return;
	}
	o.root = empty;
	o.docker_api = !podman;
	o.podman_api = podman;
	o.docker_socket = "/run/docker.sock";
	o.api_timeout_ms = 5000;
	cache = ctr_cache_new(&o);
	ctr_id_of_pid(procfd, c->pid, &id);
	ci = ctr_cache_get(cache, &id);
	tap(same("source", ci->source, "api") && same("name", ci->name, c->name),
	    "%s: name %s from GET /containers/<id>/json", what, c->name);
	ctr_info_unref(ci);
	ctr_cache_free(cache);
	rmdir(empty);
	if (podman)
		run_tool(NULL, 0, NULL, 0, "api stop");
}

static void
teardown(void)
{
	char out[4096], args[128];

	for (int i = 0; i < nstarted; i++) {
		snprintf(args, sizeof(args), "stop %s", started[i]);
		run_tool(NULL, 0, NULL, 0, args);
	}
	/* cleanup stops every testbed container and the daemons: only when
	 * no other test's container is left. */
	if (run_tool(out, sizeof(out), NULL, 0, "list") == 0 &&
	    strchr(out, '\n') != NULL && strchr(out, '\n')[1] == '\0')
		run_tool(NULL, 0, NULL, 0, "cleanup");
	else
		diag("other testbed containers exist: no cleanup");
}

int
main(void)
{
	struct ctr_cache *cache;
	struct ctr real_docker = { 0 }, real_podman = { 0 };

	if (geteuid() != 0) {
		printf("1..0 # SKIP needs root (real containers)\n");
		return 0;
	}
	if (!find_tool()) {
		printf("1..0 # SKIP testbed tool not found "
		    "(../shared/testbed/container, or set TESTBED_CONTAINER)\n");
		return 0;
	}
	procfd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	cache = ctr_cache_new(NULL);
	diag("testbed: %s", tool);
	host_cases();
	docker_cases(cache, &real_docker);
	k8s_cases(cache);
	podman_lxc_cases(cache, &real_podman);
	if (real_docker.pid != 0)
		short_lived_join(&real_docker);
	else
		skip("short-lived process in a container", "no docker container");
	instant_exit();
	start_stop();
	api_case("docker API", &real_docker, false);
	api_case("podman API", &real_podman, true);
	ctr_cache_free(cache);
	teardown();
	printf("1..%d\n", ntests);
	return nfailed == 0 ? 0 : 1;
}
