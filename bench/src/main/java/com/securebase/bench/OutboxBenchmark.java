package com.securebase.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.securebase.catalog.EventCatalog;
import com.securebase.events.CloudEventsKafka;
import com.securebase.events.DomainEvents;
import com.securebase.events.EventEnvelope;
import com.securebase.events.EventJson;
import com.securebase.infra.LocalInfra;
import com.securebase.infra.ServiceDatabase;
import com.securebase.messaging.OutboxRelay;
import com.securebase.messaging.RelayProducers;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.mutiny.pgclient.PgBuilder;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.flywaydb.core.Flyway;

/**
 * Outbox relay figures against the project's real PostgreSQL and Kafka broker:
 *
 * <ol>
 *   <li>throughput: a backlog of N committed events drained by one relay (events/s to the broker,
 *       acknowledged with acks=all);
 *   <li>latency: events committed one per transaction at a steady rate, the relay woken after each
 *       commit as services do, timed from the commit returning to a consumer receiving them
 *       (p50/p99/max).
 * </ol>
 *
 * Args: {@code [backlog=50000] [rate/s=500] [seconds=20]}.
 */
public final class OutboxBenchmark {
  private static final String TYPE = "securebase.support.ticket.created";
  private static final String TOPIC = "securebase.support.events";
  // Mirrors Outbox.append (which runs inside a Hibernate Reactive session) on the plain client.
  private static final String INSERT =
      "insert into outbox_event (event_id, topic, tenant_id, event_type, source, subject,"
          + " occurred_at, data_schema, data) values ($1, $2, $3, $4, $5, $6, $7, $8, cast(cast($9 as text) as json))";

  public static void main(String[] args) throws Exception {
    int backlog = args.length > 0 ? Integer.parseInt(args[0]) : 50_000;
    int rate = args.length > 1 ? Integer.parseInt(args[1]) : 500;
    int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 20;

    LocalInfra infra = LocalInfra.shared();
    String database = "bench_" + Long.toHexString(System.nanoTime() & 0xffffffL);
    ServiceDatabase db = ServiceDatabase.ensure(infra.postgres(), database, "bench");
    Flyway.configure()
        .dataSource(db.jdbcUrl(), db.ownerUser(), db.ownerPassword())
        .schemas("bench")
        .defaultSchema("bench")
        .locations("classpath:db/securebase")
        .load()
        .migrate();

    Vertx vertx = Vertx.vertx();
    PgConnectOptions options =
        PgConnectOptions.fromUri(db.reactiveUrl())
            .setUser(db.appUser())
            .setPassword(db.appPassword());
    Pool pool =
        PgBuilder.pool()
            .with(new PoolOptions().setMaxSize(8))
            .connectingTo(options)
            .using(io.vertx.mutiny.core.Vertx.newInstance(vertx))
            .build();
    Producer<String, byte[]> producer =
        RelayProducers.create(infra.kafka().bootstrapServers(), "bench-relay");
    DomainEvents events = new DomainEvents("support");
    String tenant = UUID.randomUUID().toString();

    try {
      System.out.printf(
          "Outbox relay benchmark (PostgreSQL 17 and Kafka 4.3.1 on loopback, %d cores)%n",
          Runtime.getRuntime().availableProcessors());

      // 1. Throughput: drain a committed backlog.
      insertBacklog(pool, events, tenant, backlog);
      OutboxRelay relay =
          new OutboxRelay(
              pool,
              producer,
              new OutboxRelay.Settings(
                  500,
                  Duration.ofMillis(200),
                  Duration.ofSeconds(30),
                  Duration.ofDays(7),
                  Duration.ofDays(90)),
              new SimpleMeterRegistry());
      relayOnce(relay, 1_000); // warm-up of the producer, the JIT and the connection
      long start = System.nanoTime();
      int sent = 0;
      int n;
      while ((n = relay.relayBatch()) > 0) {
        sent += n;
      }
      double secs = (System.nanoTime() - start) / 1e9;
      System.out.printf(
          "throughput: %,d events relayed in %.2f s = %,.0f events/s (batch 500, acks=all, idempotent)%n",
          sent, secs, sent / secs);
      BenchFigures.add("Outbox relay", "backlog relayed to Kafka", sent / secs, "events/s");

      // 2. Latency: commit -> consumer receive, relay woken by NOTIFY.
      Map<String, Long> committedAt = new ConcurrentHashMap<>();
      Map<String, Long> receivedAt = new ConcurrentHashMap<>();
      int total = rate * seconds;
      CountDownLatch received = new CountDownLatch(total);
      AtomicBoolean consuming = new AtomicBoolean(true);
      CountDownLatch assigned = new CountDownLatch(1);
      Thread consumer =
          Thread.ofPlatform()
              .name("bench-consumer")
              .start(
                  () ->
                      consume(
                          infra.kafka().bootstrapServers(),
                          tenant,
                          receivedAt,
                          received,
                          consuming,
                          assigned));
      assigned.await(30, TimeUnit.SECONDS);
      relay.start("bench-relay");
      Thread.sleep(500);
      long interval = 1_000_000_000L / rate;
      long next = System.nanoTime();
      for (int i = 0; i < total; i++) {
        EventEnvelope event = event(events, tenant, "latency-" + i);
        pool.withTransaction(c -> c.preparedQuery(INSERT).execute(params(event)))
            .await()
            .indefinitely();
        committedAt.put(event.id(), System.nanoTime());
        relay.wake(); // as Outbox does after a commit that wrote events
        next += interval;
        long wait = next - System.nanoTime();
        if (wait > 0) {
          TimeUnit.NANOSECONDS.sleep(wait);
        }
      }
      boolean all = received.await(60, TimeUnit.SECONDS);
      consuming.set(false);
      consumer.join();
      relay.close();
      // The consumer may see an event before the committing thread has noted the commit time,
      // so the two sides are matched up only at the end.
      List<Long> sorted =
          receivedAt.entrySet().stream()
              .filter(e -> committedAt.containsKey(e.getKey()))
              .map(e -> Math.max(0, e.getValue() - committedAt.get(e.getKey())) / 1_000)
              .sorted()
              .toList();
      System.out.printf(
          "latency (commit -> consumed), %,d events at %d/s, one event per transaction%s:%n",
          sorted.size(), rate, all ? "" : " (SOME MISSING)");
      System.out.printf(
          "  p50 %.2f ms   p99 %.2f ms   max %.2f ms%n",
          pct(sorted, 0.50) / 1000.0, pct(sorted, 0.99) / 1000.0, sorted.getLast() / 1000.0);
      BenchFigures.add(
          "Outbox relay",
          "commit -> consumed p99 at " + rate + "/s",
          pct(sorted, 0.99) / 1000.0,
          "ms");
    } finally {
      producer.close();
      pool.close().await().indefinitely();
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      ServiceDatabase.drop(infra.postgres(), database);
    }
  }

  private static void relayOnce(OutboxRelay relay, int atLeast) {
    int sent = 0;
    while (sent < atLeast) {
      sent += relay.relayBatch();
    }
  }

  private static void insertBacklog(Pool pool, DomainEvents events, String tenant, int count) {
    int perTx = 500;
    for (int done = 0; done < count + 1_000; done += perTx) {
      List<Tuple> batch = new ArrayList<>(perTx);
      for (int i = 0; i < perTx; i++) {
        batch.add(params(event(events, tenant, "backlog-" + (done + i))));
      }
      pool.withTransaction(c -> c.preparedQuery(INSERT).executeBatch(batch)).await().indefinitely();
    }
  }

  private static EventEnvelope event(DomainEvents events, String tenant, String subject) {
    ObjectNode data = EventCatalog.load().example(TYPE).deepCopy();
    data.put("tenantId", tenant)
        .put("ticketId", UUID.randomUUID().toString())
        .put("subject", subject);
    return events.create(TYPE, tenant, data.get("ticketId").asText(), data);
  }

  private static Tuple params(EventEnvelope e) {
    return Tuple.tuple(
        List.of(
            UUID.fromString(e.id()),
            TOPIC,
            e.tenantId(),
            e.type(),
            e.source().toString(),
            e.subject(),
            e.time(),
            e.dataSchema().toString(),
            new String(EventJson.bytes(e.data()), StandardCharsets.UTF_8)));
  }

  private static void consume(
      String bootstrap,
      String tenant,
      Map<String, Long> receivedAt,
      CountDownLatch received,
      AtomicBoolean running,
      CountDownLatch assigned) {
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG,
                "bench-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "latest",
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG,
                10,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class))) {
      consumer.subscribe(List.of(TOPIC));
      while (consumer.assignment().isEmpty()) {
        consumer.poll(Duration.ofMillis(100));
      }
      consumer.seekToEnd(consumer.assignment());
      consumer.assignment().forEach(consumer::position);
      assigned.countDown();
      while (running.get() && received.getCount() > 0) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(50))) {
          long now = System.nanoTime();
          if (!tenant.equals(record.key())) {
            continue;
          }
          EventEnvelope event = CloudEventsKafka.fromRecord(record);
          if (event.subject() != null
              && receivedAt.putIfAbsent(event.id(), now) == null
              && event.data().path("subject").asText().startsWith("latency-")) {
            received.countDown();
          }
        }
      }
    }
  }

  private static long pct(List<Long> sorted, double p) {
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
  }
}
