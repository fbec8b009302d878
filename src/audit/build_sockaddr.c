/*
 * build_sockaddr.c - SOCKADDR saddr= (raw struct sockaddr bytes, hex).
 *
 * sa_family is in the byte order of the machine that logged it: taken
 * from the event's arch (AUDIT_ARCH_LE bit) when a SYSCALL record came
 * first, from this host otherwise.  Ports and addresses are network
 * order.  AF_UNIX: a leading NUL marks an abstract name, which runs to
 * the end of the logged bytes (it may contain NULs); a path name stops at
 * its first NUL, whatever the kernel copied after it.
 */
#include "config.h"

#include <string.h>

#include "audit/build_int.h"

#define ARCH_LE		0x40000000u

enum {
	SA_UNIX = 1, SA_INET = 2, SA_INET6 = 10, SA_NETLINK = 16,
	SA_PACKET = 17,
};

static bool
logged_le(const struct fc_event *ev)
{
	const uint16_t one = 1;

	if (ev->ev_arch != 0)
		return (ev->ev_arch & ARCH_LE) != 0;
	return *(const uint8_t *)&one == 1;
}

static uint16_t
rd16(const uint8_t *p, bool le)
{
	return le ? (uint16_t)(p[0] | p[1] << 8) : (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t
rd32(const uint8_t *p, bool le)
{
	return le ? (uint32_t)p[0] | (uint32_t)p[1] << 8 |
	    (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24 :
	    (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

static void
decode_unix(struct fc_event *ev, struct fc_sockaddr *sa, const uint8_t *b,
    size_t len)
{
	const uint8_t *p = b + 2, *nul;
	size_t n = len - 2;
	char *s;

	if (n > 0 && p[0] == '\0') {
		sa->sa_abstract = true;
		p++;
		n--;
	} else if ((nul = memchr(p, '\0', n)) != NULL) {
		n = (size_t)(nul - p);
	}
	s = fc_arena_strndup(&ev->ev_arena, (const char *)p, n);
	if (s == NULL) {
		ev->ev_flags |= FC_EV_TRUNCATED;
		return;
	}
	sa->sa_path = (struct fc_str){ s, (uint32_t)n };
}

static void
decode_family(struct fc_event *ev, struct fc_sockaddr *sa, const uint8_t *b,
    size_t len)
{
	bool le = logged_le(ev);

	sa->sa_family = rd16(b, le);
	switch (sa->sa_family) {
	case SA_INET:
		if (len < 8)
			break;
		sa->sa_kind = FC_SA_INET;
		sa->sa_port = rd16(b + 2, false);
		memcpy(sa->sa_addr, b + 4, 4);
		return;
	case SA_INET6:
		if (len < 24)
			break;
		sa->sa_kind = FC_SA_INET6;
		sa->sa_port = rd16(b + 2, false);
		sa->sa_flowinfo = rd32(b + 4, false);
		memcpy(sa->sa_addr, b + 8, 16);
		if (len >= 28)
			sa->sa_scope_id = rd32(b + 24, le);
		return;
	case SA_UNIX:
		sa->sa_kind = FC_SA_UNIX;
		decode_unix(ev, sa, b, len);
		return;
	case SA_NETLINK:
		if (len < 12)
			break;
		sa->sa_kind = FC_SA_NETLINK;
		sa->sa_nl_pid = rd32(b + 4, le);
		sa->sa_nl_groups = rd32(b + 8, le);
		return;
	case SA_PACKET:
		if (len < 8)
			break;
		sa->sa_kind = FC_SA_PACKET;
		sa->sa_pkt_protocol = rd16(b + 2, false);
		sa->sa_pkt_ifindex = (int32_t)rd32(b + 4, le);
		return;
	}
	sa->sa_kind = FC_SA_OTHER;
}

void
build_sockaddr(struct fc_event *ev, uint32_t idx, const struct aud_record *rec)
{
	struct fc_sockaddr *sa = &ev->ev_sockaddr;
	struct aud_cursor c;
	struct aud_field f;
	struct fc_str raw;

	aud_cursor_init(&c, rec->body, rec->bodylen);
	while (aud_cursor_next(&c, &f)) {
		if (sa->sa_kind != FC_SA_NONE || !KEY_IS(&f, "saddr") ||
		    f.kind != AUD_V_BARE || f.val == NULL ||
		    !build_decode(ev, &f, &raw) || raw.len * 2 != f.vlen ||
		    raw.len < 2) {
			build_generic(ev, idx, &f);
			continue;
		}
		memset(sa, 0, sizeof(*sa));
		sa->sa_raw = raw;
		decode_family(ev, sa, (const uint8_t *)raw.p, raw.len);
	}
}
