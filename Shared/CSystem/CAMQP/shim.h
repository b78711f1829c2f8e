#ifndef RENDEZVOUS_CAMQP_SHIM_H
#define RENDEZVOUS_CAMQP_SHIM_H
#include <amqp.h>
#include <amqp_tcp_socket.h>
#include <amqp_framing.h>
#include <sys/eventfd.h>

/// `amqp_login` is variadic; this fixes it to SASL PLAIN with a user and a password.
static inline amqp_rpc_reply_t rz_amqp_login_plain(amqp_connection_state_t state, const char *vhost,
                                                   int channel_max, int frame_max, int heartbeat,
                                                   const char *user, const char *password) {
    return amqp_login(state, vhost, channel_max, frame_max, heartbeat, AMQP_SASL_METHOD_PLAIN, user, password);
}

/// A non-blocking eventfd that wakes a connection thread sleeping in `poll` (the `EFD_*` flags
/// are not visible to Swift through Glibc).
static inline int rz_amqp_wake_descriptor(void) {
    return eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
}
#endif
