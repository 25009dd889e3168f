/* names.h: the symbolic names a policy may use for numbers: errno names (EPERM),
 * address families (AF_INET), architectures (x86-64), rlimits (LimitNOFILE=). */
#ifndef SP_POLICY_NAMES_H
#define SP_POLICY_NAMES_H

#include <stdint.h>

/* "EPERM" or "1" -> 1; returns -1 when unknown. Accepts 1..4095. */
int sp_errno_from_name(const char *name);
/* 1 -> "EPERM" (static), NULL when unknown. */
const char *sp_errno_name(int e);

/* "AF_INET" -> 2; -1 when unknown. */
int sp_af_from_name(const char *name);
const char *sp_af_name(int af);

/* "native", "x86-64", "x86", "x32" -> SP_ARCH_* bit of model.h; 0 when unknown. */
unsigned sp_arch_from_name(const char *name);
const char *sp_arch_name(unsigned bit);
/* The SP_ARCH_* bit of the architecture this program runs on. */
unsigned sp_arch_native(void);
/* libseccomp's SCMP_ARCH_* token for an SP_ARCH_* bit. */
uint32_t sp_arch_token(unsigned bit);
unsigned sp_arch_from_token(uint32_t token);

/* Limit*= keys. */
typedef enum { SP_RL_COUNT, SP_RL_BYTES, SP_RL_SEC, SP_RL_USEC } sp_rlimit_unit_t;
typedef struct {
	const char *key; /* "LimitNOFILE" */
	int resource;	 /* RLIMIT_NOFILE */
	sp_rlimit_unit_t unit;
} sp_rlimit_key_t;
const sp_rlimit_key_t *sp_rlimit_key(const char *key);
const sp_rlimit_key_t *sp_rlimit_by_resource(int resource);
/* Every key, comma separated, for messages. */
const char *sp_rlimit_keys_text(void);

#endif
