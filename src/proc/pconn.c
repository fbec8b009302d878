/*
 * pconn.c - the netlink proc connector: fork, exec, exit, uid/gid,
 * setsid and comm events of every process, applied to the process table.
 *
 * The socket subscribes to CN_IDX_PROC with PROC_CN_MCAST_LISTEN and a
 * large receive buffer (SO_RCVBUFFORCE, else SO_RCVBUF).  The kernel sends
 * one datagram per event, for every thread of the machine: they are read
 * PCONN_BATCH at a time with recvmmsg, one system call.  Every datagram
 * is checked: it must come from the kernel (nl_pid 0), each netlink
 * message must fit, carry a proc connector id and a payload long enough
 * for its event.  ENOBUFS means the kernel dropped events: counted, and
 * the table is resynced from /proc (at most every PCONN_RESYNC_NS), since
 * forks, execs and exits may be missing.
 *
 * Events of threads (pid != tgid) are dropped: the table is per process.
 * On exec the connector gives only the pid: ptree_exec_proc reads /proc
 * at once, bounded, and tolerates a process already gone.
 *
 * No feedback: the only things done per event are /proc reads and table
 * updates; falconet forks and execs nothing here, so its own work makes
 * no connector event (its threads' forks are thread events, dropped).
 * Its /proc reads may be audited only if audit rules watch them, and
 * falconet's audit rules exclude its own pid.
 *
 * Owns the socket and the receive buffer.  One thread reads a pconn.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <linux/cn_proc.h>
#include <linux/connector.h>
#include <linux/netlink.h>

#include "proc/proc.h"

enum {
	PCONN_RCVBUF = 8 << 20,
	PCONN_BATCH = 64,		/* datagrams per recvmmsg */
	PCONN_SLOT = 1024,		/* bytes per datagram (one event: ~80) */
	PCONN_MAX_EVENTS = 1024,	/* per pconn_read call */
};
#define PCONN_RESYNC_NS	(5ull * 1000000000ull)
#define PCONN_PRUNE_NS	(1ull * 1000000000ull)

struct pconn {
	int		 fd;
	struct pconn_stats st;
	uint64_t	 mono_off;	/* realtime - monotonic, per read */
	uint64_t	 last_resync, last_prune;
	bool		 need_resync;
	int		 rcvtimeo_ms;	/* SO_RCVTIMEO set for pconn_wait */
	char		*buf;		/* PCONN_BATCH slots */
	struct mmsghdr	 msgs[PCONN_BATCH];
	struct iovec	 iov[PCONN_BATCH];
	struct sockaddr_nl from[PCONN_BATCH];
};

static uint64_t
mono_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static int
subscribe(int fd, enum proc_cn_mcast_op op)
{
	char buf[NLMSG_SPACE(sizeof(struct cn_msg) + sizeof(op))];
	struct nlmsghdr *nh = (struct nlmsghdr *)(void *)buf;
	struct cn_msg *cn = NLMSG_DATA(nh);

	memset(buf, 0, sizeof(buf));
	nh->nlmsg_len = NLMSG_LENGTH(sizeof(*cn) + sizeof(op));
	nh->nlmsg_type = NLMSG_DONE;
	cn->id.idx = CN_IDX_PROC;
	cn->id.val = CN_VAL_PROC;
	cn->len = sizeof(op);
	memcpy(cn->data, &op, sizeof(op));
	return send(fd, nh, nh->nlmsg_len, 0) < 0 ? -errno : 0;
}

struct pconn *
pconn_open(char *err, size_t errlen)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK,
	    .nl_groups = CN_IDX_PROC };
	int sz = PCONN_RCVBUF, e;
	struct pconn *c;

	if ((c = calloc(1, sizeof(*c))) == NULL ||
	    (c->buf = malloc(PCONN_BATCH * PCONN_SLOT)) == NULL) {
		snprintf(err, errlen, "proc connector: out of memory");
		free(c);
		return NULL;
	}
	/* Blocking, for pconn_wait; every other read passes MSG_DONTWAIT. */
	c->fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC,
	    NETLINK_CONNECTOR);
	if (c->fd < 0) {
		snprintf(err, errlen, "proc connector: socket: %s",
		    strerror(errno));
		goto fail;
	}
	if (setsockopt(c->fd, SOL_SOCKET, SO_RCVBUFFORCE, &sz, sizeof(sz)) < 0)
		(void)setsockopt(c->fd, SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
	if (bind(c->fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		snprintf(err, errlen, "proc connector: bind: %s",
		    strerror(errno));
		goto fail;
	}
	if ((e = subscribe(c->fd, PROC_CN_MCAST_LISTEN)) < 0) {
		snprintf(err, errlen, "proc connector: listen: %s",
		    strerror(-e));
		goto fail;
	}
	return c;
fail:
	pconn_close(c);
	return NULL;
}

int
pconn_fd(const struct pconn *c)
{
	return c->fd;
}

void
pconn_get_stats(const struct pconn *c, struct pconn_stats *st)
{
	*st = c->st;
}

void
pconn_close(struct pconn *c)
{
	if (c == NULL)
		return;
	if (c->fd >= 0) {
		(void)subscribe(c->fd, PROC_CN_MCAST_IGNORE);
		close(c->fd);
	}
	free(c->buf);
	free(c);
}

/* Minimum payload for each event kind (the union member it uses). */
static size_t
need_len(uint32_t what)
{
	const size_t hdr = offsetof(struct proc_event, event_data);
	const struct proc_event *e = NULL;

	switch (what) {
	case PROC_EVENT_FORK: return hdr + sizeof(e->event_data.fork);
	case PROC_EVENT_EXEC: return hdr + sizeof(e->event_data.exec);
	case PROC_EVENT_UID:
	case PROC_EVENT_GID: return hdr + sizeof(e->event_data.id);
	case PROC_EVENT_SID: return hdr + sizeof(e->event_data.sid);
	case PROC_EVENT_COMM: return hdr + sizeof(e->event_data.comm);
	/* Only pid and tgid are used: kernels before 4.18 lack the parent. */
	case PROC_EVENT_EXIT: return hdr + 2 * sizeof(__kernel_pid_t);
	default: return hdr;
	}
}

static void
on_comm(struct pconn *c, struct ptree *t, const struct proc_event *ev)
{
	char comm[PTREE_COMM_MAX];

	if (ev->event_data.comm.process_pid !=
	    ev->event_data.comm.process_tgid)
		return;
	memcpy(comm, ev->event_data.comm.comm, sizeof(comm) - 1);
	comm[sizeof(comm) - 1] = '\0';
	(void)ptree_set_comm(t, ev->event_data.comm.process_tgid, comm);
	c->st.comms++;
}

/* Apply one event.  Returns 1 when it was applied, 0 when ignored. */
static int
apply(struct pconn *c, struct ptree *t, const struct proc_event *ev)
{
	uint64_t ts = ev->timestamp_ns + c->mono_off;

	switch (ev->what) {
	case PROC_EVENT_FORK:
		if (ev->event_data.fork.child_pid !=
		    ev->event_data.fork.child_tgid)
			break;
		c->st.forks++;
		(void)ptree_fork(t, ev->event_data.fork.parent_tgid,
		    ev->event_data.fork.child_pid,
		    ev->event_data.fork.child_tgid, ts);
		return 1;
	case PROC_EVENT_EXEC:
		c->st.execs++;
		(void)ptree_exec_proc(t, ev->event_data.exec.process_tgid, ts);
		return 1;
	case PROC_EVENT_EXIT:
		if (ev->event_data.exit.process_pid !=
		    ev->event_data.exit.process_tgid)
			break;
		c->st.exits++;
		(void)ptree_exit(t, ev->event_data.exit.process_tgid, ts);
		return 1;
	case PROC_EVENT_UID:
	case PROC_EVENT_GID:
		c->st.ids++;
		(void)ptree_setid(t, ev->event_data.id.process_tgid,
		    ev->what == PROC_EVENT_UID ? PTREE_ID_UID : PTREE_ID_GID,
		    ev->event_data.id.r.ruid, ev->event_data.id.e.euid);
		return 1;
	case PROC_EVENT_SID:
		c->st.sids++;
		(void)ptree_setsid(t, ev->event_data.sid.process_tgid);
		return 1;
	case PROC_EVENT_COMM:
		on_comm(c, t, ev);
		return 1;
	default:
		return 0;
	}
	c->st.threads++;
	return 0;
}

/* One datagram of n bytes at buf: every netlink message in it. */
static int
parse(struct pconn *c, struct ptree *t, char *buf, size_t n)
{
	struct nlmsghdr *nh = (struct nlmsghdr *)(void *)buf;
	struct proc_event ev;
	struct cn_msg *cn;
	int applied = 0;
	int len = (int)n;

	for (; NLMSG_OK(nh, (unsigned)len); nh = NLMSG_NEXT(nh, len)) {
		if (nh->nlmsg_type == NLMSG_NOOP)
			continue;
		if (nh->nlmsg_type != NLMSG_DONE ||
		    nh->nlmsg_len < NLMSG_LENGTH(sizeof(*cn))) {
			c->st.bad++;
			continue;
		}
		cn = NLMSG_DATA(nh);
		if (cn->id.idx != CN_IDX_PROC || cn->id.val != CN_VAL_PROC ||
		    cn->len > nh->nlmsg_len - NLMSG_LENGTH(sizeof(*cn)) ||
		    cn->len < offsetof(struct proc_event, event_data)) {
			c->st.bad++;
			continue;
		}
		c->st.msgs++;
		/* Copy: the payload is not aligned for struct proc_event. */
		memset(&ev, 0, sizeof(ev));
		memcpy(&ev, cn->data, cn->len < sizeof(ev) ? cn->len :
		    sizeof(ev));
		if (cn->len < need_len(ev.what)) {
			c->st.bad++;
			continue;
		}
		applied += apply(c, t, &ev);
	}
	return applied;
}

/* Check the sender and size of datagram i, then parse it. */
static int
one_datagram(struct pconn *c, struct ptree *t, unsigned i)
{
	const struct mmsghdr *m = &c->msgs[i];

	if (m->msg_hdr.msg_namelen != sizeof(c->from[i]) ||
	    c->from[i].nl_family != AF_NETLINK || c->from[i].nl_pid != 0 ||
	    (m->msg_hdr.msg_flags & MSG_TRUNC)) {
		c->st.bad++;
		return 0;
	}
	return parse(c, t, c->buf + (size_t)i * PCONN_SLOT, m->msg_len);
}

static void
housekeeping(struct pconn *c, struct ptree *t)
{
	uint64_t now = mono_ns(CLOCK_MONOTONIC);

	if (c->need_resync && now - c->last_resync >= PCONN_RESYNC_NS) {
		c->need_resync = false;
		c->last_resync = now;
		if (ptree_seed(t) >= 0)
			c->st.resyncs++;
	}
	if (now - c->last_prune >= PCONN_PRUNE_NS) {
		c->last_prune = now;
		(void)ptree_prune(t, ptree_now_ns());
	}
}

/* Receive up to PCONN_BATCH datagrams in one system call. */
static int
recv_batch(struct pconn *c, int flags)
{
	unsigned i;

	for (i = 0; i < PCONN_BATCH; i++) {
		c->iov[i].iov_base = c->buf + (size_t)i * PCONN_SLOT;
		c->iov[i].iov_len = PCONN_SLOT;
		memset(&c->msgs[i].msg_hdr, 0, sizeof(c->msgs[i].msg_hdr));
		c->msgs[i].msg_hdr.msg_iov = &c->iov[i];
		c->msgs[i].msg_hdr.msg_iovlen = 1;
		c->msgs[i].msg_hdr.msg_name = &c->from[i];
		c->msgs[i].msg_hdr.msg_namelen = sizeof(c->from[i]);
	}
	return recvmmsg(c->fd, c->msgs, PCONN_BATCH, flags, NULL);
}

/* The first receive with flags (MSG_DONTWAIT or MSG_WAITFORONE). */
static int
read_events(struct pconn *c, struct ptree *t, int flags)
{
	int applied = 0, n, i, seen = 0;

	while (seen < PCONN_MAX_EVENTS) {
		n = recv_batch(c, flags);
		c->mono_off = mono_ns(CLOCK_REALTIME) - mono_ns(CLOCK_MONOTONIC);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == ENOBUFS) {
				c->st.overruns++;
				c->need_resync = true;
				continue;
			}
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				break;
			return -errno;
		}
		for (i = 0; i < n; i++)
			applied += one_datagram(c, t, (unsigned)i);
		seen += n;
		if (n < PCONN_BATCH)
			break;
		flags = MSG_DONTWAIT;
	}
	housekeeping(c, t);
	return applied;
}

int
pconn_read(struct pconn *c, struct ptree *t)
{
	return read_events(c, t, MSG_DONTWAIT);
}

int
pconn_wait(struct pconn *c, struct ptree *t, int timeout_ms)
{
	struct timeval tv = { .tv_sec = timeout_ms / 1000,
	    .tv_usec = (timeout_ms % 1000) * 1000 };

	if (timeout_ms <= 0)
		return pconn_read(c, t);
	if (timeout_ms != c->rcvtimeo_ms) {
		if (setsockopt(c->fd, SOL_SOCKET, SO_RCVTIMEO, &tv,
		    sizeof(tv)) < 0)
			return -errno;
		c->rcvtimeo_ms = timeout_ms;
	}
	return read_events(c, t, MSG_WAITFORONE);
}
