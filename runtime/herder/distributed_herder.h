#pragma once
// Distributed mode, as connect-distributed: workers with the same group.id form a cluster
// through Kafka group membership (protocol type "connect"), keep configs, offsets and statuses
// in compacted topics with Java Connect's formats, and share connectors and tasks. The leader
// computes assignments (eager or incremental cooperative) and is the only writer of connector
// and task configs; followers forward those requests to it (REST does the HTTP part, see
// kForwardStatus). Every worker writes the status of what it runs; the leader also writes
// UNASSIGNED for tasks it knows to be lost, so a SIGKILLed worker's tasks never show RUNNING.
//
// Threads: the herder thread (start(): connects to Kafka, retrying, then replays the topics
// and runs the loop that applies config changes and assignments and reconciles what runs
// here), the group client's thread (membership callbacks) and REST's threads.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "runtime/config/config_providers.h"
#include "runtime/herder/assignor.h"
#include "runtime/herder/distributed_config.h"
#include "runtime/herder/herder.h"
#include "runtime/herder/standalone_herder.h"
#include "runtime/kafka/connect_protocol.h"
#include "runtime/kafka/group_client.h"
#include "runtime/worker/worker.h"
#include "storage/kafka/kafka_stores.h"

namespace sluice::herder {

struct HttpReply {
  int status = 0;
  std::string body;
};
// An HTTP request to another worker: method, full URL, JSON body.
using HttpHeaders = std::vector<std::pair<std::string, std::string>>;
using HttpFn = std::function<Result<HttpReply>(const std::string& method, const std::string& url,
                                               const std::string& body, const HttpHeaders& headers)>;

class DistributedHerder : public Herder {
 public:
  struct Options {
    std::string version;
    std::string commit;
    std::string worker_url;  // advertised REST URL, "http://host:port/"
    std::string worker_id;   // "host:port"
    HttpFn http;
  };

  // `offsets` is the store the worker was built with; the herder attaches its topic.
  DistributedHerder(worker::Worker& worker, storage::KafkaOffsetStore& offsets, config::ConfigProviders providers,
                    DistributedConfig config, Options options);
  ~DistributedHerder() override;

  // The REST server's advertised URL and worker id, once it listens (before start()).
  void set_rest_url(std::string url, std::string worker_id);
  // Starts the herder thread; returns at once (Kafka may not be reachable yet).
  void start();
  // Stops work (flushing offsets), writes UNASSIGNED for it, leaves the group.
  void stop();
  // Called from connectors' threads when a connector asks for new task configs.
  void request_reconfiguration(const std::string& name);

  ServerInfo server_info() override;
  bool ready() override;
  std::vector<std::string> connectors() override;
  Result<ConnectorInfo> connector_info(const std::string& name) override;
  Result<Config> connector_config(const std::string& name) override;
  Result<PutResult> put_connector_config(const std::string& name, const Config& config, bool allow_replace,
                                         InitialState initial) override;
  Result<ConnectorInfo> patch_connector_config(
      const std::string& name, const std::map<std::string, std::optional<std::string>>& patch) override;
  Status delete_connector(const std::string& name) override;
  Result<ConnectorState> connector_status(const std::string& name) override;
  Result<TaskState> task_status(const std::string& name, int task) override;
  Result<std::vector<TaskConfig>> task_configs(const std::string& name) override;
  Result<std::optional<ConnectorState>> restart_connector(const std::string& name, bool include_tasks,
                                                          bool only_failed) override;
  Status restart_task(const std::string& name, int task) override;
  Status pause_connector(const std::string& name) override;
  Status resume_connector(const std::string& name) override;
  Status stop_connector(const std::string& name) override;
  Result<std::vector<PartitionOffset>> connector_offsets(const std::string& name) override;
  Result<std::string> alter_connector_offsets(const std::string& name,
                                              const std::vector<PartitionOffset>& offsets) override;
  Result<std::string> reset_connector_offsets(const std::string& name) override;
  Result<std::vector<std::string>> connector_topics(const std::string& name) override;
  Status reset_connector_topics(const std::string& name) override;
  std::vector<PluginInfo> plugins(bool connectors_only) override;
  Result<std::vector<api::ConfigKey>> plugin_config(const std::string& plugin) override;
  Result<api::ConfigInfos> validate_connector_config(const std::string& type, const Config& config) override;
  Status put_task_configs(const std::string& name, const std::vector<Config>& configs,
                          const InternalRequest& request) override;

  // Set when the worker cannot run at all (an internal topic unfit for its use); the
  // process should exit with it.
  std::string fatal_error() const;
  // For logs and tests.
  bool is_leader() const;
  int32_t generation() const;

 private:
  // ---- startup and loop (distributed_herder_loop.cc)
  void run();
  bool connect_once();
  void loop_once();
  Status sync_config();  // read the config topic to the end, queueing its events
  void process_events();
  void apply_assignment(const kafka::GroupAssignment& a);
  // The herder thread asks the group client to rejoin (callbacks must not touch group_).
  void rejoin_soon();
  void reconcile();
  void publish_pending_task_configs();
  void write_statuses();
  void leader_cleanup();
  void stop_item(const WorkItem& item, bool write_unassigned);
  void start_connector_item(const std::string& name);
  void start_task_item(const WorkItem& item);
  Status write_status(const std::string& key, const storage::StatusValue& v);

  // ---- group membership callbacks (group thread)
  std::vector<kafka::GroupProtocol> join_protocols();
  std::map<std::string, std::string> assign(const kafka::GroupJoin& join);
  void on_assign(const kafka::GroupAssignment& a);
  void on_join_prepare();
  void on_lost(const std::string& reason);

  // ---- helpers (distributed_herder.cc)
  // nullopt when this worker may write; otherwise the error to return (forward or 409).
  std::optional<Error> leader_check();
  std::optional<Error> stale_check();
  Status check_config(const std::string& name, const Config& raw);
  Status write_config(const std::vector<storage::KeyValue>& records);
  Status publish_task_configs(const std::string& name, const std::vector<Config>& configs);
  Result<std::vector<Config>> resolve_task_configs(const std::string& name);
  ConnectorState state_of(const std::string& name, const storage::ConfigSnapshot& snap);
  storage::ConfigSnapshot snapshot();
  std::string owner_url(const WorkItem& item);
  Status forward_to(const std::string& url);
  // ---- the `sessioned` protocol's session key (distributed_herder_session.cc)
  // Requests are signed and checked when the group runs `sessioned`.
  bool signing_enabled() const;
  // Leader: writes a new session-key record when there is none or it is older than the TTL.
  void maybe_rotate_session_key();
  // nullopt when the internal request may proceed; otherwise Java's 400/403/503.
  std::optional<Error> check_signature(const InternalRequest& request);
  // The signature headers for an internal request body; an error when no key was read yet.
  Result<HttpHeaders> sign(const std::string& body);

  // Worker callback (task threads): the first record of a task to a topic.
  void record_active_topic(const std::string& connector, const std::string& topic, int task);

  worker::Worker& worker_;
  storage::KafkaOffsetStore& offsets_;
  config::ConfigProviders providers_;
  DistributedConfig config_;
  Options options_;
  StandaloneHerder plugins_;  // plugin listing and validation, shared with standalone mode

  std::unique_ptr<storage::KafkaConfigStore> configs_;
  std::unique_ptr<storage::KafkaStatusStore> statuses_;
  std::unique_ptr<kafka::GroupClient> group_;
  IncrementalAssignor assignor_;

  mutable std::mutex mu_;  // everything below
  std::condition_variable wake_;
  bool kicked_ = false;  // the loop has something to do now
  void kick_locked() {
    kicked_ = true;
    wake_.notify_all();
  }
  bool stopping_ = false;
  bool ready_ = false;
  bool replayed_ = false;  // initial replay done: later restart records are acted on
  std::vector<storage::ConfigEvent> events_;
  bool rebalance_needed_ = false;  // a config change that needs a rebalance was read (409 stale)
  std::string member_id_;
  std::string leader_id_;
  std::string leader_url_;
  int32_t generation_ = -1;
  std::string group_protocol_;  // the sub-protocol of the last assignment ("sessioned", ...)
  int32_t last_completed_generation_ = -1;
  int64_t assignment_offset_ = -1;
  WorkSet assigned_;  // this worker's full assignment
  std::map<std::string, std::string> member_urls_;     // leader: member id -> url
  std::map<std::string, WorkSet> member_sets_;         // leader: member id -> full set
  WorkSet lost_pending_;                               // leader: lost work to show UNASSIGNED
  bool leader_cleanup_due_ = false;
  std::optional<std::chrono::steady_clock::time_point> rejoin_at_;
  std::set<std::string> needs_task_configs_;
  std::set<std::string> restart_tasks_of_;  // task configs changed: restart those running here

  std::mutex work_mu_;  // serializes starting/stopping work (herder and group threads)
  WorkSet running_;     // under work_mu_: what this worker started
  std::map<std::string, std::string> start_failures_;  // under work_mu_: status key -> why it failed to start
  std::mutex sync_mu_;  // one config read-to-end at a time, so events stay in order

  std::string cluster_id_;
  std::string fatal_;
  std::thread thread_;
};

}  // namespace sluice::herder
