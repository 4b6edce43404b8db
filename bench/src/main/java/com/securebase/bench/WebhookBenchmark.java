package com.securebase.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.securebase.events.CloudEventsKafka;
import com.securebase.events.DomainEvents;
import com.securebase.events.EventEnvelope;
import com.securebase.events.EventJson;
import com.securebase.infra.LocalInfra;
import com.securebase.messaging.RelayProducers;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.Producer;

/**
 * Webhook delivery from the broker to a local receiver, through the built webhooks service:
 *
 * <ol>
 *   <li>Throughput: a burst of ticket events for one tenant with {@code endpoints} endpoints (each
 *       event is one delivery per endpoint), timed from the first publish to the last delivery.
 *   <li>Latency at a steady rate: event published → request received, p50/p99.
 *   <li>The same rate with one more endpoint that answers only after 2 s: the healthy endpoints'
 *       latency, to show what one slow receiver costs the others.
 * </ol>
 *
 * The receiver is a Vert.x HTTP server in this JVM on 127.0.0.1 (the service's SSRF allowlist opens
 * loopback for the run). Args: {@code [endpoints=10] [burst=2000] [rate=100] [seconds=20]}.
 */
public final class WebhookBenchmark {
  private static final String TOPIC = "securebase.support.events";
  private static final int WARM_UP = 6_000;

  public static void main(String[] args) throws Exception {
    int endpoints = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    int burst = args.length > 1 ? Integer.parseInt(args[1]) : 2_000;
    int rate = args.length > 2 ? Integer.parseInt(args[2]) : 100;
    int seconds = args.length > 3 ? Integer.parseInt(args[3]) : 20;

    LocalInfra infra = LocalInfra.shared();
    Vertx vertx = Vertx.vertx();
    Receiver receiver = new Receiver();
    HttpServer server =
        vertx
            .createHttpServer()
            .requestHandler(
                request ->
                    request.body(
                        body -> {
                          boolean slow = request.path().startsWith("/slow");
                          if (!slow) {
                            receiver.received(
                                request.path() + " " + request.getHeader("webhook-id"),
                                body.result().toString());
                          }
                          if (slow) {
                            vertx.setTimer(2_000, t -> request.response().setStatusCode(204).end());
                          } else {
                            request.response().setStatusCode(204).end();
                          }
                        }))
            .listen(0, "127.0.0.1")
            .toCompletionStage()
            .toCompletableFuture()
            .get();
    String base = "http://127.0.0.1:" + server.actualPort();
    Map<String, String> config =
        Map.of(
            "securebase.webhooks.require-https", "false",
            "securebase.webhooks.ssrf.allowlist", "127.0.0.0/8",
            // A fresh group at the end of the topics: other benchmarks' events are not this run's.
            "mp.messaging.incoming.catalog-events.group.id", "bench-" + UUID.randomUUID(),
            "mp.messaging.incoming.catalog-events.auto.offset.reset", "latest");
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    try (ServiceUnderBench webhooks = ServiceUnderBench.start(infra, "webhooks", config);
        Producer<String, byte[]> producer =
            RelayProducers.create(infra.kafka().bootstrapServers(), "webhook-bench")) {
      UUID tenant = UUID.randomUUID();
      String token = webhooks.token(tenant, UUID.randomUUID(), "admin");
      for (int i = 0; i < endpoints; i++) {
        createEndpoint(http, webhooks, token, base + "/fast/" + i);
      }
      Publisher publisher = new Publisher(producer, tenant, receiver);

      // The consumer starts at the end of the topic: publish until its first delivery arrives.
      long ready = System.nanoTime() + Duration.ofMinutes(1).toNanos();
      while (receiver.count() == 0) {
        if (System.nanoTime() > ready) {
          throw new IllegalStateException("No delivery within a minute; see the service log");
        }
        publisher.publish();
        Thread.sleep(500);
      }
      // Warm-up: with 500 events, the JIT compiler took more of the service's CPU than its event
      // loops during the burst.
      publisher.publishAndAwait(WARM_UP, endpoints, Duration.ofMinutes(5));

      // 1. Burst throughput.
      receiver.reset();
      long started = System.nanoTime();
      publisher.publishAndAwait(burst, endpoints, Duration.ofMinutes(5));
      double elapsed = (System.nanoTime() - started) / 1e9;
      int deliveries = burst * endpoints;
      System.out.printf(
          "Burst: %,d events x %d endpoints = %,d deliveries in %.2f s: %,.0f deliveries/s%n",
          burst, endpoints, deliveries, elapsed, deliveries / elapsed);
      BenchFigures.add("Webhooks", "burst deliveries per s", deliveries / elapsed, "per s");
      System.out.printf("  event -> receiver during the burst: %s%n", receiver.latencies.summary());

      // 2. Steady rate.
      receiver.reset();
      publisher.atRate(rate, seconds, endpoints);
      System.out.printf(
          "Steady %d events/s (%,d deliveries/s) for %d s, event -> receiver: %s%n",
          rate, rate * endpoints, seconds, receiver.latencies.summary());
      BenchFigures.add(
          "Webhooks",
          "event -> receiver p99 at " + rate * endpoints + " deliveries/s",
          receiver.latencies.millis(0.99),
          "ms");

      // 3. Same rate with one slow endpoint (2 s per answer) among them.
      createEndpoint(http, webhooks, token, base + "/slow/0");
      receiver.reset();
      publisher.atRate(rate, seconds, endpoints);
      System.out.printf(
          "Steady %d events/s with one endpoint answering in 2 s, healthy endpoints: %s%n",
          rate, receiver.latencies.summary());
      System.out.printf(
          "Messages an endpoint received more than once over the run: %d%n",
          receiver.duplicates.get());
      BenchFigures.add(
          "Webhooks", "messages received more than once", receiver.duplicates.get(), "");
    } finally {
      server.close();
      vertx.close();
    }
  }

  private static void createEndpoint(
      HttpClient http, ServiceUnderBench webhooks, String token, String url) throws Exception {
    HttpResponse<String> created =
        http.send(
            HttpRequest.newBuilder(URI.create(webhooks.url("/v1/webhooks/endpoints")))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(new JsonObject().put("url", url).encode()))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (created.statusCode() != 201) {
      throw new IllegalStateException("Endpoint not created: " + created.body());
    }
  }

  /**
   * Records event → receipt latency by the event id in the delivered body, once per endpoint and
   * message: a message an endpoint receives again (sent twice) is counted as a duplicate instead.
   */
  private static final class Receiver {
    final Map<String, Long> publishedAt = new ConcurrentHashMap<>();
    final Set<String> seen = ConcurrentHashMap.newKeySet();
    final AtomicInteger received = new AtomicInteger();
    final AtomicInteger duplicates = new AtomicInteger();
    volatile Latencies latencies = new Latencies();

    void received(String endpointAndMessage, String body) {
      if (!seen.add(endpointAndMessage)) {
        duplicates.incrementAndGet();
        return;
      }
      String id = new JsonObject(body).getString("id");
      Long sent = publishedAt.get(id);
      if (sent != null) {
        latencies.add(System.nanoTime() - sent);
      }
      received.incrementAndGet();
    }

    int count() {
      return received.get();
    }

    void reset() {
      latencies = new Latencies();
      received.set(0);
    }
  }

  /** Publishes ticket.created events of the tenant as the support service would. */
  private record Publisher(Producer<String, byte[]> producer, UUID tenant, Receiver receiver) {
    private static final DomainEvents SUPPORT = new DomainEvents("support");
    private static final ObjectNode EXAMPLE = example();

    private static ObjectNode example() {
      try {
        return (ObjectNode)
            EventJson.tree(
                Files.readAllBytes(
                    Path.of("kafka/examples/securebase.support.ticket.created.json")));
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }

    void publish() {
      ObjectNode data = EXAMPLE.deepCopy();
      String ticket = UUID.randomUUID().toString();
      data.put("tenantId", tenant.toString());
      data.put("ticketId", ticket);
      EventEnvelope event =
          SUPPORT.create("securebase.support.ticket.created", tenant.toString(), ticket, data);
      receiver.publishedAt.put(event.id(), System.nanoTime());
      producer.send(CloudEventsKafka.toRecord(TOPIC, event));
    }

    void publishAndAwait(int events, int endpoints, Duration timeout) throws InterruptedException {
      int target = receiver.count() + events * endpoints;
      for (int i = 0; i < events; i++) {
        publish();
      }
      producer.flush();
      awaitCount(target, timeout);
    }

    void atRate(int perSecond, int seconds, int endpoints) throws InterruptedException {
      int target = receiver.count() + perSecond * seconds * endpoints;
      long interval = TimeUnit.SECONDS.toNanos(1) / perSecond;
      long next = System.nanoTime();
      for (int i = 0; i < perSecond * seconds; i++) {
        long wait = next - System.nanoTime();
        if (wait > 0) {
          TimeUnit.NANOSECONDS.sleep(wait);
        }
        publish();
        next += interval;
      }
      producer.flush();
      awaitCount(target, Duration.ofMinutes(2));
    }

    private void awaitCount(int target, Duration timeout) throws InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (receiver.count() < target) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "Only " + receiver.count() + " of " + target + " deliveries arrived");
        }
        Thread.sleep(10);
      }
    }
  }
}
