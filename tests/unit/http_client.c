/*
 * http_client.c - see http_client.h.
 */
#include "config.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <check.h>
#include <curl/curl.h>

#include "http_client.h"

double
hc_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

struct sink {
	struct hc_resp		*r;
	const struct hc_req	*req;
};

static size_t
on_body(char *p, size_t sz, size_t nm, void *arg)
{
	struct sink *s = arg;
	struct hc_resp *r = s->r;
	size_t n = sz * nm, i;

	r->body = realloc(r->body, r->len + n + 1);
	ck_assert_ptr_nonnull(r->body);
	memcpy(r->body + r->len, p, n);
	r->len += n;
	r->body[r->len] = '\0';
	r->events = 0;
	for (i = 0; i + 4 <= r->len; i++)
		if ((i == 0 || r->body[i - 1] == '\n') &&
		    !strncmp(r->body + i, "id: ", 4))
			r->events++;
	if (s->req->stop_after > 0 && r->events >= s->req->stop_after)
		return 0;		/* enough: end the transfer */
	return n;
}

static void
copy_header(char *dst, size_t dlen, const char *v, size_t n)
{
	while (n > 0 && (v[n - 1] == '\r' || v[n - 1] == '\n'))
		n--;
	while (n > 0 && *v == ' ')
		v++, n--;
	if (n >= dlen)
		n = dlen - 1;
	memcpy(dst, v, n);
	dst[n] = '\0';
}

static size_t
on_header(char *p, size_t sz, size_t nm, void *arg)
{
	struct hc_resp *r = ((struct sink *)arg)->r;
	size_t n = sz * nm;

	if (n > 13 && !strncasecmp(p, "Content-Type:", 13))
		copy_header(r->ctype, sizeof(r->ctype), p + 13, n - 13);
	else if (n > 6 && !strncasecmp(p, "Allow:", 6))
		copy_header(r->allow, sizeof(r->allow), p + 6, n - 6);
	else if (n > 17 && !strncasecmp(p, "WWW-Authenticate:", 17))
		copy_header(r->www_auth, sizeof(r->www_auth), p + 17, n - 17);
	return n;
}

void
hc_do(const char *url, const struct hc_req *req, struct hc_resp *r)
{
	static const struct hc_req none;
	struct curl_slist *hl = NULL;
	struct sink s = { r, req != NULL ? req : &none };
	CURL *c = curl_easy_init();
	size_t i;
	double t0;

	memset(r, 0, sizeof(*r));
	req = s.req;
	ck_assert_ptr_nonnull(c);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &s);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, &s);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, req->timeout_ms > 0 ?
	    req->timeout_ms : 10000L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	if (req->insecure) {
		curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 0L);
		curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 0L);
	}
	if (req->unix_path != NULL)
		curl_easy_setopt(c, CURLOPT_UNIX_SOCKET_PATH, req->unix_path);
	if (req->method != NULL && !strcmp(req->method, "HEAD"))
		curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
	else if (req->method != NULL)
		curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, req->method);
	if (req->body != NULL)
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, req->body);
	for (i = 0; req->headers != NULL && req->headers[i] != NULL; i++)
		hl = curl_slist_append(hl, req->headers[i]);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, hl);
	t0 = hc_now();
	r->curl_rc = (int)curl_easy_perform(c);
	r->secs = hc_now() - t0;
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r->code);
	if (req->stop_after == 0)
		ck_assert_msg(r->curl_rc == CURLE_OK, "%s: %s", url,
		    curl_easy_strerror((CURLcode)r->curl_rc));
	if (r->body == NULL)
		r->body = strdup("");
	curl_slist_free_all(hl);
	curl_easy_cleanup(c);
}

void
hc_free(struct hc_resp *r)
{
	free(r->body);
	r->body = NULL;
}

int
hc_connect(uint16_t port)
{
	return hc_connect_rcvbuf(port, 0);
}

int
hc_connect_rcvbuf(uint16_t port, int rcvbuf)
{
	struct sockaddr_in sin = { .sin_family = AF_INET,
	    .sin_port = htons(port) };
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_ge(fd, 0);
	if (rcvbuf > 0)
		ck_assert_int_eq(setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf,
		    sizeof(rcvbuf)), 0);
	ck_assert_int_eq(connect(fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	return fd;
}

long
hc_read_until_eof(int fd, char *buf, size_t len, int timeout_ms)
{
	double end = hc_now() + timeout_ms / 1000.0;
	struct pollfd p = { .fd = fd, .events = POLLIN };
	size_t got = 0;
	ssize_t n;

	for (;;) {
		int left = (int)((end - hc_now()) * 1000);

		if (left <= 0 || poll(&p, 1, left) <= 0)
			return -1;
		n = recv(fd, buf + got, len - 1 - got, 0);
		if (n <= 0)
			break;
		got += (size_t)n;
		if (got + 1 >= len)
			got = 0;	/* keep the tail only */
	}
	buf[got] = '\0';
	return (long)got;
}
