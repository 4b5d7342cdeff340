#include "runtime/herder/session_key.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

namespace sluice::herder {

namespace {

const EVP_MD* digest_of(std::string_view algorithm) {
  if (algorithm == "HmacSHA1") return EVP_sha1();
  if (algorithm == "HmacSHA224") return EVP_sha224();
  if (algorithm == "HmacSHA256") return EVP_sha256();
  if (algorithm == "HmacSHA384") return EVP_sha384();
  if (algorithm == "HmacSHA512") return EVP_sha512();
  return nullptr;
}

Error unsupported(std::string_view algorithm) {
  return Error::fatal(std::string(algorithm) + " not available (supported: HmacSHA1, HmacSHA224, HmacSHA256, "
                      "HmacSHA384, HmacSHA512)");
}

}  // namespace

bool mac_algorithm_supported(std::string_view algorithm) { return digest_of(algorithm) != nullptr; }

Result<std::string> hmac(std::string_view algorithm, std::string_view key, std::string_view data) {
  const EVP_MD* md = digest_of(algorithm);
  if (!md) return unsupported(algorithm);
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (!HMAC(md, key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(data.data()),
            data.size(), out, &len))
    return Error::fatal("HMAC failed for " + std::string(algorithm));
  return std::string(reinterpret_cast<char*>(out), len);
}

Result<std::string> generate_session_key(std::string_view algorithm, int size_bits) {
  const EVP_MD* md = digest_of(algorithm);
  if (!md) return unsupported(algorithm);
  size_t bytes;
  if (size_bits <= 0) {
    bytes = algorithm == "HmacSHA1" ? 64 : static_cast<size_t>(EVP_MD_size(md));
  } else {
    if (size_bits < 40) return Error::fatal("Key length must be at least 40 bits");
    bytes = static_cast<size_t>(size_bits + 7) / 8;
  }
  std::string key(bytes, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(key.data()), static_cast<int>(bytes)) != 1)
    return Error::fatal("cannot generate a session key: the random generator failed");
  return key;
}

bool equal_constant_time(std::string_view a, std::string_view b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace sluice::herder
