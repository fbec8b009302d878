/*
 * build_int.h - helpers shared by the event-building files of src/audit.
 * Private to the module (tests may include it).
 */
#ifndef FC_AUDIT_BUILD_INT_H
#define FC_AUDIT_BUILD_INT_H

#include <string.h>

#include "audit/audit.h"

/*
 * Whether field f has key lit.  The first byte is compared inline: gcc
 * does not always inline the memcmp, and most candidates differ there.
 */
#define KEY_IS(f, lit) \
	((f)->klen == sizeof(lit) - 1 && (f)->key[0] == (lit)[0] && \
	    memcmp((f)->key, lit, sizeof(lit) - 1) == 0)

/* Decode f (encoded field) into the arena.  false: absent ("(null)") or cap hit. */
bool	build_decode(struct fc_event *ev, const struct aud_field *f,
	    struct fc_str *out);

/* Copy the raw value (quotes removed) into the arena. */
bool	build_copy(struct fc_event *ev, const struct aud_field *f,
	    struct fc_str *out);

/* Keep f as a generic field of record rec_idx. */
void	build_generic(struct fc_event *ev, uint32_t rec_idx,
	    const struct aud_field *f);

/* Number parsers that tolerate a quoted value (log rewriters quote numbers). */
bool	build_u32(const struct aud_field *f, int base, uint32_t *out);
bool	build_u64(const struct aud_field *f, int base, uint64_t *out);
bool	build_i32(const struct aud_field *f, int32_t *out);

void	build_execve(struct fc_event *ev, uint32_t rec_idx,
	    const struct aud_record *rec);
void	build_execve_finish(struct fc_event *ev);
void	build_sockaddr(struct fc_event *ev, uint32_t rec_idx,
	    const struct aud_record *rec);
void	build_path(struct fc_event *ev, uint32_t rec_idx,
	    const struct aud_record *rec);

#endif
