/*
 * webhook.c - the test webhook receiver (see webhook.h).
 *
 * A poll() loop over the listening socket, a stop pipe and up to
 * WH_MAX_CONN connections.  Each connection accumulates bytes until a
 * whole request (headers and Content-Length body) is there, records it,
 * and answers unless the mode is hang.  Requests are kept in a fixed
 * array; a request is never modified once its count is published.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "webhook.h"

#define WH_MAX_CONN	64
#define WH_MAX_REQ	4096
#define WH_BUF_MAX	(1u << 20)

struct wh_conn {
	int	 fd;
	char	*buf;
	size_t	 len, cap;
};

struct wh {
	enum wh_mode	 mode;
	int		 nfail;
	int		 lfd, port, stop[2];
	pthread_t	 thr;
	pthread_mutex_t	 mu;
	pthread_cond_t	 cv;
	struct wh_req	 req[WH_MAX_REQ];
	size_t		 nreq, nconn;
	struct wh_conn	 conn[WH_MAX_CONN];
};

static void
header(const char *hdrs, const char *name, char *out, size_t outlen)
{
	size_t nl = strlen(name);
	const char *p = hdrs, *e;

	out[0] = '\0';
	while ((p = strstr(p, "\r\n")) != NULL) {
		p += 2;
		if (strncasecmp(p, name, nl) != 0 || p[nl] != ':')
			continue;
		p += nl + 1;
		while (*p == ' ')
			p++;
		e = strstr(p, "\r\n");
		snprintf(out, outlen, "%.*s", (int)(e - p), p);
		return;
	}
}

static void
reply(int fd, int status)
{
	char r[128];
	int n = snprintf(r, sizeof(r), "HTTP/1.1 %d %s\r\nContent-Length: 0\r\n\r\n",
	    status, status == 200 ? "OK" : "Internal Server Error");

	if (send(fd, r, (size_t)n, MSG_NOSIGNAL) < 0)
		return;
}

/* A whole request at the start of c->buf: record it, answer, consume it. */
static int
take_request(struct wh *w, struct wh_conn *c)
{
	char *end, cl[32], expect[32], *hdrs;
	size_t hlen, blen, used;
	struct wh_req *r;

	if ((end = memmem(c->buf, c->len, "\r\n\r\n", 4)) == NULL)
		return 0;
	hlen = (size_t)(end - c->buf) + 4;
	hdrs = strndup(c->buf, hlen);
	header(hdrs, "Content-Length", cl, sizeof(cl));
	header(hdrs, "Expect", expect, sizeof(expect));
	blen = strtoul(cl, NULL, 10);
	if (c->len < hlen + blen) {
		if (expect[0] != '\0' && c->len == hlen)
			send(c->fd, "HTTP/1.1 100 Continue\r\n\r\n", 25,
			    MSG_NOSIGNAL);
		free(hdrs);
		return 0;
	}
	pthread_mutex_lock(&w->mu);
	if (w->nreq < WH_MAX_REQ) {
		r = &w->req[w->nreq];
		sscanf(hdrs, "%15s %255s", r->method, r->path);
		header(hdrs, "Content-Type", r->ctype, sizeof(r->ctype));
		header(hdrs, "User-Agent", r->ua, sizeof(r->ua));
		r->body = strndup(c->buf + hlen, blen);
		r->body_len = blen;
		if (w->mode == WH_OK)
			r->status = 200;
		else if (w->mode == WH_FAIL_FIRST)
			r->status = (int)w->nreq < w->nfail ? 500 : 200;
		if (r->status != 0)
			reply(c->fd, r->status);
		w->nreq++;
		pthread_cond_broadcast(&w->cv);
	}
	pthread_mutex_unlock(&w->mu);
	free(hdrs);
	used = hlen + blen;
	memmove(c->buf, c->buf + used, c->len - used);
	c->len -= used;
	return 1;
}

static void
conn_close(struct wh_conn *c)
{
	close(c->fd);
	free(c->buf);
	*c = (struct wh_conn){ .fd = -1 };
}

static void
conn_read(struct wh *w, struct wh_conn *c)
{
	ssize_t n;

	if (c->cap - c->len < 4096) {
		if (c->cap >= WH_BUF_MAX) {
			conn_close(c);
			return;
		}
		c->cap = c->cap ? c->cap * 2 : 8192;
		c->buf = realloc(c->buf, c->cap);
	}
	n = recv(c->fd, c->buf + c->len, c->cap - c->len, 0);
	if (n <= 0) {
		conn_close(c);
		return;
	}
	c->len += (size_t)n;
	while (take_request(w, c))
		;
}

static void
accept_one(struct wh *w)
{
	int fd = accept4(w->lfd, NULL, NULL, SOCK_CLOEXEC);

	if (fd < 0)
		return;
	for (int i = 0; i < WH_MAX_CONN; i++) {
		if (w->conn[i].fd < 0) {
			w->conn[i].fd = fd;
			pthread_mutex_lock(&w->mu);
			w->nconn++;
			pthread_mutex_unlock(&w->mu);
			return;
		}
	}
	close(fd);
}

static void *
wh_main(void *arg)
{
	struct pollfd pfd[WH_MAX_CONN + 2];
	struct wh *w = arg;
	int map[WH_MAX_CONN + 2], n;

	for (;;) {
		pfd[0] = (struct pollfd){ .fd = w->stop[0], .events = POLLIN };
		pfd[1] = (struct pollfd){ .fd = w->lfd, .events = POLLIN };
		n = 2;
		for (int i = 0; i < WH_MAX_CONN; i++) {
			if (w->conn[i].fd < 0)
				continue;
			map[n] = i;
			pfd[n++] = (struct pollfd){ .fd = w->conn[i].fd,
			    .events = POLLIN };
		}
		if (poll(pfd, (nfds_t)n, -1) < 0 && errno != EINTR)
			break;
		if (pfd[0].revents)
			break;
		if (pfd[1].revents)
			accept_one(w);
		for (int k = 2; k < n; k++)
			if (pfd[k].revents)
				conn_read(w, &w->conn[map[k]]);
	}
	return NULL;
}

struct wh *
wh_start(enum wh_mode mode, int nfail)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t alen = sizeof(a);
	struct wh *w = calloc(1, sizeof(*w));

	w->mode = mode;
	w->nfail = nfail;
	for (int i = 0; i < WH_MAX_CONN; i++)
		w->conn[i].fd = -1;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	w->lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (w->lfd < 0 || bind(w->lfd, (struct sockaddr *)&a, sizeof(a)) != 0 ||
	    listen(w->lfd, 64) != 0 ||
	    getsockname(w->lfd, (struct sockaddr *)&a, &alen) != 0 ||
	    pipe2(w->stop, O_CLOEXEC) != 0) {
		free(w);
		return NULL;
	}
	w->port = ntohs(a.sin_port);
	pthread_mutex_init(&w->mu, NULL);
	pthread_cond_init(&w->cv, NULL);
	pthread_create(&w->thr, NULL, wh_main, w);
	return w;
}

int
wh_port(const struct wh *w)
{
	return w->port;
}

size_t
wh_wait(struct wh *w, size_t n, int timeout_ms)
{
	struct timespec ts;
	size_t got;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += timeout_ms / 1000;
	ts.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&w->mu);
	while (w->nreq < n &&
	    pthread_cond_timedwait(&w->cv, &w->mu, &ts) != ETIMEDOUT)
		;
	got = w->nreq;
	pthread_mutex_unlock(&w->mu);
	return got;
}

size_t
wh_count(struct wh *w)
{
	size_t n;

	pthread_mutex_lock(&w->mu);
	n = w->nreq;
	pthread_mutex_unlock(&w->mu);
	return n;
}

const struct wh_req *
wh_get(struct wh *w, size_t i)
{
	return i < wh_count(w) ? &w->req[i] : NULL;
}

size_t
wh_connections(struct wh *w)
{
	size_t n;

	pthread_mutex_lock(&w->mu);
	n = w->nconn;
	pthread_mutex_unlock(&w->mu);
	return n;
}

void
wh_stop(struct wh *w)
{
	if (w == NULL)
		return;
	if (write(w->stop[1], "x", 1) != 1)
		return;
	pthread_join(w->thr, NULL);
	for (int i = 0; i < WH_MAX_CONN; i++)
		if (w->conn[i].fd >= 0)
			conn_close(&w->conn[i]);
	for (size_t i = 0; i < w->nreq; i++)
		free(w->req[i].body);
	close(w->lfd);
	close(w->stop[0]);
	close(w->stop[1]);
	pthread_mutex_destroy(&w->mu);
	pthread_cond_destroy(&w->cv);
	free(w);
}

int
wh_closed_port(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t alen = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), port = -1;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) == 0 &&
	    getsockname(fd, (struct sockaddr *)&a, &alen) == 0)
		port = ntohs(a.sin_port);
	close(fd);
	return port;
}
