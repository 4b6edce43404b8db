package com.securebase.notifications.domain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.securebase.events.EventEnvelope;
import com.securebase.events.EventJson;
import com.securebase.notifications.domain.NotificationRules.Rule;
import com.securebase.notifications.messaging.NotificationEvents;
import com.securebase.notifications.persistence.Delivery;
import com.securebase.notifications.persistence.Notification;
import com.securebase.notifications.persistence.Recipients;
import com.securebase.notifications.persistence.TenantSettings;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * Turns a domain event into notifications by its {@link NotificationRules rule}: one per recipient,
 * each stored, announced on the outbox ({@code notification.created}, which every replica pushes to
 * its sockets) and queued for email and Slack as preferences say. Runs inside the idempotent
 * consumer's transaction, so an event redelivered by Kafka notifies nobody twice.
 */
@ApplicationScoped
public class Notifier {
  static final int MAX_TITLE = 200;
  static final int MAX_BODY = 4000;

  @Inject Preferences preferences;
  @Inject NotificationEvents events;
  @Inject Clock clock;

  /**
   * @return the notifications created (none when no rule applies or nobody is addressed)
   */
  public Uni<List<Notification>> notify(Mutiny.Session session, EventEnvelope event) {
    Rule rule = NotificationRules.forEvent(event.type()).orElse(null);
    if (rule == null || event.platformScoped() || !rule.applies().test(event.data())) {
      return Uni.createFrom().item(List.of());
    }
    UUID tenant = UUID.fromString(event.tenantId());
    JsonNode data = event.data();
    return Recipients.withRoles(session, tenant, rule.audience().roles())
        .chain(
            byRole -> {
              List<UUID> named = audience(rule, data, byRole);
              return named.isEmpty()
                  ? Uni.createFrom().item(List.<Notification>of())
                  : Recipients.find(session, tenant, named)
                      .chain(
                          directory -> {
                            // A user the gateway removed from the tenant gets nothing more.
                            List<UUID> users =
                                named.stream()
                                    .filter(u -> !directory.removed().contains(u))
                                    .toList();
                            return users.isEmpty()
                                ? Uni.createFrom().item(List.<Notification>of())
                                : create(session, tenant, rule, event, users, directory.known());
                          });
            });
  }

  /** Named users first, then users by role; never whoever the rule excludes. */
  private static List<UUID> audience(Rule rule, JsonNode data, List<UUID> byRole) {
    Set<UUID> users = new LinkedHashSet<>();
    rule.audience()
        .users()
        .forEach(
            (field, when) -> {
              UUID named = uuid(data.path(field));
              if (named != null && when.test(data)) {
                users.add(named);
              }
            });
    users.addAll(byRole);
    if (rule.audience().except() != null) {
      users.remove(uuid(data.path(rule.audience().except())));
    }
    return List.copyOf(users);
  }

  private Uni<List<Notification>> create(
      Mutiny.Session session,
      UUID tenant,
      Rule rule,
      EventEnvelope event,
      List<UUID> users,
      Map<UUID, Recipients.Known> known) {
    JsonNode data = event.data();
    Severity severity = rule.severity().apply(data);
    boolean critical = severity == Severity.CRITICAL;
    OffsetDateTime now = clock.instant().atOffset(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
    String title = cut(rule.title().render(data), MAX_TITLE);
    String body = cut(rule.body().render(data), MAX_BODY);
    String link = rule.link().render(data);
    String metadata = metadata(rule, data);
    return preferences
        .channels(session, tenant, rule.type(), users)
        .chain(
            wanted ->
                TenantSettings.<TenantSettings>findById(tenant)
                    .chain(
                        settings -> {
                          boolean slackConfigured =
                              settings != null && settings.slackWebhookUrl != null;
                          List<Notification> created = new ArrayList<>();
                          Uni<Void> chain = Uni.createFrom().voidItem();
                          boolean[] slackQueued = {false};
                          for (UUID user : users) {
                            Set<Channel> channels = wanted.get(user);
                            boolean email =
                                known.containsKey(user)
                                    && (critical || channels.contains(Channel.EMAIL));
                            boolean slack =
                                slackConfigured && (critical || channels.contains(Channel.SLACK));
                            chain =
                                chain.chain(
                                    () -> {
                                      Notification n = new Notification();
                                      n.id = UUID.randomUUID();
                                      n.tenantId = tenant;
                                      n.userId = user;
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
                                      // One Slack post per event: the webhook posts to
                                      // the tenant's channel, not to a person.
                                      boolean postSlack = slack && !slackQueued[0];
                                      slackQueued[0] |= postSlack;
                                      return store(session, n, email, postSlack, now);
                                    });
                          }
                          return chain.replaceWith(created);
                        }));
  }

  /**
   * Inserts the notification and reads the recipient's new unread count in one statement (the
   * insert is not visible to the count in the same statement, hence the + 1), then writes its event
   * and queues its deliveries.
   */
  private Uni<Void> store(
      Mutiny.Session session, Notification n, boolean email, boolean slack, OffsetDateTime now) {
    Uni<Void> stored =
        session
            .createNativeQuery(INSERT_COUNTING_UNREAD, Long.class)
            .setParameter("id", n.id)
            .setParameter("tenant", n.tenantId)
            .setParameter("user", n.userId)
            .setParameter("type", n.type)
            .setParameter("severity", n.severity)
            .setParameter("title", n.title)
            .setParameter("body", n.body)
            .setParameter("link", n.link)
            .setParameter("sourceId", n.sourceEventId)
            .setParameter("sourceType", n.sourceEventType)
            .setParameter("metadata", n.metadata)
            .setParameter("createdAt", n.createdAt)
            .getSingleResult()
            .chain(count -> events.created(n, count));
    if (email) {
      stored = stored.chain(() -> session.persist(Delivery.pending(n, n.userId, "email", now)));
    }
    if (slack) {
      stored = stored.chain(() -> session.persist(Delivery.pending(n, n.userId, "slack", now)));
    }
    return email || slack ? stored.chain(session::flush) : stored;
  }

  private static final String INSERT_COUNTING_UNREAD =
      "with inserted as (insert into notification (id, tenant_id, user_id, type, severity, title,"
          + " body, link, source_event_id, source_event_type, metadata, created_at) values (:id,"
          + " :tenant, :user, :type, :severity, :title, :body, cast(:link as text), :sourceId,"
          + " :sourceType, cast(cast(:metadata as text) as jsonb), :createdAt) returning id)"
          + " select count(*) + (select count(*) from inserted) from notification where tenant_id"
          + " = :tenant and user_id = :user and read_at is null";

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
