// SPDX-License-Identifier: Apache-2.0
#include "Sound.h"

#include <SDL.h>
#include <cstdio>
#include <utility>

namespace agecheck::kiosk {

namespace {

constexpr int kRate = 48000;

const char* Name(Tone t)
{
	return t == Tone::Over ? "over" : t == Tone::Under ? "under" : "not-verified";
}

} // namespace

Sound::Sound(bool enabled, bool report) : _enabled(enabled), _report(report)
{
	if (_enabled)
		open();
}

Sound::~Sound()
{
	if (_device) {
		SDL_CloseAudioDevice(_device);
		SDL_QuitSubSystem(SDL_INIT_AUDIO);
	}
}

bool Sound::open()
{
	if (_device || _tried)
		return _device != 0;
	_tried = true;
	SDL_AudioSpec want{}, have{};
	want.freq = kRate;
	want.format = AUDIO_S16SYS;
	want.channels = 1;
	want.samples = 1024;
	if (SDL_InitSubSystem(SDL_INIT_AUDIO) == 0) {
		_device = SDL_OpenAudioDevice(nullptr, 0, &want, &have, 0); // exactly this format: SDL converts
		if (!_device)
			SDL_QuitSubSystem(SDL_INIT_AUDIO);
	}
	if (!_device) {
		std::fprintf(stderr, "agecheck-kiosk: no audio device (%s): results are shown without sound\n", SDL_GetError());
		return false;
	}
	for (Tone t : {Tone::Over, Tone::Under, Tone::NotVerified})
		_tones[int(t)] = Synthesise(t, kRate);
	SDL_PauseAudioDevice(_device, 0);
	return true;
}

void Sound::setEnabled(bool on)
{
	_enabled = on;
	if (on)
		open();
	else if (_device)
		SDL_ClearQueuedAudio(_device);
}

void Sound::screen(Screen s)
{
	const Screen last = std::exchange(_last, s);
	if (s == last || !_enabled || !_device)
		return;
	Tone t;
	if (s == Screen::Over)
		t = Tone::Over;
	else if (s == Screen::Under)
		t = Tone::Under;
	else if (s == Screen::NotVerified)
		t = Tone::NotVerified;
	else
		return;
	const auto& samples = _tones[int(t)];
	SDL_ClearQueuedAudio(_device); // a new result cuts the last one short
	if (SDL_QueueAudio(_device, samples.data(), Uint32(samples.size() * sizeof samples[0])) == 0 && _report) {
		std::printf("sound %s\n", Name(t));
		std::fflush(stdout);
	}
}

} // namespace agecheck::kiosk
