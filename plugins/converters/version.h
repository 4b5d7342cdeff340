#pragma once

namespace sluice::converters {
// The version every built-in converter reports (the plugin's version).
inline constexpr const char* kVersion = "0.1.0";
}  // namespace sluice::converters
