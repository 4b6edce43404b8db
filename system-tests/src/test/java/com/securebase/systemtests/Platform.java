package com.securebase.systemtests;

import com.securebase.infra.JwtKeyPair;
import com.securebase.infra.LocalInfra;
import com.securebase.infra.LocalReceivers;
import com.securebase.infra.ServiceDatabase;
import com.securebase.infra.ServiceProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Services started from their packaged jars, each on a database of this run only, with one key pair
 * and the gateway last, its routes pointed at the processes started here. Which route goes to which
 * service is read from the gateway's own defaults (route URL port = the service's {@code make run}
 * port in {@code services/<name>/service.env}), so a new route is followed without a change here.
 */
final class Platform implements AutoCloseable {
  /**
   * Every service, in the order that gives each its consumers' assignments before others publish.
   */
  static final List<String> BEHIND_GATEWAY =
      List.of("notifications", "webhooks", "billing", "forecasting", "analytics", "support");

  private static final Pattern ROUTE_URL =
      Pattern.compile(
          "^securebase\\.gateway\\.routes\\.([a-z-]+)\\.url=http://127\\.0\\.0\\.1:(\\d+)");

  private final LocalInfra infra;
  private final Path run;
  private final Map<String, String> keys;
  private final String suffix =
      Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffL);
  private final Map<String, ServiceProcess> started = new LinkedHashMap<>();
  private final List<String> databases = new ArrayList<>();

  private Platform(LocalInfra infra) throws IOException {
    this.infra = infra;
    this.run = Files.createTempDirectory("securebase-system-test");
    this.keys = JwtKeyPair.quarkusConfig(run.resolve("keys"));
  }

  /**
   * {@code services} in order, then the gateway (with the demo seed), each with its {@code extra}
   * settings; settings every run of these tests needs are added here.
   */
  static Platform start(List<String> services, Map<String, Map<String, String>> extra)
      throws Exception {
    Platform platform = new Platform(LocalInfra.shared());
    try {
      for (String service : services) {
        platform.launch(service, withDefaults(service, extra.getOrDefault(service, Map.of())));
      }
      Map<String, String> gateway = new HashMap<>(platform.routes());
      gateway.put("securebase.demo.seed", "true");
      gateway.putAll(extra.getOrDefault("gateway", Map.of()));
      platform.launch("gateway", gateway);
      return platform;
    } catch (Exception | Error e) {
      platform.close();
      throw e;
    }
  }

  private static Map<String, String> withDefaults(String service, Map<String, String> extra) {
    Map<String, String> config = new HashMap<>();
    switch (service) {
      // The hourly run would invoice (and past the grace period finalize) on its own.
      case "billing" -> config.put("securebase.billing.invoice-run.cron", "off");
      case "webhooks" -> {
        config.put("securebase.webhooks.require-https", "false");
        config.put("securebase.webhooks.ssrf.allowlist", "127.0.0.0/8");
        // The fan-out names its group per channel: one of this run only, or a webhooks process
        // of another run could be given the event's partition.
        config.put("mp.messaging.incoming.catalog-events.group.id", "it-" + UUID.randomUUID());
      }
      default -> {}
    }
    config.putAll(extra);
    return config;
  }

  private void launch(String service, Map<String, String> extra) throws Exception {
    databases.add(database(service)); // created first, so dropped even if the start fails
    started.put(
        service, PackagedServices.start(infra, service, database(service), keys, run, extra));
  }

  /** The gateway's route settings for the services started so far. */
  private Map<String, String> routes() {
    Map<Integer, String> byPort = new HashMap<>();
    for (String service : started.keySet()) {
      byPort.put(makeRunPort(service), service);
    }
    Map<String, String> config = new HashMap<>();
    for (String line : lines("services/gateway/src/main/resources/application.properties")) {
      Matcher route = ROUTE_URL.matcher(line);
      if (route.find()) {
        String service = byPort.get(Integer.parseInt(route.group(2)));
        if (service != null) {
          config.put(
              "securebase.gateway.routes." + route.group(1) + ".url",
              "http://127.0.0.1:" + started.get(service).port());
        }
      }
    }
    return config;
  }

  private static int makeRunPort(String service) {
    return lines("services/" + service + "/service.env").stream()
        .filter(l -> l.startsWith("PORT="))
        .map(l -> Integer.parseInt(l.substring("PORT=".length()).trim()))
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("No PORT in " + service + "/service.env"));
  }

  private static List<String> lines(String file) {
    try {
      return Files.readAllLines(PackagedServices.ROOT.resolve(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  ServiceProcess gateway() {
    return service("gateway");
  }

  ServiceProcess service(String name) {
    ServiceProcess process = started.get(name);
    if (process == null) {
      throw new IllegalArgumentException(name + " was not started");
    }
    return process;
  }

  /** The services started, in start order (the gateway last). */
  Map<String, ServiceProcess> services() {
    return started;
  }

  /** This run's directory: the key pair, the demo owner's password, every service's log. */
  Path run() {
    return run;
  }

  Path privateKey() {
    return run.resolve("keys/jwt-private.pem");
  }

  String demoOwnerPassword() throws IOException {
    return Files.readString(run.resolve("demo-owner-password")).trim();
  }

  String demoApiKey() throws IOException {
    return Files.readString(run.resolve("demo-api-key")).trim();
  }

  /** Kills {@code service} as {@code kill -9} does and starts it again on the same port. */
  void crashAndRestart(String service) throws Exception {
    service(service).killAndRestart();
  }

  /** The extra settings that send every service's mail to {@code receivers}' SMTP server. */
  static Map<String, Map<String, String>> mailingTo(LocalReceivers receivers) {
    Map<String, String> smtp =
        Map.of(
            "quarkus.mailer.host", "127.0.0.1",
            "quarkus.mailer.port", String.valueOf(receivers.smtpPort()),
            "quarkus.mailer.mock", "false",
            "quarkus.mailer.tls", "false",
            "quarkus.mailer.start-tls", "DISABLED");
    return Map.of("notifications", smtp, "analytics", smtp);
  }

  private String database(String service) {
    return "it_" + service + "_" + suffix;
  }

  @Override
  public void close() throws Exception {
    List<String> names = new ArrayList<>(started.keySet());
    Exception failure = null;
    for (int i = names.size() - 1; i >= 0; i--) {
      try {
        started.get(names.get(i)).close();
      } catch (Exception e) {
        failure = failure == null ? e : failure;
      }
    }
    for (String database : databases) {
      ServiceDatabase.drop(infra.postgres(), database);
    }
    if (failure != null) {
      throw failure;
    }
  }
}
