package com.securebase.infra;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;

/**
 * The project's own PostgreSQL and Kafka broker on loopback, shared by {@code make run}, {@code
 * make test} and any test JVM: started once, found again through the state in the infra directory
 * (ports, pid files), reused while running, stopped by pid.
 */
public final class LocalInfra {
  private static LocalInfra shared;

  private final Path infraDir;
  private final LocalPostgres postgres;
  private final LocalKafka kafka;

  private LocalInfra(Path infraDir, LocalPostgres postgres, LocalKafka kafka) {
    this.infraDir = infraDir;
    this.postgres = postgres;
    this.kafka = kafka;
  }

  /**
   * Locates the infra directory and broker jars from {@code securebase.infra.dir} / {@code
   * securebase.kafka.home} (system properties or SECUREBASE_INFRA_DIR / SECUREBASE_KAFKA_HOME),
   * else from the project root found above the working directory.
   */
  public static LocalInfra fromEnvironment() {
    Path root = projectRoot();
    Path infraDir =
        setting("securebase.infra.dir", "SECUREBASE_INFRA_DIR")
            .map(Path::of)
            .orElseGet(() -> root.resolve("target/securebase-infra"));
    Path kafkaHome =
        setting("securebase.kafka.home", "SECUREBASE_KAFKA_HOME")
            .map(Path::of)
            .orElseGet(() -> root.resolve("kafka/broker/target"));
    return at(infraDir.toAbsolutePath(), kafkaHome.toAbsolutePath());
  }

  /** Ports chosen at the first start are kept in {@code infra.properties} and reused after. */
  public static LocalInfra at(Path infraDir, Path kafkaHome) {
    Properties state = readState(infraDir);
    if (state.isEmpty()) {
      state.setProperty("postgres.port", Integer.toString(ManagedProcess.freePort()));
      state.setProperty("postgres.home", postgresHome(infraDir).toString());
      state.setProperty("kafka.port", Integer.toString(ManagedProcess.freePort()));
      state.setProperty("kafka.controller.port", Integer.toString(ManagedProcess.freePort()));
      writeState(infraDir, state);
    }
    return new LocalInfra(
        infraDir,
        new LocalPostgres(
            Path.of(state.getProperty("postgres.home")),
            Integer.parseInt(state.getProperty("postgres.port"))),
        new LocalKafka(
            kafkaHome,
            infraDir.resolve("kafka"),
            Integer.parseInt(state.getProperty("kafka.port")),
            Integer.parseInt(state.getProperty("kafka.controller.port"))));
  }

  /**
   * The infrastructure for this JVM's tests, running. Reuses what already runs (say, started by
   * {@code make test}); what this JVM had to start itself it stops when the JVM exits.
   */
  public static synchronized LocalInfra shared() {
    if (shared == null) {
      LocalInfra infra = fromEnvironment();
      if (infra.start()) {
        Runtime.getRuntime().addShutdownHook(new Thread(infra::stop, "stop-local-infra"));
      }
      shared = infra;
    }
    return shared;
  }

  public LocalPostgres postgres() {
    return postgres;
  }

  public LocalKafka kafka() {
    return kafka;
  }

  public boolean running() {
    return postgres.running() && kafka.running();
  }

  /**
   * Starts whatever is not running (both start in parallel) and creates the catalog topics.
   *
   * @return true when this call started something, i.e. the caller owns it and should stop it
   */
  public boolean start() {
    boolean wasRunning = running();
    Thread pg = Thread.ofPlatform().name("start-postgres").start(postgres::start);
    RuntimeException[] failure = new RuntimeException[1];
    try {
      kafka.start();
    } catch (RuntimeException e) {
      failure[0] = e;
    }
    try {
      pg.join(Duration.ofMinutes(3));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (failure[0] != null) {
      throw failure[0];
    }
    if (!postgres.running()) {
      postgres.start(); // surfaces the start failure of the other thread with its cause
    }
    CatalogTopics.ensure(kafka.bootstrapServers(), 1);
    return !wasRunning;
  }

  public void stop() {
    kafka.stop();
    postgres.stop();
  }

  /** Settings for a process that uses this infrastructure (shell-friendly names). */
  public List<String> describe() {
    return List.of(
        "POSTGRES_PORT=" + postgres.port(),
        "POSTGRES_HOME=" + postgres.home(),
        "KAFKA_BOOTSTRAP_SERVERS=" + kafka.bootstrapServers(),
        "INFRA_DIR=" + infraDir);
  }

  private static Path postgresHome(Path infraDir) {
    Path home = infraDir.resolve("postgres");
    return LocalPostgres.runAsUser()
        .filter(user -> !reachableBy(user, infraDir))
        // The unprivileged server user cannot reach the project (say, under /root): keep its
        // files in the temp dir, still recorded in infra.properties so `make stop` finds them.
        .map(
            user ->
                Path.of(
                    System.getProperty("java.io.tmpdir"),
                    "securebase-pg-" + Integer.toHexString(infraDir.toString().hashCode())))
        .orElse(home);
  }

  private static boolean reachableBy(String user, Path dir) {
    try {
      Files.createDirectories(dir);
      Process p =
          new ProcessBuilder("runuser", "-u", user, "--", "test", "-x", dir.toString())
              .redirectErrorStream(true)
              .start();
      return p.waitFor() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static Properties readState(Path infraDir) {
    Properties state = new Properties();
    Path file = infraDir.resolve("infra.properties");
    if (Files.isRegularFile(file)) {
      try (InputStream in = Files.newInputStream(file)) {
        state.load(in);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return state;
  }

  private static void writeState(Path infraDir, Properties state) {
    try {
      Files.createDirectories(infraDir);
      try (OutputStream out = Files.newOutputStream(infraDir.resolve("infra.properties"))) {
        state.store(out, "Local SecureBase infrastructure (ports chosen at first start)");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static java.util.Optional<String> setting(String property, String env) {
    String value = System.getProperty(property);
    if (value == null || value.isBlank()) {
      value = System.getenv(env);
    }
    return java.util.Optional.ofNullable(value).filter(v -> !v.isBlank());
  }

  private static Path projectRoot() {
    Path dir = Path.of("").toAbsolutePath();
    for (Path p = dir; p != null; p = p.getParent()) {
      if (Files.exists(p.resolve("kafka/catalog.yaml"))) {
        return p;
      }
    }
    throw new IllegalStateException(
        "Cannot find the SecureBase project root above "
            + dir
            + "; set securebase.infra.dir and securebase.kafka.home");
  }
}
