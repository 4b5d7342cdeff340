#pragma once
// The `sessioned` protocol's request signing (KIP-507, spec kafka-connect.md §1.1): the
// leader's session key and the HMAC over an internal request's body that Java's
// InternalRequestSignature computes. Algorithm names are Java's (javax.crypto Mac and
// KeyGenerator names); the work is OpenSSL's libcrypto.

#include <string>
#include <string_view>

#include "runtime/common/error.h"

namespace sluice::herder {

// The Mac algorithms this build can compute: HmacSHA1, HmacSHA224, HmacSHA256, HmacSHA384,
// HmacSHA512.
bool mac_algorithm_supported(std::string_view algorithm);

// The raw HMAC of `data` keyed with `key`.
Result<std::string> hmac(std::string_view algorithm, std::string_view key, std::string_view data);

// A fresh random key for `algorithm`, as javax.crypto.KeyGenerator makes it: `size_bits` <= 0
// takes the generator's default (the digest's output size; 64 bytes for HmacSHA1), others
// round up to whole bytes and must be at least 40 bits.
Result<std::string> generate_session_key(std::string_view algorithm, int size_bits);

// Compares in time independent of where the inputs differ (MessageDigest.isEqual).
bool equal_constant_time(std::string_view a, std::string_view b);

// Headers of a signed internal request.
inline constexpr const char* kSignatureHeader = "X-Connect-Authorization";
inline constexpr const char* kSignatureAlgorithmHeader = "X-Connect-Request-Signature-Algorithm";

}  // namespace sluice::herder
