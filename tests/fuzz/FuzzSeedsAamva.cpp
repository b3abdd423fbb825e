// SPDX-License-Identifier: Apache-2.0
// Seed writer for fuzz_aamva: writes the `input` of every row of the public AAMVA corpus
// (payloads.jsonl) to a file of its own, and the same payload with its separators stripped (as a
// keyboard wedge delivers it), so the fuzzer starts from real licences in both shapes.
// Usage: fuzz_seeds_aamva PAYLOADS_JSONL OUTPUT_DIR

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

namespace {

bool Write(const std::filesystem::path& path, const std::string& bytes)
{
	std::ofstream out(path, std::ios::binary | std::ios::trunc);
	out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
	return static_cast<bool>(out);
}

} // namespace

int main(int argc, char** argv)
{
	if (argc != 3) {
		std::fprintf(stderr, "usage: %s PAYLOADS_JSONL OUTPUT_DIR\n", argv[0]);
		return 2;
	}
	std::ifstream in(argv[1]);
	if (!in) {
		std::fprintf(stderr, "fuzz_seeds_aamva: cannot open %s\n", argv[1]);
		return 1;
	}
	const std::filesystem::path dir = argv[2];
	std::filesystem::create_directories(dir);
	int rows = 0;
	try {
		for (std::string line; std::getline(in, line);) {
			if (line.empty())
				continue;
			std::string input = nlohmann::json::parse(line).at("input").get<std::string>();
			const std::string name = "row" + std::to_string(rows++);
			bool ok = Write(dir / name, input);
			std::erase_if(input, [](char c) { return c == '\n' || c == '\r' || c == '\x1e'; });
			ok = Write(dir / (name + "-wedge"), input) && ok;
			if (!ok) {
				std::fprintf(stderr, "fuzz_seeds_aamva: cannot write to %s\n", argv[2]);
				return 1;
			}
		}
	} catch (const std::exception& e) {
		std::fprintf(stderr, "fuzz_seeds_aamva: bad corpus line %d: %s\n", rows + 1, e.what());
		return 1;
	}
	if (rows == 0) {
		std::fprintf(stderr, "fuzz_seeds_aamva: no rows in %s\n", argv[1]);
		return 1;
	}
	std::printf("fuzz_seeds_aamva: %d rows, %d seeds\n", rows, 2 * rows);
	return 0;
}
