// SPDX-License-Identifier: Apache-2.0
// libFuzzer target for pos::ParseRequest. Whatever the bytes: no crash, no exception, and a request
// it accepts is one that PROTOCOL.md allows: a check has a threshold in 1..125 and at most a timeout
// in 1..300000 ms, cancel and status carry neither, the line is at most kMaxLine bytes, and an
// independent DOM parse of the same line agrees that it is a JSON object with "v":1 and that "op".
// Anything else abort()s: a libFuzzer finding.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include <nlohmann/json.hpp>

#include "pos/Pos.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
	using namespace agecheck::pos;
	const std::string_view line(reinterpret_cast<const char*>(data), size);
	const auto parsed = ParseRequest(line); // noexcept: a throw would terminate, i.e. abort
	const auto* r = std::get_if<Request>(&parsed);
	if (!r) {
		if (std::get<ErrorCode>(parsed) != ErrorCode::BadRequest)
			std::abort();
		return 0;
	}
	if (size > kMaxLine)
		std::abort();
	if (r->op == Request::Op::Check) {
		if (r->threshold < 1 || r->threshold > 125 || (r->timeoutMs && (*r->timeoutMs < 1 || *r->timeoutMs > 300000)))
			std::abort();
	} else if (r->threshold != 0 || r->timeoutMs) {
		std::abort();
	}
	try {
		const auto j = nlohmann::json::parse(line);
		const char* op = r->op == Request::Op::Check ? "check" : r->op == Request::Op::Cancel ? "cancel" : "status";
		if (!j.is_object() || j.at("v") != 1 || j.at("op") != op)
			std::abort();
		if (r->op == Request::Op::Check && j.at("threshold") != r->threshold)
			std::abort();
		if (r->token && j.at("token") != *r->token)
			std::abort();
	} catch (const nlohmann::json::exception&) {
		std::abort(); // accepted by ParseRequest, rejected by the DOM parser
	}
	return 0;
}
