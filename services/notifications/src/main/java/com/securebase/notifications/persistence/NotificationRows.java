package com.securebase.notifications.persistence;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The intake's writes on the plain reactive client: one event's notifications (they share all but
 * the recipient) in one statement, and their email and Slack deliveries in another.
 */
public final class NotificationRows {
  private NotificationRows() {}

  // The new rows are not visible to the count in the same statement, hence the + 1.
  private static final String INSERT_COUNTING_UNREAD =
      "with inserted as (insert into notification (id, tenant_id, user_id, type, severity, title,"
          + " body, link, source_event_id, source_event_type, metadata, created_at)"
          + " select u.id, $1, u.user_id, $4, $5, $6, $7, $8, $9, $10, cast(cast($11 as text) as jsonb), $12"
          + " from unnest($2::uuid[], $3::uuid[]) as u(id, user_id) returning id, user_id)"
          + " select i.id, (select count(*) from notification n where n.tenant_id = $1"
          + " and n.user_id = i.user_id and n.read_at is null) + 1 from inserted i";

  private static final String INSERT_DELIVERIES =
      "insert into delivery (id, tenant_id, notification_id, user_id, channel, status, attempts,"
          + " next_attempt_at, created_at)"
          + " select d.id, $1, d.notification_id, d.user_id, d.channel, 'pending', 0, $6, $6"
          + " from unnest($2::uuid[], $3::uuid[], $4::uuid[], $5::text[])"
          + " as d(id, notification_id, user_id, channel)";

  /**
   * Inserts notifications that differ only in id and recipient.
   *
   * @return each new notification's recipient's unread count, by notification id
   */
  public static Uni<Map<UUID, Long>> insert(SqlClient client, List<Notification> batch) {
    Notification first = batch.getFirst();
    return client
        .preparedQuery(INSERT_COUNTING_UNREAD)
        .execute(
            Tuple.from(
                new Object[] {
                  first.tenantId,
                  batch.stream().map(n -> n.id).toArray(UUID[]::new),
                  batch.stream().map(n -> n.userId).toArray(UUID[]::new),
                  first.type,
                  first.severity,
                  first.title,
                  first.body,
                  first.link,
                  first.sourceEventId,
                  first.sourceEventType,
                  first.metadata,
                  first.createdAt
                }))
        .map(
            rows -> {
              Map<UUID, Long> unread = new HashMap<>();
              for (Row r : rows) {
                unread.put(r.getUUID(0), r.getLong(1));
              }
              return unread;
            });
  }

  /** Queues email and Slack sends, due now. */
  public static Uni<Void> queue(
      SqlClient client, UUID tenant, List<Delivery> deliveries, OffsetDateTime now) {
    if (deliveries.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    return client
        .preparedQuery(INSERT_DELIVERIES)
        .execute(
            Tuple.from(
                new Object[] {
                  tenant,
                  deliveries.stream().map(d -> d.id).toArray(UUID[]::new),
                  deliveries.stream().map(d -> d.notificationId).toArray(UUID[]::new),
                  deliveries.stream().map(d -> d.userId).toArray(UUID[]::new),
                  deliveries.stream().map(d -> d.channel).toArray(String[]::new),
                  now
                }))
        .replaceWithVoid();
  }
}
