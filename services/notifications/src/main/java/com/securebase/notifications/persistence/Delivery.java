package com.securebase.notifications.persistence;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

/** One email or Slack send of a notification, with its retry state. */
@Entity
@Table(name = "delivery")
public class Delivery extends PanacheEntityBase {
  public static final String PENDING = "pending";
  public static final String SENT = "sent";
  public static final String FAILED = "failed";

  @Id public UUID id;

  @Column(name = "tenant_id")
  public UUID tenantId;

  @Column(name = "notification_id")
  public UUID notificationId;

  @Column(name = "user_id")
  public UUID userId;

  public String channel;
  public String status;
  public int attempts;

  @Column(name = "next_attempt_at")
  public OffsetDateTime nextAttemptAt;

  @Column(name = "first_attempt_at")
  public OffsetDateTime firstAttemptAt;

  @Column(name = "last_error_code")
  public String lastErrorCode;

  @Column(name = "last_error")
  public String lastError;

  @Column(name = "sent_at")
  public OffsetDateTime sentAt;

  @Column(name = "failed_at")
  public OffsetDateTime failedAt;

  @Column(name = "created_at")
  public OffsetDateTime createdAt;

  public static Delivery pending(Notification n, UUID userId, String channel, OffsetDateTime now) {
    Delivery d = new Delivery();
    d.id = UUID.randomUUID();
    d.tenantId = n.tenantId;
    d.notificationId = n.id;
    d.userId = userId;
    d.channel = channel;
    d.status = PENDING;
    d.attempts = 0;
    d.nextAttemptAt = now;
    d.createdAt = now;
    return d;
  }
}
