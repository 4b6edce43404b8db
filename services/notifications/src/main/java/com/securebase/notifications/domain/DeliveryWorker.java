package com.securebase.notifications.domain;

import com.securebase.notifications.channels.EmailChannel;
import com.securebase.notifications.channels.Outgoing;
import com.securebase.notifications.channels.SendResult;
import com.securebase.notifications.channels.SlackChannel;
import com.securebase.notifications.messaging.NotificationEvents;
import com.securebase.notifications.persistence.Delivery;
import com.securebase.notifications.persistence.Notification;
import com.securebase.notifications.persistence.TenantSettings;
import com.securebase.tenancy.TenantTransactions;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * Sends due email and Slack deliveries and records every attempt. Cluster-safe: a batch is claimed
 * with {@code FOR UPDATE SKIP LOCKED} and its {@code next_attempt_at} moved a lease ahead in one
 * short transaction, so no other replica takes it while it is being sent, and a replica that dies
 * mid-send only delays it by the lease. Sends run on worker threads (SMTP and HTTP block), never on
 * the event loop, and no transaction is open while they run. A failed send is retried with
 * exponential backoff; after the last attempt (or a permanent failure) the delivery is marked
 * failed and {@code delivery.failed} is written to the outbox in the same transaction.
 */
@ApplicationScoped
public class DeliveryWorker {
  @Inject TenantTransactions tx;
  @Inject EmailChannel email;
  @Inject SlackChannel slack;
  @Inject NotificationEvents events;
  @Inject Clock clock;
  @Inject Vertx vertx;

  @ConfigProperty(name = "securebase.notifications.delivery.max-attempts", defaultValue = "5")
  int maxAttempts;

  @ConfigProperty(name = "securebase.notifications.delivery.backoff", defaultValue = "30s")
  Duration backoff;

  @ConfigProperty(name = "securebase.notifications.delivery.max-backoff", defaultValue = "1h")
  Duration maxBackoff;

  @ConfigProperty(name = "securebase.notifications.delivery.lease", defaultValue = "2m")
  Duration lease;

  @ConfigProperty(name = "securebase.notifications.delivery.batch-size", defaultValue = "50")
  int batchSize;

  public int batchSize() {
    return batchSize;
  }

  /**
   * @return how many deliveries this run attempted
   */
  public Uni<Integer> runDue() {
    Instant now = clock.instant();
    return claim(now)
        .chain(
            batch -> {
              if (batch.isEmpty()) {
                return Uni.createFrom().item(0);
              }
              List<Uni<SendResult>> sends = new ArrayList<>();
              for (Outgoing o : batch) {
                sends.add(vertx.executeBlocking(Uni.createFrom().item(() -> send(o)), false));
              }
              return Uni.join()
                  .all(sends)
                  .andFailFast()
                  .chain(
                      results -> {
                        // One after another: they share this context's reactive session.
                        Uni<Void> chain = Uni.createFrom().voidItem();
                        for (int i = 0; i < batch.size(); i++) {
                          Outgoing o = batch.get(i);
                          SendResult r = results.get(i);
                          chain = chain.chain(() -> record(o, r));
                        }
                        return chain.replaceWith(batch.size());
                      });
            });
  }

  /** The wait before attempt {@code attempts + 1}: backoff, doubling, capped. */
  Duration backoffAfter(int attempts) {
    Duration wait = backoff.multipliedBy(1L << Math.min(attempts - 1, 20));
    return wait.compareTo(maxBackoff) > 0 ? maxBackoff : wait;
  }

  private SendResult send(Outgoing o) {
    try {
      return "email".equals(o.channel()) ? email.send(o) : slack.send(o);
    } catch (RuntimeException e) {
      return SendResult.retry("internal_error", e.getClass().getSimpleName());
    }
  }

  private Uni<List<Outgoing>> claim(Instant now) {
    return tx.asSystem(
        session ->
            session
                .createNativeQuery(
                    "update delivery set next_attempt_at = :leaseUntil where id in (select id from"
                        + " delivery where status = 'pending' and next_attempt_at <= :now order by"
                        + " next_attempt_at limit "
                        + batchSize
                        + " for update skip locked) returning id",
                    UUID.class)
                .setParameter("now", now.atOffset(ZoneOffset.UTC))
                .setParameter("leaseUntil", now.plus(lease).atOffset(ZoneOffset.UTC))
                .getResultList()
                .chain(
                    ids -> ids.isEmpty() ? Uni.createFrom().item(List.of()) : load(session, ids)));
  }

  private static Uni<List<Outgoing>> load(Mutiny.Session session, List<UUID> ids) {
    return Delivery.<Delivery>list("id in ?1", ids)
        .chain(
            deliveries ->
                Notification.<Notification>list(
                        "id in ?1", deliveries.stream().map(d -> d.notificationId).toList())
                    .chain(
                        notifications ->
                            TenantSettings.<TenantSettings>list(
                                    "tenantId in ?1",
                                    deliveries.stream().map(d -> d.tenantId).distinct().toList())
                                .chain(
                                    settings ->
                                        addresses(session, deliveries)
                                            .map(
                                                emails ->
                                                    outgoing(
                                                        deliveries,
                                                        notifications,
                                                        settings,
                                                        emails)))));
  }

  /** Email address and name by "tenant/user" (a user id may belong to several tenants). */
  private static Uni<Map<String, String[]>> addresses(
      Mutiny.Session session, List<Delivery> deliveries) {
    return session
        .createNativeQuery(
            "select tenant_id, user_id, email, display_name from recipient"
                + " where status <> 'removed' and user_id in (:users)",
            Object[].class)
        .setParameter("users", deliveries.stream().map(d -> d.userId).distinct().toList())
        .getResultList()
        .map(
            rows -> {
              Map<String, String[]> byUser = new HashMap<>();
              for (Object[] r : rows) {
                byUser.put(r[0] + "/" + r[1], new String[] {(String) r[2], (String) r[3]});
              }
              return byUser;
            });
  }

  private static List<Outgoing> outgoing(
      List<Delivery> deliveries,
      List<Notification> notifications,
      List<TenantSettings> settings,
      Map<String, String[]> addresses) {
    Map<UUID, Notification> byId = new HashMap<>();
    notifications.forEach(n -> byId.put(n.id, n));
    Map<UUID, TenantSettings> byTenant = new HashMap<>();
    settings.forEach(s -> byTenant.put(s.tenantId, s));
    List<Outgoing> batch = new ArrayList<>();
    for (Delivery d : deliveries) {
      Notification n = byId.get(d.notificationId);
      TenantSettings s = byTenant.get(d.tenantId);
      String[] address = addresses.get(d.tenantId + "/" + d.userId);
      batch.add(
          new Outgoing(
              d.id,
              d.channel,
              n.title,
              n.body,
              n.link,
              n.severity,
              address == null ? null : address[0],
              address == null ? null : address[1],
              s == null
                  ? new Outgoing.Branding("SecureBase", null, null)
                  : new Outgoing.Branding(s.brandName(), s.primaryColor, s.logoUrl),
              s == null ? null : s.slackWebhookUrl));
    }
    return batch;
  }

  private Uni<Void> record(Outgoing o, SendResult result) {
    OffsetDateTime now = clock.instant().atOffset(ZoneOffset.UTC);
    return tx.asSystem(
        session ->
            Delivery.<Delivery>findById(o.deliveryId())
                .chain(
                    d -> {
                      if (d == null || !Delivery.PENDING.equals(d.status)) {
                        return Uni.createFrom().voidItem(); // deleted with its notification
                      }
                      d.attempts++;
                      if (d.firstAttemptAt == null) {
                        d.firstAttemptAt = now;
                      }
                      Uni<Void> attempt =
                          session
                              .createNativeQuery(
                                  "insert into delivery_attempt (delivery_id, attempt, tenant_id,"
                                      + " attempted_at, outcome, error_code, error) values (:id,"
                                      + " :attempt, :tenant, :at, :outcome, :code, :error)")
                              .setParameter("id", d.id)
                              .setParameter("attempt", d.attempts)
                              .setParameter("tenant", d.tenantId)
                              .setParameter("at", now)
                              .setParameter("outcome", result.sent() ? "sent" : "failed")
                              .setParameter("code", result.code())
                              .setParameter("error", result.message())
                              .executeUpdate()
                              .replaceWithVoid();
                      if (result.sent()) {
                        d.status = Delivery.SENT;
                        d.sentAt = now;
                        d.nextAttemptAt = null;
                        return attempt;
                      }
                      d.lastErrorCode = result.code();
                      d.lastError = result.message();
                      if (!result.permanent() && d.attempts < maxAttempts) {
                        d.nextAttemptAt = now.plus(backoffAfter(d.attempts));
                        return attempt;
                      }
                      d.status = Delivery.FAILED;
                      d.failedAt = now;
                      d.nextAttemptAt = null;
                      return attempt
                          .chain(() -> Notification.<Notification>findById(d.notificationId))
                          .chain(n -> events.deliveryFailed(d, n, result.code(), result.message()));
                    }));
  }
}
