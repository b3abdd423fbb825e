// SPDX-License-Identifier: Apache-2.0
// Unit tests of the v1 codec (PROTOCOL.md): every valid request form, every malformed one, and the
// exact bytes of every reply.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "pos/Pos.h"

namespace agecheck::pos {
namespace {

using namespace std::string_literals;

Request Ok(std::string_view line)
{
	auto r = ParseRequest(line);
	if (!std::holds_alternative<Request>(r)) {
		ADD_FAILURE() << "rejected: " << line;
		return {};
	}
	return std::get<Request>(r);
}

bool Bad(std::string_view line)
{
	auto r = ParseRequest(line);
	return std::holds_alternative<ErrorCode>(r) && std::get<ErrorCode>(r) == ErrorCode::BadRequest;
}

TEST(PosProtocol, Check)
{
	const Request r = Ok(R"({"v":1,"op":"check","threshold":18})");
	EXPECT_EQ(r.op, Request::Op::Check);
	EXPECT_EQ(r.threshold, 18);
	EXPECT_FALSE(r.timeoutMs);
	EXPECT_FALSE(r.token);
}

TEST(PosProtocol, CheckWithTimeoutAndToken)
{
	const Request r = Ok(R"({"v":1,"op":"check","threshold":21,"timeout_ms":5000,"token":"s3cr3t"})");
	EXPECT_EQ(r.op, Request::Op::Check);
	EXPECT_EQ(r.threshold, 21);
	EXPECT_EQ(r.timeoutMs, 5000);
	EXPECT_EQ(r.token, "s3cr3t");
}

TEST(PosProtocol, CancelAndStatus)
{
	EXPECT_EQ(Ok(R"({"v":1,"op":"cancel"})").op, Request::Op::Cancel);
	EXPECT_EQ(Ok(R"({"v":1,"op":"status"})").op, Request::Op::Status);
	EXPECT_EQ(Ok(R"({"v":1,"op":"status","token":"t"})").token, "t");
	EXPECT_EQ(Ok(R"({"v":1,"op":"cancel","token":"t"})").op, Request::Op::Cancel);
}

TEST(PosProtocol, KeyOrderWhitespaceAndEscapes)
{
	const Request r = Ok(" {\t\"threshold\" : 18 , \"op\":\"\\u0063heck\", \"v\" : 1 }\r"); // CRLF framing leaves a CR
	EXPECT_EQ(r.op, Request::Op::Check);
	EXPECT_EQ(r.threshold, 18);
	EXPECT_EQ(Ok(R"({"v":1,"op":"status","token":"\u00e9\u20ac"})").token, "\xc3\xa9\xe2\x82\xac");
	EXPECT_EQ(Ok("{\"v\":1,\"op\":\"status\",\"token\":\"\xc3\xa9\"}").token, "\xc3\xa9"); // raw UTF-8
}

TEST(PosProtocol, Boundaries)
{
	EXPECT_EQ(Ok(R"({"v":1,"op":"check","threshold":1})").threshold, 1);
	EXPECT_EQ(Ok(R"({"v":1,"op":"check","threshold":125})").threshold, 125);
	EXPECT_EQ(Ok(R"({"v":1,"op":"check","threshold":18,"timeout_ms":1})").timeoutMs, 1);
	EXPECT_EQ(Ok(R"({"v":1,"op":"check","threshold":18,"timeout_ms":300000})").timeoutMs, 300000);
	for (const char* bad : {R"({"v":1,"op":"check","threshold":0})", R"({"v":1,"op":"check","threshold":126})",
							R"({"v":1,"op":"check","threshold":18,"timeout_ms":0})",
							R"({"v":1,"op":"check","threshold":18,"timeout_ms":300001})"})
		EXPECT_TRUE(Bad(bad)) << bad;
}

TEST(PosProtocol, LineLength)
{
	// Exactly kMaxLine bytes is a line; one more is not.
	const std::string head = R"({"v":1,"op":"status","token":")", tail = R"("})";
	std::string line = head + std::string(kMaxLine - head.size() - tail.size(), 'a') + tail;
	ASSERT_EQ(line.size(), kMaxLine);
	EXPECT_EQ(Ok(line).op, Request::Op::Status);
	line.insert(head.size(), "a");
	EXPECT_TRUE(Bad(line));
	EXPECT_TRUE(Bad(R"({"v":1,"op":"status"})" + std::string(kMaxLine, ' ')));
	EXPECT_TRUE(Bad(std::string(1 << 20, '{')));
}

TEST(PosProtocol, Malformed)
{
	const std::vector<std::string> lines = {
		// not an object
		"", " ", "\r", "null", "true", "1", "\"check\"", "[]", R"([{"v":1,"op":"status"}])", "{}",
		// not JSON
		"{", "}", R"({"v":1,"op":"status")", R"({"v":1,"op":"status"}})", R"({"v":1,"op":"status",})",
		R"({'v':1,'op':'status'})", R"({v:1,op:"status"})", R"({"v":1,"op":"status"} x)",
		R"({"v":1,"op":"status"}{"v":1,"op":"status"})", R"({"v":1,"op":"status"}/**/)", R"(/**/{"v":1,"op":"status"})",
		R"({"v":1,"op":"status"} // comment)", R"({"v":01,"op":"status"})", R"({"v":+1,"op":"status"})",
		R"({"v":0x1,"op":"status"})", R"({"v":1,"op":"stat\us"})", "{\"v\":1,\"op\":\"sta\ttus\"}",
		"{\"v\":1,\n\"op\":\"status\"}", // a line feed inside a line
		// v
		R"({"op":"status"})", R"({"v":2,"op":"status"})", R"({"v":0,"op":"status"})", R"({"v":-1,"op":"status"})",
		R"({"v":"1","op":"status"})", R"({"v":1.0,"op":"status"})", R"({"v":1e0,"op":"status"})",
		R"({"v":true,"op":"status"})", R"({"v":null,"op":"status"})", R"({"v":[1],"op":"status"})",
		R"({"v":18446744073709551617,"op":"status"})",
		// op
		R"({"v":1})", R"({"v":1,"op":"CHECK","threshold":18})", R"({"v":1,"op":"verify","threshold":18})",
		R"({"v":1,"op":"","threshold":18})", R"({"v":1,"op":1})", R"({"v":1,"op":null})", R"({"v":1,"op":["status"]})",
		R"({"v":1,"op":{"name":"status"}})", R"({"v":1,"op":"status "})",
		// threshold
		R"({"v":1,"op":"check"})", R"({"v":1,"op":"check","threshold":"18"})", R"({"v":1,"op":"check","threshold":18.0})",
		R"({"v":1,"op":"check","threshold":18.5})", R"({"v":1,"op":"check","threshold":1.8e1})",
		R"({"v":1,"op":"check","threshold":-18})", R"({"v":1,"op":"check","threshold":-0})",
		R"({"v":1,"op":"check","threshold":2147483666})", R"({"v":1,"op":"check","threshold":-2147483630})",
		R"({"v":1,"op":"check","threshold":99999999999999999999999999})", R"({"v":1,"op":"check","threshold":null})",
		R"({"v":1,"op":"check","threshold":true})", R"({"v":1,"op":"check","threshold":[18]})",
		R"({"v":1,"op":"check","threshold":{"age":18}})", R"({"v":1,"op":"status","threshold":18})",
		R"({"v":1,"op":"cancel","threshold":18})",
		// timeout_ms
		R"({"v":1,"op":"check","threshold":18,"timeout_ms":-1})", R"({"v":1,"op":"check","threshold":18,"timeout_ms":"100"})",
		R"({"v":1,"op":"check","threshold":18,"timeout_ms":1.5})", R"({"v":1,"op":"check","threshold":18,"timeout_ms":1e3})",
		R"({"v":1,"op":"check","threshold":18,"timeout_ms":4294967396})",
		R"({"v":1,"op":"check","threshold":18,"timeout_ms":-9223372036854775808})",
		R"({"v":1,"op":"check","threshold":18,"timeout_ms":null})", R"({"v":1,"op":"status","timeout_ms":100})",
		// token
		R"({"v":1,"op":"status","token":null})", R"({"v":1,"op":"status","token":123})",
		R"({"v":1,"op":"status","token":["t"]})", R"({"v":1,"op":"status","token":{"t":1}})",
		// duplicate and unknown keys, nested junk
		R"({"v":1,"v":1,"op":"status"})", R"({"v":1,"op":"status","op":"status"})",
		R"({"v":1,"op":"check","threshold":18,"threshold":18})", R"({"v":1,"op":"check","threshold":18,"threshold":21})",
		R"({"v":1,"op":"status","token":"a","token":"a"})", R"({"v":1,"op":"status","extra":1})",
		R"({"v":1,"op":"status","V":1})", R"({"v":1,"op":"status","":1})", R"({"v":1,"op":"status","x":{}})",
		R"({"v":1,"op":"status","x":[[[[[]]]]]})", R"({"v":1,"op":"status","x":null})", "{\"v\":1,\"op\":\"status\",\"v\\u0000\":1}",
		// bytes that are not UTF-8, or not allowed
		"{\"v\":1,\"op\":\"status\",\"token\":\"\xff\"}", "{\"v\":1,\"op\":\"status\",\"token\":\"\xc0\xaf\"}",
		"{\"v\":1,\"op\":\"status\",\"token\":\"\xed\xa0\x80\"}", "{\"v\":1,\"op\":\"status\",\"token\":\"\xe2\x82\"}",
		"{\"v\":1,\"op\":\"status\",\"token\":\"\xf4\x90\x80\x80\"}", "{\"v\":1,\"op\":\"status\",\"token\":\"\x80\"}",
		"{\"v\":1,\"op\":\"status\"}\xff", "\xef\xbb\xbf{\"v\":1,\"op\":\"status\"}", "{\"v\":1,\"op\":\"status\"}\0"s,
		"{\"v\":1,\"op\":\"sta\0tus\"}"s, R"({"v":1,"op":"status","token":"\ud800"})", R"({"v":1,"op":"status","token":"\x41"})",
	};
	for (const auto& line : lines)
		EXPECT_TRUE(Bad(line)) << "accepted: " << line;
}

TEST(PosProtocol, ErrorTokens)
{
	EXPECT_EQ(ToString(ErrorCode::Timeout), "timeout");
	EXPECT_EQ(ToString(ErrorCode::Cancelled), "cancelled");
	EXPECT_EQ(ToString(ErrorCode::Busy), "busy");
	EXPECT_EQ(ToString(ErrorCode::BadRequest), "bad-request");
	EXPECT_EQ(ToString(ErrorCode::ThresholdNotOffered), "threshold-not-offered");
	EXPECT_EQ(ToString(ErrorCode::NotAllowed), "not-allowed");
}

TEST(PosProtocol, Replies)
{
	EXPECT_EQ(EncodeVerdict(true), "{\"v\":1,\"over\":true}\n");
	EXPECT_EQ(EncodeVerdict(false), "{\"v\":1,\"over\":false}\n");
	EXPECT_EQ(EncodeError(ErrorCode::Busy), "{\"v\":1,\"error\":\"busy\"}\n");
	EXPECT_EQ(EncodeError(ErrorCode::ThresholdNotOffered), "{\"v\":1,\"error\":\"threshold-not-offered\"}\n");
	EXPECT_EQ(EncodeStatus({true, "ok", "none", {18, 21}}),
			  "{\"v\":1,\"ready\":true,\"camera\":\"ok\",\"selftest\":\"none\",\"thresholds\":[18,21]}\n");
	EXPECT_EQ(EncodeStatus({}), "{\"v\":1,\"ready\":false,\"camera\":\"none\",\"selftest\":\"none\",\"thresholds\":[]}\n");
}

TEST(PosProtocol, StatusStaysValidAndShort)
{
	// Strings outside the token vocabulary cannot break the line; thresholds outside 1..125 are left out.
	Status s{false, "a\"b\n", std::string(100, 'x'), {0, 18, 126, -5}};
	EXPECT_EQ(EncodeStatus(s),
			  "{\"v\":1,\"ready\":false,\"camera\":\"unknown\",\"selftest\":\"unknown\",\"thresholds\":[18]}\n");
	s.thresholds.clear();
	for (int i = 0; i < 1000; ++i)
		s.thresholds.push_back(100 + i % 26);
	EXPECT_LE(EncodeStatus(s).size(), kMaxLine + 1);
}

TEST(PosProtocol, EveryReplyIsOneV1JsonLine)
{
	std::vector<std::string> replies = {EncodeVerdict(true), EncodeVerdict(false), EncodeStatus({true, "demo", "pass", {18, 21}})};
	for (auto code : {ErrorCode::Timeout, ErrorCode::Cancelled, ErrorCode::Busy, ErrorCode::BadRequest,
					  ErrorCode::ThresholdNotOffered, ErrorCode::NotAllowed})
		replies.push_back(EncodeError(code));
	for (const auto& r : replies) {
		ASSERT_FALSE(r.empty());
		EXPECT_EQ(r.back(), '\n');
		EXPECT_EQ(r.find('\n'), r.size() - 1);
		EXPECT_LE(r.size(), kMaxLine + 1);
		const auto j = nlohmann::json::parse(r);
		EXPECT_EQ(j.at("v"), 1) << r;
	}
}

} // namespace
} // namespace agecheck::pos
