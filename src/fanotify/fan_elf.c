/*
 * fan_elf.c - tell a program's FAN_OPEN_EXEC from its ELF interpreter's.
 *
 * execve() of a dynamic program opens two files for exec, the program
 * and then (in the same syscall, before the point of no return) the
 * interpreter named by its PT_INTERP, e.g. /lib64/ld-linux-x86-64.so.2;
 * both raise FAN_OPEN_EXEC when their mounts are marked.  audit reports
 * one execve with the interpreter as a second PATH item; so must we.
 * The reader notes, per pid, that a program with PT_INTERP was just
 * exec'd; the next exec event of that pid, within a short time, whose
 * file is a shared object without PT_INTERP (what an interpreter is) or
 * whose name is the PT_INTERP's, is that interpreter and is dropped.
 * Running ld.so directly (`ld.so /bin/prog`) is still reported: there
 * is no program with PT_INTERP before it.
 *
 * The headers are read with pread() on the event fd, which the kernel
 * opened with FMODE_NONOTIFY (no FAN_ACCESS) and whose pages the exec
 * has just read (page cache).  Bounded: one header, at most 64 program
 * headers.
 */
#include "config.h"

#include <elf.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "fanotify/fan_int.h"

enum { MAX_PHDRS = 64 };

struct ehdr {
	bool		 is64;
	uint16_t	 type, phentsize, phnum;
	uint64_t	 phoff;
};

static bool
read_ehdr(int fd, struct ehdr *h)
{
	union {
		unsigned char	 ident[EI_NIDENT];
		Elf64_Ehdr	 e64;
		Elf32_Ehdr	 e32;
	} u;

	if (pread(fd, &u, sizeof(u), 0) < (ssize_t)sizeof(Elf32_Ehdr) ||
	    memcmp(u.ident, ELFMAG, SELFMAG) != 0)
		return false;
	/* Native byte order only: what this host can execute. */
	h->is64 = u.ident[EI_CLASS] == ELFCLASS64;
	if (h->is64) {
		h->type = u.e64.e_type;
		h->phoff = u.e64.e_phoff;
		h->phentsize = u.e64.e_phentsize;
		h->phnum = u.e64.e_phnum;
		return h->phentsize == sizeof(Elf64_Phdr);
	}
	h->type = u.e32.e_type;
	h->phoff = u.e32.e_phoff;
	h->phentsize = u.e32.e_phentsize;
	h->phnum = u.e32.e_phnum;
	return h->phentsize == sizeof(Elf32_Phdr);
}

/* PT_INTERP's (offset, size), if any. */
static bool
find_interp(int fd, const struct ehdr *h, uint64_t *off, uint64_t *size)
{
	unsigned char buf[MAX_PHDRS * sizeof(Elf64_Phdr)];
	size_t n = h->phnum < MAX_PHDRS ? h->phnum : MAX_PHDRS, i;
	ssize_t got = pread(fd, buf, n * h->phentsize, (off_t)h->phoff);

	if (got < 0)
		return false;
	n = (size_t)got / h->phentsize;
	for (i = 0; i < n; i++) {
		if (h->is64) {
			Elf64_Phdr p;

			memcpy(&p, buf + i * sizeof(p), sizeof(p));
			if (p.p_type == PT_INTERP) {
				*off = p.p_offset, *size = p.p_filesz;
				return true;
			}
		} else {
			Elf32_Phdr p;

			memcpy(&p, buf + i * sizeof(p), sizeof(p));
			if (p.p_type == PT_INTERP) {
				*off = p.p_offset, *size = p.p_filesz;
				return true;
			}
		}
	}
	return false;
}

int
fan_elf_read(int fd, struct fan_elf *e)
{
	char path[PATH_MAX];
	struct ehdr h;
	uint64_t off, size;
	ssize_t n;
	const char *base;

	memset(e, 0, sizeof(*e));
	if (!read_ehdr(fd, &h))
		return 0;
	e->elf = true;
	e->dyn = h.type == ET_DYN;
	if (!find_interp(fd, &h, &off, &size))
		return 0;
	e->interp = true;
	if (size == 0 || size >= sizeof(path))
		return 0;
	if ((n = pread(fd, path, size, (off_t)off)) <= 0)
		return 0;
	path[n < (ssize_t)size ? n : (ssize_t)size - 1] = '\0';
	base = strrchr(path, '/');
	base = base != NULL ? base + 1 : path;
	snprintf(e->interp_base, sizeof(e->interp_base), "%.*s",
	    (int)(sizeof(e->interp_base) - 1), base);
	return 0;
}

/* ---- The per-pid expectation ------------------------------------------- */

enum { WINDOW_MS = 200 };

void
fan_interp_note(struct fan_interp *t, int32_t pid, const struct fan_elf *e,
    int64_t now_ms)
{
	struct fan_interp_ent *x = &t->ent[t->next++ % FAN_INTERP_SLOTS];

	x->pid = pid;
	x->t_ms = now_ms;
	memcpy(x->base, e->interp_base, sizeof(x->base));
}

bool
fan_interp_take(struct fan_interp *t, int32_t pid, const char *path,
    const struct fan_elf *e, int64_t now_ms)
{
	const char *base = strrchr(path, '/');
	size_t i;

	base = base != NULL ? base + 1 : path;
	for (i = 0; i < FAN_INTERP_SLOTS; i++) {
		struct fan_interp_ent *x = &t->ent[i];

		if (x->pid != pid || pid == 0 || now_ms - x->t_ms > WINDOW_MS)
			continue;
		x->pid = 0;	/* one interpreter per exec */
		return (e->elf && e->dyn && !e->interp) ||
		    (x->base[0] != '\0' && strcmp(x->base, base) == 0);
	}
	return false;
}
