/*
 * webhook.h - a tiny HTTP/1.1 receiver on 127.0.0.1 for the output tests.
 *
 * One thread; it accepts connections, parses requests (Content-Length
 * bodies, keep-alive), records each one and answers as its mode says:
 * 200, 500 for the first n requests then 200, or never (hang: the
 * request is recorded, the connection stays open and silent).
 */
#ifndef FC_TEST_WEBHOOK_H
#define FC_TEST_WEBHOOK_H

#include <stddef.h>

enum wh_mode {
	WH_OK = 0,
	WH_FAIL_FIRST,		/* 500 for the first nfail requests */
	WH_HANG,
};

struct wh_req {
	char	 method[16];
	char	 path[256];
	char	 ctype[128];
	char	 ua[128];
	char	*body;		/* NUL-terminated */
	size_t	 body_len;
	int	 status;	/* what was answered, 0 if nothing */
};

struct wh;

/* Listen on 127.0.0.1, an ephemeral port; NULL on failure. */
struct wh *wh_start(enum wh_mode mode, int nfail);
int	wh_port(const struct wh *w);
/* Wait up to timeout_ms for at least n recorded requests; returns the count. */
size_t	wh_wait(struct wh *w, size_t n, int timeout_ms);
size_t	wh_count(struct wh *w);
/* The i-th request (stable once recorded), NULL past the end. */
const struct wh_req *wh_get(struct wh *w, size_t i);
size_t	wh_connections(struct wh *w);
void	wh_stop(struct wh *w);

/* A 127.0.0.1 port nothing listens on (connections are refused). */
int	wh_closed_port(void);

#endif
