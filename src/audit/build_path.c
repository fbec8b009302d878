/*
 * build_path.c - PATH records into struct fc_path.
 *
 * "item=N name=.. inode= dev=MAJ:MIN mode=0OCTAL ouid= ogid= rdev=
 * nametype=NORMAL|PARENT|CREATE|DELETE|UNKNOWN cap_fp= cap_fi= cap_fe=
 * cap_fver=".  RHEL 7 writes objtype= for nametype=; a failed lookup
 * has no inode group at all.  Anything else stays a generic field.
 */
#include "config.h"

#include <string.h>

#include "audit/build_int.h"

static enum fc_nametype
nametype_of(const struct aud_field *f)
{
	static const struct {
		const char *name;
		enum fc_nametype nt;
	} tab[] = {
		{ "NORMAL", FC_NT_NORMAL }, { "PARENT", FC_NT_PARENT },
		{ "CREATE", FC_NT_CREATE }, { "DELETE", FC_NT_DELETE },
		{ "UNKNOWN", FC_NT_UNKNOWN },
	};
	size_t i;

	for (i = 0; i < sizeof(tab) / sizeof(tab[0]); i++)
		if (strlen(tab[i].name) == f->vlen &&
		    memcmp(tab[i].name, f->val, f->vlen) == 0)
			return tab[i].nt;
	return FC_NT_OTHER;
}

/* "ca:03" (hex major:minor). */
static bool
parse_dev(const struct aud_field *f, uint32_t *maj, uint32_t *min)
{
	const char *colon;
	uint64_t a, b;

	if (f->val == NULL ||
	    (colon = memchr(f->val, ':', f->vlen)) == NULL ||
	    !aud_parse_u64(f->val, (size_t)(colon - f->val), 16, &a) ||
	    !aud_parse_u64(colon + 1, f->vlen - (size_t)(colon + 1 - f->val),
	    16, &b) || a > UINT32_MAX || b > UINT32_MAX)
		return false;
	*maj = (uint32_t)a;
	*min = (uint32_t)b;
	return true;
}

/* A switch on the key length first: one jump, not a compare per key. */
static bool
path_field(struct fc_event *ev, struct fc_path *pt, const struct aud_field *f)
{
	switch (f->klen) {
	case 3:
		if (KEY_IS(f, "dev"))
			return parse_dev(f, &pt->pt_dev_major,
			    &pt->pt_dev_minor);
		return false;
	case 4:
		if (KEY_IS(f, "item"))
			return build_i32(f, &pt->pt_item);
		if (KEY_IS(f, "name")) {
			if (pt->pt_name.p != NULL)
				return false;	/* a repeated name= stays generic */
			/* "(null)" is an absent name: nothing to keep. */
			return build_decode(ev, f, &pt->pt_name) ||
			    (f->vlen == 6 && memcmp(f->val, "(null)", 6) == 0);
		}
		if (KEY_IS(f, "rdev")) {
			pt->pt_flags |= FC_PT_RDEV;
			return parse_dev(f, &pt->pt_rdev_major,
			    &pt->pt_rdev_minor);
		}
		if (KEY_IS(f, "mode"))
			return build_u32(f, 8, &pt->pt_mode);
		if (KEY_IS(f, "ouid"))
			return build_u32(f, 10, &pt->pt_ouid);
		if (KEY_IS(f, "ogid"))
			return build_u32(f, 10, &pt->pt_ogid);
		return false;
	case 5:
		if (KEY_IS(f, "inode")) {
			pt->pt_flags |= FC_PT_INODE;
			return build_u64(f, 10, &pt->pt_inode);
		}
		return false;
	case 6:
		if (KEY_IS(f, "cap_fp")) {
			pt->pt_flags |= FC_PT_CAPS;
			return build_u64(f, 16, &pt->pt_cap_fp);
		}
		if (KEY_IS(f, "cap_fi"))
			return build_u64(f, 16, &pt->pt_cap_fi);
		if (KEY_IS(f, "cap_fe"))
			return build_u32(f, 10, &pt->pt_cap_fe);
		return false;
	case 7:
	case 8:
		if (KEY_IS(f, "nametype") || KEY_IS(f, "objtype")) {
			if (f->val == NULL ||
			    !build_copy(ev, f, &pt->pt_nametype_raw))
				return false;
			pt->pt_nametype = nametype_of(f);
			return true;
		}
		if (KEY_IS(f, "cap_fver"))
			return build_u32(f, 16, &pt->pt_cap_fver);
		return false;
	default:
		return false;
	}
}

void
build_path(struct fc_event *ev, uint32_t idx, const struct aud_record *rec)
{
	struct fc_path *pt;
	struct aud_cursor c;
	struct aud_field f;

	aud_cursor_init(&c, rec->body, rec->bodylen);
	if (ev->ev_npaths >= FC_EV_MAX_PATHS) {
		/* Past the cap the record is still kept, as generic fields. */
		while (aud_cursor_next(&c, &f))
			build_generic(ev, idx, &f);
		return;
	}
	pt = &ev->ev_paths[ev->ev_npaths++];
	memset(pt, 0, sizeof(*pt));
	pt->pt_item = -1;
	while (aud_cursor_next(&c, &f))
		if (!path_field(ev, pt, &f))
			build_generic(ev, idx, &f);
}
