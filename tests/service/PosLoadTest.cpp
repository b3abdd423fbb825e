// SPDX-License-Identifier: Apache-2.0
// The POS link under load: 64 concurrent clients, 10,000 requests, every answer correct, memory flat.
// (Its speed is measured by tools/bench/PosBench.cpp, not asserted here.)
#include <atomic>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <thread>
#include <unistd.h>

#include "ServerHarness.h"

using namespace agecheck;
using namespace std::chrono_literals;

namespace {

long ResidentKiB()
{
	std::ifstream statm("/proc/self/statm");
	long size = 0, resident = 0;
	statm >> size >> resident;
	return resident * (sysconf(_SC_PAGESIZE) / 1024);
}

std::string Ask(pos::Connection& c, const char* line)
{
	return c.ask(line, std::chrono::seconds(10)).value_or("");
}

nlohmann::json Json(const std::string& line)
{
	return nlohmann::json::parse(line, nullptr, false);
}

} // namespace

TEST(PosLoad, SixtyFourClientsTenThousandRequestsAllCorrect)
{
	const std::string path = (std::filesystem::temp_directory_path() / ("agecheck-load-" + std::to_string(getpid()) + ".sock")).string();
	harness::ServerHarness harness(path);
	ASSERT_TRUE(harness.ok()) << harness.error();
	constexpr int kRounds = 2; // warm-up and measured, each with kChecks checks
	constexpr int kClients = 64, kChecks = 48;
	for (int k = 0; k < kRounds * kChecks; ++k)
		harness.queue(k % 2 == 0); // over, not over, over, ...
	std::atomic<int> correct{0}, wrong{0}, total{0};
	auto worker = [&](int id, int requests) {
		pos::Connection c(path);
		if (!c.ok()) {
			wrong += requests;
			return;
		}
		for (int i = 0; i < requests; ++i) {
			std::string reply;
			bool good = false;
			if (id == 0) { // the one client that checks
				reply = Ask(c, R"({"v":1,"op":"check","threshold":18,"timeout_ms":5000})");
				good = Json(reply) == nlohmann::json{{"v", 1}, {"over", i % 2 == 0}};
			} else if (i % 3 == 0) {
				reply = Ask(c, R"({"v":1,"op":"status"})");
				const auto j = nlohmann::json::parse(reply, nullptr, false);
				good = !j.is_discarded() && j.value("v", 0) == 1 && j.value("camera", "") == "demo";
			} else if (i % 3 == 1) {
				reply = Ask(c, R"({"v":1,"op":"check","threshold":16})");
				good = Json(reply) == nlohmann::json{{"v", 1}, {"error", "threshold-not-offered"}};
			} else {
				reply = Ask(c, R"({"v":2,"op":"status"})");
				good = Json(reply) == nlohmann::json{{"v", 1}, {"error", "bad-request"}};
			}
			(good ? correct : wrong)++;
			++total;
		}
	};

	// One round: 64 clients at once; client 0 sends the checks (answered from the queue in order:
	// over, not over, ...; an even number per round), the others share the rest.
	auto round = [&](int requests) {
		std::vector<std::thread> clients;
		const int others = requests - kChecks;
		for (int id = 0; id < kClients; ++id) {
			const int n = id == 0 ? kChecks : others / (kClients - 1) + (id - 1 < others % (kClients - 1) ? 1 : 0);
			clients.emplace_back(worker, id, n);
		}
		for (auto& t : clients)
			t.join();
	};
	round(2000); // warm-up: threads, the allocator's per-thread arenas, the server's buffers
	const long before = ResidentKiB();
	total = 0; // the counts below are the measured round's; `wrong` keeps the warm-up's too
	correct = 0;
	round(10000);
	const long after = ResidentKiB();

	harness.shutdown();

	EXPECT_EQ(total.load(), 10000);
	EXPECT_EQ(wrong.load(), 0);
	EXPECT_EQ(correct.load(), total.load());
#if defined(__SANITIZE_ADDRESS__)
	// AddressSanitizer's quarantine holds freed memory on purpose: resident size says nothing
	// there, and LeakSanitizer checks for leaks at exit instead.
	(void)before, (void)after;
#else
	EXPECT_LT(after - before, 5 * 1024) << "resident memory grew by " << (after - before) << " KiB";
#endif
}
