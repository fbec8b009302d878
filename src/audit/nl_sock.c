/*
 * nl_sock.c - NETLINK_AUDIT sockets: open, send a request, receive one
 * checked datagram, wait for an ack or a reply, AUDIT_GET/SET and
 * AUDIT_LIST_RULES.
 *
 * The kernel sends one record per datagram.  Payload lengths come from
 * the received length: for unicast events nlmsg_len holds the payload
 * length only (audit_log_end's long-standing quirk), for multicast the
 * full length, so it is not trusted for events.  Senders other than the
 * kernel (nl_pid != 0) are flagged.  Replies to our requests carry our
 * sequence number; everything else is handed to the caller.
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "audit/nl_int.h"

int
aud_nl_open(struct aud_nl *nl, uint32_t groups, size_t rcvbuf, char *err,
    size_t errlen)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK, .nl_groups = groups };
	int v;

	nl->seq = 0;
	nl->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_AUDIT);
	if (nl->fd < 0) {
		snprintf(err, errlen, "netlink audit socket: %s", strerror(errno));
		return -errno;
	}
	if (rcvbuf > 0) {
		v = rcvbuf > INT32_MAX / 2 ? INT32_MAX / 2 : (int)rcvbuf;
		/* FORCE ignores rmem_max but needs CAP_NET_ADMIN. */
		if (setsockopt(nl->fd, SOL_SOCKET, SO_RCVBUFFORCE, &v, sizeof(v)) < 0)
			(void)setsockopt(nl->fd, SOL_SOCKET, SO_RCVBUF, &v, sizeof(v));
	}
	if (bind(nl->fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		int e = errno;

		snprintf(err, errlen, "netlink audit bind (groups %#x): %s",
		    groups, strerror(e));
		close(nl->fd);
		nl->fd = -1;
		return -e;
	}
	return 0;
}

void
aud_nl_close(struct aud_nl *nl)
{
	if (nl->fd >= 0)
		close(nl->fd);
	nl->fd = -1;
}

int
aud_nl_send(struct aud_nl *nl, uint16_t type, const void *data, size_t len,
    uint32_t *seq)
{
	struct sockaddr_nl to = { .nl_family = AF_NETLINK };
	char buf[NLMSG_SPACE(AUD_NL_MSG_MAX)];
	struct nlmsghdr *h = (struct nlmsghdr *)buf;
	ssize_t n;

	if (len > AUD_NL_MSG_MAX)
		return -EMSGSIZE;
	memset(buf, 0, NLMSG_SPACE(len));
	h->nlmsg_len = NLMSG_LENGTH(len);
	h->nlmsg_type = type;
	h->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	h->nlmsg_seq = ++nl->seq;
	if (h->nlmsg_seq == 0)	/* 0 is what events carry */
		h->nlmsg_seq = ++nl->seq;
	if (len)
		memcpy(NLMSG_DATA(h), data, len);
	do {
		n = sendto(nl->fd, buf, h->nlmsg_len, 0, (struct sockaddr *)&to,
		    sizeof(to));
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	*seq = h->nlmsg_seq;
	return 0;
}

/*
 * Describe a datagram of n bytes (its real length) received into buf of
 * bufsz bytes; flags: its msg_flags, spoofed: not sent by the kernel.
 */
static void
describe(char *buf, size_t bufsz, size_t n, int flags, bool spoofed,
    struct aud_nl_msg *m)
{
	const struct nlmsghdr *h = (const struct nlmsghdr *)buf;

	memset(m, 0, sizeof(*m));
	m->trunc = (flags & MSG_TRUNC) || n > bufsz;
	if (n > bufsz)
		n = bufsz;
	m->spoofed = spoofed;
	if (n < NLMSG_HDRLEN) {
		m->type = -1;	/* runt: nothing to parse */
		return;
	}
	m->type = h->nlmsg_type;
	m->seq = h->nlmsg_seq;
	m->data = buf + NLMSG_HDRLEN;
	m->len = n - NLMSG_HDRLEN;
}

int
aud_nl_recv(int fd, char *buf, size_t bufsz, int timeout_ms,
    struct aud_nl_msg *m)
{
	struct sockaddr_nl from;
	struct iovec iov = { .iov_base = buf, .iov_len = bufsz };
	struct msghdr mh = {
		.msg_name = &from, .msg_namelen = sizeof(from),
		.msg_iov = &iov, .msg_iovlen = 1,
	};
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	ssize_t n;
	int r;

	if (timeout_ms >= 0) {
		r = poll(&pfd, 1, timeout_ms);
		if (r < 0)
			return errno == EINTR ? 0 : -errno;
		if (r == 0)
			return 0;
	}
	/* MSG_TRUNC: n is the real length even when it did not fit. */
	n = recvmsg(fd, &mh, MSG_TRUNC | MSG_DONTWAIT);
	if (n < 0)
		return errno == EAGAIN || errno == EINTR ? 0 : -errno;
	describe(buf, bufsz, (size_t)n, mh.msg_flags, mh.msg_namelen !=
	    sizeof(from) || from.nl_pid != 0, m);
	return 1;
}

int
aud_nl_recv_many(int fd, char *bufs, int max, struct aud_nl_msg *m)
{
	struct mmsghdr mm[AUD_NL_BATCH];
	struct iovec iov[AUD_NL_BATCH];
	struct sockaddr_nl from[AUD_NL_BATCH];
	int i, n;

	if (max > AUD_NL_BATCH)
		max = AUD_NL_BATCH;
	for (i = 0; i < max; i++) {
		iov[i] = (struct iovec){ bufs + (size_t)i * AUD_NL_BUF,
		    AUD_NL_BUF };
		mm[i].msg_hdr = (struct msghdr){ .msg_name = &from[i],
		    .msg_namelen = sizeof(from[i]), .msg_iov = &iov[i],
		    .msg_iovlen = 1 };
		mm[i].msg_len = 0;
	}
	/* MSG_TRUNC: msg_len is the real length even when it did not fit. */
	n = recvmmsg(fd, mm, (unsigned)max, MSG_TRUNC | MSG_DONTWAIT, NULL);
	if (n < 0)
		return errno == EAGAIN || errno == EINTR ? 0 : -errno;
	for (i = 0; i < n; i++)
		describe(iov[i].iov_base, AUD_NL_BUF, mm[i].msg_len,
		    mm[i].msg_hdr.msg_flags, mm[i].msg_hdr.msg_namelen !=
		    sizeof(from[i]) || from[i].nl_pid != 0, &m[i]);
	return n;
}

int64_t
aud_mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The ack's error for our seq: 1 and *e set when m is that ack. */
static bool
is_our_ack(const struct aud_nl_msg *m, uint32_t seq, int *e)
{
	const struct nlmsgerr *ne;

	if (m->type != NLMSG_ERROR || m->spoofed || m->len < sizeof(*ne))
		return false;
	ne = (const struct nlmsgerr *)m->data;
	if (ne->msg.nlmsg_seq != seq)
		return false;
	*e = ne->error;
	return true;
}

int
aud_nl_request(struct aud_nl *nl, uint16_t type, const void *data,
    size_t len, const struct aud_nl_wait *w)
{
	char *buf;
	struct aud_nl_msg m;
	uint32_t seq;
	bool acked = false, replied = !(w && w->reply);
	int64_t deadline;
	int r, e;

	r = aud_nl_send(nl, type, data, len, &seq);
	if (r < 0)
		return r;
	if ((buf = malloc(AUD_NL_BUF)) == NULL)
		return -ENOMEM;
	deadline = aud_mono_ms() + AUD_NL_TIMEOUT_MS;
	while (!(acked && replied)) {
		int64_t left = deadline - aud_mono_ms();

		if (left <= 0) {
			r = -ETIMEDOUT;
			break;
		}
		r = aud_nl_recv(nl->fd, buf, AUD_NL_BUF, (int)left, &m);
		if (r == -ENOBUFS)
			continue;	/* overrun: what we wait for may still come */
		if (r < 0)
			break;
		if (r == 0)
			continue;
		if (is_our_ack(&m, seq, &e)) {
			if (e != 0) {
				r = e;
				break;
			}
			acked = true;
		} else if (!m.spoofed && m.seq == seq && w && w->reply) {
			r = w->reply(&m, w->reply_arg);
			if (r < 0)
				break;
			if (r > 0)
				replied = true;
		} else if (w && w->other && !m.spoofed) {
			w->other(&m, w->other_arg);
		}
		r = 0;
	}
	free(buf);
	return r;
}

static int
status_reply(const struct aud_nl_msg *m, void *arg)
{
	struct audit_status s;
	struct aud_status *st = arg;

	if (m->type != AUDIT_GET)
		return 0;
	/* Older kernels send a shorter struct: copy what came. */
	memset(&s, 0, sizeof(s));
	memcpy(&s, m->data, m->len < sizeof(s) ? m->len : sizeof(s));
	st->enabled = s.enabled;
	st->failure = s.failure;
	st->pid = s.pid;
	st->rate_limit = s.rate_limit;
	st->backlog_limit = s.backlog_limit;
	st->lost = s.lost;
	st->backlog = s.backlog;
	st->feature_bitmap = s.feature_bitmap;
	st->backlog_wait_time = s.backlog_wait_time;
	st->has_wait_time = m->len >= offsetof(struct audit_status,
	    backlog_wait_time) + sizeof(s.backlog_wait_time);
	return 1;
}

int
aud_nl_get_status(struct aud_nl *nl, struct aud_status *st)
{
	struct aud_nl_wait w = { .reply = status_reply, .reply_arg = st };

	memset(st, 0, sizeof(*st));
	return aud_nl_request(nl, AUDIT_GET, NULL, 0, &w);
}

int
aud_nl_set_status(struct aud_nl *nl, const struct audit_status *s,
    const struct aud_nl_wait *w)
{
	return aud_nl_request(nl, AUDIT_SET, s, sizeof(*s), w);
}

static int
list_reply(const struct aud_nl_msg *m, void *arg)
{
	struct aud_rule_list *l = arg;
	struct audit_rule_data *r;

	if (m->type == NLMSG_DONE)
		return 1;
	if (m->type != AUDIT_LIST_RULES || m->trunc)
		return m->trunc ? -EMSGSIZE : 0;
	if (m->len < sizeof(*r))
		return -EPROTO;
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 32;
		void *a = realloc(l->rules, cap * sizeof(*l->rules));
		void *b;

		if (a == NULL)
			return -ENOMEM;
		l->rules = a;
		if ((b = realloc(l->lens, cap * sizeof(*l->lens))) == NULL)
			return -ENOMEM;
		l->lens = b;
		l->cap = cap;
	}
	if ((r = malloc(m->len)) == NULL)
		return -ENOMEM;
	memcpy(r, m->data, m->len);
	l->rules[l->n] = r;
	l->lens[l->n++] = m->len;
	return 0;
}

int
aud_nl_list_rules(struct aud_nl *nl, struct aud_rule_list *out)
{
	struct aud_nl_wait w = { .reply = list_reply, .reply_arg = out };
	int r;

	memset(out, 0, sizeof(*out));
	r = aud_nl_request(nl, AUDIT_LIST_RULES, NULL, 0, &w);
	if (r < 0)
		aud_rule_list_free(out);
	return r;
}

void
aud_rule_list_free(struct aud_rule_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->rules[i]);
	free(l->rules);
	free(l->lens);
	memset(l, 0, sizeof(*l));
}

const char *
aud_rule_key(const struct audit_rule_data *r, size_t len, size_t *keylen)
{
	size_t off = 0, avail;

	if (len < sizeof(*r) || r->field_count > AUDIT_MAX_FIELDS)
		return NULL;
	avail = len - sizeof(*r);
	if (r->buflen < avail)
		avail = r->buflen;
	/* Strings sit in buf in field order; only string fields use it. */
	for (uint32_t i = 0; i < r->field_count; i++) {
		uint32_t f = r->fields[i], v = r->values[i];
		bool str;

		switch (f) {
		case AUDIT_SUBJ_USER: case AUDIT_SUBJ_ROLE: case AUDIT_SUBJ_TYPE:
		case AUDIT_SUBJ_SEN: case AUDIT_SUBJ_CLR: case AUDIT_OBJ_USER:
		case AUDIT_OBJ_ROLE: case AUDIT_OBJ_TYPE: case AUDIT_OBJ_LEV_LOW:
		case AUDIT_OBJ_LEV_HIGH: case AUDIT_WATCH: case AUDIT_DIR:
		case AUDIT_FILTERKEY: case AUDIT_EXE:
			str = true;
			break;
		default:
			str = false;
		}
		if (!str)
			continue;
		if (v > avail - off)
			return NULL;
		if (f == AUDIT_FILTERKEY) {
			*keylen = v;
			return r->buf + off;
		}
		off += v;
	}
	return NULL;
}

bool
aud_key_has(const char *key, size_t keylen, const char *k)
{
	size_t kl = strlen(k);
	const char *p = key, *end = key + keylen;

	/* Several -k options are joined by 0x01 (AUDIT_KEY_SEPARATOR). */
	while (p <= end) {
		const char *sep = memchr(p, 0x01, (size_t)(end - p));
		const char *e = sep ? sep : end;

		if ((size_t)(e - p) == kl && memcmp(p, k, kl) == 0)
			return true;
		if (sep == NULL)
			break;
		p = sep + 1;
	}
	return false;
}

bool
aud_kernel_at_least(int maj, int min)
{
	struct utsname u;
	int a = 0, b = 0;

	if (uname(&u) < 0 || sscanf(u.release, "%d.%d", &a, &b) != 2)
		return false;
	return a > maj || (a == maj && b >= min);
}
