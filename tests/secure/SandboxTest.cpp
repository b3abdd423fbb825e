// SPDX-License-Identifier: Apache-2.0
// The worker's seccomp sandbox, entered in a forked child: what it allows, what fails, what kills.
#include <cerrno>
#include <csignal>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "secure/Sandbox.h"

using agecheck::secure::EnterSandbox;

namespace {

/// Runs `body` in a sandboxed child; returns its wait status.
template <typename F>
int InSandbox(F body)
{
	const pid_t pid = fork();
	if (pid == 0) {
		const auto r = EnterSandbox();
		if (!r.seccomp || !r.noNewPrivileges)
			_exit(90);
		_exit(body());
	}
	int status = 0;
	waitpid(pid, &status, 0);
	return status;
}

bool ExitedWith(int status, int code)
{
	return WIFEXITED(status) && WEXITSTATUS(status) == code;
}

bool KilledBySyscallFilter(int status)
{
	return WIFSIGNALED(status) && WTERMSIG(status) == SIGSYS;
}

} // namespace

TEST(Sandbox, ComputesAndUsesMemory)
{
	const int status = InSandbox([] {
		void* p = mmap(nullptr, 1 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED)
			return 1;
		static_cast<volatile char*>(p)[12345] = 7;
		munmap(p, 1 << 20);
		return 0;
	});
	EXPECT_TRUE(ExitedWith(status, 0)) << status;
}

TEST(Sandbox, OpensNoFileForWritingOrReading)
{
	char path[] = "/tmp/agecheck-sandbox-XXXXXX";
	const int fd = mkstemp(path);
	ASSERT_GE(fd, 0);
	close(fd);
	const int status = InSandbox([&] {
		const int w = open(path, O_WRONLY | O_TRUNC);
		if (w >= 0 || errno != EPERM)
			return 1;
		const int c = open("/tmp/agecheck-sandbox-new", O_CREAT | O_WRONLY, 0600);
		if (c >= 0 || errno != EPERM)
			return 2;
		const int r = open("/etc/hostname", O_RDONLY);
		if (r >= 0 || errno != EPERM)
			return 3;
		return 0;
	});
	EXPECT_TRUE(ExitedWith(status, 0)) << status;
	EXPECT_NE(access("/tmp/agecheck-sandbox-new", F_OK), 0);
	unlink(path);
}

TEST(Sandbox, ASocketKillsTheProcess)
{
	EXPECT_TRUE(KilledBySyscallFilter(InSandbox([] { return socket(AF_INET, SOCK_STREAM, 0) >= 0 ? 0 : 1; })));
	EXPECT_TRUE(KilledBySyscallFilter(InSandbox([] { return socket(AF_UNIX, SOCK_STREAM, 0) >= 0 ? 0 : 1; })));
}

TEST(Sandbox, ExecKillsTheProcess)
{
	EXPECT_TRUE(KilledBySyscallFilter(InSandbox([] {
		char* argv[] = {const_cast<char*>("/bin/true"), nullptr};
		execv("/bin/true", argv);
		return 1;
	})));
}

TEST(Sandbox, TalksOnlyOverDescriptorsItAlreadyHas)
{
	int sv[2];
	ASSERT_EQ(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv), 0);
	const int status = InSandbox([&] { return send(sv[1], "ok", 2, 0) == 2 ? 0 : 1; });
	EXPECT_TRUE(ExitedWith(status, 0)) << status;
	char buf[4]{};
	EXPECT_EQ(recv(sv[0], buf, sizeof buf, MSG_DONTWAIT), 2);
	close(sv[0]);
	close(sv[1]);
}

TEST(Sandbox, SeccompModeIsReadFromOutside)
{
	EXPECT_EQ(agecheck::secure::SeccompMode(), 0); // the test process itself is not sandboxed
	int pipefd[2];
	ASSERT_EQ(pipe(pipefd), 0);
	const pid_t pid = fork();
	if (pid == 0) {
		EnterSandbox();
		char c;
		(void)!read(pipefd[0], &c, 1); // wait to be looked at
		_exit(0);
	}
	for (int i = 0; i < 200 && agecheck::secure::SeccompMode(pid) != 2; ++i)
		usleep(5000);
	EXPECT_EQ(agecheck::secure::SeccompMode(pid), 2);
	(void)!write(pipefd[1], "x", 1);
	waitpid(pid, nullptr, 0);
	close(pipefd[0]);
	close(pipefd[1]);
}

TEST(Sandbox, CannotSignalOrLimitAnotherProcess)
{
	const pid_t parent = getpid();
	// tgkill at another process fails; kill() kills the caller.
	EXPECT_TRUE(ExitedWith(InSandbox([&] {
		const long r = syscall(SYS_tgkill, parent, parent, 0);
		return r == -1 && errno == EPERM ? 0 : 1;
	}), 0));
	EXPECT_TRUE(KilledBySyscallFilter(InSandbox([&] { return kill(parent, 0) == 0 ? 0 : 1; })));
	// Its own limits can be read; nobody's can be set.
	EXPECT_TRUE(ExitedWith(InSandbox([&] {
		rlimit r{};
		if (getrlimit(RLIMIT_NOFILE, &r) != 0)
			return 1;
		if (prlimit(parent, RLIMIT_NOFILE, nullptr, &r) == 0 || errno != EPERM)
			return 2;
		if (setrlimit(RLIMIT_NOFILE, &r) == 0 || errno != EPERM)
			return 3;
		if (fcntl(0, F_SETOWN, parent) == 0 || errno != EPERM)
			return 4;
		return fcntl(0, F_GETFD) >= 0 ? 0 : 5;
	}), 0));
	// abort() still works: the process signals itself.
	const int status = InSandbox([] {
		abort();
		return 0;
	});
	EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT) << status;
}
