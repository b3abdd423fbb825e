// SPDX-License-Identifier: Apache-2.0
#include "secure/MemoryScan.h"

#include <algorithm>
#include <bit>
#include <cerrno>
#include <charconv>
#include <climits>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <sodium.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <unistd.h>

#include "common/Secret.h"
#include "secure/SecretBuffer.h"

namespace agecheck::secure {

namespace {

// Odd multipliers for the filter's hash; rebuildIndex() takes the first under which runs of 0x00
// and 0xff bytes (most of memory) do not hit the filter.
constexpr std::uint32_t kMultipliers[] = {0x9E3779B1u, 0x85EBCA77u, 0xC2B2AE3Du, 0x27D4EB2Fu,
                                          0x165667B1u, 0xFD7046C5u, 0xB55A4F09u, 0x2545F491u};

std::uint32_t Load32(const unsigned char* p) noexcept
{
	std::uint32_t v;
	std::memcpy(&v, p, sizeof v);
	return v;
}

bool BitSet(const std::array<std::uint64_t, 1024>& filter, std::uint32_t h) noexcept
{
	return (filter[h >> 6] >> (h & 63)) & 1;
}

/// Random bytes from libsodium, or from getrandom(2) if libsodium cannot start; false if neither.
bool FillRandom(void* p, std::size_t size) noexcept
{
	if (InitSodium()) {
		randombytes_buf(p, size);
		return true;
	}
	auto* out = static_cast<unsigned char*>(p);
	while (size > 0) {
		const ssize_t n = getrandom(out, size, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return false;
		out += n;
		size -= std::size_t(n);
	}
	return true;
}

// Decodes one code point of UTF-8 at s[i], advancing i; false on malformed input (overlong
// forms, surrogates, values over U+10FFFF, truncation).
bool NextCodePoint(std::string_view s, std::size_t& i, char32_t& cp) noexcept
{
	const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
	const unsigned char b0 = byte(i);
	std::size_t n;
	if (b0 < 0x80) {
		cp = b0;
		n = 1;
	} else if (b0 >= 0xC2 && b0 <= 0xDF) {
		cp = b0 & 0x1Fu;
		n = 2;
	} else if (b0 >= 0xE0 && b0 <= 0xEF) {
		cp = b0 & 0x0Fu;
		n = 3;
	} else if (b0 >= 0xF0 && b0 <= 0xF4) {
		cp = b0 & 0x07u;
		n = 4;
	} else {
		return false;
	}
	if (s.size() - i < n)
		return false;
	for (std::size_t k = 1; k < n; ++k) {
		const unsigned char b = byte(i + k);
		if ((b & 0xC0) != 0x80)
			return false;
		cp = (cp << 6) | (b & 0x3Fu);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)) || (cp >= 0xD800 && cp <= 0xDFFF))
		return false;
	i += n;
	return true;
}

} // namespace

// --- NeedleSet ---------------------------------------------------------------------------------

NeedleSet::NeedleSet() noexcept
{
	_keyed = FillRandom(_key.data(), _key.size()); // without a key, Add() refuses: no plain storage
	_key4 = Load32(_key.data());
	_multiplier = kMultipliers[0];
}

NeedleSet::~NeedleSet()
{
	SecureZero(_key.data(), _key.size());
	SecureZero(&_key4, sizeof _key4);
}

unsigned char* NeedleSet::reserve(std::size_t size) noexcept
{
	if (!_keyed || size < MinNeedleBytes || size > MaxNeedleBytes || _masked.size() > UINT32_MAX - size ||
	    _needles.size() >= UINT32_MAX - 1)
		return nullptr;
	try {
		_masked.resize(_masked.size() + size);
	} catch (...) {
		return nullptr;
	}
	return _masked.data() + (_masked.size() - size);
}

bool NeedleSet::commit(std::size_t size, std::string_view label) noexcept
{
	const std::size_t offset = _masked.size() - size;
	const std::size_t count = _needles.size();
	// A needle of zero bytes only (masked == key) would match every page never written.
	bool zero = true;
	for (std::size_t j = 0; j < size && zero; ++j)
		zero = _masked[offset + j] == _key[j];
	if (zero) {
		_masked.resize(offset);
		return false;
	}
	try {
		Needle n;
		n.offset = static_cast<std::uint32_t>(offset);
		n.size = static_cast<std::uint32_t>(size);
		n.prefix = Load32(_masked.data() + offset);
		n.label = std::string(label);
		_needles.push_back(std::move(n));
		rebuildIndex();
	} catch (...) {
		_needles.resize(count);
		_masked.resize(offset);
		return false;
	}
	_maxSize = std::max(_maxSize, size);
	return true;
}

void NeedleSet::rebuildIndex()
{
	// The multiplier: the first under which a run of 0x00 (then also 0xff) bytes misses the filter.
	const auto build = [&](std::uint32_t m, std::array<std::uint64_t, 1024>& filter) {
		filter.fill(0);
		for (const Needle& n : _needles) {
			const std::uint32_t h = (n.prefix * m) >> 16;
			filter[h >> 6] |= std::uint64_t{1} << (h & 63);
		}
	};
	std::array<std::uint64_t, 1024> filter{};
	std::uint32_t best = kMultipliers[0];
	int bestScore = INT_MAX;
	for (const std::uint32_t m : kMultipliers) {
		build(m, filter);
		const int score = (BitSet(filter, (_key4 * m) >> 16) ? 2 : 0) + (BitSet(filter, (~_key4 * m) >> 16) ? 1 : 0);
		if (score < bestScore) {
			best = m;
			bestScore = score;
		}
		if (score == 0)
			break;
	}
	build(best, filter);

	std::vector<std::uint32_t> order(_needles.size());
	for (std::size_t i = 0; i < order.size(); ++i)
		order[i] = static_cast<std::uint32_t>(i);
	const auto h = [&](std::uint32_t i) { return (_needles[i].prefix * best) >> 16; };
	std::stable_sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) { return h(a) < h(b); });

	std::array<std::uint32_t, 1024> rank{};
	std::uint32_t bits = 0;
	for (std::size_t w = 0; w < filter.size(); ++w) {
		rank[w] = bits;
		bits += static_cast<std::uint32_t>(std::popcount(filter[w]));
	}
	std::vector<std::uint32_t> bucket;
	bucket.reserve(bits + 1);
	for (std::size_t k = 0; k < order.size(); ++k)
		if (k == 0 || h(order[k]) != h(order[k - 1]))
			bucket.push_back(static_cast<std::uint32_t>(k));
	bucket.push_back(static_cast<std::uint32_t>(order.size()));

	// Nothing below throws.
	_multiplier = best;
	_filter = filter;
	_rank = rank;
	_bucket.swap(bucket);
	_order.swap(order);
}

bool NeedleSet::Add(std::span<const std::byte> needle, std::string_view label) noexcept
{
	unsigned char* out = reserve(needle.size());
	if (!out)
		return false;
	for (std::size_t j = 0; j < needle.size(); ++j)
		out[j] = static_cast<unsigned char>(std::to_integer<unsigned char>(needle[j]) ^ _key[j]);
	return commit(needle.size(), label);
}

bool NeedleSet::AddText(std::string_view text, std::string_view label) noexcept
{
	return Add(std::as_bytes(std::span(text.data(), text.size())), label);
}

bool NeedleSet::AddUtf16(std::string_view text, std::string_view label, Utf16Order order) noexcept
{
	std::size_t size = 0;
	char32_t cp = 0;
	for (std::size_t i = 0; i < text.size();) {
		if (!NextCodePoint(text, i, cp))
			return false;
		size += cp > 0xFFFF ? 4 : 2;
	}
	unsigned char* out = reserve(size);
	if (!out)
		return false;
	std::size_t j = 0;
	const auto put = [&](std::uint32_t unit) {
		const auto hi = static_cast<unsigned char>(unit >> 8), lo = static_cast<unsigned char>(unit & 0xFF);
		const unsigned char first = order == Utf16Order::LittleEndian ? lo : hi;
		const unsigned char second = order == Utf16Order::LittleEndian ? hi : lo;
		out[j] = static_cast<unsigned char>(first ^ _key[j]);
		out[j + 1] = static_cast<unsigned char>(second ^ _key[j + 1]);
		j += 2;
	};
	for (std::size_t i = 0; i < text.size();) {
		NextCodePoint(text, i, cp);
		if (cp > 0xFFFF) {
			put(0xD800 + ((cp - 0x10000) >> 10));
			put(0xDC00 + ((cp - 0x10000) & 0x3FF));
		} else {
			put(cp);
		}
	}
	return commit(size, label);
}

bool NeedleSet::AddRandom(std::size_t size, std::string_view label) noexcept
{
	unsigned char* out = reserve(size);
	if (!out)
		return false;
	// Random masked bytes: the plain needle (masked ^ key) exists nowhere.
	if (!FillRandom(out, size)) {
		_masked.resize(_masked.size() - size);
		return false;
	}
	return commit(size, label);
}

bool NeedleSet::Unmask(std::size_t index, std::span<std::byte> out) const noexcept
{
	if (index >= _needles.size() || out.size() != _needles[index].size)
		return false;
	const unsigned char* m = _masked.data() + _needles[index].offset;
	for (std::size_t j = 0; j < out.size(); ++j)
		out[j] = std::byte(static_cast<unsigned char>(m[j] ^ _key[j]));
	return true;
}

std::string_view NeedleSet::label(std::size_t index) const noexcept
{
	return index < _needles.size() ? std::string_view(_needles[index].label) : std::string_view();
}

std::size_t NeedleSet::needleSize(std::size_t index) const noexcept
{
	return index < _needles.size() ? _needles[index].size : 0;
}

// The single pass: at every position, the next four bytes XOR the key's first four are hashed
// into the 64K-bit filter; only a set bit leads to the needles sharing that bit, compared byte by
// byte as mem[i + j] ^ key[j] == masked[j]. No plain needle is formed, in memory or in registers
// beyond four bytes of the current window.
template <typename OnMatch>
void NeedleSet::forEachMatch(const unsigned char* data, std::size_t size, std::size_t limit, OnMatch&& onMatch) const
{
	if (_needles.empty() || size < MinNeedleBytes)
		return;
	const std::size_t end = std::min(limit, size - MinNeedleBytes + 1);
	const std::uint32_t key4 = _key4, m = _multiplier;
	const std::uint64_t* filter = _filter.data();
	for (std::size_t i = 0; i < end; ++i) {
		const std::uint32_t v = Load32(data + i) ^ key4;
		const std::uint32_t h = (v * m) >> 16;
		const std::uint64_t word = filter[h >> 6];
		if (((word >> (h & 63)) & 1) == 0) [[likely]]
			continue;
		const std::uint32_t r =
		    _rank[h >> 6] + static_cast<std::uint32_t>(std::popcount(word & ((std::uint64_t{1} << (h & 63)) - 1)));
		for (std::uint32_t k = _bucket[r]; k < _bucket[r + 1]; ++k) {
			const Needle& n = _needles[_order[k]];
			if (n.prefix != v || n.size > size - i)
				continue;
			const unsigned char* masked = _masked.data() + n.offset;
			const unsigned char* mem = data + i;
			std::size_t j = 4;
			while (j < n.size && (mem[j] ^ _key[j]) == masked[j])
				++j;
			if (j == n.size)
				onMatch(i, _order[k]);
		}
	}
}

// --- ScanProcessMemory -------------------------------------------------------------------------

std::string_view ToString(RegionKind kind) noexcept
{
	switch (kind) {
	case RegionKind::Heap:
		return "heap";
	case RegionKind::Stack:
		return "stack";
	case RegionKind::Anonymous:
		return "anonymous";
	case RegionKind::File:
		return "file";
	case RegionKind::Kernel:
		return "kernel";
	}
	return "unknown";
}

namespace {

struct Region {
	std::uintptr_t begin = 0;
	std::uintptr_t end = 0;
	std::string perms;
	std::string name;
	RegionKind kind = RegionKind::Anonymous;
	bool counted = false; ///< Rss and Swap are known (from smaps)
	std::uint64_t rssKiB = 0;
	std::uint64_t swapKiB = 0;
	bool growsDown = false; ///< VmFlags "gd": the main thread's stack, even when split

	/// Private memory with no file behind it: what is not resident or swapped is zeros.
	bool privateAnonymous() const { return perms[3] == 'p' && kind != RegionKind::File && kind != RegionKind::Kernel; }
};

void Fail(MemoryScanResult& r, ScanError e) noexcept
{
	r.error = e;
	switch (e) {
	case ScanError::None:
		r.message = {};
		break;
	case ScanError::NoSuchProcess:
		r.message = "no such process";
		break;
	case ScanError::PermissionDenied:
		r.message = "permission denied reading the process's memory (another user, not dumpable, or ptrace_scope)";
		break;
	case ScanError::Unreadable:
		r.message = "/proc/PID/smaps or /proc/PID/mem could not be read";
		break;
	case ScanError::ProcessExited:
		r.message = "the process exited during the scan; the counts cover what was read";
		break;
	case ScanError::OutOfMemory:
		r.message = "out of memory for the read buffer or the report";
		break;
	}
}

ScanError FromErrno(int e) noexcept
{
	switch (e) {
	case ENOENT:
	case ESRCH:
		return ScanError::NoSuchProcess;
	case EACCES:
	case EPERM:
		return ScanError::PermissionDenied;
	case ENOMEM:
		return ScanError::OutOfMemory;
	default:
		return ScanError::Unreadable;
	}
}

/// A descriptor closed on scope exit.
struct Fd {
	int fd = -1;
	~Fd()
	{
		if (fd >= 0)
			close(fd);
	}
};

/// The one read buffer: its own mapping, kept out of core dumps, locked if allowed, zeroed and
/// unmapped on scope exit.
struct ReadBuffer {
	unsigned char* data = nullptr;
	std::size_t size = 0;
	~ReadBuffer()
	{
		if (data) {
			SecureZero(data, size);
			munlock(data, size);
			munmap(data, size);
		}
	}
};

/// Reads a whole /proc text file; an errno value on failure, 0 on success.
int ReadText(const std::string& path, std::string& out)
{
	Fd f{open(path.c_str(), O_RDONLY | O_CLOEXEC)};
	if (f.fd < 0)
		return errno;
	for (;;) {
		const std::size_t at = out.size();
		out.resize(at + 65536);
		const ssize_t n = read(f.fd, out.data() + at, 65536);
		if (n < 0 && errno == EINTR) {
			out.resize(at);
			continue;
		}
		if (n < 0) {
			const int e = errno;
			out.resize(at);
			return e;
		}
		out.resize(at + std::size_t(n));
		if (n == 0)
			return 0;
	}
}

bool ParseHex(std::string_view s, std::uintptr_t& v) noexcept
{
	if (s.starts_with("0x"))
		s.remove_prefix(2);
	const auto r = std::from_chars(s.data(), s.data() + s.size(), v, 16);
	return r.ec == std::errc{} && r.ptr == s.data() + s.size() && !s.empty();
}

/// The next whitespace-separated token of `line`, consumed.
std::string_view Token(std::string_view& line) noexcept
{
	const std::size_t b = line.find_first_not_of(' ');
	if (b == std::string_view::npos) {
		line = {};
		return {};
	}
	line.remove_prefix(b);
	const std::size_t e = std::min(line.find(' '), line.size());
	const std::string_view t = line.substr(0, e);
	line.remove_prefix(e);
	return t;
}

/// Parses /proc/PID/smaps (or maps): "begin-end perms offset dev inode [name]" per mapping, in
/// smaps followed by "Field: value" lines, of which Rss, Swap and VmFlags are kept.
std::vector<Region> ParseMaps(std::string_view text)
{
	std::vector<Region> regions;
	while (!text.empty()) {
		const std::size_t nl = std::min(text.find('\n'), text.size());
		std::string_view line = text.substr(0, nl);
		text.remove_prefix(std::min(nl + 1, text.size()));
		if (!line.empty() && line[0] >= 'A' && line[0] <= 'Z') { // an smaps field of the last mapping
			if (regions.empty())
				continue;
			Region& last = regions.back();
			const auto kib = [&](std::string_view field, std::uint64_t& v) {
				if (!line.starts_with(field))
					return;
				std::string_view rest = line.substr(field.size());
				const std::string_view number = Token(rest);
				if (std::from_chars(number.data(), number.data() + number.size(), v).ec == std::errc{})
					last.counted = true;
			};
			kib("Rss:", last.rssKiB);
			kib("Swap:", last.swapKiB);
			if (line.starts_with("VmFlags:"))
				for (std::string_view rest = line.substr(8), flag = Token(rest); !flag.empty(); flag = Token(rest))
					last.growsDown = last.growsDown || flag == "gd";
			continue;
		}
		const std::string_view range = Token(line), perms = Token(line);
		Token(line); // offset
		Token(line); // device
		const std::string_view inode = Token(line);
		const std::size_t dash = range.find('-');
		Region r;
		if (dash == std::string_view::npos || perms.size() < 4 || inode.empty() ||
		    !ParseHex(range.substr(0, dash), r.begin) || !ParseHex(range.substr(dash + 1), r.end) || r.end <= r.begin)
			continue;
		const std::size_t n = line.find_first_not_of(' ');
		const std::string_view name = n == std::string_view::npos ? std::string_view() : line.substr(n);
		r.perms = std::string(perms.substr(0, 4));
		r.name = std::string(name);
		if (name.empty() || name.starts_with("[anon:"))
			r.kind = name.find("stack") != std::string_view::npos ? RegionKind::Stack : RegionKind::Anonymous;
		else if (name == "[heap]")
			r.kind = RegionKind::Heap;
		else if (name == "[stack]" || name.starts_with("[stack:"))
			r.kind = RegionKind::Stack;
		else if (name.starts_with("["))
			r.kind = RegionKind::Kernel;
		else
			r.kind = RegionKind::File;
		regions.push_back(std::move(r));
	}
	std::sort(regions.begin(), regions.end(), [](const Region& a, const Region& b) { return a.begin < b.begin; });
	return regions;
}

/// Stack pointers of the threads of `pid` blocked in the kernel (/proc/PID/task/TID/syscall ends
/// with "sp pc"; a running thread shows "running" and is missed), and this thread's own when
/// `pid` is this process.
std::vector<std::uintptr_t> ThreadStackPointers(pid_t pid)
{
	std::vector<std::uintptr_t> sps;
	if (pid == getpid())
		sps.push_back(reinterpret_cast<std::uintptr_t>(__builtin_frame_address(0)));
	const std::string dir = "/proc/" + std::to_string(pid) + "/task";
	DIR* d = opendir(dir.c_str());
	if (!d)
		return sps;
	while (const dirent* e = readdir(d)) {
		if (e->d_name[0] < '0' || e->d_name[0] > '9')
			continue;
		std::string text;
		if (ReadText(dir + "/" + e->d_name + "/syscall", text) != 0)
			continue;
		std::vector<std::string_view> tokens;
		std::string_view rest = std::string_view(text).substr(0, text.find('\n'));
		for (std::string_view t = Token(rest); !t.empty(); t = Token(rest))
			tokens.push_back(t);
		std::uintptr_t sp = 0;
		if (tokens.size() >= 3 && ParseHex(tokens[tokens.size() - 2], sp))
			sps.push_back(sp);
	}
	closedir(d);
	return sps;
}

} // namespace

/// Reads segments of the target's memory into the one buffer and runs the matcher over them.
/// The last maxNeedleSize()-1 bytes of a chunk are carried to the front of the next one when it
/// continues at the next address, so every start position is examined exactly once.
class MemoryScanner {
public:
	MemoryScanner(const NeedleSet& needles, const ScanOptions& options, const std::vector<Region>& regions,
	              MemoryScanResult& result, int mem, int pagemap, ReadBuffer& buffer, std::size_t chunk)
	    : _needles(needles), _options(options), _regions(regions), _r(result), _mem(mem), _pagemap(pagemap),
	      _buf(buffer.data), _chunk(chunk), _overlap(needles.empty() ? 0 : needles.maxNeedleSize() - 1)
	{
		if (_pagemap >= 0)
			_pm.resize(4096);
	}

	/// Reads [begin, end) of `region`; false when the process went away. In a private anonymous
	/// region, pages neither present nor swapped (pagemap) are zeros and are not read.
	bool read(std::uintptr_t begin, std::uintptr_t end, const Region& region, bool& anyRead)
	{
		if (_held > 0 && _heldBase + _held != begin)
			flush();
		const bool sparse = _pagemap >= 0 && region.privateAnonymous();
		std::uintptr_t pos = begin;
		while (pos < end) {
			std::size_t want = static_cast<std::size_t>(std::min<std::uintptr_t>(_chunk, end - pos));
			if (sparse) {
				std::uintptr_t to = (pos / _page + 1) * _page; // the end of the run pos's page starts
				const bool here = populated(pos / _page);
				while (to < end && (here ? to < pos + want : true) && populated(to / _page) == here)
					to += _page;
				to = std::min(to, end);
				if (!here) {
					zeros(pos, to);
					pos = to;
					continue;
				}
				want = std::min<std::size_t>(want, to - pos);
			}
			const ssize_t n = pread(_mem, _buf + _held, want, static_cast<off_t>(pos));
			if (n < 0 && errno == EINTR)
				continue;
			if (n == 0)
				return false; // the address space is gone
			if (n < 0) {
				// The page at pos cannot be read (EIO: a PFNMAP/IO mapping, a file page past its end):
				// skip to the next page, and no needle continues across the gap.
				flush();
				const std::uintptr_t next = std::min(end, (pos / _page + 1) * _page);
				_r.bytesUnreadable += next - pos;
				pos = next;
				continue;
			}
			const auto got = static_cast<std::size_t>(n);
			anyRead = true;
			count(region.kind, got);
			append(pos, got);
			pos += got;
		}
		return true;
	}

	/// Examines every position still held: the data ends here.
	void flush()
	{
		examine(_held);
		_held = 0;
	}

	/// Runs the matcher over a whole buffer (ScanBuffer).
	template <typename OnMatch>
	static void Match(const NeedleSet& needles, std::span<const std::byte> bytes, OnMatch&& onMatch)
	{
		const auto* data = reinterpret_cast<const unsigned char*>(bytes.data());
		needles.forEachMatch(data, bytes.size(), bytes.size(), onMatch);
	}

private:
	/// Takes `n` bytes just placed at _buf + _held, for address `at`: examines the positions no
	/// needle can run past, and carries the rest to the front of the buffer.
	void append(std::uintptr_t at, std::size_t n)
	{
		if (_held == 0)
			_heldBase = at;
		_held += n;
		const std::size_t keep = std::min(_overlap, _held);
		examine(_held - keep);
		std::memmove(_buf, _buf + (_held - keep), keep);
		_heldBase += _held - keep;
		_held = keep;
	}

	/// Unpopulated pages [a, b): zeros. Only the zeros a needle could reach into from either side
	/// are examined; no needle lies within them (all-zero needles are refused).
	void zeros(std::uintptr_t a, std::uintptr_t b)
	{
		_r.bytesUnpopulated += b - a;
		if (b - a <= _overlap) {
			std::memset(_buf + _held, 0, b - a);
			append(a, b - a);
			return;
		}
		std::memset(_buf + _held, 0, _overlap);
		append(a, _overlap);
		flush();
		std::memset(_buf, 0, _overlap);
		_heldBase = b - _overlap;
		_held = _overlap;
	}

	/// Whether page number `page` is present or swapped; true when pagemap cannot tell.
	bool populated(std::uintptr_t page)
	{
		if (page < _pmFirst || page - _pmFirst >= _pmCount) {
			_pmCount = 0;
			const ssize_t n =
			    pread(_pagemap, _pm.data(), _pm.size() * sizeof _pm[0], static_cast<off_t>(page * sizeof _pm[0]));
			if (n < static_cast<ssize_t>(sizeof _pm[0]))
				return true;
			_pmFirst = page;
			_pmCount = static_cast<std::size_t>(n) / sizeof _pm[0];
		}
		return (_pm[page - _pmFirst] >> 62) != 0; // bit 63 present, bit 62 swapped
	}

	void examine(std::size_t limit)
	{
		_needles.forEachMatch(_buf, _held, limit, [&](std::size_t at, std::uint32_t needle) { record(at, needle); });
	}

	void count(RegionKind kind, std::size_t n) noexcept
	{
		_r.bytesRead += n;
		switch (kind) {
		case RegionKind::Heap:
			_r.bytesByKind.heap += n;
			break;
		case RegionKind::Stack:
			_r.bytesByKind.stack += n;
			break;
		case RegionKind::Anonymous:
			_r.bytesByKind.anonymous += n;
			break;
		case RegionKind::File:
			_r.bytesByKind.file += n;
			break;
		case RegionKind::Kernel:
			_r.bytesByKind.kernel += n;
			break;
		}
	}

	void record(std::size_t at, std::uint32_t needle)
	{
		++_r.hitCount;
		if (_r.hits.size() >= _options.maxHits)
			return;
		ScanHit h;
		h.needle = needle;
		h.label = std::string(_needles.label(needle));
		h.address = _heldBase + at;
		// The mapping holding the address (a carried needle may start in the previous one).
		auto it = std::upper_bound(_regions.begin(), _regions.end(), h.address,
		                           [](std::uintptr_t a, const Region& r) { return a < r.begin; });
		if (it != _regions.begin()) {
			const Region& r = *--it;
			h.regionBegin = r.begin;
			h.regionEnd = r.end;
			h.perms = r.perms;
			h.region = r.name;
			h.kind = r.kind;
		}
		_r.hits.push_back(std::move(h));
	}

	const NeedleSet& _needles;
	const ScanOptions& _options;
	const std::vector<Region>& _regions;
	MemoryScanResult& _r;
	int _mem;
	int _pagemap;
	unsigned char* _buf;
	std::size_t _chunk;
	std::size_t _overlap;
	std::uintptr_t _page = static_cast<std::uintptr_t>(sysconf(_SC_PAGESIZE));
	std::size_t _held = 0;          ///< bytes at the front of _buf not yet examined as start positions
	std::uintptr_t _heldBase = 0;   ///< the address of _buf[0]
	std::vector<std::uint64_t> _pm; ///< a window of pagemap entries: presence bits, no content
	std::uintptr_t _pmFirst = 0;    ///< the page number of _pm[0]
	std::size_t _pmCount = 0;       ///< valid entries in _pm
};

namespace {

void Scan(pid_t pid, const NeedleSet& needles, const ScanOptions& options, MemoryScanResult& r, ReadBuffer& buffer)
{
	if (pid <= 0)
		return Fail(r, ScanError::NoSuchProcess);
	// One buffer for every read: a chunk plus the carried overlap, in its own mapping, made before
	// the maps are read so that a scan of this process lists it (and excludes it).
	const std::size_t page = static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
	const std::size_t chunk = std::clamp<std::size_t>(options.chunkBytes, 4096, std::size_t{1} << 30);
	buffer.size = (chunk + NeedleSet::MaxNeedleBytes + page - 1) / page * page;
	void* p = mmap(nullptr, buffer.size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		buffer.size = 0;
		return Fail(r, ScanError::OutOfMemory);
	}
	buffer.data = static_cast<unsigned char*>(p);
	madvise(p, buffer.size, MADV_DONTDUMP);
	mlock(p, buffer.size); // best effort: what it holds may be a copy of a found needle

	const std::string proc = "/proc/" + std::to_string(pid);
	std::string maps; // smaps: maps with each mapping's resident and swapped sizes
	if (int e = ReadText(proc + "/smaps", maps)) {
		if (e == ENOENT && access((proc + "/maps").c_str(), F_OK) == 0) // a kernel without smaps
			e = ReadText(proc + "/maps", maps);
		if (e)
			return Fail(r, FromErrno(e));
	}
	std::vector<Region> regions = ParseMaps(maps);
	Fd mem{open((proc + "/mem").c_str(), O_RDONLY | O_CLOEXEC)};
	if (mem.fd < 0)
		return Fail(r, FromErrno(errno));
	Fd pagemap{open((proc + "/pagemap").c_str(), O_RDONLY | O_CLOEXEC)}; // optional: saves reading zeros

	// Anonymous mappings holding a thread's stack pointer are that thread's stack; so are the
	// grows-down ones: mlock or madvise on a frame splits the main stack, and only the part at its
	// top keeps the name "[stack]".
	const std::vector<std::uintptr_t> sps = ThreadStackPointers(pid);
	for (Region& region : regions)
		if (region.kind == RegionKind::Anonymous &&
		    (region.growsDown || std::any_of(sps.begin(), sps.end(),
		                                     [&](std::uintptr_t sp) { return sp >= region.begin && sp < region.end; })))
			region.kind = RegionKind::Stack;

	std::vector<AddressRange> exclude;
	for (const AddressRange& x : options.exclude)
		if (x.begin < x.end)
			exclude.push_back(x);
	if (pid == getpid())
		exclude.push_back({reinterpret_cast<std::uintptr_t>(p), reinterpret_cast<std::uintptr_t>(p) + buffer.size});
	std::sort(exclude.begin(), exclude.end(),
	          [](const AddressRange& a, const AddressRange& b) { return a.begin < b.begin; });

	r.hits.reserve(std::min<std::size_t>(options.maxHits, 1024));
	MemoryScanner scanner(needles, options, regions, r, mem.fd, pagemap.fd, buffer, chunk);
	for (const Region& region : regions) {
		const std::uint64_t size = region.end - region.begin;
		if (region.perms[0] != 'r' && !options.scanInaccessible) {
			r.bytesUnreadable += size;
			++r.regionsSkipped;
			continue;
		}
		if ((options.skipReadOnlyFileMappings && region.perms[1] != 'w' &&
		     (region.kind == RegionKind::File || region.kind == RegionKind::Kernel)) ||
		    size > options.maxRegionBytes) {
			r.bytesSkipped += size;
			++r.regionsSkipped;
			continue;
		}
		if (region.counted && region.rssKiB == 0 && region.swapKiB == 0 && region.privateAnonymous()) {
			r.bytesUnpopulated += size; // never written: zeros, or reserved address space
			++r.regionsSkipped;
			continue;
		}
		bool anyRead = false;
		std::uintptr_t at = region.begin;
		for (const AddressRange& x : exclude) {
			if (x.end <= at || x.begin >= region.end)
				continue;
			if (x.begin > at && !scanner.read(at, x.begin, region, anyRead)) {
				scanner.flush();
				return Fail(r, ScanError::ProcessExited);
			}
			const std::uintptr_t to = std::min(x.end, region.end);
			r.bytesExcluded += to - std::max(x.begin, at);
			at = std::max(at, to);
		}
		if (at < region.end && !scanner.read(at, region.end, region, anyRead)) {
			scanner.flush();
			return Fail(r, ScanError::ProcessExited);
		}
		++(anyRead ? r.regionsScanned : r.regionsSkipped);
	}
	scanner.flush();
}

} // namespace

std::vector<BufferHit> ScanBuffer(std::span<const std::byte> bytes, const NeedleSet& needles,
                                  std::size_t maxHits) noexcept
{
	std::vector<BufferHit> hits;
	try {
		MemoryScanner::Match(needles, bytes, [&](std::size_t at, std::uint32_t needle) {
			if (hits.size() < maxHits)
				hits.push_back({needle, at});
		});
	} catch (...) {
	}
	return hits;
}

MemoryScanResult ScanProcessMemory(pid_t pid, const NeedleSet& needles, const ScanOptions& options) noexcept
{
	MemoryScanResult r;
	try {
		ReadBuffer buffer; // zeroed and unmapped when Scan() returns or throws
		Scan(pid, needles, options, r, buffer);
	} catch (...) {
		Fail(r, ScanError::OutOfMemory);
	}
	return r;
}

} // namespace agecheck::secure
