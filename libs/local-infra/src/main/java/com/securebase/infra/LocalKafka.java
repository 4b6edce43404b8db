package com.securebase.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

/**
 * A real single-node KRaft Kafka broker, run as its own JVM from the jars that the build copies to
 * {@code kafka/broker/target/lib} (its kafka-clients never meets the services' one). Its data and
 * pid file live under the infra directory; it outlives this JVM until {@link #stop()}.
 */
public final class LocalKafka {
  private final Path kafkaHome;
  private final Path home;
  private final int port;
  private final int controllerPort;

  LocalKafka(Path kafkaHome, Path home, int port, int controllerPort) {
    this.kafkaHome = kafkaHome;
    this.home = home;
    this.port = port;
    this.controllerPort = controllerPort;
  }

  public String bootstrapServers() {
    return "127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  public int controllerPort() {
    return controllerPort;
  }

  public boolean running() {
    return ManagedProcess.alive(pidFile()) && ManagedProcess.listening(port);
  }

  /** Starts the broker unless it runs, and waits until it answers metadata requests. */
  public void start() {
    if (running()) {
      return;
    }
    Path lib = kafkaHome.resolve("lib");
    if (!Files.isDirectory(lib)) {
      throw new IllegalStateException(
          "No Kafka broker jars at "
              + lib
              + ": build first (./mvnw -pl kafka/broker generate-resources)");
    }
    try {
      Files.createDirectories(home);
      Path config = home.resolve("server.properties");
      String template =
          Files.readString(kafkaHome.resolve("config/server.properties.template"))
              .replace("@PORT@", Integer.toString(port))
              .replace("@CONTROLLER_PORT@", Integer.toString(controllerPort))
              .replace("@LOG_DIR@", home.resolve("data").toString());
      Files.writeString(config, template);
      if (!Files.exists(home.resolve("data/meta.properties"))) {
        Processes.run(
            List.of(
                java(),
                "-cp",
                lib + "/*",
                "-Dlog4j2.configurationFile=" + log4j(),
                "kafka.tools.StorageTool",
                "format",
                "-t",
                Uuid.randomUuid().toString(),
                "-c",
                config.toString()),
            home.resolve("format.log"),
            Duration.ofMinutes(2));
      }
      Process process =
          new ProcessBuilder(
                  java(),
                  "-Xms256m",
                  "-Xmx768m",
                  "-XX:+UseG1GC",
                  "-XX:MaxGCPauseMillis=20",
                  "-Djava.awt.headless=true",
                  "-Dlog4j2.configurationFile=" + log4j(),
                  "-cp",
                  lib + "/*",
                  "kafka.Kafka",
                  config.toString())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(home.resolve("broker.log").toFile()))
              .start();
      Files.writeString(pidFile(), Long.toString(process.pid()));
      ManagedProcess.waitUntil(
          "Kafka broker on port " + port,
          Duration.ofSeconds(90),
          () -> {
            if (!process.isAlive()) {
              throw new IllegalStateException(
                  "Kafka broker exited ("
                      + process.exitValue()
                      + "):\n"
                      + Processes.tail(home.resolve("broker.log")));
            }
            return ManagedProcess.listening(port) && answers();
          });
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot start Kafka under " + home, e);
    }
  }

  /** Clean shutdown (SIGTERM), forced after 30 s. */
  public void stop() {
    ManagedProcess.stop(pidFile(), Duration.ofSeconds(30));
  }

  private boolean answers() {
    try (Admin admin =
        Admin.create(
            Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000))) {
      return !admin.describeCluster().nodes().get(3, TimeUnit.SECONDS).isEmpty();
    } catch (Exception e) {
      return false;
    }
  }

  private Path pidFile() {
    return home.resolve("kafka.pid");
  }

  private String log4j() {
    return kafkaHome.resolve("config/log4j2.properties").toString();
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }
}
