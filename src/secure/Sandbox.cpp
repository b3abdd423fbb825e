// SPDX-License-Identifier: Apache-2.0
#include "secure/Sandbox.h"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <seccomp.h>
#include <string>
#include <fcntl.h>
#include <sys/prctl.h>
#include <unistd.h>

namespace agecheck::secure {

namespace {

// What decoding needs once everything is loaded. Kept short on purpose: a call missing here
// fails with EPERM, which a decoder turns into "unreadable" (fail closed), not into a crash.
constexpr int kAllowed[] = {
	// memory
	SCMP_SYS(brk), SCMP_SYS(mmap), SCMP_SYS(munmap), SCMP_SYS(mremap), SCMP_SYS(mprotect),
	SCMP_SYS(madvise), SCMP_SYS(mlock), SCMP_SYS(munlock),
	// descriptors already open: the parent's socket, the shared frame buffer, stdio
	SCMP_SYS(read), SCMP_SYS(write), SCMP_SYS(readv), SCMP_SYS(writev), SCMP_SYS(pread64),
	SCMP_SYS(recvmsg), SCMP_SYS(sendmsg), SCMP_SYS(recvfrom), SCMP_SYS(sendto), SCMP_SYS(close),
	SCMP_SYS(fstat), SCMP_SYS(newfstatat), SCMP_SYS(lseek), SCMP_SYS(poll), SCMP_SYS(ppoll),
	// threads and time (libstdc++, OpenCV's one-thread pool, glibc internals)
	SCMP_SYS(futex), SCMP_SYS(sched_yield), SCMP_SYS(clock_gettime),
	SCMP_SYS(clock_getres), SCMP_SYS(gettimeofday), SCMP_SYS(nanosleep), SCMP_SYS(clock_nanosleep),
	SCMP_SYS(getpid), SCMP_SYS(gettid), SCMP_SYS(getrandom), SCMP_SYS(set_robust_list),
	SCMP_SYS(rseq), SCMP_SYS(sigaltstack), SCMP_SYS(getrlimit),
	// signals and the way out (abort() raises SIGABRT with tgkill)
	SCMP_SYS(rt_sigreturn), SCMP_SYS(rt_sigprocmask), SCMP_SYS(rt_sigaction),
	SCMP_SYS(exit), SCMP_SYS(exit_group), SCMP_SYS(restart_syscall),
};

// Calls a compromised decoder would reach for: the process dies on the spot.
constexpr int kFatal[] = {
	SCMP_SYS(execve), SCMP_SYS(execveat), SCMP_SYS(socket), SCMP_SYS(socketpair), SCMP_SYS(connect),
	SCMP_SYS(bind), SCMP_SYS(listen), SCMP_SYS(accept), SCMP_SYS(accept4), SCMP_SYS(ptrace),
	SCMP_SYS(process_vm_readv), SCMP_SYS(process_vm_writev), SCMP_SYS(fork), SCMP_SYS(vfork),
	SCMP_SYS(kill), SCMP_SYS(setuid), SCMP_SYS(setgid), SCMP_SYS(mount), SCMP_SYS(chmod),
	SCMP_SYS(unlink), SCMP_SYS(unlinkat), SCMP_SYS(rename), SCMP_SYS(renameat2),
};

} // namespace

SandboxReport EnterSandbox() noexcept
{
	SandboxReport r;
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ERRNO(EPERM));
	if (!ctx)
		return r;
	bool ok = true;
	for (int sc : kAllowed)
		ok &= seccomp_rule_add(ctx, SCMP_ACT_ALLOW, sc, 0) == 0;
	for (int sc : kFatal)
		ok &= seccomp_rule_add(ctx, SCMP_ACT_KILL_PROCESS, sc, 0) == 0;
	// Calls allowed only on this process, never aimed at another (the service runs as the same user):
	// signals to itself (abort), its own limits read (glibc's getrlimit), its own CPU set (OpenCV),
	// and descriptor flags, but no F_SETOWN/F_SETSIG that would aim SIGIO elsewhere.
	const auto self = static_cast<scmp_datum_t>(getpid());
	ok &= seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(tgkill), 1, SCMP_A0(SCMP_CMP_EQ, self)) == 0;
	ok &= seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(prlimit64), 2, SCMP_A0(SCMP_CMP_EQ, 0), SCMP_A2(SCMP_CMP_EQ, 0)) == 0;
	ok &= seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(sched_getaffinity), 1, SCMP_A0(SCMP_CMP_EQ, 0)) == 0;
	for (int cmd : {F_GETFD, F_SETFD, F_GETFL, F_SETFL})
		ok &= seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(fcntl), 1, SCMP_A1(SCMP_CMP_EQ, static_cast<scmp_datum_t>(cmd))) == 0;
	// Reading back its own state, and nothing else of prctl.
	ok &= seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(prctl), 1, SCMP_A0(SCMP_CMP_EQ, PR_GET_SECCOMP)) == 0;
	ok &= seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(prctl), 1, SCMP_A0(SCMP_CMP_EQ, PR_GET_NO_NEW_PRIVS)) == 0;
	// The filter sets PR_SET_NO_NEW_PRIVS itself (libseccomp's default).
	if (ok)
		ok = seccomp_load(ctx) == 0;
	seccomp_release(ctx);
	r.noNewPrivileges = prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) == 1;
	r.seccomp = ok && prctl(PR_GET_SECCOMP, 0, 0, 0, 0) == 2;
	return r;
}

int SeccompMode(int pid) noexcept
{
	char path[64];
	if (pid == 0)
		std::snprintf(path, sizeof path, "/proc/self/status");
	else
		std::snprintf(path, sizeof path, "/proc/%d/status", pid);
	// Read before the sandbox or from outside it: fopen is not allowed inside.
	FILE* f = std::fopen(path, "re");
	if (!f)
		return -1;
	char line[256];
	int mode = -1;
	while (std::fgets(line, sizeof line, f))
		if (std::strncmp(line, "Seccomp:", 8) == 0) {
			mode = std::atoi(line + 8);
			break;
		}
	std::fclose(f);
	return mode;
}

} // namespace agecheck::secure
