#ifndef DRODS_CMICROHTTPD_H
#define DRODS_CMICROHTTPD_H

// libmicrohttpd for the DRODSHTTP target. Swift calls the non-variadic MHD functions directly.
// The helpers below exist because the MHD functions they wrap are C variadic functions, which
// Swift cannot call.

#include <stddef.h>
#include <stdint.h>
#include <microhttpd.h>

/// Settings for `drods_mhd_start`, passed as one struct so that Swift can fill them by name.
struct drods_mhd_options {
    /// IPv4 address to bind, for example "127.0.0.1" or "0.0.0.0".
    const char *bind_address;
    /// TCP port; 0 lets the kernel pick a free one.
    uint16_t port;
    /// Number of MHD worker threads, each polling its share of the connections.
    unsigned int thread_pool_size;
    /// Seconds of inactivity after which MHD closes a connection; 0 means no timeout.
    unsigned int connection_timeout_seconds;
    /// Bytes of memory MHD may use per connection for headers and its read/write buffers.
    size_t connection_memory_limit;
    /// PEM certificate and private key; both NULL for plain HTTP, both set for HTTPS. MHD
    /// keeps these pointers, so they must stay valid until MHD_stop_daemon returns.
    const char *tls_certificate_pem;
    const char *tls_key_pem;
    MHD_AccessHandlerCallback access_handler;
    void *access_handler_context;
    MHD_RequestCompletedCallback request_completed;
    void *request_completed_context;
};

/// Starts a daemon with an internal thread pool that polls with epoll where available and
/// allows `MHD_suspend_connection`. Wraps the variadic `MHD_start_daemon`.
/// The access handler receives the path and query arguments still percent-encoded.
/// Returns NULL when the address is invalid or MHD fails to start (port in use, bad TLS
/// material). The caller owns the daemon and releases it with `MHD_stop_daemon`.
struct MHD_Daemon *drods_mhd_start(const struct drods_mhd_options *options);

/// Returns the port the daemon listens on, or 0 when MHD cannot tell. Wraps the variadic
/// `MHD_get_daemon_info` with `MHD_DAEMON_INFO_BIND_PORT`.
uint16_t drods_mhd_bound_port(struct MHD_Daemon *daemon);

/// Writes the client's address as "ip:port" (or "[ip]:port" for IPv6) into `buffer` and
/// returns 1, or returns 0 when it is unknown. Wraps the variadic `MHD_get_connection_info`
/// with `MHD_CONNECTION_INFO_CLIENT_ADDRESS`.
int drods_mhd_client_address(struct MHD_Connection *connection, char *buffer, size_t length);

#endif
