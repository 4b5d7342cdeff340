#include "runtime/config/config_providers.h"

#include <stdlib.h>
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

using sluice::config::ConfigProviders;
using Map = std::map<std::string, std::string>;

namespace {

struct TempDir {
  std::string path;
  TempDir() {
    std::string templ = (std::filesystem::temp_directory_path() / "sluice-providers-XXXXXX").string();
    REQUIRE(mkdtemp(templ.data()) != nullptr);
    path = templ;
  }
  ~TempDir() { std::filesystem::remove_all(path); }

  std::string write(const std::string& name, const std::string& content) const {
    std::string file = path + "/" + name;
    std::filesystem::create_directories(std::filesystem::path(file).parent_path());
    std::ofstream(file, std::ios::binary) << content;
    return file;
  }
};

// Sets an environment variable for one test and removes it afterwards.
struct EnvVar {
  std::string name;
  EnvVar(std::string n, const char* value) : name(std::move(n)) { setenv(name.c_str(), value, 1); }
  ~EnvVar() { unsetenv(name.c_str()); }
};

const std::string kFile = "org.apache.kafka.common.config.provider.FileConfigProvider";
const std::string kDir = "org.apache.kafka.common.config.provider.DirectoryConfigProvider";
const std::string kEnv = "org.apache.kafka.common.config.provider.EnvVarConfigProvider";

ConfigProviders providers(const Map& worker) {
  auto r = ConfigProviders::from_worker_config(worker);
  if (!r) FAIL("unexpected error: " << r.error().message);
  return r.value();
}

Map resolve_ok(const ConfigProviders& p, const Map& raw) {
  auto r = p.resolve(raw);
  if (!r) FAIL("unexpected error: " << r.error().message);
  return r.value();
}

}  // namespace

TEST_CASE("providers: FileConfigProvider reads a key of a properties file") {
  TempDir tmp;
  std::string file = tmp.write("secrets.properties",
                               "db.password=s3cr\\u00e9t\nuser = admin\nb\\:c=colon key\n"
                               "nested=${env:SLUICE_TEST_NESTED}\n");
  EnvVar nested("SLUICE_TEST_NESTED", "expanded twice");
  auto p = providers({{"config.providers", "file,env"},
                      {"config.providers.file.class", kFile},
                      {"config.providers.env.class", kEnv}});
  CHECK(p.aliases() == std::vector<std::string>{"env", "file"});
  Map raw{{"connection.password", "${file:" + file + ":db.password}"},
          {"mixed", "u=${file:" + file + ":user};p=${file:" + file + ":db.password}"},
          {"missing", "${file:" + file + ":nope}"},
          {"colon", "${file:" + file + ":b:c}"},  // path ends at the first ':' after it
          {"nested", "${file:" + file + ":nested}"},
          {"plain", "x"}};
  const Map copy = raw;
  auto out = resolve_ok(p, raw);
  CHECK(out == Map{{"connection.password", "s3cr\xC3\xA9t"},
                   {"mixed", "u=admin;p=s3cr\xC3\xA9t"},
                   {"missing", "${file:" + file + ":nope}"},  // Kafka leaves it as written
                   {"colon", "colon key"},
                   {"nested", "${env:SLUICE_TEST_NESTED}"},  // replacements are not scanned again
                   {"plain", "x"}});
  CHECK(raw == copy);
}

TEST_CASE("providers: FileConfigProvider errors name the file") {
  TempDir tmp;
  auto p = providers({{"config.providers", "file"}, {"config.providers.file.class", kFile}});
  std::string missing = tmp.path + "/absent.properties";
  auto r = p.resolve({{"pw", "${file:" + missing + ":k}"}});
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message == "Could not read properties file \"" + missing +
                                 "\": No such file or directory (referenced by config \"pw\")");

  std::string bad = tmp.write("bad.properties", "k=\\u00G0\n");
  auto r2 = p.resolve({{"pw", "${file:" + bad + ":k}"}});
  REQUIRE_FALSE(r2.ok());
  CHECK_THAT(r2.error().message, Catch::StartsWith(bad + ", line 1: malformed \\uXXXX escape"));
}

TEST_CASE("providers: DirectoryConfigProvider reads a whole file") {
  TempDir tmp;
  tmp.write("secrets/password", "hunter2\n");
  tmp.write("secrets/.hidden", "h");
  tmp.write("secrets/sub/inner", "deep");
  tmp.write("outside", "o");
  std::string dir = tmp.path + "/secrets";
  auto p = providers({{"config.providers", "dir"}, {"config.providers.dir.class", kDir}});
  Map raw{{"password", "${dir:" + dir + ":password}"},
          {"hidden", "${dir:" + dir + ":.hidden}"},
          {"missing", "${dir:" + dir + ":nope}"},
          {"subdir", "${dir:" + dir + ":sub}"},
          {"nested", "${dir:" + dir + ":sub/inner}"},
          {"escape", "${dir:" + dir + ":../outside}"},
          {"not_a_dir", "${dir:" + tmp.path + "/outside:x}"},
          {"no_path", "${dir:password}"}};
  auto out = resolve_ok(p, raw);
  Map expected = raw;
  expected["password"] = "hunter2\n";  // no trimming, as in Kafka
  expected["hidden"] = "h";
  CHECK(out == expected);
}

TEST_CASE("providers: EnvVarConfigProvider") {
  EnvVar a("SLUICE_TEST_ALLOWED_A", "value-a");
  EnvVar b("SLUICE_TEST_OTHER_B", "value-b");
  EnvVar empty("SLUICE_TEST_ALLOWED_EMPTY", "");
  SECTION("without an allowlist every variable is readable") {
    auto p = providers({{"config.providers", "env"}, {"config.providers.env.class", kEnv}});
    auto out = resolve_ok(p, {{"a", "${env:SLUICE_TEST_ALLOWED_A}"},
                              {"b", "pre-${env:SLUICE_TEST_OTHER_B}-post"},
                              {"e", "[${env:SLUICE_TEST_ALLOWED_EMPTY}]"},
                              {"unset", "${env:SLUICE_TEST_NOT_SET_ANYWHERE}"}});
    CHECK(out == Map{{"a", "value-a"},
                     {"b", "pre-value-b-post"},
                     {"e", "[]"},
                     {"unset", "${env:SLUICE_TEST_NOT_SET_ANYWHERE}"}});
  }
  SECTION("the allowlist must match the whole name") {
    auto p = providers({{"config.providers", "env"},
                        {"config.providers.env.class", kEnv},
                        {"config.providers.env.param.allowlist.pattern", "SLUICE_TEST_ALLOWED_.*"}});
    auto out = resolve_ok(p, {{"a", "${env:SLUICE_TEST_ALLOWED_A}"}, {"b", "${env:SLUICE_TEST_OTHER_B}"}});
    CHECK(out == Map{{"a", "value-a"}, {"b", "${env:SLUICE_TEST_OTHER_B}"}});

    auto partial = providers({{"config.providers", "env"},
                              {"config.providers.env.class", kEnv},
                              {"config.providers.env.param.allowlist.pattern", "ALLOWED"}});
    CHECK(resolve_ok(partial, {{"a", "${env:SLUICE_TEST_ALLOWED_A}"}}) ==
          Map{{"a", "${env:SLUICE_TEST_ALLOWED_A}"}});
  }
  SECTION("a path is an error") {
    auto p = providers({{"config.providers", "env"}, {"config.providers.env.class", kEnv}});
    auto r = p.resolve({{"a", "${env:/etc:SLUICE_TEST_ALLOWED_A}"}});
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().message ==
          "Path is not supported for EnvVarConfigProvider, invalid value '/etc': write ${env:NAME} "
          "(referenced by config \"a\")");
  }
  SECTION("a bad allowlist pattern names its key") {
    auto r = ConfigProviders::from_worker_config({{"config.providers", "env"},
                                                  {"config.providers.env.class", kEnv},
                                                  {"config.providers.env.param.allowlist.pattern", "("}});
    REQUIRE_FALSE(r.ok());
    CHECK_THAT(r.error().message,
               Catch::StartsWith("config.providers.env.param.allowlist.pattern: invalid regular expression"));
  }
}

TEST_CASE("providers: allowed.paths") {
  TempDir tmp;
  std::string inside = tmp.write("allowed/secrets.properties", "k=in\n");
  tmp.write("allowed/dir/name", "dir-in");
  tmp.write("other/secrets.properties", "k=out\n");
  tmp.write("allowedx/secrets.properties", "k=sibling\n");
  std::string allowed = tmp.path + "/allowed";
  auto p = providers({{"config.providers", "file,dir"},
                      {"config.providers.file.class", kFile},
                      {"config.providers.file.param.allowed.paths", tmp.path + "/allowed/dir/..," + allowed},
                      {"config.providers.dir.class", kDir},
                      {"config.providers.dir.param.allowed.paths", allowed}});
  Map raw{{"in", "${file:" + inside + ":k}"},
          {"in_dotted", "${file:" + allowed + "/./x/../secrets.properties:k}"},
          {"out", "${file:" + tmp.path + "/other/secrets.properties:k}"},
          {"dotdot", "${file:" + allowed + "/../other/secrets.properties:k}"},
          {"sibling", "${file:" + tmp.path + "/allowedx/secrets.properties:k}"},
          {"relative", "${file:allowed/secrets.properties:k}"},
          {"dir_in", "${dir:" + allowed + "/dir:name}"},
          {"dir_out", "${dir:" + allowed + "/../other:secrets.properties}"}};
  auto out = resolve_ok(p, raw);
  Map expected = raw;  // everything outside stays as written (and is logged)
  expected["in"] = "in";
  expected["in_dotted"] = "in";
  expected["dir_in"] = "dir-in";
  CHECK(out == expected);
}

TEST_CASE("providers: invalid allowed.paths are refused up front") {
  TempDir tmp;
  for (const std::string& bad : {std::string("relative/path"), tmp.path + "/does-not-exist",
                                 tmp.path + ", " + tmp.path}) {
    auto r = ConfigProviders::from_worker_config({{"config.providers", "file"},
                                                  {"config.providers.file.class", kFile},
                                                  {"config.providers.file.param.allowed.paths", bad}});
    REQUIRE_FALSE(r.ok());
    CHECK_THAT(r.error().message,
               Catch::StartsWith("config.providers.file.param.allowed.paths: path \"") &&
                   Catch::EndsWith("\" is not valid; each comma separated path must be absolute and exist"));
  }
}

TEST_CASE("providers: references that are not ours stay as written") {
  EnvVar a("SLUICE_TEST_VAR", "v");
  auto p = providers({{"config.providers", " env , file2 ,"},
                      {"config.providers.env.class", kEnv}});  // file2 has no class: skipped
  CHECK(p.aliases() == std::vector<std::string>{"env"});
  Map raw{{"unknown_alias", "${vault:secret/db:password}"},
          {"no_class", "${file2:/x:y}"},
          {"no_colon", "${SLUICE_TEST_VAR}"},
          {"empty", "${}"},
          {"unclosed", "${env:SLUICE_TEST_VAR"},
          {"mixed", "${SLUICE_TEST_VAR}/${env:SLUICE_TEST_VAR}/$${env:SLUICE_TEST_VAR}}"}};
  auto out = resolve_ok(p, raw);
  Map expected = raw;
  expected["mixed"] = "${SLUICE_TEST_VAR}/v/$v}";
  CHECK(out == expected);
}

TEST_CASE("providers: class errors and the empty set") {
  auto r = ConfigProviders::from_worker_config(
      {{"config.providers", "vault"}, {"config.providers.vault.class", "com.example.VaultConfigProvider"}});
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message ==
        "config.providers.vault.class: unsupported config provider class \"com.example.VaultConfigProvider\"; "
        "supported classes are org.apache.kafka.common.config.provider.FileConfigProvider, "
        "org.apache.kafka.common.config.provider.DirectoryConfigProvider and "
        "org.apache.kafka.common.config.provider.EnvVarConfigProvider");

  ConfigProviders none;
  CHECK(none.empty());
  Map raw{{"a", "${env:HOME}"}};
  CHECK(resolve_ok(none, raw) == raw);
  CHECK(providers({}).empty());
  CHECK(providers({{"config.providers", ""}}).empty());
}
