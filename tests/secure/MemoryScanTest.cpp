// SPDX-License-Identifier: Apache-2.0
// Every needle here is random: nothing stale in memory can match by accident, and a test that
// expects exactly one hit also proves that neither the needle set nor the scanner left a copy.
#include <array>
#include <atomic>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <gtest/gtest.h>
#include <memory>
#include <string>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

#include "common/Secret.h"
#include "secure/MemoryScan.h"
#include "secure/SecretBuffer.h"

using namespace agecheck::secure;

namespace {

#if defined(__SANITIZE_ADDRESS__)
constexpr bool kAsan = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool kAsan = true;
#else
constexpr bool kAsan = false;
#endif
#else
constexpr bool kAsan = false;
#endif
// malloc's small blocks live in the brk heap, except under ASan, whose allocator maps its own.
constexpr RegionKind kMallocKind = kAsan ? RegionKind::Anonymous : RegionKind::Heap;

const std::size_t kPage = static_cast<std::size_t>(sysconf(_SC_PAGESIZE));

std::uintptr_t Address(const void* p)
{
	return reinterpret_cast<std::uintptr_t>(p);
}

/// Fills `p` with random bytes from the kernel (written in place: no other copy).
void Random(void* p, std::size_t size)
{
	ASSERT_EQ(getrandom(p, size, 0), static_cast<ssize_t>(size));
}

/// Fills `where` with random bytes and adds them as a needle; `where` is then the only plain copy.
std::size_t Plant(NeedleSet& set, std::span<std::byte> where, std::string_view label)
{
	Random(where.data(), where.size());
	EXPECT_TRUE(set.Add(where, label));
	return set.size() - 1;
}

MemoryScanResult ScanSelf(const NeedleSet& set, const ScanOptions& options = {})
{
	MemoryScanResult r = ScanProcessMemory(getpid(), set, options);
	EXPECT_TRUE(r.ok()) << r.message;
	EXPECT_GT(r.bytesRead, 0u);
	return r;
}

/// Anonymous pages of their own, wiped and unmapped at the end.
struct Pages {
	explicit Pages(std::size_t count) : size(count * kPage)
	{
		void* p = mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		EXPECT_NE(p, MAP_FAILED);
		data = static_cast<std::byte*>(p);
	}
	~Pages()
	{
		mprotect(data, size, PROT_READ | PROT_WRITE);
		agecheck::SecureZero(data, size);
		munmap(data, size);
	}
	std::span<std::byte> at(std::size_t offset, std::size_t n) { return {data + offset, n}; }
	std::byte* data;
	std::size_t size;
};

/// Waits until thread `tid` of this process sleeps in the kernel (so its stack pointer is known).
void WaitUntilAsleep(pid_t tid)
{
	for (int i = 0; i < 2000; ++i) {
		std::ifstream stat("/proc/self/task/" + std::to_string(tid) + "/stat");
		std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
		const auto paren = text.rfind(')');
		if (paren != std::string::npos && paren + 2 < text.size() && text[paren + 2] == 'S')
			return;
		usleep(1000);
	}
}

} // namespace

TEST(NeedleSet, AcceptsSixTo256Bytes)
{
	NeedleSet set;
	EXPECT_FALSE(set.AddRandom(5, "short"));
	EXPECT_TRUE(set.AddRandom(6, "six"));
	EXPECT_TRUE(set.AddRandom(256, "max"));
	EXPECT_FALSE(set.AddRandom(257, "long"));
	EXPECT_FALSE(set.AddText("12345", "short"));
	EXPECT_FALSE(set.AddText(std::string_view("\0\0\0\0\0\0\0\0", 8), "zeros match every page never written"));
	ASSERT_EQ(set.size(), 2u);
	EXPECT_EQ(set.label(0), "six");
	EXPECT_EQ(set.needleSize(1), 256u);
	EXPECT_EQ(set.maxNeedleSize(), 256u);
	EXPECT_EQ(set.label(2), "");
	EXPECT_EQ(set.needleSize(2), 0u);
}

TEST(NeedleSet, UnmaskGivesBackWhatWasAdded)
{
	NeedleSet set;
	std::array<std::byte, 40> needle, back;
	Plant(set, needle, "n");
	EXPECT_FALSE(set.Unmask(0, std::span(back).first(39)));
	ASSERT_TRUE(set.Unmask(0, back));
	EXPECT_TRUE(std::memcmp(needle.data(), back.data(), needle.size()) == 0);
	agecheck::SecureZero(needle.data(), needle.size());
	agecheck::SecureZero(back.data(), back.size());
}

TEST(NeedleSet, RejectsInvalidUtf8)
{
	NeedleSet set;
	EXPECT_FALSE(set.AddUtf16("abcdef\xC0\x80", "overlong"));
	EXPECT_FALSE(set.AddUtf16("abcdef\xED\xA0\x80", "surrogate"));
	EXPECT_FALSE(set.AddUtf16("abcdef\xE2\x82", "truncated"));
	EXPECT_FALSE(set.AddUtf16("abcdef\xF4\x90\x80\x80", "over U+10FFFF"));
	EXPECT_FALSE(set.AddUtf16("ab", "short"));
	EXPECT_TRUE(set.AddUtf16("abc", "six bytes"));
	EXPECT_EQ(set.size(), 1u);
}

TEST(MemoryScan, FindsANeedleInTheHeap)
{
	NeedleSet set;
	auto heap = std::make_unique<std::byte[]>(100);
	Plant(set, {heap.get() + 37, 32}, "heap");
	const MemoryScanResult r = ScanSelf(set);
	ASSERT_EQ(r.hitCount, 1u);
	ASSERT_EQ(r.hits.size(), 1u);
	const ScanHit& h = r.hits[0];
	EXPECT_EQ(h.label, "heap");
	EXPECT_EQ(h.needle, 0u);
	EXPECT_EQ(h.address, Address(heap.get() + 37));
	EXPECT_EQ(h.kind, kMallocKind) << ToString(h.kind);
	if (!kAsan) {
		EXPECT_EQ(h.region, "[heap]");
	}
	EXPECT_LE(h.regionBegin, h.address);
	EXPECT_GT(h.regionEnd, h.address);
	EXPECT_EQ(h.perms.substr(0, 2), "rw");
	agecheck::SecureZero(heap.get(), 100);
}

TEST(MemoryScan, FindsANeedleOnTheStack)
{
	NeedleSet set;
	std::array<std::byte, 48> onStack;
	Plant(set, onStack, "stack");
	const MemoryScanResult r = ScanSelf(set);
	ASSERT_EQ(r.hitCount, 1u);
	EXPECT_EQ(r.hits[0].address, Address(onStack.data()));
	EXPECT_EQ(r.hits[0].kind, RegionKind::Stack) << ToString(r.hits[0].kind);
	// "[stack]", or unnamed when locking a frame (LockPages) split the main stack's mapping
	EXPECT_TRUE(r.hits[0].region == "[stack]" || r.hits[0].region.empty()) << r.hits[0].region;
	agecheck::SecureZero(onStack.data(), onStack.size());
}

TEST(MemoryScan, FindsANeedleOnAnotherThreadsStack)
{
	NeedleSet set;
	int wake[2];
	ASSERT_EQ(pipe(wake), 0);
	std::atomic<pid_t> tid{0};
	std::atomic<const std::byte*> where{nullptr};
	std::thread t([&] {
		std::array<std::byte, 24> onStack;
		Plant(set, onStack, "thread");
		where = onStack.data();
		tid = gettid();
		char c;
		while (read(wake[0], &c, 1) < 0 && errno == EINTR) {
		}
		agecheck::SecureZero(onStack.data(), onStack.size());
	});
	while (tid == 0)
		std::this_thread::yield();
	WaitUntilAsleep(tid);
	const MemoryScanResult r = ScanSelf(set);
	ASSERT_EQ(write(wake[1], "x", 1), 1);
	t.join();
	close(wake[0]);
	close(wake[1]);
	ASSERT_EQ(r.hitCount, 1u);
	EXPECT_EQ(r.hits[0].address, Address(where.load()));
	EXPECT_EQ(r.hits[0].kind, RegionKind::Stack) << ToString(r.hits[0].kind);
}

TEST(MemoryScan, FindsANeedleInAnAnonymousMapping)
{
	NeedleSet set;
	Pages pages(1);
	Plant(set, pages.at(100, 64), "mmap");
	const MemoryScanResult r = ScanSelf(set);
	ASSERT_EQ(r.hitCount, 1u);
	const ScanHit& h = r.hits[0];
	EXPECT_EQ(h.address, Address(pages.data + 100));
	EXPECT_EQ(h.kind, RegionKind::Anonymous) << ToString(h.kind);
	EXPECT_EQ(h.region, "");
	EXPECT_EQ(h.perms, "rw-p");
	EXPECT_LE(h.regionBegin, Address(pages.data));
	EXPECT_GE(h.regionEnd, Address(pages.data + pages.size));
}

TEST(MemoryScan, FindsANeedleInASecretBuffer)
{
	NeedleSet set;
	SecretBuffer secret(64);
	ASSERT_FALSE(secret.empty());
	Plant(set, secret.bytes().subspan(8, 40), "secret");
	const MemoryScanResult r = ScanSelf(set);
	ASSERT_EQ(r.hitCount, 1u);
	EXPECT_EQ(r.hits[0].address, Address(secret.bytes().data() + 8));
	EXPECT_EQ(r.hits[0].kind, RegionKind::Anonymous) << ToString(r.hits[0].kind);
}

// With 4 KiB chunks every page boundary is a chunk boundary: needles across them, one of the
// longest length (the overlap is exactly maxNeedleSize() - 1), are still found, once.
TEST(MemoryScan, FindsNeedlesAcrossChunkBoundaries)
{
	NeedleSet set;
	Pages pages(4);
	Plant(set, pages.at(kPage - 17, 40), "across");
	Plant(set, pages.at(2 * kPage - 128, 256), "longest");
	Plant(set, pages.at(3 * kPage - 255, 256), "one byte over");
	for (const std::size_t chunk : {std::size_t{4096}, std::size_t{1} << 20}) {
		ScanOptions o;
		o.chunkBytes = chunk;
		const MemoryScanResult r = ScanSelf(set, o);
		ASSERT_EQ(r.hitCount, 3u) << "chunk " << chunk;
		EXPECT_EQ(r.hits[0].address, Address(pages.data + kPage - 17));
		EXPECT_EQ(r.hits[1].address, Address(pages.data + 2 * kPage - 128));
		EXPECT_EQ(r.hits[2].address, Address(pages.data + 3 * kPage - 255));
	}
}

// A needle that starts a region and one that ends it, with unreadable pages on either side.
TEST(MemoryScan, FindsNeedlesAtTheEdgesOfARegion)
{
	NeedleSet set;
	Pages pages(4);
	Plant(set, pages.at(kPage, 64), "first bytes");
	Plant(set, pages.at(3 * kPage - 64, 64), "last bytes");
	ASSERT_EQ(mprotect(pages.data, kPage, PROT_NONE), 0);
	ASSERT_EQ(mprotect(pages.data + 3 * kPage, kPage, PROT_NONE), 0);
	for (const std::size_t chunk : {std::size_t{4096}, std::size_t{1} << 20}) {
		ScanOptions o;
		o.chunkBytes = chunk;
		const MemoryScanResult r = ScanSelf(set, o);
		ASSERT_EQ(r.hitCount, 2u) << "chunk " << chunk;
		EXPECT_EQ(r.hits[0].address, Address(pages.data + kPage));
		EXPECT_EQ(r.hits[0].regionBegin, Address(pages.data + kPage));
		EXPECT_EQ(r.hits[1].address, Address(pages.data + 3 * kPage - 64));
		EXPECT_EQ(r.hits[1].regionEnd, Address(pages.data + 3 * kPage));
	}
}

// Two adjacent mappings (same pages, different protection): a needle across them is found and
// attributed to the mapping where it starts.
TEST(MemoryScan, FindsANeedleAcrossAdjacentMappings)
{
	NeedleSet set;
	Pages pages(2);
	Plant(set, pages.at(kPage - 20, 50), "straddling");
	ASSERT_EQ(mprotect(pages.data + kPage, kPage, PROT_READ), 0);
	const MemoryScanResult r = ScanSelf(set);
	ASSERT_EQ(r.hitCount, 1u);
	EXPECT_EQ(r.hits[0].address, Address(pages.data + kPage - 20));
	EXPECT_EQ(r.hits[0].regionEnd, Address(pages.data + kPage));
	EXPECT_EQ(r.hits[0].perms, "rw-p");
}

TEST(MemoryScan, AWipedNeedleIsNotFound)
{
	NeedleSet set;
	auto heap = std::make_unique<std::byte[]>(64);
	Plant(set, {heap.get(), 64}, "wiped");
	EXPECT_EQ(ScanSelf(set).hitCount, 1u);
	agecheck::SecureZero(heap.get(), 64);
	const MemoryScanResult r = ScanSelf(set);
	EXPECT_EQ(r.hitCount, 0u);
	EXPECT_TRUE(r.clean());
}

// The needles exist only masked: neither the set (nor a copy of it), nor the scanner's buffer,
// nor what an earlier scan left behind may ever count as a hit. Scanned as widely as possible.
TEST(MemoryScan, NeedlesNeverPlacedAreNeverFound)
{
	NeedleSet set;
	for (const std::size_t size : {6, 7, 8, 16, 31, 64, 100, 255, 256})
		for (int i = 0; i < 4; ++i)
			ASSERT_TRUE(set.AddRandom(size, "never placed"));
	const NeedleSet copy = set;
	const NeedleSet* const sets[] = {&set, &copy};
	ScanOptions everything;
	everything.skipReadOnlyFileMappings = false;
	everything.scanInaccessible = true;
	everything.chunkBytes = 8192;
	for (int round = 0; round < 2; ++round) {
		for (const NeedleSet* s : sets) {
			const MemoryScanResult r = ScanSelf(*s);
			EXPECT_TRUE(r.clean()) << r.hitCount << " hits, first at " << (r.hits.empty() ? "" : r.hits[0].region);
		}
		const MemoryScanResult all = ScanSelf(set, everything);
		EXPECT_TRUE(all.clean()) << all.hitCount << " hits";
		EXPECT_GT(all.bytesByKind.file, 0u);
	}
}

// The child holds the needle in its heap and waits on a pipe; only it has a plain copy.
TEST(MemoryScan, ScansAChildProcess)
{
	NeedleSet set;
	ASSERT_TRUE(set.AddRandom(32, "child"));
	int toParent[2], toChild[2];
	ASSERT_EQ(pipe(toParent), 0);
	ASSERT_EQ(pipe(toChild), 0);
	const pid_t child = fork();
	ASSERT_GE(child, 0);
	if (child == 0) {
		close(toParent[0]);
		close(toChild[1]);
		auto* heap = static_cast<std::byte*>(std::malloc(64));
		if (!heap || !set.Unmask(0, {heap + 16, 32}))
			_exit(1);
		const std::uintptr_t at = Address(heap + 16);
		if (write(toParent[1], &at, sizeof at) != sizeof at)
			_exit(1);
		char c;
		while (read(toChild[0], &c, 1) < 0 && errno == EINTR) {
		}
		agecheck::SecureZero(heap, 64);
		_exit(0);
	}
	close(toParent[1]);
	close(toChild[0]);
	std::uintptr_t at = 0;
	const bool told = read(toParent[0], &at, sizeof at) == sizeof at;
	const MemoryScanResult r = ScanProcessMemory(child, set);
	close(toChild[1]);
	close(toParent[0]);
	int status = 0;
	ASSERT_EQ(waitpid(child, &status, 0), child);
	ASSERT_TRUE(told);
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	if (r.error == ScanError::PermissionDenied)
		GTEST_SKIP() << "this system does not let a parent read its child's memory: " << r.message;
	ASSERT_TRUE(r.ok()) << r.message;
	ASSERT_EQ(r.hitCount, 1u);
	EXPECT_EQ(r.hits[0].address, at);
	EXPECT_EQ(r.hits[0].kind, kMallocKind) << ToString(r.hits[0].kind);
	EXPECT_EQ(r.hits[0].label, "child");
	EXPECT_TRUE(ScanSelf(set).clean()); // the plain needle was only ever in the child
}

TEST(MemoryScan, ANonexistentProcessIsAnError)
{
	NeedleSet set;
	ASSERT_TRUE(set.AddRandom(16, "n"));
	for (const pid_t pid : {pid_t{INT_MAX}, pid_t{0}, pid_t{-1}}) {
		const MemoryScanResult r = ScanProcessMemory(pid, set);
		EXPECT_EQ(r.error, ScanError::NoSuchProcess) << pid;
		EXPECT_FALSE(r.ok());
		EXPECT_FALSE(r.clean());
		EXPECT_FALSE(r.message.empty());
		EXPECT_EQ(r.bytesRead, 0u);
	}
}

TEST(MemoryScan, CapsHitsButCountsThemAll)
{
	NeedleSet set;
	auto heap = std::make_unique<std::byte[]>(10 * 16);
	Plant(set, {heap.get(), 16}, "repeated");
	for (int i = 1; i < 10; ++i)
		std::memcpy(heap.get() + 16 * i, heap.get(), 16);
	ScanOptions o;
	o.maxHits = 3;
	const MemoryScanResult r = ScanSelf(set, o);
	EXPECT_EQ(r.hitCount, 10u);
	ASSERT_EQ(r.hits.size(), 3u);
	for (std::size_t i = 0; i < 3; ++i)
		EXPECT_EQ(r.hits[i].address, Address(heap.get() + 16 * i));
	agecheck::SecureZero(heap.get(), 10 * 16);
}

TEST(MemoryScan, ExcludedRangesAreNotRead)
{
	NeedleSet set;
	Pages pages(2);
	Plant(set, pages.at(kPage + 8, 32), "excluded");
	ScanOptions o;
	o.exclude.push_back({Address(pages.data + kPage), Address(pages.data + 2 * kPage)});
	const MemoryScanResult r = ScanSelf(set, o);
	EXPECT_EQ(r.hitCount, 0u);
	EXPECT_GE(r.bytesExcluded, kPage);
	// Excluding bytes just past the needle does not hide it.
	o.exclude = {{Address(pages.data + kPage + 40), Address(pages.data + kPage + 100)}};
	EXPECT_EQ(ScanSelf(set, o).hitCount, 1u);
}

TEST(MemoryScan, ReadOnlyFileMappingsAreSkippedByDefault)
{
	NeedleSet set;
	std::string path = testing::TempDir() + "memscan-XXXXXX";
	const int fd = mkstemp(path.data());
	ASSERT_GE(fd, 0);
	{
		std::array<std::byte, 48> needle;
		Plant(set, needle, "file");
		ASSERT_EQ(write(fd, needle.data(), needle.size()), 48);
		agecheck::SecureZero(needle.data(), needle.size());
	}
	void* mapped = mmap(nullptr, 48, PROT_READ, MAP_PRIVATE, fd, 0);
	ASSERT_NE(mapped, MAP_FAILED);
	const MemoryScanResult byDefault = ScanSelf(set);
	ScanOptions o;
	o.skipReadOnlyFileMappings = false;
	const MemoryScanResult all = ScanSelf(set, o);
	munmap(mapped, 48);
	close(fd);
	unlink(path.c_str());
	EXPECT_EQ(byDefault.hitCount, 0u);
	EXPECT_GT(byDefault.bytesSkipped, 0u);
	ASSERT_EQ(all.hitCount, 1u);
	EXPECT_EQ(all.hits[0].address, Address(mapped));
	EXPECT_EQ(all.hits[0].kind, RegionKind::File);
	EXPECT_EQ(all.hits[0].region, path);
	EXPECT_EQ(all.hits[0].perms, "r--p");
}

TEST(MemoryScan, InaccessibleRegionsAreReadOnlyWhenAsked)
{
	NeedleSet set;
	Pages pages(1);
	Plant(set, pages.at(512, 32), "noaccess");
	ASSERT_EQ(mprotect(pages.data, kPage, PROT_NONE), 0);
	EXPECT_EQ(ScanSelf(set).hitCount, 0u);
	ScanOptions o;
	o.scanInaccessible = true;
	const MemoryScanResult r = ScanSelf(set, o);
	ASSERT_EQ(r.hitCount, 1u);
	EXPECT_EQ(r.hits[0].address, Address(pages.data + 512));
	EXPECT_EQ(r.hits[0].perms, "---p");
}

// ASCII, UTF-16LE and UTF-16BE forms of one random name with an accent and an astral character.
TEST(MemoryScan, FindsTextAndUtf16Forms)
{
	NeedleSet set;
	std::array<char, 16> text{}; // 10 random capitals, "é" (2 bytes), U+1F600 (4 bytes)
	Random(text.data(), 10);
	for (std::size_t i = 0; i < 10; ++i)
		text[i] = static_cast<char>('A' + static_cast<unsigned char>(text[i]) % 26);
	std::memcpy(text.data() + 10, "\xC3\xA9\xF0\x9F\x98\x80", 6);
	const std::string_view view(text.data(), text.size());
	ASSERT_TRUE(set.AddText(view, "name:utf8"));
	ASSERT_TRUE(set.AddUtf16(view, "name:utf16le"));
	ASSERT_TRUE(set.AddUtf16(view, "name:utf16be", Utf16Order::BigEndian));
	EXPECT_EQ(set.needleSize(1), 2u * 11 + 4);

	auto heap = std::make_unique<std::byte[]>(2 * 26);
	std::byte* le = heap.get();
	std::byte* be = heap.get() + 26;
	for (std::size_t i = 0; i < 10; ++i) {
		le[2 * i] = be[2 * i + 1] = std::byte(static_cast<unsigned char>(text[i]));
		le[2 * i + 1] = be[2 * i] = std::byte{0};
	}
	const unsigned char tailLe[] = {0xE9, 0x00, 0x3D, 0xD8, 0x00, 0xDE};
	const unsigned char tailBe[] = {0x00, 0xE9, 0xD8, 0x3D, 0xDE, 0x00};
	std::memcpy(le + 20, tailLe, 6);
	std::memcpy(be + 20, tailBe, 6);

	const MemoryScanResult r = ScanSelf(set);
	ASSERT_EQ(r.hitCount, 3u);
	for (const ScanHit& h : r.hits) {
		if (h.label == "name:utf8")
			EXPECT_EQ(h.address, Address(text.data()));
		else if (h.label == "name:utf16le")
			EXPECT_EQ(h.address, Address(le));
		else
			EXPECT_EQ(h.address, Address(be));
	}
	agecheck::SecureZero(text.data(), text.size());
	agecheck::SecureZero(heap.get(), 2 * 26);
	EXPECT_TRUE(ScanSelf(set).clean());
}

// A gigabyte of address space never written is not read: there is nothing but zeros in it. Two
// pages in its middle are, and needles across their edges into the zeros are found.
TEST(MemoryScan, UnpopulatedPagesAreNotRead)
{
	const std::size_t size = std::size_t{1} << 30;
	void* p = mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	ASSERT_NE(p, MAP_FAILED);
	auto* middle = static_cast<std::byte*>(p) + size / 2;
	NeedleSet set;
	Random(middle, 2 * kPage);
	// "from zeros" starts with 8 zero bytes of the unwritten page before, "into zeros" ends with 8
	// of the one after. Built aside (not even reading those pages maps them) and then wiped.
	{
		std::array<std::byte, 40> aside{};
		std::memcpy(aside.data() + 8, middle, 32);
		ASSERT_TRUE(set.Add(aside, "from zeros"));
		aside.fill(std::byte{0});
		std::memcpy(aside.data(), middle + 2 * kPage - 32, 32);
		ASSERT_TRUE(set.Add(aside, "into zeros"));
		agecheck::SecureZero(aside.data(), aside.size());
	}
	ScanOptions o;
	o.chunkBytes = 4096;
	// Everything but the gigabyte is excluded: only its two written pages may be read.
	o.exclude = {{0, Address(p)}, {Address(p) + size, UINTPTR_MAX}};
	const MemoryScanResult r = ScanSelf(set, o);
	agecheck::SecureZero(middle, 2 * kPage);
	munmap(p, size);
	EXPECT_EQ(r.bytesRead, 2 * kPage);
	EXPECT_GE(r.bytesUnpopulated, size - 2 * kPage);
	ASSERT_EQ(r.hitCount, 2u);
	EXPECT_EQ(r.hits[0].address, Address(middle - 8));
	EXPECT_EQ(r.hits[1].address, Address(middle + 2 * kPage - 32));
}

TEST(MemoryScan, CountsBytesByKind)
{
	const NeedleSet none;
	const MemoryScanResult r = ScanSelf(none);
	EXPECT_EQ(r.hitCount, 0u);
	EXPECT_GT(r.regionsScanned, 0u);
	EXPECT_GT(r.regionsSkipped, 0u); // libraries' code at least
	EXPECT_GT(r.bytesSkipped, 0u);
	EXPECT_GT(r.bytesByKind.stack, 0u);
	EXPECT_GT(r.bytesByKind.anonymous + r.bytesByKind.heap, 0u);
	if (!kAsan) {
		EXPECT_GT(r.bytesByKind.heap, 0u);
	}
	const BytesByKind& k = r.bytesByKind;
	EXPECT_EQ(r.bytesRead, k.heap + k.stack + k.anonymous + k.file + k.kernel);
}

TEST(MemoryScan, ScanBufferFindsEveryOccurrence)
{
	NeedleSet set;
	std::array<std::byte, 300> bytes{};
	Plant(set, std::span(bytes).subspan(10, 20), "a");
	Plant(set, std::span(bytes).subspan(300 - 6, 6), "b at the end");
	std::memcpy(bytes.data() + 100, bytes.data() + 10, 20);
	const std::vector<BufferHit> hits = ScanBuffer(bytes, set);
	ASSERT_EQ(hits.size(), 3u);
	EXPECT_EQ(hits[0].needle, 0u);
	EXPECT_EQ(hits[0].offset, 10u);
	EXPECT_EQ(hits[1].offset, 100u);
	EXPECT_EQ(hits[2].needle, 1u);
	EXPECT_EQ(hits[2].offset, 294u);
	EXPECT_EQ(ScanBuffer(bytes, set, 1).size(), 1u);
	EXPECT_TRUE(ScanBuffer(std::span(bytes).first(5), set).empty());
	EXPECT_TRUE(ScanBuffer(std::span(bytes).first(299), set).size() == 2);
	agecheck::SecureZero(bytes.data(), bytes.size());
}
