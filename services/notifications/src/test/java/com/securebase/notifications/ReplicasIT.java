package com.securebase.notifications;

import static com.securebase.notifications.NotificationFixtures.publish;
import static com.securebase.notifications.NotificationFixtures.ticketStatusChanged;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.securebase.events.EventEnvelope;
import com.securebase.events.EventJson;
import com.securebase.infra.LocalInfra;
import com.securebase.infra.ServiceDatabase;
import com.securebase.infra.ServiceProcess;
import com.securebase.testkit.JsonWebSocket;
import com.securebase.testkit.TestTokens;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/**
 * Two replicas of the built service (the packaged jar, prod profile) on one database and broker,
 * with a user connected to each. A domain event becomes a notification once for the whole
 * deployment (one consumer group), and every replica pushes it to the sockets it holds (fan-out
 * through Kafka): both users' events share a partition (same tenant), so one replica takes in both,
 * and the other user's push has to cross to the other replica.
 */
class ReplicasIT {
  private static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar");
  private static final Duration WAIT = Duration.ofSeconds(60);

  @Test
  void eachReplicaPushesToTheUsersConnectedToIt() throws Exception {
    LocalInfra infra = LocalInfra.shared();
    String database =
        "it_notifications_" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffL);
    ServiceDatabase db = ServiceDatabase.ensure(infra.postgres(), database, "notifications");
    Map<String, String> config = new LinkedHashMap<>(db.quarkusConfig());
    config.put("kafka.bootstrap.servers", infra.kafka().bootstrapServers());
    config.putAll(TestTokens.verificationConfig());
    // A deployment of its own: the domain-topic group starts at the end, like a new deployment.
    config.put("mp.messaging.connector.smallrye-kafka.group.id", "it-" + UUID.randomUUID());
    config.put("quarkus.log.level", "WARN");
    Path logs = Files.createTempDirectory("notifications-replicas");
    try (ServiceProcess one = replica("one", config, logs);
        ServiceProcess two = replica("two", config, logs)) {
      UUID tenant = UUID.randomUUID();
      UUID alice = UUID.randomUUID();
      UUID bob = UUID.randomUUID();
      Client aliceOnOne = Client.connect(one, TestTokens.user(tenant, alice, "viewer"));
      Client bobOnTwo = Client.connect(two, TestTokens.user(tenant, bob, "viewer"));

      // Both replicas' consumers are assigned once a push reaches each of them.
      aliceOnOne.awaitFirstPush(() -> publish(ticketStatusChanged(tenant, "Warm-up", alice)));
      bobOnTwo.awaitFirstPush(() -> publish(ticketStatusChanged(tenant, "Warm-up", bob)));

      EventEnvelope forAlice = ticketStatusChanged(tenant, "For Alice", alice);
      EventEnvelope forBob = ticketStatusChanged(tenant, "For Bob", bob);
      publish(forAlice);
      publish(forBob);

      assertThat(aliceOnOne.awaitPush(forAlice.id()).path("title").asText()).contains("For Alice");
      assertThat(bobOnTwo.awaitPush(forBob.id()).path("title").asText()).contains("For Bob");
      // Stored once for the deployment.
      assertThat(inboxFrom(two, tenant, alice, forAlice.id())).isEqualTo(1);
      assertThat(inboxFrom(one, tenant, bob, forBob.id())).isEqualTo(1);
      // Each user only got their own: a later event for each (same tenant, same partitions) is
      // pushed after anything the earlier two caused, and every push read so far is recorded.
      EventEnvelope laterForAlice = ticketStatusChanged(tenant, "Later for Alice", alice);
      EventEnvelope laterForBob = ticketStatusChanged(tenant, "Later for Bob", bob);
      publish(laterForAlice);
      publish(laterForBob);
      aliceOnOne.awaitPush(laterForAlice.id());
      bobOnTwo.awaitPush(laterForBob.id());
      assertThat(aliceOnOne.seen).doesNotContain(forBob.id());
      assertThat(bobOnTwo.seen).doesNotContain(forAlice.id());
      // The replica that took the events in pushed to its own socket at commit and skipped the
      // broker's copy; the other pushed the broker's copy: nobody got a notification twice.
      aliceOnOne.readFor(Duration.ofSeconds(2));
      bobOnTwo.readFor(Duration.ofSeconds(2));
      assertThat(aliceOnOne.seen).containsOnlyOnce(forAlice.id(), laterForAlice.id());
      assertThat(bobOnTwo.seen).containsOnlyOnce(forBob.id(), laterForBob.id());
    } finally {
      ServiceDatabase.drop(infra.postgres(), database);
    }
  }

  private static ServiceProcess replica(String name, Map<String, String> config, Path logs)
      throws Exception {
    return ServiceProcess.start(
        "notifications-" + name, JAR, config, List.of("-Xmx256m"), logs.resolve(name + ".log"));
  }

  /** How many of the user's notifications, read through {@code replica}, came from the event. */
  private static int inboxFrom(ServiceProcess replica, UUID tenant, UUID user, String eventId)
      throws Exception {
    HttpResponse<String> inbox =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(replica.url("/v1/notifications?limit=100")))
                    .header("Authorization", "Bearer " + TestTokens.user(tenant, user, "viewer"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(inbox.statusCode()).isEqualTo(200);
    int n = 0;
    for (JsonNode item :
        EventJson.tree(inbox.body().getBytes(StandardCharsets.UTF_8)).path("items")) {
      n += eventId.equals(item.path("source").path("eventId").asText()) ? 1 : 0;
    }
    return n;
  }

  /** A stream client that remembers every notification pushed to it. */
  private static final class Client {
    private final JsonWebSocket socket;

    /** The source event of every notification read from the socket so far. */
    private final List<String> seen = new ArrayList<>();

    private Client(JsonWebSocket socket) {
      this.socket = socket;
    }

    static Client connect(ServiceProcess replica, String token) throws Exception {
      return new Client(
          JsonWebSocket.open(
              URI.create("ws://127.0.0.1:" + replica.port() + "/v1/notifications/stream"),
              Map.of("Authorization", "Bearer " + token)));
    }

    private JsonNode next(Duration wait) throws InterruptedException {
      JsonNode message = socket.next("notification", wait);
      if (message == null) {
        return null;
      }
      JsonNode notification = message.path("notification");
      seen.add(notification.path("source").path("eventId").asText());
      return notification;
    }

    /** Reads whatever else is pushed until nothing comes for {@code quiet}. */
    void readFor(Duration quiet) throws InterruptedException {
      while (next(quiet) != null) {
        // recorded in seen
      }
    }

    /** Publishes (again every half second) until a first notification arrives. */
    void awaitFirstPush(Runnable publish) throws InterruptedException {
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (System.nanoTime() < deadline) {
        publish.run();
        if (next(Duration.ofMillis(500)) != null) {
          return;
        }
      }
      throw new AssertionError("No notification pushed within " + WAIT);
    }

    JsonNode awaitPush(String eventId) throws InterruptedException {
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (System.nanoTime() < deadline) {
        JsonNode n = next(Duration.ofMillis(100));
        if (n != null && eventId.equals(n.path("source").path("eventId").asText())) {
          return n;
        }
      }
      throw new AssertionError("The notification of " + eventId + " was not pushed within " + WAIT);
    }
  }
}
