# hookline: one image with every binary. Which component a container runs is chosen by its
# command (see docker-compose.yml), so there is no ENTRYPOINT.
#
#   docker build -t hookline:latest .
#   docker run --rm hookline:latest                       # hookline --help
#   docker run --rm hookline:latest hookline topology check
#
# Packages come from scripts/setup.sh only (Debian 12), the same as a developer's machine.

# ---- build ------------------------------------------------------------------------------
FROM debian:12 AS build

WORKDIR /src
# The package step first, alone, so source changes do not re-run apt.
COPY scripts/setup.sh scripts/setup.sh
RUN bash scripts/setup.sh --build \
 && rm -rf /var/lib/apt/lists/* /tmp/hookline-apt.log

# Everything else that .dockerignore lets through (no build trees, .dev or .git).
COPY . .
RUN cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DHOOKLINE_TESTS=OFF \
 && cmake --build build -j"$(nproc)"

# ---- runtime ----------------------------------------------------------------------------
FROM debian:12-slim

LABEL org.opencontainers.image.title="hookline" \
      org.opencontainers.image.description="Kafka pipeline for third-party webhooks"

# Shared libraries only (librdkafka, libpqxx, cpp-httplib, OpenSSL, CA certificates).
COPY scripts/setup.sh /tmp/setup.sh
RUN bash /tmp/setup.sh --runtime \
 && rm -rf /var/lib/apt/lists/* /tmp/setup.sh /tmp/hookline-apt.log

RUN useradd --system --user-group --uid 10001 --home-dir /nonexistent --no-create-home \
            --shell /usr/sbin/nologin hookline

# The whole folder, so binaries added later (hookline-ingest, ...) are included automatically.
COPY --from=build /src/build/bin/ /usr/local/bin/
COPY topology/ /etc/hookline/topology/
ENV HOOKLINE_TOPOLOGY_DIR=/etc/hookline/topology

USER hookline
CMD ["hookline", "--help"]
