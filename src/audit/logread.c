/*
 * logread.c - buffered line reader for audit logs (see audit.h).
 *
 * Owns its buffer, borrows the fd.  Reads in large blocks and finds lines
 * with memchr, so a line costs no syscall and no copy.  The buffer grows
 * up to AUD_LINE_MAX plus one block; a longer line is cut and the rest of
 * it discarded, so memory stays bounded whatever the input.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit/audit.h"

#define LOGREAD_BLOCK	(1u << 20)

struct aud_logread {
	int	 fd;
	char	*buf;
	size_t	 cap;
	size_t	 start, end;	/* unread bytes are buf[start, end) */
	bool	 eof;
	bool	 skipping;	/* discarding the rest of an over-long line */
};

struct aud_logread *
aud_logread_new(int fd)
{
	struct aud_logread *r = calloc(1, sizeof(*r));

	if (r == NULL)
		return NULL;
	r->fd = fd;
	r->cap = LOGREAD_BLOCK;
	if ((r->buf = malloc(r->cap)) == NULL) {
		free(r);
		return NULL;
	}
	return r;
}

void
aud_logread_free(struct aud_logread *r)
{
	if (r == NULL)
		return;
	free(r->buf);
	free(r);
}

/* Read more input after making room; returns bytes read, 0 at EOF, -errno. */
static ssize_t
fill(struct aud_logread *r)
{
	ssize_t n;
	char *nb;

	if (r->start > 0) {
		memmove(r->buf, r->buf + r->start, r->end - r->start);
		r->end -= r->start;
		r->start = 0;
	}
	if (r->end == r->cap) {
		size_t ncap = r->cap * 2;
		if (r->cap >= AUD_LINE_MAX + LOGREAD_BLOCK)
			return -ENOBUFS;
		if (ncap > AUD_LINE_MAX + LOGREAD_BLOCK)
			ncap = AUD_LINE_MAX + LOGREAD_BLOCK;
		if ((nb = realloc(r->buf, ncap)) == NULL)
			return -ENOMEM;
		r->buf = nb;
		r->cap = ncap;
	}
	do {
		n = read(r->fd, r->buf + r->end, r->cap - r->end);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	r->end += (size_t)n;
	return n;
}

int
aud_logread_next(struct aud_logread *r, const char **line, size_t *len,
    bool *too_long)
{
	char *nl;
	ssize_t n;

	*too_long = false;
	for (;;) {
		nl = memchr(r->buf + r->start, '\n', r->end - r->start);
		if (nl != NULL) {
			size_t l = (size_t)(nl - (r->buf + r->start));
			*line = r->buf + r->start;
			r->start += l + 1;
			if (r->skipping) {
				r->skipping = false;
				continue;
			}
			*len = l > AUD_LINE_MAX ? AUD_LINE_MAX : l;
			*too_long = l > AUD_LINE_MAX;
			return 1;
		}
		if (r->end - r->start > AUD_LINE_MAX && !r->skipping) {
			/*
			 * Longer than the cap (exactly AUD_LINE_MAX bytes still
			 * fits): hand out the capped line now, drop the rest later.
			 */
			*line = r->buf + r->start;
			*len = AUD_LINE_MAX;
			*too_long = true;
			r->start = r->end;
			r->skipping = true;
			return 1;
		}
		if (r->skipping)
			r->start = r->end;
		if (r->eof)
			break;
		if ((n = fill(r)) < 0)
			return (int)n;
		if (n == 0)
			r->eof = true;
	}
	if (r->end > r->start && !r->skipping) {
		/* Last line without a newline. */
		*line = r->buf + r->start;
		*len = r->end - r->start;
		r->start = r->end;
		return 1;
	}
	return 0;
}
