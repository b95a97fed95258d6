#pragma once
// The control API, JSON in and out, never rate limited nor recorded:
//   POST /_sim/rate-limits  a rate rule (rules_json.h)      → {"id":N}
//   GET  /_sim/rate-limits                                  → {"rate_limits":[...]}
//   POST /_sim/faults       a fault (rules_json.h)          → {"id":N}
//   GET  /_sim/faults       pending faults, count left      → {"faults":[...]}
//   POST /_sim/credentials  {"provider":..,"valid":[..]}    → {"provider":..,"valid":N}
//   GET  /_sim/credentials  counts only, never the values   → {"credentials":{"resend":N}}
//   GET  /_sim/requests?provider=&target=&path_prefix=&status=&since_seq=&limit=
//                                                           → {"requests":[...],"last_seq":N}
//   GET  /_sim/stats                                        → counts per provider and status
//   POST /_sim/reset        forgets rules, faults, credentials, idempotency keys and records
//   GET  /healthz           "ok"
// A malformed control request gets 400 {"error":"<what is wrong>"}; other /_sim/ paths 404.
namespace httplib {
class Server;
}

namespace hookline::simulator {

class Engine;

// Registers the routes above on `server`; call before any catch-all route.
void add_control_routes(httplib::Server& server, Engine& engine);

}  // namespace hookline::simulator
