/* vdso.c: finds the vDSO's functions by reading its ELF image, which the kernel maps into every
 * process and names in the auxiliary vector (getauxval(AT_SYSINFO_EHDR)). Calling them directly,
 * not through libc, keeps libc's own pages out of the fault counts. */
#define _GNU_SOURCE
#include <elf.h>
#include <link.h>
#include <stdio.h>
#include <string.h>
#include <sys/auxv.h>
#include "probe.h"

vdso_gettime_t vdso_gettime;
vdso_gettimeofday_t vdso_gettimeofday;
vdso_time_t vdso_time;
vdso_gettime_t vdso_getres;
vdso_getrandom_t vdso_getrandom;

static char symbols_json[2048] = "[]";

/* the image's dynamic symbols: table, count, strings, load bias */
static const ElfW(Sym) *symtab;
static size_t nsyms;
static const char *strtab;
static uintptr_t bias;

/* fills symtab/nsyms/strtab/bias from the image at base; 0 or -1 */
static int parse(uintptr_t base)
{
	const ElfW(Ehdr) *eh = (const ElfW(Ehdr) *)base;
	if (memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0) return -1;
	const ElfW(Phdr) *ph = (const ElfW(Phdr) *)(base + eh->e_phoff);
	const ElfW(Dyn) *dyn = NULL;
	int have_load = 0;
	for (int i = 0; i < eh->e_phnum; i++) {
		if (ph[i].p_type == PT_LOAD && !have_load) { bias = base + ph[i].p_offset - ph[i].p_vaddr; have_load = 1; }
		else if (ph[i].p_type == PT_DYNAMIC) dyn = (const ElfW(Dyn) *)(base + ph[i].p_offset);
	}
	if (!have_load || !dyn) return -1;
	const Elf32_Word *hash = NULL;
	for (; dyn->d_tag != DT_NULL; dyn++) {
		if (dyn->d_tag == DT_SYMTAB) symtab = (const ElfW(Sym) *)(bias + dyn->d_un.d_ptr);
		else if (dyn->d_tag == DT_STRTAB) strtab = (const char *)(bias + dyn->d_un.d_ptr);
		else if (dyn->d_tag == DT_HASH) hash = (const Elf32_Word *)(bias + dyn->d_un.d_ptr);
	}
	if (!symtab || !strtab) return -1;
	if (hash) nsyms = hash[1];          /* nchain: one entry per symbol */
	else {
		/* no DT_HASH (a GNU-hash-only image): the section headers give .dynsym's size */
		const ElfW(Shdr) *sh = (const ElfW(Shdr) *)(base + eh->e_shoff);
		for (int i = 0; eh->e_shoff && i < eh->e_shnum; i++)
			if (sh[i].sh_type == SHT_DYNSYM && sh[i].sh_entsize) nsyms = sh[i].sh_size / sh[i].sh_entsize;
	}
	return nsyms ? 0 : -1;
}

/* the address of the defined function `name`, or NULL */
static void *lookup(const char *name)
{
	if (!name) return NULL;
	for (size_t i = 0; i < nsyms; i++) {
		const ElfW(Sym) *s = &symtab[i];
		if (ELF64_ST_TYPE(s->st_info) != STT_FUNC || s->st_shndx == SHN_UNDEF) continue;
		if (strcmp(strtab + s->st_name, name) == 0) return (void *)(bias + s->st_value);
	}
	return NULL;
}

int vdso_init(void)
{
	uintptr_t base = (uintptr_t)getauxval(AT_SYSINFO_EHDR);
	if (!base || parse(base) != 0) return -1;
	vdso_gettime = (vdso_gettime_t)lookup(arch->sym_gettime);
	vdso_gettimeofday = (vdso_gettimeofday_t)lookup(arch->sym_gettimeofday);
	vdso_time = (vdso_time_t)lookup(arch->sym_time);
	vdso_getres = (vdso_gettime_t)lookup(arch->sym_getres);
	vdso_getrandom = (vdso_getrandom_t)lookup(arch->sym_getrandom);
	size_t n = 0;
	n += (size_t)snprintf(symbols_json + n, sizeof symbols_json - n, "[");
	int first = 1;
	for (size_t i = 0; i < nsyms && n < sizeof symbols_json - 64; i++) {
		const ElfW(Sym) *s = &symtab[i];
		if (ELF64_ST_TYPE(s->st_info) != STT_FUNC || s->st_shndx == SHN_UNDEF) continue;
		const char *nm = strtab + s->st_name;
		/* each function appears once per version alias; list names once */
		int dup = 0;
		for (size_t k = 0; k < i; k++)
			if (ELF64_ST_TYPE(symtab[k].st_info) == STT_FUNC && symtab[k].st_shndx != SHN_UNDEF &&
			    strcmp(strtab + symtab[k].st_name, nm) == 0) dup = 1;
		if (dup) continue;
		n += (size_t)snprintf(symbols_json + n, sizeof symbols_json - n, "%s\"%s\"", first ? "" : ",", nm);
		first = 0;
	}
	snprintf(symbols_json + n, sizeof symbols_json - n, "]");
	return vdso_gettime ? 0 : -1;
}

const char *vdso_symbols_json(void) { return symbols_json; }
