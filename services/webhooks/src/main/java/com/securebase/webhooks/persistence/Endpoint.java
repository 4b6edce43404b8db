package com.securebase.webhooks.persistence;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/** A tenant's webhook endpoint. No field initialisers: they would make every loaded row dirty. */
@Entity
@Table(name = "endpoint")
public class Endpoint extends PanacheEntityBase {
  @Id public UUID id;

  @Column(name = "tenant_id")
  public UUID tenantId;

  public String url;
  public String description;

  /** Comma-separated catalog event types; null subscribes to every type. */
  @Column(name = "event_types")
  public String eventTypes;

  public boolean enabled;

  @Column(name = "disabled_reason")
  public String disabledReason;

  @Column(name = "rate_limit_per_second")
  public Integer rateLimitPerSecond;

  public String secret;

  @Column(name = "previous_secret")
  public String previousSecret;

  @Column(name = "previous_secret_expires_at")
  public OffsetDateTime previousSecretExpiresAt;

  @Column(name = "secret_rotated_at")
  public OffsetDateTime secretRotatedAt;

  @Column(name = "failing_since")
  public OffsetDateTime failingSince;

  public int version;

  @Column(name = "created_at")
  public OffsetDateTime createdAt;

  @Column(name = "updated_at")
  public OffsetDateTime updatedAt;

  /** The subscribed types, or null for all. */
  public List<String> eventTypeList() {
    return eventTypes == null ? null : Arrays.asList(eventTypes.split(","));
  }

  public static String eventTypesColumn(List<String> types) {
    return types == null || types.isEmpty() ? null : String.join(",", types);
  }
}
