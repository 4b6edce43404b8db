package com.securebase.webhooks.persistence;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

/** One delivery attempt (read model; the dispatcher inserts them in batches). */
@Entity
@Table(name = "attempt")
public class Attempt extends PanacheEntityBase {
  @Id public Long id;

  @Column(name = "tenant_id")
  public UUID tenantId;

  @Column(name = "delivery_id")
  public UUID deliveryId;

  @Column(name = "message_id")
  public UUID messageId;

  @Column(name = "endpoint_id")
  public UUID endpointId;

  @Column(name = "attempted_at")
  public OffsetDateTime attemptedAt;

  public String outcome;

  @Column(name = "status_code")
  public Integer statusCode;

  @Column(name = "latency_ms")
  public int latencyMs;

  @Column(name = "response_excerpt")
  public String responseExcerpt;

  public String error;
}
