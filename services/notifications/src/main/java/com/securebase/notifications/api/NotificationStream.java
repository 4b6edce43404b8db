package com.securebase.notifications.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.securebase.events.EventJson;
import com.securebase.events.MalformedEventException;
import com.securebase.notifications.api.NotificationViews.View;
import com.securebase.notifications.config.SafeContexts;
import com.securebase.notifications.domain.Inbox;
import com.securebase.notifications.domain.LiveUpdates;
import com.securebase.tenancy.CurrentCaller;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.OnTextMessage;
import io.quarkus.websockets.next.UserData.TypedKey;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * The real-time stream of the caller's notifications. The upgrade is authenticated with the JWT
 * (Authorization header, or the {@code access_token} query parameter: {@link
 * AccessTokenParameter}); without a valid token it is refused with 401.
 *
 * <p>Server to client: {@code notification} (a new notification, same shape as the REST API's),
 * {@code unread_count}, {@code replay_complete}, {@code resync_required}, {@code pong}, {@code
 * error}, {@code subscribed} and the live updates subscribed to ({@code ticket_update}, …: {@link
 * LiveUpdates}). Client to server: {@code {"type":"ping"}}, {@code
 * {"type":"resume","lastSeenId":…}} and {@code {"type":"subscribe","topics":[…]}}. Connecting with
 * {@code ?lastSeenId=} (or sending {@code resume}) replays what was missed, oldest first, from
 * Postgres. Live pushes come from the fan-out consumer of this replica ({@link
 * com.securebase.notifications.messaging.StreamFanout}); a push and a replay may overlap, so
 * clients de-duplicate on the notification id.
 */
@WebSocket(path = NotificationStream.PATH)
@Authenticated
public class NotificationStream {
  public static final String PATH = "/v1/notifications/stream";
  public static final TypedKey<UUID> TENANT = new TypedKey<>("tenant");
  public static final TypedKey<UUID> USER = new TypedKey<>("user");
  public static final TypedKey<Set<String>> ROLES = new TypedKey<>("roles");

  /** The live-update topics the client subscribed to (PRODUCT §7), none until it asks. */
  public static final TypedKey<Set<String>> SUBSCRIPTIONS = new TypedKey<>("subscriptions");

  @Inject SecurityIdentity identity;
  @Inject StreamConnections connections;
  @Inject Inbox inbox;
  @Inject SafeContexts contexts;

  @ConfigProperty(name = "securebase.notifications.stream.replay-limit", defaultValue = "500")
  int replayLimit;

  @OnOpen
  public Uni<Void> open(WebSocketConnection connection) {
    JsonWebToken jwt = (JsonWebToken) identity.getPrincipal();
    String tenantClaim = jwt.getClaim(CurrentCaller.TENANT_CLAIM);
    UUID tenant;
    UUID user;
    try {
      tenant = UUID.fromString(tenantClaim);
      user = UUID.fromString(jwt.getSubject());
    } catch (IllegalArgumentException | NullPointerException e) {
      return connection
          .sendText(StreamMessages.error("unauthorized", "The token has no tenant or subject"))
          .chain(() -> connection.close());
    }
    connection.userData().put(TENANT, tenant);
    connection.userData().put(USER, user);
    connection.userData().put(ROLES, Set.copyOf(jwt.getGroups()));
    connection.userData().put(SUBSCRIPTIONS, Set.of());
    connections.add(tenant, user, connection);
    List<String> lastSeen =
        new QueryStringDecoder("?" + nullToEmpty(connection.handshakeRequest().query()))
            .parameters()
            .get("lastSeenId");
    if (lastSeen != null && !lastSeen.isEmpty()) {
      return replay(connection, tenant, user, lastSeen.getFirst());
    }
    return contexts
        .run(() -> inbox.unreadCountOf(tenant, user))
        .chain(count -> connection.sendText(StreamMessages.unreadCount(count)));
  }

  @OnTextMessage
  public Uni<Void> message(WebSocketConnection connection, String text) {
    JsonNode message;
    try {
      message = EventJson.tree(text.getBytes(StandardCharsets.UTF_8));
    } catch (MalformedEventException e) {
      return connection.sendText(
          StreamMessages.error("bad-message", "Messages are JSON objects with a type"));
    }
    return switch (message.path("type").asText()) {
      case "ping" -> connection.sendText(StreamMessages.pong());
      case "resume" -> {
        if (!message.path("lastSeenId").isTextual()) {
          yield connection.sendText(
              StreamMessages.error("bad-message", "resume needs a lastSeenId"));
        }
        yield replay(
            connection,
            connection.userData().get(TENANT),
            connection.userData().get(USER),
            message.path("lastSeenId").asText());
      }
      case "subscribe" -> subscribe(connection, message.path("topics"));
      default ->
          connection.sendText(
              StreamMessages.error("unknown-type", "Known message types: ping, resume, subscribe"));
    };
  }

  @OnClose
  public void close(WebSocketConnection connection) {
    UUID tenant = connection.userData().get(TENANT);
    UUID user = connection.userData().get(USER);
    if (tenant != null && user != null) {
      connections.remove(tenant, user, connection);
    }
  }

  /** Replaces the connection's live-update subscriptions; an unknown topic changes nothing. */
  private Uni<Void> subscribe(WebSocketConnection connection, JsonNode topics) {
    if (!topics.isArray()) {
      return connection.sendText(
          StreamMessages.error("bad-message", "subscribe needs topics: an array of names"));
    }
    Set<String> wanted = new java.util.TreeSet<>();
    for (JsonNode topic : topics) {
      if (!topic.isTextual() || !LiveUpdates.TOPICS.contains(topic.asText())) {
        return connection.sendText(
            StreamMessages.error(
                "unknown-topic",
                "Topics are " + String.join(", ", new java.util.TreeSet<>(LiveUpdates.TOPICS))));
      }
      wanted.add(topic.asText());
    }
    connection.userData().put(SUBSCRIPTIONS, Set.copyOf(wanted));
    return connection.sendText(StreamMessages.subscribed(wanted));
  }

  /** Sends what the user missed after {@code lastSeenId}, oldest first, then the unread count. */
  private Uni<Void> replay(
      WebSocketConnection connection, UUID tenant, UUID user, String lastSeenId) {
    UUID last;
    try {
      last = UUID.fromString(lastSeenId);
    } catch (IllegalArgumentException e) {
      return connection.sendText(StreamMessages.resyncRequired(lastSeenId));
    }
    return contexts
        .run(() -> inbox.since(tenant, user, last, replayLimit))
        .chain(
            replay -> {
              if (!replay.known()) {
                return connection
                    .sendText(StreamMessages.resyncRequired(lastSeenId))
                    .chain(
                        () ->
                            connection.sendText(StreamMessages.unreadCount(replay.unreadCount())));
              }
              Uni<Void> chain = Uni.createFrom().voidItem();
              for (var n : replay.missed()) {
                chain =
                    chain.chain(() -> connection.sendText(StreamMessages.notification(View.of(n))));
              }
              int replayed = replay.missed().size();
              return chain
                  .chain(
                      () ->
                          connection.sendText(
                              StreamMessages.replayed(replayed, replayed < replayLimit)))
                  .chain(
                      () -> connection.sendText(StreamMessages.unreadCount(replay.unreadCount())));
            });
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }
}
