// SPDX-License-Identifier: Apache-2.0
#include "ServeCommand.h"

#include <csignal>
#include <cstdio>
#include <filesystem>
#include <grp.h>
#include <unistd.h>
#include <nlohmann/json.hpp>
#include <opencv2/core.hpp>
#include <pthread.h>
#include <thread>

#include "ScanCommand.h"
#include "common/Dates.h"
#include "service/Service.h"

namespace agecheck::tools {

CLI::App* AddServe(CLI::App& app, ServeArgs& a)
{
	auto* cmd = app.add_subcommand("serve", "Run the pipeline on a camera or a file and answer the POS over a local socket");
	cmd->add_option("--source", a.source,
	                "/dev/videoN or camera:N, a video or image file, a folder of images, or fd:N (raw frames from a pipe, as the self-test sends them)")
		->required();
	cmd->add_option("--socket", a.socket, "The Unix socket (default /run/agecheck/agecheck.sock)");
	cmd->add_option("--policy", a.policyFile, "A policy file (default: the built-in policy)");
	cmd->add_flag("--loop", a.loop, "Play a file or folder source again at its end");
	cmd->add_flag("--exit-at-end", a.exitAtEnd, "Exit once a file or folder source has played out and its last frame was scanned");
	cmd->add_option("--width", a.width, "Camera resolution width (1280 or 1920)")->check(CLI::Range(0, 8192));
	cmd->add_option("--height", a.height, "Camera resolution height (720 or 1080)")->check(CLI::Range(0, 8192));
	cmd->add_option("--allow-uid", a.allowUids, "A uid allowed to connect (repeatable); the service's own uid always is");
	cmd->add_option("--allow-gid", a.allowGids, "A primary gid allowed to connect (repeatable)");
	cmd->add_option("--group", a.group, "Group that owns the socket (mode 0660)");
	cmd->add_option("--tcp-port", a.tcpPort, "Also listen on 127.0.0.1:PORT (needs --token-file)")->check(CLI::Range(1, 65535));
	cmd->add_option("--token-file", a.tokenFile, "Root-only file holding the TCP token");
	cmd->add_option("--ttl-ms", a.ttlMs, "How long an unanswered sighting is kept (default 30000, at most 120000)")
		->check(CLI::Range(100, 120000));
	cmd->add_option("--worker", a.worker, "The sandboxed decoding worker (default: agecheck-worker beside agecheck)");
	cmd->add_option("--models", a.models, "The directory holding mrz.traineddata and mrz_best.traineddata (default: the project's models/)");
	cmd->add_flag("--in-process", a.inProcess, "Decode in this process instead of the sandboxed worker (debugging only)");
	cmd->add_option("--clear-for-ms", a.clearForMs, "After a sighting, no new one until no ID was read for this long (default 1000)")
		->check(CLI::Range(0, 10000));
	cmd->add_option("--repeat-for-ms", a.repeatForMs,
	                "A sighting with the same answer as the last, this soon after the last read and with something ID-like in view all along, is the same card: not answered again (default 5000)")
		->check(CLI::Range(0, 60000));
	cmd->add_option("--today", a.today,
					"Decide as on this date, YYYY-MM-DD: file sources only, for demos and tests (default: the local date)");
	return cmd;
}

CLI::App* AddPos(CLI::App& app, PosArgs& a)
{
	auto* pos = app.add_subcommand("pos", "A command-line POS client: ask the service");
	pos->require_subcommand(1);
	pos->add_option("--socket", a.socket, "The Unix socket (default /run/agecheck/agecheck.sock)");
	auto* check = pos->add_subcommand("check", "Ask whether the customer is over THRESHOLD: exit 0 yes, 1 no");
	check->add_option("THRESHOLD", a.threshold, "The age asked about (one the policy offers)")->required()->check(CLI::Range(1, 125));
	check->add_option("--timeout-ms", a.timeoutMs, "How long to wait for an ID (default 60000)")->check(CLI::Range(1, 300000));
	check->add_option("--socket", a.socket, "The Unix socket (default /run/agecheck/agecheck.sock)");
	auto* status = pos->add_subcommand("status", "Print the service's status");
	status->add_option("--socket", a.socket, "The Unix socket (default /run/agecheck/agecheck.sock)");
	return pos;
}

std::string DefaultWorkerPath()
{
	std::error_code ec;
	const auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
	if (ec)
		return "agecheck-worker";
	return (self.parent_path() / "agecheck-worker").string();
}

int RunServe(const ServeArgs& a)
{
	service::Options o;
	o.clearFor = std::chrono::milliseconds(a.clearForMs);
	o.repeatFor = std::chrono::milliseconds(a.repeatForMs);
	o.stopAtEnd = a.exitAtEnd && !a.loop;
	if (!a.inProcess) {
		o.worker.path = a.worker.empty() ? DefaultWorkerPath() : a.worker;
		if (access(o.worker.path.c_str(), X_OK) != 0) {
			std::fprintf(stderr, "agecheck serve: the decoding worker %s is missing or not executable; "
			                     "build it (agecheck-worker) or pass --worker PATH\n", o.worker.path.c_str());
			return 2;
		}
	}
	o.source = a.source;
	if (!a.models.empty())
		o.models.mrzDir = a.models;
	o.live.loop = a.loop;
	o.live.width = a.width;
	o.live.height = a.height;
	auto policy = PolicyOrDefault(a.policyFile, "serve");
	if (!policy)
		return 2;
	o.policy = std::move(*policy);
	if (!a.today.empty()) {
		// A fixed date on a live camera would decide real customers on the wrong day.
		if (a.source.rfind("/dev/", 0) == 0 || a.source.rfind("camera:", 0) == 0) {
			std::fprintf(stderr, "agecheck serve: --today is for file sources only; a camera uses the local date\n");
			return 2;
		}
		const auto today = ParseIsoDate(a.today);
		if (!today) {
			std::fprintf(stderr, "agecheck serve: --today must be a real date written YYYY-MM-DD\n");
			return 2;
		}
		o.today = [d = *today] { return d; };
	}
	o.server.socketPath = a.socket;
	o.server.allowUids.assign(a.allowUids.begin(), a.allowUids.end());
	o.server.allowGids.assign(a.allowGids.begin(), a.allowGids.end());
	if (!a.group.empty()) {
		const group* g = getgrnam(a.group.c_str());
		if (!g) {
			std::fprintf(stderr, "agecheck serve: no group named %s\n", a.group.c_str());
			return 2;
		}
		o.server.socketGroup = g->gr_gid;
	}
	if (a.tcpPort) {
		if (a.tokenFile.empty()) {
			std::fprintf(stderr, "agecheck serve: --tcp-port needs --token-file\n");
			return 2;
		}
		o.server.tcpPort = static_cast<std::uint16_t>(*a.tcpPort);
		o.server.tokenFile = a.tokenFile;
	}
	o.server.ttl = std::chrono::milliseconds(a.ttlMs);

	// The socket's folder (systemd's RuntimeDirectory makes it for the unit).
	std::error_code ec;
	const auto dir = std::filesystem::path(a.socket).parent_path();
	if (!dir.empty() && !std::filesystem::exists(dir, ec)) {
		std::filesystem::create_directories(dir, ec);
		if (ec) {
			std::fprintf(stderr, "agecheck serve: cannot create %s (%s); choose another --socket\n", dir.c_str(),
						 ec.message().c_str());
			return 2;
		}
		// Searchable by all: the socket's own mode (0660) and group decide who may connect.
		std::filesystem::permissions(dir, std::filesystem::perms(0755), ec);
	}

	// Signals are taken by one thread with sigwait, so that stopping runs outside a handler.
	sigset_t signals;
	sigemptyset(&signals);
	sigaddset(&signals, SIGINT);
	sigaddset(&signals, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &signals, nullptr);
	std::signal(SIGPIPE, SIG_IGN);

	cv::setNumThreads(1);
	service::Service svc(o);
	const auto thresholds = o.policy.thresholds;
	svc.onSighting = [thresholds](const sighting::Sighting& s) {
		std::string line = "sighting\t" + std::string(ToString(s.reason));
		for (int t : thresholds)
			line += "\t" + std::to_string(t) + ":" + std::string(ToString(s.verdictFor(t)));
		std::printf("%s\n", line.c_str());
		std::fflush(stdout);
	};
	std::string error;
	if (!svc.start(&error)) {
		std::fprintf(stderr, "agecheck serve: %s\n", error.c_str());
		return 2;
	}
	std::fprintf(stderr, "agecheck serve: listening on %s\n", a.socket.c_str());
	std::fprintf(stderr, "agecheck serve: %s\n", service::ProtectionsLine(svc.stats()).c_str());
	std::thread waiter([&] {
		int sig = 0;
		sigwait(&signals, &sig);
		svc.stop();
	});
	svc.run();
	svc.stop();
	// run() also ends when the service stops for another reason: release the waiting thread.
	pthread_kill(waiter.native_handle(), SIGTERM);
	waiter.join();
	return 0;
}

int RunPos(const CLI::App& pos, const PosArgs& a)
{
	const bool check = pos.got_subcommand("check");
	nlohmann::json request = {{"v", 1}, {"op", check ? "check" : "status"}};
	if (check) {
		request["threshold"] = a.threshold;
		request["timeout_ms"] = a.timeoutMs;
	}
	std::string error;
	const auto wait = std::chrono::milliseconds((check ? a.timeoutMs : 0) + 5000);
	const auto reply = pos::Call(a.socket, request.dump(), wait, &error);
	if (!reply) {
		std::fprintf(stderr, "agecheck pos: no answer from %s: %s\n", a.socket.c_str(), error.c_str());
		return 4;
	}
	const auto j = nlohmann::json::parse(*reply, nullptr, false);
	if (j.is_discarded() || !j.is_object()) {
		std::fprintf(stderr, "agecheck pos: not a protocol reply\n");
		return 4;
	}
	if (j.contains("error") && j["error"].is_string()) {
		std::fprintf(stderr, "agecheck pos: %s\n", j["error"].get<std::string>().c_str());
		return 3;
	}
	if (!check) {
		std::printf("%s\n", reply->c_str());
		return 0;
	}
	const bool over = j.contains("over") && j["over"].is_boolean() && j["over"].get<bool>();
	std::printf("%s\n", over ? "over" : "not over");
	return over ? 0 : 1;
}

} // namespace agecheck::tools
