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

#define SP_SYS_SOCKET 1 /* socketcall(2) call number of socket() */

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

	if (arch == SCMP_ARCH_X86_64 && (nr & 0x40000000))
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

static int add_arches(const sp_policy_t *p, scmp_filter_ctx ctx, sp_err_t *err)
{
	unsigned native = sp_arch_native();
	/* without SystemCallArchitectures=, every ABI of an x86-64 kernel gets the same rules */
	unsigned want = p->archs		   ? p->archs
			: native == SP_ARCH_X86_64 ? SP_ARCH_X86_64 | SP_ARCH_X86 | SP_ARCH_X32
						   : native;
	int r;

	for (unsigned bit = 1; bit <= SP_ARCH_X32; bit <<= 1) {
		if (!(want & bit) || bit == native)
			continue;
		r = seccomp_arch_add(ctx, sp_arch_token(bit));
		if (r < 0 && r != -EEXIST)
			return sp_err_setk(err, SP_EK_POLICY, -r,
					   "adding architecture %s to the filter",
					   sp_arch_name(bit));
	}
	if (!(want & native) && (r = seccomp_arch_remove(ctx, SCMP_ARCH_NATIVE)) < 0)
		return sp_err_setk(err, SP_EK_POLICY, -r, "removing the native architecture");
	return 0;
}

static int add_rule(scmp_filter_ctx ctx, uint32_t act, int nr, unsigned n, struct scmp_arg_cmp c,
		    const char *name, sp_err_t *err)
{
	int r = n ? seccomp_rule_add(ctx, act, nr, 1, c) : seccomp_rule_add(ctx, act, nr, 0);

	if (r < 0)
		return sp_err_setk(err, SP_EK_POLICY, -r, "adding the seccomp rule for %s", name);
	return 0;
}

/* socket(): per address family, allowed families as the filter's own action for socket,
 * denied ones EAFNOSUPPORT. Only the low 32 bits of the argument count, as in the kernel. */
static int add_socket_rules(const sp_policy_t *p, scmp_filter_ctx ctx, uint32_t def, sp_err_t *err)
{
	int nr = seccomp_syscall_resolve_name("socket");

	for (int af = 0; af < SP_AF_LIMIT; af++) {
		uint32_t act =
		    sp_policy_af_allowed(p, af) ? SCMP_ACT_ALLOW : SCMP_ACT_ERRNO(EAFNOSUPPORT);
		if (act == def)
			continue;
		if (add_rule(ctx, act, nr, 1,
			     SCMP_A0(SCMP_CMP_MASKED_EQ, 0xffffffffu, (uint64_t)af), "socket",
			     err) < 0)
			return -1;
	}
	return 0;
}

/* i386 programs may create sockets through socketcall(2), whose arguments sit in memory
 * where no filter can read them: socketcall(SYS_SOCKET) is refused, its other calls follow
 * the filter. (Current i386 C libraries call socket(2) directly.) */
static int add_socketcall_rules(scmp_filter_ctx ctx, uint32_t def, sp_err_t *err)
{
	int nr = seccomp_syscall_resolve_name("socketcall");

	if (add_rule(ctx, SCMP_ACT_ERRNO(EAFNOSUPPORT), nr, 1, SCMP_A0(SCMP_CMP_EQ, SP_SYS_SOCKET),
		     "socketcall", err) < 0)
		return -1;
	if (def != SCMP_ACT_ALLOW)
		return add_rule(ctx, SCMP_ACT_ALLOW, nr, 1, SCMP_A0(SCMP_CMP_NE, SP_SYS_SOCKET),
				"socketcall", err);
	return 0;
}

static bool af_filtered(const sp_policy_t *p, const char *syscall)
{
	return p->af_mode != SP_LIST_UNSET && sp_policy_syscall_action(p, syscall) == 0;
}

static int add_syscall_rules(const sp_policy_t *p, scmp_filter_ctx ctx, uint32_t def, sp_err_t *err)
{
	for (size_t i = 0; i < p->sc.n; i++) {
		const char *name = p->sc.v[i].name;
		int nr = seccomp_syscall_resolve_name(name);
		uint32_t act = scmp_action(p, sp_policy_syscall_action(p, name));

		/* names of other architectures' groups (osf_*, arc_*) libseccomp cannot place */
		if (nr == __NR_SCMP_ERROR || act == def)
			continue;
		if ((strcmp(name, "socket") == 0 || strcmp(name, "socketcall") == 0) &&
		    af_filtered(p, name))
			continue;
		if (add_rule(ctx, act, nr, 0, (struct scmp_arg_cmp){0}, name, err) < 0)
			return -1;
	}
	return 0;
}

int sp_seccomp_build(const sp_policy_t *p, scmp_filter_ctx *out, sp_err_t *err)
{
	/* an allow-list denies what it does not name; a deny-list allows it */
	uint32_t def = p->sc_mode != SP_LIST_ALLOW
			   ? SCMP_ACT_ALLOW
			   : scmp_action(p, p->sc_errno ? p->sc_errno : SP_SC_ACT_KILL);
	scmp_filter_ctx ctx;
	int r;

	*out = NULL;
	if (!sp_policy_has_seccomp(p))
		return 0;
	ctx = seccomp_init(def);
	if (!ctx)
		return sp_err_setk(err, SP_EK_POLICY, EINVAL, "creating the seccomp filter");
	r = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS);
	if (r < 0) {
		sp_err_setk(err, SP_EK_POLICY, -r, "setting the action for other architectures");
		goto fail;
	}
	if (add_arches(p, ctx, err) < 0 || add_syscall_rules(p, ctx, def, err) < 0)
		goto fail;
	if (af_filtered(p, "socket") && add_socket_rules(p, ctx, def, err) < 0)
		goto fail;
	if (af_filtered(p, "socketcall") && add_socketcall_rules(ctx, def, err) < 0)
		goto fail;
	*out = ctx;
	return 0;
fail:
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
