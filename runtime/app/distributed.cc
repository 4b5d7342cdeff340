#include "runtime/app/distributed.h"

#include <cstdio>
#include <filesystem>

#include "plugins/converters/builtin.h"
#include "plugins/transforms/builtin.h"
#include "rest/forward.h"
#include "rest/server.h"
#include "runtime/app/signals.h"
#include "runtime/common/log.h"
#include "runtime/config/config_providers.h"
#include "runtime/config/properties.h"
#include "runtime/herder/distributed_herder.h"
#include "runtime/plugin_host/registry.h"
#include "storage/kafka/kafka_stores.h"

namespace sluice::app {
namespace fs = std::filesystem;

namespace {

int fail(const std::string& message) {
  std::fprintf(stderr, "sluice: %s\n", message.c_str());
  return 1;
}

// The installed plugin folder beside the binary, and the build tree's when run from there.
std::string plugins_beside_binary() {
  std::error_code ec;
  fs::path bin = fs::read_symlink("/proc/self/exe", ec).parent_path();
  if (ec) return {};
  std::string out;
  for (fs::path p : {bin / ".." / "lib" / "sluice" / "plugins", bin / ".." / "plugins-out"})
    if (fs::is_directory(p, ec)) {
      if (!out.empty()) out += ',';
      out += fs::weakly_canonical(p, ec).string();
    }
  return out;
}

void load_all_plugins(plugin_host::Registry& registry, const std::string& plugin_path) {
  if (auto st = registry.add(sluice_builtin_converters_entry(), "builtin"); !st)
    log::error("plugins", "built-in converters: ", st.error().message);
  if (auto st = registry.add(sluice_builtin_transforms_entry(), "builtin"); !st)
    log::error("plugins", "built-in transforms: ", st.error().message);
  std::string path = plugin_path.empty() ? plugins_beside_binary() : plugin_path;
  registry.load_path(path);
  log::info("plugins", registry.components().size(), " components from plugin.path=", path);
}

}  // namespace

int run_distributed(int argc, char** argv) {
  if (argc < 2 || std::string(argv[1]) == "--help" || std::string(argv[1]) == "-h") {
    std::fprintf(stderr,
                 "usage: sluice distributed WORKER.properties\n"
                 "Runs a worker of a Connect cluster, as connect-distributed: workers with the same group.id\n"
                 "share connectors and tasks; configs, offsets and statuses live in config.storage.topic,\n"
                 "offset.storage.topic and status.storage.topic. SIGINT/SIGTERM stop gracefully (offsets\n"
                 "flushed, group left); a second one exits at once.\n");
    return argc < 2 ? 2 : 0;
  }
  auto props = config::load_properties_file(argv[1]);
  if (!props) return fail(props.error().message);
  auto raw = props->to_map();
  auto providers = config::ConfigProviders::from_worker_config(raw);
  if (!providers) return fail(std::string(argv[1]) + ": " + providers.error().message);
  auto resolved = providers->resolve(raw);
  if (!resolved) return fail(std::string(argv[1]) + ": " + resolved.error().message);
  auto dist = herder::DistributedConfig::parse(*resolved);
  if (!dist) return fail(std::string(argv[1]) + ": " + dist.error().message);
  auto wcfg = worker::WorkerConfig::parse(*resolved, false);
  if (!wcfg) return fail(std::string(argv[1]) + ": " + wcfg.error().message);

  plugin_host::Registry registry;
  load_all_plugins(registry, wcfg->plugin_path);
  storage::KafkaOffsetStore offsets;
  herder::DistributedHerder* herder_ptr = nullptr;
  worker::Worker worker(*wcfg, registry, offsets, [&](const std::string& name) {
    if (herder_ptr) herder_ptr->request_reconfiguration(name);
  });
  herder::DistributedHerder::Options options;
  options.version = SLUICE_VERSION;
  options.commit = SLUICE_COMMIT;
  options.http = [](const std::string& method, const std::string& url, const std::string& body,
                    const herder::HttpHeaders& headers) -> Result<herder::HttpReply> {
    auto r = rest::http_request(method, url, body, headers, std::chrono::milliseconds(30000));
    if (!r) return r.error();
    return herder::HttpReply{r->status, r->body};
  };
  herder::DistributedHerder herder(worker, offsets, std::move(*providers), std::move(*dist), options);
  herder_ptr = &herder;
  auto rest_config = rest::RestConfig::from_worker(wcfg->raw);
  if (!rest_config) return fail(rest_config.error().message);
  auto server = rest::RestServer::start(*rest_config, herder);
  if (!server) return fail(server.error().message);
  herder.set_rest_url((*server)->advertised_url(), (*server)->worker_id());
  log::info("worker", "REST API at ", (*server)->advertised_url(), "; distributed worker of group ",
            resolved->at("group.id"), ", bootstrap.servers=", wcfg->bootstrap_servers);
  herder.start();
  std::string fatal;
  while (fatal.empty()) {
    int sig = wait_stop_signal(std::chrono::milliseconds(500));
    if (sig) {
      log::info("worker", "signal ", sig, " received: stopping (a second signal exits at once)");
      break;
    }
    fatal = herder.fatal_error();
  }
  exit_on_second_signal();
  herder.stop();
  (*server)->stop();
  if (!fatal.empty()) return fail(fatal);
  log::info("worker", "stopped");
  return 0;
}

}  // namespace sluice::app
