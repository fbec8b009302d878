/*
 * api_conf.c - the HTTP API's settings (webserver.* keys), the bearer
 * token and TLS certificate files, and the listening socket (TCP or
 * unix), which the API opens itself so that bind errors are precise and
 * an ephemeral port can be read back.
 */
#include "config.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <netinet/in.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "conf.h"
#include "http/api_int.h"

#define TOKEN_MIN	16
#define TOKEN_MAX	4096
#define CERT_MAX	(1 << 20)

int
api_conf_read(struct fc_conf *c, struct api_config *cfg, char *err,
    size_t errlen)
{
	size_t before = conf_nerrors(c);
	const char *mode;
	char *end;
	long m;

	cfg->enabled = conf_bool(c, "webserver.enabled", true);
	cfg->listen_address = conf_str(c, "webserver.listen_address",
	    "127.0.0.1");
	cfg->listen_port = (int)conf_int(c, "webserver.listen_port", 0, 65535,
	    8765);
	cfg->ssl_enabled = conf_bool(c, "webserver.ssl_enabled", false);
	cfg->ssl_certificate = conf_str(c, "webserver.ssl_certificate",
	    "/etc/falco/falco.pem");
	cfg->healthz_path = conf_str(c, "webserver.k8s_healthz_endpoint",
	    "/healthz");
	cfg->metrics_enabled = conf_bool(c,
	    "webserver.prometheus_metrics_enabled", true);
	cfg->token_file = conf_str(c, "webserver.token_file", NULL);
	cfg->unix_socket = conf_str(c, "webserver.unix_socket", NULL);
	cfg->unix_owner = conf_str(c, "webserver.unix_socket_owner", NULL);
	cfg->max_connections = (int)conf_int(c, "webserver.max_connections",
	    1, 4096, 64);
	cfg->max_request_bytes = (int)conf_int(c,
	    "webserver.max_request_bytes", 1024, 1 << 20, 8192);
	cfg->timeout_s = (int)conf_int(c, "webserver.timeout_s", 1, 3600, 10);
	cfg->max_wait_s = (int)conf_int(c, "webserver.max_wait_s", 0, 3600,
	    30);
	cfg->unix_mode = 0660;
	mode = conf_str(c, "webserver.unix_socket_mode", NULL);
	if (mode != NULL) {
		errno = 0;
		m = strtol(mode, &end, 8);
		if (errno != 0 || *end != '\0' || end == mode || m < 0 ||
		    m > 0777)
			conf_error(c, "webserver.unix_socket_mode", "expected "
			    "an octal mode such as 0660, got '%s'", mode);
		else
			cfg->unix_mode = (int)m;
	}
	if (cfg->healthz_path[0] != '/')
		conf_error(c, "webserver.k8s_healthz_endpoint",
		    "must start with '/'");
	if (conf_nerrors(c) > before) {
		snprintf(err, errlen, "%s", conf_error_msg(c, before));
		return -1;
	}
	return 0;
}

bool
api_addr_is_loopback(const char *addr)
{
	struct in6_addr a6;
	struct in_addr a4;

	if (inet_pton(AF_INET, addr, &a4) == 1)
		return (ntohl(a4.s_addr) >> 24) == 127;
	if (inet_pton(AF_INET6, addr, &a6) == 1)
		return IN6_IS_ADDR_LOOPBACK(&a6);
	return false;
}

/* Read a small file whole, refusing anything but a regular file. */
static char *
slurp(const char *path, size_t max, struct stat *st, char *err,
    size_t errlen)
{
	char *buf = NULL;
	size_t got = 0;
	ssize_t r;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0 || fstat(fd, st) != 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		goto out;
	}
	if (!S_ISREG(st->st_mode) || (size_t)st->st_size > max) {
		snprintf(err, errlen, "%s: not a regular file of at most %zu "
		    "bytes", path, max);
		goto out;
	}
	buf = malloc((size_t)st->st_size + 1);
	while (buf != NULL && got < (size_t)st->st_size &&
	    (r = read(fd, buf + got, (size_t)st->st_size - got)) > 0)
		got += (size_t)r;
	if (buf != NULL)
		buf[got] = '\0';
	else
		snprintf(err, errlen, "out of memory");
out:
	if (fd >= 0)
		close(fd);
	return buf;
}

int
api_token_load(struct api *api, char *err, size_t errlen)
{
	const char *path = api->cfg.token_file;
	struct stat st;
	size_t len, i;
	char *t;

	if ((t = slurp(path, TOKEN_MAX, &st, err, errlen)) == NULL)
		return -1;
	if (st.st_mode & (S_IROTH | S_IWOTH)) {
		snprintf(err, errlen, "webserver.token_file %s is accessible "
		    "by others (mode %04o): chmod 600 it", path,
		    (unsigned)(st.st_mode & 07777));
		free(t);
		return -1;
	}
	len = strlen(t);
	while (len > 0 && isspace((unsigned char)t[len - 1]))
		t[--len] = '\0';
	for (i = 0; i < len; i++)
		if (t[i] < 0x21 || t[i] > 0x7e)
			break;
	if (len < TOKEN_MIN || i < len) {
		snprintf(err, errlen, "webserver.token_file %s: the token must "
		    "be at least %d printable characters without spaces",
		    path, TOKEN_MIN);
		free(t);
		return -1;
	}
	api->token = t;
	api->token_len = len;
	return 0;
}

int
api_cert_load(struct api *api, char *err, size_t errlen)
{
	const char *path = api->cfg.ssl_certificate;
	struct stat st;
	char *pem;

	if ((pem = slurp(path, CERT_MAX, &st, err, errlen)) == NULL)
		return -1;
	if (strstr(pem, "PRIVATE KEY-----") == NULL ||
	    strstr(pem, "-----BEGIN CERTIFICATE-----") == NULL) {
		snprintf(err, errlen, "webserver.ssl_certificate %s must hold "
		    "both the private key and the certificate (PEM)", path);
		free(pem);
		return -1;
	}
	api->cert_pem = pem;
	return 0;
}

static int
listen_tcp(struct api *api, char *err, size_t errlen)
{
	struct sockaddr_storage ss;
	struct sockaddr_in *in4 = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&ss;
	socklen_t len;
	int fd, one = 1;

	memset(&ss, 0, sizeof(ss));
	if (inet_pton(AF_INET, api->cfg.listen_address, &in4->sin_addr) == 1) {
		in4->sin_family = AF_INET;
		in4->sin_port = htons((uint16_t)api->cfg.listen_port);
		len = sizeof(*in4);
	} else if (inet_pton(AF_INET6, api->cfg.listen_address,
	    &in6->sin6_addr) == 1) {
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons((uint16_t)api->cfg.listen_port);
		len = sizeof(*in6);
	} else {
		snprintf(err, errlen, "webserver.listen_address '%s' is not an "
		    "IPv4 or IPv6 address", api->cfg.listen_address);
		return -1;
	}
	fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one,
	    sizeof(one)) != 0 || bind(fd, (struct sockaddr *)&ss, len) != 0 ||
	    listen(fd, 128) != 0 ||
	    getsockname(fd, (struct sockaddr *)&ss, &len) != 0) {
		snprintf(err, errlen, "cannot listen on %s port %d: %s",
		    api->cfg.listen_address, api->cfg.listen_port,
		    strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	api->port = ntohs(ss.ss_family == AF_INET ? in4->sin_port :
	    in6->sin6_port);
	api->listen_fd = fd;
	return 0;
}

/* "user", "user:group", "uid", "uid:gid" -> ids (-1: unchanged). */
static int
parse_owner(const char *s, uid_t *uid, gid_t *gid)
{
	char buf[256], *colon, *end;
	struct passwd *pw;
	struct group *gr;
	unsigned long v;

	*uid = (uid_t)-1;
	*gid = (gid_t)-1;
	if (snprintf(buf, sizeof(buf), "%s", s) >= (int)sizeof(buf))
		return -1;
	if ((colon = strchr(buf, ':')) != NULL) {
		*colon++ = '\0';
		v = strtoul(colon, &end, 10);
		if (*colon != '\0' && *end == '\0')
			*gid = (gid_t)v;
		else if ((gr = getgrnam(colon)) != NULL)
			*gid = gr->gr_gid;
		else
			return -1;
	}
	if (buf[0] == '\0')
		return 0;
	v = strtoul(buf, &end, 10);
	if (*end == '\0')
		*uid = (uid_t)v;
	else if ((pw = getpwnam(buf)) != NULL)
		*uid = pw->pw_uid;
	else
		return -1;
	return 0;
}

static int
listen_unix(struct api *api, char *err, size_t errlen)
{
	const char *path = api->cfg.unix_socket;
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	struct stat st;
	uid_t uid = (uid_t)-1;
	gid_t gid = (gid_t)-1;
	int fd;

	if (strlen(path) >= sizeof(sun.sun_path)) {
		snprintf(err, errlen, "webserver.unix_socket: path too long");
		return -1;
	}
	if (api->cfg.unix_owner != NULL &&
	    parse_owner(api->cfg.unix_owner, &uid, &gid) != 0) {
		snprintf(err, errlen, "webserver.unix_socket_owner '%s': "
		    "unknown user or group", api->cfg.unix_owner);
		return -1;
	}
	if (lstat(path, &st) == 0) {
		if (!S_ISSOCK(st.st_mode)) {
			snprintf(err, errlen, "webserver.unix_socket %s exists "
			    "and is not a socket", path);
			return -1;
		}
		unlink(path);		/* a stale socket of an earlier run */
	}
	strcpy(sun.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sun, sizeof(sun)) != 0) {
		snprintf(err, errlen, "cannot listen on %s: %s", path,
		    strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	snprintf(api->unix_path, sizeof(api->unix_path), "%s", path);
	if (chmod(path, (mode_t)api->cfg.unix_mode) != 0 ||
	    (api->cfg.unix_owner != NULL && chown(path, uid, gid) != 0) ||
	    listen(fd, 128) != 0) {
		snprintf(err, errlen, "cannot set up %s: %s", path,
		    strerror(errno));
		close(fd);
		return -1;
	}
	api->listen_fd = fd;
	return 0;
}

int
api_listen(struct api *api, char *err, size_t errlen)
{
	if (api->cfg.unix_socket != NULL && api->cfg.unix_socket[0] != '\0')
		return listen_unix(api, err, errlen);
	return listen_tcp(api, err, errlen);
}
