/*
 * filter_share.c - one memo slot per distinct field of an engine's filters
 * (see flt_share_fields in filter.h).
 *
 * Owns the table of distinct field references.  Runs at load time only;
 * the search is linear because an engine has at most a few hundred
 * distinct fields and loading is not on the event path.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "rules/filter_int.h"

static bool
same_ref(const struct fld_ref *a, const struct fld_ref *b)
{
	return a->def == b->def && a->type == b->type &&
	    a->has_arg == b->has_arg && a->index == b->index &&
	    a->param == b->param && a->arglen == b->arglen &&
	    memcmp(a->arg, b->arg, a->arglen) == 0;
}

/*
 * Set *slot to the slot (+ 1) of ref, adding ref when new; 0 when it must
 * not or cannot have one.  -1 only when memory runs out.
 */
static int
slot_of(struct flt_fields *t, const struct fld_ref *ref, uint32_t *slot)
{
	struct fld_ref *nr;
	uint32_t i, cap;

	*slot = 0;
	if (ref->def->flags & FLD_F_PER_USE)
		return 0;
	for (i = 0; i < t->n; i++)
		if (same_ref(&t->refs[i], ref)) {
			*slot = i + 1;
			return 0;
		}
	if (t->n == FLT_MAX_SLOTS)
		return 0;
	if (t->n == t->cap) {
		cap = t->cap ? t->cap * 2 : 32;
		if ((nr = realloc(t->refs, cap * sizeof(*nr))) == NULL)
			return -1;
		t->refs = nr;
		t->cap = cap;
	}
	t->refs[t->n++] = *ref;
	*slot = t->n;
	return 0;
}

static int
share_opd(struct fopd *o, struct flt_fields *t)
{
	size_t i;
	int rc = 0;

	switch (o->kind) {
	case FOPD_FIELD:
		/* Ancestor checks walk the table with their own refs. */
		if (o->ref.def == NULL || o->ancestor)
			return 0;
		return slot_of(t, &o->ref, &o->slot);
	case FOPD_XFORM:
	case FOPD_LIST:
		for (i = 0; i < o->nargs; i++)
			if (share_opd(&o->args[i], t) != 0)
				rc = -1;
		return rc;
	default:
		return 0;
	}
}

static int
share_node(struct fnode *n, struct flt_fields *t)
{
	size_t i;
	int rc = 0;

	if (n->kind == FN_CHECK) {
		if (share_opd(&n->chk->lhs, t) != 0)
			rc = -1;
		if (n->chk->rhs == FCHK_OPERAND &&
		    share_opd(&n->chk->rhs_opd, t) != 0)
			rc = -1;
		return rc;
	}
	for (i = 0; i < n->n; i++)
		if (share_node(n->kids[i], t) != 0)
			rc = -1;
	return rc;
}

int
flt_share_fields(struct flt *f, struct flt_fields *t)
{
	return f != NULL && f->root != NULL ? share_node(f->root, t) : 0;
}

void
flt_fields_fini(struct flt_fields *t)
{
	free(t->refs);
	memset(t, 0, sizeof(*t));
}
