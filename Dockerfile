# Agentlake local in a container: OTLP ingest on 4318, dashboard and API on 8080, the compactor on a
# timer, storing the lake in an S3-compatible server (MinIO in docker-compose.yml; any S3 via
# AGENTLAKE_S3_ENDPOINT). Usage: docker-compose.yml and the README's "Run it with Docker".
#
# Not exercised by this project's CI: its machines have no Docker engine. `./agentlake serve` is the
# tested way to run locally.

FROM maven:3.9-eclipse-temurin-17 AS build
# Node/npm build the dashboard (static-site).
RUN apt-get update && apt-get install -y --no-install-recommends nodejs npm && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
# The same build the ./agentlake launcher runs.
RUN mvn -B -q -DskipTests -Dmaven.test.skip.exec=true package -pl cli -am

FROM eclipse-temurin:17-jre
RUN useradd --system --uid 10001 --home-dir /data agentlake && mkdir -p /data && chown agentlake /data
WORKDIR /app
COPY --from=build /src/cli/target/agentlake-cli.jar /app/agentlake-cli.jar
COPY --from=build /src/cli/target/lib /app/lib
USER agentlake
# Listen on every interface of the container; docker-compose.yml publishes the ports on the host's
# loopback only. Off loopback, ingest and query require their bearer tokens.
ENV AGENTLAKE_HOST=0.0.0.0 \
    AGENTLAKE_DATA_DIR=/data
VOLUME /data
EXPOSE 4318 8080
ENTRYPOINT ["java", "-jar", "/app/agentlake-cli.jar"]
CMD ["serve"]
