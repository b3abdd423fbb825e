// SPDX-License-Identifier: Apache-2.0
#pragma once
// Process hardening that every front end applies before it sees a frame.

namespace agecheck::secure {

/// What HardenProcess() achieved; each flag is measured, not assumed.
struct HardenReport {
	bool coreDumpsOff = false;  ///< RLIMIT_CORE is 0
	bool notDumpable = false;   ///< PR_SET_DUMPABLE is 0 (no core, no ptrace by other users)
};

/// Turns core dumps off and marks the process not dumpable. Safe to call more than once.
HardenReport HardenProcess() noexcept;

} // namespace agecheck::secure
