package com.securebase.webhooks.persistence;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

/** One event as delivered to a tenant's endpoints; {@code id} is the {@code webhook-id}. */
@Entity
@Table(name = "message")
public class Message extends PanacheEntityBase {
  @Id public UUID id;

  @Column(name = "tenant_id")
  public UUID tenantId;

  @Column(name = "event_id")
  public String eventId;

  @Column(name = "event_type")
  public String eventType;

  /** The exact request body that is signed and sent. */
  public String payload;

  @Column(name = "created_at")
  public OffsetDateTime createdAt;

  /** The {@code webhook-id} header: stable across attempts and resends. */
  public static String webhookId(UUID messageId) {
    return "msg_" + messageId.toString().replace("-", "");
  }
}
