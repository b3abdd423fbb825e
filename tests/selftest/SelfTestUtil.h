// SPDX-License-Identifier: Apache-2.0
#pragma once
// Runs `agecheck selftest` and reads its JSON report.
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

namespace agecheck::selftesting {

struct Outcome {
	int exitCode = -1;
	std::string stdoutText;
	nlohmann::json report;
	std::string markdown;
};

inline std::string Slurp(const std::string& path)
{
	std::ifstream f(path, std::ios::binary);
	std::ostringstream s;
	s << f.rdbuf();
	return s.str();
}

/// `agecheck selftest ARGS --json J --report M`, with its exit code, output and reports; `env`
/// (e.g. "NAME=value ") is put before the command.
inline Outcome RunSelfTest(const std::string& args, const std::string& env = "")
{
	char dir[] = "/tmp/agecheck-selftest-test-XXXXXX";
	Outcome o;
	if (!mkdtemp(dir))
		return o;
	const std::string json = std::string(dir) + "/report.json", md = std::string(dir) + "/report.md";
	const std::string cmd = env + std::string(AGECHECK_BIN) + " selftest " + args + " --json " + json + " --report " + md + " 2>/dev/null";
	if (FILE* p = popen(cmd.c_str(), "r")) {
		char buf[4096];
		while (std::fgets(buf, sizeof buf, p))
			o.stdoutText += buf;
		const int status = pclose(p);
		o.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
	}
	try {
		o.report = nlohmann::json::parse(Slurp(json));
	} catch (...) {
	}
	o.markdown = Slurp(md);
	std::remove(json.c_str());
	std::remove(md.c_str());
	rmdir(dir);
	return o;
}

/// The check with this id in a report, or null.
inline nlohmann::json Check(const nlohmann::json& report, const std::string& id)
{
	if (report.contains("checks"))
		for (const auto& c : report["checks"])
			if (c.value("id", "") == id)
				return c;
	return nullptr;
}

inline std::string Evidence(const nlohmann::json& check)
{
	std::string all;
	if (check.is_object())
		for (const auto& e : check["evidence"])
			all += e.get<std::string>() + "\n";
	return all;
}

} // namespace agecheck::selftesting
