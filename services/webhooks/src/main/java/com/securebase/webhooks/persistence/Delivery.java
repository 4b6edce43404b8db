package com.securebase.webhooks.persistence;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * A message's delivery to one endpoint: {@code pending} (due at {@code nextAttemptAt}), {@code
 * succeeded}, or {@code dead} (a dead letter). Written by the dispatcher ({@link DeliveryQueue}).
 */
@Entity
@Table(name = "delivery")
public class Delivery extends PanacheEntityBase {
  @Id public UUID id;

  @Column(name = "tenant_id")
  public UUID tenantId;

  @Column(name = "message_id")
  public UUID messageId;

  @Column(name = "endpoint_id")
  public UUID endpointId;

  public String status;
  public int attempts;

  @Column(name = "next_attempt_at")
  public OffsetDateTime nextAttemptAt;

  @Column(name = "first_attempt_at")
  public OffsetDateTime firstAttemptAt;

  @Column(name = "last_attempt_at")
  public OffsetDateTime lastAttemptAt;

  @Column(name = "last_status_code")
  public Integer lastStatusCode;

  @Column(name = "last_error")
  public String lastError;

  @Column(name = "dead_lettered_at")
  public OffsetDateTime deadLetteredAt;

  @Column(name = "created_at")
  public OffsetDateTime createdAt;
}
