// SPDX-License-Identifier: Apache-2.0
#pragma once
// Frames in, Sighting out: locate, rectify, decode, parse, validate and apply the age policy.
// A Sighting is the only thing that leaves this stage: booleans per threshold and a reason.

#include <array>
#include <chrono>
#include <cstddef>
#include <opencv2/core/mat.hpp>
#include <span>

#include "age/Policy.h"
#include "common/Reason.h"
#include "locate/Locate.h"

namespace agecheck::capture {
class FrameSource;
}

namespace agecheck::sighting {

/// At most this many thresholds are decided per sighting.
inline constexpr std::size_t kMaxThresholds = 4;

/// The outcome of sighting one ID: a verdict per threshold and one reason. Nothing else.
struct Sighting {
	Reason reason = Reason::Unreadable;            ///< the source when verified, else why not
	std::size_t count = 0;                         ///< how many thresholds were decided
	std::array<int, kMaxThresholds> thresholds{};  ///< the thresholds, as the policy offered them
	std::array<Verdict, kMaxThresholds> verdicts{}; ///< the verdict for each threshold

	/// The verdict for `threshold`; Unverified when it was not decided.
	Verdict verdictFor(int threshold) const noexcept;
	/// True when an ID document was read (verified or not): the search can stop.
	bool documentRead() const noexcept { return reason != Reason::Unreadable && reason != Reason::NotAnId; }
};

/// Scanner options; each states its default.
struct Options {
	locate::Options locate{};     ///< detector options; see locate::Options
	int maxCandidates = 3;        ///< regions tried per frame, best first; default 3
	long maxPixels = 40'000'000;  ///< larger frames are not scanned (unreadable); default 40 MP
	long maxFrames = 9'000;       ///< scanSource stops after this many frames (5 min at 30 fps); default 9000
};

/// Scans frames for PDF417 AAMVA barcodes and decides them under a policy. Not thread-safe; one
/// per worker thread.
class Scanner {
public:
	explicit Scanner(age::Policy policy, Options options = {});

	/// Scans one 8-bit BGR, BGRA or grey frame taken `today`. Reason Unreadable when nothing was
	/// decoded, and for frames of any other type, empty or too large. Never throws: an OpenCV or
	/// allocation failure on a hostile frame is Unreadable too.
	Sighting scanFrame(const cv::Mat& frame, std::chrono::year_month_day today) const noexcept;

	/// Decides a decoded barcode payload (AAMVA or not).
	Sighting decidePayload(std::span<const std::byte> payload, std::chrono::year_month_day today) const;

	/// Reads frames from `source` until a document is read, the source ends or maxFrames were read;
	/// every frame is scanned (file sources are audited frame by frame; live sources drop frames
	/// upstream). Never throws: a source that fails mid-way ends the search.
	Sighting scanSource(capture::FrameSource& source, std::chrono::year_month_day today) const noexcept;

	const age::Policy& policy() const noexcept { return _policy; }

private:
	/// A sighting with every offered threshold unverified, for `reason`.
	Sighting unverified(Reason reason) const noexcept;
	/// scanFrame's work, which may throw; `best` is the unreadable sighting to improve on.
	Sighting scan(const cv::Mat& frame, std::chrono::year_month_day today, Sighting best) const;

	age::Policy _policy;
	Options _options;
};

} // namespace agecheck::sighting
