/*
 * out_http.c - the http channel: each message POSTed with libcurl.
 *
 * Owns one curl easy handle for the worker's whole life (libcurl keeps
 * the connection cache in it) and the header list.  The body is the
 * message itself: Falco's JSON with Content-Type: application/json, or
 * the text line with text/plain when json_output is false, as Falco's
 * outputs_http.cpp sends it (falcosidekick accepts it on POST /).
 *
 * Delivery of one message: a transfer error (refused, reset, DNS) or an
 * HTTP status 5xx, 408 or 429 is retried up to `retries` times, sleeping
 * backoff_ms, then twice that, ... (at most OUT_HTTP_BACKOFF_MAX_MS); a
 * timed-out attempt is retried up to max_consecutive_timeouts times
 * (Falco's key, per message as in Falco).  Any other status >= 300 fails
 * at once.  Every wait is bounded: timeout_ms for the whole transfer,
 * connect_timeout_ms for the connection, and at shutdown the drain
 * deadline aborts a transfer or a backoff in progress (the progress
 * callback), so a hanging receiver holds up only this channel and only
 * for a bounded time.  libcurl runs with CURLOPT_NOSIGNAL (threads) and
 * only the http and https protocols.
 */
#include "config.h"

#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "conf.h"
#include "outputs/out_int.h"

#define OUT_HTTP_TIMEOUT_MS		5000
#define OUT_HTTP_CONNECT_TIMEOUT_MS	2000
#define OUT_HTTP_RETRIES		3
#define OUT_HTTP_BACKOFF_MS		200
#define OUT_HTTP_BACKOFF_MAX_MS		5000

struct out_http {
	CURL			*curl;
	struct curl_slist	*hdrs;
	char			*url;
	int			 retries, max_timeouts;
	unsigned		 backoff_ms;
	char			 errbuf[CURL_ERROR_SIZE];
};

/* Response bodies are discarded... */
static size_t
sink(char *p, size_t size, size_t n, void *arg)
{
	return size * n;
}

/* ...or, with echo: true, copied to stdout as they come (Falco's echo). */
static size_t
echo(char *p, size_t size, size_t n, void *arg)
{
	size_t len = size * n, off = 0;
	ssize_t w;

	while (off < len && (w = write(STDOUT_FILENO, p + off, len - off)) > 0)
		off += (size_t)w;
	return len;
}

/* Abort the transfer at the drain deadline. */
static int
progress(void *arg, curl_off_t dt, curl_off_t dn, curl_off_t ut, curl_off_t un)
{
	return out_chan_expired(arg) ? 1 : 0;
}

struct http_conf {
	const char	*ua, *ca_cert, *ca_bundle, *ca_path, *cert, *key;
	bool		 insecure, mtls, echo, compress, keep_alive, json;
	long		 timeout_ms, connect_ms;
};

static void
read_conf(struct fc_conf *c, struct http_conf *hc)
{
	hc->ua = conf_str(c, "http_output.user_agent", "falcosecurity/falco");
	hc->insecure = conf_bool(c, "http_output.insecure", false);
	hc->ca_cert = conf_str(c, "http_output.ca_cert", "");
	hc->ca_bundle = conf_str(c, "http_output.ca_bundle", "");
	hc->ca_path = conf_str(c, "http_output.ca_path", "/etc/ssl/certs");
	hc->mtls = conf_bool(c, "http_output.mtls", false);
	hc->cert = conf_str(c, "http_output.client_cert",
	    "/etc/ssl/certs/client.crt");
	hc->key = conf_str(c, "http_output.client_key",
	    "/etc/ssl/certs/client.key");
	hc->echo = conf_bool(c, "http_output.echo", false);
	hc->compress = conf_bool(c, "http_output.compress_uploads", false);
	hc->keep_alive = conf_bool(c, "http_output.keep_alive", false);
	hc->timeout_ms = (long)conf_int(c, "http_output.timeout_ms", 100,
	    600000, OUT_HTTP_TIMEOUT_MS);
	hc->connect_ms = (long)conf_int(c, "http_output.connect_timeout_ms",
	    100, 600000, OUT_HTTP_CONNECT_TIMEOUT_MS);
	if (hc->connect_ms > hc->timeout_ms)
		hc->connect_ms = hc->timeout_ms;
}

/* TLS: verification, CA (file, else bundle, else directory: Falco's order), mTLS. */
static CURLcode
setup_tls(CURL *h, const struct http_conf *hc)
{
	CURLcode rc = CURLE_OK;

	if (hc->insecure) {
		rc |= curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 0L);
		rc |= curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 0L);
	}
	if (*hc->ca_cert != '\0')
		rc |= curl_easy_setopt(h, CURLOPT_CAINFO, hc->ca_cert);
	else if (*hc->ca_bundle != '\0')
		rc |= curl_easy_setopt(h, CURLOPT_CAINFO, hc->ca_bundle);
	else if (*hc->ca_path != '\0')
		rc |= curl_easy_setopt(h, CURLOPT_CAPATH, hc->ca_path);
	if (hc->mtls) {
		rc |= curl_easy_setopt(h, CURLOPT_SSLCERT, hc->cert);
		rc |= curl_easy_setopt(h, CURLOPT_SSLKEY, hc->key);
	}
	return rc;
}

static CURLcode
setup_handle(struct out_chan *ch, struct out_http *o,
    const struct http_conf *hc)
{
	CURL *h = o->curl;
	CURLcode rc = CURLE_OK;

	rc |= curl_easy_setopt(h, CURLOPT_URL, o->url);
#if LIBCURL_VERSION_NUM >= 0x075500
	rc |= curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
#else
	rc |= curl_easy_setopt(h, CURLOPT_PROTOCOLS,
	    (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
	rc |= curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	rc |= curl_easy_setopt(h, CURLOPT_POST, 1L);
	rc |= curl_easy_setopt(h, CURLOPT_HTTPHEADER, o->hdrs);
	rc |= curl_easy_setopt(h, CURLOPT_USERAGENT, hc->ua);
	rc |= curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, hc->timeout_ms);
	rc |= curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, hc->connect_ms);
	rc |= curl_easy_setopt(h, CURLOPT_ERRORBUFFER, o->errbuf);
	rc |= curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, hc->echo ? echo : sink);
	rc |= curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
	rc |= curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, progress);
	rc |= curl_easy_setopt(h, CURLOPT_XFERINFODATA, ch);
	if (hc->compress)
		rc |= curl_easy_setopt(h, CURLOPT_TRANSFER_ENCODING, 1L);
	/* keep_alive: reuse the connection and probe it; else one per message. */
	if (hc->keep_alive)
		rc |= curl_easy_setopt(h, CURLOPT_TCP_KEEPALIVE, 1L);
	else
		rc |= curl_easy_setopt(h, CURLOPT_FORBID_REUSE, 1L);
	rc |= setup_tls(h, hc);
	return rc;
}

enum attempt { ATT_OK, ATT_RETRY, ATT_TIMEOUT, ATT_FAIL };

/* One POST; the error, if any, is left in the channel. */
static enum attempt
attempt(struct out_chan *ch, struct out_http *o)
{
	long code = 0;
	CURLcode rc;

	o->errbuf[0] = '\0';
	rc = curl_easy_perform(o->curl);
	if (rc != CURLE_OK) {
		out_chan_seterr(ch, "POST %s: %s", o->url, o->errbuf[0] != '\0' ?
		    o->errbuf : curl_easy_strerror(rc));
		if (rc == CURLE_OPERATION_TIMEDOUT)
			return ATT_TIMEOUT;
		return rc == CURLE_ABORTED_BY_CALLBACK ? ATT_FAIL : ATT_RETRY;
	}
	curl_easy_getinfo(o->curl, CURLINFO_RESPONSE_CODE, &code);
	if (code >= 200 && code < 300)
		return ATT_OK;
	out_chan_seterr(ch, "POST %s: HTTP status %ld", o->url, code);
	if (code >= 500 || code == 408 || code == 429)
		return ATT_RETRY;
	return ATT_FAIL;
}

static int
http_write(struct out_chan *ch, const struct out_msg *m)
{
	struct out_http *o = ch->priv;
	unsigned backoff = o->backoff_ms;
	int nretry = 0, ntimeout = 0;
	enum attempt a;
	size_t len;
	const char *b = out_chan_body(ch, m, &len);

	curl_easy_setopt(o->curl, CURLOPT_POSTFIELDS, b);
	curl_easy_setopt(o->curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
	for (;;) {
		a = attempt(ch, o);
		if (a == ATT_OK)
			return 0;
		if (a == ATT_FAIL || out_chan_expired(ch))
			return -1;
		if (a == ATT_TIMEOUT && ntimeout++ >= o->max_timeouts)
			return -1;
		if (a == ATT_RETRY && nretry++ >= o->retries)
			return -1;
		OUT_RELAXED_ADD(&ch->retries, 1);
		if (a == ATT_RETRY) {
			out_chan_sleep(ch, backoff);
			backoff = backoff * 2 > OUT_HTTP_BACKOFF_MAX_MS ?
			    OUT_HTTP_BACKOFF_MAX_MS : backoff * 2;
		}
	}
}

static void
http_fini(struct out_chan *ch)
{
	struct out_http *o = ch->priv;

	if (o == NULL)
		return;
	if (o->curl != NULL)
		curl_easy_cleanup(o->curl);
	curl_slist_free_all(o->hdrs);
	free(o->url);
	free(o);
	ch->priv = NULL;
}

static const struct out_chan_ops http_ops = {
	.name = "http",
	.write = http_write,
	.fini = http_fini,
};

static bool
url_ok(struct fc_conf *c, const char *url)
{
	if (!strncasecmp(url, "http://", 7) || !strncasecmp(url, "https://", 8))
		return true;
	conf_error(c, "http_output.url", *url == '\0' ?
	    "required when http_output.enabled is true" :
	    "expected an http:// or https:// URL");
	return false;
}

int
out_http_init(struct out_chan *ch, struct fc_conf *c)
{
	struct curl_slist *l;
	struct http_conf hc;
	struct out_http *o;

	if ((o = calloc(1, sizeof(*o))) == NULL)
		return -1;
	ch->ops = &http_ops;
	ch->priv = o;
	o->url = out_strdup_unquoted(conf_str(c, "http_output.url", ""));
	read_conf(c, &hc);
	o->retries = (int)conf_int(c, "http_output.retries", 0, 100,
	    OUT_HTTP_RETRIES);
	o->backoff_ms = (unsigned)conf_int(c, "http_output.retry_backoff_ms",
	    10, 60000, OUT_HTTP_BACKOFF_MS);
	o->max_timeouts = (int)conf_int(c,
	    "http_output.max_consecutive_timeouts", 0, 255, 5);
	if (o->url == NULL || !url_ok(c, o->url))
		goto fail;
	o->hdrs = curl_slist_append(NULL, ch->json ?
	    "Content-Type: application/json" : "Content-Type: text/plain");
	/* No "Expect: 100-continue" round trip before large bodies. */
	if (o->hdrs == NULL || (l = curl_slist_append(o->hdrs, "Expect:")) == NULL)
		goto fail;
	o->hdrs = l;
	if ((o->curl = curl_easy_init()) == NULL)
		goto fail;
	if (setup_handle(ch, o, &hc) != CURLE_OK) {
		conf_error(c, "http_output", "libcurl rejects these settings");
		goto fail;
	}
	return 0;
fail:
	http_fini(ch);
	return -1;
}
