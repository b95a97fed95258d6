#pragma once
// Closes the TCP connection a request came on, so the client gets no answer at all (a fault
// with status 0). cpp-httplib gives handlers no socket, so the socket is found among the
// process's descriptors by its two ends; cpp-httplib's own write then fails and it closes the
// descriptor as usual. Only for faults: it scans every descriptor.
#include <string>

namespace hookline::simulator {

// Shuts down (both ways) the connected socket whose local port is `local_port` and whose peer
// is remote_addr:remote_port. False when there is none.
bool cut_connection(const std::string& remote_addr, int remote_port, int local_port) noexcept;

}  // namespace hookline::simulator
