#include "CMicroHTTPD.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

// Leaves the request path and query arguments percent-encoded. MHD would otherwise decode the
// path before the router splits it, so "/clusters/a%2Fb" would turn into three segments.
// DRODSHTTP decodes each path segment and argument itself. MHD still turns '+' in query
// arguments into spaces before calling this.
static size_t drods_mhd_keep_escaped(void *context, struct MHD_Connection *connection,
                                     char *text) {
    (void)context;
    (void)connection;
    return strlen(text);
}

struct MHD_Daemon *drods_mhd_start(const struct drods_mhd_options *options) {
    // MHD binds during MHD_start_daemon, so the address may live on this stack frame.
    struct sockaddr_in address;
    memset(&address, 0, sizeof(address));
    address.sin_family = AF_INET;
    address.sin_port = htons(options->port);
    if (inet_pton(AF_INET, options->bind_address, &address.sin_addr) != 1) {
        return NULL;
    }

    // MHD_USE_ITC lets MHD_quiesce_daemon stop the listener while worker threads run.
    // MHD_ALLOW_SUSPEND_RESUME lets a connection wait for a deferred response without holding
    // a worker. MHD_USE_AUTO picks epoll on Linux, because select() cannot watch a socket
    // numbered FD_SETSIZE (1024) or above, and a server with a thousand clients can reach that.
    unsigned int flags = MHD_USE_AUTO_INTERNAL_THREAD | MHD_USE_ITC | MHD_ALLOW_SUSPEND_RESUME;
    if (options->tls_certificate_pem != NULL && options->tls_key_pem != NULL) {
        flags |= MHD_USE_TLS;
        return MHD_start_daemon(
            flags, options->port, NULL, NULL,
            options->access_handler, options->access_handler_context,
            MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&address,
            MHD_OPTION_THREAD_POOL_SIZE, options->thread_pool_size,
            MHD_OPTION_CONNECTION_TIMEOUT, options->connection_timeout_seconds,
            MHD_OPTION_CONNECTION_MEMORY_LIMIT, options->connection_memory_limit,
            MHD_OPTION_NOTIFY_COMPLETED, options->request_completed,
            options->request_completed_context,
            MHD_OPTION_UNESCAPE_CALLBACK, drods_mhd_keep_escaped, NULL,
            MHD_OPTION_HTTPS_MEM_CERT, options->tls_certificate_pem,
            MHD_OPTION_HTTPS_MEM_KEY, options->tls_key_pem,
            MHD_OPTION_END);
    }
    return MHD_start_daemon(
        flags, options->port, NULL, NULL,
        options->access_handler, options->access_handler_context,
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&address,
        MHD_OPTION_THREAD_POOL_SIZE, options->thread_pool_size,
        MHD_OPTION_CONNECTION_TIMEOUT, options->connection_timeout_seconds,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, options->connection_memory_limit,
        MHD_OPTION_NOTIFY_COMPLETED, options->request_completed,
        options->request_completed_context,
        MHD_OPTION_UNESCAPE_CALLBACK, drods_mhd_keep_escaped, NULL,
        MHD_OPTION_END);
}

uint16_t drods_mhd_bound_port(struct MHD_Daemon *daemon) {
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(daemon, MHD_DAEMON_INFO_BIND_PORT);
    return info == NULL ? 0 : info->port;
}

int drods_mhd_client_address(struct MHD_Connection *connection, char *buffer, size_t length) {
    const union MHD_ConnectionInfo *info =
        MHD_get_connection_info(connection, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (info == NULL || info->client_addr == NULL || length == 0) {
        return 0;
    }
    char host[INET6_ADDRSTRLEN];
    const struct sockaddr *address = info->client_addr;
    if (address->sa_family == AF_INET) {
        const struct sockaddr_in *ipv4 = (const struct sockaddr_in *)address;
        if (inet_ntop(AF_INET, &ipv4->sin_addr, host, sizeof(host)) == NULL) {
            return 0;
        }
        snprintf(buffer, length, "%s:%u", host, (unsigned int)ntohs(ipv4->sin_port));
        return 1;
    }
    if (address->sa_family == AF_INET6) {
        const struct sockaddr_in6 *ipv6 = (const struct sockaddr_in6 *)address;
        if (inet_ntop(AF_INET6, &ipv6->sin6_addr, host, sizeof(host)) == NULL) {
            return 0;
        }
        snprintf(buffer, length, "[%s]:%u", host, (unsigned int)ntohs(ipv6->sin6_port));
        return 1;
    }
    return 0;
}
