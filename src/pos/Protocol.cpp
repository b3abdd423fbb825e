// SPDX-License-Identifier: Apache-2.0
// The v1 codec: a strict parser of request lines and the encoders of reply lines (PROTOCOL.md).
//
// Requests are parsed with nlohmann::json's SAX interface rather than into a DOM, so that the parser
// sees every key as it comes: a duplicate key, an unknown key or any nesting stops the parse at once,
// and nothing but the handful of known fields is ever copied out of the line.

#include "pos/Pos.h"

#include <cstdint>
#include <exception>
#include <string>
#include <utility>

#include <nlohmann/json.hpp>

namespace agecheck::pos {
namespace {

using Json = nlohmann::json;

// The ranges a request may ask for; the server may narrow the timeout further (maxTimeout).
constexpr std::int64_t MinThreshold = 1;
constexpr std::int64_t MaxThreshold = 125;
constexpr std::int64_t MinTimeoutMs = 1;
constexpr std::int64_t MaxTimeoutMs = 300000;

/// True when `s` is well-formed UTF-8 (RFC 3629: no overlong forms, no surrogates, at most U+10FFFF)
/// without NUL bytes.
bool IsUtf8(std::string_view s) noexcept
{
	std::size_t i = 0;
	while (i < s.size()) {
		const auto b = static_cast<unsigned char>(s[i]);
		if (b == 0)
			return false;
		if (b < 0x80) {
			++i;
			continue;
		}
		std::size_t n = 0;
		unsigned lo = 0x80, hi = 0xbf; // allowed range of the first continuation byte
		if (b >= 0xc2 && b <= 0xdf)
			n = 1;
		else if (b >= 0xe0 && b <= 0xef) {
			n = 2;
			lo = b == 0xe0 ? 0xa0 : 0x80;
			hi = b == 0xed ? 0x9f : 0xbf;
		} else if (b >= 0xf0 && b <= 0xf4) {
			n = 3;
			lo = b == 0xf0 ? 0x90 : 0x80;
			hi = b == 0xf4 ? 0x8f : 0xbf;
		} else
			return false;
		if (s.size() - i <= n)
			return false;
		for (std::size_t k = 1; k <= n; ++k) {
			const auto c = static_cast<unsigned char>(s[i + k]);
			if (c < (k == 1 ? lo : 0x80) || c > (k == 1 ? hi : 0xbf))
				return false;
		}
		i += n + 1;
	}
	return true;
}

/// Collects one flat request object; any event that cannot be part of a v1 request returns false,
/// which ends the parse.
class RequestSax final : public nlohmann::json_sax<Json> {
public:
	enum class Key : std::uint8_t { None, V, Op, Threshold, TimeoutMs, Token };

	bool sawV = false, sawOp = false, sawThreshold = false, sawTimeout = false, sawToken = false;
	Request request;

	bool null() override { return false; }
	bool boolean(bool) override { return false; }
	bool number_integer(number_integer_t value) override { return integer(value); }
	bool number_unsigned(number_unsigned_t value) override
	{
		return value <= static_cast<number_unsigned_t>(MaxTimeoutMs) && integer(static_cast<std::int64_t>(value));
	}
	bool number_float(number_float_t, const string_t&) override { return false; }
	bool binary(binary_t&) override { return false; }

	bool string(string_t& value) override
	{
		if (_depth != 1)
			return false;
		const Key key = std::exchange(_key, Key::None);
		if (key == Key::Op) {
			if (value == "check")
				request.op = Request::Op::Check;
			else if (value == "cancel")
				request.op = Request::Op::Cancel;
			else if (value == "status")
				request.op = Request::Op::Status;
			else
				return false;
			return true;
		}
		if (key == Key::Token) {
			request.token = std::move(value);
			return true;
		}
		return false;
	}

	bool start_object(std::size_t) override { return _depth++ == 0; }
	bool end_object() override { return --_depth == 0; }
	bool start_array(std::size_t) override { return false; }
	bool end_array() override { return false; }

	bool key(string_t& name) override
	{
		bool* seen = nullptr;
		if (name == "v")
			_key = Key::V, seen = &sawV;
		else if (name == "op")
			_key = Key::Op, seen = &sawOp;
		else if (name == "threshold")
			_key = Key::Threshold, seen = &sawThreshold;
		else if (name == "timeout_ms")
			_key = Key::TimeoutMs, seen = &sawTimeout;
		else if (name == "token")
			_key = Key::Token, seen = &sawToken;
		else
			return false; // unknown key
		return !std::exchange(*seen, true); // a duplicate key is an error, not "last one wins"
	}

	bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override { return false; }

private:
	bool integer(std::int64_t value)
	{
		if (_depth != 1)
			return false;
		switch (std::exchange(_key, Key::None)) {
		case Key::V: return value == 1;
		case Key::Threshold:
			if (value < MinThreshold || value > MaxThreshold)
				return false;
			request.threshold = static_cast<int>(value);
			return true;
		case Key::TimeoutMs:
			if (value < MinTimeoutMs || value > MaxTimeoutMs)
				return false;
			request.timeoutMs = static_cast<int>(value);
			return true;
		default: return false;
		}
	}

	int _depth = 0;
	Key _key = Key::None;
};

} // namespace

std::string_view ToString(ErrorCode code) noexcept
{
	switch (code) {
	case ErrorCode::Timeout: return "timeout";
	case ErrorCode::Cancelled: return "cancelled";
	case ErrorCode::Busy: return "busy";
	case ErrorCode::BadRequest: return "bad-request";
	case ErrorCode::ThresholdNotOffered: return "threshold-not-offered";
	case ErrorCode::NotAllowed: return "not-allowed";
	}
	return "bad-request";
}

std::variant<Request, ErrorCode> ParseRequest(std::string_view line) noexcept
{
	// A UTF-8 byte order mark is valid UTF-8 that nlohmann::json would skip; v1 does not allow it.
	if (line.size() > kMaxLine || line.find('\n') != std::string_view::npos || !IsUtf8(line) || line.starts_with("\xef\xbb\xbf"))
		return ErrorCode::BadRequest;
	try {
		RequestSax sax;
		if (!Json::sax_parse(line.begin(), line.end(), &sax) || !sax.sawV || !sax.sawOp)
			return ErrorCode::BadRequest;
		if (sax.request.op == Request::Op::Check ? !sax.sawThreshold : sax.sawThreshold || sax.sawTimeout)
			return ErrorCode::BadRequest;
		return std::move(sax.request);
	} catch (...) { // std::bad_alloc while copying a key or a token
		return ErrorCode::BadRequest;
	}
}

std::string EncodeVerdict(bool over)
{
	return over ? "{\"v\":1,\"over\":true}\n" : "{\"v\":1,\"over\":false}\n";
}

std::string EncodeError(ErrorCode code)
{
	return "{\"v\":1,\"error\":\"" + std::string(ToString(code)) + "\"}\n";
}

std::string EncodeStatus(const Status& status)
{
	// camera and selftest are tokens from a fixed vocabulary; anything else (too long, or with a
	// character that would need escaping) is reported as "unknown" so that the line stays valid and short.
	const auto token = [](const std::string& s) -> std::string_view {
		if (s.empty() || s.size() > 32)
			return "unknown";
		for (char c : s)
			if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
				return "unknown";
		return s;
	};
	std::string line = "{\"v\":1,\"ready\":";
	line += status.ready ? "true" : "false";
	line += ",\"camera\":\"";
	line += token(status.camera);
	line += "\",\"selftest\":\"";
	line += token(status.selftest);
	line += "\",\"thresholds\":[";
	bool first = true;
	for (int t : status.thresholds) {
		if (t < MinThreshold || t > MaxThreshold)
			continue;
		if (line.size() + 8 > kMaxLine)
			break; // 125 distinct thresholds fit; only a list with repeats could be cut here
		if (!first)
			line += ',';
		line += std::to_string(t);
		first = false;
	}
	line += "]}\n";
	return line;
}

} // namespace agecheck::pos
