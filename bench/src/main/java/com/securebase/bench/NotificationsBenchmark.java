package com.securebase.bench;

import com.securebase.events.CloudEventsKafka;
import com.securebase.events.DomainEvents;
import com.securebase.events.EventEnvelope;
import com.securebase.infra.LocalInfra;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Event-to-WebSocket-push latency of the built notifications jar on the real PostgreSQL and Kafka:
 * {@code clients} WebSocket clients (Vert.x), each its own user, 20 users to a tenant (events are
 * keyed, so partitioned, by tenant), stay connected while support events ({@code ticket.updated}, a
 * status change the requester is notified of) are published to the broker at {@code rate} per
 * second, each for one connected user in turn. Latency runs from handing the event to the Kafka
 * producer until the client holds the pushed notification: the whole path of consume, store (one
 * RLS-scoped transaction with the outbox event), relay to the service's own topic, fan-out consume,
 * and socket write.
 *
 * <p>Args: {@code [clients=1000] [rate=20] [seconds=30] [warm-up seconds=20]}: events sent at the
 * rate for the warm-up are not recorded. A 5 s warm-up left the service's JIT compiler using more
 * CPU than its event loops while the figures were taken.
 */
public final class NotificationsBenchmark {
  private static final int USERS_PER_TENANT = 20;
  // Suffix of the sentAt key holding the wall-clock send time (compared with createdAt).
  private static final String WALL = "@wall";

  public static void main(String[] args) throws Exception {
    int clients = args.length > 0 ? Integer.parseInt(args[0]) : 1_000;
    int rate = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 30;
    int warmup = rate * (args.length > 3 ? Integer.parseInt(args[3]) : 20);

    LocalInfra infra = LocalInfra.shared();
    Vertx vertx = Vertx.vertx();
    // A fresh consumer group per run: the bench broker keeps earlier runs' (and benchmarks')
    // events.
    Map<String, String> config =
        Map.of(
            "mp.messaging.connector.smallrye-kafka.group.id",
            "bench-notifications-" + UUID.randomUUID(),
            "quarkus.mailer.mock",
            "true");
    try (ServiceUnderBench service = ServiceUnderBench.start(infra, "notifications", config);
        KafkaProducer<String, byte[]> producer = producer(infra)) {
      List<UUID> users = new ArrayList<>();
      Map<UUID, UUID> tenantOf = new LinkedHashMap<>();
      UUID tenant = UUID.randomUUID();
      for (int i = 0; i < clients; i++) {
        if (i % USERS_PER_TENANT == 0) {
          tenant = UUID.randomUUID();
        }
        UUID user = UUID.randomUUID();
        users.add(user);
        tenantOf.put(user, tenant);
      }
      Map<String, Long> sentAt = new ConcurrentHashMap<>();
      Latencies latencies = new Latencies();
      // The two halves, split at the notification's createdAt (the service's clock, same machine).
      Latencies intake = new Latencies();
      Latencies push = new Latencies();
      AtomicInteger pushes = new AtomicInteger();
      WebSocketClient wsClient =
          vertx.createWebSocketClient(
              new WebSocketClientOptions()
                  .setMaxConnections(clients * 2)
                  .setConnectTimeout(30_000));
      List<WebSocket> sockets =
          connect(
              service,
              wsClient,
              tenantOf,
              sentAt,
              new Latencies[] {latencies, intake, push},
              pushes);

      DomainEvents support = new DomainEvents("support");
      // Warm-up until pushes flow (consumer groups assigned, JIT warm), not recorded.
      long warmStart = System.nanoTime();
      publish(producer, support, tenantOf, users, warmup, rate, sentAt);
      await(() -> pushes.get() >= warmup, 60);
      double warmSeconds = (System.nanoTime() - warmStart) / 1e9;
      latencies.reset();
      intake.reset();
      push.reset();
      pushes.set(0);

      int total = rate * seconds;
      long start = System.nanoTime();
      publish(producer, support, tenantOf, users, total, rate, sentAt);
      double publishSeconds = (System.nanoTime() - start) / 1e9;
      await(() -> pushes.get() >= total, 60);

      System.out.printf(
          "Notifications benchmark (built jar, PostgreSQL and Kafka on loopback, %d cores)%n",
          Runtime.getRuntime().availableProcessors());
      System.out.printf(
          "  %,d WebSocket clients connected (one user each); warm-up %,d events in %.1f s%n",
          sockets.size(), warmup, warmSeconds);
      System.out.printf(
          "  %,d support events published at %,d/s (achieved %,.0f/s), %,d pushes received%s%n",
          total,
          rate,
          total / publishSeconds,
          pushes.get(),
          pushes.get() < total ? "   (" + (total - pushes.get()) + " MISSING)" : "");
      System.out.printf("  event published -> notification pushed   %s%n", latencies.summary());
      System.out.printf("    of which published -> stored (intake)  %s%n", intake.summary());
      System.out.printf("    and stored -> pushed (outbox, fan-out) %s%n", push.summary());
      BenchFigures.add(
          "Notifications",
          "event -> WebSocket push p99 at " + rate + " events/s",
          latencies.millis(0.99),
          "ms",
          "published -> stored (its intake part)",
          intake.millis(0.99));
      for (WebSocket socket : sockets) {
        socket.close();
      }
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  private static List<WebSocket> connect(
      ServiceUnderBench service,
      WebSocketClient client,
      Map<UUID, UUID> tenantOf,
      Map<String, Long> sentAt,
      Latencies[] latencies,
      AtomicInteger pushes)
      throws Exception {
    List<WebSocket> sockets = java.util.Collections.synchronizedList(new ArrayList<>());
    CountDownLatch connected = new CountDownLatch(tenantOf.size());
    for (UUID user : tenantOf.keySet()) {
      WebSocketConnectOptions options =
          new WebSocketConnectOptions()
              .setHost("127.0.0.1")
              .setPort(service.port)
              .setURI("/v1/notifications/stream")
              .addHeader(
                  "Authorization", "Bearer " + service.token(tenantOf.get(user), user, "viewer"));
      client
          .connect(options)
          .onSuccess(
              ws -> {
                ws.textMessageHandler(
                    text -> {
                      long now = System.nanoTime();
                      long nowWall = wallNanos(Instant.now());
                      JsonObject message = new JsonObject(text);
                      if ("notification".equals(message.getString("type"))) {
                        JsonObject notification = message.getJsonObject("notification");
                        String eventId = notification.getJsonObject("source").getString("eventId");
                        Long sent = sentAt.remove(eventId);
                        Long sentWall = sentAt.remove(eventId + WALL);
                        if (sent != null) {
                          long stored =
                              wallNanos(Instant.parse(notification.getString("createdAt")));
                          latencies[0].add(now - sent);
                          latencies[1].add(stored - sentWall);
                          latencies[2].add(nowWall - stored);
                          pushes.incrementAndGet();
                        }
                      }
                    });
                sockets.add(ws);
                connected.countDown();
              })
          .onFailure(
              e -> {
                System.err.println("WebSocket connect failed: " + e);
                connected.countDown();
              });
    }
    if (!connected.await(2, TimeUnit.MINUTES)) {
      throw new IllegalStateException("Clients did not connect within 2 min");
    }
    return sockets;
  }

  /** Publishes {@code count} events at {@code rate}/s, round-robin over the users. */
  private static void publish(
      KafkaProducer<String, byte[]> producer,
      DomainEvents support,
      Map<UUID, UUID> tenantOf,
      List<UUID> users,
      int count,
      int rate,
      Map<String, Long> sentAt)
      throws InterruptedException {
    long interval = 1_000_000_000L / rate;
    long next = System.nanoTime();
    for (int i = 0; i < count; i++) {
      UUID user = users.get(i % users.size());
      EventEnvelope event = statusChanged(support, tenantOf.get(user), user, i);
      long wait = next - System.nanoTime();
      if (wait > 0) {
        TimeUnit.NANOSECONDS.sleep(wait);
      }
      sentAt.put(event.id() + WALL, wallNanos(Instant.now()));
      sentAt.put(event.id(), System.nanoTime());
      producer.send(CloudEventsKafka.toRecord(event));
      next += interval;
    }
    producer.flush();
  }

  private static EventEnvelope statusChanged(
      DomainEvents support, UUID tenant, UUID requester, int i) {
    String now = Instant.now().toString();
    UUID ticket = UUID.randomUUID();
    Map<String, Object> sla = new LinkedHashMap<>();
    sla.put("firstResponseDueAt", now);
    sla.put("state", "pending");
    sla.put("respondedAt", null);
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("ticketId", ticket.toString());
    d.put("tenantId", tenant.toString());
    d.put("subject", "Benchmark ticket " + i);
    d.put("priority", "low");
    d.put("status", "in_progress");
    d.put("category", null);
    d.put("assigneeId", null);
    d.put("requesterId", requester.toString());
    d.put("tags", List.of());
    d.put("slaState", sla);
    d.put("createdAt", now);
    d.put("updatedAt", now);
    d.put("version", 2);
    d.put("changes", List.of("status"));
    d.put("previousStatus", "open");
    return support.create(
        "securebase.support.ticket.updated", tenant.toString(), ticket.toString(), d);
  }

  private static KafkaProducer<String, byte[]> producer(LocalInfra infra) {
    return new KafkaProducer<>(
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            infra.kafka().bootstrapServers(),
            ProducerConfig.ACKS_CONFIG,
            "all",
            ProducerConfig.LINGER_MS_CONFIG,
            0),
        new StringSerializer(),
        new ByteArraySerializer());
  }

  private static void await(java.util.function.BooleanSupplier done, int seconds)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (!done.getAsBoolean() && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
  }

  private static long wallNanos(Instant instant) {
    return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
  }
}
