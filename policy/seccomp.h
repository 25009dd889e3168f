/* seccomp.h: compiling a policy's [Seccomp] section with libseccomp in the coordinator
 * (the child only loads the exported BPF), and naming syscalls from notifications. */
#ifndef SP_POLICY_SECCOMP_H
#define SP_POLICY_SECCOMP_H

#include <seccomp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "policy/policy.h"

/* The name of syscall NR of architecture ARCH (seccomp_data.arch, an AUDIT_ARCH_* value;
 * x32 calls arrive as AUDIT_ARCH_X86_64 with bit 30 set in NR). A static string, or NULL
 * when libseccomp does not know it. */
const char *sp_seccomp_syscall_name(uint32_t arch, int nr);

/* Make "kill" actions SECCOMP_RET_USER_NOTIF with a listener (as NotifyKill=yes): the
 * executor calls this when it takes the listener fd from sp_child_plan_apply(). */
void sp_policy_set_notify_kill(sp_policy_t *p, bool on);

/* Build the libseccomp filter of P (NULL in *ctx when P needs no filter). */
int sp_seccomp_build(const sp_policy_t *p, scmp_filter_ctx *ctx, sp_err_t *err);
/* Export CTX as a malloc'd struct sock_filter array. */
int sp_seccomp_export(scmp_filter_ctx ctx, void **bpf, unsigned short *len, sp_err_t *err);
/* The SP_ARCH_* architectures the filter covers: SystemCallArchitectures=, or else every ABI
 * of the kernel (x86-64, i386 and x32 on an x86-64 kernel) with the same rules. */
unsigned sp_seccomp_arches(const sp_policy_t *p);
/* SECCOMP_FILTER_FLAG_* the filter of P must be loaded with. */
unsigned sp_seccomp_flags(const sp_policy_t *p);

/* Print per architecture which syscalls are allowed and denied (sandpool policy syscalls). */
int sp_seccomp_list(const sp_policy_t *p, FILE *f, sp_err_t *err);

#endif
