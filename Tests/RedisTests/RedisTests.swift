import Testing

/// The Redis suites nest here and run one after another: they share one server (one of them
/// runs `SCRIPT FLUSH`), and the whole set takes about three seconds. The restart tests are
/// in `RedisFaultTests`, which only the serial fault pass of `scripts/test` runs.
@Suite(.serialized)
struct RedisTests {}
