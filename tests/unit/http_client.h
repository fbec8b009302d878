/*
 * http_client.h - a small libcurl (and raw socket) client for the HTTP API
 * tests: one request, the status, a few headers, the body and the time.
 */
#ifndef FC_TESTS_HTTP_CLIENT_H
#define FC_TESTS_HTTP_CLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct hc_req {
	const char		*method;	/* NULL: GET */
	const char *const	*headers;	/* NULL-terminated, or NULL */
	const char		*unix_path;	/* talk over this unix socket */
	const char		*body;		/* sent with the method */
	long			 timeout_ms;	/* 0: 10 s */
	unsigned		 stop_after;	/* SSE: stop after N "id:" events */
	bool			 insecure;	/* TLS: do not verify the peer */
};

struct hc_resp {
	long	 code;
	char	*body;
	size_t	 len;
	char	 ctype[128];
	char	 allow[64];
	char	 www_auth[128];
	double	 secs;
	unsigned events;	/* "id:" lines seen */
	int	 curl_rc;
};

/* Perform the request; asserts that curl itself worked (except when
 * stop_after ends the transfer, which is expected). */
void	hc_do(const char *url, const struct hc_req *req, struct hc_resp *r);
void	hc_free(struct hc_resp *r);

/* Raw sockets: connect to 127.0.0.1:port; read until EOF or timeout,
 * returning the bytes read (NUL-terminated in buf) or -1 on timeout. */
int	hc_connect(uint16_t port);
int	hc_connect_rcvbuf(uint16_t port, int rcvbuf);	/* set before connect */
long	hc_read_until_eof(int fd, char *buf, size_t len, int timeout_ms);

double	hc_now(void);

#endif
