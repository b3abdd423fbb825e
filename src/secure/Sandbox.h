// SPDX-License-Identifier: Apache-2.0
#pragma once
// The sighting worker's sandbox: once its decoders are loaded, the process that reads hostile
// pictures may compute, use the memory it has, and talk over the descriptors it already holds.
// Nothing else: no file opened, no socket, no new process, no exec, no ptrace.

namespace agecheck::secure {

/// What EnterSandbox() achieved; each flag is measured, not assumed.
struct SandboxReport {
	bool noNewPrivileges = false; ///< PR_SET_NO_NEW_PRIVS is set
	bool seccomp = false;         ///< a seccomp filter is in force (/proc/self/status "Seccomp: 2")
};

/// Installs the worker's seccomp filter: an allow-list of the system calls that decoding needs
/// (memory, futexes, time, reading and writing descriptors already open, sendmsg/recvmsg on them,
/// exit; signals, limits and CPU sets of itself only). Every other call fails with EPERM;
/// execve, execveat, socket, connect, ptrace, kill, process_vm_writev and the like kill the
/// process at once. Irreversible, for the calling
/// process and every thread it starts afterwards: call it once, single-threaded, after all files
/// were opened.
SandboxReport EnterSandbox() noexcept;

/// The seccomp mode of a process from /proc/PID/status (0 none, 1 strict, 2 filter); -1 when
/// unreadable. pid 0 means this process.
int SeccompMode(int pid = 0) noexcept;

} // namespace agecheck::secure
