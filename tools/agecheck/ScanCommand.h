// SPDX-License-Identifier: Apache-2.0
#pragma once
// `agecheck scan`: one line per input, INPUT<TAB>VERDICT<TAB>REASON.

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "age/Policy.h"

namespace agecheck::tools {

/// The arguments of `agecheck scan`, as parsed from the command line.
struct ScanArgs {
	std::string today;               ///< YYYY-MM-DD, empty for the local date
	std::optional<int> threshold;    ///< the age asked about; default: the policy's first threshold
	std::string policyFile;          ///< empty for the built-in policy
	std::string models;              ///< the OCR model directory; empty for the built-in default
	std::vector<std::string> inputs; ///< image or video files
};

/// The policy in `file`, or the built-in one when `file` is empty; nullopt after printing why
/// the file was refused (`command` names the subcommand in the message).
std::optional<age::Policy> PolicyOrDefault(const std::string& file, const char* command);

/// `name` with every control character replaced by '?', safe to print as one field of a line.
std::string PrintableName(const std::string& name);

/// Runs the command: 0 when every input was processed, 1 when any could not be read, 2 on a
/// usage error (bad date, unreadable policy) or when the OCR models cannot be loaded.
int RunScan(const ScanArgs& args);

} // namespace agecheck::tools
