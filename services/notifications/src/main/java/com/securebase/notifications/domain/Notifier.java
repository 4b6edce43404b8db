package com.securebase.notifications.domain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.securebase.events.EventEnvelope;
import com.securebase.events.EventJson;
import com.securebase.messaging.Outbox;
import com.securebase.notifications.domain.NotificationRules.Rule;
import com.securebase.notifications.messaging.NotificationEvents;
import com.securebase.notifications.persistence.Addressing;
import com.securebase.notifications.persistence.Addressing.Candidate;
import com.securebase.notifications.persistence.Delivery;
import com.securebase.notifications.persistence.Notification;
import com.securebase.notifications.persistence.NotificationRows;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Turns a domain event into notifications by its {@link NotificationRules rule}: one per recipient,
 * each stored, announced on the outbox ({@code notification.created}, which every replica pushes to
 * its sockets) and queued for email and Slack as preferences say. Runs inside the idempotent
 * consumer's transaction, so an event redelivered by Kafka notifies nobody twice. An event costs
 * three flights to the database whatever its audience: addressing, the rows, their announcements.
 */
@ApplicationScoped
public class Notifier {
  static final int MAX_TITLE = 200;
  static final int MAX_BODY = 4000;

  @Inject NotificationEvents events;
  @Inject Outbox outbox;
  @Inject Clock clock;

  /**
   * @return the announcements of the notifications created (none when no rule applies or nobody is
   *     addressed), written to the outbox in the caller's transaction
   */
  public Uni<List<EventEnvelope>> notify(SqlConnection connection, EventEnvelope event) {
    Rule rule = NotificationRules.forEvent(event.type()).orElse(null);
    if (rule == null || event.platformScoped() || !rule.applies().test(event.data())) {
      return Uni.createFrom().item(List.of());
    }
    UUID tenant = UUID.fromString(event.tenantId());
    Set<UUID> named = named(rule, event.data());
    if (named.isEmpty() && rule.audience().roles().isEmpty()) {
      return Uni.createFrom().item(List.of());
    }
    return Addressing.read(connection, tenant, named, rule.audience().roles(), rule.type())
        .chain(
            addressing -> {
              List<Candidate> addressees = audience(rule, event.data(), named, addressing);
              return addressees.isEmpty()
                  ? Uni.createFrom().item(List.<EventEnvelope>of())
                  : create(connection, tenant, rule, event, addressees, addressing);
            });
  }

  /** The users the event names (in the rule's order), where the rule's condition holds. */
  private static Set<UUID> named(Rule rule, JsonNode data) {
    Set<UUID> users = new LinkedHashSet<>();
    rule.audience()
        .users()
        .forEach(
            (field, when) -> {
              UUID user = uuid(data.path(field));
              if (user != null && when.test(data)) {
                users.add(user);
              }
            });
    return users;
  }

  /**
   * Named users first, then users by role; never whoever the rule excludes, nor a user the gateway
   * removed from the tenant.
   */
  private static List<Candidate> audience(
      Rule rule, JsonNode data, Set<UUID> named, Addressing addressing) {
    Map<UUID, Candidate> byUser = new LinkedHashMap<>();
    addressing.candidates().forEach(c -> byUser.put(c.userId(), c));
    Map<UUID, Candidate> audience = new LinkedHashMap<>();
    named.forEach(user -> audience.put(user, byUser.get(user)));
    addressing.candidates().stream()
        .filter(Candidate::byRole)
        .forEach(c -> audience.putIfAbsent(c.userId(), c));
    if (rule.audience().except() != null) {
      audience.remove(uuid(data.path(rule.audience().except())));
    }
    return audience.values().stream().filter(c -> !c.removed()).toList();
  }

  private Uni<List<EventEnvelope>> create(
      SqlConnection connection,
      UUID tenant,
      Rule rule,
      EventEnvelope event,
      List<Candidate> addressees,
      Addressing addressing) {
    JsonNode data = event.data();
    Severity severity = rule.severity().apply(data);
    boolean critical = severity == Severity.CRITICAL;
    OffsetDateTime now = clock.instant().atOffset(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
    String title = cut(rule.title().render(data), MAX_TITLE);
    String body = cut(rule.body().render(data), MAX_BODY);
    String link = rule.link().render(data);
    String metadata = metadata(rule, data);
    List<Notification> created = new ArrayList<>();
    List<Delivery> deliveries = new ArrayList<>();
    boolean slackQueued = false;
    for (Candidate addressee : addressees) {
      Notification n = new Notification();
      n.id = UUID.randomUUID();
      n.tenantId = tenant;
      n.userId = addressee.userId();
      n.type = rule.type().code();
      n.severity = severity.code();
      n.title = title;
      n.body = body;
      n.link = link;
      n.sourceEventId = event.id();
      n.sourceEventType = event.type();
      n.metadata = metadata;
      n.createdAt = now;
      created.add(n);
      Set<Channel> wanted =
          Preferences.wanted(rule.type(), addressee.ownChoices(), addressing.tenantDefaults());
      if (addressee.known() && (critical || wanted.contains(Channel.EMAIL))) {
        deliveries.add(Delivery.pending(n, n.userId, "email", now));
      }
      // One Slack post per event: the webhook posts to the tenant's channel, not to a person.
      if (!slackQueued
          && addressing.slackConfigured()
          && (critical || wanted.contains(Channel.SLACK))) {
        deliveries.add(Delivery.pending(n, n.userId, "slack", now));
        slackQueued = true;
      }
    }
    // The deliveries' insert goes out right behind the notifications' (it needs their rows).
    return Uni.combine()
        .all()
        .unis(
            NotificationRows.insert(connection, created),
            NotificationRows.queue(connection, tenant, deliveries, now))
        .with((unread, queued) -> unread)
        .chain(
            unread -> {
              List<EventEnvelope> announced =
                  created.stream().map(n -> events.created(n, unread.get(n.id))).toList();
              return outbox.append(connection, announced).replaceWith(announced);
            });
  }

  private static String metadata(Rule rule, JsonNode data) {
    ObjectNode metadata = EventJson.MAPPER.createObjectNode();
    for (String field : rule.metadata()) {
      JsonNode value = data.path(field);
      if (!value.isMissingNode() && !value.isNull()) {
        metadata.put(field, cut(value.asText(), 512));
      }
    }
    return metadata.toString();
  }

  private static UUID uuid(JsonNode node) {
    if (node == null || !node.isTextual()) {
      return null;
    }
    try {
      return UUID.fromString(node.asText());
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static String cut(String text, int max) {
    return text.length() <= max ? text : text.substring(0, max - 1) + "…";
  }
}
