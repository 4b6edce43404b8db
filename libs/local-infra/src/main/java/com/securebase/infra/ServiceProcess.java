package com.securebase.infra;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A service started from its built jar in a process of its own, the way {@code make run} starts it
 * (prod profile), listening on a free loopback port; {@link #start} returns once it is ready. For
 * black-box tests that need several replicas and for the benchmarks. Closing it stops the process.
 */
public final class ServiceProcess implements AutoCloseable {
  private static final Duration READY_WITHIN = Duration.ofMinutes(2);

  private final String name;
  private final Launch launch;
  private final int port;
  private volatile Process process;

  /** What {@link #killAndRestart} starts again. */
  private record Launch(
      Path jar,
      Map<String, String> properties,
      Map<String, String> environment,
      List<String> jvmOptions,
      Path log) {}

  private ServiceProcess(String name, Launch launch, Process process, int port) {
    this.name = name;
    this.launch = launch;
    this.process = process;
    this.port = port;
  }

  /**
   * Starts {@code jar} with {@code config} as system properties (plus the HTTP port and host) and
   * {@code jvmOptions}, its output in {@code log}.
   */
  public static ServiceProcess start(
      String name, Path jar, Map<String, String> config, List<String> jvmOptions, Path log)
      throws IOException, InterruptedException {
    return start(name, jar, config, Map.of(), jvmOptions, log);
  }

  /** As {@link #start(String, Path, Map, List, Path)}, with these environment variables too. */
  public static ServiceProcess start(
      String name,
      Path jar,
      Map<String, String> config,
      Map<String, String> environment,
      List<String> jvmOptions,
      Path log)
      throws IOException, InterruptedException {
    int port = freePort();
    Map<String, String> properties = new LinkedHashMap<>();
    properties.put("quarkus.http.port", String.valueOf(port));
    properties.put("quarkus.http.host", "127.0.0.1");
    properties.putAll(config);
    Launch launch = new Launch(jar, properties, environment, jvmOptions, log);
    ServiceProcess started = new ServiceProcess(name, launch, launch(launch, false), port);
    try {
      started.awaitReady();
    } catch (IOException | InterruptedException | RuntimeException e) {
      started.close();
      throw e;
    }
    return started;
  }

  /**
   * Runs {@code jar} to its end, as a Kubernetes Job runs it (a migration with {@code
   * QUARKUS_INIT_AND_EXIT}, say), and returns its exit code; it is killed after {@code within}.
   */
  public static int runToExit(
      Path jar, Map<String, String> environment, List<String> jvmOptions, Path log, Duration within)
      throws IOException, InterruptedException {
    Process process = launch(new Launch(jar, Map.of(), environment, jvmOptions, log), false);
    if (!process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly().waitFor();
      throw new IllegalStateException(jar + " still running after " + within + "; see " + log);
    }
    return process.exitValue();
  }

  private static Process launch(Launch launch, boolean appendLog) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("--add-opens");
    command.add("java.base/java.lang=ALL-UNNAMED");
    command.addAll(launch.jvmOptions());
    launch.properties().forEach((k, v) -> command.add("-D" + k + "=" + v));
    command.add("-jar");
    command.add(launch.jar().toString());
    File log = launch.log().toFile();
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(
                appendLog
                    ? ProcessBuilder.Redirect.appendTo(log)
                    : ProcessBuilder.Redirect.to(log));
    builder.environment().putAll(launch.environment());
    return builder.start();
  }

  /**
   * Kills the process as {@code kill -9} does (no shutdown hook, no graceful stop), then starts the
   * service again on the same port with the same settings and waits until it is ready: a crash and
   * the restart its orchestrator would make.
   */
  public void killAndRestart() throws IOException, InterruptedException {
    process.destroyForcibly().waitFor();
    process = launch(launch, true);
    awaitReady();
  }

  /** The process id, to read what the service uses (its resident memory, say). */
  public long pid() {
    return process.pid();
  }

  public int port() {
    return port;
  }

  public String url(String path) {
    return "http://127.0.0.1:" + port + path;
  }

  private void awaitReady() throws IOException, InterruptedException {
    HttpClient http = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + READY_WITHIN.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(name + " exited; see " + launch.log());
      }
      try {
        HttpResponse<Void> ready =
            http.send(
                HttpRequest.newBuilder(URI.create(url("/q/health/ready"))).build(),
                HttpResponse.BodyHandlers.discarding());
        if (ready.statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(250);
    }
    throw new IllegalStateException(
        name + " not ready within " + READY_WITHIN + "; see " + launch.log());
  }

  public static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }
}
