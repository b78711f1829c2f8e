import Testing

/// Every Redis suite nests here so they run one after another: the restart suite stops the
/// shared server, and no other Redis test should run into that outage.
@Suite(.serialized)
struct RedisTests {}
