package com.securebase.bench;

import com.securebase.infra.JwtKeyPair;
import com.securebase.infra.LocalInfra;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The customer portal's first load (issue 21): the dashboard opened with an empty cache in Debian's
 * headless Chromium, through the gateway, with the services it reads behind it; beside it, the
 * dashboard's own API calls made from the page without the app (the floor, same run), and the
 * compressed JavaScript of every chunk. The browser side is {@code portal/e2e/budget.mjs}, which
 * the e2e test shares.
 */
public final class PortalBenchmark {
  /** The services the dashboard reads, with the gateway routes each one serves. */
  private static final Map<String, List<String>> ROUTES = new LinkedHashMap<>();

  static {
    ROUTES.put("notifications", List.of("notifications", "preferences"));
    ROUTES.put("billing", List.of("billing", "usage", "invoices", "metrics"));
    ROUTES.put("forecasting", List.of("forecasts", "budgets", "anomalies"));
    ROUTES.put("support", List.of("support"));
  }

  private PortalBenchmark() {}

  public static void main(String[] args) throws Exception {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    LocalInfra infra = LocalInfra.shared();
    // One key pair for all of them: the gateway's tokens must verify in every service.
    Map<String, String> keys =
        JwtKeyPair.quarkusConfig(
            Files.createTempDirectory("securebase-bench-portal").resolve("keys"));
    List<ServiceUnderBench> started = new ArrayList<>();
    try {
      Map<String, String> gatewayConfig = new HashMap<>(keys);
      for (Map.Entry<String, List<String>> service : ROUTES.entrySet()) {
        ServiceUnderBench s = ServiceUnderBench.start(infra, service.getKey(), keys);
        started.add(s);
        for (String route : service.getValue()) {
          gatewayConfig.put("securebase.gateway.routes." + route + ".url", s.url(""));
        }
      }
      gatewayConfig.put("securebase.demo.seed", "true");
      ServiceUnderBench gateway = ServiceUnderBench.start(infra, "gateway", gatewayConfig);
      started.add(gateway);
      String password = gateway.runFile("demo-owner-password");
      awaitBillingKnowsTheTenant(gateway, password);

      ProcessBuilder budget =
          new ProcessBuilder("node", "e2e/budget.mjs")
              .directory(Path.of("portal").toFile())
              .redirectErrorStream(true);
      budget.environment().put("PORTAL_URL", gateway.url(""));
      budget.environment().put("OWNER_EMAIL", "owner@demo.example.com");
      budget.environment().put("OWNER_PASSWORD", password);
      budget.environment().put("RUNS", String.valueOf(runs));
      Process run = budget.start();
      String output = new String(run.getInputStream().readAllBytes());
      if (!run.waitFor(10, TimeUnit.MINUTES) || run.exitValue() != 0) {
        throw new IllegalStateException("portal/e2e/budget.mjs failed:\n" + output);
      }
      String[] lines = output.strip().split("\n");
      JsonObject figures = new JsonObject(lines[lines.length - 1]);
      Latencies loads = latencies(figures.getJsonArray("loads"));
      Latencies floors = latencies(figures.getJsonArray("floors"));
      JsonObject js = figures.getJsonObject("js");

      System.out.printf(
          "Portal benchmark (built jars, Debian Chromium headless, loopback, %d cores), %d cold loads%n",
          Runtime.getRuntime().availableProcessors(), runs);
      System.out.printf(
          "  dashboard first load, empty cache   %s   (runs %s)%n",
          loads.summary(), figures.getJsonArray("loads"));
      System.out.printf(
          "  its API calls alone, from the page  %s   (runs %s)%n",
          floors.summary(), figures.getJsonArray("floors"));
      System.out.printf(
          "  compressed JavaScript: %,d bytes in %d chunks (%,d bytes the entry)%n",
          js.getLong("allChunksBytes"), js.getInteger("chunks"), js.getLong("entryBytes"));
      BenchFigures.add(
          "Portal",
          "dashboard first load, empty cache (median of " + runs + ")",
          loads.millis(0.5),
          "ms",
          "its API calls alone, from the page",
          floors.millis(0.5));
      BenchFigures.add(
          "Portal",
          "dashboard first load, empty cache (slowest of " + runs + ")",
          loads.millis(1.0),
          "ms",
          "its API calls alone, slowest",
          floors.millis(1.0));
      BenchFigures.add(
          "Portal",
          "compressed JavaScript, every chunk",
          js.getLong("allChunksBytes") / 1024.0,
          "KB");
    } finally {
      for (int i = started.size() - 1; i >= 0; i--) {
        started.get(i).close();
      }
    }
  }

  private static Latencies latencies(JsonArray millis) {
    Latencies l = new Latencies();
    millis.forEach(m -> l.add(((Number) m).longValue() * 1_000_000L));
    return l;
  }

  /** Billing learns a tenant's tier from the gateway's events; before that /v1/metrics waits. */
  private static void awaitBillingKnowsTheTenant(ServiceUnderBench gateway, String password)
      throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<String> signedIn =
        http.send(
            HttpRequest.newBuilder(URI.create(gateway.url("/v1/auth/authenticate")))
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        new JsonObject()
                            .put("email", "owner@demo.example.com")
                            .put("password", password)
                            .encode()))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    String token = new JsonObject(signedIn.body()).getString("accessToken");
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      HttpResponse<String> metrics =
          http.send(
              HttpRequest.newBuilder(URI.create(gateway.url("/v1/metrics")))
                  .header("Authorization", "Bearer " + token)
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (metrics.statusCode() == 200) {
        return;
      }
      Thread.sleep(500);
    }
    throw new IllegalStateException("billing did not learn the demo tenant within 60 s");
  }
}
