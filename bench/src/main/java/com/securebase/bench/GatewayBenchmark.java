package com.securebase.bench;

import com.securebase.infra.LocalInfra;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Gateway figures, in one run, against the built gateway jar on the project's real PostgreSQL and
 * Kafka, in front of a real downstream HTTP server on loopback:
 *
 * <ol>
 *   <li>API-key verification p50/p99 on a cache hit and a miss, as the gateway itself timed them
 *       ({@code securebase_gateway_apikey_verification_seconds} on {@code /q/metrics}); misses are
 *       the first use of {@code keys} freshly created keys (and the warm-up key's), hits their
 *       second use and the warm-up's requests;
 *   <li>added latency: the same request sent one at a time directly to the downstream and through
 *       the gateway (API key, cache hit), p50/p99 of each and the difference;
 *   <li>throughput: {@code concurrency} requests in flight, directly and through the gateway.
 * </ol>
 *
 * <p>Figures are for a warmed-up JVM, as a replica serves after its first minutes: {@code warm-up}
 * requests go to each path first, {@code concurrency} at a time. Without them the JIT compiler is
 * still at work during the measurement, and on two cores its threads take turns with the event
 * loops: with 2,000 warm-up requests at 4 in flight, the added p99 was 3.6–5.0 ms, and the
 * 32-in-flight phase had stalls of up to half a second.
 *
 * <p>Both tenants are government tier (20,000 requests/hour), so the rate limiter runs on every
 * proxied request without refusing any (a refusal would be counted and printed). The warm-up runs
 * as a second tenant, created through the API as the platform operator would, so the demo tenant's
 * hour is all measurement: 17,000 of it by default (2 per key, 5,000 one at a time, 10,000 in
 * flight). Requests are timed by one client for both paths, {@link EventLoopLoad} (Vert.x, from its
 * event loop); keys are created and metrics read with the JDK client. Args: {@code [keys=1000]
 * [sequential=5000] [concurrent=10000] [concurrency=32] [warm-up=15000]}.
 */
public final class GatewayBenchmark {
  private static final Pattern QUANTILE =
      Pattern.compile(
          "securebase_gateway_apikey_verification_seconds\\{cache=\"(hit|miss)\",quantile=\"(0\\.5|0\\.99)\"\\} (\\S+)");

  public static void main(String[] args) throws Exception {
    int keyCount = args.length > 0 ? Integer.parseInt(args[0]) : 1_000;
    int sequential = args.length > 1 ? Integer.parseInt(args[1]) : 5_000;
    int concurrent = args.length > 2 ? Integer.parseInt(args[2]) : 10_000;
    int concurrency = args.length > 3 ? Integer.parseInt(args[3]) : 32;
    int warmUpRequests = args.length > 4 ? Integer.parseInt(args[4]) : 15_000;

    LocalInfra infra = LocalInfra.shared();
    Vertx vertx = Vertx.vertx();
    byte[] payload = new JsonObject().put("id", "t_1").put("status", "open").encode().getBytes();
    HttpServer downstream =
        vertx
            .createHttpServer()
            .requestHandler(
                r ->
                    r.response()
                        .putHeader("Content-Type", "application/json")
                        .end(Buffer.buffer(payload)))
            .listen(0, "127.0.0.1")
            .toCompletionStage()
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    try (ServiceUnderBench gateway =
        ServiceUnderBench.start(
            infra,
            "gateway",
            Map.of(
                "securebase.demo.seed", "true",
                "securebase.demo.tier", "government",
                "securebase.gateway.routes.bench.prefix", "/v1/bench",
                "securebase.gateway.routes.bench.url",
                    "http://127.0.0.1:" + downstream.actualPort()))) {
      String demoKey = gateway.runFile("demo-api-key");
      EventLoopLoad load = new EventLoopLoad(vertx);
      EventLoopLoad.Target direct = target(downstream.actualPort(), null);
      EventLoopLoad.Target proxied = target(gateway.port, demoKey);

      // Warm-up on a second tenant, so the demo tenant's hourly budget is all measurement.
      EventLoopLoad.Target warmUp = target(gateway.port, warmUpKey(http, gateway));
      // The key's first use alone: 32 at once would be 32 cache misses on a cold JVM.
      load.closedLoop(warmUp, 1, 1);
      load.closedLoop(direct, warmUpRequests, concurrency);
      load.closedLoop(warmUp, warmUpRequests, concurrency);

      List<EventLoopLoad.Target> keys = new ArrayList<>();
      for (int i = 0; i < keyCount; i++) {
        keys.add(
            target(
                gateway.port, createKey(http, gateway.port, "X-API-Key", demoKey, "bench-" + i)));
      }
      requireNoFailures(load.alternate(1, keys)); // first use: verified against the database
      requireNoFailures(load.alternate(1, keys)); // second use: from the cache
      Map<String, Double> verification = verificationQuantiles(http, gateway.port);

      List<ClosedLoop.Result> oneAtATime = load.alternate(sequential, List.of(direct, proxied));
      Latencies directOne = oneAtATime.get(0).latencies();
      Latencies proxiedOne = oneAtATime.get(1).latencies();
      ClosedLoop.Result directMany = load.closedLoop(direct, concurrent, concurrency);
      ClosedLoop.Result proxiedMany = load.closedLoop(proxied, concurrent, concurrency);

      System.out.printf(
          "API-key verification inside the gateway (%,d keys: first use = miss, second = hit):%n",
          keyCount);
      System.out.printf(
          "  cache hit   p50 %.3f ms   p99 %.3f ms%n",
          verification.get("hit0.5") * 1e3, verification.get("hit0.99") * 1e3);
      System.out.printf(
          "  cache miss  p50 %.3f ms   p99 %.3f ms   (database lookup + RS256 token)%n",
          verification.get("miss0.5") * 1e3, verification.get("miss0.99") * 1e3);
      System.out.printf("Latency, one request at a time (%,d each):%n", sequential);
      System.out.printf("  direct      %s%n", directOne.summary());
      System.out.printf(
          "  via gateway %s%s%n", proxiedOne.summary(), oneAtATime.get(1).failureNote());
      System.out.printf(
          "  added by the gateway: p50 %.3f ms   p99 %.3f ms%n",
          proxiedOne.millis(0.5) - directOne.millis(0.5),
          proxiedOne.millis(0.99) - directOne.millis(0.99));
      System.out.printf("Throughput, %d in flight (%,d requests each):%n", concurrency, concurrent);
      System.out.printf(
          "  direct      %,.0f req/s   %s%n",
          directMany.perSecond(), directMany.latencies().summary());
      System.out.printf(
          "  via gateway %,.0f req/s   %s%s%n",
          proxiedMany.perSecond(), proxiedMany.latencies().summary(), proxiedMany.failureNote());
      BenchFigures.add(
          "Gateway",
          "request p50 via the gateway",
          proxiedOne.millis(0.5),
          "ms",
          "the same request direct",
          directOne.millis(0.5));
      BenchFigures.add(
          "Gateway",
          "request p99 via the gateway",
          proxiedOne.millis(0.99),
          "ms",
          "the same request direct",
          directOne.millis(0.99));
      BenchFigures.add(
          "Gateway",
          concurrency + " in flight via the gateway",
          proxiedMany.perSecond(),
          "req/s",
          "direct",
          directMany.perSecond());
      BenchFigures.add(
          "Gateway",
          "API-key verification p99, cache miss",
          verification.get("miss0.99") * 1e3,
          "ms",
          "cache hit",
          verification.get("hit0.99") * 1e3);
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  /** The benchmark's resource, directly or through the gateway with an API key. */
  private static EventLoopLoad.Target target(int port, String apiKey) {
    return EventLoopLoad.Target.get(
        port, "/v1/bench/tickets/t_1", apiKey == null ? Map.of() : Map.of("X-API-Key", apiKey));
  }

  private static void requireNoFailures(List<ClosedLoop.Result> results) {
    int failed = results.stream().mapToInt(ClosedLoop.Result::failures).sum();
    if (failed > 0) {
      throw new IllegalStateException(failed + " key verification requests did not answer 200");
    }
  }

  /**
   * An API key of a second government-tier tenant, made as the platform operator and the tenant's
   * owner would (tokens signed with this run's key).
   */
  private static String warmUpKey(HttpClient http, ServiceUnderBench gateway)
      throws IOException, InterruptedException {
    String operator =
        gateway.token(new UUID(0, 0), UUID.randomUUID(), "platform_admin"); // the platform tenant
    JsonObject tenant =
        created(
            http,
            gateway.port,
            "/v1/tenants",
            "Authorization",
            "Bearer " + operator,
            new JsonObject()
                .put("name", "Bench warm-up")
                .put("tier", "government")
                .put("branding", new JsonObject()));
    UUID tenantId = UUID.fromString(tenant.getString("id"));
    String owner = "Bearer " + gateway.token(tenantId, UUID.randomUUID(), "owner");
    return createKey(http, gateway.port, "Authorization", owner, "warm-up");
  }

  private static String createKey(
      HttpClient http, int port, String credentialHeader, String credential, String name)
      throws IOException, InterruptedException {
    JsonObject body = new JsonObject().put("name", name).put("scopes", List.of("viewer"));
    return created(http, port, "/v1/api-keys", credentialHeader, credential, body)
        .getString("secret");
  }

  /** POSTs {@code body} to the gateway's own API; the answer must be 201. */
  private static JsonObject created(
      HttpClient http,
      int port,
      String path,
      String credentialHeader,
      String credential,
      JsonObject body)
      throws IOException, InterruptedException {
    HttpResponse<String> answer =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header(credentialHeader, credential)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.encode()))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (answer.statusCode() != 201) {
      throw new IllegalStateException(
          "POST " + path + ": " + answer.statusCode() + " " + answer.body());
    }
    return new JsonObject(answer.body());
  }

  private static Map<String, Double> verificationQuantiles(HttpClient http, int port)
      throws IOException, InterruptedException {
    String metrics =
        http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/metrics"))
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    Map<String, Double> quantiles = new HashMap<>();
    Matcher m = QUANTILE.matcher(metrics);
    while (m.find()) {
      quantiles.put(m.group(1) + m.group(2), Double.parseDouble(m.group(3)));
    }
    if (quantiles.size() != 4) {
      throw new IllegalStateException("Verification timers missing from /q/metrics: " + quantiles);
    }
    return quantiles;
  }
}
