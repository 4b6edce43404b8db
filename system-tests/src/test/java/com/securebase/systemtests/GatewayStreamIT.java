package com.securebase.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.securebase.events.DomainEvents;
import com.securebase.events.EventEnvelope;
import com.securebase.events.EventJson;
import com.securebase.infra.ServiceProcess;
import com.securebase.testkit.BrokerEvents;
import com.securebase.testkit.JsonWebSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocketHandshakeException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The notification stream through the gateway, as a browser uses it: the demo owner signs in at the
 * gateway, opens {@code /v1/notifications/stream?access_token=…} on the gateway, and receives the
 * notification of a support event published to the broker; the gateway's WebSocket proxy relays the
 * upgrade (with the verified JWT) and the frames. Both services run from their packaged jars with
 * one key pair, as {@code make run} starts them.
 */
class GatewayStreamIT {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void notificationsArePushedThroughTheGatewaysWebSocketProxy() throws Exception {
    try (Platform platform = Platform.start(List.of("notifications"), Map.of())) {
      ServiceProcess gateway = platform.gateway();
      String token = PackagedServices.signIn(http, gateway, platform.demoOwnerPassword());
      JsonNode claims = PackagedServices.claims(token);
      UUID tenant = UUID.fromString(claims.path("tenant").asText());
      UUID owner = UUID.fromString(claims.path("sub").asText());

      JsonWebSocket stream = JsonWebSocket.open(streamUri(gateway, token), Map.of());
      // The service's consumers start at the end of the topic: publish until the first push.
      long deadline = System.nanoTime() + WAIT.toNanos();
      JsonNode pushed = null;
      List<String> published = new ArrayList<>();
      while (pushed == null && System.nanoTime() < deadline) {
        EventEnvelope event = statusChanged(tenant, owner);
        published.add(event.id());
        BrokerEvents.publish("securebase.support.events", event);
        JsonNode message = stream.next("notification", Duration.ofMillis(500));
        pushed = message == null ? null : message.path("notification");
      }
      assertThat(pushed)
          .as("a notification pushed through the gateway within %s", WAIT)
          .isNotNull();
      assertThat(published).contains(pushed.path("source").path("eventId").asText());
      assertThat(pushed.path("title").asText()).startsWith("Ticket updated: Through the gateway");

      // Without a valid token the gateway refuses the upgrade itself.
      assertThatThrownBy(() -> JsonWebSocket.open(streamUri(gateway, "not-a-token"), Map.of()))
          .hasCauseInstanceOf(WebSocketHandshakeException.class)
          .satisfies(
              e ->
                  assertThat(
                          ((WebSocketHandshakeException) e.getCause()).getResponse().statusCode())
                      .isEqualTo(401));
    }
  }

  private static URI streamUri(ServiceProcess gateway, String token) {
    return URI.create(
        "ws://127.0.0.1:" + gateway.port() + "/v1/notifications/stream?access_token=" + token);
  }

  /** A support ticket's status change, as the support service publishes it. */
  private static EventEnvelope statusChanged(UUID tenant, UUID requester) throws Exception {
    ObjectNode data =
        (ObjectNode)
            EventJson.tree(
                Files.readAllBytes(
                    PackagedServices.ROOT.resolve(
                        "kafka/examples/securebase.support.ticket.updated.json")));
    String ticket = UUID.randomUUID().toString();
    data.put("ticketId", ticket);
    data.put("tenantId", tenant.toString());
    data.put("requesterId", requester.toString());
    data.putNull("assigneeId");
    data.put("subject", "Through the gateway " + ticket.substring(0, 8));
    return new DomainEvents("support")
        .create("securebase.support.ticket.updated", tenant.toString(), ticket, data);
  }
}
