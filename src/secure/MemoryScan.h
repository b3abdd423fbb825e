// SPDX-License-Identifier: Apache-2.0
#pragma once
// The compliance self-test's process-memory scanner: plant canary identities, run the pipeline,
// then search a process's memory (/proc/PID/mem) for every canary in one pass.
//
// The needles are kept XOR-masked with a random per-set key and compared in masked form, so the
// set that describes what to look for is never itself found, and no plain needle is ever
// materialised by the scanner. Results carry labels, addresses and region names, never bytes.

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <sys/types.h>
#include <vector>

namespace agecheck::secure {

/// The byte order of the UTF-16 forms NeedleSet::AddUtf16 adds.
enum class Utf16Order : std::uint8_t { LittleEndian, BigEndian };

/// Byte strings to search for (canaries), each with a short label such as "aamva:name:ascii".
///
/// Needles are stored only XOR-masked with a random key drawn when the set is made; the index
/// used for the single-pass search (a 64K-bit filter over masked 4-byte prefixes) is built as
/// needles are added. Copies are independent but share the key. Not thread-safe while adding;
/// scanning with a const set from several threads is fine.
class NeedleSet {
public:
	static constexpr std::size_t MinNeedleBytes = 6;   ///< shorter needles match by chance
	static constexpr std::size_t MaxNeedleBytes = 256; ///< longest needle (and chunk overlap + 1)

	/// An empty set with a fresh random key (libsodium randombytes_buf, else getrandom; should both
	/// fail, every Add() returns false).
	NeedleSet() noexcept;
	NeedleSet(const NeedleSet&) = default;
	NeedleSet& operator=(const NeedleSet&) = default;
	NeedleSet(NeedleSet&&) noexcept = default;
	NeedleSet& operator=(NeedleSet&&) noexcept = default;
	/// Zeroes the key.
	~NeedleSet();

	/// Adds a needle, masking it as it is copied: the set never holds it in plain. The caller wipes
	/// its own copy. False when its size is outside [MinNeedleBytes, MaxNeedleBytes], when it is all
	/// zero bytes (it would match every page never written), or when memory ran out.
	bool Add(std::span<const std::byte> needle, std::string_view label) noexcept;
	/// Adds the bytes of `text` as they are (ASCII, UTF-8 or Latin-1); as Add().
	bool AddText(std::string_view text, std::string_view label) noexcept;
	/// Adds UTF-8 `text` encoded as UTF-16 (surrogate pairs above U+FFFF), masked as it is encoded;
	/// false also when `text` is not valid UTF-8.
	bool AddUtf16(std::string_view text, std::string_view label, Utf16Order order = Utf16Order::LittleEndian) noexcept;
	/// Adds a needle of `size` random bytes that exists only masked (a canary no one has planted yet,
	/// or one to plant with Unmask()); as Add().
	bool AddRandom(std::size_t size, std::string_view label) noexcept;

	/// Writes needle `index` in plain into `out`, which must be exactly needleSize(index) bytes long.
	///
	/// WARNING: this materialises the needle: the caller's buffer will be found by the next scan
	/// until the caller wipes it. Meant for planting canaries in a self-test.
	bool Unmask(std::size_t index, std::span<std::byte> out) const noexcept;

	/// Number of needles.
	std::size_t size() const noexcept { return _needles.size(); }
	/// True when there are no needles.
	bool empty() const noexcept { return _needles.empty(); }
	/// The label of needle `index` (empty when out of range).
	std::string_view label(std::size_t index) const noexcept;
	/// The length in bytes of needle `index` (0 when out of range).
	std::size_t needleSize(std::size_t index) const noexcept;
	/// The length of the longest needle (0 when empty).
	std::size_t maxNeedleSize() const noexcept { return _maxSize; }

private:
	friend class MemoryScanner; // MemoryScan.cpp

	struct Needle {
		std::uint32_t offset = 0; ///< into _masked
		std::uint32_t size = 0;
		std::uint32_t prefix = 0; ///< the first four masked bytes, as loaded from memory
		std::string label;
	};
	unsigned char* reserve(std::size_t size) noexcept;              // room for a masked needle, or null
	bool commit(std::size_t size, std::string_view label) noexcept; // indexes it, or gives the room back
	void rebuildIndex();
	// Calls onMatch(position, needleIndex) for every occurrence starting in [0, limit) of data and
	// lying within [0, size). Defined and used in MemoryScan.cpp only.
	template <typename OnMatch>
	void forEachMatch(const unsigned char* data, std::size_t size, std::size_t limit, OnMatch&& onMatch) const;

	std::array<unsigned char, MaxNeedleBytes> _key{};
	std::uint32_t _key4 = 0;       ///< _key[0..4) as loaded from memory
	bool _keyed = false;           ///< the key is random (else nothing can be added)
	std::uint32_t _multiplier = 0; ///< of the filter's hash, chosen so that zero runs miss
	std::size_t _maxSize = 0;
	std::vector<unsigned char> _masked; ///< every needle, XOR-masked with _key, back to back
	std::vector<Needle> _needles;
	std::array<std::uint64_t, 1024> _filter{}; ///< bit hash(masked prefix) set for every needle
	std::array<std::uint32_t, 1024> _rank{};   ///< set bits in the filter words before each word
	std::vector<std::uint32_t> _bucket;        ///< per set filter bit (by rank): first index into _order
	std::vector<std::uint32_t> _order;         ///< needle indices sorted by filter bit
};

/// Where a mapping comes from, as told by /proc/PID/smaps.
enum class RegionKind : std::uint8_t {
	Heap,      ///< "[heap]": the brk heap, glibc's main malloc arena
	Stack,     ///< "[stack]" and grows-down parts split off it; a mapping holding a thread's stack pointer
	Anonymous, ///< no file: mmap'd memory, other malloc arenas, large allocations, allocators of sanitizers
	File,      ///< a file: libraries, mapped files, memfd and shared memory
	Kernel,    ///< other kernel mappings: [vdso], [vvar], [vsyscall]
};

/// "heap", "stack", "anonymous", "file" or "kernel".
std::string_view ToString(RegionKind kind) noexcept;

/// An address range [begin, end).
struct AddressRange {
	std::uintptr_t begin = 0; ///< first address
	std::uintptr_t end = 0;   ///< one past the last address
};

/// Options of ScanProcessMemory(); each states its default.
struct ScanOptions {
	std::size_t maxHits = 64;         ///< hits recorded in full; all are counted (default 64)
	std::size_t chunkBytes = 1 << 20; ///< bytes per pread, at least 4096 (default 1 MiB)
	/// Skip mappings that are file-backed (or kernel-provided) and not writable: libraries' code and
	/// constants, read-only mapped files. They hold what is on disk, not what the process computed;
	/// anonymous, heap and stack regions are scanned whatever their protection (default true).
	bool skipReadOnlyFileMappings = true;
	/// Also read regions without read permission (PROT_NONE), which /proc/PID/mem can still read:
	/// mostly guard pages and reservations (never written, so skipped cheaply), but also secrets
	/// put behind sodium_mprotect_noaccess (default false).
	bool scanInaccessible = false;
	/// Skip regions larger than this: address-space reservations such as AddressSanitizer's
	/// shadow memory, terabytes of zero pages (default 64 GiB).
	std::uint64_t maxRegionBytes = std::uint64_t{1} << 36;
	/// Address ranges not to read, e.g. a report buffer (default none). When scanning this process,
	/// the scanner's own read buffer is always excluded.
	std::vector<AddressRange> exclude{};
};

/// Why a scan failed or is incomplete.
enum class ScanError : std::uint8_t {
	None,             ///< the scan completed
	NoSuchProcess,    ///< no /proc/PID: the process does not exist (or pid <= 0)
	PermissionDenied, ///< /proc/PID/smaps or mem refused: another user, not dumpable, or Yama ptrace_scope
	Unreadable,       ///< /proc/PID/smaps or mem could not be read for another reason
	ProcessExited,    ///< the process went away during the scan: the counts cover what was read
	OutOfMemory,      ///< the read buffer or the report could not be allocated
};

/// One occurrence of a needle. No needle bytes: only where it was.
struct ScanHit {
	std::size_t needle = 0;                  ///< index in the NeedleSet
	std::string label;                       ///< the needle's label
	std::uintptr_t address = 0;              ///< where the occurrence starts in the scanned process
	std::uintptr_t regionBegin = 0;          ///< the mapping holding `address`, from /proc/PID/smaps
	std::uintptr_t regionEnd = 0;            ///< one past the mapping's end
	std::string perms;                       ///< the mapping's permissions, e.g. "rw-p"
	std::string region;                      ///< the mapping's path or name ("[heap]"); empty when anonymous
	RegionKind kind = RegionKind::Anonymous; ///< what the mapping is
};

/// Bytes read, by region kind.
struct BytesByKind {
	std::uint64_t heap = 0;      ///< RegionKind::Heap
	std::uint64_t stack = 0;     ///< RegionKind::Stack
	std::uint64_t anonymous = 0; ///< RegionKind::Anonymous
	std::uint64_t file = 0;      ///< RegionKind::File
	std::uint64_t kernel = 0;    ///< RegionKind::Kernel
};

/// What ScanProcessMemory() read and found. On error, the counts cover what was read before it.
struct MemoryScanResult {
	ScanError error = ScanError::None;  ///< ScanError::None when the scan completed
	std::string_view message{};         ///< a static explanation of `error`; empty when None
	std::size_t regionsScanned = 0;     ///< mappings at least one byte of which was read
	std::size_t regionsSkipped = 0;     ///< mappings not read at all (unreadable, by option, excluded, unpopulated)
	std::uint64_t bytesRead = 0;        ///< bytes read and searched
	BytesByKind bytesByKind{};          ///< bytesRead by region kind
	std::uint64_t bytesUnreadable = 0;  ///< no read permission, or the kernel refused (EIO pages, [vvar])
	std::uint64_t bytesSkipped = 0;     ///< left out by skipReadOnlyFileMappings or maxRegionBytes
	std::uint64_t bytesExcluded = 0;    ///< inside ScanOptions::exclude or the scanner's own buffer
	std::uint64_t bytesUnpopulated = 0; ///< private anonymous pages neither resident nor swapped: zeros, not read
	std::size_t hitCount = 0;           ///< every occurrence found, recorded or not
	std::vector<ScanHit> hits;          ///< the first ScanOptions::maxHits occurrences, by address

	/// True when the scan completed.
	bool ok() const noexcept { return error == ScanError::None; }
	/// True when the scan completed and found nothing.
	bool clean() const noexcept { return ok() && hitCount == 0; }
};

/// One occurrence of a needle in a buffer.
struct BufferHit {
	std::size_t needle = 0; ///< index in the NeedleSet
	std::size_t offset = 0; ///< where the occurrence starts in the buffer
};

/// Every occurrence of every needle in `bytes` (logs, socket traffic, files), in one pass, by
/// offset; at most `maxHits` of them. Never throws: should memory for the list run out, the
/// occurrences recorded so far.
std::vector<BufferHit> ScanBuffer(std::span<const std::byte> bytes, const NeedleSet& needles,
                                  std::size_t maxHits = 64) noexcept;

/// Searches every readable region of process `pid` (getpid() for this one) for every needle of
/// `needles`, in a single pass, through /proc/PID/smaps and pread on /proc/PID/mem: a page that
/// cannot be read is counted and skipped, never touched directly; private anonymous pages that
/// are neither resident nor swapped (smaps, /proc/PID/pagemap) hold zeros and are not read.
/// Needles straddling chunk or adjacent-mapping boundaries are found. The read buffer is zeroed
/// and unmapped before returning.
/// Never throws, never prints; failures come back in MemoryScanResult::error.
///
/// WARNING: another process can be read only with ptrace access to it (same user, dumpable, and
/// for Yama ptrace_scope 1 a descendant of the caller) or CAP_SYS_PTRACE (root); a process that
/// called HardenProcess() can be scanned only by itself or by root. Mappings change while another
/// process runs: what is read is a series of snapshots, not one instant.
MemoryScanResult ScanProcessMemory(pid_t pid, const NeedleSet& needles, const ScanOptions& options = {}) noexcept;

} // namespace agecheck::secure
