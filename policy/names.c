/* names.c: tables from the names a policy file uses to the numbers the kernel uses
 * (errno, address families, architectures, rlimits). */
#include "config.h"
#include "policy/names.h"

#include <errno.h>
#include <seccomp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>

#include "executor/util.h"
#include "policy/model.h"

int sp_errno_from_name(const char *name)
{
	char *end;
	long v;

	if (name[0] >= '0' && name[0] <= '9') {
		errno = 0;
		v = strtol(name, &end, 10);
		if (errno || *end || v < 1 || v > 4095)
			return -1;
		return (int)v;
	}
	for (int e = 1; e < 4096; e++) {
		const char *n = strerrorname_np(e);
		if (n && strcmp(n, name) == 0)
			return e;
	}
	return -1;
}

const char *sp_errno_name(int e)
{
	return strerrorname_np(e);
}

static const struct {
	const char *name;
	int af;
} families[] = {
    {"AF_UNSPEC", AF_UNSPEC},
    {"AF_UNIX", AF_UNIX},
    {"AF_LOCAL", AF_LOCAL},
    {"AF_INET", AF_INET},
    {"AF_AX25", AF_AX25},
    {"AF_IPX", AF_IPX},
    {"AF_APPLETALK", AF_APPLETALK},
    {"AF_NETROM", AF_NETROM},
    {"AF_BRIDGE", AF_BRIDGE},
    {"AF_ATMPVC", AF_ATMPVC},
    {"AF_X25", AF_X25},
    {"AF_INET6", AF_INET6},
    {"AF_ROSE", AF_ROSE},
    {"AF_DECnet", AF_DECnet},
    {"AF_NETBEUI", AF_NETBEUI},
    {"AF_SECURITY", AF_SECURITY},
    {"AF_KEY", AF_KEY},
    {"AF_NETLINK", AF_NETLINK},
    {"AF_ROUTE", AF_ROUTE},
    {"AF_PACKET", AF_PACKET},
    {"AF_ASH", AF_ASH},
    {"AF_ECONET", AF_ECONET},
    {"AF_ATMSVC", AF_ATMSVC},
    {"AF_RDS", AF_RDS},
    {"AF_SNA", AF_SNA},
    {"AF_IRDA", AF_IRDA},
    {"AF_PPPOX", AF_PPPOX},
    {"AF_WANPIPE", AF_WANPIPE},
    {"AF_LLC", AF_LLC},
    {"AF_IB", AF_IB},
    {"AF_MPLS", AF_MPLS},
    {"AF_CAN", AF_CAN},
    {"AF_TIPC", AF_TIPC},
    {"AF_BLUETOOTH", AF_BLUETOOTH},
    {"AF_IUCV", AF_IUCV},
    {"AF_RXRPC", AF_RXRPC},
    {"AF_ISDN", AF_ISDN},
    {"AF_PHONET", AF_PHONET},
    {"AF_IEEE802154", AF_IEEE802154},
    {"AF_CAIF", AF_CAIF},
    {"AF_ALG", AF_ALG},
    {"AF_NFC", AF_NFC},
    {"AF_VSOCK", AF_VSOCK},
    {"AF_KCM", AF_KCM},
    {"AF_QIPCRTR", AF_QIPCRTR},
    {"AF_SMC", AF_SMC},
    {"AF_XDP", AF_XDP},
    {"AF_MCTP", 45},
};

int sp_af_from_name(const char *name)
{
	for (size_t i = 0; i < SP_ARRAY_SIZE(families); i++)
		if (strcmp(families[i].name, name) == 0)
			return families[i].af;
	return -1;
}

const char *sp_af_name(int af)
{
	for (size_t i = 0; i < SP_ARRAY_SIZE(families); i++)
		if (families[i].af == af)
			return families[i].name;
	return NULL;
}

static const struct {
	const char *name;
	unsigned bit;
	uint32_t token;
} arches[] = {
    {"x86-64", SP_ARCH_X86_64, SCMP_ARCH_X86_64},
    {"x86", SP_ARCH_X86, SCMP_ARCH_X86},
    {"x32", SP_ARCH_X32, SCMP_ARCH_X32},
};

unsigned sp_arch_native(void)
{
	uint32_t native = seccomp_arch_native();

	for (size_t i = 0; i < SP_ARRAY_SIZE(arches); i++)
		if (arches[i].token == native)
			return arches[i].bit;
	return 0;
}

unsigned sp_arch_from_name(const char *name)
{
	if (strcmp(name, "native") == 0)
		return sp_arch_native();
	for (size_t i = 0; i < SP_ARRAY_SIZE(arches); i++)
		if (strcmp(arches[i].name, name) == 0)
			return arches[i].bit;
	return 0;
}

const char *sp_arch_name(unsigned bit)
{
	for (size_t i = 0; i < SP_ARRAY_SIZE(arches); i++)
		if (arches[i].bit == bit)
			return arches[i].name;
	return NULL;
}

unsigned sp_arch_from_token(uint32_t token)
{
	for (size_t i = 0; i < SP_ARRAY_SIZE(arches); i++)
		if (arches[i].token == token)
			return arches[i].bit;
	return 0;
}

uint32_t sp_arch_token(unsigned bit)
{
	for (size_t i = 0; i < SP_ARRAY_SIZE(arches); i++)
		if (arches[i].bit == bit)
			return arches[i].token;
	return 0;
}

static const sp_rlimit_key_t rlimits[] = {
    {"LimitCPU", RLIMIT_CPU, SP_RL_SEC},
    {"LimitFSIZE", RLIMIT_FSIZE, SP_RL_BYTES},
    {"LimitDATA", RLIMIT_DATA, SP_RL_BYTES},
    {"LimitSTACK", RLIMIT_STACK, SP_RL_BYTES},
    {"LimitCORE", RLIMIT_CORE, SP_RL_BYTES},
    {"LimitRSS", RLIMIT_RSS, SP_RL_BYTES},
    {"LimitNOFILE", RLIMIT_NOFILE, SP_RL_COUNT},
    {"LimitAS", RLIMIT_AS, SP_RL_BYTES},
    {"LimitNPROC", RLIMIT_NPROC, SP_RL_COUNT},
    {"LimitMEMLOCK", RLIMIT_MEMLOCK, SP_RL_BYTES},
    {"LimitLOCKS", RLIMIT_LOCKS, SP_RL_COUNT},
    {"LimitSIGPENDING", RLIMIT_SIGPENDING, SP_RL_COUNT},
    {"LimitMSGQUEUE", RLIMIT_MSGQUEUE, SP_RL_BYTES},
    {"LimitRTPRIO", RLIMIT_RTPRIO, SP_RL_COUNT},
    {"LimitRTTIME", RLIMIT_RTTIME, SP_RL_USEC},
};

const sp_rlimit_key_t *sp_rlimit_key(const char *key)
{
	for (size_t i = 0; i < SP_ARRAY_SIZE(rlimits); i++)
		if (strcmp(rlimits[i].key, key) == 0)
			return &rlimits[i];
	return NULL;
}

const sp_rlimit_key_t *sp_rlimit_by_resource(int resource)
{
	for (size_t i = 0; i < SP_ARRAY_SIZE(rlimits); i++)
		if (rlimits[i].resource == resource)
			return &rlimits[i];
	return NULL;
}

const char *sp_rlimit_keys_text(void)
{
	return "LimitCPU, LimitFSIZE, LimitDATA, LimitSTACK, LimitCORE, LimitRSS, LimitNOFILE, "
	       "LimitAS, LimitNPROC, LimitMEMLOCK, LimitLOCKS, LimitSIGPENDING, LimitMSGQUEUE, "
	       "LimitRTPRIO, LimitRTTIME";
}
