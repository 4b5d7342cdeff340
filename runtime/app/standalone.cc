#include "runtime/app/standalone.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <iostream>

#include "plugins/converters/builtin.h"
#include "plugins/transforms/builtin.h"
#include "rest/server.h"
#include "runtime/app/connector_file.h"
#include "runtime/app/signals.h"
#include "runtime/common/log.h"
#include "runtime/config/config_providers.h"
#include "runtime/config/properties.h"
#include "runtime/herder/standalone_herder.h"
#include "runtime/kafka/cluster.h"
#include "runtime/plugin_host/registry.h"
#include "storage/file/file_backing_store.h"

namespace sluice::app {
namespace fs = std::filesystem;

namespace {

int fail(const std::string& message) {
  std::fprintf(stderr, "sluice: %s\n", message.c_str());
  return 1;
}

// Where plugins are when plugin.path is not set: the installed plugin folder beside the
// binary, and the build tree's when run from there.
std::string default_plugin_path() {
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (ec) return {};
  fs::path bin = exe.parent_path();
  std::string out;
  for (fs::path p : {bin / ".." / "lib" / "sluice" / "plugins", bin / ".." / "plugins-out"}) {
    if (!fs::is_directory(p, ec)) continue;
    if (!out.empty()) out += ',';
    out += fs::weakly_canonical(p, ec).string();
  }
  return out;
}

void load_plugins(plugin_host::Registry& registry, const std::string& plugin_path) {
  if (auto st = registry.add(sluice_builtin_converters_entry(), "builtin"); !st)
    log::error("plugins", "built-in converters: ", st.error().message);
  if (auto st = registry.add(sluice_builtin_transforms_entry(), "builtin"); !st)
    log::error("plugins", "built-in transforms: ", st.error().message);
  std::string path = plugin_path.empty() ? default_plugin_path() : plugin_path;
  registry.load_path(path);
  log::info("plugins", registry.components().size(), " components from plugin.path=", path,
            registry.failures().empty() ? "" : " (" + std::to_string(registry.failures().size()) + " files skipped)");
}

struct LoadedWorker {
  worker::WorkerConfig config;
  config::ConfigProviders providers;
};

Result<LoadedWorker> load_worker(const std::string& path, bool standalone) {
  auto props = config::load_properties_file(path);
  if (!props) return props.error();
  auto raw = props->to_map();
  auto providers = config::ConfigProviders::from_worker_config(raw);
  if (!providers) return Error::fatal(path + ": " + providers.error().message, Stage::Config);
  auto resolved = providers->resolve(raw);
  if (!resolved) return Error::fatal(path + ": " + resolved.error().message, Stage::Config);
  auto cfg = worker::WorkerConfig::parse(std::move(*resolved), standalone);
  if (!cfg) return Error::fatal(path + ": " + cfg.error().message, Stage::Config);
  return LoadedWorker{std::move(*cfg), std::move(*providers)};
}

// Connect's first step too: talk to the cluster with the worker's own client settings.
Result<std::string> check_cluster(const worker::WorkerConfig& cfg) {
  kafka::JavaProps top = cfg.raw;
  top["bootstrap.servers"] = cfg.bootstrap_servers;
  auto props = kafka::common_client_settings(top);
  if (!props) return props.error();
  auto id = kafka::describe_cluster(*props, static_cast<int>(cfg.request_timeout_ms));
  if (!id) return id.error();
  log::info("worker", "Kafka cluster ID: ", *id);
  return id;
}

void log_progress(herder::StandaloneHerder& herder, const worker::Worker& worker) {
  for (auto& name : herder.connectors()) {
    auto st = herder.connector_status(name);
    if (!st) continue;
    std::string tasks;
    for (auto& t : st->tasks) {
      tasks += ' ';
      tasks += std::to_string(t.id);
      tasks += '=';
      tasks += t.state;
    }
    uint64_t skipped = worker.skipped(name);
    log::info(name, "connector ", st->state, ", tasks", tasks.empty() ? " none" : tasks,
              ", records delivered: ", worker.delivered(name),
              skipped ? ", skipped after errors: " + std::to_string(skipped) : "");
  }
}

}  // namespace

int run_standalone(int argc, char** argv) {
  if (argc < 2 || std::string(argv[1]) == "--help" || std::string(argv[1]) == "-h") {
    std::fprintf(stderr,
                 "usage: sluice standalone WORKER.properties [CONNECTOR.properties|CONNECTOR.json ...]\n"
                 "Runs connectors in this process, as connect-standalone; offsets are kept in\n"
                 "offset.storage.file.filename. SIGINT/SIGTERM stop gracefully; a second one exits at once.\n");
    return argc < 2 ? 2 : 0;
  }
  auto loaded = load_worker(argv[1], true);
  if (!loaded) return fail(loaded.error().message);
  std::vector<ConnectorFile> connectors;
  for (int i = 2; i < argc; ++i) {
    auto c = load_connector_file(argv[i]);
    if (!c) return fail(c.error().message);
    connectors.push_back(std::move(*c));
  }
  auto cluster_id = check_cluster(loaded->config);
  if (!cluster_id) return fail(cluster_id.error().message);
  plugin_host::Registry registry;
  load_plugins(registry, loaded->config.plugin_path);
  auto store = storage::FileOffsetBackingStore::open(loaded->config.offset_storage_file);
  if (!store) return fail(store.error().message);

  herder::StandaloneHerder* herder_ptr = nullptr;
  worker::Worker worker(loaded->config, registry, **store, [&](const std::string& name) {
    if (herder_ptr) herder_ptr->request_reconfiguration(name);
  });
  herder::StandaloneHerder::Options options;
  options.connectors_file = loaded->config.offset_storage_file + ".connectors.json";
  options.version = SLUICE_VERSION;
  options.commit = SLUICE_COMMIT;
  options.kafka_cluster_id = *cluster_id;
  herder::StandaloneHerder herder(worker, std::move(loaded->providers), options);
  herder_ptr = &herder;
  auto rest_config = rest::RestConfig::from_worker(loaded->config.raw);
  if (!rest_config) return fail(rest_config.error().message);
  auto server = rest::RestServer::start(*rest_config, herder);
  if (!server) return fail(server.error().message);
  herder.set_worker_id((*server)->worker_id());
  log::info("worker", "REST API at ", (*server)->advertised_url());
  if (auto st = herder.restore(); !st) return fail(st.error().message);
  log::info("worker", "standalone worker started; bootstrap.servers=", loaded->config.bootstrap_servers,
            ", offsets in ", loaded->config.offset_storage_file);
  int rc = 0;
  for (auto& c : connectors) {
    if (auto st = herder.put_connector_config(c.name, c.config, true, herder::InitialState::Running); !st) {
      // As connect-standalone: a connector that cannot be created stops the worker.
      std::string msg = st.error().message;
      std::replace(msg.begin(), msg.end(), '\n', ' ');
      std::fprintf(stderr, "sluice: connector %s: %s\n", c.name.c_str(), msg.c_str());
      rc = 1;
      break;
    }
  }
  herder.set_ready();
  auto next_progress = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (rc == 0) {
    int sig = wait_stop_signal(std::chrono::milliseconds(500));
    if (sig) {
      log::info("worker", "signal ", sig, " received: stopping (a second signal exits at once)");
      break;
    }
    herder.tick();
    if (std::chrono::steady_clock::now() >= next_progress) {
      log_progress(herder, worker);
      next_progress += std::chrono::seconds(10);
    }
  }
  exit_on_second_signal();
  (*server)->stop();
  log_progress(herder, worker);
  herder.stop();
  log::info("worker", "stopped");
  return rc;
}

int run_plugins(int argc, char** argv) {
  std::string plugin_path;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--plugin-path" && i + 1 < argc) {
      plugin_path = argv[++i];
    } else if (a == "--help" || a == "-h") {
      std::printf("usage: sluice plugins [--plugin-path DIRS] [WORKER.properties]\n");
      return 0;
    } else {
      auto props = config::load_properties_file(a);
      if (!props) return fail(props.error().message);
      plugin_path = props->get_or("plugin.path", "");
    }
  }
  plugin_host::Registry registry;
  load_plugins(registry, plugin_path);
  std::printf("%-20s %-70s %-10s %s\n", "KIND", "CLASS", "VERSION", "FROM");
  for (auto& c : registry.components())
    std::printf("%-20s %-70s %-10s %s\n", plugin_host::kind_name(c.kind), c.class_name.c_str(),
                c.version.c_str(), c.origin.c_str());
  for (auto& f : registry.failures()) std::printf("skipped %s: %s\n", f.path.c_str(), f.reason.c_str());
  return 0;
}

}  // namespace sluice::app
