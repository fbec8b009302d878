/*
 * api.c - the optional runtime API lookup: GET /containers/<id>/json on
 * the Docker (or podman's Docker-compatible) unix socket through libcurl
 * (CURLOPT_UNIX_SOCKET_PATH, libcurl >= 7.40).  Unversioned path, so the
 * daemon answers in its current API version (fanotify-containers.md
 * §4.4: a hard-coded /v1.24 broke on Docker 29).  Off by default; only
 * used when the state files did not give a name.
 *
 * One easy handle per call (calls are rare: once per container per
 * cache refresh), a total timeout, and a cap on the answer's size.
 * Owns nothing between calls.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "container/container_int.h"

enum {
	API_MAX_BODY = 4 << 20,
};

struct body {
	char	*p;
	size_t	 len;
	bool	 too_big;
};

static size_t
on_data(char *data, size_t size, size_t nmemb, void *arg)
{
	struct body *b = arg;
	size_t n = size * nmemb;
	char *np;

	if (b->len + n > API_MAX_BODY) {
		b->too_big = true;
		return 0;
	}
	if ((np = realloc(b->p, b->len + n + 1)) == NULL)
		return 0;
	b->p = np;
	memcpy(b->p + b->len, data, n);
	b->len += n;
	return n;
}

/* Container ids from the cgroup are hex or [A-Za-z0-9._-]: URL-safe. */
static int
do_get(const char *socket, const char *id, unsigned timeout_ms,
    struct body *b, long *status)
{
	char url[256];
	CURL *h = curl_easy_init();
	CURLcode rc;

	if (h == NULL)
		return -ENOMEM;
	snprintf(url, sizeof(url), "http://localhost/containers/%s/json", id);
	curl_easy_setopt(h, CURLOPT_UNIX_SOCKET_PATH, socket);
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, (long)timeout_ms);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, b);
	rc = curl_easy_perform(h);
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, status);
	curl_easy_cleanup(h);
	if (rc == CURLE_OPERATION_TIMEDOUT)
		return -ETIMEDOUT;
	if (rc != CURLE_OK)
		return b->too_big ? -EFBIG : -ECONNREFUSED;
	return 0;
}

int
ctr_api_inspect(const char *socket, const char *id, unsigned timeout_ms,
    struct ctr_draft *d)
{
	struct body b = { NULL, 0, false };
	long status = 0;
	json_t *j;
	int rc;

	rc = do_get(socket, id, timeout_ms, &b, &status);
	if (rc == 0 && status != 200)
		rc = status == 404 ? -ENOENT : -EPROTO;
	if (rc != 0) {
		free(b.p);
		return rc;
	}
	j = json_loadb(b.p != NULL ? b.p : "", b.len, 0, NULL);
	free(b.p);
	if (j == NULL)
		return -EBADMSG;
	ctr_docker_json(j, d);
	json_decref(j);
	return 0;
}
