#include "ctl/status/render_text.h"

#include <algorithm>
#include <sstream>

namespace hookline::ctl::status {
namespace {

constexpr const char* kIndent = "  ";

// Rows of cells printed with aligned columns; columns in `right` are right-aligned. The last
// cell of a row is never padded.
class Table {
 public:
  explicit Table(std::vector<bool> right) : right_(std::move(right)) {}
  void add(std::vector<std::string> row) { rows_.push_back(std::move(row)); }
  void print(std::ostringstream& out) const {
    std::vector<std::size_t> width;
    for (const auto& row : rows_) {
      for (std::size_t i = 0; i + 1 < row.size(); ++i) {
        if (width.size() <= i) width.resize(i + 1, 0);
        width[i] = std::max(width[i], row[i].size());
      }
    }
    for (const auto& row : rows_) {
      std::string line = kIndent;
      for (std::size_t i = 0; i < row.size(); ++i) {
        const bool last = i + 1 == row.size();
        if (i > 0) line += "  ";
        const std::size_t pad = last ? 0 : width[i] - row[i].size();
        const bool right = i < right_.size() && right_[i];
        if (right) line.append(pad, ' ');
        line += row[i];
        if (!right) line.append(pad, ' ');
      }
      while (!line.empty() && line.back() == ' ') line.pop_back();
      out << line << "\n";
    }
  }

 private:
  std::vector<bool> right_;
  std::vector<std::vector<std::string>> rows_;
};

std::string number(std::optional<std::int64_t> v) {
  return v ? std::to_string(*v) : "?";
}

void render_lag(std::ostringstream& out, const Snapshot& s) {
  out << "consumer lag (records not yet processed)\n";
  Table t({false, false, false, true, true, false, false});
  t.add({"component", "group", "topic", "lag", "partitions", "source", ""});
  for (const auto& g : s.groups) {
    for (const auto& topic : g.topics) {
      std::string note = topic.error.empty() ? topic.note : "error: " + topic.error;
      t.add({g.component, g.group_id, topic.topic, topic.error.empty() ? number(topic.total) : "?",
             topic.partition_count > 0 ? std::to_string(topic.partition_count) : "?",
             to_string(topic.source), note});
    }
  }
  t.print(out);
}

void render_dlqs(std::ostringstream& out, const Snapshot& s) {
  out << "\ndead-letter topics\n";
  Table t({false, true, true, true, false});
  t.add({"topic", "held", "last hour", "not replayed", ""});
  for (const auto& d : s.dlqs) {
    if (!d.error.empty()) {
      t.add({d.topic, "?", "?", "?", "error: " + d.error});
      continue;
    }
    std::string note = d.last_hour > 0 ? "grew in the last hour" : "";
    if (!d.has_cursor && d.held > 0) {
      note += std::string(note.empty() ? "" : "; ") + "never replayed (no " + d.replay_group +
              " offsets)";
    }
    if (!d.note.empty()) note += std::string(note.empty() ? "" : "; ") + d.note;
    t.add({d.topic, std::to_string(d.held), std::to_string(d.last_hour),
           std::to_string(d.not_replayed), note});
  }
  t.print(out);
}

void render_approvals(std::ostringstream& out, const Snapshot& s) {
  out << "\napprovals\n" << kIndent;
  const auto& a = s.approvals;
  if (!a.configured) {
    out << "no database configured (set HOOKLINE_DATABASE_URL or database.url)\n";
  } else if (!a.error.empty()) {
    out << "error: " << a.error << "\n";
  } else if (a.pending == 0) {
    out << "none pending\n";
  } else {
    out << a.pending << " pending";
    if (a.oldest_age_s) out << ", the oldest waiting " << format_age(*a.oldest_age_s);
    out << " (hookline approvals list)\n";
  }
}

void render_endpoints(std::ostringstream& out, const Snapshot& s) {
  out << "\nendpoints\n";
  Table t({false, false, false, false});
  for (const auto& c : s.endpoints) {
    if (c.probes.empty()) {
      t.add({c.component, "-", c.origin.empty() ? "no endpoint given" : "none (" + c.origin + ")",
             ""});
      continue;
    }
    for (const auto& p : c.probes) t.add({c.component, p.up ? "up" : "down", p.url, p.detail});
  }
  t.print(out);
}

void render_sender(std::ostringstream& out, const Snapshot& s) {
  out << "\nsender circuits\n" << kIndent;
  const auto& h = s.sender;
  if (!h.scraped) {
    out << h.note << "\n";
    return;
  }
  std::size_t closed = 0;
  std::vector<std::string> open, half_open;
  for (const auto& c : h.circuits) {
    if (c.state == "open") {
      open.push_back(c.connection);
    } else if (c.state == "half-open") {
      half_open.push_back(c.connection);
    } else {
      ++closed;
    }
  }
  auto join = [](const std::vector<std::string>& v) {
    std::string r;
    for (const auto& x : v) r += (r.empty() ? "" : ", ") + x;
    return r;
  };
  out << h.circuits.size() << " connection(s): " << closed << " closed";
  if (!half_open.empty()) out << "; half-open: " << join(half_open);
  if (!open.empty()) out << "; open: " << join(open);
  out << "\n"
      << kIndent
      << "throttled (Retry-After): " << (h.throttled.empty() ? "none" : join(h.throttled)) << "\n";
  if (h.skipped_lines > 0) {
    out << kIndent << h.skipped_lines << " metric line(s) could not be read and were skipped\n";
  }
}

void render_topology(std::ostringstream& out, const Snapshot& s) {
  out << "\ntopology\n" << kIndent;
  const auto& t = s.topology;
  if (!t.error.empty()) {
    out << "error: " << t.error << "\n";
    return;
  }
  out << (t.drift.empty() ? "in step with " : "drift from ") << t.source << " (" << t.declared
      << " declared topics";
  if (!t.configs_skipped.empty()) out << "; topic configs not compared: " << t.configs_skipped;
  out << ")\n";
  for (const auto& d : t.drift) out << kIndent << "drift: " << d << "\n";
}

}  // namespace

std::string format_age(std::int64_t seconds) {
  if (seconds < 0) seconds = 0;
  const std::int64_t m = seconds / 60, h = m / 60, d = h / 24;
  if (d > 0) return std::to_string(d) + "d " + std::to_string(h % 24) + "h";
  if (h > 0) return std::to_string(h) + "h " + std::to_string(m % 60) + "m";
  if (m > 0) return std::to_string(m) + "m " + std::to_string(seconds % 60) + "s";
  return std::to_string(seconds) + "s";
}

std::string render_text(const Snapshot& s, const std::vector<std::string>& attention) {
  std::ostringstream out;
  out << "hookline status  Kafka " << s.bootstrap << "  " << s.taken_at << "\n\n";
  render_lag(out, s);
  render_dlqs(out, s);
  render_approvals(out, s);
  render_endpoints(out, s);
  render_sender(out, s);
  render_topology(out, s);
  if (attention.empty()) {
    out << "\nall well\n";
  } else {
    out << "\nneeds attention\n";
    for (const auto& a : attention) out << kIndent << "- " << a << "\n";
  }
  return out.str();
}

}  // namespace hookline::ctl::status
