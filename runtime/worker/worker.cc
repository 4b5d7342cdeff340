#include "runtime/worker/worker.h"

#include "runtime/common/log.h"
#include "runtime/worker/offset_reader.h"

namespace sluice::worker {

namespace {

Error from_api(const api::Status& s, Stage stage) {
  return s.is_retriable() ? Error::retry(s.message(), stage) : Error::fatal(s.message(), stage);
}

std::string get(const api::Config& c, const std::string& k, const std::string& def = "") {
  auto it = c.find(k);
  return it == c.end() ? def : it->second;
}

}  // namespace

struct Worker::ConnectorRun : api::ConnectorContext {
  ConnectorRun(std::string n, storage::OffsetBackingStore& store, ReconfigureFn fn)
      : name(std::move(n)), reader(name, store), on_reconfigure(std::move(fn)) {}
  void request_task_reconfiguration() override {
    if (on_reconfigure) on_reconfigure(name);
  }
  void raise_error(const std::string& message) override {
    log::error(name, "connector failed: ", message);
    status.set(State::Failed, "org.apache.kafka.connect.errors.ConnectException: " + message);
  }
  api::OffsetStorageReader& offset_storage_reader() override { return reader; }

  std::string name;
  OffsetReader reader;
  ReconfigureFn on_reconfigure;
  api::Config config;
  std::unique_ptr<api::SourceConnectorHandle> handle;
  StatusCell status;
};

Worker::Worker(WorkerConfig config, const plugin_host::Registry& registry,
               storage::OffsetBackingStore& offsets, ReconfigureFn on_reconfigure)
    : config_(std::move(config)), registry_(registry), offsets_(offsets),
      on_reconfigure_(std::move(on_reconfigure)) {
  if (config_.task_auto_restart) {
    log::info("worker", "sluice.task.auto.restart.enable=true: FAILED tasks are restarted after ",
              config_.task_auto_restart_backoff_initial_ms, " ms, doubling up to ",
              config_.task_auto_restart_backoff_max_ms, " ms, at most ",
              config_.task_auto_restart_max_attempts < 0 ? std::string("unlimited")
                                                          : std::to_string(config_.task_auto_restart_max_attempts),
              " times in a row");
    supervisor_ = std::thread([this] { supervise(); });
  }
}

Worker::~Worker() {
  {
    std::lock_guard lock(supervisor_mu_);
    supervisor_stop_ = true;
  }
  supervisor_cv_.notify_all();
  if (supervisor_.joinable()) supervisor_.join();
  stop_all();
}

void Worker::supervise() {
  std::unique_lock lock(supervisor_mu_);
  while (!supervisor_stop_) {
    supervisor_cv_.wait_for(lock, std::chrono::milliseconds(200), [this] { return supervisor_stop_; });
    if (supervisor_stop_) break;
    lock.unlock();
    supervise_once();
    lock.lock();
  }
}

void Worker::supervise_once() {
  using Clock = std::chrono::steady_clock;
  const auto now = Clock::now();
  const int64_t max_attempts = config_.task_auto_restart_max_attempts;
  const std::string limit = max_attempts < 0 ? "unlimited" : std::to_string(max_attempts);
  struct Due {
    TaskId id;
    uint64_t generation;
  };
  std::vector<Due> due;
  {
    std::lock_guard lock(mu_);
    for (auto& [connector, runners] : tasks_) {
      for (auto& r : runners) {
        auto it = restarts_.find(r->id().str());
        if (it == restarts_.end()) continue;
        RestartState& st = it->second;
        StatusSnapshot snap = r->status();
        const std::string& key = it->first;
        if (snap.state == State::Running && st.attempts > 0 && !st.scheduled &&
            now - st.started >= std::chrono::milliseconds(config_.task_auto_restart_backoff_max_ms)) {
          log::info(key, "[sluice.task.auto.restart] task running again since its restart ", st.attempts,
                    ": its restarts count from zero again");
          st.attempts = 0;
        }
        if (snap.state != State::Failed || st.gave_up) continue;
        if (!st.scheduled) {
          if (max_attempts >= 0 && st.attempts >= max_attempts) {
            st.gave_up = true;
            r->append_trace(st.history + "\n[sluice.task.auto.restart] gave up after " + std::to_string(st.attempts) +
                            " restarts in a row (sluice.task.auto.restart.max.attempts=" + limit + ")");
            log::error(key, "[sluice.task.auto.restart] task FAILED again; gave up after ", st.attempts,
                       " restarts in a row: restart it through the REST API");
            continue;
          }
          int64_t delay = config_.task_auto_restart_backoff_initial_ms;
          for (int64_t i = 0; i < st.attempts && delay < config_.task_auto_restart_backoff_max_ms; ++i) delay *= 2;
          delay = std::min(delay, config_.task_auto_restart_backoff_max_ms);
          st.scheduled = true;
          st.next = now + std::chrono::milliseconds(delay);
          std::string cause = snap.trace.substr(0, snap.trace.find('\n'));
          st.pending = cause;
          r->append_trace(st.history + "\n[sluice.task.auto.restart] restart " + std::to_string(st.attempts + 1) +
                          " of " + limit + " in " + std::to_string(delay) + " ms");
          log::warn(key, "[sluice.task.auto.restart] task FAILED (", cause, "); restart ", st.attempts + 1, " of ",
                    limit, " in ", delay, " ms");
        } else if (now >= st.next) {
          due.push_back({r->id(), st.generation});
        }
      }
    }
  }
  for (auto& d : due) {
    std::lock_guard control(control_mu_);
    api::Config cc, tc;
    int64_t attempt = 0;
    {
      std::lock_guard lock(mu_);
      auto it = restarts_.find(d.id.str());
      // Stopped, deleted or restarted by the herder since: not ours to restart any more.
      if (it == restarts_.end() || it->second.generation != d.generation) continue;
      cc = it->second.connector_config;
      tc = it->second.task_config;
      attempt = it->second.attempts + 1;
    }
    std::unique_ptr<SourceTaskRunner> old;
    bool paused = false;
    {
      std::lock_guard lock(mu_);
      if (auto c = connectors_.find(d.id.connector); c != connectors_.end())
        paused = c->second->status.get().state == State::Paused;
      if (auto it = tasks_.find(d.id.connector); it != tasks_.end())
        for (auto r = it->second.begin(); r != it->second.end(); ++r)
          if ((*r)->id().task == d.id.task) {
            old = std::move(*r);
            it->second.erase(r);
            break;
          }
    }
    if (old) {
      old->request_stop();
      old->join();
    }
    log::info(d.id.str(), "[sluice.task.auto.restart] restarting the task (restart ", attempt, " of ", limit, ")");
    if (auto st = launch_task(d.id, cc, tc, paused, false); !st) {
      log::error(d.id.str(), "[sluice.task.auto.restart] restart ", attempt, " failed: ", st.error().message);
      std::lock_guard lock(mu_);
      if (auto it = restarts_.find(d.id.str()); it != restarts_.end()) {
        it->second.attempts = attempt;
        it->second.scheduled = false;
      }
    }
  }
}

Status Worker::start_connector(const std::string& name, const api::Config& config) {
  auto handle = registry_.create_source_connector(get(config, "connector.class"));
  if (!handle) return handle.error();
  auto run = std::make_unique<ConnectorRun>(name, offsets_, on_reconfigure_);
  run->config = config;
  run->handle = std::move(*handle);
  if (auto s = run->handle->initialize(*run); !s.is_ok()) return from_api(s, Stage::Plugin);
  if (auto s = run->handle->start(config); !s.is_ok()) {
    run->status.set(State::Failed, s.message());
    std::lock_guard lock(mu_);
    connectors_[name] = std::move(run);
    return from_api(s, Stage::Plugin);
  }
  run->status.set(State::Running);
  log::info(name, "connector started");
  std::lock_guard lock(mu_);
  connectors_[name] = std::move(run);
  return {};
}

Result<std::vector<api::Config>> Worker::task_configs(const std::string& name) {
  std::lock_guard lock(mu_);
  auto it = connectors_.find(name);
  if (it == connectors_.end()) return Error::fatal("connector " + name + " is not running");
  int max_tasks = static_cast<int>(api::config_value::get_long(it->second->config, "tasks.max", 1));
  std::vector<api::Config> out;
  if (auto s = it->second->handle->task_configs(max_tasks, out); !s.is_ok())
    return from_api(s, Stage::Plugin);
  if (static_cast<int>(out.size()) > max_tasks)
    return Error::fatal("connector " + name + " made " + std::to_string(out.size()) +
                        " task configs, more than tasks.max=" + std::to_string(max_tasks));
  return out;
}

Result<std::unique_ptr<api::ConverterHandle>> Worker::make_converter(bool is_key,
                                                                     const api::Config& cc) const {
  std::string key = is_key ? "key.converter" : "value.converter";
  std::string cls = get(cc, key);
  api::Config sub = cls.empty() ? with_prefix(config_.raw, key + ".") : with_prefix(cc, key + ".");
  if (cls.empty()) cls = is_key ? config_.key_converter : config_.value_converter;
  auto conv = registry_.create_converter(cls);
  if (!conv) return conv.error();
  if (auto s = (*conv)->configure(sub, is_key); !s.is_ok())
    return Error::fatal(key + " " + cls + ": " + s.message(), Stage::Config);
  return std::move(*conv);
}

Result<std::unique_ptr<api::HeaderConverterHandle>> Worker::make_header_converter(
    const api::Config& cc) const {
  std::string cls = get(cc, "header.converter");
  api::Config sub = cls.empty() ? with_prefix(config_.raw, "header.converter.")
                                : with_prefix(cc, "header.converter.");
  if (cls.empty()) cls = config_.header_converter;
  auto conv = registry_.create_header_converter(cls);
  if (!conv) return conv.error();
  if (auto s = (*conv)->configure(sub); !s.is_ok())
    return Error::fatal("header.converter " + cls + ": " + s.message(), Stage::Config);
  return std::move(*conv);
}

Result<kafka::RdProps> Worker::producer_props(const TaskId& id, const api::Config& cc) const {
  // Connect's framework defaults for source producers, then the user's settings on top:
  // the worker's common client settings, producer.*, then the connector's producer.override.*.
  kafka::RdProps props = {
      {"acks", "all"},
      {"enable.idempotence", "true"},
      {"max.in.flight.requests.per.connection", "5"},
      {"partitioner", "murmur2_random"},  // where Java's producer puts keyed records
      {"message.timeout.ms", "0"},        // never give up on a record while the task runs
      {"queue.buffering.max.messages", "20000"},
      {"queue.buffering.max.kbytes", "32768"},  // Java's buffer.memory default
      {"client.id", "connector-producer-" + id.str()},
  };
  kafka::JavaProps top = config_.raw;
  top["bootstrap.servers"] = config_.bootstrap_servers;
  auto base = kafka::common_client_settings(top);
  if (!base) return base.error();
  props.insert(props.end(), base->begin(), base->end());
  for (auto [prefix, source] : {std::pair{"producer.", &config_.raw}, std::pair{"producer.override.", &cc}}) {
    auto tr = kafka::translate_producer(with_prefix(*source, prefix), prefix);
    if (!tr) return tr.error();
    props.insert(props.end(), tr->begin(), tr->end());
  }
  return props;
}

Result<kafka::RdProps> Worker::admin_props(const TaskId& id, const api::Config& cc) const {
  // Connect's topic-creation admin client: the worker's common client settings, admin.*, then
  // the connector's admin.override.*.
  kafka::RdProps props = {{"client.id", "connector-adminclient-" + id.str()}};
  kafka::JavaProps top = config_.raw;
  top["bootstrap.servers"] = config_.bootstrap_servers;
  auto base = kafka::common_client_settings(top);
  if (!base) return base.error();
  props.insert(props.end(), base->begin(), base->end());
  for (auto [prefix, source] : {std::pair{"admin.", &config_.raw}, std::pair{"admin.override.", &cc}}) {
    auto tr = kafka::translate_common(with_prefix(*source, prefix), prefix);
    if (!tr) return tr.error();
    props.insert(props.end(), tr->begin(), tr->end());
  }
  return props;
}

Status Worker::start_task(const TaskId& id, const api::Config& cc, const api::Config& task_config,
                          bool paused) {
  std::lock_guard control(control_mu_);
  return launch_task(id, cc, task_config, paused, true);
}

Status Worker::launch_task(const TaskId& id, const api::Config& cc, const api::Config& task_config, bool paused,
                           bool fresh) {
  auto factory = registry_.create_source_connector(get(cc, "connector.class"));
  if (!factory) return factory.error();
  SourceTaskParts parts;
  parts.id = id;
  parts.task_config = task_config;
  if (auto s = (*factory)->create_task(parts.task); !s.is_ok()) return from_api(s, Stage::Plugin);
  auto key = make_converter(true, cc);
  if (!key) return key.error();
  auto value = make_converter(false, cc);
  if (!value) return value.error();
  auto header = make_header_converter(cc);
  if (!header) return header.error();
  auto props = producer_props(id, cc);
  if (!props) return props.error();
  auto chain = TransformChain::build(registry_, cc);
  if (!chain) return chain.error();
  auto errors = ErrorPolicy::from_connector_config(cc);
  if (!errors) return errors.error();
  auto class_of = [&](uint32_t kind, const std::string& setting, const std::string& fallback) {
    std::string cls = get(cc, setting, fallback);
    const plugin_host::Component* c = registry_.find(kind, cls);
    return c ? c->class_name : cls;
  };
  parts.key_converter_class = class_of(SLUICE_CONVERTER, "key.converter", config_.key_converter);
  parts.value_converter_class = class_of(SLUICE_CONVERTER, "value.converter", config_.value_converter);
  parts.header_converter_class = class_of(SLUICE_HEADER_CONVERTER, "header.converter", config_.header_converter);
  parts.chain = std::move(*chain);
  parts.errors = *errors;
  bool create_topics = true;
  try {
    create_topics = api::config_value::get_bool(config_.raw, "topic.creation.enable", true);
  } catch (const std::exception& e) {
    return Error::fatal(e.what(), Stage::Config);
  }
  auto topic_creation = TopicCreation::from_config(create_topics, cc);
  if (!topic_creation) return topic_creation.error();
  parts.topic_creation = std::move(*topic_creation);
  if (parts.topic_creation) {
    auto admin = admin_props(id, cc);
    if (!admin) return admin.error();
    parts.admin_props = std::move(*admin);
    parts.admin_timeout_ms = static_cast<int>(config_.request_timeout_ms);
  }
  parts.key_converter = std::move(*key);
  parts.value_converter = std::move(*value);
  parts.header_converter = std::move(*header);
  parts.producer_props = std::move(*props);
  parts.offsets = &offsets_;
  parts.flush_interval = std::chrono::milliseconds(config_.offset_flush_interval_ms);
  parts.flush_timeout = std::chrono::milliseconds(config_.offset_flush_timeout_ms);
  parts.shutdown_timeout = std::chrono::milliseconds(config_.task_shutdown_graceful_timeout_ms);
  {
    std::lock_guard lock(mu_);
    auto& topics = topics_[id.connector];
    if (!topics) {
      TopicSet::Listener on_new;
      if (topic_listener_)
        on_new = [fn = topic_listener_, connector = id.connector](const std::string& topic, int task) {
          (*fn)(connector, topic, task);
        };
      topics = std::make_shared<TopicSet>(std::move(on_new));
    }
    parts.topics = topics;
  }
  auto runner = std::make_unique<SourceTaskRunner>(std::move(parts));
  if (paused) runner->set_paused(true);
  runner->start();
  std::lock_guard lock(mu_);
  tasks_[id.connector].push_back(std::move(runner));
  RestartState& rs = restarts_[id.str()];
  if (fresh) {
    rs = RestartState{};
  } else {
    ++rs.attempts;
    rs.history += "\n[sluice.task.auto.restart] restart " + std::to_string(rs.attempts) + " after: " + rs.pending;
  }
  rs.connector_config = cc;
  rs.task_config = task_config;
  rs.scheduled = false;
  rs.gave_up = false;
  rs.started = std::chrono::steady_clock::now();
  rs.generation = ++generation_;
  return {};
}

void Worker::stop_task(const TaskId& id) {
  std::lock_guard control(control_mu_);
  std::unique_ptr<SourceTaskRunner> runner;
  {
    std::lock_guard lock(mu_);
    restarts_.erase(id.str());
    auto it = tasks_.find(id.connector);
    if (it == tasks_.end()) return;
    auto& v = it->second;
    for (auto r = v.begin(); r != v.end(); ++r)
      if ((*r)->id().task == id.task) {
        runner = std::move(*r);
        v.erase(r);
        break;
      }
  }
  if (runner) {
    runner->request_stop();
    runner->join();
  }
}

Status Worker::restart_connector_instance(const std::string& connector) {
  api::Config config;
  bool paused = false;
  std::unique_ptr<ConnectorRun> old;
  {
    std::lock_guard lock(mu_);
    auto it = connectors_.find(connector);
    if (it == connectors_.end()) return Error::with_status(404, "Unknown connector: " + connector);
    config = it->second->config;
    paused = it->second->status.get().state == State::Paused;
    old = std::move(it->second);
    connectors_.erase(it);
  }
  if (auto s = old->handle->stop(); !s.is_ok()) log::warn(connector, "connector stop failed: ", s.message());
  old.reset();
  auto st = start_connector(connector, config);
  if (st && paused) set_paused(connector, true);
  return st;
}

void Worker::set_paused(const std::string& connector, bool paused) {
  std::lock_guard lock(mu_);
  if (auto it = connectors_.find(connector); it != connectors_.end()) {
    auto cur = it->second->status.get().state;
    if (cur != State::Failed) it->second->status.set(paused ? State::Paused : State::Running);
  }
  if (auto it = tasks_.find(connector); it != tasks_.end())
    for (auto& r : it->second) r->set_paused(paused);
}

std::vector<std::string> Worker::topics(const std::string& connector) const {
  std::lock_guard lock(mu_);
  auto it = topics_.find(connector);
  return it == topics_.end() ? std::vector<std::string>{} : it->second->list();
}

void Worker::reset_topics(const std::string& connector) {
  std::lock_guard lock(mu_);
  if (auto it = topics_.find(connector); it != topics_.end()) it->second->clear();
}

void Worker::set_topic_listener(TopicListener fn) {
  std::lock_guard lock(mu_);
  topic_listener_ = fn ? std::make_shared<TopicListener>(std::move(fn)) : nullptr;
}

bool Worker::has_connector(const std::string& connector) const {
  std::lock_guard lock(mu_);
  return connectors_.count(connector) > 0;
}

void Worker::stop_tasks(const std::string& connector) {
  std::lock_guard control(control_mu_);
  std::vector<std::unique_ptr<SourceTaskRunner>> runners;
  {
    std::lock_guard lock(mu_);
    for (auto it = restarts_.begin(); it != restarts_.end();)
      it = it->first.starts_with(connector + "-") && it->first.size() > connector.size() + 1 &&
                   it->first.find_first_not_of("0123456789", connector.size() + 1) == std::string::npos
               ? restarts_.erase(it)
               : std::next(it);
    auto it = tasks_.find(connector);
    if (it == tasks_.end()) return;
    runners = std::move(it->second);
    tasks_.erase(it);
  }
  // Stop all first, then wait: tasks wind down in parallel.
  for (auto& r : runners) r->request_stop();
  for (auto& r : runners) r->join();
}

void Worker::stop_connector(const std::string& connector) {
  std::lock_guard control(control_mu_);
  stop_tasks(connector);
  stop_connector_instance(connector);
}

void Worker::stop_connector_instance(const std::string& connector) {
  std::lock_guard control(control_mu_);
  std::unique_ptr<ConnectorRun> run;
  {
    std::lock_guard lock(mu_);
    auto it = connectors_.find(connector);
    if (it == connectors_.end()) return;
    run = std::move(it->second);
    connectors_.erase(it);
  }
  if (auto s = run->handle->stop(); !s.is_ok()) log::warn(connector, "connector stop failed: ", s.message());
  log::info(connector, "connector stopped");
}

void Worker::stop_all() {
  std::lock_guard control(control_mu_);
  std::vector<std::string> names;
  {
    std::lock_guard lock(mu_);
    for (auto& [n, _] : connectors_) names.push_back(n);
    for (auto& [n, _] : tasks_) names.push_back(n);
  }
  for (auto& n : names) stop_connector(n);
}

StatusSnapshot Worker::connector_status(const std::string& name) const {
  std::lock_guard lock(mu_);
  auto it = connectors_.find(name);
  if (it == connectors_.end()) return {};
  return it->second->status.get();
}

std::vector<std::pair<int, StatusSnapshot>> Worker::task_statuses(const std::string& name) const {
  std::lock_guard lock(mu_);
  std::vector<std::pair<int, StatusSnapshot>> out;
  if (auto it = tasks_.find(name); it != tasks_.end())
    for (auto& r : it->second) out.emplace_back(r->id().task, r->status());
  return out;
}

uint64_t Worker::skipped(const std::string& name) const {
  std::lock_guard lock(mu_);
  uint64_t n = 0;
  if (auto it = tasks_.find(name); it != tasks_.end())
    for (auto& r : it->second) n += r->error_counters().records_skipped.load(std::memory_order_relaxed);
  return n;
}

uint64_t Worker::delivered(const std::string& name) const {
  std::lock_guard lock(mu_);
  uint64_t n = 0;
  if (auto it = tasks_.find(name); it != tasks_.end())
    for (auto& r : it->second) n += r->delivered();
  return n;
}

}  // namespace sluice::worker
