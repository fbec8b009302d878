/*
 * api_conn.c - connection tracking and the request-deadline watchdog.
 *
 * libmicrohttpd's own timeout (webserver.timeout_s) only closes a
 * connection that makes no progress at all; a client that sends its
 * request one byte at a time (slowloris) would hold a connection, and a
 * thread, forever.  So every connection is tracked from the moment it
 * opens or its previous request completes: if no complete request has
 * reached a handler within timeout_s, the watchdog answers 408 with a
 * JSON error (plain HTTP only; TLS connections are just closed) and
 * shuts the socket down, which makes the connection's thread see EOF
 * and close it.
 *
 * The list is guarded by conn_lock.  libmicrohttpd reports a connection
 * closed (api_conn_notify) before it closes the socket, and the entry is
 * removed under the same lock, so the watchdog never touches a socket
 * number that has been reused.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "http/api_int.h"

#define WATCHDOG_TICK_MS	200

uint64_t
api_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static void
conn_opened(struct api *api, struct MHD_Connection *c, void **ctx)
{
	const union MHD_ConnectionInfo *ci;
	struct api_conn *ac = calloc(1, sizeof(*ac));

	*ctx = ac;
	API_INC(&api->n.connections);
	API_INC(&api->n.connections_total);
	if (ac == NULL)
		return;
	ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
	ac->fd = ci != NULL ? ci->connect_fd : -1;
	ac->state = API_CONN_READING;
	ac->since_ms = api_now_ms();
	pthread_mutex_lock(&api->conn_lock);
	ac->next = api->conns;
	if (api->conns != NULL)
		api->conns->prev = ac;
	api->conns = ac;
	pthread_mutex_unlock(&api->conn_lock);
}

static void
conn_closed(struct api *api, void **ctx)
{
	struct api_conn *ac = *ctx;

	API_DEC(&api->n.connections);
	if (ac == NULL)
		return;
	pthread_mutex_lock(&api->conn_lock);
	if (ac->state == API_CONN_HANDLING)
		API_DEC(&api->n.inflight);
	if (ac->prev != NULL)
		ac->prev->next = ac->next;
	else
		api->conns = ac->next;
	if (ac->next != NULL)
		ac->next->prev = ac->prev;
	pthread_mutex_unlock(&api->conn_lock);
	free(ac);
	*ctx = NULL;
}

void
api_conn_notify(void *cls, struct MHD_Connection *c, void **ctx,
    enum MHD_ConnectionNotificationCode code)
{
	if (code == MHD_CONNECTION_NOTIFY_STARTED)
		conn_opened(cls, c, ctx);
	else
		conn_closed(cls, ctx);
}

void
api_conn_set_state(struct api *api, struct MHD_Connection *c,
    enum api_conn_state st)
{
	const union MHD_ConnectionInfo *ci;
	struct api_conn *ac;

	ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	if (ci == NULL || (ac = ci->socket_context) == NULL)
		return;
	pthread_mutex_lock(&api->conn_lock);
	if (ac->state != API_CONN_EXPIRED) {
		if (st == API_CONN_HANDLING && ac->state != st)
			API_INC(&api->n.inflight);
		else if (st != API_CONN_HANDLING && ac->state ==
		    API_CONN_HANDLING)
			API_DEC(&api->n.inflight);
		ac->state = st;
		ac->since_ms = api_now_ms();
	}
	pthread_mutex_unlock(&api->conn_lock);
}

static void
expire(struct api *api, struct api_conn *ac)
{
	static const char body[] = "{\"error\":\"request not received "
	    "within the time limit\"}";
	static const char head[] = "HTTP/1.1 408 Request Timeout\r\n"
	    "Content-Type: application/json\r\nConnection: close\r\n"
	    "Content-Length: ";
	char msg[256];
	int n;

	if (!api->tls) {
		n = snprintf(msg, sizeof(msg), "%s%zu\r\n\r\n%s", head,
		    sizeof(body) - 1, body);
		(void)send(ac->fd, msg, (size_t)n, MSG_DONTWAIT | MSG_NOSIGNAL);
	}
	shutdown(ac->fd, SHUT_RDWR);
	ac->state = API_CONN_EXPIRED;
	API_INC(&api->n.request_timeouts);
	api_count(api, API_EP_OTHER, 408);
}

static void
watchdog_scan(struct api *api)
{
	uint64_t now = api_now_ms(), limit;
	struct api_conn *ac;

	limit = (uint64_t)api->cfg.timeout_s * 1000u;
	for (ac = api->conns; ac != NULL; ac = ac->next)
		if (ac->state == API_CONN_READING && ac->fd >= 0 &&
		    now - ac->since_ms >= limit)
			expire(api, ac);
}

static void *
watchdog_main(void *arg)
{
	struct api *api = arg;
	struct timespec ts;

	pthread_mutex_lock(&api->conn_lock);
	while (!api_stopping(api)) {
		watchdog_scan(api);
		clock_gettime(CLOCK_MONOTONIC, &ts);
		ts.tv_nsec += WATCHDOG_TICK_MS * 1000000L;
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&api->wd_cond, &api->conn_lock, &ts);
	}
	pthread_mutex_unlock(&api->conn_lock);
	return NULL;
}

int
api_watchdog_start(struct api *api)
{
	pthread_condattr_t ca;

	if (pthread_condattr_init(&ca) != 0)
		return -1;
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	if (pthread_cond_init(&api->wd_cond, &ca) != 0) {
		pthread_condattr_destroy(&ca);
		return -1;
	}
	pthread_condattr_destroy(&ca);
	if (pthread_create(&api->wd_thread, NULL, watchdog_main, api) != 0) {
		pthread_cond_destroy(&api->wd_cond);
		return -1;
	}
	api->wd_started = true;
	return 0;
}

void
api_watchdog_stop(struct api *api)
{
	if (!api->wd_started)
		return;
	pthread_mutex_lock(&api->conn_lock);
	pthread_cond_signal(&api->wd_cond);
	pthread_mutex_unlock(&api->conn_lock);
	pthread_join(api->wd_thread, NULL);
	pthread_cond_destroy(&api->wd_cond);
	api->wd_started = false;
}
