/*
 * nl_rules.c - falconet's own kernel audit rules.
 *
 * The rules are built by hand as struct audit_rule_data (libaudit is used
 * only for its syscall-name tables and machine detection, not for its
 * rule builders, whose hidden global state breaks the second rule of a
 * long-lived process; docs/audit.md §4.2):
 *
 *   -A exit,never -S all -F pid=OURPID -F key=KEY          (first)
 *   -a always,exit -F arch=b64 -S <known names> -F key=KEY
 *   -a always,exit -F arch=b32 -S <known names> -F key=KEY (64-bit hosts)
 *
 * Only rules whose key holds ours are ever deleted: they are listed with
 * AUDIT_LIST_RULES and sent back unchanged with AUDIT_DEL_RULE, which is
 * what `auditctl -D -k KEY` does.  Everything goes through a private
 * control socket, never the event socket (acks would mix with events).
 */
#include "config.h"

#include <errno.h>
#include <libaudit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit/nl_int.h"

enum {
	/* The top AUDIT_SYSCALL_CLASSES bits are class markers: the kernel
	 * rewrites them, so comparisons stop below them. */
	SC_BITS = AUDIT_BITMASK_SIZE * 32 - AUDIT_SYSCALL_CLASSES,
};

static const char *
our_key(const char *key)
{
	return key && *key ? key : AUD_RULES_KEY;
}

/* The 32-bit ABI of a 64-bit machine; -1 when there is none. */
static int
compat_machine(int m)
{
	switch (m) {
	case MACH_86_64: return MACH_X86;
	case MACH_PPC64: return MACH_PPC;
	case MACH_S390X: return MACH_S390;
	case MACH_AARCH64: return MACH_ARM;
	default: return -1;
	}
}

static struct audit_rule_data *
rule_new(uint32_t list, uint32_t action, const char *key, size_t *len)
{
	size_t kl = strlen(key);
	struct audit_rule_data *r = calloc(1, sizeof(*r) + kl);

	if (r == NULL)
		return NULL;
	r->flags = list;
	r->action = action;
	/* The key is the only string field: buf holds just it. */
	memcpy(r->buf, key, kl);
	r->buflen = (uint32_t)kl;
	*len = sizeof(*r) + kl;
	return r;
}

static void
field_add(struct audit_rule_data *r, uint32_t field, uint32_t val)
{
	r->fields[r->field_count] = field;
	r->values[r->field_count] = val;
	r->fieldflags[r->field_count] = AUDIT_EQUAL;
	r->field_count++;
}

static int
list_add(struct aud_rule_list *l, struct audit_rule_data *r, size_t len)
{
	if (r == NULL)
		return -ENOMEM;
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 4;
		void *a = realloc(l->rules, cap * sizeof(*l->rules)), *b;

		if (a == NULL || (l->rules = a,
		    (b = realloc(l->lens, cap * sizeof(*l->lens))) == NULL)) {
			free(r);
			return -ENOMEM;
		}
		l->lens = b;
		l->cap = cap;
	}
	l->rules[l->n] = r;
	l->lens[l->n++] = len;
	return 0;
}

/* The always rule of one machine; NULL in *out when no name is known. */
static int
arch_rule(const struct aud_rules_opts *o, int mach, const char *key,
    struct aud_rule_list *out)
{
	struct audit_rule_data *r;
	unsigned elf = audit_machine_to_elf(mach);
	size_t len, known = 0;

	if (elf == 0)
		return 0;
	if ((r = rule_new(AUDIT_FILTER_EXIT, AUDIT_ALWAYS, key, &len)) == NULL)
		return -ENOMEM;
	field_add(r, AUDIT_ARCH, elf);
	for (size_t i = 0; i < o->nsyscalls; i++) {
		int nr = audit_name_to_syscall(o->syscalls[i], mach);

		if (nr < 0 || nr >= SC_BITS)
			continue;	/* not on this arch (e.g. b32 execveat) */
		r->mask[nr / 32] |= 1u << (nr % 32);
		known++;
	}
	if (known == 0) {
		free(r);
		return 0;
	}
	field_add(r, AUDIT_FILTERKEY, (uint32_t)strlen(key));
	return list_add(out, r, len);
}

int
aud_rules_build(const struct aud_rules_opts *o, struct aud_rule_list *out,
    char *err, size_t errlen)
{
	const char *key = our_key(o->key);
	int mach = audit_detect_machine(), m32 = compat_machine(mach), r;
	size_t len = 0, always;
	struct audit_rule_data *nv;

	memset(out, 0, sizeof(*out));
	if (strlen(key) >= AUDIT_MAX_KEY_LEN || o->nsyscalls > AUD_RULES_MAX_SYSCALLS) {
		snprintf(err, errlen, "audit rules: key or syscall list too long");
		return -EINVAL;
	}
	if (mach < 0) {
		snprintf(err, errlen, "audit rules: unknown machine type");
		return -EOPNOTSUPP;
	}
	if (o->exclude_pid >= 0) {
		nv = rule_new(AUDIT_FILTER_EXIT | AUDIT_FILTER_PREPEND, AUDIT_NEVER,
		    key, &len);
		if (nv) {
			memset(nv->mask, 0xff, sizeof(nv->mask));	/* -S all */
			field_add(nv, AUDIT_PID, (uint32_t)(o->exclude_pid ?
			    o->exclude_pid : getpid()));
			field_add(nv, AUDIT_FILTERKEY, (uint32_t)strlen(key));
		}
		if ((r = list_add(out, nv, len)) < 0)
			goto fail;
	}
	always = out->n;
	if ((r = arch_rule(o, mach, key, out)) < 0 ||
	    (m32 >= 0 && (r = arch_rule(o, m32, key, out)) < 0))
		goto fail;
	if (out->n == always) {
		snprintf(err, errlen, "audit rules: none of the %zu syscalls is "
		    "known on this machine", o->nsyscalls);
		r = -ENOENT;
		goto fail;
	}
	return (int)out->n;
fail:
	if (r == -ENOMEM)
		snprintf(err, errlen, "audit rules: out of memory");
	aud_rule_list_free(out);
	return r;
}

/* ---- talking to the kernel -------------------------------------------- */

static bool
is_ours(const struct audit_rule_data *r, size_t len, const char *key)
{
	size_t kl;
	const char *k = aud_rule_key(r, len, &kl);

	return k != NULL && aud_key_has(k, kl, key);
}

/* Our rules now in the kernel (complete snapshot first: never delete from a partial one). */
static int
list_ours(struct aud_nl *nl, const char *key, struct aud_rule_list *ours,
    char *err, size_t errlen)
{
	struct aud_rule_list all;
	int r;

	memset(ours, 0, sizeof(*ours));
	if ((r = aud_nl_list_rules(nl, &all)) < 0) {
		snprintf(err, errlen, "audit rules: cannot list rules: %s",
		    strerror(-r));
		return r;
	}
	for (size_t i = 0; i < all.n; i++) {
		if (r < 0 || !is_ours(all.rules[i], all.lens[i], key))
			free(all.rules[i]);
		else
			r = list_add(ours, all.rules[i], all.lens[i]);
	}
	free(all.rules);
	free(all.lens);
	if (r < 0) {
		aud_rule_list_free(ours);
		snprintf(err, errlen, "audit rules: out of memory");
	}
	return r < 0 ? r : 0;
}

static int
remove_ours(struct aud_nl *nl, const char *key, char *err, size_t errlen)
{
	struct aud_rule_list ours;
	int r, n = 0;

	if ((r = list_ours(nl, key, &ours, err, errlen)) < 0)
		return r;
	for (size_t i = 0; i < ours.n; i++) {
		r = aud_nl_request(nl, AUDIT_DEL_RULE, ours.rules[i], ours.lens[i],
		    NULL);
		if (r < 0 && r != -ENOENT) {	/* ENOENT: someone was faster */
			snprintf(err, errlen, "audit rules: cannot delete rule "
			    "with key %s: %s", key, strerror(-r));
			break;
		}
		n += r == 0;
		r = 0;
	}
	aud_rule_list_free(&ours);
	return r < 0 ? r : n;
}

static int
ctl_open(struct aud_nl *nl, bool for_change, char *err, size_t errlen)
{
	struct aud_status st;
	int r;

	if ((r = aud_nl_open(nl, 0, 0, err, errlen)) < 0)
		return r;
	if (!for_change)
		return 0;
	if ((r = aud_nl_get_status(nl, &st)) < 0) {
		snprintf(err, errlen, "audit rules: AUDIT_GET: %s", strerror(-r));
	} else if (st.enabled == AUD_LOCKED) {
		snprintf(err, errlen, "audit rules: the audit configuration is "
		    "locked (enabled=2, auditctl -e 2): rules cannot change until "
		    "reboot; leaving them as they are");
		r = -EPERM;
	}
	if (r < 0)
		aud_nl_close(nl);
	return r;
}

int
aud_rules_remove_ours(const char *key, char *err, size_t errlen)
{
	struct aud_nl nl;
	int r;

	if ((r = ctl_open(&nl, true, err, errlen)) < 0)
		return r;
	r = remove_ours(&nl, our_key(key), err, errlen);
	aud_nl_close(&nl);
	return r;
}

int
aud_rules_install(const struct aud_rules_opts *o, char *err, size_t errlen)
{
	struct aud_rule_list want;
	struct aud_nl nl;
	char e2[256];
	int r;

	if ((r = aud_rules_build(o, &want, err, errlen)) < 0)
		return r;
	if ((r = ctl_open(&nl, true, err, errlen)) < 0)
		goto out;
	/* Exactly one copy: a predecessor's (kill -9) rules go first. */
	if ((r = remove_ours(&nl, our_key(o->key), err, errlen)) < 0)
		goto close;
	for (size_t i = 0; i < want.n; i++) {
		r = aud_nl_request(&nl, AUDIT_ADD_RULE, want.rules[i],
		    want.lens[i], NULL);
		if (r < 0) {
			snprintf(err, errlen, "audit rules: cannot add rule %zu of "
			    "%zu: %s", i + 1, want.n, strerror(-r));
			(void)remove_ours(&nl, our_key(o->key), e2, sizeof(e2));
			goto close;
		}
	}
	r = (int)want.n;
close:
	aud_nl_close(&nl);
out:
	aud_rule_list_free(&want);
	return r;
}

static bool
same_rule(const struct audit_rule_data *a, const struct audit_rule_data *b)
{
	uint32_t n = a->field_count;

	if ((a->flags & ~AUDIT_FILTER_PREPEND) != (b->flags & ~AUDIT_FILTER_PREPEND) ||
	    a->action != b->action || n != b->field_count ||
	    n > AUDIT_MAX_FIELDS || a->buflen != b->buflen ||
	    memcmp(a->fields, b->fields, n * sizeof(a->fields[0])) ||
	    memcmp(a->values, b->values, n * sizeof(a->values[0])) ||
	    memcmp(a->fieldflags, b->fieldflags, n * sizeof(a->fieldflags[0])) ||
	    memcmp(a->buf, b->buf, a->buflen))
		return false;
	for (int nr = 0; nr < SC_BITS; nr++)
		if ((a->mask[nr / 32] ^ b->mask[nr / 32]) & (1u << (nr % 32)))
			return false;
	return true;
}

int
aud_rules_check(const struct aud_rules_opts *o, char *err, size_t errlen)
{
	struct aud_rule_list want, ours;
	struct aud_nl nl;
	int r;

	if ((r = aud_rules_build(o, &want, err, errlen)) < 0)
		return r;
	if ((r = ctl_open(&nl, false, err, errlen)) < 0)
		goto out;
	r = list_ours(&nl, our_key(o->key), &ours, err, errlen);
	aud_nl_close(&nl);
	if (r < 0)
		goto out;
	r = 1;
	if (ours.n != want.n) {
		snprintf(err, errlen, "audit rules: %zu rules with key %s in the "
		    "kernel, %zu expected", ours.n, our_key(o->key), want.n);
		r = 0;
	}
	for (size_t i = 0; r == 1 && i < want.n; i++) {
		bool found = false;

		for (size_t j = 0; j < ours.n && !found; j++)
			found = ours.lens[j] >= sizeof(struct audit_rule_data) &&
			    want.lens[i] <= ours.lens[j] &&
			    same_rule(want.rules[i], ours.rules[j]);
		if (!found) {
			snprintf(err, errlen, "audit rules: rule %zu of %zu "
			    "(key %s) is missing or changed", i + 1, want.n,
			    our_key(o->key));
			r = 0;
		}
	}
	aud_rule_list_free(&ours);
out:
	aud_rule_list_free(&want);
	return r;
}

int
aud_rules_count(const char *key, char *err, size_t errlen)
{
	struct aud_rule_list ours;
	struct aud_nl nl;
	int r;

	if ((r = ctl_open(&nl, false, err, errlen)) < 0)
		return r;
	r = list_ours(&nl, our_key(key), &ours, err, errlen);
	aud_nl_close(&nl);
	if (r < 0)
		return r;
	r = (int)ours.n;
	aud_rule_list_free(&ours);
	return r;
}

/* ---- CONFIG_CHANGE hint ---------------------------------------------- */

static bool
val_is(const struct aud_field *f, const char *s, char *tmp, size_t *n)
{
	if (f->vlen >= 512 || !aud_decode_value(f, tmp, n))
		return false;
	return *n == strlen(s) && memcmp(tmp, s, *n) == 0;
}

bool
aud_rec_rules_changed(const struct aud_record *rec, const char *key)
{
	struct aud_cursor c;
	struct aud_field f;
	char tmp[512];
	size_t n;
	bool removed = false, keyed = true;

	if (rec->type != AUDIT_CONFIG_CHANGE)
		return false;
	aud_cursor_init(&c, rec->body, rec->bodylen);
	while (aud_cursor_next(&c, &f)) {
		if (f.val == NULL)
			continue;
		if (f.klen == 2 && memcmp(f.key, "op", 2) == 0)
			removed = val_is(&f, "remove_rule", tmp, &n) ||
			    val_is(&f, "remove rule", tmp, &n);
		else if (f.klen == 3 && memcmp(f.key, "key", 3) == 0 &&
		    f.vlen < sizeof(tmp) && aud_decode_value(&f, tmp, &n))
			keyed = aud_key_has(tmp, n, our_key(key));
	}
	return removed && keyed;
}
