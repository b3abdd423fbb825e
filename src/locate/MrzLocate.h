// SPDX-License-Identifier: Apache-2.0
#pragma once
// Finding the machine-readable zone of a passport or ID card in a camera frame.
// An MRZ is 2 or 3 lines of fixed-pitch OCR-B, all of the same length (fillers '<' are printed),
// parallel, evenly spaced and left-aligned. The detector finds dark text on a light ground with a
// black-hat filter, joins each line's characters into one blob, and looks for 2 or 3 long blobs of
// equal length stacked like MRZ lines, at any rotation.

#include <array>
#include <opencv2/core/mat.hpp>
#include <opencv2/core/types.hpp>
#include <vector>

namespace agecheck::locate {

/// MRZ detector options; each states its default.
struct MrzOptions {
	int detectWidth = 960;         ///< frames are scaled to this width for detection; default 960
	int maxCandidates = 2;         ///< at most this many zones, best first; default 2
	float minLineFraction = 0.15f; ///< a line must be at least this fraction of the frame's width long; default 0.15
	float minAspect = 12.f;        ///< a line's length over its height, at least; default 12
};

/// One text line of an MRZ, in frame coordinates.
struct MrzLine {
	cv::Point2f center;   ///< centre of the line
	float angle = 0;      ///< direction of reading, radians (0: left to right along +x)
	float halfLength = 0; ///< half the line's length
	float halfHeight = 0; ///< half its height (character height)
};

/// A zone of 2 or 3 lines, top to bottom as read.
struct MrzCandidate {
	std::vector<MrzLine> lines;
	float score = 0; ///< higher is more MRZ-like
	std::array<cv::Point2f, 4> quad{}; ///< the zone's outline: top-left, top-right, bottom-right, bottom-left
};

/// Finds MRZ-like zones in a grey frame (CV_8UC1); best first, empty when there is none.
std::vector<MrzCandidate> FindMrz(const cv::Mat& gray, const MrzOptions& options = {});

/// Lengthens `line` (in a grey frame) at either end to where its text ends; FindMrz does this to
/// every line it returns. A line's blob breaks where its thin filler characters fade under blur,
/// or its ink under a reflection or a shadow, and the detector keeps the longest piece: a line cut
/// short reads as too few characters, and its check digits are lost. Along the line, the darkness
/// of its character band (a black-hat, averaged over a character cell) is followed outward while
/// it stays at least 30% of the way from the paper's level to the text's (fillers have less ink
/// than letters and digits). An end whose run goes on for `reach` frame pixels is left as it was:
/// that is more text or an edge, not the rest of the line. A line is never shortened.
void ExtendMrzLine(const cv::Mat& gray, MrzLine& line, float reach);

/// The printed text of a card: the oriented box around the densest cluster of text lines.
struct TextBlock {
	cv::RotatedRect box;       ///< in frame coordinates, angle as OpenCV gives it
	float angle = 0;           ///< the lines' reading direction, radians
	float lineHeight = 0;      ///< median text-line height, frame pixels
	int lines = 0;             ///< text lines in the block
};

/// Finds the block of text lines on a card front in a grey frame (CV_8UC1); false when there are
/// fewer than `minLines` lines. Clutter text far from the block is left out.
bool FindTextBlock(const cv::Mat& gray, TextBlock& block, int minLines = 5, int detectWidth = 960);

/// Cuts `block` out of `gray` upright, with a margin of one line height (`leftMargin` line heights
/// before the lines' left ends), scaled so that text lines are about `lineHeight` pixels tall.
/// CV_8UC1; empty when the block is degenerate.
cv::Mat RectifyTextBlock(const cv::Mat& gray, const TextBlock& block, float lineHeight = 26.f, float leftMargin = 1.f);

/// Cuts `line` out of `gray` upright (reading left to right), with a margin of `margin` times its
/// height at both ends and at most 0.3 times its height above and below (the next lines are
/// close), scaled so the characters are about `charHeight` pixels tall. CV_8UC1.
cv::Mat RectifyMrzLine(const cv::Mat& gray, const MrzLine& line, float charHeight = 32.f, float margin = 0.6f);

/// Whether a zone looks upside down as its lines run. An MRZ's lines are left-aligned, and every
/// field shorter than its place ends in fillers ('<', little ink): names, optional data, whole
/// lines. So the left part of a zone holds more print than its right: true when the right 40% of
/// the zone holds more dark print (a black-hat) than the left 40%. A guess, to choose which way
/// to read first; it decides nothing.
bool MrzZoneLooksUpsideDown(const cv::Mat& gray, const std::vector<MrzLine>& lines);

/// The direction of the text lines in a frame (CV_8UC1, at FindMrz's detection scale: about 960
/// pixels wide) where none lies within 12 degrees of level, in degrees from -90 to 90 as
/// cv::getRotationMatrix2D turns: turning the frame by it lays them level. The strongest direction
/// of dark print more than 12 degrees from level (what lies level in such a frame is background:
/// a table's grain, the frame's edges); 0 when there is none.
double TurnedTextDirection(const cv::Mat& gray);

/// Cuts every line of a zone out of `gray` through the perspective the zone shows: the ends of its
/// first and last lines are taken for the corners of a rectangle (an MRZ's lines are all the same
/// length, evenly spaced and left-aligned), so that characters sheared or narrowed by a page held
/// at a slant come out upright. Same sizes and margins as RectifyMrzLine, one cut-out per line.
/// Empty when the zone is degenerate or its lines' lengths differ by more than a quarter (a line
/// cut short would tilt the rectangle).
std::vector<cv::Mat> RectifyMrzZone(const cv::Mat& gray, const std::vector<MrzLine>& lines, float charHeight = 32.f,
                                    float margin = 0.6f);

/// Whether a zone shows a perspective or a shear that a rotation does not undo: its first and last
/// lines differ in direction (more than 1 degree) or in length (more than 3%), or the last line's
/// start is offset along the lines by more than a tenth of the line pitch.
bool MrzZoneSlanted(const std::vector<MrzLine>& lines) noexcept;

} // namespace agecheck::locate
