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
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 *       the first use of {@code keys} freshly created keys, hits their second use;
 *   <li>added latency: the same request sent one at a time directly to the downstream and through
 *       the gateway (API key, cache hit), p50/p99 of each and the difference;
 *   <li>throughput: {@code concurrency} requests in flight, directly and through the gateway.
 * </ol>
 *
 * The tenant is government tier (20,000 requests/hour), so the rate limiter runs on every proxied
 * request without refusing any (a refusal would be counted and printed): the defaults use 19,000 of
 * that hour (2 per key, 2,000 warm-up, 5,000 one at a time, 10,000 in flight). The client is the
 * JDK's HTTP/1.1 client on virtual threads, the same for both paths. Args: {@code [keys=1000]
 * [sequential=5000] [concurrent=10000] [concurrency=32]}.
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
      Target direct = new Target(http, downstream.actualPort(), null);
      Target proxied = new Target(http, gateway.port, demoKey);

      List<String> secrets = new ArrayList<>();
      for (int i = 0; i < keyCount; i++) {
        secrets.add(createKey(http, gateway.port, demoKey, "bench-" + i));
      }
      for (String secret : secrets) { // first use: verified against the database
        new Target(http, gateway.port, secret).send();
      }
      for (String secret : secrets) { // second use: from the cache
        new Target(http, gateway.port, secret).send();
      }
      Map<String, Double> verification = verificationQuantiles(http, gateway.port);

      run(direct, 2_000, 4); // warm-up of both paths and the JIT
      run(proxied, 2_000, 4);
      // One at a time, alternating, so machine noise falls on both paths alike.
      Latencies directOne = new Latencies();
      Latencies proxiedOne = new Latencies();
      int proxiedFailures = 0;
      for (int i = 0; i < sequential; i++) {
        long sent = System.nanoTime();
        direct.send();
        directOne.add(System.nanoTime() - sent);
        sent = System.nanoTime();
        proxiedFailures += proxied.send() == 200 ? 0 : 1;
        proxiedOne.add(System.nanoTime() - sent);
      }
      ClosedLoop.Result directMany = run(direct, concurrent, concurrency);
      ClosedLoop.Result proxiedMany = run(proxied, concurrent, concurrency);

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
          "  via gateway %s%s%n",
          proxiedOne.summary(), proxiedFailures == 0 ? "" : "   (" + proxiedFailures + " NOT 200)");
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
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  /** Where requests go: the downstream itself, or the gateway with an API key. */
  private record Target(HttpClient http, int port, String apiKey) {
    int send() throws IOException, InterruptedException {
      HttpRequest.Builder request =
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/bench/tickets/t_1"))
              .timeout(Duration.ofSeconds(10));
      if (apiKey != null) {
        request.header("X-API-Key", apiKey);
      }
      return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray()).statusCode();
    }
  }

  /** {@code total} requests, {@code inFlight} at a time; anything but 200 is a failure. */
  private static ClosedLoop.Result run(Target target, int total, int inFlight)
      throws InterruptedException {
    return ClosedLoop.run(total, inFlight, () -> target.send() == 200);
  }

  private static String createKey(HttpClient http, int port, String ownerKey, String name)
      throws IOException, InterruptedException {
    HttpResponse<String> created =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/api-keys"))
                .header("X-API-Key", ownerKey)
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        new JsonObject()
                            .put("name", name)
                            .put("scopes", List.of("viewer"))
                            .encode()))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (created.statusCode() != 201) {
      throw new IllegalStateException(
          "Creating a key: " + created.statusCode() + " " + created.body());
    }
    return new JsonObject(created.body()).getString("secret");
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
