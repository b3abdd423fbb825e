// SPDX-License-Identifier: Apache-2.0
#pragma once
// `agecheck serve` and `agecheck pos`: the POS link's service and its command-line client.

#include <CLI/CLI.hpp>
#include <optional>
#include <string>
#include <vector>

namespace agecheck::tools {

/// The arguments of `agecheck serve`.
struct ServeArgs {
	std::string source;
	std::string socket = "/run/agecheck/agecheck.sock";
	std::string policyFile;
	bool loop = false;
	int width = 0, height = 0;
	std::vector<unsigned> allowUids, allowGids;
	std::string group;
	std::optional<unsigned> tcpPort;
	std::string tokenFile;
	int ttlMs = 30000;
	std::string today;
	std::string worker;        ///< the agecheck-worker executable; default: beside agecheck
	bool inProcess = false;    ///< decode in this process, without the sandboxed worker
	std::string models;        ///< the OCR model directory; empty for the built-in default
	int clearForMs = 1000;     ///< no new sighting until no ID was read for this long
	int repeatForMs = 5000;    ///< the same answer again this soon after the last read is the same card
	bool exitAtEnd = false;    ///< exit once a file source has played out and been scanned
};

/// The agecheck-worker beside the running executable.
std::string DefaultWorkerPath();

/// The arguments of `agecheck pos`.
struct PosArgs {
	std::string socket = "/run/agecheck/agecheck.sock";
	int threshold = 0;
	int timeoutMs = 60000;
};

/// Adds `serve` to `app`; the returned subcommand is set when it was chosen.
CLI::App* AddServe(CLI::App& app, ServeArgs& args);
/// Adds `pos` with its `check` and `status` subcommands.
CLI::App* AddPos(CLI::App& app, PosArgs& args);

/// Runs `agecheck serve`: 0 after a clean stop (SIGINT, SIGTERM), 2 on a usage or start-up error.
int RunServe(const ServeArgs& args);
/// Runs `agecheck pos check|status`. check: 0 over, 1 not over, 3 an error reply, 4 no answer
/// (no service, a timeout of the connection). status: 0 with the reply printed, 4 no answer.
int RunPos(const CLI::App& pos, const PosArgs& args);

} // namespace agecheck::tools
