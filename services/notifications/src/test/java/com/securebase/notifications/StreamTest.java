package com.securebase.notifications;

import static com.securebase.notifications.NotificationFixtures.NOTIFICATIONS;
import static com.securebase.notifications.NotificationFixtures.WAIT;
import static com.securebase.notifications.NotificationFixtures.awaitFrom;
import static com.securebase.notifications.NotificationFixtures.person;
import static com.securebase.notifications.NotificationFixtures.publish;
import static com.securebase.notifications.NotificationFixtures.ticketStatusChanged;
import static com.securebase.notifications.StreamClient.type;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.securebase.events.EventEnvelope;
import com.securebase.notifications.NotificationFixtures.Person;
import com.securebase.testkit.SecureBaseTestResource;
import com.securebase.testkit.SmtpServer;
import com.securebase.testkit.TestTokens;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The WebSocket stream with a real client: live pushes (through the broker fan-out), unread counts,
 * replay on reconnect, heartbeat, and refused upgrades.
 */
@QuarkusTest
@WithTestResource(
    value = SecureBaseTestResource.class,
    initArgs = @ResourceArg(name = "service", value = "notifications"))
@WithTestResource(SmtpServer.class)
class StreamTest {
  /** The random port the suite's server listens on (test-port=0). */
  private static int port() {
    return io.restassured.RestAssured.port;
  }

  @Test
  void aNewNotificationAndUnreadCountsArePushed() throws Exception {
    Person user = person(UUID.randomUUID(), "viewer");
    Person other = person(user.tenant(), "viewer");
    try (StreamClient stream = StreamClient.connect(port(), "", user.token());
        StreamClient bystander = StreamClient.connect(port(), "", other.token())) {
      assertThat(
              stream.await(type("unread_count"), 1, WAIT).getFirst().path("unreadCount").asLong())
          .isZero();
      bystander.await(type("unread_count"), 1, WAIT);
      EventEnvelope event = ticketStatusChanged(user.tenant(), "Printer on fire", user.id());
      publish(event);
      JsonNode pushed = stream.await(type("notification"), 1, WAIT).getFirst();
      assertThat(pushed.at("/notification/title").asText())
          .isEqualTo("Ticket updated: Printer on fire");
      assertThat(pushed.at("/notification/source/eventId").asText()).isEqualTo(event.id());
      assertThat(pushed.at("/notification/read").asBoolean()).isFalse();
      List<JsonNode> counts =
          stream.await(
              c -> type("unread_count").test(c) && c.path("unreadCount").asLong() == 1, 1, WAIT);
      assertThat(counts).hasSize(1);
      // The unread count follows a change made over REST (through the outbox and the topic).
      String id = pushed.at("/notification/id").asText();
      given()
          .auth()
          .oauth2(user.token())
          .post(NOTIFICATIONS + "/" + id + "/read")
          .then()
          .statusCode(200);
      assertThat(
              stream.await(
                  c -> type("unread_count").test(c) && c.path("unreadCount").asLong() == 0,
                  2,
                  WAIT))
          .hasSize(2);
      // Another user of the tenant got nothing but their own count (0, on connecting). The user's
      // last count above came after the fan-out of both events, so any push to the bystander
      // would be in by now.
      assertThat(bystander.all())
          .extracting(m -> m.path("type").asText() + "/" + m.path("unreadCount").asText())
          .containsExactly("unread_count/0");
    }
  }

  @Test
  void aReconnectingClientGetsWhatItMissedInOrder() throws Exception {
    Person user = person(UUID.randomUUID(), "viewer");
    EventEnvelope first = ticketStatusChanged(user.tenant(), "First", user.id());
    String firstId;
    try (StreamClient stream = StreamClient.connect(port(), "", user.token())) {
      stream.await(type("unread_count"), 1, WAIT);
      publish(first);
      firstId =
          stream.await(type("notification"), 1, WAIT).getFirst().at("/notification/id").asText();
    }
    EventEnvelope second = ticketStatusChanged(user.tenant(), "Second", user.id());
    EventEnvelope third = ticketStatusChanged(user.tenant(), "Third", user.id());
    publish(second);
    publish(third);
    awaitFrom(user, third.id(), 1);
    awaitFrom(user, second.id(), 1);

    try (StreamClient stream =
        StreamClient.connect(port(), "?lastSeenId=" + firstId, user.token())) {
      stream.await(type("replay_complete"), 1, WAIT);
      List<String> titles =
          stream.await(type("notification"), 2, WAIT).stream()
              .map(m -> m.at("/notification/title").asText())
              .toList();
      assertThat(titles).containsExactly("Ticket updated: Second", "Ticket updated: Third");
      assertThat(stream.await(type("unread_count"), 1, WAIT).getLast().path("unreadCount").asLong())
          .isEqualTo(3);
    }
    // The same through a resume message; an unknown id asks the client to reload.
    try (StreamClient stream = StreamClient.connect(port(), "", user.token())) {
      stream.await(type("unread_count"), 1, WAIT);
      stream.send("{\"type\":\"resume\",\"lastSeenId\":\"" + firstId + "\"}");
      assertThat(stream.await(type("notification"), 2, WAIT)).hasSize(2);
      stream.send("{\"type\":\"resume\",\"lastSeenId\":\"" + UUID.randomUUID() + "\"}");
      assertThat(stream.await(type("resync_required"), 1, WAIT)).hasSize(1);
    }
    // Another user cannot resume from this user's notification.
    Person other = person(user.tenant(), "viewer");
    try (StreamClient stream =
        StreamClient.connect(port(), "?lastSeenId=" + firstId, other.token())) {
      assertThat(stream.await(type("resync_required"), 1, WAIT)).hasSize(1);
      assertThat(stream.all()).noneMatch(type("notification")::test);
    }
  }

  @Test
  void heartbeatBothWays() throws Exception {
    Person user = person(UUID.randomUUID(), "viewer");
    try (StreamClient stream = StreamClient.connect(port(), "", user.token())) {
      stream.send("{\"type\":\"ping\"}");
      assertThat(stream.await(type("pong"), 1, WAIT)).hasSize(1);
      stream.send("not json");
      stream.send("{\"type\":\"dance\"}");
      assertThat(stream.await(type("error"), 2, WAIT))
          .extracting(m -> m.path("code").asText())
          .containsExactly("bad-message", "unknown-type");
      // The server pings on its own (every second in the test profile).
      assertThat(
              NotificationFixtures.until(
                  "a ping from the server", stream.pings::get, n -> n > 0, Duration.ofSeconds(10)))
          .isPositive();
    }
  }

  @Test
  void theTokenMayComeAsAQueryParameter() throws Exception {
    Person user = person(UUID.randomUUID(), "viewer");
    try (StreamClient stream =
        StreamClient.connect(port(), "?access_token=" + user.token(), null)) {
      assertThat(stream.await(type("unread_count"), 1, WAIT)).hasSize(1);
    }
  }

  @Test
  void anUpgradeWithoutAValidTokenIsRefused() {
    UUID tenant = UUID.randomUUID();
    String expired =
        TestTokens.sign(
            TestTokens.builder(tenant, UUID.randomUUID().toString(), "viewer")
                .issuedAt(Instant.now().minusSeconds(7200))
                .expiresAt(Instant.now().minusSeconds(3600)));
    for (String[] attempt :
        new String[][] {
          {"", null}, {"", "not.a.jwt"}, {"", expired}, {"?access_token=garbage", null}
        }) {
      assertThatThrownBy(() -> StreamClient.connect(port(), attempt[0], attempt[1]).close())
          .as(String.join(" ", java.util.Arrays.toString(attempt)))
          .cause()
          .isInstanceOfSatisfying(
              WebSocketHandshakeException.class,
              e -> assertThat(e.getResponse().statusCode()).isEqualTo(401));
    }
  }

  @Test
  void subscribedLiveUpdatesFollowWhatEachUserMaySee() throws Exception {
    UUID tenant = UUID.randomUUID();
    Person agent = person(tenant, "support");
    Person requester = person(tenant, "viewer");
    Person other = person(tenant, "viewer");
    Person analyst = person(tenant, "analyst");
    Person notSubscribed = person(tenant, "owner");
    try (StreamClient agentStream = StreamClient.connect(port(), "", agent.token());
        StreamClient requesterStream = StreamClient.connect(port(), "", requester.token());
        StreamClient otherStream = StreamClient.connect(port(), "", other.token());
        StreamClient analystStream = StreamClient.connect(port(), "", analyst.token());
        StreamClient quietStream = StreamClient.connect(port(), "", notSubscribed.token())) {
      for (StreamClient s : List.of(agentStream, requesterStream, otherStream, analystStream)) {
        s.await(type("unread_count"), 1, WAIT);
        s.send("{\"type\":\"subscribe\",\"topics\":[\"ticket_update\",\"budget_alert\"]}");
        assertThat(s.await(type("subscribed"), 1, WAIT).getFirst().path("topics")).hasSize(2);
      }
      agentStream.send("{\"type\":\"subscribe\",\"topics\":[\"weather\"]}");
      assertThat(agentStream.await(type("error"), 1, WAIT).getFirst().path("code").asText())
          .isEqualTo("unknown-topic");

      EventEnvelope ticket = ticketStatusChanged(tenant, "Live view", requester.id());
      EventEnvelope budget = NotificationFixtures.budgetReached(tenant, "Ops", 90);
      publish(ticket);
      publish(budget);
      JsonNode update = agentStream.await(type("ticket_update"), 1, WAIT).getFirst();
      assertThat(update.path("eventId").asText()).isEqualTo(ticket.id());
      assertThat(update.at("/data/subject").asText()).isEqualTo("Live view");
      assertThat(requesterStream.await(type("ticket_update"), 1, WAIT)).hasSize(1);
      assertThat(
              analystStream
                  .await(type("budget_alert"), 1, WAIT)
                  .getFirst()
                  .path("eventId")
                  .asText())
          .isEqualTo(budget.id());
      // Later events of the same tenant (same partitions) that `other` and the analyst may see:
      // once they arrive, the earlier ones were handled, and whatever they did is visible.
      EventEnvelope othersTicket = ticketStatusChanged(tenant, "Mine", other.id());
      EventEnvelope laterBudget = NotificationFixtures.budgetReached(tenant, "Ops", 95);
      publish(othersTicket);
      publish(laterBudget);
      assertThat(otherStream.await(type("ticket_update"), 1, WAIT))
          .extracting(m -> m.path("eventId").asText())
          .containsExactly(othersTicket.id());
      assertThat(analystStream.await(type("budget_alert"), 2, WAIT))
          .extracting(m -> m.path("eventId").asText())
          .containsExactly(budget.id(), laterBudget.id());
      assertThat(agentStream.await(type("ticket_update"), 2, WAIT))
          .extracting(m -> m.path("eventId").asText())
          .containsExactly(ticket.id(), othersTicket.id());
      assertThat(otherStream.all()).noneMatch(type("budget_alert")::test);
      assertThat(agentStream.all()).noneMatch(type("budget_alert")::test);
      assertThat(quietStream.all()).noneMatch(type("ticket_update").or(type("budget_alert"))::test);
    }
  }

  @Test
  void analyticsMetricUpdatesReachThoseWhoMayQueryAnalytics() throws Exception {
    UUID tenant = UUID.randomUUID();
    Person analyst = person(tenant, "analyst");
    Person agent = person(tenant, "support");
    try (StreamClient analystStream = StreamClient.connect(port(), "", analyst.token());
        StreamClient agentStream = StreamClient.connect(port(), "", agent.token())) {
      for (StreamClient s : List.of(analystStream, agentStream)) {
        s.await(type("unread_count"), 1, WAIT);
        s.send("{\"type\":\"subscribe\",\"topics\":[\"metrics_update\",\"ticket_update\"]}");
        s.await(type("subscribed"), 1, WAIT);
      }
      Map<String, Object> data = new java.util.LinkedHashMap<>();
      data.put("tenantId", tenant.toString());
      data.put("metrics", List.of("api.latency"));
      data.put("from", "2026-12-01T10:00:00Z");
      data.put("to", "2026-12-01T10:05:00Z");
      data.put("points", 12);
      data.put("updatedAt", "2026-12-01T10:05:01Z");
      EventEnvelope metrics =
          new com.securebase.events.DomainEvents("analytics")
              .create(
                  "securebase.analytics.metrics.updated",
                  tenant.toString(),
                  tenant.toString(),
                  data);
      publish(metrics);
      JsonNode update = analystStream.await(type("metrics_update"), 1, WAIT).getFirst();
      assertThat(update.path("eventId").asText()).isEqualTo(metrics.id());
      assertThat(update.at("/data/metrics/0").asText()).isEqualTo("api.latency");
      // A later ticket event the agent sees: by then the metrics update had passed them by.
      EventEnvelope ticket = ticketStatusChanged(tenant, "After the metrics", agent.id());
      publish(ticket);
      agentStream.await(type("ticket_update"), 1, WAIT);
      assertThat(agentStream.all()).noneMatch(type("metrics_update")::test);
    }
  }
}
