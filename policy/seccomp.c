/* seccomp.c: the [Seccomp] section as one libseccomp filter covering every ABI of the
 * machine (x86-64, i386, x32): syscall allow/deny rules, socket() address families, and the
 * action for other architectures; exported as BPF for the child to load. */
#include "config.h"
#include "policy/seccomp.h"

#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include "executor/util.h"
#include "policy/model.h"
#include "policy/names.h"
#include "policy/syscall_groups.h"

#define SP_SYS_SOCKET	   1	      /* socketcall(2) call number of socket() */
#define SP_X32_SYSCALL_BIT 0x40000000 /* x32 system calls are x86-64 calls with bit 30 */

void sp_policy_set_notify_kill(sp_policy_t *p, bool on)
{
	p->notify_kill = on;
}

unsigned sp_seccomp_flags(const sp_policy_t *p)
{
	return p->notify_kill && sp_policy_has_seccomp(p) ? SECCOMP_FILTER_FLAG_NEW_LISTENER : 0;
}

const char *sp_seccomp_syscall_name(uint32_t arch, int nr)
{
	char *name;
	const char *known;

	if (arch == SCMP_ARCH_X86_64 && (nr & SP_X32_SYSCALL_BIT))
		arch = SCMP_ARCH_X32;
	name = seccomp_syscall_resolve_num_arch(arch, nr);
	if (!name)
		return NULL;
	known = sp_syscall_known(name);
	free(name);
	return known;
}

/* libseccomp action of a model action (0 allow, errno, SP_SC_ACT_KILL). */
static uint32_t scmp_action(const sp_policy_t *p, int action)
{
	if (action == 0)
		return SCMP_ACT_ALLOW;
	if (action > 0)
		return SCMP_ACT_ERRNO((uint32_t)action);
	return p->notify_kill ? SCMP_ACT_NOTIFY : SCMP_ACT_KILL_PROCESS;
}

unsigned sp_seccomp_arches(const sp_policy_t *p)
{
	unsigned native = sp_arch_native();

	if (p->archs)
		return p->archs;
	return native == SP_ARCH_X86_64 ? SP_ARCH_X86_64 | SP_ARCH_X86 | SP_ARCH_X32 : native;
}

/* Rules are added to one-architecture filters, only for syscalls that architecture has, so
 * that no filter holds a libseccomp "pseudo syscall" rule: libseccomp 2.5.4 emits a broken
 * x86-64/x32 program for some filters with pseudo syscall rules (the syscall number is never
 * loaded, so no rule matches; test_restrict_address_families catches it). libseccomp
 * translates the native (or pseudo) number it is given to the filter's architecture. */
static bool arch_has(uint32_t token, const char *name)
{
	int nr = seccomp_syscall_resolve_name_arch(token, name);

	/* >= 0: its own syscall; -101..-299: a call i386 multiplexes through socketcall(2) or
	 * ipc(2), which libseccomp rewrites itself; other negative values: not on this arch */
	return nr >= 0 || (nr <= -101 && nr >= -299);
}

static int add_rule(scmp_filter_ctx ctx, uint32_t token, uint32_t act, const char *name, unsigned n,
		    struct scmp_arg_cmp c, sp_err_t *err)
{
	int nr = seccomp_syscall_resolve_name(name);
	int r;

	if (nr == __NR_SCMP_ERROR || !arch_has(token, name))
		return 0;
	r = n ? seccomp_rule_add(ctx, act, nr, 1, c) : seccomp_rule_add(ctx, act, nr, 0);
	if (r < 0)
		return sp_err_setk(err, SP_EK_POLICY, -r, "adding the %s rule for %s",
				   sp_arch_name(sp_arch_from_token(token)), name);
	return 0;
}

/* socket(): per address family, allowed families as the filter's own action for socket,
 * denied ones EAFNOSUPPORT. Only the low 32 bits of the argument count, as in the kernel. */
static int add_socket_rules(const sp_policy_t *p, scmp_filter_ctx ctx, uint32_t token, uint32_t def,
			    sp_err_t *err)
{
	for (int af = 0; af < SP_AF_LIMIT; af++) {
		uint32_t act =
		    sp_policy_af_allowed(p, af) ? SCMP_ACT_ALLOW : SCMP_ACT_ERRNO(EAFNOSUPPORT);
		if (act == def)
			continue;
		if (add_rule(ctx, token, act, "socket", 1,
			     SCMP_A0(SCMP_CMP_MASKED_EQ, 0xffffffffu, (uint64_t)af), err) < 0)
			return -1;
	}
	return 0;
}

/* i386: libseccomp turns a rule on socket() into rules on socket(2) and on
 * socketcall(SYS_SOCKET), whose arguments sit in memory where no filter can read the
 * family; an allow rule for one family would allow them all. So under RestrictAddressFamilies=
 * i386 programs get no sockets at all (EAFNOSUPPORT); socketcall's other calls follow the
 * filter. */
static int add_i386_socket_rules(scmp_filter_ctx ctx, uint32_t token, uint32_t def, sp_err_t *err)
{
	if (add_rule(ctx, token, SCMP_ACT_ERRNO(EAFNOSUPPORT), "socket", 0,
		     (struct scmp_arg_cmp){0}, err) < 0)
		return -1;
	if (def != SCMP_ACT_ALLOW)
		return add_rule(ctx, token, SCMP_ACT_ALLOW, "socketcall", 1,
				SCMP_A0(SCMP_CMP_NE, SP_SYS_SOCKET), err);
	return 0;
}

static bool af_filtered(const sp_policy_t *p, const char *syscall)
{
	return p->af_mode != SP_LIST_UNSET && sp_policy_syscall_action(p, syscall) == 0;
}

static int add_syscall_rules(const sp_policy_t *p, scmp_filter_ctx ctx, uint32_t token,
			     uint32_t def, sp_err_t *err)
{
	for (size_t i = 0; i < p->sc.n; i++) {
		const char *name = p->sc.v[i].name;
		uint32_t act = scmp_action(p, sp_policy_syscall_action(p, name));

		if (act == def)
			continue;
		if ((strcmp(name, "socket") == 0 || strcmp(name, "socketcall") == 0) &&
		    af_filtered(p, name))
			continue;
		if (add_rule(ctx, token, act, name, 0, (struct scmp_arg_cmp){0}, err) < 0)
			return -1;
	}
	return 0;
}

/* A filter for one architecture. */
static int build_arch(const sp_policy_t *p, unsigned bit, uint32_t def, scmp_filter_ctx *out,
		      sp_err_t *err)
{
	uint32_t token = sp_arch_token(bit);
	scmp_filter_ctx ctx = seccomp_init(def);
	int r;

	if (!ctx)
		return sp_err_setk(err, SP_EK_POLICY, EINVAL, "creating the seccomp filter");
	r = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS);
	/* A binary tree of syscall numbers: a 250-call allow-list loads in about a
	 * third of the time of the plain list (bench/README.md). */
	if (r == 0)
		r = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2);
	if (r == 0 && token != seccomp_arch_native()) {
		r = seccomp_arch_add(ctx, token);
		if (r == 0)
			r = seccomp_arch_remove(ctx, SCMP_ARCH_NATIVE);
	}
	if (r < 0) {
		sp_err_setk(err, SP_EK_POLICY, -r, "preparing the seccomp filter for %s",
			    sp_arch_name(bit));
		goto fail;
	}
	if (add_syscall_rules(p, ctx, token, def, err) < 0)
		goto fail;
	if (af_filtered(p, "socket") &&
	    (bit == SP_ARCH_X86 ? add_i386_socket_rules(ctx, token, def, err)
				: add_socket_rules(p, ctx, token, def, err)) < 0)
		goto fail;
	*out = ctx;
	return 0;
fail:
	seccomp_release(ctx);
	return -1;
}

int sp_seccomp_build(const sp_policy_t *p, scmp_filter_ctx *out, sp_err_t *err)
{
	/* an allow-list denies what it does not name; a deny-list allows it */
	uint32_t def = p->sc_mode != SP_LIST_ALLOW
			   ? SCMP_ACT_ALLOW
			   : scmp_action(p, p->sc_errno ? p->sc_errno : SP_SC_ACT_KILL);
	unsigned archs = sp_seccomp_arches(p);
	scmp_filter_ctx ctx = NULL, one = NULL;
	int r;

	*out = NULL;
	if (!sp_policy_has_seccomp(p))
		return 0;
	for (unsigned bit = 1; bit <= SP_ARCH_X32; bit <<= 1) {
		if (!(archs & bit))
			continue;
		if (build_arch(p, bit, def, &one, err) < 0)
			goto fail;
		if (!ctx) {
			ctx = one;
		} else if ((r = seccomp_merge(ctx, one)) < 0) {
			seccomp_release(one);
			sp_err_setk(err, SP_EK_POLICY, -r, "merging the seccomp filter for %s",
				    sp_arch_name(bit));
			goto fail;
		}
	}
	*out = ctx;
	return 0;
fail:
	if (ctx)
		seccomp_release(ctx);
	return -1;
}

int sp_seccomp_export(scmp_filter_ctx ctx, void **bpf, unsigned short *len, sp_err_t *err)
{
	cleanup_close int fd = memfd_create("sandpool-bpf", MFD_CLOEXEC);
	off_t size;
	void *buf;
	int r;

	if (fd < 0)
		return sp_err_set(err, errno, "memfd_create for the seccomp filter");
	if ((r = seccomp_export_bpf(ctx, fd)) < 0)
		return sp_err_setk(err, SP_EK_POLICY, -r, "exporting the seccomp filter");
	size = lseek(fd, 0, SEEK_END);
	if (size < 0)
		return sp_err_set(err, errno, "reading the exported seccomp filter");
	if (size == 0 || size % (off_t)sizeof(struct sock_filter) ||
	    size / (off_t)sizeof(struct sock_filter) > BPF_MAXINSNS)
		return sp_err_setk(err, SP_EK_POLICY, E2BIG,
				   "the seccomp filter has %lld instructions, the kernel takes at "
				   "most %d; use a shorter list or fewer architectures",
				   (long long)(size / (off_t)sizeof(struct sock_filter)),
				   BPF_MAXINSNS);
	buf = sp_xmalloc((size_t)size + 1); /* sp_pread_all() adds a NUL */
	if (sp_pread_all(fd, buf, (size_t)size + 1) != size) {
		free(buf);
		return sp_err_set(err, errno ? errno : EIO, "reading the exported seccomp filter");
	}
	*bpf = buf;
	*len = (unsigned short)(size / (off_t)sizeof(struct sock_filter));
	return 0;
}
