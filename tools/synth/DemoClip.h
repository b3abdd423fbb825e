// SPDX-License-Identifier: Apache-2.0
#pragma once
// A seeded demo clip for the cashier kiosk: a fixed camera over a counter, customers' hands bring
// synthetic documents into view, hold them for 2-3 seconds (slow drift, slight rotation and tilt,
// motion blur while moving) and take them away, with 1-2 seconds of empty counter in between.
// Meant for tools/run to play when no camera is attached. Every person, number and date in it is
// fictional.
//
// Determinism: everything random comes from the seed (DeriveSeed streams and seeded cv::RNGs).
// The manifest depends on the options only; the frames also on the OpenCV, FreeType, zxing-cpp
// and FFmpeg builds.
//
// WARNING: the documents in the video carry fictional identity data; the manifest never does (it
// holds document tokens, frame ranges, verdicts and reason tokens only).

#include <array>
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <opencv2/core.hpp>

#include "common/Reason.h"

namespace agecheck::synth {

/// The documents a demo clip can show.
enum class DemoDocument : std::uint8_t {
	LicenceOver21,   ///< "licence-over-21": a licence back (PDF417) of someone 25 to 60 years old
	LicenceUnder,    ///< "licence-under": a licence back of someone threshold - 2 years old (16 at 18)
	LicenceBetween,  ///< "licence-between": a licence back of someone between the threshold and 21 (19 at 18)
	LicenceExpired,  ///< "licence-expired": a licence back of an adult that expired 20 to 400 days ago
	Passport,        ///< "passport": a TD3 passport data page (MRZ) of someone 22 to 60 years old
	LicenceFront,    ///< "licence-front": a licence front (printed date of birth), threshold - 1 years old
	ShippingLabel,   ///< "shipping-label": a PDF417 that is not an ID
};

/// The token for a document, e.g. "licence-over-21".
std::string_view ToString(DemoDocument document) noexcept;

/// All seven documents in the enum's order: the default sequence of a clip.
std::vector<DemoDocument> AllDemoDocuments();

/// What a demo clip shows and how; each option states its default.
struct DemoClipOptions {
	cv::Size size{1280, 720}; ///< frame size, each side 320..3840 (clamped); default 1280x720
	int fps = 15;             ///< frames per second, 5..60 (clamped); default 15
	std::uint64_t seed = 1;   ///< picks people, designs, poses and motion; default 1
	/// The date the verdicts hold on (the kiosk must scan the clip with this date); default 2026-11-25.
	std::chrono::year_month_day today{std::chrono::year{2026}, std::chrono::month{11}, std::chrono::day{25}};
	/// The lower age threshold, 2..20 (clamped): the manifest gives verdicts for it and for 21;
	/// default 18.
	int threshold = 18;
	/// The documents, shown in this order; default AllDemoDocuments().
	std::vector<DemoDocument> documents = AllDemoDocuments();
};

/// One document of a clip and what it must produce. No identity data.
struct DemoClipEntry {
	DemoDocument document = DemoDocument::LicenceOver21;
	std::string_view kind;  ///< "licence-back", "passport-td3", "licence-front" or "non-id-barcode"
	int enter = 0;          ///< first frame (0-based) that shows part of the document's bounding box
	int first = 0;          ///< first frame in which the whole document is in the frame
	int last = 0;           ///< last such frame, inclusive; every frame in between shows it whole
	int leave = 0;          ///< last frame that shows part of its bounding box; other frames show no document
	std::array<Verdict, 2> verdicts{}; ///< the verdict for each of the manifest's thresholds
	/// The verdicts' source once the document is read (aamva, mrz, printed), or why there are none
	/// (expired, not-an-id). MRZ and printed dates are not read by the pipeline yet.
	Reason reason = Reason::Unreadable;

	friend bool operator==(const DemoClipEntry&, const DemoClipEntry&) = default;
};

/// What a clip holds. No identity data.
struct DemoClipManifest {
	std::string error;                 ///< empty on success, else what failed (never identity data)
	std::string fourcc;                ///< the codec written: "avc1" (H.264) or "mp4v"; empty from PlanDemoClip
	cv::Size size;                     ///< frame size
	int fps = 0;                       ///< frames per second
	int frames = 0;                    ///< number of frames
	std::array<int, 2> thresholds{};   ///< the thresholds of DemoClipEntry::verdicts: {threshold, 21}
	std::vector<DemoClipEntry> documents; ///< in the order they appear

	/// True when the clip was planned or written.
	bool ok() const noexcept { return error.empty(); }
};

/// The manifest of the clip `options` describe, without rendering anything (fourcc empty): the
/// timeline, the frame ranges and the verdicts, decided by construction from the fictional dates.
DemoClipManifest PlanDemoClip(const DemoClipOptions& options = {});

/// Renders the clip and writes it to `path` with OpenCV's FFmpeg backend: H.264 ('avc1') when the
/// FFmpeg build has an encoder for it, else MPEG-4 part 2 ('mp4v'); use an .mp4 path. Returns
/// PlanDemoClip's manifest with the fourcc, or one whose `error` says why no clip was written.
/// Never throws.
DemoClipManifest WriteDemoClip(const std::string& path, const DemoClipOptions& options = {});

/// The manifest as tab-separated text: a comment line with the clip's size, rate, frame count and
/// codec, a header line, then one line per document (document, kind, first, last, one verdict
/// column per threshold, reason).
std::string FormatDemoManifest(const DemoClipManifest& manifest);

} // namespace agecheck::synth
