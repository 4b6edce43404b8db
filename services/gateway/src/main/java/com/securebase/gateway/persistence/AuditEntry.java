package com.securebase.gateway.persistence;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.hibernate.annotations.ColumnTransformer;
import org.hibernate.annotations.Immutable;

/**
 * A stored audit entry, read-only from Java: rows are inserted by {@link AuditEntries#append} (the
 * database computes the hash chain) and never updated.
 */
@Entity
@Immutable
@Table(name = "audit_entry")
public class AuditEntry extends PanacheEntityBase {
  @Id public long seq;

  @Column(name = "tenant_id")
  public UUID tenantId;

  @Column(name = "event_id")
  public String eventId;

  public String source;

  @Column(name = "occurred_at")
  public OffsetDateTime occurredAt;

  @Column(name = "recorded_at")
  public OffsetDateTime recordedAt;

  @Column(name = "actor_type")
  public String actorType;

  @Column(name = "actor_id")
  public String actorId;

  @Column(name = "actor_email")
  public String actorEmail;

  public String action;

  @Column(name = "resource_type")
  public String resourceType;

  @Column(name = "resource_id")
  public String resourceId;

  public String outcome;

  @Column(name = "source_ip")
  public String sourceIp;

  /** jsonb, read as its text. */
  @ColumnTransformer(read = "details::text")
  public String details;

  @Column(name = "prev_hash")
  public byte[] prevHash;

  public byte[] hash;
}
