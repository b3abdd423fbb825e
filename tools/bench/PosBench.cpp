// SPDX-License-Identifier: Apache-2.0
// agecheck-bench-pos: latency and throughput of the POS link (protocol v1) on a Unix socket:
// status round trips from one client, the time from a sighting's publication to the waiting
// check's reply, and 64 concurrent clients sending 10,000 requests. Prints a Markdown report.

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <filesystem>
#include <mutex>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

#include "pos/Pos.h"

using namespace agecheck;
using Clock = std::chrono::steady_clock;

namespace {

/// Sends `line` on `c` and stores the reply; false when there is none.
bool Ask(pos::Connection& c, const char* line, std::string& reply)
{
	auto r = c.ask(line, std::chrono::seconds(10));
	if (!r)
		return false;
	reply = std::move(*r);
	return true;
}

double Us(Clock::duration d)
{
	return std::chrono::duration<double, std::micro>(d).count();
}

double Pct(std::vector<double> v, double p)
{
	std::sort(v.begin(), v.end());
	return v.empty() ? 0 : v[std::min(v.size() - 1, std::size_t(p * double(v.size() - 1) + 0.5))];
}

} // namespace

int main()
{
	const std::string path = (std::filesystem::temp_directory_path() / ("agecheck-bench-" + std::to_string(getpid()) + ".sock")).string();
	pos::ServerOptions o;
	o.socketPath = path;
	pos::Server server(o, {18, 21});
	std::mutex m;
	std::condition_variable cv;
	bool active = false;
	server.onCheck = [&](bool a, int) {
		{
			std::lock_guard lock(m);
			active = a;
		}
		cv.notify_all();
	};
	std::string error;
	if (!server.start(&error)) {
		std::fprintf(stderr, "agecheck-bench-pos: %s\n", error.c_str());
		return 1;
	}
	pos::Status st;
	st.ready = true;
	st.camera = "demo";
	st.thresholds = {18, 21};
	server.setStatus(st);
	std::thread loop([&] { server.run(); });

	// 1. status round trips, one client, one connection.
	std::vector<double> status;
	{
		pos::Connection c(path);
		std::string reply;
		for (int i = 0; i < 5000; ++i) {
			const auto t0 = Clock::now();
			if (!Ask(c, R"({"v":1,"op":"status"})", reply))
				return 1;
			status.push_back(Us(Clock::now() - t0));
		}
	}

	// 2. A waiting check: from publish() (the sighting completes) to the reply in the client.
	std::vector<double> publishToReply;
	{
		pos::Connection c(path);
		for (int i = 0; i < 1000; ++i) {
			std::atomic<Clock::time_point::rep> published{0};
			std::thread pub([&] {
				std::unique_lock lock(m);
				cv.wait(lock, [&] { return active; });
				lock.unlock();
				pos::Answer a;
				a.over = {{18, true}, {21, false}};
				published = Clock::now().time_since_epoch().count();
				server.publish(a);
			});
			std::string reply;
			Ask(c, R"({"v":1,"op":"check","threshold":18,"timeout_ms":5000})", reply);
			const auto got = Clock::now();
			pub.join();
			publishToReply.push_back(Us(got - Clock::time_point(Clock::duration(published.load()))));
			std::unique_lock lock(m);
			cv.wait(lock, [&] { return !active; });
		}
	}

	// 3. 64 concurrent clients, 10,000 requests in all (status, an unoffered threshold, a bad line).
	std::atomic<int> answered{0};
	const auto t0 = Clock::now();
	{
		std::vector<std::thread> clients;
		for (int id = 0; id < 64; ++id)
			clients.emplace_back([&, id] {
				pos::Connection c(path);
				std::string reply;
				const int n = 10000 / 64 + (id < 10000 % 64 ? 1 : 0);
				for (int i = 0; i < n; ++i) {
					const char* line = i % 3 == 0   ? R"({"v":1,"op":"status"})"
									   : i % 3 == 1 ? R"({"v":1,"op":"check","threshold":16})"
													: R"({"v":2,"op":"status"})";
					if (Ask(c, line, reply))
						++answered;
				}
			});
		for (auto& t : clients)
			t.join();
	}
	const double seconds = std::chrono::duration<double>(Clock::now() - t0).count();

	server.stop();
	loop.join();
	std::filesystem::remove(path);

	std::printf("# POS link benchmark (Unix socket, one process)\n\n");
	std::printf("| measure | median | p99 |\n|---|---:|---:|\n");
	std::printf("| status round trip (5,000, one connection) | %.0f us | %.0f us |\n", Pct(status, 0.5), Pct(status, 0.99));
	std::printf("| sighting published -> waiting check answered (1,000) | %.0f us | %.0f us |\n", Pct(publishToReply, 0.5),
				Pct(publishToReply, 0.99));
	std::printf("\n64 concurrent clients: %d of 10000 requests answered in %.2f s (%.0f requests/s).\n", answered.load(),
				seconds, answered.load() / seconds);
	return 0;
}
